//! The web tool: the staff console (`/console/`), the applicant portal (`/demandeur/`) and the
//! integrator's exchange view (`/console/echanges`), served by the same binary on the same port
//! as the SOAP services (the TLS client certificate is optional at the handshake; browsers come
//! without one and sign in instead).
//!
//! It sits beside `operations`: it knows the browser's wire (pages, forms, cookies) and calls
//! the registry, as a counter's software would through SOAP; it knows nothing of SOAP. Pages are
//! rendered on the server from compile-time templates (`templates/`, askama, escaped by
//! default) and work without JavaScript; one script (`assets/web/depot.js`) adds drag and drop
//! and a progress bar to the deposit forms. Every answer carries the security headers
//! ([`reponse::securiser`]).

mod console;
mod demandeur;
mod depot;
mod echanges;
mod pages;
mod reponse;
mod requete;
mod sessions;
mod statique;
mod tentatives;

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::body::Incoming;
use hyper::{Request, StatusCode};

use crate::registry::{Annuaire, Registry};

pub use echanges::{Echange, Echanges, Enveloppe, Retention, ENVELOPPE_MAX};
pub use reponse::{Reponse, Sortie, CSP};
pub use sessions::{Durees, Qui, Sessions};
pub use tentatives::{Seuils, Tentatives};

/// Cookie of a console session.
pub const COOKIE_CONSOLE: &str = "__Host-sne-console";
/// Cookie of an applicant's session.
pub const COOKIE_DEMANDEUR: &str = "__Host-sne-demandeur";
/// Cookie of the sign-in forms' CSRF token (double submit: no session exists yet).
pub const COOKIE_CSRF: &str = "__Host-sne-csrf";

/// The web tool's state, shared by all connections.
pub struct Web {
    /// Console sessions.
    pub console: Sessions,
    /// Applicants' sessions.
    pub demandeur: Sessions,
    /// Sign-in throttling (console and portal).
    pub tentatives: Tentatives,
    /// Recent SOAP exchanges by counter.
    pub echanges: Echanges,
    /// School mode: the home page is the exchange view, envelopes are kept.
    pub ecole: bool,
}

/// Settings of the web tool (`[web]`).
#[derive(Debug, Clone, Copy)]
pub struct Reglages {
    /// Console sessions' expiry.
    pub console: Durees,
    /// Applicants' sessions' expiry.
    pub demandeur: Durees,
    /// Sign-in throttling per account.
    pub par_compte: Seuils,
    /// Sign-in throttling per address.
    pub par_adresse: Seuils,
    /// Exchanges kept.
    pub echanges: Retention,
    /// School mode.
    pub ecole: bool,
}

impl Web {
    /// A web tool with nobody signed in.
    pub fn new(r: Reglages) -> Web {
        Web {
            console: Sessions::new(r.console),
            demandeur: Sessions::new(r.demandeur),
            tentatives: Tentatives::new(r.par_compte, r.par_adresse),
            echanges: Echanges::new(r.echanges),
            ecole: r.ecole,
        }
    }
}

/// What a request of the web tool may use.
pub struct Contexte<'a> {
    /// The registry.
    pub registry: &'a Registry,
    /// Identities by code (an agent acts as one of them).
    pub annuaire: Arc<Annuaire>,
    /// Sessions, throttling, exchanges.
    pub web: &'a Web,
    /// The client's address (throttling).
    pub pair: IpAddr,
    /// Largest piece (`pieces.taille_max_octets`), shown beside the file fields.
    pub taille_max: u64,
    /// Time to receive a deposit (`pieces.delai_televersement_secs`).
    pub delai_televersement: Duration,
    /// Where hashing and encrypting a deposit's chunks run.
    pub compute: &'a crate::compute::Compute,
}

/// A refusal's text as a sentence on a page (the same as the operations' anomalies).
use crate::operations::capitalise;

/// Whether `path` belongs to the web tool.
pub fn concerne(path: &str) -> bool {
    path == "/"
        || path == "/console"
        || path.starts_with("/console/")
        || path == "/demandeur"
        || path.starts_with("/demandeur/")
        || path.starts_with("/static/")
}

/// Serves one request of the web tool.
pub async fn servir(ctx: &Contexte<'_>, req: Request<Incoming>) -> Reponse {
    let path = req.uri().path().to_string();
    let mut r = if path == "/" || path == "/console" {
        reponse::vers("/console/")
    } else if let Some(nom) = path.strip_prefix("/static/") {
        statique::servir(nom)
    } else if path.starts_with("/console/") {
        console::servir(ctx, req).await
    } else if path == "/demandeur" || path.starts_with("/demandeur/") {
        demandeur::servir(ctx, req).await
    } else {
        pages::erreur(
            ctx.web.ecole,
            StatusCode::NOT_FOUND,
            "Page introuvable",
            "Cette adresse ne mène à aucune page.",
            "/",
        )
    };
    reponse::securiser(&mut r);
    r
}
