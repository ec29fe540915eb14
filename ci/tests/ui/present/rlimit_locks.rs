//! `RLIMIT_LOCKS` is in x86_64 glibc's <sys/resource.h>, so naming it compiles.

fn main() {
    resource::getrlimit(resource::RLIMIT_LOCKS).expect("RLIMIT_LOCKS is readable");
}
