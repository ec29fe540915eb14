//! Changing one side of a limit, raising the open-file limit, limits for a child and the
//! `/proc` fallback, checked against the kernel. Every test that changes this process's
//! limits runs again in a child process (a re-run of this binary), so the test runner's own
//! limits never change.

use std::io;
use std::os::unix::process::CommandExt as _;
use std::process::{Command, Stdio};

use resource::{
    change_rlimit, getrlimit, increase_nofile_limit, prlimit_change, proc_limits, read_limits,
    set_hard, set_soft, CommandExt, Limit, Rlimit, RlimitChange, Source, RLIMIT_NOFILE,
};

mod child;

use child::{has_cap_sys_resource, has_capability, in_child_process as in_child};

#[test]
fn set_soft_leaves_the_hard_limit_unchanged() {
    in_child("set_soft_leaves_the_hard_limit_unchanged", || {
        let before = getrlimit(RLIMIT_NOFILE).unwrap();
        let now = set_soft(RLIMIT_NOFILE, Limit::Finite(1024)).unwrap();
        assert_eq!(now, Rlimit::new(1024, before.hard));
        assert_eq!(getrlimit(RLIMIT_NOFILE).unwrap(), now);

        // A soft limit above the hard one is refused before any call, naming both.
        if let Limit::Finite(hard) = before.hard {
            let error = set_soft(RLIMIT_NOFILE, Limit::Finite(hard + 1)).unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
            let message = error.to_string();
            assert!(message.contains("RLIMIT_NOFILE"), "{message}");
            assert!(message.contains(&(hard + 1).to_string()), "{message}");
            assert_eq!(getrlimit(RLIMIT_NOFILE).unwrap(), now);
        }
    });
}

#[test]
fn set_hard_leaves_the_soft_limit_unchanged() {
    in_child("set_hard_leaves_the_soft_limit_unchanged", || {
        set_soft(RLIMIT_NOFILE, Limit::Finite(512)).unwrap();
        let now = set_hard(RLIMIT_NOFILE, Limit::Finite(1000)).unwrap();
        assert_eq!(now, Rlimit::new(512, 1000));
        assert_eq!(getrlimit(RLIMIT_NOFILE).unwrap(), now);

        // Raising it again needs the capability.
        let raised = set_hard(RLIMIT_NOFILE, Limit::Finite(1001));
        if has_cap_sys_resource() {
            assert_eq!(raised.unwrap(), Rlimit::new(512, 1001));
        } else {
            assert_eq!(raised.unwrap_err().kind(), io::ErrorKind::PermissionDenied);
            assert_eq!(getrlimit(RLIMIT_NOFILE).unwrap(), now);
        }
    });
}

#[test]
fn a_change_of_neither_side_changes_nothing() {
    in_child("a_change_of_neither_side_changes_nothing", || {
        let before = getrlimit(RLIMIT_NOFILE).unwrap();
        let now = change_rlimit(RLIMIT_NOFILE, RlimitChange::default()).unwrap();
        assert_eq!((now, getrlimit(RLIMIT_NOFILE).unwrap()), (before, before));
    });
}

#[test]
fn the_open_file_limit_rises_to_the_hard_limit_and_fs_nr_open() {
    in_child(
        "the_open_file_limit_rises_to_the_hard_limit_and_fs_nr_open",
        || {
            let hard = getrlimit(RLIMIT_NOFILE).unwrap().hard;
            let ceiling = hard.min(Limit::Finite(child::nr_open()));
            set_soft(RLIMIT_NOFILE, Limit::Finite(256)).unwrap();

            // A modest request is granted exactly.
            assert_eq!(
                increase_nofile_limit(Limit::Finite(300)).unwrap(),
                Limit::Finite(300)
            );
            assert_eq!(
                getrlimit(RLIMIT_NOFILE).unwrap(),
                Rlimit {
                    soft: Limit::Finite(300),
                    hard
                }
            );

            // Infinity gets as far as allowed, the hard limit untouched.
            let got = increase_nofile_limit(Limit::Infinity).unwrap();
            assert_eq!(got, ceiling);
            assert_eq!(
                getrlimit(RLIMIT_NOFILE).unwrap(),
                Rlimit { soft: got, hard }
            );

            // A smaller request never lowers it.
            assert_eq!(increase_nofile_limit(Limit::Finite(10)).unwrap(), got);
            assert_eq!(getrlimit(RLIMIT_NOFILE).unwrap().soft, got);
        },
    );
}

#[test]
fn a_limit_the_child_cannot_set_fails_the_spawn_naming_it() {
    let hard = getrlimit(RLIMIT_NOFILE).unwrap().hard;
    let Limit::Finite(hard) = hard else {
        println!("skipped: the hard limit on open files is infinity, so it cannot be raised");
        return;
    };
    if has_cap_sys_resource() {
        println!("skipped: with CAP_SYS_RESOURCE, raising the hard limit succeeds");
        return;
    }

    // Raising the hard limit: refused by the kernel in the child.
    let error = Command::new("true")
        .rlimit(RLIMIT_NOFILE, Rlimit::new(hard + 1, hard + 1))
        .spawn_with_limits()
        .unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::PermissionDenied);
    assert_eq!(resource::raw_os_error(&error), Some(libc::EPERM));
    let message = error.to_string();
    let values = format!("RLIMIT_NOFILE, soft {0}, hard {0}", hard + 1);
    assert!(message.contains(&values), "{message}");

    // A soft limit above the hard one: the parent's own check, reported the same way.
    let error = Command::new("true")
        .rlimit(RLIMIT_NOFILE, Rlimit::new(20, 10))
        .spawn_with_limits()
        .unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
    assert!(error
        .to_string()
        .contains("soft limit (20) is above the hard limit (10)"));
}

#[test]
fn prlimit_change_sets_only_the_soft_limit_of_another_process() {
    let mut child = sleeper().spawn().unwrap();
    let before = getrlimit(RLIMIT_NOFILE).unwrap();
    let set = prlimit_change(
        child.id(),
        RLIMIT_NOFILE,
        RlimitChange {
            soft: Some(Limit::Finite(77)),
            hard: None,
        },
    );
    let listed = proc_limits(child.id());
    child.kill().unwrap();
    child.wait().unwrap();

    let expected = Rlimit::new(77, before.hard);
    assert_eq!(set.unwrap(), expected);
    let listed = listed.unwrap();
    assert!(listed.contains(&(RLIMIT_NOFILE, expected)), "{listed:?}");
    assert_eq!(getrlimit(RLIMIT_NOFILE).unwrap(), before);
}

#[test]
fn another_users_limits_come_from_proc_when_prlimit_is_refused() {
    if !has_capability(caps::Capability::CAP_SETUID) {
        println!("skipped: starting a process of another user needs CAP_SETUID");
        return;
    }
    if has_cap_sys_resource() {
        println!("skipped: with CAP_SYS_RESOURCE, prlimit is never refused");
        return;
    }

    // A process of user `nobody`, with limits of its own.
    let mut child = sleeper()
        .uid(65534)
        .gid(65534)
        .rlimit(RLIMIT_NOFILE, Rlimit::new(300, 400))
        .spawn_with_limits()
        .unwrap();
    let refused = resource::prlimit(child.id(), RLIMIT_NOFILE, None);
    let read = read_limits(child.id(), RLIMIT_NOFILE);
    child.kill().unwrap();
    child.wait().unwrap();

    assert_eq!(refused.unwrap_err().kind(), io::ErrorKind::PermissionDenied);
    assert_eq!(read.unwrap(), (Rlimit::new(300, 400), Source::ProcFile));
}

/// A child that waits, with no standard streams, until it is killed.
fn sleeper() -> Command {
    let mut command = Command::new("sleep");
    command
        .arg("30")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}
