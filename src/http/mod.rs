//! The HTTP/TLS edge: TLS with client certificates, routing, body limits and deadlines.
//!
//! **Identity comes only from the TLS client certificate**, never from the SOAP body. A missing,
//! unknown or revoked certificate is answered with a fault before the body is even read, so it
//! never reaches an operation. Limits (size, deadlines) are enforced here, before any parsing.

mod first_request;
mod handler;
mod tls;

pub use first_request::{answer_too_slow, read_head, Head, Prefixed};
pub use handler::{handle, Connexion, Gateway};
pub use tls::{server_config, TlsError};
