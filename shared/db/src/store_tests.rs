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

const POLICY: ThrottlePolicy =
    ThrottlePolicy { window: Duration::from_secs(15 * 60), base_backoff: Duration::from_secs(1), max_backoff: Duration::from_secs(300) };
const T0: i64 = 1_800_000_000_000;

fn key(key: &str, max: u64) -> [ThrottleKey<'_>; 1] {
    [ThrottleKey { key, max }]
}

fn refused_for(t: Throttle) -> Option<Duration> {
    match t {
        Throttle::Allowed => None,
        Throttle::Refused { retry_after } => Some(retry_after),
    }
}

/// The whole contract of `throttle`/`refund`, run against either backend.
async fn throttle_contract(s: &Store) {
    // Three allowed at once, then the fourth waits 1 s from the third (all at T0).
    for _ in 0..3 {
        assert_eq!(s.throttle(&key("a", 3), POLICY, T0).await.unwrap(), Throttle::Allowed);
    }
    assert_eq!(refused_for(s.throttle(&key("a", 3), POLICY, T0).await.unwrap()), Some(Duration::from_secs(1)));
    // Refused attempts neither count nor extend the wait.
    assert_eq!(refused_for(s.throttle(&key("a", 3), POLICY, T0 + 400).await.unwrap()), Some(Duration::from_millis(600)));
    assert_eq!(refused_for(s.throttle(&key("a", 3), POLICY, T0 + 999).await.unwrap()), Some(Duration::from_millis(1)));
    // One attempt after the back-off; the next one waits twice as long, then four times.
    assert_eq!(s.throttle(&key("a", 3), POLICY, T0 + 1_000).await.unwrap(), Throttle::Allowed);
    assert_eq!(refused_for(s.throttle(&key("a", 3), POLICY, T0 + 1_000).await.unwrap()), Some(Duration::from_secs(2)));
    assert_eq!(s.throttle(&key("a", 3), POLICY, T0 + 3_000).await.unwrap(), Throttle::Allowed);
    assert_eq!(refused_for(s.throttle(&key("a", 3), POLICY, T0 + 3_000).await.unwrap()), Some(Duration::from_secs(4)));
    // Other keys are not affected.
    assert_eq!(s.throttle(&key("b", 3), POLICY, T0).await.unwrap(), Throttle::Allowed);

    // Several keys: counted on all or on none; the longest wait is reported.
    let both = [ThrottleKey { key: "a", max: 3 }, ThrottleKey { key: "c", max: 50 }];
    assert_eq!(refused_for(s.throttle(&both, POLICY, T0 + 3_500).await.unwrap()), Some(Duration::from_millis(3_500)));
    for _ in 0..50 {
        assert_eq!(s.throttle(&key("c", 50), POLICY, T0 + 3_500).await.unwrap(), Throttle::Allowed, "c was not counted above");
    }
    assert!(refused_for(s.throttle(&key("c", 50), POLICY, T0 + 3_500).await.unwrap()).is_some());

    // A refund gives back one attempt without resetting the back-off; delete clears.
    s.refund("c").await.unwrap();
    assert_eq!(s.throttle(&key("c", 50), POLICY, T0 + 3_500).await.unwrap(), Throttle::Allowed);
    s.delete("a").await.unwrap();
    assert_eq!(s.throttle(&key("a", 3), POLICY, T0 + 3_500).await.unwrap(), Throttle::Allowed);
    s.refund("never-seen").await.unwrap();

    // The wait is capped, and an idle key forgets after the window.
    for i in 0..20 {
        let t = T0 + 10_000_000 + i * 400_000;
        assert_eq!(s.throttle(&key("d", 1), POLICY, t).await.unwrap(), Throttle::Allowed, "attempt {i}");
    }
    let last = T0 + 10_000_000 + 19 * 400_000;
    assert_eq!(refused_for(s.throttle(&key("d", 1), POLICY, last).await.unwrap()), Some(Duration::from_secs(300)));
    assert_eq!(s.throttle(&key("d", 1), POLICY, last + 15 * 60_000).await.unwrap(), Throttle::Allowed);
    assert_eq!(refused_for(s.throttle(&key("d", 1), POLICY, last + 15 * 60_000).await.unwrap()), Some(Duration::from_secs(1)));
}

/// Thirty attempts at once: exactly `max` are allowed.
async fn parallel_contract(s: &Store) {
    let mut tasks = Vec::new();
    for _ in 0..30 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move { s.throttle(&key("p", 10), POLICY, T0).await.unwrap() }));
    }
    let mut allowed = 0;
    for t in tasks {
        if t.await.unwrap() == Throttle::Allowed {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 10);
}

#[test]
fn the_back_off_doubles_from_the_maximum_and_is_capped() {
    let waits: Vec<u64> = (9..=20).map(|n| POLICY.backoff(n, 10).as_secs()).collect();
    assert_eq!(waits, [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
    assert_eq!(POLICY.backoff(u64::MAX, 10), Duration::from_secs(300));
}

#[tokio::test]
async fn the_memory_throttle_counts_before_it_allows_backs_off_and_forgets() {
    throttle_contract(&Store::memory()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_memory_throttle_allows_exactly_the_maximum_to_parallel_attempts() {
    parallel_contract(&Store::memory()).await;
}

/// A Redis store with a fresh prefix, or `None` (skip) when no Redis is configured and CI
/// does not demand one — the same rule as the testkit's.
async fn redis_store() -> Option<Store> {
    let env = |n: &str| std::env::var(n).ok().filter(|v| !v.is_empty());
    let Some(url) = env("ACCORD_TEST_REDIS_URL") else {
        assert!(
            !env("ACCORD_TEST_REQUIRE_SERVICES").is_some_and(|v| v == "1" || v == "true"),
            "ACCORD_TEST_REQUIRE_SERVICES=1 but ACCORD_TEST_REDIS_URL is not set"
        );
        eprintln!("SKIPPED: ACCORD_TEST_REDIS_URL not set");
        return None;
    };
    Some(Store::redis(&url, &format!("accord_test:{}:", uuid::Uuid::new_v4().simple())).await.unwrap())
}

#[tokio::test]
async fn the_redis_throttle_script_keeps_the_same_contract() {
    if let Some(s) = redis_store().await {
        throttle_contract(&s).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_redis_throttle_allows_exactly_the_maximum_to_parallel_attempts() {
    if let Some(s) = redis_store().await {
        parallel_contract(&s).await;
    }
}

#[tokio::test]
async fn memory_set_nx_claims_once() {
    let s = Store::memory();
    assert!(s.set_nx("k", "1", Duration::from_secs(60)).await.unwrap());
    assert!(!s.set_nx("k", "2", Duration::from_secs(60)).await.unwrap());
}
