//! Monte Carlo paths (issue #7). Goal: 10 000 paths × 60 months for the seed, static sizing,
//! ≤ 1 s on the 2-core machine (`seed_10000_paths`, on rayon's default pool). The other two
//! take a path apart on one thread: setting the drawn values and validating, then the lean
//! evaluation or the full planner.

use std::sync::atomic::AtomicBool;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use headroom::edit::NumberSetter;
use headroom::lean::{self, Lean, Scratch};
use headroom::{Catalog, load_scenario, montecarlo};

fn paths(c: &mut Criterion) {
    let cat = Catalog::builtin();
    let s = load_scenario(headroom::SEED_SCENARIO, cat).unwrap();
    let mut g = c.benchmark_group("monte_carlo");
    g.sample_size(10);
    g.throughput(Throughput::Elements(10_000));
    g.bench_function("seed_10000_paths", |b| {
        b.iter(|| {
            montecarlo::run(&s, cat, Some(10_000), &[10.0, 50.0, 90.0], &|_| {}, &AtomicBool::new(false)).unwrap()
        })
    });
    g.finish();

    // One path, one thread.
    let mut base = s.scenario().clone();
    base.cluster.autoscaling.simulate = false;
    base.uncertainty.inputs.clear();
    let base = headroom::validate(base, cat).unwrap();
    let paths: Vec<&str> = s.uncertainty.inputs.iter().map(|i| i.path.as_str()).collect();
    let setter = NumberSetter::new(&base, &paths).unwrap();
    let lean = Lean::new(&base, cat);
    let mut vs = base.clone();
    let mut scratch = Scratch::default();
    let draws = [[0.18, 0.14, 15.0], [0.27, 0.2, 19.0]];
    let mut i = 0;
    let mut g = c.benchmark_group("monte_carlo_path");
    g.throughput(Throughput::Elements(1));
    g.bench_function("set_and_validate", |b| {
        b.iter(|| {
            i += 1;
            vs.set_numbers(&setter, &draws[i % 2], cat).unwrap();
        })
    });
    g.bench_function("lean_eval", |b| b.iter(|| lean.eval(&vs, cat, &mut scratch)));
    g.bench_function("full_planner", |b| b.iter(|| lean::plan_totals(&vs, cat)));
    g.finish();
}

criterion_group!(benches, paths);
criterion_main!(benches);
