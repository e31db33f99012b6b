//! Money the way finance sees it, on top of the list-price plan: reserved instances and savings
//! plans (cash and amortised), on-prem TCO (CAPEX bought in steps, straight-line depreciation,
//! power, space, support, staff), negotiated discount, escalation and contingency — each a
//! visible cost line — plus fiscal-year totals and commitment recommendations.

use std::borrow::Cow;

use serde::Serialize;

use crate::model::*;
use crate::pricing::{Catalog, HOURS_PER_MONTH};
use crate::report::{CostLine, FiscalYear, Name, PriceUsed, SiteMonth, VariantMonth, VariantPlan, View};

/// A commitment with its rates resolved (catalog or user-supplied).
#[derive(Debug, Clone)]
pub struct Resolved<'a> {
    pub c: &'a Commitment,
    pub start_index: i64,
    /// Recurring rate per instance-hour (reservations); unused for savings plans.
    pub hourly_usd: f64,
    /// Upfront per instance (reservations) or in total (savings plans).
    pub upfront_usd: f64,
    /// Catalog price the hourly rate came from, if any.
    pub price: Option<u32>,
    pub user_supplied: bool,
}

impl Resolved<'_> {
    pub(crate) fn months(&self) -> i64 {
        i64::from(self.c.term_years) * 12
    }
    /// Active in month `m` (0-based), and whether a term starts then.
    pub(crate) fn active(&self, m: i64) -> Option<bool> {
        let age = m - self.start_index;
        if age < 0 || (!self.c.renew && age >= self.months()) {
            return None;
        }
        Some(age % self.months() == 0)
    }
    pub(crate) fn count(&self) -> f64 {
        match &self.c.kind {
            CommitmentKind::Ec2Reserved { count, .. }
            | CommitmentKind::RdsReserved { count, .. }
            | CommitmentKind::CacheReserved { count, .. } => f64::from(*count),
            CommitmentKind::SavingsPlan { .. } => 1.0,
        }
    }
    pub(crate) fn label(&self) -> String {
        let term = format!("{}-yr {:?}", self.c.term_years, self.c.payment);
        match &self.c.kind {
            CommitmentKind::Ec2Reserved { instance_type, count } => {
                format!("{count} × {instance_type} reserved ({term})")
            }
            CommitmentKind::RdsReserved { class, count } => format!("{count} × {class} reserved ({term})"),
            CommitmentKind::CacheReserved { node_type, count } => format!("{count} × {node_type} reserved ({term})"),
            CommitmentKind::SavingsPlan { usd_per_hour, discount, family } => match family {
                Some(f) => format!(
                    "EC2 Instance Savings Plan ({f}) ${usd_per_hour}/h at {:.0} % off ({term})",
                    discount * 100.0
                ),
                None => format!("Compute Savings Plan ${usd_per_hour}/h at {:.0} % off ({term})", discount * 100.0),
            },
        }
    }
    /// Price-key prefix of the on-demand lines it covers.
    pub(crate) fn covers(&self, key: &str) -> bool {
        match &self.c.kind {
            CommitmentKind::Ec2Reserved { instance_type, .. } => {
                key.strip_prefix("ec2.") == Some(instance_type.as_str())
            }
            CommitmentKind::RdsReserved { class, .. } => {
                key.strip_prefix("rds.postgres.multi_az.") == Some(class.as_str())
                    || key.strip_prefix("rds.postgres.single_az.") == Some(class.as_str())
            }
            CommitmentKind::CacheReserved { node_type, .. } => {
                key.strip_prefix("elasticache.") == Some(node_type.as_str())
            }
            CommitmentKind::SavingsPlan { family, .. } => {
                let Some(t) = key.strip_prefix("ec2.") else { return false };
                !t.starts_with("ri") && family.as_ref().is_none_or(|f| t.split('.').next() == Some(f.as_str()))
            }
        }
    }
}

/// The catalog key of a reservation's No Upfront rate.
pub fn catalog_rate_key(c: &Commitment) -> Option<String> {
    if c.payment != Payment::NoUpfront {
        return None;
    }
    let term = match c.term_years {
        1 => "ri1y_nu",
        3 => "ri3y_nu",
        _ => return None,
    };
    match &c.kind {
        CommitmentKind::Ec2Reserved { instance_type, .. } => Some(format!("ec2.{term}.{instance_type}")),
        CommitmentKind::CacheReserved { node_type, .. } => Some(format!("elasticache.{term}.{node_type}")),
        _ => None,
    }
}

/// Hardware owned at an on-prem site: purchases (month index, quantity).
#[derive(Debug, Default, Clone)]
pub(crate) struct Fleet {
    pub(crate) servers: Vec<(u32, f64)>,
    pub(crate) db_servers: Vec<(u32, f64)>,
    pub(crate) storage_tb: Vec<(u32, f64)>,
}

/// Buying hardware for one on-prem site in one month.
struct Hardware<'n> {
    site: &'n Name,
    month: u32,
    /// Depreciation life, months.
    life: u32,
    years: u32,
}

impl Hardware<'_> {
    /// Buy up to `need` units in service (what is fully depreciated after one life left service,
    /// so buying it again is the refresh), and add the purchase (cash view, CAPEX) and the
    /// straight-line depreciation (amortised view) lines. Returns the units in service.
    #[allow(clippy::too_many_arguments)]
    fn buy(
        &self,
        lines: &mut Vec<CostLine>,
        buys: &mut Vec<(u32, f64)>,
        need: f64,
        category: Category,
        (bought, depreciated, unit): (&str, &str, &'static str),
        unit_usd: f64,
        basis: String,
    ) -> f64 {
        let buy = (need - depreciation(buys, self.month, self.life)).max(0.0);
        if buy > 0.0 {
            buys.push((self.month, buy));
            lines.push(line(self.site, category, bought.into(), buy, unit, unit_usd, basis, View::Cash, true));
        }
        let in_service = depreciation(buys, self.month, self.life);
        if in_service > 0.0 {
            lines.push(line(
                self.site,
                category,
                depreciated.into(),
                in_service,
                unit,
                unit_usd / f64::from(self.life),
                format!("straight-line over {} years", self.years),
                View::Amortised,
                false,
            ));
        }
        in_service
    }
}

/// State carried month to month for one variant.
#[derive(Debug, Default)]
pub struct State {
    fleets: Vec<(Name, Fleet)>,
}

/// Inputs shared by every month.
pub struct Ctx<'a> {
    pub s: &'a Scenario,
    pub cat: &'a Catalog,
    pub commitments: Vec<Resolved<'a>>,
}

#[allow(clippy::too_many_arguments)]
fn line(
    site: &Name,
    category: Category,
    item: String,
    quantity: f64,
    unit: &'static str,
    unit_usd: f64,
    basis: String,
    view: View,
    capex: bool,
) -> CostLine {
    CostLine {
        site: *site,
        category,
        item: item.into(),
        quantity,
        unit: unit.into(),
        unit_usd: Some(unit_usd),
        usd: Some(quantity * unit_usd),
        price: None,
        basis: Cow::Owned(basis),
        view,
        capex,
    }
}

/// Purchases still being depreciated, and those whose refresh falls this month.
pub(crate) fn depreciation(buys: &[(u32, f64)], m: u32, months: u32) -> f64 {
    buys.iter().filter(|(b, _)| *b <= m && m < b + months).map(|(_, q)| q).sum()
}

/// Add the finance lines of month `md` to `lines` (after the list-price lines).
#[allow(clippy::too_many_arguments)]
pub fn apply(
    fc: &Ctx,
    st: &mut State,
    v: &Variant,
    month: u32,
    site_names: &[Name],
    sites: &[SiteMonth],
    lines: &mut Vec<CostLine>,
    prices: &[PriceUsed],
) {
    let fin = &fc.s.finance;
    let whole: Name = Name::from("");
    // On-prem TCO.
    if let Some(t) = &fin.onprem {
        let life = t.depreciation_years * 12;
        for (si, site) in v.sites.iter().enumerate() {
            if site.location != Location::OnPrem {
                continue;
            }
            let Some(sm) = sites.iter().find(|x| *x.site == *site.name) else { continue };
            let name = &site_names[si];
            let dr = !matches!(site.role, Role::Primary | Role::ActiveActive(_));
            let cat = |c: Category| if dr { Category::DrReplication } else { c };
            let fi = match st.fleets.iter().position(|(n, _)| n == name) {
                Some(i) => i,
                None => {
                    st.fleets.push((*name, Fleet::default()));
                    st.fleets.len() - 1
                }
            };
            let fleet = &mut st.fleets[fi].1;
            // Servers for the pools' node-equivalents.
            let (cores, mem) = sm.pools.iter().fold((0.0, 0.0), |(c, m), p| {
                let spec = &fc.cat.ec2[&*p.instance_type];
                (c + f64::from(p.nodes * spec.vcpu), m + f64::from(p.nodes) * spec.memory_gib)
            });
            let need = (cores / f64::from(t.server.cores)).max(mem / t.server.memory_gib).ceil();
            let hw = Hardware { site: name, month, life, years: t.depreciation_years };
            let servers = hw.buy(
                lines,
                &mut fleet.servers,
                need,
                cat(Category::Compute),
                ("Servers bought", "Server depreciation", "server"),
                t.server.usd,
                format!("{} cores / {} GiB per server; {}", t.server.cores, t.server.memory_gib, t.source),
            );
            let has_db = sm.database.is_some();
            let db_need = if has_db { f64::from(t.database_servers) } else { 0.0 };
            hw.buy(
                lines,
                &mut fleet.db_servers,
                db_need,
                cat(Category::Database),
                ("Database servers bought", "Database server depreciation", "server"),
                t.database_server_usd,
                t.source.clone(),
            );
            let data_gb = sm.database.as_ref().map_or(0.0, |d| d.provisioned_gb) + sm.object_storage_gb;
            let need_tb = (data_gb / 1000.0 * t.storage_copies).ceil();
            hw.buy(
                lines,
                &mut fleet.storage_tb,
                need_tb,
                cat(Category::Storage),
                ("Storage bought", "Storage depreciation", "TB"),
                t.storage_usd_per_tb,
                format!("(database + objects) × {} copies; {}", t.storage_copies, t.source),
            );
            // Fixed hardware: bought at the start and at every refresh.
            if month.is_multiple_of(life) {
                for h in &t.fixed_hardware {
                    lines.push(line(
                        name,
                        cat(Category::Networking),
                        format!("{} bought", h.name),
                        1.0,
                        "item",
                        h.usd,
                        t.source.clone(),
                        View::Cash,
                        true,
                    ));
                }
            }
            let fixed_usd: f64 = t.fixed_hardware.iter().map(|h| h.usd).sum();
            if fixed_usd > 0.0 {
                lines.push(line(
                    name,
                    cat(Category::Networking),
                    "Network and security hardware depreciation".into(),
                    1.0,
                    "set",
                    fixed_usd / f64::from(life),
                    format!("straight-line over {} years", t.depreciation_years),
                    View::Amortised,
                    false,
                ));
            }
            // Running costs.
            let db_n = if has_db { f64::from(t.database_servers) } else { 0.0 };
            let kw = (servers + db_n) * t.server.power_kw + t.fixed_hardware.iter().map(|h| h.power_kw).sum::<f64>();
            lines.push(line(
                name,
                cat(Category::Compute),
                "Power and cooling".into(),
                kw * t.pue * HOURS_PER_MONTH,
                "kWh",
                t.usd_per_kwh,
                format!("{kw:.2} kW × PUE {} × 730 h", t.pue),
                View::Both,
                false,
            ));
            let units = (servers + db_n) * f64::from(t.server.rack_units)
                + t.fixed_hardware.iter().map(|h| f64::from(h.rack_units)).sum::<f64>();
            lines.push(line(
                name,
                cat(Category::Compute),
                "Rack space".into(),
                units,
                "rack-unit-month",
                t.usd_per_rack_unit_month,
                "servers × rack units + fixed hardware".into(),
                View::Both,
                false,
            ));
            let cores = servers * f64::from(t.server.cores);
            lines.push(line(
                name,
                cat(Category::Compute),
                "Platform subscription".into(),
                cores,
                "core-month",
                t.support_usd_per_core_year / 12.0,
                "per-core support, yearly price / 12".into(),
                View::Both,
                false,
            ));
            if !dr && t.staff_fte > 0.0 {
                lines.push(line(
                    name,
                    Category::Other,
                    "Operations staff share".into(),
                    t.staff_fte,
                    "FTE-month",
                    t.staff_usd_per_fte_year / 12.0,
                    t.source.clone(),
                    View::Both,
                    false,
                ));
            }
        }
    }

    // Spot share of stateless pools: part of the pool's on-demand node-hours at a discount.
    for sp in &fin.spot {
        let Some(pool) = fc.s.cluster.node_pools.iter().find(|p| p.name == sp.pool) else { continue };
        let key = format!("ec2.{}", pool.instance_type);
        let hits: Vec<usize> = (0..lines.len())
            .filter(|&i| {
                lines[i].price.is_some_and(|p| prices[p as usize].key == key)
                    && lines[i].usd.is_some()
                    && lines[i].item.ends_with(&format!("({})", pool.name))
            })
            .collect();
        for i in hits {
            let (site, category, usd) = (lines[i].site, lines[i].category, lines[i].usd.unwrap_or(0.0));
            lines.push(line(
                &site,
                category,
                format!(
                    "Spot share of pool {} ({:.0} % at {:.0} % off)",
                    pool.name,
                    sp.share * 100.0,
                    sp.discount * 100.0
                ),
                usd * sp.share,
                "USD of on-demand",
                -sp.discount,
                format!("user-supplied spot discount: {}", sp.source),
                View::Both,
                false,
            ));
        }
    }

    // Commitments.
    let m = i64::from(month);
    for r in fc.commitments.iter().filter(|r| r.c.variants.is_empty() || r.c.variants.contains(&v.name)) {
        let Some(term_starts) = r.active(m) else { continue };
        let region = r.c.region.as_str();
        let covered: Vec<usize> = (0..lines.len())
            .filter(|&i| {
                lines[i].price.is_some_and(|p| {
                    let pu = &prices[p as usize];
                    // A Compute Savings Plan covers EC2 in every region.
                    let any_region = matches!(r.c.kind, CommitmentKind::SavingsPlan { family: None, .. });
                    (any_region || pu.region == region) && r.covers(&pu.key)
                }) && lines[i].usd.is_some()
            })
            .collect();
        let site = covered.first().map_or(whole, |&i| lines[i].site);
        let category = covered.first().map_or(Category::Compute, |&i| lines[i].category);
        let label = r.label();
        let basis = if r.user_supplied {
            format!("user-supplied rate: {}", r.c.source)
        } else {
            "catalog reserved rate".to_string()
        };
        match &r.c.kind {
            CommitmentKind::SavingsPlan { usd_per_hour, discount, .. } => {
                let od: f64 = covered.iter().filter_map(|&i| lines[i].usd).sum();
                let covers = (usd_per_hour * HOURS_PER_MONTH / (1.0 - discount)).min(od);
                if covers > 0.0 {
                    lines.push(line(
                        &site,
                        category,
                        format!("On-demand usage covered by {label}"),
                        covers,
                        "USD of on-demand",
                        -1.0,
                        "commitment / (1 − discount), at most the usage".into(),
                        View::Both,
                        false,
                    ));
                }
                lines.push(line(
                    &site,
                    category,
                    format!("{label}: commitment"),
                    HOURS_PER_MONTH,
                    "hour",
                    *usd_per_hour,
                    basis.clone(),
                    View::Both,
                    false,
                ));
            }
            _ => {
                let hours: f64 = covered.iter().map(|&i| lines[i].quantity).sum();
                let od_rate = covered.first().and_then(|&i| lines[i].unit_usd).unwrap_or(0.0);
                let cover = (r.count() * HOURS_PER_MONTH).min(hours);
                if cover > 0.0 {
                    lines.push(line(
                        &site,
                        category,
                        format!("On-demand hours covered by {label}"),
                        cover,
                        "instance-hour",
                        -od_rate,
                        "reserved hours used, at the on-demand rate they replace".into(),
                        View::Both,
                        false,
                    ));
                }
                lines.push(line(
                    &site,
                    category,
                    format!("{label}: recurring fee"),
                    r.count() * HOURS_PER_MONTH,
                    "instance-hour",
                    r.hourly_usd,
                    basis.clone(),
                    View::Both,
                    false,
                ));
            }
        }
        if r.upfront_usd > 0.0 {
            let total = r.upfront_usd * r.count();
            if term_starts {
                lines.push(line(
                    &site,
                    category,
                    format!("{label}: upfront payment"),
                    1.0,
                    "term",
                    total,
                    basis.clone(),
                    View::Cash,
                    false,
                ));
            }
            lines.push(line(
                &site,
                category,
                format!("{label}: upfront, amortised"),
                1.0,
                "month",
                total / r.months() as f64,
                format!("upfront / {} months", r.months()),
                View::Amortised,
                false,
            ));
        }
    }

    // Negotiated discount on AWS charges (catalog-priced lines and commitment fees).
    if fin.aws_discount > 0.0 {
        let base: f64 = lines
            .iter()
            .filter(|l| {
                l.view == View::Both
                    && (l.price.is_some() || l.item.contains("reserved") || l.item.contains("Savings plan"))
            })
            .filter_map(|l| l.usd)
            .sum();
        lines.push(line(
            &whole,
            Category::Other,
            format!("Negotiated AWS discount ({:.1} %)", fin.aws_discount * 100.0),
            base,
            "USD of AWS charges",
            -fin.aws_discount,
            "finance.aws_discount".into(),
            View::Both,
            false,
        ));
    }
    // Escalation and contingency, on each view's subtotal.
    let year = month / 12;
    let subtotal = |lines: &[CostLine], cash: bool| -> f64 {
        lines.iter().filter(|l| if cash { l.view.in_cash() } else { l.view.in_amortised() }).filter_map(|l| l.usd).sum()
    };
    let adjust = |lines: &mut Vec<CostLine>, name: String, rate: f64, basis: String| {
        let (a, c) = (subtotal(lines, false), subtotal(lines, true));
        if (a - c).abs() < 1e-9 {
            lines.push(line(&whole, Category::Other, name, a, "USD", rate, basis, View::Both, false));
        } else {
            lines.push(line(
                &whole,
                Category::Other,
                name.clone(),
                a,
                "USD",
                rate,
                basis.clone(),
                View::Amortised,
                false,
            ));
            lines.push(line(&whole, Category::Other, name, c, "USD", rate, basis, View::Cash, false));
        }
    };
    if fin.annual_escalation != 0.0 && year > 0 {
        let f = (1.0 + fin.annual_escalation).powi(year as i32) - 1.0;
        adjust(
            lines,
            format!("Price escalation ({:.1} %/yr, year {})", fin.annual_escalation * 100.0, year + 1),
            f,
            format!("(1 + {})^{year} − 1 on the month's subtotal", fin.annual_escalation),
        );
    }
    if fin.contingency > 0.0 {
        adjust(
            lines,
            format!("Contingency ({:.1} %)", fin.contingency * 100.0),
            fin.contingency,
            "finance.contingency on the month's subtotal".into(),
        );
    }
}

/// The fiscal year `m` falls in, named after the calendar year it ends in.
pub fn fiscal_year(s: &Scenario, m: YearMonth) -> i32 {
    let start = s.finance.fiscal_year_start_month.clamp(1, 12);
    if start == 1 || m.month() < start { m.year() } else { m.year() + 1 }
}

/// Fiscal-year totals of a variant.
pub fn fiscal_years(s: &Scenario, months: &[VariantMonth]) -> Vec<FiscalYear> {
    let mut out: Vec<FiscalYear> = Vec::new();
    for m in months {
        let label = format!("FY{}", fiscal_year(s, m.month));
        if out.last().is_none_or(|f| f.label != label) {
            out.push(FiscalYear {
                label,
                first_month: m.month,
                months: 0,
                amortised_usd: 0.0,
                cash_usd: 0.0,
                capex_usd: 0.0,
                converted: None,
            });
        }
        let f = out.last_mut().expect("pushed above");
        f.months += 1;
        f.amortised_usd += m.total_usd;
        f.cash_usd += m.cash_usd;
        f.capex_usd += m.capex_usd;
    }
    if let Some(r) = &s.finance.reporting_currency {
        for f in &mut out {
            f.converted = Some((f.amortised_usd * r.per_usd, f.cash_usd * r.per_usd));
        }
    }
    out
}

/// How much commitment the planned usage justifies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    pub variant: String,
    /// "reserved instances" or "compute savings plan".
    pub kind: &'static str,
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

/// The best reservation count for a node profile: the largest `k` whose nodes run at least
/// the break-even share of the months (each reservation is paid every month, used or not).
/// Returns (k, saving over the profile in USD).
pub fn best_reservation(nodes: &[u32], od: f64, ri: f64) -> (u32, f64) {
    if nodes.is_empty() || od <= 0.0 {
        return (0, 0.0);
    }
    let saving = |k: u32| -> f64 {
        nodes.iter().map(|&n| (f64::from(n.min(k)) * od - f64::from(k) * ri) * HOURS_PER_MONTH).sum()
    };
    let max = nodes.iter().copied().max().unwrap_or(0);
    let threshold = ri / od;
    let mut k = 0;
    for c in 1..=max {
        let share = nodes.iter().filter(|&&n| n >= c).count() as f64 / nodes.len() as f64;
        if share >= threshold {
            k = c;
        }
    }
    (k, saving(k))
}

/// The best savings-plan level for a usage profile (on-demand spend per hour, one value per
/// month): the highest level used at least `1 − discount` of the time. Returns (on-demand
/// level covered, commitment per hour, saving over the profile in USD).
pub fn best_commitment(spend_per_hour: &[f64], discount: f64) -> (f64, f64, f64) {
    let threshold = 1.0 - discount;
    let mut levels: Vec<f64> = spend_per_hour.to_vec();
    levels.sort_by(f64::total_cmp);
    levels.dedup();
    let n = spend_per_hour.len().max(1) as f64;
    let level = levels
        .iter()
        .copied()
        .filter(|&l| spend_per_hour.iter().filter(|&&x| x >= l - 1e-12).count() as f64 / n >= threshold)
        .fold(0.0, f64::max);
    let commit = level * threshold;
    let saving = spend_per_hour.iter().map(|&x| (x.min(level) - commit) * HOURS_PER_MONTH).sum();
    (level, commit, saving)
}

/// Reservation recommendations per variant, AWS site, pool type and term window; and, with a
/// savings-plan discount, a Compute Savings Plan level per year.
pub fn recommendations(s: &Scenario, cat: &Catalog, plans: &[VariantPlan]) -> Vec<Recommendation> {
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
                        .filter(|l| l.item.starts_with("EC2 nodes") && l.view == View::Both)
                        .filter_map(|l| l.usd)
                        .sum::<f64>()
                        / HOURS_PER_MONTH
                })
                .collect();
            for (w, chunk) in spend.chunks(12).enumerate() {
                let (level, commit, saving) = best_commitment(chunk, d);
                out.push(Recommendation {
                    variant: p.name.clone(),
                    kind: "compute savings plan",
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
                            kind: "reserved instances",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reservation_optimum_on_a_synthetic_profile() {
        // 8 months at 3 nodes, 4 months at 5: m5.xlarge $0.192 on demand, $0.121 1-yr RI.
        // Break-even 0.121/0.192 = 63 %: 3 nodes run 100 % of months, the 4th and 5th 33 %.
        let nodes = [3, 3, 3, 3, 3, 3, 3, 3, 5, 5, 5, 5];
        let (k, saving) = best_reservation(&nodes, 0.192, 0.121);
        assert_eq!(k, 3);
        // 12 months × 3 × (0.192 − 0.121) × 730 h = $1,865.88.
        assert!((saving - 1865.88).abs() < 1e-6, "{saving}");
        // Brute force over every count agrees.
        let best = (0..=6u32)
            .max_by(|&a, &b| {
                let s = |k: u32| {
                    nodes.iter().map(|&n| (f64::from(n.min(k)) * 0.192 - f64::from(k) * 0.121) * 730.0).sum::<f64>()
                };
                s(a).total_cmp(&s(b))
            })
            .unwrap();
        assert_eq!(best, k);
    }

    #[test]
    fn savings_plan_level_on_a_synthetic_profile() {
        // $0.576/h for 8 months, $0.960/h for 4; 28 % off → break-even 72 % of the time.
        // $0.576 runs 100 % of months, $0.960 only 33 %: commit 0.576 × 0.72 = $0.41472/h.
        let spend = [0.576, 0.576, 0.576, 0.576, 0.576, 0.576, 0.576, 0.576, 0.96, 0.96, 0.96, 0.96];
        let (level, commit, saving) = best_commitment(&spend, 0.28);
        assert!((level - 0.576).abs() < 1e-12);
        assert!((commit - 0.41472).abs() < 1e-12);
        // Each month saves (0.576 − 0.41472) × 730 = $117.7344; 12 months: $1,412.81.
        assert!((saving - 12.0 * (0.576 - 0.41472) * 730.0).abs() < 1e-9);
    }

    #[test]
    fn depreciation_window() {
        let buys = [(0u32, 2.0), (24, 1.0)];
        assert_eq!(depreciation(&buys, 0, 60), 2.0);
        assert_eq!(depreciation(&buys, 30, 60), 3.0);
        assert_eq!(depreciation(&buys, 60, 60), 1.0); // the first purchase is fully depreciated
    }
}
