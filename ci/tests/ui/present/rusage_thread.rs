//! `RUSAGE_THREAD` is in x86_64 glibc's <sys/resource.h>, so naming it compiles.

fn main() {
    resource::getrusage(resource::RUSAGE_THREAD).expect("RUSAGE_THREAD is readable");
}
