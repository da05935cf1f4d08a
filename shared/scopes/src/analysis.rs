//! [`ScopeAnalysis`]: everything an approver (or the `analyzeScopes` query, or
//! `accord scopes explain`) shows about one scope string.

use serde::Serialize;

use crate::model::{Resource, Scope};
use crate::risk::Risk;

/// The analysis of one scope string (GraphQL `ScopeAnalysis`, SPEC §5). Absent values
/// serialize as `null`, never skipped.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScopeAnalysis {
    /// The scope exactly as given.
    pub input: String,
    /// Whether it parsed.
    pub valid: bool,
    /// Why it did not parse.
    pub error: Option<String>,
    /// The normalized (v2, shortest) form.
    pub normalized: Option<String>,
    /// `patient`, `user` or `system`; `None` for non-resource scopes.
    pub context: Option<String>,
    /// The R4 resource type or `*`; `None` for non-resource scopes.
    pub resource_type: Option<String>,
    /// The v2 letters, e.g. `rs`; `None` for non-resource scopes.
    pub permissions: Option<String>,
    /// The risk of granting it.
    pub risk: Option<Risk>,
    /// What it allows, in plain English.
    pub description: Option<String>,
}

impl ScopeAnalysis {
    /// The analysis of an already-parsed scope (`input` is its normalized text).
    #[must_use]
    pub fn of(scope: &Scope) -> Self {
        Self::valid(scope.to_string(), scope)
    }

    fn valid(input: String, scope: &Scope) -> Self {
        let resource = scope.as_resource();
        Self {
            input,
            valid: true,
            error: None,
            normalized: Some(scope.to_string()),
            context: resource.map(|r| r.context().as_str().to_owned()),
            resource_type: resource.map(|r| match r.resource() {
                Resource::All => "*".to_owned(),
                Resource::Type(t) => t.name().to_owned(),
            }),
            permissions: resource.map(|r| r.permissions().letters().to_owned()),
            risk: Some(scope.risk()),
            description: Some(scope.describe()),
        }
    }
}

/// Analyzes one scope string. Never fails: an invalid scope gives `valid: false` and the
/// reason in `error`, with every other field but `input` absent.
#[must_use]
pub fn analyze(input: &str) -> ScopeAnalysis {
    match input.parse::<Scope>() {
        Ok(scope) => ScopeAnalysis::valid(input.to_owned(), &scope),
        Err(e) => ScopeAnalysis {
            input: input.to_owned(),
            valid: false,
            error: Some(e.to_string()),
            normalized: None,
            context: None,
            resource_type: None,
            permissions: None,
            risk: None,
            description: None,
        },
    }
}

/// Analyzes each string, in order.
#[must_use]
pub fn analyze_all<S: AsRef<str>>(inputs: &[S]) -> Vec<ScopeAnalysis> {
    inputs.iter().map(|s| analyze(s.as_ref())).collect()
}
