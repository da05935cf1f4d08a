//! OpenTelemetry (issue #14): with `OTEL_EXPORTER_OTLP_ENDPOINT` pointing at a small OTLP/HTTP
//! receiver this test runs, one approval made through a real `accord serve` arrives as one
//! trace: the HTTP request, the GraphQL operation carrying the request and tenant ids, the
//! service call, and the SQL statements beneath them, each linked to its parent.

use super::process::{accord, gql, start};
use actix_web::{App, HttpResponse, HttpServer, web};
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::any_value::Value as Any;
use prost::Message as _;
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
struct Span {
    trace: Vec<u8>,
    id: Vec<u8>,
    parent: Vec<u8>,
    name: String,
    attributes: HashMap<String, String>,
}

type Spans = Arc<Mutex<Vec<Span>>>;

/// An OTLP/HTTP trace receiver (`POST /v1/traces`, protobuf) that keeps every span it gets.
fn receiver() -> (String, Spans) {
    let spans: Spans = Arc::default();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let data = web::Data::new(spans.clone());
    let server = HttpServer::new(move || {
        App::new().app_data(data.clone()).route(
            "/v1/traces",
            web::post().to(|body: web::Bytes, spans: web::Data<Spans>| async move {
                let Ok(export) = ExportTraceServiceRequest::decode(body.as_ref()) else {
                    return HttpResponse::BadRequest().finish();
                };
                let mut kept = spans.lock().unwrap();
                for span in export.resource_spans.iter().flat_map(|r| &r.scope_spans).flat_map(|s| &s.spans) {
                    let attributes = span
                        .attributes
                        .iter()
                        .map(|kv| {
                            let value = match kv.value.as_ref().and_then(|v| v.value.clone()) {
                                Some(Any::StringValue(s)) => s,
                                Some(Any::IntValue(i)) => i.to_string(),
                                Some(Any::BoolValue(b)) => b.to_string(),
                                other => format!("{other:?}"),
                            };
                            (kv.key.clone(), value)
                        })
                        .collect();
                    kept.push(Span {
                        trace: span.trace_id.clone(),
                        id: span.span_id.clone(),
                        parent: span.parent_span_id.clone(),
                        name: span.name.clone(),
                        attributes,
                    });
                }
                HttpResponse::Ok().content_type("application/x-protobuf").finish()
            }),
        )
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    (url, spans)
}

#[tokio::test]
async fn one_approval_is_one_trace_from_the_http_request_through_graphql_to_its_sql_statements() {
    let (collector, spans) = receiver();
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = accord(dir.path());
    cmd.arg("serve")
        .env("ACCORD_DATA_DIR", dir.path().join("data"))
        .env("ACCORD_SECRET_KEY", "traces-test-secret-key-0123456789abcdef")
        .env("ACCORD_SIGNUP_KINDS", "DEVELOPER,PROVIDER")
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", &collector)
        // Batches leave every 100 ms instead of every 5 s.
        .env("OTEL_BSP_SCHEDULE_DELAY", "100");
    let server = start(cmd).await;
    let url = &server.url;

    let sign_up = "mutation($i: SignUpInput!) { signUp(input: $i) { token user { tenant { id } } } }";
    let org = |name: &str, kind: &str, email: &str| json!({ "i": { "organizationName": name, "kind": kind, "name": "Person", "email": email, "password": "correct horse battery" } });
    let h = gql(url, None, sign_up, org("General Hospital", "PROVIDER", "admin@general.example")).await;
    let (holder, holder_id) =
        (h["data"]["signUp"]["token"].as_str().unwrap().to_owned(), h["data"]["signUp"]["user"]["tenant"]["id"].clone());
    let v = gql(url, None, sign_up, org("Acme Apps", "DEVELOPER", "dev@acme.example")).await;
    let vendor = v["data"]["signUp"]["token"].as_str().unwrap().to_owned();
    let app = gql(
        url,
        Some(&vendor),
        "mutation($i: RegisterAppInput!) { registerApp(input: $i) { app { id } } }",
        json!({ "i": { "name": "Results", "kind": "PATIENT_FACING", "public": true, "redirectUris": ["https://app.acme.example/cb"],
            "purpose": "Results", "businessOwnerEmail": "biz@acme.example", "technicalOwnerEmail": "tech@acme.example" } }),
    )
    .await["data"]["registerApp"]["app"]["id"]
        .clone();
    let req = gql(
        url,
        Some(&vendor),
        "mutation($i: RequestAccessInput!) { requestAccess(input: $i) { id } }",
        json!({ "i": { "appId": app, "dataHolderId": holder_id, "scopes": ["patient/Observation.rs"], "purpose": "Results", "durationDays": 30 } }),
    )
    .await["data"]["requestAccess"]["id"]
        .clone();
    let approved =
        gql(url, Some(&holder), "mutation Approve($id: ID!) { approveAccessRequest(id: $id) { status } }", json!({ "id": req })).await;
    assert_eq!(approved["data"]["approveAccessRequest"]["status"], "APPROVED", "{approved}");

    // The approval's GraphQL span, once exported.
    let start_wait = Instant::now();
    let operation = loop {
        let found = spans
            .lock()
            .unwrap()
            .iter()
            .find(|s| s.name == "graphql" && s.attributes.get("operation").map(String::as_str) == Some("approveAccessRequest"))
            .cloned();
        if let Some(span) = found {
            break span;
        }
        assert!(
            start_wait.elapsed() < Duration::from_secs(10),
            "no approveAccessRequest span arrived: {:?}",
            spans.lock().unwrap().iter().map(|s| &s.name).collect::<Vec<_>>()
        );
        // Waiting for the exporter's batch is waiting for another process, not for time to pass.
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(operation.attributes.get("tenant_id"), Some(&holder_id.as_str().unwrap().to_owned()), "{operation:?}");
    assert!(operation.attributes.get("request_id").is_some_and(|id| !id.is_empty()), "{operation:?}");
    // Let the rest of the trace's batch arrive, then read the trace.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let trace: Vec<Span> = spans.lock().unwrap().iter().filter(|s| s.trace == operation.trace).cloned().collect();
    let by_id: HashMap<&[u8], &Span> = trace.iter().map(|s| (s.id.as_slice(), s)).collect();

    // One root: the HTTP request to /graphql; every other span's parent is in the same trace.
    let roots: Vec<&Span> = trace.iter().filter(|s| s.parent.is_empty()).collect();
    assert_eq!(roots.len(), 1, "{:?}", trace.iter().map(|s| (&s.name, s.parent.is_empty())).collect::<Vec<_>>());
    assert_eq!(roots[0].name, "http");
    assert_eq!(roots[0].attributes.get("route").map(String::as_str), Some("/graphql"), "{:?}", roots[0]);
    for span in trace.iter().filter(|s| !s.parent.is_empty()) {
        assert!(by_id.contains_key(span.parent.as_slice()), "{} has its parent in the trace", span.name);
    }
    // The SQL statements are in it, beneath the GraphQL operation.
    let sql: Vec<&Span> = trace.iter().filter(|s| s.attributes.contains_key("db.system")).collect();
    assert!(sql.len() >= 3, "the approval's SQL statements: {:?}", trace.iter().map(|s| &s.name).collect::<Vec<_>>());
    let ancestors = |span: &Span| {
        let mut names = vec![];
        let mut at = span;
        while let Some(parent) = by_id.get(at.parent.as_slice()) {
            names.push(parent.name.clone());
            at = parent;
        }
        names
    };
    for statement in &sql {
        assert!(ancestors(statement).contains(&"graphql".to_owned()), "{} is beneath the graphql span", statement.name);
    }
    // Through the service call: the approval's own statements sit beneath `approvals.approve`.
    let service = trace.iter().find(|s| s.name == "approvals.approve").expect("the service call's span");
    assert_eq!(service.attributes.get("tenant_id"), operation.attributes.get("tenant_id"), "{service:?}");
    let beneath_service = sql.iter().filter(|s| ancestors(s).contains(&"approvals.approve".to_owned())).count();
    assert!(beneath_service >= 3, "{beneath_service} statements beneath approvals.approve");
    eprintln!("one approval: {} spans in one trace, {} of them SQL ({beneath_service} in the service call)", trace.len(), sql.len());
    drop(server);
}
