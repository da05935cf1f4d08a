//! Lookups other services make, on the connection they pass: inside their write transaction
//! when they are writing (so a write never reads through the pool while it holds the write
//! lock, and reads what its own transaction sees), on the pool otherwise.

use crate::entities::{tenant, user};
use crate::error::Result;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// Tenants by id; unknown ids are absent.
///
/// # Errors
/// On database failure.
pub async fn tenants_by_ids(db: &impl ConnectionTrait, ids: &[String]) -> Result<HashMap<String, tenant::Model>> {
    let rows = tenant::Entity::find().filter(tenant::Column::Id.is_in(ids.iter().cloned())).all(db).await?;
    Ok(rows.into_iter().map(|t| (t.id.clone(), t)).collect())
}

/// One tenant, if it exists.
///
/// # Errors
/// On database failure.
pub async fn tenant_by_id(db: &impl ConnectionTrait, id: &str) -> Result<Option<tenant::Model>> {
    Ok(tenant::Entity::find_by_id(id.to_owned()).one(db).await?)
}

/// One user, if it exists.
///
/// # Errors
/// On database failure.
pub async fn user_by_id(db: &impl ConnectionTrait, id: &str) -> Result<Option<user::Model>> {
    Ok(user::Entity::find_by_id(id.to_owned()).one(db).await?)
}

/// Whether a tenant row is a working organization.
#[must_use]
pub fn is_active(t: &tenant::Model) -> bool {
    t.status == crate::service::TENANT_ACTIVE
}
