//! The desktop app (feature `gui`). Thin: it draws the engine's [`crate::Report`], turns user
//! input into [`Command`]s and applies them at the end of the frame; it computes no figure.
//!
//! Saved state (recent files, the open path) lives in eframe's storage; the scenario file, not
//! the app state, is the source of truth.

mod assumptions_panel;
mod capacity_panel;
mod compare_panel;
mod cost_panel;
mod uncertainty_panel;
pub use cost_panel::bar_label as cost_bar_label;
mod export_panel;
mod growth_panel;
mod overview;

use std::path::{Path, PathBuf};

use crate::output::export::ExportFormat;
use std::sync::Arc;

use crate::{Catalog, Report, Scenario, plan, validate};

pub use export_panel::PendingExport;

/// What the app opens with.
pub struct Start {
    pub path: Option<PathBuf>,
    pub text: String,
    /// The view to open on (default: the one used last).
    pub tab: Option<Tab>,
}

/// The Monte Carlo: settings, the running job, the last result.
pub struct McState {
    pub paths: u32,
    pub running: Option<McRun>,
    pub result: Option<crate::uncertainty::montecarlo::McReport>,
    /// The scenario the result was computed from (to say when it is stale).
    pub for_scenario: Option<Scenario>,
    pub stale: bool,
    pub error: Option<String>,
    /// Run again after every change once a result exists (a run takes well under a second).
    pub follow: bool,
    /// The scenario the last automatic run was started for (an invalid edit is tried once).
    tried: Option<Scenario>,
}

/// A Monte Carlo running on a background thread.
pub struct McRun {
    pub total: u32,
    pub done: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    pub cancel: std::sync::Arc<std::sync::atomic::AtomicBool>,
    scenario: Scenario,
    rx: std::sync::mpsc::Receiver<
        Result<crate::uncertainty::montecarlo::McReport, crate::uncertainty::montecarlo::McError>,
    >,
    /// Cancelled because the scenario changed (a new run follows; no "cancelled" message).
    superseded: bool,
}

/// A simulated day for the Capacity tab, with what it was computed from.
pub struct DayView {
    pub key: (usize, u32, Scenario),
    pub trace: Result<crate::engine::plan::DayTrace, String>,
}

/// A change the user asked for during a frame, applied after drawing.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    SetGrowth(f64),
    SetUsers(f64),
    SetRequestsPerUser(f64),
    /// CPU per request of service `i`, ms.
    SetCpuMs(usize, f64),
    /// Target CPU utilisation of every service.
    SetTargetUtilization(f64),
    /// Instance type of the first node pool.
    SetInstanceType(String),
    /// Scale of every warm standby.
    SetStandbyScale(f64),
    /// Cover this share of each AWS site's month-1 nodes with 1-year No Upfront reserved
    /// instances (renewed yearly), replacing earlier coverage set this way.
    SetCommitmentCoverage(f64),
    Undo,
    Redo,
    PinBaseline,
    ClearBaseline,
    /// Ask where to export (native dialog, or the path field where there is none).
    Export(ExportFormat),
    /// Write the export to this path.
    ExportTo(ExportFormat, PathBuf),
    CancelExport,
    Open,
    OpenPath(PathBuf),
    Save,
    SaveAs,
    SaveTo(PathBuf),
    CancelPathPrompt,
    SelectTab(Tab),
    SelectVariant(usize),
    /// Start the Monte Carlo on a background thread.
    RunMonteCarlo,
    CancelMonteCarlo,
    SetMonteCarloPaths(u32),
    /// Run the Monte Carlo again after every change (once it has run).
    FollowMonteCarlo(bool),
    /// Show the simulated day of this month (1-based) on the Capacity tab.
    SetDayMonth(u32),
    /// Select cost line `line` of month index `month` of the selected variant.
    SelectLine(usize, usize),
    /// Set any scenario field by its path (the Assumptions editor).
    SetField(String, String),
    /// The window is asked to close: with unsaved changes, ask first.
    RequestClose,
    CloseSave,
    CloseDiscard,
    CloseCancel,
    /// Write the autosave file now (the app does it every few seconds while unsaved).
    Autosave,
    RestoreAutosave,
    DiscardAutosave,
    /// Close the error banner (the scenario on screen stays as it was).
    DismissError,
}

/// The main views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize, clap::ValueEnum)]
pub enum Tab {
    #[default]
    Overview,
    Growth,
    Capacity,
    Cost,
    Compare,
    Uncertainty,
    Assumptions,
}

/// Native file dialogs, behind a trait so tests never open one.
pub trait Dialogs {
    /// A path to save to, or `None` (cancelled, or no dialog service on this desktop).
    fn save_path(&self, file_name: &str, extension: &str) -> Option<PathBuf>;
    /// A scenario to open, or `None`.
    fn open_path(&self) -> Option<PathBuf>;
}

/// rfd's dialogs. Where the desktop has no portal, rfd returns `None` at once and the app falls
/// back to a path field.
pub struct NativeDialogs;

impl Dialogs for NativeDialogs {
    fn save_path(&self, file_name: &str, extension: &str) -> Option<PathBuf> {
        rfd::FileDialog::new().set_file_name(file_name).add_filter(extension, &[extension]).save_file()
    }
    fn open_path(&self) -> Option<PathBuf> {
        rfd::FileDialog::new().add_filter("Headroom scenario", &["ron"]).pick_file()
    }
}

/// A path the user types because no dialog is available.
#[derive(Debug, Clone, PartialEq)]
pub struct PathPrompt {
    pub open: bool,
    pub path: String,
}

/// Runtime state: the scenario being edited, its plan, and the editing context.
pub struct HeadroomApp {
    pub path: Option<PathBuf>,
    /// The catalogue this scenario plans with: the shipped one with its `pricing.tables`.
    pub catalog: Arc<Catalog>,
    pub scenario: Scenario,
    pub report: Report,
    /// The scenario as last opened or saved: `scenario != saved` means unsaved changes.
    pub saved: Scenario,
    pub undo: Vec<Scenario>,
    pub redo: Vec<Scenario>,
    /// A pinned plan every figure is compared against.
    pub baseline: Option<Report>,
    pub tab: Tab,
    pub variant: usize,
    pub selected_line: Option<(usize, usize)>,
    /// The last edit or file the engine rejected, shown inline (the CLI's messages).
    pub error: Option<String>,
    pub pending_export: Option<PendingExport>,
    pub path_prompt: Option<PathPrompt>,
    /// The last status line (what was written, or why not).
    pub status: Option<String>,
    pub recent: Vec<PathBuf>,
    pub dialogs: Box<dyn Dialogs>,
    /// Text being typed into the Assumptions editor, by field path.
    pub field_edits: std::collections::BTreeMap<String, String>,
    /// Why the last edit of a field was rejected, by field path (the CLI's messages).
    pub field_errors: std::collections::BTreeMap<String, String>,
    /// Where unsaved work is written every few seconds; `None`: no autosave.
    pub autosave_path: Option<PathBuf>,
    /// Unsaved work found from an earlier session, offered back (the file's text).
    pub recovery: Option<String>,
    /// The close prompt is showing.
    pub close_prompt: bool,
    /// The user chose to close (after saving or discarding).
    pub closing: bool,
    close_sent: bool,
    last_autosave: f64,
    title: String,
    pub worker: Worker,
    /// Month (1-based) whose simulated day the Capacity tab shows.
    pub day_month: u32,
    /// That day, computed on demand for (variant, month, scenario).
    pub day: Option<DayView>,
    pub mc: McState,
}

/// The share last set with the coverage slider (0 when none), read back from the scenario.
pub fn coverage_of(s: &Scenario) -> f64 {
    s.finance.commitments.iter().find_map(|c| c.coverage_share).unwrap_or(0.0)
}

/// Replanning off the UI thread when a plan takes longer than half a frame.
pub struct Worker {
    /// Plan on a background thread (set automatically after a slow plan when `auto` is on).
    pub background: bool,
    /// Switch to background planning when a plan is slow (on in the app; off by default so
    /// that scripted use and tests see every plan at once).
    pub auto: bool,
    /// A background plan is running; the previous figures stay on screen meanwhile.
    pub pending: bool,
    generation: u64,
    tx: std::sync::mpsc::Sender<(u64, Report)>,
    rx: std::sync::mpsc::Receiver<(u64, Report)>,
}

impl Default for Worker {
    fn default() -> Self {
        let (tx, rx) = std::sync::mpsc::channel();
        Self { background: false, auto: false, pending: false, generation: 0, tx, rx }
    }
}

/// Plans slower than this (half a 60 Hz frame) run in the background.
const BACKGROUND_ABOVE_SECONDS: f64 = 0.008;

/// First line of an autosave file; the path of the file it belongs to follows.
const AUTOSAVE_HEADER: &str = "// headroom autosave of: ";
/// Seconds between autosaves while there are unsaved changes.
const AUTOSAVE_SECONDS: f64 = 10.0;

/// Most recent files kept.
const RECENT: usize = 8;

/// Parse a scenario, lay the price tables it names (`pricing.tables`, relative to its file's
/// folder) over the shipped catalogue, and validate it against the result.
fn load_with_tables(text: &str, path: Option<&Path>) -> Result<(crate::ValidScenario, Arc<Catalog>), crate::LoadError> {
    let parsed = crate::parse_scenario(text)?;
    let dir = path.and_then(Path::parent).unwrap_or(Path::new(""));
    let catalog = Catalog::builtin()
        .with_tables(&parsed.pricing.tables, &mut |name| {
            crate::io::read_text(&dir.join(name)).map_err(|e| e.to_string())
        })
        .map_err(crate::LoadError::Tables)?;
    // No tables: the shipped catalogue, shared (not a copy per scenario opened).
    let catalog = match catalog {
        std::borrow::Cow::Borrowed(_) => {
            static SHIPPED: std::sync::OnceLock<Arc<Catalog>> = std::sync::OnceLock::new();
            SHIPPED.get_or_init(|| Arc::new(Catalog::builtin().clone())).clone()
        }
        std::borrow::Cow::Owned(c) => Arc::new(c),
    };
    let s = validate(parsed, &catalog).map_err(crate::LoadError::Invalid)?;
    Ok((s, catalog))
}

impl HeadroomApp {
    /// Open a scenario text; `Err` carries the CLI's message (`line:col: …` or field paths).
    pub fn new(start: Start) -> Result<Self, String> {
        let (s, catalog) = load_with_tables(&start.text, start.path.as_deref()).map_err(|e| e.to_string())?;
        let report = plan(&s, &catalog);
        let scenario = s.into_inner();
        let day_month = scenario.meta.horizon_months;
        let mc_paths = scenario.uncertainty.paths;
        Ok(Self {
            path: start.path,
            catalog,
            saved: scenario.clone(),
            scenario,
            report,
            undo: Vec::new(),
            redo: Vec::new(),
            baseline: None,
            tab: start.tab.unwrap_or_default(),
            variant: 0,
            selected_line: None,
            error: None,
            pending_export: None,
            path_prompt: None,
            status: None,
            recent: Vec::new(),
            dialogs: Box::new(NativeDialogs),
            field_edits: Default::default(),
            field_errors: Default::default(),
            autosave_path: None,
            recovery: None,
            close_prompt: false,
            closing: false,
            close_sent: false,
            last_autosave: f64::NEG_INFINITY,
            title: String::new(),
            worker: Worker::default(),
            day_month,
            day: None,
            mc: McState {
                paths: mc_paths,
                running: None,
                result: None,
                for_scenario: None,
                stale: false,
                error: None,
                follow: true,
                tried: None,
            },
        })
    }

    fn start_monte_carlo(&mut self) {
        if self.mc.running.is_some() {
            return;
        }
        let s = match crate::scenario::validate::validate(self.scenario.clone(), &self.catalog) {
            Ok(s) => s,
            Err(p) => {
                self.mc.error = Some(p.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "));
                return;
            }
        };
        self.mc.error = None;
        self.mc.tried = Some(self.scenario.clone());
        let total = self.mc.paths;
        let done = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (tx, rx) = std::sync::mpsc::channel();
        let (d, c, cat) = (done.clone(), cancel.clone(), self.catalog.clone());
        std::thread::spawn(move || {
            let r = crate::uncertainty::montecarlo::run(
                &s,
                &cat,
                Some(total),
                &uncertainty_panel::PERCENTILES,
                &|n| d.store(n, std::sync::atomic::Ordering::Relaxed),
                &c,
            );
            let _ = tx.send(r);
        });
        self.mc.running = Some(McRun { total, done, cancel, scenario: self.scenario.clone(), rx, superseded: false });
    }

    /// Collect a finished Monte Carlo (a cancelled one leaves the previous result).
    /// With `follow` on, a run for an earlier scenario is cancelled and a new one started.
    fn poll_monte_carlo(&mut self) {
        self.mc.stale = self.mc.result.is_some() && self.mc.for_scenario.as_ref() != Some(&self.scenario);
        if self.mc.follow {
            match &mut self.mc.running {
                Some(run) if run.scenario != self.scenario && !run.superseded => {
                    run.superseded = true;
                    run.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
                }
                None if self.mc.stale && self.mc.tried.as_ref() != Some(&self.scenario) => self.start_monte_carlo(),
                _ => {}
            }
        }
        let Some(run) = &self.mc.running else { return };
        match run.rx.try_recv() {
            Ok(r) => {
                match r {
                    Ok(r) => {
                        self.mc.result = Some(r);
                        self.mc.for_scenario = Some(run.scenario.clone());
                        self.mc.stale = self.mc.for_scenario.as_ref() != Some(&self.scenario);
                    }
                    Err(crate::uncertainty::montecarlo::McError::Cancelled) => {
                        if !run.superseded {
                            self.status = Some("Monte Carlo cancelled".into());
                        }
                    }
                    Err(e) => self.mc.error = Some(e.to_string()),
                }
                self.mc.running = None;
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.mc.error = Some("the Monte Carlo stopped unexpectedly".into());
                self.mc.running = None;
            }
        }
    }

    /// Recompute the Capacity tab's simulated day if the variant, month or scenario changed
    /// (one month of one site: well under a millisecond).
    pub fn refresh_day(&mut self) {
        let month = self.day_month.clamp(1, self.scenario.meta.horizon_months);
        if self.day.as_ref().is_some_and(|d| d.key.0 == self.variant && d.key.1 == month && d.key.2 == self.scenario) {
            return;
        }
        let trace = crate::scenario::validate::validate(self.scenario.clone(), &self.catalog)
            .map_err(|p| p.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))
            .and_then(|s| {
                let name = s.variants.get(self.variant).map(|v| v.name.clone()).unwrap_or_default();
                crate::engine::plan::day_trace(&s, &self.catalog, &name, None, month - 1).map_err(|e| e.to_string())
            });
        self.day = Some(DayView { key: (self.variant, month, self.scenario.clone()), trace });
    }

    /// The seed scenario.
    pub fn seed() -> Self {
        Self::new(Start { path: None, text: crate::SEED_SCENARIO.to_string(), tab: None })
            .expect("the seed scenario is valid")
    }

    /// Use `path` for autosaves, and offer back what an earlier session left there.
    pub fn with_autosave(mut self, path: PathBuf) -> Self {
        self.recovery = std::fs::read_to_string(&path).ok().filter(|t| {
            let (first, body) = t.split_once('\n').unwrap_or(("", t));
            let from = first.strip_prefix(AUTOSAVE_HEADER).filter(|p| !p.is_empty()).map(PathBuf::from);
            load_with_tables(body, from.as_deref()).is_ok()
        });
        self.autosave_path = Some(path);
        self
    }

    fn autosave(&mut self) {
        let Some(p) = &self.autosave_path else { return };
        let text = format!(
            "{AUTOSAVE_HEADER}{}\n{}",
            self.path.as_ref().map_or_else(String::new, |x| x.display().to_string()),
            crate::scenario_to_ron(&self.scenario)
        );
        if let Err(e) = crate::write_atomic(p, text.as_bytes()) {
            self.status = Some(format!("Cannot autosave to {}: {e}", p.display()));
        }
    }

    fn drop_autosave(&mut self) {
        if let Some(p) = &self.autosave_path {
            let _ = std::fs::remove_file(p);
        }
    }

    pub fn dirty(&self) -> bool {
        self.scenario != self.saved
    }

    /// The window title: file name and an unsaved-changes marker.
    pub fn window_title(&self) -> String {
        let name = self
            .path
            .as_ref()
            .and_then(|p| p.file_name())
            .map_or_else(|| "enterprise-hybrid-dr.ron (seed)".to_string(), |n| n.to_string_lossy().into_owned());
        format!("{}{name} — Headroom", if self.dirty() { "● " } else { "" })
    }

    /// Validate an edited scenario and replan, or keep the current one and say why.
    fn edit(&mut self, f: impl FnOnce(&mut Scenario)) {
        let mut s = self.scenario.clone();
        f(&mut s);
        if s == self.scenario {
            return;
        }
        match validate(s, &self.catalog) {
            Ok(v) => {
                self.accept(v);
                self.error = None;
            }
            Err(ps) => self.error = Some(ps.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")),
        }
    }

    /// Make a validated scenario the current one (the old one goes on the undo stack) and plan it.
    fn accept(&mut self, v: crate::ValidScenario) {
        self.undo.push(std::mem::replace(&mut self.scenario, v.scenario().clone()));
        self.redo.clear();
        self.plan_valid(v);
    }

    /// Replan the current scenario after undo/redo (the stacks hold scenarios that were valid
    /// when they were pushed; the engine still takes only a ValidScenario).
    fn replan(&mut self) {
        if let Ok(v) = validate(self.scenario.clone(), &self.catalog) {
            self.plan_valid(v);
        }
    }

    fn plan_valid(&mut self, v: crate::ValidScenario) {
        self.worker.generation += 1;
        if self.worker.background {
            // Off the UI thread: the newest request wins, older results are dropped.
            let (tx, generation, cat) = (self.worker.tx.clone(), self.worker.generation, self.catalog.clone());
            std::thread::spawn(move || {
                let _ = tx.send((generation, plan(&v, &cat)));
            });
            self.worker.pending = true;
        } else {
            let t0 = std::time::Instant::now();
            self.report = plan(&v, &self.catalog);
            // A plan slower than half a frame moves to a background thread from now on.
            if self.worker.auto && t0.elapsed().as_secs_f64() > BACKGROUND_ABOVE_SECONDS {
                self.worker.background = true;
            }
            self.after_replan();
        }
    }

    fn after_replan(&mut self) {
        self.variant = self.variant.min(self.report.variants.len().saturating_sub(1));
        self.selected_line = None;
    }

    /// Take a finished background plan, if it is the newest one asked for.
    fn poll_worker(&mut self) {
        while let Ok((generation, report)) = self.worker.rx.try_recv() {
            if generation == self.worker.generation {
                self.report = report;
                self.worker.pending = false;
                self.after_replan();
            }
        }
    }

    fn open(&mut self, path: &Path) {
        let text = match crate::io::read_text(path) {
            Ok(t) => t,
            Err(e) => {
                self.error = Some(format!("{}: {e}", path.display()));
                return;
            }
        };
        match load_with_tables(&text, Some(path)) {
            Ok((v, catalog)) => {
                self.catalog = catalog;
                self.report = plan(&v, &self.catalog);
                // Any background plan still running is for the old scenario.
                self.worker.generation += 1;
                self.worker.pending = false;
                self.scenario = v.into_inner();
                self.saved = self.scenario.clone();
                self.path = Some(path.to_path_buf());
                self.undo.clear();
                self.redo.clear();
                self.error = None;
                self.path_prompt = None;
                self.variant = 0;
                self.selected_line = None;
                self.remember(path);
                self.status = Some(format!("Opened {}", path.display()));
            }
            // An invalid file opens nothing and says why; the open scenario stays.
            Err(e) => self.error = Some(e.with_file(&path.display().to_string())),
        }
    }

    fn save_to(&mut self, path: &Path) {
        let text = crate::scenario_to_ron(&self.scenario);
        match crate::write_atomic(path, text.as_bytes()) {
            Ok(()) => {
                self.saved = self.scenario.clone();
                self.path = Some(path.to_path_buf());
                self.path_prompt = None;
                self.drop_autosave();
                self.remember(path);
                self.status = Some(format!("Saved {}", path.display()));
            }
            Err(e) => self.status = Some(format!("Cannot save {}: {e}", path.display())),
        }
    }

    fn remember(&mut self, path: &Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_path_buf());
        self.recent.truncate(RECENT);
    }

    fn file_stem(&self) -> String {
        self.path
            .as_ref()
            .and_then(|p| p.file_stem())
            .map_or_else(|| "enterprise-hybrid-dr".to_string(), |s| s.to_string_lossy().into_owned())
    }

    /// Apply one command.
    pub fn apply(&mut self, cmd: Command) {
        match cmd {
            Command::SetMonteCarloPaths(n) => self.mc.paths = n.clamp(1, 1_000_000),
            Command::RunMonteCarlo => self.start_monte_carlo(),
            Command::FollowMonteCarlo(on) => self.mc.follow = on,
            Command::CancelMonteCarlo => {
                if let Some(run) = &self.mc.running {
                    run.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
            Command::SetDayMonth(m) => self.day_month = m.clamp(1, self.scenario.meta.horizon_months),
            Command::SetGrowth(g) => self.edit(|s| s.demand.annual_growth = g),
            Command::SetUsers(u) => self.edit(|s| s.demand.concurrent_users = u),
            Command::SetRequestsPerUser(r) => self.edit(|s| s.workload.peak_requests_per_user_per_s = r),
            Command::SetCpuMs(i, ms) => self.edit(|s| {
                if let Some(sv) = s.workload.services.get_mut(i) {
                    sv.cpu_ms_per_request = ms;
                }
            }),
            Command::SetTargetUtilization(t) => self.edit(|s| {
                for sv in &mut s.workload.services {
                    sv.target_cpu_utilization = t;
                }
            }),
            Command::SetInstanceType(t) => self.edit(|s| {
                if let Some(p) = s.cluster.node_pools.first_mut() {
                    p.instance_type = t;
                }
            }),
            Command::SetStandbyScale(f) => self.edit(|s| {
                for v in &mut s.variants {
                    for site in &mut v.sites {
                        if let crate::scenario::model::Role::WarmStandby(x) = &mut site.role {
                            *x = f;
                        }
                    }
                }
            }),
            Command::SetCommitmentCoverage(share) => {
                let added = crate::engine::recommend::coverage_commitments(&self.scenario, &self.report, share);
                self.edit(|s| {
                    s.finance.commitments.retain(|c| c.coverage_share.is_none());
                    s.finance.commitments.extend(added);
                });
            }
            Command::Undo => {
                if let Some(prev) = self.undo.pop() {
                    self.redo.push(std::mem::replace(&mut self.scenario, prev));
                    self.replan();
                }
            }
            Command::Redo => {
                if let Some(next) = self.redo.pop() {
                    self.undo.push(std::mem::replace(&mut self.scenario, next));
                    self.replan();
                }
            }
            Command::PinBaseline => self.baseline = Some(self.report.clone()),
            Command::ClearBaseline => self.baseline = None,
            Command::Export(format) => {
                let name = format!("{}.{}", self.file_stem(), format.extension());
                match self.dialogs.save_path(&name, format.extension()) {
                    Some(path) => self.apply(Command::ExportTo(format, path)),
                    None => self.pending_export = Some(PendingExport { format, path: name }),
                }
            }
            Command::ExportTo(format, path) => {
                // The budget review carries the Monte Carlo when it is for this scenario.
                let mc = self.mc.result.as_ref().filter(|_| self.mc.for_scenario.as_ref() == Some(&self.scenario));
                self.status = Some(match crate::output::export::export_with(&self.report, mc, format) {
                    Ok(bytes) => match crate::write_atomic(&path, &bytes) {
                        Ok(()) => {
                            self.pending_export = None;
                            format!("Exported {} to {}", format.name(), path.display())
                        }
                        Err(e) => format!("Cannot write {}: {e}", path.display()),
                    },
                    Err(e) => e.to_string(),
                });
            }
            Command::CancelExport => self.pending_export = None,
            Command::Open => match self.dialogs.open_path() {
                Some(p) => self.open(&p),
                None => self.path_prompt = Some(PathPrompt { open: true, path: String::new() }),
            },
            Command::OpenPath(p) => self.open(&p),
            Command::Save => match self.path.clone() {
                Some(p) => self.save_to(&p),
                None => self.apply(Command::SaveAs),
            },
            Command::SaveAs => {
                let name = format!("{}.ron", self.file_stem());
                match self.dialogs.save_path(&name, "ron") {
                    Some(p) => self.save_to(&p),
                    None => self.path_prompt = Some(PathPrompt { open: false, path: name }),
                }
            }
            Command::SaveTo(p) => self.save_to(&p),
            Command::CancelPathPrompt => self.path_prompt = None,
            Command::SelectTab(t) => self.tab = t,
            Command::SelectVariant(i) => {
                self.variant = i.min(self.report.variants.len().saturating_sub(1));
                self.selected_line = None;
            }
            Command::SelectLine(m, l) => self.selected_line = Some((m, l)),
            Command::RequestClose => {
                if self.dirty() && !self.closing {
                    self.close_prompt = true;
                } else {
                    // Nothing unsaved: nothing to offer back next time.
                    self.drop_autosave();
                    self.closing = true;
                }
            }
            Command::CloseSave => {
                self.apply(Command::Save);
                if !self.dirty() {
                    self.close_prompt = false;
                    self.closing = true;
                }
            }
            Command::CloseDiscard => {
                self.drop_autosave();
                self.close_prompt = false;
                self.closing = true;
            }
            Command::CloseCancel => self.close_prompt = false,
            Command::Autosave => self.autosave(),
            Command::RestoreAutosave => {
                if let Some(text) = self.recovery.take() {
                    let (first, body) = text.split_once('\n').unwrap_or(("", &text));
                    let from = first.strip_prefix(AUTOSAVE_HEADER).filter(|p| !p.is_empty()).map(PathBuf::from);
                    if let Ok((v, catalog)) = load_with_tables(body, from.as_deref()) {
                        self.catalog = catalog;
                        self.accept(v);
                        self.path = from;
                        self.status = Some("Restored unsaved work from the last session".into());
                    }
                }
            }
            Command::DiscardAutosave => {
                self.recovery = None;
                self.drop_autosave();
            }
            Command::DismissError => self.error = None,
            Command::SetField(path, text) => {
                self.field_edits.remove(&path);
                let edited = crate::scenario::edit::set_field(&self.scenario, &path, &text)
                    .map_err(|e| e.to_string())
                    .and_then(|s| {
                        validate(s, &self.catalog).map_err(|ps| {
                            // The problems of this field first, then any others it caused.
                            let mut ps: Vec<String> = ps.iter().map(ToString::to_string).collect();
                            ps.sort_by_key(|p| !p.starts_with(&path));
                            ps.join("\n")
                        })
                    });
                match edited {
                    Ok(v) => {
                        self.field_errors.remove(&path);
                        if *v != self.scenario {
                            self.accept(v);
                        }
                    }
                    Err(e) => {
                        self.field_errors.insert(path, e);
                    }
                }
            }
        }
    }

    fn shortcuts(&self, ui: &egui::Ui, commands: &mut Vec<Command>) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        let redo = KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
        let undo = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
        let save_as = KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
        let save = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
        let open = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
        ui.input_mut(|i| {
            // The longer shortcuts first: Ctrl+Shift+Z must not also count as Ctrl+Z.
            if i.consume_shortcut(&redo) {
                commands.push(Command::Redo);
            } else if i.consume_shortcut(&undo) {
                commands.push(Command::Undo);
            }
            if i.consume_shortcut(&save_as) {
                commands.push(Command::SaveAs);
            } else if i.consume_shortcut(&save) {
                commands.push(Command::Save);
            }
            if i.consume_shortcut(&open) {
                commands.push(Command::Open);
            }
            for f in &i.raw.dropped_files {
                let p = f.path();
                if p.extension().is_some_and(|e| e == "ron") {
                    commands.push(Command::OpenPath(p.to_path_buf()));
                }
            }
        });
    }

    fn menu_bar(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        ui.horizontal(|ui| {
            ui.menu_button("File", |ui| {
                if ui.button("Open…").clicked() {
                    commands.push(Command::Open);
                    ui.close();
                }
                if ui.button("Save").clicked() {
                    commands.push(Command::Save);
                    ui.close();
                }
                if ui.button("Save As…").clicked() {
                    commands.push(Command::SaveAs);
                    ui.close();
                }
                if !self.recent.is_empty() {
                    ui.separator();
                    for p in &self.recent {
                        if ui.button(p.display().to_string()).clicked() {
                            commands.push(Command::OpenPath(p.to_path_buf()));
                            ui.close();
                        }
                    }
                }
            });
            ui.menu_button("Edit", |ui| {
                if ui.add_enabled(!self.undo.is_empty(), egui::Button::new("Undo")).clicked() {
                    commands.push(Command::Undo);
                    ui.close();
                }
                if ui.add_enabled(!self.redo.is_empty(), egui::Button::new("Redo")).clicked() {
                    commands.push(Command::Redo);
                    ui.close();
                }
            });
            export_panel::menu(ui, commands);
            ui.separator();
            if self.baseline.is_some() {
                if ui.button("Clear baseline").clicked() {
                    commands.push(Command::ClearBaseline);
                }
            } else if ui.button("Pin baseline").clicked() {
                commands.push(Command::PinBaseline);
            }
            ui.separator();
            for (tab, label) in [
                (Tab::Overview, "Overview"),
                (Tab::Growth, "Growth"),
                (Tab::Capacity, "Capacity"),
                (Tab::Cost, "Cost"),
                (Tab::Compare, "Compare"),
                (Tab::Uncertainty, "Uncertainty"),
                (Tab::Assumptions, "Assumptions"),
            ] {
                if ui.selectable_label(self.tab == tab, label).clicked() {
                    commands.push(Command::SelectTab(tab));
                }
            }
        });
    }

    fn path_prompt_ui(ui: &mut egui::Ui, prompt: &mut Option<PathPrompt>, commands: &mut Vec<Command>) {
        let Some(p) = prompt else { return };
        ui.horizontal(|ui| {
            ui.weak(if p.open {
                "No file dialog here: type the scenario to open."
            } else {
                "No file dialog here: type where to save."
            });
            let label = ui.label(SCENARIO_PATH_FIELD);
            let field = ui.add(egui::TextEdit::singleline(&mut p.path).desired_width(420.0)).labelled_by(label.id);
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let go = if p.open { "Open file" } else { "Save file" };
            if ui.button(go).clicked() || enter {
                let path = PathBuf::from(p.path.trim());
                commands.push(if p.open { Command::OpenPath(path) } else { Command::SaveTo(path) });
            }
            if ui.button("Cancel").clicked() {
                commands.push(Command::CancelPathPrompt);
            }
        });
    }

    /// Draw one frame and apply what the user changed.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let mut commands = Vec::new();
        self.poll_worker();
        self.poll_monte_carlo();
        if self.mc.running.is_some() {
            ui.ctx().request_repaint_after(std::time::Duration::from_millis(50));
        }
        if self.worker.pending {
            ui.ctx().request_repaint_after(std::time::Duration::from_millis(15));
        }
        self.shortcuts(ui, &mut commands);
        if ui.input(|i| i.viewport().close_requested()) && !self.closing {
            if self.dirty() {
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::CancelClose);
            }
            commands.push(Command::RequestClose);
        }
        let now = ui.input(|i| i.time);
        if self.dirty() && self.autosave_path.is_some() && now - self.last_autosave >= AUTOSAVE_SECONDS {
            self.last_autosave = now;
            commands.push(Command::Autosave);
        }
        if self.close_prompt {
            egui::Window::new("Unsaved changes").collapsible(false).resizable(false).show(ui.ctx(), |ui| {
                ui.label("The scenario has changes that are not saved.");
                ui.horizontal(|ui| {
                    if ui.button("Save and close").clicked() {
                        commands.push(Command::CloseSave);
                    }
                    if ui.button("Discard and close").clicked() {
                        commands.push(Command::CloseDiscard);
                    }
                    if ui.button("Cancel").clicked() {
                        commands.push(Command::CloseCancel);
                    }
                });
            });
        }
        let title = self.window_title();
        if title != self.title {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        egui::Panel::top("top").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading("Headroom");
                ui.label(&self.report.scenario);
                if let Some(p) = &self.path {
                    ui.weak(p.display().to_string());
                }
                if self.dirty() {
                    ui.weak("(unsaved changes)");
                }
                if self.worker.pending {
                    ui.spinner();
                    ui.weak("Recomputing…");
                }
            });
            self.menu_bar(ui, &mut commands);
            export_panel::pending(ui, &mut self.pending_export, &mut commands);
            Self::path_prompt_ui(ui, &mut self.path_prompt, &mut commands);
            if self.recovery.is_some() {
                ui.horizontal(|ui| {
                    ui.colored_label(ui.visuals().warn_fg_color, "Unsaved work from an earlier session was found.");
                    if ui.button("Restore it").clicked() {
                        commands.push(Command::RestoreAutosave);
                    }
                    if ui.button("Discard it").clicked() {
                        commands.push(Command::DiscardAutosave);
                    }
                });
            }
            if let Some(s) = &self.status {
                ui.label(s);
            }
            if let Some(e) = &self.error {
                ui.horizontal(|ui| {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                    if ui.button("Dismiss").clicked() {
                        commands.push(Command::DismissError);
                    }
                });
            }
        });
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| match self.tab {
                Tab::Overview => overview::ui(
                    ui,
                    &self.scenario,
                    &self.report,
                    self.baseline.as_ref(),
                    coverage_of(&self.scenario),
                    &mut commands,
                ),
                Tab::Growth => growth_panel::ui(ui, &self.scenario, &self.report),
                Tab::Capacity => {
                    self.refresh_day();
                    let day = self.day.as_ref().map(|d| &d.trace);
                    capacity_panel::ui(ui, &self.report, self.variant, self.day_month, day, &mut commands)
                }
                Tab::Cost => cost_panel::ui(ui, &self.report, self.variant, self.selected_line, &mut commands),
                Tab::Compare => compare_panel::ui(ui, &self.report, self.baseline.as_ref()),
                Tab::Uncertainty => uncertainty_panel::ui(ui, &self.report, &self.mc, self.variant, &mut commands),
                Tab::Assumptions => {
                    let coverage = self.catalog.coverage();
                    assumptions_panel::ui(
                        ui,
                        &self.report,
                        &coverage,
                        &mut self.field_edits,
                        &self.field_errors,
                        &mut commands,
                    )
                }
            });
        });
        for c in commands {
            self.apply(c);
        }
        if self.closing && !self.close_sent {
            self.close_sent = true;
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
}

/// Label of the open/save path field (tests find it by this).
pub const SCENARIO_PATH_FIELD: &str = "Scenario path";

/// What is kept between runs (not the scenario: the file is the source of truth).
#[derive(serde::Serialize, serde::Deserialize, Default)]
struct Saved {
    recent: Vec<PathBuf>,
    tab: Tab,
}

impl eframe::App for HeadroomApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        HeadroomApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &Saved { recent: self.recent.clone(), tab: self.tab });
    }
}

/// Open the window and run until it is closed.
pub fn run(start: Start) -> eframe::Result {
    let forced_tab = start.tab;
    let mut app = HeadroomApp::new(start).map_err(|e| eframe::Error::AppCreation(e.into()))?;
    app.worker.auto = true;
    if let Some(dir) = eframe::storage_dir("Headroom") {
        let _ = std::fs::create_dir_all(&dir);
        app = app.with_autosave(dir.join("autosave.ron"));
    }
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_inner_size([1280.0, 800.0]).with_title("Headroom"),
        ..Default::default()
    };
    eframe::run_native(
        "Headroom",
        options,
        Box::new(|cc| {
            if let Some(saved) = cc.storage.and_then(|s| eframe::get_value::<Saved>(s, eframe::APP_KEY)) {
                app.recent = saved.recent;
                app.tab = forced_tab.unwrap_or(saved.tab);
            }
            Ok(Box::new(app))
        }),
    )
}

/// X-axis labels for plots whose x is the 1-based plan month: the calendar month ("2029-01").
pub(crate) fn month_axis(
    start: crate::scenario::model::YearMonth,
) -> impl Fn(egui_plot::GridMark, &std::ops::RangeInclusive<f64>) -> String {
    move |mark, _| {
        let m = mark.value.round();
        if m < 1.0 || (mark.value - m).abs() > 1e-6 { String::new() } else { start.plus(m as u32 - 1).to_string() }
    }
}

/// A combo box choosing the variant shown by a panel.
pub(crate) fn variant_picker(ui: &mut egui::Ui, r: &Report, variant: usize, commands: &mut Vec<Command>) {
    let Some(v) = r.variants.get(variant) else { return };
    egui::ComboBox::from_label("Variant").selected_text(&v.name).show_ui(ui, |ui| {
        for (i, x) in r.variants.iter().enumerate() {
            if ui.selectable_label(i == variant, &x.name).clicked() {
                commands.push(Command::SelectVariant(i));
            }
        }
    });
}
