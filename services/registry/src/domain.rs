//! Apps as the registry accepts them: kinds, the status state machine, and [`AppSpec`] — a
//! registration that has been parsed field by field and then checked as a whole. Once a value
//! is an `AppSpec`, inner code never re-checks it. Every error names the GraphQL field.

use crate::jwks::Jwks;
use crate::uri::{Transport, WebUrl, redirect_uris};
use accord_kernel::email::Email;
use accord_kernel::error::field_error;
use accord_kernel::text::line as text;
use std::fmt;
use std::str::FromStr;

/// What an app is for (SPEC §1, fixed names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, async_graphql::Enum)]
#[graphql(name = "AppKind")]
pub enum AppKind {
    /// Used by patients (standalone or EHR launch, usually a public PKCE client).
    PatientFacing,
    /// Used by clinicians inside or beside the EHR.
    ProviderFacing,
    /// A server without a user (SMART Backend Services, `private_key_jwt`).
    BackendService,
}

impl AppKind {
    /// All kinds, in a stable order.
    pub const ALL: [AppKind; 3] = [AppKind::PatientFacing, AppKind::ProviderFacing, AppKind::BackendService];

    /// The fixed name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            AppKind::PatientFacing => "PATIENT_FACING",
            AppKind::ProviderFacing => "PROVIDER_FACING",
            AppKind::BackendService => "BACKEND_SERVICE",
        }
    }
}

impl fmt::Display for AppKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AppKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AppKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| format!("unknown app kind `{s}`"))
    }
}

/// Where an app stands (SPEC §1: `ACTIVE` ⇄ `SUSPENDED` → `OFFBOARDED`, final).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, async_graphql::Enum)]
#[graphql(name = "AppStatus")]
pub enum AppStatus {
    /// May authenticate and use its grants.
    Active,
    /// Temporarily stopped by its vendor; its credentials do not work until resumed.
    Suspended,
    /// Retired for good: grants revoked, requests cancelled, credentials disabled.
    Offboarded,
}

impl AppStatus {
    /// All statuses, in a stable order.
    pub const ALL: [AppStatus; 3] = [AppStatus::Active, AppStatus::Suspended, AppStatus::Offboarded];

    /// The fixed name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            AppStatus::Active => "ACTIVE",
            AppStatus::Suspended => "SUSPENDED",
            AppStatus::Offboarded => "OFFBOARDED",
        }
    }

    /// Whether the state machine allows `self` → `to`.
    #[must_use]
    pub fn can_become(self, to: AppStatus) -> bool {
        matches!(
            (self, to),
            (AppStatus::Active, AppStatus::Suspended)
                | (AppStatus::Suspended, AppStatus::Active)
                | (AppStatus::Active | AppStatus::Suspended, AppStatus::Offboarded)
        )
    }
}

impl fmt::Display for AppStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AppStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AppStatus::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| format!("unknown app status `{s}`"))
    }
}

/// What a credential row is (SPEC §1: client secrets are stored as argon2id hashes only; a key
/// credential records when the app's keys were registered or replaced).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CredentialKind {
    /// A client secret.
    ClientSecret,
    /// A key registration (inline JWKS or JWKS URL).
    Jwks,
}

impl CredentialKind {
    /// All kinds, in a stable order.
    pub const ALL: [CredentialKind; 2] = [CredentialKind::ClientSecret, CredentialKind::Jwks];

    /// The fixed name, as stored.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialKind::ClientSecret => "CLIENT_SECRET",
            CredentialKind::Jwks => "JWKS",
        }
    }
}

impl fmt::Display for CredentialKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CredentialKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CredentialKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| format!("unknown credential kind `{s}`"))
    }
}

/// A registration as sent (`RegisterAppInput`), before parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApp {
    /// Display name.
    pub name: String,
    /// What it does.
    pub description: Option<String>,
    /// Kind.
    pub kind: AppKind,
    /// PKCE-only client without a secret (default false).
    pub public: Option<bool>,
    /// OAuth redirect URIs.
    pub redirect_uris: Option<Vec<String>>,
    /// SMART launch URL.
    pub launch_url: Option<String>,
    /// Where its public keys are published.
    pub jwks_uri: Option<String>,
    /// Its public keys, inline.
    pub jwks: Option<String>,
    /// Why it needs data.
    pub purpose: String,
    /// Who answers for it.
    pub business_owner_email: String,
    /// Who runs it.
    pub technical_owner_email: String,
}

/// An update as sent (`UpdateAppInput`): `None` leaves a field alone; for the clearable fields
/// `Some(None)` (an explicit `null`) clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[allow(clippy::option_option)]
pub struct AppPatch {
    /// New name.
    pub name: Option<String>,
    /// New description, or clear it.
    pub description: Option<Option<String>>,
    /// New public flag.
    pub public: Option<bool>,
    /// New redirect URIs (the whole list).
    pub redirect_uris: Option<Vec<String>>,
    /// New launch URL, or clear it.
    pub launch_url: Option<Option<String>>,
    /// New JWKS URL, or clear it.
    pub jwks_uri: Option<Option<String>>,
    /// New inline JWKS, or clear it.
    pub jwks: Option<Option<String>>,
    /// New purpose.
    pub purpose: Option<String>,
    /// New business owner.
    pub business_owner_email: Option<String>,
    /// New technical owner.
    pub technical_owner_email: Option<String>,
}

impl AppPatch {
    /// Applies the patch to an app as it stands, giving the whole app to re-validate.
    #[must_use]
    pub fn apply(self, current: NewApp) -> NewApp {
        NewApp {
            name: self.name.unwrap_or(current.name),
            description: self.description.unwrap_or(current.description),
            kind: current.kind,
            public: self.public.or(current.public),
            redirect_uris: self.redirect_uris.or(current.redirect_uris),
            launch_url: self.launch_url.unwrap_or(current.launch_url),
            jwks_uri: self.jwks_uri.unwrap_or(current.jwks_uri),
            jwks: self.jwks.unwrap_or(current.jwks),
            purpose: self.purpose.unwrap_or(current.purpose),
            business_owner_email: self.business_owner_email.unwrap_or(current.business_owner_email),
            technical_owner_email: self.technical_owner_email.unwrap_or(current.technical_owner_email),
        }
    }
}

/// Where an app's public keys come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keys {
    /// A JWK Set registered inline.
    Inline(Jwks),
    /// A JWK Set fetched from an https URL.
    Url(WebUrl),
}

/// How an app authenticates at the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    /// A public client: no credential, PKCE only.
    Pkce,
    /// A confidential client with a client secret.
    ClientSecret,
    /// A confidential client signing assertions with its registered keys.
    PrivateKeyJwt,
}

impl AuthMethod {
    /// How a person would say it.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            AuthMethod::Pkce => "a public client (PKCE, no credential)",
            AuthMethod::ClientSecret => "a client secret",
            AuthMethod::PrivateKeyJwt => "keys (jwks or jwksUri)",
        }
    }
}

/// Longest name.
pub const MAX_NAME: usize = 200;
/// Longest description and purpose.
pub const MAX_LONG_TEXT: usize = 2000;

/// A registration parsed and checked as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppSpec {
    /// Display name.
    pub name: String,
    /// What it does.
    pub description: Option<String>,
    /// Kind.
    pub kind: AppKind,
    /// PKCE-only client without a secret.
    pub public: bool,
    /// OAuth redirect URIs, exactly as registered.
    pub redirect_uris: Vec<WebUrl>,
    /// SMART launch URL.
    pub launch_url: Option<WebUrl>,
    /// Its public keys.
    pub keys: Option<Keys>,
    /// Why it needs data.
    pub purpose: String,
    /// Who answers for it.
    pub business_owner: Email,
    /// Who runs it.
    pub technical_owner: Email,
}

impl AppSpec {
    /// Parses every field, then checks the rules that tie fields together.
    ///
    /// # Errors
    /// The first problem found, as `"<field>: <problem>"`.
    pub fn parse(raw: &NewApp) -> Result<Self, String> {
        let name = text("name", &raw.name, MAX_NAME)?;
        let description = optional(raw.description.as_deref()).map(|d| long_text("description", d, MAX_LONG_TEXT)).transpose()?;
        let purpose = accord_kernel::text::reason("purpose", &raw.purpose)?;
        let business_owner = Email::parse("businessOwnerEmail", &raw.business_owner_email)?;
        let technical_owner = Email::parse("technicalOwnerEmail", &raw.technical_owner_email)?;
        let redirect = redirect_uris(raw.redirect_uris.as_deref().unwrap_or_default())?;
        let launch_url =
            optional(raw.launch_url.as_deref()).map(|u| WebUrl::parse("launchUrl", u, Transport::HttpsOrLoopback)).transpose()?;
        let jwks_uri = optional(raw.jwks_uri.as_deref()).map(|u| WebUrl::parse("jwksUri", u, Transport::HttpsOnly)).transpose()?;
        let jwks = optional(raw.jwks.as_deref()).map(Jwks::parse).transpose()?;
        let public = raw.public.unwrap_or(false);
        let keys = match (jwks, jwks_uri) {
            (Some(_), Some(_)) => return Err(field_error("jwks", "give either jwks or jwksUri, not both")),
            (Some(j), None) => Some(Keys::Inline(j)),
            (None, Some(u)) => Some(Keys::Url(u)),
            (None, None) => None,
        };
        let key_field = match &keys {
            Some(Keys::Url(_)) => "jwksUri",
            _ => "jwks",
        };
        match raw.kind {
            AppKind::BackendService => {
                if public {
                    return Err(field_error("public", "a BACKEND_SERVICE app cannot be public: it authenticates with its keys"));
                }
                if keys.is_none() {
                    return Err(field_error(
                        "jwks",
                        "a BACKEND_SERVICE app needs jwks or jwksUri (SMART Backend Services authenticate with private_key_jwt)",
                    ));
                }
                if !redirect.is_empty() {
                    return Err(field_error("redirectUris", "a BACKEND_SERVICE app has no user-facing flow, so it takes no redirect URIs"));
                }
                if launch_url.is_some() {
                    return Err(field_error("launchUrl", "a BACKEND_SERVICE app has no user-facing flow, so it takes no launch URL"));
                }
            }
            kind @ (AppKind::PatientFacing | AppKind::ProviderFacing) => {
                if public && keys.is_some() {
                    return Err(field_error(key_field, "a public app (PKCE only) has no credential, so it may not register keys"));
                }
                if redirect.is_empty() {
                    return Err(field_error("redirectUris", format!("a {kind} app needs at least one redirect URI")));
                }
            }
        }
        Ok(Self {
            name,
            description,
            kind: raw.kind,
            public,
            redirect_uris: redirect,
            launch_url,
            keys,
            purpose,
            business_owner,
            technical_owner,
        })
    }

    /// How the app authenticates.
    #[must_use]
    pub fn auth_method(&self) -> AuthMethod {
        match (&self.keys, self.public) {
            (Some(_), _) => AuthMethod::PrivateKeyJwt,
            (None, true) => AuthMethod::Pkce,
            (None, false) => AuthMethod::ClientSecret,
        }
    }

    /// The redirect URIs as stored (a JSON array of strings).
    #[must_use]
    pub fn redirect_uris_json(&self) -> String {
        serde_json::Value::from(self.redirect_uris.iter().map(|u| u.as_str().to_owned()).collect::<Vec<_>>()).to_string()
    }

    /// The inline JWK Set, if any.
    #[must_use]
    pub fn jwks(&self) -> Option<&str> {
        match &self.keys {
            Some(Keys::Inline(j)) => Some(j.as_json()),
            _ => None,
        }
    }

    /// The JWKS URL, if any.
    #[must_use]
    pub fn jwks_uri(&self) -> Option<&str> {
        match &self.keys {
            Some(Keys::Url(u)) => Some(u.as_str()),
            _ => None,
        }
    }
}

/// A blank optional field counts as not given.
fn optional(raw: Option<&str>) -> Option<&str> {
    raw.filter(|s| !s.trim().is_empty())
}

pub use accord_kernel::text::long_text;

#[cfg(test)]
#[path = "domain_tests.rs"]
mod tests;
