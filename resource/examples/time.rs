//! A `/usr/bin/time -v` for the figures `struct rusage` provides: runs a command, then
//! prints what it used with GNU time's labels (or as JSON) and exits with its status.
//!
//! ```text
//! cargo run -p resource --example time -- python3 -c "b = b'x' * 200_000_000"
//! cargo run -p resource --example time -- --json sh -c 'sort /etc/services >/dev/null'
//! ```

use std::fs::File;
use std::io::{self, Write};
use std::os::unix::process::ExitStatusExt as _;
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Duration;

use clap::Parser;
use resource::{getpagesize, run_with_usage, CommandUsage};
use serde::Serialize;

/// Run a command, then report the resources it used, as GNU time's verbose mode does.
///
/// The maximum resident set size is the peak of the process that ran the command, which on
/// Linux starts as a copy of this one: a command smaller than this program (about 3 MB)
/// reports this program's size.
#[derive(Parser)]
#[command(name = "time")]
struct Arguments {
    /// Write the report as JSON instead of GNU time's verbose text.
    #[arg(long)]
    json: bool,

    /// Write the report to FILE instead of standard error.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// The command to run and its arguments.
    #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
    command: Vec<String>,
}

/// What GNU time's verbose mode prints that `struct rusage` provides, in its order.
#[derive(Serialize)]
struct Report {
    command: Vec<String>,
    user_time_seconds: f64,
    system_time_seconds: f64,
    /// `None` when the command took no measurable wall-clock time, where GNU time prints `?%`.
    percent_of_cpu: Option<u64>,
    elapsed_wall_clock_seconds: f64,
    maximum_resident_set_size_kbytes: u64,
    major_page_faults: i64,
    minor_page_faults: i64,
    voluntary_context_switches: i64,
    involuntary_context_switches: i64,
    swaps: i64,
    file_system_inputs: i64,
    file_system_outputs: i64,
    socket_messages_sent: i64,
    socket_messages_received: i64,
    signals_delivered: i64,
    page_size_bytes: usize,
    /// The exit status; `None` when a signal ended the command.
    exit_status: Option<i32>,
    /// The signal that ended the command, if one did.
    terminated_by_signal: Option<i32>,
    #[serde(skip)]
    user_time: Duration,
    #[serde(skip)]
    system_time: Duration,
    #[serde(skip)]
    wall_time: Duration,
}

fn main() -> ExitCode {
    let arguments = Arguments::parse();

    // Run the command; like GNU time, 127 when it is missing and 126 when it cannot run.
    let (program, rest) = arguments.command.split_first().expect("clap requires one");
    let run = match run_with_usage(Command::new(program).args(rest)) {
        Ok(run) => run,
        Err(error) => {
            eprintln!("time: cannot run {program}: {error}");
            let missing = error.kind() == io::ErrorKind::NotFound;
            return ExitCode::from(if missing { 127 } else { 126 });
        }
    };

    // Report what it used where asked, then exit as the command did.
    let report = Report::new(arguments.command.clone(), &run);
    let written = write_report(&report, arguments.json, arguments.output.as_deref());
    if let Err(error) = written {
        eprintln!("time: cannot write the report: {error}");
    }
    report.exit_code()
}

impl Report {
    /// The report on `command`, which ran as `run` says.
    fn new(command: Vec<String>, run: &CommandUsage) -> Report {
        let usage = &run.usage;
        let cpu = usage.ru_utime + usage.ru_stime;
        let wall_millis = run.wall_time.as_millis();
        Report {
            command,
            user_time_seconds: usage.ru_utime.as_secs_f64(),
            system_time_seconds: usage.ru_stime.as_secs_f64(),
            percent_of_cpu: (wall_millis > 0)
                .then(|| u64::try_from(cpu.as_millis() * 100 / wall_millis).unwrap_or(u64::MAX)),
            elapsed_wall_clock_seconds: run.wall_time.as_secs_f64(),
            maximum_resident_set_size_kbytes: usage.maxrss_bytes() / 1024,
            major_page_faults: usage.ru_majflt,
            minor_page_faults: usage.ru_minflt,
            voluntary_context_switches: usage.ru_nvcsw,
            involuntary_context_switches: usage.ru_nivcsw,
            swaps: usage.ru_nswap,
            file_system_inputs: usage.ru_inblock,
            file_system_outputs: usage.ru_oublock,
            socket_messages_sent: usage.ru_msgsnd,
            socket_messages_received: usage.ru_msgrcv,
            signals_delivered: usage.ru_nsignals,
            page_size_bytes: getpagesize(),
            exit_status: run.status.code(),
            terminated_by_signal: run.status.signal(),
            user_time: usage.ru_utime,
            system_time: usage.ru_stime,
            wall_time: run.wall_time,
        }
    }

    /// GNU time's verbose text: the same labels, units and rounding.
    fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        // How the command ended, when it did not succeed.
        match (self.exit_status, self.terminated_by_signal) {
            (Some(0), _) => {}
            (Some(code), _) => writeln!(out, "Command exited with non-zero status {code}")?,
            (None, Some(signal)) => writeln!(out, "Command terminated by signal {signal}")?,
            (None, None) => {}
        }

        // The figures, one per line.
        let percent = self
            .percent_of_cpu
            .map_or_else(|| "?%".to_string(), |percent| format!("{percent}%"));
        let lines: [(&str, String); 18] = [
            (
                "Command being timed",
                format!("\"{}\"", self.command.join(" ")),
            ),
            ("User time (seconds)", seconds(self.user_time)),
            ("System time (seconds)", seconds(self.system_time)),
            ("Percent of CPU this job got", percent),
            (
                "Elapsed (wall clock) time (h:mm:ss or m:ss)",
                clock(self.wall_time),
            ),
            (
                "Maximum resident set size (kbytes)",
                self.maximum_resident_set_size_kbytes.to_string(),
            ),
            (
                "Major (requiring I/O) page faults",
                self.major_page_faults.to_string(),
            ),
            (
                "Minor (reclaiming a frame) page faults",
                self.minor_page_faults.to_string(),
            ),
            (
                "Voluntary context switches",
                self.voluntary_context_switches.to_string(),
            ),
            (
                "Involuntary context switches",
                self.involuntary_context_switches.to_string(),
            ),
            ("Swaps", self.swaps.to_string()),
            ("File system inputs", self.file_system_inputs.to_string()),
            ("File system outputs", self.file_system_outputs.to_string()),
            (
                "Socket messages sent",
                self.socket_messages_sent.to_string(),
            ),
            (
                "Socket messages received",
                self.socket_messages_received.to_string(),
            ),
            ("Signals delivered", self.signals_delivered.to_string()),
            ("Page size (bytes)", self.page_size_bytes.to_string()),
            // GNU time prints the exit code part of the status, 0 after a signal.
            ("Exit status", self.exit_status.unwrap_or(0).to_string()),
        ];
        for (label, value) in lines {
            writeln!(out, "\t{label}: {value}")?;
        }
        Ok(())
    }

    /// GNU time's exit code: the command's, or 128 plus the signal that ended it.
    fn exit_code(&self) -> ExitCode {
        let code = match (self.exit_status, self.terminated_by_signal) {
            (Some(code), _) => code,
            (None, Some(signal)) => 128 + signal,
            (None, None) => 1,
        };
        ExitCode::from(u8::try_from(code).unwrap_or(u8::MAX))
    }
}

/// Writes `report` as text or JSON to `output`, or to standard error.
fn write_report(report: &Report, json: bool, output: Option<&std::path::Path>) -> io::Result<()> {
    let mut out: Box<dyn Write> = match output {
        Some(path) => Box::new(File::create(path)?),
        None => Box::new(io::stderr().lock()),
    };
    if json {
        serde_json::to_writer_pretty(&mut out, report)?;
        writeln!(out)?;
    } else {
        report.write_text(&mut out)?;
    }
    out.flush()
}

/// Seconds with two decimals, truncated as GNU time's `%U` and `%S` do.
fn seconds(time: Duration) -> String {
    format!("{}.{:02}", time.as_secs(), time.subsec_millis() / 10)
}

/// GNU time's `%E`: `h:mm:ss` from an hour on, `m:ss.cc` below.
fn clock(time: Duration) -> String {
    let total = time.as_secs();
    let (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        let hundredths = time.subsec_millis() / 10;
        format!("{}:{seconds:02}.{hundredths:02}", total / 60)
    }
}
