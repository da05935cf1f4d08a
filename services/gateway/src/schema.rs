//! The GraphQL schema: every service's query and mutation roots merged, with depth and
//! complexity limits, no field suggestions, and optional introspection.

use accord_approvals::graphql::{ApprovalsMutation, ApprovalsQuery, ScopesQuery};
use accord_lifecycle::graphql::LifecycleMutation;
use accord_registry::graphql::RegistryMutation;
use accord_tenants::graphql::{TenantsMutation, TenantsQuery};
use async_graphql::{EmptySubscription, MergedObject, Schema, SchemaBuilder};

/// All queries.
#[derive(MergedObject, Default)]
pub struct QueryRoot(TenantsQuery, ApprovalsQuery, ScopesQuery);

/// All mutations.
#[derive(MergedObject, Default)]
pub struct MutationRoot(TenantsMutation, RegistryMutation, ApprovalsMutation, LifecycleMutation);

/// The API schema.
pub type AccordSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// Deepest selection allowed (the deepest legitimate portal query is about 8).
pub const MAX_DEPTH: usize = 12;
/// Most fields (aliases included) one operation may select.
pub const MAX_COMPLEXITY: usize = 1000;

/// The schema with its limits; service handles are added as data by the caller.
#[must_use]
pub fn builder(introspection: bool) -> SchemaBuilder<QueryRoot, MutationRoot, EmptySubscription> {
    let b = Schema::build(QueryRoot::default(), MutationRoot::default(), EmptySubscription)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .disable_suggestions();
    if introspection { b } else { b.disable_introspection() }
}

/// The SDL that `accord schema` prints and `frontend/schema.graphql` must equal.
#[must_use]
pub fn sdl() -> String {
    builder(true).finish().sdl()
}
