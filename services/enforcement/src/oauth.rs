//! The OAuth endpoints of a data holder: the Backend Services token endpoint, introspection
//! (RFC 7662 + SMART) and revocation (RFC 7009).

use crate::access_log::Entry;
use crate::assertion::{self, SKEW_SECS};
use crate::entities::revoked_token;
use crate::error::{Error, OAuthError, Result};
use crate::service::Enforcement;
use crate::token::{self, AccessClaims, MAX_TOKEN_SECS};
use crate::view::Client;
use accord_db::audit::AuditEntry;
use accord_kernel::{Actor, Principal};
use accord_scopes::{ScopeSet, intersection};
use accord_tenants::records::TenantRecord;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, EntityTrait};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::sync::Arc;

/// Failed client authentications one address may make within [`FAILED_AUTH_WINDOW`]; past
/// it, the token endpoint answers 429 without checking a signature (each costs a P-384 or RSA
/// verification). Counted per address, not per client id, so a stranger cannot lock a real
/// client out by failing in its name.
pub const FAILED_AUTH_PER_ADDRESS: u64 = 100;
/// The window of [`FAILED_AUTH_PER_ADDRESS`].
pub const FAILED_AUTH_WINDOW: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// The only `client_assertion_type` (RFC 7523).
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// A token request's form fields (`application/x-www-form-urlencoded`).
#[derive(Debug, Default, Deserialize)]
pub struct TokenForm {
    /// `client_credentials`.
    pub grant_type: Option<String>,
    /// [`JWT_BEARER`].
    pub client_assertion_type: Option<String>,
    /// The signed authentication JWT.
    pub client_assertion: Option<String>,
    /// Space-separated scopes.
    pub scope: Option<String>,
    /// Optional; when sent it must be the assertion's `iss`.
    pub client_id: Option<String>,
}

/// A successful token response.
#[derive(Debug, Serialize)]
pub struct TokenResponse {
    /// The JWT.
    pub access_token: String,
    /// `bearer`.
    pub token_type: &'static str,
    /// Seconds until it expires (≤ 300).
    pub expires_in: i64,
    /// What it carries: requested ∩ granted.
    pub scope: String,
}

/// Who asks for a revocation.
pub enum Revoker {
    /// A holder's API token.
    Holder(Principal),
    /// The client itself, with a client assertion.
    Client {
        /// The form's `client_assertion_type`.
        assertion_type: Option<String>,
        /// The form's `client_assertion`.
        assertion: Option<String>,
    },
}

impl Enforcement {
    /// The token endpoint URL of a holder (the `aud` client assertions must carry).
    #[must_use]
    pub fn token_url(&self, slug: &str) -> String {
        format!("{}/oauth/token", self.base_url(slug))
    }

    /// SMART Backend Services: authenticates the client and issues an access token for
    /// requested ∩ granted at `holder`.
    ///
    /// # Errors
    /// The OAuth error to answer with: `invalid_client` for any authentication failure,
    /// `invalid_scope` when nothing requested is granted (or no grant is live), and
    /// `temporarily_unavailable` when the live state cannot be read.
    pub async fn issue_token(&self, holder: &TenantRecord, form: TokenForm, client_ip: Option<&str>) -> Result<TokenResponse, OAuthError> {
        match form.grant_type.as_deref() {
            Some("client_credentials") => {}
            None => return Err(OAuthError::invalid_request("grant_type is required (client_credentials)")),
            Some(_) => return Err(OAuthError::unsupported_grant_type("grant_type must be client_credentials")),
        }
        let requested = match form.scope.as_deref().map(str::trim) {
            None | Some("") => return Err(OAuthError::invalid_request("scope is required")),
            Some(s) => ScopeSet::parse_space_delimited(s).map_err(|e| OAuthError::invalid_scope(format!("scope: {e}")))?,
        };
        let now = self.inner.clock.now();
        let failures = client_ip.map(|ip| format!("token:auth-failures:{ip}"));
        if let Some(key) = &failures {
            let n = self.inner.store.count(key).await.map_err(|_| OAuthError::unavailable())?;
            if n >= FAILED_AUTH_PER_ADDRESS {
                return Err(OAuthError::slow_down(FAILED_AUTH_WINDOW.as_secs()));
            }
        }
        let client = self
            .authenticate_client(
                holder,
                form.client_assertion_type.as_deref(),
                form.client_assertion.as_deref(),
                form.client_id.as_deref(),
                now,
            )
            .await;
        let client = match client {
            Ok(c) => c,
            Err(e) => {
                tracing::info!(holder = %holder.id, code = e.code, why = %e.description, "token refused");
                if e.code == "invalid_client"
                    && let Some(key) = &failures
                {
                    self.inner.store.incr(key, FAILED_AUTH_WINDOW).await.map_err(|_| OAuthError::unavailable())?;
                }
                return Err(e);
            }
        };
        let refuse = |why: String| OAuthError::invalid_scope(why);
        let Some(grant) = client.grant_at(&holder.id) else {
            self.log_token(holder, &client, None, &requested, "refused", now);
            return Err(refuse("the app has no live grant at this data holder".into()));
        };
        if let Some(why) = grant.why_not(now) {
            self.log_token(holder, &client, Some(&grant.id), &requested, "refused", now);
            return Err(refuse(why.into()));
        }
        let granted = intersection(&grant.scopes, &requested);
        if granted.is_empty() {
            self.log_token(holder, &client, Some(&grant.id), &requested, "refused", now);
            return Err(refuse(format!("nothing of the requested scope is granted; the grant allows: {}", grant.scopes)));
        }
        let expires_at = (now + Duration::seconds(MAX_TOKEN_SECS)).min(grant.expires_at);
        let keys = self.inner.keys.keys(&self.inner.db, &holder.id, now).await.map_err(|e| {
            tracing::error!(error = %accord_kernel::gql::cause_chain(&e), "cannot load the holder's signing key");
            OAuthError::unavailable()
        })?;
        let base = self.base_url(&holder.slug);
        let claims = AccessClaims {
            iss: base.clone(),
            sub: client.app.client_id.clone(),
            aud: base,
            exp: expires_at.timestamp(),
            iat: now.timestamp(),
            jti: accord_kernel::new_id(),
            client_id: client.app.client_id.clone(),
            scope: granted.to_string(),
            grant_id: grant.id.clone(),
        };
        let access_token = jsonwebtoken::encode(&token::header(&keys.current.kid), &claims, &keys.current.key).map_err(|e| {
            tracing::error!(error = %e, "cannot sign an access token");
            OAuthError::unavailable()
        })?;
        self.log_token(holder, &client, Some(&grant.id), &granted, "issued", now);
        Ok(TokenResponse { access_token, token_type: "bearer", expires_in: (expires_at - now).num_seconds().max(1), scope: claims.scope })
    }

    /// Authenticates a client by its assertion (every SMART SHALL; any failure is
    /// `invalid_client`), consuming the assertion's `jti`.
    async fn authenticate_client(
        &self,
        holder: &TenantRecord,
        assertion_type: Option<&str>,
        assertion: Option<&str>,
        client_id: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Arc<Client>, OAuthError> {
        if assertion_type != Some(JWT_BEARER) {
            return Err(OAuthError::invalid_client(format!("client_assertion_type must be {JWT_BEARER}")));
        }
        let assertion = assertion.filter(|a| !a.is_empty()).ok_or_else(|| OAuthError::invalid_client("client_assertion is required"))?;
        if assertion.len() > 16 * 1024 {
            return Err(OAuthError::invalid_client("client_assertion is longer than 16 KiB"));
        }
        let (header, iss) = assertion::peek(assertion)?;
        if client_id.is_some_and(|c| c != iss) {
            return Err(OAuthError::invalid_client("client_id does not match the assertion's iss"));
        }
        let client = self.client(&iss).await.map_err(|_| OAuthError::unavailable())?;
        let client = client.ok_or_else(|| OAuthError::invalid_client("unknown client"))?;
        assertion::check_app(&client)?;
        let uri = client.app.jwks_uri.as_deref();
        if let Some(jku) = header.jku.as_deref()
            && Some(jku) != uri
        {
            return Err(OAuthError::invalid_client("client_assertion: jku is not the app's registered jwksUri"));
        }
        let key = match (assertion::inline(&client), uri) {
            (Some(set), _) => {
                let set = set?;
                assertion::select(&set, &header)?.cloned()
            }
            (None, Some(uri)) => {
                let set = self.inner.jwks.get(uri, false).await?;
                match assertion::select(&set, &header)?.cloned() {
                    Some(k) => Some(k),
                    None => assertion::select(&*self.inner.jwks.get(uri, true).await?, &header)?.cloned(),
                }
            }
            (None, None) => return Err(OAuthError::invalid_client("the app has no registered public keys (jwks or jwksUri)")),
        };
        let key = key.ok_or_else(|| {
            OAuthError::invalid_client(format!(
                "client_assertion: no registered key has kid {} and a type fit for {:?}",
                header.kid, header.alg
            ))
        })?;
        let token_url = self.token_url(&holder.slug);
        let (jti, exp) = assertion::verify(assertion, &key, &header, &iss, &token_url, now)?;
        let ttl = (exp - now).num_seconds().max(0) + SKEW_SECS + 60;
        let ttl = std::time::Duration::from_secs(u64::try_from(ttl).unwrap_or(60));
        let fresh = self.inner.store.set_nx(&assertion::jti_key(&iss, &jti), "1", ttl).await.map_err(|e| {
            tracing::error!(error = %accord_kernel::gql::cause_chain(&e), "cannot record an assertion's jti");
            OAuthError::unavailable()
        })?;
        if !fresh {
            return Err(OAuthError::invalid_client("client_assertion: this jti has been used before"));
        }
        Ok(client)
    }

    fn log_token(
        &self,
        holder: &TenantRecord,
        client: &Client,
        grant_id: Option<&str>,
        scopes: &ScopeSet,
        outcome: &str,
        now: DateTime<Utc>,
    ) {
        let entry = Entry {
            holder_tenant_id: holder.id.clone(),
            client_id: client.app.client_id.clone(),
            app_id: Some(client.app.id.clone()),
            grant_id: grant_id.map(str::to_owned),
            resource_type: None,
            interaction: Some("token".into()),
            scope: Some(scopes.to_string()),
            outcome: outcome.into(),
            source: "token",
        };
        self.inner.log.record(entry, now);
    }

    /// RFC 7662 introspection by the holder: the SMART fields of an active token, or exactly
    /// `{"active": false}`.
    ///
    /// # Errors
    /// [`Error::Forbidden`] when the caller is another holder; [`Error::Unavailable`] when the
    /// live state cannot be read (answer inactive).
    pub async fn introspect(&self, caller: &Principal, holder: &TenantRecord, token: &str) -> Result<Value> {
        if caller.tenant_id != holder.id {
            return Err(Error::Forbidden("an API token introspects only its own organization's tokens".into()));
        }
        let inactive = json!({ "active": false });
        let Some(claims) = self.verify_access_token(holder, token).await? else { return Ok(inactive) };
        if self.inner.view.is_revoked(&claims.jti) {
            return Ok(inactive);
        }
        let now = self.inner.clock.now();
        let client = self.client(&claims.sub).await?;
        if token::inactive_because(&claims, &claims.scopes, client.as_deref(), &holder.id, now).is_some() {
            return Ok(inactive);
        }
        Ok(json!({
            "active": true,
            "scope": claims.scope,
            "client_id": claims.client_id,
            "exp": claims.exp,
            "iat": claims.iat,
            "iss": claims.iss,
            "sub": claims.sub,
            "aud": claims.aud,
            "token_type": "Bearer",
            "grant_id": claims.grant_id,
        }))
    }

    /// RFC 7009: revokes an access token of `holder`. A token that is not one, is another
    /// client's, or has expired is not an error (§2.2).
    ///
    /// # Errors
    /// [`OAuthError`] when the caller cannot be authenticated; `temporarily_unavailable` when
    /// the revocation cannot be written.
    pub async fn revoke(&self, holder: &TenantRecord, revoker: Revoker, token: &str) -> Result<(), OAuthError> {
        let now = self.inner.clock.now();
        let actor = match revoker {
            Revoker::Holder(p) if p.tenant_id == holder.id => p.actor,
            Revoker::Holder(_) => return Err(OAuthError::invalid_client("an API token revokes only its own organization's tokens")),
            Revoker::Client { assertion_type, assertion } => {
                let client = self.authenticate_client(holder, assertion_type.as_deref(), assertion.as_deref(), None, now).await?;
                Actor::App { client_id: client.app.client_id.clone() }
            }
        };
        let claims = self.verify_access_token(holder, token).await.map_err(|_| OAuthError::unavailable())?;
        let Some(claims) = claims else { return Ok(()) };
        if let Actor::App { client_id } = &actor
            && *client_id != claims.client_id
        {
            return Ok(());
        }
        if claims.expires_at() <= now || self.inner.view.is_revoked(&claims.jti) {
            return Ok(());
        }
        let write = accord_db::retrying("revoke token", || async {
            let tx = accord_db::begin(&self.inner.db).await?;
            revoked_token::Entity::insert(revoked_token::ActiveModel {
                jti: Set(claims.jti.clone()),
                tenant_id: Set(holder.id.clone()),
                client_id: Set(claims.client_id.clone()),
                expires_at: Set(claims.expires_at()),
                revoked_at: Set(now),
            })
            .on_conflict(OnConflict::column(revoked_token::Column::Jti).do_nothing().to_owned())
            .exec_without_returning(&tx)
            .await?;
            accord_db::audit::record(
                &tx,
                now,
                AuditEntry {
                    actor: &actor,
                    action: "token.revoked",
                    target_type: "access_token",
                    target_id: &claims.jti,
                    tenant_ids: vec![holder.id.clone()],
                    details: json!({ "clientId": claims.client_id, "grantId": claims.grant_id, "expiresAt": claims.expires_at() }),
                },
            )
            .await?;
            tx.commit().await?;
            Ok::<_, Error>(())
        })
        .await;
        write.map_err(|e| {
            tracing::error!(error = %accord_kernel::gql::cause_chain(&e), "cannot revoke a token");
            OAuthError::unavailable()
        })?;
        self.inner.view.revoke(&claims.jti, claims.expires_at());
        Ok(())
    }
}
