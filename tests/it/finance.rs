//! Money the way finance sees it, worked by hand: reservations and savings plans (cash vs
//! amortised), on-prem depreciation, discount, escalation, contingency, fiscal years, currency.

use crate::common::close;
use headroom::engine::recommend::RecommendationKind;
use headroom::engine::report::{VariantMonth, View};
use headroom::{Catalog, LoadError, load_scenario, plan};

/// The seed with a `finance` block.
fn with_finance(finance: &str) -> headroom::Report {
    let text =
        crate::common::seed_text().replacen("    pricing: (", &format!("    finance: ({finance}),\n    pricing: ("), 1);
    let s = load_scenario(&text, Catalog::builtin()).unwrap_or_else(|e| panic!("{e}"));
    plan(&s, Catalog::builtin())
}

fn line_usd(m: &VariantMonth, starts: &str, view: View) -> f64 {
    m.lines.iter().filter(|l| l.item.starts_with(starts) && l.view == view).filter_map(|l| l.usd).sum()
}

#[test]
fn one_year_no_upfront_reservation_from_the_catalog() {
    let r = with_finance(
        r#"commitments: [(kind: Ec2Reserved(instance_type: "m5.xlarge", count: 3), region: "us-east-1",
            term_years: 1, payment: NoUpfront, start: "2027-01", variants: ["aws-warm-standby"])]"#,
    );
    let m1 = &r.variants[0].months[0];
    // 3 × 730 h covered at the on-demand $0.192 they replace, 3 × 730 h × $0.121 fee (S3 [B]).
    close(line_usd(m1, "On-demand hours covered by 3 × m5.xlarge", View::Both), -420.48, 1e-6);
    close(line_usd(m1, "3 × m5.xlarge reserved (1-yr NoUpfront): recurring fee", View::Both), 264.99, 1e-6);
    // Compute = EKS $73 + nodes $420.48 − $420.48 + $264.99.
    close(m1.category(headroom::scenario::model::Category::Compute), 73.0 + 264.99, 1e-6);
    // No upfront: cash and amortised agree.
    close(m1.total_usd, m1.cash_usd, 1e-6);
    // The other variants are untouched.
    close(r.variants[2].months[0].category(headroom::scenario::model::Category::Compute), 493.48, 1e-6);
}

#[test]
fn partial_upfront_is_paid_at_each_term_start_in_cash_and_spread_when_amortised() {
    let r = with_finance(
        r#"commitments: [(kind: Ec2Reserved(instance_type: "m5.xlarge", count: 2), region: "us-east-1",
            term_years: 3, payment: PartialUpfront, start: "2027-01", hourly_usd: 0.035, upfront_usd: 1000,
            source: "AWS console quote 2026-11", variants: ["aws-warm-standby"])]"#,
    );
    let v = &r.variants[0];
    let m1 = &v.months[0];
    close(line_usd(m1, "2 × m5.xlarge reserved (3-yr PartialUpfront): upfront payment", View::Cash), 2000.0, 1e-6);
    close(
        line_usd(m1, "2 × m5.xlarge reserved (3-yr PartialUpfront): upfront, amortised", View::Amortised),
        2000.0 / 36.0,
        1e-6,
    );
    close(
        line_usd(m1, "2 × m5.xlarge reserved (3-yr PartialUpfront): recurring fee", View::Both),
        2.0 * 730.0 * 0.035,
        1e-6,
    );
    close(m1.cash_usd - m1.total_usd, 2000.0 - 2000.0 / 36.0, 1e-6);
    // Month 2: nothing upfront in cash; the amortised share continues.
    close(v.months[1].total_usd - v.months[1].cash_usd, 2000.0 / 36.0, 1e-6);
    // Renewed at month 37: a second upfront in cash.
    close(
        line_usd(&v.months[36], "2 × m5.xlarge reserved (3-yr PartialUpfront): upfront payment", View::Cash),
        2000.0,
        1e-6,
    );
    // Over the first term both views spend the same money.
    let cash: f64 = v.months[..36].iter().map(|m| m.cash_usd).sum();
    let amortised: f64 = v.months[..36].iter().map(|m| m.total_usd).sum();
    close(cash, amortised, 1e-6);
    // The line says the rate is the user's.
    assert!(m1.lines.iter().any(|l| l.basis == "user-supplied rate: AWS console quote 2026-11"));
}

#[test]
fn savings_plan_covers_usage_up_to_its_commitment() {
    let r = with_finance(
        r#"commitments: [(kind: SavingsPlan(usd_per_hour: 0.20, discount: 0.28), region: "us-east-1",
            term_years: 1, payment: NoUpfront, start: "2027-01", source: "xplorr.io early 2026 [C]",
            variants: ["aws-warm-standby"])]"#,
    );
    let m1 = &r.variants[0].months[0];
    // $0.20/h × 730 h buys $146 at 28 % off = $202.78 of on-demand usage (of $420.48 in us-east-1).
    close(line_usd(m1, "On-demand usage covered by Compute Savings Plan", View::Both), -0.20 * 730.0 / 0.72, 1e-6);
    close(
        line_usd(m1, "Compute Savings Plan $0.2/h at 28 % off (1-yr NoUpfront): commitment", View::Both),
        146.0,
        1e-6,
    );
}

const TCO: &str = r#"onprem: (
    server: (cores: 16, memory_gib: 64, usd: 12000, power_kw: 0.4, rack_units: 1),
    database_servers: 2, database_server_usd: 15000, storage_usd_per_tb: 500, storage_copies: 2,
    fixed_hardware: [(name: "Firewall pair", usd: 30000, power_kw: 0.3, rack_units: 2)],
    depreciation_years: 5, pue: 1.5, usd_per_kwh: 0.12, usd_per_rack_unit_month: 20,
    support_usd_per_core_year: 1000, staff_fte: 0.5, staff_usd_per_fte_year: 120000,
    source: "test figures")"#;

#[test]
fn on_prem_hardware_is_bought_in_steps_and_depreciated_straight_line() {
    let r = with_finance(TCO);
    let h = r.variants.iter().find(|v| v.name == "hybrid-onprem-primary").unwrap();
    let m1 = &h.months[0];
    // Month 1: 3 m5.xlarge-equivalents = 12 cores / 48 GiB → 1 server of 16 cores / 64 GiB.
    close(line_usd(m1, "Servers bought", View::Cash), 12000.0, 1e-6);
    close(line_usd(m1, "Server depreciation", View::Amortised), 12000.0 / 60.0, 1e-6);
    close(line_usd(m1, "Database servers bought", View::Cash), 30000.0, 1e-6);
    close(line_usd(m1, "Firewall pair bought", View::Cash), 30000.0, 1e-6);
    // Storage: (313 GB database + 500 GB objects) × 2 copies = 1.626 TB → 2 TB × $500.
    close(line_usd(m1, "Storage bought", View::Cash), 1000.0, 1e-6);
    // Power: (1 server + 2 database servers) × 0.4 kW + 0.3 kW firewalls = 1.5 kW × 1.5 × 730 h × $0.12.
    close(line_usd(m1, "Power and cooling", View::Both), 1.5 * 1.5 * 730.0 * 0.12, 1e-6);
    // Support: 16 cores × $1000 / 12.
    close(line_usd(m1, "Platform subscription", View::Both), 16.0 * 1000.0 / 12.0, 1e-6);
    assert!(m1.capex_usd > 0.0 && (m1.capex_usd - (12000.0 + 30000.0 + 30000.0 + 1000.0)).abs() < 1e-6);
    // Growth: when 5 nodes (20 cores) are needed a second server is bought, once.
    let bought: Vec<(u32, f64)> =
        h.months.iter().map(|m| (m.index, line_usd(m, "Servers bought", View::Cash))).filter(|x| x.1 > 0.0).collect();
    assert_eq!(bought.len(), 2, "{bought:?}");
    let second = bought[1].0 as usize;
    assert_eq!(h.months[second].sites[0].pools[0].nodes, 5);
    // Straight line: the first server's 60 monthly charges add up to its price.
    let dep: f64 = h.months.iter().map(|m| line_usd(m, "Server depreciation", View::Amortised)).sum();
    close(dep, 12000.0 + 12000.0 * (60 - second) as f64 / 60.0, 1e-6);
    // On-prem lines are now priced: the hybrid's unknown items are only us-west-2 gaps.
    let u = &h.completeness.unpriced;
    assert!(u.iter().all(|i| !i.line.starts_with("onprem-dc")), "{u:?}");
}

#[test]
fn discount_escalation_and_contingency_are_visible_lines() {
    let r = with_finance("aws_discount: 0.10, annual_escalation: 0.03, contingency: 0.05");
    let v = &r.variants[2]; // aws-backup-restore
    let m1 = &v.months[0];
    let list: f64 = m1.lines.iter().filter(|l| l.price.is_some()).filter_map(|l| l.usd).sum();
    close(line_usd(m1, "Negotiated AWS discount (10.0 %)", View::Both), -0.10 * list, 1e-6);
    // No escalation in year 1; contingency 5 % on the subtotal.
    assert_eq!(line_usd(m1, "Price escalation", View::Both), 0.0);
    let before: f64 = m1.lines.iter().filter(|l| !l.item.starts_with("Contingency")).filter_map(|l| l.usd).sum();
    close(line_usd(m1, "Contingency (5.0 %)", View::Both), 0.05 * before, 1e-6);
    // Month 49 (year 5): escalation (1.03^4 − 1) = 12.550881 % of the discounted subtotal.
    let m49 = &v.months[48];
    let sub: f64 = m49
        .lines
        .iter()
        .filter(|l| !l.item.starts_with("Contingency") && !l.item.starts_with("Price escalation"))
        .filter_map(|l| l.usd)
        .sum();
    close(line_usd(m49, "Price escalation (3.0 %/yr, year 5)", View::Both), (1.03f64.powi(4) - 1.0) * sub, 1e-6);
    close(1.03f64.powi(4) - 1.0, 0.125_508_81, 1e-6);
}

/// Issue #16: a negotiated discount per service. Compute (EC2, EKS) at 20 % and Database (RDS)
/// at 12 % on their own catalog-priced lines, each a line in its category; the flat 10 % on the
/// AWS charges of every other category.
#[test]
fn discounts_per_service_and_a_flat_one_for_the_rest() {
    use headroom::scenario::model::Category;
    let r = with_finance("aws_discount: 0.10, aws_discount_by_category: {Compute: 0.20, Database: 0.12}");
    let v = &r.variants[2]; // aws-backup-restore: every priced line an AWS charge
    let m1 = &v.months[0];
    let priced = |c: Option<Category>| -> f64 {
        m1.lines.iter().filter(|l| l.price.is_some() && c.is_none_or(|c| l.category == c)).filter_map(|l| l.usd).sum()
    };
    let (compute, database, all) = (priced(Some(Category::Compute)), priced(Some(Category::Database)), priced(None));
    assert!(compute > 100.0 && database > 100.0, "{compute} {database}");
    let line = |item: &str| m1.lines.iter().find(|l| l.item == item).unwrap_or_else(|| panic!("{item}"));
    let c = line("Negotiated AWS discount: Compute (20.0 %)");
    assert_eq!(c.category, Category::Compute);
    close(c.usd.unwrap(), -0.20 * compute, 1e-6);
    close(line("Negotiated AWS discount: Database (12.0 %)").usd.unwrap(), -0.12 * database, 1e-6);
    close(
        line("Negotiated AWS discount (10.0 %, other categories)").usd.unwrap(),
        -0.10 * (all - compute - database),
        1e-6,
    );
    // A rate out of range is refused by its path.
    let text = crate::common::seed_text().replacen(
        "    pricing: (",
        "    finance: (aws_discount_by_category: {Cache: 1.0}),\n    pricing: (",
        1,
    );
    match load_scenario(&text, Catalog::builtin()) {
        Err(LoadError::Invalid(p)) => {
            assert_eq!(
                p[0].to_string(),
                "finance.aws_discount_by_category.Cache: must be at least 0 and below 1, found 1"
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn fiscal_years_and_reporting_currency() {
    let r = with_finance(
        r#"fiscal_year_start_month: 7, reporting_currency: (code: "EUR", per_usd: 0.92, as_of: "2026-11-20", source: "ECB reference rate")"#,
    );
    let v = &r.variants[0];
    let fy: Vec<(String, u32)> = v.fiscal_years.iter().map(|f| (f.label(), f.months)).collect();
    let fy: Vec<(&str, u32)> = fy.iter().map(|(l, n)| (l.as_str(), *n)).collect();
    assert_eq!(fy, [("FY2027", 6), ("FY2028", 12), ("FY2029", 12), ("FY2030", 12), ("FY2031", 12), ("FY2032", 6)]);
    close(v.fiscal_years.iter().map(|f| f.amortised_usd).sum(), v.total_usd, 1e-6);
    let f = &v.fiscal_years[1];
    close(f.converted.unwrap().0, f.amortised_usd * 0.92, 1e-6);
    assert_eq!(r.reporting_currency.as_ref().unwrap().code, "EUR");
}

#[test]
fn a_reservation_without_a_verified_rate_must_be_supplied() {
    let text = crate::common::seed_text().replacen(
        "    pricing: (",
        r#"    finance: (commitments: [(kind: RdsReserved(class: "db.r5.large", count: 1), region: "us-east-1", term_years: 1, payment: AllUpfront, start: "2027-01")]),
    pricing: ("#,
        1,
    );
    let Err(LoadError::Invalid(ps)) = load_scenario(&text, Catalog::builtin()) else { panic!("must be rejected") };
    let ps: Vec<String> = ps.iter().map(ToString::to_string).collect();
    assert_eq!(
        ps,
        [
            "finance.commitments[0].hourly_usd: the catalog has no verified 1-year AllUpfront rate for this in us-east-1: supply hourly_usd (and upfront_usd) with their source",
            "finance.commitments[0].upfront_usd: required for AllUpfront (the catalog has no upfront prices)",
        ]
    );
}

#[test]
fn cli_plan_views() {
    let bin = env!("CARGO_BIN_EXE_headroom");
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/models/enterprise-hybrid-dr.ron");
    for view in ["cash", "amortised"] {
        let o = std::process::Command::new(bin)
            .args(["plan", seed, "--variant", "aws-warm-standby", "--view", view])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0));
        let t = String::from_utf8_lossy(&o.stdout);
        assert!(t.contains(&format!("{view} view: month 1 $5,738")), "{t}");
        assert!(t.contains("FY2027 (12 months from 2027-01)"), "{t}");
        assert!(t.contains("3 × m5.xlarge 1-yr No Upfront from 2027-01 (12 months): saves $1,866"), "{t}");
    }
}

#[test]
fn xlsx_keeps_cash_and_amortised_totals_apart() {
    use calamine::{Data, Reader, Xlsx};
    let r = with_finance(
        r#"commitments: [(kind: Ec2Reserved(instance_type: "m5.xlarge", count: 2), region: "us-east-1",
            term_years: 3, payment: AllUpfront, start: "2027-01", hourly_usd: 0, upfront_usd: 3000,
            source: "quote", variants: ["aws-warm-standby"])]"#,
    );
    let bytes = headroom::output::export::export(&r, headroom::output::export::ExportFormat::Xlsx).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let v = wb.worksheet_range("aws-warm-standby").unwrap();
    let f = wb.worksheet_formula("aws-warm-standby").unwrap();
    let rows = v.height() as u32;
    let (am, cash) = (rows - 2, rows - 1);
    // Month 1: the $6,000 upfront is in the cash total only; 6000/36 in the amortised one.
    let get = |row: u32| match v.get_value((row, 4)) {
        Some(Data::Float(x)) => *x,
        other => panic!("{other:?}"),
    };
    let m1 = &r.variants[0].months[0];
    // Cached totals as displayed: the plan's, to the cent.
    close(get(am), m1.total_usd, 0.005);
    close(get(cash), m1.cash_usd, 0.005);
    close(m1.cash_usd - m1.total_usd, 6000.0 - 6000.0 / 36.0, 1e-6);
    // The cash total skips the amortised-only rows: two ranges.
    assert!(f.get_value((cash, 4)).unwrap().contains(','), "{:?}", f.get_value((cash, 4)));
    assert!(!f.get_value((am, 4)).unwrap().contains(','));
    // The view-only rows say which view they belong to.
    assert!(
        v.rows().any(|row| row[2]
            == Data::String("2 × m5.xlarge reserved (3-yr AllUpfront): upfront payment [cash view]".into()))
    );
}

#[test]
fn spot_share_and_savings_plan_scopes() {
    let r = with_finance(
        r#"spot: [(pool: "general", share: 0.5, discount: 0.6, source: "assumed spot discount")],
           commitments: [
             (kind: SavingsPlan(usd_per_hour: 0.05, discount: 0.3, family: "c5"), region: "us-east-1", term_years: 1,
              payment: NoUpfront, start: "2027-01", source: "quote", variants: ["aws-warm-standby"]),
             (kind: SavingsPlan(usd_per_hour: 0.05, discount: 0.3), region: "us-east-1", term_years: 1,
              payment: NoUpfront, start: "2027-01", source: "quote", variants: ["aws-active-active"]),
           ]"#,
    );
    let ws = &r.variants[0].months[0];
    // Spot: half of the primary's $420.48 of nodes at 60 % off = −$126.144; the DR's $140.16 too.
    let spot: Vec<f64> = ws.lines.iter().filter(|l| l.item.starts_with("Spot share")).filter_map(|l| l.usd).collect();
    assert_eq!(spot.len(), 2);
    close(spot[0], -0.5 * 420.48 * 0.6, 1e-6);
    close(spot[1], -0.5 * 140.16 * 0.6, 1e-6);
    // An EC2 Instance Savings Plan for c5 covers nothing of an m5 fleet (the fee is still due).
    assert!(!ws.lines.iter().any(|l| l.item.starts_with("On-demand usage covered by EC2 Instance")));
    close(line_usd(ws, "EC2 Instance Savings Plan (c5)", View::Both), 0.05 * 730.0, 1e-6);
    // A Compute Savings Plan bought in us-east-1 covers EC2 in us-west-2 as well: $0.05 × 730 /
    // 0.7 = $52.14 of the active-active variant's two regions' usage.
    let aa = &r.variants[4].months[0];
    close(line_usd(aa, "On-demand usage covered by Compute Savings Plan", View::Both), -0.05 * 730.0 / 0.7, 1e-6);
}

#[test]
fn savings_plan_recommendation_needs_a_discount() {
    let r = with_finance("savings_plan_discount: 0.28");
    let sp: Vec<_> = r
        .recommendations
        .iter()
        .filter(|x| x.kind == RecommendationKind::SavingsPlan && x.variant == "aws-backup-restore")
        .collect();
    assert_eq!(sp.len(), 5);
    // Year 1: 3 nodes all year = $0.576/h on demand; commit 72 % of it.
    close(sp[0].on_demand_usd_per_hour, 3.0 * 0.192, 1e-6);
    close(sp[0].commit_usd_per_hour, 3.0 * 0.192 * 0.72, 1e-6);
    close(sp[0].saving_usd, 12.0 * 3.0 * 0.192 * 0.28 * 730.0, 1e-6);
    // Without the discount input there is none (the catalog has no savings-plan rates).
    assert!(with_finance("").recommendations.iter().all(|x| x.kind == RecommendationKind::Reserved));
}

#[test]
fn the_discount_applies_to_aws_charges_by_their_typed_class() {
    // Spot shares, savings-plan fees and the usage they cover are AWS charges, so the negotiated
    // discount's base includes them; an extra item only when it says it is one.
    let text = crate::common::seed_text()
        .replacen(
            "    pricing: (",
            r#"    finance: (aws_discount: 0.10,
        spot: [(pool: "general", share: 0.5, discount: 0.6, source: "assumed spot discount")],
        commitments: [(kind: SavingsPlan(usd_per_hour: 0.20, discount: 0.28), region: "us-east-1",
            term_years: 1, payment: NoUpfront, start: "2027-01", source: "quote", variants: ["aws-warm-standby"])]),
    pricing: ("#,
            1,
        )
        .replacen(
            "extra_items: [],",
            r#"extra_items: [
            (name: "AWS Business Support", category: Other, monthly_usd: 100, source: "quote", aws_charge: true),
            (name: "Consulting retainer", category: Other, monthly_usd: 1000, source: "quote"),
        ],"#,
            1,
        );
    let s = load_scenario(&text, Catalog::builtin()).unwrap_or_else(|e| panic!("{e}"));
    let r = plan(&s, Catalog::builtin());
    let m1 = &r.variants[0].months[0];
    // By hand, month 1 of aws-warm-standby: catalog-priced lines, then −50 % × 60 % of the two
    // sites' EC2 lines ($420.48 and $140.16: −$126.144 and −$42.048), the savings plan's
    // covered usage (−$0.20 × 730 / 0.72 = −$202.78) and fee (+$146), and the $100 support.
    let catalog: f64 = m1.lines.iter().filter(|l| l.price.is_some()).filter_map(|l| l.usd).sum();
    let base = catalog - 0.5 * 0.6 * (420.48 + 140.16) - 0.20 * 730.0 / 0.72 + 146.0 + 100.0;
    close(line_usd(m1, "Negotiated AWS discount (10.0 %)", View::Both), -0.10 * base, 1e-6);
    // The retainer is in the month's total but not in the base.
    close(line_usd(m1, "Consulting retainer", View::Both), 1000.0, 1e-6);
}

#[test]
fn coverage_what_if_reserves_a_share_of_month_1_nodes() {
    // The seed's month 1: aws-warm-standby runs 3 nodes at the primary and 1 at the standby;
    // half of each, rounded: 2 and 1 (0.5 rounds away from zero), marked with their share.
    let s = load_scenario(headroom::SEED_SCENARIO, Catalog::builtin()).unwrap();
    let r = plan(&s, Catalog::builtin());
    let added = headroom::engine::recommend::coverage_commitments(&s, &r, 0.5);
    let ws: Vec<u32> = added
        .iter()
        .filter(|c| c.variants == ["aws-warm-standby"])
        .map(|c| match c.kind {
            headroom::scenario::model::CommitmentKind::Ec2Reserved { count, .. } => count,
            _ => 0,
        })
        .collect();
    assert_eq!(ws, [2, 1]);
    assert!(added.iter().all(|c| c.coverage_share == Some(0.5) && c.catalog_rate_key().is_some()));
}
