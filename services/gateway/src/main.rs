//! `accord`: see `accord --help`.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    accord_gateway::cli::run(accord_gateway::cli::Cli::parse()).await
}
