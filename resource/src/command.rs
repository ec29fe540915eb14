//! Limits for a child process, set between `fork` and `exec` without allocating.

use std::cell::Cell;
use std::collections::HashMap;
use std::io;
use std::os::unix::process::CommandExt as _;
use std::process::{Child, Command};
use std::sync::{Mutex, MutexGuard, PoisonError};

use resource_sys as sys;

use crate::constants::Resource;
use crate::error::{self, Call};
use crate::limit::Rlimit;
use crate::rlimit::rlimit_to_raw;

/// Resource limits for the child of a [`std::process::Command`], set before it runs the
/// program.
///
/// ```
/// use std::process::Command;
/// use resource::{CommandExt, Limit, Rlimit, RLIMIT_CORE};
///
/// // The child writes no core file, whatever this process's limits are.
/// let status = Command::new("true")
///     .rlimit(RLIMIT_CORE, Rlimit::new(0, 0))
///     .spawn_with_limits()?
///     .wait()?;
/// assert!(status.success());
/// # Ok::<(), std::io::Error>(())
/// ```
pub trait CommandExt {
    /// Sets the soft and hard limits of `resource` in the child, with `setrlimit` between
    /// `fork` and `exec`; calls in order, a later call for the same resource winning.
    ///
    /// The values are checked and converted here, in the parent: the child only makes the
    /// system call, so it neither allocates nor locks, and a multi-threaded parent cannot
    /// deadlock it (see [`std::os::unix::process::CommandExt::pre_exec`]). Spawning then
    /// always forks, as with any `pre_exec` hook.
    ///
    /// Exists on every Unix.
    ///
    /// # Errors
    ///
    /// None here. When the limits cannot be set (a soft limit above the hard one, a hard
    /// limit raised without privilege), the spawn fails and the child never runs the
    /// program; [`CommandExt::spawn_with_limits`] names the resource and the values in that
    /// error, where [`Command::spawn`] reports the bare `errno` of `setrlimit` (`EINVAL` for
    /// values the parent's checks refused).
    ///
    /// # Panics
    ///
    /// When more than 262,144 limits are requested by `Command`s alive at once (the ids a
    /// child can report back are that many).
    fn rlimit(&mut self, resource: Resource, limits: Rlimit) -> &mut Command;

    /// Spawns the command as [`Command::spawn`] does, and makes a failure to set a limit of
    /// [`CommandExt::rlimit`] the error `setrlimit` gave in the child, naming the resource
    /// and the values.
    ///
    /// Exists on every Unix.
    ///
    /// # Errors
    ///
    /// Those of [`Command::spawn`], and for a limit the child could not set: the error of
    /// [`setrlimit`](crate::setrlimit) for those values ([`io::ErrorKind::InvalidInput`] for
    /// a soft limit above the hard one, [`io::ErrorKind::PermissionDenied`] for a hard limit
    /// raised without privilege).
    fn spawn_with_limits(&mut self) -> io::Result<Child>;
}

impl CommandExt for Command {
    fn rlimit(&mut self, resource: Resource, limits: Rlimit) -> &mut Command {
        let request = Request::register(resource, limits);
        // SAFETY: the hook only reads values prepared here and calls `setrlimit`, which is
        // async-signal-safe; it neither allocates nor locks.
        unsafe { self.pre_exec(move || request.apply_in_child()) }
    }

    fn spawn_with_limits(&mut self) -> io::Result<Child> {
        // The fork copies this thread, so the child's hooks see the flag set.
        let _naming = NamingSpawn::start();
        self.spawn().map_err(name_failed_limit)
    }
}

thread_local! {
    /// Whether the spawn under way on this thread reads a failed hook's code back
    /// ([`CommandExt::spawn_with_limits`]); any other spawn gets the plain `errno`.
    static NAMING: Cell<bool> = const { Cell::new(false) };
}

/// Sets [`NAMING`] for one spawn, and clears it however the spawn ends.
struct NamingSpawn;

impl NamingSpawn {
    fn start() -> Self {
        NAMING.with(|naming| naming.set(true));
        NamingSpawn
    }
}

impl Drop for NamingSpawn {
    fn drop(&mut self) {
        NAMING.with(|naming| naming.set(false));
    }
}

/// One limit asked of a child: checked and converted in the parent, and registered so that
/// the parent can name it if the child fails to set it.
struct Request {
    /// The key of this request in [`REQUESTS`], carried back by the child's error code.
    id: u32,
    resource: Resource,
    /// The C values to set, or `None` when they failed the checks of [`rlimit_to_raw`].
    raw: Option<sys::rlimit>,
}

/// What the parent remembers of a request, to name it in an error.
#[derive(Clone, Copy)]
struct Requested {
    resource: Resource,
    limits: Rlimit,
}

/// The requests of every live `Command`, by id: only the parent ever locks it.
static REQUESTS: Mutex<Registry> = Mutex::new(Registry {
    next: 0,
    requests: None,
});

/// The table behind [`REQUESTS`].
struct Registry {
    next: u32,
    requests: Option<HashMap<u32, Requested>>,
}

/// The error code a child returns when it could not set a limit: this bit, the request's
/// id shifted by [`ERRNO_BITS`], and the `errno` of `setrlimit`.
const FROM_LIMIT_HOOK: i32 = 1 << 30;
/// The bits of the code that hold the `errno`; every system's errno values fit in them.
const ERRNO_BITS: u32 = 12;
/// How many ids the code can carry; ids are reused once their `Command` is dropped.
const ID_COUNT: u32 = 1 << (30 - ERRNO_BITS);

impl Request {
    /// Checks `limits`, converts them to C, and records the request for error messages.
    fn register(resource: Resource, limits: Rlimit) -> Request {
        let call = Call::on("setrlimit", resource).setting(Some(limits));
        let raw = rlimit_to_raw(call, limits).ok();
        let id = lock_requests().insert(Requested { resource, limits });
        Request { id, resource, raw }
    }

    /// Sets the limit in the child: runs between `fork` and `exec`, so it only makes the
    /// system call and builds an error that holds a code, neither of which allocates.
    fn apply_in_child(&self) -> io::Result<()> {
        let Some(raw) = self.raw else {
            return Err(self.failure_in_child(libc::EINVAL));
        };
        // SAFETY: `raw` is a valid `struct rlimit` that the call only reads.
        let status = unsafe { sys::setrlimit(self.resource.raw() as _, &raw) };
        if status != 0 {
            let errno = io::Error::last_os_error().raw_os_error().unwrap_or(0);
            return Err(self.failure_in_child(errno));
        }
        Ok(())
    }

    /// The error the child returns: under [`CommandExt::spawn_with_limits`], a code that
    /// tells the parent which request failed and with which `errno`; otherwise the plain
    /// `errno`, so that [`Command::spawn`], `status` and `output` report it as it is. Reading
    /// a thread-local `Cell` neither allocates nor locks.
    fn failure_in_child(&self, errno: i32) -> io::Error {
        if !NAMING.with(Cell::get) {
            return io::Error::from_raw_os_error(errno);
        }
        let errno = errno & ((1 << ERRNO_BITS) - 1);
        let id = i32::try_from(self.id).unwrap_or(0);
        io::Error::from_raw_os_error(FROM_LIMIT_HOOK | id << ERRNO_BITS | errno)
    }
}

impl Drop for Request {
    /// Frees the id when the `Command` holding the hook is dropped (in the parent: the
    /// child execs or exits without running destructors).
    fn drop(&mut self) {
        if let Some(requests) = lock_requests().requests.as_mut() {
            requests.remove(&self.id);
        }
    }
}

impl Registry {
    /// Records `requested` under an id no live request has.
    fn insert(&mut self, requested: Requested) -> u32 {
        let requests = self.requests.get_or_insert_with(HashMap::new);
        assert!(
            requests.len() < ID_COUNT as usize,
            "more than {ID_COUNT} child limits requested by live Commands"
        );
        while requests.contains_key(&self.next) {
            self.next = (self.next + 1) % ID_COUNT;
        }
        let id = self.next;
        self.next = (self.next + 1) % ID_COUNT;
        requests.insert(id, requested);
        id
    }
}

/// The registry, even if a thread panicked while holding it (its table stays consistent).
fn lock_requests() -> MutexGuard<'static, Registry> {
    REQUESTS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The error `setrlimit` gave in the child, naming the resource and the values, when
/// `spawn_error` came from a limit hook; any other error unchanged.
fn name_failed_limit(spawn_error: io::Error) -> io::Error {
    let Some(code) = spawn_error.raw_os_error() else {
        return spawn_error;
    };
    if code & FROM_LIMIT_HOOK == 0 {
        return spawn_error;
    }
    let id = (code & !FROM_LIMIT_HOOK) as u32 >> ERRNO_BITS;
    let errno = code & ((1 << ERRNO_BITS) - 1);
    let Some(requested) = lock_requests()
        .requests
        .as_ref()
        .and_then(|requests| requests.get(&id).copied())
    else {
        return spawn_error;
    };

    // Values that failed the parent's checks get the message those checks give.
    let call = Call::on("setrlimit", requested.resource).setting(Some(requested.limits));
    match rlimit_to_raw(call, requested.limits) {
        Err(invalid) => invalid,
        Ok(_) => error::from_errno(call, errno),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hook_code_carries_the_id_and_the_errno_back() {
        let request = Request::register(crate::RLIMIT_CORE, Rlimit::new(0, 0));
        let naming = NamingSpawn::start();
        let code = request
            .failure_in_child(libc::EPERM)
            .raw_os_error()
            .unwrap();
        drop(naming);
        assert!(code > 0 && code & FROM_LIMIT_HOOK != 0);
        let named = name_failed_limit(io::Error::from_raw_os_error(code));
        assert_eq!(named.kind(), io::ErrorKind::PermissionDenied);
        assert_eq!(crate::raw_os_error(&named), Some(libc::EPERM));
        let message = named.to_string();
        assert!(message.contains("RLIMIT_CORE"), "{message}");
        assert!(message.contains("soft 0, hard 0"), "{message}");
    }

    #[test]
    fn outside_a_naming_spawn_the_child_reports_the_plain_errno() {
        let request = Request::register(crate::RLIMIT_CORE, Rlimit::new(0, 0));
        let error = request.failure_in_child(libc::EPERM);
        assert_eq!(error.raw_os_error(), Some(libc::EPERM));
        assert_eq!(error.kind(), io::ErrorKind::PermissionDenied);
    }

    #[test]
    fn other_spawn_errors_pass_unchanged() {
        let named = name_failed_limit(io::Error::from_raw_os_error(libc::ENOENT));
        assert_eq!(named.raw_os_error(), Some(libc::ENOENT));
    }

    #[test]
    fn ids_are_freed_with_their_request() {
        let registered = |id| lock_requests().requests.as_ref().unwrap().contains_key(&id);
        let request = Request::register(crate::RLIMIT_CORE, Rlimit::new(0, 0));
        let id = request.id;
        assert!(registered(id));
        drop(request);
        assert!(!registered(id));
    }
}
