//! Turning settings into a running gateway, in a way tests can drive (port 0, shutdown future).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

use crate::compute::Compute;
use crate::config::Settings;
use crate::control;
use crate::http::{
    self, Budget, ConnectionLimits, ConnectionSettings, Connections, Deadlines, Gateway, Rate, RateLimits,
};
use crate::metrics::Metrics;
use crate::registry::{Annuaire, Horloge, HorlogeSysteme, Registry};
use crate::store::{EngineError, MasterKey, Store, StoreError};

/// Why the gateway could not start, or had to stop.
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
    #[error("écoute sur {addr} impossible ({cle}, option --{option} de serve) : {}", crate::text::erreur_io(cause))]
    Bind {
        /// Address.
        addr: SocketAddr,
        /// The configuration key that names it.
        cle: &'static str,
        /// The option of `serve` that overrides it.
        option: &'static str,
        /// Cause.
        cause: std::io::Error,
    },
    /// The control socket.
    #[error("socket de contrôle {} impossible : {}", path.display(), crate::text::erreur_io(cause))]
    Control {
        /// Path.
        path: std::path::PathBuf,
        /// Cause.
        cause: std::io::Error,
    },
    /// The national catalogue of event types could not be installed.
    #[error("catalogue national des types d'événements non installé : {0}")]
    Catalogue(#[from] crate::registry::depot::DepotError),
    /// The system clock's shift is unreadable, or set outside school mode.
    #[error("{0}")]
    Horloge(String),
    /// A flush failed while serving: the gateway stopped so that nothing more is acknowledged.
    #[error("arrêt sur échec du vidage du stockage (aucune écriture confirmée après lui) : {0}")]
    FlushFailed(EngineError),
}

/// The applicants' portal as printed on certificates: `web.adresse_portail`, or in school mode
/// the local address on `port`.
pub fn adresse_portail(settings: &Settings, port: u16) -> Option<String> {
    settings
        .web
        .adresse_portail
        .clone()
        .or_else(|| settings.web.ecole.then(|| format!("https://localhost:{port}/demandeur/")))
}

/// A gateway bound to its port, ready to run.
pub struct Application {
    listener: TcpListener,
    metrics_listener: TcpListener,
    control: tokio::net::UnixListener,
    control_path: std::path::PathBuf,
    acceptor: Arc<RwLock<TlsAcceptor>>,
    gateway: Arc<Gateway>,
    store: Store,
    connections: Arc<Connections>,
    connection: ConnectionSettings,
    grace: Duration,
}

impl Application {
    /// Opens the store, loads TLS material and binds the listening socket (port 0 allowed).
    pub async fn build(settings: Settings) -> Result<Application, StartupError> {
        let key = MasterKey::load(&settings.server.master_key_file)?;
        let store = Store::open_avec_cache(&settings.server.data_dir, key, settings.server.cache_octets())?;
        Application::build_with_store(settings, store).await
    }

    /// As [`Application::build`], on a store already open (tests inject failing engines).
    /// The system clock may be shifted ([`crate::registry::VARIABLE_DECALAGE`]) in school mode
    /// only: a test base, never a registry of record.
    pub async fn build_with_store(settings: Settings, store: Store) -> Result<Application, StartupError> {
        let jours = crate::registry::decalage_systeme().map_err(|e| StartupError::Horloge(e.to_string()))?;
        if jours != 0 && !settings.web.ecole {
            return Err(StartupError::Horloge(format!(
                "{} ({jours} jours) n'est admis qu'en mode école ([web] ecole = true) : un registre réel vit au jour réel",
                crate::registry::VARIABLE_DECALAGE
            )));
        }
        if jours != 0 {
            tracing::warn!(
                jours,
                aujourd_hui = %HorlogeSysteme.aujourd_hui(),
                "horloge du registre décalée ({})",
                crate::registry::VARIABLE_DECALAGE
            );
        }
        Application::build_with_clock(settings, store, Arc::new(HorlogeSysteme)).await
    }

    /// As [`Application::build_with_store`], with the registry reading the time from `horloge`
    /// (tests set the day the life of an application is tested on).
    pub async fn build_with_clock(
        settings: Settings,
        store: Store,
        horloge: Arc<dyn Horloge>,
    ) -> Result<Application, StartupError> {
        let tls = http::server_config(&settings.tls)?;
        let annuaire = annuaire(&settings)?;
        store.activer_purge(Duration::from_secs(settings.server.purge_intervalle_secs))?;
        store.regler_groupage(Duration::from_millis(settings.server.groupage_ms));
        let listener = TcpListener::bind(settings.server.listen).await.map_err(|cause| StartupError::Bind {
            addr: settings.server.listen,
            cle: "server.listen",
            option: "listen",
            cause,
        })?;
        crate::store::droits::creer_repertoire(&settings.server.data_dir).map_err(StoreError::from)?;
        let control_path = control::socket_path(&settings.server.data_dir);
        let control = control::bind(&settings.server.data_dir)
            .map_err(|cause| StartupError::Control { path: control_path.clone(), cause })?;
        let metrics_listener =
            TcpListener::bind(settings.server.metrics_listen).await.map_err(|cause| StartupError::Bind {
                addr: settings.server.metrics_listen,
                cle: "server.metrics_listen",
                option: "metrics-listen",
                cause,
            })?;
        let l = &settings.limits;
        let compute = if l.compute_threads == 0 { Compute::per_core() } else { Compute::new(l.compute_threads) };
        let debits = RateLimits::default();
        debits.configure(rates(&settings));
        let portail = adresse_portail(&settings, listener.local_addr().map(|a| a.port()).unwrap_or(0));
        let gateway = Arc::new(Gateway {
            registry: Registry::with_horloge(Arc::new(store.clone()), compute.clone(), horloge)
                .avec_territoires(settings.perimetres())
                .avec_pieces(settings.regles_pieces())
                .avec_max_resultats(settings.recherche.max_resultats)
                .avec_portail(portail)
                .avec_foyer(crate::operations::personnes_du_fichier),
            store: store.clone(),
            annuaire: RwLock::new(Arc::new(annuaire)),
            debits,
            limits: l.clone(),
            compute,
            budget: Budget::new(l.max_bytes_in_flight, Duration::from_secs(l.budget_wait_secs)),
            metrics: Metrics::new(),
            stopping: AtomicBool::new(false),
            televersement: crate::http::Televersement {
                max_octets: settings.pieces.max_requete_octets,
                delai: Duration::from_secs(settings.pieces.delai_televersement_secs),
                max_parties: l.max_mime_parts.max(settings.pieces.max_par_lot + 1),
            },
            web: crate::web::Web::new(settings.web.reglages()),
            taille_max_piece: settings.pieces.taille_max_octets,
        });
        // A store made before the search existed: its applications get their entries once.
        if gateway.registry.index_recherche_a_construire()? {
            let n = gateway.registry.construire_index_recherche(crate::operations::faits_du_fichier).await?;
            if n > 0 {
                tracing::info!(demandes = n, "index de recherche construit pour les demandes existantes");
            }
        }
        // The national catalogue as shipped: a type changed in the file replaces the stored one.
        let installes = gateway.registry.installer_types(crate::evenements::nationaux()).await?;
        if installes > 0 {
            tracing::info!(types = installes, "catalogue national des types d'événements installé");
        }
        let connections = Connections::new(ConnectionLimits {
            anonymous: l.max_anonymous_connections,
            anonymous_per_address: l.max_anonymous_connections_per_address,
            per_counter: l.max_connections_per_counter,
        });
        let connection = ConnectionSettings {
            handshake: Duration::from_secs(l.handshake_timeout_secs),
            header: Duration::from_secs(l.header_timeout_secs),
            deadlines: Deadlines {
                idle: Duration::from_secs(l.idle_timeout_secs),
                write: Duration::from_secs(l.write_timeout_secs),
            },
        };
        Ok(Application {
            listener,
            metrics_listener,
            control,
            control_path,
            acceptor: Arc::new(RwLock::new(TlsAcceptor::from(tls))),
            gateway,
            store,
            connections,
            connection,
            grace: Duration::from_secs(l.shutdown_grace_secs),
        })
    }

    /// A handle that reloads counters, rate limits, the CRL and the server certificate while
    /// serving (SIGHUP, `sne-gateway reload`).
    pub fn reloader(&self) -> Reloader {
        Reloader { gateway: self.gateway.clone(), acceptor: self.acceptor.clone() }
    }

    /// The address of the plain-HTTP metrics listener.
    pub fn metrics_addr(&self) -> SocketAddr {
        self.metrics_listener.local_addr().expect("bound socket has an address")
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

    /// The registry this gateway serves (school mode installs its agents through it).
    pub fn registry(&self) -> &Registry {
        &self.gateway.registry
    }

    /// The web tool's state (tests age sessions and read the exchange journal).
    pub fn web(&self) -> &crate::web::Web {
        &self.gateway.web
    }

    /// Creates the school's console agents that do not exist yet.
    pub async fn installer_agents(&self, agents: &[crate::school::AgentEcole]) -> Result<(), StartupError> {
        let annuaire = self.gateway.annuaire();
        for a in agents {
            if self.gateway.registry.depot().agent(&a.login)?.is_some() {
                continue;
            }
            let Some(identite) = annuaire.par_code(a.code) else { continue };
            self.gateway
                .registry
                .ajouter_agent(&a.login, &a.nom, &identite, Some(a.mot_de_passe.clone()))
                .await
                .map_err(|e| StartupError::Guichet(a.code.to_string(), e.to_string()))?;
        }
        Ok(())
    }

    /// The registry of open connections (counts by kind, for metrics and tests).
    pub fn connections(&self) -> Arc<Connections> {
        self.connections.clone()
    }

    /// Serves until `shutdown` completes, then stops accepting, lets in-flight requests finish
    /// (up to `limits.shutdown_grace_secs`) and flushes. A failed flush stops the gateway the same
    /// way and returns [`StartupError::FlushFailed`]: after it nothing may be acknowledged.
    pub async fn run_until(self, shutdown: impl Future<Output = ()>) -> Result<(), StartupError> {
        // Connections watch this to stop taking new requests once the gateway stops.
        let (stop_tx, stop_rx) = watch::channel(false);
        let failure = self.store.failure();
        tokio::pin!(shutdown, failure);
        let control = tokio::spawn(control::serve(
            self.control,
            self.control_path,
            self.store.clone(),
            self.gateway.clone(),
            self.gateway.compute.clone(),
            stop_rx.clone(),
        ));
        let metrics = tokio::spawn(http::serve_metrics(
            self.metrics_listener,
            self.gateway.clone(),
            self.connections.clone(),
            stop_rx.clone(),
        ));
        let echeances = tokio::spawn(echeances_quotidiennes(self.gateway.registry.clone(), stop_rx.clone()));
        let mut tasks = JoinSet::new();
        let mut fatal = None;
        loop {
            tokio::select! {
                _ = &mut shutdown => break,
                error = &mut failure => { fatal = Some(error); break }
                // Finished connections are reaped as they go, so the set holds only live ones.
                Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
                accepted = self.listener.accept() => {
                    let (tcp, peer) = match accepted {
                        Ok(a) => a,
                        Err(e) => {
                            // Usually EMFILE: back off instead of spinning.
                            tracing::warn!(erreur = %e, "accept a échoué");
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            continue;
                        }
                    };
                    // Never waits: room is made by closing the oldest anonymous connection.
                    let ticket = self.connections.admit(peer.ip());
                    let acceptor = self.acceptor.read().unwrap_or_else(|p| p.into_inner()).clone();
                    tasks.spawn(http::serve_connection(
                        tcp,
                        peer,
                        acceptor,
                        self.gateway.clone(),
                        ticket,
                        self.connection,
                        stop_rx.clone(),
                    ));
                }
            }
        }
        drop(self.listener);
        self.gateway.stopping.store(true, Ordering::Relaxed);
        let _ = stop_tx.send(true);
        let drained = tokio::time::timeout(self.grace, async { while tasks.join_next().await.is_some() {} }).await;
        if drained.is_err() {
            tracing::warn!(restantes = tasks.len(), "délai d'arrêt écoulé : connexions interrompues");
            tasks.shutdown().await;
        }
        metrics.abort();
        echeances.abort();
        let _ = control.await;
        if let Some(error) = fatal {
            return Err(StartupError::FlushFailed(error));
        }
        self.store.durable().await?;
        Ok(())
    }
}

/// The counter directory a configuration describes.
pub fn annuaire(settings: &Settings) -> Result<Annuaire, StartupError> {
    let mut annuaire = Annuaire::default();
    for g in &settings.guichets {
        let err = |e: &dyn std::fmt::Display| StartupError::Guichet(g.code.clone(), e.to_string());
        let guichet = g.guichet().map_err(|e| err(&e))?;
        for (empreinte, revoque) in g.empreintes() {
            annuaire.ajouter(&empreinte, guichet.clone(), revoque);
        }
    }
    Ok(annuaire)
}

fn rates(settings: &Settings) -> Vec<(String, Rate)> {
    settings
        .guichets
        .iter()
        .filter_map(|g| g.debit().map(|(per_second, burst)| (g.code.clone(), Rate { per_second, burst })))
        .collect()
}

/// Reloads what may change while serving; see [`Application::reloader`].
#[derive(Clone)]
pub struct Reloader {
    gateway: Arc<Gateway>,
    acceptor: Arc<RwLock<TlsAcceptor>>,
}

impl Reloader {
    /// Applies `settings`: counters and their fingerprints, revocations, rate limits, the CRL and
    /// the server certificate. Open connections keep going; new ones see the new material. On
    /// error nothing changes.
    pub fn reload(&self, settings: &Settings) -> Result<(), StartupError> {
        let tls = http::server_config(&settings.tls)?;
        let annuaire = annuaire(settings)?;
        *self.acceptor.write().unwrap_or_else(|p| p.into_inner()) = TlsAcceptor::from(tls);
        *self.gateway.annuaire.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(annuaire);
        self.gateway.debits.configure(rates(settings));
        tracing::info!(guichets = settings.guichets.len(), "configuration rechargée");
        Ok(())
    }
}

/// How often the deadline task looks whether the Paris day changed.
const VEILLE_ECHEANCES: Duration = Duration::from_secs(600);

/// The time rules, once at start-up and then once per Paris day (mini-redis's purge task): the
/// notice list, `RADREN` radiations and erasures of the day. A failure is logged and tried again
/// at the next look; the rules are idempotent within a day.
async fn echeances_quotidiennes(registry: Registry, mut stop: watch::Receiver<bool>) {
    let mut fait: Option<time::Date> = None;
    loop {
        let jour = registry.horloge().aujourd_hui();
        if fait != Some(jour) {
            match registry.echeances(jour).await {
                Ok(_) => fait = Some(jour),
                Err(e) => tracing::error!(erreur = %e, "règles d'échéance non appliquées"),
            }
        }
        tokio::select! {
            _ = stop.wait_for(|s| *s) => return,
            _ = tokio::time::sleep(VEILLE_ECHEANCES) => {}
        }
    }
}
