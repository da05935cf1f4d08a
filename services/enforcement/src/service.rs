//! The enforcement service: what the gateway's SMART endpoints call. It owns the live
//! [`View`], the holders' [`KeyRing`], the JWKS fetcher and the access log, and reads the rest
//! of Accord only through the owners' public functions.

use crate::access_log::AccessLog;
use crate::assertion::JwksFetcher;
use crate::error::{Error, Result};
use crate::feed::{self, Cursor};
use crate::keys::KeyRing;
use crate::token::{AccessClaims, validation};
use crate::view::{Client, View};
use accord_db::store::Store;
use accord_kernel::{Principal, SharedClock};
use accord_tenants::records::TenantRecord;
use accord_tenants::{Identity, Tenants};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// The longest a hot-path answer waits for the database when the view cannot answer: past it,
/// the answer is "cannot decide" (deny), not a hung gateway.
pub const DB_WAIT: std::time::Duration = std::time::Duration::from_millis(1500);

/// `fut`, or [`Error::Unavailable`] when it takes longer than [`DB_WAIT`].
async fn bounded<T>(fut: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    tokio::time::timeout(DB_WAIT, fut)
        .await
        .unwrap_or_else(|_| Err(Error::unavailable(std::io::Error::other("the database did not answer in time"))))
}

/// Verified access tokens kept (by hash) so a hot token is not verified again on every call.
const MAX_VERIFIED: usize = 200_000;

pub(crate) struct Inner {
    pub db: accord_db::Db,
    pub store: Store,
    pub clock: SharedClock,
    pub tenants: Tenants,
    pub public_url: String,
    pub view: View,
    pub keys: KeyRing,
    pub jwks: JwksFetcher,
    pub cursor: Cursor,
    pub verified: RwLock<HashMap<[u8; 32], Arc<Verified>>>,
    pub log: Arc<AccessLog>,
    pub allow_private: bool,
}

/// The HTTP client for `jwksUri` fetches. The SSRF guard is its resolver: every fetch goes only
/// to addresses the guard allowed (rebinding included). No redirects: the registered URL is the
/// one trusted.
fn jwks_guard(allow_private: bool) -> accord_notifications::ssrf::Guard {
    use accord_notifications::ssrf::{Guard, SystemResolver};
    Guard::new(Arc::new(SystemResolver), allow_private)
}

fn jwks_client(allow_private: bool, extra_root: Option<reqwest::Certificate>) -> Result<reqwest::Client> {
    let guard = jwks_guard(allow_private);
    let mut b = reqwest::Client::builder()
        .dns_resolver(Arc::new(guard))
        .redirect(reqwest::redirect::Policy::none())
        .timeout(JWKS_TIMEOUT)
        .connect_timeout(JWKS_TIMEOUT)
        .user_agent("Accord-JWKS/1");
    if let Some(root) = extra_root {
        b = b.add_root_certificate(root);
    }
    b.build().map_err(|e| Error::Internal(Box::new(e)))
}

/// A verified access token: its claims and the scopes it carries, parsed once.
#[derive(Debug)]
pub struct Verified {
    /// The claims.
    pub claims: AccessClaims,
    /// `claims.scope`, parsed.
    pub scopes: accord_scopes::ScopeSet,
}

impl std::ops::Deref for Verified {
    type Target = AccessClaims;

    fn deref(&self) -> &AccessClaims {
        &self.claims
    }
}

/// Enforcement. Cheap to clone; every clone shares one view.
#[derive(Clone)]
pub struct Enforcement {
    pub(crate) inner: Arc<Inner>,
}

/// How [`Enforcement::new`] is put together.
pub struct Parts {
    /// The database.
    pub db: accord_db::Db,
    /// The shared store (`jti` replay, Redis or in-process).
    pub store: Store,
    /// The clock.
    pub clock: SharedClock,
    /// Authentication of holder API tokens.
    pub tenants: Tenants,
    /// `ACCORD_PUBLIC_URL` (absolute URLs of discovery and token issuers).
    pub public_url: String,
    /// Seals holders' private keys (derived from `ACCORD_SECRET_KEY`).
    pub sealer: accord_kernel::seal::Sealer,
    /// Whether `jwksUri`s may reach private addresses (`ACCORD_WEBHOOK_ALLOW_PRIVATE`,
    /// development only).
    pub allow_private: bool,
    /// List totals the feed drops on grant and request changes (`Approvals::counts`).
    pub counts: Arc<accord_db::page::Counts>,
}

/// How long a `jwksUri` fetch may take.
pub const JWKS_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

impl Enforcement {
    /// The service over `parts`. Call [`Enforcement::spawn_background`] in a process that
    /// answers requests.
    ///
    /// # Errors
    /// When the HTTP client for `jwksUri` fetches cannot be built.
    pub fn new(parts: Parts) -> Result<Self> {
        let http = jwks_client(parts.allow_private, None)?;
        let log = Arc::new(AccessLog::new(parts.db.clone()));
        Ok(Self {
            inner: Arc::new(Inner {
                db: parts.db,
                store: parts.store,
                clock: parts.clock,
                tenants: parts.tenants,
                public_url: parts.public_url.trim_end_matches('/').to_owned(),
                view: View::with_counts(parts.counts),
                keys: KeyRing::new(parts.sealer),
                jwks: JwksFetcher::new(http, jwks_guard(parts.allow_private)),
                allow_private: parts.allow_private,
                cursor: Cursor::default(),
                verified: RwLock::default(),
                log,
            }),
        })
    }

    /// Starts following the change feed (and loads the revocations still in force) and the
    /// access-log writer. The tasks end when the runtime does.
    pub fn spawn_background(&self) {
        let this = self.clone();
        tokio::spawn(async move {
            let mut failing = false;
            loop {
                match this.poll_feed().await {
                    Ok(_) if failing => {
                        failing = false;
                        tracing::info!("the change feed is readable again");
                    }
                    Ok(_) => {}
                    Err(e) if !failing => {
                        failing = true;
                        tracing::error!(error = %accord_kernel::gql::cause_chain(&e), "cannot read the change feed: decisions go to the database, and fail closed while it does not answer");
                    }
                    Err(_) => {}
                }
                tokio::time::sleep(feed::POLL_EVERY).await;
            }
        });
        self.inner.log.spawn();
    }

    /// Reads the feed once (tests drive it directly).
    ///
    /// # Errors
    /// When the database cannot be read.
    pub async fn poll_feed(&self) -> Result<usize> {
        if !self.inner.cursor.started() {
            // The head first, then the revocations: one committed in between is replayed.
            let head = accord_db::audit::head_seq(self.inner.db.reader()).await?;
            self.load_revocations().await?;
            self.inner.cursor.set(head);
            self.inner.view.confirm();
            return Ok(0);
        }
        let now = self.inner.clock.now();
        Ok(feed::poll_once(&self.inner.db, &self.inner.cursor, &self.inner.view, &self.inner.keys, now).await?)
    }

    /// Puts clients in the view as if each had just been read (benchmarks fill a view of a
    /// million clients without a million reads; the change feed keeps them honest as usual).
    #[doc(hidden)]
    pub fn preload(&self, clients: impl IntoIterator<Item = Client>) {
        let epoch = self.inner.view.epoch();
        for c in clients {
            let id = c.app.client_id.clone();
            self.inner.view.put_client(&id, Some(Arc::new(c)), epoch);
        }
    }

    /// Trusts one more certificate authority for `jwksUri` fetches (tests serve a JWKS over TLS
    /// with their own CA; production uses the system's roots).
    ///
    /// # Errors
    /// When `pem` is not a certificate.
    #[doc(hidden)]
    pub fn trust_jwks_ca(&self, pem: &[u8]) -> Result<()> {
        let root = reqwest::Certificate::from_pem(pem).map_err(|e| Error::Invalid(e.to_string()))?;
        self.inner.jwks.replace_client(jwks_client(self.inner.allow_private, Some(root))?);
        Ok(())
    }

    /// The live view (metrics and tests).
    #[must_use]
    pub fn view(&self) -> &View {
        &self.inner.view
    }

    /// `{public}/t/{slug}`: the holder's issuer and FHIR-facing base.
    #[must_use]
    pub fn base_url(&self, slug: &str) -> String {
        format!("{}/t/{slug}", self.inner.public_url)
    }

    /// The active data holder with this slug.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown slug, a vendor or an inactive holder;
    /// [`Error::Unavailable`] when the database fails.
    pub async fn holder(&self, slug: &str) -> Result<Arc<TenantRecord>> {
        let cached = match self.inner.view.holder(slug) {
            Some(h) => h,
            None => {
                let epoch = self.inner.view.holders_epoch();
                let found =
                    bounded(async { Ok(accord_tenants::lookup::tenant_by_slug(self.inner.db.reader(), slug).await?) }).await?.map(Arc::new);
                self.inner.view.put_holder(slug, found.clone(), epoch);
                found
            }
        };
        cached.filter(|t| t.kind.is_data_holder() && t.is_active()).ok_or(Error::NotFound("data holder"))
    }

    /// The client with this id: its app and live grants (`None` when no app has it).
    ///
    /// # Errors
    /// [`Error::Unavailable`] when the view is stale and the database does not answer.
    pub async fn client(&self, client_id: &str) -> Result<Option<Arc<Client>>> {
        if let Some(c) = self.inner.view.client(client_id) {
            return Ok(c);
        }
        let epoch = self.inner.view.epoch();
        let db = self.inner.db.reader();
        let client = bounded(async {
            Ok(match accord_registry::app_by_client_id(db, client_id).await? {
                Some(app) => {
                    let grants = accord_approvals::live_grants_of_app(db, &app.id).await?;
                    Some(Arc::new(Client::new(app, &grants)))
                }
                None => None,
            })
        })
        .await?;
        self.inner.view.put_client(client_id, client.clone(), epoch);
        Ok(client)
    }

    /// Who a bearer credential (API token or session) speaks for, from the view while it is
    /// fresh: evicted by the feed on any user, token or tenant change (on this replica before
    /// the mutation's response, on others within [`crate::feed::POLL_EVERY`]), never kept past
    /// the credential's expiry, and read again every [`crate::view::PRINCIPAL_TTL`] (by one
    /// request; the others keep the cached identity meanwhile). One database reading on a miss,
    /// bounded like every reading here.
    ///
    /// # Errors
    /// [`Error::Unauthenticated`] for a bad credential; [`Error::Unavailable`] when it cannot
    /// be checked.
    pub async fn identify(&self, bearer: &str) -> Result<Arc<Identity>> {
        let hash: [u8; 32] = Sha256::digest(bearer.as_bytes()).into();
        let now = self.inner.clock.now();
        if let Some((i, false)) = self.inner.view.identity(&hash, now) {
            return Ok(i);
        }
        let epoch = self.inner.view.principals_epoch();
        let identity = Arc::new(bounded(async { Ok(self.inner.tenants.identify(bearer).await?) }).await?);
        self.inner.view.put_identity(hash, identity.clone(), now, epoch);
        Ok(identity)
    }

    /// The data holder behind an API token (decisions, usage, introspection).
    ///
    /// # Errors
    /// [`Error::Unauthenticated`] for a bad token; [`Error::Forbidden`] for a vendor's;
    /// [`Error::Unavailable`] when it cannot be checked.
    pub async fn authenticate_holder(&self, bearer: &str) -> Result<Principal> {
        let identity = self.identify(bearer).await?;
        if !identity.principal.tenant_kind.is_data_holder() {
            return Err(Error::Forbidden("only a data holder's (provider's or payer's) API token may call this".into()));
        }
        Ok(identity.principal.clone())
    }

    /// Verifies an access token issued by the holder with `slug` (signature, issuer); `None`
    /// when it is not one. Expiry, revocation and the live grant are the caller's to check.
    ///
    /// # Errors
    /// [`Error::Unavailable`] when the holder's keys cannot be read.
    pub(crate) async fn verify_access_token(&self, holder: &TenantRecord, token: &str) -> Result<Option<Arc<Verified>>> {
        let hash: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        if let Some(c) = self.inner.verified.read().ok().and_then(|v| v.get(&hash).cloned()) {
            let ours = c.iss.strip_prefix(&self.inner.public_url).and_then(|r| r.strip_prefix("/t/")) == Some(holder.slug.as_str());
            return Ok(ours.then_some(c));
        }
        let issuer = self.base_url(&holder.slug);
        let Ok(header) = jsonwebtoken::decode_header(token) else { return Ok(None) };
        let Some(kid) = header.kid else { return Ok(None) };
        if header.alg != jsonwebtoken::Algorithm::ES384 {
            return Ok(None);
        }
        let now = self.inner.clock.now();
        let mut keys = self.inner.keys.keys(&self.inner.db, &holder.id, now).await?;
        if keys.find(&kid).is_none() {
            keys = self.inner.keys.reload(&self.inner.db, &holder.id, now).await?;
        }
        let Some(key) = keys.find(&kid) else { return Ok(None) };
        let Ok(data) = jsonwebtoken::decode::<AccessClaims>(token, &key.key, &validation(&issuer)) else { return Ok(None) };
        let Ok(scopes) = accord_scopes::ScopeSet::parse_space_delimited(&data.claims.scope) else { return Ok(None) };
        let claims = Arc::new(Verified { claims: data.claims, scopes });
        if let Ok(mut v) = self.inner.verified.write() {
            if v.len() >= MAX_VERIFIED {
                v.retain(|_, c| c.expires_at() > now);
                if v.len() >= MAX_VERIFIED {
                    v.clear();
                }
            }
            v.insert(hash, claims.clone());
        }
        Ok(Some(claims))
    }

    /// Retires the holder's signing key and makes a new one current (holder ADMIN).
    ///
    /// # Errors
    /// [`Error::Forbidden`] unless the caller is an ADMIN of a data holder.
    pub async fn rotate_signing_key(&self, ctx: &Principal) -> Result<String> {
        if !ctx.tenant_kind.is_data_holder() {
            return Err(Error::Forbidden("only a data holder has token-signing keys".into()));
        }
        ctx.require(accord_kernel::Role::Admin, "rotate the token-signing key").map_err(|d| Error::Forbidden(d.0))?;
        let now = self.inner.clock.now();
        self.inner.keys.rotate(&self.inner.db, &ctx.actor, &ctx.tenant_id, now).await
    }

    /// The holder's published keys (`/.well-known/jwks.json`), creating its first key.
    ///
    /// # Errors
    /// [`Error::Unavailable`] when the keys cannot be read.
    pub async fn jwks(&self, holder: &TenantRecord) -> Result<serde_json::Value> {
        let now = self.inner.clock.now();
        Ok(self.inner.keys.keys(&self.inner.db, &holder.id, now).await?.jwks())
    }

    async fn load_revocations(&self) -> Result<()> {
        use crate::entities::revoked_token;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let now = self.inner.clock.now();
        let rows = revoked_token::Entity::find().filter(revoked_token::Column::ExpiresAt.gt(now)).all(self.inner.db.reader()).await?;
        for r in rows {
            self.inner.view.revoke(&r.jti, r.expires_at);
        }
        Ok(())
    }
}
