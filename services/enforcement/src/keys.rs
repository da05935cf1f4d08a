//! Each data holder's token-signing keys. A key (ES384, P-384) is generated on first use, its
//! private part sealed with a key derived from `ACCORD_SECRET_KEY`; rotation retires the
//! current key and keeps publishing it until every token it signed has expired, so a resource
//! server holding a cached JWKS never sees a token it cannot verify. Keys are loaded once per
//! process and reloaded when the change feed says they changed (or on an unknown `kid`).

use crate::entities::signing_key;
use crate::error::{Error, Result};
use accord_db::audit::AuditEntry;
use accord_kernel::Actor;
use accord_kernel::seal::Sealer;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{DecodingKey, EncodingKey};
use p384::elliptic_curve::sec1::ToSec1Point as _;
use p384::pkcs8::EncodePrivateKey as _;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, ExprTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// The signing algorithm of every holder key.
pub const ALG: &str = "ES384";
/// How long a retired key stays published after rotation: the longest token lifetime plus a
/// minute for clocks and caches.
pub const PUBLISH_AFTER_RETIREMENT_SECS: i64 = crate::token::MAX_TOKEN_SECS + 60;

/// A key that can sign.
pub struct Signer {
    /// Its `kid`.
    pub kid: String,
    /// The private key.
    pub key: EncodingKey,
}

/// A published key.
pub struct Published {
    /// Its `kid`.
    pub kid: String,
    /// The public JWK (what `jwks.json` shows).
    pub jwk: Value,
    /// For verifying.
    pub key: DecodingKey,
}

/// A holder's keys: the one that signs now and every one still published.
pub struct HolderKeys {
    /// The current key.
    pub current: Signer,
    /// Every published key, newest first (the current one included).
    pub published: Vec<Published>,
}

impl HolderKeys {
    /// The published key with this `kid`.
    #[must_use]
    pub fn find(&self, kid: &str) -> Option<&Published> {
        self.published.iter().find(|p| p.kid == kid)
    }

    /// The JWK Set to publish.
    #[must_use]
    pub fn jwks(&self) -> Value {
        json!({ "keys": self.published.iter().map(|p| p.jwk.clone()).collect::<Vec<_>>() })
    }
}

/// The key ring of this process: holders' keys, loaded on demand.
pub struct KeyRing {
    sealer: Sealer,
    loaded: RwLock<HashMap<String, Arc<HolderKeys>>>,
}

impl KeyRing {
    /// A ring whose private keys are sealed with `sealer`.
    #[must_use]
    pub fn new(sealer: Sealer) -> Self {
        Self { sealer, loaded: RwLock::default() }
    }

    /// Forgets every loaded key (the change feed saw a key change).
    pub fn forget_all(&self) {
        if let Ok(mut l) = self.loaded.write() {
            l.clear();
        }
    }

    /// The loaded keys of `tenant_id`, without touching the database.
    #[must_use]
    pub fn cached(&self, tenant_id: &str) -> Option<Arc<HolderKeys>> {
        self.loaded.read().ok()?.get(tenant_id).cloned()
    }

    /// The holder's keys, generating its first key when it has none.
    ///
    /// # Errors
    /// [`Error::Unavailable`] when the database fails; [`Error::Internal`] when a stored key
    /// cannot be opened.
    pub async fn keys(&self, db: &accord_db::Db, tenant_id: &str, now: DateTime<Utc>) -> Result<Arc<HolderKeys>> {
        if let Some(k) = self.cached(tenant_id) {
            return Ok(k);
        }
        self.reload(db, tenant_id, now).await
    }

    /// Reads the holder's keys again (an unknown `kid` may be a key another replica made).
    ///
    /// # Errors
    /// As [`KeyRing::keys`].
    pub async fn reload(&self, db: &accord_db::Db, tenant_id: &str, now: DateTime<Utc>) -> Result<Arc<HolderKeys>> {
        let mut rows = published_rows(db.reader(), tenant_id, now).await?;
        if !rows.iter().any(|r| r.retired_at.is_none()) {
            rows = accord_db::retrying("signing key", || self.create_first(db, tenant_id, now)).await?;
        }
        let keys = Arc::new(self.open(rows)?);
        if let Ok(mut l) = self.loaded.write() {
            l.insert(tenant_id.to_owned(), keys.clone());
        }
        Ok(keys)
    }

    /// Retires the holder's current key (published until its last token expires) and makes a
    /// new one current. Audited as `signing_key.rotated`.
    ///
    /// # Errors
    /// As [`KeyRing::keys`].
    pub async fn rotate(&self, db: &accord_db::Db, actor: &Actor, tenant_id: &str, now: DateTime<Utc>) -> Result<String> {
        let kid = accord_db::retrying("rotate signing key", || async {
            let tx = accord_db::begin(db).await?;
            let until = now + Duration::seconds(PUBLISH_AFTER_RETIREMENT_SECS);
            let current = signing_key::Entity::find()
                .filter(signing_key::Column::TenantId.eq(tenant_id))
                .filter(signing_key::Column::RetiredAt.is_null())
                .all(&tx)
                .await?;
            for k in &current {
                let mut a: signing_key::ActiveModel = k.clone().into();
                a.retired_at = Set(Some(now));
                a.publish_until = Set(Some(until));
                signing_key::Entity::update(a).exec(&tx).await?;
            }
            let kid = self.insert_new(&tx, tenant_id, now).await?;
            let retired: Vec<&str> = current.iter().map(|k| k.kid.as_str()).collect();
            accord_db::audit::record(
                &tx,
                now,
                AuditEntry {
                    actor,
                    action: "signing_key.rotated",
                    target_type: "signing_key",
                    target_id: &kid,
                    tenant_ids: vec![tenant_id.to_owned()],
                    details: json!({ "tenantId": tenant_id, "retired": retired, "publishedUntil": until }),
                },
            )
            .await?;
            tx.commit().await?;
            Ok::<_, Error>(kid)
        })
        .await?;
        self.reload(db, tenant_id, now).await?;
        Ok(kid)
    }

    async fn create_first(&self, db: &accord_db::Db, tenant_id: &str, now: DateTime<Utc>) -> Result<Vec<signing_key::Model>> {
        let tx = accord_db::begin(db).await?;
        // Under the write lock: another replica may have made it since we looked.
        let existing = published_rows(&tx, tenant_id, now).await?;
        if existing.iter().any(|r| r.retired_at.is_none()) {
            tx.commit().await?;
            return Ok(existing);
        }
        let kid = self.insert_new(&tx, tenant_id, now).await?;
        accord_db::audit::record(
            &tx,
            now,
            AuditEntry {
                actor: &Actor::System,
                action: "signing_key.created",
                target_type: "signing_key",
                target_id: &kid,
                tenant_ids: vec![tenant_id.to_owned()],
                details: json!({ "tenantId": tenant_id, "alg": ALG }),
            },
        )
        .await?;
        let rows = published_rows(&tx, tenant_id, now).await?;
        tx.commit().await?;
        Ok(rows)
    }

    async fn insert_new(&self, tx: &impl sea_orm::ConnectionTrait, tenant_id: &str, now: DateTime<Utc>) -> Result<String> {
        let (secret, jwk_public) = generate()?;
        let kid = format!("{}-{}", now.format("%Y%m%d"), &uuid::Uuid::new_v4().simple().to_string()[..12]);
        let mut jwk = jwk_public;
        jwk["kid"] = json!(kid);
        let der = secret.to_pkcs8_der().map_err(|e| Error::internal(format!("cannot encode a new key: {e}")))?;
        signing_key::Entity::insert(signing_key::ActiveModel {
            kid: Set(kid.clone()),
            tenant_id: Set(tenant_id.to_owned()),
            alg: Set(ALG.into()),
            public_jwk: Set(jwk.to_string()),
            private_sealed: Set(self.sealer.seal(der.as_bytes())),
            created_at: Set(now),
            retired_at: Set(None),
            publish_until: Set(None),
        })
        .exec(tx)
        .await?;
        Ok(kid)
    }

    fn open(&self, rows: Vec<signing_key::Model>) -> Result<HolderKeys> {
        let mut current = None;
        let mut published = Vec::with_capacity(rows.len());
        for row in rows {
            let jwk: Value =
                serde_json::from_str(&row.public_jwk).map_err(|_| Error::internal(format!("signing key {} is corrupt", row.kid)))?;
            let (x, y) = (jwk["x"].as_str().unwrap_or_default(), jwk["y"].as_str().unwrap_or_default());
            let key = DecodingKey::from_ec_components(x, y).map_err(|_| Error::internal(format!("signing key {} is corrupt", row.kid)))?;
            if row.retired_at.is_none() && current.is_none() {
                let der = self
                    .sealer
                    .open(&row.private_sealed)
                    .map_err(|_| Error::internal(format!("signing key {} cannot be opened: was ACCORD_SECRET_KEY changed?", row.kid)))?;
                current = Some(Signer { kid: row.kid.clone(), key: EncodingKey::from_ec_der(&der) });
            }
            published.push(Published { kid: row.kid, jwk, key });
        }
        let current = current.ok_or_else(|| Error::internal("no current signing key"))?;
        Ok(HolderKeys { current, published })
    }
}

/// The holder's keys still published at `now`: the current one first, then the newest.
async fn published_rows(db: &impl sea_orm::ConnectionTrait, tenant_id: &str, now: DateTime<Utc>) -> Result<Vec<signing_key::Model>> {
    let mut rows = signing_key::Entity::find()
        .filter(signing_key::Column::TenantId.eq(tenant_id))
        .filter(signing_key::Column::PublishUntil.is_null().or(signing_key::Column::PublishUntil.gt(now)))
        .order_by_desc(signing_key::Column::CreatedAt)
        .all(db)
        .await?;
    // A rotation may happen within the clock's resolution: retirement, not time, says which is current.
    rows.sort_by_key(|r| (r.retired_at.is_some(), std::cmp::Reverse(r.created_at)));
    Ok(rows)
}

/// A new P-384 key and its public JWK (without `kid`).
fn generate() -> Result<(p384::SecretKey, Value)> {
    use rand::RngCore as _;
    for _ in 0..8 {
        let mut bytes = [0u8; 48];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        // A random 384-bit string is a valid scalar unless it is zero or ≥ the group order.
        if let Ok(secret) = p384::SecretKey::from_slice(&bytes) {
            let point = secret.public_key().to_sec1_point(false);
            let (Some(x), Some(y)) = (point.x(), point.y()) else { continue };
            let jwk = json!({
                "kty": "EC", "crv": "P-384", "alg": ALG, "use": "sig",
                "x": URL_SAFE_NO_PAD.encode(x), "y": URL_SAFE_NO_PAD.encode(y),
            });
            return Ok((secret, jwk));
        }
    }
    Err(Error::internal("could not draw a P-384 key"))
}
