//! The transactional outbox: an event is written in the same transaction as the change that
//! caused it (SPEC §2.5), and dispatched later by the notifications worker. If the transaction
//! rolls back, the event never existed.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbBackend, QueryOrder, QuerySelect};
use serde_json::{Value, json};
use std::collections::HashMap;

/// The outbox table.
pub(crate) mod entity {
    use sea_orm::entity::prelude::*;

    /// One event waiting for (or past) dispatch.
    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "outbox_events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub event_type: String,
        /// `,id1,id2,` so "concerns tenant X" is a `LIKE '%,X,%'` without a join.
        pub tenant_ids: String,
        #[sea_orm(column_type = "Text")]
        pub payload: String,
        pub created_at: DateTimeUtc,
        pub published_at: Option<DateTimeUtc>,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// An event to enqueue.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// Its SPEC §6 type.
    pub event_type: crate::events::EventType,
    /// The tenants it concerns (whose webhooks receive it).
    pub tenant_ids: Vec<String>,
    /// The `data` object of the payload.
    pub data: Value,
}

/// Writes an event inside the caller's transaction and returns its id (the `webhook-id`).
///
/// # Errors
/// When the insert fails; the caller's transaction then rolls back with it.
pub async fn enqueue(tx: &impl ConnectionTrait, now: DateTime<Utc>, event: NewEvent) -> Result<String, DbErr> {
    let id = accord_kernel::new_id();
    let payload = json!({ "type": event.event_type.as_str(), "timestamp": now.to_rfc3339_opts(chrono::SecondsFormat::Micros, true), "data": event.data });
    entity::ActiveModel {
        id: Set(id.clone()),
        event_type: Set(event.event_type.as_str().to_owned()),
        tenant_ids: Set(format!(",{},", event.tenant_ids.join(","))),
        payload: Set(payload.to_string()),
        created_at: Set(now),
        published_at: Set(None),
    }
    .insert(tx)
    .await?;
    Ok(id)
}

/// Writes many events inside the caller's transaction with multi-row inserts; returns their ids.
///
/// # Errors
/// When an insert fails; the caller's transaction then rolls back with them.
pub async fn enqueue_many(tx: &impl ConnectionTrait, now: DateTime<Utc>, events: Vec<NewEvent>) -> Result<Vec<String>, DbErr> {
    let stamp = now.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let ids: Vec<String> = events.iter().map(|_| accord_kernel::new_id()).collect();
    let rows: Vec<entity::ActiveModel> = events
        .into_iter()
        .zip(&ids)
        .map(|(event, id)| {
            let payload = json!({ "type": event.event_type.as_str(), "timestamp": stamp, "data": event.data });
            entity::ActiveModel {
                id: Set(id.clone()),
                event_type: Set(event.event_type.as_str().to_owned()),
                tenant_ids: Set(format!(",{},", event.tenant_ids.join(","))),
                payload: Set(payload.to_string()),
                created_at: Set(now),
                published_at: Set(None),
            }
        })
        .collect();
    for chunk in rows.chunks(500) {
        entity::Entity::insert_many(chunk.to_vec()).exec_without_returning(tx).await?;
    }
    Ok(ids)
}

/// Writes an event that is delivered only where the caller sends it, never fanned out by the
/// relay (it is born published): the test webhook an admin sends to one endpoint. Returns its
/// id. `type_name` need not be a SPEC §6 type.
///
/// # Errors
/// When the insert fails.
pub async fn enqueue_published(
    tx: &impl ConnectionTrait,
    now: DateTime<Utc>,
    type_name: &str,
    tenant_ids: &[String],
    data: Value,
) -> Result<String, DbErr> {
    let id = accord_kernel::new_id();
    let payload = json!({ "type": type_name, "timestamp": now.to_rfc3339_opts(chrono::SecondsFormat::Micros, true), "data": data });
    entity::ActiveModel {
        id: Set(id.clone()),
        event_type: Set(type_name.to_owned()),
        tenant_ids: Set(format!(",{},", tenant_ids.join(","))),
        payload: Set(payload.to_string()),
        created_at: Set(now),
        published_at: Set(Some(now)),
    }
    .insert(tx)
    .await?;
    Ok(id)
}

/// An outbox event as the relay reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRecord {
    /// Its id (the `webhook-id` of every delivery of it).
    pub id: String,
    /// Its type name.
    pub event_type: String,
    /// The tenants it concerns.
    pub tenant_ids: Vec<String>,
    /// The whole payload, as JSON text (what webhooks sign and send, byte for byte).
    pub payload: String,
    /// When the change happened.
    pub created_at: DateTime<Utc>,
    /// When the relay fanned it out.
    pub published_at: Option<DateTime<Utc>>,
}

impl From<entity::Model> for OutboxRecord {
    fn from(m: entity::Model) -> Self {
        let tenant_ids = m.tenant_ids.split(',').filter(|t| !t.is_empty()).map(str::to_owned).collect();
        Self { id: m.id, event_type: m.event_type, tenant_ids, payload: m.payload, created_at: m.created_at, published_at: m.published_at }
    }
}

/// Up to `limit` events not yet fanned out, oldest first, locked for the caller's transaction.
/// On PostgreSQL rows another relay holds are skipped (`FOR UPDATE SKIP LOCKED`), so replicas
/// share the backlog without waiting on each other or taking an event twice; on SQLite the
/// caller's write transaction is already the only one.
///
/// # Errors
/// On database failure.
pub async fn claim_unpublished(tx: &impl ConnectionTrait, limit: u64) -> Result<Vec<OutboxRecord>, DbErr> {
    let mut q = entity::Entity::find().filter(entity::Column::PublishedAt.is_null()).order_by_asc(entity::Column::Id).limit(limit);
    if tx.get_database_backend() == DbBackend::Postgres {
        q = q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    Ok(q.all(tx).await?.into_iter().map(OutboxRecord::from).collect())
}

/// Marks events fanned out (in the transaction that wrote their deliveries and mails).
///
/// # Errors
/// On database failure.
pub async fn mark_published(tx: &impl ConnectionTrait, ids: &[String], now: DateTime<Utc>) -> Result<u64, DbErr> {
    if ids.is_empty() {
        return Ok(0);
    }
    let res = entity::Entity::update_many()
        .col_expr(entity::Column::PublishedAt, Expr::value(now))
        .filter(entity::Column::Id.is_in(ids.iter().cloned()))
        .filter(entity::Column::PublishedAt.is_null())
        .exec(tx)
        .await?;
    Ok(res.rows_affected)
}

/// Events by id (the payloads deliveries send).
///
/// # Errors
/// On database failure.
pub async fn events_by_ids(db: &impl ConnectionTrait, ids: &[String]) -> Result<HashMap<String, OutboxRecord>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = entity::Entity::find().filter(entity::Column::Id.is_in(ids.iter().cloned())).all(db).await?;
    Ok(rows.into_iter().map(|m| (m.id.clone(), OutboxRecord::from(m))).collect())
}

/// When the oldest event still waiting to be fanned out was written (`None`: none waits); the
/// outbox lag metric is its age.
///
/// # Errors
/// On database failure.
pub async fn oldest_unpublished(db: &impl ConnectionTrait) -> Result<Option<DateTime<Utc>>, DbErr> {
    let row = entity::Entity::find().filter(entity::Column::PublishedAt.is_null()).order_by_asc(entity::Column::Id).one(db).await?;
    Ok(row.map(|m| m.created_at))
}

/// Events of a type, oldest first (tests and operators).
///
/// # Errors
/// On database failure.
pub async fn of_type(db: &impl ConnectionTrait, event_type: &str) -> Result<Vec<OutboxRecord>, DbErr> {
    let rows = entity::Entity::find().filter(entity::Column::EventType.eq(event_type)).order_by_asc(entity::Column::Id).all(db).await?;
    Ok(rows.into_iter().map(OutboxRecord::from).collect())
}
