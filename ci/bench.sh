#!/usr/bin/env bash
# Benchmarks each call through `resource`, raw libc, nix, rlimit and rustix (ci/benches/calls.rs)
# and CPython's `resource`, then the prlimit example against util-linux prlimit(1) as whole
# processes, and prints one table of medians with the ratio of each to the raw libc call.
set -eu
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-$PWD/target}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# The machine the figures come from.
echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
  "Linux $(uname -r), $(rustc --version)"
echo

# The calls, in one criterion run; old estimates are removed so none from an earlier run is read.
rm -rf "$target/criterion"
cargo bench -p resource-ci --bench calls >"$scratch/criterion.log" 2>&1 ||
  { cat "$scratch/criterion.log"; exit 1; }

# CPython's `resource` on the same machine, as the median of repeated timeit runs.
python3 - >"$scratch/cpython.json" <<'PY'
import json, statistics, timeit
calls = {
    "getrlimit": "resource.getrlimit(resource.RLIMIT_NOFILE)",
    "setrlimit": "resource.setrlimit(resource.RLIMIT_NOFILE, limits)",
    "getrusage": "resource.getrusage(resource.RUSAGE_SELF)",
    "prlimit": "resource.prlimit(0, resource.RLIMIT_NOFILE)",
}
setup = "import resource; limits = resource.getrlimit(resource.RLIMIT_NOFILE)"
medians = {}
for call, statement in calls.items():
    timer = timeit.Timer(statement, setup=setup)
    number, _ = timer.autorange()
    runs = timer.repeat(repeat=21, number=number)
    medians[call] = statistics.median(runs) / number * 1e9
print(json.dumps(medians))
PY

# The prlimit example and util-linux prlimit(1), each printing its default table.
cargo build --release -q -p resource --example prlimit
hyperfine -N --warmup 50 --runs 500 --export-json "$scratch/prlimit.json" \
  "$target/release/examples/prlimit" "prlimit" >"$scratch/hyperfine.log" 2>&1 ||
  { cat "$scratch/hyperfine.log"; exit 1; }

# One table: medians in ns, each with its ratio to the raw libc call.
python3 - "$target/criterion" "$scratch/cpython.json" "$scratch/prlimit.json" <<'PY'
import json, pathlib, sys
criterion, cpython, prlimit = sys.argv[1:]
calls = ["getrlimit", "setrlimit", "getrusage", "prlimit"]
ways = ["libc", "resource", "nix", "rlimit", "rustix", "libc-again"]
median = {}
for path in pathlib.Path(criterion).glob("*/*/new/estimates.json"):
    call, way = path.parts[-4], path.parts[-3]
    median[call, way] = json.loads(path.read_text())["median"]["point_estimate"]
python = json.loads(pathlib.Path(cpython).read_text())

def cell(ns, base):
    return f"{ns:.1f} ns ({ns / base:.3f})"

print("| call | " + " | ".join(ways) + " | CPython | resource within 2 % |")
print("|---" * (len(ways) + 3) + "|")
for call in calls:
    base = median[call, "libc"]
    row = [cell(median[call, way], base) if (call, way) in median else "-" for way in ways]
    row.append(cell(python[call], base))
    within = "yes" if median[call, "resource"] <= 1.02 * base else "NO"
    print(f"| {call} | " + " | ".join(row) + f" | {within} |")

results = json.loads(pathlib.Path(prlimit).read_text())["results"]
example, util_linux = (result["median"] * 1e6 for result in results)
print()
print("| whole process, default table | median | ratio to util-linux |")
print("|---|---|---|")
print(f"| prlimit example | {example:.0f} µs | {example / util_linux:.3f} |")
print(f"| util-linux prlimit | {util_linux:.0f} µs | 1.000 |")
print()
print("Cells: median time per call (ratio to the raw libc call); '-': the crate has no such call.")
print("libc-again: the raw call measured again at the end of its group, showing the drift.")
PY
