//! `sne-gateway demo seed`: fills a store with realistic synthetic applications, for
//! demonstrations and the scale benchmark (`benches/echelle.rs`).
//!
//! Every application is a valid file (the complete example, `fixtures/demande/valid/
//! cre_complet_v0201.xml`, with its persons, dates, communes and incomes drawn at random): names
//! with accents, hyphens and apostrophes, birth dates, desired communes of the counter's
//! territory, incomes of the right years, a spouse for married applicants, and one application
//! in seven radiated. Generation is deterministic for a seed. It goes through the registry's bulk
//! path: one transaction and one flush per batch, no duplicate check, no certificate.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use time::Date;

use crate::contract::types::{AssociationOuPersonnePhysique, Localite};
use crate::contract::{self, FichierDemande, Valeur, XsDate, XsDateTime};
use crate::registry::geographie::{self, Territoires};
use crate::registry::{Guichet, Identite, MotifRadiation, NouvelleDemande, Registry, RegistryError};

const MODELE: &str = include_str!("../fixtures/demande/valid/cre_complet_v0201.xml");

const NOMS: &[&str] = &[
    "MARTIN",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Lefebvre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Le Gall",
    "N'Diaye",
    "Nguyễn",
    "Ødegaard",
    "Wójcik",
    "Benali",
    "Da Silva",
    "Saint-Just",
    "O'Neill",
    "Müller",
];
const PRENOMS: &[&str] = &[
    "Camille",
    "Léa",
    "Hugo",
    "Louis",
    "Chloé",
    "Emma",
    "Gabriel",
    "Jules",
    "Zoë",
    "Inès",
    "Adam",
    "Lucas",
    "Hélène",
    "Françoise",
    "Jérôme",
    "Noël",
    "Anaïs",
    "Łukasz",
    "Thị Hằng",
    "Karim",
    "Fatou",
    "Aurélien",
    "Maëlys",
    "Benoît",
    "Joséphine",
    "Mathéo",
    "Sofía",
    "Youssef",
    "Agnès",
    "Côme",
];

/// The generator: one per seed.
pub struct Generateur {
    rng: StdRng,
    modele: FichierDemande,
    communes: Vec<(String, Vec<&'static str>)>,
}

/// One synthetic application: who files it and what.
pub struct Synthese {
    /// Its file, without number yet.
    pub fichier: FichierDemande,
    /// What the registry reads of it.
    pub demande: NouvelleDemande,
    /// Radiated from the start, with this motive and date.
    pub radiation: Option<(MotifRadiation, Date)>,
}

impl Generateur {
    /// A generator for `seed`; desired communes are drawn from each territory's perimeter (or,
    /// for a territory without one, from Haute-Garonne).
    pub fn new(seed: u64, territoires: &Territoires, codes: &[&str]) -> Generateur {
        let modele = contract::lire_demande(MODELE.as_bytes(), crate::xml::Limits::DEFAULT)
            .expect("the complete example is a valid file");
        let communes = codes
            .iter()
            .map(|t| {
                let perimetre = territoires.perimetre(t);
                let mut c: Vec<&'static str> = geographie::toutes()
                    .filter(|c| match perimetre {
                        Some(p) => p.contient(c),
                        None => c.departement == "31",
                    })
                    .map(|c| c.code)
                    .collect();
                if c.is_empty() {
                    c.push("31555");
                }
                (t.to_string(), c)
            })
            .collect();
        Generateur { rng: StdRng::seed_from_u64(seed), modele, communes }
    }

    /// A surname; half are compound (`Martin-Dubois`), so that a million applicants do not share
    /// a handful of identities (real duplicates are the counters' doing, not the generator's).
    fn nom(&mut self) -> String {
        let un = NOMS[self.rng.gen_range(0..NOMS.len())];
        if self.rng.gen_bool(0.5) {
            format!("{un}-{}", NOMS[self.rng.gen_range(0..NOMS.len())])
        } else {
            un.to_string()
        }
    }

    fn prenom(&mut self) -> String {
        PRENOMS[self.rng.gen_range(0..PRENOMS.len())].to_string()
    }

    fn date(&mut self, debut: Date, jours: i64) -> Date {
        debut.saturating_add(time::Duration::days(self.rng.gen_range(0..jours.max(1))))
    }

    /// A new application for `guichet`, filed on a day of the year before `aujourd_hui`.
    pub fn demande(&mut self, guichet: &Guichet, aujourd_hui: Date) -> Synthese {
        let mut f = self.modele.clone();
        let depot = self.date(aujourd_hui.saturating_sub(time::Duration::days(330)), 330);
        let naissance = self.date(time::macros::date!(1945 - 01 - 01), 365 * 60);
        let (nom, prenom) = (self.nom(), self.prenom());
        let marie = self.rng.gen_bool(0.4);
        let annee = depot.year();
        let communes: Vec<String> = {
            let liste = &self.communes.iter().find(|(t, _)| t == guichet.territoire.as_str()).map(|(_, c)| c.clone());
            let liste = liste.clone().unwrap_or_else(|| vec!["31555"]);
            (0..self.rng.gen_range(1..=3)).map(|_| liste[self.rng.gen_range(0..liste.len())].to_string()).collect()
        };
        let cotitulaire = (self.nom(), self.prenom(), self.date(time::macros::date!(1945 - 01 - 01), 365 * 60));

        f.interface.entete.date_fichier =
            XsDateTime::from_offset_datetime(depot.with_hms(10, 0, 0).expect("valid time").assume_utc());
        f.interface.demande.information_dalo = None;
        let d = f.demande_logement_mut();
        d.num_guichet = Valeur::new(guichet.code.as_str().to_string());
        d.ref_interne = None;
        d.forcer_doublon = Some(Valeur::new(false));
        d.date_creation_demande = Valeur::new(XsDate::from_date(depot));
        if let Some(l) = d.logement_recherche.as_mut() {
            let modele = l.liste_localisation_souhaite.localisation_souhaite[0].clone();
            l.liste_localisation_souhaite.localisation_souhaite = communes
                .iter()
                .map(|c| {
                    let mut l = modele.clone();
                    l.commune.code = Some(c.clone());
                    l.quartier = None;
                    l
                })
                .collect();
        }
        // Most applications carry no handicap, dependants in custody or expected births: the
        // example has them all, real files mostly do not.
        if self.rng.gen_ratio(9, 10) {
            d.liste_handicap = None;
        }
        let mut identites = Vec::new();
        if let AssociationOuPersonnePhysique::PersonnePhysique(p) = &mut d.association_ou_personne_physique {
            if self.rng.gen_ratio(9, 10) {
                p.liste_personne_en_garde = None;
                p.personne_a_naitre = None;
            }
            let dem = &mut p.demandeur;
            dem.nom = Valeur::new(nom.clone());
            dem.nom_patronymique = None;
            dem.prenom = Valeur::new(prenom.clone());
            dem.date_naissance = Valeur::new(XsDate::from_date(naissance));
            dem.mel = None;
            dem.situation_familiale.code = Some(if marie { "M" } else { "C" }.to_string());
            dem.revenu_fiscal.annee_moins1 = Some(Valeur::new(annee - 1));
            dem.revenu_fiscal.annee_moins2 = Some(Valeur::new(annee - 2));
            if let Localite::GroupeLocalite { commune, .. } = &mut dem.adresse_postale.localite {
                commune.code = Some(communes[0].clone());
            }
            identites.push(Identite { nom, nom_naissance: None, prenom, date_naissance: naissance });
            if marie {
                if let Some(c) = p.liste_cotitulaire.as_mut().and_then(|l| l.cotitulaire.first_mut()) {
                    c.nom = Valeur::new(cotitulaire.0.clone());
                    c.nom_patronymique = None;
                    c.prenom = Valeur::new(cotitulaire.1.clone());
                    c.date_naissance = Valeur::new(XsDate::from_date(cotitulaire.2));
                    if let Some(r) = c.revenu_fiscal.as_mut() {
                        r.annee_moins1 = Some(Valeur::new(annee - 1));
                    }
                }
                identites.push(Identite {
                    nom: cotitulaire.0,
                    nom_naissance: None,
                    prenom: cotitulaire.1,
                    date_naissance: cotitulaire.2,
                });
            } else {
                p.liste_cotitulaire = None;
            }
        }
        let radiation = self.rng.gen_ratio(1, 7).then(|| {
            let motif = [MotifRadiation::Abandon, MotifRadiation::Attribution][self.rng.gen_range(0..2)];
            (motif, self.date(depot, (aujourd_hui - depot).whole_days().max(1)))
        });
        Synthese {
            demande: NouvelleDemande {
                num_guichet: guichet.code.clone(),
                date_depot: depot,
                demandeur: String::new(),
                identites,
                communes,
                complet: None,
                num_associe: None,
                ref_interne: None,
                dalo: None,
                faits: crate::operations::faits_recherche(&f),
            },
            fichier: f,
            radiation,
        }
    }
}

/// Seeds `count` applications, spread over `guichets`, in batches of `lot`; `progres` is told
/// how many are done after each batch. Returns the numbers registered.
pub async fn semer(
    registry: &Registry,
    guichets: &[Guichet],
    generateur: &mut Generateur,
    count: usize,
    lot: usize,
    mut progres: impl FnMut(usize),
) -> Result<Vec<String>, RegistryError> {
    let aujourd_hui = registry.horloge().aujourd_hui();
    let mut nums = Vec::with_capacity(count);
    let mut fait = 0;
    while fait < count {
        let guichet = &guichets[(fait / lot) % guichets.len()];
        let taille = lot.min(count - fait);
        let syntheses: Vec<Synthese> = (0..taille).map(|_| generateur.demande(guichet, aujourd_hui)).collect();
        let demandes: Vec<NouvelleDemande> = syntheses.iter().map(|s| s.demande.clone()).collect();
        let lot_nums = registry
            .enregistrer_lot(
                guichet,
                &demandes,
                |i, num| {
                    let mut f = syntheses[i].fichier.clone();
                    f.set_num_unique(Some(num.to_string()));
                    f.set_increment_fichier(Some("1".into()));
                    contract::ecrire_demande(&f)
                },
                |i| syntheses[i].radiation,
            )
            .await?;
        nums.extend(lot_nums.into_iter().map(|n| n.to_string()));
        fait += taille;
        progres(fait);
    }
    Ok(nums)
}
