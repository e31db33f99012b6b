//! The budget review as plain data: the decision first (the recommended variant and why), each
//! variant's total beside its availability, RTO, RPO and completeness, every fiscal year against
//! its budget line (cash, amortised, capex, opex, variance and, with a Monte Carlo, the chance of
//! exceeding it), and the top risks. Built once from the plan and the optional Monte Carlo; the
//! HTML, the XLSX and the text summary all render this one value, so no front end ranks or
//! totals on its own.

use serde::Serialize;

use crate::engine::plan::PathTotals;
use crate::engine::report::{Report, STALE_PRICE_MONTHS, price_age_months};
use crate::scenario::model::budget_for;
use crate::uncertainty::montecarlo::McReport;

/// A P(exceed) at or above this share is a risk worth a line.
pub const EXCEED_RISK: f64 = 0.2;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    /// The decision in one sentence (the comparison's own).
    pub decision: String,
    /// The cheapest variant with complete costs that meets every target, if any.
    pub recommended: Option<String>,
    /// Why: the facts the recommendation rests on, one per line.
    pub why: Vec<String>,
    /// Every variant, in the comparison's order (ranked complete variants first).
    pub variants: Vec<ReviewVariant>,
    /// Every variant's fiscal years, variant by variant in the same order.
    pub fiscal: Vec<FiscalRow>,
    /// The risks, most pressing kind first.
    pub risks: Vec<Risk>,
    /// How P(exceed) was obtained, or why it is missing.
    pub exceedance_basis: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewVariant {
    pub name: String,
    pub rank: Option<u32>,
    /// Amortised over the horizon; a lower bound when not complete.
    pub total_usd: f64,
    pub complete: bool,
    pub status: String,
    pub availability: f64,
    pub rto_hours: Option<f64>,
    pub rpo_minutes: Option<f64>,
    pub meets_all: bool,
}

/// One fiscal year of one variant against its budget line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FiscalRow {
    pub variant: String,
    pub label: String,
    /// Planned months in the year (the first and last may be partial).
    pub months: u32,
    pub cash_usd: f64,
    pub amortised_usd: f64,
    /// Hardware bought (cash view) and the rest of the cash view.
    pub capex_usd: f64,
    pub opex_usd: f64,
    /// The budget line (compared with the amortised view, as the Monte Carlo compares it).
    pub budget_usd: Option<f64>,
    /// Budget − amortised: positive is headroom, negative an overrun.
    pub variance_usd: Option<f64>,
    /// Share of Monte Carlo paths whose amortised cost exceeds the budget.
    pub p_exceed: Option<f64>,
    /// Every line priced in the variant (else the amounts are lower bounds).
    pub complete: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum RiskKind {
    /// A fiscal-year budget is likely to be exceeded (or is exceeded as planned).
    Budget,
    /// A pool reaches maxNodes or no allowed database class is large enough.
    CapacityLimit,
    /// Lines without a price: totals are lower bounds and the variant is not ranked.
    Unpriced,
    /// Prices older than 18 months at the plan's start.
    StalePrices,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Risk {
    pub kind: RiskKind,
    pub variant: Option<String>,
    pub text: String,
}

/// The review of a plan and, if run, its Monte Carlo.
pub fn review(r: &Report, mc: Option<&McReport>) -> Review {
    let c = &r.comparison;
    let variants: Vec<ReviewVariant> = c
        .rows
        .iter()
        .map(|row| ReviewVariant {
            name: row.variant.clone(),
            rank: row.rank,
            total_usd: row.total_usd,
            complete: row.complete,
            status: row.status.clone(),
            availability: row.availability,
            rto_hours: row.rto_last_hours,
            rpo_minutes: row.rpo_minutes,
            meets_all: row.meets.all,
        })
        .collect();
    let recommended = c.cheapest_meeting_all.clone();
    let why = why(r, recommended.as_deref());
    let mut fiscal = Vec::new();
    for row in &c.rows {
        let Some(v) = r.variants.iter().find(|v| v.name == row.variant) else { continue };
        let bands = mc.and_then(|m| m.variants.iter().find(|b| b.name == v.name));
        for (i, fy) in v.fiscal_years.iter().enumerate() {
            let budget = budget_for(&r.budgets, fy.year, &v.name);
            fiscal.push(FiscalRow {
                variant: v.name.clone(),
                label: fy.label(),
                months: fy.months,
                cash_usd: fy.cash_usd,
                amortised_usd: fy.amortised_usd,
                capex_usd: fy.capex_usd,
                opex_usd: fy.cash_usd - fy.capex_usd,
                budget_usd: budget,
                variance_usd: budget.map(|b| b - fy.amortised_usd),
                p_exceed: bands.and_then(|b| b.fiscal_years.get(i)).and_then(|f| f.p_exceed),
                complete: v.completeness.complete,
            });
        }
    }
    let exceedance_basis = match mc {
        Some(m) => format!("share of {} Monte Carlo paths above the budget line (amortised)", m.paths - m.rejected),
        None if r.budgets.is_empty() => "no budget lines (uncertainty.budgets)".to_string(),
        None => "no Monte Carlo run: the plan's own amounts against the budget lines only".to_string(),
    };
    let risks = risks(r, mc, &fiscal);
    Review { decision: c.decision.clone(), recommended, why, variants, fiscal, risks, exceedance_basis }
}

/// The facts behind the recommendation.
fn why(r: &Report, recommended: Option<&str>) -> Vec<String> {
    let c = &r.comparison;
    let t = &c.targets;
    let Some(name) = recommended else {
        let mut out = vec![format!(
            "No variant both has complete costs and meets every target (availability ≥ {:.2} %, RTO < {} h, RPO < {} min).",
            t.availability * 100.0,
            t.rto_hours,
            t.rpo_minutes
        )];
        for row in c.rows.iter().filter(|x| !x.complete) {
            out.push(format!("{}: {}.", row.variant, row.status));
        }
        return out;
    };
    let Some(row) = c.rows.iter().find(|x| x.variant == name) else { return Vec::new() };
    let mut out = vec![format!(
        "Meets every target: availability {:.3} % (≥ {:.2} %), RTO {} (< {} h), RPO {} (< {} min).",
        row.availability * 100.0,
        t.availability * 100.0,
        row.rto_last_hours.map_or("none".to_string(), |h| format!("{h:.1} h")),
        t.rto_hours,
        row.rpo_minutes.map_or("no copy".to_string(), |m| format!("{m:.1} min")),
        t.rpo_minutes
    )];
    out.push(format!(
        "Costs {} over {} months (amortised), every line priced.",
        crate::money::usd0(row.total_usd),
        r.horizon_months
    ));
    // The next complete variant that meets every target, and the cheaper ones that do not.
    let meeting: Vec<_> = c.rows.iter().filter(|x| x.complete && x.meets.all).collect();
    if let Some(next) = meeting.iter().find(|x| x.variant != name) {
        out.push(format!(
            "The next variant meeting every target, {}, costs {} more.",
            next.variant,
            crate::money::usd0(next.total_usd - row.total_usd)
        ));
    }
    let cheaper: Vec<String> = c
        .rows
        .iter()
        .filter(|x| x.complete && !x.meets.all && x.total_usd < row.total_usd)
        .map(|x| x.variant.clone())
        .collect();
    if !cheaper.is_empty() {
        out.push(format!("Cheaper, but missing a target: {}.", cheaper.join(", ")));
    }
    let unranked: Vec<String> = c.rows.iter().filter(|x| !x.complete).map(|x| x.variant.clone()).collect();
    if !unranked.is_empty() {
        out.push(format!("Not ranked (unpriced lines): {}.", unranked.join(", ")));
    }
    out
}

/// Budget, capacity, unpriced and stale-price risks, in that order.
fn risks(r: &Report, mc: Option<&McReport>, fiscal: &[FiscalRow]) -> Vec<Risk> {
    let mut out = Vec::new();
    for f in fiscal {
        let Some(b) = f.budget_usd else { continue };
        let over_as_planned = f.amortised_usd > b;
        let likely = f.p_exceed.is_some_and(|p| p >= EXCEED_RISK);
        if over_as_planned || likely {
            let chance = f.p_exceed.map_or_else(String::new, |p| format!("; exceeded on {:.0} % of paths", p * 100.0));
            out.push(Risk {
                kind: RiskKind::Budget,
                variant: Some(f.variant.clone()),
                text: format!(
                    "{} {}: {} planned against a budget of {}{chance}",
                    f.variant,
                    f.label,
                    crate::money::usd0(f.amortised_usd),
                    crate::money::usd0(b)
                ),
            });
        }
    }
    let plan_limits = PathTotals::of(r).limit_month;
    for (v, limit) in r.variants.iter().zip(plan_limits) {
        let from_mc = mc.and_then(|m| m.variants.iter().find(|b| b.name == v.name));
        let text = match (limit, from_mc.and_then(|b| b.capacity_limit_month)) {
            (Some(m), _) => Some(format!("{}: a capacity limit is reached in month {m} as planned", v.name)),
            (None, Some(m)) => Some(format!(
                "{}: a capacity limit is reached by month {m} on {:.0} % of Monte Carlo paths or more",
                v.name,
                mc.map_or(0.0, |x| x.confidence * 100.0)
            )),
            _ => None,
        };
        if let Some(text) = text {
            out.push(Risk { kind: RiskKind::CapacityLimit, variant: Some(v.name.clone()), text });
        }
    }
    for v in r.variants.iter().filter(|v| !v.completeness.complete) {
        out.push(Risk {
            kind: RiskKind::Unpriced,
            variant: Some(v.name.clone()),
            text: format!("{}: {} — {}", v.name, v.completeness.status(), v.completeness.fill_list().join("; ")),
        });
    }
    let stale: Vec<String> = r
        .prices
        .iter()
        .filter(|p| p.usd.is_some() && price_age_months(&p.as_of, r.start).is_some_and(|a| a > STALE_PRICE_MONTHS))
        .map(|p| format!("{}/{} ({})", p.region, p.key, p.as_of))
        .collect();
    if !stale.is_empty() {
        let shown: Vec<&str> = stale.iter().take(5).map(String::as_str).collect();
        out.push(Risk {
            kind: RiskKind::StalePrices,
            variant: None,
            text: format!(
                "{} prices used are older than {STALE_PRICE_MONTHS} months at the plan's start ({}): {}{}; refresh them with headroom prices import",
                stale.len(),
                r.start,
                shown.join(", "),
                if stale.len() > shown.len() { ", …" } else { "" }
            ),
        });
    }
    out.sort_by_key(|x| x.kind);
    out
}
