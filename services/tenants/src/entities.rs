//! The tables this service owns. Entities stay inside the crate; the GraphQL types are written
//! separately (`graphql.rs`), so the schema never mirrors a table by accident.

/// Organizations.
pub mod tenant {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "tenants")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub name: String,
        #[sea_orm(unique)]
        pub slug: String,
        pub kind: String,
        pub status: String,
        pub created_at: DateTimeUtc,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// People.
pub mod user {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "users")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub tenant_id: String,
        #[sea_orm(unique)]
        pub email: String,
        pub name: String,
        pub password_hash: String,
        pub roles: String,
        pub status: String,
        /// Bumped when the user is deactivated or their roles change: every session issued
        /// before carries the old number and stops working at once.
        pub session_version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// Pending, used and revoked invitations.
pub mod invitation {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "invitations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub tenant_id: String,
        pub email: String,
        pub roles: String,
        #[sea_orm(unique)]
        pub token_hash: String,
        pub invited_by: String,
        pub expires_at: DateTimeUtc,
        pub accepted_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub revoked_at: Option<DateTimeUtc>,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// Personal and service API tokens (only their SHA-256 is stored).
pub mod api_token {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "api_tokens")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub tenant_id: String,
        pub user_id: String,
        pub name: String,
        #[sea_orm(unique)]
        pub token_hash: String,
        pub roles: String,
        pub expires_at: DateTimeUtc,
        pub last_used_at: Option<DateTimeUtc>,
        pub revoked_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        /// The token that minted this one (when created with a token, not a session): revoking
        /// the parent revokes it too.
        pub parent_token_id: Option<String>,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// Sessions ended by `logout`, remembered until they would have expired anyway.
pub mod revoked_session {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "revoked_sessions")]
    pub struct Model {
        /// The session JWT's `jti`.
        #[sea_orm(primary_key, auto_increment = false)]
        pub jti: String,
        pub user_id: String,
        pub tenant_id: String,
        /// The session's own expiry: after it, the row can go.
        pub expires_at: DateTimeUtc,
        pub revoked_at: DateTimeUtc,
    }

    impl ActiveModelBehavior for ActiveModel {}
}
