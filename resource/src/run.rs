//! The resource usage of one command run to completion, collected with `wait4`.

use std::io;
use std::os::unix::process::ExitStatusExt as _;
use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

use resource_sys as sys;

use crate::command::CommandExt as _;
use crate::usage::{usage_from_raw, Usage};

/// How a command ended and what it used: the answer of [`run_with_usage`].
///
/// Exists where [`run_with_usage`] does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommandUsage {
    /// How the command ended.
    pub status: ExitStatus,
    /// What the command and the descendants it waited for used.
    pub usage: Usage,
    /// The time from just before the spawn to just after the exit.
    pub wall_time: Duration,
}

/// Runs `command` to completion and returns its exit status, the resource usage of the
/// child and of the descendants it waited for, and the wall-clock time from spawn to exit.
///
/// The usage is that of this one child, from C `wait4`: unlike a difference of
/// `getrusage(RUSAGE_CHILDREN)` readings, other children of this process do not count. On
/// Linux `ru_maxrss` is the largest peak of the child and of each descendant it waited for,
/// which is what GNU `time` reports. That peak includes the image `exec` replaced: the
/// copy of this process the child was forked from, so a small command run from a large
/// process reports at least this process's resident size at the spawn.
///
/// The child's standard input, if piped, is closed first, as [`Child::wait`] does; piped
/// output is not read, so a child that fills a pipe would wait forever: let it inherit or
/// discard its output. Limits set with [`CommandExt::rlimit`](crate::CommandExt::rlimit)
/// apply, and a failure to set one is reported as
/// [`CommandExt::spawn_with_limits`](crate::CommandExt::spawn_with_limits) reports it.
///
/// Exists on the systems with `wait4`: Linux, Android, macOS and Apple's other systems,
/// FreeBSD, NetBSD, OpenBSD and DragonFly. Man pages: [Linux](https://man7.org/linux/man-pages/man2/wait4.2.html),
/// [FreeBSD](https://man.freebsd.org/cgi/man.cgi?query=wait4&sektion=2).
///
/// # Errors
///
/// Those of [`Command::spawn`] (the program is missing or not executable), those of
/// [`CommandExt::spawn_with_limits`](crate::CommandExt::spawn_with_limits) for a limit the
/// child could not set, and those of `wait4`, which a child spawned here never gives.
///
/// ```
/// use std::process::Command;
///
/// let run = resource::run_with_usage(Command::new("sh").args(["-c", "exit 3"]))?;
/// assert_eq!(run.status.code(), Some(3));
/// assert!(run.usage.maxrss_bytes() > 0);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn run_with_usage(command: &mut Command) -> io::Result<CommandUsage> {
    // Start the clock, then the child.
    let start = Instant::now();
    let mut child = command.spawn_with_limits()?;
    drop(child.stdin.take());

    // Wait for it, collecting its usage with its status.
    let (status, usage) = wait4(&child)?;
    let wall_time = start.elapsed();
    Ok(CommandUsage {
        status,
        usage,
        wall_time,
    })
}

/// Waits for `child` with C `wait4`, retrying when a signal interrupts the wait.
fn wait4(child: &Child) -> io::Result<(ExitStatus, Usage)> {
    let pid = child.id() as libc::pid_t;
    loop {
        let mut status = 0;
        let mut raw = sys::rusage::default();
        // SAFETY: `status` is a writable int and `raw` a writable `struct rusage`, generated
        // from the target's header, which libc's `rusage` declares with the same layout.
        let waited = unsafe {
            libc::wait4(
                pid,
                &mut status,
                0,
                (&mut raw as *mut sys::rusage).cast::<libc::rusage>(),
            )
        };
        if waited == pid {
            return Ok((ExitStatus::from_raw(status), usage_from_raw(&raw)));
        }
        let os = io::Error::last_os_error();
        if os.kind() != io::ErrorKind::Interrupted {
            return Err(io::Error::new(os.kind(), format!("wait4(pid {pid}): {os}")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usage_is_the_childs_own() {
        // A child that burns some CPU time in user mode.
        let run = run_with_usage(
            Command::new("sh").args(["-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done"]),
        )
        .unwrap();
        assert!(run.status.success());
        assert!(run.usage.ru_utime > Duration::ZERO, "{:?}", run.usage);
        assert!(run.wall_time >= run.usage.ru_utime / 2, "{run:?}");

        // A second, idle child does not report the first one's time.
        let idle = run_with_usage(&mut Command::new("true")).unwrap();
        assert!(
            idle.usage.ru_utime < run.usage.ru_utime,
            "{idle:?} vs {run:?}"
        );
    }

    #[test]
    fn a_missing_program_is_a_spawn_error() {
        let error = run_with_usage(&mut Command::new("/nonexistent/program")).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn a_signal_shows_in_the_status() {
        let run = run_with_usage(Command::new("sh").args(["-c", "kill -KILL $$"])).unwrap();
        assert_eq!(run.status.signal(), Some(libc::SIGKILL));
    }
}
