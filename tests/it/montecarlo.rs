//! Monte Carlo (issue #7): distributions, percentiles, budget exceedance, determinism.

use std::sync::atomic::AtomicBool;

use headroom::output::render;
use headroom::scenario::dist::Sampler;
use headroom::scenario::model::{Budget, Dist, UncertainInput};
use headroom::uncertainty::montecarlo::{self, Band};
use headroom::{Catalog, load_scenario};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn moments(d: Dist, n: usize) -> (f64, f64) {
    let s = Sampler::new(&d).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let xs: Vec<f64> = (0..n).map(|_| s.sample(&mut rng)).collect();
    let m = xs.iter().sum::<f64>() / n as f64;
    let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
    (m, v.sqrt())
}

#[test]
fn distributions_have_the_textbook_moments() {
    let n = 200_000;
    // Triangular: mean (a + b + c)/3 = (0.1 + 0.2 + 0.35)/3 = 0.21667.
    let (m, _) = moments(Dist::Triangular { min: 0.1, mode: 0.2, max: 0.35 }, n);
    assert!((m - 0.216_667).abs() < 0.001, "{m}");
    // PERT: mean (a + 4m + b)/6 = (0.1 + 0.6 + 0.25)/6 = 0.158333.
    let (m, _) = moments(Dist::Pert { min: 0.1, mode: 0.15, max: 0.25 }, n);
    assert!((m - 0.158_333).abs() < 0.0005, "{m}");
    // LogNormal given as mean 16, sd 4.
    let (m, sd) = moments(Dist::LogNormal { mean: 16.0, sd: 4.0 }, n);
    assert!((m - 16.0).abs() < 0.05 && (sd - 4.0).abs() < 0.05, "{m} {sd}");
    // Uniform(2, 4): mean 3, sd 2/√12 = 0.57735.
    let (m, sd) = moments(Dist::Uniform { min: 2.0, max: 4.0 }, n);
    assert!((m - 3.0).abs() < 0.01 && (sd - 0.577_35).abs() < 0.005, "{m} {sd}");
    let (m, sd) = moments(Dist::Normal { mean: 0.2, sd: 0.05 }, n);
    assert!((m - 0.2).abs() < 0.001 && (sd - 0.05).abs() < 0.001);
    // Invalid parameters cannot be built.
    assert!(Sampler::new(&Dist::Triangular { min: 0.3, mode: 0.2, max: 0.1 }).is_err());
    assert!(Sampler::new(&Dist::Normal { mean: 1.0, sd: -1.0 }).is_err());
    assert!(Sampler::new(&Dist::LogNormal { mean: -1.0, sd: 1.0 }).is_err());
}

#[test]
fn percentiles_interpolate_between_order_statistics() {
    // 1..=100, type 7: P10 at h = 99 × 0.1 = 9.9 → 10 + 0.9 × (11 − 10) = 10.9; P50 = 50.5.
    let mut xs: Vec<f64> = (1..=100).rev().map(f64::from).collect();
    let b = Band::of(&mut xs, &[10.0, 50.0, 100.0]);
    assert_eq!(b.percentiles, vec![(10.0, 10.9), (50.0, 50.5), (100.0, 100.0)]);
    assert_eq!(b.mean, 50.5);
    // Selection gives the order statistics of the sorted sequence, ties and repeats included:
    // against a full sort, on random lists.
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let u = Sampler::new(&Dist::Uniform { min: 0.0, max: 10.0 }).unwrap();
    for n in [1usize, 2, 3, 10, 101, 1000] {
        let xs: Vec<f64> = (0..n).map(|_| u.sample(&mut rng).round()).collect();
        let mut sorted = xs.clone();
        sorted.sort_by(f64::total_cmp);
        let ps = [0.0, 5.0, 10.0, 33.3, 50.0, 90.0, 99.0, 100.0];
        let b = Band::of(&mut xs.clone(), &ps);
        for (p, v) in b.percentiles {
            let h = (n - 1) as f64 * p / 100.0;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            assert_eq!(v, sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]), "n {n} p {p}");
        }
    }
}

fn scenario(inputs: Vec<UncertainInput>, budgets: Vec<Budget>) -> headroom::ValidScenario {
    let cat = Catalog::builtin();
    let mut s = load_scenario(headroom::SEED_SCENARIO, cat).unwrap().into_inner();
    s.variants.truncate(2);
    s.reference_estimates.retain(|r| s.variants.iter().any(|v| v.name == r.variant));
    s.uncertainty.inputs = inputs;
    s.uncertainty.budgets = budgets;
    headroom::validate(s, cat).unwrap()
}

fn growth_only() -> Vec<UncertainInput> {
    vec![UncertainInput { path: "demand.annual_growth".into(), dist: Dist::Normal { mean: 0.2, sd: 0.05 } }]
}

#[test]
fn growth_spread_and_budget_exceedance() {
    let cat = Catalog::builtin();
    // The deterministic plan (growth 0.2): its last fiscal year's cost is the median path's, so
    // a budget at exactly that is exceeded on about half the paths.
    let base = scenario(vec![], vec![]);
    let det = headroom::plan(&base, cat);
    let fy = det.variants[0].fiscal_years.last().unwrap();
    let s = scenario(
        growth_only(),
        vec![Budget { fiscal_year: fy.label(), usd: fy.amortised_usd, variant: Some(det.variants[0].name.clone()) }],
    );
    let r = montecarlo::run(&s, cat, Some(400), &[10.0, 50.0, 90.0], &|_| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!((r.paths, r.rejected), (400, 0));
    // Users in month 60: 1000 × (1 + g)^(59/12); the median path has the median growth, 0.2 ±
    // sampling error (sd 0.05 × 1.25 / √400 = 0.003) → within 3 % of 1000 × 1.2^(59/12).
    let p50 = r.users[59].at(50.0).unwrap();
    let expect = 1000.0 * 1.2f64.powf(59.0 / 12.0);
    assert!((p50 / expect - 1.0).abs() < 0.03, "{p50} vs {expect}");
    assert!(r.users[59].at(10.0).unwrap() < p50 && p50 < r.users[59].at(90.0).unwrap());
    assert_eq!(r.users[0].at(10.0), Some(1000.0), "month 1 is certain");
    let b = r.variants[0].fiscal_years.last().unwrap();
    let p = b.p_exceed.unwrap();
    assert!((p - 0.5).abs() < 0.1, "{p}");
    assert!(r.variants[1].fiscal_years.iter().all(|f| f.p_exceed.is_none()), "budget for one variant only");
}

#[test]
fn same_seed_same_answer_on_any_thread_count() {
    let cat = Catalog::builtin();
    let s = scenario(growth_only(), vec![]);
    let run = |threads| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        let r =
            pool.install(|| montecarlo::run(&s, cat, Some(40), &[5.0, 50.0, 95.0], &|_| {}, &AtomicBool::new(false)));
        serde_json::to_string(&r.unwrap()).unwrap()
    };
    assert_eq!(run(1), run(3));
    // Cancelled: nothing, and said so.
    assert_eq!(
        montecarlo::run(&s, cat, Some(40), &[50.0], &|_| {}, &AtomicBool::new(true)).unwrap_err(),
        montecarlo::McError::Cancelled
    );
}

#[test]
fn rejected_draws_and_uncertain_prices() {
    // The seed's own three inputs, plus a rejected share (users around 0).
    let cat = Catalog::builtin();
    let mut s = load_scenario(headroom::SEED_SCENARIO, cat).unwrap().into_inner();
    s.uncertainty
        .inputs
        .push(UncertainInput { path: "demand.concurrent_users".into(), dist: Dist::Normal { mean: 900.0, sd: 600.0 } });
    let s = headroom::validate(s, cat).unwrap();
    let r = montecarlo::run(&s, cat, Some(60), &[10.0, 50.0, 90.0], &|_| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!(r.engine, "one evaluator");
    assert!(r.rejected > 0 && r.rejected < 20, "{}", r.rejected);
    assert!(r.first_rejection.as_ref().unwrap().contains("demand.concurrent_users"));
    // An uncertain price compiles a program per path, and it says so: a $1,000–2,000 extra
    // item drawn alone moves every month of every variant by the draw minus the $1,500 written.
    let mut t = s.scenario().clone();
    t.pricing.extra_items.push(headroom::scenario::model::ExtraItem {
        name: "Support".into(),
        category: headroom::scenario::model::Category::Other,
        monthly_usd: 1500.0,
        source: "test".into(),
        variants: vec![],
        aws_charge: false,
    });
    t.uncertainty.inputs = vec![UncertainInput {
        path: "pricing.extra_items[0].monthly_usd".into(),
        dist: Dist::Uniform { min: 1000.0, max: 2000.0 },
    }];
    let t = headroom::validate(t, cat).unwrap();
    let r = montecarlo::run(&t, cat, Some(40), &[0.0, 100.0], &|_| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!(r.engine, "one evaluator, prices per path");
    let mut st = t.scenario().clone();
    st.cluster.autoscaling.simulate = false;
    let det = headroom::engine::plan::plan_costs(&headroom::validate(st, cat).unwrap(), cat);
    for (v, d) in r.variants.iter().zip(&det.variants) {
        let (lo, hi) = (v.cost[0].at(0.0).unwrap(), v.cost[0].at(100.0).unwrap());
        let base = d.months[0].total_usd - 1500.0;
        assert!(lo >= base + 1000.0 - 1e-6 && hi <= base + 2000.0 + 1e-6 && hi - lo > 500.0, "{lo} {hi} {base}");
    }
}

#[test]
fn draws_outside_a_fields_range_are_rejected_and_counted() {
    let cat = Catalog::builtin();
    // Users drawn around 0: about half negative, which validation refuses.
    let s = scenario(
        vec![UncertainInput { path: "demand.concurrent_users".into(), dist: Dist::Normal { mean: 2.0, sd: 10.0 } }],
        vec![],
    );
    let r = montecarlo::run(&s, cat, Some(60), &[50.0], &|_| {}, &AtomicBool::new(false)).unwrap();
    assert!(r.rejected > 10 && r.rejected < 50, "{}", r.rejected);
    assert!(r.first_rejection.unwrap().starts_with("demand.concurrent_users: must be between 1 and 100000000"));
}

#[test]
fn bad_uncertainty_is_refused_with_paths() {
    let cat = Catalog::builtin();
    let mut s = load_scenario(headroom::SEED_SCENARIO, cat).unwrap().into_inner();
    s.uncertainty.inputs = vec![
        UncertainInput { path: "demand.nope".into(), dist: Dist::Uniform { min: 0.0, max: 1.0 } },
        UncertainInput { path: "meta.name".into(), dist: Dist::Uniform { min: 0.0, max: 1.0 } },
        UncertainInput {
            path: "demand.annual_growth".into(),
            dist: Dist::Triangular { min: 0.3, mode: 0.2, max: 0.1 },
        },
        UncertainInput { path: "meta.horizon_months".into(), dist: Dist::Uniform { min: 24.0, max: 60.0 } },
    ];
    s.uncertainty.confidence = 1.0;
    let p: Vec<String> = headroom::validate(s, cat).unwrap_err().iter().map(ToString::to_string).collect();
    assert!(p.contains(&"uncertainty.confidence: must be at least 0.5 and below 1, found 1".to_string()), "{p:?}");
    assert!(p.contains(&"uncertainty.inputs[0].path: demand.nope: no such field".to_string()), "{p:?}");
    assert!(p.contains(&"uncertainty.inputs[1].path: meta.name: not a number".to_string()), "{p:?}");
    // Paths with fewer months could not be compared month by month.
    assert!(
        p.contains(
            &"uncertainty.inputs[3].path: cannot draw the plan's calendar (horizon, fiscal year start)".to_string()
        ),
        "{p:?}"
    );
    assert!(
        p.contains(
            &"uncertainty.inputs[2].dist: needs min < max and min ≤ mode ≤ max, found 0.3, 0.2, 0.1".to_string()
        ),
        "{p:?}"
    );
}

#[test]
fn swings_put_each_input_alone_at_its_p10_and_p90() {
    let cat = Catalog::builtin();
    // Growth Uniform(0.10, 0.30): P10 = 0.12 and P90 = 0.28 by hand (0.10 + 0.20 p). Users
    // Uniform(-1000, 3000): P10 = -600 is not a valid user count, so that end has no plan.
    // Static sizing (no simulated days): every figure is the full planner's at that value.
    let s = scenario(
        vec![
            UncertainInput { path: "demand.annual_growth".into(), dist: Dist::Uniform { min: 0.1, max: 0.3 } },
            UncertainInput {
                path: "demand.concurrent_users".into(),
                dist: Dist::Uniform { min: -1000.0, max: 3000.0 },
            },
        ],
        vec![],
    );
    let mut st = s.scenario().clone();
    st.cluster.autoscaling.simulate = false;
    let s = headroom::validate(st, cat).unwrap();
    let r = montecarlo::run(&s, cat, Some(10), &[50.0], &|_| {}, &AtomicBool::new(false)).unwrap();
    // The same figures from the full planner, field set by hand.
    let plan_at = |path: &str, value: &str| {
        let t = headroom::scenario::edit::set_field(s.scenario(), path, value).unwrap();
        headroom::engine::plan::plan_costs(&headroom::validate(t, cat).unwrap(), cat)
    };
    let written = plan_at("demand.annual_growth", "0.2");
    let low = plan_at("demand.annual_growth", "0.12");
    let high = plan_at("demand.annual_growth", "0.28");
    let users_high = plan_at("demand.concurrent_users", "2600");
    for (v, vb) in r.variants.iter().enumerate() {
        assert_eq!(vb.horizon_usd, written.variants[v].total_usd);
        let g = vb.swings.iter().find(|w| w.input == "demand.annual_growth").unwrap();
        assert!((g.low_value - 0.12).abs() < 1e-12 && (g.high_value - 0.28).abs() < 1e-12, "{g:?}");
        let (lo, hi) = (g.low_usd.unwrap(), g.high_usd.unwrap());
        assert!((lo - low.variants[v].total_usd).abs() < 1e-6 * lo, "{lo}");
        assert!((hi - high.variants[v].total_usd).abs() < 1e-6 * hi, "{hi}");
        assert!(lo < vb.horizon_usd && vb.horizon_usd < hi);
        let u = vb.swings.iter().find(|w| w.input == "demand.concurrent_users").unwrap();
        assert_eq!((u.low_value.round(), u.high_value.round()), (-600.0, 2600.0));
        assert_eq!(u.low_usd, None);
        assert!((u.high_usd.unwrap() - users_high.variants[v].total_usd).abs() < 1e-6 * vb.horizon_usd);
        // Largest swing first; one end missing counts as no swing.
        assert_eq!(vb.swings[0].input, "demand.annual_growth");
        assert_eq!(u.width(), 0.0);
    }
    let text = headroom::output::render::simulate_table(&r);
    assert!(text.contains("demand.concurrent_users"), "{text}");
    assert!(text.contains("-600 … 2600: out of range … +$"), "{text}");
}

#[test]
fn how_often_each_variant_is_cheapest_among_complete_ones() {
    let cat = Catalog::builtin();
    // The seed without its on-prem cost inputs: the two on-prem variants have unpriced lines
    // (their known amounts, AWS backups only, are the lowest of all) and must never count as
    // cheapest; the four AWS variants are complete.
    let mut sc = headroom::parse_scenario(headroom::SEED_SCENARIO).unwrap();
    sc.finance.onprem = None;
    sc.uncertainty.inputs.retain(|i| !i.path.starts_with("finance.onprem"));
    let s = headroom::scenario::validate::validate(sc, cat).unwrap();
    let r = montecarlo::run(&s, cat, Some(60), &[50.0], &|_| {}, &AtomicBool::new(false)).unwrap();
    let v = |name: &str| r.variants.iter().find(|v| v.name == name).unwrap();
    let det = headroom::plan(&s, cat);
    let onprem = det.variants.iter().find(|v| v.name == "onprem-backup-s3").unwrap();
    let lowest_known = det.variants.iter().min_by(|a, b| a.total_usd.total_cmp(&b.total_usd)).unwrap();
    assert_eq!(lowest_known.name, "onprem-backup-s3", "the trap: the incomplete variant has the lowest known total");
    assert!(!onprem.completeness.complete);
    // Not ranked: no share, its status says why.
    assert_eq!(v("onprem-backup-s3").p_cheapest, None);
    assert_eq!(v("hybrid-onprem-primary").p_cheapest, None);
    assert_eq!(v("onprem-backup-s3").unpriced_lines, onprem.completeness.unpriced.len());
    assert_eq!(
        v("onprem-backup-s3").status,
        format!("cannot rank: {} lines unpriced", onprem.completeness.unpriced.len())
    );
    // Among the complete ones, backup-and-restore (one region's stack and backups) is the
    // cheapest on every path; active-active (two full stacks) never is. The shares add to one.
    assert_eq!(v("aws-backup-restore").p_cheapest, Some(1.0));
    assert_eq!(v("aws-active-active").p_cheapest, Some(0.0));
    let sum: f64 = r.variants.iter().filter_map(|v| v.p_cheapest).sum();
    assert!((sum - 1.0).abs() < 1e-12);
    let text = headroom::output::render::simulate_table(&r);
    assert!(text.contains("cheapest variant with complete costs over the 60 months on 100.0 % of paths"), "{text}");
    assert!(
        text.contains(&format!(
            "cannot rank: {} lines unpriced: not in the cheapest-variant count",
            onprem.completeness.unpriced.len()
        )),
        "{text}"
    );
}

/// One total per scenario: with every uncertain input narrowed to its point value, each
/// variant's Monte Carlo total is the plan's (nodes billed from the simulated days, as the plan
/// bills them), well within the 0.5 % the issue allows.
#[test]
fn point_values_give_the_plans_totals() {
    let cat = Catalog::builtin();
    let mut s = load_scenario(headroom::SEED_SCENARIO, cat).unwrap().into_inner();
    assert!(s.cluster.autoscaling.simulate);
    let paths: Vec<String> = s.uncertainty.inputs.iter().map(|i| i.path.clone()).collect();
    let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
    let written = headroom::scenario::edit::NumberSetter::new(&s, &refs).unwrap().values();
    for (i, x) in s.uncertainty.inputs.iter_mut().zip(written) {
        i.dist = Dist::Uniform { min: x, max: x + x.abs() * 1e-12 + 1e-15 };
    }
    let s = headroom::validate(s, cat).unwrap();
    let plan = headroom::plan(&s, cat);
    let r = montecarlo::run(&s, cat, Some(8), &[50.0], &|_| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!(r.rejected, 0);
    assert!(r.sizing.starts_with("nodes billed as the plan bills them"), "{}", r.sizing);
    for (v, p) in r.variants.iter().zip(&plan.variants) {
        // The "as written" total is the plan's, to the bit.
        assert_eq!(v.horizon_usd, p.total_usd, "{}", v.name);
        let mc: f64 = v.cost.iter().map(|b| b.mean).sum();
        assert!((mc / p.total_usd - 1.0).abs() < 1e-6, "{}: {mc} vs {}", v.name, p.total_usd);
        for (b, m) in v.cost.iter().zip(&p.months) {
            assert!((b.mean - m.total_usd).abs() < 1e-6 * m.total_usd, "{} {}", v.name, m.month);
        }
    }
}

#[test]
fn streamed_percentiles_stay_within_the_sketch_accuracy_and_chunks_change_nothing() {
    let cat = Catalog::builtin();
    let mut s = load_scenario(headroom::SEED_SCENARIO, cat).unwrap().into_inner();
    s.meta.horizon_months = 24;
    let s = headroom::validate(s, cat).unwrap();
    // 401 paths: the 10th, 50th and 90th percentiles then fall on order statistics (h = 40,
    // 200, 360 exactly), where the exact value and the sketch's rank are the same path.
    let ps = [0.0, 10.0, 50.0, 90.0, 100.0];
    let go =
        |memory| montecarlo::run_within(&s, cat, Some(401), &ps, &|_| {}, &AtomicBool::new(false), memory).unwrap();
    let exact = go(montecarlo::Memory::default());
    assert!(exact.exact_percentiles && exact.rejected == 0);
    // Chunks of 64 paths folded one after another: the same report, to the bit.
    let chunked = go(montecarlo::Memory { chunk_values: 1, ..Default::default() });
    assert_eq!(serde_json::to_string(&exact).unwrap(), serde_json::to_string(&chunked).unwrap());
    // Nothing kept: every figure streams.
    let streamed = go(montecarlo::Memory { exact_values: 0, chunk_values: 1 });
    assert!(!streamed.exact_percentiles);
    assert!(render::mc_summary(&streamed).contains("DDSketch"));
    let alpha = montecarlo::SKETCH_ALPHA;
    let near = |a: &montecarlo::Band, b: &montecarlo::Band, what: &str| {
        assert_eq!(a.mean.to_bits(), b.mean.to_bits(), "{what}: the mean is a sum in path order either way");
        for ((p, x), (_, y)) in a.percentiles.iter().zip(&b.percentiles) {
            assert!((x - y).abs() <= alpha * x.abs() + 1e-9, "{what} P{p}: exact {x}, streamed {y}");
        }
    };
    for (m, (a, b)) in exact.users.iter().zip(&streamed.users).enumerate() {
        near(a, b, &format!("users month {}", m + 1));
    }
    let mut spread = 0;
    for (a, b) in exact.variants.iter().zip(&streamed.variants) {
        for (m, (x, y)) in a.cost.iter().zip(&b.cost).enumerate() {
            near(x, y, &format!("{} cost month {}", a.name, m + 1));
            spread += usize::from(x.at(90.0) > x.at(10.0));
        }
        for (x, y) in a.nodes.iter().zip(&b.nodes) {
            near(x, y, &format!("{} nodes", a.name));
        }
        for (x, y) in a.fiscal_years.iter().zip(&b.fiscal_years) {
            near(&x.cost, &y.cost, &x.label);
            assert_eq!(x.p_exceed, y.p_exceed, "{}: counted, not sketched", x.label);
        }
        assert_eq!(
            (a.p_cheapest, a.capacity_limit_month, a.p_capacity_limit),
            (b.p_cheapest, b.capacity_limit_month, b.p_capacity_limit)
        );
    }
    assert!(spread > 50, "the draws spread the costs ({spread} months), so the check has teeth");
}
