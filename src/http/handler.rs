//! One request: route, identify, bound, decode, execute, encode.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};

use super::budget::{Budget, Exhausted, Reservation};
use super::corps::{plein, Corps};
use super::rate_limit::RateLimits;
use crate::compute::Compute;
use crate::config::LimitSettings;
use crate::metrics::Metrics;
use crate::operations::{self, Bilan, Contexte};
use crate::registry::{Annuaire, Appelant, Registry};
use crate::service_description::{host_is_safe, ServiceDescription, SERVICES};
use crate::soap::{self, FaultCode, SoapVersion};
use crate::store::Store;

/// Everything a request needs, shared by all connections.
pub struct Gateway {
    /// The registry service.
    pub registry: Registry,
    /// The store (readiness, metrics).
    pub store: Store,
    /// Counters known by certificate fingerprint; replaced whole on reload.
    pub annuaire: RwLock<Arc<Annuaire>>,
    /// Per-counter rate limits; reconfigured on reload.
    pub debits: RateLimits,
    /// Request limits.
    pub limits: LimitSettings,
    /// Where decoding, validation, sealing and the PDF run.
    pub compute: Compute,
    /// Request bytes in flight, for all connections.
    pub budget: Budget,
    /// Counters and histograms.
    pub metrics: Metrics,
    /// Set when the gateway stops: `/ready` answers 503.
    pub stopping: AtomicBool,
    /// Bounds of streamed uploads (MTOM requests of the document service).
    pub televersement: Televersement,
    /// The web tool: sessions, throttling, the exchange journal.
    pub web: crate::web::Web,
    /// Largest piece (`pieces.taille_max_octets`), for the web tool's deposits.
    pub taille_max_piece: u64,
}

/// Bounds of a streamed upload: its contents go to disk as they come, so its size is bounded by
/// its own limit rather than by `limits.max_body_bytes`.
#[derive(Debug, Clone, Copy)]
pub struct Televersement {
    /// Largest body, all parts together (`pieces.max_requete_octets`).
    pub max_octets: u64,
    /// Time to receive it (`pieces.delai_televersement_secs`).
    pub delai: Duration,
    /// Most parts (`pieces.max_par_lot` + the root, or `limits.max_mime_parts` if larger).
    pub max_parties: usize,
}

impl Gateway {
    /// The current counter directory.
    pub fn annuaire(&self) -> Arc<Annuaire> {
        self.annuaire.read().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// What is known of a connection once TLS is up.
pub struct Connexion {
    /// SHA-256 fingerprint of the client certificate, when one was presented (and verified).
    pub empreinte: Option<String>,
    /// Local address, used when the request names no usable Host.
    pub local: std::net::SocketAddr,
    /// The client's address.
    pub pair: std::net::SocketAddr,
}

type Reponse = Response<Corps>;

/// What one request came to, for its log line and the metrics. Never personal data: codes,
/// classes and fault reasons (which never quote character data).
struct Issue {
    service: &'static str,
    operation: &'static str,
    guichet: Option<String>,
    resultat: &'static str,
    motif: String,
    /// For the exchange view: the anomalies returned and the file type.
    anomalies: Vec<crate::contract::Anomalie>,
    type_fichier: Option<String>,
    /// The request as received (its Content-Type and body), kept in school mode only.
    requete: Option<(String, Bytes)>,
    /// A fault's whole reason, for the exchange view (`motif` is cut for the log line).
    raison: String,
}

impl Default for Issue {
    fn default() -> Self {
        Issue {
            service: "-",
            operation: "-",
            guichet: None,
            resultat: "-",
            motif: String::new(),
            anomalies: Vec::new(),
            type_fichier: None,
            requete: None,
            raison: String::new(),
        }
    }
}

impl Issue {
    fn refus(&mut self, gw: &Gateway, limite: &'static str) {
        self.resultat = "refus";
        self.motif = limite.to_string();
        gw.metrics.refusal(limite);
    }

    fn faute(&mut self, fault: &soap::Fault) {
        self.resultat = match fault.code {
            FaultCode::Receiver => "faute_recepteur",
            _ => "faute_emetteur",
        };
        self.motif = crate::text::extrait(&fault.reason, 200);
        self.raison = crate::text::sans_controle(&fault.reason).into_owned();
    }
}

/// Serves one request. Never fails: every problem becomes an HTTP answer.
pub async fn handle(
    gw: Arc<Gateway>,
    conn: Arc<Connexion>,
    req: Request<Incoming>,
) -> Result<Reponse, std::convert::Infallible> {
    let start = Instant::now();
    let id = request_id();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let mut issue = Issue::default();
    let mut response = route(&gw, &conn, req, &mut issue).await;
    let elapsed = start.elapsed();
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", v);
    }
    if issue.resultat == "reprise" {
        // The answer is the first registration's: said outside the contract's bytes.
        response.headers_mut().insert(ENTETE_REPRISE, HeaderValue::from_static("oui"));
    }
    if issue.service != "-" {
        gw.metrics.request(issue.service, issue.operation, issue.resultat, elapsed);
    }
    if let Some(guichet) = issue.guichet.clone().filter(|_| issue.service != "-") {
        response = noter_echange(&gw, &mut issue, guichet, &id, elapsed, response).await;
    }
    tracing::info!(
        request_id = %id,
        methode = %method,
        chemin = %crate::text::extrait(&path, 200),
        statut = response.status().as_u16(),
        operation = issue.operation,
        guichet = issue.guichet.as_deref().unwrap_or("-"),
        resultat = issue.resultat,
        motif = %issue.motif,
        duree_ms = elapsed.as_secs_f64() * 1000.0,
        "requête"
    );
    Ok(response)
}

/// Records a SOAP exchange of an identified caller for the exchange view; in school mode with
/// its envelopes (an answer is read back into memory for that only when it is small: a piece
/// streamed from disk is not kept).
async fn noter_echange(
    gw: &Gateway,
    issue: &mut Issue,
    guichet: String,
    id: &str,
    duree: Duration,
    response: Reponse,
) -> Reponse {
    let echanges = &gw.web.echanges;
    let (response, enveloppes) = if echanges.retention().enveloppes {
        let longueur = response
            .headers()
            .get(hyper::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let (parts, corps) = response.into_parts();
        let type_reponse = parts
            .headers
            .get(hyper::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let (corps, reponse) = if longueur.is_some_and(|n| n > 4 * crate::web::ENVELOPPE_MAX) {
            let texte = format!("(réponse de {} octets transmise en flux : non conservée)", longueur.unwrap_or(0));
            (corps, crate::web::Enveloppe::new(TEXTE_BRUT, Bytes::from(texte)))
        } else {
            match corps.collect().await {
                Ok(c) => {
                    let b = c.to_bytes();
                    (plein(b.clone()), crate::web::Enveloppe::new(&type_reponse, b))
                }
                Err(e) => {
                    tracing::error!(erreur = %e, "réponse illisible pour le journal des échanges");
                    return texte(StatusCode::INTERNAL_SERVER_ERROR, "Erreur interne de la passerelle\n");
                }
            }
        };
        let requete = match issue.requete.take() {
            Some((type_requete, corps)) => crate::web::Enveloppe::new(&type_requete, corps),
            None => crate::web::Enveloppe::new(
                TEXTE_BRUT,
                Bytes::from_static("(requête reçue en flux : non conservée)".as_bytes()),
            ),
        };
        (Response::from_parts(parts, corps), Some((requete, reponse)))
    } else {
        (response, None)
    };
    echanges.noter(crate::web::Echange {
        quand: time::OffsetDateTime::now_utc(),
        guichet,
        service: issue.service.to_string(),
        operation: issue.operation.to_string(),
        type_fichier: issue.type_fichier.take(),
        resultat: issue.resultat.to_string(),
        // A fault's reason whole: the view wraps it, and an integrator needs all of it.
        motif: match issue.resultat {
            "anomalie" => String::new(),
            _ if !issue.raison.is_empty() => std::mem::take(&mut issue.raison),
            _ => issue.motif.clone(),
        },
        anomalies: std::mem::take(&mut issue.anomalies),
        duree,
        request_id: id.to_string(),
        enveloppes,
    });
    response
}

/// What a browser's deposit form holds in memory at most, counted in the byte budget while it
/// is read: its text fields (`web::depot::CHAMP_TEXTE_MAX` each), the form reader's buffer and
/// the chunks on their way to disk.
const RESERVE_FORMULAIRE: usize = 1 << 20;

/// The Content-Type of what the exchange view keeps in place of a message it did not hold.
const TEXTE_BRUT: &str = "text/plain; charset=utf-8";

/// Header of an answer that repeats an earlier registration (same `refInterne`), for tools that
/// want to say so (`sne-gateway exemple`); the SOAP answer itself is the first one's.
pub const ENTETE_REPRISE: &str = "x-sne-reprise";

/// 16 hexadecimal characters, unique enough to find one request in the logs.
fn request_id() -> String {
    hex::encode(rand::random::<[u8; 8]>())
}

async fn route(gw: &Gateway, conn: &Connexion, req: Request<Incoming>, issue: &mut Issue) -> Reponse {
    let path = req.uri().path();
    if req.method() == Method::GET {
        match path {
            "/health" => return texte(StatusCode::OK, "ok\n"),
            "/ready" => return ready(gw),
            _ => {}
        }
    }
    if crate::web::concerne(path) {
        // A browser's deposit holds its text fields (bounded) and chunks in flight: a fixed share
        // of the byte budget, so that many of them wait or are refused like SOAP requests.
        let mut reservation = Reservation::default();
        let formulaire = req.method() == Method::POST
            && header(&req, "content-type")
                .is_some_and(|c| c.trim_start().to_ascii_lowercase().starts_with("multipart/"));
        if formulaire {
            if let Err(e) = gw.budget.reserve(&mut reservation, RESERVE_FORMULAIRE).await {
                let r = texte(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Passerelle saturée (limits.max_bytes_in_flight) : réessayez dans quelques secondes.\n",
                );
                return saturee(gw, issue, &e, r);
            }
        }
        let ctx = crate::web::Contexte {
            registry: &gw.registry,
            annuaire: gw.annuaire(),
            web: &gw.web,
            pair: conn.pair.ip(),
            taille_max: gw.taille_max_piece,
            delai_televersement: gw.televersement.delai,
            compute: &gw.compute,
        };
        let reponse = crate::web::servir(&ctx, req).await.map(|corps| match corps {
            crate::web::Sortie::Octets(b) => plein(b),
            crate::web::Sortie::Flux { lecteur, taille } => {
                super::corps::flux(Bytes::new(), super::corps::lire_en_flux(lecteur), Bytes::new(), taille)
            }
        });
        // A refused form was not read to its end: the connection closes after the answer rather
        // than read what remains to find the next request.
        if formulaire && (reponse.status().is_client_error() || reponse.status().is_server_error()) {
            return fermer_apres(reponse);
        }
        return reponse;
    }
    // The service this path names, at `/services/<Service>` or a published address, and what
    // follows it (found before any await: the iterator is not `Send`).
    let trouve = SERVICES.iter().find_map(|svc| {
        svc.chemins().find_map(|prefixe| {
            let rest = path.strip_prefix(prefixe.as_ref())?;
            let rest = rest.strip_prefix('/').or(rest.is_empty().then_some(rest))?;
            Some((*svc, prefixe.into_owned(), rest.to_string()))
        })
    });
    if let Some((svc, prefix, rest)) = trouve {
        if rest.is_empty() && !path.ends_with("//") {
            return match *req.method() {
                Method::POST => {
                    issue.service = svc.service;
                    issue.operation = "inconnue";
                    let Some(service) = operations::Service::nomme(svc.service) else {
                        return texte(StatusCode::NOT_FOUND, "Service inconnu");
                    };
                    gw.store.suivre(soap_call(gw, conn, req, service, issue)).await
                }
                Method::GET => description(svc, &prefix, conn, &req),
                _ => texte(StatusCode::METHOD_NOT_ALLOWED, "Méthode non autorisée : GET (WSDL) ou POST (SOAP)"),
            };
        }
        if req.method() == Method::GET {
            if let Some(xsd) = svc.schema_for(&rest, &base(conn, &req)) {
                return document_owned(xsd, "text/xml; charset=utf-8");
            }
        }
    }
    // `.../Service?wsdl` without the trailing slash makes relative schema names resolve one
    // level up, under /services/ (or the published addresses' folders): served there too.
    let dossier = path.rsplit_once('/').filter(|(d, _)| SERVICES.iter().any(|s| s.sert_le_dossier(d)));
    if let Some((_, name)) = dossier {
        if req.method() == Method::GET {
            if let Some(xsd) = SERVICES.iter().find_map(|svc| svc.schema_for(name, &base(conn, &req))) {
                return document_owned(xsd, "text/xml; charset=utf-8");
            }
        }
    }
    texte(StatusCode::NOT_FOUND, "Ressource inconnue")
}

/// Ready: the store is open and has not failed, and the gateway is not stopping.
pub(super) fn ready(gw: &Gateway) -> Reponse {
    if gw.stopping.load(Ordering::Relaxed) {
        return texte(StatusCode::SERVICE_UNAVAILABLE, "arrêt en cours\n");
    }
    if gw.store.has_failed() {
        return texte(StatusCode::SERVICE_UNAVAILABLE, "stockage en échec\n");
    }
    texte(StatusCode::OK, "prêt\n")
}

/// The address the client called, to write into the documents we serve.
fn base(conn: &Connexion, req: &Request<Incoming>) -> String {
    let host = req
        .headers()
        .get(hyper::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| host_is_safe(h))
        .map(str::to_string)
        .unwrap_or_else(|| conn.local.to_string());
    format!("https://{host}")
}

fn description(svc: &ServiceDescription, chemin: &str, conn: &Connexion, req: &Request<Incoming>) -> Reponse {
    let query = req.uri().query().unwrap_or("");
    if query.eq_ignore_ascii_case("wsdl") {
        return document_owned(svc.wsdl_at(&base(conn, req), chemin), "text/xml; charset=utf-8");
    }
    if let Some(name) = query.strip_prefix("xsd=") {
        if let Some(xsd) = svc.schema_for(name, &base(conn, req)) {
            return document_owned(xsd, "text/xml; charset=utf-8");
        }
    }
    texte(StatusCode::NOT_FOUND, "Ajoutez ?wsdl pour obtenir la description du service")
}

/// The SOAP version a request claims by its content type, so that even early faults are
/// written in a dialect the client parses.
pub(super) fn version_annoncee(content_type: &str) -> SoapVersion {
    let ct = content_type.to_ascii_lowercase();
    if ct.starts_with("text/xml") || ct.contains("start-info=\"text/xml\"") || ct.contains("start-info=text/xml") {
        SoapVersion::V11
    } else {
        SoapVersion::V12
    }
}

/// The SOAP version of an envelope that could not be decoded, read from the namespace it
/// declares: the client parses faults in the version it wrote, whatever its Content-Type said.
fn version_de_l_enveloppe(body: &[u8]) -> Option<SoapVersion> {
    let v12 = memchr::memmem::find(body, soap::SOAP12_NS.as_bytes()).is_some();
    let v11 = memchr::memmem::find(body, soap::SOAP11_NS.as_bytes()).is_some();
    match (v11, v12) {
        (true, false) => Some(SoapVersion::V11),
        (false, true) => Some(SoapVersion::V12),
        _ => None,
    }
}

async fn soap_call(
    gw: &Gateway,
    conn: &Connexion,
    req: Request<Incoming>,
    service: operations::Service,
    issue: &mut Issue,
) -> Reponse {
    let content_type = header(&req, CONTENT_TYPE.as_str()).unwrap_or_default();
    let soap_action = header(&req, "soapaction");
    let version = version_annoncee(&content_type);
    let faute = |issue: &mut Issue, status: StatusCode, code: FaultCode, message: String| {
        let fault = operations::faute(code, message);
        if issue.resultat == "-" {
            issue.faute(&fault);
        }
        fault_response(status, version, false, &fault)
    };

    // Identity before anything else: an unidentified caller costs us no parsing.
    let guichet = match conn.empreinte.as_deref().map(|e| (e, gw.annuaire().identifier(e))) {
        None => {
            return faute(
                issue,
                StatusCode::INTERNAL_SERVER_ERROR,
                FaultCode::Sender,
                "Accès refusé : certificat client absent. Présentez le certificat TLS de votre guichet.".into(),
            )
        }
        Some((e, Appelant::Inconnu)) => {
            tracing::warn!(empreinte = e, "certificat client inconnu");
            return faute(
                issue,
                StatusCode::INTERNAL_SERVER_ERROR,
                FaultCode::Sender,
                format!(
                    "Accès refusé : certificat client inconnu (empreinte SHA-256 {e}), déclaré pour aucun guichet."
                ),
            );
        }
        Some((_, Appelant::Revoque(code))) => {
            tracing::warn!(guichet = code.as_str(), "certificat révoqué");
            issue.guichet = Some(code.as_str().to_string());
            return faute(
                issue,
                StatusCode::INTERNAL_SERVER_ERROR,
                FaultCode::Sender,
                format!("Accès refusé : le certificat du guichet {} est révoqué.", code.as_str()),
            );
        }
        Some((_, Appelant::Guichet(g))) => g,
    };
    issue.guichet = Some(guichet.code.as_str().to_string());

    if let Err(limited) = gw.debits.take(guichet.code.as_str()) {
        issue.refus(gw, "guichets.requetes_par_seconde");
        let secs = limited.retry_after.as_secs_f64().ceil().max(1.0) as u64;
        let mut r = faute(
            issue,
            StatusCode::TOO_MANY_REQUESTS,
            FaultCode::Sender,
            format!(
                "Débit limité : le guichet {} dépasse sa limite de {} requête(s) par seconde, rafales de {} (guichets.requetes_par_seconde, guichets.rafale) ; réessayez dans {secs} s.",
                guichet.code.as_str(),
                limited.rate.per_second,
                limited.rate.burst
            ),
        );
        r.headers_mut().insert(hyper::header::RETRY_AFTER, HeaderValue::from(secs));
        return r;
    }

    if service == operations::Service::PieceJustificative
        && content_type.trim_start().to_ascii_lowercase().starts_with("multipart/related")
    {
        return televerser(gw, req, service, &guichet, &content_type, soap_action.as_deref(), version, issue).await;
    }
    let limits = &gw.limits;
    let declared = header(&req, "content-length").and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.max_body_bytes as u64) {
        issue.refus(gw, "limits.max_body_bytes");
        let reponse = faute(issue, StatusCode::PAYLOAD_TOO_LARGE, FaultCode::Sender, trop_gros(limits.max_body_bytes));
        return vidanger_puis(gw, req, declared, reponse);
    }
    // Held until the answer is built: the body and its decoded form count against the budget.
    let mut reservation = Reservation::default();
    let deadline = Duration::from_secs(limits.body_timeout_secs);
    let expect_continue = attend_100_continue(&req);
    let mut corps = req.into_body();
    let read = read_body(gw, &mut corps, declared.map(|n| n as usize), &mut reservation);
    let body = match tokio::time::timeout(deadline, read).await {
        Err(_) => {
            issue.refus(gw, "limits.body_timeout_secs");
            return faute(
                issue,
                StatusCode::REQUEST_TIMEOUT,
                FaultCode::Sender,
                format!(
                    "Requête trop lente : corps non reçu dans le délai de {} secondes (limits.body_timeout_secs).",
                    limits.body_timeout_secs
                ),
            );
        }
        Ok(Err(BodyError::TooLarge)) => {
            issue.refus(gw, "limits.max_body_bytes");
            let reponse =
                faute(issue, StatusCode::PAYLOAD_TOO_LARGE, FaultCode::Sender, trop_gros(limits.max_body_bytes));
            return vidanger(gw, corps, expect_continue, reponse);
        }
        Ok(Err(BodyError::Budget(e))) => return sature(gw, issue, version, false, &e),
        Ok(Err(BodyError::Read(e))) => {
            return match CorpsIllisible::de(&e) {
                CorpsIllisible::Inactif => {
                    issue.refus(gw, "limits.idle_timeout_secs");
                    let message = format!(
                        "Requête trop lente : rien reçu du corps depuis {} secondes (limits.idle_timeout_secs ; le corps entier doit arriver en {} secondes, limits.body_timeout_secs).",
                        limits.idle_timeout_secs, limits.body_timeout_secs
                    );
                    faute(issue, StatusCode::REQUEST_TIMEOUT, FaultCode::Sender, message)
                }
                CorpsIllisible::Autre(raison) => faute(
                    issue,
                    StatusCode::BAD_REQUEST,
                    FaultCode::Sender,
                    format!("Corps de requête illisible : {raison}."),
                ),
            };
        }
        Ok(Ok(body)) => body,
    };
    if gw.web.echanges.retention().enveloppes {
        issue.requete = Some((content_type.clone(), body.clone()));
    }

    let soap_limits = soap::Limits { xml: limits.xml(), max_parts: limits.max_mime_parts, ..soap::Limits::default() };
    let decoded = gw
        .compute
        .run_selon(body.len(), || {
            soap::decode_for(&content_type, soap_action.as_deref(), &body, &soap_limits, Some(service.wrappers()))
        })
        .await;
    let envelope = match decoded {
        Ok(env) => env,
        Err(e) => {
            let mut fault = e.fault();
            fault.detail = operations::faute(fault.code, fault.reason.clone()).detail;
            issue.faute(&fault);
            if let Some(limite) = e.limit_key() {
                gw.metrics.refusal(limite);
            }
            let version = version_de_l_enveloppe(&body).unwrap_or(version);
            return fault_response(StatusCode::INTERNAL_SERVER_ERROR, version, false, &fault);
        }
    };
    let bilan = std::sync::Mutex::new(Bilan::default());
    let ctx = Contexte {
        registry: &gw.registry,
        appelant: &guichet,
        limites_xml: soap_limits.xml,
        compute: &gw.compute,
        bilan: &bilan,
    };
    let result = operations::executer(service, &envelope, body.len(), &ctx).await;
    let bilan = bilan.into_inner().unwrap_or_else(|p| p.into_inner());
    repondre(gw, result, bilan, envelope.version, envelope.mtom, issue).await
}

/// The answer of an executed operation: its message (a streamed piece when the call was MTOM),
/// or its fault.
async fn repondre(
    gw: &Gateway,
    result: Result<operations::Reponse, soap::Fault>,
    bilan: Bilan,
    version: SoapVersion,
    mtom: bool,
    issue: &mut Issue,
) -> Reponse {
    if let Some(op) = bilan.operation {
        issue.operation = op;
    }
    let reponse = match result {
        Ok(r) => r,
        Err(fault) => {
            issue.faute(&fault);
            if let Some(limite) = bilan.limite {
                gw.metrics.refusal(limite);
            }
            return fault_response(StatusCode::INTERNAL_SERVER_ERROR, version, mtom, &fault);
        }
    };
    issue.anomalies = bilan.details;
    issue.type_fichier = bilan.type_fichier;
    if bilan.anomalies.is_empty() {
        issue.resultat = if bilan.reprise { "reprise" } else { "accepte" };
    } else {
        issue.resultat = "anomalie";
        issue.motif = crate::text::extrait(&bilan.anomalies.join(","), 200);
    }
    // Held until the answer is encoded.
    let mut reservation = Reservation::default();
    let message = match reponse {
        operations::Reponse::Message(m) => m,
        operations::Reponse::Flux { mut message, element, content_type, taille, contenu } if mtom => {
            // The piece goes from disk to the socket, never whole in memory.
            message.children.push(soap::OutChild::Streamed { name: element.to_string(), content_type });
            let encoded = soap::encode_streamed_response(version, &message);
            let longueur = encoded.head.len() as u64 + taille + encoded.tail.len() as u64;
            let corps = super::corps::flux(
                Bytes::from(encoded.head),
                super::corps::lire_en_flux(contenu),
                Bytes::from(encoded.tail),
                longueur,
            );
            let mut r = Response::new(corps);
            if let Ok(v) = HeaderValue::from_str(&encoded.content_type) {
                r.headers_mut().insert(CONTENT_TYPE, v);
            }
            r.headers_mut().insert(hyper::header::CONTENT_LENGTH, HeaderValue::from(longueur));
            return r;
        }
        operations::Reponse::Flux { mut message, element, content_type, contenu, taille } => {
            // Inline base64 is written whole (a piece is at most `pieces.taille_max_octets`): the
            // piece, its base64 and the envelope count against the byte budget.
            if let Err(e) = gw.budget.reserve(&mut reservation, (taille as usize).saturating_mul(3)).await {
                return sature(gw, issue, version, mtom, &e);
            }
            let mut data = Vec::new();
            if let Err(e) = gw.compute.run(|| std::io::Read::read_to_end(&mut { contenu }, &mut data)).await {
                tracing::error!(erreur = %e, "lecture d'une pièce");
                let fault = operations::faute_inattendue();
                issue.faute(&fault);
                return fault_response(StatusCode::INTERNAL_SERVER_ERROR, version, mtom, &fault);
            }
            message.children.push(soap::OutChild::Binary {
                name: element.to_string(),
                data: Bytes::from(data),
                content_type,
                kind: soap::BinaryKind::Opaque,
            });
            message
        }
    };
    let encoded = soap::encode_response(version, mtom, &message);
    drop(reservation);
    bytes_response(StatusCode::OK, encoded.content_type, encoded.body)
}

/// What reading a streamed upload came to, when it is not an answer already.
enum FinTeleversement {
    /// The message was read to its end: the envelope, and the deposit whose contents it carried.
    Lu(soap::Envelope, Option<operations::DepotEnCours>),
    /// The answer to send (a fault).
    Reponse(Reponse),
}

/// A streamed upload (an MTOM request of the document service): the envelope is read first, then
/// each attachment goes from the socket through its deposit's reception (hashed, checked,
/// encrypted to disk) chunk by chunk, so memory does not grow with the contents' size.
#[allow(clippy::too_many_arguments)]
async fn televerser(
    gw: &Gateway,
    req: Request<Incoming>,
    service: operations::Service,
    guichet: &crate::registry::Guichet,
    content_type: &str,
    soap_action: Option<&str>,
    version: SoapVersion,
    issue: &mut Issue,
) -> Reponse {
    let t = gw.televersement;
    let faute = |issue: &mut Issue, status: StatusCode, code: FaultCode, message: String| {
        let fault = operations::faute(code, message);
        issue.faute(&fault);
        fault_response(status, version, true, &fault)
    };
    let declare = header(&req, "content-length").and_then(|v| v.trim().parse::<u64>().ok());
    if declare.is_some_and(|n| n > t.max_octets) {
        issue.refus(gw, "pieces.max_requete_octets");
        let reponse = faute(issue, StatusCode::PAYLOAD_TOO_LARGE, FaultCode::Sender, trop_gros_flux(t.max_octets));
        return vidanger_puis(gw, req, declare, reponse);
    }
    let expect_continue = attend_100_continue(&req);
    let soap_limits = soap::Limits { xml: gw.limits.xml(), max_parts: t.max_parties, ..soap::Limits::default() };
    // What a streamed request holds at most: its envelope, the lots in flight to its receiving
    // thread and the decoder's and sealer's chunks.
    let mut reservation = Reservation::default();
    if let Err(e) = gw.budget.reserve(&mut reservation, soap_limits.max_root_bytes + (1 << 20)).await {
        return sature(gw, issue, version, true, &e);
    }
    let mut decodeur =
        match soap::StreamingDecoder::new(content_type, soap_action, &soap_limits, Some(service.wrappers())) {
            Ok(d) => d,
            Err(e) => return faute(issue, StatusCode::INTERNAL_SERVER_ERROR, FaultCode::Sender, e.fault().reason),
        };
    let bilan = std::sync::Mutex::new(Bilan::default());
    let ctx = Contexte {
        registry: &gw.registry,
        appelant: guichet,
        limites_xml: soap_limits.xml,
        compute: &gw.compute,
        bilan: &bilan,
    };
    let lecture =
        lire_televersement(gw, req.into_body(), &mut decodeur, service, &ctx, t.max_octets, expect_continue, issue);
    let (envelope, depot) = match tokio::time::timeout(t.delai, lecture).await {
        Err(_) => {
            issue.refus(gw, "pieces.delai_televersement_secs");
            return faute(
                issue,
                StatusCode::REQUEST_TIMEOUT,
                FaultCode::Sender,
                format!(
                    "Téléversement trop lent : requête non reçue dans le délai de {} secondes (pieces.delai_televersement_secs).",
                    t.delai.as_secs()
                ),
            );
        }
        Ok(FinTeleversement::Reponse(r)) => return r,
        Ok(FinTeleversement::Lu(env, depot)) => (env, depot),
    };
    let result = match depot {
        Some(d) => d.conclure(&ctx).await.map(operations::Reponse::Message),
        None => operations::executer(service, &envelope, usize::MAX, &ctx).await,
    };
    let bilan = bilan.into_inner().unwrap_or_else(|p| p.into_inner());
    drop(reservation);
    repondre(gw, result, bilan, envelope.version, true, issue).await
}

#[allow(clippy::too_many_arguments)]
async fn lire_televersement(
    gw: &Gateway,
    mut body: Incoming,
    decodeur: &mut soap::StreamingDecoder,
    service: operations::Service,
    ctx: &Contexte<'_>,
    max_octets: u64,
    expect_continue: bool,
    issue: &mut Issue,
) -> FinTeleversement {
    let faute = |issue: &mut Issue, status: StatusCode, version: SoapVersion, fault: soap::Fault| {
        issue.faute(&fault);
        FinTeleversement::Reponse(fault_response(status, version, true, &fault))
    };
    let mut version = SoapVersion::V12;
    let mut envelope: Option<soap::Envelope> = None;
    // The deposit's receptions run on a blocking thread fed through a bounded channel: reading
    // the socket and decoding the package overlap with hashing, checking and encrypting to disk.
    let mut recepteur: Option<Recepteur> = None;
    let mut courant: Option<usize> = None;
    let mut recu: u64 = 0;
    loop {
        let event = match decodeur.next_event() {
            Ok(e) => e,
            Err(e) => {
                let mut fault = e.fault();
                fault.detail = operations::faute(fault.code, fault.reason.clone()).detail;
                if let Some(limite) = e.limit_key() {
                    gw.metrics.refusal(limite);
                }
                return faute(issue, StatusCode::INTERNAL_SERVER_ERROR, version, fault);
            }
        };
        match event {
            soap::Event::NeedMore => match body.frame().await {
                None => decodeur.end_of_input(),
                Some(Err(e)) => {
                    let (statut, message) = match CorpsIllisible::de(&e) {
                        CorpsIllisible::Inactif => {
                            issue.refus(gw, "pieces.delai_televersement_secs");
                            (
                                StatusCode::REQUEST_TIMEOUT,
                                format!(
                                    "Téléversement interrompu : rien reçu depuis {} secondes (limits.idle_timeout_secs) ; la requête entière doit arriver en {} secondes (pieces.delai_televersement_secs).",
                                    gw.limits.idle_timeout_secs,
                                    gw.televersement.delai.as_secs()
                                ),
                            )
                        }
                        CorpsIllisible::Autre(raison) => {
                            (StatusCode::BAD_REQUEST, format!("Corps de requête illisible : {raison}."))
                        }
                    };
                    return faute(issue, statut, version, operations::faute(FaultCode::Sender, message));
                }
                Some(Ok(frame)) => {
                    let Ok(data) = frame.into_data() else { continue };
                    recu += data.len() as u64;
                    if recu > max_octets {
                        issue.refus(gw, "pieces.max_requete_octets");
                        let fault = operations::faute(FaultCode::Sender, trop_gros_flux(max_octets));
                        issue.faute(&fault);
                        let reponse = fault_response(StatusCode::PAYLOAD_TOO_LARGE, version, true, &fault);
                        return FinTeleversement::Reponse(vidanger(gw, body, expect_continue, reponse));
                    }
                    decodeur.push(&data);
                }
            },
            soap::Event::Envelope(env) => {
                version = env.version;
                match operations::preparer_depot(service, &env, ctx, &|e| soap::include_reference(e)).await {
                    Ok(Some(d)) => recepteur = Some(Recepteur::lancer(d)),
                    Ok(None) => {}
                    Err(fault) => return faute(issue, StatusCode::INTERNAL_SERVER_ERROR, version, fault),
                }
                envelope = Some(env);
            }
            soap::Event::PartStart(head) => {
                courant = recepteur.as_mut().and_then(|r| r.destinataire(|x| head.is_named(x)));
                if let (Some(i), Some(r)) = (courant, recepteur.as_mut()) {
                    r.envoyer(Morceau::Debut(i, head.content_type.clone())).await;
                }
            }
            soap::Event::PartData(data) => {
                if let (Some(i), Some(r)) = (courant, recepteur.as_mut()) {
                    r.donnees(i, data).await;
                }
            }
            soap::Event::PartEnd => {
                if let (Some(i), Some(r)) = (courant, recepteur.as_mut()) {
                    r.vider(i).await;
                }
                courant = None;
            }
            soap::Event::End => break,
        }
    }
    let depot = match recepteur {
        Some(r) => match r.terminer().await {
            Some(d) => Some(d),
            None => {
                let fault = operations::faute_inattendue();
                return faute(issue, StatusCode::INTERNAL_SERVER_ERROR, version, fault);
            }
        },
        None => None,
    };
    match envelope {
        Some(env) => FinTeleversement::Lu(env, depot),
        // The decoder gives the envelope before the end, or an error: never neither.
        None => faute(
            issue,
            StatusCode::INTERNAL_SERVER_ERROR,
            version,
            operations::faute(FaultCode::Sender, "Message MTOM sans enveloppe SOAP".into()),
        ),
    }
}

/// What the reading side sends the receiving thread.
enum Morceau {
    /// The part of entry `i` starts, with its Content-Type.
    Debut(usize, Option<String>),
    /// Bytes of entry `i`'s part.
    Donnees(usize, Bytes),
}

/// The thread receiving a deposit's contents. Dropped before [`Recepteur::terminer`] (a refused
/// request), its channel closes, the thread ends and the unfinished blobs go with the deposit.
struct Recepteur {
    tx: tokio::sync::mpsc::Sender<Morceau>,
    fil: tokio::task::JoinHandle<operations::DepotEnCours>,
    /// Entries waiting for a part: (entry, reference), removed once served.
    attendues: Vec<(usize, String)>,
    /// Bytes of the current part gathered before they are sent: one wake-up of the thread per
    /// `LOT` bytes rather than per network frame.
    lot: bytes::BytesMut,
}

/// Bytes gathered per message to the receiving thread.
const LOT: usize = 256 * 1024;

impl Recepteur {
    fn lancer(mut depot: operations::DepotEnCours) -> Recepteur {
        let attendues = depot.references();
        // Two lots in flight: enough to keep both sides busy, little memory.
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Morceau>(2);
        let fil = tokio::task::spawn_blocking(move || {
            // Entries whose content is inline in the envelope first; the parts then come in.
            depot.recevoir_le_message();
            while let Some(m) = rx.blocking_recv() {
                match m {
                    Morceau::Debut(i, ct) => depot.debut_partie(i, ct),
                    Morceau::Donnees(i, data) => depot.recevoir(i, &data),
                }
            }
            depot
        });
        Recepteur { tx, fil, attendues, lot: bytes::BytesMut::with_capacity(LOT) }
    }

    /// Bytes of entry `i`'s part, sent by lots.
    async fn donnees(&mut self, i: usize, data: &[u8]) {
        self.lot.extend_from_slice(data);
        if self.lot.len() >= LOT {
            self.vider(i).await;
        }
    }

    /// Sends what is gathered of entry `i`'s part.
    async fn vider(&mut self, i: usize) {
        if !self.lot.is_empty() {
            let lot = self.lot.split().freeze();
            self.lot.reserve(LOT);
            self.envoyer(Morceau::Donnees(i, lot)).await;
        }
    }

    /// The entry a part named by `matches` serves, taken off the list.
    fn destinataire(&mut self, matches: impl Fn(&str) -> bool) -> Option<usize> {
        let at = self.attendues.iter().position(|(_, r)| matches(r))?;
        Some(self.attendues.remove(at).0)
    }

    async fn envoyer(&self, m: Morceau) {
        // The thread only stops when the channel closes: a failed send cannot happen before.
        let _ = self.tx.send(m).await;
    }

    /// Waits for every chunk to be received; the deposit, or `None` if the thread panicked.
    async fn terminer(self) -> Option<operations::DepotEnCours> {
        drop(self.tx);
        match self.fil.await {
            Ok(d) => Some(d),
            Err(e) => {
                tracing::error!(erreur = %e, "réception de pièces interrompue");
                None
            }
        }
    }
}

/// The byte budget stayed exhausted: 503, with Retry-After.
fn sature(gw: &Gateway, issue: &mut Issue, version: SoapVersion, mtom: bool, e: &Exhausted) -> Reponse {
    let fault =
        operations::faute(FaultCode::Receiver, format!("Passerelle saturée : {e} ; réessayez dans quelques secondes."));
    saturee(gw, issue, e, fault_response(StatusCode::SERVICE_UNAVAILABLE, version, mtom, &fault))
}

/// `reponse` (a 503 saying the byte budget is exhausted), counted and logged, with `Retry-After`.
fn saturee(gw: &Gateway, issue: &mut Issue, e: &Exhausted, mut reponse: Reponse) -> Reponse {
    tracing::warn!(limite = e.limit, "budget d'octets en cours épuisé : 503");
    issue.refus(gw, "limits.max_bytes_in_flight");
    reponse.headers_mut().insert(hyper::header::RETRY_AFTER, HeaderValue::from(e.wait.as_secs().max(1)));
    reponse
}

fn trop_gros_flux(limit: u64) -> String {
    format!(
        "Requête trop volumineuse : le téléversement dépasse la limite configurée de {limit} octets (pieces.max_requete_octets)."
    )
}

enum BodyError {
    TooLarge,
    Budget(Exhausted),
    Read(hyper::Error),
}

/// Reads a body within the size limit, reserving its bytes in the global budget as they come:
/// all at once when the length is declared, chunk by chunk otherwise.
async fn read_body(
    gw: &Gateway,
    body: &mut Incoming,
    declared: Option<usize>,
    reservation: &mut Reservation,
) -> Result<Bytes, BodyError> {
    let max = gw.limits.max_body_bytes;
    if let Some(n) = declared {
        gw.budget.reserve(reservation, n).await.map_err(BodyError::Budget)?;
    }
    let mut buf = BytesMut::with_capacity(declared.unwrap_or(0).min(max));
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(BodyError::Read)?;
        let Ok(data) = frame.into_data() else { continue };
        let len = buf.len() + data.len();
        if len > max {
            return Err(BodyError::TooLarge);
        }
        gw.budget.reserve(reservation, len).await.map_err(BodyError::Budget)?;
        buf.extend_from_slice(&data);
    }
    Ok(buf.freeze())
}

/// Most bytes of a refused body read and thrown away before its 413 is sent. A client that sends
/// its whole body before reading (Python's `requests`, Java's `HttpURLConnection`, zeep, JAX-WS)
/// would otherwise get a reset instead of the answer: closing a socket with unread data resets
/// it, and the reset destroys the answer in the client's buffers. Beyond it the connection is
/// closed after the answer.
pub const VIDANGE_MAX_OCTETS: u64 = 64 << 20;

/// Whether the client waits for `100 Continue` before sending its body (then nothing to drain).
fn attend_100_continue(req: &Request<Incoming>) -> bool {
    header(req, "expect").is_some_and(|v| v.trim().eq_ignore_ascii_case("100-continue"))
}

/// `reponse` (a 413) after the body of `req`, drained as [`vidanger`] says when its declared
/// length is within [`VIDANGE_MAX_OCTETS`].
fn vidanger_puis(gw: &Gateway, req: Request<Incoming>, declare: Option<u64>, reponse: Reponse) -> Reponse {
    if declare.is_some_and(|n| n > VIDANGE_MAX_OCTETS) {
        return fermer_apres(reponse);
    }
    let attend_continue = attend_100_continue(&req);
    vidanger(gw, req.into_body(), attend_continue, reponse)
}

/// Answers `reponse` at once on a connection closed after it, while a task reads and discards
/// what remains of `body` (at most [`VIDANGE_MAX_OCTETS`], within `limits.body_timeout_secs`):
/// a client still sending finds the answer, a client sending nothing gets it without waiting.
/// A client waiting for `100 Continue` has sent nothing: nothing to drain.
fn vidanger(gw: &Gateway, mut body: Incoming, attend_continue: bool, reponse: Reponse) -> Reponse {
    if attend_continue {
        return fermer_apres(reponse);
    }
    let delai = Duration::from_secs(gw.limits.body_timeout_secs);
    tokio::spawn(async move {
        let mut jete: u64 = 0;
        let lecture = async {
            while let Some(Ok(frame)) = body.frame().await {
                if let Ok(data) = frame.into_data() {
                    jete += data.len() as u64;
                    if jete > VIDANGE_MAX_OCTETS {
                        break;
                    }
                }
            }
        };
        let _ = tokio::time::timeout(delai, lecture).await;
    });
    fermer_apres(reponse)
}

/// The answer with `Connection: close`: the request's body was not all read.
fn fermer_apres(mut reponse: Reponse) -> Reponse {
    reponse.headers_mut().insert(hyper::header::CONNECTION, HeaderValue::from_static("close"));
    reponse
}

/// Why a request body could not be read, in French (hyper's reasons are English).
enum CorpsIllisible {
    /// Nothing came for `limits.idle_timeout_secs`: the connection's idle deadline tripped.
    Inactif,
    /// Anything else, said in French.
    Autre(&'static str),
}

impl CorpsIllisible {
    fn de(e: &hyper::Error) -> CorpsIllisible {
        let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
        while let Some(s) = source {
            if s.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut) {
                return CorpsIllisible::Inactif;
            }
            source = s.source();
        }
        CorpsIllisible::Autre(if e.is_incomplete_message() {
            "connexion fermée avant la fin du corps annoncé"
        } else if e.is_parse() {
            "encodage du corps invalide (Transfer-Encoding: chunked mal formé ?)"
        } else if e.is_body_write_aborted() || e.is_canceled() || e.is_closed() {
            "connexion interrompue pendant l'envoi du corps"
        } else {
            "lecture du corps impossible"
        })
    }
}

fn trop_gros(limit: usize) -> String {
    format!(
        "Requête trop volumineuse : le corps dépasse la limite configurée de {limit} octets (limits.max_body_bytes)."
    )
}

fn header(req: &Request<Incoming>, name: &str) -> Option<String> {
    req.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
}

fn fault_response(status: StatusCode, version: SoapVersion, mtom: bool, fault: &soap::Fault) -> Reponse {
    let encoded = soap::encode_fault(version, mtom, fault);
    bytes_response(status, encoded.content_type, encoded.body)
}

fn bytes_response(status: StatusCode, content_type: String, body: Vec<u8>) -> Reponse {
    let mut r = Response::new(plein(body));
    *r.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        r.headers_mut().insert(CONTENT_TYPE, v);
    }
    r
}

fn document_owned(text: String, content_type: &'static str) -> Reponse {
    let mut r = Response::new(plein(text));
    r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

fn texte(status: StatusCode, message: &'static str) -> Reponse {
    let mut r = Response::new(plein(Bytes::from_static(message.as_bytes())));
    *r.status_mut() = status;
    r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    r
}
