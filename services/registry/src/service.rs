//! The service handle and the app use cases: register, update, suspend and resume. Each change
//! is one transaction holding the change, its audit event and its outbox event.

use crate::credentials::{NewSecret, SECRET_DAYS, revoke};
use crate::domain::{AppPatch, AppSpec, AppStatus, AuthMethod, CredentialKind, NewApp};
use crate::entities::app;
use crate::error::{Error, Result};
use crate::repo::{AppRecord, insert_credential, live_credentials, lock_vendor_app, set_status};
use accord_db::audit::AuditEntry;
use accord_db::events::{Event, EventType};
use accord_kernel::error::field_error;
use accord_kernel::{Principal, Role, SharedClock, TenantKind};
use base64::Engine as _;
use chrono::Duration;
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use tracing::instrument;

/// How long a rotated-out client secret keeps working, by default.
pub const DEFAULT_SECRET_GRACE_HOURS: i64 = 24;
/// Prefix of client ids.
pub const CLIENT_ID_PREFIX: &str = "acc_";

/// Everything the registry needs, passed in explicitly (no globals). Cheap to clone.
#[derive(Clone, Debug)]
pub struct Registry {
    /// The database.
    pub db: accord_db::Db,
    /// The clock.
    pub clock: SharedClock,
    /// How long the previous client secret keeps working after a rotation.
    pub secret_grace: Duration,
}

impl Registry {
    /// A registry with the default rotation grace period of 24 hours.
    #[must_use]
    pub fn new(db: accord_db::Db, clock: SharedClock) -> Self {
        Self { db, clock, secret_grace: Duration::hours(DEFAULT_SECRET_GRACE_HOURS) }
    }

    /// Registers an app for the caller's organization. A confidential app without keys gets a
    /// client secret, returned here in clear exactly once (only its argon2id hash is kept, and
    /// it expires after [`SECRET_DAYS`]); an app with keys gets a key credential; a public app
    /// gets none.
    ///
    /// # Errors
    /// `Forbidden` unless the caller is a DEVELOPER (or ADMIN) of a developer organization;
    /// `Invalid` naming the field.
    #[instrument(skip_all, fields(tenant_id = %ctx.tenant_id))]
    pub async fn register(&self, ctx: &Principal, input: NewApp) -> Result<(AppRecord, Option<String>)> {
        accord_db::retrying("register", || self.register_tx(ctx, &input)).await
    }

    async fn register_tx(&self, ctx: &Principal, input: &NewApp) -> Result<(AppRecord, Option<String>)> {
        if ctx.tenant_kind != TenantKind::Developer {
            return Err(Error::Forbidden(format!(
                "only developer organizations register apps; a {} organization approves access to its data instead",
                ctx.tenant_kind
            )));
        }
        ctx.require(Role::Developer, "register apps")?;
        let spec = AppSpec::parse(input).map_err(Error::Invalid)?;
        let method = spec.auth_method();
        let secret = if method == AuthMethod::ClientSecret { Some(NewSecret::generate().await?) } else { None };
        let now = self.clock.now();

        let tx = accord_db::begin(&self.db).await?;
        let client_id = free_client_id(&tx).await?;
        let model = app::ActiveModel {
            id: Set(accord_kernel::new_id()),
            vendor_tenant_id: Set(ctx.tenant_id.clone()),
            kind: Set(spec.kind.as_str().to_owned()),
            client_id: Set(client_id),
            status: Set(AppStatus::Active.as_str().to_owned()),
            status_reason: Set(None),
            created_at: Set(now),
            ..described(&spec, now)
        }
        .insert(&tx)
        .await?;
        let record = AppRecord::try_from(model)?;
        let credential = match (&secret, method) {
            (Some(s), _) => {
                let c = insert_credential(
                    &tx,
                    &record.id,
                    CredentialKind::ClientSecret,
                    Some(s.hash.clone()),
                    Some(now + Duration::days(SECRET_DAYS)),
                    None,
                    now,
                )
                .await?;
                json!({ "id": c.id, "kind": c.kind, "expiresAt": c.expires_at })
            }
            (None, AuthMethod::PrivateKeyJwt) => {
                let c = insert_credential(&tx, &record.id, CredentialKind::Jwks, None, None, None, now).await?;
                json!({ "id": c.id, "kind": c.kind, "expiresAt": null })
            }
            (None, _) => Value::Null,
        };
        let details = json!({
            "app": record.summary(),
            "public": record.public,
            "redirectUris": record.redirect_uris,
            "launchUrl": record.launch_url,
            "jwksUri": record.jwks_uri,
            "jwks": record.jwks.as_deref().map(fingerprint),
            "purpose": record.purpose,
            "businessOwnerEmail": record.business_owner_email,
            "technicalOwnerEmail": record.technical_owner_email,
            "credential": credential,
        });
        let event = Event::new(EventType::AppRegistered, json!({ "app": record.summary(), "reason": null }));
        audit(&tx, ctx, now, EventType::AppRegistered.as_str(), &record, details, Some(event)).await?;
        tx.commit().await?;
        Ok((record, secret.map(|s| s.clear)))
    }

    /// Changes the given fields of one of the caller's apps; the result is re-validated as a
    /// whole. How the app authenticates (public, secret, keys) cannot change: that is a new app.
    /// Replacing the keys records a new key credential. An update that changes nothing writes
    /// nothing.
    ///
    /// # Errors
    /// `NotFound` for an unknown id or another organization's app; `Forbidden` without the
    /// DEVELOPER or ADMIN role; `Conflict` when the app is offboarded; `Invalid` naming the
    /// field.
    #[instrument(skip_all, fields(tenant_id = %ctx.tenant_id, app_id = %id))]
    pub async fn update(&self, ctx: &Principal, id: &str, patch: AppPatch) -> Result<AppRecord> {
        accord_db::retrying("update", || self.update_tx(ctx, id, &patch)).await
    }

    async fn update_tx(&self, ctx: &Principal, id: &str, patch: &AppPatch) -> Result<AppRecord> {
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        let current = lock_vendor_app(&tx, ctx, id).await?;
        ctx.require(Role::Developer, "change apps")?;
        if current.status == AppStatus::Offboarded {
            return Err(Error::Conflict("the app is offboarded; an offboarded app can no longer change".into()));
        }
        let spec = AppSpec::parse(&patch.clone().apply(current.to_new_app())).map_err(Error::Invalid)?;
        let (was, now_is) = (current.auth_method(), spec.auth_method());
        if was != now_is {
            let field = if was == AuthMethod::Pkce || now_is == AuthMethod::Pkce {
                "public"
            } else if spec.jwks_uri().is_some() || current.jwks_uri.is_some() {
                "jwksUri"
            } else {
                "jwks"
            };
            return Err(Error::Invalid(field_error(
                field,
                format!(
                    "the app authenticates with {}; this would change it to {}, which needs a new registration",
                    was.describe(),
                    now_is.describe()
                ),
            )));
        }
        let (changes, before, after) = diff(&current, &spec);
        if changes.is_empty() {
            return Ok(current);
        }
        let updated =
            app::ActiveModel { id: sea_orm::ActiveValue::Unchanged(current.id.clone()), ..described(&spec, now) }.update(&tx).await?;
        let record = AppRecord::try_from(updated)?;
        let mut details = json!({ "app": record.summary(), "changes": changes, "before": before, "after": after });
        if changes.iter().any(|c| *c == "jwks" || *c == "jwksUri") {
            // The keys changed: the key credential is replaced, so the history shows when.
            let previous = live_credentials(&tx, &record.id, CredentialKind::Jwks, now).await?;
            revoke(&tx, previous.iter().map(|c| c.id.clone()).collect(), now).await?;
            let c =
                insert_credential(&tx, &record.id, CredentialKind::Jwks, None, None, previous.first().map(|p| p.id.clone()), now).await?;
            details["credential"] = json!({ "id": c.id, "kind": c.kind, "rotatedFrom": c.rotated_from });
        }
        let event = Event::new(EventType::AppUpdated, json!({ "app": record.summary(), "changes": changes, "reason": null }));
        audit(&tx, ctx, now, EventType::AppUpdated.as_str(), &record, details, Some(event)).await?;
        tx.commit().await?;
        Ok(record)
    }

    /// Suspends one of the caller's apps (ADMIN): its credentials stop working until resumed.
    ///
    /// # Errors
    /// `NotFound`; `Forbidden` without the ADMIN role; `Invalid` for an empty reason;
    /// `Conflict` unless the app is `ACTIVE`.
    #[instrument(skip_all, fields(tenant_id = %ctx.tenant_id, app_id = %id))]
    pub async fn suspend(&self, ctx: &Principal, id: &str, reason: &str) -> Result<AppRecord> {
        let reason = accord_kernel::text::reason("reason", reason).map_err(Error::Invalid)?;
        self.transition(ctx, id, AppStatus::Suspended, Some(&reason)).await
    }

    /// Resumes one of the caller's suspended apps (ADMIN).
    ///
    /// # Errors
    /// `NotFound`; `Forbidden` without the ADMIN role; `Conflict` unless the app is
    /// `SUSPENDED`.
    #[instrument(skip_all, fields(tenant_id = %ctx.tenant_id, app_id = %id))]
    pub async fn resume(&self, ctx: &Principal, id: &str) -> Result<AppRecord> {
        self.transition(ctx, id, AppStatus::Active, None).await
    }

    async fn transition(&self, ctx: &Principal, id: &str, to: AppStatus, reason: Option<&str>) -> Result<AppRecord> {
        accord_db::retrying("transition", || self.transition_tx(ctx, id, to, reason)).await
    }

    async fn transition_tx(&self, ctx: &Principal, id: &str, to: AppStatus, reason: Option<&str>) -> Result<AppRecord> {
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        let current = lock_vendor_app(&tx, ctx, id).await?;
        ctx.require(Role::Admin, "suspend or resume apps")?;
        let (from, action, verb) = match to {
            AppStatus::Suspended => (AppStatus::Active, EventType::AppSuspended.as_str(), "suspended"),
            _ => (AppStatus::Suspended, "app.resumed", "resumed"),
        };
        if !set_status(&tx, &current.id, &[from], to, reason, now).await? {
            return Err(Error::Conflict(format!("the app is {}; only a {from} app can be {verb}", current.status)));
        }
        let record = AppRecord { status: to, status_reason: reason.map(str::to_owned), updated_at: now, ..current };
        let details = json!({ "app": record.summary(), "from": from.as_str(), "to": to.as_str(), "reason": reason });
        // SPEC §6 names `app.suspended` but no resume event: resuming is audited only.
        let event =
            (to == AppStatus::Suspended).then(|| Event::new(EventType::AppSuspended, json!({ "app": record.summary(), "reason": reason })));
        audit(&tx, ctx, now, action, &record, details, event).await?;
        tx.commit().await?;
        Ok(record)
    }
}

/// Audit event (and outbox event, when given) about an app, for its vendor.
pub(crate) async fn audit(
    tx: &impl ConnectionTrait,
    ctx: &Principal,
    now: chrono::DateTime<chrono::Utc>,
    action: &str,
    record: &AppRecord,
    details: Value,
    event: Option<Event>,
) -> Result<()> {
    let entry = AuditEntry {
        actor: &ctx.actor,
        action,
        target_type: "app",
        target_id: &record.id,
        tenant_ids: vec![record.vendor_tenant_id.clone()],
        details,
    };
    accord_db::record_change(tx, now, entry, event).await?;
    Ok(())
}

/// A fresh `acc_` + 32 base64url characters (192 bits), checked unused.
async fn free_client_id(tx: &impl ConnectionTrait) -> Result<String> {
    for _ in 0..5 {
        let mut bytes = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let candidate = format!("{CLIENT_ID_PREFIX}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes));
        if app::Entity::find().filter(app::Column::ClientId.eq(candidate.clone())).count(tx).await? == 0 {
            return Ok(candidate);
        }
    }
    Err(Error::internal("no free client id after 5 attempts"))
}

/// `sha256:<hex>` of an inline JWK Set: audit details name the keys without copying them.
fn fingerprint(jwks: &str) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(jwks.as_bytes())))
}

/// The fields (GraphQL names) that differ, with their values before and after.
/// The columns an app's validated description sets, on registration and on every update.
fn described(spec: &AppSpec, now: chrono::DateTime<chrono::Utc>) -> app::ActiveModel {
    app::ActiveModel {
        name: Set(spec.name.clone()),
        description: Set(spec.description.clone()),
        public: Set(spec.public),
        redirect_uris: Set(spec.redirect_uris_json()),
        launch_url: Set(spec.launch_url.as_ref().map(|u| u.as_str().to_owned())),
        jwks_uri: Set(spec.jwks_uri().map(str::to_owned)),
        jwks: Set(spec.jwks().map(str::to_owned)),
        purpose: Set(spec.purpose.clone()),
        business_owner_email: Set(spec.business_owner.as_str().to_owned()),
        technical_owner_email: Set(spec.technical_owner.as_str().to_owned()),
        updated_at: Set(now),
        ..Default::default()
    }
}

fn diff(current: &AppRecord, spec: &AppSpec) -> (Vec<&'static str>, Value, Value) {
    let new_uris: Vec<String> = spec.redirect_uris.iter().map(|u| u.as_str().to_owned()).collect();
    let pairs: [(&'static str, Value, Value); 10] = [
        ("name", json!(current.name), json!(spec.name)),
        ("description", json!(current.description), json!(spec.description)),
        ("public", json!(current.public), json!(spec.public)),
        ("redirectUris", json!(current.redirect_uris), json!(new_uris)),
        ("launchUrl", json!(current.launch_url), json!(spec.launch_url.as_ref().map(|u| u.as_str()))),
        ("jwksUri", json!(current.jwks_uri), json!(spec.jwks_uri())),
        ("jwks", json!(current.jwks.as_deref().map(fingerprint)), json!(spec.jwks().map(fingerprint))),
        ("purpose", json!(current.purpose), json!(spec.purpose)),
        ("businessOwnerEmail", json!(current.business_owner_email), json!(spec.business_owner.as_str())),
        ("technicalOwnerEmail", json!(current.technical_owner_email), json!(spec.technical_owner.as_str())),
    ];
    let (mut changes, mut before, mut after) = (Vec::new(), Map::new(), Map::new());
    for (field, old, new) in pairs {
        if old != new {
            changes.push(field);
            before.insert(field.to_owned(), old);
            after.insert(field.to_owned(), new);
        }
    }
    (changes, Value::Object(before), Value::Object(after))
}
