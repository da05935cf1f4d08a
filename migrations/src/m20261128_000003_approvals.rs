//! Approval policies, access requests, approvals, grants and partnerships. Partial unique
//! indexes hold SPEC's "one answer per pair" in the database itself: at most one PENDING
//! request and one ACTIVE/SUSPENDED grant per (app, data holder).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    boolean, integer, string, string_null, text, text_null, timestamp_with_time_zone, timestamp_with_time_zone_null,
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261128_000003_approvals"
    }
}

#[derive(Iden, Clone, Copy)]
enum ApprovalPolicies {
    Table,
    TenantId,
    RequiredApprovals,
    HighRiskRequiredApprovals,
    MaxGrantDays,
    HighRiskMaxGrantDays,
    ForbiddenScopes,
    AllowedAppKinds,
    ReviewIntervalDays,
    AutoApproveLowRisk,
    OnMissedReview,
    UpdatedAt,
}
#[derive(Iden, Clone, Copy)]
enum AccessRequests {
    Table,
    Id,
    AppId,
    VendorTenantId,
    HolderTenantId,
    RequestedScopes,
    ProposedScopes,
    Purpose,
    DurationDays,
    ProposedDurationDays,
    ProposalVersion,
    Risk,
    RequiredApprovals,
    RequestedBy,
    Status,
    ReplacesGrantId,
    GrantId,
    DecisionReason,
    DecidedBy,
    CreatedAt,
    DecidedAt,
}
#[derive(Iden, Clone, Copy)]
enum Approvals {
    Table,
    Id,
    RequestId,
    ProposalVersion,
    ApproverId,
    ApproverName,
    ApproverEmail,
    Scopes,
    DurationDays,
    Comment,
    At,
}
#[derive(Iden, Clone, Copy)]
enum Grants {
    Table,
    Id,
    AppId,
    VendorTenantId,
    HolderTenantId,
    RequestId,
    Scopes,
    GrantedAt,
    ExpiresAt,
    Status,
    StatusReason,
    RevokedReason,
    RevokedAt,
    LastReviewedAt,
    NextReviewDue,
    UpdatedAt,
}
#[derive(Iden, Clone, Copy)]
enum Partnerships {
    Table,
    Id,
    HolderTenantId,
    VendorTenantId,
    Status,
    Since,
    EndedAt,
    EndedReason,
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
                .table(ApprovalPolicies::Table)
                .col(id_pk(ApprovalPolicies::TenantId))
                .col(integer(ApprovalPolicies::RequiredApprovals))
                .col(integer(ApprovalPolicies::HighRiskRequiredApprovals))
                .col(integer(ApprovalPolicies::MaxGrantDays))
                .col(integer(ApprovalPolicies::HighRiskMaxGrantDays))
                .col(text(ApprovalPolicies::ForbiddenScopes))
                .col(text(ApprovalPolicies::AllowedAppKinds))
                .col(integer(ApprovalPolicies::ReviewIntervalDays))
                .col(boolean(ApprovalPolicies::AutoApproveLowRisk))
                .col(string(ApprovalPolicies::OnMissedReview))
                .col(timestamp_with_time_zone(ApprovalPolicies::UpdatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AccessRequests::Table)
                .col(id_pk(AccessRequests::Id))
                .col(string(AccessRequests::AppId))
                .col(string(AccessRequests::VendorTenantId))
                .col(string(AccessRequests::HolderTenantId))
                .col(text(AccessRequests::RequestedScopes))
                .col(text(AccessRequests::ProposedScopes))
                .col(text(AccessRequests::Purpose))
                .col(integer(AccessRequests::DurationDays))
                .col(integer(AccessRequests::ProposedDurationDays))
                .col(integer(AccessRequests::ProposalVersion))
                .col(string(AccessRequests::Risk))
                .col(integer(AccessRequests::RequiredApprovals))
                .col(string(AccessRequests::RequestedBy))
                .col(string(AccessRequests::Status))
                .col(string_null(AccessRequests::ReplacesGrantId))
                .col(string_null(AccessRequests::GrantId))
                .col(text_null(AccessRequests::DecisionReason))
                .col(string_null(AccessRequests::DecidedBy))
                .col(timestamp_with_time_zone(AccessRequests::CreatedAt))
                .col(timestamp_with_time_zone_null(AccessRequests::DecidedAt))
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            ("ix_requests_holder", [AccessRequests::HolderTenantId, AccessRequests::Id]),
            ("ix_requests_vendor", [AccessRequests::VendorTenantId, AccessRequests::Id]),
            ("ix_requests_app", [AccessRequests::AppId, AccessRequests::Id]),
        ] {
            m.create_index(Index::create().name(name).table(AccessRequests::Table).col(cols[0]).col(cols[1]).to_owned()).await?;
        }

        m.create_table(
            Table::create()
                .table(Approvals::Table)
                .col(id_pk(Approvals::Id))
                .col(string(Approvals::RequestId))
                .col(integer(Approvals::ProposalVersion))
                .col(string(Approvals::ApproverId))
                .col(string(Approvals::ApproverName))
                .col(string(Approvals::ApproverEmail))
                .col(text(Approvals::Scopes))
                .col(integer(Approvals::DurationDays))
                .col(text_null(Approvals::Comment))
                .col(timestamp_with_time_zone(Approvals::At))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_approvals_once_per_proposal")
                .table(Approvals::Table)
                .col(Approvals::RequestId)
                .col(Approvals::ProposalVersion)
                .col(Approvals::ApproverId)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Grants::Table)
                .col(id_pk(Grants::Id))
                .col(string(Grants::AppId))
                .col(string(Grants::VendorTenantId))
                .col(string(Grants::HolderTenantId))
                .col(string(Grants::RequestId))
                .col(text(Grants::Scopes))
                .col(timestamp_with_time_zone(Grants::GrantedAt))
                .col(timestamp_with_time_zone(Grants::ExpiresAt))
                .col(string(Grants::Status))
                .col(text_null(Grants::StatusReason))
                .col(text_null(Grants::RevokedReason))
                .col(timestamp_with_time_zone_null(Grants::RevokedAt))
                .col(timestamp_with_time_zone_null(Grants::LastReviewedAt))
                .col(timestamp_with_time_zone(Grants::NextReviewDue))
                .col(timestamp_with_time_zone(Grants::UpdatedAt))
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            ("ix_grants_holder", [Grants::HolderTenantId, Grants::Id]),
            ("ix_grants_vendor", [Grants::VendorTenantId, Grants::Id]),
            ("ix_grants_app", [Grants::AppId, Grants::Id]),
            ("ix_grants_status_expiry", [Grants::Status, Grants::ExpiresAt]),
        ] {
            m.create_index(Index::create().name(name).table(Grants::Table).col(cols[0]).col(cols[1]).to_owned()).await?;
        }

        m.create_table(
            Table::create()
                .table(Partnerships::Table)
                .col(id_pk(Partnerships::Id))
                .col(string(Partnerships::HolderTenantId))
                .col(string(Partnerships::VendorTenantId))
                .col(string(Partnerships::Status))
                .col(timestamp_with_time_zone(Partnerships::Since))
                .col(timestamp_with_time_zone_null(Partnerships::EndedAt))
                .col(text_null(Partnerships::EndedReason))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_partnerships_pair")
                .table(Partnerships::Table)
                .col(Partnerships::HolderTenantId)
                .col(Partnerships::VendorTenantId)
                .unique()
                .to_owned(),
        )
        .await?;

        // Partial unique indexes: the same SQL on SQLite and PostgreSQL.
        let db = m.get_connection();
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_requests_one_pending ON access_requests (app_id, holder_tenant_id) WHERE status = 'PENDING'",
        )
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_grants_one_live ON grants (app_id, holder_tenant_id) WHERE status IN ('ACTIVE', 'SUSPENDED')",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Partnerships::Table.into_iden(),
            Grants::Table.into_iden(),
            Approvals::Table.into_iden(),
            AccessRequests::Table.into_iden(),
            ApprovalPolicies::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
