//! The contract generator: reads `schemas/*.xsd` and writes `src/contract/generated/`.
//!
//! It runs as a test, in the manner of rust-analyzer's `xtask codegen`: `generated_code_is_fresh`
//! regenerates everything in memory and fails when the checked-in files differ; with
//! `UPDATE_GENERATED=1` it rewrites them instead. Run
//! `UPDATE_GENERATED=1 cargo test generated_code_is_fresh` after changing a schema, and commit.

pub mod model;
pub mod tables;
pub mod types;

use std::path::{Path, PathBuf};

/// Schema files turned into validator tables, with the module each one becomes.
pub const TABLES: &[(&str, &str)] =
    &[("InterfaceNuu_v0200.xsd", "schema_v0200"), ("InterfaceNuu_v0201.xsd", "schema_v0201")];

/// Schema file the typed structs come from (the newest interface; 02.00 is a subset).
pub const TYPES_FROM: &str = "InterfaceNuu_v0201.xsd";

/// Directory of the schemas.
pub fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

/// Directory of the generated modules.
pub fn generated_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/contract/generated")
}

fn header(files: &[String]) -> String {
    let files: Vec<String> = files.iter().map(|f| format!("schemas/{f}")).collect();
    format!(
        "// Generated from {} by src/contract/codegen; do not edit by hand. Run UPDATE_GENERATED=1 cargo test generated_code_is_fresh\n\n",
        files.join(", ")
    )
}

/// Every generated file: (file name in `generated/`, content).
pub fn generate(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut mods = Vec::new();
    for (xsd, module) in TABLES {
        let model = model::read(dir, xsd).map_err(|e| e.to_string())?;
        out.push((format!("{module}.rs"), tables::emit(&model, &header(&model.files))?));
        mods.push((module.to_string(), format!("Validator tables of {}.", model.files.join(" + "))));
    }
    let model = model::read(dir, TYPES_FROM).map_err(|e| e.to_string())?;
    if model.namespace != crate::contract::NS_FICHIER {
        return Err(format!("{TYPES_FROM} : espace de noms {} inattendu", model.namespace));
    }
    out.push(("types.rs".to_string(), types::emit(&model, &header(&model.files))?));
    mods.push(("types".to_string(), format!("Typed view of {}.", model.files.join(" + "))));
    let mut m = header(&[TYPES_FROM.to_string()]).replace(
        &format!("schemas/{TYPES_FROM}"),
        &TABLES.iter().map(|(f, _)| format!("schemas/{f}")).collect::<Vec<_>>().join(", "),
    );
    m.push_str("//! Code generated from the XSD schemas of the application file.\n\n");
    for (module, doc) in mods {
        m.push_str(&format!("/// {doc}\npub mod {module};\n"));
    }
    out.push(("mod.rs".to_string(), m));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_code_is_fresh() {
        let files = generate(&schema_dir()).unwrap_or_else(|e| panic!("génération impossible : {e}"));
        let update = std::env::var_os("UPDATE_GENERATED").is_some_and(|v| v == "1");
        let dir = generated_dir();
        let mut stale = Vec::new();
        for (name, content) in files {
            let path = dir.join(&name);
            let current = std::fs::read_to_string(&path).unwrap_or_default();
            if current != content {
                if update {
                    std::fs::create_dir_all(&dir).unwrap();
                    std::fs::write(&path, content).unwrap();
                } else {
                    stale.push(name);
                }
            }
        }
        assert!(
            stale.is_empty(),
            "generated contract code is stale: run `UPDATE_GENERATED=1 cargo test generated_code_is_fresh` and commit ({})",
            stale.join(", ")
        );
    }

    #[test]
    fn patterns_translate_to_anchored_rust_regexes() {
        let t = |p: &str| regex::Regex::new(&tables::translate_pattern(p).unwrap()).unwrap();
        let tel = t("[0-9]{0,10}");
        assert!(tel.is_match("") && tel.is_match("0123456789"));
        assert!(!tel.is_match("01234567890") && !tel.is_match("a1"));
        let v = t("[0-9]{2}\\.[0-9]{2}");
        assert!(v.is_match("02.01") && !v.is_match("02x01") && !v.is_match("x02.01"));
        let mel = t("([a-zA-Z0-9_.\\-]+@[a-zA-Z0-9_.\\-]+\\.[a-zA-Z]{1,3})?");
        assert!(mel.is_match("") && mel.is_match("a.b@c.fr") && !mel.is_match("a@b.fran"));
        // XSD has no anchors: ^ and $ are literal characters; `.` excludes CR and LF.
        assert!(t("a^b$").is_match("a^b$"));
        assert!(t("a.c").is_match("abc") && !t("a.c").is_match("a\rc"));
        assert!(tables::translate_pattern("\\i\\c*").is_err());
        assert!(tables::translate_pattern("[a-z-[aeiou]]").is_err());
    }

    #[test]
    fn names_are_mechanical() {
        assert_eq!(types::snake("numUniqueAssocie"), "num_unique_associe");
        assert_eq!(types::snake("attribueEnComDALO"), "attribue_en_com_dalo");
        assert_eq!(types::snake("type"), "r#type");
        assert_eq!(types::upper_camel("doublon_demandeur"), "DoublonDemandeur");
        assert_eq!(types::upper_camel("demandeLogement"), "DemandeLogement");
    }
}
