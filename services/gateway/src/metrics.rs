//! Prometheus metrics, kept in-process and rendered as text at `/metrics`: HTTP requests by
//! method, route and status, GraphQL operations by name and outcome with a latency histogram,
//! and the database pool. Every label comes from a bounded set (SPEC §2.8), so no client can
//! grow the exposition: unknown methods count as `other`, unmatched paths as `unmatched`, and
//! operation names are the schema's own or `other`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

/// Latency bucket bounds, in seconds.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

#[derive(Default, Clone)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, d: Duration) {
        let s = d.as_secs_f64();
        for (c, b) in self.counts.iter_mut().zip(BUCKETS.iter()) {
            if s <= *b {
                *c += 1;
            }
        }
        self.count += 1;
        self.sum += s;
    }
}

/// The process's metrics.
#[derive(Default)]
pub struct Metrics {
    http: Mutex<BTreeMap<(String, String, u16), Histogram>>,
    graphql: Mutex<BTreeMap<(String, &'static str), Histogram>>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

fn label(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', " ")
}

/// The label of an HTTP method: one of the standard methods, or `other` (a client may send any
/// token as a method; each would otherwise add series forever).
#[must_use]
pub fn method_label(method: &actix_web::http::Method) -> &'static str {
    use actix_web::http::Method;
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

impl Metrics {
    /// Records one HTTP request. `method` is a [`method_label`]; `route` is the matched pattern
    /// or `unmatched` (never the raw path, which could carry ids and blow up cardinality).
    pub fn http(&self, method: &str, route: &str, status: u16, took: Duration) {
        if let Ok(mut m) = self.http.lock() {
            m.entry((method.to_owned(), route.to_owned(), status)).or_default().observe(took);
        }
    }

    /// Records one GraphQL operation. `operation` comes from a bounded set (see
    /// [`crate::http::document::OperationNames`]).
    pub fn graphql(&self, operation: &str, ok: bool, took: Duration) {
        let name: String = operation.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(64).collect();
        let name = if name.is_empty() { "anonymous".to_owned() } else { name };
        if let Ok(mut m) = self.graphql.lock() {
            m.entry((name, if ok { "ok" } else { "error" })).or_default().observe(took);
        }
    }

    /// The Prometheus text exposition, with the pool gauges appended.
    #[must_use]
    pub fn render(&self, pool_size: u32, pool_idle: u32) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP accord_http_requests_total HTTP requests by method, route and status.\n# TYPE accord_http_requests_total counter"
        );
        let http = self.http.lock().map(|m| m.clone()).unwrap_or_default();
        for ((method, route, status), h) in &http {
            let _ = writeln!(
                out,
                "accord_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {}",
                label(method),
                label(route),
                h.count
            );
        }
        let _ = writeln!(
            out,
            "# HELP accord_http_request_duration_seconds HTTP latency.\n# TYPE accord_http_request_duration_seconds histogram"
        );
        for ((method, route, status), h) in &http {
            write_hist(
                &mut out,
                "accord_http_request_duration_seconds",
                &format!("method=\"{}\",route=\"{}\",status=\"{status}\"", label(method), label(route)),
                h,
            );
        }
        let gql = self.graphql.lock().map(|m| m.clone()).unwrap_or_default();
        let _ = writeln!(
            out,
            "# HELP accord_graphql_operations_total GraphQL operations by name and outcome.\n# TYPE accord_graphql_operations_total counter"
        );
        for ((op, outcome), h) in &gql {
            let _ = writeln!(out, "accord_graphql_operations_total{{operation=\"{op}\",outcome=\"{outcome}\"}} {}", h.count);
        }
        let _ = writeln!(
            out,
            "# HELP accord_graphql_operation_duration_seconds GraphQL latency.\n# TYPE accord_graphql_operation_duration_seconds histogram"
        );
        for ((op, outcome), h) in &gql {
            write_hist(&mut out, "accord_graphql_operation_duration_seconds", &format!("operation=\"{op}\",outcome=\"{outcome}\""), h);
        }
        let _ = writeln!(out, "# HELP accord_db_pool_connections Database pool connections.\n# TYPE accord_db_pool_connections gauge");
        let _ = writeln!(out, "accord_db_pool_connections{{state=\"open\"}} {pool_size}");
        let _ = writeln!(out, "accord_db_pool_connections{{state=\"idle\"}} {pool_idle}");
        out
    }
}

fn write_hist(out: &mut String, name: &str, labels: &str, h: &Histogram) {
    for (b, c) in BUCKETS.iter().zip(h.counts.iter()) {
        let _ = writeln!(out, "{name}_bucket{{{labels},le=\"{b}\"}} {c}");
    }
    let _ = writeln!(out, "{name}_bucket{{{labels},le=\"+Inf\"}} {}", h.count);
    let _ = writeln!(out, "{name}_sum{{{labels}}} {}", h.sum);
    let _ = writeln!(out, "{name}_count{{{labels}}} {}", h.count);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_are_cumulative_and_labels_are_sanitized() {
        let m = Metrics::default();
        m.graphql("me", true, Duration::from_millis(3));
        m.graphql("me", true, Duration::from_millis(30));
        m.graphql("drop\"table", false, Duration::from_millis(30));
        let text = m.render(4, 2);
        assert!(text.contains("accord_graphql_operations_total{operation=\"me\",outcome=\"ok\"} 2"), "{text}");
        assert!(text.contains("accord_graphql_operation_duration_seconds_bucket{operation=\"me\",outcome=\"ok\",le=\"0.005\"} 1"));
        assert!(text.contains("accord_graphql_operation_duration_seconds_bucket{operation=\"me\",outcome=\"ok\",le=\"0.05\"} 2"));
        assert!(text.contains("operation=\"droptable\""));
        assert!(text.contains("accord_db_pool_connections{state=\"open\"} 4"));
    }

    #[test]
    fn http_methods_outside_the_standard_ones_are_other() {
        use actix_web::http::Method;
        assert_eq!(method_label(&Method::GET), "GET");
        assert_eq!(method_label(&Method::OPTIONS), "OPTIONS");
        assert_eq!(method_label(&Method::from_bytes(b"FOO").unwrap()), "other");
        assert_eq!(method_label(&Method::TRACE), "other");
        assert_eq!(method_label(&Method::CONNECT), "other");
    }
}
