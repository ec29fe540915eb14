//! Build script of `resource`: turns the names `resource-sys` found in the target's headers
//! into `resource_has = "NAME"` cfgs, so that each constant exists only where C defines it,
//! and says where `wait4` exists (`resource_wait4`).

use std::env;

// The same file as resource-sys/build/names.rs (a link, so the published crate carries it).
mod names;

fn main() {
    // Declare every value the cfg can take, so a misspelt name is a warning.
    println!("{}", names::check_cfg_line());

    // Read what the sys crate published and enable one cfg per name.
    println!("cargo::rerun-if-env-changed=DEP_RESOURCE_NAMES");
    let published = env::var("DEP_RESOURCE_NAMES")
        .expect("resource-sys publishes DEP_RESOURCE_NAMES through its `links` key");
    let names = names::decode(&published).unwrap_or_else(|error| {
        panic!("DEP_RESOURCE_NAMES does not match this version of resource: {error}")
    });
    for cfg in names::cfgs(&names) {
        println!("cargo::rustc-cfg={cfg}");
    }

    // Systems whose `wait4` reports the usage of one waited-for child.
    println!("cargo::rustc-check-cfg=cfg(resource_wait4)");
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let wait4 = [
        "linux",
        "android",
        "macos",
        "ios",
        "tvos",
        "watchos",
        "visionos",
        "freebsd",
        "netbsd",
        "openbsd",
        "dragonfly",
    ];
    if wait4.contains(&os.as_str()) {
        println!("cargo::rustc-cfg=resource_wait4");
    }
}
