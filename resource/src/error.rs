//! Errors: every failure is a `std::io::Error` whose message names the call, the resource
//! and the values involved, and which keeps the C `errno` where there was one.

use std::error::Error;
use std::fmt;
use std::io;

use crate::constants::{Resource, Who};
use crate::limit::Rlimit;

/// What was asked for, written as the C call it became: `setrlimit(RLIMIT_NOFILE, soft 1024,
/// hard 4096)`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Call {
    pub(crate) function: &'static str,
    pub(crate) pid: Option<u32>,
    pub(crate) resource: Option<Resource>,
    pub(crate) who: Option<Who>,
    pub(crate) new: Option<Rlimit>,
}

impl Call {
    /// A call about `resource`, with no pid and no new limits yet.
    pub(crate) fn on(function: &'static str, resource: Resource) -> Self {
        Call {
            function,
            pid: None,
            resource: Some(resource),
            who: None,
            new: None,
        }
    }

    /// The same call, about process `pid`.
    pub(crate) fn pid(self, pid: u32) -> Self {
        Call {
            pid: Some(pid),
            ..self
        }
    }

    /// The same call, setting `new`.
    pub(crate) fn setting(self, new: Option<Rlimit>) -> Self {
        Call { new, ..self }
    }

    /// A `getrusage` call for `who`.
    pub(crate) fn usage(who: Who) -> Self {
        Call {
            function: "getrusage",
            pid: None,
            resource: None,
            who: Some(who),
            new: None,
        }
    }
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", self.function)?;
        let mut separator = "";
        if let Some(pid) = self.pid {
            write!(f, "pid {pid}")?;
            separator = ", ";
        }
        if let Some(resource) = self.resource {
            write!(f, "{separator}{resource}")?;
        }
        if let Some(who) = self.who {
            write!(f, "{who}")?;
        }
        if let Some(new) = self.new {
            write!(f, ", soft {}, hard {}", new.soft, new.hard)?;
        }
        f.write_str(")")
    }
}

/// The payload of every error this crate returns.
#[derive(Debug)]
struct Failure {
    message: String,
    os: Option<io::Error>,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for Failure {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.os.as_ref().map(|os| os as &(dyn Error + 'static))
    }
}

/// A refusal before any system call: `call` asked for something C cannot express.
#[cold]
#[inline(never)]
pub(crate) fn invalid_input(call: Call, why: fmt::Arguments<'_>) -> io::Error {
    let failure = Failure {
        message: format!("{call}: {why}"),
        os: None,
    };
    io::Error::new(io::ErrorKind::InvalidInput, failure)
}

/// The failure of `call` with `errno`, with a hint where the bare `errno` misleads.
pub(crate) fn from_errno(call: Call, errno: i32) -> io::Error {
    let os = io::Error::from_raw_os_error(errno);
    let kind = match errno {
        // std leaves ESRCH uncategorised; a missing process is "not found".
        libc::ESRCH => io::ErrorKind::NotFound,
        _ => os.kind(),
    };
    let hint = match errno {
        libc::EPERM => permission_hint(&call),
        _ => String::new(),
    };
    let failure = Failure {
        message: format!("{call}: {os}{hint}"),
        os: Some(os),
    };
    io::Error::new(kind, failure)
}

/// The failure of `call` with the `errno` the last C call left.
#[cold]
#[inline(never)]
pub(crate) fn last_os_error(call: Call) -> io::Error {
    let errno = io::Error::last_os_error().raw_os_error().unwrap_or(0);
    from_errno(call, errno)
}

/// The `errno` behind an error of this crate (or any `io::Error` made from one).
///
/// The errors this crate returns carry a message, so [`io::Error::raw_os_error`] does not
/// see their `errno`; this function does.
///
/// Exists on every Unix.
///
/// ```
/// # #[cfg(resource_has = "prlimit")] {
/// // A process that has exited: ESRCH.
/// let mut child = std::process::Command::new("true").spawn().unwrap();
/// let pid = child.id();
/// child.wait().unwrap();
/// let error = resource::prlimit(pid, resource::RLIMIT_CORE, None).unwrap_err();
/// assert_eq!(resource::raw_os_error(&error), Some(libc::ESRCH));
/// # }
/// ```
pub fn raw_os_error(error: &io::Error) -> Option<i32> {
    error.raw_os_error().or_else(|| {
        let failure = error.get_ref()?.downcast_ref::<Failure>()?;
        failure.os.as_ref()?.raw_os_error()
    })
}

/// Why `EPERM` came back, where the system lets us tell.
fn permission_hint(call: &Call) -> String {
    if let Some(limit) = open_file_ceiling_exceeded(call) {
        return format!("; the value exceeds fs.nr_open ({limit}), the most any process may have");
    }
    match (call.new, call.pid) {
        (Some(_), Some(pid)) if pid != 0 && pid != std::process::id() => {
            "; changing another user's process or raising a hard limit needs privilege \
             (CAP_SYS_RESOURCE on Linux)"
                .to_string()
        }
        (Some(_), _) => {
            "; raising a hard limit needs privilege (CAP_SYS_RESOURCE on Linux)".to_string()
        }
        (None, _) => String::new(),
    }
}

/// `fs.nr_open`, when `call` asked for more open files than it allows.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn open_file_ceiling_exceeded(call: &Call) -> Option<u64> {
    #[cfg(resource_has = "RLIMIT_NOFILE")]
    {
        if call.resource? != crate::RLIMIT_NOFILE {
            return None;
        }
        let new = call.new?;
        let nr_open = crate::adjust::nr_open()?;
        let ceiling = crate::Limit::Finite(nr_open);
        (new.soft > ceiling || new.hard > ceiling).then_some(nr_open)
    }
    #[cfg(not(resource_has = "RLIMIT_NOFILE"))]
    {
        let _ = call;
        None
    }
}

/// No system but Linux has a separate ceiling on open files that `EPERM` could mean.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn open_file_ceiling_exceeded(_call: &Call) -> Option<u64> {
    None
}
