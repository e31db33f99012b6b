//! The budget review (issue #18): the decision first, fiscal years against budget, top risks —
//! one value rendered by the HTML and the XLSX.

use std::sync::atomic::AtomicBool;

use headroom::Catalog;
use headroom::output::export::{ExportFormat, export_with};
use headroom::uncertainty::montecarlo;
use headroom::uncertainty::review::{RiskKind, review};

/// The trap of #15: without the on-prem inputs, the hybrid meets every target with the lowest
/// known total but has unpriced lines; the cheapest variant missing a target is cheaper still.
/// The review recommends neither.
#[test]
fn never_recommends_an_incomplete_or_target_failing_variant() {
    let cat = Catalog::builtin();
    let mut sc = headroom::parse_scenario(headroom::SEED_SCENARIO).unwrap();
    sc.finance.onprem = None;
    sc.uncertainty.inputs.retain(|i| !i.path.starts_with("finance.onprem"));
    let s = headroom::validate(sc, cat).unwrap();
    let r = headroom::plan(&s, cat);
    let rv = review(&r, None);
    assert_eq!(rv.recommended.as_deref(), Some("aws-pilot-light"));
    let row = |n: &str| rv.variants.iter().find(|v| v.name == n).unwrap();
    assert!(
        !row("hybrid-onprem-primary").complete
            && row("hybrid-onprem-primary").total_usd < row("aws-pilot-light").total_usd
    );
    assert!(
        !row("aws-backup-restore").meets_all && row("aws-backup-restore").total_usd < row("aws-pilot-light").total_usd
    );
    // Why: every target with its figure, the cheaper variants that miss one, the unranked.
    assert!(rv.why[0].starts_with("Meets every target: availability "), "{:?}", rv.why);
    assert!(rv.why.iter().any(|w| w == "Cheaper, but missing a target: aws-backup-restore."), "{:?}", rv.why);
    assert!(rv.why.iter().any(|w| w == "Not ranked (unpriced lines): hybrid-onprem-primary, onprem-backup-s3."));
    // The next variant meeting every target: the difference of the two complete totals.
    let warm = row("aws-warm-standby").total_usd - row("aws-pilot-light").total_usd;
    assert!(rv.why.iter().any(|w| w
        == &format!(
            "The next variant meeting every target, aws-warm-standby, costs {} more.",
            headroom::money::usd0(warm)
        )));
    // Unpriced lines are a risk, one per incomplete variant, with what fills them.
    let unpriced: Vec<_> = rv.risks.iter().filter(|k| k.kind == RiskKind::Unpriced).collect();
    assert_eq!(unpriced.len(), 2);
    assert!(unpriced[0].text.contains("fill finance.onprem"));
    // The HTML and the XLSX carry the same decision first.
    let html = String::from_utf8(export_with(&r, None, ExportFormat::Html).unwrap()).unwrap();
    let decision = html.find("<h2>Decision</h2>").unwrap();
    assert!(decision < html.find("<h2>Executive summary</h2>").unwrap());
    assert!(html.contains("<tr class=\"pick\"><td>aws-pilot-light</td>"));
    let xlsx = export_with(&r, None, ExportFormat::Xlsx).unwrap();
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    use calamine::Reader as _;
    assert_eq!(wb.sheet_names()[0], "Decision");
    let ws = wb.worksheet_range("Decision").unwrap();
    assert_eq!(ws.get_value((1, 0)).unwrap().to_string(), r.comparison.decision);
}

/// Fiscal years: the plan's own figures, opex = cash − capex, variance = budget − amortised, and
/// P(exceed) exactly the Monte Carlo's; a likely overrun is a risk.
#[test]
fn fiscal_years_against_budget_with_the_monte_carlo() {
    let cat = Catalog::builtin();
    let s = headroom::load_scenario(headroom::SEED_SCENARIO, cat).unwrap();
    let r = headroom::plan(&s, cat);
    let mc = montecarlo::run(&s, cat, Some(300), &[10.0, 50.0, 90.0], &|_| {}, &AtomicBool::new(false)).unwrap();
    let rv = review(&r, Some(&mc));
    let n: usize = r.variants.iter().map(|v| v.fiscal_years.len()).sum();
    assert_eq!(rv.fiscal.len(), n);
    let mut with_budget = 0;
    for f in &rv.fiscal {
        let v = r.variants.iter().find(|v| v.name == f.variant).unwrap();
        let (i, fy) = v.fiscal_years.iter().enumerate().find(|(_, y)| y.label() == f.label).unwrap();
        assert_eq!((f.cash_usd, f.amortised_usd, f.capex_usd), (fy.cash_usd, fy.amortised_usd, fy.capex_usd));
        assert_eq!(f.opex_usd, fy.cash_usd - fy.capex_usd);
        let band = &mc.variants.iter().find(|b| b.name == f.variant).unwrap().fiscal_years[i];
        assert_eq!((f.budget_usd, f.p_exceed), (band.budget_usd, band.p_exceed));
        if let Some(b) = f.budget_usd {
            assert_eq!(f.variance_usd, Some(b - fy.amortised_usd));
            with_budget += 1;
        }
    }
    // The seed budgets the five fiscal years of aws-warm-standby.
    assert_eq!(with_budget, 5);
    assert!(rv.fiscal.iter().filter(|f| f.budget_usd.is_some()).all(|f| f.variant == "aws-warm-standby"));
    for k in rv.risks.iter().filter(|k| k.kind == RiskKind::Budget) {
        let f = rv.fiscal.iter().find(|f| k.text.starts_with(&format!("{} {}", f.variant, f.label))).unwrap();
        assert!(f.p_exceed.unwrap() >= 0.2 || f.amortised_usd > f.budget_usd.unwrap(), "{}", k.text);
    }
    let likely = rv
        .fiscal
        .iter()
        .filter(|f| f.p_exceed.is_some_and(|p| p >= 0.2) || f.variance_usd.is_some_and(|v| v < 0.0))
        .count();
    assert_eq!(rv.risks.iter().filter(|k| k.kind == RiskKind::Budget).count(), likely);
    // Stale prices: the seed uses 2021 RDS rates (S4), older than 18 months at 2027-01.
    let stale = rv.risks.iter().find(|k| k.kind == RiskKind::StalePrices).unwrap();
    assert!(stale.text.contains("rds.postgres.") && stale.text.contains("(2021-08-03)"), "{}", stale.text);
}

/// A printable workbook: every sheet landscape, one page wide, its first row repeated on each
/// page; the Assumptions sheet stores numbers as numbers.
#[test]
fn the_workbook_prints_one_page_wide_with_numbers_as_numbers() {
    use std::io::Read as _;
    let cat = Catalog::builtin();
    let r = headroom::plan(&headroom::load_scenario(headroom::SEED_SCENARIO, cat).unwrap(), cat);
    let bytes = export_with(&r, None, ExportFormat::Xlsx).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let mut book = String::new();
    zip.by_name("xl/workbook.xml").unwrap().read_to_string(&mut book).unwrap();
    let sheets = book.matches("<sheet ").count();
    assert!(sheets >= 10, "{sheets}");
    assert_eq!(book.matches("_xlnm.Print_Titles").count(), sheets, "{book}");
    for i in 1..=sheets {
        let mut xml = String::new();
        zip.by_name(&format!("xl/worksheets/sheet{i}.xml")).unwrap().read_to_string(&mut xml).unwrap();
        assert!(xml.contains("<pageSetUpPr fitToPage=\"1\"/>"), "sheet {i}");
        assert!(xml.contains("orientation=\"landscape\"") && xml.contains("fitToHeight=\"0\""), "sheet {i}");
    }
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    use calamine::Reader as _;
    let a = wb.worksheet_range("Assumptions").unwrap();
    let growth = a
        .rows()
        .find(|row| row.first().is_some_and(|c| *c == calamine::Data::String("demand.annual_growth".into())))
        .unwrap();
    assert_eq!(growth[1], calamine::Data::Float(0.2));
}
