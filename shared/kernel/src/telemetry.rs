//! Logging to stderr (stdout is for command output). One `init` per process: pretty in
//! development, JSON lines in production. Callers
//! never put tokens, secrets, passwords or email bodies into fields.

use crate::config::{LogFormat, Settings};
use tracing_subscriber::{EnvFilter, fmt, prelude::*};

/// Installs the global subscriber. A second call (tests starting several apps) is a no-op.
pub fn init(settings: &Settings) {
    let filter = EnvFilter::try_new(&settings.log_filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let registry = tracing_subscriber::registry().with(filter);
    let _ = match settings.log_format {
        LogFormat::Json => {
            registry.with(fmt::layer().json().with_writer(std::io::stderr).with_current_span(true).with_span_list(false)).try_init()
        }
        LogFormat::Pretty => registry.with(fmt::layer().compact().with_writer(std::io::stderr)).try_init(),
    };
}
