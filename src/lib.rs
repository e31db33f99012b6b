//! Headroom: a capacity-and-cost planner.
//!
//! users (compounding growth) → requests → CPU/memory per service → replicas → nodes →
//! managed services → monthly dollars, per topology variant.
//!
//! The engine (everything but `gui`) is sans-IO: it parses `&str`, returns plain data, and never
//! touches the filesystem, the terminal or a window. See ARCHITECTURE.md.

pub mod catalog;
pub mod engine;
pub mod io;
pub mod money;
pub mod output;
pub mod scenario;
pub mod uncertainty;

#[cfg(feature = "gui")]
pub mod gui;

pub use catalog::Catalog;
pub use engine::plan::plan;
pub use engine::report::Report;
pub use io::write_atomic;
pub use scenario::model::Scenario;
pub use scenario::validate::{Problem, ValidScenario, validate};
pub use scenario::{LoadError, load_scenario, parse_scenario, scenario_to_ron};

/// The seed scenario shipped in `models/`.
pub const SEED_SCENARIO: &str = include_str!("../models/enterprise-hybrid-dr.ron");
/// File name of the seed scenario.
pub const SEED_FILE: &str = "models/enterprise-hybrid-dr.ron";
