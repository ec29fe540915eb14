//! `RLIMIT_SBSIZE` is not in x86_64 glibc's <sys/resource.h>, so naming it does not compile.

fn main() {
    let _ = resource::getrlimit(resource::RLIMIT_SBSIZE);
}
