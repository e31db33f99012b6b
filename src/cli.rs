//! Command line: argument parsing, file reading and writing, exit codes. The only IO around
//! the engine on the headless path.
//!
//! Exit codes: 0 ok, 2 bad input (usage, unreadable or invalid file), 1 internal error.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use headroom::output::export::{ExportFormat, export_with};
use headroom::output::render;
use std::borrow::Cow;

use headroom::{Catalog, LoadError, ValidScenario, parse_scenario, plan};

#[derive(Parser, Debug)]
#[command(name = "headroom", version, about = "Capacity-and-cost planner: users → requests → pods → nodes → managed services → monthly dollars, per topology variant.", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check scenario files; print every problem with its file:line:col or field path.
    Validate {
        /// Scenario files (.ron).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Project capacity and cost month by month for every topology variant.
    Plan {
        /// Scenario file (.ron).
        file: PathBuf,
        /// Only this variant.
        #[arg(long)]
        variant: Option<String>,
        /// Only this month (1-based); the table shows its sizing and every cost line.
        #[arg(long)]
        month: Option<u32>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Money view: cash (payments when they fall) or amortised (spread over terms and
        /// depreciation). JSON always carries both.
        #[arg(long, value_enum, default_value_t = ViewArg::Amortised)]
        view: ViewArg,
    },
    /// Compare topology variants: cost, availability, RTO, RPO, and which meet the targets.
    Compare {
        /// Scenario file (.ron).
        file: PathBuf,
        /// Variant the cost differences are taken against (default: the first).
        #[arg(long)]
        baseline: Option<String>,
        #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
        format: CompareFormat,
        /// Also check the loss of one zone at the peak of this month (1-based).
        #[arg(long)]
        zone_loss_month: Option<u32>,
    },
    /// One month's simulated day of a site under the HPA and the cluster autoscaler: summary
    /// and the state at every HPA sync (load, replicas, Ready pods, CPU %, nodes, pending pods).
    Day {
        /// Scenario file (.ron).
        file: PathBuf,
        /// Variant (default: the first).
        #[arg(long)]
        variant: Option<String>,
        /// Month, 1-based.
        #[arg(long)]
        month: u32,
        /// Site (default: the variant's first AWS site serving traffic).
        #[arg(long)]
        site: Option<String>,
        /// table: summary and every 15 minutes; csv: every sync; json: everything.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// One service's peak hour as requests: a discrete-event simulation of replicas ×
    /// concurrency FCFS servers beside Erlang C, and its latency objective.
    Queue {
        /// Scenario file (.ron).
        file: PathBuf,
        /// Service name.
        #[arg(long)]
        service: String,
        /// Month, 1-based.
        #[arg(long)]
        month: u32,
        /// Variant (default: the first).
        #[arg(long)]
        variant: Option<String>,
        /// Serving site (default: the variant's first).
        #[arg(long)]
        site: Option<String>,
        /// Replicas instead of what the plan gives.
        #[arg(long)]
        replicas: Option<u32>,
        /// Simulated seconds (after the warm-up).
        #[arg(long, default_value_t = 3600.0)]
        seconds: f64,
        /// Seconds simulated first and not measured (0..=3600).
        #[arg(long, default_value_t = 60.0)]
        warmup: f64,
        /// Seed of the request simulation (default: the scenario's, mixed with the month).
        #[arg(long)]
        seed: Option<u64>,
        #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
        format: CompareFormat,
    },
    /// Monte Carlo over the scenario's uncertain inputs (`uncertainty`): percentiles of users,
    /// nodes and cost per variant, budget exceedance per fiscal year, and the month a capacity
    /// limit is hit with the scenario's confidence. Static sizing on every path.
    Simulate {
        /// Scenario file (.ron).
        file: PathBuf,
        /// Paths (default: `uncertainty.paths`).
        #[arg(long)]
        paths: Option<u32>,
        /// Seed (default: `simulation.seed`).
        #[arg(long)]
        seed: Option<u64>,
        /// Percentiles to report, 0–100, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "10,50,90")]
        percentiles: Vec<f64>,
        #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
        format: CompareFormat,
    },
    /// Kubernetes HorizontalPodAutoscaler tools.
    Hpa {
        #[command(subcommand)]
        command: HpaCommand,
    },
    /// Write cost sheets or the budget review: CSV (wide or long), XLSX, or a self-contained HTML
    /// report. The file is replaced only by a complete new one.
    Export {
        /// Scenario file (.ron).
        file: PathBuf,
        #[arg(long, value_enum)]
        format: ExportKind,
        /// Output file.
        #[arg(short, long)]
        output: PathBuf,
        /// Monte Carlo paths for the budget review's Uncertainty section (HTML, XLSX) when the
        /// scenario has uncertainty.inputs. Default: uncertainty.paths; 0 leaves it out.
        #[arg(long)]
        paths: Option<u32>,
    },
    /// What changed between two versions of a scenario: the changed inputs, then per variant
    /// and fiscal year a variance waterfall — each change applied alone to the old scenario, its
    /// effect on the amortised cost, and the interaction remainder.
    Diff {
        /// The scenario as last reviewed.
        old: PathBuf,
        /// The scenario now.
        new: PathBuf,
        #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
        format: CompareFormat,
    },
    /// The price catalogue: regions with their coverage (known and unknown keys, oldest and
    /// newest as-of date); with --region every row with its source. `prices import` reads AWS
    /// Price List offer files into a table.
    #[command(args_conflicts_with_subcommands = true)]
    Prices {
        #[command(subcommand)]
        command: Option<PricesCommand>,
        /// List this region's rows, each with its source and date.
        #[arg(long)]
        region: Option<String>,
        /// Include the price tables this scenario names (`pricing.tables`).
        #[arg(long)]
        scenario: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
        format: CompareFormat,
    },
    /// Open the desktop app on a scenario (default: the bundled seed scenario).
    #[cfg(feature = "gui")]
    Gui {
        file: Option<PathBuf>,
        /// The view to open on.
        #[arg(long, value_enum)]
        tab: Option<headroom::gui::Tab>,
    },
}

#[derive(Subcommand, Debug)]
enum HpaCommand {
    /// Why did my HPA do that? One reconcile of an autoscaling/v2 HPA, step by step.
    Explain {
        /// Case file (JSON): the HPA as `kubectl get hpa -o json` prints it, the pods, metrics
        /// and the controller's history (see tests/hpa/ and the README).
        case: PathBuf,
        #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
        format: CompareFormat,
    },
}

#[derive(Subcommand, Debug)]
enum PricesCommand {
    /// Read AWS Price List offer files (the Bulk API's per-service, per-region index.json or
    /// index.csv: AmazonEC2, AmazonRDS, AmazonElastiCache, AmazonEKS, AmazonS3, AWSELB,
    /// AmazonVPC, AWSDataTransfer, awswaf, AmazonCloudWatch, AWSCloudTrail, awskms,
    /// AWSSecretsManager, AWSDirectConnect) and write one region's price table, each row citing
    /// its offer file, version, SKU and rate. A scenario plans with it via `pricing.tables`.
    Import {
        /// Offer files (JSON or CSV), of one region.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The table to write (.ron); replaced only by a complete new one.
        #[arg(short, long)]
        output: PathBuf,
        /// Region (default: the region of the files' products).
        #[arg(long)]
        region: Option<String>,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ViewArg {
    Cash,
    Amortised,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum CompareFormat {
    Table,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ExportKind {
    Csv,
    CsvLong,
    Xlsx,
    Html,
    /// The budget review as PDF (A4).
    Pdf,
    /// The budget review as PDF (US Letter).
    PdfLetter,
}

impl From<ExportKind> for ExportFormat {
    fn from(k: ExportKind) -> Self {
        match k {
            ExportKind::Csv => ExportFormat::Csv,
            ExportKind::CsvLong => ExportFormat::CsvLong,
            ExportKind::Xlsx => ExportFormat::Xlsx,
            ExportKind::Html => ExportFormat::Html,
            ExportKind::Pdf => ExportFormat::PdfA4,
            ExportKind::PdfLetter => ExportFormat::PdfLetter,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
}

/// An error that ends the command, with its exit code.
struct Fail {
    code: u8,
    message: String,
}

fn bad(message: impl std::fmt::Display) -> Fail {
    Fail { code: 2, message: message.to_string() }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            // clap: help/version exit 0, usage errors 2.
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            say(&f.message);
            ExitCode::from(f.code)
        }
    }
}

fn read(path: &Path) -> Result<String, Fail> {
    headroom::io::read_text(path).map_err(|e| bad(format!("{}: {e}", path.display())))
}

/// A line on standard error; a closed stderr is not worth a panic (exit codes still tell).
fn say(text: &str) {
    let _ = writeln!(std::io::stderr(), "{text}");
}

/// A scenario and the catalogue it plans with: the shipped one, with the price tables the
/// scenario names (`pricing.tables`, relative to its folder) laid over it.
fn load(path: &Path) -> Result<(ValidScenario, Cow<'static, Catalog>), Fail> {
    let text = read(path)?;
    let file = path.display().to_string();
    let parsed = parse_scenario(&text).map_err(|e| bad(e.with_file(&file)))?;
    let cat = tables_for(path, &parsed.pricing.tables).map_err(|e| bad(LoadError::Tables(e).with_file(&file)))?;
    let s = headroom::validate(parsed, &cat).map_err(|p| bad(LoadError::Invalid(p).with_file(&file)))?;
    Ok((s, cat))
}

/// The shipped catalogue with `tables` (names relative to the scenario file's folder).
pub fn tables_for(scenario: &Path, tables: &[String]) -> Result<Cow<'static, Catalog>, String> {
    let dir = scenario.parent().unwrap_or(Path::new(""));
    Catalog::builtin()
        .with_tables(tables, &mut |name| headroom::io::read_text(&dir.join(name)).map_err(|e| e.to_string()))
}

fn out(text: &str) -> Result<(), Fail> {
    let mut o = std::io::stdout().lock();
    match o.write_all(text.as_bytes()).and_then(|_| o.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`headroom plan … | head`) is not an error of ours.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Fail { code: 1, message: format!("cannot write output: {e}") }),
    }
}

fn run(cli: Cli) -> Result<(), Fail> {
    match cli.command {
        None => no_command(),
        Some(Command::Validate { files }) => {
            let mut failed = Vec::new();
            for f in &files {
                match load(f) {
                    Ok((s, _)) => out(&format!(
                        "{}: ok ({} variants, {} months)\n",
                        f.display(),
                        s.variants.len(),
                        s.meta.horizon_months
                    ))?,
                    Err(e) => failed.push(e.message),
                }
            }
            if failed.is_empty() { Ok(()) } else { Err(bad(failed.join("\n"))) }
        }
        Some(Command::Plan { file, variant, month, format, view }) => {
            let view = match view {
                ViewArg::Cash => headroom::engine::report::View::Cash,
                ViewArg::Amortised => headroom::engine::report::View::Amortised,
            };
            let (s, cat) = load(&file)?;
            let report = plan(&s, &cat);
            let r = render::select(&report, variant.as_deref(), month).map_err(bad)?;
            let text = match format {
                Format::Table if month.is_some() => render::month_detail(&r, view),
                Format::Table => render::table(&r, view) + &render::recommendations(&r),
                Format::Json => render::json(&r) + "\n",
                Format::Csv => render::csv(&r).map_err(|m| Fail { code: 1, message: m.to_string() })?,
            };
            out(&text)
        }
        Some(Command::Compare { file, baseline, format, zone_loss_month }) => {
            compare(file, baseline, format, zone_loss_month)
        }
        Some(Command::Day { file, variant, month, site, format }) => {
            let (s, cat) = load(&file)?;
            let variant = variant.unwrap_or_else(|| s.variants[0].name.clone());
            if month == 0 {
                return Err(bad(format!("--month must be between 1 and {}, found 0", s.meta.horizon_months)));
            }
            let d = headroom::engine::plan::day_trace(&s, &cat, &variant, site.as_deref(), month - 1).map_err(bad)?;
            let text = match format {
                Format::Table => render::day_table(&d),
                Format::Csv => render::day_csv(&d).map_err(|m| Fail { code: 1, message: m.to_string() })?,
                Format::Json => {
                    serde_json::to_string_pretty(&d).map_err(|e| Fail { code: 1, message: e.to_string() })? + "\n"
                }
            };
            out(&text)
        }
        Some(Command::Queue { file, service, month, variant, site, replicas, seconds, warmup, seed, format }) => {
            let (s, cat) = load(&file)?;
            if month == 0 {
                return Err(bad(format!("--month must be between 1 and {}, found 0", s.meta.horizon_months)));
            }
            if !(seconds.is_finite() && (1.0..=86_400.0).contains(&seconds)) {
                return Err(bad(format!("--seconds must be between 1 and 86400, found {seconds}")));
            }
            if !(warmup.is_finite() && (0.0..=3600.0).contains(&warmup)) {
                return Err(bad(format!("--warmup must be between 0 and 3600, found {warmup}")));
            }
            let variant = variant.unwrap_or_else(|| s.variants[0].name.clone());
            let query = headroom::engine::plan::QueueQuery {
                variant: &variant,
                site: site.as_deref(),
                service: &service,
                month_index: month - 1,
                replicas,
                seconds,
                warmup_s: warmup,
                seed,
            };
            let q = headroom::engine::plan::queue_report(&s, &cat, &query).map_err(bad)?;
            match format {
                CompareFormat::Table => out(&render::queue_table(&q)),
                CompareFormat::Json => out(&(serde_json::to_string_pretty(&q)
                    .map_err(|e| Fail { code: 1, message: e.to_string() })?
                    + "\n")),
            }
        }
        Some(Command::Simulate { file, paths, seed, percentiles, format }) => {
            simulate(file, paths, seed, percentiles, format)
        }
        Some(Command::Prices { command: Some(PricesCommand::Import { files, output, region }), .. }) => {
            prices_import(&files, &output, region.as_deref())
        }
        Some(Command::Diff { old, new, format }) => {
            let ((a, ac), (b, bc)) = (load(&old)?, load(&new)?);
            let d = headroom::engine::diff::diff(&a, &ac, &b, &bc);
            match format {
                CompareFormat::Table => out(&render::diff_text(&d)),
                CompareFormat::Json => out(&json(&d)?),
            }
        }
        Some(Command::Prices { command: None, region, scenario, format }) => {
            prices_list(region.as_deref(), scenario.as_deref(), format)
        }
        Some(Command::Hpa { command: HpaCommand::Explain { case, format } }) => {
            let text = read(&case)?;
            let c = headroom::engine::hpa::parse_case(&text).map_err(|e| bad(format!("{}: {e}", case.display())))?;
            let e = headroom::engine::hpa::explain(&c);
            match format {
                CompareFormat::Table => out(&headroom::engine::hpa::explain_text(&e)),
                CompareFormat::Json => out(&(serde_json::to_string_pretty(&e)
                    .map_err(|e| Fail { code: 1, message: e.to_string() })?
                    + "\n")),
            }
        }
        Some(Command::Export { file, format, output, paths }) => export(file, format, output, paths),
        #[cfg(feature = "gui")]
        Some(Command::Gui { file, tab }) => gui(file, tab),
    }
}

#[cfg(feature = "gui")]
fn no_command() -> Result<(), Fail> {
    gui(None, None)
}

#[cfg(not(feature = "gui"))]
fn no_command() -> Result<(), Fail> {
    use clap::CommandFactory as _;
    out(&format!("{}\n", Cli::command().render_help()))
}

#[cfg(feature = "gui")]
fn gui(file: Option<PathBuf>, tab: Option<headroom::gui::Tab>) -> Result<(), Fail> {
    let start = match file {
        Some(p) => {
            let text = read(&p)?;
            // Fail early with the CLI's message rather than opening an empty window.
            load(&p)?;
            headroom::gui::Start { path: Some(p), text, tab: None }
        }
        None => headroom::gui::Start { path: None, text: headroom::SEED_SCENARIO.to_string(), tab: None },
    };
    let start = headroom::gui::Start { tab, ..start };
    headroom::gui::run(start).map_err(|e| Fail { code: 1, message: format!("cannot open the window: {e}") })
}

/// `headroom compare`: the variants side by side, optionally against a baseline file and with a zone lost.
fn compare(
    file: PathBuf,
    baseline: Option<String>,
    format: CompareFormat,
    zone_loss_month: Option<u32>,
) -> Result<(), Fail> {
    let (s, cat) = load(&file)?;
    let mut report = plan(&s, &cat);
    let zone_checks: Vec<(String, headroom::engine::topology::ZoneLossCheck)> = match zone_loss_month {
        None => Vec::new(),
        Some(m) if m < 1 || m > s.meta.horizon_months => {
            return Err(bad(format!("--zone-loss-month must be between 1 and {}, found {m}", s.meta.horizon_months)));
        }
        Some(m) => report
            .variants
            .iter()
            .map(|v| (v.name.clone(), headroom::engine::topology::zone_loss(&v.months[m as usize - 1])))
            .collect(),
    };
    if let Some(b) = &baseline {
        headroom::engine::plan::find_variant(&s, b).map_err(bad)?;
        report.comparison = headroom::engine::topology::compare(&s, &report.variants, &report.resilience, Some(b));
    }
    match format {
        CompareFormat::Table => {
            let mut text = render::compare_table(&report);
            for (v, z) in &zone_checks {
                text += &format!("\n{v}: {}", render::zone_loss_line(z));
            }
            out(&(text + if zone_checks.is_empty() { "" } else { "\n" }))
        }
        CompareFormat::Json => {
            #[derive(serde::Serialize)]
            struct CompareJson<'a> {
                comparison: &'a headroom::engine::topology::Comparison,
                resilience: &'a [headroom::engine::topology::Resilience],
                #[serde(skip_serializing_if = "<[_]>::is_empty")]
                zone_loss: &'a [(String, headroom::engine::topology::ZoneLossCheck)],
            }
            let j = serde_json::to_string_pretty(&CompareJson {
                comparison: &report.comparison,
                resilience: &report.resilience,
                zone_loss: &zone_checks,
            })
            .map_err(|e| Fail { code: 1, message: e.to_string() })?;
            out(&(j + "\n"))
        }
    }
}

/// `headroom simulate`: the Monte Carlo with a progress bar.
fn simulate(
    file: PathBuf,
    paths: Option<u32>,
    seed: Option<u64>,
    percentiles: Vec<f64>,
    format: CompareFormat,
) -> Result<(), Fail> {
    let (s, cat) = load(&file)?;
    if let Some(p) = paths
        && !(1..=1_000_000).contains(&p)
    {
        return Err(bad(format!("--paths must be between 1 and 1000000, found {p}")));
    }
    if let Some(p) = percentiles.iter().find(|p| !(p.is_finite() && (0.0..=100.0).contains(*p))) {
        return Err(bad(format!("--percentiles must be between 0 and 100, found {p}")));
    }
    let s = match seed {
        Some(seed) => {
            let mut t = s.into_inner();
            t.simulation.seed = seed;
            headroom::validate(t, &cat).map_err(|p| bad(p[0].to_string()))?
        }
        None => s,
    };
    if s.uncertainty.inputs.is_empty() {
        say("note: uncertainty.inputs is empty: every path is the same plan");
    }
    let bar = progress_bar(paths.unwrap_or(s.uncertainty.paths));
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let r = headroom::uncertainty::montecarlo::run(
        &s,
        &cat,
        paths,
        &percentiles,
        &|done| bar.set_position(done as u64),
        &cancel,
    )
    .map_err(|e| Fail { code: 1, message: format!("the simulation did not complete: {e}") })?;
    bar.finish_and_clear();
    match format {
        CompareFormat::Table => out(&render::simulate_table(&r)),
        CompareFormat::Json => {
            out(&(serde_json::to_string_pretty(&r).map_err(|e| Fail { code: 1, message: e.to_string() })? + "\n"))
        }
    }
}

/// A progress bar for `n` Monte Carlo paths on stderr (hidden when stderr is not a terminal).
fn progress_bar(n: u32) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(u64::from(n));
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} paths, {per_sec}, ETA {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// `headroom prices`: coverage per region, or one region's rows.
fn prices_list(region: Option<&str>, scenario: Option<&Path>, format: CompareFormat) -> Result<(), Fail> {
    let cat = match scenario {
        Some(p) => load(p)?.1,
        None => Cow::Borrowed(Catalog::builtin()),
    };
    match (region, format) {
        (None, CompareFormat::Table) => out(&render::coverage_table(&cat.coverage())),
        (None, CompareFormat::Json) => out(&json(&cat.coverage())?),
        (Some(r), _) if !cat.tables.contains_key(r) => {
            let known: Vec<&str> = cat.tables.keys().map(String::as_str).collect();
            Err(bad(format!("--region: no price table for {r:?}; known: {}", known.join(", "))))
        }
        (Some(r), CompareFormat::Table) => out(&render::price_rows_table(&cat.rows(r))),
        (Some(r), CompareFormat::Json) => out(&json(&cat.rows(r))?),
    }
}

/// A listing as pretty JSON.
fn json<T: serde::Serialize>(v: &T) -> Result<String, Fail> {
    serde_json::to_string_pretty(v).map(|s| s + "\n").map_err(|e| Fail { code: 1, message: e.to_string() })
}

/// `headroom prices import`: offer files streamed into one region's table, written atomically.
fn prices_import(files: &[PathBuf], output: &Path, region: Option<&str>) -> Result<(), Fail> {
    use headroom::catalog::import::Importer;
    let cat = Catalog::builtin();
    let mut imp = Importer::new(cat, region);
    for f in files {
        let name = f.display().to_string();
        let (file, len) = headroom::io::open_stream(f).map_err(|e| bad(format!("{name}: {e}")))?;
        let bar = indicatif::ProgressBar::new(len);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} {bar:40} {bytes}/{total_bytes}, {bytes_per_sec}, ETA {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar.set_message(f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        let r = imp.read(&name, file, &mut |n| bar.set_position(n));
        bar.finish_and_clear();
        r.map_err(bad)?;
    }
    let imported = imp.finish().map_err(bad)?;
    let table = imported.table(cat);
    let text = headroom::catalog::import::to_ron(&table).map_err(|e| Fail { code: 1, message: e })?;
    headroom::io::write_atomic(output, text.as_bytes())
        .map_err(|e| Fail { code: 1, message: format!("{}: {e}", output.display()) })?;
    out(&headroom::catalog::import::summary(&imported, &table))
}

/// `headroom export`: a cost sheet or the budget review, written atomically.
fn export(file: PathBuf, format: ExportKind, output: PathBuf, paths: Option<u32>) -> Result<(), Fail> {
    let (s, cat) = load(&file)?;
    // As `simulate` checks it (0 leaves the Monte Carlo out).
    if let Some(p) = paths
        && p > 1_000_000
    {
        return Err(bad(format!("--paths must be between 0 and 1000000, found {p}")));
    }
    let report = plan(&s, &cat);
    let format: ExportFormat = format.into();
    let mc =
        if matches!(format, ExportFormat::Html | ExportFormat::Xlsx | ExportFormat::PdfA4 | ExportFormat::PdfLetter)
            && !s.uncertainty.inputs.is_empty()
            && paths != Some(0)
        {
            let bar = progress_bar(paths.unwrap_or(s.uncertainty.paths));
            let r = headroom::uncertainty::montecarlo::run(
                &s,
                &cat,
                paths,
                &[10.0, 50.0, 90.0],
                &|done| bar.set_position(done as u64),
                &std::sync::atomic::AtomicBool::new(false),
            )
            .ok();
            bar.finish_and_clear();
            r
        } else {
            None
        };
    let bytes = export_with(&report, mc.as_ref(), format).map_err(|e| Fail { code: 1, message: e.to_string() })?;
    headroom::write_atomic(&output, &bytes).map_err(|e| bad(format!("{}: cannot write: {e}", output.display())))?;
    say(&format!("{}: {} bytes", output.display(), bytes.len()));
    Ok(())
}
