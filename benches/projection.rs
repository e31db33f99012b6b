//! Full projection of the seed scenario with static peak sizing (the autoscaling simulation
//! off): all 60 months, all variants. Goal (issue #2): well under 1 ms. With the day
//! simulations: `benches/autoscale.rs`.

use criterion::{Criterion, criterion_group, criterion_main};
use headroom::output::export::{ExportFormat, export};
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

/// The scale goal (issue #17): a generated scenario of 50 services × 20 variants × 240 months
/// (the seed's, repeated; its simulated days on) plans within 2 s on this machine, about linearly
/// in variants × months × services.
fn scale(c: &mut Criterion) {
    let catalog = Catalog::builtin();
    let base = headroom::parse_scenario(headroom::SEED_SCENARIO).unwrap();
    let mut g = c.benchmark_group("scale");
    g.sample_size(10);
    for (services, variants, months) in [(50, 20, 240), (10, 20, 240), (50, 5, 240)] {
        let s = headroom::scenario::synthetic::scaled(&base, services, variants, months);
        let s = headroom::validate(s, catalog).unwrap();
        g.bench_function(format!("plan_{services}_services_{variants}_variants_{months}_months"), |b| {
            b.iter(|| plan(black_box(&s), catalog))
        });
    }
    g.finish();
    // The exports of the largest one (issue #17: HTML and XLSX of it ran past a minute).
    let s = headroom::scenario::synthetic::scaled(&base, 50, 20, 240);
    let s = headroom::validate(s, catalog).unwrap();
    let r = plan(&s, catalog);
    let mut g = c.benchmark_group("scale_export");
    g.sample_size(10);
    for f in ExportFormat::ALL {
        g.bench_function(format!("{f:?}_50_services_20_variants_240_months"), |b| {
            b.iter(|| export(black_box(&r), f).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, projection, scale);
criterion_main!(benches);
