//! Cascades that cross services and must be atomic: offboarding an app (revokes every grant
//! everywhere, cancels its pending requests, disables its credentials) and ending a partnership
//! (revokes every grant and cancels every pending request between the two organizations).
//! Each runs in one transaction and records one audit and outbox event per grant and request it
//! ends. The scheduled jobs live here too ([`jobs`]: expiry, reminders, credential notices;
//! [`reviews`]: periodic re-certification), each a function of a time that several workers can
//! run at once without doing anything twice.

pub(crate) mod entities;
pub mod graphql;
pub mod jobs;
pub mod reviews;

use accord_approvals::PartnershipRecord;
use accord_approvals::cascade::{self, Scope};
use accord_db::audit::AuditEntry;
use accord_db::events::{Event, EventType};
use accord_kernel::{Classify, ErrorKind, Principal, Role, SharedClock};
use accord_registry::{AppRecord, AppStatus};
use serde_json::json;

/// Why a cascade failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Invalid input; the message names the field.
    #[error("{0}")]
    Invalid(String),
    /// The caller's role or side does not allow it.
    #[error("{0}")]
    Forbidden(String),
    /// Unknown, or not visible to the caller.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The state does not allow it.
    #[error("{0}")]
    Conflict(String),
    /// A database failure.
    #[error("internal error")]
    Db(#[from] sea_orm::DbErr),
    /// A failure in a service this one calls (its class and message kept).
    #[error(transparent)]
    Approvals(#[from] accord_approvals::Error),
    /// A failure in the registry.
    #[error("{0}")]
    Registry(#[from] accord_registry::Error),
    /// A failure in the tenants service.
    #[error("{0}")]
    Tenants(#[from] accord_tenants::Error),
}

impl From<accord_kernel::Denied> for Error {
    fn from(e: accord_kernel::Denied) -> Self {
        Error::Forbidden(e.0)
    }
}

impl From<accord_db::DbError> for Error {
    fn from(e: accord_db::DbError) -> Self {
        Error::Db(e.0)
    }
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Error::Invalid(_) => ErrorKind::BadUserInput,
            Error::Forbidden(_) => ErrorKind::Forbidden,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::Conflict(_) => ErrorKind::Conflict,
            Error::Db(_) => ErrorKind::Internal,
            Error::Approvals(e) => e.kind(),
            Error::Registry(e) => e.kind(),
            Error::Tenants(e) => e.kind(),
        }
    }
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The lifecycle service handle.
#[derive(Clone, Debug)]
pub struct Lifecycle {
    /// The database.
    pub db: accord_db::Db,
    /// The clock.
    pub clock: SharedClock,
}

fn reason_text(reason: &str) -> Result<String> {
    accord_kernel::text::reason("reason", reason).map_err(Error::Invalid)
}

impl Lifecycle {
    /// Offboards an app (its vendor's ADMIN): final. In one transaction: the app becomes
    /// OFFBOARDED, every grant it holds anywhere is revoked, its pending requests are
    /// cancelled and its credentials disabled.
    ///
    /// # Errors
    /// `NotFound` (not the caller's app), `Forbidden`, `Invalid`, `Conflict` (already offboarded).
    #[tracing::instrument(name = "lifecycle.offboard_app", skip_all, fields(tenant_id = %ctx.tenant_id, app_id = %app_id))]
    pub async fn offboard_app(&self, ctx: &Principal, app_id: &str, reason: &str) -> Result<AppRecord> {
        accord_db::retrying("offboard_app", || self.offboard_app_tx(ctx, app_id, reason)).await
    }

    async fn offboard_app_tx(&self, ctx: &Principal, app_id: &str, reason: &str) -> Result<AppRecord> {
        let reason = reason_text(reason)?;
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        let app =
            accord_registry::app_by_id(&tx, app_id).await?.filter(|a| a.vendor_tenant_id == ctx.tenant_id).ok_or(Error::NotFound("app"))?;
        ctx.require(Role::Admin, "offboard an app")?;
        let changed = accord_registry::set_status(
            &tx,
            &app.id,
            &[AppStatus::Active, AppStatus::Suspended],
            AppStatus::Offboarded,
            Some(&reason),
            now,
        )
        .await?;
        if !changed {
            return Err(Error::Conflict(format!("app {} is already OFFBOARDED", app.id)));
        }
        let cascade_reason = format!("app offboarded: {reason}");
        let scope = Scope::App(&app.id);
        let revoked = cascade::revoke_live_grants(&tx, now, &ctx.actor, &scope, &cascade_reason, Some(&app)).await?;
        let cancelled = cascade::cancel_pending_requests(&tx, now, &ctx.actor, &scope, &cascade_reason, Some(&app)).await?;
        let disabled = accord_registry::disable_credentials(&tx, &app.id, now).await?;
        let mut tenants: Vec<String> = vec![app.vendor_tenant_id.clone()];
        tenants.extend(revoked.iter().map(|g| g.holder_tenant_id.clone()));
        tenants.extend(cancelled.iter().map(|r| r.holder_tenant_id.clone()));
        tenants.sort();
        tenants.dedup();
        accord_db::record_change(
            &tx,
            now,
            AuditEntry {
                actor: &ctx.actor,
                action: EventType::AppOffboarded.as_str(),
                target_type: "app",
                target_id: &app.id,
                tenant_ids: tenants,
                details: json!({
                    "reason": reason, "revokedGrants": revoked.iter().map(|g| &g.id).collect::<Vec<_>>(),
                    "cancelledRequests": cancelled.iter().map(|r| &r.id).collect::<Vec<_>>(), "disabledCredentials": disabled,
                }),
            },
            Some(Event::new(
                EventType::AppOffboarded,
                json!({
                    "app": app.summary(),
                    "reason": reason,
                    "revokedGrantIds": revoked.iter().map(|g| &g.id).collect::<Vec<_>>(),
                    "cancelledRequestIds": cancelled.iter().map(|r| &r.id).collect::<Vec<_>>(),
                }),
            )),
        )
        .await?;
        let app = accord_registry::app_by_id(&tx, &app.id).await?.ok_or(Error::NotFound("app"))?;
        tx.commit().await?;
        Ok(app)
    }

    /// Ends the partnership between the caller's organization and `partner_id` (an ADMIN of
    /// either side). In one transaction: every grant between them is revoked and every pending
    /// request cancelled.
    ///
    /// # Errors
    /// `NotFound` (no partnership with that organization), `Forbidden`, `Invalid`, `Conflict`.
    #[tracing::instrument(name = "lifecycle.end_partnership", skip_all, fields(tenant_id = %ctx.tenant_id, partner_id = %partner_id))]
    pub async fn end_partnership(&self, ctx: &Principal, partner_id: &str, reason: &str) -> Result<PartnershipRecord> {
        accord_db::retrying("end_partnership", || self.end_partnership_tx(ctx, partner_id, reason)).await
    }

    async fn end_partnership_tx(&self, ctx: &Principal, partner_id: &str, reason: &str) -> Result<PartnershipRecord> {
        let reason = reason_text(reason)?;
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        let p = cascade::partnership_between(&tx, &ctx.tenant_id, partner_id).await?.ok_or(Error::NotFound("partnership"))?;
        ctx.require(Role::Admin, "end a partnership")?;
        let p = cascade::end_partnership_row(&tx, now, p, &reason)
            .await?
            .ok_or_else(|| Error::Conflict("the partnership has already ended".into()))?;
        let cascade_reason = format!("partnership ended: {reason}");
        let scope = Scope::Pair { holder: &p.holder_tenant_id, vendor: &p.vendor_tenant_id };
        let revoked = cascade::revoke_live_grants(&tx, now, &ctx.actor, &scope, &cascade_reason, None).await?;
        let cancelled = cascade::cancel_pending_requests(&tx, now, &ctx.actor, &scope, &cascade_reason, None).await?;
        accord_db::record_change(
            &tx,
            now,
            AuditEntry {
                actor: &ctx.actor,
                action: EventType::PartnershipEnded.as_str(),
                target_type: "partnership",
                target_id: &p.id,
                tenant_ids: vec![p.holder_tenant_id.clone(), p.vendor_tenant_id.clone()],
                details: json!({
                    "reason": reason, "endedBy": ctx.tenant_id, "revokedGrants": revoked.iter().map(|g| &g.id).collect::<Vec<_>>(),
                    "cancelledRequests": cancelled.iter().map(|r| &r.id).collect::<Vec<_>>(),
                }),
            },
            Some(Event::new(
                EventType::PartnershipEnded,
                json!({
                    "partnership": p.event_ref(),
                    "dataHolder": { "id": p.holder_tenant_id },
                    "vendor": { "id": p.vendor_tenant_id },
                    "reason": reason,
                    "revokedGrantIds": revoked.iter().map(|g| &g.id).collect::<Vec<_>>(),
                }),
            )),
        )
        .await?;
        tx.commit().await?;
        Ok(p)
    }
}
