//! Queries on the registry's tables. The crate-public helpers here are what other services
//! (approvals, lifecycle) call: they are unscoped on purpose — the caller decides visibility
//! (a data holder with a request sees the app) — and the write helpers take the caller's
//! transaction, so a cascade such as offboarding stays atomic.

use crate::domain::{AppKind, AppStatus, AuthMethod, CredentialKind, NewApp};
use crate::entities::{app, app_credential};
use crate::error::{Error, Result};
use accord_kernel::Principal;
use accord_kernel::page::{Page, PageRequest};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use std::collections::HashMap;
use tracing::instrument;

/// An app as other services see it (the table row, parsed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppRecord {
    /// Its id.
    pub id: String,
    /// The vendor tenant that registered it.
    pub vendor_tenant_id: String,
    /// Display name.
    pub name: String,
    /// What it does.
    pub description: Option<String>,
    /// Kind.
    pub kind: AppKind,
    /// A PKCE-only client without a secret.
    pub public: bool,
    /// The OAuth client id (`acc_…`).
    pub client_id: String,
    /// Redirect URIs, exactly as registered.
    pub redirect_uris: Vec<String>,
    /// SMART launch URL.
    pub launch_url: Option<String>,
    /// Where its public keys are published.
    pub jwks_uri: Option<String>,
    /// Its public keys (a JWK Set as JSON).
    pub jwks: Option<String>,
    /// Why it needs data.
    pub purpose: String,
    /// Who answers for it.
    pub business_owner_email: String,
    /// Who runs it.
    pub technical_owner_email: String,
    /// Where it stands.
    pub status: AppStatus,
    /// Why it was last suspended or offboarded.
    pub status_reason: Option<String>,
    /// When it was registered.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<app::Model> for AppRecord {
    type Error = Error;

    fn try_from(m: app::Model) -> Result<Self> {
        // Rows are only written from the enums and a JSON array; anything else is corruption,
        // and failing closed is the only safe reading of it.
        let corrupt = |what: &str| Error::internal(format!("app {} has an unreadable {what}", m.id));
        let kind = m.kind.parse().map_err(|_| corrupt("kind"))?;
        let status = m.status.parse().map_err(|_| corrupt("status"))?;
        let redirect_uris = serde_json::from_str(&m.redirect_uris).map_err(|_| corrupt("redirect_uris"))?;
        Ok(Self {
            id: m.id,
            vendor_tenant_id: m.vendor_tenant_id,
            name: m.name,
            description: m.description,
            kind,
            public: m.public,
            client_id: m.client_id,
            redirect_uris,
            launch_url: m.launch_url,
            jwks_uri: m.jwks_uri,
            jwks: m.jwks,
            purpose: m.purpose,
            business_owner_email: m.business_owner_email,
            technical_owner_email: m.technical_owner_email,
            status,
            status_reason: m.status_reason,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

impl AppRecord {
    /// How the app authenticates.
    #[must_use]
    pub fn auth_method(&self) -> AuthMethod {
        match (self.jwks.is_some() || self.jwks_uri.is_some(), self.public) {
            (true, _) => AuthMethod::PrivateKeyJwt,
            (false, true) => AuthMethod::Pkce,
            (false, false) => AuthMethod::ClientSecret,
        }
    }

    /// The app in events and audit details: `{id, clientId, name, kind, vendorId,
    /// businessOwner, technicalOwner}` (the owners, so mail reaches them). The one
    /// shape of an app in every service's payloads (registry, approvals, lifecycle), which
    /// webhook consumers depend on.
    #[must_use]
    pub fn summary(&self) -> Value {
        json!({
            "id": self.id,
            "clientId": self.client_id,
            "name": self.name,
            "kind": self.kind.as_str(),
            "vendorId": self.vendor_tenant_id,
            "businessOwner": self.business_owner_email,
            "technicalOwner": self.technical_owner_email,
        })
    }

    /// The app as a registration, to apply an update to and re-validate as a whole.
    #[must_use]
    pub fn to_new_app(&self) -> NewApp {
        NewApp {
            name: self.name.clone(),
            description: self.description.clone(),
            kind: self.kind,
            public: Some(self.public),
            redirect_uris: Some(self.redirect_uris.clone()),
            launch_url: self.launch_url.clone(),
            jwks_uri: self.jwks_uri.clone(),
            jwks: self.jwks.clone(),
            purpose: self.purpose.clone(),
            business_owner_email: self.business_owner_email.clone(),
            technical_owner_email: self.technical_owner_email.clone(),
        }
    }
}

/// One credential of an app, as other crates (and tests) see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialRecord {
    /// Its id.
    pub id: String,
    /// The app it belongs to.
    pub app_id: String,
    /// Client secret or key registration.
    pub kind: CredentialKind,
    /// The argon2id hash of a client secret (never the secret); `None` for keys.
    pub secret_hash: Option<String>,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
    /// When it stops working, if ever.
    pub expires_at: Option<DateTime<Utc>>,
    /// The credential it replaced.
    pub rotated_from: Option<String>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl TryFrom<app_credential::Model> for CredentialRecord {
    type Error = Error;

    fn try_from(m: app_credential::Model) -> Result<Self> {
        let kind = m.kind.parse().map_err(|_| Error::internal(format!("credential {} has an unreadable kind", m.id)))?;
        Ok(Self {
            id: m.id,
            app_id: m.app_id,
            kind,
            secret_hash: m.secret_hash,
            created_at: m.created_at,
            expires_at: m.expires_at,
            rotated_from: m.rotated_from,
            revoked_at: m.revoked_at,
        })
    }
}

/// Which apps [`list_apps`] returns; every given condition must hold.
#[derive(Debug, Clone, Default)]
pub struct AppFilter {
    /// Only this vendor's apps.
    pub vendor_tenant_id: Option<String>,
    /// Only apps whose id this subquery selects (e.g. apps with a request at a data holder).
    pub ids_in: Option<SelectStatement>,
    /// Only apps in this status.
    pub status: Option<AppStatus>,
}

/// One app by id, whoever owns it (callers enforce visibility).
///
/// # Errors
/// On database failure or a corrupt row.
#[instrument(skip_all, fields(app_id = %id))]
pub async fn app_by_id(db: &impl ConnectionTrait, id: &str) -> Result<Option<AppRecord>> {
    app::Entity::find_by_id(id.to_owned()).one(db).await?.map(AppRecord::try_from).transpose()
}

/// The app with this OAuth client id, if any (enforcement authenticates clients by it).
///
/// # Errors
/// On database failure or a corrupt row.
#[instrument(skip_all)]
pub async fn app_by_client_id(db: &impl ConnectionTrait, client_id: &str) -> Result<Option<AppRecord>> {
    app::Entity::find().filter(app::Column::ClientId.eq(client_id)).one(db).await?.map(AppRecord::try_from).transpose()
}

/// Apps by id (dataloaders); unknown ids are absent.
///
/// # Errors
/// On database failure or a corrupt row.
#[instrument(skip_all, fields(count = ids.len()))]
pub async fn apps_by_ids(db: &impl ConnectionTrait, ids: &[String]) -> Result<HashMap<String, AppRecord>> {
    let rows = app::Entity::find().filter(app::Column::Id.is_in(ids.iter().cloned())).all(db).await?;
    rows.into_iter().map(|m| AppRecord::try_from(m).map(|r| (r.id.clone(), r))).collect()
}

/// Live credentials (not revoked) that expire in `(now, until]`, soonest first (the
/// credential-expiry job tells their apps' technical owners).
///
/// # Errors
/// On database failure or a corrupt row.
#[instrument(skip_all)]
pub async fn credentials_expiring(db: &impl ConnectionTrait, now: DateTime<Utc>, until: DateTime<Utc>) -> Result<Vec<CredentialRecord>> {
    let rows = app_credential::Entity::find()
        .filter(app_credential::Column::RevokedAt.is_null())
        .filter(app_credential::Column::ExpiresAt.gt(now))
        .filter(app_credential::Column::ExpiresAt.lte(until))
        .order_by_asc(app_credential::Column::ExpiresAt)
        .all(db)
        .await?;
    rows.into_iter().map(CredentialRecord::try_from).collect()
}

/// Every credential of an app, live or not, oldest first.
///
/// # Errors
/// On database failure or a corrupt row.
#[instrument(skip_all, fields(app_id = %app_id))]
pub async fn credentials_of(db: &impl ConnectionTrait, app_id: &str) -> Result<Vec<CredentialRecord>> {
    let rows = app_credential::Entity::find()
        .filter(app_credential::Column::AppId.eq(app_id))
        .order_by_asc(app_credential::Column::CreatedAt)
        .order_by_asc(app_credential::Column::Id)
        .all(db)
        .await?;
    rows.into_iter().map(CredentialRecord::try_from).collect()
}

/// A page of apps matching `filter`, oldest first (ordered by id), after `page.after`, with the
/// total count of matches.
///
/// # Errors
/// On database failure or a corrupt row.
#[instrument(skip_all)]
pub async fn list_apps(db: &impl ConnectionTrait, filter: &AppFilter, page: &PageRequest) -> Result<Page<AppRecord>> {
    let mut q = app::Entity::find();
    if let Some(v) = &filter.vendor_tenant_id {
        q = q.filter(app::Column::VendorTenantId.eq(v.clone()));
    }
    if let Some(sub) = &filter.ids_in {
        q = q.filter(app::Column::Id.in_subquery(sub.clone()));
    }
    if let Some(s) = filter.status {
        q = q.filter(app::Column::Status.eq(s.as_str()));
    }
    let rows = accord_db::page::keyset(db, q, app::Column::Id, accord_db::page::Order::OldestFirst, page).await?;
    let items = rows.items.into_iter().map(AppRecord::try_from).collect::<Result<Vec<_>>>()?;
    Ok(Page { items, has_next: rows.has_next, total: rows.total })
}

/// Moves an app to `to` if it is in one of `from` — and only along the state machine, whatever
/// `from` says. A conditional `UPDATE`, so of two racing callers exactly one wins. `reason`
/// replaces the stored status reason (`None` clears it).
///
/// # Errors
/// On database failure.
#[instrument(skip_all, fields(app_id = %app_id, to = %to))]
pub async fn set_status(
    tx: &impl ConnectionTrait,
    app_id: &str,
    from: &[AppStatus],
    to: AppStatus,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let from: Vec<&str> = from.iter().filter(|f| f.can_become(to)).map(|f| f.as_str()).collect();
    if from.is_empty() {
        return Ok(false);
    }
    let res = app::Entity::update_many()
        .col_expr(app::Column::Status, Expr::value(to.as_str()))
        .col_expr(app::Column::StatusReason, Expr::value(reason.map(str::to_owned)))
        .col_expr(app::Column::UpdatedAt, Expr::value(now))
        .filter(app::Column::Id.eq(app_id))
        .filter(app::Column::Status.is_in(from))
        .exec(tx)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Revokes every live (not revoked, not expired) credential of an app at `now`; returns how
/// many. Offboarding calls it in its own transaction.
///
/// # Errors
/// On database failure.
#[instrument(skip_all, fields(app_id = %app_id))]
pub async fn disable_credentials(tx: &impl ConnectionTrait, app_id: &str, now: DateTime<Utc>) -> Result<u64> {
    let res = app_credential::Entity::update_many()
        .col_expr(app_credential::Column::RevokedAt, Expr::value(now))
        .filter(app_credential::Column::AppId.eq(app_id))
        .filter(live(now))
        .exec(tx)
        .await?;
    Ok(res.rows_affected)
}

/// Not revoked and not expired at `now`.
pub(crate) fn live(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(app_credential::Column::RevokedAt.is_null())
        .add(Condition::any().add(app_credential::Column::ExpiresAt.is_null()).add(app_credential::Column::ExpiresAt.gt(now)))
}

/// An app's live credentials of `kind`, newest first.
pub(crate) async fn live_credentials(
    db: &impl ConnectionTrait,
    app_id: &str,
    kind: CredentialKind,
    now: DateTime<Utc>,
) -> Result<Vec<app_credential::Model>> {
    Ok(app_credential::Entity::find()
        .filter(app_credential::Column::AppId.eq(app_id))
        .filter(app_credential::Column::Kind.eq(kind.as_str()))
        .filter(live(now))
        .order_by_desc(app_credential::Column::CreatedAt)
        .order_by_desc(app_credential::Column::Id)
        .all(db)
        .await?)
}

/// Locks the caller's own app for the rest of the transaction ([`accord_db::lock_row`]) and
/// reads it, so concurrent changes to one app queue instead of overwriting each other. Another
/// tenant's app and an unknown id answer the same `NotFound`.
pub(crate) async fn lock_vendor_app(tx: &impl ConnectionTrait, ctx: &Principal, id: &str) -> Result<AppRecord> {
    if !accord_db::lock_row::<app::Entity>(tx, app::Column::UpdatedAt, app::Column::Id, id).await? {
        return Err(Error::NotFound("app"));
    }
    vendor_app(tx, ctx, id).await
}

/// The caller's own app, without a lock (`NotFound` for anyone else's).
pub(crate) async fn vendor_app(db: &impl ConnectionTrait, ctx: &Principal, id: &str) -> Result<AppRecord> {
    accord_db::scoped(app::Entity::find_by_id(id.to_owned()), app::Column::VendorTenantId, ctx)
        .one(db)
        .await?
        .map(AppRecord::try_from)
        .transpose()?
        .ok_or(Error::NotFound("app"))
}

/// Inserts a credential row.
pub(crate) async fn insert_credential(
    tx: &impl ConnectionTrait,
    app_id: &str,
    kind: CredentialKind,
    secret_hash: Option<String>,
    expires_at: Option<DateTime<Utc>>,
    rotated_from: Option<String>,
    now: DateTime<Utc>,
) -> Result<app_credential::Model> {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    Ok(app_credential::ActiveModel {
        id: Set(accord_kernel::new_id()),
        app_id: Set(app_id.to_owned()),
        kind: Set(kind.as_str().to_owned()),
        secret_hash: Set(secret_hash),
        created_at: Set(now),
        expires_at: Set(expires_at),
        rotated_from: Set(rotated_from),
        revoked_at: Set(None),
    }
    .insert(tx)
    .await?)
}
