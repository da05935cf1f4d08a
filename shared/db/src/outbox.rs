//! The transactional outbox: an event is written in the same transaction as the change that
//! caused it (SPEC §2.5), and dispatched later by the notifications worker. If the transaction
//! rolls back, the event never existed.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait};
use serde_json::{Value, json};

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

/// Events of a type, oldest first (tests and operators).
///
/// # Errors
/// On database failure.
pub async fn of_type(db: &impl ConnectionTrait, event_type: &str) -> Result<Vec<entity::Model>, DbErr> {
    use sea_orm::QueryOrder;
    entity::Entity::find().filter(entity::Column::EventType.eq(event_type)).order_by_asc(entity::Column::Id).all(db).await
}
