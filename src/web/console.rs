//! The staff console: an agent signs in, finds an application, sees it (state, dates, history,
//! DALO), handles its pieces (completeness, deposit, view, download, qualification, deletion)
//! and, for integrators, the counter's recent SOAP exchanges. The agent acts as the identity it
//! belongs to: the registry decides what that identity may see and do, as it does for SOAP.

use std::collections::HashMap;

use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONTENT_DISPOSITION};
use hyper::{Method, Request, StatusCode};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

use super::pages::{self, rendre, Cadre};
use super::reponse::{self, cookie, vers, Reponse};
use super::requete::{self, formulaire};
use super::sessions::{egaux, Qui, Session};
use super::{Contexte, COOKIE_CONSOLE, COOKIE_CSRF};
use crate::registry::pieces::Statut;
use crate::registry::recherche::{Criteres, PersonneRecherchee};
use crate::registry::{Guichet, NumUnique, Profil};

const ESPACE: &str = "Console des agents";

/// The search page, above an application's page in the breadcrumb (in school mode the
/// console's home is the exchange view, not the search).
const RECHERCHE: (&str, &str) = ("/console/recherche", "Trouver une demande");

/// Serves `/console/...`.
pub async fn servir(ctx: &Contexte<'_>, req: Request<Incoming>) -> Reponse {
    let path = req.uri().path().to_string();
    let reste = path.trim_start_matches("/console/");
    let segments: Vec<&str> = reste.split('/').collect();
    let methode = req.method().clone();
    match (&methode, segments.as_slice()) {
        (&Method::GET, ["connexion"]) => return page_connexion(ctx, String::new(), None, StatusCode::OK),
        (&Method::POST, ["connexion"]) => return connexion(ctx, req).await,
        _ => {}
    }
    let Some((id, session, agent)) = session(ctx, &req) else {
        return vers("/console/connexion");
    };
    // The configuration may change while a session is open: the identity is checked again.
    let identite =
        ctx.annuaire.par_code(&agent.rattachement).filter(|g| !matches!(g.profil, Profil::Prestataire { .. }));
    let Some(guichet) = identite else {
        ctx.web.console.fermer(&id);
        return pages::erreur(
            ctx.web.ecole,
            StatusCode::FORBIDDEN,
            "Identité inconnue",
            "Votre compte est rattaché à une identité que la configuration ne déclare plus : voyez avec l'exploitant.",
            "/console/connexion",
        );
    };
    let a = Agent { ctx, id: &id, session: &session, nom: &agent.nom, login: &agent.login, guichet };
    match (&methode, segments.as_slice()) {
        (&Method::GET, [""]) if ctx.web.ecole => a.echanges(&requete::requete(&req)),
        // By number only: a person's name and birth date never travel in a URL (history, proxies).
        (&Method::GET, [""] | ["recherche"]) => {
            let q: HashMap<String, String> = requete::requete(&req).into_iter().filter(|(k, _)| k == "num").collect();
            a.recherche(&q).await
        }
        (&Method::GET, ["demandes", num]) => {
            let code = requete::requete(&req).remove("message");
            let nouveau_code = if code.as_deref() == Some("code") { ctx.web.console.reprendre(&id, num) } else { None };
            // Reloaded, the page no longer holds the code: nor does it announce one.
            let annonce = code.as_deref().filter(|c| *c != "code" || nouveau_code.is_some()).and_then(message);
            a.demande(num, nouveau_code, annonce).await
        }
        (&Method::GET, ["pieces", id]) => a.piece(id).await,
        (&Method::GET, ["pieces", id, "contenu"]) => {
            a.contenu(id, requete::requete(&req).contains_key("telecharger")).await
        }
        (&Method::GET, ["echanges"]) => a.echanges(&requete::requete(&req)),
        (&Method::GET, ["echanges", rid]) => a.echange(rid).await,
        (&Method::POST, ["demandes", num, "pieces"]) => {
            let num = num.to_string();
            a.deposer(&num, req).await
        }
        (&Method::POST, _) => {
            let champs = match formulaire(req).await {
                Ok(c) => c,
                Err(e) => return a.erreur(StatusCode::BAD_REQUEST, &super::capitalise(&e.to_string())),
            };
            if !champs.get("csrf").is_some_and(|t| egaux(t, &session.csrf)) {
                return a.erreur(
                    StatusCode::FORBIDDEN,
                    "Formulaire expiré ou d'une autre origine : rechargez la page et recommencez.",
                );
            }
            match segments.as_slice() {
                ["deconnexion"] => {
                    ctx.web.console.fermer(&id);
                    let mut r = vers("/console/connexion");
                    cookie(&mut r, COOKIE_CONSOLE, "", Some(0));
                    r
                }
                ["recherche"] => a.recherche(&champs).await,
                ["demandes", num, "code"] => a.emettre_code(num).await,
                ["pieces", id, "qualifier"] => a.qualifier(id, &champs).await,
                ["pieces", id, "supprimer"] => a.supprimer(id, &champs).await,
                _ => a.erreur(StatusCode::NOT_FOUND, "Cette action n'existe pas."),
            }
        }
        _ => a.erreur(StatusCode::NOT_FOUND, "Cette adresse ne mène à aucune page de la console."),
    }
}

/// A signed-in agent as sessions know it.
struct AgentSession {
    login: String,
    nom: String,
    rattachement: String,
}

fn session(ctx: &Contexte<'_>, req: &Request<Incoming>) -> Option<(String, Session, AgentSession)> {
    let id = requete::cookie(req, COOKIE_CONSOLE)?;
    let session = ctx.web.console.trouver(&id)?;
    match &session.qui {
        Qui::Agent { login, nom, rattachement } => {
            let a = AgentSession { login: login.clone(), nom: nom.clone(), rattachement: rattachement.clone() };
            Some((id, session, a))
        }
        Qui::Demandeur { .. } => None,
    }
}

/// Fixed notices after an action (never user input in a URL).
fn message(code: &str) -> Option<String> {
    Some(
        match code {
            "deposee" => "Pièce déposée.",
            "deja" => "Ce fichier était déjà déposé sur la demande : la pièce existante est gardée.",
            "qualifiee" => "Pièce qualifiée.",
            "supprimee" => "Pièce supprimée.",
            "code" => "Nouveau code d'accès émis : l'ancien ne fonctionne plus.",
            _ => return None,
        }
        .to_string(),
    )
}

fn page_connexion(ctx: &Contexte<'_>, login: String, erreur: Option<String>, statut: StatusCode) -> Reponse {
    let csrf = super::sessions::aleatoire();
    let t = pages::Connexion {
        cadre: Cadre::anonyme("Connexion", ESPACE, ctx.web.ecole),
        csrf: csrf.clone(),
        login,
        erreur,
    };
    let mut r = rendre(statut, &t);
    cookie(&mut r, COOKIE_CSRF, &csrf, Some(3600));
    r
}

async fn connexion(ctx: &Contexte<'_>, req: Request<Incoming>) -> Reponse {
    let jeton = requete::cookie(&req, COOKIE_CSRF);
    let champs = match formulaire(req).await {
        Ok(c) => c,
        Err(e) => {
            return page_connexion(ctx, String::new(), Some(super::capitalise(&e.to_string())), StatusCode::BAD_REQUEST)
        }
    };
    let login = champs.get("login").map(|l| l.trim().to_string()).unwrap_or_default();
    let mot_de_passe = champs.get("mot_de_passe").cloned().unwrap_or_default();
    let csrf_ok = matches!((jeton.as_deref(), champs.get("csrf")), (Some(a), Some(b)) if egaux(a, b));
    if !csrf_ok {
        let e = "Formulaire expiré : la page a été rechargée, recommencez.".to_string();
        return page_connexion(ctx, login, Some(e), StatusCode::FORBIDDEN);
    }
    let cle = login.to_ascii_lowercase();
    let essai = match ctx.web.tentatives.tenter("console", &cle, ctx.pair) {
        Ok(essai) => essai,
        Err(attente) => return attente.reponse(|e, statut| page_connexion(ctx, login, Some(e), statut)),
    };
    match ctx.registry.authentifier_agent(&login, &mot_de_passe).await {
        Ok(agent) => {
            let identite = ctx.annuaire.par_code(&agent.rattachement);
            if identite.as_ref().is_none_or(|g| matches!(g.profil, Profil::Prestataire { .. })) {
                let e = "Votre compte n'est rattaché à aucune identité de la configuration : voyez avec l'exploitant.";
                return page_connexion(ctx, login, Some(e.into()), StatusCode::FORBIDDEN);
            }
            ctx.web.tentatives.succes("console", &cle, ctx.pair, essai);
            // The login may be a person's name: the log names the identity only.
            tracing::info!(rattachement = agent.rattachement.as_str(), "connexion à la console");
            let (id, _) = ctx.web.console.ouvrir(Qui::Agent {
                login: agent.login,
                nom: agent.nom,
                rattachement: agent.rattachement,
            });
            let mut r = vers("/console/");
            cookie(&mut r, COOKIE_CONSOLE, &id, None);
            cookie(&mut r, COOKIE_CSRF, "", Some(0));
            r
        }
        Err(refus) => {
            tracing::info!("connexion à la console refusée");
            let e = match refus {
                crate::registry::agents::RefusConnexion::Desactive => {
                    "Ce compte est désactivé : voyez avec l'exploitant."
                }
                crate::registry::agents::RefusConnexion::Identifiants => "Identifiant ou mot de passe incorrect.",
            };
            page_connexion(ctx, login, Some(e.into()), StatusCode::UNAUTHORIZED)
        }
    }
}

/// A request of a signed-in agent.
struct Agent<'a> {
    ctx: &'a Contexte<'a>,
    /// The session's id.
    id: &'a str,
    session: &'a Session,
    nom: &'a str,
    login: &'a str,
    guichet: Guichet,
}

impl Agent<'_> {
    fn cadre(&self, titre: &str) -> Cadre {
        let g = &self.guichet;
        let profil = match g.profil {
            Profil::Guichet => "guichet".to_string(),
            ref p => p.nom().replace('_', " "),
        };
        Cadre {
            titre: titre.to_string(),
            espace: ESPACE,
            qui: Some(format!("{} ({}, {} {})", self.nom, self.login, profil, g.code.as_str())),
            liens: vec![("/console/recherche", "Trouver une demande"), ("/console/echanges", "Échanges SOAP")],
            deconnexion: "/console/deconnexion",
            csrf: self.session.csrf.clone(),
            ecole: self.ctx.web.ecole,
            message: None,
            fil: None,
        }
    }

    fn erreur(&self, statut: StatusCode, texte: &str) -> Reponse {
        let titre = match statut {
            StatusCode::NOT_FOUND => "Introuvable",
            StatusCode::FORBIDDEN => "Accès refusé",
            _ => "Action impossible",
        };
        pages::erreur_dans(self.cadre(titre), statut, texte, "/console/")
    }

    async fn recherche(&self, q: &HashMap<String, String>) -> Reponse {
        let g = &self.guichet;
        let champ = |k: &str| q.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
        let mut t = pages::Recherche {
            cadre: self.cadre("Trouver une demande"),
            identite: format!("{} · territoire {}", g.nom, g.territoire.as_str()),
            num: champ("num"),
            erreur_num: None,
            nom: champ("nom"),
            prenom: champ("prenom"),
            naissance: champ("naissance"),
            erreur_personne: None,
            resultats: None,
            tronque: false,
        };
        if !t.num.is_empty() {
            let saisi = t.num.to_ascii_uppercase();
            match NumUnique::parse(&saisi) {
                Err(e) => t.erreur_num = Some(super::capitalise(&e.to_string())),
                Ok(num) => match self.ctx.registry.etat(g, &num) {
                    Ok(_) => return vers(&format!("/console/demandes/{}", num.as_str())),
                    Err(_) => {
                        t.erreur_num = Some(format!("Aucune demande n° {saisi} n'est accessible à votre identité."))
                    }
                },
            }
            return rendre(StatusCode::OK, &t);
        }
        if t.nom.is_empty() && t.prenom.is_empty() && t.naissance.is_empty() {
            return rendre(StatusCode::OK, &t);
        }
        let naissance = if t.naissance.is_empty() {
            None
        } else {
            match time::Date::parse(&t.naissance, time::macros::format_description!("[year]-[month]-[day]")) {
                Ok(d) => Some(d),
                Err(_) => {
                    t.erreur_personne = Some("Date de naissance invalide : AAAA-MM-JJ attendue.".into());
                    return rendre(StatusCode::OK, &t);
                }
            }
        };
        if t.nom.is_empty() || (t.prenom.is_empty() && naissance.is_none()) {
            t.erreur_personne = Some("Indiquez le nom et la date de naissance, ou le nom et le prénom.".into());
            return rendre(StatusCode::OK, &t);
        }
        let criteres = Criteres {
            personne: Some(PersonneRecherchee {
                nom: Some(t.nom.clone()),
                prenom: (!t.prenom.is_empty()).then(|| t.prenom.clone()),
                date_naissance: naissance,
            }),
            ..Criteres::default()
        };
        match self.ctx.registry.rechercher(g, &criteres).await {
            Ok(r) => {
                let mut trouvees = Vec::new();
                for num in &r.nums {
                    if let Ok(d) = self.ctx.registry.etat(g, num) {
                        let a = d.attributs();
                        trouvees.push(pages::Trouvee {
                            num: num.to_string(),
                            etat: libelle_etat(a).to_string(),
                            depot: pages::date(a.date_depot),
                        });
                    }
                }
                t.tronque = r.tronque;
                t.resultats = Some(trouvees);
            }
            Err(e) => t.erreur_personne = Some(super::capitalise(&e.to_string())),
        }
        rendre(StatusCode::OK, &t)
    }

    async fn demande(&self, num: &str, code_emis: Option<String>, message: Option<String>) -> Reponse {
        let g = &self.guichet;
        let inconnue = || {
            self.erreur(
                StatusCode::NOT_FOUND,
                &format!("Aucune demande n° {} n'est accessible à votre identité.", crate::text::extrait(num, 30)),
            )
        };
        let Ok(num) = NumUnique::parse(num) else { return inconnue() };
        let r = self.ctx.registry;
        // A counter reads the file (journaled); a consultant, as through SOAP, never does: its
        // page holds the clear state, the events and the pieces its profile sees.
        let lu = if g.profil == Profil::Guichet {
            let lecture = r.lire(g, &num, None, "console/demande").await;
            lecture.map(|l| {
                let foyer = crate::operations::foyer_du_fichier(&l.contenu);
                (l.attributs, Some(crate::operations::extrait_du_fichier(&l.contenu)), foyer)
            })
        } else {
            r.etat(g, &num).map(|d| (d.attributs().clone(), None, None))
        };
        let (attributs, extrait, foyer) = match lu {
            Ok(lu) => lu,
            Err(e) if e.is_caller_error() => return inconnue(),
            Err(e) => return self.erreur(StatusCode::INTERNAL_SERVER_ERROR, &super::capitalise(&e.to_string())),
        };
        let a = &attributs;
        let aujourdhui = r.horloge().aujourd_hui();
        let mois = ((aujourdhui.year() - a.date_depot.year()) * 12 + i32::from(u8::from(aujourdhui.month()))
            - i32::from(u8::from(a.date_depot.month())))
        .max(0);
        let d = pages::VueDemande {
            num: num.to_string(),
            etat: libelle_etat(a).to_string(),
            etat_code: if a.radiation.is_some() { "R" } else { "A" },
            fichier: extrait.as_ref().map(|e| pages::VueFichier {
                demandeur: e.as_ref().map(|e| e.demandeur.clone()).unwrap_or_else(|| "(fichier illisible)".into()),
                communes: communes(&a.communes),
                dalo: match (&a.statut_dalo, a.decision_dalo) {
                    (Some(s), Some(d)) => format!("statut {s}, décision du {}", pages::date(d)),
                    (Some(s), None) => format!("statut {s}"),
                    _ => "aucune décision déclarée".into(),
                },
            }),
            depot: pages::date(a.date_depot),
            anciennete: format!("{mois} mois"),
            enregistrement: pages::date(a.date_enregistrement),
            renouvellement: a.date_renouvellement.map(pages::date),
            expiration: pages::date(a.date_expiration),
            radiation: a.radiation.as_ref().map(|x| format!("le {} (motif {})", pages::date(x.date), x.motif)),
            guichet: a.guichet.clone(),
        };
        let mut historique: Vec<(time::OffsetDateTime, pages::LigneHistorique)> = Vec::new();
        let versions = if extrait.is_some() { r.versions(&num).unwrap_or_default() } else { Vec::new() };
        for v in versions {
            historique.push((
                v.horodatage,
                pages::LigneHistorique {
                    quand: pages::horodatage(v.horodatage),
                    quoi: format!("Version {} ({})", v.version, v.type_fichier),
                    qui: v.auteur,
                    detail: String::new(),
                },
            ));
        }
        if let Ok(evenements) = r.lister_evenements(g, &num).await {
            for e in evenements {
                let ev = &e.evenement;
                let libelle = e.type_evenement.as_ref().map_or(ev.code_type.clone(), |t| t.libelle.clone());
                let mut detail =
                    ev.date_survenance.map(|d| format!("survenu le {}", pages::date(d))).unwrap_or_default();
                if !ev.modifications.is_empty() {
                    detail.push_str(&format!(" · modifié {} fois", ev.modifications.len()));
                }
                historique.push((
                    ev.creation.1,
                    pages::LigneHistorique {
                        quand: pages::horodatage(ev.creation.1),
                        quoi: format!("Événement : {libelle}"),
                        qui: ev.creation.0.clone(),
                        detail,
                    },
                ));
            }
        }
        historique.sort_by_key(|x| std::cmp::Reverse(x.0));
        let pieces = r.lister_pieces(g, &num, None).await.unwrap_or_default();
        let actif = a.radiation.is_none();
        let vues = pieces
            .iter()
            .map(|p| pages::VuePiece {
                id: p.id.clone(),
                categorie: libelle_categorie(&p.categorie),
                sensible: p.sensible,
                personne: libelle_personne(&p.personne),
                nom_fichier: String::from_utf8_lossy(&p.nom_fichier.0).into_owned(),
                content_type: p.content_type.clone(),
                taille: pages::taille(p.taille),
                deposee_le: pages::horodatage(p.deposee_le),
                deposant: p.deposant.clone(),
                statut_code: p.statut.clone(),
                statut: Statut::libelle_de(&p.statut).to_string(),
                motif: p.motif_statut.as_ref().map(|m| String::from_utf8_lossy(&m.0).into_owned()),
                lisible: crate::registry::pieces::lit_le_contenu(&g.profil, p.sensible),
                supprimable: crate::registry::pieces::peut_supprimer(g, p, a.etat).is_ok(),
            })
            .collect();
        let completude = match r.etat_dossier(g, &num) {
            Ok(e) => e
                .etapes
                .iter()
                .map(|etape| pages::VueEtape {
                    titre: if etape.code == "ENREGISTREMENT" { "À l'enregistrement" } else { "Avant la commission" },
                    complet: etape.complet,
                    exigences: etape
                        .exigences
                        .iter()
                        .map(|(ex, etat)| {
                            let libelles: Vec<String> = ex.categories.iter().map(|c| libelle_categorie(c)).collect();
                            let (texte, classe) = match etat {
                                crate::registry::pieces::EtatExigence::Presente => ("présente", "ok"),
                                crate::registry::pieces::EtatExigence::Inexploitable => {
                                    ("inexploitable", "inexploitable")
                                }
                                crate::registry::pieces::EtatExigence::Manquante => ("manquante", "manque"),
                            };
                            (libelles.join(" ou "), texte, classe)
                        })
                        .collect(),
                })
                .collect(),
            Err(_) => Vec::new(),
        };
        let mut cadre = self.cadre(&format!("Demande {}", num.as_str()));
        cadre.message = message;
        cadre.fil = Some(pages::Fil::new(&[RECHERCHE], &format!("Demande n° {}", num.as_str())));
        let t = pages::Demande {
            cadre,
            d,
            peut_emettre_code: g.profil == Profil::Guichet && actif,
            code_emis,
            completude,
            pieces: vues,
            peut_qualifier: g.profil == Profil::Guichet,
            peut_deposer: g.profil == Profil::Guichet && actif,
            depot_action: format!("/console/demandes/{}/pieces", num.as_str()),
            avec_date: true,
            taille_max: pages::taille(self.ctx.taille_max),
            categories: crate::contract::piece::CATEGORIES.iter().map(|c| (c.code, c.libelle)).collect(),
            personnes: personnes(foyer.as_deref()),
            historique: historique.into_iter().map(|(_, l)| l).collect(),
        };
        rendre(StatusCode::OK, &t)
    }

    async fn emettre_code(&self, num: &str) -> Reponse {
        let Ok(n) = NumUnique::parse(num) else {
            return self.erreur(StatusCode::NOT_FOUND, "Numéro de demande invalide.");
        };
        match self.ctx.registry.emettre_code_acces(&self.guichet, &n).await {
            Ok(code) => {
                // Whoever is signed in with the old code is signed out at their next request:
                // their sign-in no longer holds (`Registry::demandeur`).
                // Shown once, by the page the browser is sent to: reloading it issues nothing.
                self.ctx.web.console.confier(self.id, n.as_str(), code);
                vers(&format!("/console/demandes/{n}?message=code"))
            }
            Err(e) => self.erreur(StatusCode::FORBIDDEN, &super::capitalise(&e.to_string())),
        }
    }

    async fn piece(&self, id: &str) -> Reponse {
        match self.ctx.registry.lire_piece(&self.guichet, id).await {
            Ok((p, _)) => {
                // The category's label names the page: most start with what they are ("Pièce
                // d'identité", "Avis d'imposition"), and nothing is put before it.
                let categorie = libelle_categorie(&p.categorie);
                let mut cadre = self.cadre(&categorie);
                let demande = (format!("/console/demandes/{}", p.num), format!("Demande n° {}", p.num));
                cadre.fil = Some(pages::Fil::new(&[RECHERCHE, (&demande.0, &demande.1)], &categorie));
                let t = pages::PieceVue {
                    cadre,
                    id: p.id.clone(),
                    categorie,
                    nom_fichier: String::from_utf8_lossy(&p.nom_fichier.0).into_owned(),
                    content_type: p.content_type.clone(),
                    taille: pages::taille(p.taille),
                    empreinte: p.empreinte.clone(),
                    statut: Statut::libelle_de(&p.statut).to_string(),
                    image: p.content_type.starts_with("image/") && p.content_type != "image/tiff",
                };
                rendre(StatusCode::OK, &t)
            }
            Err(e) => self.refus_piece(e),
        }
    }

    fn refus_piece(&self, e: crate::registry::pieces::PieceError) -> Reponse {
        use crate::registry::pieces::PieceError;
        match e {
            PieceError::Profil { .. } => self.erreur(StatusCode::FORBIDDEN, &super::capitalise(&e.to_string())),
            PieceError::Refus(_) => self.erreur(StatusCode::NOT_FOUND, &super::capitalise(&e.to_string())),
            PieceError::Depot(_) => {
                self.erreur(StatusCode::INTERNAL_SERVER_ERROR, "Erreur interne : réessayez plus tard.")
            }
        }
    }

    async fn contenu(&self, id: &str, telecharger: bool) -> Reponse {
        let (p, lecteur) = match self.ctx.registry.lire_piece(&self.guichet, id).await {
            Ok(x) => x,
            Err(e) => return self.refus_piece(e),
        };
        let mut r = reponse::flux(&p.content_type, lecteur, p.taille);
        let nom = String::from_utf8_lossy(&p.nom_fichier.0).into_owned();
        let ascii: String =
            nom.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect();
        let disposition = format!(
            "{}; filename=\"{ascii}\"; filename*=UTF-8''{}",
            if telecharger { "attachment" } else { "inline" },
            utf8_percent_encode(&nom, NON_ALPHANUMERIC)
        );
        if let Ok(v) = HeaderValue::from_str(&disposition) {
            r.headers_mut().insert(CONTENT_DISPOSITION, v);
        }
        r
    }

    async fn qualifier(&self, id: &str, champs: &HashMap<String, String>) -> Reponse {
        let Some(statut) = champs.get("statut").and_then(|s| Statut::parse(s)) else {
            return self.erreur(StatusCode::BAD_REQUEST, "Statut inconnu : INEXPLOITABLE, HORS_PERIMETRE ou OBSOLETE.");
        };
        let motif = champs.get("motif").map(|m| m.trim().to_string()).filter(|m| !m.is_empty());
        match self.ctx.registry.qualifier_piece(&self.guichet, id, statut, motif).await {
            Ok(p) => vers(&format!("/console/demandes/{}?message=qualifiee", p.num)),
            Err(e) => self.refus_piece(e),
        }
    }

    async fn supprimer(&self, id: &str, champs: &HashMap<String, String>) -> Reponse {
        if !pages::confirme(champs) {
            // A step before: the piece is gone for every service once deleted.
            let nom = crate::text::extrait(champs.get("nom").map_or("", |n| n.as_str()), 255);
            let retour = champs
                .get("num")
                .and_then(|n| NumUnique::parse(n).ok())
                .map_or("/console/".to_string(), |n| format!("/console/demandes/{}", n.as_str()));
            return pages::confirmer(
                self.cadre("Supprimer une pièce"),
                &format!(
                    "Supprimer définitivement la pièce « {nom} » ? Elle ne sera plus disponible pour aucun service ; la suppression est inscrite au journal de la demande."
                ),
                &format!("/console/pieces/{}/supprimer", crate::text::extrait(id, 64)),
                "Supprimer définitivement",
                &retour,
            );
        }
        match self.ctx.registry.supprimer_piece(&self.guichet, id).await {
            Ok(p) => vers(&format!("/console/demandes/{}?message=supprimee", p.num)),
            Err(e) => self.refus_piece(e),
        }
    }

    /// A deposit from the page's form ([`super::depot`]).
    async fn deposer(&self, num: &str, req: Request<Incoming>) -> Reponse {
        let retour = format!("/console/demandes/{num}");
        super::depot::deposer(self.ctx, &self.guichet, num, &self.session.csrf, req, &retour, |statut, texte| {
            pages::erreur_dans(self.cadre("Dépôt refusé"), statut, texte, &retour)
        })
        .await
    }

    fn echanges(&self, q: &HashMap<String, String>) -> Reponse {
        let code = self.guichet.code.as_str();
        let (filtre, erreurs) = super::echanges::Filtre::lire(q);
        let tous = self.ctx.web.echanges.de(code);
        let total = tous.len();
        // A field that does not read keeps nothing out: the page says which and why.
        let echanges: Vec<_> = tous.into_iter().filter(|e| filtre.garde(e)).map(vue_echange).collect();
        let retention = self.ctx.web.echanges.retention();
        let statut = if erreurs.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
        let t = pages::EchangesVue {
            cadre: self.cadre("Échanges SOAP"),
            guichet: code.to_string(),
            retention_nombre: retention.nombre,
            retention_heures: retention.age.as_secs() / 3600,
            enveloppes: retention.enveloppes,
            champs: q.iter().map(|(k, v)| (k.clone(), v.chars().take(64).collect())).collect(),
            erreurs: erreurs.into_iter().map(|e| (e.champ, e.message)).collect(),
            gardes: echanges.len(),
            total,
            resultats: RESULTATS.to_vec(),
            echanges,
        };
        rendre(statut, &t)
    }

    async fn echange(&self, rid: &str) -> Reponse {
        let Some(mut e) = self.ctx.web.echanges.un(self.guichet.code.as_str(), rid) else {
            return self
                .erreur(StatusCode::NOT_FOUND, "Cet échange n'est pas (ou plus) dans le journal de votre guichet.");
        };
        let enveloppes = e.enveloppes.take();
        let anomalies = std::mem::take(&mut e.anomalies);
        // Up to twice 256 KiB of XML to read and lay out: off the async workers.
        let (messages, anomalies) = self.ctx.compute.run(|| vue_messages(enveloppes.as_ref(), &anomalies)).await;
        let mut cadre = self.cadre(&format!("Échange {}", e.request_id));
        cadre.fil =
            Some(pages::Fil::new(&[("/console/echanges", "Échanges SOAP")], &format!("Échange {}", e.request_id)));
        let t = pages::EchangeVue {
            cadre,
            enveloppes: enveloppes.is_some(),
            e: vue_echange(e),
            anomalies,
            messages,
            max: pages::taille(super::ENVELOPPE_MAX as u64),
        };
        rendre(StatusCode::OK, &t)
    }
}

const RESULTATS: &[(&str, &str)] = &[
    ("", "Tous"),
    ("accepte", "Accepté"),
    ("reprise", "Reprise (déjà enregistrée)"),
    ("anomalie", "Anomalies"),
    ("faute_emetteur", "Faute de l'appelant"),
    ("faute_recepteur", "Faute de la passerelle"),
    ("refus", "Refusé (limite)"),
];

fn vue_echange(e: super::Echange) -> pages::VueEchange {
    let (resultat, classe) = match e.resultat.as_str() {
        "accepte" => ("accepté", "ok"),
        "reprise" => ("déjà enregistrée : reprise (même refInterne, nouveau code d'accès)", "ok"),
        "anomalie" => ("anomalies", "anomalie"),
        "faute_emetteur" => ("faute de l'appelant", "manque"),
        "faute_recepteur" => ("faute de la passerelle", "manque"),
        "refus" => ("refusé", "manque"),
        autre => (autre, ""),
    };
    pages::VueEchange {
        quand: pages::horodatage(e.quand),
        service: e.service,
        operation: e.operation,
        type_fichier: e.type_fichier.unwrap_or_default(),
        resultat: resultat.to_string(),
        classe,
        motif: e.motif,
        anomalies: e.anomalies.into_iter().map(|a| (a.code, a.message)).collect(),
        duree: format!("{:.1} ms", e.duree.as_secs_f64() * 1000.0),
        request_id: e.request_id,
    }
}

/// The request and the answer made readable, and the anomalies, each tied to the line of the
/// request's file it names (marked there).
fn vue_messages(
    enveloppes: Option<&(super::Enveloppe, super::Enveloppe)>,
    anomalies: &[crate::contract::Anomalie],
) -> (Vec<pages::VueMessage>, Vec<pages::VueAnomalie>) {
    let mut vues: Vec<pages::VueAnomalie> = anomalies
        .iter()
        .map(|a| pages::VueAnomalie {
            code: a.code.clone(),
            propriete: a.propriete.clone().unwrap_or_default(),
            message: a.message.clone(),
            cible: None,
            approchee: false,
        })
        .collect();
    let Some((requete, reponse)) = enveloppes else { return (Vec::new(), vues) };
    let lire = |env: &super::Enveloppe| {
        // A cut message does not decode: shown as kept.
        if env.coupee() {
            crate::operations::lire_message("text/plain", &env.corps)
        } else {
            crate::operations::lire_message(&env.content_type, &env.corps)
        }
    };
    let (requete_lue, reponse_lue) = (lire(requete), lire(reponse));
    // Lines of the request's files to mark: (file, line) -> codes.
    let mut marques: std::collections::BTreeMap<(usize, usize), Vec<String>> = Default::default();
    for vue in &mut vues {
        let racine = vue.propriete.split('/').next().unwrap_or("");
        let racine = racine.split('[').next().unwrap_or("");
        let trouve = requete_lue.fichiers.iter().enumerate().find_map(|(i, f)| {
            let indente = &f.texte.as_ref()?.indente;
            (indente.racine() == Some(racine)).then(|| indente.trouver(&vue.propriete)).flatten().map(|p| (i, p))
        });
        if let Some((i, place)) = trouve {
            for ligne in &place.lignes {
                let codes = marques.entry((i, *ligne)).or_default();
                if !codes.contains(&vue.code) {
                    codes.push(vue.code.clone());
                }
            }
            vue.cible = Some(ancre("requete", i, place.lignes[0]));
            vue.approchee = !place.exacte;
        }
    }
    let messages = vec![
        vue_message("Requête", "requete", requete, requete_lue, &marques),
        vue_message("Réponse", "reponse", reponse, reponse_lue, &Default::default()),
    ];
    (messages, vues)
}

/// The anchor of line `ligne` of file `fichier` of a message.
fn ancre(message: &str, fichier: usize, ligne: usize) -> String {
    format!("{message}-f{}-l{}", fichier + 1, ligne + 1)
}

fn vue_message(
    titre: &'static str,
    id: &'static str,
    env: &super::Enveloppe,
    lu: crate::operations::MessageLu,
    marques: &std::collections::BTreeMap<(usize, usize), Vec<String>>,
) -> pages::VueMessage {
    let texte = |t: crate::operations::Texte, fichier: Option<usize>| pages::VueTexte {
        lignes: t
            .indente
            .lignes
            .into_iter()
            .enumerate()
            .map(|(n, texte)| pages::VueLigne {
                marque: fichier.and_then(|i| marques.get(&(i, n)).map(|codes| (ancre(id, i, n), codes.join(" ")))),
                texte,
            })
            .collect(),
        erreur: t.erreur,
    };
    pages::VueMessage {
        titre,
        id,
        content_type: env.content_type.clone(),
        taille: pages::taille(env.taille as u64),
        coupee: env.coupee(),
        fichiers: lu
            .fichiers
            .into_iter()
            .enumerate()
            .map(|(i, f)| pages::VueFichierEchange {
                id: format!("{id}-f{}", i + 1),
                element: f.element,
                transport: f.transport,
                type_declare: f.type_declare,
                taille: pages::taille(f.taille as u64),
                genre: f.genre,
                texte: f.texte.map(|t| texte(t, Some(i))),
                erreur: f.erreur,
            })
            .collect(),
        enveloppe: texte(lu.enveloppe, None),
    }
}

fn libelle_etat(a: &crate::registry::depot::Attributs) -> &'static str {
    if a.radiation.is_some() {
        "radiée"
    } else {
        "active"
    }
}

fn libelle_categorie(code: &str) -> String {
    crate::contract::piece::categorie(code).map_or_else(|| code.to_string(), |c| c.libelle.to_string())
}

fn libelle_personne(code: &str) -> String {
    if code == "DEM" {
        "Demandeur".into()
    } else if let Some(n) = code.strip_prefix("COT") {
        format!("Cotitulaire {n}")
    } else if let Some(n) = code.strip_prefix("PAC") {
        format!("Personne à charge {n}")
    } else {
        code.to_string()
    }
}

/// The persons a piece may concern, as the deposit form lists them: those the file really has
/// (`foyer`: code and first name, from `operations::foyer_du_fichier`), "Demandeur : Julien";
/// the applicant alone when the file is not read.
pub(super) fn personnes(foyer: Option<&[(String, String)]>) -> Vec<(String, String)> {
    match foyer {
        Some(f) if !f.is_empty() => f
            .iter()
            .map(|(code, prenom)| {
                let libelle = libelle_personne(code);
                let libelle = if prenom.trim().is_empty() { libelle } else { format!("{libelle} : {}", prenom.trim()) };
                (code.clone(), libelle)
            })
            .collect(),
        _ => vec![("DEM".to_string(), libelle_personne("DEM"))],
    }
}

fn communes(codes: &[String]) -> String {
    if codes.is_empty() {
        return "aucune".into();
    }
    codes
        .iter()
        .map(|c| match crate::registry::geographie::commune(c) {
            Some(commune) => format!("{} ({c})", commune.nom),
            None => c.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
