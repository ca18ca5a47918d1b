//! External programs: finding them, running them with a time limit, and
//! scratch directories for their files.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::ExtractError;

/// Install command for poppler's `pdftotext` and `pdftoppm`.
pub(crate) const POPPLER_INSTALL: &str = "apt-get install -y poppler-utils";
/// Install command for tesseract with the Thai model.
pub(crate) const TESSERACT_INSTALL: &str =
    "apt-get install -y tesseract-ocr tesseract-ocr-tha tesseract-ocr-eng";

/// The external programs extraction can use; `None` when absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tools {
    /// poppler's `pdftotext` (PDF text layer).
    pub pdftotext: Option<PathBuf>,
    /// poppler's `pdftoppm` (PDF page rasterizer for OCR).
    pub pdftoppm: Option<PathBuf>,
    /// `tesseract`, only when its Thai model (`tha`) is installed.
    pub tesseract: Option<PathBuf>,
}

impl Tools {
    /// Finds the programs on `PATH`; tesseract counts only when
    /// `tesseract --list-langs` lists `tha`.
    pub fn detect() -> Tools {
        let tesseract = find_on_path("tesseract").filter(|t| tesseract_has_thai(t));
        Tools {
            pdftotext: find_on_path("pdftotext"),
            pdftoppm: find_on_path("pdftoppm"),
            tesseract,
        }
    }

    /// No external programs: text formats only, PDFs through the built-in
    /// reader, no OCR.
    pub fn none() -> Tools {
        Tools::default()
    }
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

fn tesseract_has_thai(exe: &Path) -> bool {
    let mut cmd = Command::new(exe);
    cmd.arg("--list-langs");
    match run(cmd, "tesseract", Duration::from_secs(20)) {
        Ok(out) => {
            // Older versions print the list on stderr.
            let all = [out.stdout, out.stderr].concat();
            String::from_utf8_lossy(&all)
                .lines()
                .any(|l| l.trim() == "tha")
        }
        Err(_) => false,
    }
}

/// What a finished program printed.
pub(crate) struct Output {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub success: bool,
}

impl Output {
    /// The error for a run that failed: the tool and the start of what it
    /// wrote to standard error.
    pub(crate) fn failure(&self, tool: &'static str) -> ExtractError {
        ExtractError::ToolFailed {
            tool,
            reason: String::from_utf8_lossy(&self.stderr)
                .trim()
                .chars()
                .take(300)
                .collect(),
        }
    }
}

/// Output kept from one stream of a program (more is read and discarded).
const MAX_CAPTURE: usize = 512 * 1024 * 1024;

/// Runs a program, capturing its output, and kills it when it runs longer
/// than `timeout`.
pub(crate) fn run(
    mut cmd: Command,
    tool: &'static str,
    timeout: Duration,
) -> Result<Output, ExtractError> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| ExtractError::ToolFailed {
        tool,
        reason: format!("cannot start: {e}"),
    })?;
    let drain = |r: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(r) = r {
                let _ = r.take(MAX_CAPTURE as u64).read_to_end(&mut buf);
            }
            buf
        })
    };
    let out_thread = drain(
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let err_thread = drain(
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break Err(ExtractError::ToolFailed {
                    tool,
                    reason: format!("no result within {} s", timeout.as_secs()),
                });
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => {
                let _ = child.kill();
                break Err(ExtractError::Io(e));
            }
        }
    };
    let stdout = out_thread.join().unwrap_or_default();
    let stderr = err_thread.join().unwrap_or_default();
    let status = status?;
    Ok(Output {
        stdout,
        stderr,
        success: status.success(),
    })
}

/// A private scratch directory, removed with its files when dropped.
pub(crate) struct ScratchDir {
    path: PathBuf,
}

impl ScratchDir {
    /// Creates a new, empty directory under the system temporary directory.
    pub fn new() -> Result<ScratchDir, ExtractError> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let base = std::env::temp_dir();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        for _ in 0..16 {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let path = base.join(format!("saraban-{}-{n}-{nanos}", std::process::id()));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(ScratchDir { path }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(ExtractError::Io(e)),
            }
        }
        Err(ExtractError::Io(std::io::Error::other(
            "cannot create a scratch directory",
        )))
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn none_has_no_tools() {
        let t = Tools::none();
        assert!(t.pdftotext.is_none() && t.pdftoppm.is_none() && t.tesseract.is_none());
    }

    #[test]
    fn detect_finds_only_executables() {
        let t = Tools::detect();
        for p in [&t.pdftotext, &t.pdftoppm, &t.tesseract]
            .into_iter()
            .flatten()
        {
            assert!(is_executable(p), "{}", p.display());
        }
    }

    #[cfg(unix)]
    #[test]
    fn run_captures_and_times_out() {
        let mut c = Command::new("sh");
        c.args(["-c", "printf 'ก'; printf err >&2"]);
        let Ok(out) = run(c, "sh", Duration::from_secs(10)) else {
            panic!("sh must run");
        };
        assert_eq!(out.stdout, "ก".as_bytes());
        assert_eq!(out.stderr, b"err");
        assert!(out.success);
        let mut c = Command::new("sleep");
        c.arg("5");
        let t0 = Instant::now();
        assert!(matches!(
            run(c, "sleep", Duration::from_millis(200)),
            Err(ExtractError::ToolFailed { tool: "sleep", .. })
        ));
        assert!(t0.elapsed() < Duration::from_secs(3));
    }

    #[test]
    fn scratch_dir_is_removed() {
        let Ok(d) = ScratchDir::new() else {
            panic!("temp dir must be writable");
        };
        let p = d.path().to_path_buf();
        assert!(p.is_dir());
        let _ = std::fs::write(p.join("x"), b"1");
        drop(d);
        assert!(!p.exists());
    }
}
