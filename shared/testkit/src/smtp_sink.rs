//! A real SMTP server that catches mail in tests.
//!
//! Mail delivery has to be tested against an actual SMTP conversation: lettre pools connections, authenticates,
//! and reacts to 4xx and 5xx replies at specific protocol steps. This sink is hand-written on tokio and speaks just
//! enough SMTP for lettre (no STARTTLS, no PIPELINING), records what arrives and can be scripted to refuse a
//! transaction temporarily (451 after the data) or permanently (550 at the recipient).

use std::collections::VecDeque;
use std::fmt;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Command lines are short; anything longer is garbage.
const MAX_COMMAND_LINE: u64 = 16 * 1024;
/// RFC 5321 allows 1000 bytes per data line; be lenient, but never unbounded.
const MAX_DATA_LINE: u64 = 1024 * 1024;
const MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;

const EHLO_REPLY: &str = "250-127.0.0.1 greets you\r\n250-AUTH PLAIN LOGIN\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n";

/// Handle to a running SMTP sink; clones share the same server, which stops when the last clone is dropped.
#[derive(Clone)]
pub struct SmtpSink {
    shared: Arc<Shared>,
    port: u16,
    _server: Arc<AbortOnDrop>,
}

/// One accepted mail.
#[derive(Clone, Debug)]
pub struct ReceivedMail {
    /// The reverse path from `MAIL FROM`, without angle brackets.
    pub mail_from: String,
    /// The forward paths from `RCPT TO`, without angle brackets.
    pub rcpt_to: Vec<String>,
    /// The raw message after dot-unstuffing, CRLF line endings kept.
    pub data: String,
    /// User and password from `AUTH PLAIN` or `AUTH LOGIN` on the connection that carried the mail.
    pub auth: Option<(String, String)>,
}

impl ReceivedMail {
    /// The first header with this name (case-insensitive), unfolded and trimmed, as it appears in the message.
    pub fn header(&self, name: &str) -> Option<String> {
        let mut found: Option<String> = None;
        for line in self.data.lines() {
            if line.is_empty() {
                break;
            }
            if line.starts_with([' ', '\t']) {
                // Unfolding removes only the line break; the leading whitespace stays.
                if let Some(value) = found.as_mut() {
                    value.push_str(line);
                }
                continue;
            }
            if found.is_some() {
                break;
            }
            found = line.split_once(':').filter(|(n, _)| n.trim().eq_ignore_ascii_case(name)).map(|(_, v)| v.to_owned());
        }
        found.map(|value| value.trim().to_owned())
    }

    /// The subject with RFC 2047 UTF-8 encoded-words (B or Q) decoded; other text is returned as is.
    pub fn subject(&self) -> Option<String> {
        self.header("subject").map(|raw| decode_encoded_words(&raw))
    }
}

/// How the sink answers one mail transaction.
#[derive(Clone, Debug)]
pub enum SmtpReply {
    /// 250 after the data; the mail is stored.
    Accept,
    /// 451 4.3.0 after the data dot; the mail is not stored.
    Temporary,
    /// 550 5.1.1 at `RCPT TO`; the mail is not stored.
    Permanent,
}

struct Shared {
    state: Mutex<State>,
    /// Number of accepted mails, so waiters wake up instead of polling.
    accepted: watch::Sender<usize>,
}

struct State {
    script: VecDeque<SmtpReply>,
    default: SmtpReply,
    messages: Vec<ReceivedMail>,
    transactions: usize,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking test thread must not take every other assertion down with it.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl fmt::Debug for SmtpSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSink").field("port", &self.port).finish_non_exhaustive()
    }
}

impl SmtpSink {
    /// Binds `127.0.0.1` on a free port and starts serving; every mail is accepted until scripted otherwise.
    ///
    /// # Errors
    ///
    /// Fails when the listening socket cannot be bound.
    pub async fn start() -> io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let port = listener.local_addr()?.port();
        let state = State { script: VecDeque::new(), default: SmtpReply::Accept, messages: Vec::new(), transactions: 0 };
        let shared = Arc::new(Shared { state: Mutex::new(state), accepted: watch::Sender::new(0) });
        let server = tokio::spawn(accept_loop(listener, Arc::clone(&shared)));
        Ok(Self { shared, port, _server: Arc::new(AbortOnDrop(server)) })
    }

    /// The port the sink listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `smtp://127.0.0.1:PORT`, ready to be used as an SMTP URL.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Queues replies, one per mail transaction (`MAIL FROM`) in order; afterwards the default reply applies again.
    pub fn script(&self, replies: impl IntoIterator<Item = SmtpReply>) {
        self.shared.lock().script.extend(replies);
    }

    /// Changes the reply used when the script is empty.
    pub fn set_default(&self, reply: SmtpReply) {
        self.shared.lock().default = reply;
    }

    /// Accepted mails, in the order they were accepted.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.shared.lock().messages.clone()
    }

    /// How many mail transactions were started (`MAIL FROM` commands), accepted or not.
    pub fn transactions(&self) -> usize {
        self.shared.lock().transactions
    }

    /// Waits until at least `n` mails were accepted or `timeout` has passed, then returns all accepted mails.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let mut accepted = self.shared.accepted.subscribe();
        if tokio::time::timeout(timeout, accepted.wait_for(|count| *count >= n)).await.is_err() {
            tracing::debug!(wanted = n, "smtp sink wait timed out");
        }
        self.messages()
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                let shared = Arc::clone(&shared);
                tokio::spawn(async move {
                    if let Err(error) = serve_connection(stream, &shared).await {
                        tracing::debug!(%error, "smtp sink connection ended with an error");
                    }
                });
            }
            Err(error) => {
                tracing::warn!(%error, "smtp sink accept failed");
                // Errors such as EMFILE persist for a moment; retrying at once would spin a core.
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}

struct Transaction {
    mail_from: String,
    rcpt_to: Vec<String>,
    reply: SmtpReply,
}

async fn serve_connection(stream: TcpStream, shared: &Shared) -> io::Result<()> {
    // BufReader passes writes through, so one value serves both directions.
    let mut conn = BufReader::new(stream);
    conn.write_all(b"220 127.0.0.1 ESMTP accord smtp sink\r\n").await?;
    let mut auth: Option<(String, String)> = None;
    let mut transaction: Option<Transaction> = None;
    while let Some(line) = read_command(&mut conn).await? {
        let (verb, arg) = line.split_once(' ').unwrap_or((line.as_str(), ""));
        let reply: &str = match verb.to_ascii_uppercase().as_str() {
            "EHLO" => {
                transaction = None;
                EHLO_REPLY
            }
            "HELO" => {
                transaction = None;
                "250 127.0.0.1\r\n"
            }
            "RSET" => {
                transaction = None;
                "250 2.0.0 OK\r\n"
            }
            "NOOP" => "250 2.0.0 OK\r\n",
            "QUIT" => {
                conn.write_all(b"221 2.0.0 bye\r\n").await?;
                return conn.shutdown().await;
            }
            "MAIL" => match (&transaction, path_after(arg, "FROM:")) {
                (Some(_), _) => "503 5.5.1 nested MAIL command\r\n",
                (None, None) => "501 5.5.4 syntax: MAIL FROM:<address>\r\n",
                (None, Some(mail_from)) => {
                    let reply = {
                        let mut state = shared.lock();
                        state.transactions += 1;
                        state.script.pop_front().unwrap_or_else(|| state.default.clone())
                    };
                    transaction = Some(Transaction { mail_from, rcpt_to: Vec::new(), reply });
                    "250 2.1.0 OK\r\n"
                }
            },
            "RCPT" => match (transaction.as_mut(), path_after(arg, "TO:")) {
                (None, _) => "503 5.5.1 MAIL first\r\n",
                (Some(_), None) => "501 5.5.4 syntax: RCPT TO:<address>\r\n",
                (Some(tx), Some(_)) if matches!(tx.reply, SmtpReply::Permanent) => "550 5.1.1 mailbox unavailable\r\n",
                (Some(tx), Some(rcpt)) => {
                    tx.rcpt_to.push(rcpt);
                    "250 2.1.5 OK\r\n"
                }
            },
            "DATA" => match transaction.take() {
                Some(tx) if !tx.rcpt_to.is_empty() => {
                    conn.write_all(b"354 end data with <CR><LF>.<CR><LF>\r\n").await?;
                    let data = read_data(&mut conn).await?;
                    if matches!(tx.reply, SmtpReply::Temporary) {
                        "451 4.3.0 temporary failure, try again later\r\n"
                    } else {
                        let mail = ReceivedMail { mail_from: tx.mail_from, rcpt_to: tx.rcpt_to, data, auth: auth.clone() };
                        let mut state = shared.lock();
                        state.messages.push(mail);
                        shared.accepted.send_replace(state.messages.len());
                        "250 2.0.0 OK queued\r\n"
                    }
                }
                other => {
                    transaction = other;
                    "503 5.5.1 need MAIL and RCPT first\r\n"
                }
            },
            "AUTH" => match authenticate(&mut conn, arg).await? {
                Some(credentials) => {
                    auth = Some(credentials);
                    "235 2.7.0 authentication successful\r\n"
                }
                None => "501 5.5.2 cannot decode the credentials\r\n",
            },
            _ => "502 5.5.2 command not recognized\r\n",
        };
        conn.write_all(reply.as_bytes()).await?;
    }
    Ok(())
}

/// Takes the address out of `FROM:<a@b> PARAMS` or `TO:<a@b>`, ignoring parameters such as `BODY=8BITMIME`.
fn path_after(arg: &str, keyword: &str) -> Option<String> {
    let head = arg.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let rest = arg.get(keyword.len()..)?.trim_start();
    let path = match rest.strip_prefix('<') {
        Some(bracketed) => bracketed.split_once('>')?.0,
        None => rest.split_whitespace().next()?,
    };
    Some(path.to_owned())
}

/// Runs `AUTH PLAIN` or `AUTH LOGIN`, with or without an initial response; any credentials are welcome.
async fn authenticate<S: AsyncBufRead + AsyncWrite + Unpin>(conn: &mut S, arg: &str) -> io::Result<Option<(String, String)>> {
    let mut words = arg.split_whitespace();
    let mechanism = words.next().unwrap_or_default().to_ascii_uppercase();
    let initial = words.next().map(str::to_owned);
    match mechanism.as_str() {
        "PLAIN" => {
            let response = match initial {
                Some(response) => response,
                None => challenge(conn, "334 \r\n").await?,
            };
            // authzid NUL authcid NUL password
            let decoded = decode_text(&response);
            Ok(decoded.and_then(|text| {
                let mut parts = text.splitn(3, '\0').skip(1);
                Some((parts.next()?.to_owned(), parts.next()?.to_owned()))
            }))
        }
        "LOGIN" => {
            let user = match initial {
                Some(user) => user,
                None => challenge(conn, "334 VXNlcm5hbWU6\r\n").await?,
            };
            let password = challenge(conn, "334 UGFzc3dvcmQ6\r\n").await?;
            Ok(decode_text(&user).zip(decode_text(&password)))
        }
        _ => Ok(None),
    }
}

async fn challenge<S: AsyncBufRead + AsyncWrite + Unpin>(conn: &mut S, prompt: &str) -> io::Result<String> {
    conn.write_all(prompt.as_bytes()).await?;
    read_command(conn).await?.ok_or_else(|| io::ErrorKind::UnexpectedEof.into())
}

fn decode_text(base64: &str) -> Option<String> {
    BASE64.decode(base64.trim()).ok().and_then(|bytes| String::from_utf8(bytes).ok())
}

/// Reads one command line without its line ending; `None` when the client closed the connection.
async fn read_command<R: AsyncBufRead + Unpin>(reader: &mut R) -> io::Result<Option<String>> {
    let Some(mut line) = read_raw_line(reader, MAX_COMMAND_LINE).await? else {
        return Ok(None);
    };
    while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        line.pop();
    }
    Ok(Some(String::from_utf8_lossy(&line).into_owned()))
}

/// Reads the message after `354` up to the lone dot line, undoing dot-stuffing.
async fn read_data<R: AsyncBufRead + Unpin>(reader: &mut R) -> io::Result<String> {
    let mut data = Vec::new();
    loop {
        let line = read_raw_line(reader, MAX_DATA_LINE).await?.ok_or_else(|| io::Error::from(io::ErrorKind::UnexpectedEof))?;
        if line == b".\r\n" || line == b".\n" {
            return Ok(String::from_utf8_lossy(&data).into_owned());
        }
        let unstuffed = line.strip_prefix(b".").unwrap_or(&line);
        if data.len() + unstuffed.len() > MAX_MESSAGE_BYTES {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "message too large"));
        }
        data.extend_from_slice(unstuffed);
    }
}

/// Reads one line including its ending; `None` at a clean end of stream, an error for over-long or cut-off lines.
async fn read_raw_line<R: AsyncBufRead + Unpin>(reader: &mut R, limit: u64) -> io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    (&mut *reader).take(limit).read_until(b'\n', &mut line).await?;
    match line.last() {
        None => Ok(None),
        Some(b'\n') => Ok(Some(line)),
        Some(_) if u64::try_from(line.len()).is_ok_and(|len| len >= limit) => {
            Err(io::Error::new(io::ErrorKind::InvalidData, "line too long"))
        }
        Some(_) => Err(io::ErrorKind::UnexpectedEof.into()),
    }
}

/// Decodes RFC 2047 `=?utf-8?B?...?=` and `=?utf-8?Q?...?=` words; whitespace between adjacent words is dropped.
fn decode_encoded_words(raw: &str) -> String {
    let mut out = String::new();
    // Bytes of consecutive words are joined before UTF-8 decoding, since encoders may split a character across words.
    let mut pending: Vec<u8> = Vec::new();
    let mut rest = raw;
    loop {
        let next =
            rest.match_indices("=?").find_map(|(start, _)| parse_encoded_word(&rest[start..]).map(|(len, bytes)| (start, len, bytes)));
        let Some((start, len, bytes)) = next else { break };
        let between = &rest[..start];
        if pending.is_empty() || !between.trim().is_empty() {
            out.push_str(&String::from_utf8_lossy(&pending));
            pending.clear();
            out.push_str(between);
        }
        pending.extend(bytes);
        rest = &rest[start + len..];
    }
    out.push_str(&String::from_utf8_lossy(&pending));
    out.push_str(rest);
    out
}

/// Parses a well-formed UTF-8 encoded-word at the start of `word`: its length and its decoded bytes.
fn parse_encoded_word(word: &str) -> Option<(usize, Vec<u8>)> {
    let inner = word.strip_prefix("=?")?;
    let (charset, inner) = inner.split_once('?')?;
    let (encoding, inner) = inner.split_once('?')?;
    let (payload, after) = inner.split_once("?=")?;
    // RFC 2231 allows a language suffix such as `utf-8*en`.
    let charset = charset.split('*').next().unwrap_or_default();
    if !(charset.eq_ignore_ascii_case("utf-8") || charset.eq_ignore_ascii_case("us-ascii")) || payload.contains(char::is_whitespace) {
        return None;
    }
    let bytes = match encoding {
        "B" | "b" => BASE64.decode(payload).ok()?,
        "Q" | "q" => decode_q(payload)?,
        _ => return None,
    };
    Some((word.len() - after.len(), bytes))
}

fn decode_q(payload: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(payload.len());
    let mut bytes = payload.bytes();
    while let Some(byte) = bytes.next() {
        match byte {
            b'_' => out.push(b' '),
            b'=' => {
                let hex = [bytes.next()?, bytes.next()?];
                out.push(u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?);
            }
            other => out.push(other),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends `command` (if any) and reads one complete reply, asserting its code.
    async fn say(conn: &mut BufReader<TcpStream>, command: &str, code: &str) -> String {
        conn.write_all(command.as_bytes()).await.unwrap();
        let mut reply = String::new();
        loop {
            let before = reply.len();
            conn.read_line(&mut reply).await.unwrap();
            if reply.as_bytes().get(before + 3) != Some(&b'-') {
                break;
            }
        }
        assert!(reply.starts_with(code), "{command:?} got {reply:?}");
        reply
    }

    #[tokio::test]
    async fn a_hand_typed_session_with_auth_login_and_dot_stuffing_is_recorded() {
        let sink = SmtpSink::start().await.unwrap();
        let mut conn = BufReader::new(TcpStream::connect(("127.0.0.1", sink.port())).await.unwrap());
        say(&mut conn, "", "220 ").await;
        let ehlo = say(&mut conn, "EHLO test\r\n", "250-").await;
        assert!(ehlo.contains("AUTH PLAIN LOGIN") && ehlo.contains("8BITMIME") && ehlo.contains("SMTPUTF8"));
        assert!(!ehlo.contains("STARTTLS") && !ehlo.contains("PIPELINING"));
        say(&mut conn, "AUTH LOGIN\r\n", "334 VXNlcm5hbWU6").await;
        say(&mut conn, &format!("{}\r\n", BASE64.encode("bob")), "334 UGFzc3dvcmQ6").await;
        say(&mut conn, &format!("{}\r\n", BASE64.encode("hunter2")), "235 ").await;
        say(&mut conn, "DATA\r\n", "503 ").await;
        say(&mut conn, "MAIL FROM:<a@example.org> BODY=8BITMIME\r\n", "250 ").await;
        say(&mut conn, "RSET\r\n", "250 ").await;
        say(&mut conn, "mail from:<a@example.org>\r\n", "250 ").await;
        say(&mut conn, "RCPT TO:<b@example.org>\r\n", "250 ").await;
        say(&mut conn, "RCPT TO:<c@example.org>\r\n", "250 ").await;
        say(&mut conn, "DATA\r\n", "354 ").await;
        say(&mut conn, "Subject: =?utf-8?q?caf=C3=A9_?= =?utf-8?b?4pyT?= ok\r\n\r\n..hidden dot\r\n.\r\n", "250 ").await;
        say(&mut conn, "NOOP\r\n", "250 ").await;
        say(&mut conn, "VRFY b\r\n", "502 ").await;
        say(&mut conn, "QUIT\r\n", "221 ").await;
        let mails = sink.wait_for(1, Duration::from_secs(5)).await;
        assert_eq!(mails.len(), 1);
        assert_eq!(sink.transactions(), 2);
        assert_eq!(mails[0].mail_from, "a@example.org");
        assert_eq!(mails[0].rcpt_to, ["b@example.org", "c@example.org"]);
        assert_eq!(mails[0].auth, Some(("bob".to_owned(), "hunter2".to_owned())));
        assert!(mails[0].data.ends_with("\r\n\r\n.hidden dot\r\n"), "{:?}", mails[0].data);
        assert_eq!(mails[0].subject().as_deref(), Some("café ✓ ok"));
    }

    #[tokio::test]
    async fn auth_plain_with_a_challenge_is_recorded_and_a_permanent_script_rejects_the_recipient() {
        let sink = SmtpSink::start().await.unwrap();
        sink.script([SmtpReply::Permanent]);
        let mut conn = BufReader::new(TcpStream::connect(("127.0.0.1", sink.port())).await.unwrap());
        say(&mut conn, "", "220 ").await;
        say(&mut conn, "HELO test\r\n", "250 ").await;
        say(&mut conn, "AUTH PLAIN\r\n", "334 ").await;
        say(&mut conn, &format!("{}\r\n", BASE64.encode("\0alice\0pw")), "235 ").await;
        say(&mut conn, "MAIL FROM:<>\r\n", "250 ").await;
        say(&mut conn, "RCPT TO:<b@example.org>\r\n", "550 5.1.1").await;
        say(&mut conn, "RSET\r\n", "250 ").await;
        say(&mut conn, "MAIL FROM:<>\r\n", "250 ").await;
        say(&mut conn, "RCPT TO:<b@example.org>\r\n", "250 ").await;
        say(&mut conn, "DATA\r\n", "354 ").await;
        say(&mut conn, "X-Folded: one\r\n two\r\nX-Folded: second\r\n\r\nbody\r\n.\r\n", "250 ").await;
        let mails = sink.messages();
        assert_eq!((mails.len(), sink.transactions()), (1, 2));
        assert_eq!(mails[0].auth, Some(("alice".to_owned(), "pw".to_owned())));
        assert_eq!(mails[0].header("x-folded").as_deref(), Some("one two"));
        assert_eq!(mails[0].subject(), None);
    }
}
