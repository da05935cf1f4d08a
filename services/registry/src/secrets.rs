//! Client secrets: `acc_cs_` + 256 random bits, shown once, stored only as argon2id, valid for
//! a year. Rotation keeps at most two live secrets — the new one and, for a grace period, the
//! one it replaces — so a vendor can roll a secret out without downtime, and a leaked older
//! secret dies at once.

use crate::credentials::{MAX_PRESENTED_SECRET, NewSecret, SECRET_DAYS, revoke};
use crate::domain::{AppStatus, AuthMethod, CredentialKind};
use crate::entities::{app, app_credential};
use crate::error::{Error, Result};
use crate::repo::{AppRecord, insert_credential, live_credentials, lock_vendor_app, vendor_app};
use crate::service::{Registry, audit};
use accord_db::events::{Event, EventType};
use accord_kernel::secret::verify_secret;
use accord_kernel::{Principal, Role};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use tracing::instrument;

impl Registry {
    /// Issues a new client secret for one of the caller's apps (shown once). The secret it
    /// replaces keeps working until `now + secret_grace` (or its own expiry, if sooner); any
    /// older live secret is revoked now, so never more than two are live.
    ///
    /// # Errors
    /// `NotFound` for an unknown id or another organization's app; `Forbidden` without the
    /// DEVELOPER or ADMIN role; `Conflict` when the app is offboarded, public, or uses keys.
    #[instrument(skip_all, fields(tenant_id = %ctx.tenant_id, app_id = %app_id))]
    pub async fn rotate_client_secret(&self, ctx: &Principal, app_id: &str) -> Result<(AppRecord, String)> {
        accord_db::retrying("rotate_client_secret", || self.rotate_client_secret_tx(ctx, app_id)).await
    }

    async fn rotate_client_secret_tx(&self, ctx: &Principal, app_id: &str) -> Result<(AppRecord, String)> {
        // Checked before the (slow) hashing, then again under the lock.
        check_rotatable(ctx, &vendor_app(&self.db, ctx, app_id).await?)?;
        let secret = NewSecret::generate().await?;
        let now = self.clock.now();

        let tx = accord_db::begin(&self.db).await?;
        let record = lock_vendor_app(&tx, ctx, app_id).await?;
        check_rotatable(ctx, &record)?;
        let live = live_credentials(&tx, &record.id, CredentialKind::ClientSecret, now).await?;
        let (previous, older) = match live.split_first() {
            Some((p, rest)) => (Some(p), rest),
            None => (None, &[][..]),
        };
        revoke(&tx, older.iter().map(|c| c.id.clone()).collect(), now).await?;
        let previous_until = match previous {
            Some(p) => {
                let until = p.expires_at.map_or(now + self.secret_grace, |e| e.min(now + self.secret_grace));
                app_credential::Entity::update_many()
                    .col_expr(app_credential::Column::ExpiresAt, Expr::value(until))
                    .filter(app_credential::Column::Id.eq(p.id.clone()))
                    .exec(&tx)
                    .await?;
                Some(until)
            }
            None => None,
        };
        let rotated_from = match previous {
            Some(p) => Some(p.id.clone()),
            // No live secret left (all expired): the chain still points at the last one.
            None => app_credential::Entity::find()
                .filter(app_credential::Column::AppId.eq(record.id.clone()))
                .filter(app_credential::Column::Kind.eq(CredentialKind::ClientSecret.as_str()))
                .order_by_desc(app_credential::Column::CreatedAt)
                .order_by_desc(app_credential::Column::Id)
                .one(&tx)
                .await?
                .map(|c| c.id),
        };
        let c = insert_credential(
            &tx,
            &record.id,
            CredentialKind::ClientSecret,
            Some(secret.hash.clone()),
            Some(now + Duration::days(SECRET_DAYS)),
            rotated_from,
            now,
        )
        .await?;
        let credential = json!({ "id": c.id, "kind": c.kind, "expiresAt": c.expires_at, "rotatedFrom": c.rotated_from });
        let details = json!({
            "app": record.summary(),
            "credential": credential,
            "previous": previous.map(|p| json!({ "id": p.id, "expiresAt": previous_until })),
            "revoked": older.iter().map(|c| c.id.clone()).collect::<Vec<_>>(),
        });
        let event = json!({ "app": record.summary(), "credential": credential, "previousExpiresAt": previous_until, "reason": null });
        let event = Event::new(EventType::CredentialRotated, event);
        audit(&tx, ctx, now, EventType::CredentialRotated.as_str(), &record, details, Some(event)).await?;
        tx.commit().await?;
        Ok((record, secret.clear))
    }

    /// Whether `secret` is a live (not revoked, not expired at `now`) client secret of the
    /// `ACTIVE` app with `client_id`; the app when it is. For the token endpoint.
    ///
    /// # Errors
    /// On database failure or a corrupt row.
    #[instrument(skip_all, fields(client_id = %client_id))]
    pub async fn verify_client_secret(&self, client_id: &str, secret: &str, now: DateTime<Utc>) -> Result<Option<AppRecord>> {
        if secret.is_empty() || secret.len() > MAX_PRESENTED_SECRET {
            return Ok(None);
        }
        let Some(m) = app::Entity::find().filter(app::Column::ClientId.eq(client_id)).one(&self.db).await? else {
            return Ok(None);
        };
        let record = AppRecord::try_from(m)?;
        if record.status != AppStatus::Active {
            return Ok(None);
        }
        for c in live_credentials(&self.db, &record.id, CredentialKind::ClientSecret, now).await? {
            if let Some(hash) = c.secret_hash
                && verify_secret(hash, secret.to_owned()).await
            {
                return Ok(Some(record));
            }
        }
        Ok(None)
    }
}

fn check_rotatable(ctx: &Principal, app: &AppRecord) -> Result<()> {
    ctx.require(Role::Developer, "rotate client secrets")?;
    if app.status == AppStatus::Offboarded {
        return Err(Error::Conflict("the app is offboarded; its credentials are disabled for good".into()));
    }
    match app.auth_method() {
        AuthMethod::ClientSecret => Ok(()),
        other => Err(Error::Conflict(format!("the app authenticates with {}; it has no client secret to rotate", other.describe()))),
    }
}
