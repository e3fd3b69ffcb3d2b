//! The binary as an operator runs it: init, check, serve, and the printed curl line.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_sne-gateway");

#[test]
fn init_check_serve_the_curl_line_and_acknowledged_writes_survive_sigkill() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    let out = Command::new(BIN).args(["init", "--listen", "127.0.0.1:0", "--dir"]).arg(&dir).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(tmp.path().join("sne-data-master.key").exists(), "clé maîtresse hors du répertoire de données");
    let config = dir.join("sne-gateway.toml");

    let out = Command::new(BIN).arg("check").arg("--config").arg(&config).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 guichet(s)"));

    // A broken configuration is refused with a message naming the problem.
    let broken = tmp.path().join("broken.toml");
    std::fs::write(&broken, std::fs::read_to_string(&config).unwrap().replace("G2201", "G22")).unwrap();
    let out = Command::new(BIN).arg("check").arg("--config").arg(&broken).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("5 lettres"), "{}", String::from_utf8_lossy(&out.stderr));

    let (mut child, port) = serve(&config);
    let curl = sne_gateway::school::curl_command(&dir, port);
    let mut numbers = Vec::new();
    for _ in 0..2 {
        // The printed line saves the raw answer instead of flooding the terminal.
        let out = Command::new("sh").arg("-c").arg(&curl).current_dir(tmp.path()).output().expect("curl");
        assert!(out.status.success(), "{curl}\n{}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stdout.is_empty(), "curl écrit au terminal");
        let body = std::fs::read(tmp.path().join(sne_gateway::school::CURL_ANSWER)).unwrap();
        let body = String::from_utf8_lossy(&body);
        let at = body.find(":numUnique>").unwrap_or_else(|| panic!("pas de numUnique : {body}")) + ":numUnique>".len();
        let num = body[at..at + 18].to_string();
        assert!(num.starts_with("111") && num.ends_with("G1104"), "{num}");
        assert!(body.contains("application/pdf"), "pas d'attestation PDF");
        numbers.push(num);
    }
    // The readable first run: the number printed, the file and the PDF written.
    let sortie = tmp.path().join("exemple");
    let out = Command::new(BIN)
        .args([
            "exemple",
            "--dir",
            dir.to_str().unwrap(),
            "--port",
            &port.to_string(),
            "--sortie",
            sortie.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    let at = text.find("numéro ").unwrap_or_else(|| panic!("{text}")) + "numéro ".len();
    let num = text[at..at + 18].to_string();
    assert!(num.starts_with("111") && num.ends_with("G1104"), "{text}");
    let pdf = std::fs::read(sortie.join(format!("attestation-{num}.pdf"))).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let file = std::fs::read_to_string(sortie.join(format!("demande-{num}.xml"))).unwrap();
    assert!(file.contains(&num));
    // The curl line's file and `exemple` carry distinct references: running both (as the README
    // invites) registers two applications; the curl line run twice is a retry (same number).
    assert_eq!(numbers[0], numbers[1], "the curl line again is a retry");
    assert_ne!(num, numbers[0], "exemple is not a retry of the curl line: {text}");
    assert!(text.contains("Demande enregistrée sous le numéro") && !text.contains("reprise"), "{text}");
    // The same reference twice: the second run says it is a retry.
    let exemple = |reference: &str| {
        let out = Command::new(BIN)
            .args(["exemple", "--dir", dir.to_str().unwrap(), "--port", &port.to_string(), "--sortie"])
            .arg(&sortie)
            .args(["--reference", reference])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let premiere = exemple("ESSAI-REPRISE-1");
    assert!(premiere.contains("Demande enregistrée sous le numéro"), "{premiere}");
    let seconde = exemple("ESSAI-REPRISE-1");
    assert!(
        seconde.contains("Demande déjà enregistrée : reprise") && seconde.contains("nouveau code d'accès"),
        "{seconde}"
    );
    numbers.push(num);
    // SIGKILL right after the answers: what was acknowledged must already be on disk.
    child.kill().unwrap();
    child.wait().unwrap();
    let (mut child, port) = serve(&config);
    for num in &numbers {
        let request = format!(
            r#"<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><ns2:demandeLogementParametres xmlns:ns2="http://ws.metier.nuu.application.i2/"><numUnique>{num}</numUnique><nomCertificat/><certificat/></ns2:demandeLogementParametres></soap:Body></soap:Envelope>"#
        );
        let pki = dir.join("pki");
        let out = Command::new("curl")
            .arg("-sS")
            .arg("--cert").arg(pki.join("client-G1104.pem"))
            .arg("--key").arg(pki.join("client-G1104.key"))
            .arg("--cacert").arg(pki.join("ca.pem"))
            .arg("-H").arg("Content-Type: application/soap+xml; charset=utf-8; action=\"http://ws.metier.nuu.application.i2/getDemandeLogement\"")
            .arg("--data-binary").arg(&request)
            .arg(format!("https://localhost:{port}/services/DemandeLogementImplService/"))
            .output()
            .expect("curl");
        let body = String::from_utf8_lossy(&out.stdout);
        use base64::Engine;
        let b64 =
            body.split("<fichierDemande>").nth(1).and_then(|r| r.split('<').next()).unwrap_or_else(|| panic!("{body}"));
        let file = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(b64).unwrap()).unwrap();
        assert!(file.contains(num.as_str()) && !file.contains("listeAnomalie"), "{num} perdu après SIGKILL : {file}");
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Starts `serve --config` and returns the child and the port it announced.
pub(crate) fn serve(config: &std::path::Path) -> (std::process::Child, u16) {
    let (child, port, _) = serve_logged(config, &[], "info");
    (child, port)
}

/// Starts `bin serve --config` (the release binary, for measures) and returns it with its port.
pub(crate) fn serve_bin(bin: &std::path::Path, config: &std::path::Path) -> (std::process::Child, u16) {
    let (child, port, _) = serve_from(bin, config, &[], "info");
    (child, port)
}

/// Starts `serve --config` with extra arguments and a log filter; returns the child, its port
/// and every line it writes on stderr (filled as they come).
fn serve_logged(
    config: &std::path::Path,
    args: &[&str],
    filter: &str,
) -> (std::process::Child, u16, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    serve_from(std::path::Path::new(BIN), config, args, filter)
}

fn serve_from(
    bin: &std::path::Path,
    config: &std::path::Path,
    args: &[&str],
    filter: &str,
) -> (std::process::Child, u16, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    crate::televersement::lancer(bin, config, args, filter)
}

#[tokio::test]
async fn sigterm_stops_accepting_lets_the_request_in_flight_finish_and_exits_0() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let (mut child, port) = serve(&dir.join("sne-gateway.toml"));
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let tls = crate::helpers::client_config(&dir.join("pki"), crate::helpers::As::Guichet("G1104"));
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let mut tls = tokio_rustls::TlsConnector::from(tls).connect(name, tcp).await.unwrap();
    let body =
        crate::helpers::num_unique_inline(&crate::helpers::fixture_du_jour("demande/valid/cre_minimal_v0200.xml"));
    let head = format!(
        "POST /services/DemandeLogementImplService/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: {}\r\nContent-Length: {}\r\n\r\n",
        crate::helpers::soap12_headers(crate::helpers::ACTION_NUM_UNIQUE),
        body.len()
    );
    tls.write_all(head.as_bytes()).await.unwrap();
    let (first, rest) = body.split_at(body.len() / 2);
    tls.write_all(first).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;

    let term = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().unwrap();
    assert!(term.success());
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Stopped accepting...
    assert!(tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err(), "accepte encore après SIGTERM");
    // ...but the request in flight is finished and answered.
    tls.write_all(rest).await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), tls.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200") && answer.contains("numUniqueReponse"), "{answer}");
    let deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "toujours en vie après SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0), "code de sortie après SIGTERM");
}

#[tokio::test]
async fn no_personal_data_reaches_the_logs_at_any_level_and_json_lines_carry_the_outcome() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let (mut child, port, lines) = serve_logged(&dir.join("sne-gateway.toml"), &["--log-format", "json"], "trace");
    let file = crate::helpers::fixture_du_jour("demande/valid/cre_complet_v0201.xml");
    let pki = dir.join("pki");
    let client = crate::helpers::client_config(&pki, crate::helpers::As::Guichet("G1104"));
    let post = |body: Vec<u8>, action: &'static str| {
        let client = client.clone();
        async move {
            let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
            let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
            let tls = tokio_rustls::TlsConnector::from(client).connect(name, tcp).await.unwrap();
            let (mut sender, conn) =
                hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(tls)).await.unwrap();
            tokio::spawn(conn);
            let req = hyper::Request::post("/services/DemandeLogementImplService/")
                .header("Host", "localhost")
                .header("Content-Type", crate::helpers::soap12_headers(action))
                .body(http_body_util::Full::new(bytes::Bytes::from(body)))
                .unwrap();
            let resp = sender.send_request(req).await.unwrap();
            use http_body_util::BodyExt;
            resp.into_body().collect().await.unwrap().to_bytes().to_vec()
        }
    };
    let answer = post(crate::helpers::num_unique_inline(&file), crate::helpers::ACTION_NUM_UNIQUE).await;
    let reply = crate::helpers::Reply {
        status: 200,
        content_type: "application/soap+xml".into(),
        headers: Default::default(),
        body: answer,
    };
    let stored = crate::helpers::binary_child(&crate::helpers::decode_reply(&reply), "fichierDemande");
    let num = crate::helpers::num_unique_of(&stored).expect("numéro attribué");
    post(crate::helpers::demande_logement_inline(&num), crate::helpers::ACTION_DEMANDE).await;
    let term = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().unwrap();
    assert!(term.success());
    child.wait().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let lines = lines.lock().unwrap().clone();
    assert!(lines.len() > 5, "journal presque vide : {lines:?}");

    // Every personal value of the file: names, birth dates, incomes, phones, mail, address.
    let text = String::from_utf8(file.clone()).unwrap();
    let personal: Vec<String> = text
        .split('<')
        .filter_map(|t| t.split_once('>'))
        .filter(|(tag, value)| {
            let tag = tag.trim_start_matches("ns2:");
            let value = value.trim();
            value.len() >= 3
                && ["nom", "prenom", "dateNaissance", "montant", "tel", "mel", "voie", "revenu"]
                    .iter()
                    .any(|p| tag.starts_with(p))
        })
        .map(|(_, v)| v.trim().to_string())
        // Short numbers (a rent of 650) turn up in any log line as offsets or durations.
        .filter(|v| v.len() >= 5 || !v.chars().all(|c| c.is_ascii_digit()))
        .collect();
    assert!(personal.len() >= 10, "{personal:?}");
    // A value counts where it stands alone, not inside a longer number or word.
    let appears = |line: &str, value: &str| {
        line.match_indices(value).any(|(at, _)| {
            let before = line[..at].chars().next_back();
            let after = line[at + value.len()..].chars().next();
            !before.is_some_and(|c| c.is_alphanumeric()) && !after.is_some_and(|c| c.is_alphanumeric())
        })
    };
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&file);
    let document: Vec<&str> = vec![&b64[100..140], &text[200..240]];
    for line in &lines {
        for p in &personal {
            assert!(!appears(line, p), "{p:?} dans le journal : {line}");
        }
        for d in &document {
            assert!(!line.contains(d), "octets du document dans le journal : {line}");
        }
    }
    // One JSON line per request, with its id, operation, counter and outcome.
    let requests: Vec<&String> = lines.iter().filter(|l| l.contains("\"message\":\"requête\"")).collect();
    assert_eq!(requests.len(), 2, "{lines:?}");
    for (line, operation) in requests.iter().zip(["getNumUnique", "getDemandeLogement"]) {
        assert!(line.starts_with('{') && line.ends_with('}'), "{line}");
        for needle in [
            "\"request_id\":",
            &format!("\"operation\":\"{operation}\""),
            "\"guichet\":\"G1104\"",
            "\"resultat\":\"accepte\"",
            "\"duree_ms\":",
        ] {
            assert!(line.contains(needle), "{needle} absent : {line}");
        }
    }
}

fn sne(args: &[&str]) -> (bool, String) {
    let out = Command::new(BIN).args(args).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counters_are_issued_renewed_revoked_through_the_crl_and_reloaded_without_dropping_connections() {
    use crate::helpers::{client_config_files, demande_logement_inline, open, post_on, ACTION_DEMANDE};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let config = dir.join("sne-gateway.toml");
    let cfg = config.to_str().unwrap();
    let out = tmp.path().join("remis");
    let out_s = out.to_str().unwrap();

    // A new counter for a publisher: PEM, key and PKCS#12, recorded in the configuration.
    let (ok, text) = sne(&[
        "guichets",
        "ajouter",
        "--config",
        cfg,
        "--code",
        "G3301",
        "--territoire",
        "333",
        "--nom",
        "Éditeur essai",
        "--sortie",
        out_s,
        "--mot-de-passe",
        "secret",
    ]);
    assert!(ok, "{text}");
    let file = |ext: &str| {
        std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.to_string_lossy().contains("G3301") && p.extension().is_some_and(|x| x == ext))
            .unwrap_or_else(|| panic!("{ext} absent"))
    };
    let p12 = std::fs::read(file("p12")).unwrap();
    let store = p12_keystore::KeyStore::from_pkcs12(&p12, "secret", p12_keystore::Pkcs12ImportPolicy::Strict)
        .expect("PKCS#12 lisible avec son mot de passe");
    let (_, chain) = store.private_key_chain().expect("clé et chaîne");
    assert_eq!(chain.certs().len(), 2, "certificat et autorité");
    let settings = sne_gateway::config::Settings::load(&config).unwrap();
    assert!(settings.guichets.iter().any(|g| g.code == "G3301" && g.territoire == "333"));
    let new_counter = client_config_files(&dir.join("pki/ca.pem"), &file("pem"), &file("key"));

    // Renewal of G1104: a second certificate beside the first.
    let renewed_dir = tmp.path().join("renouvellement");
    let (ok, text) =
        sne(&["guichets", "ajouter", "--config", cfg, "--code", "G1104", "--sortie", renewed_dir.to_str().unwrap()]);
    assert!(ok && text.contains("nouveau certificat"), "{text}");
    let renewed_file = |ext: &str| {
        std::fs::read_dir(&renewed_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == ext))
            .unwrap()
    };
    let renewed = client_config_files(&dir.join("pki/ca.pem"), &renewed_file("pem"), &renewed_file("key"));
    let old = crate::helpers::client_config(&dir.join("pki"), crate::helpers::As::Guichet("G1104"));
    let old_fp = settings.guichets.iter().find(|g| g.code == "G1104").unwrap().empreintes()[0].0.clone();

    let (mut child, port, lines) = serve_logged(&config, &[], "info");
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let ask = demande_logement_inline("111112600000XG1104");
    for (who, cfg) in [("nouveau guichet", &new_counter), ("G1104 renouvelé", &renewed), ("G1104 ancien", &old)] {
        let mut s = open(addr, cfg.clone()).await.unwrap();
        let (status, body) = post_on(&mut s, ACTION_DEMANDE, ask.clone()).await.unwrap();
        assert_eq!(status, 200, "{who} : {body}");
    }
    // A connection open before the revocation and reload.
    let mut kept = open(addr, renewed.clone()).await.unwrap();
    assert_eq!(post_on(&mut kept, ACTION_DEMANDE, ask.clone()).await.unwrap().0, 200);

    let (ok, text) = sne(&["guichets", "revoquer", "--config", cfg, "--code", "G1104", "--empreinte", &old_fp]);
    assert!(ok && text.contains("relue par la passerelle"), "{text}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    // The revoked certificate fails its handshake (CRL); the renewed one and the open
    // connection go on.
    let refused = match open(addr, old.clone()).await {
        Err(e) => e,
        Ok(mut s) => match post_on(&mut s, ACTION_DEMANDE, ask.clone()).await {
            Ok((status, body)) => format!("{status} {body}"),
            Err(e) => e,
        },
    };
    // The client sees the alert, or a connection closed by it, depending on timing.
    assert!(refused.contains("Revoked") || refused.contains("ChannelClosed"), "{refused}");
    // The refusal leaves a trace on the server, saying why: subject and fingerprint, at WARN.
    // The client may see the alert before the server's line reaches its log: a few seconds.
    let trace = |l: &String| {
        l.contains("WARN")
            && l.contains("certificat client refusé")
            && l.contains(&old_fp)
            && l.contains("certificat révoqué")
            && l.contains("G1104")
    };
    let jusqu_a = std::time::Instant::now() + Duration::from_secs(5);
    while !lines.lock().unwrap().iter().any(trace) && std::time::Instant::now() < jusqu_a {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let logged = lines.lock().unwrap().clone();
    assert!(logged.iter().any(trace), "{logged:?}");
    assert_eq!(
        post_on(&mut kept, ACTION_DEMANDE, ask.clone()).await.unwrap().0,
        200,
        "connexion coupée par le rechargement"
    );
    let mut s = open(addr, renewed.clone()).await.unwrap();
    assert_eq!(post_on(&mut s, ACTION_DEMANDE, ask.clone()).await.unwrap().0, 200);

    let (ok, text) = sne(&["guichets", "lister", "--config", cfg]);
    assert!(ok && text.contains("G3301") && text.contains(&format!("{old_fp}  RÉVOQUÉE")), "{text}");

    // A renewed server certificate is served to new connections after SIGHUP; open ones go on.
    let ca = sne_gateway::pki::TestCa::from_pem(
        &std::fs::read_to_string(dir.join("pki/ca.pem")).unwrap(),
        &std::fs::read_to_string(dir.join("pki/ca.key")).unwrap(),
    )
    .unwrap();
    let server = ca.issue_server(&["localhost"], &["127.0.0.1".parse().unwrap()]).unwrap();
    std::fs::write(dir.join("pki/server.pem"), &server.cert_pem).unwrap();
    std::fs::write(dir.join("pki/server.key"), &server.key_pem).unwrap();
    Command::new("kill").arg("-HUP").arg(child.id().to_string()).status().unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let tls = tokio_rustls::TlsConnector::from(renewed.clone()).connect(name, tcp).await.unwrap();
    let served = tls.get_ref().1.peer_certificates().unwrap()[0].as_ref().to_vec();
    assert_eq!(sne_gateway::pki::fingerprint(&served), server.fingerprint, "ancien certificat serveur encore servi");
    assert_eq!(
        post_on(&mut kept, ACTION_DEMANDE, ask.clone()).await.unwrap().0,
        200,
        "connexion coupée par le rechargement"
    );

    // A broken configuration on SIGHUP changes nothing.
    let good = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, good.replace("[[guichets]]", "[[guichets]]\ncode_inconnu = 1")).unwrap();
    let (ok, text) = sne(&["reload", "--config", &format!("{cfg}.absent")]);
    assert!(!ok, "{text}");
    Command::new("kill").arg("-HUP").arg(child.id().to_string()).status().unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut s = open(addr, new_counter.clone()).await.unwrap();
    assert_eq!(
        post_on(&mut s, ACTION_DEMANDE, ask.clone()).await.unwrap().0,
        200,
        "guichet perdu après une configuration cassée"
    );
    let _ = child.kill();
    let _ = child.wait();
}

/// Registers the minimal fixture on a kept-alive connection and returns its number.
async fn register_on(
    sender: &mut hyper::client::conn::http1::SendRequest<http_body_util::Full<bytes::Bytes>>,
) -> String {
    let body =
        crate::helpers::num_unique_inline(&crate::helpers::fixture_du_jour("demande/valid/cre_minimal_v0200.xml"));
    let (status, text) = crate::helpers::post_on(sender, crate::helpers::ACTION_NUM_UNIQUE, body).await.unwrap();
    assert_eq!(status, 200, "{text}");
    let reply = crate::helpers::Reply {
        status,
        content_type: "application/soap+xml".into(),
        headers: Default::default(),
        body: text.into_bytes(),
    };
    crate::helpers::num_unique_of(&crate::helpers::binary_child(
        &crate::helpers::decode_reply(&reply),
        "fichierDemande",
    ))
    .expect("numéro")
}

/// A school deployment in a temporary directory, served by the binary, with counter G1104's
/// client configuration.
struct Ecole {
    tmp: tempfile::TempDir,
    dir: std::path::PathBuf,
    config: std::path::PathBuf,
    child: std::process::Child,
    addr: std::net::SocketAddr,
    tls: std::sync::Arc<rustls::ClientConfig>,
}

fn ecole_servie() -> Ecole {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let config = dir.join("sne-gateway.toml");
    let (child, port) = serve(&config);
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let tls = crate::helpers::client_config(&dir.join("pki"), crate::helpers::As::Guichet("G1104"));
    Ecole { tmp, dir, config, child, addr, tls }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_writing_restores_every_write_acknowledged_before_it_and_verifies() {
    use crate::helpers::{demande_logement_inline, open, post_on, ACTION_DEMANDE};
    let Ecole { tmp, dir, config, mut child, addr, tls } = ecole_servie();
    let mut before = Vec::new();
    let mut s = open(addr, tls.clone()).await.unwrap();
    for _ in 0..5 {
        before.push(register_on(&mut s).await);
    }
    // A writer keeps registering during the backup.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (stop, tls) = (stop.clone(), tls.clone());
        tokio::spawn(async move {
            let mut s = open(addr, tls).await.unwrap();
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                register_on(&mut s).await;
                n += 1;
            }
            n
        })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    // Acknowledged before the backup begins: the five, and the writer's up to now.
    let backup = tmp.path().join("sauvegarde");
    let out = tokio::task::spawn_blocking({
        let (config, backup) = (config.clone(), backup.clone());
        move || sne(&["backup", "--config", config.to_str().unwrap(), "--to", backup.to_str().unwrap()])
    })
    .await
    .unwrap();
    assert!(out.0 && out.1.contains("sauvegarde écrite"), "{}", out.1);
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let written = writer.await.unwrap();
    assert!(written > 0, "aucune écriture pendant la sauvegarde");
    let (ok, text) = sne(&["verify", "--config", config.to_str().unwrap()]);
    assert!(ok && text.contains("stockage cohérent"), "{text}");
    Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().unwrap();
    child.wait().unwrap();

    // Restore into a fresh data directory and read every number acknowledged before.
    let text = std::fs::read_to_string(&config).unwrap().replace("data_dir = \"db\"", "data_dir = \"db-restauree\"");
    std::fs::write(dir.join("restauree.toml"), text).unwrap();
    let restored_cfg = dir.join("restauree.toml");
    let (ok, text) = sne(&["restore", "--config", restored_cfg.to_str().unwrap(), "--from", backup.to_str().unwrap()]);
    assert!(ok, "{text}");
    let (ok, text) = sne(&["verify", "--config", restored_cfg.to_str().unwrap()]);
    assert!(ok, "{text}");
    // Restoring over a store that holds data is refused.
    let (ok, text) = sne(&["restore", "--config", restored_cfg.to_str().unwrap(), "--from", backup.to_str().unwrap()]);
    assert!(!ok && text.contains("pas vide"), "{text}");
    let (mut child, port) = serve(&restored_cfg);
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let mut s = open(addr, tls).await.unwrap();
    for num in &before {
        let (status, body) = post_on(&mut s, ACTION_DEMANDE, demande_logement_inline(num)).await.unwrap();
        assert!(status == 200 && !body.contains("DEM-INC"), "{num} absent de la sauvegarde : {body}");
    }
    let _ = child.kill();
    let _ = child.wait();

    // verify names what is wrong: a record that does not open, an index entry without its
    // record, a sequence behind a number given.
    let data = dir.join("db-restauree");
    {
        use sne_gateway::store::{Engine, SledEngine, WriteBatch};
        let engine = SledEngine::open(&data).unwrap();
        let mut batch = WriteBatch::new();
        batch.put(b"demande/111112600999XG1104".to_vec(), b"pas un enregistrement scelle".to_vec());
        batch.put(b"idx/identite\x00abcdef\x00111112699999XG1104".to_vec(), Vec::new());
        batch.put(format!("seq/{}", &before[0][..7]).into_bytes(), 1u64.to_be_bytes().to_vec());
        engine.apply(batch).unwrap();
        engine.flush().unwrap();
    }
    let (ok, text) = sne(&["verify", "--config", restored_cfg.to_str().unwrap()]);
    assert!(!ok, "{text}");
    for needle in [
        "donnée corrompue sous la clé demande/111112600999XG1104",
        "index identite vers la demande absente 111112699999XG1104",
        "en retard sur la demande",
    ] {
        assert!(text.contains(needle), "{needle} absent : {text}");
    }
}

#[test]
fn a_users_mistakes_are_told_in_french_all_at_once_without_a_backtrace() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let config = dir.join("sne-gateway.toml");
    let run = |args: &[&str]| {
        let out = Command::new(BIN).args(args).env("RUST_BACKTRACE", "1").output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, _, err) = run(&["servee"]);
    assert!(!ok && err.contains("commande inconnue servee"), "{err}");
    let broken = tmp.path().join("casse.toml");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("G2201", "g2201")
        .replace("[tls]", "[limits]\nmax_body_bytes = 0\n\n[tls]");
    std::fs::write(&broken, text).unwrap();
    let (ok, _, err) = run(&["check", "--config", broken.to_str().unwrap()]);
    assert!(!ok, "{err}");
    for needle in ["erreur :", "guichets.code \"g2201\"", "limits.max_body_bytes"] {
        assert!(err.contains(needle), "{needle} absent : {err}");
    }
    let (_, _, err) = run(&["check", "--config", tmp.path().join("absent.toml").to_str().unwrap()]);
    assert!(
        !err.contains("backtrace") && !err.contains("   0: "),
        "trace de pile pour une erreur d'utilisateur : {err}"
    );
    assert!(!err.contains("No such file"), "texte anglais : {err}");
    // No counter: valid, with a warning.
    let none = dir.join("sans-guichet.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&none, &text[..text.find("[[guichets]]").unwrap()]).unwrap();
    let (ok, out, err) = run(&["check", "--config", none.to_str().unwrap()]);
    assert!(ok && out.contains("aucun guichet configuré"), "{out}{err}");
}

#[test]
fn school_mode_serves_on_the_address_given_and_prints_the_next_steps() {
    let tmp = tempfile::tempdir().unwrap();
    let seen = banniere(Command::new(BIN).args(["serve", "--listen", "127.0.0.1:0"]).current_dir(tmp.path()));
    let text = seen.join("\n");
    assert!(text.contains("Mode école") && text.contains("sne-gateway exemple"), "{text}");
    // The WSDL line names the port really bound (0 was asked), and the files are where it says.
    let wsdl = seen.iter().find(|l| l.contains("WSDL : https://localhost:")).expect("ligne WSDL");
    let port: u16 = wsdl.split("localhost:").nth(1).unwrap().split('/').next().unwrap().parse().unwrap();
    assert_ne!(port, 0, "{text}");
    assert!(tmp.path().join("sne-data/pki/client-G1104.pem").exists());
    assert!(tmp.path().join("sne-data-master.key").exists());
    // The applicants' portal, where the certificate sends them.
    assert!(text.contains(&format!("Espace demandeur (numéro unique et code d'accès imprimés sur l'attestation) : https://localhost:{port}/demandeur/")), "{text}");

    // A metrics port already taken: the error names the key and the option that move it.
    let occupe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let pris = occupe.local_addr().unwrap();
    let out = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--metrics-listen", &pris.to_string()])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains(&format!("écoute sur {pris} impossible (server.metrics_listen, option --metrics-listen de serve) : adresse déjà utilisée")),
        "{err}"
    );
    assert!(!err.contains("Address") && !err.contains("os error"), "{err}");
}

/// `check` lists every problem of a configuration in one run: values, certificates and key.
#[test]
fn check_lists_every_problem_in_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let config = std::fs::read_to_string(dir.join("sne-gateway.toml")).unwrap();
    let broken = tmp.path().join("broken.toml");
    let texte = config.replace("G2201", "G22").replace("pki/server.pem", "pki/absent.pem") + "\n";
    std::fs::write(&broken, texte).unwrap();
    let out = Command::new(BIN).arg("check").arg("--config").arg(&broken).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("5 lettres") && err.contains("absent.pem"), "both problems listed: {err}");
}

/// `demo seed` fills a stopped gateway's store through the bulk path: the store verifies, the
/// files are schema-valid, and the duplicates index finds the seeded persons.
#[tokio::test]
async fn demo_seed_fills_a_store_with_valid_applications() {
    use sne_gateway::registry::depot::Depot;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let config = dir.join("sne-gateway.toml");
    let (ok, text) = sne(&["demo", "seed", "--config", config.to_str().unwrap(), "--count", "1200", "--graine", "7"]);
    assert!(ok && text.contains("1200 demandes semées"), "{text}");
    let (ok, text) = sne(&["verify", "--config", config.to_str().unwrap()]);
    assert!(ok, "{text}");

    let settings = sne_gateway::config::Settings::load(&config).unwrap();
    let key = sne_gateway::store::MasterKey::load(&settings.server.master_key_file).unwrap();
    let store = sne_gateway::store::Store::open(&settings.server.data_dir, key).unwrap();
    let nums = store.numeros(None, 5000).unwrap();
    assert_eq!(nums.len(), 1200);
    assert!(nums.iter().any(|n| n.ends_with("G1104")) && nums.iter().any(|n| n.ends_with("G2201")));
    let radiees = nums.iter().filter(|n| store.entete(n).unwrap().unwrap().attributs.radiation.is_some()).count();
    assert!((100..300).contains(&radiees), "about one in seven radiated: {radiees}");
    let schema = crate::helpers::fixtures().join("../schemas/InterfaceNuu_v0201.xsd");
    for n in nums.iter().step_by(300) {
        let fiche = store.lire(n).unwrap().unwrap();
        assert!(crate::helpers::xmllint_accepts(&schema, &fiche.contenu.0), "{n}");
        // Territory 222 asks for communes of Gironde.
        if n.ends_with("G2201") {
            assert!(fiche.attributs.communes.iter().all(|c| c.starts_with("33")), "{:?}", fiche.attributs.communes);
        }
    }
}

/// What a caller chose never forges a log line nor drives a terminal: a certificate of another
/// authority whose subject holds a newline and an escape sequence, and an `xop:Include href`
/// with a newline (written `&#10;`), reach the text log escaped, on one line.
#[tokio::test]
async fn caller_chosen_text_is_escaped_in_the_logs() {
    use crate::helpers::{
        client_config_files, demande_logement_inline, open, post_on, ACTION_DEMANDE, ACTION_NUM_UNIQUE, NS_SOAP12,
    };
    use http_body_util::BodyExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let (mut child, port, lines) = serve_logged(&dir.join("sne-gateway.toml"), &[], "info");
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();

    // A client certificate of another authority, its subject forged.
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::default();
    params.distinguished_name.push(rcgen::DnType::CommonName, "Forgé\nINFO faux: accepté\u{1b}[2J");
    let cert = params.self_signed(&key).unwrap();
    std::fs::write(tmp.path().join("forge.pem"), cert.pem()).unwrap();
    std::fs::write(tmp.path().join("forge.key"), key.serialize_pem()).unwrap();
    let cfg =
        client_config_files(&dir.join("pki/ca.pem"), &tmp.path().join("forge.pem"), &tmp.path().join("forge.key"));
    let refused = match open(addr, cfg).await {
        Err(e) => e,
        Ok(mut s) => match post_on(&mut s, ACTION_DEMANDE, demande_logement_inline("111112600000XG1104")).await {
            Ok((status, body)) => format!("{status} {body}"),
            Err(e) => e,
        },
    };
    assert!(!refused.starts_with("200"), "{refused}");

    // An href with a newline, from a known counter.
    let boundary = "limite";
    let corps = format!(
        "--{boundary}\r\nContent-Type: application/xop+xml; charset=UTF-8; type=\"application/soap+xml\"\r\nContent-ID: <root@client>\r\n\r\n<soap:Envelope xmlns:soap=\"{NS_SOAP12}\"><soap:Body><ns2:numUniqueParametres xmlns:ns2=\"http://ws.metier.nuu.application.i2/\"><nomFichierDemande>x.xml</nomFichierDemande><fichierDemande><xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"cid:a&#10;INFO faux: href\"/></fichierDemande><nomCertificat/><certificat/></ns2:numUniqueParametres></soap:Body></soap:Envelope>\r\n--{boundary}--\r\n"
    );
    let ct = format!(
        "multipart/related; type=\"application/xop+xml\"; boundary=\"{boundary}\"; start=\"<root@client>\"; start-info=\"application/soap+xml\"; action=\"{ACTION_NUM_UNIQUE}\""
    );
    let mut s = open(addr, crate::helpers::client_config(&dir.join("pki"), crate::helpers::As::Guichet("G1104")))
        .await
        .unwrap();
    let req = hyper::Request::post("/services/DemandeLogementImplService/")
        .header("Host", "localhost")
        .header("Content-Type", ct)
        .body(http_body_util::Full::new(bytes::Bytes::from(corps)))
        .unwrap();
    let resp = s.send_request(req).await.unwrap();
    let statut = resp.status();
    let texte = String::from_utf8(resp.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert_eq!(statut, 500, "{texte}");
    assert!(texte.contains("soap:Sender") && texte.contains("a\\nINFO faux: href"), "{texte}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _ = child.kill();
    let _ = child.wait();
    let logged = lines.lock().unwrap().clone();
    assert!(logged.iter().all(|l| !l.starts_with("INFO faux") && !l.contains('\u{1b}')), "{logged:#?}");
    assert!(logged.iter().any(|l| l.contains("Forgé\\nINFO faux: accepté\\u{1b}[2J")), "subject: {logged:#?}");
    assert!(logged.iter().any(|l| l.contains("« a\\nINFO faux: href »")), "href: {logged:#?}");
}

/// Every path under `dir` (itself included, links aside): path, permission bits, directory or not.
fn modes(dir: &std::path::Path) -> Vec<(std::path::PathBuf, u32, bool)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = Vec::new();
    let mut pile = vec![dir.to_path_buf()];
    while let Some(p) = pile.pop() {
        let meta = std::fs::symlink_metadata(&p).unwrap();
        if meta.file_type().is_symlink() {
            continue;
        }
        out.push((p.clone(), meta.permissions().mode() & 0o777, meta.is_dir()));
        if meta.is_dir() {
            pile.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
        }
    }
    out
}

/// Paths of `dir` with a bit for the group or others.
fn ouverts(dir: &std::path::Path) -> Vec<String> {
    modes(dir)
        .into_iter()
        .filter(|(_, m, _)| m & 0o077 != 0)
        .map(|(p, m, _)| format!("{} {m:04o}", p.display()))
        .collect()
}

/// What the gateway writes is its user's alone: the store's files (the engine's, the vault, a
/// piece's content), the backup, the school's keys and configuration. `check` names a directory
/// opened since, with the fix; school mode's `serve` closes what it made itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn everything_the_gateway_writes_is_for_its_user_only() {
    use crate::helpers::{client_config, open, As};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    let (ok, text) = sne(&["init", "--listen", "127.0.0.1:0", "--dir", dir.to_str().unwrap()]);
    assert!(ok, "{text}");
    let config = dir.join("sne-gateway.toml");
    let data = dir.join("db");
    let (mut child, port) = serve(&config);
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let mut s = open(addr, client_config(&dir.join("pki"), As::Guichet("G1104"))).await.unwrap();
    let num = register_on(&mut s).await;
    register_on(&mut s).await;
    let (_, reponse) =
        crate::televersement::deposer(crate::televersement::tls(&dir.join("pki"), "G1104"), port, &num, 200_000, 1)
            .await;
    assert!(String::from_utf8_lossy(&reponse).contains("PJ"), "{}", String::from_utf8_lossy(&reponse));
    let sauvegarde = tmp.path().join("sauvegarde");
    let (ok, text) = sne(&["backup", "--config", config.to_str().unwrap(), "--to", sauvegarde.to_str().unwrap()]);
    assert!(ok, "{text}");
    Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().unwrap();
    assert!(child.wait().unwrap().success());

    let tout: Vec<_> = [modes(&dir), modes(&sauvegarde), modes(&tmp.path().join("sne-data-master.key"))].concat();
    let nom = |p: &std::path::Path| p.file_name().unwrap().to_string_lossy().into_owned();
    // The walk sees what it must: the engine's own files, the vault, a piece, the backup's.
    assert!(data.join("db").is_file(), "le fichier du moteur n'est pas où on le cherche");
    for attendu in ["conf", "cles.sne", "donnees.sne", "manifeste.txt", "ca.key", "agents-ecole.txt"] {
        assert!(tout.iter().any(|(p, _, _)| nom(p) == attendu), "{attendu} absent : {tout:?}");
    }
    assert_eq!(tout.iter().filter(|(p, _, _)| nom(p).ends_with(".pj")).count(), 2, "la pièce et sa copie : {tout:?}");
    for (p, m, repertoire) in &tout {
        assert_eq!(*m, if *repertoire { 0o700 } else { 0o600 }, "{} en {m:04o}", p.display());
    }

    // A directory opened since (a copy, a chmod): check warns, names the path and the fix.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(data.join("conf"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let (ok, text) = sne(&["check", "--config", config.to_str().unwrap()]);
    assert!(ok, "{text}");
    for attendu in [
        format!("attention : server.data_dir : {} est accessible au groupe ou aux autres (mode 0755", data.display()),
        format!("{} est accessible au groupe ou aux autres (mode 0644", data.join("conf").display()),
        format!("corriger : chmod -R go-rwx {}", data.display()),
    ] {
        assert!(text.contains(&attendu), "{attendu} absent : {text}");
    }
    // School mode's serve closes its own directory again (one an earlier version left open).
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .current_dir(tmp.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    for line in stdout.lines().map_while(Result::ok) {
        if line.starts_with("Métriques") {
            break;
        }
    }
    Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().unwrap();
    child.wait().unwrap();
    assert_eq!(ouverts(&dir), Vec::<String>::new());
    let (ok, text) = sne(&["check", "--config", config.to_str().unwrap()]);
    assert!(ok && !text.contains("attention"), "{text}");
}

/// `serve --config` on a school configuration (written by `init`) installs and prints the school
/// agents as `serve` does on its own directory.
#[test]
fn serve_config_on_a_school_configuration_installs_the_school_agents() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ecole");
    let out = Command::new(BIN).args(["init", "--listen", "127.0.0.1:0", "--dir"]).arg(&dir).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let seen = banniere(
        Command::new(BIN)
            .args(["serve", "--metrics-listen", "127.0.0.1:0", "--config"])
            .arg(dir.join("sne-gateway.toml")),
    );
    let text = seen.join("\n");
    let ligne = seen.iter().find(|l| l.contains("agent g1104 / mot de passe")).unwrap_or_else(|| panic!("{text}"));
    let mdp = ligne.split("mot de passe ").nth(1).unwrap().split_whitespace().next().unwrap();
    let fichier = std::fs::read_to_string(dir.join("agents-ecole.txt")).unwrap();
    assert!(fichier.contains(mdp), "{fichier}");
    assert!(text.contains("Mode école") && text.contains("Espace demandeur"), "{text}");
}

/// The README's first clients are the checked-in examples, and they work against a school
/// gateway as a newcomer runs them: zeep registers the example dated today, a second run shows
/// the refusal read from `listeAnomalie`, and the curl script gets the file back.
#[test]
fn the_readmes_first_clients_register_the_example_of_the_day() {
    let racine = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(racine.join("README.md")).unwrap();
    for f in ["examples/premier_client.py", "examples/premier_client.sh"] {
        let texte = std::fs::read_to_string(racine.join(f)).unwrap();
        assert!(readme.contains(&texte), "README does not show {f} as it is");
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    let out = Command::new(BIN).args(["init", "--listen", "127.0.0.1:0", "--dir"]).arg(&dir).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (mut child, port) = serve(&dir.join("sne-gateway.toml"));
    let adresse = format!("https://localhost:{port}");
    let zeep = || {
        let out = Command::new("python3")
            .arg(racine.join("examples/premier_client.py"))
            .arg(&dir)
            .arg(&adresse)
            .current_dir(tmp.path())
            .output()
            .expect("python3");
        assert!(out.status.success(), "zeep (bash tests/interop/install.sh): {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let premier = zeep();
    assert!(premier.starts_with("numéro unique : 111"), "{premier}");
    assert!(std::fs::read(tmp.path().join("attestation.pdf")).unwrap().starts_with(b"%PDF-"));
    let second = zeep();
    assert!(second.starts_with("refusée : DOU-TROUVE interfaceNuu/") && second.contains("figure déjà"), "{second}");
    let out =
        Command::new("bash").arg(racine.join("examples/premier_client.sh")).arg(&dir).arg(&adresse).output().unwrap();
    let texte = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && texte.contains("<ns2:interfaceNuu") && texte.contains("DOU-TROUVE"), "{texte}");
    let _ = child.kill();
    let _ = child.wait();
}

/// What `serve` (run by `commande`) prints on stdout up to its metrics line (at most 30 s); the
/// server is then stopped.
fn banniere(commande: &mut Command) -> Vec<String> {
    let mut child = commande.env("NO_COLOR", "1").stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    for line in stdout.lines().map_while(Result::ok) {
        let fin = line.starts_with("Métriques");
        seen.push(line);
        if fin || Instant::now() > deadline {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    seen
}

/// Reads journal their access before they answer, shared flushes or not: under a read load of
/// 16 connections the gateway is killed (SIGKILL), and after a restart the application's journal
/// holds at least as many `getDemandeLogement` entries as reads were answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_read_answered_before_a_sigkill_is_in_the_journal_after_it() {
    use crate::helpers::{demande_logement_inline, open, post_on, ACTION_DEMANDE};
    use std::sync::atomic::{AtomicUsize, Ordering};
    let Ecole { tmp: _tmp, config, mut child, addr, tls, .. } = ecole_servie();
    let num = register_on(&mut open(addr, tls.clone()).await.unwrap()).await;

    let repondues = std::sync::Arc::new(AtomicUsize::new(0));
    let lecteurs: Vec<_> = (0..16)
        .map(|_| {
            let (tls, repondues, num) = (tls.clone(), repondues.clone(), num.clone());
            tokio::spawn(async move {
                let Ok(mut s) = open(addr, tls).await else { return };
                // Until the connection breaks: only a whole answer without a fault counts.
                while let Ok((status, body)) = post_on(&mut s, ACTION_DEMANDE, demande_logement_inline(&num)).await {
                    assert!(
                        status == 200 && body.contains("<fichierDemande>") && !body.contains("Fault"),
                        "{status} {body}"
                    );
                    repondues.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    let debut = Instant::now();
    while repondues.load(Ordering::SeqCst) < 300 && debut.elapsed() < Duration::from_secs(20) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    for l in lecteurs {
        l.await.unwrap();
    }
    let repondues = repondues.load(Ordering::SeqCst);
    assert!(repondues >= 300, "{repondues} lectures avant l'arrêt");

    let (ok, text) = sne(&["journal", "--config", config.to_str().unwrap(), "--num-unique", &num]);
    assert!(ok, "{text}");
    let journalisees = text.lines().filter(|l| l.starts_with("acces ") && l.ends_with("(getDemandeLogement)")).count();
    assert!(journalisees >= repondues, "{repondues} lectures répondues, {journalisees} au journal :\n{text}");
}
