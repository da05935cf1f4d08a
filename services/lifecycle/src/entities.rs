//! The tables this service owns: reviews and the claims of scheduled jobs. Entities stay inside
//! the crate.

/// Periodic re-certifications of grants.
pub mod review {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "reviews")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub grant_id: String,
        pub holder_tenant_id: String,
        pub vendor_tenant_id: String,
        pub due_at: DateTimeUtc,
        pub status: String,
        pub decided_by: Option<String>,
        pub decided_at: Option<DateTimeUtc>,
        #[sea_orm(column_type = "Text", nullable)]
        pub comment: Option<String>,
        pub escalated_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// "This job did this to this item for this firing": the row whose insert makes a reminder or
/// notice happen once across workers.
pub mod job_claim {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "job_claims")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub job: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub item_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub fire_key: String,
        pub claimed_at: DateTimeUtc,
    }

    impl ActiveModelBehavior for ActiveModel {}
}
