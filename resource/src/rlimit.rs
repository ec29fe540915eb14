//! Reading and setting limits: `getrlimit`, `setrlimit` and `prlimit`.

use std::io;

use resource_sys as sys;

use crate::constants::Resource;
use crate::error::{self, Call};
use crate::limit::{self, Rlimit};

/// Reads the soft and hard limits of `resource` for the calling process: C `getrlimit`.
///
/// Exists on every Unix. Man pages: [Linux](https://man7.org/linux/man-pages/man2/getrlimit.2.html),
/// [FreeBSD](https://man.freebsd.org/cgi/man.cgi?query=getrlimit&sektion=2),
/// [macOS](https://developer.apple.com/library/archive/documentation/System/Conceptual/ManPages_iPhoneOS/man2/getrlimit.2.html).
///
/// # Errors
///
/// Only for a resource the kernel does not know (`EINVAL`, [`io::ErrorKind::InvalidInput`]),
/// which the constants of this crate never are on the system they were built for.
///
/// ```
/// let limits = resource::getrlimit(resource::RLIMIT_NOFILE)?;
/// assert!(limits.soft <= limits.hard);
/// # Ok::<(), std::io::Error>(())
/// ```
#[inline]
pub fn getrlimit(resource: Resource) -> io::Result<Rlimit> {
    let mut raw = sys::rlimit::default();
    // SAFETY: `raw` is a valid, writable `struct rlimit` for the call to fill.
    let status = unsafe { sys::getrlimit(resource.raw() as _, &mut raw) };
    if status != 0 {
        return Err(error::last_os_error(Call::on("getrlimit", resource)));
    }
    Ok(rlimit_from_raw(raw))
}

/// Sets the soft and hard limits of `resource` for the calling process: C `setrlimit`.
///
/// An unprivileged process may lower either limit and raise the soft limit up to the hard
/// one; lowering the hard limit cannot be undone without privilege.
///
/// Exists on every Unix. Man pages: [Linux](https://man7.org/linux/man-pages/man2/setrlimit.2.html),
/// [FreeBSD](https://man.freebsd.org/cgi/man.cgi?query=setrlimit&sektion=2),
/// [macOS](https://developer.apple.com/library/archive/documentation/System/Conceptual/ManPages_iPhoneOS/man2/setrlimit.2.html).
///
/// # Errors
///
/// - [`io::ErrorKind::InvalidInput`] before any system call when the soft limit is above the
///   hard limit, or when a finite value cannot be represented on this target (see
///   [`Limit`](crate::Limit)); and from the kernel for values it refuses (`EINVAL`).
/// - [`io::ErrorKind::PermissionDenied`] (`EPERM`) when raising the hard limit without
///   privilege, or on Linux when `RLIMIT_NOFILE` would exceed `fs.nr_open` (the message says
///   which).
///
/// The limits are unchanged after an error.
///
/// ```
/// use resource::{getrlimit, setrlimit, RLIMIT_CORE};
///
/// // Lowering the soft limit is always allowed.
/// let before = getrlimit(RLIMIT_CORE)?;
/// setrlimit(RLIMIT_CORE, resource::Rlimit { soft: resource::Limit::Finite(0), ..before })?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[inline]
pub fn setrlimit(resource: Resource, limits: Rlimit) -> io::Result<()> {
    let call = Call::on("setrlimit", resource).setting(Some(limits));
    let raw = rlimit_to_raw(call, limits)?;
    // SAFETY: `raw` is a valid `struct rlimit` that the call only reads.
    let status = unsafe { sys::setrlimit(resource.raw() as _, &raw) };
    if status != 0 {
        return Err(error::last_os_error(call));
    }
    Ok(())
}

/// Reads, and with `new` also sets, the limits of `resource` for process `pid`, returning
/// the limits it had before: C `prlimit`.
///
/// `pid` 0 is the calling process. Reading needs no more than being allowed to see the
/// process; setting another process's limits needs the same user ids or privilege.
///
/// Exists on Linux and Android (glibc, musl and bionic), where the target's header declares
/// `prlimit`. Man page: [Linux](https://man7.org/linux/man-pages/man2/prlimit.2.html).
///
/// # Errors
///
/// - [`io::ErrorKind::InvalidInput`] before any system call for the cases of [`setrlimit`]
///   and for a `pid` above `i32::MAX`.
/// - [`io::ErrorKind::NotFound`] (`ESRCH`) when no process has that id.
/// - [`io::ErrorKind::PermissionDenied`] (`EPERM`) for another user's process or for raising
///   a hard limit without privilege.
///
/// ```
/// # #[cfg(resource_has = "prlimit")] {
/// use resource::{getrlimit, prlimit, RLIMIT_AS};
///
/// // Reading the calling process's limits without changing them.
/// assert_eq!(prlimit(0, RLIMIT_AS, None)?, getrlimit(RLIMIT_AS)?);
/// # }
/// # Ok::<(), std::io::Error>(())
/// ```
#[cfg(resource_has = "prlimit")]
#[inline]
pub fn prlimit(pid: u32, resource: Resource, new: Option<Rlimit>) -> io::Result<Rlimit> {
    let call = Call::on("prlimit", resource).pid(pid).setting(new);
    let Ok(raw_pid) = i32::try_from(pid) else {
        return Err(error::invalid_input(
            call,
            format_args!("{pid} is not a process id"),
        ));
    };
    let raw_new = new.map(|limits| rlimit_to_raw(call, limits)).transpose()?;
    let new_ptr = raw_new
        .as_ref()
        .map_or(core::ptr::null(), |raw| raw as *const sys::rlimit);
    let mut old = sys::rlimit::default();
    // SAFETY: `new_ptr` is null or points to a valid `struct rlimit` living until the call
    // returns; `old` is a valid, writable `struct rlimit`.
    let status = unsafe { sys::prlimit(raw_pid as _, resource.raw() as _, new_ptr, &mut old) };
    if status != 0 {
        return Err(error::last_os_error(call));
    }
    Ok(rlimit_from_raw(old))
}

/// The safe pair for a C `struct rlimit`.
fn rlimit_from_raw(raw: sys::rlimit) -> Rlimit {
    Rlimit {
        soft: limit::from_raw(raw.rlim_cur),
        hard: limit::from_raw(raw.rlim_max),
    }
}

/// The C `struct rlimit` for `limits`, or the reason `call` cannot pass them to C.
#[inline]
pub(crate) fn rlimit_to_raw(call: Call, limits: Rlimit) -> io::Result<sys::rlimit> {
    if limits.soft > limits.hard {
        return Err(error::invalid_input(
            call,
            format_args!(
                "the soft limit ({}) is above the hard limit ({})",
                limits.soft, limits.hard
            ),
        ));
    }
    let representable = |value| {
        limit::to_raw(value).ok_or_else(|| {
            error::invalid_input(
                call,
                format_args!(
                    "{value} cannot be represented as a finite limit on this target \
                     (use Limit::Infinity for no limit)"
                ),
            )
        })
    };
    Ok(sys::rlimit {
        rlim_cur: representable(limits.soft)?,
        rlim_max: representable(limits.hard)?,
    })
}
