//! The desktop app (feature `gui`). Thin: it draws the engine's [`crate::Report`], turns user
//! input into [`Command`]s and applies them at the end of the frame; it computes no figure.

mod overview;

use std::path::PathBuf;

use crate::{Catalog, Report, Scenario, load_scenario, plan, validate};

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
}

/// Runtime state: the scenario being edited and its plan.
pub struct HeadroomApp {
    pub path: Option<PathBuf>,
    pub scenario: Scenario,
    pub report: Report,
    /// The last edit the engine rejected (validation messages), shown inline.
    pub error: Option<String>,
}

impl HeadroomApp {
    /// Open a scenario text; `Err` carries the CLI's message (`line:col: …` or field paths).
    pub fn new(start: Start) -> Result<Self, String> {
        let s = load_scenario(&start.text, Catalog::builtin()).map_err(|e| e.to_string())?;
        let report = plan(&s, Catalog::builtin());
        Ok(Self { path: start.path, scenario: s.into_inner(), report, error: None })
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
            });
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
