//! Shared events of applications (GestionPartageeEVTImplService): the catalogue of types and the
//! life of an event.
//!
//! Published rules: national types come from the catalogue loaded at `init` and at every start;
//! territorial types are added by operators per territory. A counter of the territory creates an
//! event of a type valid on the day it happened (national, or of its own territory); only the
//! counter that created an event modifies or deletes it; an event of a regulatory type is never
//! deleted; consultant profiles list types and events but write none; scanning providers do
//! neither. Every list and every write goes to the access journal, on disk, before the answer;
//! events go with their application when it is erased.

use time::{Date, OffsetDateTime};

use super::depot::{
    CaracteristiqueType, Contenu, DepotError, Ecriture, Entete, Evenement, ModificationEvenement, Transaction,
    TypeEvenement,
};
use super::{Guichet, NumUnique, Profil, Registry};

/// Nature recorded for a change that does not declare its own.
pub const NATURE_MODIFICATION: &str = "MODIF";

/// A fresh event id: the event's rank on its application (sequence `evenements-<num>`) in the
/// high bits, so an application's events list in creation order, and 31 random bits, so an id
/// says nothing of how many events the registry holds nor lets one guess another's. It stays a
/// positive `t_positiveLong`.
fn nouvel_id(rang: u64) -> u64 {
    ((rang & 0xFFFF_FFFF) << 31) | u64::from(rand::random::<u32>() >> 1)
}

/// A business refusal, with its stable anomaly code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefusEvenement {
    /// The application is unknown or of another territory.
    #[error("aucune demande n° {0} n'est accessible à votre guichet")]
    DemandeInconnue(String),
    /// No such event on this application (or of another territory).
    #[error("aucun événement n° {id} n'existe sur la demande {num}")]
    Inconnu {
        /// The event.
        id: u64,
        /// The application named.
        num: String,
    },
    /// No type of that code.
    #[error(
        "le type d'événement {0} n'existe pas (listerTypesEvenementsNationaux, listerTypesEvenementsTerritoriaux)"
    )]
    TypeInconnu(String),
    /// A type of another territory.
    #[error("le type d'événement {code} appartient au territoire {territoire}, pas au vôtre")]
    TypeAutreTerritoire {
        /// The type.
        code: String,
        /// Its territory.
        territoire: String,
    },
    /// A type outside its validity dates on the day of the event.
    #[error("le type d'événement {code} n'est pas valide le {jour} (validité : {validite})")]
    TypeHorsValidite {
        /// The type.
        code: String,
        /// The day of the event.
        jour: Date,
        /// Its validity, in words.
        validite: String,
    },
    /// A characteristic the type does not have, or a required one missing.
    #[error("{0}")]
    Caracteristique(String),
    /// The event is another counter's.
    #[error("l'événement {id} a été créé par le guichet {auteur} : seul ce guichet le modifie ou le supprime")]
    Auteur {
        /// The event.
        id: u64,
        /// Its creator.
        auteur: String,
    },
    /// A regulatory event.
    #[error("l'événement {id} est réglementaire (type {code}) : il ne se supprime pas")]
    Reglementaire {
        /// The event.
        id: u64,
        /// Its type.
        code: String,
    },
    /// The day of the event is after today.
    #[error("la date de survenance {0} est postérieure au jour")]
    DateFuture(Date),
    /// A territory other than the caller's.
    #[error("le territoire {0} n'est pas celui de votre guichet")]
    Territoire(String),
}

impl RefusEvenement {
    /// The anomaly code.
    pub fn code(&self) -> &'static str {
        match self {
            RefusEvenement::DemandeInconnue(_) => "EVT-DEM",
            RefusEvenement::Inconnu { .. } => "EVT-INC",
            RefusEvenement::TypeInconnu(_) => "EVT-TYPE",
            RefusEvenement::TypeAutreTerritoire { .. } | RefusEvenement::Territoire(_) => "EVT-TERR",
            RefusEvenement::TypeHorsValidite { .. } => "EVT-VALID",
            RefusEvenement::Caracteristique(_) => "EVT-CARAC",
            RefusEvenement::Auteur { .. } => "EVT-AUTEUR",
            RefusEvenement::Reglementaire { .. } => "EVT-REGL",
            RefusEvenement::DateFuture(_) => "EVT-DATE",
        }
    }
}

/// Why an event operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum EvenementError {
    /// A business refusal.
    #[error(transparent)]
    Refus(#[from] RefusEvenement),
    /// The caller's profile does not do this.
    #[error("le profil {profil} du certificat {code} ne permet pas {operation}")]
    Profil {
        /// The profile's name.
        profil: &'static str,
        /// The certificate's code.
        code: String,
        /// What was attempted, in words.
        operation: &'static str,
    },
    /// Another writer changed the event meanwhile, again and again.
    #[error("l'événement {0} est modifié en même temps par un autre appel ; réessayez")]
    Concurrence(u64),
    /// Storage failed.
    #[error(transparent)]
    Depot(#[from] DepotError),
}

/// An event as a counter gives it.
#[derive(Debug, Clone, Default)]
pub struct SaisieEvenement {
    /// Its type.
    pub code_type: String,
    /// When it happened.
    pub date_survenance: Option<Date>,
    /// Free comment.
    pub commentaire: Option<String>,
    /// Values of its characteristics: (code, value).
    pub valeurs: Vec<(String, String)>,
}

/// An event with what its type says of it, as lists show it.
#[derive(Debug, Clone)]
pub struct EvenementLu {
    /// The event.
    pub evenement: Evenement,
    /// Its type, when still in the catalogue.
    pub type_evenement: Option<TypeEvenement>,
}

impl Registry {
    fn profil_refuse(appelant: &Guichet, operation: &'static str) -> EvenementError {
        EvenementError::Profil { profil: appelant.profil.nom(), code: appelant.code.as_str().to_string(), operation }
    }

    /// Reads: counters and consultants.
    fn peut_lire_evenements(appelant: &Guichet) -> Result<(), EvenementError> {
        match appelant.profil {
            Profil::Prestataire { .. } | Profil::Demandeur { .. } => {
                Err(Self::profil_refuse(appelant, "de consulter les événements"))
            }
            _ => Ok(()),
        }
    }

    /// Writes: registering counters only.
    fn peut_ecrire_evenements(appelant: &Guichet) -> Result<(), EvenementError> {
        match appelant.profil {
            Profil::Guichet => Ok(()),
            _ => Err(Self::profil_refuse(appelant, "de créer, modifier ou supprimer des événements")),
        }
    }

    /// Installs `types` (national ones: no territory) in the catalogue; returns how many changed.
    pub async fn installer_types(&self, types: Vec<TypeEvenement>) -> Result<usize, DepotError> {
        let existants = self.depot.types_evenements()?;
        let nouveaux: Vec<Ecriture> =
            types.into_iter().filter(|t| !existants.contains(t)).map(Ecriture::EcrireTypeEvenement).collect();
        let n = nouveaux.len();
        if n > 0 {
            self.depot.appliquer(Transaction { ecritures: nouveaux })?;
            self.depot.durable().await?;
        }
        Ok(n)
    }

    /// Every type of the catalogue (operators' tool).
    pub fn types_evenements(&self) -> Result<Vec<TypeEvenement>, DepotError> {
        self.depot.types_evenements()
    }

    /// `listerTypesEvenementsNationaux`.
    pub fn types_nationaux(&self, appelant: &Guichet) -> Result<Vec<TypeEvenement>, EvenementError> {
        Self::peut_lire_evenements(appelant)?;
        Ok(self.depot.types_evenements()?.into_iter().filter(|t| t.territoire.is_none()).collect())
    }

    /// `listerTypesEvenementsTerritoriaux` of the caller's own territory.
    pub fn types_territoriaux(
        &self,
        appelant: &Guichet,
        territoire: &str,
    ) -> Result<Vec<TypeEvenement>, EvenementError> {
        Self::peut_lire_evenements(appelant)?;
        if territoire != appelant.territoire.as_str() {
            return Err(RefusEvenement::Territoire(crate::text::extrait(territoire, 10)).into());
        }
        Ok(self.depot.types_evenements()?.into_iter().filter(|t| t.territoire.as_deref() == Some(territoire)).collect())
    }

    fn demande_des_evenements(&self, appelant: &Guichet, num: &NumUnique) -> Result<Entete, EvenementError> {
        match self.depot.entete(num.as_str())? {
            Some(e) if e.attributs.territoire == appelant.territoire.as_str() => Ok(e),
            _ => Err(RefusEvenement::DemandeInconnue(num.to_string()).into()),
        }
    }

    /// `listerEvenementsDemande`: the events of `num`, journaled before they are returned.
    pub async fn lister_evenements(
        &self,
        appelant: &Guichet,
        num: &NumUnique,
    ) -> Result<Vec<EvenementLu>, EvenementError> {
        Self::peut_lire_evenements(appelant)?;
        self.demande_des_evenements(appelant, num)?;
        let evenements = self.compute.run(|| self.depot.evenements(num.as_str())).await?;
        let types = self.depot.types_evenements()?;
        self.depot.journaliser(vec![self.entree(appelant, num.as_str(), "listerEvenementsDemande")]).await?;
        Ok(evenements
            .into_iter()
            .map(|e| {
                let type_evenement = un_type(&types, &e.code_type, appelant.territoire.as_str()).cloned();
                EvenementLu { evenement: e, type_evenement }
            })
            .collect())
    }

    /// The type `code` as the caller may use it on `jour`, and the characteristics checked.
    fn type_utilisable(
        &self,
        appelant: &Guichet,
        saisie: &SaisieEvenement,
        jour: Date,
    ) -> Result<TypeEvenement, EvenementError> {
        let types = self.depot.types_evenements()?;
        let territoire = appelant.territoire.as_str();
        let Some(t) = un_type(&types, &saisie.code_type, territoire) else {
            return Err(match types.iter().find(|t| t.code == saisie.code_type) {
                Some(autre) => RefusEvenement::TypeAutreTerritoire {
                    code: autre.code.clone(),
                    territoire: autre.territoire.clone().unwrap_or_default(),
                },
                None => RefusEvenement::TypeInconnu(crate::text::extrait(&saisie.code_type, 10)),
            }
            .into());
        };
        if !valide(t.debut_validite, t.fin_validite, jour) {
            return Err(RefusEvenement::TypeHorsValidite {
                code: t.code.clone(),
                jour,
                validite: validite(t.debut_validite, t.fin_validite),
            }
            .into());
        }
        for (code, _) in &saisie.valeurs {
            match t.caracteristiques.iter().find(|c| c.code == *code) {
                None => {
                    return Err(RefusEvenement::Caracteristique(format!(
                        "le type {} n'a pas de caractéristique {} (caractéristiques : {})",
                        t.code,
                        crate::text::extrait(code, 10),
                        noms(&t.caracteristiques)
                    ))
                    .into())
                }
                Some(c) if !valide(c.debut_validite, c.fin_validite, jour) => {
                    return Err(RefusEvenement::Caracteristique(format!(
                        "la caractéristique {} du type {} n'est pas valide le {jour} (validité : {})",
                        c.code,
                        t.code,
                        validite(c.debut_validite, c.fin_validite)
                    ))
                    .into())
                }
                Some(_) => {}
            }
        }
        for c in t.caracteristiques.iter().filter(|c| c.obligatoire && valide(c.debut_validite, c.fin_validite, jour)) {
            if !saisie.valeurs.iter().any(|(code, v)| *code == c.code && !v.trim().is_empty()) {
                return Err(RefusEvenement::Caracteristique(format!(
                    "la caractéristique obligatoire {} ({}) du type {} manque",
                    c.code, c.libelle, t.code
                ))
                .into());
            }
        }
        Ok(t.clone())
    }

    fn jour_de(&self, saisie: &SaisieEvenement) -> Result<Date, RefusEvenement> {
        let aujourdhui = self.horloge.aujourd_hui();
        match saisie.date_survenance {
            Some(d) if d > aujourdhui.next_day().unwrap_or(Date::MAX) => Err(RefusEvenement::DateFuture(d)),
            Some(d) => Ok(d),
            None => Ok(aujourdhui),
        }
    }

    /// `ajouterEvenementDemande`: a new event on `num`, durable before it is returned.
    pub async fn ajouter_evenement(
        &self,
        appelant: &Guichet,
        num: &NumUnique,
        saisie: SaisieEvenement,
    ) -> Result<EvenementLu, EvenementError> {
        Self::peut_ecrire_evenements(appelant)?;
        self.demande_des_evenements(appelant, num)?;
        let jour = self.jour_de(&saisie)?;
        let t = self.type_utilisable(appelant, &saisie, jour)?;
        let rang = self.depot.sequence_suivante(&format!("evenements-{}", num.as_str()))?;
        let mut evenement = Evenement {
            id: nouvel_id(rang),
            num: num.to_string(),
            version: 1,
            code_type: t.code.clone(),
            reglementaire: t.reglementaire,
            creation: (appelant.code.as_str().to_string(), self.horloge.maintenant()),
            modifications: Vec::new(),
            date_survenance: saisie.date_survenance,
            commentaire: saisie.commentaire.filter(|c| !c.trim().is_empty()).map(|c| Contenu(c.into_bytes())),
            valeurs: saisie.valeurs.into_iter().map(|(c, v)| (c, Contenu(v.into_bytes()))).collect(),
        };
        // Another application's event of the same rank may hold the id: draw again.
        for essai in 0.. {
            let transaction = Transaction {
                ecritures: vec![
                    Ecriture::EcrireEvenement { evenement: evenement.clone(), lue: None },
                    self.acces(appelant, num, &format!("ajouterEvenementDemande/{}", evenement.id)),
                ],
            };
            match self.compute.run(|| self.depot.appliquer(transaction)).await {
                Ok(()) => break,
                Err(DepotError::Existe(_)) if essai < 8 => evenement.id = nouvel_id(rang),
                Err(DepotError::Inconnue(_)) => {
                    return Err(RefusEvenement::DemandeInconnue(num.to_string()).into());
                }
                Err(e) => return Err(e.into()),
            }
        }
        self.depot.durable().await?;
        tracing::info!(id = evenement.id, code_type = evenement.code_type.as_str(), "événement ajouté");
        Ok(EvenementLu { evenement, type_evenement: Some(t) })
    }

    /// The event `id` of `num`, for a change by `appelant` (its author).
    fn evenement_a_changer(&self, appelant: &Guichet, num: &NumUnique, id: u64) -> Result<Evenement, EvenementError> {
        self.demande_des_evenements(appelant, num)?;
        let e = match self.depot.evenement(id)? {
            Some(e) if e.num == num.as_str() => e,
            _ => return Err(RefusEvenement::Inconnu { id, num: num.to_string() }.into()),
        };
        if e.creation.0 != appelant.code.as_str() {
            return Err(RefusEvenement::Auteur { id, auteur: e.creation.0 }.into());
        }
        Ok(e)
    }

    /// `modifierEvenementDemande`: the event's date, comment and values become `saisie`'s (its
    /// type stays), the change recorded with its nature.
    pub async fn modifier_evenement(
        &self,
        appelant: &Guichet,
        num: &NumUnique,
        id: u64,
        saisie: SaisieEvenement,
        nature: Option<String>,
    ) -> Result<EvenementLu, EvenementError> {
        Self::peut_ecrire_evenements(appelant)?;
        for _ in 0..3 {
            let actuel = self.evenement_a_changer(appelant, num, id)?;
            let saisie = SaisieEvenement { code_type: actuel.code_type.clone(), ..saisie.clone() };
            let jour = self.jour_de(&saisie)?;
            let t = self.type_utilisable(appelant, &saisie, jour)?;
            let mut evenement = actuel.clone();
            evenement.version += 1;
            evenement.date_survenance = saisie.date_survenance;
            evenement.commentaire =
                saisie.commentaire.filter(|c| !c.trim().is_empty()).map(|c| Contenu(c.into_bytes()));
            evenement.valeurs = saisie.valeurs.into_iter().map(|(c, v)| (c, Contenu(v.into_bytes()))).collect();
            evenement.modifications.push(ModificationEvenement {
                auteur: appelant.code.as_str().to_string(),
                horodatage: self.horloge.maintenant(),
                nature: nature.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| NATURE_MODIFICATION.into()),
            });
            let transaction = Transaction {
                ecritures: vec![
                    Ecriture::EcrireEvenement { evenement: evenement.clone(), lue: Some(actuel.version) },
                    self.acces(appelant, num, &format!("modifierEvenementDemande/{id}")),
                ],
            };
            match self.compute.run(|| self.depot.appliquer(transaction)).await {
                Ok(()) => {
                    self.depot.durable().await?;
                    return Ok(EvenementLu { evenement, type_evenement: Some(t) });
                }
                Err(DepotError::Conflit { .. }) => continue,
                Err(DepotError::Inconnue(_)) => return Err(RefusEvenement::Inconnu { id, num: num.to_string() }.into()),
                Err(e) => return Err(e.into()),
            }
        }
        Err(EvenementError::Concurrence(id))
    }

    /// `supprimerEvenementDemande`: removes an event that is not regulatory; the deletion stays
    /// in the access journal.
    pub async fn supprimer_evenement(
        &self,
        appelant: &Guichet,
        num: &NumUnique,
        id: u64,
    ) -> Result<Evenement, EvenementError> {
        Self::peut_ecrire_evenements(appelant)?;
        for _ in 0..3 {
            let actuel = self.evenement_a_changer(appelant, num, id)?;
            if actuel.reglementaire {
                return Err(RefusEvenement::Reglementaire { id, code: actuel.code_type }.into());
            }
            let transaction = Transaction {
                ecritures: vec![
                    Ecriture::RetirerEvenement { num: num.to_string(), id, lue: actuel.version },
                    self.acces(appelant, num, &format!("supprimerEvenementDemande/{id}")),
                ],
            };
            match self.depot.appliquer(transaction) {
                Ok(()) => {
                    self.depot.durable().await?;
                    return Ok(actuel);
                }
                Err(DepotError::Conflit { .. }) => continue,
                Err(DepotError::Inconnue(_)) => return Err(RefusEvenement::Inconnu { id, num: num.to_string() }.into()),
                Err(e) => return Err(e.into()),
            }
        }
        Err(EvenementError::Concurrence(id))
    }

    /// The events of `num` (operators' tool: no territory check, no journal).
    pub fn evenements(&self, num: &NumUnique) -> Result<Vec<Evenement>, DepotError> {
        self.depot.evenements(num.as_str())
    }
}

/// The type `code` usable in `territoire`: its own type of that code, else the national one.
fn un_type<'a>(types: &'a [TypeEvenement], code: &str, territoire: &str) -> Option<&'a TypeEvenement> {
    types
        .iter()
        .find(|t| t.code == code && t.territoire.as_deref() == Some(territoire))
        .or_else(|| types.iter().find(|t| t.code == code && t.territoire.is_none()))
}

fn valide(debut: Option<Date>, fin: Option<Date>, jour: Date) -> bool {
    super::recherche::Periode { debut, fin }.contient(jour)
}

fn validite(debut: Option<Date>, fin: Option<Date>) -> String {
    match (debut, fin) {
        (Some(d), Some(f)) => format!("du {d} au {f}"),
        (Some(d), None) => format!("à partir du {d}"),
        (None, Some(f)) => format!("jusqu'au {f}"),
        (None, None) => "toujours".into(),
    }
}

fn noms(c: &[CaracteristiqueType]) -> String {
    if c.is_empty() {
        return "aucune".into();
    }
    c.iter().map(|c| c.code.as_str()).collect::<Vec<_>>().join(", ")
}

/// When an event was last changed: its creation or its last modification.
pub fn derniere_modification(e: &Evenement) -> Option<(&str, OffsetDateTime, &str)> {
    e.modifications.last().map(|m| (m.auteur.as_str(), m.horodatage, m.nature.as_str()))
}
