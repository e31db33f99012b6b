//! The `headroom` binary: outputs and exit codes (0 ok, 2 bad input, 1 internal error).

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_headroom")).args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const SEED: &str = "models/enterprise-hybrid-dr.ron";

#[test]
fn validate_ok_and_bad() {
    let o = run(&["validate", SEED]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), format!("{SEED}: ok (6 variants, 60 months)\n"));

    let o = run(&["validate", SEED, "tests/bad/syntax.ron", "tests/bad/many-problems.ron"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.starts_with("tests/bad/syntax.ron:5:9: Expected comma\n"), "{err}");
    assert_eq!(err.lines().filter(|l| l.starts_with("tests/bad/many-problems.ron: ")).count(), 5, "{err}");
    assert!(o.stdout.is_empty() || text(&o.stdout).contains(": ok"));
}

#[test]
fn missing_file_is_bad_input() {
    let o = run(&["plan", "no/such/file.ron"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).starts_with("no/such/file.ron: cannot read:"));
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    assert_eq!(run(&["plan"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    let o = run(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).contains("validate"));
    assert_eq!(run(&["plan", SEED, "--format", "xml"]).status.code(), Some(2));
}

#[test]
fn plan_json_is_the_full_report() {
    let o = run(&["plan", SEED, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["variants"].as_array().unwrap().len(), 6);
    assert_eq!(v["variants"][0]["months"].as_array().unwrap().len(), 60);
    // Every cost line points at a price with a source and a date.
    let line = &v["variants"][0]["months"][0]["lines"][1];
    let price = &v["prices"][line["price"].as_u64().unwrap() as usize];
    assert_eq!(price["key"], "ec2.m5.xlarge");
    assert_eq!(price["as_of"], "2026-07-20");
}

#[test]
fn plan_filters_by_variant_and_month() {
    let o = run(&["plan", SEED, "--variant", "aws-warm-standby", "--month", "60", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["variants"].as_array().unwrap().len(), 1);
    assert_eq!(v["variants"][0]["months"][0]["month"], "2031-12");

    let o = run(&["plan", SEED, "--variant", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        text(&o.stderr),
        "unknown variant \"nope\"; the scenario has: aws-warm-standby, hybrid-onprem-primary, aws-backup-restore, aws-pilot-light, aws-active-active, onprem-backup-s3\n"
    );
    let o = run(&["plan", SEED, "--month", "61"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(text(&o.stderr), "--month must be between 1 and 60, found 61\n");
}

#[test]
fn plan_csv_has_a_row_per_variant_month() {
    let o = run(&["plan", SEED, "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0));
    let mut r = csv::Reader::from_reader(o.stdout.as_slice());
    assert_eq!(r.headers().unwrap().iter().take(4).collect::<Vec<_>>(), ["variant", "month_index", "month", "users"]);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6 * 60);
    assert_eq!(
        (&rows[0][0], &rows[0][2], &rows[0][5], &rows[0][6]),
        ("aws-warm-standby", "2027-01", "4", "db.r5.large")
    );
}

#[test]
fn plan_table_month_detail_traces_every_line() {
    let o = run(&["plan", SEED, "--variant", "aws-warm-standby", "--month", "1"]);
    assert_eq!(o.status.code(), Some(0));
    let t = text(&o.stdout);
    assert!(t.contains("3 × m5.xlarge ([1, 1, 1] per zone), packed 2"), "{t}");
    assert!(t.contains("EC2 nodes m5.xlarge (general)"));
    assert!(t.contains("S1 2026-07-20 [A]"));
}

#[test]
fn day_prints_the_simulated_day() {
    // Month 1 of the seed: 1000 users; the primary holds 3 nodes all day (2 packed + the zone-loss
    // node), web stays at its 3 replicas.
    let o = run(&["day", SEED, "--month", "1", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let csv = text(&o.stdout);
    let mut rows = csv.lines();
    let head = rows.next().unwrap();
    assert_eq!(
        head,
        "t_s,load_rps,web_replicas,web_ready,web_cpu_utilization_pct,api_replicas,api_ready,api_cpu_utilization_pct,django_replicas,django_ready,django_cpu_utilization_pct,general_nodes,pending_pods"
    );
    let rows: Vec<Vec<&str>> = rows.map(|r| r.split(',').collect()).collect();
    assert_eq!(rows.len(), 86_400 / 15, "one row per HPA sync");
    assert!(rows.iter().all(|r| r[11] == "3" && r[2] == "3"));
    // Peak load ≈ 1000 users × 0.15 = 150 rps around 10:00 (± the 10 % variation).
    let peak = rows.iter().map(|r| r[1].parse::<f64>().unwrap()).fold(0.0, f64::max);
    assert!((140.0..200.0).contains(&peak), "{peak}");

    let o = run(&["day", SEED, "--month", "60", "--variant", "aws-active-active", "--site", "aws-west"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).starts_with("aws-active-active / aws-west — month 60 (2031-12)"), "{}", text(&o.stdout));

    // Bad requests: exit 2 with the reason.
    let o = run(&["day", SEED, "--month", "61"]);
    assert_eq!((o.status.code(), text(&o.stderr).trim()), (Some(2), "month must be between 1 and 60, found 61"));
    let o = run(&["day", SEED, "--month", "1", "--variant", "hybrid-onprem-primary"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("has no AWS site serving traffic"), "{}", text(&o.stderr));
    let o = run(&["day", SEED, "--month", "1", "--site", "aws-dr"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("AWS sites serving traffic are: aws-primary"), "{}", text(&o.stderr));
}

#[test]
fn queue_simulates_a_peak_hour_beside_erlang_c() {
    // Month 60, api at the primary: 2083.2 peak users × 0.15 × 0.6 = 187.49 requests/s of 16 ms
    // CPU (3.0 Erlangs). With 4 replicas (ρ = 0.75) Erlang C gives a p95 of 66.0 ms of CPU and
    // queue, plus the 104 ms not on CPU (response_time_ms 120 − 16) in every figure: 170.0 ms;
    // the simulation must land within 3 %.
    let o = run(&["queue", SEED, "--service", "api", "--month", "60", "--replicas", "4", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!((j["lambda"].as_f64().unwrap() - 187.486).abs() < 0.001, "{}", j["lambda"]);
    assert_eq!(j["servers"].as_u64(), Some(4));
    assert_eq!(j["non_cpu_ms"].as_f64(), Some(104.0));
    assert_eq!(j["analytic"]["model"].as_str(), Some("M/M/c (Erlang C)"));
    let ec = j["analytic"]["p95_ms"].as_f64().unwrap();
    assert!((ec - 170.0).abs() < 0.1, "{ec}");
    let sim = j["des"]["p95_ms"].as_f64().unwrap();
    assert!((sim / ec - 1.0).abs() < 0.03, "{sim} vs {ec}");
    assert_eq!(j["latency"]["non_cpu_ms"].as_f64(), Some(104.0));
    // --seed and --warmup: the same seed gives the same figures, another seed others.
    let with = |seed: &str, warmup: &str| {
        let o = run(&[
            "queue",
            SEED,
            "--service",
            "api",
            "--month",
            "60",
            "--seconds",
            "120",
            "--seed",
            seed,
            "--warmup",
            warmup,
            "--format",
            "json",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(
            (j["seed"].as_u64().map(|x| x.to_string()), j["warmup_s"].as_f64()),
            (Some(seed.to_string()), warmup.parse().ok())
        );
        j["des"].clone()
    };
    assert_eq!(with("5", "10"), with("5", "10"));
    assert_ne!(with("5", "10"), with("6", "10"));
    assert_ne!(with("5", "10"), with("5", "0"));
    let o = run(&["queue", SEED, "--service", "api", "--month", "60", "--warmup=-1"]);
    assert_eq!((o.status.code(), text(&o.stderr).trim()), (Some(2), "--warmup must be between 0 and 3600, found -1"));
    // p95 ≤ 300 ms with 104 ms not CPU: 4 replicas is the fewest (3 servers at 3 Erlangs never
    // drain).
    assert_eq!(j["latency"]["min_replicas"].as_u64(), Some(4));
    let o = run(&["queue", SEED, "--service", "nope", "--month", "60"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("unknown service \"nope\"; the scenario has: web, api, django"));
}

#[test]
fn simulate_reports_percentiles_and_budgets() {
    let o = run(&["simulate", SEED, "--paths", "30", "--percentiles", "5,50,95", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["paths"].as_u64(), Some(30));
    let users60: Vec<f64> =
        j["users"][59]["percentiles"].as_array().unwrap().iter().map(|p| p[1].as_f64().unwrap()).collect();
    assert!(users60[0] < users60[1] && users60[1] < users60[2], "{users60:?}");
    let fy = &j["variants"][0]["fiscal_years"][0];
    assert_eq!((fy["label"].as_str(), fy["budget_usd"].as_f64()), (Some("FY2027"), Some(73000.0)));
    let p = fy["p_exceed"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p));
    // The same seed gives the same bytes; another seed other figures.
    let again = run(&["simulate", SEED, "--paths", "30", "--percentiles", "5,50,95", "--format", "json"]);
    assert_eq!(o.stdout, again.stdout);
    let other =
        run(&["simulate", SEED, "--paths", "30", "--seed", "9", "--percentiles", "5,50,95", "--format", "json"]);
    assert_ne!(o.stdout, other.stdout);
    let o = run(&["simulate", SEED, "--paths", "0"]);
    assert_eq!((o.status.code(), text(&o.stderr).trim()), (Some(2), "--paths must be between 1 and 1000000, found 0"));
}

/// Inputs: a regular file or `-`; devices and FIFOs refused at once (no hang, no unbounded
/// read); invalid UTF-8 located by line and column; a closed stderr never panics.
#[cfg(unix)]
#[test]
fn inputs_are_regular_files_or_stdin() {
    let o = run(&["validate", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).starts_with("/dev/zero: not a regular file"), "{}", text(&o.stderr));
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("model.ron");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let o = run(&["plan", fifo.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("not a regular file"));
    // Invalid UTF-8 on line 2, after four characters (one of them two bytes long).
    let bad = dir.path().join("bad.ron");
    std::fs::write(&bad, b"(\n  \xc3\xa9a\xff)\n").unwrap();
    let o = run(&["validate", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).ends_with("bad.ron: 2:5: invalid UTF-8 (byte 0xff)\n"), "{}", text(&o.stderr));
    // Standard input.
    let seed = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/models/enterprise-hybrid-dr.ron")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_headroom"))
        .args(["validate", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child.stdin.take().unwrap().write_all(&seed).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!((o.status.code(), text(&o.stdout)), (Some(0), "-: ok (6 variants, 60 months)\n".to_string()));
    // An error while stderr is a closed pipe: the intended exit code, not a panic (101).
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let status = Command::new(env!("CARGO_BIN_EXE_headroom"))
        .args(["plan", "no/such/file.ron"])
        .stderr(writer)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
}

/// Every export option is range-checked like `simulate`'s (4294967295 paths used to try to
/// allocate 515 GB).
#[test]
fn export_paths_are_range_checked() {
    let o = run(&["export", SEED, "--format", "html", "--paths", "4294967295", "-o", "/tmp/headroom-never.html"]);
    assert_eq!(
        (o.status.code(), text(&o.stderr).trim()),
        (Some(2), "--paths must be between 0 and 1000000, found 4294967295")
    );
    assert!(!std::path::Path::new("/tmp/headroom-never.html").exists());
}

/// `prices import` writes a table; a scenario naming it in `pricing.tables` plans with its
/// prices (each citing its offer file), and a table that cannot be read is exit 2 with the path.
#[test]
fn prices_import_then_plan_with_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("us-east-1.ron");
    let o = run(&[
        "prices",
        "import",
        "tests/prices/ec2-us-east-1.json",
        "tests/prices/rds-elasticache-eks-us-east-1.csv",
        "tests/prices/datatransfer-us-east-1.json",
        "-o",
        table.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.starts_with("us-east-1: 18 prices imported, "), "{out}");
    assert!(out.contains("AmazonEC2 20261120000000 (published 2026-11-20): 8 products, 4 mapped to price keys, 1 of other regions skipped"), "{out}");
    assert!(out.contains("note: nat.gb: SKU SKUNATB: unit \"Quantity\""), "{out}");
    // The scenario names the table next to it.
    let seed = std::fs::read_to_string(SEED).unwrap();
    let scenario = seed.replacen("    pricing: (\n", "    pricing: (\n        tables: [\"us-east-1.ron\"],\n", 1);
    assert_ne!(scenario, seed);
    let path = dir.path().join("s.ron");
    std::fs::write(&path, &scenario).unwrap();
    let o = run(&["plan", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let prices = r["prices"].as_array().unwrap();
    let eks = prices.iter().find(|p| p["key"] == "eks.cluster" && p["region"] == "us-east-1").unwrap();
    assert_eq!(eks["source"], "PL-AmazonRDS-20261118100000", "the fixture's file, as the offer it declares");
    assert!(
        eks["source_title"].as_str().unwrap().starts_with("AWS Price List offer file AmazonRDS version 20261118100000")
    );
    // A table that is not there: exit 2, the scenario file and the field named.
    std::fs::write(&path, scenario.replace("us-east-1.ron", "nope.ron")).unwrap();
    let o = run(&["validate", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = text(&o.stderr);
    assert!(e.contains("s.ron: pricing.tables[0] \"nope.ron\": cannot read"), "{e}");
    // Import errors: exit 2 with the file.
    let o = run(&["prices", "import", SEED, "-o", table.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).starts_with(&format!("{SEED}: ")), "{}", text(&o.stderr));
}

/// `headroom prices`: coverage per region from the shipped tables (counted here from the
/// catalogue independently), one region's rows as JSON, an unknown region is exit 2.
#[test]
fn prices_lists_coverage_and_rows() {
    let o = run(&["prices"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    let cat = headroom::Catalog::builtin();
    for (region, t) in &cat.tables {
        let known = t.prices.values().filter(|p| p.usd.is_some()).count();
        let line = out.lines().find(|l| l.split_whitespace().next() == Some(region.as_str())).unwrap();
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(
            (cols[1].parse::<usize>().unwrap(), cols[2].parse::<usize>().unwrap()),
            (known, t.prices.len() - known)
        );
    }
    assert_eq!(out.lines().filter(|l| l.starts_with("us-") || l.starts_with("eu-") || l.starts_with("ap-")).count(), 7);
    let o = run(&["prices", "--region", "eu-central-1", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let rows: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let m5 = rows.as_array().unwrap().iter().find(|r| r["key"] == "ec2.m5.xlarge").unwrap();
    // S3 @136b6119: m5.xlarge Linux on-demand in Frankfurt $0.230 (2022-07-07).
    assert_eq!(
        (m5["usd"].as_f64(), m5["source"].as_str(), m5["as_of"].as_str()),
        (Some(0.23), Some("S3"), Some("2022-07-07"))
    );
    assert!(m5["source_title"].as_str().unwrap().starts_with("vantage-sh/ec2instances.info"));
    let o = run(&["prices", "--region", "mars-1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("no price table for \"mars-1\""));
}

/// `headroom diff OLD NEW`: the changed input, then the waterfall; JSON for scripts.
#[test]
fn diff_lists_changes_and_the_waterfall() {
    let dir = tempfile::tempdir().unwrap();
    let seed = std::fs::read_to_string(SEED).unwrap();
    let new = dir.path().join("new.ron");
    std::fs::write(&new, seed.replacen("annual_growth: 0.20,", "annual_growth: 0.25,", 1)).unwrap();
    let o = run(&["diff", SEED, new.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.starts_with("Changed (1):\n  demand.annual_growth: 0.2 → 0.25\n"), "{out}");
    assert!(out.contains("\n== aws-pilot-light ==\n") && out.contains("demand.annual_growth 0.2 → 0.25"), "{out}");
    let o = run(&["diff", SEED, new.to_str().unwrap(), "--format", "json"]);
    let d: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(d["changes"][0]["path"], "demand.annual_growth");
    assert_eq!(d["variants"].as_array().unwrap().len(), 6);
}
