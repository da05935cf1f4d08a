//! wrk, as the load examples run it: a POST body and headers from a Lua script, 2 threads, 64
//! connections, the latency distribution read back.

use anyhow::Context as _;
use std::path::PathBuf;

/// What one wrk run measured.
pub struct Wrk {
    pub rps: f64,
    pub p50: String,
    pub p99: String,
    pub non2xx: u64,
}

/// A Lua script that POSTs `body` as `ctype`, with `Authorization: Bearer <bearer>` when given.
pub fn script(name: &str, body: &str, ctype: &str, bearer: Option<&str>) -> anyhow::Result<PathBuf> {
    let path = std::env::temp_dir().join(format!("accord-bench-{name}-{}.lua", std::process::id()));
    let auth = bearer.map(|t| format!("wrk.headers[\"Authorization\"] = \"Bearer {t}\"\n")).unwrap_or_default();
    let lua = format!("wrk.method = \"POST\"\nwrk.body = [[{body}]]\nwrk.headers[\"Content-Type\"] = \"{ctype}\"\n{auth}");
    std::fs::write(&path, lua)?;
    Ok(path)
}

/// `wrk -t2 -c64 -d<secs>s --latency -s <script> <url>`.
pub fn run(url: &str, script: &std::path::Path, secs: u64) -> anyhow::Result<Wrk> {
    let out = std::process::Command::new("wrk")
        .args(["-t2", "-c64", &format!("-d{secs}s"), "--latency", "-s"])
        .arg(script)
        .arg(url)
        .output()
        .context("cannot run wrk (install it: apt-get install wrk)")?;
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |prefix: &str| text.lines().find_map(|l| l.trim().strip_prefix(prefix).map(|v| v.trim().to_owned()));
    let rps = field("Requests/sec:").with_context(|| format!("wrk output: {text}"))?.parse()?;
    let non2xx = field("Non-2xx or 3xx responses:").map_or(Ok(0), |v| v.parse())?;
    Ok(Wrk { rps, p50: field("50%").unwrap_or_default(), p99: field("99%").unwrap_or_default(), non2xx })
}

/// Runs `stub` then `accord` for `rounds` rounds, prints a markdown row per round, and returns
/// the median ratio of Accord's throughput to the stub's.
pub fn compare(label: &str, stub: &str, accord: &str, script: &std::path::Path, secs: u64, rounds: usize) -> anyhow::Result<f64> {
    let mut ratios = vec![];
    for round in 1..=rounds {
        let s = run(stub, script, secs)?;
        let a = run(accord, script, secs)?;
        let ratio = a.rps / s.rps;
        ratios.push(ratio);
        println!(
            "| `{label}` | {round} | {:.0} | {} / {} | {:.0} | {} / {} | {} | {ratio:.2} |",
            s.rps,
            s.p50,
            s.p99,
            a.rps,
            a.p50,
            a.p99,
            a.non2xx + s.non2xx
        );
    }
    ratios.sort_by(f64::total_cmp);
    Ok(ratios[ratios.len() / 2])
}

/// The table header [`compare`]'s rows go under.
pub fn header(secs: u64, rounds: usize) {
    println!("\n## HTTP, wrk -t2 -c64 -d{secs}s, stub and Accord alternating, {rounds} rounds (same run, same machine)\n");
    println!("| request | round | stub req/s | stub p50 / p99 | accord req/s | accord p50 / p99 | non-2xx | ratio |");
    println!("|---|---|---|---|---|---|---|---|");
}
