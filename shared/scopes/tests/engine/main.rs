//! Integration tests of the scope engine: the reference examples, every rule of SPEC §4,
//! the CLI, property tests and a configurable fuzz run.

mod analysis;
mod cli;
mod coverage;
mod describe;
mod fuzz;
mod grammar_invalid;
mod grammar_valid;
mod normalization;
mod overlap;
mod properties;
mod risk;
mod strategies;

use accord_scopes::{Scope, ScopeSet};

/// Parses a scope the test knows to be valid.
pub fn scope(text: &str) -> Scope {
    text.parse().unwrap_or_else(|e| panic!("{text:?} should parse, got: {e}"))
}

/// Parses a set the test knows to be valid.
pub fn set(texts: &[&str]) -> ScopeSet {
    ScopeSet::parse_all(texts).unwrap_or_else(|e| panic!("{texts:?} should parse, got: {e}"))
}

/// The error message for a scope the test knows to be invalid.
pub fn error(text: &str) -> String {
    match text.parse::<Scope>() {
        Ok(s) => panic!("{text:?} should be refused, parsed as {s}"),
        Err(e) => e.to_string(),
    }
}
