//! Cost sheets and the budget review: golden CSV, the XLSX read back, the HTML parsed, hostile
//! names escaped or neutralised, atomic writes.

use crate::common::seed_report;
use headroom::output::export::{ExportFormat, export, export_with};
use headroom::{Catalog, load_scenario, plan};
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

fn hostile_report() -> headroom::Report {
    let text = headroom::SEED_SCENARIO
        .replace("aws-warm-standby", "<script>alert(1)</script>")
        .replace("hybrid-onprem-primary", "=1+1");
    plan(&load_scenario(&text, Catalog::builtin()).unwrap(), Catalog::builtin())
}

#[test]
fn golden_wide_csv_for_the_seed() {
    let csv = String::from_utf8(export(&seed_report(), ExportFormat::Csv).unwrap()).unwrap();
    insta::assert_snapshot!(csv);
}

#[test]
fn long_csv_is_tidy_and_traceable() {
    let bytes = export(&seed_report(), ExportFormat::CsvLong).unwrap();
    let mut r = csv::Reader::from_reader(bytes.as_slice());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let ec2 =
        rows.iter().find(|x| &x[1] == "2027-01" && &x[2] == "aws-primary" && x[4].starts_with("EC2 nodes")).unwrap();
    // quantity 3 nodes × 730 h, unit price $0.192, cost $420.48, source S1 2026-07-20.
    assert_eq!(
        (&ec2[5], &ec2[6], &ec2[7], &ec2[8], &ec2[10], &ec2[11]),
        ("2190", "instance-hour", "0.192", "420.48", "S1", "2026-07-20")
    );
    let filled = rows.iter().find(|x| &x[2] == "aws-dr" && &x[4] == "Application Load Balancer").unwrap();
    // $0.0225 × 730 h = $16.425: half a cent, which the month's largest-remainder allocation
    // (rows adding up to the displayed total) gives to another line.
    assert_eq!((&filled[7], &filled[8]), ("0.0225", "16.42"));
    // A gap: no number, a marker.
    let cat = Catalog::builtin();
    let gaps = plan(&load_scenario(&crate::common::seed_text(), cat).unwrap(), cat);
    let bytes = export(&gaps, ExportFormat::CsvLong).unwrap();
    let rows: Vec<csv::StringRecord> =
        csv::Reader::from_reader(bytes.as_slice()).records().map(Result::unwrap).collect();
    let unknown = rows.iter().find(|x| &x[2] == "aws-dr" && &x[4] == "Application Load Balancer").unwrap();
    assert_eq!((&unknown[7], &unknown[8]), ("unknown", "unknown"));
}

#[test]
fn xlsx_reads_back_with_live_total_formulas() {
    let r = seed_report();
    let bytes = export(&r, ExportFormat::Xlsx).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "Decision",
            "Summary",
            "aws-warm-standby",
            "hybrid-onprem-primary",
            "aws-backup-restore",
            "aws-pilot-light",
            "aws-active-active",
            "onprem-backup-s3",
            "Capacity",
            "Resize events",
            "Commitments",
            "Assumptions"
        ]
    );
    // Commitments: the recommendations with a count, their saving to the cent.
    let cm = wb.worksheet_range("Commitments").unwrap();
    let first = r.recommendations.iter().find(|x| x.count > 0).unwrap();
    assert_eq!(cm.get_value((1, 0)), Some(&Data::String(first.variant.clone())));
    assert_eq!(cm.get_value((1, 4)), Some(&Data::Float(f64::from(first.count))));
    assert_eq!(cm.get_value((1, 12)), Some(&Data::Float((first.saving_usd * 100.0).round() / 100.0)));
    // Resize events: the warm standby's primary database moves up in month 27 (CPU) and 37.
    let rs = wb.worksheet_range("Resize events").unwrap();
    let first = (1..rs.height()).find(|&i| rs.get((i, 0)) == Some(&Data::String("aws-warm-standby".into()))).unwrap();
    assert_eq!(rs.get((first, 1)), Some(&Data::Float(27.0)));
    assert_eq!(rs.get((first, 5)), Some(&Data::String("db.r5.large".into())));
    assert_eq!(rs.get((first, 6)), Some(&Data::String("db.m5.xlarge".into())));
    // Capacity: billed node-hours (simulated at the primary) beside the peak-sizing figure.
    let cap = wb.worksheet_range("Capacity").unwrap();
    assert_eq!(cap.get_value((0, 12)), Some(&Data::String("Node-hours billed".into())));
    let m60 = r.variants[0].months[59].sites.iter().find(|x| &*x.site == "aws-primary").unwrap();
    let row = (1..cap.height() as u32)
        .find(|&i| {
            cap.get_value((i, 0)) == Some(&Data::String("aws-warm-standby".into()))
                && cap.get_value((i, 1)) == Some(&Data::String("2031-12".into()))
                && cap.get_value((i, 2)) == Some(&Data::String("aws-primary".into()))
        })
        .unwrap();
    assert_eq!(cap.get_value((row, 12)), Some(&Data::Float(m60.pools[0].node_hours.round())));
    assert_eq!(cap.get_value((row, 13)), Some(&Data::Float(f64::from(m60.pools[0].nodes) * 730.0)));
    assert!(m60.pools[0].node_hours < f64::from(m60.pools[0].nodes) * 730.0);
    let v = wb.worksheet_range("aws-warm-standby").unwrap();
    assert_eq!(v.get_value((0, 4)), Some(&Data::String("2027-01".into())));
    assert_eq!(v.get_value((1, 2)), Some(&Data::String("EKS control plane".into())));
    assert_eq!(v.get_value((1, 4)), Some(&Data::Float(73.0)));
    // The month totals and row totals are SUM formulas over the cells above / to the left.
    let f = wb.worksheet_formula("aws-warm-standby").unwrap();
    let rows = v.height() as u32;
    // The last two rows: amortised and cash totals (the same money here: no finance inputs).
    let total_row = rows - 2;
    assert_eq!(f.get_value((total_row, 4)).map(String::as_str), Some(format!("SUM(E2:E{})", total_row).as_str()));
    assert_eq!(v.get_value((rows - 1, 2)), Some(&Data::String("TOTAL cash".into())));
    assert_eq!(f.get_value((1, 64)).map(String::as_str), Some("SUM(E2:BL2)"));
    // The Summary refers to the variant sheet, so editing a line there moves it.
    let s = wb.worksheet_formula("Summary").unwrap();
    assert_eq!(
        s.get_value((4, 1)).map(String::as_str),
        Some(format!("'aws-warm-standby'!E{}", total_row + 1).as_str())
    );
    let sv = wb.worksheet_range("Summary").unwrap();
    let Some(Data::Float(m1)) = sv.get_value((4, 1)) else { panic!("no cached month-1 value") };
    // Targets met, per variant, after the money columns.
    let header: Vec<String> = sv.rows().nth(3).unwrap().iter().map(|c| c.to_string()).collect();
    let meets = header.iter().position(|h| h == "Meets all").unwrap();
    assert_eq!(sv.get_value((4, meets as u32)), Some(&Data::String("yes".into())));
    assert_eq!(sv.get_value((6, meets as u32)), Some(&Data::String("no".into()))); // aws-backup-restore
    // Cached as displayed: the month's total to the cent.
    assert_eq!(*m1, (r.variants[0].months[0].total_usd * 100.0).round() / 100.0);
    // Assumptions list the inputs and the prices with their dates.
    let a = wb.worksheet_range("Assumptions").unwrap();
    assert!(a.rows().any(|row| row[0] == Data::String("demand.annual_growth".into()) && row[1] == Data::Float(0.2)));
    assert!(a.rows().any(|row| row.get(1) == Some(&Data::String("ec2.m5.xlarge".into()))
        && row.get(6) == Some(&Data::String("2026-07-20".into()))));
}

#[test]
fn html_report_is_self_contained_with_charts() {
    let html = String::from_utf8(export(&seed_report(), ExportFormat::Html).unwrap()).unwrap();
    let doc = scraper::Html::parse_document(&html);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    assert_eq!(doc.select(&sel("svg")).count(), 4);
    assert_eq!(
        doc.select(&sel("h2")).map(|h| h.text().collect::<String>()).collect::<Vec<_>>(),
        [
            "Decision",
            "Fiscal years against budget",
            "Top risks",
            "Executive summary",
            "Variants side by side",
            "Cost over time",
            "Cost by category",
            "Capacity",
            "Resilience against the targets",
            "Commitments worth making",
            "Resize events",
            "Risks",
            "Assumptions"
        ]
    );
    // No external resources: no src/href attributes, no external stylesheets or scripts.
    assert_eq!(doc.select(&sel("[src], link, script")).count(), 0);
    assert!(html.contains("@media print"));
    // Targets met per variant are in the report (topology).
    assert!(html.contains(
        "<b>Cheapest variant meeting every target: aws-pilot-light ($352,423 over 60 months; complete costs)</b>"
    ));
}

#[test]
fn hostile_names_are_escaped_and_neutralised() {
    let r = hostile_report();
    let html = String::from_utf8(export(&r, ExportFormat::Html).unwrap()).unwrap();
    let doc = scraper::Html::parse_document(&html);
    assert_eq!(doc.select(&scraper::Selector::parse("script").unwrap()).count(), 0);
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(doc.root_element().text().any(|t| t.contains("<script>alert(1)</script>")));

    let csv = String::from_utf8(export(&r, ExportFormat::Csv).unwrap()).unwrap();
    assert!(csv.lines().any(|l| l.starts_with("'=1+1,")), "formula-like name must be neutralised");
    assert!(!csv.lines().any(|l| l.starts_with("=1+1")));

    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(export(&r, ExportFormat::Xlsx).unwrap())).unwrap();
    let s = wb.worksheet_range("Summary").unwrap();
    assert_eq!(s.get_value((5, 0)), Some(&Data::String("'=1+1".into())));
    // Sheet names stay legal: `/` replaced, no formula.
    assert!(wb.sheet_names().iter().any(|n| n == "<script>alert(1)<_script>"));
}

#[test]
fn cli_export_writes_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan.xlsx");
    let bin = env!("CARGO_BIN_EXE_headroom");
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/models/enterprise-hybrid-dr.ron");
    let ok = std::process::Command::new(bin)
        .args(["export", seed, "--format", "xlsx", "--paths", "0", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
    let good = std::fs::read(&out).unwrap();
    assert!(good.starts_with(b"PK"));
    // A bad scenario: exit 2, the existing file untouched, no temporary file left behind.
    let bad = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/bad/syntax.ron");
    let o = std::process::Command::new(bin).args(["export", bad, "--format", "xlsx", "-o"]).arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read(&out).unwrap(), good);
    // An unwritable destination: exit 2, says why, nothing written.
    let missing = dir.path().join("no-such-dir/plan.html");
    let o = std::process::Command::new(bin)
        .args(["export", seed, "--format", "html", "-o"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot write"));
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, vec![std::ffi::OsString::from("plan.xlsx")]);
}

#[test]
fn the_budget_review_carries_the_monte_carlo() {
    let cat = Catalog::builtin();
    let s = load_scenario(headroom::SEED_SCENARIO, cat).unwrap();
    let r = plan(&s, cat);
    let mc =
        headroom::uncertainty::montecarlo::run(&s, cat, Some(200), &[10.0, 50.0, 90.0], &|_| {}, &Default::default())
            .unwrap();
    let fy = mc.variants[0].fiscal_years.iter().find(|f| f.label == "FY2031").unwrap();

    // XLSX: an Uncertainty sheet before the assumptions, its figures those of the run.
    let bytes = export_with(&r, Some(&mc), ExportFormat::Xlsx).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let names = wb.sheet_names();
    assert_eq!(&names[names.len() - 4..], ["Resize events", "Commitments", "Uncertainty", "Assumptions"]);
    let u = wb.worksheet_range("Uncertainty").unwrap();
    assert_eq!(u.get_value((2, 3)), Some(&Data::String("P50".into())));
    let row = (3..u.height() as u32)
        .find(|&i| {
            u.get_value((i, 0)) == Some(&Data::String("aws-warm-standby".into()))
                && u.get_value((i, 1)) == Some(&Data::String("FY2031".into()))
        })
        .unwrap();
    assert_eq!(u.get_value((row, 3)), Some(&Data::Float(fy.cost.at(50.0).unwrap())));
    assert_eq!(u.get_value((row, 5)), Some(&Data::Float(96_000.0)));
    assert_eq!(u.get_value((row, 6)), Some(&Data::Float(fy.p_exceed.unwrap())));
    let swing = &mc.variants[0].swings[0];
    let srow =
        (row..u.height() as u32).find(|&i| u.get_value((i, 1)) == Some(&Data::String(swing.input.clone()))).unwrap();
    assert_eq!(u.get_value((srow, 5)), Some(&Data::Float(swing.high_usd.unwrap())));

    // HTML: the section, with the share of paths above the FY2031 budget.
    let html = String::from_utf8(export_with(&r, Some(&mc), ExportFormat::Html).unwrap()).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let h2 = scraper::Selector::parse("h2").unwrap();
    assert!(doc.select(&h2).any(|x| x.text().collect::<String>() == "Uncertainty: how likely is the budget exceeded?"));
    assert!(html.contains(&format!("{:.1} %</td>", fy.p_exceed.unwrap() * 100.0)));
    assert!(html.contains("200 paths (seed 20270101, one evaluator)"));
    assert!(html.contains(&format!(
        "Cheapest variant with complete costs over the 60 months on {:.1} % of paths",
        mc.variants[0].p_cheapest.unwrap() * 100.0
    )));
    // Without a run, no section.
    assert!(!String::from_utf8(export(&r, ExportFormat::Html).unwrap()).unwrap().contains("Uncertainty:"));
}

#[test]
fn cli_export_runs_the_monte_carlo_for_the_review() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_headroom");
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/models/enterprise-hybrid-dr.ron");
    let run = |paths: &str| {
        let out = dir.path().join(format!("review-{paths}.html"));
        let o = std::process::Command::new(bin)
            .args(["export", seed, "--format", "html", "--paths", paths, "-o"])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        std::fs::read_to_string(out).unwrap()
    };
    assert!(run("50").contains("Monte Carlo: 50 paths (seed 20270101"));
    assert!(!run("0").contains("Monte Carlo:"));
}

/// Cents of a CSV money cell ("123.45", "-0.05").
fn cents(s: &str) -> i64 {
    let neg = s.starts_with('-');
    let (w, f) = s.trim_start_matches('-').split_once('.').unwrap_or_else(|| panic!("{s:?}"));
    let c = w.parse::<i64>().unwrap() * 100 + f.parse::<i64>().unwrap();
    if neg { -c } else { c }
}

/// Money to the cent as displayed: in the wide cost sheet every line's months add up to its
/// total, every month's lines to the month's amortised and cash totals, those to the plan's
/// totals rounded to the cent; no `-0.00`; an unknown amount is the marker, never 0. The
/// `plan --format csv` categories add up to their row total.
#[test]
fn csv_money_adds_up_to_the_cent() {
    let cat = Catalog::builtin();
    for (text, complete) in [(headroom::SEED_SCENARIO.to_string(), true), (crate::common::seed_text(), false)] {
        let r = plan(&load_scenario(&text, cat).unwrap(), cat);
        let bytes = export(&r, ExportFormat::Csv).unwrap();
        let body = String::from_utf8(bytes.clone()).unwrap();
        assert!(!body.contains("-0.00"));
        let mut rd = csv::Reader::from_reader(bytes.as_slice());
        let header = rd.headers().unwrap().clone();
        let nm = header.len() - 7;
        let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
        let mut unknown_cells = 0;
        for (vi, v) in r.variants.iter().enumerate() {
            let mine: Vec<&csv::StringRecord> = rows.iter().filter(|x| &x[0] == v.name.as_str()).collect();
            let (lines, totals): (Vec<&csv::StringRecord>, Vec<&csv::StringRecord>) =
                mine.iter().copied().partition(|x| &x[2] != "Total");
            for l in &lines {
                let cells: Vec<&str> = (5..5 + nm).map(|i| &l[i]).collect();
                unknown_cells += cells.iter().filter(|c| **c == "unknown").count();
                let known: i64 = cells.iter().filter(|c| !c.is_empty() && **c != "unknown").map(|c| cents(c)).sum();
                if &l[5 + nm] != "unknown" {
                    assert_eq!(known, cents(&l[5 + nm]), "{vi} {:?}", &l[3]);
                }
                let unpriced = cells.iter().filter(|c| **c == "unknown").count();
                assert_eq!(l[6 + nm].parse::<usize>().unwrap(), unpriced);
            }
            for (t, view) in totals.iter().zip(["amortised", "cash"]) {
                assert_eq!(&t[4], view);
                let mut grand = 0;
                for mi in 0..nm {
                    let col: i64 = lines
                        .iter()
                        .filter(|l| &l[4] == "both" || &l[4] == view)
                        .map(|l| &l[5 + mi])
                        .filter(|c| !c.is_empty() && *c != "unknown")
                        .map(cents)
                        .sum();
                    assert_eq!(col, cents(&t[5 + mi]), "{} {view} month {}", v.name, mi + 1);
                    let m = &v.months[mi];
                    let exact = if view == "cash" { m.cash_usd } else { m.total_usd };
                    assert_eq!(cents(&t[5 + mi]), (exact * 100.0).round() as i64);
                    grand += col;
                }
                assert_eq!(grand, cents(&t[5 + nm]));
                assert_eq!(t[3].contains("lower bound"), !v.completeness.complete);
            }
        }
        assert_eq!(unknown_cells > 0, !complete);
        // The plan's own CSV: categories add up to the row total.
        let text = headroom::output::render::csv(&r).unwrap();
        let mut rd = csv::Reader::from_reader(text.as_bytes());
        for row in rd.records().map(Result::unwrap) {
            let n = row.len();
            let parts: i64 = (7..n - 2).map(|i| cents(&row[i])).sum();
            assert_eq!(parts, cents(&row[n - 2]));
        }
    }
}

/// An incomplete variant in the workbook: its status in the Summary's Costs column, its totals
/// labelled lower bounds, and below the table each unpriced line with what fills it.
#[test]
fn xlsx_names_what_keeps_a_variant_unranked() {
    let cat = Catalog::builtin();
    let r = plan(&load_scenario(&crate::common::seed_text(), cat).unwrap(), cat);
    let bytes = export(&r, ExportFormat::Xlsx).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let s = wb.worksheet_range("Summary").unwrap();
    let header: Vec<String> = s.rows().nth(3).unwrap().iter().map(|c| c.to_string()).collect();
    let costs = header.iter().position(|h| h == "Costs").unwrap() as u32;
    let hybrid = r.variants.iter().find(|v| v.name == "hybrid-onprem-primary").unwrap();
    let status = hybrid.completeness.status();
    assert!(status.starts_with("cannot rank: "), "{status}");
    assert!((4..10).any(|i| s.get_value((i, costs)) == Some(&Data::String(status.clone()))));
    let head = (10..s.height() as u32)
        .find(|&i| s.get_value((i, 0)) == Some(&Data::String(format!("hybrid-onprem-primary: {status}"))))
        .unwrap();
    for (k, u) in hybrid.completeness.unpriced.iter().enumerate() {
        let row = head + 1 + k as u32;
        assert_eq!(s.get_value((row, 0)), Some(&Data::String(u.line.clone())));
        assert_eq!(s.get_value((row, 1)), Some(&Data::String(format!("fill {}", u.fill))));
    }
    let v = wb.worksheet_range("hybrid-onprem-primary").unwrap();
    let rows = v.height() as u32;
    assert_eq!(
        v.get_value((rows - 2, 2)),
        Some(&Data::String(format!("TOTAL amortised (known prices; lower bound: {status})")))
    );
    // The HTML review: the decision, and the same status with its fills; no "lowest known"
    // headline for an unranked variant.
    let html = String::from_utf8(export(&r, ExportFormat::Html).unwrap()).unwrap();
    assert!(html.contains(&format!("<b>{}</b>", r.comparison.decision)), "{}", r.comparison.decision);
    assert!(html.contains(&format!("<li>hybrid-onprem-primary: {status} — ")));
    assert!(!html.contains("Lowest known"));
}

/// Only regular files are replaced: a FIFO or a device at the output path is refused (exit 2,
/// untouched); a symbolic link is followed and its target replaced, the link kept; temporary
/// files of an interrupted earlier write are removed by the next write.
#[cfg(unix)]
#[test]
fn outputs_replace_only_regular_files() {
    use std::os::unix::fs::FileTypeExt as _;
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_headroom");
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/models/enterprise-hybrid-dr.ron");
    let export_to = |out: &std::path::Path| {
        std::process::Command::new(bin).args(["export", seed, "--format", "csv", "-o"]).arg(out).output().unwrap()
    };
    // A FIFO (no reader: opening it for writing would block forever).
    let fifo = dir.path().join("pipe");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let o = export_to(&fifo);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("is not a regular file"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    // A device.
    let o = export_to(std::path::Path::new("/dev/null"));
    assert_eq!(o.status.code(), Some(2));
    assert!(std::fs::symlink_metadata("/dev/null").unwrap().file_type().is_char_device());
    // A link to a file: the file gets the export, the link stays a link.
    let target = dir.path().join("plan.csv");
    std::fs::write(&target, "old").unwrap();
    let link = dir.path().join("latest.csv");
    std::os::unix::fs::symlink("plan.csv", &link).unwrap();
    // A temporary file an interrupted write left behind (a process id no system reaches).
    let stale = dir.path().join(".headroom-4194305-abcdef.tmp");
    std::fs::write(&stale, "partial").unwrap();
    let o = export_to(&link);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert!(std::fs::read_to_string(&target).unwrap().starts_with("variant,site,"));
    assert!(!stale.exists(), "the stale temporary file is removed");
    let mut names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["latest.csv", "pipe", "plan.csv"]);
}

/// An export killed at any point leaves the old file or the new one, never a mix; the next
/// write leaves no temporary file behind.
#[cfg(unix)]
#[test]
fn a_killed_export_leaves_the_old_file_or_the_new() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan.csv");
    let bin = env!("CARGO_BIN_EXE_headroom");
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/models/enterprise-hybrid-dr.ron");
    let export =
        || std::process::Command::new(bin).args(["export", seed, "--format", "csv", "-o"]).arg(&out).spawn().unwrap();
    std::fs::write(&out, "old").unwrap();
    let t0 = std::time::Instant::now();
    assert!(export().wait().unwrap().success());
    let full = t0.elapsed();
    let new = std::fs::read(&out).unwrap();
    // Kill at points spread over (and past) a whole run.
    for k in 0..12u32 {
        std::fs::write(&out, "old").unwrap();
        let mut child = export();
        std::thread::sleep(full * k / 10);
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(&out).unwrap();
        assert!(now == b"old" || now == new, "kill {k}: a mix of old and new ({} bytes)", now.len());
    }
    assert!(export().wait().unwrap().success());
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "plan.csv")
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// Provenance on every export (JSON, XLSX Summary and document properties, HTML footer): the
/// Headroom version, the scenario's content hash (its comments do not change it), the seed and
/// the prices' as-of range; and the same scenario gives byte-identical XLSX and HTML (no clock).
#[test]
fn exports_carry_provenance_and_are_byte_identical() {
    let cat = Catalog::builtin();
    let r = seed_report();
    let p = &r.provenance;
    assert_eq!(p.headroom_version, env!("CARGO_PKG_VERSION"));
    assert_eq!((p.seed, p.scenario_hash.len()), (20270101, 16));
    assert_eq!(p.prices_as_of.0.as_str(), r.prices.iter().map(|x| x.as_of.as_str()).min().unwrap());
    // A comment changes the file, not the content hash; a number changes both.
    let commented = headroom::SEED_SCENARIO.replacen("(\n", "(\n    // a reviewer's note\n", 1);
    assert_eq!(plan(&load_scenario(&commented, cat).unwrap(), cat).provenance.scenario_hash, p.scenario_hash);
    let changed = headroom::SEED_SCENARIO.replacen("annual_growth: 0.20", "annual_growth: 0.21", 1);
    assert_ne!(plan(&load_scenario(&changed, cat).unwrap(), cat).provenance.scenario_hash, p.scenario_hash);
    // FNV-1a 64 reference values (draft-eastlake-fnv): "" and "a".
    assert_eq!(headroom::engine::report::fnv1a64(b""), 0xcbf29ce484222325);
    assert_eq!(headroom::engine::report::fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
    let x1 = export(&r, ExportFormat::Xlsx).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let x2 = export(&seed_report(), ExportFormat::Xlsx).unwrap();
    assert!(x1 == x2, "two XLSX exports of the same scenario differ");
    let h = String::from_utf8(export(&r, ExportFormat::Html).unwrap()).unwrap();
    assert!(h.contains(&format!("<footer class=\"muted\"><p>{}</p></footer>", p.line())));
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(x1)).unwrap();
    let s = wb.worksheet_range("Summary").unwrap();
    assert_eq!(s.get_value((2, 0)), Some(&Data::String(p.line())));
}
