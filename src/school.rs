//! School mode: a complete test deployment generated on first start (test PKI, master key,
//! configuration with two test counters), so a newcomer can call the gateway in one command.

use std::path::{Path, PathBuf};

use crate::pki::{self, SchoolPki};
use crate::store::MasterKey;

/// The two test counters of school mode: code, territory, name.
pub const GUICHETS_ECOLE: [(&str, &str, &str); 2] =
    [("G1104", "111", "Guichet école 1"), ("G2201", "222", "Guichet école 2")];

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
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let counters: Vec<(&str, &str)> = GUICHETS_ECOLE.iter().map(|(c, _, n)| (*c, *n)).collect();
    let pki = pki::write_school_pki(&dir.join("pki"), &counters)?;
    let master_key = master_key_path(dir);
    MasterKey::load_or_generate(&master_key)?;
    let key_name = master_key.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // Several school gateways on one machine (tests) each take a free metrics port.
    let metrics = if listen.ends_with(":0") { "127.0.0.1:0" } else { "127.0.0.1:9464" };
    let mut config = format!(
        "# Configuration école générée par `sne-gateway init` : certificats de test, ne pas utiliser en production.\n\
         [server]\nlisten = \"{listen}\"\nmetrics_listen = \"{metrics}\"\ndata_dir = \"db\"\nmaster_key_file = \"../{key_name}\"\n\n\
         [tls]\ncert = \"pki/server.pem\"\nkey = \"pki/server.key\"\nclient_ca = \"pki/ca.pem\"\n"
    );
    for (code, territoire, nom) in GUICHETS_ECOLE {
        let empreinte = pki.clients.iter().find(|c| c.code == code).map(|c| c.fingerprint.clone()).unwrap_or_default();
        config.push_str(&format!(
            "\n[[guichets]]\ncode = \"{code}\"\nterritoire = \"{territoire}\"\nnom = \"{nom}\"\nempreinte = \"{empreinte}\"\n"
        ));
    }
    let config_path = dir.join(CONFIG_FILE);
    std::fs::write(&config_path, config).map_err(io(&config_path))?;
    let exemple = dir.join("exemple-getNumUnique.mtom");
    std::fs::write(&exemple, EXEMPLE_CORPS).map_err(io(&exemple))?;
    Ok(SchoolSetup { config: config_path, pki, master_key, exemple })
}

/// The Content-Type of the example request.
pub fn exemple_content_type() -> &'static str {
    EXEMPLE_ENTETES
        .lines()
        .find_map(|l| l.strip_prefix("Content-Type:").or_else(|| l.strip_prefix("content-type:")))
        .map(str::trim)
        .unwrap_or("")
}

/// The one-line curl command that registers the fixture application against a school directory.
pub fn curl_command(dir: &Path, port: u16) -> String {
    let d = dir.display();
    format!(
        "curl --cert {d}/pki/client-G1104.pem --key {d}/pki/client-G1104.key --cacert {d}/pki/ca.pem \
         -H '{}' --data-binary @{d}/exemple-getNumUnique.mtom https://localhost:{port}/services/DemandeLogementImplService/",
        format_args!("Content-Type: {}", exemple_content_type())
    )
}
