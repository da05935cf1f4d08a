//! Approvals queries.

use super::dto::{AccessRequest, AccessRequestStatus, ApprovalPolicy, Grant, GrantStatus};
use crate::queries::GrantFilter;
use crate::service::Approvals;
use accord_kernel::gql::{Conn, GqlResultExt, PageRequest, connection, principal, service};
use accord_registry::AppStatus;
use accord_registry::graphql::App;
use async_graphql::{Context, ID, Object, Result};

/// Queries of the approvals service.
#[derive(Default)]
pub struct ApprovalsQuery;

#[Object]
impl ApprovalsQuery {
    /// Apps the caller may see: its own (vendor), or those that asked it (data holder).
    async fn apps(&self, ctx: &Context<'_>, first: Option<i32>, after: Option<String>, status: Option<AppStatus>) -> Result<Conn<App>> {
        let p = principal(ctx)?;
        let given = after.is_some();
        let page = PageRequest::parse(first, after).gql(ctx)?;
        let rows = service::<Approvals>(ctx)?.apps(p, status, &page).await.gql(ctx)?;
        Ok(connection(rows.map(App::from), |a| a.id.to_string(), given))
    }

    /// One app the caller may see.
    async fn app(&self, ctx: &Context<'_>, id: ID) -> Result<Option<App>> {
        let p = principal(ctx)?;
        Ok(Some(service::<Approvals>(ctx)?.app(p, &id).await.gql(ctx)?.into()))
    }

    /// Requests where the caller is the vendor or the data holder, newest first (only one
    /// app's with `appId`).
    async fn access_requests(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        status: Option<AccessRequestStatus>,
        app_id: Option<ID>,
    ) -> Result<Conn<AccessRequest>> {
        let p = principal(ctx)?;
        let given = after.is_some();
        let page = PageRequest::parse(first, after).gql(ctx)?;
        let rows =
            service::<Approvals>(ctx)?.requests(p, status.map(Into::into), app_id.as_ref().map(|a| a.as_str()), &page).await.gql(ctx)?;
        Ok(connection(rows.map(AccessRequest::from), |r| r.id.to_string(), given))
    }

    /// One request the caller is a party to.
    async fn access_request(&self, ctx: &Context<'_>, id: ID) -> Result<Option<AccessRequest>> {
        let p = principal(ctx)?;
        Ok(Some(service::<Approvals>(ctx)?.request(p, &id).await.gql(ctx)?.into()))
    }

    /// Grants where the caller is the vendor or the data holder, newest first.
    async fn grants(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        status: Option<GrantStatus>,
        app_id: Option<ID>,
        partner_id: Option<ID>,
    ) -> Result<Conn<Grant>> {
        let p = principal(ctx)?;
        let given = after.is_some();
        let page = PageRequest::parse(first, after).gql(ctx)?;
        let svc = service::<Approvals>(ctx)?;
        let filter = GrantFilter {
            status: status.map(Into::into),
            app_id: app_id.map(|i| i.to_string()),
            partner_id: partner_id.map(|i| i.to_string()),
        };
        let rows = svc.grants(p, &filter, &page).await.gql(ctx)?;
        let now = svc.clock.now();
        Ok(connection(rows.map(|g| Grant::at(g, now)), |g| g.id.to_string(), given))
    }

    /// One grant the caller is a party to.
    async fn grant(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Grant>> {
        let p = principal(ctx)?;
        let svc = service::<Approvals>(ctx)?;
        Ok(Some(Grant::at(svc.grant(p, &id).await.gql(ctx)?, svc.clock.now())))
    }

    /// The caller's own approval policy (data holders).
    async fn approval_policy(&self, ctx: &Context<'_>) -> Result<ApprovalPolicy> {
        let p = principal(ctx)?;
        Ok(service::<Approvals>(ctx)?.policy(p).await.gql(ctx)?.into())
    }
}
