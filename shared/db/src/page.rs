//! The one keyset pagination every list uses: filter, count, then pick the page's ids in a
//! subquery (`id IN (SELECT id … ORDER BY id LIMIT n)`) and load those rows. PostgreSQL answers
//! the subquery from the tenant index instead of walking the primary key past other tenants'
//! rows (docs/benchmarks.md). Ids are UUIDv7, so id order is creation order.

use accord_kernel::page::{Page, PageRequest};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select};

/// Which way a list runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Newest first (ids descending).
    NewestFirst,
    /// Oldest first (ids ascending).
    OldestFirst,
}

/// One page of `q` (already filtered to what the caller may see), keyed on `id`.
///
/// # Errors
/// On database failure.
pub async fn keyset<E, C>(db: &impl ConnectionTrait, q: Select<E>, id: C, order: Order, page: &PageRequest) -> Result<Page<E::Model>, DbErr>
where
    E: EntityTrait,
    C: ColumnTrait,
    E::Model: Send + Sync,
{
    let total = q.clone().count(db).await?;
    let q = match (&page.after, order) {
        (Some(after), Order::NewestFirst) => q.filter(id.lt(after.clone())),
        (Some(after), Order::OldestFirst) => q.filter(id.gt(after.clone())),
        (None, _) => q,
    };
    let sorted = |s: Select<E>| match order {
        Order::NewestFirst => s.order_by_desc(id),
        Order::OldestFirst => s.order_by_asc(id),
    };
    let ids = sorted(q.select_only().column(id)).limit(page.limit + 1).into_query();
    let rows = sorted(E::find().filter(id.in_subquery(ids))).all(db).await?;
    Ok(Page::from_rows(rows, page.limit, total))
}
