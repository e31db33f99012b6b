//! Availability, RTO, RPO, zone loss and the comparison, worked by hand.

use crate::common::close;
use crate::common::seed_report;
use headroom::engine::topology::HOURS_PER_YEAR;
use headroom::{Catalog, load_scenario, plan};

#[test]
fn series_and_failover_availability_by_hand() {
    let r = seed_report();
    let ws = r.resilience.iter().find(|x| x.variant == "aws-warm-standby").unwrap();
    let a = &ws.availability;
    // Series: ALB 99.99 × EKS 99.95 × EC2 multi-AZ 99.99 × RDS Multi-AZ 99.95 × ElastiCache 99.99.
    let a_p = 0.9999 * 0.9995 * 0.9999 * 0.9995 * 0.9999;
    close(a.primary_availability, a_p, 1e-12);
    close(a_p, 0.998_700_5, 1e-6);
    // (1 − 0.9987005) × 8766 h / 4 h MTTR = 2.848 outages a year.
    let incidents = (1.0 - a_p) * HOURS_PER_YEAR / 4.0;
    close(a.incidents_per_year, incidents, 1e-9);
    // The standby has the same stack; each outage costs the 48-min RTO if it is up, else 4 h.
    let rto_h = (1.5 + 30.0 + 10.0 + 5.0 + 1.0) / 60.0;
    close(a.rto_hours.unwrap(), rto_h, 1e-9);
    let downtime = incidents * (a_p * rto_h + (1.0 - a_p) * 4.0);
    close(a.downtime_hours_per_year, downtime, 1e-9);
    close(downtime, 2.27, 0.01);
    assert!(ws.meets.availability);
    // Without a recovery site the same stack is down (1 − A) × 8766 = 11.39 h/yr: fails 99.9 %.
    let br = r.resilience.iter().find(|x| x.variant == "aws-backup-restore").unwrap();
    // Backup & restore: the RTO (8.4 h at month 60) exceeds the 4 h MTTR, so every outage
    // lasts the MTTR.
    close(br.availability.downtime_hours_per_year, (1.0 - a_p) * HOURS_PER_YEAR, 1e-9);
    close(br.availability.downtime_hours_per_year, 11.39, 0.01);
    assert!(!br.meets.availability);
    // 99.9 % allows 8.766 h a year.
    close(a.target_downtime_hours, 8.766, 1e-9);
    assert!(a.dominant.ends_with("RDS Multi-AZ") || a.dominant.ends_with("EKS control plane"));
}

#[test]
fn restore_time_rto_grows_with_the_data() {
    let r = seed_report();
    let br = r.resilience.iter().find(|x| x.variant == "aws-backup-restore").unwrap();
    // Month 1: 250 GB of data + one day of logs (200 GB/month / 30.4375) at 100 GB/h.
    let restore = (250.0 + 200.0 / 30.4375) / 100.0 * 60.0;
    let steps: Vec<f64> = br.rto_first.steps.iter().map(|s| s.minutes).collect();
    assert_eq!(steps.len(), 6);
    close(steps[3], restore, 1e-9);
    close(br.rto_first.hours.unwrap(), (1.5 + 30.0 + 45.0 + restore + 5.0 + 1.0) / 60.0, 1e-9);
    assert!(br.rto_first.hours.unwrap() < 4.0);
    // Month 60: more data, so the restore alone takes longer than the 4 h target.
    assert!(br.rto_last.hours.unwrap() > 4.0);
    assert!(!br.meets.rto);
}

#[test]
fn rpo_from_replication() {
    let r = seed_report();
    let rpo = |v: &str| r.resilience.iter().find(|x| x.variant == v).unwrap().rpo.minutes;
    assert_eq!(rpo("aws-backup-restore"), Some(5.0)); // 5-minute transaction-log shipping
    assert_eq!(rpo("onprem-backup-s3"), Some(1440.0)); // nightly snapshots
    close(rpo("aws-warm-standby").unwrap(), 5.0 / 60.0, 1e-12); // 5 s async lag
}

#[test]
fn zone_loss_passes_for_the_seed_and_fails_without_headroom() {
    let r = seed_report();
    for res in &r.resilience {
        assert!(res.zone_loss_first.ok && res.zone_loss_last.ok, "{}", res.variant);
        assert_eq!(res.zone_loss_first_failing_month, None);
    }
    // No zone-loss rule and a Single-AZ database: month 1 has 3 nodes (minNodes) for 2 nodes of
    // pods, so losing a zone still fits the pods, but the database goes with its zone.
    let text = headroom::SEED_SCENARIO
        .replace("survive_zone_loss: true,", "survive_zone_loss: false,")
        .replace("multi_az: true,", "multi_az: false,");
    let s = load_scenario(&text, Catalog::builtin()).unwrap();
    let r = plan(&s, Catalog::builtin());
    let ws = &r.resilience[0];
    let z = &ws.zone_loss_first.sites[0];
    assert_eq!((z.nodes, z.nodes_after, z.nodes_needed, z.pods_fit, z.database_survives), (3, 2, 2, true, false));
    assert!(!ws.zone_loss_first.ok);
    assert_eq!(ws.zone_loss_first_failing_month, Some(1));
    // ... and the plan warns about it.
    let w = r
        .warnings
        .iter()
        .find(|w| {
            w.kind == headroom::engine::report::WarningKind::ZoneLossNotAbsorbed && w.variant == "aws-warm-standby"
        })
        .unwrap();
    assert_eq!(w.message, "losing a zone at peak is not absorbed (aws-primary: the database goes with its zone)");
    // Later the pods need 3 nodes; the pool then runs 3 with no spare: pods no longer fit either.
    let last = &ws.zone_loss_last.sites[0];
    assert_eq!((last.nodes, last.nodes_after, last.pods_fit), (3, 2, false));
}

/// The six seed variants ordered by cost with their verdicts (golden).
#[test]
fn golden_comparison() {
    let r = seed_report();
    assert_eq!(r.comparison.rows.len(), 6);
    let table = headroom::output::render::compare_table(&r);
    let summary: String = table.lines().take_while(|l| !l.starts_with("== ")).collect::<Vec<_>>().join("\n");
    insta::assert_snapshot!(summary);
    // Every seed variant is complete (on-prem TCO inputs, us-west-2 gaps filled as assumptions):
    // ranked by total. Backup-and-restore is cheapest but misses availability and RTO; the pilot
    // light is the cheapest meeting every target.
    assert!(r.comparison.rows.iter().all(|x| x.complete));
    assert_eq!(r.comparison.cheapest_meeting_all.as_deref(), Some("aws-pilot-light"));
    let totals: Vec<f64> = r.comparison.rows.iter().map(|x| x.total_usd).collect();
    assert!(totals.windows(2).all(|w| w[0] <= w[1]));
    let ranks: Vec<Option<u32>> = r.comparison.rows.iter().map(|x| x.rank).collect();
    assert_eq!(ranks, (1..=6).map(Some).collect::<Vec<_>>());
}

/// An incomplete variant is never ranked, never cheapest, never a delta, even with the lowest
/// known total; with none complete the decision says so.
#[test]
fn unknown_costs_never_rank() {
    let cat = Catalog::builtin();
    let mut sc = headroom::parse_scenario(headroom::SEED_SCENARIO).unwrap();
    sc.finance.onprem = None;
    sc.uncertainty.inputs.retain(|i| !i.path.starts_with("finance.onprem"));
    // The hybrid meets every target and, without its on-prem costs, has the lowest known total
    // of the variants that do.
    let s = headroom::scenario::validate::validate(sc.clone(), cat).unwrap();
    let r = headroom::plan(&s, cat);
    let c = &r.comparison;
    let hybrid = c.rows.iter().find(|x| x.variant == "hybrid-onprem-primary").unwrap();
    let pilot = c.rows.iter().find(|x| x.variant == "aws-pilot-light").unwrap();
    assert!(hybrid.meets.all && hybrid.total_usd < pilot.total_usd, "the trap is set");
    assert!(!hybrid.complete);
    assert_eq!((hybrid.rank, hybrid.delta_total_usd), (None, None));
    let n = r.variants.iter().find(|v| v.name == "hybrid-onprem-primary").unwrap().completeness.unpriced.len();
    // On-prem nodes, PostgreSQL, its storage, Redis, NAS/SAN.
    assert_eq!(n, 5);
    assert_eq!(hybrid.status, "cannot rank: 5 lines unpriced");
    assert_eq!(c.cheapest_meeting_all.as_deref(), Some("aws-pilot-light"));
    assert!(c.decision.starts_with("Cheapest variant meeting every target: aws-pilot-light ("), "{}", c.decision);
    // Complete rows first (ranked 1..4), the two on-prem variants after them, unranked.
    let order: Vec<(&str, Option<u32>)> = c.rows.iter().map(|x| (x.variant.as_str(), x.rank)).collect();
    assert_eq!(
        order,
        [
            ("aws-backup-restore", Some(1)),
            ("aws-pilot-light", Some(2)),
            ("aws-warm-standby", Some(3)),
            ("aws-active-active", Some(4)),
            ("hybrid-onprem-primary", None),
            ("onprem-backup-s3", None),
        ]
    );
    // What fills each unpriced line is named.
    let fills = r.variants.iter().find(|v| v.name == "hybrid-onprem-primary").unwrap().completeness.fill_list();
    assert!(fills.iter().all(|f| f.ends_with("(fill finance.onprem (the on-prem TCO inputs))")), "{fills:?}");
    // Without the us-west-2 assumptions too, nothing can be ranked.
    sc.pricing.overrides.retain(|k, _| !k.starts_with("us-west-2/"));
    let s = headroom::scenario::validate::validate(sc, cat).unwrap();
    let c = headroom::plan(&s, cat).comparison;
    assert_eq!(c.complete_variants, 0);
    assert_eq!(c.cheapest_meeting_all, None);
    assert_eq!(
        c.decision,
        "No variant can be ranked: every variant has unpriced lines (6 of 6); known amounts are lower bounds"
    );
    assert!(c.rows.iter().all(|x| x.delta_total_usd.is_none()));
}

#[test]
fn cli_compare_json_and_baseline() {
    let bin = env!("CARGO_BIN_EXE_headroom");
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/models/enterprise-hybrid-dr.ron");
    let o = std::process::Command::new(bin)
        .args(["compare", seed, "--baseline", "aws-pilot-light", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["comparison"]["baseline"], "aws-pilot-light");
    let rows = v["comparison"]["rows"].as_array().unwrap();
    let pilot = rows.iter().find(|r| r["variant"] == "aws-pilot-light").unwrap();
    assert_eq!(pilot["delta_total_usd"], 0.0);
    assert_eq!(v["resilience"].as_array().unwrap().len(), 6);
    let o = std::process::Command::new(bin).args(["compare", seed, "--baseline", "nope"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    // Zone loss at the peak of a chosen month: month 30 (2029-06) needs 3 nodes of pods on the
    // primary's 5, and 3 remain when the 2-node zone is gone.
    let o = std::process::Command::new(bin).args(["compare", seed, "--zone-loss-month", "30"]).output().unwrap();
    let t = String::from_utf8_lossy(&o.stdout);
    assert!(
        t.contains("aws-warm-standby: zone loss at the 2029-06 peak: absorbed (aws-primary: 5 → 3 nodes for 3 needed"),
        "{t}"
    );
    let o = std::process::Command::new(bin).args(["compare", seed, "--zone-loss-month", "61"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_slow_hpa_behavior_lengthens_the_failover() {
    // The API's HPA may add only 1 pod per 10 minutes: the warm standby's scale-up to the
    // primary's load then outlasts the 10-minute database promotion. By hand: the first pod
    // at the first sync (15 s), then one per 600 s: 15 + (to − from − 1) × 600 seconds, after
    // the 4-minute node provisioning.
    let cat = Catalog::builtin();
    let text = crate::common::seed_text().replacen(
        "name: \"api\",",
        "name: \"api\", hpa_behavior: (scale_up: (policies: [(kind: Pods, value: 1, period_s: 600)])),",
        1,
    );
    let s = load_scenario(&text, cat).unwrap();
    let r = plan(&s, cat);
    let ws = r.resilience.iter().find(|x| x.variant == "aws-warm-standby").unwrap();
    let m1 = &r.variants[0].months[0];
    let api = |site: &str| {
        let x = m1.sites.iter().find(|x| &*x.site == site).unwrap();
        x.services.iter().find(|v| &*v.service == "api").unwrap().replicas
    };
    let (from, to) = (api("aws-dr"), api("aws-primary"));
    assert!(to > from + 1, "{from} → {to}");
    let t = 15 + (to - from - 1) * 600;
    let step = &ws.rto_first.steps[2];
    assert!(step.detail.ends_with(&format!("HPA {t} s (api, syncs every 15 s)")), "{}", step.detail);
    close(step.minutes, 4.0 + f64::from(t) / 60.0, 1e-9);
    close(ws.rto_first.hours.unwrap(), (1.5 + 30.0 + step.minutes + 5.0 + 1.0) / 60.0, 1e-9);
    // The seed without it: the promotion (10 min) is the longer branch.
    let base = seed_report();
    let b = base.resilience.iter().find(|x| x.variant == "aws-warm-standby").unwrap();
    close(b.rto_first.steps[2].minutes, 10.0, 1e-9);
}
