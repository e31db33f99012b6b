//! Full projection of the seed scenario with static peak sizing (the autoscaling simulation
//! off): all 60 months, all variants. Goal (issue #2): well under 1 ms. With the day
//! simulations: `benches/autoscale.rs`.

use criterion::{Criterion, criterion_group, criterion_main};
use headroom::{Catalog, load_scenario, plan};
use std::hint::black_box;

fn projection(c: &mut Criterion) {
    let catalog = Catalog::builtin();
    let mut t = load_scenario(headroom::SEED_SCENARIO, catalog).unwrap().into_inner();
    t.cluster.autoscaling.simulate = false;
    let s = headroom::validate(t, catalog).unwrap();
    c.bench_function("seed_projection_60_months_all_variants", |b| b.iter(|| plan(black_box(&s), catalog)));
    // The seed's first two variants (the scope the issue-2 goal was set for), and one variant.
    for n in [2, 1] {
        let mut t = s.scenario().clone();
        t.variants.truncate(n);
        t.reference_estimates.retain(|r| t.variants.iter().any(|v| v.name == r.variant));
        let t = headroom::validate(t, catalog).unwrap();
        c.bench_function(&format!("seed_projection_60_months_{n}_variants"), |b| {
            b.iter(|| plan(black_box(&t), catalog))
        });
    }
    c.bench_function("seed_parse_and_validate", |b| {
        b.iter(|| load_scenario(black_box(headroom::SEED_SCENARIO), catalog).unwrap())
    });
}

criterion_group!(benches, projection);
criterion_main!(benches);
