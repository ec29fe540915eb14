//! Naming a constant compiles exactly where the target's header defines it: on x86_64
//! glibc, the BSD and Solaris names fail with rustc's ordinary error and the Linux names
//! compile. The sets differ on other targets, so these cases run on this one only.

#![cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]

#[test]
fn names_glibc_lacks_do_not_compile() {
    trybuild::TestCases::new().compile_fail("tests/ui/absent/*.rs");
}

#[test]
fn names_glibc_has_compile() {
    trybuild::TestCases::new().pass("tests/ui/present/*.rs");
}
