//! What the web tool reads of a request: cookies, a bounded form body, the path's parts.

use std::collections::HashMap;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::Request;

/// Largest urlencoded form (the forms hold a few short fields).
pub const FORMULAIRE_MAX: usize = 16 * 1024;

/// The value of cookie `nom`, if sent.
pub fn cookie(req: &Request<Incoming>, nom: &str) -> Option<String> {
    req.headers()
        .get_all(hyper::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == nom)
        .map(|c| c.value().to_string())
}

/// The body's length as its `Content-Length` declares it.
pub fn longueur(req: &Request<Incoming>) -> Option<u64> {
    req.headers().get(hyper::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok())
}

/// Why a form could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FormulaireError {
    /// Bigger than [`FORMULAIRE_MAX`].
    #[error("formulaire de plus de {FORMULAIRE_MAX} octets")]
    TropGros,
    /// The connection failed.
    #[error("formulaire illisible : {0}")]
    Lecture(String),
}

/// The fields of an `application/x-www-form-urlencoded` body (the last of a repeated name wins).
pub async fn formulaire(req: Request<Incoming>) -> Result<HashMap<String, String>, FormulaireError> {
    if longueur(&req).is_some_and(|n| n > FORMULAIRE_MAX as u64) {
        return Err(FormulaireError::TropGros);
    }
    let mut corps = req.into_body();
    let mut octets = Vec::new();
    while let Some(frame) = corps.frame().await {
        let frame = frame.map_err(|e| FormulaireError::Lecture(e.to_string()))?;
        if let Some(d) = frame.data_ref() {
            if octets.len() + d.len() > FORMULAIRE_MAX {
                return Err(FormulaireError::TropGros);
            }
            octets.extend_from_slice(d);
        }
    }
    Ok(champs(&Bytes::from(octets)))
}

/// The fields of an urlencoded string (a query, a body).
pub fn champs(octets: &[u8]) -> HashMap<String, String> {
    form_urlencoded::parse(octets).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

/// The query's fields.
pub fn requete(req: &Request<Incoming>) -> HashMap<String, String> {
    champs(req.uri().query().unwrap_or("").as_bytes())
}
