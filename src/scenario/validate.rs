//! Semantic checks of a parsed scenario. Every problem is collected (not just the first), each
//! with the field path, the value found and the valid range. Only a scenario with no problems
//! becomes a [`ValidScenario`], the one type the engine accepts.

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;

use crate::catalog::{Catalog, closest};
use crate::scenario::model::*;

/// One thing wrong with a scenario: where (a field path such as
/// `workload.services[1].cpu_ms_per_request`) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// A scenario that passed every check. Construct it with [`validate`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidScenario(Scenario);

impl ValidScenario {
    pub fn scenario(&self) -> &Scenario {
        &self.0
    }
    pub fn into_inner(self) -> Scenario {
        self.0
    }

    /// Set numbers with `setter` (made for this scenario's shape) and validate again. On
    /// failure — a value that does not fit its field, or breaks a range — the scenario is put
    /// back to the setter's base values, so it stays valid, and the problems are returned.
    pub fn set_numbers(
        &mut self,
        setter: &crate::scenario::edit::NumberSetter,
        values: &[f64],
        catalog: &Catalog,
    ) -> Result<(), Vec<Problem>> {
        if let Err((section, message)) = setter.apply(&mut self.0, values) {
            return Err(vec![Problem { path: section.to_string(), message: message.detail() }]);
        }
        let mut c = Checker { problems: Vec::new() };
        check(&mut c, &self.0, catalog);
        if c.problems.is_empty() {
            Ok(())
        } else {
            setter.restore_all(&mut self.0);
            Err(c.problems)
        }
    }
}

impl std::ops::Deref for ValidScenario {
    type Target = Scenario;
    fn deref(&self) -> &Scenario {
        &self.0
    }
}

struct Checker {
    problems: Vec<Problem>,
}

fn num(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "inf".into() } else { "-inf".into() }
    } else {
        let s = format!("{v}");
        if s.len() <= 14 {
            s
        } else if (1e-4..1e15).contains(&v.abs()) {
            // Six significant digits, without trailing zeros: 10.34218843370015 → "10.3422".
            let digits = (5 - v.abs().log10().floor() as i32).max(0) as usize;
            let t = format!("{v:.digits$}");
            if t.contains('.') { t.trim_end_matches('0').trim_end_matches('.').to_string() } else { t }
        } else {
            format!("{v:e}")
        }
    }
}

impl Checker {
    /// Paths are anything printable (`format_args!` at the call sites): they become strings
    /// only for a problem, so a valid scenario is checked without building them (the Monte
    /// Carlo validates every path).
    fn err(&mut self, path: impl fmt::Display, message: impl Into<String>) {
        self.problems.push(Problem { path: path.to_string(), message: message.into() });
    }

    /// `lo <= v <= hi`, finite.
    fn range(&mut self, path: impl fmt::Display, v: f64, lo: f64, hi: f64) {
        if !v.is_finite() || v < lo || v > hi {
            self.err(path, format!("must be between {} and {}, found {}", num(lo), num(hi), num(v)));
        }
    }

    /// `0 < v <= hi`, finite.
    fn positive(&mut self, path: impl fmt::Display, v: f64, hi: f64) {
        if !v.is_finite() || v <= 0.0 {
            self.err(path, format!("must be > 0, found {}", num(v)));
        } else if v > hi {
            self.err(path, format!("must be at most {}, found {}", num(hi), num(v)));
        }
    }

    fn urange(&mut self, path: impl fmt::Display, v: u32, lo: u32, hi: u32) {
        if v < lo || v > hi {
            self.err(path, format!("must be between {lo} and {hi}, found {v}"));
        }
    }

    fn name(&mut self, path: impl fmt::Display, v: &str) {
        if v.trim().is_empty() {
            self.err(path, "must not be empty");
        }
    }

    fn unique<'a>(&mut self, path: &str, names: impl Iterator<Item = &'a str>) {
        let mut seen = BTreeSet::new();
        for (i, n) in names.enumerate() {
            if !seen.insert(n) {
                self.err(format!("{path}[{i}].name"), format!("duplicate name {n:?}"));
            }
        }
    }

    fn known(&mut self, path: impl fmt::Display, what: &str, name: &str, known: &mut dyn Iterator<Item = &str>) {
        let known: Vec<&str> = known.collect();
        if !known.contains(&name) {
            let near = closest(name, known.iter().copied());
            self.err(path, format!("unknown {what} {name:?}; closest known: {}", near.join(", ")));
        }
    }
}

/// Check a parsed scenario against the format's ranges and the catalog.
pub fn validate(s: Scenario, catalog: &Catalog) -> Result<ValidScenario, Vec<Problem>> {
    let mut c = Checker { problems: Vec::new() };
    check(&mut c, &s, catalog);
    // Text never changes on a Monte Carlo path (only numbers are set), so it is checked here.
    check_text_lengths(&mut c, &s);
    if c.problems.is_empty() { Ok(ValidScenario(s)) } else { Err(c.problems) }
}

/// The longest text any field may hold, in characters: every export can carry it (an XLSX cell
/// holds at most 32 767) and a window can show it.
pub const MAX_TEXT_CHARS: usize = 4000;

/// Every text field (names, descriptions, sources, keys) at most [`MAX_TEXT_CHARS`].
fn check_text_lengths(c: &mut Checker, s: &Scenario) {
    fn walk(c: &mut Checker, path: &str, v: &serde_json::Value) {
        use serde_json::Value;
        match v {
            Value::String(t) => {
                let n = t.chars().count();
                if n > MAX_TEXT_CHARS {
                    c.err(path, format!("must be at most {MAX_TEXT_CHARS} characters, found {n}"));
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(c, &format!("{path}[{i}]"), x);
                }
            }
            Value::Object(m) => {
                for (k, x) in m {
                    if k.chars().count() > MAX_TEXT_CHARS {
                        c.err(path, format!("a key must be at most {MAX_TEXT_CHARS} characters"));
                    }
                    walk(c, &if path.is_empty() { k.clone() } else { format!("{path}.{k}") }, x);
                }
            }
            _ => {}
        }
    }
    if let Ok(v) = serde_json::to_value(s) {
        walk(c, "", &v);
    }
}

/// The last month of the plan.
fn horizon_end(s: &Scenario) -> YearMonth {
    s.meta.start.plus(s.meta.horizon_months.saturating_sub(1).min(240))
}

/// Check every section of a scenario; all problems are collected.
fn check(c: &mut Checker, s: &Scenario, cat: &Catalog) {
    check_meta(c, s);
    check_demand(c, s);
    check_cluster(c, s, cat);
    check_workload(c, s);
    check_data(c, s, cat);
    check_platform(c, s);
    check_variants(c, s, cat);
    check_availability(c, s, cat);
    check_pricing(c, s, cat);
}

/// The scenario's name, horizon and currency.
fn check_meta(c: &mut Checker, s: &Scenario) {
    c.name("meta.name", &s.meta.name);
    c.urange("meta.horizon_months", s.meta.horizon_months, 1, 240);
    if s.meta.currency != "USD" {
        c.err(
            "meta.currency",
            format!("only \"USD\" is supported (all price tables are USD), found {:?}", s.meta.currency),
        );
    }
}

/// Users, growth, events and seasonality.
fn check_demand(c: &mut Checker, s: &Scenario) {
    let horizon_end = horizon_end(s);
    let d = &s.demand;
    c.range("demand.concurrent_users", d.concurrent_users, 1.0, 1e8);
    c.range("demand.annual_growth", d.annual_growth, -0.9, 10.0);
    for (i, e) in d.events.iter().enumerate() {
        let p = format!("demand.events[{i}]");
        if e.month < s.meta.start || e.month > horizon_end {
            c.err(
                format!("{p}.month"),
                format!("must be between {} and {}, found {}", s.meta.start, horizon_end, e.month),
            );
        }
        match e.change {
            Change::Add(n) => c.range(format_args!("{p}.change.Add"), n, -1e8, 1e8),
            Change::Multiply(f) => c.range(format_args!("{p}.change.Multiply"), f, 0.0, 100.0),
        }
    }
    if d.seasonality.len() != 12 {
        c.err("demand.seasonality", format!("must have 12 values (January..December), found {}", d.seasonality.len()));
    }
    for (i, v) in d.seasonality.iter().enumerate() {
        c.range(format_args!("demand.seasonality[{i}]"), *v, 0.0, 10.0);
    }
    if d.diurnal.len() != 24 {
        c.err("demand.diurnal", format!("must have 24 values (00:00..23:00), found {}", d.diurnal.len()));
    }
    for (i, v) in d.diurnal.iter().enumerate() {
        c.range(format_args!("demand.diurnal[{i}]"), *v, 0.0, 1.0);
    }
    let peak = d.diurnal.iter().copied().fold(f64::NAN, f64::max);
    if d.diurnal.iter().all(|v| v.is_finite()) && !d.diurnal.is_empty() && (peak - 1.0).abs() > 1e-9 {
        c.err(
            "demand.diurnal",
            format!("is a share of the daily peak, so its largest value must be 1, found {}", num(peak)),
        );
    }

    if let Some(w) = &d.weekend_diurnal {
        if w.len() != 24 {
            c.err("demand.weekend_diurnal", format!("must have 24 values (00:00..23:00), found {}", w.len()));
        }
        for (i, v) in w.iter().enumerate() {
            c.range(format_args!("demand.weekend_diurnal[{i}]"), *v, 0.0, 1.0);
        }
    }
}

/// Node pools, DaemonSets, system pods and the autoscaler (before services, which refer to pools).
fn check_cluster(c: &mut Checker, s: &Scenario, cat: &Catalog) {
    let cl = &s.cluster;
    let a = &cl.autoscaling;
    c.range("cluster.autoscaling.variation", a.variation, 0.0, 1.0);
    c.range("cluster.autoscaling.variation_minutes", a.variation_minutes, 1.0, 1440.0);
    c.range("cluster.autoscaling.pod_startup_s", a.pod_startup_s, 0.0, 3600.0);
    c.range("cluster.autoscaling.node_provisioning_s", a.node_provisioning_s, 0.0, 3600.0);
    for (path, v) in [("hpa_sync_period_s", a.hpa_sync_period_s), ("scan_interval_s", a.scan_interval_s)] {
        c.urange(format_args!("cluster.autoscaling.{path}"), v, 5, 600);
        if v % 5 != 0 {
            c.err(
                format!("cluster.autoscaling.{path}"),
                format!("must be a multiple of 5 s (the simulation tick), found {v}"),
            );
        }
    }
    c.range("cluster.autoscaling.hpa_tolerance", a.hpa_tolerance, 0.0, 1.0);
    c.urange("cluster.autoscaling.downscale_stabilization_s", a.downscale_stabilization_s, 0, 3600);
    c.urange("cluster.autoscaling.cpu_initialization_period_s", a.cpu_initialization_period_s, 0, 3600);
    c.urange("cluster.autoscaling.initial_readiness_delay_s", a.initial_readiness_delay_s, 0, 3600);
    c.urange("cluster.autoscaling.metric_window_s", a.metric_window_s, 0, 600);
    c.range("cluster.autoscaling.scale_down_utilization_threshold", a.scale_down_utilization_threshold, 0.0, 1.0);
    c.urange("cluster.autoscaling.scale_down_unneeded_s", a.scale_down_unneeded_s, 0, 86400);
    c.urange("cluster.autoscaling.scale_down_delay_after_add_s", a.scale_down_delay_after_add_s, 0, 86400);
    c.urange("cluster.autoscaling.max_empty_bulk_delete", a.max_empty_bulk_delete, 1, 1000);
    if cl.node_pools.is_empty() {
        c.err("cluster.node_pools", "must have at least one pool");
    }
    c.unique("cluster.node_pools", cl.node_pools.iter().map(|p| p.name.as_str()));
    if cl.node_pools.len() > 32 {
        c.err("cluster.node_pools", format!("at most 32 pools, found {}", cl.node_pools.len()));
    }
    for (i, p) in cl.node_pools.iter().enumerate() {
        let path = format!("cluster.node_pools[{i}]");
        c.name(format_args!("{path}.name"), &p.name);
        c.known(
            format!("{path}.instance_type"),
            "instance type",
            &p.instance_type,
            &mut cat.ec2.keys().map(String::as_str),
        );
        c.urange(format_args!("{path}.zones"), p.zones, 1, 6);
        c.urange(format_args!("{path}.max_nodes"), p.max_nodes, 1, 5000);
        c.urange(format_args!("{path}.min_nodes"), p.min_nodes, 0, p.max_nodes.max(1));
        if let Some(m) = p.max_pods {
            c.urange(format_args!("{path}.max_pods"), m, 1, 737);
        }
        c.range(format_args!("{path}.root_volume_gb"), p.root_volume_gb, 1.0, 16384.0);
        if cl.survive_zone_loss && p.zones < 2 {
            c.err(format!("{path}.zones"), "must be at least 2 when cluster.survive_zone_loss is true, found 1");
        }
    }
    c.range("cluster.daemonset_per_node.cpu_m", cl.daemonset_per_node.cpu_m, 0.0, 64000.0);
    c.range("cluster.daemonset_per_node.memory_mib", cl.daemonset_per_node.memory_mib, 0.0, 1048576.0);
    for (i, sp) in cl.system_pods.iter().enumerate() {
        let path = format!("cluster.system_pods[{i}]");
        c.name(format_args!("{path}.name"), &sp.name);
        c.urange(format_args!("{path}.replicas"), sp.replicas, 1, 100);
        c.range(format_args!("{path}.requests.cpu_m"), sp.requests.cpu_m, 0.0, 64000.0);
        c.range(format_args!("{path}.requests.memory_mib"), sp.requests.memory_mib, 0.0, 1048576.0);
        check_pool_ref(c, &format!("{path}.pool"), &sp.pool, cl);
    }
}

/// Services: their load, pods, replicas and HPA behavior.
fn check_workload(c: &mut Checker, s: &Scenario) {
    let cl = &s.cluster;
    let w = &s.workload;
    c.positive("workload.peak_requests_per_user_per_s", w.peak_requests_per_user_per_s, 1000.0);
    if w.services.is_empty() {
        c.err("workload.services", "must have at least one service");
    }
    c.unique("workload.services", w.services.iter().map(|x| x.name.as_str()));
    for (i, sv) in w.services.iter().enumerate() {
        let p = format!("workload.services[{i}]");
        c.name(format_args!("{p}.name"), &sv.name);
        c.range(format_args!("{p}.request_share"), sv.request_share, 0.0, 100.0);
        c.positive(format_args!("{p}.cpu_ms_per_request"), sv.cpu_ms_per_request, 600_000.0);
        if let Some(rt) = sv.response_time_ms {
            c.range(format_args!("{p}.response_time_ms"), rt, sv.cpu_ms_per_request.max(0.0), 600_000.0);
        }
        c.range(format_args!("{p}.memory_mib_per_request"), sv.memory_mib_per_request, 0.0, 65536.0);
        // Kubernetes CPU quantities resolve to 1m: less is not a request the HPA can divide by.
        c.range(format_args!("{p}.pod.cpu_request_m"), sv.pod.cpu_request_m, 1.0, 64000.0);
        c.positive(format_args!("{p}.pod.memory_request_mib"), sv.pod.memory_request_mib, 1048576.0);
        if let Some(l) = sv.pod.cpu_limit_m {
            c.range(format_args!("{p}.pod.cpu_limit_m"), l, sv.pod.cpu_request_m.max(0.0), 64000.0);
        }
        if let Some(l) = sv.pod.memory_limit_mib {
            c.range(format_args!("{p}.pod.memory_limit_mib"), l, sv.pod.memory_request_mib.max(0.0), 1048576.0);
        }
        if !sv.baseline_memory_mib.is_finite()
            || sv.baseline_memory_mib < 0.0
            || sv.baseline_memory_mib >= sv.pod.memory_request_mib
        {
            c.err(
                format!("{p}.baseline_memory_mib"),
                format!(
                    "must be at least 0 and below pod.memory_request_mib ({}), found {}",
                    num(sv.pod.memory_request_mib),
                    num(sv.baseline_memory_mib)
                ),
            );
        }
        c.urange(format_args!("{p}.max_replicas"), sv.max_replicas, 1, 10000);
        c.urange(format_args!("{p}.min_replicas"), sv.min_replicas, 1, sv.max_replicas.max(1));
        // The HPA's averageUtilization is a whole percent, at least 1.
        c.range(format_args!("{p}.target_cpu_utilization"), sv.target_cpu_utilization, 0.01, 1.0);
        c.range(format_args!("{p}.db_queries_per_request"), sv.db_queries_per_request, 0.0, 1000.0);
        c.urange(format_args!("{p}.db_connections_per_pod"), sv.db_connections_per_pod, 0, 1000);
        c.range(format_args!("{p}.response_kib"), sv.response_kib, 0.0, 1048576.0);
        check_pool_ref(c, &format!("{p}.pool"), &sv.pool, cl);
        c.urange(format_args!("{p}.concurrency_per_pod"), sv.concurrency_per_pod, 1, 10_000);
        if let Some(b) = &sv.hpa_behavior {
            for (dir, r) in [("scale_up", &b.scale_up), ("scale_down", &b.scale_down)] {
                let Some(r) = r else { continue };
                if let Some(x) = r.tolerance {
                    c.range(format_args!("{p}.hpa_behavior.{dir}.tolerance"), x, 0.0, 1.0);
                }
                if let Some(w) = r.stabilization_window_s {
                    c.urange(format_args!("{p}.hpa_behavior.{dir}.stabilization_window_s"), w, 0, 3600);
                }
                if let Some(ps) = &r.policies {
                    if ps.is_empty() {
                        c.err(
                            format!("{p}.hpa_behavior.{dir}.policies"),
                            "must list at least one policy (leave it out for the defaults)",
                        );
                    }
                    for (k, pol) in ps.iter().enumerate() {
                        c.urange(format_args!("{p}.hpa_behavior.{dir}.policies[{k}].value"), pol.value, 1, 10_000);
                        c.urange(format_args!("{p}.hpa_behavior.{dir}.policies[{k}].period_s"), pol.period_s, 1, 1800);
                    }
                }
            }
        }
        if let Some(slo) = &sv.latency_slo {
            c.range(format_args!("{p}.latency_slo.percentile"), slo.percentile, 0.5, 0.9999);
            c.positive(format_args!("{p}.latency_slo.ms"), slo.ms, 600_000.0);
        }
        if let ServiceTime::LogNormal(cv) = sv.service_time {
            c.positive(format_args!("{p}.service_time.LogNormal"), cv, 10.0);
        }
        if let Some(b) = &sv.arrival_bursts {
            let bp = format!("{p}.arrival_bursts");
            if !(b.factor.is_finite() && b.factor > 1.0 && b.factor <= 100.0) {
                c.err(format!("{bp}.factor"), format!("must be above 1 and at most 100, found {}", num(b.factor)));
            }
            if !(b.share.is_finite() && b.share > 0.0 && b.share < 1.0) {
                c.err(format!("{bp}.share"), format!("must be above 0 and below 1, found {}", num(b.share)));
            } else if b.factor.is_finite() && b.factor * b.share >= 1.0 {
                c.err(
                    format!("{bp}.share"),
                    format!(
                        "factor × share must stay below 1 (the calm periods keep the rest of the mean rate), found {}",
                        num(b.factor * b.share)
                    ),
                );
            }
            c.positive(format_args!("{bp}.mean_seconds"), b.mean_seconds, 3600.0);
        }
        for (j, name) in sv.also_pools.iter().enumerate() {
            check_pool_ref(c, &format!("{p}.also_pools[{j}]"), &Some(name.clone()), cl);
        }
    }
}

/// The data tier: PostgreSQL, Redis, object storage, telemetry.
fn check_data(c: &mut Checker, s: &Scenario, cat: &Catalog) {
    let pg = &s.data.postgres;
    c.positive("data.postgres.cpu_ms_per_query", pg.cpu_ms_per_query, 600_000.0);
    c.positive("data.postgres.target_cpu_utilization", pg.target_cpu_utilization, 1.0);
    c.range("data.postgres.base_memory_gib", pg.base_memory_gib, 0.0, 1024.0);
    c.range("data.postgres.working_set_mib_per_user", pg.working_set_mib_per_user, 0.0, 1048576.0);
    // A usable share near zero would ask for unbounded capacity: at least 5 %.
    c.range("data.postgres.usable_memory_fraction", pg.usable_memory_fraction, 0.05, 1.0);
    c.range("data.postgres.usable_connection_fraction", pg.usable_connection_fraction, 0.05, 1.0);
    c.range("data.postgres.storage_gb_base", pg.storage_gb_base, 0.0, 1e6);
    c.range("data.postgres.storage_gb_per_user", pg.storage_gb_per_user, 0.0, 1000.0);
    c.range("data.postgres.storage_growth_gb_per_month", pg.storage_growth_gb_per_month, 0.0, 1e5);
    c.range("data.postgres.free_space_fraction", pg.free_space_fraction, 0.0, 10.0);
    c.range("data.postgres.change_gb_per_user_per_month", pg.change_gb_per_user_per_month, 0.0, 1000.0);
    c.urange("data.postgres.backup_retention_days", pg.backup_retention_days, 1, 35);
    for (i, k) in pg.allowed_classes.iter().enumerate() {
        c.known(
            format!("data.postgres.allowed_classes[{i}]"),
            "RDS instance class",
            k,
            &mut cat.rds.keys().map(String::as_str),
        );
    }
    let r = &s.data.redis;
    c.known("data.redis.node_type", "ElastiCache node type", &r.node_type, &mut cat.cache.keys().map(String::as_str));
    c.range("data.redis.memory_mib_per_user", r.memory_mib_per_user, 0.0, 1048576.0);
    c.range("data.redis.base_memory_mib", r.base_memory_mib, 0.0, 1048576.0);
    c.range("data.redis.usable_memory_fraction", r.usable_memory_fraction, 0.05, 1.0);
    c.urange("data.redis.replicas_per_shard", r.replicas_per_shard, 0, 5);
    c.urange("data.redis.min_shards", r.min_shards, 1, 500);
    check_resize(c, &s.data.resize);
    let o = &s.data.object_storage;
    c.range("data.object_storage.gb_base", o.gb_base, 0.0, 1e8);
    c.range("data.object_storage.gb_per_user_per_month", o.gb_per_user_per_month, 0.0, 1e4);
    c.range("data.object_storage.put_requests_per_user_per_month", o.put_requests_per_user_per_month, 0.0, 1e7);
    c.range("data.object_storage.get_requests_per_user_per_month", o.get_requests_per_user_per_month, 0.0, 1e7);
    let t = &s.data.telemetry;
    c.range("data.telemetry.log_kib_per_request", t.log_kib_per_request, 0.0, 1024.0);
    c.urange("data.telemetry.log_retention_months", t.log_retention_months, 0, 120);
    c.urange("data.telemetry.metrics_per_node", t.metrics_per_node, 0, 10000);
    c.urange("data.telemetry.custom_metrics", t.custom_metrics, 0, 1_000_000);
    c.urange("data.telemetry.alarms", t.alarms, 0, 100_000);
    c.urange("data.telemetry.dashboards", t.dashboards, 0, 1000);
}

/// Platform-wide counts and shares.
fn check_platform(c: &mut Checker, s: &Scenario) {
    let pl = &s.platform;
    c.urange("platform.waf_web_acls", pl.waf_web_acls, 0, 100);
    c.urange("platform.waf_rules", pl.waf_rules, 0, 1000);
    c.urange("platform.nat_gateways_per_zone", pl.nat_gateways_per_zone, 0, 10);
    c.range("platform.nat_egress_share", pl.nat_egress_share, 0.0, 10.0);
    c.range("platform.cross_zone_share", pl.cross_zone_share, 0.0, 1.0);
    c.range("platform.internal_kib_per_request", pl.internal_kib_per_request, 0.0, 1048576.0);
    c.urange("platform.kms_keys", pl.kms_keys, 0, 10000);
    c.range("platform.kms_requests_per_request", pl.kms_requests_per_request, 0.0, 100.0);
    c.urange("platform.secrets", pl.secrets, 0, 100_000);
    c.range("platform.cloudtrail_data_events_per_month", pl.cloudtrail_data_events_per_month, 0.0, 1e12);
    c.urange("platform.dns_zones", pl.dns_zones, 0, 1000);
    c.range("platform.dns_queries_per_user_per_month", pl.dns_queries_per_user_per_month, 0.0, 1e6);
    c.urange("platform.health_checks_per_site", pl.health_checks_per_site, 0, 1000);
}

/// Variants and their sites.
fn check_variants(c: &mut Checker, s: &Scenario, cat: &Catalog) {
    if s.variants.is_empty() {
        c.err("variants", "must have at least one variant");
    }
    c.unique("variants", s.variants.iter().map(|v| v.name.as_str()));
    for (i, v) in s.variants.iter().enumerate() {
        let p = format!("variants[{i}]");
        c.name(format_args!("{p}.name"), &v.name);
        if v.sites.is_empty() {
            c.err(format!("{p}.sites"), "must have at least one site");
        }
        c.unique(&format!("{p}.sites"), v.sites.iter().map(|x| x.name.as_str()));
        let primaries = v.sites.iter().filter(|x| x.role == Role::Primary).count();
        let aa: Vec<f64> =
            v.sites.iter().filter_map(|x| if let Role::ActiveActive(f) = x.role { Some(f) } else { None }).collect();
        let share: f64 = aa.iter().sum();
        match (primaries, aa.len()) {
            (1, 0) => {}
            (0, n) if n > 0 => {
                if (share - 1.0).abs() > 1e-6 {
                    c.err(format!("{p}.sites"), format!("ActiveActive shares must sum to 1, found {}", num(share)));
                }
            }
            _ => c.err(format!("{p}.sites"), format!("needs exactly one Primary site, or ActiveActive sites only; found {primaries} Primary and {} ActiveActive", aa.len())),
        }
        for (j, site) in v.sites.iter().enumerate() {
            let sp = format!("{p}.sites[{j}]");
            c.name(format_args!("{sp}.name"), &site.name);
            if let Location::Aws(region) = &site.location {
                c.known(format_args!("{sp}.location"), "AWS region", region, &mut cat.regions());
            }
            match site.role {
                Role::ActiveActive(f) => c.positive(format_args!("{sp}.role.ActiveActive"), f, 1.0),
                Role::WarmStandby(f) => c.positive(format_args!("{sp}.role.WarmStandby"), f, 1.0),
                _ => {}
            }
        }
        let f = &v.failover;
        let fp = format!("{p}.failover");
        c.range(format_args!("{fp}.health_check_interval_s"), f.health_check_interval_s, 1.0, 3600.0);
        c.urange(format_args!("{fp}.failure_threshold"), f.failure_threshold, 1, 10);
        c.range(format_args!("{fp}.dns_ttl_s"), f.dns_ttl_s, 0.0, 86400.0);
        if let Cutover::Manual(m) = f.cutover {
            c.range(format_args!("{fp}.cutover.Manual"), m, 0.0, 1440.0);
        }
        c.range(format_args!("{fp}.db_promotion_minutes"), f.db_promotion_minutes, 0.0, 1440.0);
        c.positive(format_args!("{fp}.restore_gb_per_hour"), f.restore_gb_per_hour, 100_000.0);
        c.range(format_args!("{fp}.infrastructure_build_minutes"), f.infrastructure_build_minutes, 0.0, 10080.0);
        c.range(format_args!("{fp}.node_provisioning_minutes"), f.node_provisioning_minutes, 0.0, 60.0);
        c.range(format_args!("{fp}.warmup_minutes"), f.warmup_minutes, 0.0, 1440.0);
        for (j, site) in v.sites.iter().enumerate() {
            let rp = format!("{p}.sites[{j}].db_replication");
            match site.db_replication {
                Some(DbReplication::Streaming { lag_seconds, .. }) => {
                    c.range(format_args!("{rp}.lag_seconds"), lag_seconds, 0.0, 86400.0)
                }
                Some(DbReplication::LogShipping(m)) => c.positive(format_args!("{rp}.LogShipping"), m, 1440.0),
                Some(DbReplication::Snapshots(h)) => c.positive(format_args!("{rp}.Snapshots"), h, 720.0),
                None => {}
            }
            if site.role == Role::Primary && site.db_replication.is_some() {
                c.err(rp, "a Primary site is the source of replication; set it on the recovery site");
            }
        }
        if v.sites.iter().any(|x| x.location == Location::OnPrem) && s.availability.onprem.is_empty() {
            c.err(
                format!("{p}.sites"),
                "has an on-prem site, so availability.onprem must list its components (power, network, cluster, database…)",
            );
        }
        let cn = &v.connectivity;
        c.urange(format_args!("{p}.connectivity.direct_connect_ports"), cn.direct_connect_ports, 0, 16);
        c.urange(format_args!("{p}.connectivity.vpn_connections"), cn.vpn_connections, 0, 100);
        c.range(format_args!("{p}.connectivity.dx_gb_per_user_per_month"), cn.dx_gb_per_user_per_month, 0.0, 1e4);
    }
}

/// Targets and component availabilities.
fn check_availability(c: &mut Checker, s: &Scenario, cat: &Catalog) {
    let t = &s.targets;
    if !t.availability.is_finite() || t.availability < 0.9 || t.availability >= 1.0 {
        c.err("targets.availability", format!("must be at least 0.9 and below 1, found {}", num(t.availability)));
    }
    c.positive("targets.rto_hours", t.rto_hours, 720.0);
    c.positive("targets.rpo_minutes", t.rpo_minutes, 43200.0);
    let a = &s.availability;
    let table = crate::catalog::availability::sla_table();
    for (k, v) in &a.overrides {
        let p = format!("availability.overrides[{k:?}]");
        if !table.contains_key(k) {
            let near = closest(k, table.keys().map(String::as_str));
            c.err(&p, format!("no component {k:?}; closest: {}", near.join(", ")));
        }
        c.range(p, *v, 0.9, 1.0);
    }
    for (i, comp) in a.onprem.iter().enumerate() {
        c.name(format_args!("availability.onprem[{i}].name"), &comp.name);
        c.range(format_args!("availability.onprem[{i}].availability"), comp.availability, 0.9, 1.0);
        c.name(format_args!("availability.onprem[{i}].source"), &comp.source);
    }
    if let Some(m) = a.mttr_hours {
        c.positive("availability.mttr_hours", m, 720.0);
    }

    check_finance(c, s, cat, horizon_end(s));
    check_uncertainty(c, s);
}

/// Price overrides, extra items, reference estimates, uncertainty and finance.
fn check_pricing(c: &mut Checker, s: &Scenario, cat: &Catalog) {
    for (k, o) in &s.pricing.overrides {
        // Paths are formatted only for a problem (this runs on every Monte Carlo path).
        let p = format_args!("pricing.overrides[{k:?}]");
        match k.split_once('/') {
            Some((region, key)) if cat.tables.contains_key(region) => {
                if cat.price(region, key).is_none() {
                    let near = closest(key, cat.tables[region].prices.keys().map(String::as_str));
                    c.err(p, format!("no price row {key:?} in {region}; closest: {}", near.join(", ")));
                }
            }
            _ => {
                let regions: Vec<&str> = cat.tables.keys().map(String::as_str).collect();
                c.err(p, format!("key must be \"REGION/ROW\" with REGION one of {}", regions.join(", ")));
            }
        }
        c.range(format_args!("pricing.overrides[{k:?}].usd"), o.usd, 0.0, 1e6);
        c.name(format_args!("pricing.overrides[{k:?}].source"), &o.source);
        if chrono::NaiveDate::parse_from_str(&o.as_of, "%Y-%m-%d").is_err() {
            c.err(
                format_args!("pricing.overrides[{k:?}].as_of"),
                format!("must be a date \"YYYY-MM-DD\", found {:?}", o.as_of),
            );
        }
    }
    for (i, t) in s.pricing.tables.iter().enumerate() {
        c.name(format_args!("pricing.tables[{i}]"), t);
    }
    for (i, e) in s.pricing.extra_items.iter().enumerate() {
        let p = format!("pricing.extra_items[{i}]");
        c.name(format_args!("{p}.name"), &e.name);
        c.range(format_args!("{p}.monthly_usd"), e.monthly_usd, 0.0, 1e8);
        c.name(format_args!("{p}.source"), &e.source);
        for (j, v) in e.variants.iter().enumerate() {
            c.known(format_args!("{p}.variants[{j}]"), "variant", v, &mut s.variants.iter().map(|v| v.name.as_str()));
        }
    }
    for (i, r) in s.reference_estimates.iter().enumerate() {
        let p = format!("reference_estimates[{i}]");
        c.known(format_args!("{p}.variant"), "variant", &r.variant, &mut s.variants.iter().map(|v| v.name.as_str()));
        c.range(format_args!("{p}.low_usd"), r.low_usd, 0.0, 1e8);
        c.range(format_args!("{p}.high_usd"), r.high_usd, r.low_usd.max(0.0), 1e8);
        if r.categories.is_empty() {
            c.err(format!("{p}.categories"), "must name at least one category");
        }
    }
}

fn check_pool_ref(c: &mut Checker, path: &str, pool: &Option<String>, cl: &Cluster) {
    if let Some(name) = pool {
        c.known(path, "node pool", name, &mut cl.node_pools.iter().map(|p| p.name.as_str()));
    }
}

fn check_uncertainty(c: &mut Checker, s: &Scenario) {
    let u = &s.uncertainty;
    c.urange("uncertainty.paths", u.paths, 1, 1_000_000);
    if !(u.confidence.is_finite() && (0.5..1.0).contains(&u.confidence)) {
        c.err("uncertainty.confidence", format!("must be at least 0.5 and below 1, found {}", num(u.confidence)));
    }
    for (i, input) in u.inputs.iter().enumerate() {
        let p = format!("uncertainty.inputs[{i}]");
        // Only the section the path falls in is turned into JSON to look.
        if let Err(e) = crate::scenario::edit::NumberSetter::new(s, &[input.path.as_str()]) {
            c.err(format!("{p}.path"), e.to_string());
        }
        if input.path.starts_with("uncertainty.") || input.path.starts_with("simulation.") {
            c.err(format!("{p}.path"), "cannot draw the simulation's own settings");
        }
        // Every path must have the same months and fiscal years to be compared.
        if input.path.starts_with("meta.") || input.path == "finance.fiscal_year_start_month" {
            c.err(format!("{p}.path"), "cannot draw the plan's calendar (horizon, fiscal year start)");
        }
        if let Err(e) = crate::scenario::dist::Sampler::new(&input.dist) {
            c.err(format!("{p}.dist"), e.to_string());
        }
    }
    for (i, b) in u.budgets.iter().enumerate() {
        let p = format!("uncertainty.budgets[{i}]");
        if b.fiscal_year.trim().is_empty() {
            c.err(format!("{p}.fiscal_year"), "must name a fiscal year (e.g. \"FY2028\")");
        }
        c.positive(format_args!("{p}.usd"), b.usd, 1e15);
        if let Some(v) = &b.variant {
            c.known(format_args!("{p}.variant"), "variant", v, &mut s.variants.iter().map(|x| x.name.as_str()));
        }
    }
}

fn check_finance(c: &mut Checker, s: &Scenario, cat: &Catalog, horizon_end: YearMonth) {
    let f = &s.finance;
    c.urange("finance.fiscal_year_start_month", f.fiscal_year_start_month, 1, 12);
    for (cat, &d) in &f.aws_discount_by_category {
        if !d.is_finite() || !(0.0..1.0).contains(&d) {
            c.err(
                format_args!("finance.aws_discount_by_category.{cat:?}"),
                format!("must be at least 0 and below 1, found {}", num(d)),
            );
        }
    }
    if !f.aws_discount.is_finite() || f.aws_discount < 0.0 || f.aws_discount >= 1.0 {
        c.err("finance.aws_discount", format!("must be at least 0 and below 1, found {}", num(f.aws_discount)));
    }
    c.range("finance.annual_escalation", f.annual_escalation, -0.5, 1.0);
    c.range("finance.contingency", f.contingency, 0.0, 1.0);
    if let Some(r) = &f.reporting_currency {
        if r.code.len() != 3 || !r.code.chars().all(|ch| ch.is_ascii_uppercase()) {
            c.err(
                "finance.reporting_currency.code",
                format!("must be a 3-letter ISO code like \"EUR\", found {:?}", r.code),
            );
        }
        c.positive("finance.reporting_currency.per_usd", r.per_usd, 100_000.0);
        if chrono::NaiveDate::parse_from_str(&r.as_of, "%Y-%m-%d").is_err() {
            c.err("finance.reporting_currency.as_of", format!("must be a date \"YYYY-MM-DD\", found {:?}", r.as_of));
        }
        c.name("finance.reporting_currency.source", &r.source);
    }
    for (i, k) in f.commitments.iter().enumerate() {
        check_commitment(c, s, cat, horizon_end, i, k);
    }
    for (i, sp) in f.spot.iter().enumerate() {
        let p = format!("finance.spot[{i}]");
        c.known(
            format_args!("{p}.pool"),
            "node pool",
            &sp.pool,
            &mut s.cluster.node_pools.iter().map(|p| p.name.as_str()),
        );
        c.range(format_args!("{p}.share"), sp.share, 0.0, 1.0);
        if !sp.discount.is_finite() || sp.discount < 0.0 || sp.discount >= 1.0 {
            c.err(format!("{p}.discount"), format!("must be at least 0 and below 1, found {}", num(sp.discount)));
        }
        c.name(format_args!("{p}.source"), &sp.source);
    }
    if let Some(d) = f.savings_plan_discount
        && (!d.is_finite() || d <= 0.0 || d >= 1.0)
    {
        c.err("finance.savings_plan_discount", format!("must be above 0 and below 1, found {}", num(d)));
    }
    if let Some(t) = &f.onprem {
        check_onprem(c, t);
    }
}

/// One commitment: region, term, start, kind, rates and their source.
fn check_commitment(c: &mut Checker, s: &Scenario, cat: &Catalog, horizon_end: YearMonth, i: usize, k: &Commitment) {
    let p = format!("finance.commitments[{i}]");
    c.known(format_args!("{p}.region"), "AWS region", &k.region, &mut cat.regions());
    if k.term_years != 1 && k.term_years != 3 {
        c.err(format!("{p}.term_years"), format!("must be 1 or 3, found {}", k.term_years));
    }
    if k.start > horizon_end {
        c.err(
            format!("{p}.start"),
            format!("must be at most {horizon_end} (the last planned month), found {}", k.start),
        );
    }
    match &k.kind {
        CommitmentKind::Ec2Reserved { instance_type, count } => {
            c.known(
                format!("{p}.kind.instance_type"),
                "instance type",
                instance_type,
                &mut cat.ec2.keys().map(String::as_str),
            );
            c.urange(format_args!("{p}.kind.count"), *count, 1, 10_000);
        }
        CommitmentKind::RdsReserved { class, count } => {
            c.known(format!("{p}.kind.class"), "RDS instance class", class, &mut cat.rds.keys().map(String::as_str));
            c.urange(format_args!("{p}.kind.count"), *count, 1, 10_000);
        }
        CommitmentKind::CacheReserved { node_type, count } => {
            c.known(
                format!("{p}.kind.node_type"),
                "ElastiCache node type",
                node_type,
                &mut cat.cache.keys().map(String::as_str),
            );
            c.urange(format_args!("{p}.kind.count"), *count, 1, 10_000);
        }
        CommitmentKind::SavingsPlan { usd_per_hour, discount, family } => {
            if let Some(fam) = family
                && !cat.ec2.keys().any(|k| k.split('.').next() == Some(fam.as_str()))
            {
                let families: std::collections::BTreeSet<&str> =
                    cat.ec2.keys().filter_map(|k| k.split('.').next()).collect();
                c.err(
                    format!("{p}.kind.family"),
                    format!(
                        "unknown instance family {fam:?}; known: {}",
                        families.into_iter().collect::<Vec<_>>().join(", ")
                    ),
                );
            }
            c.positive(format_args!("{p}.kind.usd_per_hour"), *usd_per_hour, 1_000_000.0);
            if !discount.is_finite() || *discount <= 0.0 || *discount >= 1.0 {
                c.err(format!("{p}.kind.discount"), format!("must be above 0 and below 1 (savings-plan rates are not in the catalog: supply yours), found {}", num(*discount)));
            }
        }
    }
    if let Some(h) = k.hourly_usd {
        c.range(format_args!("{p}.hourly_usd"), h, 0.0, 1_000.0);
    }
    if let Some(u) = k.upfront_usd {
        c.range(format_args!("{p}.upfront_usd"), u, 0.0, 100_000_000.0);
    }
    let reservation = !matches!(k.kind, CommitmentKind::SavingsPlan { .. });
    if reservation && k.hourly_usd.is_none() {
        let key = k.catalog_rate_key();
        let known = key.as_ref().and_then(|key| cat.price(&k.region, key)).and_then(|x| x.usd).is_some();
        if !known {
            c.err(
                format!("{p}.hourly_usd"),
                format!(
                    "the catalog has no verified {}-year {:?} rate for this in {}: supply hourly_usd (and upfront_usd) with their source",
                    k.term_years, k.payment, k.region
                ),
            );
        }
    }
    if k.payment != Payment::NoUpfront && k.upfront_usd.is_none() {
        c.err(format!("{p}.upfront_usd"), format!("required for {:?} (the catalog has no upfront prices)", k.payment));
    }
    if (k.hourly_usd.is_some() || k.upfront_usd.is_some() || !reservation) && k.source.trim().is_empty() {
        c.err(format!("{p}.source"), "must say where the supplied rate comes from");
    }
    if let Some(x) = k.coverage_share {
        c.range(format_args!("{p}.coverage_share"), x, 0.0, 1.0);
    }
    for (j, v) in k.variants.iter().enumerate() {
        c.known(format_args!("{p}.variants[{j}]"), "variant", v, &mut s.variants.iter().map(|v| v.name.as_str()));
    }
}

/// The on-premises TCO inputs.
/// The resize policy of the database and the cache.
fn check_resize(c: &mut Checker, r: &ResizePolicy) {
    if let Some(n) = r.database_down_after_months {
        c.urange("data.resize.database_down_after_months", n, 1, 600);
    }
    if let Some(n) = r.cache_down_after_months {
        c.urange("data.resize.cache_down_after_months", n, 1, 600);
    }
    c.range("data.resize.down_margin", r.down_margin, 0.1, 1.0);
}

fn check_onprem(c: &mut Checker, t: &OnPremTco) {
    let p = "finance.onprem";
    c.urange(format_args!("{p}.server.cores"), t.server.cores, 1, 1024);
    c.range(format_args!("{p}.server.memory_gib"), t.server.memory_gib, 1.0, 65536.0);
    c.range(format_args!("{p}.server.usd"), t.server.usd, 0.0, 1e7);
    c.range(format_args!("{p}.server.power_kw"), t.server.power_kw, 0.0, 20.0);
    c.urange(format_args!("{p}.server.rack_units"), t.server.rack_units, 1, 20);
    c.urange(format_args!("{p}.min_servers"), t.min_servers, 1, 1000);
    c.urange(format_args!("{p}.database_servers"), t.database_servers, 0, 100);
    c.range(format_args!("{p}.database_server_usd"), t.database_server_usd, 0.0, 1e7);
    c.range(format_args!("{p}.database_support_usd_per_server_year"), t.database_support_usd_per_server_year, 0.0, 1e6);
    c.range(format_args!("{p}.storage_usd_per_tb"), t.storage_usd_per_tb, 0.0, 1e6);
    c.range(format_args!("{p}.storage_copies"), t.storage_copies, 1.0, 10.0);
    for (i, h) in t.fixed_hardware.iter().enumerate() {
        c.name(format_args!("{p}.fixed_hardware[{i}].name"), &h.name);
        c.range(format_args!("{p}.fixed_hardware[{i}].usd"), h.usd, 0.0, 1e7);
        c.range(format_args!("{p}.fixed_hardware[{i}].power_kw"), h.power_kw, 0.0, 20.0);
        c.urange(format_args!("{p}.fixed_hardware[{i}].rack_units"), h.rack_units, 0, 42);
    }
    c.urange(format_args!("{p}.depreciation_years"), t.depreciation_years, 1, 10);
    c.range(format_args!("{p}.pue"), t.pue, 1.0, 3.0);
    c.range(format_args!("{p}.usd_per_kwh"), t.usd_per_kwh, 0.0, 10.0);
    c.range(format_args!("{p}.usd_per_rack_unit_month"), t.usd_per_rack_unit_month, 0.0, 10_000.0);
    c.range(format_args!("{p}.support_usd_per_core_year"), t.support_usd_per_core_year, 0.0, 100_000.0);
    c.range(format_args!("{p}.staff_fte"), t.staff_fte, 0.0, 1000.0);
    c.range(format_args!("{p}.staff_usd_per_fte_year"), t.staff_usd_per_fte_year, 0.0, 1e7);
    c.name(format_args!("{p}.source"), &t.source);
    // A basis names an input of this section (field paths with indices as `[]`, listed once).
    for (k, text) in &t.basis {
        let fields = onprem_fields();
        let key = without_indices(k);
        if !fields.iter().any(|f| crate::scenario::assumptions::under(f, &key)) {
            c.err(
                format_args!("{p}.basis[\"{k}\"]"),
                format!("names no input of finance.onprem (inputs: {})", fields.join(", ")),
            );
        }
        c.name(format_args!("{p}.basis[\"{k}\"]"), text);
    }
}

/// `a[3].b` → `a[].b`.
fn without_indices(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut skipping = false;
    for ch in path.chars() {
        match ch {
            '[' => {
                skipping = true;
                out.push('[');
            }
            ']' => {
                skipping = false;
                out.push(']');
            }
            _ if skipping => {}
            _ => out.push(ch),
        }
    }
    out
}

/// The input paths of `finance.onprem` (indices as `[]`), from a sample of the type itself so
/// that a new field is known without code; computed once.
fn onprem_fields() -> &'static [String] {
    static FIELDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    FIELDS.get_or_init(|| {
        let sample = OnPremTco {
            server: ServerSpec { cores: 1, memory_gib: 1.0, usd: 0.0, power_kw: 0.0, rack_units: 1 },
            min_servers: 1,
            database_servers: 0,
            database_server_usd: 0.0,
            database_support_usd_per_server_year: 0.0,
            storage_usd_per_tb: 0.0,
            storage_copies: 1.0,
            fixed_hardware: vec![HardwareItem { name: String::new(), usd: 0.0, power_kw: 0.0, rack_units: 0 }],
            depreciation_years: 1,
            pue: 1.0,
            usd_per_kwh: 0.0,
            usd_per_rack_unit_month: 0.0,
            support_usd_per_core_year: 0.0,
            staff_fte: 0.0,
            staff_usd_per_fte_year: 0.0,
            source: String::new(),
            basis: Default::default(),
        };
        crate::scenario::assumptions::assumptions_of(&sample)
            .into_iter()
            .map(|a| without_indices(&a.path))
            .filter(|f| !f.starts_with("basis") && f != "source")
            .collect()
    })
}
