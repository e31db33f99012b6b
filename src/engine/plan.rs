//! The projection: for every variant and month, size each site (services → pods → nodes,
//! database class, cache nodes, storage, traffic) and price it line by line.
//!
//! Each month is sized for its peak hour (static sizing: replicas, nodes, database class). With
//! `cluster.autoscaling.simulate` on, AWS sites that serve traffic are also simulated for a
//! representative day under the HPA and the cluster autoscaler ([`crate::engine::autoscale`])
//! and their nodes are billed from the simulated node-hours; otherwise (and on-prem, and at
//! standbys, which run a fixed size) the peak node count is billed for 730 h.
//!
//! The planner compiles the scenario ([`Program`]), sizes every month once ([`Sizes`]) and runs
//! the one evaluator ([`Eval`]) with the recording sink; a Monte Carlo path runs the same
//! evaluator with the summing sink ([`path_totals`]).

use std::collections::BTreeSet;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use crate::catalog::Catalog;
use crate::engine::autoscale::{self, SimResult};
use crate::engine::demand::{self, MonthDemand};
use crate::engine::eval::{Eval, Month, Notes, VariantState, months, pool_specs};
use crate::engine::program::Program;
use crate::engine::report::*;
use crate::engine::sizing::{NodeHourRatios, Sizer, Sizes, latency_check, load_fraction, simulated_site};
use crate::money::finance;
use crate::money::ledger::{Record, Sum, Tally};
use crate::scenario::model::*;
use crate::scenario::validate::ValidScenario;

/// Plan every variant of a validated scenario against a catalog.
pub fn plan(s: &ValidScenario, cat: &Catalog) -> Report {
    plan_with(s, cat, true)
}

/// The sizing and costs only: no latency checks, recommendations, reference checks,
/// resilience, comparison or assumptions list.
pub fn plan_costs(s: &ValidScenario, cat: &Catalog) -> Report {
    plan_with(s, cat, false)
}

fn plan_with(s: &ValidScenario, cat: &Catalog, full: bool) -> Report {
    let demand = demand::project(&s.demand, s.meta.start, s.meta.horizon_months);
    let prog = Program::compile(s, cat);
    let mut sizer = Sizer::new(s, cat);
    sizer.latency_checks = full;
    sizer.sims = simulate_months(s, &sizer, &demand);
    let mut sizes = Sizes::default();
    sizes.fill(&mut sizer, &demand);
    let specs = pool_specs(s, cat);
    let ev = Eval::new(&prog, s, &specs, &sizes);
    let months = months(s, &demand);
    let mut record = Record::default();
    for slot in prog.commitment_slots() {
        record.price(slot, &prog.prices[slot.index()]);
    }
    let mut warnings = Vec::new();
    let variants: Vec<VariantPlan> =
        (0..s.variants.len()).map(|vi| plan_variant(&ev, vi, &months, &mut record, &mut warnings)).collect();
    let mut report = Report {
        scenario: s.meta.name.clone(),
        currency: s.meta.currency.clone(),
        start: s.meta.start,
        horizon_months: s.meta.horizon_months,
        demand,
        variants,
        prices: record.prices,
        warnings,
        reference_checks: Vec::new(),
        reporting_currency: s.finance.reporting_currency.clone(),
        recommendations: Vec::new(),
        assumptions: Vec::new(),
        resilience: Vec::new(),
        comparison: crate::engine::topology::Comparison {
            baseline: String::new(),
            targets: s.targets.clone(),
            rows: Vec::new(),
            cheapest_meeting_all: None,
            complete_variants: 0,
            decision: String::new(),
        },
        provenance: Provenance::default(),
        budgets: s.uncertainty.budgets.clone(),
    };
    if full {
        summarise(s, cat, &mut report);
    }
    report
}

/// One variant over the horizon with the recording sink: its months (sites, lines, totals),
/// fiscal years, unknown items, and its warnings (each kind and site once, at its first month).
fn plan_variant(
    ev: &Eval,
    vi: usize,
    months: &[Month],
    record: &mut Record,
    warnings: &mut Vec<Warning>,
) -> VariantPlan {
    let v = &ev.s.variants[vi];
    let mut state = VariantState::default();
    let mut tally = Tally::default();
    let mut notes = Notes::default();
    let mut seen_warnings: BTreeSet<(WarningKind, String)> = BTreeSet::new();
    let mut unpriced: Vec<Unpriced> = Vec::new();
    let mut seen_unpriced: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::with_capacity(months.len());
    for (mi, m) in months.iter().enumerate() {
        let md = m.md;
        notes.sites.clear();
        notes.warnings.clear();
        ev.variant_month(vi, mi, m, &mut state, &mut tally, record, &mut notes);
        let warning = |kind, message| Warning {
            variant: v.name.clone(),
            first_month: md.index + 1,
            month: md.month,
            kind,
            message,
        };
        for (kind, key, message) in notes.warnings.drain(..) {
            if seen_warnings.insert((kind, key)) {
                warnings.push(warning(kind, message));
            }
        }
        let lines = std::mem::take(&mut record.lines);
        for l in lines.iter().filter(|l| l.usd.is_none()) {
            let label = if l.site.is_empty() { l.item.to_string() } else { format!("{}: {}", l.site, l.item) };
            if seen_unpriced.insert(label.clone()) {
                let fill = l.price.map_or_else(
                    || "finance.onprem (the on-prem TCO inputs)".to_string(),
                    |i| {
                        let p = &record.prices[i as usize];
                        format!("pricing.overrides[\"{}/{}\"]", p.region, p.key)
                    },
                );
                warnings.push(warning(WarningKind::UnknownPrice, format!("unknown price: {label} (fill {fill})")));
                unpriced.push(Unpriced { line: label, fill, first_month: md.index + 1 });
            }
        }
        out.push(VariantMonth {
            index: md.index,
            month: md.month,
            sites: notes.sites.drain(..).map(|x| x.1).collect(),
            lines,
            by_category: Category::ALL.iter().map(|c| (*c, tally.by_category[*c as usize])).collect(),
            total_usd: tally.total(),
            cash_usd: tally.cash,
            capex_usd: tally.capex,
            unknown_lines: tally.unknown,
        });
    }
    let fiscal_years = finance::fiscal_years(ev.s, out.iter().map(VariantMonth::totals));
    let resize_events = resize_events(ev.s, &out);
    VariantPlan {
        name: v.name.clone(),
        description: v.description.clone(),
        total_usd: out.iter().map(|m| m.total_usd).sum(),
        total_cash_usd: out.iter().map(|m| m.cash_usd).sum(),
        months: out,
        fiscal_years,
        completeness: Completeness::of(unpriced),
        resize_events,
    }
}

/// Why a size moved down: the policy's margin and months.
fn down_reason(to: &str, margin: f64, months: Option<u32>) -> String {
    format!("the need fitted {to} within {:.0} % for {} months", margin * 100.0, months.unwrap_or(0))
}

/// The resize events of a variant's months: database class and cache shard changes per site
/// (with the need that forced a move up, or the months of lower need before a move down), and
/// on-prem hardware bought after month 1.
fn resize_events(s: &Scenario, months: &[VariantMonth]) -> Vec<ResizeEvent> {
    let mut out = Vec::new();
    for w in months.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let event = |site: Name, resource, from: String, to: String, reason: String| ResizeEvent {
            month: b.index + 1,
            date: b.month,
            site,
            resource,
            from,
            to,
            reason,
        };
        for (x, y) in a.sites.iter().zip(&b.sites) {
            if let (Some(d0), Some(d1)) = (&x.database, &y.database)
                && d0.class != d1.class
            {
                let reason = if d1.vcpu > d0.vcpu || d1.memory_gib > d0.memory_gib {
                    if d1.cpu_needed_vcpu > f64::from(d0.vcpu) {
                        format!("CPU: {:.3} vCPU needed > {}", d1.cpu_needed_vcpu, d0.vcpu)
                    } else if d1.memory_needed_gib > d0.memory_gib {
                        format!("memory: {:.2} GiB needed > {} GiB", d1.memory_needed_gib, d0.memory_gib)
                    } else {
                        format!("connections: {} needed > {}", d1.connections_needed, d0.max_connections)
                    }
                } else {
                    down_reason(&d1.class, s.data.resize.down_margin, s.data.resize.database_down_after_months)
                };
                out.push(event(y.site, Resource::Database, d0.class.to_string(), d1.class.to_string(), reason));
            }
            if let (Some(c0), Some(c1)) = (&x.cache, &y.cache)
                && c0.shards != c1.shards
            {
                let reason = if c1.shards > c0.shards {
                    format!("memory: {:.0} MiB needed, more than {} shard(s) hold", c1.memory_needed_mib, c0.shards)
                } else {
                    down_reason(
                        &format!("{} shard(s)", c1.shards),
                        s.data.resize.down_margin,
                        s.data.resize.cache_down_after_months,
                    )
                };
                out.push(event(
                    y.site,
                    Resource::Cache,
                    format!("{} shards", c0.shards),
                    format!("{} shards", c1.shards),
                    reason,
                ));
            }
        }
        // On-prem hardware in service: the depreciation lines' quantities.
        for l in b.lines.iter().filter(|l| l.item.ends_with(" depreciation") && &*l.unit != "set") {
            let before = a.lines.iter().find(|x| x.site == l.site && x.item == l.item).map_or(0.0, |x| x.quantity);
            if before == l.quantity || b.index == 0 {
                continue;
            }
            let what = l.item.trim_end_matches(" depreciation").to_lowercase();
            // The purchase that raised it: the same site's hardware bought in the same category.
            let bought = b.lines.iter().find(|x| x.site == l.site && x.capex && x.category == l.category);
            let reason = if l.quantity < before {
                "bought together, they reached the end of their depreciation period".to_string()
            } else {
                // The need, without the source the line also names.
                bought.map_or_else(String::new, |x| x.basis.split(';').next().unwrap_or_default().to_string())
            };
            out.push(event(
                l.site,
                Resource::OnPremHardware,
                format!("{before} {} ({what})", l.unit),
                format!("{} {}", l.quantity, l.unit),
                reason,
            ));
        }
    }
    out
}

/// What a Monte Carlo path keeps of the plan (per variant: in scenario order).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PathTotals {
    /// Users per month (daily peak, before seasonality).
    pub users: Vec<f64>,
    /// Per variant, per month: amortised total USD.
    pub cost: Vec<Vec<f64>>,
    /// Per variant, per month: nodes over all sites and pools.
    pub nodes: Vec<Vec<u32>>,
    /// Per variant, per fiscal year: (year, amortised USD).
    pub fiscal: Vec<Vec<(i32, f64)>>,
    /// Per variant: first month (1-based) a pool needs more than maxNodes or no allowed database
    /// class is large enough.
    pub limit_month: Vec<Option<u32>>,
    /// Per variant: every line priced in every month.
    pub complete: Vec<bool>,
}

impl PathTotals {
    /// The same figures read off a plan.
    pub fn of(r: &Report) -> PathTotals {
        PathTotals {
            users: r.demand.iter().map(|d| d.users).collect(),
            cost: r.variants.iter().map(|v| v.months.iter().map(|m| m.total_usd).collect()).collect(),
            nodes: r.variants.iter().map(|v| v.months.iter().map(VariantMonth::nodes).collect()).collect(),
            fiscal: r
                .variants
                .iter()
                .map(|v| v.fiscal_years.iter().map(|f| (f.year, f.amortised_usd)).collect())
                .collect(),
            limit_month: r
                .variants
                .iter()
                .map(|v| {
                    v.months
                        .iter()
                        .find(|m| {
                            m.sites.iter().any(|x| {
                                x.pools.iter().any(|p| p.at_max_nodes)
                                    || (matches!(x.role, Role::Primary | Role::ActiveActive(_))
                                        && x.database.as_ref().is_some_and(|d| d.undersized))
                            })
                        })
                        .map(|m| m.index + 1)
                })
                .collect(),
            complete: r.variants.iter().map(|v| v.completeness.complete).collect(),
        }
    }
}

/// Buffers a Monte Carlo thread reuses from path to path.
#[derive(Debug, Default)]
pub struct Scratch {
    sizes: Sizes,
    tally: Tally,
    notes: Notes,
    states: Vec<VariantState>,
}

/// Per month, site load and pool: the plan's billed (simulated) node-hours over its peak
/// node-hours, what a Monte Carlo path applies to its own peak nodes so that it bills nodes the
/// way the plan does without simulating a day per path.
pub fn node_hour_ratios(r: &Report) -> NodeHourRatios {
    let mut out = NodeHourRatios::default();
    for m in r.variants.iter().flat_map(|v| &v.months) {
        for site in m.sites.iter().filter(|x| x.pools.iter().any(|p| p.simulated)) {
            out.entry((m.index, site.load_fraction.to_bits())).or_insert_with(|| {
                site.pools
                    .iter()
                    .map(|p| if p.nodes == 0 { 1.0 } else { p.node_hours / p.static_node_hours() })
                    .collect()
            });
        }
    }
    out
}

/// How a Monte Carlo path bills the nodes of simulated sites.
#[derive(Debug, Clone, Copy)]
pub enum NodeBasis<'a> {
    /// Simulate each month's day (as the plan does).
    Simulate,
    /// Apply the plan's ratios of simulated to peak node-hours ([`node_hour_ratios`]).
    Ratios(&'a std::sync::Arc<NodeHourRatios>),
}

/// Evaluate every variant and month of `s` with the summing sink: what a Monte Carlo path
/// keeps. `prog` is `s` compiled (or a scenario differing from it in numbers only).
pub fn path_totals(
    prog: &Program,
    s: &ValidScenario,
    cat: &Catalog,
    nodes: NodeBasis,
    scratch: &mut Scratch,
) -> PathTotals {
    let demand = demand::project(&s.demand, s.meta.start, s.meta.horizon_months);
    let mut sizer = Sizer::new(s, cat);
    sizer.detail = false;
    if s.cluster.autoscaling.simulate {
        match nodes {
            NodeBasis::Simulate => sizer.sims = simulate_months(s, &sizer, &demand),
            NodeBasis::Ratios(r) => sizer.ratios = r.clone(),
        }
    }
    let months = months(s, &demand);
    let nv = s.variants.len();
    let mut out = PathTotals {
        users: demand.iter().map(|d| d.users).collect(),
        cost: vec![Vec::with_capacity(demand.len()); nv],
        nodes: vec![Vec::with_capacity(demand.len()); nv],
        fiscal: vec![Vec::new(); nv],
        limit_month: vec![None; nv],
        complete: vec![true; nv],
    };
    // Month by month, every variant: one month's sizing stays in cache while the variants read
    // it (the plan goes variant by variant; the sums are the same, each variant's in month order).
    let Scratch { sizes, tally, notes, states } = scratch;
    sizes.begin(&sizer, 1);
    let specs = pool_specs(s, cat);
    states.clear();
    states.resize_with(nv, VariantState::default);
    for m in &months {
        sizes.size_month(&mut sizer, 0, m.md);
        let ev = Eval::new(prog, s, &specs, sizes);
        for (vi, state) in states.iter_mut().enumerate() {
            let r = ev.variant_month(vi, 0, m, state, tally, &mut Sum, notes);
            let total = tally.total();
            out.cost[vi].push(total);
            out.nodes[vi].push(r.nodes);
            out.complete[vi] &= tally.unknown == 0;
            if r.limit && out.limit_month[vi].is_none() {
                out.limit_month[vi] = Some(m.md.index + 1);
            }
            let fy = finance::fiscal_year(s, m.md.month);
            let f = &mut out.fiscal[vi];
            if f.last().is_none_or(|x| x.0 != fy) {
                f.push((fy, 0.0));
            }
            if let Some(x) = f.last_mut() {
                x.1 += total;
            }
        }
    }
    out
}

/// What the full plan adds to the sizing and costs: recommendations, reference checks,
/// resilience, the comparison, zone-loss warnings and the assumptions list.
fn summarise(s: &ValidScenario, cat: &Catalog, r: &mut Report) {
    let variants = &r.variants;
    r.recommendations = crate::engine::recommend::recommendations(s, cat, variants, &r.prices);
    r.reference_checks = reference_checks(s, variants);
    r.resilience = s.variants.iter().zip(variants).map(|(v, p)| crate::engine::topology::resilience(s, v, p)).collect();
    r.comparison = crate::engine::topology::compare(s, variants, &r.resilience, None);
    for (v, res) in variants.iter().zip(&r.resilience) {
        if let Some(m) = res.zone_loss_first_failing_month
            && let Some(vm) = v.months.get(m as usize - 1)
        {
            let z = crate::engine::topology::zone_loss(vm);
            let what: Vec<String> = z
                .sites
                .iter()
                .filter(|x| !x.ok)
                .map(|x| {
                    let mut lost = Vec::new();
                    if !x.pods_fit {
                        lost.push(format!("{} nodes left for {} needed", x.nodes_after, x.nodes_needed));
                    }
                    if !x.database_survives {
                        lost.push("the database goes with its zone".to_string());
                    }
                    if !x.cache_survives {
                        lost.push("the cache goes with its zone".to_string());
                    }
                    format!("{}: {}", x.site, lost.join(", "))
                })
                .collect();
            r.warnings.push(Warning {
                variant: v.name.clone(),
                first_month: m,
                month: vm.month,
                kind: WarningKind::ZoneLossNotAbsorbed,
                message: format!("losing a zone at peak is not absorbed ({})", what.join("; ")),
            });
        }
    }
    r.assumptions = crate::scenario::assumptions::assumptions(s);
    let dates = || r.prices.iter().map(|p| p.as_of.clone()).filter(|d| !d.is_empty());
    r.provenance = Provenance {
        headroom_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_hash: format!("{:016x}", fnv1a64(serde_json::to_string(s.scenario()).unwrap_or_default().as_bytes())),
        seed: s.simulation.seed,
        prices_as_of: (dates().min().unwrap_or_default(), dates().max().unwrap_or_default()),
    };
}

/// Why a question about one variant, site, service or month of a plan has no answer. Each
/// names what was asked and what the scenario has.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("unknown variant {name:?}; the scenario has: {}", known.join(", "))]
    UnknownVariant { name: String, known: Vec<String> },
    #[error("unknown service {name:?}; the scenario has: {}", known.join(", "))]
    UnknownService { name: String, known: Vec<String> },
    #[error("month must be between 1 and {horizon}, found {month}")]
    MonthOutOfRange { month: u32, horizon: u32 },
    /// The same, for the CLI's `--month` option.
    #[error("--month must be between 1 and {horizon}, found {month}")]
    MonthOption { month: u32, horizon: u32 },
    #[error(
        "site {site:?} of variant {variant:?} is not simulated (AWS sites serving traffic are: {})",
        if simulated.is_empty() { "none".to_string() } else { simulated.join(", ") }
    )]
    SiteNotSimulated { site: String, variant: String, simulated: Vec<String> },
    #[error("variant {variant:?} has no AWS site serving traffic: nothing is simulated")]
    NoSimulatedSite { variant: String },
    #[error("cluster.autoscaling.simulate is off: nothing is simulated")]
    SimulationOff,
    #[error("site {site:?} does not serve traffic in {variant:?} (serving: {})", serving.join(", "))]
    SiteNotServing { site: String, variant: String, serving: Vec<String> },
    #[error("variant {variant:?} has no serving site")]
    NoServingSite { variant: String },
    #[error("--replicas must be at least 1")]
    NoReplicas,
    #[error("{service} has no load at {site} in that month: nothing to simulate")]
    NoLoad { service: String, site: String },
}

/// The variant named `name` and its index, or an error listing the scenario's variants.
pub fn find_variant<'a>(s: &'a Scenario, name: &str) -> Result<(usize, &'a Variant), QueryError> {
    s.variants.iter().enumerate().find(|(_, v)| v.name == name).ok_or_else(|| QueryError::UnknownVariant {
        name: name.to_string(),
        known: s.variants.iter().map(|v| v.name.clone()).collect(),
    })
}

/// One site's simulated day (or week) for one month, with its trace.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DayTrace {
    pub variant: String,
    pub site: String,
    /// 0-based month index and the month.
    pub month_index: u32,
    pub month: YearMonth,
    /// User requests per second at the site's peak this month.
    pub peak_rps: f64,
    pub services: Vec<String>,
    pub pools: Vec<String>,
    pub result: SimResult,
}

/// Simulate one month of one site again, keeping the trace (every HPA sync). `site`: by name,
/// default the variant's first simulated site (AWS, serving traffic).
pub fn day_trace(
    s: &ValidScenario,
    cat: &Catalog,
    variant: &str,
    site: Option<&str>,
    month_index: u32,
) -> Result<DayTrace, QueryError> {
    let (_, v) = find_variant(s, variant)?;
    if month_index >= s.meta.horizon_months {
        return Err(QueryError::MonthOutOfRange { month: month_index + 1, horizon: s.meta.horizon_months });
    }
    let simulated: Vec<&Site> = v.sites.iter().filter(|x| simulated_site(s, x)).collect();
    let st = match site {
        Some(n) => *simulated.iter().find(|x| x.name == n).ok_or_else(|| QueryError::SiteNotSimulated {
            site: n.to_string(),
            variant: variant.to_string(),
            simulated: simulated.iter().map(|x| x.name.clone()).collect(),
        })?,
        None => *simulated.first().ok_or_else(|| {
            if s.cluster.autoscaling.simulate {
                QueryError::NoSimulatedSite { variant: variant.to_string() }
            } else {
                QueryError::SimulationOff
            }
        })?,
    };
    let demand = demand::project(&s.demand, s.meta.start, month_index + 1);
    let md = &demand[month_index as usize];
    let (svcs, pools) = Sizer::new(s, cat).sim_specs();
    let a = &s.cluster.autoscaling;
    let shaper = autoscale::LoadShaper::of(s);
    let mut shape = Vec::new();
    shaper.month(u64::from(month_index), &mut shape);
    let peak = md.peak_users * s.workload.peak_requests_per_user_per_s * load_fraction(st.role);
    let result = autoscale::simulate(&svcs, &pools, autoscale::Params::from_model(a), peak, &shape, true);
    Ok(DayTrace {
        variant: v.name.clone(),
        site: st.name.clone(),
        month_index,
        month: md.month,
        peak_rps: peak,
        services: s.workload.services.iter().map(|x| x.name.clone()).collect(),
        pools: s.cluster.node_pools.iter().map(|x| x.name.clone()).collect(),
        result,
    })
}

/// One service's peak hour at one site: the discrete-event simulation and Erlang C side by side.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QueueReport {
    pub variant: String,
    pub site: String,
    pub service: String,
    pub month: YearMonth,
    /// Requests per second at the peak, CPU milliseconds per request, servers (replicas ×
    /// concurrency per pod).
    pub lambda: f64,
    pub cpu_ms: f64,
    /// The non-CPU part of the response time (`response_time_ms − cpu_ms_per_request`), added
    /// to every response-time figure below, simulated and analytic alike.
    pub non_cpu_ms: f64,
    pub replicas: u32,
    pub servers: u32,
    /// The request simulation's seed and warm-up (seconds, not measured).
    pub seed: u64,
    pub warmup_s: f64,
    pub des: crate::engine::queueing::DesResult,
    /// The same figures from the queueing model (M/M/c, or M/G/c for other service times);
    /// None if the queue is unstable.
    pub analytic: Option<AnalyticFigures>,
    pub latency: Option<LatencyCheck>,
}

/// Analytic queue figures in milliseconds (response times include the non-CPU part).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AnalyticFigures {
    /// "M/M/c (Erlang C)" or "M/G/c (Allen–Cunneen; …)".
    pub model: String,
    pub p_wait: f64,
    pub mean_response_ms: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub mean_wait_ms: f64,
    pub utilisation: f64,
    pub mean_queue: f64,
}

/// What `headroom queue` asks: one service at a serving site of a variant in one month.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueQuery<'a> {
    pub variant: &'a str,
    /// Default: the variant's first serving site.
    pub site: Option<&'a str>,
    pub service: &'a str,
    /// 0-based.
    pub month_index: u32,
    /// Instead of what the plan gives.
    pub replicas: Option<u32>,
    /// Simulated seconds after the warm-up.
    pub seconds: f64,
    pub warmup_s: f64,
    /// Default: the scenario's seed mixed with the month.
    pub seed: Option<u64>,
}

/// Simulate one peak hour of a service with the replicas the plan gives (or the query's), beside
/// the analytic queue.
pub fn queue_report(s: &ValidScenario, cat: &Catalog, q: &QueueQuery) -> Result<QueueReport, QueryError> {
    let QueueQuery { variant, site, service, month_index, replicas, seconds, warmup_s, seed } = *q;
    let report = plan(s, cat);
    let (vi, _) = find_variant(s, variant)?;
    let m = report.variants[vi]
        .months
        .get(month_index as usize)
        .ok_or(QueryError::MonthOutOfRange { month: month_index + 1, horizon: s.meta.horizon_months })?;
    let serving: Vec<&SiteMonth> =
        m.sites.iter().filter(|x| matches!(x.role, Role::Primary | Role::ActiveActive(_))).collect();
    let sm = match site {
        Some(n) => *serving.iter().find(|x| x.site.as_str() == n).ok_or_else(|| QueryError::SiteNotServing {
            site: n.to_string(),
            variant: variant.to_string(),
            serving: serving.iter().map(|x| x.site.to_string()).collect(),
        })?,
        None => *serving.first().ok_or_else(|| QueryError::NoServingSite { variant: variant.to_string() })?,
    };
    let (si, sv) = s.workload.services.iter().enumerate().find(|(_, x)| x.name == service).ok_or_else(|| {
        QueryError::UnknownService {
            name: service.to_string(),
            known: s.workload.services.iter().map(|x| x.name.clone()).collect(),
        }
    })?;
    let mut sz = sm.services[si].clone();
    if let Some(r) = replicas {
        if r == 0 {
            return Err(QueryError::NoReplicas);
        }
        sz.replicas = r;
    }
    let per_pod = sv.concurrency_per_pod.max(1);
    let servers = sz.replicas.saturating_mul(per_pod);
    let non_cpu_ms = (sv.response_time_ms.unwrap_or(sv.cpu_ms_per_request) - sv.cpu_ms_per_request).max(0.0);
    let seed = seed.unwrap_or(s.simulation.seed ^ u64::from(month_index));
    let mut des = crate::engine::queueing::simulate(&crate::engine::queueing::DesInput {
        lambda: sz.peak_rps,
        mean_service_s: sv.cpu_ms_per_request / 1000.0,
        service: sv.service_time,
        servers,
        duration_s: seconds,
        warmup_s,
        burst: sv.arrival_bursts,
        seed,
    })
    .ok_or_else(|| QueryError::NoLoad { service: service.to_string(), site: sm.site.to_string() })?;
    // The non-CPU part counted in every response figure, the same way.
    for x in [&mut des.mean_response_ms, &mut des.p50_ms, &mut des.p95_ms, &mut des.p99_ms] {
        *x += non_cpu_ms;
    }
    let q = crate::engine::queueing::Mgc {
        lambda: sz.peak_rps,
        mean_s: sv.cpu_ms_per_request / 1000.0,
        c: servers,
        service: sv.service_time,
    };
    let analytic = (|| {
        let ms = |x: f64| x * 1000.0 + non_cpu_ms;
        Some(AnalyticFigures {
            model: q.model(),
            p_wait: q.p_wait()?,
            mean_response_ms: ms(q.mean_response()?),
            p50_ms: ms(q.response_quantile(0.5)?),
            p95_ms: ms(q.response_quantile(0.95)?),
            p99_ms: ms(q.response_quantile(0.99)?),
            mean_wait_ms: q.mean_wait()? * 1000.0,
            utilisation: q.utilisation()?,
            mean_queue: q.mean_queue()?,
        })
    })();
    Ok(QueueReport {
        variant: variant.to_string(),
        site: sm.site.to_string(),
        service: service.to_string(),
        month: m.month,
        lambda: sz.peak_rps,
        cpu_ms: sv.cpu_ms_per_request,
        non_cpu_ms,
        replicas: sz.replicas,
        servers,
        seed,
        warmup_s,
        des,
        analytic,
        latency: latency_check(sv, &sz),
    })
}

/// Simulate each month once per distinct load fraction of a simulated site (the variants share
/// their days: same month, same random stream, same load → same day).
fn simulate_months(s: &Scenario, sizer: &Sizer, demand: &[MonthDemand]) -> HashMap<(u32, u64), Arc<SimResult>> {
    let mut loads: Vec<f64> = s
        .variants
        .iter()
        .flat_map(|v| v.sites.iter())
        .filter(|site| simulated_site(s, site))
        .map(|site| load_fraction(site.role))
        .collect();
    loads.sort_by(f64::total_cmp);
    loads.dedup();
    let mut out = HashMap::default();
    if loads.is_empty() {
        return out;
    }
    let (svcs, pools) = sizer.sim_specs();
    let params = autoscale::Params::from_model(&s.cluster.autoscaling);
    let shaper = autoscale::LoadShaper::of(s);
    // Months in parallel: each is its own random stream and its own simulation, so the
    // results do not depend on the thread count (collected in month order).
    use rayon::prelude::*;
    let per_month: Vec<Vec<(u64, SimResult)>> = demand
        .par_iter()
        .map_init(Vec::new, |shape, md| {
            shaper.month(u64::from(md.index), shape);
            loads
                .iter()
                .map(|&load| {
                    let peak = md.peak_users * s.workload.peak_requests_per_user_per_s * load;
                    (load.to_bits(), autoscale::simulate(&svcs, &pools, params, peak, shape, false))
                })
                .collect()
        })
        .collect();
    for (md, sims) in demand.iter().zip(per_month) {
        for (load, r) in sims {
            out.insert((md.index, load), Arc::new(r));
        }
    }
    out
}

/// The services and pools of a scenario as the autoscaling simulation sees them.
pub fn sim_specs(s: &ValidScenario, cat: &Catalog) -> (Vec<autoscale::SvcSpec>, Vec<autoscale::PoolSpec>) {
    Sizer::new(s, cat).sim_specs()
}

fn reference_checks(s: &Scenario, variants: &[VariantPlan]) -> Vec<ReferenceCheck> {
    let mut checks: Vec<ReferenceCheck> = s
        .reference_estimates
        .iter()
        .filter_map(|r| {
            let v = variants.iter().find(|v| v.name == r.variant)?;
            let m = v.months.first()?;
            let plan_usd = r.categories.iter().map(|c| m.category(*c)).sum::<f64>();
            let plan_unknown_lines =
                m.lines.iter().filter(|l| l.usd.is_none() && r.categories.contains(&l.category)).count() as u32;
            let verdict = if plan_usd < r.low_usd {
                Verdict::Below
            } else if plan_usd > r.high_usd {
                Verdict::Above
            } else {
                Verdict::Within
            };
            Some(ReferenceCheck {
                variant: r.variant.clone(),
                label: r.label.clone(),
                categories: r.categories.clone(),
                low_usd: r.low_usd,
                high_usd: r.high_usd,
                plan_usd,
                plan_unknown_lines,
                verdict,
                source: r.source.clone(),
            })
        })
        .collect();
    // Lines the reference leaves out: categories no partial row covers.
    for v in variants {
        let rows: Vec<&ReferenceEstimate> = s.reference_estimates.iter().filter(|r| r.variant == v.name).collect();
        let Some(m) = v.months.first() else { continue };
        if rows.is_empty() {
            continue;
        }
        let left_out: Vec<Category> = Category::ALL
            .into_iter()
            .filter(|c| !rows.iter().any(|r| r.categories.len() < Category::ALL.len() && r.categories.contains(c)))
            .filter(|c| m.category(*c) > 0.0 || m.lines.iter().any(|l| l.category == *c))
            .collect();
        if !left_out.is_empty() {
            let plan_usd = left_out.iter().map(|c| m.category(*c)).sum();
            checks.push(ReferenceCheck {
                variant: v.name.clone(),
                label: format!(
                    "Not in the estimate: {}",
                    left_out.iter().map(|c| c.label()).collect::<Vec<_>>().join(", ")
                ),
                plan_unknown_lines: m.lines.iter().filter(|l| l.usd.is_none() && left_out.contains(&l.category)).count()
                    as u32,
                categories: left_out,
                low_usd: 0.0,
                high_usd: 0.0,
                plan_usd,
                verdict: Verdict::LeftOut,
                source: rows[0].source.clone(),
            });
        }
    }
    checks
}
