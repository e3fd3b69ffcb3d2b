//! The HTTP/TLS edge: TLS with client certificates, routing, body limits and deadlines.
//!
//! **Identity comes only from the TLS client certificate**, never from the SOAP body. A missing,
//! unknown or revoked certificate is answered with a fault before the body is even read, so it
//! never reaches an operation. Limits (size, deadlines) are enforced here, before any parsing.

mod budget;
mod connections;
mod corps;
mod first_request;
mod handler;
mod metrics_listener;
mod rate_limit;
mod serve;
mod tls;
mod watched_io;

pub use budget::{Budget, Exhausted, Reservation};
pub use connections::{ConnectionLimits, Connections, Counts, Ticket};
pub use first_request::{answer_too_slow, read_head, Head, Prefixed};
pub use handler::{handle, Connexion, Gateway, Televersement, ENTETE_REPRISE};
pub use metrics_listener::serve_metrics;
pub use rate_limit::{Limited, Rate, RateLimits};
pub use serve::{serve_connection, ConnectionSettings};
pub use tls::{fingerprint, server_config, TlsError};
pub use watched_io::Deadlines;
