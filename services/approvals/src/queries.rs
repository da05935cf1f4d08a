//! Reads, each scoped to what the caller may see (SPEC §2.1): a request or grant only by its
//! two parties; an app only by its vendor, or by a data holder it asked. Anything else answers
//! exactly like an unknown id.

use crate::domain::{GrantStatus, RequestStatus};
use crate::entities::{approval, grant, request};
use crate::error::{Error, Result};
use crate::records::{self, ApprovalRecord, GrantRecord, RequestRecord, all};
use crate::repo::{visible_grant, visible_request};
use crate::service::Approvals;
use accord_db::page::{Order, keyset_counted};
use accord_kernel::Principal;
use accord_kernel::gql::{Page, PageRequest};
use accord_registry::{AppFilter, AppRecord, AppStatus};
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use std::collections::HashMap;

/// Filters for listing grants.
#[derive(Debug, Clone, Default)]
pub struct GrantFilter {
    /// Effective status (EXPIRED includes grants past expiry the sweep has not reached yet).
    pub status: Option<GrantStatus>,
    /// Only this app's grants.
    pub app_id: Option<String>,
    /// Only grants with this other party.
    pub partner_id: Option<String>,
}

/// The caller's side of a request or grant. A tenant is only ever one side — its kind says
/// which — so one column is filtered, never `vendor = t OR holder = t`: the single-column
/// filter lets PostgreSQL use the `(holder_tenant_id, id)` / `(vendor_tenant_id, id)` indexes.
fn party(ctx: &Principal, vendor: impl ColumnTrait, holder: impl ColumnTrait) -> Condition {
    let col = if ctx.tenant_kind.is_data_holder() { holder.eq(ctx.tenant_id.clone()) } else { vendor.eq(ctx.tenant_id.clone()) };
    Condition::all().add(col)
}

impl Approvals {
    /// One request the caller may see.
    ///
    /// # Errors
    /// `NotFound` when it does not exist or is not the caller's.
    #[tracing::instrument(name = "approvals.request", skip_all, fields(tenant_id = %ctx.tenant_id, request_id = %id))]
    pub async fn request(&self, ctx: &Principal, id: &str) -> Result<RequestRecord> {
        visible_request(&self.db, ctx, id).await
    }

    /// The caller's requests (as vendor or data holder), newest first; of one app when
    /// `app_id` is given.
    ///
    /// # Errors
    /// On database failure; `Corrupt` for an unreadable row.
    #[tracing::instrument(name = "approvals.requests", skip_all, fields(tenant_id = %ctx.tenant_id))]
    pub async fn requests(
        &self,
        ctx: &Principal,
        status: Option<RequestStatus>,
        app_id: Option<&str>,
        page: &PageRequest,
    ) -> Result<Page<RequestRecord>> {
        let mut q = request::Entity::find().filter(party(ctx, request::Column::VendorTenantId, request::Column::HolderTenantId));
        if let Some(s) = status {
            q = q.filter(request::Column::Status.eq(s.as_str()));
        }
        if let Some(app) = app_id {
            q = q.filter(request::Column::AppId.eq(app));
        }
        records::page(keyset_counted(&self.db, q, request::Column::Id, Order::NewestFirst, page, Some(&self.counts)).await?)
    }

    /// One grant the caller may see.
    ///
    /// # Errors
    /// `NotFound`.
    #[tracing::instrument(name = "approvals.grant", skip_all, fields(tenant_id = %ctx.tenant_id, grant_id = %id))]
    pub async fn grant(&self, ctx: &Principal, id: &str) -> Result<GrantRecord> {
        visible_grant(&self.db, ctx, id).await
    }

    /// The caller's grants (as vendor or data holder), newest first.
    ///
    /// # Errors
    /// On database failure; `Corrupt` for an unreadable row.
    #[tracing::instrument(name = "approvals.grants", skip_all, fields(tenant_id = %ctx.tenant_id))]
    pub async fn grants(&self, ctx: &Principal, filter: &GrantFilter, page: &PageRequest) -> Result<Page<GrantRecord>> {
        let now = self.clock.now();
        let mut q = grant::Entity::find().filter(party(ctx, grant::Column::VendorTenantId, grant::Column::HolderTenantId));
        if let Some(s) = filter.status {
            let live = GrantStatus::LIVE.map(GrantStatus::as_str);
            let cond = match s {
                GrantStatus::Active | GrantStatus::Suspended => {
                    Condition::all().add(grant::Column::Status.eq(s.as_str())).add(grant::Column::ExpiresAt.gt(now))
                }
                GrantStatus::Expired => Condition::any()
                    .add(grant::Column::Status.eq(GrantStatus::Expired.as_str()))
                    .add(Condition::all().add(grant::Column::Status.is_in(live)).add(grant::Column::ExpiresAt.lte(now))),
                GrantStatus::Revoked => Condition::all().add(grant::Column::Status.eq(GrantStatus::Revoked.as_str())),
            };
            q = q.filter(cond);
        }
        if let Some(app) = &filter.app_id {
            q = q.filter(grant::Column::AppId.eq(app.clone()));
        }
        if let Some(p) = &filter.partner_id {
            // The partner is on the other side.
            let col = if ctx.tenant_kind.is_data_holder() { grant::Column::VendorTenantId } else { grant::Column::HolderTenantId };
            q = q.filter(col.eq(p.clone()));
        }
        records::page(keyset_counted(&self.db, q, grant::Column::Id, Order::NewestFirst, page, Some(&self.counts)).await?)
    }

    fn app_filter(ctx: &Principal, status: Option<AppStatus>) -> AppFilter {
        if ctx.tenant_kind.is_data_holder() {
            // Every grant comes from a request at the same holder, so the requests cover both.
            let asked = request::Entity::find()
                .select_only()
                .column(request::Column::AppId)
                .filter(request::Column::HolderTenantId.eq(ctx.tenant_id.clone()))
                .into_query();
            AppFilter { vendor_tenant_id: None, ids_in: Some(asked), status }
        } else {
            AppFilter { vendor_tenant_id: Some(ctx.tenant_id.clone()), ids_in: None, status }
        }
    }

    /// Apps the caller may see: its own (vendor), or those that asked it (data holder).
    ///
    /// # Errors
    /// On failure.
    #[tracing::instrument(name = "approvals.apps", skip_all, fields(tenant_id = %ctx.tenant_id))]
    pub async fn apps(&self, ctx: &Principal, status: Option<AppStatus>, page: &PageRequest) -> Result<Page<AppRecord>> {
        accord_registry::list_apps(&self.db, &Self::app_filter(ctx, status), page).await.map_err(Error::upstream)
    }

    /// One app the caller may see.
    ///
    /// # Errors
    /// `NotFound`.
    #[tracing::instrument(name = "approvals.app", skip_all, fields(tenant_id = %ctx.tenant_id, app_id = %id))]
    pub async fn app(&self, ctx: &Principal, id: &str) -> Result<AppRecord> {
        let app = accord_registry::app_by_id(&self.db, id).await.map_err(Error::upstream)?.ok_or(Error::NotFound("app"))?;
        if app.vendor_tenant_id == ctx.tenant_id {
            return Ok(app);
        }
        let asked = request::Entity::find()
            .filter(request::Column::AppId.eq(id))
            .filter(request::Column::HolderTenantId.eq(ctx.tenant_id.clone()))
            .count(&self.db)
            .await?;
        if asked > 0 { Ok(app) } else { Err(Error::NotFound("app")) }
    }

    /// Grants by id, unscoped (for dataloaders under an object the caller already sees).
    ///
    /// # Errors
    /// On database failure.
    #[tracing::instrument(name = "approvals.grants_by_ids", skip_all, fields(count = ids.len()))]
    pub async fn grants_by_ids(&self, ids: &[String]) -> Result<HashMap<String, GrantRecord>> {
        let rows = grant::Entity::find().filter(grant::Column::Id.is_in(ids.iter().cloned())).all(&self.db).await?;
        Ok(all::<_, GrantRecord>(rows)?.into_iter().map(|g| (g.id.clone(), g)).collect())
    }

    /// Approvals of many requests, oldest first per request (for a dataloader).
    ///
    /// # Errors
    /// On database failure.
    #[tracing::instrument(name = "approvals.approvals_of", skip_all, fields(count = request_ids.len()))]
    pub async fn approvals_of(&self, request_ids: &[String]) -> Result<HashMap<String, Vec<ApprovalRecord>>> {
        let rows = approval::Entity::find()
            .filter(approval::Column::RequestId.is_in(request_ids.iter().cloned()))
            .order_by_asc(approval::Column::At)
            .all(&self.db)
            .await?;
        let mut out: HashMap<String, Vec<ApprovalRecord>> = HashMap::new();
        for a in all::<_, ApprovalRecord>(rows)? {
            out.entry(a.request_id.clone()).or_default().push(a);
        }
        Ok(out)
    }
}
