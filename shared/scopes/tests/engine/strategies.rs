//! proptest strategies that generate valid scopes, texts and small "dense" domains where
//! coverage and overlap relations actually occur.

use accord_scopes::{Context, Permissions, R4_RESOURCE_TYPES, Resource, ResourceScope, ResourceType, Scope};
use proptest::prelude::*;
use proptest::sample::select;

pub fn context() -> impl Strategy<Value = Context> {
    select(Context::ALL.to_vec())
}

pub fn resource() -> impl Strategy<Value = Resource> {
    prop_oneof![
        1 => Just(Resource::All),
        4 => select(R4_RESOURCE_TYPES.to_vec())
            .prop_filter_map("known type", |n| ResourceType::from_name(n).map(Resource::Type)),
    ]
}

pub fn permissions() -> impl Strategy<Value = Permissions> {
    (1u8..32).prop_map(Permissions::from_bits)
}

const NAMES: [&str; 8] = ["category", "code", "status", "date", "code:in", "patient.birthdate", "_filter", "clinical-status"];
const VALUES: [&str; 9] = [
    "http://terminology.hl7.org/CodeSystem/observation-category|laboratory",
    "laboratory",
    "vital-signs",
    "final",
    "ge2020-01-01",
    "x%7Cy",
    "x|y",
    "a,b",
    "b=c",
];

pub fn query() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec((select(NAMES.to_vec()), select(VALUES.to_vec())).prop_map(|(n, v)| (n.to_owned(), v.to_owned())), 0..4)
}

pub fn resource_scope() -> impl Strategy<Value = Scope> {
    (context(), resource(), permissions(), query())
        .prop_filter_map("valid resource scope", |(c, r, p, q)| ResourceScope::new(c, r, p, q).ok().map(Scope::Resource))
}

pub fn non_resource_scope() -> impl Strategy<Value = Scope> {
    let texts = prop_oneof![
        select(vec![
            "launch",
            "launch/patient",
            "launch/encounter",
            "openid",
            "fhirUser",
            "profile",
            "offline_access",
            "online_access",
            "__profilePhoto.manage",
            "https://ehr.example.org/scopes/x",
            "urn:example:a",
        ])
        .prop_map(str::to_owned),
        (select(R4_RESOURCE_TYPES.to_vec()), prop::option::of("[a-z]{1,8}")).prop_map(|(t, role)| match role {
            Some(r) => format!("launch/{}?role={r}", t.to_ascii_lowercase()),
            None => format!("launch/{}", t.to_ascii_lowercase()),
        }),
        "__[A-Za-z0-9._]{1,12}",
    ];
    texts.prop_filter_map("valid", |t| t.parse::<Scope>().ok())
}

pub fn any_scope() -> impl Strategy<Value = Scope> {
    prop_oneof![3 => resource_scope(), 1 => non_resource_scope()]
}

/// Valid scope *texts*, including non-normalized ones: v1 permissions, unsorted and
/// repeated query parameters, and the SMART scope-URI form.
pub fn scope_text() -> impl Strategy<Value = String> {
    let v1 = (context(), resource(), select(vec!["read", "write", "*"]), query()).prop_map(|(c, r, p, q)| {
        let mut text = format!("{c}/{r}.{p}");
        for (i, (n, v)) in q.iter().enumerate() {
            text.push(if i == 0 { '?' } else { '&' });
            text.push_str(&format!("{n}={v}"));
        }
        text
    });
    prop_oneof![
        any_scope().prop_map(|s| s.to_string()),
        v1,
        resource_scope().prop_map(|s| format!("http://smarthealthit.org/fhir/scopes/{s}")),
    ]
}

/// A small domain (two contexts, two types and `*`, three parameters) in which random
/// pairs are often related.
pub fn dense_scope() -> impl Strategy<Value = Scope> {
    let resource = select(vec!["*", "Observation", "Condition"]);
    let context = select(vec!["patient", "user"]);
    let param = select(vec!["category=laboratory", "category=vital-signs", "status=final"]);
    let dense = (context, resource, permissions(), prop::collection::vec(param, 0..3)).prop_map(|(c, r, p, q)| {
        let mut text = format!("{c}/{r}.{p}");
        if !q.is_empty() {
            text.push('?');
            text.push_str(&q.join("&"));
        }
        text
    });
    prop_oneof![
        6 => dense.prop_filter_map("valid", |t| t.parse::<Scope>().ok()),
        1 => select(vec!["openid", "launch/patient", "__x"]).prop_filter_map("valid", |t| t.parse::<Scope>().ok()),
    ]
}

/// A scope that `scope` covers: fewer letters, a concrete type instead of `*`, extra
/// parameters. Non-resource scopes are returned unchanged.
pub fn narrower(scope: Scope) -> impl Strategy<Value = Scope> {
    (1u8..32, resource(), query(), any::<bool>()).prop_map(move |(bits, res, extra, specialize)| {
        let Scope::Resource(r) = &scope else {
            return scope.clone();
        };
        let mut letters = r.permissions().intersection(Permissions::from_bits(bits));
        if letters.is_empty() {
            letters = r.permissions();
        }
        let resource = if specialize && r.resource() == Resource::All { res } else { r.resource() };
        let mut query = r.query().to_vec();
        query.extend(extra);
        ResourceScope::new(r.context(), resource, letters, query).map(Scope::Resource).unwrap_or_else(|_| scope.clone())
    })
}
