//! GraphQL conventions every service follows: errors carry a stable `extensions.code` and a
//! client-safe message (an `INTERNAL` error says only its request id; the cause goes to the log),
//! and lists are Relay connections with `totalCount`, `first` ≤ 100 and opaque cursors.

use crate::{Classify, ErrorKind};
use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, ErrorExtensions, OutputType, SimpleObject};

/// Per-request facts the edges put into the GraphQL context.
#[derive(Debug, Clone)]
pub struct RequestMeta {
    /// Correlates a client-visible error with the log line that has its cause.
    pub request_id: String,
    /// The client's address, for rate limits.
    pub client_ip: Option<String>,
}

/// Builds a client-visible error of `kind`.
#[must_use]
pub fn error(kind: ErrorKind, message: impl Into<String>) -> async_graphql::Error {
    async_graphql::Error::new(message.into()).extend_with(|_, ext| ext.set("code", kind.code()))
}

/// Converts a classified error. `INTERNAL` errors are logged here, once, with their cause chain
/// and the request id; the client sees only the request id.
pub fn classify_to_gql<E: Classify>(meta: Option<&RequestMeta>, e: &E) -> async_graphql::Error {
    let kind = e.kind();
    if kind == ErrorKind::Internal {
        let request_id = meta.map_or("unknown", |m| m.request_id.as_str());
        tracing::error!(request_id, error.message = %e, error.cause_chain = %cause_chain(e), "internal error");
        return error(kind, format!("internal error (request id {request_id})")).extend_with(|_, ext| ext.set("requestId", request_id));
    }
    error(kind, e.to_string())
}

/// `e: cause: cause…` for the log.
pub fn cause_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// `result.gql(ctx)?` in resolvers: classify instead of stringify.
pub trait GqlResultExt<T> {
    /// Converts the error side with [`classify_to_gql`].
    ///
    /// # Errors
    /// The converted error.
    fn gql(self, ctx: &Context<'_>) -> async_graphql::Result<T>;
}

impl<T, E: Classify> GqlResultExt<T> for Result<T, E> {
    fn gql(self, ctx: &Context<'_>) -> async_graphql::Result<T> {
        self.map_err(|e| classify_to_gql(ctx.data_opt::<RequestMeta>(), &e))
    }
}

pub use crate::page::{DEFAULT_PAGE, MAX_PAGE, Page, PageError, PageRequest, encode_cursor};

/// `totalCount` on every connection.
#[derive(SimpleObject, Debug, Clone, Copy)]
pub struct ConnectionTotals {
    /// How many items match, across all pages.
    pub total_count: u64,
}

/// The connection type every list returns.
pub type Conn<N> = Connection<String, N, ConnectionTotals, EmptyFields>;

/// Turns a page into a Relay connection; `id` gives each node's cursor key.
pub fn connection<N: OutputType>(page: Page<N>, id: impl Fn(&N) -> String, after_given: bool) -> Conn<N> {
    let mut c = Connection::with_additional_fields(after_given, page.has_next, ConnectionTotals { total_count: page.total });
    c.edges.extend(page.items.into_iter().map(|n| Edge::new(encode_cursor(&id(&n)), n)));
    c
}

/// The authenticated caller, or `UNAUTHENTICATED`.
///
/// # Errors
/// `UNAUTHENTICATED` when the request carried no valid credential.
pub fn principal<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a crate::Principal> {
    ctx.data_opt::<crate::Principal>()
        .ok_or_else(|| error(ErrorKind::Unauthenticated, "authentication required: send Authorization: Bearer <session or API token>"))
}

/// A service handle from the schema data (a missing one is a wiring bug: `INTERNAL`).
///
/// # Errors
/// `INTERNAL` when the schema was built without it.
pub fn service<'a, T: std::any::Any + Send + Sync>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a T> {
    ctx.data_opt::<T>().ok_or_else(|| error(ErrorKind::Internal, "internal error (service not configured)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_must_be_between_one_and_one_hundred() {
        assert_eq!(PageRequest::parse(None, None).unwrap().limit, 20);
        assert_eq!(PageRequest::parse(Some(100), None).unwrap().limit, 100);
        assert_eq!(PageRequest::parse(Some(1000), None), Err(PageError::First(1000)));
        assert_eq!(PageRequest::parse(Some(0), None), Err(PageError::First(0)));
        assert!(PageError::First(1000).to_string().starts_with("first:"));
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let id = crate::new_id();
        let p = PageRequest::parse(Some(5), Some(encode_cursor(&id))).unwrap();
        assert_eq!(p.after.as_deref(), Some(id.as_str()));
        assert_eq!(PageRequest::parse(None, Some("nope".into())), Err(PageError::After));
    }

    #[test]
    fn a_page_knows_whether_more_follow() {
        let p = Page::from_rows(vec![1, 2, 3], 2, 10);
        assert_eq!((p.items, p.has_next, p.total), (vec![1, 2], true, 10));
    }
}
