//! Prometheus metrics through `prometheus-client`, rendered in the Prometheus text format
//! (0.0.4) at `/metrics`: HTTP requests by method, route and status, GraphQL operations by name
//! and outcome, each with a latency histogram, and the database pool. Every label comes from a
//! bounded set (SPEC §2.8), so no client can grow the exposition: unknown methods count as
//! `other`, unmatched paths as `unmatched`, and operation names are the schema's own or `other`.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::time::Duration;

/// Latency bucket bounds, in seconds.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

fn latency_histogram() -> Histogram {
    Histogram::new(BUCKETS)
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HttpLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct GraphqlLabels {
    operation: String,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobLabels {
    job: &'static str,
}

/// What is read at a scrape beside the counters kept here: the relay's counters, the outbox
/// lag and the scheduled jobs.
#[derive(Debug, Clone, Default)]
pub struct Readings {
    /// The relay's counters in this process.
    pub counters: accord_notifications::RelaySnapshot,
    /// Age in seconds of the oldest event not yet fanned out (0 when none waits).
    pub outbox_lag_seconds: f64,
    /// The scheduled jobs run in this process.
    pub jobs: Vec<crate::jobs::JobReading>,
}

/// The process's metrics: one registry and the families registered in it.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    http_requests: Family<HttpLabels, Counter>,
    http_duration: Family<HttpLabels, Histogram, fn() -> Histogram>,
    graphql_operations: Family<GraphqlLabels, Counter>,
    graphql_duration: Family<GraphqlLabels, Histogram, fn() -> Histogram>,
    pool: Family<PoolLabels, Gauge>,
    webhook_deliveries: Family<OutcomeLabels, Counter>,
    mails: Family<OutcomeLabels, Counter>,
    outbox_lag: Gauge<f64, std::sync::atomic::AtomicU64>,
    job_last_success: Family<JobLabels, Gauge>,
    job_items: Family<JobLabels, Counter>,
    job_failures: Family<JobLabels, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        let http_requests = Family::<HttpLabels, Counter>::default();
        let http_duration = Family::<HttpLabels, Histogram, fn() -> Histogram>::new_with_constructor(latency_histogram);
        let graphql_operations = Family::<GraphqlLabels, Counter>::default();
        let graphql_duration = Family::<GraphqlLabels, Histogram, fn() -> Histogram>::new_with_constructor(latency_histogram);
        let pool = Family::<PoolLabels, Gauge>::default();
        let webhook_deliveries = Family::<OutcomeLabels, Counter>::default();
        let mails = Family::<OutcomeLabels, Counter>::default();
        let outbox_lag = Gauge::<f64, std::sync::atomic::AtomicU64>::default();
        let job_last_success = Family::<JobLabels, Gauge>::default();
        let job_items = Family::<JobLabels, Counter>::default();
        let job_failures = Family::<JobLabels, Counter>::default();
        let mut registry = Registry::default();
        // Counters are registered without `_total`: the encoder appends it. Help texts get
        // their final period from the encoder too.
        registry.register("accord_http_requests", "HTTP requests by method, route and status", http_requests.clone());
        registry.register("accord_http_request_duration_seconds", "HTTP latency", http_duration.clone());
        registry.register("accord_graphql_operations", "GraphQL operations by name and outcome", graphql_operations.clone());
        registry.register("accord_graphql_operation_duration_seconds", "GraphQL latency", graphql_duration.clone());
        registry.register("accord_db_pool_connections", "Database pool connections", pool.clone());
        registry.register(
            "accord_webhook_deliveries",
            "Webhook attempts by outcome (delivered, retrying, failed: given up after the schedule or a 410)",
            webhook_deliveries.clone(),
        );
        registry.register("accord_mails", "Mails by outcome (sent, retrying, failed)", mails.clone());
        registry.register("accord_outbox_lag_seconds", "Age of the oldest outbox event not yet relayed", outbox_lag.clone());
        registry.register(
            "accord_job_last_success_timestamp_seconds",
            "When each scheduled job last succeeded (Unix time)",
            job_last_success.clone(),
        );
        registry.register("accord_job_items", "Items processed by each scheduled job", job_items.clone());
        registry.register("accord_job_failures", "Failed runs of each scheduled job", job_failures.clone());
        Self {
            registry,
            http_requests,
            http_duration,
            graphql_operations,
            graphql_duration,
            pool,
            webhook_deliveries,
            mails,
            outbox_lag,
            job_last_success,
            job_items,
            job_failures,
        }
    }
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
    pub fn http(&self, method: &'static str, route: &str, status: u16, took: Duration) {
        let labels = HttpLabels { method, route: route.to_owned(), status };
        self.http_requests.get_or_create(&labels).inc();
        self.http_duration.get_or_create(&labels).observe(took.as_secs_f64());
    }

    /// Records one GraphQL operation. `operation` comes from a bounded set (see
    /// [`crate::http::document::OperationNames`]).
    pub fn graphql(&self, operation: &str, ok: bool, took: Duration) {
        let name: String = operation.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(64).collect();
        let operation = if name.is_empty() { "anonymous".to_owned() } else { name };
        let labels = GraphqlLabels { operation, outcome: if ok { "ok" } else { "error" } };
        self.graphql_operations.get_or_create(&labels).inc();
        self.graphql_duration.get_or_create(&labels).observe(took.as_secs_f64());
    }

    /// The Prometheus text exposition, with the pool gauges and the relay's reading set first.
    #[must_use]
    pub fn render(&self, pool_size: u32, pool_idle: u32, relay: &Readings) -> String {
        self.pool.get_or_create(&PoolLabels { state: "open" }).set(i64::from(pool_size));
        self.pool.get_or_create(&PoolLabels { state: "idle" }).set(i64::from(pool_idle));
        let c = &relay.counters;
        for (family, outcome, value) in [
            (&self.webhook_deliveries, "delivered", c.delivered),
            (&self.webhook_deliveries, "retrying", c.retrying),
            (&self.webhook_deliveries, "failed", c.failed),
            (&self.mails, "sent", c.mails_sent),
            (&self.mails, "retrying", c.mails_retrying),
            (&self.mails, "failed", c.mails_failed),
        ] {
            // The relay's counters only grow; the exported counter catches up with them.
            let counter = family.get_or_create(&OutcomeLabels { outcome });
            counter.inc_by(value.saturating_sub(counter.get()));
        }
        self.outbox_lag.set(relay.outbox_lag_seconds);
        for j in &relay.jobs {
            let labels = JobLabels { job: j.job.as_str() };
            if let Some(at) = j.last_success {
                self.job_last_success.get_or_create(&labels).set(at.timestamp());
            }
            let items = self.job_items.get_or_create(&labels);
            items.inc_by(j.items.saturating_sub(items.get()));
            let failures = self.job_failures.get_or_create(&labels);
            failures.inc_by(j.failures.saturating_sub(failures.get()));
        }
        let mut out = String::new();
        // Writing into a String cannot fail; the encoder's own errors are formatting ones.
        if let Err(e) = prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry) {
            tracing::error!(error = %e, "cannot encode the metrics");
        }
        out
    }
}

/// The `Content-Type` of [`Metrics::render`]'s text.
pub const CONTENT_TYPE: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_are_cumulative_and_labels_are_sanitized() {
        let m = Metrics::default();
        m.graphql("me", true, Duration::from_millis(3));
        m.graphql("me", true, Duration::from_millis(30));
        m.graphql("drop\"table", false, Duration::from_millis(30));
        let text = m.render(4, 2, &Readings::default());
        assert!(text.contains("accord_graphql_operations_total{operation=\"me\",outcome=\"ok\"} 2"), "{text}");
        assert!(text.contains("accord_graphql_operation_duration_seconds_bucket{operation=\"me\",outcome=\"ok\",le=\"0.005\"} 1"));
        assert!(text.contains("accord_graphql_operation_duration_seconds_bucket{operation=\"me\",outcome=\"ok\",le=\"0.05\"} 2"));
        assert!(text.contains("operation=\"droptable\""));
        assert!(text.contains("accord_graphql_operation_duration_seconds_bucket{operation=\"me\",outcome=\"ok\",le=\"+Inf\"} 2"));
        assert!(text.contains("accord_db_pool_connections{state=\"open\"} 4"));
        assert!(text.contains("accord_db_pool_connections{state=\"idle\"} 2"));
    }

    #[test]
    fn metric_names_help_and_types_are_todays() {
        let m = Metrics::default();
        m.http("GET", "/healthz", 200, Duration::from_millis(1));
        m.graphql("me", true, Duration::from_millis(1));
        let text = m.render(1, 1, &Readings::default());
        for line in [
            "# HELP accord_http_requests_total HTTP requests by method, route and status.",
            "# TYPE accord_http_requests_total counter",
            "accord_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1",
            "# TYPE accord_http_request_duration_seconds histogram",
            "accord_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",status=\"200\",le=\"0.005\"} 1",
            "accord_http_request_duration_seconds_count{method=\"GET\",route=\"/healthz\",status=\"200\"} 1",
            "# TYPE accord_graphql_operations_total counter",
            "# TYPE accord_graphql_operation_duration_seconds histogram",
            "# TYPE accord_db_pool_connections gauge",
            "# TYPE accord_webhook_deliveries_total counter",
            "accord_webhook_deliveries_total{outcome=\"delivered\"} 0",
            "# TYPE accord_mails_total counter",
            "accord_mails_total{outcome=\"failed\"} 0",
            "# TYPE accord_outbox_lag_seconds gauge",
            "accord_outbox_lag_seconds 0.0",
        ] {
            assert!(text.lines().any(|l| l == line), "missing {line:?} in\n{text}");
        }
        let buckets: Vec<&str> = text.lines().filter(|l| l.starts_with("accord_http_request_duration_seconds_bucket")).collect();
        assert_eq!(buckets.len(), BUCKETS.len() + 1, "{text}");
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
