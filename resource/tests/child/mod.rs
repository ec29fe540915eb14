//! Running a test's body in a child process (a re-exec of the test binary), so that the limits
//! it changes are never those of the test runner, and reading the process's capabilities.

// Each test binary that includes this module uses a different part of it.
#![allow(dead_code)]

use std::env;
use std::process::Command;

/// The variable that tells a re-executed test binary which test to run for real.
const CHILD_TEST: &str = "RESOURCE_TEST_CHILD";

/// Runs `body` in a fresh process of this test binary that runs only the test `name`, and
/// fails unless that process ran exactly that test and it passed.
///
/// `name` is the test's path in its binary (for a test at the top of an integration test
/// file, its function name). In the child, `body` runs directly.
pub fn in_child_process(name: &str, body: impl FnOnce()) {
    if env::var_os(CHILD_TEST).is_some_and(|running| running == name) {
        body();
        return;
    }

    // Re-run this binary on the one test, with the variable set so it takes the branch above.
    let output = Command::new(env::current_exe().expect("the test binary's path"))
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_TEST, name)
        .output()
        .expect("re-running the test binary");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    print!("{stdout}");
    eprint!("{stderr}");

    // A filter that matched nothing would pass with 0 tests: require exactly this one.
    assert!(
        output.status.success(),
        "the child process of {name} failed"
    );
    assert!(
        stdout.contains("test result: ok. 1 passed"),
        "the child process did not run {name}"
    );
}

/// Whether the calling process has `capability` in its effective set: what the kernel
/// checks, where the uid says nothing.
pub fn has_capability(capability: caps::Capability) -> bool {
    caps::has_cap(None, caps::CapSet::Effective, capability)
        .expect("the capabilities of this process are readable")
}

/// Whether the calling process has `CAP_SYS_RESOURCE` in effect, which lets it raise hard
/// limits.
pub fn has_cap_sys_resource() -> bool {
    has_capability(caps::Capability::CAP_SYS_RESOURCE)
}

/// Whether a test that needs the process to lack `CAP_SYS_RESOURCE` must be skipped; says so
/// when it must.
pub fn skipped_for_privilege(test: &str) -> bool {
    let privileged = has_cap_sys_resource();
    if privileged {
        println!("{test}: skipped, CAP_SYS_RESOURCE is in effect and the kernel would allow it");
    }
    privileged
}

/// The kernel's ceiling on open-file limits: `fs.nr_open`, read as the tests' own reference.
pub fn nr_open() -> u64 {
    let text = std::fs::read_to_string("/proc/sys/fs/nr_open").expect("/proc/sys/fs/nr_open");
    text.trim().parse().expect("fs.nr_open is a number")
}
