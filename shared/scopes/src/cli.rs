//! The logic of `accord scopes explain` and `accord scopes check` (SPEC §9), as pure
//! functions returning `(output, exit_code)`: the binary prints `output` (which has no
//! trailing newline) and exits with `exit_code`.

use std::fmt::Write as _;

use serde::Serialize;

use crate::analysis::{ScopeAnalysis, analyze};
use crate::coverage::{covers, explain_uncovered};
use crate::error::ScopeSetError;
use crate::limits::MAX_SCOPES_PER_SET;
use crate::model::Scope;
use crate::set::ScopeSet;

/// Exit code: every scope valid (explain) / every requested scope covered (check).
pub const EXIT_OK: i32 = 0;
/// Exit code of `check` when some requested scope is not covered.
pub const EXIT_NOT_COVERED: i32 = 1;
/// Exit code when any scope is invalid, a set is too large, or nothing was given.
pub const EXIT_INVALID: i32 = 2;

/// `accord scopes explain [--json] <scope>…`.
///
/// With `json`, a JSON array with one [`ScopeAnalysis`] object per scope, in order, with
/// exactly the fields `input`, `valid`, `error`, `normalized`, `context`, `resourceType`,
/// `permissions`, `risk`, `description` (`null` when absent). Without it, one readable
/// block per scope, separated by blank lines.
///
/// Exit code [`EXIT_OK`] when every scope is valid, [`EXIT_INVALID`] when any is invalid
/// (the analyses are still printed) or when no scope was given.
#[must_use]
pub fn explain<S: AsRef<str>>(scopes: &[S], json: bool) -> (String, i32) {
    let analyses: Vec<ScopeAnalysis> = scopes.iter().map(|s| analyze(s.as_ref())).collect();
    let invalid = analyses.iter().filter(|a| !a.valid).count();
    let code = if invalid > 0 || analyses.is_empty() { EXIT_INVALID } else { EXIT_OK };
    if json {
        return (to_json(&analyses), code);
    }
    if analyses.is_empty() {
        return ("no scopes given: pass one or more scopes to explain".to_owned(), code);
    }
    let mut out = String::new();
    for (i, a) in analyses.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        write_analysis(&mut out, a);
    }
    if invalid > 0 {
        let _ = write!(out, "\n{invalid} of {} scope{} invalid", analyses.len(), if analyses.len() == 1 { " is" } else { "s are" });
    }
    (out, code)
}

fn write_analysis(out: &mut String, a: &ScopeAnalysis) {
    let _ = writeln!(out, "{}", printable(&a.input));
    let mut line = |label: &str, value: &Option<String>| {
        if let Some(v) = value {
            let _ = writeln!(out, "  {label:<13}{v}");
        }
    };
    if let Some(error) = &a.error {
        line("invalid:", &Some(error.clone()));
        return;
    }
    line("normalized:", &a.normalized);
    line("context:", &a.context);
    line("resource:", &a.resource_type);
    line("permissions:", &a.permissions);
    line("risk:", &a.risk.map(|r| r.to_string()));
    line("description:", &a.description);
}

/// One requested scope's outcome in [`check`]'s JSON.
#[derive(Serialize)]
struct CheckResult {
    requested: String,
    valid: bool,
    normalized: Option<String>,
    covered: bool,
    reason: Option<String>,
}

/// One invalid input in [`check`]'s JSON.
#[derive(Serialize)]
struct CheckError {
    side: &'static str,
    index: Option<usize>,
    scope: Option<String>,
    error: String,
}

#[derive(Serialize)]
struct CheckReport {
    covered: bool,
    granted: Vec<String>,
    results: Vec<CheckResult>,
    errors: Vec<CheckError>,
}

/// `accord scopes check [--json] --granted <scope>… --requested <scope>…`.
///
/// Whether the granted set covers each requested scope (see [`crate::covers`]).
///
/// With `json`, one object:
/// ```json
/// {
///   "covered": false,                       // no errors and every requested scope covered
///   "granted": ["patient/*.rs"],            // the normalized granted set (valid inputs)
///   "results": [                            // one per requested input, in order
///     { "requested": "patient/Observation.read", "valid": true,
///       "normalized": "patient/Observation.rs", "covered": true, "reason": null },
///     { "requested": "patient/Observation.d", "valid": true,
///       "normalized": "patient/Observation.d", "covered": false,
///       "reason": "the granted scopes allow … but not 'd' (delete) on patient/Observation" }
///   ],
///   "errors": [                             // every invalid input (and set-size errors)
///     { "side": "granted", "index": 0, "scope": "patient/Observaton.rs",
///       "error": "unknown resource type 'Observaton': … did you mean Observation?" }
///   ]
/// }
/// ```
/// `side` is `"granted"` or `"requested"`; `index` is 0-based (`null`, with `scope`
/// `null`, for a set-size error). An invalid requested scope has `valid: false`,
/// `normalized: null`, `covered: false`; an invalid granted scope grants nothing.
///
/// Exit code [`EXIT_OK`] when every requested scope is covered, [`EXIT_NOT_COVERED`]
/// when one is not, [`EXIT_INVALID`] on any invalid scope, more than
/// [`MAX_SCOPES_PER_SET`] scopes on a side, or no requested scope at all.
#[must_use]
pub fn check<G: AsRef<str>, R: AsRef<str>>(granted: &[G], requested: &[R], json: bool) -> (String, i32) {
    let mut errors = Vec::new();
    let granted_set = ScopeSet::from_scopes(parse_side(granted, "granted", &mut errors).into_iter().flatten());
    if requested.is_empty() {
        errors.push(CheckError { side: "requested", index: None, scope: None, error: "no requested scopes given".to_owned() });
    }
    let parsed = parse_side(requested, "requested", &mut errors);
    let results: Vec<CheckResult> = requested
        .iter()
        .zip(parsed)
        .map(|(input, scope)| {
            let requested = input.as_ref().to_owned();
            match scope {
                Some(scope) => CheckResult {
                    requested,
                    valid: true,
                    normalized: Some(scope.to_string()),
                    covered: covers(&granted_set, &scope),
                    reason: explain_uncovered(&granted_set, &scope),
                },
                None => CheckResult { requested, valid: false, normalized: None, covered: false, reason: None },
            }
        })
        .collect();
    let all_covered = results.iter().all(|r| r.covered);
    let code = if !errors.is_empty() {
        EXIT_INVALID
    } else if all_covered {
        EXIT_OK
    } else {
        EXIT_NOT_COVERED
    };
    let report = CheckReport { covered: errors.is_empty() && all_covered, granted: granted_set.to_strings(), results, errors };
    if json {
        return (to_json(&report), code);
    }
    (check_text(&report), code)
}

/// Parses one side (one entry per input, `None` where invalid), recording each invalid
/// input, and a side that is too large, in `errors`.
fn parse_side<S: AsRef<str>>(inputs: &[S], side: &'static str, errors: &mut Vec<CheckError>) -> Vec<Option<Scope>> {
    if inputs.len() > MAX_SCOPES_PER_SET {
        errors.push(CheckError { side, index: None, scope: None, error: ScopeSetError::TooMany { count: inputs.len() }.to_string() });
    }
    let mut scopes = Vec::with_capacity(inputs.len());
    for (index, input) in inputs.iter().enumerate() {
        match input.as_ref().parse::<Scope>() {
            Ok(scope) => scopes.push(Some(scope)),
            Err(e) => {
                errors.push(CheckError { side, index: Some(index), scope: Some(input.as_ref().to_owned()), error: e.to_string() });
                scopes.push(None);
            }
        }
    }
    scopes
}

fn check_text(report: &CheckReport) -> String {
    let mut out = String::new();
    let granted = if report.granted.is_empty() { "(nothing)".to_owned() } else { report.granted.join(" ") };
    let _ = writeln!(out, "granted: {granted}");
    for r in &report.results {
        let shown = printable(&r.requested);
        match (&r.normalized, r.covered) {
            (None, _) => {
                let _ = writeln!(out, "INVALID      {shown}");
            }
            (Some(n), covered) => {
                let label = if covered { "covered    " } else { "NOT COVERED" };
                let _ = write!(out, "{label}  {shown}");
                if *n != r.requested {
                    let _ = write!(out, " (= {n})");
                }
                if let Some(reason) = &r.reason {
                    let _ = write!(out, ": {reason}");
                }
                out.push('\n');
            }
        }
    }
    for e in &report.errors {
        match (&e.scope, e.index) {
            (Some(scope), Some(index)) => {
                let _ = writeln!(out, "invalid {} scope {} '{}': {}", e.side, index + 1, printable(scope), e.error);
            }
            _ => {
                let _ = writeln!(out, "invalid {} scopes: {}", e.side, e.error);
            }
        }
    }
    let total = report.results.len();
    let not_covered = report.results.iter().filter(|r| !r.covered).count();
    let summary = if !report.errors.is_empty() {
        format!("result: {} invalid input(s)", report.errors.len())
    } else if not_covered == 0 {
        format!("result: all {total} requested scope(s) covered")
    } else {
        format!("result: {not_covered} of {total} requested scope(s) not covered")
    };
    out.push_str(&summary);
    out
}

/// Escapes control characters so echoing input cannot drive the terminal.
fn printable(s: &str) -> String {
    if s.chars().any(char::is_control) { s.escape_debug().to_string() } else { s.to_owned() }
}

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"could not serialize the report: {e}\"}}"))
}
