//! What the safe crate would get on other targets, worked out on paper: the cfgs that
//! `names::names_in` and `names::cfgs` give for each target's checked-in bindings.

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::fs;

    use crate::layout::Bindings;
    use crate::{bindings_path, names, workspace_root};

    /// The cfgs the safe crate is compiled with for `triple`.
    fn cfgs(triple: &str) -> BTreeSet<String> {
        let text = fs::read_to_string(bindings_path(&workspace_root(), triple)).unwrap();
        names::cfgs(&names::names_in(&text)).into_iter().collect()
    }

    /// Whether the safe crate gets the cfg of `name` on `triple`.
    fn has(triple: &str, name: &str) -> bool {
        cfgs(triple).contains(&format!("{}=\"{name}\"", names::CFG_NAME))
    }

    /// The value of the constant `name` in the bindings of `triple`.
    fn value(triple: &str, name: &str) -> i128 {
        let text = fs::read_to_string(bindings_path(&workspace_root(), triple)).unwrap();
        let bindings = Bindings::parse(&text).unwrap();
        let constant = bindings
            .constants
            .iter()
            .find(|constant| constant.name == name);
        constant
            .unwrap_or_else(|| panic!("{triple} has no {name}"))
            .value
    }

    #[test]
    fn macos_has_no_linux_scheduling_limits() {
        for triple in ["x86_64-apple-darwin", "aarch64-apple-darwin"] {
            assert!(!has(triple, "RLIMIT_NICE"), "{triple}");
            assert!(!has(triple, "RLIMIT_RTPRIO"), "{triple}");
            assert!(has(triple, "RLIMIT_NOFILE"), "{triple}");
        }
    }

    #[test]
    fn freebsd_has_its_own_limits() {
        for triple in ["x86_64-unknown-freebsd", "aarch64-unknown-freebsd"] {
            for name in ["RLIMIT_VMEM", "RLIMIT_NPTS", "RLIMIT_SBSIZE", "RLIMIT_SWAP"] {
                assert!(has(triple, name), "{triple} lacks {name}");
            }
            assert!(!has(triple, "RLIMIT_NICE"), "{triple}");
        }
    }

    /// Aliases are separate constants of equal value, both present.
    #[test]
    fn aliases_are_both_present_with_equal_values() {
        let aliases = [
            ("x86_64-unknown-freebsd", "RLIMIT_VMEM", "RLIMIT_AS"),
            ("aarch64-unknown-freebsd", "RLIMIT_VMEM", "RLIMIT_AS"),
            ("x86_64-apple-darwin", "RLIMIT_RSS", "RLIMIT_AS"),
            ("aarch64-apple-darwin", "RLIMIT_RSS", "RLIMIT_AS"),
            ("x86_64-unknown-linux-gnu", "RLIMIT_OFILE", "RLIMIT_NOFILE"),
            ("i686-unknown-linux-gnu", "RLIMIT_OFILE", "RLIMIT_NOFILE"),
        ];
        for (triple, alias, name) in aliases {
            assert!(
                has(triple, alias) && has(triple, name),
                "{triple}: {alias}, {name}"
            );
            assert_eq!(
                value(triple, alias),
                value(triple, name),
                "{triple}: {alias}"
            );
        }
        assert_eq!(value("x86_64-unknown-freebsd", "RLIMIT_AS"), 10);
        assert_eq!(value("x86_64-unknown-linux-gnu", "RLIMIT_OFILE"), 7);
    }

    /// Glibc declares no `RUSAGE_BOTH` on x86_64.
    #[test]
    fn x86_64_glibc_has_no_rusage_both() {
        assert!(!has("x86_64-unknown-linux-gnu", "RUSAGE_BOTH"));
        assert!(has("x86_64-unknown-linux-gnu", "RUSAGE_CHILDREN"));
    }

    /// 32-bit glibc goes through the 64-bit interface, so infinity is 2^64-1.
    #[test]
    fn glibc_32_bit_uses_the_64_bit_interface() {
        for triple in ["i686-unknown-linux-gnu", "armv7-unknown-linux-gnueabihf"] {
            let text = fs::read_to_string(bindings_path(&workspace_root(), triple)).unwrap();
            assert_eq!(
                value(triple, "RLIM_INFINITY"),
                i128::from(u64::MAX),
                "{triple}"
            );
            for function in ["getrlimit64", "setrlimit64", "prlimit64"] {
                let link = format!("#[link_name = \"\\u{{1}}{function}\"]");
                assert!(text.contains(&link), "{triple} does not link {function}");
            }
        }
    }

    /// 32-bit musl has a 64-bit `time_t`: `struct rusage` grows and `getrusage` is the
    /// time64 symbol (`cargo xtask verify` checks every offset against C).
    #[test]
    fn musl_32_bit_rusage_is_time64() {
        let triple = "armv7-unknown-linux-musleabihf";
        let text = fs::read_to_string(bindings_path(&workspace_root(), triple)).unwrap();
        let bindings = Bindings::parse(&text).unwrap();
        assert_eq!(bindings.size_of("timeval").unwrap(), 16);
        let fields = bindings.fields("rusage", 4).unwrap();
        let maxrss = fields
            .iter()
            .find(|field| field.name == "ru_maxrss")
            .unwrap();
        assert_eq!((maxrss.offset, maxrss.size), (32, 4));
        assert!(text.contains("#[link_name = \"\\u{1}__getrusage_time64\"]"));
    }
}
