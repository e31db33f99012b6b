//! Monte Carlo paths (issue #7). Goal: 10 000 paths × 60 months for the seed, static sizing,
//! ≤ 1 s on the 2-core machine. Each path currently runs the full planner; criterion reports
//! paths per second.

use std::sync::atomic::AtomicBool;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use headroom::{Catalog, load_scenario, montecarlo};

fn paths(c: &mut Criterion) {
    let cat = Catalog::builtin();
    let s = load_scenario(headroom::SEED_SCENARIO, cat).unwrap();
    let n = 100;
    let mut g = c.benchmark_group("monte_carlo");
    g.throughput(Throughput::Elements(u64::from(n)));
    g.sample_size(10);
    g.bench_function("seed_100_paths", |b| {
        b.iter(|| montecarlo::run(&s, cat, Some(n), &[10.0, 50.0, 90.0], &|_| {}, &AtomicBool::new(false)))
    });
    g.finish();
}

criterion_group!(benches, paths);
criterion_main!(benches);
