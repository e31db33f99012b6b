//! Text renderings of a [`Report`]: terminal tables, CSV and JSON. Pure functions of the report:
//! they format, they never compute capacity or cost.

use std::fmt::Write as _;

use crate::engine::plan::QueryError;
use crate::engine::report::{Report, VariantMonth, VariantPlan, View};
use crate::output::export::ExportError;
use crate::scenario::model::Category;

pub use crate::money::{usd, usd0};

/// A report restricted to one variant and/or one month (1-based).
pub fn select(report: &Report, variant: Option<&str>, month: Option<u32>) -> Result<Report, QueryError> {
    let mut r = report.clone();
    if let Some(name) = variant {
        r.variants.retain(|v| v.name == name);
        if r.variants.is_empty() {
            let known = report.variants.iter().map(|v| v.name.clone()).collect();
            return Err(QueryError::UnknownVariant { name: name.to_string(), known });
        }
        r.warnings.retain(|w| w.variant == name);
        r.recommendations.retain(|x| x.variant == name);
        r.resilience.retain(|x| x.variant == name);
        r.reference_checks.retain(|c| c.variant == name);
    }
    if let Some(m) = month {
        if m < 1 || m > report.horizon_months {
            return Err(QueryError::MonthOption { month: m, horizon: report.horizon_months });
        }
        let i = m - 1;
        r.demand.retain(|d| d.index == i);
        for v in &mut r.variants {
            v.months.retain(|x| x.index == i);
        }
    }
    Ok(r)
}

fn nodes(m: &VariantMonth) -> String {
    m.sites.iter().filter(|s| !s.pools.is_empty()).map(|s| s.nodes().to_string()).collect::<Vec<_>>().join("+")
}

fn db(m: &VariantMonth) -> String {
    m.db_class().unwrap_or("-").to_string()
}

const SHORT: [&str; 9] = ["Compute", "Database", "Storage", "DR", "Sec&Mon", "Network", "Cache", "Connect", "Other"];

/// Month-by-month table per variant.
pub fn table(report: &Report, view: View) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} months from {} ({})",
        report.scenario, report.horizon_months, report.start, report.currency
    );
    for v in &report.variants {
        let _ = writeln!(out, "\n== {} ==", v.name);
        if !v.description.is_empty() {
            let _ = writeln!(out, "{}", v.description);
        }
        let _ = write!(out, "{:>5} {:>7} {:>8} {:>6} {:<13}", "month", "", "users", "nodes", "db");
        for s in SHORT {
            let _ = write!(out, " {s:>9}");
        }
        let _ = writeln!(out, " {:>10} {:>4}", "total", "unk");
        for m in &v.months {
            let d = &report.demand[report.demand.iter().position(|d| d.index == m.index).unwrap_or(0)];
            let _ = write!(
                out,
                "{:>5} {:>7} {:>8.0} {:>6} {:<13}",
                m.index + 1,
                m.month.to_string(),
                d.peak_users,
                nodes(m),
                db(m)
            );
            for c in Category::ALL {
                let _ = write!(out, " {:>9}", usd0(m.category(c)));
            }
            let total = if view == View::Cash { m.cash_usd } else { m.total_usd };
            let _ = writeln!(out, " {:>10} {:>4}", usd0(total), m.unknown_lines);
        }
        summary(&mut out, v, view, report.reporting_currency.as_ref());
    }
    if !report.reference_checks.is_empty() {
        let _ = writeln!(out, "\nAgainst the reference estimate (month 1):");
        for c in &report.reference_checks {
            let unk = if c.plan_unknown_lines > 0 {
                format!(" + {} unknown lines", c.plan_unknown_lines)
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "  {:<44} {:>9} – {:<9} plan {:>9}{unk}  {}  [{}: {}]",
                c.label,
                usd0(c.low_usd),
                usd0(c.high_usd),
                usd0(c.plan_usd),
                c.verdict.label().to_uppercase(),
                c.variant,
                c.source
            );
        }
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(out, "\nWarnings:");
        for w in &report.warnings {
            let _ = writeln!(out, "  [{}] month {} ({}): {}", w.variant, w.first_month, w.month, w.message);
        }
    }
    out
}

fn summary(out: &mut String, v: &VariantPlan, view: View, fx: Option<&crate::scenario::model::CurrencyRate>) {
    let (Some(first), Some(last)) = (v.months.first(), v.months.last()) else {
        return;
    };
    let t = |m: &crate::engine::report::VariantMonth| if view == View::Cash { m.cash_usd } else { m.total_usd };
    let _ = writeln!(
        out,
        "   {} view: month {} {}, month {} {}, total over {} months {}{}",
        if view == View::Cash { "cash" } else { "amortised" },
        first.index + 1,
        usd0(t(first)),
        last.index + 1,
        usd0(t(last)),
        v.months.len(),
        v.completeness.amount(usd0(if view == View::Cash { v.total_cash_usd } else { v.total_usd })),
        if v.completeness.complete { String::new() } else { format!(" ({})", v.completeness.status()) }
    );
    for fy in &v.fiscal_years {
        let conv = match (fy.converted, fx) {
            (Some((a, c)), Some(r)) => format!(
                "  = {} {:.0} amortised / {:.0} cash at {} per USD ({}, {})",
                r.code, a, c, r.per_usd, r.as_of, r.source
            ),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "   {} ({} months from {}): amortised {}, cash {}, of which CAPEX {}{conv}",
            fy.label(),
            fy.months,
            fy.first_month,
            usd0(fy.amortised_usd),
            usd0(fy.cash_usd),
            usd0(fy.capex_usd)
        );
    }
    let _ = write!(out, "{}", resize_text(v));
}

/// A variant's resize events, one per line under a heading (empty when none).
pub fn resize_text(v: &VariantPlan) -> String {
    let mut out = String::new();
    if v.resize_events.is_empty() {
        return out;
    }
    let _ = writeln!(out, "   resize events (data.resize policy; on-prem hardware kept until refresh):");
    for e in &v.resize_events {
        let _ = writeln!(out, "     {}", resize_line(e));
    }
    out
}

/// "month 27 (2029-03) aws-primary database db.r5.large → db.m5.xlarge: CPU: 2.1 vCPU needed > 2".
pub fn resize_line(e: &crate::engine::report::ResizeEvent) -> String {
    format!("month {} ({}) {} {} {} → {}: {}", e.month, e.date, e.site, e.resource.label(), e.from, e.to, e.reason)
}

/// Reserved-instance coverage the sized node-hours justify.
pub fn recommendations(report: &Report) -> String {
    let mut out = String::new();
    let useful: Vec<_> = report.recommendations.iter().filter(|r| r.is_useful()).collect();
    if useful.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "\nReservation recommendations (from the planned node-hours; reserved rate ÷ on-demand = break-even use):"
    );
    for r in useful.iter().filter(|r| r.kind == crate::engine::recommend::RecommendationKind::Reserved) {
        let _ = writeln!(
            out,
            "  [{}] {} {} × {} {}-yr No Upfront from {} ({} months): saves {} (break-even {:.0} % use; ${}/h vs ${}/h, {})",
            r.variant,
            r.region,
            r.count,
            r.instance_type,
            r.term_years,
            r.from,
            r.months,
            usd0(r.saving_usd),
            r.break_even_utilization * 100.0,
            r.reserved_usd_per_hour,
            r.on_demand_usd_per_hour,
            r.rate_source
        );
    }
    for r in useful.iter().filter(|r| r.kind == crate::engine::recommend::RecommendationKind::SavingsPlan) {
        let _ = writeln!(
            out,
            "  [{}] Compute Savings Plan from {} ({} months): commit ${:.3}/h to cover ${:.3}/h of on-demand EC2, saves {} (break-even {:.0} % use; {})",
            r.variant,
            r.from,
            r.months,
            r.commit_usd_per_hour,
            r.on_demand_usd_per_hour,
            usd0(r.saving_usd),
            r.break_even_utilization * 100.0,
            r.rate_source
        );
    }
    out
}

/// Everything about one month of each variant: sizing and every cost line with its price source.
pub fn month_detail(report: &Report, view: View) -> String {
    let mut out = String::new();
    for v in &report.variants {
        for m in &v.months {
            let _ = writeln!(out, "== {} — month {} ({}) ==", v.name, m.index + 1, m.month);
            if let Some(d) = report.demand.iter().find(|d| d.index == m.index) {
                let _ = writeln!(
                    out,
                    "users: {:.0} (peak hour {:.0}, day average {:.0})",
                    d.users, d.peak_users, d.avg_users
                );
            }
            for s in &m.sites {
                let _ = writeln!(out, "\n[{}] {:?}, load {:.0} %", s.site, s.role, s.load_fraction * 100.0);
                for sv in &s.services {
                    let _ = writeln!(
                        out,
                        "  service {:<10} {:>8.1} rps  cpu {:>7.0}m  replicas {:>3} (by {}{}){}",
                        sv.service,
                        sv.peak_rps,
                        sv.cpu_demand_m,
                        sv.replicas,
                        sv.bound_by,
                        if sv.at_max_replicas { ", AT maxReplicas" } else { "" },
                        sv.latency.as_ref().map_or(String::new(), latency_text)
                    );
                }
                for p in &s.pools {
                    let _ = writeln!(
                        out,
                        "  pool {:<10} {} × {} ({:?} per zone), packed {}, pods {}, CPU requests {:.0} %, memory {:.0} %, allocatable {:.0}m / {:.0} MiB / {} pods",
                        p.pool,
                        p.nodes,
                        p.instance_type,
                        p.nodes_per_zone,
                        p.packed_nodes,
                        p.pods,
                        p.cpu_request_utilization * 100.0,
                        p.memory_request_utilization * 100.0,
                        p.allocatable_cpu_m,
                        p.allocatable_memory_mib,
                        p.max_pods
                    );
                }
                if let Some(sim) = &s.simulation {
                    simulation_lines(&mut out, sim, s);
                }
                if let Some(d) = &s.database {
                    let _ = writeln!(
                        out,
                        "  database {}{} ({} vCPU, {} GiB): needs {:.2} vCPU, {:.1} GiB, {} connections (max {}); chosen by {}; {:.0} GB data, {:.0} GB provisioned",
                        d.class,
                        if d.multi_az { " Multi-AZ" } else { "" },
                        d.vcpu,
                        d.memory_gib,
                        d.cpu_needed_vcpu,
                        d.memory_needed_gib,
                        d.connections_needed,
                        d.max_connections,
                        d.bound_by,
                        d.data_gb,
                        d.provisioned_gb
                    );
                }
                if let Some(c) = &s.cache {
                    let _ = writeln!(
                        out,
                        "  cache {} × {} ({} shards), needs {:.0} MiB",
                        c.nodes, c.node_type, c.shards, c.memory_needed_mib
                    );
                }
            }
            let _ = writeln!(
                out,
                "\n{:<16} {:<22} {:<46} {:>14} {:<16} {:>11} {:>11}  source",
                "site", "category", "item", "quantity", "unit", "unit price", "cost"
            );
            for l in
                m.lines.iter().filter(|l| if view == View::Cash { l.view.in_cash() } else { l.view.in_amortised() })
            {
                let src = l.price.map_or_else(
                    || l.basis.to_string(),
                    |i| {
                        let p = &report.prices[i as usize];
                        format!(
                            "{} {} {}{}",
                            p.source,
                            p.as_of,
                            p.confidence.map_or("GAP".into(), |c| format!("[{c:?}]")),
                            if p.note.is_empty() { String::new() } else { format!(" — {}", p.note) }
                        )
                    },
                );
                let _ = writeln!(
                    out,
                    "{:<16} {:<22} {:<46} {:>14.2} {:<16} {:>11} {:>11}  {}",
                    if l.site.is_empty() { "(variant)" } else { &l.site },
                    l.category.label(),
                    l.item,
                    l.quantity,
                    l.unit,
                    l.unit_usd.map_or("unknown".into(), crate::money::unit_usd),
                    l.usd.map_or("unknown".into(), usd),
                    src
                );
            }
            let _ = writeln!(
                out,
                "\ntotal (known prices): {}{}\n",
                usd(m.total_usd),
                if m.unknown_lines > 0 {
                    format!(" + {} lines with unknown prices", m.unknown_lines)
                } else {
                    String::new()
                }
            );
        }
    }
    out
}

/// One row per variant × month: users, nodes, database class, cost per category, total.
pub fn csv(report: &Report) -> Result<String, ExportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "variant".to_string(),
        "month_index".into(),
        "month".into(),
        "users".into(),
        "peak_users".into(),
        "nodes".into(),
        "db_class".into(),
    ];
    header.extend(Category::ALL.iter().map(|c| format!("{}_usd", c.label())));
    header.extend(["total_usd".to_string(), "unknown_lines".into()]);
    w.write_record(&header).map_err(|e| ExportError::Csv(e.to_string()))?;
    for v in &report.variants {
        // Categories from the displayed line cents: they add up to the total as shown.
        let cents = crate::output::export::displayed_cents(v);
        for (m, cents) in v.months.iter().zip(&cents) {
            let d = report.demand.iter().find(|d| d.index == m.index);
            let mut row = vec![
                crate::output::export::neutralise(&v.name),
                (m.index + 1).to_string(),
                m.month.to_string(),
                d.map_or(String::new(), |d| format!("{:.2}", d.users)),
                d.map_or(String::new(), |d| format!("{:.2}", d.peak_users)),
                m.nodes().to_string(),
                db(m),
            ];
            let in_category = |c: Category| -> i64 {
                m.lines
                    .iter()
                    .zip(cents)
                    .filter(|(l, _)| l.category == c && l.view.in_amortised())
                    .filter_map(|(_, x)| *x)
                    .sum()
            };
            let by: Vec<i64> = Category::ALL.iter().map(|c| in_category(*c)).collect();
            row.extend(by.iter().map(|c| crate::money::cents_text(*c)));
            row.extend([crate::money::cents_text(by.iter().sum()), m.unknown_lines.to_string()]);
            w.write_record(&row).map_err(|e| ExportError::Csv(e.to_string()))?;
        }
    }
    crate::output::export::finish(w)
}

/// The report as pretty JSON.
pub fn json(report: &Report) -> String {
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

fn hours(h: Option<f64>) -> String {
    match h {
        None => "none".into(),
        Some(h) if h < 1.0 => format!("{:.0} min", h * 60.0),
        Some(h) => format!("{h:.1} h"),
    }
}

fn minutes(m: Option<f64>) -> String {
    match m {
        None => "no copy".into(),
        Some(m) if m < 1.0 => format!("{:.0} s", m * 60.0),
        Some(m) if m < 120.0 => format!("{m:.0} min"),
        Some(m) => format!("{:.0} h", m / 60.0),
    }
}

/// One line for a zone-loss check.
pub fn zone_loss_line(z: &crate::engine::topology::ZoneLossCheck) -> String {
    let sites: Vec<String> = z
        .sites
        .iter()
        .map(|x| {
            format!(
                "{}: {} → {} nodes for {} needed, database {}, cache {}",
                x.site,
                x.nodes,
                x.nodes_after,
                x.nodes_needed,
                if x.database_survives { "survives" } else { "LOST" },
                if x.cache_survives { "survives" } else { "LOST" }
            )
        })
        .collect();
    format!(
        "zone loss at the {} peak: {} ({})",
        z.month,
        if z.ok { "absorbed" } else { "NOT absorbed" },
        sites.join("; ")
    )
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "NO" }
}

/// The variants side by side: cost, availability, RTO, RPO and the target verdicts.
pub fn compare_table(report: &Report) -> String {
    let c = &report.comparison;
    let t = &c.targets;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — targets: availability ≥ {:.2} % ({:.2} h/yr down), RTO < {} h, RPO < {} min; baseline {}\n",
        report.scenario,
        t.availability * 100.0,
        (1.0 - t.availability) * crate::engine::topology::HOURS_PER_YEAR,
        t.rto_hours,
        t.rpo_minutes,
        c.baseline
    );
    let _ = writeln!(
        out,
        "{:<24} {:>9} {:>9} {:>10} {:>11} {:>9} {:>10} {:>8} {:>8} {:>7} {:>5} {:>5} {:>5} {:>4}",
        "variant",
        "month 1",
        "month 60",
        "total",
        "vs base",
        "avail %",
        "down h/yr",
        "RTO m1",
        "RTO end",
        "RPO",
        "A",
        "RTO",
        "RPO",
        "costs"
    );
    for r in &c.rows {
        let lower = |x: f64| crate::engine::report::lower_bound(r.complete, usd0(x));
        let _ = writeln!(
            out,
            "{:<24} {:>9} {:>9} {:>10} {:>11} {:>9.3} {:>10.2} {:>8} {:>8} {:>7} {:>5} {:>5} {:>5} {}",
            r.variant,
            lower(r.month_1_usd),
            lower(r.last_month_usd),
            lower(r.total_usd),
            delta_text(c, r),
            r.availability * 100.0,
            r.downtime_hours_per_year,
            hours(r.rto_first_hours),
            hours(r.rto_last_hours),
            minutes(r.rpo_minutes),
            yes(r.meets.availability),
            yes(r.meets.rto),
            yes(r.meets.rpo),
            r.status
        );
    }
    let _ = writeln!(out, "\n{}", c.decision);
    for (r, v) in c
        .rows
        .iter()
        .filter(|r| !r.complete)
        .filter_map(|r| Some((r, report.variants.iter().find(|v| v.name == r.variant)?)))
    {
        let _ = writeln!(out, "{} {}; its total is a lower bound. Unpriced:", r.variant, r.status);
        for l in v.completeness.fill_list() {
            let _ = writeln!(out, "    {l}");
        }
    }
    for res in &report.resilience {
        let a = &res.availability;
        let _ = writeln!(out, "\n== {} ==", res.variant);
        let _ = writeln!(
            out,
            "availability {:.4} % = {:.2} h/yr down (target {:.2} h); primary stack {:.4} %, {:.2} outages/yr × MTTR {} h; dominant: {} ({:.0} %)",
            a.availability * 100.0,
            a.downtime_hours_per_year,
            a.target_downtime_hours,
            a.primary_availability * 100.0,
            a.incidents_per_year,
            a.mttr_hours,
            a.dominant,
            a.dominant_share * 100.0
        );
        let _ = writeln!(out, "RPO {} — {}", minutes(res.rpo.minutes), res.rpo.basis);
        for tl in [&res.rto_first, &res.rto_last] {
            let _ = writeln!(
                out,
                "RTO {} in {} (recovery site: {})",
                hours(tl.hours),
                tl.month,
                tl.recovery_site.as_deref().unwrap_or("none")
            );
            for s in &tl.steps {
                let _ = writeln!(
                    out,
                    "    {:>6.1} min  {}{}",
                    s.minutes,
                    s.step,
                    if s.detail.is_empty() { String::new() } else { format!(" — {}", s.detail) }
                );
            }
        }
        for z in [&res.zone_loss_first, &res.zone_loss_last] {
            let _ = writeln!(out, "{}", zone_loss_line(z));
        }
    }
    out
}

/// A latency check as a phrase: "; p95 ≤ 300 ms: 162 ms (met; needs ≥ 3)".
pub fn latency_text(l: &crate::engine::report::LatencyCheck) -> String {
    format!(
        "; p{} ≤ {} ms: {} ({}; needs ≥ {})",
        l.percentile * 100.0,
        l.slo_ms,
        l.at_replicas_ms.map_or("unstable".to_string(), |x| format!("{x:.0} ms")),
        if l.met { "met" } else { "MISSED" },
        l.min_replicas.map_or("—".to_string(), |r| r.to_string())
    )
}

/// The simulated day of one site: what each service and pool did, and what it bills.
fn simulation_lines(out: &mut String, sim: &crate::engine::autoscale::SimResult, s: &crate::engine::report::SiteMonth) {
    let days = if sim.days == 1 { "day".to_string() } else { format!("{} days", sim.days) };
    let _ = writeln!(out, "  simulated {days} (HPA and cluster autoscaler, cluster.autoscaling):");
    for (sv, d) in s.services.iter().zip(&sim.services) {
        let _ = writeln!(out, "    {}", service_day_text(&sv.service, d, sim.days));
    }
    for (p, d) in s.pools.iter().zip(&sim.pools) {
        let change = (p.node_hours / p.static_node_hours().max(1e-9) - 1.0) * 100.0;
        let _ = writeln!(
            out,
            "    {}; billed {:.0} node-h/month vs {:.0} static ({change:+.0} %)",
            pool_day_text(&p.pool, d, sim.days),
            p.node_hours,
            p.static_node_hours(),
        );
    }
}

/// One service's simulated day(s) in a phrase (per-day figures).
fn service_day_text(name: &str, d: &crate::engine::autoscale::SvcDay, days: u32) -> String {
    let mut t = format!(
        "{name:<10} replicas {}–{}, {:.1} pod-h/day, CPU of request P50 {:.0} % P95 {:.0} % P99 {:.0} %, {} scale events",
        d.min_replicas_seen,
        d.peak_replicas,
        d.pod_hours / f64::from(days),
        d.cpu_utilization_p50,
        d.cpu_utilization_p95,
        d.cpu_utilization_p99,
        d.scale_events,
    );
    for (v, what) in [
        (d.minutes_at_max, "min at maxReplicas"),
        (d.saturated_minutes, "min saturated"),
        (d.pending_pod_minutes, "pod-min pending"),
    ] {
        if v > 0.0 {
            let _ = write!(t, ", {v:.0} {what}");
        }
    }
    t
}

/// One pool's simulated day(s) in a phrase.
fn pool_day_text(name: &str, d: &crate::engine::autoscale::PoolDay, days: u32) -> String {
    format!(
        "pool {name:<5} nodes {}–{}, {:.1} node-h/day, {} scale-ups (+{}), {} removed, {} pods evicted",
        d.min_nodes_seen,
        d.peak_nodes,
        d.node_hours / f64::from(days),
        d.scale_ups,
        d.nodes_added,
        d.nodes_removed,
        d.pods_evicted
    )
}

/// A simulated day as text: the summary, then the state every 15 minutes.
pub fn day_table(d: &crate::engine::plan::DayTrace) -> String {
    let mut out = String::new();
    let r = &d.result;
    let _ = writeln!(
        out,
        "{} / {} — month {} ({}), peak {:.1} user requests/s, {} simulated day(s)",
        d.variant,
        d.site,
        d.month_index + 1,
        d.month,
        d.peak_rps,
        r.days
    );
    for (name, s) in d.services.iter().zip(&r.services) {
        let _ = writeln!(out, "  {}", service_day_text(name, s, r.days));
    }
    for (name, p) in d.pools.iter().zip(&r.pools) {
        let _ = writeln!(out, "  {}", pool_day_text(name, p, r.days));
    }
    let _ = write!(out, "\n{:>8} {:>9}", "time", "load rps");
    for n in &d.services {
        let _ = write!(out, " {:>14}", format!("{n} rep/rdy/%"));
    }
    for n in &d.pools {
        let _ = write!(out, " {:>8}", format!("{n} nodes"));
    }
    let _ = writeln!(out, " {:>7}", "pending");
    for t in r.trace.iter().filter(|t| t.t_s % 900 == 0) {
        let (day, sec) = (t.t_s / 86_400, t.t_s % 86_400);
        let clock = format!(
            "{}{:02}:{:02}",
            if r.days > 1 { format!("d{} ", day + 1) } else { String::new() },
            sec / 3600,
            sec % 3600 / 60
        );
        let _ = write!(out, "{clock:>8} {:>9.1}", t.load_rps);
        for i in 0..t.replicas.len() {
            let _ = write!(out, " {:>14}", format!("{}/{}/{}", t.replicas[i], t.ready[i], t.utilization_pct[i]));
        }
        for n in &t.nodes {
            let _ = write!(out, " {n:>8}");
        }
        let _ = writeln!(out, " {:>7}", t.pending);
    }
    out
}

/// A simulated day as CSV, one row per HPA sync.
pub fn day_csv(d: &crate::engine::plan::DayTrace) -> Result<String, ExportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = vec!["t_s".to_string(), "load_rps".to_string()];
    for n in &d.services {
        head.extend([format!("{n}_replicas"), format!("{n}_ready"), format!("{n}_cpu_utilization_pct")]);
    }
    for n in &d.pools {
        head.push(format!("{n}_nodes"));
    }
    head.push("pending_pods".into());
    w.write_record(head.iter().map(|h| crate::output::export::neutralise(h)))
        .map_err(|e| ExportError::Csv(e.to_string()))?;
    for t in &d.result.trace {
        let mut row = vec![t.t_s.to_string(), format!("{:.3}", t.load_rps)];
        for i in 0..t.replicas.len() {
            row.extend([t.replicas[i].to_string(), t.ready[i].to_string(), t.utilization_pct[i].to_string()]);
        }
        row.extend(t.nodes.iter().map(|n| n.to_string()));
        row.push(t.pending.to_string());
        w.write_record(&row).map_err(|e| ExportError::Csv(e.to_string()))?;
    }
    crate::output::export::finish(w)
}

/// A peak hour of one service: the simulation beside Erlang C.
pub fn queue_table(q: &crate::engine::plan::QueueReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} / {} / {} — peak hour of {}: {:.1} requests/s, {} ms CPU each (+{} ms not CPU, in every response time below), {} replicas × {} = {} servers",
        q.variant,
        q.site,
        q.service,
        q.month,
        q.lambda,
        q.cpu_ms,
        q.non_cpu_ms,
        q.replicas,
        q.servers.checked_div(q.replicas).unwrap_or(0),
        q.servers
    );
    let d = &q.des;
    let e = q.analytic.as_ref();
    let model = e.map_or("model".to_string(), |a| a.model.clone());
    let _ = writeln!(
        out,
        "simulation: seed {}, {} s warm-up not measured{}",
        q.seed,
        q.warmup_s,
        if d.unstable { "; UNSTABLE: the offered load is at least the servers, the queue grows" } else { "" }
    );
    let _ = writeln!(out, "\n{:<22} {:>14} {:>14}", "", "simulated", "analytic");
    let _ = writeln!(out, "{:<22} {:>14} {model:>14}", "", "");
    let row = |out: &mut String, name: &str, des: String, ec: Option<f64>| {
        let decimals = des.split(['.', ' ']).nth(1).map_or(0, str::len);
        let ec = ec.map_or("unstable".to_string(), |x| format!("{x:.decimals$}"));
        let _ = writeln!(out, "{name:<22} {des:>14} {ec:>14}");
    };
    let _ = writeln!(out, "{:<22} {:>14} {:>14}", "requests", d.requests, "—");
    row(
        &mut out,
        "mean response, ms",
        format!("{:.2} ± {:.2}", d.mean_response_ms, d.mean_response_ci95_ms),
        e.map(|x| x.mean_response_ms),
    );
    row(&mut out, "p50, ms", format!("{:.2}", d.p50_ms), e.map(|x| x.p50_ms));
    row(&mut out, "p95, ms", format!("{:.2}", d.p95_ms), e.map(|x| x.p95_ms));
    row(&mut out, "p99, ms", format!("{:.2}", d.p99_ms), e.map(|x| x.p99_ms));
    row(&mut out, "mean wait, ms", format!("{:.3}", d.mean_wait_ms), e.map(|x| x.mean_wait_ms));
    let util = if d.unstable { "1 (unstable)".to_string() } else { format!("{:.3}", d.utilisation) };
    row(&mut out, "utilisation", util, e.map(|x| x.utilisation));
    row(&mut out, "mean queue length", format!("{:.3}", d.mean_queue), e.map(|x| x.mean_queue));
    if let Some(l) = &q.latency {
        let _ = writeln!(out, "\nobjective: {} ({})", latency_text(l).trim_start_matches("; "), l.model);
    }
    out
}

/// "10000 paths (seed 20270101, one evaluator), inputs: …": what a Monte Carlo result is of.
pub fn mc_summary(r: &crate::uncertainty::montecarlo::McReport) -> String {
    format!(
        "{} paths (seed {}, {}), inputs: {}; {}",
        r.paths - r.rejected,
        r.seed,
        r.engine,
        if r.inputs.is_empty() { "none".to_string() } else { r.inputs.join(", ") },
        r.sizing
    ) + &if r.exact_percentiles { String::new() } else { format!("; percentiles {}", r.percentile_method) }
}

/// The Monte Carlo result as text: per variant, fiscal years with budgets, the first and last
/// month, and the capacity limit.
pub fn simulate_table(r: &crate::uncertainty::montecarlo::McReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}{}",
        mc_summary(r),
        if r.rejected > 0 {
            format!(
                "\n{} paths rejected (drawn values outside a field's range), first: {}",
                r.rejected,
                r.first_rejection.as_deref().unwrap_or("")
            )
        } else {
            String::new()
        }
    );
    let band = |b: &crate::uncertainty::montecarlo::Band, f: &dyn Fn(f64) -> String| {
        b.percentiles.iter().map(|(p, v)| format!("P{p}: {}", f(*v))).collect::<Vec<_>>().join("  ")
    };
    let money = |x: f64| usd0(x);
    let count = |x: f64| format!("{x:.1}");
    if let (Some(first), Some(last)) = (r.users.first(), r.users.last()) {
        let _ = writeln!(out, "users {}: {}", r.months[0], band(first, &|x| format!("{x:.0}")));
        let _ = writeln!(out, "users {}: {}", r.months[r.months.len() - 1], band(last, &|x| format!("{x:.0}")));
    }
    for v in &r.variants {
        let _ = writeln!(out, "\n== {} ==", v.name);
        for fy in &v.fiscal_years {
            let _ = writeln!(
                out,
                "  {:<8} {}{}",
                fy.label,
                band(&fy.cost, &money),
                match (fy.budget_usd, fy.p_exceed) {
                    (Some(b), Some(p)) => format!("  budget {}: exceeded on {:.1} % of paths", usd0(b), p * 100.0),
                    _ => String::new(),
                }
            );
        }
        if let (Some(c), Some(n)) = (v.cost.last(), v.nodes.last()) {
            let _ = writeln!(out, "  last month: cost {}; nodes {}", band(c, &money), band(n, &count));
        }
        let _ = writeln!(
            out,
            "  capacity limit (pool at maxNodes or no database class big enough): {}",
            match v.capacity_limit_month {
                Some(m) => format!(
                    "by month {m} ({}) with {:.0} % confidence; hit on {:.1} % of paths",
                    r.months[m as usize - 1],
                    r.confidence * 100.0,
                    v.p_capacity_limit * 100.0
                ),
                None => format!(
                    "not within the horizon at {:.0} % confidence (hit on {:.1} % of paths)",
                    r.confidence * 100.0,
                    v.p_capacity_limit * 100.0
                ),
            }
        );
        let _ = writeln!(out, "  {}", cheapest_text(v, r.months.len()));
        if !v.swings.is_empty() {
            let (lo, hi) = crate::uncertainty::montecarlo::SWING_PERCENTILES;
            let _ = writeln!(
                out,
                "  what moves the {}-month cost of {} (the plan's total; each input alone at its P{lo} / P{hi}):",
                r.months.len(),
                usd0(v.horizon_usd)
            );
            for w in &v.swings {
                let _ = writeln!(out, "    {}", swing_text(w, v.horizon_usd));
            }
        }
    }
    out
}

/// A compare row's difference from the baseline: "baseline", a signed amount, or "—" when
/// either cost is incomplete.
pub fn delta_text(c: &crate::engine::topology::Comparison, r: &crate::engine::topology::CompareRow) -> String {
    if r.variant == c.baseline { "baseline".into() } else { r.delta_total_usd.map_or("—".into(), usd0) }
}

/// The text with its first letter in upper case.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// How often a variant is the cheapest over the horizon.
pub fn cheapest_text(v: &crate::uncertainty::montecarlo::VariantBands, months: usize) -> String {
    match v.p_cheapest {
        Some(p) => {
            format!("cheapest variant with complete costs over the {months} months on {:.1} % of paths", p * 100.0)
        }
        None => format!("{}: not in the cheapest-variant count", v.status),
    }
}

/// One bar of the tornado: "demand.annual_growth 0.126 … 0.31: −$41,000 … +$52,000".
pub fn swing_text(w: &crate::uncertainty::montecarlo::Swing, base_usd: f64) -> String {
    let delta = |x: Option<f64>| {
        x.map_or("out of range".to_string(), |x| {
            let d = x - base_usd;
            if d < 0.0 { format!("−{}", usd0(-d)) } else { format!("+{}", usd0(d)) }
        })
    };
    format!(
        "{:<42} {} … {}: {} … {}",
        w.input,
        sig(w.low_value),
        sig(w.high_value),
        delta(w.low_usd),
        delta(w.high_usd)
    )
}

/// A value with three significant digits (0.1263 → "0.126", 15.97 → "16", 2571.4 → "2571").
pub fn sig(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let digits = (2 - x.abs().log10().floor() as i32).max(0) as usize;
    let t = format!("{x:.digits$}");
    if t.contains('.') { t.trim_end_matches('0').trim_end_matches('.').to_string() } else { t }
}

/// `headroom prices`: each region's coverage.
pub fn coverage_table(rows: &[crate::catalog::Coverage]) -> String {
    let mut out = format!("{:<16} {:>6} {:>8}  {:<10}  {:<10}\n", "region", "known", "unknown", "oldest", "newest");
    for c in rows {
        let _ = writeln!(out, "{:<16} {:>6} {:>8}  {:<10}  {:<10}", c.region, c.known, c.unknown, c.oldest, c.newest);
    }
    out.push_str("Unknown keys are gaps: `headroom prices --region R` lists them; `headroom prices import` fills them from the AWS Price List.\n");
    out
}

/// `headroom prices --region R`: every row with its source.
pub fn price_rows_table(rows: &[crate::catalog::PriceRow]) -> String {
    let mut out = String::new();
    for p in rows {
        let usd = p.usd.map_or_else(|| "unknown".to_string(), |u| format!("{u}"));
        let conf = p.confidence.map_or_else(|| "GAP".to_string(), |c| format!("{c:?}"));
        let _ =
            writeln!(out, "{:<48} {:>10} {:<16} {:<4} {:<10} {}", p.key, usd, p.unit, conf, p.as_of, p.source_title);
    }
    out
}

/// `headroom diff`: the changed inputs, then per variant a variance waterfall by fiscal year.
pub fn diff_text(d: &crate::engine::diff::Diff) -> String {
    use crate::engine::diff::ChangeKind;
    let mut out = String::new();
    if d.changes.is_empty() {
        out.push_str("No input changed.\n");
        return out;
    }
    let _ = writeln!(out, "Changed ({}):", d.changes.len());
    for c in &d.changes {
        let what = match c.kind {
            ChangeKind::Changed | ChangeKind::Prices => format!("{} → {}", c.old, c.new),
            ChangeKind::Added => format!("added: {}", c.new),
            ChangeKind::Removed => format!("removed (was {})", c.old),
        };
        let note = if c.note.is_empty() { String::new() } else { format!("  [{}]", c.note) };
        let _ = writeln!(out, "  {}: {what}{note}", c.path);
    }
    // A float residue of a cent or less reads as zero, not as "−$0".
    let signed = |x: f64| {
        if x >= -0.005 {
            format!("+{}", crate::money::usd0(x.max(0.0)))
        } else {
            format!("−{}", crate::money::usd0(-x))
        }
    };
    for v in &d.variants {
        let _ = writeln!(
            out,
            "\n== {} =={}",
            v.name,
            match (v.in_old, v.in_new) {
                (true, false) => " (only in the old scenario)",
                (false, true) => " (only in the new scenario)",
                _ => "",
            }
        );
        let w = 44;
        let mut head = format!("{:<w$}", "");
        for p in &v.periods {
            let _ = write!(head, "{p:>14}");
        }
        let _ = writeln!(out, "{head}");
        let row = |out: &mut String, label: &str, xs: &[f64], f: &dyn Fn(f64) -> String| {
            let mut l: String = label.chars().take(w - 1).collect();
            l = format!("{l:<w$}");
            for x in xs {
                let _ = write!(l, "{:>14}", f(*x));
            }
            let _ = writeln!(out, "{l}");
        };
        row(&mut out, "old", &v.old_usd, &crate::money::usd0);
        for (i, e) in &v.steps {
            let c = &d.changes[*i];
            row(&mut out, &format!("{} {} → {}", c.path, c.old, c.new), e, &signed);
        }
        row(&mut out, "interaction, structure, the rest", &v.remainder, &signed);
        row(&mut out, "new", &v.new_usd, &crate::money::usd0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_formats() {
        assert_eq!(usd(1234.5), "$1,234.50");
        assert_eq!(usd(0.004), "$0.00");
        assert_eq!(usd(-1000000.0), "-$1,000,000.00");
        assert_eq!(usd0(3499.6), "$3,500");
    }
}
