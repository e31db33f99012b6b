//! The scenario file: its format ([`model`]: every field with its meaning, unit, range and
//! default), parsing with `file:line:col`, validation into [`validate::ValidScenario`] (the only
//! type the engine accepts), setting fields by path ([`edit`]), the distributions of uncertain
//! inputs ([`dist`]) and every input listed with its unit ([`assumptions`]).
//!
//! Depends on `catalog` only (validation checks names against the price tables).

pub mod assumptions;
pub mod dist;
pub mod edit;
pub mod model;
pub mod synthetic;
pub mod validate;

use crate::catalog::Catalog;
use model::Scenario;
use validate::{Problem, ValidScenario, validate};

/// Why a scenario text could not be loaded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LoadError {
    /// Not valid RON, or not the scenario's shape (unknown or missing field, wrong type).
    #[error("{line}:{col}: {message}")]
    Syntax { line: usize, col: usize, message: String },
    /// Well-formed, but values out of range or inconsistent: every problem found.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Problem>),
    /// A price table named in `pricing.tables` could not be read or laid over the catalogue.
    #[error("{0}")]
    Tables(String),
}

impl LoadError {
    /// The message with the file name in front of every line (`file:line:col: …` or
    /// `file: field.path: …`).
    pub fn with_file(&self, file: &str) -> String {
        match self {
            LoadError::Syntax { .. } => format!("{file}:{self}"),
            LoadError::Invalid(ps) => ps.iter().map(|p| format!("{file}: {p}")).collect::<Vec<_>>().join("\n"),
            LoadError::Tables(m) => format!("{file}: {m}"),
        }
    }
}

/// Parse a scenario from RON text (syntax and shape only).
pub fn parse_scenario(text: &str) -> Result<Scenario, LoadError> {
    crate::catalog::ron_options().from_str(text).map_err(|e| LoadError::Syntax {
        line: e.span.start.line,
        col: e.span.start.col,
        message: e.code.to_string(),
    })
}

/// Parse and validate a scenario against `catalog`.
pub fn load_scenario(text: &str, catalog: &Catalog) -> Result<ValidScenario, LoadError> {
    validate(parse_scenario(text)?, catalog).map_err(LoadError::Invalid)
}

/// Serialise a scenario back to RON (what the app saves).
pub fn scenario_to_ron(s: &Scenario) -> String {
    let cfg = ron::ser::PrettyConfig::new().struct_names(false).indentor("    ".to_string());
    ron::ser::to_string_pretty(s, cfg).unwrap_or_default()
}
