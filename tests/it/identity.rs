//! A missing, unknown, revoked or foreign certificate never reaches an operation.

use crate::helpers::*;

async fn register_as(gw: &TestGateway, who: As) -> Reply {
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    let file = fixture("demande/valid/cre_minimal_v0200.xml");
    gw.post_soap(who, &[("Content-Type", &ct)], num_unique_inline(&file)).await
}

fn assert_refused(reply: &Reply, needle: &str) {
    assert_eq!(reply.status, 500, "{}", reply.text());
    let text = reply.text();
    assert!(text.contains("Fault") && text.contains("Sender"), "{text}");
    assert!(text.contains("demandeLogementException"), "{text}");
    assert!(text.contains(needle), "{needle} absent de : {text}");
}

#[tokio::test]
async fn missing_certificate_gets_a_fault_and_stores_nothing() {
    let mut gw = spawn_gateway().await;
    assert_refused(&register_as(&gw, As::Nobody).await, "certificat client absent");
    assert_eq!(stored_count(&mut gw).await, 0);
}

#[tokio::test]
async fn unknown_certificate_of_our_ca_gets_a_fault() {
    let mut gw = spawn_gateway().await;
    let pki = gw.dir.join("pki");
    let ca = sne_gateway::pki::TestCa::from_pem(
        &std::fs::read_to_string(pki.join("ca.pem")).unwrap(),
        &std::fs::read_to_string(pki.join("ca.key")).unwrap(),
    )
    .unwrap();
    let issued = ca.issue_client("G9999", "Guichet non déclaré").unwrap();
    std::fs::write(pki.join("client-G9999.pem"), &issued.cert_pem).unwrap();
    std::fs::write(pki.join("client-G9999.key"), &issued.key_pem).unwrap();
    assert_refused(&register_as(&gw, As::Guichet("G9999")).await, "certificat client inconnu");
    assert_eq!(stored_count(&mut gw).await, 0);
}

#[tokio::test]
async fn revoked_certificate_gets_a_fault() {
    let mut gw = spawn_gateway().await;
    let dir = gw.dir.clone();
    let tmp = gw.keep_dir();
    gw.stop().await;
    let mut gw = start_with(&dir, |s| {
        for g in &mut s.guichets {
            if g.code == "G1104" {
                g.revoque = true;
            }
        }
    })
    .await;
    assert_refused(&register_as(&gw, As::Guichet("G1104")).await, "révoqué");
    assert_eq!(stored_count(&mut gw).await, 0);
    drop(tmp);
}

#[tokio::test]
async fn certificate_of_another_ca_fails_the_handshake() {
    let gw = spawn_gateway().await;
    let other = tempfile::tempdir().unwrap();
    sne_gateway::pki::write_school_pki(other.path(), &[("G1104", "Imposteur")]).unwrap();
    // Trust our server, but present the impostor's certificate.
    std::fs::copy(gw.dir.join("pki/ca.pem"), other.path().join("ca.pem")).unwrap();
    let config = client_config(other.path(), As::Guichet("G1104"));
    let tcp = tokio::net::TcpStream::connect(gw.addr).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let outcome = async {
        let tls = tokio_rustls::TlsConnector::from(config).connect(name, tcp).await?;
        let (mut sender, conn) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(tls))
            .await
            .map_err(std::io::Error::other)?;
        tokio::spawn(conn);
        let req = hyper::Request::post("/services/DemandeLogementImplService/")
            .body(http_body_util::Full::new(bytes::Bytes::new()))
            .unwrap();
        sender.send_request(req).await.map_err(std::io::Error::other)
    }
    .await;
    assert!(outcome.is_err(), "un certificat d'une autre autorité a été accepté");
}
