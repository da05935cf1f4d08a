//! `offboardApp` and `endPartnership` (SPEC §5); reviews, `certifyGrant` and
//! `revokeFromReview` (SPEC §7).

use crate::Lifecycle;
use crate::reviews::{ReviewRecord, ReviewStatus};
use accord_approvals::graphql::{Grant, Partnership, load_grant};
use accord_kernel::gql::{Conn, GqlResultExt, connection, principal, service};
use accord_kernel::page::PageRequest;
use accord_registry::graphql::App;
use accord_tenants::graphql::User;
use async_graphql::{Context, ID, Object, Result};

/// Mutations of the lifecycle service.
#[derive(Default)]
pub struct LifecycleMutation;

#[Object]
impl LifecycleMutation {
    /// Offboards your app (vendor ADMIN): revokes every grant, cancels pending requests,
    /// disables credentials. Final.
    async fn offboard_app(&self, ctx: &Context<'_>, id: ID, reason: String) -> Result<App> {
        let p = principal(ctx)?;
        Ok(service::<Lifecycle>(ctx)?.offboard_app(p, &id, &reason).await.gql(ctx)?.into())
    }

    /// Ends the partnership with another organization (ADMIN of either side): revokes every
    /// grant and cancels every pending request between you.
    async fn end_partnership(&self, ctx: &Context<'_>, partner_id: ID, reason: String) -> Result<Partnership> {
        let p = principal(ctx)?;
        let row = service::<Lifecycle>(ctx)?.end_partnership(p, &partner_id, &reason).await.gql(ctx)?;
        Ok(Partnership::seen_by(row, &p.tenant_id))
    }

    /// Certifies a review (the data holder's APPROVER or ADMIN): the grant continues; its next
    /// review is due one interval after this one's due date.
    async fn certify_grant(&self, ctx: &Context<'_>, review_id: ID, comment: Option<String>) -> Result<Review> {
        let p = principal(ctx)?;
        Ok(service::<Lifecycle>(ctx)?.certify_grant(p, &review_id, comment.as_deref()).await.gql(ctx)?.into())
    }

    /// Revokes the grant under review (the data holder's APPROVER or ADMIN).
    async fn revoke_from_review(&self, ctx: &Context<'_>, review_id: ID, reason: String) -> Result<Review> {
        let p = principal(ctx)?;
        Ok(service::<Lifecycle>(ctx)?.revoke_from_review(p, &review_id, &reason).await.gql(ctx)?.into())
    }
}

/// A periodic re-certification of a grant (SPEC §7).
#[derive(async_graphql::SimpleObject, Clone, Debug)]
#[graphql(complex)]
pub struct Review {
    /// Its id.
    pub id: ID,
    /// When it is due.
    pub due_at: chrono::DateTime<chrono::Utc>,
    /// Pending, certified, revoked or escalated.
    pub status: ReviewStatus,
    /// When it was decided.
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The approver's comment, or why it was revoked.
    pub comment: Option<String>,
    /// When it was escalated to the holder's admins.
    pub escalated_at: Option<chrono::DateTime<chrono::Utc>>,
    #[graphql(skip)]
    pub grant_id: String,
    #[graphql(skip)]
    pub decided_by: Option<String>,
}

impl From<ReviewRecord> for Review {
    fn from(r: ReviewRecord) -> Self {
        Self {
            id: r.id.into(),
            due_at: r.due_at,
            status: r.status,
            decided_at: r.decided_at,
            comment: r.comment,
            escalated_at: r.escalated_at,
            grant_id: r.grant_id,
            decided_by: r.decided_by,
        }
    }
}

#[async_graphql::ComplexObject]
impl Review {
    /// The grant under review.
    async fn grant(&self, ctx: &Context<'_>) -> Result<Grant> {
        load_grant(ctx, Some(&self.grant_id))
            .await?
            .ok_or_else(|| accord_kernel::gql::error(accord_kernel::ErrorKind::Internal, "internal error (grant missing)"))
    }

    /// The approver who decided it (`null` while open, or when Accord decided a missed one).
    async fn decided_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let Some(id) = self.decided_by.as_deref().filter(|id| *id != "system") else { return Ok(None) };
        let svc = service::<Lifecycle>(ctx)?;
        let user = accord_tenants::lookup::user_by_id(svc.db.reader(), id).await.gql(ctx)?;
        Ok(user.map(User::from))
    }
}

/// Queries of the lifecycle service.
#[derive(Default)]
pub struct LifecycleQuery;

#[Object]
impl LifecycleQuery {
    /// Reviews of grants your organization is party to, newest first: a data holder's to
    /// decide, a vendor's to watch (read-only).
    async fn reviews(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        status: Option<ReviewStatus>,
    ) -> Result<Conn<Review>> {
        let p = principal(ctx)?;
        let given = after.is_some();
        let page = PageRequest::parse(first, after).gql(ctx)?;
        let rows = service::<Lifecycle>(ctx)?.reviews(p, status, &page).await.gql(ctx)?;
        Ok(connection(rows.map(Review::from), |r| r.id.to_string(), given))
    }

    /// One review your organization is party to (the links in `review.due` mails point here).
    async fn review(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Review>> {
        let p = principal(ctx)?;
        Ok(service::<Lifecycle>(ctx)?.review(p, &id).await.gql(ctx)?.map(Review::from))
    }
}
