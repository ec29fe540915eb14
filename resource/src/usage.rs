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
///
/// Exists on every Unix.
///
/// With the `serde` feature, `Usage` is `Serialize`, field by field under the C names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
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

    /// What was used between `earlier` and this reading of the same process, children or
    /// thread: each time and count minus its earlier value.
    ///
    /// `ru_maxrss` is a high-water mark, not a count, so the result keeps this reading's
    /// peak. A field that went backwards (the readings swapped, or taken of different
    /// processes) saturates at zero; [`Usage::checked_since`] reports it instead.
    ///
    /// ```
    /// use resource::{getrusage, RUSAGE_SELF};
    ///
    /// let before = getrusage(RUSAGE_SELF)?;
    /// let total: u64 = (0..1_000_000u64).sum();
    /// let used = getrusage(RUSAGE_SELF)?.since(&before);
    /// println!("{total} took {:?} of user time", used.ru_utime);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn since(&self, earlier: &Usage) -> Usage {
        self.difference(earlier, Backwards::Saturate)
            .expect("a saturating difference always exists")
    }

    /// The same as [`Usage::since`], or `None` when a time or count of `earlier` is larger
    /// than this reading's, which a later reading of the same process never has.
    pub fn checked_since(&self, earlier: &Usage) -> Option<Usage> {
        self.difference(earlier, Backwards::Refuse)
    }

    /// Each time and count minus its `earlier` value, treating one that went backwards as
    /// `backwards` says; the peak stays this reading's.
    fn difference(&self, earlier: &Usage, backwards: Backwards) -> Option<Usage> {
        let count = |now: i64, then: i64| match now.checked_sub(then) {
            Some(used) if used >= 0 => Some(used),
            Some(_) => backwards.zero(),
            None if now > then => Some(i64::MAX),
            None => backwards.zero(),
        };
        let time = |now: Duration, then: Duration| match now.checked_sub(then) {
            Some(used) => Some(used),
            None => backwards.zero().map(|_| Duration::ZERO),
        };
        Some(Usage {
            ru_utime: time(self.ru_utime, earlier.ru_utime)?,
            ru_stime: time(self.ru_stime, earlier.ru_stime)?,
            ru_maxrss: self.ru_maxrss,
            ru_ixrss: count(self.ru_ixrss, earlier.ru_ixrss)?,
            ru_idrss: count(self.ru_idrss, earlier.ru_idrss)?,
            ru_isrss: count(self.ru_isrss, earlier.ru_isrss)?,
            ru_minflt: count(self.ru_minflt, earlier.ru_minflt)?,
            ru_majflt: count(self.ru_majflt, earlier.ru_majflt)?,
            ru_nswap: count(self.ru_nswap, earlier.ru_nswap)?,
            ru_inblock: count(self.ru_inblock, earlier.ru_inblock)?,
            ru_oublock: count(self.ru_oublock, earlier.ru_oublock)?,
            ru_msgsnd: count(self.ru_msgsnd, earlier.ru_msgsnd)?,
            ru_msgrcv: count(self.ru_msgrcv, earlier.ru_msgrcv)?,
            ru_nsignals: count(self.ru_nsignals, earlier.ru_nsignals)?,
            ru_nvcsw: count(self.ru_nvcsw, earlier.ru_nvcsw)?,
            ru_nivcsw: count(self.ru_nivcsw, earlier.ru_nivcsw)?,
        })
    }
}

/// What [`Usage::difference`] does with a time or count that went backwards.
#[derive(Clone, Copy)]
enum Backwards {
    /// Counts it as zero used.
    Saturate,
    /// Gives up: no difference.
    Refuse,
}

impl Backwards {
    /// The zero a value that went backwards counts as, if it counts at all.
    fn zero(self) -> Option<i64> {
        match self {
            Backwards::Saturate => Some(0),
            Backwards::Refuse => None,
        }
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
#[inline]
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A reading with `seconds` of user time and `faults` minor faults, at peak `maxrss`.
    fn reading(seconds: u64, faults: i64, maxrss: i64) -> Usage {
        Usage {
            ru_utime: Duration::from_secs(seconds),
            ru_minflt: faults,
            ru_maxrss: maxrss,
            ..Usage::default()
        }
    }

    #[test]
    fn the_difference_subtracts_counts_and_keeps_the_later_peak() {
        let used = reading(5, 120, 900).since(&reading(2, 100, 700));
        assert_eq!(used, reading(3, 20, 900));
        assert_eq!(
            reading(5, 120, 900).checked_since(&reading(2, 100, 700)),
            Some(used)
        );
    }

    #[test]
    fn readings_in_the_wrong_order_saturate_or_are_refused() {
        let (earlier, later) = (reading(2, 100, 700), reading(5, 120, 900));
        assert_eq!(earlier.since(&later), reading(0, 0, 700));
        assert_eq!(earlier.checked_since(&later), None);
        // A count that overflows i64 when subtracted still saturates.
        assert_eq!(
            reading(0, i64::MAX, 0).since(&reading(0, -1, 0)).ru_minflt,
            i64::MAX
        );
    }

    #[test]
    fn a_real_difference_of_this_process_is_never_refused() {
        let before = getrusage(crate::RUSAGE_SELF).unwrap();
        let touched = vec![1u8; 8 << 20];
        std::hint::black_box(&touched);
        let after = getrusage(crate::RUSAGE_SELF).unwrap();
        let used = after.checked_since(&before).expect("counts only grow");
        assert!(used.ru_minflt > 0, "{used:?}");
    }

    #[cfg(feature = "serde")]
    #[test]
    fn usage_serializes_field_by_field_under_the_c_names() {
        let json = serde_json::to_value(reading(3, 20, 900)).unwrap();
        assert_eq!(json["ru_minflt"], 20);
        assert_eq!(json["ru_maxrss"], 900);
        assert_eq!(json["ru_utime"]["secs"], 3);
        assert_eq!(json.as_object().unwrap().len(), 16);
    }
}
