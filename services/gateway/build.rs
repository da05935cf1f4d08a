//! Builds the approver portal (`frontend/`) so the binary can embed `frontend/dist`.
//!
//! Runs when the portal's sources, its lockfile or its build configuration changed: `npm ci`
//! when `node_modules` is missing or older than `package-lock.json`, then `npm run build`.
//! Without `npm` the build goes on with a warning and the binary serves a page that says how
//! to get the portal (the API does not need it). `ACCORD_SKIP_FRONTEND_BUILD=1` embeds
//! whatever `frontend/dist` holds without running npm (the container image builds the portal
//! in its own stage).

use std::path::Path;
use std::process::Command;
use std::time::SystemTime;

fn main() {
    let frontend = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../frontend");
    for input in ["src", "public", "index.html", "package.json", "package-lock.json", "vite.config.ts", "tsconfig.json"] {
        println!("cargo:rerun-if-changed={}", frontend.join(input).display());
    }
    println!("cargo:rerun-if-env-changed=ACCORD_SKIP_FRONTEND_BUILD");

    if std::env::var("ACCORD_SKIP_FRONTEND_BUILD").is_ok_and(|v| v == "1") {
        if !frontend.join("dist/index.html").exists() {
            println!(
                "cargo:warning=ACCORD_SKIP_FRONTEND_BUILD=1 but frontend/dist/index.html is missing: the binary will not serve the portal"
            );
        }
        return;
    }
    if !frontend.join("package.json").exists() {
        return;
    }
    let Some(npm) = npm() else {
        println!(
            "cargo:warning=npm was not found, so the web portal is not built into this binary (the API works without it). \
             Install Node.js 20+ with npm and build again to get it."
        );
        return;
    };
    if needs_install(&frontend) {
        run(npm, &["ci", "--no-audit", "--no-fund"], &frontend);
    }
    run(npm, &["run", "build"], &frontend);
}

fn npm() -> Option<&'static str> {
    let name = if cfg!(windows) { "npm.cmd" } else { "npm" };
    Command::new(name).arg("--version").output().ok().filter(|o| o.status.success()).map(|_| name)
}

/// `node_modules` is missing, or older than the lockfile it should match.
fn needs_install(frontend: &Path) -> bool {
    let installed = modified(&frontend.join("node_modules/.package-lock.json"));
    let wanted = modified(&frontend.join("package-lock.json"));
    match (installed, wanted) {
        (Some(installed), Some(wanted)) => installed < wanted,
        _ => true,
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn run(npm: &str, args: &[&str], dir: &Path) {
    let status = Command::new(npm).args(args).current_dir(dir).status();
    let failure = match status {
        Ok(s) if s.success() => return,
        Ok(s) => format!("`npm {}` in frontend/ failed ({s}); its output is above", args.join(" ")),
        Err(e) => format!("cannot run `npm {}` in frontend/: {e}", args.join(" ")),
    };
    eprintln!("error: {failure}");
    std::process::exit(1);
}
