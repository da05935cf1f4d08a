//! The SMART on FHIR scope engine of Accord: it parses scopes strictly (SMART App Launch
//! 2.x grammar, v1 forms mapped to v2, the 146 FHIR R4 resource types), normalizes them
//! into [`ScopeSet`]s, decides containment ([`covers`], [`narrow`]), overlap with forbidden
//! patterns ([`overlaps`]) and what a token may carry ([`intersection`]), rates their
//! [`Risk`], describes them in plain English for approvers, and holds the pure logic of
//! the `accord scopes` CLI ([`cli`]). It is the security boundary between what an app asks
//! for and what a data holder grants, so it refuses anything it cannot read exactly. No
//! IO, no async, no other workspace crate.
//!
//! # Grammar
//! One scope is a single RFC 6749 scope token (printable ASCII without space, `"` or `\`),
//! at most [`MAX_SCOPE_LEN`] bytes, and one of:
//! - `patient|user|system` `/` (an R4 resource type, case-sensitive, or `*`) `.`
//!   permissions, then optionally `?name=value(&name=value)*`. Permissions are v2 letters,
//!   a non-empty subset of `cruds` in that order with no repeats, or v1 `read` (⇒ `rs`),
//!   `write` (⇒ `cud`) or `*` (⇒ `cruds`). Query names are search-parameter names (letters,
//!   digits, `_ - : .`, so modifiers and chains are allowed) other than result parameters
//!   (`_include`, `_count`, …); values are non-empty, without `#`, `?` or `&`, with
//!   well-formed `%` escapes. Parameters are sorted by (name, value) and exact duplicates
//!   dropped (FHIR ANDs them, so order carries no meaning).
//! - `launch`, `launch/patient`, `launch/encounter`, `launch/<lowercase R4 type>` with an
//!   optional single `?role=<value>`.
//! - `openid`, `fhirUser`, `profile`, `offline_access`, `online_access`.
//! - Extensions: `__name`, or an absolute URI (`scheme:rest`). SMART scopes written as
//!   URIs (`http://smarthealthit.org/fhir/scopes/patient/*.r`) and OpenID ones
//!   (`http://openid.net/specs/openid-connect-core-1_0#openid`) are read as the scope they
//!   name, so they cannot hide a resource scope behind an opaque extension.
//!
//! Everything else is refused with a [`ScopeError`] naming the part that is wrong. A set
//! holds at most [`MAX_SCOPES_PER_SET`] input scopes.
//!
//! ```
//! use accord_scopes::{Scope, ScopeSet, covers};
//!
//! let granted = ScopeSet::parse_all(&["patient/*.read", "patient/Observation.s"]).unwrap();
//! let requested: Scope = "patient/Observation.rs".parse().unwrap();
//! assert!(covers(&granted, &requested));
//! assert_eq!(granted.to_string(), "patient/*.rs patient/Observation.s");
//! ```

mod analysis;
pub mod cli;
mod coverage;
mod describe;
mod error;
mod limits;
mod model;
mod parse;
mod resource_types;
mod risk;
mod set;

pub use analysis::{ScopeAnalysis, analyze, analyze_all};
pub use coverage::{covers, covers_all, explain_uncovered, intersection, narrow, overlaps, uncovered};
pub use error::{ScopeError, ScopeSetError};
pub use limits::{MAX_SCOPE_LEN, MAX_SCOPES_PER_SET};
pub use model::{Context, Extension, LaunchType, Permissions, Resource, ResourceScope, Scope};
pub use parse::parse_scope;
pub use resource_types::{R4_RESOURCE_TYPES, ResourceType};
pub use risk::Risk;
pub use set::ScopeSet;
