//! Webhook endpoints governed like access (SPEC §6): ADMINs create, change, rotate, delete,
//! replay and test; every change is audited in its transaction; an endpoint answers
//! `NOT_FOUND` outside its tenant. Its secret is shown once and kept sealed.

use crate::domain::{self, DeliveryStatus, ROTATION_GRACE};
use crate::entities::{delivery, endpoint};
use crate::error::{Error, Result};
use crate::records::{DeliveryRecord, EndpointRecord};
use crate::service::Notifications;
use crate::signing;
use accord_db::audit::AuditEntry;
use accord_db::page::{Order, keyset};
use accord_kernel::page::{Page, PageRequest};
use accord_kernel::{Actor, Principal, Role};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

/// An endpoint as an admin describes it (SPEC §6 `WebhookEndpointInput`).
#[derive(Debug, Clone)]
pub struct EndpointInput {
    /// Where to post: https, a public address.
    pub url: String,
    /// SPEC §6 event types to receive.
    pub event_types: Vec<String>,
    /// What it is for (up to 500 characters).
    pub description: Option<String>,
    /// Whether it receives events (default true).
    pub enabled: Option<bool>,
}

/// A created (or rotated) endpoint and its secret, in clear this once.
#[derive(Debug, Clone)]
pub struct NewEndpoint {
    /// The endpoint.
    pub endpoint: EndpointRecord,
    /// `whsec_…`: shown now, never again.
    pub secret: String,
}

struct Parsed {
    url: String,
    event_types: String,
    description: Option<String>,
    enabled: bool,
}

impl Notifications {
    /// Validates an endpoint input: the URL's rules, then where its host resolves (refused when
    /// private unless allowed), the event types, the description.
    async fn parse(&self, input: &EndpointInput) -> Result<Parsed> {
        let url = domain::endpoint_url(&input.url, self.guard.allows_private()).map_err(Error::Invalid)?;
        self.guard.check_url(&url).await.map_err(|e| Error::Invalid(format!("url: {e}")))?;
        let types = domain::event_types(&input.event_types).map_err(Error::Invalid)?;
        let names: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
        let description = match input.description.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => Some(accord_kernel::text::long_text("description", d, 500).map_err(Error::Invalid)?),
            None => None,
        };
        Ok(Parsed { url: url.to_string(), event_types: json!(names).to_string(), description, enabled: input.enabled.unwrap_or(true) })
    }

    /// The caller's organization's endpoints, newest first (ADMIN or AUDITOR).
    ///
    /// # Errors
    /// `Forbidden`; database failure.
    pub async fn endpoints(&self, ctx: &Principal, page: &PageRequest) -> Result<Page<EndpointRecord>> {
        reader(ctx, "list webhook endpoints")?;
        let q = accord_db::scoped(endpoint::Entity::find(), endpoint::Column::TenantId, ctx).filter(endpoint::Column::DeletedAt.is_null());
        let rows = keyset(self.db.reader(), q, endpoint::Column::Id, Order::NewestFirst, page).await?;
        rows_to(rows)
    }

    /// One of the caller's organization's endpoints (ADMIN, AUDITOR); `None` for another
    /// organization's or a deleted one.
    ///
    /// # Errors
    /// `Forbidden` without the role; database failure.
    pub async fn endpoint(&self, ctx: &Principal, id: &str) -> Result<Option<EndpointRecord>> {
        reader(ctx, "read webhook endpoints")?;
        let row = accord_db::scoped(endpoint::Entity::find_by_id(id.to_owned()), endpoint::Column::TenantId, ctx)
            .filter(endpoint::Column::DeletedAt.is_null())
            .one(self.db.reader())
            .await?;
        row.map(EndpointRecord::try_from).transpose()
    }

    /// Creates an endpoint owned by the caller (ADMIN) and returns its secret once.
    ///
    /// # Errors
    /// `Forbidden`, `Invalid` (naming the field); database failure.
    #[tracing::instrument(name = "notifications.create_endpoint", skip_all, fields(tenant_id = %ctx.tenant_id))]
    pub async fn create_endpoint(&self, ctx: &Principal, input: &EndpointInput) -> Result<NewEndpoint> {
        ctx.require(Role::Admin, "manage webhook endpoints")?;
        let p = self.parse(input).await?;
        accord_db::retrying("create_endpoint", || self.create_tx(ctx, &p)).await
    }

    async fn create_tx(&self, ctx: &Principal, p: &Parsed) -> Result<NewEndpoint> {
        let now = self.clock.now();
        let secret = signing::new_secret();
        let tx = accord_db::begin(&self.db).await?;
        let m = endpoint::ActiveModel {
            id: Set(accord_kernel::new_id()),
            tenant_id: Set(ctx.tenant_id.clone()),
            owner_user_id: Set(ctx.user_id.clone()),
            url: Set(p.url.clone()),
            description: Set(p.description.clone()),
            event_types: Set(p.event_types.clone()),
            secret_sealed: Set(self.sealer.seal(secret.as_bytes())),
            previous_secret_sealed: Set(None),
            previous_secret_until: Set(None),
            enabled: Set(p.enabled),
            disabled_reason: Set((!p.enabled).then(|| "created disabled".to_owned())),
            failing_since: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            deleted_at: Set(None),
        }
        .insert(&tx)
        .await?;
        let e = EndpointRecord::try_from(m)?;
        audit(
            &tx,
            now,
            &ctx.actor,
            "webhook_endpoint.created",
            &e,
            json!({ "url": e.url, "eventTypes": e.event_types, "enabled": e.enabled }),
        )
        .await?;
        tx.commit().await?;
        Ok(NewEndpoint { endpoint: e, secret })
    }

    /// Replaces an endpoint's URL, types, description and (when given) enabled flag (ADMIN).
    /// The admin who changes it answers for it from then on; enabling it clears its failure
    /// streak.
    ///
    /// # Errors
    /// `Forbidden`, `NotFound` (also another tenant's), `Invalid`; database failure.
    #[tracing::instrument(name = "notifications.update_endpoint", skip_all, fields(tenant_id = %ctx.tenant_id, endpoint_id = %id))]
    pub async fn update_endpoint(&self, ctx: &Principal, id: &str, input: &EndpointInput) -> Result<EndpointRecord> {
        ctx.require(Role::Admin, "manage webhook endpoints")?;
        own_endpoint(self.db.reader(), ctx, id).await?;
        let p = self.parse(input).await?;
        let enabled = input.enabled;
        accord_db::retrying("update_endpoint", || self.update_tx(ctx, id, &p, enabled)).await
    }

    async fn update_tx(&self, ctx: &Principal, id: &str, p: &Parsed, enabled: Option<bool>) -> Result<EndpointRecord> {
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        let before = own_endpoint(&tx, ctx, id).await?;
        let enabled = enabled.unwrap_or(before.enabled);
        let mut m: endpoint::ActiveModel = before.clone().into();
        m.url = Set(p.url.clone());
        m.event_types = Set(p.event_types.clone());
        m.description = Set(p.description.clone());
        m.owner_user_id = Set(ctx.user_id.clone());
        m.enabled = Set(enabled);
        if enabled && !before.enabled {
            m.disabled_reason = Set(None);
            m.failing_since = Set(None);
        } else if !enabled && before.enabled {
            m.disabled_reason = Set(Some("disabled by an admin".into()));
        }
        m.updated_at = Set(now);
        let e = EndpointRecord::try_from(m.update(&tx).await?)?;
        let details = json!({ "url": e.url, "eventTypes": e.event_types, "enabled": e.enabled, "previousUrl": before.url, "ownerUserId": e.owner_user_id });
        audit(&tx, now, &ctx.actor, "webhook_endpoint.updated", &e, details).await?;
        tx.commit().await?;
        Ok(e)
    }

    /// A new secret for an endpoint (ADMIN), shown once; the old one keeps signing beside it
    /// for 24 hours so receivers can switch without losing an event.
    ///
    /// # Errors
    /// `Forbidden`, `NotFound`; database failure.
    #[tracing::instrument(name = "notifications.rotate_secret", skip_all, fields(tenant_id = %ctx.tenant_id, endpoint_id = %id))]
    pub async fn rotate_secret(&self, ctx: &Principal, id: &str) -> Result<NewEndpoint> {
        ctx.require(Role::Admin, "manage webhook endpoints")?;
        accord_db::retrying("rotate_webhook_secret", || self.rotate_tx(ctx, id)).await
    }

    async fn rotate_tx(&self, ctx: &Principal, id: &str) -> Result<NewEndpoint> {
        let now = self.clock.now();
        let secret = signing::new_secret();
        let tx = accord_db::begin(&self.db).await?;
        let before = own_endpoint(&tx, ctx, id).await?;
        let until = now + ROTATION_GRACE;
        let mut m: endpoint::ActiveModel = before.clone().into();
        m.previous_secret_sealed = Set(Some(before.secret_sealed.clone()));
        m.previous_secret_until = Set(Some(until));
        m.secret_sealed = Set(self.sealer.seal(secret.as_bytes()));
        m.updated_at = Set(now);
        let e = EndpointRecord::try_from(m.update(&tx).await?)?;
        audit(&tx, now, &ctx.actor, "webhook_endpoint.secret_rotated", &e, json!({ "previousSecretValidUntil": until })).await?;
        tx.commit().await?;
        Ok(NewEndpoint { endpoint: e, secret })
    }

    /// Deletes an endpoint (ADMIN): it receives nothing more, its pending deliveries end
    /// `FAILED`, its history stays readable in the audit trail.
    ///
    /// # Errors
    /// `Forbidden`, `NotFound`; database failure.
    #[tracing::instrument(name = "notifications.delete_endpoint", skip_all, fields(tenant_id = %ctx.tenant_id, endpoint_id = %id))]
    pub async fn delete_endpoint(&self, ctx: &Principal, id: &str) -> Result<bool> {
        ctx.require(Role::Admin, "manage webhook endpoints")?;
        accord_db::retrying("delete_endpoint", || self.delete_tx(ctx, id)).await
    }

    async fn delete_tx(&self, ctx: &Principal, id: &str) -> Result<bool> {
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        let before = own_endpoint(&tx, ctx, id).await?;
        endpoint::Entity::update_many()
            .col_expr(endpoint::Column::DeletedAt, Expr::value(now))
            .col_expr(endpoint::Column::Enabled, Expr::value(false))
            .col_expr(endpoint::Column::UpdatedAt, Expr::value(now))
            .filter(endpoint::Column::Id.eq(id))
            .exec(&tx)
            .await?;
        let ended = fail_pending(&tx, id, now, "the endpoint was deleted").await?;
        let e = EndpointRecord::try_from(before)?;
        audit(&tx, now, &ctx.actor, "webhook_endpoint.deleted", &e, json!({ "url": e.url, "pendingDeliveriesFailed": ended })).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Deliveries to the caller's organization's endpoints, newest first (ADMIN or AUDITOR),
    /// optionally of one endpoint and one status.
    ///
    /// # Errors
    /// `Forbidden`, `NotFound` (an endpoint id not the caller's); database failure.
    pub async fn deliveries(
        &self,
        ctx: &Principal,
        endpoint_id: Option<&str>,
        status: Option<DeliveryStatus>,
        page: &PageRequest,
    ) -> Result<Page<DeliveryRecord>> {
        reader(ctx, "list webhook deliveries")?;
        let mut q = accord_db::scoped(delivery::Entity::find(), delivery::Column::TenantId, ctx);
        if let Some(eid) = endpoint_id {
            own_endpoint(self.db.reader(), ctx, eid).await?;
            q = q.filter(delivery::Column::EndpointId.eq(eid));
        }
        if let Some(s) = status {
            q = q.filter(delivery::Column::Status.eq(s.as_str()));
        }
        let rows = keyset(self.db.reader(), q, delivery::Column::Id, Order::NewestFirst, page).await?;
        let items = rows.items.into_iter().map(DeliveryRecord::try_from).collect::<Result<Vec<_>>>()?;
        Ok(Page { items, has_next: rows.has_next, total: rows.total })
    }

    /// Sends a delivery again, delivered or failed, with the same `webhook-id` and a fresh
    /// schedule (ADMIN). The attempt is made now; the answer is in the returned delivery.
    ///
    /// # Errors
    /// `Forbidden`, `NotFound`, `Conflict` (the endpoint is disabled or deleted); database failure.
    #[tracing::instrument(name = "notifications.replay", skip_all, fields(tenant_id = %ctx.tenant_id, delivery_id = %id))]
    pub async fn replay_delivery(&self, ctx: &Principal, id: &str) -> Result<DeliveryRecord> {
        ctx.require(Role::Admin, "replay webhook deliveries")?;
        accord_db::retrying("replay_delivery", || self.replay_tx(ctx, id)).await?;
        self.attempt_now(id).await
    }

    async fn replay_tx(&self, ctx: &Principal, id: &str) -> Result<()> {
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        let d = accord_db::scoped(delivery::Entity::find_by_id(id.to_owned()), delivery::Column::TenantId, ctx)
            .one(&tx)
            .await?
            .ok_or(Error::NotFound("delivery"))?;
        let e = usable_endpoint(&tx, ctx, &d.endpoint_id).await?;
        delivery::Entity::update_many()
            .col_expr(delivery::Column::Status, Expr::value(DeliveryStatus::Pending.as_str()))
            .col_expr(delivery::Column::Attempts, Expr::value(0))
            .col_expr(delivery::Column::NextAttemptAt, Expr::value(now))
            .col_expr(delivery::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(delivery::Column::UpdatedAt, Expr::value(now))
            .filter(delivery::Column::Id.eq(id))
            .exec(&tx)
            .await?;
        let details =
            json!({ "eventId": d.event_id, "eventType": d.event_type, "previousStatus": d.status, "previousAttempts": d.attempts });
        audit_target(&tx, now, &ctx.actor, "webhook_delivery.replayed", ("webhook_delivery", id), &e.tenant_id, details).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sends a `webhook.test` event to one endpoint now (ADMIN) and returns how it went.
    ///
    /// # Errors
    /// `Forbidden`, `NotFound`, `Conflict` (disabled); database failure.
    #[tracing::instrument(name = "notifications.send_test", skip_all, fields(tenant_id = %ctx.tenant_id, endpoint_id = %endpoint_id))]
    pub async fn send_test_webhook(&self, ctx: &Principal, endpoint_id: &str) -> Result<DeliveryRecord> {
        ctx.require(Role::Admin, "send test webhooks")?;
        let id = accord_db::retrying("send_test_webhook", || self.test_tx(ctx, endpoint_id)).await?;
        self.attempt_now(&id).await
    }

    async fn test_tx(&self, ctx: &Principal, endpoint_id: &str) -> Result<String> {
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        let e = usable_endpoint(&tx, ctx, endpoint_id).await?;
        let data = json!({ "endpoint": { "id": e.id, "url": e.url }, "actor": ctx.actor.to_string(), "message": "A test event from Accord: your endpoint receives and verifies webhooks." });
        let event_id = accord_db::outbox::enqueue_published(&tx, now, "webhook.test", std::slice::from_ref(&e.tenant_id), data).await?;
        let id = accord_kernel::new_id();
        new_delivery(id.clone(), &e, &event_id, "webhook.test", now).insert(&tx).await?;
        audit_target(
            &tx,
            now,
            &ctx.actor,
            "webhook_endpoint.test_sent",
            ("webhook_endpoint", &e.id),
            &e.tenant_id,
            json!({ "eventId": event_id }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}

/// ADMIN or AUDITOR: who may read integration settings and delivery history.
fn reader(ctx: &Principal, what: &str) -> Result<()> {
    if ctx.allows(Role::Admin) || ctx.allows(Role::Auditor) {
        Ok(())
    } else {
        Err(Error::Forbidden(format!("only an ADMIN or AUDITOR may {what}")))
    }
}

fn rows_to(rows: Page<endpoint::Model>) -> Result<Page<EndpointRecord>> {
    let items = rows.items.into_iter().map(EndpointRecord::try_from).collect::<Result<Vec<_>>>()?;
    Ok(Page { items, has_next: rows.has_next, total: rows.total })
}

/// The caller's organization's endpoint `id` (not deleted), else `NotFound`.
async fn own_endpoint(db: &impl ConnectionTrait, ctx: &Principal, id: &str) -> Result<endpoint::Model> {
    accord_db::scoped(endpoint::Entity::find_by_id(id.to_owned()), endpoint::Column::TenantId, ctx)
        .filter(endpoint::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or(Error::NotFound("webhook endpoint"))
}

/// As [`own_endpoint`], and enabled.
async fn usable_endpoint(db: &impl ConnectionTrait, ctx: &Principal, id: &str) -> Result<EndpointRecord> {
    let e = EndpointRecord::try_from(own_endpoint(db, ctx, id).await?)?;
    if !e.enabled {
        return Err(Error::Conflict(format!(
            "the webhook endpoint is disabled ({}); enable it with updateWebhookEndpoint first",
            e.disabled_reason.as_deref().unwrap_or("no reason given")
        )));
    }
    Ok(e)
}

/// A new pending delivery of `event_id` to `e`, due now.
pub(crate) fn new_delivery(id: String, e: &EndpointRecord, event_id: &str, event_type: &str, now: DateTime<Utc>) -> delivery::ActiveModel {
    delivery::ActiveModel {
        id: Set(id),
        endpoint_id: Set(e.id.clone()),
        tenant_id: Set(e.tenant_id.clone()),
        event_id: Set(event_id.to_owned()),
        event_type: Set(event_type.to_owned()),
        status: Set(DeliveryStatus::Pending.as_str().to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(Some(now)),
        lease_until: Set(None),
        last_status_code: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        delivered_at: Set(None),
    }
}

/// Ends an endpoint's pending deliveries as `FAILED` with `why`; returns how many.
pub(crate) async fn fail_pending(tx: &impl ConnectionTrait, endpoint_id: &str, now: DateTime<Utc>, why: &str) -> Result<u64> {
    let res = delivery::Entity::update_many()
        .col_expr(delivery::Column::Status, Expr::value(DeliveryStatus::Failed.as_str()))
        .col_expr(delivery::Column::LastError, Expr::value(why))
        .col_expr(delivery::Column::NextAttemptAt, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(delivery::Column::UpdatedAt, Expr::value(now))
        .filter(delivery::Column::EndpointId.eq(endpoint_id))
        .filter(delivery::Column::Status.eq(DeliveryStatus::Pending.as_str()))
        .exec(tx)
        .await?;
    Ok(res.rows_affected)
}

/// Audits a change to an endpoint.
pub(crate) async fn audit(
    tx: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: &Actor,
    action: &str,
    e: &EndpointRecord,
    details: Value,
) -> Result<()> {
    audit_target(tx, now, actor, action, ("webhook_endpoint", &e.id), &e.tenant_id, details).await
}

async fn audit_target(
    tx: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: &Actor,
    action: &str,
    (target_type, target_id): (&str, &str),
    tenant_id: &str,
    details: Value,
) -> Result<()> {
    let entry = AuditEntry { actor, action, target_type, target_id, tenant_ids: vec![tenant_id.to_owned()], details };
    accord_db::record_change(tx, now, entry, None).await?;
    Ok(())
}
