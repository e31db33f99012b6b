//! Capacity panel: replicas per service and nodes per site, month by month, for one variant.

use egui_plot::{Legend, Line, Plot, PlotPoints};

use super::Command;
use crate::engine::plan::DayTrace;
use crate::engine::report::Report;

pub fn ui(
    ui: &mut egui::Ui,
    r: &Report,
    variant: usize,
    day_month: u32,
    day: Option<&Result<DayTrace, String>>,
    commands: &mut Vec<Command>,
) {
    let Some(v) = r.variants.get(variant) else { return };
    super::variant_picker(ui, r, variant, commands);
    let sites: Vec<&str> = v.months.first().map_or(Vec::new(), |m| m.sites.iter().map(|s| &*s.site).collect());
    ui.heading("Nodes per site (peak sizing; AWS serving sites bill simulated node-hours)");
    Plot::new("nodes")
        .legend(Legend::default())
        .height(220.0)
        .x_axis_label("month")
        .x_axis_formatter(super::month_axis(r.start))
        .y_axis_label("nodes")
        .show(ui, |p| {
            for site in &sites {
                let pts: PlotPoints = v
                    .months
                    .iter()
                    .map(|m| {
                        [
                            f64::from(m.index + 1),
                            f64::from(m.sites.iter().find(|s| &*s.site == *site).map_or(0, |s| s.nodes())),
                        ]
                    })
                    .collect();
                p.line(Line::new(format!("{site} nodes"), pts));
            }
        });
    ui.heading("Replicas per service (primary site)");
    Plot::new("replicas")
        .legend(Legend::default())
        .height(220.0)
        .x_axis_label("month")
        .x_axis_formatter(super::month_axis(r.start))
        .y_axis_label("replicas")
        .show(ui, |p| {
            let services: Vec<&str> = v
                .months
                .first()
                .and_then(|m| m.sites.first())
                .map_or(Vec::new(), |s| s.services.iter().map(|x| &*x.service).collect());
            for sv in services {
                let pts: PlotPoints = v
                    .months
                    .iter()
                    .map(|m| {
                        [
                            f64::from(m.index + 1),
                            f64::from(
                                m.sites
                                    .first()
                                    .and_then(|s| s.services.iter().find(|x| &*x.service == sv))
                                    .map_or(0, |x| x.replicas),
                            ),
                        ]
                    })
                    .collect();
                p.line(Line::new(sv.to_string(), pts));
                // The fewest replicas meeting the service's latency objective, if it has one.
                let idx = v
                    .months
                    .first()
                    .and_then(|m| m.sites.first())
                    .and_then(|s| s.services.iter().position(|x| &*x.service == sv && x.latency.is_some()));
                if let Some(i) = idx {
                    let slo: PlotPoints = v
                        .months
                        .iter()
                        .filter_map(|m| {
                            let l = m.sites.first()?.services.get(i)?.latency.as_ref()?;
                            Some([f64::from(m.index + 1), f64::from(l.min_replicas?)])
                        })
                        .collect();
                    p.line(
                        Line::new(format!("{sv} (fewest for its latency objective)"), slo)
                            .style(egui_plot::LineStyle::dashed_loose()),
                    );
                }
            }
        });
    resize_ui(ui, v);
    latency_ui(ui, v, day_month);
    day_ui(ui, r, day_month, day, commands);
}

/// The variant's resize events: database class, cache shards, on-prem hardware.
fn resize_ui(ui: &mut egui::Ui, v: &crate::engine::report::VariantPlan) {
    ui.heading(format!("Resize events ({})", v.resize_events.len()));
    if v.resize_events.is_empty() {
        ui.weak("No database, cache or on-prem hardware change within the horizon.");
        return;
    }
    ui.weak("Database and cache follow data.resize (up when a month's peak needs it, down only after the need has stayed lower); on-prem hardware is kept until its refresh.");
    egui::Grid::new("resize").striped(true).num_columns(6).show(ui, |ui| {
        for h in ["month", "site", "what", "from", "to", "why"] {
            ui.strong(h);
        }
        ui.end_row();
        for e in &v.resize_events {
            ui.label(format!("{} ({})", e.month, e.date));
            ui.label(e.site.as_str());
            ui.label(e.resource.label());
            ui.label(&e.from);
            ui.label(&e.to);
            ui.label(&e.reason);
            ui.end_row();
        }
    });
}

/// Each serving site's latency objectives in the chosen month.
fn latency_ui(ui: &mut egui::Ui, v: &crate::engine::report::VariantPlan, day_month: u32) {
    let Some(m) = v.months.get(day_month.saturating_sub(1) as usize) else { return };
    let checks: Vec<String> = m
        .sites
        .iter()
        .flat_map(|s| {
            s.services.iter().filter_map(move |x| {
                let l = x.latency.as_ref()?;
                Some(format!(
                    "{} / {}: p{} ≤ {} ms at the {} peak — {} with the HPA's {} replicas ({}), fewest meeting it: {} [{}; {} ms not CPU included]",
                    s.site,
                    x.service,
                    l.percentile * 100.0,
                    l.slo_ms,
                    m.month,
                    l.at_replicas_ms.map_or("unstable".to_string(), |t| format!("{t:.0} ms")),
                    x.replicas,
                    if l.met { "met" } else { "MISSED" },
                    l.min_replicas.map_or("none (CPU time too long)".to_string(), |r| r.to_string()),
                    l.model,
                    l.non_cpu_ms
                ))
            })
        })
        .collect();
    if checks.is_empty() {
        return;
    }
    ui.heading("Latency objectives (queueing model at the peak; headroom queue simulates it)");
    for c in checks {
        ui.label(c);
    }
}

/// One month's simulated day: load, then replicas, nodes and pending pods, every HPA sync.
fn day_ui(
    ui: &mut egui::Ui,
    r: &Report,
    day_month: u32,
    day: Option<&Result<DayTrace, String>>,
    commands: &mut Vec<Command>,
) {
    ui.separator();
    ui.horizontal(|ui| {
        ui.heading("A simulated day");
        let mut m = day_month;
        let resp = ui.add(
            egui::Slider::new(&mut m, 1..=r.horizon_months.max(1))
                .text("Month of the day")
                .custom_formatter(|v, _| format!("{} ({})", v, r.start.plus(v as u32 - 1))),
        );
        if resp.changed() && m != day_month {
            commands.push(Command::SetDayMonth(m));
        }
    });
    let d = match day {
        None => return,
        Some(Err(e)) => {
            ui.weak(e.as_str());
            return;
        }
        Some(Ok(d)) => d,
    };
    let res = &d.result;
    ui.label(format!(
        "{} at {}: peak {:.1} user requests/s; HPA and cluster autoscaler as set in cluster.autoscaling",
        d.site, d.month, d.peak_rps
    ));
    for (name, p) in d.pools.iter().zip(&res.pools) {
        let billed = r
            .variants
            .iter()
            .find(|v| v.name == d.variant)
            .and_then(|v| v.months.get(d.month_index as usize))
            .and_then(|m| m.sites.iter().find(|s| *s.site == *d.site))
            .and_then(|s| s.pools.iter().find(|q| *q.pool == **name));
        let vs = billed.map_or(String::new(), |q| {
            format!(
                "; static peak sizing would bill {:.0} node-h/day ({:+.0} %)",
                q.static_node_hours() * 24.0 / crate::catalog::HOURS_PER_MONTH,
                (p.node_hours / f64::from(res.days) / (q.static_node_hours() * 24.0 / crate::catalog::HOURS_PER_MONTH)
                    - 1.0)
                    * 100.0
            )
        });
        ui.label(format!(
            "pool {name}: {}–{} nodes, {:.1} node-h/day, {} scale-ups, {} nodes removed{vs}",
            p.min_nodes_seen,
            p.peak_nodes,
            p.node_hours / f64::from(res.days),
            p.scale_ups,
            p.nodes_removed
        ));
    }
    for (name, s) in d.services.iter().zip(&res.services) {
        ui.label(format!(
            "{name}: {}–{} replicas, CPU of request P50 {:.0} % / P95 {:.0} % / P99 {:.0} %, {:.0} min at maxReplicas, {:.0} min saturated, {:.0} pod-min pending",
            s.min_replicas_seen,
            s.peak_replicas,
            s.cpu_utilization_p50,
            s.cpu_utilization_p95,
            s.cpu_utilization_p99,
            s.minutes_at_max,
            s.saturated_minutes,
            s.pending_pod_minutes
        ));
    }
    let hours = |t: u32| f64::from(t) / 3600.0;
    Plot::new("day_load")
        .legend(Legend::default())
        .height(160.0)
        .x_axis_label("hour")
        .y_axis_label("user requests/s")
        .show(ui, |p| {
            let pts: PlotPoints = res.trace.iter().map(|t| [hours(t.t_s), t.load_rps]).collect();
            p.line(Line::new("load", pts));
        });
    Plot::new("day_capacity").legend(Legend::default()).height(220.0).x_axis_label("hour").y_axis_label("count").show(
        ui,
        |p| {
            for (i, name) in d.services.iter().enumerate() {
                let pts: PlotPoints = res.trace.iter().map(|t| [hours(t.t_s), f64::from(t.replicas[i])]).collect();
                p.line(Line::new(format!("{name} replicas"), pts));
            }
            for (i, name) in d.pools.iter().enumerate() {
                let pts: PlotPoints = res.trace.iter().map(|t| [hours(t.t_s), f64::from(t.nodes[i])]).collect();
                p.line(Line::new(format!("{name} nodes"), pts).width(2.5));
            }
            let pts: PlotPoints = res.trace.iter().map(|t| [hours(t.t_s), f64::from(t.pending)]).collect();
            p.line(Line::new("pending pods", pts));
        },
    );
}
