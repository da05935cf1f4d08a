//! The service handle: the database, the clock, the sealed-secret key, the SSRF-guarded HTTP
//! client and the mailer, built once from the settings. Its use cases live beside it
//! (`endpoints`, `fanout`, `webhooks`, `mails`, `relay`).

use crate::error::{Error, Result};
use crate::mailer::Mailer;
use crate::metrics::RelayMetrics;
use crate::ssrf::{Guard, HostResolver, SystemResolver};
use accord_db::Db;
use accord_kernel::SharedClock;
use accord_kernel::config::Settings;
use accord_kernel::keys::MasterKey;
use accord_kernel::seal::Sealer;
use std::sync::Arc;
use std::time::Duration;

/// What the relay needs of the settings.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// Where the portal is (links in mail).
    pub public_url: String,
    /// How long a receiver has to answer.
    pub timeout: Duration,
    /// The mail `From`.
    pub mail_from: String,
    /// The domain of `Message-ID`s.
    pub message_domain: String,
}

/// The notifications service. Cheap to clone.
#[derive(Clone)]
pub struct Notifications {
    /// The database.
    pub db: Db,
    /// The clock.
    pub clock: SharedClock,
    pub(crate) config: Arc<Config>,
    pub(crate) sealer: Sealer,
    pub(crate) guard: Guard,
    pub(crate) http: reqwest::Client,
    pub(crate) mailer: Mailer,
    /// Counters of what the relay did (the `/metrics` endpoint reads them).
    pub metrics: Arc<RelayMetrics>,
}

impl std::fmt::Debug for Notifications {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Notifications").field("mailer", &self.mailer.describe()).finish_non_exhaustive()
    }
}

impl Notifications {
    /// The service from the settings: `SMTP_URL` (or `.eml` files in the data dir), the public
    /// URL, the SSRF rule and the receiver timeout; webhook secrets sealed under a key derived
    /// from the master key.
    ///
    /// # Errors
    /// When `SMTP_URL` is unusable or the HTTP client cannot be built.
    pub fn new(db: Db, clock: SharedClock, settings: &Settings, key: &MasterKey) -> Result<Self> {
        let mailer = Mailer::from_settings(settings.smtp_url.as_ref().map(secrecy::ExposeSecret::expose_secret), &settings.mail_dir())
            .map_err(|e| Error::Invalid(e.to_string()))?;
        let message_domain =
            url::Url::parse(&settings.public_url).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_else(|| "accord".into());
        let config = Config {
            public_url: settings.public_url.clone(),
            timeout: Duration::from_secs(settings.webhook_timeout_secs),
            mail_from: settings.mail_from.clone(),
            message_domain,
        };
        let guard = Guard::new(Arc::new(SystemResolver), settings.webhook_allow_private);
        let http = http_client(&guard, config.timeout)?;
        Ok(Self {
            db,
            clock,
            config: Arc::new(config),
            sealer: Sealer::new(key, "webhook-secrets"),
            guard,
            http,
            mailer,
            metrics: Arc::new(RelayMetrics::default()),
        })
    }

    /// The same service resolving host names with `resolver` (tests simulate DNS rebinding).
    ///
    /// # Errors
    /// When the HTTP client cannot be built.
    pub fn with_resolver(mut self, resolver: Arc<dyn HostResolver>) -> Result<Self> {
        self.guard = Guard::new(resolver, self.guard.allows_private());
        self.http = http_client(&self.guard, self.config.timeout)?;
        Ok(self)
    }

    /// Where mail goes, for the start-up log (never credentials).
    #[must_use]
    pub fn mail_destination(&self) -> String {
        self.mailer.describe()
    }
}

/// The webhook client: no redirects (SPEC §6: a redirect is a failure), the receiver timeout
/// on the whole exchange, and the SSRF guard as its only resolver.
fn http_client(guard: &Guard, timeout: Duration) -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(5)))
        .pool_max_idle_per_host(16)
        .user_agent(concat!("Accord-Webhooks/", env!("CARGO_PKG_VERSION")))
        .dns_resolver(Arc::new(guard.clone()))
        .build()
        .map_err(Error::upstream)
}
