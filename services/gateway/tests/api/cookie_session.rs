//! The portal's cookie sign-in (SPEC §10): `POST /auth/login` sets an http-only, SameSite=Strict
//! session cookie and an `accord_csrf` cookie; a cookie-authenticated `POST /graphql` needs
//! `X-CSRF-Token` equal to that cookie, else FORBIDDEN and nothing runs; `POST /auth/logout`
//! ends the session. Bearer callers are unaffected.

use accord_gateway::testing::{PASSWORD, TestApp, error_code, spawn_app};
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::{Value, json};

struct SignedIn {
    session: String,
    csrf: String,
    set_cookies: Vec<String>,
}

impl SignedIn {
    fn cookie_header(&self) -> String {
        format!("accord_session={}; accord_csrf={}", self.session, self.csrf)
    }
}

fn cookie_value(set_cookies: &[String], name: &str) -> Option<String> {
    set_cookies.iter().find_map(|c| c.strip_prefix(&format!("{name}="))).map(|rest| rest.split(';').next().unwrap_or_default().to_owned())
}

async fn sign_in(app: &TestApp, email: &str, password: &str) -> (u16, Value, Vec<String>, Option<String>) {
    let r =
        app.client.post(format!("{}/auth/login", app.address)).json(&json!({ "email": email, "password": password })).send().await.unwrap();
    let status = r.status().as_u16();
    let set_cookies = r.headers().get_all(SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    let retry_after = r.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
    (status, r.json().await.unwrap_or(Value::Null), set_cookies, retry_after)
}

async fn signed_in(app: &TestApp, email: &str) -> SignedIn {
    let (status, body, set_cookies, _) = sign_in(app, email, PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    SignedIn {
        session: cookie_value(&set_cookies, "accord_session").expect("session cookie"),
        csrf: cookie_value(&set_cookies, "accord_csrf").expect("csrf cookie"),
        set_cookies,
    }
}

/// `POST /graphql` with the cookies and, when given, the CSRF header.
async fn cookie_gql(app: &TestApp, s: &SignedIn, csrf: Option<&str>, query: &str) -> (u16, Value) {
    let mut req = app.client.post(format!("{}/graphql", app.address)).header(COOKIE, s.cookie_header()).json(&json!({ "query": query }));
    if let Some(c) = csrf {
        req = req.header("X-CSRF-Token", c);
    }
    let r = req.send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn a_signed_in_portal_call_needs_its_csrf_header_and_without_it_nothing_runs() {
    let app = spawn_app().await;
    let email = app.email("ada");
    let (bearer, _) = app.sign_up("Acme", "DEVELOPER", &email).await;
    let s = signed_in(&app, &email).await;
    let session_cookie = s.set_cookies.iter().find(|c| c.starts_with("accord_session=")).unwrap();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(session_cookie.contains(attribute), "{attribute} in {session_cookie}");
    }
    assert!(!session_cookie.contains("Secure"), "http public URL: not Secure ({session_cookie})");
    let csrf_cookie = s.set_cookies.iter().find(|c| c.starts_with("accord_csrf=")).unwrap();
    assert!(!csrf_cookie.contains("HttpOnly"), "the portal's script reads it: {csrf_cookie}");

    let tokens = app.count("api_tokens").await;
    let mint = "mutation { createApiToken(name: \"sneaky\", expiresInDays: 30) { token } }";
    for csrf in [None, Some("not-the-token"), Some(&*s.session)] {
        let (status, r) = cookie_gql(&app, &s, csrf, mint).await;
        assert_eq!((status, error_code(&r)), (403, Some("FORBIDDEN")), "{csrf:?}: {r}");
    }
    assert_eq!(app.count("api_tokens").await, tokens, "a refused cookie call changes nothing");

    let (status, r) = cookie_gql(&app, &s, Some(&s.csrf), "{ me { user { email } } }").await;
    assert_eq!((status, r["data"]["me"]["user"]["email"].as_str()), (200, Some(email.as_str())), "{r}");
    // Bearer callers are unaffected, with or without cookies around.
    assert!(app.gql(Some(&bearer), "{ me { user { id } } }", json!({})).await["data"]["me"].is_object());
}

#[tokio::test]
async fn a_bad_sign_in_is_401_a_missing_field_400_and_repeated_failures_429_each_with_an_error() {
    let app = spawn_app().await;
    let email = app.email("ada");
    app.sign_up("Acme", "DEVELOPER", &email).await;
    let (status, body, cookies, _) = sign_in(&app, &email, "wrong password!!").await;
    assert_eq!(status, 401);
    assert!(body["error"].as_str().is_some_and(|e| e.contains("wrong email or password")), "{body}");
    assert!(cookies.is_empty(), "no cookie on failure");
    let r = app.client.post(format!("{}/auth/login", app.address)).json(&json!({ "password": PASSWORD })).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.json::<Value>().await.unwrap()["error"].as_str().is_some_and(|e| e.starts_with("email")));
    let form = app
        .client
        .post(format!("{}/auth/login", app.address))
        .form(&[("email", email.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 415, "a plain form post (what a cross-site page can send) is refused");
    assert!(form.headers().get(SET_COOKIE).is_none());
    let mut last = (0, Value::Null, None);
    for _ in 0..12 {
        let (status, body, _, retry) = sign_in(&app, &email, "wrong password!!").await;
        last = (status, body, retry);
    }
    assert_eq!(last.0, 429, "{}", last.1);
    assert!(last.1["error"].as_str().is_some_and(|e| e.contains("try again")), "{}", last.1);
    assert!(last.2.is_some_and(|s| s.parse::<u64>().is_ok_and(|n| n >= 1)), "Retry-After in seconds");
}

#[tokio::test]
async fn logout_needs_the_csrf_header_ends_the_session_and_clears_both_cookies() {
    let app = spawn_app().await;
    let email = app.email("ada");
    app.sign_up("Acme", "DEVELOPER", &email).await;
    let s = signed_in(&app, &email).await;
    let logout = |csrf: Option<String>| {
        let mut req = app.client.post(format!("{}/auth/logout", app.address)).header(COOKIE, s.cookie_header());
        if let Some(c) = csrf {
            req = req.header("X-CSRF-Token", c);
        }
        req.send()
    };
    assert_eq!(logout(None).await.unwrap().status(), 403, "a cross-site form cannot sign people out");
    assert_eq!(cookie_gql(&app, &s, Some(&s.csrf), "{ me { user { id } } }").await.0, 200, "still signed in");
    let r = logout(Some(s.csrf.clone())).await.unwrap();
    assert_eq!(r.status(), 204);
    let cleared: Vec<String> = r.headers().get_all(SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    for name in ["accord_session=", "accord_csrf="] {
        assert!(cleared.iter().any(|c| c.starts_with(name) && c.contains("Max-Age=0")), "{name} cleared: {cleared:?}");
    }
    let (status, r) = cookie_gql(&app, &s, Some(&s.csrf), "{ me { user { id } } }").await;
    assert_eq!((status, error_code(&r)), (401, Some("UNAUTHENTICATED")), "the ended session is refused: {r}");
    assert_eq!(app.count("revoked_sessions").await, 1);
}
