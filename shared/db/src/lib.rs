//! The data layer every service shares: connecting to SQLite or PostgreSQL ([`connect`]),
//! write transactions ([`begin`]), the hash-chained audit writer ([`audit`]), the outbox writer
//! ([`outbox`]), tenant-scoped query helpers ([`scoped`]) and the store for state shared
//! between replicas ([`store`]: Redis when configured, in-process otherwise). It knows nothing
//! of HTTP or of any service.

pub mod audit;
pub mod events;
pub mod outbox;
pub mod page;
pub mod store;

use accord_kernel::config::Settings;
use accord_kernel::{Classify, ErrorKind, Principal};
use sea_orm::{
    ColumnTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, EntityTrait,
    QueryFilter, Select, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use secrecy::ExposeSecret;
use std::time::Duration;

pub use sea_orm;

/// A database failure. Its text never reaches a client (`Classify` says `INTERNAL`).
#[derive(Debug, thiserror::Error)]
#[error("database error")]
pub struct DbError(#[from] pub DbErr);

impl Classify for DbError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Internal
    }
}

/// Opens the configured database: `DATABASE_URL`, or the embedded SQLite file in the data dir
/// (created, with WAL journaling so readers never wait for the writer).
///
/// # Errors
/// When the database cannot be reached or the data dir cannot be created.
pub async fn connect(settings: &Settings) -> Result<Db, DbError> {
    let url = match &settings.database_url {
        Some(u) => u.expose_secret().to_owned(),
        None => {
            std::fs::create_dir_all(&settings.data_dir).map_err(|e| DbErr::Custom(format!("cannot create data dir: {e}")))?;
            format!("sqlite://{}?mode=rwc", settings.sqlite_path().display())
        }
    };
    Db::open(&url).await
}

/// Pool sizes and waits (docs/concurrency.md explains them).
const PG_READERS: u32 = 16;
const PG_WRITERS: u32 = 2;
const SQLITE_READERS: u32 = 8;
/// A pooled connection idle this long is pinged before it is handed out.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(30);
/// How long a caller waits for a pooled connection to read with.
const READ_ACQUIRE: Duration = Duration::from_secs(5);
/// How long a writer waits for its turn: for the writer pool in this process, and on SQLite for
/// the file lock held by another process (e.g. `accord jobs run` beside `accord serve`).
const WRITE_WAIT: Duration = Duration::from_secs(30);

/// The database: a pool for reads and a small pool for write transactions ([`begin`]). Writers
/// queue for the writer pool in arrival order without holding a reader connection, so a crowd
/// of writers never starves reads (docs/concurrency.md): on SQLite the writer pool is the one
/// connection allowed to write; on PostgreSQL every write transaction also takes the
/// audit-chain head row first. Cheap to clone; dereferences to the read pool.
#[derive(Clone, Debug)]
pub struct Db {
    read: DatabaseConnection,
    write: DatabaseConnection,
}

impl Db {
    /// Connects to a `sqlite:` or `postgres:` URL.
    ///
    /// # Errors
    /// When the database cannot be reached.
    pub async fn open(url: &str) -> Result<Self, DbError> {
        let sqlite = url.starts_with("sqlite:");
        let pool = |max: u32, wait: Duration| {
            let mut o = ConnectOptions::new(url.to_owned());
            o.max_connections(max)
                .min_connections(1)
                .connect_timeout(Duration::from_secs(5))
                .acquire_timeout(wait)
                // No ping round trip per checkout for a connection in use (sqlx's default pings
                // every one): only one idle long enough to have been dropped by the server, a
                // proxy or a firewall is pinged first. A connection that broke anyway fails its
                // statement and leaves the pool.
                .test_before_acquire_if_idle_for(IDLE_BEFORE_PING)
                .sqlx_logging(false);
            if sqlite {
                o.map_sqlx_sqlite_opts(|o| {
                    o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal).busy_timeout(WRITE_WAIT).foreign_keys(true)
                });
            }
            o
        };
        let (readers, writers) = if sqlite { (SQLITE_READERS, 1) } else { (PG_READERS, PG_WRITERS) };
        let write = Database::connect(pool(writers, WRITE_WAIT)).await?;
        let read = Database::connect(pool(readers, READ_ACQUIRE)).await?;
        Ok(Self { read, write })
    }

    /// The read pool (what `Deref` gives).
    #[must_use]
    pub fn reader(&self) -> &DatabaseConnection {
        &self.read
    }

    /// The writer pool, for a single unaudited statement outside a transaction (bookkeeping such
    /// as a token's last use); audited changes go through [`begin`].
    #[must_use]
    pub fn writer(&self) -> &DatabaseConnection {
        &self.write
    }

    /// Calls `f` for every statement executed, on reads and writes alike (statement counters).
    pub fn set_metric_callback<F>(&mut self, f: F)
    where
        F: Fn(&sea_orm::metric::Info<'_>) + Send + Sync + 'static,
    {
        let f = std::sync::Arc::new(f);
        let g = f.clone();
        self.read.set_metric_callback(move |i| f(i));
        self.write.set_metric_callback(move |i| g(i));
    }

    /// Closes both pools.
    ///
    /// # Errors
    /// When closing fails.
    pub async fn close(self) -> Result<(), DbError> {
        self.write.close().await?;
        self.read.close().await?;
        Ok(())
    }
}

impl std::ops::Deref for Db {
    type Target = DatabaseConnection;
    fn deref(&self) -> &DatabaseConnection {
        &self.read
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for Db {
    fn get_database_backend(&self) -> DbBackend {
        self.read.get_database_backend()
    }
    async fn execute_raw(&self, stmt: sea_orm::Statement) -> Result<sea_orm::ExecResult, DbErr> {
        self.read.execute_raw(stmt).await
    }
    async fn execute_unprepared(&self, sql: &str) -> Result<sea_orm::ExecResult, DbErr> {
        self.read.execute_unprepared(sql).await
    }
    async fn query_one_raw(&self, stmt: sea_orm::Statement) -> Result<Option<sea_orm::QueryResult>, DbErr> {
        self.read.query_one_raw(stmt).await
    }
    async fn query_all_raw(&self, stmt: sea_orm::Statement) -> Result<Vec<sea_orm::QueryResult>, DbErr> {
        self.read.query_all_raw(stmt).await
    }
}

/// Begins a write transaction, taking the first lock of the one lock order
/// (docs/concurrency.md): on SQLite the writer connection and the file's write lock at `BEGIN`
/// (IMMEDIATE); on PostgreSQL the audit-chain head row, which every write transaction takes
/// first and holds to its end, so write transactions never wait for each other in two orders
/// (no deadlock) and each one reads what the one before it committed.
///
/// # Errors
/// When the database cannot start a transaction.
pub async fn begin(db: &Db) -> Result<DatabaseTransaction, DbError> {
    if db.get_database_backend() == DbBackend::Sqlite {
        let opts = TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate), ..TransactionOptions::default() };
        return Ok(db.write.begin_with_options(opts).await?);
    }
    let tx = db.write.begin().await?;
    tx.execute_unprepared("UPDATE audit_chain SET seq = seq WHERE id = 1").await?;
    Ok(tx)
}

/// Begins a write transaction that records no audit event: the relay's bookkeeping (outbox
/// rows marked published, deliveries and mails written and settled). On SQLite it is the one
/// writer like every write; on PostgreSQL it skips the audit-chain head row, so relays never
/// queue behind audited changes nor they behind relays. It takes only outbox rows (`SKIP
/// LOCKED`), delivery and mail rows (docs/concurrency.md). Never audit in it: audited changes
/// use [`begin`].
///
/// # Errors
/// When the database cannot start a transaction.
pub async fn begin_unaudited(db: &Db) -> Result<DatabaseTransaction, DbError> {
    if db.get_database_backend() == DbBackend::Sqlite {
        return begin(db).await;
    }
    Ok(db.write.begin().await?)
}

/// Restricts a query on a tenant-owned table to the caller's tenant. Every tenant-owned query
/// goes through here (or names the tenant column the same way), so a forgotten filter shows.
pub fn scoped<E: EntityTrait>(select: Select<E>, tenant_col: E::Column, ctx: &Principal) -> Select<E> {
    select.filter(tenant_col.eq(ctx.tenant_id.clone()))
}

/// The one row lock: holds `id`'s row of `E` until the transaction ends, by a no-op update
/// (`SET touch = touch`) that works alike on PostgreSQL and SQLite (where the write transaction
/// is already exclusive). Returns whether the row exists; changes nothing, reveals nothing. Take
/// row locks in the order of docs/concurrency.md.
///
/// # Errors
/// On database failure.
pub async fn lock_row<E: EntityTrait>(tx: &impl ConnectionTrait, touch: E::Column, id_column: E::Column, id: &str) -> Result<bool, DbErr> {
    let res = E::update_many().col_expr(touch, sea_orm::sea_query::Expr::col(touch)).filter(id_column.eq(id)).exec(tx).await?;
    Ok(res.rows_affected == 1)
}

/// Whether the database answers (for `/readyz`).
///
/// # Errors
/// When it does not.
pub async fn ping(db: &impl ConnectionTrait) -> Result<(), DbError> {
    db.execute_unprepared("SELECT 1").await?;
    Ok(())
}

/// Records a change: its audit event and, where SPEC §6 names one, its outbox event, both in
/// the caller's transaction (SPEC §2.5: if the transaction rolls back, neither exists). The
/// outbox payload's `data` gets the actor added, so receivers see who did it.
///
/// # Errors
/// When a write fails (the caller's transaction then rolls back with the change), or when
/// `entry.action` is not the name of `event`'s type.
pub async fn record_change(
    tx: &impl ConnectionTrait,
    now: chrono::DateTime<chrono::Utc>,
    entry: audit::AuditEntry<'_>,
    event: Option<events::Event>,
) -> Result<(), DbErr> {
    if let Some(events::Event { event_type, mut data }) = event {
        // SPEC §6: an audit action uses the event's name where an event exists.
        if entry.action != event_type.as_str() {
            return Err(DbErr::Custom(format!("audit action `{}` recorded with event `{event_type}`", entry.action)));
        }
        if let Some(obj) = data.as_object_mut() {
            obj.entry("actor").or_insert_with(|| serde_json::Value::String(entry.actor.to_string()));
        }
        outbox::enqueue(tx, now, outbox::NewEvent { event_type, tenant_ids: entry.tenant_ids.clone(), data }).await?;
    }
    audit::record(tx, now, entry).await?;
    Ok(())
}

/// Records many changes at once (the scheduled sweeps): their audit events chained in order
/// and their outbox events, in the caller's transaction, with multi-row inserts. The same
/// rules as [`record_change`]: an event's type must be its entry's action, and the actor is
/// added to each payload.
///
/// # Errors
/// When a write fails, or an action does not name its event's type.
pub async fn record_changes(
    tx: &impl ConnectionTrait,
    now: chrono::DateTime<chrono::Utc>,
    changes: Vec<(audit::AuditEntry<'_>, Option<events::Event>)>,
) -> Result<(), DbErr> {
    let mut outbox_events = Vec::new();
    for (entry, event) in &changes {
        if let Some(events::Event { event_type, data }) = event {
            if entry.action != event_type.as_str() {
                return Err(DbErr::Custom(format!("audit action `{}` recorded with event `{event_type}`", entry.action)));
            }
            let mut data = data.clone();
            if let Some(obj) = data.as_object_mut() {
                obj.entry("actor").or_insert_with(|| serde_json::Value::String(entry.actor.to_string()));
            }
            outbox_events.push(outbox::NewEvent { event_type: *event_type, tenant_ids: entry.tenant_ids.clone(), data });
        }
    }
    outbox::enqueue_many(tx, now, outbox_events).await?;
    let entries: Vec<audit::AuditEntry<'_>> = changes.into_iter().map(|(e, _)| e).collect();
    audit::record_many(tx, now, &entries).await?;
    Ok(())
}

/// How many times a write use case runs when the database aborts it as a serialization
/// failure, a deadlock or a busy file (docs/concurrency.md).
pub const WRITE_ATTEMPTS: u32 = 5;

/// Whether `e` is a failure that running the same transaction again can cure: PostgreSQL
/// serialization failures (`40001`) and deadlocks (`40P01`), SQLite's busy and locked file
/// (another process held the write lock longer than the busy timeout).
#[must_use]
pub fn is_transient(e: &DbErr) -> bool {
    let (DbErr::Exec(sea_orm::RuntimeErr::SqlxError(se))
    | DbErr::Query(sea_orm::RuntimeErr::SqlxError(se))
    | DbErr::Conn(sea_orm::RuntimeErr::SqlxError(se))) = e
    else {
        return false;
    };
    let sea_orm::sqlx::Error::Database(d) = se.as_ref() else { return false };
    let Some(code) = d.code() else { return false };
    matches!(code.as_ref(), "40001" | "40P01") || code.parse::<i32>().is_ok_and(|c| matches!(c & 0xff, 5 | 6))
}

/// Whether `e` or any error in its cause chain is [transient](is_transient).
#[must_use]
pub fn is_transient_error(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if let Some(db) = err.downcast_ref::<DbErr>()
            && is_transient(db)
        {
            return true;
        }
        if let Some(db) = err.downcast_ref::<DbError>()
            && is_transient(&db.0)
        {
            return true;
        }
        cur = err.source();
    }
    false
}

/// Runs a write use case, again (up to [`WRITE_ATTEMPTS`] times in all, after a short jittered
/// pause) when the database aborted it with a [transient](is_transient_error) failure. Each run
/// must be a whole transaction, so a retried run starts from committed state; callers never
/// see a deadlock or a serialization failure unless every attempt hit one.
///
/// # Errors
/// The use case's own error, or the last transient one.
pub async fn retrying<T, E, F, Fut>(what: &str, mut run: F) -> Result<T, E>
where
    E: std::error::Error + 'static,
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, E>>,
{
    let mut attempt = 1;
    loop {
        match run().await {
            Err(e) if attempt < WRITE_ATTEMPTS && is_transient_error(&e) => {
                let pause = 5u64 * (1 << attempt) + u64::from(uuid::Uuid::new_v4().as_u128() as u8 % 20);
                tracing::info!(what, attempt, pause_ms = pause, "write transaction aborted by the database; retrying");
                tokio::time::sleep(Duration::from_millis(pause)).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}
