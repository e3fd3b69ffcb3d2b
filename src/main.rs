//! The sne-gateway binary: command line and process edges only.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use sne_gateway::config::Settings;
use sne_gateway::registry::{Horloge, HorlogeSysteme};
use sne_gateway::school;
use sne_gateway::startup::{Application, Reloader};

/// Passerelle du contrat SOAP du système national d'enregistrement (SNE) des demandes de logement
/// social.
#[derive(Parser)]
#[command(version)]
struct Cli {
    /// Format des journaux sur la sortie d'erreur : texte (par défaut) ou json (un objet par
    /// ligne).
    #[arg(
        long,
        value_enum,
        default_value = "texte",
        global = true,
        hide_possible_values = true,
        hide_default_value = true
    )]
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
        /// Adresse des métriques Prometheus, à la place de server.metrics_listen (par défaut
        /// 127.0.0.1:9464) : deux passerelles sur une machine en prennent chacune une.
        #[arg(long)]
        metrics_listen: Option<String>,
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
    /// Guichets de la base de test : émettre un certificat client (PEM et PKCS#12), révoquer,
    /// lister. La configuration est mise à jour et la passerelle en service la relit.
    Guichets {
        #[command(subcommand)]
        action: GuichetsAction,
    },
    /// Envoie la demande d'exemple à la passerelle école en service (guichet G1104), affiche
    /// le numéro attribué et écrit le fichier rendu et l'attestation PDF.
    Exemple {
        /// Répertoire école.
        #[arg(long, default_value = "sne-data")]
        dir: PathBuf,
        /// Port de la passerelle (par défaut celui de la configuration école).
        #[arg(long)]
        port: Option<u16>,
        /// Répertoire où écrire le fichier et l'attestation.
        #[arg(long, default_value = ".")]
        sortie: PathBuf,
        /// refInterne de la demande (18 caractères au plus). Par défaut un nouveau à chaque
        /// lancement : chaque exemple est une nouvelle demande. Le même une seconde fois est une
        /// reprise : même numéro, nouveau code d'accès.
        #[arg(long)]
        reference: Option<String>,
    },
    /// Sauvegarde cohérente du stockage dans un répertoire neuf, passerelle en service ou non.
    Backup {
        /// Fichier de configuration.
        #[arg(long)]
        config: PathBuf,
        /// Répertoire de la sauvegarde.
        #[arg(long)]
        to: PathBuf,
    },
    /// Restaure une sauvegarde dans server.data_dir (vide ou absent), passerelle arrêtée.
    Restore {
        /// Fichier de configuration.
        #[arg(long)]
        config: PathBuf,
        /// Répertoire de la sauvegarde.
        #[arg(long)]
        from: PathBuf,
    },
    /// Vérifie que chaque demande se déchiffre avec la clé maîtresse et que index et séquences
    /// concordent avec les demandes ; code de sortie non nul et liste des problèmes sinon.
    Verify {
        /// Fichier de configuration.
        #[arg(long)]
        config: PathBuf,
    },
    /// Données de démonstration.
    Demo {
        #[command(subcommand)]
        action: DemoAction,
    },
    /// Dossier unique : rapport des dossiers incomplets, import de pièces en masse.
    Pieces {
        #[command(subcommand)]
        action: PiecesAction,
    },
    /// Comptes des agents de la console web (/console/) : création, désactivation, liste.
    Agents {
        #[command(subcommand)]
        action: AgentsAction,
    },
    /// Gestion partagée : catalogue des types d'événements.
    Evenements {
        #[command(subcommand)]
        action: EvenementsAction,
    },
    /// Règles de temps du cycle de vie des demandes (aussi appliquées chaque jour par `serve`).
    Lifecycle {
        #[command(subcommand)]
        action: LifecycleAction,
    },
    /// Versions et journal des accès d'une demande : qui l'a écrite, qui l'a lue, quand (sans son
    /// contenu).
    Journal {
        /// Fichier de configuration.
        #[arg(long)]
        config: PathBuf,
        /// Numéro unique de la demande.
        #[arg(long = "num-unique")]
        num_unique: String,
    },
    /// Demande à la passerelle en service de relire sa configuration (guichets, révocations,
    /// CRL, certificat serveur), comme SIGHUP.
    Reload {
        /// Fichier de configuration de la passerelle en service.
        #[arg(long)]
        config: PathBuf,
    },
}

#[derive(Subcommand)]
enum AgentsAction {
    /// Crée un compte d'agent rattaché à une identité de la configuration (un guichet ou un
    /// service consultant) : l'agent voit et fait dans la console ce que cette identité peut.
    Ajouter {
        /// Fichier de configuration.
        #[arg(long)]
        config: PathBuf,
        /// Identifiant de connexion (3 à 40 caractères : a-z, 0-9, « . », « - », « _ »).
        #[arg(long)]
        login: String,
        /// Nom affiché.
        #[arg(long)]
        nom: String,
        /// Code de l'identité de rattachement ([[guichets]] code = ...).
        #[arg(long)]
        rattachement: String,
        /// Lit le mot de passe (12 caractères au moins) sur l'entrée standard au lieu d'en tirer
        /// un au hasard.
        #[arg(long)]
        mot_de_passe_stdin: bool,
    },
    /// Désactive un compte (ses sessions ouvertes sont fermées).
    Desactiver {
        /// Fichier de configuration.
        #[arg(long)]
        config: PathBuf,
        /// Identifiant.
        #[arg(long)]
        login: String,
    },
    /// Liste les comptes.
    Lister {
        /// Fichier de configuration.
        #[arg(long)]
        config: PathBuf,
    },
}

#[derive(Subcommand)]
enum EvenementsAction {
    /// Types d'événements : le catalogue national (chargé à chaque démarrage depuis
    /// assets/evenements/types-nationaux.toml) et les types territoriaux.
    Types {
        #[command(subcommand)]
        action: TypesAction,
    },
}

#[derive(Subcommand)]
enum TypesAction {
    /// Ajoute (ou remplace, même code) les types d'un fichier au format du catalogue national à
    /// un territoire ; listerTypesEvenementsTerritoriaux les renvoie aux guichets du territoire.
    Ajouter {
        /// Fichier de configuration.
        #[arg(long)]
        config: PathBuf,
        /// Code du territoire.
        #[arg(long)]
        territoire: String,
        /// Fichier TOML des types (format décrit en tête de assets/evenements/types-nationaux.toml).
        #[arg(long)]
        fichier: PathBuf,
    },
    /// Liste les types : nationaux et territoriaux (d'un territoire avec --territoire).
    Lister {
        /// Fichier de configuration.
        #[arg(long)]
        config: PathBuf,
        /// Code du territoire.
        #[arg(long)]
        territoire: Option<String>,
    },
}

#[derive(Subcommand)]
enum PiecesAction {
    /// Les dossiers actifs incomplets d'un territoire, par guichet : pièces manquantes pour
    /// l'enregistrement (en retard après le délai de dépôt) et pour la commission d'attribution.
    Rapport {
        /// Fichier de configuration.
        #[arg(long)]
        config: PathBuf,
        /// Code du territoire.
        #[arg(long)]
        territoire: String,
    },
    /// Dépose les pièces d'un manifeste CSV (numUnique;codeCategorie;personne;fichier) par le
    /// service des pièces, comme un prestataire de numérisation ; reprend là où une exécution
    /// interrompue s'est arrêtée, sans rien déposer deux fois ; écrit <manifeste>.refus.csv.
    Import {
        /// Manifeste CSV.
        #[arg(long)]
        manifest: PathBuf,
        /// Configuration de la passerelle (mode école : adresse, autorité et certificats de `pki/`).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Identité de mode école dont utiliser le certificat (pki/client-<CODE>.pem).
        #[arg(long, default_value = "P0001")]
        identite: String,
        /// Adresse de la passerelle (hôte:port ; défaut : celle de la configuration, sur 127.0.0.1).
        #[arg(long)]
        adresse: Option<String>,
        /// Nom TLS du serveur.
        #[arg(long, default_value = "localhost")]
        nom_serveur: String,
        /// Certificat client (PEM), au lieu de celui de l'identité de mode école.
        #[arg(long, requires = "key")]
        cert: Option<PathBuf>,
        /// Clé du certificat client (PEM).
        #[arg(long, requires = "cert")]
        key: Option<PathBuf>,
        /// Autorité du certificat serveur (PEM).
        #[arg(long)]
        ca: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum DemoAction {
    /// Remplit le stockage de demandes synthétiques réalistes (noms accentués, dates de
    /// naissance, communes du territoire, revenus, cotitulaires, une sur sept radiée), réparties
    /// entre les guichets configurés ; passerelle arrêtée.
    Seed {
        /// Fichier de configuration.
        #[arg(long)]
        config: PathBuf,
        /// Nombre de demandes.
        #[arg(long)]
        count: usize,
        /// Graine du tirage (mêmes demandes pour la même graine).
        #[arg(long, default_value_t = 1)]
        graine: u64,
    },
}

#[derive(Subcommand)]
enum LifecycleAction {
    /// Applique les règles d'un jour (jour de Paris ; aujourd'hui par défaut) : liste des demandes
    /// qui expirent dans le mois (préavis), radiation RADREN un mois après l'expiration,
    /// effacement un an après la radiation. Passe par la passerelle en service s'il y en a une.
    Run {
        /// Fichier de configuration.
        #[arg(long)]
        config: PathBuf,
        /// Jour des règles (AAAA-MM-JJ).
        #[arg(long)]
        at: Option<String>,
        /// Montre ce qui changerait ce jour-là (radiations, effacements) sans rien changer.
        #[arg(long)]
        simulation: bool,
        /// Applique quand même les règles d'un jour futur hors mode école : radiations et
        /// effacements avant leur date, irréversibles.
        #[arg(long)]
        confirmer_jour_futur: bool,
    },
}

#[derive(Subcommand)]
enum GuichetsAction {
    /// Émet un certificat client pour un guichet (nouveau, ou renouvellement d'un existant : les
    /// deux certificats restent valables jusqu'à la révocation de l'ancien).
    Ajouter {
        /// Fichier de configuration.
        #[arg(long)]
        config: PathBuf,
        /// Code du guichet (5 lettres majuscules ou chiffres).
        #[arg(long)]
        code: String,
        /// Territoire (3 caractères), pour un nouveau guichet.
        #[arg(long)]
        territoire: Option<String>,
        /// Nom du guichet, pour un nouveau guichet.
        #[arg(long)]
        nom: Option<String>,
        /// Répertoire où écrire le certificat, la clé et le paquet PKCS#12.
        #[arg(long, default_value = ".")]
        sortie: PathBuf,
        /// Mot de passe du paquet PKCS#12 (par défaut : tiré au hasard et affiché).
        #[arg(long)]
        mot_de_passe: Option<String>,
    },
    /// Révoque les certificats d'un guichet (tous, ou celui d'une empreinte) par la CRL.
    Revoquer {
        /// Fichier de configuration.
        #[arg(long)]
        config: PathBuf,
        /// Code du guichet.
        #[arg(long)]
        code: String,
        /// Empreinte SHA-256 du seul certificat à révoquer.
        #[arg(long)]
        empreinte: Option<String>,
    },
    /// Liste les guichets, leurs empreintes et leurs limites.
    Lister {
        /// Fichier de configuration.
        #[arg(long)]
        config: PathBuf,
    },
}

/// jemalloc, not glibc's malloc (benches/README.md, "Side by side"): under load glibc's arenas
/// were a fifth of the gateway's CPU (locks shared by the runtime's and blocking threads, and
/// every large buffer freed consolidated the small ones), and kept what each thread freed.
#[global_allocator]
static ALLOCATEUR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's settings, read at its start (`_RJEM_MALLOC_CONF` in the environment overrides
/// them): two arenas (two cores; each thread keeps a small cache of its own), freed pages given
/// back after a second by jemalloc's own thread rather than by the requests.
#[allow(non_upper_case_globals)]
#[unsafe(export_name = "_rjem_malloc_conf")]
pub static malloc_conf: Option<&'static u8> =
    Some(&b"narenas:2,background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0\0"[0]);

fn main() -> ExitCode {
    // Before anything is created: whatever this process writes (the engine's own files, which
    // take the umask, as much as ours) is for its user only. Every command, so none forgets it:
    // what the binary writes is store data, keys, certificates or the files of one application.
    // SAFETY: umask only swaps the process's file-creation mask; no memory is involved.
    unsafe {
        libc::umask(0o077);
    }
    let cli = match parse_args() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
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

/// The command line in French: clap's own headings, flags and errors are English.
fn parse_args() -> Result<Cli, ExitCode> {
    use clap::{CommandFactory, FromArgMatches};
    let command = en_francais(Cli::command(), true);
    let matches = command.try_get_matches().map_err(|e| {
        use clap::error::{ContextKind, ErrorKind};
        match e.kind() {
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
                let _ = e.print();
                return ExitCode::FAILURE;
            }
            _ => {}
        }
        let arg = e.get(ContextKind::InvalidArg).map(|a| a.to_string()).unwrap_or_default();
        let value = e.get(ContextKind::InvalidValue).map(|v| v.to_string()).unwrap_or_default();
        let why = match e.kind() {
            ErrorKind::UnknownArgument => format!("argument inconnu {arg}"),
            ErrorKind::InvalidSubcommand => format!(
                "commande inconnue {}",
                e.get(ContextKind::InvalidSubcommand).map(|v| v.to_string()).unwrap_or_default()
            ),
            ErrorKind::MissingRequiredArgument => format!("argument obligatoire absent : {arg}"),
            ErrorKind::InvalidValue | ErrorKind::ValueValidation => format!("valeur « {value} » invalide pour {arg}"),
            ErrorKind::ArgumentConflict => format!("arguments incompatibles : {arg}"),
            ErrorKind::NoEquals
            | ErrorKind::TooManyValues
            | ErrorKind::TooFewValues
            | ErrorKind::WrongNumberOfValues => {
                format!("nombre de valeurs incorrect pour {arg}")
            }
            _ => "ligne de commande invalide".to_string(),
        };
        eprintln!("erreur : {why}\nAide : sne-gateway --help");
        ExitCode::from(2)
    })?;
    Cli::from_arg_matches(&matches).map_err(|_| ExitCode::from(2))
}

fn en_francais(command: clap::Command, racine: bool) -> clap::Command {
    use clap::{Arg, ArgAction};
    let mut command = command
        .help_template("{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("Commandes")
        .subcommand_value_name("COMMANDE")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(Arg::new("aide").short('h').long("help").action(ArgAction::Help).help("Affiche l'aide").global(racine));
    if racine {
        command = command
            .disable_version_flag(true)
            .arg(Arg::new("version").short('V').long("version").action(ArgAction::Version).help("Affiche la version"));
    }
    command.mut_subcommands(|c| en_francais(c, false))
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
        Command::Serve { config: Some(path), listen: None, metrics_listen } => {
            let mut settings = Settings::load(&path)?;
            metriques_sur(&mut settings, metrics_listen.as_deref())?;
            // A school configuration (`init --dir DIR` wrote it in DIR) is served as `serve`
            // serves its own: the school agents installed and printed with the test credentials.
            let ecole = settings.web.ecole.then(|| path.parent().unwrap_or(Path::new(".")).to_path_buf());
            let ecole = ecole.filter(|d| d.join("pki").is_dir());
            serve(settings, ecole.as_deref()).await
        }
        Command::Serve { config: Some(_), listen: Some(_), .. } => {
            anyhow::bail!("--listen ne s'emploie qu'en mode école ; avec --config, l'adresse est server.listen")
        }
        Command::Serve { config: None, listen, metrics_listen } => {
            let dir = Path::new("sne-data");
            let config = dir.join(school::CONFIG_FILE);
            if !config.exists() {
                school::init(dir, listen.as_deref().unwrap_or("127.0.0.1:8443"))
                    .context("initialisation du mode école")?;
                println!("Mode école : PKI de test, clé maîtresse et configuration créées.");
            }
            // The example is dated of the day at each start, so the printed line keeps working.
            school::ecrire_exemple(dir, HorlogeSysteme.aujourd_hui())?;
            let mut settings = Settings::load(&config)?;
            if let Some(listen) = listen {
                settings.server.listen =
                    listen.parse().with_context(|| format!("--listen {listen} : adresse IP:port attendue"))?;
            }
            metriques_sur(&mut settings, metrics_listen.as_deref())?;
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
            let pid = signal_reload(&Settings::load(&config)?)?
                .ok_or_else(|| anyhow::anyhow!("aucune passerelle en service pour {}", config.display()))?;
            println!("rechargement demandé à la passerelle {pid}");
            Ok(())
        }
        Command::Guichets { action } => guichets(action),
        Command::Exemple { dir, port, sortie, reference } => {
            let settings = Settings::load(&dir.join(school::CONFIG_FILE))
                .context("pas de répertoire école : lancez d'abord `sne-gateway serve`")?;
            let port = port.unwrap_or(settings.server.listen.port());
            let reference = reference.unwrap_or_else(school::reference_exemple);
            let r = school::exemple(&dir, port, &sortie, &reference).await.map_err(anyhow::Error::msg)?;
            match &r.num_unique {
                Some(num) if r.reprise => println!(
                    "Demande déjà enregistrée : reprise (refInterne {reference} déjà envoyé) ; numéro {num}, \
                     l'attestation porte un nouveau code d'accès qui remplace le précédent"
                ),
                Some(num) => println!("Demande enregistrée sous le numéro {num} (refInterne {reference})"),
                None => {
                    println!("Demande refusée :");
                    for a in &r.anomalies {
                        println!("  {a}");
                    }
                }
            }
            println!("  fichier rendu : {}", r.fichier.display());
            if let Some(pdf) = &r.attestation {
                println!("  attestation d'enregistrement : {}", pdf.display());
            }
            Ok(())
        }
        Command::Backup { config, to } => {
            let settings = Settings::load(&config)?;
            let command = format!("sauvegarde {}", absolute(&to)?.display());
            let answer = match sne_gateway::control::send(&settings.server.data_dir, &command).await {
                Some(lines) => lines,
                None => {
                    let store = open_store(&settings)?;
                    let r = store.backup(&to)?;
                    vec![format!("ok {} paires, {} demandes, {} octets", r.pairs, r.demandes, r.bytes)]
                }
            };
            finish_control(answer, &format!("sauvegarde écrite dans {}", to.display()))
        }
        Command::Restore { config, from } => {
            let settings = Settings::load(&config)?;
            anyhow::ensure!(
                sne_gateway::control::send(&settings.server.data_dir, "ping").await.is_none(),
                "une passerelle est en service sur {} : arrêtez-la avant de restaurer",
                settings.server.data_dir.display()
            );
            let key = sne_gateway::store::MasterKey::load(&settings.server.master_key_file)?;
            let r = sne_gateway::store::Store::restore(&from, &settings.server.data_dir, key)?;
            println!(
                "restauré : {} paires, {} demandes dans {}",
                r.pairs,
                r.demandes,
                settings.server.data_dir.display()
            );
            Ok(())
        }
        Command::Demo { action: DemoAction::Seed { config, count, graine } } => {
            let settings = Settings::load(&config)?;
            anyhow::ensure!(
                sne_gateway::control::send(&settings.server.data_dir, "ping").await.is_none(),
                "une passerelle est en service sur {} : arrêtez-la avant de semer des demandes",
                settings.server.data_dir.display()
            );
            let guichets: Vec<sne_gateway::registry::Guichet> = settings
                .guichets
                .iter()
                .filter(|g| !g.revoque && g.profil == "guichet")
                .map(|g| g.guichet())
                .collect::<Result<_, sne_gateway::registry::IdentifiantError>>()?;
            anyhow::ensure!(!guichets.is_empty(), "aucun guichet configuré dans {}", config.display());
            let store = open_store(&settings)?;
            let registry = sne_gateway::registry::Registry::new(
                std::sync::Arc::new(store.clone()),
                sne_gateway::compute::Compute::per_core(),
            );
            let territoires: Vec<&str> = guichets.iter().map(|g| g.territoire.as_str()).collect();
            let mut generateur = sne_gateway::demo::Generateur::new(graine, &settings.perimetres(), &territoires);
            let barre = indicatif::ProgressBar::new(count as u64).with_style(
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} demandes ({per_sec}, reste {eta})")
                    .expect("valid template"),
            );
            let debut = std::time::Instant::now();
            let nums = sne_gateway::demo::semer(&registry, &guichets, &mut generateur, count, 500, |n| {
                barre.set_position(n as u64)
            })
            .await?;
            barre.finish();
            println!(
                "{} demandes semées en {:.1} s dans {} ({} octets sur disque)",
                nums.len(),
                debut.elapsed().as_secs_f64(),
                settings.server.data_dir.display(),
                store.size_on_disk()
            );
            Ok(())
        }
        Command::Lifecycle { action: LifecycleAction::Run { config, at, simulation, confirmer_jour_futur } } => {
            let settings = Settings::load(&config)?;
            let aujourdhui = sne_gateway::registry::HorlogeSysteme.aujourd_hui();
            let jour = match at {
                Some(d) => d,
                None => aujourdhui.to_string(),
            };
            let futur = time::Date::parse(jour.trim(), time::macros::format_description!("[year]-[month]-[day]"))
                .is_ok_and(|j| j > aujourdhui);
            anyhow::ensure!(
                !futur || simulation || confirmer_jour_futur || settings.web.ecole,
                "le {jour} est après aujourd'hui ({aujourdhui}) : appliquer ses règles radierait et effacerait des demandes \
                 avant leur date, sans retour. --simulation montre ce qui changerait sans rien changer ; \
                 --confirmer-jour-futur applique quand même (la base école le permet sans confirmation)"
            );
            let commande = if simulation { "echeances-simulees" } else { "echeances" };
            let lines = control_or_direct(&settings, &format!("{commande} {jour}"), async |r| {
                sne_gateway::control::echeances_de(r, &jour, !simulation).await
            })
            .await?;
            print_control(lines.into_iter().map(|l| l.trim_end().to_string()).collect())
        }
        Command::Pieces { action: PiecesAction::Rapport { config, territoire } } => {
            let settings = Settings::load(&config)?;
            let regles = settings.regles_pieces();
            let lines = control_or_direct(&settings, &format!("rapport-pieces {territoire}"), async |r| {
                sne_gateway::control::rapport_pieces(&r.clone().avec_pieces(regles), &territoire)
            })
            .await?;
            print_control(lines.into_iter().map(|l| l.trim_end().to_string()).collect())
        }
        Command::Pieces {
            action: PiecesAction::Import { manifest, config, identite, adresse, nom_serveur, cert, key, ca },
        } => {
            let settings = config.as_deref().map(Settings::load).transpose()?;
            let pki = config.as_deref().and_then(Path::parent).map(|d| d.join("pki"));
            let fichier = |explicite: Option<PathBuf>, nom: String| -> anyhow::Result<PathBuf> {
                explicite
                    .or_else(|| pki.as_ref().map(|p| p.join(&nom)))
                    .ok_or_else(|| anyhow::anyhow!("{nom} : donnez --config (mode école) ou le fichier explicitement"))
            };
            let ca = fichier(ca, "ca.pem".into())?;
            let cert = fichier(cert, format!("client-{identite}.pem"))?;
            let key = fichier(key, format!("client-{identite}.key"))?;
            let adresse = match (adresse, &settings) {
                (Some(a), _) => a,
                (None, Some(s)) => format!("127.0.0.1:{}", s.server.listen.port()),
                (None, None) => anyhow::bail!("--adresse ou --config attendu"),
            };
            let tls = sne_gateway::pki::client_config(&ca, Some((&cert, &key)))?;
            let cible = sne_gateway::import::Cible { adresse, nom_serveur, tls };
            let total = sne_gateway::import::lire_manifeste(&manifest)?.len();
            let barre = indicatif::ProgressBar::new(total as u64).with_style(
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} pièces ({per_sec}, reste {eta})")
                    .expect("valid template"),
            );
            let bilan = sne_gateway::import::importer(&manifest, &cible, |n, _| barre.set_position(n as u64)).await?;
            barre.finish_and_clear();
            println!(
                "{} ligne(s) traitée(s) ({} déjà faites) : {} pièce(s) déposée(s), {} refusée(s)",
                bilan.traitees, bilan.deja, bilan.deposees, bilan.refusees
            );
            if let Some(r) = bilan.rapport {
                println!("lignes refusées : {}", r.display());
            }
            Ok(())
        }
        Command::Agents { action } => match action {
            AgentsAction::Ajouter { config, login, nom, rattachement, mot_de_passe_stdin } => {
                let settings = Settings::load(&config)?;
                let mot_de_passe = if mot_de_passe_stdin {
                    let mut l = String::new();
                    std::io::stdin().read_line(&mut l).context("lecture du mot de passe")?;
                    Some(l.trim_end_matches(['\r', '\n']).to_string())
                } else {
                    None
                };
                anyhow::ensure!(
                    ![&login, &nom, &rattachement].iter().any(|v| v.contains(['\t', '\n'])),
                    "tabulation ou fin de ligne interdite dans l'identifiant, le nom et le rattachement"
                );
                let commande = format!(
                    "agents-ajouter\t{login}\t{rattachement}\t{nom}\t{}",
                    mot_de_passe.clone().unwrap_or_default()
                );
                let lines = control_or_direct(&settings, &commande, async |r| {
                    let annuaire = match sne_gateway::startup::annuaire(&settings) {
                        Ok(a) => a,
                        Err(e) => return vec![format!("erreur {e}")],
                    };
                    sne_gateway::control::ajouter_agent(r, &annuaire, &login, &rattachement, &nom, mot_de_passe).await
                })
                .await?;
                print_control(lines.into_iter().map(|l| l.trim_end().to_string()).collect())
            }
            AgentsAction::Desactiver { config, login } => {
                let settings = Settings::load(&config)?;
                let lines = control_or_direct(&settings, &format!("agents-desactiver {login}"), async |r| {
                    sne_gateway::control::desactiver_agent(r, &login).await
                })
                .await?;
                print_control(lines.into_iter().map(|l| l.trim_end().to_string()).collect())
            }
            AgentsAction::Lister { config } => {
                let settings = Settings::load(&config)?;
                let lines =
                    control_or_direct(&settings, "agents", async |r| sne_gateway::control::lister_agents(r)).await?;
                print_control(lines.into_iter().map(|l| l.trim_end().to_string()).collect())
            }
        },
        Command::Evenements { action: EvenementsAction::Types { action } } => match action {
            TypesAction::Ajouter { config, territoire, fichier } => {
                let settings = Settings::load(&config)?;
                // The running gateway reads the file itself: give it a path that does not depend
                // on our working directory.
                let fichier = absolute(&fichier)?;
                let commande = format!("types-evenements-ajouter {territoire} {}", fichier.display());
                let lines = control_or_direct(&settings, &commande, async |r| {
                    sne_gateway::control::ajouter_types(r, &territoire, &fichier).await
                })
                .await?;
                print_control(lines.into_iter().map(|l| l.trim_end().to_string()).collect())
            }
            TypesAction::Lister { config, territoire } => {
                let settings = Settings::load(&config)?;
                let commande = format!("types-evenements {}", territoire.as_deref().unwrap_or(""));
                let lines = control_or_direct(&settings, commande.trim_end(), async |r| {
                    // A store never served has no catalogue yet: show the shipped one with it.
                    if let Err(e) = r.installer_types(sne_gateway::evenements::nationaux()).await {
                        return vec![format!("erreur {e}")];
                    }
                    sne_gateway::control::lister_types(r, territoire.as_deref())
                })
                .await?;
                print_control(lines.into_iter().map(|l| l.trim_end().to_string()).collect())
            }
        },
        Command::Journal { config, num_unique } => {
            let settings = Settings::load(&config)?;
            let lines = control_or_direct(&settings, &format!("journal {num_unique}"), async |r| {
                sne_gateway::control::journal(r, &num_unique)
            })
            .await?;
            print_control(lines.into_iter().map(|l| l.trim_end().to_string()).collect())
        }
        Command::Verify { config } => {
            let settings = Settings::load(&config)?;
            let answer = match sne_gateway::control::send(&settings.server.data_dir, "verification").await {
                Some(lines) => lines,
                None => {
                    let store = open_store(&settings)?;
                    let registry = sne_gateway::registry::Registry::new(
                        std::sync::Arc::new(store),
                        sne_gateway::compute::Compute::new(1),
                    );
                    let problems = registry.verifier()?;
                    let mut lines: Vec<String> = problems.iter().map(|p| format!("probleme {p}")).collect();
                    lines.push(if problems.is_empty() {
                        "ok aucune anomalie".into()
                    } else {
                        "erreur stockage incohérent".into()
                    });
                    lines
                }
            };
            finish_control(answer, "stockage cohérent : chaque demande se déchiffre, index et séquences concordent")
        }
    }
}

/// Runs `command` on the gateway serving `settings`, or on the store directly when none is.
async fn control_or_direct(
    settings: &Settings,
    command: &str,
    direct: impl AsyncFnOnce(&sne_gateway::registry::Registry) -> Vec<String>,
) -> anyhow::Result<Vec<String>> {
    if let Some(lines) = sne_gateway::control::send(&settings.server.data_dir, command).await {
        return Ok(lines);
    }
    let store = open_store(settings)?;
    let registry =
        sne_gateway::registry::Registry::new(std::sync::Arc::new(store), sne_gateway::compute::Compute::new(1));
    Ok(direct(&registry).await)
}

/// Prints every line but the last, then the last as success or failure.
fn print_control(lines: Vec<String>) -> anyhow::Result<()> {
    let Some((last, rest)) = lines.split_last() else { anyhow::bail!("la passerelle n'a pas répondu") };
    for l in rest {
        println!("{l}");
    }
    match last.strip_prefix("ok ") {
        Some(ok) => {
            println!("{ok}");
            Ok(())
        }
        None => anyhow::bail!("{}", last.trim_start_matches("erreur").trim()),
    }
}

fn absolute(p: &Path) -> anyhow::Result<PathBuf> {
    Ok(if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir()?.join(p) })
}

fn open_store(settings: &Settings) -> anyhow::Result<sne_gateway::store::Store> {
    let key = sne_gateway::store::MasterKey::load(&settings.server.master_key_file)?;
    Ok(sne_gateway::store::Store::open_avec_cache(&settings.server.data_dir, key, settings.server.cache_octets())?)
}

/// Prints the problems a command found and fails on an `erreur` line.
fn finish_control(lines: Vec<String>, success: &str) -> anyhow::Result<()> {
    for l in &lines {
        if let Some(p) = l.strip_prefix("probleme ") {
            println!("problème : {p}");
        }
    }
    match lines.last().map(String::as_str) {
        Some(l) if l.starts_with("ok") => {
            println!("{success} ({})", l.trim_start_matches("ok").trim());
            Ok(())
        }
        Some(l) => anyhow::bail!("{}", l.trim_start_matches("erreur").trim()),
        None => anyhow::bail!("la passerelle n'a pas répondu"),
    }
}

/// Sends SIGHUP to the gateway serving this configuration, if one is: its process id.
fn signal_reload(settings: &Settings) -> anyhow::Result<Option<String>> {
    let Ok(pid) = std::fs::read_to_string(pid_file(settings)) else { return Ok(None) };
    let pid = pid.trim().to_string();
    let status = std::process::Command::new("kill")
        .arg("-HUP")
        .arg(&pid)
        .stderr(std::process::Stdio::null())
        .status()
        .context("envoi de SIGHUP (commande kill)")?;
    Ok(status.success().then_some(pid))
}

fn guichets(action: GuichetsAction) -> anyhow::Result<()> {
    use sne_gateway::guichets;
    let reload = |config: &Path| -> anyhow::Result<()> {
        match signal_reload(&Settings::load(config)?)? {
            Some(pid) => println!("configuration relue par la passerelle en service ({pid})"),
            None => println!("aucune passerelle en service : la configuration servira au prochain démarrage"),
        }
        Ok(())
    };
    match action {
        GuichetsAction::Ajouter { config, code, territoire, nom, sortie, mot_de_passe } => {
            let mot_de_passe = mot_de_passe.unwrap_or_else(|| hex::encode(rand::random::<[u8; 9]>()));
            let e = guichets::ajouter(&config, &code, territoire.as_deref(), nom.as_deref(), &sortie, &mot_de_passe)?;
            println!(
                "{} du guichet {code} : empreinte {}",
                if e.renouvellement { "nouveau certificat" } else { "guichet créé, certificat" },
                e.empreinte
            );
            println!(
                "  certificat : {}\n  clé : {}\n  PKCS#12 : {} (mot de passe : {mot_de_passe})",
                e.cert.display(),
                e.key.display(),
                e.p12.display()
            );
            reload(&config)
        }
        GuichetsAction::Revoquer { config, code, empreinte } => {
            let revoquees = guichets::revoquer(&config, &code, empreinte.as_deref())?;
            for e in &revoquees {
                println!("révoqué : guichet {code}, empreinte {e}");
            }
            reload(&config)
        }
        GuichetsAction::Lister { config } => {
            for l in guichets::lister(&config)? {
                let debit =
                    l.debit.map(|(r, b)| format!("{r} req/s, rafale {b}")).unwrap_or_else(|| "sans limite".into());
                println!("{}  territoire {}  {}  ({debit})", l.code, l.territoire, l.nom);
                for (e, revoque) in l.empreintes {
                    println!("    {e}{}", if revoque { "  RÉVOQUÉE" } else { "" });
                }
            }
            Ok(())
        }
    }
}

/// `--metrics-listen`, over `server.metrics_listen`.
fn metriques_sur(settings: &mut Settings, adresse: Option<&str>) -> anyhow::Result<()> {
    if let Some(a) = adresse {
        settings.server.metrics_listen =
            a.parse().with_context(|| format!("--metrics-listen {a} : adresse IP:port attendue"))?;
    }
    Ok(())
}

fn check(config: &Path) -> anyhow::Result<()> {
    // Every problem in one run: the values, the certificates and the key together.
    let settings = Settings::load_unchecked(config)?;
    let mut problems = settings.problems();
    if let Err(e) = sne_gateway::http::server_config(&settings.tls) {
        problems.push(format!("tls : {e}"));
    }
    if let Err(e) = sne_gateway::store::MasterKey::load(&settings.server.master_key_file) {
        problems.push(format!("server.master_key_file : {e}"));
    }
    anyhow::ensure!(problems.is_empty(), "configuration invalide :\n  - {}", problems.join("\n  - "));
    for ligne in droits_ouverts(&settings) {
        println!("attention : {ligne}");
    }
    if settings.guichets.is_empty() {
        println!("attention : aucun guichet configuré ([[guichets]]) : tout appel SOAP sera refusé");
    }
    let enregistreurs = settings.guichets.iter().filter(|g| g.profil == "guichet").count();
    println!(
        "configuration valide : écoute {}, {} guichet(s), {} autre(s) identité(s) (consultants, prestataires), données dans {}",
        settings.server.listen,
        enregistreurs,
        settings.guichets.len() - enregistreurs,
        settings.server.data_dir.display()
    );
    Ok(())
}

/// At most this many paths are named one by one when a data directory is open to others.
const DROITS_NOMMES: usize = 10;

/// What `check` and `serve` say of a data directory its group or others may enter: a line per
/// path (the first ten), with its mode and the fix. The master key file is checked when it is
/// loaded (refused unless 0600).
fn droits_ouverts(settings: &Settings) -> Vec<String> {
    let dir = &settings.server.data_dir;
    let corriger = format!("corriger : chmod -R go-rwx {}", dir.display());
    match sne_gateway::store::droits::trop_ouverts(dir) {
        Ok(ouverts) => {
            let mut lignes: Vec<String> = ouverts
                .iter()
                .take(DROITS_NOMMES)
                .map(|o| {
                    format!(
                        "server.data_dir : {} est accessible au groupe ou aux autres (mode {:04o}, 0700 ou 0600 attendu) ; {corriger}",
                        o.chemin.display(),
                        o.mode
                    )
                })
                .collect();
            if ouverts.len() > DROITS_NOMMES {
                lignes.push(format!(
                    "server.data_dir : {} autre(s) chemin(s) accessibles au groupe ou aux autres ; {corriger}",
                    ouverts.len() - DROITS_NOMMES
                ));
            }
            lignes
        }
        Err(e) => vec![format!(
            "server.data_dir : droits de {} illisibles ({})",
            dir.display(),
            sne_gateway::text::erreur_io(&e)
        )],
    }
}

/// Where a serving gateway writes its process id, for `reload`.
fn pid_file(settings: &Settings) -> PathBuf {
    settings.server.data_dir.join("sne-gateway.pid")
}

async fn serve(settings: Settings, school_dir: Option<&Path>) -> anyhow::Result<()> {
    // Every connection is a descriptor, and floods are met by accepting and evicting, not by
    // leaving them in the backlog: use all the descriptors the system grants.
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(n) => tracing::info!(descripteurs = n, "limite de descripteurs de fichiers"),
        Err(e) => tracing::warn!(erreur = %sne_gateway::text::erreur_io(&e), "limite de descripteurs inchangée"),
    }
    // School mode made its directory itself: one an earlier version left open to others is
    // tightened. A deployment's directory is the operator's: we warn and change nothing.
    if let Some(dir) = school_dir {
        match sne_gateway::store::droits::resserrer(dir) {
            Ok(faits) if !faits.is_empty() => tracing::info!(
                chemins = faits.len(),
                repertoire = %dir.display(),
                "mode école : droits ramenés à 0700 / 0600 (répertoire créé par une version antérieure)"
            ),
            Ok(_) => {}
            Err(e) => tracing::warn!(
                repertoire = %dir.display(),
                erreur = %sne_gateway::text::erreur_io(&e),
                "mode école : droits non resserrés"
            ),
        }
    }
    for ligne in droits_ouverts(&settings) {
        tracing::warn!("{ligne}");
    }
    let config_path = settings.source.clone();
    let app = Application::build(settings.clone()).await.context("démarrage")?;
    // Bound before anything is printed: the addresses shown are the ones that answer.
    let port = app.local_addr().port();
    if let Some(dir) = school_dir {
        let agents = school::agents_ecole(dir)?;
        app.installer_agents(&agents).await.context("agents de la console école")?;
        print_school(dir, &settings, port, &agents);
    }
    println!("Métriques Prometheus : http://{}/metrics", app.metrics_addr());
    tracing::info!(adresse = %app.local_addr(), metriques = %app.metrics_addr(), "sne-gateway à l'écoute");
    let pid_file = pid_file(&settings);
    sne_gateway::store::droits::ecrire_fichier(&pid_file, std::process::id().to_string().as_bytes())
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
fn print_school(dir: &Path, settings: &Settings, port: u16, agents: &[school::AgentEcole]) {
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
    for (code, territoire, nom, profil, _) in school::IDENTITES_ECOLE {
        println!(
            "  {profil} {code} ({nom}, territoire {territoire}) : {} / {}",
            pki.join(format!("client-{code}.pem")).display(),
            pki.join(format!("client-{code}.key")).display()
        );
    }
    println!("  clé maîtresse : {}", settings.server.master_key_file.display());
    println!("  WSDL : https://localhost:{port}/services/DemandeLogementImplService/?wsdl");
    println!("  WSDL des pièces : https://localhost:{port}/services/PieceJustificativeImplService/?wsdl");
    println!("  WSDL de la recherche : https://localhost:{port}/services/RechercheDemandeImplService/?wsdl");
    println!("  WSDL des événements : https://localhost:{port}/services/GestionPartageeEVTImplService/?wsdl");
    println!("Console web (échanges SOAP de votre guichet, demandes, pièces) : https://localhost:{port}/console/");
    if let Some(portail) = sne_gateway::startup::adresse_portail(settings, port) {
        println!("Espace demandeur (numéro unique et code d'accès imprimés sur l'attestation) : {portail}");
    }
    for a in agents {
        println!("  agent {} / mot de passe {}  ({})", a.login, a.mot_de_passe, a.code);
    }
    println!("Enregistrer la demande d'exemple, au plus simple (numéro affiché, fichier et PDF écrits ici) :");
    println!("  sne-gateway exemple");
    println!(
        "ou avec curl (réponse MTOM brute écrite dans {}) :\n{}",
        school::CURL_ANSWER,
        school::curl_command(dir, port)
    );
}
