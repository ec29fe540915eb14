//! The targets bindings are checked in for, and which of Zig's libc header directories
//! make up each one's C library.

use anyhow::{bail, Result};

use crate::generate;

/// The C library a target's headers come from, with the version Zig's headers are set to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Libc {
    /// GNU libc on Linux, with its minor version (`__GLIBC_MINOR__`).
    Glibc(u32),
    /// musl on Linux.
    Musl,
    /// Apple's libc on macOS.
    Darwin,
    /// FreeBSD's libc.
    FreeBsd,
    /// NetBSD's libc.
    NetBsd,
    /// OpenBSD's libc.
    OpenBsd,
}

impl Libc {
    /// Every C library, in the order support tables list them.
    pub const ALL: [Libc; 6] = [
        Libc::Glibc(0),
        Libc::Musl,
        Libc::Darwin,
        Libc::FreeBsd,
        Libc::NetBsd,
        Libc::OpenBsd,
    ];

    /// The name of the system as people call it, for tables and messages.
    pub fn family(self) -> &'static str {
        match self {
            Libc::Glibc(_) => "Linux glibc",
            Libc::Musl => "Linux musl",
            Libc::Darwin => "macOS",
            Libc::FreeBsd => "FreeBSD",
            Libc::NetBsd => "NetBSD",
            Libc::OpenBsd => "OpenBSD",
        }
    }

    /// Whether `self` and `other` are the same C library, whatever their versions.
    pub fn same_family(self, other: Libc) -> bool {
        std::mem::discriminant(&self) == std::mem::discriminant(&other)
    }
}

/// One target: its Rust triple and the Zig header directories that make up its libc.
#[derive(Clone, Copy, Debug)]
pub struct Target {
    /// The Rust target triple, which also names the checked-in file.
    pub triple: &'static str,
    /// The C library.
    pub libc: Libc,
    /// The `<arch>-<os>-<abi>` directory holding the CPU-specific libc headers.
    pub arch_dir: &'static str,
    /// The `<arch>` of the `<arch>-linux-any` directory holding the kernel's headers, on Linux.
    pub kernel_dir: Option<&'static str>,
}

/// A Linux target: its libc's `<arch>-linux-<abi>` directory and the kernel's
/// `<arch>-linux-any` directory, both named by their `<arch>`.
const fn linux(
    triple: &'static str,
    libc: Libc,
    arch: &'static str,
    kernel: &'static str,
) -> Target {
    Target {
        triple,
        libc,
        arch_dir: arch,
        kernel_dir: Some(kernel),
    }
}

/// A target whose headers are its libc's generic directory plus one CPU directory.
const fn bsd(triple: &'static str, libc: Libc, arch: &'static str) -> Target {
    Target {
        triple,
        libc,
        arch_dir: arch,
        kernel_dir: None,
    }
}

/// Glibc 2.31, the version Zig assumes for 64-bit CPUs.
const GLIBC: Libc = Libc::Glibc(31);
/// Glibc 2.34, the first with the 64-bit time interface that Zig assumes for 32-bit CPUs.
const GLIBC_TIME64: Libc = Libc::Glibc(34);
/// Glibc 2.32, the first with IEEE 128-bit `long double` on little-endian POWER.
const GLIBC_PPC64LE: Libc = Libc::Glibc(32);
/// Glibc 2.36, the first for LoongArch.
const GLIBC_LOONGARCH: Libc = Libc::Glibc(36);

/// Every target bindings are checked in for: the one list the generator, the verifier and
/// the support table work from. Directory names are those under Zig's `lib/libc/include`.
#[rustfmt::skip]
pub const TARGETS: &[Target] = &[
    linux("x86_64-unknown-linux-gnu",        GLIBC,           "x86-linux-gnu",          "x86"),
    linux("x86_64-unknown-linux-gnux32",     GLIBC,           "x86-linux-gnu",          "x86"),
    linux("i686-unknown-linux-gnu",          GLIBC_TIME64,    "x86-linux-gnu",          "x86"),
    linux("aarch64-unknown-linux-gnu",       GLIBC,           "aarch64-linux-gnu",      "aarch64"),
    linux("armv7-unknown-linux-gnueabihf",   GLIBC_TIME64,    "arm-linux-gnu",          "arm"),
    linux("arm-unknown-linux-gnueabi",       GLIBC_TIME64,    "arm-linux-gnu",          "arm"),
    linux("riscv64gc-unknown-linux-gnu",     GLIBC,           "riscv-linux-gnu",        "riscv"),
    linux("powerpc64le-unknown-linux-gnu",   GLIBC_PPC64LE,   "powerpc-linux-gnu",      "powerpc"),
    linux("powerpc-unknown-linux-gnu",       GLIBC_TIME64,    "powerpc-linux-gnu",      "powerpc"),
    linux("s390x-unknown-linux-gnu",         GLIBC,           "s390x-linux-gnu",        "s390x"),
    linux("mips64-unknown-linux-gnuabi64",   GLIBC,           "mips-linux-gnu",         "mips"),
    linux("mips64el-unknown-linux-gnuabi64", GLIBC,           "mips-linux-gnu",         "mips"),
    linux("mipsel-unknown-linux-gnu",        GLIBC_TIME64,    "mips-linux-gnu",         "mips"),
    linux("loongarch64-unknown-linux-gnu",   GLIBC_LOONGARCH, "loongarch-linux-gnu",    "loongarch"),
    linux("sparc64-unknown-linux-gnu",       GLIBC,           "sparc-linux-gnu",        "sparc"),
    linux("x86_64-unknown-linux-musl",       Libc::Musl,      "x86_64-linux-musl",      "x86"),
    linux("i686-unknown-linux-musl",         Libc::Musl,      "x86-linux-musl",         "x86"),
    linux("aarch64-unknown-linux-musl",      Libc::Musl,      "aarch64-linux-musl",     "aarch64"),
    linux("armv7-unknown-linux-musleabihf",  Libc::Musl,      "arm-linux-musl",         "arm"),
    linux("riscv64gc-unknown-linux-musl",    Libc::Musl,      "riscv64-linux-musl",     "riscv"),
    linux("powerpc64le-unknown-linux-musl",  Libc::Musl,      "powerpc64-linux-musl",   "powerpc"),
    linux("s390x-unknown-linux-musl",        Libc::Musl,      "s390x-linux-musl",       "s390x"),
    linux("mips64-unknown-linux-muslabi64",  Libc::Musl,      "mips64-linux-musl",      "mips"),
    linux("loongarch64-unknown-linux-musl",  Libc::Musl,      "loongarch64-linux-musl", "loongarch"),
    linux("hexagon-unknown-linux-musl",      Libc::Musl,      "hexagon-linux-musl",     "hexagon"),
    bsd("x86_64-apple-darwin",               Libc::Darwin,    "any-darwin-any"),
    bsd("aarch64-apple-darwin",              Libc::Darwin,    "any-darwin-any"),
    bsd("x86_64-unknown-freebsd",            Libc::FreeBsd,   "x86_64-freebsd-none"),
    bsd("aarch64-unknown-freebsd",           Libc::FreeBsd,   "aarch64-freebsd-none"),
    bsd("i686-unknown-freebsd",              Libc::FreeBsd,   "x86-freebsd-none"),
    bsd("riscv64gc-unknown-freebsd",         Libc::FreeBsd,   "riscv64-freebsd-none"),
    bsd("powerpc64le-unknown-freebsd",       Libc::FreeBsd,   "powerpc64-freebsd-none"),
    bsd("x86_64-unknown-netbsd",             Libc::NetBsd,    "x86_64-netbsd-none"),
    bsd("aarch64-unknown-netbsd",            Libc::NetBsd,    "aarch64-netbsd-none"),
    bsd("i686-unknown-netbsd",               Libc::NetBsd,    "x86-netbsd-none"),
    bsd("armv7-unknown-netbsd-eabihf",       Libc::NetBsd,    "arm-netbsd-eabi"),
    bsd("x86_64-unknown-openbsd",            Libc::OpenBsd,   "x86_64-openbsd-none"),
    bsd("aarch64-unknown-openbsd",           Libc::OpenBsd,   "aarch64-openbsd-none"),
    bsd("i686-unknown-openbsd",              Libc::OpenBsd,   "x86-openbsd-none"),
    bsd("riscv64gc-unknown-openbsd",         Libc::OpenBsd,   "riscv64-openbsd-none"),
];

/// Finds a target of [`TARGETS`] by its triple.
pub fn find(triple: &str) -> Result<&'static Target> {
    match TARGETS.iter().find(|target| target.triple == triple) {
        Some(target) => Ok(target),
        None => bail!("`{triple}` is not in the target list of xtask/src/targets.rs"),
    }
}

/// The names of the header directories of `target` under Zig's `lib/libc/include`, most
/// specific first, as Zig searches them.
pub fn header_dir_names(target: &Target) -> Vec<String> {
    let generic = match target.libc {
        Libc::Glibc(_) => Some("generic-glibc"),
        Libc::Musl => Some("generic-musl"),
        Libc::Darwin => None,
        Libc::FreeBsd => Some("generic-freebsd"),
        Libc::NetBsd => Some("generic-netbsd"),
        Libc::OpenBsd => Some("generic-openbsd"),
    };
    let mut names = vec![target.arch_dir.to_string()];
    names.extend(generic.map(str::to_string));
    if let Some(kernel) = target.kernel_dir {
        names.push(format!("{kernel}-linux-any"));
        names.push("any-linux-any".to_string());
    }
    names
}

/// The `-D` arguments naming the libc release, which Zig's patched headers expect the
/// compiler to define.
pub fn version_defines(libc: Libc) -> Vec<String> {
    match libc {
        Libc::Glibc(minor) => vec![format!("-D__GLIBC_MINOR__={minor}")],
        Libc::Musl | Libc::Darwin => Vec::new(),
        Libc::FreeBsd => vec!["-D__FreeBSD_version=1400500".to_string()],
        Libc::NetBsd => vec!["-D__NetBSD_Version__=1001000000".to_string()],
        Libc::OpenBsd => vec![
            "-D___OpenBSD=202510".to_string(),
            "-DOpenBSD7_8".to_string(),
        ],
    }
}

/// The triple clang is given for `target`, the same for bindgen and for the verifier.
pub fn clang_target(target: &Target) -> String {
    generate::clang_target(target.triple)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triples_are_unique_and_known_to_the_generator() {
        let mut triples: Vec<&str> = TARGETS.iter().map(|target| target.triple).collect();
        triples.sort_unstable();
        let count = triples.len();
        triples.dedup();
        assert_eq!(triples.len(), count, "a triple is listed twice");
        assert!(count >= 30, "only {count} targets");
        assert_eq!(find("aarch64-apple-darwin").unwrap().libc, Libc::Darwin);
        assert!(find("x86_64-pc-windows-msvc").is_err());
    }

    #[test]
    fn linux_targets_search_libc_then_kernel_headers() {
        let names = header_dir_names(find("i686-unknown-linux-gnu").unwrap());
        assert_eq!(
            names,
            [
                "x86-linux-gnu",
                "generic-glibc",
                "x86-linux-any",
                "any-linux-any"
            ]
        );
        assert_eq!(version_defines(Libc::Glibc(34)), ["-D__GLIBC_MINOR__=34"]);
    }
}
