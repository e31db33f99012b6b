//! The seed scenario, month 1 and month 60, checked by hand and against a golden summary.

use crate::common::close;
use crate::common::{line, seed_report};
use headroom::scenario::model::Category;
use headroom::{Catalog, load_scenario, plan};

#[test]
fn month_1_needs_exactly_three_m5_xlarge_and_db_r5_large() {
    let r = seed_report();
    let v = &r.variants[0];
    assert_eq!(v.name, "aws-warm-standby");
    let m1 = &v.months[0];
    let primary = &m1.sites[0];
    let pool = &primary.pools[0];
    assert_eq!((&*pool.instance_type, pool.nodes, pool.packed_nodes), ("m5.xlarge", 3, 2));
    assert_eq!(pool.nodes_per_zone, vec![1, 1, 1]);
    let db = primary.database.as_ref().unwrap();
    assert_eq!(
        (&*db.class, db.multi_az, db.bound_by),
        ("db.r5.large", true, headroom::engine::report::DbBound::Memory)
    );
    // Traffic: 1000 users × 0.15 req/s = 150 req/s at the peak; the business-day profile
    // averages 10.7/24 of the peak, so 150 × 10.7/24 × 730 h × 3600 s requests a month.
    let t = &primary.traffic;
    close(t.peak_rps, 150.0, 1e-6);
    close(t.avg_rps, 150.0 * 10.7 / 24.0, 1e-6);
    close(t.requests_per_month, 150.0 * 10.7 / 24.0 * 730.0 * 3600.0, 1e-6);
    // The standby is sized for 20 % but serves nothing; it receives the replication stream:
    // WAL 1000 × 0.2 GB + new objects 1000 × 0.05 GB = 250 GB a month.
    let dr = &m1.sites[1].traffic;
    assert_eq!(dr.requests_per_month, 0.0);
    close(dr.replication_in_gb, 250.0, 1e-6);
    // The hybrid variant's on-prem primary is sized the same way.
    let h = &r.variants[1].months[0].sites[0];
    assert_eq!((h.pools[0].nodes, &*h.database.as_ref().unwrap().class), (3, "db.r5.large"));
}

#[test]
fn month_1_cost_lines_worked_by_hand() {
    let r = seed_report();
    let m1 = &r.variants[0].months[0];
    // aws-pricing.md §2: 3 nodes × 730 h × $0.192 = $420.48 (= S6's eks_node_group_test figure).
    close(line(m1, "aws-primary", "EC2 nodes").usd.unwrap(), 420.48, 1e-6);
    // §3: EKS $0.10 × 730 = $73.00.
    close(line(m1, "aws-primary", "EKS control plane").usd.unwrap(), 73.0, 1e-6);
    // §4.1: db.r5.large Multi-AZ $0.500 × 730 = $365.00.
    close(line(m1, "aws-primary", "RDS PostgreSQL db.r5.large").usd.unwrap(), 365.0, 1e-6);
    // Storage: ceil((150 GB + 1000 users × 0.1 GB) × 1.25) = 313 GB × $0.23 = $71.99.
    let st = line(m1, "aws-primary", "RDS gp3 storage");
    assert_eq!(st.quantity, 313.0);
    close(st.usd.unwrap(), 71.99, 1e-6);
    // §5: 1 shard × (1 + 1 replica) cache.m5.large × 730 h × $0.156 = $227.76.
    close(line(m1, "aws-primary", "ElastiCache").usd.unwrap(), 227.76, 1e-6);
    // §8: Shield Advanced $3,000 (one per organisation) and WAF fees covered by it.
    close(line(m1, "", "AWS Shield Advanced").usd.unwrap(), 3000.0, 1e-6);
    assert_eq!(line(m1, "aws-primary", "WAF rules").usd, Some(0.0));
    // §9: Direct Connect $0.30 × 730 = $219.00; VPN $0.05 × 730 = $36.50.
    close(line(m1, "", "Direct Connect 1 Gbps").usd.unwrap(), 219.0, 1e-6);
    close(line(m1, "", "Site-to-site VPN").usd.unwrap(), 36.5, 1e-6);
    // Compute category = EKS + EC2 = $493.48, inside the seed's $450–600 row.
    close(m1.category(Category::Compute), 493.48, 1e-6);
    // The DR EKS control plane: AWS states $0.10 per cluster-hour for every region (S14), so
    // the catalog has it: $0.10 × 730 h = $73.00.
    let dr_eks = line(m1, "aws-dr", "EKS control plane");
    assert_eq!((dr_eks.unit_usd, dr_eks.usd), (Some(0.1), Some(73.0)));
    assert_eq!(r.prices[dr_eks.price.unwrap() as usize].source, "S14");
    // The catalog's us-west-2 gaps are filled by the seed's labelled assumptions: the DR ALB
    // at the us-east-1 $0.0225 × 730 h = $16.425, its source saying so.
    let dr_alb = line(m1, "aws-dr", "Application Load Balancer");
    assert_eq!(dr_alb.unit_usd, Some(0.0225));
    close(dr_alb.usd.unwrap(), 16.425, 1e-9);
    let p = &r.prices[dr_alb.price.unwrap() as usize];
    assert!(p.source.starts_with("assumption: the us-east-1 list price"), "{}", p.source);
    // The total is the sum of the lines; nothing is unpriced.
    let sum: f64 = m1.lines.iter().filter_map(|l| l.usd).sum();
    close(m1.total_usd, sum, 1e-6);
    assert_eq!(m1.unknown_lines, 0);
    assert!(r.variants.iter().all(|v| v.completeness.complete));
}

/// Without the seed's assumptions, a gap stays a gap: no price, no cost, counted.
#[test]
fn catalog_gaps_stay_gaps() {
    let cat = Catalog::builtin();
    let r = plan(&load_scenario(&crate::common::seed_text(), cat).unwrap(), cat);
    let m1 = &r.variants[0].months[0];
    let dr_alb = line(m1, "aws-dr", "Application Load Balancer");
    assert_eq!((dr_alb.unit_usd, dr_alb.usd), (None, None));
    let sum: f64 = m1.lines.iter().filter_map(|l| l.usd).sum();
    close(m1.total_usd, sum, 1e-6);
    assert_eq!(m1.unknown_lines as usize, m1.lines.iter().filter(|l| l.usd.is_none()).count());
    assert!(m1.unknown_lines > 0);
    assert!(!r.variants[0].completeness.complete);
}

#[test]
fn seed_disagreements_with_its_own_cost_table_are_shown() {
    let r = seed_report();
    let find = |label: &str| r.reference_checks.iter().find(|c| c.label.starts_with(label)).unwrap();
    // Security: the $3,000 Shield Advanced fee alone is ten times the seed's $300 ceiling.
    assert_eq!(find("Security").verdict, headroom::engine::report::Verdict::Above);
    assert!(find("Security").plan_usd > 3000.0);
    // Compute lands in the seed's range.
    assert_eq!(find("Compute").verdict, headroom::engine::report::Verdict::Within);
    // Lines the seed leaves out are listed with their cost.
    let left = find("Not in the estimate");
    assert_eq!(left.categories, vec![Category::Networking, Category::Cache, Category::Connectivity]);
    assert!(left.plan_usd > 0.0);
}

#[test]
fn month_60_grows_with_twenty_percent_a_year() {
    let r = seed_report();
    // Month 60 is index 59: 1000 × 1.2^(59/12), then December seasonality 0.85.
    let d = &r.demand[59];
    close(d.users, 1000.0 * 1.2f64.powf(59.0 / 12.0), 1e-6);
    close(d.peak_users, d.users * 0.85, 1e-6);
    let m60 = &r.variants[0].months[59];
    // The working set outgrew db.r5.large's 16 GiB: (2 + 2083.5 × 6 / 1024) / 0.75 > 16.
    let db = m60.sites[0].database.as_ref().unwrap();
    assert!(db.memory_needed_gib > 16.0);
    assert_eq!(&*db.class, "db.r5.xlarge");
}

/// Month 1 and month 60 of every variant, as a golden text file (`tests/snapshots/`).
/// Refresh deliberately with `INSTA_UPDATE=always cargo test --test seed` and review the diff.
#[test]
fn golden_month_1_and_60() {
    let r = seed_report();
    let mut out = String::new();
    for v in &r.variants {
        for m in [&v.months[0], &v.months[59]] {
            out += &format!("{} month {} ({})\n", v.name, m.index + 1, m.month);
            for s in &m.sites {
                let pools: Vec<String> = s
                    .pools
                    .iter()
                    .map(|p| format!("{}×{} (packed {})", p.nodes, p.instance_type, p.packed_nodes))
                    .collect();
                let reps: Vec<String> = s.services.iter().map(|x| format!("{}={}", x.service, x.replicas)).collect();
                out += &format!(
                    "  {}: pods [{}] nodes [{}] db {} cache {}\n",
                    s.site,
                    reps.join(" "),
                    pools.join(", "),
                    s.database.as_ref().map_or("-".into(), |d| d.class.to_string()),
                    s.cache.as_ref().map_or(0, |c| c.nodes)
                );
            }
            for (c, usd) in &m.by_category {
                out += &format!("  {:<28} {:>10.2}\n", c.label(), usd);
            }
            out += &format!("  {:<28} {:>10.2} (+{} unknown lines)\n", "TOTAL", m.total_usd, m.unknown_lines);
        }
        out += &format!("{} five-year total {:.2}\n\n", v.name, v.total_usd);
    }
    insta::assert_snapshot!(out);
}

#[test]
fn same_model_same_report_byte_for_byte() {
    let a = headroom::output::render::json(&seed_report());
    let b = headroom::output::render::json(&seed_report());
    assert_eq!(a, b);
}

/// The database follows the resize policy: with the default (never down) each variant's class
/// changes at most twice in 60 months and never downward; with "down after 1 month, no margin"
/// it follows each month's peak again, seasonal dips included.
#[test]
fn database_class_follows_the_resize_policy() {
    let cat = Catalog::builtin();
    let r = seed_report();
    let order = ["db.m5.large", "db.r5.large", "db.m5.xlarge", "db.r5.xlarge"];
    let rank = |c: &str| order.iter().position(|x| *x == c).unwrap();
    for v in &r.variants {
        let classes: Vec<&str> =
            v.months.iter().map(|m| m.sites[0].database.as_ref().unwrap().class.as_str()).collect();
        let changes: Vec<(usize, usize)> =
            classes.windows(2).filter(|w| w[0] != w[1]).map(|w| (rank(w[0]), rank(w[1]))).collect();
        assert!(changes.len() <= 2 && changes.iter().all(|(a, b)| b > a), "{}: {classes:?}", v.name);
        // The run class covers the month's need.
        for m in &v.months {
            let d = m.sites[0].database.as_ref().unwrap();
            assert!(rank(&d.class) >= rank(&d.needed_class));
        }
        // Each change is listed as an event of the primary site with its reason.
        let site = v.months[0].sites[0].site;
        let events: Vec<_> = v
            .resize_events
            .iter()
            .filter(|e| e.site == site && e.resource == headroom::engine::report::Resource::Database)
            .collect();
        assert_eq!(events.len(), changes.len(), "{}", v.name);
    }
    let ws = &r.variants[0];
    let e = &ws.resize_events[0];
    assert_eq!((e.month, e.from.as_str(), e.to.as_str()), (27, "db.r5.large", "db.m5.xlarge"));
    assert!(e.reason.starts_with("CPU: "), "{}", e.reason);
    // Month by month (the behaviour before the policy): down in the August dip of 2029.
    let text = crate::common::seed_text().replace(
        "        telemetry: (",
        "        resize: (database_down_after_months: Some(1), down_margin: 1.0),\n        telemetry: (",
    );
    let r = plan(&load_scenario(&text, cat).unwrap(), cat);
    let ws = &r.variants[0];
    for m in &ws.months {
        let d = m.sites[0].database.as_ref().unwrap();
        assert_eq!(d.class, d.needed_class, "{}", m.month);
    }
    let aug = &ws.months[31];
    assert_eq!(aug.month.to_string(), "2029-08");
    assert_eq!(aug.sites[0].database.as_ref().unwrap().class.as_str(), "db.r5.large");
    assert!(ws.resize_events.iter().any(|e| e.month == 32 && e.to == "db.r5.large"));
}

/// Issue #16: the seed planned with its primary in eu-west-1 has every EC2, RDS and ElastiCache
/// line priced there (the shipped eu-west-1 table), the rest of that region's gaps counted.
#[test]
fn the_seed_in_eu_west_1_prices_its_nodes_database_and_cache() {
    let cat = Catalog::builtin();
    let text = headroom::SEED_SCENARIO.replace("Aws(\"us-east-1\")", "Aws(\"eu-west-1\")");
    let r = plan(&load_scenario(&text, cat).unwrap(), cat);
    let mut checked = 0;
    for v in &r.variants {
        for m in &v.months {
            for l in &m.lines {
                let Some(p) = l.price.map(|i| &r.prices[i as usize]) else { continue };
                if p.region == "eu-west-1"
                    && ["ec2.", "rds.postgres.", "elasticache."].iter().any(|k| p.key.starts_with(k))
                {
                    assert!(l.usd.is_some(), "{} {}: {} unpriced", v.name, m.month, p.key);
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 500, "{checked}");
    // m5.xlarge in Ireland: $0.214 an hour (S3), so month 1's three primary nodes cost
    // 3 × 730 × $0.214 = $468.66.
    let m1 = &r.variants[0].months[0];
    let ec2 = m1.lines.iter().find(|l| l.site.as_str() == "aws-primary" && l.item.starts_with("EC2 nodes")).unwrap();
    close(ec2.usd.unwrap(), 468.66, 1e-6);
}
