//! Static assets, embedded in the binary: nothing to install beside it.

use hyper::header::{HeaderValue, CACHE_CONTROL};
use hyper::StatusCode;

use super::reponse::{octets, Reponse};

const FICHIERS: &[(&str, &str, &[u8])] = &[
    ("sne.css", "text/css; charset=utf-8", include_bytes!("../../assets/web/sne.css")),
    ("depot.js", "text/javascript; charset=utf-8", include_bytes!("../../assets/web/depot.js")),
];

/// The asset `nom`, cached for an hour (they change only with the binary).
pub fn servir(nom: &str) -> Reponse {
    match FICHIERS.iter().find(|(n, _, _)| *n == nom) {
        Some((_, content_type, contenu)) => {
            let mut r = octets(content_type, *contenu);
            r.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
            r
        }
        None => {
            let mut r = octets("text/plain; charset=utf-8", "Ressource inconnue\n");
            *r.status_mut() = StatusCode::NOT_FOUND;
            r
        }
    }
}
