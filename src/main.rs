//! The sne-gateway binary: command line and process edges only.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Parser, Subcommand};
use sne_gateway::config::Settings;
use sne_gateway::school;
use sne_gateway::startup::Application;

/// Gateway speaking the national social-housing registry (SNE) SOAP contract.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the gateway. Without --config: school mode in ./sne-data on 127.0.0.1:8443,
    /// generating test certificates and two test counters on first start.
    Serve {
        /// Configuration file for a real deployment.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Writes a school configuration, its test PKI and master key into DIR.
    Init {
        /// Target directory.
        #[arg(long, default_value = "sne-data")]
        dir: PathBuf,
        /// Address the generated configuration listens on.
        #[arg(long, default_value = "127.0.0.1:8443")]
        listen: String,
    },
    /// Checks a configuration file and the files it names, then exits.
    Check {
        /// Configuration file.
        #[arg(long)]
        config: PathBuf,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    match Cli::parse().command {
        Command::Serve { config: Some(path) } => serve(&path).await,
        Command::Serve { config: None } => {
            let dir = Path::new("sne-data");
            let config = dir.join(school::CONFIG_FILE);
            if !config.exists() {
                school::init(dir, "127.0.0.1:8443").context("initialisation du mode école")?;
                println!("Mode école : PKI de test, clé maîtresse et configuration créées.");
            }
            let settings = Settings::load(&config)?;
            print_school(dir, &settings);
            run(settings).await
        }
        Command::Init { dir, listen } => {
            let setup = school::init(&dir, &listen)?;
            println!("configuration : {}", setup.config.display());
            println!("PKI de test : {}", setup.pki.dir.display());
            println!("clé maîtresse : {}", setup.master_key.display());
            Ok(())
        }
        Command::Check { config } => {
            let settings = Settings::load(&config)?;
            sne_gateway::http::server_config(&settings.tls.cert, &settings.tls.key, &settings.tls.client_ca)?;
            sne_gateway::store::MasterKey::load(&settings.server.master_key_file)?;
            println!(
                "configuration valide : écoute {}, {} guichet(s), données dans {}",
                settings.server.listen,
                settings.guichets.len(),
                settings.server.data_dir.display()
            );
            Ok(())
        }
    }
}

/// What a newcomer needs on every start: where the test credentials are and how to call.
fn print_school(dir: &Path, settings: &Settings) {
    let pki = dir.join("pki");
    println!("Mode école ({}) :", config_display(dir));
    println!("  autorité de certification : {}", pki.join("ca.pem").display());
    for (code, territoire, nom) in school::GUICHETS_ECOLE {
        println!(
            "  guichet {code} ({nom}, territoire {territoire}) : {} / {}",
            pki.join(format!("client-{code}.pem")).display(),
            pki.join(format!("client-{code}.key")).display()
        );
    }
    println!("  clé maîtresse : {}", settings.server.master_key_file.display());
    println!("  WSDL : https://localhost:{}/services/DemandeLogementImplService/?wsdl", settings.server.listen.port());
    println!("Enregistrer la demande d'exemple :\n{}", school::curl_command(dir, settings.server.listen.port()));
}

fn config_display(dir: &Path) -> String {
    dir.join(school::CONFIG_FILE).display().to_string()
}

async fn serve(path: &Path) -> anyhow::Result<()> {
    run(Settings::load(path)?).await
}

async fn run(settings: Settings) -> anyhow::Result<()> {
    let app = Application::build(settings).await.context("démarrage")?;
    tracing::info!(adresse = %app.local_addr(), "sne-gateway à l'écoute");
    app.run_until(async {
        // systemd and container runtimes stop with SIGTERM; a terminal with ctrl-c.
        #[cfg(unix)]
        {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("arrêt demandé : fin des requêtes en cours");
    })
    .await?;
    Ok(())
}
