//! The approvals service handle; its use cases live in `requests`, `grants`, `policy` and
//! `queries`, each an `impl Approvals` block.

use accord_kernel::SharedClock;
use accord_tenants::Tenants;

/// The approvals service handle. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Approvals {
    /// The database.
    pub db: accord_db::Db,
    /// The clock.
    pub clock: SharedClock,
    /// The tenants service (approver names, data holder lookups).
    pub tenants: Tenants,
    /// Totals of the grants and requests lists, kept while the change feed vouches for them
    /// (enforcement's feed drops them on every grant or request change).
    pub counts: std::sync::Arc<accord_db::page::Counts>,
}
