//! Cost panel: stacked monthly cost by category for one variant, the month's lines, and how the
//! selected line was computed.

use egui_plot::{Bar, BarChart, Legend, Plot};

use super::Command;
use crate::engine::report::Report;
use crate::output::render::usd;
use crate::scenario::model::Category;

pub fn ui(
    ui: &mut egui::Ui,
    r: &Report,
    variant: usize,
    selected: Option<(usize, usize)>,
    commands: &mut Vec<Command>,
) {
    let Some(v) = r.variants.get(variant) else { return };
    super::variant_picker(ui, r, variant, commands);
    ui.heading("Monthly cost by category (amortised, known prices)");
    Plot::new("stacked")
        .legend(Legend::default())
        .height(280.0)
        .x_axis_label("month")
        .x_axis_formatter(super::month_axis(r.start))
        .y_axis_label("USD / month")
        .y_axis_formatter(|m, _| crate::money::usd0(m.value))
        .allow_scroll(false)
        .show(ui, |p| {
            let mut below: Vec<f64> = vec![0.0; v.months.len()];
            let mut charts: Vec<BarChart> = Vec::new();
            for c in Category::ALL {
                let bars: Vec<Bar> = v
                    .months
                    .iter()
                    .enumerate()
                    .map(|(i, m)| {
                        Bar::new(f64::from(m.index + 1), m.category(c))
                            .base_offset(below[i])
                            .width(0.8)
                            .name(bar_label(m, c))
                    })
                    .collect();
                if bars.iter().all(|b| b.value == 0.0) {
                    continue;
                }
                for (i, m) in v.months.iter().enumerate() {
                    below[i] += m.category(c);
                }
                charts.push(BarChart::new(c.label(), bars));
            }
            for c in charts {
                p.bar_chart(c);
            }
        });

    let month = selected.map_or(0, |(m, _)| m).min(v.months.len().saturating_sub(1));
    let m = &v.months[month];
    ui.horizontal(|ui| {
        ui.heading(format!("Lines of month {} ({})", m.index + 1, m.month));
        let mut k = month + 1;
        if ui.add(egui::Slider::new(&mut k, 1..=v.months.len()).text("month")).changed() {
            commands.push(Command::SelectLine(k - 1, usize::MAX));
        }
    });
    egui::Grid::new("lines").striped(true).num_columns(6).show(ui, |ui| {
        for h in ["site", "category", "item", "quantity", "unit price", "cost"] {
            ui.strong(h);
        }
        ui.end_row();
        for (i, l) in m.lines.iter().enumerate() {
            ui.label(if l.site.is_empty() { "(variant)" } else { &l.site });
            ui.label(l.category.label());
            if ui.selectable_label(selected == Some((month, i)), &*l.item).clicked() {
                commands.push(Command::SelectLine(month, i));
            }
            ui.label(format!("{:.2} {}", l.quantity, l.unit));
            ui.label(l.unit_usd.map_or("unknown".into(), crate::money::unit_usd));
            ui.label(l.usd.map_or("unknown".into(), usd));
            ui.end_row();
        }
    });
    if let Some((_, i)) = selected
        && let Some(l) = m.lines.get(i)
    {
        ui.separator();
        ui.heading("How this figure was computed");
        ui.label(format!(
            "{:.4} {} × {} = {}",
            l.quantity,
            l.unit,
            l.unit_usd.map_or("unknown".into(), crate::money::unit_usd),
            l.usd.map_or("unknown".into(), usd)
        ));
        ui.label(format!("Basis: {}", l.basis));
        match l.price.map(|p| &r.prices[p as usize]) {
            Some(p) => {
                ui.label(format!("Price {} in {}: {} — {}", p.key, p.region, p.source, p.source_title));
                ui.label(format!(
                    "As of {}, confidence {}{}",
                    p.as_of,
                    p.confidence.map_or("GAP".into(), |c| format!("{c:?}")),
                    if p.note.is_empty() { String::new() } else { format!(" — {}", p.note) }
                ));
            }
            None => {
                ui.label("No catalog price: a scenario input or an unknown (see the basis).");
            }
        }
    }
}

/// What hovering a bar shows: the month, the category and its line items (largest first).
pub fn bar_label(m: &crate::engine::report::VariantMonth, c: Category) -> String {
    let mut lines: Vec<&crate::engine::report::CostLine> =
        m.lines.iter().filter(|l| l.category == c && l.view.in_amortised()).collect();
    lines.sort_by(|a, b| b.usd.unwrap_or(f64::INFINITY).total_cmp(&a.usd.unwrap_or(f64::INFINITY)));
    let mut out = format!("{} {}: {}", m.month, c.label(), usd(m.category(c)));
    for l in lines.iter().take(8) {
        let site = if l.site.is_empty() { String::new() } else { format!("{}: ", l.site) };
        out += &format!("\n  {site}{} {}", l.item, l.usd.map_or("unknown".into(), usd));
    }
    if lines.len() > 8 {
        out += &format!("\n  … {} more", lines.len() - 8);
    }
    out
}
