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

/// `headroom diff`: each change alone against the old plan (checked here by replanning the old
/// scenario with only that change), the remainder the interaction; a text change moves nothing;
/// a variant added is structure.
#[test]
fn diff_attributes_each_change_and_shows_the_interaction() {
    use headroom::engine::diff::{ChangeKind, diff};
    let cat = Catalog::builtin();
    let old = headroom::load_scenario(headroom::SEED_SCENARIO, cat).unwrap();
    let mut t = old.scenario().clone();
    t.demand.annual_growth = 0.3;
    t.demand.concurrent_users = 1200.0;
    t.meta.description = "a new description".into();
    let new = headroom::validate(t.clone(), cat).unwrap();
    let d = diff(&old, cat, &new, cat);
    let paths: Vec<(&str, ChangeKind)> = d.changes.iter().map(|c| (c.path.as_str(), c.kind)).collect();
    assert_eq!(
        paths,
        [
            ("demand.annual_growth", ChangeKind::Changed),
            ("demand.concurrent_users", ChangeKind::Changed),
            ("meta.description", ChangeKind::Changed)
        ]
    );
    let total = |s: &headroom::ValidScenario, v: &str| {
        headroom::plan(s, cat).variants.iter().find(|x| x.name == v).unwrap().total_usd
    };
    let mut growth_only = old.scenario().clone();
    growth_only.demand.annual_growth = 0.3;
    let growth_only = headroom::validate(growth_only, cat).unwrap();
    let v = d.variants.iter().find(|v| v.name == "aws-pilot-light").unwrap();
    let k = v.periods.len() - 1;
    assert_eq!(v.periods[k], "total");
    let step = |path: &str| v.steps.iter().find(|(i, _)| d.changes[*i].path == path).map(|(_, e)| e[k]);
    let base = total(&old, "aws-pilot-light");
    crate::common::close(step("demand.annual_growth").unwrap(), total(&growth_only, "aws-pilot-light") - base, 1e-6);
    assert_eq!(step("meta.description"), None, "a text change moves no dollar");
    let after = total(&new, "aws-pilot-light");
    assert_eq!((v.old_usd[k], v.new_usd[k]), (base, after));
    // Growth and users compound: the interaction is left as a remainder, positive here.
    let single: f64 = v.steps.iter().map(|(_, e)| e[k]).sum();
    crate::common::close(v.remainder[k], after - base - single, 1e-6);
    assert!(v.remainder[k] > 1.0, "{}", v.remainder[k]);
    // A variant added: structure, in the new plan only, its whole cost in the remainder.
    t.variants.push(t.variants[0].clone());
    t.variants.last_mut().unwrap().name = "copy".into();
    let grown = headroom::validate(t, cat).unwrap();
    let d = diff(&old, cat, &grown, cat);
    assert!(d.changes.iter().any(|c| c.kind == ChangeKind::Added && c.path.starts_with("variants[6].")));
    let copy = d.variants.iter().find(|v| v.name == "copy").unwrap();
    assert!(!copy.in_old && copy.in_new && copy.steps.is_empty());
    assert_eq!(copy.remainder.last(), copy.new_usd.last());
    // The same scenario: nothing changed.
    assert!(diff(&old, cat, &old, cat).changes.is_empty());
    assert_eq!(headroom::output::render::diff_text(&diff(&old, cat, &old, cat)), "No input changed.\n");
}

/// The PDF, written by Headroom: A4 or Letter, the decision and the fiscal-year table as text,
/// the chart as vector paths, fonts not embedded (base 14), the same bytes twice.
#[test]
fn the_pdf_carries_the_decision_in_a4_and_letter() {
    let cat = Catalog::builtin();
    let r = headroom::plan(&headroom::load_scenario(headroom::SEED_SCENARIO, cat).unwrap(), cat);
    let a4 = export_with(&r, None, ExportFormat::PdfA4).unwrap();
    let letter = export_with(&r, None, ExportFormat::PdfLetter).unwrap();
    assert_eq!(a4, export_with(&r, None, ExportFormat::PdfA4).unwrap(), "no clock in the bytes");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let (a, l) = (text(&a4), text(&letter));
    assert!(a.starts_with("%PDF-1.7") && a.trim_end().ends_with("%%EOF"));
    assert!(a.contains("/MediaBox [0 0 595 842]") && l.contains("/MediaBox [0 0 612 792]"));
    let pages = |s: &str| s.matches("/Type /Page\n").count();
    assert!(pages(&a) >= 3, "{}", pages(&a));
    assert!(a.contains(&format!("/Count {}", pages(&a))));
    // The decision, WinAnsi-encoded in a text-showing operator.
    let decision = String::from_utf8_lossy(&headroom::output::pdf::win_ansi(&r.comparison.decision)).into_owned();
    assert!(a.contains(&format!("({decision}) Tj")), "{decision}");
    assert!(a.contains("(Fiscal years against budget) Tj") && a.contains("(Appendix: prices used) Tj"));
    // Each variant's FY2027 amortised cost appears in the table.
    for v in &r.variants {
        assert!(a.contains(&headroom::money::usd0(v.fiscal_years[0].amortised_usd)), "{}", v.name);
    }
    // The chart: one stroked polyline per variant (a move, then a line to every other month).
    let months = r.horizon_months as usize;
    let strokes = a.matches(" l\n").count();
    assert!(strokes >= r.variants.len() * (months - 1), "{strokes}");
    assert!(a.contains("/BaseFont /Courier") && !a.contains("/FontFile"));
}
