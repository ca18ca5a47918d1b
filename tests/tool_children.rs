//! Programs saraban starts (pdftotext, pdfinfo, pdftoppm, tesseract) die
//! with it: a saraban killed with SIGKILL leaves no tool running, and the
//! private scratch directory it leaves behind is removed by the next run.
//!
//! The tools here stand in for a slow PDF: each waits until it is killed,
//! so a tool that outlived saraban would still be there to be seen.
#![cfg(target_os = "linux")]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long a step may take before the test gives up (a loaded machine
/// is slow; the test polls and returns as soon as it can).
const PATIENCE: Duration = Duration::from_secs(60);

fn poll<T>(mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if start.elapsed() > PATIENCE {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The fields of `/proc/PID/stat` after the command name: state, ppid, ...
fn stat(pid: u32) -> Option<Vec<String>> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may hold spaces.
    let rest = &s[s.rfind(')')? + 1..];
    Some(rest.split_whitespace().map(str::to_string).collect())
}

/// A running (not zombie) process: its pid and start time.
fn children_of(parent: u32) -> Vec<(u32, String)> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let f = stat(pid)?;
            // f[0] = state, f[1] = ppid, f[19] = start time.
            (f.get(1)? == &parent.to_string() && !matches!(f[0].as_str(), "Z" | "X"))
                .then(|| (pid, f.get(19).cloned().unwrap_or_default()))
        })
        .collect()
}

/// True while the process `pid` started at `start` still runs.
fn alive(pid: u32, start: &str) -> bool {
    stat(pid).is_some_and(|f| {
        f.get(19).is_some_and(|s| s == start) && !matches!(f[0].as_str(), "Z" | "X")
    })
}

fn write_tool(dir: &Path, name: &str, body: &str) {
    let p = dir.join(name);
    std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).expect("write tool");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).expect("chmod tool");
}

fn scratch_dirs(tmp: &Path, pid: u32) -> Vec<PathBuf> {
    let prefix = format!("saraban-{pid}-");
    std::fs::read_dir(tmp)
        .map(|d| {
            d.flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn tools_die_with_a_killed_saraban_and_its_scratch_is_swept() {
    let root = tempfile::tempdir().expect("tempdir");
    let (bin, empty, tmp, input) = (
        root.path().join("bin"),
        root.path().join("empty"),
        root.path().join("tmp"),
        root.path().join("in"),
    );
    for d in [&bin, &empty, &tmp, &input] {
        std::fs::create_dir(d).expect("mkdir");
    }
    // Every PDF tool hangs until killed.
    for name in ["pdftotext", "pdfinfo", "pdftoppm"] {
        write_tool(&bin, name, "PATH=/usr/bin:/bin exec sleep 600");
    }
    let pdf = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/fixtures/letter_libreoffice.pdf");
    std::fs::copy(&pdf, input.join("letter.pdf")).expect("copy PDF");

    let mut saraban = Command::new(env!("CARGO_BIN_EXE_saraban"))
        .arg("--index")
        .arg(root.path().join("index"))
        .args(["ingest", "-q", "--threads", "1"])
        .arg(&input)
        .env("PATH", &bin)
        .env("TMPDIR", &tmp)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start saraban");
    let pid = saraban.id();
    let tool = poll(|| children_of(pid).into_iter().next());
    let Some((tool, start)) = tool else {
        let _ = saraban.kill();
        let _ = saraban.wait();
        panic!("saraban started no tool within {PATIENCE:?}");
    };
    let scratch = scratch_dirs(&tmp, pid);
    assert!(
        !scratch.is_empty(),
        "no scratch directory while a PDF is read"
    );
    for d in &scratch {
        let mode = std::fs::metadata(d).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode.ok(), Some(0o700), "{} is not private", d.display());
    }

    saraban.kill().expect("kill saraban");
    let status = saraban.wait().expect("reap saraban");
    assert!(!status.success(), "saraban finished before it was killed");
    let gone = poll(|| (!alive(tool, &start)).then_some(()));
    if gone.is_none() {
        let _ = Command::new("kill")
            .arg("-9")
            .arg(tool.to_string())
            .status();
        panic!("tool {tool} still runs {PATIENCE:?} after saraban was killed");
    }
    // Killed, saraban could not remove its scratch directory ...
    assert!(scratch.iter().all(|d| d.exists()));

    // ... the next run that reads a PDF does (here with no tools at all).
    let next = Command::new(env!("CARGO_BIN_EXE_saraban"))
        .arg("tag")
        .arg(&pdf)
        .env("PATH", &empty)
        .env("TMPDIR", &tmp)
        .output()
        .expect("run saraban tag");
    assert!(
        next.status.success(),
        "{}",
        String::from_utf8_lossy(&next.stderr)
    );
    for d in &scratch {
        assert!(!d.exists(), "{} left behind", d.display());
    }
    assert!(
        std::fs::read_dir(&tmp).map_or(0, |d| d.count()) == 0,
        "the next run left scratch of its own"
    );
}
