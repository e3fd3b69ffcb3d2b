//! The contract layer: the application file (`interfaceNuu`, interface 02.00 and 02.01) as
//! typed Rust values, its validation against the XSD schemas into anomalies, and its writing.
//!
//! **Everything here is derived from `schemas/*.xsd`**: the validator tables and the typed
//! structs in `generated/` are produced by `codegen` (run
//! `UPDATE_GENERATED=1 cargo test generated_code_is_fresh`). This layer knows nothing of SOAP,
//! HTTP or the registry's rules; it only says whether a file is acceptable, and why not.

pub mod anomalie;
#[cfg(test)]
mod codegen;
pub mod codes;
pub mod fichiers;
pub mod libelles;
pub mod listes;
pub mod piece;
#[rustfmt::skip] // Generated code is compared byte for byte by its freshness test.
pub mod generated;
pub mod lexical;
mod rejet;
pub mod runtime;
pub mod validate;
pub mod xsd;

pub use generated::types;
pub use rejet::{ecrire_avec_blocs, ecrire_blocs_dans, ecrire_rejet, ecrire_reponse_anomalies};
pub use runtime::{Valeur, XsDate, XsDateTime};

use crate::xml::{self, Element};
use runtime::{FromXml, WriteXml, Writer};

/// Namespace of the business files.
pub const NS_FICHIER: &str = "http://nuu.application.i2/";

/// Interface versions of the application file this gateway accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VersionInterface {
    /// `02.00`.
    V0200,
    /// `02.01` (adds `informationTraitement`, `notifSms` and `notifEvt`).
    V0201,
}

impl VersionInterface {
    /// Every supported version.
    pub const ALL: [VersionInterface; 2] = [VersionInterface::V0200, VersionInterface::V0201];

    /// The version written as in `versionInterface`.
    pub fn parse(value: &str) -> Option<VersionInterface> {
        match value {
            "02.00" => Some(VersionInterface::V0200),
            "02.01" => Some(VersionInterface::V0201),
            _ => None,
        }
    }

    /// `02.00` or `02.01`.
    pub fn as_str(self) -> &'static str {
        match self {
            VersionInterface::V0200 => "02.00",
            VersionInterface::V0201 => "02.01",
        }
    }

    /// The validator table of this version's schema.
    pub fn schema(self) -> &'static xsd::Schema {
        match self {
            VersionInterface::V0200 => &generated::schema_v0200::SCHEMA,
            VersionInterface::V0201 => &generated::schema_v0201::SCHEMA,
        }
    }
}

/// One reason a file is refused, as carried by `listeAnomalie/anomalie`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anomalie {
    /// Stable code, at most 10 characters (`XSD-ABSENT`, `CODE-INC`...).
    pub code: String,
    /// Path of the offending element or attribute (`interfaceNuu/.../nom`, `.../@code`).
    pub propriete: Option<String>,
    /// Message in French, at most 512 characters.
    pub message: String,
}

impl Anomalie {
    /// An anomaly (texts are cut to the schema's limits).
    pub fn new(code: &str, propriete: Option<&str>, message: impl Into<String>) -> Anomalie {
        Anomalie {
            code: code.chars().take(10).collect(),
            propriete: propriete.map(|p| validate::truncate(p.to_string(), validate::MAX_PROPRIETE)),
            message: validate::truncate(message.into(), validate::MAX_MESSAGE),
        }
    }

    /// True for anomalies of the schema (as opposed to code lists or business rules).
    pub fn is_schema(&self) -> bool {
        self.code.starts_with("XSD-")
    }
}

/// A valid application file.
#[derive(Debug, Clone, PartialEq)]
pub struct FichierDemande {
    /// Its interface version.
    pub version: VersionInterface,
    /// Its content.
    pub interface: types::InterfaceNuu,
}

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LectureError {
    /// The bytes are not acceptable XML (not well-formed, or beyond the reader's limits).
    #[error(transparent)]
    Xml(#[from] xml::XmlError),
    /// The file breaks its schema or a code list: every violation, in document order.
    #[error("fichier refusé : {} anomalie(s)", .0.len())]
    Anomalies(Vec<Anomalie>),
}

/// Reads the `versionInterface` of a root already known to be `interfaceNuu`.
fn version_of(root: &Element) -> Result<VersionInterface, Anomalie> {
    const PROP: &str = "interfaceNuu/@versionInterface";
    match root.attribute("versionInterface") {
        None => Err(Anomalie::new(
            "XSD-VERS",
            Some(PROP),
            "L'attribut obligatoire versionInterface est absent de l'élément interfaceNuu.",
        )),
        Some(v) => VersionInterface::parse(v).ok_or_else(|| {
            Anomalie::new(
                "XSD-VERS",
                Some(PROP),
                format!(
                    "La version d'interface {} n'est pas prise en charge (versions acceptées : 02.00, 02.01).",
                    v.chars().take(20).collect::<String>()
                ),
            )
        }),
    }
}

/// Checks a parsed file against the schema of its version and its code lists. Returns the
/// version and every anomaly found: schema violations in document order, then code-list ones.
pub fn verifier(root: &Element) -> (Option<VersionInterface>, Vec<Anomalie>) {
    if !root.is(Some(NS_FICHIER), "interfaceNuu") {
        let found = match &root.ns {
            Some(ns) => format!("{{{ns}}}{}", root.name),
            None => root.name.clone(),
        };
        return (
            None,
            vec![Anomalie::new(
                "XSD-RACINE",
                Some("interfaceNuu"),
                format!(
                    "L'élément racine doit être interfaceNuu dans l'espace de noms {NS_FICHIER} (trouvé : {}).",
                    found.chars().take(200).collect::<String>()
                ),
            )],
        );
    }
    let version = match version_of(root) {
        Ok(v) => v,
        Err(a) => return (None, vec![a]),
    };
    let mut code_anomalies = Vec::new();
    let mut omitted_codes = 0usize;
    let (mut anomalies, omitted) =
        validate::validate_counted(version.schema(), "interfaceNuu", root, &mut |e, path| {
            if let Some(a) = codes::check(path, e) {
                if code_anomalies.len() < validate::MAX_ANOMALIES {
                    code_anomalies.push(a);
                } else {
                    omitted_codes += 1;
                }
            }
        });
    // Every violation goes back at once, so the counter fixes the file in one round trip; a
    // code already refused by its schema facet is not reported a second time. A set, not a
    // scan per code anomaly: both lists can be long in a hostile file.
    let schema_paths: std::collections::HashSet<Option<String>> =
        anomalies.iter().map(|s| s.propriete.clone()).collect();
    for a in code_anomalies {
        if !schema_paths.contains(&a.propriete) {
            anomalies.push(a);
        }
    }
    validate::limit(&mut anomalies, omitted + omitted_codes);
    (Some(version), anomalies)
}

/// Parses (with limits), validates against the schema of the file's `versionInterface`, then
/// checks code lists; `Ok` only when there is no anomaly at all.
pub fn lire_demande(bytes: &[u8], limits: xml::Limits) -> Result<FichierDemande, LectureError> {
    let root = xml::parse(bytes, limits)?;
    conforme_xml(&root)?;
    let (version, anomalies) = verifier(&root);
    match version {
        Some(version) if anomalies.is_empty() => {
            Ok(FichierDemande { version, interface: types::InterfaceNuu::from_xml(&root) })
        }
        _ => Err(LectureError::Anomalies(anomalies)),
    }
}

/// Reads a file this gateway stored: it was checked whole (schema, code lists) before it was
/// written, and the store authenticates what it returns, so only the version is read again.
/// Three quarters of a `getDoublons` went to validating the duplicates' stored files again.
/// Never for a file from outside: [`lire_demande`] checks those.
pub fn lire_demande_enregistree(bytes: &[u8]) -> Result<FichierDemande, LectureError> {
    let root = xml::parse(bytes, xml::Limits::DEFAULT)?;
    let version = version_of(&root).map_err(|a| LectureError::Anomalies(vec![a]))?;
    Ok(FichierDemande { version, interface: types::InterfaceNuu::from_xml(&root) })
}

/// Refuses a tree that is not XML 1.0 although the tree reader let it through: a character XML
/// forbids (C0 controls other than tab, LF and CR, U+FFFE, U+FFFF), raw or as a reference, or
/// an element or attribute name that is not an XML name (`<a"b>`, `<a==b>`). Such a file, once
/// stored or sent back in a rejection, would break every strict reader. The element is named
/// (truncated); text content is not, because it may be personal data.
pub(crate) fn conforme_xml(root: &Element) -> Result<(), xml::XmlError> {
    let interdit = |s: &str| s.chars().find(|&c| !runtime::is_xml_char(c));
    let court = |s: &str| s.chars().filter(|&c| runtime::is_xml_char(c)).take(100).collect::<String>();
    let refus = |c: char, element: &str| {
        xml::XmlError::Malformed(format!(
            "caractère U+{:04X} interdit en XML 1.0 dans l'élément {}",
            c as u32,
            court(element)
        ))
    };
    let nom =
        |n: &str| xml::XmlError::Malformed(format!("nom d'élément ou d'attribut invalide en XML : « {} »", court(n)));
    // An explicit stack: the depth is bounded by the reader's limits, but the walk need not
    // rely on it.
    let mut stack = vec![root];
    while let Some(e) = stack.pop() {
        if !runtime::is_ncname(&e.name) {
            return Err(nom(&e.name));
        }
        for a in &e.attributes {
            if !runtime::is_ncname(&a.name) {
                return Err(nom(&a.name));
            }
            if let Some(c) = interdit(&a.value) {
                return Err(refus(c, &e.name));
            }
        }
        for n in &e.children {
            match n {
                xml::Node::Element(c) => stack.push(c),
                xml::Node::Text(t) => {
                    if let Some(c) = interdit(t) {
                        return Err(refus(c, &e.name));
                    }
                }
                xml::Node::Binary(_) => {}
            }
        }
    }
    Ok(())
}

/// Drops what the file's version does not have, so that the output matches its schema: the three
/// elements interface 02.01 added (see `codegen/version_0200.rs`).
fn for_version(f: &FichierDemande) -> std::borrow::Cow<'_, types::InterfaceNuu> {
    match f.version {
        VersionInterface::V0201 => std::borrow::Cow::Borrowed(&f.interface),
        VersionInterface::V0200 => {
            let demandeur = |i: &types::InterfaceNuu| match &i.demande.demande_logement.association_ou_personne_physique
            {
                types::AssociationOuPersonnePhysique::PersonnePhysique(p) => {
                    p.demandeur.notif_sms.is_some() || p.demandeur.notif_evt.is_some()
                }
                _ => false,
            };
            if f.interface.demande.demande_logement.information_traitement.is_none() && !demandeur(&f.interface) {
                return std::borrow::Cow::Borrowed(&f.interface);
            }
            let mut i = f.interface.clone();
            let dl = &mut i.demande.demande_logement;
            dl.information_traitement = None;
            if let types::AssociationOuPersonnePhysique::PersonnePhysique(p) = &mut dl.association_ou_personne_physique
            {
                p.demandeur.notif_sms = None;
                p.demandeur.notif_evt = None;
            }
            std::borrow::Cow::Owned(i)
        }
    }
}

/// Writes the file: XML declaration, then root `<ns2:interfaceNuu xmlns:ns2=...
/// versionInterface="..">`, every element prefixed `ns2`, `ns2:modifie` attributes.
pub fn ecrire_demande(f: &FichierDemande) -> Vec<u8> {
    let mut interface = for_version(f);
    if interface.version_interface != f.version.as_str() {
        interface.to_mut().version_interface = f.version.as_str().to_string();
    }
    let mut w = Writer::new();
    interface.write_xml(&mut w, "interfaceNuu");
    w.into_bytes()
}

/// `contenu`, a file as [`ecrire_demande`] wrote it, with `dateDerniereModificationPiece` set to
/// `jour`: the element's text replaced, or the element put where the schema wants it (before
/// `incrementFichier`, else last in `demandeLogement`). A splice of the writer's own markup
/// (prefix `ns2`, no space between elements; a `<` in text or attributes is always escaped, so
/// these bytes can only be markup): reading the whole file and writing it again costs about a
/// hundred times more, on every read of an application with pieces. `None` when the file is not
/// in that shape (the caller then reads and rewrites it).
pub fn dater_pieces(contenu: &[u8], jour: &XsDate) -> Option<Vec<u8>> {
    use memchr::memmem;
    const OUVRE: &[u8] = b"<ns2:dateDerniereModificationPiece>";
    const FERME: &[u8] = b"</ns2:dateDerniereModificationPiece>";
    const INCREMENT: &[u8] = b"<ns2:incrementFichier>";
    const FIN: &[u8] = b"</ns2:demandeLogement>";
    let une = |motif: &[u8]| -> Option<Option<usize>> {
        let mut trouves = memmem::find_iter(contenu, motif);
        let premier = trouves.next();
        match trouves.next() {
            Some(_) => None,
            None => Some(premier),
        }
    };
    let fin = une(FIN)??;
    let (debut, suite) = match (une(OUVRE)?, une(FERME)?) {
        (Some(o), Some(f)) if o < f && f < fin => (o, f + FERME.len()),
        (None, None) => match une(INCREMENT)? {
            Some(i) if i < fin => (i, i),
            Some(_) => return None,
            None => (fin, fin),
        },
        _ => return None,
    };
    let element = format!("<ns2:dateDerniereModificationPiece>{jour}</ns2:dateDerniereModificationPiece>");
    let mut out = Vec::with_capacity(contenu.len() + element.len());
    out.extend_from_slice(&contenu[..debut]);
    out.extend_from_slice(element.as_bytes());
    out.extend_from_slice(&contenu[suite..]);
    Some(out)
}

/// A `listeDoublons` file (Doublon schema): its own root in the file namespace.
pub fn ecrire_liste_doublons(liste: &types::ListeDoublons) -> Vec<u8> {
    let mut w = Writer::new();
    liste.write_xml(&mut w, "listeDoublons");
    w.into_bytes()
}

/// The anomalies as the schema's `listeAnomalie` (`None` when there are none: an accepted file
/// never carries an empty list).
pub fn liste_anomalie(anomalies: &[Anomalie]) -> Option<types::ListeAnomalie> {
    if anomalies.is_empty() {
        return None;
    }
    Some(types::ListeAnomalie {
        anomalie: anomalies
            .iter()
            .map(|a| types::Anomalie {
                code: a.code.chars().take(10).collect(),
                propriete: a.propriete.as_ref().map(|p| validate::truncate(p.clone(), validate::MAX_PROPRIETE)),
                // Never a `complement`: deployed clients print an anomaly's first child as its
                // message, so `message` comes first and quotes the value itself (CONTRACT §1).
                complement: Vec::new(),
                message: validate::truncate(a.message.clone(), validate::MAX_MESSAGE),
            })
            .collect(),
    })
}

/// Writes the file with a `listeAnomalie` block in `demandeLogement` (business rejections),
/// replacing any the file already had.
pub fn ecrire_demande_rejetee(f: &FichierDemande, anomalies: &[Anomalie]) -> Vec<u8> {
    let mut f = f.clone();
    f.interface.demande.demande_logement.liste_anomalie = liste_anomalie(anomalies);
    ecrire_demande(&f)
}

impl FichierDemande {
    /// `demande/demandeLogement`.
    pub fn demande_logement(&self) -> &types::DemandeLogement {
        &self.interface.demande.demande_logement
    }

    /// `demande/demandeLogement`, to change it.
    pub fn demande_logement_mut(&mut self) -> &mut types::DemandeLogement {
        &mut self.interface.demande.demande_logement
    }

    /// `entete/typeFichier` (CRE, MOD, REN...).
    pub fn type_fichier(&self) -> &str {
        &self.interface.entete.type_fichier
    }

    /// `entete/dateFichier`.
    pub fn date_fichier(&self) -> &XsDateTime {
        &self.interface.entete.date_fichier
    }

    /// `numGuichet`.
    pub fn num_guichet(&self) -> &str {
        &self.demande_logement().num_guichet.valeur
    }

    /// `numUnique`, when the file has one.
    pub fn num_unique(&self) -> Option<&str> {
        self.demande_logement().num_unique.as_ref().map(|v| v.valeur.as_str())
    }

    /// Sets (or removes) `numUnique`; it is written at its schema position.
    pub fn set_num_unique(&mut self, num_unique: Option<String>) {
        self.demande_logement_mut().num_unique = num_unique.map(Valeur::new);
    }

    /// `numUniqueAssocie` (CRS files).
    pub fn num_unique_associe(&self) -> Option<&str> {
        self.demande_logement().num_unique_associe.as_ref().map(|v| v.valeur.as_str())
    }

    /// `dateCreationDemande`.
    pub fn date_creation_demande(&self) -> &XsDate {
        &self.demande_logement().date_creation_demande.valeur
    }

    /// `incrementFichier`.
    pub fn increment_fichier(&self) -> Option<&str> {
        self.demande_logement().increment_fichier.as_deref()
    }

    /// Sets (or removes) `incrementFichier`.
    pub fn set_increment_fichier(&mut self, increment: Option<String>) {
        self.demande_logement_mut().increment_fichier = increment;
    }

    /// The applicant, for a natural person's application.
    pub fn demandeur(&self) -> Option<&types::Demandeur> {
        match &self.demande_logement().association_ou_personne_physique {
            types::AssociationOuPersonnePhysique::PersonnePhysique(p) => Some(&p.demandeur),
            types::AssociationOuPersonnePhysique::Association(_) => None,
        }
    }

    /// The association, for an association's application.
    pub fn association(&self) -> Option<&types::Association> {
        match &self.demande_logement().association_ou_personne_physique {
            types::AssociationOuPersonnePhysique::Association(a) => Some(a),
            types::AssociationOuPersonnePhysique::PersonnePhysique(_) => None,
        }
    }

    /// The applicant's `civilite/@code`.
    pub fn civilite(&self) -> Option<&str> {
        self.demandeur().and_then(|d| d.civilite.code.as_deref())
    }

    /// The applicant's `nom`.
    pub fn nom(&self) -> Option<&str> {
        self.demandeur().map(|d| d.nom.valeur.as_str())
    }

    /// The applicant's `prenom`.
    pub fn prenom(&self) -> Option<&str> {
        self.demandeur().map(|d| d.prenom.valeur.as_str())
    }

    /// The applicant's `dateNaissance`.
    pub fn date_naissance(&self) -> Option<&XsDate> {
        self.demandeur().map(|d| &d.date_naissance.valeur)
    }

    /// The association's `nom`.
    pub fn association_nom(&self) -> Option<&str> {
        self.association().map(|a| a.nom.valeur.as_str())
    }

    /// `logementRecherche/listeLocalisationSouhaite/localisationSouhaite/commune/@code`, in order.
    pub fn communes_souhaitees(&self) -> Vec<&str> {
        self.demande_logement()
            .logement_recherche
            .iter()
            .flat_map(|l| l.liste_localisation_souhaite.localisation_souhaite.iter())
            .filter_map(|l| l.commune.code.as_deref())
            .collect()
    }
}

#[cfg(test)]
mod tests;
