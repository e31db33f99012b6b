//! The scenario file format (RON) — one place that documents every field.
//!
//! Each field's doc comment gives its meaning, unit, valid range and default. The ranges are
//! enforced by [`crate::validate`]; a [`crate::scenario::validate::ValidScenario`] can only be built from a
//! scenario that passed every check, and the engine only accepts that type.
//!
//! Conventions: money is USD; CPU is millicores (`_m`), memory MiB (`_mib`) or GiB (`_gib`),
//! storage GB (`_gb`, decimal as AWS bills it); fractions are `0.0..=1.0` (0.7 = 70 %); months
//! are `"YYYY-MM"` strings.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// A calendar month, written `"YYYY-MM"` in scenario files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth(NaiveDate);

impl YearMonth {
    /// The month `year-month`; `None` if it does not exist.
    pub fn new(year: i32, month: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(year, month, 1).map(Self)
    }
    pub fn year(self) -> i32 {
        self.0.year()
    }
    /// 1..=12
    pub fn month(self) -> u32 {
        self.0.month()
    }
    /// This month plus `n` months (saturating at chrono's far future, which validation keeps us
    /// well away from).
    pub fn plus(self, n: u32) -> Self {
        Self(self.0.checked_add_months(Months::new(n)).unwrap_or(self.0))
    }
    /// Whole months from `self` to `later` (negative if `later` is earlier).
    pub fn months_until(self, later: YearMonth) -> i64 {
        (later.year() as i64 - self.year() as i64) * 12 + later.month() as i64 - self.month() as i64
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl std::str::FromStr for YearMonth {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d")
            .ok()
            .filter(|d| s.len() == 7 && d.year() >= 1900)
            .map(Self)
            .ok_or_else(|| format!("expected a month as \"YYYY-MM\" (e.g. \"2027-01\"), found {s:?}"))
    }
}

impl Serialize for YearMonth {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A whole scenario: demand, workload, data tier, cluster, topology variants and pricing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub meta: Meta,
    pub demand: Demand,
    pub workload: Workload,
    pub data: DataTier,
    pub cluster: Cluster,
    /// Platform services priced per AWS site: edge, security, monitoring, DNS.
    #[serde(default)]
    pub platform: Platform,
    /// Topology variants to plan side by side. At least one.
    pub variants: Vec<Variant>,
    #[serde(default)]
    pub pricing: Pricing,
    /// Money the way finance sees it: fiscal year, discounts, escalation, contingency, currency,
    /// commitments (reserved instances, savings plans) and on-prem TCO. Default: none of them.
    #[serde(default)]
    pub finance: Finance,
    /// Availability, RTO and RPO the design must meet. Default 99.9 %, 4 h, 15 min.
    #[serde(default)]
    pub targets: Targets,
    /// Component availabilities and the outage model.
    #[serde(default)]
    pub availability: AvailabilityInputs,
    /// Someone else's estimate to hold the plan against (e.g. the design document's cost table),
    /// per category, for month 1 of the first variant that names it. Empty by default.
    #[serde(default)]
    pub reference_estimates: Vec<ReferenceEstimate>,
    /// Random-number settings shared by every simulation. Default: seed 1.
    #[serde(default)]
    pub simulation: Simulation,
    /// Uncertain inputs and budget lines for the Monte Carlo simulation. Default: none.
    #[serde(default)]
    pub uncertainty: Uncertainty,
}

/// What is uncertain, and what the Monte Carlo simulation (`headroom simulate`) reports on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Uncertainty {
    /// Paths to run. Range 1..=1 000 000. Default 10 000.
    pub paths: u32,
    /// Numeric inputs drawn from a distribution on every path, by field path (any numeric
    /// field: `demand.annual_growth`, `workload.services[1].cpu_ms_per_request`,
    /// `finance.annual_escalation`…). Integer fields take the nearest whole number. Default none.
    pub inputs: Vec<UncertainInput>,
    /// Budget lines: the simulation reports the probability each fiscal year's cost exceeds it.
    pub budgets: Vec<Budget>,
    /// Confidence for "the month by which a capacity limit is hit". Range 0.5..<1. Default 0.9.
    pub confidence: f64,
}

impl Default for Uncertainty {
    fn default() -> Self {
        Self { paths: 10_000, inputs: Vec::new(), budgets: Vec::new(), confidence: 0.9 }
    }
}

/// One uncertain input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UncertainInput {
    /// Field path, as validation messages and the Assumptions tab show it.
    pub path: String,
    pub dist: Dist,
}

/// A distribution (statrs), with the parameters users think in.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Dist {
    /// sd > 0.
    Normal { mean: f64, sd: f64 },
    /// A positive quantity with this mean and standard deviation (mean > 0, sd > 0).
    LogNormal { mean: f64, sd: f64 },
    /// min < max, min ≤ mode ≤ max.
    Triangular { min: f64, mode: f64, max: f64 },
    /// Beta-PERT: mean (min + 4·mode + max) / 6; min < max, min ≤ mode ≤ max.
    Pert { min: f64, mode: f64, max: f64 },
    /// min < max.
    Uniform { min: f64, max: f64 },
}

impl std::fmt::Display for Dist {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Dist::Normal { mean, sd } => write!(f, "Normal(mean {mean}, sd {sd})"),
            Dist::LogNormal { mean, sd } => write!(f, "LogNormal(mean {mean}, sd {sd})"),
            Dist::Triangular { min, mode, max } => write!(f, "Triangular({min} … {mode} … {max})"),
            Dist::Pert { min, mode, max } => write!(f, "PERT({min} … {mode} … {max})"),
            Dist::Uniform { min, max } => write!(f, "Uniform({min} … {max})"),
        }
    }
}

/// A budget line for one fiscal year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// Fiscal year label as the plan shows it (`FY2028` or `2028`).
    pub fiscal_year: String,
    /// Amortised cost allowed, USD. Range >0.
    pub usd: f64,
    /// Only this variant. Default: every variant.
    #[serde(default)]
    pub variant: Option<String>,
}

/// The budget line for fiscal year `year` of `variant`: the first line naming that year and
/// either that variant or none.
pub fn budget_for(budgets: &[Budget], year: i32, variant: &str) -> Option<f64> {
    budgets
        .iter()
        .find(|b| {
            b.fiscal_year.trim_start_matches("FY").parse() == Ok(year)
                && b.variant.as_deref().is_none_or(|n| n == variant)
        })
        .map(|b| b.usd)
}

/// Seeds for everything random: the same scenario and seed give byte-identical results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Simulation {
    /// Seed of the ChaCha8 generators (one stream per month). Any u64. Default 1.
    pub seed: u64,
}

impl Default for Simulation {
    fn default() -> Self {
        Self { seed: 1 }
    }
}

/// Scenario identity and the planning horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Scenario name shown in reports. Non-empty.
    pub name: String,
    /// Free text. Default empty.
    #[serde(default)]
    pub description: String,
    /// First planned month, `"YYYY-MM"`.
    pub start: YearMonth,
    /// Planned months. Range 1..=240 (20 years). Default 60.
    #[serde(default = "d_horizon")]
    pub horizon_months: u32,
    /// ISO currency code of all results. Only `"USD"` for now (every price table is USD).
    /// Default `"USD"`.
    #[serde(default = "d_usd")]
    pub currency: String,
}

/// How many users there are, month by month, hour by hour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Demand {
    /// Peak concurrent users in the first month. Range 1..=100 000 000.
    pub concurrent_users: f64,
    /// Compound annual growth of users, as a fraction (0.2 = +20 %/yr), applied monthly as
    /// `(1+g)^(1/12)`. Range -0.9..=10. Default 0.2.
    #[serde(default = "d_growth")]
    pub annual_growth: f64,
    /// Dated step changes (a new client, a merger), applied from their month on and growing
    /// with the base afterwards. Default none.
    #[serde(default)]
    pub events: Vec<DemandEvent>,
    /// Peak multiplier per calendar month, January first (1.0 = no effect). 12 values, each
    /// 0..=10. Default all 1.0.
    #[serde(default = "d_seasonality")]
    pub seasonality: Vec<f64>,
    /// Concurrent users per hour of day as a share of the day's peak, 00:00 first. 24 values,
    /// each 0..=1, the largest exactly 1. Default all 1.0 (flat).
    #[serde(default = "d_diurnal")]
    pub diurnal: Vec<f64>,
    /// Saturday and Sunday profile, as shares of the weekday peak (24 values, each 0..=1).
    /// When given, the autoscaling simulation runs a week (Monday first) instead of one day, and
    /// the month's average counts 5 weekdays and 2 weekend days. Default none (every day alike).
    #[serde(default)]
    pub weekend_diurnal: Option<Vec<f64>>,
}

/// A step change in users.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandEvent {
    /// First month the change applies, `"YYYY-MM"`, within the horizon.
    pub month: YearMonth,
    pub change: Change,
    /// Why (shown in reports). Default empty.
    #[serde(default)]
    pub note: String,
}

/// What a [`DemandEvent`] does to the user count.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Change {
    /// Add this many concurrent users (negative removes; the result never goes below 0).
    /// Range -100 000 000..=100 000 000.
    Add(f64),
    /// Multiply the user count by this factor. Range 0..=100.
    Multiply(f64),
}

/// The application services and how load turns into pods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workload {
    /// Requests per concurrent user per second at the daily peak, before the split to services.
    /// Range >0..=1000.
    pub peak_requests_per_user_per_s: f64,
    /// At least one service; names unique.
    pub services: Vec<Service>,
}

/// One stateless service (a Deployment with an HPA).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Unique, non-empty.
    pub name: String,
    /// Requests this service receives per user request (its share of the traffic). A user request
    /// may reach several services, so shares need not sum to 1. Range 0..=100.
    pub request_share: f64,
    /// CPU time per request, milliseconds of one core. Range >0..=600 000.
    pub cpu_ms_per_request: f64,
    /// Wall-clock time a request is in flight (CPU + waiting on the database, cache, network),
    /// milliseconds; with Little's law gives in-flight requests = rate × time. Range
    /// `cpu_ms_per_request`..=600 000. Default = `cpu_ms_per_request`.
    #[serde(default)]
    pub response_time_ms: Option<f64>,
    /// Memory held by one in-flight request, MiB. Range 0..=65 536. Default 0.
    #[serde(default)]
    pub memory_mib_per_request: f64,
    /// Memory a pod uses at rest (runtime, code, caches), MiB. Range 0..<`pod.memory_request_mib`.
    pub baseline_memory_mib: f64,
    /// Container resources of one pod (sum over its containers, sidecars included).
    pub pod: PodResources,
    /// HPA minReplicas. Range 1..=`max_replicas`. Default 1 (the Kubernetes default).
    #[serde(default = "d_one")]
    pub min_replicas: u32,
    /// HPA maxReplicas. Range `min_replicas`..=10 000.
    pub max_replicas: u32,
    /// HPA target average CPU utilisation as a fraction of the CPU request (0.8 = 80 %).
    /// Range 0.01..=1 (a whole percent, at least 1 %). Default 0.8 (Kubernetes `DefaultCPUUtilization`).
    #[serde(default = "d_target")]
    pub target_cpu_utilization: f64,
    /// PostgreSQL queries per request. Range 0..=1000. Default 0.
    #[serde(default)]
    pub db_queries_per_request: f64,
    /// Database connections each pod holds open (its pool size). Range 0..=1000. Default 0.
    #[serde(default)]
    pub db_connections_per_pod: u32,
    /// Bytes sent to the client per request, KiB (drives load balancer and internet egress).
    /// Range 0..=1 048 576. Default 0.
    #[serde(default)]
    pub response_kib: f64,
    /// Node pool the pods run on (by name). Default: the first pool.
    #[serde(default)]
    pub pool: Option<String>,
    /// Further pools the pods may also run on (node affinity over several node groups). The
    /// scheduler places pods on any of them; the cluster autoscaler grows the one its
    /// least-waste expander picks. Static peak sizing packs onto `pool`. Default none.
    #[serde(default)]
    pub also_pools: Vec<String>,
    /// Requests one pod works on at once (worker processes or threads, each at up to one core):
    /// the request-level model has `replicas × concurrency_per_pod` servers. Range 1..=10 000.
    /// Default 1.
    #[serde(default = "d_one")]
    pub concurrency_per_pod: u32,
    /// The response-time objective at the peak hour, e.g. `(percentile: 0.95, ms: 300)`. The
    /// plan reports the fewest replicas meeting it (M/M/c, Erlang C) and warns in months where
    /// the HPA's target would not. Default none.
    #[serde(default)]
    pub latency_slo: Option<LatencySlo>,
    /// Distribution of the CPU time per request in the request-level simulation
    /// (`headroom queue`). Default `Exponential` (what Erlang C assumes).
    #[serde(default)]
    pub service_time: ServiceTime,
    /// Bursty arrivals in the request-level simulation. Default none (Poisson).
    #[serde(default)]
    pub arrival_bursts: Option<Burst>,
    /// Spread replicas over the pool's zones (pod anti-affinity / topology spread on
    /// `topology.kubernetes.io/zone`): at least one replica per zone at serving sites.
    /// Default true.
    #[serde(default = "d_true")]
    pub zone_spread: bool,
    /// The HPA's `spec.behavior` (autoscaling/v2): scale-up and scale-down stabilisation windows
    /// and rate policies, as the simulated day applies them. Default none: the legacy rules
    /// (scale-up at most max(2 × current, 4) per sync, downscale stabilisation from
    /// `cluster.autoscaling.downscale_stabilization_s`).
    #[serde(default)]
    pub hpa_behavior: Option<HpaBehavior>,
}

/// An HPA's `spec.behavior`. A direction left out takes the upstream defaults: scale-up no
/// window, the larger of 4 pods or 100 % per 15 s; scale-down the downscale stabilisation
/// window, 100 % per 15 s.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HpaBehavior {
    pub scale_up: Option<ScalingRules>,
    pub scale_down: Option<ScalingRules>,
}

/// One direction of an HPA's behavior.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScalingRules {
    /// Seconds of recommendations to stabilise over (scale-up: the lowest; scale-down: the
    /// highest). Range 0..=3600. Default: scale-up 0, scale-down the cluster's downscale
    /// stabilisation.
    pub stabilization_window_s: Option<u32>,
    /// Which policy's limit applies: `Max` (the largest change), `Min`, or `Disabled` (no
    /// scaling in this direction). Default `Max`.
    pub select_policy: Option<SelectPolicy>,
    /// Rate limits. Non-empty when given. Default: the upstream policies above.
    pub policies: Option<Vec<ScalingPolicy>>,
    /// The tolerance in this direction (Kubernetes 1.33+ `behavior.scaleUp/scaleDown.tolerance`,
    /// gate `HPAConfigurableTolerance`): a ratio within `1 - scaleDown` … `1 + scaleUp`
    /// (inclusive) does not scale. Range 0..=1. Default `cluster.autoscaling.hpa_tolerance`.
    pub tolerance: Option<f64>,
}

/// At most `value` pods (or percent of the replicas at the start of the period) per
/// `period_s` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScalingPolicy {
    pub kind: PolicyType,
    /// Range 1..=10 000.
    pub value: u32,
    /// Range 1..=1800 (the Kubernetes limit).
    pub period_s: u32,
}

/// A response-time objective.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatencySlo {
    /// Share of requests that must meet it (0.95 = p95). Range 0.5..=0.9999.
    pub percentile: f64,
    /// Response time, milliseconds, including the non-CPU part of `response_time_ms`.
    /// Range >0..=600 000.
    pub ms: f64,
}

/// Requests and limits of one pod. Limits are recorded for the report; scheduling uses requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodResources {
    /// CPU request, millicores. Range 1..=64 000 (Kubernetes CPU quantities resolve to 1m).
    pub cpu_request_m: f64,
    /// CPU limit, millicores. Range `cpu_request_m`..=64 000. Default none (unlimited).
    #[serde(default)]
    pub cpu_limit_m: Option<f64>,
    /// Memory request, MiB. Range >0..=1 048 576.
    pub memory_request_mib: f64,
    /// Memory limit, MiB. Range `memory_request_mib`..=1 048 576. Default = request.
    #[serde(default)]
    pub memory_limit_mib: Option<f64>,
}

/// Databases, cache, object storage and telemetry volumes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataTier {
    pub postgres: Postgres,
    pub redis: Redis,
    pub object_storage: ObjectStorage,
    pub telemetry: Telemetry,
    /// When the database class and the cache's shards change. Default: up when a month's
    /// peak needs more, never down within the horizon.
    #[serde(default)]
    pub resize: ResizePolicy,
}

/// How sizes that cost downtime to change follow the need: the database class and the cache's
/// shards go up in the month whose peak needs more, and down only after the need has stayed
/// within `down_margin` of a smaller size for `…_down_after_months` months in a row. On-prem
/// hardware is bought when needed and kept until its refresh (`finance.onprem`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ResizePolicy {
    /// Months in a row the database's need must fit a smaller class before it moves down.
    /// Range 1..=600. Default none: never down within the horizon.
    pub database_down_after_months: Option<u32>,
    /// The same for the cache's shards. Range 1..=600. Default none.
    pub cache_down_after_months: Option<u32>,
    /// A smaller size counts only if the need is at most this share of what it offers (CPU,
    /// memory, connections, cache memory). Range 0.1..=1. Default 0.8.
    pub down_margin: f64,
}

impl Default for ResizePolicy {
    fn default() -> Self {
        ResizePolicy { database_down_after_months: None, cache_down_after_months: None, down_margin: 0.8 }
    }
}

/// The primary PostgreSQL database (RDS on AWS sites).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Postgres {
    /// CPU time per query, milliseconds of one core. Range >0..=600 000.
    pub cpu_ms_per_query: f64,
    /// Highest acceptable average CPU utilisation of the instance at peak. Range >0..=1.
    /// Default 0.7.
    #[serde(default = "d_db_target")]
    pub target_cpu_utilization: f64,
    /// Memory the engine needs regardless of users (catalog, shared structures), GiB.
    /// Range 0..=1024.
    pub base_memory_gib: f64,
    /// Hot data kept in memory per concurrent user, MiB. Range 0..=1 048 576.
    pub working_set_mib_per_user: f64,
    /// Share of instance memory available to base + working set (the rest is OS, connections,
    /// work_mem). Range 0.05..=1. Default 0.75.
    #[serde(default = "d_mem_fraction")]
    pub usable_memory_fraction: f64,
    /// Share of `max_connections` the application may use (the rest is for admin, replication,
    /// deploy surges). Range 0.05..=1. Default 0.8.
    #[serde(default = "d_conn_fraction")]
    pub usable_connection_fraction: f64,
    /// Data present at the start, GB. Range 0..=1 000 000.
    pub storage_gb_base: f64,
    /// Data per concurrent user, GB (grows with users). Range 0..=1000.
    pub storage_gb_per_user: f64,
    /// Data added per month regardless of users (history, audit), GB. Range 0..=100 000.
    #[serde(default)]
    pub storage_growth_gb_per_month: f64,
    /// Free space kept on the provisioned volume, as a fraction of data. Range 0..=10.
    /// Default 0.25.
    #[serde(default = "d_free_space")]
    pub free_space_fraction: f64,
    /// Data changed (WAL written) per concurrent user per month, GB: drives cross-region
    /// replication traffic and backup growth. Range 0..=1000.
    pub change_gb_per_user_per_month: f64,
    /// Automated backup retention, days (RDS allows 1..=35). Default 7.
    #[serde(default = "d_retention")]
    pub backup_retention_days: u32,
    /// Multi-AZ deployment (a synchronous standby in a second AZ) at primary sites.
    /// Default true.
    #[serde(default = "d_true")]
    pub multi_az: bool,
    /// Instance classes the planner may choose from, smallest first by vCPU then memory.
    /// Each must be in the catalog. Default: every class in the catalog.
    #[serde(default)]
    pub allowed_classes: Vec<String>,
}

/// Redis (ElastiCache, cluster mode) for sessions and hot objects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Redis {
    /// Node type, from the catalog (e.g. `"cache.r5.large"`).
    pub node_type: String,
    /// Memory per concurrent user, MiB. Range 0..=1 048 576.
    pub memory_mib_per_user: f64,
    /// Memory regardless of users, MiB. Range 0..=1 048 576. Default 0.
    #[serde(default)]
    pub base_memory_mib: f64,
    /// Share of node memory usable for data (ElastiCache reserves 25 % by default).
    /// Range 0.05..=1. Default 0.75.
    #[serde(default = "d_mem_fraction")]
    pub usable_memory_fraction: f64,
    /// Replicas per shard (Multi-AZ needs at least 1). Range 0..=5. Default 1.
    #[serde(default = "d_one")]
    pub replicas_per_shard: u32,
    /// Fewest shards. Range 1..=500. Default 1.
    #[serde(default = "d_one")]
    pub min_shards: u32,
}

/// Object storage (S3) for documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectStorage {
    /// Data stored at the start, GB. Range 0..=100 000 000.
    pub gb_base: f64,
    /// New data per concurrent user per month, GB; it accumulates (documents are kept).
    /// Range 0..=10 000.
    pub gb_per_user_per_month: f64,
    /// PUT requests per concurrent user per month. Range 0..=10 000 000. Default 0.
    #[serde(default)]
    pub put_requests_per_user_per_month: f64,
    /// GET requests per concurrent user per month. Range 0..=10 000 000. Default 0.
    #[serde(default)]
    pub get_requests_per_user_per_month: f64,
}

/// Logs and metrics volumes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Telemetry {
    /// Log bytes written per request, KiB (to CloudWatch Logs at AWS sites). Range 0..=1024.
    pub log_kib_per_request: f64,
    /// Months logs are kept. Range 0..=120. Default 1.
    #[serde(default = "d_one")]
    pub log_retention_months: u32,
    /// CloudWatch metrics per node (detailed monitoring, Container Insights). Range 0..=10 000.
    /// Default 0.
    #[serde(default)]
    pub metrics_per_node: u32,
    /// Custom CloudWatch metrics regardless of size. Range 0..=1 000 000. Default 0.
    #[serde(default)]
    pub custom_metrics: u32,
    /// CloudWatch alarms. Range 0..=100 000. Default 0.
    #[serde(default)]
    pub alarms: u32,
    /// CloudWatch dashboards. Range 0..=1000. Default 0.
    #[serde(default)]
    pub dashboards: u32,
}

/// Kubernetes cluster shape: node pools, reservations, overheads, resilience rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cluster {
    /// At least one pool; names unique.
    pub node_pools: Vec<NodePool>,
    /// DaemonSet pods on every node (CNI, kube-proxy, log shipper, node exporter), summed.
    pub daemonset_per_node: Resources,
    /// Cluster add-ons that are not DaemonSets (CoreDNS, metrics-server, cluster-autoscaler,
    /// ingress controller, mesh control plane). Default none.
    #[serde(default)]
    pub system_pods: Vec<SystemPod>,
    /// Keep enough nodes that losing the largest zone at peak still leaves room for every pod.
    /// Default true.
    #[serde(default = "d_true")]
    pub survive_zone_loss: bool,
    /// HPA controller and cluster-autoscaler settings, and the representative-day simulation
    /// that bills node-hours. Default: upstream defaults, simulation on.
    #[serde(default)]
    pub autoscaling: Autoscaling,
}

/// How the HPA controller and the cluster autoscaler run, and whether the plan simulates them.
///
/// With `simulate` on, every month of every AWS site that serves traffic is simulated for a
/// representative day (a week with `demand.weekend_diurnal`) in 5-second ticks: the HPA every
/// `hpa_sync_period_s`, the cluster autoscaler every `scan_interval_s`; compute is billed from
/// the simulated node-hours. Off: static peak sizing billed for 730 h. Controller defaults are
/// the upstream ones (`../shared/reference/hpa-and-cluster-autoscaler.md` §1.1, §2.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Autoscaling {
    /// Simulate the day and bill node-hours from it. Default true.
    pub simulate: bool,
    /// Random variation of load around the daily profile: standard deviation as a fraction of
    /// the profile's value (0.1 = ±10 %). Range 0..=1. Default 0.1 (assumption).
    pub variation: f64,
    /// How long a deviation lasts: correlation time of the variation, minutes (an AR(1) process
    /// sampled every minute). Range 1..=1440. Default 10 (assumption).
    pub variation_minutes: f64,
    /// From a pod being scheduled to Ready (image pull, start, readiness probe), seconds.
    /// Range 0..=3600. Default 30 (assumption; measure yours).
    pub pod_startup_s: f64,
    /// From the autoscaler's scale-up request to a schedulable node, seconds. Range 0..=3600.
    /// Default 180 (CA FAQ: "usually takes 3 to 4 minutes" from request to schedulable, GCE).
    pub node_provisioning_s: f64,
    /// `--horizontal-pod-autoscaler-sync-period`, seconds, a multiple of 5. Range 5..=600.
    /// Default 15.
    pub hpa_sync_period_s: u32,
    /// `--horizontal-pod-autoscaler-tolerance`. Range 0..=1. Default 0.1.
    pub hpa_tolerance: f64,
    /// `--horizontal-pod-autoscaler-downscale-stabilization`, seconds. Range 0..=3600.
    /// Default 300.
    pub downscale_stabilization_s: u32,
    /// `--horizontal-pod-autoscaler-cpu-initialization-period`, seconds. Range 0..=3600.
    /// Default 300.
    pub cpu_initialization_period_s: u32,
    /// `--horizontal-pod-autoscaler-initial-readiness-delay`, seconds. Range 0..=3600. Default 30.
    pub initial_readiness_delay_s: u32,
    /// metrics-server sample window, seconds: a pod that became Ready less than this long ago
    /// (within the CPU initialisation period) has no full sample yet. Range 0..=600. Default 30.
    pub metric_window_s: u32,
    /// Cluster autoscaler `--scan-interval`, seconds, a multiple of 5. Range 5..=600. Default 10.
    pub scan_interval_s: u32,
    /// `--scale-down-utilization-threshold`: a node whose requested CPU and memory are both
    /// below this share of allocatable is unneeded. Range 0..=1. Default 0.5.
    pub scale_down_utilization_threshold: f64,
    /// `--scale-down-unneeded-time`, seconds. Range 0..=86 400. Default 600.
    pub scale_down_unneeded_s: u32,
    /// `--scale-down-delay-after-add`, seconds. Range 0..=86 400. Default 600.
    pub scale_down_delay_after_add_s: u32,
    /// `--max-empty-bulk-delete`: empty nodes removed at once. Range 1..=1000. Default 10.
    pub max_empty_bulk_delete: u32,
}

impl Default for Autoscaling {
    fn default() -> Self {
        Self {
            simulate: true,
            variation: 0.1,
            variation_minutes: 10.0,
            pod_startup_s: 30.0,
            node_provisioning_s: 180.0,
            hpa_sync_period_s: 15,
            hpa_tolerance: 0.1,
            downscale_stabilization_s: 300,
            cpu_initialization_period_s: 300,
            initial_readiness_delay_s: 30,
            metric_window_s: 30,
            scan_interval_s: 10,
            scale_down_utilization_threshold: 0.5,
            scale_down_unneeded_s: 600,
            scale_down_delay_after_add_s: 600,
            max_empty_bulk_delete: 10,
        }
    }
}

/// CPU and memory.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    /// Millicores. Range 0..=64 000.
    pub cpu_m: f64,
    /// MiB. Range 0..=1 048 576.
    pub memory_mib: f64,
}

/// A cluster add-on Deployment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemPod {
    pub name: String,
    /// Range 1..=100.
    pub replicas: u32,
    /// Requests of one replica.
    pub requests: Resources,
    /// Pool it runs on. Default: the first pool.
    #[serde(default)]
    pub pool: Option<String>,
}

/// A managed node group (one instance type, spread over zones).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodePool {
    /// Unique, non-empty.
    pub name: String,
    /// EC2 instance type from the catalog (e.g. `"m5.xlarge"`).
    pub instance_type: String,
    /// Availability zones the pool spans; nodes are spread evenly. Range 1..=6. Default 3.
    #[serde(default = "d_zones")]
    pub zones: u32,
    /// Fewest nodes. Range 0..=`max_nodes`. Default 1.
    #[serde(default = "d_one")]
    pub min_nodes: u32,
    /// Most nodes (the cluster autoscaler's ceiling). Range 1..=5000.
    pub max_nodes: u32,
    /// kubelet maxPods; also sets the EKS memory reservation (11 MiB × maxPods + 255).
    /// Range 1..=737. Default: the EKS ENI formula for the instance type.
    #[serde(default)]
    pub max_pods: Option<u32>,
    /// Root EBS gp3 volume per node, GB. Range 1..=16 384. Default 20 (EKS AMI default).
    #[serde(default = "d_root")]
    pub root_volume_gb: f64,
}

/// Edge, security, monitoring and DNS quantities, priced at every AWS site that serves traffic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Platform {
    /// AWS WAF web ACLs per serving site. Range 0..=100. Default 1.
    pub waf_web_acls: u32,
    /// WAF rules and managed rule groups per web ACL. Range 0..=1000. Default 10.
    pub waf_rules: u32,
    /// Subscribe to AWS Shield Advanced (one fee per organisation; covers WAF fees of protected
    /// resources). Default false.
    pub shield_advanced: bool,
    /// NAT gateways per zone at a serving site. Range 0..=10. Default 1.
    pub nat_gateways_per_zone: u32,
    /// Share of request bytes that go out through NAT (calls to external APIs). Range 0..=10.
    /// Default 0.
    pub nat_egress_share: f64,
    /// Share of service-to-service and service-to-database traffic that crosses a zone
    /// boundary. Range 0..=1. Default 0.67 (two of three zones are remote).
    pub cross_zone_share: f64,
    /// Internal bytes per request (service ↔ database/cache), KiB, for inter-AZ transfer.
    /// Range 0..=1 048 576. Default 0.
    pub internal_kib_per_request: f64,
    /// KMS customer-managed keys per site. Range 0..=10 000. Default 0.
    pub kms_keys: u32,
    /// KMS requests per request served. Range 0..=100. Default 0.
    pub kms_requests_per_request: f64,
    /// Secrets Manager secrets per site. Range 0..=100 000. Default 0.
    pub secrets: u32,
    /// CloudTrail data events per month (management events: first copy free). Range 0..=1e12.
    /// Default 0.
    pub cloudtrail_data_events_per_month: f64,
    /// Route 53 hosted zones (organisation-wide). Range 0..=1000. Default 1.
    pub dns_zones: u32,
    /// DNS queries per concurrent user per month. Range 0..=1 000 000. Default 0.
    pub dns_queries_per_user_per_month: f64,
    /// Route 53 health checks per serving site. Range 0..=1000. Default 0.
    pub health_checks_per_site: u32,
}

impl Default for Platform {
    fn default() -> Self {
        Self {
            waf_web_acls: 1,
            waf_rules: 10,
            shield_advanced: false,
            nat_gateways_per_zone: 1,
            nat_egress_share: 0.0,
            cross_zone_share: 0.67,
            internal_kib_per_request: 0.0,
            kms_keys: 0,
            kms_requests_per_request: 0.0,
            secrets: 0,
            cloudtrail_data_events_per_month: 0.0,
            dns_zones: 1,
            dns_queries_per_user_per_month: 0.0,
            health_checks_per_site: 0,
        }
    }
}

/// A topology variant: the sites that run the platform and what each does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// Unique, non-empty.
    pub name: String,
    /// Free text. Default empty.
    #[serde(default)]
    pub description: String,
    /// At least one site; exactly one `Primary` or one or more `ActiveActive` sites whose shares
    /// sum to 1.
    pub sites: Vec<Site>,
    /// Links between on-premises and AWS. Default none.
    #[serde(default)]
    pub connectivity: Connectivity,
    /// Failover mechanics when the primary site is lost. Default: see [`Failover`].
    #[serde(default)]
    pub failover: Failover,
}

/// One place that runs (part of) the platform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// Unique within the variant, non-empty.
    pub name: String,
    pub location: Location,
    pub role: Role,
    /// Replicate object storage to this site (S3 cross-region replication) — for non-primary
    /// AWS sites. Default false.
    #[serde(default)]
    pub replicate_object_storage: bool,
    /// How the database reaches this site. Default by role: `Streaming` asynchronous with 5 s
    /// lag for WarmStandby, PilotLight and a second ActiveActive site; `Snapshots(24)` for
    /// BackupOnly; nothing for the Primary.
    #[serde(default)]
    pub db_replication: Option<DbReplication>,
}

/// Database replication into a recovery site; sets the RPO.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum DbReplication {
    /// Streaming replication (RDS cross-region read replica, PostgreSQL streaming).
    /// Synchronous: RPO 0. Asynchronous: RPO = typical lag.
    Streaming {
        synchronous: bool,
        /// Typical replication lag, seconds (asynchronous only). Range 0..=86 400. Default 5.
        #[serde(default = "d_lag")]
        lag_seconds: f64,
    },
    /// Transaction-log (WAL) shipping every this many minutes on top of snapshots (RDS
    /// backs up transaction logs every 5 minutes). Range >0..=1440.
    LogShipping(f64),
    /// Snapshot copies every this many hours. Range >0..=720.
    Snapshots(f64),
}

impl DbReplication {
    /// Data that may be lost, minutes.
    pub fn rpo_minutes(self) -> f64 {
        match self {
            DbReplication::Streaming { synchronous: true, .. } => 0.0,
            DbReplication::Streaming { synchronous: false, lag_seconds } => lag_seconds / 60.0,
            DbReplication::LogShipping(m) => m,
            DbReplication::Snapshots(h) => h * 60.0,
        }
    }
}

/// How a variant fails over when its primary site is lost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Failover {
    /// Health-check interval, seconds (Route 53: 30 standard, 10 fast). Range 1..=3600. Default 30.
    pub health_check_interval_s: f64,
    /// Failed checks before the endpoint is unhealthy. Range 1..=10. Default 3.
    pub failure_threshold: u32,
    /// DNS record TTL, seconds: clients follow the cutover after it. Range 0..=86 400. Default 60.
    pub dns_ttl_s: f64,
    /// Who decides to fail over.
    pub cutover: Cutover,
    /// Promoting the database replica to primary, minutes. Range 0..=1440. Default 10.
    pub db_promotion_minutes: f64,
    /// Restoring a database from snapshot, GB per hour. Range >0..=100 000. Default 100.
    pub restore_gb_per_hour: f64,
    /// Building the recovery site's infrastructure from code (cluster, node groups, load
    /// balancer), minutes — for pilot-light and backup-only recovery. Range 0..=10 080.
    /// Default 45.
    pub infrastructure_build_minutes: f64,
    /// From pending pods to schedulable new nodes (cluster-autoscaler reaction + instance
    /// boot), minutes. Range 0..=60. Default 4 (reference §2.4: CA ≤ 30 s + 60–240 s).
    pub node_provisioning_minutes: f64,
    /// Application start and cache warm-up after compute is there, minutes. Range 0..=1440.
    /// Default 5.
    pub warmup_minutes: f64,
}

impl Default for Failover {
    fn default() -> Self {
        Self {
            health_check_interval_s: 30.0,
            failure_threshold: 3,
            dns_ttl_s: 60.0,
            cutover: Cutover::Manual(30.0),
            db_promotion_minutes: 10.0,
            restore_gb_per_hour: 100.0,
            infrastructure_build_minutes: 45.0,
            node_provisioning_minutes: 4.0,
            warmup_minutes: 5.0,
        }
    }
}

/// Who triggers the failover.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Cutover {
    /// Health checks fail over on their own.
    Automatic,
    /// A person confirms the disaster and triggers the runbook; minutes to decide.
    /// Range 0..=1440.
    Manual(f64),
}

/// What the design must achieve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Targets {
    /// Required availability (0.999 = 99.9 %, 8.77 h of downtime a year). Range 0.9..<1.
    /// Default 0.999.
    pub availability: f64,
    /// The recovery time must be below this, hours. Range >0..=720. Default 4.
    pub rto_hours: f64,
    /// The recovery point must be below this, minutes. Range >0..=43 200. Default 15.
    pub rpo_minutes: f64,
}

impl Default for Targets {
    fn default() -> Self {
        Self { availability: 0.999, rto_hours: 4.0, rpo_minutes: 15.0 }
    }
}

/// Inputs of the availability model.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AvailabilityInputs {
    /// Replace rows of the built-in AWS SLA table (`assets/availability/aws-sla.ron`), by key.
    /// Each value 0.9..=1.
    pub overrides: BTreeMap<String, f64>,
    /// Components of an on-premises site, in series (power, network, cluster, database, SAN…).
    /// Required when a variant has an on-prem site.
    pub onprem: Vec<Component>,
    /// Mean duration of a site-level outage when nothing fails over, hours. Range >0..=720.
    /// Default 4.
    pub mttr_hours: Option<f64>,
    /// Count object storage (S3, 99.9 % SLA) on every request's path. Default false: documents
    /// are fetched on some pages only.
    pub object_storage_on_critical_path: bool,
}

/// A component with its availability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    pub name: String,
    /// Range 0.9..=1.
    pub availability: f64,
    /// Where the figure comes from. Non-empty.
    pub source: String,
}

/// Where a site is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Location {
    /// An AWS region with a price table in the catalog (e.g. `Aws("us-east-1")`).
    Aws(String),
    /// An on-premises data centre. Sized like any site; priced by the on-prem TCO inputs
    /// (until they exist, its costs are shown as unknown, never as zero).
    OnPrem,
}

/// What a site does in the topology.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Role {
    /// Serves all traffic; full stack.
    Primary,
    /// Serves this share of traffic with a full stack (shares of all active sites sum to 1).
    /// Range >0..=1.
    ActiveActive(f64),
    /// Full stack kept running at this fraction of the primary's load, plus a cross-region
    /// database replica (same class, Single-AZ); scales up on failover. Scaled down: at least
    /// one replica per service instead of minReplicas, at least one node per pool, no
    /// zone-loss headroom, cache without replicas. Range >0..=1.
    WarmStandby(f64),
    /// Only the database replica (and replicated objects) run; compute is built on failover.
    PilotLight,
    /// Only backups (snapshot copies, replicated objects) are kept here.
    BackupOnly,
}

/// Hybrid connectivity of a variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Connectivity {
    /// AWS Direct Connect 1 Gbps dedicated ports. Range 0..=16. Default 0.
    pub direct_connect_ports: u32,
    /// Site-to-site VPN connections (e.g. the DX backup). Range 0..=100. Default 0.
    pub vpn_connections: u32,
    /// Data sent from AWS to on-premises over Direct Connect per concurrent user per month, GB.
    /// Range 0..=10 000. Default 0.
    pub dx_gb_per_user_per_month: f64,
}

impl Default for Connectivity {
    fn default() -> Self {
        Self { direct_connect_ports: 0, vpn_connections: 0, dx_gb_per_user_per_month: 0.0 }
    }
}

/// Which prices apply and how they are bought.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Pricing {
    /// How each category is bought. Only on-demand today; reserved instances and savings plans
    /// slot in here. Default: on-demand everywhere.
    pub purchase: BTreeMap<Category, PurchaseOption>,
    /// Prices that replace or fill catalog rows, keyed `"REGION/KEY"` (e.g.
    /// `"us-west-2/eks.cluster"`). Each must name a row the catalog has (a gap or a price).
    pub overrides: BTreeMap<String, PriceOverride>,
    /// Costs the model does not derive (support plan, licences), added every month.
    pub extra_items: Vec<ExtraItem>,
    /// Price tables laid over the shipped catalogue, in order (later ones win), as
    /// `headroom prices import` writes them: paths relative to the scenario file. Each
    /// replaces the shipped prices of its region that it has, and adds regions the catalogue
    /// lacks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<String>,
}

/// How a line is bought.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum PurchaseOption {
    /// Pay by the hour at list price.
    #[default]
    OnDemand,
}

/// A user-supplied price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceOverride {
    /// USD per the row's unit. Range 0..=1 000 000.
    pub usd: f64,
    /// Where the figure comes from (a quote, a console page). Non-empty.
    pub source: String,
    /// Date of the figure, `"YYYY-MM-DD"`.
    pub as_of: String,
}

/// A fixed monthly cost line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraItem {
    pub name: String,
    pub category: Category,
    /// USD per month. Range 0..=100 000 000.
    pub monthly_usd: f64,
    /// Where the figure comes from. Non-empty.
    pub source: String,
    /// Variants it applies to (by name). Default: all.
    #[serde(default)]
    pub variants: Vec<String>,
    /// Whether it is an AWS charge the negotiated discount (`finance.aws_discount`) applies to
    /// (e.g. AWS Support, Marketplace). Default: false.
    #[serde(default)]
    pub aws_charge: bool,
}

/// A cost range from another estimate, to compare the plan against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceEstimate {
    /// Variant the estimate describes.
    pub variant: String,
    /// The estimate's own label for the row.
    pub label: String,
    /// Categories of the plan the row covers.
    pub categories: Vec<Category>,
    /// USD per month, low and high. 0..=100 000 000, low ≤ high.
    pub low_usd: f64,
    pub high_usd: f64,
    /// Where the estimate comes from.
    pub source: String,
}

/// Cost categories. The first five map onto the seed design's cost table; the rest keep every
/// dollar out of "other".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Category {
    Compute,
    Database,
    Storage,
    DrReplication,
    SecurityMonitoring,
    Networking,
    Cache,
    Connectivity,
    Other,
}

impl Category {
    pub const ALL: [Category; 9] = [
        Category::Compute,
        Category::Database,
        Category::Storage,
        Category::DrReplication,
        Category::SecurityMonitoring,
        Category::Networking,
        Category::Cache,
        Category::Connectivity,
        Category::Other,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Category::Compute => "Compute",
            Category::Database => "Database",
            Category::Storage => "Storage",
            Category::DrReplication => "DR replication & bandwidth",
            Category::SecurityMonitoring => "Security & monitoring",
            Category::Networking => "Networking",
            Category::Cache => "Cache",
            Category::Connectivity => "Connectivity",
            Category::Other => "Other",
        }
    }
}

fn d_horizon() -> u32 {
    60
}
fn d_usd() -> String {
    "USD".into()
}
fn d_growth() -> f64 {
    0.2
}
fn d_seasonality() -> Vec<f64> {
    vec![1.0; 12]
}
fn d_diurnal() -> Vec<f64> {
    vec![1.0; 24]
}
fn d_one() -> u32 {
    1
}
fn d_target() -> f64 {
    0.8
}
fn d_db_target() -> f64 {
    0.7
}
fn d_mem_fraction() -> f64 {
    0.75
}
fn d_conn_fraction() -> f64 {
    0.8
}
fn d_free_space() -> f64 {
    0.25
}
fn d_retention() -> u32 {
    7
}
fn d_true() -> bool {
    true
}
fn d_lag() -> f64 {
    5.0
}
fn d_zones() -> u32 {
    3
}
fn d_root() -> f64 {
    20.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_month_parses_and_counts() {
        let a: YearMonth = "2027-01".parse().unwrap();
        assert_eq!(a.plus(59).to_string(), "2031-12");
        assert_eq!(a.months_until("2028-03".parse().unwrap()), 14);
        assert!("2027-13".parse::<YearMonth>().is_err());
        assert!("2027-1".parse::<YearMonth>().is_err());
        assert!("27-01".parse::<YearMonth>().is_err());
    }
}

/// Finance inputs. Each adjustment becomes a visible cost line; nothing is folded silently.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Finance {
    /// First calendar month of the fiscal year (1 = January). Range 1..=12. Default 1.
    pub fiscal_year_start_month: u32,
    /// Negotiated discount on AWS charges (e.g. an enterprise discount), fraction. Range 0..<1.
    /// Default 0. Applies to the AWS charges of every category without its own rate below.
    pub aws_discount: f64,
    /// Negotiated discounts per service, by cost category (`Compute`: EC2 nodes and EKS;
    /// `Database`: RDS; `Cache`: ElastiCache; `Storage`: S3 and EBS; `Networking`: ALB, NAT and
    /// data transfer; `SecurityMonitoring`: WAF, Shield, CloudWatch, KMS, Secrets Manager;
    /// `Connectivity`: Direct Connect and VPN; `DrReplication`), fraction each. Range 0..<1.
    /// A category listed here takes its own rate instead of `aws_discount`. Default none.
    pub aws_discount_by_category: BTreeMap<Category, f64>,
    /// Price escalation per year from the second plan year on, fraction, compounding.
    /// Range -0.5..=1. Default 0.
    pub annual_escalation: f64,
    /// Contingency on top of everything, fraction. Range 0..=1. Default 0.
    pub contingency: f64,
    /// Also report totals in another currency. Default none (USD only).
    pub reporting_currency: Option<CurrencyRate>,
    /// Reserved instances and savings plans bought. Default none.
    pub commitments: Vec<Commitment>,
    /// What on-premises capacity costs. Without it on-prem lines stay unknown.
    pub onprem: Option<OnPremTco>,
    /// Run a share of a stateless pool's nodes on Spot instances. Default none.
    pub spot: Vec<SpotShare>,
    /// Savings-plan discount to assume when recommending a commitment (not in the catalog).
    /// Range 0..<1. Default none: no savings-plan recommendation.
    pub savings_plan_discount: Option<f64>,
}

/// Spot capacity for a stateless pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpotShare {
    /// Node pool (by name).
    pub pool: String,
    /// Share of the pool's node-hours on Spot. Range 0..=1.
    pub share: f64,
    /// Spot discount off on-demand (spot prices are not in the catalog). Range 0..<1.
    pub discount: f64,
    /// Where the discount comes from. Non-empty.
    pub source: String,
}

impl Default for Finance {
    fn default() -> Self {
        Self {
            fiscal_year_start_month: 1,
            aws_discount: 0.0,
            aws_discount_by_category: BTreeMap::new(),
            annual_escalation: 0.0,
            contingency: 0.0,
            reporting_currency: None,
            commitments: Vec::new(),
            onprem: None,
            spot: Vec::new(),
            savings_plan_discount: None,
        }
    }
}

/// A dated exchange rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurrencyRate {
    /// ISO code, e.g. "EUR".
    pub code: String,
    /// Units of `code` per USD. Range >0..=100 000.
    pub per_usd: f64,
    /// Date of the rate, "YYYY-MM-DD".
    pub as_of: String,
    /// Where the rate comes from. Non-empty.
    pub source: String,
}

/// How an upfront payment is split (AWS reserved-instance and savings-plan payment options).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Payment {
    NoUpfront,
    PartialUpfront,
    AllUpfront,
}

/// What a commitment covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CommitmentKind {
    /// EC2 reserved instances of one instance type (the nodes of pools of that type).
    Ec2Reserved { instance_type: String, count: u32 },
    /// RDS reserved instances of one class (Multi-AZ counts as one reservation covering both).
    RdsReserved { class: String, count: u32 },
    /// ElastiCache reserved nodes of one type.
    CacheReserved { node_type: String, count: u32 },
    /// A savings plan: `usd_per_hour` of commitment buys EC2 usage at `discount` off on-demand
    /// (savings-plan rates are not in the catalog: the discount is the user's). With a
    /// `family` (e.g. "m5") it is an EC2 Instance Savings Plan for that family in `region`;
    /// without, a Compute Savings Plan covering EC2 in every region.
    SavingsPlan {
        usd_per_hour: f64,
        discount: f64,
        #[serde(default)]
        family: Option<String>,
    },
}

/// A reserved instance or savings plan bought from `start` for `term_years`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    pub kind: CommitmentKind,
    /// AWS region it is bought in (must be a site region of the variants it applies to).
    pub region: String,
    /// 1 or 3.
    pub term_years: u32,
    pub payment: Payment,
    /// First month, "YYYY-MM".
    pub start: YearMonth,
    /// Buy again when the term ends, until the horizon. Default true.
    #[serde(default = "d_true")]
    pub renew: bool,
    /// Recurring rate per instance-hour (reservations), USD. Default: the catalog's rate for
    /// this term and payment, where it has one; otherwise required.
    #[serde(default)]
    pub hourly_usd: Option<f64>,
    /// Upfront payment per instance (reservations) or in total (savings plans), USD.
    /// Default 0 for No Upfront; required otherwise.
    #[serde(default)]
    pub upfront_usd: Option<f64>,
    /// Where user-supplied rates come from. Required when a rate is supplied.
    #[serde(default)]
    pub source: String,
    /// Variants it applies to (by name). Default: all.
    #[serde(default)]
    pub variants: Vec<String>,
    /// Set by the app's reserved-coverage what-if: the share (0–1) of month-1 nodes this
    /// reservation was sized to cover (the slider replaces only such commitments). Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage_share: Option<f64>,
}

/// What on-premises capacity costs: hardware (CAPEX, depreciated straight-line) and running
/// costs (OPEX). Hardware is bought in steps when the sized capacity outgrows what is owned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnPremTco {
    /// A Kubernetes worker server.
    pub server: ServerSpec,
    /// Worker servers kept at least (e.g. one per failure domain). Range 1..=1000. Default 1.
    #[serde(default = "d_one")]
    pub min_servers: u32,
    /// Database servers (primary + standby), bought at the start and on refresh. Range 0..=100.
    pub database_servers: u32,
    /// Price of one database server, USD. Range 0..=10 000 000.
    pub database_server_usd: f64,
    /// Database subscription (e.g. a supported PostgreSQL distribution), USD per database
    /// server per year. Range 0..=1 000 000. Default 0.
    #[serde(default)]
    pub database_support_usd_per_server_year: f64,
    /// Storage bought per terabyte usable, USD. Range 0..=1 000 000.
    pub storage_usd_per_tb: f64,
    /// Copies of the data kept (RAID/replication overhead factor). Range 1..=10. Default 2.
    #[serde(default = "d_two")]
    pub storage_copies: f64,
    /// One-off network and security hardware (firewalls, WAF/LB pair), bought at the start
    /// and on refresh.
    #[serde(default)]
    pub fixed_hardware: Vec<HardwareItem>,
    /// Straight-line depreciation period, years; hardware is refreshed (bought again) after it.
    /// Range 1..=10. Default 5.
    #[serde(default = "d_five")]
    pub depreciation_years: u32,
    /// Power usage effectiveness of the data centre. Range 1..=3. Default 1.5.
    #[serde(default = "d_pue")]
    pub pue: f64,
    /// Electricity, USD per kWh. Range 0..=10.
    pub usd_per_kwh: f64,
    /// Rack space, USD per rack unit per month. Range 0..=10 000.
    pub usd_per_rack_unit_month: f64,
    /// Platform subscription (e.g. per-core Kubernetes support), USD per core per year.
    /// Range 0..=100 000.
    pub support_usd_per_core_year: f64,
    /// Share of operations staff for this platform, full-time equivalents. Range 0..=1000.
    pub staff_fte: f64,
    /// Loaded cost of one FTE, USD per year. Range 0..=10 000 000.
    pub staff_usd_per_fte_year: f64,
    /// Where the figures come from. Non-empty.
    pub source: String,
    /// Per input (a field path below `finance.onprem`, e.g. `"server.usd"`): its public source
    /// and date, or `"assumption: …"` for a figure to replace with the user's own quote. Shown
    /// beside the value in every assumptions list. Default none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub basis: BTreeMap<String, String>,
}

/// A server model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSpec {
    /// Range 1..=1024.
    pub cores: u32,
    /// Range 1..=65 536.
    pub memory_gib: f64,
    /// Purchase price, USD. Range 0..=10 000 000.
    pub usd: f64,
    /// Average power draw, kW. Range 0..=20.
    pub power_kw: f64,
    /// Rack units. Range 1..=20.
    pub rack_units: u32,
}

/// A piece of fixed hardware.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HardwareItem {
    pub name: String,
    /// Range 0..=10 000 000.
    pub usd: f64,
    /// Range 0..=20.
    #[serde(default)]
    pub power_kw: f64,
    /// Range 0..=42.
    #[serde(default)]
    pub rack_units: u32,
}

fn d_two() -> f64 {
    2.0
}
fn d_five() -> u32 {
    5
}
fn d_pue() -> f64 {
    1.5
}

/// Service-time distribution around the mean CPU time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub enum ServiceTime {
    /// Memoryless (the M/M/c assumption).
    #[default]
    Exponential,
    /// Lognormal with this coefficient of variation (sd / mean). Range >0..=10.
    LogNormal(f64),
    /// Every request takes the mean.
    Deterministic,
}

/// Bursty arrivals: a two-state Markov-modulated Poisson process with the same mean rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Burst {
    /// Arrival rate in a burst as a multiple of the mean. Range >1..=100.
    pub factor: f64,
    /// Share of time in bursts; `factor × share` must stay below 1. Range >0..<1.
    pub share: f64,
    /// Mean length of a burst, seconds. Range >0..=3600.
    pub mean_seconds: f64,
}

/// How an HPA direction picks among its policies (autoscaling/v2 `selectPolicy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum SelectPolicy {
    Max,
    Min,
    Disabled,
}

/// A scaling policy's unit (autoscaling/v2 `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum PolicyType {
    Pods,
    Percent,
}

impl Commitment {
    /// The catalog key of a reservation's No Upfront rate (the rate used when the commitment
    /// gives none).
    pub fn catalog_rate_key(&self) -> Option<String> {
        if self.payment != Payment::NoUpfront {
            return None;
        }
        let term = match self.term_years {
            1 => "ri1y_nu",
            3 => "ri3y_nu",
            _ => return None,
        };
        match &self.kind {
            CommitmentKind::Ec2Reserved { instance_type, .. } => Some(format!("ec2.{term}.{instance_type}")),
            CommitmentKind::CacheReserved { node_type, .. } => Some(format!("elasticache.{term}.{node_type}")),
            _ => None,
        }
    }
}
