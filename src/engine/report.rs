//! The plan as plain data: what [`crate::engine::plan::plan`] returns and every front end (CLI table,
//! JSON, CSV, GUI) reads. Nothing here computes capacity or cost; renderers only format.

use serde::Serialize;

use crate::engine::demand::MonthDemand;
pub use crate::money::finance::FiscalYear;
pub use crate::money::ledger::{CostLine, DiscountClass, Name, PriceUsed, View};
use crate::scenario::model::{Category, Role, YearMonth};

/// A price older than this many months before the plan's first month is flagged as stale.
pub const STALE_PRICE_MONTHS: i32 = 18;

/// Whole months from a price's as-of date (`YYYY-MM-DD` or `YYYY-MM`) to month `at`; None when
/// the date cannot be read.
pub fn price_age_months(as_of: &str, at: YearMonth) -> Option<i32> {
    let mut parts = as_of.split('-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: i32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) {
        return None;
    }
    Some((at.year() - y) * 12 + (at.month() as i32 - m))
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub scenario: String,
    pub currency: String,
    pub start: YearMonth,
    pub horizon_months: u32,
    pub demand: Vec<MonthDemand>,
    pub variants: Vec<VariantPlan>,
    /// Every price any line used, referenced by index from [`CostLine::price`].
    pub prices: Vec<PriceUsed>,
    pub warnings: Vec<Warning>,
    pub reference_checks: Vec<ReferenceCheck>,
    /// Totals are also shown in this currency at this dated rate.
    pub reporting_currency: Option<crate::scenario::model::CurrencyRate>,
    /// Reserved-instance coverage the node-hours justify, per pool type, region and year.
    pub recommendations: Vec<crate::engine::recommend::Recommendation>,
    /// Every input of the scenario (path, value, unit).
    pub assumptions: Vec<crate::scenario::assumptions::Assumption>,
    /// Availability, RTO, RPO and zone-loss checks per variant (same order as `variants`).
    pub resilience: Vec<crate::engine::topology::Resilience>,
    /// Variants side by side, cheapest first, against the first variant as baseline.
    pub comparison: crate::engine::topology::Comparison,
    /// What produced this report: every export carries it.
    pub provenance: Provenance,
    /// The scenario's budget lines (`uncertainty.budgets`), for the fiscal-year review.
    pub budgets: Vec<crate::scenario::model::Budget>,
}

/// Which Headroom, scenario and prices a report comes from.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Provenance {
    pub headroom_version: String,
    /// FNV-1a 64 of the scenario's content (its canonical JSON: comments and layout of the file
    /// do not change it), hex.
    pub scenario_hash: String,
    /// `simulation.seed`.
    pub seed: u64,
    /// The oldest and newest as-of dates of the prices used.
    pub prices_as_of: (String, String),
}

impl Provenance {
    /// One line: "Headroom 0.1.0 · scenario 1a2b… · seed 20270101 · prices as of 2022-02-13 … 2026-07-20".
    pub fn line(&self) -> String {
        format!(
            "Headroom {} · scenario {} · seed {} · prices as of {} … {}",
            self.headroom_version, self.scenario_hash, self.seed, self.prices_as_of.0, self.prices_as_of.1
        )
    }
}

/// An amount as shown: as it is when complete, "≥ amount" (a lower bound) when lines are
/// unpriced. Every front end words an incomplete total this way.
pub fn lower_bound(complete: bool, text: String) -> String {
    if complete { text } else { format!("≥ {text}") }
}

/// FNV-1a, 64 bits (Fowler–Noll–Vo; offset basis 0xcbf29ce484222325, prime 0x100000001b3): a
/// stable content hash for provenance, hand-written on purpose (six lines; no security role).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariantPlan {
    pub name: String,
    pub description: String,
    pub months: Vec<VariantMonth>,
    /// Sum of known monthly totals over the horizon (amortised view).
    pub total_usd: f64,
    /// The same in the cash view.
    pub total_cash_usd: f64,
    pub fiscal_years: Vec<FiscalYear>,
    /// Every change of a database class, cache shard count or on-prem hardware after month 1,
    /// in month order, with the figure that forced it.
    pub resize_events: Vec<ResizeEvent>,
    /// Which lines, if any, have no price: the totals above are then lower bounds and the
    /// variant cannot be ranked.
    pub completeness: Completeness,
}

/// A size that costs downtime (or a purchase) to change, changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResizeEvent {
    /// 1-based month index.
    pub month: u32,
    pub date: YearMonth,
    pub site: Name,
    pub resource: Resource,
    pub from: String,
    pub to: String,
    /// The figure that forced it, e.g. "CPU: 2.4 vCPU needed > 2".
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Resource {
    Database,
    Cache,
    #[serde(rename = "on-prem hardware")]
    OnPremHardware,
}

impl Resource {
    pub fn label(self) -> &'static str {
        match self {
            Resource::Database => "database",
            Resource::Cache => "cache",
            Resource::OnPremHardware => "on-prem hardware",
        }
    }
}

/// Whether a total is the whole cost: the lines (distinct site + item over the horizon) whose
/// price is unknown, each with what would fill it. An incomplete variant is never ranked,
/// never "cheapest", never a baseline for deltas: its known amount is a lower bound.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Completeness {
    /// No line is unpriced in any month.
    pub complete: bool,
    pub unpriced: Vec<Unpriced>,
}

/// A line with an unknown price.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unpriced {
    /// "site: item" (or the item, for variant-wide lines).
    pub line: String,
    /// The scenario field that would price it, e.g. `pricing.overrides["us-west-2/eks.cluster"]`
    /// or `finance.onprem`.
    pub fill: String,
    /// First month (1-based) the line appears.
    pub first_month: u32,
}

impl Completeness {
    pub fn of(unpriced: Vec<Unpriced>) -> Completeness {
        Completeness { complete: unpriced.is_empty(), unpriced }
    }

    /// The status every front end shows beside a total: "complete" or "cannot rank: N lines
    /// unpriced".
    pub fn status(&self) -> String {
        match self.unpriced.len() {
            0 => "complete".into(),
            1 => "cannot rank: 1 line unpriced".into(),
            n => format!("cannot rank: {n} lines unpriced"),
        }
    }

    /// A total as shown: the amount, or "≥ amount" when lines are unpriced.
    pub fn amount(&self, text: String) -> String {
        lower_bound(self.complete, text)
    }

    /// One line per unpriced item with what fills it.
    pub fn fill_list(&self) -> Vec<String> {
        self.unpriced.iter().map(|u| format!("{} (fill {})", u.line, u.fill)).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariantMonth {
    pub index: u32,
    pub month: YearMonth,
    pub sites: Vec<SiteMonth>,
    pub lines: Vec<CostLine>,
    /// Known cost per category, in [`Category::ALL`] order.
    pub by_category: Vec<(Category, f64)>,
    /// Sum of known line costs in the amortised view.
    pub total_usd: f64,
    /// Sum of known line costs in the cash view.
    pub cash_usd: f64,
    /// Hardware bought this month (cash view).
    pub capex_usd: f64,
    /// Lines whose price is unknown this month (their cost is not in `total_usd`).
    pub unknown_lines: u32,
}

impl VariantMonth {
    pub fn category(&self, c: Category) -> f64 {
        self.by_category.iter().find(|(k, _)| *k == c).map_or(0.0, |(_, v)| *v)
    }
}

/// Capacity of one site in one month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteMonth {
    pub site: Name,
    pub role: Role,
    /// Share of the peak load this site is sized for.
    pub load_fraction: f64,
    pub services: Vec<ServiceSizing>,
    pub pools: Vec<PoolSizing>,
    pub database: Option<DbSizing>,
    pub cache: Option<CacheSizing>,
    /// Objects stored at this site, GB.
    pub object_storage_gb: f64,
    pub traffic: Traffic,
    /// The month's representative day (or week) under the HPA and the cluster autoscaler, for
    /// AWS sites that serve traffic when `cluster.autoscaling.simulate` is on. Services and
    /// pools in scenario order. Shared by the sites and variants with the same load.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub simulation: Option<std::sync::Arc<crate::engine::autoscale::SimResult>>,
}

/// Request and data volumes of one site in one month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Traffic {
    /// User requests per second at the peak hour (0 at a standby: it serves nothing).
    pub peak_rps: f64,
    /// User requests per second averaged over the day.
    pub avg_rps: f64,
    /// User requests per month (average rate × 730 h).
    pub requests_per_month: f64,
    /// Responses to clients, GB per month.
    pub internet_out_gb: f64,
    /// Service ↔ data traffic crossing zones, GB per month.
    pub inter_az_gb: f64,
    /// Log volume written, GB per month.
    pub logs_gb: f64,
    /// Database changes and new objects replicated into this site, GB per month.
    pub replication_in_gb: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceSizing {
    pub service: Name,
    pub peak_rps: f64,
    /// CPU the load needs at peak, millicores.
    pub cpu_demand_m: f64,
    /// Memory the load needs at peak (in-flight requests; baselines excluded), MiB.
    pub memory_demand_mib: f64,
    /// Replicas the load asks for (before maxReplicas).
    pub desired_replicas: u32,
    /// Replicas run (clamped to min/max).
    pub replicas: u32,
    /// Which need set the count.
    pub bound_by: ReplicaBound,
    /// `desired > maxReplicas`: the HPA would sit at its ceiling.
    pub at_max_replicas: bool,
    /// The latency objective at this month's peak (M/M/c or M/G/c), when the service has one and the
    /// site serves traffic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency: Option<LatencyCheck>,
}

/// A service's response-time objective held against the queue at the peak hour: servers =
/// replicas × concurrency per pod, service time = CPU time per request (M/M/c for exponential
/// service times, M/G/c by Allen–Cunneen for the others), plus the non-CPU part of the response
/// time as a constant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LatencyCheck {
    /// The queueing model the figures come from: M/M/c (Erlang C) for exponential service
    /// times, M/G/c (Allen–Cunneen) otherwise.
    pub model: String,
    /// The non-CPU part of the response time (`response_time_ms − cpu_ms_per_request`: database,
    /// network), included in `at_replicas_ms` and in the objective's test.
    pub non_cpu_ms: f64,
    pub percentile: f64,
    pub slo_ms: f64,
    /// Fewest replicas meeting it; None if none up to 10 000 does (the CPU time alone is too
    /// long).
    pub min_replicas: Option<u32>,
    /// The percentile with the replicas the HPA's target gives (`replicas`); None if that queue
    /// is unstable.
    pub at_replicas_ms: Option<f64>,
    pub met: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PoolSizing {
    pub pool: Name,
    pub instance_type: Name,
    /// Nodes the pods need when packed (first-fit decreasing).
    pub packed_nodes: u32,
    /// Nodes run: packed, raised to minNodes and to survive a zone loss, capped at maxNodes.
    pub nodes: u32,
    pub nodes_per_zone: Vec<u32>,
    /// Nodes the rules ask for before the maxNodes cap.
    pub required_nodes: u32,
    pub at_max_nodes: bool,
    /// Pods larger than a node's free allocatable.
    pub unplaceable_pods: u32,
    pub pods: u32,
    pub allocatable_cpu_m: f64,
    pub allocatable_memory_mib: f64,
    pub max_pods: u32,
    /// Requested / allocatable over all nodes run (DaemonSets included).
    pub cpu_request_utilization: f64,
    pub memory_request_utilization: f64,
    /// Node-hours billed in the month: simulated (day × 730/24) or `nodes` × 730 (static).
    pub node_hours: f64,
    /// Whether `node_hours` comes from the autoscaling simulation.
    pub simulated: bool,
}

impl PoolSizing {
    /// Node-hours static peak provisioning would bill: `nodes` × 730 h.
    pub fn static_node_hours(&self) -> f64 {
        f64::from(self.nodes) * crate::catalog::HOURS_PER_MONTH
    }
    /// Average nodes over the month.
    pub fn average_nodes(&self) -> f64 {
        self.node_hours / crate::catalog::HOURS_PER_MONTH
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DbSizing {
    /// The class run: the resize policy's (`data.resize`), at least `needed_class`.
    pub class: Name,
    /// The smallest allowed class this month's peak needs.
    pub needed_class: Name,
    pub multi_az: bool,
    pub vcpu: u32,
    pub memory_gib: f64,
    pub peak_qps: f64,
    /// vCPUs needed at peak at the target utilisation.
    pub cpu_needed_vcpu: f64,
    /// Memory needed (base + working set, over the usable fraction), GiB.
    pub memory_needed_gib: f64,
    pub connections_needed: u32,
    /// RDS default `LEAST(memory / 9531392, 5000)` on the nominal memory.
    pub max_connections: u32,
    /// Which need chose the class.
    pub bound_by: DbBound,
    /// No allowed class meets the need; the largest is shown.
    pub undersized: bool,
    pub data_gb: f64,
    pub provisioned_gb: f64,
    /// Backup storage beyond the free allowance (100 % of provisioned), GB.
    pub billable_backup_gb: f64,
    /// Data written per month (WAL), GB.
    pub change_gb_per_month: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CacheSizing {
    pub node_type: Name,
    pub memory_needed_mib: f64,
    /// Shards run: the resize policy's, at least `needed_shards`.
    pub shards: u32,
    /// Shards this month's peak needs.
    pub needed_shards: u32,
    pub nodes: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    pub variant: String,
    /// First month (1-based) the warning applies.
    pub first_month: u32,
    pub month: YearMonth,
    pub kind: WarningKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum WarningKind {
    PoolAtMaxNodes,
    HpaAtMaxReplicas,
    DatabaseUndersized,
    UnplaceablePods,
    UnknownPrice,
    ZoneLossNotAbsorbed,
    /// The simulated day had demand the Ready pods could not serve (CPU limits, or no Ready pod).
    SimulatedSaturation,
    /// The simulated day had pods waiting for nodes for long (more than one provisioning
    /// delay's worth per scale-up), e.g. a pool at maxNodes.
    SimulatedPending,
    /// At the HPA's target utilisation a service misses its latency objective at the peak.
    LatencySloMissed,
}

impl WarningKind {
    /// What the warnings of this kind are about, as a heading.
    pub fn label(self) -> &'static str {
        match self {
            WarningKind::PoolAtMaxNodes => "Node pools at maxNodes",
            WarningKind::HpaAtMaxReplicas => "Services at maxReplicas",
            WarningKind::DatabaseUndersized => "Database class too small",
            WarningKind::UnplaceablePods => "Pods larger than a node",
            WarningKind::UnknownPrice => "Unknown prices",
            WarningKind::ZoneLossNotAbsorbed => "Zone loss not absorbed",
            WarningKind::SimulatedSaturation => "Saturation in the simulated day",
            WarningKind::SimulatedPending => "Pods waiting for nodes in the simulated day",
            WarningKind::LatencySloMissed => "Latency objectives missed",
        }
    }
}

/// The plan held against a reference estimate row (e.g. the design document's cost table).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReferenceCheck {
    pub variant: String,
    pub label: String,
    pub categories: Vec<Category>,
    pub low_usd: f64,
    pub high_usd: f64,
    /// The plan's month-1 known cost for those categories.
    pub plan_usd: f64,
    /// Month-1 lines in those categories with unknown prices.
    pub plan_unknown_lines: u32,
    pub verdict: Verdict,
    pub source: String,
}

/// A variant's totals against the same variant in a pinned baseline plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delta {
    pub variant: String,
    pub month_1_usd: f64,
    pub last_month_usd: f64,
    pub total_usd: f64,
}

/// Differences of `current` against `baseline`, per variant present in both.
pub fn deltas(current: &Report, baseline: &Report) -> Vec<Delta> {
    current
        .variants
        .iter()
        .filter_map(|v| {
            let b = baseline.variants.iter().find(|b| b.name == v.name)?;
            let first = |p: &VariantPlan| p.months.first().map_or(0.0, |m| m.total_usd);
            let last = |p: &VariantPlan| p.months.last().map_or(0.0, |m| m.total_usd);
            Some(Delta {
                variant: v.name.clone(),
                month_1_usd: first(v) - first(b),
                last_month_usd: last(v) - last(b),
                total_usd: v.total_usd - b.total_usd,
            })
        })
        .collect()
}

impl SiteMonth {
    /// Nodes over the site's pools.
    pub fn nodes(&self) -> u32 {
        self.pools.iter().map(|p| p.nodes).sum()
    }
}

impl VariantMonth {
    /// The month's totals as fiscal years add them.
    pub fn totals(&self) -> crate::money::finance::MonthTotals {
        crate::money::finance::MonthTotals {
            month: self.month,
            amortised_usd: self.total_usd,
            cash_usd: self.cash_usd,
            capex_usd: self.capex_usd,
        }
    }
    /// Nodes over all pools and sites.
    pub fn nodes(&self) -> u32 {
        self.sites.iter().map(SiteMonth::nodes).sum()
    }
    /// The database class of the first site that runs one.
    pub fn db_class(&self) -> Option<&str> {
        self.sites.iter().find_map(|s| s.database.as_ref()).map(|d| &*d.class)
    }
}

/// Which need set a service's replica count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ReplicaBound {
    #[serde(rename = "cpu")]
    Cpu,
    #[serde(rename = "memory")]
    Memory,
    #[serde(rename = "minReplicas")]
    MinReplicas,
}

/// Which need chose a database class (what made the next smaller class fail).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DbBound {
    #[serde(rename = "cpu")]
    Cpu,
    #[serde(rename = "memory")]
    Memory,
    #[serde(rename = "connections")]
    Connections,
    /// The smallest allowed class is enough.
    #[serde(rename = "smallest")]
    Smallest,
}

/// The plan against a reference estimate row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Verdict {
    #[serde(rename = "below")]
    Below,
    #[serde(rename = "within")]
    Within,
    #[serde(rename = "above")]
    Above,
    /// Categories the estimate leaves out.
    #[serde(rename = "left out")]
    LeftOut,
}

macro_rules! labels {
    ($($t:ty { $($v:ident => $l:literal),* $(,)? })*) => {$(
        impl $t {
            /// The word reports use.
            pub fn label(self) -> &'static str {
                match self { $(Self::$v => $l),* }
            }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    )*};
}

labels! {
    ReplicaBound { Cpu => "cpu", Memory => "memory", MinReplicas => "minReplicas" }
    DbBound { Cpu => "cpu", Memory => "memory", Connections => "connections", Smallest => "smallest" }
    Verdict { Below => "below", Within => "within", Above => "above", LeftOut => "left out" }
}
