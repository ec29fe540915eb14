//! `prlimit`: shows and changes the resource limits of a process, a drop-in for util-linux
//! `prlimit(1)` built on this crate.
//!
//! ```text
//! cargo run -p resource --example prlimit                          # every limit of this process
//! cargo run -p resource --example prlimit -- --pid 1234 --nofile   # one limit of process 1234
//! cargo run -p resource --example prlimit -- -p 1234 --nofile=512: # change its soft limit
//! cargo run -p resource --example prlimit -- --cpu=10 sort hugefile  # run a command under a limit
//! ```
//!
//! The options, the table (columns, alignment, `--raw` escapes), the messages and the exit
//! codes are those of util-linux 2.38. Where this version deliberately differs:
//! - a limit with trailing characters (`--nofile=1x`) is refused, not read as `1`;
//! - short options take a value only after `=` (`-n=512`, as util-linux documents it), not
//!   glued on (`-n512`);
//! - the table is printed before a command runs even when standard output is a pipe
//!   (util-linux loses it there, because `exec` discards its unflushed output);
//! - errors from the system call name the process and the values asked for;
//! - no truncation to the terminal's width.
//!
//! Resources util-linux does not know (those of the BSDs and others) get their own long
//! option, description and units.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::{self, Write as _};
use std::os::unix::process::CommandExt as _;
use std::process::{self, ExitCode};

use clap::{Arg, ArgAction, ArgMatches, CommandFactory as _, FromArgMatches as _, Parser};
use resource::{Resource, Rlimit, RlimitChange};

/// The name the messages start with, as util-linux's do.
const PROGRAM: &str = "prlimit";

/// Exit status for a usage or system call error.
const FAILURE: u8 = 1;

/// Exit status when the command exists but cannot be run (util-linux `EX_EXEC_FAILED`).
const EXEC_FAILED: u8 = 126;

/// Exit status when the command does not exist (util-linux `EX_EXEC_ENOENT`).
const EXEC_NOT_FOUND: u8 = 127;

fn main() -> ExitCode {
    match run(std::env::args_os()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

/// Parses the command line, applies each request in order, shows the limits asked for and
/// runs the command, if any.
fn run(args: impl IntoIterator<Item = OsString>) -> Result<(), Failure> {
    let invocation = match parse(args)? {
        Parsed::Run(invocation) => invocation,
        Parsed::Print(text) => return print(&text),
    };

    // Change or read each resource named, in command-line order.
    let mut shown = Vec::new();
    for &Request { resource, change } in &invocation.requests {
        match change {
            Some(change) => change_limits(&invocation, resource, change)?,
            None => shown.push((resource, read_limits(invocation.pid, resource)?)),
        }
    }

    // Show what was read, then hand the process over to the command.
    if !shown.is_empty() {
        print(&render(&invocation.table, &shown))?;
    }
    match invocation.command.split_first() {
        Some((program, args)) => Err(exec(program, args)),
        None => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// Resources: names, options, descriptions and units
// ---------------------------------------------------------------------------------------------

/// How `prlimit` presents one resource.
struct Known {
    /// The C name, such as `RLIMIT_NOFILE`.
    c_name: &'static str,
    /// The long option, such as `nofile` for `--nofile`.
    long: &'static str,
    /// The short option util-linux gives it, if any.
    short: Option<char>,
    /// The DESCRIPTION column.
    description: &'static str,
    /// The UNITS column; empty where util-linux leaves it empty.
    units: &'static str,
    /// The text of `--help` (a second line, if any, after a line break).
    help: &'static str,
}

/// Every resource `prlimit` knows, in the order of its `--help`: util-linux's sixteen with
/// util-linux's words, then those of other systems.
const KNOWN: &[Known] = &[
    Known {
        c_name: "RLIMIT_CORE",
        long: "core",
        short: Some('c'),
        description: "max core file size",
        units: "bytes",
        help: "maximum size of core files created",
    },
    Known {
        c_name: "RLIMIT_DATA",
        long: "data",
        short: Some('d'),
        description: "max data size",
        units: "bytes",
        help: "maximum size of a process's data segment",
    },
    Known {
        c_name: "RLIMIT_NICE",
        long: "nice",
        short: Some('e'),
        description: "max nice prio allowed to raise",
        units: "",
        help: "maximum nice priority allowed to raise",
    },
    Known {
        c_name: "RLIMIT_FSIZE",
        long: "fsize",
        short: Some('f'),
        description: "max file size",
        units: "bytes",
        help: "maximum size of files written by the process",
    },
    Known {
        c_name: "RLIMIT_SIGPENDING",
        long: "sigpending",
        short: Some('i'),
        description: "max number of pending signals",
        units: "signals",
        help: "maximum number of pending signals",
    },
    Known {
        c_name: "RLIMIT_MEMLOCK",
        long: "memlock",
        short: Some('l'),
        description: "max locked-in-memory address space",
        units: "bytes",
        help: "maximum size a process may lock into memory",
    },
    Known {
        c_name: "RLIMIT_RSS",
        long: "rss",
        short: Some('m'),
        description: "max resident set size",
        units: "bytes",
        help: "maximum resident set size",
    },
    Known {
        c_name: "RLIMIT_NOFILE",
        long: "nofile",
        short: Some('n'),
        description: "max number of open files",
        units: "files",
        help: "maximum number of open files",
    },
    Known {
        c_name: "RLIMIT_MSGQUEUE",
        long: "msgqueue",
        short: Some('q'),
        description: "max bytes in POSIX mqueues",
        units: "bytes",
        help: "maximum bytes in POSIX message queues",
    },
    Known {
        c_name: "RLIMIT_RTPRIO",
        long: "rtprio",
        short: Some('r'),
        description: "max real-time priority",
        units: "",
        help: "maximum real-time scheduling priority",
    },
    Known {
        c_name: "RLIMIT_STACK",
        long: "stack",
        short: Some('s'),
        description: "max stack size",
        units: "bytes",
        help: "maximum stack size",
    },
    Known {
        c_name: "RLIMIT_CPU",
        long: "cpu",
        short: Some('t'),
        description: "CPU time",
        units: "seconds",
        help: "maximum amount of CPU time in seconds",
    },
    Known {
        c_name: "RLIMIT_NPROC",
        long: "nproc",
        short: Some('u'),
        description: "max number of processes",
        units: "processes",
        help: "maximum number of user processes",
    },
    Known {
        c_name: "RLIMIT_AS",
        long: "as",
        short: Some('v'),
        description: "address space limit",
        units: "bytes",
        help: "size of virtual memory",
    },
    Known {
        c_name: "RLIMIT_LOCKS",
        long: "locks",
        short: Some('x'),
        description: "max number of file locks held",
        units: "locks",
        help: "maximum number of file locks",
    },
    Known {
        c_name: "RLIMIT_RTTIME",
        long: "rttime",
        short: Some('y'),
        description: "timeout for real-time tasks",
        units: "microsecs",
        help: "CPU time in microseconds a process scheduled\nunder real-time scheduling",
    },
    Known {
        c_name: "RLIMIT_AIO_MEM",
        long: "aio-mem",
        short: None,
        description: "max bytes locked for async I/O",
        units: "bytes",
        help: "maximum memory locked for asynchronous I/O",
    },
    Known {
        c_name: "RLIMIT_AIO_OPS",
        long: "aio-ops",
        short: None,
        description: "max outstanding async I/O operations",
        units: "operations",
        help: "maximum number of asynchronous I/O operations",
    },
    Known {
        c_name: "RLIMIT_FREEMEM",
        long: "freemem",
        short: None,
        description: "max share of free memory",
        units: "",
        help: "maximum share of free memory",
    },
    Known {
        c_name: "RLIMIT_KQUEUES",
        long: "kqueues",
        short: None,
        description: "max number of kqueues",
        units: "kqueues",
        help: "maximum number of kqueues",
    },
    Known {
        c_name: "RLIMIT_NPTS",
        long: "npts",
        short: None,
        description: "max number of pseudo-terminals",
        units: "terminals",
        help: "maximum number of pseudo-terminals",
    },
    Known {
        c_name: "RLIMIT_NTHR",
        long: "nthr",
        short: None,
        description: "max number of threads",
        units: "threads",
        help: "maximum number of threads",
    },
    Known {
        c_name: "RLIMIT_OFILE",
        long: "ofile",
        short: None,
        description: "max number of open files",
        units: "files",
        help: "maximum number of open files",
    },
    Known {
        c_name: "RLIMIT_PIPEBUF",
        long: "pipebuf",
        short: None,
        description: "max pipe buffer memory",
        units: "bytes",
        help: "maximum memory for pipe buffers",
    },
    Known {
        c_name: "RLIMIT_POSIXLOCKS",
        long: "posixlocks",
        short: None,
        description: "max number of POSIX locks held",
        units: "locks",
        help: "maximum number of POSIX locks",
    },
    Known {
        c_name: "RLIMIT_SBSIZE",
        long: "sbsize",
        short: None,
        description: "max socket buffer size",
        units: "bytes",
        help: "maximum size of socket buffers",
    },
    Known {
        c_name: "RLIMIT_SWAP",
        long: "swap",
        short: None,
        description: "max swap space",
        units: "bytes",
        help: "maximum swap space",
    },
    Known {
        c_name: "RLIMIT_THREADS",
        long: "threads",
        short: None,
        description: "max number of threads",
        units: "threads",
        help: "maximum number of threads",
    },
    Known {
        c_name: "RLIMIT_UMTXP",
        long: "umtxp",
        short: None,
        description: "max number of process-shared locks",
        units: "locks",
        help: "maximum number of process-shared locks",
    },
    Known {
        c_name: "RLIMIT_VMEM",
        long: "vmem",
        short: None,
        description: "virtual memory limit",
        units: "bytes",
        help: "maximum size of virtual memory",
    },
];

/// The presentation of `resource`, if it is one `prlimit` knows (a resource added to the
/// crate since is shown with its C name, and has no option).
fn presentation(resource: Resource) -> Option<&'static Known> {
    KNOWN.iter().find(|known| known.c_name == resource.name())
}

/// The RESOURCE column: the C name without `RLIMIT_`.
fn short_name(resource: Resource) -> &'static str {
    let name = resource.name();
    name.strip_prefix("RLIMIT_").unwrap_or(name)
}

/// The resources of this target that have an option, in the order of `--help`.
fn offered() -> impl Iterator<Item = (Resource, &'static Known)> {
    KNOWN.iter().filter_map(|known| {
        let resource = Resource::distinct().find(|r| r.name() == known.c_name)?;
        Some((resource, known))
    })
}

// ---------------------------------------------------------------------------------------------
// The command line
// ---------------------------------------------------------------------------------------------

/// The options other than the resources, which are added per target by [`command_line`].
#[derive(Parser, Debug)]
#[command(
    name = PROGRAM,
    disable_help_flag = true,
    disable_version_flag = true,
    infer_long_args = true,
    args_override_self = true
)]
struct Options {
    /// The process whose limits to show or change (the calling process by default).
    #[arg(short = 'p', long = "pid", action = ArgAction::Append)]
    pid: Vec<String>,
    /// The columns to show, comma-separated.
    #[arg(short = 'o', long = "output")]
    output: Option<String>,
    /// Leave out the heading line.
    #[arg(long)]
    noheadings: bool,
    /// Values separated by one space, blanks escaped.
    #[arg(long)]
    raw: bool,
    /// Say each change before making it.
    #[arg(long)]
    verbose: bool,
    /// Show the help.
    #[arg(short = 'h', long)]
    help: bool,
    /// Show the version.
    #[arg(short = 'V', long)]
    version: bool,
    /// The command to run under the limits, with its arguments.
    #[arg(trailing_var_arg = true, num_args = 1..)]
    command: Vec<OsString>,
}

/// What `--nofile` without a value stands for among the values: no argument of a command
/// line can contain a NUL byte, so no typed value is mistaken for it.
const SHOW: &str = "\0";

/// What the command line asked for.
enum Parsed {
    /// `--help` or `--version`: text to print.
    Print(String),
    /// Limits to show or change, and perhaps a command to run.
    Run(Invocation),
}

/// The work a command line describes.
struct Invocation {
    /// The process whose limits to read and change.
    pid: u32,
    /// Whether to say each change before making it.
    verbose: bool,
    /// How to show the limits read.
    table: Table,
    /// Each resource named, in command-line order (every resource when none is).
    requests: Vec<Request>,
    /// The command to run afterwards, and its arguments.
    command: Vec<OsString>,
}

/// One `--<resource>[=<limit>]` option.
struct Request {
    resource: Resource,
    /// The change asked for, or `None` to show the resource.
    change: Option<RlimitChange>,
}

/// Options and resource options, as util-linux's `getopt_long` accepts them.
fn command_line() -> clap::Command {
    offered().fold(Options::command(), |command, (_, known)| {
        let option = Arg::new(known.long)
            .long(known.long)
            .short(known.short)
            .num_args(0..=1)
            .require_equals(true)
            .default_missing_value(SHOW)
            .action(ArgAction::Append);
        command.arg(option)
    })
}

/// Reads the command line into the work it asks for.
fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Parsed, Failure> {
    // Let clap sort options from the command, then read the fixed options.
    let matches = command_line()
        .try_get_matches_from(args)
        .map_err(Failure::usage)?;
    let options = Options::from_arg_matches(&matches).map_err(Failure::usage)?;
    if options.help {
        return Ok(Parsed::Print(help()));
    }
    if options.version {
        return Ok(Parsed::Print(version()));
    }

    // Check the combinations util-linux refuses.
    let requests = requests(&matches)?;
    let pid = match options.pid.as_slice() {
        [] => None,
        [pid] => Some(parse_pid(pid)?),
        _ => return Err(Failure::new("option --pid may be specified only once")),
    };
    if pid.is_some_and(|pid| pid != 0) && !options.command.is_empty() {
        return Err(Failure::new(
            "options --pid and COMMAND are mutually exclusive",
        ));
    }
    let columns = match &options.output {
        Some(list) => parse_columns(list)?,
        None => Column::ALL.to_vec(),
    };

    // Without a resource named, every resource is shown.
    let requests = if requests.is_empty() {
        let all = Resource::distinct().map(|resource| Request {
            resource,
            change: None,
        });
        all.collect()
    } else {
        requests
    };
    Ok(Parsed::Run(Invocation {
        pid: pid.filter(|&pid| pid != 0).unwrap_or_else(process::id),
        verbose: options.verbose,
        table: Table {
            columns,
            headings: !options.noheadings,
            raw: options.raw,
        },
        requests,
        command: options.command,
    }))
}

/// The resource options, in command-line order, their limits parsed.
fn requests(matches: &ArgMatches) -> Result<Vec<Request>, Failure> {
    let mut positioned = Vec::new();
    for (resource, known) in offered() {
        let (Some(values), Some(indices)) = (
            matches.get_many::<String>(known.long),
            matches.indices_of(known.long),
        ) else {
            continue;
        };
        for (value, index) in values.zip(indices) {
            let change = match value.as_str() {
                SHOW => None,
                text => Some(text.parse::<RlimitChange>().map_err(|error| {
                    let name = short_name(resource);
                    Failure::new(format!("failed to parse {name} limit: {error}"))
                })?),
            };
            positioned.push((index, Request { resource, change }));
        }
    }
    positioned.sort_by_key(|(index, _)| *index);
    Ok(positioned.into_iter().map(|(_, request)| request).collect())
}

/// A `--pid` value: a decimal process id, 0 meaning the calling process.
fn parse_pid(text: &str) -> Result<u32, Failure> {
    let invalid = |why: &str| Failure::new(format!("invalid PID argument: '{text}'{why}"));
    match text.trim_start().parse::<i64>() {
        Ok(pid) => u32::try_from(pid)
            .ok()
            .filter(|&pid| i32::try_from(pid).is_ok())
            .ok_or_else(|| invalid(": Numerical result out of range")),
        Err(_) => Err(invalid("")),
    }
}

/// An `--output` list: column names separated by commas, in any case.
fn parse_columns(list: &str) -> Result<Vec<Column>, Failure> {
    list.split(',')
        .map(|name| {
            Column::ALL
                .into_iter()
                .find(|column| column.header().eq_ignore_ascii_case(name))
                .ok_or_else(|| Failure::new(format!("unknown column: {name}")))
        })
        .collect()
}

/// The text of `--help`, with the resource options of this target.
fn help() -> String {
    let mut text = HELP_OPTIONS.to_string();
    for (_, known) in offered() {
        let short = known
            .short
            .map_or("    ".to_string(), |c| format!("-{c}, "));
        let long = format!("--{}", known.long);
        let help = known.help.replace('\n', &format!("\n{:24}", ""));
        let _ = writeln!(text, " {short}{long:<18} {help}");
    }
    text.push_str(HELP_ARGUMENTS);

    // util-linux lists DESCRIPTION before RESOURCE here.
    let [resource, description, rest @ ..] = Column::ALL;
    for column in [description, resource].into_iter().chain(rest) {
        let _ = writeln!(text, " {:>11}  {}", column.header(), column.help());
    }
    text.push_str("\nFor more details see prlimit(1).\n");
    text
}

/// The part of `--help` before the resource options.
const HELP_OPTIONS: &str = "
Usage:
 prlimit [options] [--<resource>=<limit>] [-p PID]
 prlimit [options] [--<resource>=<limit>] COMMAND

Show or change the resource limits of a process.

Options:
 -p, --pid <pid>        process id
 -o, --output <list>    define which output columns to use
     --noheadings       don't print headings
     --raw              use the raw output format
     --verbose          verbose output
 -h, --help             display this help
 -V, --version          display version

Resources:
";

/// The part of `--help` between the resource options and the columns.
const HELP_ARGUMENTS: &str = "
Arguments:
 <limit> is defined as a range soft:hard, soft:, :hard or a value to
         define both limits (e.g. -e=0:10 -r=:10).

Available output columns:
";

/// The text of `--version`.
fn version() -> String {
    format!(
        "{PROGRAM} from the resource crate {}\n",
        env!("CARGO_PKG_VERSION")
    )
}

// ---------------------------------------------------------------------------------------------
// Reading and changing limits
// ---------------------------------------------------------------------------------------------

/// Applies `change` to `resource` of the invocation's process, reading the current limits
/// first when one side is to stay as it is.
fn change_limits(
    invocation: &Invocation,
    resource: Resource,
    change: RlimitChange,
) -> Result<(), Failure> {
    let name = short_name(resource);

    // Fill in the side left unchanged.
    let new = match change {
        RlimitChange {
            soft: Some(soft),
            hard: Some(hard),
        } => Rlimit { soft, hard },
        partial => {
            let current = limits_of(invocation.pid, resource, None).map_err(|error| {
                Failure::new(format!("failed to get old {name} limit: {error}"))
            })?;
            partial.apply(current)
        }
    };

    // Refuse a soft limit above the hard one before asking the system.
    if new.soft > new.hard {
        return Err(Failure::new(format!(
            "the soft limit {name} cannot exceed the hard limit (soft {}, hard {})",
            new.soft, new.hard
        )));
    }

    // Say it, then do it.
    if invocation.verbose {
        print(&format!(
            "New {name} limit for pid {}: <{}:{}>\n",
            invocation.pid, new.soft, new.hard
        ))?;
    }
    limits_of(invocation.pid, resource, Some(new)).map_err(|error| {
        Failure::new(format!("failed to set the {name} resource limit: {error}"))
    })?;
    Ok(())
}

/// The current limits of `resource` for process `pid`.
fn read_limits(pid: u32, resource: Resource) -> Result<Rlimit, Failure> {
    read_or_fall_back(pid, resource).map_err(|error| {
        let name = short_name(resource);
        Failure::new(format!("failed to get the {name} resource limit: {error}"))
    })
}

/// Reads the limits with `prlimit`, or from `/proc/<pid>/limits` when `prlimit` is refused,
/// saying so once on standard error.
#[cfg(all(
    resource_has = "prlimit",
    any(target_os = "linux", target_os = "android")
))]
fn read_or_fall_back(pid: u32, resource: Resource) -> io::Result<Rlimit> {
    static SAID: std::sync::Once = std::sync::Once::new();
    let (limits, source) = resource::read_limits(pid, resource)?;
    if source == resource::Source::ProcFile {
        SAID.call_once(|| {
            eprintln!("prlimit: pid {pid}: prlimit refused, limits read from /proc/{pid}/limits");
        });
    }
    Ok(limits)
}

/// Reads the limits: no other source than the calls of this system.
#[cfg(not(all(
    resource_has = "prlimit",
    any(target_os = "linux", target_os = "android")
)))]
fn read_or_fall_back(pid: u32, resource: Resource) -> io::Result<Rlimit> {
    limits_of(pid, resource, None)
}

/// Reads, and with `new` sets, the limits of `resource` for process `pid`: `prlimit`.
#[cfg(resource_has = "prlimit")]
fn limits_of(pid: u32, resource: Resource, new: Option<Rlimit>) -> io::Result<Rlimit> {
    resource::prlimit(pid, resource, new)
}

/// Reads, and with `new` sets, the limits of `resource` for this process, the only one
/// whose limits a system without `prlimit` lets us reach.
#[cfg(not(resource_has = "prlimit"))]
fn limits_of(pid: u32, resource: Resource, new: Option<Rlimit>) -> io::Result<Rlimit> {
    if pid != process::id() {
        return Err(io::Error::new(
            io::ErrorKind::Unsupported,
            format!("pid {pid}: without prlimit, only this process's limits can be reached"),
        ));
    }
    let old = resource::getrlimit(resource)?;
    if let Some(new) = new {
        resource::setrlimit(resource, new)?;
    }
    Ok(old)
}

/// Replaces this process with `program`, which inherits its limits; returns only on failure.
fn exec(program: &OsString, args: &[OsString]) -> Failure {
    let error = process::Command::new(program).args(args).exec();
    let code = match error.kind() {
        io::ErrorKind::NotFound => EXEC_NOT_FOUND,
        _ => EXEC_FAILED,
    };
    Failure {
        message: format!(
            "failed to execute {}: {}",
            program.to_string_lossy(),
            os_message(&error)
        ),
        code,
        try_help: false,
    }
}

/// The system's words for an error, without Rust's `(os error N)` suffix, as C's
/// `strerror` gives them.
fn os_message(error: &io::Error) -> String {
    let text = error.to_string();
    match error.raw_os_error() {
        Some(code) => text
            .strip_suffix(&format!(" (os error {code})"))
            .unwrap_or(&text)
            .to_string(),
        None => text,
    }
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

/// A column of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Resource,
    Description,
    Soft,
    Hard,
    Units,
}

impl Column {
    /// The columns in their default order.
    const ALL: [Column; 5] = [
        Column::Resource,
        Column::Description,
        Column::Soft,
        Column::Hard,
        Column::Units,
    ];

    /// The heading, which is also the name `--output` takes.
    fn header(self) -> &'static str {
        match self {
            Column::Resource => "RESOURCE",
            Column::Description => "DESCRIPTION",
            Column::Soft => "SOFT",
            Column::Hard => "HARD",
            Column::Units => "UNITS",
        }
    }

    /// The line of `--help` that describes the column.
    fn help(self) -> &'static str {
        match self {
            Column::Resource => "resource name",
            Column::Description => "resource description",
            Column::Soft => "soft limit",
            Column::Hard => "hard limit (ceiling)",
            Column::Units => "units",
        }
    }

    /// Whether values are aligned to the right (the numbers).
    fn right_aligned(self) -> bool {
        matches!(self, Column::Soft | Column::Hard)
    }

    /// The cell of this column for `resource` with `limits`.
    fn cell(self, resource: Resource, limits: Rlimit) -> String {
        let known = presentation(resource);
        match self {
            Column::Resource => short_name(resource).to_string(),
            Column::Description => known.map_or(resource.name(), |k| k.description).to_string(),
            Column::Soft => limits.soft.to_string(),
            Column::Hard => limits.hard.to_string(),
            Column::Units => known.map_or("", |k| k.units).to_string(),
        }
    }
}

/// How to lay out the limits read.
struct Table {
    columns: Vec<Column>,
    headings: bool,
    raw: bool,
}

/// The table of `rows` as libsmartcols prints it when standard output is not a terminal.
///
/// Each column is as wide as its widest cell or heading (the heading counts even when it is
/// not printed); one space separates columns; numbers are aligned right; the last column is
/// not padded on the right. In raw form, cells are separated by one space, with blanks,
/// backslashes and unprintable bytes escaped as `\xHH`.
fn render(table: &Table, rows: &[(Resource, Rlimit)]) -> String {
    // The cells, headings first.
    let headings = table
        .columns
        .iter()
        .map(|column| column.header().to_string());
    let mut lines: Vec<Vec<String>> = Vec::new();
    if table.headings {
        lines.push(headings.collect());
    }
    for &(resource, limits) in rows {
        let cells = table.columns.iter().map(|c| c.cell(resource, limits));
        lines.push(cells.collect());
    }

    // Raw form: no alignment at all.
    if table.raw {
        return lines
            .iter()
            .map(|cells| {
                let escaped: Vec<String> = cells.iter().map(|cell| escape_raw(cell)).collect();
                escaped.join(" ") + "\n"
            })
            .collect();
    }

    // Widths, counting every heading.
    let mut widths: Vec<usize> = table.columns.iter().map(|c| c.header().len()).collect();
    for cells in &lines {
        for (width, cell) in widths.iter_mut().zip(cells) {
            *width = (*width).max(cell.chars().count());
        }
    }

    // Pad each cell to its column.
    let last = table.columns.len().saturating_sub(1);
    let mut out = String::new();
    for cells in &lines {
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, cell)| match table.columns[i] {
                column if column.right_aligned() => format!("{cell:>0$}", widths[i]),
                _ if i == last => cell.clone(),
                _ => format!("{cell:<0$}", widths[i]),
            })
            .collect();
        out.push_str(&padded.join(" "));
        out.push('\n');
    }
    out
}

/// A cell of the raw form: blanks, `\` and unprintable bytes as `\xHH`.
fn escape_raw(cell: &str) -> String {
    let mut escaped = String::with_capacity(cell.len());
    for byte in cell.bytes() {
        if byte == b' ' || byte == b'\t' || byte == b'\\' || !(0x21..0x7f).contains(&byte) {
            let _ = write!(escaped, "\\x{byte:02x}");
        } else {
            escaped.push(char::from(byte));
        }
    }
    escaped
}

/// Writes `text` to standard output and flushes it, so that nothing is lost when a command
/// replaces this process.
fn print(text: &str) -> Result<(), Failure> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|error| Failure::new(format!("write error: {}", os_message(&error))))
}

// ---------------------------------------------------------------------------------------------
// Failures
// ---------------------------------------------------------------------------------------------

/// Why `prlimit` stops: the line for standard error and the exit status.
#[derive(Debug)]
struct Failure {
    message: String,
    code: u8,
    /// Whether to point at `--help` afterwards, as for a usage error.
    try_help: bool,
}

impl Failure {
    /// A failure with exit status 1.
    fn new(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code: FAILURE,
            try_help: false,
        }
    }

    /// A command line clap refused, told in `getopt`'s words.
    fn usage(error: clap::Error) -> Self {
        use clap::error::{ContextKind, ContextValue, ErrorKind};

        let context = |kind| match error.get(kind) {
            Some(ContextValue::String(text)) => text.clone(),
            _ => String::new(),
        };
        let option = context(ContextKind::InvalidArg);
        let option = option.split_whitespace().next().unwrap_or_default();
        let message = match error.kind() {
            ErrorKind::UnknownArgument if option.starts_with("--") => {
                format!("unrecognized option '{option}'")
            }
            ErrorKind::UnknownArgument => {
                let letter = option.trim_start_matches('-').chars().next();
                format!("invalid option -- '{}'", letter.unwrap_or('-'))
            }
            ErrorKind::TooManyValues | ErrorKind::NoEquals => {
                format!("option '{option}' doesn't allow an argument")
            }
            ErrorKind::InvalidValue if context(ContextKind::InvalidValue).is_empty() => {
                format!("option '{option}' requires an argument")
            }
            _ => {
                let text = error.render().to_string();
                let first = text.lines().next().unwrap_or_default();
                first.trim_start_matches("error: ").to_string()
            }
        };
        Failure {
            message,
            code: FAILURE,
            try_help: true,
        }
    }

    /// Writes the message to standard error and gives the exit status.
    fn report(self) -> ExitCode {
        let mut stderr = io::stderr().lock();
        let _ = writeln!(stderr, "{PROGRAM}: {}", self.message);
        if self.try_help {
            let _ = writeln!(stderr, "Try '{PROGRAM} --help' for more information.");
        }
        ExitCode::from(self.code)
    }
}
