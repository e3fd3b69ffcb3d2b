//! The registry service: registering, reading and changing applications on a [`Depot`].

use std::sync::Arc;

use time::Date;

use super::attestation::{self, Attestation};
use super::controles::{self, Dossier, Violation};
use super::demande::{Creation, Demande, Refus};
use super::depot::{
    Acces, Attributs, CleIndex, Contenu, Depot, DepotError, Ecriture, Effacement, Transaction, VersionInfo,
};
use super::echeances::jour_index;
use super::geographie::Territoires;
use super::guichet::Guichet;
use super::horloge::{Horloge, HorlogeSysteme};
use super::identite::Identite;
use super::numero::{CodeGuichet, NumUnique};
use super::recherche::{self, FaitsRecherche};
use crate::compute::Compute;

/// A new application as the registry sees it (`CRE`, or `CRS` with `num_associe`).
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
    /// `numUniqueAssocie` of a `CRS`: the application whose seniority this one keeps.
    pub num_associe: Option<NumUnique>,
    /// The counter's own reference (`refInterne`): a second CRE with it is a retry.
    pub ref_interne: Option<String>,
    /// A DALO status (and decision date) the file declares from the start.
    pub dalo: Option<(String, Option<Date>)>,
    /// What the search index holds of its file.
    pub faits: FaitsRecherche,
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
        // Counters have one month to register; seniority is never backdated beyond it.
        let minimum = super::demande::moins_mois(aujourd_hui, 1);
        if self.date_depot < minimum {
            out.push(RegistryError::DateDepotAncienne { date: self.date_depot, minimum });
        }
        out
    }
}

/// What the registry reads of a file besides its type: who and where.
#[derive(Debug, Clone, Default)]
pub struct Extrait {
    /// Applicant as printed on the certificate.
    pub demandeur: String,
    /// Applicant and co-applicants, for the duplicates index.
    pub identites: Vec<Identite>,
    /// Desired communes.
    pub communes: Vec<String>,
    /// What the search index holds of the file.
    pub faits: FaitsRecherche,
}

/// A change of an existing application, as the operation layer decodes it from a file.
#[derive(Debug, Clone)]
pub enum Changement {
    /// `MOD`: the file becomes the new state.
    Modifier,
    /// `REN` on `date` (`renouvellement/dateRenouvellement`).
    Renouveler(Date),
    /// `RAD` with a motive.
    Radier(super::demande::DemandeRadiation),
    /// `RAD` with an empty motive.
    AnnulerRadiation,
    /// `getDeclarationNouveauDalo`: a DALO status and its decision date.
    DeclarerDalo {
        /// `statutDalo` code.
        statut: String,
        /// `dateDecisionDalo`.
        decision: Option<Date>,
    },
}

impl Changement {
    fn type_fichier(&self) -> &'static str {
        match self {
            Changement::Modifier => "MOD",
            Changement::Renouveler(_) => "REN",
            Changement::Radier(_) | Changement::AnnulerRadiation => "RAD",
            Changement::DeclarerDalo { .. } => "DALO",
        }
    }
}

/// A registration that is on disk.
#[derive(Debug, Clone)]
pub struct Enregistrement {
    /// True when this answers a retry: the application was registered by an earlier call with
    /// the same `refInterne`.
    pub reprise: bool,
    /// The number assigned.
    pub num_unique: NumUnique,
    /// The file as stored (rendered with its number).
    pub contenu: Vec<u8>,
    /// The registration certificate (PDF).
    pub attestation: Vec<u8>,
}

/// An application read.
#[derive(Debug, Clone)]
pub struct Lecture {
    /// The version read.
    pub version: u32,
    /// The file of that version.
    pub contenu: Vec<u8>,
    /// The current attributes.
    pub attributs: Attributs,
}

/// A change that is on disk.
#[derive(Debug, Clone)]
pub struct Modification {
    /// The version written.
    pub version: u32,
    /// The file as stored.
    pub contenu: Vec<u8>,
    /// The attributes after the change.
    pub attributs: Attributs,
    /// A new certificate, for a renewal.
    pub attestation: Option<Vec<u8>>,
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
    /// Filing date more than one month before registration.
    #[error("la date de création de la demande ({date}) est antérieure de plus d'un mois au jour de l'enregistrement : le {minimum} au plus tôt")]
    DateDepotAncienne {
        /// The date given.
        date: Date,
        /// The earliest acceptable.
        minimum: Date,
    },
    /// No application of that number is visible to the caller.
    #[error("aucune demande n° {0} n'est accessible à votre guichet")]
    Inconnue(String),
    /// The application named by `numUniqueAssocie` is not visible to the caller.
    #[error("la demande associée n° {0} (numUniqueAssocie) n'est pas accessible à votre guichet")]
    AssocieeInconnue(String),
    /// The transition makes no sense for this application.
    #[error(transparent)]
    Refus(#[from] Refus),
    /// A territory used up its million numbers for the month.
    #[error("séquence de numérotation épuisée pour le territoire {territoire} ce mois-ci")]
    SequenceEpuisee {
        /// The territory.
        territoire: String,
    },
    /// Someone else kept changing the application while we tried.
    #[error("la demande {0} est modifiée en même temps par un autre appel ; réessayez")]
    Concurrence(String),
    /// Storage failed.
    #[error(transparent)]
    Depot(#[from] DepotError),
}

impl RegistryError {
    /// True when the caller sent something wrong (as opposed to a failure of ours).
    pub fn is_caller_error(&self) -> bool {
        !matches!(self, RegistryError::Depot(_) | RegistryError::SequenceEpuisee { .. })
    }
}

/// Most numbers a multi-criteria search answers unless configured (`recherche.max_resultats`).
pub const DEFAULT_MAX_RESULTATS: usize = 1000;

/// Most duplicates one search answers.
pub const MAX_DOUBLONS: usize = 100;

/// How many times a change is decided again when another writer got in between.
const TENTATIVES: usize = 3;

/// The registry service.
#[derive(Clone)]
pub struct Registry {
    pub(super) depot: Arc<dyn Depot>,
    pub(super) compute: Compute,
    pub(super) horloge: Arc<dyn Horloge>,
    territoires: Arc<Territoires>,
    /// The document rules of the territories and the limits on pieces.
    pub(super) pieces: Arc<super::pieces::ReglesPieces>,
    /// Most numbers a search returns.
    pub(super) max_resultats: usize,
    /// The applicants' portal address printed on certificates.
    portail: Option<Arc<str>>,
    /// Reads the person codes of a stored file (`DEM`, `COT1`, `PAC1`...), for the rule that a
    /// piece concerns a person of the application; the operations layer knows the file.
    pub(super) foyer: Option<LecteurFoyer>,
    /// Changes of one application queue here instead of failing each other: a burst of files
    /// for one number (a counter's batch sent again) is applied in turn, not refused
    /// "modifiée en même temps". Striped by number; the store's conditional write stays the
    /// guard between processes (replicas).
    changements: Arc<[tokio::sync::Mutex<()>]>,
}

/// Stripes of [`Registry`]'s per-application queue.
const FILES_DE_CHANGEMENT: usize = 64;

/// What reads the person codes of a stored file (see [`Registry::avec_foyer`]).
pub type LecteurFoyer = fn(&[u8]) -> Option<Vec<String>>;

impl Registry {
    /// A registry over storage; sealing and rendering run on `compute`.
    pub fn new(depot: Arc<dyn Depot>, compute: Compute) -> Self {
        Registry::with_horloge(depot, compute, Arc::new(HorlogeSysteme))
    }

    /// A registry that reads the time from `horloge` (tests set the day a rule runs on).
    pub fn with_horloge(depot: Arc<dyn Depot>, compute: Compute, horloge: Arc<dyn Horloge>) -> Self {
        Registry {
            depot,
            compute,
            horloge,
            territoires: Arc::new(Territoires::default()),
            pieces: Arc::new(super::pieces::ReglesPieces::default()),
            max_resultats: DEFAULT_MAX_RESULTATS,
            portail: None,
            foyer: None,
            changements: (0..FILES_DE_CHANGEMENT).map(|_| tokio::sync::Mutex::new(())).collect(),
        }
    }

    /// The queue of changes of `num` (see `changements`).
    pub(super) async fn file_de(&self, num: &NumUnique) -> tokio::sync::MutexGuard<'_, ()> {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        num.as_str().hash(&mut h);
        self.changements[h.finish() as usize % self.changements.len()].lock().await
    }

    /// The same registry, refusing pieces about a person the application does not have, read
    /// from the stored file with `lecteur`.
    pub fn avec_foyer(self, lecteur: LecteurFoyer) -> Self {
        Registry { foyer: Some(lecteur), ..self }
    }

    /// The same registry, printing `portail` (the applicants' portal address) on certificates.
    pub fn avec_portail(self, portail: Option<String>) -> Self {
        Registry { portail: portail.map(Arc::from), ..self }
    }

    /// The same registry, answering at most `max` numbers per search.
    pub fn avec_max_resultats(self, max: usize) -> Self {
        Registry { max_resultats: max.max(1), ..self }
    }

    /// The same registry, with the perimeters of the configured territories.
    pub fn avec_territoires(self, territoires: Territoires) -> Self {
        Registry { territoires: Arc::new(territoires), ..self }
    }

    /// The same registry with the territories' document rules and the limits on pieces.
    pub fn avec_pieces(self, regles: super::pieces::ReglesPieces) -> Self {
        Registry { pieces: Arc::new(regles), ..self }
    }

    /// The business controls of a file for `appelant`, ages and income years counted on
    /// `reference` (see [`controles`](super::controles)).
    pub fn controler(&self, appelant: &Guichet, dossier: &Dossier, reference: Date) -> Vec<Violation> {
        let perimetre = self.territoires.perimetre(appelant.territoire.as_str());
        controles::controler(dossier, reference, self.horloge.aujourd_hui(), perimetre)
    }

    /// The registry's clock.
    pub fn horloge(&self) -> &dyn Horloge {
        self.horloge.as_ref()
    }

    /// The storage underneath (for the time rules and tests).
    pub fn depot(&self) -> &dyn Depot {
        self.depot.as_ref()
    }

    /// The index entries of an application in state `attributs` whose file names `identites`
    /// and says `faits`.
    pub(super) fn index_du_fichier(
        &self,
        attributs: &Attributs,
        identites: &[Identite],
        faits: &recherche::FaitsRecherche,
    ) -> Vec<CleIndex> {
        let mut index = self.index_de(attributs);
        index.extend(recherche::entrees(self.depot.as_ref(), attributs, identites, faits));
        index
    }

    /// The index entries of an application in state `attributs`, beyond its search entries.
    fn index_de(&self, attributs: &Attributs) -> Vec<CleIndex> {
        let mut out = Vec::new();
        if let Some(cle) = &attributs.cle_ref_interne {
            out.push(CleIndex::unique("refinterne", cle.clone()));
        }
        if let Some(quand) = attributs.date_dalo {
            let jour = super::horloge::jour_a_paris(quand);
            out.push(CleIndex::new("dalo", format!("{}/{}", attributs.territoire, jour_index(jour))));
        }
        match &attributs.radiation {
            None => out.push(CleIndex::new("expiration", jour_index(attributs.date_expiration))),
            Some(r) => {
                out.push(CleIndex::new("radiation", jour_index(r.enregistree_le)));
                // By the day it was recorded: a client polling "radiated since my last call"
                // misses none, even one dated earlier than it was recorded.
                out.push(CleIndex::new("radiee", format!("{}/{}", attributs.territoire, jour_index(r.enregistree_le))));
            }
        }
        out
    }

    /// Registers a new application (CRE, CRS) for `appelant`: assigns its number, stores the file
    /// rendered by `rendre` (given the number and the seniority date), records the answer in the
    /// access journal, waits until it is durable, and renders the certificate.
    #[tracing::instrument(skip_all, fields(guichet = appelant.code.as_str(), num_unique = tracing::field::Empty))]
    pub async fn enregistrer(
        &self,
        appelant: &Guichet,
        demande: NouvelleDemande,
        rendre: impl FnOnce(&NumUnique, Date) -> Vec<u8>,
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
        // A CRS keeps the seniority of the application it comes from.
        let date_depot = match &demande.num_associe {
            None => demande.date_depot,
            Some(num) => match self.depot.entete(num.as_str())? {
                Some(e) if e.attributs.territoire == appelant.territoire.as_str() => e.attributs.date_depot,
                _ => return Err(RegistryError::AssocieeInconnue(num.to_string())),
            },
        };
        // One sequence per territory and month of filing, as the number itself says (§4).
        let scope = format!(
            "{}{:02}{:02}",
            appelant.territoire.as_str(),
            u8::from(demande.date_depot.month()),
            demande.date_depot.year().rem_euclid(100)
        );
        let cle_ref_interne = demande
            .ref_interne
            .as_deref()
            .map(|r| self.depot.empreinte(&format!("{}|{}", appelant.code.as_str(), r.trim())));
        if let Some(cle) = &cle_ref_interne {
            if let Some(num) = self.par_ref_interne(cle)? {
                return self.reprise(appelant, &num, &demande).await;
            }
        }
        let maintenant = self.horloge.maintenant();
        let type_fichier = if demande.num_associe.is_some() { "CRS" } else { "CRE" };
        // Rendering the file and sealing it hold a core: off the async workers.
        let ecrit = self
            .compute
            .run(|| {
                let sequence = self.depot.sequence_suivante(&scope)?;
                let num_unique = NumUnique::compose(&appelant.territoire, demande.date_depot, sequence, &appelant.code)
                    .ok_or_else(|| RegistryError::SequenceEpuisee {
                        territoire: appelant.territoire.as_str().to_string(),
                    })?;
                let attributs = Demande::nouvelle(Creation {
                    territoire: appelant.territoire.as_str(),
                    guichet: appelant.code.as_str(),
                    date_depot,
                    aujourd_hui: aujourdhui,
                    communes: demande.communes.clone(),
                    num_associe: demande.num_associe.as_ref().map(ToString::to_string),
                    date_fichier: demande.date_depot,
                    cle_ref_interne: cle_ref_interne.clone(),
                    dalo: demande.dalo.clone().map(|(statut, decision)| (statut, decision, maintenant)),
                });
                let contenu = rendre(&num_unique, date_depot);
                let index = self.index_du_fichier(&attributs, &demande.identites, &demande.faits);
                let (code, ecriture_code) = self.code_acces_nouveau(&num_unique);
                let ecrit = self.depot.appliquer(Transaction {
                    ecritures: vec![
                        Ecriture::Creer {
                            num: num_unique.to_string(),
                            attributs: attributs.clone(),
                            info: VersionInfo {
                                version: 1,
                                type_fichier: type_fichier.into(),
                                auteur: appelant.code.as_str().into(),
                                horodatage: maintenant,
                            },
                            contenu: Contenu(contenu.clone()),
                            index,
                        },
                        ecriture_code,
                        self.acces(appelant, &num_unique, &format!("getNumUnique/{type_fichier}")),
                    ],
                });
                match ecrit {
                    Ok(()) => Ok(Ok((num_unique, contenu, attributs, code))),
                    // A concurrent call with the same refInterne registered first: this is its retry.
                    Err(DepotError::Unique { num, .. }) => Ok(Err(num)),
                    Err(e) => Err(RegistryError::from(e)),
                }
            })
            .await?;
        let (num_unique, contenu, attributs, code) = match ecrit {
            Ok(t) => t,
            Err(autre) => {
                let autre = NumUnique::parse(&autre).map_err(|_| RegistryError::Inconnue(autre.clone()))?;
                return self.reprise(appelant, &autre, &demande).await;
            }
        };
        tracing::Span::current().record("num_unique", num_unique.as_str());
        // The answer carries the number: it must not leave before the write is on disk. A failed
        // flush is fatal to the process (the store refuses every later acknowledgment), so the
        // record is not undone here: after an fsync error nothing written can be trusted, and
        // start-up recovers from what is on disk.
        self.depot.durable().await?;
        let attestation =
            self.attestation(appelant, &num_unique, &attributs, &demande.demandeur, demande.complet, Some(&code)).await;
        tracing::info!(num_unique = num_unique.as_str(), "demande enregistrée");
        Ok(Enregistrement { reprise: false, num_unique, contenu, attestation })
    }

    /// The bulk path (`demo seed`, imports): registers `lot` for `appelant` in one transaction
    /// and one flush, without the duplicate check, the journal or certificates. `rendre` renders
    /// the file of the `i`-th application once its number and seniority are known; `radier`
    /// may radiate it from the start (motive, date).
    pub async fn enregistrer_lot(
        &self,
        appelant: &Guichet,
        lot: &[NouvelleDemande],
        rendre: impl Fn(usize, &NumUnique) -> Vec<u8> + Sync,
        radier: impl Fn(usize) -> Option<(super::demande::MotifRadiation, Date)> + Sync,
    ) -> Result<Vec<NumUnique>, RegistryError> {
        let aujourdhui = self.horloge.aujourd_hui();
        let maintenant = self.horloge.maintenant();
        let (nums, transaction) = self
            .compute
            .run(|| {
                let mut nums = Vec::with_capacity(lot.len());
                let mut transaction = Transaction::default();
                for (i, demande) in lot.iter().enumerate() {
                    let scope = format!(
                        "{}{:02}{:02}",
                        appelant.territoire.as_str(),
                        u8::from(demande.date_depot.month()),
                        demande.date_depot.year().rem_euclid(100)
                    );
                    let sequence = self.depot.sequence_suivante(&scope)?;
                    let num = NumUnique::compose(&appelant.territoire, demande.date_depot, sequence, &appelant.code)
                        .ok_or_else(|| RegistryError::SequenceEpuisee {
                            territoire: appelant.territoire.as_str().to_string(),
                        })?;
                    let mut attributs = Demande::nouvelle(Creation {
                        territoire: appelant.territoire.as_str(),
                        guichet: appelant.code.as_str(),
                        date_depot: demande.date_depot,
                        aujourd_hui: demande.date_depot,
                        communes: demande.communes.clone(),
                        num_associe: None,
                        date_fichier: demande.date_depot,
                        cle_ref_interne: None,
                        dalo: None,
                    });
                    if let Some((motif, date)) = radier(i) {
                        attributs.etat = super::depot::Etat::Radiee;
                        attributs.radiation = Some(super::depot::Radiation {
                            date,
                            motif: motif.code().to_string(),
                            enregistree_le: date.min(aujourdhui),
                            type_reservataire: None,
                        });
                    }
                    let index = self.index_du_fichier(&attributs, &demande.identites, &demande.faits);
                    transaction.ecritures.push(Ecriture::Creer {
                        num: num.to_string(),
                        attributs,
                        info: VersionInfo {
                            version: 1,
                            type_fichier: "CRE".into(),
                            auteur: appelant.code.as_str().into(),
                            horodatage: maintenant,
                        },
                        contenu: Contenu(rendre(i, &num)),
                        index,
                    });
                    nums.push(num);
                }
                Ok::<_, RegistryError>((nums, transaction))
            })
            .await?;
        self.compute.run(|| self.depot.appliquer(transaction)).await?;
        self.depot.durable().await?;
        Ok(nums)
    }

    /// The application `appelant` registered with `ref_interne`, if any (a CRE with it is a retry).
    pub fn par_reference(&self, appelant: &Guichet, ref_interne: &str) -> Result<Option<NumUnique>, RegistryError> {
        self.par_ref_interne(&self.depot.empreinte(&format!("{}|{}", appelant.code.as_str(), ref_interne.trim())))
    }

    /// The application registered under the keyed `refInterne` `cle`, if any.
    fn par_ref_interne(&self, cle: &str) -> Result<Option<NumUnique>, RegistryError> {
        let page = self.depot.parcourir("refinterne", &super::depot::Plage::egale(cle), 1)?;
        Ok(page.entrees.into_iter().next().and_then(|e| NumUnique::parse(&e.num).ok()))
    }

    /// The answer to a retried CRE: the application registered the first time, as it stands, with
    /// its certificate; the read is journaled.
    async fn reprise(
        &self,
        appelant: &Guichet,
        num: &NumUnique,
        demande: &NouvelleDemande,
    ) -> Result<Enregistrement, RegistryError> {
        let fiche = match self.depot.lire(num.as_str())? {
            Some(f) if f.attributs.territoire == appelant.territoire.as_str() => f,
            _ => return Err(RegistryError::Inconnue(num.to_string())),
        };
        // The first answer was most likely lost, and its code with it: the retry's certificate
        // carries a new one, which replaces it.
        let (code, ecriture_code) = self.code_acces_nouveau(num);
        self.depot.appliquer(Transaction {
            ecritures: vec![ecriture_code, self.acces(appelant, num, "getNumUnique/reprise")],
        })?;
        self.depot.durable().await?;
        let attestation =
            self.attestation(appelant, num, &fiche.attributs, &demande.demandeur, demande.complet, Some(&code)).await;
        tracing::info!(num_unique = num.as_str(), "reprise d'un enregistrement (même refInterne)");
        Ok(Enregistrement { reprise: true, num_unique: num.clone(), contenu: fiche.contenu.0, attestation })
    }

    async fn attestation(
        &self,
        appelant: &Guichet,
        num: &NumUnique,
        attributs: &Attributs,
        demandeur: &str,
        complet: Option<bool>,
        code_acces: Option<&str>,
    ) -> Vec<u8> {
        self.compute
            .run(|| {
                attestation::render(&Attestation {
                    num_unique: num.as_str(),
                    date_depot: attributs.date_depot,
                    date_enregistrement: attributs.date_enregistrement,
                    date_fin_validite: attributs.date_expiration,
                    demandeur,
                    communes: &attributs.communes,
                    guichet_code: appelant.code.as_str(),
                    guichet_nom: &appelant.nom,
                    territoire: appelant.territoire.as_str(),
                    dossier_complet: complet,
                    code_acces,
                    portail: self.portail.as_deref(),
                })
            })
            .await
    }

    /// The application `num` as the caller may see it: of its territory, or unknown.
    pub(super) fn visible(&self, appelant: &Guichet, num: &NumUnique) -> Result<Demande, RegistryError> {
        match self.depot.entete(num.as_str())? {
            Some(e)
                if e.attributs.territoire == appelant.territoire.as_str() && appelant.voit_la_demande(num.as_str()) =>
            {
                Ok(Demande::depuis(num.clone(), e))
            }
            _ => Err(RegistryError::Inconnue(num.to_string())),
        }
    }

    /// Applies a `MOD`, `REN`, `RAD` or DALO declaration of `appelant` to `num`: the rules of
    /// [`Demande`] decide, the file rendered by `rendre` (given the new version, the seniority and
    /// the current file) becomes the current state, and the answer waits for the disk. A renewal
    /// comes with a new certificate.
    #[tracing::instrument(skip_all, fields(guichet = appelant.code.as_str(), num_unique = num.as_str()))]
    pub async fn changer(
        &self,
        appelant: &Guichet,
        num: &NumUnique,
        changement: Changement,
        extrait: Extrait,
        rendre: impl Fn(u32, Date, &[u8]) -> Vec<u8>,
    ) -> Result<Modification, RegistryError> {
        let aujourdhui = self.horloge.aujourd_hui();
        let maintenant = self.horloge.maintenant();
        let communes = extrait.communes.clone();
        let mut ecrit = None;
        let file = self.file_de(num).await;
        for _ in 0..TENTATIVES {
            let fiche = match self.depot.lire(num.as_str())? {
                Some(f) if f.attributs.territoire == appelant.territoire.as_str() => f,
                _ => return Err(RegistryError::Inconnue(num.to_string())),
            };
            let demande = Demande::de_fiche(num.clone(), &fiche);
            let attributs = match &changement {
                Changement::Modifier => demande.modifier(communes.clone())?,
                Changement::Renouveler(date) => demande.renouveler(*date, aujourdhui, communes.clone())?,
                Changement::Radier(r) => demande.radier(r, aujourdhui)?,
                Changement::AnnulerRadiation => demande.annuler_radiation(aujourdhui)?,
                Changement::DeclarerDalo { statut, decision } => {
                    demande.declarer_dalo(statut, *decision, maintenant, aujourdhui)?
                }
            };
            // A DALO declaration changes no person: the identities stay those of the file.
            let lit_le_fichier = !matches!(changement, Changement::DeclarerDalo { .. });
            let version = demande.version() + 1;
            let result = self
                .compute
                .run(|| {
                    let contenu = rendre(version, attributs.date_depot, &fiche.contenu.0);
                    let index = if lit_le_fichier {
                        let mut index = self.index_du_fichier(&attributs, &extrait.identites, &extrait.faits);
                        // Pieces are not in the file: their categories stay.
                        let existantes = self.depot.index_de(num.as_str())?;
                        index.extend(existantes.into_iter().filter(recherche::est_categorie));
                        index
                    } else {
                        self.index_sans_fichier(num, &attributs)?
                    };
                    let operation = format!("getNumUnique/{}", changement.type_fichier());
                    self.depot
                        .appliquer(Transaction {
                            ecritures: vec![
                                Ecriture::Remplacer {
                                    num: num.to_string(),
                                    lue: demande.version(),
                                    attributs: attributs.clone(),
                                    info: VersionInfo {
                                        version,
                                        type_fichier: changement.type_fichier().into(),
                                        auteur: appelant.code.as_str().into(),
                                        horodatage: maintenant,
                                    },
                                    contenu: Contenu(contenu.clone()),
                                    index,
                                },
                                self.acces(appelant, num, &operation),
                            ],
                        })
                        .map(|()| contenu)
                })
                .await;
            match result {
                Ok(contenu) => {
                    ecrit = Some(Modification { version, contenu, attributs, attestation: None });
                    break;
                }
                Err(DepotError::Conflit { .. }) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        let mut modification = ecrit.ok_or_else(|| RegistryError::Concurrence(num.to_string()))?;
        // The next change of this number may start: it reads this one, durable with it or after.
        drop(file);
        self.depot.durable().await?;
        if matches!(changement, Changement::Renouveler(_)) {
            modification.attestation =
                Some(self.attestation(appelant, num, &modification.attributs, &extrait.demandeur, None, None).await);
        }
        tracing::info!(version = modification.version, "demande modifiée");
        Ok(modification)
    }

    /// The index entries of `attributs` for a change that reads no file (a DALO declaration,
    /// the system's radiation): what the search index knows from its file and pieces stays.
    pub(super) fn index_sans_fichier(
        &self,
        num: &NumUnique,
        attributs: &Attributs,
    ) -> Result<Vec<CleIndex>, DepotError> {
        let existantes = self.depot.index_de(num.as_str())?;
        let mut index = self.index_de(attributs);
        index.extend(recherche::reindexer(&existantes, attributs));
        Ok(index)
    }

    /// `SUP`: erases `num` at once (its key destroyed), leaving an erasure record.
    #[tracing::instrument(skip_all, fields(guichet = appelant.code.as_str(), num_unique = num.as_str()))]
    pub async fn supprimer(&self, appelant: &Guichet, num: &NumUnique) -> Result<(), RegistryError> {
        for _ in 0..TENTATIVES {
            let demande = self.visible(appelant, num)?;
            let result = self.depot.appliquer(Transaction {
                ecritures: vec![
                    Ecriture::Effacer {
                        num: num.to_string(),
                        lue: demande.version(),
                        effacement: Effacement {
                            territoire: demande.attributs().territoire.clone(),
                            guichet: demande.attributs().guichet.clone(),
                            horodatage: self.horloge.maintenant(),
                            motif: format!("supprimée par le guichet {}", appelant.code.as_str()),
                        },
                    },
                    self.acces(appelant, num, "getNumUnique/SUP"),
                ],
            });
            match result {
                Ok(()) => {
                    self.depot.durable().await?;
                    tracing::info!("demande supprimée");
                    return Ok(());
                }
                Err(DepotError::Conflit { .. }) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(RegistryError::Concurrence(num.to_string()))
    }

    /// What is wrong in storage, and sequences behind a number already given (which would hand
    /// it out again). Empty when all is well.
    pub fn verifier(&self) -> Result<Vec<String>, RegistryError> {
        let mut problems = self.depot.verifier()?;
        let mut apres: Option<String> = None;
        loop {
            let page = self.depot.numeros(apres.as_deref(), 1000)?;
            for num in &page {
                let Ok(parsed) = NumUnique::parse(num) else {
                    problems.push(format!("demande/{num} : numéro mal formé"));
                    continue;
                };
                // The sequence of a number is its territory and month (its first 7 characters).
                let (scope, rang) = (&parsed.as_str()[..7], &parsed.as_str()[7..13]);
                let rang: u64 = rang.parse().unwrap_or(u64::MAX);
                let sequence = self.depot.sequence_actuelle(scope)?;
                if sequence < rang {
                    problems.push(format!(
                        "séquence {scope} à {sequence}, en retard sur la demande {num} : ce numéro serait attribué de nouveau"
                    ));
                }
            }
            match page.last() {
                Some(last) if page.len() == 1000 => apres = Some(last.clone()),
                _ => break,
            }
        }
        Ok(problems)
    }

    /// Reads the current file of an application of the caller's territory, recording the read in
    /// the access journal (on disk) before returning it. Applications of other territories answer
    /// exactly as unknown ones, so their existence does not leak.
    #[tracing::instrument(skip_all, fields(guichet = appelant.code.as_str(), num_unique = num.as_str()))]
    pub async fn lire(
        &self,
        appelant: &Guichet,
        num: &NumUnique,
        version: Option<u32>,
        operation: &str,
    ) -> Result<Lecture, RegistryError> {
        let inconnue = || RegistryError::Inconnue(num.to_string());
        let fiche = match self.depot.lire(num.as_str())? {
            Some(f)
                if f.attributs.territoire == appelant.territoire.as_str() && appelant.voit_la_demande(num.as_str()) =>
            {
                f
            }
            _ => return Err(inconnue()),
        };
        let contenu = match version {
            None => fiche.contenu,
            Some(v) if v == fiche.version => fiche.contenu,
            Some(v) if v > fiche.version => return Err(inconnue()),
            Some(v) => self.depot.contenu_version(num.as_str(), v)?.ok_or_else(inconnue)?,
        };
        self.journaliser(appelant, num, operation).await?;
        Ok(Lecture { version: version.unwrap_or(fiche.version), contenu: contenu.0, attributs: fiche.attributs })
    }

    /// The versions of `num` (operators' tool: no territory check).
    pub fn versions(&self, num: &NumUnique) -> Result<Vec<VersionInfo>, RegistryError> {
        Ok(self.depot.versions(num.as_str())?)
    }

    /// Records that `appelant` saw nominative data of `num` through `operation`, on disk.
    pub async fn journaliser(&self, appelant: &Guichet, num: &NumUnique, operation: &str) -> Result<(), RegistryError> {
        self.depot.journaliser(vec![self.entree(appelant, num.as_str(), operation)]).await?;
        Ok(())
    }

    /// The journal entry of an answer carrying `num`'s nominative data to `appelant`, now, as a
    /// transaction's write (the answer of a write carries what it wrote).
    pub(super) fn acces(&self, appelant: &Guichet, num: &NumUnique, operation: &str) -> Ecriture {
        Ecriture::Journaliser(self.entree(appelant, num.as_str(), operation))
    }

    /// The journal entry of an answer carrying `num`'s nominative data to `appelant`, now.
    pub(super) fn entree(&self, appelant: &Guichet, num: &str, operation: &str) -> Acces {
        Acces {
            num: num.to_string(),
            horodatage: self.horloge.maintenant(),
            qui: appelant.auteur().to_string(),
            operation: operation.to_string(),
        }
    }

    /// The access journal of `num` (operators' tool: no territory check).
    pub fn journal(&self, num: &NumUnique) -> Result<Vec<Acces>, RegistryError> {
        Ok(self.depot.journal(num.as_str())?)
    }

    /// Active applications of the caller's territory on which one of `personnes` appears as
    /// applicant or co-applicant (same normalised name or birth name, first name and birth
    /// date), in number order, at most [`MAX_DOUBLONS`].
    pub fn doublons(&self, appelant: &Guichet, personnes: &[Identite]) -> Result<Vec<NumUnique>, RegistryError> {
        Ok(recherche::doublons(self.depot.as_ref(), appelant.territoire.as_str(), personnes, MAX_DOUBLONS)?)
    }

    /// The current files of `nums` (of the caller's territory; others are skipped), recorded in
    /// the access journal under `operation`, on disk, before they are returned.
    pub async fn fiches(
        &self,
        appelant: &Guichet,
        nums: &[NumUnique],
        operation: &str,
    ) -> Result<Vec<(NumUnique, Vec<u8>)>, RegistryError> {
        let mut out = Vec::new();
        let mut journal = Vec::new();
        for num in nums {
            if let Some(f) = self.depot.lire(num.as_str())? {
                if f.attributs.territoire == appelant.territoire.as_str() {
                    journal.push(self.entree(appelant, num.as_str(), operation));
                    out.push((num.clone(), f.contenu.0));
                }
            }
        }
        if !journal.is_empty() {
            self.depot.journaliser(journal).await?;
        }
        Ok(out)
    }

    /// Applications of the caller's territory with an entry of `index` (`radiee`, `dalo`) on
    /// or after `depuis`, in number order.
    pub fn depuis(&self, appelant: &Guichet, index: &str, depuis: Date) -> Result<Vec<Demande>, RegistryError> {
        let territoire = appelant.territoire.as_str();
        // Values are `<territoire>/<day>`; `0` is the character after `/`.
        let plage =
            super::depot::Plage::entre(&format!("{territoire}/{}", jour_index(depuis)), &format!("{territoire}0"));
        let mut nums = std::collections::BTreeSet::new();
        super::depot::pour_chaque_entree(self.depot.as_ref(), index, plage, 1000, |e| {
            nums.insert(e.num);
            Ok::<_, DepotError>(())
        })?;
        let mut out = Vec::new();
        for n in nums {
            let (Ok(num), Some(entete)) = (NumUnique::parse(&n), self.depot.entete(&n)?) else { continue };
            out.push(Demande::depuis(num, entete));
        }
        Ok(out)
    }

    /// The state of `num` for the caller (no journal: no nominative data).
    pub fn etat(&self, appelant: &Guichet, num: &NumUnique) -> Result<Demande, RegistryError> {
        self.visible(appelant, num)
    }
}
