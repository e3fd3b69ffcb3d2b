//! The official geography: communes and municipal arrondissements with their département and
//! name, embedded from `communes.tsv`, which `tools/communes/reduire.mjs` makes from Etalab's
//! `@etalab/decoupage-administratif` (a test checks the table is what the script makes); and the
//! territories of the configuration, each a list of départements or communes.

use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

const TABLE: &str = include_str!("communes.tsv");

/// A commune of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Commune {
    /// INSEE code (5 characters; `2A`/`2B` for Corsica).
    pub code: &'static str,
    /// Département code (`31`, `2A`, `971`).
    pub departement: &'static str,
    /// Official name.
    pub nom: &'static str,
}

static COMMUNES: LazyLock<Vec<Commune>> = LazyLock::new(|| {
    TABLE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| {
            let mut f = l.split('\t');
            Some(Commune { code: f.next()?, departement: f.next()?, nom: f.next()? })
        })
        .collect()
});

/// The commune of INSEE code `code`, if it exists (current communes and municipal
/// arrondissements; delegated and associated communes no longer count as communes).
pub fn commune(code: &str) -> Option<Commune> {
    let communes = &*COMMUNES;
    communes.binary_search_by(|c| c.code.cmp(code)).ok().map(|i| communes[i])
}

/// Every commune of the table, in code order.
pub fn toutes() -> impl Iterator<Item = Commune> {
    COMMUNES.iter().copied()
}

/// Where a territory's applications may ask for housing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Perimetre {
    /// Whole départements.
    pub departements: BTreeSet<String>,
    /// Single communes (INSEE codes).
    pub communes: BTreeSet<String>,
}

impl Perimetre {
    /// Whether `c` is inside.
    pub fn contient(&self, c: &Commune) -> bool {
        self.departements.contains(c.departement) || self.communes.contains(c.code)
    }

    /// How it reads in a message: "départements 31, 32 ; communes 33063".
    pub fn description(&self) -> String {
        let mut parts = Vec::new();
        if !self.departements.is_empty() {
            parts.push(format!("départements {}", self.departements.iter().cloned().collect::<Vec<_>>().join(", ")));
        }
        if !self.communes.is_empty() {
            let mut communes: Vec<String> = self.communes.iter().take(10).cloned().collect();
            if self.communes.len() > 10 {
                communes.push(format!("et {} autres", self.communes.len() - 10));
            }
            parts.push(format!("communes {}", communes.join(", ")));
        }
        parts.join(" ; ")
    }
}

/// The territories of the configuration; a territory without an entry has no perimeter (any
/// existing commune is accepted).
#[derive(Debug, Clone, Default)]
pub struct Territoires(HashMap<String, Perimetre>);

impl Territoires {
    /// Sets the perimeter of territory `code`.
    pub fn definir(&mut self, code: &str, perimetre: Perimetre) {
        self.0.insert(code.to_string(), perimetre);
    }

    /// The perimeter of `code`, if configured.
    pub fn perimetre(&self, code: &str) -> Option<&Perimetre> {
        self.0.get(code)
    }
}

/// Whether `code` names a département of the table (`01`…`95`, `2A`, `2B`, `971`…).
pub fn departement_existe(code: &str) -> bool {
    COMMUNES.iter().any(|c| c.departement == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_table_knows_communes_arrondissements_and_corsica() {
        assert_eq!(commune("31555").map(|c| (c.departement, c.nom)), Some(("31", "Toulouse")));
        assert_eq!(commune("75112").map(|c| c.nom), Some("Paris 12e Arrondissement"));
        assert_eq!(commune("2A004").map(|c| c.departement), Some("2A"));
        assert_eq!(commune("97411").map(|c| c.departement), Some("974"));
        assert!(commune("31-55").is_none() && commune("99999").is_none() && commune("").is_none());
        assert!(COMMUNES.len() > 34_000, "{}", COMMUNES.len());
        assert!(COMMUNES.windows(2).all(|w| w[0].code < w[1].code), "sorted, for the binary search");
        assert!(departement_existe("2B") && !departement_existe("20"));
    }

    #[test]
    fn a_perimeter_holds_departements_and_communes() {
        let p = Perimetre { departements: ["31".to_string()].into(), communes: ["33063".to_string()].into() };
        assert!(p.contient(&commune("31069").unwrap()));
        assert!(p.contient(&commune("33063").unwrap()));
        assert!(!p.contient(&commune("33281").unwrap()));
        assert_eq!(p.description(), "départements 31 ; communes 33063");
    }

    /// The checked-in table is exactly what the documented script makes from the pinned Etalab
    /// package (installed by `tests/interop/install.sh`, which the README's test command runs).
    #[test]
    fn the_communes_table_is_what_the_script_makes() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let package = root.join("tools/communes/node_modules/@etalab/decoupage-administratif");
        assert!(
            package.is_dir(),
            "paquet Etalab absent : lancez `npm ci --prefix tools/communes` (tests/interop/install.sh le fait)"
        );
        let out = std::process::Command::new("node")
            .arg(root.join("tools/communes/reduire.mjs"))
            .output()
            .expect("node est nécessaire pour refaire la table des communes");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(
            out.stdout == TABLE.as_bytes(),
            "src/registry/communes.tsv n'est plus ce que fait tools/communes/reduire.mjs : régénérez-la"
        );
    }
}
