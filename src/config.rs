//! Configuration: one typed tree read from a TOML file, turned into ready objects elsewhere.
//!
//! Relative paths in the file are resolved against the file's own directory, so a deployment
//! directory can be moved as a whole. Only the binary decides where the file comes from.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::xml;

/// Everything the gateway needs to run.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Network and storage.
    pub server: ServerSettings,
    /// TLS material.
    pub tls: TlsSettings,
    /// Limits applied to every request.
    #[serde(default)]
    pub limits: LimitSettings,
    /// The counters (guichets) allowed to call, identified by their client certificate.
    #[serde(default, rename = "guichets")]
    pub guichets: Vec<GuichetSettings>,
    /// Perimeters of territories: where their applications may ask for housing.
    #[serde(default)]
    pub territoires: Vec<TerritoireSettings>,
    /// The dossier unique: limits on pieces and the default rules of territories.
    #[serde(default)]
    pub pieces: PiecesSettings,
    /// The multi-criteria search.
    #[serde(default)]
    pub recherche: RechercheSettings,
    /// The web tool (console, applicant portal, exchange view).
    #[serde(default)]
    pub web: WebSettings,
    /// The file these settings were read from (reloads read it again).
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

/// `[server]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// Address to listen on, e.g. `127.0.0.1:8443`.
    pub listen: SocketAddr,
    /// Directory of the sled store.
    pub data_dir: PathBuf,
    /// File holding the master key (64 hex characters); keep it outside `data_dir`.
    pub master_key_file: PathBuf,
    /// Plain-HTTP listener for `/metrics` (Prometheus), `/health` and `/ready`. Keep it on a
    /// loopback or private address: it is not authenticated.
    #[serde(default = "default_metrics_listen")]
    pub metrics_listen: SocketAddr,
    /// The store engine's page cache, in MiB (default: half of the engine's files at start, at
    /// least 32, at most a quarter of the machine's memory): what does not fit is read back from
    /// disk and decoded at each access.
    #[serde(default)]
    pub cache_mo: Option<u64>,
    /// Erasure leaves the erased application's index entries and sealed bytes in the engine's
    /// log until its files are rewritten: after an erasure they are, in the background, at most
    /// once per this many seconds (default 3600; 0: after each erasure). A rewrite copies the
    /// whole store.
    #[serde(default = "default_purge_intervalle_secs")]
    pub purge_intervalle_secs: u64,
    /// Under concurrent requests, a flush of the store waits up to this many milliseconds for
    /// the requests in progress to reach it, so that one sync serves them all (default 10;
    /// 0: never waits). A request alone is never delayed.
    #[serde(default = "default_groupage_ms")]
    pub groupage_ms: u64,
}

fn default_groupage_ms() -> u64 {
    10
}

fn default_purge_intervalle_secs() -> u64 {
    3600
}

impl ServerSettings {
    /// The engine's page cache, in bytes.
    pub fn cache_octets(&self) -> u64 {
        self.cache_mo.map_or_else(|| crate::store::cache_pour(&self.data_dir), |mo| mo.max(16) << 20)
    }
}

fn default_metrics_listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 9464))
}

/// `[tls]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsSettings {
    /// Server certificate chain (PEM).
    pub cert: PathBuf,
    /// Server private key (PEM, PKCS#8).
    pub key: PathBuf,
    /// Certificate authority that issues the counters' client certificates (PEM).
    pub client_ca: PathBuf,
    /// Certificate revocation lists of that authority (PEM); a revoked certificate fails the
    /// handshake. Reloaded with SIGHUP.
    #[serde(default)]
    pub crl: Option<PathBuf>,
}

/// `[limits]`
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitSettings {
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Seconds allowed for the request headers (408 with a fault for the first request).
    pub header_timeout_secs: u64,
    /// Seconds allowed to receive the whole request body.
    pub body_timeout_secs: u64,
    /// Deepest XML nesting accepted.
    pub max_xml_depth: usize,
    /// Most attributes accepted on one XML element.
    pub max_xml_attributes: usize,
    /// Most nodes (elements and texts) in one XML document (envelope or business file).
    pub max_xml_nodes: usize,
    /// Most attributes in one XML document.
    pub max_xml_total_attributes: usize,
    /// Most bytes of character data in one XML document.
    pub max_xml_text_bytes: usize,
    /// Most namespace declarations in one XML document.
    pub max_xml_namespace_declarations: usize,
    /// Most MIME parts accepted in one MTOM request.
    pub max_mime_parts: usize,
    /// Request bytes (bodies being read or decoded) held at once by all requests together.
    pub max_bytes_in_flight: usize,
    /// Seconds a request waits for room in `max_bytes_in_flight` before a 503.
    pub budget_wait_secs: u64,
    /// CPU-heavy jobs (decoding, validation, sealing, PDF) run at once; 0 for one per core.
    pub compute_threads: usize,
    /// Seconds allowed for the TLS handshake.
    pub handshake_timeout_secs: u64,
    /// Seconds without a byte in either direction before a connection is closed.
    pub idle_timeout_secs: u64,
    /// Seconds a blocked write (a client not reading its answer) is allowed.
    pub write_timeout_secs: u64,
    /// Connections without a known counter certificate, in all; past it the oldest is closed.
    pub max_anonymous_connections: usize,
    /// Connections without a known counter certificate from one address; past it the oldest of
    /// that address is closed.
    pub max_anonymous_connections_per_address: usize,
    /// Connections of one counter certificate.
    pub max_connections_per_counter: usize,
    /// Seconds in-flight requests get to finish on SIGTERM/SIGINT.
    pub shutdown_grace_secs: u64,
}

impl LimitSettings {
    /// The XML reader's limits, for the envelope and for the business files it carries.
    pub fn xml(&self) -> xml::Limits {
        xml::Limits {
            max_depth: self.max_xml_depth,
            max_attributes: self.max_xml_attributes,
            max_nodes: self.max_xml_nodes,
            max_total_attributes: self.max_xml_total_attributes,
            max_text_bytes: self.max_xml_text_bytes,
            max_namespace_declarations: self.max_xml_namespace_declarations,
        }
    }
}

impl Default for LimitSettings {
    fn default() -> Self {
        LimitSettings {
            max_body_bytes: 10 * 1024 * 1024,
            header_timeout_secs: 10,
            body_timeout_secs: 60,
            max_xml_depth: xml::Limits::DEFAULT.max_depth,
            max_xml_attributes: xml::Limits::DEFAULT.max_attributes,
            max_xml_nodes: xml::Limits::DEFAULT.max_nodes,
            max_xml_total_attributes: xml::Limits::DEFAULT.max_total_attributes,
            max_xml_text_bytes: xml::Limits::DEFAULT.max_text_bytes,
            max_xml_namespace_declarations: xml::Limits::DEFAULT.max_namespace_declarations,
            max_mime_parts: 16,
            max_bytes_in_flight: 256 * 1024 * 1024,
            budget_wait_secs: 5,
            compute_threads: 0,
            handshake_timeout_secs: 5,
            idle_timeout_secs: 30,
            write_timeout_secs: 30,
            max_anonymous_connections: 512,
            max_anonymous_connections_per_address: 64,
            max_connections_per_counter: 64,
            shutdown_grace_secs: 20,
        }
    }
}

/// `[[territoires]]`: the départements and communes of a territory. Desired communes of its
/// counters' applications must lie inside (anomaly `COM-TERR`); a territory without an entry
/// accepts any existing commune.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TerritoireSettings {
    /// Territory code, 3 characters (as in `guichets.territoire`).
    pub code: String,
    /// Whole départements (`31`, `2A`, `974`).
    #[serde(default)]
    pub departements: Vec<String>,
    /// Single communes (INSEE codes).
    #[serde(default)]
    pub communes: Vec<String>,
    /// The day the territory's dossier unique opens (`AAAA-MM-JJ`); deposits before it are
    /// refused (anomaly `PIE-FERME`). Absent: open.
    #[serde(default)]
    pub pieces_ouverture: Option<String>,
    /// Pieces required at registration, replacing `pieces.enregistrement` for this territory.
    #[serde(default)]
    pub pieces_enregistrement: Option<Vec<String>>,
    /// Pieces required before the allocation committee, replacing `pieces.commission`.
    #[serde(default)]
    pub pieces_commission: Option<Vec<String>>,
    /// Days after registration for the registration pieces, replacing `pieces.delai_depot_jours`.
    #[serde(default)]
    pub pieces_delai_depot_jours: Option<u32>,
}

/// `[recherche]`: the multi-criteria search.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct RechercheSettings {
    /// Most numbers one search returns; beyond, the list is cut (anomaly `RCH-LIMITE`).
    pub max_resultats: usize,
}

impl Default for RechercheSettings {
    fn default() -> Self {
        RechercheSettings { max_resultats: crate::registry::DEFAULT_MAX_RESULTATS }
    }
}

/// `[web]`: the web tool.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct WebSettings {
    /// School mode (`sne-gateway init` sets it): the console's home page is the exchange view
    /// and SOAP envelopes are kept there. Never in production: envelopes are nominative.
    pub ecole: bool,
    /// A console session without a request for this long ends.
    pub session_inactivite_secs: u64,
    /// A console session ends this long after sign-in, whatever its activity.
    pub session_duree_max_secs: u64,
    /// An applicant's session without a request for this long ends.
    pub demandeur_inactivite_secs: u64,
    /// An applicant's session ends this long after sign-in.
    pub demandeur_duree_max_secs: u64,
    /// Failed sign-ins of one account allowed before each further one doubles a wait.
    pub echecs_par_compte: u32,
    /// Failed sign-ins from one address (IPv6: its /64) allowed before waits start.
    pub echecs_par_adresse: u32,
    /// First wait after the free failures (doubled at each further one).
    pub attente_secs: u64,
    /// Longest wait.
    pub attente_max_secs: u64,
    /// SOAP exchanges kept per counter for the exchange view.
    pub echanges_max: usize,
    /// Exchanges older than this are dropped.
    pub echanges_heures: u64,
    /// The applicants' portal as they reach it (`https://.../demandeur/`), printed on the
    /// certificates beside the access code. Unset: `https://localhost:<port>/demandeur/` in school
    /// mode, no address otherwise (`check` warns).
    pub adresse_portail: Option<String>,
}

impl Default for WebSettings {
    fn default() -> Self {
        WebSettings {
            ecole: false,
            session_inactivite_secs: 15 * 60,
            session_duree_max_secs: 8 * 3600,
            demandeur_inactivite_secs: 10 * 60,
            demandeur_duree_max_secs: 3600,
            echecs_par_compte: 5,
            echecs_par_adresse: 30,
            attente_secs: 60,
            attente_max_secs: 3600,
            echanges_max: 200,
            echanges_heures: 72,
            adresse_portail: None,
        }
    }
}

impl WebSettings {
    /// The web tool's settings as it takes them.
    pub fn reglages(&self) -> crate::web::Reglages {
        use std::time::Duration;
        let seuils = |gratuites| crate::web::Seuils {
            gratuites,
            attente: Duration::from_secs(self.attente_secs.max(1)),
            attente_max: Duration::from_secs(self.attente_max_secs.max(self.attente_secs.max(1))),
        };
        crate::web::Reglages {
            console: crate::web::Durees {
                inactivite: Duration::from_secs(self.session_inactivite_secs.max(1)),
                maximum: Duration::from_secs(self.session_duree_max_secs.max(1)),
            },
            demandeur: crate::web::Durees {
                inactivite: Duration::from_secs(self.demandeur_inactivite_secs.max(1)),
                maximum: Duration::from_secs(self.demandeur_duree_max_secs.max(1)),
            },
            par_compte: seuils(self.echecs_par_compte),
            par_adresse: seuils(self.echecs_par_adresse),
            echanges: crate::web::Retention {
                nombre: self.echanges_max,
                age: Duration::from_secs(self.echanges_heures.saturating_mul(3600)),
                enveloppes: self.ecole,
            },
            ecole: self.ecole,
        }
    }
}

/// `[pieces]`: the dossier unique.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct PiecesSettings {
    /// Largest piece, in bytes (anomaly `PIE-TAILLE` beyond).
    pub taille_max_octets: u64,
    /// Most pieces on one application (`PIE-NOMBRE`).
    pub max_par_demande: usize,
    /// Most entries in one `deposerLotPieces` (fault beyond).
    pub max_par_lot: usize,
    /// Decompressed bytes the PDF check may scan in one piece (`PIE-ACTIF` beyond).
    pub max_inflation_octets: u64,
    /// Largest streamed (MTOM) request of the document service, all its parts together.
    pub max_requete_octets: u64,
    /// Seconds to receive a streamed request of the document service.
    pub delai_televersement_secs: u64,
    /// Days after registration by which the registration pieces are expected.
    pub delai_depot_jours: u32,
    /// Pieces required at registration: one entry per piece, alternatives joined by `|`.
    pub enregistrement: Vec<String>,
    /// Pieces required before the allocation committee.
    pub commission: Vec<String>,
}

impl Default for PiecesSettings {
    fn default() -> Self {
        let limites = crate::registry::pieces::LimitesPieces::default();
        let regle = crate::registry::pieces::RegleTerritoire::default();
        let texte = |e: &[crate::registry::pieces::Exigence]| e.iter().map(|x| x.categories.join("|")).collect();
        PiecesSettings {
            taille_max_octets: limites.taille_max,
            max_par_demande: limites.max_par_demande,
            max_par_lot: limites.max_par_lot,
            max_inflation_octets: limites.max_inflation,
            max_requete_octets: 512 << 20,
            delai_televersement_secs: 600,
            delai_depot_jours: regle.delai_depot_jours,
            enregistrement: texte(&regle.enregistrement),
            commission: texte(&regle.commission),
        }
    }
}

fn exigences(liste: &[String]) -> Vec<crate::registry::pieces::Exigence> {
    liste
        .iter()
        .map(|e| crate::registry::pieces::Exigence {
            categories: e.split('|').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect(),
        })
        .collect()
}

fn jour(texte: &str) -> Option<time::Date> {
    time::Date::parse(texte.trim(), time::macros::format_description!("[year]-[month]-[day]")).ok()
}

/// `[[guichets]]`: one counter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuichetSettings {
    /// Counter code, 5 letters or digits (the last 5 characters of its registration numbers).
    pub code: String,
    /// Territory code, 3 characters.
    pub territoire: String,
    /// Human-readable name, printed on certificates.
    pub nom: String,
    /// What the identity may do: `guichet` (default, a registering counter),
    /// `consultant_simple`, `consultant_demande`, `consultant_sensible` (read pieces, CONTRACT.md
    /// §6) or `prestataire` (a scanning provider: deposits pieces only).
    #[serde(default = "profil_guichet")]
    pub profil: String,
    /// More territories a `prestataire` deposits in, besides `territoire`.
    #[serde(default)]
    pub territoires: Vec<String>,
    /// SHA-256 fingerprint (hex, colons allowed) of the counter's client certificate.
    #[serde(default)]
    pub empreinte: Option<String>,
    /// More fingerprints of the same counter: while a certificate is renewed, the old and the
    /// new one are both accepted.
    #[serde(default)]
    pub empreintes: Vec<String>,
    /// The whole counter is revoked: every certificate of it is refused before any operation.
    #[serde(default)]
    pub revoque: bool,
    /// Fingerprints of this counter that are refused (one certificate revoked, the others kept).
    #[serde(default)]
    pub empreintes_revoquees: Vec<String>,
    /// Rate limit: requests per second on average (none when absent).
    #[serde(default)]
    pub requetes_par_seconde: Option<f64>,
    /// Rate limit: burst size (default: the rate, rounded up, at least 1).
    #[serde(default)]
    pub rafale: Option<u32>,
}

fn profil_guichet() -> String {
    "guichet".into()
}

/// A fingerprint as operators write it (`AB:CD:...` from openssl, or plain hex), normalised to
/// lower-case hex without separators.
pub fn normalise_empreinte(e: &str) -> String {
    e.trim().chars().filter(|c| *c != ':').collect::<String>().to_ascii_lowercase()
}

impl GuichetSettings {
    /// Every fingerprint of the counter, normalised, with whether it is revoked.
    pub fn empreintes(&self) -> Vec<(String, bool)> {
        let revoquees: Vec<String> = self.empreintes_revoquees.iter().map(|e| normalise_empreinte(e)).collect();
        let mut out: Vec<(String, bool)> = Vec::new();
        for e in self.empreinte.iter().chain(&self.empreintes).chain(&self.empreintes_revoquees) {
            let e = normalise_empreinte(e);
            if !out.iter().any(|(x, _)| *x == e) {
                let revoque = self.revoque || revoquees.contains(&e);
                out.push((e, revoque));
            }
        }
        out
    }

    /// The identity this block describes.
    pub fn guichet(&self) -> Result<crate::registry::Guichet, crate::registry::IdentifiantError> {
        use crate::registry::{CodeGuichet, Consultation, Profil, Territoire};
        let profil = match self.profil.as_str() {
            "consultant_simple" => Profil::Consultant(Consultation::Simple),
            "consultant_demande" => Profil::Consultant(Consultation::Demande),
            "consultant_sensible" => Profil::Consultant(Consultation::Sensible),
            "prestataire" => Profil::Prestataire {
                autres_territoires: self.territoires.iter().map(|t| Territoire::parse(t)).collect::<Result<_, _>>()?,
            },
            _ => Profil::Guichet,
        };
        Ok(crate::registry::Guichet {
            code: CodeGuichet::parse(&self.code)?,
            territoire: Territoire::parse(&self.territoire)?,
            nom: self.nom.clone(),
            profil,
        })
    }

    /// The counter's rate limit, if it has one: (requests per second, burst).
    pub fn debit(&self) -> Option<(f64, u32)> {
        let rate = self.requetes_par_seconde?;
        let burst = self.rafale.unwrap_or_else(|| rate.ceil().max(1.0) as u32).max(1);
        Some((rate, burst))
    }
}

/// Why a configuration was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("lecture de la configuration {} : {}", path.display(), crate::text::erreur_io(cause))]
    Read {
        /// File.
        path: PathBuf,
        /// Cause.
        cause: std::io::Error,
    },
    /// The TOML did not match the expected tree.
    #[error("configuration {} invalide : {message}", path.display())]
    Parse {
        /// File.
        path: PathBuf,
        /// What the parser said.
        message: String,
    },
    /// Values out of their domain: every problem, one per line.
    #[error("configuration invalide :\n  - {0}")]
    Invalid(String),
}

impl Settings {
    /// Reads and checks a configuration file; relative paths become relative to its directory.
    pub fn load(path: &Path) -> Result<Settings, ConfigError> {
        let settings = Settings::load_unchecked(path)?;
        settings.check()?;
        Ok(settings)
    }

    /// Reads a configuration file without checking its values (`check` lists them with the
    /// problems of the files it names).
    pub fn load_unchecked(path: &Path) -> Result<Settings, ConfigError> {
        let text =
            std::fs::read_to_string(path).map_err(|cause| ConfigError::Read { path: path.to_path_buf(), cause })?;
        let mut settings: Settings = toml::from_str(&text)
            .map_err(|e| ConfigError::Parse { path: path.to_path_buf(), message: en_francais(&e, &text) })?;
        let base = path.parent().unwrap_or(Path::new("."));
        settings.resolve_paths(base);
        settings.source = Some(path.to_path_buf());
        Ok(settings)
    }

    fn resolve_paths(&mut self, base: &Path) {
        for p in [
            &mut self.server.data_dir,
            &mut self.server.master_key_file,
            &mut self.tls.cert,
            &mut self.tls.key,
            &mut self.tls.client_ca,
        ] {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        }
        if let Some(p) = self.tls.crl.as_mut() {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        }
    }

    /// Checks values that the types alone do not constrain.
    pub fn check(&self) -> Result<(), ConfigError> {
        let problems = self.problems();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigError::Invalid(problems.join("\n  - ")))
        }
    }

    /// The rules of the dossier unique: limits, defaults, and each territory's own.
    pub fn regles_pieces(&self) -> crate::registry::pieces::ReglesPieces {
        use crate::registry::pieces::{LimitesPieces, RegleTerritoire};
        let p = &self.pieces;
        let defaut = RegleTerritoire {
            ouverture: None,
            enregistrement: exigences(&p.enregistrement),
            commission: exigences(&p.commission),
            delai_depot_jours: p.delai_depot_jours,
        };
        let territoires = self
            .territoires
            .iter()
            .map(|t| {
                let regle = RegleTerritoire {
                    ouverture: t.pieces_ouverture.as_deref().and_then(jour),
                    enregistrement: t
                        .pieces_enregistrement
                        .as_deref()
                        .map(exigences)
                        .unwrap_or(defaut.enregistrement.clone()),
                    commission: t.pieces_commission.as_deref().map(exigences).unwrap_or(defaut.commission.clone()),
                    delai_depot_jours: t.pieces_delai_depot_jours.unwrap_or(defaut.delai_depot_jours),
                };
                (t.code.clone(), regle)
            })
            .collect();
        crate::registry::pieces::ReglesPieces {
            limites: LimitesPieces {
                taille_max: p.taille_max_octets,
                max_par_demande: p.max_par_demande,
                max_par_lot: p.max_par_lot,
                max_inflation: p.max_inflation_octets,
            },
            defaut,
            territoires,
        }
    }

    fn problemes_pieces(&self, out: &mut Vec<String>) {
        let p = &self.pieces;
        for (cle, v) in [
            ("recherche.max_resultats", self.recherche.max_resultats as u64),
            ("pieces.taille_max_octets", p.taille_max_octets),
            ("pieces.max_par_demande", p.max_par_demande as u64),
            ("pieces.max_par_lot", p.max_par_lot as u64),
            ("pieces.max_inflation_octets", p.max_inflation_octets),
            ("pieces.max_requete_octets", p.max_requete_octets),
            ("pieces.delai_televersement_secs", p.delai_televersement_secs),
        ] {
            if v == 0 {
                out.push(format!("{cle} : une valeur positive est attendue"));
            }
        }
        let mut verifier = |cle: String, liste: &[String]| {
            for e in liste {
                let cats: Vec<&str> = e.split('|').map(str::trim).collect();
                if cats.iter().any(|c| c.is_empty()) {
                    out.push(format!("{cle} : entrée {e:?} vide ou mal formée (CATEGORIE ou A|B)"));
                }
                for c in cats.iter().filter(|c| !c.is_empty()) {
                    if crate::contract::piece::categorie(c).is_none() {
                        out.push(format!("{cle} : catégorie de pièce inconnue {c:?} (voir le tableau des catégories)"));
                    }
                }
            }
        };
        verifier("pieces.enregistrement".into(), &p.enregistrement);
        verifier("pieces.commission".into(), &p.commission);
        for t in &self.territoires {
            if let Some(l) = &t.pieces_enregistrement {
                verifier(format!("territoires.{}.pieces_enregistrement", t.code), l);
            }
            if let Some(l) = &t.pieces_commission {
                verifier(format!("territoires.{}.pieces_commission", t.code), l);
            }
        }
        for t in &self.territoires {
            if let Some(o) = t.pieces_ouverture.as_deref().filter(|o| jour(o).is_none()) {
                out.push(format!("territoires.{}.pieces_ouverture : {o:?} n'est pas une date AAAA-MM-JJ", t.code));
            }
        }
    }

    /// Every problem of the configuration, each naming its key, in French.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(a) = &self.web.adresse_portail {
            let sure = a.starts_with("https://")
                && a.len() <= 200
                && a.chars().all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '<' | '>' | '\\' | '`'));
            if !sure {
                out.push(format!(
                    "web.adresse_portail : {:?} n'est pas une adresse https:// (200 caractères au plus, sans espace)",
                    crate::text::extrait(a, 60)
                ));
            }
        }
        self.problemes_pieces(&mut out);
        for (i, t) in self.territoires.iter().enumerate() {
            if self.territoires[..i].iter().any(|o| o.code == t.code) {
                out.push(format!("territoires : le territoire {:?} est défini deux fois", t.code));
            }
            let regles_seules = t.pieces_ouverture.is_some()
                || t.pieces_enregistrement.is_some()
                || t.pieces_commission.is_some()
                || t.pieces_delai_depot_jours.is_some();
            if t.departements.is_empty() && t.communes.is_empty() && !regles_seules {
                out.push(format!(
                    "territoires.{} : ni département ni commune (departements = [\"31\"], communes = [...])",
                    t.code
                ));
            }
            for d in &t.departements {
                if !crate::registry::geographie::departement_existe(d) {
                    out.push(format!("territoires.{}.departements : {d:?} n'est pas un département", t.code));
                }
            }
            for c in &t.communes {
                if crate::registry::geographie::commune(c).is_none() {
                    out.push(format!("territoires.{}.communes : {c:?} n'est pas un code de commune INSEE", t.code));
                }
            }
        }
        let l = &self.limits;
        for (name, v) in [
            ("limits.max_body_bytes", l.max_body_bytes),
            ("limits.max_xml_depth", l.max_xml_depth),
            ("limits.max_xml_attributes", l.max_xml_attributes),
            ("limits.max_xml_nodes", l.max_xml_nodes),
            ("limits.max_xml_total_attributes", l.max_xml_total_attributes),
            ("limits.max_xml_text_bytes", l.max_xml_text_bytes),
            ("limits.max_xml_namespace_declarations", l.max_xml_namespace_declarations),
            ("limits.max_mime_parts", l.max_mime_parts),
            ("limits.header_timeout_secs", l.header_timeout_secs as usize),
            ("limits.body_timeout_secs", l.body_timeout_secs as usize),
            ("limits.max_bytes_in_flight", l.max_bytes_in_flight),
            ("limits.handshake_timeout_secs", l.handshake_timeout_secs as usize),
            ("limits.idle_timeout_secs", l.idle_timeout_secs as usize),
            ("limits.write_timeout_secs", l.write_timeout_secs as usize),
            ("limits.max_anonymous_connections", l.max_anonymous_connections),
            ("limits.max_anonymous_connections_per_address", l.max_anonymous_connections_per_address),
            ("limits.max_connections_per_counter", l.max_connections_per_counter),
        ] {
            if v == 0 {
                out.push(format!("{name} doit être supérieur à 0"));
            }
        }
        if l.max_bytes_in_flight < l.max_body_bytes {
            out.push(format!(
                "limits.max_bytes_in_flight ({}) doit être au moins limits.max_body_bytes ({}) : sinon un corps autorisé ne pourrait jamais être lu",
                l.max_bytes_in_flight, l.max_body_bytes
            ));
        }
        if key_inside_data_dir(&self.server.master_key_file, &self.server.data_dir) {
            out.push(format!(
                "server.master_key_file ({}) doit être hors de server.data_dir ({}) : une copie des données ne doit pas emporter la clé qui les ouvre",
                self.server.master_key_file.display(),
                self.server.data_dir.display()
            ));
        }
        let mut codes = std::collections::HashSet::new();
        let mut vues = std::collections::HashSet::new();
        for g in &self.guichets {
            if g.code.len() != 5 || !g.code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
                out.push(format!("guichets.code {:?} : 5 lettres majuscules ou chiffres attendus", g.code));
            }
            if g.territoire.len() != 3 || !g.territoire.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
                out.push(format!(
                    "guichets.territoire {:?} (guichet {}) : 3 lettres majuscules ou chiffres attendus",
                    g.territoire, g.code
                ));
            }
            if !crate::registry::Profil::NOMS.contains(&g.profil.as_str()) {
                out.push(format!(
                    "guichets.profil {:?} (guichet {}) : profil inconnu ; profils : {}",
                    g.profil,
                    g.code,
                    crate::registry::Profil::NOMS.join(", ")
                ));
            }
            if !g.territoires.is_empty() && g.profil != "prestataire" {
                out.push(format!(
                    "guichets.territoires (guichet {}) : seul un prestataire de numérisation sert plusieurs territoires",
                    g.code
                ));
            }
            for t in &g.territoires {
                if t.len() != 3 || !t.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
                    out.push(format!(
                        "guichets.territoires {t:?} (guichet {}) : 3 lettres majuscules ou chiffres attendus",
                        g.code
                    ));
                }
            }
            if !codes.insert(g.code.clone()) {
                out.push(format!("guichets.code : le guichet {} est déclaré deux fois", g.code));
            }
            let empreintes = g.empreintes();
            if empreintes.is_empty() {
                out.push(format!("guichets.empreinte : le guichet {} n'a aucune empreinte de certificat", g.code));
            }
            for (e, _) in &empreintes {
                if e.len() != 64 || !e.chars().all(|c| c.is_ascii_hexdigit()) {
                    out.push(format!(
                        "guichets.empreinte (guichet {}) : une empreinte SHA-256 s'écrit en 64 caractères hexadécimaux, deux-points permis",
                        g.code
                    ));
                } else if !vues.insert(e.clone()) {
                    out.push(format!(
                        "guichets.empreinte (guichet {}) : empreinte déjà déclarée pour un autre guichet",
                        g.code
                    ));
                }
            }
            if let Some(rate) = g.requetes_par_seconde {
                if !(rate.is_finite() && rate > 0.0) {
                    out.push(format!(
                        "guichets.requetes_par_seconde (guichet {}) : un nombre positif est attendu",
                        g.code
                    ));
                }
            }
        }
        out
    }
}

/// A TOML or schema error in French, with its line: the parser's own words are English, and an
/// operator reads this. The names quoted are the file's keys and values.
fn en_francais(e: &toml::de::Error, text: &str) -> String {
    let line = e.span().map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
    let m = e.message();
    let quoted: Vec<&str> = m.split('`').skip(1).step_by(2).collect();
    let what = if m.starts_with("unknown field") {
        let attendues = quoted.get(1..).map(|q| q.join(", ")).unwrap_or_default();
        format!("clé inconnue « {} » (clés possibles : {attendues})", quoted.first().unwrap_or(&"?"))
    } else if m.starts_with("missing field") {
        format!("clé obligatoire « {} » absente", quoted.first().unwrap_or(&"?"))
    } else if m.starts_with("duplicate key") || m.contains("duplicate") {
        "clé déclarée deux fois".to_string()
    } else if m.starts_with("invalid type") {
        let attendu = m.rsplit("expected ").next().unwrap_or("?");
        format!("type de valeur inattendu (attendu : {})", traduire_type(attendu))
    } else if m.contains("invalid socket address") || m.contains("invalid IP") {
        "adresse invalide (attendu IP:port, par exemple 127.0.0.1:8443)".to_string()
    } else if m.starts_with("invalid value") {
        let attendu = m.rsplit("expected ").next().unwrap_or("?");
        format!("valeur invalide (attendu : {})", traduire_type(attendu))
    } else {
        "syntaxe TOML invalide".to_string()
    };
    match line {
        Some(l) => format!("ligne {l} : {what}"),
        None => what,
    }
}

fn traduire_type(t: &str) -> String {
    let t = t.trim();
    if t.contains("integer") {
        "un nombre entier".into()
    } else if t.contains("string") || t.contains("path") {
        "une chaîne entre guillemets".into()
    } else if t.contains("bool") {
        "true ou false".into()
    } else if t.contains("sequence") {
        "une liste [ ... ]".into()
    } else if t.contains("float") {
        "un nombre".into()
    } else {
        "une autre forme de valeur".into()
    }
}

/// Compares real paths where they exist (symlinks, `..`), lexical ones otherwise.
fn key_inside_data_dir(key: &Path, data_dir: &Path) -> bool {
    let real = |p: &Path| {
        p.canonicalize().unwrap_or_else(|_| {
            // A file not created yet: resolve its existing parent.
            match (p.parent().and_then(|d| d.canonicalize().ok()), p.file_name()) {
                (Some(d), Some(n)) => d.join(n),
                _ => p.to_path_buf(),
            }
        })
    };
    real(key).starts_with(real(data_dir))
}

impl Settings {
    /// The perimeters of the configured territories, as the registry checks them.
    pub fn perimetres(&self) -> crate::registry::geographie::Territoires {
        let mut out = crate::registry::geographie::Territoires::default();
        // A block holding only document rules leaves the territory's geography open.
        for t in self.territoires.iter().filter(|t| !t.departements.is_empty() || !t.communes.is_empty()) {
            out.definir(
                &t.code,
                crate::registry::geographie::Perimetre {
                    departements: t.departements.iter().cloned().collect(),
                    communes: t.communes.iter().cloned().collect(),
                },
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_configuration_parses_and_documents_the_default_limits() {
        let text = include_str!("../config.example.toml");
        let settings: Settings = toml::from_str(text).expect("config.example.toml");
        assert_eq!(
            settings.limits,
            LimitSettings::default(),
            "config.example.toml et les valeurs par défaut divergent"
        );
        assert_eq!(
            settings.pieces,
            PiecesSettings::default(),
            "[pieces] de config.example.toml et les défauts divergent"
        );
        assert!(settings.problems().iter().all(|p| p.contains("master_key_file")), "{:?}", settings.problems());
        let regles = settings.regles_pieces();
        assert_eq!(regles.regle("111").ouverture, Some(time::macros::date!(2015 - 10 - 01)));
        assert_eq!(regles.regle("999").ouverture, None);
    }

    #[test]
    fn unknown_profiles_and_piece_categories_are_named() {
        let mut s: Settings = toml::from_str(MINIMAL).unwrap();
        s.guichets[0].profil = "administrateur".into();
        s.guichets[0].territoires = vec!["222".into()];
        s.pieces.commission = vec!["AVISIMPOT|FICHE".into()];
        s.pieces.taille_max_octets = 0;
        let p = s.problems().join("\n");
        for attendu in
            ["guichets.profil \"administrateur\"", "seul un prestataire", "\"FICHE\"", "pieces.taille_max_octets"]
        {
            assert!(p.contains(attendu), "{attendu} absent de :\n{p}");
        }
    }

    const MINIMAL: &str = r#"
[server]
listen = "127.0.0.1:8443"
data_dir = "data"
master_key_file = "/etc/sne/master.key"
[tls]
cert = "pki/server.pem"
key = "pki/server.key"
client_ca = "pki/ca.pem"
[[guichets]]
code = "G1104"
territoire = "111"
nom = "Guichet 1"
empreinte = "0000000000000000000000000000000000000000000000000000000000000000"
"#;

    #[test]
    fn resolves_relative_paths_against_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, MINIMAL).unwrap();
        let s = Settings::load(&path).unwrap();
        assert_eq!(s.server.data_dir, dir.path().join("data"));
        assert_eq!(s.server.master_key_file, PathBuf::from("/etc/sne/master.key"));
        assert_eq!(s.limits.max_xml_depth, 64);
    }

    #[test]
    fn refuses_a_master_key_inside_the_data_directory() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, MINIMAL.replace("/etc/sne/master.key", "data/../data/master.key")).unwrap();
        let err = Settings::load(&path).unwrap_err().to_string();
        assert!(err.contains("hors de server.data_dir"), "{err}");
    }

    #[test]
    fn refuses_unknown_keys_and_bad_counters() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, format!("{MINIMAL}\n[extra]\nx=1\n")).unwrap();
        assert!(matches!(Settings::load(&path), Err(ConfigError::Parse { .. })));
        std::fs::write(&path, MINIMAL.replace("G1104", "G11")).unwrap();
        let err = Settings::load(&path).unwrap_err().to_string();
        assert!(err.contains("5 lettres"), "{err}");
    }

    #[test]
    fn every_problem_is_reported_in_french_with_its_key_or_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        let french = |text: String| {
            std::fs::write(&path, text).unwrap();
            Settings::load(&path).unwrap_err().to_string()
        };
        let err = french(MINIMAL.replace("[server]", "[server]\nlisten_typo = 1"));
        assert!(err.contains("clé inconnue « listen_typo »") && err.contains("ligne 3"), "{err}");
        assert!(!err.contains("unknown field") && !err.contains("expected"), "{err}");
        let err = french(MINIMAL.replace("\"127.0.0.1:8443\"", "8443"));
        assert!(err.contains("type de valeur inattendu") || err.contains("adresse invalide"), "{err}");
        // Value problems: all of them at once, each with its key.
        let text = MINIMAL.replace("G1104", "g1104") + "\n[limits]\nmax_body_bytes = 0\nidle_timeout_secs = 0\n";
        let err = french(text);
        for needle in ["guichets.code \"g1104\"", "limits.max_body_bytes", "limits.idle_timeout_secs"] {
            assert!(err.contains(needle), "{needle} absent : {err}");
        }
        // A fingerprint written the way openssl prints it is accepted.
        let colons = "AB:".repeat(31) + "AB";
        std::fs::write(&path, MINIMAL.replace(&"0".repeat(64), &colons)).unwrap();
        let settings = Settings::load(&path).unwrap();
        assert_eq!(settings.guichets[0].empreintes()[0].0, "ab".repeat(32));
    }
}
