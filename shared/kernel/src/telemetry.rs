//! Logging to stderr (stdout is for command output) and, when `OTEL_EXPORTER_OTLP_ENDPOINT`
//! is set, traces exported over OTLP/HTTP. One `init` per process: pretty logs in development,
//! JSON lines in production. Callers never put tokens, secrets, passwords or email bodies into
//! fields.
//!
//! Traces: the spans the code already opens (the HTTP request, the GraphQL operation with
//! `request_id` and `tenant_id`, each job run) plus one span per SQL statement (sea-orm's
//! `tracing-spans`), batched and sent to `<endpoint>/v1/traces` as protobuf. Without the
//! variable nothing of OpenTelemetry is installed, and the per-statement spans are filtered
//! out of the log layer, so they cost nothing.

use crate::config::{LogFormat, Settings};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{Protocol, SpanExporter, WithExportConfig as _};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::{EnvFilter, Layer as _, fmt, prelude::*};

/// Keeps the trace exporter alive; dropping it sends what is still batched.
#[derive(Debug, Default)]
#[must_use = "dropping the guard stops trace export"]
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

impl Telemetry {
    /// Whether traces are exported.
    #[must_use]
    pub fn exporting(&self) -> bool {
        self.provider.is_some()
    }
}

impl Drop for Telemetry {
    fn drop(&mut self) {
        if let Some(provider) = self.provider.take()
            && let Err(e) = provider.shutdown()
        {
            eprintln!("accord: traces still batched at exit were not all sent: {e}");
        }
    }
}

/// Installs the global subscriber. A second call (tests starting several apps) is a no-op and
/// exports nothing.
pub fn init(settings: &Settings) -> Telemetry {
    // One span per SQL statement is for traces; in logs it would only cost time, so it is left
    // out unless the filter names sea_orm itself.
    let filter =
        if settings.log_filter.contains("sea_orm") { settings.log_filter.clone() } else { format!("{},sea_orm=warn", settings.log_filter) };
    let logs = EnvFilter::try_new(&filter).unwrap_or_else(|_| EnvFilter::new("info,sea_orm=warn"));
    let (provider, otel) = match settings.otlp_endpoint.as_deref().map(tracer_provider) {
        Some(Ok(provider)) => {
            let layer = tracing_opentelemetry::layer().with_tracer(provider.tracer("accord")).with_filter(EnvFilter::new("info"));
            (Some(provider), Some(layer))
        }
        Some(Err(e)) => {
            eprintln!("accord: OpenTelemetry export is off: {e}");
            (None, None)
        }
        None => (None, None),
    };
    let registry = tracing_subscriber::registry().with(otel);
    let installed = match settings.log_format {
        LogFormat::Json => registry
            .with(fmt::layer().json().with_writer(std::io::stderr).with_current_span(true).with_span_list(false).with_filter(logs))
            .try_init(),
        LogFormat::Pretty => registry.with(fmt::layer().compact().with_writer(std::io::stderr).with_filter(logs)).try_init(),
    };
    match installed {
        Ok(()) => Telemetry { provider },
        Err(_) => Telemetry::default(),
    }
}

fn tracer_provider(endpoint: &str) -> Result<SdkTracerProvider, opentelemetry_otlp::ExporterBuildError> {
    let exporter = SpanExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpBinary)
        .with_endpoint(format!("{}/v1/traces", endpoint.trim_end_matches('/')))
        .build()?;
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(Resource::builder().with_service_name("accord").build())
        .build())
}
