//! Fan-out: each outbox event becomes, in one transaction that also marks it published, one
//! delivery per subscribed endpoint of a tenant it concerns and one mail per (recipient, event,
//! reminder). The unique keys (endpoint, event) and (recipient, event, reminder) make a second
//! fan-out of the same event — after a crash between commit and acknowledgement, or by a
//! replica — insert nothing.

use crate::domain::MailStatus;
use crate::endpoints::new_delivery;
use crate::entities::{delivery, endpoint, mail};
use crate::error::{Error, Result};
use crate::records::EndpointRecord;
use crate::render::render_event;
use crate::render::{self, Rendered};
use crate::service::Notifications;
use accord_db::outbox::OutboxRecord;
use accord_kernel::Role;
use accord_tenants::UserRecord;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Events fanned out per transaction.
pub(crate) const BATCH: u64 = 200;
/// Rows per INSERT (well under SQLite's bound-parameter limit).
const INSERT_CHUNK: usize = 500;

/// One mail to queue.
pub(crate) struct MailTo {
    pub recipient: String,
    pub tenant_id: Option<String>,
}

impl Notifications {
    /// Fans out up to [`BATCH`] events; returns how many.
    pub(crate) async fn fan_out_batch(&self, now: DateTime<Utc>) -> Result<usize> {
        accord_db::retrying("fan_out", || self.fan_out_tx(now)).await
    }

    async fn fan_out_tx(&self, now: DateTime<Utc>) -> Result<usize> {
        let tx = accord_db::begin_unaudited(&self.db).await?;
        let events = accord_db::outbox::claim_unpublished(&tx, BATCH).await?;
        if events.is_empty() {
            tx.commit().await?;
            return Ok(0);
        }
        let endpoints = live_endpoints(&tx, &events).await?;
        let people = People::load(&tx, &events).await?;
        let mut deliveries = Vec::new();
        let mut mails = Vec::new();
        for ev in &events {
            for e in endpoints.iter().filter(|e| subscribed(e, ev)) {
                deliveries.push(new_delivery(accord_kernel::new_id(), e, &ev.id, &ev.event_type, now));
            }
            let data = serde_json::from_str::<Value>(&ev.payload).ok().and_then(|p| p.get("data").cloned()).unwrap_or(Value::Null);
            let Some(rendered) = render_event(&ev.event_type, &ev.id, &data, &self.config.public_url) else { continue };
            let reminder = data.get("reminderDays").map(Value::to_string).unwrap_or_default();
            for to in people.recipients(&ev.event_type, &data) {
                mails.push(self.mail_row(&to, &ev.id, &ev.event_type, &reminder, &rendered, now));
            }
        }
        for chunk in deliveries.chunks(INSERT_CHUNK) {
            delivery::Entity::insert_many(chunk.to_vec())
                .on_conflict_do_nothing_on([delivery::Column::EndpointId, delivery::Column::EventId])
                .exec_without_returning(&tx)
                .await?;
        }
        insert_mails(&tx, mails).await?;
        let ids: Vec<String> = events.iter().map(|e| e.id.clone()).collect();
        accord_db::outbox::mark_published(&tx, &ids, now).await?;
        tx.commit().await?;
        Ok(events.len())
    }

    /// A mail row for `to` about an event, keyed (recipient, event, reminder); its Message-ID
    /// derives from the key, so the same mail always carries the same one.
    pub(crate) fn mail_row(
        &self,
        to: &MailTo,
        event_id: &str,
        event_type: &str,
        reminder: &str,
        r: &Rendered,
        now: DateTime<Utc>,
    ) -> mail::ActiveModel {
        let key = format!("{}|{event_id}|{reminder}", to.recipient);
        let digest = hex::encode(Sha256::digest(key.as_bytes()));
        mail::ActiveModel {
            id: Set(accord_kernel::new_id()),
            dedupe_key: Set(digest.clone()),
            event_id: Set(event_id.to_owned()),
            event_type: Set(event_type.to_owned()),
            tenant_id: Set(to.tenant_id.clone()),
            recipient: Set(to.recipient.clone()),
            subject: Set(r.subject.clone()),
            text_body: Set(r.text.clone()),
            html_body: Set(r.html.clone()),
            message_id: Set(format!("{}@{}", &digest[..40], self.config.message_domain)),
            status: Set(MailStatus::Pending.as_str().to_owned()),
            attempts: Set(0),
            next_attempt_at: Set(Some(now)),
            lease_until: Set(None),
            last_error: Set(None),
            created_at: Set(now),
            sent_at: Set(None),
        }
    }

    /// Queues the mail that tells a tenant's admins Accord disabled one of their endpoints.
    pub(crate) async fn notify_disabled(
        &self,
        tx: &impl ConnectionTrait,
        e: &EndpointRecord,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let notice = format!("endpoint-disabled:{}:{}", e.id, now.timestamp_micros());
        let r = render::render_endpoint_disabled(&e.id, &e.url, reason, &notice, &self.config.public_url);
        let admins = accord_tenants::lookup::active_users_of(tx, std::slice::from_ref(&e.tenant_id)).await.map_err(Error::upstream)?;
        let mails = admins
            .iter()
            .filter(|u| u.roles.contains(Role::Admin))
            .map(|u| {
                self.mail_row(
                    &MailTo { recipient: u.email.to_lowercase(), tenant_id: Some(u.tenant_id.clone()) },
                    &notice,
                    "webhook_endpoint.disabled",
                    "",
                    &r,
                    now,
                )
            })
            .collect();
        insert_mails(tx, mails).await
    }
}

async fn insert_mails(tx: &impl ConnectionTrait, mails: Vec<mail::ActiveModel>) -> Result<()> {
    for chunk in mails.chunks(INSERT_CHUNK) {
        mail::Entity::insert_many(chunk.to_vec()).on_conflict_do_nothing_on([mail::Column::DedupeKey]).exec_without_returning(tx).await?;
    }
    Ok(())
}

/// The enabled endpoints of the tenants the events concern, whose owners still answer for them
/// (an active ADMIN of the endpoint's tenant): an orphaned endpoint receives nothing, even
/// before governance disables it.
async fn live_endpoints(tx: &impl ConnectionTrait, events: &[OutboxRecord]) -> Result<Vec<EndpointRecord>> {
    let tenants: HashSet<&String> = events.iter().flat_map(|e| e.tenant_ids.iter()).collect();
    let rows = endpoint::Entity::find()
        .filter(endpoint::Column::TenantId.is_in(tenants.into_iter().cloned()))
        .filter(endpoint::Column::Enabled.eq(true))
        .filter(endpoint::Column::DeletedAt.is_null())
        .all(tx)
        .await?;
    let endpoints = rows.into_iter().map(EndpointRecord::try_from).collect::<Result<Vec<_>>>()?;
    let owner_ids: Vec<String> = endpoints.iter().map(|e| e.owner_user_id.clone()).collect();
    let owners = accord_tenants::lookup::users_by_ids(tx, &owner_ids).await.map_err(Error::upstream)?;
    Ok(endpoints.into_iter().filter(|e| owners.get(&e.owner_user_id).is_some_and(|u| answers_for(u, e))).collect())
}

/// Whether `e` receives `ev`: the event concerns its tenant, is of a type it subscribed to, and
/// was written after the endpoint was created (ids are UUIDv7, so they order by creation time):
/// a new endpoint starts with what happens next, not with a backlog it never asked for.
fn subscribed(e: &EndpointRecord, ev: &OutboxRecord) -> bool {
    ev.tenant_ids.contains(&e.tenant_id) && e.event_types.contains(&ev.event_type) && ev.id > e.id
}

/// Whether `u` may still answer for `e`: an active ADMIN of its tenant.
pub(crate) fn answers_for(u: &UserRecord, e: &EndpointRecord) -> bool {
    u.is_active() && u.tenant_id == e.tenant_id && u.roles.contains(Role::Admin)
}

/// The people mail about a batch of events may reach: the active users of the tenants
/// concerned, and the requesters of the requests.
struct People {
    by_tenant: BTreeMap<String, Vec<UserRecord>>,
    by_id: HashMap<String, UserRecord>,
}

fn text<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer).and_then(Value::as_str).filter(|s| !s.is_empty())
}

impl People {
    async fn load(tx: &impl ConnectionTrait, events: &[OutboxRecord]) -> Result<Self> {
        let tenants: Vec<String> = events.iter().flat_map(|e| e.tenant_ids.iter().cloned()).collect::<HashSet<_>>().into_iter().collect();
        let users = accord_tenants::lookup::active_users_of(tx, &tenants).await.map_err(Error::upstream)?;
        let mut by_tenant: BTreeMap<String, Vec<UserRecord>> = BTreeMap::new();
        let mut by_id = HashMap::new();
        for u in users {
            by_id.insert(u.id.clone(), u.clone());
            by_tenant.entry(u.tenant_id.clone()).or_default().push(u);
        }
        Ok(Self { by_tenant, by_id })
    }

    fn of(&self, tenant: Option<&str>, role: Role) -> Vec<MailTo> {
        let users = tenant.and_then(|t| self.by_tenant.get(t)).map(Vec::as_slice).unwrap_or_default();
        users
            .iter()
            .filter(|u| u.roles.allows(role))
            .map(|u| MailTo { recipient: u.email.clone(), tenant_id: Some(u.tenant_id.clone()) })
            .collect()
    }

    fn owners(data: &Value, which: &[&str]) -> Vec<MailTo> {
        let vendor = text(data, "/vendor/id").or_else(|| text(data, "/app/vendorId")).map(str::to_owned);
        which
            .iter()
            .filter_map(|k| text(data, &format!("/app/{k}")))
            .map(|email| MailTo { recipient: email.to_owned(), tenant_id: vendor.clone() })
            .collect()
    }

    /// SPEC §6's table: who hears of an event by mail. Each address once per event.
    fn recipients(&self, event_type: &str, data: &Value) -> Vec<MailTo> {
        let holder = text(data, "/dataHolder/id");
        let both_owners = || Self::owners(data, &["businessOwner", "technicalOwner"]);
        let mut out = match event_type {
            "access_request.created" => self.of(holder, Role::Approver),
            // A missed review under ESCALATE goes to the holder's admins.
            "review.due" if data.get("escalated").and_then(Value::as_bool) == Some(true) => self.of(holder, Role::Admin),
            "review.due" => self.of(holder, Role::Approver),
            "access_request.approved" | "access_request.denied" => {
                let requester = text(data, "/accessRequest/requestedBy").and_then(|id| self.by_id.get(id));
                let mut v: Vec<MailTo> =
                    requester.map(|u| MailTo { recipient: u.email.clone(), tenant_id: Some(u.tenant_id.clone()) }).into_iter().collect();
                v.extend(both_owners());
                v
            }
            "grant.expiring" => {
                let mut v = both_owners();
                v.extend(self.of(holder, Role::Approver));
                v
            }
            "grant.revoked" | "grant.expired" | "app.offboarded" => both_owners(),
            "partnership.ended" => {
                let mut v = self.of(text(data, "/partnership/holderId").or(holder), Role::Admin);
                v.extend(self.of(text(data, "/partnership/vendorId").or_else(|| text(data, "/vendor/id")), Role::Admin));
                v
            }
            "credential.expiring" if data.get("apiToken").is_some() => text(data, "/owner/email")
                .map(|e| MailTo { recipient: e.to_owned(), tenant_id: text(data, "/owner/tenantId").map(str::to_owned) })
                .into_iter()
                .collect(),
            "credential.expiring" => Self::owners(data, &["technicalOwner"]),
            _ => Vec::new(),
        };
        let mut seen = HashSet::new();
        for m in &mut out {
            m.recipient = m.recipient.trim().to_lowercase();
        }
        out.retain(|m| seen.insert(m.recipient.clone()));
        out
    }
}
