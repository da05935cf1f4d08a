//! The approvals part of the GraphQL API (SPEC §5): DTOs written for the schema, per-request
//! loaders, and the query and mutation roots. Resolvers authorize, parse, call one service
//! function and map the result.

mod dto;
mod mutation;
mod query;
pub mod scopes;

pub use dto::{AccessRequest, Approval, ApprovalPolicy, ApprovalsLoader, Grant, GrantLoader, Partnership, load_grant};
pub use mutation::ApprovalsMutation;
pub use query::ApprovalsQuery;
pub use scopes::ScopesQuery;
