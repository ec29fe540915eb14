//! Changing one side of a limit while keeping the other, and raising the open-file limit
//! as far as the system allows.

use std::io;

use crate::constants::Resource;
use crate::limit::{Limit, Rlimit, RlimitChange};
use crate::rlimit::{getrlimit, setrlimit};

/// Applies `change` to the limits of `resource` of the calling process: reads the current
/// limits, keeps each side the change leaves as `None`, and sets the result with
/// [`setrlimit`]. Returns the limits now in force.
///
/// `None` means "unchanged" and [`Limit::Infinity`] means infinity: the two cannot be
/// confused, so changing only the soft limit never asks to raise the hard one.
///
/// Exists on every Unix.
///
/// # Errors
///
/// Those of [`getrlimit`] and [`setrlimit`]: [`io::ErrorKind::InvalidInput`] when the
/// result has its soft limit above its hard limit (the message names both values), and
/// [`io::ErrorKind::PermissionDenied`] when it raises the hard limit without privilege.
///
/// ```
/// use resource::{change_rlimit, getrlimit, Limit, RlimitChange, RLIMIT_CORE};
///
/// let hard = getrlimit(RLIMIT_CORE)?.hard;
/// let now = change_rlimit(RLIMIT_CORE, RlimitChange { soft: Some(Limit::Finite(0)), hard: None })?;
/// assert_eq!((now.soft, now.hard), (Limit::Finite(0), hard));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn change_rlimit(resource: Resource, change: RlimitChange) -> io::Result<Rlimit> {
    let limits = change.apply(getrlimit(resource)?);
    setrlimit(resource, limits)?;
    Ok(limits)
}

/// Sets only the soft limit of `resource`, keeping the hard limit: [`change_rlimit`] with
/// the hard side unchanged. Returns the limits now in force.
///
/// Exists on every Unix.
///
/// # Errors
///
/// As [`change_rlimit`]; a soft limit above the hard limit is
/// [`io::ErrorKind::InvalidInput`].
///
/// ```
/// let now = resource::set_soft(resource::RLIMIT_CORE, resource::Limit::Finite(0))?;
/// assert_eq!(now.soft, resource::Limit::Finite(0));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn set_soft(resource: Resource, soft: Limit) -> io::Result<Rlimit> {
    change_rlimit(
        resource,
        RlimitChange {
            soft: Some(soft),
            hard: None,
        },
    )
}

/// Sets only the hard limit of `resource`, keeping the soft limit: [`change_rlimit`] with
/// the soft side unchanged. Returns the limits now in force.
///
/// Lowering a hard limit cannot be undone without privilege.
///
/// Exists on every Unix.
///
/// # Errors
///
/// As [`change_rlimit`]: a hard limit below the soft limit is
/// [`io::ErrorKind::InvalidInput`] (lower the soft limit first, or use [`change_rlimit`]
/// for both), and a raise without privilege is [`io::ErrorKind::PermissionDenied`].
pub fn set_hard(resource: Resource, hard: Limit) -> io::Result<Rlimit> {
    change_rlimit(
        resource,
        RlimitChange {
            soft: None,
            hard: Some(hard),
        },
    )
}

/// Applies `change` to the limits of `resource` of process `pid` (0 for the calling
/// process): reads them with [`prlimit`](crate::prlimit), keeps each side the change leaves
/// as `None`, and sets the result with `prlimit`. Returns the limits now in force.
///
/// The read and the write are two calls: if something else changes the process's limits
/// between them, the side meant to stay unchanged is set to what was read.
///
/// Exists on Linux and Android, where [`prlimit`](crate::prlimit) does.
///
/// # Errors
///
/// Those of [`prlimit`](crate::prlimit): [`io::ErrorKind::NotFound`] for a process that
/// does not exist, [`io::ErrorKind::PermissionDenied`] for another user's process or a hard
/// limit raised without privilege, [`io::ErrorKind::InvalidInput`] when the result has its
/// soft limit above its hard limit.
#[cfg(resource_has = "prlimit")]
pub fn prlimit_change(pid: u32, resource: Resource, change: RlimitChange) -> io::Result<Rlimit> {
    let limits = change.apply(crate::prlimit(pid, resource, None)?);
    crate::prlimit(pid, resource, Some(limits))?;
    Ok(limits)
}

/// Raises the soft limit on open files (`RLIMIT_NOFILE`) towards `wanted`, as far as the
/// system allows, and returns the soft limit now in force; never lowers it.
///
/// The ceiling is the hard limit, and further:
/// - on Linux and Android, `fs.nr_open` (`/proc/sys/fs/nr_open`), above which the kernel
///   refuses any limit;
/// - on macOS and iOS, `OPEN_MAX` and `kern.maxfilesperproc`: the soft limit cannot be
///   infinity there, and the man page asks for `min(OPEN_MAX, rlim_max)`. Only this
///   function clamps; [`setrlimit`] passes infinity to the kernel and returns its error.
///
/// Exists on every Unix.
///
/// # Errors
///
/// Those of [`getrlimit`] and [`setrlimit`]; none is expected, since the value set is
/// never above the hard limit. On macOS, the error of `sysctlbyname` if
/// `kern.maxfilesperproc` cannot be read.
///
/// ```
/// use resource::{increase_nofile_limit, Limit};
///
/// let got = increase_nofile_limit(Limit::Infinity)?;
/// assert!(got <= resource::getrlimit(resource::RLIMIT_NOFILE)?.hard);
/// # Ok::<(), std::io::Error>(())
/// ```
#[cfg(resource_has = "RLIMIT_NOFILE")]
pub fn increase_nofile_limit(wanted: Limit) -> io::Result<Limit> {
    let resource = crate::RLIMIT_NOFILE;
    let current = getrlimit(resource)?;

    // Aim for `wanted`, no higher than the system lets the soft limit go.
    let target = wanted.min(current.hard).min(nofile_ceiling()?);
    if target <= current.soft {
        return Ok(current.soft);
    }

    // Raise the soft limit only.
    setrlimit(
        resource,
        Rlimit {
            soft: target,
            ..current
        },
    )?;
    Ok(target)
}

/// The most open files the system lets a soft limit allow, whatever the hard limit:
/// `fs.nr_open`, or infinity if it cannot be read.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn nofile_ceiling() -> io::Result<Limit> {
    Ok(nr_open().map_or(Limit::Infinity, Limit::Finite))
}

/// `fs.nr_open`, the most open files the Linux kernel lets any limit allow, where
/// `/proc/sys/fs/nr_open` can be read.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(crate) fn nr_open() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/sys/fs/nr_open").ok()?;
    text.trim().parse().ok()
}

/// The most open files the system lets a soft limit allow, whatever the hard limit:
/// `min(OPEN_MAX, kern.maxfilesperproc)`.
#[cfg(target_vendor = "apple")]
fn nofile_ceiling() -> io::Result<Limit> {
    let mut per_process: libc::c_int = 0;
    let mut size = core::mem::size_of::<libc::c_int>();
    // SAFETY: the name is a NUL-terminated string; `per_process` is a writable int whose
    // size is in `size`, and no new value is passed.
    let status = unsafe {
        libc::sysctlbyname(
            c"kern.maxfilesperproc".as_ptr(),
            (&mut per_process as *mut libc::c_int).cast(),
            &mut size,
            core::ptr::null_mut(),
            0,
        )
    };
    if status != 0 {
        let os = io::Error::last_os_error();
        return Err(io::Error::new(
            os.kind(),
            format!("sysctlbyname(kern.maxfilesperproc): {os}"),
        ));
    }
    let per_process = u64::try_from(per_process).unwrap_or(0);
    let open_max = u64::try_from(crate::OPEN_MAX).unwrap_or(u64::MAX);
    Ok(Limit::Finite(open_max.min(per_process)))
}

/// The most open files the system lets a soft limit allow, whatever the hard limit: no
/// ceiling but the hard limit on this system.
#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn nofile_ceiling() -> io::Result<Limit> {
    Ok(Limit::Infinity)
}
