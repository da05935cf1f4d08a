//! The `data` of outbox events and the details of audit events: the object, its app, its data
//! holder and the reason (the actor is added by `accord_db::record_change`).

use crate::domain::json_to_strings;
use crate::entities::{grant, request};
use accord_registry::AppRecord;
use serde_json::{Value, json};

pub(crate) fn app_ref(app: &AppRecord) -> Value {
    json!({ "id": app.id, "clientId": app.client_id, "name": app.name, "vendorId": app.vendor_tenant_id })
}

pub(crate) fn request_ref(r: &request::Model) -> Value {
    json!({
        "id": r.id,
        "status": r.status,
        "requestedScopes": json_to_strings(&r.requested_scopes),
        "proposedScopes": json_to_strings(&r.proposed_scopes),
        "durationDays": r.proposed_duration_days,
        "risk": r.risk,
        "replacesGrantId": r.replaces_grant_id,
        "grantId": r.grant_id,
    })
}

pub(crate) fn grant_ref(g: &grant::Model) -> Value {
    json!({
        "id": g.id,
        "status": g.status,
        "scopes": json_to_strings(&g.scopes),
        "grantedAt": g.granted_at,
        "expiresAt": g.expires_at,
        "requestId": g.request_id,
    })
}

/// The event data for a request.
pub(crate) fn request_event(r: &request::Model, app: Option<&AppRecord>, reason: Option<&str>) -> Value {
    json!({
        "accessRequest": request_ref(r),
        "app": app.map_or_else(|| json!({ "id": r.app_id }), app_ref),
        "dataHolder": { "id": r.holder_tenant_id },
        "vendor": { "id": r.vendor_tenant_id },
        "reason": reason,
    })
}

/// The event data for a grant.
pub(crate) fn grant_event(g: &grant::Model, app: Option<&AppRecord>, reason: Option<&str>) -> Value {
    json!({
        "grant": grant_ref(g),
        "app": app.map_or_else(|| json!({ "id": g.app_id }), app_ref),
        "dataHolder": { "id": g.holder_tenant_id },
        "vendor": { "id": g.vendor_tenant_id },
        "reason": reason,
    })
}
