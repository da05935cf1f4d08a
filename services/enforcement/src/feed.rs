//! The change feed: every replica follows the audit chain (every change is audited in the
//! transaction that makes it, SPEC §2.5, and sequence numbers become visible in commit order)
//! and drops what each change touches from its [`View`]. A poll is one indexed range read;
//! at [`POLL_EVERY`] a revocation on any replica reaches every replica well within a second,
//! with or without Redis, and no notification can be lost between a commit and a publish.

use crate::keys::KeyRing;
use crate::view::View;
use accord_db::audit::AuditRecord;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// How often each replica reads the feed.
pub const POLL_EVERY: Duration = Duration::from_millis(200);
/// Events read per poll; a longer backlog drops the whole view instead.
pub const BATCH: u64 = 1_000;

/// Where this replica is in the feed.
#[derive(Debug)]
pub struct Cursor(AtomicI64);

impl Default for Cursor {
    fn default() -> Self {
        Self(AtomicI64::new(-1))
    }
}

impl Cursor {
    /// Whether the first position was taken.
    pub(crate) fn started(&self) -> bool {
        self.0.load(Ordering::SeqCst) >= 0
    }

    /// Starts at `seq` (the head when the process starts: nothing is cached yet, so history
    /// needs no replay).
    pub(crate) fn set(&self, seq: i64) {
        self.0.store(seq, Ordering::SeqCst);
    }
}

/// Reads the feed once and applies it; confirms the view's freshness on success.
///
/// # Errors
/// When the database cannot be read (the view then turns stale after [`crate::view::STALE_AFTER`]).
pub async fn poll_once(
    db: &accord_db::Db,
    cursor: &Cursor,
    view: &View,
    keys: &KeyRing,
    now: DateTime<Utc>,
) -> Result<usize, sea_orm::DbErr> {
    let at = cursor.0.load(Ordering::SeqCst).max(0);
    let changes = accord_db::audit::since(db.reader(), at, BATCH).await?;
    let n = changes.len();
    if n as u64 >= BATCH {
        view.everything_changed();
        view.lists_changed();
        view.principals_changed();
        keys.forget_all();
        let head = accord_db::audit::head_seq(db.reader()).await?;
        cursor.0.fetch_max(head, Ordering::SeqCst);
    } else {
        for c in &changes {
            apply(c, view, keys);
        }
        if let Some(last) = changes.last() {
            cursor.0.fetch_max(last.seq, Ordering::SeqCst);
        }
    }
    view.prune_revoked(now);
    view.confirm();
    Ok(n)
}

/// What one audited change means for the view.
pub(crate) fn apply(c: &AuditRecord, view: &View, keys: &KeyRing) {
    // What the grants and requests lists count changes with grants and requests, and with the
    // changes that move many of them at once (an app offboarded, a partnership ended, a
    // review's revocations, a tenant suspended).
    if matches!(c.target_type.as_str(), "grant" | "access_request" | "app" | "partnership" | "review" | "tenant") {
        view.lists_changed();
    }
    match c.target_type.as_str() {
        "app" => view.app_changed(&c.target_id),
        "grant" => match app_of(&c.details) {
            Some(app_id) => view.app_changed(app_id),
            None => view.everything_changed(),
        },
        "partnership" => view.everything_changed(),
        "tenant" => {
            view.everything_changed();
            view.principals_changed();
        }
        "user" | "api_token" | "invitation" => view.principals_changed(),
        "signing_key" => keys.forget_all(),
        "access_token" if c.action == "token.revoked" => {
            let exp = c.details.get("expiresAt").and_then(Value::as_str).and_then(|s| DateTime::parse_from_rfc3339(s).ok());
            if let Some(exp) = exp {
                view.revoke(&c.target_id, exp.with_timezone(&Utc));
            }
        }
        // Requests (an approval's grant is a `grant` event), policies, reviews (their
        // revocations are `grant` events), webhooks and mail do not change what a client may do.
        _ => {}
    }
}

/// The app an event's details name (`app.id`, `appId` or `grant.appId`).
fn app_of(details: &Value) -> Option<&str> {
    details
        .pointer("/app/id")
        .or_else(|| details.get("appId"))
        .or_else(|| details.pointer("/grant/appId"))
        .or_else(|| details.pointer("/request/appId"))
        .and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change(target_type: &str, target_id: &str, action: &str, details: Value) -> AuditRecord {
        AuditRecord {
            id: "e".into(),
            seq: 1,
            at: Utc::now(),
            actor: "system".into(),
            action: action.into(),
            target_type: target_type.into(),
            target_id: target_id.into(),
            tenant_ids: vec![],
            details,
        }
    }

    #[test]
    fn each_change_drops_what_it_touches() {
        let (view, keys) =
            (View::default(), KeyRing::new(accord_kernel::seal::Sealer::new(&accord_kernel::keys::MasterKey::from_bytes(&[7; 32]), "t")));
        let e = view.epoch();
        apply(&change("grant", "g1", "grant.revoked", json!({ "app": { "id": "app-1" } })), &view, &keys);
        assert!(view.epoch() > e, "a grant event names its app");
        let e = view.epoch();
        apply(&change("grant", "g1", "grant.expired", json!({ "appId": "app-1" })), &view, &keys);
        assert!(view.epoch() > e, "the sweep's shape too");
        let e = view.epoch();
        apply(&change("access_request", "r1", "request.created", json!({})), &view, &keys);
        apply(&change("webhook_endpoint", "w1", "webhook_endpoint.created", json!({})), &view, &keys);
        assert_eq!(view.epoch(), e, "requests and webhooks change no client's access");
        let p = view.principals_epoch();
        apply(&change("user", "u1", "session.ended", json!({})), &view, &keys);
        assert!(view.principals_epoch() > p, "a logout drops cached principals");
        let exp = (Utc::now() + chrono::Duration::seconds(60)).to_rfc3339();
        apply(&change("access_token", "jti-1", "token.revoked", json!({ "expiresAt": exp })), &view, &keys);
        assert!(view.is_revoked("jti-1"));
    }
}
