//! DALO: `getDeclarationNouveauDalo` (a DALO decision on an application) and the two lists,
//! `getDemandesRadieesDepuisLe` and `getNouveauxDaloDepuisLe` (`schemas/ListeNumUnique_v0100.xsd`).

use bytes::Bytes;

use super::{anomalie, anomalie_metier, capitalise, reponse, CHEMIN_DEMANDE};
use crate::contract::listes::{self, DemandeRetenue};
use crate::contract::{self, codes, types, Anomalie, Valeur, XsDate, XsDateTime, NS_FICHIER};
use crate::operations::parametres::{Champ, Champs};
use crate::operations::{faute_appelant, faute_interne, Contexte};
use crate::registry::{Changement, Demande, Extrait, NumUnique};
use crate::soap::{self, Fault, OutMessage};
use crate::xml::Element;

const CHEMIN_DALO: &str = "interfaceNuu/demande/informationDalo";

/// Parameters of `getDeclarationNouveauDalo`.
#[derive(Debug)]
pub struct DeclarationNouveauDaloParametres {
    nom_fichier: String,
    fichier: Bytes,
}

/// What a DALO declaration says.
struct Declaration {
    num: NumUnique,
    statut: String,
    decision: Option<time::Date>,
    /// The whole `informationDalo` block, typed, to put into the stored file.
    bloc: types::InformationDalo,
}

fn enfant<'a>(e: &'a Element, name: &str) -> Option<&'a Element> {
    e.elements().find(|c| c.is(Some(NS_FICHIER), name))
}

impl DeclarationNouveauDaloParametres {
    /// Reads `declarationNouveauDaloParametres`.
    pub fn lire(wrapper: &Element) -> Result<Self, Fault> {
        let champs = Champs::lire(
            wrapper,
            &[
                Champ { nom: "nomFichierDalo", requis: true },
                Champ { nom: "fichierDalo", requis: true },
                Champ { nom: "nomCertificat", requis: true },
                Champ { nom: "certificat", requis: true },
            ],
        )?;
        let fichier =
            soap::binary_content(champs.get(1).expect("required")).map_err(|e| faute_appelant(e.to_string()))?;
        if fichier.is_empty() {
            return Err(faute_appelant("Le fichier DALO (fichierDalo) est vide.".into()));
        }
        Ok(DeclarationNouveauDaloParametres { nom_fichier: champs.texte(0), fichier })
    }

    /// Reads the declaration out of a complete or partial file: `demande/informationDalo` and
    /// `demande/demandeLogement/numUnique` are what counts.
    fn declaration(root: &Element) -> Result<Declaration, Vec<Anomalie>> {
        let mut anomalies = Vec::new();
        let demande = enfant(root, "demande");
        let dl = demande.and_then(|d| enfant(d, "demandeLogement"));
        let num = match dl.and_then(|d| enfant(d, "numUnique")).map(|n| n.text().trim().to_string()) {
            None => {
                anomalies.push(anomalie(
                    "DEM-NUM",
                    &format!("{CHEMIN_DEMANDE}/numUnique"),
                    "Une déclaration DALO porte le numUnique de la demande qu'elle concerne.".into(),
                ));
                None
            }
            Some(n) => match NumUnique::parse(&n) {
                Ok(n) => Some(n),
                Err(e) => {
                    anomalies.push(anomalie(
                        "DEM-INC",
                        &format!("{CHEMIN_DEMANDE}/numUnique"),
                        capitalise(&e.to_string()),
                    ));
                    None
                }
            },
        };
        let Some(info) = demande.and_then(|d| enfant(d, "informationDalo")) else {
            anomalies.push(anomalie(
                "DALO-ABS",
                CHEMIN_DALO,
                "Une déclaration DALO porte demande/informationDalo, avec au moins statutDalo.".into(),
            ));
            return Err(anomalies);
        };
        for name in ["statutDalo", "typologieLogementDalo"] {
            if let Some(a) = enfant(info, name).and_then(|e| codes::check(&format!("{CHEMIN_DALO}/{name}"), e)) {
                anomalies.push(a);
            }
        }
        let statut = enfant(info, "statutDalo").and_then(|e| e.attribute("code")).map(str::to_string);
        if statut.is_none() {
            anomalies.push(anomalie(
                "DALO-ABS",
                &format!("{CHEMIN_DALO}/statutDalo"),
                "La déclaration DALO donne statutDalo (NON, ACTIF, CADUC ou ACTREL).".into(),
            ));
        }
        let decision = match enfant(info, "dateDecisionDalo").map(|e| e.text().trim().to_string()) {
            None => None,
            Some(d) => match XsDate::parse(&d) {
                Some(x) => Some(x),
                None => {
                    anomalies.push(anomalie(
                        "XSD-FORMAT",
                        &format!("{CHEMIN_DALO}/dateDecisionDalo"),
                        format!("dateDecisionDalo {} n'est pas une date AAAA-MM-JJ.", crate::text::extrait(&d, 30)),
                    ));
                    None
                }
            },
        };
        let booleen = |name: &str, anomalies: &mut Vec<Anomalie>| match enfant(info, name)
            .map(|e| e.text().trim().to_string())
            .as_deref()
        {
            None => None,
            Some("true" | "1") => Some(Valeur::new(true)),
            Some("false" | "0") => Some(Valeur::new(false)),
            Some(v) => {
                anomalies.push(anomalie(
                    "XSD-FORMAT",
                    &format!("{CHEMIN_DALO}/{name}"),
                    format!("{name} vaut {} : true ou false attendu.", crate::text::extrait(v, 20)),
                ));
                None
            }
        };
        let diagnostic = booleen("diagnosticSocialDalo", &mut anomalies);
        let accompagnement = booleen("accompagnementSocialDalo", &mut anomalies);
        match (num, statut, anomalies.is_empty()) {
            (Some(num), Some(statut), true) => Ok(Declaration {
                num,
                decision: decision.as_ref().and_then(XsDate::to_date),
                bloc: types::InformationDalo {
                    modifie: None,
                    statut_dalo: Some(types::CodeElement { code: Some(statut.clone()), modifie: None }),
                    date_decision_dalo: decision.map(Valeur::new),
                    diagnostic_social_dalo: diagnostic,
                    accompagnement_social_dalo: accompagnement,
                    typologie_logement_dalo: enfant(info, "typologieLogementDalo")
                        .and_then(|e| e.attribute("code"))
                        .map(|c| types::CodeElement { code: Some(c.to_string()), modifie: None }),
                },
                statut,
            }),
            _ => Err(anomalies),
        }
    }

    /// Declares the DALO decision: the stored file gets the new `informationDalo`, as a new
    /// version; the answer is the application file as stored.
    pub async fn executer(self, ctx: &Contexte<'_>) -> Result<OutMessage, Fault> {
        let root = super::arbre_partiel(ctx, &self.fichier, "Le fichier DALO").await?;
        let numero_guichet = enfant(&root, "demande")
            .and_then(|d| enfant(d, "demandeLogement"))
            .and_then(|d| enfant(d, "numGuichet"))
            .map(|g| g.text().trim().to_string());
        if let Some(g) = numero_guichet.filter(|g| g != ctx.appelant.code.as_str()) {
            return Err(faute_appelant(format!(
                "Le guichet {} n'est pas habilité à agir pour le guichet {}.",
                ctx.appelant.code.as_str(),
                crate::operations::extrait(&g)
            )));
        }
        let declaration = match Self::declaration(&root) {
            Ok(d) => d,
            Err(anomalies) => return self.rejet(ctx, &anomalies),
        };
        let maintenant = XsDateTime::from_offset_datetime(ctx.registry.horloge().maintenant());
        let bloc = declaration.bloc.clone();
        let resultat = ctx
            .registry
            .changer(
                ctx.appelant,
                &declaration.num,
                Changement::DeclarerDalo { statut: declaration.statut.clone(), decision: declaration.decision },
                Extrait::default(),
                |version, _, courant| {
                    // The stored file with the new block: a partial declaration changes nothing else.
                    let Ok(mut f) = contract::lire_demande_enregistree(courant) else {
                        return courant.to_vec();
                    };
                    f.interface.demande.information_dalo = Some(bloc.clone());
                    f.set_increment_fichier(Some(version.to_string()));
                    f.interface.entete.date_fichier = maintenant.clone();
                    contract::ecrire_demande(&f)
                },
            )
            .await;
        match resultat {
            Ok(m) => Ok(reponse(
                "declarationNouveauDaloReponse",
                "nomFichierDalo",
                self.nom_fichier,
                "fichierDalo",
                m.contenu,
            )),
            Err(e) => match anomalie_metier(&e) {
                Some(a) => self.rejet(ctx, &[a]),
                None if e.is_caller_error() => Err(faute_appelant(capitalise(&e.to_string()))),
                None => Err(faute_interne(&e)),
            },
        }
    }

    fn rejet(&self, ctx: &Contexte<'_>, anomalies: &[Anomalie]) -> Result<OutMessage, Fault> {
        ctx.anomalies(anomalies);
        let file = contract::ecrire_rejet(&self.fichier, anomalies).unwrap_or_else(|| {
            contract::ecrire_reponse_anomalies(
                ctx.appelant.code.as_str(),
                None,
                &XsDateTime::from_offset_datetime(ctx.registry.horloge().maintenant()),
                anomalies,
            )
        });
        Ok(reponse("declarationNouveauDaloReponse", "nomFichierDalo", self.nom_fichier.clone(), "fichierDalo", file))
    }
}

/// The `dateTime` parameter of a list, as a day.
fn jour_depuis(e: &Element) -> Result<time::Date, Fault> {
    XsDateTime::parse(&e.text()).and_then(|d| d.to_date()).ok_or_else(|| {
        faute_appelant(format!(
            "{} vaut {} : un xs:dateTime est attendu (2026-11-02T00:00:00).",
            e.name,
            crate::operations::extrait(e.text().trim())
        ))
    })
}

fn retenue(d: &Demande) -> DemandeRetenue {
    let a = d.attributs();
    DemandeRetenue {
        num_unique: d.num().to_string(),
        date_radiation: a.radiation.as_ref().map(|r| r.date),
        motif_radiation: a.radiation.as_ref().map(|r| r.motif.clone()),
        type_reservataire: a.radiation.as_ref().and_then(|r| r.type_reservataire.clone()),
        statut_dalo: a.statut_dalo.clone(),
        date_decision_dalo: a.decision_dalo,
    }
}

/// `<prefixe><guichet>-<yyyyMMddHHmm>.xml`, the name of a file the gateway makes for the caller.
pub(super) fn nom_liste(prefixe: &str, ctx: &Contexte<'_>) -> String {
    let now = ctx.registry.horloge().maintenant();
    format!(
        "{prefixe}{}-{:04}{:02}{:02}{:02}{:02}.xml",
        ctx.appelant.code.as_str(),
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute()
    )
}

/// Parameters of `getDemandesRadieesDepuisLe`.
#[derive(Debug)]
pub struct DemandesRadieesDepuisLeParametres {
    depuis: time::Date,
    /// (parameter, code) filters.
    filtres: Vec<(&'static str, String)>,
    anomalies: Vec<Anomalie>,
}

impl DemandesRadieesDepuisLeParametres {
    /// Reads `demandesRadieesDepuisLeParametres`; a filter code outside its list becomes an
    /// anomaly of the result file.
    pub fn lire(wrapper: &Element) -> Result<Self, Fault> {
        let champs = Champs::lire(
            wrapper,
            &[
                Champ { nom: "dateRadiationDepuisLe", requis: true },
                Champ { nom: "motifRadiation", requis: false },
                Champ { nom: "statutDalo", requis: false },
                Champ { nom: "typeReservataire", requis: false },
                Champ { nom: "nomCertificat", requis: true },
                Champ { nom: "certificat", requis: true },
            ],
        )?;
        let depuis = jour_depuis(champs.get(0).expect("required"))?;
        let mut filtres = Vec::new();
        let mut anomalies = Vec::new();
        for (i, name) in [(1, "motifRadiation"), (2, "statutDalo"), (3, "typeReservataire")] {
            let Some(e) = champs.get(i) else { continue };
            let code = e.attribute("code").unwrap_or("").trim().to_string();
            if let Some(a) = codes::check(&format!("demandesRadieesDepuisLeParametres/{name}"), e) {
                anomalies.push(a);
            } else if !code.is_empty() {
                filtres.push((name, code));
            }
        }
        Ok(DemandesRadieesDepuisLeParametres { depuis, filtres, anomalies })
    }

    /// The applications of the territory radiated (recorded) since the day, filtered.
    pub fn executer(self, ctx: &Contexte<'_>) -> Result<OutMessage, Fault> {
        let date = XsDateTime::from_offset_datetime(ctx.registry.horloge().maintenant());
        let guichet = ctx.appelant.code.as_str();
        let fichier = if self.anomalies.is_empty() {
            let demandes = ctx.registry.depuis(ctx.appelant, "radiee", self.depuis).map_err(|e| faute_interne(&e))?;
            let retenues: Vec<DemandeRetenue> = demandes
                .iter()
                .map(retenue)
                .filter(|r| {
                    self.filtres.iter().all(|(name, code)| {
                        let valeur = match *name {
                            "motifRadiation" => &r.motif_radiation,
                            "statutDalo" => &r.statut_dalo,
                            _ => &r.type_reservataire,
                        };
                        valeur.as_deref() == Some(code.as_str())
                    })
                })
                .collect();
            listes::ecrire_liste(listes::LISTE_RADIEES, guichet, &date, Ok(&retenues))
        } else {
            ctx.anomalies(&self.anomalies);
            listes::ecrire_liste(listes::LISTE_RADIEES, guichet, &date, Err(&self.anomalies))
        };
        Ok(reponse(
            "demandesRadieesDepuisLeReponse",
            "nomFichierDemandesRadiees",
            nom_liste("LRA", ctx),
            "fichierDemandesRadiees",
            fichier,
        ))
    }
}

/// Parameters of `getNouveauxDaloDepuisLe`.
#[derive(Debug)]
pub struct NouveauxDaloDepuisLeParametres {
    depuis: time::Date,
}

impl NouveauxDaloDepuisLeParametres {
    /// Reads `nouveauxDaloDepuisLeParametres`.
    pub fn lire(wrapper: &Element) -> Result<Self, Fault> {
        let champs = Champs::lire(
            wrapper,
            &[
                Champ { nom: "dateNouveauDaloDepuisLe", requis: true },
                Champ { nom: "nomCertificat", requis: true },
                Champ { nom: "certificat", requis: true },
            ],
        )?;
        Ok(NouveauxDaloDepuisLeParametres { depuis: jour_depuis(champs.get(0).expect("required"))? })
    }

    /// The applications of the territory whose DALO decision was declared since the day.
    pub fn executer(self, ctx: &Contexte<'_>) -> Result<OutMessage, Fault> {
        let date = XsDateTime::from_offset_datetime(ctx.registry.horloge().maintenant());
        let demandes = ctx.registry.depuis(ctx.appelant, "dalo", self.depuis).map_err(|e| faute_interne(&e))?;
        let retenues: Vec<DemandeRetenue> = demandes.iter().map(retenue).collect();
        let fichier = listes::ecrire_liste(listes::LISTE_DALO, ctx.appelant.code.as_str(), &date, Ok(&retenues));
        Ok(reponse(
            "nouveauxDaloDepuisLeReponse",
            "nomFichierNouveauxDalo",
            nom_liste("LDA", ctx),
            "fichierNouveauxDalo",
            fichier,
        ))
    }
}
