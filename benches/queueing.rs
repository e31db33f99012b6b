//! The request-level simulation (issue #7). Goal: ≥ 20 million simulated requests per second on
//! one core (criterion reports the throughput in elements = requests).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use headroom::engine::queueing::{self, DesInput, ServiceTime};
use std::hint::black_box;

fn des(c: &mut Criterion) {
    // The seed's api at month 60: ~190 requests/s; here a busier hour (5000 requests/s of 16 ms
    // on 100 servers, ρ = 0.8) so one run is long enough to time: 60 s → 300 000 requests.
    let input = DesInput {
        lambda: 5000.0,
        mean_service_s: 0.016,
        service: ServiceTime::Exponential,
        servers: 100,
        duration_s: 60.0,
        warmup_s: 0.0,
        burst: None,
        seed: 1,
    };
    let n = queueing::simulate(&input).unwrap().requests;
    let mut g = c.benchmark_group("des");
    g.throughput(Throughput::Elements(n));
    g.bench_function("mmc_100_servers", |b| b.iter(|| queueing::simulate(black_box(&input))));
    let few = DesInput { servers: 10, lambda: 500.0, duration_s: 600.0, ..input.clone() };
    g.bench_function("mmc_10_servers", |b| b.iter(|| queueing::simulate(black_box(&few))));
    g.finish();
    c.bench_function("erlang_c_100_servers", |b| b.iter(|| queueing::erlang_c(black_box(100), black_box(80.0))));
}

criterion_group!(benches, des);
criterion_main!(benches);
