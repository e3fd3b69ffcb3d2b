//! DemandeLogementImplService: `getNumUnique` (one file per `typeFichier`: `creer.rs` for CRE and
//! CRS, `changer.rs` for MOD, REN, RAD and SUP) and `getDemandeLogement` (`lire.rs`).

mod changer;
mod creer;
mod dalo;
mod dossier;
mod doublons;
mod lire;

pub use dalo::{DeclarationNouveauDaloParametres, DemandesRadieesDepuisLeParametres, NouveauxDaloDepuisLeParametres};
pub use doublons::RechercheDoublonsParametres;
pub use lire::DemandeLogementParametres;

use bytes::Bytes;

use super::parametres::{Champ, Champs};
use super::{capitalise, faute_appelant, Contexte, NS_METIER};
use crate::contract::types::AssociationOuPersonnePhysique;
use crate::contract::{self, Anomalie, FichierDemande, LectureError};
use crate::registry::recherche::FaitsRecherche;
use crate::registry::{attestation, Extrait, Identite, NumUnique, Refus, RegistryError};
use crate::soap::{self, BinaryKind, Fault, OutChild, OutMessage};
use crate::xml::Element;

const TYPE_XML: &str = "text/xml; charset=UTF-8";
const CHEMIN_DEMANDE: &str = "interfaceNuu/demande/demandeLogement";

fn anomalie(code: &str, propriete: &str, message: String) -> Anomalie {
    Anomalie::new(code, Some(propriete), message)
}

/// What a file asks of `getNumUnique` (`entete/typeFichier`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TypeFichier {
    /// Registration.
    Cre,
    /// Registration from a radiated application (seniority kept).
    Crs,
    /// Modification.
    Mod,
    /// Renewal.
    Ren,
    /// Radiation (or its undoing).
    Rad,
    /// Deletion.
    Sup,
    /// Dispatching, return and copy: batch exchanges between shared files and the national system.
    Dis,
    Ret,
    Cop,
}

impl TypeFichier {
    fn code(self) -> &'static str {
        match self {
            TypeFichier::Cre => "CRE",
            TypeFichier::Crs => "CRS",
            TypeFichier::Mod => "MOD",
            TypeFichier::Ren => "REN",
            TypeFichier::Rad => "RAD",
            TypeFichier::Sup => "SUP",
            TypeFichier::Dis => "DIS",
            TypeFichier::Ret => "RET",
            TypeFichier::Cop => "COP",
        }
    }

    fn parse(s: &str) -> Option<TypeFichier> {
        Some(match s {
            "CRE" => TypeFichier::Cre,
            "CRS" => TypeFichier::Crs,
            "MOD" => TypeFichier::Mod,
            "REN" => TypeFichier::Ren,
            "RAD" => TypeFichier::Rad,
            "SUP" => TypeFichier::Sup,
            "DIS" => TypeFichier::Dis,
            "RET" => TypeFichier::Ret,
            "COP" => TypeFichier::Cop,
            _ => return None,
        })
    }
}

/// What the gateway makes of `complet`, typed `xs:string` in the published WSDL (any value, the
/// empty one included, is valid): `true`, `1`, `oui`, `o`, `vrai`, `yes`, `y` (any case, spaces
/// around ignored) declare the dossier complete; `false`, `0`, `non`, `n`, `faux`, `no` declare it
/// incomplete; anything else, the empty value included, says nothing (no line on the
/// certificate). Never a fault: the national contract leaves the value free.
pub fn lire_complet(valeur: &str) -> Option<bool> {
    let v = valeur.trim().to_lowercase();
    match v.as_str() {
        "true" | "1" | "oui" | "o" | "vrai" | "yes" | "y" => Some(true),
        "false" | "0" | "non" | "n" | "faux" | "no" => Some(false),
        _ => None,
    }
}

/// Parameters of `getNumUnique`.
#[derive(Debug)]
pub struct NumUniqueParametres {
    nom_fichier: String,
    fichier: Bytes,
    complet: Option<bool>,
}

impl NumUniqueParametres {
    /// Reads `numUniqueParametres`.
    pub fn lire(wrapper: &Element) -> Result<Self, Fault> {
        let champs = Champs::lire(
            wrapper,
            &[
                Champ { nom: "nomFichierDemande", requis: true },
                Champ { nom: "fichierDemande", requis: true },
                Champ { nom: "nomCertificat", requis: true },
                Champ { nom: "certificat", requis: true },
                Champ { nom: "complet", requis: false },
            ],
        )?;
        let element = champs.get(1).expect("required field present");
        let fichier = soap::binary_content(element).map_err(|e| faute_appelant(e.to_string()))?;
        if fichier.is_empty() {
            return Err(faute_appelant("Le fichier de demande (fichierDemande) est vide.".into()));
        }
        Ok(NumUniqueParametres {
            nom_fichier: champs.texte(0),
            fichier,
            complet: champs.get(4).and_then(|e| lire_complet(&e.text())),
        })
    }

    /// Applies the file according to its `typeFichier`.
    pub async fn executer(self, ctx: &Contexte<'_>) -> Result<OutMessage, Fault> {
        let lu =
            ctx.compute.run_selon(self.fichier.len(), || contract::lire_demande(&self.fichier, ctx.limites_xml)).await;
        let fichier = match lu {
            Ok(f) => f,
            Err(LectureError::Xml(e)) => {
                ctx.bilan().limite = e.limit_key();
                return Err(faute_appelant(format!("Fichier de demande illisible : {e}")));
            }
            Err(LectureError::Anomalies(anomalies)) => {
                // A refused file still says what it was (the exchange view filters on it).
                return ctx
                    .compute
                    .run(|| {
                        let type_lu = crate::xml::parse(&self.fichier, ctx.limites_xml)
                            .ok()
                            .and_then(|r| Some(r.child("entete")?.child("typeFichier")?.text().trim().to_string()));
                        ctx.bilan().type_fichier = type_lu.map(|t| crate::text::extrait(&t, 10));
                        self.rejet(ctx, &anomalies)
                    })
                    .await;
            }
        };
        let type_fichier = fichier.type_fichier().to_string();
        ctx.bilan().type_fichier = Some(crate::text::extrait(&type_fichier, 10));
        match TypeFichier::parse(&type_fichier) {
            Some(TypeFichier::Cre) => self.creer(fichier, ctx, false).await,
            Some(TypeFichier::Crs) => self.creer(fichier, ctx, true).await,
            Some(t @ (TypeFichier::Mod | TypeFichier::Ren | TypeFichier::Rad)) => self.changer(fichier, ctx, t).await,
            Some(TypeFichier::Sup) => self.supprimer(fichier, ctx).await,
            Some(TypeFichier::Dis | TypeFichier::Ret | TypeFichier::Cop) => self.rejet(ctx, &[anomalie(
                "TYPE-NGR",
                "interfaceNuu/entete/typeFichier",
                format!(
                    "Le type de fichier {type_fichier} (dispatching, retour, copie) relève des échanges par lots entre fichiers partagés et système national ; il n'est pas traité par ce service."
                ),
            )]),
            None => self.rejet(ctx, &[anomalie(
                "TYPE-INC",
                "interfaceNuu/entete/typeFichier",
                format!(
                    "Type de fichier inconnu : {} (attendus : CRE, CRS, MOD, REN, RAD, SUP).",
                    super::extrait(&type_fichier)
                ),
            )]),
        }
    }

    /// The original file with its anomalies, or a fault when the file cannot carry them.
    fn rejet(&self, ctx: &Contexte<'_>, anomalies: &[Anomalie]) -> Result<OutMessage, Fault> {
        ctx.anomalies(anomalies);
        match contract::ecrire_rejet(&self.fichier, anomalies) {
            Some(file) => Ok(reponse_fichier("numUniqueReponse", self.nom_fichier.clone(), file)),
            None => {
                // A fault reason is read by a person: the first anomalies, then a count.
                const LISTEES: usize = 20;
                let mut texte = anomalies
                    .iter()
                    .take(LISTEES)
                    .map(|a| format!("[{}] {} : {}", a.code, a.propriete.as_deref().unwrap_or("-"), a.message))
                    .collect::<Vec<_>>()
                    .join(" ; ");
                if anomalies.len() > LISTEES {
                    texte.push_str(&format!(" ; et {} autre(s) anomalie(s)", anomalies.len() - LISTEES));
                }
                Err(faute_appelant(format!("Fichier de demande rejeté : {texte}")))
            }
        }
    }
}

/// The anomaly a broken business rule becomes, for the rules the file itself can fix or that
/// the counter must be told of; `None` for failures that are faults.
fn anomalie_metier(e: &RegistryError) -> Option<Anomalie> {
    let message = format!("{}.", capitalise(&e.to_string()));
    // Paths below `demandeLogement`, except `informationDalo`, its sibling.
    let a = |code: &str, chemin: &str| {
        let chemin = match chemin.strip_prefix('/') {
            Some(absolu) => absolu.to_string(),
            None => format!("{CHEMIN_DEMANDE}/{chemin}"),
        };
        Some(anomalie(code, &chemin, message.clone()))
    };
    let chemin_date = |element: &str| match element {
        "dateRenouvellement" => "renouvellement/dateRenouvellement",
        "dateRadiation" => "radiation/dateRadiation",
        "dateDecisionDalo" => "/interfaceNuu/demande/informationDalo/dateDecisionDalo",
        _ => "dateCreationDemande",
    };
    match e {
        RegistryError::DateFuture(_) => a("DATE-FUT", "dateCreationDemande"),
        RegistryError::DateDepotAncienne { .. } => a("CRE-DATE", "dateCreationDemande"),
        RegistryError::Inconnue(_) => a("DEM-INC", "numUnique"),
        RegistryError::AssocieeInconnue(_) => a("CRS-ASSOC", "numUniqueAssocie"),
        RegistryError::Refus(r) => match r {
            Refus::Radiee { action: "modifiée", .. } => a("MOD-RAD", "numUnique"),
            Refus::Radiee { action: "déclarée au titre du DALO", .. } => a("DALO-RAD", "numUnique"),
            Refus::Radiee { .. } => a("REN-RAD", "numUnique"),
            Refus::RenouvellementTropTot { .. } => a("REN-FEN", "renouvellement/dateRenouvellement"),
            Refus::ReactivationImpossible { .. } => a("REN-DELAI", "renouvellement"),
            Refus::DateFuture { element, .. } => a("DATE-FUT", chemin_date(element)),
            Refus::DateTropAncienne { element, .. } => a("DATE-ANC", chemin_date(element)),
            Refus::DejaRadiee { .. } => a("RAD-DEJA", "radiation/motifRadiation"),
            Refus::MotifReserveAuSysteme => a("RAD-REN", "radiation/motifRadiation/@code"),
            Refus::DetailManquant { .. } => a("RAD-DETAIL", "radiation"),
            Refus::PasRadiee { .. } => a("RAD-NON", "radiation/motifRadiation"),
            Refus::AnnulationImpossible { .. } => a("RAD-ANN", "radiation/motifRadiation"),
        },
        _ => None,
    }
}

/// A file read as a tree only, for operations that accept partial files (`getDoublons`, the DALO
/// declaration): well-formed, within the limits, rooted at `interfaceNuu`. `quoi` names the file
/// in faults.
async fn arbre_partiel(ctx: &Contexte<'_>, fichier: &[u8], quoi: &str) -> Result<Element, Fault> {
    let root =
        ctx.compute.run_selon(fichier.len(), || crate::xml::parse(fichier, ctx.limites_xml)).await.map_err(|e| {
            ctx.bilan().limite = e.limit_key();
            faute_appelant(format!("{quoi} illisible : {e}"))
        })?;
    if !root.is(Some(contract::NS_FICHIER), "interfaceNuu") {
        return Err(faute_appelant(format!(
            "{quoi} a pour racine {} : interfaceNuu de l'espace de noms {} attendue.",
            super::extrait(&root.name),
            contract::NS_FICHIER
        )));
    }
    Ok(root)
}

/// The business controls' findings as anomalies.
fn anomalies_metier(violations: Vec<crate::registry::controles::Violation>) -> Vec<Anomalie> {
    violations.into_iter().map(|v| Anomalie::new(v.code, Some(&v.chemin), v.message)).collect()
}

/// The caller acts only for itself: the file's `numGuichet` is its code.
fn verifier_guichet(f: &FichierDemande, ctx: &Contexte<'_>) -> Result<(), Fault> {
    let num_guichet = f.num_guichet();
    if num_guichet != ctx.appelant.code.as_str() {
        return Err(faute_appelant(format!(
            "Le guichet {} n'est pas habilité à agir pour le guichet {}.",
            ctx.appelant.code.as_str(),
            super::extrait(num_guichet)
        )));
    }
    Ok(())
}

/// What the registry reads of a file.
fn extrait(f: &FichierDemande) -> Extrait {
    Extrait {
        demandeur: libelle_demandeur(f),
        identites: identites(f),
        communes: f.communes_souhaitees().into_iter().map(str::to_string).collect(),
        faits: faits_recherche(f),
    }
}

/// The persons of a file a piece may concern, in the file's order: the applicant (`DEM`), each
/// co-applicant (`COT1`...) and each dependant (`PAC1`...), with their first names (empty when the
/// file gives none; an association has only `DEM`, its name). `None` when the file does not read.
pub fn foyer_du_fichier(contenu: &[u8]) -> Option<Vec<(String, String)>> {
    let f = contract::lire_demande_enregistree(contenu).ok()?;
    let AssociationOuPersonnePhysique::PersonnePhysique(p) = &f.demande_logement().association_ou_personne_physique
    else {
        return Some(vec![("DEM".to_string(), f.association_nom().unwrap_or_default().to_string())]);
    };
    let mut foyer = vec![("DEM".to_string(), p.demandeur.prenom.valeur.clone())];
    for (i, c) in p.liste_cotitulaire.iter().flat_map(|l| &l.cotitulaire).enumerate() {
        foyer.push((format!("COT{}", i + 1), c.prenom.valeur.clone()));
    }
    for (i, d) in p.liste_personne_a_charge.iter().flat_map(|l| &l.personne_a_charge).enumerate() {
        foyer.push((format!("PAC{}", i + 1), d.prenom.as_ref().map(|v| v.valeur.clone()).unwrap_or_default()));
    }
    Some(foyer)
}

/// The codes of [`foyer_du_fichier`], for the registry's rule that a piece concerns a person of
/// the application (`Registry::avec_foyer`).
pub fn personnes_du_fichier(contenu: &[u8]) -> Option<Vec<String>> {
    foyer_du_fichier(contenu).map(|f| f.into_iter().map(|(code, _)| code).collect())
}

/// What the registry reads of a stored file (persons, communes, search facts), as a change
/// would give it; `None` when the file does not read.
pub fn extrait_du_fichier(contenu: &[u8]) -> Option<Extrait> {
    let f = contract::lire_demande_enregistree(contenu).ok()?;
    Some(extrait(&f))
}

/// The persons and search facts of a stored file (to build the search index of applications
/// stored before it existed); `None` when the file does not read.
pub fn faits_du_fichier(contenu: &[u8]) -> Option<(Vec<Identite>, FaitsRecherche)> {
    extrait_du_fichier(contenu).map(|e| (e.identites, e.faits))
}

/// What the search index holds of a file.
pub fn faits_recherche(f: &FichierDemande) -> FaitsRecherche {
    let dl = f.demande_logement();
    let traitement = dl.information_traitement.as_ref();
    let radiation = dl.radiation.as_ref().filter(|r| r.motif_radiation.code.as_deref().is_some_and(|c| !c.is_empty()));
    FaitsRecherche {
        motifs: dl
            .principaux_motif_demande
            .iter()
            .flat_map(|p| &p.motif_demande)
            .filter_map(|m| m.code.clone())
            .collect(),
        association: f.association_nom().map(str::to_string),
        delai_anormalement_long: traitement.and_then(|t| t.est_delai_anormalement_long.as_ref()).map(|v| v.valeur),
        multiples_attributions: traitement
            .and_then(|t| t.est_multiples_attributions_sous_conditions.as_ref())
            .map(|v| v.valeur),
        commune_attribution: radiation
            .and_then(|r| r.attribution_logement.as_ref())
            .and_then(|a| a.adresse.as_ref())
            .and_then(|a| a.commune.as_ref())
            .and_then(|c| c.code.clone()),
    }
}

/// `numUniqueReponse` for an accepted file, with its certificate when one was issued.
fn fichier_enregistre(nom: String, contenu: Vec<u8>, attestation: Option<(&NumUnique, Vec<u8>)>) -> OutMessage {
    let mut out = reponse_fichier("numUniqueReponse", nom, contenu);
    if let Some((num, pdf)) = attestation {
        out.children
            .push(OutChild::Text { name: "nomAttestation".into(), value: attestation::nom_fichier(num.as_str()) });
        out.children.push(OutChild::Binary {
            name: "attestation".into(),
            data: Bytes::from(pdf),
            content_type: "application/pdf".into(),
            kind: BinaryKind::Opaque,
        });
    }
    out
}

/// The applicant as printed on the certificate: "Madame Jeanne DUPONT", or the association.
fn libelle_demandeur(f: &FichierDemande) -> String {
    if let Some(nom) = f.association_nom() {
        return nom.to_string();
    }
    let civilite = match f.civilite() {
        Some("1") => "Monsieur ",
        Some("2") => "Madame ",
        Some("3") => "Mademoiselle ",
        _ => "",
    };
    format!("{civilite}{} {}", f.prenom().unwrap_or(""), f.nom().unwrap_or("").to_uppercase())
}

/// Applicant and co-applicants, for the duplicates index.
fn identites(f: &FichierDemande) -> Vec<Identite> {
    let AssociationOuPersonnePhysique::PersonnePhysique(p) = &f.demande_logement().association_ou_personne_physique
    else {
        return Vec::new();
    };
    let d = &p.demandeur;
    let personnes = std::iter::once((&d.nom, &d.nom_patronymique, &d.prenom, &d.date_naissance)).chain(
        p.liste_cotitulaire
            .iter()
            .flat_map(|l| &l.cotitulaire)
            .map(|c| (&c.nom, &c.nom_patronymique, &c.prenom, &c.date_naissance)),
    );
    personnes
        .filter_map(|(nom, naissance, prenom, date)| {
            Some(Identite {
                nom: nom.valeur.clone(),
                nom_naissance: naissance.as_ref().map(|n| n.valeur.clone()),
                prenom: prenom.valeur.clone(),
                date_naissance: date.valeur.to_date()?,
            })
        })
        .collect()
}

/// `DEM<guichet>-<yyyyMMddHHmm>-<6 digits>.xml`, the name files carry in the field; the six
/// digits are the sequence of the number when it has one.
fn nom_fichier(guichet: &str, num_unique: &str, now: time::OffsetDateTime) -> String {
    let seq = num_unique.get(7..13).filter(|s| s.bytes().all(|b| b.is_ascii_digit())).unwrap_or("000000");
    format!(
        "DEM{guichet}-{:04}{:02}{:02}{:02}{:02}-{seq}.xml",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute()
    )
}

fn reponse_fichier(wrapper: &str, nom: String, file: Vec<u8>) -> OutMessage {
    reponse(wrapper, "nomFichierDemande", nom, "fichierDemande", file)
}

/// An answer carrying one business file: its name element and its file element.
fn reponse(wrapper: &str, nom_element: &str, nom: String, fichier_element: &str, fichier: Vec<u8>) -> OutMessage {
    OutMessage {
        ns: NS_METIER.to_string(),
        wrapper: wrapper.to_string(),
        children: vec![
            OutChild::Text { name: nom_element.into(), value: nom },
            OutChild::Binary {
                name: fichier_element.into(),
                data: Bytes::from(fichier),
                content_type: TYPE_XML.into(),
                kind: BinaryKind::Xml,
            },
        ],
    }
}
