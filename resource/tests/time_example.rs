//! The `time` example against GNU time (`/usr/bin/time -v`): the same peak memory within
//! 10 % for a command whose memory is its own and for one whose memory is a grandchild's,
//! and the same exit status.

use std::path::{Path, PathBuf};
use std::process::Command;

const GNU_TIME: &str = "/usr/bin/time";

/// 200 MB in the child itself.
const PYTHON: [&str; 3] = ["python3", "-c", "b = b'x' * 200_000_000"];
/// 200 MB in `sort`, a grandchild that the shell waits for.
const PIPELINE: [&str; 3] = [
    "sh",
    "-c",
    "head -c 200000000 /dev/zero | sort | tail -c 1 >/dev/null",
];
/// A command that fails, for the exit status.
const FAILING: [&str; 3] = ["sh", "-c", "exit 7"];

/// What both tools say about one run.
#[derive(Debug)]
struct Figures {
    maxrss_kbytes: u64,
    exit_status: i32,
    /// The tool's own exit code, which should be the command's.
    exit_code: Option<i32>,
}

#[test]
fn peak_memory_and_exit_status_agree_with_gnu_time() {
    if !Path::new(GNU_TIME).exists() {
        println!("skipped: {GNU_TIME} is missing (apt-get install time)");
        return;
    }
    for command in [PYTHON, PIPELINE, FAILING] {
        let ours = run_example(&command);
        let gnu = run_gnu_time(&command);
        println!("{command:?}: example {ours:?}, GNU time {gnu:?}");

        assert_eq!(ours.exit_status, gnu.exit_status, "{command:?}");
        assert_eq!(ours.exit_code, gnu.exit_code, "{command:?}");

        // The peak of a tiny command is mostly the memory of the process it was forked
        // from (Linux counts the image `exec` replaced), which differs between the tools.
        if command == FAILING {
            continue;
        }
        let (low, high) = (gnu.maxrss_kbytes * 9 / 10, gnu.maxrss_kbytes * 11 / 10);
        assert!(
            (low..=high).contains(&ours.maxrss_kbytes),
            "{command:?}: {} kB, GNU time {} kB",
            ours.maxrss_kbytes,
            gnu.maxrss_kbytes
        );
    }
}

#[test]
fn the_text_report_uses_gnu_times_labels() {
    if !Path::new(GNU_TIME).exists() {
        println!("skipped: {GNU_TIME} is missing (apt-get install time)");
        return;
    }
    let (ours, exit_code) = report_of(&mut Command::new(example()), &FAILING);
    assert_eq!(exit_code, Some(7));
    let (gnu, _) = gnu_time(&FAILING);

    // Each line we print is a line GNU time prints, label for label.
    let label = |line: &str| line.split_once(':').map(|(label, _)| label.to_string());
    let gnu_labels: Vec<_> = gnu.lines().filter_map(label).collect();
    for line in ours.lines().filter(|line| line.starts_with('\t')) {
        let ours = label(line).unwrap();
        assert!(gnu_labels.contains(&ours), "`{ours}` is not in:\n{gnu}");
    }
    assert!(
        ours.starts_with("Command exited with non-zero status 7\n"),
        "{ours}"
    );
    assert!(ours.contains("\tExit status: 7\n"), "{ours}");
}

/// The example's figures for `command`, from its JSON report.
fn run_example(command: &[&str]) -> Figures {
    let (text, exit_code) = report_of(Command::new(example()).arg("--json"), command);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    Figures {
        maxrss_kbytes: json["maximum_resident_set_size_kbytes"].as_u64().unwrap(),
        exit_status: json["exit_status"].as_i64().unwrap() as i32,
        exit_code,
    }
}

/// GNU time's figures for `command`, from its verbose text.
fn run_gnu_time(command: &[&str]) -> Figures {
    let (text, exit_code) = gnu_time(command);
    let field = |label: &str| -> u64 {
        let line = text
            .lines()
            .find_map(|line| line.trim().strip_prefix(label));
        line.unwrap_or_else(|| panic!("no `{label}` in:\n{text}"))
            .trim()
            .parse()
            .unwrap()
    };
    Figures {
        maxrss_kbytes: field("Maximum resident set size (kbytes):"),
        exit_status: field("Exit status:") as i32,
        exit_code,
    }
}

/// GNU time's verbose report on `command`, and its exit code.
fn gnu_time(command: &[&str]) -> (String, Option<i32>) {
    report_of(Command::new(GNU_TIME).arg("-v"), command)
}

/// The report `tool` writes with `-o FILE` on `command`, and the tool's exit code.
fn report_of(tool: &mut Command, command: &[&str]) -> (String, Option<i32>) {
    let report = temporary("report");
    let status = tool.arg("-o").arg(&report).args(command).status().unwrap();
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::remove_file(&report).unwrap();
    (text, status.code())
}

/// The `time` example, which `cargo test` builds next to this test's directory.
fn example() -> PathBuf {
    let deps = std::env::current_exe().unwrap();
    let profile = deps.parent().unwrap().parent().unwrap();
    let example = profile.join("examples").join("time");
    assert!(
        example.exists(),
        "{} is missing: `cargo test` builds it unless a test target is named; \
         run `cargo build -p resource --example time` first",
        example.display()
    );
    example
}

/// A file name in the temporary directory, unique to this process and `purpose`.
fn temporary(purpose: &str) -> PathBuf {
    let thread = format!("{:?}", std::thread::current().id());
    let thread: String = thread.chars().filter(char::is_ascii_digit).collect();
    std::env::temp_dir().join(format!(
        "resource-time-{}-{thread}-{purpose}",
        std::process::id()
    ))
}
