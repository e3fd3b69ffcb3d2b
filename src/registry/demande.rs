//! The application aggregate (DESIGN.md, seam 2): its state, its dates, and the transitions of
//! its life as methods that return either its next attributes or a typed refusal.
//!
//! The rules, published in the README ("Cycle de vie"), all in Paris days:
//!
//! - valid one year from the first filing or the last renewal (`date_expiration`); the same day
//!   the next year, 28 February for a 29 February;
//! - renewal (`REN`) from [`OUVERTURE_RENOUVELLEMENT_MOIS`] months before expiry while active; the
//!   renewal date may not be in the future (one day of slack for overseas territories) nor before
//!   the window opens; validity then runs one year from the renewal date; number and seniority
//!   are kept;
//! - not renewed: radiated by the system (`RADREN`) [`DELAI_RADREN_MOIS`] month after expiry; a
//!   `REN` reactivates it until [`DELAI_REACTIVATION_MOIS`] months after the last filing or
//!   renewal, seniority kept;
//! - a counter radiates an active application with `RADABA`, `RADATT`, `RADCON` or `RADIRR` (each
//!   with its required details); `RADREN` is the system's; radiating twice is refused;
//! - an empty motive undoes a counter's radiation until [`DELAI_ANNULATION_RADIATION_MOIS`] month
//!   after it was recorded; a `RADREN` is undone by a renewal instead;
//! - a radiated application is erased [`DELAI_EFFACEMENT_MOIS`] months after its radiation was
//!   recorded; it cannot be modified or renewed (except a `RADREN` by renewal).

use time::{Date, Month};

use super::depot::{Attributs, Entete, Etat, Radiation};
use super::numero::NumUnique;

/// The renewal window opens this many months before expiry.
pub const OUVERTURE_RENOUVELLEMENT_MOIS: u32 = 3;
/// The system radiates an unrenewed application this many months after its expiry.
pub const DELAI_RADREN_MOIS: u32 = 1;
/// A `RADREN` application can be reactivated by renewal until this many months after its last
/// filing or renewal.
pub const DELAI_REACTIVATION_MOIS: u32 = 18;
/// A radiated application is erased this many months after its radiation.
pub const DELAI_EFFACEMENT_MOIS: u32 = 12;
/// A counter's radiation can be undone this many months after it was recorded.
pub const DELAI_ANNULATION_RADIATION_MOIS: u32 = 1;
/// The notice of expiry is due this many months before it.
pub const PREAVIS_EXPIRATION_MOIS: u32 = 1;

/// `date` plus `mois` months, the day clamped to the end of a shorter month (31 March + 1 month
/// is 30 April; 29 February + 12 months is 28 February).
pub fn plus_mois(date: Date, mois: u32) -> Date {
    let index = date.year() as i64 * 12 + (u8::from(date.month()) as i64 - 1) + mois as i64;
    shift(date, index)
}

/// `date` minus `mois` months, clamped the same way.
pub fn moins_mois(date: Date, mois: u32) -> Date {
    let index = date.year() as i64 * 12 + (u8::from(date.month()) as i64 - 1) - mois as i64;
    shift(date, index)
}

fn shift(date: Date, index: i64) -> Date {
    let year = index.div_euclid(12) as i32;
    let month = Month::try_from((index.rem_euclid(12) + 1) as u8).expect("1..=12");
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(if index < 0 { Date::MIN } else { Date::MAX })
}

/// A radiation motive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MotifRadiation {
    /// Written withdrawal (`RADABA`).
    Abandon,
    /// Housing allocated, lease signed (`RADATT`).
    Attribution,
    /// No answer one month after a warning letter (`RADCON`).
    SansReponse,
    /// Inadmissible, decided by the allocation committee (`RADIRR`).
    Irrecevable,
    /// Not renewed (`RADREN`), by the system only.
    NonRenouvellement,
}

impl MotifRadiation {
    /// Reads a `motifRadiation` code.
    pub fn parse(code: &str) -> Option<MotifRadiation> {
        Some(match code {
            "RADABA" => MotifRadiation::Abandon,
            "RADATT" => MotifRadiation::Attribution,
            "RADCON" => MotifRadiation::SansReponse,
            "RADIRR" => MotifRadiation::Irrecevable,
            "RADREN" => MotifRadiation::NonRenouvellement,
            _ => return None,
        })
    }

    /// Its code.
    pub fn code(self) -> &'static str {
        match self {
            MotifRadiation::Abandon => "RADABA",
            MotifRadiation::Attribution => "RADATT",
            MotifRadiation::SansReponse => "RADCON",
            MotifRadiation::Irrecevable => "RADIRR",
            MotifRadiation::NonRenouvellement => "RADREN",
        }
    }
}

/// A counter's radiation, with the details its motive may require.
#[derive(Debug, Clone)]
pub struct DemandeRadiation {
    /// `dateRadiation`.
    pub date: Date,
    /// `motifRadiation`.
    pub motif: MotifRadiation,
    /// `sousMotifIrrecevabilite` code, required by `RADIRR`.
    pub sous_motif_irrecevabilite: Option<String>,
    /// `absenceReponse/dateCourrier`, required by `RADCON`.
    pub date_courrier: Option<Date>,
    /// `attributionLogement/dateSignatureBail`, when `attributionLogement` is present (required by
    /// `RADATT`).
    pub date_signature_bail: Option<Date>,
    /// `attributionLogement/typeReservataire` code.
    pub type_reservataire: Option<String>,
}

/// Why a transition is refused. Each has its stable anomaly code in the operations layer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refus {
    /// Modifying or renewing a radiated application.
    #[error("la demande {num} est radiée ({motif} le {date}) : elle ne peut plus être {action}")]
    Radiee {
        /// Number.
        num: String,
        /// Motive code.
        motif: String,
        /// Radiation date.
        date: Date,
        /// "modifiée", "renouvelée".
        action: &'static str,
    },
    /// Renewal before the window opens.
    #[error("le renouvellement de la demande {num} n'est possible qu'à partir du {ouverture} (trois mois avant son expiration le {expiration})")]
    RenouvellementTropTot {
        /// Number.
        num: String,
        /// First day of the window.
        ouverture: Date,
        /// Current expiry.
        expiration: Date,
    },
    /// Reactivation after the eighteen months.
    #[error("la demande {num}, radiée faute de renouvellement, ne peut plus être réactivée depuis le {limite} (dix-huit mois après son dernier dépôt ou renouvellement)")]
    ReactivationImpossible {
        /// Number.
        num: String,
        /// First day it was no longer possible.
        limite: Date,
    },
    /// A date after tomorrow.
    #[error("la date {element} ({date}) est postérieure au lendemain du jour")]
    DateFuture {
        /// The element (`dateRenouvellement`...).
        element: &'static str,
        /// The date given.
        date: Date,
    },
    /// A renewal or radiation date before the window or the filing.
    #[error("la date {element} ({date}) est antérieure au {minimum}")]
    DateTropAncienne {
        /// The element.
        element: &'static str,
        /// The date given.
        date: Date,
        /// The first acceptable day.
        minimum: Date,
    },
    /// Radiating a radiated application.
    #[error("la demande {num} est déjà radiée ({motif} le {date})")]
    DejaRadiee {
        /// Number.
        num: String,
        /// Motive code.
        motif: String,
        /// Radiation date.
        date: Date,
    },
    /// `RADREN` from a counter.
    #[error(
        "le motif RADREN (non-renouvellement) est réservé au système : il est appliqué un mois après l'expiration"
    )]
    MotifReserveAuSysteme,
    /// A detail the motive requires is missing.
    #[error("le motif {motif} exige {detail}")]
    DetailManquant {
        /// Motive code.
        motif: &'static str,
        /// What is missing, named as in the file.
        detail: &'static str,
    },
    /// Undoing a radiation of an active application.
    #[error("la demande {num} n'est pas radiée : il n'y a pas de radiation à annuler")]
    PasRadiee {
        /// Number.
        num: String,
    },
    /// Undoing a radiation too late, or a `RADREN`.
    #[error("la radiation de la demande {num} ({motif}) ne peut plus être annulée : {raison}")]
    AnnulationImpossible {
        /// Number.
        num: String,
        /// Motive code.
        motif: String,
        /// Why.
        raison: String,
    },
}

/// An application as the rules see it: its clear attributes and its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Demande {
    num: NumUnique,
    version: u32,
    attributs: Attributs,
}

/// What a new application starts with.
#[derive(Debug, Clone)]
pub struct Creation<'a> {
    /// Its territory.
    pub territoire: &'a str,
    /// The registering counter.
    pub guichet: &'a str,
    /// Seniority: the file's `dateCreationDemande`, or the original's for a `CRS`.
    pub date_depot: Date,
    /// The day of registration; validity starts from the filing date of the file.
    pub aujourd_hui: Date,
    /// Desired communes.
    pub communes: Vec<String>,
    /// `numUniqueAssocie` of a `CRS`.
    pub num_associe: Option<String>,
    /// The file's `dateCreationDemande` (validity runs one year from it).
    pub date_fichier: Date,
    /// Keyed hash of the counter's `refInterne`.
    pub cle_ref_interne: Option<String>,
    /// A DALO status, decision date and the instant it is declared (with the registration).
    pub dalo: Option<(String, Option<Date>, time::OffsetDateTime)>,
}

impl Demande {
    /// The attributes of a new application.
    pub fn nouvelle(c: Creation<'_>) -> Attributs {
        let (statut_dalo, decision_dalo, date_dalo) = match c.dalo {
            Some((s, d, quand)) => (Some(s), d, Some(quand)),
            None => (None, None, None),
        };
        Attributs {
            territoire: c.territoire.to_string(),
            guichet: c.guichet.to_string(),
            etat: Etat::Active,
            date_depot: c.date_depot,
            date_enregistrement: c.aujourd_hui,
            date_renouvellement: None,
            date_expiration: plus_mois(c.date_fichier, 12),
            radiation: None,
            communes: c.communes,
            num_associe: c.num_associe,
            statut_dalo,
            date_dalo,
            decision_dalo,
            cle_ref_interne: c.cle_ref_interne,
        }
    }

    /// The aggregate of a stored application.
    pub fn depuis(num: NumUnique, entete: Entete) -> Demande {
        Demande { num, version: entete.version, attributs: entete.attributs }
    }

    /// The aggregate of an application read with its content.
    pub fn de_fiche(num: NumUnique, fiche: &super::depot::Fiche) -> Demande {
        Demande { num, version: fiche.version, attributs: fiche.attributs.clone() }
    }

    /// Its number.
    pub fn num(&self) -> &NumUnique {
        &self.num
    }

    /// The version read.
    pub fn version(&self) -> u32 {
        self.version
    }

    /// Its attributes.
    pub fn attributs(&self) -> &Attributs {
        &self.attributs
    }

    /// The day validity started from: the last renewal, or the first filing.
    fn base(&self) -> Date {
        self.attributs.date_renouvellement.unwrap_or(self.attributs.date_depot)
    }

    fn radiee(&self, action: &'static str) -> Option<Refus> {
        self.attributs.radiation.as_ref().map(|r| Refus::Radiee {
            num: self.num.to_string(),
            motif: r.motif.clone(),
            date: r.date,
            action,
        })
    }

    /// A `MOD`: the application must be active; its communes become `communes`.
    pub fn modifier(&self, communes: Vec<String>) -> Result<Attributs, Refus> {
        if let Some(refus) = self.radiee("modifiée") {
            return Err(refus);
        }
        Ok(Attributs { communes, ..self.attributs.clone() })
    }

    /// A `REN` dated `date`, received on `aujourd_hui`.
    pub fn renouveler(&self, date: Date, aujourd_hui: Date, communes: Vec<String>) -> Result<Attributs, Refus> {
        let demain = aujourd_hui.next_day().unwrap_or(Date::MAX);
        if date > demain {
            return Err(Refus::DateFuture { element: "dateRenouvellement", date });
        }
        let ouverture = moins_mois(self.attributs.date_expiration, OUVERTURE_RENOUVELLEMENT_MOIS);
        match &self.attributs.radiation {
            Some(r) if r.motif == MotifRadiation::NonRenouvellement.code() => {
                let limite = plus_mois(self.base(), DELAI_REACTIVATION_MOIS);
                if aujourd_hui >= limite {
                    return Err(Refus::ReactivationImpossible { num: self.num.to_string(), limite });
                }
            }
            Some(_) => return Err(self.radiee("renouvelée").expect("radiated")),
            None if aujourd_hui < ouverture => {
                return Err(Refus::RenouvellementTropTot {
                    num: self.num.to_string(),
                    ouverture,
                    expiration: self.attributs.date_expiration,
                })
            }
            None => {}
        }
        if date < ouverture {
            return Err(Refus::DateTropAncienne { element: "dateRenouvellement", date, minimum: ouverture });
        }
        Ok(Attributs {
            etat: Etat::Active,
            radiation: None,
            date_renouvellement: Some(date),
            date_expiration: plus_mois(date, 12),
            communes,
            ..self.attributs.clone()
        })
    }

    /// A counter's `RAD` with a motive, received on `aujourd_hui`.
    pub fn radier(&self, r: &DemandeRadiation, aujourd_hui: Date) -> Result<Attributs, Refus> {
        if let Some(actuelle) = &self.attributs.radiation {
            return Err(Refus::DejaRadiee {
                num: self.num.to_string(),
                motif: actuelle.motif.clone(),
                date: actuelle.date,
            });
        }
        match r.motif {
            MotifRadiation::NonRenouvellement => return Err(Refus::MotifReserveAuSysteme),
            MotifRadiation::Irrecevable if r.sous_motif_irrecevabilite.is_none() => {
                return Err(Refus::DetailManquant {
                    motif: "RADIRR",
                    detail: "sousMotifIrrecevabilite (IRRSEJ ou IRRRES)",
                })
            }
            MotifRadiation::Attribution if r.date_signature_bail.is_none() => {
                return Err(Refus::DetailManquant {
                    motif: "RADATT",
                    detail: "attributionLogement (date de signature du bail, bailleur, réservataire)",
                })
            }
            MotifRadiation::SansReponse if r.date_courrier.is_none() => {
                return Err(Refus::DetailManquant { motif: "RADCON", detail: "absenceReponse/dateCourrier" })
            }
            _ => {}
        }
        let demain = aujourd_hui.next_day().unwrap_or(Date::MAX);
        if r.date > demain {
            return Err(Refus::DateFuture { element: "dateRadiation", date: r.date });
        }
        if r.date < self.attributs.date_enregistrement.min(self.attributs.date_depot) {
            return Err(Refus::DateTropAncienne {
                element: "dateRadiation",
                date: r.date,
                minimum: self.attributs.date_enregistrement.min(self.attributs.date_depot),
            });
        }
        let mut attributs = self.radiation(r.date, r.motif, aujourd_hui);
        if let Some(rad) = attributs.radiation.as_mut() {
            rad.type_reservataire = r.type_reservataire.clone();
        }
        Ok(attributs)
    }

    fn radiation(&self, date: Date, motif: MotifRadiation, aujourd_hui: Date) -> Attributs {
        Attributs {
            etat: Etat::Radiee,
            radiation: Some(Radiation {
                date,
                motif: motif.code().to_string(),
                enregistree_le: aujourd_hui,
                type_reservataire: None,
            }),
            ..self.attributs.clone()
        }
    }

    /// A DALO decision declared now (`maintenant`, Paris day `aujourd_hui`) for an active
    /// application: status code and decision date.
    pub fn declarer_dalo(
        &self,
        statut: &str,
        decision: Option<Date>,
        maintenant: time::OffsetDateTime,
        aujourd_hui: Date,
    ) -> Result<Attributs, Refus> {
        if let Some(refus) = self.radiee("déclarée au titre du DALO") {
            return Err(refus);
        }
        if let Some(d) = decision.filter(|d| *d > aujourd_hui.next_day().unwrap_or(Date::MAX)) {
            return Err(Refus::DateFuture { element: "dateDecisionDalo", date: d });
        }
        Ok(Attributs {
            statut_dalo: Some(statut.to_string()),
            decision_dalo: decision,
            date_dalo: Some(maintenant),
            ..self.attributs.clone()
        })
    }

    /// A `RAD` with an empty motive, received on `aujourd_hui`.
    pub fn annuler_radiation(&self, aujourd_hui: Date) -> Result<Attributs, Refus> {
        let Some(r) = &self.attributs.radiation else {
            return Err(Refus::PasRadiee { num: self.num.to_string() });
        };
        let impossible =
            |raison: String| Refus::AnnulationImpossible { num: self.num.to_string(), motif: r.motif.clone(), raison };
        if r.motif == MotifRadiation::NonRenouvellement.code() {
            return Err(impossible("une radiation pour non-renouvellement se lève par un renouvellement (REN)".into()));
        }
        let limite = plus_mois(r.enregistree_le, DELAI_ANNULATION_RADIATION_MOIS);
        if aujourd_hui >= limite {
            return Err(impossible(format!("le délai d'un mois après son enregistrement a expiré le {limite}")));
        }
        Ok(Attributs { etat: Etat::Active, radiation: None, ..self.attributs.clone() })
    }

    /// What the time rules do to this application on `aujourd_hui`, if anything.
    pub fn echeance(&self, aujourd_hui: Date) -> Option<Echeance> {
        match &self.attributs.radiation {
            None if aujourd_hui >= plus_mois(self.attributs.date_expiration, DELAI_RADREN_MOIS) => {
                Some(Echeance::RadierNonRenouvelee(Box::new(self.radiation(
                    self.attributs.date_expiration,
                    MotifRadiation::NonRenouvellement,
                    aujourd_hui,
                ))))
            }
            Some(r) if aujourd_hui >= plus_mois(r.enregistree_le, DELAI_EFFACEMENT_MOIS) => Some(Echeance::Effacer),
            _ => None,
        }
    }
}

/// What a time rule does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Echeance {
    /// Radiate for non-renewal (`RADREN`), with these attributes.
    RadierNonRenouvelee(Box<Attributs>),
    /// Erase (one year after radiation).
    Effacer,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn demande(depot: Date) -> Demande {
        let attributs = Demande::nouvelle(Creation {
            territoire: "111",
            guichet: "G1104",
            date_depot: depot,
            aujourd_hui: depot,
            communes: vec!["31555".into()],
            num_associe: None,
            date_fichier: depot,
            cle_ref_interne: None,
            dalo: None,
        });
        Demande { num: NumUnique::parse("1110318016982G1104").unwrap(), version: 1, attributs }
    }

    fn avec(d: &Demande, attributs: Attributs) -> Demande {
        Demande { attributs, version: d.version + 1, ..d.clone() }
    }

    #[test]
    fn months_are_added_in_calendar_days() {
        assert_eq!(plus_mois(date!(2026 - 01 - 31), 1), date!(2026 - 02 - 28));
        assert_eq!(plus_mois(date!(2024 - 02 - 29), 12), date!(2025 - 02 - 28));
        assert_eq!(plus_mois(date!(2026 - 11 - 15), 18), date!(2028 - 05 - 15));
        assert_eq!(moins_mois(date!(2027 - 05 - 31), 3), date!(2027 - 02 - 28));
        assert_eq!(moins_mois(date!(2027 - 01 - 10), 3), date!(2026 - 10 - 10));
    }

    #[test]
    fn validity_is_one_year_and_the_window_opens_three_months_before() {
        let d = demande(date!(2026 - 03 - 10));
        assert_eq!(d.attributs.date_expiration, date!(2027 - 03 - 10));
        let err = d.renouveler(date!(2026 - 12 - 09), date!(2026 - 12 - 09), vec![]).unwrap_err();
        assert!(matches!(err, Refus::RenouvellementTropTot { ouverture, .. } if ouverture == date!(2026 - 12 - 10)));
        let a = d.renouveler(date!(2026 - 12 - 10), date!(2026 - 12 - 10), vec![]).unwrap();
        assert_eq!(a.date_expiration, date!(2027 - 12 - 10));
        assert_eq!(a.date_depot, date!(2026 - 03 - 10), "seniority kept");
        assert_eq!(a.date_renouvellement, Some(date!(2026 - 12 - 10)));
        // A renewal dated the day after today is accepted, two days after is not.
        assert!(d.renouveler(date!(2027 - 01 - 02), date!(2027 - 01 - 01), vec![]).is_ok());
        assert!(matches!(
            d.renouveler(date!(2027 - 01 - 03), date!(2027 - 01 - 01), vec![]),
            Err(Refus::DateFuture { .. })
        ));
    }

    #[test]
    fn the_system_radiates_one_month_after_expiry_and_a_renewal_reactivates_for_eighteen_months() {
        let d = demande(date!(2026 - 03 - 10));
        assert_eq!(d.echeance(date!(2027 - 04 - 09)), None);
        let Some(Echeance::RadierNonRenouvelee(a)) = d.echeance(date!(2027 - 04 - 10)) else { panic!() };
        assert_eq!(a.radiation.as_ref().unwrap().motif, "RADREN");
        let radiee = avec(&d, *a);
        assert!(matches!(radiee.modifier(vec![]), Err(Refus::Radiee { .. })));
        assert!(matches!(radiee.annuler_radiation(date!(2027 - 04 - 11)), Err(Refus::AnnulationImpossible { .. })));
        // Eighteen months after the first filing of 10 March 2026: until 9 September 2027.
        let a = radiee.renouveler(date!(2027 - 09 - 09), date!(2027 - 09 - 09), vec![]).unwrap();
        assert_eq!(a.etat, Etat::Active);
        assert_eq!(a.radiation, None);
        assert_eq!(a.date_depot, date!(2026 - 03 - 10));
        assert_eq!(a.date_expiration, date!(2028 - 09 - 09));
        assert!(matches!(
            radiee.renouveler(date!(2027 - 09 - 10), date!(2027 - 09 - 10), vec![]),
            Err(Refus::ReactivationImpossible { limite, .. }) if limite == date!(2027 - 09 - 10)
        ));
    }

    #[test]
    fn radiation_needs_its_details_and_is_undone_within_a_month() {
        let d = demande(date!(2026 - 03 - 10));
        let rad = |motif, sous: Option<&str>, courrier, bail| DemandeRadiation {
            date: date!(2026 - 06 - 01),
            motif,
            sous_motif_irrecevabilite: sous.map(str::to_string),
            date_courrier: courrier,
            date_signature_bail: bail,
            type_reservataire: None,
        };
        let today = date!(2026 - 06 - 02);
        assert_eq!(
            d.radier(&rad(MotifRadiation::NonRenouvellement, None, None, None), today),
            Err(Refus::MotifReserveAuSysteme)
        );
        assert!(matches!(
            d.radier(&rad(MotifRadiation::Irrecevable, None, None, None), today),
            Err(Refus::DetailManquant { motif: "RADIRR", .. })
        ));
        assert!(matches!(
            d.radier(&rad(MotifRadiation::Attribution, None, None, None), today),
            Err(Refus::DetailManquant { motif: "RADATT", .. })
        ));
        assert!(matches!(
            d.radier(&rad(MotifRadiation::SansReponse, None, None, None), today),
            Err(Refus::DetailManquant { motif: "RADCON", .. })
        ));
        let a = d.radier(&rad(MotifRadiation::Irrecevable, Some("IRRSEJ"), None, None), today).unwrap();
        let radiee = avec(&d, a);
        assert!(matches!(
            radiee.radier(&rad(MotifRadiation::Abandon, None, None, None), today),
            Err(Refus::DejaRadiee { .. })
        ));
        assert!(radiee.annuler_radiation(date!(2026 - 07 - 01)).is_ok());
        assert!(matches!(radiee.annuler_radiation(date!(2026 - 07 - 02)), Err(Refus::AnnulationImpossible { .. })));
        assert!(matches!(d.annuler_radiation(today), Err(Refus::PasRadiee { .. })));
        // Erased one year after the radiation was recorded.
        assert_eq!(radiee.echeance(date!(2027 - 06 - 01)), None);
        assert_eq!(radiee.echeance(date!(2027 - 06 - 02)), Some(Echeance::Effacer));
    }
}
