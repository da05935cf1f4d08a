//! The scope engine for people: `analyzeScopes` (SPEC §4, §5; no authentication, so vendors
//! can check scopes before they ask) and the `ScopeAnalysis` every request and grant carries.

use accord_kernel::ErrorKind;
use accord_kernel::gql::error;
use async_graphql::{Enum, Object, Result, SimpleObject};

/// How much a scope would expose.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(name = "Risk")]
pub enum Risk {
    /// Reads of one patient's data, identity scopes.
    Low,
    /// Reads beyond one patient, offline access.
    Medium,
    /// Writes, deletes, backend system access, wildcard writes.
    High,
}

impl From<accord_scopes::Risk> for Risk {
    fn from(r: accord_scopes::Risk) -> Self {
        match r {
            accord_scopes::Risk::Low => Risk::Low,
            accord_scopes::Risk::Medium => Risk::Medium,
            accord_scopes::Risk::High => Risk::High,
        }
    }
}

/// The engine's reading of one scope.
#[derive(SimpleObject, Clone, Debug)]
pub struct ScopeAnalysis {
    /// The scope as given.
    pub input: String,
    /// Whether it parses.
    pub valid: bool,
    /// Why not, when it does not.
    pub error: Option<String>,
    /// The normalized (SMART v2, shortest) form.
    pub normalized: Option<String>,
    /// `patient`, `user` or `system`; null for non-resource scopes.
    pub context: Option<String>,
    /// The FHIR resource type, or `*`.
    pub resource_type: Option<String>,
    /// v2 permission letters, e.g. `rs`.
    pub permissions: Option<String>,
    /// Risk class.
    pub risk: Option<Risk>,
    /// Plain English for approvers.
    pub description: Option<String>,
}

impl From<accord_scopes::ScopeAnalysis> for ScopeAnalysis {
    fn from(a: accord_scopes::ScopeAnalysis) -> Self {
        Self {
            input: a.input,
            valid: a.valid,
            error: a.error,
            normalized: a.normalized,
            context: a.context,
            resource_type: a.resource_type,
            permissions: a.permissions,
            risk: a.risk.map(Into::into),
            description: a.description,
        }
    }
}

/// Most scopes one call may analyze.
pub const MAX_SCOPES: usize = 100;

/// The scope queries.
#[derive(Default)]
pub struct ScopesQuery;

#[Object]
impl ScopesQuery {
    /// One analysis per scope, in order (no authentication needed).
    async fn analyze_scopes(&self, scopes: Vec<String>) -> Result<Vec<ScopeAnalysis>> {
        if scopes.len() > MAX_SCOPES {
            return Err(error(ErrorKind::BadUserInput, format!("scopes: at most {MAX_SCOPES} per call, got {}", scopes.len())));
        }
        Ok(scopes.iter().map(|s| accord_scopes::analyze(s).into()).collect())
    }
}

/// The analysis of each scope of a set, for approvers.
#[must_use]
pub fn analysis_of(scopes: &[String]) -> Vec<ScopeAnalysis> {
    scopes.iter().map(|s| accord_scopes::analyze(s).into()).collect()
}
