//! The rules of delivery, with no IO: statuses, the SPEC §6 retry schedule, when an endpoint
//! is given up on, and what a valid endpoint is.

use accord_db::events::EventType;
use chrono::Duration;

macro_rules! statuses {
    ($(#[$doc:meta])* $name:ident, $what:literal, $($variant:ident => $text:literal),+ $(,)?) => {
        $(#[$doc])*
        #[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $(#[doc = $text] $variant),+ }

        impl $name {
            /// The stored (and GraphQL) name.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s { $($text => Ok($name::$variant),)+ _ => Err(format!("unknown {} `{s}`", $what)) }
            }
        }
    };
}

statuses!(
    /// Where a webhook delivery stands (SPEC §6, fixed).
    DeliveryStatus, "delivery status", Pending => "PENDING", Delivered => "DELIVERED", Failed => "FAILED"
);
statuses!(
    /// Where a mail stands.
    MailStatus, "mail status", Pending => "PENDING", Sent => "SENT", Failed => "FAILED"
);

/// SPEC §6: after the immediate first attempt, retries 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and
/// 10 h later; then the delivery is `FAILED`.
pub const RETRY_SCHEDULE: [Duration; 7] = [
    Duration::seconds(5),
    Duration::minutes(5),
    Duration::minutes(30),
    Duration::hours(2),
    Duration::hours(5),
    Duration::hours(10),
    Duration::hours(10),
];

/// Attempts a delivery gets in all (the first plus every retry of the schedule).
pub const MAX_ATTEMPTS: i32 = RETRY_SCHEDULE.len() as i32 + 1;

/// An endpoint failing without a single success for this long is disabled (SPEC §6).
pub const FAILING_LIMIT: Duration = Duration::days(5);

/// How long the secret replaced by `rotateWebhookSecret` still signs (SPEC §6).
pub const ROTATION_GRACE: Duration = Duration::hours(24);

/// The longest `Retry-After` honoured; a receiver cannot park a delivery for longer.
pub const MAX_RETRY_AFTER: Duration = Duration::hours(24);

/// The wait before the retry that follows `attempts_made` failed attempts, `None` when the
/// schedule is spent. `jitter` in `[-1, 1]` moves the wait by up to 10 %, so a receiver that
/// comes back is not hit by every retry in the same second.
#[must_use]
pub fn retry_delay(attempts_made: i32, jitter: f64) -> Option<Duration> {
    let idx = usize::try_from(attempts_made.checked_sub(1)?).ok()?;
    let base = *RETRY_SCHEDULE.get(idx)?;
    let ms = base.num_milliseconds() as f64;
    Some(Duration::milliseconds((ms + ms * 0.1 * jitter.clamp(-1.0, 1.0)).round() as i64))
}

/// Mail retries after transient SMTP failures: 30 s doubling to at most 2 h, 20 attempts in all
/// (about a day and a half) before the mail is `FAILED` and shown as such.
pub const MAIL_MAX_ATTEMPTS: i32 = 20;

/// The wait before the next mail attempt after `attempts_made` transient failures.
#[must_use]
pub fn mail_retry_delay(attempts_made: i32) -> Option<Duration> {
    if attempts_made >= MAIL_MAX_ATTEMPTS {
        return None;
    }
    let shift = u32::try_from(attempts_made.clamp(1, 12) - 1).unwrap_or(0);
    Some(Duration::seconds(30 * (1_i64 << shift)).min(Duration::hours(2)))
}

/// Event types an endpoint subscribes to: SPEC §6 names, at least one, no repeats.
///
/// # Errors
/// A message naming the unknown type.
pub fn event_types(raw: &[String]) -> Result<Vec<EventType>, String> {
    if raw.is_empty() {
        return Err("eventTypes: name at least one event type".into());
    }
    let mut out = Vec::new();
    for t in raw {
        let parsed = t.trim().parse::<EventType>().map_err(|e| format!("eventTypes: {e}; known types: {}", known_types()))?;
        if !out.contains(&parsed) {
            out.push(parsed);
        }
    }
    Ok(out)
}

fn known_types() -> String {
    EventType::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", ")
}

/// The longest endpoint URL accepted.
pub const MAX_URL_LEN: usize = 2048;

/// An endpoint URL as given: absolute `https` (plain `http` only where private addresses are
/// allowed, i.e. development), no credentials, no fragment. Where it resolves is checked
/// separately ([`crate::ssrf`]).
///
/// # Errors
/// A message naming the field and the problem.
pub fn endpoint_url(raw: &str, allow_private: bool) -> Result<url::Url, String> {
    let raw = raw.trim();
    if raw.len() > MAX_URL_LEN {
        return Err(format!("url: at most {MAX_URL_LEN} characters"));
    }
    let url = url::Url::parse(raw).map_err(|e| format!("url: not an absolute URL ({e})"))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_private => {}
        "http" => return Err("url: must use https".into()),
        other => return Err(format!("url: scheme `{other}` is not https")),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("url: has no host".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("url: must not carry a user name or password (the signature authenticates Accord)".into());
    }
    if url.fragment().is_some() {
        return Err("url: must not have a #fragment".into());
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_retry_schedule_is_the_one_of_the_spec_with_ten_percent_jitter() {
        let plain: Vec<i64> = (1..=7).map(|n| retry_delay(n, 0.0).map_or(-1, |d| d.num_seconds())).collect();
        assert_eq!(plain, [5, 300, 1800, 7200, 18000, 36000, 36000]);
        assert_eq!(retry_delay(8, 0.0), None, "eight attempts in all, then FAILED");
        assert_eq!(MAX_ATTEMPTS, 8);
        assert_eq!(retry_delay(1, 1.0), Some(Duration::milliseconds(5500)));
        assert_eq!(retry_delay(1, -5.0), Some(Duration::milliseconds(4500)));
        assert_eq!(retry_delay(0, 0.0), None);
    }

    #[test]
    fn mail_retries_back_off_to_two_hours_and_stop_after_twenty_attempts() {
        assert_eq!(mail_retry_delay(1), Some(Duration::seconds(30)));
        assert_eq!(mail_retry_delay(2), Some(Duration::seconds(60)));
        assert_eq!(mail_retry_delay(19), Some(Duration::hours(2)));
        assert_eq!(mail_retry_delay(20), None);
    }

    #[test]
    fn endpoint_urls_must_be_https_without_credentials_or_fragments() {
        assert!(endpoint_url("https://hooks.example.org/accord", false).is_ok());
        assert_eq!(endpoint_url("http://hooks.example.org/", false).err().as_deref(), Some("url: must use https"));
        assert!(endpoint_url("http://127.0.0.1:9000/", true).is_ok());
        assert!(endpoint_url("ftp://x.org/", true).is_err_and(|e| e.contains("scheme")));
        assert!(endpoint_url("https://u:p@x.org/", false).is_err_and(|e| e.contains("password")));
        assert!(endpoint_url("https://x.org/#a", false).is_err_and(|e| e.contains("fragment")));
        assert!(endpoint_url("not a url", false).is_err_and(|e| e.starts_with("url:")));
        assert!(endpoint_url(&format!("https://x.org/{}", "a".repeat(3000)), false).is_err_and(|e| e.contains("2048")));
    }

    #[test]
    fn event_types_are_the_spec_names_deduplicated() {
        assert_eq!(event_types(&["grant.created".into(), "grant.created".into()]), Ok(vec![EventType::GrantCreated]));
        assert!(event_types(&[]).is_err_and(|e| e.starts_with("eventTypes:")));
        assert!(event_types(&["grant.made".into()]).is_err_and(|e| e.contains("grant.made")));
    }
}
