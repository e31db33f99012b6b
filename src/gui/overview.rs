//! Overview panel: what-if sliders, key figures per variant (with deltas against a pinned
//! baseline), the monthly cost chart, warnings.

use egui_plot::{Legend, Line, Plot, PlotPoints};

use super::Command;
use crate::engine::report::{Report, deltas};
use crate::output::render::usd0;
use crate::scenario::model::{Role, Scenario};

/// Labels of the what-if sliders (tests find them by these).
pub const GROWTH: &str = "Annual growth";
pub const USERS: &str = "Concurrent users at start";
pub const REQUESTS: &str = "Peak requests per user per s";
pub const TARGET: &str = "Target CPU utilisation";
pub const STANDBY: &str = "DR standby scale";
pub const COVERAGE: &str = "Reserved coverage of month-1 nodes";

fn signed(v: f64) -> String {
    if v >= 0.0 { format!("+{}", usd0(v)) } else { usd0(v) }
}

pub fn ui(
    ui: &mut egui::Ui,
    s: &Scenario,
    r: &Report,
    baseline: Option<&Report>,
    coverage: f64,
    commands: &mut Vec<Command>,
) {
    ui.heading("What if");
    ui.horizontal_wrapped(|ui| {
        let mut g = s.demand.annual_growth * 100.0;
        if ui.add(egui::Slider::new(&mut g, -50.0..=100.0).suffix(" %/yr").text(GROWTH)).changed() {
            commands.push(Command::SetGrowth(g / 100.0));
        }
        let mut u = s.demand.concurrent_users;
        if ui.add(egui::Slider::new(&mut u, 100.0..=20_000.0).logarithmic(true).text(USERS)).changed() {
            commands.push(Command::SetUsers(u.round()));
        }
        let mut q = s.workload.peak_requests_per_user_per_s;
        if ui.add(egui::Slider::new(&mut q, 0.01..=2.0).logarithmic(true).text(REQUESTS)).changed() {
            commands.push(Command::SetRequestsPerUser(q));
        }
    });
    ui.horizontal_wrapped(|ui| {
        for (i, sv) in s.workload.services.iter().enumerate() {
            let mut ms = sv.cpu_ms_per_request;
            if ui
                .add(
                    egui::Slider::new(&mut ms, 0.5..=500.0)
                        .logarithmic(true)
                        .suffix(" ms")
                        .text(format!("CPU per request: {}", sv.name)),
                )
                .changed()
            {
                commands.push(Command::SetCpuMs(i, ms));
            }
        }
    });
    ui.horizontal_wrapped(|ui| {
        let mut t = s.workload.services.first().map_or(0.7, |x| x.target_cpu_utilization) * 100.0;
        if ui.add(egui::Slider::new(&mut t, 10.0..=100.0).suffix(" %").text(TARGET)).changed() {
            commands.push(Command::SetTargetUtilization(t / 100.0));
        }
        let standby = s
            .variants
            .iter()
            .flat_map(|v| &v.sites)
            .find_map(|x| if let Role::WarmStandby(f) = x.role { Some(f) } else { None });
        if let Some(f) = standby {
            let mut f = f * 100.0;
            if ui.add(egui::Slider::new(&mut f, 1.0..=100.0).suffix(" %").text(STANDBY)).changed() {
                commands.push(Command::SetStandbyScale(f / 100.0));
            }
        }
        let mut cov = coverage * 100.0;
        if ui.add(egui::Slider::new(&mut cov, 0.0..=100.0).suffix(" %").text(COVERAGE)).changed() {
            commands.push(Command::SetCommitmentCoverage(cov / 100.0));
        }
        if let Some(pool) = s.cluster.node_pools.first() {
            egui::ComboBox::from_label("Instance type").selected_text(&pool.instance_type).show_ui(ui, |ui| {
                for t in crate::Catalog::builtin().ec2.keys() {
                    if ui.selectable_label(*t == pool.instance_type, t).clicked() {
                        commands.push(Command::SetInstanceType(t.clone()));
                    }
                }
            });
        }
    });

    ui.add_space(8.0);
    ui.heading("Variants");
    // The decision, as every front end words it (complete variants only).
    ui.strong(&r.comparison.decision);
    let d = baseline.map(|b| deltas(r, b));
    egui::Grid::new("variants").striped(true).num_columns(13).show(ui, |ui| {
        for h in [
            "variant",
            "nodes m1",
            "DB m1",
            "month 1",
            "nodes m60",
            "DB m60",
            "last month",
            "total",
            "vs baseline",
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
            ui.label(&v.name);
            ui.label(first.nodes().to_string());
            ui.label(first.db_class().unwrap_or("-"));
            ui.label(usd0(first.total_usd));
            ui.label(last.nodes().to_string());
            ui.label(last.db_class().unwrap_or("-"));
            ui.label(usd0(last.total_usd));
            let c = &v.completeness;
            if c.complete {
                ui.label(usd0(v.total_usd)).on_hover_text("complete: every line priced");
            } else {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!("{} ({})", c.amount(usd0(v.total_usd)), c.status()),
                )
                .on_hover_text(c.fill_list().join("\n"));
            }
            match d.as_ref().and_then(|d| d.iter().find(|x| x.variant == v.name)) {
                Some(x) => ui.label(format!("{} total, {} in month 60", signed(x.total_usd), signed(x.last_month_usd))),
                None => ui.weak(if baseline.is_some() { "not in baseline" } else { "no baseline" }),
            };
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
                if m.all {
                    ui.colored_label(egui::Color32::from_rgb(80, 170, 90), "all met");
                } else {
                    let missed: Vec<&str> = [(m.availability, "A"), (m.rto, "RTO"), (m.rpo, "RPO")]
                        .iter()
                        .filter(|(ok, _)| !ok)
                        .map(|(_, w)| *w)
                        .collect();
                    ui.colored_label(ui.visuals().error_fg_color, format!("misses {}", missed.join(", ")));
                }
            }
            ui.end_row();
        }
    });

    ui.add_space(8.0);
    ui.heading("Monthly cost (amortised)");
    Plot::new("cost")
        .legend(Legend::default())
        .height(260.0)
        .x_axis_label("month")
        .x_axis_formatter(super::month_axis(r.start))
        .y_axis_label("USD / month")
        .y_axis_formatter(|m, _| crate::money::usd0(m.value))
        .allow_scroll(false)
        .show(ui, |p| {
            for v in &r.variants {
                let pts: PlotPoints = v.months.iter().map(|m| [f64::from(m.index + 1), m.total_usd]).collect();
                // An incomplete variant's line is its known amount only: dotted, and said so.
                if v.completeness.complete {
                    p.line(Line::new(v.name.clone(), pts));
                } else {
                    p.line(
                        Line::new(format!("{} (known amount only)", v.name), pts)
                            .style(egui_plot::LineStyle::dotted_dense()),
                    );
                }
            }
            if let Some(b) = baseline {
                for v in &b.variants {
                    let pts: PlotPoints = v.months.iter().map(|m| [f64::from(m.index + 1), m.total_usd]).collect();
                    p.line(
                        Line::new(format!("{} (baseline)", v.name), pts).style(egui_plot::LineStyle::dashed_loose()),
                    );
                }
            }
        });

    if !r.warnings.is_empty() {
        ui.add_space(8.0);
        ui.heading(format!("Warnings ({})", r.warnings.len()));
        // Grouped by kind, each group folded with its count (kinds in a fixed order).
        let mut kinds: Vec<crate::engine::report::WarningKind> = r.warnings.iter().map(|w| w.kind).collect();
        kinds.sort();
        kinds.dedup();
        for k in kinds {
            let of_kind: Vec<_> = r.warnings.iter().filter(|w| w.kind == k).collect();
            egui::CollapsingHeader::new(format!("{} ({})", k.label(), of_kind.len())).id_salt(format!("{k:?}")).show(
                ui,
                |ui| {
                    for w in of_kind {
                        ui.label(format!("[{}] month {} ({}): {}", w.variant, w.first_month, w.month, w.message));
                    }
                },
            );
        }
    }
}
