//! Scheduled work: periodic reviews of grants (one per grant and due date), the claims that
//! make each reminder or notice happen once per (job, item, fire key) across workers, and the
//! grants' expiry index extended by id, so the expiry sweep's `(expiresAt, id)` cursor seeks
//! instead of scanning every grant that expires at the same instant.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string, string_null, text_null, timestamp_with_time_zone, timestamp_with_time_zone_null};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000003_scheduled_work"
    }
}

#[derive(Iden)]
enum Reviews {
    Table,
    Id,
    GrantId,
    HolderTenantId,
    VendorTenantId,
    DueAt,
    Status,
    DecidedBy,
    DecidedAt,
    Comment,
    EscalatedAt,
    CreatedAt,
    UpdatedAt,
}
#[derive(Iden)]
enum Grants {
    Table,
    Id,
    Status,
    ExpiresAt,
}
#[derive(Iden)]
enum JobClaims {
    Table,
    Job,
    ItemId,
    FireKey,
    ClaimedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut id = string(Reviews::Id);
        id.primary_key();
        m.create_table(
            Table::create()
                .table(Reviews::Table)
                .col(id)
                .col(string(Reviews::GrantId))
                .col(string(Reviews::HolderTenantId))
                .col(string(Reviews::VendorTenantId))
                .col(timestamp_with_time_zone(Reviews::DueAt))
                .col(string(Reviews::Status))
                .col(string_null(Reviews::DecidedBy))
                .col(timestamp_with_time_zone_null(Reviews::DecidedAt))
                .col(text_null(Reviews::Comment))
                .col(timestamp_with_time_zone_null(Reviews::EscalatedAt))
                .col(timestamp_with_time_zone(Reviews::CreatedAt))
                .col(timestamp_with_time_zone(Reviews::UpdatedAt))
                .to_owned(),
        )
        .await?;
        // One review per grant and due date: two workers opening it at once open it once.
        m.create_index(
            Index::create()
                .name("ux_reviews_grant_due")
                .table(Reviews::Table)
                .col(Reviews::GrantId)
                .col(Reviews::DueAt)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_reviews_status_due").table(Reviews::Table).col(Reviews::Status).col(Reviews::DueAt).to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_reviews_holder").table(Reviews::Table).col(Reviews::HolderTenantId).col(Reviews::Id).to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_reviews_vendor").table(Reviews::Table).col(Reviews::VendorTenantId).col(Reviews::Id).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(JobClaims::Table)
                .col(string(JobClaims::Job))
                .col(string(JobClaims::ItemId))
                .col(string(JobClaims::FireKey))
                .col(timestamp_with_time_zone(JobClaims::ClaimedAt))
                .primary_key(Index::create().col(JobClaims::Job).col(JobClaims::ItemId).col(JobClaims::FireKey))
                .to_owned(),
        )
        .await?;

        m.drop_index(Index::drop().name("ix_grants_status_expiry").table(Grants::Table).to_owned()).await?;
        m.create_index(
            Index::create()
                .name("ix_grants_status_expiry_id")
                .table(Grants::Table)
                .col(Grants::Status)
                .col(Grants::ExpiresAt)
                .col(Grants::Id)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_grants_status_expiry_id").table(Grants::Table).to_owned()).await?;
        m.create_index(
            Index::create().name("ix_grants_status_expiry").table(Grants::Table).col(Grants::Status).col(Grants::ExpiresAt).to_owned(),
        )
        .await?;
        for t in [JobClaims::Table.into_iden(), Reviews::Table.into_iden()] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
