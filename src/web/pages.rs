//! The pages, as the templates of `templates/` see them: plain strings prepared by the
//! handlers, so that templates only lay them out.

use askama::Template;
use hyper::StatusCode;

use super::reponse::{page, Reponse};

/// What the frame of every page shows.
pub struct Cadre {
    /// Page title.
    pub titre: String,
    /// `Console des agents`, `Espace demandeur`.
    pub espace: &'static str,
    /// Who is signed in, when someone is.
    pub qui: Option<String>,
    /// Navigation links (path, label).
    pub liens: Vec<(&'static str, &'static str)>,
    /// Where the sign-out form posts.
    pub deconnexion: &'static str,
    /// The session's CSRF token.
    pub csrf: String,
    /// Base école banner.
    pub ecole: bool,
    /// A notice shown above the content (after an action).
    pub message: Option<String>,
    /// Where the page stands among the others ("fil d'Ariane"), when it is below another.
    pub fil: Option<Fil>,
}

/// The breadcrumb: the pages above this one, from the top, each a link, then this one's name.
pub struct Fil {
    /// (path, name) of each page above.
    pub parents: Vec<(String, String)>,
    /// This page's name (not a link).
    pub courant: String,
}

impl Fil {
    /// The pages `parents` (path, name), then `courant`.
    pub fn new(parents: &[(&str, &str)], courant: &str) -> Fil {
        Fil {
            parents: parents.iter().map(|(p, n)| (p.to_string(), n.to_string())).collect(),
            courant: courant.to_string(),
        }
    }
}

impl Cadre {
    /// The frame of a page nobody is signed in on.
    pub fn anonyme(titre: &str, espace: &'static str, ecole: bool) -> Cadre {
        Cadre {
            titre: titre.to_string(),
            espace,
            qui: None,
            liens: Vec::new(),
            deconnexion: "",
            csrf: String::new(),
            ecole,
            message: None,
            fil: None,
        }
    }
}

/// Renders `t`; a template that fails (it cannot, short of a bug) is a 500 without detail.
pub fn rendre(statut: StatusCode, t: &impl Template) -> Reponse {
    match t.render() {
        Ok(html) => page(statut, html),
        Err(e) => {
            tracing::error!(erreur = %e, "gabarit non rendu");
            page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "<!doctype html><html lang=\"fr\"><title>Erreur</title><p>Erreur interne.</p></html>".into(),
            )
        }
    }
}

#[derive(Template)]
#[template(path = "erreur.html")]
struct Erreur<'a> {
    cadre: Cadre,
    titre: &'a str,
    texte: &'a str,
    retour: &'a str,
}

/// An error page.
pub fn erreur(ecole: bool, statut: StatusCode, titre: &str, texte: &str, retour: &str) -> Reponse {
    let cadre = Cadre::anonyme(titre, "Console des agents", ecole);
    rendre(statut, &Erreur { cadre, titre, texte, retour })
}

/// An error page inside a signed-in frame.
pub fn erreur_dans(cadre: Cadre, statut: StatusCode, texte: &str, retour: &str) -> Reponse {
    let titre = cadre.titre.clone();
    rendre(statut, &Erreur { cadre, titre: &titre, texte, retour })
}

#[derive(Template)]
#[template(path = "confirmer.html")]
struct Confirmer<'a> {
    cadre: Cadre,
    question: &'a str,
    action: &'a str,
    bouton: &'a str,
    retour: &'a str,
}

/// The step before a destructive action, without script: `question`, a button posting `action`
/// again with `confirmer=oui` (and the form's token), and a way back to `retour`.
pub fn confirmer(cadre: Cadre, question: &str, action: &str, bouton: &str, retour: &str) -> Reponse {
    rendre(StatusCode::OK, &Confirmer { cadre, question, action, bouton, retour })
}

/// Whether a destructive action's form was confirmed (see [`confirmer`]).
pub fn confirme(champs: &std::collections::HashMap<String, String>) -> bool {
    champs.get("confirmer").is_some_and(|v| v == "oui")
}

#[derive(Template)]
#[template(path = "console/connexion.html")]
pub struct Connexion {
    pub cadre: Cadre,
    pub csrf: String,
    pub login: String,
    pub erreur: Option<String>,
}

/// One application found.
pub struct Trouvee {
    pub num: String,
    pub etat: String,
    pub depot: String,
}

#[derive(Template)]
#[template(path = "console/recherche.html")]
pub struct Recherche {
    pub cadre: Cadre,
    pub identite: String,
    pub num: String,
    pub erreur_num: Option<String>,
    pub nom: String,
    pub prenom: String,
    pub naissance: String,
    pub erreur_personne: Option<String>,
    pub resultats: Option<Vec<Trouvee>>,
    pub tronque: bool,
}

/// The application as its page shows it.
pub struct VueDemande {
    pub num: String,
    pub etat: String,
    pub etat_code: &'static str,
    /// What the file says, for counters only.
    pub fichier: Option<VueFichier>,
    pub depot: String,
    pub anciennete: String,
    pub enregistrement: String,
    pub renouvellement: Option<String>,
    pub expiration: String,
    pub radiation: Option<String>,
    pub guichet: String,
}

/// What only the application's file says (nominative, read by counters).
pub struct VueFichier {
    pub demandeur: String,
    pub communes: String,
    pub dalo: String,
}

/// One stage of the dossier's completeness.
pub struct VueEtape {
    pub titre: &'static str,
    pub complet: bool,
    /// (requirement, state, CSS class).
    pub exigences: Vec<(String, &'static str, &'static str)>,
}

/// A piece in the list.
pub struct VuePiece {
    pub id: String,
    pub categorie: String,
    pub sensible: bool,
    pub personne: String,
    pub nom_fichier: String,
    pub content_type: String,
    pub taille: String,
    pub deposee_le: String,
    pub deposant: String,
    /// The schema's code (`DEPOSEE`...), on the cell for scripts and tests.
    pub statut_code: String,
    /// As read.
    pub statut: String,
    pub motif: Option<String>,
    pub lisible: bool,
    pub supprimable: bool,
}

/// A line of the history.
pub struct LigneHistorique {
    pub quand: String,
    pub quoi: String,
    pub qui: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "console/demande.html")]
pub struct Demande {
    pub cadre: Cadre,
    pub d: VueDemande,
    pub peut_emettre_code: bool,
    pub code_emis: Option<String>,
    pub completude: Vec<VueEtape>,
    pub pieces: Vec<VuePiece>,
    pub peut_qualifier: bool,
    pub peut_deposer: bool,
    pub depot_action: String,
    pub avec_date: bool,
    pub taille_max: String,
    pub categories: Vec<(&'static str, &'static str)>,
    pub personnes: Vec<(String, String)>,
    pub historique: Vec<LigneHistorique>,
}

#[derive(Template)]
#[template(path = "console/piece.html")]
pub struct PieceVue {
    pub cadre: Cadre,
    pub id: String,
    pub categorie: String,
    pub nom_fichier: String,
    pub content_type: String,
    pub taille: String,
    pub empreinte: String,
    pub statut: String,
    pub image: bool,
}

/// An exchange as the list shows it.
pub struct VueEchange {
    pub quand: String,
    pub service: String,
    pub operation: String,
    pub type_fichier: String,
    pub resultat: String,
    pub classe: &'static str,
    pub motif: String,
    pub anomalies: Vec<(String, String)>,
    pub duree: String,
    pub request_id: String,
}

#[derive(Template)]
#[template(path = "console/echanges.html")]
pub struct EchangesVue {
    pub cadre: Cadre,
    pub guichet: String,
    pub retention_nombre: usize,
    pub retention_heures: u64,
    pub enveloppes: bool,
    /// The form's fields as typed, by name.
    pub champs: std::collections::HashMap<String, String>,
    /// Fields that do not read, by name, with why.
    pub erreurs: Vec<(&'static str, String)>,
    /// How many exchanges the filter kept, of how many.
    pub gardes: usize,
    pub total: usize,
    pub resultats: Vec<(&'static str, &'static str)>,
    pub echanges: Vec<VueEchange>,
}

impl EchangesVue {
    /// A field's value as typed.
    pub fn valeur(&self, champ: &str) -> &str {
        self.champs.get(champ).map_or("", |v| v.as_str())
    }

    /// Why a field does not read, if it does not.
    pub fn erreur(&self, champ: &str) -> Option<&str> {
        self.erreurs.iter().find(|(c, _)| *c == champ).map(|(_, m)| m.as_str())
    }
}

/// A line of a laid-out document; a marked one has its anchor and the anomaly codes that mark
/// it.
pub struct VueLigne {
    pub texte: String,
    pub marque: Option<(String, String)>,
}

/// A document laid out (or as received, with why).
pub struct VueTexte {
    pub lignes: Vec<VueLigne>,
    pub erreur: Option<String>,
}

/// A file a message carries.
pub struct VueFichierEchange {
    /// Its anchor.
    pub id: String,
    pub element: String,
    pub transport: &'static str,
    pub type_declare: Option<String>,
    pub taille: String,
    pub genre: &'static str,
    pub texte: Option<VueTexte>,
    pub erreur: Option<String>,
}

/// A request or an answer, made readable.
pub struct VueMessage {
    pub titre: &'static str,
    /// Its anchor, and its lines' prefix.
    pub id: &'static str,
    pub content_type: String,
    pub taille: String,
    pub coupee: bool,
    pub enveloppe: VueTexte,
    pub fichiers: Vec<VueFichierEchange>,
}

/// An anomaly of the answer, tied to the request's line it names when it was found there.
pub struct VueAnomalie {
    pub code: String,
    pub propriete: String,
    pub message: String,
    /// The anchor of the marked line.
    pub cible: Option<String>,
    /// The path names an element the request lacks: its parent is marked.
    pub approchee: bool,
}

#[derive(Template)]
#[template(path = "console/echange.html")]
pub struct EchangeVue {
    pub cadre: Cadre,
    pub e: VueEchange,
    pub anomalies: Vec<VueAnomalie>,
    /// Whether the envelopes were kept (school mode).
    pub enveloppes: bool,
    /// Request and answer, when kept.
    pub messages: Vec<VueMessage>,
    /// How much of a message is kept.
    pub max: String,
}

/// `1,2 Mo`, `340 ko`, `12 o`.
pub fn taille(octets: u64) -> String {
    match octets {
        n if n >= 1 << 20 => format!("{:.1} Mo", n as f64 / (1 << 20) as f64).replace('.', ","),
        n if n >= 1 << 10 => format!("{} ko", n.div_ceil(1 << 10)),
        n => format!("{n} o"),
    }
}

/// `12/03/2026`.
pub fn date(d: time::Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year())
}

/// `12/03/2026 14:05` in Paris time.
pub fn horodatage(t: time::OffsetDateTime) -> String {
    let paris = crate::registry::horloge::a_paris(t);
    format!("{} {:02}:{:02}", date(paris.date()), paris.hour(), paris.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_dates_read_as_in_french() {
        assert_eq!(taille(12), "12 o");
        assert_eq!(taille(340 * 1024), "340 ko");
        assert_eq!(taille(1_258_291), "1,2 Mo");
        assert_eq!(date(time::macros::date!(2026 - 03 - 02)), "02/03/2026");
        assert_eq!(horodatage(time::macros::datetime!(2026-07-01 12:05 UTC)), "01/07/2026 14:05");
    }
}
