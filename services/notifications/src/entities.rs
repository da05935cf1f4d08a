//! The tables this service owns. Entities stay inside the crate: other crates and the GraphQL
//! layer get records ([`crate::records`]).

/// Webhook endpoints.
pub mod endpoint {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "webhook_endpoints")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub tenant_id: String,
        pub owner_user_id: String,
        #[sea_orm(column_type = "Text")]
        pub url: String,
        #[sea_orm(column_type = "Text", nullable)]
        pub description: Option<String>,
        /// A JSON array of SPEC §6 type names.
        #[sea_orm(column_type = "Text")]
        pub event_types: String,
        #[sea_orm(column_type = "Text")]
        pub secret_sealed: String,
        #[sea_orm(column_type = "Text", nullable)]
        pub previous_secret_sealed: Option<String>,
        pub previous_secret_until: Option<DateTimeUtc>,
        pub enabled: bool,
        #[sea_orm(column_type = "Text", nullable)]
        pub disabled_reason: Option<String>,
        pub failing_since: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub deleted_at: Option<DateTimeUtc>,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// One webhook attempt series per (endpoint, event).
pub mod delivery {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "webhook_deliveries")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub endpoint_id: String,
        pub tenant_id: String,
        pub event_id: String,
        pub event_type: String,
        pub status: String,
        pub attempts: i32,
        pub next_attempt_at: Option<DateTimeUtc>,
        pub lease_until: Option<DateTimeUtc>,
        pub last_status_code: Option<i32>,
        #[sea_orm(column_type = "Text", nullable)]
        pub last_error: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub delivered_at: Option<DateTimeUtc>,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// One mail per (recipient, event, reminder).
pub mod mail {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mail_deliveries")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        #[sea_orm(unique)]
        pub dedupe_key: String,
        pub event_id: String,
        pub event_type: String,
        pub tenant_id: Option<String>,
        pub recipient: String,
        #[sea_orm(column_type = "Text")]
        pub subject: String,
        #[sea_orm(column_type = "Text")]
        pub text_body: String,
        #[sea_orm(column_type = "Text")]
        pub html_body: String,
        pub message_id: String,
        pub status: String,
        pub attempts: i32,
        pub next_attempt_at: Option<DateTimeUtc>,
        pub lease_until: Option<DateTimeUtc>,
        #[sea_orm(column_type = "Text", nullable)]
        pub last_error: Option<String>,
        pub created_at: DateTimeUtc,
        pub sent_at: Option<DateTimeUtc>,
    }

    impl ActiveModelBehavior for ActiveModel {}
}
