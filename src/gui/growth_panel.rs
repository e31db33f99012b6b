//! Growth panel: users over time, with the scenario's dated events marked.

use egui_plot::{Legend, Line, Plot, PlotPoints, VLine};

use crate::engine::report::Report;
use crate::scenario::model::{Change, Scenario};

pub fn ui(ui: &mut egui::Ui, s: &Scenario, r: &Report) {
    ui.heading("Concurrent users");
    ui.label(format!(
        "{:.0} users at the start, +{:.0} %/yr compounding monthly; {} events.",
        s.demand.concurrent_users,
        s.demand.annual_growth * 100.0,
        s.demand.events.len()
    ));
    Plot::new("users")
        .legend(Legend::default())
        .height(320.0)
        .x_axis_label("month")
        .x_axis_formatter(super::month_axis(r.start))
        .y_axis_label("concurrent users")
        .show(ui, |p| {
            let series = |f: &dyn Fn(&crate::engine::demand::MonthDemand) -> f64| -> PlotPoints {
                r.demand.iter().map(|d| [f64::from(d.index + 1), f(d)]).collect()
            };
            p.line(Line::new("trend (growth and events)", series(&|d| d.users)));
            p.line(Line::new("peak hour (× seasonality)", series(&|d| d.peak_users)));
            p.line(Line::new("day average (× diurnal mean)", series(&|d| d.avg_users)));
            for e in &s.demand.events {
                let m = f64::from(s.meta.start.months_until(e.month) as i32 + 1);
                let what = match e.change {
                    Change::Add(n) => format!("{n:+.0} users"),
                    Change::Multiply(f) => format!("× {f}"),
                };
                p.vline(VLine::new(format!("{} {what} {}", e.month, e.note), m));
            }
        });
    egui::Grid::new("growth").striped(true).num_columns(4).show(ui, |ui| {
        for h in ["month", "users", "peak", "average"] {
            ui.strong(h);
        }
        ui.end_row();
        for d in r.demand.iter().filter(|d| d.index % 12 == 0 || d.index + 1 == r.horizon_months) {
            ui.label(format!("{} ({})", d.index + 1, d.month));
            ui.label(format!("{:.0}", d.users));
            ui.label(format!("{:.0}", d.peak_users));
            ui.label(format!("{:.0}", d.avg_users));
            ui.end_row();
        }
    });
}
