//! CPython's own tests of its `resource` module (Lib/test/test_resource.py), one Rust test per
//! Python case and under its name. Where Python checks for a `TypeError` or `OverflowError`,
//! the comment says why the Rust types rule the case out, and the test checks the nearest
//! thing Rust lets a caller do. Every test that sets a limit does it in a child process.

use std::fs::{self, File};
use std::io::{ErrorKind, Write};
use std::process::Command;

use resource::{getrlimit, setrlimit, Limit, Resource, Rlimit, RLIMIT_FSIZE, RLIM_INFINITY};

mod child;

use child::in_child_process;

/// Fails unless `result` is an `InvalidInput` error, naming `what`.
fn assert_invalid_input<T: std::fmt::Debug>(result: std::io::Result<T>, what: &str) {
    let error = result.expect_err(what);
    assert_eq!(error.kind(), ErrorKind::InvalidInput, "{what}: {error}");
}

/// The largest amount that is a finite limit on every target whose `RLIM_INFINITY` is all ones:
/// the bits of -1, which Python's `setrlimit` still takes as infinity with a warning.
const BITS_OF_MINUS_ONE: u64 = u64::MAX;

/// Python: test_args. Missing, extra or mistyped arguments (TypeError) and resource numbers
/// beyond a C `int` (OverflowError) do not compile: the functions have fixed parameters, and
/// a `Resource` exists only as one of the crate's constants. What a caller can still get
/// wrong is a pair C cannot take, refused as `InvalidInput` before any system call, and a
/// malformed limit text (Python's ValueError for a tuple of the wrong length).
#[test]
fn test_args() {
    in_child_process("test_args", || {
        let before = getrlimit(RLIMIT_FSIZE).unwrap();
        assert_invalid_input(
            setrlimit(RLIMIT_FSIZE, Rlimit::new(2, 1)),
            "a soft limit above the hard one",
        );
        assert_eq!(getrlimit(RLIMIT_FSIZE).unwrap(), before);
    });
    for text in ["42:42:42", "'42'", "", ":"] {
        assert!(
            text.parse::<resource::RlimitChange>().is_err(),
            "{text:?} was taken as limits"
        );
    }
}

/// Python: test_fsize_ismax. The hard file-size limit is infinity, which is above every
/// finite value, and setting (hard, hard) then (soft, hard) back round-trips.
#[test]
fn test_fsize_ismax() {
    let Rlimit { soft, hard } = getrlimit(RLIMIT_FSIZE).unwrap();
    assert_eq!(hard, RLIM_INFINITY);
    assert!(Limit::Finite(u64::MAX) < RLIM_INFINITY);
    assert!(soft <= hard);
    in_child_process("test_fsize_ismax", || {
        setrlimit(RLIMIT_FSIZE, Rlimit { soft: hard, hard }).unwrap();
        assert_eq!(
            getrlimit(RLIMIT_FSIZE).unwrap(),
            Rlimit { soft: hard, hard }
        );
        setrlimit(RLIMIT_FSIZE, Rlimit { soft, hard }).unwrap();
        assert_eq!(getrlimit(RLIMIT_FSIZE).unwrap(), Rlimit { soft, hard });
    });
}

/// Python: test_fsize_enforced. With `SIGXFSZ` ignored and a soft limit of 1024 bytes, 1024
/// bytes can be written and the next byte fails with `EFBIG`.
#[test]
fn test_fsize_enforced() {
    in_child_process("test_fsize_enforced", || {
        // SAFETY: setting a signal's disposition to "ignore" installs no handler and touches
        // no memory of this process.
        let previous = unsafe { libc::signal(libc::SIGXFSZ, libc::SIG_IGN) };
        assert_ne!(previous, libc::SIG_ERR);
        let hard = getrlimit(RLIMIT_FSIZE).unwrap().hard;
        let path = std::env::temp_dir().join(format!("resource-fsize-{}", std::process::id()));
        let mut file = File::create(&path).unwrap();
        setrlimit(RLIMIT_FSIZE, Rlimit::new(1024, hard)).unwrap();

        // Up to the limit the writes succeed; one byte past it fails.
        file.write_all(&[b'X'; 1024]).unwrap();
        let error = file.write(b"Y").expect_err("a write past RLIMIT_FSIZE");
        fs::remove_file(&path).unwrap();
        assert_eq!(error.raw_os_error(), Some(libc::EFBIG), "{error}");
    });
}

/// Python: test_fsize_too_big. Python refuses 10**50 with OverflowError or ValueError; no
/// `u64` holds it, so the nearest is the largest `u64`, which is the bits of infinity on this
/// target and must be refused as a finite value, on either side, leaving the limits as they
/// were.
#[test]
fn test_fsize_too_big() {
    assert!("1".repeat(51).parse::<Limit>().is_err());
    in_child_process("test_fsize_too_big", || {
        let before = getrlimit(RLIMIT_FSIZE).unwrap();
        let too_big = Limit::Finite(u64::MAX);
        let refused = |limits| assert_invalid_input(setrlimit(RLIMIT_FSIZE, limits), "too big");
        if before.hard == RLIM_INFINITY {
            refused(Rlimit::new(too_big, before.hard));
        }
        refused(Rlimit::new(before.hard, too_big));
        assert_eq!(getrlimit(RLIMIT_FSIZE).unwrap(), before);
    });
}

/// Python: test_fsize_not_too_big. Large values round-trip unless the target cannot represent
/// them: too large for `rlim_t` or the bits of one of its special values.
#[test]
fn test_fsize_not_too_big() {
    let values = [
        (1 << 31) - 5,
        1 << 31,
        (1 << 32) - 5,
        1 << 32,
        (1 << 63) - 5,
        1 << 63,
        u64::MAX - 4,
    ];

    // On x86_64 glibc every one of them is an ordinary value.
    #[cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
    assert!(values.iter().all(|value| representable(*value)));

    in_child_process("test_fsize_not_too_big", || {
        let hard = getrlimit(RLIMIT_FSIZE).unwrap().hard;
        for value in values {
            let limits = Rlimit::new(value, hard);
            let result = setrlimit(RLIMIT_FSIZE, limits);
            if representable(value) && Limit::Finite(value) <= hard {
                result.unwrap_or_else(|error| panic!("{value}: {error}"));
                assert_eq!(getrlimit(RLIMIT_FSIZE).unwrap(), limits, "{value}");
            } else {
                assert_invalid_input(result, &value.to_string());
            }
        }
    });
}

/// Whether `value` is a finite limit this target can pass to C: it fits `rlim_t` and is not
/// one of the values `<sys/resource.h>` gives a special meaning.
#[allow(clippy::useless_conversion)]
fn representable(value: u64) -> bool {
    let fits = resource_sys::rlim_t::try_from(value).is_ok();
    fits && !special_values().contains(&value)
}

/// `RLIM_INFINITY`, and `RLIM_SAVED_CUR` and `RLIM_SAVED_MAX` where the target defines them.
#[allow(clippy::unnecessary_cast, unused_mut)]
fn special_values() -> Vec<u64> {
    let mut special = vec![resource_sys::RLIM_INFINITY as u64];
    #[cfg(resource_has = "RLIM_SAVED_CUR")]
    special.push(resource_sys::RLIM_SAVED_CUR as u64);
    #[cfg(resource_has = "RLIM_SAVED_MAX")]
    special.push(resource_sys::RLIM_SAVED_MAX as u64);
    special
}

/// Python: test_fsize_negative. A negative limit (ValueError) does not compile: limits are
/// `u64`. Python still takes the bits of -1 as infinity with a DeprecationWarning; here that
/// amount is a finite value the target cannot represent, refused on either side.
#[test]
fn test_fsize_negative() {
    assert!("-5".parse::<Limit>().is_err());
    in_child_process("test_fsize_negative", || {
        let before = getrlimit(RLIMIT_FSIZE).unwrap();
        let minus_one = Limit::Finite(BITS_OF_MINUS_ONE);
        assert_invalid_input(
            setrlimit(RLIMIT_FSIZE, Rlimit::new(before.soft, minus_one)),
            "the bits of -1 as the hard limit",
        );
        if before.hard == RLIM_INFINITY {
            assert_invalid_input(
                setrlimit(RLIMIT_FSIZE, Rlimit::new(minus_one, before.hard)),
                "the bits of -1 as the soft limit",
            );
        }
        assert_eq!(getrlimit(RLIMIT_FSIZE).unwrap(), before);
    });
}

/// Python: test_getrusage. Calling it with no or two arguments (TypeError) does not compile;
/// `RUSAGE_SELF` and `RUSAGE_CHILDREN` read, `RUSAGE_THREAD` reads where the target defines
/// it, and `RUSAGE_BOTH` is absent where C lacks it (ci/tests/compile_fail.rs).
#[test]
fn test_getrusage() {
    // The process itself has a resident set.
    let own = resource::getrusage(resource::RUSAGE_SELF).unwrap();
    assert!(own.ru_maxrss > 0);

    // A child waited for adds its page faults to the children's usage.
    let status = Command::new("true").status().unwrap();
    assert!(status.success());
    let children = resource::getrusage(resource::RUSAGE_CHILDREN).unwrap();
    assert!(children.ru_minflt > 0, "{children:?}");

    // One thread has used no more CPU than the whole process.
    #[cfg(resource_has = "RUSAGE_THREAD")]
    {
        let thread = resource::getrusage(resource::RUSAGE_THREAD).unwrap();
        let process = resource::getrusage(resource::RUSAGE_SELF).unwrap();
        assert!(thread.ru_utime + thread.ru_stime <= process.ru_utime + process.ru_stime);
    }
}

/// Python: test_setrusage_refcount. Python checks that a sequence whose items are freed
/// while they are converted does not crash; Rust passes limits by value and has no reference
/// counts, so the nearest check is that the values passed are exactly the values set.
#[test]
fn test_setrusage_refcount() {
    in_child_process("test_setrusage_refcount", || {
        let cpu = resource::RLIMIT_CPU;
        let hard = getrlimit(cpu).unwrap().hard;
        let limits = Rlimit::new(1_000_000, Limit::Finite(1_000_000).min(hard));
        setrlimit(cpu, limits).unwrap();
        assert_eq!(getrlimit(cpu).unwrap(), limits);
    });
}

/// Python: test_pagesize. The page size is a positive power of two, the one `sysconf`
/// reports.
#[test]
fn test_pagesize() {
    let size = resource::getpagesize();
    assert!(size.is_power_of_two());
    // SAFETY: `sysconf` only reads a system parameter.
    let sysconf = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    assert_eq!(usize::try_from(sysconf).ok(), Some(size));
}

/// Python: test_contants. `RLIM_INFINITY` is a limit (infinity, never a finite amount);
/// `RLIM_SAVED_CUR` and `RLIM_SAVED_MAX` exist where C has them (FreeBSD, Solaris, AIX
/// always) and are C's values read as limits.
#[test]
#[allow(clippy::unnecessary_cast)]
fn test_contants() {
    assert_eq!(RLIM_INFINITY, Limit::Infinity);
    let as_limit = |raw: u64| {
        if raw == resource_sys::RLIM_INFINITY as u64 {
            Limit::Infinity
        } else {
            Limit::Finite(raw)
        }
    };
    #[cfg(any(target_os = "freebsd", target_os = "solaris", target_os = "aix"))]
    let _required = (resource::RLIM_SAVED_CUR, resource::RLIM_SAVED_MAX);
    #[cfg(resource_has = "RLIM_SAVED_CUR")]
    assert_eq!(
        resource::RLIM_SAVED_CUR,
        as_limit(resource_sys::RLIM_SAVED_CUR as u64)
    );
    #[cfg(resource_has = "RLIM_SAVED_MAX")]
    assert_eq!(
        resource::RLIM_SAVED_MAX,
        as_limit(resource_sys::RLIM_SAVED_MAX as u64)
    );
    assert_eq!(as_limit(u64::MAX - 1), Limit::Finite(u64::MAX - 1));
}

/// Python: test_linux_constants. On Linux the Linux resources exist, are distinct and
/// readable.
#[cfg(target_os = "linux")]
#[test]
fn test_linux_constants() {
    use resource::{RLIMIT_MSGQUEUE, RLIMIT_NICE, RLIMIT_RTPRIO, RLIMIT_RTTIME, RLIMIT_SIGPENDING};
    let linux = [
        RLIMIT_MSGQUEUE,
        RLIMIT_NICE,
        RLIMIT_RTPRIO,
        RLIMIT_RTTIME,
        RLIMIT_SIGPENDING,
    ];
    for (i, resource) in linux.iter().enumerate() {
        assert!(linux[i + 1..].iter().all(|other| other != resource));
        getrlimit(*resource).unwrap_or_else(|error| panic!("{resource}: {error}"));
    }
}

/// Python: test_freebsd_contants. The FreeBSD resources exist on FreeBSD and are readable
/// there; elsewhere each exists exactly where the target's header has it, which on Linux is
/// nowhere.
#[test]
fn test_freebsd_contants() {
    const FREEBSD: [&str; 6] = [
        "RLIMIT_SWAP",
        "RLIMIT_SBSIZE",
        "RLIMIT_NPTS",
        "RLIMIT_UMTXP",
        "RLIMIT_VMEM",
        "RLIMIT_PIPEBUF",
    ];
    let present: Vec<Resource> = Resource::all()
        .iter()
        .copied()
        .filter(|resource| FREEBSD.contains(&resource.name()))
        .collect();
    #[cfg(target_os = "linux")]
    assert!(present.is_empty(), "{present:?}");
    #[cfg(target_os = "freebsd")]
    assert_eq!(present.len(), FREEBSD.len(), "{present:?}");
    for resource in present {
        getrlimit(resource).unwrap_or_else(|error| panic!("{resource}: {error}"));
    }
}

/// Python: test_prlimit. Calling it without arguments (TypeError) does not compile, and
/// Python's pid -1 is not a `u32`; the nearest are a pid above `i32::MAX`, refused as
/// `InvalidInput`, and a process that has exited, `NotFound` (`ESRCH`, Python's
/// ProcessLookupError). Reading pid 0 equals `getrlimit`, and setting returns the limits
/// the process had (in a child).
#[cfg(resource_has = "prlimit")]
#[test]
fn test_prlimit() {
    use resource::{prlimit, RLIMIT_AS};

    assert_invalid_input(prlimit(u32::MAX, RLIMIT_AS, None), "pid u32::MAX");
    let mut exited = Command::new("true").spawn().unwrap();
    let pid = exited.id();
    exited.wait().unwrap();
    let error = prlimit(pid, RLIMIT_AS, None).expect_err("an exited process");
    assert_eq!(error.kind(), ErrorKind::NotFound, "{error}");
    assert_eq!(resource::raw_os_error(&error), Some(libc::ESRCH));

    let limits = getrlimit(RLIMIT_AS).unwrap();
    assert_eq!(prlimit(0, RLIMIT_AS, None).unwrap(), limits);
    in_child_process("test_prlimit", || {
        assert_eq!(prlimit(0, RLIMIT_AS, Some(limits)).unwrap(), limits);
        assert_eq!(getrlimit(RLIMIT_AS).unwrap(), limits);
    });
}

/// Python: test_prlimit_refcount. Python checks that limits built from fresh objects are
/// converted before they are freed; Rust has no reference counts, so the nearest check is
/// that new values one below the current ones are set exactly and the old ones returned.
#[cfg(resource_has = "prlimit")]
#[test]
fn test_prlimit_refcount() {
    use resource::{prlimit, RLIMIT_AS};

    /// One below `limit`, as Python's sequence computes it (infinity becomes 2**64 - 3).
    fn one_below(limit: Limit) -> Limit {
        match limit {
            Limit::Finite(amount) => Limit::Finite(amount.saturating_sub(1)),
            Limit::Infinity => Limit::Finite(u64::MAX - 2),
        }
    }

    in_child_process("test_prlimit_refcount", || {
        let old = getrlimit(RLIMIT_AS).unwrap();
        let new = Rlimit {
            soft: one_below(old.soft),
            hard: one_below(old.hard),
        };
        assert_eq!(prlimit(0, RLIMIT_AS, Some(new)).unwrap(), old);
        assert_eq!(getrlimit(RLIMIT_AS).unwrap(), new);
    });
}
