#!/usr/bin/env bash
# Runs the whole test suite, doc tests included, under AddressSanitizer on the nightly
# toolchain (Miri cannot run the system calls these tests make).
set -eu
cd "$(dirname "$0")/.."

# The sanitizer needs an explicit target, so that build scripts and proc macros are built
# without it; a target directory of its own keeps the instrumented build from the others.
export RUSTFLAGS="-Zsanitizer=address"
export RUSTDOCFLAGS="-Zsanitizer=address"
export CARGO_TARGET_DIR="${ASAN_TARGET_DIR:-$PWD/target/asan}"
# A small quarantine keeps the resident memory, and so the cost of each fork, low: the test
# that spawns a thousand children while threads allocate would otherwise take minutes.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:quarantine_size_mb=16:malloc_context_size=5}"

# Skipped: the compile-fail tests (ci/tests/compile_fail.rs) run no code of the project, only
# the compiler, and compare its messages, which are worded differently on nightly.
cargo +nightly test --workspace --target x86_64-unknown-linux-gnu "$@" -- \
  --skip names_glibc_has_compile --skip names_glibc_lacks_do_not_compile
