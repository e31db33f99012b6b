//! The representative-day simulation: the HPA controller (autoscaling/v2, one CPU Utilization
//! metric, the legacy path an HPA without `behavior` takes) per service, the scheduler's
//! placement and the cluster autoscaler per node pool, in 5-second ticks.
//!
//! Rules and constants: `../shared/reference/hpa-and-cluster-autoscaler.md` — HPA §1.2–§1.8
//! (whole-percent utilisation, inclusive tolerance, unready pods and their rebalancing on
//! scale-up only, 5-minute stabilisation over the recommendation log, the `max(2×, 4)` cap),
//! cluster autoscaler §2.1–§2.3 (10 s scan; scale-up for unschedulable pods, estimated by bin
//! packing on allocatable; scale-down of nodes whose requests are below 50 % of allocatable in
//! both CPU and memory for 10 minutes, not within 10 minutes of a scale-up, only when their pods
//! fit elsewhere; empty nodes in bulk, others one at a time; pool min/max).
//!
//! Pods of a service are identical, so the state is counts: pods per node, and cohorts of pods
//! started at the same tick (not Ready yet, or Ready for less than a metric window). That keeps a
//! simulated day at tens of microseconds. `tests/autoscale.rs` checks every HPA decision of a
//! simulated day against [`crate::engine::hpa::explain`] on the equivalent pod list.
//!
//! Modelling choices (not upstream code, stated so they can be argued with):
//! - the scheduler places a pod on the feasible node with the most free resources (the default
//!   `NodeResourcesFit` LeastAllocated score); `zone_spread` is a hard topology spread
//!   (maxSkew 1 over the zones that have nodes);
//! - the ReplicaSet removes pending pods first, then not-ready pods (newest first), then pods
//!   from the node with the most pods of the service;
//! - pods terminate at once (no grace period); evicted pods restart on their new node;
//! - a scale-up puts each new node in the zone its pending pods need (per-zone node groups with
//!   balancing, as EKS recommends for zonal spread), else the zone with fewest nodes;
//! - `cluster.survive_zone_loss` keeps each pool at the node count that survives losing the
//!   largest zone, as overprovisioning placeholder pods do in a real cluster: nodes held that
//!   way are not unneeded; when the floor drops, their unneeded time starts;
//! - system pods (CoreDNS…) are movable (they have PodDisruptionBudgets).

use std::collections::VecDeque;

use rand::SeedableRng;
use rand::distr::Distribution;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::engine::k8s;

/// Simulation tick, seconds. HPA sync and CA scan periods are multiples of it.
pub const TICK_S: u32 = 5;
/// Resolution of the load curve, seconds.
pub const LOAD_STEP_S: u32 = 15;
/// Seconds in a simulated day.
pub const DAY_S: u32 = 86_400;
/// Legacy HPA scale-up cap: `max(scaleUpLimitFactor × current, scaleUpLimitMinimum)`.
const SCALE_UP_FACTOR: u32 = 2;
const SCALE_UP_MINIMUM: u32 = 4;

/// One service as the simulation sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct SvcSpec {
    /// Pools its pods may run on (indices, at most 32), the preferred first. Non-empty.
    pub pools: Vec<usize>,
    /// CPU request, whole millicores (as the API stores it).
    pub cpu_request_m: i64,
    pub memory_request_mib: f64,
    /// CPU limit, millicores: a pod never uses more. None: no limit.
    pub cpu_limit_m: Option<f64>,
    /// Millicores of CPU per user request per second reaching the site.
    pub cpu_m_per_rps: f64,
    pub min_replicas: u32,
    pub max_replicas: u32,
    /// HPA `averageUtilization`, whole percent.
    pub target_pct: i64,
    pub zone_spread: bool,
    /// `spec.behavior`, defaults filled in; None: the legacy rules.
    pub behavior: Option<Behavior>,
}

/// An HPA's behavior with the upstream defaults filled in (hpa-and-cluster-autoscaler.md §1.8).
#[derive(Debug, Clone, PartialEq)]
pub struct Behavior {
    pub up: Rules,
    pub down: Rules,
}

/// One direction: stabilisation window (seconds), policy selection, policies.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    pub window_s: u32,
    /// This direction's tolerance, when the behavior sets one (else the controller's).
    pub tolerance: Option<f64>,
    pub select: crate::engine::hpa::SelectPolicy,
    pub policies: Vec<crate::scenario::model::ScalingPolicy>,
}

impl Behavior {
    /// The scenario's behavior with the defaults of each direction left out (`downscale_s`:
    /// the controller's downscale stabilisation, the scale-down window's default).
    pub fn from_model(b: &crate::scenario::model::HpaBehavior, downscale_s: u32) -> Behavior {
        use crate::engine::hpa::SelectPolicy;
        use crate::scenario::model::ScalingPolicy;
        let rules = |r: Option<&crate::scenario::model::ScalingRules>, up: bool| Rules {
            window_s: r.and_then(|r| r.stabilization_window_s).unwrap_or(if up { 0 } else { downscale_s }),
            tolerance: r.and_then(|r| r.tolerance),
            select: r.and_then(|r| r.select_policy).unwrap_or(SelectPolicy::Max),
            policies: r.and_then(|r| r.policies.clone()).unwrap_or_else(|| {
                crate::engine::hpa::default_policies(up)
                    .iter()
                    .map(|&(kind, value, period_s)| ScalingPolicy { kind, value, period_s })
                    .collect()
            }),
        };
        Behavior { up: rules(b.scale_up.as_ref(), true), down: rules(b.scale_down.as_ref(), false) }
    }

    /// Seconds of history any rule looks at: recommendations and scale events older than
    /// this are never read again.
    fn horizon_s(&self) -> u32 {
        let periods = self.up.policies.iter().chain(&self.down.policies).map(|p| p.period_s);
        periods.chain([self.up.window_s, self.down.window_s]).max().unwrap_or(0)
    }
}

/// Seconds from the start of a sustained surge (a failover) until the HPA has taken the
/// replicas from `from` to `to`, with syncs every `sync_s` from then on: one sync per step the
/// rules allow — the legacy cap max(2 × current, 4), or a behavior's scale-up window (only once
/// the surge's recommendations fill it) and policies. None when the behavior disables scaling
/// up.
pub fn scale_up_seconds(from: u32, to: u32, behavior: Option<&Behavior>, sync_s: u32) -> Option<u32> {
    let sync = (sync_s / TICK_S).max(1);
    let mut cur = from;
    let Some(b) = behavior else {
        let mut n = 0;
        while cur < to {
            cur = (SCALE_UP_FACTOR * cur).max(SCALE_UP_MINIMUM).max(cur + 1);
            n += 1;
        }
        return Some(n * sync * TICK_S);
    };
    if cur >= to {
        return Some(0);
    }
    if b.up.select == crate::engine::hpa::SelectPolicy::Disabled {
        return None;
    }
    // The first sync whose scale-up window holds only surge recommendations.
    let mut now = (b.up.window_s.div_ceil(TICK_S)).div_ceil(sync).max(1) * sync;
    let (mut ups, downs) = (VecDeque::new(), VecDeque::new());
    loop {
        let limit = policy_limit(&b.up, cur, now, &ups, &downs, true).min(to);
        if limit > cur {
            ups.push_back((now, limit - cur));
            cur = limit;
        }
        if cur >= to {
            return Some(now * TICK_S);
        }
        now += sync;
        if now > 86_400 / TICK_S * 30 {
            return None;
        }
    }
}

/// The replicas a direction's policies allow from `current` (hpa.rs `policy_limit`, on the
/// simulator's event log: (tick, replicas changed)).
fn policy_limit(
    r: &Rules,
    current: u32,
    now: u32,
    ups: &VecDeque<(u32, u32)>,
    downs: &VecDeque<(u32, u32)>,
    up: bool,
) -> u32 {
    use crate::engine::hpa::{PolicyType, SelectPolicy};
    let within = |events: &VecDeque<(u32, u32)>, period_s: u32| -> i64 {
        events.iter().filter(|&&(t, _)| (now - t) * TICK_S < period_s).map(|&(_, c)| i64::from(c)).sum()
    };
    let proposals = r.policies.iter().map(|p| {
        let start = i64::from(current) - within(ups, p.period_s) + within(downs, p.period_s);
        let v = i64::from(p.value);
        match (p.kind, up) {
            (PolicyType::Pods, true) => start + v,
            (PolicyType::Pods, false) => start - v,
            // Percent rounds up when scaling up and truncates when scaling down, in floating
            // point as upstream does (10 replicas + 10 % is ⌈11.000000000000002⌉ = 12).
            (PolicyType::Percent, true) => (start as f64 * (1.0 + v as f64 / 100.0)).ceil() as i64,
            (PolicyType::Percent, false) => (start as f64 * (1.0 - v as f64 / 100.0)) as i64,
        }
    });
    let limit = match (r.select, up) {
        (SelectPolicy::Disabled, _) => i64::from(current),
        (SelectPolicy::Max, true) | (SelectPolicy::Min, false) => proposals.max().unwrap_or(i64::from(current)),
        (SelectPolicy::Min, true) | (SelectPolicy::Max, false) => proposals.min().unwrap_or(i64::from(current)),
    };
    let limit = if up { limit.max(i64::from(current)) } else { limit.min(i64::from(current)) };
    limit.clamp(0, i64::from(u32::MAX)) as u32
}

/// One node pool.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolSpec {
    pub alloc_cpu_m: f64,
    pub alloc_memory_mib: f64,
    pub max_pods: u32,
    /// DaemonSet requests on every node.
    pub ds_cpu_m: f64,
    pub ds_memory_mib: f64,
    pub zones: u32,
    pub min_nodes: u32,
    pub max_nodes: u32,
    /// Keep the nodes that survive losing the largest zone.
    pub zone_loss_headroom: bool,
    /// System pods on this pool: (CPU m, memory MiB, replicas).
    pub system: Vec<(f64, f64, u32)>,
}

/// Controller settings, in ticks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    pub hpa_period: u32,
    pub scan_period: u32,
    pub pod_startup: u32,
    pub node_provisioning: u32,
    pub tolerance: f64,
    pub downscale_window: u32,
    pub cpu_init: u32,
    pub initial_readiness_delay: u32,
    pub metric_window: u32,
    pub threshold: f64,
    pub unneeded: u32,
    pub delay_after_add: u32,
    pub bulk_empty: u32,
}

fn ticks(seconds: f64) -> u32 {
    (seconds / f64::from(TICK_S)).ceil().max(0.0) as u32
}

impl Params {
    /// Whether the sync at tick `t` feeds the utilisation percentiles: one sample a minute
    /// (the syncs at whole minutes; every sync if they are a minute or more apart).
    #[inline]
    pub fn samples(&self, t: u32) -> bool {
        self.hpa_period * TICK_S >= 60 || (t * TICK_S).is_multiple_of(60)
    }

    pub fn from_model(a: &crate::scenario::model::Autoscaling) -> Self {
        let t = |s: u32| ticks(f64::from(s));
        Params {
            hpa_period: t(a.hpa_sync_period_s).max(1),
            scan_period: t(a.scan_interval_s).max(1),
            pod_startup: ticks(a.pod_startup_s),
            node_provisioning: ticks(a.node_provisioning_s),
            tolerance: a.hpa_tolerance,
            downscale_window: t(a.downscale_stabilization_s),
            cpu_init: t(a.cpu_initialization_period_s),
            initial_readiness_delay: t(a.initial_readiness_delay_s),
            metric_window: t(a.metric_window_s),
            threshold: a.scale_down_utilization_threshold,
            unneeded: t(a.scale_down_unneeded_s),
            delay_after_add: t(a.scale_down_delay_after_add_s),
            bulk_empty: a.max_empty_bulk_delete,
        }
    }
}

/// The load over the simulated days as a share of the month's peak, one value per
/// [`LOAD_STEP_S`]: the hourly profile interpolated between hour midpoints, times `1 + x` where
/// `x` is an AR(1) process sampled each minute (standard deviation `variation`, correlation time
/// `variation_minutes`), never below 0. One ChaCha8 stream per month (`stream` = month index),
/// so every site and variant of a month sees the same day.
#[derive(Debug, Clone)]
pub struct LoadShaper {
    /// The interpolated profile, one value per load step over the simulated days.
    base: Vec<f64>,
    variation: f64,
    phi: f64,
    seed: u64,
}

impl LoadShaper {
    pub fn new(weekday: &[f64], weekend: Option<&[f64]>, variation: f64, variation_minutes: f64, seed: u64) -> Self {
        let days = if weekend.is_some() { 7 } else { 1 };
        let per_day = (DAY_S / LOAD_STEP_S) as usize;
        // Hourly values over the simulated days (Monday first), wrapping around.
        let hourly: Vec<f64> = (0..days * 24)
            .map(|h| {
                let profile = match weekend {
                    Some(w) if h / 24 >= 5 => w,
                    _ => weekday,
                };
                profile.get(h % 24).copied().unwrap_or(1.0)
            })
            .collect();
        let n = hourly.len();
        let mut base = Vec::with_capacity(per_day * days);
        for k in 0..per_day * days {
            // Hours since the start, at the middle of the step; values sit at hour midpoints.
            let t = (k as f64 + 0.5) * f64::from(LOAD_STEP_S) / 3600.0;
            let x = t - 0.5 + n as f64;
            let h0 = x as usize;
            let f = x - h0 as f64;
            base.push(hourly[h0 % n] * (1.0 - f) + hourly[(h0 + 1) % n] * f);
        }
        LoadShaper { base, variation, phi: (-1.0 / variation_minutes.max(1e-9)).exp(), seed }
    }

    /// The shaper for a scenario: its daily profiles, `cluster.autoscaling.variation` and
    /// `simulation.seed`.
    pub fn of(s: &crate::scenario::model::Scenario) -> Self {
        let a = &s.cluster.autoscaling;
        Self::new(
            &s.demand.diurnal,
            s.demand.weekend_diurnal.as_deref(),
            a.variation,
            a.variation_minutes,
            s.simulation.seed,
        )
    }

    /// Simulated days (1, or 7 with a weekend profile).
    pub fn days(&self) -> u32 {
        (self.base.len() / (DAY_S / LOAD_STEP_S) as usize) as u32
    }

    /// The shape for one month (`stream` = month index) into `out`.
    pub fn month(&self, stream: u64, out: &mut Vec<f64>) {
        out.clear();
        if self.variation <= 0.0 {
            out.extend_from_slice(&self.base);
            return;
        }
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(stream);
        let normal = statrs::distribution::Normal::standard();
        let innov = (1.0 - self.phi * self.phi).sqrt();
        let minutes = self.base.len() * LOAD_STEP_S as usize / 60 + 1;
        let per_min = (60 / LOAD_STEP_S) as usize;
        let mut x: f64 = normal.sample(&mut rng);
        let mut prev = x * self.variation;
        out.reserve(self.base.len());
        for m in 1..minutes {
            x = self.phi * x + innov * normal.sample(&mut rng);
            let next = x * self.variation;
            // Steps whose midpoints fall in minute m-1..m, interpolated.
            for j in 0..per_min {
                let k = (m - 1) * per_min + j;
                let Some(&b) = self.base.get(k) else { break };
                let f = (j as f64 + 0.5) / per_min as f64;
                let n = prev * (1.0 - f) + next * f;
                out.push((b * (1.0 + n)).max(0.0));
            }
            prev = next;
        }
    }
}

/// What one service did over the simulated days.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct SvcDay {
    /// Hours of scheduled pods (Running, Ready or not).
    pub pod_hours: f64,
    pub peak_replicas: u32,
    pub min_replicas_seen: u32,
    /// Time the HPA held the service at maxReplicas.
    pub minutes_at_max: f64,
    /// Time the demand exceeded what Ready pods could serve (CPU limit, or no Ready pod).
    pub saturated_minutes: f64,
    /// Pods waiting for a node, pod-minutes.
    pub pending_pod_minutes: f64,
    /// CPU utilisation of requests as the HPA saw it (whole percent), one sample a minute:
    /// P50, P95, P99.
    pub cpu_utilization_p50: f64,
    pub cpu_utilization_p95: f64,
    pub cpu_utilization_p99: f64,
    /// Replica changes the HPA made.
    pub scale_events: u32,
}

/// What one pool did over the simulated days.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct PoolDay {
    /// Hours of nodes from the scale-up request to removal (EC2 bills from launch).
    pub node_hours: f64,
    pub peak_nodes: u32,
    pub min_nodes_seen: u32,
    pub scale_ups: u32,
    pub nodes_added: u32,
    pub nodes_removed: u32,
    /// Pods evicted by scale-down (they restart elsewhere).
    pub pods_evicted: u32,
}

/// One sample of the trace, every HPA sync.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TracePoint {
    /// Seconds since the start of the simulation (00:00 of the first day).
    pub t_s: u32,
    /// User requests per second at the site.
    pub load_rps: f64,
    /// Per service: spec replicas, Ready pods, CPU utilisation (%) the HPA saw.
    pub replicas: Vec<u32>,
    pub ready: Vec<u32>,
    pub utilization_pct: Vec<i64>,
    /// Per pool: nodes (provisioning included).
    pub nodes: Vec<u32>,
    /// Pods waiting for a node.
    pub pending: u32,
}

/// The result of a simulation.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct SimResult {
    /// Simulated days (1, or 7 with a weekend profile).
    pub days: u32,
    pub services: Vec<SvcDay>,
    pub pools: Vec<PoolDay>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trace: Vec<TracePoint>,
}

/// One HPA decision: the proposal from the metric and the normalised result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HpaStep {
    pub t_s: u32,
    pub current: u32,
    /// Ready pods (for CPU) and unready ones (pending, starting, no full sample yet).
    pub ready: u32,
    pub unready: u32,
    /// Per-pod CPU usage, whole millicores (identical for every Ready pod).
    pub usage_m: i64,
    /// None when no pod has a usable sample (the controller skips the HPA).
    pub proposal: Option<u32>,
    pub desired: u32,
    /// The recommendation log the controller held: (seconds ago, replicas). Entries that can
    /// no longer be the window's maximum are not kept.
    pub recommendations: Vec<(u32, u32)>,
    /// With a behavior: the scale events it held, (seconds ago, replicas changed).
    pub scale_up_events: Vec<(u32, u32)>,
    pub scale_down_events: Vec<(u32, u32)>,
}

#[derive(Debug, Clone)]
struct Node {
    pool: u32,
    zone: u32,
    alive: bool,
    /// Tick the node becomes schedulable.
    ready_at: u32,
    /// Requested CPU / memory including DaemonSets, pods placed.
    cpu: f64,
    mem: f64,
    pods: u32,
    unneeded_since: Option<u32>,
    /// (version, result) of the last "can its pods move elsewhere" check.
    movable_at: (u64, bool),
}

#[derive(Debug, Clone, Copy)]
struct Cohort {
    node: u32,
    start: u32,
    count: u32,
}

#[derive(Debug, Clone)]
struct Svc {
    replicas: u32,
    pending: u32,
    scheduled: u32,
    /// Pools the pods may run on, as a bit mask.
    pool_mask: u32,
    /// Pods not yet counted Ready by the HPA, oldest first.
    cohorts: VecDeque<Cohort>,
    /// Scheduled pods per zone (zone `z` is the same availability zone in every pool).
    zone_counts: Vec<u32>,
    /// Recommendation log (tick, replicas), oldest first. Legacy rules: only the entries that
    /// can still be the window's maximum; with a behavior: every one still in a window.
    recs: VecDeque<(u32, u32)>,
    /// With a behavior: scale-up and scale-down events (tick, replicas changed), oldest first.
    ups: VecDeque<(u32, u32)>,
    downs: VecDeque<(u32, u32)>,
    util_hist: Vec<u32>,
    last_util: i64,
    /// Whole-percent utilisations the tolerance accepts: `[lo, hi]` (§1.2, inclusive).
    band: (i64, i64),
    /// Integer tallies (so every path sums the same way): pod-ticks, pending pod-ticks, syncs
    /// saturated, syncs at maxReplicas.
    pod_ticks: u64,
    pending_ticks: u64,
    saturated_syncs: u64,
    max_syncs: u64,
    out: SvcDay,
}

/// A system pod group: its pool, requests and replicas.
#[derive(Debug, Clone, Copy)]
struct SysPod {
    pool: usize,
    cpu: f64,
    mem: f64,
    count: u32,
}

/// The simulation state of one site: one cluster autoscaler over all its pools.
pub struct Sim<'a> {
    svcs_spec: &'a [SvcSpec],
    pools_spec: &'a [PoolSpec],
    p: Params,
    /// Every node of every pool (dead slots are reused).
    nodes: Vec<Node>,
    /// Pods of each service on each node: `[node * nsvc + svc]`.
    on_node: Vec<u32>,
    /// System pods (all pools, flattened) and their count on each node: `[node * nsys + k]`.
    sys: Vec<SysPod>,
    sys_on_node: Vec<u32>,
    /// Scheduled pods of each service per pool: `[pool * nsvc + svc]`.
    on_pool: Vec<u32>,
    svcs: Vec<Svc>,
    pools_out: Vec<PoolDay>,
    last_scale_up: Option<u32>,
    floor: Vec<u32>,
    floor_dirty: bool,
    sched_dirty: bool,
    /// Live nodes per pool (provisioning included).
    alive_n: Vec<u32>,
    node_ticks: Vec<u64>,
    /// `version` at the last scale-down evaluation, and the tick a timer (unneeded time,
    /// scale-down delay) may next change the outcome.
    ca_version: u64,
    ca_timer: u32,
    /// Bumped on every change of placement or nodes; caches the scale-down check.
    version: u64,
    next_node_ready: u32,
    now: u32,
    /// HPA decisions, when recording.
    pub hpa_log: Option<Vec<Vec<HpaStep>>>,
}

/// The whole-percent utilisations `u` for which `u / target` is within the tolerances (scale
/// down, scale up), using the controller's own float comparison (so the band is exactly what
/// `Tolerances.isWithin` accepts).
fn tolerance_band(target: i64, down: f64, up: f64) -> (i64, i64) {
    let within = |u: i64| {
        let r = u as f64 / target as f64;
        (1.0 - down) <= r && r <= (1.0 + up)
    };
    let top = target * 3 + 2;
    let lo = (0..=top).find(|&u| within(u));
    match lo {
        Some(lo) => (lo, (lo..=top).take_while(|&u| within(u)).last().unwrap_or(lo)),
        None => (1, 0), // empty
    }
}

/// Readiness times of a pod started at tick `s`: (serves traffic from, counted Ready by the HPA
/// from). §1.3: within the CPU initialisation period a Ready pod is unready until a full metric
/// window has passed since it became Ready; after the period it is ready.
fn ready_times(p: &Params, s: u32) -> (u32, u32) {
    let r = s + p.pod_startup;
    let h = if r < s + p.cpu_init { (r + p.metric_window).min(s + p.cpu_init) } else { r };
    (r, h)
}

/// Bits of the zones `0..n`.
fn all_zones(n: u32) -> u32 {
    if n >= 32 { u32::MAX } else { (1u32 << n) - 1 }
}

impl<'a> Sim<'a> {
    /// A site in steady state at `rps0` user requests per second: HPA-sized replicas, all Ready,
    /// on the nodes they need.
    pub fn new(svcs: &'a [SvcSpec], pools: &'a [PoolSpec], p: Params, rps0: f64) -> Self {
        let zones = pools.iter().map(|x| x.zones).max().unwrap_or(1) as usize;
        let sys: Vec<SysPod> = pools
            .iter()
            .enumerate()
            .flat_map(|(pi, ps)| ps.system.iter().map(move |&(cpu, mem, count)| SysPod { pool: pi, cpu, mem, count }))
            .collect();
        let mut sim = Sim {
            svcs_spec: svcs,
            pools_spec: pools,
            p,
            version: 1,
            nodes: Vec::new(),
            on_node: Vec::new(),
            sys,
            sys_on_node: Vec::new(),
            on_pool: vec![0; pools.len() * svcs.len()],
            svcs: svcs
                .iter()
                .map(|sv| Svc {
                    replicas: 0,
                    pending: 0,
                    scheduled: 0,
                    pool_mask: sv.pools.iter().fold(0u32, |m, &pi| m | (1 << pi)),
                    cohorts: VecDeque::new(),
                    zone_counts: vec![0; zones],
                    recs: VecDeque::new(),
                    ups: VecDeque::new(),
                    downs: VecDeque::new(),
                    util_hist: vec![0; 1001],
                    last_util: 0,
                    band: {
                        let tol = |r: Option<&Rules>| r.and_then(|r| r.tolerance).unwrap_or(p.tolerance);
                        let b = sv.behavior.as_ref();
                        tolerance_band(sv.target_pct, tol(b.map(|b| &b.down)), tol(b.map(|b| &b.up)))
                    },
                    pod_ticks: 0,
                    pending_ticks: 0,
                    saturated_syncs: 0,
                    max_syncs: 0,
                    out: SvcDay { min_replicas_seen: u32::MAX, ..Default::default() },
                })
                .collect(),
            pools_out: vec![PoolDay { min_nodes_seen: u32::MAX, ..Default::default() }; pools.len()],
            last_scale_up: None,
            floor: vec![0; pools.len()],
            alive_n: vec![0; pools.len()],
            node_ticks: vec![0; pools.len()],
            ca_version: 0,
            ca_timer: 0,
            floor_dirty: true,
            sched_dirty: true,
            next_node_ready: u32::MAX,
            now: 0,
            hpa_log: None,
        };
        // Minimum nodes, spread over zones.
        for (pi, pool) in pools.iter().enumerate() {
            for _ in 0..pool.min_nodes {
                let z = sim.fewest_nodes_zone(pi, u32::MAX);
                sim.add_node(pi, z, 0);
            }
        }
        // System pods first (they exist before the services scale).
        for k in 0..sim.sys.len() {
            let SysPod { pool: pi, cpu, mem, count } = sim.sys[k];
            for _ in 0..count {
                loop {
                    if let Some(ni) = sim.best_node(1 << pi, cpu, mem, u32::MAX) {
                        sim.place_system(ni, k);
                        break;
                    }
                    if sim.alive_n[pi] >= pools[pi].max_nodes {
                        break;
                    }
                    let z = sim.fewest_nodes_zone(pi, u32::MAX);
                    sim.add_node(pi, z, 0);
                }
            }
        }
        for (i, sv) in svcs.iter().enumerate() {
            let demand = rps0 * sv.cpu_m_per_rps;
            let want =
                (demand / (sv.cpu_request_m as f64 * sv.target_pct as f64 / 100.0) - 1e-9).ceil().max(0.0) as u32;
            let n = want.clamp(sv.min_replicas, sv.max_replicas);
            sim.svcs[i].replicas = n;
            sim.svcs[i].recs.push_back((0, n));
            for _ in 0..n {
                loop {
                    if let Some(ni) = sim.schedule_one(i) {
                        sim.place(i, ni, None);
                        break;
                    }
                    // Grow the first eligible pool with room.
                    let Some(&pi) = sv.pools.iter().find(|&&pi| sim.alive_n[pi] < pools[pi].max_nodes) else {
                        sim.svcs[i].pending += 1;
                        break;
                    };
                    let z = sim.needed_zone(i, pi);
                    sim.add_node(pi, z, 0);
                }
            }
        }
        for (pi, pool) in pools.iter().enumerate() {
            let f = sim.compute_floor(pi);
            sim.floor[pi] = f;
            while sim.alive_n[pi] < f.min(pool.max_nodes) {
                let z = sim.fewest_nodes_zone(pi, u32::MAX);
                sim.add_node(pi, z, 0);
            }
        }
        sim.floor_dirty = false;
        sim
    }

    fn remove_node(&mut self, ni: usize) {
        let n = &mut self.nodes[ni];
        n.alive = false;
        self.alive_n[n.pool as usize] -= 1;
        self.version += 1;
    }

    /// Zone of pool `pi` with the fewest live nodes (lowest index on ties), among `mask` zones.
    fn fewest_nodes_zone(&self, pi: usize, mask: u32) -> u32 {
        let mut counts = [0u32; 32];
        for n in self.nodes.iter().filter(|n| n.alive && n.pool as usize == pi) {
            counts[n.zone as usize] += 1;
        }
        let m = mask & all_zones(self.pools_spec[pi].zones);
        let m = if m == 0 { all_zones(self.pools_spec[pi].zones) } else { m };
        (0..self.pools_spec[pi].zones)
            .filter(|z| m & (1 << z) != 0)
            .min_by_key(|&z| (counts[z as usize], z))
            .unwrap_or(0)
    }

    /// Zone of pool `pi` a new pod of service `i` needs under its spread constraint (fewest
    /// nodes among the zones with the fewest pods of the service).
    fn needed_zone(&self, i: usize, pi: usize) -> u32 {
        if !self.svcs_spec[i].zone_spread {
            return self.fewest_nodes_zone(pi, u32::MAX);
        }
        let zc = &self.svcs[i].zone_counts[..self.pools_spec[pi].zones as usize];
        let min = zc.iter().copied().min().unwrap_or(0);
        let mask = zc.iter().enumerate().filter(|(_, c)| **c == min).fold(0u32, |m, (z, _)| m | (1 << z));
        self.fewest_nodes_zone(pi, mask)
    }

    fn add_node(&mut self, pi: usize, zone: u32, ready_at: u32) -> usize {
        let ps = &self.pools_spec[pi];
        let node = Node {
            pool: pi as u32,
            zone,
            alive: true,
            ready_at,
            cpu: ps.ds_cpu_m,
            mem: ps.ds_memory_mib,
            pods: 0,
            unneeded_since: None,
            movable_at: (0, false),
        };
        self.version += 1;
        self.alive_n[pi] += 1;
        let nsvc = self.svcs_spec.len();
        let nsys = self.sys.len();
        let idx = match self.nodes.iter().position(|n| !n.alive) {
            Some(i) => {
                self.nodes[i] = node;
                i
            }
            None => {
                self.nodes.push(node);
                self.on_node.extend(std::iter::repeat_n(0, nsvc));
                self.sys_on_node.extend(std::iter::repeat_n(0, nsys));
                self.nodes.len() - 1
            }
        };
        if ready_at > self.now {
            self.next_node_ready = self.next_node_ready.min(ready_at);
        }
        idx
    }

    fn fits(&self, n: &Node, cpu: f64, mem: f64) -> bool {
        let ps = &self.pools_spec[n.pool as usize];
        n.alive
            && n.ready_at <= self.now
            && n.cpu + cpu <= ps.alloc_cpu_m + 1e-9
            && n.mem + mem <= ps.alloc_memory_mib + 1e-9
            && n.pods < ps.max_pods
    }

    /// The feasible node with the most free resources (LeastAllocated), among pools of
    /// `pool_mask` and zones of `zone_mask`.
    fn best_node(&self, pool_mask: u32, cpu: f64, mem: f64, zone_mask: u32) -> Option<usize> {
        let mut best: Option<(usize, f64)> = None;
        for (i, n) in self.nodes.iter().enumerate() {
            if pool_mask & (1 << n.pool) == 0 || zone_mask & (1 << n.zone) == 0 || !self.fits(n, cpu, mem) {
                continue;
            }
            let ps = &self.pools_spec[n.pool as usize];
            let score = (ps.alloc_cpu_m - n.cpu - cpu) / ps.alloc_cpu_m
                + (ps.alloc_memory_mib - n.mem - mem) / ps.alloc_memory_mib;
            if best.is_none_or(|(_, b)| score > b + 1e-12) {
                best = Some((i, score));
            }
        }
        best.map(|(i, _)| i)
    }

    /// Zones a new pod of service `i` may go to under its spread constraint (maxSkew 1 over
    /// the zones with a schedulable node), as a mask.
    fn spread_mask(&self, i: usize) -> Option<u32> {
        if !self.svcs_spec[i].zone_spread {
            return Some(u32::MAX);
        }
        let s = &self.svcs[i];
        let mut domains = 0u32;
        for n in self.nodes.iter().filter(|n| n.alive && n.ready_at <= self.now && s.pool_mask & (1 << n.pool) != 0) {
            domains |= 1 << n.zone;
        }
        let zc = &s.zone_counts;
        let min = (0..zc.len()).filter(|z| domains & (1 << z) != 0).map(|z| zc[z]).min()?;
        Some((0..zc.len()).filter(|&z| domains & (1 << z) != 0 && zc[z] == min).fold(0u32, |m, z| m | (1 << z)))
    }

    /// Where the scheduler would put one more pod of service `i`, if anywhere.
    fn schedule_one(&self, i: usize) -> Option<usize> {
        let sv = &self.svcs_spec[i];
        let mask = self.spread_mask(i)?;
        self.best_node(self.svcs[i].pool_mask, sv.cpu_request_m as f64, sv.memory_request_mib, mask)
    }

    /// Put one pod of service `i` on node `ni`; `start` = Some(tick) for a starting pod,
    /// None for one that has been Ready for long.
    fn place(&mut self, i: usize, ni: usize, start: Option<u32>) {
        let sv = &self.svcs_spec[i];
        let nsvc = self.svcs_spec.len();
        let n = &mut self.nodes[ni];
        n.cpu += sv.cpu_request_m as f64;
        n.mem += sv.memory_request_mib;
        n.pods += 1;
        let (zone, pi) = (n.zone as usize, n.pool as usize);
        self.version += 1;
        self.on_node[ni * nsvc + i] += 1;
        self.on_pool[pi * nsvc + i] += 1;
        let s = &mut self.svcs[i];
        s.scheduled += 1;
        s.zone_counts[zone] += 1;
        if let Some(t) = start {
            match s.cohorts.back_mut() {
                Some(c) if c.start == t && c.node == ni as u32 => c.count += 1,
                _ => s.cohorts.push_back(Cohort { node: ni as u32, start: t, count: 1 }),
            }
        }
    }

    fn unplace(&mut self, i: usize, ni: usize) {
        let sv = &self.svcs_spec[i];
        let nsvc = self.svcs_spec.len();
        let n = &mut self.nodes[ni];
        n.cpu -= sv.cpu_request_m as f64;
        n.mem -= sv.memory_request_mib;
        n.pods -= 1;
        let (zone, pi) = (n.zone as usize, n.pool as usize);
        self.version += 1;
        self.on_node[ni * nsvc + i] -= 1;
        self.on_pool[pi * nsvc + i] -= 1;
        let s = &mut self.svcs[i];
        s.scheduled -= 1;
        s.zone_counts[zone] -= 1;
    }

    fn place_system(&mut self, ni: usize, k: usize) {
        let sp = self.sys[k];
        let n = &mut self.nodes[ni];
        n.cpu += sp.cpu;
        n.mem += sp.mem;
        n.pods += 1;
        self.version += 1;
        let nsys = self.sys.len();
        self.sys_on_node[ni * nsys + k] += 1;
    }

    fn unplace_system(&mut self, ni: usize, k: usize) {
        let sp = self.sys[k];
        let n = &mut self.nodes[ni];
        n.cpu -= sp.cpu;
        n.mem -= sp.mem;
        n.pods -= 1;
        self.version += 1;
        let nsys = self.sys.len();
        self.sys_on_node[ni * nsys + k] -= 1;
    }

    /// The zone-loss floor of pool `pi`: the nodes that survive losing the largest zone for its
    /// pods (system pods, the services' pods scheduled on it, and the pending pods of services
    /// whose first pool it is), packed first-fit decreasing.
    fn compute_floor(&self, pi: usize) -> u32 {
        let ps = &self.pools_spec[pi];
        if !ps.zone_loss_headroom {
            return ps.min_nodes;
        }
        let nsvc = self.svcs_spec.len();
        let mut groups: Vec<k8s::PodGroup> = self
            .sys
            .iter()
            .filter(|x| x.pool == pi)
            .map(|x| k8s::PodGroup { cpu_m: x.cpu, memory_mib: x.mem, count: x.count })
            .collect();
        for (i, (sv, s)) in self.svcs_spec.iter().zip(&self.svcs).enumerate() {
            let pending = if sv.pools.first() == Some(&pi) { s.pending } else { 0 };
            let count = self.on_pool[pi * nsvc + i] + pending;
            if count > 0 {
                groups.push(k8s::PodGroup { cpu_m: sv.cpu_request_m as f64, memory_mib: sv.memory_request_mib, count });
            }
        }
        let free = k8s::Allocatable {
            cpu_m: (ps.alloc_cpu_m - ps.ds_cpu_m).max(0.0),
            memory_mib: (ps.alloc_memory_mib - ps.ds_memory_mib).max(0.0),
            pods: ps.max_pods,
        };
        let packed = k8s::pack_ffd(&groups, free).nodes;
        k8s::nodes_surviving_zone_loss(packed, ps.zones).max(ps.min_nodes)
    }

    /// Run ticks `[self.now, end)`.
    ///
    /// Event-driven: the scheduler runs when something changed; an autoscaler scan is
    /// evaluated when pods are pending, a pool is below its floor, the cluster changed since
    /// its last look, or one of its timers is due; every HPA sync is evaluated, a settled
    /// service's quiet syncs in a tight loop ([`Sim::fast_forward`]) unless a trace or the HPA
    /// log is recorded. Between events the state is constant and integrated in one step.
    pub fn run(&mut self, end: u32, load: &Load, trace: Option<&mut Vec<TracePoint>>) {
        let mut trace = trace;
        let (hpa, scan) = (self.p.hpa_period, self.p.scan_period);
        // A settled service's syncs can be run ahead within a window no other change can reach
        // its pods in: the autoscaler removes a node (evicting pods) only after it has been
        // unneeded for `unneeded`, and not within `delay_after_add` of a scale-up.
        let window = self.p.unneeded.min(self.p.delay_after_add);
        let fast = trace.is_none() && self.hpa_log.is_none() && window >= hpa;
        let mut next_eval = vec![self.now.div_ceil(hpa) * hpa; self.svcs.len()];
        while self.now < end {
            let t = self.now;
            if t >= self.next_node_ready {
                self.sched_dirty = true;
                self.version += 1;
                self.next_node_ready = self
                    .nodes
                    .iter()
                    .filter(|n| n.alive && n.ready_at > t)
                    .map(|n| n.ready_at)
                    .min()
                    .unwrap_or(u32::MAX);
            }
            // HPA, then the scheduler (new pods get an attempt before the autoscaler looks for
            // unschedulable ones), then the cluster autoscaler.
            let hpa_tick = t.is_multiple_of(hpa);
            for (i, ne) in next_eval.iter_mut().enumerate() {
                if *ne <= t {
                    self.hpa(i, load.at(t));
                    *ne = t + hpa;
                }
            }
            if self.sched_dirty {
                self.schedule_pending();
            }
            if t.is_multiple_of(scan) && self.ca_due(t) {
                self.autoscale();
            }
            if hpa_tick && let Some(tr) = trace.as_deref_mut() {
                tr.push(self.trace_point(load.at(t)));
            }
            // The next event outside the HPA.
            let mut next = end;
            if self.sched_dirty {
                next = t + 1;
            }
            next = next.min(self.next_node_ready);
            let next_scan = (t / scan + 1) * scan;
            let timer = self.ca_timer.div_ceil(scan).saturating_mul(scan);
            next = next.min(if self.ca_due(next_scan) { next_scan } else { timer.max(next_scan) });
            // Quiet HPA syncs of settled services up to it (within one window).
            if fast {
                let until = next.min(t + window);
                for (i, ne) in next_eval.iter_mut().enumerate() {
                    let s = &self.svcs[i];
                    // (The fast path is the legacy rules' arithmetic: a behavior runs every sync.)
                    if s.cohorts.is_empty() && s.pending == 0 && *ne < until && self.svcs_spec[i].behavior.is_none() {
                        *ne = self.fast_forward(i, *ne, until, load);
                    }
                }
            }
            let next = next_eval.iter().copied().fold(next, u32::min).clamp(t + 1, end.max(t + 1));
            self.account(next - t);
            self.now = next;
        }
    }

    /// Whether a scan at tick `t` could change anything.
    fn ca_due(&self, t: u32) -> bool {
        self.version != self.ca_version
            || t >= self.ca_timer
            || self.floor_dirty
            || self.alive_n.iter().zip(&self.floor).zip(self.pools_spec).any(|((&a, &f), ps)| a < f.min(ps.max_nodes))
            || self.svcs.iter().any(|s| s.pending > 0)
    }

    fn trace_point(&self, load: f64) -> TracePoint {
        let now = self.now;
        let p = &self.p;
        TracePoint {
            t_s: now * TICK_S,
            load_rps: load,
            replicas: self.svcs.iter().map(|s| s.replicas).collect(),
            ready: self
                .svcs
                .iter()
                .map(|s| {
                    s.scheduled
                        - s.cohorts.iter().filter(|c| ready_times(p, c.start).0 > now).map(|c| c.count).sum::<u32>()
                })
                .collect(),
            utilization_pct: self.svcs.iter().map(|s| s.last_util).collect(),
            nodes: self.alive_n.clone(),
            pending: self.svcs.iter().map(|s| s.pending).sum(),
        }
    }

    fn schedule_pending(&mut self) {
        self.sched_dirty = false;
        for i in 0..self.svcs.len() {
            while self.svcs[i].pending > 0 {
                match self.schedule_one(i) {
                    Some(ni) => {
                        self.svcs[i].pending -= 1;
                        self.place(i, ni, Some(self.now));
                    }
                    None => break,
                }
            }
        }
    }

    /// Pod counts of service `i` at `now` for the HPA: (Ready for CPU, unready, serving).
    /// Cohorts whose pods are now Ready for the HPA leave the list.
    fn counts(&mut self, i: usize) -> (u32, u32, u32) {
        let p = self.p;
        let now = self.now;
        let s = &mut self.svcs[i];
        let (mut unready_scheduled, mut not_serving) = (0, 0);
        if !s.cohorts.is_empty() {
            while s.cohorts.front().is_some_and(|c| ready_times(&p, c.start).1 <= now) {
                s.cohorts.pop_front();
            }
            for c in &s.cohorts {
                unready_scheduled += c.count;
                if ready_times(&p, c.start).0 > now {
                    not_serving += c.count;
                }
            }
        }
        (s.scheduled - unready_scheduled, unready_scheduled + s.pending, s.scheduled - not_serving)
    }

    /// One HPA reconcile of service `i` (legacy path, one CPU Utilization metric).
    fn hpa(&mut self, i: usize, load_rps: f64) {
        let (ready, unready, serving) = self.counts(i);
        let now = self.now;
        let sv = &self.svcs_spec[i];
        let s = &mut self.svcs[i];
        let current = s.replicas;
        let ago = |q: &VecDeque<(u32, u32)>| -> Vec<(u32, u32)> {
            if self.hpa_log.is_some() { q.iter().map(|&(t, r)| ((now - t) * TICK_S, r)).collect() } else { Vec::new() }
        };
        let (recommendations, scale_up_events, scale_down_events) = (ago(&s.recs), ago(&s.ups), ago(&s.downs));
        let m = measure(sv, load_rps, serving);
        let d = decide(s, sv, &self.p, now, m, ready, unready);
        commit(s, sv, &self.p, now, &d);
        if let Some(log) = self.hpa_log.as_mut() {
            log[i].push(HpaStep {
                t_s: now * TICK_S,
                current,
                ready,
                unready,
                usage_m: d.usage_m,
                proposal: d.proposal,
                desired: d.desired,
                recommendations,
                scale_up_events,
                scale_down_events,
            });
        }
        let desired = d.desired;
        if desired != current {
            let s = &mut self.svcs[i];
            if let Some(b) = &sv.behavior {
                let keep = b.horizon_s();
                for q in [&mut s.ups, &mut s.downs] {
                    while q.front().is_some_and(|&(t, _)| (now - t) * TICK_S >= keep) {
                        q.pop_front();
                    }
                }
                if desired > current {
                    s.ups.push_back((now, desired - current));
                } else {
                    s.downs.push_back((now, current - desired));
                }
            }
            s.out.scale_events += 1;
            s.replicas = desired;
            self.floor_dirty = true;
            if desired > current {
                s.pending += desired - current;
                self.sched_dirty = true;
            } else {
                self.remove_pods(i, current - desired);
            }
        }
    }

    /// Reconciles of a settled service (every pod scheduled and Ready) from tick `from` (an
    /// HPA sync) while the result is "no change", up to `until`. Returns the first sync at
    /// which the HPA would change the replicas (not yet applied), or the first sync ≥ `until`.
    ///
    /// Sound because nothing else can touch a settled service's pods within the window the
    /// caller allows: other services' changes only add or remove their own pods, and the
    /// autoscaler removes a node only after it has been unneeded for `scale_down_unneeded_s`.
    fn fast_forward(&mut self, i: usize, from: u32, until: u32, load: &Load) -> u32 {
        let p = self.p;
        let sv = &self.svcs_spec[i];
        let s = &mut self.svcs[i];
        let n = s.replicas;
        debug_assert!(s.cohorts.is_empty() && s.pending == 0 && s.scheduled == n);
        // At minReplicas with no stored recommendation (every stored one is above minReplicas),
        // a utilisation up to the band's top proposes at most minReplicas: nothing to store, no
        // change, only the tallies move. In load terms: a per-pod usage below `quiet_below`
        // (the whole millicores at which the utilisation would pass the band's top).
        let factor = sv.cpu_m_per_rps / f64::from(n);
        let limit = sv.cpu_limit_m.unwrap_or(f64::INFINITY);
        let capacity = sv.cpu_limit_m.map_or(f64::INFINITY, |l| f64::from(n) * l);
        let quiet_below = ((s.band.1 + 1) * sv.cpu_request_m + 99) / 100;
        let quiet_below = quiet_below as f64;
        // Likewise, with the log holding only `n` itself, a utilisation inside the band
        // proposes `n` again: the entry's time moves, nothing else.
        let band_from = ((s.band.0 * sv.cpu_request_m + 99) / 100) as f64;
        let at_max = u64::from(n == sv.max_replicas);
        let cpu_per_rps = sv.cpu_m_per_rps;
        let mut t = from;
        while t < until {
            let quiet = n == sv.min_replicas && s.recs.is_empty();
            let steady = !quiet && n > sv.min_replicas && s.recs.len() == 1 && s.recs[0].1 == n;
            if quiet || steady {
                // A tight run of syncs while the usage stays in range; tallies kept locally.
                let lo = if steady { band_from } else { f64::NEG_INFINITY };
                let (mut saturated, mut steps, mut last) = (0u64, 0u64, None);
                while t < until {
                    let rps = load.at(t);
                    let per_pod = (rps * factor).min(limit);
                    if !(per_pod < quiet_below && per_pod >= lo) {
                        break;
                    }
                    if p.samples(t) {
                        let u = div_floor(per_pod as i64 * 100, sv.cpu_request_m);
                        s.last_util = u;
                        s.util_hist[u.clamp(0, 1000) as usize] += 1;
                    }
                    saturated += u64::from(rps * cpu_per_rps > capacity + 1e-9);
                    steps += 1;
                    last = Some(t);
                    t += p.hpa_period;
                }
                s.saturated_syncs += saturated;
                s.max_syncs += at_max * steps;
                if steady && let Some(lt) = last {
                    s.recs[0].0 = lt;
                }
                if t >= until {
                    break;
                }
            }
            let d = decide(s, sv, &p, t, measure(sv, load.at(t), n), n, 0);
            if d.desired != n {
                return t;
            }
            commit(s, sv, &p, t, &d);
            t += p.hpa_period;
        }
        t
    }

    /// The ReplicaSet deletes `k` pods: pending first, then not Ready (newest first), then
    /// from the node with the most pods of the service.
    fn remove_pods(&mut self, i: usize, mut k: u32) {
        let take = k.min(self.svcs[i].pending);
        self.svcs[i].pending -= take;
        k -= take;
        while k > 0 {
            let Some(c) = self.svcs[i].cohorts.back_mut() else { break };
            let node = c.node as usize;
            c.count -= 1;
            if c.count == 0 {
                self.svcs[i].cohorts.pop_back();
            }
            self.unplace(i, node);
            k -= 1;
        }
        let nsvc = self.svcs_spec.len();
        while k > 0 {
            let mut best: Option<(usize, u32)> = None;
            for (ni, n) in self.nodes.iter().enumerate() {
                let c = self.on_node[ni * nsvc + i];
                if n.alive && c > 0 && best.is_none_or(|(_, b)| c >= b) {
                    best = Some((ni, c));
                }
            }
            let Some((ni, _)) = best else { break };
            self.unplace(i, ni);
            k -= 1;
        }
        self.sched_dirty = true;
    }

    /// One cluster-autoscaler scan: a scale-up if pods are unschedulable (the least-waste
    /// expander picks the pool) or a pool is below its zone-loss floor; otherwise the
    /// scale-down of unneeded nodes.
    fn autoscale(&mut self) {
        let now = self.now;
        let p = self.p;
        if self.floor_dirty {
            for q in 0..self.pools_spec.len() {
                self.floor[q] = self.compute_floor(q);
            }
            self.floor_dirty = false;
        }
        // Scale-up.
        let mut added = false;
        if self.svcs.iter().any(|s| s.pending > 0)
            && let Some((pi, zones)) = self.expand()
        {
            self.grow(pi, &zones);
            added = true;
        }
        for pi in 0..self.pools_spec.len() {
            let floor = self.floor[pi].min(self.pools_spec[pi].max_nodes);
            if self.alive_n[pi] < floor {
                let zones = vec![u32::MAX; (floor - self.alive_n[pi]) as usize];
                self.grow(pi, &zones);
                added = true;
            }
        }
        if added {
            return;
        }
        // Scale-down: track unneeded nodes.
        let nsvc = self.svcs_spec.len();
        let nsys = self.sys.len();
        let mut candidates: Vec<(usize, f64, bool)> = Vec::new();
        let mut timer = u32::MAX;
        // A pool at or below its zone-loss floor is full of placeholder pods (that is how
        // overprovisioning holds capacity): none of its nodes is unneeded. When the floor
        // drops, the placeholders go and the unneeded timers start.
        let held: Vec<bool> = (0..self.pools_spec.len())
            .map(|pi| self.floor[pi] > self.pools_spec[pi].min_nodes && self.alive_n[pi] <= self.floor[pi])
            .collect();
        for ni in 0..self.nodes.len() {
            let n = &self.nodes[ni];
            if !n.alive || n.ready_at > now {
                continue;
            }
            if held[n.pool as usize] {
                self.nodes[ni].unneeded_since = None;
                continue;
            }
            let ps = &self.pools_spec[n.pool as usize];
            let util = (n.cpu / ps.alloc_cpu_m).max(n.mem / ps.alloc_memory_mib);
            let movable = util < p.threshold
                && if n.movable_at.0 == self.version {
                    n.movable_at.1
                } else {
                    let m = self.movable(ni).is_some();
                    self.nodes[ni].movable_at = (self.version, m);
                    m
                };
            if movable {
                let n = &mut self.nodes[ni];
                let since = *n.unneeded_since.get_or_insert(now);
                if now - since < p.unneeded {
                    timer = timer.min(since + p.unneeded);
                } else {
                    let empty = self.on_node[ni * nsvc..(ni + 1) * nsvc].iter().all(|&c| c == 0)
                        && self.sys_on_node[ni * nsys..(ni + 1) * nsys].iter().all(|&c| c == 0);
                    candidates.push((ni, util, empty));
                }
            } else {
                self.nodes[ni].unneeded_since = None;
            }
        }
        self.ca_version = self.version;
        self.ca_timer = timer;
        if candidates.is_empty() {
            return;
        }
        if let Some(t) = self.last_scale_up
            && now - t < p.delay_after_add
        {
            self.ca_timer = timer.min(t + p.delay_after_add);
            return;
        }
        // Nodes each pool may lose: down to its minimum and zone-loss floor.
        let mut removable: Vec<u32> = (0..self.pools_spec.len())
            .map(|pi| self.alive_n[pi].saturating_sub(self.floor[pi].max(self.pools_spec[pi].min_nodes)))
            .collect();
        candidates.retain(|c| removable[self.nodes[c.0].pool as usize] > 0);
        // Empty nodes in bulk.
        let mut removed = 0;
        for &(ni, _, empty) in &candidates {
            let pi = self.nodes[ni].pool as usize;
            if empty && removable[pi] > 0 && removed < p.bulk_empty {
                self.remove_node(ni);
                self.pools_out[pi].nodes_removed += 1;
                removable[pi] -= 1;
                removed += 1;
            }
        }
        if removed == 0
            // Else one non-empty node: the least utilised (the newest slot on ties).
            && let Some(&(ni, _, _)) =
                candidates.iter().filter(|c| !c.2).min_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            && let Some(moves) = self.movable(ni)
        {
            let pi = self.nodes[ni].pool as usize;
            self.drain(ni, &moves);
            self.remove_node(ni);
            self.pools_out[pi].nodes_removed += 1;
            removed = 1;
        }
        if removed > 0 {
            self.sched_dirty = true;
        }
    }

    /// Ask for nodes in pool `pi`, in these zones (`u32::MAX`: the zone with fewest nodes).
    fn grow(&mut self, pi: usize, zones: &[u32]) {
        let ready_at = self.now + self.p.node_provisioning;
        for &z in zones {
            let zone = if z == u32::MAX { self.fewest_nodes_zone(pi, u32::MAX) } else { z };
            self.add_node(pi, zone, ready_at);
        }
        let out = &mut self.pools_out[pi];
        out.scale_ups += 1;
        out.nodes_added += zones.len() as u32;
        self.last_scale_up = Some(self.now);
        if ready_at <= self.now {
            self.sched_dirty = true;
        }
    }

    /// The scale-up for the unschedulable pods (§2.1): pending pods are first packed onto
    /// nodes still provisioning; for the rest, each pool that can take some of them gets an
    /// estimate (first-fit decreasing onto new template nodes, each pod in a zone its spread
    /// constraint allows, capped at maxNodes), and the least-waste expander picks one:
    /// the lowest (unused CPU share + unused memory share) of the new nodes, the first pool on
    /// ties. Returns the pool and the zones of its new nodes.
    fn expand(&self) -> Option<(usize, Vec<u32>)> {
        let now = self.now;
        // Bins: (pool, zone, cpu, mem, pods) of provisioning nodes.
        let mut bins: Vec<(usize, u32, f64, f64, u32)> = self
            .nodes
            .iter()
            .filter(|n| n.alive && n.ready_at > now)
            .map(|n| (n.pool as usize, n.zone, n.cpu, n.mem, n.pods))
            .collect();
        // Pending pods, largest first: (service, count).
        let size = |i: usize| {
            let sv = &self.svcs_spec[i];
            let ps = &self.pools_spec[sv.pools[0]];
            (sv.cpu_request_m as f64 / ps.alloc_cpu_m).max(sv.memory_request_mib / ps.alloc_memory_mib)
        };
        let mut order: Vec<usize> = (0..self.svcs.len()).filter(|&i| self.svcs[i].pending > 0).collect();
        order.sort_by(|&a, &b| size(b).total_cmp(&size(a)));
        let spread = |sv: &SvcSpec, zc: &[u32]| {
            if sv.zone_spread {
                let min = zc.iter().copied().min().unwrap_or(0);
                zc.iter().enumerate().filter(|(_, c)| **c == min).fold(0u32, |m, (z, _)| m | (1 << z))
            } else {
                u32::MAX
            }
        };
        let fits = |b: &(usize, u32, f64, f64, u32), pool_mask: u32, zone_mask: u32, cpu: f64, mem: f64| {
            let ps = &self.pools_spec[b.0];
            pool_mask & (1 << b.0) != 0
                && zone_mask & (1 << b.1) != 0
                && b.2 + cpu <= ps.alloc_cpu_m + 1e-9
                && b.3 + mem <= ps.alloc_memory_mib + 1e-9
                && b.4 < ps.max_pods
        };
        // Onto provisioning nodes first.
        let mut left: Vec<(usize, u32, Vec<u32>)> = Vec::new(); // (service, pods, zone counts)
        for &i in &order {
            let sv = &self.svcs_spec[i];
            let (cpu, mem) = (sv.cpu_request_m as f64, sv.memory_request_mib);
            let mut zc = self.svcs[i].zone_counts.clone();
            let mut rest = 0;
            for _ in 0..self.svcs[i].pending {
                let zm = spread(sv, &zc);
                match bins.iter().position(|b| fits(b, self.svcs[i].pool_mask, zm, cpu, mem)) {
                    Some(bi) => {
                        let b = &mut bins[bi];
                        (b.2, b.3, b.4) = (b.2 + cpu, b.3 + mem, b.4 + 1);
                        zc[b.1 as usize] += 1;
                    }
                    None => rest += 1,
                }
            }
            if rest > 0 {
                left.push((i, rest, zc));
            }
        }
        // One option per pool.
        let mut best: Option<(f64, usize, Vec<u32>)> = None;
        for (pi, ps) in self.pools_spec.iter().enumerate() {
            let room = ps.max_nodes.saturating_sub(self.alive_n[pi]) as usize;
            if room == 0 {
                continue;
            }
            let mut node_zone_counts = [0u32; 32];
            for n in self.nodes.iter().filter(|n| n.alive && n.pool as usize == pi) {
                node_zone_counts[n.zone as usize] += 1;
            }
            let mut new: Vec<(usize, u32, f64, f64, u32)> = Vec::new();
            let (mut req_cpu, mut req_mem) = (0.0, 0.0);
            for (i, count, zc0) in &left {
                let sv = &self.svcs_spec[*i];
                let (cpu, mem) = (sv.cpu_request_m as f64, sv.memory_request_mib);
                if self.svcs[*i].pool_mask & (1 << pi) == 0
                    || cpu > ps.alloc_cpu_m - ps.ds_cpu_m
                    || mem > ps.alloc_memory_mib - ps.ds_memory_mib
                {
                    continue; // not for this pool, or fits no node of it
                }
                let mut zc = zc0.clone();
                for _ in 0..*count {
                    let zm = spread(sv, &zc[..ps.zones as usize]) & all_zones(ps.zones);
                    let bi = match new.iter().position(|b| fits(b, u32::MAX, zm, cpu, mem)) {
                        Some(b) => b,
                        None if new.len() < room => {
                            let z = (0..ps.zones)
                                .filter(|z| zm & (1 << z) != 0)
                                .min_by_key(|&z| (node_zone_counts[z as usize], z))
                                .unwrap_or(0);
                            node_zone_counts[z as usize] += 1;
                            new.push((pi, z, ps.ds_cpu_m, ps.ds_memory_mib, 0));
                            new.len() - 1
                        }
                        None => break, // maxNodes: the rest stays pending
                    };
                    let b = &mut new[bi];
                    (b.2, b.3, b.4) = (b.2 + cpu, b.3 + mem, b.4 + 1);
                    zc[b.1 as usize] += 1;
                    req_cpu += cpu;
                    req_mem += mem;
                }
            }
            if new.is_empty() {
                continue;
            }
            let n = new.len() as f64;
            let waste = (1.0 - req_cpu / (ps.alloc_cpu_m * n)) + (1.0 - req_mem / (ps.alloc_memory_mib * n));
            if best.as_ref().is_none_or(|b| waste < b.0 - 1e-12) {
                best = Some((waste, pi, new.iter().map(|b| b.1).collect()));
            }
        }
        best.map(|(_, pi, zones)| (pi, zones))
    }

    /// Where the pods of node `ni` would go if it were removed (every pod must fit on another
    /// schedulable node of a pool it may use, spread constraints kept), or None.
    fn movable(&self, ni: usize) -> Option<Vec<(Move, usize)>> {
        let nsvc = self.svcs_spec.len();
        let nsys = self.sys.len();
        let now = self.now;
        let mut free: Vec<(f64, f64, u32)> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(j, n)| {
                let ps = &self.pools_spec[n.pool as usize];
                if j == ni || !n.alive || n.ready_at > now {
                    (-1.0, -1.0, 0)
                } else {
                    (ps.alloc_cpu_m - n.cpu, ps.alloc_memory_mib - n.mem, ps.max_pods - n.pods)
                }
            })
            .collect();
        let from_zone = self.nodes[ni].zone as usize;
        let mut moves = Vec::new();
        for k in 0..nsys {
            let sp = self.sys[k];
            for _ in 0..self.sys_on_node[ni * nsys + k] {
                let j = pick(&free, sp.cpu, sp.mem, |j| self.nodes[j].pool as usize == sp.pool)?;
                take(&mut free[j], sp.cpu, sp.mem);
                moves.push((Move::System(k), j));
            }
        }
        for i in 0..nsvc {
            let c = self.on_node[ni * nsvc + i];
            if c == 0 {
                continue;
            }
            let sv = &self.svcs_spec[i];
            let pool_mask = self.svcs[i].pool_mask;
            let cpu = sv.cpu_request_m as f64;
            let mut zc = self.svcs[i].zone_counts.clone();
            for _ in 0..c {
                zc[from_zone] -= 1;
                let nodes = &self.nodes;
                let ok = |j: usize| {
                    if pool_mask & (1 << nodes[j].pool) == 0 {
                        return false;
                    }
                    if !sv.zone_spread {
                        return true;
                    }
                    let z = nodes[j].zone as usize;
                    zc[z] += 1;
                    let skew = zc.iter().max().unwrap_or(&0) - zc.iter().min().unwrap_or(&0);
                    zc[z] -= 1;
                    skew <= 1
                };
                let j = pick(&free, cpu, sv.memory_request_mib, ok)?;
                take(&mut free[j], cpu, sv.memory_request_mib);
                zc[self.nodes[j].zone as usize] += 1;
                moves.push((Move::Service(i), j));
            }
        }
        Some(moves)
    }

    /// Evict the pods of node `ni` to their new nodes; they start again there.
    fn drain(&mut self, ni: usize, moves: &[(Move, usize)]) {
        let now = self.now;
        let pi = self.nodes[ni].pool as usize;
        for &(what, j) in moves {
            match what {
                Move::System(k) => {
                    self.unplace_system(ni, k);
                    self.place_system(j, k);
                }
                Move::Service(i) => {
                    // Starting pods on the drained node start again on the new one.
                    self.svcs[i].cohorts.retain(|c| c.node != ni as u32);
                    self.unplace(i, ni);
                    self.place(i, j, Some(now));
                }
            }
            self.pools_out[pi].pods_evicted += 1;
        }
    }

    /// Integrate the (constant) state over `dt` ticks.
    fn account(&mut self, dt: u32) {
        let dt = u64::from(dt);
        for ((o, &a), nt) in self.pools_out.iter_mut().zip(&self.alive_n).zip(&mut self.node_ticks) {
            *nt += u64::from(a) * dt;
            o.peak_nodes = o.peak_nodes.max(a);
            o.min_nodes_seen = o.min_nodes_seen.min(a);
        }
        for s in &mut self.svcs {
            s.pod_ticks += u64::from(s.scheduled) * dt;
            s.pending_ticks += u64::from(s.pending) * dt;
            s.out.peak_replicas = s.out.peak_replicas.max(s.replicas);
            s.out.min_replicas_seen = s.out.min_replicas_seen.min(s.replicas);
        }
    }

    /// Close the books: percentiles, and the result.
    pub fn finish(mut self, days: u32, trace: Vec<TracePoint>) -> SimResult {
        let tick_h = f64::from(TICK_S) / 3600.0;
        let sync_min = f64::from(self.p.hpa_period * TICK_S) / 60.0;
        for (o, &nt) in self.pools_out.iter_mut().zip(&self.node_ticks) {
            o.node_hours = nt as f64 * tick_h;
        }
        for s in &mut self.svcs {
            s.out.pod_hours = s.pod_ticks as f64 * tick_h;
            s.out.pending_pod_minutes = s.pending_ticks as f64 * tick_h * 60.0;
            s.out.saturated_minutes = s.saturated_syncs as f64 * sync_min;
            s.out.minutes_at_max = s.max_syncs as f64 * sync_min;
            let total: u32 = s.util_hist.iter().sum();
            let pct = |q: f64| -> f64 {
                if total == 0 {
                    return 0.0;
                }
                let rank = ((q * f64::from(total)).ceil() as u32).max(1);
                let mut acc = 0;
                for (v, &c) in s.util_hist.iter().enumerate() {
                    acc += c;
                    if acc >= rank {
                        return v as f64;
                    }
                }
                1000.0
            };
            s.out.cpu_utilization_p50 = pct(0.5);
            s.out.cpu_utilization_p95 = pct(0.95);
            s.out.cpu_utilization_p99 = pct(0.99);
        }
        SimResult { days, services: self.svcs.into_iter().map(|s| s.out).collect(), pools: self.pools_out, trace }
    }
}

/// One HPA decision before it is recorded.
struct Decision {
    usage_m: i64,
    util: Option<i64>,
    proposal: Option<u32>,
    desired: u32,
    saturated: bool,
}

/// The controller's arithmetic for one reconcile (§1.2, §1.4, §1.8), without recording it:
/// only recommendations older than the window are dropped from the log.
/// What the metrics show at `load_rps` with `serving` pods taking traffic: (per-pod usage in
/// whole millicores, its utilisation of the request in whole percent (§1.2: every Ready pod has
/// the same usage and request, so Σusage·100/Σrequest = usage·100/request), and whether the
/// demand exceeds what the serving pods can do).
#[inline]
fn measure(sv: &SvcSpec, load_rps: f64, serving: u32) -> (i64, i64, bool) {
    let demand = load_rps * sv.cpu_m_per_rps;
    let per_pod_factor = if serving > 0 { sv.cpu_m_per_rps / f64::from(serving) } else { 0.0 };
    let (per_pod, capacity) = match sv.cpu_limit_m {
        Some(l) => ((load_rps * per_pod_factor).min(l), f64::from(serving) * l),
        None => (load_rps * per_pod_factor, if serving > 0 { f64::INFINITY } else { 0.0 }),
    };
    let usage_m = per_pod as i64; // whole millicores (per_pod ≥ 0: truncation = floor)
    (usage_m, div_floor(usage_m * 100, sv.cpu_request_m), demand > capacity + 1e-9)
}

#[allow(clippy::too_many_arguments)]
#[inline]
fn decide(
    s: &mut Svc,
    sv: &SvcSpec,
    p: &Params,
    now: u32,
    (usage_m, util, saturated): (i64, i64, bool),
    ready: u32,
    unready: u32,
) -> Decision {
    let current = s.replicas;
    let band = s.band;
    let within_util = |u: i64| band.0 <= u && u <= band.1;
    let (util, proposal) = if ready == 0 {
        (None, None)
    } else {
        let scale_up_with_unready = unready > 0 && util > sv.target_pct;
        let prop = if !scale_up_with_unready {
            if within_util(util) { current } else { ceil_u32(util as f64 / sv.target_pct as f64 * f64::from(ready)) }
        } else {
            // §1.4: unready pods re-enter at 0 % on scale-up.
            let total = ready + unready;
            let new_util = i64::from(ready) * usage_m * 100 / (i64::from(total) * sv.cpu_request_m);
            if within_util(new_util) || new_util < sv.target_pct {
                current
            } else {
                let n = ceil_u32(new_util as f64 / sv.target_pct as f64 * f64::from(total));
                if n < current { current } else { n }
            }
        };
        (Some(util), Some(prop))
    };
    let desired = match (proposal, &sv.behavior) {
        (None, _) => current,
        (Some(prop), Some(b)) => decide_with_behavior(s, sv, b, now, prop),
        (Some(prop), None) => {
            // §1.8: the legacy path. Max over the recommendations of the last window (kept as a
            // sliding-window maximum: an entry dominated by a newer, larger one can never be the
            // maximum again), then the scale-up cap and min/max.
            let cutoff = now.saturating_sub(p.downscale_window);
            while s.recs.front().is_some_and(|&(t, _)| t < cutoff) {
                s.recs.pop_front();
            }
            let stabilized = s.recs.front().map_or(prop, |&(_, r)| r.max(prop));
            let cap = (SCALE_UP_FACTOR * current).max(SCALE_UP_MINIMUM);
            let max_allowed = sv.max_replicas.min(cap);
            if stabilized < sv.min_replicas {
                sv.min_replicas
            } else if stabilized > max_allowed {
                max_allowed
            } else {
                stabilized
            }
        }
    };
    Decision { usage_m, util, proposal, desired, saturated }
}

/// §1.8 with spec.behavior: the lowest recommendation of the scale-up window and the highest of
/// the scale-down window bound the current replicas; then each direction's policies limit the
/// step, and min/max apply. Out of line: the legacy rules are the common case.
#[cold]
#[inline(never)]
fn decide_with_behavior(s: &Svc, sv: &SvcSpec, b: &Behavior, now: u32, prop: u32) -> u32 {
    let current = s.replicas;
    let age = |t: u32| (now - t) * TICK_S;
    let (mut up_rec, mut down_rec) = (prop, prop);
    for &(t, r) in &s.recs {
        if age(t) < b.up.window_s {
            up_rec = up_rec.min(r);
        }
        if age(t) < b.down.window_s {
            down_rec = down_rec.max(r);
        }
    }
    let rec = current.max(up_rec).min(down_rec);
    if rec > current {
        let max_allowed = sv.max_replicas.min(policy_limit(&b.up, current, now, &s.ups, &s.downs, true));
        rec.min(max_allowed)
    } else if rec < current {
        let min_allowed = sv.min_replicas.max(policy_limit(&b.down, current, now, &s.ups, &s.downs, false));
        rec.max(min_allowed)
    } else {
        rec
    }
}

/// With a behavior: every recommendation, until it is older than both windows.
#[cold]
#[inline(never)]
fn record_with_behavior(s: &mut Svc, b: &Behavior, now: u32, prop: u32) {
    let keep = b.up.window_s.max(b.down.window_s);
    while s.recs.front().is_some_and(|&(t, _)| (now - t) * TICK_S >= keep) {
        s.recs.pop_front();
    }
    s.recs.push_back((now, prop));
}

/// Record a decision: the recommendation log, the utilisation histogram, time saturated and at
/// maxReplicas.
#[inline]
fn commit(s: &mut Svc, sv: &SvcSpec, p: &Params, now: u32, d: &Decision) {
    if let (Some(prop), Some(b)) = (d.proposal, &sv.behavior) {
        record_with_behavior(s, b, now, prop);
    }
    // Legacy rules: a recommendation at or below minReplicas can never raise a later result
    // above the minReplicas clamp, so it need not be kept; an equal newer one replaces the last
    // entry.
    if let Some(prop) = d.proposal
        && sv.behavior.is_none()
        && prop > sv.min_replicas
    {
        match s.recs.back_mut() {
            Some(last) if last.1 == prop => last.0 = now,
            _ => {
                while s.recs.back().is_some_and(|&(_, r)| r <= prop) {
                    s.recs.pop_back();
                }
                s.recs.push_back((now, prop));
            }
        }
    }
    if let Some(u) = d.util {
        s.last_util = u;
        if p.samples(now) {
            s.util_hist[u.clamp(0, 1000) as usize] += 1;
        }
    }
    s.saturated_syncs += u64::from(d.saturated);
    s.max_syncs += u64::from(d.desired == sv.max_replicas);
}

/// User requests per second at a site, tick by tick.
pub struct Load<'s> {
    pub peak_rps: f64,
    pub shape: &'s [f64],
}

impl Load<'_> {
    #[inline]
    pub fn at(&self, tick: u32) -> f64 {
        self.peak_rps * self.shape.get((tick / (LOAD_STEP_S / TICK_S)) as usize).copied().unwrap_or(0.0)
    }
}

/// A pod to move off a node being removed.
#[derive(Debug, Clone, Copy)]
enum Move {
    System(usize),
    Service(usize),
}

/// ⌈x⌉ as u32 (0 for x ≤ 0 or NaN, saturating), without a libm call.
fn ceil_u32(x: f64) -> u32 {
    if x.is_nan() || x <= 0.0 {
        return 0;
    }
    let c = x as u32; // truncates, saturates
    if f64::from(c) < x { c.saturating_add(1) } else { c }
}

/// ⌊a / b⌋ for a ≥ 0, b > 0 (32-bit division when it fits: several times faster than 64-bit).
#[inline]
fn div_floor(a: i64, b: i64) -> i64 {
    if (0..=i64::from(u32::MAX)).contains(&a) && (1..=i64::from(u32::MAX)).contains(&b) {
        i64::from(a as u32 / b as u32)
    } else {
        a.div_euclid(b)
    }
}

/// The LeastAllocated-like choice among free slots: most free CPU share, first on ties.
fn pick(free: &[(f64, f64, u32)], cpu: f64, mem: f64, mut ok: impl FnMut(usize) -> bool) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (j, &(c, m, p)) in free.iter().enumerate() {
        if c + 1e-9 >= cpu && m + 1e-9 >= mem && p > 0 && ok(j) && best.is_none_or(|(_, b)| c > b + 1e-12) {
            best = Some((j, c));
        }
    }
    best.map(|(j, _)| j)
}

fn take(f: &mut (f64, f64, u32), cpu: f64, mem: f64) {
    f.0 -= cpu;
    f.1 -= mem;
    f.2 -= 1;
}

/// [`simulate`] step by step, recording every HPA decision (per service, in order).
pub fn simulate_logged(
    svcs: &[SvcSpec],
    pools: &[PoolSpec],
    p: Params,
    peak_rps: f64,
    shape: &[f64],
) -> (SimResult, Vec<Vec<HpaStep>>) {
    let end = shape.len() as u32 * (LOAD_STEP_S / TICK_S);
    let load = Load { peak_rps, shape };
    let mut sim = Sim::new(svcs, pools, p, load.at(0));
    sim.hpa_log = Some(vec![Vec::new(); svcs.len()]);
    sim.run(end, &load, None);
    let log = sim.hpa_log.take().unwrap_or_default();
    let days = (shape.len() as u32 * LOAD_STEP_S).div_ceil(DAY_S).max(1);
    (sim.finish(days, Vec::new()), log)
}

/// Simulate `shape.len()` load steps (a day, or a week) of a site whose peak is `peak_rps`
/// user requests per second.
pub fn simulate(
    svcs: &[SvcSpec],
    pools: &[PoolSpec],
    p: Params,
    peak_rps: f64,
    shape: &[f64],
    with_trace: bool,
) -> SimResult {
    let end = shape.len() as u32 * (LOAD_STEP_S / TICK_S);
    let load = Load { peak_rps, shape };
    let mut sim = Sim::new(svcs, pools, p, load.at(0));
    let mut trace = Vec::new();
    sim.run(end, &load, with_trace.then_some(&mut trace));
    let days = (shape.len() as u32 * LOAD_STEP_S).div_ceil(DAY_S).max(1);
    sim.finish(days, trace)
}
