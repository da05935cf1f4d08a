//! The tenants part of the GraphQL API (SPEC §5): `me`, `dataHolders`, `auditEvents`, the auth
//! mutations, and user and token administration. Resolvers authorize, parse, call one service
//! function and map the result to a DTO written here — entities never leak into the schema.

use crate::records::{ApiTokenRecord, InvitationRecord, TenantRecord, UserRecord};
use crate::service::{NewTenant, Session, Tenants};
use accord_db::audit::{AuditFilter, AuditRecord};
use accord_kernel::gql::{Conn, GqlResultExt, PageRequest, RequestMeta, connection, principal, service};
use accord_kernel::{Role, TenantKind};
use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{ComplexObject, Context, ID, InputObject, Json, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Arc;

/// An organization.
#[derive(SimpleObject, Clone, Debug)]
pub struct Tenant {
    /// Its id.
    pub id: ID,
    /// Display name.
    pub name: String,
    /// URL-safe unique name (used in enforcement URLs `/t/{slug}`).
    pub slug: String,
    /// Provider, payer or developer.
    pub kind: TenantKind,
}

impl From<TenantRecord> for Tenant {
    fn from(t: TenantRecord) -> Self {
        Self { id: t.id.into(), name: t.name, slug: t.slug, kind: t.kind }
    }
}

/// A person in one organization.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(complex)]
pub struct User {
    /// Its id.
    pub id: ID,
    /// Email address (unique across Accord).
    pub email: String,
    /// Display name.
    pub name: String,
    /// What they may do in their organization.
    pub roles: Vec<Role>,
    /// Whether they can log in.
    pub active: bool,
    #[graphql(skip)]
    pub tenant_id: String,
}

impl From<UserRecord> for User {
    fn from(u: UserRecord) -> Self {
        Self {
            active: u.is_active(),
            id: u.id.into(),
            email: u.email,
            name: u.name,
            roles: u.roles.as_slice().to_vec(),
            tenant_id: u.tenant_id,
        }
    }
}

#[ComplexObject]
impl User {
    /// Their organization.
    async fn tenant(&self, ctx: &Context<'_>) -> Result<Tenant> {
        load_tenant(ctx, &self.tenant_id).await
    }
}

/// Loads a tenant through the request's dataloader (one query per batch).
///
/// # Errors
/// `INTERNAL` on database failure or when the tenant vanished.
pub async fn load_tenant(ctx: &Context<'_>, id: &str) -> Result<Tenant> {
    let loader = service::<DataLoader<TenantLoader>>(ctx)?;
    loader
        .load_one(id.to_owned())
        .await
        .map_err(|e| accord_kernel::gql::classify_to_gql(ctx.data_opt::<RequestMeta>(), e.as_ref()))?
        .ok_or_else(|| accord_kernel::gql::error(accord_kernel::ErrorKind::Internal, "internal error (tenant missing)"))
}

/// Batches tenant lookups within one request.
pub struct TenantLoader(pub Tenants);

impl Loader<String> for TenantLoader {
    type Value = Tenant;
    type Error = Arc<crate::Error>;

    async fn load(&self, keys: &[String]) -> std::result::Result<HashMap<String, Tenant>, Self::Error> {
        let rows = self.0.tenants_by_ids(keys).await.map_err(Arc::new)?;
        Ok(rows.into_iter().map(|(k, v)| (k, v.into())).collect())
    }
}

/// The caller.
#[derive(SimpleObject, Clone, Debug)]
pub struct Viewer {
    /// The user.
    pub user: User,
    /// Their organization.
    pub tenant: Tenant,
}

/// A session: the token is shown once.
#[derive(SimpleObject, Clone, Debug)]
pub struct AuthPayload {
    /// The session JWT, for `Authorization: Bearer`.
    pub token: String,
    /// Who it is for.
    pub user: User,
}

impl From<Session> for AuthPayload {
    fn from(s: Session) -> Self {
        Self { token: s.token, user: s.user.into() }
    }
}

/// An invitation. Its token is shown once, by `inviteUser`; everywhere else it is null (only
/// its hash is kept, so it cannot be shown again).
#[derive(SimpleObject, Clone, Debug)]
pub struct Invitation {
    /// Its id.
    pub id: ID,
    /// The single-use token to pass to `acceptInvitation`: set only in `inviteUser`'s answer.
    pub token: Option<String>,
    /// Who is invited.
    pub email: String,
    /// The roles they will have.
    pub roles: Vec<Role>,
    /// When it stops working (it also stops when revoked, or when its inviter is no longer an
    /// active ADMIN).
    pub expires_at: DateTime<Utc>,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// An API token (never its secret after creation).
#[derive(SimpleObject, Clone, Debug)]
pub struct ApiToken {
    /// Its id.
    pub id: ID,
    /// Label.
    pub name: String,
    /// Roles it carries (never more than its owner's).
    pub roles: Vec<Role>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// When it was last used (to the minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

impl From<ApiTokenRecord> for ApiToken {
    fn from(t: ApiTokenRecord) -> Self {
        Self {
            id: t.id.into(),
            name: t.name,
            roles: t.roles.as_slice().to_vec(),
            expires_at: t.expires_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
            created_at: t.created_at,
        }
    }
}

/// A new API token: the secret is shown once, here.
#[derive(SimpleObject, Clone, Debug)]
pub struct ApiTokenPayload {
    /// The token, for `Authorization: Bearer`.
    pub token: String,
    /// Its record.
    pub api_token: ApiToken,
}

/// One entry of the audit trail.
#[derive(SimpleObject, Clone, Debug)]
pub struct AuditEvent {
    /// Its id.
    pub id: ID,
    /// When.
    pub at: DateTime<Utc>,
    /// What, e.g. `user.invited` or `grant.revoked`.
    pub action: String,
    /// Who: `user:<id>`, `api_token:<id>`, `app:<clientId>` or `system`.
    pub actor: String,
    /// The kind of thing acted on.
    pub target_type: String,
    /// Its id.
    pub target_id: ID,
    /// Anything else recorded.
    pub details: Option<Json<serde_json::Value>>,
}

impl From<AuditRecord> for AuditEvent {
    fn from(e: AuditRecord) -> Self {
        Self {
            id: e.id.into(),
            at: e.at,
            action: e.action,
            actor: e.actor,
            target_type: e.target_type,
            target_id: e.target_id.into(),
            details: Some(Json(e.details)),
        }
    }
}

/// Sign-up of a new organization.
#[derive(InputObject, Debug)]
pub struct SignUpInput {
    /// The organization's name.
    pub organization_name: String,
    /// Its kind (only the kinds `ACCORD_SIGNUP_KINDS` allows).
    pub kind: TenantKind,
    /// Your name.
    pub name: String,
    /// Your email (you become the organization's first ADMIN).
    pub email: String,
    /// At least 12 characters.
    pub password: String,
}

/// Queries of the tenants service.
#[derive(Default)]
pub struct TenantsQuery;

#[Object]
impl TenantsQuery {
    /// The caller and their organization.
    async fn me(&self, ctx: &Context<'_>) -> Result<Viewer> {
        let p = principal(ctx)?;
        // The identity the request was authenticated with is as live as the principal itself
        // (the edge puts it in beside the principal): no second reading.
        if let Some(i) = ctx.data_opt::<std::sync::Arc<crate::Identity>>().filter(|i| i.principal.user_id == p.user_id) {
            return Ok(Viewer { user: i.user.clone().into(), tenant: i.tenant.clone().into() });
        }
        let (u, t) = service::<Tenants>(ctx)?.me(p).await.gql(ctx)?;
        Ok(Viewer { user: u.into(), tenant: t.into() })
    }

    /// Providers and payers a vendor can request access from.
    async fn data_holders(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        search: Option<String>,
    ) -> Result<Conn<Tenant>> {
        principal(ctx)?;
        let given = after.is_some();
        let page = PageRequest::parse(first, after).gql(ctx)?;
        let rows = service::<Tenants>(ctx)?.data_holders(search.as_deref(), &page).await.gql(ctx)?;
        Ok(connection(rows.map(Tenant::from), |t| t.id.to_string(), given))
    }

    /// The users of the caller's organization.
    async fn users(&self, ctx: &Context<'_>, first: Option<i32>, after: Option<String>) -> Result<Conn<User>> {
        let p = principal(ctx)?;
        let given = after.is_some();
        let page = PageRequest::parse(first, after).gql(ctx)?;
        let rows = service::<Tenants>(ctx)?.users(p, &page).await.gql(ctx)?;
        Ok(connection(rows.map(User::from), |u| u.id.to_string(), given))
    }

    /// The caller's API tokens (an ADMIN sees the organization's).
    async fn api_tokens(&self, ctx: &Context<'_>, first: Option<i32>, after: Option<String>) -> Result<Conn<ApiToken>> {
        let p = principal(ctx)?;
        let given = after.is_some();
        let page = PageRequest::parse(first, after).gql(ctx)?;
        let rows = service::<Tenants>(ctx)?.api_tokens(p, &page).await.gql(ctx)?;
        Ok(connection(rows.map(ApiToken::from), |t| t.id.to_string(), given))
    }

    /// The open invitations of the caller's organization, newest first (ADMIN): not accepted,
    /// not revoked, not expired, from an inviter who is still an active ADMIN.
    async fn invitations(&self, ctx: &Context<'_>, first: Option<i32>, after: Option<String>) -> Result<Conn<Invitation>> {
        let p = principal(ctx)?;
        let given = after.is_some();
        let page = PageRequest::parse(first, after).gql(ctx)?;
        let rows = service::<Tenants>(ctx)?.invitations(p, &page).await.gql(ctx)?;
        Ok(connection(rows.map(|m| Invitation::from_record(m, None)), |i| i.id.to_string(), given))
    }

    /// The audit trail of the caller's organization, newest first (ADMIN, AUDITOR).
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        action: Option<String>,
        target_id: Option<ID>,
    ) -> Result<Conn<AuditEvent>> {
        let p = principal(ctx)?;
        let given = after.is_some();
        let page = PageRequest::parse(first, after).gql(ctx)?;
        let filter = AuditFilter { action, target_id: target_id.map(|i| i.to_string()) };
        let rows = service::<Tenants>(ctx)?.audit_events(p, &filter, &page).await.gql(ctx)?;
        Ok(connection(rows.map(AuditEvent::from), |e| e.id.to_string(), given))
    }
}

/// Mutations of the tenants service.
#[derive(Default)]
pub struct TenantsMutation;

#[Object]
impl TenantsMutation {
    /// Creates an organization with you as its first ADMIN, and logs you in.
    async fn sign_up(&self, ctx: &Context<'_>, input: SignUpInput) -> Result<AuthPayload> {
        let new = NewTenant {
            name: input.organization_name,
            kind: input.kind,
            admin_name: input.name,
            admin_email: input.email,
            admin_password: input.password,
        };
        Ok(service::<Tenants>(ctx)?.sign_up(new).await.gql(ctx)?.into())
    }

    /// Logs in with email and password.
    async fn login(&self, ctx: &Context<'_>, email: String, password: String) -> Result<AuthPayload> {
        let ip = ctx.data_opt::<RequestMeta>().and_then(|m| m.client_ip.clone());
        Ok(service::<Tenants>(ctx)?.login(&email, &password, ip.as_deref()).await.gql(ctx)?.into())
    }

    /// Invites someone into your organization (ADMIN). The token is shown once.
    async fn invite_user(&self, ctx: &Context<'_>, email: String, roles: Vec<Role>) -> Result<Invitation> {
        let p = principal(ctx)?;
        let (inv, token) = service::<Tenants>(ctx)?.invite(p, &email, &roles).await.gql(ctx)?;
        Ok(Invitation::from_record(inv, Some(token)))
    }

    /// Revokes an open invitation of your organization (ADMIN); an accepted or already revoked
    /// one answers CONFLICT.
    async fn revoke_invitation(&self, ctx: &Context<'_>, id: ID) -> Result<Invitation> {
        let p = principal(ctx)?;
        Ok(Invitation::from_record(service::<Tenants>(ctx)?.revoke_invitation(p, &id).await.gql(ctx)?, None))
    }

    /// Joins an organization with an invitation token, and logs you in.
    async fn accept_invitation(&self, ctx: &Context<'_>, token: String, name: String, password: String) -> Result<AuthPayload> {
        Ok(service::<Tenants>(ctx)?.accept_invitation(&token, &name, &password).await.gql(ctx)?.into())
    }

    /// Mints an API token (1–365 days; roles default to yours and may not exceed what you hold
    /// or, as an ADMIN, imply for your organization's kind). Minted with an API token, it expires
    /// no later than that token and is revoked with it.
    async fn create_api_token(
        &self,
        ctx: &Context<'_>,
        name: String,
        expires_in_days: i32,
        roles: Option<Vec<Role>>,
    ) -> Result<ApiTokenPayload> {
        let p = principal(ctx)?;
        let (tok, token) = service::<Tenants>(ctx)?.create_api_token(p, &name, expires_in_days, roles.as_deref()).await.gql(ctx)?;
        Ok(ApiTokenPayload { token, api_token: tok.into() })
    }

    /// Ends the session this request came with (only it: your other sessions keep working).
    /// An API token cannot log out: revoke it with `revokeApiToken`.
    async fn logout(&self, ctx: &Context<'_>) -> Result<bool> {
        let p = principal(ctx)?;
        service::<Tenants>(ctx)?.logout(p).await.gql(ctx)?;
        Ok(true)
    }

    /// Revokes an API token (its owner, or an ADMIN), and every token minted with it.
    async fn revoke_api_token(&self, ctx: &Context<'_>, id: ID) -> Result<ApiToken> {
        let p = principal(ctx)?;
        Ok(service::<Tenants>(ctx)?.revoke_api_token(p, &id).await.gql(ctx)?.into())
    }

    /// Replaces a user's roles (ADMIN); their sessions end at once.
    async fn update_user_roles(&self, ctx: &Context<'_>, user_id: ID, roles: Vec<Role>) -> Result<User> {
        let p = principal(ctx)?;
        Ok(service::<Tenants>(ctx)?.set_user_roles(p, &user_id, &roles).await.gql(ctx)?.into())
    }

    /// Deactivates a user (ADMIN); their sessions and tokens stop working at once.
    async fn deactivate_user(&self, ctx: &Context<'_>, user_id: ID) -> Result<User> {
        let p = principal(ctx)?;
        Ok(service::<Tenants>(ctx)?.deactivate_user(p, &user_id).await.gql(ctx)?.into())
    }
}

impl Invitation {
    fn from_record(m: InvitationRecord, token: Option<String>) -> Self {
        Self {
            id: m.id.into(),
            token,
            email: m.email,
            roles: m.roles.as_slice().to_vec(),
            expires_at: m.expires_at,
            created_at: m.created_at,
            revoked_at: m.revoked_at,
        }
    }
}
