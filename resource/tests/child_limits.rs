//! Limits set in a thousand children between `fork` and `exec` while other threads of the
//! parent allocate: no child deadlocks on an allocator lock, each gets exactly its limits,
//! and no descriptor leaks. The only test of this binary, so that the descriptor count is
//! not disturbed by tests running beside it.
//!
//! The binary's allocator ends any forked child that allocates before `exec` with status
//! 99, so a hook that allocates fails the test instead of passing by luck.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::io;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::Duration;

use resource::{getrlimit, proc_limits, CommandExt, Limit, Rlimit, RLIMIT_CORE, RLIMIT_NOFILE};

const SPAWNS: u64 = 1000;
const ALLOCATING_THREADS: usize = 8;
/// Far more than the spawns need (a few seconds); reaching it means a child is stuck.
const TIMEOUT: Duration = Duration::from_secs(300);

/// The allocator of this test binary: the system's, except in a forked child.
struct NoAllocationInChildren;

/// The pid of the test process, once the test has started; 0 before.
static PARENT: AtomicI32 = AtomicI32::new(0);

impl NoAllocationInChildren {
    /// Ends the process at once if it is a child forked from the test process.
    fn forbid_in_child() {
        let parent = PARENT.load(Ordering::Relaxed);
        // SAFETY: getpid and _exit are async-signal-safe and take no pointers.
        if parent != 0 && unsafe { libc::getpid() } != parent {
            unsafe { libc::_exit(99) }
        }
    }
}

// SAFETY: every call is forwarded to the system allocator unchanged.
unsafe impl GlobalAlloc for NoAllocationInChildren {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        Self::forbid_in_child();
        // SAFETY: the caller's guarantees about `layout` are passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        Self::forbid_in_child();
        // SAFETY: `ptr` came from `System.alloc` with this `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        Self::forbid_in_child();
        // SAFETY: `ptr` came from `System.alloc` with this `layout`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: NoAllocationInChildren = NoAllocationInChildren;

#[test]
fn a_thousand_children_get_their_limits_while_threads_allocate() {
    // SAFETY: getpid has no preconditions.
    PARENT.store(unsafe { libc::getpid() }, Ordering::Relaxed);
    let descriptors_before = open_descriptors();

    // Eight threads that allocate and free as fast as they can.
    let stop = Arc::new(AtomicBool::new(false));
    let allocators: Vec<_> = (0..ALLOCATING_THREADS)
        .map(|_| {
            let stop = Arc::clone(&stop);
            thread::spawn(move || allocate_until(&stop))
        })
        .collect();

    // The spawns, on a thread of their own so that a stuck child fails the test.
    let (done, finished) = mpsc::channel();
    thread::spawn(move || done.send(spawn_and_check_children()));
    let outcome = finished.recv_timeout(TIMEOUT);
    stop.store(true, Ordering::Relaxed);
    for allocator in allocators {
        allocator.join().unwrap();
    }
    let checked = outcome.unwrap_or_else(|_| {
        panic!("the spawns did not finish within {TIMEOUT:?}: a child is stuck before exec, or a check above failed")
    });
    assert_eq!(checked.unwrap(), SPAWNS);

    // Every pipe and descriptor of the spawns was closed.
    assert_eq!(open_descriptors(), descriptors_before);
}

/// Allocates and frees blocks of many sizes until `stop` is set, pausing briefly between
/// rounds: on a machine with fewer cores than threads, a thread preempted while holding
/// an allocator lock would otherwise hold up every `fork` (glibc takes those locks) for a
/// whole time slice.
fn allocate_until(stop: &AtomicBool) {
    let mut round = 0usize;
    while !stop.load(Ordering::Relaxed) {
        let blocks: Vec<Vec<u8>> = (0..64)
            .map(|i| vec![i as u8; 1 + (i * 37 + round) % 4096])
            .collect();
        black_box(blocks);
        round += 1;
        thread::sleep(Duration::from_micros(50));
    }
}

/// Spawns the children, each with its own limits, and checks each one's
/// `/proc/<pid>/limits`; returns how many were checked.
fn spawn_and_check_children() -> io::Result<u64> {
    let nofile_hard = getrlimit(RLIMIT_NOFILE)?.hard;
    let core_hard = getrlimit(RLIMIT_CORE)?.hard;
    for i in 0..SPAWNS {
        // Limits that differ from child to child and from this process's.
        let nofile = Rlimit::new(Limit::Finite(64 + i % 512).min(nofile_hard), nofile_hard);
        let core_soft = Limit::Finite(4096 * i).min(core_hard);
        let core = Rlimit::new(core_soft, core_soft);

        // A child that waits until its limits have been read.
        let mut child = Command::new("sleep")
            .arg("30")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .rlimit(RLIMIT_NOFILE, nofile)
            .rlimit(RLIMIT_CORE, core)
            .spawn_with_limits()?;
        let listed = proc_limits(child.id());
        child.kill()?;
        child.wait()?;

        // Exactly what was asked.
        let listed = listed?;
        let of = |resource| listed.iter().find(|(r, _)| *r == resource).map(|(_, l)| *l);
        assert_eq!(of(RLIMIT_NOFILE), Some(nofile), "child {i}");
        assert_eq!(of(RLIMIT_CORE), Some(core), "child {i}");
    }
    Ok(SPAWNS)
}

/// How many descriptors this process has open.
fn open_descriptors() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}
