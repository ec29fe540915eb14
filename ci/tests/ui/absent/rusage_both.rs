//! `RUSAGE_BOTH` is not in x86_64 glibc's <sys/resource.h>, so naming it does not compile.

fn main() {
    let _ = resource::getrusage(resource::RUSAGE_BOTH);
}
