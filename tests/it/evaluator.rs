//! The one evaluator's two sinks: a Monte Carlo path (summing sink, the program compiled once
//! from the base scenario, numbers drawn) against the plan of the same scenario (recording sink,
//! its own program) — every month of every variant bit-identical: totals, nodes, fiscal years,
//! first month a limit is hit — over random draws of the seed's uncertain inputs and of other
//! numbers, under each finance setting (discount, escalation, contingency, spot, commitments,
//! on-prem TCO; extra items; no Shield; Single-AZ; capacity limits hit). And the recorded lines
//! add up to the tally's totals.

use headroom::engine::plan::{NodeBasis, PathTotals, Scratch, path_totals, plan_costs};
use headroom::engine::program::Program;
use headroom::scenario::dist::Sampler;
use headroom::scenario::edit;
use headroom::scenario::model::{Dist, Scenario};
use headroom::{Catalog, validate};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn seed() -> Scenario {
    let mut s = headroom::parse_scenario(headroom::SEED_SCENARIO).unwrap();
    s.cluster.autoscaling.simulate = false;
    s
}

/// Inputs drawn on top of the scenario's own: (path, distribution).
fn draws() -> Vec<(&'static str, Dist)> {
    vec![
        ("demand.annual_growth", Dist::Triangular { min: -0.1, mode: 0.2, max: 0.6 }),
        ("demand.concurrent_users", Dist::LogNormal { mean: 1000.0, sd: 400.0 }),
        ("workload.peak_requests_per_user_per_s", Dist::Pert { min: 0.05, mode: 0.15, max: 0.6 }),
        ("workload.services[1].cpu_ms_per_request", Dist::LogNormal { mean: 16.0, sd: 6.0 }),
        ("workload.services[0].cpu_ms_per_request", Dist::Uniform { min: 0.5, max: 5.0 }),
        ("data.postgres.working_set_mib_per_user", Dist::Uniform { min: 0.5, max: 8.0 }),
        ("data.object_storage.gb_per_user_per_month", Dist::Uniform { min: 0.0, max: 0.5 }),
        ("data.redis.memory_mib_per_user", Dist::Uniform { min: 0.1, max: 4.0 }),
        ("cluster.node_pools[0].max_nodes", Dist::Uniform { min: 6.0, max: 40.0 }),
        ("finance.annual_escalation", Dist::Uniform { min: -0.02, max: 0.08 }),
    ]
}

/// Plan `s` with `n` random draws both ways; returns how many paths were compared and in how
/// many a capacity limit was hit.
fn check(s: Scenario, n: usize, label: &str) -> (usize, usize) {
    check_with(s, n, label, vec![])
}

/// [`check`] with more inputs drawn.
fn check_with(s: Scenario, n: usize, label: &str, more: Vec<(&'static str, Dist)>) -> (usize, usize) {
    let cat = Catalog::builtin();
    let base = validate(s.clone(), cat).unwrap_or_else(|p| panic!("{label}: {p:?}"));
    let prog = Program::compile(&base, cat);
    let root = serde_json::to_value(&s).unwrap();
    let samplers: Vec<(&str, Sampler)> =
        draws().into_iter().chain(more).map(|(p, d)| (p, Sampler::new(&d).unwrap())).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut scratch = Scratch::default();
    let (mut compared, mut limited) = (0, 0);
    for i in 0..n {
        let values: Vec<(&str, f64)> = samplers.iter().map(|(p, d)| (*p, d.sample(&mut rng))).collect();
        let vs = match validate(edit::with_numbers(&root, &values).unwrap(), cat) {
            Ok(v) => v,
            Err(p) => {
                eprintln!("{label}: rejected {}", p[0]);
                continue;
            }
        };
        let full = PathTotals::of(&plan_costs(&vs, cat));
        let fast = path_totals(&prog, &vs, cat, NodeBasis::Simulate, &mut scratch);
        assert_eq!(fast, full, "{label}, draw {i}: {values:?}");
        compared += 1;
        limited += usize::from(full.limit_month.iter().any(Option::is_some));
    }
    (compared, limited)
}

#[test]
fn the_seed_as_shipped() {
    let cat = Catalog::builtin();
    let s = validate(seed(), cat).unwrap();
    let full = PathTotals::of(&plan_costs(&s, cat));
    let fast = path_totals(&Program::compile(&s, cat), &s, cat, NodeBasis::Simulate, &mut Scratch::default());
    assert_eq!(fast, full);
    // Not a vacuous comparison: six variants, 60 months, real money and nodes.
    assert_eq!(fast.cost.len(), 6);
    assert!(fast.cost.iter().all(|c| c.len() == 60 && c.iter().all(|&x| x > 100.0)));
    assert!(fast.nodes[0][0] >= 3);
}

#[test]
fn random_draws_of_the_seed() {
    assert!(check(seed(), 40, "seed").0 >= 30);
}

#[test]
fn random_draws_under_finance_settings() {
    let mut s = seed();
    s.finance.aws_discount = 0.07;
    s.finance.annual_escalation = 0.03;
    s.finance.contingency = 0.1;
    s.finance.fiscal_year_start_month = 7;
    s.finance.spot.push(headroom::scenario::model::SpotShare {
        pool: "general".into(),
        share: 0.4,
        discount: 0.6,
        source: "test".into(),
    });
    s.pricing.extra_items.push(headroom::scenario::model::ExtraItem {
        name: "Support (reserved hours)".into(),
        category: headroom::scenario::model::Category::Other,
        monthly_usd: 1234.5,
        source: "test".into(),
        variants: vec!["aws-warm-standby".into(), "aws-active-active".into()],
        aws_charge: true,
    });
    assert!(check(s, 25, "finance").0 >= 18);
}

#[test]
fn random_draws_without_shield_single_az_and_small_limits() {
    let mut s = seed();
    s.platform.shield_advanced = false;
    s.platform.cloudtrail_data_events_per_month = 2e6;
    s.data.postgres.multi_az = false;
    s.data.postgres.allowed_classes = vec!["db.r5.large".into(), "db.r5.xlarge".into()];
    s.variants[0].connectivity.direct_connect_ports = 2;
    s.variants[0].connectivity.dx_gb_per_user_per_month = 0.3;
    let (n, limited) = check(s, 25, "no shield");
    assert!(n >= 18);
    // Limits (an undersized database, a pool at maxNodes) are hit in some draws and not in
    // others: their first months are compared too.
    assert!(limited > 0 && limited < n, "{limited} of {n}");
}

#[test]
fn simulated_days_through_both_sinks() {
    // The autoscaling simulation on: both sinks bill the simulated node-hours (one year).
    let cat = Catalog::builtin();
    let mut t = headroom::parse_scenario(headroom::SEED_SCENARIO).unwrap();
    t.meta.horizon_months = 12;
    let s = validate(t, cat).unwrap();
    let r = plan_costs(&s, cat);
    assert!(r.variants[0].months[0].sites[0].pools.iter().any(|p| p.simulated));
    let fast = path_totals(&Program::compile(&s, cat), &s, cat, NodeBasis::Simulate, &mut Scratch::default());
    assert_eq!(fast, PathTotals::of(&r));
}

#[test]
fn recorded_lines_add_up_to_the_totals() {
    // Every month's category sums, cash, capex and unknown count are the sums over its lines
    // (the tally is kept line by line; this recomputes it from the recorded lines).
    let cat = Catalog::builtin();
    let text = crate::common::seed_text().replacen(
        "    variants: [",
        r#"    finance: (
        aws_discount: 0.05, annual_escalation: 0.03, contingency: 0.1,
        aws_discount_by_category: {Compute: 0.2, Storage: 0.0},
        spot: [(pool: "general", share: 0.3, discount: 0.6, source: "test")],
        commitments: [
            (kind: Ec2Reserved(instance_type: "m5.xlarge", count: 2), region: "us-east-1", term_years: 1,
             payment: AllUpfront, start: "2027-03", hourly_usd: 0, upfront_usd: 1000, source: "quote"),
        ],
    ),
    variants: ["#,
        1,
    );
    let s = validate(headroom::parse_scenario(&text).unwrap(), cat).unwrap();
    let r = plan_costs(&s, cat);
    let mut checked = 0;
    for v in &r.variants {
        for m in &v.months {
            let known = m.lines.iter().filter_map(|l| l.usd.map(|u| (l, u)));
            let amortised: f64 = known.clone().filter(|(l, _)| l.view.in_amortised()).map(|x| x.1).sum();
            let cash: f64 = known.clone().filter(|(l, _)| l.view.in_cash()).map(|x| x.1).sum();
            assert!((amortised - m.total_usd).abs() < 1e-6 * m.total_usd.abs().max(1.0), "{} {}", v.name, m.month);
            assert!((cash - m.cash_usd).abs() < 1e-6 * m.cash_usd.abs().max(1.0));
            for (c, usd) in &m.by_category {
                let sum: f64 =
                    known.clone().filter(|(l, _)| l.category == *c && l.view.in_amortised()).map(|x| x.1).sum();
                assert!((sum - usd).abs() < 1e-6 * usd.abs().max(1.0));
            }
            assert_eq!(m.unknown_lines as usize, m.lines.iter().filter(|l| l.usd.is_none()).count());
            checked += 1;
        }
    }
    assert_eq!(checked, 6 * 60);
    // The upfront month differs by view: paid in cash, amortised over the term.
    let aws = &r.variants[0];
    assert!((aws.months[2].cash_usd - aws.months[2].total_usd).abs() > 500.0);
}

#[test]
fn random_draws_with_commitments() {
    // Reservations (catalog and user rates, upfront amortised and paid at each term start, a
    // renewing 1-year term starting in month 7), savings plans of both scopes, with the
    // discount, escalation and contingency (whose views now differ in upfront months).
    let text = crate::common::seed_text().replacen(
        "    variants: [",
        r#"    finance: (
        aws_discount: 0.05, annual_escalation: 0.03, contingency: 0.1,
        spot: [(pool: "general", share: 0.3, discount: 0.6, source: "test")],
        commitments: [
            (kind: Ec2Reserved(instance_type: "m5.xlarge", count: 3), region: "us-east-1", term_years: 1,
             payment: NoUpfront, start: "2027-07", variants: ["aws-warm-standby", "aws-pilot-light"]),
            (kind: RdsReserved(class: "db.r5.large", count: 1), region: "us-east-1", term_years: 1,
             payment: PartialUpfront, start: "2027-01", hourly_usd: 0.1, upfront_usd: 500, source: "quote"),
            (kind: CacheReserved(node_type: "cache.m5.large", count: 2), region: "us-east-1", term_years: 3,
             payment: AllUpfront, start: "2027-01", hourly_usd: 0, upfront_usd: 2000, renew: false, source: "quote"),
            (kind: SavingsPlan(usd_per_hour: 0.1, discount: 0.28), region: "us-east-1", term_years: 1,
             payment: NoUpfront, start: "2027-01", source: "quote", variants: ["aws-active-active"]),
            (kind: SavingsPlan(usd_per_hour: 0.05, discount: 0.3, family: "m5"), region: "us-west-2", term_years: 3,
             payment: AllUpfront, start: "2028-01", upfront_usd: 1200, source: "quote"),
        ],
    ),
    variants: ["#,
        1,
    );
    let s = headroom::parse_scenario(&text).unwrap();
    let mut s = s;
    s.cluster.autoscaling.simulate = false;
    // The commitments' own numbers drawn too (counts rounded).
    let more = vec![
        ("finance.commitments[0].kind.Ec2Reserved.count", Dist::Uniform { min: 1.0, max: 8.0 }),
        ("finance.commitments[1].upfront_usd", Dist::Uniform { min: 0.0, max: 2000.0 }),
        ("finance.commitments[3].kind.SavingsPlan.discount", Dist::Uniform { min: 0.1, max: 0.5 }),
        ("finance.commitments[3].kind.SavingsPlan.usd_per_hour", Dist::Uniform { min: 0.01, max: 0.5 }),
    ];
    let (n, _) = check_with(s.clone(), 25, "commitments", more);
    assert!(n >= 18);
    // The commitments are in play: the plan has their lines, cash and amortised differ.
    let cat = Catalog::builtin();
    let r = headroom::engine::plan::plan_costs(&validate(s.clone(), cat).unwrap(), cat);
    let m = &r.variants[0].months[6];
    assert!(m.lines.iter().any(|l| l.item.starts_with("On-demand hours covered by 3 × m5.xlarge")));
    assert!(r.variants.iter().any(|v| (v.total_usd - v.total_cash_usd).abs() > 1.0));
}

#[test]
fn random_draws_with_an_on_prem_tco() {
    // Servers, database servers and storage bought in steps as the draws grow the load (a
    // 3-year life, so refreshes fall inside the horizon), fixed hardware, running costs; with
    // escalation and contingency split by view in purchase months.
    let text = crate::common::seed_text().replacen(
        "    variants: [",
        r#"    finance: (
        annual_escalation: 0.02, contingency: 0.05,
        onprem: (
            server: (cores: 16, memory_gib: 64, usd: 12000, power_kw: 0.4, rack_units: 1),
            database_servers: 2, database_server_usd: 15000, storage_usd_per_tb: 500, storage_copies: 2,
            fixed_hardware: [(name: "Firewall pair", usd: 30000, power_kw: 0.3, rack_units: 2)],
            depreciation_years: 3, pue: 1.5, usd_per_kwh: 0.12, usd_per_rack_unit_month: 20,
            support_usd_per_core_year: 1000, staff_fte: 0.5, staff_usd_per_fte_year: 120000,
            source: "test figures"),
    ),
    variants: ["#,
        1,
    );
    let mut s = headroom::parse_scenario(&text).unwrap();
    s.cluster.autoscaling.simulate = false;
    let (n, _) = check(s.clone(), 25, "on-prem TCO");
    assert!(n >= 18);
    // The TCO is in play: server purchases in the plan of the hybrid variant.
    let cat = Catalog::builtin();
    let r = headroom::engine::plan::plan_costs(&validate(s, cat).unwrap(), cat);
    assert!(r.variants[1].months[0].lines.iter().any(|l| l.item.starts_with("Server depreciation")));
}
