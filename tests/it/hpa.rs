//! The HPA controller, one reconcile, with numbers worked from
//! ../shared/reference/hpa-and-cluster-autoscaler.md §1; and `headroom hpa explain`.

use headroom::engine::hpa::{Milli, explain, parse_case};

fn case(json: &str) -> headroom::engine::hpa::Case {
    parse_case(json).unwrap_or_else(|e| panic!("{e}"))
}

/// A CPU-utilisation HPA (legacy path) over `pods`, with `target` %.
fn cpu_case(current: i32, target: i32, pods: &str, extra: &str) -> String {
    format!(
        r#"{{"hpa": {{"spec": {{"minReplicas": 1, "maxReplicas": 20, "metrics": [{{"type": "Resource", "resource": {{"name": "cpu", "target": {{"type": "Utilization", "averageUtilization": {target}}}}}}}]}}}},
           "currentReplicas": {current}, "pods": [{pods}] {extra}}}"#
    )
}

fn ready_pod(name: &str, request: &str, usage: &str) -> String {
    format!(
        r#"{{"name": "{name}", "phase": "Running", "ready": true, "startedSecondsAgo": 3600, "cpu": {{"request": "{request}", "usage": "{usage}"}}}}"#
    )
}

#[test]
fn quantities() {
    assert_eq!(Milli::parse("600m").unwrap(), Milli(600));
    assert_eq!(Milli::parse("1").unwrap(), Milli(1000));
    assert_eq!(Milli::parse("1.5k").unwrap(), Milli(1_500_000));
    assert_eq!(Milli::parse("1Gi").unwrap(), Milli(1_073_741_824_000));
    assert_eq!(Milli::parse("2e3").unwrap(), Milli(2_000_000));
    // Exact decimals: 409 × 0.001 × 1000 is 409.00000000000006 in floats (it once read 410).
    assert_eq!(Milli::parse("409m").unwrap(), Milli(409));
    assert_eq!(Milli::parse("0.1").unwrap(), Milli(100));
    assert_eq!(Milli::parse("1.0001m").unwrap(), Milli(2), "MilliValue rounds up");
    assert_eq!(Milli::parse("250n").unwrap(), Milli(1));
    assert_eq!(Milli::parse("1.5Gi").unwrap(), Milli(1_610_612_736_000));
    assert_eq!(Milli::parse("1P").unwrap(), Milli(1_000_000_000_000_000_000));
    assert!(Milli::parse("1E").is_err(), "10^21 milli-units overflow i64");
    assert!(Milli::parse("1.2.3").is_err() && Milli::parse("").is_err() && Milli::parse("99E").is_err());
    assert!(Milli::parse("ten").is_err());
}

#[test]
fn utilization_scale_up_is_ceil_of_ratio_times_ready_pods() {
    // 900m of 1000m = 90 % against 50 %: ratio 1.8, ceil(1.8 × 3) = 6; legacy cap max(2×3, 4) = 6.
    let pods = [ready_pod("a", "1", "900m"), ready_pod("b", "1", "900m"), ready_pod("c", "1", "900m")].join(",");
    let e = explain(&case(&cpu_case(3, 50, &pods, "")));
    assert_eq!(e.metrics[0].proposal, Some(6));
    assert_eq!(e.desired_replicas, 6);
    // Utilisation is truncated to a whole percent: 3 × 333m / 3000m = 33.3 % → 33 %.
    let pods = [ready_pod("a", "1", "333m"), ready_pod("b", "1", "333m"), ready_pod("c", "1", "333m")].join(",");
    let e = explain(&case(&cpu_case(3, 10, &pods, "")));
    assert_eq!(e.metrics[0].current.as_deref(), Some("33% (target 10%)"));
    // ratio 3.3 → ceil(9.9) = 10, but the legacy scale-up cap allows max(2 × 3, 4) = 6.
    assert_eq!((e.metrics[0].proposal, e.desired_replicas, e.limited_by.as_str()), (Some(10), 6, "ScaleUpLimit"));
}

#[test]
fn tolerance_boundary_is_inclusive() {
    // 55 % against 50 %: ratio exactly 1.1 → within tolerance 0.1 → no change.
    let pods = [ready_pod("a", "1", "550m"), ready_pod("b", "1", "550m")].join(",");
    let e = explain(&case(&cpu_case(2, 50, &pods, "")));
    assert_eq!((e.metrics[0].proposal, e.desired_replicas), (Some(2), 2));
    // 56 %: ratio 1.12 → ceil(1.12 × 2) = 3.
    let pods = [ready_pod("a", "1", "560m"), ready_pod("b", "1", "560m")].join(",");
    assert_eq!(explain(&case(&cpu_case(2, 50, &pods, ""))).desired_replicas, 3);
}

#[test]
fn unready_pods_count_as_zero_on_scale_up() {
    // tests/hpa/scale-up-with-unready.json: two ready pods at 80 % of 1 CPU (ratio 1.6 would
    // give ceil(1.6 × 2) = 4), a third pod started 60 s ago and not ready (CPU initialisation):
    // refilled at 0, utilisation (800 + 800 + 0) / 3000 = 53 % → ratio 1.06, within tolerance: 3.
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hpa/scale-up-with-unready.json")).unwrap();
    let e = explain(&case(&text));
    assert_eq!(e.desired_replicas, 3);
    let m = &e.metrics[0];
    assert_eq!(m.current.as_deref(), Some("80% (target 50%)"));
    assert_eq!(m.pods.len(), 1);
    assert_eq!((m.pods[0].pod.as_str(), m.pods[0].group), ("api-c", "unready"));
}

#[test]
fn missing_metrics_on_scale_down_count_as_full_request() {
    // Two pods at 10 % and one without a sample: ratio 0.2 would give ceil(0.2 × 2) = 1, but the
    // missing pod is assumed at 100 % of its request: (100 + 100 + 1000) / 3000 = 40 % → ratio
    // 0.8 → ceil(0.8 × 3) = 3 = current: no change.
    let pods = [
        ready_pod("a", "1", "100m"),
        ready_pod("b", "1", "100m"),
        r#"{"name": "c", "phase": "Running", "ready": true, "startedSecondsAgo": 3600, "cpu": {"request": "1"}}"#
            .to_string(),
    ]
    .join(",");
    let e = explain(&case(&cpu_case(3, 50, &pods, r#", "history": {"recommendations": []}"#)));
    assert_eq!(e.metrics[0].proposal, Some(3));
    assert_eq!(e.metrics[0].pods[0].group, "missing");
    assert_eq!(e.desired_replicas, 3);
}

#[test]
fn legacy_downscale_stabilisation_keeps_the_highest_recent_recommendation() {
    // Load fell to 10 %: the metric asks for ceil(0.2 × 4) = 1, but a recommendation of 4 from
    // 120 s ago is inside the 5-minute window.
    let pods = (0..4).map(|i| ready_pod(&format!("p{i}"), "1", "100m")).collect::<Vec<_>>().join(",");
    let history =
        r#", "history": {"recommendations": [{"replicas": 4, "secondsAgo": 120}, {"replicas": 9, "secondsAgo": 400}]}"#;
    let e = explain(&case(&cpu_case(4, 50, &pods, history)));
    assert_eq!((e.metrics[0].proposal, e.desired_replicas, e.limited_by.as_str()), (Some(1), 4, "ScaleDownStabilized"));
    // Without history the controller has just started: it seeds with the current 4 — same.
    assert_eq!(explain(&case(&cpu_case(4, 50, &pods, ""))).desired_replicas, 4);
    // With an empty log nothing holds it: 1.
    assert_eq!(explain(&case(&cpu_case(4, 50, &pods, r#", "history": {"recommendations": []}"#))).desired_replicas, 1);
}

#[test]
fn behavior_policies_limit_the_rate() {
    // tests/hpa/scale-down-policy.json: 20 rps per pod against 100: ceil(0.2 × 5) = 1, but the
    // scale-down policy allows 1 pod per 60 s and one pod was removed 30 s ago: the period
    // started at 5 + 1 = 6, so 6 − 1 = 5: no change (ScaleDownLimit).
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hpa/scale-down-policy.json")).unwrap();
    let e = explain(&case(&text));
    assert_eq!((e.metrics[0].proposal, e.desired_replicas, e.limited_by.as_str()), (Some(1), 5, "ScaleDownLimit"));
    // Percent policies round up when scaling up: 3 × 1.5 = 4.5 → 5.
    let pods = (0..3).map(|i| ready_pod(&format!("p{i}"), "1", "900m")).collect::<Vec<_>>().join(",");
    let json = format!(
        r#"{{"hpa": {{"spec": {{"maxReplicas": 20, "metrics": [{{"type": "Resource", "resource": {{"name": "cpu", "target": {{"type": "Utilization", "averageUtilization": 30}}}}}}],
            "behavior": {{"scaleUp": {{"policies": [{{"type": "Percent", "value": 50, "periodSeconds": 60}}]}}}}}}}},
            "currentReplicas": 3, "pods": [{pods}], "history": {{"recommendations": []}}}}"#
    );
    let e = explain(&case(&json));
    assert_eq!((e.metrics[0].proposal, e.desired_replicas, e.limited_by.as_str()), (Some(9), 5, "ScaleUpLimit"));
    // Default scale-down rules on the behavior path: a 300 s window holds a recent high.
    let pods = (0..4).map(|i| ready_pod(&format!("p{i}"), "1", "100m")).collect::<Vec<_>>().join(",");
    let json = format!(
        r#"{{"hpa": {{"spec": {{"maxReplicas": 20, "metrics": [{{"type": "Resource", "resource": {{"name": "cpu", "target": {{"type": "Utilization", "averageUtilization": 50}}}}}}], "behavior": {{}}}}}},
            "currentReplicas": 4, "pods": [{pods}], "history": {{"recommendations": [{{"replicas": 4, "secondsAgo": 200}}]}}}}"#
    );
    assert_eq!(explain(&case(&json)).desired_replicas, 4);
}

#[test]
fn object_external_and_the_invalid_metric_veto() {
    let pods = (0..3).map(|i| ready_pod(&format!("p{i}"), "1", "500m")).collect::<Vec<_>>().join(",");
    let json = |metrics: &str, extra: &str| {
        format!(
            r#"{{"hpa": {{"spec": {{"maxReplicas": 20, "metrics": [{metrics}]}}}}, "currentReplicas": 3, "statusReplicas": 3, "pods": [{pods}], "history": {{"recommendations": []}} {extra}}}"#
        )
    };
    // Object Value: 20 against 10 → ratio 2 × 3 ready pods = 6.
    let obj = r#"{"type": "Object", "object": {"metric": {"name": "queue"}, "describedObject": {"kind": "Service", "name": "q"}, "target": {"type": "Value", "value": "10"}}}"#;
    let e = explain(&case(&json(obj, r#", "objectMetrics": {"queue": 20}"#)));
    assert_eq!((e.metrics[0].proposal, e.desired_replicas), (Some(6), 6));
    // External AverageValue: series summed (10 + 20 = 30) / 5 per pod = 6.
    let ext = r#"{"type": "External", "external": {"metric": {"name": "sqs"}, "target": {"type": "AverageValue", "averageValue": "5"}}}"#;
    let e = explain(&case(&json(ext, r#", "externalMetrics": {"sqs": [10, 20]}"#)));
    assert_eq!(e.metrics[0].proposal, Some(6));
    // A broken metric may not let another scale down: CPU 50 % of 1 CPU against 90 % proposes
    // 2, the object metric has no value → stay at 3.
    let cpu = r#"{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 90}}}"#;
    let e = explain(&case(&json(&format!("{cpu}, {obj}"), "")));
    assert_eq!((e.metrics[0].proposal, e.metrics[1].proposal, e.desired_replicas), (Some(2), None, 3));
    assert_eq!(e.limited_by, "FailedGetMetrics");
}

#[test]
fn cli_explain_text_json_and_errors() {
    let bin = env!("CARGO_BIN_EXE_headroom");
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hpa/scale-up-with-unready.json");
    let o = std::process::Command::new(bin).args(["hpa", "explain", file]).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let t = String::from_utf8_lossy(&o.stdout);
    assert!(t.starts_with("desiredReplicas: 3 (current 3; limited by DesiredWithinRange)"), "{t}");
    assert!(t.contains("pod api-c unready: not ready, within the CPU initialisation period"), "{t}");
    let o = std::process::Command::new(bin).args(["hpa", "explain", file, "--format", "json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["desiredReplicas"], 3);
    // Errors point at the JSON path.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"hpa": {"spec": {"maxReplicas": 3}}, "currentReplicas": 1, "pods": [{"name": "a", "phase": "Running", "cpu": {"usage": "lots"}}]}"#).unwrap();
    let o = std::process::Command::new(bin).args(["hpa", "explain"]).arg(&bad).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("pods[0].cpu.usage: not a Kubernetes quantity: \"lots\""), "{err}");
}

/// A Pods-metric HPA with `behavior`, over `n` pods each at `rps` (target 100 per pod).
fn pods_case(current: i32, n: usize, rps: u32, behavior: &str, history: &str) -> String {
    let pods = (0..n)
        .map(|i| format!(r#"{{"name": "p{i}", "phase": "Running", "ready": true, "metrics": {{"rps": {rps}}}}}"#))
        .collect::<Vec<_>>()
        .join(",");
    format!(
        r#"{{"hpa": {{"spec": {{"minReplicas": 1, "maxReplicas": 50,
            "metrics": [{{"type": "Pods", "pods": {{"metric": {{"name": "rps"}}, "target": {{"type": "AverageValue", "averageValue": "100"}}}}}}],
            "behavior": {behavior}}}}}, "currentReplicas": {current}, "pods": [{pods}], "history": {history}}}"#
    )
}

#[test]
fn select_policy_min_max_and_disabled() {
    let none = r#"{"recommendations": []}"#;
    // 10 pods at 300 rps against 100: the metric asks for 30.
    // Up policies: Pods 4 → 14, Percent 50 → 15. Max picks 15, Min picks 14, Disabled stays.
    let policies =
        r#"[{"type": "Pods", "value": 4, "periodSeconds": 60}, {"type": "Percent", "value": 50, "periodSeconds": 60}]"#;
    for (select, want) in [("Max", 15), ("Min", 14), ("Disabled", 10)] {
        let b = format!(r#"{{"scaleUp": {{"selectPolicy": "{select}", "policies": {policies}}}}}"#);
        let e = explain(&case(&pods_case(10, 10, 300, &b, none)));
        assert_eq!((e.metrics[0].proposal, e.desired_replicas), (Some(30), want), "{select}");
    }
    // Down: 10 pods at 10 rps → 1. Pods 3 → 7; Percent 45 → int(10 × 0.55) = 5 (truncated).
    let down =
        r#"[{"type": "Pods", "value": 3, "periodSeconds": 60}, {"type": "Percent", "value": 45, "periodSeconds": 60}]"#;
    // Max picks the larger change (5), Min the smaller (7).
    for (select, want) in [("Max", 5), ("Min", 7), ("Disabled", 10)] {
        let b = format!(
            r#"{{"scaleDown": {{"stabilizationWindowSeconds": 0, "selectPolicy": "{select}", "policies": {down}}}}}"#
        );
        let e = explain(&case(&pods_case(10, 10, 10, &b, none)));
        assert_eq!(e.desired_replicas, want, "{select}");
    }
}

#[test]
fn scale_up_stabilisation_window_takes_the_lowest_recent_recommendation() {
    // The metric asks for 30 now, but 30 s ago the recommendation was 12: a 60 s scale-up window
    // holds the scale-up to min(30, 12) = 12 (the default policies would allow 20).
    let b = r#"{"scaleUp": {"stabilizationWindowSeconds": 60}}"#;
    let h = r#"{"recommendations": [{"replicas": 12, "secondsAgo": 30}, {"replicas": 3, "secondsAgo": 90}]}"#;
    let e = explain(&case(&pods_case(10, 10, 300, b, h)));
    assert_eq!((e.desired_replicas, e.limited_by.as_str()), (12, "ScaleUpStabilized"));
}

#[test]
fn recent_scale_up_events_use_up_the_policy_budget() {
    // Pods 4 per 60 s, 3 pods were added 20 s ago: the period started at 10 − 3 = 7, so 7 + 4 = 11.
    let b = r#"{"scaleUp": {"policies": [{"type": "Pods", "value": 4, "periodSeconds": 60}]}}"#;
    let h = r#"{"recommendations": [], "scaleUpEvents": [{"replicaChange": 3, "secondsAgo": 20}, {"replicaChange": 5, "secondsAgo": 90}]}"#;
    assert_eq!(explain(&case(&pods_case(10, 10, 300, b, h))).desired_replicas, 11);
}

#[test]
fn pending_and_deleting_pods() {
    // Pending pods are unready for every metric; deleting pods are ignored.
    let pods = [
        ready_pod("a", "1", "900m"),
        ready_pod("b", "1", "900m"),
        r#"{"name": "c", "phase": "Pending", "cpu": {"request": "1"}}"#.to_string(),
        r#"{"name": "d", "phase": "Running", "ready": true, "deleting": true, "startedSecondsAgo": 3600, "cpu": {"request": "1", "usage": "900m"}}"#.to_string(),
    ]
    .join(",");
    let e = explain(&case(&cpu_case(4, 50, &pods, r#", "history": {"recommendations": []}"#)));
    let groups: Vec<(&str, &str)> = e.metrics[0].pods.iter().map(|p| (p.pod.as_str(), p.group)).collect();
    assert_eq!(groups, [("c", "unready"), ("d", "ignored")]);
    // 90 % vs 50 %: ratio 1.8 > 1 with an unready pod: refill it at 0 → (900 + 900 + 0) / 3000 =
    // 60 % → ratio 1.2 → ceil(1.2 × 3) = 4 = current.
    assert_eq!(e.metrics[0].proposal, Some(4));
}

#[test]
fn container_resource_and_memory_average_value() {
    // ContainerResource: only the "app" container counts (sidecar ignored): 400m of 500m = 80 %
    // against 40 % → ratio 2 → ceil(2 × 2) = 4.
    let pod = |n: &str| {
        format!(
            r#"{{"name": "{n}", "phase": "Running", "ready": true, "startedSecondsAgo": 3600,
                "containers": [{{"name": "app", "cpu": {{"request": "500m", "usage": "400m"}}}}, {{"name": "istio-proxy", "cpu": {{"request": "100m", "usage": "5m"}}}}]}}"#
        )
    };
    let json = format!(
        r#"{{"hpa": {{"spec": {{"maxReplicas": 10, "metrics": [{{"type": "ContainerResource", "containerResource": {{"name": "cpu", "container": "app", "target": {{"type": "Utilization", "averageUtilization": 40}}}}}}]}}}},
            "currentReplicas": 2, "pods": [{}, {}], "history": {{"recommendations": []}}}}"#,
        pod("a"),
        pod("b")
    );
    assert_eq!(explain(&case(&json)).desired_replicas, 4);
    // Memory AverageValue: 1.5 Gi average against 1 Gi → ratio 1.5 → ceil(1.5 × 2) = 3.
    let mem = |n: &str| {
        format!(
            r#"{{"name": "{n}", "phase": "Running", "ready": true, "memory": {{"request": "2Gi", "usage": "1536Mi"}}}}"#
        )
    };
    let json = format!(
        r#"{{"hpa": {{"spec": {{"maxReplicas": 10, "metrics": [{{"type": "Resource", "resource": {{"name": "memory", "target": {{"type": "AverageValue", "averageValue": "1Gi"}}}}}}]}}}},
            "currentReplicas": 2, "pods": [{}, {}], "history": {{"recommendations": []}}}}"#,
        mem("a"),
        mem("b")
    );
    assert_eq!(explain(&case(&json)).desired_replicas, 3);
}

#[test]
fn out_of_range_current_replicas_skip_the_metrics() {
    let pods = ready_pod("a", "1", "900m");
    let json = |current: i32| cpu_case(current, 50, &pods, "").replace(r#""minReplicas": 1"#, r#""minReplicas": 2"#);
    let e = explain(&case(&json(25)));
    assert_eq!((e.desired_replicas, e.limited_by.as_str(), e.metrics.len()), (20, "TooManyReplicas", 0));
    let e = explain(&case(&json(1)));
    assert_eq!((e.desired_replicas, e.limited_by.as_str()), (2, "TooFewReplicas"));
    let e = explain(&case(&json(0)));
    assert_eq!((e.desired_replicas, e.limited_by.as_str()), (0, "ScalingDisabled"));
}

/// Every case in `tests/hpa/` gives the figures its `.expect` file states (worked by hand in the
/// tests above: `name: value` per line, for `proposal`, `desiredReplicas` and `limitedBy`).
#[test]
fn every_hpa_case_gives_its_expected_figures() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hpa");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let e = explain(&case(&std::fs::read_to_string(&path).unwrap()));
        let expect = std::fs::read_to_string(path.with_extension("expect")).unwrap();
        for line in expect.lines().filter(|l| !l.trim().is_empty()) {
            let (k, v) = line.split_once(": ").unwrap();
            let got = match k {
                "proposal" => e.metrics[0].proposal.map_or("none".into(), |p| p.to_string()),
                "desiredReplicas" => e.desired_replicas.to_string(),
                "limitedBy" => e.limited_by.clone(),
                _ => panic!("{}: unknown key {k}", path.display()),
            };
            assert_eq!(got, v, "{}: {k}", path.display());
        }
        n += 1;
    }
    assert!(n >= 2);
}

/// Kubernetes 1.33+ per-direction tolerance (`behavior.scaleUp.tolerance`): 3 pods at 380m of
/// 500m = 1140 / 1500 = 76 % against 70 %: ratio 76 / 70 = 1.0857. Within the default 0.1 →
/// stay at 3; with a scale-up tolerance of 0.05 it is outside → ceil(1.0857 × 3) = 4 (the
/// default scale-up policies allow +4 per 15 s). The scale-down side keeps the default.
#[test]
fn configurable_tolerance_per_direction() {
    // Three pods of 500m each using `usage`, against 70 %, with `behavior` appended to the spec.
    let with = |usage: &str, behavior: &str| {
        let pods = ["a", "b", "c"].map(|n| ready_pod(n, "500m", usage)).join(",");
        format!(
            r#"{{"hpa": {{"spec": {{"minReplicas": 1, "maxReplicas": 20, "metrics": [{{"type": "Resource", "resource": {{"name": "cpu", "target": {{"type": "Utilization", "averageUtilization": 70}}}}}}]{behavior}}}}},
               "currentReplicas": 3, "pods": [{pods}]}}"#
        )
    };
    let e = explain(&case(&with("380m", "")));
    assert_eq!((e.metrics[0].ratio.map(|r| (r * 1e4).round()), e.desired_replicas), (Some(10857.0), 3));
    assert!(e.metrics[0].note.contains("within tolerance 0.1"), "{}", e.metrics[0].note);
    let e = explain(&case(&with("380m", r#", "behavior": {"scaleUp": {"tolerance": "0.05"}}"#)));
    assert_eq!((e.metrics[0].proposal, e.desired_replicas), (Some(4), 4));
    // A quantity in milli-units says the same; a wider scale-down tolerance does not matter here.
    let wide = r#", "behavior": {"scaleUp": {"tolerance": "50m"}, "scaleDown": {"tolerance": 0.3}}"#;
    assert_eq!(explain(&case(&with("380m", wide))).desired_replicas, 4);
    // 3 pods at 300m: 60 % → ratio 0.857: scales down with the default 0.1, not with 0.2 down.
    assert_eq!(explain(&case(&with("300m", ""))).metrics[0].proposal, Some(3 * 6 / 7 + 1));
    let e = explain(&case(&with("300m", r#", "behavior": {"scaleDown": {"tolerance": "0.2"}}"#)));
    assert_eq!(e.metrics[0].proposal, Some(3));
    assert!(e.metrics[0].note.contains("within tolerance 0.2 down / 0.1 up"), "{}", e.metrics[0].note);
}

/// A field the controller model does not implement is an error naming it, never ignored.
#[test]
fn unimplemented_manifest_fields_are_rejected_by_name() {
    let base = |spec_extra: &str, rules_extra: &str| {
        format!(
            r#"{{"hpa": {{"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "spec": {{"maxReplicas": 5{spec_extra}, "behavior": {{"scaleUp": {{"stabilizationWindowSeconds": 0{rules_extra}}}}}}}}}, "currentReplicas": 2}}"#
        )
    };
    assert!(parse_case(&base("", "")).is_ok());
    let err = |s: String| parse_case(&s).unwrap_err().to_string();
    let e = err(base("", r#", "scaleToZero": true"#));
    assert!(e.starts_with("hpa.spec.behavior.scaleUp.scaleToZero: unknown field `scaleToZero`"), "{e}");
    let e = err(base(r#", "minReplicasOverride": 1"#, ""));
    assert!(e.starts_with("hpa.spec.minReplicasOverride: unknown field `minReplicasOverride`"), "{e}");
    let e = err(base("", "").replace("autoscaling/v2", "autoscaling/v1"));
    assert!(e.starts_with("hpa.apiVersion: unknown variant `autoscaling/v1`"), "{e}");
    let e = err(base(
        r#", "metrics": [{"type": "External", "external": {"metric": {"name": "q", "selector": {"matchLabels": {"q": "a"}}}, "target": {"type": "Value", "value": "1"}}}]"#,
        "",
    ));
    assert!(e.contains("unknown field `selector`"), "{e}");
}

/// Specs the API server would reject are rejected, each naming its rule (found by fuzzing:
/// `maxReplicas: -5` used to answer "desiredReplicas: -5").
#[test]
fn impossible_specs_and_counts_are_rejected() {
    let with = |spec: &str, current: i32| {
        parse_case(&format!(r#"{{"hpa": {{"spec": {{{spec}}}}}, "currentReplicas": {current}}}"#))
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    assert_eq!(with(r#""maxReplicas": 3"#, 2), Ok(()));
    assert_eq!(
        with(r#""maxReplicas": -5"#, 2).unwrap_err(),
        "hpa.spec.maxReplicas: must be at least minReplicas (1), found -5"
    );
    assert_eq!(
        with(r#""minReplicas": 4, "maxReplicas": 3"#, 2).unwrap_err(),
        "hpa.spec.maxReplicas: must be at least minReplicas (4), found 3"
    );
    assert_eq!(
        with(r#""minReplicas": 0, "maxReplicas": 3"#, 2).unwrap_err(),
        "hpa.spec.minReplicas: must be at least 1 (scale to zero is not modelled), found 0"
    );
    assert_eq!(with(r#""maxReplicas": 3"#, -1).unwrap_err(), "currentReplicas: must be 0 or more, found -1");
}
