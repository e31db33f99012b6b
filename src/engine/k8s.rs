//! Node allocatable (the EKS formula) and first-fit-decreasing bin packing of pod requests.
//!
//! Source: `awslabs/amazon-eks-ami` `nodeadm/internal/kubelet/config.go` as quoted in
//! `../shared/reference/hpa-and-cluster-autoscaler.md` §2.5.

use serde::Serialize;

use crate::catalog::Ec2Spec;

/// kubelet `evictionHard memory.available` on EKS, MiB.
pub const EVICTION_HARD_MIB: f64 = 100.0;

/// EKS default maxPods: `ENIs × (IPv4 per ENI − 1) + 2` (nodeadm's ENI formula; every catalog
/// type carries its ENI data, so nodeadm's 110-pod fallback never applies).
pub fn eks_max_pods(spec: &Ec2Spec) -> u32 {
    let (enis, ips) = spec.enis;
    enis.saturating_mul(ips.saturating_sub(1)).saturating_add(2)
}

/// kube-reserved CPU, millicores: 6 % of the first core, 1 % of the second, 0.5 % of cores 3–4,
/// 0.25 % of every core above 4 (integer arithmetic as in nodeadm).
pub fn eks_reserved_cpu_m(vcpu: u32) -> u32 {
    let total = vcpu * 1000;
    let ranges = [(0, 1000, 600), (1000, 2000, 100), (2000, 4000, 50), (4000, u32::MAX, 25)];
    ranges
        .iter()
        .filter(|(start, _, _)| total > *start)
        .map(|(start, end, bp)| (total.min(*end) - start) * bp / 10_000)
        .sum()
}

/// kube-reserved memory, MiB: `11 × maxPods + 255`.
pub fn eks_reserved_memory_mib(max_pods: u32) -> u32 {
    11 * max_pods + 255
}

/// What the scheduler can place on one node.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Allocatable {
    pub cpu_m: f64,
    pub memory_mib: f64,
    pub pods: u32,
}

/// Allocatable of an EKS node: capacity − kube-reserved − eviction threshold (no
/// system-reserved on EKS). Capacity is the nominal instance size; the kubelet reports MemTotal,
/// a little lower.
pub fn eks_allocatable(spec: &Ec2Spec, max_pods: Option<u32>) -> Allocatable {
    let pods = max_pods.unwrap_or_else(|| eks_max_pods(spec));
    Allocatable {
        cpu_m: f64::from(spec.vcpu * 1000 - eks_reserved_cpu_m(spec.vcpu)),
        memory_mib: spec.memory_gib * 1024.0 - f64::from(eks_reserved_memory_mib(pods)) - EVICTION_HARD_MIB,
        pods,
    }
}

/// A group of identical pods to place.
#[derive(Debug, Clone, PartialEq)]
pub struct PodGroup {
    pub cpu_m: f64,
    pub memory_mib: f64,
    pub count: u32,
}

/// Result of packing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Packing {
    /// Nodes opened.
    pub nodes: u32,
    /// Pods that fit on no empty node (larger than a node's free allocatable).
    pub unplaceable: u32,
    pub cpu_requested_m: f64,
    pub memory_requested_mib: f64,
}

/// First-fit decreasing: pods sorted by their largest share of a node (CPU or memory), each put
/// on the first open node with room (CPU, memory and a pod slot), a new node opened when none
/// has. `capacity` is what one node offers to these pods (allocatable minus DaemonSets).
/// Deterministic: ties keep the input order.
pub fn pack_ffd(groups: &[PodGroup], capacity: Allocatable) -> Packing {
    let mut order = Vec::new();
    ffd_order(groups, capacity, &mut order);
    pack_in_order(groups, &order, capacity, &mut Vec::new())
}

/// The order [`pack_ffd`] places `groups` in: the largest share of a node first, ties in input
/// order. It depends on the pods' sizes, not their counts, so callers that pack the same shapes
/// again and again (the Monte Carlo paths) sort once.
pub fn ffd_order(groups: &[PodGroup], capacity: Allocatable, order: &mut Vec<usize>) {
    let share = |g: &PodGroup| (g.cpu_m / capacity.cpu_m).max(g.memory_mib / capacity.memory_mib);
    order.clear();
    order.extend(0..groups.len());
    order.sort_by(|&a, &b| share(&groups[b]).total_cmp(&share(&groups[a])));
}

/// First-fit decreasing in a given order (from [`ffd_order`]); `free` is scratch space for the
/// open nodes' free (CPU, memory, pod slots).
pub fn pack_in_order(
    groups: &[PodGroup],
    order: &[usize],
    capacity: Allocatable,
    free: &mut Vec<(f64, f64, u32)>,
) -> Packing {
    free.clear();
    let mut out = Packing::default();
    const EPS: f64 = 1e-9;
    for &gi in order {
        let g = &groups[gi];
        if g.cpu_m > capacity.cpu_m + EPS || g.memory_mib > capacity.memory_mib + EPS || capacity.pods == 0 {
            out.unplaceable += g.count;
            continue;
        }
        out.cpu_requested_m += g.cpu_m * f64::from(g.count);
        out.memory_requested_mib += g.memory_mib * f64::from(g.count);
        let mut first = 0; // nodes before `first` cannot take a pod of this group any more
        for _ in 0..g.count {
            let slot = free[first..]
                .iter()
                .position(|&(c, m, p)| c + EPS >= g.cpu_m && m + EPS >= g.memory_mib && p > 0)
                .map(|i| i + first);
            let i = match slot {
                Some(i) => i,
                None => {
                    free.push((capacity.cpu_m, capacity.memory_mib, capacity.pods));
                    free.len() - 1
                }
            };
            first = i;
            let f = &mut free[i];
            f.0 -= g.cpu_m;
            f.1 -= g.memory_mib;
            f.2 -= 1;
        }
    }
    out.nodes = free.len() as u32;
    out
}

/// Fewest nodes `n ≥ packed` spread evenly over `zones` such that losing the largest zone
/// (`⌈n / zones⌉` nodes) still leaves `packed` nodes.
pub fn nodes_surviving_zone_loss(packed: u32, zones: u32) -> u32 {
    if zones < 2 || packed == 0 {
        return packed;
    }
    let mut n = packed;
    while n - n.div_ceil(zones) < packed {
        n += 1;
    }
    n
}

/// Nodes per zone when `n` nodes are spread evenly over `zones` (first zones take the extras).
/// The result goes into `out` (a buffer reused from month to month).
pub fn spread_into(n: u32, zones: u32, out: &mut Vec<u32>) {
    let z = zones.max(1);
    out.clear();
    out.extend((0..z).map(|i| n / z + u32::from(i < n % z)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    #[test]
    fn m5_xlarge_allocatable_matches_the_worked_example() {
        // hpa-and-cluster-autoscaler.md §2.5: maxPods 4 × (15 − 1) + 2 = 58; CPU reserve 80m →
        // 3920m; memory reserve 11 × 58 + 255 = 893 MiB + 100 MiB eviction → 16384 − 993 = 15391.
        let spec = &Catalog::builtin().ec2["m5.xlarge"];
        assert_eq!(eks_max_pods(spec), 58);
        let a = eks_allocatable(spec, None);
        assert_eq!(a, Allocatable { cpu_m: 3920.0, memory_mib: 15391.0, pods: 58 });
    }

    #[test]
    fn reservations_for_other_sizes_match_the_reference() {
        // §2.5: m5.large 29 pods, 574 MiB, 70m; m5.2xlarge 58, 893, 90m; m5.4xlarge 234, 2829, 110m.
        let c = Catalog::builtin();
        for (t, pods, mib, cpu) in
            [("m5.large", 29, 574, 70), ("m5.2xlarge", 58, 893, 90), ("m5.4xlarge", 234, 2829, 110)]
        {
            let s = &c.ec2[t];
            assert_eq!(eks_max_pods(s), pods, "{t}");
            assert_eq!(eks_reserved_memory_mib(pods), mib, "{t}");
            assert_eq!(eks_reserved_cpu_m(s.vcpu), cpu, "{t}");
        }
        // The upstream table (instance-info.jsonl): c5.xlarge 4 ENIs × 15 IPv4 → 4 × 14 + 2 = 58
        // pods (not the 110 of nodeadm's fallback, which would pack 1.9× too many); t3.large 3 ×
        // 12 → 35 pods, 11 × 35 + 255 = 640 MiB reserved.
        assert_eq!(eks_max_pods(&c.ec2["c5.xlarge"]), 58);
        assert_eq!(eks_max_pods(&c.ec2["t3.large"]), 35);
        assert_eq!(eks_reserved_memory_mib(35), 640);
        // §2.5: 110 pods would reserve 1465 MiB.
        assert_eq!(eks_reserved_memory_mib(110), 1465);
    }

    fn cap(cpu: f64, mem: f64, pods: u32) -> Allocatable {
        Allocatable { cpu_m: cpu, memory_mib: mem, pods }
    }

    #[test]
    fn ffd_packs_big_items_first() {
        // Capacity 10 CPU: items 6,6,4,4 → FFD puts 6+4, 6+4 = 2 nodes (first-fit in input
        // order 4,4,6,6 would open 3).
        let g =
            [PodGroup { cpu_m: 4.0, memory_mib: 1.0, count: 2 }, PodGroup { cpu_m: 6.0, memory_mib: 1.0, count: 2 }];
        assert_eq!(pack_ffd(&g, cap(10.0, 100.0, 10)).nodes, 2);
    }

    #[test]
    fn ffd_respects_memory_and_pod_slots() {
        let g = [PodGroup { cpu_m: 1.0, memory_mib: 30.0, count: 7 }];
        // Memory: 3 per node (90 of 100) → 3 nodes.
        assert_eq!(pack_ffd(&g, cap(100.0, 100.0, 10)).nodes, 3);
        // Pod slots: 2 per node → 4 nodes.
        assert_eq!(pack_ffd(&g, cap(100.0, 1000.0, 2)).nodes, 4);
        // Too big for any node: counted, not placed, no panic.
        let p = pack_ffd(&[PodGroup { cpu_m: 200.0, memory_mib: 1.0, count: 3 }], cap(100.0, 100.0, 10));
        assert_eq!((p.nodes, p.unplaceable), (0, 3));
    }

    #[test]
    fn zone_loss_headroom() {
        // 2 nodes' worth of pods over 3 zones: 3 nodes (lose 1, 2 left).
        assert_eq!(nodes_surviving_zone_loss(2, 3), 3);
        // 3 nodes' worth: 4 would lose 2 → 5 (2+2+1, lose 2, 3 left).
        assert_eq!(nodes_surviving_zone_loss(3, 3), 5);
        assert_eq!(nodes_surviving_zone_loss(6, 3), 9);
        assert_eq!(nodes_surviving_zone_loss(4, 2), 8);
        assert_eq!(nodes_surviving_zone_loss(4, 1), 4);
        let mut z = Vec::new();
        spread_into(5, 3, &mut z);
        assert_eq!(z, vec![2, 2, 1]);
    }
}
