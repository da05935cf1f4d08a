//! The tables this service owns. Entities stay inside the crate: other crates get
//! [`crate::AppRecord`] and [`crate::CredentialRecord`], and the GraphQL types are written
//! separately (`graphql.rs`).

/// Registered apps.
pub mod app {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "apps")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub vendor_tenant_id: String,
        pub name: String,
        #[sea_orm(column_type = "Text", nullable)]
        pub description: Option<String>,
        pub kind: String,
        pub public: bool,
        #[sea_orm(unique)]
        pub client_id: String,
        /// A JSON array of strings.
        #[sea_orm(column_type = "Text")]
        pub redirect_uris: String,
        pub launch_url: Option<String>,
        pub jwks_uri: Option<String>,
        #[sea_orm(column_type = "Text", nullable)]
        pub jwks: Option<String>,
        #[sea_orm(column_type = "Text")]
        pub purpose: String,
        pub business_owner_email: String,
        pub technical_owner_email: String,
        pub status: String,
        #[sea_orm(column_type = "Text", nullable)]
        pub status_reason: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// How apps authenticate: client secrets (argon2id hashes only) and key registrations.
pub mod app_credential {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "app_credentials")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub app_id: String,
        /// A [`crate::domain::CredentialKind`] name.
        pub kind: String,
        pub secret_hash: Option<String>,
        pub created_at: DateTimeUtc,
        pub expires_at: Option<DateTimeUtc>,
        pub rotated_from: Option<String>,
        pub revoked_at: Option<DateTimeUtc>,
    }

    impl ActiveModelBehavior for ActiveModel {}
}
