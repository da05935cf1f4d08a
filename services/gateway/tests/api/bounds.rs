//! SPEC §2.8 bounds at the HTTP edge: body size, content types, batches, one credential field
//! per request, and metrics whose label sets no client can grow.

use accord_gateway::testing::{TestApp, error_code, error_message, spawn_app, spawn_app_with};
use serde_json::{Value, json};
use std::io::{Read as _, Write as _};

const SIGN_UP_VARS: &str = "mutation($i: SignUpInput!) { signUp(input: $i) { token } }";

fn sign_up_input(app: &TestApp, who: &str) -> Value {
    json!({ "organizationName": format!("Org {who}"), "kind": "DEVELOPER", "name": "Ada", "email": app.email(who), "password": "correct horse battery" })
}

/// A signUp field with its input inline, so many can share one document.
fn inline_sign_up(app: &TestApp, alias: &str) -> String {
    format!(
        "{alias}: signUp(input: {{ organizationName: \"Org {alias}\", kind: DEVELOPER, name: \"Ada\", email: \"{}\", password: \"correct horse battery\" }}) {{ token }}",
        app.email(alias)
    )
}

async fn post_raw(app: &TestApp, content_type: &str, body: Vec<u8>) -> (u16, Value) {
    let res = app.client.post(format!("{}/graphql", app.address)).header("Content-Type", content_type).body(body).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap())
}

/// A JSON GraphQL request padded to `size` bytes with spaces (insignificant whitespace).
fn padded_request(size: usize) -> Vec<u8> {
    let mut body = br#"{"query":"{ analyzeScopes(scopes: []) { valid } }"}"#.to_vec();
    body.resize(size, b' ');
    body
}

/// Posts `total` bytes with `Transfer-Encoding: chunked` (no Content-Length) over a plain socket,
/// writing on one thread while reading the answer on another, as a streaming client would.
fn post_chunked(address: &str, total: usize) -> (u16, Value) {
    let addr = address.trim_start_matches("http://").to_owned();
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let sender = std::thread::spawn(move || -> std::io::Result<()> {
        write!(writer, "POST /graphql HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")?;
        let body = padded_request(total);
        for chunk in body.chunks(64 * 1024) {
            write!(writer, "{:x}\r\n", chunk.len())?;
            writer.write_all(chunk)?;
            writer.write_all(b"\r\n")?;
        }
        writer.write_all(b"0\r\n\r\n")
    });
    let mut received = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let (status, body) = loop {
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0, "the server closed the connection without an answer: {}", String::from_utf8_lossy(&received));
        received.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&received).into_owned();
        let Some((head, rest)) = text.split_once("\r\n\r\n") else { continue };
        let length: usize = head
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap()))
            .expect("a sized answer");
        if rest.len() >= length {
            let status = head.split(' ').nth(1).unwrap().parse::<u16>().unwrap();
            break (status, serde_json::from_str(&rest[..length]).unwrap());
        }
    };
    drop(stream);
    // The server may stop reading once it has answered; the sender's errors do not matter.
    let _ = sender.join();
    (status, body)
}

#[tokio::test]
async fn a_body_over_one_mebibyte_answers_413_with_a_json_error() {
    let app = spawn_app().await;
    let (status, body) = post_raw(&app, "application/json", padded_request(2 << 20)).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert!(error_message(&body).contains("larger than 1048576 bytes"), "{body}");
    assert!(body["data"].is_null(), "{body}");
    // Just under the limit is an ordinary request.
    let (status, body) = post_raw(&app, "application/json", padded_request((1 << 20) - 1)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["analyzeScopes"], json!([]), "{body}");
}

#[tokio::test]
async fn a_chunked_body_over_one_mebibyte_answers_413_without_a_content_length() {
    let app = spawn_app().await;
    let address = app.address.clone();
    let (status, body) = tokio::task::spawn_blocking(move || post_chunked(&address, 3 << 20)).await.unwrap();
    assert_eq!(status, 413, "{body}");
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert!(error_message(&body).contains("larger than"), "{body}");
    let address = app.address.clone();
    let (status, body) = tokio::task::spawn_blocking(move || post_chunked(&address, 200 * 1024)).await.unwrap();
    assert_eq!(status, 200, "a small chunked body is fine: {body}");
}

#[tokio::test]
async fn multipart_and_other_content_types_are_refused_and_nothing_runs() {
    let app = spawn_app().await;
    let before = app.count("tenants").await;
    let operations = json!({ "query": SIGN_UP_VARS, "variables": { "i": sign_up_input(&app, "multi") } }).to_string();
    let multipart = format!(
        "--XyZ\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{operations}\r\n--XyZ\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{{}}\r\n--XyZ--\r\n"
    );
    let (status, body) = post_raw(&app, "multipart/form-data; boundary=XyZ", multipart.into_bytes()).await;
    assert_eq!(status, 415, "{body}");
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert!(error_message(&body).contains("multipart requests (file uploads) are not accepted"), "{body}");
    for content_type in ["application/x-www-form-urlencoded", "text/plain", "application/graphql"] {
        let (status, body) = post_raw(&app, content_type, operations.clone().into_bytes()).await;
        assert_eq!(status, 415, "{content_type}: {body}");
        assert!(error_message(&body).contains("must be application/json"), "{body}");
    }
    assert_eq!(app.count("tenants").await, before, "nothing was executed");
}

#[tokio::test]
async fn a_batch_is_refused_and_none_of_its_operations_runs() {
    let app = spawn_app().await;
    let before = app.count("tenants").await;
    let batch = json!([
        { "query": SIGN_UP_VARS, "variables": { "i": sign_up_input(&app, "one") } },
        { "query": SIGN_UP_VARS, "variables": { "i": sign_up_input(&app, "two") } },
    ]);
    let (status, body) = post_raw(&app, "application/json", batch.to_string().into_bytes()).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert!(error_message(&body).starts_with("batched requests are not accepted"), "{body}");
    assert_eq!(app.count("tenants").await, before);
    let (status, body) = post_raw(&app, "application/json", b"{\"query\": 42}".to_vec()).await;
    assert_eq!(status, 400, "{body}");
    assert!(error_message(&body).contains("JSON object with a `query` string"), "{body}");
}

#[tokio::test]
async fn twenty_aliased_sign_ups_in_one_request_are_refused_and_create_nothing() {
    let app = spawn_app().await;
    let before = app.count("tenants").await;
    let fields: Vec<String> = (0..20).map(|i| inline_sign_up(&app, &format!("s{i}"))).collect();
    let r = app.gql(None, &format!("mutation {{ {} }}", fields.join(" ")), json!({})).await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert!(error_message(&r).contains("at most one signUp, login or acceptInvitation may be selected per request"), "{r}");
    assert!(error_message(&r).contains("selects 20"), "{r}");
    assert!(r["data"].is_null(), "{r}");
    assert_eq!(app.count("tenants").await, before);
    // One sign-up per request still works.
    let r = app.gql(None, SIGN_UP_VARS, json!({ "i": sign_up_input(&app, "single") })).await;
    assert!(r["data"]["signUp"]["token"].is_string(), "{r}");
    assert_eq!(app.count("tenants").await, before + 1);
}

#[tokio::test]
async fn credential_fields_hidden_in_fragments_or_mixed_are_counted_together() {
    let app = spawn_app().await;
    let (token, _) = app.sign_up("Acme", "DEVELOPER", &app.email("ada")).await;
    let before = app.count("tenants").await;
    let login = "login(email: \"nobody@example.org\", password: \"wrong password!!\") { token }";
    let documents = [
        format!(
            "mutation {{ ...F ... on MutationRoot {{ {} }} }} fragment F on MutationRoot {{ {} }}",
            inline_sign_up(&app, "a"),
            inline_sign_up(&app, "b")
        ),
        format!("mutation {{ ...F ...F }} fragment F on MutationRoot {{ {} }}", inline_sign_up(&app, "c")),
        format!("mutation {{ {} l: {login} }}", inline_sign_up(&app, "d")),
        format!("mutation {{ a: {login} b: {login} }}"),
        "mutation { a: acceptInvitation(token: \"x\", name: \"A\", password: \"correct horse battery\") { token } \
         b: acceptInvitation(token: \"y\", name: \"B\", password: \"correct horse battery\") { token } }"
            .to_owned(),
    ];
    for doc in &documents {
        let r = app.gql(Some(&token), doc, json!({})).await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{doc}: {r}");
        assert!(error_message(&r).contains("at most one signUp, login or acceptInvitation"), "{doc}: {r}");
    }
    assert_eq!(app.count("tenants").await, before);
}

#[tokio::test]
async fn only_the_operation_chosen_by_operation_name_counts() {
    let app = spawn_app().await;
    let before = app.count("tenants").await;
    let doc = format!("mutation A {{ {} }} mutation B {{ {} }}", inline_sign_up(&app, "a"), inline_sign_up(&app, "b"));
    let res =
        app.client.post(format!("{}/graphql", app.address)).json(&json!({ "query": doc, "operationName": "A" })).send().await.unwrap();
    let r: Value = res.json().await.unwrap();
    assert!(r["data"]["a"]["token"].is_string(), "{r}");
    assert_eq!(app.count("tenants").await, before + 1, "only operation A ran");
    // Without a name the document cannot run; it is refused as a whole.
    let r = app.gql(None, &doc, json!({})).await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert_eq!(app.count("tenants").await, before + 1);
}

fn metric_lines(text: &str) -> usize {
    text.lines().filter(|l| !l.starts_with('#')).count()
}

async fn metrics_text(app: &TestApp) -> String {
    app.client.get(format!("{}/metrics", app.address)).send().await.unwrap().text().await.unwrap()
}

/// One request of each kind a client can vary: a named GraphQL operation (in the document and
/// in `operationName`), an anonymous one, a made-up method, a made-up path.
async fn varied_requests(app: &TestApp, i: usize) {
    let name = format!("Op{}x{i}", uuid::Uuid::new_v4().simple());
    app.gql(None, &format!("query {name} {{ analyzeScopes(scopes: []) {{ valid }} }}"), json!({})).await;
    let body = json!({ "query": format!("query {name} {{ analyzeScopes(scopes: []) {{ valid }} }} query Other {{ __typename }}"), "operationName": name });
    app.client.post(format!("{}/graphql", app.address)).json(&body).send().await.unwrap();
    app.gql(None, &format!("query {name} {{ me {{ user {{ id }} }} analyzeScopes(scopes: []) {{ valid }} }}"), json!({})).await;
    app.gql(None, "{ analyzeScopes(scopes: []) { valid } }", json!({})).await;
    let method = reqwest::Method::from_bytes(format!("FOO{i}").as_bytes()).unwrap();
    app.client.request(method, format!("{}/graphql", app.address)).send().await.unwrap();
    app.client.get(format!("{}/no/such/path/{name}", app.address)).send().await.unwrap();
}

#[tokio::test]
async fn made_up_operation_names_methods_and_paths_do_not_grow_the_metrics() {
    let app = spawn_app().await;
    varied_requests(&app, 0).await;
    // The first scrape is counted by the second.
    metrics_text(&app).await;
    let warm = metrics_text(&app).await;
    for i in 1..=150 {
        varied_requests(&app, i).await;
    }
    let text = metrics_text(&app).await;
    assert_eq!(metric_lines(&text), metric_lines(&warm), "150 rounds of made-up names added series:\n{text}");
    assert!(metric_lines(&text) < 200, "{text}");
    assert!(!text.contains("operation=\"Op"), "no client-chosen name is a label: {text}");
    assert!(!text.contains("FOO") && !text.contains("/no/such"), "{text}");
    assert!(text.contains("accord_graphql_operations_total{operation=\"analyzeScopes\",outcome=\"ok\"} 302"), "{text}");
    assert!(text.contains("accord_graphql_operations_total{operation=\"other\",outcome=\"error\"} 151"), "{text}");
    assert!(text.contains("accord_graphql_operations_total{operation=\"anonymous\",outcome=\"ok\"} 151"), "{text}");
    assert!(text.contains("accord_http_requests_total{method=\"other\",route=\"/graphql\""), "{text}");
    assert!(text.contains("accord_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 151"), "{text}");
}

#[tokio::test]
async fn a_known_operation_name_is_kept_as_the_label() {
    let app = spawn_app().await;
    app.gql(None, "query analyzeScopes { analyzeScopes(scopes: []) { valid } }", json!({})).await;
    app.gql(None, "query IntrospectionQuery { __schema { queryType { name } } }", json!({})).await;
    let text = metrics_text(&app).await;
    assert!(text.contains("accord_graphql_operations_total{operation=\"analyzeScopes\",outcome=\"ok\"} 1"), "{text}");
    assert!(text.contains("accord_graphql_operations_total{operation=\"IntrospectionQuery\",outcome=\"ok\"} 1"), "{text}");
}

#[tokio::test]
async fn with_a_metrics_listener_metrics_leave_the_api_listener() {
    let app = spawn_app_with(|s| s.metrics_bind = Some("127.0.0.1:0".parse().unwrap())).await;
    let metrics_address = app.metrics_address.clone().expect("a metrics listener");
    assert_ne!(metrics_address, app.address);
    app.gql(None, "{ analyzeScopes(scopes: []) { valid } }", json!({})).await;

    let main = app.client.get(format!("{}/metrics", app.address)).send().await.unwrap();
    assert_eq!(main.status().as_u16(), 404);
    let res = app.client.get(format!("{metrics_address}/metrics")).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let text = res.text().await.unwrap();
    assert!(text.contains("accord_graphql_operations_total{operation=\"anonymous\",outcome=\"ok\"} 1"), "{text}");
    assert!(text.contains("accord_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1"), "{text}");
    assert!(text.contains("accord_db_pool_connections{state=\"open\"}"), "{text}");

    // The metrics listener serves nothing else; the API listener still serves the rest.
    for path in ["/graphql", "/healthz", "/readyz"] {
        let res = app.client.get(format!("{metrics_address}{path}")).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 404, "{path}");
    }
    let res = app.client.get(format!("{}/healthz", app.address)).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
}

#[tokio::test]
async fn without_a_metrics_listener_metrics_stay_on_the_api_listener() {
    let app = spawn_app().await;
    assert!(app.metrics_address.is_none());
    let res = app.client.get(format!("{}/metrics", app.address)).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
}

#[tokio::test]
async fn a_fragment_bomb_is_refused_at_once() {
    let app = spawn_app().await;
    // 25 fragments, each spreading the next twice: a kilobyte that inlines to 33 million fields.
    let mut q = String::from("query { ...F0 }");
    for i in 0..25 {
        q.push_str(&format!(" fragment F{i} on QueryRoot {{ ...F{} ...F{} }}", i + 1, i + 1));
    }
    q.push_str(" fragment F25 on QueryRoot { __typename }");
    let started = std::time::Instant::now();
    let r = app.gql(None, &q, json!({})).await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert!(error_message(&r).starts_with("Query is too complex"), "{r}");
    // Expanding it takes a worker most of a minute; refusing it takes no time at all.
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "{:?}", started.elapsed());
}
