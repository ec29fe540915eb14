//! Tests of `getrusage` and `getpagesize` against what the process really did.

use std::hint::black_box;
use std::time::Duration;

use resource::{getpagesize, getrusage, RUSAGE_CHILDREN, RUSAGE_SELF};

const MIB: u64 = 1024 * 1024;

/// Peak memory is reported in bytes whatever unit the system uses for `ru_maxrss`.
#[test]
fn peak_memory_in_bytes_after_touching_64_mib() {
    // Touch every page of 64 MiB so that it becomes resident.
    let mut block = vec![0u8; (64 * MIB) as usize];
    for page in block.chunks_mut(getpagesize()) {
        page[0] = 1;
    }
    black_box(&block);

    let peak = getrusage(RUSAGE_SELF).unwrap().maxrss_bytes();
    assert!(
        peak >= 64 * MIB,
        "peak {peak} bytes is below the 64 MiB touched"
    );
    assert!(peak < 1024 * MIB, "peak {peak} bytes: the unit is wrong");
}

/// User time grows while the process computes.
#[test]
fn user_time_advances_with_work() {
    let before = getrusage(RUSAGE_SELF).unwrap();
    let mut x = 0u64;
    while getrusage(RUSAGE_SELF).unwrap().ru_utime < before.ru_utime + Duration::from_millis(50) {
        for i in 0..100_000u64 {
            x = black_box(x.wrapping_mul(31).wrapping_add(i));
        }
    }
    let after = getrusage(RUSAGE_SELF).unwrap();
    assert!(after.ru_utime >= before.ru_utime + Duration::from_millis(50));
    assert!(after.ru_minflt >= before.ru_minflt);
    assert!(after.ru_utime.subsec_micros() < 1_000_000);
}

/// The usage of waited-for children includes a child that spent CPU time.
#[test]
fn children_usage_counts_a_waited_child() {
    let status = std::process::Command::new("sh")
        .args(["-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done"])
        .status()
        .unwrap();
    assert!(status.success());
    let children = getrusage(RUSAGE_CHILDREN).unwrap();
    assert!(
        children.ru_utime + children.ru_stime > Duration::ZERO,
        "{children:?}"
    );
    assert!(children.ru_maxrss > 0, "{children:?}");
}

/// The calling thread's usage is part of the whole process's.
///
/// Only the sums of user and system time compare: Linux splits each total between the two
/// in proportion to sampled ticks, separately for the thread and for the process.
#[cfg(resource_has = "RUSAGE_THREAD")]
#[test]
fn thread_usage_is_within_process_usage() {
    let thread = getrusage(resource::RUSAGE_THREAD).unwrap();
    let process = getrusage(RUSAGE_SELF).unwrap();
    assert!(thread.ru_utime + thread.ru_stime <= process.ru_utime + process.ru_stime);
    assert!(thread.ru_minflt <= process.ru_minflt);
}

/// The page size is the one the C library reports through `sysconf`.
#[test]
fn page_size_matches_sysconf() {
    // SAFETY: sysconf with a valid name has no preconditions.
    let from_sysconf = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    assert_eq!(i64::try_from(getpagesize()).unwrap(), from_sysconf);
    assert!(getpagesize().is_power_of_two());
}
