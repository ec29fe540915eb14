#!/usr/bin/env bash
# Fuzzes the limit-value parsers (Limit and RlimitChange from_str) with cargo-fuzz on nightly
# for FUZZ_SECONDS (600 by default), then minimizes the corpus in resource/fuzz/corpus.
set -eu
cd "$(dirname "$0")/../resource/fuzz"

# cargo-fuzz comes from crates.io; libFuzzer needs the nightly toolchain.
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
seconds="${FUZZ_SECONDS:-600}"

# One job, so that the other builds on a 2-core machine keep a core; libFuzzer writes the
# job's statistics to fuzz-0.log, printed below.
rm -f fuzz-0.log
status=0
cargo +nightly fuzz run parse_limits corpus/parse_limits -- \
  -jobs=1 -max_total_time="$seconds" -print_final_stats=1 || status=$?
cat fuzz-0.log
[ "$status" -eq 0 ] || exit "$status"

# Keep the checked-in corpus small: only inputs that add coverage.
cargo +nightly fuzz cmin parse_limits corpus/parse_limits
