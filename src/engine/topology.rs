//! What each topology variant buys: composite availability, the failover timeline (RTO), the
//! recovery point (RPO), a zone-loss check, and the side-by-side comparison.
//!
//! Model (every input visible in the scenario or `assets/availability/aws-sla.ron`):
//! - A site's stack is its components in series: availability = product.
//! - The primary fails `(1 − A_p) × 8766 / MTTR` times a year, each outage lasting MTTR hours.
//! - With a recovery site d, each outage costs `min(MTTR, RTO)` when d is up (probability
//!   A_d) and MTTR when it is not. Without one, the full MTTR.
//! - RTO is a timeline: detection, decision, then the recovery steps of the site's role, then
//!   DNS. RPO comes from the replication into the recovery site.

use serde::Serialize;

use crate::engine::report::{SiteMonth, VariantMonth, VariantPlan};
use crate::scenario::model::*;

/// Hours in an average year (365.25 days): 99.9 % leaves 8.77 h.
pub const HOURS_PER_YEAR: f64 = 8766.0;

use crate::catalog::availability::sla_table;

/// A component as used in a variant's availability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentUse {
    pub site: String,
    pub key: String,
    pub name: String,
    pub availability: f64,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AvailabilityResult {
    /// Components of the serving site(s) and of DNS, in series.
    pub components: Vec<ComponentUse>,
    /// Availability of the primary (or each active) site's stack.
    pub primary_availability: f64,
    pub recovery_site: Option<String>,
    pub recovery_availability: Option<f64>,
    pub mttr_hours: f64,
    /// RTO used for outages (the worse of the first and last month), hours.
    pub rto_hours: Option<f64>,
    pub incidents_per_year: f64,
    pub downtime_hours_per_year: f64,
    pub availability: f64,
    pub target: f64,
    pub target_downtime_hours: f64,
    /// The component with the largest share of the primary's unavailability, and that share.
    pub dominant: String,
    pub dominant_share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RtoStep {
    pub step: String,
    pub minutes: f64,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RtoTimeline {
    pub month: YearMonth,
    pub recovery_site: Option<String>,
    pub steps: Vec<RtoStep>,
    /// `None`: nothing to fail over to (wait for repair).
    pub hours: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RpoResult {
    /// `None`: no copy of the data off the primary site.
    pub minutes: Option<f64>,
    pub basis: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZoneLossSite {
    pub site: crate::engine::report::Name,
    pub nodes: u32,
    pub nodes_after: u32,
    pub nodes_needed: u32,
    pub pods_fit: bool,
    pub database_survives: bool,
    pub cache_survives: bool,
    pub ok: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZoneLossCheck {
    pub month: YearMonth,
    pub sites: Vec<ZoneLossSite>,
    pub ok: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdicts {
    pub availability: bool,
    pub rto: bool,
    pub rpo: bool,
    pub all: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resilience {
    pub variant: String,
    pub availability: AvailabilityResult,
    pub rto_first: RtoTimeline,
    pub rto_last: RtoTimeline,
    pub rpo: RpoResult,
    pub zone_loss_first: ZoneLossCheck,
    pub zone_loss_last: ZoneLossCheck,
    /// First month (1-based) whose peak could not survive a zone loss, if any.
    pub zone_loss_first_failing_month: Option<u32>,
    pub meets: Verdicts,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareRow {
    pub variant: String,
    pub month_1_usd: f64,
    pub last_month_usd: f64,
    /// Known five-year total (a lower bound when `complete` is false).
    pub total_usd: f64,
    /// Every line priced: only then is the variant ranked.
    pub complete: bool,
    /// Distinct lines with an unknown price.
    pub unpriced_lines: usize,
    /// "complete" or "cannot rank: N lines unpriced".
    pub status: String,
    /// Place by five-year total among the complete variants (1 = cheapest); None when
    /// incomplete.
    pub rank: Option<u32>,
    pub availability: f64,
    pub downtime_hours_per_year: f64,
    pub rto_first_hours: Option<f64>,
    pub rto_last_hours: Option<f64>,
    pub rpo_minutes: Option<f64>,
    pub meets: Verdicts,
    /// Five-year total minus the baseline's; None unless both are complete.
    pub delta_total_usd: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub baseline: String,
    pub targets: Targets,
    /// Complete variants cheapest first (five-year total), then the variants that cannot be
    /// ranked (by name).
    pub rows: Vec<CompareRow>,
    /// The cheapest variant with complete costs that meets every target.
    pub cheapest_meeting_all: Option<String>,
    /// How many variants have complete costs.
    pub complete_variants: usize,
    /// The decision in one sentence, as every front end shows it.
    pub decision: String,
}

impl Comparison {
    /// The decision sentence: which complete variant is cheapest meeting every target, or why
    /// none can be named.
    pub fn decision_text(rows: &[CompareRow], months: usize) -> String {
        let complete = rows.iter().filter(|r| r.complete).count();
        match rows.iter().find(|r| r.complete && r.meets.all) {
            Some(r) => format!(
                "Cheapest variant meeting every target: {} ({} over {months} months; complete costs)",
                r.variant,
                crate::money::usd0(r.total_usd)
            ),
            None if complete == 0 => format!(
                "No variant can be ranked: every variant has unpriced lines ({} of {}); known amounts are lower bounds",
                rows.len(),
                rows.len()
            ),
            None => {
                let failing = rows.iter().filter(|r| !r.complete && r.meets.all).count();
                let mut s = format!("No variant with complete costs meets every target ({complete} complete)");
                if failing > 0 {
                    s.push_str(&format!(
                        "; {failing} variant(s) meeting every target cannot be ranked: fill their unpriced lines"
                    ));
                }
                s
            }
        }
    }
}

impl std::fmt::Display for DbReplication {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            DbReplication::Streaming { synchronous: true, .. } => write!(f, "synchronous streaming replication"),
            DbReplication::Streaming { synchronous: false, lag_seconds } => {
                write!(f, "asynchronous streaming replication ({lag_seconds} s lag)")
            }
            DbReplication::LogShipping(m) => write!(f, "transaction-log shipping every {m} min"),
            DbReplication::Snapshots(h) => write!(f, "snapshot copies every {h} h"),
        }
    }
}

fn serving(r: Role) -> bool {
    matches!(r, Role::Primary | Role::ActiveActive(_))
}

/// Replication into a site: its own, or the role's default.
pub fn replication_of(site: &Site) -> Option<DbReplication> {
    site.db_replication.or(match site.role {
        Role::Primary => None,
        Role::BackupOnly => Some(DbReplication::Snapshots(24.0)),
        Role::WarmStandby(_) | Role::PilotLight | Role::ActiveActive(_) => {
            Some(DbReplication::Streaming { synchronous: false, lag_seconds: 5.0 })
        }
    })
}

fn component(s: &Scenario, site: &str, key: &str) -> ComponentUse {
    let row = sla_table().get(key);
    let (availability, source) = match s.availability.overrides.get(key) {
        Some(a) => (*a, "scenario availability.overrides".to_string()),
        None => (row.map_or(1.0, |r| r.availability), row.map_or_else(String::new, |r| r.source.clone())),
    };
    ComponentUse {
        site: site.into(),
        key: key.into(),
        name: row.map_or_else(|| key.to_string(), |r| r.name.clone()),
        availability,
        source,
    }
}

/// The components a site runs in series when it serves.
fn stack(s: &Scenario, site: &Site) -> Vec<ComponentUse> {
    match site.location {
        Location::OnPrem => s
            .availability
            .onprem
            .iter()
            .map(|c| ComponentUse {
                site: site.name.clone(),
                key: format!("onprem.{}", c.name),
                name: c.name.clone(),
                availability: c.availability,
                source: c.source.clone(),
            })
            .collect(),
        Location::Aws(_) => {
            let zones = s.cluster.node_pools.first().map_or(1, |p| p.zones);
            let mut v = vec![
                component(s, &site.name, "elb"),
                component(s, &site.name, "eks.control_plane"),
                component(s, &site.name, if zones >= 2 { "ec2.multi_az" } else { "ec2.single_az" }),
                component(s, &site.name, if s.data.postgres.multi_az { "rds.multi_az" } else { "rds.single_az" }),
                component(
                    s,
                    &site.name,
                    if s.data.redis.replicas_per_shard >= 1 { "elasticache.multi_az" } else { "elasticache.single_az" },
                ),
            ];
            if s.availability.object_storage_on_critical_path {
                v.push(component(s, &site.name, "s3"));
            }
            v
        }
    }
}

fn product(cs: &[ComponentUse]) -> f64 {
    cs.iter().map(|c| c.availability).product()
}

/// The failover timeline to `d` when the primary is lost in month `m`.
fn rto(s: &Scenario, v: &Variant, m: &VariantMonth, d: Option<usize>) -> RtoTimeline {
    let f = &v.failover;
    let Some(di) = d else {
        return RtoTimeline {
            month: m.month,
            recovery_site: None,
            steps: vec![RtoStep {
                step: "No recovery site: wait for the primary to be repaired".into(),
                minutes: s.availability.mttr_hours.unwrap_or(4.0) * 60.0,
                detail: "availability.mttr_hours".into(),
            }],
            hours: None,
        };
    };
    let site = &v.sites[di];
    let primary = m.sites.iter().find(|x| serving(x.role) && x.site.as_str() != site.name.as_str());
    let standby = m.sites.iter().find(|x| x.site.as_str() == site.name.as_str());
    // Full load after the failover: what every serving site runs together (for one primary,
    // its own pods), packed onto as few nodes as they need.
    let active: Vec<&SiteMonth> = m.sites.iter().filter(|x| serving(x.role)).collect();
    let need_nodes: u32 = active.iter().flat_map(|x| &x.pools).map(|p| p.packed_nodes).sum();
    let need_replicas = |name: &str| -> u32 {
        active.iter().flat_map(|x| &x.services).filter(|x| x.service.as_str() == name).map(|x| x.replicas).sum()
    };
    let mut steps = vec![RtoStep {
        step: "Detect the outage".into(),
        minutes: f.health_check_interval_s * f64::from(f.failure_threshold) / 60.0,
        detail: format!("{} checks × {} s", f.failure_threshold, f.health_check_interval_s),
    }];
    if let Cutover::Manual(min) = f.cutover {
        steps.push(RtoStep {
            step: "Decide to fail over (manual)".into(),
            minutes: min,
            detail: "failover.cutover".into(),
        });
    }
    // Scale-up of compute to the primary's full load: each service's HPA (legacy cap or its
    // behavior), the slowest one counting.
    let sync_s = s.cluster.autoscaling.hpa_sync_period_s;
    let scale = |from_nodes: u32, from_replicas: &dyn Fn(&str) -> u32| -> (f64, String) {
        let mut slowest: Option<(Option<u32>, &str)> = None;
        for sz in primary.map_or(&[][..], |p| &p.services[..]) {
            let behavior = s.workload.services.iter().find(|x| x.name == *sz.service).and_then(|x| {
                x.hpa_behavior.as_ref().map(|b| {
                    crate::engine::autoscale::Behavior::from_model(b, s.cluster.autoscaling.downscale_stabilization_s)
                })
            });
            let t = crate::engine::autoscale::scale_up_seconds(
                from_replicas(&sz.service).max(1),
                need_replicas(&sz.service),
                behavior.as_ref(),
                sync_s,
            );
            // None (scaling up disabled) is the slowest of all.
            if slowest.is_none_or(|(w, _)| w.is_some_and(|w| t.is_none_or(|t| t > w))) {
                slowest = Some((t, &sz.service));
            }
        }
        let provision = if need_nodes > from_nodes { f.node_provisioning_minutes } else { 0.0 };
        let (hpa_s, hpa_text) = match slowest {
            None | Some((Some(0), _)) => (0.0, "HPA: no scale-up needed".to_string()),
            Some((Some(t), name)) => (f64::from(t), format!("HPA {t} s ({name}, syncs every {sync_s} s)")),
            Some((None, name)) => (f64::INFINITY, format!("HPA: {name}'s behavior disables scaling up")),
        };
        (
            provision + hpa_s / 60.0,
            format!(
                "{from_nodes} → {need_nodes} nodes (cluster autoscaler: one scale-up, {provision} min); {hpa_text}"
            ),
        )
    };
    let standby_replicas = |name: &str| {
        standby.and_then(|st| st.services.iter().find(|x| x.service.as_str() == name)).map_or(1, |x| x.replicas)
    };
    let data_gb = primary.and_then(|p| p.database.as_ref()).map_or(0.0, |d| d.data_gb);
    match site.role {
        Role::WarmStandby(_) | Role::ActiveActive(_) => {
            let (scale_min, scale_detail) = scale(standby.map_or(0, SiteMonth::nodes), &standby_replicas);
            let promote = f.db_promotion_minutes;
            steps.push(RtoStep {
                step: "Promote the database replica ∥ scale compute up".into(),
                minutes: promote.max(scale_min),
                detail: format!("promotion {promote} min ∥ {scale_detail}"),
            });
            if matches!(site.role, Role::WarmStandby(_)) {
                steps.push(RtoStep {
                    step: "Warm up the application".into(),
                    minutes: f.warmup_minutes,
                    detail: String::new(),
                });
            }
        }
        Role::PilotLight => {
            let (scale_min, scale_detail) = scale(0, &|_| 1);
            steps.push(RtoStep {
                step: "Promote the database replica ∥ start compute from zero".into(),
                minutes: f.db_promotion_minutes.max(scale_min),
                detail: format!("promotion {} min ∥ {scale_detail}", f.db_promotion_minutes),
            });
            steps.push(RtoStep {
                step: "Warm up the application".into(),
                minutes: f.warmup_minutes,
                detail: String::new(),
            });
        }
        Role::BackupOnly => {
            steps.push(RtoStep {
                step: "Build the infrastructure from code".into(),
                minutes: f.infrastructure_build_minutes,
                detail: "cluster, node groups, load balancer".into(),
            });
            let daily_change =
                primary.and_then(|p| p.database.as_ref()).map_or(0.0, |d| d.change_gb_per_month / 30.4375);
            let replay = match replication_of(site) {
                Some(DbReplication::LogShipping(_)) => daily_change,
                _ => 0.0,
            };
            let restore = (data_gb + replay) / f.restore_gb_per_hour * 60.0;
            let (scale_min, scale_detail) = scale(0, &|_| 1);
            steps.push(RtoStep {
                step: "Restore the database ∥ start compute".into(),
                minutes: restore.max(scale_min),
                detail: format!(
                    "({data_gb:.0} GB snapshot + {replay:.1} GB logs) / {} GB/h = {restore:.0} min ∥ {scale_detail}",
                    f.restore_gb_per_hour
                ),
            });
            steps.push(RtoStep {
                step: "Warm up the application".into(),
                minutes: f.warmup_minutes,
                detail: String::new(),
            });
        }
        Role::Primary => {}
    }
    steps.push(RtoStep {
        step: "Clients follow DNS".into(),
        minutes: f.dns_ttl_s / 60.0,
        detail: format!("TTL {} s", f.dns_ttl_s),
    });
    // Infinite when a behavior forbids scaling up: the site never takes the load.
    let hours = steps.iter().map(|x| x.minutes).sum::<f64>() / 60.0;
    RtoTimeline {
        month: m.month,
        recovery_site: Some(site.name.clone()),
        steps,
        hours: hours.is_finite().then_some(hours),
    }
}

/// With the largest zone of every serving site gone at the peak of month `m`: do the remaining
/// nodes hold the pods, and do the database and cache survive?
pub fn zone_loss(m: &VariantMonth) -> ZoneLossCheck {
    let sites: Vec<ZoneLossSite> = m.sites.iter().filter(|x| serving(x.role)).map(site_zone_loss).collect();
    let ok = sites.iter().all(|x| x.ok);
    ZoneLossCheck { month: m.month, sites, ok }
}

/// One serving site without its largest zone (no allocation: checked for every month).
fn site_zone_loss(x: &SiteMonth) -> ZoneLossSite {
    let n = x.nodes();
    let largest: u32 = x.pools.iter().map(|p| p.nodes_per_zone.iter().copied().max().unwrap_or(0)).sum();
    let needed: u32 = x.pools.iter().map(|p| p.packed_nodes).sum();
    let zones_ok = x.pools.iter().all(|p| p.nodes_per_zone.len() >= 2);
    let pods_fit = zones_ok && n - largest >= needed;
    let database_survives = x.database.as_ref().is_none_or(|d| d.multi_az);
    // A shard with a replica (in another zone) survives.
    let cache_survives = x.cache.as_ref().is_none_or(|c| c.nodes > c.shards);
    ZoneLossSite {
        site: x.site,
        nodes: n,
        nodes_after: n - largest,
        nodes_needed: needed,
        pods_fit,
        database_survives,
        cache_survives,
        ok: pods_fit && database_survives && cache_survives,
    }
}

/// Availability, RTO, RPO and zone-loss checks of one variant.
pub fn resilience(s: &Scenario, v: &Variant, p: &VariantPlan) -> Resilience {
    let (first, last) = (&p.months[0], &p.months[p.months.len() - 1]);
    let candidates: Vec<usize> = (0..v.sites.len()).filter(|&i| !serving(v.sites[i].role)).collect();
    let actives: Vec<usize> = (0..v.sites.len()).filter(|&i| serving(v.sites[i].role)).collect();
    // Recovery site: for active-active the second active site, else the fastest standby.
    let pick = |m: &VariantMonth| -> (Option<usize>, RtoTimeline) {
        let options: Vec<usize> = if actives.len() > 1 { actives[1..].to_vec() } else { candidates.clone() };
        options
            .iter()
            .map(|&i| (Some(i), rto(s, v, m, Some(i))))
            .min_by(|a, b| a.1.hours.unwrap_or(f64::INFINITY).total_cmp(&b.1.hours.unwrap_or(f64::INFINITY)))
            .unwrap_or_else(|| (None, rto(s, v, m, None)))
    };
    let (d, rto_first) = pick(first);
    let (_, rto_last) = pick(last);

    // RPO from the replication into the recovery site.
    let rpo = match d.and_then(|i| replication_of(&v.sites[i]).map(|r| (i, r))) {
        Some((i, r)) => RpoResult { minutes: Some(r.rpo_minutes()), basis: format!("{r} into {}", v.sites[i].name) },
        None => RpoResult { minutes: None, basis: "no copy of the database off the primary site".into() },
    };

    // Availability.
    let mttr = s.availability.mttr_hours.unwrap_or(4.0);
    let primary_site = &v.sites[actives[0]];
    let mut components = stack(s, primary_site);
    let a_p = product(&components);
    let rto_h = match (rto_first.hours, rto_last.hours) {
        (Some(a), Some(b)) => Some(a.max(b)),
        _ => None,
    };
    let a_d = d.map(|i| product(&stack(s, &v.sites[i])));
    let incidents = (1.0 - a_p) * HOURS_PER_YEAR / mttr;
    let per_incident = match (a_d, rto_h) {
        (Some(ad), Some(r)) => ad * mttr.min(r) + (1.0 - ad) * mttr,
        _ => mttr,
    };
    let dns = component(s, "", "route53");
    // Each active site fails on its own (symmetric stacks), DNS is in series with everything.
    let downtime = incidents * per_incident * actives.len() as f64 + (1.0 - dns.availability) * HOURS_PER_YEAR;
    components.push(dns);
    let unavail: f64 = components.iter().map(|c| 1.0 - c.availability).sum();
    let dom = components.iter().max_by(|a, b| (1.0 - a.availability).total_cmp(&(1.0 - b.availability)));
    let availability = AvailabilityResult {
        primary_availability: a_p,
        recovery_site: d.map(|i| v.sites[i].name.clone()),
        recovery_availability: a_d,
        mttr_hours: mttr,
        rto_hours: rto_h,
        incidents_per_year: incidents * actives.len() as f64,
        downtime_hours_per_year: downtime,
        availability: 1.0 - downtime / HOURS_PER_YEAR,
        target: s.targets.availability,
        target_downtime_hours: (1.0 - s.targets.availability) * HOURS_PER_YEAR,
        dominant: dom.map_or_else(String::new, |c| {
            if c.site.is_empty() { c.name.clone() } else { format!("{}: {}", c.site, c.name) }
        }),
        dominant_share: dom.map_or(0.0, |c| if unavail > 0.0 { (1.0 - c.availability) / unavail } else { 0.0 }),
        components,
    };

    let zone_loss_first = zone_loss(first);
    let zone_loss_last = zone_loss(last);
    let zone_loss_first_failing_month = p
        .months
        .iter()
        .find(|m| !m.sites.iter().filter(|x| serving(x.role)).all(|x| site_zone_loss(x).ok))
        .map(|m| m.index + 1);
    let t = &s.targets;
    let meets_a = availability.availability >= t.availability;
    let meets_rto = rto_h.is_some_and(|h| h < t.rto_hours);
    let meets_rpo = rpo.minutes.is_some_and(|m| m < t.rpo_minutes);
    Resilience {
        variant: v.name.clone(),
        availability,
        rto_first,
        rto_last,
        rpo,
        zone_loss_first,
        zone_loss_last,
        zone_loss_first_failing_month,
        meets: Verdicts {
            availability: meets_a,
            rto: meets_rto,
            rpo: meets_rpo,
            all: meets_a && meets_rto && meets_rpo,
        },
    }
}

/// One row per variant, cheapest first, with the cheapest meeting every target.
pub fn compare(s: &Scenario, plans: &[VariantPlan], res: &[Resilience], baseline: Option<&str>) -> Comparison {
    let base = baseline
        .and_then(|b| plans.iter().find(|p| p.name == b))
        .or(plans.first())
        .map_or((String::new(), None), |p| (p.name.clone(), p.completeness.complete.then_some(p.total_usd)));
    let mut rows: Vec<CompareRow> = plans
        .iter()
        .zip(res)
        .map(|(p, r)| CompareRow {
            variant: p.name.clone(),
            month_1_usd: p.months.first().map_or(0.0, |m| m.total_usd),
            last_month_usd: p.months.last().map_or(0.0, |m| m.total_usd),
            total_usd: p.total_usd,
            complete: p.completeness.complete,
            unpriced_lines: p.completeness.unpriced.len(),
            status: p.completeness.status(),
            rank: None,
            availability: r.availability.availability,
            downtime_hours_per_year: r.availability.downtime_hours_per_year,
            rto_first_hours: r.rto_first.hours,
            rto_last_hours: r.rto_last.hours,
            rpo_minutes: r.rpo.minutes,
            meets: r.meets.clone(),
            delta_total_usd: base.1.filter(|_| p.completeness.complete).map(|b| p.total_usd - b),
        })
        .collect();
    // An unknown cost never ranks a variant: complete ones by total, then the others by name.
    rows.sort_by(|a, b| {
        b.complete.cmp(&a.complete).then(if a.complete && b.complete {
            a.total_usd.total_cmp(&b.total_usd).then(a.variant.cmp(&b.variant))
        } else {
            a.variant.cmp(&b.variant)
        })
    });
    for (i, r) in rows.iter_mut().filter(|r| r.complete).enumerate() {
        r.rank = Some(i as u32 + 1);
    }
    let cheapest_meeting_all = rows.iter().find(|r| r.complete && r.meets.all).map(|r| r.variant.clone());
    let months = plans.first().map_or(0, |p| p.months.len());
    Comparison {
        baseline: base.0,
        targets: s.targets.clone(),
        decision: Comparison::decision_text(&rows, months),
        complete_variants: rows.iter().filter(|r| r.complete).count(),
        rows,
        cheapest_meeting_all,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rpo_of_replication_modes() {
        assert_eq!(DbReplication::LogShipping(5.0).rpo_minutes(), 5.0);
        assert_eq!(DbReplication::Snapshots(24.0).rpo_minutes(), 1440.0);
        assert_eq!(DbReplication::Streaming { synchronous: true, lag_seconds: 5.0 }.rpo_minutes(), 0.0);
        assert!((DbReplication::Streaming { synchronous: false, lag_seconds: 30.0 }.rpo_minutes() - 0.5).abs() < 1e-12);
    }

    #[test]
    fn sla_table_parses() {
        let t = sla_table();
        assert_eq!(t["rds.multi_az"].availability, 0.9995);
        assert_eq!(t["route53"].availability, 1.0);
    }
}
