//! `resource-sys` and `resource` against what the C compiler says about this target: the
//! same names, both ways, with the same values, types and structure layouts.

use std::collections::BTreeSet;

use resource::Resource;
use resource_ci::names::{self, Kind};
use resource_ci::{Safe, Value};

/// The candidate names C defines.
fn c_names() -> BTreeSet<&'static str> {
    defined(resource_ci::c_constants())
}

/// The names of a list whose entry is `Some`.
fn defined<T>(list: Vec<(&'static str, Option<T>)>) -> BTreeSet<&'static str> {
    list.into_iter()
        .filter_map(|(name, value)| value.map(|_| name))
        .collect()
}

/// C's value of `name`, which C must define.
fn c_value(name: &str) -> Value {
    resource_ci::c_constants()
        .into_iter()
        .find(|(candidate, _)| *candidate == name)
        .and_then(|(_, value)| value)
        .unwrap_or_else(|| panic!("C does not define {name}"))
}

/// The kind of candidate `name`.
fn kind_of(name: &str) -> Kind {
    names::CANDIDATES
        .iter()
        .find(|(candidate, _)| *candidate == name)
        .map(|(_, kind)| *kind)
        .expect("a candidate")
}

/// Fails naming each name of `left` missing from `right`, as `what`.
fn assert_no_missing(left: &BTreeSet<&str>, right: &BTreeSet<&str>, what: &str) {
    let missing: Vec<&&str> = left.difference(right).collect();
    assert!(missing.is_empty(), "{what}: {missing:?}");
}

#[test]
fn the_probe_and_the_crates_cover_every_candidate_in_order() {
    let candidates: Vec<&str> = names::CANDIDATES.iter().map(|(name, _)| *name).collect();
    let listed = |list: Vec<&'static str>| assert_eq!(list, candidates);
    listed(
        resource_ci::c_constants()
            .into_iter()
            .map(|(n, _)| n)
            .collect(),
    );
    listed(
        resource_ci::sys_constants()
            .into_iter()
            .map(|(n, _)| n)
            .collect(),
    );
    listed(
        resource_ci::safe_constants()
            .into_iter()
            .map(|(n, _)| n)
            .collect(),
    );
}

#[test]
fn every_name_c_defines_is_published_by_resource_sys() {
    let published = names::decode(resource_ci::PUBLISHED_NAMES).expect("known names");
    let published: BTreeSet<&str> = published.iter().map(String::as_str).collect();
    assert_no_missing(
        &c_names(),
        &published,
        "C defines these, DEP_RESOURCE_NAMES lacks them",
    );
}

#[test]
fn every_candidate_resource_sys_publishes_is_defined_by_c() {
    let published = names::decode(resource_ci::PUBLISHED_NAMES).expect("known names");
    let candidates: BTreeSet<&str> = published
        .iter()
        .map(String::as_str)
        .filter(|name| names::CANDIDATES.iter().any(|(c, _)| c == name))
        .collect();
    assert_no_missing(
        &candidates,
        &c_names(),
        "DEP_RESOURCE_NAMES has these, C does not define them",
    );
}

#[test]
fn resource_sys_has_a_constant_exactly_for_each_name_c_defines() {
    let sys = defined(resource_ci::sys_constants());
    assert_no_missing(&c_names(), &sys, "C defines these, resource-sys lacks them");
    assert_no_missing(&sys, &c_names(), "resource-sys has these, C does not");
}

#[test]
fn resource_sys_constants_have_the_c_value_size_and_signedness() {
    let c = resource_ci::c_constants();
    for ((name, sys), (_, c)) in resource_ci::sys_constants().into_iter().zip(c) {
        if let (Some(sys), Some(c)) = (sys, c) {
            assert_eq!(sys, c, "{name}: resource-sys (left) and C (right) differ");
        }
    }
}

#[test]
fn rlim_t_has_the_c_width_and_signedness() {
    assert_eq!(resource_ci::sys_rlim_t(), resource_ci::c_rlim_t());
}

#[test]
fn structures_have_the_c_size_alignment_and_fields() {
    let c = resource_ci::c_structs();
    let sys = resource_ci::sys_structs();
    assert_eq!(
        sys.iter().map(|s| s.name).collect::<Vec<_>>(),
        c.iter().map(|s| s.name).collect::<Vec<_>>()
    );
    for (sys, c) in sys.iter().zip(&c) {
        assert_eq!(sys.size, c.size, "size of struct {}", c.name);
        assert_eq!(sys.align, c.align, "alignment of struct {}", c.name);
        assert_eq!(
            sys.fields.len(),
            c.fields.len(),
            "fields of struct {}",
            c.name
        );
        for (sys, field) in sys.fields.iter().zip(&c.fields) {
            assert_eq!(
                sys, field,
                "struct {}: resource-sys (left), C (right)",
                c.name
            );
        }
    }
}

#[test]
fn struct_rusage_has_all_sixteen_fields_checked() {
    let rusage = resource_ci::c_structs()
        .into_iter()
        .find(|s| s.name == "rusage")
        .expect("struct rusage is probed");
    assert_eq!(rusage.fields.len(), 16);
}

#[test]
fn the_safe_crate_has_a_constant_exactly_for_each_name_c_defines() {
    let safe = defined(resource_ci::safe_constants());
    assert_no_missing(&c_names(), &safe, "C defines these, resource lacks them");
    assert_no_missing(&safe, &c_names(), "resource has these, C does not");
}

#[test]
fn the_safe_crate_constants_have_the_c_values() {
    let infinity = c_value("RLIM_INFINITY");
    let c = resource_ci::c_constants();
    for ((name, safe), (_, c)) in resource_ci::safe_constants().into_iter().zip(c) {
        if let (Some(safe), Some(c)) = (safe, c) {
            let expected = Safe::expected(name, kind_of(name), c, infinity);
            assert_eq!(safe, expected, "{name}: resource (left), from C (right)");
        }
    }
}

#[test]
fn resource_all_lists_exactly_the_resources_c_defines() {
    let listed: BTreeSet<&str> = Resource::all().iter().map(|r| r.name()).collect();
    let c: BTreeSet<&str> = c_names()
        .into_iter()
        .filter(|name| kind_of(name) == Kind::Resource)
        .collect();
    assert_eq!(listed, c);
    for resource in Resource::all() {
        let value = i128::from(resource.as_raw());
        assert_eq!(value, c_value(resource.name()).value, "{resource}");
    }
}
