//! The Export menu and, where no file dialog is available, the path field.

use std::path::PathBuf;

use super::Command;
use crate::output::export::ExportFormat;

/// An export waiting for the user to type where it goes.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingExport {
    pub format: ExportFormat,
    pub path: String,
}

pub fn label(f: ExportFormat) -> &'static str {
    match f {
        ExportFormat::Csv => "Cost sheet CSV (wide)…",
        ExportFormat::CsvLong => "Cost lines CSV (long)…",
        ExportFormat::Xlsx => "Workbook XLSX…",
        ExportFormat::Html => "Budget review HTML…",
        ExportFormat::PdfA4 => "Budget review PDF (A4)…",
        ExportFormat::PdfLetter => "Budget review PDF (Letter)…",
    }
}

pub fn menu(ui: &mut egui::Ui, commands: &mut Vec<Command>) {
    ui.menu_button("Export", |ui| {
        for f in ExportFormat::ALL {
            if ui.button(label(f)).clicked() {
                commands.push(Command::Export(f));
                ui.close();
            }
        }
    });
}

/// Label of the path field (tests find it by this).
pub const PATH_FIELD: &str = "Export to path";

pub fn pending(ui: &mut egui::Ui, pending: &mut Option<PendingExport>, commands: &mut Vec<Command>) {
    let Some(p) = pending else { return };
    ui.horizontal(|ui| {
        ui.weak(format!("No file dialog here: type where the {} goes.", p.format.name()));
        let label = ui.label(PATH_FIELD);
        let field = ui.add(egui::TextEdit::singleline(&mut p.path).desired_width(420.0)).labelled_by(label.id);
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button("Save").clicked() || enter {
            commands.push(Command::ExportTo(p.format, PathBuf::from(p.path.trim())));
        }
        if ui.button("Cancel").clicked() {
            commands.push(Command::CancelExport);
        }
    });
}
