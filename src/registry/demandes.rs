//! Registering and reading applications.

use time::Date;

use super::attestation::{self, Attestation};
use super::guichet::Guichet;
use super::numero::{CodeGuichet, NumUnique};
use std::sync::Arc;

use super::horloge::{Horloge, HorlogeSysteme};
use crate::compute::Compute;
use crate::store::{DemandeRecord, Store, StoreError};

/// A person as the duplicates index knows them. Only a keyed hash of it is ever stored.
#[derive(Debug, Clone)]
pub struct Identite {
    /// Last name.
    pub nom: String,
    /// First name.
    pub prenom: String,
    /// Birth date.
    pub date_naissance: Date,
}

impl Identite {
    /// Case- and space-insensitive key, so that "Dupont " and "DUPONT" index together.
    fn cle(&self) -> String {
        let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_uppercase();
        format!("{}|{}|{}", norm(&self.nom), norm(&self.prenom), self.date_naissance)
    }
}

/// A new application as the registry sees it.
#[derive(Debug, Clone)]
pub struct NouvelleDemande {
    /// The counter named in the file (`numGuichet`).
    pub num_guichet: CodeGuichet,
    /// First filing date (`dateCreationDemande`).
    pub date_depot: Date,
    /// Applicant as printed on the certificate ("Madame Jeanne DUPONT", or an association name).
    pub demandeur: String,
    /// Applicant and co-applicants, for the duplicates index.
    pub identites: Vec<Identite>,
    /// Desired communes.
    pub communes: Vec<String>,
    /// The counter's statement that the dossier is complete.
    pub complet: Option<bool>,
}

impl NouvelleDemande {
    /// Business rules this application breaks on `aujourd_hui` (a Paris day), all of them (an
    /// empty list means acceptable).
    pub fn regles_non_respectees(&self, aujourd_hui: Date) -> Vec<RegistryError> {
        let mut out = Vec::new();
        // One day of slack beyond Paris's date: overseas territories run ahead of it.
        let demain = aujourd_hui.next_day().unwrap_or(Date::MAX);
        if self.date_depot > demain {
            out.push(RegistryError::DateFuture(self.date_depot));
        }
        out
    }
}

/// A registration that is on disk.
#[derive(Debug, Clone)]
pub struct Enregistrement {
    /// The number assigned.
    pub num_unique: NumUnique,
    /// The file as stored (rendered with its number).
    pub contenu: Vec<u8>,
    /// The registration certificate (PDF).
    pub attestation: Vec<u8>,
}

/// Why the registry refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// The caller acts for a counter it is not.
    #[error("le guichet {appelant} n'est pas habilité à agir pour le guichet {demande}")]
    GuichetNonHabilite {
        /// The authenticated counter.
        appelant: String,
        /// The counter named in the request.
        demande: String,
    },
    /// Filing date after today.
    #[error("la date de création de la demande ({0}) est postérieure à la date du jour")]
    DateFuture(Date),
    /// No application of that number is visible to the caller.
    #[error("aucune demande n° {0} n'est accessible à votre guichet")]
    Inconnue(String),
    /// A territory used up its million numbers for the month.
    #[error("séquence de numérotation épuisée pour le territoire {territoire} ce mois-ci")]
    SequenceEpuisee {
        /// The territory.
        territoire: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl RegistryError {
    /// True when the caller sent something wrong (as opposed to a failure of ours).
    pub fn is_caller_error(&self) -> bool {
        !matches!(self, RegistryError::Store(_) | RegistryError::SequenceEpuisee { .. })
    }
}

/// The registry service.
#[derive(Clone)]
pub struct Registry {
    store: Store,
    compute: Compute,
    horloge: Arc<dyn Horloge>,
}

impl Registry {
    /// A registry over a store; sealing and rendering run on `compute`.
    pub fn new(store: Store, compute: Compute) -> Self {
        Registry::with_horloge(store, compute, Arc::new(HorlogeSysteme))
    }

    /// A registry that reads the time from `horloge` (tests set the day a rule runs on).
    pub fn with_horloge(store: Store, compute: Compute, horloge: Arc<dyn Horloge>) -> Self {
        Registry { store, compute, horloge }
    }

    /// The registry's clock.
    pub fn horloge(&self) -> &dyn Horloge {
        self.horloge.as_ref()
    }

    /// Registers a new application (CRE) for `appelant`: assigns its number, stores the file
    /// rendered by `rendre`, waits until it is durable, and renders the certificate.
    #[tracing::instrument(skip_all, fields(guichet = appelant.code.as_str(), num_unique = tracing::field::Empty))]
    pub async fn enregistrer(
        &self,
        appelant: &Guichet,
        demande: NouvelleDemande,
        rendre: impl FnOnce(&NumUnique) -> Vec<u8>,
    ) -> Result<Enregistrement, RegistryError> {
        if demande.num_guichet != appelant.code {
            return Err(RegistryError::GuichetNonHabilite {
                appelant: appelant.code.as_str().to_string(),
                demande: demande.num_guichet.as_str().to_string(),
            });
        }
        let aujourdhui = self.horloge.aujourd_hui();
        if let Some(e) = demande.regles_non_respectees(aujourdhui).into_iter().next() {
            return Err(e);
        }
        // One sequence per territory and month of filing, as the number itself says (§4).
        let scope = format!(
            "{}{:02}{:02}",
            appelant.territoire.as_str(),
            u8::from(demande.date_depot.month()),
            demande.date_depot.year().rem_euclid(100)
        );
        // Rendering the file and sealing it hold a core: off the async workers.
        let (num_unique, record) = self
            .compute
            .run(|| {
                let sequence = self.store.next_sequence(&scope)?;
                let num_unique = NumUnique::compose(&appelant.territoire, demande.date_depot, sequence, &appelant.code)
                    .ok_or_else(|| RegistryError::SequenceEpuisee {
                        territoire: appelant.territoire.as_str().to_string(),
                    })?;
                let record = DemandeRecord {
                    num_unique: num_unique.as_str().to_string(),
                    territoire: appelant.territoire.as_str().to_string(),
                    guichet: appelant.code.as_str().to_string(),
                    contenu: rendre(&num_unique),
                };
                let identites: Vec<String> = demande.identites.iter().map(Identite::cle).collect();
                self.store.insert_demande(&record, &identites)?;
                Ok::<_, RegistryError>((num_unique, record))
            })
            .await?;
        tracing::Span::current().record("num_unique", num_unique.as_str());
        // The answer carries the number: it must not leave before the write is on disk. A failed
        // flush is fatal to the process (the store refuses every later acknowledgment), so the
        // record is not undone here: after an fsync error nothing written can be trusted, and
        // start-up recovers from what is on disk.
        self.store.durable().await?;
        let fin_validite = demande
            .date_depot
            .replace_year(demande.date_depot.year() + 1)
            .unwrap_or_else(|_| demande.date_depot.saturating_add(time::Duration::days(365)));
        let attestation = self
            .compute
            .run(|| {
                attestation::render(&Attestation {
                    num_unique: num_unique.as_str(),
                    date_depot: demande.date_depot,
                    date_enregistrement: aujourdhui,
                    date_fin_validite: fin_validite,
                    demandeur: &demande.demandeur,
                    communes: &demande.communes,
                    guichet_code: appelant.code.as_str(),
                    guichet_nom: &appelant.nom,
                    territoire: appelant.territoire.as_str(),
                    dossier_complet: demande.complet,
                })
            })
            .await;
        tracing::info!(num_unique = num_unique.as_str(), "demande enregistrée");
        Ok(Enregistrement { num_unique, contenu: record.contenu, attestation })
    }

    /// What is wrong in the store: records that do not open with the master key, index entries
    /// without their record, and sequences behind a number already given (which would hand it
    /// out again). Empty when all is well.
    pub fn verifier(&self) -> Result<Vec<String>, RegistryError> {
        let mut problems = self.store.verify()?;
        for num in self.store.demande_numbers()? {
            let Ok(parsed) = NumUnique::parse(&num) else {
                problems.push(format!("demande/{num} : numéro mal formé"));
                continue;
            };
            // The sequence of a number is its territory and month (its first 7 characters).
            let (scope, rang) = (&parsed.as_str()[..7], &parsed.as_str()[7..13]);
            let rang: u64 = rang.parse().unwrap_or(u64::MAX);
            let sequence = self.store.sequence(scope)?;
            if sequence < rang {
                problems.push(format!(
                    "séquence {scope} à {sequence}, en retard sur la demande {num} : ce numéro serait attribué de nouveau"
                ));
            }
        }
        Ok(problems)
    }

    /// Reads the stored file of an application of the caller's territory. Applications of other
    /// territories answer exactly as unknown ones, so their existence does not leak.
    #[tracing::instrument(skip_all, fields(guichet = appelant.code.as_str(), num_unique = num.as_str()))]
    pub fn lire(&self, appelant: &Guichet, num: &NumUnique) -> Result<Vec<u8>, RegistryError> {
        match self.store.demande(num.as_str())? {
            Some(r) if r.territoire == appelant.territoire.as_str() => Ok(r.contenu),
            _ => Err(RegistryError::Inconnue(num.as_str().to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::registry::HorlogeFixe;
    use crate::registry::{CodeGuichet, Territoire};
    use crate::store::{FlushFails, MasterKey};

    #[tokio::test]
    async fn the_filing_date_may_be_tomorrow_in_paris_at_most() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), MasterKey::random()).unwrap();
        // 23:30 UTC on 1 December is 00:30 on 2 December in Paris: tomorrow is the 3rd.
        let horloge = Arc::new(HorlogeFixe::a(time::macros::datetime!(2026-12-01 23:30 UTC)));
        let registry = Registry::with_horloge(store, Compute::new(1), horloge);
        let guichet = Guichet {
            code: CodeGuichet::parse("G1104").unwrap(),
            territoire: Territoire::parse("111").unwrap(),
            nom: "Guichet".into(),
        };
        let demande = |d| NouvelleDemande {
            num_guichet: guichet.code.clone(),
            date_depot: d,
            demandeur: "Madame Test".into(),
            identites: Vec::new(),
            communes: Vec::new(),
            complet: None,
        };
        let ok =
            registry.enregistrer(&guichet, demande(time::macros::date!(2026 - 12 - 03)), |_| b"<x/>".to_vec()).await;
        assert!(ok.is_ok(), "{:?}", ok.err());
        let err = registry
            .enregistrer(&guichet, demande(time::macros::date!(2026 - 12 - 04)), |_| b"<x/>".to_vec())
            .await
            .unwrap_err();
        assert!(matches!(err, RegistryError::DateFuture(_)), "{err}");
    }

    #[tokio::test]
    async fn a_failed_flush_acknowledges_nothing_after_it() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Arc::new(FlushFails::open(dir.path()).unwrap());
        let store = Store::with_engine(engine.clone(), MasterKey::random(), dir.path()).unwrap();
        let registry = Registry::new(store.clone(), Compute::new(1));
        let guichet = Guichet {
            code: CodeGuichet::parse("G1104").unwrap(),
            territoire: Territoire::parse("111").unwrap(),
            nom: "Guichet".into(),
        };
        let demande = NouvelleDemande {
            num_guichet: guichet.code.clone(),
            date_depot: time::macros::date!(2026 - 11 - 02),
            demandeur: "Madame Test".into(),
            identites: Vec::new(),
            communes: vec!["31555".into()],
            complet: None,
        };
        registry.enregistrer(&guichet, demande.clone(), |_| b"<x/>".to_vec()).await.unwrap();
        engine.fail();
        let err = registry.enregistrer(&guichet, demande.clone(), |_| b"<x/>".to_vec()).await.unwrap_err();
        assert!(matches!(err, RegistryError::Store(_)), "{err}");
        assert!(!err.is_caller_error());
        // The engine would flush again, but after an fsync error nothing is acknowledged.
        engine.heal();
        let err = registry.enregistrer(&guichet, demande, |_| b"<x/>".to_vec()).await.unwrap_err();
        assert!(matches!(err, RegistryError::Store(_)), "{err}");
    }
}
