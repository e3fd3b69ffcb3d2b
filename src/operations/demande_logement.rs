//! DemandeLogementImplService: `getNumUnique` and `getDemandeLogement`.

use bytes::Bytes;

use super::parametres::{Champ, Champs};
use super::{faute_appelant, faute_interne, Contexte, NS_METIER};
use crate::contract::types::AssociationOuPersonnePhysique;
use crate::contract::{self, Anomalie, FichierDemande, LectureError, XsDateTime};
use crate::registry::{attestation, Identite, NouvelleDemande, NumUnique, RegistryError};
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
        Ok(NumUniqueParametres { nom_fichier: champs.texte(0), fichier, complet: champs.booleen(4)? })
    }

    /// Applies the file according to its `typeFichier`.
    pub async fn executer(self, ctx: &Contexte<'_>) -> Result<OutMessage, Fault> {
        let lu = ctx.compute.run(|| contract::lire_demande(&self.fichier, ctx.limites_xml)).await;
        let fichier = match lu {
            Ok(f) => f,
            Err(LectureError::Xml(e)) => {
                ctx.bilan().limite = e.limit_key();
                return Err(faute_appelant(format!("Fichier de demande illisible : {e}")));
            }
            Err(LectureError::Anomalies(anomalies)) => return ctx.compute.run(|| self.rejet(ctx, &anomalies)).await,
        };
        let type_fichier = fichier.type_fichier().to_string();
        match TypeFichier::parse(&type_fichier) {
            Some(TypeFichier::Cre) => self.creer(fichier, ctx).await,
            Some(TypeFichier::Dis | TypeFichier::Ret | TypeFichier::Cop) => self.rejet(ctx, &[anomalie(
                "TYPE-NGR",
                "interfaceNuu/entete/typeFichier",
                format!(
                    "Le type de fichier {type_fichier} (dispatching, retour, copie) relève des échanges par lots entre fichiers partagés et système national ; il n'est pas traité par ce service."
                ),
            )]),
            Some(TypeFichier::Crs | TypeFichier::Mod | TypeFichier::Ren | TypeFichier::Rad | TypeFichier::Sup) => {
                self.rejet(ctx, &[anomalie(
                    "TYPE-NDISP",
                    "interfaceNuu/entete/typeFichier",
                    format!("Le type de fichier {type_fichier} n'est pas encore pris en charge par cette passerelle."),
                )])
            }
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

    async fn creer(self, mut fichier: FichierDemande, ctx: &Contexte<'_>) -> Result<OutMessage, Fault> {
        let num_guichet = fichier.num_guichet().to_string();
        if num_guichet != ctx.appelant.code.as_str() {
            return Err(faute_appelant(format!(
                "Le guichet {} n'est pas habilité à agir pour le guichet {num_guichet}.",
                ctx.appelant.code.as_str()
            )));
        }
        let mut anomalies = Vec::new();
        if fichier.num_unique().is_some() {
            anomalies.push(anomalie(
                "CRE-NUM",
                &format!("{CHEMIN_DEMANDE}/numUnique"),
                "Un fichier CRE ne porte pas de numUnique : le numéro est attribué par le registre.".into(),
            ));
        }
        let Some(date_depot) = fichier.date_creation_demande().to_date() else {
            // The validator already checked the lexical form; a date `time` cannot represent
            // (year beyond its range) is still the caller's problem.
            anomalies.push(anomalie(
                "XSD-FORMAT",
                &format!("{CHEMIN_DEMANDE}/dateCreationDemande"),
                "La date de création de la demande n'est pas une date représentable.".into(),
            ));
            return self.rejet(ctx, &anomalies);
        };
        let nouvelle = NouvelleDemande {
            num_guichet: ctx.appelant.code.clone(),
            date_depot,
            demandeur: libelle_demandeur(&fichier),
            identites: identites(&fichier),
            communes: fichier.communes_souhaitees().into_iter().map(str::to_string).collect(),
            complet: self.complet,
            num_associe: None,
        };
        anomalies.extend(
            nouvelle.regles_non_respectees(ctx.registry.horloge().aujourd_hui()).iter().filter_map(anomalie_metier),
        );
        if !anomalies.is_empty() {
            return self.rejet(ctx, &anomalies);
        }
        let maintenant = XsDateTime::from_offset_datetime(ctx.registry.horloge().maintenant());
        let enregistrement = ctx
            .registry
            .enregistrer(ctx.appelant, nouvelle, |num| {
                // The server fills in the number, the file counter and the file date on the way back.
                fichier.set_num_unique(Some(num.as_str().to_string()));
                fichier.set_increment_fichier(Some("1".to_string()));
                fichier.demande_logement_mut().liste_anomalie = None;
                fichier.interface.entete.date_fichier = maintenant;
                contract::ecrire_demande(&fichier)
            })
            .await;
        match enregistrement {
            Ok(e) => Ok(OutMessage {
                ns: NS_METIER.to_string(),
                wrapper: "numUniqueReponse".to_string(),
                children: vec![
                    OutChild::Text { name: "nomFichierDemande".into(), value: self.nom_fichier },
                    OutChild::Binary {
                        name: "fichierDemande".into(),
                        data: Bytes::from(e.contenu),
                        content_type: TYPE_XML.into(),
                        kind: BinaryKind::Xml,
                    },
                    OutChild::Text {
                        name: "nomAttestation".into(),
                        value: attestation::nom_fichier(e.num_unique.as_str()),
                    },
                    OutChild::Binary {
                        name: "attestation".into(),
                        data: Bytes::from(e.attestation),
                        content_type: "application/pdf".into(),
                        kind: BinaryKind::Opaque,
                    },
                ],
            }),
            Err(e) if anomalie_metier(&e).is_some() => self.rejet(ctx, &[anomalie_metier(&e).expect("checked")]),
            Err(e) if e.is_caller_error() => Err(faute_appelant(capitalise(&e.to_string()))),
            Err(e) => Err(faute_interne(&e)),
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

/// Parameters of `getDemandeLogement`.
#[derive(Debug)]
pub struct DemandeLogementParametres {
    num_unique: String,
}

impl DemandeLogementParametres {
    /// Reads `demandeLogementParametres`.
    pub fn lire(wrapper: &Element) -> Result<Self, Fault> {
        let champs = Champs::lire(
            wrapper,
            &[
                Champ { nom: "numUnique", requis: true },
                Champ { nom: "nomCertificat", requis: true },
                Champ { nom: "certificat", requis: true },
                Champ { nom: "complet", requis: false },
            ],
        )?;
        // `complet` is accepted for compatibility: the whole file is always returned.
        champs.booleen(3)?;
        Ok(DemandeLogementParametres { num_unique: champs.texte(0) })
    }

    /// Reads the stored file back.
    pub async fn executer(self, ctx: &Contexte<'_>) -> Result<OutMessage, Fault> {
        let guichet = ctx.appelant.code.as_str();
        let inconnue = |num: Option<&str>, message: String| {
            ctx.bilan().anomalies.push("DEM-INC".into());
            let file = contract::ecrire_reponse_anomalies(
                guichet,
                num,
                &XsDateTime::from_offset_datetime(ctx.registry.horloge().maintenant()),
                &[anomalie("DEM-INC", &format!("{CHEMIN_DEMANDE}/numUnique"), message)],
            );
            Ok(reponse_fichier(
                "demandeLogementReponse",
                nom_fichier(guichet, &self.num_unique, ctx.registry.horloge().maintenant()),
                file,
            ))
        };
        let num = match NumUnique::parse(&self.num_unique) {
            Ok(n) => n,
            // A malformed number is not echoed: it could be anything, of any length.
            Err(e) => return inconnue(None, capitalise(&e.to_string())),
        };
        match ctx.registry.lire(ctx.appelant, &num, "getDemandeLogement").await {
            Ok(contenu) => Ok(reponse_fichier(
                "demandeLogementReponse",
                nom_fichier(guichet, num.as_str(), ctx.registry.horloge().maintenant()),
                contenu,
            )),
            Err(e @ RegistryError::Inconnue(_)) => inconnue(Some(num.as_str()), capitalise(&e.to_string())),
            Err(e) if e.is_caller_error() => Err(faute_appelant(capitalise(&e.to_string()))),
            Err(e) => Err(faute_interne(&e)),
        }
    }
}

/// The anomaly a broken business rule becomes, for the rules the file itself can fix.
fn anomalie_metier(e: &RegistryError) -> Option<Anomalie> {
    match e {
        RegistryError::DateFuture(d) => Some(anomalie(
            "DATE-FUT",
            &format!("{CHEMIN_DEMANDE}/dateCreationDemande"),
            format!("La date de création de la demande ({d}) est postérieure à la date du jour."),
        )),
        _ => None,
    }
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
    let demandeur = &p.demandeur;
    let mut out: Vec<Identite> = demandeur
        .date_naissance
        .valeur
        .to_date()
        .map(|d| Identite {
            nom: demandeur.nom.valeur.clone(),
            prenom: demandeur.prenom.valeur.clone(),
            date_naissance: d,
        })
        .into_iter()
        .collect();
    for c in p.liste_cotitulaire.iter().flat_map(|l| &l.cotitulaire) {
        if let Some(d) = c.date_naissance.valeur.to_date() {
            out.push(Identite { nom: c.nom.valeur.clone(), prenom: c.prenom.valeur.clone(), date_naissance: d });
        }
    }
    out
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
    OutMessage {
        ns: NS_METIER.to_string(),
        wrapper: wrapper.to_string(),
        children: vec![
            OutChild::Text { name: "nomFichierDemande".into(), value: nom },
            OutChild::Binary {
                name: "fichierDemande".into(),
                data: Bytes::from(file),
                content_type: TYPE_XML.into(),
                kind: BinaryKind::Xml,
            },
        ],
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
