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
//! # Values
//!
//! A [`Limit`] is a finite amount or [`Limit::Infinity`]; no finite value doubles as
//! infinity, and a finite value the target cannot represent is refused. An [`Rlimit`] is the
//! soft and hard pair. Times are [`Duration`](std::time::Duration)s.
//!
//! # Errors
//!
//! Every function returns [`std::io::Error`]. Invalid requests (a soft limit above the hard
//! one, an unrepresentable value) fail with [`InvalidInput`](std::io::ErrorKind::InvalidInput)
//! before any system call; `EPERM` is [`PermissionDenied`](std::io::ErrorKind::PermissionDenied)
//! and `ESRCH` is [`NotFound`](std::io::ErrorKind::NotFound). Messages name the call, the
//! resource and the values; [`raw_os_error`] recovers the `errno`.

#![cfg(unix)]
#![warn(missing_docs)]

mod constants;
mod error;
mod limit;
mod rlimit;
mod usage;

pub use constants::*;
pub use error::raw_os_error;
pub use limit::{Limit, ParseLimitError, Rlimit, RlimitChange};
#[cfg(resource_has = "prlimit")]
pub use rlimit::prlimit;
pub use rlimit::{getrlimit, setrlimit};
pub use usage::{getpagesize, getrusage, Usage};
