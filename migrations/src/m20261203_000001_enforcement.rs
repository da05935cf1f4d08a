//! Enforcement: each data holder's token-signing keys (the private part sealed with a key
//! derived from `ACCORD_SECRET_KEY`), the access tokens revoked before their expiry, and the
//! usage that gateways report (kept for the unused-scope and dormant-grant findings).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, string, string_null, text, timestamp_with_time_zone, timestamp_with_time_zone_null};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000001_enforcement"
    }
}

#[derive(Iden)]
enum SigningKeys {
    Table,
    Kid,
    TenantId,
    Alg,
    PublicJwk,
    PrivateSealed,
    CreatedAt,
    RetiredAt,
    PublishUntil,
}
#[derive(Iden)]
enum RevokedTokens {
    Table,
    Jti,
    TenantId,
    ClientId,
    ExpiresAt,
    RevokedAt,
}
#[derive(Iden)]
enum UsageRecords {
    Table,
    Id,
    HolderTenantId,
    ClientId,
    AppId,
    GrantId,
    ResourceType,
    Interaction,
    Scope,
    Outcome,
    Source,
    Count,
    At,
    ReceivedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut kid = string(SigningKeys::Kid);
        kid.primary_key();
        m.create_table(
            Table::create()
                .table(SigningKeys::Table)
                .col(kid)
                .col(string(SigningKeys::TenantId))
                .col(string(SigningKeys::Alg))
                .col(text(SigningKeys::PublicJwk))
                .col(text(SigningKeys::PrivateSealed))
                .col(timestamp_with_time_zone(SigningKeys::CreatedAt))
                .col(timestamp_with_time_zone_null(SigningKeys::RetiredAt))
                .col(timestamp_with_time_zone_null(SigningKeys::PublishUntil))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_signing_keys_tenant")
                .table(SigningKeys::Table)
                .col(SigningKeys::TenantId)
                .col(SigningKeys::CreatedAt)
                .to_owned(),
        )
        .await?;

        let mut jti = string(RevokedTokens::Jti);
        jti.primary_key();
        m.create_table(
            Table::create()
                .table(RevokedTokens::Table)
                .col(jti)
                .col(string(RevokedTokens::TenantId))
                .col(string(RevokedTokens::ClientId))
                .col(timestamp_with_time_zone(RevokedTokens::ExpiresAt))
                .col(timestamp_with_time_zone(RevokedTokens::RevokedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_revoked_tokens_expiry").table(RevokedTokens::Table).col(RevokedTokens::ExpiresAt).to_owned(),
        )
        .await?;

        let mut id = string(UsageRecords::Id);
        id.primary_key();
        m.create_table(
            Table::create()
                .table(UsageRecords::Table)
                .col(id)
                .col(string(UsageRecords::HolderTenantId))
                .col(string(UsageRecords::ClientId))
                .col(string_null(UsageRecords::AppId))
                .col(string_null(UsageRecords::GrantId))
                .col(string_null(UsageRecords::ResourceType))
                .col(string_null(UsageRecords::Interaction))
                .col(string_null(UsageRecords::Scope))
                .col(string(UsageRecords::Outcome))
                .col(string(UsageRecords::Source))
                .col(big_integer(UsageRecords::Count))
                .col(timestamp_with_time_zone(UsageRecords::At))
                .col(timestamp_with_time_zone(UsageRecords::ReceivedAt))
                .to_owned(),
        )
        .await?;
        // The findings ask "when did this grant (or this app at this holder) last use what".
        m.create_index(
            Index::create()
                .name("ix_usage_holder_client_at")
                .table(UsageRecords::Table)
                .col(UsageRecords::HolderTenantId)
                .col(UsageRecords::ClientId)
                .col(UsageRecords::At)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_usage_grant_at")
                .table(UsageRecords::Table)
                .col(UsageRecords::GrantId)
                .col(UsageRecords::At)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [UsageRecords::Table.into_iden(), RevokedTokens::Table.into_iden(), SigningKeys::Table.into_iden()] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
