//! A real HTTP/1.1 server that plays the webhook receiver in tests.
//!
//! Delivery code has to be tested against actual sockets: connection reuse, timeouts, redirects and retry headers only
//! behave realistically over TCP. This server is hand-written on tokio (no HTTP framework) so that tests control every
//! answer: replies are scripted in order, can carry headers and can be delayed to provoke client timeouts. Every request
//! is recorded as soon as its body has been read, before the reply goes out, so attempts that timed out are visible too.

use std::collections::VecDeque;
use std::fmt;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Request line plus headers; larger heads are garbage as far as tests are concerned.
const MAX_HEAD_BYTES: u64 = 64 * 1024;
/// Largest request body accepted, whether sized by Content-Length or chunked.
const MAX_BODY_BYTES: u64 = 8 * 1024 * 1024;

/// Handle to a running webhook receiver; clones share the same server, which stops when the last clone is dropped.
#[derive(Clone)]
pub struct WebhookReceiver {
    shared: Arc<Shared>,
    port: u16,
    _server: Arc<AbortOnDrop>,
}

/// One HTTP request as the receiver saw it.
#[derive(Clone, Debug)]
pub struct ReceivedRequest {
    /// Request method, e.g. `POST`.
    pub method: String,
    /// Request target as sent, including any query string.
    pub path: String,
    /// Headers in arrival order, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The body after chunked decoding, if any.
    pub body: Vec<u8>,
}

impl ReceivedRequest {
    /// The first header with this name, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The body as text, with invalid UTF-8 replaced.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// How the receiver answers one request. Every reply has an empty body.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Answer with this status code.
    Status(u16),
    /// Answer with this status code and these extra headers, e.g. 429 with `Retry-After` or 301 with `Location`.
    WithHeaders(u16, Vec<(String, String)>),
    /// Wait, then answer; if the client hangs up meanwhile, the connection is dropped.
    Delay(Duration, Box<Reply>),
}

struct Shared {
    state: Mutex<State>,
    /// Number of recorded requests, so waiters wake up instead of polling.
    received: watch::Sender<usize>,
    connections: AtomicUsize,
}

struct State {
    script: VecDeque<Reply>,
    default: Reply,
    requests: Vec<ReceivedRequest>,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panicking test thread must not take every other assertion down with it.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records the request and picks its reply under one lock, so the n-th recorded request gets the n-th scripted reply.
    fn record(&self, request: ReceivedRequest) -> Reply {
        let mut state = self.lock();
        state.requests.push(request);
        self.received.send_replace(state.requests.len());
        state.script.pop_front().unwrap_or_else(|| state.default.clone())
    }
}

struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl fmt::Debug for WebhookReceiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookReceiver").field("port", &self.port).finish_non_exhaustive()
    }
}

impl WebhookReceiver {
    /// Binds `127.0.0.1` on a free port and starts serving; every request is answered with 200 until scripted otherwise.
    ///
    /// # Errors
    ///
    /// Fails when the listening socket cannot be bound.
    pub async fn start() -> io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let port = listener.local_addr()?.port();
        let shared = Arc::new(Shared {
            state: Mutex::new(State { script: VecDeque::new(), default: Reply::Status(200), requests: Vec::new() }),
            received: watch::Sender::new(0),
            connections: AtomicUsize::new(0),
        });
        let server = tokio::spawn(accept_loop(listener, Arc::clone(&shared)));
        Ok(Self { shared, port, _server: Arc::new(AbortOnDrop(server)) })
    }

    /// The absolute URL for `path` on this receiver, e.g. `url("/hook")`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The port the receiver listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Queues replies for the next requests, in order; once they are used up the default reply applies again.
    pub fn script(&self, replies: impl IntoIterator<Item = Reply>) {
        self.shared.lock().script.extend(replies);
    }

    /// Changes the reply used when the script is empty.
    pub fn set_default(&self, reply: Reply) {
        self.shared.lock().default = reply;
    }

    /// Every request fully received so far, in arrival order.
    pub fn requests(&self) -> Vec<ReceivedRequest> {
        self.shared.lock().requests.clone()
    }

    /// How many TCP connections were accepted so far; lets tests check that clients reuse connections.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::Relaxed)
    }

    /// Waits until at least `n` requests have arrived or `timeout` has passed, then returns all requests received.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<ReceivedRequest> {
        let mut received = self.shared.received.subscribe();
        if tokio::time::timeout(timeout, received.wait_for(|count| *count >= n)).await.is_err() {
            tracing::debug!(wanted = n, "webhook receiver wait timed out");
        }
        self.requests()
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                shared.connections.fetch_add(1, Ordering::Relaxed);
                let shared = Arc::clone(&shared);
                tokio::spawn(async move {
                    if let Err(error) = serve_connection(stream, &shared).await {
                        tracing::debug!(%error, "webhook receiver connection ended with an error");
                    }
                });
            }
            Err(error) => {
                tracing::warn!(%error, "webhook receiver accept failed");
                // Errors such as EMFILE persist for a moment; retrying at once would spin a core.
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}

async fn serve_connection(stream: TcpStream, shared: &Shared) -> io::Result<()> {
    // BufReader passes writes through, so one value serves both directions.
    let mut conn = BufReader::new(stream);
    while let Some(head) = read_head(&mut conn).await? {
        if head.expects_continue {
            conn.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").await?;
        }
        let body = read_body(&mut conn, &head.headers).await?;
        let reply = shared.record(ReceivedRequest { method: head.method, path: head.path, headers: head.headers, body });
        let (delay, status, headers) = flatten(reply);
        if !delay.is_zero() && !sleep_unless_hangup(&mut conn, delay).await {
            return Ok(());
        }
        conn.write_all(render(status, &headers, head.keep_alive).as_bytes()).await?;
        conn.flush().await?;
        if !head.keep_alive {
            return conn.shutdown().await;
        }
    }
    Ok(())
}

struct Head {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    keep_alive: bool,
    expects_continue: bool,
}

/// Reads a request line and headers; `None` means the client closed the connection cleanly between requests.
async fn read_head<R: AsyncBufRead + Unpin>(reader: &mut R) -> io::Result<Option<Head>> {
    let mut budget = MAX_HEAD_BYTES;
    // RFC 9112 asks servers to ignore empty lines before a request line.
    let request_line = loop {
        match read_line(reader, &mut budget).await? {
            None => return Ok(None),
            Some(line) if line.is_empty() => {}
            Some(line) => break line,
        }
    };
    let mut parts = request_line.split(' ');
    let (Some(method), Some(path), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(invalid("malformed request line"));
    };
    let (method, path, version) = (method.to_owned(), path.to_owned(), version.to_owned());
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader, &mut budget).await?.ok_or_else(|| invalid("connection closed inside the request head"))?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').ok_or_else(|| invalid("header line without a colon"))?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let has_token = |name: &str, token: &str| {
        headers.iter().filter(|(n, _)| n == name).any(|(_, v)| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
    };
    let keep_alive = match version.as_str() {
        "HTTP/1.1" => !has_token("connection", "close"),
        "HTTP/1.0" => has_token("connection", "keep-alive"),
        _ => return Err(invalid("unsupported HTTP version")),
    };
    let expects_continue = has_token("expect", "100-continue");
    Ok(Some(Head { method, path, headers, keep_alive, expects_continue }))
}

async fn read_body<R: AsyncBufRead + Unpin>(reader: &mut R, headers: &[(String, String)]) -> io::Result<Vec<u8>> {
    let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    if header("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked")) {
        return read_chunked(reader).await;
    }
    let Some(length) = header("content-length") else {
        return Ok(Vec::new());
    };
    let length: u64 = length.parse().map_err(|_| invalid("bad Content-Length"))?;
    if length > MAX_BODY_BYTES {
        return Err(invalid("request body too large"));
    }
    let mut body = vec![0; usize::try_from(length).map_err(|_| invalid("request body too large"))?];
    reader.read_exact(&mut body).await?;
    Ok(body)
}

async fn read_chunked<R: AsyncBufRead + Unpin>(reader: &mut R) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    // Chunk-size lines and trailers share one budget so endless tiny chunks or trailers cannot hang the server.
    let mut budget = MAX_HEAD_BYTES;
    loop {
        let line = read_line(reader, &mut budget).await?.ok_or_else(|| invalid("connection closed inside a chunked body"))?;
        let size_text = line.split(';').next().unwrap_or_default().trim();
        let size = u64::from_str_radix(size_text, 16).map_err(|_| invalid("bad chunk size"))?;
        if size == 0 {
            while !read_line(reader, &mut budget).await?.ok_or_else(|| invalid("connection closed inside trailers"))?.is_empty() {}
            return Ok(body);
        }
        let start = body.len();
        let end = u64::try_from(start).ok().and_then(|s| s.checked_add(size)).filter(|end| *end <= MAX_BODY_BYTES);
        let end = end.and_then(|end| usize::try_from(end).ok()).ok_or_else(|| invalid("request body too large"))?;
        body.resize(end, 0);
        reader.read_exact(&mut body[start..]).await?;
        if read_line(reader, &mut budget).await?.is_none_or(|rest| !rest.is_empty()) {
            return Err(invalid("chunk not followed by CRLF"));
        }
    }
}

/// Reads one line without its line ending, charging it to `budget`; `None` at a clean end of stream.
async fn read_line<R: AsyncBufRead + Unpin>(reader: &mut R, budget: &mut u64) -> io::Result<Option<String>> {
    let mut line = Vec::new();
    let read = (&mut *reader).take(*budget).read_until(b'\n', &mut line).await?;
    *budget -= u64::try_from(read).unwrap_or(u64::MAX).min(*budget);
    if read == 0 && *budget > 0 {
        return Ok(None);
    }
    if line.pop() != Some(b'\n') {
        return Err(if *budget == 0 { invalid("request head too large") } else { io::ErrorKind::UnexpectedEof.into() });
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(Some(String::from_utf8_lossy(&line).into_owned()))
}

/// Sleeps for `delay`; returns false as soon as the client closes the connection, true once the delay has passed.
async fn sleep_unless_hangup<R: AsyncBufRead + Unpin>(reader: &mut R, delay: Duration) -> bool {
    let sleep = tokio::time::sleep(delay);
    tokio::pin!(sleep);
    tokio::select! {
        () = &mut sleep => true,
        more = reader.fill_buf() => match more {
            Ok(bytes) if !bytes.is_empty() => {
                // A pipelined request is waiting; it stays buffered for the next loop iteration.
                sleep.await;
                true
            }
            _ => false,
        },
    }
}

fn flatten(reply: Reply) -> (Duration, u16, Vec<(String, String)>) {
    match reply {
        Reply::Status(status) => (Duration::ZERO, status, Vec::new()),
        Reply::WithHeaders(status, headers) => (Duration::ZERO, status, headers),
        Reply::Delay(delay, inner) => {
            let (more, status, headers) = flatten(*inner);
            (delay.saturating_add(more), status, headers)
        }
    }
}

fn render(status: u16, headers: &[(String, String)], keep_alive: bool) -> String {
    let mut out = format!("HTTP/1.1 {status} {}\r\ncontent-length: 0\r\n", reason(status));
    for (name, value) in headers.iter().filter(|(name, _)| !name.eq_ignore_ascii_case("content-length")) {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    if !keep_alive {
        out.push_str("connection: close\r\n");
    }
    out.push_str("\r\n");
    out
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        301 => "Moved Permanently",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        404 => "Not Found",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        // Clients ignore the reason phrase; any token keeps the status line well-formed.
        _ => "Status",
    }
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.to_owned())
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    fn client() -> reqwest::Client {
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
    }

    #[tokio::test]
    async fn scripted_replies_are_answered_in_order_then_the_default() {
        let receiver = WebhookReceiver::start().await.unwrap();
        receiver.script([Reply::Status(500), Reply::Status(200)]);
        receiver.set_default(Reply::Status(204));
        let client = client();
        let mut statuses = Vec::new();
        for attempt in 0..3 {
            let response =
                client.post(receiver.url("/hook?x=1")).header("X-Attempt", attempt.to_string()).body(format!("{{\"n\":{attempt}}}"));
            statuses.push(response.send().await.unwrap().status().as_u16());
        }
        assert_eq!(statuses, [500, 200, 204]);
        let requests = receiver.requests();
        assert_eq!(requests.len(), 3);
        assert_eq!(requests[1].method, "POST");
        assert_eq!(requests[1].path, "/hook?x=1");
        assert_eq!(requests[1].header("X-ATTEMPT"), Some("1"));
        assert_eq!(requests[1].body_text(), r#"{"n":1}"#);
    }

    #[tokio::test]
    async fn one_client_reuses_its_connection_for_twenty_requests() {
        let receiver = WebhookReceiver::start().await.unwrap();
        let client = client();
        for n in 0..20 {
            let response = client.post(receiver.url("/keep")).body(vec![b'x'; n * 100]).send().await.unwrap();
            assert_eq!(response.status().as_u16(), 200);
        }
        let requests = receiver.requests();
        assert_eq!(requests.len(), 20);
        assert_eq!(requests[19].body.len(), 1900);
        assert_eq!(receiver.connections(), 1);
    }

    #[tokio::test]
    async fn a_delayed_reply_times_the_client_out_but_the_request_is_recorded() {
        let receiver = WebhookReceiver::start().await.unwrap();
        receiver.script([Reply::Delay(Duration::from_secs(2), Box::new(Reply::Status(200)))]);
        let client = client();
        let started = Instant::now();
        let error = client.post(receiver.url("/slow")).body("late").timeout(Duration::from_millis(200)).send().await.unwrap_err();
        assert!(error.is_timeout(), "{error:?}");
        assert!(started.elapsed() < Duration::from_secs(1));
        let requests = receiver.requests();
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].body_text(), "late");
        let status = client.post(receiver.url("/slow")).send().await.unwrap().status();
        assert_eq!(status.as_u16(), 200);
    }

    #[tokio::test]
    async fn a_301_with_location_is_returned_as_is() {
        let receiver = WebhookReceiver::start().await.unwrap();
        receiver.script([Reply::WithHeaders(301, vec![("Location".into(), "/elsewhere".into())])]);
        let response = client().get(receiver.url("/moved")).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 301);
        assert_eq!(response.headers()["location"], "/elsewhere");
        assert_eq!(response.headers()["content-length"], "0");
        assert_eq!(receiver.requests().len(), 1);
    }

    #[tokio::test]
    async fn wait_for_returns_as_soon_as_enough_requests_arrived() {
        let receiver = WebhookReceiver::start().await.unwrap();
        let url = receiver.url("/later");
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let client = client();
            for _ in 0..3 {
                client.post(&url).send().await.unwrap();
            }
        });
        let started = Instant::now();
        assert_eq!(receiver.wait_for(3, Duration::from_secs(10)).await.len(), 3);
        assert!(started.elapsed() < Duration::from_secs(5));
        let started = Instant::now();
        assert_eq!(receiver.wait_for(4, Duration::from_millis(150)).await.len(), 3);
        assert!(started.elapsed() >= Duration::from_millis(150));
    }

    #[tokio::test]
    async fn concurrent_connections_are_served_in_parallel() {
        let receiver = WebhookReceiver::start().await.unwrap();
        receiver.set_default(Reply::Delay(Duration::from_millis(300), Box::new(Reply::Status(202))));
        let started = Instant::now();
        let sends: Vec<_> = (0..30)
            .map(|_| {
                let url = receiver.url("/many");
                tokio::spawn(async move { client().post(url).send().await.unwrap().status().as_u16() })
            })
            .collect();
        for send in sends {
            assert_eq!(send.await.unwrap(), 202);
        }
        assert!(started.elapsed() < Duration::from_secs(3), "took {:?}", started.elapsed());
        assert_eq!(receiver.requests().len(), 30);
    }

    #[tokio::test]
    async fn chunked_and_back_to_back_requests_on_one_raw_connection_are_parsed() {
        let receiver = WebhookReceiver::start().await.unwrap();
        receiver.script([Reply::WithHeaders(429, vec![("Retry-After".into(), "7".into())])]);
        let mut stream = TcpStream::connect(("127.0.0.1", receiver.port())).await.unwrap();
        let chunked =
            "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n";
        let closing = "PUT /d HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc";
        stream.write_all(format!("{chunked}{closing}").as_bytes()).await.unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.unwrap();
        assert!(
            answer.starts_with("HTTP/1.1 429 Too Many Requests\r\ncontent-length: 0\r\nRetry-After: 7\r\n\r\nHTTP/1.1 200 OK\r\n"),
            "{answer}"
        );
        assert!(answer.ends_with("connection: close\r\n\r\n"), "{answer}");
        let requests = receiver.requests();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].body_text(), "hello world");
        assert_eq!((requests[1].method.as_str(), requests[1].path.as_str(), requests[1].body_text().as_str()), ("PUT", "/d", "abc"));
    }

    #[tokio::test]
    async fn garbage_gets_the_connection_dropped_instead_of_hanging() {
        let receiver = WebhookReceiver::start().await.unwrap();
        let mut stream = TcpStream::connect(("127.0.0.1", receiver.port())).await.unwrap();
        stream.write_all(&vec![b'a'; 70 * 1024]).await.unwrap();
        let mut rest = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut rest)).await.unwrap();
        assert!(read.is_err() || rest.is_empty());
        assert!(receiver.requests().is_empty());
    }
}
