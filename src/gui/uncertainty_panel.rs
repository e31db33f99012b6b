//! Uncertainty panel: runs the Monte Carlo in the background (progress, cancel) and draws its
//! bands — monthly cost and users, P10–P90 around the median — with budget exceedance per fiscal
//! year and the month a capacity limit is hit.

use egui_plot::{Bar, BarChart, Legend, Line, Plot, PlotPoints, Polygon};

use super::{Command, McState};
use crate::engine::report::Report;
use crate::output::render::usd0;
use crate::uncertainty::montecarlo::{Band, McReport, VariantBands};

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
        let mut follow = mc.follow;
        if ui
            .checkbox(&mut follow, "Keep up to date")
            .on_hover_text("After the first run, run again whenever the scenario changes")
            .changed()
        {
            commands.push(Command::FollowMonteCarlo(follow));
        }
    });
    if let Some(e) = &mc.error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    let Some(res) = &mc.result else {
        ui.weak(
            "Draws the scenario's uncertainty.inputs on every path (nodes billed as the plan bills them) and shows the spread. Edit them in the Assumptions tab or the scenario file.",
        );
        return;
    };
    if mc.stale {
        if mc.follow && mc.running.is_some() {
            ui.weak("Updating for the changed scenario…");
        } else {
            ui.weak("These results are for an earlier version of the scenario: run again to refresh them.");
        }
    }
    ui.label(format!(
        "{}{}",
        crate::output::render::mc_summary(res),
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
    ui.label(crate::output::render::capitalise(&crate::output::render::cheapest_text(v, res.months.len())));
    ui.heading("Monthly cost (amortised)");
    band_plot(ui, "mc_cost", res, &v.cost, "USD");
    if !v.swings.is_empty() {
        swings(ui, res, v);
    }
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

/// What moves the cost over the horizon: a tornado (each input alone at its P10 and P90, bars
/// from the cost as written) and the same figures as a table.
fn swings(ui: &mut egui::Ui, res: &McReport, v: &VariantBands) {
    let (lo, hi) = crate::uncertainty::montecarlo::SWING_PERCENTILES;
    ui.heading(format!("What moves the {}-month cost", res.months.len()));
    ui.weak(format!(
        "Each input alone at its P{lo} and P{hi}, every other input as written; the bars start from the plan's total ({}).",
        usd0(v.horizon_usd)
    ));
    let n = v.swings.len();
    // The largest swing on top.
    let y = |i: usize| (n - i) as f64;
    let bars = |high: bool| -> Vec<Bar> {
        v.swings
            .iter()
            .enumerate()
            .filter_map(|(i, w)| {
                let usd = if high { w.high_usd } else { w.low_usd }?;
                let at = if high { w.high_value } else { w.low_value };
                Some(
                    Bar::new(y(i), usd - v.horizon_usd)
                        .base_offset(v.horizon_usd)
                        .name(format!("{} = {}", w.input, crate::output::render::sig(at)))
                        .width(0.6),
                )
            })
            .collect()
    };
    let names: Vec<String> = v.swings.iter().map(|w| w.input.clone()).collect();
    Plot::new("mc_swings")
        .legend(Legend::default().position(egui_plot::Corner::RightBottom))
        .x_axis_formatter(|m, _| usd0(m.value))
        .height(40.0 + 36.0 * n as f32)
        .x_axis_label("USD over the horizon")
        .y_axis_formatter(move |m, _| {
            let i = n as f64 - m.value;
            if (i - i.round()).abs() < 1e-9 && i >= 0.0 {
                names.get(i.round() as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_axis_min_width(180.0)
        .allow_scroll(false)
        .show(ui, |p| {
            p.bar_chart(
                BarChart::new(format!("input at P{lo}"), bars(false))
                    .horizontal()
                    .color(egui::Color32::from_rgb(90, 140, 220)),
            );
            p.bar_chart(
                BarChart::new(format!("input at P{hi}"), bars(true))
                    .horizontal()
                    .color(egui::Color32::from_rgb(230, 140, 60)),
            );
        });
    egui::Grid::new("mc_swings_table").striped(true).show(ui, |ui| {
        for h in [
            "input".to_string(),
            format!("P{lo}"),
            format!("P{hi}"),
            format!("cost at P{lo}"),
            format!("cost at P{hi}"),
        ] {
            ui.strong(h);
        }
        ui.end_row();
        for w in &v.swings {
            ui.label(&w.input);
            ui.label(crate::output::render::sig(w.low_value));
            ui.label(crate::output::render::sig(w.high_value));
            ui.label(w.low_usd.map_or("out of range".to_string(), usd0));
            ui.label(w.high_usd.map_or("out of range".to_string(), usd0));
            ui.end_row();
        }
    });
}
