//! The tables this service owns (scope lists are stored as JSON arrays of normalized scopes).

/// A data holder's approval policy (absent row = the defaults).
pub mod policy {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "approval_policies")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: String,
        pub required_approvals: i32,
        pub high_risk_required_approvals: i32,
        pub max_grant_days: i32,
        pub high_risk_max_grant_days: i32,
        #[sea_orm(column_type = "Text")]
        pub forbidden_scopes: String,
        #[sea_orm(column_type = "Text")]
        pub allowed_app_kinds: String,
        pub review_interval_days: i32,
        pub auto_approve_low_risk: bool,
        pub on_missed_review: String,
        pub updated_at: DateTimeUtc,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// A vendor's ask for scopes at one data holder.
pub mod request {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "access_requests")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub app_id: String,
        pub vendor_tenant_id: String,
        pub holder_tenant_id: String,
        /// What the vendor sent, verbatim.
        #[sea_orm(column_type = "Text")]
        pub requested_scopes: String,
        /// The current proposal, normalized.
        #[sea_orm(column_type = "Text")]
        pub proposed_scopes: String,
        #[sea_orm(column_type = "Text")]
        pub purpose: String,
        pub duration_days: i32,
        pub proposed_duration_days: i32,
        /// Bumped when an approver narrows the proposal; approvals count per version.
        pub proposal_version: i32,
        pub risk: String,
        pub required_approvals: i32,
        pub requested_by: String,
        pub status: String,
        pub replaces_grant_id: Option<String>,
        pub grant_id: Option<String>,
        #[sea_orm(column_type = "Text", nullable)]
        pub decision_reason: Option<String>,
        pub decided_by: Option<String>,
        pub created_at: DateTimeUtc,
        pub decided_at: Option<DateTimeUtc>,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// One approver's yes on one version of a proposal.
pub mod approval {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "approvals")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub request_id: String,
        pub proposal_version: i32,
        pub approver_id: String,
        pub approver_name: String,
        pub approver_email: String,
        #[sea_orm(column_type = "Text")]
        pub scopes: String,
        pub duration_days: i32,
        #[sea_orm(column_type = "Text", nullable)]
        pub comment: Option<String>,
        pub at: DateTimeUtc,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// Access in force (or that was).
pub mod grant {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "grants")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub app_id: String,
        pub vendor_tenant_id: String,
        pub holder_tenant_id: String,
        pub request_id: String,
        #[sea_orm(column_type = "Text")]
        pub scopes: String,
        pub granted_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub status: String,
        /// Why it is suspended (while SUSPENDED).
        #[sea_orm(column_type = "Text", nullable)]
        pub status_reason: Option<String>,
        #[sea_orm(column_type = "Text", nullable)]
        pub revoked_reason: Option<String>,
        pub revoked_at: Option<DateTimeUtc>,
        pub last_reviewed_at: Option<DateTimeUtc>,
        pub next_review_due: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// The relationship between a data holder and a vendor.
pub mod partnership {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "partnerships")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub holder_tenant_id: String,
        pub vendor_tenant_id: String,
        pub status: String,
        pub since: DateTimeUtc,
        pub ended_at: Option<DateTimeUtc>,
        #[sea_orm(column_type = "Text", nullable)]
        pub ended_reason: Option<String>,
    }

    impl ActiveModelBehavior for ActiveModel {}
}
