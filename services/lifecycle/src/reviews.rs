//! Periodic reviews (SPEC §7): a grant's review opens 14 days before its `nextReviewDue`
//! (`review.due` to the holder's approvers); approvers certify it (the next review is due one
//! interval after *this review's due date*, so the cadence never drifts) or revoke the grant
//! from it; a review still open at its due date follows the holder's `onMissedReview`
//! (`REVOKE`: the grant is revoked naming the missed review; `ESCALATE`: the holder's admins
//! are told and the review stays open as `ESCALATED`). Each review opens once per grant and due
//! date (a unique key), and each state change is conditional, so several workers at once do
//! each thing once.

use crate::entities::review;
use crate::jobs::{Job, JobReport};
use crate::{Error, Lifecycle, Result};
use accord_approvals::GrantRecord;
use accord_approvals::domain::{MissedReviewAction, require_holder_approver};
use accord_approvals::sweeps;
use accord_db::audit::AuditEntry;
use accord_db::events::{Event, EventType};
use accord_db::page::{Order, keyset};
use accord_kernel::page::{Page, PageRequest};
use accord_kernel::{Actor, Principal};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Value, json};

/// How long before its due date a review opens.
pub const REVIEW_WINDOW: Duration = Duration::days(14);

/// Where a review stands (SPEC §7, fixed).
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewStatus {
    /// Open, waiting for an approver.
    Pending,
    /// Certified: the grant continues.
    Certified,
    /// The grant was revoked from it (or it was missed under `REVOKE`).
    Revoked,
    /// Missed under `ESCALATE`: still open, the holder's admins told.
    Escalated,
}

impl ReviewStatus {
    /// The stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Pending => "PENDING",
            ReviewStatus::Certified => "CERTIFIED",
            ReviewStatus::Revoked => "REVOKED",
            ReviewStatus::Escalated => "ESCALATED",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        match s {
            "PENDING" => Ok(ReviewStatus::Pending),
            "CERTIFIED" => Ok(ReviewStatus::Certified),
            "REVOKED" => Ok(ReviewStatus::Revoked),
            "ESCALATED" => Ok(ReviewStatus::Escalated),
            other => Err(Error::Conflict(format!("a review has an unknown status `{other}`"))),
        }
    }

    /// Whether an approver can still decide it.
    #[must_use]
    pub fn is_open(self) -> bool {
        matches!(self, ReviewStatus::Pending | ReviewStatus::Escalated)
    }
}

/// A review as it leaves the crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRecord {
    /// Its id.
    pub id: String,
    /// The grant under review.
    pub grant_id: String,
    /// The data holder.
    pub holder_tenant_id: String,
    /// The vendor.
    pub vendor_tenant_id: String,
    /// When it is due.
    pub due_at: DateTime<Utc>,
    /// Where it stands.
    pub status: ReviewStatus,
    /// Who decided (a user id, or `system`).
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<DateTime<Utc>>,
    /// The approver's comment or the reason.
    pub comment: Option<String>,
    /// When it was escalated.
    pub escalated_at: Option<DateTime<Utc>>,
}

impl TryFrom<review::Model> for ReviewRecord {
    type Error = Error;
    fn try_from(m: review::Model) -> Result<Self> {
        Ok(Self {
            status: ReviewStatus::parse(&m.status)?,
            id: m.id,
            grant_id: m.grant_id,
            holder_tenant_id: m.holder_tenant_id,
            vendor_tenant_id: m.vendor_tenant_id,
            due_at: m.due_at,
            decided_by: m.decided_by,
            decided_at: m.decided_at,
            comment: m.comment,
            escalated_at: m.escalated_at,
        })
    }
}

impl ReviewRecord {
    fn event_ref(&self) -> Value {
        json!({ "id": self.id, "dueAt": self.due_at, "status": self.status.as_str(), "decidedBy": self.decided_by, "comment": self.comment })
    }
}

/// Records a review's event (`review.due` or `review.completed`) with its grant, app and parties.
async fn record_review(
    tx: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: &Actor,
    event_type: EventType,
    r: &ReviewRecord,
    g: &GrantRecord,
    extra: Value,
) -> Result<()> {
    let app = accord_registry::app_by_id(tx, &g.app_id).await?;
    let mut data = g.event_data(app.as_ref(), r.comment.as_deref());
    if let Some(d) = data.as_object_mut() {
        d.insert("review".into(), r.event_ref());
        if let Some(x) = extra.as_object() {
            d.extend(x.clone());
        }
    }
    let entry = AuditEntry {
        actor,
        action: event_type.as_str(),
        target_type: "review",
        target_id: &r.id,
        tenant_ids: vec![r.vendor_tenant_id.clone(), r.holder_tenant_id.clone()],
        details: json!({ "grantId": g.id, "dueAt": r.due_at, "status": r.status.as_str(), "extra": extra }),
    };
    accord_db::record_change(tx, now, entry, Some(Event::new(event_type, data))).await?;
    Ok(())
}

/// Moves an open review to `to` (conditional on it still being open). Returns the review as it
/// now is, or `None` when another writer decided it first.
async fn decide(
    tx: &impl ConnectionTrait,
    r: &ReviewRecord,
    to: ReviewStatus,
    by: &str,
    comment: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<ReviewRecord>> {
    let open = [ReviewStatus::Pending.as_str(), ReviewStatus::Escalated.as_str()];
    let mut q = review::Entity::update_many()
        .col_expr(review::Column::Status, Expr::value(to.as_str()))
        .col_expr(review::Column::UpdatedAt, Expr::value(now))
        .filter(review::Column::Id.eq(r.id.clone()))
        .filter(review::Column::Status.is_in(open));
    if to == ReviewStatus::Escalated {
        q = q.col_expr(review::Column::EscalatedAt, Expr::value(now)).filter(review::Column::Status.eq(ReviewStatus::Pending.as_str()));
    } else {
        q = q
            .col_expr(review::Column::DecidedBy, Expr::value(by))
            .col_expr(review::Column::DecidedAt, Expr::value(now))
            .col_expr(review::Column::Comment, Expr::value(comment.map(str::to_owned)));
    }
    if q.exec(tx).await?.rows_affected != 1 {
        return Ok(None);
    }
    let m = review::Entity::find_by_id(r.id.clone()).one(tx).await?.ok_or(Error::NotFound("review"))?;
    Ok(Some(m.try_into()?))
}

impl Lifecycle {
    /// The reviews job: opens the reviews that are due within 14 days, then applies the
    /// holder's `onMissedReview` to every open review whose due date has passed.
    ///
    /// # Errors
    /// On database failure.
    #[tracing::instrument(name = "jobs.reviews", skip_all)]
    pub async fn run_reviews(&self, now: DateTime<Utc>) -> Result<JobReport> {
        let mut opened = 0u64;
        let mut after: Option<String> = None;
        loop {
            let page = sweeps::review_due_by(self.db.reader(), now + REVIEW_WINDOW, after.as_deref(), 500).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id.clone());
            opened += accord_db::retrying("open_reviews", || self.open_reviews_tx(&page, now)).await?;
        }
        let (mut revoked, mut escalated) = (0u64, 0u64);
        loop {
            let (r, e, seen) = accord_db::retrying("missed_reviews", || self.missed_reviews_tx(now)).await?;
            revoked += r;
            escalated += e;
            if seen == 0 {
                break;
            }
        }
        Ok(JobReport {
            job: Job::Reviews,
            items: opened + revoked + escalated,
            summary: format!("{opened} reviews opened, {revoked} missed reviews revoked their grant, {escalated} escalated"),
        })
    }

    async fn open_reviews_tx(&self, grants: &[GrantRecord], now: DateTime<Utc>) -> Result<u64> {
        let tx = accord_db::begin(&self.db).await?;
        let mut n = 0;
        for g in grants {
            let row = review::ActiveModel {
                id: Set(accord_kernel::new_id()),
                grant_id: Set(g.id.clone()),
                holder_tenant_id: Set(g.holder_tenant_id.clone()),
                vendor_tenant_id: Set(g.vendor_tenant_id.clone()),
                due_at: Set(g.next_review_due),
                status: Set(ReviewStatus::Pending.as_str().to_owned()),
                decided_by: Set(None),
                decided_at: Set(None),
                comment: Set(None),
                escalated_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            };
            let id = row.id.clone().take().unwrap_or_default();
            let res = review::Entity::insert(row)
                .on_conflict_do_nothing_on([review::Column::GrantId, review::Column::DueAt])
                .exec_without_returning(&tx)
                .await?;
            if !matches!(res, sea_orm::TryInsertResult::Inserted(1)) {
                continue;
            }
            let r: ReviewRecord = review::Entity::find_by_id(id).one(&tx).await?.ok_or(Error::NotFound("review"))?.try_into()?;
            record_review(&tx, now, &Actor::System, EventType::ReviewDue, &r, g, json!({})).await?;
            n += 1;
        }
        tx.commit().await?;
        Ok(n)
    }

    /// One batch of missed reviews: `(revoked, escalated, seen)`.
    async fn missed_reviews_tx(&self, now: DateTime<Utc>) -> Result<(u64, u64, usize)> {
        let tx = accord_db::begin(&self.db).await?;
        let mut q = review::Entity::find()
            .filter(review::Column::Status.eq(ReviewStatus::Pending.as_str()))
            .filter(review::Column::DueAt.lte(now))
            .order_by_asc(review::Column::DueAt)
            .limit(200);
        if tx.get_database_backend() == DbBackend::Postgres {
            q = q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let rows = q.all(&tx).await?;
        let seen = rows.len();
        let (mut revoked, mut escalated) = (0, 0);
        for m in rows {
            let r = ReviewRecord::try_from(m)?;
            let Some(g) = sweeps::grant(&tx, &r.grant_id).await? else {
                // Nothing to revoke; close it so it is not picked up for ever.
                decide(&tx, &r, ReviewStatus::Revoked, "system", Some("the grant no longer exists"), now).await?;
                continue;
            };
            let policy = accord_approvals::policy_for(&tx, &r.holder_tenant_id).await?;
            let live = g.status.is_live() && g.expires_at > now;
            if live && policy.on_missed_review == MissedReviewAction::Escalate {
                if let Some(r) = decide(&tx, &r, ReviewStatus::Escalated, "system", None, now).await? {
                    record_review(&tx, now, &Actor::System, EventType::ReviewDue, &r, &g, json!({ "escalated": true })).await?;
                    escalated += 1;
                }
                continue;
            }
            let why = if live {
                format!("the review due {} was not completed", r.due_at.format("%Y-%m-%d"))
            } else {
                format!("the grant ended ({}) before its review", g.status.as_str())
            };
            if let Some(r) = decide(&tx, &r, ReviewStatus::Revoked, "system", Some(&why), now).await? {
                if live {
                    sweeps::revoke(&tx, now, &Actor::System, g.clone(), &why).await?;
                }
                record_review(
                    &tx,
                    now,
                    &Actor::System,
                    EventType::ReviewCompleted,
                    &r,
                    &g,
                    json!({ "outcome": "REVOKED", "missed": true }),
                )
                .await?;
                revoked += 1;
            }
        }
        tx.commit().await?;
        Ok((revoked, escalated, seen))
    }

    /// The reviews the caller's organization is party to, newest first: a holder's to decide,
    /// a vendor's to watch.
    ///
    /// # Errors
    /// On database failure.
    pub async fn reviews(&self, ctx: &Principal, status: Option<ReviewStatus>, page: &PageRequest) -> Result<Page<ReviewRecord>> {
        let mut q = review::Entity::find().filter(
            Condition::any()
                .add(review::Column::HolderTenantId.eq(ctx.tenant_id.clone()))
                .add(review::Column::VendorTenantId.eq(ctx.tenant_id.clone())),
        );
        if let Some(s) = status {
            q = q.filter(review::Column::Status.eq(s.as_str()));
        }
        let rows = keyset(self.db.reader(), q, review::Column::Id, Order::NewestFirst, page).await?;
        let items = rows.items.into_iter().map(ReviewRecord::try_from).collect::<Result<Vec<_>>>()?;
        Ok(Page { items, has_next: rows.has_next, total: rows.total })
    }

    /// One review the caller's organization is party to (`None` otherwise: another
    /// organization's review is indistinguishable from none).
    ///
    /// # Errors
    /// On database failure.
    pub async fn review(&self, ctx: &Principal, id: &str) -> Result<Option<ReviewRecord>> {
        let row = review::Entity::find_by_id(id.to_owned())
            .filter(
                Condition::any()
                    .add(review::Column::HolderTenantId.eq(ctx.tenant_id.clone()))
                    .add(review::Column::VendorTenantId.eq(ctx.tenant_id.clone())),
            )
            .one(self.db.reader())
            .await?;
        row.map(ReviewRecord::try_from).transpose()
    }

    /// A holder's approver certifies a review: the grant continues, its next review due one
    /// interval after this review's due date.
    ///
    /// # Errors
    /// `NotFound` (not a party), `Forbidden` (the vendor, or not an approver), `Invalid`
    /// (comment), `Conflict` (already decided, or the grant ended).
    #[tracing::instrument(name = "lifecycle.certify", skip_all, fields(tenant_id = %ctx.tenant_id, review_id = %id))]
    pub async fn certify_grant(&self, ctx: &Principal, id: &str, comment: Option<&str>) -> Result<ReviewRecord> {
        let comment = match comment.map(str::trim).filter(|c| !c.is_empty()) {
            Some(c) => Some(accord_kernel::text::long_text("comment", c, 2000).map_err(Error::Invalid)?),
            None => None,
        };
        accord_db::retrying("certify_grant", || self.certify_tx(ctx, id, comment.as_deref())).await
    }

    async fn certify_tx(&self, ctx: &Principal, id: &str, comment: Option<&str>) -> Result<ReviewRecord> {
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        let (r, g) = self.open_review(&tx, ctx, id, "certify grants", now).await?;
        let policy = accord_approvals::policy_for(&tx, &r.holder_tenant_id).await?;
        let next = r.due_at + Duration::days(i64::from(policy.review_interval_days));
        let g = sweeps::certify(&tx, now, &g.id, next).await?.ok_or_else(|| Error::Conflict("the grant is no longer in force".into()))?;
        let r = decide(&tx, &r, ReviewStatus::Certified, &ctx.user_id, comment, now)
            .await?
            .ok_or_else(|| Error::Conflict("the review was decided meanwhile".into()))?;
        record_review(&tx, now, &ctx.actor, EventType::ReviewCompleted, &r, &g, json!({ "outcome": "CERTIFIED", "nextReviewDue": next }))
            .await?;
        tx.commit().await?;
        Ok(r)
    }

    /// A holder's approver revokes the grant from its review.
    ///
    /// # Errors
    /// As [`Lifecycle::certify_grant`]; `Invalid` when the reason is missing.
    #[tracing::instrument(name = "lifecycle.revoke_from_review", skip_all, fields(tenant_id = %ctx.tenant_id, review_id = %id))]
    pub async fn revoke_from_review(&self, ctx: &Principal, id: &str, reason: &str) -> Result<ReviewRecord> {
        let reason = accord_kernel::text::reason("reason", reason).map_err(Error::Invalid)?;
        accord_db::retrying("revoke_from_review", || self.revoke_from_review_tx(ctx, id, &reason)).await
    }

    async fn revoke_from_review_tx(&self, ctx: &Principal, id: &str, reason: &str) -> Result<ReviewRecord> {
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        let (r, g) = self.open_review(&tx, ctx, id, "revoke grants from reviews", now).await?;
        let r = decide(&tx, &r, ReviewStatus::Revoked, &ctx.user_id, Some(reason), now)
            .await?
            .ok_or_else(|| Error::Conflict("the review was decided meanwhile".into()))?;
        sweeps::revoke(&tx, now, &ctx.actor, g.clone(), &format!("revoked at review: {reason}")).await?;
        record_review(&tx, now, &ctx.actor, EventType::ReviewCompleted, &r, &g, json!({ "outcome": "REVOKED" })).await?;
        tx.commit().await?;
        Ok(r)
    }

    /// An open review the caller (a holder's approver) may decide, with its live grant.
    async fn open_review(
        &self,
        tx: &impl ConnectionTrait,
        ctx: &Principal,
        id: &str,
        what: &str,
        now: DateTime<Utc>,
    ) -> Result<(ReviewRecord, GrantRecord)> {
        let r: ReviewRecord = review::Entity::find_by_id(id.to_owned())
            .one(tx)
            .await?
            .filter(|m| m.holder_tenant_id == ctx.tenant_id || m.vendor_tenant_id == ctx.tenant_id)
            .ok_or(Error::NotFound("review"))?
            .try_into()?;
        require_holder_approver(ctx, &r.holder_tenant_id, what).map_err(Error::Forbidden)?;
        if !r.status.is_open() {
            return Err(Error::Conflict(format!("the review is {}; only an open review can be decided", r.status.as_str())));
        }
        let g = sweeps::grant(tx, &r.grant_id).await?.ok_or(Error::NotFound("grant"))?;
        if !(g.status.is_live() && g.expires_at > now) {
            return Err(Error::Conflict(format!("the grant is {}; there is nothing to review", g.status.as_str())));
        }
        Ok((r, g))
    }
}
