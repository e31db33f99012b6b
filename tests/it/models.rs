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
