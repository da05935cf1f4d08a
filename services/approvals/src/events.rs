//! The one place that writes this crate's audit and outbox events: the payload builder of each
//! object (the `data` of SPEC §6 events: the object, its app, its data holder and the reason;
//! the actor is added by `accord_db::record_change`) and the recorders the use cases call.

use crate::error::Result;
use crate::records::{GrantRecord, PartnershipRecord, RequestRecord};
use accord_db::audit::AuditEntry;
use accord_db::events::{Event, EventType};
use accord_kernel::Actor;
use accord_registry::AppRecord;
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

/// Audit actions of changes that have no SPEC §6 event (audited only).
pub mod audit_only {
    /// One approver's approval was counted (the request may still be pending).
    pub const APPROVAL_ADDED: &str = "access_request.approval_added";
    /// A partnership started (or started again) with a first approved grant.
    pub const PARTNERSHIP_STARTED: &str = "partnership.started";
    /// A data holder changed its approval policy.
    pub const POLICY_UPDATED: &str = "approval_policy.updated";
}

impl RequestRecord {
    /// The request in event payloads.
    #[must_use]
    pub fn event_ref(&self) -> Value {
        json!({
            "id": self.id,
            "status": self.status.as_str(),
            "requestedScopes": self.requested_scopes,
            "proposedScopes": self.proposed_scopes,
            "durationDays": self.proposed_duration_days,
            "risk": self.risk.as_str(),
            "replacesGrantId": self.replaces_grant_id,
            "grantId": self.grant_id,
            "requestedBy": self.requested_by,
        })
    }

    /// The `data` of an `access_request.*` event.
    #[must_use]
    pub fn event_data(&self, app: Option<&AppRecord>, reason: Option<&str>) -> Value {
        between_parties(("accessRequest", self.event_ref()), (&self.app_id, app), (&self.holder_tenant_id, &self.vendor_tenant_id), reason)
    }
}

impl GrantRecord {
    /// The grant in event payloads.
    #[must_use]
    pub fn event_ref(&self) -> Value {
        json!({
            "id": self.id,
            "status": self.status.as_str(),
            "scopes": self.scopes,
            "grantedAt": self.granted_at,
            "expiresAt": self.expires_at,
            "requestId": self.request_id,
        })
    }

    /// The `data` of a `grant.*` event.
    #[must_use]
    pub fn event_data(&self, app: Option<&AppRecord>, reason: Option<&str>) -> Value {
        between_parties(("grant", self.event_ref()), (&self.app_id, app), (&self.holder_tenant_id, &self.vendor_tenant_id), reason)
    }
}

/// The one shape of the `data` of an event about something between a data holder and a vendor
/// for one app: the object under its name, the app (its summary when at hand, else its id), both
/// parties and the reason.
fn between_parties(
    (key, object): (&str, Value),
    (app_id, app): (&str, Option<&AppRecord>),
    (holder, vendor): (&str, &str),
    reason: Option<&str>,
) -> Value {
    json!({
        key: object,
        "app": app.map_or_else(|| json!({ "id": app_id }), AppRecord::summary),
        "dataHolder": { "id": holder },
        "vendor": { "id": vendor },
        "reason": reason,
    })
}

impl PartnershipRecord {
    /// The partnership in event payloads.
    #[must_use]
    pub fn event_ref(&self) -> Value {
        json!({ "id": self.id, "holderId": self.holder_tenant_id, "vendorId": self.vendor_tenant_id, "status": self.status.as_str() })
    }
}

/// Audits a request change and writes its outbox event.
pub(crate) async fn record_request(
    tx: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: &Actor,
    event_type: EventType,
    r: &RequestRecord,
    app: Option<&AppRecord>,
    reason: Option<&str>,
) -> Result<()> {
    let loaded = the_app(tx, app, &r.app_id).await?;
    let app = app.or(loaded.as_ref());
    accord_db::record_change(
        tx,
        now,
        AuditEntry {
            actor,
            action: event_type.as_str(),
            target_type: "access_request",
            target_id: &r.id,
            tenant_ids: vec![r.vendor_tenant_id.clone(), r.holder_tenant_id.clone()],
            details: json!({ "appId": r.app_id, "status": r.status.as_str(), "proposedScopes": r.proposed_scopes, "reason": reason }),
        },
        Some(Event::new(event_type, r.event_data(app, reason))),
    )
    .await?;
    Ok(())
}

/// Audits a grant change and writes its outbox event.
pub(crate) async fn record_grant(
    tx: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: &Actor,
    event_type: EventType,
    g: &GrantRecord,
    app: Option<&AppRecord>,
    reason: Option<&str>,
) -> Result<()> {
    let loaded = the_app(tx, app, &g.app_id).await?;
    let app = app.or(loaded.as_ref());
    accord_db::record_change(
        tx,
        now,
        AuditEntry {
            actor,
            action: event_type.as_str(),
            target_type: "grant",
            target_id: &g.id,
            tenant_ids: vec![g.vendor_tenant_id.clone(), g.holder_tenant_id.clone()],
            details: json!({ "appId": g.app_id, "status": g.status.as_str(), "scopes": g.scopes, "expiresAt": g.expires_at, "reason": reason }),
        },
        Some(Event::new(event_type, g.event_data(app, reason))),
    )
    .await?;
    Ok(())
}

/// The app of an event when the caller does not have it at hand: every event carries the app's
/// summary, owners included, so mail reaches them without another service reading the registry.
async fn the_app(tx: &impl ConnectionTrait, at_hand: Option<&AppRecord>, app_id: &str) -> Result<Option<AppRecord>> {
    if at_hand.is_some() {
        return Ok(None);
    }
    accord_registry::app_by_id(tx, app_id).await.map_err(crate::Error::upstream)
}
