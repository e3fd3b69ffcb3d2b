//! Hostile or broken input gets a fault (or 413/408) naming the problem and the limit, stores
//! nothing, and leaves the server up.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::*;

fn envelope(body: &str) -> Vec<u8> {
    format!(r#"<soap:Envelope xmlns:soap="{NS_SOAP12}"><soap:Body>{body}</soap:Body></soap:Envelope>"#).into_bytes()
}

async fn assert_fault(gw: &TestGateway, ct: &str, body: Vec<u8>, needles: &[&str]) {
    let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", ct)], body).await;
    assert_eq!(reply.status, 500, "{}", reply.text());
    let text = reply.text();
    assert!(text.contains("Fault"), "{text}");
    assert!(text.contains("demandeLogementException"), "{text}");
    for n in needles {
        assert!(text.contains(n), "{n:?} absent de : {text}");
    }
}

async fn still_serves(gw: &TestGateway) {
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    let file = fixture("demande/valid/cre_minimal_v0200.xml");
    let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], num_unique_inline(&file)).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[tokio::test]
async fn malformed_messages_are_faults_naming_the_problem() {
    let mut gw = spawn_gateway().await;
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    assert_fault(
        &gw,
        &ct,
        b"<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Body>".to_vec(),
        &["XML mal formé"],
    )
    .await;
    let doctype = format!("<!DOCTYPE x [<!ENTITY a \"b\">]>{}", String::from_utf8(envelope("<a/>")).unwrap());
    assert_fault(&gw, &ct, doctype.into_bytes(), &["DOCTYPE"]).await;
    let wrong_ns = br#"<soap:Envelope xmlns:soap="urn:pas-soap"><soap:Body><a/></soap:Body></soap:Envelope>"#.to_vec();
    assert_fault(&gw, &ct, wrong_ns, &["urn:pas-soap"]).await;
    let unknown = envelope(r#"<ns2:inventeParametres xmlns:ns2="http://ws.metier.nuu.application.i2/"/>"#);
    assert_fault(
        &gw,
        &ct,
        unknown,
        &[
            "Opération inconnue",
            "inventeParametres",
            "{http://ws.metier.nuu.application.i2/}numUniqueParametres",
            "{http://ws.metier.nuu.application.i2/}demandeLogementParametres",
        ],
    )
    .await;
    // Parser and base64 reasons in French, with where the document broke.
    let casse = b"<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\">\n<soap:Body><ns2:numUniqueParametres xmlns:ns2=\"http://ws.metier.nuu.application.i2/\">\n  <a b=c/>".to_vec();
    assert_fault(&gw, &ct, casse, &["valeur d'attribut sans guillemets", "ligne 3, colonne 3"]).await;
    let b64 = String::from_utf8(num_unique_inline(&fixture("demande/valid/cre_minimal_v0200.xml")))
        .unwrap()
        .replace("<fichierDemande>", "<fichierDemande>PD94!");
    assert_fault(&gw, &ct, b64.into_bytes(), &["base64", "caractère « ! » invalide au symbole n° 5"]).await;
    let wrong_ns_wrapper = envelope(r#"<ns2:numUniqueParametres xmlns:ns2="urn:autre"/>"#);
    assert_fault(&gw, &ct, wrong_ns_wrapper, &["Opération inconnue", "urn:autre"]).await;
    let file = fixture("demande/valid/cre_minimal_v0200.xml");
    let mismatch = soap12_headers(ACTION_DEMANDE);
    assert_fault(&gw, &mismatch, num_unique_inline(&file), &["getDemandeLogement", "numUniqueParametres"]).await;
    let foreign = soap12_headers("http://autre.example/x/getNumUnique");
    assert_fault(
        &gw,
        &foreign,
        num_unique_inline(&file),
        &["Action SOAP incohérente", "http://autre.example/x/getNumUnique"],
    )
    .await;
    let long_name = format!("<ns2:{} xmlns:ns2=\"http://ws.metier.nuu.application.i2/\"/>", "x".repeat(200_000));
    let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], envelope(&long_name)).await;
    assert!(
        reply.text().contains("Opération inconnue") && reply.body.len() < 10_000,
        "faute de {} octets",
        reply.body.len()
    );
    let extra =
        String::from_utf8(num_unique_inline(&file)).unwrap().replace("<nomCertificat>", "<intrus/><nomCertificat>");
    assert_fault(&gw, &ct, extra.into_bytes(), &["intrus"]).await;
    still_serves(&gw).await;
    assert_eq!(stored_count(&mut gw).await, 1);
}

#[tokio::test]
async fn dangling_mtom_reference_is_a_fault() {
    let gw = spawn_gateway().await;
    let headers = String::from_utf8(fixture("mtom/crlf_8bit.headers")).unwrap();
    let ct = headers.lines().find_map(|l| l.strip_prefix("Content-Type:")).unwrap().trim().to_string();
    let body = String::from_utf8_lossy(&fixture("mtom/crlf_8bit.body")).into_owned();
    let start = body.find("href=\"cid:").unwrap() + "href=\"cid:".len();
    let end = start + body[start..].find('"').unwrap();
    let broken = format!("{}partie-absente{}", &body[..start], &body[end..]);
    assert_fault(&gw, &ct, broken.clone().into_bytes(), &["partie-absente"]).await;
    // Labelled SOAP 1.1 as node-soap does, holding a SOAP 1.2 envelope: the fault follows the
    // envelope, since that is what the client parses.
    let labelled_11 = ct.replace("start-info=\"application/soap+xml\"", "start-info=\"text/xml\"");
    assert_ne!(labelled_11, ct);
    let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &labelled_11)], broken.into_bytes()).await;
    assert!(reply.content_type.starts_with("application/soap+xml"), "{}", reply.content_type);
    assert!(reply.text().contains("<soap:Value>soap:Sender</soap:Value>"), "{}", reply.text());
    still_serves(&gw).await;
}

#[tokio::test]
async fn limits_are_enforced_and_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let mut gw = start_with(&dir, |s| {
        s.limits.max_body_bytes = 200_000;
        s.limits.max_xml_depth = 20;
        s.limits.max_xml_attributes = 8;
        s.limits.max_xml_nodes = 1000;
        s.limits.max_xml_total_attributes = 50;
        s.limits.max_xml_text_bytes = 100_000;
        s.limits.max_xml_namespace_declarations = 10;
    })
    .await;
    let ct = soap12_headers(ACTION_NUM_UNIQUE);

    let big = vec![b'a'; 300_000];
    let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], big).await;
    assert_eq!(reply.status, 413, "{}", reply.text());
    assert!(reply.text().contains("200000"), "{}", reply.text());

    // Inside a known wrapper: an unknown one is refused from its start tag, before any limit.
    let wrapped = |inner: &str| {
        envelope(&format!(
            r#"<ns2:numUniqueParametres xmlns:ns2="http://ws.metier.nuu.application.i2/">{inner}</ns2:numUniqueParametres>"#
        ))
    };
    let deep = format!("{}{}", "<a>".repeat(30), "</a>".repeat(30));
    assert_fault(&gw, &ct, wrapped(&deep), &["profondeur", "20", "limits.max_xml_depth"]).await;

    let attrs: String = (0..12).map(|i| format!(" a{i}=\"x\"")).collect();
    assert_fault(&gw, &ct, wrapped(&format!("<a{attrs}/>")), &["attributs", "8", "limits.max_xml_attributes"]).await;
    assert_fault(&gw, &ct, wrapped(&"<a/>".repeat(2000)), &["1000 nœuds", "limits.max_xml_nodes"]).await;
    let four = r#"<a b="" c="" d="" e=""/>"#.repeat(20);
    assert_fault(&gw, &ct, wrapped(&four), &["50 attributs", "limits.max_xml_total_attributes"]).await;
    let text = format!("<a>{}</a>", "x".repeat(150_000));
    assert_fault(&gw, &ct, wrapped(&text), &["100000 octets de texte", "limits.max_xml_text_bytes"]).await;
    let declarations: String = (0..20).map(|i| format!(r#"<a xmlns:p{i}="urn:{i}"/>"#)).collect();
    assert_fault(&gw, &ct, wrapped(&declarations), &["10 déclarations", "limits.max_xml_namespace_declarations"]).await;

    // The same limits apply to the business file inside the message.
    let mut file = String::from_utf8(fixture("demande/valid/cre_minimal_v0200.xml")).unwrap();
    file = file.replace("<ns2:entete>", &format!("<ns2:entete{attrs}>"));
    let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], num_unique_inline(file.as_bytes())).await;
    assert_eq!(reply.status, 500, "{}", reply.text());
    let text = reply.text();
    assert!(text.contains("Fault") && text.contains("attributs") && text.contains("8 attributs"), "{text}");

    still_serves(&gw).await;
    assert_eq!(stored_count(&mut gw).await, 1);
}

#[tokio::test]
async fn slow_clients_are_cut_at_the_deadlines() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let gw = start_with(&dir, |s| {
        s.limits.header_timeout_secs = 1;
        s.limits.body_timeout_secs = 1;
    })
    .await;

    // Headers never finished: 408 with a fault naming the limit, then the connection closes.
    let mut tls = gw.connect(As::Guichet("G1104")).await;
    tls.write_all(b"POST /services/DemandeLogementImplService/ HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), tls.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "connexion non fermée après le délai d'en-têtes");
    let text = String::from_utf8_lossy(&buf);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(
        text.contains("en-têtes") && text.contains("1 secondes") && text.contains("demandeLogementException"),
        "{text}"
    );

    // Body trickling past its deadline: 408 naming the limit.
    let mut tls = gw.connect(As::Guichet("G1104")).await;
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    let head = format!(
        "POST /services/DemandeLogementImplService/ HTTP/1.1\r\nHost: x\r\nContent-Type: {ct}\r\nContent-Length: 1000\r\n\r\n<soap:Envelope"
    );
    tls.write_all(head.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(5), tls.read(&mut buf)).await.expect("pas de réponse").unwrap();
    let text = String::from_utf8_lossy(&buf[..n]);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("1 secondes"), "{text}");
    still_serves(&gw).await;
}

/// A body over `limits.max_body_bytes` sent whole before the answer is read, as Python's
/// `requests` (zeep) and Java's `HttpURLConnection` (JAX-WS) do: the gateway reads and discards
/// it (up to a bound) so the client receives the 413 fault instead of a reset, declared length
/// or chunked; checked with a raw client and with `requests` itself.
#[tokio::test]
async fn a_client_that_sends_its_whole_body_first_reads_the_413() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let gw = start_with(&dir, |s| s.limits.max_body_bytes = 1 << 20).await;
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    let gros = vec![b'a'; 12 << 20];
    for chunked in [false, true] {
        let mut tls = gw.connect(As::Guichet("G1104")).await;
        let longueur =
            if chunked { "Transfer-Encoding: chunked".to_string() } else { format!("Content-Length: {}", gros.len()) };
        let tete = format!(
            "POST /services/DemandeLogementImplService/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: {ct}\r\n{longueur}\r\n\r\n"
        );
        tls.write_all(tete.as_bytes()).await.unwrap();
        if chunked {
            for morceau in gros.chunks(64 << 10) {
                tls.write_all(format!("{:x}\r\n", morceau.len()).as_bytes()).await.unwrap();
                tls.write_all(morceau).await.unwrap();
                tls.write_all(b"\r\n").await.unwrap();
            }
            tls.write_all(b"0\r\n\r\n").await.unwrap();
        } else {
            tls.write_all(&gros).await.expect("the whole body is read, never a reset");
        }
        tls.flush().await.unwrap();
        let mut reponse = Vec::new();
        let _ = tokio::time::timeout(std::time::Duration::from_secs(20), tls.read_to_end(&mut reponse)).await;
        let texte = String::from_utf8_lossy(&reponse);
        assert!(texte.starts_with("HTTP/1.1 413"), "chunked {chunked}: {}", &texte[..texte.len().min(300)]);
        assert!(
            texte.contains("limits.max_body_bytes") && texte.to_lowercase().contains("connection: close"),
            "{texte}"
        );
    }

    // Python's requests, as zeep uses it.
    let pki = dir.join("pki");
    let script = format!(
        r#"
import requests
r = requests.post("https://localhost:{port}/services/DemandeLogementImplService/",
                  data=b"a" * (12 << 20), headers={{"Content-Type": '{ct}'}},
                  cert=("{pem}", "{key}"), verify="{ca}", timeout=30)
print(r.status_code)
print(r.text)
"#,
        port = gw.addr.port(),
        ct = ct,
        pem = pki.join("client-G1104.pem").display(),
        key = pki.join("client-G1104.key").display(),
        ca = pki.join("ca.pem").display(),
    );
    let out = tokio::process::Command::new("python3").arg("-c").arg(&script).output().await.expect("python3");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.starts_with("413") && stdout.contains("limits.max_body_bytes"),
        "requests (bash tests/interop/install.sh installs it): {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A client that stops sending in the middle of its body is cut by the connection's idle
/// deadline and told so: a 408 fault in French naming the limits (for a streamed deposit,
/// `pieces.delai_televersement_secs`), never hyper's English 400.
#[tokio::test]
async fn a_stalled_body_gets_a_408_naming_its_limits() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let gw = start_with(&dir, |s| {
        s.limits.idle_timeout_secs = 1;
        s.limits.body_timeout_secs = 30;
    })
    .await;
    let boundary = "limite";
    let mtom = format!(
        "multipart/related; type=\"application/xop+xml\"; boundary=\"{boundary}\"; start=\"<root@client>\"; start-info=\"application/soap+xml\"; action=\"http://ws.metier.nuu.application.i2/deposerPiece\""
    );
    let soap = soap12_headers(ACTION_NUM_UNIQUE);
    for (chemin, ct, debut, attendus) in [
        (
            "/services/PieceJustificativeImplService/",
            mtom.as_str(),
            format!("--{boundary}\r\nContent-Type: application/xop+xml; type=\"application/soap+xml\"\r\nContent-ID: <root@client>\r\n\r\n<soap:Envelope"),
            ["Téléversement interrompu", "pieces.delai_televersement_secs", "limits.idle_timeout_secs"],
        ),
        (
            "/services/DemandeLogementImplService/",
            soap.as_str(),
            "<soap:Envelope".to_string(),
            ["Requête trop lente", "limits.idle_timeout_secs", "limits.body_timeout_secs"],
        ),
    ] {
        let mut tls = gw.connect(As::Guichet("G1104")).await;
        let tete = format!("POST {chemin} HTTP/1.1\r\nHost: x\r\nContent-Type: {ct}\r\nContent-Length: 100000\r\n\r\n{debut}");
        tls.write_all(tete.as_bytes()).await.unwrap();
        let mut buf = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(10), tls.read_to_end(&mut buf)).await;
        let text = String::from_utf8_lossy(&buf);
        assert!(text.starts_with("HTTP/1.1 408"), "{chemin}: {text}");
        for a in attendus {
            assert!(text.contains(a), "{chemin}: {a} absent: {text}");
        }
        assert!(!text.contains("error") && !text.contains("illisible"), "hyper's reason: {text}");
    }
    still_serves(&gw).await;
}
