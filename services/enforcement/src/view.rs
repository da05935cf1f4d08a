//! The live view: what every hot-path answer (decision, introspection, `/authz`, token) reads
//! instead of the database. Per client id, the app and its live (ACTIVE or SUSPENDED) grants at
//! every holder; per slug, the holder; per API-token hash, the principal. Entries are loaded on
//! first use and dropped when the change feed ([`crate::feed`]) reports a change that concerns
//! them. The feed also confirms freshness: when it has not succeeded within [`STALE_AFTER`],
//! the view is not trusted and every answer goes to the database, so with the database down
//! decisions fail closed. Expiry needs no event: every answer compares `expires_at` with the
//! clock.
//!
//! A load that raced a change is used once and not kept: each entry remembers the feed epoch
//! it was read at, and the feed records the epoch at which each app (or everything) changed.

use accord_approvals::GrantRecord;
use accord_approvals::domain::GrantStatus;
use accord_registry::AppRecord;
use accord_scopes::ScopeSet;
use accord_tenants::Identity;
use accord_tenants::records::TenantRecord;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// How long the view is trusted after the change feed last succeeded. Revocation on another
/// replica reaches this one within the feed's poll interval; past this bound, answers go to the
/// database (and fail closed when it does not answer).
pub const STALE_AFTER: Duration = Duration::from_millis(1000);
/// How long (by the service clock) a cached identity is reused before its credential is checked
/// again, which also refreshes an API token's `lastUsedAt` at its granularity. Revocation, role
/// changes, deactivation and logout evict sooner (the feed), expiry at once (`until`).
pub const PRINCIPAL_TTL: chrono::TimeDelta = chrono::TimeDelta::seconds(60);
/// Bound on each cache (a full one is emptied: cheap, and it refills from the database).
pub const MAX_ENTRIES: usize = 2_000_000;

/// A live grant, as decisions need it.
#[derive(Debug, Clone)]
pub struct LiveGrant {
    /// Its id.
    pub id: String,
    /// The data holder.
    pub holder_tenant_id: String,
    /// Its scopes.
    pub scopes: ScopeSet,
    /// When it ends.
    pub expires_at: DateTime<Utc>,
    /// ACTIVE or SUSPENDED.
    pub status: GrantStatus,
}

impl LiveGrant {
    fn from_record(g: &GrantRecord) -> Option<Self> {
        let scopes = ScopeSet::parse_all(&g.scopes).ok()?;
        Some(Self { id: g.id.clone(), holder_tenant_id: g.holder_tenant_id.clone(), scopes, expires_at: g.expires_at, status: g.status })
    }

    /// Whether it grants anything at `now`: ACTIVE and not past its expiry (SPEC §2.4).
    #[must_use]
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.status == GrantStatus::Active && self.expires_at > now
    }

    /// Why it grants nothing at `now`, if it does not.
    #[must_use]
    pub fn why_not(&self, now: DateTime<Utc>) -> Option<&'static str> {
        if self.expires_at <= now {
            Some("the grant has expired")
        } else if self.status != GrantStatus::Active {
            Some("the grant is suspended")
        } else {
            None
        }
    }
}

/// A client as enforcement sees it: its app and its live grants.
#[derive(Debug, Clone)]
pub struct Client {
    /// The app.
    pub app: AppRecord,
    /// Its live grants, one per holder at most.
    pub grants: Vec<LiveGrant>,
}

impl Client {
    /// A client from its app and its live grants (grants whose scopes do not parse are left out).
    #[must_use]
    pub fn new(app: AppRecord, grants: &[GrantRecord]) -> Self {
        Self { app, grants: grants.iter().filter_map(LiveGrant::from_record).collect() }
    }

    /// The live (ACTIVE or SUSPENDED) grant at `holder_id`, if any.
    #[must_use]
    pub fn grant_at(&self, holder_id: &str) -> Option<&LiveGrant> {
        self.grants.iter().find(|g| g.holder_tenant_id == holder_id)
    }
}

struct Cached<T> {
    value: T,
    /// When it was read (service clock).
    at: DateTime<Utc>,
}

#[derive(Default)]
struct Epochs {
    /// The epoch at which each app last changed.
    apps: HashMap<String, u64>,
    /// The epoch at which everything was last dropped.
    all: u64,
    /// The epoch of the latest app change of any app.
    latest_app: u64,
}

/// The view. Shared by every request of this process.
#[derive(Default)]
pub struct View {
    clients: RwLock<HashMap<String, Option<Arc<Client>>>>,
    by_app: RwLock<HashMap<String, String>>,
    holders: RwLock<HashMap<String, Option<Arc<TenantRecord>>>>,
    principals: RwLock<HashMap<[u8; 32], Cached<Arc<Identity>>>>,
    revoked: RwLock<HashMap<String, DateTime<Utc>>>,
    epoch: AtomicU64,
    epochs: Mutex<Epochs>,
    principals_epoch: AtomicU64,
    holders_epoch: AtomicU64,
    /// Milliseconds since [`View::origin`] at the feed's last success (0: never).
    confirmed_ms: AtomicU64,
    origin: Origin,
    /// The list totals this feed vouches for (`Approvals::counts`).
    counts: Arc<accord_db::page::Counts>,
}

/// The instant the view's clock counts from.
struct Origin(Instant);

impl Default for Origin {
    fn default() -> Self {
        Self(Instant::now())
    }
}

impl View {
    /// Whether the change feed confirmed the view recently enough to trust it.
    #[must_use]
    pub fn is_fresh(&self) -> bool {
        let at = self.confirmed_ms.load(Ordering::Acquire);
        at > 0 && self.millis().saturating_sub(at) < STALE_AFTER.as_millis() as u64
    }

    /// A view that also keeps `counts` current.
    pub(crate) fn with_counts(counts: Arc<accord_db::page::Counts>) -> Self {
        Self { counts, ..Self::default() }
    }

    /// A grant or a request changed: list totals are dropped.
    pub(crate) fn lists_changed(&self) {
        self.counts.changed();
    }

    /// The feed succeeded just now.
    pub(crate) fn confirm(&self) {
        self.counts.confirm();
        self.confirmed_ms.store(self.millis().max(1), Ordering::Release);
    }

    fn millis(&self) -> u64 {
        u64::try_from(self.origin.0.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// The current epoch (read before a load; see [`View::put_client`]).
    pub(crate) fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::SeqCst)
    }

    /// The cached client, when the view is fresh.
    pub(crate) fn client(&self, client_id: &str) -> Option<Option<Arc<Client>>> {
        if !self.is_fresh() {
            return None;
        }
        self.clients.read().ok()?.get(client_id).cloned()
    }

    /// Keeps what a load read at `epoch`, unless something it covers changed since.
    pub(crate) fn put_client(&self, client_id: &str, client: Option<Arc<Client>>, epoch: u64) {
        let Ok(epochs) = self.epochs.lock() else { return };
        if epochs.all > epoch || client.as_ref().is_some_and(|c| epochs.apps.get(&c.app.id).is_some_and(|e| *e > epoch)) {
            return;
        }
        // A client unknown at `epoch` may have been registered since: any app change voids it.
        if client.is_none() && epochs.latest_app > epoch {
            return;
        }
        if let (Ok(mut clients), Ok(mut by_app)) = (self.clients.write(), self.by_app.write()) {
            if clients.len() >= MAX_ENTRIES {
                clients.clear();
                by_app.clear();
            }
            if let Some(c) = &client {
                by_app.insert(c.app.id.clone(), client_id.to_owned());
            }
            clients.insert(client_id.to_owned(), client);
        }
    }

    /// An app changed (its status, keys, or one of its grants).
    pub(crate) fn app_changed(&self, app_id: &str) {
        let epoch = self.epoch.fetch_add(1, Ordering::SeqCst) + 1;
        if let Ok(mut epochs) = self.epochs.lock() {
            if epochs.apps.len() > 100_000 {
                epochs.apps.clear();
                epochs.all = epoch;
            }
            epochs.apps.insert(app_id.to_owned(), epoch);
            epochs.latest_app = epoch;
        }
        if let (Ok(mut clients), Ok(mut by_app)) = (self.clients.write(), self.by_app.write()) {
            if let Some(client_id) = by_app.remove(app_id) {
                clients.remove(&client_id);
            }
            // Unknown clients may be this app, newly registered.
            clients.retain(|_, c| c.is_some());
        }
    }

    /// Something changed that cannot be tied to one app: drop every client.
    pub(crate) fn everything_changed(&self) {
        let epoch = self.epoch.fetch_add(1, Ordering::SeqCst) + 1;
        if let Ok(mut epochs) = self.epochs.lock() {
            epochs.apps.clear();
            epochs.all = epoch;
        }
        if let (Ok(mut clients), Ok(mut by_app)) = (self.clients.write(), self.by_app.write()) {
            clients.clear();
            by_app.clear();
        }
        self.holders_changed();
    }

    /// A tenant changed (status, name, slug).
    pub(crate) fn holders_changed(&self) {
        self.holders_epoch.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut h) = self.holders.write() {
            h.clear();
        }
    }

    pub(crate) fn holders_epoch(&self) -> u64 {
        self.holders_epoch.load(Ordering::SeqCst)
    }

    pub(crate) fn holder(&self, slug: &str) -> Option<Option<Arc<TenantRecord>>> {
        if !self.is_fresh() {
            return None;
        }
        self.holders.read().ok()?.get(slug).cloned()
    }

    pub(crate) fn put_holder(&self, slug: &str, holder: Option<Arc<TenantRecord>>, epoch: u64) {
        if self.holders_epoch() != epoch {
            return;
        }
        if let Ok(mut h) = self.holders.write() {
            if h.len() >= MAX_ENTRIES {
                h.clear();
            }
            h.insert(slug.to_owned(), holder);
        }
    }

    /// A user, API token or tenant changed: cached principals are dropped.
    pub(crate) fn principals_changed(&self) {
        self.principals_epoch.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut p) = self.principals.write() {
            p.clear();
        }
    }

    pub(crate) fn principals_epoch(&self) -> u64 {
        self.principals_epoch.load(Ordering::SeqCst)
    }

    /// The identity cached for a credential's hash, while the view is fresh and the credential
    /// unexpired, and whether the caller is to read it again: the first caller to find the entry
    /// older than [`PRINCIPAL_TTL`] claims that (the entry is restamped), the others meanwhile
    /// keep using it, so a hot credential's periodic re-read is one reading, not a stampede.
    /// (Liveness does not rest on the re-read: the feed evicts on every change.)
    pub(crate) fn identity(&self, hash: &[u8; 32], now: DateTime<Utc>) -> Option<(Arc<Identity>, bool)> {
        if !self.is_fresh() {
            return None;
        }
        {
            let p = self.principals.read().ok()?;
            let c = p.get(hash).filter(|c| c.value.until > now)?;
            if now - c.at < PRINCIPAL_TTL {
                return Some((c.value.clone(), false));
            }
        }
        let mut p = self.principals.write().ok()?;
        let c = p.get_mut(hash).filter(|c| c.value.until > now)?;
        let due = now - c.at >= PRINCIPAL_TTL;
        if due {
            c.at = now;
        }
        Some((c.value.clone(), due))
    }

    /// Keeps an identity read at `now`, unless a user, token or tenant changed since `epoch`.
    pub(crate) fn put_identity(&self, hash: [u8; 32], identity: Arc<Identity>, now: DateTime<Utc>, epoch: u64) {
        if self.principals_epoch() != epoch {
            return;
        }
        if let Ok(mut p) = self.principals.write() {
            if p.len() >= MAX_ENTRIES {
                p.clear();
            }
            p.insert(hash, Cached { value: identity, at: now });
        }
    }

    /// Whether the access token with this `jti` was revoked.
    #[must_use]
    pub fn is_revoked(&self, jti: &str) -> bool {
        self.revoked.read().is_ok_and(|r| r.contains_key(jti))
    }

    /// Marks an access token revoked until it would have expired anyway.
    pub(crate) fn revoke(&self, jti: &str, expires_at: DateTime<Utc>) {
        if let Ok(mut r) = self.revoked.write() {
            r.insert(jti.to_owned(), expires_at);
        }
    }

    /// Forgets revocations of tokens that have expired anyway.
    pub(crate) fn prune_revoked(&self, now: DateTime<Utc>) {
        if let Ok(mut r) = self.revoked.write() {
            r.retain(|_, exp| *exp > now);
        }
    }

    /// How many clients are cached (metrics and tests).
    #[must_use]
    pub fn cached_clients(&self) -> usize {
        self.clients.read().map_or(0, |c| c.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use accord_registry::{AppKind, AppStatus};

    fn client(n: u32) -> Arc<Client> {
        let now = Utc::now();
        let app = AppRecord {
            id: format!("app-{n}"),
            vendor_tenant_id: "vendor".into(),
            name: "Robot".into(),
            description: None,
            kind: AppKind::BackendService,
            public: false,
            client_id: format!("acc_{n}"),
            redirect_uris: vec![],
            launch_url: None,
            jwks_uri: None,
            jwks: None,
            purpose: "Quality".into(),
            business_owner_email: "b@example.org".into(),
            technical_owner_email: "t@example.org".into(),
            status: AppStatus::Active,
            status_reason: None,
            created_at: now,
            updated_at: now,
        };
        Arc::new(Client::new(app, &[]))
    }

    fn fresh() -> View {
        let v = View::default();
        v.confirm();
        v
    }

    #[test]
    fn a_load_that_raced_a_change_of_its_app_is_used_once_and_not_kept() {
        let v = fresh();
        let before = v.epoch();
        v.app_changed("app-1");
        v.put_client("acc_1", Some(client(1)), before);
        assert!(v.client("acc_1").is_none(), "read before the change: not cached");
        v.put_client("acc_2", Some(client(2)), before);
        assert!(v.client("acc_2").is_some_and(|c| c.is_some()), "another app's load stays");
        let now = v.epoch();
        v.put_client("acc_1", Some(client(1)), now);
        assert!(v.client("acc_1").is_some_and(|c| c.is_some()), "read after the change: cached");
        v.app_changed("app-1");
        assert!(v.client("acc_1").is_none(), "dropped by the next change");
    }

    #[test]
    fn an_unknown_client_is_forgotten_when_any_app_changes_and_everything_changed_drops_all() {
        let v = fresh();
        let e = v.epoch();
        v.put_client("acc_new", None, e);
        assert!(v.client("acc_new").is_some_and(|c| c.is_none()), "known to be unknown");
        v.app_changed("app-9");
        assert!(v.client("acc_new").is_none(), "an app change may be this client's registration");
        v.put_client("acc_new", None, e);
        assert!(v.client("acc_new").is_none(), "a negative read from before the change is not kept");
        v.put_client("acc_3", Some(client(3)), v.epoch());
        v.everything_changed();
        assert!(v.client("acc_3").is_none());
    }

    #[test]
    fn a_stale_view_answers_nothing_from_cache() {
        let v = View::default();
        v.put_client("acc_4", Some(client(4)), v.epoch());
        assert!(!v.is_fresh());
        assert!(v.client("acc_4").is_none(), "never confirmed by the feed: go to the database");
    }

    fn identity(until: DateTime<Utc>) -> Arc<Identity> {
        use accord_kernel::{Actor, Principal, Role, RoleSet, TenantKind};
        use accord_tenants::{TenantStatus, UserRecord, UserStatus};
        let now = Utc::now();
        let roles = RoleSet::new([Role::Auditor]);
        let principal = Principal {
            tenant_kind: TenantKind::Provider,
            tenant_id: "t".into(),
            user_id: "u".into(),
            roles: roles.clone(),
            actor: Actor::User { user_id: "u".into() },
            session: None,
        };
        let user = UserRecord {
            id: "u".into(),
            tenant_id: "t".into(),
            email: "u@example.org".into(),
            name: "U".into(),
            roles,
            status: UserStatus::Active,
            session_version: 1,
            created_at: now,
            updated_at: now,
        };
        let tenant = TenantRecord {
            id: "t".into(),
            name: "T".into(),
            slug: "t".into(),
            kind: TenantKind::Provider,
            status: TenantStatus::Active,
            created_at: now,
        };
        Arc::new(Identity { principal, user, tenant, until })
    }

    #[test]
    fn a_cached_identity_is_reread_by_one_caller_after_the_ttl_and_never_used_past_its_expiry() {
        let v = fresh();
        let t0 = Utc::now();
        let until = t0 + chrono::TimeDelta::seconds(300);
        v.put_identity([1; 32], identity(until), t0, v.principals_epoch());
        assert!(v.identity(&[1; 32], t0).is_some_and(|(_, due)| !due), "fresh: used as is");
        let later = t0 + PRINCIPAL_TTL;
        assert!(v.identity(&[1; 32], later).is_some_and(|(_, due)| due), "the first caller past the TTL reads it again");
        assert!(v.identity(&[1; 32], later).is_some_and(|(_, due)| !due), "the others meanwhile keep it");
        assert!(v.identity(&[1; 32], until).is_none(), "expired: never from cache");
        let e = v.principals_epoch();
        v.principals_changed();
        assert!(v.identity(&[1; 32], t0).is_none(), "a user, token or tenant change drops it");
        v.put_identity([1; 32], identity(until), t0, e);
        assert!(v.identity(&[1; 32], t0).is_none(), "a reading from before the change is not kept");
    }
}
