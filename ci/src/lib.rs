//! The conformance checks' view of one target: what its C compiler says `<sys/resource.h>`
//! defines, and the same facts read from `resource-sys` and `resource`, in comparable form.
//!
//! The build script generates both sides from the list of candidate names, so the tests under
//! `tests/` compare every name, value, type and structure field without a hand-kept list.

use resource::{Limit, Resource, Who};

/// The list of candidate names and the metadata-to-cfg logic shared with the other crates.
#[path = "../../resource-sys/build/names.rs"]
pub mod names;

/// An integer constant: its value and the size and signedness of its type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Value {
    /// The value, wide enough for every C integer type.
    pub value: i128,
    /// The size of its type in bytes.
    pub size: usize,
    /// Whether its type is signed.
    pub signed: bool,
}

impl Value {
    /// The description of a Rust constant of an integer type.
    pub fn of<T: Integer>(value: T) -> Self {
        Value {
            value: value.widen(),
            size: core::mem::size_of::<T>(),
            signed: T::SIGNED,
        }
    }
}

/// The size and signedness of an integer type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scalar {
    /// The size in bytes.
    pub size: usize,
    /// Whether it is signed.
    pub signed: bool,
}

impl Scalar {
    /// The description of the integer type `T`.
    pub fn of<T: Integer>() -> Self {
        Scalar {
            size: core::mem::size_of::<T>(),
            signed: T::SIGNED,
        }
    }
}

/// One field of a structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    /// The C name of the field.
    pub name: &'static str,
    /// Its offset from the start of the structure, in bytes.
    pub offset: usize,
    /// Its size in bytes.
    pub size: usize,
    /// Whether its type is signed, for integer fields; `None` for structure fields.
    pub signed: Option<bool>,
}

impl Field {
    /// The description of field `name` of a Rust structure `S` at `offset`, whose type is the
    /// one `place` points to.
    pub fn of<S, F: Member>(name: &'static str, offset: usize, place: fn(&S) -> *const F) -> Self {
        // The function only names the field's type.
        let _ = place;
        Field {
            name,
            offset,
            size: core::mem::size_of::<F>(),
            signed: F::SIGNED,
        }
    }
}

/// A structure: its size, alignment and every field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Struct {
    /// The C name, without `struct`.
    pub name: &'static str,
    /// The size in bytes.
    pub size: usize,
    /// The alignment in bytes.
    pub align: usize,
    /// Every field, in declaration order.
    pub fields: Vec<Field>,
}

/// A constant of the safe crate, in whichever type the crate gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Safe {
    /// A resource, `RLIMIT_*`: its name and C value.
    Resource(&'static str, i128),
    /// A `getrusage` selector, `RUSAGE_*`: its name and C value.
    Who(&'static str, i128),
    /// A limit value, `RLIM_*`.
    Limit(Limit),
    /// A count, `RLIM_NLIMITS`.
    Count(usize),
}

impl From<Resource> for Safe {
    fn from(resource: Resource) -> Self {
        Safe::Resource(resource.name(), resource.as_raw().into())
    }
}

impl From<Who> for Safe {
    fn from(who: Who) -> Self {
        Safe::Who(who.name(), who.as_raw().into())
    }
}

impl From<Limit> for Safe {
    fn from(limit: Limit) -> Self {
        Safe::Limit(limit)
    }
}

impl From<usize> for Safe {
    fn from(count: usize) -> Self {
        Safe::Count(count)
    }
}

impl Safe {
    /// What the safe crate should have for a constant C defines as `c`, of kind `kind`;
    /// `infinity` is C's `RLIM_INFINITY`, which the safe crate calls [`Limit::Infinity`].
    pub fn expected(name: &'static str, kind: names::Kind, c: Value, infinity: Value) -> Self {
        match kind {
            names::Kind::Resource => Safe::Resource(name, c.value),
            names::Kind::Who => Safe::Who(name, c.value),
            names::Kind::LimitValue if c.value == infinity.value => Safe::Limit(Limit::Infinity),
            names::Kind::LimitValue => Safe::Limit(Limit::Finite(
                u64::try_from(c.value).expect("C limit values are not negative"),
            )),
            names::Kind::Count => Safe::Count(usize::try_from(c.value).expect("a count")),
        }
    }
}

/// An integer type, described by size and signedness and widened without loss.
pub trait Integer: Copy {
    /// Whether the type is signed.
    const SIGNED: bool;
    /// The value as an `i128`.
    fn widen(self) -> i128;
}

/// The type of a structure field: an integer, whose signedness is known, or a structure.
pub trait Member {
    /// Whether the type is signed; `None` for a structure.
    const SIGNED: Option<bool>;
}

/// Implements [`Integer`] and [`Member`] for each primitive integer type.
macro_rules! integers {
    ($($ty:ty => $signed:literal),*) => {
        $(
            impl Integer for $ty {
                const SIGNED: bool = $signed;
                fn widen(self) -> i128 {
                    self.into()
                }
            }

            impl Member for $ty {
                const SIGNED: Option<bool> = Some($signed);
            }
        )*
    };
}

integers!(i8 => true, i16 => true, i32 => true, i64 => true,
          u8 => false, u16 => false, u32 => false, u64 => false);

impl Member for resource_sys::timeval {
    const SIGNED: Option<bool> = None;
}

include!(concat!(env!("OUT_DIR"), "/facts.rs"));
