//! What this service hands out: endpoints (never their secrets), deliveries and mails. A row
//! that does not parse is an error, never a default.

use crate::domain::{DeliveryStatus, MailStatus};
use crate::entities::{delivery, endpoint, mail};
use crate::error::Error;
use chrono::{DateTime, Utc};

fn corrupt(what: &str, id: &str, field: &str) -> Error {
    Error::internal(format!("{what} {id} has an unreadable {field}"))
}

/// A webhook endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointRecord {
    /// Its id.
    pub id: String,
    /// The organization it belongs to.
    pub tenant_id: String,
    /// The user who answers for it (its creator); disabled when they leave.
    pub owner_user_id: String,
    /// Where events are posted.
    pub url: String,
    /// What it is for.
    pub description: Option<String>,
    /// The event types it receives.
    pub event_types: Vec<String>,
    /// Whether it receives events.
    pub enabled: bool,
    /// Why it was disabled (by Accord or by an admin).
    pub disabled_reason: Option<String>,
    /// Since when every attempt has failed (`None` after a success).
    pub failing_since: Option<DateTime<Utc>>,
    /// Until when the secret replaced by a rotation still signs.
    pub previous_secret_until: Option<DateTime<Utc>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<endpoint::Model> for EndpointRecord {
    type Error = Error;
    fn try_from(m: endpoint::Model) -> Result<Self, Error> {
        let event_types = serde_json::from_str(&m.event_types).map_err(|_| corrupt("webhook endpoint", &m.id, "event_types"))?;
        Ok(Self {
            id: m.id,
            tenant_id: m.tenant_id,
            owner_user_id: m.owner_user_id,
            url: m.url,
            description: m.description,
            event_types,
            enabled: m.enabled,
            disabled_reason: m.disabled_reason,
            failing_since: m.failing_since,
            previous_secret_until: m.previous_secret_until,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

/// One webhook attempt series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRecord {
    /// Its id.
    pub id: String,
    /// The endpoint it goes to.
    pub endpoint_id: String,
    /// The endpoint's organization.
    pub tenant_id: String,
    /// The event (its id is the `webhook-id`).
    pub event_id: String,
    /// The event's type.
    pub event_type: String,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempts: i32,
    /// When the next attempt is due (`None` once delivered or failed).
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

impl TryFrom<delivery::Model> for DeliveryRecord {
    type Error = Error;
    fn try_from(m: delivery::Model) -> Result<Self, Error> {
        let status = m.status.parse().map_err(|_| corrupt("delivery", &m.id, "status"))?;
        Ok(Self {
            id: m.id,
            endpoint_id: m.endpoint_id,
            tenant_id: m.tenant_id,
            event_id: m.event_id,
            event_type: m.event_type,
            status,
            attempts: m.attempts,
            next_attempt_at: m.next_attempt_at,
            last_status_code: m.last_status_code,
            last_error: m.last_error,
            created_at: m.created_at,
            delivered_at: m.delivered_at,
        })
    }
}

/// One mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailRecord {
    /// Its id.
    pub id: String,
    /// The event it tells of.
    pub event_id: String,
    /// The event's type.
    pub event_type: String,
    /// The recipient's organization, when the recipient is a user.
    pub tenant_id: Option<String>,
    /// The address.
    pub recipient: String,
    /// The subject.
    pub subject: String,
    /// The `Message-ID` (the same for the same recipient, event and reminder).
    pub message_id: String,
    /// Where it stands.
    pub status: MailStatus,
    /// Attempts made so far.
    pub attempts: i32,
    /// When the next attempt is due.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// What went wrong last (an SMTP reply, never credentials).
    pub last_error: Option<String>,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// When the server accepted it.
    pub sent_at: Option<DateTime<Utc>>,
}

impl TryFrom<mail::Model> for MailRecord {
    type Error = Error;
    fn try_from(m: mail::Model) -> Result<Self, Error> {
        let status = m.status.parse().map_err(|_| corrupt("mail", &m.id, "status"))?;
        Ok(Self {
            id: m.id,
            event_id: m.event_id,
            event_type: m.event_type,
            tenant_id: m.tenant_id,
            recipient: m.recipient,
            subject: m.subject,
            message_id: m.message_id,
            status,
            attempts: m.attempts,
            next_attempt_at: m.next_attempt_at,
            last_error: m.last_error,
            created_at: m.created_at,
            sent_at: m.sent_at,
        })
    }
}
