//! The error table: each way each call can fail gives the documented `io::ErrorKind`, keeps
//! the `errno` where the kernel gave one, names the resource and the values in its message, and
//! leaves the limits as they were. Tests that try to change limits run in a child process.

mod child;

use std::io::{self, ErrorKind};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command};

use child::{in_child_process, nr_open, skipped_for_privilege};
use resource::{getrlimit, prlimit, raw_os_error, setrlimit, Limit, Rlimit, RLIMIT_NOFILE};

/// What an error must be: its kind, its `errno` (`None` when refused before any system call)
/// and words its message must contain.
struct Expected<'a> {
    kind: ErrorKind,
    errno: Option<i32>,
    words: &'a [&'a str],
}

impl Expected<'_> {
    /// Asserts that `error` is what is expected.
    fn check(&self, error: &io::Error) {
        let message = error.to_string();
        assert_eq!(error.kind(), self.kind, "{message}");
        assert_eq!(raw_os_error(error), self.errno, "{message}");
        for word in self.words {
            assert!(message.contains(word), "{message:?} does not name {word:?}");
        }
    }
}

/// Runs `call`, which must fail as `expected` says, and checks that the open-file limits are
/// the same afterwards.
fn fails_leaving_limits_unchanged<T: std::fmt::Debug>(
    expected: &Expected<'_>,
    call: impl FnOnce() -> io::Result<T>,
) {
    let before = open_file_limits();
    let error = call().expect_err("the call succeeded");
    expected.check(&error);
    assert_eq!(open_file_limits(), before, "the limits changed: {error}");
}

/// The calling process's open-file limits.
fn open_file_limits() -> Rlimit {
    getrlimit(RLIMIT_NOFILE).expect("getrlimit(RLIMIT_NOFILE)")
}

/// The open-file hard limit, which Linux always keeps finite (at most `fs.nr_open`).
fn open_file_hard_limit() -> u64 {
    match open_file_limits().hard {
        Limit::Finite(amount) => amount,
        Limit::Infinity => panic!("RLIMIT_NOFILE has an infinite hard limit"),
    }
}

/// `setrlimit` and a `prlimit` set of the calling process, both with `limits` for
/// `RLIMIT_NOFILE`, each failing as `expected` says and changing nothing.
fn both_setters_fail(limits: Rlimit, expected: &Expected<'_>) {
    fails_leaving_limits_unchanged(expected, || setrlimit(RLIMIT_NOFILE, limits));
    fails_leaving_limits_unchanged(expected, || prlimit(0, RLIMIT_NOFILE, Some(limits)));
    let own_pid = std::process::id();
    fails_leaving_limits_unchanged(expected, || prlimit(own_pid, RLIMIT_NOFILE, Some(limits)));
}

/// A soft limit above the hard limit is refused before any system call.
#[test]
fn soft_above_hard_is_invalid_input() {
    in_child_process("soft_above_hard_is_invalid_input", || {
        let hard = open_file_hard_limit();
        let (above, hard_text) = ((hard + 1).to_string(), hard.to_string());
        let expected = Expected {
            kind: ErrorKind::InvalidInput,
            errno: None,
            words: &["RLIMIT_NOFILE", &above, &hard_text],
        };
        both_setters_fail(Rlimit::new(hard + 1, hard), &expected);

        // Infinity is above every finite value.
        let expected = Expected {
            words: &["RLIMIT_NOFILE", "unlimited", &hard_text],
            ..expected
        };
        both_setters_fail(Rlimit::new(Limit::Infinity, hard), &expected);
    });
}

/// A finite value with the bits of `RLIM_INFINITY` is refused rather than meaning infinity.
#[cfg(all(target_arch = "x86_64", target_env = "gnu"))]
#[test]
fn unrepresentable_value_is_invalid_input() {
    in_child_process("unrepresentable_value_is_invalid_input", || {
        let expected = Expected {
            kind: ErrorKind::InvalidInput,
            errno: None,
            words: &[
                "RLIMIT_NOFILE",
                "18446744073709551615",
                "cannot be represented",
            ],
        };
        both_setters_fail(Rlimit::new(u64::MAX, u64::MAX), &expected);
        both_setters_fail(Rlimit::new(0, u64::MAX), &expected);
    });
}

/// Raising the hard limit without `CAP_SYS_RESOURCE` is `EPERM`, and nothing changes.
#[test]
fn raising_the_hard_limit_is_permission_denied() {
    in_child_process("raising_the_hard_limit_is_permission_denied", || {
        if skipped_for_privilege("raising_the_hard_limit_is_permission_denied") {
            return;
        }
        let hard = open_file_hard_limit();
        let (above, hard_text) = ((hard + 1).to_string(), hard.to_string());
        let expected = Expected {
            kind: ErrorKind::PermissionDenied,
            errno: Some(libc::EPERM),
            words: &["RLIMIT_NOFILE", &hard_text, &above],
        };
        both_setters_fail(Rlimit::new(hard, hard + 1), &expected);
    });
}

/// Asking for an infinite open-file hard limit fails, whatever the privilege (Linux never
/// allows more than `fs.nr_open`), and the caller sees it; nothing changes.
#[test]
fn infinite_open_file_hard_limit_reaches_the_caller() {
    in_child_process("infinite_open_file_hard_limit_reaches_the_caller", || {
        let expected = Expected {
            kind: ErrorKind::PermissionDenied,
            errno: Some(libc::EPERM),
            words: &["RLIMIT_NOFILE", "1048576", "unlimited"],
        };
        both_setters_fail(Rlimit::new(1_048_576, Limit::Infinity), &expected);
    });
}

/// Open-file limits above `fs.nr_open` are `EPERM` with a message that says so.
#[test]
fn open_files_above_nr_open_name_the_ceiling() {
    in_child_process("open_files_above_nr_open_name_the_ceiling", || {
        let ceiling = nr_open();
        let (ceiling_text, above) = (ceiling.to_string(), (ceiling + 1).to_string());
        let expected = Expected {
            kind: ErrorKind::PermissionDenied,
            errno: Some(libc::EPERM),
            words: &["RLIMIT_NOFILE", "fs.nr_open", &ceiling_text, &above],
        };
        both_setters_fail(Rlimit::new(ceiling + 1, ceiling + 1), &expected);
        let soft = open_file_limits().soft;
        both_setters_fail(Rlimit::new(soft, ceiling + 1), &expected);
    });
}

/// A process that has exited is `ESRCH`, `NotFound`, with its pid in the message.
#[test]
fn exited_process_is_not_found() {
    let mut exited = Command::new("true").spawn().expect("spawning true");
    let pid = exited.id();
    exited.wait().expect("waiting for true");
    let expected = Expected {
        kind: ErrorKind::NotFound,
        errno: Some(libc::ESRCH),
        words: &["RLIMIT_NOFILE", &format!("pid {pid}")],
    };
    expected.check(&prlimit(pid, RLIMIT_NOFILE, None).unwrap_err());

    // Setting, the values are named too.
    let expected = Expected {
        words: &["RLIMIT_NOFILE", &format!("pid {pid}"), "soft 0, hard 0"],
        ..expected
    };
    expected.check(&prlimit(pid, RLIMIT_NOFILE, Some(Rlimit::new(0, 0))).unwrap_err());
}

/// A pid that no `pid_t` can hold is refused before any system call.
#[test]
fn pid_beyond_pid_t_is_invalid_input() {
    let pid = u32::MAX;
    let expected = Expected {
        kind: ErrorKind::InvalidInput,
        errno: None,
        words: &["RLIMIT_NOFILE", "4294967295"],
    };
    expected.check(&prlimit(pid, RLIMIT_NOFILE, None).unwrap_err());
}

/// Another user's process: reading or setting its limits is `EPERM` without
/// `CAP_SYS_RESOURCE`, and its limits stay as they were.
///
/// A child that runs as `nobody` (uid 65534) is that process: this process (uid 0) may start
/// it with `CAP_SETUID`, but without `CAP_SYS_RESOURCE` the kernel lets `prlimit` reach only
/// processes whose user and group ids all match the caller's.
#[test]
fn another_users_process_is_permission_denied() {
    if skipped_for_privilege("another_users_process_is_permission_denied") {
        return;
    }
    let Some(mut other) = sleeper_as_nobody() else {
        println!("another_users_process_is_permission_denied: skipped, no CAP_SETUID to start it");
        return;
    };
    let pid = other.id();
    let before = limits_table_of(pid);

    // Reading is refused as well as setting.
    let pid_text = format!("pid {pid}");
    let expected = Expected {
        kind: ErrorKind::PermissionDenied,
        errno: Some(libc::EPERM),
        words: &["RLIMIT_NOFILE", &pid_text],
    };
    let read = prlimit(pid, RLIMIT_NOFILE, None);
    let set = prlimit(pid, RLIMIT_NOFILE, Some(Rlimit::new(64, 64)));
    let after = limits_table_of(pid);
    other.kill().expect("stopping the child");
    other.wait().expect("waiting for the child");

    expected.check(&read.unwrap_err());
    let expected = Expected {
        words: &["RLIMIT_NOFILE", &pid_text, "soft 64, hard 64", "privilege"],
        ..expected
    };
    expected.check(&set.unwrap_err());
    assert_eq!(after, before, "the other process's limits changed");
}

/// A `sleep` running as `nobody`, or `None` when this process may not change user.
fn sleeper_as_nobody() -> Option<Child> {
    let spawned = Command::new("sleep")
        .arg("30")
        .uid(65534)
        .gid(65534)
        .spawn();
    match spawned {
        Ok(child) => Some(child),
        Err(error) if error.kind() == ErrorKind::PermissionDenied => None,
        Err(error) => panic!("spawning sleep as nobody: {error}"),
    }
}

/// The limits of process `pid` as /proc shows them (readable by root when `prlimit` is not).
fn limits_table_of(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/limits")).expect("/proc/PID/limits")
}

/// A resource number the kernel does not know is `EINVAL` from each call of the sys crate
/// (the safe crate's constants cannot name one).
#[test]
fn unknown_resource_number_is_einval_from_the_kernel() {
    let unknown = 9999;
    let mut raw = resource_sys::rlimit::default();

    // SAFETY: `raw` is a valid, writable `struct rlimit`.
    let status = unsafe { resource_sys::getrlimit(unknown as _, &mut raw) };
    assert_einval(status, "getrlimit(9999)");

    // SAFETY: `raw` is a valid `struct rlimit` that the call only reads.
    let status = unsafe { resource_sys::setrlimit(unknown as _, &raw) };
    assert_einval(status, "setrlimit(9999)");

    // SAFETY: a null new value only reads; `raw` is writable.
    let status = unsafe { resource_sys::prlimit(0, unknown as _, core::ptr::null(), &mut raw) };
    assert_einval(status, "prlimit(0, 9999)");

    let mut usage = resource_sys::rusage::default();
    // SAFETY: `usage` is a valid, writable `struct rusage`.
    let status = unsafe { resource_sys::getrusage(unknown as _, &mut usage) };
    assert_einval(status, "getrusage(9999)");
}

/// Asserts that the C call just made, `call`, returned -1 and left `errno` at `EINVAL`.
fn assert_einval(status: i32, call: &str) {
    let errno = io::Error::last_os_error().raw_os_error();
    assert_eq!((status, errno), (-1, Some(libc::EINVAL)), "{call}");
}
