//! Process resource limits and resource usage, as Python's `resource` module offers them,
//! with typed values and `std::io::Error` errors.
//!
//! ```
//! use resource::{getrlimit, getrusage, Limit, RLIMIT_NOFILE, RUSAGE_SELF};
//!
//! // The open-file limits of this process.
//! let limits = getrlimit(RLIMIT_NOFILE)?;
//! println!("soft {}, hard {}", limits.soft, limits.hard);
//! assert!(limits.soft <= limits.hard && limits.hard <= Limit::Infinity);
//!
//! // What this process has used so far.
//! let usage = getrusage(RUSAGE_SELF)?;
//! println!("user {:?}, peak {} bytes", usage.ru_utime, usage.maxrss_bytes());
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! # The same names as C and Python
//!
//! The functions and constants keep their C names: [`getrlimit`], [`setrlimit`],
//! [`prlimit`] (Linux and Android), [`getrusage`], [`getpagesize`], the `RLIMIT_*`
//! resources, the `RUSAGE_*` selectors and [`RLIM_INFINITY`]. Each constant exists only
//! where the target's `<sys/resource.h>` defines it, with C's value: code that names a
//! resource the target lacks, such as `RLIMIT_VMEM` on Linux or `RLIMIT_NICE` on macOS, does
//! not compile. Names C defines with one value (`RLIMIT_OFILE` and `RLIMIT_NOFILE` on Linux)
//! are constants that compare equal.
//!
//! # Beyond the C calls
//!
//! [`CommandExt::rlimit`] sets limits in a child between `fork` and `exec` without
//! allocating there; [`run_with_usage`] runs a command and returns its own usage (`wait4`)
//! and wall time, and [`Usage::since`] subtracts two readings; [`set_soft`], [`set_hard`] and
//! [`change_rlimit`] change one side of a limit and keep the other;
//! [`increase_nofile_limit`] raises the open-file limit as far as the system allows; on
//! Linux, [`read_limits`] reads another process's limits from `/proc` when `prlimit` is
//! refused.
//!
//! # Values
//!
//! A [`Limit`] is a finite amount or [`Limit::Infinity`]; no finite value doubles as
//! infinity, and a finite value the target cannot represent is refused. An [`Rlimit`] is the
//! soft and hard pair. Times are [`Duration`](std::time::Duration)s.
//!
//! # Errors
//!
//! Every function that can fail returns [`std::io::Error`]. Invalid requests (a soft limit above the hard
//! one, an unrepresentable value) fail with [`InvalidInput`](std::io::ErrorKind::InvalidInput)
//! before any system call; `EPERM` is [`PermissionDenied`](std::io::ErrorKind::PermissionDenied)
//! and `ESRCH` is [`NotFound`](std::io::ErrorKind::NotFound). Messages name the call, the
//! resource and the values; [`raw_os_error`] recovers the `errno`.

#![cfg(unix)]
#![warn(missing_docs)]

mod adjust;
mod command;
mod constants;
mod error;
mod limit;
#[cfg(all(
    resource_has = "prlimit",
    any(target_os = "linux", target_os = "android")
))]
mod proc_limits;
mod rlimit;
#[cfg(resource_wait4)]
mod run;
mod usage;

#[cfg(resource_has = "RLIMIT_NOFILE")]
pub use adjust::increase_nofile_limit;
#[cfg(resource_has = "prlimit")]
pub use adjust::prlimit_change;
pub use adjust::{change_rlimit, set_hard, set_soft};
pub use command::CommandExt;
pub use constants::*;
pub use error::raw_os_error;
pub use limit::{Limit, ParseLimitError, Rlimit, RlimitChange};
#[cfg(all(
    resource_has = "prlimit",
    any(target_os = "linux", target_os = "android")
))]
pub use proc_limits::{proc_limits, read_limits, Source};
#[cfg(resource_has = "prlimit")]
pub use rlimit::prlimit;
pub use rlimit::{getrlimit, setrlimit};
#[cfg(resource_wait4)]
pub use run::{run_with_usage, CommandUsage};
pub use usage::{getpagesize, getrusage, Usage};
