//! Another process's limits on Linux: `prlimit`, or `/proc/<pid>/limits` when `prlimit` is
//! refused, since the file stays readable by everyone.

use std::io;

use crate::constants::Resource;
use crate::error;
use crate::limit::{Limit, Rlimit};

/// Where [`read_limits`] found a process's limits.
///
/// Exists on Linux and Android.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// The `prlimit` system call answered.
    Prlimit,
    /// `prlimit` was refused with `EPERM`, and `/proc/<pid>/limits` was read instead.
    ProcFile,
}

/// Reads the soft and hard limits of `resource` for process `pid` (0 for the calling
/// process), and says where they came from.
///
/// Reading another user's process with [`prlimit`](crate::prlimit) needs privilege
/// (`CAP_SYS_RESOURCE`), but the kernel lets everyone read `/proc/<pid>/limits`: when
/// `prlimit` fails with `EPERM`, the limits come from that file and the source is
/// [`Source::ProcFile`].
///
/// Exists on Linux and Android.
///
/// # Errors
///
/// - [`io::ErrorKind::NotFound`] (`ESRCH`) when no process has that id.
/// - The `EPERM` of `prlimit` ([`io::ErrorKind::PermissionDenied`]) when the file cannot be
///   read either (`/proc` not mounted, or mounted with `hidepid`), or does not list the
///   resource.
/// - [`io::ErrorKind::InvalidInput`] for a `pid` above `i32::MAX`.
///
/// ```
/// use resource::{getrlimit, read_limits, Source, RLIMIT_NOFILE};
///
/// let (limits, source) = read_limits(std::process::id(), RLIMIT_NOFILE)?;
/// assert_eq!((limits, source), (getrlimit(RLIMIT_NOFILE)?, Source::Prlimit));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn read_limits(pid: u32, resource: Resource) -> io::Result<(Rlimit, Source)> {
    let refused = match crate::prlimit(pid, resource, None) {
        Ok(limits) => return Ok((limits, Source::Prlimit)),
        Err(refused) if error::raw_os_error(&refused) == Some(libc::EPERM) => refused,
        Err(other) => return Err(other),
    };

    // The file, which anyone may read; if it fails us too, the refusal is the answer.
    let listed = proc_limits(pid)
        .ok()
        .and_then(|limits| limit_of(&limits, resource));
    match listed {
        Some(limits) => Ok((limits, Source::ProcFile)),
        None => Err(refused),
    }
}

/// Reads `/proc/<pid>/limits` (`/proc/self/limits` for pid 0): the soft and hard limits of
/// every resource the kernel lists there that this crate has a constant for, in the file's
/// order.
///
/// Exists on Linux and Android.
///
/// # Errors
///
/// - [`io::ErrorKind::NotFound`] when no process has that id.
/// - Any error reading the file ([`io::ErrorKind::PermissionDenied`] under `hidepid`).
/// - [`io::ErrorKind::InvalidData`] when a line of the file cannot be parsed; the message
///   quotes it.
///
/// ```
/// use resource::{getrlimit, proc_limits, RLIMIT_STACK};
///
/// let limits = proc_limits(0)?;
/// let stack = limits.iter().find(|(resource, _)| *resource == RLIMIT_STACK).unwrap().1;
/// assert_eq!(stack, getrlimit(RLIMIT_STACK)?);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn proc_limits(pid: u32) -> io::Result<Vec<(Resource, Rlimit)>> {
    let path = if pid == 0 {
        "/proc/self/limits".to_string()
    } else {
        format!("/proc/{pid}/limits")
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|read| io::Error::new(read.kind(), format!("reading {path}: {read}")))?;
    parse(&text).map_err(|line| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{path}: cannot parse the line `{line}`"),
        )
    })
}

/// The limits of `resource` among `limits`.
fn limit_of(limits: &[(Resource, Rlimit)], resource: Resource) -> Option<Rlimit> {
    limits
        .iter()
        .find(|(listed, _)| *listed == resource)
        .map(|(_, rlimit)| *rlimit)
}

/// The limits in the text of a `/proc/<pid>/limits` file. The header and the rows whose
/// label names no resource of this target are skipped; a row of a known resource whose
/// values do not parse is returned as the error.
fn parse(text: &str) -> Result<Vec<(Resource, Rlimit)>, &str> {
    let mut limits = Vec::new();
    for line in text.lines().skip(1) {
        let Some((resource, values)) = LABELS.iter().find_map(|(label, resource)| {
            let values = line.strip_prefix(label)?;
            values.starts_with(' ').then_some((*resource, values))
        }) else {
            continue;
        };
        let mut words = values.split_whitespace();
        let mut side = || words.next().and_then(parse_limit);
        let (Some(soft), Some(hard)) = (side(), side()) else {
            return Err(line);
        };
        limits.push((resource, Rlimit { soft, hard }));
    }
    Ok(limits)
}

/// One column of the file: an amount, or `unlimited`.
fn parse_limit(word: &str) -> Option<Limit> {
    word.parse().ok()
}

/// The label of each row of `/proc/<pid>/limits`, as the kernel writes it (the `lnames`
/// table of fs/proc/base.c), with its resource.
const LABELS: &[(&str, Resource)] = &[
    #[cfg(resource_has = "RLIMIT_CPU")]
    ("Max cpu time", crate::RLIMIT_CPU),
    #[cfg(resource_has = "RLIMIT_FSIZE")]
    ("Max file size", crate::RLIMIT_FSIZE),
    #[cfg(resource_has = "RLIMIT_DATA")]
    ("Max data size", crate::RLIMIT_DATA),
    #[cfg(resource_has = "RLIMIT_STACK")]
    ("Max stack size", crate::RLIMIT_STACK),
    #[cfg(resource_has = "RLIMIT_CORE")]
    ("Max core file size", crate::RLIMIT_CORE),
    #[cfg(resource_has = "RLIMIT_RSS")]
    ("Max resident set", crate::RLIMIT_RSS),
    #[cfg(resource_has = "RLIMIT_NPROC")]
    ("Max processes", crate::RLIMIT_NPROC),
    #[cfg(resource_has = "RLIMIT_NOFILE")]
    ("Max open files", crate::RLIMIT_NOFILE),
    #[cfg(resource_has = "RLIMIT_MEMLOCK")]
    ("Max locked memory", crate::RLIMIT_MEMLOCK),
    #[cfg(resource_has = "RLIMIT_AS")]
    ("Max address space", crate::RLIMIT_AS),
    #[cfg(resource_has = "RLIMIT_LOCKS")]
    ("Max file locks", crate::RLIMIT_LOCKS),
    #[cfg(resource_has = "RLIMIT_SIGPENDING")]
    ("Max pending signals", crate::RLIMIT_SIGPENDING),
    #[cfg(resource_has = "RLIMIT_MSGQUEUE")]
    ("Max msgqueue size", crate::RLIMIT_MSGQUEUE),
    #[cfg(resource_has = "RLIMIT_NICE")]
    ("Max nice priority", crate::RLIMIT_NICE),
    #[cfg(resource_has = "RLIMIT_RTPRIO")]
    ("Max realtime priority", crate::RLIMIT_RTPRIO),
    #[cfg(resource_has = "RLIMIT_RTTIME")]
    ("Max realtime timeout", crate::RLIMIT_RTTIME),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{getrlimit, CommandExt as _};

    /// The file as a 6.1 kernel wrote it for a shell, trailing blanks included.
    const SAMPLE: &str = "\
Limit                     Soft Limit           Hard Limit           Units     
Max cpu time              unlimited            unlimited            seconds   
Max file size             unlimited            unlimited            bytes     
Max data size             unlimited            unlimited            bytes     
Max stack size            8388608              unlimited            bytes     
Max core file size        0                    unlimited            bytes     
Max resident set          unlimited            unlimited            bytes     
Max processes             95283                95283                processes 
Max open files            20000                20000                files     
Max locked memory         8388608              8388608              bytes     
Max address space         unlimited            unlimited            bytes     
Max file locks            unlimited            unlimited            locks     
Max pending signals       95283                95283                signals   
Max msgqueue size         819200               819200               bytes     
Max nice priority         0                    0                    
Max realtime priority     0                    0                    
Max realtime timeout      unlimited            unlimited            us        
";

    #[test]
    fn every_row_of_a_real_file_parses() {
        let limits = parse(SAMPLE).unwrap();
        assert_eq!(limits.len(), 16);
        let of = |resource| limit_of(&limits, resource).unwrap();
        assert_eq!(
            of(crate::RLIMIT_STACK),
            Rlimit::new(8388608, Limit::Infinity)
        );
        assert_eq!(of(crate::RLIMIT_NOFILE), Rlimit::new(20000, 20000));
        assert_eq!(of(crate::RLIMIT_NICE), Rlimit::new(0, 0));
        assert_eq!(
            of(crate::RLIMIT_RTTIME),
            Rlimit::new(Limit::Infinity, Limit::Infinity)
        );
        // The two rows whose labels share "Max file" stay apart.
        assert_eq!(
            of(crate::RLIMIT_LOCKS),
            Rlimit::new(Limit::Infinity, Limit::Infinity)
        );
        assert_eq!(
            of(crate::RLIMIT_FSIZE),
            Rlimit::new(Limit::Infinity, Limit::Infinity)
        );
    }

    #[test]
    fn a_damaged_row_is_refused_with_the_line() {
        let damaged = SAMPLE.replace("Max open files            20000", "Max open files  lots");
        assert_eq!(
            parse(&damaged),
            Err("Max open files  lots                20000                files     ")
        );
    }

    #[test]
    fn this_process_file_agrees_with_getrlimit() {
        let limits = proc_limits(std::process::id()).unwrap();
        assert!(!limits.is_empty());
        for (resource, listed) in limits {
            assert_eq!(listed, getrlimit(resource).unwrap(), "{resource}");
        }
    }

    #[test]
    fn a_childs_file_shows_the_limits_set_in_it() {
        // Limits below the hard limit this process has, whatever it is.
        let hard_now = getrlimit(crate::RLIMIT_NOFILE).unwrap().hard;
        let wanted = Rlimit::new(
            Limit::Finite(32).min(hard_now),
            Limit::Finite(64).min(hard_now),
        );
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .rlimit(crate::RLIMIT_NOFILE, wanted)
            .spawn_with_limits()
            .unwrap();
        let limits = proc_limits(child.id());
        child.kill().unwrap();
        child.wait().unwrap();
        let listed = limit_of(&limits.unwrap(), crate::RLIMIT_NOFILE);
        assert_eq!(listed, Some(wanted));
    }

    #[test]
    fn a_process_that_is_gone_is_not_found() {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        let error = read_limits(pid, crate::RLIMIT_CORE).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
        assert_eq!(
            proc_limits(pid).unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
    }
}
