//! The command line (SPEC §9). `scopes` commands need no configuration, database or data dir;
//! everything else loads [`Settings`] first.

use crate::http::server::Application;
use crate::services::{Migrate, Services};
use accord_kernel::config::Settings;
use accord_kernel::{Actor, SharedClock, SystemClock, TenantKind};
use accord_tenants::NewTenant;
use clap::{Parser, Subcommand};
use std::process::ExitCode;
use std::sync::Arc;

/// Accord governs which SMART on FHIR apps may reach which organizations' data.
#[derive(Parser, Debug)]
#[command(name = "accord", version, about)]
pub struct Cli {
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// API, scheduled jobs and the notifications relay in one process (the default).
    Serve,
    /// The API alone (stateless; run several behind a load balancer).
    Api,
    /// The scheduled jobs and the notifications relay, with /healthz, /readyz and /metrics on
    /// ACCORD_BIND (run one or more beside `api` replicas).
    Worker,
    /// Scheduled jobs, one at a time.
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Applies pending database migrations and exits.
    Migrate,
    /// Prints the GraphQL schema (SDL).
    Schema,
    /// Seeds a believable demo world (idempotent) and prints the logins to try.
    Demo,
    /// Organizations.
    #[command(subcommand)]
    Tenants(TenantsCommand),
    /// The audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The SMART scope engine.
    #[command(subcommand)]
    Scopes(ScopesCommand),
}

/// `accord tenants …`
#[derive(Subcommand, Debug)]
pub enum TenantsCommand {
    /// Creates an organization of any kind with its first ADMIN; prints its id.
    Create {
        /// Organization name.
        #[arg(long)]
        name: String,
        /// provider, payer or developer.
        #[arg(long)]
        kind: String,
        /// The first admin's email.
        #[arg(long)]
        admin_email: String,
        /// The first admin's password (at least 12 characters).
        #[arg(long)]
        admin_password: String,
        /// The first admin's name.
        #[arg(long, default_value = "Administrator")]
        admin_name: String,
    },
}

/// `accord jobs …`
#[derive(Subcommand, Debug)]
pub enum JobsCommand {
    /// Runs one job once and prints what it did (catch up after an outage).
    Run {
        /// expiry, reminders, reviews, stale, credentials or outbox.
        job: String,
        /// Run as if the clock read this RFC 3339 time (what it emits is due at once).
        #[arg(long)]
        now: Option<String>,
    },
}

/// `accord audit …`
#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Walks the hash chain; exits 1 naming the first altered or missing event.
    Verify,
}

/// `accord scopes …`
#[derive(Subcommand, Debug)]
pub enum ScopesCommand {
    /// One analysis per scope. Exit 0 when all are valid, 2 when any is invalid.
    Explain {
        /// Print a JSON array of ScopeAnalysis objects.
        #[arg(long)]
        json: bool,
        /// The scopes.
        #[arg(required = true)]
        scopes: Vec<String>,
    },
    /// Whether the granted set covers each requested scope. Exit 0 all covered, 1 one is
    /// not, 2 an invalid scope.
    Check {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// The granted scopes.
        #[arg(long, num_args = 1.., required = true)]
        granted: Vec<String>,
        /// The requested scopes.
        #[arg(long, num_args = 1.., required = true)]
        requested: Vec<String>,
    },
}

#[allow(clippy::print_stdout)]
fn out(text: &str) {
    println!("{text}");
}

#[allow(clippy::print_stderr)]
fn fail(text: &str) -> ExitCode {
    eprintln!("accord: {text}");
    ExitCode::FAILURE
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> ExitCode {
    let command = cli.command.unwrap_or(Command::Serve);
    match command {
        Command::Scopes(ScopesCommand::Explain { json, scopes }) => return exit(accord_scopes::cli::explain(&scopes, json)),
        Command::Scopes(ScopesCommand::Check { json, granted, requested }) => {
            return exit(accord_scopes::cli::check(&granted, &requested, json));
        }
        Command::Schema => {
            out(&crate::schema::sdl());
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    let settings = match Settings::load() {
        Ok(s) => s,
        Err(e) => return fail(&e.to_string()),
    };
    // Held until the command ends: dropping it sends the traces still batched.
    let _telemetry = accord_kernel::telemetry::init(&settings);
    let clock: SharedClock = Arc::new(SystemClock);
    match command {
        Command::Serve | Command::Api => match Application::build(settings, clock).await {
            Ok(app) => {
                // `serve` is API, jobs and relay in one process; `api` only answers requests.
                let scheduled = if matches!(command, Command::Serve) {
                    match crate::worker::start(app.state()).await {
                        Ok(s) => Some(s),
                        Err(e) => return fail(&format!("{e:#}")),
                    }
                } else {
                    None
                };
                let served = app.run_until_stopped().await;
                if let Some(s) = scheduled {
                    s.stop(crate::worker::SHUTDOWN_GRACE).await;
                }
                match served {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => fail(&format!("server failed: {e}")),
                }
            }
            Err(e) => fail(&format!("{e:#}")),
        },
        Command::Worker => match Services::build(settings, clock, Migrate::Yes).await {
            Ok(services) => match crate::worker::run(crate::AppState::new(services)).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(&format!("{e:#}")),
            },
            Err(e) => fail(&format!("{e:#}")),
        },
        Command::Jobs(JobsCommand::Run { job, now }) => {
            let job: accord_lifecycle::jobs::Job = match job.parse() {
                Ok(j) => j,
                Err(e) => return fail(&e),
            };
            let now = match now.as_deref().map(chrono::DateTime::parse_from_rfc3339) {
                None => clock.now(),
                Some(Ok(t)) => t.with_timezone(&chrono::Utc),
                Some(Err(e)) => return fail(&format!("--now: not an RFC 3339 time such as 2027-01-31T09:00:00Z ({e})")),
            };
            let services = match Services::build(settings, clock, Migrate::Yes).await {
                Ok(s) => s,
                Err(e) => return fail(&format!("{e:#}")),
            };
            match crate::jobs::run_job(&services, job, now).await {
                Ok(ran) => {
                    out(&format!("{job} at {}: {}", now.to_rfc3339(), ran.summary));
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&format!("{job}: {e:#}")),
            }
        }
        Command::Migrate => match Services::build(settings, clock, Migrate::Yes).await {
            Ok(_) => {
                out("migrations applied");
                ExitCode::SUCCESS
            }
            Err(e) => fail(&format!("{e:#}")),
        },
        Command::Tenants(TenantsCommand::Create { name, kind, admin_email, admin_password, admin_name }) => {
            let kind: TenantKind = match kind.parse() {
                Ok(k) => k,
                Err(e) => return fail(&format!("--kind: {e}")),
            };
            let services = match Services::build(settings, clock, Migrate::Yes).await {
                Ok(s) => s,
                Err(e) => return fail(&format!("{e:#}")),
            };
            let input = NewTenant { name, kind, admin_name, admin_email, admin_password };
            match services.tenants.create_tenant(input, &Actor::System, "tenant.created").await {
                Ok((t, _)) => {
                    out(&t.id);
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e.to_string()),
            }
        }
        Command::Demo => {
            let services = match Services::build(settings, clock, Migrate::Yes).await {
                Ok(s) => s,
                Err(e) => return fail(&format!("{e:#}")),
            };
            match crate::demo::run(&services).await {
                Ok(text) => {
                    out(text.trim_end());
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e.to_string()),
            }
        }
        Command::Audit(AuditCommand::Verify) => {
            let services = match Services::build(settings, clock, Migrate::Yes).await {
                Ok(s) => s,
                Err(e) => return fail(&format!("{e:#}")),
            };
            match accord_db::audit::verify(&services.db).await {
                Ok(r) => match r.problem {
                    None => {
                        out(&format!("audit trail intact: {} events verified", r.checked));
                        ExitCode::SUCCESS
                    }
                    Some(p) => fail(&format!("audit trail broken after {} good events: {p}", r.checked)),
                },
                Err(e) => fail(&format!("cannot read the audit trail: {e}")),
            }
        }
        Command::Scopes(_) | Command::Schema => ExitCode::SUCCESS,
    }
}

#[allow(clippy::print_stdout)]
fn exit((text, code): (String, i32)) -> ExitCode {
    print!("{text}");
    if !text.ends_with('\n') {
        println!();
    }
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}
