//! `POST /graphql` and the GraphiQL page. The handler reads a bounded body, inspects the
//! document (refusing what breaks a bound), authenticates the bearer, puts the per-request
//! context and dataloaders in, runs the operation on the schema whose limits fit it, and gives
//! every error a code.

use super::body;
use super::document::Inspection;
use super::error::error_response;
use super::state::AppState;
use crate::schema::AccordSchema;
use accord_approvals::graphql::{ApprovalsLoader, GrantLoader};
use accord_kernel::ErrorKind;
use accord_kernel::gql::RequestMeta;
use accord_registry::graphql::AppLoader;
use accord_tenants::graphql::TenantLoader;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::dataloader::DataLoader;
use async_graphql::http::GraphiQLSource;
use async_graphql::{Response, ServerError};
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
    let meta = RequestMeta {
        request_id: accord_kernel::new_id(),
        client_ip: crate::client_ip::client_address(&req, &state.settings.trusted_proxies),
    };
    let mut request = match body::read(&req, payload).await {
        Ok(r) => r,
        Err(refusal) => return error_response(refusal.status, ErrorKind::BadUserInput, &refusal.message),
    };
    let requested = request.operation_name.clone();
    let inspected = state.prepared.prepare(&mut request, &state.operation_names);
    let label = match &inspected {
        Ok(i) => i.label.clone(),
        Err(_) => state.operation_names.label_unparsed(requested.as_deref()),
    };
    let span = tracing::info_span!("graphql", request_id = %meta.request_id, operation = %label, tenant_id = tracing::field::Empty);

    async move {
        let mut response = match inspected {
            Err(parse_error) => Response::from_errors(vec![parse_error]),
            Ok(Inspection { refusal: Some(why), .. }) => Response::from_errors(vec![ServerError::new(why, None)]),
            Ok(Inspection { introspection_only, mutation, .. }) => {
                // A bearer header wins; without one, the portal's session cookie, only with
                // its CSRF header (SPEC §10).
                let cookie = match bearer(&req) {
                    Some(_) => None,
                    None => match super::session::cookie_session(&req) {
                        Some(Err(why)) => return error_response(StatusCode::FORBIDDEN, ErrorKind::Forbidden, why),
                        other => other.and_then(Result::ok),
                    },
                };
                let identity = match bearer(&req).or(cookie.as_deref().map(Ok)) {
                    None => None,
                    Some(Err(())) => {
                        return error_response(
                            StatusCode::UNAUTHORIZED,
                            ErrorKind::Unauthenticated,
                            "the Authorization header must be `Bearer <token>`",
                        );
                    }
                    // From the enforcement view: live by the change feed (SPEC §2.9), one
                    // database reading on a miss.
                    Some(Ok(token)) => match state.enforcement.identify(token).await {
                        Ok(identity) => Some(identity),
                        Err(e) => {
                            let gql = accord_kernel::gql::classify_to_gql(Some(&meta), &e);
                            let kind = accord_kernel::Classify::kind(&e);
                            let status =
                                if kind == ErrorKind::Internal { StatusCode::INTERNAL_SERVER_ERROR } else { StatusCode::UNAUTHORIZED };
                            return error_response(status, kind, &gql.message);
                        }
                    },
                };
                if let Some(identity) = identity {
                    tracing::Span::current().record("tenant_id", identity.principal.tenant_id.as_str());
                    request = request.data(identity.principal.clone()).data(identity);
                }
                request = request
                    .data(meta.clone())
                    .data(DataLoader::new(TenantLoader(state.tenants.clone()), tokio::spawn))
                    .data(DataLoader::new(AppLoader(state.registry.clone()), tokio::spawn))
                    .data(DataLoader::new(GrantLoader(state.approvals.clone()), tokio::spawn))
                    .data(DataLoader::new(ApprovalsLoader(state.approvals.clone()), tokio::spawn));
                let response = schema_for(&state, introspection_only).execute(request).await;
                if mutation {
                    // What this process just changed is in force here before the caller hears
                    // of it (other replicas follow within the feed's interval).
                    if let Err(e) = state.enforcement.poll_feed().await {
                        tracing::warn!(error = %accord_kernel::gql::cause_chain(&e), "enforcement could not catch up with a mutation");
                    }
                }
                response
            }
        };
        // Parse and validation errors (unknown enum values, wrong types, depth and complexity
        // limits, the bounds above) carry no code of their own: they are all bad input.
        for e in &mut response.errors {
            let has_code = e.extensions.as_ref().and_then(|x| x.get("code")).is_some();
            if !has_code {
                e.extensions.get_or_insert_with(Default::default).set("code", ErrorKind::BadUserInput.code());
            }
        }
        state.metrics.graphql(&label, response.errors.is_empty(), start.elapsed());
        HttpResponse::Ok().json(response)
    }
    .instrument(span)
    .await
}

/// Pure introspection runs on the introspection-only schema (deeper limit, no resolvers of
/// ours); everything else on the API schema.
fn schema_for(state: &AppState, introspection_only: bool) -> &AccordSchema {
    match &state.introspection_schema {
        Some(schema) if introspection_only => schema,
        _ => &state.schema,
    }
}

/// The bearer token, if an Authorization header was sent (`Err` when it is malformed).
pub(crate) fn bearer(req: &HttpRequest) -> Option<Result<&str, ()>> {
    let h = req.headers().get(actix_web::http::header::AUTHORIZATION)?;
    let v = h.to_str().ok()?;
    Some(match v.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => Ok(token.trim()),
        _ => Err(()),
    })
}
