//! Apps and their credentials (client secrets as argon2id hashes, key registrations).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    boolean, string, string_null, string_uniq, text, text_null, timestamp_with_time_zone, timestamp_with_time_zone_null,
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261128_000002_registry"
    }
}

#[derive(Iden)]
enum Tenants {
    Table,
    Id,
}
#[derive(Iden)]
enum Apps {
    Table,
    Id,
    VendorTenantId,
    Name,
    Description,
    Kind,
    Public,
    ClientId,
    RedirectUris,
    LaunchUrl,
    JwksUri,
    Jwks,
    Purpose,
    BusinessOwnerEmail,
    TechnicalOwnerEmail,
    Status,
    StatusReason,
    CreatedAt,
    UpdatedAt,
}
#[derive(Iden)]
enum AppCredentials {
    Table,
    Id,
    AppId,
    Kind,
    SecretHash,
    CreatedAt,
    ExpiresAt,
    RotatedFrom,
    RevokedAt,
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
                .table(Apps::Table)
                .col(id_pk(Apps::Id))
                .col(string(Apps::VendorTenantId))
                .col(string(Apps::Name))
                .col(text_null(Apps::Description))
                .col(string(Apps::Kind))
                .col(boolean(Apps::Public))
                .col(string_uniq(Apps::ClientId))
                .col(text(Apps::RedirectUris))
                .col(string_null(Apps::LaunchUrl))
                .col(string_null(Apps::JwksUri))
                .col(text_null(Apps::Jwks))
                .col(text(Apps::Purpose))
                .col(string(Apps::BusinessOwnerEmail))
                .col(string(Apps::TechnicalOwnerEmail))
                .col(string(Apps::Status))
                .col(text_null(Apps::StatusReason))
                .col(timestamp_with_time_zone(Apps::CreatedAt))
                .col(timestamp_with_time_zone(Apps::UpdatedAt))
                .foreign_key(&mut fk("fk_apps_vendor", (Apps::Table, Apps::VendorTenantId), (Tenants::Table, Tenants::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_apps_vendor").table(Apps::Table).col(Apps::VendorTenantId).col(Apps::Id).to_owned())
            .await?;
        m.create_index(Index::create().name("ix_apps_status").table(Apps::Table).col(Apps::Status).col(Apps::Id).to_owned()).await?;

        m.create_table(
            Table::create()
                .table(AppCredentials::Table)
                .col(id_pk(AppCredentials::Id))
                .col(string(AppCredentials::AppId))
                .col(string(AppCredentials::Kind))
                .col(string_null(AppCredentials::SecretHash))
                .col(timestamp_with_time_zone(AppCredentials::CreatedAt))
                .col(timestamp_with_time_zone_null(AppCredentials::ExpiresAt))
                .col(string_null(AppCredentials::RotatedFrom))
                .col(timestamp_with_time_zone_null(AppCredentials::RevokedAt))
                .foreign_key(&mut fk("fk_app_credentials_app", (AppCredentials::Table, AppCredentials::AppId), (Apps::Table, Apps::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_app_credentials_app").table(AppCredentials::Table).col(AppCredentials::AppId).to_owned())
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(AppCredentials::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Apps::Table).to_owned()).await?;
        Ok(())
    }
}
