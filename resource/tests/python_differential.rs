//! The crate against Python's `resource` module on the same machine: every `RLIMIT_*`,
//! `RUSAGE_*` and `RLIM_*` constant Python exposes exists here with the same value, and
//! `getrlimit` agrees for every resource.

use std::collections::BTreeMap;
use std::process::Command;

use resource::{getrlimit, Limit, Resource, Rlimit, Who};

/// Prints `const NAME VALUE` for each constant, then `limit NAME SOFT HARD` for each resource
/// (or `limit NAME error` where Python cannot read it).
const SCRIPT: &str = r#"
import resource
names = sorted(n for n in dir(resource) if n.startswith(("RLIMIT_", "RUSAGE_", "RLIM_")))
for name in names:
    print("const", name, getattr(resource, name))
for name in names:
    if name.startswith("RLIMIT_"):
        try:
            soft, hard = resource.getrlimit(getattr(resource, name))
            print("limit", name, soft, hard)
        except (ValueError, OSError):
            print("limit", name, "error")
"#;

/// What Python printed: constants by name, and the limits of each resource by name (`None`
/// where Python could not read them).
struct Python {
    constants: BTreeMap<String, i128>,
    limits: BTreeMap<String, Option<(i128, i128)>>,
}

/// Runs the script, or `None` where there is no `python3` to run it.
fn ask_python() -> Option<Python> {
    let output = match Command::new("python3").args(["-c", SCRIPT]).output() {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return None,
        Err(error) => panic!("cannot run python3: {error}"),
    };
    assert!(
        output.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut python = Python {
        constants: BTreeMap::new(),
        limits: BTreeMap::new(),
    };
    let number = |text: &str| text.parse::<i128>().expect("Python prints integers");
    for line in String::from_utf8(output.stdout).expect("ASCII").lines() {
        let words: Vec<&str> = line.split(' ').collect();
        match words.as_slice() {
            ["const", name, value] => {
                python.constants.insert(name.to_string(), number(value));
            }
            ["limit", name, "error"] => {
                python.limits.insert(name.to_string(), None);
            }
            ["limit", name, soft, hard] => {
                let pair = (number(soft), number(hard));
                python.limits.insert(name.to_string(), Some(pair));
            }
            _ => panic!("unexpected line from python3: {line}"),
        }
    }
    Some(python)
}

/// Python's value of `RLIM_INFINITY` (-1 before 3.13, `2**64 - 1` after, on glibc).
fn python_infinity(python: &Python) -> i128 {
    python.constants["RLIM_INFINITY"]
}

/// A Python limit as a [`Limit`]: its infinity, or an amount.
fn as_limit(python: &Python, value: i128) -> Limit {
    if value == python_infinity(python) {
        Limit::Infinity
    } else {
        Limit::Finite(u64::try_from(value).expect("Python reports no negative amount"))
    }
}

/// The bits of a value as C's 64-bit `rlim_t` holds them, whatever sign Python gives it.
fn bits(value: i128) -> u64 {
    value.rem_euclid(1 << 64) as u64
}

/// The `getrusage` selector of the crate called `name`, where the target has it.
fn who_named(name: &str) -> Option<Who> {
    Who::all().iter().copied().find(|who| who.name() == name)
}

/// The `RLIM_*` limit value of the crate called `name`, where the target has it.
fn limit_named(name: &str) -> Option<Limit> {
    match name {
        "RLIM_INFINITY" => Some(resource::RLIM_INFINITY),
        #[cfg(resource_has = "RLIM_SAVED_CUR")]
        "RLIM_SAVED_CUR" => Some(resource::RLIM_SAVED_CUR),
        #[cfg(resource_has = "RLIM_SAVED_MAX")]
        "RLIM_SAVED_MAX" => Some(resource::RLIM_SAVED_MAX),
        _ => None,
    }
}

/// The resource of the crate called `name`, where the target has it.
fn resource_named(name: &str) -> Option<Resource> {
    Resource::all()
        .iter()
        .copied()
        .find(|resource| resource.name() == name)
}

/// Fails unless the crate has `name` with Python's `value`.
fn check_constant(python: &Python, name: &str, value: i128) {
    let missing = format!("Python has {name} = {value}, resource does not");
    if name.starts_with("RLIMIT_") {
        let resource = resource_named(name).expect(&missing);
        assert_eq!(i128::from(resource.as_raw()), value, "{name}");
    } else if name.starts_with("RUSAGE_") {
        let who = who_named(name).expect(&missing);
        assert_eq!(i128::from(who.as_raw()), value, "{name}");
    } else if name == "RLIM_NLIMITS" {
        #[cfg(resource_has = "RLIM_NLIMITS")]
        assert_eq!(Some(resource::RLIM_NLIMITS), usize::try_from(value).ok());
        #[cfg(not(resource_has = "RLIM_NLIMITS"))]
        panic!("{missing}");
    } else {
        let limit = limit_named(name).expect(&missing);
        assert_eq!(limit, as_limit(python, value), "{name}");
    }
}

#[test]
fn python_constants_exist_here_with_the_same_values() {
    let Some(python) = ask_python() else {
        println!("skipped: python3 is not installed");
        return;
    };
    assert!(python.constants.contains_key("RLIMIT_NOFILE"));
    for (name, value) in &python.constants {
        check_constant(&python, name, *value);
    }

    // Python's infinity is C's, whichever sign Python gives it.
    #[allow(clippy::unnecessary_cast)]
    let c_infinity = resource_sys::RLIM_INFINITY as u64;
    assert_eq!(bits(python_infinity(&python)), c_infinity);
}

#[test]
fn getrlimit_agrees_with_python_for_every_resource() {
    let Some(python) = ask_python() else {
        println!("skipped: python3 is not installed");
        return;
    };
    assert!(!python.limits.is_empty());
    for (name, limits) in &python.limits {
        let resource = resource_named(name).expect("checked by the constants test");
        let ours = getrlimit(resource);
        match limits {
            Some((soft, hard)) => {
                let theirs = Rlimit {
                    soft: as_limit(&python, *soft),
                    hard: as_limit(&python, *hard),
                };
                assert_eq!(ours.unwrap(), theirs, "{name}");
            }
            None => assert!(ours.is_err(), "{name}: Python could not read it"),
        }
    }
}
