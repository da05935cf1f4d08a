//! Reading a `POST /graphql` body (SPEC §2.8): `application/json` only (no multipart uploads, no
//! form posts), at most [`MAX_BODY_BYTES`] whether or not a `Content-Length` is sent, and one
//! operation per request (JSON batches are refused). The body never reaches the GraphQL
//! machinery before these checks pass.

use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE};
use actix_web::{HttpRequest, web};

/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// Why a body was refused, with the HTTP status to answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// 400, 413 or 415.
    pub status: StatusCode,
    /// A client-safe message naming the problem.
    pub message: String,
}

impl Refusal {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self { status, message: message.into() }
    }

    fn too_large() -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, format!("the request body is larger than {MAX_BODY_BYTES} bytes (1 MiB)"))
    }
}

/// Checks the headers, reads the body up to the limit and parses it into one GraphQL request.
///
/// # Errors
/// A [`Refusal`] naming the problem: 415 for another content type or a compressed body, 413 for
/// a body over the limit, 400 for a batch or a body that is not a GraphQL request.
pub async fn read(req: &HttpRequest, payload: web::Payload) -> Result<async_graphql::Request, Refusal> {
    check_headers(req)?;
    let body = match payload.to_bytes_limited(MAX_BODY_BYTES).await {
        Ok(Ok(body)) => body,
        Ok(Err(e)) => {
            tracing::debug!(error = %e, "cannot read the request body");
            return Err(Refusal::new(StatusCode::BAD_REQUEST, "the request body could not be read"));
        }
        Err(_) => return Err(Refusal::too_large()),
    };
    parse(&body)
}

/// The header checks, done before a byte of the body is read.
pub(crate) fn check_headers(req: &HttpRequest) -> Result<(), Refusal> {
    let headers = req.headers();
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("application/json") {
        let message = if essence.to_ascii_lowercase().starts_with("multipart/") {
            "multipart requests (file uploads) are not accepted: send the operation as application/json".to_owned()
        } else if essence.is_empty() {
            "the Content-Type must be application/json".to_owned()
        } else {
            format!("the Content-Type must be application/json, not {}", essence.chars().take(80).collect::<String>())
        };
        return Err(Refusal::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, message));
    }
    if headers.get(CONTENT_ENCODING).and_then(|v| v.to_str().ok()).is_some_and(|e| !e.trim().eq_ignore_ascii_case("identity")) {
        return Err(Refusal::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "compressed request bodies are not accepted"));
    }
    let declared = headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(Refusal::too_large());
    }
    Ok(())
}

/// Parses a JSON body into one GraphQL request.
///
/// # Errors
/// 400 for a batch (a JSON array) or anything that is not a JSON object with a `query`.
pub fn parse(body: &[u8]) -> Result<async_graphql::Request, Refusal> {
    if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "batched requests are not accepted: send one JSON object with one `query` per request",
        ));
    }
    serde_json::from_slice::<async_graphql::Request>(body).map_err(|e| {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            format!("the body must be a JSON object with a `query` string and optional `operationName` and `variables`: {e}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn one_json_operation_parses() {
        let r = parse(br#"{"query":"query Q($a: Int) { x }","operationName":"Q","variables":{"a":1}}"#).unwrap();
        assert_eq!(r.operation_name.as_deref(), Some("Q"));
        assert_eq!(r.query, "query Q($a: Int) { x }");
        let r = parse(br#"{"query":"{ x }","variables":null}"#).unwrap();
        assert_eq!(r.query, "{ x }");
    }

    #[test]
    fn batches_are_refused_naming_the_rule() {
        for body in [&br#"[{"query":"{ x }"},{"query":"{ y }"}]"#[..], b"  \n [ ]"] {
            let e = parse(body).unwrap_err();
            assert_eq!(e.status, StatusCode::BAD_REQUEST);
            assert!(e.message.starts_with("batched requests are not accepted"), "{e:?}");
        }
    }

    #[test]
    fn bodies_that_are_not_a_graphql_request_are_bad_requests() {
        for body in [&b"not json"[..], b"\"{ x }\"", b"{\"query\": 5}", b""] {
            let e = parse(body).unwrap_err();
            assert_eq!(e.status, StatusCode::BAD_REQUEST, "{body:?}");
            assert!(e.message.starts_with("the body must be a JSON object"), "{e:?}");
        }
    }

    #[test]
    fn only_uncompressed_json_of_at_most_one_mebibyte_is_accepted_by_its_headers() {
        let ok = TestRequest::post().insert_header((CONTENT_TYPE, "application/json; charset=utf-8")).to_http_request();
        assert_eq!(check_headers(&ok), Ok(()));
        let multipart = TestRequest::post().insert_header((CONTENT_TYPE, "multipart/form-data; boundary=x")).to_http_request();
        let e = check_headers(&multipart).unwrap_err();
        assert_eq!(e.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert!(e.message.contains("multipart"), "{e:?}");
        let form = TestRequest::post().insert_header((CONTENT_TYPE, "application/x-www-form-urlencoded")).to_http_request();
        assert_eq!(check_headers(&form).unwrap_err().status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let none = TestRequest::post().to_http_request();
        assert_eq!(check_headers(&none).unwrap_err().message, "the Content-Type must be application/json");
        let gzip = TestRequest::post()
            .insert_header((CONTENT_TYPE, "application/json"))
            .insert_header((CONTENT_ENCODING, "gzip"))
            .to_http_request();
        assert_eq!(check_headers(&gzip).unwrap_err().status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let big = TestRequest::post()
            .insert_header((CONTENT_TYPE, "application/json"))
            .insert_header((CONTENT_LENGTH, (MAX_BODY_BYTES + 1).to_string()))
            .to_http_request();
        assert_eq!(check_headers(&big).unwrap_err().status, StatusCode::PAYLOAD_TOO_LARGE);
    }
}
