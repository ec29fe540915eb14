//! Runs the `prlimit` example and holds it to util-linux `prlimit(1)`: the same tables byte
//! for byte, the same exit codes, and changes that read back.
//!
//! The example's binary is found next to this test's: `cargo test` builds a package's
//! examples before it runs the integration tests, into `target/<profile>/examples/`. Running
//! this test target alone (`cargo test --test prlimit_example`) does not build examples;
//! build it first with `cargo build -p resource --example prlimit`.
//!
//! Every limit changed here is a child's: the test runner's own limits never change.

#![cfg(target_os = "linux")]

mod child;

use child::has_cap_sys_resource;

use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use resource::{Limit, Rlimit, RLIMIT_NOFILE};

/// util-linux's `prlimit`, which .ci/run installs.
const UTIL_LINUX: &str = "/usr/bin/prlimit";

/// The example's binary, built by `cargo test` next to this test's.
fn example() -> PathBuf {
    let test = std::env::current_exe().expect("the test binary's path");
    let profile = test
        .parent()
        .and_then(Path::parent)
        .expect("the test binary lives in target/<profile>/deps");
    let example = profile.join("examples").join("prlimit");
    assert!(
        example.is_file(),
        "{} is missing: run `cargo test -p resource`, which builds the examples, or \
         `cargo build -p resource --example prlimit` first",
        example.display()
    );
    example
}

/// Runs the example with `args`.
fn ours(args: &[&str]) -> Output {
    run(Command::new(example()).args(args))
}

/// Runs util-linux's `prlimit` with `args`, or says why the comparison is skipped.
fn theirs(args: &[&str]) -> Option<Output> {
    if !Path::new(UTIL_LINUX).is_file() {
        println!("comparison with util-linux skipped: {UTIL_LINUX} is not installed");
        return None;
    }
    // Named as a shell would call it, since `getopt` starts its messages with `argv[0]`.
    Some(run(Command::new(UTIL_LINUX).arg0("prlimit").args(args)))
}

/// Runs `command` to completion, capturing its output.
fn run(command: &mut Command) -> Output {
    command.stdin(Stdio::null());
    command.output().expect("the program starts")
}

/// Runs both with `args` and asserts the same standard output and exit status; returns ours.
fn same_output(args: &[&str]) -> Output {
    let ours = ours(args);
    if let Some(theirs) = theirs(args) {
        assert_eq!(
            text(&ours.stdout),
            text(&theirs.stdout),
            "standard output of prlimit {args:?}"
        );
        assert_eq!(ours.status.code(), theirs.status.code(), "prlimit {args:?}");
    }
    ours
}

/// Runs both with `args` and asserts the same exit status and standard error (a failure
/// worded as util-linux words it); returns ours.
fn same_failure(args: &[&str]) -> Output {
    let ours = ours(args);
    assert!(ours.stdout.is_empty(), "prlimit {args:?} printed {ours:?}");
    if let Some(theirs) = theirs(args) {
        assert_eq!(ours.status.code(), theirs.status.code(), "prlimit {args:?}");
        assert_eq!(
            text(&ours.stderr),
            text(&theirs.stderr),
            "standard error of prlimit {args:?}"
        );
    }
    ours
}

/// Bytes as text, for messages that show what differs.
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Asserts that `output` failed with status 1 and one line on standard error containing
/// every one of `words`, and returns that line.
fn one_error_line(output: &Output, words: &[&str]) -> String {
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(output.stdout.is_empty(), "{output:?}");
    let stderr = text(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "not one line: {stderr:?}");
    for word in words {
        assert!(stderr.contains(word), "{word:?} missing from {stderr:?}");
    }
    stderr
}

/// A `sleep 30` whose open-file limits are 512:1024, started through the example; killed
/// when dropped.
struct Sleeper {
    child: Child,
}

impl Sleeper {
    /// The open-file limits every sleeper starts with.
    const NOFILE: Rlimit = Rlimit {
        soft: Limit::Finite(512),
        hard: Limit::Finite(1024),
    };

    /// Starts one and waits until it runs `sleep`, its limits set.
    fn start() -> Self {
        let child = Command::new(example())
            .args(["--nofile=512:1024", "--", "sleep", "30"])
            .stdin(Stdio::null())
            .spawn()
            .expect("the example starts");
        let sleeper = Sleeper { child };
        sleeper.wait_for_exec();
        assert_eq!(sleeper.nofile(), Self::NOFILE);
        sleeper
    }

    /// Waits until the example has replaced itself with `sleep`.
    fn wait_for_exec(&self) {
        let comm = format!("/proc/{}/comm", self.pid());
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::fs::read_to_string(&comm).ok().as_deref() != Some("sleep\n") {
            assert!(Instant::now() < deadline, "sleep never started");
            thread::sleep(Duration::from_millis(5));
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Its pid, as an argument.
    fn pid_arg(&self) -> String {
        self.pid().to_string()
    }

    /// Its open-file limits, read with the crate.
    fn nofile(&self) -> Rlimit {
        resource::prlimit(self.pid(), RLIMIT_NOFILE, None).expect("the sleeper is alive")
    }
}

impl Drop for Sleeper {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_default_table_is_util_linux_byte_for_byte() {
    let output = same_output(&[]);
    assert!(output.status.success(), "{output:?}");
    let table = text(&output.stdout);

    // One row per distinct resource: NOFILE once, its alias OFILE never.
    let names: Vec<&str> = table.lines().filter_map(|l| l.split(' ').next()).collect();
    assert_eq!(names.first(), Some(&"RESOURCE"));
    assert_eq!(names.iter().filter(|name| **name == "NOFILE").count(), 1);
    assert!(!names.contains(&"OFILE"), "{table}");
    assert_eq!(names.len(), 1 + resource::Resource::distinct().count());
}

#[test]
fn another_process_table_is_util_linux_byte_for_byte() {
    let sleeper = Sleeper::start();
    let pid = sleeper.pid_arg();
    let output = same_output(&["-p", &pid]);
    assert!(output.status.success(), "{output:?}");
    let nofile = text(&output.stdout)
        .lines()
        .find(|line| line.starts_with("NOFILE "))
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "));
    assert_eq!(
        nofile.as_deref(),
        Some("NOFILE max number of open files 512 1024 files")
    );
}

#[test]
fn output_forms_are_util_linux_byte_for_byte() {
    let sleeper = Sleeper::start();
    let pid = sleeper.pid_arg();
    for args in [
        &["--raw"][..],
        &["--noheadings"],
        &["--raw", "--noheadings"],
        &["-o", "resource,soft"],
        &["--output=Hard,UNITS,resource"],
        &["-o", "units,resource", "--nice"],
        &["--noheadings", "-o", "description,units", "-e", "-r"],
        &["--raw", "-o", "ReSoUrCe,description", "-p", &pid],
    ] {
        let output = same_output(args);
        assert!(output.status.success(), "{args:?}: {output:?}");
    }

    // Raw form escapes the blanks of descriptions.
    let raw = text(&same_output(&["--raw", "--nofile"]).stdout);
    assert!(
        raw.contains("max\\x20number\\x20of\\x20open\\x20files"),
        "{raw}"
    );
}

#[test]
fn named_resources_are_shown_in_command_line_order() {
    let output = same_output(&["--stack", "--nofile", "-t", "--stack"]);
    let names: Vec<String> = text(&output.stdout)
        .lines()
        .filter_map(|line| line.split(' ').next().map(str::to_string))
        .collect();
    assert_eq!(names, ["RESOURCE", "STACK", "NOFILE", "CPU", "STACK"]);
}

#[test]
fn each_form_of_limit_sets_and_reads_back() {
    let sleeper = Sleeper::start();
    let pid = sleeper.pid_arg();
    let steps = [
        ("--nofile=256:", Rlimit::new(256, 1024)),
        ("--nofile=:800", Rlimit::new(256, 800)),
        ("--nofile=300", Rlimit::new(300, 300)),
        ("-n=100:200", Rlimit::new(100, 200)),
    ];
    for (option, expected) in steps {
        let output = ours(&["-p", &pid, option]);
        assert!(output.status.success(), "{option}: {output:?}");
        assert!(
            output.stdout.is_empty() && output.stderr.is_empty(),
            "{output:?}"
        );
        assert_eq!(sleeper.nofile(), expected, "after {option}");
    }

    // The example reads back what it set.
    let shown = ours(&[
        "-p",
        &pid,
        "--nofile",
        "--raw",
        "--noheadings",
        "-o",
        "soft,hard",
    ]);
    assert_eq!(text(&shown.stdout), "100 200\n");
}

#[test]
fn verbose_says_each_change_before_making_it() {
    let sleeper = Sleeper::start();
    let pid = sleeper.pid_arg();
    let output = ours(&["--verbose", "-p", &pid, "--nofile=128:"]);
    assert!(output.status.success(), "{output:?}");
    let expected = format!("New NOFILE limit for pid {pid}: <128:1024>\n");
    assert_eq!(text(&output.stdout), expected);
    assert_eq!(sleeper.nofile(), Rlimit::new(128, 1024));
}

#[test]
fn a_limit_with_trailing_characters_is_refused() {
    let sleeper = Sleeper::start();
    let pid = sleeper.pid_arg();
    for option in ["--nofile=1x", "--nofile=1:2x", "--nofile=", "--nofile=-1"] {
        let output = ours(&["-p", &pid, option]);
        one_error_line(&output, &["failed to parse NOFILE limit"]);
        assert_eq!(sleeper.nofile(), Sleeper::NOFILE, "after {option}");
    }
}

#[test]
fn a_soft_limit_above_the_hard_one_is_refused_before_the_call() {
    let sleeper = Sleeper::start();
    let pid = sleeper.pid_arg();
    for option in ["--nofile=2048:1024", "--nofile=2048:", "--nofile=:256"] {
        let args = ["-p", &pid, option];
        let output = ours(&args);
        let line = one_error_line(
            &output,
            &["the soft limit NOFILE cannot exceed the hard limit"],
        );
        // The kernel would have answered EINVAL.
        assert!(!line.contains("Invalid argument"), "{line}");
        assert_eq!(sleeper.nofile(), Sleeper::NOFILE, "after {option}");
        if let Some(theirs) = theirs(&args) {
            assert_eq!(output.status.code(), theirs.status.code(), "{option}");
        }
    }
}

#[test]
fn a_process_that_has_exited_is_one_line_naming_it() {
    let mut child = Command::new("true").spawn().expect("true starts");
    let pid = child.id().to_string();
    child.wait().expect("true ends");
    for args in [&["-p", &pid][..], &["-p", &pid, "--nofile=64"]] {
        let output = ours(args);
        one_error_line(&output, &[&format!("pid {pid}"), "No such process"]);
        if let Some(theirs) = theirs(args) {
            assert_eq!(output.status.code(), theirs.status.code(), "{args:?}");
        }
    }
}

#[test]
fn raising_a_hard_limit_without_privilege_is_a_permission_error() {
    if has_cap_sys_resource() {
        println!("skipped: this process has CAP_SYS_RESOURCE, so raising a hard limit succeeds");
        return;
    }
    let sleeper = Sleeper::start();
    let pid = sleeper.pid_arg();
    let args = ["-p", &pid, "--nofile=:2048"];
    let output = ours(&args);
    one_error_line(
        &output,
        &[
            "failed to set the NOFILE resource limit",
            &format!("pid {pid}"),
            "Operation not permitted",
        ],
    );
    assert_eq!(sleeper.nofile(), Sleeper::NOFILE);
    if let Some(theirs) = theirs(&args) {
        assert_eq!(output.status.code(), theirs.status.code());
    }
}

#[test]
fn a_command_runs_under_the_limits() {
    let args = [
        "--nofile=512:1024",
        "--",
        "sh",
        "-c",
        "ulimit -n; ulimit -Hn",
    ];
    let output = same_output(&args);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(text(&output.stdout), "512\n1024\n");

    // The command's exit status is the example's.
    let failing = same_output(&["--core=0", "sh", "-c", "exit 3"]);
    assert_eq!(failing.status.code(), Some(3));
}

#[test]
fn a_command_that_cannot_run_fails_as_in_util_linux() {
    // A missing command: 127.
    let missing = same_failure(&["--nofile=512:1024", "no-such-command-for-prlimit"]);
    assert_eq!(missing.status.code(), Some(127));
    assert_eq!(
        text(&missing.stderr),
        "prlimit: failed to execute no-such-command-for-prlimit: No such file or directory\n"
    );

    // A file that is not executable: 126.
    let not_executable = std::env::temp_dir().join(format!("prlimit-{}", std::process::id()));
    std::fs::write(&not_executable, "#!/bin/sh\n").expect("a file in the temporary directory");
    let path = not_executable.to_str().expect("a UTF-8 temporary path");
    let refused = same_failure(&["--nofile=512:1024", path]);
    std::fs::remove_file(&not_executable).expect("the file is removed");
    assert_eq!(refused.status.code(), Some(126));
}

#[test]
fn bad_arguments_are_usage_errors_as_in_util_linux() {
    for args in [
        &["--bogus"][..],
        &["-z"],
        &["--raw=1"],
        &["--pid"],
        &["-p", "abc"],
        &["-p", "1", "-p", "2"],
        &["-p", "1", "true"],
        &["-o", "bogus"],
    ] {
        let output = same_failure(args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(!output.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn help_and_version_succeed() {
    let help = same_output(&["--help"]);
    assert!(help.status.success());
    assert!(text(&help.stdout).contains(" -n, --nofile "));
    let version = ours(&["-V"]);
    assert!(version.status.success());
    assert!(text(&version.stdout).starts_with("prlimit "));
}
