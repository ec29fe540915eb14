//! The C value behind a `Resource` or `Who` constant, for tests that compare it with what C
//! or Python says; shared with the conformance crate through `#[path]`.

use std::hash::{Hash, Hasher};

/// The C value of a resource or selector, read from what its `Hash` implementation feeds.
///
/// FIXME(conformance): `Resource` and `Who` keep their C value private; read it through a
/// public accessor (`pub const fn as_raw(self) -> c_int`) once the safe crate has one.
pub fn hashed_value(constant: impl Hash) -> i128 {
    let mut recorder = Recorder::default();
    constant.hash(&mut recorder);
    let bytes: [u8; 4] = recorder
        .bytes
        .as_slice()
        .try_into()
        .expect("a resource hashes its C `int` and nothing else");
    i32::from_ne_bytes(bytes).into()
}

/// A `Hasher` that keeps the bytes it is fed.
#[derive(Default)]
struct Recorder {
    bytes: Vec<u8>,
}

impl Hasher for Recorder {
    fn finish(&self) -> u64 {
        0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }
}
