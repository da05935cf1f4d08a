//! Notifications: the relay from the transactional outbox to the people and systems that must
//! hear of a change. Each event is fanned out, in one transaction that also marks it published,
//! to one [`DeliveryRecord`] per subscribed endpoint of a tenant it concerns (SPEC §6: a vendor
//! hears of its apps, requests and grants, a holder of requests and grants at it) and to one
//! mail per (recipient, event, reminder) under a unique key. Deliveries are then claimed with
//! a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL), signed the Standard Webhooks way and
//! posted; mails go out through lettre. A failure delays, never loses: the retry schedule,
//! `Retry-After`, replay and endpoint disabling are all recorded rows. Endpoints are governed
//! like access: each has an owner, every change is audited, and an endpoint whose owner is no
//! longer an active ADMIN is disabled and its tenant's admins are told.

pub mod domain;
pub mod error;
pub mod graphql;
pub mod records;
pub mod signing;
pub mod ssrf;

mod endpoints;
pub(crate) mod entities;
mod fanout;
mod mailer;
mod mails;
mod metrics;
mod relay;
mod render;
mod service;
mod webhooks;

pub use domain::{DeliveryStatus, MailStatus};
pub use endpoints::{EndpointInput, NewEndpoint};
pub use error::{Error, Result};
pub use mailer::{MailConfigError, Mailer};
pub use metrics::{RelayMetrics, RelaySnapshot};
pub use records::{DeliveryRecord, EndpointRecord, MailRecord};
pub use relay::RelayReport;
pub use service::Notifications;
