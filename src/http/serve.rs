//! One connection, from the accepted socket to its last answer.
//!
//! In order: plain HTTP on the HTTPS port gets a readable 400; the TLS handshake has its own
//! deadline; a counter's certificate moves the connection out of the anonymous pool
//! ([`super::connections`]); the first request's head is read under our deadline (408 with a
//! fault); then hyper serves requests on a stream with idle and write deadlines, until the
//! client leaves, the gateway stops (graceful), or the connection is evicted for a newer one.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

use super::connections::Ticket;
use super::first_request::{answer_too_slow, read_head, Head, Prefixed};
use super::handler::{handle, Connexion, Gateway};
use super::watched_io::{Deadlines, Watched};
use crate::registry::Appelant;

/// Deadlines of a connection.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionSettings {
    /// TLS handshake.
    pub handshake: Duration,
    /// The first request's head (408 beyond), and later heads.
    pub header: Duration,
    /// Idle and blocked-write deadlines of the stream.
    pub deadlines: Deadlines,
}

/// Serves one accepted socket until it closes, `stop` turns true, or `ticket` is evicted.
pub async fn serve_connection(
    tcp: TcpStream,
    peer: SocketAddr,
    acceptor: TlsAcceptor,
    gateway: Arc<Gateway>,
    ticket: Ticket,
    settings: ConnectionSettings,
    stop: watch::Receiver<bool>,
) {
    tokio::select! {
        _ = ticket.evicted() => tracing::debug!(%peer, "connexion anonyme fermée pour faire place"),
        _ = serve(tcp, peer, acceptor, gateway, &ticket, settings, stop) => {}
    }
}

async fn serve(
    tcp: TcpStream,
    peer: SocketAddr,
    acceptor: TlsAcceptor,
    gateway: Arc<Gateway>,
    ticket: &Ticket,
    settings: ConnectionSettings,
    mut stop: watch::Receiver<bool>,
) {
    let Ok(local) = tcp.local_addr() else { return };
    // A TLS record starts with 0x16; a letter is a plain HTTP request line.
    let mut first = [0u8; 1];
    match tokio::time::timeout(settings.handshake, tcp.peek(&mut first)).await {
        Ok(Ok(1)) if first[0].is_ascii_alphabetic() => {
            tracing::info!(%peer, "HTTP en clair sur le port HTTPS : 400");
            answer_plain_http(tcp, local, settings.header).await;
            return;
        }
        Ok(Ok(1)) => {}
        _ => return,
    }
    let tcp = Watched::new(tcp, settings.deadlines);
    let mut tls = match tokio::time::timeout(settings.handshake, acceptor.accept(tcp)).await {
        Ok(Ok(tls)) => tls,
        Ok(Err(e)) => {
            // A certificate of another authority or an expired one is logged by the verifier
            // (subject and fingerprint); this covers the rest.
            let raison = e
                .get_ref()
                .and_then(|i| i.downcast_ref::<rustls::Error>())
                .map(|r| super::tls::raison_en_francais(r).to_string())
                .unwrap_or_else(|| crate::text::erreur_io(&e));
            tracing::debug!(%peer, %raison, "poignée de main TLS refusée");
            return;
        }
        Err(_) => {
            tracing::debug!(%peer, "poignée de main TLS trop lente");
            return;
        }
    };
    let empreinte =
        tls.get_ref().1.peer_certificates().and_then(|c| c.first()).map(|c| super::tls::fingerprint(c.as_ref()));
    if let Some(e) = empreinte.as_deref() {
        if let Appelant::Guichet(g) = gateway.annuaire().identifier(e) {
            if let Err(full) = ticket.identify(e) {
                tracing::warn!(guichet = g.code.as_str(), %full, "connexion refusée");
                return;
            }
        }
    }
    let head = match read_head(&mut tls, settings.header).await {
        Head::Complete(head) => head,
        Head::Closed => return,
        Head::TooSlow(partial) => {
            tracing::info!(%peer, "en-têtes trop lents : 408");
            answer_too_slow(&mut tls, &partial, settings.header).await;
            return;
        }
    };
    let conn = Arc::new(Connexion { empreinte, local, pair: peer });
    let svc = service_fn(move |req| handle(gateway.clone(), conn.clone(), req));
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(settings.header);
    let served = builder.serve_connection(TokioIo::new(Prefixed::new(head, tls)), svc);
    tokio::pin!(served);
    tokio::select! {
        r = served.as_mut() => { if let Err(e) = r { tracing::debug!(erreur = %e, "connexion close"); } }
        _ = async { let _ = stop.wait_for(|s| *s).await; } => {
            served.as_mut().graceful_shutdown();
            let _ = served.await;
        }
    }
}

/// Plain HTTP on the HTTPS port: a 400 a person can read, with the address to use.
async fn answer_plain_http(mut tcp: TcpStream, local: SocketAddr, deadline: Duration) {
    let head = match read_head(&mut tcp, deadline).await {
        Head::Complete(h) | Head::TooSlow(h) => h,
        Head::Closed => return,
    };
    let text = String::from_utf8_lossy(&head);
    let host = text
        .lines()
        .find_map(|l| l.split_once(':').filter(|(k, _)| k.trim().eq_ignore_ascii_case("host")))
        .map(|(_, v)| v.trim().to_string())
        .filter(|h| crate::service_description::host_is_safe(h))
        .unwrap_or_else(|| local.to_string());
    let body = format!(
        "Ce port n'accepte que HTTPS (TLS avec certificat client). Appelez https://{host}/services/DemandeLogementImplService/ (WSDL : https://{host}/services/DemandeLogementImplService/?wsdl).\n"
    );
    let answer = format!(
        "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(deadline, async {
        let _ = tcp.write_all(answer.as_bytes()).await;
        let _ = tcp.shutdown().await;
    })
    .await;
}
