//! The time rules (CCH R441-2-x), run on a day: the notice list of applications expiring within
//! a month, radiation for non-renewal one month after expiry, erasure one year after radiation.
//!
//! Each rule reads an index over a range of days, wider than the rule by a few days because
//! month arithmetic clamps (31 January + 1 month is 28 February), then asks the aggregate
//! ([`Demande::echeance`]) whether the rule applies on that day: the aggregate is the one place the
//! rule is written. Running twice on the same day changes nothing the second time.

use time::Date;

use super::demande::{moins_mois, plus_mois, Demande, Echeance, DELAI_EFFACEMENT_MOIS, DELAI_RADREN_MOIS};
use super::demandes::{Registry, RegistryError};
use super::depot::{pour_chaque_entree, DepotError, Ecriture, Effacement, Plage, Transaction, VersionInfo};
use super::numero::NumUnique;

/// Index entries read per page.
const PAGE: usize = 1000;

/// An application whose notice of expiry is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preavis {
    /// Its number.
    pub num: String,
    /// Its territory.
    pub territoire: String,
    /// Its last day of validity.
    pub expiration: Date,
}

/// What the time rules did on a day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BilanEcheances {
    /// Applications expiring within a month (for the notice the law requires).
    pub preavis: Vec<Preavis>,
    /// Applications radiated for non-renewal (`RADREN`).
    pub radiees: Vec<String>,
    /// Applications erased one year after radiation.
    pub effacees: Vec<String>,
}

impl Registry {
    /// Applies the time rules as they stand on `jour` (a Paris day).
    pub async fn echeances(&self, jour: Date) -> Result<BilanEcheances, RegistryError> {
        self.echeances_du_jour(jour, true).await
    }

    /// What [`Registry::echeances`] would do on `jour`, changing nothing: the notices, and the
    /// applications it would radiate and erase.
    pub async fn echeances_simulees(&self, jour: Date) -> Result<BilanEcheances, RegistryError> {
        self.echeances_du_jour(jour, false).await
    }

    async fn echeances_du_jour(&self, jour: Date, appliquer: bool) -> Result<BilanEcheances, RegistryError> {
        let mut bilan = BilanEcheances::default();
        // Expiring within a month: today up to one month ahead, inclusive.
        let fin_preavis = plus_mois(jour, super::demande::PREAVIS_EXPIRATION_MOIS).next_day().unwrap_or(Date::MAX);
        self.parcourir("expiration", jour, fin_preavis, |demande| {
            bilan.preavis.push(Preavis {
                num: demande.num().to_string(),
                territoire: demande.attributs().territoire.clone(),
                expiration: demande.attributs().date_expiration,
            });
            Ok(())
        })?;
        // Due for RADREN: expiry at least one month ago; a few days' margin for clamped months.
        let fin = moins_mois(jour, DELAI_RADREN_MOIS).saturating_add(time::Duration::days(4));
        let mut a_radier = Vec::new();
        self.parcourir("expiration", Date::MIN, fin, |d| {
            if let Some(Echeance::RadierNonRenouvelee(_)) = d.echeance(jour) {
                a_radier.push(d.num().clone());
            }
            Ok(())
        })?;
        for num in a_radier {
            if !appliquer || self.appliquer_echeance(&num, jour).await? {
                bilan.radiees.push(num.to_string());
            }
        }
        let fin = moins_mois(jour, DELAI_EFFACEMENT_MOIS).saturating_add(time::Duration::days(4));
        let mut a_effacer = Vec::new();
        self.parcourir("radiation", Date::MIN, fin, |d| {
            if d.echeance(jour) == Some(Echeance::Effacer) {
                a_effacer.push(d.num().clone());
            }
            Ok(())
        })?;
        if !appliquer {
            bilan.effacees = a_effacer.iter().map(ToString::to_string).collect();
            return Ok(bilan);
        }
        for num in a_effacer {
            if self.appliquer_echeance(&num, jour).await? {
                bilan.effacees.push(num.to_string());
            }
        }
        if !bilan.radiees.is_empty() || !bilan.effacees.is_empty() {
            self.depot().durable().await?;
        }
        tracing::info!(
            jour = %jour,
            preavis = bilan.preavis.len(),
            radiees = bilan.radiees.len(),
            effacees = bilan.effacees.len(),
            "échéances appliquées"
        );
        Ok(bilan)
    }

    /// Calls `f` on every application of `index` with a day in `[debut, fin)`.
    fn parcourir(
        &self,
        index: &str,
        debut: Date,
        fin: Date,
        mut f: impl FnMut(&Demande) -> Result<(), RegistryError>,
    ) -> Result<(), RegistryError> {
        let plage = Plage::entre(&jour_index(debut), &jour_index(fin));
        pour_chaque_entree(self.depot(), index, plage, PAGE, |e| {
            let Ok(parsed) = NumUnique::parse(&e.num) else { return Ok(()) };
            match self.depot().entete(&e.num)? {
                Some(entete) => f(&Demande::depuis(parsed, entete)),
                None => Ok(()),
            }
        })
    }

    /// Applies the rule due on `jour` to `num`, if still due (re-read: a counter may have renewed
    /// it in between); whether anything was written.
    async fn appliquer_echeance(&self, num: &NumUnique, jour: Date) -> Result<bool, RegistryError> {
        for _ in 0..3 {
            let Some(fiche) = self.depot().lire(num.as_str())? else { return Ok(false) };
            let demande = Demande::de_fiche(num.clone(), &fiche);
            let ecriture = match demande.echeance(jour) {
                None => return Ok(false),
                Some(Echeance::RadierNonRenouvelee(attributs)) => {
                    let index = self.index_sans_fichier(num, &attributs)?;
                    Ecriture::Remplacer {
                        num: num.to_string(),
                        lue: fiche.version,
                        info: VersionInfo {
                            version: fiche.version + 1,
                            type_fichier: "RADREN".into(),
                            auteur: "systeme".into(),
                            horodatage: self.horloge().maintenant(),
                        },
                        attributs: *attributs,
                        // The file stays as the counter last sent it; the radiation is in the
                        // attributes, and reads show it (the operation layer adds the block).
                        contenu: fiche.contenu,
                        index,
                    }
                }
                Some(Echeance::Effacer) => Ecriture::Effacer {
                    num: num.to_string(),
                    lue: fiche.version,
                    effacement: Effacement {
                        territoire: fiche.attributs.territoire.clone(),
                        guichet: fiche.attributs.guichet.clone(),
                        horodatage: self.horloge().maintenant(),
                        motif: "radiée depuis un an".into(),
                    },
                },
            };
            match self.depot().appliquer(Transaction::une(ecriture)) {
                Ok(()) => return Ok(true),
                Err(DepotError::Conflit { .. }) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(RegistryError::Concurrence(num.to_string()))
    }
}

/// A day as index values write it.
pub(crate) fn jour_index(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year().clamp(0, 9999), u8::from(d.month()), d.day())
}
