//! Overview panel: what-if sliders, key figures per variant, monthly cost chart, warnings.

use egui_plot::{Legend, Line, Plot, PlotPoints};

use super::Command;
use crate::model::Scenario;
use crate::render::usd0;
use crate::report::Report;

/// Label of the growth slider (tests find it by this).
pub const GROWTH: &str = "Annual growth";
pub const USERS: &str = "Concurrent users at start";

pub fn ui(ui: &mut egui::Ui, s: &Scenario, r: &Report, error: Option<&str>, commands: &mut Vec<Command>) {
    ui.heading("What if");
    ui.horizontal(|ui| {
        let mut g = s.demand.annual_growth * 100.0;
        if ui.add(egui::Slider::new(&mut g, -50.0..=100.0).suffix(" %/yr").text(GROWTH)).changed() {
            commands.push(Command::SetGrowth(g / 100.0));
        }
        ui.separator();
        let mut u = s.demand.concurrent_users;
        if ui.add(egui::Slider::new(&mut u, 100.0..=20_000.0).logarithmic(true).text(USERS)).changed() {
            commands.push(Command::SetUsers(u.round()));
        }
    });
    if let Some(e) = error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }

    ui.add_space(8.0);
    ui.heading("Variants");
    egui::Grid::new("variants").striped(true).num_columns(12).show(ui, |ui| {
        for h in [
            "variant",
            "nodes m1",
            "DB m1",
            "month 1",
            "nodes m60",
            "DB m60",
            "last month",
            "total",
            "availability",
            "RTO",
            "RPO",
            "targets",
        ] {
            ui.strong(h);
        }
        ui.end_row();
        for v in &r.variants {
            let (Some(first), Some(last)) = (v.months.first(), v.months.last()) else { continue };
            let nodes =
                |m: &crate::report::VariantMonth| m.sites.iter().flat_map(|s| &s.pools).map(|p| p.nodes).sum::<u32>();
            let db = |m: &crate::report::VariantMonth| {
                m.sites.iter().find_map(|s| s.database.as_ref()).map_or("-".to_string(), |d| d.class.to_string())
            };
            ui.label(&v.name);
            ui.label(nodes(first).to_string());
            ui.label(db(first));
            ui.label(usd0(first.total_usd));
            ui.label(nodes(last).to_string());
            ui.label(db(last));
            ui.label(usd0(last.total_usd));
            let unknown = if v.unknown_items.is_empty() {
                String::new()
            } else {
                format!(" + {} unknown", v.unknown_items.len())
            };
            ui.label(format!("{}{unknown}", usd0(v.total_usd))).on_hover_text(v.unknown_items.join("\n"));
            if let Some(res) = r.resilience.iter().find(|x| x.variant == v.name) {
                ui.label(format!("{:.3} %", res.availability.availability * 100.0)).on_hover_text(format!(
                    "{:.2} h/yr down; dominant: {}",
                    res.availability.downtime_hours_per_year, res.availability.dominant
                ));
                let rto = |h: Option<f64>| h.map_or("none".to_string(), |h| format!("{h:.1} h"));
                ui.label(format!("{} .. {}", rto(res.rto_first.hours), rto(res.rto_last.hours)));
                ui.label(res.rpo.minutes.map_or("no copy".to_string(), |m| format!("{m:.1} min")))
                    .on_hover_text(&res.rpo.basis);
                let m = &res.meets;
                let verdict: Vec<&str> = [(m.availability, "A"), (m.rto, "RTO"), (m.rpo, "RPO")]
                    .iter()
                    .map(|(ok, what)| if *ok { "" } else { what })
                    .collect();
                if m.all {
                    ui.colored_label(egui::Color32::from_rgb(80, 170, 90), "all met");
                } else {
                    ui.colored_label(
                        ui.visuals().error_fg_color,
                        format!(
                            "misses {}",
                            verdict.iter().filter(|v| !v.is_empty()).copied().collect::<Vec<_>>().join(", ")
                        ),
                    );
                }
            }
            ui.end_row();
        }
    });

    ui.add_space(8.0);
    ui.heading("Monthly cost (known prices)");
    Plot::new("cost").legend(Legend::default()).height(260.0).x_axis_label("month").y_axis_label("USD / month").show(
        ui,
        |p| {
            for v in &r.variants {
                let pts: PlotPoints = v.months.iter().map(|m| [f64::from(m.index + 1), m.total_usd]).collect();
                p.line(Line::new(v.name.clone(), pts));
            }
        },
    );

    if !r.warnings.is_empty() {
        ui.add_space(8.0);
        ui.heading(format!("Warnings ({})", r.warnings.len()));
        for w in &r.warnings {
            ui.label(format!("[{}] month {} ({}): {}", w.variant, w.first_month, w.month, w.message));
        }
    }
}
