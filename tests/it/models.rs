//! Every scenario shipped in `models/` loads and plans without warnings of the bad kind.

use headroom::{Catalog, load_scenario, plan};

#[test]
fn every_model_loads_and_plans() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/models");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ron") {
            let text = std::fs::read_to_string(&path).unwrap();
            let s = load_scenario(&text, Catalog::builtin())
                .unwrap_or_else(|e| panic!("{}", e.with_file(&path.display().to_string())));
            let r = plan(&s, Catalog::builtin());
            assert_eq!(r.variants.len(), s.variants.len());
            assert!(r.variants.iter().all(|v| v.months.len() == s.meta.horizon_months as usize));
            n += 1;
        }
    }
    assert!(n >= 1);
}

#[test]
fn seed_round_trips_through_ron() {
    let s = headroom::parse_scenario(headroom::SEED_SCENARIO).unwrap();
    let again = headroom::parse_scenario(&headroom::scenario_to_ron(&s)).unwrap();
    assert_eq!(s, again);
}

/// The scaled scenario the scale benchmark plans is valid, and scales what it says: 50 services,
/// 20 variants, 240 months, the request mix adding up as the seed's.
#[test]
fn the_scale_benchmark_scenario_is_valid() {
    let cat = headroom::Catalog::builtin();
    let base = headroom::parse_scenario(headroom::SEED_SCENARIO).unwrap();
    let s = headroom::scenario::synthetic::scaled(&base, 50, 20, 240);
    let share =
        |s: &headroom::scenario::model::Scenario| s.workload.services.iter().map(|x| x.request_share).sum::<f64>();
    assert!((share(&s) - share(&base)).abs() < 1e-9);
    let v = headroom::validate(s, cat).unwrap();
    assert_eq!((v.workload.services.len(), v.variants.len(), v.meta.horizon_months), (50, 20, 240));
}
