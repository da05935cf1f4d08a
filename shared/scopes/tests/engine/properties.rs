//! Property tests: the algebra the rest of Accord relies on.

use accord_scopes::{Permissions, Scope, ScopeSet, analyze, covers, covers_all, intersection, overlaps};
use proptest::prelude::*;

use crate::strategies::{any_scope, dense_scope, narrower, scope_text};

fn config() -> ProptestConfig {
    ProptestConfig { cases: 512, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn display_then_parse_is_the_identity_on_normalized_scopes(s in any_scope()) {
        let text = s.to_string();
        prop_assert_eq!(text.parse::<Scope>().unwrap(), s);
    }

    #[test]
    fn normalization_is_idempotent(text in scope_text()) {
        let once = text.parse::<Scope>().unwrap();
        let twice = once.to_string().parse::<Scope>().unwrap();
        prop_assert_eq!(&twice, &once);
        prop_assert_eq!(twice.to_string(), once.to_string());
    }

    #[test]
    fn set_normalization_is_idempotent(texts in prop::collection::vec(scope_text(), 0..12)) {
        let set = ScopeSet::parse_all(&texts).unwrap();
        prop_assert_eq!(ScopeSet::from_scopes(set.iter().cloned()), set.clone());
        prop_assert_eq!(ScopeSet::parse_all(&set.to_strings()).unwrap(), set.clone());
        prop_assert_eq!(set.to_string().parse::<ScopeSet>().unwrap(), set);
    }

    #[test]
    fn merging_into_a_set_changes_no_coverage(
        members in prop::collection::vec(dense_scope(), 0..6),
        requested in dense_scope(),
    ) {
        let set = ScopeSet::from_scopes(members.clone());
        prop_assert_eq!(covers(&set, &requested), covers(&members, &requested));
    }

    #[test]
    fn covers_is_reflexive(s in any_scope()) {
        prop_assert!(s.covers(&s));
        prop_assert!(covers(std::slice::from_ref(&s), &s));
    }

    #[test]
    fn covers_is_transitive_along_narrowing_chains(
        (a, b, c) in any_scope()
            .prop_flat_map(|a| (Just(a.clone()), narrower(a)))
            .prop_flat_map(|(a, b)| (Just(a), Just(b.clone()), narrower(b)))
    ) {
        prop_assert!(a.covers(&b), "{} should cover {}", a, b);
        prop_assert!(b.covers(&c), "{} should cover {}", b, c);
        prop_assert!(a.covers(&c), "{} should cover {}", a, c);
    }

    #[test]
    fn covers_is_transitive_on_random_triples(a in dense_scope(), b in dense_scope(), c in dense_scope()) {
        if a.covers(&b) && b.covers(&c) {
            prop_assert!(a.covers(&c), "{} covers {} covers {}", a, b, c);
        }
    }

    #[test]
    fn set_coverage_is_transitive(
        g in prop::collection::vec(dense_scope(), 0..5),
        r in prop::collection::vec(dense_scope(), 0..5),
        x in dense_scope(),
    ) {
        if covers_all(&g, &r) && covers(&r, &x) {
            prop_assert!(covers(&g, &x));
        }
    }

    #[test]
    fn a_set_covers_a_scope_exactly_when_each_letter_is_covered(
        g in prop::collection::vec(dense_scope(), 0..5),
        x in dense_scope(),
    ) {
        if let Scope::Resource(r) = &x {
            let per_letter = Permissions::LETTERS
                .iter()
                .filter(|(_, l)| r.permissions().contains(*l))
                .all(|(_, l)| {
                    let single = Scope::Resource(r.with_permissions(*l).unwrap());
                    g.iter().any(|m| m.covers(&single))
                });
            prop_assert_eq!(covers(&g, &x), per_letter);
        }
    }

    #[test]
    fn a_v1_scope_and_its_v2_mapping_cover_each_other(
        context in crate::strategies::context(),
        resource in crate::strategies::resource(),
        (v1, v2) in prop::sample::select(vec![("read", "rs"), ("write", "cud"), ("*", "cruds")]),
    ) {
        let old: Scope = format!("{context}/{resource}.{v1}").parse().unwrap();
        let new: Scope = format!("{context}/{resource}.{v2}").parse().unwrap();
        prop_assert!(old.covers(&new));
        prop_assert!(new.covers(&old));
        prop_assert_eq!(old, new);
    }

    #[test]
    fn overlaps_is_symmetric(a in dense_scope(), b in dense_scope()) {
        prop_assert_eq!(overlaps(&a, &b), overlaps(&b, &a));
    }

    #[test]
    fn overlaps_is_symmetric_on_arbitrary_scopes(a in any_scope(), b in any_scope()) {
        prop_assert_eq!(overlaps(&a, &b), overlaps(&b, &a));
    }

    #[test]
    fn covering_implies_overlapping(a in dense_scope(), b in dense_scope()) {
        if a.covers(&b) {
            prop_assert!(overlaps(&a, &b), "{} covers {} but does not overlap it", a, b);
        }
    }

    #[test]
    fn covering_implies_overlapping_along_narrowing(
        (a, b) in any_scope().prop_flat_map(|a| (Just(a.clone()), narrower(a)))
    ) {
        prop_assert!(a.covers(&b));
        prop_assert!(overlaps(&a, &b));
    }

    #[test]
    fn intersection_is_covered_by_both_sides_and_covers_what_both_cover(
        g in prop::collection::vec(dense_scope(), 0..5),
        r in prop::collection::vec(dense_scope(), 0..5),
        x in dense_scope(),
    ) {
        let both = intersection(&g, &r);
        prop_assert!(covers_all(&g, &both), "{} not within granted", both);
        prop_assert!(covers_all(&r, &both), "{} not within requested", both);
        if covers(&g, &x) && covers(&r, &x) {
            prop_assert!(covers(&both, &x), "{} covered by both but not by {}", x, both);
        }
    }

    #[test]
    fn narrowing_accepts_exactly_the_covered_proposals(
        r in prop::collection::vec(dense_scope(), 0..5),
        p in prop::collection::vec(dense_scope(), 0..5),
    ) {
        let requested = ScopeSet::from_scopes(r);
        let proposed = ScopeSet::from_scopes(p);
        match accord_scopes::narrow(&requested, &proposed) {
            Ok(()) => prop_assert!(covers_all(&requested, &proposed)),
            Err(wider) => {
                prop_assert!(!wider.is_empty());
                for w in &wider {
                    prop_assert!(!covers(&requested, w));
                }
            }
        }
    }

    #[test]
    fn the_risk_of_a_set_is_the_maximum_of_its_members(texts in prop::collection::vec(scope_text(), 0..8)) {
        let set = ScopeSet::parse_all(&texts).unwrap();
        let max = set.iter().map(Scope::risk).max().unwrap_or(accord_scopes::Risk::Low);
        prop_assert_eq!(set.risk(), max);
    }

    #[test]
    fn parsing_arbitrary_strings_never_panics(text in any::<String>()) {
        let parsed = text.parse::<Scope>();
        let analysis = analyze(&text);
        prop_assert_eq!(parsed.is_ok(), analysis.valid);
        let _ = text.parse::<ScopeSet>();
    }

    #[test]
    fn parsing_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..1200)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = text.parse::<Scope>();
        let _ = analyze(&text);
        let _ = text.parse::<ScopeSet>();
    }

    #[test]
    fn parsing_scope_shaped_noise_never_panics(text in "[a-zA-Z/.*?&=|%_:#, ]{0,60}") {
        if let Ok(s) = text.parse::<Scope>() {
            prop_assert_eq!(s.to_string().parse::<Scope>().unwrap(), s);
        }
        let _ = analyze(&text);
    }
}
