//! Bad scenarios: every problem reported at once, with file:line:col or field path, value and
//! valid range; nothing panics.

use headroom::{Catalog, LoadError, load_scenario};

fn load_file(name: &str) -> Result<headroom::ValidScenario, String> {
    let path = format!("tests/bad/{name}");
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/").to_string() + &path).unwrap();
    load_scenario(&text, Catalog::builtin()).map_err(|e| e.with_file(&path))
}

/// The seed with one substitution.
fn seed_with(from: &str, to: &str) -> Result<headroom::ValidScenario, LoadError> {
    assert!(crate::common::seed_text().contains(from), "{from}");
    load_scenario(&crate::common::seed_text().replacen(from, to, 1), Catalog::builtin())
}

fn problems(r: Result<headroom::ValidScenario, LoadError>) -> Vec<String> {
    match r {
        Err(LoadError::Invalid(ps)) => ps.iter().map(|p| p.to_string()).collect(),
        Err(e) => panic!("expected semantic problems, got {e}"),
        Ok(_) => panic!("expected problems, the scenario loaded"),
    }
}

#[test]
fn syntax_error_points_at_line_and_column() {
    assert_eq!(load_file("syntax.ron").unwrap_err(), "tests/bad/syntax.ron:5:9: Expected comma");
}

#[test]
fn misspelt_field_is_rejected_with_its_position() {
    let e = load_file("unknown-field.ron").unwrap_err();
    assert!(e.starts_with("tests/bad/unknown-field.ron:"), "{e}");
    assert!(e.contains("Unexpected field named `surviv_zone_loss`"), "{e}");
}

#[test]
fn all_problems_in_a_file_are_reported_at_once() {
    let e = load_file("many-problems.ron").unwrap_err();
    let f = "tests/bad/many-problems.ron";
    assert_eq!(
        e.lines().collect::<Vec<_>>(),
        vec![
            format!("{f}: meta.horizon_months: must be between 1 and 240, found 120000"),
            format!("{f}: demand.concurrent_users: must be between 1 and 100000000, found 1e15"),
            format!("{f}: demand.annual_growth: must be between -0.9 and 10, found NaN"),
            format!(
                "{f}: cluster.node_pools[0].instance_type: unknown instance type \"m5.xlarg\"; closest known: m5.xlarge, m5.2xlarge, m5.4xlarge"
            ),
            format!("{f}: workload.services[1].cpu_ms_per_request: must be > 0, found -3"),
        ]
    );
}

#[test]
fn semantic_checks_name_path_value_and_range() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "seasonality: [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.9, 1.0, 1.0, 1.0, 0.85]",
            "seasonality: [1.0]",
            "demand.seasonality: must have 12 values (January..December), found 1",
        ),
        ("diurnal: [0.05,", "diurnal: [0.5, 0.5,", "demand.diurnal: must have 24 values (00:00..23:00), found 25"),
        (
            "max_replicas: 30,",
            "max_replicas: 2,",
            "workload.services[1].min_replicas: must be between 1 and 2, found 3",
        ),
        (
            "target_cpu_utilization: 0.7,\n                response_kib: 50",
            "target_cpu_utilization: 1.5,\n                response_kib: 50",
            "workload.services[0].target_cpu_utilization: must be between 0.01 and 1, found 1.5",
        ),
        (
            "baseline_memory_mib: 400,",
            "baseline_memory_mib: 4000,",
            "workload.services[1].baseline_memory_mib: must be at least 0 and below pod.memory_request_mib (1024), found 4000",
        ),
        (
            "node_type: \"cache.m5.large\"",
            "node_type: \"cache.m5.larg\"",
            "data.redis.node_type: unknown ElastiCache node type \"cache.m5.larg\"; closest known: cache.m5.large, cache.r5.large, cache.r6g.large",
        ),
        (
            "location: Aws(\"us-west-2\"), role: WarmStandby(0.2)",
            "location: Aws(\"eu-west-9\"), role: WarmStandby(0.2)",
            "variants[0].sites[1].location: unknown AWS region \"eu-west-9\"; closest known: eu-west-1, us-west-2, eu-central-1",
        ),
        (
            "(name: \"aws-dr\", location: Aws(\"us-west-2\"), role: WarmStandby(0.2)",
            "(name: \"aws-dr\", location: Aws(\"us-west-2\"), role: Primary",
            "variants[0].sites: needs exactly one Primary site, or ActiveActive sites only; found 2 Primary and 0 ActiveActive",
        ),
        (
            "overrides: {}",
            "overrides: {\"us-west-2/eks.clster\": (usd: 0.1, source: \"quote\", as_of: \"2026-11\")}",
            "pricing.overrides[\"us-west-2/eks.clster\"]: no price row \"eks.clster\" in us-west-2; closest: eks.cluster, ebs.snapshot, ec2.c5.large",
        ),
        ("start: \"2027-01\"", "start: \"2027-13\"", ""),
    ];
    for (from, to, want) in cases {
        let r = seed_with(from, to);
        if want.is_empty() {
            // A malformed month is a syntax-level error with a position.
            let e = r.unwrap_err();
            assert!(matches!(e, LoadError::Syntax { line: 17, col: 17, .. }), "{e}");
            assert!(e.to_string().contains("expected a month as \"YYYY-MM\""), "{e}");
            continue;
        }
        let ps = problems(r);
        assert!(ps.iter().any(|p| p == want), "{to}: wanted {want}\n got {ps:#?}");
    }
    // The override case also reports the malformed date.
    let ps = problems(seed_with(
        "overrides: {}",
        "overrides: {\"us-west-2/eks.cluster\": (usd: -1, source: \"\", as_of: \"2026-11\")}",
    ));
    assert_eq!(
        ps,
        vec![
            "pricing.overrides[\"us-west-2/eks.cluster\"].usd: must be between 0 and 1000000, found -1",
            "pricing.overrides[\"us-west-2/eks.cluster\"].source: must not be empty",
            "pricing.overrides[\"us-west-2/eks.cluster\"].as_of: must be a date \"YYYY-MM-DD\", found \"2026-11\"",
        ]
    );
}

#[test]
fn an_override_fills_a_gap_and_is_marked_user_supplied() {
    let s = seed_with("overrides: {}", "overrides: {\"us-west-2/eks.cluster\": (usd: 0.10, source: \"AWS console, 2026-11-20\", as_of: \"2026-11-20\")}").unwrap();
    let r = headroom::plan(&s, Catalog::builtin());
    let m1 = &r.variants[0].months[0];
    let l = m1.lines.iter().find(|l| &*l.site == "aws-dr" && &*l.item == "EKS control plane").unwrap();
    assert!((l.usd.unwrap() - 73.0).abs() < 1e-9);
    let p = &r.prices[l.price.unwrap() as usize];
    assert_eq!(
        (p.confidence, p.source.as_str()),
        (Some(headroom::catalog::Confidence::User), "AWS console, 2026-11-20")
    );
}

#[test]
fn absurd_but_valid_numbers_do_not_panic() {
    // 100 million users overflow every pool and database class: warnings, not a crash.
    let s = seed_with("concurrent_users: 1000,", "concurrent_users: 100000000,").unwrap();
    let r = headroom::plan(&s, Catalog::builtin());
    use headroom::engine::report::WarningKind::*;
    for k in [PoolAtMaxNodes, HpaAtMaxReplicas, DatabaseUndersized] {
        assert!(r.warnings.iter().any(|w| w.kind == k), "{k:?}");
    }
    assert!(r.variants[0].months.iter().all(|m| m.total_usd.is_finite()));
}

#[test]
fn an_on_prem_site_needs_its_component_availabilities() {
    let text = headroom::SEED_SCENARIO;
    let a = text.find("        onprem: [").unwrap();
    let b = a + text[a..].find("        ],\n").unwrap() + "        ],\n".len();
    let ps = problems(load_scenario(&format!("{}{}", &text[..a], &text[b..]), Catalog::builtin()));
    assert_eq!(
        ps,
        vec![
            "variants[1].sites: has an on-prem site, so availability.onprem must list its components (power, network, cluster, database…)",
            "variants[5].sites: has an on-prem site, so availability.onprem must list its components (power, network, cluster, database…)",
        ]
    );
    // And the targets and failover inputs are range-checked like any other.
    let ps = problems(seed_with("rpo_minutes: 15", "rpo_minutes: -15"));
    assert_eq!(ps, vec!["targets.rpo_minutes: must be > 0, found -15"]);
    let ps = problems(seed_with("db_replication: LogShipping(5)),", "db_replication: LogShipping(0)),"));
    assert_eq!(ps, vec!["variants[1].sites[2].db_replication.LogShipping: must be > 0, found 0"]);
}

#[test]
fn ranges_derived_from_other_fields_print_readable_numbers() {
    // The web service's response time (5 ms) must be at least its CPU time per request; a CPU
    // time drawn as 10.34218843370015 prints with six significant digits, not as 1.0342…e1.
    let mut s = headroom::parse_scenario(headroom::SEED_SCENARIO).unwrap();
    s.workload.services[0].cpu_ms_per_request = 10.342_188_433_700_15;
    let p = headroom::validate(s, Catalog::builtin()).unwrap_err();
    assert_eq!(p[0].to_string(), "workload.services[0].response_time_ms: must be between 10.3422 and 600000, found 5");
}

#[test]
fn hpa_behavior_is_checked_with_paths() {
    let p = problems(seed_with(
        "name: \"api\",",
        "name: \"api\", hpa_behavior: (scale_up: (policies: []), scale_down: (stabilization_window_s: 7200, policies: [(kind: Pods, value: 0, period_s: 3600)])),",
    ));
    assert_eq!(
        p,
        [
            "workload.services[1].hpa_behavior.scale_up.policies: must list at least one policy (leave it out for the defaults)",
            "workload.services[1].hpa_behavior.scale_down.stabilization_window_s: must be between 0 and 3600, found 7200",
            "workload.services[1].hpa_behavior.scale_down.policies[0].value: must be between 1 and 10000, found 0",
            "workload.services[1].hpa_behavior.scale_down.policies[0].period_s: must be between 1 and 1800, found 3600",
        ]
    );
    // A valid one reaches the simulation with the defaults filled in: scale-down as written,
    // scale-up the upstream 4 pods or 100 % per 15 s, no window.
    let s = seed_with(
        "name: \"api\",",
        "name: \"api\", hpa_behavior: (scale_down: (stabilization_window_s: 600, select_policy: Min, policies: [(kind: Percent, value: 10, period_s: 60)])),",
    )
    .unwrap();
    let (svcs, _) = headroom::engine::plan::sim_specs(&s, Catalog::builtin());
    let b = svcs[1].behavior.as_ref().unwrap();
    assert_eq!(
        (b.down.window_s, b.down.select, b.down.policies.len()),
        (600, headroom::engine::hpa::SelectPolicy::Min, 1)
    );
    assert_eq!((b.up.window_s, b.up.policies.len()), (0, 2));
    assert!(svcs[0].behavior.is_none());
}

/// Every file in `tests/bad/` fails to load with exactly the messages in its `.expected` file
/// (as `headroom validate` prints them, the file's path in front).
#[test]
fn every_bad_file_gives_its_expected_messages() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/bad");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        let name = path.file_name().unwrap().to_str().unwrap();
        let expected = std::fs::read_to_string(path.with_extension("expected"))
            .unwrap_or_else(|_| panic!("{name} has no .expected file"));
        assert_eq!(load_file(name).unwrap_err() + "\n", expected, "{name}");
        n += 1;
    }
    assert!(n >= 3);
}

/// A source note for an on-prem input must name one; the resize policy's ranges are checked.
#[test]
fn onprem_basis_and_resize_policy_are_checked() {
    let text = headroom::SEED_SCENARIO.replacen("\"pue\": \"Uptime", "\"pu\": \"Uptime", 1);
    let p = problems(load_scenario(&text, Catalog::builtin()));
    assert!(
        p.iter().any(|x| x.starts_with(
            "finance.onprem.basis[\"pu\"]: names no input of finance.onprem (inputs: database_server_usd,"
        )),
        "{p:?}"
    );
    // An input inside a list is named with its index, or the list as a whole.
    let ok = headroom::SEED_SCENARIO.replacen(
        "\"fixed_hardware\": \"assumption",
        "\"fixed_hardware[1].usd\": \"assumption",
        1,
    );
    assert!(load_scenario(&ok, Catalog::builtin()).is_ok());
    let text = headroom::SEED_SCENARIO.replacen(
        "        telemetry: (",
        "        resize: (database_down_after_months: Some(0), down_margin: 1.5),\n        telemetry: (",
        1,
    );
    let p = problems(load_scenario(&text, Catalog::builtin()));
    assert!(
        p.contains(&"data.resize.database_down_after_months: must be between 1 and 600, found 0".to_string()),
        "{p:?}"
    );
    assert!(p.contains(&"data.resize.down_margin: must be between 0.1 and 1, found 1.5".to_string()), "{p:?}");
}

/// Values the engine cannot use are rejected with their range (the fuzzer's `1e-320` CPU
/// request used to validate and then divide by zero in the simulated day).
#[test]
fn kubernetes_quantities_below_their_resolution_are_rejected() {
    let p = problems(seed_with("pod: (cpu_request_m: 200,", "pod: (cpu_request_m: 1e-320,"));
    assert!(
        p.iter().any(|x| x.starts_with("workload.services[0].pod.cpu_request_m: must be between 1 and 64000, found ")),
        "{p:?}"
    );
    let p = problems(seed_with(
        "target_cpu_utilization: 0.7,\n                response_kib: 50",
        "target_cpu_utilization: 0.001,\n                response_kib: 50",
    ));
    assert!(
        p.contains(&"workload.services[0].target_cpu_utilization: must be between 0.01 and 1, found 0.001".to_string()),
        "{p:?}"
    );
    // At the edges the plan is made, without a panic.
    let s = seed_with("pod: (cpu_request_m: 200,", "pod: (cpu_request_m: 1,").unwrap();
    let r = headroom::plan(&s, Catalog::builtin());
    assert!(r.variants[0].months[0].total_usd > 0.0);
}

/// A text field longer than every export can hold is rejected with its path (a 32 768-character
/// name used to pass validation and fail the XLSX export).
#[test]
fn text_fields_have_a_length_limit() {
    let long = "x".repeat(32_768);
    let p = problems(seed_with("name: \"aws-warm-standby\",", &format!("name: \"{long}\",")));
    assert!(p.contains(&"variants[0].name: must be at most 4000 characters, found 32768".to_string()), "{p:?}");
    let ok = "y".repeat(4000);
    // The description with 4 000 more characters: too long, named by its path.
    let p = problems(seed_with("description: \"Technical Design", &format!("description: \"{ok} Technical Design")));
    assert!(p.iter().any(|x| x.starts_with("meta.description: must be at most 4000 characters")), "{p:?}");
    // A long description within the limit: planned and exported.
    let s = seed_with(
        "description: \"AWS primary in us-east-1 (3 AZs",
        &format!("description: \"{} AWS primary in us-east-1 (3 AZs", &ok[..3000]),
    )
    .unwrap();
    let r = headroom::plan(&s, Catalog::builtin());
    assert!(headroom::output::export::export(&r, headroom::output::export::ExportFormat::Xlsx).is_ok());
}
