//! Webhook sending: due deliveries are claimed with a lease (so a crashed relay's claims come
//! back, and two relays never post the same delivery at once), posted with Standard Webhooks
//! headers, and settled by the answer: a 2xx within the timeout is delivered; anything else is
//! retried on the SPEC schedule (`Retry-After` honoured on 429/503), a 410 disables the
//! endpoint, and an endpoint failing for five days is disabled and its admins told.

use crate::domain::{self, DeliveryStatus, FAILING_LIMIT, MAX_ATTEMPTS, MAX_RETRY_AFTER};
use crate::endpoints::audit;
use crate::entities::{delivery, endpoint};
use crate::error::{Error, Result};
use crate::metrics::Count;
use crate::records::{DeliveryRecord, EndpointRecord};
use crate::service::Notifications;
use crate::{signing, ssrf};
use accord_kernel::Actor;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

/// A delivery claimed for one attempt, with what it needs to send.
pub(crate) struct Claimed {
    pub delivery: delivery::Model,
    pub endpoint: endpoint::Model,
    pub payload: String,
}

/// How one attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// 2xx in time.
    Delivered(u16),
    /// Anything else.
    Failed { code: Option<u16>, error: String, retry_after: Option<Duration>, gone: bool },
}

impl Notifications {
    /// How long a claim holds: the receiver's time and a margin; after it the delivery is due
    /// again (its relay died mid-attempt).
    fn lease(&self) -> Duration {
        Duration::from_std(self.config.timeout).unwrap_or(Duration::seconds(15)) + Duration::seconds(5)
    }

    /// Claims up to `limit` due deliveries of enabled endpoints.
    pub(crate) async fn claim_deliveries(&self, now: DateTime<Utc>, limit: u64) -> Result<Vec<Claimed>> {
        accord_db::retrying("claim_deliveries", || self.claim_tx(now, limit, None)).await
    }

    async fn claim_tx(&self, now: DateTime<Utc>, limit: u64, only: Option<&str>) -> Result<Vec<Claimed>> {
        let tx = accord_db::begin_unaudited(&self.db).await?;
        let enabled = Query::select()
            .column(endpoint::Column::Id)
            .from(endpoint::Entity)
            .and_where(endpoint::Column::Enabled.eq(true))
            .and_where(endpoint::Column::DeletedAt.is_null())
            .to_owned();
        let mut q = delivery::Entity::find()
            .filter(delivery::Column::Status.eq(DeliveryStatus::Pending.as_str()))
            .filter(delivery::Column::NextAttemptAt.lte(now))
            .filter(delivery::Column::LeaseUntil.is_null().or(delivery::Column::LeaseUntil.lte(now)))
            .filter(delivery::Column::EndpointId.in_subquery(enabled))
            .order_by_asc(delivery::Column::NextAttemptAt)
            .limit(limit);
        if let Some(id) = only {
            q = q.filter(delivery::Column::Id.eq(id));
        }
        if tx.get_database_backend() == DbBackend::Postgres {
            q = q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let rows = q.all(&tx).await?;
        if rows.is_empty() {
            tx.commit().await?;
            return Ok(Vec::new());
        }
        let ids: Vec<String> = rows.iter().map(|d| d.id.clone()).collect();
        delivery::Entity::update_many()
            .col_expr(delivery::Column::LeaseUntil, Expr::value(now + self.lease()))
            .filter(delivery::Column::Id.is_in(ids))
            .exec(&tx)
            .await?;
        let endpoint_ids: Vec<String> = rows.iter().map(|d| d.endpoint_id.clone()).collect();
        let endpoints: std::collections::HashMap<String, endpoint::Model> = endpoint::Entity::find()
            .filter(endpoint::Column::Id.is_in(endpoint_ids))
            .all(&tx)
            .await?
            .into_iter()
            .map(|e| (e.id.clone(), e))
            .collect();
        let event_ids: Vec<String> = rows.iter().map(|d| d.event_id.clone()).collect();
        let events = accord_db::outbox::events_by_ids(&tx, &event_ids).await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .filter_map(|d| {
                let endpoint = endpoints.get(&d.endpoint_id)?.clone();
                let payload = events.get(&d.event_id)?.payload.clone();
                Some(Claimed { delivery: d, endpoint, payload })
            })
            .collect())
    }

    /// Makes one attempt of one delivery now (replay, test) and returns it as it then stands.
    pub(crate) async fn attempt_now(&self, delivery_id: &str) -> Result<DeliveryRecord> {
        let now = self.clock.now();
        let claimed = accord_db::retrying("claim_delivery", || self.claim_tx(now, 1, Some(delivery_id))).await?;
        for c in claimed {
            let outcome = self.post(&c, now).await;
            self.settle(&c, &outcome, self.clock.now()).await?;
        }
        let d = delivery::Entity::find_by_id(delivery_id.to_owned()).one(self.db.reader()).await?.ok_or(Error::NotFound("delivery"))?;
        DeliveryRecord::try_from(d)
    }

    /// Posts one delivery. Never fails: every problem is an [`Outcome::Failed`].
    pub(crate) async fn post(&self, c: &Claimed, now: DateTime<Utc>) -> Outcome {
        let failed = |code, error: String| Outcome::Failed { code, error, retry_after: None, gone: false };
        let url = match url::Url::parse(&c.endpoint.url) {
            Ok(u) => u,
            Err(e) => return failed(None, format!("the endpoint URL does not parse: {e}")),
        };
        // Names are checked inside the client's resolver, on the address it connects to; an IP
        // literal never reaches a resolver, so it is checked here.
        if url.host_str().is_some_and(|h| h.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok())
            && let Err(e) = self.guard.check_url(&url).await
        {
            return failed(None, format!("refused: {e}"));
        }
        let mut secrets = Vec::new();
        for (sealed, live) in [
            (Some(&c.endpoint.secret_sealed), true),
            (c.endpoint.previous_secret_sealed.as_ref(), c.endpoint.previous_secret_until.is_some_and(|u| u > now)),
        ] {
            if let (Some(sealed), true) = (sealed, live) {
                match self.sealer.open(sealed).map(String::from_utf8) {
                    Ok(Ok(s)) => secrets.push(s),
                    _ => return failed(None, "the endpoint's secret cannot be opened (was ACCORD_SECRET_KEY changed?)".into()),
                }
            }
        }
        // The signed timestamp is wall-clock time: receivers compare it with their own clock to
        // refuse replays, whatever the business clock says.
        let ts = Utc::now().timestamp();
        let msg_id = &c.delivery.event_id;
        let res = self
            .http
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", msg_id)
            .header("webhook-timestamp", ts.to_string())
            .header("webhook-signature", signing::signature_header(&secrets, msg_id, ts, &c.payload))
            .body(c.payload.clone())
            .send()
            .await;
        match res {
            Ok(r) if r.status().is_success() => Outcome::Delivered(r.status().as_u16()),
            Ok(r) => {
                let code = r.status().as_u16();
                let retry_after = matches!(code, 429 | 503)
                    .then(|| r.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| parse_retry_after(v, Utc::now())))
                    .flatten();
                let error = if r.status().is_redirection() {
                    let to = r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("?");
                    format!("redirected to {} (redirects are not followed)", to.chars().take(200).collect::<String>())
                } else {
                    format!("the receiver answered {code}")
                };
                Outcome::Failed { code: Some(code), error, retry_after, gone: code == 410 }
            }
            Err(e) => failed(None, describe(&e, self.config.timeout)),
        }
    }

    /// Records an attempt's outcome. Only the claim that made the attempt settles it: a
    /// delivery replayed meanwhile (attempts reset) is left to its new schedule.
    pub(crate) async fn settle(&self, c: &Claimed, outcome: &Outcome, now: DateTime<Utc>) -> Result<()> {
        let disable = accord_db::retrying("settle_delivery", || self.settle_tx(c, outcome, now)).await?;
        if let Some(reason) = disable {
            self.disable_endpoint(&c.endpoint.id, &reason, now).await?;
        }
        Ok(())
    }

    async fn settle_tx(&self, c: &Claimed, outcome: &Outcome, now: DateTime<Utc>) -> Result<Option<String>> {
        let tx = accord_db::begin_unaudited(&self.db).await?;
        let attempts = c.delivery.attempts + 1;
        let mut q = delivery::Entity::update_many()
            .col_expr(delivery::Column::Attempts, Expr::value(attempts))
            .col_expr(delivery::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(delivery::Column::UpdatedAt, Expr::value(now));
        let mut disable = None;
        match outcome {
            Outcome::Delivered(code) => {
                q = q
                    .col_expr(delivery::Column::Status, Expr::value(DeliveryStatus::Delivered.as_str()))
                    .col_expr(delivery::Column::LastStatusCode, Expr::value(i32::from(*code)))
                    .col_expr(delivery::Column::LastError, Expr::value(Option::<String>::None))
                    .col_expr(delivery::Column::NextAttemptAt, Expr::value(Option::<DateTime<Utc>>::None))
                    .col_expr(delivery::Column::DeliveredAt, Expr::value(now));
                self.metrics.count(Count::Delivered);
            }
            Outcome::Failed { code, error, retry_after, gone } => {
                let next = if *gone || attempts >= MAX_ATTEMPTS {
                    None
                } else if let Some(ra) = retry_after {
                    Some(now + (*ra).clamp(Duration::seconds(1), MAX_RETRY_AFTER))
                } else {
                    domain::retry_delay(attempts, jitter()).map(|d| now + d)
                };
                let status = if next.is_some() { DeliveryStatus::Pending } else { DeliveryStatus::Failed };
                self.metrics.count(if next.is_some() { Count::Retrying } else { Count::Failed });
                q = q
                    .col_expr(delivery::Column::Status, Expr::value(status.as_str()))
                    .col_expr(delivery::Column::LastStatusCode, Expr::value(code.map(i32::from)))
                    .col_expr(delivery::Column::LastError, Expr::value(error.chars().take(500).collect::<String>()))
                    .col_expr(delivery::Column::NextAttemptAt, Expr::value(next));
                if *gone {
                    disable = Some("the receiver answered 410 Gone".to_owned());
                }
            }
        }
        let res = q
            .filter(delivery::Column::Id.eq(c.delivery.id.clone()))
            .filter(delivery::Column::Attempts.eq(c.delivery.attempts))
            .filter(delivery::Column::Status.eq(DeliveryStatus::Pending.as_str()))
            .exec(&tx)
            .await?;
        if res.rows_affected == 1 {
            disable = disable.or(track_failing(&tx, &c.endpoint.id, matches!(outcome, Outcome::Delivered(_)), now).await?);
        }
        tx.commit().await?;
        Ok(disable)
    }

    /// Disables an endpoint on Accord's own authority (410, five failing days, an owner who
    /// left): audited, its admins mailed, in one transaction. Does nothing if it already is.
    pub(crate) async fn disable_endpoint(&self, id: &str, reason: &str, now: DateTime<Utc>) -> Result<bool> {
        accord_db::retrying("disable_endpoint", || self.disable_tx(id, reason, now)).await
    }

    async fn disable_tx(&self, id: &str, reason: &str, now: DateTime<Utc>) -> Result<bool> {
        let tx = accord_db::begin(&self.db).await?;
        let res = endpoint::Entity::update_many()
            .col_expr(endpoint::Column::Enabled, Expr::value(false))
            .col_expr(endpoint::Column::DisabledReason, Expr::value(reason))
            .col_expr(endpoint::Column::UpdatedAt, Expr::value(now))
            .filter(endpoint::Column::Id.eq(id))
            .filter(endpoint::Column::Enabled.eq(true))
            .exec(&tx)
            .await?;
        if res.rows_affected != 1 {
            tx.commit().await?;
            return Ok(false);
        }
        let e = endpoint::Entity::find_by_id(id.to_owned()).one(&tx).await?.ok_or(Error::NotFound("webhook endpoint"))?;
        let e = EndpointRecord::try_from(e)?;
        audit(&tx, now, &Actor::System, "webhook_endpoint.disabled", &e, json!({ "reason": reason, "url": e.url })).await?;
        self.notify_disabled(&tx, &e, reason, now).await?;
        tx.commit().await?;
        tracing::warn!(endpoint_id = %e.id, tenant_id = %e.tenant_id, reason, "webhook endpoint disabled");
        Ok(true)
    }

    /// Disables every enabled endpoint whose owner no longer answers for it (deactivated, or no
    /// longer an ADMIN of its tenant); returns how many.
    pub(crate) async fn govern_endpoints(&self, now: DateTime<Utc>) -> Result<usize> {
        let rows = endpoint::Entity::find()
            .filter(endpoint::Column::Enabled.eq(true))
            .filter(endpoint::Column::DeletedAt.is_null())
            .all(self.db.reader())
            .await?;
        let endpoints = rows.into_iter().map(EndpointRecord::try_from).collect::<Result<Vec<_>>>()?;
        let owner_ids: Vec<String> = endpoints.iter().map(|e| e.owner_user_id.clone()).collect();
        let owners = accord_tenants::lookup::users_by_ids(self.db.reader(), &owner_ids).await.map_err(Error::upstream)?;
        let mut disabled = 0;
        for e in endpoints.iter().filter(|e| !owners.get(&e.owner_user_id).is_some_and(|u| crate::fanout::answers_for(u, e))) {
            if self.disable_endpoint(&e.id, "its owner is no longer an active ADMIN of the organization", now).await? {
                disabled += 1;
            }
        }
        Ok(disabled)
    }
}

/// Keeps the endpoint's failure streak: cleared by a success, started by the first failure;
/// returns a reason to disable when the streak reached [`FAILING_LIMIT`].
async fn track_failing(tx: &impl ConnectionTrait, endpoint_id: &str, ok: bool, now: DateTime<Utc>) -> Result<Option<String>> {
    let q = endpoint::Entity::update_many().filter(endpoint::Column::Id.eq(endpoint_id));
    if ok {
        q.col_expr(endpoint::Column::FailingSince, Expr::value(Option::<DateTime<Utc>>::None))
            .filter(endpoint::Column::FailingSince.is_not_null())
            .exec(tx)
            .await?;
        return Ok(None);
    }
    q.col_expr(endpoint::Column::FailingSince, Expr::value(now)).filter(endpoint::Column::FailingSince.is_null()).exec(tx).await?;
    let since = endpoint::Entity::find_by_id(endpoint_id.to_owned()).one(tx).await?.and_then(|e| e.failing_since);
    Ok(since.filter(|s| now - *s >= FAILING_LIMIT).map(|_| "every delivery failed for 5 days".to_owned()))
}

/// A `Retry-After` value: delay-seconds or an HTTP date.
pub(crate) fn parse_retry_after(v: &str, now: DateTime<Utc>) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<i64>() {
        return (secs >= 0).then(|| Duration::seconds(secs));
    }
    DateTime::parse_from_rfc2822(v).ok().map(|at| (at.with_timezone(&Utc) - now).max(Duration::zero()))
}

fn jitter() -> f64 {
    use rand::Rng;
    rand::thread_rng().gen_range(-1.0..=1.0)
}

/// A short, credential-free account of a transport failure.
fn describe(e: &reqwest::Error, timeout: std::time::Duration) -> String {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(r) = err.downcast_ref::<ssrf::Refusal>() {
            return format!("refused: {r}");
        }
        cur = err.source();
    }
    if e.is_timeout() {
        format!("no answer within {} s", timeout.as_secs())
    } else if e.is_connect() {
        "could not connect to the receiver".to_owned()
    } else {
        "the request failed before an answer arrived".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = DateTime::parse_from_rfc3339("2026-12-02T10:00:00Z").map(|d| d.with_timezone(&Utc)).unwrap_or_default();
        assert_eq!(parse_retry_after("120", now), Some(Duration::seconds(120)));
        assert_eq!(parse_retry_after("Wed, 02 Dec 2026 10:05:00 GMT", now), Some(Duration::minutes(5)));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
    }
}
