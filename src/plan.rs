//! The projection: for every variant and month, size each site (services → pods → nodes,
//! database class, cache nodes, storage, traffic) and price it line by line.
//!
//! Each month is sized for its peak hour (static sizing: replicas, nodes, database class). With
//! `cluster.autoscaling.simulate` on, AWS sites that serve traffic are also simulated for a
//! representative day under the HPA and the cluster autoscaler ([`crate::autoscale`]) and their
//! nodes are billed from the simulated node-hours; otherwise (and on-prem, and at standbys,
//! which run a fixed size) the peak node count is billed for 730 h.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap as HashMap;

use std::sync::Arc;

use crate::autoscale::{self, SimResult};
use crate::demand::{self, MonthDemand};
use crate::k8s::{self, Allocatable, PodGroup};
use crate::model::*;
use crate::pricing::{Catalog, GLOBAL, HOURS_PER_MONTH};
use crate::report::*;
use crate::validate::ValidScenario;

/// Seconds in a billing month (730 h).
pub(crate) const SECONDS_PER_MONTH: f64 = HOURS_PER_MONTH * 3600.0;
/// KiB → GB (decimal, as AWS bills transfer and storage).
pub(crate) const KIB_TO_GB: f64 = 1024.0 / 1e9;
/// RDS PostgreSQL default `max_connections = LEAST(DBInstanceClassMemory / 9531392, 5000)`.
const RDS_BYTES_PER_CONNECTION: f64 = 9_531_392.0;
const RDS_MAX_CONNECTIONS: f64 = 5000.0;
/// Smallest RDS gp3 volume, GB.
const RDS_MIN_STORAGE_GB: f64 = 20.0;
pub(crate) const DAYS_PER_MONTH: f64 = 365.0 / 12.0;

/// Plan every variant of a validated scenario against a catalog.
pub fn plan(s: &ValidScenario, cat: &Catalog) -> Report {
    plan_with(s, cat, true)
}

/// The sizing and costs only: no latency checks, recommendations, reference checks,
/// resilience, comparison or assumptions list (the Monte Carlo paths need none of them).
pub fn plan_costs(s: &ValidScenario, cat: &Catalog) -> Report {
    plan_with(s, cat, false)
}

fn plan_with(s: &ValidScenario, cat: &Catalog, full: bool) -> Report {
    let demand = demand::project(&s.demand, s.meta.start, s.meta.horizon_months);
    let mut book = PriceBook::new(cat, &s.pricing.overrides);
    let mut ctx = Ctx::new(s, cat);
    ctx.sims = simulate_months(&ctx, &demand);
    ctx.latency_checks = full;
    let mut warnings = Vec::new();
    let fc = crate::finance::Ctx { s, cat, commitments: resolve_commitments(s, &mut book) };
    let variants: Vec<VariantPlan> =
        s.variants.iter().map(|v| plan_variant(&ctx, &fc, v, &demand, &mut book, &mut warnings)).collect();
    let mut report = Report {
        scenario: s.meta.name.clone(),
        currency: s.meta.currency.clone(),
        start: s.meta.start,
        horizon_months: s.meta.horizon_months,
        demand,
        variants,
        prices: book.used,
        warnings,
        reference_checks: Vec::new(),
        reporting_currency: s.finance.reporting_currency.clone(),
        recommendations: Vec::new(),
        assumptions: Vec::new(),
        resilience: Vec::new(),
        comparison: crate::topology::Comparison {
            baseline: String::new(),
            targets: s.targets.clone(),
            rows: Vec::new(),
            cheapest_meeting_all: None,
        },
    };
    if full {
        summarise(s, cat, &mut report);
    }
    report
}

/// What the full plan adds to the sizing and costs: recommendations, reference checks,
/// resilience, the comparison, zone-loss warnings and the assumptions list.
fn summarise(s: &ValidScenario, cat: &Catalog, r: &mut Report) {
    let variants = &r.variants;
    r.recommendations = crate::finance::recommendations(s, cat, variants);
    r.reference_checks = reference_checks(s, variants);
    r.resilience = s.variants.iter().zip(variants).map(|(v, p)| crate::topology::resilience(s, v, p)).collect();
    r.comparison = crate::topology::compare(s, variants, &r.resilience, None);
    for (v, res) in variants.iter().zip(&r.resilience) {
        if let Some(m) = res.zone_loss_first_failing_month
            && let Some(vm) = v.months.get(m as usize - 1)
        {
            let z = crate::topology::zone_loss(vm);
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
    r.assumptions = crate::assumptions::assumptions(s);
}

/// Commitments with their rates: the user's, or the catalog's No Upfront reserved rate.
fn resolve_commitments<'a>(s: &'a Scenario, book: &mut PriceBook) -> Vec<crate::finance::Resolved<'a>> {
    s.finance
        .commitments
        .iter()
        .map(|c| {
            let catalog = crate::finance::catalog_rate_key(c).map(|k| book.get(&c.region, &k));
            let (hourly, price, user) = match (c.hourly_usd, catalog) {
                (Some(h), _) => (h, None, true),
                (None, Some(i)) => (book.used[i as usize].usd.unwrap_or(0.0), Some(i), false),
                (None, None) => (0.0, None, true),
            };
            crate::finance::Resolved {
                c,
                start_index: s.meta.start.months_until(c.start),
                hourly_usd: hourly,
                upfront_usd: c.upfront_usd.unwrap_or(0.0),
                price,
                user_supplied: user || c.upfront_usd.is_some(),
            }
        })
        .collect()
}

/// Things derived once per scenario.
struct Ctx<'a> {
    s: &'a Scenario,
    pools: Vec<PoolCtx<'a>>,
    /// Pool index of each service.
    service_pool: Vec<usize>,
    /// RDS classes allowed, smallest first (vCPU, then memory).
    db_classes: Vec<(&'a str, u32, f64)>,
    /// Per class: its name, and the line items and price keys (Multi-AZ, Single-AZ, replica).
    db_names: HashMap<&'a str, DbNames>,
    service_names: Vec<Name>,
    cache_mib: f64,
    cache_type: Name,
    cache_item: Name,
    cache_key: String,
    /// Services and pools as the autoscaling simulation sees them (serving sites).
    sim_svcs: Vec<autoscale::SvcSpec>,
    sim_pools: Vec<autoscale::PoolSpec>,
    /// Simulated days by (month index, load fraction bits).
    sims: HashMap<(u32, u64), Arc<SimResult>>,
    /// Latency checks by (service, peak rate bits, replicas): variants with the same serving
    /// load share them.
    latency: std::sync::Mutex<HashMap<(usize, u64, u32), Option<LatencyCheck>>>,
    /// Hold services against their latency objectives (not on Monte Carlo paths).
    latency_checks: bool,
}

struct DbNames {
    class: Name,
    multi_az_item: Name,
    single_az_item: Name,
    replica_item: Name,
    multi_az_key: String,
    single_az_key: String,
}

struct PoolCtx<'a> {
    pool: &'a NodePool,
    name: Name,
    instance: Name,
    /// Cost line item for this pool's nodes.
    item: Name,
    alloc: Allocatable,
    /// Allocatable left for workload pods after DaemonSets.
    free: Allocatable,
    ec2_key: String,
    system: Vec<PodGroup>,
}

impl<'a> Ctx<'a> {
    fn new(s: &'a Scenario, cat: &'a Catalog) -> Self {
        let (mut system, service_pool) = pool_layout(s);
        let pools: Vec<PoolCtx> = s
            .cluster
            .node_pools
            .iter()
            .zip(&mut system)
            .map(|(p, system)| {
                let (alloc, free) = pool_allocatable(s, cat, p);
                PoolCtx {
                    pool: p,
                    name: p.name.as_str().into(),
                    instance: p.instance_type.as_str().into(),
                    item: format!("EC2 nodes {} ({})", p.instance_type, p.name).into(),
                    alloc,
                    free,
                    ec2_key: format!("ec2.{}", p.instance_type),
                    system: std::mem::take(system),
                }
            })
            .collect();
        let db_classes = allowed_db_classes(s, cat);
        let cache_mib = cache_usable_mib(s, cat);
        let db_names = db_classes
            .iter()
            .map(|&(c, _, _)| {
                let names = DbNames {
                    class: c.into(),
                    multi_az_item: format!("RDS PostgreSQL {c} Multi-AZ").into(),
                    single_az_item: format!("RDS PostgreSQL {c}").into(),
                    replica_item: format!("RDS PostgreSQL standby replica {c}").into(),
                    multi_az_key: format!("rds.postgres.multi_az.{c}"),
                    single_az_key: format!("rds.postgres.single_az.{c}"),
                };
                (c, names)
            })
            .collect();
        let service_names = s.workload.services.iter().map(|x| Name::from(x.name.as_str())).collect();
        let cache_type: Name = s.data.redis.node_type.as_str().into();
        let cache_item = format!("ElastiCache {} nodes", s.data.redis.node_type).into();
        let cache_key = format!("elasticache.{}", s.data.redis.node_type);
        let sim_svcs =
            s.workload
                .services
                .iter()
                .enumerate()
                .map(|(i, sv)| {
                    let zones = pools[service_pool[i]].pool.zones;
                    autoscale::SvcSpec {
                        pools: std::iter::once(service_pool[i])
                            .chain(
                                sv.also_pools
                                    .iter()
                                    .filter_map(|n| s.cluster.node_pools.iter().position(|p| &p.name == n))
                                    .filter(|&q| q != service_pool[i]),
                            )
                            .collect(),
                        cpu_request_m: sv.pod.cpu_request_m.round() as i64,
                        memory_request_mib: sv.pod.memory_request_mib,
                        cpu_limit_m: sv.pod.cpu_limit_m,
                        cpu_m_per_rps: sv.request_share * sv.cpu_ms_per_request,
                        // As static sizing: one replica per zone at least when spread.
                        min_replicas: if sv.zone_spread { sv.min_replicas.max(zones) } else { sv.min_replicas },
                        max_replicas: sv.max_replicas,
                        target_pct: (sv.target_cpu_utilization * 100.0).round() as i64,
                        zone_spread: sv.zone_spread,
                        behavior: sv.hpa_behavior.as_ref().map(|b| {
                            autoscale::Behavior::from_model(b, s.cluster.autoscaling.downscale_stabilization_s)
                        }),
                    }
                })
                .collect();
        let ds = s.cluster.daemonset_per_node;
        let sim_pools = pools
            .iter()
            .map(|pc| autoscale::PoolSpec {
                alloc_cpu_m: pc.alloc.cpu_m,
                alloc_memory_mib: pc.alloc.memory_mib,
                max_pods: pc.alloc.pods,
                ds_cpu_m: ds.cpu_m,
                ds_memory_mib: ds.memory_mib,
                zones: pc.pool.zones,
                min_nodes: pc.pool.min_nodes,
                max_nodes: pc.pool.max_nodes,
                zone_loss_headroom: s.cluster.survive_zone_loss,
                system: pc.system.iter().map(|g| (g.cpu_m, g.memory_mib, g.count)).collect(),
            })
            .collect();
        Ctx {
            s,
            sim_svcs,
            sim_pools,
            sims: HashMap::default(),
            latency: Default::default(),
            latency_checks: true,
            pools,
            service_pool,
            db_classes,
            db_names,
            service_names,
            cache_mib,
            cache_type,
            cache_item,
            cache_key,
        }
    }
}

/// Per node pool its system pods, and the pool of each service (named, else the first).
pub(crate) fn pool_layout(s: &Scenario) -> (Vec<Vec<PodGroup>>, Vec<usize>) {
    let pool_index = |name: &Option<String>| {
        name.as_ref().and_then(|n| s.cluster.node_pools.iter().position(|p| &p.name == n)).unwrap_or(0)
    };
    let mut system = vec![Vec::new(); s.cluster.node_pools.len()];
    for sp in &s.cluster.system_pods {
        if let Some(g) = system.get_mut(pool_index(&sp.pool)) {
            g.push(PodGroup { cpu_m: sp.requests.cpu_m, memory_mib: sp.requests.memory_mib, count: sp.replicas });
        }
    }
    (system, s.workload.services.iter().map(|sv| pool_index(&sv.pool)).collect())
}

/// Usable memory of one cache node, MiB.
pub(crate) fn cache_usable_mib(s: &Scenario, cat: &Catalog) -> f64 {
    cat.cache[&s.data.redis.node_type].memory_gib * 1024.0 * s.data.redis.usable_memory_fraction
}

/// The RDS classes the scenario allows, smallest first (vCPU, then memory, then name).
pub(crate) fn allowed_db_classes<'a>(s: &Scenario, cat: &'a Catalog) -> Vec<(&'a str, u32, f64)> {
    let pg = &s.data.postgres;
    let mut db_classes: Vec<(&str, u32, f64)> = cat
        .rds
        .iter()
        .filter(|(k, _)| pg.allowed_classes.is_empty() || pg.allowed_classes.contains(k))
        .map(|(k, c)| (k.as_str(), c.vcpu, c.memory_gib))
        .collect();
    db_classes.sort_by(|a, b| a.1.cmp(&b.1).then(a.2.total_cmp(&b.2)).then(a.0.cmp(b.0)));
    db_classes
}

/// A pool node's allocatable, and what is left of it for workload pods after DaemonSets.
pub(crate) fn pool_allocatable(s: &Scenario, cat: &Catalog, p: &NodePool) -> (Allocatable, Allocatable) {
    let ds = s.cluster.daemonset_per_node;
    let alloc = k8s::eks_allocatable(&cat.ec2[&p.instance_type], p.max_pods);
    let free = Allocatable {
        cpu_m: (alloc.cpu_m - ds.cpu_m).max(0.0),
        memory_mib: (alloc.memory_mib - ds.memory_mib).max(0.0),
        pods: alloc.pods,
    };
    (alloc, free)
}

/// The price of `key` in `region` in USD as the plan uses it: the scenario's override, else the
/// catalog's row; None when unknown. Shared with [`crate::lean`].
pub(crate) fn resolved_usd(
    cat: &Catalog,
    overrides: &BTreeMap<String, PriceOverride>,
    region: &str,
    key: &str,
) -> Option<f64> {
    match overrides.get(&format!("{region}/{key}")) {
        Some(o) => Some(o.usd),
        None => cat.price(region, key).and_then(|r| r.usd),
    }
}

/// Resolves price rows (with user overrides) and records each one used, once.
struct PriceBook<'a> {
    cat: &'a Catalog,
    overrides: &'a BTreeMap<String, PriceOverride>,
    index: HashMap<String, HashMap<String, u32>>,
    used: Vec<PriceUsed>,
    /// `used[i].unit`, shared by every line that uses price `i`.
    units: Vec<Name>,
    /// Interned line-item names, by the address of their text.
    names: HashMap<(usize, usize), Name>,
    memo: HashMap<(usize, usize, usize, usize), u32>,
}

impl<'a> PriceBook<'a> {
    fn new(cat: &'a Catalog, overrides: &'a BTreeMap<String, PriceOverride>) -> Self {
        Self {
            cat,
            overrides,
            index: HashMap::default(),
            used: Vec::new(),
            units: Vec::new(),
            names: HashMap::default(),
            memo: HashMap::default(),
        }
    }

    /// Index of the price `key` in `region`, registering it on first use. A row the catalog
    /// lacks entirely is recorded as unknown too (validation keeps that from user input).
    fn get(&mut self, region: &str, key: &str) -> u32 {
        // Fast path: the same region and key strings (same addresses) as an earlier call. The
        // strings live in the scenario, the context or the binary for the whole plan, so an
        // address pair identifies a lookup; a miss only costs the content lookup below.
        let memo = (region.as_ptr() as usize, region.len(), key.as_ptr() as usize, key.len());
        if let Some(i) = self.memo.get(&memo) {
            return *i;
        }
        if let Some(i) = self.index.get(region).and_then(|m| m.get(key)).copied() {
            self.memo.insert(memo, i);
            return i;
        }
        let row = self.cat.price(region, key);
        let ov = self.overrides.get(&format!("{region}/{key}"));
        let used = match (ov, row) {
            (Some(o), _) => PriceUsed {
                region: region.into(),
                key: key.into(),
                usd: Some(o.usd),
                unit: row.map_or_else(String::new, |r| r.unit.clone()),
                source: o.source.clone(),
                source_title: "user override (scenario pricing.overrides)".into(),
                as_of: o.as_of.clone(),
                confidence: Some(crate::pricing::Confidence::User),
                note: row.map_or_else(String::new, |r| {
                    format!("catalog: {}", r.usd.map_or("unknown".into(), |u| format!("${u}")))
                }),
            },
            (None, Some(r)) => PriceUsed {
                region: region.into(),
                key: key.into(),
                usd: r.usd,
                unit: r.unit.clone(),
                source: r.source.clone(),
                source_title: self.cat.sources.get(&r.source).map_or_else(String::new, |s| s.title.clone()),
                as_of: r.as_of.clone(),
                confidence: r.confidence,
                note: r.note.clone(),
            },
            (None, None) => PriceUsed {
                region: region.into(),
                key: key.into(),
                usd: None,
                unit: String::new(),
                source: String::new(),
                source_title: String::new(),
                as_of: String::new(),
                confidence: None,
                note: "no such row in the catalog".into(),
            },
        };
        let i = self.used.len() as u32;
        self.units.push(used.unit.as_str().into());
        self.used.push(used);
        self.index.entry(region.to_string()).or_default().insert(key.to_string(), i);
        i
    }
}

impl PriceBook<'_> {
    fn name(&mut self, s: &'static str) -> Name {
        *self.names.entry((s.as_ptr() as usize, s.len())).or_insert_with(|| s.into())
    }
}

/// A line item's name: fixed text (interned) or a name built once beforehand.
enum Item<'n> {
    Fixed(&'static str),
    Built(&'n Name),
}

impl From<&'static str> for Item<'_> {
    fn from(s: &'static str) -> Self {
        Item::Fixed(s)
    }
}

impl<'n> From<&'n Name> for Item<'n> {
    fn from(s: &'n Name) -> Self {
        Item::Built(s)
    }
}

/// Collects the lines of one variant-month.
struct Lines<'b, 'a> {
    book: &'b mut PriceBook<'a>,
    lines: Vec<CostLine>,
}

impl Lines<'_, '_> {
    /// A priced line: `quantity` in the price's unit × the price.
    #[allow(clippy::too_many_arguments)]
    fn priced<'n>(
        &mut self,
        site: &Name,
        category: Category,
        item: impl Into<Item<'n>>,
        quantity: f64,
        region: &str,
        key: &str,
        basis: &'static str,
    ) {
        let i = self.book.get(region, key);
        let item = match item.into() {
            Item::Fixed(s) => self.book.name(s),
            Item::Built(n) => *n,
        };
        let usd = self.book.used[i as usize].usd;
        self.lines.push(CostLine {
            site: *site,
            category,
            item,
            quantity,
            unit: self.book.units[i as usize],
            unit_usd: usd,
            usd: usd.map(|u| u * quantity),
            price: Some(i),
            basis: Cow::Borrowed(basis),
            view: View::Both,
            capex: false,
        });
    }

    /// A line with no catalog price (on-premises until the TCO model lands).
    fn unpriced(
        &mut self,
        site: &Name,
        category: Category,
        item: String,
        quantity: f64,
        unit: &'static str,
        basis: &'static str,
    ) {
        let unit = self.book.name(unit);
        self.lines.push(CostLine {
            site: *site,
            category,
            item: item.into(),
            quantity,
            unit,
            unit_usd: None,
            usd: None,
            price: None,
            basis: Cow::Borrowed(basis),
            view: View::Both,
            capex: false,
        });
    }
}

const ON_PREM: &str = "on-premises cost (hardware, power, space, support) is not modelled yet: unknown, not zero";

/// The services and pools of a scenario as the autoscaling simulation sees them.
pub fn sim_specs(s: &ValidScenario, cat: &Catalog) -> (Vec<autoscale::SvcSpec>, Vec<autoscale::PoolSpec>) {
    let ctx = Ctx::new(s, cat);
    (ctx.sim_svcs, ctx.sim_pools)
}

/// The variant named `name` and its index, or an error listing the scenario's variants.
pub fn find_variant<'a>(s: &'a Scenario, name: &str) -> Result<(usize, &'a Variant), String> {
    s.variants.iter().enumerate().find(|(_, v)| v.name == name).ok_or_else(|| {
        let names: Vec<&str> = s.variants.iter().map(|v| v.name.as_str()).collect();
        format!("unknown variant {name:?}; the scenario has: {}", names.join(", "))
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
) -> Result<DayTrace, String> {
    let (_, v) = find_variant(s, variant)?;
    if month_index >= s.meta.horizon_months {
        return Err(format!("month must be between 1 and {}, found {}", s.meta.horizon_months, month_index + 1));
    }
    let simulated: Vec<&Site> = v.sites.iter().filter(|x| simulated_site(s, x)).collect();
    let st = match site {
        Some(n) => *simulated.iter().find(|x| x.name == n).ok_or_else(|| {
            let names: Vec<&str> = simulated.iter().map(|x| x.name.as_str()).collect();
            format!(
                "site {n:?} of variant {variant:?} is not simulated (AWS sites serving traffic are: {})",
                if names.is_empty() { "none".to_string() } else { names.join(", ") }
            )
        })?,
        None => *simulated.first().ok_or_else(|| {
            if s.cluster.autoscaling.simulate {
                format!("variant {variant:?} has no AWS site serving traffic: nothing is simulated")
            } else {
                "cluster.autoscaling.simulate is off: nothing is simulated".to_string()
            }
        })?,
    };
    let demand = demand::project(&s.demand, s.meta.start, month_index + 1);
    let md = &demand[month_index as usize];
    let ctx = Ctx::new(s, cat);
    let a = &s.cluster.autoscaling;
    let shaper = autoscale::LoadShaper::of(s);
    let mut shape = Vec::new();
    shaper.month(u64::from(month_index), &mut shape);
    let peak = md.peak_users * s.workload.peak_requests_per_user_per_s * load_fraction(st.role);
    let result =
        autoscale::simulate(&ctx.sim_svcs, &ctx.sim_pools, autoscale::Params::from_model(a), peak, &shape, true);
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
    /// Requests per second at the peak, CPU seconds per request, the non-CPU part added to
    /// every response, servers (replicas × concurrency per pod).
    pub lambda: f64,
    pub cpu_ms: f64,
    pub offset_ms: f64,
    pub replicas: u32,
    pub servers: u32,
    pub des: crate::queueing::DesResult,
    /// The same figures from M/M/c (exponential service, Poisson arrivals), without the
    /// offset except in the percentiles' `_with_offset`; None if unstable.
    pub erlang_c: Option<ErlangFigures>,
    pub latency: Option<LatencyCheck>,
}

/// Analytic M/M/c figures in milliseconds.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ErlangFigures {
    pub p_wait: f64,
    pub mean_response_ms: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub mean_wait_ms: f64,
    pub utilisation: f64,
    pub mean_queue: f64,
}

/// Simulate one peak hour of `service` at a serving site of `variant` in month `month_index`,
/// with the replicas the plan gives (or `replicas`), for `seconds` after a minute's warm-up.
#[allow(clippy::too_many_arguments)]
pub fn queue_report(
    s: &ValidScenario,
    cat: &Catalog,
    variant: &str,
    site: Option<&str>,
    service: &str,
    month_index: u32,
    replicas: Option<u32>,
    seconds: f64,
) -> Result<QueueReport, String> {
    let report = plan(s, cat);
    let (vi, _) = find_variant(s, variant)?;
    let m = report.variants[vi]
        .months
        .get(month_index as usize)
        .ok_or_else(|| format!("month must be between 1 and {}, found {}", s.meta.horizon_months, month_index + 1))?;
    let serving: Vec<&SiteMonth> =
        m.sites.iter().filter(|x| matches!(x.role, Role::Primary | Role::ActiveActive(_))).collect();
    let sm = match site {
        Some(n) => *serving.iter().find(|x| x.site.as_str() == n).ok_or_else(|| {
            let names: Vec<&str> = serving.iter().map(|x| x.site.as_str()).collect();
            format!("site {n:?} does not serve traffic in {variant:?} (serving: {})", names.join(", "))
        })?,
        None => *serving.first().ok_or_else(|| format!("variant {variant:?} has no serving site"))?,
    };
    let (si, sv) = s.workload.services.iter().enumerate().find(|(_, x)| x.name == service).ok_or_else(|| {
        let names: Vec<&str> = s.workload.services.iter().map(|x| x.name.as_str()).collect();
        format!("unknown service {service:?}; the scenario has: {}", names.join(", "))
    })?;
    let mut sz = sm.services[si].clone();
    if let Some(r) = replicas {
        if r == 0 {
            return Err("--replicas must be at least 1".into());
        }
        sz.replicas = r;
    }
    let per_pod = sv.concurrency_per_pod.max(1);
    let servers = sz.replicas.saturating_mul(per_pod);
    let offset_ms = (sv.response_time_ms.unwrap_or(sv.cpu_ms_per_request) - sv.cpu_ms_per_request).max(0.0);
    let des = crate::queueing::simulate(&crate::queueing::DesInput {
        lambda: sz.peak_rps,
        mean_service_s: sv.cpu_ms_per_request / 1000.0,
        service: sv.service_time,
        servers,
        duration_s: seconds,
        warmup_s: 60.0,
        burst: sv.arrival_bursts,
        seed: s.simulation.seed ^ month_index as u64,
    })
    .ok_or_else(|| format!("{service} has no load at {} in that month: nothing to simulate", sm.site))?;
    let q = crate::queueing::Mmc { lambda: sz.peak_rps, mu: 1000.0 / sv.cpu_ms_per_request, c: servers };
    let erlang_c = (|| {
        Some(ErlangFigures {
            p_wait: q.p_wait()?,
            mean_response_ms: q.mean_response()? * 1000.0,
            p50_ms: q.response_quantile(0.5)? * 1000.0,
            p95_ms: q.response_quantile(0.95)? * 1000.0,
            p99_ms: q.response_quantile(0.99)? * 1000.0,
            mean_wait_ms: q.mean_wait()? * 1000.0,
            utilisation: q.utilisation(),
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
        offset_ms,
        replicas: sz.replicas,
        servers,
        des,
        erlang_c,
        latency: latency_check(sv, &sz),
    })
}

/// Whether the autoscaling simulation runs for a site: AWS, serving traffic.
fn simulated_site(s: &Scenario, site: &Site) -> bool {
    s.cluster.autoscaling.simulate
        && matches!(site.location, Location::Aws(_))
        && matches!(site.role, Role::Primary | Role::ActiveActive(_))
}

/// Simulate each month once per distinct load fraction of a simulated site (the variants share
/// their days: same month, same random stream, same load → same day).
fn simulate_months(ctx: &Ctx, demand: &[MonthDemand]) -> HashMap<(u32, u64), Arc<SimResult>> {
    let s = ctx.s;
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
    let a = &s.cluster.autoscaling;
    let params = autoscale::Params::from_model(a);
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
                    (load.to_bits(), autoscale::simulate(&ctx.sim_svcs, &ctx.sim_pools, params, peak, shape, false))
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

pub(crate) fn load_fraction(role: Role) -> f64 {
    match role {
        Role::Primary => 1.0,
        Role::ActiveActive(f) | Role::WarmStandby(f) => f,
        Role::PilotLight | Role::BackupOnly => 0.0,
    }
}

fn plan_variant(
    ctx: &Ctx,
    fc: &crate::finance::Ctx,
    v: &Variant,
    demand: &[MonthDemand],
    book: &mut PriceBook,
    warnings: &mut Vec<Warning>,
) -> VariantPlan {
    let s = ctx.s;
    let mut fin_state = crate::finance::State::default();
    let mut months = Vec::with_capacity(demand.len());
    let mut stored_objects_gb = s.data.object_storage.gb_base;
    let mut seen_warnings: BTreeSet<(WarningKind, String)> = BTreeSet::new();
    let mut unknown_items: BTreeSet<String> = BTreeSet::new();
    // Unknown line items already warned about, by the identity of their shared names.
    let mut unknown_seen: rustc_hash::FxHashSet<(Name, Name)> = Default::default();
    let site_names: Vec<Name> = v.sites.iter().map(|x| Name::from(x.name.as_str())).collect();
    let whole: Name = Name::from("");
    // The site that holds the primary copy of objects and the database.
    let primary = v.sites.iter().position(|x| matches!(x.role, Role::Primary | Role::ActiveActive(_))).unwrap_or(0);
    let primary_region = match &v.sites[primary].location {
        Location::Aws(r) => Some(r.as_str()),
        Location::OnPrem => None,
    };
    // Region for variant-wide AWS lines (Direct Connect, VPN): the first AWS site.
    let aws_region = v.sites.iter().find_map(|x| match &x.location {
        Location::Aws(r) => Some(r.as_str()),
        Location::OnPrem => None,
    });

    for md in demand {
        let new_objects_gb = md.users * s.data.object_storage.gb_per_user_per_month;
        if md.index > 0 {
            stored_objects_gb += new_objects_gb;
        }
        let mut lines = Lines { book, lines: Vec::with_capacity(80) };
        let mut sites = Vec::with_capacity(v.sites.len());
        let mut warn = |kind: WarningKind, key: String, message: String| {
            if seen_warnings.insert((kind, key)) {
                warnings.push(Warning {
                    variant: v.name.clone(),
                    first_month: md.index + 1,
                    month: md.month,
                    kind,
                    message,
                });
            }
        };
        let mut primary_db: Option<DbSizing> = None;

        // Primary and active sites first, so standbys can mirror the primary database class.
        let mut order: Vec<usize> = (0..v.sites.len()).collect();
        order.sort_by_key(|&i| !matches!(v.sites[i].role, Role::Primary | Role::ActiveActive(_)));
        for si in order {
            let site = &v.sites[si];
            let name = &site_names[si];
            let load = load_fraction(site.role);
            let serving = matches!(site.role, Role::Primary | Role::ActiveActive(_));
            let standby = !serving;
            let region = match &site.location {
                Location::Aws(r) => Some(r.as_str()),
                Location::OnPrem => None,
            };
            let cat_or_dr = |c: Category| if standby { Category::DrReplication } else { c };
            let peak_rps_total = md.peak_users * s.workload.peak_requests_per_user_per_s * load;
            let avg_rps_total = md.avg_users * s.workload.peak_requests_per_user_per_s * load;

            // Services → replicas.
            let runs_compute = matches!(site.role, Role::Primary | Role::ActiveActive(_) | Role::WarmStandby(_));
            let services: Vec<ServiceSizing> = if runs_compute {
                // A standby runs scaled down: at least one replica per service, not minReplicas.
                s.workload
                    .services
                    .iter()
                    .zip(&ctx.service_names)
                    .enumerate()
                    .map(|(i, (sv, n))| {
                        let zones = ctx.pools[ctx.service_pool[i]].pool.zones;
                        let min = match (standby, sv.zone_spread) {
                            (true, _) => 1,
                            (false, true) => sv.min_replicas.max(zones),
                            (false, false) => sv.min_replicas,
                        };
                        size_service(sv, n, peak_rps_total, min)
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let mut services = services;
            if serving && ctx.latency_checks {
                for (i, (sv, sz)) in s.workload.services.iter().zip(&mut services).enumerate() {
                    if sv.latency_slo.is_some() {
                        sz.latency = ctx
                            .latency
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .entry((i, sz.peak_rps.to_bits(), sz.replicas))
                            .or_insert_with(|| latency_check(sv, sz))
                            .clone();
                    }
                    if let Some(l) = &sz.latency
                        && !l.met
                    {
                        warn(
                            WarningKind::LatencySloMissed,
                            format!("{}/{}", site.name, sv.name),
                            format!(
                                "{}: {} misses p{} ≤ {} ms at the peak with the HPA's {} replicas ({}); it needs {}",
                                site.name,
                                sv.name,
                                l.percentile * 100.0,
                                l.slo_ms,
                                sz.replicas,
                                l.at_replicas_ms.map_or("unstable queue".to_string(), |x| format!("{x:.0} ms")),
                                l.min_replicas
                                    .map_or("more than CPU time allows".to_string(), |r| format!("{r} replicas")),
                            ),
                        );
                    }
                }
            }
            for sz in &services {
                if sz.at_max_replicas {
                    warn(
                        WarningKind::HpaAtMaxReplicas,
                        format!("{}/{}", site.name, sz.service),
                        format!(
                            "{}: {} needs {} replicas at peak but maxReplicas is {}",
                            site.name, sz.service, sz.desired_replicas, sz.replicas
                        ),
                    );
                }
            }

            // The simulated day, if this site has one.
            let simulation =
                if simulated_site(s, site) { ctx.sims.get(&(md.index, load.to_bits())).cloned() } else { None };
            if let Some(sim) = &simulation {
                for (sv, d) in s.workload.services.iter().zip(&sim.services) {
                    if d.saturated_minutes > 0.0 {
                        warn(
                            WarningKind::SimulatedSaturation,
                            format!("{}/{}", site.name, sv.name),
                            format!(
                                "{}: {} could not serve its demand for {:.0} min of the simulated day (peak {} replicas, maxReplicas {})",
                                site.name, sv.name, d.saturated_minutes, d.peak_replicas, sv.max_replicas
                            ),
                        );
                    }
                }
                let pending: f64 = sim.services.iter().map(|d| d.pending_pod_minutes).sum();
                let ups: u32 = sim.pools.iter().map(|p| p.scale_ups).sum();
                let expected = f64::from(ups.max(1)) * s.cluster.autoscaling.node_provisioning_s / 60.0
                    * sim.services.iter().map(|d| f64::from(d.peak_replicas)).sum::<f64>();
                if pending > expected {
                    warn(
                        WarningKind::SimulatedPending,
                        site.name.clone(),
                        format!(
                            "{}: pods waited {:.0} pod-min for nodes in the simulated day ({} scale-ups); check the pools' maxNodes",
                            site.name, pending, ups
                        ),
                    );
                }
            }
            // Pods → nodes per pool.
            let mut pools = Vec::new();
            if runs_compute {
                for (pi, pc) in ctx.pools.iter().enumerate() {
                    let mut groups = pc.system.clone();
                    for (i, (sv, sz)) in s.workload.services.iter().zip(&services).enumerate() {
                        if ctx.service_pool[i] == pi {
                            groups.push(PodGroup {
                                cpu_m: sv.pod.cpu_request_m,
                                memory_mib: sv.pod.memory_request_mib,
                                count: sz.replicas,
                            });
                        }
                    }
                    // A standby keeps one node at least and no zone-loss headroom (losing a zone
                    // of the standby while the primary is down is a second, independent failure).
                    let mut ps = size_pool(
                        pc,
                        &groups,
                        s.cluster.survive_zone_loss && !standby,
                        if standby { 1 } else { pc.pool.min_nodes },
                        &s.cluster.daemonset_per_node,
                    );
                    if let Some(day) = simulation.as_ref().and_then(|r| r.pools.get(pi).map(|p| (p, r.days))) {
                        ps.node_hours = day.0.node_hours * HOURS_PER_MONTH / (24.0 * f64::from(day.1));
                        ps.simulated = true;
                    }
                    if ps.at_max_nodes {
                        warn(
                            WarningKind::PoolAtMaxNodes,
                            format!("{}/{}", site.name, ps.pool),
                            format!(
                                "{}: pool {} needs {} nodes but maxNodes is {}",
                                site.name, ps.pool, ps.required_nodes, ps.nodes
                            ),
                        );
                    }
                    if ps.unplaceable_pods > 0 {
                        warn(
                            WarningKind::UnplaceablePods,
                            format!("{}/{}", site.name, ps.pool),
                            format!(
                                "{}: {} pods are larger than a {} node's free allocatable",
                                site.name, ps.unplaceable_pods, ps.instance_type
                            ),
                        );
                    }
                    pools.push(ps);
                }
            }
            let average_nodes: f64 = pools.iter().map(PoolSizing::average_nodes).sum();

            // Database.
            let runs_db = !matches!(site.role, Role::BackupOnly);
            let database = if !runs_db {
                None
            } else if serving {
                let qps = s
                    .workload
                    .services
                    .iter()
                    .zip(&services)
                    .map(|(sv, sz)| sz.peak_rps * sv.db_queries_per_request)
                    .sum::<f64>();
                let conns: u32 = s
                    .workload
                    .services
                    .iter()
                    .zip(&services)
                    .map(|(sv, sz)| sz.replicas * sv.db_connections_per_pod)
                    .sum();
                // Every serving site holds the whole data set (memory and storage at full load).
                let db = size_db(ctx, md, qps, conns, 1.0, s.data.postgres.multi_az);
                if db.undersized {
                    warn(
                        WarningKind::DatabaseUndersized,
                        site.name.clone(),
                        format!(
                            "{}: no allowed RDS class meets {:.1} vCPU, {:.1} GiB, {} connections; {} shown",
                            site.name, db.cpu_needed_vcpu, db.memory_needed_gib, db.connections_needed, db.class
                        ),
                    );
                }
                if primary_db.is_none() {
                    primary_db = Some(db.clone());
                }
                Some(db)
            } else {
                // A cross-region replica: same class as the primary (it must keep up with the
                // write stream and take over), Single-AZ.
                primary_db.clone().map(|mut d| {
                    d.multi_az = false;
                    d.billable_backup_gb = 0.0;
                    d
                })
            };

            // Cache.
            let cache = if runs_compute {
                let (need, shards) = cache_fit(&s.data.redis, ctx.cache_mib, md.peak_users, load);
                let replicas = if standby { 0 } else { s.data.redis.replicas_per_shard };
                Some(CacheSizing {
                    node_type: ctx.cache_type,
                    memory_needed_mib: need,
                    shards,
                    nodes: shards * (1 + replicas),
                })
            } else {
                None
            };

            let holds_objects = si == primary || site.replicate_object_storage;
            let object_storage_gb = if holds_objects { stored_objects_gb } else { 0.0 };

            // Only serving sites carry traffic; a standby is sized for `load` but idle.
            let requests_month = if serving { avg_rps_total * SECONDS_PER_MONTH } else { 0.0 };
            let resp_kib: f64 = s.workload.services.iter().map(|sv| sv.request_share * sv.response_kib).sum();
            let pl = &s.platform;
            let traffic = Traffic {
                peak_rps: if serving { peak_rps_total } else { 0.0 },
                avg_rps: if serving { avg_rps_total } else { 0.0 },
                requests_per_month: requests_month,
                internet_out_gb: requests_month * resp_kib * KIB_TO_GB,
                inter_az_gb: requests_month * pl.internal_kib_per_request * KIB_TO_GB * pl.cross_zone_share,
                logs_gb: requests_month * s.data.telemetry.log_kib_per_request * KIB_TO_GB,
                replication_in_gb: if standby {
                    database.as_ref().map_or(0.0, |d| d.change_gb_per_month)
                        + if site.replicate_object_storage { new_objects_gb } else { 0.0 }
                } else {
                    0.0
                },
            };
            macro_rules! site_month {
                () => {
                    SiteMonth {
                        site: name.clone(),
                        role: site.role,
                        load_fraction: load,
                        services,
                        pools,
                        database,
                        cache,
                        object_storage_gb,
                        traffic,
                        simulation,
                    }
                };
            }

            // ---- cost lines ----
            let Some(region) = region else {
                // On-premises: sized here, priced by the finance layer when the TCO inputs
                // exist; until then every line is unknown, never zero.
                if s.finance.onprem.is_some() {
                    sites.push((si, site_month!()));
                    continue;
                }
                for p in &pools {
                    lines.unpriced(
                        name,
                        cat_or_dr(Category::Compute),
                        "On-prem Kubernetes nodes".into(),
                        f64::from(p.nodes),
                        "node-month",
                        ON_PREM,
                    );
                }
                if let Some(db) = &database {
                    lines.unpriced(
                        name,
                        cat_or_dr(Category::Database),
                        if db.multi_az { "On-prem PostgreSQL (primary + standby)" } else { "On-prem PostgreSQL" }
                            .into(),
                        1.0,
                        "cluster-month",
                        ON_PREM,
                    );
                    lines.unpriced(
                        name,
                        cat_or_dr(Category::Database),
                        "On-prem database storage".into(),
                        db.provisioned_gb,
                        "GB-month",
                        ON_PREM,
                    );
                }
                if let Some(c) = &cache {
                    lines.unpriced(
                        name,
                        cat_or_dr(Category::Cache),
                        "On-prem Redis nodes".into(),
                        f64::from(c.nodes),
                        "node-month",
                        ON_PREM,
                    );
                }
                if holds_objects {
                    lines.unpriced(
                        name,
                        cat_or_dr(Category::Storage),
                        "On-prem NAS/SAN object storage".into(),
                        object_storage_gb,
                        "GB-month",
                        ON_PREM,
                    );
                }
                sites.push((si, site_month!()));
                continue;
            };

            // Compute.
            if matches!(site.role, Role::Primary | Role::ActiveActive(_) | Role::WarmStandby(_) | Role::PilotLight) {
                lines.priced(
                    name,
                    cat_or_dr(Category::Compute),
                    "EKS control plane",
                    HOURS_PER_MONTH,
                    region,
                    "eks.cluster",
                    "1 cluster × 730 h",
                );
            }
            for (p, pc) in pools.iter().zip(&ctx.pools) {
                lines.priced(
                    name,
                    cat_or_dr(Category::Compute),
                    &pc.item,
                    p.node_hours,
                    region,
                    &pc.ec2_key,
                    if p.simulated {
                        "simulated node-hours: the month's day under the HPA and cluster autoscaler × 730/24"
                    } else {
                        "nodes × 730 h; nodes = peak pods packed first-fit decreasing, raised to minNodes and for zone loss"
                    },
                );
            }
            // Storage: node root volumes, objects.
            let root_gb: f64 =
                pools.iter().zip(&ctx.pools).map(|(p, pc)| p.average_nodes() * pc.pool.root_volume_gb).sum();
            if root_gb > 0.0 {
                lines.priced(
                    name,
                    cat_or_dr(Category::Storage),
                    "EBS gp3 node root volumes",
                    root_gb,
                    region,
                    "ebs.gp3",
                    "average nodes × root_volume_gb",
                );
            }
            if holds_objects {
                let item =
                    if si == primary { "S3 Standard storage" } else { "S3 replica storage (cross-region replication)" };
                lines.priced(
                    name,
                    cat_or_dr(Category::Storage),
                    item,
                    object_storage_gb,
                    region,
                    "s3.standard",
                    "base + Σ users × GB per user per month",
                );
            }
            if si == primary {
                let o = &s.data.object_storage;
                if o.put_requests_per_user_per_month > 0.0 {
                    lines.priced(
                        name,
                        Category::Storage,
                        "S3 PUT requests",
                        md.users * o.put_requests_per_user_per_month / 1000.0,
                        region,
                        "s3.put_requests",
                        "users × PUTs per user per month / 1000",
                    );
                }
                if o.get_requests_per_user_per_month > 0.0 {
                    lines.priced(
                        name,
                        Category::Storage,
                        "S3 GET requests",
                        md.users * o.get_requests_per_user_per_month / 1000.0,
                        region,
                        "s3.get_requests",
                        "users × GETs per user per month / 1000",
                    );
                }
            } else if site.replicate_object_storage
                && let Some(pr) = primary_region
            {
                lines.priced(
                    name,
                    Category::DrReplication,
                    "S3 cross-region replication transfer",
                    new_objects_gb,
                    pr,
                    "transfer.inter_region",
                    "new objects per month (users × GB per user per month)",
                );
            }
            // Database.
            if let Some(db) = &database {
                let n = &ctx.db_names[&*db.class];
                let (item, key) = match (serving, db.multi_az) {
                    (false, _) => (&n.replica_item, &n.single_az_key),
                    (true, true) => (&n.multi_az_item, &n.multi_az_key),
                    (true, false) => (&n.single_az_item, &n.single_az_key),
                };
                lines.priced(
                    name,
                    cat_or_dr(Category::Database),
                    item,
                    HOURS_PER_MONTH,
                    region,
                    key,
                    "1 instance × 730 h; smallest allowed class meeting peak CPU, memory and connections",
                );
                let storage_key = if db.multi_az { "rds.storage_gp3.multi_az" } else { "rds.storage_gp3.single_az" };
                lines.priced(
                    name,
                    cat_or_dr(Category::Database),
                    "RDS gp3 storage",
                    db.provisioned_gb,
                    region,
                    storage_key,
                    "data × (1 + free space), at least 20 GB",
                );
                if db.billable_backup_gb > 0.0 {
                    lines.priced(
                        name,
                        Category::Database,
                        "RDS backup storage",
                        db.billable_backup_gb,
                        region,
                        "rds.backup",
                        "data + retention days × daily change − free allowance",
                    );
                }
                if standby && let Some(pr) = primary_region {
                    lines.priced(
                        name,
                        Category::DrReplication,
                        "Database replication transfer (WAL)",
                        db.change_gb_per_month,
                        pr,
                        "transfer.inter_region",
                        "users × change GB per user per month",
                    );
                }
            }
            // Backups kept at a backup-only site.
            if matches!(site.role, Role::BackupOnly)
                && let Some(pdb) = &primary_db
            {
                let retained = pdb.data_gb
                    + f64::from(s.data.postgres.backup_retention_days) * pdb.change_gb_per_month / DAYS_PER_MONTH;
                match primary_region {
                    Some(pr) => {
                        lines.priced(
                            name,
                            Category::DrReplication,
                            "RDS snapshot copies (cross-region)",
                            retained,
                            region,
                            "rds.backup",
                            "full snapshot + retention days × daily change",
                        );
                        lines.priced(
                            name,
                            Category::DrReplication,
                            "Snapshot and log copy transfer",
                            pdb.change_gb_per_month,
                            pr,
                            "transfer.inter_region",
                            "data changed per month",
                        );
                    }
                    None => lines.priced(
                        name,
                        Category::DrReplication,
                        "Database backups in S3",
                        retained,
                        region,
                        "s3.standard",
                        "full backup + retention days × daily change (upload into AWS is not charged)",
                    ),
                }
            }
            // Cache.
            if let Some(c) = &cache {
                lines.priced(
                    name,
                    cat_or_dr(Category::Cache),
                    &ctx.cache_item,
                    f64::from(c.nodes) * HOURS_PER_MONTH,
                    region,
                    &ctx.cache_key,
                    "shards × (1 + replicas) × 730 h; shards = memory need / usable node memory",
                );
            }
            // Edge and networking: serving sites and warm standbys keep them up.
            if runs_compute {
                let zones = ctx.pools.first().map_or(1, |p| p.pool.zones);
                lines.priced(
                    name,
                    cat_or_dr(Category::Networking),
                    "Application Load Balancer",
                    HOURS_PER_MONTH,
                    region,
                    "alb.hour",
                    "1 ALB × 730 h",
                );
                let gb_out = traffic.internet_out_gb;
                if gb_out > 0.0 {
                    lines.priced(
                        name,
                        cat_or_dr(Category::Networking),
                        "ALB capacity units",
                        gb_out,
                        region,
                        "alb.lcu",
                        "processed-bytes dimension: GB per hour (1 LCU = 1 GB/h) × 730 h",
                    );
                    lines.priced(
                        name,
                        cat_or_dr(Category::Networking),
                        "Data transfer out to internet",
                        gb_out,
                        region,
                        "transfer.internet_out",
                        "requests per month × response KiB",
                    );
                }
                let nat = f64::from(zones * pl.nat_gateways_per_zone);
                if nat > 0.0 {
                    lines.priced(
                        name,
                        cat_or_dr(Category::Networking),
                        "NAT gateways",
                        nat * HOURS_PER_MONTH,
                        region,
                        "nat.hour",
                        "zones × gateways per zone × 730 h",
                    );
                    if gb_out * pl.nat_egress_share > 0.0 {
                        lines.priced(
                            name,
                            cat_or_dr(Category::Networking),
                            "NAT data processed",
                            gb_out * pl.nat_egress_share,
                            region,
                            "nat.gb",
                            "egress GB × NAT egress share",
                        );
                    }
                }
                let inter_az = traffic.inter_az_gb;
                if inter_az > 0.0 {
                    lines.priced(
                        name,
                        cat_or_dr(Category::Networking),
                        "Inter-AZ data transfer",
                        inter_az,
                        region,
                        "transfer.inter_az",
                        "requests × internal KiB × cross-zone share",
                    );
                }
                // Security & monitoring.
                let acls = f64::from(pl.waf_web_acls);
                if acls > 0.0 {
                    let waived = pl.shield_advanced;
                    let b: &'static str =
                        if waived { "covered by the Shield Advanced subscription: not charged" } else { "per web ACL" };
                    let before = lines.lines.len();
                    lines.priced(
                        name,
                        cat_or_dr(Category::SecurityMonitoring),
                        "WAF web ACLs",
                        acls,
                        region,
                        "waf.web_acl",
                        b,
                    );
                    lines.priced(
                        name,
                        cat_or_dr(Category::SecurityMonitoring),
                        "WAF rules",
                        acls * f64::from(pl.waf_rules),
                        region,
                        "waf.rule",
                        b,
                    );
                    lines.priced(
                        name,
                        cat_or_dr(Category::SecurityMonitoring),
                        "WAF requests",
                        requests_month / 1e6,
                        region,
                        "waf.requests",
                        b,
                    );
                    if waived {
                        for l in &mut lines.lines[before..] {
                            l.usd = Some(0.0);
                        }
                    }
                }
                let t = &s.data.telemetry;
                let metrics = average_nodes * f64::from(t.metrics_per_node)
                    + f64::from(if serving { t.custom_metrics } else { 0 });
                if metrics > 0.0 {
                    lines.priced(
                        name,
                        cat_or_dr(Category::SecurityMonitoring),
                        "CloudWatch metrics",
                        metrics,
                        region,
                        "cloudwatch.metric",
                        "nodes × metrics per node + custom metrics",
                    );
                }
                if serving && t.alarms > 0 {
                    lines.priced(
                        name,
                        Category::SecurityMonitoring,
                        "CloudWatch alarms",
                        f64::from(t.alarms),
                        region,
                        "cloudwatch.alarm",
                        "scenario count",
                    );
                }
                if serving && t.dashboards > 0 {
                    lines.priced(
                        name,
                        Category::SecurityMonitoring,
                        "CloudWatch dashboards",
                        f64::from(t.dashboards),
                        region,
                        "cloudwatch.dashboard",
                        "scenario count",
                    );
                }
                let logs_gb = traffic.logs_gb;
                if logs_gb > 0.0 {
                    lines.priced(
                        name,
                        cat_or_dr(Category::SecurityMonitoring),
                        "CloudWatch Logs ingestion",
                        logs_gb,
                        region,
                        "cloudwatch.logs_ingest",
                        "requests per month × log KiB per request",
                    );
                    if t.log_retention_months > 0 {
                        lines.priced(
                            name,
                            cat_or_dr(Category::SecurityMonitoring),
                            "CloudWatch Logs storage",
                            logs_gb * f64::from(t.log_retention_months),
                            region,
                            "cloudwatch.logs_storage",
                            "monthly log GB × retention months",
                        );
                    }
                }
                if pl.kms_keys > 0 {
                    lines.priced(
                        name,
                        cat_or_dr(Category::SecurityMonitoring),
                        "KMS customer-managed keys",
                        f64::from(pl.kms_keys),
                        region,
                        "kms.key",
                        "scenario count",
                    );
                }
                if serving && pl.kms_requests_per_request > 0.0 {
                    lines.priced(
                        name,
                        Category::SecurityMonitoring,
                        "KMS requests",
                        requests_month * pl.kms_requests_per_request / 1e4,
                        region,
                        "kms.requests",
                        "requests × KMS calls per request / 10 000",
                    );
                }
                if pl.secrets > 0 {
                    lines.priced(
                        name,
                        cat_or_dr(Category::SecurityMonitoring),
                        "Secrets Manager secrets",
                        f64::from(pl.secrets),
                        region,
                        "secrets.secret",
                        "scenario count",
                    );
                }
            }
            sites.push((si, site_month!()));
        }
        // Back in the scenario's site order.
        sites.sort_by_key(|x| x.0);
        let sites: Vec<SiteMonth> = sites.into_iter().map(|x| x.1).collect();

        // Variant-wide lines.
        let pl = &s.platform;
        if pl.shield_advanced {
            lines.priced(
                &whole,
                Category::SecurityMonitoring,
                "AWS Shield Advanced subscription",
                1.0,
                GLOBAL,
                "shield_advanced.subscription",
                "one per organisation, 1-year commitment",
            );
        }
        if pl.dns_zones > 0 {
            lines.priced(
                &whole,
                Category::Networking,
                "Route 53 hosted zones",
                f64::from(pl.dns_zones),
                GLOBAL,
                "route53.zone",
                "scenario count",
            );
        }
        if pl.dns_queries_per_user_per_month > 0.0 {
            lines.priced(
                &whole,
                Category::Networking,
                "Route 53 queries",
                md.users * pl.dns_queries_per_user_per_month / 1e6,
                GLOBAL,
                "route53.queries",
                "users × queries per user per month",
            );
        }
        if pl.health_checks_per_site > 0 {
            let mut aws = 0u32;
            let mut other = 0u32;
            for x in v.sites.iter().filter(|x| !matches!(x.role, Role::BackupOnly)) {
                match x.location {
                    Location::Aws(_) => aws += pl.health_checks_per_site,
                    Location::OnPrem => other += pl.health_checks_per_site,
                }
            }
            if aws > 0 {
                lines.priced(
                    &whole,
                    Category::Networking,
                    "Route 53 health checks (AWS endpoints)",
                    f64::from(aws),
                    GLOBAL,
                    "route53.health_check_aws",
                    "checks per site × AWS sites",
                );
            }
            if other > 0 {
                lines.priced(
                    &whole,
                    Category::Networking,
                    "Route 53 health checks (on-prem endpoints)",
                    f64::from(other),
                    GLOBAL,
                    "route53.health_check_non_aws",
                    "checks per site × on-prem sites",
                );
            }
        }
        if pl.cloudtrail_data_events_per_month > 0.0
            && let Some(r) = aws_region
        {
            lines.priced(
                &whole,
                Category::SecurityMonitoring,
                "CloudTrail data events",
                pl.cloudtrail_data_events_per_month / 1e5,
                r,
                "cloudtrail.data_events",
                "events per month / 100 000 (management events: first copy free)",
            );
        }
        let cn = &v.connectivity;
        if let Some(r) = aws_region {
            if cn.direct_connect_ports > 0 {
                lines.priced(
                    &whole,
                    Category::Connectivity,
                    "Direct Connect 1 Gbps ports",
                    f64::from(cn.direct_connect_ports) * HOURS_PER_MONTH,
                    r,
                    "dx.port_1g",
                    "ports × 730 h",
                );
            }
            if cn.dx_gb_per_user_per_month > 0.0 {
                lines.priced(
                    &whole,
                    Category::Connectivity,
                    "Direct Connect data transfer out",
                    md.users * cn.dx_gb_per_user_per_month,
                    r,
                    "dx.transfer_out",
                    "users × GB per user per month",
                );
            }
            if cn.vpn_connections > 0 {
                lines.priced(
                    &whole,
                    Category::Connectivity,
                    "Site-to-site VPN connections",
                    f64::from(cn.vpn_connections) * HOURS_PER_MONTH,
                    r,
                    "vpn.connection",
                    "connections × 730 h",
                );
            }
        }
        for e in s.pricing.extra_items.iter().filter(|e| e.variants.is_empty() || e.variants.contains(&v.name)) {
            lines.lines.push(CostLine {
                site: whole,
                category: e.category,
                item: e.name.as_str().into(),
                quantity: 1.0,
                unit: "month".into(),
                unit_usd: Some(e.monthly_usd),
                usd: Some(e.monthly_usd),
                price: None,
                basis: Cow::Owned(e.source.clone()),
                view: View::Both,
                capex: false,
            });
        }

        let Lines { book, mut lines } = lines;
        crate::finance::apply(fc, &mut fin_state, v, md.index, &site_names, &sites, &mut lines, &book.used);
        let mut by_category: Vec<(Category, f64)> = Category::ALL.iter().map(|c| (*c, 0.0)).collect();
        let mut unknown = 0;
        let (mut cash, mut capex) = (0.0, 0.0);
        for l in &lines {
            match l.usd {
                Some(u) => {
                    if l.view.in_amortised() {
                        by_category[Category::ALL.iter().position(|c| *c == l.category).unwrap_or(8)].1 += u;
                    }
                    if l.view.in_cash() {
                        cash += u;
                        if l.capex {
                            capex += u;
                        }
                    }
                }
                None => {
                    unknown += 1;
                    if !unknown_seen.insert((l.site, l.item)) {
                        continue;
                    }
                    let label = if l.site.is_empty() { l.item.to_string() } else { format!("{}: {}", l.site, l.item) };
                    if unknown_items.insert(label.clone()) {
                        let key = l.price.map(|i| {
                            let p = &book.used[i as usize];
                            format!(" (fill pricing.overrides[\"{}/{}\"])", p.region, p.key)
                        });
                        warnings.push(Warning {
                            variant: v.name.clone(),
                            first_month: md.index + 1,
                            month: md.month,
                            kind: WarningKind::UnknownPrice,
                            message: format!("unknown price: {label}{}", key.unwrap_or_default()),
                        });
                    }
                }
            }
        }
        let total = by_category.iter().map(|(_, v)| v).sum();
        months.push(VariantMonth {
            index: md.index,
            month: md.month,
            sites,
            lines,
            by_category,
            total_usd: total,
            cash_usd: cash,
            capex_usd: capex,
            unknown_lines: unknown,
        });
    }
    let total_usd = months.iter().map(|m| m.total_usd).sum();
    let total_cash_usd = months.iter().map(|m| m.cash_usd).sum();
    let fiscal_years = crate::finance::fiscal_years(s, &months);
    VariantPlan {
        name: v.name.clone(),
        description: v.description.clone(),
        months,
        total_usd,
        total_cash_usd,
        fiscal_years,
        unknown_items: unknown_items.into_iter().collect(),
    }
}

/// Smallest whole number ≥ x, forgiving float noise just above an integer.
fn ceil_u32(x: f64) -> u32 {
    if !x.is_finite() || x <= 0.0 {
        return 0;
    }
    (x - 1e-9).ceil().min(u32::MAX as f64) as u32
}

/// Replicas one service needs at a peak of `total_rps` user requests per second.
pub fn size_service(sv: &Service, name: &Name, total_rps: f64, min_replicas: u32) -> ServiceSizing {
    let rps = total_rps * sv.request_share;
    // ms of CPU per request × requests per second = millicores.
    let cpu_demand_m = rps * sv.cpu_ms_per_request;
    let in_flight = rps * sv.response_time_ms.unwrap_or(sv.cpu_ms_per_request) / 1000.0;
    let memory_demand_mib = in_flight * sv.memory_mib_per_request;
    let by_cpu = ceil_u32(cpu_demand_m / (sv.pod.cpu_request_m * sv.target_cpu_utilization));
    let by_mem = ceil_u32(memory_demand_mib / (sv.pod.memory_request_mib - sv.baseline_memory_mib));
    let (desired, bound_by) = if by_cpu >= by_mem && by_cpu > min_replicas {
        (by_cpu, "cpu")
    } else if by_mem > by_cpu && by_mem > min_replicas {
        (by_mem, "memory")
    } else {
        (min_replicas, "minReplicas")
    };
    ServiceSizing {
        service: *name,
        peak_rps: rps,
        cpu_demand_m,
        memory_demand_mib,
        desired_replicas: desired,
        replicas: desired.min(sv.max_replicas),
        bound_by,
        at_max_replicas: desired > sv.max_replicas,
        latency: None,
    }
}

/// The service's latency objective at `sz`'s peak rate and replicas (M/M/c).
pub fn latency_check(sv: &Service, sz: &ServiceSizing) -> Option<LatencyCheck> {
    let slo = sv.latency_slo?;
    let mu = 1000.0 / sv.cpu_ms_per_request;
    let offset_ms = (sv.response_time_ms.unwrap_or(sv.cpu_ms_per_request) - sv.cpu_ms_per_request).max(0.0);
    let per_pod = sv.concurrency_per_pod.max(1);
    let min_replicas = crate::queueing::replicas_for_slo(
        sz.peak_rps,
        mu,
        per_pod,
        slo.percentile,
        slo.ms / 1000.0,
        offset_ms / 1000.0,
        10_000,
    );
    let q = crate::queueing::Mmc { lambda: sz.peak_rps, mu, c: sz.replicas.saturating_mul(per_pod) };
    let at_replicas_ms = q.response_quantile(slo.percentile).map(|x| x * 1000.0 + offset_ms);
    Some(LatencyCheck {
        percentile: slo.percentile,
        slo_ms: slo.ms,
        min_replicas,
        at_replicas_ms,
        met: at_replicas_ms.is_some_and(|x| x <= slo.ms + 1e-9),
    })
}

/// Nodes a pool needs for `groups`: the packing, the nodes required (raised to `min_nodes` and
/// for zone loss) and the nodes run (capped at maxNodes). Shared with [`crate::lean`].
pub(crate) fn pool_fit(
    free: Allocatable,
    p: &NodePool,
    groups: &[PodGroup],
    survive_zone_loss: bool,
    min_nodes: u32,
) -> (k8s::Packing, u32, u32) {
    pool_fit_packed(k8s::pack_ffd(groups, free), p, survive_zone_loss, min_nodes)
}

/// [`pool_fit`] from a packing already made.
pub(crate) fn pool_fit_packed(
    packing: k8s::Packing,
    p: &NodePool,
    survive_zone_loss: bool,
    min_nodes: u32,
) -> (k8s::Packing, u32, u32) {
    let mut required = packing.nodes.max(min_nodes);
    if survive_zone_loss {
        required = required.max(k8s::nodes_surviving_zone_loss(packing.nodes, p.zones));
    }
    let nodes = required.min(p.max_nodes);
    (packing, required, nodes)
}

fn size_pool(pc: &PoolCtx, groups: &[PodGroup], survive_zone_loss: bool, min_nodes: u32, ds: &Resources) -> PoolSizing {
    let (packing, required, nodes) = pool_fit(pc.free, pc.pool, groups, survive_zone_loss, min_nodes);
    let p = pc.pool;
    let n = f64::from(nodes.max(1));
    PoolSizing {
        pool: pc.name,
        instance_type: pc.instance,
        packed_nodes: packing.nodes,
        nodes,
        nodes_per_zone: k8s::spread(nodes, p.zones),
        required_nodes: required,
        at_max_nodes: required > p.max_nodes,
        unplaceable_pods: packing.unplaceable,
        pods: groups.iter().map(|g| g.count).sum::<u32>() - packing.unplaceable,
        allocatable_cpu_m: pc.alloc.cpu_m,
        allocatable_memory_mib: pc.alloc.memory_mib,
        max_pods: pc.alloc.pods,
        cpu_request_utilization: (packing.cpu_requested_m + ds.cpu_m * n) / (pc.alloc.cpu_m * n),
        memory_request_utilization: (packing.memory_requested_mib + ds.memory_mib * n) / (pc.alloc.memory_mib * n),
        node_hours: f64::from(nodes) * HOURS_PER_MONTH,
        simulated: false,
    }
}

/// Cache memory needed (MiB) and shards at a peak of `peak_users` and `load`. Shared with
/// [`crate::lean`].
pub(crate) fn cache_fit(r: &Redis, usable_mib_per_node: f64, peak_users: f64, load: f64) -> (f64, u32) {
    let need = (r.base_memory_mib + peak_users * r.memory_mib_per_user) * load;
    let shards = ((need / usable_mib_per_node - 1e-9).ceil().max(0.0) as u32).max(r.min_shards);
    (need, shards)
}

/// RDS default max_connections for a class of `memory_gib` (nominal memory).
pub fn rds_max_connections(memory_gib: f64) -> u32 {
    (memory_gib * 1024.0 * 1024.0 * 1024.0 / RDS_BYTES_PER_CONNECTION).min(RDS_MAX_CONNECTIONS).floor() as u32
}

/// The database a site needs: the smallest allowed class meeting peak CPU, memory and
/// connections, and its storage. Shared with [`crate::lean`].
pub(crate) struct DbFit {
    /// Index into the allowed classes (the largest when none is large enough).
    pub class: usize,
    pub undersized: bool,
    pub cpu_needed: f64,
    pub mem_needed: f64,
    pub conns_needed: u32,
    pub data_gb: f64,
    pub provisioned_gb: f64,
    pub billable_backup_gb: f64,
    pub change_gb: f64,
}

/// `classes` are the allowed RDS classes, smallest first (validation keeps at least one).
pub(crate) fn db_fit(
    pg: &Postgres,
    classes: &[(&str, u32, f64)],
    md: &MonthDemand,
    qps: f64,
    conns: u32,
    load: f64,
) -> DbFit {
    let cpu_needed = qps * pg.cpu_ms_per_query / 1000.0 / pg.target_cpu_utilization;
    let mem_needed =
        (pg.base_memory_gib + md.peak_users * load * pg.working_set_mib_per_user / 1024.0) / pg.usable_memory_fraction;
    let conns_needed = ceil_u32(f64::from(conns) / pg.usable_connection_fraction);
    let fits = |&(_, vcpu, mem): &(&str, u32, f64)| {
        f64::from(vcpu) >= cpu_needed && mem >= mem_needed && rds_max_connections(mem) >= conns_needed
    };
    let chosen = classes.iter().position(fits);
    let months = f64::from(md.index);
    let data_gb = pg.storage_gb_base + md.users * pg.storage_gb_per_user + pg.storage_growth_gb_per_month * months;
    let provisioned_gb = (data_gb * (1.0 + pg.free_space_fraction)).ceil().max(RDS_MIN_STORAGE_GB);
    let change = md.users * pg.change_gb_per_user_per_month;
    let backup_total = data_gb + f64::from(pg.backup_retention_days) * change / DAYS_PER_MONTH;
    DbFit {
        class: chosen.unwrap_or(classes.len().saturating_sub(1)),
        undersized: chosen.is_none(),
        cpu_needed,
        mem_needed,
        conns_needed,
        data_gb,
        provisioned_gb,
        billable_backup_gb: (backup_total - provisioned_gb).max(0.0),
        change_gb: change,
    }
}

fn size_db(ctx: &Ctx, md: &MonthDemand, qps: f64, conns: u32, load: f64, multi_az: bool) -> DbSizing {
    let f = db_fit(&ctx.s.data.postgres, &ctx.db_classes, md, qps, conns, load);
    let (class, vcpu, mem) = ctx.db_classes[f.class];
    // What made the smaller classes fail.
    let bound_by = ctx
        .db_classes
        .iter()
        .take_while(|c| c.0 != class)
        .last()
        .map(|&(_, v, m)| {
            if f64::from(v) < f.cpu_needed {
                "cpu"
            } else if m < f.mem_needed {
                "memory"
            } else {
                "connections"
            }
        })
        .unwrap_or("smallest");
    DbSizing {
        class: ctx.db_names[class].class,
        multi_az,
        vcpu,
        memory_gib: mem,
        peak_qps: qps,
        cpu_needed_vcpu: f.cpu_needed,
        memory_needed_gib: f.mem_needed,
        connections_needed: f.conns_needed,
        max_connections: rds_max_connections(mem),
        bound_by,
        undersized: f.undersized,
        data_gb: f.data_gb,
        provisioned_gb: f.provisioned_gb,
        billable_backup_gb: f.billable_backup_gb,
        change_gb_per_month: f.change_gb,
    }
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
                "below"
            } else if plan_usd > r.high_usd {
                "above"
            } else {
                "within"
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
                verdict: "left out",
                source: rows[0].source.clone(),
            });
        }
    }
    checks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service() -> Service {
        Service {
            name: "api".into(),
            request_share: 0.5,
            cpu_ms_per_request: 20.0,
            response_time_ms: Some(100.0),
            memory_mib_per_request: 10.0,
            baseline_memory_mib: 200.0,
            also_pools: vec![],
            concurrency_per_pod: 1,
            latency_slo: None,
            service_time: Default::default(),
            arrival_bursts: None,
            pod: PodResources {
                cpu_request_m: 500.0,
                cpu_limit_m: None,
                memory_request_mib: 1024.0,
                memory_limit_mib: None,
            },
            min_replicas: 2,
            max_replicas: 10,
            target_cpu_utilization: 0.8,
            db_queries_per_request: 0.0,
            db_connections_per_pod: 0,
            response_kib: 0.0,
            pool: None,
            zone_spread: true,
            hpa_behavior: None,
        }
    }

    #[test]
    fn replicas_from_cpu_memory_and_bounds() {
        // 200 rps × 0.5 = 100 rps × 20 ms = 2000m; per pod 500m × 0.8 = 400m → 5 replicas.
        let s = size_service(&service(), &Name::from("api"), 200.0, 2);
        assert_eq!((s.cpu_demand_m, s.replicas, s.bound_by), (2000.0, 5, "cpu"));
        // Exactly on the boundary stays at 5 (no float-noise 6th pod): 400m × 5 = 2000m.
        // Memory: 100 rps × 0.1 s = 10 in flight × 10 MiB = 100 MiB over (1024−200) per pod → 1.
        assert_eq!(s.memory_demand_mib, 100.0);
        // Memory-bound: 4 MiB... make each request hold 500 MiB → 5000 MiB / 824 → 7 pods.
        let mut m = service();
        m.memory_mib_per_request = 500.0;
        let s = size_service(&m, &Name::from("api"), 200.0, 2);
        assert_eq!((s.replicas, s.bound_by), (7, "memory"));
        // Little load: minReplicas.
        assert_eq!(size_service(&service(), &Name::from("api"), 1.0, 2).bound_by, "minReplicas");
        // Too much: capped at maxReplicas and flagged.
        let s = size_service(&service(), &Name::from("api"), 2000.0, 2);
        assert_eq!((s.desired_replicas, s.replicas, s.at_max_replicas), (50, 10, true));
    }

    #[test]
    fn rds_max_connections_formula() {
        // LEAST(DBInstanceClassMemory / 9531392, 5000) on nominal memory:
        // 16 GiB = 17 179 869 184 B / 9 531 392 = 1802.4 → 1802; 8 GiB → 901; 64 GiB → 7209 → 5000.
        assert_eq!(rds_max_connections(16.0), 1802);
        assert_eq!(rds_max_connections(8.0), 901);
        assert_eq!(rds_max_connections(64.0), 5000);
    }
}
