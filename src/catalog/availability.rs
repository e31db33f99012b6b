//! Default component availabilities (AWS SLAs), each with its source
//! (`assets/availability/aws-sla.ron`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// One row of the default availability table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaRow {
    pub availability: f64,
    pub name: String,
    pub source: String,
}

/// The built-in availability table (`assets/availability/aws-sla.ron`).
pub fn sla_table() -> &'static BTreeMap<String, SlaRow> {
    static T: OnceLock<BTreeMap<String, SlaRow>> = OnceLock::new();
    T.get_or_init(|| {
        super::ron_options()
            .from_str(include_str!("../../assets/availability/aws-sla.ron"))
            .expect("built-in availability table is valid")
    })
}
