//! The desktop app (feature `gui`). Thin: it draws the engine's [`crate::Report`], turns user
//! input into [`Command`]s and applies them at the end of the frame; it computes no figure.

mod export_panel;
mod overview;

use std::path::PathBuf;

use crate::export::ExportFormat;
use crate::{Catalog, Report, Scenario, load_scenario, plan, validate};

pub use export_panel::PendingExport;

/// What the app opens with.
pub struct Start {
    pub path: Option<PathBuf>,
    pub text: String,
}

/// A change the user asked for during a frame, applied after drawing.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    SetGrowth(f64),
    SetUsers(f64),
    /// Ask where to export (native dialog, or the path field where there is none).
    Export(ExportFormat),
    /// Write the export to this path.
    ExportTo(ExportFormat, PathBuf),
    CancelExport,
}

/// Native file dialogs, behind a trait so tests never open one.
pub trait Dialogs {
    /// A path to save to, or `None` (cancelled, or no dialog service on this desktop).
    fn save_path(&self, file_name: &str, extension: &str) -> Option<PathBuf>;
}

/// rfd's dialogs. Where the desktop has no portal, rfd returns `None` at once and the app falls
/// back to a path field.
pub struct NativeDialogs;

impl Dialogs for NativeDialogs {
    fn save_path(&self, file_name: &str, extension: &str) -> Option<PathBuf> {
        rfd::FileDialog::new().set_file_name(file_name).add_filter(extension, &[extension]).save_file()
    }
}

/// Runtime state: the scenario being edited and its plan.
pub struct HeadroomApp {
    pub path: Option<PathBuf>,
    pub scenario: Scenario,
    pub report: Report,
    /// The last edit the engine rejected (validation messages), shown inline.
    pub error: Option<String>,
    /// An export waiting for a path typed by hand.
    pub pending_export: Option<PendingExport>,
    /// The last status line (what was written, or why not).
    pub status: Option<String>,
    pub dialogs: Box<dyn Dialogs>,
}

impl HeadroomApp {
    /// Open a scenario text; `Err` carries the CLI's message (`line:col: …` or field paths).
    pub fn new(start: Start) -> Result<Self, String> {
        let s = load_scenario(&start.text, Catalog::builtin()).map_err(|e| e.to_string())?;
        let report = plan(&s, Catalog::builtin());
        Ok(Self {
            path: start.path,
            scenario: s.into_inner(),
            report,
            error: None,
            pending_export: None,
            status: None,
            dialogs: Box::new(NativeDialogs),
        })
    }

    /// The seed scenario.
    pub fn seed() -> Self {
        Self::new(Start { path: None, text: crate::SEED_SCENARIO.to_string() }).expect("the seed scenario is valid")
    }

    /// Apply a command: validate the edited scenario and replan, or keep the old one and say why.
    pub fn apply(&mut self, cmd: Command) {
        let mut s = self.scenario.clone();
        match cmd {
            Command::SetGrowth(g) => s.demand.annual_growth = g,
            Command::SetUsers(u) => s.demand.concurrent_users = u,
            Command::Export(format) => {
                let name = format!("{}.{}", self.file_stem(), format.extension());
                match self.dialogs.save_path(&name, format.extension()) {
                    Some(path) => self.apply(Command::ExportTo(format, path)),
                    None => self.pending_export = Some(PendingExport { format, path: name }),
                }
                return;
            }
            Command::ExportTo(format, path) => {
                self.status = Some(match crate::export::export(&self.report, format) {
                    Ok(bytes) => match crate::write_atomic(&path, &bytes) {
                        Ok(()) => {
                            self.pending_export = None;
                            format!("Exported {} to {}", format.name(), path.display())
                        }
                        Err(e) => format!("Cannot write {}: {e}", path.display()),
                    },
                    Err(e) => e.to_string(),
                });
                return;
            }
            Command::CancelExport => {
                self.pending_export = None;
                return;
            }
        }
        match validate(s, Catalog::builtin()) {
            Ok(v) => {
                self.report = plan(&v, Catalog::builtin());
                self.scenario = v.into_inner();
                self.error = None;
            }
            Err(ps) => self.error = Some(ps.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")),
        }
    }

    fn file_stem(&self) -> String {
        self.path
            .as_ref()
            .and_then(|p| p.file_stem())
            .map_or_else(|| "enterprise-hybrid-dr".to_string(), |s| s.to_string_lossy().into_owned())
    }

    /// Draw one frame and apply what the user changed.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let mut commands = Vec::new();
        egui::Panel::top("top").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading("Headroom");
                ui.label(&self.report.scenario);
                if let Some(p) = &self.path {
                    ui.weak(p.display().to_string());
                }
                ui.separator();
                export_panel::menu(ui, &mut commands);
            });
            export_panel::pending(ui, &mut self.pending_export, &mut commands);
            if let Some(s) = &self.status {
                ui.label(s);
            }
        });
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                overview::ui(ui, &self.scenario, &self.report, self.error.as_deref(), &mut commands);
            });
        });
        for c in commands {
            self.apply(c);
        }
    }
}

impl eframe::App for HeadroomApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        HeadroomApp::ui(self, ui);
    }
}

/// Open the window and run until it is closed.
pub fn run(start: Start) -> eframe::Result {
    let app = HeadroomApp::new(start).map_err(|e| eframe::Error::AppCreation(e.into()))?;
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_inner_size([1280.0, 800.0]).with_title("Headroom"),
        ..Default::default()
    };
    eframe::run_native("Headroom", options, Box::new(|_cc| Ok(Box::new(app))))
}
