//! The data layer every service shares: connecting to SQLite or PostgreSQL ([`connect`]),
//! write transactions ([`begin`]), the hash-chained audit writer ([`audit`]), the outbox writer
//! ([`outbox`]), tenant-scoped query helpers ([`scoped`]) and the store for state shared
//! between replicas ([`store`]: Redis when configured, in-process otherwise). It knows nothing
//! of HTTP or of any service.

pub mod audit;
pub mod outbox;
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
pub async fn connect(settings: &Settings) -> Result<DatabaseConnection, DbError> {
    let url = match &settings.database_url {
        Some(u) => u.expose_secret().to_owned(),
        None => {
            std::fs::create_dir_all(&settings.data_dir).map_err(|e| DbErr::Custom(format!("cannot create data dir: {e}")))?;
            format!("sqlite://{}?mode=rwc", settings.sqlite_path().display())
        }
    };
    let sqlite = url.starts_with("sqlite:");
    let mut opts = ConnectOptions::new(url);
    opts.max_connections(if sqlite { 8 } else { 16 })
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        .sqlx_logging(false);
    if sqlite {
        opts.map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal).busy_timeout(Duration::from_secs(10)).foreign_keys(true)
        });
    }
    Ok(Database::connect(opts).await?)
}

/// Begins a write transaction. On SQLite it takes the write lock at `BEGIN` (IMMEDIATE), so two
/// concurrent writers queue instead of failing when they upgrade from reading to writing.
///
/// # Errors
/// When the database cannot start a transaction.
pub async fn begin(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbError> {
    let opts = TransactionOptions {
        sqlite_transaction_mode: (db.get_database_backend() == DbBackend::Sqlite).then_some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    };
    Ok(db.begin_with_options(opts).await?)
}

/// Restricts a query on a tenant-owned table to the caller's tenant. Every tenant-owned query
/// goes through here (or names the tenant column the same way), so a forgotten filter shows.
pub fn scoped<E: EntityTrait>(select: Select<E>, tenant_col: E::Column, ctx: &Principal) -> Select<E> {
    select.filter(tenant_col.eq(ctx.tenant_id.clone()))
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
/// When a write fails; the caller's transaction then rolls back with the change.
pub async fn record_change(
    tx: &impl ConnectionTrait,
    now: chrono::DateTime<chrono::Utc>,
    entry: audit::AuditEntry<'_>,
    event: Option<serde_json::Value>,
) -> Result<(), DbErr> {
    if let Some(mut data) = event {
        if let Some(obj) = data.as_object_mut() {
            obj.entry("actor").or_insert_with(|| serde_json::Value::String(entry.actor.to_string()));
        }
        outbox::enqueue(tx, now, outbox::NewEvent { event_type: entry.action, tenant_ids: entry.tenant_ids.clone(), data }).await?;
    }
    audit::record(tx, now, entry).await?;
    Ok(())
}
