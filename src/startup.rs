//! Turning settings into a running gateway, in a way tests can drive (port 0, shutdown future).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tokio_rustls::TlsAcceptor;

use crate::config::Settings;
use crate::http::{self, Connexion, Gateway};
use crate::pki;
use crate::registry::{Annuaire, CodeGuichet, Guichet, Registry, Territoire};
use crate::store::{MasterKey, Store, StoreError};

/// Why the gateway could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// TLS material.
    #[error(transparent)]
    Tls(#[from] http::TlsError),
    /// Store or master key.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A counter of the configuration is malformed.
    #[error("guichet {0} : {1}")]
    Guichet(String, String),
    /// The listening socket.
    #[error("écoute sur {addr} impossible : {source}")]
    Bind {
        /// Address.
        addr: SocketAddr,
        /// Cause.
        source: std::io::Error,
    },
}

/// A gateway bound to its port, ready to run.
pub struct Application {
    listener: TcpListener,
    acceptor: TlsAcceptor,
    gateway: Arc<Gateway>,
    store: Store,
    max_connections: usize,
    header_timeout: Duration,
}

impl Application {
    /// Opens the store, loads TLS material and binds the listening socket (port 0 allowed).
    pub async fn build(settings: Settings) -> Result<Application, StartupError> {
        let tls = http::server_config(&settings.tls.cert, &settings.tls.key, &settings.tls.client_ca)?;
        let key = MasterKey::load(&settings.server.master_key_file)?;
        let store = Store::open(&settings.server.data_dir, key)?;
        let mut annuaire = Annuaire::default();
        for g in &settings.guichets {
            let err = |e: &dyn std::fmt::Display| StartupError::Guichet(g.code.clone(), e.to_string());
            let guichet = Guichet {
                code: CodeGuichet::parse(&g.code).map_err(|e| err(&e))?,
                territoire: Territoire::parse(&g.territoire).map_err(|e| err(&e))?,
                nom: g.nom.clone(),
            };
            annuaire.ajouter(&g.empreinte, guichet, g.revoque);
        }
        let listener = TcpListener::bind(settings.server.listen)
            .await
            .map_err(|source| StartupError::Bind { addr: settings.server.listen, source })?;
        let gateway =
            Arc::new(Gateway { registry: Registry::new(store.clone()), annuaire, limits: settings.limits.clone() });
        Ok(Application {
            listener,
            acceptor: TlsAcceptor::from(tls),
            gateway,
            store,
            max_connections: settings.limits.max_connections,
            header_timeout: Duration::from_secs(settings.limits.header_timeout_secs),
        })
    }

    /// The bound address (with the real port when 0 was asked).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("bound socket has an address")
    }

    /// A handle on the store this gateway writes to (shares its engine and flusher), so that
    /// load generators and operators' tools can read counters such as [`Store::flush_count`].
    pub fn store(&self) -> Store {
        self.store.clone()
    }

    /// Serves until `shutdown` completes, then lets open connections finish (up to 10 s).
    pub async fn run_until(self, shutdown: impl Future<Output = ()>) -> std::io::Result<()> {
        // The semaphore bounds memory under a connection flood: past the limit, new
        // connections wait in the kernel's backlog instead of in our heap.
        let permits = Arc::new(Semaphore::new(self.max_connections));
        // Connections watch this to stop taking new requests once shutdown starts.
        let (stop_tx, stop_rx) = watch::channel(false);
        let local = self.local_addr();
        tokio::pin!(shutdown);
        loop {
            let permit = tokio::select! {
                _ = &mut shutdown => break,
                p = permits.clone().acquire_owned() => p.expect("semaphore never closed"),
            };
            let (tcp, _peer) = tokio::select! {
                _ = &mut shutdown => break,
                accepted = self.listener.accept() => match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        // Usually EMFILE: back off instead of spinning.
                        tracing::warn!(erreur = %e, "accept a échoué");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
            };
            let acceptor = self.acceptor.clone();
            let gateway = self.gateway.clone();
            let header_timeout = self.header_timeout;
            let mut stop = stop_rx.clone();
            tokio::spawn(async move {
                let _permit = permit;
                let tls = match tokio::time::timeout(header_timeout, acceptor.accept(tcp)).await {
                    Ok(Ok(tls)) => tls,
                    Ok(Err(e)) => {
                        tracing::debug!(erreur = %e, "poignée de main TLS refusée");
                        return;
                    }
                    Err(_) => {
                        tracing::debug!("poignée de main TLS trop lente");
                        return;
                    }
                };
                let mut tls = tls;
                let empreinte =
                    tls.get_ref().1.peer_certificates().and_then(|c| c.first()).map(|c| pki::fingerprint(c.as_ref()));
                let head = match http::read_head(&mut tls, header_timeout).await {
                    http::Head::Complete(head) => head,
                    http::Head::Closed => return,
                    http::Head::TooSlow(partial) => {
                        tracing::info!("en-têtes trop lents : 408");
                        http::answer_too_slow(&mut tls, &partial, header_timeout).await;
                        return;
                    }
                };
                let conn = Arc::new(Connexion { empreinte, local });
                let svc = service_fn(move |req| http::handle(gateway.clone(), conn.clone(), req));
                let mut builder = http1::Builder::new();
                builder.timer(TokioTimer::new()).header_read_timeout(header_timeout);
                let served = builder.serve_connection(TokioIo::new(http::Prefixed::new(head, tls)), svc);
                tokio::pin!(served);
                tokio::select! {
                    r = served.as_mut() => { if let Err(e) = r { tracing::debug!(erreur = %e, "connexion close"); } }
                    _ = async { let _ = stop.wait_for(|s| *s).await; } => {
                        served.as_mut().graceful_shutdown();
                        let _ = served.await;
                    }
                }
            });
        }
        let _ = stop_tx.send(true);
        // Every connection holds a permit: getting them all back means all are done.
        let all = u32::try_from(self.max_connections).unwrap_or(u32::MAX);
        let _ = tokio::time::timeout(Duration::from_secs(10), permits.acquire_many(all)).await;
        self.store.durable().await.map_err(std::io::Error::other)?;
        Ok(())
    }
}
