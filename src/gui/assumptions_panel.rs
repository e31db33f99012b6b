//! Assumptions panel: every input with its unit — editable, validated with the CLI's messages —
//! every price with its source and date (those older than 18 months at the plan's start
//! flagged), and the catalogue's coverage per region.

use std::collections::BTreeMap;

use super::Command;
use crate::engine::report::Report;

pub fn ui(
    ui: &mut egui::Ui,
    r: &Report,
    coverage: &[crate::catalog::Coverage],
    edits: &mut BTreeMap<String, String>,
    errors: &BTreeMap<String, String>,
    commands: &mut Vec<Command>,
) {
    ui.heading(format!("Inputs ({})", r.assumptions.len()));
    ui.weak("Edit a value and press Enter: it is checked like the scenario file; a rejected value leaves the plan as it was.");
    egui::Grid::new("inputs").striped(true).num_columns(5).show(ui, |ui| {
        for h in ["input", "value", "unit", "source / range", ""] {
            ui.strong(h);
        }
        ui.end_row();
        for a in &r.assumptions {
            let label = ui.label(&a.path);
            let mut text = edits.get(&a.path).cloned().unwrap_or_else(|| a.value.clone());
            let field = ui.add(egui::TextEdit::singleline(&mut text).desired_width(260.0)).labelled_by(label.id);
            if field.changed() {
                edits.insert(a.path.clone(), text.clone());
            }
            if field.lost_focus() && edits.contains_key(&a.path) {
                commands.push(Command::SetField(a.path.clone(), text));
            }
            ui.label(a.unit);
            let range = if a.range.is_empty() { String::new() } else { format!("range {}", a.range) };
            ui.label(
                [a.source.as_str(), range.as_str()]
                    .iter()
                    .filter(|x| !x.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join("; "),
            );
            match errors.get(&a.path) {
                Some(e) => ui.colored_label(ui.visuals().error_fg_color, e),
                None => ui.label(""),
            };
            ui.end_row();
        }
    });
    ui.add_space(8.0);
    ui.heading(format!("Prices used ({})", r.prices.len()));
    let age = |p: &crate::money::ledger::PriceUsed| crate::engine::report::price_age_months(&p.as_of, r.start);
    let stale_after = crate::engine::report::STALE_PRICE_MONTHS;
    let stale = r.prices.iter().filter(|p| p.usd.is_some() && age(p).is_some_and(|a| a > stale_after)).count();
    if stale > 0 {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!(
                "{stale} of these prices are older than {stale_after} months at the plan's start ({}): refresh them with `headroom prices import` (AWS Price List) or an override",
                r.start
            ),
        );
    }
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
            match age(p) {
                Some(a) if p.usd.is_some() && a > stale_after => {
                    ui.colored_label(ui.visuals().warn_fg_color, format!("{} ({a} months old)", p.as_of))
                }
                _ => ui.label(&p.as_of),
            };
            ui.label(p.confidence.map_or("GAP".into(), |c| format!("{c:?}")));
            ui.end_row();
        }
    });
    ui.add_space(8.0);
    ui.heading("Price catalogue");
    ui.weak("Known and unknown keys per region, with the shipped tables and this scenario's pricing.tables; `headroom prices --region R` lists every row.");
    egui::Grid::new("coverage").striped(true).num_columns(5).show(ui, |ui| {
        for h in ["region", "known", "unknown", "oldest", "newest"] {
            ui.strong(h);
        }
        ui.end_row();
        for c in coverage {
            ui.label(&c.region);
            ui.label(c.known.to_string());
            ui.label(c.unknown.to_string());
            ui.label(&c.oldest);
            ui.label(&c.newest);
            ui.end_row();
        }
    });
}
