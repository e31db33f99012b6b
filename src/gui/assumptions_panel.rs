//! Assumptions panel: every input with its unit, and every price with its source and date.

use crate::report::Report;

pub fn ui(ui: &mut egui::Ui, r: &Report) {
    ui.heading(format!("Inputs ({})", r.assumptions.len()));
    egui::Grid::new("inputs").striped(true).num_columns(3).show(ui, |ui| {
        for h in ["input", "value", "unit"] {
            ui.strong(h);
        }
        ui.end_row();
        for a in &r.assumptions {
            ui.label(&a.path);
            ui.label(&a.value);
            ui.label(a.unit);
            ui.end_row();
        }
    });
    ui.add_space(8.0);
    ui.heading(format!("Prices used ({})", r.prices.len()));
    egui::Grid::new("prices").striped(true).num_columns(7).show(ui, |ui| {
        for h in ["region", "price", "USD", "unit", "source", "as of", "confidence"] {
            ui.strong(h);
        }
        ui.end_row();
        for p in &r.prices {
            ui.label(&p.region);
            ui.label(&p.key);
            ui.label(p.usd.map_or("unknown".into(), |u| format!("{u}")));
            ui.label(&p.unit);
            ui.label(&p.source).on_hover_text(&p.source_title);
            ui.label(&p.as_of);
            ui.label(p.confidence.map_or("GAP".into(), |c| format!("{c:?}")));
            ui.end_row();
        }
    });
}
