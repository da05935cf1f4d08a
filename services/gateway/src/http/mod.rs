//! The HTTP edge, one concern per module: the state handlers share ([`state`]), the server and
//! its listeners ([`server`]) with a shutdown that drains ([`drain`]), the routes ([`routes`]), the request-metrics middleware
//! ([`middleware`]), `POST /graphql` ([`graphql`]) with its bounded body ([`body`]) and
//! document inspection ([`document`]) done once per text ([`prepared`]), cookie sign-in for the portal ([`session`]), the portal's embedded pages ([`portal`]), health, readiness and `/metrics` ([`ops`]), and the JSON
//! error shape every refusal uses ([`error`]). Modules here name each other, never this file.

pub mod body;
pub mod document;
pub mod drain;
pub mod error;
pub mod graphql;
pub mod middleware;
pub mod ops;
pub mod portal;
pub mod prepared;
pub mod routes;
pub mod server;
pub mod session;
pub mod state;
