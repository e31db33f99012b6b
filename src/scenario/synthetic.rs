//! Larger scenarios built from a smaller one, for the scaling benchmark and tests: more services
//! (copies of the base's, the request mix kept), more variants (copies, renamed) and a longer
//! horizon, with the node pools' ceilings raised so the extra pods fit.

use crate::scenario::model::Scenario;

/// `base` with `services` services, `variants` variants and `months` months (the base's, repeated
/// in order and renamed `NAME-k`). Request shares are rescaled so the mix adds up as the base's.
pub fn scaled(base: &Scenario, services: usize, variants: usize, months: u32) -> Scenario {
    let mut s = base.clone();
    s.meta.horizon_months = months;
    let n0 = base.workload.services.len().max(1);
    let share0: f64 = base.workload.services.iter().map(|x| x.request_share).sum();
    s.workload.services = (0..services)
        .map(|i| {
            let mut x = base.workload.services[i % n0].clone();
            if i >= n0 {
                x.name = format!("{}-{}", x.name, i / n0);
            }
            x
        })
        .collect();
    let share: f64 = s.workload.services.iter().map(|x| x.request_share).sum();
    if share > 0.0 {
        for x in &mut s.workload.services {
            x.request_share *= share0 / share;
        }
    }
    let v0 = base.variants.len().max(1);
    s.variants = (0..variants)
        .map(|i| {
            let mut v = base.variants[i % v0].clone();
            if i >= v0 {
                v.name = format!("{}-{}", v.name, i / v0);
            }
            v
        })
        .collect();
    let grow = (services as f64 / n0 as f64).ceil() as u32;
    for p in &mut s.cluster.node_pools {
        p.max_nodes = p.max_nodes.saturating_mul(grow.max(1)).min(1000);
    }
    // Budget lines past the base's horizon keep their years; a longer horizon simply has more.
    s
}
