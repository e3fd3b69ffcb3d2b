//! The operator's control socket: a Unix socket beside the data (`<data_dir>/controle.sock`,
//! mode 0600, so only the gateway's own user reaches it) through which `backup` and `verify`
//! work on a store the running gateway holds open (sled locks its directory).
//!
//! One line in (`sauvegarde <répertoire>`, `verification`, `echeances <AAAA-MM-JJ>`,
//! `journal <numUnique>`, `rapport-pieces <territoire>`), lines out, the last one `ok ...` or `erreur ...`.

use std::path::{Path, PathBuf};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::watch;

use std::sync::Arc;

use crate::compute::Compute;
use crate::http::Gateway;
use crate::registry::{Annuaire, Registry};
use crate::store::Store;

/// The socket of a data directory.
pub fn socket_path(data_dir: &Path) -> PathBuf {
    data_dir.join("controle.sock")
}

/// Binds the socket (replacing a stale one left by a crash), readable by the owner only.
pub fn bind(data_dir: &Path) -> std::io::Result<UnixListener> {
    let path = socket_path(data_dir);
    let _ = std::fs::remove_file(&path);
    let listener = UnixListener::bind(&path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(listener)
}

/// Serves commands until `stop` turns true, then removes the socket.
pub async fn serve(
    listener: UnixListener,
    path: PathBuf,
    store: Store,
    gateway: Arc<Gateway>,
    compute: Compute,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let stream = tokio::select! {
            _ = async { let _ = stop.wait_for(|s| *s).await; } => break,
            accepted = listener.accept() => match accepted {
                Ok((s, _)) => s,
                Err(_) => continue,
            },
        };
        let (store, gateway, compute) = (store.clone(), gateway.clone(), compute.clone());
        tokio::spawn(async move {
            let _ = command(stream, &store, &gateway, &compute).await;
        });
    }
    let _ = std::fs::remove_file(path);
}

async fn command(stream: UnixStream, store: &Store, gateway: &Gateway, compute: &Compute) -> std::io::Result<()> {
    let registry = &gateway.registry;
    let (read, mut write) = stream.into_split();
    let mut line = String::new();
    BufReader::new(read.take(4096)).read_line(&mut line).await?;
    let line = line.trim_end();
    let answer = if let Some(dir) = line.strip_prefix("sauvegarde ") {
        let dir = PathBuf::from(dir);
        match compute.run(|| store.backup(&dir)).await {
            Ok(r) => format!("ok {} paires, {} demandes, {} octets\n", r.pairs, r.demandes, r.bytes),
            Err(e) => format!("erreur {e}\n"),
        }
    } else if line == "ping" {
        "ok en service\n".to_string()
    } else if line == "verification" {
        match compute.run(|| registry.verifier()).await {
            Ok(p) if p.is_empty() => "ok aucune anomalie\n".to_string(),
            Ok(p) => p.iter().map(|l| format!("probleme {l}\n")).collect::<String>() + "erreur stockage incohérent\n",
            Err(e) => format!("erreur {e}\n"),
        }
    } else if let Some(jour) = line.strip_prefix("echeances-simulees ") {
        echeances_de(registry, jour, false).await.join("")
    } else if let Some(jour) = line.strip_prefix("echeances ") {
        echeances(registry, jour).await.join("")
    } else if let Some(num) = line.strip_prefix("journal ") {
        journal(registry, num).join("")
    } else if let Some(reste) = line.strip_prefix("types-evenements-ajouter ") {
        match reste.split_once(' ') {
            Some((territoire, chemin)) => ajouter_types(registry, territoire, Path::new(chemin)).await.join(""),
            None => "erreur types-evenements-ajouter <territoire> <fichier>\n".to_string(),
        }
    } else if let Some(territoire) = line.strip_prefix("types-evenements") {
        lister_types(registry, Some(territoire.trim()).filter(|t| !t.is_empty())).join("")
    } else if let Some(reste) = line.strip_prefix("agents-ajouter\t") {
        match reste.split('\t').collect::<Vec<_>>()[..] {
            [login, code, nom, mdp] => {
                let mdp = Some(mdp.to_string()).filter(|m| !m.is_empty());
                ajouter_agent(registry, &gateway.annuaire(), login, code, nom, mdp).await.join("")
            }
            _ => "erreur agents-ajouter<TAB>login<TAB>code<TAB>nom<TAB>mot de passe\n".to_string(),
        }
    } else if let Some(login) = line.strip_prefix("agents-desactiver ") {
        let lignes = desactiver_agent(registry, login).await;
        // Whoever is signed in on that account is signed out now.
        let login = login.trim().to_ascii_lowercase();
        gateway.web.console.fermer_pour(|q| matches!(q, crate::web::Qui::Agent { login: l, .. } if *l == login));
        lignes.join("")
    } else if line == "agents" {
        lister_agents(registry).join("")
    } else if let Some(territoire) = line.strip_prefix("rapport-pieces ") {
        let territoire = territoire.to_string();
        compute.run(|| rapport_pieces(registry, &territoire)).await.join("")
    } else {
        "erreur commande inconnue (sauvegarde <répertoire> | verification | echeances <AAAA-MM-JJ> | journal <numUnique> | rapport-pieces <territoire> | types-evenements [<territoire>] | types-evenements-ajouter <territoire> <fichier> | agents | agents-ajouter … | agents-desactiver <login>)\n"
            .to_string()
    };
    write.write_all(answer.as_bytes()).await?;
    write.shutdown().await
}

/// Creates a console account for the identity `code` of `annuaire`; the answer carries the
/// password when it was generated (to be handed over once).
pub async fn ajouter_agent(
    registry: &Registry,
    annuaire: &Annuaire,
    login: &str,
    code: &str,
    nom: &str,
    mot_de_passe: Option<String>,
) -> Vec<String> {
    let Some(identite) = annuaire.par_code(code) else {
        return vec![format!(
            "erreur aucune identité {} dans la configuration ([[guichets]] code = ...)\n",
            crate::text::extrait(code, 20)
        )];
    };
    let genere = mot_de_passe.is_none();
    match registry.ajouter_agent(login, nom, &identite, mot_de_passe).await {
        Ok((agent, mdp)) if genere => vec![format!(
            "ok agent {} créé, rattaché à {} ({}) ; mot de passe à lui remettre : {mdp}\n",
            agent.login,
            identite.code.as_str(),
            identite.profil.nom()
        )],
        Ok((agent, _)) => vec![format!(
            "ok agent {} créé, rattaché à {} ({})\n",
            agent.login,
            identite.code.as_str(),
            identite.profil.nom()
        )],
        Err(e) => vec![format!("erreur {e}\n")],
    }
}

/// Deactivates a console account.
pub async fn desactiver_agent(registry: &Registry, login: &str) -> Vec<String> {
    match registry.desactiver_agent(login).await {
        Ok(a) => vec![format!("ok agent {} désactivé\n", a.login)],
        Err(e) => vec![format!("erreur {e}\n")],
    }
}

/// The console accounts, one line each.
pub fn lister_agents(registry: &Registry) -> Vec<String> {
    match registry.agents() {
        Ok(agents) => {
            let mut lignes: Vec<String> = agents
                .iter()
                .map(|a| {
                    format!(
                        "{}  {}  {}  {}  créé le {}\n",
                        a.login,
                        a.rattachement,
                        if a.actif { "actif" } else { "désactivé" },
                        a.nom,
                        crate::registry::horloge::jour_a_paris(a.cree_le)
                    )
                })
                .collect();
            lignes.push(format!("ok {} agent(s)\n", agents.len()));
            lignes
        }
        Err(e) => vec![format!("erreur {e}\n")],
    }
}

/// Sends one command to the gateway serving `data_dir`: its answer lines, or `None` when no
/// gateway listens there.
pub async fn send(data_dir: &Path, command: &str) -> Option<Vec<String>> {
    let mut stream = UnixStream::connect(socket_path(data_dir)).await.ok()?;
    stream.write_all(format!("{command}\n").as_bytes()).await.ok()?;
    let mut lines = BufReader::new(stream).lines();
    let mut out = Vec::new();
    while let Ok(Some(l)) = lines.next_line().await {
        out.push(l);
    }
    Some(out)
}

/// Runs the time rules of `jour` (`AAAA-MM-JJ`): the notice list, radiations, erasures.
pub async fn echeances(registry: &Registry, jour: &str) -> Vec<String> {
    echeances_de(registry, jour, true).await
}

/// The time rules of `jour`, applied or only simulated (`appliquer` false: what would change,
/// nothing changed), one line each and a last line that says which.
pub async fn echeances_de(registry: &Registry, jour: &str, appliquer: bool) -> Vec<String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let Ok(jour) = time::Date::parse(jour.trim(), &format) else {
        return vec![format!("erreur date {} invalide (AAAA-MM-JJ attendu)\n", crate::text::extrait(jour, 20))];
    };
    let bilan = if appliquer { registry.echeances(jour).await } else { registry.echeances_simulees(jour).await };
    match bilan {
        Ok(b) => {
            let (radiee, effacee) = if appliquer { ("radiee", "effacee") } else { ("a-radier", "a-effacer") };
            let mut out: Vec<String> = b
                .preavis
                .iter()
                .map(|p| format!("preavis {} territoire {} expire le {}\n", p.num, p.territoire, p.expiration))
                .collect();
            out.extend(b.radiees.iter().map(|n| format!("{radiee} {n} RADREN\n")));
            out.extend(b.effacees.iter().map(|n| format!("{effacee} {n}\n")));
            out.push(if appliquer {
                format!(
                    "ok {jour} : {} préavis d'expiration, {} radiation(s) pour non-renouvellement, {} effacement(s) appliqués\n",
                    b.preavis.len(),
                    b.radiees.len(),
                    b.effacees.len()
                )
            } else {
                format!(
                    "ok simulation du {jour} : {} préavis d'expiration ; {} radiation(s) et {} effacement(s) auraient lieu ; rien n'a changé\n",
                    b.preavis.len(),
                    b.radiees.len(),
                    b.effacees.len()
                )
            });
            out
        }
        Err(e) => vec![format!("erreur {e}\n")],
    }
}

/// Adds (or replaces) the event types of `fichier` (the national catalogue's format) to
/// `territoire`.
pub async fn ajouter_types(registry: &Registry, territoire: &str, fichier: &Path) -> Vec<String> {
    let territoire = territoire.trim();
    if crate::registry::Territoire::parse(territoire).is_err() {
        return vec![format!(
            "erreur territoire {} invalide (3 lettres ou chiffres)\n",
            crate::text::extrait(territoire, 10)
        )];
    }
    let texte = match std::fs::read_to_string(fichier) {
        Ok(t) => t,
        Err(e) => return vec![format!("erreur {} : {}\n", fichier.display(), crate::text::erreur_io(&e))],
    };
    let types = match crate::evenements::lire(&texte, Some(territoire)) {
        Ok(t) => t,
        Err(e) => return vec![format!("erreur {} : {e}\n", fichier.display())],
    };
    let mut out: Vec<String> = types.iter().map(|t| format!("{}\n", crate::evenements::ligne(t))).collect();
    match registry.installer_types(types.clone()).await {
        Ok(n) => out
            .push(format!("ok territoire {territoire} : {} type(s) lu(s), {n} ajouté(s) ou modifié(s)\n", types.len())),
        Err(e) => return vec![format!("erreur {e}\n")],
    }
    out
}

/// The catalogue: every type, or the national ones and those of `territoire`.
pub fn lister_types(registry: &Registry, territoire: Option<&str>) -> Vec<String> {
    let types = match registry.types_evenements() {
        Ok(t) => t,
        Err(e) => return vec![format!("erreur {e}\n")],
    };
    let retenus: Vec<_> = types
        .iter()
        .filter(|t| territoire.is_none() || t.territoire.is_none() || t.territoire.as_deref() == territoire)
        .collect();
    let mut out: Vec<String> = retenus.iter().map(|t| format!("{}\n", crate::evenements::ligne(t))).collect();
    out.push(format!("ok {} type(s) d'événement\n", retenus.len()));
    out
}

/// The versions and the access journal of `num`: who wrote and who read, when (no content).
pub fn journal(registry: &Registry, num: &str) -> Vec<String> {
    let Ok(num) = crate::registry::NumUnique::parse(num.trim()) else {
        return vec![format!("erreur numéro {} invalide (18 caractères attendus)\n", crate::text::extrait(num, 30))];
    };
    let versions = match registry.versions(&num) {
        Ok(v) => v,
        Err(e) => return vec![format!("erreur {e}\n")],
    };
    let acces = match registry.journal(&num) {
        Ok(a) => a,
        Err(e) => return vec![format!("erreur {e}\n")],
    };
    let mut out: Vec<String> = versions
        .iter()
        .map(|v| format!("version {} {} par {} le {}\n", v.version, v.type_fichier, v.auteur, horodatage(v.horodatage)))
        .collect();
    let evenements = match registry.evenements(&num) {
        Ok(e) => e,
        Err(e) => return vec![format!("erreur {e}\n")],
    };
    // Events are part of the application's history: type, who and when, never their texts.
    for e in &evenements {
        out.push(format!(
            "evenement {} {} par {} le {}{}\n",
            e.id,
            e.code_type,
            e.creation.0,
            horodatage(e.creation.1),
            e.modifications
                .iter()
                .map(|m| format!(" ; {} par {} le {}", m.nature, m.auteur, horodatage(m.horodatage)))
                .collect::<String>()
        ));
    }
    out.extend(
        acces.iter().map(|a| format!("acces le {} par {} ({})\n", horodatage(a.horodatage), a.qui, a.operation)),
    );
    out.push(format!(
        "ok {num} : {} version(s), {} événement(s), {} accès\n",
        versions.len(),
        evenements.len(),
        acces.len()
    ));
    out
}

/// The incomplete dossiers of `territoire`, per counter: one line each, then a count per counter.
pub fn rapport_pieces(registry: &Registry, territoire: &str) -> Vec<String> {
    let territoire = territoire.trim();
    let dossiers = match registry.rapport_pieces(territoire) {
        Ok(d) => d,
        Err(e) => return vec![format!("erreur {e}\n")],
    };
    let aujourdhui = registry.horloge().aujourd_hui();
    let mut out = Vec::new();
    let mut par_guichet: std::collections::BTreeMap<&str, (usize, usize)> = std::collections::BTreeMap::new();
    for d in &dossiers {
        let liste = |l: &[String]| if l.is_empty() { "complet".to_string() } else { l.join(", ") };
        let retard = !d.enregistrement.is_empty() && d.date_limite < aujourdhui;
        out.push(format!(
            "dossier {} {} enregistrement: {} ; commission: {}{}\n",
            d.guichet,
            d.num,
            liste(&d.enregistrement),
            liste(&d.commission),
            if retard { format!(" ; en retard depuis le {}", d.date_limite) } else { String::new() }
        ));
        let e = par_guichet.entry(&d.guichet).or_default();
        e.0 += 1;
        e.1 += usize::from(retard);
    }
    for (g, (n, retard)) in &par_guichet {
        out.push(format!("guichet {g} : {n} dossier(s) incomplet(s), dont {retard} en retard pour l'enregistrement\n"));
    }
    out.push(format!("ok territoire {territoire} : {} dossier(s) actif(s) incomplet(s)\n", dossiers.len()));
    out
}

fn horodatage(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_else(|_| t.to_string())
}
