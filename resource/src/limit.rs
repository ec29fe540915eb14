//! Limit values: a finite amount or infinity, and the pair of soft and hard limits.

use core::fmt;
use core::str::FromStr;

use resource_sys as sys;

/// One limit: a finite amount in the resource's unit, or infinity (`RLIM_INFINITY`).
///
/// Infinity is a state of its own: no finite value stands for it, so `Limit::Finite(u64::MAX)`
/// is a finite value, and one that a target whose `RLIM_INFINITY` has those bits refuses with
/// [`std::io::ErrorKind::InvalidInput`] instead of silently meaning infinity.
///
/// Limits order as amounts, with infinity above every finite value.
///
/// Exists on every Unix.
///
/// ```
/// use resource::Limit;
///
/// assert!(Limit::Finite(1024) < Limit::Infinity);
/// assert_eq!("unlimited".parse::<Limit>().unwrap(), Limit::Infinity);
/// assert_eq!(Limit::from(1024).to_string(), "1024");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Limit {
    /// A finite amount, in the unit of the resource it limits.
    Finite(u64),
    /// No limit: `RLIM_INFINITY`.
    Infinity,
}

impl From<u64> for Limit {
    fn from(amount: u64) -> Self {
        Limit::Finite(amount)
    }
}

impl fmt::Display for Limit {
    /// Writes the amount, or `unlimited` for infinity, as `prlimit(1)` and `ulimit` do.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Finite(amount) => fmt::Display::fmt(amount, f),
            Limit::Infinity => f.pad("unlimited"),
        }
    }
}

/// The error from parsing a [`Limit`] that is neither a decimal amount nor a word for infinity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseLimitError {
    text: String,
}

impl fmt::Display for ParseLimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid limit `{}`: expected a decimal number, `unlimited` or `infinity` \
             (or soft:hard, soft: or :hard where a pair is taken)",
            self.text
        )
    }
}

impl std::error::Error for ParseLimitError {}

impl FromStr for Limit {
    type Err = ParseLimitError;

    /// Parses a decimal amount (digits only, no sign or spaces), or `unlimited` or `infinity`
    /// for infinity; anything else, trailing characters included, is refused.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let refuse = || ParseLimitError {
            text: text.to_string(),
        };
        match text {
            "unlimited" | "infinity" => Ok(Limit::Infinity),
            digits if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
                digits.parse().map(Limit::Finite).map_err(|_| refuse())
            }
            _ => Err(refuse()),
        }
    }
}

/// The soft and hard limits of one resource, as `getrlimit` reads them.
///
/// The soft limit is the one the kernel enforces; the hard limit is the ceiling up to which
/// an unprivileged process may raise the soft limit.
///
/// Exists on every Unix.
///
/// ```
/// use resource::{Limit, Rlimit};
///
/// let limits = Rlimit::new(1024, Limit::Infinity);
/// assert_eq!(limits.soft, Limit::Finite(1024));
/// assert_eq!(limits.to_string(), "1024:unlimited");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rlimit {
    /// The limit in force (`rlim_cur`).
    pub soft: Limit,
    /// The ceiling for the soft limit (`rlim_max`).
    pub hard: Limit,
}

impl Rlimit {
    /// The pair `soft`, `hard`; each is a [`Limit`] or a `u64` amount.
    pub fn new(soft: impl Into<Limit>, hard: impl Into<Limit>) -> Self {
        Rlimit {
            soft: soft.into(),
            hard: hard.into(),
        }
    }
}

impl fmt::Display for Rlimit {
    /// Writes `soft:hard`, the form `prlimit(1)` takes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.soft, self.hard)
    }
}

/// A change to the limits of one resource in which either side may stay as it is: the
/// `soft:hard`, `soft:`, `:hard` and single-value forms of `prlimit(1)`.
///
/// `None` means "leave unchanged", which is distinct from [`Limit::Infinity`].
///
/// Exists on every Unix.
///
/// ```
/// use resource::{Limit, Rlimit, RlimitChange};
///
/// let change: RlimitChange = "1024:".parse().unwrap();
/// assert_eq!(change, RlimitChange { soft: Some(Limit::Finite(1024)), hard: None });
/// let now = Rlimit::new(4096, Limit::Infinity);
/// assert_eq!(change.apply(now), Rlimit::new(1024, Limit::Infinity));
///
/// // A single value sets both limits.
/// assert_eq!("unlimited".parse::<RlimitChange>().unwrap().apply(now), Rlimit::new(Limit::Infinity, Limit::Infinity));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RlimitChange {
    /// The new soft limit, or `None` to keep the current one.
    pub soft: Option<Limit>,
    /// The new hard limit, or `None` to keep the current one.
    pub hard: Option<Limit>,
}

impl RlimitChange {
    /// The limits that result from applying this change to `current`.
    pub fn apply(self, current: Rlimit) -> Rlimit {
        Rlimit {
            soft: self.soft.unwrap_or(current.soft),
            hard: self.hard.unwrap_or(current.hard),
        }
    }
}

impl FromStr for RlimitChange {
    type Err = ParseLimitError;

    /// Parses `soft:hard`, `soft:`, `:hard`, or one value for both, each side a [`Limit`].
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let side = |part: &str| -> Result<Option<Limit>, ParseLimitError> {
            if part.is_empty() {
                Ok(None)
            } else {
                part.parse().map(Some).map_err(|_| ParseLimitError {
                    text: text.to_string(),
                })
            }
        };
        let change = match text.split_once(':') {
            Some((soft, hard)) => RlimitChange {
                soft: side(soft)?,
                hard: side(hard)?,
            },
            None => {
                let both = side(text)?;
                RlimitChange {
                    soft: both,
                    hard: both,
                }
            }
        };
        if change.soft.is_none() && change.hard.is_none() {
            return Err(ParseLimitError {
                text: text.to_string(),
            });
        }
        Ok(change)
    }
}

impl fmt::Display for RlimitChange {
    /// Writes the `soft:hard` form, with an empty side for a limit left unchanged; a
    /// change of neither side writes `:`, which parsing refuses since it changes nothing.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(soft) = self.soft {
            write!(f, "{soft}")?;
        }
        f.write_str(":")?;
        if let Some(hard) = self.hard {
            write!(f, "{hard}")?;
        }
        Ok(())
    }
}

/// Reads a C limit value: `RLIM_INFINITY` becomes [`Limit::Infinity`], anything else is an
/// amount.
pub(crate) const fn from_raw(raw: sys::rlim_t) -> Limit {
    if raw == INFINITY_RAW {
        Limit::Infinity
    } else {
        // `rlim_t` is signed on some BSDs, but limits the kernel reports are never negative.
        #[allow(clippy::unnecessary_cast)]
        Limit::Finite(raw as u64)
    }
}

/// The C value of a limit, or `None` for a finite amount this target cannot represent:
/// one too large for `rlim_t`, or one whose bits are those of a special value.
#[inline]
pub(crate) fn to_raw(limit: Limit) -> Option<sys::rlim_t> {
    match limit {
        Limit::Infinity => Some(INFINITY_RAW),
        Limit::Finite(amount) => {
            // `rlim_t` is `u64` on most targets, but `i64` on FreeBSD and its relatives.
            #[allow(clippy::useless_conversion, clippy::unnecessary_fallible_conversions)]
            let raw = sys::rlim_t::try_from(amount).ok()?;
            (!SPECIAL_RAW.contains(&raw)).then_some(raw)
        }
    }
}

/// `RLIM_INFINITY` as an `rlim_t` (its C type is wider on some targets).
#[allow(clippy::unnecessary_cast)]
const INFINITY_RAW: sys::rlim_t = sys::RLIM_INFINITY as sys::rlim_t;

/// The values that mean something other than an amount on this target.
#[allow(clippy::unnecessary_cast)]
const SPECIAL_RAW: &[sys::rlim_t] = &[
    INFINITY_RAW,
    #[cfg(resource_has = "RLIM_SAVED_CUR")]
    (sys::RLIM_SAVED_CUR as sys::rlim_t),
    #[cfg(resource_has = "RLIM_SAVED_MAX")]
    (sys::RLIM_SAVED_MAX as sys::rlim_t),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infinity_round_trips_through_its_c_value() {
        assert_eq!(to_raw(Limit::Infinity), Some(INFINITY_RAW));
        assert_eq!(from_raw(INFINITY_RAW), Limit::Infinity);
    }

    #[test]
    fn a_finite_value_with_the_bits_of_infinity_is_not_representable() {
        #[allow(clippy::unnecessary_cast)]
        let bits = INFINITY_RAW as u64;
        assert_eq!(to_raw(Limit::Finite(bits)), None);
    }

    #[test]
    fn ordinary_amounts_round_trip() {
        for amount in [0, 1, 1024, (1 << 31) - 5, 1 << 31, (1 << 32) - 5, 1 << 32] {
            let raw = to_raw(Limit::Finite(amount)).expect("representable everywhere");
            assert_eq!(from_raw(raw), Limit::Finite(amount));
        }
    }

    #[test]
    fn parsing_refuses_trailing_garbage_signs_and_blanks() {
        for text in [
            "1x",
            "",
            " 1",
            "1 ",
            "+1",
            "-1",
            "0x10",
            "unlimitedx",
            "18446744073709551616",
        ] {
            assert!(text.parse::<Limit>().is_err(), "{text:?} was accepted");
        }
        assert_eq!("infinity".parse::<Limit>(), Ok(Limit::Infinity));
        assert_eq!("007".parse::<Limit>(), Ok(Limit::Finite(7)));
    }

    #[test]
    fn changes_parse_in_every_form_of_prlimit() {
        let finite = |amount| Some(Limit::Finite(amount));
        let cases = [
            ("1:2", finite(1), finite(2)),
            ("1:", finite(1), None),
            (":2", None, finite(2)),
            ("5", finite(5), finite(5)),
            ("unlimited", Some(Limit::Infinity), Some(Limit::Infinity)),
            (":infinity", None, Some(Limit::Infinity)),
        ];
        for (text, soft, hard) in cases {
            assert_eq!(text.parse(), Ok(RlimitChange { soft, hard }), "{text}");
        }
        for text in [":", "", "1:2:3", "1x", "1:2x", "x:1", " 1:2"] {
            assert!(
                text.parse::<RlimitChange>().is_err(),
                "{text:?} was accepted"
            );
        }
    }
}
