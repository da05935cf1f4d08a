//! The tables this service owns: holders' signing keys, revoked access tokens and reported
//! usage. Entities stay inside the crate.

/// A data holder's token-signing key (ES384); the private part sealed.
pub mod signing_key {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "signing_keys")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub kid: String,
        pub tenant_id: String,
        pub alg: String,
        #[sea_orm(column_type = "Text")]
        pub public_jwk: String,
        #[sea_orm(column_type = "Text")]
        pub private_sealed: String,
        pub created_at: DateTimeUtc,
        pub retired_at: Option<DateTimeUtc>,
        pub publish_until: Option<DateTimeUtc>,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// An access token revoked before it expired (RFC 7009).
pub mod revoked_token {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "revoked_tokens")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub jti: String,
        pub tenant_id: String,
        pub client_id: String,
        pub expires_at: DateTimeUtc,
        pub revoked_at: DateTimeUtc,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// One access a gateway reported, or one token Accord issued.
pub mod usage_record {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "usage_records")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub holder_tenant_id: String,
        pub client_id: String,
        pub app_id: Option<String>,
        pub grant_id: Option<String>,
        pub resource_type: Option<String>,
        pub interaction: Option<String>,
        pub scope: Option<String>,
        pub outcome: String,
        pub source: String,
        pub count: i64,
        pub at: DateTimeUtc,
        pub received_at: DateTimeUtc,
    }

    impl ActiveModelBehavior for ActiveModel {}
}
