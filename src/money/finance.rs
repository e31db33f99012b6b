//! Money the way finance sees it, on top of the list-price lines of a variant-month: on-prem
//! TCO (CAPEX bought in steps, straight-line depreciation, power, space, support, staff), spot
//! shares, reserved instances and savings plans (cash and amortised), negotiated discount,
//! escalation and contingency — each a visible line in the [`Ledger`] — plus fiscal years and
//! the arithmetic of commitment recommendations.
//!
//! Everything here reads a [`MonthInput`] (what the engine sized) and the month's ledger; it
//! never sees the engine's types.

use crate::catalog::HOURS_PER_MONTH;
use crate::money::ledger::{Amount, Describe, DiscountClass, Ledger, Name, Sink, Slot, View};
use crate::scenario::model::*;

/// A commitment with its rates resolved (catalog or user-supplied) for this evaluation.
#[derive(Debug, Clone)]
pub struct Resolved<'a> {
    pub c: &'a Commitment,
    pub start_index: i64,
    /// Recurring rate per instance-hour (reservations); unused for savings plans.
    pub hourly_usd: f64,
    /// Upfront per instance (reservations) or in total (savings plans).
    pub upfront_usd: f64,
    pub user_supplied: bool,
}

impl Resolved<'_> {
    pub fn months(&self) -> i64 {
        i64::from(self.c.term_years) * 12
    }
    /// Active in month `m` (0-based), and whether a term starts then.
    pub fn active(&self, m: i64) -> Option<bool> {
        let age = m - self.start_index;
        if age < 0 || (!self.c.renew && age >= self.months()) {
            return None;
        }
        Some(age % self.months() == 0)
    }
    pub fn count(&self) -> f64 {
        match &self.c.kind {
            CommitmentKind::Ec2Reserved { count, .. }
            | CommitmentKind::RdsReserved { count, .. }
            | CommitmentKind::CacheReserved { count, .. } => f64::from(*count),
            CommitmentKind::SavingsPlan { .. } => 1.0,
        }
    }
    pub fn label(&self) -> String {
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
}

/// Whether a commitment covers the on-demand price `key` in `region`.
pub fn covers(c: &Commitment, region: &str, key: &str) -> bool {
    // A Compute Savings Plan covers EC2 in every region.
    let any_region = matches!(c.kind, CommitmentKind::SavingsPlan { family: None, .. });
    if !any_region && region != c.region {
        return false;
    }
    match &c.kind {
        CommitmentKind::Ec2Reserved { instance_type, .. } => key.strip_prefix("ec2.") == Some(instance_type.as_str()),
        CommitmentKind::RdsReserved { class, .. } => {
            key.strip_prefix("rds.postgres.multi_az.") == Some(class.as_str())
                || key.strip_prefix("rds.postgres.single_az.") == Some(class.as_str())
        }
        CommitmentKind::CacheReserved { node_type, .. } => key.strip_prefix("elasticache.") == Some(node_type.as_str()),
        CommitmentKind::SavingsPlan { family, .. } => {
            let Some(t) = key.strip_prefix("ec2.") else { return false };
            !t.starts_with("ri") && family.as_ref().is_none_or(|f| t.split('.').next() == Some(f.as_str()))
        }
    }
}

/// A commitment as the evaluator applies it, compiled once: its catalog rate, the variants it
/// applies to and the price slots it covers.
#[derive(Debug, Clone)]
pub struct CommitmentPlan {
    /// The catalog's No Upfront rate slot, when the commitment has one.
    pub catalog_slot: Option<Slot>,
    /// The catalog's rate, when the commitment gives none (0 where the catalog has none).
    pub catalog_hourly_usd: f64,
    pub variants: Vec<bool>,
    /// Per price slot.
    pub covered: Vec<bool>,
}

impl CommitmentPlan {
    /// The commitment as this evaluation has it (its numbers may be drawn).
    pub fn resolved<'c>(&self, c: &'c Commitment, start: YearMonth) -> Resolved<'c> {
        Resolved {
            c,
            start_index: start.months_until(c.start),
            hourly_usd: c.hourly_usd.unwrap_or(self.catalog_hourly_usd),
            upfront_usd: c.upfront_usd.unwrap_or(0.0),
            user_supplied: c.hourly_usd.is_some() || c.upfront_usd.is_some() || self.catalog_slot.is_none(),
        }
    }
}

/// The finance layer of a scenario, compiled once.
#[derive(Debug, Clone, Default)]
pub struct FinancePlan {
    /// Per `finance.spot` entry: the pool it applies to.
    pub spot: Vec<Option<u16>>,
    pub commitments: Vec<CommitmentPlan>,
}

/// Hardware owned at an on-prem site: purchases (month index, quantity).
#[derive(Debug, Default, Clone)]
pub struct Fleet {
    pub servers: Vec<(u32, f64)>,
    pub db_servers: Vec<(u32, f64)>,
    pub storage_tb: Vec<(u32, f64)>,
}

/// What the finance layer reads of an on-prem site's month.
#[derive(Debug, Clone, Copy)]
pub struct OnPremSite {
    /// Index of the site in the variant.
    pub site: usize,
    pub name: Name,
    /// Not serving traffic: its lines are DR.
    pub dr: bool,
    /// Cores and memory (GiB) of the node-equivalents the pools need.
    pub cores: f64,
    pub memory_gib: f64,
    /// Memory the cache (Redis) needs with its replicas, GiB: it runs on the same servers.
    pub cache_gib: f64,
    /// Provisioned database GB, if the site runs the database.
    pub db_gb: Option<f64>,
    pub objects_gb: f64,
}

/// One variant-month as the finance layer sees it.
pub struct MonthInput<'a> {
    pub s: &'a Scenario,
    pub plan: &'a FinancePlan,
    /// Index of the variant, and its name.
    pub variant: usize,
    /// 0-based month index.
    pub month: u32,
    pub onprem: &'a [OnPremSite],
}

/// Carried month to month for one variant: hardware per site.
#[derive(Debug, Default, Clone)]
pub struct State {
    pub fleets: Vec<Fleet>,
}

/// Whether any finance step this month reads the priced lines (commitments, spot shares).
pub fn reads_priced_lines(input: &MonthInput) -> bool {
    let fin = &input.s.finance;
    let m = i64::from(input.month);
    !fin.spot.is_empty()
        || input
            .plan
            .commitments
            .iter()
            .zip(&fin.commitments)
            .any(|(cp, c)| cp.variants[input.variant] && cp.resolved(c, input.s.meta.start).active(m).is_some())
}

/// Whether a finance step reads the tally's view or discount sums (discount, escalation,
/// contingency).
pub fn reads_bases(fin: &Finance) -> bool {
    fin.aws_discount > 0.0
        || !fin.aws_discount_by_category.is_empty()
        || fin.annual_escalation != 0.0
        || fin.contingency > 0.0
}

/// Whether the finance layer adds anything to a scenario's months.
pub fn any(fin: &Finance) -> bool {
    fin.onprem.is_some() || !fin.spot.is_empty() || !fin.commitments.is_empty() || reads_bases(fin)
}

/// Add the finance lines of a variant-month after its list-price lines.
pub fn apply<S: Sink>(input: &MonthInput, st: &mut State, out: &mut Ledger<S>) {
    let fin = &input.s.finance;
    if let Some(t) = &fin.onprem {
        for site in input.onprem {
            if st.fleets.len() <= site.site {
                st.fleets.resize_with(site.site + 1, Fleet::default);
            }
            onprem_tco(t, input.month, site, &mut st.fleets[site.site], out);
        }
    }
    spot_shares(input, out);
    commitments(input, out);
    discount(fin, out);
    escalation_and_contingency(fin, input.month, out);
}

/// Purchases still being depreciated in month `m`.
pub fn depreciation(buys: &[(u32, f64)], m: u32, months: u32) -> f64 {
    buys.iter().filter(|(b, _)| *b <= m && m < b + months).map(|(_, q)| q).sum()
}

/// Buying hardware for one on-prem site in one month.
struct Hardware {
    site: Name,
    month: u32,
    /// Depreciation life, months.
    life: u32,
    years: u32,
}

/// A kind of hardware: its category, names (bought, depreciated, unit) and unit price.
struct Kind {
    category: Category,
    names: (&'static str, &'static str, &'static str),
    unit_usd: f64,
}

impl Hardware {
    /// Buy up to `need` units in service (what is fully depreciated after one life left service,
    /// so buying it again is the refresh), and add the purchase (cash view, CAPEX) and the
    /// straight-line depreciation (amortised view) lines. Returns the units in service.
    fn buy<S: Sink>(
        &self,
        out: &mut Ledger<S>,
        buys: &mut Vec<(u32, f64)>,
        need: f64,
        kind: Kind,
        basis: impl FnOnce() -> String,
    ) -> f64 {
        let Kind { category, names: (bought, depreciated, unit), unit_usd } = kind;
        let buy = (need - depreciation(buys, self.month, self.life)).max(0.0);
        if buy > 0.0 {
            buys.push((self.month, buy));
            out.line(self.site, category, Amount::capex(buy, unit_usd), || Describe {
                item: bought.into(),
                unit,
                basis: basis().into(),
            });
        }
        let in_service = depreciation(buys, self.month, self.life);
        if in_service > 0.0 {
            let years = self.years;
            out.line(
                self.site,
                category,
                Amount::only(View::Amortised, in_service, unit_usd / f64::from(self.life), DiscountClass::NotAws),
                || Describe {
                    item: depreciated.into(),
                    unit,
                    basis: format!("straight-line over {years} years").into(),
                },
            );
        }
        in_service
    }
}

/// The on-premises TCO of one site in one month: servers for the pools' node-equivalents,
/// database servers and storage bought in steps and depreciated, fixed hardware bought at the
/// start and every refresh, power, rack space, platform subscription and staff.
fn onprem_tco<S: Sink>(t: &OnPremTco, month: u32, site: &OnPremSite, fleet: &mut Fleet, out: &mut Ledger<S>) {
    let life = t.depreciation_years * 12;
    let name = site.name;
    let dr = site.dr;
    let cat = |c: Category| if dr { Category::DrReplication } else { c };
    let need = (site.cores / f64::from(t.server.cores))
        .max((site.memory_gib + site.cache_gib) / t.server.memory_gib)
        .ceil()
        .max(f64::from(t.min_servers));
    let hw = Hardware { site: name, month, life, years: t.depreciation_years };
    let servers = hw.buy(
        out,
        &mut fleet.servers,
        need,
        Kind {
            category: cat(Category::Compute),
            names: ("Servers bought", "Server depreciation", "server"),
            unit_usd: t.server.usd,
        },
        || {
            format!(
                "{} cores / {} GiB per server for the pools' nodes and the cache's memory; {}",
                t.server.cores, t.server.memory_gib, t.source
            )
        },
    );
    let db_n = if site.db_gb.is_some() { f64::from(t.database_servers) } else { 0.0 };
    hw.buy(
        out,
        &mut fleet.db_servers,
        db_n,
        Kind {
            category: cat(Category::Database),
            names: ("Database servers bought", "Database server depreciation", "server"),
            unit_usd: t.database_server_usd,
        },
        || t.source.clone(),
    );
    if db_n > 0.0 && t.database_support_usd_per_server_year > 0.0 {
        out.line(
            name,
            cat(Category::Database),
            Amount::both(db_n, t.database_support_usd_per_server_year / 12.0, DiscountClass::NotAws),
            || Describe {
                item: "Database subscription".into(),
                unit: "server-month",
                basis: "per database server, yearly price / 12".into(),
            },
        );
    }
    let data_gb = site.db_gb.unwrap_or(0.0) + site.objects_gb;
    let need_tb = (data_gb / 1000.0 * t.storage_copies).ceil();
    hw.buy(
        out,
        &mut fleet.storage_tb,
        need_tb,
        Kind {
            category: cat(Category::Storage),
            names: ("Storage bought", "Storage depreciation", "TB"),
            unit_usd: t.storage_usd_per_tb,
        },
        || format!("(database + objects) × {} copies; {}", t.storage_copies, t.source),
    );
    let other = DiscountClass::NotAws;
    // Fixed hardware: bought at the start and at every refresh.
    if month.is_multiple_of(life) {
        for h in &t.fixed_hardware {
            out.line(name, cat(Category::Networking), Amount::capex(1.0, h.usd), || Describe {
                item: format!("{} bought", h.name).into(),
                unit: "item",
                basis: t.source.clone().into(),
            });
        }
    }
    let fixed_usd: f64 = t.fixed_hardware.iter().map(|h| h.usd).sum();
    if fixed_usd > 0.0 {
        out.line(
            name,
            cat(Category::Networking),
            Amount::only(View::Amortised, 1.0, fixed_usd / f64::from(life), other),
            || Describe {
                item: "Network and security hardware depreciation".into(),
                unit: "set",
                basis: format!("straight-line over {} years", t.depreciation_years).into(),
            },
        );
    }
    // Running costs.
    let kw = (servers + db_n) * t.server.power_kw + t.fixed_hardware.iter().map(|h| h.power_kw).sum::<f64>();
    out.line(name, cat(Category::Compute), Amount::both(kw * t.pue * HOURS_PER_MONTH, t.usd_per_kwh, other), || {
        Describe {
            item: "Power and cooling".into(),
            unit: "kWh",
            basis: format!("{kw:.2} kW × PUE {} × 730 h", t.pue).into(),
        }
    });
    let units = (servers + db_n) * f64::from(t.server.rack_units)
        + t.fixed_hardware.iter().map(|h| f64::from(h.rack_units)).sum::<f64>();
    out.line(name, cat(Category::Compute), Amount::both(units, t.usd_per_rack_unit_month, other), || Describe {
        item: "Rack space".into(),
        unit: "rack-unit-month",
        basis: "servers × rack units + fixed hardware".into(),
    });
    let cores = servers * f64::from(t.server.cores);
    out.line(name, cat(Category::Compute), Amount::both(cores, t.support_usd_per_core_year / 12.0, other), || {
        Describe {
            item: "Platform subscription".into(),
            unit: "core-month",
            basis: "per-core support, yearly price / 12".into(),
        }
    });
    if !dr && t.staff_fte > 0.0 {
        out.line(name, Category::Other, Amount::both(t.staff_fte, t.staff_usd_per_fte_year / 12.0, other), || {
            Describe { item: "Operations staff share".into(), unit: "FTE-month", basis: t.source.clone().into() }
        });
    }
}

/// Spot share of stateless pools: part of the pool's on-demand node-hours at a discount.
fn spot_shares<S: Sink>(input: &MonthInput, out: &mut Ledger<S>) {
    let s = input.s;
    for (sp, target) in s.finance.spot.iter().zip(&input.plan.spot) {
        let Some(pool) = *target else { continue };
        let pool_name = &s.cluster.node_pools[usize::from(pool)].name;
        // A spot share lowers an EC2 charge: an AWS charge itself.
        let class = DiscountClass::Aws;
        let mut i = 0;
        while i < out.tally.priced.len() {
            let l = out.tally.priced[i];
            i += 1;
            if l.pool != Some(pool) {
                continue;
            }
            out.line(l.site, l.category, Amount::both(l.usd * sp.share, -sp.discount, class), || Describe {
                item: format!(
                    "Spot share of pool {} ({:.0} % at {:.0} % off)",
                    pool_name,
                    sp.share * 100.0,
                    sp.discount * 100.0
                )
                .into(),
                unit: "USD of on-demand",
                basis: format!("user-supplied spot discount: {}", sp.source).into(),
            });
        }
    }
}

/// Reservations and savings plans active this month: the on-demand lines they cover come off,
/// their fees go on (upfronts paid at each term start in the cash view, amortised over the term).
fn commitments<S: Sink>(input: &MonthInput, out: &mut Ledger<S>) {
    let s = input.s;
    let m = i64::from(input.month);
    for (cp, c) in input.plan.commitments.iter().zip(&s.finance.commitments) {
        if !cp.variants[input.variant] {
            continue;
        }
        let r = cp.resolved(c, s.meta.start);
        let Some(term_starts) = r.active(m) else { continue };
        let covered = || out.tally.priced.iter().filter(|l| cp.covered[l.slot.index()]);
        let first = covered().next().map(|l| (l.site, l.category));
        let (site, category) = first.unwrap_or((Name::from(""), Category::Compute));
        let (hours, od_usd): (f64, f64) = covered().fold((0.0, 0.0), |(h, u), l| (h + l.quantity, u + l.usd));
        let od_rate = covered().next().map_or(0.0, |l| l.unit_usd);
        let label = if S::RECORDS { r.label() } else { String::new() };
        // Commitment fees and the on-demand usage they cover are AWS charges.
        let class = DiscountClass::Aws;
        let basis = || -> std::borrow::Cow<'static, str> {
            if r.user_supplied {
                format!("user-supplied rate: {}", r.c.source).into()
            } else {
                "catalog reserved rate".into()
            }
        };
        match &r.c.kind {
            CommitmentKind::SavingsPlan { usd_per_hour, discount, .. } => {
                let covers = (usd_per_hour * HOURS_PER_MONTH / (1.0 - discount)).min(od_usd);
                if covers > 0.0 {
                    out.line(site, category, Amount::both(covers, -1.0, class), || Describe {
                        item: format!("On-demand usage covered by {label}").into(),
                        unit: "USD of on-demand",
                        basis: "commitment / (1 − discount), at most the usage".into(),
                    });
                }
                out.line(site, category, Amount::both(HOURS_PER_MONTH, *usd_per_hour, class), || Describe {
                    item: format!("{label}: commitment").into(),
                    unit: "hour",
                    basis: basis(),
                });
            }
            _ => {
                let cover = (r.count() * HOURS_PER_MONTH).min(hours);
                if cover > 0.0 {
                    out.line(site, category, Amount::both(cover, -od_rate, class), || Describe {
                        item: format!("On-demand hours covered by {label}").into(),
                        unit: "instance-hour",
                        basis: "reserved hours used, at the on-demand rate they replace".into(),
                    });
                }
                out.line(site, category, Amount::both(r.count() * HOURS_PER_MONTH, r.hourly_usd, class), || Describe {
                    item: format!("{label}: recurring fee").into(),
                    unit: "instance-hour",
                    basis: basis(),
                });
            }
        }
        if r.upfront_usd > 0.0 {
            let total = r.upfront_usd * r.count();
            if term_starts {
                out.line(site, category, Amount::only(View::Cash, 1.0, total, class), || Describe {
                    item: format!("{label}: upfront payment").into(),
                    unit: "term",
                    basis: basis(),
                });
            }
            let months = r.months();
            out.line(site, category, Amount::only(View::Amortised, 1.0, total / months as f64, class), || Describe {
                item: format!("{label}: upfront, amortised").into(),
                unit: "month",
                basis: format!("upfront / {months} months").into(),
            });
        }
    }
}

/// Negotiated discounts on AWS charges (the lines of class [`DiscountClass::Aws`]): a
/// category with its own rate (`aws_discount_by_category`) gets a line in that category on its
/// own AWS charges; the flat rate applies to the AWS charges of every other category.
fn discount<S: Sink>(fin: &Finance, out: &mut Ledger<S>) {
    let by = out.tally.aws_by_category;
    let mut rest = out.tally.aws;
    for (&c, &rate) in &fin.aws_discount_by_category {
        let base = by[c as usize];
        rest -= base;
        if rate > 0.0 {
            out.line(Name::from(""), c, Amount::both(base, -rate, DiscountClass::NotAws), || Describe {
                item: format!("Negotiated AWS discount: {} ({:.1} %)", c.label(), rate * 100.0).into(),
                unit: "USD of AWS charges",
                basis: format!("finance.aws_discount_by_category.{c:?}").into(),
            });
        }
    }
    if fin.aws_discount > 0.0 {
        let others = if fin.aws_discount_by_category.is_empty() { "" } else { ", other categories" };
        out.line(Name::from(""), Category::Other, Amount::both(rest, -fin.aws_discount, DiscountClass::NotAws), || {
            Describe {
                item: format!("Negotiated AWS discount ({:.1} %{others})", fin.aws_discount * 100.0).into(),
                unit: "USD of AWS charges",
                basis: "finance.aws_discount".into(),
            }
        });
    }
}

/// Escalation and contingency on each view's subtotal: one line when the views agree, else
/// one per view.
fn escalation_and_contingency<S: Sink>(fin: &Finance, month: u32, out: &mut Ledger<S>) {
    let year = month / 12;
    let adjust = |out: &mut Ledger<S>, name: &dyn Fn() -> String, rate: f64, basis: &dyn Fn() -> String| {
        let (a, c) = (out.tally.amortised, out.tally.cash);
        let whole = Name::from("");
        let d = || Describe { item: name().into(), unit: "USD", basis: basis().into() };
        let other = DiscountClass::NotAws;
        if (a - c).abs() < 1e-9 {
            out.line(whole, Category::Other, Amount::both(a, rate, other), d);
        } else {
            out.line(whole, Category::Other, Amount::only(View::Amortised, a, rate, other), d);
            out.line(whole, Category::Other, Amount::only(View::Cash, c, rate, other), d);
        }
    };
    if fin.annual_escalation != 0.0 && year > 0 {
        let f = (1.0 + fin.annual_escalation).powi(year as i32) - 1.0;
        adjust(
            out,
            &|| format!("Price escalation ({:.1} %/yr, year {})", fin.annual_escalation * 100.0, year + 1),
            f,
            &|| format!("(1 + {})^{year} − 1 on the month's subtotal", fin.annual_escalation),
        );
    }
    if fin.contingency > 0.0 {
        adjust(out, &|| format!("Contingency ({:.1} %)", fin.contingency * 100.0), fin.contingency, &|| {
            "finance.contingency on the month's subtotal".into()
        });
    }
}

/// The fiscal year `m` falls in, named after the calendar year it ends in.
pub fn fiscal_year(s: &Scenario, m: YearMonth) -> i32 {
    let start = s.finance.fiscal_year_start_month.clamp(1, 12);
    if start == 1 || m.month() < start { m.year() } else { m.year() + 1 }
}

/// Totals of a fiscal year.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FiscalYear {
    /// The calendar year the fiscal year ends in (written "FY2027").
    #[serde(rename = "label", serialize_with = "fy_label")]
    pub year: i32,
    pub first_month: YearMonth,
    /// Planned months in it (the first and last may be partial).
    pub months: u32,
    pub amortised_usd: f64,
    pub cash_usd: f64,
    /// Hardware bought (cash view).
    pub capex_usd: f64,
    /// The amortised and cash totals in the reporting currency, if one is set.
    pub converted: Option<(f64, f64)>,
}

fn fy_label<S: serde::Serializer>(year: &i32, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&format_args!("FY{year}"))
}

impl FiscalYear {
    /// "FY2027".
    pub fn label(&self) -> String {
        format!("FY{}", self.year)
    }
}

/// A month's totals as fiscal years add them.
#[derive(Debug, Clone, Copy)]
pub struct MonthTotals {
    pub month: YearMonth,
    pub amortised_usd: f64,
    pub cash_usd: f64,
    pub capex_usd: f64,
}

/// Fiscal-year totals of a variant's months.
pub fn fiscal_years(s: &Scenario, months: impl IntoIterator<Item = MonthTotals>) -> Vec<FiscalYear> {
    let mut out: Vec<FiscalYear> = Vec::new();
    for m in months {
        let year = fiscal_year(s, m.month);
        if out.last().is_none_or(|f| f.year != year) {
            out.push(FiscalYear {
                year,
                first_month: m.month,
                months: 0,
                amortised_usd: 0.0,
                cash_usd: 0.0,
                capex_usd: 0.0,
                converted: None,
            });
        }
        if let Some(f) = out.last_mut() {
            f.months += 1;
            f.amortised_usd += m.amortised_usd;
            f.cash_usd += m.cash_usd;
            f.capex_usd += m.capex_usd;
        }
    }
    if let Some(r) = &s.finance.reporting_currency {
        for f in &mut out {
            f.converted = Some((f.amortised_usd * r.per_usd, f.cash_usd * r.per_usd));
        }
    }
    out
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
