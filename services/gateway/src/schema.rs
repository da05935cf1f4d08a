//! The GraphQL schema: every service's query and mutation roots merged, with depth and
//! complexity limits, no field suggestions, and optional introspection; and its
//! introspection-only twin, whose depth limit admits the standard introspection query.

use crate::services::Services;
use accord_approvals::graphql::{ApprovalsMutation, ApprovalsQuery, ScopesQuery};
use accord_enforcement::graphql::EnforcementMutation;
use accord_lifecycle::graphql::{LifecycleMutation, LifecycleQuery};
use accord_notifications::graphql::{NotificationsMutation, NotificationsQuery};
use accord_registry::graphql::RegistryMutation;
use accord_tenants::graphql::{TenantsMutation, TenantsQuery};
use async_graphql::{EmptySubscription, MergedObject, Schema, SchemaBuilder};

/// All queries.
#[derive(MergedObject, Default)]
pub struct QueryRoot(TenantsQuery, ApprovalsQuery, ScopesQuery, NotificationsQuery, LifecycleQuery);

/// All mutations.
#[derive(MergedObject, Default)]
pub struct MutationRoot(
    TenantsMutation,
    RegistryMutation,
    ApprovalsMutation,
    LifecycleMutation,
    NotificationsMutation,
    EnforcementMutation,
);

/// The API schema.
pub type AccordSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// Deepest selection allowed (the deepest legitimate portal query is about 8).
pub const MAX_DEPTH: usize = 12;
/// Most fields (aliases included) one operation may select.
pub const MAX_COMPLEXITY: usize = 1000;
/// Deepest selection allowed in a document that only introspects. The standard introspection
/// query (graphql-js `getIntrospectionQuery`, sent by GraphiQL, GraphQL Code Generator, Postman)
/// reaches depth 15: `__schema types fields args type` and nine levels of `ofType`, then `name`.
/// A few levels spare; anything deeper is abuse (real type references are at most about five
/// wrappers deep, so deeper `ofType`s only return nulls).
pub const MAX_INTROSPECTION_DEPTH: usize = 20;

/// The schema with its limits; service handles are added as data by the caller.
#[must_use]
pub fn builder(introspection: bool) -> SchemaBuilder<QueryRoot, MutationRoot, EmptySubscription> {
    let b = Schema::build(QueryRoot::default(), MutationRoot::default(), EmptySubscription)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .disable_suggestions();
    if introspection { b } else { b.disable_introspection() }
}

/// The API schema with every service as data, introspection as the settings say.
#[must_use]
pub fn with_services(services: &Services) -> AccordSchema {
    builder(services.settings.graphql_introspection)
        .data(services.tenants.clone())
        .data(services.registry.clone())
        .data(services.approvals.clone())
        .data(services.lifecycle.clone())
        .data(services.notifications.clone())
        .data(services.enforcement.clone())
        .finish()
}

/// The schema for documents whose executed operation selects only `__schema`, `__type` or
/// `__typename` at its root: the same types, a depth limit sized for introspection, the same
/// complexity limit. It is built `introspection_only`, so even a document misjudged as
/// introspection reaches no resolver (other root fields answer null) and needs no service data.
#[must_use]
pub fn introspection_schema() -> AccordSchema {
    Schema::build(QueryRoot::default(), MutationRoot::default(), EmptySubscription)
        .limit_depth(MAX_INTROSPECTION_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .disable_suggestions()
        .introspection_only()
        .finish()
}

/// The SDL that `accord schema` prints and `frontend/schema.graphql` must equal.
#[must_use]
pub fn sdl() -> String {
    builder(true).finish().sdl()
}
