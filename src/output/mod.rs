//! Output: a report and a Monte Carlo report as text (tables, CSV, JSON; [`render`]) and as
//! files' bytes (cost sheets, XLSX, the HTML budget review; [`export`]). Formats only: no figure
//! is computed here.

pub mod export;
pub mod pdf;
pub mod render;
