//! Configuration: environment over an optional `accord.toml` over defaults (SPEC §9), loaded
//! once in `main` and passed down explicitly. Unknown keys and invalid values are refused with
//! a message naming each of them, so a typo never silently falls back to a default.

use crate::TenantKind;
use ipnet::IpNet;
use secrecy::SecretString;
use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable, for development.
    Pretty,
    /// One JSON object per line, for production.
    Json,
}

/// Every setting Accord reads. Build with [`Settings::load`] or, in tests, [`Settings::for_data_dir`].
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where the embedded database, the generated key and emails-as-files live.
    pub data_dir: PathBuf,
    /// `None`: an embedded SQLite file in the data dir.
    pub database_url: Option<SecretString>,
    /// `None`: in-process cache, locks and rate limits.
    pub redis_url: Option<SecretString>,
    /// Prefix of every Redis key (lets tests and deployments share one Redis).
    pub redis_prefix: String,
    /// `None`: emails are written as `.eml` files under `<data_dir>/outbox`.
    pub smtp_url: Option<SecretString>,
    /// Address to listen on.
    pub bind: String,
    /// Master key for sessions and encryption at rest; `None`: generated once into the data dir.
    pub secret_key: Option<SecretString>,
    /// The URL people and integrations reach Accord at (links in emails, token issuers).
    pub public_url: String,
    /// Which tenant kinds may sign up themselves.
    pub signup_kinds: Vec<TenantKind>,
    /// Whether webhook endpoints may point at private or loopback addresses.
    pub webhook_allow_private: bool,
    /// How long a webhook receiver has to answer before the attempt counts as failed (1–15 s).
    pub webhook_timeout_secs: u64,
    /// The `From` of every mail Accord sends.
    pub mail_from: String,
    /// When the worker runs each scheduled job (cron with seconds).
    pub schedules: Schedules,
    /// The tracing filter (`RUST_LOG`).
    pub log_filter: String,
    /// Log output format.
    pub log_format: LogFormat,
    /// Whether GraphQL introspection (and so GraphiQL's schema view) is available.
    pub graphql_introspection: bool,
    /// Lifetime of a session JWT, in minutes.
    pub session_ttl_minutes: i64,
    /// A second listener that serves only `/metrics` (an internal port for Prometheus);
    /// `None`: `/metrics` is served on the main listener.
    pub metrics_bind: Option<SocketAddr>,
    /// Proxies whose `X-Forwarded-For` names the client for rate limits and audit; empty: the
    /// TCP peer is the client.
    pub trusted_proxies: Vec<IpNet>,
    /// Where traces go over OTLP/HTTP (`OTEL_EXPORTER_OTLP_ENDPOINT`, e.g.
    /// `http://otel-collector:4318`); unset: no tracing export at all.
    pub otlp_endpoint: Option<String>,
}

/// When the worker runs each job: cron expressions with a seconds field (`sec min hour day
/// month weekday`), UTC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedules {
    /// The expiry sweep (default every minute).
    pub expiry: String,
    /// Expiry reminders (default hourly).
    pub reminders: String,
    /// Reviews (default hourly, five minutes past).
    pub reviews: String,
    /// Credential notices (default daily at 03:00).
    pub credentials: String,
}

impl Default for Schedules {
    fn default() -> Self {
        Self {
            expiry: "0 * * * * *".into(),
            reminders: "0 0 * * * *".into(),
            reviews: "0 5 * * * *".into(),
            credentials: "0 0 3 * * *".into(),
        }
    }
}

/// A cron expression with seconds, checked.
fn cron(raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    if raw.split_whitespace().count() != 6 {
        return Err(format!("`{raw}` is not a cron expression with seconds (sec min hour day month weekday)"));
    }
    croner::parser::CronParser::builder()
        .seconds(croner::parser::Seconds::Required)
        .build()
        .parse(raw)
        .map_err(|e| format!("`{raw}` is not a valid cron expression: {e}"))?;
    Ok(raw.to_owned())
}

/// A configuration problem, naming the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {message}")]
pub struct ConfigError {
    /// The environment variable or `accord.toml` key.
    pub key: String,
    /// What is wrong with it.
    pub message: String,
}

/// All the problems found, reported together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid configuration:\n  {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n  "))]
pub struct ConfigErrors(pub Vec<ConfigError>);

/// `(accord.toml key, environment variable)`.
const KEYS: &[(&str, &str)] = &[
    ("data_dir", "ACCORD_DATA_DIR"),
    ("database_url", "DATABASE_URL"),
    ("redis_url", "REDIS_URL"),
    ("redis_prefix", "ACCORD_REDIS_PREFIX"),
    ("smtp_url", "SMTP_URL"),
    ("bind", "ACCORD_BIND"),
    ("secret_key", "ACCORD_SECRET_KEY"),
    ("public_url", "ACCORD_PUBLIC_URL"),
    ("signup_kinds", "ACCORD_SIGNUP_KINDS"),
    ("webhook_allow_private", "ACCORD_WEBHOOK_ALLOW_PRIVATE"),
    ("webhook_timeout_secs", "ACCORD_WEBHOOK_TIMEOUT_SECS"),
    ("mail_from", "ACCORD_MAIL_FROM"),
    ("schedule_expiry", "ACCORD_SCHEDULE_EXPIRY"),
    ("schedule_reminders", "ACCORD_SCHEDULE_REMINDERS"),
    ("schedule_reviews", "ACCORD_SCHEDULE_REVIEWS"),
    ("schedule_credentials", "ACCORD_SCHEDULE_CREDENTIALS"),
    ("log", "RUST_LOG"),
    ("log_format", "ACCORD_LOG_FORMAT"),
    ("graphql_introspection", "ACCORD_GRAPHQL_INTROSPECTION"),
    ("session_ttl_minutes", "ACCORD_SESSION_TTL_MINUTES"),
    ("metrics_bind", "ACCORD_METRICS_BIND"),
    ("trusted_proxies", "ACCORD_TRUSTED_PROXIES"),
    ("otlp_endpoint", "OTEL_EXPORTER_OTLP_ENDPOINT"),
];

/// `ACCORD_*` variables that are not settings: the config file path, the build's portal switch
/// (`services/gateway/build.rs`) and test-harness switches (an exported one must not stop a
/// server started from the same shell).
const NOT_SETTINGS: &[&str] = &["ACCORD_CONFIG", "ACCORD_SKIP_FRONTEND_BUILD"];
const NOT_SETTINGS_PREFIXES: &[&str] = &["ACCORD_TEST_", "ACCORD_FUZZ_", "ACCORD_BENCH_", "ACCORD_E2E_"];

impl Settings {
    /// Defaults for a data dir, as `accord serve` would run with nothing configured.
    #[must_use]
    pub fn for_data_dir(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            database_url: None,
            redis_url: None,
            redis_prefix: "accord:".into(),
            smtp_url: None,
            bind: "127.0.0.1:8080".into(),
            secret_key: None,
            public_url: "http://127.0.0.1:8080".into(),
            signup_kinds: vec![TenantKind::Developer],
            webhook_allow_private: false,
            webhook_timeout_secs: 15,
            mail_from: "Accord <noreply@accord.localhost>".into(),
            schedules: Schedules::default(),
            log_filter: "info".into(),
            log_format: LogFormat::Pretty,
            graphql_introspection: true,
            session_ttl_minutes: 12 * 60,
            metrics_bind: None,
            trusted_proxies: Vec::new(),
            otlp_endpoint: None,
        }
    }

    /// Loads from the process environment and `ACCORD_CONFIG` (or `./accord.toml` if present).
    ///
    /// # Errors
    /// Every unknown key and invalid value, each named.
    pub fn load() -> Result<Self, ConfigErrors> {
        let env: BTreeMap<String, String> = std::env::vars().collect();
        let file = env.get("ACCORD_CONFIG").map(PathBuf::from).or_else(|| Some(PathBuf::from("accord.toml")).filter(|p| p.exists()));
        let text = match &file {
            Some(p) => Some(std::fs::read_to_string(p).map_err(|e| {
                ConfigErrors(vec![ConfigError { key: "ACCORD_CONFIG".into(), message: format!("cannot read {}: {e}", p.display()) }])
            })?),
            None => None,
        };
        Self::from_sources(&env, text.as_deref())
    }

    /// Builds settings from an environment map and optional `accord.toml` text.
    ///
    /// # Errors
    /// Every unknown key and invalid value, each named.
    pub fn from_sources(env: &BTreeMap<String, String>, toml_text: Option<&str>) -> Result<Self, ConfigErrors> {
        let mut errors = Vec::new();
        let mut values: BTreeMap<&str, (String, String)> = BTreeMap::new();

        if let Some(text) = toml_text {
            match text.parse::<toml::Table>() {
                Ok(table) => {
                    for (k, v) in table {
                        let Some((key, _)) = KEYS.iter().find(|(t, _)| *t == k) else {
                            errors.push(err(&k, "unknown key in accord.toml"));
                            continue;
                        };
                        let s = match v {
                            toml::Value::String(s) => s,
                            toml::Value::Integer(i) => i.to_string(),
                            toml::Value::Boolean(b) => b.to_string(),
                            toml::Value::Array(a) => {
                                a.iter().map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned)).collect::<Vec<_>>().join(",")
                            }
                            other => {
                                errors.push(err(&k, format!("unsupported value {other}")));
                                continue;
                            }
                        };
                        values.insert(key, (s, format!("accord.toml `{k}`")));
                    }
                }
                Err(e) => errors.push(err("accord.toml", e.message())),
            }
        }
        for (name, value) in env {
            if let Some((key, var)) = KEYS.iter().find(|(_, v)| v == name) {
                values.insert(key, (value.clone(), (*var).to_owned()));
            } else if name.starts_with("ACCORD_")
                && !NOT_SETTINGS.contains(&name.as_str())
                && !NOT_SETTINGS_PREFIXES.iter().any(|p| name.starts_with(p))
            {
                errors.push(err(name, "unknown setting"));
            }
        }

        let data_dir = values.get("data_dir").map_or_else(|| PathBuf::from("./data"), |(v, _)| PathBuf::from(v));
        let mut s = Self::for_data_dir(data_dir);
        for (key, (raw, source)) in &values {
            if let Err(message) = s.apply(key, raw) {
                errors.push(err(source, message));
            }
        }
        if !values.contains_key("public_url") {
            s.public_url = format!("http://{}", s.bind);
        }
        if let (Some(metrics), Some((_, source))) = (s.metrics_bind, values.get("metrics_bind"))
            && metrics.port() != 0
            && s.bind.parse::<SocketAddr>().is_ok_and(|b| b == metrics)
        {
            errors.push(err(source, "must differ from the main listen address (bind)"));
        }
        if errors.is_empty() { Ok(s) } else { Err(ConfigErrors(errors)) }
    }

    fn apply(&mut self, key: &str, raw: &str) -> Result<(), String> {
        let secret = |v: &str| -> Option<SecretString> { (!v.is_empty()).then(|| SecretString::from(v.to_owned())) };
        match key {
            "data_dir" => {
                if raw.trim().is_empty() {
                    return Err("must not be empty".into());
                }
            }
            "database_url" => {
                if !(raw.is_empty() || raw.starts_with("postgres://") || raw.starts_with("postgresql://") || raw.starts_with("sqlite:")) {
                    return Err("must start with postgres://, postgresql:// or sqlite:".into());
                }
                self.database_url = secret(raw);
            }
            "redis_url" => {
                if !(raw.is_empty() || raw.starts_with("redis://") || raw.starts_with("rediss://")) {
                    return Err("must start with redis:// or rediss://".into());
                }
                self.redis_url = secret(raw);
            }
            "redis_prefix" => self.redis_prefix = raw.to_owned(),
            "smtp_url" => {
                if !(raw.is_empty() || raw.starts_with("smtp://") || raw.starts_with("smtps://")) {
                    return Err("must start with smtp:// or smtps://".into());
                }
                self.smtp_url = secret(raw);
            }
            "bind" => {
                raw.parse::<std::net::SocketAddr>().map_err(|_| format!("`{raw}` is not an address like 127.0.0.1:8080"))?;
                raw.clone_into(&mut self.bind);
            }
            "secret_key" => {
                if raw.len() < 32 {
                    return Err("must be at least 32 characters".into());
                }
                self.secret_key = secret(raw);
            }
            "public_url" => {
                if !(raw.starts_with("http://") || raw.starts_with("https://")) {
                    return Err("must be an absolute http(s) URL".into());
                }
                self.public_url = raw.trim_end_matches('/').to_owned();
            }
            "signup_kinds" => {
                let mut kinds = Vec::new();
                for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    kinds.push(part.parse::<TenantKind>()?);
                }
                self.signup_kinds = kinds;
            }
            "webhook_allow_private" => self.webhook_allow_private = parse_bool(raw)?,
            "webhook_timeout_secs" => {
                let t: u64 = raw.parse().map_err(|_| format!("`{raw}` is not a whole number"))?;
                if !(1..=15).contains(&t) {
                    return Err("must be between 1 and 15 seconds (SPEC §6: a 2xx within 15 s is success)".into());
                }
                self.webhook_timeout_secs = t;
            }
            "schedule_expiry" => self.schedules.expiry = cron(raw)?,
            "schedule_reminders" => self.schedules.reminders = cron(raw)?,
            "schedule_reviews" => self.schedules.reviews = cron(raw)?,
            "schedule_credentials" => self.schedules.credentials = cron(raw)?,
            "mail_from" => {
                if raw.trim().is_empty() || !raw.contains('@') {
                    return Err("must be a mail address such as `Accord <noreply@example.org>`".into());
                }
                raw.trim().clone_into(&mut self.mail_from);
            }
            "log" => raw.clone_into(&mut self.log_filter),
            "log_format" => {
                self.log_format = match raw.to_ascii_lowercase().as_str() {
                    "pretty" => LogFormat::Pretty,
                    "json" => LogFormat::Json,
                    _ => return Err(format!("`{raw}` is not pretty or json")),
                }
            }
            "graphql_introspection" => self.graphql_introspection = parse_bool(raw)?,
            "session_ttl_minutes" => {
                let m: i64 = raw.parse().map_err(|_| format!("`{raw}` is not a whole number"))?;
                if !(5..=7 * 24 * 60).contains(&m) {
                    return Err("must be between 5 and 10080 minutes".into());
                }
                self.session_ttl_minutes = m;
            }
            "metrics_bind" => {
                self.metrics_bind = if raw.trim().is_empty() {
                    None
                } else {
                    Some(raw.trim().parse().map_err(|_| format!("`{raw}` is not an address like 127.0.0.1:9100"))?)
                };
            }
            "trusted_proxies" => self.trusted_proxies = parse_networks(raw)?,
            "otlp_endpoint" => {
                let raw = raw.trim();
                self.otlp_endpoint = if raw.is_empty() {
                    None
                } else if (raw.starts_with("http://") || raw.starts_with("https://")) && raw.len() > "https://".len() {
                    Some(raw.trim_end_matches('/').to_owned())
                } else {
                    return Err(format!("`{raw}` is not an http(s) URL such as http://otel-collector:4318"));
                };
            }
            _ => return Err("unknown setting".into()),
        }
        Ok(())
    }

    /// The SQLite file used when no `DATABASE_URL` is set.
    #[must_use]
    pub fn sqlite_path(&self) -> PathBuf {
        self.data_dir.join("accord.db")
    }

    /// Where emails go when no `SMTP_URL` is set.
    #[must_use]
    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }

    /// The file the generated secret key is kept in.
    #[must_use]
    pub fn generated_key_path(&self) -> PathBuf {
        self.data_dir.join("secret.key")
    }
}

fn parse_bool(raw: &str) -> Result<bool, String> {
    match raw.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(format!("`{raw}` is not true or false")),
    }
}

/// Comma-separated CIDRs (`10.0.0.0/8, 2001:db8::/32`); a bare address is a single host.
/// Host bits are cleared, so `10.1.2.3/8` means `10.0.0.0/8`.
fn parse_networks(raw: &str) -> Result<Vec<IpNet>, String> {
    let mut nets = Vec::new();
    let mut bad = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.parse::<IpNet>().or_else(|_| part.parse::<IpAddr>().map(IpNet::from)) {
            Ok(net) => nets.push(net.trunc()),
            Err(_) => bad.push(format!("`{part}`")),
        }
    }
    if bad.is_empty() {
        Ok(nets)
    } else {
        let what = if bad.len() == 1 { "is not a CIDR" } else { "are not CIDRs" };
        Err(format!("{} {what} like 10.0.0.0/8 or 2001:db8::/32", bad.join(", ")))
    }
}

fn err(key: &str, message: impl Into<String>) -> ConfigError {
    ConfigError { key: key.to_owned(), message: message.into() }
}

/// Ensures a directory exists.
///
/// # Errors
/// When it cannot be created.
pub fn ensure_dir(p: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn nothing_set_gives_the_embedded_defaults() {
        let s = Settings::from_sources(&env(&[("PATH", "/bin")]), None).unwrap();
        assert_eq!(s.bind, "127.0.0.1:8080");
        assert_eq!(s.data_dir, PathBuf::from("./data"));
        assert!(s.database_url.is_none() && s.redis_url.is_none() && s.smtp_url.is_none());
        assert_eq!(s.signup_kinds, vec![TenantKind::Developer]);
        assert_eq!(s.public_url, "http://127.0.0.1:8080");
    }

    #[test]
    fn environment_wins_over_the_file() {
        let s = Settings::from_sources(
            &env(&[("ACCORD_BIND", "127.0.0.1:9000")]),
            Some("bind = \"127.0.0.1:7000\"\nsignup_kinds = [\"developer\", \"payer\"]\n"),
        )
        .unwrap();
        assert_eq!(s.bind, "127.0.0.1:9000");
        assert_eq!(s.signup_kinds, vec![TenantKind::Developer, TenantKind::Payer]);
    }

    #[test]
    fn unknown_keys_and_bad_values_are_all_named() {
        let e = Settings::from_sources(
            &env(&[("ACCORD_SINGUP_KINDS", "PAYER"), ("ACCORD_BIND", "localhost"), ("ACCORD_TEST_POSTGRES_URL", "x")]),
            Some("colour = \"blue\"\n"),
        )
        .unwrap_err();
        let text = e.to_string();
        assert!(text.contains("ACCORD_SINGUP_KINDS: unknown setting"), "{text}");
        assert!(text.contains("ACCORD_BIND: `localhost` is not an address"), "{text}");
        assert!(text.contains("colour: unknown key"), "{text}");
        assert_eq!(e.0.len(), 3, "{text}");
    }

    #[test]
    fn the_otlp_endpoint_is_off_unless_set_and_must_be_an_http_url() {
        assert_eq!(Settings::from_sources(&env(&[]), None).unwrap().otlp_endpoint, None);
        let s = Settings::from_sources(&env(&[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector:4318/")]), None).unwrap();
        assert_eq!(s.otlp_endpoint.as_deref(), Some("http://otel-collector:4318"));
        let e = Settings::from_sources(&env(&[("OTEL_EXPORTER_OTLP_ENDPOINT", "otel-collector:4317")]), None).unwrap_err().to_string();
        assert!(e.contains("OTEL_EXPORTER_OTLP_ENDPOINT: `otel-collector:4317` is not an http(s) URL"), "{e}");
        let e = Settings::from_sources(&env(&[("ACCORD_E2E_BASE_URL", "x"), ("ACCORD_SKIP_FRONTEND_BUILD", "1")]), None);
        assert!(e.is_ok(), "build and browser-suite switches are not settings: {e:?}");
    }

    #[test]
    fn metrics_bind_is_optional_and_must_be_an_address_other_than_bind() {
        let s = Settings::from_sources(&env(&[]), None).unwrap();
        assert_eq!(s.metrics_bind, None);
        let s = Settings::from_sources(&env(&[("ACCORD_METRICS_BIND", "127.0.0.1:9100")]), None).unwrap();
        assert_eq!(s.metrics_bind, Some("127.0.0.1:9100".parse().unwrap()));
        let s = Settings::from_sources(&env(&[]), Some("metrics_bind = \"0.0.0.0:9100\"\n")).unwrap();
        assert_eq!(s.metrics_bind, Some("0.0.0.0:9100".parse().unwrap()));
        let e = Settings::from_sources(&env(&[("ACCORD_METRICS_BIND", "localhost:9100")]), None).unwrap_err();
        assert!(e.to_string().contains("ACCORD_METRICS_BIND: `localhost:9100` is not an address"), "{e}");
        let e = Settings::from_sources(&env(&[]), Some("bind = \"127.0.0.1:9000\"\nmetrics_bind = \"127.0.0.1:9000\"\n")).unwrap_err();
        assert!(e.to_string().contains("accord.toml `metrics_bind`: must differ from the main listen address"), "{e}");
    }

    #[test]
    fn trusted_proxies_are_cidrs_and_bad_ones_are_named() {
        let s = Settings::from_sources(&env(&[]), None).unwrap();
        assert!(s.trusted_proxies.is_empty());
        let s = Settings::from_sources(&env(&[("ACCORD_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1/32,2001:db8::/32, 192.168.1.7")]), None)
            .unwrap();
        let nets: Vec<String> = s.trusted_proxies.iter().map(ToString::to_string).collect();
        assert_eq!(nets, ["10.0.0.0/8", "127.0.0.1/32", "2001:db8::/32", "192.168.1.7/32"]);
        let s = Settings::from_sources(&env(&[]), Some("trusted_proxies = [\"10.1.2.3/8\", \"fd00::/8\"]\n")).unwrap();
        let nets: Vec<String> = s.trusted_proxies.iter().map(ToString::to_string).collect();
        assert_eq!(nets, ["10.0.0.0/8", "fd00::/8"]);
        let e = Settings::from_sources(&env(&[("ACCORD_TRUSTED_PROXIES", "10.0.0.0/33,proxy.internal,127.0.0.1/32")]), None).unwrap_err();
        assert!(e.to_string().contains("ACCORD_TRUSTED_PROXIES: `10.0.0.0/33`, `proxy.internal` are not CIDRs like 10.0.0.0/8"), "{e}");
    }

    #[test]
    fn job_schedules_default_to_the_spec_and_a_bad_one_is_named_by_its_key() {
        let d = Settings::from_sources(&env(&[]), None).unwrap().schedules;
        assert_eq!(d, Schedules::default());
        assert_eq!((d.expiry.as_str(), d.reminders.as_str()), ("0 * * * * *", "0 0 * * * *"), "every minute, hourly");
        let s = Settings::from_sources(&env(&[("ACCORD_SCHEDULE_EXPIRY", " */10 * * * * * ")]), None).unwrap();
        assert_eq!(s.schedules.expiry, "*/10 * * * * *");
        let e = Settings::from_sources(
            &env(&[("ACCORD_SCHEDULE_REVIEWS", "0 * * * *"), ("ACCORD_SCHEDULE_CREDENTIALS", "0 0 25 * * *")]),
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("ACCORD_SCHEDULE_REVIEWS: `0 * * * *` is not a cron expression with seconds"), "{e}");
        assert!(e.contains("ACCORD_SCHEDULE_CREDENTIALS: `0 0 25 * * *` is not a valid cron expression"), "{e}");
    }

    #[test]
    fn short_secret_keys_are_refused_and_never_echoed() {
        let e = Settings::from_sources(&env(&[("ACCORD_SECRET_KEY", "hunter2")]), None).unwrap_err();
        assert!(e.to_string().contains("ACCORD_SECRET_KEY: must be at least 32"));
        assert!(!e.to_string().contains("hunter2"));
        let ok = Settings::from_sources(&env(&[("ACCORD_SECRET_KEY", &"k".repeat(40))]), None).unwrap();
        assert_eq!(ok.secret_key.unwrap().expose_secret().len(), 40);
    }
}
