//! External programs: finding them, running them with a time limit, and
//! scratch directories for their files.
//!
//! A program's output is read up to a cap; past it the rest is drained (so
//! the program never blocks on a full pipe), the program is stopped and the
//! run fails saying so. On Linux a program dies with the thread that started
//! it (`PR_SET_PDEATHSIG`), so killing saraban leaves no tesseract behind.
//! Scratch directories are private (0700) and removed when dropped; those
//! left by a killed saraban are removed by the next run.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
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
    /// poppler's `pdfinfo` (page sizes, so that rasters stay bounded).
    pub pdfinfo: Option<PathBuf>,
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
            pdfinfo: find_on_path("pdfinfo"),
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
    /// How the program ended (`exit status: 1`, `signal: 9`).
    pub status: String,
}

impl Output {
    /// The error for a run that failed: the tool and the start of what it
    /// wrote to standard error.
    pub(crate) fn failure(&self, tool: &'static str) -> ExtractError {
        let said: String = String::from_utf8_lossy(&self.stderr)
            .trim()
            .chars()
            .take(300)
            .collect();
        let reason = if said.is_empty() {
            format!("{} with no message", self.status)
        } else {
            said
        };
        ExtractError::ToolFailed { tool, reason }
    }
}

/// A path as a program argument that can never be read as an option: a
/// relative path gets `./` in front (`-l.pdf` becomes `./-l.pdf`).
pub(crate) fn path_arg(p: &Path) -> PathBuf {
    if p.is_absolute() || p.starts_with(".") {
        p.to_path_buf()
    } else {
        Path::new(".").join(p)
    }
}

/// Writes a scratch file; a failure names the path (a full disk says where).
pub(crate) fn write_scratch(path: &Path, bytes: &[u8]) -> Result<(), ExtractError> {
    std::fs::write(path, bytes).map_err(|e| {
        ExtractError::Io(std::io::Error::new(
            e.kind(),
            format!("cannot write {}: {e}", path.display()),
        ))
    })
}

/// Standard output kept from one program run; more is drained and the run
/// fails.
pub(crate) const MAX_STDOUT: usize = 256 * 1024 * 1024;
/// Standard error kept (the rest is drained and ignored).
const MAX_STDERR: usize = 64 * 1024;

/// Reads a stream to its end, keeping at most `cap` bytes; `over` is set
/// when more came.
fn drain(
    r: Option<Box<dyn Read + Send>>,
    cap: usize,
    over: Arc<AtomicBool>,
) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let Some(mut r) = r else { return kept };
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match r.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    let room = cap.saturating_sub(kept.len());
                    kept.extend_from_slice(&buf[..n.min(room)]);
                    if n > room {
                        over.store(true, Ordering::Relaxed);
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
        kept
    })
}

/// Makes a program die with the thread that starts it (Linux), so a killed
/// saraban leaves no children running.
fn die_with_caller(cmd: &mut Command) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: prctl and getppid are async-signal-safe; nothing else runs
        // between fork and exec.
        unsafe {
            let parent = libc::getpid();
            cmd.pre_exec(move || {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                // The caller died before prctl took effect.
                if libc::getppid() != parent {
                    libc::_exit(1);
                }
                Ok(())
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = cmd;
}

/// A started program, killed and reaped if the caller unwinds.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// Runs a program, capturing its output, and kills it when it runs longer
/// than `timeout` or writes more than [`MAX_STDOUT`].
pub(crate) fn run(
    cmd: Command,
    tool: &'static str,
    timeout: Duration,
) -> Result<Output, ExtractError> {
    run_capped(cmd, tool, timeout, MAX_STDOUT)
}

/// [`run`] with its own cap on standard output.
pub(crate) fn run_capped(
    mut cmd: Command,
    tool: &'static str,
    timeout: Duration,
    max_stdout: usize,
) -> Result<Output, ExtractError> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    die_with_caller(&mut cmd);
    let mut child = Running(cmd.spawn().map_err(|e| ExtractError::ToolFailed {
        tool,
        reason: format!("cannot start: {e}"),
    })?);
    let over = Arc::new(AtomicBool::new(false));
    let out_thread = drain(
        child
            .0
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
        max_stdout,
        Arc::clone(&over),
    );
    let err_thread = drain(
        child
            .0
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
        MAX_STDERR,
        Arc::new(AtomicBool::new(false)),
    );
    let start = Instant::now();
    let status = loop {
        match child.0.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) if over.load(Ordering::Relaxed) => {
                let _ = child.0.kill();
                let _ = child.0.wait();
                break Err(ExtractError::ToolFailed {
                    tool,
                    reason: format!(
                        "output over the limit of {} KiB (stopped)",
                        max_stdout >> 10
                    ),
                });
            }
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.0.kill();
                let _ = child.0.wait();
                break Err(ExtractError::ToolFailed {
                    tool,
                    reason: format!("no result within {} s", timeout.as_secs()),
                });
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => {
                let _ = child.0.kill();
                break Err(ExtractError::Io(e));
            }
        }
    };
    let stdout = out_thread.join().unwrap_or_default();
    let stderr = err_thread.join().unwrap_or_default();
    let status = status?;
    if over.load(Ordering::Relaxed) {
        return Err(ExtractError::ToolFailed {
            tool,
            reason: format!(
                "output over the limit of {} KiB (discarded)",
                max_stdout >> 10
            ),
        });
    }
    Ok(Output {
        stdout,
        stderr,
        success: status.success(),
        status: status.to_string(),
    })
}

/// Prefix of scratch directory names; the process id follows.
const SCRATCH_PREFIX: &str = "saraban-";

/// A private (0700) scratch directory, removed with its files when dropped.
pub(crate) struct ScratchDir {
    dir: tempfile::TempDir,
}

impl ScratchDir {
    /// Creates a new, empty directory under the system temporary directory.
    pub fn new() -> Result<ScratchDir, ExtractError> {
        static SWEPT: std::sync::Once = std::sync::Once::new();
        let base = std::env::temp_dir();
        SWEPT.call_once(|| sweep_orphans(&base));
        let prefix = format!("{SCRATCH_PREFIX}{}-", std::process::id());
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o700));
        }
        let dir = builder.tempdir_in(&base).map_err(|e| {
            ExtractError::Io(std::io::Error::new(
                e.kind(),
                format!(
                    "cannot create a scratch directory in {}: {e}",
                    base.display()
                ),
            ))
        })?;
        Ok(ScratchDir { dir })
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// Removes scratch directories of saraban processes that no longer run
/// (killed before they could clean up). Linux only: liveness is read from
/// `/proc`.
fn sweep_orphans(base: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(SCRATCH_PREFIX)) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        let mine = {
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                // SAFETY: getuid has no preconditions.
                let uid = unsafe { libc::getuid() };
                e.metadata()
                    .is_ok_and(|m| m.is_dir() && m.uid() == uid && m.mode() & 0o777 == 0o700)
            }
            #[cfg(not(unix))]
            false
        };
        if mine && pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(e.path());
        }
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

    #[cfg(unix)]
    #[test]
    fn endless_output_is_drained_stopped_and_reported() {
        let c = Command::new("yes");
        let t0 = Instant::now();
        let r = run_capped(c, "yes", Duration::from_secs(60), 1 << 20);
        let Err(ExtractError::ToolFailed { tool, reason }) = r else {
            panic!("endless output must fail");
        };
        assert_eq!(tool, "yes");
        assert!(reason.contains("over the limit of 1024 KiB"), "{reason}");
        assert!(t0.elapsed() < Duration::from_secs(20));
    }

    #[cfg(unix)]
    #[test]
    fn a_silent_failure_still_has_a_reason() {
        let mut c = Command::new("sh");
        c.args(["-c", "exit 3"]);
        let Ok(out) = run(c, "sh", Duration::from_secs(10)) else {
            panic!("sh must run");
        };
        assert!(!out.success);
        let ExtractError::ToolFailed { reason, .. } = out.failure("sh") else {
            panic!("failure is ToolFailed");
        };
        assert_eq!(reason, "exit status: 3 with no message");
    }

    #[test]
    fn paths_are_never_options() {
        assert_eq!(path_arg(Path::new("-l.pdf")), Path::new("./-l.pdf"));
        assert_eq!(path_arg(Path::new("a/-x.pdf")), Path::new("./a/-x.pdf"));
        assert_eq!(path_arg(Path::new("/tmp/-x.pdf")), Path::new("/tmp/-x.pdf"));
        assert_eq!(path_arg(Path::new("./x.pdf")), Path::new("./x.pdf"));
    }

    #[test]
    fn full_disk_errors_name_the_path() {
        let p = Path::new("/nonexistent-dir/page-1.pgm");
        let Err(e) = write_scratch(p, b"x") else {
            panic!("must fail");
        };
        assert!(e.to_string().contains("/nonexistent-dir/page-1.pgm"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn scratch_dir_is_private_and_orphans_are_swept() {
        use std::os::unix::fs::PermissionsExt;
        let Ok(d) = ScratchDir::new() else {
            panic!("temp dir must be writable");
        };
        let mode = std::fs::metadata(d.path()).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode.ok(), Some(0o700));
        let base = std::env::temp_dir();
        // A directory of a process that no longer runs (pids stay below 2^22).
        let orphan = base.join(format!(
            "{SCRATCH_PREFIX}999999999-test{}",
            std::process::id()
        ));
        let _ = std::fs::create_dir(&orphan);
        let _ = std::fs::set_permissions(&orphan, std::fs::Permissions::from_mode(0o700));
        // Someone else's directory with the same prefix but open permissions stays.
        let other = base.join(format!(
            "{SCRATCH_PREFIX}999999998-test{}",
            std::process::id()
        ));
        let _ = std::fs::create_dir(&other);
        let _ = std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o755));
        sweep_orphans(&base);
        assert!(!orphan.exists());
        assert!(other.exists());
        let _ = std::fs::remove_dir_all(&other);
        assert!(d.path().exists(), "a live process's directory stays");
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
