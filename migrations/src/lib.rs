//! Accord's schema migrations: append-only, each with an up and a down, one definition that
//! builds the same schema on SQLite and PostgreSQL. Migrations declare their own identifiers
//! instead of importing entities, so later entity changes never rewrite history.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_foundation;
mod m20261128_000002_registry;
mod m20261128_000003_approvals;
mod m20261202_000001_live_authority;
mod m20261202_000002_notifications;
mod m20261202_000003_scheduled_work;
mod m20261203_000001_enforcement;

/// Runs every migration in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_foundation::Migration),
            Box::new(m20261128_000002_registry::Migration),
            Box::new(m20261128_000003_approvals::Migration),
            Box::new(m20261202_000001_live_authority::Migration),
            Box::new(m20261202_000002_notifications::Migration),
            Box::new(m20261202_000003_scheduled_work::Migration),
            Box::new(m20261203_000001_enforcement::Migration),
        ]
    }
}
