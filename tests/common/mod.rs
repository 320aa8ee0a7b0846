//! What every integration test file needs: running the real binary.

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;

/// What one run of archiv did.
pub struct Output {
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

/// Runs `archiv --index INDEX ARGS...` in `cwd`, with `stdin` piped in if
/// given, free of the caller's `ARCHIV_INDEX` and `NO_COLOR`; a panic fails
/// the test whatever the exit code.
pub fn run_archiv(cwd: &Path, index: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    run_archiv_with(cwd, index, args, stdin, |_| {})
}

/// `run_archiv`, with `setup` applied to the command first (to run it with
/// a storage fault, say).
pub fn run_archiv_with(
    cwd: &Path,
    index: &Path,
    args: &[&str],
    stdin: Option<&str>,
    setup: impl FnOnce(&mut std::process::Command),
) -> Output {
    let mut std_cmd = std::process::Command::new(env!("CARGO_BIN_EXE_archiv"));
    setup(&mut std_cmd);
    let mut cmd = Command::from_std(std_cmd);
    cmd.arg("--index")
        .arg(index)
        .args(args)
        .current_dir(cwd)
        .env_remove("ARCHIV_INDEX")
        .env_remove("NO_COLOR")
        .timeout(Duration::from_secs(60));
    if let Some(text) = stdin {
        cmd.write_stdin(text);
    }
    let output = cmd.output().expect("run archiv");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        !stderr.contains("panicked"),
        "archiv {args:?} panicked:\n{stderr}"
    );
    Output {
        code: output.status.code(),
        stdout: output.stdout,
        stderr,
    }
}
