//! A validated scenario compiled once into what the evaluator runs: every price a line can use
//! resolved into a slot (with its source, for the report), the structure of each variant (which
//! region each site prices in, the order sites are evaluated, the primary), the names of the
//! lines that are built from the scenario, and the finance layer's plan (what each commitment
//! covers, which pool each spot share applies to).
//!
//! Nothing here depends on the scenario's numbers: a Monte Carlo path changes numbers only, so
//! one program serves every path (inputs under `pricing.` change prices: those paths compile
//! their own).

use std::collections::BTreeMap;

use crate::catalog::{Catalog, GLOBAL};
use crate::engine::sizing::{allowed_db_classes, serving};
use crate::money::finance::{CommitmentPlan, FinancePlan, covers};
use crate::money::ledger::{DiscountClass, Name, PriceSlot, PriceUsed, Slot};
use crate::scenario::model::*;
use crate::scenario::validate::ValidScenario;

/// The price slots of one AWS region's lines.
#[derive(Debug, Clone)]
pub struct RegionSlots {
    pub eks: Slot,
    /// Per node pool, in scenario order.
    pub ec2: Vec<Slot>,
    pub ebs: Slot,
    pub s3: Slot,
    pub s3_put: Slot,
    pub s3_get: Slot,
    pub inter_region: Slot,
    /// Per allowed RDS class (smallest first): Multi-AZ and Single-AZ.
    pub rds_multi: Vec<Slot>,
    pub rds_single: Vec<Slot>,
    pub rds_storage_multi: Slot,
    pub rds_storage_single: Slot,
    pub rds_backup: Slot,
    pub cache: Slot,
    pub alb: Slot,
    pub lcu: Slot,
    pub internet_out: Slot,
    pub nat_hour: Slot,
    pub nat_gb: Slot,
    pub inter_az: Slot,
    pub waf_acl: Slot,
    pub waf_rule: Slot,
    pub waf_requests: Slot,
    pub cw_metric: Slot,
    pub cw_alarm: Slot,
    pub cw_dashboard: Slot,
    pub logs_ingest: Slot,
    pub logs_storage: Slot,
    pub kms_key: Slot,
    pub kms_requests: Slot,
    pub secret: Slot,
    pub cloudtrail: Slot,
    pub dx_port: Slot,
    pub dx_out: Slot,
    pub vpn: Slot,
}

/// Organisation-wide price slots.
#[derive(Debug, Clone)]
pub struct GlobalSlots {
    pub shield: Slot,
    pub r53_zone: Slot,
    pub r53_queries: Slot,
    pub hc_aws: Slot,
    pub hc_other: Slot,
}

/// A variant's structure.
#[derive(Debug, Clone)]
pub struct VariantShape {
    pub site_names: Vec<Name>,
    /// Per site: index into `Program::regions` (None on-premises).
    pub site_region: Vec<Option<usize>>,
    /// Sites in evaluation order: serving sites first (standbys mirror the primary's database),
    /// then the others, each in scenario order.
    pub order: Vec<usize>,
    /// The site holding the primary copy of objects and the database.
    pub primary: usize,
    pub primary_region: Option<usize>,
    /// Region of variant-wide AWS lines (Direct Connect, VPN, CloudTrail): the first AWS site's.
    pub aws_region: Option<usize>,
    /// Extra items that apply to this variant: (index, discount class).
    pub extra: Vec<(usize, DiscountClass)>,
    /// Sites that take Route 53 health checks (all but backup-only), on AWS and elsewhere.
    pub health_checked_aws: u32,
    pub health_checked_other: u32,
}

/// Line names built from the scenario (pools, classes, the cache node type).
#[derive(Debug, Clone)]
pub struct LineNames {
    /// Per pool: "EC2 nodes m5.xlarge (general)".
    pub pool_items: Vec<Name>,
    /// Per allowed RDS class: Multi-AZ, Single-AZ, cross-region replica.
    pub db_multi_az: Vec<Name>,
    pub db_single_az: Vec<Name>,
    pub db_replica: Vec<Name>,
    pub cache_item: Name,
    pub whole: Name,
}

/// A scenario compiled for evaluation.
#[derive(Debug, Clone)]
pub struct Program {
    pub prices: Vec<PriceSlot>,
    pub regions: Vec<RegionSlots>,
    pub global: GlobalSlots,
    pub variants: Vec<VariantShape>,
    pub names: LineNames,
    pub finance: FinancePlan,
}

/// Resolves price rows (with the scenario's overrides) into slots, each once.
struct Prices<'a> {
    cat: &'a Catalog,
    overrides: &'a BTreeMap<String, PriceOverride>,
    slots: Vec<PriceSlot>,
    index: BTreeMap<(String, String), Slot>,
}

impl Prices<'_> {
    fn get(&mut self, region: &str, key: &str) -> Slot {
        if let Some(s) = self.index.get(&(region.to_string(), key.to_string())) {
            return *s;
        }
        let used = price_used(self.cat, self.overrides, region, key);
        let usd = used.usd.unwrap_or(f64::NAN);
        let slot = Slot { usd, id: self.slots.len() as u16 };
        self.slots.push(PriceSlot { unit: used.unit.as_str().into(), used });
        self.index.insert((region.to_string(), key.to_string()), slot);
        slot
    }
}

/// The price of `key` in `region` as the plan uses it: the scenario's override, else the
/// catalog's row (a row the catalog lacks entirely is recorded as unknown too; validation keeps
/// that from user input).
pub fn price_used(cat: &Catalog, overrides: &BTreeMap<String, PriceOverride>, region: &str, key: &str) -> PriceUsed {
    let row = cat.price(region, key);
    match (overrides.get(&format!("{region}/{key}")), row) {
        (Some(o), _) => PriceUsed {
            region: region.into(),
            key: key.into(),
            usd: Some(o.usd),
            unit: row.map_or_else(String::new, |r| r.unit.clone()),
            source: o.source.clone(),
            source_title: "user override (scenario pricing.overrides)".into(),
            as_of: o.as_of.clone(),
            confidence: Some(crate::catalog::Confidence::User),
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
            source_title: cat.sources.get(&r.source).map_or_else(String::new, |s| s.title.clone()),
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
    }
}

impl Program {
    /// Compile a validated scenario against a catalog.
    pub fn compile(s: &ValidScenario, cat: &Catalog) -> Program {
        let mut prices = Prices { cat, overrides: &s.pricing.overrides, slots: Vec::new(), index: BTreeMap::new() };
        // Commitments' catalog rates first (the report lists prices in first-use order).
        let catalog_slots: Vec<Option<Slot>> =
            s.finance.commitments.iter().map(|c| c.catalog_rate_key().map(|k| prices.get(&c.region, &k))).collect();
        let mut region_names: Vec<&str> = Vec::new();
        let variants = s.variants.iter().map(|v| variant_shape(s, v, &mut region_names)).collect();
        let classes = allowed_db_classes(s, cat);
        let regions =
            region_names.iter().map(|&r| region_slots(s, &classes, &mut |k: &str| prices.get(r, k))).collect();
        let global = GlobalSlots {
            shield: prices.get(GLOBAL, "shield_advanced.subscription"),
            r53_zone: prices.get(GLOBAL, "route53.zone"),
            r53_queries: prices.get(GLOBAL, "route53.queries"),
            hc_aws: prices.get(GLOBAL, "route53.health_check_aws"),
            hc_other: prices.get(GLOBAL, "route53.health_check_non_aws"),
        };
        let finance = finance_plan(s, &prices.slots, &catalog_slots);
        let names = LineNames {
            pool_items: s
                .cluster
                .node_pools
                .iter()
                .map(|p| format!("EC2 nodes {} ({})", p.instance_type, p.name).into())
                .collect(),
            db_multi_az: classes.iter().map(|c| format!("RDS PostgreSQL {} Multi-AZ", c.0).into()).collect(),
            db_single_az: classes.iter().map(|c| format!("RDS PostgreSQL {}", c.0).into()).collect(),
            db_replica: classes.iter().map(|c| format!("RDS PostgreSQL standby replica {}", c.0).into()).collect(),
            cache_item: format!("ElastiCache {} nodes", s.data.redis.node_type).into(),
            whole: Name::from(""),
        };
        Program { prices: prices.slots, regions, global, variants, names, finance }
    }

    /// The catalog rate slots of the commitments (recorded first in a report's prices).
    pub fn commitment_slots(&self) -> impl Iterator<Item = Slot> + '_ {
        self.finance.commitments.iter().filter_map(|c| c.catalog_slot)
    }
}

fn variant_shape<'s>(s: &Scenario, v: &'s Variant, region_names: &mut Vec<&'s str>) -> VariantShape {
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
    let extra = s
        .pricing
        .extra_items
        .iter()
        .enumerate()
        .filter(|(_, e)| e.variants.is_empty() || e.variants.contains(&v.name))
        .map(|(i, e)| (i, if e.aws_charge { DiscountClass::Aws } else { DiscountClass::NotAws }))
        .collect();
    let checked = v.sites.iter().filter(|x| !matches!(x.role, Role::BackupOnly));
    let aws = checked.clone().filter(|x| matches!(x.location, Location::Aws(_))).count() as u32;
    let other = checked.count() as u32 - aws;
    VariantShape {
        site_names: v.sites.iter().map(|x| Name::from(x.name.as_str())).collect(),
        primary_region: site_region[primary],
        aws_region: site_region.iter().find_map(|r| *r),
        site_region,
        order,
        primary,
        extra,
        health_checked_aws: aws,
        health_checked_other: other,
    }
}

fn region_slots(s: &Scenario, classes: &[(&str, u32, f64)], price: &mut dyn FnMut(&str) -> Slot) -> RegionSlots {
    RegionSlots {
        eks: price("eks.cluster"),
        ec2: s.cluster.node_pools.iter().map(|p| price(&format!("ec2.{}", p.instance_type))).collect(),
        ebs: price("ebs.gp3"),
        s3: price("s3.standard"),
        s3_put: price("s3.put_requests"),
        s3_get: price("s3.get_requests"),
        inter_region: price("transfer.inter_region"),
        rds_multi: classes.iter().map(|c| price(&format!("rds.postgres.multi_az.{}", c.0))).collect(),
        rds_single: classes.iter().map(|c| price(&format!("rds.postgres.single_az.{}", c.0))).collect(),
        rds_storage_multi: price("rds.storage_gp3.multi_az"),
        rds_storage_single: price("rds.storage_gp3.single_az"),
        rds_backup: price("rds.backup"),
        cache: price(&format!("elasticache.{}", s.data.redis.node_type)),
        alb: price("alb.hour"),
        lcu: price("alb.lcu"),
        internet_out: price("transfer.internet_out"),
        nat_hour: price("nat.hour"),
        nat_gb: price("nat.gb"),
        inter_az: price("transfer.inter_az"),
        waf_acl: price("waf.web_acl"),
        waf_rule: price("waf.rule"),
        waf_requests: price("waf.requests"),
        cw_metric: price("cloudwatch.metric"),
        cw_alarm: price("cloudwatch.alarm"),
        cw_dashboard: price("cloudwatch.dashboard"),
        logs_ingest: price("cloudwatch.logs_ingest"),
        logs_storage: price("cloudwatch.logs_storage"),
        kms_key: price("kms.key"),
        kms_requests: price("kms.requests"),
        secret: price("secrets.secret"),
        cloudtrail: price("cloudtrail.data_events"),
        dx_port: price("dx.port_1g"),
        dx_out: price("dx.transfer_out"),
        vpn: price("vpn.connection"),
    }
}

fn finance_plan(s: &Scenario, slots: &[PriceSlot], catalog_slots: &[Option<Slot>]) -> FinancePlan {
    let spot = s
        .finance
        .spot
        .iter()
        .map(|sp| s.cluster.node_pools.iter().position(|p| p.name == sp.pool).map(|i| i as u16))
        .collect();
    let commitments = s
        .finance
        .commitments
        .iter()
        .zip(catalog_slots)
        .map(|(c, &catalog_slot)| CommitmentPlan {
            catalog_slot,
            catalog_hourly_usd: catalog_slot.and_then(|k| slots[k.index()].used.usd).unwrap_or(0.0),
            variants: s.variants.iter().map(|v| c.variants.is_empty() || c.variants.contains(&v.name)).collect(),
            covered: slots.iter().map(|p| covers(c, &p.used.region, &p.used.key)).collect(),
        })
        .collect();
    FinancePlan { spot, commitments }
}
