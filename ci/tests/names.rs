//! The metadata-to-cfg logic shared by the crates (resource-sys/build/names.rs), fed the
//! checked-in bindings of Linux, macOS and FreeBSD: the names each header defines, the
//! metadata resource-sys publishes for them, and the cfgs `resource` is compiled with.

use std::collections::BTreeSet;

use resource_ci::names;

/// The bindings of x86_64 glibc, as checked in.
const LINUX: &str = include_str!("../../resource-sys/src/bindings/x86_64-unknown-linux-gnu.rs");
/// The bindings of x86_64 macOS, as checked in.
const MACOS: &str = include_str!("../../resource-sys/src/bindings/x86_64-apple-darwin.rs");
/// The bindings of x86_64 FreeBSD, as checked in.
const FREEBSD: &str = include_str!("../../resource-sys/src/bindings/x86_64-unknown-freebsd.rs");

/// The functions every Unix declares.
const EVERYWHERE: [&str; 4] = ["getpagesize", "getrlimit", "getrusage", "setrlimit"];

/// The names glibc's header defines, as the headers of Debian 12 have them.
const LINUX_NAMES: &[&str] = &[
    "RLIMIT_AS",
    "RLIMIT_CORE",
    "RLIMIT_CPU",
    "RLIMIT_DATA",
    "RLIMIT_FSIZE",
    "RLIMIT_LOCKS",
    "RLIMIT_MEMLOCK",
    "RLIMIT_MSGQUEUE",
    "RLIMIT_NICE",
    "RLIMIT_NOFILE",
    "RLIMIT_NPROC",
    "RLIMIT_OFILE",
    "RLIMIT_RSS",
    "RLIMIT_RTPRIO",
    "RLIMIT_RTTIME",
    "RLIMIT_SIGPENDING",
    "RLIMIT_STACK",
    "RLIM_INFINITY",
    "RLIM_NLIMITS",
    "RLIM_SAVED_CUR",
    "RLIM_SAVED_MAX",
    "RUSAGE_CHILDREN",
    "RUSAGE_LWP",
    "RUSAGE_SELF",
    "RUSAGE_THREAD",
    "prlimit",
    names::RUSAGE_UNIONS,
];

/// The names macOS's header defines (`RLIMIT_RSS` an alias of `RLIMIT_AS`).
const MACOS_NAMES: &[&str] = &[
    "RLIMIT_AS",
    "RLIMIT_CORE",
    "RLIMIT_CPU",
    "RLIMIT_DATA",
    "RLIMIT_FSIZE",
    "RLIMIT_MEMLOCK",
    "RLIMIT_NOFILE",
    "RLIMIT_NPROC",
    "RLIMIT_RSS",
    "RLIMIT_STACK",
    "RLIM_INFINITY",
    "RLIM_NLIMITS",
    "RLIM_SAVED_CUR",
    "RLIM_SAVED_MAX",
    "RUSAGE_CHILDREN",
    "RUSAGE_SELF",
    "OPEN_MAX",
];

/// The names FreeBSD's header defines (`RLIMIT_VMEM` an alias of `RLIMIT_AS`).
const FREEBSD_NAMES: &[&str] = &[
    "RLIMIT_AS",
    "RLIMIT_CORE",
    "RLIMIT_CPU",
    "RLIMIT_DATA",
    "RLIMIT_FSIZE",
    "RLIMIT_KQUEUES",
    "RLIMIT_MEMLOCK",
    "RLIMIT_NOFILE",
    "RLIMIT_NPROC",
    "RLIMIT_NPTS",
    "RLIMIT_PIPEBUF",
    "RLIMIT_RSS",
    "RLIMIT_SBSIZE",
    "RLIMIT_STACK",
    "RLIMIT_SWAP",
    "RLIMIT_UMTXP",
    "RLIMIT_VMEM",
    "RLIM_INFINITY",
    "RLIM_NLIMITS",
    "RLIM_SAVED_CUR",
    "RLIM_SAVED_MAX",
    "RUSAGE_CHILDREN",
    "RUSAGE_SELF",
    "RUSAGE_THREAD",
    "OPEN_MAX",
];

/// `names` and the functions every Unix declares, as a set.
fn with_functions(names: &[&str]) -> BTreeSet<String> {
    names
        .iter()
        .chain(&EVERYWHERE)
        .map(|name| name.to_string())
        .collect()
}

/// Checks the whole path for one system: bindings to names, names through the metadata
/// encoding and back, and names to the cfgs, each of which the check-cfg line declares.
fn check_system(bindings: &str, expected: &[&str]) {
    let expected = with_functions(expected);
    let found = names::names_in(bindings);
    assert_eq!(found, expected);

    // The metadata round-trips.
    let decoded = names::decode(&names::encode(&found)).expect("only known names");
    assert_eq!(decoded, found);

    // One cfg per name, each declared.
    let cfgs = names::cfgs(&decoded);
    let wanted: Vec<String> = expected
        .iter()
        .map(|name| format!("resource_has=\"{name}\""))
        .collect();
    assert_eq!(cfgs, wanted);
    let declared = names::check_cfg_line();
    for name in &expected {
        assert!(
            declared.contains(&format!("\"{name}\"")),
            "{name} undeclared"
        );
    }
}

#[test]
fn linux_glibc_names_become_cfgs() {
    check_system(LINUX, LINUX_NAMES);
}

#[test]
fn macos_names_become_cfgs() {
    check_system(MACOS, MACOS_NAMES);
}

#[test]
fn freebsd_names_become_cfgs() {
    check_system(FREEBSD, FREEBSD_NAMES);
}

#[test]
fn the_names_of_one_system_are_not_those_of_another() {
    let linux = names::names_in(LINUX);
    let macos = names::names_in(MACOS);
    let freebsd = names::names_in(FREEBSD);
    assert!(!linux.contains("RUSAGE_BOTH") && !linux.contains("RLIMIT_VMEM"));
    assert!(!macos.contains("prlimit") && !macos.contains("RUSAGE_THREAD"));
    assert!(!freebsd.contains(names::RUSAGE_UNIONS) && !freebsd.contains("RLIMIT_NICE"));
}

#[test]
fn decoding_refuses_a_name_this_version_does_not_probe() {
    let error = names::decode("RLIMIT_AS,RLIMIT_BOGUS").unwrap_err();
    assert!(error.contains("RLIMIT_BOGUS"), "{error}");
    assert_eq!(names::decode(""), Ok(BTreeSet::new()));
}

#[test]
fn the_check_cfg_line_declares_every_candidate() {
    let line = names::check_cfg_line();
    assert!(line.starts_with("cargo::rustc-check-cfg=cfg(resource_has, values("));
    for (name, _) in names::CANDIDATES {
        assert!(line.contains(&format!("\"{name}\"")), "{name} undeclared");
    }
}

/// Only root-level constants count: bindgen puts the members of a C enum in a module of
/// their own, and a name that exists only there is not a constant of resource-sys.
#[test]
fn constants_inside_an_enum_module_are_not_names_of_the_target() {
    let bindings = "\
pub const RLIMIT_CPU: core::ffi::c_int = 0;
pub mod __rlimit_resource {
    pub type Type = core::ffi::c_uint;
    pub const RLIMIT_LOCKS: Type = 10;
}
unsafe extern \"C\" {
    pub fn getrlimit(resource: core::ffi::c_int, limits: *mut rlimit) -> core::ffi::c_int;
}
";
    let found = names::names_in(bindings);
    let expected: BTreeSet<String> = ["RLIMIT_CPU", "getrlimit"].map(String::from).into();
    assert_eq!(found, expected);
}
