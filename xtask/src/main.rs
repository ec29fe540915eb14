//! `cargo xtask`: the maintainers' tasks that regenerate and verify the bindings checked in
//! under `resource-sys/src/bindings/` and the support table in README.md.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[path = "../../resource-sys/build/generate.rs"]
mod generate;
#[path = "../../resource-sys/build/names.rs"]
mod names;

mod bindings;
mod layout;
mod matrix;
mod support;
mod targets;
mod toolchain;
mod verify;

/// The maintainers' tasks of the resource workspace.
#[derive(Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerate the checked-in bindings of every target, and the README support table.
    Bindings {
        /// Fail when a checked-in file differs from what would be written, changing nothing.
        #[arg(long)]
        check: bool,
        /// Only these targets (default: every target of the list).
        #[arg(long = "target", value_name = "TRIPLE")]
        targets: Vec<String>,
    },
    /// Compile, for every target, C assertions that the checked-in bindings match its headers.
    Verify {
        /// Only these targets (default: every target of the list).
        #[arg(long = "target", value_name = "TRIPLE")]
        targets: Vec<String>,
    },
    /// Rewrite the support table in README.md from the checked-in bindings (`bindings`
    /// does this too).
    Matrix {
        /// Fail when README.md's table differs from the one the bindings give, changing nothing.
        #[arg(long)]
        check: bool,
    },
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let root = workspace_root();
    let started = Instant::now();
    match cli.task {
        Task::Bindings { check, targets } => {
            let mode = Mode::from_check(check);
            let selected = select(&targets)?;
            bindings::run(&root, &selected, mode)?;
            matrix::run(&root, mode)?;
        }
        Task::Verify { targets } => verify::run(&root, &select(&targets)?)?,
        Task::Matrix { check } => matrix::run(&root, Mode::from_check(check))?,
    }
    eprintln!("done in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Whether a generator writes its output or only compares it with what is checked in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Write the files.
    Write,
    /// Compare, and fail naming the command that would bring the files up to date.
    Check,
}

impl Mode {
    fn from_check(check: bool) -> Mode {
        if check {
            Mode::Check
        } else {
            Mode::Write
        }
    }
}

/// The targets named on the command line, or all of them when none is.
fn select(triples: &[String]) -> Result<Vec<targets::Target>> {
    if triples.is_empty() {
        return Ok(targets::TARGETS.to_vec());
    }
    triples
        .iter()
        .map(|triple| targets::find(triple).copied())
        .collect()
}

/// The workspace's root directory, the parent of this crate's.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

/// Where the checked-in bindings of `triple` live.
pub fn bindings_path(root: &Path, triple: &str) -> PathBuf {
    root.join("resource-sys/src/bindings")
        .join(format!("{triple}.rs"))
}
