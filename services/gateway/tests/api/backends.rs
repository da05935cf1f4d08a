use accord_gateway::testing::{Backends, services_required, spawn_app};
use accord_migrations::{Migrator, MigratorTrait};
use sea_orm::DbBackend;

/// CI sets ACCORD_TEST_REQUIRE_SERVICES=1: then this proves the suite really ran on
/// PostgreSQL and Redis instead of quietly falling back to SQLite.
#[tokio::test]
async fn ci_runs_the_suite_on_postgres_and_redis_when_required() {
    let app = spawn_app().await;
    if services_required() {
        assert_eq!(app.backends, Backends::Services);
        assert_eq!(app.db().get_database_backend(), DbBackend::Postgres);
        assert!(app.state.store.is_redis());
    } else {
        assert_eq!(app.backends, Backends::Embedded);
        assert_eq!(app.db().get_database_backend(), DbBackend::Sqlite);
    }
}

#[tokio::test]
async fn migrations_run_down_and_up_again() {
    let app = spawn_app().await;
    let db = app.db().reader();
    Migrator::down(db, None).await.unwrap();
    assert!(Migrator::get_applied_migrations(db).await.unwrap().is_empty());
    Migrator::up(db, None).await.unwrap();
    assert_eq!(Migrator::get_pending_migrations(db).await.unwrap().len(), 0);
    assert_eq!(app.count("audit_chain").await, 1);
}
