//! Monte Carlo paths (issues #7, #14). Goal: 10 000 paths × 60 months for the seed, static
//! sizing, ≤ 1 s on the 2-core machine (`seed_10000_paths`, on rayon's default pool). The others
//! take a path apart on one thread: setting the drawn values and validating, the evaluator with
//! the summing sink (`sum_eval`), and the same scenario planned with the recording sink
//! (`record_plan`).

use std::sync::atomic::AtomicBool;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use headroom::engine::plan::{NodeBasis, Scratch, path_totals, plan_costs};
use headroom::engine::program::Program;
use headroom::scenario::edit::NumberSetter;
use headroom::uncertainty::montecarlo;
use headroom::{Catalog, load_scenario};

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

    // One path, one thread, billing nodes as the Monte Carlo does (the plan's ratios).
    let ratios = std::sync::Arc::new(headroom::engine::plan::node_hour_ratios(&plan_costs(&s, cat)));
    let mut base = s.scenario().clone();
    base.uncertainty.inputs.clear();
    let base = headroom::validate(base, cat).unwrap();
    let paths: Vec<&str> = s.uncertainty.inputs.iter().map(|i| i.path.as_str()).collect();
    let setter = NumberSetter::new(&base, &paths).unwrap();
    let prog = Program::compile(&base, cat);
    let mut vs = base.clone();
    let mut scratch = Scratch::default();
    // Growth, requests, API CPU, then the six on-prem cost inputs.
    let draws = [
        [0.18, 0.14, 15.0, 10_000.0, 17_000.0, 550.0, 0.12, 140.0, 0.45],
        [0.27, 0.2, 19.0, 13_000.0, 21_000.0, 800.0, 0.16, 220.0, 0.7],
    ];
    let mut i = 0;
    let mut g = c.benchmark_group("monte_carlo_path");
    g.throughput(Throughput::Elements(1));
    g.bench_function("set_and_validate", |b| {
        b.iter(|| {
            i += 1;
            vs.set_numbers(&setter, &draws[i % 2], cat).unwrap();
        })
    });
    g.bench_function("sum_eval", |b| b.iter(|| path_totals(&prog, &vs, cat, NodeBasis::Ratios(&ratios), &mut scratch)));
    g.bench_function("record_plan", |b| b.iter(|| plan_costs(&vs, cat)));
    g.bench_function("compile", |b| b.iter(|| Program::compile(&vs, cat)));
    g.finish();
}

criterion_group!(benches, paths);
criterion_main!(benches);
