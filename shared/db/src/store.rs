//! State that must be shared between replicas: rate-limit counters now; decision caches, locks
//! and replay caches later. Backed by Redis when `REDIS_URL` is set (so limits hold across
//! processes), by an in-process map otherwise. Every key is prefixed, so deployments and tests
//! can share one Redis without seeing each other's keys.

use redis::aio::ConnectionManager;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
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
}

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
mod tests {
    use super::*;

    #[tokio::test]
    async fn memory_counters_count_per_key_and_reset_on_delete() {
        let s = Store::memory();
        for i in 1..=3 {
            assert_eq!(s.incr("a", Duration::from_secs(60)).await.unwrap(), i);
        }
        assert_eq!(s.incr("b", Duration::from_secs(60)).await.unwrap(), 1);
        assert_eq!(s.count("a").await.unwrap(), 3);
        s.delete("a").await.unwrap();
        assert_eq!(s.count("a").await.unwrap(), 0);
    }

    #[tokio::test]
    async fn memory_set_nx_claims_once() {
        let s = Store::memory();
        assert!(s.set_nx("k", "1", Duration::from_secs(60)).await.unwrap());
        assert!(!s.set_nx("k", "2", Duration::from_secs(60)).await.unwrap());
    }
}
