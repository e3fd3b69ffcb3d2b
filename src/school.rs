//! School mode: a complete test deployment generated on first start (test PKI, master key,
//! configuration with two test counters), so a newcomer can call the gateway in one command.

use std::path::{Path, PathBuf};

use crate::pki::{self, SchoolPki};
use crate::registry::{Horloge, HorlogeSysteme};
use crate::store::{droits, MasterKey};

/// The two test counters of school mode: code, territory, name.
pub const GUICHETS_ECOLE: [(&str, &str, &str); 2] =
    [("G1104", "111", "Guichet école 1"), ("G2201", "222", "Guichet école 2")];

/// The other test identities of school mode, one per profile of the document service: code,
/// territory, name, profile, more territories.
pub const IDENTITES_ECOLE: [(&str, &str, &str, &str, &str); 4] = [
    ("C1101", "111", "Service instructeur école (consultant simple)", "consultant_simple", ""),
    ("C1102", "111", "Service instructeur école (consultant demande)", "consultant_demande", ""),
    ("C1103", "111", "Service instructeur école (consultant sensible)", "consultant_sensible", ""),
    ("P0001", "111", "Prestataire de numérisation école", "prestataire", "222"),
];

/// The school territories: 111 is Haute-Garonne (the examples ask for Toulouse), 222 Gironde,
/// with the day their dossier unique opened (a pilot département first, the other in a later
/// phase).
const TERRITOIRES_ECOLE: [(&str, &str, &str); 2] = [("111", "31", "2015-10-01"), ("222", "33", "2016-04-01")];

/// The school's console agents: one per test identity that may use the console (counters and
/// consultants), login = the code in lower case, passwords generated once and kept beside the
/// configuration (`agents-ecole.txt`, readable by the owner only) so that each start can print
/// them.
pub const AGENTS_FILE: &str = "agents-ecole.txt";

/// A school agent: login, identity code, name, password.
#[derive(Debug, Clone)]
pub struct AgentEcole {
    /// Login.
    pub login: String,
    /// Code of the identity it acts as.
    pub code: &'static str,
    /// Name shown in the console.
    pub nom: String,
    /// Its password (test credentials).
    pub mot_de_passe: String,
}

/// The school's agents, their passwords read from `dir` or generated and written there.
pub fn agents_ecole(dir: &Path) -> Result<Vec<AgentEcole>, SchoolError> {
    let chemin = dir.join(AGENTS_FILE);
    let lus: std::collections::HashMap<String, String> = std::fs::read_to_string(&chemin)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('\t').map(|(a, b)| (a.to_string(), b.trim().to_string())))
        .collect();
    let identites = GUICHETS_ECOLE
        .iter()
        .map(|(c, _, n)| (*c, *n))
        .chain(IDENTITES_ECOLE.iter().filter(|(_, _, _, p, _)| *p != "prestataire").map(|(c, _, n, _, _)| (*c, *n)));
    let agents: Vec<AgentEcole> = identites
        .map(|(code, nom)| {
            let login = code.to_ascii_lowercase();
            let mot_de_passe = lus.get(&login).cloned().unwrap_or_else(crate::registry::agents::mot_de_passe_aleatoire);
            AgentEcole { login, code, nom: format!("Agent {nom}"), mot_de_passe }
        })
        .collect();
    let texte: String = agents.iter().map(|a| format!("{}\t{}\n", a.login, a.mot_de_passe)).collect();
    if std::fs::read_to_string(&chemin).ok().as_deref() != Some(texte.as_str()) {
        droits::ecrire_fichier(&chemin, texte.as_bytes()).map_err(|e| SchoolError::Io(chemin.clone(), e))?;
    }
    Ok(agents)
}

/// Name of the configuration file inside a school directory.
pub const CONFIG_FILE: &str = "sne-gateway.toml";

/// A request registering the fixture application, as deployed clients send it (MTOM).
const EXEMPLE_CORPS: &[u8] = include_bytes!("../fixtures/mtom/crlf_8bit.body");
const EXEMPLE_ENTETES: &str = include_str!("../fixtures/mtom/crlf_8bit.headers");

/// What `init` produced.
pub struct SchoolSetup {
    /// The configuration file written.
    pub config: PathBuf,
    /// The test PKI.
    pub pki: SchoolPki,
    /// The master key file (outside the data directory).
    pub master_key: PathBuf,
    /// A ready request body for `curl --data-binary`.
    pub exemple: PathBuf,
}

/// Why school mode could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum SchoolError {
    /// File system.
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    /// PKI generation.
    #[error(transparent)]
    Pki(#[from] pki::PkiError),
    /// Master key.
    #[error(transparent)]
    Key(#[from] crate::store::StoreError),
}

/// Where the master key of a school directory lives: beside it, never inside it, so that a
/// copy of the data directory alone does not carry the key that opens it.
pub fn master_key_path(dir: &Path) -> PathBuf {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "sne-data".into());
    dir.parent().unwrap_or(Path::new(".")).join(format!("{name}-master.key"))
}

/// Creates a school deployment in `dir` listening on `listen`.
pub fn init(dir: &Path, listen: &str) -> Result<SchoolSetup, SchoolError> {
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |e| SchoolError::Io(p, e)
    };
    droits::creer_repertoire(dir).map_err(io(dir))?;
    let counters: Vec<(&str, &str)> = GUICHETS_ECOLE
        .iter()
        .map(|(c, _, n)| (*c, *n))
        .chain(IDENTITES_ECOLE.iter().map(|(c, _, n, _, _)| (*c, *n)))
        .collect();
    let pki = pki::write_school_pki(&dir.join("pki"), &counters)?;
    let master_key = master_key_path(dir);
    MasterKey::load_or_generate(&master_key)?;
    let key_name = master_key.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // Several school gateways on one machine (tests) each take a free metrics port.
    let metrics = if listen.ends_with(":0") { "127.0.0.1:0" } else { "127.0.0.1:9464" };
    let mut config = format!(
        "# Configuration école générée par `sne-gateway init` : certificats de test, ne pas utiliser en production.\n\
         [server]\nlisten = \"{listen}\"\nmetrics_listen = \"{metrics}\"\ndata_dir = \"db\"\nmaster_key_file = \"../{key_name}\"\n\n\
         [tls]\ncert = \"pki/server.pem\"\nkey = \"pki/server.key\"\nclient_ca = \"pki/ca.pem\"\n\n\
         [web]\necole = true\n"
    );
    for (code, territoire, nom) in GUICHETS_ECOLE {
        let empreinte = pki.clients.iter().find(|c| c.code == code).map(|c| c.fingerprint.clone()).unwrap_or_default();
        config.push_str(&format!(
            "\n[[guichets]]\ncode = \"{code}\"\nterritoire = \"{territoire}\"\nnom = \"{nom}\"\nempreinte = \"{empreinte}\"\n"
        ));
    }
    for (code, territoire, nom, profil, autres) in IDENTITES_ECOLE {
        let empreinte = pki.clients.iter().find(|c| c.code == code).map(|c| c.fingerprint.clone()).unwrap_or_default();
        let autres = if autres.is_empty() { String::new() } else { format!("territoires = [\"{autres}\"]\n") };
        config.push_str(&format!(
            "\n[[guichets]]\ncode = \"{code}\"\nterritoire = \"{territoire}\"\nnom = \"{nom}\"\nprofil = \"{profil}\"\n{autres}empreinte = \"{empreinte}\"\n"
        ));
    }
    for (code, departement, ouverture) in TERRITOIRES_ECOLE {
        config.push_str(&format!(
            "\n[[territoires]]\ncode = \"{code}\"\ndepartements = [\"{departement}\"]\npieces_ouverture = \"{ouverture}\"\n"
        ));
    }
    let config_path = dir.join(CONFIG_FILE);
    droits::ecrire_fichier(&config_path, config.as_bytes()).map_err(io(&config_path))?;
    let exemple = ecrire_exemple(dir, HorlogeSysteme.aujourd_hui())?;
    agents_ecole(dir)?;
    Ok(SchoolSetup { config: config_path, pki, master_key, exemple })
}

/// The example request filed on `jour`: the registry refuses filing dates in the future, and
/// counters have a month to register, so a fixed date would make the example fail some day.
/// Dates keep their length, so the MIME framing is untouched. `reference` is its `refInterne`:
/// the same reference sent again is a retry (the same number, a new access code).
pub fn exemple_corps(jour: time::Date, reference: &str) -> Vec<u8> {
    let texte = dater(&String::from_utf8_lossy(EXEMPLE_CORPS), jour);
    let balise = |r: &str| format!("<ns2:refInterne>{r}</ns2:refInterne>");
    texte.replace(&balise(REFERENCE_FIXTURE), &balise(reference)).into_bytes()
}

/// `refInterne` of the checked-in example.
const REFERENCE_FIXTURE: &str = "ECOLE-MTOM-01";

/// `refInterne` of the file the printed curl line sends: running it again is a retry.
pub const REFERENCE_CURL: &str = "ECOLE-CURL-01";

/// A `refInterne` of its own for each `sne-gateway exemple` run (18 characters, the schema's
/// most): each run registers a new application, and never retries the curl line's.
pub fn reference_exemple() -> String {
    format!("EX{:016X}", rand::random::<u64>())
}

/// An application file (or a message carrying it as text) moved in time so that it is filed on
/// `jour`: every date and date-time moves by the days between its `dateCreationDemande` and
/// `jour` (births too, so ages stay), and the income years (`anneeMoins1`, `anneeMoins2`) by the
/// years between them, so that every rule tied to the filing date (one month to register, the
/// income years, ages, DALO decisions before filing) holds on any day. Dates keep their length.
/// Text without `dateCreationDemande` comes back unchanged. `tests/interop/dater.py` applies the
/// same rule (a test compares them).
pub fn dater(texte: &str, jour: time::Date) -> String {
    static DEPOT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"dateCreationDemande>(\d{4}-\d{2}-\d{2})<").expect("motif valide")
    });
    static DATE: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"(^|\D)(\d{4})-(\d{2})-(\d{2})").expect("motif valide"));
    static ANNEE: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"(anneeMoins[12]>)(\d{4})<").expect("motif valide"));
    let lire = |a: &str, m: &str, j: &str| -> Option<time::Date> {
        let mois = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
        time::Date::from_calendar_date(a.parse().ok()?, mois, j.parse().ok()?).ok()
    };
    let Some(depot) = DEPOT.captures(texte).and_then(|c| {
        let d = c.get(1)?.as_str();
        lire(&d[..4], &d[5..7], &d[8..10])
    }) else {
        return texte.to_string();
    };
    let ecart = jour - depot;
    let annees = jour.year() - depot.year();
    let texte = DATE.replace_all(texte, |c: &regex::Captures<'_>| match lire(&c[2], &c[3], &c[4]) {
        Some(d) => {
            let d = d.checked_add(ecart).unwrap_or(d);
            format!("{}{:04}-{:02}-{:02}", &c[1], d.year(), u8::from(d.month()), d.day())
        }
        None => c[0].to_string(),
    });
    ANNEE
        .replace_all(&texte, |c: &regex::Captures<'_>| {
            let annee: i32 = c[2].parse().unwrap_or(0);
            format!("{}{:04}<", &c[1], annee + annees)
        })
        .into_owned()
}

/// The application file a first client sends (`examples/premier_client.py`, `.sh`), written in
/// the school directory dated of the day: UTF-8, interface 02.00, the README's first client.
pub const EXEMPLE_DEMANDE: &str = "exemple-demande.xml";

const DEMANDE_MINIMALE: &str = include_str!("../fixtures/demande/valid/cre_minimal_v0200.xml");

/// Writes the example request, dated `jour`, into the school directory (at `init` and at each
/// school-mode start, so the printed curl line keeps working), and [`EXEMPLE_DEMANDE`].
pub fn ecrire_exemple(dir: &Path, jour: time::Date) -> Result<PathBuf, SchoolError> {
    let demande = dir.join(EXEMPLE_DEMANDE);
    droits::ecrire_fichier(&demande, dater(DEMANDE_MINIMALE, jour).as_bytes())
        .map_err(|e| SchoolError::Io(demande.clone(), e))?;
    let exemple = dir.join("exemple-getNumUnique.mtom");
    droits::ecrire_fichier(&exemple, &exemple_corps(jour, REFERENCE_CURL))
        .map_err(|e| SchoolError::Io(exemple.clone(), e))?;
    Ok(exemple)
}

/// The Content-Type of the example request.
pub fn exemple_content_type() -> &'static str {
    EXEMPLE_ENTETES
        .lines()
        .find_map(|l| l.strip_prefix("Content-Type:").or_else(|| l.strip_prefix("content-type:")))
        .map(str::trim)
        .unwrap_or("")
}

/// Where the printed curl line writes its answer (MTOM, not for a terminal).
pub const CURL_ANSWER: &str = "reponse-exemple.mtom";

/// The one-line curl command that registers the fixture application against a school directory
/// and saves the raw answer in [`CURL_ANSWER`].
pub fn curl_command(dir: &Path, port: u16) -> String {
    let d = dir.display();
    format!(
        "curl -sS -o {CURL_ANSWER} --cert {d}/pki/client-G1104.pem --key {d}/pki/client-G1104.key --cacert {d}/pki/ca.pem \
         -H '{}' --data-binary @{d}/exemple-getNumUnique.mtom https://localhost:{port}/services/DemandeLogementImplService/",
        format_args!("Content-Type: {}", exemple_content_type())
    )
}

/// What `sne-gateway exemple` got back.
#[derive(Debug)]
pub struct Exemple {
    /// The registration number, or the anomalies when the file was refused.
    pub num_unique: Option<String>,
    /// Anomaly codes and messages of a refused file.
    pub anomalies: Vec<String>,
    /// The returned application file, written beside.
    pub fichier: PathBuf,
    /// The registration certificate (PDF), when one came.
    pub attestation: Option<PathBuf>,
    /// The gateway answered a retry: the application was already registered with this
    /// `refInterne` (same number, a new access code on the certificate).
    pub reprise: bool,
}

/// Sends the example request to the school gateway on `port` as counter G1104, and writes the
/// returned file and certificate into `sortie`: the readable first run that curl is not.
pub async fn exemple(dir: &Path, port: u16, sortie: &Path, reference: &str) -> Result<Exemple, String> {
    use http_body_util::BodyExt;
    use rustls_pki_types::ServerName;
    let pki = dir.join("pki");
    let config =
        pki::client_config(&pki.join("ca.pem"), Some((&pki.join("client-G1104.pem"), &pki.join("client-G1104.key"))))
            .map_err(|e| e.to_string())?;
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .map_err(|e| format!("aucune passerelle sur 127.0.0.1:{port} ({e}) : lancez d'abord `sne-gateway serve`"))?;
    let name = ServerName::try_from("localhost").expect("valid name");
    let tls = tokio_rustls::TlsConnector::from(config)
        .connect(name, tcp)
        .await
        .map_err(|e| format!("poignée de main TLS : {e}"))?;
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(tls)).await.map_err(|e| e.to_string())?;
    tokio::spawn(conn);
    let request = hyper::Request::post("/services/DemandeLogementImplService/")
        .header("Host", format!("localhost:{port}"))
        .header("Content-Type", exemple_content_type())
        .body(http_body_util::Full::new(bytes::Bytes::from(exemple_corps(HorlogeSysteme.aujourd_hui(), reference))))
        .map_err(|e| e.to_string())?;
    let response = sender.send_request(request).await.map_err(|e| e.to_string())?;
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let reprise = response.headers().contains_key(crate::http::ENTETE_REPRISE);
    let body = response.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes();
    let envelope = crate::soap::decode(&content_type, None, &body, &crate::soap::Limits::default())
        .map_err(|e| format!("réponse illisible : {e}"))?;
    if let Some(text) = envelope.body.child("Reason").or_else(|| envelope.body.child("faultstring")) {
        return Err(format!("faute SOAP : {}", text.text().trim()));
    }
    let binary = |name: &str| envelope.body.child(name).and_then(|e| crate::soap::binary_content(e).ok());
    let fichier_bytes = binary("fichierDemande").ok_or("la réponse ne porte pas de fichierDemande")?;
    let root = crate::xml::parse(&fichier_bytes, crate::xml::Limits::default()).map_err(|e| e.to_string())?;
    let mut num_unique = None;
    let mut anomalies = Vec::new();
    collect(&root, &mut num_unique, &mut anomalies);
    std::fs::create_dir_all(sortie).map_err(|e| format!("{} : {e}", sortie.display()))?;
    let stem = num_unique.clone().unwrap_or_else(|| "refusee".into());
    let fichier = sortie.join(format!("demande-{stem}.xml"));
    std::fs::write(&fichier, &fichier_bytes).map_err(|e| format!("{} : {e}", fichier.display()))?;
    let attestation = match binary("attestation") {
        Some(pdf) if !pdf.is_empty() => {
            let path = sortie.join(format!("attestation-{stem}.pdf"));
            std::fs::write(&path, &pdf).map_err(|e| format!("{} : {e}", path.display()))?;
            Some(path)
        }
        _ => None,
    };
    Ok(Exemple { num_unique, anomalies, fichier, attestation, reprise })
}

fn collect(e: &crate::xml::Element, num: &mut Option<String>, anomalies: &mut Vec<String>) {
    if e.name == "numUnique" && num.is_none() {
        *num = Some(e.text().trim().to_string());
    }
    if e.name == "anomalie" {
        let code = e.attribute("code").unwrap_or_default().to_string();
        let message = e.child("message").map(|c| c.text()).unwrap_or_default();
        anomalies.push(format!("[{}] {}", code.trim(), message.trim()));
    }
    for c in e.elements() {
        collect(c, num, anomalies);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_carries_the_day_it_is_sent_and_keeps_its_framing() {
        let body = exemple_corps(time::macros::date!(2027 - 03 - 15), "ECOLE-MTOM-02");
        let text = String::from_utf8_lossy(&body);
        assert!(text.contains("<ns2:dateCreationDemande>2027-03-15</ns2:dateCreationDemande>"), "date absente");
        assert!(text.contains("<ns2:dateFichier>2027-03-15T"));
        assert!(!text.contains("2026-11-02"));
        assert_eq!(body.len(), EXEMPLE_CORPS.len());
        assert!(text.contains("<ns2:refInterne>ECOLE-MTOM-02</ns2:refInterne>"));
        // Income years follow the filing year; births and DALO decisions the filing day.
        let plus_tard = String::from_utf8(exemple_corps(time::macros::date!(2028 - 11 - 03), REFERENCE_CURL)).unwrap();
        assert!(plus_tard.contains("<ns2:anneeMoins1>2027</ns2:anneeMoins1>"), "{plus_tard}");
        assert!(plus_tard.contains("<ns2:dateDecisionDalo>2028-09-16</ns2:dateDecisionDalo>"));
        assert!(plus_tard.contains("DEMG1104-202611021030-000001.xml"), "file names untouched");
    }

    /// The interop suite dates its copies of the fixtures with `tests/interop/dater.py`: the
    /// same bytes as this function for every application fixture, on two days.
    #[test]
    fn the_interop_suites_dater_moves_fixtures_as_the_gateway_does() {
        let racine = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut fichiers = Vec::new();
        for dossier in ["fixtures/demande/valid", "fixtures/demande/invalid", "fixtures/demande/reponse"] {
            for e in std::fs::read_dir(racine.join(dossier)).unwrap() {
                let p = e.unwrap().path();
                if p.extension().is_some_and(|x| x == "xml") {
                    fichiers.push(p);
                }
            }
        }
        assert!(fichiers.len() > 20, "{}", fichiers.len());
        for jour in [time::macros::date!(2027 - 02 - 28), time::macros::date!(2031 - 12 - 31)] {
            let tmp = tempfile::tempdir().unwrap();
            let copies: Vec<PathBuf> = fichiers
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let c = tmp.path().join(format!("{i}.xml"));
                    std::fs::copy(p, &c).unwrap();
                    c
                })
                .collect();
            let out = std::process::Command::new("python3")
                .arg(racine.join("tests/interop/dater.py"))
                .arg(jour.to_string())
                .args(&copies)
                .output()
                .expect("python3 (tests/interop/install.sh)");
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            for (p, c) in fichiers.iter().zip(&copies) {
                let attendu = dater(&std::fs::read_to_string(p).unwrap(), jour);
                assert_eq!(std::fs::read_to_string(c).unwrap(), attendu, "{} au {jour}", p.display());
            }
        }
    }
}
