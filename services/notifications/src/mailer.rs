//! Sending notification mail, over SMTP or into a directory of `.eml` files.
//!
//! Production delivers through an SMTP relay configured by one `SMTP_URL` (`smtp://` with opportunistic STARTTLS or
//! `smtps://` with implicit TLS, credentials in the URL). Without a URL, development setups still get every mail as a
//! complete RFC 5322 file they can open. Send failures are classified as transient or permanent so callers know
//! whether a retry can help, and no error or log line ever carries the SMTP password.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Bounds connecting and every single SMTP read or write, so a dead relay cannot stall a delivery worker.
const SMTP_TIMEOUT: Duration = Duration::from_secs(10);
const POOL_MAX_SIZE: u32 = 8;

/// One mail ready to send.
#[derive(Clone, Debug)]
pub struct OutgoingMail {
    /// Sender mailbox, e.g. `Accord <noreply@example.org>`.
    pub from: String,
    /// Recipient mailbox.
    pub to: String,
    /// Subject line; non-ASCII text is encoded as needed.
    pub subject: String,
    /// The plain-text alternative.
    pub text: String,
    /// The HTML alternative.
    pub html: String,
    /// Message-ID without angle brackets, e.g. `abc@accord`; also names the file in files mode.
    pub message_id: String,
    /// Extra headers such as `X-Accord-Event` or `X-Accord-Event-Id`.
    pub headers: Vec<(String, String)>,
}

/// Why a mail could not be sent.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Retrying later may succeed: connection problems, timeouts, 4xx replies, IO errors.
    #[error("{0}")]
    Transient(String),
    /// Retrying will not help: 5xx replies or a mail that cannot be built, such as a bad address.
    #[error("{0}")]
    Permanent(String),
}

/// `SMTP_URL` is unusable; the message never contains the password.
#[derive(Debug, thiserror::Error)]
#[error("SMTP_URL: {0}")]
pub struct MailConfigError(pub String);

/// Where mail goes.
#[derive(Clone)]
pub enum Mailer {
    /// An SMTP relay, reached through a connection pool.
    Smtp {
        /// The pooled lettre transport.
        transport: AsyncSmtpTransport<Tokio1Executor>,
        /// `smtp://host:port` or `smtps://host:port`, without credentials, for logs.
        endpoint: String,
    },
    /// One `<message id>.eml` file per mail in this directory.
    Files(PathBuf),
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Deliberately not derived: the transport's debug output is not guaranteed to leave out credentials.
        f.debug_tuple("Mailer").field(&self.describe()).finish()
    }
}

impl Mailer {
    /// Builds the mailer from `SMTP_URL` (if set) or else the mail directory.
    ///
    /// `smtp://[user:password@]host[:port]` (port 25) uses STARTTLS when the server offers it and plain text otherwise;
    /// `smtps://...` (port 465) uses implicit TLS. Credentials are percent-decoded and used only when a user is given.
    /// Must be called inside a Tokio runtime, because the SMTP connection pool runs a cleanup task.
    ///
    /// # Errors
    ///
    /// Returns [`MailConfigError`] for an unparseable URL, a scheme other than `smtp`/`smtps`, a missing host,
    /// credentials that are not UTF-8, or when called outside a Tokio runtime.
    pub fn from_settings(smtp_url: Option<&str>, mail_dir: &Path) -> Result<Self, MailConfigError> {
        let Some(smtp_url) = smtp_url else {
            return Ok(Self::Files(mail_dir.to_path_buf()));
        };
        // The url crate's parse errors describe the problem without echoing the input, so the password stays out.
        let url = url::Url::parse(smtp_url).map_err(|e| MailConfigError(format!("not a valid URL ({e})")))?;
        let (implicit_tls, default_port) = match url.scheme() {
            "smtp" => (false, 25),
            "smtps" => (true, 465),
            other => return Err(MailConfigError(format!("unsupported scheme \"{other}\", expected smtp or smtps"))),
        };
        let host = match url.host() {
            Some(url::Host::Domain(domain)) if !domain.is_empty() => domain.to_owned(),
            Some(url::Host::Ipv4(ip)) => ip.to_string(),
            Some(url::Host::Ipv6(ip)) => ip.to_string(),
            _ => return Err(MailConfigError("missing host".to_owned())),
        };
        let port = url.port().unwrap_or(default_port);
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(MailConfigError("the SMTP mailer must be created inside a Tokio runtime".to_owned()));
        }
        let tls_parameters = TlsParameters::new(host.clone()).map_err(|e| MailConfigError(format!("cannot set up TLS for {host}: {e}")))?;
        let tls = if implicit_tls { Tls::Wrapper(tls_parameters) } else { Tls::Opportunistic(tls_parameters) };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .tls(tls)
            .timeout(Some(SMTP_TIMEOUT))
            .pool_config(PoolConfig::new().max_size(POOL_MAX_SIZE));
        if !url.username().is_empty() {
            let user = percent_decode(url.username()).ok_or_else(|| MailConfigError("the user name is not valid UTF-8".to_owned()))?;
            let password = percent_decode(url.password().unwrap_or_default())
                .ok_or_else(|| MailConfigError("the password is not valid UTF-8".to_owned()))?;
            builder = builder.credentials(Credentials::new(user, password));
        }
        // Url::host_str keeps IPv6 brackets, which is exactly what a URL-shaped description needs.
        let endpoint = format!("{}://{}:{port}", url.scheme(), url.host_str().unwrap_or_default());
        Ok(Self::Smtp { transport: builder.build(), endpoint })
    }

    /// Sends one mail.
    ///
    /// # Errors
    ///
    /// [`SendError::Permanent`] when the mail cannot be built (bad address, header or message id) or the server
    /// rejects it with a 5xx reply; [`SendError::Transient`] for everything a retry may fix, including file IO errors.
    pub async fn send(&self, mail: &OutgoingMail) -> Result<(), SendError> {
        let message = build_message(mail)?;
        match self {
            Self::Smtp { transport, endpoint } => transport.send(message).await.map(drop).map_err(|e| classify(&e, endpoint)),
            Self::Files(dir) => write_file(dir.clone(), &mail.message_id, message.formatted()).await,
        }
    }

    /// Where mail goes, for logs: `smtp://host:port` (never with credentials) or `files in <dir>`.
    pub fn describe(&self) -> String {
        match self {
            Self::Smtp { endpoint, .. } => endpoint.clone(),
            Self::Files(dir) => format!("files in {}", dir.display()),
        }
    }
}

fn build_message(mail: &OutgoingMail) -> Result<Message, SendError> {
    let from: Mailbox = mail.from.parse().map_err(|e| SendError::Permanent(format!("invalid sender address {:?}: {e}", mail.from)))?;
    let to: Mailbox = mail.to.parse().map_err(|e| SendError::Permanent(format!("invalid recipient address {:?}: {e}", mail.to)))?;
    // A bracket, space or control character would yield an unparseable Message-ID header and an odd file name.
    let id_is_valid = !mail.message_id.is_empty() && mail.message_id.chars().all(|c| c.is_ascii_graphic() && c != '<' && c != '>');
    if !id_is_valid {
        return Err(SendError::Permanent(format!("invalid message id {:?}", mail.message_id)));
    }
    let mut builder =
        Message::builder().from(from).to(to).subject(mail.subject.as_str()).message_id(Some(format!("<{}>", mail.message_id)));
    for (name, value) in &mail.headers {
        let header_name =
            HeaderName::new_from_ascii(name.clone()).map_err(|_| SendError::Permanent(format!("invalid header name {name:?}")))?;
        // HeaderValue::new encodes and folds the value, so a newline in it cannot inject headers.
        builder = builder.raw_header(HeaderValue::new(header_name, value.clone()));
    }
    builder
        .multipart(MultiPart::alternative_plain_html(mail.text.clone(), mail.html.clone()))
        .map_err(|e| SendError::Permanent(format!("cannot build the message: {e}")))
}

fn classify(error: &lettre::transport::smtp::Error, endpoint: &str) -> SendError {
    // lettre's Display carries the reply code and server text but never the credentials.
    if error.is_permanent() {
        SendError::Permanent(format!("{endpoint} rejected the mail: {error}"))
    } else if error.is_transient() {
        SendError::Transient(format!("{endpoint} deferred the mail: {error}"))
    } else if error.is_timeout() {
        SendError::Transient(format!("{endpoint} timed out: {error}"))
    } else {
        SendError::Transient(format!("sending via {endpoint} failed: {error}"))
    }
}

/// Writes the message as `<dir>/<sanitized id>.eml` via a temporary file and a rename, so readers never see a partial
/// file and a resend of the same id replaces the earlier file.
async fn write_file(dir: PathBuf, message_id: &str, bytes: Vec<u8>) -> Result<(), SendError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name: String = message_id.chars().map(|c| if c.is_ascii_alphanumeric() || "@.-_+".contains(c) { c } else { '_' }).collect();
    // A leading dot would hide the file and could form "." or "..".
    let name = if name.starts_with('.') { format!("_{name}") } else { name };
    let target = dir.join(format!("{name}.eml"));
    let temp = dir.join(format!(".{name}.{}.{}.tmp", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed)));
    let target_for_error = target.clone();
    let written = tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        std::fs::create_dir_all(&dir)?;
        let result = std::fs::write(&temp, &bytes).and_then(|()| std::fs::rename(&temp, &target));
        if result.is_err() {
            // Best effort: a leftover temp file is harmless but untidy.
            let _ = std::fs::remove_file(&temp);
        }
        result
    })
    .await;
    match written {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(SendError::Transient(format!("cannot write {}: {e}", target_for_error.display()))),
        Err(e) => Err(SendError::Transient(format!("mail file writer failed: {e}"))),
    }
}

/// Decodes `%XX` escapes in URL user info; `None` when the result is not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = bytes
            .get(i + 1..i + 3)
            .filter(|_| bytes[i] == b'%')
            .and_then(|hex| std::str::from_utf8(hex).ok().and_then(|hex| u8::from_str_radix(hex, 16).ok()));
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use accord_testkit::smtp_sink::{SmtpReply, SmtpSink};

    const WAIT: Duration = Duration::from_secs(10);

    fn mail(id: &str) -> OutgoingMail {
        OutgoingMail {
            from: "Accord <noreply@accord.test>".into(),
            to: "Ada <ada@example.org>".into(),
            subject: "Approval needed: Überweisung ✓".into(),
            text: "Please review the request.".into(),
            html: "<p>Please <b>review</b> the request.</p>".into(),
            message_id: id.into(),
            headers: vec![("X-Accord-Event".into(), "approval.requested".into()), ("X-Accord-Event-Id".into(), "evt-1".into())],
        }
    }

    fn scratch_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("accord-mailer-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    async fn sink_mailer(sink: &SmtpSink) -> Mailer {
        Mailer::from_settings(Some(&sink.url()), Path::new("unused")).unwrap()
    }

    #[tokio::test]
    async fn a_mail_arrives_with_its_message_id_headers_subject_and_both_parts() {
        let sink = SmtpSink::start().await.unwrap();
        sink_mailer(&sink).await.send(&mail("abc@accord")).await.unwrap();
        let mails = sink.wait_for(1, WAIT).await;
        assert_eq!(mails.len(), 1);
        let got = &mails[0];
        assert_eq!((got.mail_from.as_str(), got.rcpt_to.as_slice()), ("noreply@accord.test", ["ada@example.org".to_owned()].as_slice()));
        assert_eq!(got.header("message-id").as_deref(), Some("<abc@accord>"));
        assert_eq!(got.header("X-Accord-Event").as_deref(), Some("approval.requested"));
        assert_eq!(got.header("x-accord-event-id").as_deref(), Some("evt-1"));
        assert_eq!(got.subject().as_deref(), Some("Approval needed: Überweisung ✓"));
        assert!(got.header("content-type").is_some_and(|v| v.starts_with("multipart/alternative")));
        assert!(got.data.contains("text/plain") && got.data.contains("Please review the request."), "{}", got.data);
        assert!(got.data.contains("text/html") && got.data.contains("<p>Please <b>review</b> the request.</p>"), "{}", got.data);
        assert_eq!(got.auth, None);
    }

    #[tokio::test]
    async fn credentials_in_the_url_arrive_as_auth_percent_decoded() {
        let sink = SmtpSink::start().await.unwrap();
        let url = format!("smtp://mailer%40accord:p%40ss%3Aw0rd@127.0.0.1:{}", sink.port());
        let mailer = Mailer::from_settings(Some(&url), Path::new("unused")).unwrap();
        mailer.send(&mail("auth@accord")).await.unwrap();
        let mails = sink.wait_for(1, WAIT).await;
        assert_eq!(mails[0].auth, Some(("mailer@accord".to_owned(), "p@ss:w0rd".to_owned())));
    }

    #[tokio::test]
    async fn a_451_then_accept_delivers_the_mail_once() {
        let sink = SmtpSink::start().await.unwrap();
        sink.script([SmtpReply::Temporary]);
        let mailer = sink_mailer(&sink).await;
        let error = mailer.send(&mail("retry@accord")).await.unwrap_err();
        assert!(matches!(error, SendError::Transient(_)), "{error:?}");
        assert!(error.to_string().contains("451"), "{error}");
        assert!(sink.messages().is_empty());
        mailer.send(&mail("retry@accord")).await.unwrap();
        assert_eq!(sink.wait_for(1, WAIT).await.len(), 1);
        assert_eq!(sink.transactions(), 2);
    }

    #[tokio::test]
    async fn a_550_is_permanent_and_stores_nothing() {
        let sink = SmtpSink::start().await.unwrap();
        sink.script([SmtpReply::Permanent]);
        let error = sink_mailer(&sink).await.send(&mail("nope@accord")).await.unwrap_err();
        assert!(matches!(error, SendError::Permanent(_)), "{error:?}");
        assert!(error.to_string().contains("550"), "{error}");
        assert!(sink.messages().is_empty());
        assert_eq!(sink.transactions(), 1);
    }

    #[tokio::test]
    async fn a_closed_port_is_transient() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mailer = Mailer::from_settings(Some(&format!("smtp://127.0.0.1:{port}")), Path::new("unused")).unwrap();
        let error = mailer.send(&mail("closed@accord")).await.unwrap_err();
        assert!(matches!(error, SendError::Transient(_)), "{error:?}");
    }

    #[tokio::test]
    async fn a_bad_recipient_address_is_permanent() {
        let sink = SmtpSink::start().await.unwrap();
        let bad = OutgoingMail { to: "not an address".into(), ..mail("bad@accord") };
        let error = sink_mailer(&sink).await.send(&bad).await.unwrap_err();
        assert!(matches!(&error, SendError::Permanent(m) if m.starts_with("invalid recipient address")), "{error:?}");
        assert_eq!(sink.transactions(), 0);
    }

    #[tokio::test]
    async fn fifty_concurrent_sends_all_arrive_exactly_once() {
        let sink = SmtpSink::start().await.unwrap();
        let mailer = sink_mailer(&sink).await;
        let sends: Vec<_> = (0..50)
            .map(|n| {
                let mailer = mailer.clone();
                tokio::spawn(async move { mailer.send(&mail(&format!("m{n}@accord"))).await })
            })
            .collect();
        for send in sends {
            send.await.unwrap().unwrap();
        }
        let mails = sink.wait_for(50, WAIT).await;
        let ids: HashSet<_> = mails.iter().filter_map(|m| m.header("message-id")).collect();
        assert_eq!((mails.len(), ids.len(), sink.transactions()), (50, 50, 50));
    }

    #[tokio::test]
    async fn files_mode_writes_one_eml_per_message_id_and_a_resend_replaces_it() {
        let dir = scratch_dir("files");
        let mailer = Mailer::from_settings(None, &dir.join("outbox")).unwrap();
        assert_eq!(mailer.describe(), format!("files in {}", dir.join("outbox").display()));
        mailer.send(&mail("one@accord")).await.unwrap();
        mailer.send(&mail("two/../x@accord")).await.unwrap();
        mailer.send(&OutgoingMail { text: "second version".into(), ..mail("one@accord") }).await.unwrap();
        let mut names: Vec<_> =
            std::fs::read_dir(dir.join("outbox")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        assert_eq!(names, ["one@accord.eml", "two_.._x@accord.eml"]);
        let written = std::fs::read_to_string(dir.join("outbox/one@accord.eml")).unwrap();
        assert!(written.contains("Message-ID: <one@accord>") && written.contains("second version"), "{written}");
        assert!(written.contains("X-Accord-Event: approval.requested"), "{written}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_bad_smtp_url_never_reveals_the_password() {
        let dir = Path::new("unused");
        for url in
            ["http://alice:s3cr3t-pw@mail.example.org:25", "smtp://alice:s3cr3t-pw@mail.example.org:notaport", "smtp://alice:s3cr3t-pw@"]
        {
            let error = Mailer::from_settings(Some(url), dir).unwrap_err().to_string();
            assert!(error.starts_with("SMTP_URL: ") && !error.contains("s3cr3t-pw"), "{url} gave {error}");
        }
        let error = Mailer::from_settings(Some("http://alice:s3cr3t-pw@mail.example.org"), dir).unwrap_err();
        assert!(error.to_string().contains("\"http\""), "{error}");
    }

    #[tokio::test]
    async fn describe_hides_the_password() {
        let dir = Path::new("unused");
        let mailer = Mailer::from_settings(Some("smtp://alice:s3cr3t-pw@mail.example.org:2525"), dir).unwrap();
        assert_eq!(mailer.describe(), "smtp://mail.example.org:2525");
        assert!(!format!("{mailer:?}").contains("s3cr3t-pw"));
        let mailer = Mailer::from_settings(Some("smtps://alice:s3cr3t-pw@[::1]"), dir).unwrap();
        assert_eq!(mailer.describe(), "smtps://[::1]:465");
    }
}
