//! Decisions: `POST /v1/decisions` (may this client do this at the caller's organization?)
//! and `GET /authz` (may this bearer make this FHIR request?), both answered from the live view
//! against the clock.

use crate::access_log::Entry;
use crate::error::{Error, Result};
use crate::fhir::{self, Interaction};
use crate::service::Enforcement;
use crate::token;
use accord_kernel::Principal;
use accord_scopes::{Context, ResourceType, Scope, ScopeSet, covers, explain_uncovered, intersection};
use accord_tenants::records::TenantRecord;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most scopes one decision may ask about.
pub const MAX_DECISION_SCOPES: usize = 100;

/// `POST /v1/decisions`: either `scopes`, or `resourceType` + `interaction` (+ `context`,
/// `query`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DecisionRequest {
    /// The client.
    pub client_id: String,
    /// Scopes to check.
    pub scopes: Option<Vec<String>>,
    /// A resource type to check…
    pub resource_type: Option<String>,
    /// …with this interaction…
    pub interaction: Option<String>,
    /// …in this context (`system` by default, `patient`, `user`)…
    pub context: Option<String>,
    /// …and these search parameters (`"a=b&c=d"` or an object).
    pub query: Option<Query>,
}

/// Search parameters, as a query string or an object.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Query {
    /// `a=b&c=d`.
    Text(String),
    /// `{"a": "b"}`.
    Map(BTreeMap<String, String>),
}

/// One scope not allowed, and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Denial {
    /// The scope.
    pub scope: String,
    /// Why.
    pub reason: String,
}

/// A decision (SPEC §8).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    /// Whether everything asked is allowed.
    pub allowed: bool,
    /// The live grant it was decided on.
    pub grant_id: Option<String>,
    /// When that grant ends.
    pub expires_at: Option<DateTime<Utc>>,
    /// What of the asked is allowed.
    pub allowed_scopes: Vec<String>,
    /// What is not, with the reason.
    pub denied: Vec<Denial>,
}

impl Decision {
    /// A denial of everything asked, for `reason`.
    #[must_use]
    pub fn deny_all(asked: &[Scope], reason: &str) -> Self {
        Self {
            allowed: false,
            grant_id: None,
            expires_at: None,
            allowed_scopes: vec![],
            denied: asked.iter().map(|s| Denial { scope: s.to_string(), reason: reason.to_owned() }).collect(),
        }
    }
}

/// What `/authz` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Authz {
    /// 200.
    Allow {
        /// `X-Accord-Client-Id`.
        client_id: String,
        /// `X-Accord-Grant-Id`.
        grant_id: String,
    },
    /// 401: no token, or not a valid, unexpired, unrevoked token of this holder.
    Unauthorized(String),
    /// 403: not covered by the live grant.
    Forbidden(String),
}

/// What a decision request asks, parsed.
struct Ask {
    scopes: Vec<Scope>,
    resource: Option<(ResourceType, Interaction)>,
}

fn parse(req: &DecisionRequest) -> Result<Ask> {
    let bad = |m: String| Error::Invalid(m);
    let client_id = req.client_id.trim();
    if client_id.is_empty() || client_id.len() > 200 {
        return Err(bad("clientId: must be a client id (1 to 200 characters)".into()));
    }
    let resource_form = req.resource_type.is_some() || req.interaction.is_some() || req.context.is_some() || req.query.is_some();
    match (&req.scopes, resource_form) {
        (Some(_), true) => Err(bad("scopes: give either scopes or resourceType and interaction, not both".into())),
        (None, false) => Err(bad("scopes: give scopes, or resourceType and interaction".into())),
        (Some(scopes), false) => {
            if scopes.is_empty() || scopes.len() > MAX_DECISION_SCOPES {
                return Err(bad(format!("scopes: 1 to {MAX_DECISION_SCOPES} scopes are expected")));
            }
            let mut out = Vec::with_capacity(scopes.len());
            for (i, s) in scopes.iter().enumerate() {
                out.push(s.parse::<Scope>().map_err(|e| bad(format!("scopes[{i}]: {e}")))?);
            }
            Ok(Ask { scopes: out, resource: None })
        }
        (None, true) => {
            let rt = req.resource_type.as_deref().map(str::trim).ok_or_else(|| bad("resourceType: is required with interaction".into()))?;
            let resource_type = fhir::resource_type(rt).map_err(|e| bad(format!("resourceType: {e}")))?;
            let interaction =
                Interaction::parse(req.interaction.as_deref().ok_or_else(|| bad("interaction: is required with resourceType".into()))?)
                    .map_err(|e| bad(format!("interaction: {e}")))?;
            let context = match req.context.as_deref().map(|c| c.trim().to_ascii_lowercase()).as_deref() {
                None | Some("system") => Context::System,
                Some("patient") => Context::Patient,
                Some("user") => Context::User,
                Some(other) => return Err(bad(format!("context: `{other}` is not patient, user or system"))),
            };
            let query: Vec<(String, String)> = match &req.query {
                None => vec![],
                Some(Query::Map(m)) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                Some(Query::Text(t)) => url::form_urlencoded::parse(t.trim_start_matches('?').as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect(),
            };
            let scope = fhir::required_scope(context, resource_type, &interaction, &query)
                .ok_or_else(|| bad("query: these parameters cannot form a scope".into()))?;
            Ok(Ask { scopes: vec![scope], resource: Some((resource_type, interaction)) })
        }
    }
}

impl Enforcement {
    /// Decides whether `req.clientId` may do what `req` asks at the caller's organization.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the field; [`Error::Unavailable`] when the live state cannot be
    /// read (the caller must deny).
    pub async fn decide(&self, caller: &Principal, req: &DecisionRequest) -> Result<Decision> {
        let ask = parse(req)?;
        let now = self.inner.clock.now();
        let client = self.client(req.client_id.trim()).await?;
        let live = client.as_deref().map(|c| (c, c.grant_at(&caller.tenant_id)));
        let decision = match live {
            None | Some((_, None)) => Decision::deny_all(&ask.scopes, "no live grant for this client at this data holder"),
            Some((c, _)) if c.app.status != accord_registry::AppStatus::Active => {
                Decision::deny_all(&ask.scopes, &format!("the app is {}", c.app.status.as_str().to_ascii_lowercase()))
            }
            Some((_, Some(g))) => match g.why_not(now) {
                Some(why) => {
                    Decision { grant_id: Some(g.id.clone()), expires_at: Some(g.expires_at), ..Decision::deny_all(&ask.scopes, why) }
                }
                None => {
                    let asked = ScopeSet::from_scopes(ask.scopes.iter().cloned());
                    let denied: Vec<Denial> = ask
                        .scopes
                        .iter()
                        .filter_map(|s| explain_uncovered(&g.scopes, s).map(|reason| Denial { scope: s.to_string(), reason }))
                        .collect();
                    Decision {
                        allowed: denied.is_empty(),
                        grant_id: Some(g.id.clone()),
                        expires_at: Some(g.expires_at),
                        allowed_scopes: intersection(&g.scopes, &asked).to_strings(),
                        denied,
                    }
                }
            },
        };
        let entry = Entry {
            holder_tenant_id: caller.tenant_id.clone(),
            client_id: req.client_id.trim().to_owned(),
            app_id: client.as_ref().map(|c| c.app.id.clone()),
            grant_id: decision.grant_id.clone(),
            resource_type: ask.resource.as_ref().map(|(t, _)| t.name().to_owned()),
            interaction: ask.resource.as_ref().map(|(_, i)| i.name()),
            scope: ask.resource.is_none().then(|| ScopeSet::from_scopes(ask.scopes.iter().cloned()).to_string()),
            outcome: if decision.allowed { "allowed" } else { "denied" }.into(),
            source: "decision",
        };
        self.inner.log.record(entry, now);
        Ok(decision)
    }

    /// `GET /authz`: whether `bearer` may make `method uri` at `holder`.
    ///
    /// # Errors
    /// [`Error::Unavailable`] when the live state cannot be read (answer neither 200 nor 403
    /// from it: fail closed).
    pub async fn authz(&self, holder: &TenantRecord, bearer: Option<&str>, method: &str, uri: &str) -> Result<Authz> {
        let Some(bearer) = bearer else { return Ok(Authz::Unauthorized("no bearer token".into())) };
        let Some(claims) = self.verify_access_token(holder, bearer).await? else {
            return Ok(Authz::Unauthorized("the token was not issued by this data holder".into()));
        };
        let now = self.inner.clock.now();
        if claims.expires_at() <= now {
            return Ok(Authz::Unauthorized("the token has expired".into()));
        }
        if self.inner.view.is_revoked(&claims.jti) {
            return Ok(Authz::Unauthorized("the token was revoked".into()));
        }
        let client = self.client(&claims.sub).await?;
        let outcome = self.authz_on(holder, &claims, client.as_deref(), method, uri, now);
        if let Some(c) = client.as_deref() {
            let request = fhir::classify(method, uri).ok();
            let entry = Entry {
                holder_tenant_id: holder.id.clone(),
                client_id: claims.client_id.clone(),
                app_id: Some(c.app.id.clone()),
                grant_id: Some(claims.grant_id.clone()),
                resource_type: request.as_ref().map(|r| r.resource_type.name().to_owned()),
                interaction: request.as_ref().map(|r| r.interaction.name()),
                scope: None,
                outcome: if matches!(outcome, Authz::Allow { .. }) { "allowed" } else { "denied" }.into(),
                source: "authz",
            };
            self.inner.log.record(entry, now);
        }
        Ok(outcome)
    }

    fn authz_on(
        &self,
        holder: &TenantRecord,
        claims: &crate::service::Verified,
        client: Option<&crate::view::Client>,
        method: &str,
        uri: &str,
        now: DateTime<Utc>,
    ) -> Authz {
        if let Some(why) = token::inactive_because(claims, &claims.scopes, client, &holder.id, now) {
            return Authz::Forbidden(why.into());
        }
        let Some(grant) = client.and_then(|c| token::live_grant(c, &holder.id, now)) else {
            return Authz::Forbidden("no live grant".into());
        };
        let request = match fhir::classify(method, uri) {
            Ok(r) => r,
            Err(why) => return Authz::Forbidden(why),
        };
        let carried = &claims.scopes;
        let contexts: Vec<Context> = {
            let mut c: Vec<Context> = carried.iter().filter_map(Scope::as_resource).map(|r| r.context()).collect();
            c.dedup();
            c
        };
        for context in contexts {
            let Some(needed) = fhir::required_scope(context, request.resource_type, &request.interaction, &request.query) else { continue };
            if covers(carried, &needed) && covers(&grant.scopes, &needed) {
                return Authz::Allow { client_id: claims.client_id.clone(), grant_id: grant.id.clone() };
            }
        }
        Authz::Forbidden(format!("{} on {} is not granted", request.interaction.name(), request.resource_type.name()))
    }
}
