//! `RLIMIT_OFILE` is in x86_64 glibc's <sys/resource.h>, so naming it compiles.

fn main() {
    resource::getrlimit(resource::RLIMIT_OFILE).expect("RLIMIT_OFILE is readable");
}
