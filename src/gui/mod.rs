//! The desktop app (feature `gui`). Thin: it draws the engine's [`crate::Report`] and never
//! computes a figure itself.

use std::path::PathBuf;

/// What the app opens with.
pub struct Start {
    pub path: Option<PathBuf>,
    pub text: String,
}

/// Open the window and run until it is closed.
pub fn run(start: Start) -> eframe::Result {
    let _ = start;
    Ok(())
}
