//! Tenants, users, invitations, API tokens, the audit trail and the outbox.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, integer, string, string_uniq, text, timestamp_with_time_zone, timestamp_with_time_zone_null};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261128_000001_foundation"
    }
}

#[derive(Iden)]
enum Tenants {
    Table,
    Id,
    Name,
    Slug,
    Kind,
    Status,
    CreatedAt,
}
#[derive(Iden)]
enum Users {
    Table,
    Id,
    TenantId,
    Email,
    Name,
    PasswordHash,
    Roles,
    Status,
    SessionVersion,
    CreatedAt,
    UpdatedAt,
}
#[derive(Iden)]
enum Invitations {
    Table,
    Id,
    TenantId,
    Email,
    Roles,
    TokenHash,
    InvitedBy,
    ExpiresAt,
    AcceptedAt,
    CreatedAt,
}
#[derive(Iden)]
enum ApiTokens {
    Table,
    Id,
    TenantId,
    UserId,
    Name,
    TokenHash,
    Roles,
    ExpiresAt,
    LastUsedAt,
    RevokedAt,
    CreatedAt,
}
#[derive(Iden)]
enum AuditChain {
    Table,
    Id,
    Seq,
    LastHash,
}
#[derive(Iden)]
enum AuditEvents {
    Table,
    Id,
    Seq,
    At,
    Actor,
    Action,
    TargetType,
    TargetId,
    TenantIds,
    Details,
    PrevHash,
    Hash,
}
#[derive(Iden)]
enum AuditEventTenants {
    Table,
    TenantId,
    EventId,
}
#[derive(Iden)]
enum OutboxEvents {
    Table,
    Id,
    EventType,
    TenantIds,
    Payload,
    CreatedAt,
    PublishedAt,
}

fn id_pk<T: IntoIden>(col: T) -> ColumnDef {
    let mut c = string(col);
    c.primary_key();
    c
}

fn fk(name: &str, from: (impl IntoIden, impl IntoIden), to: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create().name(name).from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Restrict).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Tenants::Table)
                .col(id_pk(Tenants::Id))
                .col(string(Tenants::Name))
                .col(string_uniq(Tenants::Slug))
                .col(string(Tenants::Kind))
                .col(string(Tenants::Status))
                .col(timestamp_with_time_zone(Tenants::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_tenants_kind").table(Tenants::Table).col(Tenants::Kind).col(Tenants::Id).to_owned())
            .await?;

        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(id_pk(Users::Id))
                .col(string(Users::TenantId))
                .col(string_uniq(Users::Email))
                .col(string(Users::Name))
                .col(string(Users::PasswordHash))
                .col(string(Users::Roles))
                .col(string(Users::Status))
                .col(integer(Users::SessionVersion))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .col(timestamp_with_time_zone(Users::UpdatedAt))
                .foreign_key(&mut fk("fk_users_tenant", (Users::Table, Users::TenantId), (Tenants::Table, Tenants::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_users_tenant").table(Users::Table).col(Users::TenantId).to_owned()).await?;

        m.create_table(
            Table::create()
                .table(Invitations::Table)
                .col(id_pk(Invitations::Id))
                .col(string(Invitations::TenantId))
                .col(string(Invitations::Email))
                .col(string(Invitations::Roles))
                .col(string_uniq(Invitations::TokenHash))
                .col(string(Invitations::InvitedBy))
                .col(timestamp_with_time_zone(Invitations::ExpiresAt))
                .col(timestamp_with_time_zone_null(Invitations::AcceptedAt))
                .col(timestamp_with_time_zone(Invitations::CreatedAt))
                .foreign_key(&mut fk("fk_invitations_tenant", (Invitations::Table, Invitations::TenantId), (Tenants::Table, Tenants::Id)))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ApiTokens::Table)
                .col(id_pk(ApiTokens::Id))
                .col(string(ApiTokens::TenantId))
                .col(string(ApiTokens::UserId))
                .col(string(ApiTokens::Name))
                .col(string_uniq(ApiTokens::TokenHash))
                .col(string(ApiTokens::Roles))
                .col(timestamp_with_time_zone(ApiTokens::ExpiresAt))
                .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                .foreign_key(&mut fk("fk_api_tokens_user", (ApiTokens::Table, ApiTokens::UserId), (Users::Table, Users::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_api_tokens_tenant").table(ApiTokens::Table).col(ApiTokens::TenantId).col(ApiTokens::Id).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AuditChain::Table)
                .col(ColumnDef::new(AuditChain::Id).integer().not_null().primary_key())
                .col(big_integer(AuditChain::Seq))
                .col(string(AuditChain::LastHash))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table(AuditChain::Table)
                .columns([AuditChain::Id, AuditChain::Seq, AuditChain::LastHash])
                .values_panic([1.into(), 0i64.into(), "0".repeat(64).into()])
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AuditEvents::Table)
                .col(id_pk(AuditEvents::Id))
                .col(ColumnDef::new(AuditEvents::Seq).big_integer().not_null().unique_key())
                .col(timestamp_with_time_zone(AuditEvents::At))
                .col(string(AuditEvents::Actor))
                .col(string(AuditEvents::Action))
                .col(string(AuditEvents::TargetType))
                .col(string(AuditEvents::TargetId))
                .col(string(AuditEvents::TenantIds))
                .col(text(AuditEvents::Details))
                .col(string(AuditEvents::PrevHash))
                .col(string(AuditEvents::Hash))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_audit_events_target").table(AuditEvents::Table).col(AuditEvents::TargetId).to_owned())
            .await?;

        m.create_table(
            Table::create()
                .table(AuditEventTenants::Table)
                .col(string(AuditEventTenants::TenantId))
                .col(string(AuditEventTenants::EventId))
                .primary_key(Index::create().col(AuditEventTenants::TenantId).col(AuditEventTenants::EventId))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(OutboxEvents::Table)
                .col(id_pk(OutboxEvents::Id))
                .col(string(OutboxEvents::EventType))
                .col(string(OutboxEvents::TenantIds))
                .col(text(OutboxEvents::Payload))
                .col(timestamp_with_time_zone(OutboxEvents::CreatedAt))
                .col(timestamp_with_time_zone_null(OutboxEvents::PublishedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_outbox_unpublished")
                .table(OutboxEvents::Table)
                .col(OutboxEvents::PublishedAt)
                .col(OutboxEvents::Id)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            OutboxEvents::Table.into_iden(),
            AuditEventTenants::Table.into_iden(),
            AuditEvents::Table.into_iden(),
            AuditChain::Table.into_iden(),
            ApiTokens::Table.into_iden(),
            Invitations::Table.into_iden(),
            Users::Table.into_iden(),
            Tenants::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
