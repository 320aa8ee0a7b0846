//! Storage faults made real for one child process, also when the tests run
//! as root (as in CI), for whom file modes alone deny nothing: the child
//! loses root's power over file modes, sees a folder mounted read-only, or
//! may write no file beyond a size. A full disk is a small tmpfs.
//!
//! Each `with_*` function prepares a `Command`; whether the fault is real
//! here is for the caller to probe (`fault_is_real`) before it relies on it.

use std::ffi::CString;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

fn c_path(path: &Path) -> CString {
    CString::new(path.as_os_str().as_bytes()).expect("path without NUL")
}

fn check(rc: libc::c_int) -> io::Result<()> {
    if rc == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// Linux capabilities that let root ignore file modes (linux/capability.h).
const CAP_DAC_OVERRIDE: libc::c_ulong = 1;
const CAP_DAC_READ_SEARCH: libc::c_ulong = 2;

/// The child runs without root's power to read and write files whatever
/// their mode: dropped from the bounding set, root keeps neither across exec.
pub fn without_file_privileges(cmd: &mut Command) {
    // SAFETY: only async-signal-safe system calls run between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            if libc::geteuid() == 0 {
                for cap in [CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH] {
                    check(libc::prctl(libc::PR_CAPBSET_DROP, cap, 0, 0, 0))?;
                }
            }
            Ok(())
        });
    }
}

/// The child sees `dir` mounted read-only, in a mount namespace of its own
/// (nothing changes for other processes, and nothing is left to unmount).
pub fn with_read_only(cmd: &mut Command, dir: &Path) {
    let dir = c_path(dir);
    // SAFETY: only async-signal-safe system calls run between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let none = std::ptr::null();
            check(libc::unshare(libc::CLONE_NEWNS))?;
            check(libc::mount(
                none,
                c"/".as_ptr(),
                none,
                libc::MS_REC | libc::MS_PRIVATE,
                std::ptr::null(),
            ))?;
            check(libc::mount(
                dir.as_ptr(),
                dir.as_ptr(),
                none,
                libc::MS_BIND,
                std::ptr::null(),
            ))?;
            check(libc::mount(
                none,
                dir.as_ptr(),
                none,
                libc::MS_BIND | libc::MS_REMOUNT | libc::MS_RDONLY,
                std::ptr::null(),
            ))
        });
    }
}

/// The child may write no file beyond `bytes`: a write past it fails with
/// EFBIG ("File too large"), as one fails on a full disk. SIGXFSZ, which
/// would kill it instead, is ignored.
pub fn with_file_size_limit(cmd: &mut Command, bytes: u64) {
    // SAFETY: only async-signal-safe system calls run between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            check(libc::setrlimit(libc::RLIMIT_FSIZE, &limit))
        });
    }
}

/// True when `sh -c SCRIPT`, run with `fault`, fails: the fault is real
/// here. The reason when the fault cannot be set up at all.
pub fn fault_is_real(script: &str, fault: impl FnOnce(&mut Command)) -> Result<bool, String> {
    let mut cmd = Command::new("sh");
    cmd.args(["-c", script]);
    fault(&mut cmd);
    match cmd.output() {
        Ok(out) => Ok(!out.status.success()),
        Err(e) => Err(e.to_string()),
    }
}

/// A tmpfs of a given size mounted on a folder, unmounted when dropped.
pub struct Tmpfs {
    dir: PathBuf,
}

/// `mount -t tmpfs -o size=BYTES` on `dir`, with `flags` (such as `MS_REMOUNT`).
fn mount_tmpfs(dir: &Path, bytes: u64, flags: libc::c_ulong) -> io::Result<()> {
    let target = c_path(dir);
    let options = CString::new(format!("size={bytes}")).unwrap();
    // SAFETY: valid NUL-terminated strings for the duration of the call.
    check(unsafe {
        libc::mount(
            c"tmpfs".as_ptr(),
            target.as_ptr(),
            c"tmpfs".as_ptr(),
            flags,
            options.as_ptr().cast(),
        )
    })
}

impl Tmpfs {
    /// Mounts a tmpfs of `bytes` on `dir` (created if missing).
    pub fn mount(dir: &Path, bytes: u64) -> io::Result<Tmpfs> {
        std::fs::create_dir_all(dir)?;
        mount_tmpfs(dir, bytes, 0)?;
        Ok(Tmpfs {
            dir: dir.to_path_buf(),
        })
    }

    /// Gives the file system `bytes` in all, keeping what it holds.
    pub fn resize(&self, bytes: u64) -> io::Result<()> {
        mount_tmpfs(&self.dir, bytes, libc::MS_REMOUNT)
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let target = c_path(&self.dir);
        // SAFETY: a valid NUL-terminated path.
        unsafe { libc::umount2(target.as_ptr(), libc::MNT_DETACH) };
    }
}
