use std::sync::atomic::Ordering::Relaxed;
fn main() {
    let c = headroom::Catalog::builtin();
    let s = headroom::load_scenario(headroom::SEED_SCENARIO, c).unwrap();
    let t = std::time::Instant::now();
    headroom::plan(&s, c);
    println!(
        "{:?}/plan slow {} fast {}",
        t.elapsed(),
        headroom::autoscale::SLOW.load(Relaxed),
        headroom::autoscale::FAST.load(Relaxed)
    );
    let (svcs, pools) = headroom::plan::sim_specs(&s, c);
    let a = &s.cluster.autoscaling;
    let p = headroom::autoscale::Params::from_model(a);
    let sh = headroom::autoscale::LoadShaper::new(
        &s.demand.diurnal,
        None,
        a.variation,
        a.variation_minutes,
        s.simulation.seed,
    );
    let mut shape = Vec::new();
    for m in [0u64, 30, 59] {
        sh.month(m, &mut shape);
        for load in [1.0, 0.5] {
            headroom::autoscale::SLOW.store(0, Relaxed);
            headroom::autoscale::FAST.store(0, Relaxed);
            let t = std::time::Instant::now();
            let peak = 1000.0 * 1.2f64.powf(m as f64 / 12.0) * 0.15 * load;
            let r = headroom::autoscale::simulate(&svcs, &pools, p, peak, &shape, false);
            println!(
                "m{m} load {load}: {:?} slow {} fast {} nodes {:?}",
                t.elapsed(),
                headroom::autoscale::SLOW.load(Relaxed),
                headroom::autoscale::FAST.load(Relaxed),
                r.pools[0]
            );
        }
    }
}
