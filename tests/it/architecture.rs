//! The layering ARCHITECTURE.md states, checked on the source: each top-level module of `src/`
//! refers (`crate::…`, outside comments and `#[cfg(test)]` code) only to the layers below it, so
//! there is no import cycle; the engine's layers name no GUI crate and touch no file; no engine
//! function is longer than a reader can hold.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each layer and what it may use, lowest first. `gui` may use every layer but the CLI; `io`
/// none.
const LAYERS: &[(&str, &[&str])] = &[
    ("catalog", &[]),
    ("scenario", &["catalog"]),
    ("money", &["catalog", "scenario"]),
    ("engine", &["catalog", "scenario", "money"]),
    ("uncertainty", &["catalog", "scenario", "money", "engine"]),
    ("output", &["catalog", "scenario", "money", "engine", "uncertainty"]),
    ("io", &[]),
    ("gui", &[]),
];

/// The layers that are the engine: sans-IO, no GUI.
const ENGINE: &[&str] = &["catalog", "scenario", "money", "engine", "uncertainty", "output"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file without comments, string contents and its `#[cfg(test)]` module.
fn code(text: &str) -> String {
    let text = text.find("#[cfg(test)]").map_or(text, |i| &text[..i]);
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_str = false;
        let mut prev = ' ';
        let mut kept = String::new();
        let mut skip = 0;
        for (i, c) in line.char_indices() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            if !in_str && line[i..].starts_with("//") {
                break;
            }
            // A character literal ('{', '"', '\'') is neither a brace nor a string delimiter
            // (a lifetime has no closing quote after one character).
            if !in_str && c == '\'' {
                let rest = &line[i + 1..];
                let inner = if rest.starts_with('\\') { 2 } else { 1 };
                if rest.chars().nth(inner) == Some('\'') {
                    skip = inner + 1;
                    continue;
                }
            }
            if c == '"' && prev != '\\' {
                in_str = !in_str;
            }
            if !in_str || c == '"' {
                kept.push(c);
            }
            prev = c;
        }
        out.push_str(&kept);
        out.push('\n');
    }
    out
}

/// Every source file with its top-level module (`src/engine/plan.rs` → `engine`).
fn sources() -> Vec<(String, PathBuf, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(&src).unwrap();
            let top =
                rel.components().next().unwrap().as_os_str().to_str().unwrap().trim_end_matches(".rs").to_string();
            let text = std::fs::read_to_string(&p).unwrap();
            (top, p, text)
        })
        .collect()
}

#[test]
fn layers_refer_only_downward() {
    let allowed: BTreeMap<&str, &[&str]> = LAYERS.iter().copied().collect();
    let mut bad = BTreeSet::new();
    let mut edges = 0;
    for (top, path, text) in sources() {
        // The binary and the app sit on top: they may use every layer (the app not the CLI).
        if matches!(top.as_str(), "lib" | "main" | "cli") {
            continue;
        }
        let may = allowed.get(top.as_str()).unwrap_or_else(|| panic!("{} is in no layer", path.display()));
        let code = code(&text);
        for (i, _) in code.match_indices("crate::") {
            let name: String = code[i + 7..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if name == top || (top == "gui" && name != "cli") {
                continue;
            }
            edges += 1;
            if !may.contains(&name.as_str()) {
                bad.insert(format!("{} → crate::{name}", path.display()));
            }
        }
    }
    assert!(bad.is_empty(), "references against the layering:\n{}", bad.into_iter().collect::<Vec<_>>().join("\n"));
    assert!(edges > 50, "the scan found only {edges} references: is it reading the code?");
}

#[test]
fn the_engine_touches_no_file_and_no_window() {
    for (top, path, text) in sources() {
        if !ENGINE.contains(&top.as_str()) {
            continue;
        }
        let code = code(&text);
        for banned in ["std::fs", "egui", "eframe", "rfd::", "std::io::stdin", "println!", "eprintln!"] {
            assert!(!code.contains(banned), "{} uses {banned}", path.display());
        }
    }
}
#[test]
fn engine_functions_fit_on_a_screen() {
    // Brace-counted function bodies outside tests; 150 lines at most.
    let mut long = Vec::new();
    for (top, path, text) in sources() {
        if !ENGINE.contains(&top.as_str()) {
            continue;
        }
        let code = code(&text);
        let lines: Vec<&str> = code.lines().collect();
        for (k, line) in lines.iter().enumerate() {
            let t = line.trim_start();
            let is_fn = t.starts_with("fn ")
                || t.starts_with("pub fn ")
                || t.starts_with("pub(crate) fn ")
                || t.starts_with("const fn ")
                || t.starts_with("pub const fn ");
            if !is_fn {
                continue;
            }
            let (mut depth, mut started) = (0i32, false);
            for (j, l) in lines.iter().enumerate().skip(k) {
                for c in l.chars() {
                    match c {
                        '{' => {
                            depth += 1;
                            started = true;
                        }
                        '}' => depth -= 1,
                        ';' if !started => break,
                        _ => {}
                    }
                }
                if (started && depth == 0) || (!started && l.contains(';')) {
                    if started && j - k + 1 > 150 {
                        long.push(format!("{}:{} ({} lines)", path.display(), k + 1, j - k + 1));
                    }
                    break;
                }
            }
        }
    }
    assert!(long.is_empty(), "functions over 150 lines:\n{}", long.join("\n"));
}
