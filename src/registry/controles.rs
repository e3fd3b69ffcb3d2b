//! Business controls beyond the schema: what a counter is told about a file whose every element is
//! well formed but whose content cannot be right. The operation layer reads the facts out of the
//! file, each with the path it came from (opaque here: it only travels back into the anomaly);
//! [`controler`] returns every rule broken, in the order of the facts.
//!
//! The rules (each with its code in the anomaly catalogue):
//! - `DATE-NAIS`: a birth date after today, or before 1 January 1900;
//! - `DEM-AGE`: the applicant and every co-applicant of age (18) on the reference day;
//! - `DEM-COTIT`: a married applicant (`M`) names a spouse (`lienDemandeur` `M`) among the
//!   co-applicants, one in a civil union (`P`) a partner (`P`); and a spouse or partner
//!   co-applicant goes with that family situation;
//! - `DEM-MOTIF`: motive `23` (other) comes with `compAutreMotif`;
//! - `COM-INC`: every commune code (desired, addresses) exists in the official geography;
//! - `COM-TERR`: desired communes lie within the counter's territory, when it is configured;
//! - `REV-ANNEE`: `anneeMoins1` is one of the two years before the reference year and
//!   `anneeMoins2` the year before `anneeMoins1`.

use time::Date;

use super::demande::plus_mois;
use super::geographie::{self, Perimetre};

/// A value read from the file, with the path of the element it came from.
#[derive(Debug, Clone)]
pub struct Fait<T> {
    /// The value.
    pub valeur: T,
    /// Where it is in the file.
    pub chemin: String,
}

impl<T> Fait<T> {
    /// `valeur` found at `chemin`.
    pub fn new(valeur: T, chemin: impl Into<String>) -> Fait<T> {
        Fait { valeur, chemin: chemin.into() }
    }
}

/// A co-applicant as the rules see them.
#[derive(Debug, Clone)]
pub struct CotitulaireFaits {
    /// Birth date (`None` when not a representable date).
    pub date_naissance: Fait<Option<Date>>,
    /// `lienDemandeur` code.
    pub lien: Fait<String>,
}

/// Income years of one person.
#[derive(Debug, Clone)]
pub struct RevenusFaits {
    /// `anneeMoins1`, with its path.
    pub annee_moins1: Option<Fait<i32>>,
    /// `anneeMoins2`, with its path.
    pub annee_moins2: Option<Fait<i32>>,
}

/// What the rules read of an application file.
#[derive(Debug, Clone, Default)]
pub struct Dossier {
    /// The applicant's birth date (absent for an association).
    pub naissance_demandeur: Option<Fait<Option<Date>>>,
    /// The applicant's `situationFamiliale` code.
    pub situation_familiale: Option<Fait<String>>,
    /// Where co-applicants go (`.../personnePhysique/listeCotitulaire`).
    pub chemin_cotitulaires: String,
    /// Co-applicants.
    pub cotitulaires: Vec<CotitulaireFaits>,
    /// Dependants' birth dates.
    pub naissances_a_charge: Vec<Fait<Option<Date>>>,
    /// `motifDemande` codes, at the path of `principauxMotifDemande`.
    pub motifs: Option<Fait<Vec<String>>>,
    /// Whether `compAutreMotif` is there and not blank.
    pub autre_motif: bool,
    /// Desired communes.
    pub communes_souhaitees: Vec<Fait<String>>,
    /// Communes of French addresses (applicant, co-applicants, employer, current housing).
    pub communes_adresses: Vec<Fait<String>>,
    /// Income years of the applicant and co-applicants.
    pub revenus: Vec<RevenusFaits>,
}

/// A broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Its code in the anomaly catalogue.
    pub code: &'static str,
    /// The path of the offending element.
    pub chemin: String,
    /// What is wrong, in French, naming the rule.
    pub message: String,
}

fn violation(code: &'static str, chemin: &str, message: String) -> Violation {
    Violation { code, chemin: chemin.to_string(), message }
}

/// Age in whole years on `jour` of someone born on `naissance`.
pub fn age(naissance: Date, jour: Date) -> i32 {
    let mut age = jour.year() - naissance.year();
    if (u8::from(jour.month()), jour.day()) < (u8::from(naissance.month()), naissance.day()) {
        age -= 1;
    }
    age
}

/// The age of majority.
pub const MAJORITE: i32 = 18;
const NAISSANCE_MIN: Date = time::macros::date!(1900 - 01 - 01);

/// Every rule `d` breaks. `reference` is the day ages and income years are counted on (the
/// filing date of a CRE, the renewal date of a REN, today for a MOD); `aujourd_hui` bounds
/// birth dates; `perimetre` is the counter's territory, if configured.
pub fn controler(d: &Dossier, reference: Date, aujourd_hui: Date, perimetre: Option<&Perimetre>) -> Vec<Violation> {
    let mut out = Vec::new();
    let naissance = |fait: &Fait<Option<Date>>, majeur: Option<&str>, out: &mut Vec<Violation>| {
        let Some(date) = fait.valeur else { return };
        if date > aujourd_hui || date < NAISSANCE_MIN {
            out.push(violation(
                "DATE-NAIS",
                &fait.chemin,
                format!("La date de naissance {date} n'est pas plausible : elle doit être comprise entre le 1er janvier 1900 et aujourd'hui ({aujourd_hui})."),
            ));
        } else if let Some(qui) = majeur {
            let a = age(date, reference);
            if a < MAJORITE {
                out.push(violation(
                    "DEM-AGE",
                    &fait.chemin,
                    format!(
                        "{qui} doit être majeur à la date de la demande ({reference}) : né le {date}, il a {a} ans ; il ne le sera que le {}.",
                        plus_mois(date, 12 * MAJORITE as u32)
                    ),
                ));
            }
        }
    };
    if let Some(f) = &d.naissance_demandeur {
        naissance(f, Some("Le demandeur"), &mut out);
    }
    for c in &d.cotitulaires {
        naissance(&c.date_naissance, Some("Un cotitulaire"), &mut out);
    }
    for f in &d.naissances_a_charge {
        naissance(f, None, &mut out);
    }

    if let Some(situation) = &d.situation_familiale {
        for (code, lien, libelle_situation, libelle_lien) in
            [("M", "M", "marié", "conjoint"), ("P", "P", "pacsé", "partenaire de PACS")]
        {
            let a_le_lien = d.cotitulaires.iter().any(|c| c.lien.valeur == lien);
            if situation.valeur == code && !a_le_lien {
                out.push(violation(
                    "DEM-COTIT",
                    &d.chemin_cotitulaires,
                    format!("Le demandeur est {libelle_situation} (situationFamiliale {code}) : son {libelle_lien} figure parmi les cotitulaires (lienDemandeur {lien})."),
                ));
            }
            for c in d.cotitulaires.iter().filter(|c| c.lien.valeur == lien) {
                if situation.valeur != code {
                    out.push(violation(
                        "DEM-COTIT",
                        &c.lien.chemin,
                        format!(
                            "Un cotitulaire est déclaré {libelle_lien} (lienDemandeur {lien}) alors que la situation familiale du demandeur est {} : {code} attendue.",
                            situation.valeur
                        ),
                    ));
                }
            }
        }
    }

    if let Some(m) = &d.motifs {
        if m.valeur.iter().any(|c| c == "23") && !d.autre_motif {
            out.push(violation(
                "DEM-MOTIF",
                &m.chemin,
                "Le motif 23 (autre motif) est précisé dans compAutreMotif, absent ou vide ici.".into(),
            ));
        }
    }

    for f in &d.communes_souhaitees {
        match geographie::commune(&f.valeur) {
            None => out.push(inconnue(f)),
            Some(c) => {
                if let Some(p) = perimetre.filter(|p| !p.contient(&c)) {
                    out.push(violation(
                        "COM-TERR",
                        &f.chemin,
                        format!(
                            "La commune souhaitée {} ({}) est hors du territoire du guichet ({}).",
                            c.code,
                            c.nom,
                            p.description()
                        ),
                    ));
                }
            }
        }
    }
    for f in &d.communes_adresses {
        if geographie::commune(&f.valeur).is_none() {
            out.push(inconnue(f));
        }
    }

    let annee = reference.year();
    for r in &d.revenus {
        if let Some(m1) = &r.annee_moins1 {
            if m1.valeur != annee - 1 && m1.valeur != annee - 2 {
                out.push(violation(
                    "REV-ANNEE",
                    &m1.chemin,
                    format!(
                        "anneeMoins1 vaut {} : pour une demande de {annee}, les revenus de {} (ou de {} avant l'avis d'imposition) sont attendus.",
                        m1.valeur,
                        annee - 1,
                        annee - 2
                    ),
                ));
            } else if let Some(m2) = r.annee_moins2.as_ref().filter(|m2| m2.valeur != m1.valeur - 1) {
                out.push(violation(
                    "REV-ANNEE",
                    &m2.chemin,
                    format!(
                        "anneeMoins2 vaut {} : l'année précédant anneeMoins1 ({}) est attendue.",
                        m2.valeur,
                        m1.valeur - 1
                    ),
                ));
            }
        }
    }
    out
}

fn inconnue(f: &Fait<String>) -> Violation {
    violation(
        "COM-INC",
        &f.chemin,
        format!(
            "La commune {} n'existe pas dans le découpage administratif officiel (code INSEE de commune ou d'arrondissement municipal attendu).",
            crate::text::extrait(&f.valeur, 10)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn dossier() -> Dossier {
        Dossier {
            naissance_demandeur: Some(Fait::new(Some(date!(1990 - 04 - 17)), "d/dateNaissance")),
            situation_familiale: Some(Fait::new("C".to_string(), "d/situationFamiliale")),
            chemin_cotitulaires: "pp/listeCotitulaire".into(),
            communes_souhaitees: vec![Fait::new("31555".to_string(), "l[1]/commune/@code")],
            ..Dossier::default()
        }
    }

    const JOUR: Date = date!(2026 - 11 - 02);

    fn codes(d: &Dossier, perimetre: Option<&Perimetre>) -> Vec<(&'static str, String)> {
        controler(d, JOUR, JOUR, perimetre).into_iter().map(|v| (v.code, v.chemin)).collect()
    }

    #[test]
    fn a_plain_file_breaks_nothing() {
        assert!(codes(&dossier(), None).is_empty());
    }

    #[test]
    fn ages_are_counted_on_the_reference_day() {
        assert_eq!(age(date!(2008 - 11 - 02), JOUR), 18);
        assert_eq!(age(date!(2008 - 11 - 03), JOUR), 17);
        let mut d = dossier();
        d.naissance_demandeur = Some(Fait::new(Some(date!(2008 - 11 - 03)), "d/dateNaissance"));
        assert_eq!(codes(&d, None), [("DEM-AGE", "d/dateNaissance".to_string())]);
        let m = &controler(&d, JOUR, JOUR, None)[0].message;
        assert!(m.contains("17 ans") && m.contains("2026-11-03"), "{m}");
        d.naissance_demandeur = Some(Fait::new(Some(date!(2026 - 11 - 03)), "d/dateNaissance"));
        assert_eq!(codes(&d, None)[0].0, "DATE-NAIS");
        d.naissance_demandeur = Some(Fait::new(Some(date!(1899 - 12 - 31)), "d/dateNaissance"));
        assert_eq!(codes(&d, None)[0].0, "DATE-NAIS");
        // A dependant may be a child, not born in the future.
        let mut d = dossier();
        d.naissances_a_charge =
            vec![Fait::new(Some(date!(2020 - 01 - 01)), "a[1]"), Fait::new(Some(date!(2027 - 01 - 01)), "a[2]")];
        assert_eq!(codes(&d, None), [("DATE-NAIS", "a[2]".to_string())]);
    }

    #[test]
    fn a_married_applicant_names_a_spouse_and_only_then() {
        let mut d = dossier();
        d.situation_familiale = Some(Fait::new("M".to_string(), "d/situationFamiliale"));
        assert_eq!(codes(&d, None), [("DEM-COTIT", "pp/listeCotitulaire".to_string())]);
        let conjoint = CotitulaireFaits {
            date_naissance: Fait::new(Some(date!(1991 - 01 - 01)), "c[1]/dateNaissance"),
            lien: Fait::new("M".to_string(), "c[1]/lienDemandeur"),
        };
        d.cotitulaires = vec![conjoint.clone()];
        assert!(codes(&d, None).is_empty());
        d.situation_familiale = Some(Fait::new("C".to_string(), "d/situationFamiliale"));
        assert_eq!(codes(&d, None), [("DEM-COTIT", "c[1]/lienDemandeur".to_string())]);
        d.situation_familiale = Some(Fait::new("P".to_string(), "d/situationFamiliale"));
        assert_eq!(codes(&d, None).len(), 2, "partner missing, and a spouse that should not be");
    }

    #[test]
    fn motive_23_needs_its_text() {
        let mut d = dossier();
        d.motifs = Some(Fait::new(vec!["01".to_string(), "23".to_string()], "pmd"));
        assert_eq!(codes(&d, None), [("DEM-MOTIF", "pmd".to_string())]);
        d.autre_motif = true;
        assert!(codes(&d, None).is_empty());
    }

    #[test]
    fn communes_exist_and_desired_ones_lie_in_the_territory() {
        let mut d = dossier();
        d.communes_souhaitees.push(Fait::new("33063".to_string(), "l[2]/commune/@code"));
        d.communes_souhaitees.push(Fait::new("31999".to_string(), "l[3]/commune/@code"));
        d.communes_adresses.push(Fait::new("00000".to_string(), "adresse/commune/@code"));
        let perimetre = Perimetre { departements: ["31".to_string()].into(), communes: Default::default() };
        assert_eq!(
            codes(&d, Some(&perimetre)),
            [
                ("COM-TERR", "l[2]/commune/@code".to_string()),
                ("COM-INC", "l[3]/commune/@code".to_string()),
                ("COM-INC", "adresse/commune/@code".to_string()),
            ]
        );
        let m = controler(&d, JOUR, JOUR, Some(&perimetre))[0].message.clone();
        assert!(m.contains("Bordeaux") && m.contains("départements 31"), "{m}");
        assert_eq!(codes(&d, None).len(), 2, "no territory configured: existence only");
    }

    #[test]
    fn income_years_follow_the_reference_year() {
        let revenus = |m1: i32, m2: Option<i32>| RevenusFaits {
            annee_moins1: Some(Fait::new(m1, "r/anneeMoins1")),
            annee_moins2: m2.map(|v| Fait::new(v, "r/anneeMoins2")),
        };
        let mut d = dossier();
        for (m1, m2, attendu) in [
            (2025, Some(2024), None),
            (2024, Some(2023), None),
            (2026, None, Some("r/anneeMoins1")),
            (2023, None, Some("r/anneeMoins1")),
            (2025, Some(2025), Some("r/anneeMoins2")),
        ] {
            d.revenus = vec![revenus(m1, m2)];
            let got: Vec<String> = codes(&d, None).into_iter().map(|(_, c)| c).collect();
            assert_eq!(got, attendu.into_iter().map(str::to_string).collect::<Vec<_>>(), "{m1} {m2:?}");
        }
    }
}
