//! The catalogues of event types: the national one embedded from
//! `assets/evenements/types-nationaux.toml` (its header documents the format) and installed at
//! every start, and territorial ones that operators add from files of the same format
//! (`sne-gateway evenements types ajouter`).

use serde::Deserialize;
use time::Date;

use crate::registry::depot::{CaracteristiqueType, TypeEvenement};

/// The national catalogue, as shipped.
pub const NATIONAL: &str = include_str!("../assets/evenements/types-nationaux.toml");

/// Why a catalogue file is refused: the type and the field, in French.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    /// Not TOML of the documented shape.
    #[error("catalogue illisible : {0}")]
    Toml(#[from] toml::de::Error),
    /// A value outside its limits.
    #[error("type {code} : {raison}")]
    Valeur {
        /// The type's code.
        code: String,
        /// What is wrong.
        raison: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fichier {
    #[serde(rename = "type", default)]
    types: Vec<TypeToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TypeToml {
    code: String,
    libelle: String,
    texte_sne: String,
    texte_pgp: String,
    publier: bool,
    multiples_attributions: bool,
    recherche: bool,
    reglementaire: bool,
    debut_validite: Option<String>,
    fin_validite: Option<String>,
    #[serde(rename = "caracteristique", default)]
    caracteristiques: Vec<CaracteristiqueToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaracteristiqueToml {
    code: String,
    libelle: String,
    #[serde(rename = "type")]
    type_valeur: String,
    obligatoire: bool,
    texte: String,
    aide: String,
    debut_validite: Option<String>,
    fin_validite: Option<String>,
}

fn code_valide(code: &str, max: usize) -> bool {
    !code.is_empty() && code.len() <= max && code.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Reads a catalogue: national types when `territoire` is `None`, else that territory's.
pub fn lire(texte: &str, territoire: Option<&str>) -> Result<Vec<TypeEvenement>, CatalogueError> {
    let fichier: Fichier = toml::from_str(texte)?;
    let mut out: Vec<TypeEvenement> = Vec::new();
    for t in fichier.types {
        let erreur = |raison: String| CatalogueError::Valeur { code: t.code.clone(), raison };
        if !code_valide(&t.code, 10) {
            return Err(erreur("code de 1 à 10 lettres ou chiffres attendu".into()));
        }
        if out.iter().any(|o| o.code == t.code) {
            return Err(erreur("code présent deux fois".into()));
        }
        for (champ, valeur, max) in
            [("libelle", &t.libelle, 100), ("texte_sne", &t.texte_sne, 500), ("texte_pgp", &t.texte_pgp, 500)]
        {
            if valeur.trim().is_empty() || valeur.chars().count() > max {
                return Err(erreur(format!("{champ} de 1 à {max} caractères attendu")));
            }
        }
        let (debut, fin) = periode(&t.debut_validite, &t.fin_validite).map_err(erreur)?;
        let mut caracteristiques: Vec<CaracteristiqueType> = Vec::new();
        for c in t.caracteristiques {
            let nom = format!("caractéristique {}", c.code);
            if !code_valide(&c.code, 10) || caracteristiques.iter().any(|o| o.code == c.code) {
                return Err(erreur(format!("{nom} : code de 1 à 10 lettres ou chiffres, unique dans le type")));
            }
            if !code_valide(&c.type_valeur, 3) {
                return Err(erreur(format!("{nom} : type de 1 à 3 lettres ou chiffres (TXT, DAT, NUM, BOO)")));
            }
            for (champ, valeur, max) in [("libelle", &c.libelle, 100), ("texte", &c.texte, 500), ("aide", &c.aide, 500)]
            {
                if valeur.chars().count() > max {
                    return Err(erreur(format!("{nom} : {champ} de {max} caractères au plus")));
                }
            }
            let (debut_validite, fin_validite) =
                periode(&c.debut_validite, &c.fin_validite).map_err(|r| erreur(format!("{nom} : {r}")))?;
            caracteristiques.push(CaracteristiqueType {
                code: c.code,
                libelle: c.libelle,
                type_valeur: c.type_valeur,
                obligatoire: c.obligatoire,
                texte_descriptif: c.texte,
                aide_a_la_saisie: c.aide,
                debut_validite,
                fin_validite,
            });
        }
        out.push(TypeEvenement {
            code: t.code,
            territoire: territoire.map(str::to_string),
            libelle: t.libelle,
            texte_pgp: t.texte_pgp,
            texte_sne: t.texte_sne,
            a_publier: t.publier,
            multiples_attributions: t.multiples_attributions,
            recherche_instruction: t.recherche,
            reglementaire: t.reglementaire,
            debut_validite: debut,
            fin_validite: fin,
            caracteristiques,
        });
    }
    Ok(out)
}

fn periode(debut: &Option<String>, fin: &Option<String>) -> Result<(Option<Date>, Option<Date>), String> {
    let jour = |s: &Option<String>, champ: &str| -> Result<Option<Date>, String> {
        s.as_deref()
            .map(|s| {
                Date::parse(s.trim(), time::macros::format_description!("[year]-[month]-[day]"))
                    .map_err(|_| format!("{champ} {s:?} n'est pas une date AAAA-MM-JJ"))
            })
            .transpose()
    };
    let (d, f) = (jour(debut, "debut_validite")?, jour(fin, "fin_validite")?);
    if let (Some(d), Some(f)) = (d, f) {
        if f < d {
            return Err(format!("fin_validite {f} avant debut_validite {d}"));
        }
    }
    Ok((d, f))
}

/// The national catalogue shipped with the binary.
pub fn nationaux() -> Vec<TypeEvenement> {
    lire(NATIONAL, None).expect("the shipped national catalogue is checked by a test")
}

/// One line per type, for operators.
pub fn ligne(t: &TypeEvenement) -> String {
    let drapeaux: Vec<&str> = [
        (t.reglementaire, "réglementaire"),
        (t.a_publier, "publié"),
        (t.recherche_instruction, "recherche"),
        (t.multiples_attributions, "attributions multiples"),
    ]
    .into_iter()
    .filter_map(|(b, n)| b.then_some(n))
    .collect();
    format!(
        "type {} {} « {} » [{}] caractéristiques : {}",
        t.territoire.as_deref().unwrap_or("national"),
        t.code,
        t.libelle,
        drapeaux.join(", "),
        if t.caracteristiques.is_empty() {
            "aucune".to_string()
        } else {
            t.caracteristiques
                .iter()
                .map(|c| format!("{}{}", c.code, if c.obligatoire { "*" } else { "" }))
                .collect::<Vec<_>>()
                .join(", ")
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogue_reads_and_fits_the_type_file() {
        let types = nationaux();
        assert!(types.len() >= 5);
        assert!(types.iter().any(|t| t.reglementaire) && types.iter().any(|t| !t.reglementaire));
        assert!(types.iter().all(|t| t.territoire.is_none()));
        assert!(types.iter().flat_map(|t| &t.caracteristiques).any(|c| c.obligatoire));
    }

    #[test]
    fn a_wrong_catalogue_names_the_type_and_the_field() {
        let base = "[[type]]\ncode = \"X1\"\nlibelle = \"L\"\ntexte_sne = \"S\"\ntexte_pgp = \"P\"\npublier = true\nmultiples_attributions = false\nrecherche = true\nreglementaire = false\n";
        assert_eq!(lire(base, Some("111")).unwrap()[0].territoire.as_deref(), Some("111"));
        for (texte, attendu) in [
            (base.replace("X1", "TROP-LONG-CODE"), "type TROP-LONG-CODE : code"),
            (format!("{base}debut_validite = \"2026-13-01\"\n"), "debut_validite"),
            (format!("{base}debut_validite = \"2026-02-01\"\nfin_validite = \"2026-01-01\"\n"), "avant"),
            (format!("{base}{base}"), "deux fois"),
            (format!("{base}couleur = \"bleu\"\n"), "couleur"),
            (
                format!("{base}[[type.caracteristique]]\ncode = \"C\"\nlibelle = \"c\"\ntype = \"TEXTE\"\nobligatoire = true\ntexte = \"t\"\naide = \"a\"\n"),
                "caractéristique C : type",
            ),
        ] {
            let e = lire(&texte, None).unwrap_err().to_string();
            assert!(e.contains(attendu), "{e}");
        }
    }
}
