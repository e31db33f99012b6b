//! The only file writing in the library: used by the CLI and the GUI, never by the engine
//! (model, validation, planning, pricing, reports and exports all work on `&str` and bytes).

use std::path::{Path, PathBuf};

/// Write `bytes` to `path` atomically: a temporary file in the same folder, flushed to disk,
/// then renamed over `path`. A failure leaves `path` as it was and no temporary file behind.
///
/// Only a regular file is ever replaced: a FIFO, device, socket or directory at `path` is an
/// error, and nothing is written. A symbolic link is followed to its target (which must be a
/// regular file or not exist yet) and the target is replaced atomically; the link stays. Temporary
/// files that earlier, interrupted writes left in the folder (`.headroom-PID-*.tmp` of a process
/// no longer running) are removed first.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let path = regular_target(path)?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    remove_stale_temporaries(&dir);
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!("{TMP_PREFIX}{}-", std::process::id()))
        .suffix(TMP_SUFFIX)
        .tempfile_in(&dir)?;
    tmp.write_all(bytes)?;
    // Keep the permissions of the file being replaced; a new file gets the usual rw-r--r--.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path).map_or(0o644, |m| m.permissions().mode());
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(&path).map_err(|e| e.error)?;
    Ok(())
}

const TMP_PREFIX: &str = ".headroom-";
const TMP_SUFFIX: &str = ".tmp";

/// The file to replace: `path` itself when it is a regular file or does not exist, the target of
/// a symbolic link (followed to the end) under the same rule; anything else is refused.
fn regular_target(path: &Path) -> std::io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    // A chain of links ends within a few hops, or it is a loop.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(p),
            Err(e) => return Err(e),
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&p)?;
                p = match p.parent() {
                    Some(d) if target.is_relative() => d.join(target),
                    _ => target,
                };
            }
            Ok(m) if m.is_file() => return Ok(p),
            Ok(_) => {
                return Err(std::io::Error::other(format!(
                    "{} is not a regular file (a directory, FIFO, device or socket): refusing to replace it",
                    p.display()
                )));
            }
        }
    }
    Err(std::io::Error::other(format!("{}: too many levels of symbolic links", path.display())))
}

/// Remove `.headroom-PID-*.tmp` files in `dir` whose process is gone (on Linux, no
/// `/proc/PID`; elsewhere, older than an hour). Best effort: errors are ignored.
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let me = std::process::id();
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(rest) = name.strip_prefix(TMP_PREFIX).filter(|_| name.ends_with(TMP_SUFFIX)) else { continue };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        let gone = match pid {
            Some(p) if p == me => false,
            Some(p) if cfg!(target_os = "linux") => !Path::new(&format!("/proc/{p}")).exists(),
            _ => e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 3600),
        };
        if gone && e.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The most a scenario or case file may hold (64 MiB): a model is a few kilobytes; this stops
/// `/dev/zero`-like inputs from growing memory without limit.
pub const MAX_INPUT_BYTES: u64 = 64 << 20;

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("not a regular file (a directory, FIFO, device or socket): give a file, or - for standard input")]
    NotRegular,
    #[error("larger than {} MiB: not a scenario", MAX_INPUT_BYTES >> 20)]
    TooLarge,
    #[error("{line}:{col}: invalid UTF-8 (byte 0x{byte:02x})")]
    Utf8 { line: usize, col: usize, byte: u8 },
}

/// Read a text input: a regular file (links followed), or standard input for `-`; at most
/// [`MAX_INPUT_BYTES`]; UTF-8, else the line and column of the first bad byte.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    let limit = MAX_INPUT_BYTES + 1;
    if path.as_os_str() == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut bytes)?;
    } else {
        if !std::fs::metadata(path)?.is_file() {
            return Err(ReadError::NotRegular);
        }
        std::fs::File::open(path)?.take(limit).read_to_end(&mut bytes)?;
    }
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(ReadError::TooLarge);
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let before = &bytes[..at];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        // Columns count characters, as the parser's do.
        let col = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
        ReadError::Utf8 { line, col, byte: bytes[at] }
    })
}

/// Open a large input to stream (a price list offer file): a regular file (links followed),
/// with its size for a progress bar; no size cap, as the reader keeps only what it needs.
pub fn open_stream(path: &Path) -> Result<(std::fs::File, u64), ReadError> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    Ok((std::fs::File::open(path)?, meta.len()))
}
