//! GraphQL conventions every service follows: errors carry a stable `extensions.code` and a
//! client-safe message (an `INTERNAL` error says only its request id; the cause goes to the log),
//! and lists are Relay connections with `totalCount`, `first` ≤ 100 and opaque cursors.

use crate::{Classify, ErrorKind};
use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, ErrorExtensions, OutputType, SimpleObject};
use base64::Engine as _;

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

/// The largest page a client may ask for.
pub const MAX_PAGE: u64 = 100;
/// The page size when `first` is not given.
pub const DEFAULT_PAGE: u64 = 20;

/// A validated page request: `limit` items after the item with id `after`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// How many items to return.
    pub limit: u64,
    /// The id of the last item of the previous page.
    pub after: Option<String>,
}

/// Why a page request is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    /// `first` out of range.
    #[error("first: must be between 1 and {MAX_PAGE}, got {0}")]
    First(i64),
    /// `after` is not a cursor this API issued.
    #[error("after: not a valid cursor")]
    After,
}

impl Classify for PageError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::BadUserInput
    }
}

impl PageRequest {
    /// Validates `first` (1..=100, default 20) and decodes `after`.
    ///
    /// # Errors
    /// [`PageError`] naming the argument.
    pub fn parse(first: Option<i32>, after: Option<String>) -> Result<Self, PageError> {
        let limit = match first {
            None => DEFAULT_PAGE,
            Some(n) if (1..=MAX_PAGE as i64).contains(&i64::from(n)) => n.unsigned_abs().into(),
            Some(n) => return Err(PageError::First(n.into())),
        };
        let after = after.map(|c| decode_cursor(&c).ok_or(PageError::After)).transpose()?;
        Ok(Self { limit, after })
    }
}

/// The opaque cursor for an item id.
#[must_use]
pub fn encode_cursor(id: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("c1:{id}"))
}

fn decode_cursor(c: &str) -> Option<String> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(c).ok()?;
    let s = String::from_utf8(bytes).ok()?;
    let id = s.strip_prefix("c1:")?;
    crate::id::is_uuid(id).then(|| id.to_owned())
}

/// `totalCount` on every connection.
#[derive(SimpleObject, Debug, Clone, Copy)]
pub struct ConnectionTotals {
    /// How many items match, across all pages.
    pub total_count: u64,
}

/// The connection type every list returns.
pub type Conn<N> = Connection<String, N, ConnectionTotals, EmptyFields>;

/// One page of items (fetched with `limit + 1` rows to learn whether a next page exists).
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The items, at most `limit`.
    pub items: Vec<T>,
    /// Whether more items follow.
    pub has_next: bool,
    /// How many items match in all.
    pub total: u64,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` rows.
    #[must_use]
    pub fn from_rows(mut rows: Vec<T>, limit: u64, total: u64) -> Self {
        let has_next = rows.len() as u64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        Self { items: rows, has_next, total }
    }

    /// Maps the items, keeping the paging facts.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), has_next: self.has_next, total: self.total }
    }
}

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
