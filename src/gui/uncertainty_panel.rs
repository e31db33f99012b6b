//! Uncertainty panel: runs the Monte Carlo in the background (progress, cancel) and draws its
//! bands — monthly cost and users, P10–P90 around the median — with budget exceedance per fiscal
//! year and the month a capacity limit is hit.

use egui_plot::{Legend, Line, Plot, PlotPoints, Polygon};

use super::{Command, McState};
use crate::montecarlo::{Band, McReport};
use crate::render::usd0;
use crate::report::Report;

/// Percentiles the panel asks for.
pub const PERCENTILES: [f64; 3] = [10.0, 50.0, 90.0];

pub fn ui(ui: &mut egui::Ui, r: &Report, mc: &McState, variant: usize, commands: &mut Vec<Command>) {
    super::variant_picker(ui, r, variant, commands);
    ui.horizontal(|ui| {
        let mut paths = mc.paths;
        if ui.add(egui::DragValue::new(&mut paths).range(1..=1_000_000).suffix(" paths")).changed() {
            commands.push(Command::SetMonteCarloPaths(paths));
        }
        match &mc.running {
            Some(run) => {
                let done = run.done.load(std::sync::atomic::Ordering::Relaxed);
                ui.add(
                    egui::ProgressBar::new(done as f32 / run.total.max(1) as f32)
                        .text(format!("{done} / {} paths", run.total))
                        .desired_width(240.0),
                );
                if ui.button("Cancel").clicked() {
                    commands.push(Command::CancelMonteCarlo);
                }
            }
            None => {
                if ui.button("Run Monte Carlo").clicked() {
                    commands.push(Command::RunMonteCarlo);
                }
            }
        }
    });
    if let Some(e) = &mc.error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    let Some(res) = &mc.result else {
        ui.weak(
            "Draws the scenario's uncertainty.inputs on every path (static sizing) and shows the spread. Edit them in the Assumptions tab or the scenario file.",
        );
        return;
    };
    if mc.stale {
        ui.weak("These results are for an earlier version of the scenario: run again to refresh them.");
    }
    ui.label(format!(
        "{} paths (seed {}, {}), inputs: {}{}",
        res.paths - res.rejected,
        res.seed,
        res.engine,
        if res.inputs.is_empty() { "none".to_string() } else { res.inputs.join(", ") },
        if res.rejected > 0 {
            format!("; {} rejected (drawn values outside a field's range)", res.rejected)
        } else {
            String::new()
        }
    ));
    let Some(v) = res.variants.get(variant) else { return };
    egui::Grid::new("mc_fy").striped(true).show(ui, |ui| {
        for h in ["fiscal year", "P10", "P50", "P90", "budget", "exceeded on"] {
            ui.strong(h);
        }
        ui.end_row();
        for fy in &v.fiscal_years {
            ui.label(&fy.label);
            for p in PERCENTILES {
                ui.label(fy.cost.at(p).map_or(String::new(), usd0));
            }
            ui.label(fy.budget_usd.map_or("—".to_string(), usd0));
            ui.label(fy.p_exceed.map_or("—".to_string(), |p| format!("{:.1} % of paths", p * 100.0)));
            ui.end_row();
        }
    });
    ui.label(match v.capacity_limit_month {
        Some(m) => format!(
            "Capacity limit (a pool at maxNodes or no database class big enough) by month {m} ({}) with {:.0} % confidence",
            res.months[m as usize - 1],
            res.confidence * 100.0
        ),
        None => format!(
            "No capacity limit within the horizon at {:.0} % confidence ({:.1} % of paths hit one)",
            res.confidence * 100.0,
            v.p_capacity_limit * 100.0
        ),
    });
    ui.heading("Monthly cost (amortised)");
    band_plot(ui, "mc_cost", res, &v.cost, "USD");
    ui.heading("Users");
    band_plot(ui, "mc_users", res, &res.users, "users");
}

fn band_plot(ui: &mut egui::Ui, id: &str, res: &McReport, bands: &[Band], unit: &str) {
    let x = |i: usize| (i + 1) as f64;
    let series =
        |p: f64| -> Vec<[f64; 2]> { bands.iter().enumerate().filter_map(|(i, b)| Some([x(i), b.at(p)?])).collect() };
    let (lo, mid, hi) = (series(10.0), series(50.0), series(90.0));
    Plot::new(id)
        .legend(Legend::default())
        .height(200.0)
        .x_axis_label("month")
        .x_axis_formatter(super::month_axis(res.months[0]))
        .y_axis_label(unit)
        .show(ui, |p| {
            // One convex quadrilateral per month step (a polygon fill must be convex).
            let color = egui::Color32::from_rgba_unmultiplied(90, 140, 220, 60);
            for i in 1..lo.len().min(hi.len()) {
                let quad = vec![lo[i - 1], hi[i - 1], hi[i], lo[i]];
                p.polygon(Polygon::new("P10–P90", PlotPoints::from(quad)).fill_color(color).stroke(egui::Stroke::NONE));
            }
            p.line(Line::new("P50", PlotPoints::from(mid)));
        });
}
