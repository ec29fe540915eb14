//! The resources and `getrusage` selectors, one constant for each name the target's
//! `<sys/resource.h>` defines and none for the names it lacks.

use core::ffi::c_int;
use core::fmt;
use core::hash::{Hash, Hasher};

use resource_sys as sys;

use crate::limit::{self, Limit};

/// A resource whose consumption the system limits: one of the `RLIMIT_*` constants.
///
/// Two constants that C defines with the same value (such as `RLIMIT_OFILE` and
/// `RLIMIT_NOFILE` on Linux) compare equal; each keeps its own name for messages.
///
/// Exists on every Unix; which constants exist depends on the target.
#[derive(Clone, Copy)]
pub struct Resource {
    raw: c_int,
    name: &'static str,
}

impl Resource {
    /// The resource of C value `raw`, called `name`.
    const fn new(raw: c_int, name: &'static str) -> Self {
        Resource { raw, name }
    }

    /// The C name this constant was defined under, such as `"RLIMIT_NOFILE"`.
    pub const fn name(self) -> &'static str {
        self.name
    }

    /// Every `RLIMIT_*` constant the target defines, aliases included, sorted by name.
    pub fn all() -> &'static [Resource] {
        ALL_RESOURCES
    }

    /// One constant per distinct resource of the target, sorted by name.
    ///
    /// Where several names share a value, the POSIX name is kept (`RLIMIT_NOFILE` over
    /// `RLIMIT_OFILE`, `RLIMIT_AS` over `RLIMIT_VMEM`), else the first in alphabetical order.
    pub fn distinct() -> impl Iterator<Item = Resource> {
        ALL_RESOURCES
            .iter()
            .copied()
            .filter(|resource| resource.preferred_name_for_its_value())
    }

    /// Whether no other constant with the same value has a better claim to name it.
    fn preferred_name_for_its_value(self) -> bool {
        let rank = |resource: &Resource| (!resource.is_posix(), resource.name);
        ALL_RESOURCES
            .iter()
            .filter(|other| other.raw == self.raw)
            .min_by_key(|other| rank(other))
            .is_some_and(|best| best.name == self.name)
    }

    /// Whether POSIX defines this name.
    fn is_posix(self) -> bool {
        const POSIX: [&str; 7] = [
            "RLIMIT_AS",
            "RLIMIT_CORE",
            "RLIMIT_CPU",
            "RLIMIT_DATA",
            "RLIMIT_FSIZE",
            "RLIMIT_NOFILE",
            "RLIMIT_STACK",
        ];
        POSIX.contains(&self.name)
    }

    /// The C value, for passing to `resource-sys` or other C interfaces.
    ///
    /// ```
    /// assert_eq!(resource::RLIMIT_NOFILE.as_raw(), resource_sys::RLIMIT_NOFILE as i32);
    /// ```
    pub const fn as_raw(self) -> i32 {
        self.raw
    }

    /// The C value, for the calls of this crate.
    pub(crate) const fn raw(self) -> c_int {
        self.raw
    }
}

impl PartialEq for Resource {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}

impl Eq for Resource {}

impl Hash for Resource {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.raw.hash(state);
    }
}

impl fmt::Debug for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name)
    }
}

/// Whose usage [`getrusage`](crate::getrusage) reports: one of the `RUSAGE_*` constants.
///
/// Exists on every Unix; which constants exist depends on the target.
#[derive(Clone, Copy)]
pub struct Who {
    raw: c_int,
    name: &'static str,
}

impl Who {
    /// The selector of C value `raw`, called `name`.
    const fn new(raw: c_int, name: &'static str) -> Self {
        Who { raw, name }
    }

    /// The C name this constant was defined under, such as `"RUSAGE_SELF"`.
    pub const fn name(self) -> &'static str {
        self.name
    }

    /// Every `RUSAGE_*` constant the target defines, aliases included, sorted by name.
    pub fn all() -> &'static [Who] {
        ALL_SELECTORS
    }

    /// The C value, for passing to `resource-sys` or other C interfaces.
    ///
    /// ```
    /// assert_eq!(resource::RUSAGE_SELF.as_raw(), resource_sys::RUSAGE_SELF as i32);
    /// ```
    pub const fn as_raw(self) -> i32 {
        self.raw
    }

    /// The C value, for the calls of this crate.
    pub(crate) const fn raw(self) -> c_int {
        self.raw
    }
}

impl PartialEq for Who {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}

impl Eq for Who {}

impl Hash for Who {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.raw.hash(state);
    }
}

impl fmt::Debug for Who {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl fmt::Display for Who {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name)
    }
}

/// Defines each constant under its cfg, and the list of all resources.
macro_rules! resources {
    ($( $(#[$doc:meta])* $name:ident = $cfg:literal; )*) => {
        $(
            $(#[$doc])*
            #[cfg(resource_has = $cfg)]
            // The C type is `int` on most targets but not all.
            #[allow(clippy::unnecessary_cast)]
            pub const $name: Resource = Resource::new(sys::$name as c_int, $cfg);
        )*

        /// Every resource constant of the target, in the order above (sorted by name).
        const ALL_RESOURCES: &[Resource] = &[
            $( #[cfg(resource_has = $cfg)] $name, )*
        ];
    };
}

/// Defines each `getrusage` selector under its cfg.
macro_rules! selectors {
    ($( $(#[$doc:meta])* $name:ident = $cfg:literal; )*) => {
        $(
            $(#[$doc])*
            #[cfg(resource_has = $cfg)]
            #[allow(clippy::unnecessary_cast)]
            pub const $name: Who = Who::new(sys::$name as c_int, $cfg);
        )*

        /// Every selector constant of the target, in the order above (sorted by name).
        const ALL_SELECTORS: &[Who] = &[
            $( #[cfg(resource_has = $cfg)] $name, )*
        ];
    };
}

resources! {
    /// The most memory, in bytes, that the process may lock for asynchronous I/O.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it; none of the systems whose
    /// bindings are checked in defines it.
    RLIMIT_AIO_MEM = "RLIMIT_AIO_MEM";
    /// The most asynchronous I/O operations the process may have outstanding.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it; none of the systems whose
    /// bindings are checked in defines it.
    RLIMIT_AIO_OPS = "RLIMIT_AIO_OPS";
    /// The most virtual memory (address space) the process may map, in bytes.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, Linux, macOS, FreeBSD and NetBSD.
    RLIMIT_AS = "RLIMIT_AS";
    /// The largest core file the process may dump, in bytes; 0 disables core files.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, Linux, macOS, FreeBSD, NetBSD and OpenBSD.
    RLIMIT_CORE = "RLIMIT_CORE";
    /// The most CPU time the process may use, in seconds; past the soft limit it receives
    /// `SIGXCPU`.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, Linux, macOS, FreeBSD, NetBSD and OpenBSD.
    RLIMIT_CPU = "RLIMIT_CPU";
    /// The largest data segment (initialised and uninitialised data and heap), in bytes.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, Linux, macOS, FreeBSD, NetBSD and OpenBSD.
    RLIMIT_DATA = "RLIMIT_DATA";
    /// The share of free memory the process may take.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it; none of the systems whose
    /// bindings are checked in defines it.
    RLIMIT_FREEMEM = "RLIMIT_FREEMEM";
    /// The largest file the process may create or extend, in bytes; a write past it fails with
    /// `EFBIG` and raises `SIGXFSZ`.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, Linux, macOS, FreeBSD, NetBSD and OpenBSD.
    RLIMIT_FSIZE = "RLIMIT_FSIZE";
    /// The most kqueues the user may have open.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, FreeBSD.
    RLIMIT_KQUEUES = "RLIMIT_KQUEUES";
    /// The most file locks and leases the process may hold.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, Linux.
    RLIMIT_LOCKS = "RLIMIT_LOCKS";
    /// The most memory the process may lock into RAM, in bytes.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, Linux, macOS, FreeBSD, NetBSD and OpenBSD.
    RLIMIT_MEMLOCK = "RLIMIT_MEMLOCK";
    /// The most bytes the user may allocate for POSIX message queues.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, Linux.
    RLIMIT_MSGQUEUE = "RLIMIT_MSGQUEUE";
    /// The ceiling to which the nice value may be raised, as `20 - limit`.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, Linux.
    RLIMIT_NICE = "RLIMIT_NICE";
    /// One more than the largest file descriptor number the process may open.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, Linux, macOS, FreeBSD, NetBSD and OpenBSD.
    RLIMIT_NOFILE = "RLIMIT_NOFILE";
    /// The most processes (on Linux, threads) the user may have.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, Linux, macOS, FreeBSD, NetBSD and OpenBSD.
    RLIMIT_NPROC = "RLIMIT_NPROC";
    /// The most pseudo-terminals the user may have open.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, FreeBSD.
    RLIMIT_NPTS = "RLIMIT_NPTS";
    /// The most threads the user may have.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, NetBSD.
    RLIMIT_NTHR = "RLIMIT_NTHR";
    /// The historical BSD name of the open-file limit; the same resource as `RLIMIT_NOFILE`
    /// where both exist.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, Linux with glibc.
    RLIMIT_OFILE = "RLIMIT_OFILE";
    /// The most memory the user may use for pipe buffers, in bytes.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, FreeBSD.
    RLIMIT_PIPEBUF = "RLIMIT_PIPEBUF";
    /// The most POSIX advisory locks the user may hold.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it; none of the systems whose
    /// bindings are checked in defines it.
    RLIMIT_POSIXLOCKS = "RLIMIT_POSIXLOCKS";
    /// The largest resident set the process should have, in bytes (enforced by few systems;
    /// an alias of `RLIMIT_AS` on macOS).
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, Linux, macOS, FreeBSD, NetBSD and OpenBSD.
    RLIMIT_RSS = "RLIMIT_RSS";
    /// The ceiling on the real-time priority the process may set.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, Linux.
    RLIMIT_RTPRIO = "RLIMIT_RTPRIO";
    /// The most CPU time, in microseconds, a real-time process may consume without blocking.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, Linux.
    RLIMIT_RTTIME = "RLIMIT_RTTIME";
    /// The most socket buffer memory the user may use, in bytes.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, FreeBSD and NetBSD.
    RLIMIT_SBSIZE = "RLIMIT_SBSIZE";
    /// The most signals that may be queued for the user.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, Linux.
    RLIMIT_SIGPENDING = "RLIMIT_SIGPENDING";
    /// The largest stack of the main thread, in bytes.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, Linux, macOS, FreeBSD, NetBSD and OpenBSD.
    RLIMIT_STACK = "RLIMIT_STACK";
    /// The most swap space the user may reserve, in bytes.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, FreeBSD.
    RLIMIT_SWAP = "RLIMIT_SWAP";
    /// The most threads the process may have.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it; none of the systems whose
    /// bindings are checked in defines it.
    RLIMIT_THREADS = "RLIMIT_THREADS";
    /// The most process-shared locks the user may create.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, FreeBSD.
    RLIMIT_UMTXP = "RLIMIT_UMTXP";
    /// The most virtual memory the process may map, in bytes; an alias of `RLIMIT_AS` where
    /// both exist.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, FreeBSD and NetBSD.
    RLIMIT_VMEM = "RLIMIT_VMEM";
}

selectors! {
    /// The calling process and its waited-for children together.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it; none of the systems whose
    /// bindings are checked in defines it.
    RUSAGE_BOTH = "RUSAGE_BOTH";
    /// The terminated children the calling process has waited for, and their descendants.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, Linux, macOS, FreeBSD, NetBSD and OpenBSD.
    RUSAGE_CHILDREN = "RUSAGE_CHILDREN";
    /// The calling thread (light-weight process); an alias of `RUSAGE_THREAD` where both exist.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, Linux with glibc.
    RUSAGE_LWP = "RUSAGE_LWP";
    /// The calling process: the sum over all its threads.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, Linux, macOS, FreeBSD, NetBSD and OpenBSD.
    RUSAGE_SELF = "RUSAGE_SELF";
    /// The calling thread only.
    ///
    /// Defined where the target's `<sys/resource.h>` defines it: among the systems whose
    /// bindings are checked in, Linux, FreeBSD and OpenBSD.
    RUSAGE_THREAD = "RUSAGE_THREAD";
}

/// No limit: the value `getrlimit` reports for an unlimited resource.
///
/// Defined on every target; it is [`Limit::Infinity`], which no finite value equals.
pub const RLIM_INFINITY: Limit = Limit::Infinity;

/// The value that stands for "the soft limit cannot be represented" on targets that define
/// `RLIM_SAVED_CUR` (on glibc and musl it equals `RLIM_INFINITY`): among the systems whose
/// bindings are checked in, all of them.
#[cfg(resource_has = "RLIM_SAVED_CUR")]
#[allow(clippy::unnecessary_cast)]
pub const RLIM_SAVED_CUR: Limit = limit::from_raw(sys::RLIM_SAVED_CUR as sys::rlim_t);

/// The value that stands for "the hard limit cannot be represented" on targets that define
/// `RLIM_SAVED_MAX` (on glibc and musl it equals `RLIM_INFINITY`): among the systems whose
/// bindings are checked in, all of them.
#[cfg(resource_has = "RLIM_SAVED_MAX")]
#[allow(clippy::unnecessary_cast)]
pub const RLIM_SAVED_MAX: Limit = limit::from_raw(sys::RLIM_SAVED_MAX as sys::rlim_t);

/// The number of resources the kernel knows, where the target's header says (`RLIM_NLIMITS`):
/// among the systems whose bindings are checked in, all of them.
#[cfg(resource_has = "RLIM_NLIMITS")]
#[allow(clippy::unnecessary_cast)]
pub const RLIM_NLIMITS: usize = sys::RLIM_NLIMITS as usize;

/// The most files one process may have open, where the target's `<limits.h>` says
/// (`OPEN_MAX`): among the systems whose bindings are checked in, macOS (where it also caps
/// the soft `RLIMIT_NOFILE` limit), FreeBSD, NetBSD and OpenBSD.
#[cfg(resource_has = "OPEN_MAX")]
#[allow(clippy::unnecessary_cast)]
pub const OPEN_MAX: usize = sys::OPEN_MAX as usize;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_compare_equal_but_keep_their_names() {
        let all = Resource::all();
        for a in all {
            for b in all {
                let same_value = a.raw() == b.raw();
                assert_eq!(a == b, same_value, "{a} and {b}");
            }
        }
        assert!(all.windows(2).all(|pair| pair[0].name() < pair[1].name()));
    }

    #[test]
    fn distinct_resources_have_distinct_values() {
        let distinct: Vec<Resource> = Resource::distinct().collect();
        for (i, a) in distinct.iter().enumerate() {
            assert!(distinct[i + 1..].iter().all(|b| a != b), "{a} listed twice");
        }
        for resource in Resource::all() {
            assert!(distinct.contains(resource), "{resource} has no row");
        }
    }

    #[cfg(all(resource_has = "RLIMIT_OFILE", resource_has = "RLIMIT_NOFILE"))]
    #[test]
    fn the_posix_name_is_kept_for_the_open_file_limit() {
        let names: Vec<&str> = Resource::distinct().map(Resource::name).collect();
        assert!(names.contains(&"RLIMIT_NOFILE"));
        assert!(!names.contains(&"RLIMIT_OFILE"));
        assert_eq!(RLIMIT_OFILE, RLIMIT_NOFILE);
        assert_eq!(RLIMIT_OFILE.name(), "RLIMIT_OFILE");
    }
}
