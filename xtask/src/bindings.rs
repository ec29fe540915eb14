//! `cargo xtask bindings`: writes each target's bindings with the build script's own
//! generator, from that target's headers, or checks that the checked-in files are current.

use std::fs;
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};

use crate::targets::{self, Target};
use crate::toolchain::Toolchain;
use crate::{bindings_path, generate, Mode};

/// The command that brings every checked-in bindings file up to date.
pub const COMMAND: &str = "cargo xtask bindings";

/// Generates the bindings of every target in `selected`, then writes or checks them.
pub fn run(root: &Path, selected: &[Target], mode: Mode) -> Result<()> {
    let toolchain = Toolchain::get()?;
    let mut stale = Vec::new();
    for target in selected {
        eprintln!("bindings: {}", target.triple);
        let text = generate_for(toolchain, target)?;
        let path = bindings_path(root, target.triple);
        let current = fs::read_to_string(&path).unwrap_or_default();
        if current == text {
            continue;
        }
        match mode {
            Mode::Write => {
                fs::write(&path, &text).with_context(|| format!("writing {}", path.display()))?
            }
            Mode::Check => stale.push(target.triple),
        }
    }

    // In check mode, name every stale file and the one command that rewrites them.
    if !stale.is_empty() {
        bail!(
            "the checked-in bindings of {} differ from what the generator writes now; \
             run `{COMMAND}` and commit the result",
            stale.join(", ")
        );
    }
    Ok(())
}

/// The bindings text for `target`, generated from its own headers.
pub fn generate_for(toolchain: &Toolchain, target: &Target) -> Result<String> {
    let args = toolchain.clang_args(target)?;
    generate::bindings(target.triple, &args).map_err(|error| {
        anyhow!(
            "{error}\n(clang target {}, arguments: {})",
            targets::clang_target(target),
            args.join(" ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace_root;

    /// The generator in check mode for the host: the checked-in file must be current.
    #[test]
    fn host_bindings_are_current() {
        let host = targets::find("x86_64-unknown-linux-gnu").unwrap();
        run(&workspace_root(), &[*host], Mode::Check).unwrap();
    }

    /// A stale file is reported with the command that fixes it, and left as it was.
    #[test]
    fn check_mode_names_the_command() {
        let scratch = std::env::temp_dir().join(format!("xtask-check-{}", std::process::id()));
        let dir = scratch.join("resource-sys/src/bindings");
        fs::create_dir_all(&dir).unwrap();
        let stale = dir.join("x86_64-unknown-linux-musl.rs");
        fs::write(&stale, "// stale\n").unwrap();

        let target = targets::find("x86_64-unknown-linux-musl").unwrap();
        let error = run(&scratch, &[*target], Mode::Check)
            .unwrap_err()
            .to_string();
        let left = fs::read_to_string(&stale).unwrap();
        fs::remove_dir_all(&scratch).unwrap();

        assert!(error.contains("x86_64-unknown-linux-musl"), "{error}");
        assert!(error.contains("`cargo xtask bindings`"), "{error}");
        assert_eq!(left, "// stale\n");
    }
}
