//! The event catalog: the SPEC §6 event types, fixed, as one enum. The outbox writes only these
//! (webhook endpoints subscribe to them by name), and an audit event uses the same name where an
//! event exists. Each service keeps the one builder of its objects' payloads; this module only
//! names the types.

use std::fmt;
use std::str::FromStr;

/// A SPEC §6 event type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    /// `app.registered`
    AppRegistered,
    /// `app.updated`
    AppUpdated,
    /// `app.suspended`
    AppSuspended,
    /// `app.offboarded`
    AppOffboarded,
    /// `credential.rotated`
    CredentialRotated,
    /// `credential.expiring`
    CredentialExpiring,
    /// `access_request.created`
    AccessRequestCreated,
    /// `access_request.approved`
    AccessRequestApproved,
    /// `access_request.denied`
    AccessRequestDenied,
    /// `access_request.withdrawn`
    AccessRequestWithdrawn,
    /// `access_request.cancelled`
    AccessRequestCancelled,
    /// `grant.created`
    GrantCreated,
    /// `grant.expiring`
    GrantExpiring,
    /// `grant.expired`
    GrantExpired,
    /// `grant.revoked`
    GrantRevoked,
    /// `grant.suspended`
    GrantSuspended,
    /// `grant.resumed`
    GrantResumed,
    /// `review.due`
    ReviewDue,
    /// `review.completed`
    ReviewCompleted,
    /// `partnership.ended`
    PartnershipEnded,
}

impl EventType {
    /// Every type, in SPEC §6 order.
    pub const ALL: [EventType; 20] = [
        EventType::AppRegistered,
        EventType::AppUpdated,
        EventType::AppSuspended,
        EventType::AppOffboarded,
        EventType::CredentialRotated,
        EventType::CredentialExpiring,
        EventType::AccessRequestCreated,
        EventType::AccessRequestApproved,
        EventType::AccessRequestDenied,
        EventType::AccessRequestWithdrawn,
        EventType::AccessRequestCancelled,
        EventType::GrantCreated,
        EventType::GrantExpiring,
        EventType::GrantExpired,
        EventType::GrantRevoked,
        EventType::GrantSuspended,
        EventType::GrantResumed,
        EventType::ReviewDue,
        EventType::ReviewCompleted,
        EventType::PartnershipEnded,
    ];

    /// The fixed name, e.g. `grant.created`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::AppRegistered => "app.registered",
            EventType::AppUpdated => "app.updated",
            EventType::AppSuspended => "app.suspended",
            EventType::AppOffboarded => "app.offboarded",
            EventType::CredentialRotated => "credential.rotated",
            EventType::CredentialExpiring => "credential.expiring",
            EventType::AccessRequestCreated => "access_request.created",
            EventType::AccessRequestApproved => "access_request.approved",
            EventType::AccessRequestDenied => "access_request.denied",
            EventType::AccessRequestWithdrawn => "access_request.withdrawn",
            EventType::AccessRequestCancelled => "access_request.cancelled",
            EventType::GrantCreated => "grant.created",
            EventType::GrantExpiring => "grant.expiring",
            EventType::GrantExpired => "grant.expired",
            EventType::GrantRevoked => "grant.revoked",
            EventType::GrantSuspended => "grant.suspended",
            EventType::GrantResumed => "grant.resumed",
            EventType::ReviewDue => "review.due",
            EventType::ReviewCompleted => "review.completed",
            EventType::PartnershipEnded => "partnership.ended",
        }
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EventType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EventType::ALL.into_iter().find(|t| t.as_str() == s).ok_or_else(|| format!("unknown event type `{s}`"))
    }
}

/// An event to write beside an audit event: its type and the `data` of its payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The type (also the audit action of the change).
    pub event_type: EventType,
    /// The `data` object of the payload (the actor is added when it is written).
    pub data: serde_json::Value,
}

impl Event {
    /// An event of `event_type` with `data`.
    #[must_use]
    pub fn new(event_type: EventType, data: serde_json::Value) -> Self {
        Self { event_type, data }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_type_reads_back_from_its_name_and_the_catalog_has_the_twenty_of_the_spec() {
        for t in EventType::ALL {
            assert_eq!(t.as_str().parse::<EventType>(), Ok(t));
        }
        let mut names: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 20);
        assert!("app.resumed".parse::<EventType>().is_err());
    }
}
