//! The autoscaling day simulation (issue #8). Goals: one month's day of the seed (3 services,
//! 1 pool, 5 s ticks, HPA every 15 s, cluster autoscaler every 10 s) in tens of microseconds, so
//! that the whole 60-month projection of every variant with its day simulations stays ≤ 16 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use headroom::engine::autoscale;
use headroom::{Catalog, load_scenario, plan};
use std::hint::black_box;

fn day(c: &mut Criterion) {
    let catalog = Catalog::builtin();
    let s = load_scenario(headroom::SEED_SCENARIO, catalog).unwrap();
    // Month 60 of the primary site: the busiest day of the plan.
    let (svcs, pools) = headroom::engine::plan::sim_specs(&s, catalog);
    let a = &s.cluster.autoscaling;
    let params = autoscale::Params::from_model(a);
    let shaper =
        autoscale::LoadShaper::new(&s.demand.diurnal, None, a.variation, a.variation_minutes, s.simulation.seed);
    let mut shape = Vec::new();
    shaper.month(59, &mut shape);
    let peak = 1000.0 * 1.2f64.powi(5) * 0.85 * s.workload.peak_requests_per_user_per_s;
    c.bench_function("day_simulation_seed_month_60", |b| {
        b.iter(|| autoscale::simulate(&svcs, &pools, params, black_box(peak), &shape, false))
    });
    c.bench_function("load_shape_one_day", |b| b.iter(|| shaper.month(black_box(59), &mut shape)));
    c.bench_function("seed_projection_with_day_simulation", |b| b.iter(|| plan(black_box(&s), catalog)));
    let mut t = s.scenario().clone();
    t.cluster.autoscaling.simulate = false;
    let t = headroom::validate(t, catalog).unwrap();
    c.bench_function("seed_projection_static_sizing", |b| b.iter(|| plan(black_box(&t), catalog)));
}

criterion_group!(benches, day);
criterion_main!(benches);
