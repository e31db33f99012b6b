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

/// The seed as it was before it carried costs of its own: no `finance` block (on-prem TCO), no
/// price overrides, no uncertainty on them. Tests that add their own finance inputs or fill a
/// gap start from it, so their hand-worked figures stay those of the catalog alone.
pub fn seed_text() -> String {
    let t = headroom::SEED_SCENARIO;
    let cut = |t: &str, start: &str, end: &str, with: &str| -> String {
        let a = t.find(start).unwrap_or_else(|| panic!("{start}"));
        let b = a + t[a..].find(end).unwrap_or_else(|| panic!("{end}")) + end.len();
        format!("{}{with}{}", &t[..a], &t[b..])
    };
    let t = cut(t, "        overrides: {\n", "\n        },\n", "        overrides: {},\n");
    let t = cut(&t, "    finance: (\n", "\n    ),\n", "");
    t.lines().filter(|l| !l.contains("path: \"finance.onprem")).map(|l| format!("{l}\n")).collect()
}
