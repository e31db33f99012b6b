//! Compare panel: variants side by side, five-year totals as bars, cost against RTO.

use egui_plot::{Bar, BarChart, Legend, Plot, PlotPoints, Points};

use crate::engine::report::Report;
use crate::output::render::usd0;

pub fn ui(ui: &mut egui::Ui, r: &Report, baseline: Option<&Report>) {
    let c = &r.comparison;
    ui.heading("Variants against the targets");
    ui.label(format!(
        "Targets: availability ≥ {:.2} %, RTO < {} h, RPO < {} min.",
        c.targets.availability * 100.0,
        c.targets.rto_hours,
        c.targets.rpo_minutes,
    ));
    ui.strong(&c.decision);
    egui::Grid::new("compare").striped(true).num_columns(10).show(ui, |ui| {
        for h in [
            "variant",
            "month 1",
            "month 60",
            "total",
            "vs first",
            "availability",
            "RTO (last)",
            "RPO",
            "meets all",
            "costs",
        ] {
            ui.strong(h);
        }
        ui.end_row();
        for row in &c.rows {
            let lower = |x: f64| crate::engine::report::lower_bound(row.complete, usd0(x));
            ui.label(&row.variant);
            ui.label(lower(row.month_1_usd));
            ui.label(lower(row.last_month_usd));
            ui.label(lower(row.total_usd));
            ui.label(crate::output::render::delta_text(c, row));
            ui.label(format!("{:.3} %", row.availability * 100.0));
            ui.label(row.rto_last_hours.map_or("none".into(), |h| format!("{h:.1} h")));
            ui.label(row.rpo_minutes.map_or("no copy".into(), |m| format!("{m:.1} min")));
            ui.label(if row.meets.all { "yes" } else { "no" });
            if row.complete {
                ui.label(&row.status);
            } else {
                let fills = r
                    .variants
                    .iter()
                    .find(|v| v.name == row.variant)
                    .map(|v| v.completeness.fill_list().join("\n"))
                    .unwrap_or_default();
                ui.colored_label(ui.visuals().warn_fg_color, &row.status).on_hover_text(fills);
            }
            ui.end_row();
        }
    });
    ui.heading("Five-year total per variant");
    let names: Vec<String> = c.rows.iter().map(|r| r.variant.clone()).collect();
    Plot::new("totals")
        .legend(Legend::default().position(egui_plot::Corner::LeftTop))
        .height(220.0)
        .y_axis_label("USD")
        .y_axis_formatter(|m, _| usd0(m.value))
        // Variant names under their bars, not indices.
        .x_axis_formatter(move |m, _| {
            let i = m.value;
            if (i - i.round()).abs() < 1e-9 && i >= 0.0 {
                names.get(i.round() as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        // The wheel scrolls the page, not the chart.
        .allow_scroll(false)
        .show(ui, |p| {
            // Complete totals, and the known amounts of variants that cannot be ranked apart.
            let bars = |complete: bool| -> Vec<Bar> {
                c.rows
                    .iter()
                    .enumerate()
                    .filter(|(_, row)| row.complete == complete)
                    .map(|(i, row)| Bar::new(i as f64, row.total_usd).name(&row.variant).width(0.6))
                    .collect()
            };
            p.bar_chart(BarChart::new("total (complete)", bars(true)));
            let lower = bars(false);
            if !lower.is_empty() {
                p.bar_chart(BarChart::new("known amount only (cannot rank)", lower).color(egui::Color32::GRAY));
            }
            if let Some(b) = baseline {
                let bars: Vec<Bar> = c
                    .rows
                    .iter()
                    .enumerate()
                    .filter_map(|(i, row)| {
                        b.variants
                            .iter()
                            .find(|v| v.name == row.variant)
                            .map(|v| Bar::new(i as f64 + 0.3, v.total_usd).name(&row.variant).width(0.25))
                    })
                    .collect();
                p.bar_chart(BarChart::new("baseline total", bars));
            }
        });
    ui.heading("Cost against recovery time");
    Plot::new("cost-rto")
        .legend(Legend::default())
        .height(240.0)
        .x_axis_label("RTO in the last month (h)")
        .y_axis_label("five-year total (USD)")
        .y_axis_formatter(|m, _| usd0(m.value))
        .allow_scroll(false)
        // Room on the right for the legend, so it covers no point.
        .include_x(c.rows.iter().filter_map(|r| r.rto_last_hours).fold(1.0, f64::max) * 1.5)
        .show(ui, |p| {
            for row in &c.rows {
                if let Some(h) = row.rto_last_hours {
                    p.points(Points::new(row.variant.clone(), PlotPoints::from(vec![[h, row.total_usd]])).radius(6.0));
                }
            }
        });
}
