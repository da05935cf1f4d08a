//! A fuzz-style run: random bytes, random scope-alphabet strings and mutations of valid
//! and invalid scopes go through every entry point. Any panic fails the test, and every
//! accepted input must satisfy the engine's invariants.
//!
//! `ACCORD_FUZZ_CASES` sets the number of inputs (default 20,000 so the normal suite stays
//! fast); `ACCORD_FUZZ_SEED` the seed. A 1,000,000-input run:
//! `ACCORD_FUZZ_CASES=1000000 cargo test --release -p accord-scopes --test engine fuzz -- --nocapture`

use std::time::Instant;

use accord_scopes::{Scope, ScopeSet, analyze, covers, explain_uncovered, intersection, narrow, overlaps};

const SEEDS: [&str; 40] = [
    "patient/*.rs",
    "user/*.cruds",
    "system/*.cruds",
    "patient/Observation.cu",
    "patient/Observation.rs",
    "system/Encounter.cud",
    "patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory",
    "launch",
    "launch/patient",
    "launch/encounter",
    "launch/imagingstudy",
    "launch/list?role=https://example.org/med-list-at-home",
    "launch/relatedperson?role=friend",
    "openid",
    "fhirUser",
    "profile",
    "offline_access",
    "online_access",
    "__profilePhoto.manage",
    "https://ehr.example.org/scopes/profilePhoto.manage",
    "patient/Observation.read",
    "user/*.*",
    "user/Appointment.write",
    "http://smarthealthit.org/fhir/scopes/patient/*.r",
    "http://openid.net/specs/openid-connect-core-1_0#openid",
    "patient/Observation.rs?code:in=http://valueset.example.org/ValueSet/diabetes-codes",
    "patient/Observation.rs?code=http://loinc.org%7C2345-7&status=final",
    "patient/Observation.dus",
    "launch/relatedperson?role=friend&role=neighbor",
    "patient/Observation.sr",
    "Patient/Observation.rs",
    "patient/observation.rs",
    "patient/Observation.rs?category",
    "patient/Observation.rread",
    "system/Observation",
    "launch/DiagnosticReport",
    "group/*.rs",
    "patient/Observaton.rs",
    "patient/Observation.rs?a=1&&b=2",
    "patient/Observation.rs?_include=Observation:subject",
];

const TOKENS: [&str; 24] = [
    "read",
    "write",
    "*",
    "?",
    "&",
    "=",
    "/",
    ".",
    "%7C",
    "%",
    "%zz",
    "__",
    "launch/",
    "http://smarthealthit.org/fhir/scopes/",
    "patient",
    "user",
    "system",
    "Observation",
    "role=",
    "|",
    ",",
    ":",
    "cruds",
    " ",
];

const ALPHABET: &[char] = &[
    'a',
    'c',
    'r',
    'u',
    'd',
    's',
    'p',
    'O',
    'R',
    'z',
    '0',
    '9',
    '/',
    '.',
    '*',
    '?',
    '&',
    '=',
    '|',
    '%',
    '_',
    ':',
    '#',
    ',',
    '-',
    ' ',
    '\t',
    '\n',
    '\0',
    '"',
    '\\',
    'é',
    '\u{200b}',
    '\u{a0}',
    '\u{1f600}',
    '\u{7f}',
];

/// SplitMix64: small, fast, deterministic; no dependency needed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..=rng.below(4) {
        let at = rng.below(chars.len() + 1);
        match rng.below(8) {
            0 => chars.insert(at, *rng.pick(ALPHABET)),
            1 if at < chars.len() => {
                chars.remove(at);
            }
            2 if at < chars.len() => chars[at] = *rng.pick(ALPHABET),
            3 => {
                let token: Vec<char> = rng.pick(&TOKENS).chars().collect();
                chars.splice(at..at, token);
            }
            4 if !chars.is_empty() => {
                let start = rng.below(chars.len());
                let end = start + rng.below(chars.len() - start + 1);
                let copy: Vec<char> = chars[start..end].to_vec();
                chars.splice(at..at, copy);
            }
            5 => chars.truncate(at),
            6 => {
                let other: Vec<char> = rng.pick(&SEEDS).chars().collect();
                let cut = rng.below(other.len() + 1);
                chars.truncate(at);
                chars.extend_from_slice(&other[cut..]);
            }
            _ if at < chars.len() => {
                let c = chars[at];
                chars[at] = if c.is_ascii_lowercase() { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() };
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

fn generate(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => {
            let bytes: Vec<u8> = (0..rng.below(64)).map(|_| rng.next() as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        }
        1 => (0..rng.below(80)).map(|_| *rng.pick(ALPHABET)).collect(),
        2 => {
            // Around the 1 KiB limit.
            let seed = rng.pick(&SEEDS).to_string();
            let pad = 1000 + rng.below(50);
            format!("{seed}{}", "a".repeat(pad.saturating_sub(seed.len())))
        }
        _ => {
            let seed = rng.pick(&SEEDS).to_string();
            mutate(rng, &seed)
        }
    }
}

/// Runs one input through every entry point and checks the invariants of valid scopes.
fn exercise(input: &str, recent: &[Scope]) -> bool {
    let analysis = analyze(input);
    let parsed = input.parse::<Scope>();
    assert_eq!(analysis.valid, parsed.is_ok(), "{input:?}");
    let Ok(scope) = parsed else {
        assert!(analysis.error.is_some_and(|e| !e.is_empty()));
        return false;
    };
    let text = scope.to_string();
    let again = text.parse::<Scope>();
    assert_eq!(again.as_ref(), Ok(&scope), "{input:?} normalized to {text:?}");
    assert!(text.len() <= accord_scopes::MAX_SCOPE_LEN || input.len() > text.len());
    assert!(scope.covers(&scope), "{text} must cover itself");
    assert!(overlaps(&scope, &scope), "{text} must overlap itself");
    assert!(analysis.description.is_some() && analysis.risk.is_some());
    for other in recent {
        if other.covers(&scope) {
            assert!(overlaps(other, &scope), "{other} covers but does not overlap {text}");
        }
        assert_eq!(overlaps(other, &scope), overlaps(&scope, other));
    }
    true
}

#[test]
fn fuzzed_inputs_never_panic_and_accepted_ones_keep_every_invariant() {
    let cases: usize = std::env::var("ACCORD_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let seed: u64 = std::env::var("ACCORD_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x5EED_ACC0_4D00_0001);
    let mut rng = Rng(seed);
    let started = Instant::now();
    let mut valid = 0usize;
    let mut recent: Vec<Scope> = Vec::new();
    let mut window: Vec<String> = Vec::new();
    for i in 0..cases {
        let input = generate(&mut rng);
        if exercise(&input, &recent) {
            valid += 1;
            if let Ok(s) = input.parse::<Scope>() {
                if recent.len() >= 16 {
                    recent.remove(rng.below(recent.len()));
                }
                recent.push(s);
            }
        }
        window.push(input);
        if window.len() == 8 || i + 1 == cases {
            let _ = window.join(" ").parse::<ScopeSet>();
            if let Ok(set) = ScopeSet::parse_all(&window) {
                let granted = ScopeSet::from_scopes(recent.iter().cloned());
                let both = intersection(&granted, &set);
                assert!(granted.covers_all(&both) && set.covers_all(&both));
                let _ = narrow(&granted, &set);
                for s in &set {
                    let _ = covers(&granted, s);
                    let _ = explain_uncovered(&granted, s);
                }
            }
            window.clear();
        }
    }
    let elapsed = started.elapsed();
    eprintln!("fuzz: {cases} inputs ({valid} valid) in {:.2?} with seed {seed:#x}", elapsed);
    if cases >= 10_000 {
        assert!(valid * 20 > cases, "too few valid inputs ({valid}) to exercise the invariants");
    }
}
