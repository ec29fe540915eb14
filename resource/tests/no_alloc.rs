//! No successful call of the crate allocates: a counting global allocator (hence a test binary
//! of its own) counts the allocations the calling thread makes around each call.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;

use resource::{
    getpagesize, getrlimit, getrusage, setrlimit, Resource, RUSAGE_CHILDREN, RUSAGE_SELF,
};

mod child;

/// The system allocator, counting the allocations of each thread.
struct Counting;

thread_local! {
    /// Allocations (and reallocations) made by this thread so far.
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: every method forwards to the system allocator unchanged; counting only touches a
// thread-local `Cell` with no destructor, which never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        // SAFETY: the caller's contract for `layout` is passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        // SAFETY: `ptr` came from this allocator with `layout`, as the caller guarantees.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator with `layout`, as the caller guarantees.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// Runs `call`, which must succeed, and returns how many allocations this thread made in it.
fn allocations_in<T>(call: impl FnOnce() -> std::io::Result<T>) -> u64 {
    let before = ALLOCATIONS.with(Cell::get);
    let result = black_box(call());
    let made = ALLOCATIONS.with(Cell::get) - before;
    assert!(result.is_ok(), "the call failed");
    made
}

/// Every call, on every resource the target defines: none allocates when it succeeds. The
/// sets write back the limits each resource has, in a child process all the same, so that
/// the test runner's own limits are never set.
#[test]
fn successful_calls_do_not_allocate() {
    child::in_child_process("successful_calls_do_not_allocate", count_allocations);
}

/// The body of [`successful_calls_do_not_allocate`].
fn count_allocations() {
    // The counter must see allocations at all, or zero below would prove nothing.
    assert_eq!(allocations_in(|| Ok(black_box(Box::new(1)))), 1);

    let mut counts = Vec::new();
    for &resource in Resource::all() {
        let limits = getrlimit(resource).expect("getrlimit");
        counts.push((
            resource.name(),
            "getrlimit",
            allocations_in(|| getrlimit(resource)),
        ));

        // Setting the limits it already has changes nothing.
        let set = allocations_in(|| setrlimit(resource, limits));
        counts.push((resource.name(), "setrlimit", set));
        prlimit_counts(resource, limits, &mut counts);
    }
    for who in [RUSAGE_SELF, RUSAGE_CHILDREN] {
        counts.push((who.name(), "getrusage", allocations_in(|| getrusage(who))));
    }
    #[cfg(resource_has = "RUSAGE_THREAD")]
    counts.push((
        "RUSAGE_THREAD",
        "getrusage",
        allocations_in(|| getrusage(resource::RUSAGE_THREAD)),
    ));
    let page = allocations_in(|| Ok(getpagesize()));
    counts.push(("", "getpagesize", page));

    let allocating: Vec<_> = counts.iter().filter(|(_, _, made)| *made > 0).collect();
    assert!(
        allocating.is_empty(),
        "calls that allocated: {allocating:?}"
    );
}

/// The allocations of `prlimit` reads and sets (to the same limits) of this process.
#[cfg(resource_has = "prlimit")]
fn prlimit_counts(
    resource: Resource,
    limits: resource::Rlimit,
    counts: &mut Vec<(&'static str, &'static str, u64)>,
) {
    use resource::prlimit;

    let own_pid = std::process::id();
    let read = allocations_in(|| prlimit(0, resource, None));
    counts.push((resource.name(), "prlimit read", read));
    let read = allocations_in(|| prlimit(own_pid, resource, None));
    counts.push((resource.name(), "prlimit read by pid", read));
    let set = allocations_in(|| prlimit(0, resource, Some(limits)));
    counts.push((resource.name(), "prlimit set", set));
}

/// Targets without `prlimit` have nothing to count here.
#[cfg(not(resource_has = "prlimit"))]
fn prlimit_counts(
    _: Resource,
    _: resource::Rlimit,
    _: &mut Vec<(&'static str, &'static str, u64)>,
) {
}
