//! Headroom: a capacity-and-cost planner.
//!
//! users (compounding growth) → requests → CPU/memory per service → replicas → nodes →
//! managed services → monthly dollars, per topology variant.
//!
//! The engine (everything but `gui`) is sans-IO: it parses `&str`, returns plain data, and never
//! touches the filesystem, the terminal or a window. See ARCHITECTURE.md.

pub mod assumptions;
pub mod autoscale;
pub mod demand;
pub mod edit;
pub mod export;
pub mod finance;
pub mod hpa;
pub mod io;
pub mod k8s;
pub mod lean;
pub mod model;
pub mod montecarlo;
pub mod plan;
pub mod pricing;
pub mod queueing;
pub mod render;
pub mod report;
pub mod topology;
pub mod validate;

#[cfg(feature = "gui")]
pub mod gui;

pub use io::write_atomic;
pub use model::Scenario;
pub use plan::plan;
pub use pricing::Catalog;
pub use report::Report;
pub use validate::{Problem, ValidScenario, validate};

/// Why a scenario text could not be loaded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LoadError {
    /// Not valid RON, or not the scenario's shape (unknown or missing field, wrong type).
    #[error("{line}:{col}: {message}")]
    Syntax { line: usize, col: usize, message: String },
    /// Well-formed, but values out of range or inconsistent: every problem found.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Problem>),
}

impl LoadError {
    /// The message with the file name in front of every line (`file:line:col: …` or
    /// `file: field.path: …`).
    pub fn with_file(&self, file: &str) -> String {
        match self {
            LoadError::Syntax { .. } => format!("{file}:{self}"),
            LoadError::Invalid(ps) => ps.iter().map(|p| format!("{file}: {p}")).collect::<Vec<_>>().join("\n"),
        }
    }
}

/// RON as Headroom reads it: optional fields may be written bare (`max_pods: 58`, no `Some(…)`).
pub(crate) fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// Parse a scenario from RON text (syntax and shape only).
pub fn parse_scenario(text: &str) -> Result<Scenario, LoadError> {
    ron_options().from_str(text).map_err(|e| LoadError::Syntax {
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

/// The seed scenario shipped in `models/`.
pub const SEED_SCENARIO: &str = include_str!("../models/enterprise-hybrid-dr.ron");
/// File name of the seed scenario.
pub const SEED_FILE: &str = "models/enterprise-hybrid-dr.ron";
