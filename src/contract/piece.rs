//! The document service's contract: categories of supporting documents (generated from the
//! schema's enumeration, `generated/categories.rs`) and the README table made from them.

pub use super::generated::categories::CATEGORIES;

/// A category of supporting documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Categorie {
    /// Code, as the schema spells it.
    pub code: &'static str,
    /// French label.
    pub libelle: &'static str,
    /// Health, handicap, violence, judgments: seen by counters and `consultant_sensible` only.
    pub sensible: bool,
}

/// The category of a code, if the schema declares it.
pub fn categorie(code: &str) -> Option<&'static Categorie> {
    CATEGORIES.iter().find(|c| c.code == code)
}

/// The README's table of categories.
pub fn table() -> String {
    let mut s = String::from("\n| code | pièce | sensible |\n|---|---|---|\n");
    for c in CATEGORIES {
        s.push_str(&format!("| `{}` | {} | {} |\n", c.code, c.libelle, if c.sensible { "oui" } else { "non" }));
    }
    s
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    const DEBUT: &str = "<!-- categories: debut -->";
    const FIN: &str = "<!-- categories: fin -->";

    #[test]
    fn the_readme_table_is_the_schema_list() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
        let readme = std::fs::read_to_string(&path).unwrap();
        let (avant, reste) = readme.split_once(DEBUT).expect("marqueur de début du tableau des catégories");
        let (_, apres) = reste.split_once(FIN).expect("marqueur de fin du tableau des catégories");
        let fresh = format!("{avant}{DEBUT}{}{FIN}{apres}", table());
        if std::env::var_os("UPDATE_GENERATED").is_some() {
            std::fs::write(&path, &fresh).unwrap();
            return;
        }
        assert!(
            readme == fresh,
            "le tableau des catégories du README n'est plus la liste du schéma : lancez `UPDATE_GENERATED=1 cargo test the_readme_table_is_the_schema_list` et commitez"
        );
    }

    #[test]
    fn sensitive_categories_are_health_handicap_violence_and_judgments() {
        let sensibles: Vec<&str> = CATEGORIES.iter().filter(|c| c.sensible).map(|c| c.code).collect();
        assert_eq!(sensibles, ["SEPARATION", "GROSSESSE", "EXPULSION", "HANDICAP", "SANTE", "VIOLENCE"]);
        assert_eq!(categorie("IDENTITE").map(|c| c.sensible), Some(false));
        assert!(categorie("identite").is_none());
    }
}
