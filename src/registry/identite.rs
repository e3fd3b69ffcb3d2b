//! Identities for the duplicates search: names and birth dates normalised so that the spellings
//! of one person meet (`Hélène`/`HELENE`/`Helene`, `Le Gall`/`LE-GALL`/`Legall`,
//! `N'Diaye`/`NDIAYE`), and only ever stored as keyed hashes.

use time::Date;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// A person as the duplicates search knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identite {
    /// Surname (`nom`).
    pub nom: String,
    /// Birth name (`nomPatronymique`), when it differs.
    pub nom_naissance: Option<String>,
    /// First name.
    pub prenom: String,
    /// Birth date.
    pub date_naissance: Date,
}

/// Upper case, accents and ligatures undone, every character other than a letter or a digit
/// dropped (spaces, hyphens, apostrophes, dots).
pub fn normaliser(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd().filter(|c| !is_combining_mark(*c)) {
        match c {
            'œ' | 'Œ' => out.push_str("OE"),
            'æ' | 'Æ' => out.push_str("AE"),
            'ß' => out.push_str("SS"),
            'ø' | 'Ø' => out.push('O'),
            'đ' | 'Đ' => out.push('D'),
            'ł' | 'Ł' => out.push('L'),
            c if c.is_alphanumeric() => out.extend(c.to_uppercase()),
            _ => {}
        }
    }
    out
}

impl Identite {
    /// The names this person may be known by (surname, birth name), normalised, each once.
    pub fn noms(&self) -> Vec<String> {
        let mut noms = vec![normaliser(&self.nom)];
        if let Some(n) = self.nom_naissance.as_deref().map(normaliser) {
            if !noms.contains(&n) {
                noms.push(n);
            }
        }
        noms.retain(|n| !n.is_empty());
        noms
    }

    /// The forms under which the duplicates meet this person: one per name, with the first
    /// name and the birth date (`NOM|PRENOM|AAAA-MM-JJ`).
    pub fn formes(&self) -> Vec<String> {
        let prenom = normaliser(&self.prenom);
        self.noms().into_iter().map(|nom| format!("{nom}|{prenom}|{}", self.date_naissance)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_spellings_of_one_name_meet() {
        for group in [
            &["Hélène", "HELENE", "Helene", "hélène ", "HÉLÈNE"][..],
            &["Le Gall", "LE-GALL", "Legall", "le gall", "Le  Gall"],
            &["N'Diaye", "NDIAYE", "N’Diaye", "n diaye"],
            &["Zoë", "ZOE"],
            &["Łukasz", "LUKASZ"],
            &["Nguyễn", "NGUYEN"],
            &["Ødegaard", "ODEGAARD"],
            &["Cœur", "COEUR"],
        ] {
            let first = normaliser(group[0]);
            for s in group {
                assert_eq!(normaliser(s), first, "{s:?} vs {:?}", group[0]);
            }
        }
        assert_ne!(normaliser("Martin"), normaliser("Martine"));
    }

    #[test]
    fn a_person_is_found_under_surname_and_birth_name() {
        let p = Identite {
            nom: "Dupont-Martin".into(),
            nom_naissance: Some("Martin".into()),
            prenom: "Jeanne".into(),
            date_naissance: date!(1980 - 01 - 31),
        };
        assert_eq!(p.formes(), ["DUPONTMARTIN|JEANNE|1980-01-31", "MARTIN|JEANNE|1980-01-31"]);
        let meme = Identite { nom_naissance: Some("DUPONT MARTIN".into()), ..p.clone() };
        assert_eq!(meme.formes().len(), 1, "the same name twice is one form");
    }
}
