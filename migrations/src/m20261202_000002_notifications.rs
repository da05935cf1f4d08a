//! Notifications: webhook endpoints (secrets sealed at rest), one delivery row per (endpoint,
//! event) and one mail row per (recipient, event, reminder), each claimed with a lease so
//! several relays share the work and none sends a thing twice.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    boolean, integer, integer_null, string, string_null, string_uniq, text, text_null, timestamp_with_time_zone,
    timestamp_with_time_zone_null,
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000002_notifications"
    }
}

#[derive(Iden)]
enum WebhookEndpoints {
    Table,
    Id,
    TenantId,
    OwnerUserId,
    Url,
    Description,
    EventTypes,
    SecretSealed,
    PreviousSecretSealed,
    PreviousSecretUntil,
    Enabled,
    DisabledReason,
    FailingSince,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
}
#[derive(Iden)]
enum WebhookDeliveries {
    Table,
    Id,
    EndpointId,
    TenantId,
    EventId,
    EventType,
    Status,
    Attempts,
    NextAttemptAt,
    LeaseUntil,
    LastStatusCode,
    LastError,
    CreatedAt,
    UpdatedAt,
    DeliveredAt,
}
#[derive(Iden)]
enum MailDeliveries {
    Table,
    Id,
    DedupeKey,
    EventId,
    EventType,
    TenantId,
    Recipient,
    Subject,
    TextBody,
    HtmlBody,
    MessageId,
    Status,
    Attempts,
    NextAttemptAt,
    LeaseUntil,
    LastError,
    CreatedAt,
    SentAt,
}

fn id_pk<T: IntoIden>(col: T) -> ColumnDef {
    let mut c = string(col);
    c.primary_key();
    c
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(WebhookEndpoints::Table)
                .col(id_pk(WebhookEndpoints::Id))
                .col(string(WebhookEndpoints::TenantId))
                .col(string(WebhookEndpoints::OwnerUserId))
                .col(text(WebhookEndpoints::Url))
                .col(text_null(WebhookEndpoints::Description))
                .col(text(WebhookEndpoints::EventTypes))
                .col(text(WebhookEndpoints::SecretSealed))
                .col(text_null(WebhookEndpoints::PreviousSecretSealed))
                .col(timestamp_with_time_zone_null(WebhookEndpoints::PreviousSecretUntil))
                .col(boolean(WebhookEndpoints::Enabled))
                .col(text_null(WebhookEndpoints::DisabledReason))
                .col(timestamp_with_time_zone_null(WebhookEndpoints::FailingSince))
                .col(timestamp_with_time_zone(WebhookEndpoints::CreatedAt))
                .col(timestamp_with_time_zone(WebhookEndpoints::UpdatedAt))
                .col(timestamp_with_time_zone_null(WebhookEndpoints::DeletedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_webhook_endpoints_tenant")
                .table(WebhookEndpoints::Table)
                .col(WebhookEndpoints::TenantId)
                .col(WebhookEndpoints::Id)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(WebhookDeliveries::Table)
                .col(id_pk(WebhookDeliveries::Id))
                .col(string(WebhookDeliveries::EndpointId))
                .col(string(WebhookDeliveries::TenantId))
                .col(string(WebhookDeliveries::EventId))
                .col(string(WebhookDeliveries::EventType))
                .col(string(WebhookDeliveries::Status))
                .col(integer(WebhookDeliveries::Attempts))
                .col(timestamp_with_time_zone_null(WebhookDeliveries::NextAttemptAt))
                .col(timestamp_with_time_zone_null(WebhookDeliveries::LeaseUntil))
                .col(integer_null(WebhookDeliveries::LastStatusCode))
                .col(text_null(WebhookDeliveries::LastError))
                .col(timestamp_with_time_zone(WebhookDeliveries::CreatedAt))
                .col(timestamp_with_time_zone(WebhookDeliveries::UpdatedAt))
                .col(timestamp_with_time_zone_null(WebhookDeliveries::DeliveredAt))
                .to_owned(),
        )
        .await?;
        // One delivery per (endpoint, event): a relay that fans an event out twice finds it.
        m.create_index(
            Index::create()
                .name("ux_webhook_deliveries_endpoint_event")
                .table(WebhookDeliveries::Table)
                .col(WebhookDeliveries::EndpointId)
                .col(WebhookDeliveries::EventId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_webhook_deliveries_due")
                .table(WebhookDeliveries::Table)
                .col(WebhookDeliveries::Status)
                .col(WebhookDeliveries::NextAttemptAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_webhook_deliveries_tenant")
                .table(WebhookDeliveries::Table)
                .col(WebhookDeliveries::TenantId)
                .col(WebhookDeliveries::Id)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(MailDeliveries::Table)
                .col(id_pk(MailDeliveries::Id))
                // (recipient, event, reminder): the key that makes a mail happen at most once.
                .col(string_uniq(MailDeliveries::DedupeKey))
                .col(string(MailDeliveries::EventId))
                .col(string(MailDeliveries::EventType))
                .col(string_null(MailDeliveries::TenantId))
                .col(string(MailDeliveries::Recipient))
                .col(text(MailDeliveries::Subject))
                .col(text(MailDeliveries::TextBody))
                .col(text(MailDeliveries::HtmlBody))
                .col(string(MailDeliveries::MessageId))
                .col(string(MailDeliveries::Status))
                .col(integer(MailDeliveries::Attempts))
                .col(timestamp_with_time_zone_null(MailDeliveries::NextAttemptAt))
                .col(timestamp_with_time_zone_null(MailDeliveries::LeaseUntil))
                .col(text_null(MailDeliveries::LastError))
                .col(timestamp_with_time_zone(MailDeliveries::CreatedAt))
                .col(timestamp_with_time_zone_null(MailDeliveries::SentAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_mail_deliveries_due")
                .table(MailDeliveries::Table)
                .col(MailDeliveries::Status)
                .col(MailDeliveries::NextAttemptAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_mail_deliveries_tenant")
                .table(MailDeliveries::Table)
                .col(MailDeliveries::TenantId)
                .col(MailDeliveries::Id)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [MailDeliveries::Table.into_iden(), WebhookDeliveries::Table.into_iden(), WebhookEndpoints::Table.into_iden()] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
