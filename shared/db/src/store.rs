//! State that must be shared between replicas: rate-limit counters and throttles now; decision
//! caches, locks and replay caches later. Backed by Redis when `REDIS_URL` is set (so limits
//! hold across processes), by an in-process map otherwise. Every key is prefixed, so
//! deployments and tests can share one Redis without seeing each other's keys.

use redis::aio::ConnectionManager;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

/// A store failure. Callers fail closed (a limit that cannot be checked refuses).
#[derive(Debug, thiserror::Error)]
#[error("shared store unavailable")]
pub struct StoreError(#[source] pub Box<dyn std::error::Error + Send + Sync>);

impl accord_kernel::Classify for StoreError {
    fn kind(&self) -> accord_kernel::ErrorKind {
        accord_kernel::ErrorKind::Internal
    }
}

impl From<redis::RedisError> for StoreError {
    fn from(e: redis::RedisError) -> Self {
        Self(Box::new(e))
    }
}

/// How long a Redis call may take before the caller gives up (and fails closed).
const REDIS_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Default)]
struct Memory {
    counters: HashMap<String, (u64, Instant)>,
    values: HashMap<String, (String, Instant)>,
    throttles: HashMap<String, Attempts>,
}

/// A throttle's state: attempts counted, and when the last one was counted (ms, caller's clock).
#[derive(Debug, Clone, Copy, Default)]
struct Attempts {
    n: u64,
    last_ms: i64,
}

/// The in-process map forgets idle throttles once it holds this many, so a flood of distinct
/// keys cannot grow it without bound.
const MEMORY_THROTTLE_PRUNE_AT: usize = 10_000;

/// How a throttle counts and backs off (the same for every key of one call).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// A key with no counted attempt for this long starts again from zero.
    pub window: Duration,
    /// The wait after the attempt that reaches a key's maximum; it doubles with every further
    /// counted attempt.
    pub base_backoff: Duration,
    /// The longest wait.
    pub max_backoff: Duration,
}

impl ThrottlePolicy {
    /// The wait after the `n`-th counted attempt of a key whose maximum is `max` (zero below it).
    #[must_use]
    pub fn backoff(&self, n: u64, max: u64) -> Duration {
        if n < max {
            return Duration::ZERO;
        }
        match u32::try_from(n - max) {
            Ok(doublings) if doublings < 31 => self.base_backoff.saturating_mul(1u32 << doublings).min(self.max_backoff),
            _ => self.max_backoff,
        }
    }
}

/// One counter an attempt is checked against, and how many attempts it allows before backing off.
#[derive(Debug, Clone, Copy)]
pub struct ThrottleKey<'a> {
    /// The key (the store adds its prefix).
    pub key: &'a str,
    /// Attempts allowed without waiting.
    pub max: u64,
}

/// The answer of [`Store::throttle`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttle {
    /// The attempt may go ahead; it has been counted.
    Allowed,
    /// The attempt must not go ahead; nothing was counted.
    Refused {
        /// How long until the next attempt would be allowed.
        retry_after: Duration,
    },
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// The throttle decision for one key in its current state, on the caller's clock.
fn wait_for(a: Attempts, max: u64, policy: &ThrottlePolicy, now_ms: i64) -> (u64, i64) {
    let n = if a.n > 0 && now_ms.saturating_sub(a.last_ms) >= ms(policy.window) { 0 } else { a.n };
    let elapsed = now_ms.saturating_sub(a.last_ms).max(0);
    let backoff = ms(policy.backoff(n, max));
    (n, (backoff - elapsed).max(0))
}

/// [`Store::throttle`] on Redis, as one atomic script: a hash per key (`n` attempts counted,
/// `last` counted at, in the caller's milliseconds); every key is checked first and only if all
/// allow is the attempt counted on each. Lua numbers are doubles, exact for these integers.
const THROTTLE_LUA: &str = r"
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local base = tonumber(ARGV[3])
local cap = tonumber(ARGV[4])
local wait = 0
local counts = {}
for i, key in ipairs(KEYS) do
  local state = redis.call('HMGET', key, 'n', 'last')
  local n = tonumber(state[1]) or 0
  local last = tonumber(state[2]) or 0
  if n > 0 and now - last >= window then n = 0 end
  local max = tonumber(ARGV[4 + i])
  if n >= max then
    local backoff = cap
    if n - max < 31 then backoff = math.min(base * 2 ^ (n - max), cap) end
    local elapsed = now - last
    if elapsed < 0 then elapsed = 0 end
    if backoff - elapsed > wait then wait = backoff - elapsed end
  end
  counts[i] = n
end
if wait > 0 then return {0, wait} end
for i, key in ipairs(KEYS) do
  redis.call('HSET', key, 'n', counts[i] + 1, 'last', ARGV[1])
  redis.call('PEXPIRE', key, window)
end
return {1, 0}
";

/// [`Store::refund`] on Redis: gives back one counted attempt; an empty key is removed.
const REFUND_LUA: &str = r"
local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0') or 0
if n <= 1 then redis.call('DEL', KEYS[1]) else redis.call('HINCRBY', KEYS[1], 'n', -1) end
return 0
";

static THROTTLE_SCRIPT: LazyLock<redis::Script> = LazyLock::new(|| redis::Script::new(THROTTLE_LUA));
static REFUND_SCRIPT: LazyLock<redis::Script> = LazyLock::new(|| redis::Script::new(REFUND_LUA));

/// The shared store. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    prefix: Arc<str>,
    backend: Backend,
}

#[derive(Clone)]
enum Backend {
    Memory(Arc<Mutex<Memory>>),
    Redis(ConnectionManager),
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("prefix", &self.prefix).field("redis", &self.is_redis()).finish()
    }
}

impl Store {
    /// An in-process store (one replica only).
    #[must_use]
    pub fn memory() -> Self {
        Self { prefix: Arc::from(""), backend: Backend::Memory(Arc::default()) }
    }

    /// A Redis-backed store; every key starts with `prefix`.
    ///
    /// # Errors
    /// When the URL is invalid or Redis does not answer.
    pub async fn redis(url: &str, prefix: &str) -> Result<Self, StoreError> {
        let client = redis::Client::open(url)?;
        let conn = tokio::time::timeout(REDIS_TIMEOUT, ConnectionManager::new(client)).await.map_err(|e| StoreError(Box::new(e)))??;
        Ok(Self { prefix: Arc::from(prefix), backend: Backend::Redis(conn) })
    }

    /// Whether this store is shared through Redis.
    #[must_use]
    pub fn is_redis(&self) -> bool {
        matches!(self.backend, Backend::Redis(_))
    }

    fn key(&self, k: &str) -> String {
        format!("{}{k}", self.prefix)
    }

    async fn run<T: redis::FromRedisValue>(mut conn: ConnectionManager, cmd: redis::Pipeline) -> Result<T, StoreError> {
        tokio::time::timeout(REDIS_TIMEOUT, cmd.query_async(&mut conn)).await.map_err(|e| StoreError(Box::new(e)))?.map_err(Into::into)
    }

    /// Adds one to a counter that lives for `window` from its first increment, and returns
    /// the new count (a fixed-window rate limit).
    ///
    /// # Errors
    /// When Redis fails.
    pub async fn incr(&self, key: &str, window: Duration) -> Result<u64, StoreError> {
        match &self.backend {
            Backend::Memory(m) => {
                let mut m = m.lock().map_err(|_| StoreError("poisoned".into()))?;
                let now = Instant::now();
                let e = m.counters.entry(key.to_owned()).or_insert((0, now + window));
                if e.1 <= now {
                    *e = (0, now + window);
                }
                e.0 += 1;
                Ok(e.0)
            }
            Backend::Redis(c) => {
                let k = self.key(key);
                let ms = u64::try_from(window.as_millis()).unwrap_or(u64::MAX);
                let mut p = redis::pipe();
                p.atomic().incr(&k, 1u64).cmd("PEXPIRE").arg(&k).arg(ms).arg("NX").ignore();
                let (n,): (u64,) = Self::run(c.clone(), p).await?;
                Ok(n)
            }
        }
    }

    /// The current value of a counter (0 when absent or expired).
    ///
    /// # Errors
    /// When Redis fails.
    pub async fn count(&self, key: &str) -> Result<u64, StoreError> {
        match &self.backend {
            Backend::Memory(m) => {
                let m = m.lock().map_err(|_| StoreError("poisoned".into()))?;
                Ok(m.counters.get(key).filter(|(_, exp)| *exp > Instant::now()).map_or(0, |(n, _)| *n))
            }
            Backend::Redis(c) => {
                let mut p = redis::pipe();
                p.get(self.key(key));
                let (n,): (Option<u64>,) = Self::run(c.clone(), p).await?;
                Ok(n.unwrap_or(0))
            }
        }
    }

    /// Counts an attempt against every key of `keys` — before the work it guards (say, a
    /// password check) is done, so parallel attempts cannot slip past the limit — or refuses it
    /// without counting anything. A key allows `max` attempts; from then on each further attempt
    /// is allowed only once [`ThrottlePolicy::backoff`] has passed since the key's last counted
    /// attempt (the wait doubles with each one counted), and a refused attempt neither counts
    /// nor extends the wait. A key with no counted attempt for `policy.window` starts from zero.
    /// The check and the count are one atomic step across all keys (a Lua script on Redis, the
    /// mutex in process). `now_ms` is the caller's clock in milliseconds, so tests move time
    /// instead of sleeping. Undo with [`Store::delete`] (a success clears) or [`Store::refund`].
    ///
    /// # Errors
    /// When Redis fails (callers fail closed).
    pub async fn throttle(&self, keys: &[ThrottleKey<'_>], policy: ThrottlePolicy, now_ms: i64) -> Result<Throttle, StoreError> {
        match &self.backend {
            Backend::Memory(m) => {
                let mut m = m.lock().map_err(|_| StoreError("poisoned".into()))?;
                if m.throttles.len() >= MEMORY_THROTTLE_PRUNE_AT {
                    m.throttles.retain(|_, a| now_ms.saturating_sub(a.last_ms) < ms(policy.window));
                }
                let mut wait = 0i64;
                let mut counts = Vec::with_capacity(keys.len());
                for k in keys {
                    let (n, w) = wait_for(m.throttles.get(k.key).copied().unwrap_or_default(), k.max, &policy, now_ms);
                    wait = wait.max(w);
                    counts.push(n);
                }
                if wait > 0 {
                    return Ok(Throttle::Refused { retry_after: Duration::from_millis(wait.unsigned_abs()) });
                }
                for (k, n) in keys.iter().zip(counts) {
                    m.throttles.insert(k.key.to_owned(), Attempts { n: n + 1, last_ms: now_ms });
                }
                Ok(Throttle::Allowed)
            }
            Backend::Redis(c) => {
                let mut inv = THROTTLE_SCRIPT.prepare_invoke();
                for k in keys {
                    inv.key(self.key(k.key));
                }
                inv.arg(now_ms).arg(ms(policy.window)).arg(ms(policy.base_backoff)).arg(ms(policy.max_backoff));
                for k in keys {
                    inv.arg(k.max);
                }
                let mut conn = c.clone();
                let (allowed, wait): (i64, i64) =
                    tokio::time::timeout(REDIS_TIMEOUT, inv.invoke_async(&mut conn)).await.map_err(|e| StoreError(Box::new(e)))??;
                Ok(if allowed == 1 {
                    Throttle::Allowed
                } else {
                    Throttle::Refused { retry_after: Duration::from_millis(wait.max(1).unsigned_abs()) }
                })
            }
        }
    }

    /// Gives back one attempt [`Store::throttle`] counted on `key` (it turned out not to be a
    /// failure), without touching its back-off clock.
    ///
    /// # Errors
    /// When Redis fails.
    pub async fn refund(&self, key: &str) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Memory(m) => {
                let mut m = m.lock().map_err(|_| StoreError("poisoned".into()))?;
                if let Some(a) = m.throttles.get_mut(key) {
                    a.n = a.n.saturating_sub(1);
                    if a.n == 0 {
                        m.throttles.remove(key);
                    }
                }
                Ok(())
            }
            Backend::Redis(c) => {
                let mut inv = REFUND_SCRIPT.prepare_invoke();
                inv.key(self.key(key));
                let mut conn = c.clone();
                let _: i64 =
                    tokio::time::timeout(REDIS_TIMEOUT, inv.invoke_async(&mut conn)).await.map_err(|e| StoreError(Box::new(e)))??;
                Ok(())
            }
        }
    }

    /// Removes a key.
    ///
    /// # Errors
    /// When Redis fails.
    pub async fn delete(&self, key: &str) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Memory(m) => {
                let mut m = m.lock().map_err(|_| StoreError("poisoned".into()))?;
                m.counters.remove(key);
                m.values.remove(key);
                m.throttles.remove(key);
                Ok(())
            }
            Backend::Redis(c) => {
                let mut p = redis::pipe();
                p.del(self.key(key)).ignore();
                Self::run::<()>(c.clone(), p).await
            }
        }
    }

    /// Sets `key` to `value` for `ttl` only if it is absent; returns whether it was set (locks,
    /// replay caches, send-once claims).
    ///
    /// # Errors
    /// When Redis fails.
    pub async fn set_nx(&self, key: &str, value: &str, ttl: Duration) -> Result<bool, StoreError> {
        match &self.backend {
            Backend::Memory(m) => {
                let mut m = m.lock().map_err(|_| StoreError("poisoned".into()))?;
                let now = Instant::now();
                if m.values.get(key).is_some_and(|(_, exp)| *exp > now) {
                    return Ok(false);
                }
                m.values.insert(key.to_owned(), (value.to_owned(), now + ttl));
                Ok(true)
            }
            Backend::Redis(c) => {
                let ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
                let mut p = redis::pipe();
                p.cmd("SET").arg(self.key(key)).arg(value).arg("NX").arg("PX").arg(ms);
                let (r,): (Option<String>,) = Self::run(c.clone(), p).await?;
                Ok(r.is_some())
            }
        }
    }

    /// Whether the backend answers (for `/readyz`).
    ///
    /// # Errors
    /// When Redis does not answer in time.
    pub async fn ping(&self) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Memory(_) => Ok(()),
            Backend::Redis(c) => {
                let mut p = redis::pipe();
                p.cmd("PING");
                let (_pong,): (String,) = Self::run(c.clone(), p).await?;
                Ok(())
            }
        }
    }
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
