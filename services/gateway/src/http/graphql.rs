//! `POST /graphql` and the GraphiQL page. The handler reads a bounded body, authenticates the
//! bearer, puts the per-request context and dataloaders in, runs the operation, and gives every
//! error a code.

use super::{body, error_response};
use crate::app::AppState;
use accord_approvals::graphql::{ApprovalsLoader, GrantLoader};
use accord_kernel::ErrorKind;
use accord_kernel::gql::RequestMeta;
use accord_registry::graphql::AppLoader;
use accord_tenants::graphql::TenantLoader;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::dataloader::DataLoader;
use async_graphql::http::GraphiQLSource;
use std::time::Instant;
use tracing::Instrument;

/// The GraphiQL page (`GET /graphql`).
pub async fn graphiql() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(GraphiQLSource::build().endpoint("/graphql").title("Accord GraphQL").finish())
}

/// `POST /graphql`.
pub async fn graphql(state: web::Data<AppState>, req: HttpRequest, payload: web::Payload) -> HttpResponse {
    let start = Instant::now();
    let meta = RequestMeta { request_id: accord_kernel::new_id(), client_ip: req.peer_addr().map(|a| a.ip().to_string()) };
    let mut request = match body::read(&req, payload).await {
        Ok(r) => r,
        Err(refusal) => return error_response(refusal.status, ErrorKind::BadUserInput, &refusal.message),
    };
    let operation = request.operation_name.clone().unwrap_or_else(|| operation_name(&request.query));
    let span = tracing::info_span!("graphql", request_id = %meta.request_id, operation = %operation, tenant_id = tracing::field::Empty);

    async move {
        let principal = match bearer(&req) {
            None => None,
            Some(Err(())) => {
                return error_response(
                    StatusCode::UNAUTHORIZED,
                    ErrorKind::Unauthenticated,
                    "the Authorization header must be `Bearer <token>`",
                );
            }
            Some(Ok(token)) => match state.tenants.authenticate(token).await {
                Ok(p) => Some(p),
                Err(e) => {
                    let gql = accord_kernel::gql::classify_to_gql(Some(&meta), &e);
                    let kind = accord_kernel::Classify::kind(&e);
                    let status = if kind == ErrorKind::Internal { StatusCode::INTERNAL_SERVER_ERROR } else { StatusCode::UNAUTHORIZED };
                    return error_response(status, kind, &gql.message);
                }
            },
        };
        if let Some(p) = &principal {
            tracing::Span::current().record("tenant_id", p.tenant_id.as_str());
            request = request.data(p.clone());
        }
        request = request
            .data(meta.clone())
            .data(DataLoader::new(TenantLoader(state.tenants.clone()), tokio::spawn))
            .data(DataLoader::new(AppLoader(state.registry.clone()), tokio::spawn))
            .data(DataLoader::new(GrantLoader(state.approvals.clone()), tokio::spawn))
            .data(DataLoader::new(ApprovalsLoader(state.approvals.clone()), tokio::spawn));
        let mut response = state.schema.execute(request).await;
        // Parse and validation errors (unknown enum values, wrong types, depth and complexity
        // limits) carry no code of their own: they are all bad input.
        for e in &mut response.errors {
            let has_code = e.extensions.as_ref().and_then(|x| x.get("code")).is_some();
            if !has_code {
                e.extensions.get_or_insert_with(Default::default).set("code", ErrorKind::BadUserInput.code());
            }
        }
        state.metrics.graphql(&operation, response.errors.is_empty(), start.elapsed());
        HttpResponse::Ok().json(response)
    }
    .instrument(span)
    .await
}

/// The bearer token, if an Authorization header was sent (`Err` when it is malformed).
fn bearer(req: &HttpRequest) -> Option<Result<&str, ()>> {
    let h = req.headers().get(actix_web::http::header::AUTHORIZATION)?;
    let v = h.to_str().ok()?;
    Some(match v.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => Ok(token.trim()),
        _ => Err(()),
    })
}

/// The name of the first operation in a document (`query Foo`, `mutation Bar`), for logs and
/// metrics when the client did not send `operationName`; empty for anonymous operations.
fn operation_name(query: &str) -> String {
    let mut words = query.split(|c: char| c.is_whitespace() || "{(@".contains(c)).filter(|w| !w.is_empty());
    match words.next() {
        Some("query" | "mutation" | "subscription") => words.next().filter(|w| !w.starts_with('$')).unwrap_or_default().to_owned(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn operation_names_come_from_the_document() {
        assert_eq!(super::operation_name("query Probe { me { id } }"), "Probe");
        assert_eq!(super::operation_name("mutation Login($e: String!) { login }"), "Login");
        assert_eq!(super::operation_name("{ me { id } }"), "");
        assert_eq!(super::operation_name("query($a: Int) { x }"), "");
    }
}
