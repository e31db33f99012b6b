//! Sizing: what a site of a given role needs in a month — services → replicas (the HPA's
//! target), pods → nodes per pool (first-fit decreasing, minNodes, zone loss, maxNodes), the
//! database class, cache nodes. A site's sizing depends only on its role (its load fraction)
//! and whether its nodes are billed from a simulated day, so each month sizes each distinct
//! role once and every variant reads it ([`Sizes`]).

use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use crate::catalog::{Catalog, HOURS_PER_MONTH};
use crate::engine::autoscale::{self, SimResult};
use crate::engine::demand::MonthDemand;
use crate::engine::k8s::{self, Allocatable, PodGroup};
use crate::engine::report::{
    CacheSizing, DbBound, DbSizing, LatencyCheck, Name, PoolSizing, ReplicaBound, ServiceSizing,
};
use crate::scenario::model::*;

/// RDS PostgreSQL default `max_connections = LEAST(DBInstanceClassMemory / 9531392, 5000)`.
const RDS_BYTES_PER_CONNECTION: f64 = 9_531_392.0;
const RDS_MAX_CONNECTIONS: f64 = 5000.0;
/// Smallest RDS gp3 volume, GB.
const RDS_MIN_STORAGE_GB: f64 = 20.0;
/// Days in an average month.
pub const DAYS_PER_MONTH: f64 = 365.0 / 12.0;

/// Whether a site of this role serves user traffic.
pub fn serving(r: Role) -> bool {
    matches!(r, Role::Primary | Role::ActiveActive(_))
}

/// Whether a site of this role runs the cluster (services, nodes, cache).
pub fn runs_compute(r: Role) -> bool {
    matches!(r, Role::Primary | Role::ActiveActive(_) | Role::WarmStandby(_))
}

/// Share of the peak load a site of this role is sized for.
pub fn load_fraction(role: Role) -> f64 {
    match role {
        Role::Primary => 1.0,
        Role::ActiveActive(f) | Role::WarmStandby(f) => f,
        Role::PilotLight | Role::BackupOnly => 0.0,
    }
}

/// Whether the autoscaling simulation runs for a site: AWS, serving traffic.
pub fn simulated_site(s: &Scenario, site: &Site) -> bool {
    s.cluster.autoscaling.simulate && matches!(site.location, Location::Aws(_)) && serving(site.role)
}

/// A site's sizing key: its role, and whether its nodes are billed from a simulated day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SizeKey {
    pub role: Role,
    pub simulated: bool,
}

/// One role's sizing in one month.
#[derive(Debug, Clone, Default)]
pub struct RoleSizing {
    pub services: Vec<ServiceSizing>,
    pub pools: Vec<PoolSizing>,
    /// Serving sites size their own database; standbys mirror their variant's primary.
    pub database: Option<DbSizing>,
    pub cache: Option<CacheSizing>,
    pub simulation: Option<Arc<SimResult>>,
    /// Nodes over the pools; average nodes over the month; node root volumes, GB.
    pub nodes: u32,
    pub average_nodes: f64,
    pub root_gb: f64,
    /// A pool needs more than maxNodes, or no allowed database class is large enough.
    pub limit: bool,
}

/// What the resize policy (`data.resize`) carries from month to month for one site kind: the
/// database class and cache shards run, and for how many months in a row a smaller size
/// would have done.
#[derive(Debug, Clone, Copy, Default)]
pub struct Held {
    db: Option<usize>,
    db_low: u32,
    cache: Option<u32>,
    cache_low: u32,
}

/// One step of the policy: `need` this month, `fits_smaller` the largest smaller size the need
/// fits with the margin (None: none). Up at once; down to `fits_smaller` after `after` months.
fn hold<T: Copy + PartialOrd>(
    held: &mut Option<T>,
    low: &mut u32,
    need: T,
    fits_smaller: Option<T>,
    after: Option<u32>,
) -> T {
    let run = match *held {
        Some(h) if need <= h => match (fits_smaller.filter(|&x| x < h), after) {
            (Some(to), Some(n)) => {
                *low += 1;
                if *low >= n {
                    *low = 0;
                    if to > need { to } else { need }
                } else {
                    h
                }
            }
            _ => {
                *low = 0;
                h
            }
        },
        _ => {
            *low = 0;
            need
        }
    };
    *held = Some(run);
    run
}

/// Per (month index, load fraction bits), per pool: simulated over peak node-hours, read off a
/// plan ([`crate::engine::plan::node_hour_ratios`]).
pub type NodeHourRatios = HashMap<(u32, u64), Vec<f64>>;

/// A node pool as the sizing packs it: pods sorted once, counts set per month.
struct PoolCtx {
    name: Name,
    instance: Name,
    alloc: Allocatable,
    /// Allocatable left per node after DaemonSets.
    free: Allocatable,
    /// System pods, then the pool's services (counts set before each packing).
    groups: Vec<PodGroup>,
    /// (service, its group).
    services: Vec<(usize, usize)>,
    /// The first-fit-decreasing order of `groups` (it depends on sizes only).
    order: Vec<usize>,
}

/// What sizing needs of a scenario, derived once per scenario (or Monte Carlo path).
pub struct Sizer<'a> {
    s: &'a Scenario,
    pools: Vec<PoolCtx>,
    /// Pool index of each service.
    pub service_pool: Vec<usize>,
    /// RDS classes allowed, smallest first (vCPU, then memory), with their names.
    pub db_classes: Vec<(&'a str, u32, f64)>,
    db_names: Vec<Name>,
    service_names: Vec<Name>,
    cache_mib: f64,
    cache_type: Name,
    /// Simulated days by (month index, load fraction bits).
    pub sims: HashMap<(u32, u64), Arc<SimResult>>,
    /// Instead of simulated days (Monte Carlo paths): per (month index, load fraction bits)
    /// and pool, the plan's simulated node-hours over its peak node-hours, applied to the
    /// path's peak nodes.
    pub ratios: Arc<NodeHourRatios>,
    /// Latency checks at serving sites (the full plan; not on Monte Carlo paths).
    pub latency_checks: bool,
    /// Fill the figures only a report shows (zone spread, request utilisation, pods, what bound
    /// the database class): on for the plan, off for Monte Carlo paths, whose lines and totals
    /// never read them.
    pub detail: bool,
    /// Scratch: open nodes while packing.
    free: Vec<(f64, f64, u32)>,
}

/// Per node pool its system pods, and the pool of each service (named, else the first).
pub fn pool_layout(s: &Scenario) -> (Vec<Vec<PodGroup>>, Vec<usize>) {
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

/// A pool node's allocatable, and what is left of it for workload pods after DaemonSets.
pub fn pool_allocatable(s: &Scenario, cat: &Catalog, p: &NodePool) -> (Allocatable, Allocatable) {
    let ds = s.cluster.daemonset_per_node;
    let alloc = k8s::eks_allocatable(&cat.ec2[&p.instance_type], p.max_pods);
    let free = Allocatable {
        cpu_m: (alloc.cpu_m - ds.cpu_m).max(0.0),
        memory_mib: (alloc.memory_mib - ds.memory_mib).max(0.0),
        pods: alloc.pods,
    };
    (alloc, free)
}

/// The RDS classes the scenario allows, smallest first (vCPU, then memory, then name).
pub fn allowed_db_classes<'a>(s: &Scenario, cat: &'a Catalog) -> Vec<(&'a str, u32, f64)> {
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

/// Usable memory of one cache node, MiB.
pub fn cache_usable_mib(s: &Scenario, cat: &Catalog) -> f64 {
    cat.cache[&s.data.redis.node_type].memory_gib * 1024.0 * s.data.redis.usable_memory_fraction
}

impl<'a> Sizer<'a> {
    pub fn new(s: &'a Scenario, cat: &'a Catalog) -> Self {
        let (system, service_pool) = pool_layout(s);
        let mut pools: Vec<PoolCtx> = s
            .cluster
            .node_pools
            .iter()
            .zip(system)
            .map(|(p, groups)| {
                let (alloc, free) = pool_allocatable(s, cat, p);
                PoolCtx {
                    name: p.name.as_str().into(),
                    instance: p.instance_type.as_str().into(),
                    alloc,
                    free,
                    groups,
                    services: Vec::new(),
                    order: Vec::new(),
                }
            })
            .collect();
        for (i, sv) in s.workload.services.iter().enumerate() {
            let pp = &mut pools[service_pool[i]];
            pp.services.push((i, pp.groups.len()));
            pp.groups.push(PodGroup { cpu_m: sv.pod.cpu_request_m, memory_mib: sv.pod.memory_request_mib, count: 0 });
        }
        for pp in &mut pools {
            k8s::ffd_order(&pp.groups, pp.free, &mut pp.order);
        }
        let db_classes = allowed_db_classes(s, cat);
        Sizer {
            s,
            db_names: db_classes.iter().map(|c| Name::from(c.0)).collect(),
            db_classes,
            pools,
            service_pool,
            service_names: s.workload.services.iter().map(|x| Name::from(x.name.as_str())).collect(),
            cache_mib: cache_usable_mib(s, cat),
            cache_type: s.data.redis.node_type.as_str().into(),
            sims: HashMap::default(),
            ratios: Arc::default(),
            latency_checks: false,
            detail: true,
            free: Vec::new(),
        }
    }

    /// The services and pools as the autoscaling simulation sees them.
    pub fn sim_specs(&self) -> (Vec<autoscale::SvcSpec>, Vec<autoscale::PoolSpec>) {
        let s = self.s;
        let svcs =
            s.workload
                .services
                .iter()
                .enumerate()
                .map(|(i, sv)| {
                    let home = self.service_pool[i];
                    let zones = s.cluster.node_pools[home].zones;
                    autoscale::SvcSpec {
                        pools: std::iter::once(home)
                            .chain(
                                sv.also_pools
                                    .iter()
                                    .filter_map(|n| s.cluster.node_pools.iter().position(|p| &p.name == n))
                                    .filter(|&q| q != home),
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
        let pools = self
            .pools
            .iter()
            .zip(&s.cluster.node_pools)
            .map(|(pc, p)| autoscale::PoolSpec {
                alloc_cpu_m: pc.alloc.cpu_m,
                alloc_memory_mib: pc.alloc.memory_mib,
                max_pods: pc.alloc.pods,
                ds_cpu_m: ds.cpu_m,
                ds_memory_mib: ds.memory_mib,
                zones: p.zones,
                min_nodes: p.min_nodes,
                max_nodes: p.max_nodes,
                zone_loss_headroom: s.cluster.survive_zone_loss,
                system: pc.groups[..pc.groups.len() - pc.services.len()]
                    .iter()
                    .map(|g| (g.cpu_m, g.memory_mib, g.count))
                    .collect(),
            })
            .collect();
        (svcs, pools)
    }

    /// Size a site of `key` in month `md` into `out` (its buffers are reused), the database and
    /// cache after the resize policy given what was run the month before (`held`).
    pub fn size(&mut self, key: SizeKey, md: &MonthDemand, out: &mut RoleSizing, held: &mut Held) {
        let s = self.s;
        let role = key.role;
        let load = load_fraction(role);
        let standby = !serving(role);
        let peak_rps_total = md.peak_users * s.workload.peak_requests_per_user_per_s * load;
        out.services.clear();
        out.database = None;
        out.cache = None;
        out.limit = false;
        out.simulation = if key.simulated { self.sims.get(&(md.index, load.to_bits())).cloned() } else { None };
        if runs_compute(role) {
            // A standby runs scaled down: at least one replica per service, not minReplicas.
            for (i, (sv, n)) in s.workload.services.iter().zip(&self.service_names).enumerate() {
                let zones = s.cluster.node_pools[self.service_pool[i]].zones;
                let min = match (standby, sv.zone_spread) {
                    (true, _) => 1,
                    (false, true) => sv.min_replicas.max(zones),
                    (false, false) => sv.min_replicas,
                };
                let mut sz = size_service(sv, n, peak_rps_total, min);
                if !standby && self.latency_checks {
                    sz.latency = latency_check(sv, &sz);
                }
                out.services.push(sz);
            }
            let ratio_key = (key.simulated && out.simulation.is_none()).then_some((md.index, load.to_bits()));
            self.size_pools(standby, out, ratio_key);
            let (need, needed_shards) = cache_fit(&s.data.redis, self.cache_mib, md.peak_users, load);
            let rp = &s.data.resize;
            // The fewest shards the need fits with the margin (only when the policy moves down).
            let with_margin = rp.cache_down_after_months.map(|_| {
                ((need / (self.cache_mib * rp.down_margin) - 1e-9).ceil().max(0.0) as u32).max(s.data.redis.min_shards)
            });
            let shards =
                hold(&mut held.cache, &mut held.cache_low, needed_shards, with_margin, rp.cache_down_after_months);
            let replicas = if standby { 0 } else { s.data.redis.replicas_per_shard };
            out.cache = Some(CacheSizing {
                node_type: self.cache_type,
                memory_needed_mib: need,
                shards,
                needed_shards,
                nodes: shards.saturating_mul(1 + replicas),
            });
        } else {
            out.pools.clear();
        }
        out.nodes = out.pools.iter().map(|p| p.nodes).sum();
        out.average_nodes = out.pools.iter().map(PoolSizing::average_nodes).sum();
        out.root_gb =
            out.pools.iter().zip(&s.cluster.node_pools).map(|(p, np)| p.average_nodes() * np.root_volume_gb).sum();
        if serving(role) {
            let qps = s
                .workload
                .services
                .iter()
                .zip(&out.services)
                .map(|(sv, sz)| sz.peak_rps * sv.db_queries_per_request)
                .sum();
            let conns = s
                .workload
                .services
                .iter()
                .zip(&out.services)
                .map(|(sv, sz)| sz.replicas * sv.db_connections_per_pod)
                .sum();
            // Every serving site holds the whole data set (memory and storage at full load).
            let db = self.size_db(md, qps, conns, held);
            out.limit |= db.undersized;
            out.database = Some(db);
        }
    }

    /// Pods → nodes per pool. A standby keeps one node at least and no zone-loss headroom
    /// (losing a zone of the standby while the primary is down is a second, independent failure).
    fn size_pools(&mut self, standby: bool, out: &mut RoleSizing, ratio_key: Option<(u32, u64)>) {
        let ratios = ratio_key.and_then(|k| self.ratios.get(&k));
        let s = self.s;
        let ds = s.cluster.daemonset_per_node;
        for (pi, pc) in self.pools.iter_mut().enumerate() {
            let p = &s.cluster.node_pools[pi];
            for &(i, g) in &pc.services {
                pc.groups[g].count = out.services[i].replicas;
            }
            let packing = k8s::pack_in_order(&pc.groups, &pc.order, pc.free, &mut self.free);
            let min_nodes = if standby { 1 } else { p.min_nodes };
            let (packing, required, nodes) =
                pool_fit_packed(packing, p, s.cluster.survive_zone_loss && !standby, min_nodes);
            let n = f64::from(nodes.max(1));
            // The zone spread's buffer is kept from the month before.
            let mut nodes_per_zone =
                out.pools.get_mut(pi).map(|p| std::mem::take(&mut p.nodes_per_zone)).unwrap_or_default();
            let detail = self.detail;
            if detail {
                k8s::spread_into(nodes, p.zones, &mut nodes_per_zone);
            }
            let mut ps = PoolSizing {
                pool: pc.name,
                instance_type: pc.instance,
                packed_nodes: packing.nodes,
                nodes,
                nodes_per_zone,
                required_nodes: required,
                at_max_nodes: required > p.max_nodes,
                unplaceable_pods: packing.unplaceable,
                pods: if detail { pc.groups.iter().map(|g| g.count).sum::<u32>() - packing.unplaceable } else { 0 },
                allocatable_cpu_m: pc.alloc.cpu_m,
                allocatable_memory_mib: pc.alloc.memory_mib,
                max_pods: pc.alloc.pods,
                cpu_request_utilization: if detail {
                    (packing.cpu_requested_m + ds.cpu_m * n) / (pc.alloc.cpu_m * n)
                } else {
                    0.0
                },
                memory_request_utilization: if detail {
                    (packing.memory_requested_mib + ds.memory_mib * n) / (pc.alloc.memory_mib * n)
                } else {
                    0.0
                },
                node_hours: f64::from(nodes) * HOURS_PER_MONTH,
                simulated: false,
            };
            if let Some(day) = out.simulation.as_ref().and_then(|r| r.pools.get(pi).map(|p| (p, r.days))) {
                ps.node_hours = day.0.node_hours * HOURS_PER_MONTH / (24.0 * f64::from(day.1));
                ps.simulated = true;
            } else if let Some(&ratio) = ratios.and_then(|r| r.get(pi)) {
                ps.node_hours *= ratio;
                ps.simulated = true;
            }
            out.limit |= ps.at_max_nodes;
            match out.pools.get_mut(pi) {
                Some(slot) => *slot = ps,
                None => out.pools.push(ps),
            }
        }
        out.pools.truncate(self.pools.len());
    }

    fn size_db(&self, md: &MonthDemand, qps: f64, conns: u32, held: &mut Held) -> DbSizing {
        let f = db_fit(&self.s.data.postgres, &self.db_classes, md, qps, conns, 1.0);
        let rp = &self.s.data.resize;
        // The smallest class the need fits with the margin (only when the policy moves down).
        let m = rp.down_margin;
        let with_margin = rp.database_down_after_months.and_then(|_| {
            self.db_classes.iter().position(|&(_, vcpu, mem)| {
                f.cpu_needed <= m * f64::from(vcpu)
                    && f.mem_needed <= m * mem
                    && f64::from(f.conns_needed) <= m * f64::from(rds_max_connections(mem))
            })
        });
        let class = hold(&mut held.db, &mut held.db_low, f.class, with_margin, rp.database_down_after_months);
        let (_, vcpu, mem) = self.db_classes[class];
        // What made the next smaller class fail.
        let bound_by = match f.class.checked_sub(1).filter(|_| self.detail).map(|i| self.db_classes[i]) {
            None => DbBound::Smallest,
            Some((_, v, _)) if f64::from(v) < f.cpu_needed => DbBound::Cpu,
            Some((_, _, m)) if m < f.mem_needed => DbBound::Memory,
            Some(_) => DbBound::Connections,
        };
        DbSizing {
            class: self.db_names[class],
            needed_class: self.db_names[f.class],
            multi_az: self.s.data.postgres.multi_az,
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
}

/// The sizing of every month and distinct site kind of a scenario, computed once and read by
/// every variant. Buffers are reused from call to call.
#[derive(Debug, Default)]
pub struct Sizes {
    pub keys: Vec<SizeKey>,
    /// The allowed database classes, smallest first (what a database's class indexes).
    pub db_classes: Vec<Name>,
    /// Per month, per key.
    pub months: Vec<Vec<RoleSizing>>,
    /// Per variant, per site: its key.
    site_keys: Vec<Vec<usize>>,
    /// Per key: what the resize policy carries to the next month.
    held: Vec<Held>,
}

impl Sizes {
    /// Size every month of `demand` for every distinct site kind of the scenario's variants.
    pub fn fill(&mut self, sizer: &mut Sizer, demand: &[MonthDemand]) {
        self.begin(sizer, demand.len());
        for (m, md) in demand.iter().enumerate() {
            self.size_month(sizer, m, md);
        }
    }

    /// Find the distinct site kinds and make room for `months` months of sizing.
    pub fn begin(&mut self, sizer: &Sizer, months: usize) {
        let s = sizer.s;
        self.keys.clear();
        self.site_keys.resize_with(s.variants.len(), Vec::new);
        for (v, keys) in s.variants.iter().zip(&mut self.site_keys) {
            keys.clear();
            for site in &v.sites {
                let k = SizeKey { role: site.role, simulated: simulated_site(s, site) };
                let i = match self.keys.iter().position(|x| *x == k) {
                    Some(i) => i,
                    None => {
                        self.keys.push(k);
                        self.keys.len() - 1
                    }
                };
                keys.push(i);
            }
        }
        self.db_classes.clone_from(&sizer.db_names);
        self.held.clear();
        self.held.resize(self.keys.len(), Held::default());
        self.months.resize_with(months, Vec::new);
        for row in &mut self.months {
            row.resize_with(self.keys.len(), RoleSizing::default);
        }
    }

    /// Size the month `md` into row `m` (every site kind). Months are sized in order: the
    /// resize policy carries the database class and cache shards from one to the next.
    pub fn size_month(&mut self, sizer: &mut Sizer, m: usize, md: &MonthDemand) {
        for ((k, out), held) in self.keys.iter().zip(self.months[m].iter_mut()).zip(&mut self.held) {
            sizer.size(*k, md, out, held);
        }
    }

    /// The index of a database class among the allowed ones.
    pub fn class_index(&self, class: Name) -> usize {
        self.db_classes.iter().position(|n| *n == class).unwrap_or(0)
    }

    /// The sizing of site `si` of variant `vi` in month `m`.
    pub fn of(&self, m: usize, vi: usize, si: usize) -> &RoleSizing {
        &self.months[m][self.site_keys[vi][si]]
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
        (by_cpu, ReplicaBound::Cpu)
    } else if by_mem > by_cpu && by_mem > min_replicas {
        (by_mem, ReplicaBound::Memory)
    } else {
        (min_replicas, ReplicaBound::MinReplicas)
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

/// The service's latency objective at `sz`'s peak rate and replicas ([`crate::engine::queueing::Mgc`]).
pub fn latency_check(sv: &Service, sz: &ServiceSizing) -> Option<LatencyCheck> {
    let slo = sv.latency_slo?;
    let mu = 1000.0 / sv.cpu_ms_per_request;
    let offset_ms = (sv.response_time_ms.unwrap_or(sv.cpu_ms_per_request) - sv.cpu_ms_per_request).max(0.0);
    let per_pod = sv.concurrency_per_pod.max(1);
    let min_replicas = crate::engine::queueing::replicas_for_slo(
        sz.peak_rps,
        mu,
        sv.service_time,
        per_pod,
        slo.percentile,
        slo.ms / 1000.0,
        offset_ms / 1000.0,
        10_000,
    );
    let q = crate::engine::queueing::Mgc {
        lambda: sz.peak_rps,
        mean_s: 1.0 / mu,
        c: sz.replicas.saturating_mul(per_pod),
        service: sv.service_time,
    };
    let at_replicas_ms = q.response_quantile(slo.percentile).map(|x| x * 1000.0 + offset_ms);
    Some(LatencyCheck {
        model: q.model(),
        non_cpu_ms: offset_ms,
        percentile: slo.percentile,
        slo_ms: slo.ms,
        min_replicas,
        at_replicas_ms,
        met: at_replicas_ms.is_some_and(|x| x <= slo.ms + 1e-9),
    })
}

/// Nodes a pool needs from a packing: the packing, the nodes required (raised to `min_nodes`
/// and for zone loss) and the nodes run (capped at maxNodes).
pub fn pool_fit_packed(
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

/// Cache memory needed (MiB) and shards at a peak of `peak_users` and `load`.
pub fn cache_fit(r: &Redis, usable_mib_per_node: f64, peak_users: f64, load: f64) -> (f64, u32) {
    let need = (r.base_memory_mib + peak_users * r.memory_mib_per_user) * load;
    let shards = ((need / usable_mib_per_node - 1e-9).ceil().max(0.0) as u32).max(r.min_shards);
    (need, shards)
}

/// RDS default max_connections for a class of `memory_gib` (nominal memory).
pub fn rds_max_connections(memory_gib: f64) -> u32 {
    (memory_gib * 1024.0 * 1024.0 * 1024.0 / RDS_BYTES_PER_CONNECTION).min(RDS_MAX_CONNECTIONS).floor() as u32
}

/// The database a site needs: the smallest allowed class meeting peak CPU, memory and
/// connections, and its storage.
pub struct DbFit {
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
pub fn db_fit(pg: &Postgres, classes: &[(&str, u32, f64)], md: &MonthDemand, qps: f64, conns: u32, load: f64) -> DbFit {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The resize policy on a need that rises, dips and falls, worked by hand: up at once; down
    /// only after two months in a row that fit the smaller size; never down without a count.
    #[test]
    fn resize_policy_holds_then_steps_down() {
        let needs = [1u32, 1, 2, 1, 1, 1, 2, 0, 0, 0];
        let run = |after: Option<u32>| {
            let (mut held, mut low) = (None, 0);
            needs.iter().map(|&n| hold(&mut held, &mut low, n, Some(n), after)).collect::<Vec<_>>()
        };
        assert_eq!(run(Some(2)), [1, 1, 2, 2, 1, 1, 2, 2, 0, 0]);
        assert_eq!(run(Some(1)), needs);
        assert_eq!(run(None), [1, 1, 2, 2, 2, 2, 2, 2, 2, 2]);
        // A smaller size that only fits without the margin does not count.
        let (mut held, mut low) = (None, 0);
        let got: Vec<u32> = [2u32, 1, 1, 1].iter().map(|&n| hold(&mut held, &mut low, n, Some(2), Some(1))).collect();
        assert_eq!(got, [2, 2, 2, 2]);
    }

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
        assert_eq!((s.cpu_demand_m, s.replicas, s.bound_by), (2000.0, 5, ReplicaBound::Cpu));
        // Exactly on the boundary stays at 5 (no float-noise 6th pod): 400m × 5 = 2000m.
        // Memory: 100 rps × 0.1 s = 10 in flight × 10 MiB = 100 MiB over (1024−200) per pod → 1.
        assert_eq!(s.memory_demand_mib, 100.0);
        // Memory-bound: 4 MiB... make each request hold 500 MiB → 5000 MiB / 824 → 7 pods.
        let mut m = service();
        m.memory_mib_per_request = 500.0;
        let s = size_service(&m, &Name::from("api"), 200.0, 2);
        assert_eq!((s.replicas, s.bound_by), (7, ReplicaBound::Memory));
        // Little load: minReplicas.
        assert_eq!(size_service(&service(), &Name::from("api"), 1.0, 2).bound_by, ReplicaBound::MinReplicas);
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
