//! Lookups other services make, on the connection they pass: inside their write transaction
//! when they are writing (so a write never reads through the pool while it holds the write
//! lock, and reads what its own transaction sees), on the pool otherwise. Each answers records
//! ([`TenantRecord`], [`UserRecord`]); a row that does not parse is an error, never a default.

use crate::entities::{tenant, user};
use crate::error::Result;
use crate::records::{TenantRecord, UserRecord};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;
use tracing::instrument;

/// Tenants by id; unknown ids are absent.
///
/// # Errors
/// On database failure or a row that does not parse.
#[instrument(skip_all, fields(count = ids.len()))]
pub async fn tenants_by_ids(db: &impl ConnectionTrait, ids: &[String]) -> Result<HashMap<String, TenantRecord>> {
    let rows = tenant::Entity::find().filter(tenant::Column::Id.is_in(ids.iter().cloned())).all(db).await?;
    rows.into_iter().map(|m| TenantRecord::try_from(m).map(|t| (t.id.clone(), t))).collect()
}

/// One tenant, if it exists.
///
/// # Errors
/// On database failure or a row that does not parse.
#[instrument(skip_all, fields(tenant_id = %id))]
pub async fn tenant_by_id(db: &impl ConnectionTrait, id: &str) -> Result<Option<TenantRecord>> {
    tenant::Entity::find_by_id(id.to_owned()).one(db).await?.map(TenantRecord::try_from).transpose()
}

/// The tenant with this slug, if any.
///
/// # Errors
/// On database failure or a row that does not parse.
#[instrument(skip_all)]
pub async fn tenant_by_slug(db: &impl ConnectionTrait, slug: &str) -> Result<Option<TenantRecord>> {
    tenant::Entity::find().filter(tenant::Column::Slug.eq(slug)).one(db).await?.map(TenantRecord::try_from).transpose()
}

/// One user, if it exists.
///
/// # Errors
/// On database failure or a row that does not parse.
#[instrument(skip_all, fields(user_id = %id))]
pub async fn user_by_id(db: &impl ConnectionTrait, id: &str) -> Result<Option<UserRecord>> {
    user::Entity::find_by_id(id.to_owned()).one(db).await?.map(UserRecord::try_from).transpose()
}

/// Users by id (any status); unknown ids are absent.
///
/// # Errors
/// On database failure or a row that does not parse.
#[instrument(skip_all, fields(count = ids.len()))]
pub async fn users_by_ids(db: &impl ConnectionTrait, ids: &[String]) -> Result<HashMap<String, UserRecord>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = user::Entity::find().filter(user::Column::Id.is_in(ids.iter().cloned())).all(db).await?;
    rows.into_iter().map(|m| UserRecord::try_from(m).map(|u| (u.id.clone(), u))).collect()
}

/// The active users of some tenants (who mail about those tenants reaches), oldest first.
///
/// # Errors
/// On database failure or a row that does not parse.
#[instrument(skip_all, fields(count = tenant_ids.len()))]
pub async fn active_users_of(db: &impl ConnectionTrait, tenant_ids: &[String]) -> Result<Vec<UserRecord>> {
    use sea_orm::QueryOrder;
    if tenant_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = user::Entity::find()
        .filter(user::Column::TenantId.is_in(tenant_ids.iter().cloned()))
        .filter(user::Column::Status.eq(crate::domain::UserStatus::Active.as_str()))
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?;
    rows.into_iter().map(UserRecord::try_from).collect()
}

/// Live API tokens (not revoked) that expire in `(now, until]`, soonest first (the
/// credential-expiry job tells their owners).
///
/// # Errors
/// On database failure or a row that does not parse.
#[instrument(skip_all)]
pub async fn api_tokens_expiring(
    db: &impl ConnectionTrait,
    now: chrono::DateTime<chrono::Utc>,
    until: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<crate::records::ApiTokenRecord>> {
    use crate::entities::api_token;
    use sea_orm::QueryOrder;
    let rows = api_token::Entity::find()
        .filter(api_token::Column::RevokedAt.is_null())
        .filter(api_token::Column::ExpiresAt.gt(now))
        .filter(api_token::Column::ExpiresAt.lte(until))
        .order_by_asc(api_token::Column::ExpiresAt)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(crate::records::ApiTokenRecord::from).collect())
}
