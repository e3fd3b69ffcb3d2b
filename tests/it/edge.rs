//! The production edge under attack: connection floods, a saturated compute pool, the byte
//! budget, idle connections, plain HTTP, and a failed flush.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sne_gateway::store::{FlushFails, MasterKey, Store};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::*;

/// Generous: these bounds catch a server that waits for a slot or a core, not a slow machine.
const BOUND: Duration = Duration::from_secs(5);

async fn register(gw: &TestGateway, who: &'static str) -> Reply {
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    let file = fixture("demande/valid/cre_complet_v0201.xml");
    gw.post_soap(As::Guichet(who), &[("Content-Type", &ct)], num_unique_inline(&file)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_idle_sockets_and_stalled_handshakes_never_keep_a_counter_out() {
    // Both ends of 1 000 sockets live in this process.
    rlimit::increase_nofile_limit(8192).unwrap();
    let gw = spawn_gateway().await;
    let mut flood = Vec::new();
    for i in 0..1000 {
        let mut tcp = TcpStream::connect(gw.addr).await.unwrap();
        if i % 2 == 1 {
            // The first bytes of a TLS record, then nothing: a stalled handshake.
            tcp.write_all(&[0x16, 0x03, 0x01, 0x02, 0x00, 0x01]).await.unwrap();
        }
        flood.push(tcp);
    }
    let start = Instant::now();
    let reply = register(&gw, "G1104").await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(start.elapsed() < BOUND, "guichet servi en {:?} pendant l'inondation", start.elapsed());
    // An anonymous newcomer (a WSDL reader) gets in too: it displaces the oldest of the flood.
    let start = Instant::now();
    let wsdl = gw.request(As::Nobody, "GET", "/services/DemandeLogementImplService/?wsdl", &[], Vec::new()).await;
    assert_eq!(wsdl.status, 200);
    assert!(start.elapsed() < BOUND, "WSDL servi en {:?}", start.elapsed());
    // Most of the flood was closed by the server to make room.
    let mut closed = 0;
    for tcp in &mut flood {
        let mut b = [0u8; 1];
        if let Ok(Ok(0) | Err(_)) = tokio::time::timeout(Duration::from_millis(5), tcp.read(&mut b)).await {
            closed += 1;
        }
    }
    assert!(closed > 800, "{closed} connexions de l'inondation fermées sur 1000");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saturated_compute_pool_leaves_handshakes_and_the_wsdl_alive() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let gw = Arc::new(start_with(&dir, |s| s.limits.compute_threads = 1).await);
    let done = Arc::new(AtomicUsize::new(0));
    let n = 24;
    let heavy: Vec<_> = (0..n)
        .map(|_| {
            let (gw, done) = (gw.clone(), done.clone());
            tokio::spawn(async move {
                let reply = register(&gw, "G1104").await;
                done.fetch_add(1, Ordering::SeqCst);
                reply.status
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let start = Instant::now();
    // A new TLS handshake and a WSDL download while the pool works through the queue.
    let wsdl = gw.request(As::Nobody, "GET", "/services/DemandeLogementImplService/?wsdl", &[], Vec::new()).await;
    let took = start.elapsed();
    let finished = done.load(Ordering::SeqCst);
    assert_eq!(wsdl.status, 200);
    assert!(took < BOUND, "WSDL servi en {took:?}");
    assert!(finished < n, "le WSDL a attendu la fin des {n} enregistrements");
    for h in heavy {
        assert_eq!(h.await.unwrap(), 200);
    }
}

async fn raw_request(tls: &mut (impl AsyncWriteExt + Unpin), head: &str, body: &[u8]) {
    tls.write_all(head.as_bytes()).await.unwrap();
    tls.write_all(body).await.unwrap();
}

/// The answer's text, after checking its status.
async fn read_answer_with(status: u16, stream: &mut (impl AsyncReadExt + Unpin)) -> String {
    let o = crate::answer::read_answer(stream).await;
    assert_eq!(o.status, status, "{}", o.text);
    o.text
}

#[tokio::test]
async fn past_the_byte_budget_a_request_waits_then_gets_503_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let gw = start_with(&dir, |s| {
        s.limits.max_body_bytes = 60_000;
        s.limits.max_bytes_in_flight = 60 * 1024;
        s.limits.budget_wait_secs = 1;
    })
    .await;
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    // A request that declares 60 000 bytes and sends a few: its reservation holds the budget.
    let mut holder = gw.connect(As::Guichet("G1104")).await;
    let head = format!(
        "POST /services/DemandeLogementImplService/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: {ct}\r\nContent-Length: 60000\r\n\r\n"
    );
    raw_request(&mut holder, &head, b"<soap:Envelope").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let file = fixture("demande/valid/cre_minimal_v0200.xml");
    let body = num_unique_inline(&file);
    let mut second = gw.connect(As::Guichet("G1104")).await;
    let head = format!(
        "POST /services/DemandeLogementImplService/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let start = Instant::now();
    raw_request(&mut second, &head, &body).await;
    let answer = read_answer_with(503, &mut second).await;
    assert!(answer.to_ascii_lowercase().contains("retry-after: 1"), "{answer}");
    assert!(answer.contains("limits.max_bytes_in_flight") && answer.contains("61440 octets"), "{answer}");
    assert!(start.elapsed() >= Duration::from_millis(900), "refusé sans attendre : {:?}", start.elapsed());
    // Once the holder is gone, the budget is back.
    drop(holder);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], body).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[tokio::test]
async fn idle_connections_are_closed_at_the_idle_deadline() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let gw = start_with(&dir, |s| s.limits.idle_timeout_secs = 1).await;
    // Kept alive after one answer, then nothing: closed after about a second.
    let mut tls = gw.connect(As::Guichet("G1104")).await;
    raw_request(&mut tls, "GET /services/DemandeLogementImplService/?wsdl HTTP/1.1\r\nHost: localhost\r\n\r\n", b"")
        .await;
    read_answer_with(200, &mut tls).await;
    let start = Instant::now();
    let mut b = [0u8; 1];
    let read = tokio::time::timeout(BOUND, tls.read(&mut b)).await.expect("connexion inactive non fermée");
    assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
    assert!(start.elapsed() >= Duration::from_millis(800), "fermée trop tôt : {:?}", start.elapsed());
}

#[tokio::test]
async fn plain_http_on_the_https_port_gets_400_with_the_https_address() {
    let gw = spawn_gateway().await;
    let mut tcp = TcpStream::connect(gw.addr).await.unwrap();
    let port = gw.addr.port();
    let request = format!("GET /services/DemandeLogementImplService/?wsdl HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n");
    tcp.write_all(request.as_bytes()).await.unwrap();
    let answer = read_answer_with(400, &mut tcp).await;
    assert!(answer.contains(&format!("https://localhost:{port}/services/DemandeLogementImplService/")), "{answer}");
    assert!(answer.contains("HTTPS"), "{answer}");
}

#[tokio::test]
async fn a_failed_flush_answers_a_receiver_fault_and_stops_the_gateway() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let data = tmp.path().join("autre-stockage");
    let engine = Arc::new(FlushFails::open(&data).unwrap());
    let store = Store::with_engine(engine.clone(), MasterKey::random(), &data).unwrap();
    let mut gw = start_on(&dir, |_| {}, Some(store)).await;
    assert_eq!(register(&gw, "G1104").await.status, 200);
    engine.fail();
    let reply = register(&gw, "G1104").await;
    assert_eq!(reply.status, 500, "{}", reply.text());
    let text = reply.text();
    // The national server's sentence, which deployed clients look for, as Reason and detail.
    let phrase = "Une erreur inattendue est survenue lors du traitement de la demande.";
    assert!(text.contains("Receiver") && text.matches(phrase).count() == 2, "{text}");
    assert!(!text.to_lowercase().contains("vidage") && !text.contains("fsync"), "no cause sent: {text}");
    assert!(!text.contains("numUnique"), "un numéro a été annoncé : {text}");
    let stopped = gw.stopped_by_itself(BOUND).await;
    assert!(
        matches!(stopped, Err(sne_gateway::startup::StartupError::FlushFailed(_))),
        "{:?}",
        stopped.map_err(|e| e.to_string())
    );
    assert!(TcpStream::connect(gw.addr).await.is_err(), "la passerelle accepte encore");
}
