//! The one keyset pagination every list uses: filter, then count and (at the same time) pick
//! the page's ids in a subquery (`id IN (SELECT id … ORDER BY id LIMIT n)`) and load those
//! rows. PostgreSQL answers the subquery from the tenant index instead of walking the primary
//! key past other tenants' rows (docs/benchmarks.md). Ids are UUIDv7, so id order is creation
//! order.

use accord_kernel::page::{Page, PageRequest};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select};
use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

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
    keyset_counted(db, q, id, order, page, None).await
}

/// As [`keyset`], with the total taken from `counts` when it holds it for this filter (a list
/// whose total is a scan of a large tenant's rows), and kept there otherwise.
///
/// # Errors
/// On database failure.
pub async fn keyset_counted<E, C>(
    db: &impl ConnectionTrait,
    q: Select<E>,
    id: C,
    order: Order,
    page: &PageRequest,
    counts: Option<&Counts>,
) -> Result<Page<E::Model>, DbErr>
where
    E: EntityTrait,
    C: ColumnTrait,
    E::Model: Send + Sync,
{
    let key = counts.map(|_| db.get_database_backend().build(&q.clone().into_query()).to_string());
    let cached = counts.zip(key.as_deref()).and_then(|(c, k)| c.get(k));
    let epoch = counts.map(Counts::epoch);
    let counted = q.clone();
    let count = async move {
        match cached {
            Some(n) => Ok(n),
            None => counted.count(db).await,
        }
    };
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
    // The count and the page on two pooled connections at once: the answer waits for the
    // slower of the two, not their sum (inside a transaction they take turns on its one).
    let (total, rows) = tokio::join!(count, sorted(E::find().filter(id.in_subquery(ids))).all(db));
    let (total, rows) = (total?, rows?);
    if let (Some(c), Some(k), Some(e), None) = (counts, key, epoch, cached) {
        c.put(k, total, e);
    }
    Ok(Page::from_rows(rows, page.limit, total))
}

/// Totals of lists kept between requests, for as long as a change feed vouches for them: the
/// feed calls [`Counts::changed`] on every change to the listed rows and [`Counts::confirm`]
/// after each successful read; past [`Counts::TRUST_FOR`] without a confirmation nothing is
/// answered from here. Keyed by the count statement itself (filter values included), so two
/// callers share a total only when they count exactly the same rows. Bounded.
#[derive(Debug)]
pub struct Counts {
    totals: RwLock<HashMap<String, u64>>,
    epoch: AtomicU64,
    /// Milliseconds since `origin` at the last confirmation (0: never).
    confirmed_ms: AtomicU64,
    origin: Instant,
}

impl Default for Counts {
    fn default() -> Self {
        Self { totals: RwLock::default(), epoch: AtomicU64::new(0), confirmed_ms: AtomicU64::new(0), origin: Instant::now() }
    }
}

impl Counts {
    /// How long totals are trusted after the feed last confirmed them.
    pub const TRUST_FOR: Duration = Duration::from_millis(1000);
    /// How many totals are kept (a full cache is emptied and refills).
    pub const MAX_TOTALS: usize = 100_000;

    /// The listed rows changed: every total is dropped, and one being counted is not kept.
    pub fn changed(&self) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut t) = self.totals.write() {
            t.clear();
        }
    }

    /// The feed read every change up to now.
    pub fn confirm(&self) {
        let ms = u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(u64::MAX).max(1);
        self.confirmed_ms.store(ms, Ordering::SeqCst);
    }

    fn trusted(&self) -> bool {
        let at = self.confirmed_ms.load(Ordering::SeqCst);
        at > 0 && self.origin.elapsed().saturating_sub(Duration::from_millis(at)) < Self::TRUST_FOR
    }

    fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::SeqCst)
    }

    fn get(&self, key: &str) -> Option<u64> {
        if !self.trusted() {
            return None;
        }
        self.totals.read().ok()?.get(key).copied()
    }

    fn put(&self, key: String, total: u64, epoch: u64) {
        if self.epoch() != epoch {
            return;
        }
        if let Ok(mut t) = self.totals.write() {
            if t.len() >= Self::MAX_TOTALS {
                t.clear();
            }
            t.insert(key, total);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_total_is_kept_only_while_confirmed_and_until_the_next_change() {
        let c = Counts::default();
        let e = c.epoch();
        c.put("count holder=1".into(), 7, e);
        assert_eq!(c.get("count holder=1"), None, "never confirmed by a feed: not trusted");
        c.confirm();
        assert_eq!(c.get("count holder=1"), Some(7));
        assert_eq!(c.get("count holder=2"), None, "another filter counts other rows");
        c.changed();
        assert_eq!(c.get("count holder=1"), None, "a change drops it");
        c.put("count holder=1".into(), 7, e);
        assert_eq!(c.get("count holder=1"), None, "a total counted before the change is not kept");
    }
}
