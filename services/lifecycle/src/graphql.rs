//! `offboardApp` and `endPartnership` (SPEC §5).

use crate::Lifecycle;
use accord_approvals::graphql::Partnership;
use accord_kernel::gql::{GqlResultExt, principal, service};
use accord_registry::graphql::App;
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
}
