//! Users over time: compound growth, step events, seasonality and the daily profile.

use serde::Serialize;

use crate::scenario::model::{Change, Demand, YearMonth};

/// Demand in one planned month (shared by every variant).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthDemand {
    /// 0-based month index (month 1 of the plan is index 0).
    pub index: u32,
    pub month: YearMonth,
    /// Concurrent users at the daily peak, before seasonality (growth and events only).
    pub users: f64,
    /// Concurrent users at the peak hour of this month (× seasonality).
    pub peak_users: f64,
    /// Concurrent users averaged over the day (× mean of the diurnal profile).
    pub avg_users: f64,
}

/// Monthly growth factor `(1+g)^(1/12)`.
pub fn monthly_factor(annual_growth: f64) -> f64 {
    (1.0 + annual_growth).powf(1.0 / 12.0)
}

/// Month-by-month demand for `horizon` months from `start`.
///
/// The trend compounds monthly; an event applies from its month on and then grows with the base
/// (an `Add` of 500 users in month 12 is 500 × (1+g) users a year later).
pub fn project(d: &Demand, start: YearMonth, horizon: u32) -> Vec<MonthDemand> {
    let gm = monthly_factor(d.annual_growth);
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let mean_diurnal = match &d.weekend_diurnal {
        Some(w) => (5.0 * mean(&d.diurnal) + 2.0 * mean(w)) / 7.0,
        None => mean(&d.diurnal),
    };
    let mut users = d.concurrent_users;
    let mut out = Vec::with_capacity(horizon as usize);
    for i in 0..horizon {
        let month = start.plus(i);
        if i > 0 {
            users *= gm;
        }
        for e in d.events.iter().filter(|e| e.month == month) {
            users = match e.change {
                Change::Add(n) => (users + n).max(0.0),
                Change::Multiply(f) => users * f,
            };
        }
        let season = d.seasonality.get(month.month() as usize - 1).copied().unwrap_or(1.0);
        let peak = users * season;
        out.push(MonthDemand { index: i, month, users, peak_users: peak, avg_users: peak * mean_diurnal });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::model::DemandEvent;

    fn demand(g: f64) -> Demand {
        Demand {
            concurrent_users: 1000.0,
            annual_growth: g,
            events: vec![],
            seasonality: vec![1.0; 12],
            diurnal: vec![1.0; 24],
            weekend_diurnal: None,
        }
    }

    fn ym(s: &str) -> YearMonth {
        s.parse().unwrap()
    }

    #[test]
    fn twenty_percent_compounds_to_1_2_after_12_months_and_2_488_after_60() {
        let m = project(&demand(0.2), ym("2027-01"), 61);
        // By hand: 1000 × 1.2 = 1200 after 12 months; 1000 × 1.2^5 = 2488.32 after 60.
        assert!((m[12].users - 1200.0).abs() < 1e-9, "{}", m[12].users);
        assert!((m[60].users - 2488.32).abs() < 1e-9, "{}", m[60].users);
        // Monthly factor 1.2^(1/12) = 1.015309470...
        assert!((monthly_factor(0.2) - 1.015_309_470_499_731_6).abs() < 1e-15);
    }

    #[test]
    fn events_step_and_then_grow_with_the_base() {
        let mut d = demand(0.2);
        d.events = vec![
            DemandEvent { month: ym("2027-07"), change: Change::Add(500.0), note: String::new() },
            DemandEvent { month: ym("2028-07"), change: Change::Multiply(2.0), note: String::new() },
        ];
        let m = project(&d, ym("2027-01"), 25);
        let g6 = 1.2f64.powf(0.5);
        assert!((m[5].users - 1000.0 * 1.2f64.powf(5.0 / 12.0)).abs() < 1e-9);
        assert!((m[6].users - (1000.0 * g6 + 500.0)).abs() < 1e-9);
        // A year later the added 500 have grown 20 % too, then the whole base doubles.
        assert!((m[18].users - 2.0 * (1000.0 * g6 + 500.0) * 1.2).abs() < 1e-9);
    }

    #[test]
    fn seasonality_and_diurnal_shape_peak_and_average() {
        let mut d = demand(0.0);
        d.seasonality[11] = 1.5; // December
        d.diurnal = (0..24).map(|h| if (9..17).contains(&h) { 1.0 } else { 0.25 }).collect();
        let m = project(&d, ym("2027-11"), 2);
        assert_eq!(m[0].peak_users, 1000.0);
        assert_eq!(m[1].peak_users, 1500.0);
        // Mean of 8 hours at 1.0 and 16 at 0.25 = (8 + 4) / 24 = 0.5.
        assert!((m[1].avg_users - 750.0).abs() < 1e-9);
    }
}
