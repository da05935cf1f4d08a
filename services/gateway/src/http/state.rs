//! What a request handler may need: the [`Services`], the GraphQL schemas built over them, the
//! operation names metrics may carry, and the metrics.

use super::document::OperationNames;
use crate::metrics::Metrics;
use crate::schema::{AccordSchema, introspection_schema, with_services};
use crate::services::{Migrate, Services};
use accord_kernel::SharedClock;
use accord_kernel::config::Settings;
use std::sync::Arc;

/// The HTTP state: the services plus what only HTTP needs. Cheap to clone. It dereferences to
/// [`Services`], so a handler (or a test) reaches `state.db` or `state.approvals` directly.
#[derive(Clone)]
pub struct AppState {
    /// The database, the store, the clock and every service.
    pub services: Services,
    /// The GraphQL schema, with the services as data.
    pub schema: AccordSchema,
    /// Its introspection-only twin for pure introspection documents; `None` when introspection
    /// is off.
    pub introspection_schema: Option<AccordSchema>,
    /// The operation names metrics may carry.
    pub operation_names: Arc<OperationNames>,
    /// Documents parsed and inspected once per text.
    pub prepared: Arc<super::prepared::PreparedDocuments>,
    /// Metrics.
    pub metrics: Arc<Metrics>,
    /// What the scheduled jobs have done in this process.
    pub jobs: Arc<crate::jobs::JobStats>,
    /// When this process started (a job that never ran is overdue counting from here).
    pub started_at: chrono::DateTime<chrono::Utc>,
}

impl std::ops::Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.services
    }
}

impl AppState {
    /// Builds the [`Services`] (migrating the database), then the schemas over them.
    ///
    /// # Errors
    /// As [`Services::build`].
    pub async fn build(settings: Settings, clock: SharedClock) -> anyhow::Result<Self> {
        Ok(Self::new(Services::build(settings, clock, Migrate::Yes).await?))
    }

    /// The HTTP state over services built elsewhere.
    #[must_use]
    pub fn new(services: Services) -> Self {
        let schema = with_services(&services);
        let introspection_schema = services.settings.graphql_introspection.then(introspection_schema);
        let operation_names = Arc::new(OperationNames::from_sdl(&schema.sdl()));
        let started_at = services.clock.now();
        Self {
            services,
            schema,
            introspection_schema,
            operation_names,
            prepared: Arc::default(),
            metrics: Arc::default(),
            jobs: Arc::default(),
            started_at,
        }
    }
}
