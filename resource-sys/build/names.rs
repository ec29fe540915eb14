//! The names `<sys/resource.h>` may define, and what the crates make of the set a target has.
//!
//! This one file is shared by the build scripts of `resource-sys` and `resource`, by the
//! generator in `xtask` and by the conformance checks in `ci`, so that adding a name to
//! [`CANDIDATES`] is the only step needed to have it bound, exposed and checked everywhere.

// Each includer uses a different part of this file.
#![allow(dead_code)]

use std::collections::BTreeSet;

/// What a constant is in C, which decides the type it gets in the safe crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A resource number for `getrlimit` and friends (`RLIMIT_*`).
    Resource,
    /// A selector for `getrusage` (`RUSAGE_*`).
    Who,
    /// A special `rlim_t` value (`RLIM_INFINITY`, `RLIM_SAVED_*`).
    LimitValue,
    /// A count: the number of resources (`RLIM_NLIMITS`), the most open files (`OPEN_MAX`).
    Count,
}

/// Every constant name probed for, in the order tables list them, with its kind.
///
/// A name absent from a target's headers is simply not bound for that target.
pub const CANDIDATES: &[(&str, Kind)] = &[
    ("RLIMIT_AIO_MEM", Kind::Resource),
    ("RLIMIT_AIO_OPS", Kind::Resource),
    ("RLIMIT_AS", Kind::Resource),
    ("RLIMIT_CORE", Kind::Resource),
    ("RLIMIT_CPU", Kind::Resource),
    ("RLIMIT_DATA", Kind::Resource),
    ("RLIMIT_FREEMEM", Kind::Resource),
    ("RLIMIT_FSIZE", Kind::Resource),
    ("RLIMIT_KQUEUES", Kind::Resource),
    ("RLIMIT_LOCKS", Kind::Resource),
    ("RLIMIT_MEMLOCK", Kind::Resource),
    ("RLIMIT_MSGQUEUE", Kind::Resource),
    ("RLIMIT_NICE", Kind::Resource),
    ("RLIMIT_NOFILE", Kind::Resource),
    ("RLIMIT_NPROC", Kind::Resource),
    ("RLIMIT_NPTS", Kind::Resource),
    ("RLIMIT_NTHR", Kind::Resource),
    ("RLIMIT_OFILE", Kind::Resource),
    ("RLIMIT_PIPEBUF", Kind::Resource),
    ("RLIMIT_POSIXLOCKS", Kind::Resource),
    ("RLIMIT_RSS", Kind::Resource),
    ("RLIMIT_RTPRIO", Kind::Resource),
    ("RLIMIT_RTTIME", Kind::Resource),
    ("RLIMIT_SBSIZE", Kind::Resource),
    ("RLIMIT_SIGPENDING", Kind::Resource),
    ("RLIMIT_STACK", Kind::Resource),
    ("RLIMIT_SWAP", Kind::Resource),
    ("RLIMIT_THREADS", Kind::Resource),
    ("RLIMIT_UMTXP", Kind::Resource),
    ("RLIMIT_VMEM", Kind::Resource),
    ("RLIM_INFINITY", Kind::LimitValue),
    ("RLIM_NLIMITS", Kind::Count),
    ("RLIM_SAVED_CUR", Kind::LimitValue),
    ("RLIM_SAVED_MAX", Kind::LimitValue),
    ("RUSAGE_BOTH", Kind::Who),
    ("RUSAGE_CHILDREN", Kind::Who),
    ("RUSAGE_LWP", Kind::Who),
    ("RUSAGE_SELF", Kind::Who),
    ("RUSAGE_THREAD", Kind::Who),
    ("OPEN_MAX", Kind::Count),
];

/// The functions bound where the target declares them.
pub const FUNCTIONS: &[&str] = &[
    "getpagesize",
    "getrlimit",
    "getrusage",
    "prlimit",
    "setrlimit",
];

/// The structures and types bound for every target.
pub const TYPES: &[&str] = &["rlim_t", "rlimit", "rusage", "timeval"];

/// The prefix under which the C side declares each probed constant before it is renamed.
pub const PROBE_PREFIX: &str = "resource_sys_probe_";

/// The prefix of a second probe for each `rlim_t` value: the same bits as a signed
/// `long long`, which bindgen can evaluate even where the unsigned value exceeds `i64::MAX`.
pub const BITS_PREFIX: &str = "resource_sys_bits_";

/// A name in the set published for targets whose `struct rusage` wraps each `long` field in
/// an anonymous union (glibc), so the safe crate knows how to read the fields.
pub const RUSAGE_UNIONS: &str = "rusage_anonymous_unions";

/// The lines every C translation unit of the workspace starts with, so that the generator and
/// the conformance checks see the same declarations: the GNU and 64-bit file interfaces, as
/// CPython builds its `resource` module.
pub const C_PRELUDE: &str = "\
#define _GNU_SOURCE 1
#define _FILE_OFFSET_BITS 64
#include <limits.h>
#include <sys/types.h>
#include <sys/time.h>
#include <sys/resource.h>
#include <unistd.h>
";

/// The name of the cfg that the safe crate is compiled with, once per name the target has.
pub const CFG_NAME: &str = "resource_has";

/// The header bindgen reads: the prelude, then for every candidate the target defines a
/// constant of the macro's own C type holding its value, under [`PROBE_PREFIX`] (and, for
/// `rlim_t` values, its bits as `long long` under [`BITS_PREFIX`]).
pub fn probe_header() -> String {
    let mut header = String::from(C_PRELUDE);
    for (name, kind) in CANDIDATES {
        header.push_str(&format!("#ifdef {name}\n"));
        header.push_str(&format!(
            "static const __typeof__({name}) {PROBE_PREFIX}{name} = {name};\n"
        ));
        if *kind == Kind::LimitValue {
            header.push_str(&format!(
                "static const long long {BITS_PREFIX}{name} = (long long)({name});\n"
            ));
        }
        header.push_str("#endif\n");
    }
    header
}

/// The candidate constants and functions that generated bindings define at their root.
///
/// Works on any bindings text produced from [`probe_header`], generated now or checked in.
pub fn names_in(bindings: &str) -> BTreeSet<String> {
    let known: BTreeSet<&str> = CANDIDATES
        .iter()
        .map(|(name, _)| *name)
        .chain(FUNCTIONS.iter().copied())
        .collect();
    let mut found = BTreeSet::new();
    for line in bindings.lines() {
        // Constants count at the root only, not inside the module of a C enum; functions
        // are declared indented, inside the `extern` block.
        let declaration = line.trim_start();
        let rest = line
            .strip_prefix("pub const ")
            .or_else(|| declaration.strip_prefix("pub fn "))
            .or_else(|| declaration.strip_prefix("pub unsafe fn "));
        let Some(rest) = rest else { continue };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if known.contains(name.as_str()) {
            found.insert(name);
        }
    }
    if bindings.contains("pub __bindgen_anon_1: rusage__bindgen_ty_1") {
        found.insert(RUSAGE_UNIONS.to_string());
    }
    found
}

/// Encodes a name set for Cargo build metadata (`DEP_RESOURCE_NAMES`).
pub fn encode(names: &BTreeSet<String>) -> String {
    names.iter().cloned().collect::<Vec<_>>().join(",")
}

/// Decodes what [`encode`] wrote; unknown names are refused so that a stale producer shows.
pub fn decode(text: &str) -> Result<BTreeSet<String>, String> {
    let mut names = BTreeSet::new();
    for name in text.split(',').filter(|name| !name.is_empty()) {
        let known = CANDIDATES.iter().any(|(candidate, _)| *candidate == name)
            || FUNCTIONS.contains(&name)
            || name == RUSAGE_UNIONS;
        if !known {
            return Err(format!("`{name}` is not a name this workspace probes for"));
        }
        names.insert(name.to_string());
    }
    Ok(names)
}

/// The `cargo::rustc-check-cfg` line declaring every value the cfg can take.
pub fn check_cfg_line() -> String {
    let values: Vec<String> = CANDIDATES
        .iter()
        .map(|(name, _)| *name)
        .chain(FUNCTIONS.iter().copied())
        .chain([RUSAGE_UNIONS])
        .map(|name| format!("\"{name}\""))
        .collect();
    format!(
        "cargo::rustc-check-cfg=cfg({CFG_NAME}, values({}))",
        values.join(", ")
    )
}

/// The cfgs a crate is compiled with for a target whose headers define `names`, as the
/// `key="value"` text that follows `--cfg` (and `cargo::rustc-cfg=`).
pub fn cfgs(names: &BTreeSet<String>) -> Vec<String> {
    names
        .iter()
        .map(|name| format!("{CFG_NAME}=\"{name}\""))
        .collect()
}
