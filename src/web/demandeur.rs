//! The applicant portal: an applicant signs in with the registration number and the personal
//! access code of their certificate, sees the state of their application, its expiry and the
//! pieces their territory still expects, deposits pieces (a phone's camera photos included) and
//! sees the pieces of their dossier, never a sensitive one a service deposited. The registry
//! decides (profile `Demandeur`); every deposit and list is journaled with `demandeur` as author.

use std::collections::HashMap;

use askama::Template;
use hyper::body::Incoming;
use hyper::{Method, Request, StatusCode};

use super::pages::{self, rendre, Cadre};
use super::reponse::{cookie, vers, Reponse};
use super::requete::{self, formulaire};
use super::sessions::{egaux, Qui, Session};
use super::{Contexte, COOKIE_CSRF, COOKIE_DEMANDEUR};
use crate::registry::code_acces::Ouverture;
use crate::registry::pieces::{peut_supprimer, EtatExigence, Statut};
use crate::registry::{Guichet, NumUnique};

const ESPACE: &str = "Espace demandeur";

#[derive(Template)]
#[template(path = "demandeur/connexion.html")]
struct Connexion {
    cadre: Cadre,
    csrf: String,
    num: String,
    erreur: Option<String>,
}

/// A piece as the applicant sees it.
struct PieceVue {
    id: String,
    categorie: String,
    nom_fichier: String,
    taille: String,
    deposee_le: String,
    statut: &'static str,
    supprimable: bool,
}

#[derive(Template)]
#[template(path = "demandeur/accueil.html")]
struct Accueil {
    cadre: Cadre,
    num: String,
    etat: &'static str,
    etat_code: &'static str,
    depot: String,
    expiration: String,
    renouvellement: Option<String>,
    attendues: Vec<String>,
    pieces: Vec<PieceVue>,
    peut_deposer: bool,
    depot_action: &'static str,
    avec_date: bool,
    taille_max: String,
    categories: Vec<(&'static str, &'static str)>,
    personnes: Vec<(String, String)>,
}

/// Serves `/demandeur/...`.
pub async fn servir(ctx: &Contexte<'_>, req: Request<Incoming>) -> Reponse {
    let path = req.uri().path().to_string();
    let methode = req.method().clone();
    match (&methode, path.as_str()) {
        (&Method::GET, "/demandeur") => return vers("/demandeur/"),
        (&Method::GET, "/demandeur/connexion") => return page_connexion(ctx, String::new(), None, StatusCode::OK),
        (&Method::POST, "/demandeur/connexion") => return connexion(ctx, req).await,
        _ => {}
    }
    let Some((id, session, ouverture)) = session(ctx, &req) else { return vers("/demandeur/connexion") };
    // The application erased, or a new code handed over since sign-in: the session ends.
    let Some(demandeur) = ctx.registry.demandeur(&ouverture).ok().flatten() else {
        ctx.web.demandeur.fermer(&id);
        let mut r = vers("/demandeur/connexion");
        cookie(&mut r, COOKIE_DEMANDEUR, "", Some(0));
        return r;
    };
    let num = ouverture.num().clone();
    let cadre = |titre: &str, message: Option<String>| Cadre {
        titre: titre.to_string(),
        espace: ESPACE,
        qui: Some(format!("Demande {}", num.as_str())),
        liens: vec![("/demandeur/", "Ma demande")],
        deconnexion: "/demandeur/deconnexion",
        csrf: session.csrf.clone(),
        ecole: ctx.web.ecole,
        message,
        fil: None,
    };
    match (&methode, path.as_str()) {
        (&Method::GET, "/demandeur/") => {
            let message = match requete::requete(&req).get("message").map(String::as_str) {
                Some("deposee") => Some("Pièce déposée : merci.".to_string()),
                Some("deja") => Some("Vous aviez déjà déposé ce fichier : il est gardé une fois.".to_string()),
                Some("supprimee") => Some("Pièce retirée de votre dossier.".to_string()),
                _ => None,
            };
            accueil(ctx, &demandeur, &num, cadre("Ma demande", message)).await
        }
        (&Method::POST, "/demandeur/pieces") => {
            super::depot::deposer(ctx, &demandeur, num.as_str(), &session.csrf, req, "/demandeur/", |statut, texte| {
                pages::erreur_dans(cadre("Dépôt refusé", None), statut, texte, "/demandeur/")
            })
            .await
        }
        (&Method::POST, _) => {
            let champs = formulaire(req).await.unwrap_or_default();
            if !champs.get("csrf").is_some_and(|t| egaux(t, &session.csrf)) {
                return pages::erreur_dans(
                    cadre("Action impossible", None),
                    StatusCode::FORBIDDEN,
                    "Formulaire expiré : rechargez la page et recommencez.",
                    "/demandeur/",
                );
            }
            let segments: Vec<&str> = path.trim_start_matches("/demandeur/").split('/').collect();
            match segments.as_slice() {
                ["deconnexion"] => {
                    ctx.web.demandeur.fermer(&id);
                    let mut r = vers("/demandeur/connexion");
                    cookie(&mut r, COOKIE_DEMANDEUR, "", Some(0));
                    r
                }
                ["pieces", piece, "supprimer"] if !pages::confirme(&champs) => {
                    let nom = crate::text::extrait(champs.get("nom").map_or("", |n| n.as_str()), 255);
                    pages::confirmer(
                        cadre("Retirer une pièce", None),
                        &format!("Retirer la pièce « {nom} » de votre dossier ? Vous pourrez la déposer de nouveau."),
                        &format!("/demandeur/pieces/{}/supprimer", crate::text::extrait(piece, 64)),
                        "Retirer la pièce",
                        "/demandeur/",
                    )
                }
                ["pieces", piece, "supprimer"] => match ctx.registry.supprimer_piece(&demandeur, piece).await {
                    Ok(_) => vers("/demandeur/?message=supprimee"),
                    Err(e) => pages::erreur_dans(
                        cadre("Action impossible", None),
                        StatusCode::FORBIDDEN,
                        &super::capitalise(&e.to_string()),
                        "/demandeur/",
                    ),
                },
                _ => pages::erreur_dans(
                    cadre("Introuvable", None),
                    StatusCode::NOT_FOUND,
                    "Cette action n'existe pas.",
                    "/demandeur/",
                ),
            }
        }
        _ => pages::erreur_dans(
            cadre("Introuvable", None),
            StatusCode::NOT_FOUND,
            "Cette adresse ne mène à aucune page de votre espace.",
            "/demandeur/",
        ),
    }
}

fn session(ctx: &Contexte<'_>, req: &Request<Incoming>) -> Option<(String, Session, Ouverture)> {
    let id = requete::cookie(req, COOKIE_DEMANDEUR)?;
    let session = ctx.web.demandeur.trouver(&id)?;
    let ouverture = match &session.qui {
        Qui::Demandeur { ouverture } => ouverture.clone(),
        Qui::Agent { .. } => return None,
    };
    Some((id, session, ouverture))
}

fn page_connexion(ctx: &Contexte<'_>, num: String, erreur: Option<String>, statut: StatusCode) -> Reponse {
    let csrf = super::sessions::aleatoire();
    let t = Connexion { cadre: Cadre::anonyme("Connexion", ESPACE, ctx.web.ecole), csrf: csrf.clone(), num, erreur };
    let mut r = rendre(statut, &t);
    cookie(&mut r, COOKIE_CSRF, &csrf, Some(3600));
    r
}

async fn connexion(ctx: &Contexte<'_>, req: Request<Incoming>) -> Reponse {
    let jeton = requete::cookie(&req, COOKIE_CSRF);
    let champs: HashMap<String, String> = match formulaire(req).await {
        Ok(c) => c,
        Err(e) => {
            return page_connexion(ctx, String::new(), Some(super::capitalise(&e.to_string())), StatusCode::BAD_REQUEST)
        }
    };
    let saisi = champs.get("num").map(|n| n.trim().to_ascii_uppercase()).unwrap_or_default();
    let code = champs.get("code").cloned().unwrap_or_default();
    if !matches!((jeton.as_deref(), champs.get("csrf")), (Some(a), Some(b)) if egaux(a, b)) {
        let e = "Formulaire expiré : la page a été rechargée, recommencez.".to_string();
        return page_connexion(ctx, saisi, Some(e), StatusCode::FORBIDDEN);
    }
    let cle = crate::text::extrait(&saisi, 30);
    let essai = match ctx.web.tentatives.tenter("demandeur", &cle, ctx.pair) {
        Ok(essai) => essai,
        Err(attente) => return attente.reponse(|e, statut| page_connexion(ctx, saisi, Some(e), statut)),
    };
    let ouvre = match NumUnique::parse(&saisi) {
        Ok(num) if code.len() <= 64 => ctx.registry.verifier_code_acces(&num, &code).ok().flatten(),
        _ => None,
    };
    match ouvre {
        Some(ouverture) => {
            ctx.web.tentatives.succes("demandeur", &cle, ctx.pair, essai);
            let (id, _) = ctx.web.demandeur.ouvrir(Qui::Demandeur { ouverture });
            let mut r = vers("/demandeur/");
            cookie(&mut r, COOKIE_DEMANDEUR, &id, None);
            cookie(&mut r, COOKIE_CSRF, "", Some(0));
            r
        }
        None => {
            let e = "Numéro unique ou code d'accès incorrect.".to_string();
            page_connexion(ctx, saisi, Some(e), StatusCode::UNAUTHORIZED)
        }
    }
}

async fn accueil(ctx: &Contexte<'_>, demandeur: &Guichet, num: &NumUnique, cadre: Cadre) -> Reponse {
    let r = ctx.registry;
    let Ok(demande) = r.etat(demandeur, num) else {
        return pages::erreur_dans(
            cadre,
            StatusCode::NOT_FOUND,
            "Cette demande n'existe plus.",
            "/demandeur/connexion",
        );
    };
    let a = demande.attributs();
    let aujourdhui = r.horloge().aujourd_hui();
    let active = a.radiation.is_none();
    let renouvellement = (active && a.date_expiration <= aujourdhui + time::Duration::days(92)).then(|| {
        format!(
            "Votre demande arrive à échéance le {} : renouvelez-la auprès de votre guichet avant cette date.",
            pages::date(a.date_expiration)
        )
    });
    let pieces = r.lister_pieces(demandeur, num, None).await.unwrap_or_default();
    // The deposit form lists the persons of the file, first names included: the applicant's own
    // file, read (and journaled, author `demandeur`) only when the form shows.
    let foyer = match active {
        true => r
            .lire(demandeur, num, None, "demandeur/accueil")
            .await
            .ok()
            .and_then(|l| crate::operations::foyer_du_fichier(&l.contenu)),
        false => None,
    };
    // Each expected piece once (at its earliest stage), by its label: an applicant reads no code.
    let mut attendues: Vec<String> = Vec::new();
    let mut vues: Vec<Vec<String>> = Vec::new();
    if let Ok(etat) = r.etat_dossier(demandeur, num) {
        for etape in &etat.etapes {
            let quand = if etape.code == "ENREGISTREMENT" { "dès maintenant" } else { "avant la commission" };
            for (exigence, e) in &etape.exigences {
                if *e == EtatExigence::Presente || vues.contains(&exigence.categories) {
                    continue;
                }
                vues.push(exigence.categories.clone());
                let libelles: Vec<&str> = exigence
                    .categories
                    .iter()
                    .filter_map(|c| crate::contract::piece::categorie(c).map(|x| x.libelle))
                    .collect();
                if !libelles.is_empty() {
                    attendues.push(format!("{} ({quand})", libelles.join(" ou ")));
                }
            }
        }
    }
    let t = Accueil {
        cadre,
        num: num.to_string(),
        etat: if active { "en cours" } else { "radiée" },
        etat_code: if active { "A" } else { "R" },
        depot: pages::date(a.date_depot),
        expiration: pages::date(a.date_expiration),
        renouvellement,
        attendues,
        pieces: pieces
            .iter()
            .map(|p| PieceVue {
                id: p.id.clone(),
                categorie: crate::contract::piece::categorie(&p.categorie)
                    .map_or_else(|| p.categorie.clone(), |c| c.libelle.to_string()),
                nom_fichier: String::from_utf8_lossy(&p.nom_fichier.0).into_owned(),
                taille: pages::taille(p.taille),
                deposee_le: pages::horodatage(p.deposee_le),
                statut: Statut::parse(&p.statut).filter(|s| *s != Statut::Deposee).map_or("", Statut::libelle),
                supprimable: peut_supprimer(demandeur, p, a.etat).is_ok(),
            })
            .collect(),
        peut_deposer: active,
        depot_action: "/demandeur/pieces",
        avec_date: false,
        taille_max: pages::taille(ctx.taille_max),
        categories: crate::contract::piece::CATEGORIES.iter().map(|c| (c.code, c.libelle)).collect(),
        personnes: super::console::personnes(foyer.as_deref()),
    };
    rendre(StatusCode::OK, &t)
}
