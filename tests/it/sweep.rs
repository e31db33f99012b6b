//! A field sweep (a structured fuzzer, hand-written on purpose: the interesting inputs are every
//! numeric field of the scenario at the edges of and beyond its range, which a generic shrinking
//! generator would reach only by luck): each value either validates and then plans without a
//! panic, or is rejected with a message that names its field. The issue-17 campaign's findings
//! (a CPU request of `1e-320`, negative and huge counts) are among the values tried.

use headroom::scenario::assumptions::assumptions;
use headroom::scenario::edit::set_field;
use headroom::{Catalog, LoadError};

/// The seed cut down to `variants` variants and `months` months, without uncertain inputs (and
/// without the budget lines and reference estimates of the variants cut): a plan is quick.
fn small_base(months: u32, variants: usize) -> headroom::Scenario {
    let mut base = headroom::parse_scenario(headroom::SEED_SCENARIO).unwrap();
    base.meta.horizon_months = months;
    base.variants.truncate(variants);
    base.reference_estimates.retain(|r| base.variants.iter().any(|v| v.name == r.variant));
    base.uncertainty.budgets.retain(|b| b.variant.as_ref().is_none_or(|v| base.variants.iter().any(|x| &x.name == v)));
    base.uncertainty.inputs.clear();
    base
}

const VALUES: [&str; 9] = ["0", "-1", "1e-320", "0.5", "1", "3", "1e9", "1.7976931348623157e308", "-1e308"];

#[test]
fn every_numeric_field_at_its_edges_plans_or_is_rejected_by_name() {
    let cat = Catalog::builtin();
    // A small base (two variants, a year, static sizing) keeps a thousand plans quick in a
    // debug build; the simulated day is swept through its own fields below.
    let mut base = small_base(12, 2);
    base.cluster.autoscaling.simulate = false;
    assert!(headroom::validate(base.clone(), cat).is_ok());
    let numeric: Vec<String> = assumptions(&base)
        .into_iter()
        .filter(|a| a.value.parse::<f64>().is_ok() && !a.path.starts_with("meta.horizon"))
        .map(|a| a.path)
        .collect();
    assert!(numeric.len() > 100, "{}", numeric.len());
    let (mut planned, mut rejected) = (0, 0);
    for path in &numeric {
        for v in VALUES {
            // A value the field's type cannot hold (a negative count) fails here, by path.
            let Ok(s) = set_field(&base, path, v) else { continue };
            match headroom::validate(s, cat) {
                Ok(vs) => {
                    let r = std::panic::catch_unwind(|| headroom::engine::plan::plan_costs(&vs, cat));
                    let r = r.unwrap_or_else(|_| panic!("{path} = {v}: the plan panicked"));
                    assert!(
                        r.variants.iter().all(|x| x.total_usd.is_finite() || x.months.is_empty()),
                        "{path} = {v}: a non-finite total"
                    );
                    planned += 1;
                }
                Err(problems) => {
                    assert!(!problems.is_empty());
                    for p in &problems {
                        assert!(!p.path.is_empty() && !p.message.is_empty(), "{path} = {v}: {p:?}");
                    }
                    rejected += 1;
                }
            }
        }
    }
    assert!(planned > 100 && rejected > 100, "{planned} planned, {rejected} rejected");
    // The simulated day's own knobs, with the simulation on.
    let mut sim = base.clone();
    sim.cluster.autoscaling.simulate = true;
    sim.meta.horizon_months = 2;
    for path in numeric.iter().filter(|p| p.starts_with("cluster.") || p.contains(".pod.")) {
        for v in ["1", "0.5", "1e9"] {
            let Ok(s) = set_field(&sim, path, v) else { continue };
            if let Ok(vs) = headroom::validate(s, cat) {
                let r = std::panic::catch_unwind(|| headroom::engine::plan::plan_costs(&vs, cat));
                assert!(r.is_ok(), "{path} = {v}: the simulated plan panicked");
            }
        }
    }
    // And the loader reports, for a value out of range, the path in its message.
    let text = headroom::SEED_SCENARIO.replacen("cpu_request_m: 200", "cpu_request_m: 1e-320", 1);
    match headroom::load_scenario(&text, cat) {
        Err(LoadError::Invalid(p)) => assert!(p[0].path.ends_with("pod.cpu_request_m")),
        other => panic!("{other:?}"),
    }
}

/// Byte-level mutations of the bundled models (flip, delete, duplicate, insert a hostile token):
/// each loads with a located error or plans, never panics. `HEADROOM_FUZZ_CASES=1000000 cargo
/// test --release sweep::mutations` runs a million (the default is 1 500, a few seconds).
#[test]
fn mutations_of_the_bundled_models_never_panic() {
    use rand::{RngExt, SeedableRng};
    let cat = Catalog::builtin();
    let cases: usize = std::env::var("HEADROOM_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1500);
    let tokens: [&[u8]; 10] = [b"1e-320", b"-1", b"1e309", b"NaN", b"\"", b")", b"(", b",", b"Some(", b"\xff"];
    let models: Vec<Vec<u8>> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/models"))
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(17);
    let (mut ok, mut located, mut planned) = (0, 0, 0);
    for case in 0..cases {
        let mut b = models[case % models.len()].clone();
        for _ in 0..rng.random_range(1..4) {
            let at = rng.random_range(0..b.len());
            match rng.random_range(0..4) {
                0 => b[at] ^= 1 << rng.random_range(0..8),
                1 => {
                    let n = rng.random_range(1..16).min(b.len() - at);
                    b.drain(at..at + n);
                }
                2 => {
                    let n = rng.random_range(1..32).min(b.len() - at);
                    let piece = b[at..at + n].to_vec();
                    b.splice(at..at, piece);
                }
                _ => {
                    let t = tokens[rng.random_range(0..tokens.len())];
                    b.splice(at..at, t.iter().copied());
                }
            }
        }
        // Text as a user's file would reach the loader: invalid UTF-8 is the reader's error.
        let Ok(text) = String::from_utf8(b) else { continue };
        match std::panic::catch_unwind(|| headroom::load_scenario(&text, cat)) {
            Err(_) => panic!("case {case}: the loader panicked on:\n{text}"),
            Ok(Err(LoadError::Syntax { line, col, .. })) => {
                assert!(line >= 1 && col >= 1, "case {case}: no location");
                located += 1;
            }
            Ok(Err(LoadError::Invalid(p))) => {
                assert!(p.iter().all(|x| !x.path.is_empty()), "case {case}: a problem without a path");
                located += 1;
            }
            Ok(Err(LoadError::Tables(m))) => panic!("case {case}: load_scenario reads no tables, yet: {m}"),
            Ok(Ok(s)) => {
                ok += 1;
                // Plan a sample of the valid ones in full (a debug build plans slowly).
                if planned < 10 {
                    let r = std::panic::catch_unwind(|| headroom::engine::plan::plan_costs(&s, cat));
                    assert!(r.is_ok(), "case {case}: the plan panicked on:\n{text}");
                    planned += 1;
                }
            }
        }
    }
    assert!(located > cases / 3, "{located} located of {cases}");
    let _ = ok;
}

/// Structured random scenarios (proptest): two to six numeric fields at once, each set near an
/// edge of its range, to a typical value or to a hostile one, in a small base with or without
/// the simulated day. Every case validates and plans (and compares) without a panic and with
/// finite totals, or is refused with problems that each name a field. Shrinking finds the
/// smallest set of fields that breaks. `HEADROOM_FUZZ_CASES=1000000 cargo test --release
/// sweep::random` runs a million cases (the default is 300, about a second in a debug build).
#[test]
fn random_combinations_of_fields_plan_or_are_refused_by_name() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let cat = Catalog::builtin();
    let base = small_base(3, 3);
    let numeric: Vec<(String, f64)> = assumptions(&base)
        .into_iter()
        .filter(|a| !a.path.starts_with("meta.horizon"))
        .filter_map(|a| Some((a.path, a.value.parse::<f64>().ok()?)))
        .collect();
    let value = prop_oneof![
        // Around the value as written (most cases stay valid and reach the engine).
        12 => (0.0f64..3.0).prop_map(|k| format!("×{k}")),
        1 => Just("0".to_string()),
        1 => Just("-1".to_string()),
        1 => Just("1e-320".to_string()),
        1 => Just("1".to_string()),
        1 => Just("1e9".to_string()),
        1 => Just("1.7976931348623157e308".to_string()),
    ];
    let case = (prop::collection::vec((0..numeric.len(), value), 2..=6), any::<bool>());
    let cases: u32 = std::env::var("HEADROOM_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    // A fixed seed: the same cases on every run (CI is reproducible; a failure replays).
    let rng = proptest::test_runner::TestRng::deterministic_rng(proptest::test_runner::RngAlgorithm::ChaCha);
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, rng);
    let (planned, refused) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
    runner
        .run(&case, |(fields, simulate)| {
            let mut s = base.clone();
            s.cluster.autoscaling.simulate = simulate;
            for (i, v) in &fields {
                let (path, written) = &numeric[*i];
                let v = match v.strip_prefix('×') {
                    Some(k) => {
                        let x = written * k.parse::<f64>().unwrap();
                        // Counts stay counts.
                        if written.fract() == 0.0 { x.round().to_string() } else { x.to_string() }
                    }
                    None => v.clone(),
                };
                if let Ok(next) = set_field(&s, path, &v) {
                    s = next;
                }
            }
            match headroom::validate(s, cat) {
                Ok(vs) => {
                    let r = std::panic::catch_unwind(|| headroom::plan(&vs, cat));
                    let Ok(r) = r else { return Err(TestCaseError::fail("the plan panicked")) };
                    prop_assert!(r.variants.iter().all(|x| x.total_usd.is_finite()), "a non-finite total");
                    prop_assert_eq!(r.comparison.rows.len(), r.variants.len());
                    planned.set(planned.get() + 1);
                }
                Err(problems) => {
                    prop_assert!(!problems.is_empty());
                    for p in &problems {
                        prop_assert!(!p.path.is_empty() && !p.message.is_empty(), "{:?}", p);
                    }
                    refused.set(refused.get() + 1);
                }
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(planned.get() + refused.get(), cases);
    assert!(planned.get() > cases / 5 && refused.get() > cases / 5, "{planned:?} planned, {refused:?} refused");
}
