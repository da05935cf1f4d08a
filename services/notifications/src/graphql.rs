//! The webhook part of the GraphQL API (SPEC §6, fixed names) and the mail log. Resolvers
//! authorize in the service, map records to the DTOs written here, and never show a secret
//! except the once it is created or rotated.

use crate::domain::{DeliveryStatus, MailStatus};
use crate::endpoints::{EndpointInput, NewEndpoint};
use crate::records::{DeliveryRecord, EndpointRecord, MailRecord};
use crate::service::Notifications;
use accord_kernel::gql::{Conn, GqlResultExt, connection, principal, service};
use accord_kernel::page::PageRequest;
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

/// A tenant's webhook subscriber.
#[derive(SimpleObject, Clone, Debug)]
pub struct WebhookEndpoint {
    /// Its id.
    pub id: ID,
    /// Where events are posted.
    pub url: String,
    /// What it is for.
    pub description: Option<String>,
    /// The SPEC §6 event types it receives.
    pub event_types: Vec<String>,
    /// Whether it receives events.
    pub enabled: bool,
    /// Why it was disabled (a 410, five failing days, its owner leaving, an admin).
    pub disabled_reason: Option<String>,
    /// Since when every attempt has failed (`null` once one succeeds).
    pub failing_since: Option<DateTime<Utc>>,
    /// Until when the secret replaced by the last rotation still signs, beside the new one.
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    /// The ADMIN who answers for it (its creator, or the admin who last changed it).
    pub owner_user_id: ID,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<EndpointRecord> for WebhookEndpoint {
    fn from(e: EndpointRecord) -> Self {
        Self {
            id: e.id.into(),
            url: e.url,
            description: e.description,
            event_types: e.event_types,
            enabled: e.enabled,
            disabled_reason: e.disabled_reason,
            failing_since: e.failing_since,
            previous_secret_expires_at: e.previous_secret_until,
            owner_user_id: e.owner_user_id.into(),
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// An endpoint and its signing secret, shown this once.
#[derive(SimpleObject, Clone, Debug)]
pub struct WebhookEndpointPayload {
    /// The endpoint.
    pub endpoint: WebhookEndpoint,
    /// `whsec_…`: store it now; it is never shown again.
    pub secret: String,
}

impl From<NewEndpoint> for WebhookEndpointPayload {
    fn from(n: NewEndpoint) -> Self {
        Self { endpoint: n.endpoint.into(), secret: n.secret }
    }
}

/// One webhook attempt series (SPEC §6).
#[derive(SimpleObject, Clone, Debug)]
pub struct Delivery {
    /// Its id.
    pub id: ID,
    /// The endpoint it goes to.
    pub endpoint_id: ID,
    /// The event: also the `webhook-id` header of every attempt and replay.
    pub event_id: ID,
    /// The event type.
    pub event_type: String,
    /// Pending, delivered or failed.
    pub status: DeliveryStatus,
    /// Attempts made.
    pub attempts: i32,
    /// When the next attempt is due.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// The last HTTP status answered.
    pub last_status_code: Option<i32>,
    /// What went wrong last.
    pub last_error: Option<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was delivered.
    pub delivered_at: Option<DateTime<Utc>>,
}

impl From<DeliveryRecord> for Delivery {
    fn from(d: DeliveryRecord) -> Self {
        Self {
            id: d.id.into(),
            endpoint_id: d.endpoint_id.into(),
            event_id: d.event_id.into(),
            event_type: d.event_type,
            status: d.status,
            attempts: d.attempts,
            next_attempt_at: d.next_attempt_at,
            last_status_code: d.last_status_code,
            last_error: d.last_error,
            created_at: d.created_at,
            delivered_at: d.delivered_at,
        }
    }
}

/// One mail to someone of your organization.
#[derive(SimpleObject, Clone, Debug)]
pub struct MailDelivery {
    /// Its id.
    pub id: ID,
    /// The event it tells of.
    pub event_id: ID,
    /// The event type.
    pub event_type: String,
    /// The address.
    pub recipient: String,
    /// The subject.
    pub subject: String,
    /// The `Message-ID` header.
    pub message_id: String,
    /// Pending, sent or failed.
    pub status: MailStatus,
    /// Attempts made.
    pub attempts: i32,
    /// When the next attempt is due.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// The mail server's last refusal.
    pub last_error: Option<String>,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// When the server accepted it.
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<MailRecord> for MailDelivery {
    fn from(m: MailRecord) -> Self {
        Self {
            id: m.id.into(),
            event_id: m.event_id.into(),
            event_type: m.event_type,
            recipient: m.recipient,
            subject: m.subject,
            message_id: m.message_id,
            status: m.status,
            attempts: m.attempts,
            next_attempt_at: m.next_attempt_at,
            last_error: m.last_error,
            created_at: m.created_at,
            sent_at: m.sent_at,
        }
    }
}

/// An endpoint as an admin describes it (SPEC §6).
#[derive(InputObject, Debug)]
pub struct WebhookEndpointInput {
    /// Absolute https URL on a public address.
    pub url: String,
    /// SPEC §6 event types, e.g. `grant.revoked`.
    pub event_types: Vec<String>,
    /// What it is for (up to 500 characters).
    pub description: Option<String>,
    /// Whether it receives events (default true on create; unchanged on update when absent).
    pub enabled: Option<bool>,
}

impl From<WebhookEndpointInput> for EndpointInput {
    fn from(i: WebhookEndpointInput) -> Self {
        Self { url: i.url, event_types: i.event_types, description: i.description, enabled: i.enabled }
    }
}

/// Queries of the notifications service.
#[derive(Default)]
pub struct NotificationsQuery;

#[Object]
impl NotificationsQuery {
    /// Your organization's webhook endpoints, newest first (ADMIN, AUDITOR).
    async fn webhook_endpoints(&self, ctx: &Context<'_>, first: Option<i32>, after: Option<String>) -> Result<Conn<WebhookEndpoint>> {
        let p = principal(ctx)?;
        let given = after.is_some();
        let page = PageRequest::parse(first, after).gql(ctx)?;
        let rows = service::<Notifications>(ctx)?.endpoints(p, &page).await.gql(ctx)?;
        Ok(connection(rows.map(WebhookEndpoint::from), |e| e.id.to_string(), given))
    }

    /// One of your organization's webhook endpoints (ADMIN, AUDITOR; the links in
    /// `webhook_endpoint.disabled` mails point to it).
    async fn webhook_endpoint(&self, ctx: &Context<'_>, id: ID) -> Result<Option<WebhookEndpoint>> {
        let p = principal(ctx)?;
        Ok(service::<Notifications>(ctx)?.endpoint(p, &id).await.gql(ctx)?.map(WebhookEndpoint::from))
    }

    /// Deliveries to your organization's endpoints, newest first (ADMIN, AUDITOR).
    async fn deliveries(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        endpoint_id: Option<ID>,
        status: Option<DeliveryStatus>,
    ) -> Result<Conn<Delivery>> {
        let p = principal(ctx)?;
        let given = after.is_some();
        let page = PageRequest::parse(first, after).gql(ctx)?;
        let rows = service::<Notifications>(ctx)?.deliveries(p, endpoint_id.as_ref().map(|i| i.as_str()), status, &page).await.gql(ctx)?;
        Ok(connection(rows.map(Delivery::from), |d| d.id.to_string(), given))
    }

    /// Mails to your organization's people, newest first (ADMIN, AUDITOR): failed ones show
    /// the mail server's answer.
    async fn mail_deliveries(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        status: Option<MailStatus>,
    ) -> Result<Conn<MailDelivery>> {
        let p = principal(ctx)?;
        let given = after.is_some();
        let page = PageRequest::parse(first, after).gql(ctx)?;
        let rows = service::<Notifications>(ctx)?.mails(p, status, &page).await.gql(ctx)?;
        Ok(connection(rows.map(MailDelivery::from), |m| m.id.to_string(), given))
    }
}

/// Mutations of the notifications service (ADMIN).
#[derive(Default)]
pub struct NotificationsMutation;

#[Object]
impl NotificationsMutation {
    /// Creates an endpoint you answer for; its secret is in the answer, this once.
    async fn create_webhook_endpoint(&self, ctx: &Context<'_>, input: WebhookEndpointInput) -> Result<WebhookEndpointPayload> {
        let p = principal(ctx)?;
        Ok(service::<Notifications>(ctx)?.create_endpoint(p, &input.into()).await.gql(ctx)?.into())
    }

    /// Replaces an endpoint's settings; you answer for it from now on.
    async fn update_webhook_endpoint(&self, ctx: &Context<'_>, id: ID, input: WebhookEndpointInput) -> Result<WebhookEndpoint> {
        let p = principal(ctx)?;
        Ok(service::<Notifications>(ctx)?.update_endpoint(p, &id, &input.into()).await.gql(ctx)?.into())
    }

    /// A new secret, shown this once; the old one also signs for 24 hours.
    async fn rotate_webhook_secret(&self, ctx: &Context<'_>, id: ID) -> Result<WebhookEndpointPayload> {
        let p = principal(ctx)?;
        Ok(service::<Notifications>(ctx)?.rotate_secret(p, &id).await.gql(ctx)?.into())
    }

    /// Deletes an endpoint; its pending deliveries end failed.
    async fn delete_webhook_endpoint(&self, ctx: &Context<'_>, id: ID) -> Result<bool> {
        let p = principal(ctx)?;
        service::<Notifications>(ctx)?.delete_endpoint(p, &id).await.gql(ctx)
    }

    /// Sends a delivery again now, with the same `webhook-id`.
    async fn replay_delivery(&self, ctx: &Context<'_>, id: ID) -> Result<Delivery> {
        let p = principal(ctx)?;
        Ok(service::<Notifications>(ctx)?.replay_delivery(p, &id).await.gql(ctx)?.into())
    }

    /// Sends a `webhook.test` event to an endpoint now and tells how it went.
    async fn send_test_webhook(&self, ctx: &Context<'_>, endpoint_id: ID) -> Result<Delivery> {
        let p = principal(ctx)?;
        Ok(service::<Notifications>(ctx)?.send_test_webhook(p, &endpoint_id).await.gql(ctx)?.into())
    }
}
