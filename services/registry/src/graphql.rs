//! The registry part of the GraphQL API (SPEC §5): the `App` type, the app mutations and a
//! per-request app loader. The `apps` / `app` queries live with approvals, which knows which
//! data holders may see an app. Resolvers authorize, parse, call one service function and map
//! the result to a DTO written here — entities never leak into the schema.

use crate::domain::{AppKind, AppPatch, AppStatus, NewApp};
use crate::repo::{AppRecord, apps_by_ids};
use crate::service::Registry;
use accord_kernel::gql::{GqlResultExt, RequestMeta, principal, service};
use accord_tenants::graphql::{Tenant, load_tenant};
use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{ComplexObject, Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Arc;

/// A SMART app registered by a vendor.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(complex)]
pub struct App {
    /// Its id.
    pub id: ID,
    /// The OAuth client id (`acc_…`).
    pub client_id: String,
    /// Display name.
    pub name: String,
    /// What it does.
    pub description: Option<String>,
    /// Patient-facing, provider-facing or a backend service.
    pub kind: AppKind,
    /// A public client: no secret, PKCE only.
    pub public: bool,
    /// Active, suspended or offboarded.
    pub status: AppStatus,
    /// Why it needs data.
    pub purpose: String,
    /// Who answers for it.
    pub business_owner_email: String,
    /// Who runs it.
    pub technical_owner_email: String,
    /// OAuth redirect URIs, exactly as registered.
    pub redirect_uris: Vec<String>,
    /// SMART launch URL.
    pub launch_url: Option<String>,
    /// Where its public keys are published.
    pub jwks_uri: Option<String>,
    /// When it was registered.
    pub created_at: DateTime<Utc>,
    #[graphql(skip)]
    pub vendor_tenant_id: String,
}

impl From<AppRecord> for App {
    fn from(a: AppRecord) -> Self {
        Self {
            id: a.id.into(),
            client_id: a.client_id,
            name: a.name,
            description: a.description,
            kind: a.kind,
            public: a.public,
            status: a.status,
            purpose: a.purpose,
            business_owner_email: a.business_owner_email,
            technical_owner_email: a.technical_owner_email,
            redirect_uris: a.redirect_uris,
            launch_url: a.launch_url,
            jwks_uri: a.jwks_uri,
            created_at: a.created_at,
            vendor_tenant_id: a.vendor_tenant_id,
        }
    }
}

#[ComplexObject]
impl App {
    /// The organization that registered it.
    async fn vendor(&self, ctx: &Context<'_>) -> Result<Tenant> {
        load_tenant(ctx, &self.vendor_tenant_id).await
    }
}

/// Loads an app through the request's dataloader (one query per batch). It does not check
/// visibility: call it only for an app the caller may see (e.g. the app of a visible request).
///
/// # Errors
/// `INTERNAL` on database failure or when the app vanished.
pub async fn load_app(ctx: &Context<'_>, id: &str) -> Result<App> {
    let loader = service::<DataLoader<AppLoader>>(ctx)?;
    loader
        .load_one(id.to_owned())
        .await
        .map_err(|e| accord_kernel::gql::classify_to_gql(ctx.data_opt::<RequestMeta>(), e.as_ref()))?
        .ok_or_else(|| accord_kernel::gql::error(accord_kernel::ErrorKind::Internal, "internal error (app missing)"))
}

/// Batches app lookups within one request (created per request, so batches never cross
/// callers).
pub struct AppLoader(pub Registry);

impl Loader<String> for AppLoader {
    type Value = App;
    type Error = Arc<crate::Error>;

    async fn load(&self, keys: &[String]) -> std::result::Result<HashMap<String, App>, Self::Error> {
        let rows = apps_by_ids(&self.0.db, keys).await.map_err(Arc::new)?;
        Ok(rows.into_iter().map(|(k, v)| (k, v.into())).collect())
    }
}

/// A new app: a client secret only for confidential apps without keys, shown once, here.
#[derive(SimpleObject, Clone, Debug)]
pub struct RegisterAppPayload {
    /// The app.
    pub app: App,
    /// The client secret, in clear, this once (`null` for public apps and apps with keys).
    pub client_secret: Option<String>,
}

/// Registration of an app (SPEC §5).
#[derive(InputObject, Debug)]
pub struct RegisterAppInput {
    /// Display name (1–200 characters).
    pub name: String,
    /// What it does (up to 2000 characters).
    pub description: Option<String>,
    /// Patient-facing, provider-facing or a backend service.
    pub kind: AppKind,
    /// A public client (PKCE only, no secret, no keys). Default false.
    pub public: Option<bool>,
    /// OAuth redirect URIs: absolute https (http only for localhost), no fragment, at most 20.
    /// At least one for patient- and provider-facing apps; none for backend services.
    pub redirect_uris: Option<Vec<String>>,
    /// SMART launch URL (same rules as redirect URIs).
    pub launch_url: Option<String>,
    /// Where the public keys are published (https). Either this or `jwks`.
    pub jwks_uri: Option<String>,
    /// The public keys as a JWK Set `{"keys": [...]}` (RSA or EC, each with `kid`; never a
    /// private key). Either this or `jwksUri`; one is required for backend services.
    pub jwks: Option<String>,
    /// Why it needs data (1–2000 characters).
    pub purpose: String,
    /// Who answers for it.
    pub business_owner_email: String,
    /// Who runs it.
    pub technical_owner_email: String,
}

impl From<RegisterAppInput> for NewApp {
    fn from(i: RegisterAppInput) -> Self {
        Self {
            name: i.name,
            description: i.description,
            kind: i.kind,
            public: i.public,
            redirect_uris: i.redirect_uris,
            launch_url: i.launch_url,
            jwks_uri: i.jwks_uri,
            jwks: i.jwks,
            purpose: i.purpose,
            business_owner_email: i.business_owner_email,
            technical_owner_email: i.technical_owner_email,
        }
    }
}

/// Changes to an app: only the fields given change; `null` clears `description`, `launchUrl`,
/// `jwksUri` and `jwks`. The kind and the authentication method (public, secret or keys) stay.
#[derive(InputObject, Debug, Default)]
pub struct UpdateAppInput {
    /// Display name.
    pub name: Option<String>,
    /// What it does (`null` clears it).
    pub description: MaybeUndefined<String>,
    /// A public client.
    pub public: Option<bool>,
    /// OAuth redirect URIs (replaces the whole list).
    pub redirect_uris: Option<Vec<String>>,
    /// SMART launch URL (`null` clears it).
    pub launch_url: MaybeUndefined<String>,
    /// Where the public keys are published (`null` clears it).
    pub jwks_uri: MaybeUndefined<String>,
    /// The public keys as a JWK Set (`null` clears it).
    pub jwks: MaybeUndefined<String>,
    /// Why it needs data.
    pub purpose: Option<String>,
    /// Who answers for it.
    pub business_owner_email: Option<String>,
    /// Who runs it.
    pub technical_owner_email: Option<String>,
}

fn clearable(v: MaybeUndefined<String>) -> Option<Option<String>> {
    match v {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(s) => Some(Some(s)),
    }
}

impl From<UpdateAppInput> for AppPatch {
    fn from(i: UpdateAppInput) -> Self {
        Self {
            name: i.name,
            description: clearable(i.description),
            public: i.public,
            redirect_uris: i.redirect_uris,
            launch_url: clearable(i.launch_url),
            jwks_uri: clearable(i.jwks_uri),
            jwks: clearable(i.jwks),
            purpose: i.purpose,
            business_owner_email: i.business_owner_email,
            technical_owner_email: i.technical_owner_email,
        }
    }
}

/// Mutations of the registry.
#[derive(Default)]
pub struct RegistryMutation;

#[Object]
impl RegistryMutation {
    /// Registers an app for your organization (a DEVELOPER or ADMIN of a developer
    /// organization). A confidential app without keys gets a client secret, shown once.
    async fn register_app(&self, ctx: &Context<'_>, input: RegisterAppInput) -> Result<RegisterAppPayload> {
        let p = principal(ctx)?;
        let (app, secret) = service::<Registry>(ctx)?.register(p, input.into()).await.gql(ctx)?;
        Ok(RegisterAppPayload { app: app.into(), client_secret: secret })
    }

    /// Changes one of your organization's apps (DEVELOPER or ADMIN).
    async fn update_app(&self, ctx: &Context<'_>, id: ID, input: UpdateAppInput) -> Result<App> {
        let p = principal(ctx)?;
        Ok(service::<Registry>(ctx)?.update(p, &id, input.into()).await.gql(ctx)?.into())
    }

    /// Issues a new client secret (shown once); the previous one keeps working for 24 hours,
    /// any older one stops now (DEVELOPER or ADMIN).
    async fn rotate_client_secret(&self, ctx: &Context<'_>, app_id: ID) -> Result<RegisterAppPayload> {
        let p = principal(ctx)?;
        let (app, secret) = service::<Registry>(ctx)?.rotate_client_secret(p, &app_id).await.gql(ctx)?;
        Ok(RegisterAppPayload { app: app.into(), client_secret: Some(secret) })
    }

    /// Suspends one of your organization's apps: its credentials stop working until resumed
    /// (ADMIN).
    async fn suspend_app(&self, ctx: &Context<'_>, id: ID, reason: String) -> Result<App> {
        let p = principal(ctx)?;
        Ok(service::<Registry>(ctx)?.suspend(p, &id, &reason).await.gql(ctx)?.into())
    }

    /// Resumes one of your organization's suspended apps (ADMIN).
    async fn resume_app(&self, ctx: &Context<'_>, id: ID) -> Result<App> {
        let p = principal(ctx)?;
        Ok(service::<Registry>(ctx)?.resume(p, &id).await.gql(ctx)?.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Query;

    #[Object]
    impl Query {
        async fn app(&self) -> Option<App> {
            None
        }
    }

    /// SPEC §5 names are fixed: clients and acceptance tests outside the repo rely on them.
    #[test]
    fn the_schema_keeps_the_spec_names() {
        let sdl = async_graphql::Schema::build(Query, RegistryMutation, async_graphql::EmptySubscription).finish().sdl();
        let lines: Vec<&str> = sdl.lines().map(str::trim).collect();
        for expected in [
            "registerApp(input: RegisterAppInput!): RegisterAppPayload!",
            "updateApp(id: ID!, input: UpdateAppInput!): App!",
            "rotateClientSecret(appId: ID!): RegisterAppPayload!",
            "type App {",
            "id: ID!",
            "clientId: String!",
            "name: String!",
            "kind: AppKind!",
            "status: AppStatus!",
            "vendor: Tenant!",
            "purpose: String!",
            "businessOwnerEmail: String!",
            "technicalOwnerEmail: String!",
            "redirectUris: [String!]!",
            "jwksUri: String",
            "type RegisterAppPayload {",
            "app: App!",
            "clientSecret: String",
            "input RegisterAppInput {",
            "description: String",
            "public: Boolean",
            "redirectUris: [String!]",
            "launchUrl: String",
            "jwks: String",
            "input UpdateAppInput {",
            "enum AppKind {",
            "PATIENT_FACING",
            "PROVIDER_FACING",
            "BACKEND_SERVICE",
            "enum AppStatus {",
            "OFFBOARDED",
        ] {
            assert!(lines.contains(&expected), "missing `{expected}` in\n{sdl}");
        }
        let update = sdl.split("input UpdateAppInput {").nth(1).and_then(|s| s.split('}').next()).unwrap_or_default();
        assert!(!update.contains("kind:"), "UpdateAppInput has no kind");
        assert!(!update.lines().any(|l| l.trim().ends_with('!')), "every UpdateAppInput field is optional:\n{update}");
    }
}
