//! Helpers shared by the test modules: the seed's plan, a line by site and item, and the one
//! tolerance check.

use headroom::{Catalog, Report, load_scenario, plan};

pub fn seed_report() -> Report {
    let s = load_scenario(headroom::SEED_SCENARIO, Catalog::builtin()).expect("seed loads");
    plan(&s, Catalog::builtin())
}

pub fn line<'a>(
    m: &'a headroom::engine::report::VariantMonth,
    site: &str,
    item_starts: &str,
) -> &'a headroom::engine::report::CostLine {
    m.lines
        .iter()
        .find(|l| &*l.site == site && l.item.starts_with(item_starts))
        .unwrap_or_else(|| panic!("no line {site}/{item_starts}"))
}

/// `a` and `b` agree within `tol` (absolute).
#[track_caller]
pub fn close(a: f64, b: f64, tol: f64) {
    assert!((a - b).abs() <= tol, "{a} != {b} (tolerance {tol})");
}
