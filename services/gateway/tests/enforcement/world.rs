//! A world for enforcement: a provider (with an API token for its gateway), a vendor with a
//! backend-service app whose JWKS holds an ES384 key (made per test) and an RS384 key (the
//! test-only fixture in `fixtures/`), and a live grant of `system/Observation.rs
//! system/Patient.r` at the provider. Clients sign assertions here exactly as a SMART Backend
//! Services client would.

use accord_gateway::testing::{TestApp, spawn_app_with};
use accord_kernel::Clock as _;
use accord_kernel::config::Settings;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use p384::elliptic_curve::sec1::ToSec1Point as _;
use p384::pkcs8::EncodePrivateKey as _;
use rand::RngCore as _;
use serde_json::{Value, json};

pub use accord_gateway::testing::PASSWORD;
pub const GRANTED: [&str; 2] = ["system/Observation.rs", "system/Patient.r"];
/// A test-only RSA key (never used anywhere else); its public JWK is beside it.
const RSA_PEM: &str = include_str!("fixtures/rs384-test-key.pem");
const RSA_JWK: &str = include_str!("fixtures/rs384-test-key.jwk.json");

/// An ES384 key pair: the signing key and the public JWK.
pub struct EcKey {
    pub encoding: EncodingKey,
    pub jwk: Value,
}

pub fn ec_key(kid: &str) -> EcKey {
    loop {
        let mut bytes = [0u8; 48];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let Ok(secret) = p384::SecretKey::from_slice(&bytes) else { continue };
        let point = secret.public_key().to_sec1_point(false);
        let jwk = json!({
            "kty": "EC", "crv": "P-384", "kid": kid, "alg": "ES384", "use": "sig",
            "x": URL_SAFE_NO_PAD.encode(point.x().unwrap()), "y": URL_SAFE_NO_PAD.encode(point.y().unwrap()),
        });
        let der = secret.to_pkcs8_der().unwrap().as_bytes().to_vec();
        return EcKey { encoding: EncodingKey::from_ec_der(&der), jwk };
    }
}

pub fn rsa_key() -> (EncodingKey, Value) {
    (EncodingKey::from_rsa_pem(RSA_PEM.as_bytes()).unwrap(), serde_json::from_str(RSA_JWK).unwrap())
}

pub struct World {
    pub app: TestApp,
    pub vendor_admin: String,
    pub holder_id: String,
    pub holder_admin: String,
    pub approver1: String,
    pub approver2: String,
    /// The holder's API token (what its FHIR gateway sends).
    pub holder_token: String,
    pub slug: String,
    pub app_id: String,
    pub client_id: String,
    pub grant_id: String,
    pub es: EcKey,
}

pub async fn login(app: &TestApp, email: &str) -> String {
    app.login(email).await
}

pub async fn invite(app: &TestApp, admin: &str, role: &str) -> String {
    app.invite(admin, role).await
}

/// A data holder: `(id, slug, admin session, API token)`.
pub async fn holder(app: &TestApp, name: &str) -> (String, String, String, String) {
    let email = app.email("holder-admin");
    let (t, _) = app
        .state
        .tenants
        .create_tenant(
            accord_tenants::NewTenant {
                name: name.into(),
                kind: accord_kernel::TenantKind::Provider,
                admin_name: "Holder Admin".into(),
                admin_email: email.clone(),
                admin_password: PASSWORD.into(),
            },
            &accord_kernel::Actor::System,
            "tenant.created",
        )
        .await
        .unwrap();
    let admin = login(app, &email).await;
    let r = app.gql(Some(&admin), "mutation { createApiToken(name: \"fhir gateway\", expiresInDays: 365) { token } }", json!({})).await;
    let token = r["data"]["createApiToken"]["token"].as_str().unwrap_or_else(|| panic!("{r}")).to_owned();
    (t.id, t.slug, admin, token)
}

/// Registers a backend service with `jwks` (inline) or `jwks_uri`; returns `(id, clientId)`.
pub async fn backend_app(app: &TestApp, dev: &str, name: &str, jwks: Option<Value>, jwks_uri: Option<&str>) -> (String, String) {
    let r = app
        .gql(
            Some(dev),
            "mutation($i: RegisterAppInput!) { registerApp(input: $i) { app { id clientId } } }",
            json!({ "i": {
                "name": name, "kind": "BACKEND_SERVICE", "public": false,
                "jwks": jwks.map(|j| j.to_string()), "jwksUri": jwks_uri,
                "purpose": "Nightly quality measures", "businessOwnerEmail": "biz@vendor.example", "technicalOwnerEmail": "tech@vendor.example",
            } }),
        )
        .await;
    let a = &r["data"]["registerApp"]["app"];
    assert!(a.is_object(), "registerApp failed: {r}");
    (a["id"].as_str().unwrap().to_owned(), a["clientId"].as_str().unwrap().to_owned())
}

pub const APPROVE: &str = "mutation($id: ID!) { approveAccessRequest(id: $id) { status grant { id } } }";

impl World {
    pub async fn gql(&self, token: &str, q: &str, vars: Value) -> Value {
        self.app.gql(Some(token), q, vars).await
    }

    /// Grants `scopes` to `app_id` at this holder (two approvers: system scopes are high risk).
    pub async fn grant(&self, app_id: &str, scopes: &[&str]) -> String {
        let r = self
            .gql(
                &self.vendor_admin,
                "mutation($i: RequestAccessInput!) { requestAccess(input: $i) { id } }",
                json!({ "i": { "appId": app_id, "dataHolderId": self.holder_id, "scopes": scopes, "purpose": "Quality measures", "durationDays": 30 } }),
            )
            .await;
        let id = r["data"]["requestAccess"]["id"].as_str().unwrap_or_else(|| panic!("{r}")).to_owned();
        self.gql(&self.approver1, APPROVE, json!({ "id": id })).await;
        let r = self.gql(&self.approver2, APPROVE, json!({ "id": id })).await;
        r["data"]["approveAccessRequest"]["grant"]["id"].as_str().unwrap_or_else(|| panic!("{r}")).to_owned()
    }

    /// `{address}/t/{slug}` (where requests go).
    pub fn base(&self) -> String {
        format!("{}/t/{}", self.app.address, self.slug)
    }

    /// The token endpoint as discovery names it (the `aud` of assertions).
    pub fn token_url(&self) -> String {
        format!("{}/t/{}/oauth/token", self.app.settings.public_url, self.slug)
    }

    /// The standard assertion claims for `client_id`, five minutes ahead.
    pub fn claims(&self, client_id: &str) -> Value {
        let now = self.app.clock.now().timestamp();
        json!({ "iss": client_id, "sub": client_id, "aud": self.token_url(), "exp": now + 300, "jti": uuid::Uuid::new_v4().simple().to_string() + &uuid::Uuid::new_v4().simple().to_string() })
    }

    /// An ES384 assertion by this world's client with its registered key.
    pub fn assertion(&self) -> String {
        sign_es(&self.es, "es", &self.claims(&self.client_id))
    }

    /// `POST /oauth/token` with `form`; `(status, body, cache-control, pragma)`.
    pub async fn token_raw(&self, form: &[(&str, &str)]) -> (u16, Value, String, String) {
        let r = self.app.client.post(format!("{}/oauth/token", self.base())).form(form).send().await.unwrap();
        let status = r.status().as_u16();
        let h = |n: &str| r.headers().get(n).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let (cc, pragma) = (h("cache-control"), h("pragma"));
        (status, r.json().await.unwrap_or(Value::Null), cc, pragma)
    }

    /// A token request with `assertion` and `scope`; `(status, body)`.
    pub async fn token_with(&self, assertion: &str, scope: &str) -> (u16, Value) {
        let (s, b, _, _) = self
            .token_raw(&[
                ("grant_type", "client_credentials"),
                ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                ("client_assertion", assertion),
                ("scope", scope),
            ])
            .await;
        (s, b)
    }

    /// An access token for `scope` (panics if refused).
    pub async fn access_token(&self, scope: &str) -> String {
        let (s, b) = self.token_with(&self.assertion(), scope).await;
        assert_eq!(s, 200, "{b}");
        b["access_token"].as_str().unwrap().to_owned()
    }

    /// Introspects `token` with `api_token`; `(status, body)`.
    pub async fn introspect_as(&self, api_token: &str, token: &str) -> (u16, Value) {
        let r = self
            .app
            .client
            .post(format!("{}/oauth/introspect", self.base()))
            .bearer_auth(api_token)
            .form(&[("token", token)])
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    pub async fn introspect(&self, token: &str) -> Value {
        let (s, b) = self.introspect_as(&self.holder_token, token).await;
        assert_eq!(s, 200, "{b}");
        b
    }

    /// `GET /authz` for `method uri` with `token`; `(status, client id, grant id)`.
    pub async fn authz(&self, token: Option<&str>, method: &str, uri: &str) -> (u16, String, String) {
        authz_at(&self.app.client, &self.base(), token, method, uri).await
    }

    /// `POST /v1/decisions` with `body`; `(status, body)`.
    pub async fn decide(&self, api_token: &str, body: Value) -> (u16, Value) {
        let r = self.app.client.post(format!("{}/v1/decisions", self.app.address)).bearer_auth(api_token).json(&body).send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }
}

pub async fn authz_at(client: &reqwest::Client, base: &str, token: Option<&str>, method: &str, uri: &str) -> (u16, String, String) {
    let mut req = client.get(format!("{base}/authz")).header("X-Original-Method", method).header("X-Original-URI", uri);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.unwrap();
    let h = |n: &str| r.headers().get(n).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    (r.status().as_u16(), h("x-accord-client-id"), h("x-accord-grant-id"))
}

pub fn header(alg: Algorithm, kid: &str) -> Header {
    let mut h = Header::new(alg);
    h.kid = Some(kid.to_owned());
    h.typ = Some("JWT".into());
    h
}

pub fn sign_es(key: &EcKey, kid: &str, claims: &Value) -> String {
    jsonwebtoken::encode(&header(Algorithm::ES384, kid), claims, &key.encoding).unwrap()
}

/// A JWT with any header and an arbitrary signature (for `alg: none` and forged tokens).
pub fn raw_jwt(header: &Value, claims: &Value, signature: &[u8]) -> String {
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        URL_SAFE_NO_PAD.encode(signature)
    )
}

pub async fn world() -> World {
    world_with(|_| {}).await
}

pub async fn world_with(change: impl FnOnce(&mut Settings)) -> World {
    let app = spawn_app_with(change).await;
    let (vendor_admin, _) = app.sign_up("Acme Analytics", "DEVELOPER", &app.email("vendor-admin")).await;
    let (holder_id, slug, holder_admin, holder_token) = holder(&app, "General Hospital").await;
    let approver1 = invite(&app, &holder_admin, "APPROVER").await;
    let approver2 = invite(&app, &holder_admin, "APPROVER").await;
    let es = ec_key("es");
    let (_, rsa_jwk) = rsa_key();
    let (app_id, client_id) =
        backend_app(&app, &vendor_admin, "Quality Robot", Some(json!({ "keys": [es.jwk.clone(), rsa_jwk] })), None).await;
    let mut w = World {
        app,
        vendor_admin,
        holder_id,
        holder_admin,
        approver1,
        approver2,
        holder_token,
        slug,
        app_id,
        client_id,
        grant_id: String::new(),
        es,
    };
    w.grant_id = w.grant(&w.app_id.clone(), &GRANTED).await;
    w
}
