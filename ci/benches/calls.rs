//! The cost of one call of `getrlimit`, `setrlimit`, `getrusage` and a `prlimit` read through
//! `resource`, the raw libc call, and nix, rlimit and rustix where they offer the same call.
//!
//! Each group is one call; each function in it one way of making it. The raw libc call is
//! measured first and again last, so that the table shows how far the machine drifted during
//! the group. `ci/bench.sh` runs this and prints the medians with their ratio to libc.

use std::hint::black_box;
use std::mem::MaybeUninit;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};

/// `getrlimit(RLIMIT_NOFILE)`.
fn getrlimit(c: &mut Criterion) {
    let mut group = c.benchmark_group("getrlimit");
    group.bench_function("libc", |b| b.iter(libc_getrlimit));
    group.bench_function("resource", |b| {
        b.iter(|| resource::getrlimit(black_box(resource::RLIMIT_NOFILE)))
    });
    group.bench_function("nix", |b| {
        b.iter(|| {
            nix::sys::resource::getrlimit(black_box(nix::sys::resource::Resource::RLIMIT_NOFILE))
        })
    });
    group.bench_function("rlimit", |b| {
        b.iter(|| rlimit::getrlimit(black_box(rlimit::Resource::NOFILE)))
    });
    group.bench_function("rustix", |b| {
        b.iter(|| rustix::process::getrlimit(black_box(rustix::process::Resource::Nofile)))
    });
    group.bench_function("libc-again", |b| b.iter(libc_getrlimit));
    group.finish();
}

/// `setrlimit(RLIMIT_NOFILE)` to the limits it already has, so nothing changes.
fn setrlimit(c: &mut Criterion) {
    let limits = resource::getrlimit(resource::RLIMIT_NOFILE).expect("getrlimit(RLIMIT_NOFILE)");
    let raw = libc::rlimit {
        rlim_cur: finite_or_infinity(limits.soft),
        rlim_max: finite_or_infinity(limits.hard),
    };
    let rustix_limits = rustix::process::Rlimit {
        current: limit_or_none(limits.soft),
        maximum: limit_or_none(limits.hard),
    };

    let mut group = c.benchmark_group("setrlimit");
    group.bench_function("libc", |b| b.iter(|| libc_setrlimit(&raw)));
    group.bench_function("resource", |b| {
        b.iter(|| resource::setrlimit(black_box(resource::RLIMIT_NOFILE), black_box(limits)))
    });
    group.bench_function("nix", |b| {
        b.iter(|| {
            nix::sys::resource::setrlimit(
                black_box(nix::sys::resource::Resource::RLIMIT_NOFILE),
                black_box(raw.rlim_cur),
                black_box(raw.rlim_max),
            )
        })
    });
    group.bench_function("rlimit", |b| {
        b.iter(|| {
            rlimit::setrlimit(
                black_box(rlimit::Resource::NOFILE),
                black_box(raw.rlim_cur),
                black_box(raw.rlim_max),
            )
        })
    });
    group.bench_function("rustix", |b| {
        b.iter(|| {
            rustix::process::setrlimit(
                black_box(rustix::process::Resource::Nofile),
                black_box(rustix_limits),
            )
        })
    });
    group.bench_function("libc-again", |b| b.iter(|| libc_setrlimit(&raw)));
    group.finish();
}

/// `getrusage(RUSAGE_SELF)`; rustix has no `getrusage`.
fn getrusage(c: &mut Criterion) {
    let mut group = c.benchmark_group("getrusage");
    group.bench_function("libc", |b| b.iter(libc_getrusage));
    group.bench_function("resource", |b| {
        b.iter(|| resource::getrusage(black_box(resource::RUSAGE_SELF)))
    });
    group.bench_function("nix", |b| {
        b.iter(|| {
            nix::sys::resource::getrusage(black_box(nix::sys::resource::UsageWho::RUSAGE_SELF))
        })
    });
    group.bench_function("libc-again", |b| b.iter(libc_getrusage));
    group.finish();
}

/// `prlimit(0, RLIMIT_NOFILE, NULL, &old)`: a read. nix has no `prlimit`, and rustix's always
/// sets, so neither is in this group.
fn prlimit(c: &mut Criterion) {
    let mut group = c.benchmark_group("prlimit");
    group.bench_function("libc", |b| b.iter(libc_prlimit_read));
    group.bench_function("resource", |b| {
        b.iter(|| resource::prlimit(black_box(0), black_box(resource::RLIMIT_NOFILE), None))
    });
    group.bench_function("rlimit", |b| {
        b.iter(|| {
            let (mut soft, mut hard) = (0, 0);
            rlimit::prlimit(
                black_box(0),
                black_box(rlimit::Resource::NOFILE),
                None,
                Some((&mut soft, &mut hard)),
            )
            .map(|()| (soft, hard))
        })
    });
    group.bench_function("libc-again", |b| b.iter(libc_prlimit_read));
    group.finish();
}

/// The raw `getrlimit(RLIMIT_NOFILE)`.
fn libc_getrlimit() -> libc::rlimit {
    let mut raw = MaybeUninit::<libc::rlimit>::uninit();
    // SAFETY: `raw` is writable memory for one `struct rlimit`.
    let status = unsafe { libc::getrlimit(black_box(libc::RLIMIT_NOFILE), raw.as_mut_ptr()) };
    assert_eq!(status, 0);
    // SAFETY: the call succeeded, so it filled `raw`.
    unsafe { raw.assume_init() }
}

/// The raw `setrlimit(RLIMIT_NOFILE, raw)`.
fn libc_setrlimit(raw: &libc::rlimit) {
    // SAFETY: `raw` is a valid `struct rlimit` that the call only reads.
    let status = unsafe { libc::setrlimit(black_box(libc::RLIMIT_NOFILE), black_box(raw)) };
    assert_eq!(status, 0);
}

/// The raw `getrusage(RUSAGE_SELF)`.
fn libc_getrusage() -> libc::rusage {
    let mut raw = MaybeUninit::<libc::rusage>::uninit();
    // SAFETY: `raw` is writable memory for one `struct rusage`.
    let status = unsafe { libc::getrusage(black_box(libc::RUSAGE_SELF), raw.as_mut_ptr()) };
    assert_eq!(status, 0);
    // SAFETY: the call succeeded, so it filled `raw`.
    unsafe { raw.assume_init() }
}

/// The raw `prlimit(0, RLIMIT_NOFILE, NULL, &old)`.
fn libc_prlimit_read() -> libc::rlimit {
    let mut old = MaybeUninit::<libc::rlimit>::uninit();
    // SAFETY: a null new value only reads; `old` is writable memory for one `struct rlimit`.
    let status = unsafe {
        libc::prlimit(
            black_box(0),
            black_box(libc::RLIMIT_NOFILE),
            core::ptr::null(),
            old.as_mut_ptr(),
        )
    };
    assert_eq!(status, 0);
    // SAFETY: the call succeeded, so it filled `old`.
    unsafe { old.assume_init() }
}

/// A limit as libc's `rlim_t`.
fn finite_or_infinity(limit: resource::Limit) -> libc::rlim_t {
    match limit {
        resource::Limit::Finite(amount) => amount,
        resource::Limit::Infinity => libc::RLIM_INFINITY,
    }
}

/// A limit as rustix takes it: `None` is infinity.
fn limit_or_none(limit: resource::Limit) -> Option<u64> {
    match limit {
        resource::Limit::Finite(amount) => Some(amount),
        resource::Limit::Infinity => None,
    }
}

/// Enough samples for medians that differ by a few nanoseconds to be told apart.
fn settings() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .sample_size(100)
}

criterion_group! {
    name = calls;
    config = settings();
    targets = getrlimit, setrlimit, getrusage, prlimit
}
criterion_main!(calls);
