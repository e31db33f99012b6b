//! The one evaluator: runs a compiled [`Program`] over the month's [`Sizes`] for one variant and
//! month, adding every line to a [`Ledger`]. With the recording sink ([`Record`]) it is the plan
//! (lines with names, prices and bases; sites; warnings); with the summing sink ([`Sum`]) it is a
//! Monte Carlo path (the same tally, nothing else built). Every line is written once, here or in
//! [`crate::money::finance`].
//!
//! [`Record`]: crate::money::ledger::Record
//! [`Sum`]: crate::money::ledger::Sum

use crate::catalog::{Catalog, HOURS_PER_MONTH};
use crate::engine::demand::MonthDemand;
use crate::engine::program::{Program, RegionSlots, VariantShape};
use crate::engine::report::{DbSizing, SiteMonth, Traffic, WarningKind};
use crate::engine::sizing::{DAYS_PER_MONTH, RoleSizing, Sizes, load_fraction, runs_compute, serving};
use crate::money::finance::{self, MonthInput, OnPremSite};
use crate::money::ledger::{Amount, Describe, Ledger, Name, Sink, Tally};
use crate::scenario::model::*;

/// Seconds in a billing month (730 h).
pub const SECONDS_PER_MONTH: f64 = HOURS_PER_MONTH * 3600.0;
/// KiB → GB (decimal, as AWS bills transfer and storage).
pub const KIB_TO_GB: f64 = 1024.0 / 1e9;

const ON_PREM: &str = "on-premises cost (hardware, power, space, support) is not modelled yet: unknown, not zero";

/// A month as every variant sees it.
#[derive(Debug, Clone, Copy)]
pub struct Month<'a> {
    pub md: &'a MonthDemand,
    /// Objects stored by the end of the month, and written in it, GB.
    pub stored_objects_gb: f64,
    pub new_objects_gb: f64,
}

/// The months of a demand projection with their object storage.
pub fn months<'a>(s: &Scenario, demand: &'a [MonthDemand]) -> Vec<Month<'a>> {
    let mut stored = s.data.object_storage.gb_base;
    demand
        .iter()
        .map(|md| {
            let new = md.users * s.data.object_storage.gb_per_user_per_month;
            if md.index > 0 {
                stored += new;
            }
            Month { md, stored_objects_gb: stored, new_objects_gb: new }
        })
        .collect()
}

/// What the recording mode keeps besides lines: the sites' capacity and the warnings raised, as
/// (kind, key for deduplication, message).
#[derive(Debug, Default)]
pub struct Notes {
    pub sites: Vec<(usize, SiteMonth)>,
    pub warnings: Vec<(WarningKind, String, String)>,
}

/// Carried month to month for one variant.
#[derive(Debug, Default)]
pub struct VariantState {
    pub finance: finance::State,
    onprem: Vec<OnPremSite>,
}

/// What a variant-month gives besides its ledger.
#[derive(Debug, Clone, Copy)]
pub struct MonthOut {
    pub nodes: u32,
    /// A pool needs more than maxNodes, or no allowed database class is large enough.
    pub limit: bool,
}

/// The evaluator of one scenario: the program, the scenario's numbers, the sizes.
pub struct Eval<'a> {
    pub prog: &'a Program,
    pub s: &'a Scenario,
    pub sizes: &'a Sizes,
    /// KiB of response per user request.
    resp_kib: f64,
    /// The scenario has finance settings (else the finance layer adds nothing), and some read
    /// the tally's view or discount sums.
    finance: bool,
    reads_bases: bool,
    /// Per pool: the instance's vCPUs and memory (GiB), for on-prem server counts
    /// ([`pool_specs`]).
    specs: &'a [(u32, f64)],
}

/// Per node pool: its instance's vCPUs and memory (GiB).
pub fn pool_specs(s: &Scenario, cat: &Catalog) -> Vec<(u32, f64)> {
    s.cluster
        .node_pools
        .iter()
        .map(|p| cat.ec2.get(&p.instance_type).map_or((0, 0.0), |e| (e.vcpu, e.memory_gib)))
        .collect()
}

/// One site in one month, as its lines read it.
struct SiteCtx<'a> {
    si: usize,
    site: &'a Site,
    name: Name,
    size: &'a RoleSizing,
    /// The site serves no traffic.
    standby: bool,
    /// The database the site runs: its own (serving) or the primary's, as a replica.
    database: Option<&'a DbSizing>,
    /// The database is a cross-region replica of the primary's: same class, Single-AZ, no
    /// backups of its own.
    replica: bool,
    traffic: Traffic,
    holds_objects: bool,
    object_storage_gb: f64,
}

impl SiteCtx<'_> {
    /// The site's database as the report shows it (a replica: Single-AZ, no backup storage).
    fn db(&self) -> Option<DbSizing> {
        self.database
            .map(|d| if self.replica { DbSizing { multi_az: false, billable_backup_gb: 0.0, ..*d } } else { *d })
    }
    fn standby(&self) -> bool {
        self.standby
    }
    /// Everything at a standby, pilot-light or backup site is DR.
    fn cat(&self, c: Category) -> Category {
        if self.standby { Category::DrReplication } else { c }
    }
}

impl<'a> Eval<'a> {
    pub fn new(prog: &'a Program, s: &'a Scenario, specs: &'a [(u32, f64)], sizes: &'a Sizes) -> Self {
        Eval {
            prog,
            s,
            sizes,
            resp_kib: s.workload.services.iter().map(|sv| sv.request_share * sv.response_kib).sum(),
            specs,
            finance: finance::any(&s.finance),
            reads_bases: finance::reads_bases(&s.finance),
        }
    }

    /// Evaluate variant `vi` in month `m` (index `mi`) into `tally` and `sink`; with a
    /// recording sink, `notes` gets the sites and warnings.
    #[allow(clippy::too_many_arguments)]
    pub fn variant_month<S: Sink>(
        &self,
        vi: usize,
        mi: usize,
        m: &Month,
        state: &mut VariantState,
        tally: &mut Tally,
        sink: &mut S,
        notes: &mut Notes,
    ) -> MonthOut {
        let s = self.s;
        let v = &s.variants[vi];
        let shape = &self.prog.variants[vi];
        let input = MonthInput { s, plan: &self.prog.finance, variant: vi, month: m.md.index, onprem: &[] };
        tally.reset(self.finance && finance::reads_priced_lines(&input), S::RECORDS || self.reads_bases);
        let mut out = Ledger { tally, sink, prices: &self.prog.prices, site: self.prog.names.whole };
        let mut res = MonthOut { nodes: 0, limit: false };
        state.onprem.clear();
        // Primary and active sites first, so standbys can mirror the primary database class.
        let mut primary_db: Option<&DbSizing> = None;
        for &si in &shape.order {
            let site = &v.sites[si];
            let size = self.sizes.of(mi, vi, si);
            res.nodes += size.nodes;
            res.limit |= size.limit;
            let (database, replica) = match site.role {
                Role::BackupOnly => (None, false),
                r if serving(r) => {
                    primary_db = primary_db.or(size.database.as_ref());
                    (size.database.as_ref(), false)
                }
                // A cross-region replica: same class as the primary (it must keep up with the
                // write stream and take over), Single-AZ.
                _ => (primary_db, true),
            };
            let holds_objects = si == shape.primary || site.replicate_object_storage;
            let x = SiteCtx {
                si,
                site,
                name: shape.site_names[si],
                size,
                traffic: self.traffic(site, m, database),
                database,
                replica,
                standby: !serving(site.role),
                holds_objects,
                object_storage_gb: if holds_objects { m.stored_objects_gb } else { 0.0 },
            };
            if S::RECORDS {
                site_notes(s, &x, notes);
            }
            match shape.site_region[si] {
                Some(r) => self.aws_site(&x, m, shape, &self.prog.regions[r], primary_db, &mut out),
                None if s.finance.onprem.is_some() => state.onprem.push(self.onprem_site(&x)),
                None => self.onprem_unpriced(&x, &mut out),
            }
        }
        if S::RECORDS {
            // Back in the scenario's site order.
            notes.sites.sort_by_key(|x| x.0);
        }
        self.variant_wide(v, shape, m.md, &mut out);
        if self.finance {
            let input = MonthInput { onprem: &state.onprem, ..input };
            finance::apply(&input, &mut state.finance, &mut out);
        }
        res
    }

    /// Request and data volumes of a site. Only serving sites carry traffic; a standby is sized
    /// for its load but idle.
    fn traffic(&self, site: &Site, m: &Month, database: Option<&DbSizing>) -> Traffic {
        let s = self.s;
        let md = m.md;
        let load = load_fraction(site.role);
        let serving = serving(site.role);
        let peak_rps_total = md.peak_users * s.workload.peak_requests_per_user_per_s * load;
        let avg_rps_total = md.avg_users * s.workload.peak_requests_per_user_per_s * load;
        let requests_month = if serving { avg_rps_total * SECONDS_PER_MONTH } else { 0.0 };
        let pl = &s.platform;
        Traffic {
            peak_rps: if serving { peak_rps_total } else { 0.0 },
            avg_rps: if serving { avg_rps_total } else { 0.0 },
            requests_per_month: requests_month,
            internet_out_gb: requests_month * self.resp_kib * KIB_TO_GB,
            inter_az_gb: requests_month * pl.internal_kib_per_request * KIB_TO_GB * pl.cross_zone_share,
            logs_gb: requests_month * s.data.telemetry.log_kib_per_request * KIB_TO_GB,
            replication_in_gb: if serving {
                0.0
            } else {
                database.map_or(0.0, |d| d.change_gb_per_month)
                    + if site.replicate_object_storage { m.new_objects_gb } else { 0.0 }
            },
        }
    }

    /// What the on-prem TCO reads of an on-prem site.
    fn onprem_site(&self, x: &SiteCtx) -> OnPremSite {
        let (cores, memory_gib) = x.size.pools.iter().zip(self.specs).fold((0.0, 0.0), |(c, m), (p, &(vcpu, gib))| {
            (c + f64::from(p.nodes * vcpu), m + f64::from(p.nodes) * gib)
        });
        OnPremSite {
            site: x.si,
            name: x.name,
            dr: x.standby(),
            cores,
            memory_gib,
            cache_gib: x
                .size
                .cache
                .as_ref()
                .map_or(0.0, |c| c.memory_needed_mib / 1024.0 * f64::from(c.nodes) / f64::from(c.shards.max(1))),
            db_gb: x.database.map(|d| d.provisioned_gb),
            objects_gb: x.object_storage_gb,
        }
    }

    /// An on-prem site without TCO inputs: sized, every line unknown, never zero.
    fn onprem_unpriced<S: Sink>(&self, x: &SiteCtx, out: &mut Ledger<S>) {
        out.site = x.name;
        let d = |item: &'static str, unit: &'static str| {
            move || Describe { item: item.into(), unit, basis: ON_PREM.into() }
        };
        for p in &x.size.pools {
            out.unpriced(x.cat(Category::Compute), f64::from(p.nodes), d("On-prem Kubernetes nodes", "node-month"));
        }
        if let Some(db) = x.database {
            let item =
                if db.multi_az && !x.replica { "On-prem PostgreSQL (primary + standby)" } else { "On-prem PostgreSQL" };
            out.unpriced(x.cat(Category::Database), 1.0, d(item, "cluster-month"));
            out.unpriced(x.cat(Category::Database), db.provisioned_gb, d("On-prem database storage", "GB-month"));
        }
        if let Some(c) = &x.size.cache {
            out.unpriced(x.cat(Category::Cache), f64::from(c.nodes), d("On-prem Redis nodes", "node-month"));
        }
        if x.holds_objects {
            let q = x.object_storage_gb;
            out.unpriced(x.cat(Category::Storage), q, d("On-prem NAS/SAN object storage", "GB-month"));
        }
    }

    /// An AWS site's lines: compute, storage, database, backups, cache, edge and networking,
    /// security and monitoring.
    fn aws_site<S: Sink>(
        &self,
        x: &SiteCtx,
        m: &Month,
        shape: &VariantShape,
        rp: &RegionSlots,
        primary_db: Option<&DbSizing>,
        out: &mut Ledger<S>,
    ) {
        out.site = x.name;
        let role = x.site.role;
        if matches!(role, Role::Primary | Role::ActiveActive(_) | Role::WarmStandby(_) | Role::PilotLight) {
            out.priced(x.cat(Category::Compute), "EKS control plane", HOURS_PER_MONTH, rp.eks, "1 cluster × 730 h");
        }
        for (pi, p) in x.size.pools.iter().enumerate() {
            let item = self.prog.names.pool_items[pi];
            let basis = if p.simulated {
                "simulated node-hours: the month's day under the HPA and cluster autoscaler × 730/24"
            } else {
                "nodes × 730 h; nodes = peak pods packed first-fit decreasing, raised to minNodes and for zone loss"
            };
            out.priced_pool(x.cat(Category::Compute), item.into(), p.node_hours, rp.ec2[pi], basis, Some(pi as u16));
        }
        self.storage_lines(x, m, shape, rp, out);
        self.database_lines(x, shape, rp, primary_db, out);
        if runs_compute(role) {
            self.edge_lines(x, rp, out);
        }
    }

    /// Node root volumes, objects and their requests or replication.
    fn storage_lines<S: Sink>(
        &self,
        x: &SiteCtx,
        m: &Month,
        shape: &VariantShape,
        rp: &RegionSlots,
        out: &mut Ledger<S>,
    ) {
        let region = |r: Option<usize>| r.map(|r| &self.prog.regions[r]);
        if x.size.root_gb > 0.0 {
            out.priced(
                x.cat(Category::Storage),
                "EBS gp3 node root volumes",
                x.size.root_gb,
                rp.ebs,
                "average nodes × root_volume_gb",
            );
        }
        let primary = x.si == shape.primary;
        if x.holds_objects {
            let item = if primary { "S3 Standard storage" } else { "S3 replica storage (cross-region replication)" };
            out.priced(
                x.cat(Category::Storage),
                item,
                x.object_storage_gb,
                rp.s3,
                "base + Σ users × GB per user per month",
            );
        }
        let md = m.md;
        if primary {
            let o = &self.s.data.object_storage;
            if o.put_requests_per_user_per_month > 0.0 {
                let q = md.users * o.put_requests_per_user_per_month / 1000.0;
                out.priced(
                    Category::Storage,
                    "S3 PUT requests",
                    q,
                    rp.s3_put,
                    "users × PUTs per user per month / 1000",
                );
            }
            if o.get_requests_per_user_per_month > 0.0 {
                let q = md.users * o.get_requests_per_user_per_month / 1000.0;
                out.priced(
                    Category::Storage,
                    "S3 GET requests",
                    q,
                    rp.s3_get,
                    "users × GETs per user per month / 1000",
                );
            }
        } else if x.site.replicate_object_storage
            && let Some(pr) = region(shape.primary_region)
        {
            out.priced(
                Category::DrReplication,
                "S3 cross-region replication transfer",
                m.new_objects_gb,
                pr.inter_region,
                "new objects per month (users × GB per user per month)",
            );
        }
    }

    /// The database, its storage, backups and replication; snapshot copies at a backup site.
    fn database_lines<S: Sink>(
        &self,
        x: &SiteCtx,
        shape: &VariantShape,
        rp: &RegionSlots,
        primary_db: Option<&DbSizing>,
        out: &mut Ledger<S>,
    ) {
        let primary_region = shape.primary_region.map(|r| &self.prog.regions[r]);
        if let Some(db) = x.database {
            let multi_az = db.multi_az && !x.replica;
            let class = self.sizes.class_index(db.class);
            let names = &self.prog.names;
            let (item, slot) = match (!x.standby, multi_az) {
                (false, _) => (names.db_replica[class], rp.rds_single[class]),
                (true, true) => (names.db_multi_az[class], rp.rds_multi[class]),
                (true, false) => (names.db_single_az[class], rp.rds_single[class]),
            };
            out.priced(
                x.cat(Category::Database),
                item,
                HOURS_PER_MONTH,
                slot,
                "1 instance × 730 h; smallest allowed class meeting peak CPU, memory and connections",
            );
            let storage = if multi_az { rp.rds_storage_multi } else { rp.rds_storage_single };
            out.priced(
                x.cat(Category::Database),
                "RDS gp3 storage",
                db.provisioned_gb,
                storage,
                "data × (1 + free space), at least 20 GB",
            );
            if !x.replica && db.billable_backup_gb > 0.0 {
                out.priced(
                    Category::Database,
                    "RDS backup storage",
                    db.billable_backup_gb,
                    rp.rds_backup,
                    "data + retention days × daily change − free allowance",
                );
            }
            if x.standby()
                && let Some(pr) = primary_region
            {
                out.priced(
                    Category::DrReplication,
                    "Database replication transfer (WAL)",
                    db.change_gb_per_month,
                    pr.inter_region,
                    "users × change GB per user per month",
                );
            }
        }
        // Backups kept at a backup-only site.
        if matches!(x.site.role, Role::BackupOnly)
            && let Some(pdb) = primary_db
        {
            let retained = pdb.data_gb
                + f64::from(self.s.data.postgres.backup_retention_days) * pdb.change_gb_per_month / DAYS_PER_MONTH;
            let dr = Category::DrReplication;
            match primary_region {
                Some(pr) => {
                    out.priced(
                        dr,
                        "RDS snapshot copies (cross-region)",
                        retained,
                        rp.rds_backup,
                        "full snapshot + retention days × daily change",
                    );
                    out.priced(
                        dr,
                        "Snapshot and log copy transfer",
                        pdb.change_gb_per_month,
                        pr.inter_region,
                        "data changed per month",
                    );
                }
                None => out.priced(
                    dr,
                    "Database backups in S3",
                    retained,
                    rp.s3,
                    "full backup + retention days × daily change (upload into AWS is not charged)",
                ),
            }
        }
    }

    /// Cache, load balancer, transfer, NAT, WAF, CloudWatch, KMS and secrets: serving sites and
    /// warm standbys keep them up.
    fn edge_lines<S: Sink>(&self, x: &SiteCtx, rp: &RegionSlots, out: &mut Ledger<S>) {
        let s = self.s;
        let pl = &s.platform;
        let serving = !x.standby();
        if let Some(c) = &x.size.cache {
            out.priced(
                x.cat(Category::Cache),
                self.prog.names.cache_item,
                f64::from(c.nodes) * HOURS_PER_MONTH,
                rp.cache,
                "shards × (1 + replicas) × 730 h; shards = memory need / usable node memory",
            );
        }
        let net = x.cat(Category::Networking);
        let zones = s.cluster.node_pools.first().map_or(1, |p| p.zones);
        out.priced(net, "Application Load Balancer", HOURS_PER_MONTH, rp.alb, "1 ALB × 730 h");
        let gb_out = x.traffic.internet_out_gb;
        if gb_out > 0.0 {
            out.priced(
                net,
                "ALB capacity units",
                gb_out,
                rp.lcu,
                "processed-bytes dimension: GB per hour (1 LCU = 1 GB/h) × 730 h",
            );
            out.priced(
                net,
                "Data transfer out to internet",
                gb_out,
                rp.internet_out,
                "requests per month × response KiB",
            );
        }
        let nat = f64::from(zones * pl.nat_gateways_per_zone);
        if nat > 0.0 {
            out.priced(net, "NAT gateways", nat * HOURS_PER_MONTH, rp.nat_hour, "zones × gateways per zone × 730 h");
            if gb_out * pl.nat_egress_share > 0.0 {
                out.priced(
                    net,
                    "NAT data processed",
                    gb_out * pl.nat_egress_share,
                    rp.nat_gb,
                    "egress GB × NAT egress share",
                );
            }
        }
        if x.traffic.inter_az_gb > 0.0 {
            out.priced(
                net,
                "Inter-AZ data transfer",
                x.traffic.inter_az_gb,
                rp.inter_az,
                "requests × internal KiB × cross-zone share",
            );
        }
        let sec = x.cat(Category::SecurityMonitoring);
        let requests_month = x.traffic.requests_per_month;
        let acls = f64::from(pl.waf_web_acls);
        if acls > 0.0 {
            let waf = [
                ("WAF web ACLs", acls, rp.waf_acl),
                ("WAF rules", acls * f64::from(pl.waf_rules), rp.waf_rule),
                ("WAF requests", requests_month / 1e6, rp.waf_requests),
            ];
            for (item, q, slot) in waf {
                if pl.shield_advanced {
                    out.waived(sec, item, q, slot, "covered by the Shield Advanced subscription: not charged");
                } else {
                    out.priced(sec, item, q, slot, "per web ACL");
                }
            }
        }
        let t = &s.data.telemetry;
        let metrics = x.size.average_nodes * f64::from(t.metrics_per_node)
            + f64::from(if serving { t.custom_metrics } else { 0 });
        if metrics > 0.0 {
            out.priced(sec, "CloudWatch metrics", metrics, rp.cw_metric, "nodes × metrics per node + custom metrics");
        }
        let security = Category::SecurityMonitoring;
        if serving && t.alarms > 0 {
            out.priced(security, "CloudWatch alarms", f64::from(t.alarms), rp.cw_alarm, "scenario count");
        }
        if serving && t.dashboards > 0 {
            out.priced(security, "CloudWatch dashboards", f64::from(t.dashboards), rp.cw_dashboard, "scenario count");
        }
        let logs_gb = x.traffic.logs_gb;
        if logs_gb > 0.0 {
            out.priced(
                sec,
                "CloudWatch Logs ingestion",
                logs_gb,
                rp.logs_ingest,
                "requests per month × log KiB per request",
            );
            if t.log_retention_months > 0 {
                let q = logs_gb * f64::from(t.log_retention_months);
                out.priced(sec, "CloudWatch Logs storage", q, rp.logs_storage, "monthly log GB × retention months");
            }
        }
        if pl.kms_keys > 0 {
            out.priced(sec, "KMS customer-managed keys", f64::from(pl.kms_keys), rp.kms_key, "scenario count");
        }
        if serving && pl.kms_requests_per_request > 0.0 {
            let q = requests_month * pl.kms_requests_per_request / 1e4;
            out.priced(security, "KMS requests", q, rp.kms_requests, "requests × KMS calls per request / 10 000");
        }
        if pl.secrets > 0 {
            out.priced(sec, "Secrets Manager secrets", f64::from(pl.secrets), rp.secret, "scenario count");
        }
    }

    /// Variant-wide lines: Shield Advanced, Route 53, CloudTrail, connectivity, extra items.
    fn variant_wide<S: Sink>(&self, v: &Variant, shape: &VariantShape, md: &MonthDemand, out: &mut Ledger<S>) {
        let s = self.s;
        let pl = &s.platform;
        let g = &self.prog.global;
        let w = self.prog.names.whole;
        out.site = w;
        let net = Category::Networking;
        if pl.shield_advanced {
            out.priced(
                Category::SecurityMonitoring,
                "AWS Shield Advanced subscription",
                1.0,
                g.shield,
                "one per organisation, 1-year commitment",
            );
        }
        if pl.dns_zones > 0 {
            out.priced(net, "Route 53 hosted zones", f64::from(pl.dns_zones), g.r53_zone, "scenario count");
        }
        if pl.dns_queries_per_user_per_month > 0.0 {
            let q = md.users * pl.dns_queries_per_user_per_month / 1e6;
            out.priced(net, "Route 53 queries", q, g.r53_queries, "users × queries per user per month");
        }
        if pl.health_checks_per_site > 0 {
            let aws = shape.health_checked_aws * pl.health_checks_per_site;
            let other = shape.health_checked_other * pl.health_checks_per_site;
            if aws > 0 {
                out.priced(
                    net,
                    "Route 53 health checks (AWS endpoints)",
                    f64::from(aws),
                    g.hc_aws,
                    "checks per site × AWS sites",
                );
            }
            if other > 0 {
                out.priced(
                    net,
                    "Route 53 health checks (on-prem endpoints)",
                    f64::from(other),
                    g.hc_other,
                    "checks per site × on-prem sites",
                );
            }
        }
        if let Some(r) = shape.aws_region {
            let rp = &self.prog.regions[r];
            if pl.cloudtrail_data_events_per_month > 0.0 {
                out.priced(
                    Category::SecurityMonitoring,
                    "CloudTrail data events",
                    pl.cloudtrail_data_events_per_month / 1e5,
                    rp.cloudtrail,
                    "events per month / 100 000 (management events: first copy free)",
                );
            }
            let cn = &v.connectivity;
            let conn = Category::Connectivity;
            if cn.direct_connect_ports > 0 {
                let q = f64::from(cn.direct_connect_ports) * HOURS_PER_MONTH;
                out.priced(conn, "Direct Connect 1 Gbps ports", q, rp.dx_port, "ports × 730 h");
            }
            if cn.dx_gb_per_user_per_month > 0.0 {
                let q = md.users * cn.dx_gb_per_user_per_month;
                out.priced(conn, "Direct Connect data transfer out", q, rp.dx_out, "users × GB per user per month");
            }
            if cn.vpn_connections > 0 {
                let q = f64::from(cn.vpn_connections) * HOURS_PER_MONTH;
                out.priced(conn, "Site-to-site VPN connections", q, rp.vpn, "connections × 730 h");
            }
        }
        for &(i, class) in &shape.extra {
            let e = &s.pricing.extra_items[i];
            out.line(w, e.category, Amount::both(1.0, e.monthly_usd, class), || Describe {
                item: e.name.as_str().into(),
                unit: "month",
                basis: e.source.clone().into(),
            });
        }
    }
}

/// The site's capacity and the warnings its sizing raises (recording mode only).
#[cold]
fn site_notes(s: &Scenario, x: &SiteCtx, notes: &mut Notes) {
    let site = &x.site.name;
    let size = x.size;
    let mut warn = |kind, key: String, message: String| notes.warnings.push((kind, key, message));
    for (sv, sz) in s.workload.services.iter().zip(&size.services) {
        if let Some(l) = &sz.latency
            && !l.met
        {
            warn(
                WarningKind::LatencySloMissed,
                format!("{site}/{}", sv.name),
                format!(
                    "{site}: {} misses p{} ≤ {} ms at the peak with the HPA's {} replicas ({}); it needs {}",
                    sv.name,
                    l.percentile * 100.0,
                    l.slo_ms,
                    sz.replicas,
                    l.at_replicas_ms.map_or("unstable queue".to_string(), |x| format!("{x:.0} ms")),
                    l.min_replicas.map_or("more than CPU time allows".to_string(), |r| format!("{r} replicas")),
                ),
            );
        }
    }
    for sz in &size.services {
        if sz.at_max_replicas {
            warn(
                WarningKind::HpaAtMaxReplicas,
                format!("{site}/{}", sz.service),
                format!(
                    "{site}: {} needs {} replicas at peak but maxReplicas is {}",
                    sz.service, sz.desired_replicas, sz.replicas
                ),
            );
        }
    }
    if let Some(sim) = &size.simulation {
        for (sv, d) in s.workload.services.iter().zip(&sim.services) {
            if d.saturated_minutes > 0.0 {
                warn(
                    WarningKind::SimulatedSaturation,
                    format!("{site}/{}", sv.name),
                    format!(
                        "{site}: {} could not serve its demand for {:.0} min of the simulated day (peak {} replicas, maxReplicas {})",
                        sv.name, d.saturated_minutes, d.peak_replicas, sv.max_replicas
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
                site.clone(),
                format!(
                    "{site}: pods waited {pending:.0} pod-min for nodes in the simulated day ({ups} scale-ups); check the pools' maxNodes"
                ),
            );
        }
    }
    for ps in &size.pools {
        if ps.at_max_nodes {
            warn(
                WarningKind::PoolAtMaxNodes,
                format!("{site}/{}", ps.pool),
                format!("{site}: pool {} needs {} nodes but maxNodes is {}", ps.pool, ps.required_nodes, ps.nodes),
            );
        }
        if ps.unplaceable_pods > 0 {
            warn(
                WarningKind::UnplaceablePods,
                format!("{site}/{}", ps.pool),
                format!(
                    "{site}: {} pods are larger than a {} node's free allocatable",
                    ps.unplaceable_pods, ps.instance_type
                ),
            );
        }
    }
    if serving(x.site.role)
        && let Some(db) = &x.database
        && db.undersized
    {
        warn(
            WarningKind::DatabaseUndersized,
            site.clone(),
            format!(
                "{site}: no allowed RDS class meets {:.1} vCPU, {:.1} GiB, {} connections; {} shown",
                db.cpu_needed_vcpu, db.memory_needed_gib, db.connections_needed, db.class
            ),
        );
    }
    notes.sites.push((
        x.si,
        SiteMonth {
            site: x.name,
            role: x.site.role,
            load_fraction: load_fraction(x.site.role),
            services: size.services.clone(),
            pools: size.pools.clone(),
            database: x.db(),
            cache: size.cache,
            object_storage_gb: x.object_storage_gb,
            traffic: x.traffic.clone(),
            simulation: size.simulation.clone(),
        },
    ));
}
