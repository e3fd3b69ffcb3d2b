//! A deposit from a form of the console or the portal: the same checks as `deposerPiece`, the
//! content streamed to disk through the registry's reception as it comes. The form's first
//! field is its CSRF token, checked before any content is read. With the page's script
//! (`X-Requested-With: depot`) the answer is a status and a header the script follows; without
//! it, a redirection or an error page.

use std::collections::HashMap;

use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::header::HeaderValue;
use hyper::{Request, StatusCode};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

use super::pages;
use super::reponse::{self, vers, Reponse};
use super::requete;
use super::sessions::egaux;
use super::Contexte;
use crate::registry::pieces::DescriptionDepot;
use crate::registry::{Guichet, NumUnique};

/// Most bytes of each text field of the deposit form (token, category, person, date): a field
/// is never held whole beyond it, so an unfinished field of megabytes costs nothing.
pub const CHAMP_TEXTE_MAX: u64 = 4 * 1024;

/// The fields of the deposit form; any other is refused before it is read.
const CHAMPS: [&str; 5] = ["csrf", "fichier", "categorie", "personne", "date_document"];

/// Reads the deposit `req` carries for `appelant` on `num` and records it; the answer sends the
/// browser back to `retour` (with a notice), or shows the refusal through `page_refus`.
pub async fn deposer(
    ctx: &Contexte<'_>,
    appelant: &Guichet,
    num: &str,
    csrf: &str,
    req: Request<Incoming>,
    retour: &str,
    page_refus: impl Fn(StatusCode, &str) -> Reponse,
) -> Reponse {
    let js = req.headers().get("x-requested-with").is_some_and(|v| v == "depot");
    let refus = |statut: StatusCode, texte: String| -> Reponse {
        if js {
            let mut r = reponse::octets("text/plain; charset=utf-8", texte.clone());
            *r.status_mut() = statut;
            if let Ok(v) = HeaderValue::from_str(&utf8_percent_encode(&texte, NON_ALPHANUMERIC).to_string()) {
                r.headers_mut().insert("x-erreur", v);
            }
            r
        } else {
            page_refus(statut, &texte)
        }
    };
    let Ok(n) = NumUnique::parse(num) else {
        return refus(StatusCode::NOT_FOUND, "Numéro de demande invalide.".into());
    };
    let boundary = req
        .headers()
        .get(hyper::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| multer::parse_boundary(ct).ok());
    let Some(boundary) = boundary else {
        return refus(StatusCode::BAD_REQUEST, "Formulaire de dépôt attendu (multipart/form-data).".into());
    };
    let limite = ctx.taille_max + 64 * 1024;
    if requete::longueur(&req).is_some_and(|d| d > limite) {
        return refus(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("Fichier trop gros : {} au plus (pieces.taille_max_octets).", pages::taille(ctx.taille_max)),
        );
    }
    let flux = req.into_body().into_data_stream();
    let contraintes = multer::Constraints::new().allowed_fields(CHAMPS.to_vec()).size_limit(
        multer::SizeLimit::new().whole_stream(limite).per_field(CHAMP_TEXTE_MAX).for_field("fichier", limite),
    );
    let mut multipart = multer::Multipart::with_constraints(flux, boundary, contraintes);
    let lecture = async {
        let mut champs: HashMap<String, String> = HashMap::new();
        let mut recu = None;
        let mut premier = true;
        while let Some(mut champ) = multipart.next_field().await.map_err(illisible)? {
            let nom = champ.name().unwrap_or("").to_string();
            if premier {
                premier = false;
                let jeton = if nom == "csrf" { champ.text().await.map_err(illisible)? } else { String::new() };
                if !egaux(&jeton, csrf) {
                    return Err(Illisible::Csrf);
                }
                continue;
            }
            if nom == "fichier" && recu.is_none() {
                let nom_fichier = champ.file_name().unwrap_or("").to_string();
                let declare = champ.content_type().map(|m| m.essence_str().to_string());
                let mut reception = match ctx.registry.preparer_depot(appelant, &n) {
                    Ok(r) => r,
                    Err(e) => return Ok(Err(e)),
                };
                while let Some(morceau) = champ.chunk().await.map_err(illisible)? {
                    reception = ctx
                        .compute
                        .run(move || {
                            reception.recevoir(&morceau);
                            reception
                        })
                        .await;
                }
                recu = Some((reception, nom_fichier, declare));
            } else if champs.len() < 16 {
                let texte = champ.text().await.map_err(illisible)?;
                champs.insert(nom, crate::text::extrait(&texte, 300));
            }
        }
        Ok(Ok((champs, recu)))
    };
    let lu = match tokio::time::timeout(ctx.delai_televersement, lecture).await {
        Err(_) => {
            return refus(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "Téléversement trop lent : fichier non reçu en {} secondes (pieces.delai_televersement_secs).",
                    ctx.delai_televersement.as_secs()
                ),
            )
        }
        Ok(Err(Illisible::Csrf)) => {
            return refus(
                StatusCode::FORBIDDEN,
                "Formulaire expiré ou d'une autre origine : rechargez la page et recommencez.".into(),
            )
        }
        Ok(Err(Illisible::TropGros(e))) => return refus(StatusCode::PAYLOAD_TOO_LARGE, e),
        Ok(Err(Illisible::Autre(e))) => {
            return refus(StatusCode::BAD_REQUEST, format!("Formulaire de dépôt illisible : {e}."))
        }
        Ok(Ok(Err(e))) => return refus(StatusCode::UNPROCESSABLE_ENTITY, super::capitalise(&e.to_string())),
        Ok(Ok(Ok(x))) => x,
    };
    let (champs, recu) = lu;
    let Some((reception, nom_fichier, declare)) = recu else {
        return refus(StatusCode::UNPROCESSABLE_ENTITY, "Aucun fichier choisi.".into());
    };
    let categorie = champs.get("categorie").cloned().unwrap_or_default();
    let Some(cat) = crate::contract::piece::categorie(&categorie) else {
        return refus(StatusCode::UNPROCESSABLE_ENTITY, "Catégorie de pièce inconnue.".into());
    };
    let personne = champs.get("personne").cloned().unwrap_or_else(|| "DEM".into());
    if !crate::registry::pieces::personne_valide(&personne) {
        return refus(StatusCode::UNPROCESSABLE_ENTITY, "Personne concernée invalide.".into());
    }
    let nom_fichier = if nom_fichier.trim().is_empty() { "piece".to_string() } else { nom_fichier };
    if nom_fichier.chars().count() > 255 {
        return refus(StatusCode::UNPROCESSABLE_ENTITY, "Nom de fichier de plus de 255 caractères.".into());
    }
    let date_document = match champs.get("date_document").map(|d| d.trim()).filter(|d| !d.is_empty()) {
        None => None,
        Some(d) => match time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")) {
            Ok(d) => Some(d),
            Err(_) => return refus(StatusCode::UNPROCESSABLE_ENTITY, "Date du document invalide.".into()),
        },
    };
    let description = DescriptionDepot {
        num: n.clone(),
        categorie: cat.code.to_string(),
        sensible: cat.sensible,
        personne,
        nom_fichier,
        type_declare: declare.filter(|d| d != "application/octet-stream"),
        date_document,
    };
    match ctx.registry.deposer(appelant, description, reception).await {
        Ok(depot) => {
            let suite = format!("{retour}?message={}", if depot.deja_deposee { "deja" } else { "deposee" });
            if js {
                let mut r = reponse::octets("text/plain; charset=utf-8", depot.piece.id.clone());
                if let Ok(v) = HeaderValue::from_str(&suite) {
                    r.headers_mut().insert("x-suite", v);
                }
                r
            } else {
                vers(&suite)
            }
        }
        Err(e) => refus(StatusCode::UNPROCESSABLE_ENTITY, super::capitalise(&e.to_string())),
    }
}

/// Why a deposit form was not read.
enum Illisible {
    /// Its first field is not the session's token.
    Csrf,
    /// A field or the whole form is over its bound (the message names it).
    TropGros(String),
    /// Anything else, in French.
    Autre(String),
}

/// multer's reasons, in French.
fn illisible(e: multer::Error) -> Illisible {
    use multer::Error as E;
    let nom = |n: &Option<String>| crate::text::extrait(n.as_deref().unwrap_or("?"), 40);
    match &e {
        E::FieldSizeExceeded { limit, field_name } => Illisible::TropGros(format!(
            "Champ « {} » de plus de {limit} octets : les champs de texte du formulaire en ont {CHAMP_TEXTE_MAX} au plus.",
            nom(field_name)
        )),
        E::StreamSizeExceeded { limit } => Illisible::TropGros(format!(
            "Formulaire de plus de {limit} octets (pieces.taille_max_octets et les champs du formulaire)."
        )),
        E::UnknownField { field_name } => Illisible::Autre(format!(
            "champ « {} » inconnu (attendus : {})",
            nom(field_name),
            CHAMPS.join(", ")
        )),
        E::IncompleteFieldData { field_name } => {
            Illisible::Autre(format!("champ « {} » interrompu avant sa fin", nom(field_name)))
        }
        E::IncompleteStream | E::IncompleteHeaders => Illisible::Autre("formulaire interrompu avant sa fin".into()),
        _ => Illisible::Autre("formulaire mal formé (multipart/form-data)".into()),
    }
}
