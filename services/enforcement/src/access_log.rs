//! Accord's own access log: tokens issued and refused, decisions and `/authz` answers, kept
//! in `usage_records` beside what gateways report. Entries are counted in memory (one short
//! lock, no await on the hot path) and written in batches: repeated entries (same holder,
//! client, grant, type, interaction, outcome, source) within a flush become one row with
//! their count.

use crate::entities::usage_record;
use crate::error::Result;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, EntityTrait};
use std::collections::HashMap;
use std::sync::Mutex;

/// How often the access log is written.
pub const FLUSH_EVERY: std::time::Duration = std::time::Duration::from_millis(500);
/// Rows per insert statement.
const ROWS_PER_INSERT: usize = 500;

/// One entry of Accord's own access log.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Entry {
    /// The data holder.
    pub holder_tenant_id: String,
    /// The client.
    pub client_id: String,
    /// The app, when known.
    pub app_id: Option<String>,
    /// The grant it was decided on, when there was one.
    pub grant_id: Option<String>,
    /// The resource type, for resource decisions.
    pub resource_type: Option<String>,
    /// The interaction (or `token`).
    pub interaction: Option<String>,
    /// The scope(s), for tokens and scope decisions.
    pub scope: Option<String>,
    /// `allowed`, `denied`, `issued`, `refused`.
    pub outcome: String,
    /// `token`, `decision`, `authz`, `introspection`.
    pub source: &'static str,
}

/// What is waiting to be written: each distinct entry once, with its first time, its count and
/// its arrival order.
/// First time, count, arrival order.
type Tally = (DateTime<Utc>, i64, u64);

struct Pending {
    counts: HashMap<Entry, Tally>,
    next: u64,
}

impl Default for Pending {
    fn default() -> Self {
        Self { counts: HashMap::with_capacity(1024), next: 0 }
    }
}

impl Pending {
    fn add(&mut self, entry: Entry, at: DateTime<Utc>) {
        match self.counts.get_mut(&entry) {
            Some((_, n, _)) => *n += 1,
            None => {
                self.counts.insert(entry, (at, 1, self.next));
                self.next += 1;
            }
        }
    }

    fn len(&self) -> usize {
        self.counts.len()
    }

    /// The rows, in the order entries first came.
    fn rows(self, received: DateTime<Utc>) -> Vec<usage_record::ActiveModel> {
        let mut all: Vec<(Entry, Tally)> = self.counts.into_iter().collect();
        all.sort_unstable_by_key(|(_, (_, _, seq))| *seq);
        all.into_iter().map(|(e, (at, count, _))| row(e, at, count, received)).collect()
    }
}

/// Accord's own access log: entries are counted in memory (one short lock, no await on the hot
/// path) and written every [`FLUSH_EVERY`], or sooner when [`FLUSH_AT`] distinct entries wait.
pub struct AccessLog {
    db: accord_db::Db,
    pending: Mutex<Pending>,
    flush: tokio::sync::Notify,
    started: std::sync::atomic::AtomicBool,
}

/// Distinct entries that make the writer flush at once.
const FLUSH_AT: usize = 20_000;
/// Distinct entries kept while the database cannot be written; past it, new ones are dropped
/// (and said so in the log) rather than exhausting memory.
const MAX_PENDING: usize = 1_000_000;

impl AccessLog {
    pub(crate) fn new(db: accord_db::Db) -> Self {
        Self { db, pending: Mutex::default(), flush: tokio::sync::Notify::new(), started: Default::default() }
    }

    /// Counts `entry`.
    pub(crate) fn record(&self, entry: Entry, at: DateTime<Utc>) {
        let Ok(mut p) = self.pending.lock() else { return };
        if p.len() >= MAX_PENDING && !p.counts.contains_key(&entry) {
            tracing::error!("the access log cannot keep up with the database: an entry was dropped");
            return;
        }
        p.add(entry, at);
        if p.len() >= FLUSH_AT {
            self.flush.notify_one();
        }
    }

    /// Starts the writer (once per process).
    pub(crate) fn spawn(self: &std::sync::Arc<Self>) {
        if self.started.swap(true, std::sync::atomic::Ordering::SeqCst) {
            return;
        }
        let log = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    () = tokio::time::sleep(FLUSH_EVERY) => {}
                    () = log.flush.notified() => {}
                }
                let batch = match log.pending.lock() {
                    Ok(mut p) => std::mem::take(&mut *p),
                    Err(_) => return,
                };
                if batch.len() == 0 {
                    continue;
                }
                if let Err(e) = insert(&log.db, batch.rows(Utc::now())).await {
                    tracing::error!(error = %accord_kernel::gql::cause_chain(&e), "cannot write the access log");
                }
            }
        });
    }
}

pub(crate) fn row(e: Entry, at: DateTime<Utc>, count: i64, received: DateTime<Utc>) -> usage_record::ActiveModel {
    usage_record::ActiveModel {
        id: Set(accord_kernel::new_id()),
        holder_tenant_id: Set(e.holder_tenant_id),
        client_id: Set(e.client_id),
        app_id: Set(e.app_id),
        grant_id: Set(e.grant_id),
        resource_type: Set(e.resource_type),
        interaction: Set(e.interaction),
        scope: Set(e.scope),
        outcome: Set(e.outcome),
        source: Set(e.source.to_owned()),
        count: Set(count),
        at: Set(at),
        received_at: Set(received),
    }
}

pub(crate) async fn insert(db: &accord_db::Db, rows: Vec<usage_record::ActiveModel>) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    // Unaudited bookkeeping in one transaction: a call's records are all kept or none.
    let tx = accord_db::begin_unaudited(db).await?;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(ROWS_PER_INSERT).collect();
        usage_record::Entity::insert_many(chunk).exec(&tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(outcome: &str) -> Entry {
        Entry {
            holder_tenant_id: "h".into(),
            client_id: "c".into(),
            app_id: None,
            grant_id: Some("g".into()),
            resource_type: Some("Observation".into()),
            interaction: Some("read".into()),
            scope: None,
            outcome: outcome.into(),
            source: "authz",
        }
    }

    #[test]
    fn repeated_entries_in_one_flush_become_one_row_with_their_count() {
        let t = Utc::now();
        let mut p = Pending::default();
        for e in ["allowed", "allowed", "denied", "allowed"] {
            p.add(entry(e), t);
        }
        let rows = p.rows(t);
        let counts: Vec<(String, i64)> = rows
            .iter()
            .map(|r| match (&r.outcome, &r.count) {
                (sea_orm::ActiveValue::Set(o), sea_orm::ActiveValue::Set(c)) => (o.clone(), *c),
                _ => (String::new(), 0),
            })
            .collect();
        assert_eq!(counts, vec![("allowed".to_owned(), 3), ("denied".to_owned(), 1)]);
    }
}
