//! `accord_db::retrying` against real databases: a PostgreSQL deadlock is run again and both
//! writers succeed; SQLite's busy file counts as transient; a unique violation does not.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use accord_db::{is_transient, retrying};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DbErr, TransactionTrait};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

#[derive(Debug, thiserror::Error)]
#[error("use case failed")]
struct UseCaseError(#[from] DbErr);

#[tokio::test]
async fn a_real_postgres_deadlock_is_retried_and_both_writers_succeed() {
    let Some(base) = env("ACCORD_TEST_POSTGRES_URL") else {
        assert!(env("ACCORD_TEST_REQUIRE_SERVICES").is_none(), "ACCORD_TEST_REQUIRE_SERVICES is set but ACCORD_TEST_POSTGRES_URL is not");
        return;
    };
    let admin = Database::connect(&base).await.unwrap();
    let name = format!("accord_test_{}", uuid::Uuid::new_v4().simple());
    admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.unwrap();
    let url = format!("{}/{name}", base.rsplit_once('/').unwrap().0);
    let db = accord_db::Db::open(&url).await.unwrap();
    db.execute_unprepared("CREATE TABLE t (id INT PRIMARY KEY, v INT NOT NULL); INSERT INTO t VALUES (1, 0), (2, 0);").await.unwrap();

    // Each writer locks one row, waits until the other holds the other row, then asks for it:
    // a deadlock on the first attempt, which PostgreSQL breaks by aborting one with 40P01.
    let barrier = Arc::new(tokio::sync::Barrier::new(2));
    let runs = Arc::new(AtomicU32::new(0));
    let writer = |first: i32, second: i32| {
        let (db, barrier, runs) = (db.reader().clone(), barrier.clone(), runs.clone());
        async move {
            retrying("test", || {
                let (db, barrier, runs) = (db.clone(), barrier.clone(), runs.clone());
                async move {
                    let attempt = runs.fetch_add(1, Ordering::SeqCst);
                    let tx = db.begin().await?;
                    tx.execute_unprepared(&format!("UPDATE t SET v = v + 1 WHERE id = {first}")).await?;
                    if attempt < 2 {
                        barrier.wait().await;
                    }
                    tx.execute_unprepared(&format!("UPDATE t SET v = v + 1 WHERE id = {second}")).await?;
                    tx.commit().await?;
                    Ok::<_, UseCaseError>(())
                }
            })
            .await
        }
    };
    let (a, b) = tokio::join!(writer(1, 2), writer(2, 1));
    a.unwrap();
    b.unwrap();
    assert_eq!(runs.load(Ordering::SeqCst), 3, "one of the two ran twice");
    let row =
        db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), "SELECT SUM(v) AS s FROM t")).await.unwrap().unwrap();
    assert_eq!(row.try_get::<i64>("", "s").unwrap(), 4, "both writers' changes are there, once each");

    db.close().await.unwrap();
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await.unwrap();
}

#[tokio::test]
async fn a_busy_sqlite_file_is_transient_and_a_unique_violation_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
    let connect = || {
        let mut o = ConnectOptions::new(url.clone());
        o.max_connections(1).sqlx_logging(false).map_sqlx_sqlite_opts(|o| o.busy_timeout(Duration::ZERO));
        Database::connect(o)
    };
    let (one, two) = (connect().await.unwrap(), connect().await.unwrap());
    one.execute_unprepared("CREATE TABLE t (id INTEGER PRIMARY KEY)").await.unwrap();
    one.execute_unprepared("INSERT INTO t VALUES (1)").await.unwrap();

    let dup = one.execute_unprepared("INSERT INTO t VALUES (1)").await.unwrap_err();
    assert!(!is_transient(&dup), "{dup}");

    let holding = one
        .begin_with_options(sea_orm::TransactionOptions {
            sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await
        .unwrap();
    holding.execute_unprepared("INSERT INTO t VALUES (2)").await.unwrap();
    let busy = two.execute_unprepared("INSERT INTO t VALUES (3)").await.unwrap_err();
    assert!(is_transient(&busy), "{busy}");
    holding.rollback().await.unwrap();
}

#[tokio::test]
async fn retrying_gives_up_at_once_on_a_failure_that_is_not_transient() {
    let runs = AtomicU32::new(0);
    let r: Result<(), UseCaseError> = retrying("test", || async {
        runs.fetch_add(1, Ordering::SeqCst);
        Err(UseCaseError(DbErr::RecordNotFound("x".into())))
    })
    .await;
    assert!(r.is_err());
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}
