//! Build script of `resource-sys`: generates the bindings for the target being built, or
//! falls back to the ones checked in for it, and hands the names found to dependent crates.

use std::collections::BTreeSet;
use std::env;
use std::fs;
use std::path::{Path, PathBuf};

mod generate;
mod names;

/// Setting this variable to `1` skips bindgen and uses the checked-in bindings.
const FORCE_FALLBACK: &str = "RESOURCE_SYS_USE_CHECKED_IN";

fn main() {
    let target = env::var("TARGET").expect("cargo sets TARGET for build scripts");
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    println!("cargo::rerun-if-changed=build");
    println!("cargo::rerun-if-changed=src/bindings");

    // Generate with bindgen where libclang loads, else take the checked-in file.
    let checked_in = manifest_dir
        .join("src/bindings")
        .join(format!("{target}.rs"));
    let bindings = match libclang_unusable_because() {
        None => generate_or_fail(&target),
        Some(reason) => fallback(&target, &checked_in, &reason),
    };

    // Write the bindings where lib.rs includes them from.
    fs::write(out_dir.join("bindings.rs"), &bindings).expect("OUT_DIR is writable");

    // Publish the names this target has, read back as DEP_RESOURCE_NAMES.
    let names: BTreeSet<String> = names::names_in(&bindings);
    println!("cargo::metadata=names={}", names::encode(&names));
}

/// Why bindgen cannot run here, or `None` when it can.
fn libclang_unusable_because() -> Option<String> {
    println!("cargo::rerun-if-env-changed={FORCE_FALLBACK}");
    println!("cargo::rerun-if-env-changed=LIBCLANG_PATH");
    if env::var(FORCE_FALLBACK).is_ok_and(|value| value == "1") {
        return Some(format!("{FORCE_FALLBACK}=1 is set"));
    }
    clang_sys::load().err()
}

/// Runs bindgen for `target`, with the sysroot flags Cargo's environment asks for.
fn generate_or_fail(target: &str) -> String {
    println!("cargo::rerun-if-env-changed=BINDGEN_EXTRA_CLANG_ARGS");
    match generate::bindings(target, &[]) {
        Ok(bindings) => bindings,
        Err(error) => panic!(
            "\n{error}\n\nresource-sys runs bindgen over <sys/resource.h> for {target}. \
             Install that target's C library headers (on Debian for the host: \
             `apt-get install libc6-dev`), pass a sysroot with \
             BINDGEN_EXTRA_CLANG_ARGS=\"--sysroot=DIR\", or set {FORCE_FALLBACK}=1 to use \
             the checked-in bindings where the target has them.\n"
        ),
    }
}

/// Reads the checked-in bindings for `target`, warning once that they stand in for bindgen.
fn fallback(target: &str, checked_in: &Path, reason: &str) -> String {
    match fs::read_to_string(checked_in) {
        Ok(bindings) => {
            println!(
                "cargo::warning=resource-sys: bindgen not used ({reason}); \
                 using the checked-in bindings for {target}"
            );
            bindings
        }
        Err(_) => panic!(
            "\nresource-sys cannot generate bindings for {target}: {reason}.\n\
             There are no checked-in bindings for this target ({}).\n\
             Install libclang (Debian and Ubuntu: `apt-get install libclang-dev`; \
             Fedora: `dnf install clang-devel`; macOS: the Xcode command line tools), \
             or point LIBCLANG_PATH at the directory holding libclang.so.\n",
            checked_in.display()
        ),
    }
}
