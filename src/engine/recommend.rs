//! Commitment recommendations read off a plan: per variant, AWS site, pool type and term
//! window the reservation count the node profile justifies, and with a savings-plan discount a
//! Compute Savings Plan level per year ([`crate::money::finance::best_reservation`],
//! [`crate::money::finance::best_commitment`] do the arithmetic).

use serde::Serialize;

use crate::catalog::{Catalog, HOURS_PER_MONTH};
use crate::engine::report::VariantPlan;
use crate::money::finance::{best_commitment, best_reservation};
use crate::money::ledger::{PriceUsed, View};
use crate::scenario::model::*;

/// How much commitment the planned usage justifies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    pub variant: String,
    pub kind: RecommendationKind,
    /// What the commitment costs per hour, used or not, USD.
    pub commit_usd_per_hour: f64,
    pub region: String,
    pub instance_type: String,
    pub term_years: u32,
    /// First month of the term window.
    pub from: YearMonth,
    /// Planned months in the window (the last window may be shorter than the term).
    pub months: u32,
    pub count: u32,
    pub on_demand_usd_per_hour: f64,
    pub reserved_usd_per_hour: f64,
    /// A reservation pays off when used more than this share of the time: reserved ÷ on-demand.
    pub break_even_utilization: f64,
    /// Saving over the window against on-demand, USD.
    pub saving_usd: f64,
    /// Where the reserved rate comes from.
    pub rate_source: String,
}

impl Recommendation {
    /// Worth acting on: something to reserve, or an hourly commitment to make.
    pub fn is_useful(&self) -> bool {
        self.count > 0 || self.commit_usd_per_hour > 0.0
    }
}

/// Reservation recommendations per variant, AWS site, pool type and term window; and, with a
/// savings-plan discount, a Compute Savings Plan level per year.
pub fn recommendations(
    s: &Scenario,
    cat: &Catalog,
    plans: &[VariantPlan],
    prices: &[PriceUsed],
) -> Vec<Recommendation> {
    let mut out = Vec::new();
    if let Some(d) = s.finance.savings_plan_discount {
        for p in plans {
            // On-demand EC2 spend per hour, per month, over every AWS site of the variant.
            let spend: Vec<f64> = p
                .months
                .iter()
                .map(|m| {
                    m.lines
                        .iter()
                        .filter(|l| {
                            l.view == View::Both && l.price.is_some_and(|i| prices[i as usize].key.starts_with("ec2."))
                        })
                        .filter_map(|l| l.usd)
                        .sum::<f64>()
                        / HOURS_PER_MONTH
                })
                .collect();
            for (w, chunk) in spend.chunks(12).enumerate() {
                let (level, commit, saving) = best_commitment(chunk, d);
                out.push(Recommendation {
                    variant: p.name.clone(),
                    kind: RecommendationKind::SavingsPlan,
                    commit_usd_per_hour: commit,
                    region: "all".into(),
                    instance_type: "EC2 (any)".into(),
                    term_years: 1,
                    from: p.months[w * 12].month,
                    months: chunk.len() as u32,
                    count: 0,
                    on_demand_usd_per_hour: level,
                    reserved_usd_per_hour: commit,
                    break_even_utilization: 1.0 - d,
                    saving_usd: saving,
                    rate_source: format!("finance.savings_plan_discount {d} (user-supplied; not in the catalog)"),
                });
            }
        }
    }
    for (v, p) in s.variants.iter().zip(plans) {
        for site in &v.sites {
            let Location::Aws(region) = &site.location else { continue };
            for pool in &s.cluster.node_pools {
                let nodes: Vec<u32> = p
                    .months
                    .iter()
                    .map(|m| {
                        m.sites
                            .iter()
                            .find(|x| *x.site == *site.name)
                            .map_or(0, |x| x.pools.iter().filter(|q| *q.pool == *pool.name).map(|q| q.nodes).sum())
                    })
                    .collect();
                if nodes.iter().all(|&n| n == 0) {
                    continue;
                }
                let Some(od) = cat.price(region, &format!("ec2.{}", pool.instance_type)).and_then(|x| x.usd) else {
                    continue;
                };
                for (term, key) in [(1u32, "ri1y_nu"), (3, "ri3y_nu")] {
                    let Some(ri) = cat.price(region, &format!("ec2.{key}.{}", pool.instance_type)) else { continue };
                    let Some(rate) = ri.usd else { continue };
                    let window = (term * 12) as usize;
                    for (w, chunk) in nodes.chunks(window).enumerate() {
                        let (count, saving) = best_reservation(chunk, od, rate);
                        out.push(Recommendation {
                            variant: v.name.clone(),
                            kind: RecommendationKind::Reserved,
                            commit_usd_per_hour: f64::from(count) * rate,
                            region: region.clone(),
                            instance_type: pool.instance_type.clone(),
                            term_years: term,
                            from: p.months[w * window].month,
                            months: chunk.len() as u32,
                            count,
                            on_demand_usd_per_hour: od,
                            reserved_usd_per_hour: rate,
                            break_even_utilization: rate / od,
                            saving_usd: saving,
                            rate_source: format!(
                                "{} {} [{}]",
                                ri.source,
                                ri.as_of,
                                ri.confidence.map_or("?".to_string(), |c| format!("{c:?}"))
                            ),
                        });
                    }
                }
            }
        }
    }
    out
}

/// The reservations the app's coverage what-if adds: per variant, AWS site and pool, `share` of
/// the pool's month-1 nodes (rounded) as 1-year No Upfront EC2 reservations at the catalog rate,
/// renewing, marked with their `coverage_share`.
pub fn coverage_commitments(s: &Scenario, r: &crate::engine::report::Report, share: f64) -> Vec<Commitment> {
    let mut added = Vec::new();
    for (v, p) in s.variants.iter().zip(&r.variants) {
        let Some(m1) = p.months.first() else { continue };
        for site in &v.sites {
            let Location::Aws(region) = &site.location else { continue };
            let Some(sm) = m1.sites.iter().find(|x| *x.site == *site.name) else { continue };
            for pool in &sm.pools {
                let count = (f64::from(pool.nodes) * share).round() as u32;
                if count == 0 {
                    continue;
                }
                added.push(Commitment {
                    kind: CommitmentKind::Ec2Reserved { instance_type: pool.instance_type.to_string(), count },
                    region: region.clone(),
                    term_years: 1,
                    payment: Payment::NoUpfront,
                    start: s.meta.start,
                    renew: true,
                    hourly_usd: None,
                    upfront_usd: None,
                    source: "what-if coverage slider, catalog 1-yr No Upfront rate".into(),
                    variants: vec![v.name.clone()],
                    coverage_share: Some(share),
                });
            }
        }
    }
    added
}

/// What a recommendation commits to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RecommendationKind {
    #[serde(rename = "reserved instances")]
    Reserved,
    #[serde(rename = "compute savings plan")]
    SavingsPlan,
}

impl RecommendationKind {
    pub fn label(self) -> &'static str {
        match self {
            RecommendationKind::Reserved => "reserved instances",
            RecommendationKind::SavingsPlan => "compute savings plan",
        }
    }
}

impl std::fmt::Display for RecommendationKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}
