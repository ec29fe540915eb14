//! Property tests of the text forms: what `Display` prints for a `Limit`, an `Rlimit` or an
//! `RlimitChange` parses back to the same value.

use proptest::option;
use proptest::prelude::*;
use resource::{Limit, Rlimit, RlimitChange};

/// Any limit: every finite amount (proptest favours the edges, 0 and `u64::MAX` among them)
/// and infinity.
fn any_limit() -> impl Strategy<Value = Limit> {
    prop_oneof![any::<u64>().prop_map(Limit::Finite), Just(Limit::Infinity)]
}

proptest! {
    // A failing case is printed, shrunk; no file of past failures is kept.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    /// A limit, finite or infinite, parses from what it prints.
    #[test]
    fn limit_parses_from_its_display(limit in any_limit()) {
        prop_assert_eq!(limit.to_string().parse::<Limit>(), Ok(limit));
    }

    /// A change with either side set or left alone parses from what it prints; the one that
    /// leaves both alone prints `:`, which is refused, as it would change nothing.
    #[test]
    fn change_parses_from_its_display(
        soft in option::of(any_limit()),
        hard in option::of(any_limit()),
    ) {
        let change = RlimitChange { soft, hard };
        let parsed = change.to_string().parse::<RlimitChange>();
        if soft.is_none() && hard.is_none() {
            prop_assert!(parsed.is_err(), "{:?} was accepted", change.to_string());
        } else {
            prop_assert_eq!(parsed, Ok(change));
        }
    }

    /// A pair of limits prints as the `soft:hard` change that sets exactly those limits.
    #[test]
    fn rlimit_parses_as_the_change_to_itself(
        soft in any_limit(),
        hard in any_limit(),
        current in (any_limit(), any_limit()),
    ) {
        let limits = Rlimit { soft, hard };
        let change = limits.to_string().parse::<RlimitChange>();
        let expected = RlimitChange { soft: Some(soft), hard: Some(hard) };
        prop_assert_eq!(change.clone(), Ok(expected));
        let current = Rlimit { soft: current.0, hard: current.1 };
        prop_assert_eq!(expected.apply(current), limits);
    }
}

/// The edges proptest may or may not draw, every time.
#[test]
fn edge_values_parse_from_their_display() {
    for limit in [Limit::Finite(0), Limit::Finite(u64::MAX), Limit::Infinity] {
        assert_eq!(limit.to_string().parse::<Limit>(), Ok(limit));
        for change in [
            RlimitChange {
                soft: Some(limit),
                hard: None,
            },
            RlimitChange {
                soft: None,
                hard: Some(limit),
            },
            RlimitChange {
                soft: Some(limit),
                hard: Some(limit),
            },
        ] {
            assert_eq!(change.to_string().parse::<RlimitChange>(), Ok(change));
        }
    }
}
