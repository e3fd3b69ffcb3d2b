//! The sne-gateway binary: command line and process edges only.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use sne_gateway::config::Settings;
use sne_gateway::school;
use sne_gateway::startup::{Application, Reloader};

/// Passerelle du contrat SOAP du système national d'enregistrement (SNE) des demandes de logement
/// social.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// Format des journaux (sur la sortie d'erreur).
    #[arg(long, value_enum, default_value = "texte", global = true)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    /// Lignes lisibles.
    Texte,
    /// Un objet JSON par ligne.
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Lance la passerelle. Sans --config : mode école dans ./sne-data, certificats de test et
    /// deux guichets de test créés au premier démarrage.
    Serve {
        /// Fichier de configuration d'un déploiement réel.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Adresse d'écoute du mode école (par défaut 127.0.0.1:8443).
        #[arg(long)]
        listen: Option<String>,
    },
    /// Écrit une configuration école, sa PKI de test et sa clé maîtresse dans DIR.
    Init {
        /// Répertoire cible.
        #[arg(long, default_value = "sne-data")]
        dir: PathBuf,
        /// Adresse d'écoute de la configuration écrite.
        #[arg(long, default_value = "127.0.0.1:8443")]
        listen: String,
    },
    /// Vérifie une configuration et les fichiers qu'elle désigne, puis s'arrête.
    Check {
        /// Fichier de configuration.
        #[arg(long)]
        config: PathBuf,
    },
    /// Demande à la passerelle en service de relire sa configuration (guichets, révocations,
    /// CRL, certificat serveur), comme SIGHUP.
    Reload {
        /// Fichier de configuration de la passerelle en service.
        #[arg(long)]
        config: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logs(cli.log_format);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => return fail(anyhow::Error::from(e).context("démarrage du moteur d'exécution")),
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

/// A user's mistake or our failure, in French and without a backtrace (even with
/// RUST_BACKTRACE set): the chain of causes is what an operator needs.
fn fail(e: anyhow::Error) -> ExitCode {
    eprintln!("erreur : {e:#}");
    ExitCode::FAILURE
}

fn init_logs(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_writer(std::io::stderr).with_env_filter(filter);
    match format {
        LogFormat::Json => builder.json().with_current_span(false).init(),
        LogFormat::Texte => builder.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())).init(),
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve { config: Some(path), listen: None } => serve(Settings::load(&path)?, None).await,
        Command::Serve { config: Some(_), listen: Some(_) } => {
            anyhow::bail!("--listen ne s'emploie qu'en mode école ; avec --config, l'adresse est server.listen")
        }
        Command::Serve { config: None, listen } => {
            let dir = Path::new("sne-data");
            let config = dir.join(school::CONFIG_FILE);
            if !config.exists() {
                school::init(dir, listen.as_deref().unwrap_or("127.0.0.1:8443"))
                    .context("initialisation du mode école")?;
                println!("Mode école : PKI de test, clé maîtresse et configuration créées.");
            }
            let mut settings = Settings::load(&config)?;
            if let Some(listen) = listen {
                settings.server.listen =
                    listen.parse().with_context(|| format!("--listen {listen} : adresse IP:port attendue"))?;
            }
            serve(settings, Some(dir)).await
        }
        Command::Init { dir, listen } => {
            let setup = school::init(&dir, &listen)?;
            println!("configuration : {}", setup.config.display());
            println!("PKI de test : {}", setup.pki.dir.display());
            println!("clé maîtresse : {}", setup.master_key.display());
            println!("Lancer : sne-gateway serve --config {}", setup.config.display());
            Ok(())
        }
        Command::Check { config } => check(&config),
        Command::Reload { config } => {
            let settings = Settings::load(&config)?;
            let pid_file = pid_file(&settings);
            let pid = std::fs::read_to_string(&pid_file)
                .with_context(|| format!("aucune passerelle en service ({} illisible)", pid_file.display()))?;
            let status = std::process::Command::new("kill")
                .arg("-HUP")
                .arg(pid.trim())
                .status()
                .context("envoi de SIGHUP (commande kill)")?;
            anyhow::ensure!(status.success(), "la passerelle {} ne répond pas à SIGHUP", pid.trim());
            println!("rechargement demandé à la passerelle {}", pid.trim());
            Ok(())
        }
    }
}

fn check(config: &Path) -> anyhow::Result<()> {
    let settings = Settings::load(config)?;
    let mut problems = Vec::new();
    if let Err(e) = sne_gateway::http::server_config(&settings.tls) {
        problems.push(format!("tls : {e}"));
    }
    if let Err(e) = sne_gateway::store::MasterKey::load(&settings.server.master_key_file) {
        problems.push(format!("server.master_key_file : {e}"));
    }
    anyhow::ensure!(problems.is_empty(), "configuration invalide :\n  - {}", problems.join("\n  - "));
    if settings.guichets.is_empty() {
        println!("attention : aucun guichet configuré ([[guichets]]) : tout appel SOAP sera refusé");
    }
    println!(
        "configuration valide : écoute {}, {} guichet(s), données dans {}",
        settings.server.listen,
        settings.guichets.len(),
        settings.server.data_dir.display()
    );
    Ok(())
}

/// Where a serving gateway writes its process id, for `reload`.
fn pid_file(settings: &Settings) -> PathBuf {
    settings.server.data_dir.join("sne-gateway.pid")
}

async fn serve(settings: Settings, school_dir: Option<&Path>) -> anyhow::Result<()> {
    let config_path = settings.source.clone();
    let app = Application::build(settings.clone()).await.context("démarrage")?;
    // Bound before anything is printed: the addresses shown are the ones that answer.
    let port = app.local_addr().port();
    if let Some(dir) = school_dir {
        print_school(dir, &settings, port);
    }
    println!("Métriques Prometheus : http://{}/metrics", app.metrics_addr());
    tracing::info!(adresse = %app.local_addr(), metriques = %app.metrics_addr(), "sne-gateway à l'écoute");
    let pid_file = pid_file(&settings);
    std::fs::write(&pid_file, std::process::id().to_string())
        .with_context(|| format!("écriture de {}", pid_file.display()))?;
    let reloads = tokio::spawn(reload_on_sighup(app.reloader(), config_path));
    let result = app.run_until(stop_signal()).await;
    reloads.abort();
    let _ = std::fs::remove_file(&pid_file);
    result.context("la passerelle s'est arrêtée sur une erreur")?;
    tracing::info!("arrêt terminé");
    Ok(())
}

/// SIGTERM (systemd, containers) or SIGINT (a terminal).
async fn stop_signal() {
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("gestionnaire SIGTERM");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!("arrêt demandé : fin des requêtes en cours");
}

/// Each SIGHUP re-reads the configuration file; a broken file is logged and changes nothing.
async fn reload_on_sighup(reloader: Reloader, config: Option<PathBuf>) {
    #[cfg(unix)]
    {
        let Ok(mut hup) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) else { return };
        while hup.recv().await.is_some() {
            let Some(path) = config.as_deref() else { continue };
            match Settings::load(path).map_err(anyhow::Error::from).and_then(|s| Ok(reloader.reload(&s)?)) {
                Ok(()) => {}
                Err(e) => tracing::error!(erreur = %format!("{e:#}"), "rechargement refusé : configuration inchangée"),
            }
        }
    }
}

/// What a newcomer needs on every start: where the test credentials are and how to call.
fn print_school(dir: &Path, settings: &Settings, port: u16) {
    let pki = dir.join("pki");
    println!("Mode école ({}) :", dir.join(school::CONFIG_FILE).display());
    println!("  autorité de certification : {}", pki.join("ca.pem").display());
    for (code, territoire, nom) in school::GUICHETS_ECOLE {
        println!(
            "  guichet {code} ({nom}, territoire {territoire}) : {} / {}",
            pki.join(format!("client-{code}.pem")).display(),
            pki.join(format!("client-{code}.key")).display()
        );
    }
    println!("  clé maîtresse : {}", settings.server.master_key_file.display());
    println!("  WSDL : https://localhost:{port}/services/DemandeLogementImplService/?wsdl");
    println!("Enregistrer la demande d'exemple :\n{}", school::curl_command(dir, port));
}
