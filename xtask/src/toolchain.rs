//! The compiler and headers every target is read with: one LLVM release for both bindgen
//! (libclang) and the `clang` driver, clang's builtin headers, and Zig's bundled libc headers
//! (the `ziglang` package on PyPI).

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use anyhow::{anyhow, bail, Context, Result};

use crate::targets::{self, Target};

/// The oldest LLVM whose clang knows LoongArch; older ones know every other CPU of the list.
const LOONGARCH_LLVM: u32 = 16;

/// The release of the `ziglang` package whose headers the checked-in bindings come from.
const ZIG_VERSION: &str = "0.17.1";

/// The LLVM installation and header directories every target is compiled with.
#[derive(Debug)]
pub struct Toolchain {
    /// The clang driver of the same release as the libclang bindgen loads.
    pub clang: PathBuf,
    /// The major version of that LLVM.
    major: u32,
    /// Clang's builtin headers (`stddef.h`, `stdint.h`, ...).
    builtin: PathBuf,
    /// Zig's `lib/libc/include`.
    libc_root: PathBuf,
}

impl Toolchain {
    /// Finds the toolchain once per process, pointing bindgen's libclang loader at it.
    pub fn get() -> Result<&'static Toolchain> {
        static TOOLCHAIN: OnceLock<Result<Toolchain, String>> = OnceLock::new();
        TOOLCHAIN
            .get_or_init(|| Toolchain::locate().map_err(|error| format!("{error:#}")))
            .as_ref()
            .map_err(|error| anyhow!("{error}"))
    }

    /// Locates LLVM, clang's builtin headers and Zig's libc headers, or says how to
    /// install them.
    fn locate() -> Result<Toolchain> {
        let llvm = llvm_dir()?;
        eprintln!("toolchain: {}", llvm.display());

        // Bindgen loads libclang from LIBCLANG_PATH; set it before any thread loads it.
        if env::var_os("LIBCLANG_PATH").is_none() {
            env::set_var("LIBCLANG_PATH", llvm.join("lib"));
        }
        let clang = llvm.join("bin/clang");
        let resource = resource_dir(&clang)?;
        let major = resource
            .file_name()
            .and_then(|name| name.to_str()?.split('.').next()?.parse().ok())
            .ok_or_else(|| anyhow!("no LLVM version in {}", resource.display()))?;
        let builtin = resource.join("include");
        if !builtin.join("stddef.h").is_file() {
            bail!(
                "clang's builtin headers are missing from {}",
                builtin.display()
            );
        }

        // Zig's libc headers.
        let libc_root = zig_package_dir()?.join("lib/libc/include");
        if !libc_root.join("generic-glibc").is_dir() {
            bail!(
                "{} holds no libc headers; reinstall them with `pip install ziglang=={ZIG_VERSION}`",
                libc_root.display()
            );
        }
        Ok(Toolchain {
            clang,
            major,
            builtin,
            libc_root,
        })
    }

    /// The clang arguments, after `--target`, that compile C for `target` against its own
    /// headers only: `-nostdinc` keeps every host directory out.
    pub fn clang_args(&self, target: &Target) -> Result<Vec<String>> {
        if target.triple.starts_with("loongarch") && self.major < LOONGARCH_LLVM {
            bail!(
                "{}: clang {} does not know LoongArch; install clang and libclang \
                 {LOONGARCH_LLVM} or newer: \
                 `apt-get install clang-{LOONGARCH_LLVM} libclang-{LOONGARCH_LLVM}-dev`",
                target.triple,
                self.major
            );
        }
        let mut args = vec!["-nostdinc".to_string()];

        // Clang's builtin headers first, then the libc's, most specific first, as Zig does.
        let mut dirs = vec![self.builtin.clone()];
        for name in targets::header_dir_names(target) {
            let dir = self.libc_root.join(&name);
            if !dir.is_dir() {
                bail!("{}: no header directory {}", target.triple, dir.display());
            }
            dirs.push(dir);
        }
        for dir in dirs {
            args.push("-isystem".to_string());
            args.push(dir.display().to_string());
        }

        // The release the headers are read as.
        args.extend(targets::version_defines(target.libc));
        Ok(args)
    }
}

/// The LLVM installation to use: the one holding `LIBCLANG_PATH` when it is set, else the
/// newest Debian `/usr/lib/llvm-N` with both clang and libclang.
fn llvm_dir() -> Result<PathBuf> {
    if let Some(path) = env::var_os("LIBCLANG_PATH") {
        let lib = PathBuf::from(path);
        return match lib.parent() {
            Some(llvm) if llvm.join("bin/clang").is_file() => Ok(llvm.to_path_buf()),
            _ => bail!(
                "LIBCLANG_PATH={} has no ../bin/clang beside it",
                lib.display()
            ),
        };
    }
    let mut found: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let version: u32 = name.strip_prefix("llvm-")?.parse().ok()?;
            let dir = entry.path();
            let complete = dir.join("bin/clang").is_file() && has_libclang(&dir.join("lib"));
            complete.then_some((version, dir))
        })
        .collect();
    found.sort();
    match found.pop() {
        Some((_, dir)) => Ok(dir),
        None => bail!(
            "clang and libclang are needed; install them with \
             `apt-get install clang-{LOONGARCH_LLVM} libclang-{LOONGARCH_LLVM}-dev`, \
             or set LIBCLANG_PATH"
        ),
    }
}

/// Whether `lib` holds a loadable libclang.
fn has_libclang(lib: &Path) -> bool {
    fs::read_dir(lib)
        .into_iter()
        .flatten()
        .flatten()
        .any(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            name.starts_with("libclang.so") || name.starts_with("libclang-") && name.contains(".so")
        })
}

/// Clang's resource directory, which holds its builtin headers.
fn resource_dir(clang: &Path) -> Result<PathBuf> {
    let output = Command::new(clang)
        .arg("-print-resource-dir")
        .output()
        .with_context(|| format!("cannot run {}", clang.display()))?;
    if !output.status.success() {
        bail!("`{} -print-resource-dir` failed", clang.display());
    }
    let dir = String::from_utf8(output.stdout).context("clang printed non-UTF-8")?;
    Ok(PathBuf::from(dir.trim()))
}

/// The directory of the installed `ziglang` Python package, warning when its version is
/// not the one the checked-in bindings were written from.
fn zig_package_dir() -> Result<PathBuf> {
    let script = "import ziglang, os, importlib.metadata as m; \
                  print(m.version('ziglang')); print(os.path.dirname(ziglang.__file__))";
    let output = Command::new("python3").args(["-c", script]).output();
    let stdout = match output {
        Ok(output) if output.status.success() => {
            String::from_utf8(output.stdout).context("python3 printed non-UTF-8")?
        }
        _ => bail!("Zig's libc headers are not installed; install them with `pip install ziglang=={ZIG_VERSION}`"),
    };
    let (version, dir) = stdout
        .trim()
        .split_once('\n')
        .ok_or_else(|| anyhow!("unexpected output from python3: {stdout}"))?;
    if version != ZIG_VERSION {
        eprintln!(
            "warning: ziglang {version} is installed; the bindings come from `pip install ziglang=={ZIG_VERSION}`"
        );
    }
    Ok(PathBuf::from(dir))
}
