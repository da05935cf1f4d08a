//! Client-secret material and credential bookkeeping shared by the app use cases (`service.rs`)
//! and secret rotation (`secrets.rs`): the secret format, fresh secrets and revocation. Kept
//! apart so neither of those files imports the other.

use crate::entities::app_credential;
use crate::error::Result;
use accord_kernel::secret::{hash_secret, new_token};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// Prefix of client secrets (so secret scanners can recognize a leaked one).
pub const SECRET_PREFIX: &str = "acc_cs_";
/// How long a client secret lives.
pub const SECRET_DAYS: i64 = 365;
/// Longer presented secrets are refused without hashing (bounds the work a caller can ask for).
pub(crate) const MAX_PRESENTED_SECRET: usize = 256;

/// A fresh secret: the clear text (returned once) and its argon2id hash (stored).
pub(crate) struct NewSecret {
    pub(crate) clear: String,
    pub(crate) hash: String,
}

impl std::fmt::Debug for NewSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewSecret(<redacted>)")
    }
}

impl NewSecret {
    /// Generates and hashes a secret (off the async runtime).
    pub(crate) async fn generate() -> Result<Self> {
        // `new_token` also returns a SHA-256; client secrets are stored with argon2id instead.
        let (clear, _) = new_token(SECRET_PREFIX);
        let hash = hash_secret(clear.clone()).await?;
        Ok(Self { clear, hash })
    }
}

/// Revokes the given credentials now.
pub(crate) async fn revoke(tx: &impl ConnectionTrait, ids: Vec<String>, now: chrono::DateTime<chrono::Utc>) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    app_credential::Entity::update_many()
        .col_expr(app_credential::Column::RevokedAt, Expr::value(now))
        .filter(app_credential::Column::Id.is_in(ids))
        .filter(app_credential::Column::RevokedAt.is_null())
        .exec(tx)
        .await?;
    Ok(())
}
