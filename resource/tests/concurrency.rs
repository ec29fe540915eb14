//! Many threads reading and setting one limit and reading usage at once: every call succeeds
//! and every read sees a value some thread wrote. Runs in a child process.

mod child;

use std::collections::BTreeSet;
use std::sync::Barrier;
use std::thread;
use std::time::{Duration, Instant};

use child::in_child_process;
use resource::{getrlimit, getrusage, setrlimit, Limit, Rlimit, RLIMIT_CORE, RUSAGE_SELF};

const THREADS: usize = 16;
const RUN_FOR: Duration = Duration::from_secs(2);

/// The soft limits the threads write: `THREADS` values within the hard limit.
fn soft_values(hard: Limit) -> Vec<Limit> {
    let step = match hard {
        Limit::Infinity => 4096,
        Limit::Finite(amount) => (amount / THREADS as u64).max(1),
    };
    let values: BTreeSet<_> = (0..THREADS as u64)
        .map(|i| Limit::Finite(i * step))
        .filter(|value| *value <= hard)
        .collect();
    values.into_iter().collect()
}

/// What one thread saw: the soft limits it read, and the calls it made.
struct Seen {
    reads: BTreeSet<Limit>,
    calls: u64,
}

/// One thread's loop: set a soft limit of its own, read the limits, read usage, until `end`.
fn mix_calls(index: usize, written: &[Limit], hard: Limit, start: &Barrier) -> Seen {
    let mut seen = Seen {
        reads: BTreeSet::new(),
        calls: 0,
    };
    start.wait();
    let end = Instant::now() + RUN_FOR;
    let mut round = index;
    while Instant::now() < end {
        let soft = written[round % written.len()];
        setrlimit(RLIMIT_CORE, Rlimit { soft, hard }).expect("setrlimit");
        let read = getrlimit(RLIMIT_CORE).expect("getrlimit");
        assert_eq!(read.hard, hard, "the hard limit moved");
        seen.reads.insert(read.soft);
        getrusage(RUSAGE_SELF).expect("getrusage");
        seen.calls += 3;
        round += 1;
    }
    seen
}

/// 16 threads for 2 seconds on `RLIMIT_CORE`'s soft limit, within its hard limit.
#[test]
fn threads_mixing_calls_see_only_written_values() {
    in_child_process("threads_mixing_calls_see_only_written_values", || {
        let hard = getrlimit(RLIMIT_CORE).expect("getrlimit").hard;
        let written = soft_values(hard);
        setrlimit(
            RLIMIT_CORE,
            Rlimit {
                soft: written[0],
                hard,
            },
        )
        .expect("setrlimit");

        // Start every thread at once, then gather what each saw.
        let start = Barrier::new(THREADS);
        let (written, start) = (&written, &start);
        let seen: Vec<Seen> = thread::scope(|scope| {
            let workers: Vec<_> = (0..THREADS)
                .map(|index| scope.spawn(move || mix_calls(index, written, hard, start)))
                .collect();
            workers
                .into_iter()
                .map(|worker| worker.join().unwrap())
                .collect()
        });

        let reads: BTreeSet<Limit> = seen
            .iter()
            .flat_map(|one| one.reads.iter().copied())
            .collect();
        let calls: u64 = seen.iter().map(|one| one.calls).sum();
        println!("{calls} calls, {} distinct soft limits read", reads.len());
        assert!(
            seen.iter().all(|one| one.calls > 0),
            "a thread made no call"
        );
        let strangers: Vec<_> = reads
            .iter()
            .filter(|read| !written.contains(read))
            .collect();
        assert!(
            strangers.is_empty(),
            "read values no thread wrote: {strangers:?}"
        );
    });
}
