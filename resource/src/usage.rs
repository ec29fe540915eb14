//! Measuring resource usage: `getrusage`, and the page size.

use std::io;
use std::time::Duration;

use resource_sys as sys;

use crate::constants::Who;
use crate::error::{self, Call};

/// What a process, its children or a thread have used: C `struct rusage`, all sixteen
/// fields, with the times as [`Duration`]s.
///
/// The fields keep their C names. Which of them a system fills in varies: Linux leaves
/// `ru_ixrss`, `ru_idrss`, `ru_isrss`, `ru_nswap`, `ru_msgsnd`, `ru_msgrcv` and
/// `ru_nsignals` at zero. `ru_maxrss` is in kilobytes on Linux and the BSDs but in bytes on
/// macOS; [`Usage::maxrss_bytes`] is in bytes everywhere.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Usage {
    /// Time spent executing in user mode.
    pub ru_utime: Duration,
    /// Time spent executing in kernel mode.
    pub ru_stime: Duration,
    /// Peak resident set size, in the system's unit (see [`Usage::maxrss_bytes`]).
    pub ru_maxrss: i64,
    /// Integral shared memory size.
    pub ru_ixrss: i64,
    /// Integral unshared data size.
    pub ru_idrss: i64,
    /// Integral unshared stack size.
    pub ru_isrss: i64,
    /// Page faults serviced without I/O (minor faults).
    pub ru_minflt: i64,
    /// Page faults that needed I/O (major faults).
    pub ru_majflt: i64,
    /// Times the process was swapped out.
    pub ru_nswap: i64,
    /// Times the file system had to perform input.
    pub ru_inblock: i64,
    /// Times the file system had to perform output.
    pub ru_oublock: i64,
    /// IPC messages sent.
    pub ru_msgsnd: i64,
    /// IPC messages received.
    pub ru_msgrcv: i64,
    /// Signals received.
    pub ru_nsignals: i64,
    /// Voluntary context switches (the process gave up the CPU, usually to wait).
    pub ru_nvcsw: i64,
    /// Involuntary context switches (the scheduler took the CPU away).
    pub ru_nivcsw: i64,
}

impl Usage {
    /// The peak resident set size in bytes, whatever unit the system reports it in.
    ///
    /// Saturates instead of overflowing; a negative report reads as 0.
    pub fn maxrss_bytes(&self) -> u64 {
        let reported = u64::try_from(self.ru_maxrss).unwrap_or(0);
        reported.saturating_mul(MAXRSS_UNIT)
    }
}

/// Bytes per unit of `ru_maxrss`: Apple's kernels report bytes, the others kilobytes.
#[cfg(target_vendor = "apple")]
const MAXRSS_UNIT: u64 = 1;
/// Bytes per unit of `ru_maxrss`: Apple's kernels report bytes, the others kilobytes.
#[cfg(not(target_vendor = "apple"))]
const MAXRSS_UNIT: u64 = 1024;

/// Reads the resource usage of `who`: C `getrusage`.
///
/// [`RUSAGE_SELF`](crate::RUSAGE_SELF) is the calling process, [`RUSAGE_CHILDREN`](crate::RUSAGE_CHILDREN)
/// the children it has waited for, and `RUSAGE_THREAD` (Linux, FreeBSD, OpenBSD) the calling
/// thread.
///
/// Exists on every Unix. Man pages: [Linux](https://man7.org/linux/man-pages/man2/getrusage.2.html),
/// [FreeBSD](https://man.freebsd.org/cgi/man.cgi?query=getrusage&sektion=2),
/// [macOS](https://developer.apple.com/library/archive/documentation/System/Conceptual/ManPages_iPhoneOS/man2/getrusage.2.html).
///
/// # Errors
///
/// Only when the kernel refuses `who` (`EINVAL`, [`io::ErrorKind::InvalidInput`]), which the
/// constants of this crate never are on the system they were built for.
///
/// ```
/// let usage = resource::getrusage(resource::RUSAGE_SELF)?;
/// assert!(usage.maxrss_bytes() > 0);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn getrusage(who: Who) -> io::Result<Usage> {
    let mut raw = sys::rusage::default();
    // SAFETY: `raw` is a valid, writable `struct rusage` for the call to fill.
    let status = unsafe { sys::getrusage(who.raw() as _, &mut raw) };
    if status != 0 {
        return Err(error::last_os_error(Call::usage(who)));
    }
    Ok(usage_from_raw(&raw))
}

/// The size of a memory page in bytes: C `getpagesize`.
///
/// Exists on every Unix.
///
/// ```
/// assert!(resource::getpagesize().is_power_of_two());
/// ```
pub fn getpagesize() -> usize {
    // SAFETY: `getpagesize` takes no arguments and cannot fail.
    let size = unsafe { sys::getpagesize() };
    usize::try_from(size).expect("the page size is positive")
}

/// Reads one `long` field of `struct rusage`, which glibc wraps in an anonymous union.
#[cfg(resource_has = "rusage_anonymous_unions")]
macro_rules! long_field {
    ($raw:expr, $union:ident . $field:ident) => {
        // SAFETY: both members of the union are `long`-sized integers written by the kernel,
        // so reading either is defined.
        i64::from(unsafe { $raw.$union.$field })
    };
}

/// Reads one `long` field of `struct rusage`.
#[cfg(not(resource_has = "rusage_anonymous_unions"))]
macro_rules! long_field {
    ($raw:expr, $union:ident . $field:ident) => {
        i64::from($raw.$field)
    };
}

/// The safe form of a C `struct rusage`.
pub(crate) fn usage_from_raw(raw: &sys::rusage) -> Usage {
    Usage {
        ru_utime: duration_from_timeval(raw.ru_utime),
        ru_stime: duration_from_timeval(raw.ru_stime),
        ru_maxrss: long_field!(raw, __bindgen_anon_1.ru_maxrss),
        ru_ixrss: long_field!(raw, __bindgen_anon_2.ru_ixrss),
        ru_idrss: long_field!(raw, __bindgen_anon_3.ru_idrss),
        ru_isrss: long_field!(raw, __bindgen_anon_4.ru_isrss),
        ru_minflt: long_field!(raw, __bindgen_anon_5.ru_minflt),
        ru_majflt: long_field!(raw, __bindgen_anon_6.ru_majflt),
        ru_nswap: long_field!(raw, __bindgen_anon_7.ru_nswap),
        ru_inblock: long_field!(raw, __bindgen_anon_8.ru_inblock),
        ru_oublock: long_field!(raw, __bindgen_anon_9.ru_oublock),
        ru_msgsnd: long_field!(raw, __bindgen_anon_10.ru_msgsnd),
        ru_msgrcv: long_field!(raw, __bindgen_anon_11.ru_msgrcv),
        ru_nsignals: long_field!(raw, __bindgen_anon_12.ru_nsignals),
        ru_nvcsw: long_field!(raw, __bindgen_anon_13.ru_nvcsw),
        ru_nivcsw: long_field!(raw, __bindgen_anon_14.ru_nivcsw),
    }
}

/// A C `struct timeval` as a [`Duration`]; the kernel never reports negative times, and a
/// negative part would read as zero.
fn duration_from_timeval(tv: sys::timeval) -> Duration {
    let seconds = u64::try_from(tv.tv_sec).unwrap_or(0);
    let micros = u32::try_from(tv.tv_usec).unwrap_or(0);
    Duration::from_secs(seconds) + Duration::from_micros(u64::from(micros))
}
