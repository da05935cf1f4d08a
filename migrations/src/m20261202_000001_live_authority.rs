//! Live authority (SPEC §2.9): sessions ended by `logout` are remembered until they would have
//! expired anyway; invitations can be revoked; a token minted by a token remembers its parent,
//! so revoking the parent ends the child too.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string, string_null, timestamp_with_time_zone, timestamp_with_time_zone_null};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000001_live_authority"
    }
}

#[derive(Iden)]
enum RevokedSessions {
    Table,
    Jti,
    UserId,
    TenantId,
    ExpiresAt,
    RevokedAt,
}
#[derive(Iden)]
enum Invitations {
    Table,
    TenantId,
    Id,
    RevokedAt,
}
#[derive(Iden)]
enum ApiTokens {
    Table,
    ParentTokenId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RevokedSessions::Table)
                .col(string(RevokedSessions::Jti).primary_key())
                .col(string(RevokedSessions::UserId))
                .col(string(RevokedSessions::TenantId))
                .col(timestamp_with_time_zone(RevokedSessions::ExpiresAt))
                .col(timestamp_with_time_zone(RevokedSessions::RevokedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_revoked_sessions_expires").table(RevokedSessions::Table).col(RevokedSessions::ExpiresAt).to_owned(),
        )
        .await?;

        // SQLite takes one change per ALTER TABLE.
        m.alter_table(
            Table::alter().table(Invitations::Table).add_column(timestamp_with_time_zone_null(Invitations::RevokedAt)).to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_invitations_tenant")
                .table(Invitations::Table)
                .col(Invitations::TenantId)
                .col(Invitations::Id)
                .to_owned(),
        )
        .await?;

        m.alter_table(Table::alter().table(ApiTokens::Table).add_column(string_null(ApiTokens::ParentTokenId)).to_owned()).await?;
        m.create_index(Index::create().name("ix_api_tokens_parent").table(ApiTokens::Table).col(ApiTokens::ParentTokenId).to_owned())
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_api_tokens_parent").table(ApiTokens::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(ApiTokens::Table).drop_column(ApiTokens::ParentTokenId).to_owned()).await?;
        m.drop_index(Index::drop().name("ix_invitations_tenant").table(Invitations::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Invitations::Table).drop_column(Invitations::RevokedAt).to_owned()).await?;
        m.drop_table(Table::drop().table(RevokedSessions::Table).to_owned()).await?;
        Ok(())
    }
}
