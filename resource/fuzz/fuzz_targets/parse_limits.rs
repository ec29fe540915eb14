//! Fuzz target for `Limit::from_str` and `RlimitChange::from_str`: no input may panic, and
//! whatever parses must print as text that parses back to the same value.

#![no_main]

use core::fmt::Display;
use core::str::FromStr;

use libfuzzer_sys::fuzz_target;
use resource::{Limit, RlimitChange};

fuzz_target!(|data: &[u8]| {
    // The parsers take text; bytes that are not UTF-8 never reach them.
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };

    // A single limit: an amount is digits only, infinity one of its two words.
    if let Some(limit) = round_trip::<Limit>(text) {
        let digits_only = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
        match limit {
            Limit::Finite(_) => assert!(digits_only, "{text:?} parsed as {limit:?}"),
            Limit::Infinity => assert!(matches!(text, "unlimited" | "infinity"), "{text:?}"),
        }
    }

    // A change: at least one side is set, and a single value sets both.
    if let Some(change) = round_trip::<RlimitChange>(text) {
        assert!(change.soft.is_some() || change.hard.is_some(), "{text:?}");
        if !text.contains(':') {
            assert_eq!(change.soft, change.hard, "{text:?}");
        }
    }
});

/// Parses `text`; when it parses, checks that what `Display` prints parses to the same value.
fn round_trip<T>(text: &str) -> Option<T>
where
    T: FromStr + Display + PartialEq + core::fmt::Debug,
    T::Err: Display,
{
    let value = text.parse::<T>().ok()?;
    let printed = value.to_string();
    match printed.parse::<T>() {
        Ok(again) => assert_eq!(again, value, "{text:?} printed as {printed:?}"),
        Err(error) => panic!("{text:?} parsed as {value:?}, printed as {printed:?}: {error}"),
    }
    Some(value)
}
