//! The lean evaluator: what a Monte Carlo path needs of the plan (users, nodes, the amortised
//! monthly and fiscal-year totals per variant, the first month a capacity limit is hit), with
//! no cost-line objects, names or warnings.
//!
//! It sizes with the planner's own functions ([`plan::size_service`], `pool_fit_packed`, `db_fit`,
//! `cache_fit`) and prices the same lines in the same order as `plan_variant` and
//! `finance::apply`, adding each line's dollars straight into the same per-category sums. So
//! its totals are bit-identical to [`plan::plan_costs`] (tests/lean.rs checks every month of
//! every variant over random draws and each finance setting it takes), while one path of the
//! seed costs about a twentieth of what the full plan does (53 µs against 1.1 ms):
//!
//! - prices are resolved once per run, per region, into plain `Option<f64>` slots;
//! - a site's sizing depends only on its role (and load), so each month sizes each distinct
//!   role once and the variants share it (the seed's six variants have four roles with
//!   compute or a database);
//! - buffers are reused from path to path ([`Scratch`]).
//!
//! It takes static sizing and the whole finance layer: the on-premises TCO (hardware bought in
//! steps and depreciated, running costs), spot shares, commitments (reservations and savings
//! plans covering the priced lines by region and key, upfront amortised), negotiated discount,
//! escalation and contingency. The cash view is kept only as far as it decides whether
//! escalation and contingency split by view; the paths report the amortised view. Monte Carlo
//! inputs under `pricing.` (prices are resolved once per run) go through the full planner
//! ([`Lean::unsupported`]); commitments' numbers are read per path.

use crate::demand::{self, MonthDemand};
use crate::k8s::{Allocatable, PodGroup};
use crate::model::*;
use crate::plan::{
    self, DAYS_PER_MONTH, KIB_TO_GB, SECONDS_PER_MONTH, allowed_db_classes, cache_fit, db_fit, load_fraction,
    pool_allocatable, pool_fit_packed, resolved_usd, size_service,
};
use crate::pricing::{Catalog, GLOBAL, HOURS_PER_MONTH};
use crate::report::Name;
use crate::validate::ValidScenario;

/// A resolved price: USD per unit, or unknown (the line then adds nothing, as in the plan),
/// and its index in `Lean::keys` (what a commitment covers is decided by region and key).
#[derive(Debug, Clone, Copy, Default)]
struct P {
    /// NaN when unknown (16 bytes a slot instead of 24 with an `Option`: the slots are read
    /// for every line of every variant-month).
    usd: f64,
    id: u16,
}

/// The prices one AWS region's lines use.
#[derive(Debug, Clone, Default)]
struct RegionPrices {
    eks: P,
    /// Per node pool, in scenario order.
    ec2: Vec<P>,
    ebs: P,
    s3: P,
    s3_put: P,
    s3_get: P,
    inter_region: P,
    /// Per allowed RDS class (smallest first): Multi-AZ and Single-AZ.
    rds_multi: Vec<P>,
    rds_single: Vec<P>,
    rds_storage_multi: P,
    rds_storage_single: P,
    rds_backup: P,
    cache: P,
    alb: P,
    lcu: P,
    internet_out: P,
    nat_hour: P,
    nat_gb: P,
    inter_az: P,
    waf_acl: P,
    waf_rule: P,
    waf_requests: P,
    cw_metric: P,
    cw_alarm: P,
    cw_dashboard: P,
    logs_ingest: P,
    logs_storage: P,
    kms_key: P,
    kms_requests: P,
    secret: P,
    cloudtrail: P,
    dx_port: P,
    dx_out: P,
    vpn: P,
}

/// Organisation-wide prices.
#[derive(Debug, Clone, Default)]
struct GlobalPrices {
    shield: P,
    r53_zone: P,
    r53_queries: P,
    hc_aws: P,
    hc_other: P,
}

/// A variant's structure: which region each site prices in.
#[derive(Debug, Clone)]
struct VariantShape {
    /// Per site: index into `Lean::regions` (None on-premises).
    site_region: Vec<Option<usize>>,
    /// Sites in the plan's order: serving sites first, then the others, each in scenario order.
    order: Vec<usize>,
    /// The site holding the primary copy of objects and the database.
    primary: usize,
    primary_region: Option<usize>,
    /// Region of variant-wide AWS lines (the first AWS site's).
    aws_region: Option<usize>,
    /// Extra items that apply to this variant: (index, counts in the AWS discount's base).
    extra: Vec<(usize, bool)>,
    health_checks_aws_sites: u32,
    health_checks_other_sites: u32,
}

/// Prices and variant shapes of one scenario, resolved once for all its paths.
#[derive(Debug, Clone)]
pub struct Lean {
    regions: Vec<RegionPrices>,
    global: GlobalPrices,
    variants: Vec<VariantShape>,
    /// Per `finance.spot` entry: the pool index it applies to and whether its lines count in
    /// the AWS discount's base (their item names mention "reserved" or "Savings plan").
    spot: Vec<Option<(usize, bool)>>,
    commitments: Vec<CommitmentPlan>,
    name: Name,
}

/// A commitment as the paths apply it: its rates, the variants it applies to, and which prices
/// (by id) it covers.
#[derive(Debug, Clone)]
struct CommitmentPlan {
    /// The catalog's rate, when the commitment gives none (0 where the catalog has none).
    catalog_hourly_usd: f64,
    variants: Vec<bool>,
    covered: Vec<bool>,
}

impl CommitmentPlan {
    /// The commitment as this path has it (its numbers may be drawn).
    fn resolved<'c>(&self, c: &'c Commitment, start_index: i64) -> crate::finance::Resolved<'c> {
        crate::finance::Resolved {
            c,
            start_index,
            hourly_usd: c.hourly_usd.unwrap_or(self.catalog_hourly_usd),
            upfront_usd: c.upfront_usd.unwrap_or(0.0),
            price: None,
            user_supplied: true,
        }
    }
}

/// What one path produced (per variant: in scenario order).
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
}

/// Buffers reused from path to path (one per thread).
#[derive(Debug, Default)]
pub struct Scratch {
    kinds: Vec<Role>,
    sizes: Vec<SiteSize>,
    free: Vec<(f64, f64, u32)>,
    lines: Vec<PricedLine>,
    /// On-prem sites of the variant-month: (site, its role's sizing, database GB, object GB).
    onprem: Vec<(usize, usize, Option<f64>, f64)>,
    /// Hardware owned per variant and site (the on-prem TCO buys in steps).
    fleets: Vec<Vec<crate::finance::Fleet>>,
    /// Per commitment: first month index and whether it counts in the discount's base.
    commits: Vec<(i64, bool)>,
    /// Per pool: the instance's vCPUs and memory (GiB), for on-prem server counts.
    specs: Vec<(u32, f64)>,
    replicas: Vec<(f64, u32)>,
    ec2_lines: Vec<(usize, usize, f64)>,
}

/// One role's sizing in one month.
#[derive(Debug, Clone, Default)]
struct SiteSize {
    /// Per pool: nodes (empty without compute).
    pool_nodes: Vec<u32>,
    nodes: u32,
    average_nodes: f64,
    root_gb: f64,
    cache_nodes: u32,
    /// Serving sites: class index, provisioned GB, billable backup GB, data GB, change GB.
    db: Option<(usize, f64, f64, f64, f64)>,
    /// A pool at maxNodes or an undersized database.
    limit: bool,
}

fn serving(r: Role) -> bool {
    matches!(r, Role::Primary | Role::ActiveActive(_))
}

fn runs_compute(r: Role) -> bool {
    matches!(r, Role::Primary | Role::ActiveActive(_) | Role::WarmStandby(_))
}

/// Adds line dollars as `plan_variant` and `finance::apply` total them: per category (the
/// amortised view), over all lines of each view (the escalation and contingency bases) and over
/// the lines the negotiated discount applies to; with commitments, it keeps the priced lines.
/// `REC`: keep the priced lines (for commitments); a constant, so the common case compiles
/// without it.
struct Acc<'r, const REC: bool> {
    by_category: [f64; 9],
    all: f64,
    cash: f64,
    aws: f64,
    /// Keep `all`, `cash` and `aws` (only the finance settings read them; each is a serial
    /// chain of additions, so skipping them when unused is measurably faster).
    bases: bool,
    /// With `REC`: the priced lines with a known price.
    lines: &'r mut Vec<PricedLine>,
}

/// A priced line as a commitment looks at it: (price id, category, quantity, unit USD, USD).
type PricedLine = (u16, Category, f64, f64, f64);

impl<const REC: bool> Acc<'_, REC> {
    #[inline]
    fn priced(&mut self, c: Category, quantity: f64, price: P) {
        let u = price.usd;
        if !u.is_nan() {
            let usd = u * quantity;
            self.by_category[c as usize] += usd;
            if self.bases {
                self.all += usd;
                self.cash += usd;
                self.aws += usd;
            }
            if REC {
                self.lines.push((price.id, c, quantity, u, usd));
            }
        }
    }

    /// A line without a catalog price, in both views.
    #[inline]
    fn other(&mut self, c: Category, usd: f64, in_aws_base: bool) {
        self.by_category[c as usize] += usd;
        if self.bases {
            self.all += usd;
            self.cash += usd;
            if in_aws_base {
                self.aws += usd;
            }
        }
    }

    /// A line in the amortised view only.
    fn amortised(&mut self, c: Category, usd: f64) {
        self.by_category[c as usize] += usd;
        self.all += usd;
    }
}

impl Lean {
    /// Why the lean evaluator does not take this scenario with these Monte Carlo inputs, if it
    /// does not.
    pub fn unsupported(s: &Scenario, input_paths: &[&str]) -> Option<&'static str> {
        if s.cluster.autoscaling.simulate {
            Some("the autoscaling simulation (cluster.autoscaling.simulate)")
        } else if input_paths.iter().any(|p| p.starts_with("pricing")) {
            Some("uncertain prices (inputs under pricing.)")
        } else {
            None
        }
    }

    /// Resolve the scenario's prices and variant shapes. Paths may change any number except
    /// under `pricing.` (see [`Lean::unsupported`]).
    pub fn new(s: &ValidScenario, cat: &Catalog) -> Lean {
        let ov = &s.pricing.overrides;
        let keys: std::cell::RefCell<Vec<(String, String)>> = Default::default();
        let price = |region: &str, key: &str| {
            let mut k = keys.borrow_mut();
            k.push((region.to_string(), key.to_string()));
            P { usd: resolved_usd(cat, ov, region, key).unwrap_or(f64::NAN), id: (k.len() - 1) as u16 }
        };
        let mut region_names: Vec<&str> = Vec::new();
        let mut variants = Vec::new();
        for v in &s.variants {
            let site_region: Vec<Option<usize>> = v
                .sites
                .iter()
                .map(|x| match &x.location {
                    Location::Aws(r) => Some(match region_names.iter().position(|n| *n == r) {
                        Some(i) => i,
                        None => {
                            region_names.push(r);
                            region_names.len() - 1
                        }
                    }),
                    Location::OnPrem => None,
                })
                .collect();
            let mut order: Vec<usize> = (0..v.sites.len()).collect();
            order.sort_by_key(|&i| !serving(v.sites[i].role));
            let primary = v.sites.iter().position(|x| serving(x.role)).unwrap_or(0);
            let aws_region = site_region.iter().find_map(|r| *r);
            let extra = s
                .pricing
                .extra_items
                .iter()
                .enumerate()
                .filter(|(_, e)| e.variants.is_empty() || e.variants.contains(&v.name))
                .map(|(i, e)| (i, e.name.contains("reserved") || e.name.contains("Savings plan")))
                .collect();
            let (mut aws, mut other) = (0, 0);
            for x in v.sites.iter().filter(|x| !matches!(x.role, Role::BackupOnly)) {
                match x.location {
                    Location::Aws(_) => aws += 1,
                    Location::OnPrem => other += 1,
                }
            }
            variants.push(VariantShape {
                primary_region: site_region[primary],
                site_region,
                order,
                primary,
                aws_region,
                extra,
                health_checks_aws_sites: aws,
                health_checks_other_sites: other,
            });
        }
        let classes = allowed_db_classes(s, cat);
        let regions = region_names
            .iter()
            .map(|&r| RegionPrices {
                eks: price(r, "eks.cluster"),
                ec2: s.cluster.node_pools.iter().map(|p| price(r, &format!("ec2.{}", p.instance_type))).collect(),
                ebs: price(r, "ebs.gp3"),
                s3: price(r, "s3.standard"),
                s3_put: price(r, "s3.put_requests"),
                s3_get: price(r, "s3.get_requests"),
                inter_region: price(r, "transfer.inter_region"),
                rds_multi: classes.iter().map(|c| price(r, &format!("rds.postgres.multi_az.{}", c.0))).collect(),
                rds_single: classes.iter().map(|c| price(r, &format!("rds.postgres.single_az.{}", c.0))).collect(),
                rds_storage_multi: price(r, "rds.storage_gp3.multi_az"),
                rds_storage_single: price(r, "rds.storage_gp3.single_az"),
                rds_backup: price(r, "rds.backup"),
                cache: price(r, &format!("elasticache.{}", s.data.redis.node_type)),
                alb: price(r, "alb.hour"),
                lcu: price(r, "alb.lcu"),
                internet_out: price(r, "transfer.internet_out"),
                nat_hour: price(r, "nat.hour"),
                nat_gb: price(r, "nat.gb"),
                inter_az: price(r, "transfer.inter_az"),
                waf_acl: price(r, "waf.web_acl"),
                waf_rule: price(r, "waf.rule"),
                waf_requests: price(r, "waf.requests"),
                cw_metric: price(r, "cloudwatch.metric"),
                cw_alarm: price(r, "cloudwatch.alarm"),
                cw_dashboard: price(r, "cloudwatch.dashboard"),
                logs_ingest: price(r, "cloudwatch.logs_ingest"),
                logs_storage: price(r, "cloudwatch.logs_storage"),
                kms_key: price(r, "kms.key"),
                kms_requests: price(r, "kms.requests"),
                secret: price(r, "secrets.secret"),
                cloudtrail: price(r, "cloudtrail.data_events"),
                dx_port: price(r, "dx.port_1g"),
                dx_out: price(r, "dx.transfer_out"),
                vpn: price(r, "vpn.connection"),
            })
            .collect();
        let global = GlobalPrices {
            shield: price(GLOBAL, "shield_advanced.subscription"),
            r53_zone: price(GLOBAL, "route53.zone"),
            r53_queries: price(GLOBAL, "route53.queries"),
            hc_aws: price(GLOBAL, "route53.health_check_aws"),
            hc_other: price(GLOBAL, "route53.health_check_non_aws"),
        };
        let spot = s
            .finance
            .spot
            .iter()
            .map(|sp| {
                s.cluster.node_pools.iter().position(|p| p.name == sp.pool).map(|i| {
                    let name = &s.cluster.node_pools[i].name;
                    (i, name.contains("reserved") || name.contains("Savings plan"))
                })
            })
            .collect();
        let keys = keys.into_inner();
        let commitments = s
            .finance
            .commitments
            .iter()
            .map(|c| {
                let catalog_hourly_usd = crate::finance::catalog_rate_key(c)
                    .and_then(|k| resolved_usd(cat, ov, &c.region, &k))
                    .unwrap_or(0.0);
                let cp = CommitmentPlan { catalog_hourly_usd, variants: Vec::new(), covered: Vec::new() };
                let r = cp.resolved(c, 0);
                // A Compute Savings Plan covers EC2 in every region.
                let any_region = matches!(c.kind, CommitmentKind::SavingsPlan { family: None, .. });
                CommitmentPlan {
                    variants: s
                        .variants
                        .iter()
                        .map(|v| c.variants.is_empty() || c.variants.contains(&v.name))
                        .collect(),
                    covered: keys
                        .iter()
                        .map(|(region, key)| (any_region || *region == c.region) && r.covers(key))
                        .collect(),
                    ..cp
                }
            })
            .collect();
        Lean { regions, global, variants, spot, commitments, name: Name::from("") }
    }

    /// Size and price every month of every variant of `s` (the scenario the prices were
    /// resolved from, with other numbers).
    pub fn eval(&self, s: &ValidScenario, cat: &Catalog, scratch: &mut Scratch) -> PathTotals {
        let demand = demand::project(&s.demand, s.meta.start, s.meta.horizon_months);
        let classes = allowed_db_classes(s, cat);
        let (system, service_pool) = plan::pool_layout(s);
        let mut pools: Vec<PoolPlan> = s
            .cluster
            .node_pools
            .iter()
            .zip(system)
            .map(|(p, groups)| PoolPlan {
                free: pool_allocatable(s, cat, p).1,
                groups,
                services: Vec::new(),
                order: Vec::new(),
            })
            .collect();
        for (i, sv) in s.workload.services.iter().enumerate() {
            let pp = &mut pools[service_pool[i]];
            pp.services.push((i, pp.groups.len()));
            pp.groups.push(PodGroup { cpu_m: sv.pod.cpu_request_m, memory_mib: sv.pod.memory_request_mib, count: 0 });
        }
        // The packing order depends on the pods' sizes only: sorted once per path.
        for pp in &mut pools {
            crate::k8s::ffd_order(&pp.groups, pp.free, &mut pp.order);
        }
        let cache_mib = plan::cache_usable_mib(s, cat);
        // The distinct roles of all variants' sites.
        scratch.kinds.clear();
        for x in s.variants.iter().flat_map(|v| v.sites.iter()) {
            if !scratch.kinds.contains(&x.role) {
                scratch.kinds.push(x.role);
            }
        }
        scratch.sizes.resize_with(scratch.kinds.len(), SiteSize::default);
        scratch.fleets.clear();
        scratch.fleets.extend(s.variants.iter().map(|v| vec![crate::finance::Fleet::default(); v.sites.len()]));
        // Per commitment: its first month and whether its lines count in the discount's base
        // (their names mention "reserved" or "Savings plan"), for this path's numbers.
        scratch.commits.clear();
        scratch.commits.extend(s.finance.commitments.iter().zip(&self.commitments).map(|(c, cp)| {
            let start = s.meta.start.months_until(c.start);
            let label = cp.resolved(c, start).label();
            (start, label.contains("reserved") || label.contains("Savings plan"))
        }));
        scratch.specs.clear();
        scratch.specs.extend(
            s.cluster
                .node_pools
                .iter()
                .map(|p| cat.ec2.get(&p.instance_type).map_or((0, 0.0), |e| (e.vcpu, e.memory_gib))),
        );
        let nv = s.variants.len();
        let mut out = PathTotals {
            users: demand.iter().map(|d| d.users).collect(),
            cost: vec![Vec::with_capacity(demand.len()); nv],
            nodes: vec![Vec::with_capacity(demand.len()); nv],
            fiscal: vec![Vec::new(); nv],
            limit_month: vec![None; nv],
        };
        let mut stored_objects_gb = s.data.object_storage.gb_base;
        let resp_kib: f64 = s.workload.services.iter().map(|sv| sv.request_share * sv.response_kib).sum();
        let mut sizing =
            Sizing { s, classes: &classes, pools, service_pool: &service_pool, cache_mib, name: self.name };
        for md in &demand {
            let new_objects_gb = md.users * s.data.object_storage.gb_per_user_per_month;
            if md.index > 0 {
                stored_objects_gb += new_objects_gb;
            }
            for k in 0..scratch.kinds.len() {
                let role = scratch.kinds[k];
                sizing.size(role, md, &mut scratch.sizes[k], &mut scratch.free, &mut scratch.replicas);
            }
            for (vi, v) in s.variants.iter().enumerate() {
                let m = Month { md, stored_objects_gb, new_objects_gb, resp_kib };
                // Commitments read the month's priced lines: kept only when one is active.
                let i = i64::from(md.index);
                let commits = self
                    .commitments
                    .iter()
                    .zip(&s.finance.commitments)
                    .zip(&scratch.commits)
                    .any(|((cp, c), &(start, _))| cp.variants[vi] && cp.resolved(c, start).active(i).is_some());
                let (total, nodes, limit) = if commits {
                    self.variant_month::<true>(s, vi, v, &m, scratch)
                } else {
                    self.variant_month::<false>(s, vi, v, &m, scratch)
                };
                out.cost[vi].push(total);
                out.nodes[vi].push(nodes);
                if limit && out.limit_month[vi].is_none() {
                    out.limit_month[vi] = Some(md.index + 1);
                }
                let fy = crate::finance::fiscal_year(s, md.month);
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

    /// One variant in one month: the amortised total, nodes, and whether a limit is hit.
    fn variant_month<const REC: bool>(
        &self,
        s: &Scenario,
        vi: usize,
        v: &Variant,
        m: &Month,
        scratch: &mut Scratch,
    ) -> (f64, u32, bool) {
        let shape = &self.variants[vi];
        let md = m.md;
        let pl = &s.platform;
        let t = &s.data.telemetry;
        let fin = &s.finance;
        let bases = REC || fin.aws_discount > 0.0 || fin.annual_escalation != 0.0 || fin.contingency > 0.0;
        let mut lines = std::mem::take(&mut scratch.lines);
        lines.clear();
        let mut acc = Acc::<REC> { by_category: [0.0; 9], all: 0.0, cash: 0.0, aws: 0.0, bases, lines: &mut lines };
        let mut nodes = 0;
        let mut limit = false;
        scratch.ec2_lines.clear();
        scratch.onprem.clear();
        // The first serving site's database: (class, provisioned GB, data GB, change GB).
        let mut primary_db: Option<(usize, f64, f64, f64)> = None;
        for &si in &shape.order {
            let site = &v.sites[si];
            let role = site.role;
            let Some(k) = scratch.kinds.iter().position(|r| *r == role) else { continue };
            let size = &scratch.sizes[k];
            nodes += size.nodes;
            limit |= size.limit;
            let load = load_fraction(role);
            let serving = serving(role);
            let standby = !serving;
            let compute = runs_compute(role);
            let cat_or_dr = |c: Category| if standby { Category::DrReplication } else { c };
            // The database this site runs: (class, multi-AZ, provisioned, billable backup, change).
            let db = if matches!(role, Role::BackupOnly) {
                None
            } else if serving {
                let d = size.db.expect("serving sites size a database");
                if primary_db.is_none() {
                    primary_db = Some((d.0, d.1, d.3, d.4));
                }
                Some((d.0, s.data.postgres.multi_az, d.1, d.2, d.4))
            } else {
                primary_db.map(|p| (p.0, false, p.1, 0.0, p.3))
            };
            let holds_objects = si == shape.primary || site.replicate_object_storage;
            let object_storage_gb = if holds_objects { m.stored_objects_gb } else { 0.0 };
            let Some(r) = shape.site_region[si] else {
                scratch.onprem.push((si, k, db.map(|d| d.2), object_storage_gb));
                continue;
            };
            let rp = &self.regions[r];
            let avg_rps_total = md.avg_users * s.workload.peak_requests_per_user_per_s * load;

            if matches!(role, Role::Primary | Role::ActiveActive(_) | Role::WarmStandby(_) | Role::PilotLight) {
                acc.priced(cat_or_dr(Category::Compute), HOURS_PER_MONTH, rp.eks);
            }
            for (pi, &n) in size.pool_nodes.iter().enumerate() {
                let q = f64::from(n) * HOURS_PER_MONTH;
                let c = cat_or_dr(Category::Compute);
                acc.priced(c, q, rp.ec2[pi]);
                let u = rp.ec2[pi].usd;
                if !u.is_nan() {
                    scratch.ec2_lines.push((pi, c as usize, u * q));
                }
            }
            if size.root_gb > 0.0 {
                acc.priced(cat_or_dr(Category::Storage), size.root_gb, rp.ebs);
            }
            if holds_objects {
                acc.priced(cat_or_dr(Category::Storage), object_storage_gb, rp.s3);
            }
            if si == shape.primary {
                let o = &s.data.object_storage;
                if o.put_requests_per_user_per_month > 0.0 {
                    acc.priced(Category::Storage, md.users * o.put_requests_per_user_per_month / 1000.0, rp.s3_put);
                }
                if o.get_requests_per_user_per_month > 0.0 {
                    acc.priced(Category::Storage, md.users * o.get_requests_per_user_per_month / 1000.0, rp.s3_get);
                }
            } else if site.replicate_object_storage
                && let Some(pr) = shape.primary_region
            {
                acc.priced(Category::DrReplication, m.new_objects_gb, self.regions[pr].inter_region);
            }
            if let Some((class, multi_az, provisioned, backup, change)) = db {
                let p = if serving && multi_az { rp.rds_multi[class] } else { rp.rds_single[class] };
                acc.priced(cat_or_dr(Category::Database), HOURS_PER_MONTH, p);
                let storage = if multi_az { rp.rds_storage_multi } else { rp.rds_storage_single };
                acc.priced(cat_or_dr(Category::Database), provisioned, storage);
                if backup > 0.0 {
                    acc.priced(Category::Database, backup, rp.rds_backup);
                }
                if standby && let Some(pr) = shape.primary_region {
                    acc.priced(Category::DrReplication, change, self.regions[pr].inter_region);
                }
            }
            if matches!(role, Role::BackupOnly)
                && let Some((_, _, data_gb, change)) = primary_db
            {
                let retained = data_gb + f64::from(s.data.postgres.backup_retention_days) * change / DAYS_PER_MONTH;
                match shape.primary_region {
                    Some(pr) => {
                        acc.priced(Category::DrReplication, retained, rp.rds_backup);
                        acc.priced(Category::DrReplication, change, self.regions[pr].inter_region);
                    }
                    None => acc.priced(Category::DrReplication, retained, rp.s3),
                }
            }
            if !compute {
                continue;
            }
            acc.priced(cat_or_dr(Category::Cache), f64::from(size.cache_nodes) * HOURS_PER_MONTH, rp.cache);
            let zones = s.cluster.node_pools.first().map_or(1, |p| p.zones);
            acc.priced(cat_or_dr(Category::Networking), HOURS_PER_MONTH, rp.alb);
            let requests_month = if serving { avg_rps_total * SECONDS_PER_MONTH } else { 0.0 };
            let gb_out = requests_month * m.resp_kib * KIB_TO_GB;
            if gb_out > 0.0 {
                acc.priced(cat_or_dr(Category::Networking), gb_out, rp.lcu);
                acc.priced(cat_or_dr(Category::Networking), gb_out, rp.internet_out);
            }
            let nat = f64::from(zones * pl.nat_gateways_per_zone);
            if nat > 0.0 {
                acc.priced(cat_or_dr(Category::Networking), nat * HOURS_PER_MONTH, rp.nat_hour);
                if gb_out * pl.nat_egress_share > 0.0 {
                    acc.priced(cat_or_dr(Category::Networking), gb_out * pl.nat_egress_share, rp.nat_gb);
                }
            }
            let inter_az = requests_month * pl.internal_kib_per_request * KIB_TO_GB * pl.cross_zone_share;
            if inter_az > 0.0 {
                acc.priced(cat_or_dr(Category::Networking), inter_az, rp.inter_az);
            }
            let acls = f64::from(pl.waf_web_acls);
            // Under Shield Advanced the WAF lines are charged at zero: they add nothing.
            if acls > 0.0 && !pl.shield_advanced {
                let c = cat_or_dr(Category::SecurityMonitoring);
                acc.priced(c, acls, rp.waf_acl);
                acc.priced(c, acls * f64::from(pl.waf_rules), rp.waf_rule);
                acc.priced(c, requests_month / 1e6, rp.waf_requests);
            }
            let metrics = size.average_nodes * f64::from(t.metrics_per_node)
                + f64::from(if serving { t.custom_metrics } else { 0 });
            if metrics > 0.0 {
                acc.priced(cat_or_dr(Category::SecurityMonitoring), metrics, rp.cw_metric);
            }
            if serving && t.alarms > 0 {
                acc.priced(Category::SecurityMonitoring, f64::from(t.alarms), rp.cw_alarm);
            }
            if serving && t.dashboards > 0 {
                acc.priced(Category::SecurityMonitoring, f64::from(t.dashboards), rp.cw_dashboard);
            }
            let logs_gb = requests_month * t.log_kib_per_request * KIB_TO_GB;
            if logs_gb > 0.0 {
                acc.priced(cat_or_dr(Category::SecurityMonitoring), logs_gb, rp.logs_ingest);
                if t.log_retention_months > 0 {
                    acc.priced(
                        cat_or_dr(Category::SecurityMonitoring),
                        logs_gb * f64::from(t.log_retention_months),
                        rp.logs_storage,
                    );
                }
            }
            if pl.kms_keys > 0 {
                acc.priced(cat_or_dr(Category::SecurityMonitoring), f64::from(pl.kms_keys), rp.kms_key);
            }
            if serving && pl.kms_requests_per_request > 0.0 {
                acc.priced(
                    Category::SecurityMonitoring,
                    requests_month * pl.kms_requests_per_request / 1e4,
                    rp.kms_requests,
                );
            }
            if pl.secrets > 0 {
                acc.priced(cat_or_dr(Category::SecurityMonitoring), f64::from(pl.secrets), rp.secret);
            }
        }
        // Variant-wide lines.
        let g = &self.global;
        if pl.shield_advanced {
            acc.priced(Category::SecurityMonitoring, 1.0, g.shield);
        }
        if pl.dns_zones > 0 {
            acc.priced(Category::Networking, f64::from(pl.dns_zones), g.r53_zone);
        }
        if pl.dns_queries_per_user_per_month > 0.0 {
            acc.priced(Category::Networking, md.users * pl.dns_queries_per_user_per_month / 1e6, g.r53_queries);
        }
        if pl.health_checks_per_site > 0 {
            let aws = shape.health_checks_aws_sites * pl.health_checks_per_site;
            let other = shape.health_checks_other_sites * pl.health_checks_per_site;
            if aws > 0 {
                acc.priced(Category::Networking, f64::from(aws), g.hc_aws);
            }
            if other > 0 {
                acc.priced(Category::Networking, f64::from(other), g.hc_other);
            }
        }
        if let Some(r) = shape.aws_region {
            let rp = &self.regions[r];
            if pl.cloudtrail_data_events_per_month > 0.0 {
                acc.priced(Category::SecurityMonitoring, pl.cloudtrail_data_events_per_month / 1e5, rp.cloudtrail);
            }
            let cn = &v.connectivity;
            if cn.direct_connect_ports > 0 {
                acc.priced(Category::Connectivity, f64::from(cn.direct_connect_ports) * HOURS_PER_MONTH, rp.dx_port);
            }
            if cn.dx_gb_per_user_per_month > 0.0 {
                acc.priced(Category::Connectivity, md.users * cn.dx_gb_per_user_per_month, rp.dx_out);
            }
            if cn.vpn_connections > 0 {
                acc.priced(Category::Connectivity, f64::from(cn.vpn_connections) * HOURS_PER_MONTH, rp.vpn);
            }
        }
        for &(i, in_base) in &shape.extra {
            let e = &s.pricing.extra_items[i];
            acc.other(e.category, e.monthly_usd, in_base);
        }
        if let Some(t) = &s.finance.onprem {
            let parts = OnPremParts {
                sites: &scratch.onprem,
                sizes: &scratch.sizes,
                specs: &scratch.specs,
                fleets: &mut scratch.fleets[vi],
            };
            onprem_tco(t, v, md.index, &mut acc, parts);
        }
        // finance::apply, for the settings the lean path takes.
        for (sp, target) in fin.spot.iter().zip(&self.spot) {
            let Some((pool, in_base)) = *target else { continue };
            for &(pi, c, usd) in &scratch.ec2_lines {
                if pi == pool {
                    acc.other(Category::ALL[c], usd * sp.share * -sp.discount, in_base);
                }
            }
        }
        let m = i64::from(md.index);
        for ((cp, c), &(start, in_base)) in self.commitments.iter().zip(&s.finance.commitments).zip(&scratch.commits) {
            if !cp.variants[vi] {
                continue;
            }
            let r = cp.resolved(c, start);
            let Some(term_starts) = r.active(m) else { continue };
            let covered: Vec<(Category, f64, f64, f64)> =
                acc.lines.iter().filter(|x| cp.covered[x.0 as usize]).map(|x| (x.1, x.2, x.3, x.4)).collect();
            let category = covered.first().map_or(Category::Compute, |x| x.0);
            match &r.c.kind {
                CommitmentKind::SavingsPlan { usd_per_hour, discount, .. } => {
                    let od: f64 = covered.iter().map(|x| x.3).sum();
                    let covers = (usd_per_hour * HOURS_PER_MONTH / (1.0 - discount)).min(od);
                    if covers > 0.0 {
                        acc.other(category, -covers, in_base);
                    }
                    acc.other(category, HOURS_PER_MONTH * usd_per_hour, in_base);
                }
                _ => {
                    let hours: f64 = covered.iter().map(|x| x.1).sum();
                    let od_rate = covered.first().map_or(0.0, |x| x.2);
                    let cover = (r.count() * HOURS_PER_MONTH).min(hours);
                    if cover > 0.0 {
                        acc.other(category, cover * -od_rate, in_base);
                    }
                    acc.other(category, r.count() * HOURS_PER_MONTH * r.hourly_usd, in_base);
                }
            }
            if r.upfront_usd > 0.0 {
                let total = r.upfront_usd * r.count();
                if term_starts {
                    acc.cash += 1.0 * total;
                }
                acc.amortised(category, 1.0 * (total / r.months() as f64));
            }
        }
        if fin.aws_discount > 0.0 {
            let base = acc.aws;
            acc.other(Category::Other, base * -fin.aws_discount, false);
        }
        let year = md.index / 12;
        // Escalation and contingency on each view's subtotal: one line when the views agree,
        // else one per view (only the amortised one counts in the total).
        let adjust = |acc: &mut Acc<REC>, rate: f64| {
            let (a, c) = (acc.all, acc.cash);
            if (a - c).abs() < 1e-9 {
                acc.other(Category::Other, a * rate, false);
            } else {
                acc.amortised(Category::Other, a * rate);
                acc.cash += c * rate;
            }
        };
        if fin.annual_escalation != 0.0 && year > 0 {
            let f = (1.0 + fin.annual_escalation).powi(year as i32) - 1.0;
            adjust(&mut acc, f);
        }
        if fin.contingency > 0.0 {
            adjust(&mut acc, fin.contingency);
        }
        let total = acc.by_category.iter().sum();
        scratch.lines = lines;
        (total, nodes, limit)
    }
}

/// What the on-premises TCO reads of a variant-month, and the variant's hardware.
struct OnPremParts<'a> {
    sites: &'a [(usize, usize, Option<f64>, f64)],
    sizes: &'a [SiteSize],
    specs: &'a [(u32, f64)],
    fleets: &'a mut [crate::finance::Fleet],
}

/// `finance::apply`'s on-premises TCO for one variant-month: servers, database servers and
/// storage bought in steps and depreciated, fixed hardware, power, rack space, platform
/// subscription and staff, per on-prem site in the variant's order.
fn onprem_tco<const REC: bool>(t: &OnPremTco, v: &Variant, month: u32, acc: &mut Acc<REC>, parts: OnPremParts) {
    let life = t.depreciation_years * 12;
    let fixed_usd: f64 = t.fixed_hardware.iter().map(|h| h.usd).sum();
    for (si, site) in v.sites.iter().enumerate() {
        if site.location != Location::OnPrem {
            continue;
        }
        let Some(&(_, k, db_gb, objects_gb)) = parts.sites.iter().find(|x| x.0 == si) else { continue };
        let dr = !serving(site.role);
        let cat = |c: Category| if dr { Category::DrReplication } else { c };
        let fleet = &mut parts.fleets[si];
        let (cores, mem) =
            parts.sizes[k].pool_nodes.iter().zip(parts.specs).fold((0.0, 0.0), |(c, m), (&nodes, &(vcpu, gib))| {
                (c + f64::from(nodes * vcpu), m + f64::from(nodes) * gib)
            });
        let need = (cores / f64::from(t.server.cores)).max(mem / t.server.memory_gib).ceil();
        // Hardware::buy: purchases in the cash view, straight-line depreciation amortised.
        let buy = |acc: &mut Acc<REC>, buys: &mut Vec<(u32, f64)>, need: f64, c: Category, unit_usd: f64| {
            let b = (need - crate::finance::depreciation(buys, month, life)).max(0.0);
            if b > 0.0 {
                buys.push((month, b));
                acc.cash += b * unit_usd;
            }
            let in_service = crate::finance::depreciation(buys, month, life);
            if in_service > 0.0 {
                acc.amortised(c, in_service * (unit_usd / f64::from(life)));
            }
            in_service
        };
        let servers = buy(acc, &mut fleet.servers, need, cat(Category::Compute), t.server.usd);
        let db_need = if db_gb.is_some() { f64::from(t.database_servers) } else { 0.0 };
        buy(acc, &mut fleet.db_servers, db_need, cat(Category::Database), t.database_server_usd);
        let data_gb = db_gb.unwrap_or(0.0) + objects_gb;
        let need_tb = (data_gb / 1000.0 * t.storage_copies).ceil();
        buy(acc, &mut fleet.storage_tb, need_tb, cat(Category::Storage), t.storage_usd_per_tb);
        if month.is_multiple_of(life) {
            for h in &t.fixed_hardware {
                acc.cash += 1.0 * h.usd;
            }
        }
        if fixed_usd > 0.0 {
            acc.amortised(cat(Category::Networking), 1.0 * (fixed_usd / f64::from(life)));
        }
        let db_n = db_need;
        let kw = (servers + db_n) * t.server.power_kw + t.fixed_hardware.iter().map(|h| h.power_kw).sum::<f64>();
        acc.other(cat(Category::Compute), kw * t.pue * HOURS_PER_MONTH * t.usd_per_kwh, false);
        let units = (servers + db_n) * f64::from(t.server.rack_units)
            + t.fixed_hardware.iter().map(|h| f64::from(h.rack_units)).sum::<f64>();
        acc.other(cat(Category::Compute), units * t.usd_per_rack_unit_month, false);
        let cores = servers * f64::from(t.server.cores);
        acc.other(cat(Category::Compute), cores * (t.support_usd_per_core_year / 12.0), false);
        if !dr && t.staff_fte > 0.0 {
            acc.other(Category::Other, t.staff_fte * (t.staff_usd_per_fte_year / 12.0), false);
        }
    }
}

/// A month as the variants see it.
struct Month<'a> {
    md: &'a MonthDemand,
    stored_objects_gb: f64,
    new_objects_gb: f64,
    /// KiB of response per user request (a property of the path, not of the month).
    resp_kib: f64,
}

/// A node pool as a path packs it: pods sorted once, counts set per month.
struct PoolPlan {
    /// Allocatable left per node after DaemonSets.
    free: Allocatable,
    /// System pods, then the pool's services (counts set before each packing).
    groups: Vec<PodGroup>,
    /// (service, its group).
    services: Vec<(usize, usize)>,
    /// The first-fit-decreasing order of `groups`.
    order: Vec<usize>,
}

/// What sizing a role needs of the scenario.
struct Sizing<'a> {
    s: &'a Scenario,
    classes: &'a [(&'a str, u32, f64)],
    pools: Vec<PoolPlan>,
    service_pool: &'a [usize],
    cache_mib: f64,
    name: Name,
}

impl Sizing<'_> {
    /// Size a site of `role` in month `md` as `plan_variant` does.
    fn size(
        &mut self,
        role: Role,
        md: &MonthDemand,
        out: &mut SiteSize,
        free: &mut Vec<(f64, f64, u32)>,
        replicas: &mut Vec<(f64, u32)>,
    ) {
        let s = self.s;
        let load = load_fraction(role);
        let serving = serving(role);
        let standby = !serving;
        let compute = runs_compute(role);
        let peak_rps_total = md.peak_users * s.workload.peak_requests_per_user_per_s * load;
        out.pool_nodes.clear();
        out.nodes = 0;
        out.limit = false;
        out.db = None;
        out.cache_nodes = 0;
        out.average_nodes = 0.0;
        out.root_gb = 0.0;
        replicas.clear();
        if compute {
            for (i, sv) in s.workload.services.iter().enumerate() {
                let zones = s.cluster.node_pools[self.service_pool[i]].zones;
                let min = match (standby, sv.zone_spread) {
                    (true, _) => 1,
                    (false, true) => sv.min_replicas.max(zones),
                    (false, false) => sv.min_replicas,
                };
                let sz = size_service(sv, &self.name, peak_rps_total, min);
                replicas.push((sz.peak_rps, sz.replicas));
            }
            // Sums in pool order, as `Iterator::sum` adds them in the plan.
            let (mut avg, mut root) = (-0.0, -0.0);
            for (pi, pp) in self.pools.iter_mut().enumerate() {
                let p = &s.cluster.node_pools[pi];
                for &(i, g) in &pp.services {
                    pp.groups[g].count = replicas[i].1;
                }
                let min_nodes = if standby { 1 } else { p.min_nodes };
                let packing = crate::k8s::pack_in_order(&pp.groups, &pp.order, pp.free, free);
                let (_, required, nodes) =
                    pool_fit_packed(packing, p, s.cluster.survive_zone_loss && !standby, min_nodes);
                out.pool_nodes.push(nodes);
                out.nodes += nodes;
                out.limit |= required > p.max_nodes;
                let average = f64::from(nodes) * HOURS_PER_MONTH / HOURS_PER_MONTH;
                avg += average;
                root += average * p.root_volume_gb;
            }
            out.average_nodes = avg;
            out.root_gb = root;
            let (_, shards) = cache_fit(&s.data.redis, self.cache_mib, md.peak_users, load);
            let per_shard = if standby { 0 } else { s.data.redis.replicas_per_shard };
            out.cache_nodes = shards * (1 + per_shard);
        }
        if serving {
            let qps =
                s.workload.services.iter().zip(replicas.iter()).map(|(sv, r)| r.0 * sv.db_queries_per_request).sum();
            let conns =
                s.workload.services.iter().zip(replicas.iter()).map(|(sv, r)| r.1 * sv.db_connections_per_pod).sum();
            let f = db_fit(&s.data.postgres, self.classes, md, qps, conns, 1.0);
            out.limit |= f.undersized;
            out.db = Some((f.class, f.provisioned_gb, f.billable_backup_gb, f.data_gb, f.change_gb));
        }
    }
}

/// The same figures read off a full plan (the reference the lean path is tested against).
pub fn from_report(r: &crate::report::Report) -> PathTotals {
    use crate::report::WarningKind;
    PathTotals {
        users: r.demand.iter().map(|d| d.users).collect(),
        cost: r.variants.iter().map(|v| v.months.iter().map(|m| m.total_usd).collect()).collect(),
        nodes: r.variants.iter().map(|v| v.months.iter().map(|m| m.nodes()).collect()).collect(),
        fiscal: r
            .variants
            .iter()
            .map(|v| {
                v.fiscal_years
                    .iter()
                    .map(|f| (f.label.trim_start_matches("FY").parse().unwrap_or(0), f.amortised_usd))
                    .collect()
            })
            .collect(),
        limit_month: r
            .variants
            .iter()
            .map(|v| {
                r.warnings
                    .iter()
                    .filter(|w| {
                        w.variant == v.name
                            && matches!(w.kind, WarningKind::PoolAtMaxNodes | WarningKind::DatabaseUndersized)
                    })
                    .map(|w| w.first_month)
                    .min()
            })
            .collect(),
    }
}

#[doc(hidden)]
pub fn plan_totals(s: &ValidScenario, cat: &Catalog) -> PathTotals {
    from_report(&plan::plan_costs(s, cat))
}
