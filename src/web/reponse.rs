//! Answers of the web tool: every one carries the security headers; pages are never cached.

use bytes::Bytes;
use hyper::header::{HeaderName, HeaderValue};
use hyper::{Response, StatusCode};

/// An answer of the web tool.
pub type Reponse = Response<Sortie>;

/// A body: held whole (pages, assets), or a piece's content read from disk as it is sent, so
/// that viewing a 20 MiB scan does not hold it in memory.
pub enum Sortie {
    /// Whole.
    Octets(Bytes),
    /// Read as it goes; `taille` bytes in all (the Content-Length).
    Flux {
        /// The decrypted content.
        lecteur: Box<dyn std::io::Read + Send>,
        /// Its size.
        taille: u64,
    },
}

impl Sortie {
    /// The bytes of a whole body (tests, and answers that are never streams).
    pub fn octets(&self) -> Option<&Bytes> {
        match self {
            Sortie::Octets(b) => Some(b),
            Sortie::Flux { .. } => None,
        }
    }
}

/// No inline script or style, nothing framed, no other origin: the pages need nothing else.
/// `form-action 'self'` keeps a forged page from posting our forms elsewhere.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
                       connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Headers every answer of the web tool carries.
pub fn securiser(r: &mut Reponse) {
    let cache = r.headers().contains_key("cache-control");
    let h = r.headers_mut();
    let mut mettre = |k: &'static str, v: &'static str| {
        h.insert(HeaderName::from_static(k), HeaderValue::from_static(v));
    };
    mettre("content-security-policy", CSP);
    mettre("strict-transport-security", "max-age=31536000; includeSubDomains");
    mettre("referrer-policy", "no-referrer");
    mettre("x-content-type-options", "nosniff");
    mettre("x-frame-options", "DENY");
    mettre("cross-origin-opener-policy", "same-origin");
    mettre("cross-origin-resource-policy", "same-origin");
    mettre("permissions-policy", "geolocation=(), microphone=(), payment=()");
    if !cache {
        mettre("cache-control", "no-store");
    }
}

/// An HTML page.
pub fn page(statut: StatusCode, html: String) -> Reponse {
    let mut r = Response::new(Sortie::Octets(Bytes::from(html)));
    *r.status_mut() = statut;
    r.headers_mut().insert(hyper::header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    r
}

/// A redirection after a form (303: the browser follows with GET).
pub fn vers(chemin: &str) -> Reponse {
    let mut r = Response::new(Sortie::Octets(Bytes::new()));
    *r.status_mut() = StatusCode::SEE_OTHER;
    if let Ok(v) = HeaderValue::from_str(chemin) {
        r.headers_mut().insert(hyper::header::LOCATION, v);
    }
    r
}

/// Bytes of a given type (a piece, a static asset).
pub fn octets(content_type: &str, corps: impl Into<Bytes>) -> Reponse {
    let mut r = Response::new(Sortie::Octets(corps.into()));
    if let Ok(v) = HeaderValue::from_str(content_type) {
        r.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    r
}

/// A piece's content of `taille` bytes, sent as it is read.
pub fn flux(content_type: &str, lecteur: Box<dyn std::io::Read + Send>, taille: u64) -> Reponse {
    let mut r = Response::new(Sortie::Flux { lecteur, taille });
    if let Ok(v) = HeaderValue::from_str(content_type) {
        r.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    r.headers_mut().insert(hyper::header::CONTENT_LENGTH, HeaderValue::from(taille));
    r
}

/// Sets a session cookie: `__Host-` (HTTPS, whole site, no domain), HttpOnly, SameSite=Strict.
/// Without `max_age` it lives as long as the browser; `Some(0)` deletes it.
pub fn cookie(r: &mut Reponse, nom: &str, valeur: &str, max_age: Option<u64>) {
    let age = max_age.map(|s| format!("; Max-Age={s}")).unwrap_or_default();
    let v = format!("{nom}={valeur}; Path=/; Secure; HttpOnly; SameSite=Strict{age}");
    if let Ok(v) = HeaderValue::from_str(&v) {
        r.headers_mut().append(hyper::header::SET_COOKIE, v);
    }
}
