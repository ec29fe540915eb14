//! `cargo xtask verify`: proves, for every target and without running anything, that the
//! checked-in bindings say what the target's C headers say. Each value, size, alignment,
//! offset and signedness becomes a `_Static_assert` in a C file compiled with
//! `clang --target=<target> -fsyntax-only` against that target's headers.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

use crate::layout::{Bindings, Scalar};
use crate::targets::{self, Target};
use crate::toolchain::Toolchain;
use crate::{bindings_path, names};

/// The C structures whose layout is checked, by their names in the bindings.
const STRUCTS: &[&str] = &["rlimit", "rusage", "timeval"];

/// One assertion: a C integer constant expression and the value the bindings give it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// What is checked, in C terms: `RLIMIT_NOFILE`, `sizeof(struct rusage)`, ...
    pub label: String,
    /// The C expression.
    pub expr: String,
    /// Its value according to the bindings.
    pub expected: i128,
}

/// Verifies every target of `selected`, reporting all failures before failing.
pub fn run(root: &Path, selected: &[Target]) -> Result<()> {
    let toolchain = Toolchain::get()?;
    let mut failures = Vec::new();
    let mut total = 0;
    for target in selected {
        let checks = checks_for(root, target)?;
        total += checks.len();
        let mismatches = verify_target(toolchain, target, &checks)?;
        eprintln!(
            "verify: {}: {} checks, {} failed",
            target.triple,
            checks.len(),
            mismatches.len()
        );
        failures.extend(mismatches);
    }
    if !failures.is_empty() {
        bail!(
            "{} of {total} checks failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
    eprintln!(
        "verify: {total} checks passed on {} targets",
        selected.len()
    );
    Ok(())
}

/// Every check the checked-in bindings of `target` imply.
pub fn checks_for(root: &Path, target: &Target) -> Result<Vec<Check>> {
    let path = bindings_path(root, target.triple);
    let text = fs::read_to_string(&path).with_context(|| {
        format!(
            "reading {}; run `cargo xtask bindings` first",
            path.display()
        )
    })?;
    let bindings = Bindings::parse(&text).with_context(|| format!("parsing {}", path.display()))?;
    let long_size = rust_long_size(target)?;
    let mut checks = Vec::new();

    // Each constant: value, size and signedness of its type.
    for constant in &bindings.constants {
        let name = &constant.name;
        let scalar = bindings.scalar(&constant.ty, long_size)?;
        checks.push(check(name, name, constant.value));
        checks.push(size_check(&format!("sizeof({name})"), name, scalar));
        checks.push(sign_check(&format!("__typeof__({name})"), scalar));
    }

    // `rlim_t`: width and signedness.
    let rlim = bindings.scalar("rlim_t", long_size)?;
    checks.push(size_check("sizeof(rlim_t)", "rlim_t", rlim));
    checks.push(sign_check("rlim_t", rlim));

    // Each structure: size, alignment, and every member's offset and size.
    for name in STRUCTS {
        let c_type = format!("struct {name}");
        checks.push(check(
            &format!("sizeof({c_type})"),
            &format!("sizeof({c_type})"),
            bindings.size_of(name)?.into(),
        ));
        checks.push(check(
            &format!("_Alignof({c_type})"),
            &format!("_Alignof({c_type})"),
            bindings.align_of(name)?.into(),
        ));
        for field in bindings.fields(name, long_size)? {
            let member = &field.name;
            checks.push(check(
                &format!("offsetof({c_type}, {member})"),
                &format!("offsetof({c_type}, {member})"),
                field.offset.into(),
            ));
            checks.push(check(
                &format!("sizeof({c_type}.{member})"),
                &format!("sizeof((({c_type} *)0)->{member})"),
                field.size.into(),
            ));
        }
    }
    Ok(checks)
}

/// A check that `expr` equals `expected`.
fn check(label: &str, expr: &str, expected: i128) -> Check {
    Check {
        label: label.to_string(),
        expr: expr.to_string(),
        expected,
    }
}

/// A check of the size of `expr`, a type or an expression.
fn size_check(label: &str, expr: &str, scalar: Scalar) -> Check {
    check(label, &format!("sizeof({expr})"), scalar.size.into())
}

/// A check that `c_type` is signed exactly when the bindings' type is.
fn sign_check(c_type: &str, scalar: Scalar) -> Check {
    check(
        &format!("{c_type} is signed"),
        &format!("(({c_type})-1 < 0)"),
        scalar.signed.into(),
    )
}

/// The size of C `long` in Rust for `target`, from rustc's own description of it.
fn rust_long_size(target: &Target) -> Result<u64> {
    let output = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .args(["--print", "cfg", "--target", target.triple])
        .output()
        .context("running rustc --print cfg")?;
    let cfg = String::from_utf8_lossy(&output.stdout);
    let width = cfg
        .lines()
        .find_map(|line| line.strip_prefix("target_pointer_width=\""))
        .and_then(|width| width.trim_end_matches('"').parse::<u64>().ok());
    match width {
        Some(bits) => Ok(bits / 8),
        None => bail!("rustc does not know the target {}", target.triple),
    }
}

/// Compiles the checks for `target` and describes each one C disagrees with.
pub fn verify_target(
    toolchain: &Toolchain,
    target: &Target,
    checks: &[Check],
) -> Result<Vec<String>> {
    let source = assertions(checks);
    let failed = failed_markers(toolchain, target, &source, "check")?;
    if failed.is_empty() {
        return Ok(Vec::new());
    }

    // Read the C value of each failed check back, one bit per assertion.
    let failed: Vec<usize> = failed.keys().copied().collect();
    let values = c_values(toolchain, target, checks, &failed)?;
    Ok(failed
        .iter()
        .map(|index| {
            let check = &checks[*index];
            format!(
                "{}: {} is {} in the bindings but {} in C",
                target.triple, check.label, check.expected, values[index]
            )
        })
        .collect())
}

/// The C file asserting every check, each assertion marked with its index.
fn assertions(checks: &[Check]) -> String {
    let mut source = String::from(names::C_PRELUDE);
    source.push_str("#include <stddef.h>\n\n");
    for (index, check) in checks.iter().enumerate() {
        source.push_str(&format!(
            "_Static_assert(({}) == {}, \"[check {index}] {} is {} in the bindings\");\n",
            check.expr,
            literal(check.expected),
            check.label.replace('"', "'"),
            check.expected
        ));
    }
    source
}

/// `value` as a C literal of a type wide enough for it.
fn literal(value: i128) -> String {
    if value < 0 {
        format!("({value}LL)")
    } else {
        format!("{value}ULL")
    }
}

/// The C values of the checks at `failed`, read with one assertion per bit and sign.
fn c_values(
    toolchain: &Toolchain,
    target: &Target,
    checks: &[Check],
    failed: &[usize],
) -> Result<BTreeMap<usize, i128>> {
    let mut source = String::from(names::C_PRELUDE);
    source.push_str("#include <stddef.h>\n\n");
    for index in failed {
        let expr = &checks[*index].expr;
        for bit in 0..64 {
            source.push_str(&format!(
                "_Static_assert(!(((unsigned long long)({expr}) >> {bit}) & 1), \
                 \"[bit {index} {bit}]\");\n"
            ));
        }
        source.push_str(&format!(
            "_Static_assert(!(({expr}) < 0), \"[bit {index} 64]\");\n"
        ));
    }
    let set = failed_markers(toolchain, target, &source, "bit")?;
    let mut values = BTreeMap::new();
    for index in failed {
        let bits = set.get(index).cloned().unwrap_or_default();
        let raw: u64 = bits
            .iter()
            .filter(|bit| **bit < 64)
            .map(|bit| 1u64 << bit)
            .sum();
        let value = if bits.contains(&64) {
            i128::from(raw as i64)
        } else {
            i128::from(raw)
        };
        values.insert(*index, value);
    }
    Ok(values)
}

/// Compiles `source` for `target` and returns the markers `[<kind> N ...]` of the failed
/// assertions, by N with the numbers that follow it; any other error fails.
fn failed_markers(
    toolchain: &Toolchain,
    target: &Target,
    source: &str,
    kind: &str,
) -> Result<BTreeMap<usize, Vec<u32>>> {
    let stderr = compile(toolchain, target, source)?;
    let mut failed: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
    let mut other_errors = Vec::new();
    for line in stderr.lines().filter(|line| line.contains("error:")) {
        let marker = line
            .split_once(&format!("[{kind} "))
            .and_then(|(_, rest)| rest.split_once(']'))
            .map(|(marker, _)| marker);
        let Some(marker) = marker else {
            other_errors.push(line);
            continue;
        };
        let mut numbers = marker
            .split(' ')
            .filter_map(|number| number.parse::<u64>().ok());
        let index = numbers.next().unwrap_or_default() as usize;
        let entry = failed.entry(index).or_default();
        entry.extend(numbers.map(|number| number as u32));
    }
    if !other_errors.is_empty() {
        bail!(
            "{}: the checks do not compile:\n{}",
            target.triple,
            other_errors.join("\n")
        );
    }
    Ok(failed)
}

/// Runs `clang -fsyntax-only` over `source` for `target`, returning its diagnostics.
fn compile(toolchain: &Toolchain, target: &Target, source: &str) -> Result<String> {
    let mut child = Command::new(&toolchain.clang)
        .arg(format!("--target={}", targets::clang_target(target)))
        .args(toolchain.clang_args(target)?)
        .args(["-fsyntax-only", "-ferror-limit=0", "-x", "c", "-"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("running {}", toolchain.clang.display()))?;
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(source.as_bytes())?;
    let output = child.wait_with_output()?;
    Ok(String::from_utf8_lossy(&output.stderr).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace_root;

    /// The host passes, and a wrong value fails naming target, name and both values.
    #[test]
    fn a_wrong_value_is_named_with_both_values() {
        let toolchain = Toolchain::get().unwrap();
        let target = targets::find("x86_64-unknown-linux-gnu").unwrap();
        let mut checks = checks_for(&workspace_root(), target).unwrap();
        assert!(verify_target(toolchain, target, &checks)
            .unwrap()
            .is_empty());

        let nofile = checks
            .iter_mut()
            .find(|check| check.label == "RLIMIT_NOFILE")
            .unwrap();
        nofile.expected = 8;
        let children = checks
            .iter_mut()
            .find(|check| check.label == "RUSAGE_CHILDREN")
            .unwrap();
        children.expected = -2;
        let failures = verify_target(toolchain, target, &checks).unwrap();
        assert_eq!(
            failures,
            [
                "x86_64-unknown-linux-gnu: RLIMIT_NOFILE is 8 in the bindings but 7 in C",
                "x86_64-unknown-linux-gnu: RUSAGE_CHILDREN is -2 in the bindings but -1 in C",
            ]
        );
    }

    /// Every member of glibc's `struct rusage` is checked, union members included.
    #[test]
    fn checks_cover_every_rusage_member() {
        let target = targets::find("i686-unknown-linux-gnu").unwrap();
        let checks = checks_for(&workspace_root(), target).unwrap();
        let expected = |label: &str| {
            checks
                .iter()
                .find(|check| check.label == label)
                .unwrap_or_else(|| panic!("no check of {label}"))
                .expected
        };
        assert_eq!(expected("offsetof(struct rusage, ru_maxrss)"), 16);
        assert_eq!(expected("sizeof(struct rusage.ru_nivcsw)"), 4);
        assert_eq!(expected("RLIM_INFINITY"), i128::from(u64::MAX));
        assert_eq!(expected("rlim_t is signed"), 0);
    }
}
