//! The contract generator: reads `schemas/*.xsd` and writes `src/contract/generated/`.
//!
//! It runs as a test, in the manner of rust-analyzer's `xtask codegen`: `generated_code_is_fresh`
//! regenerates everything in memory and fails when the checked-in files differ; with
//! `UPDATE_GENERATED=1` it rewrites them instead. Run
//! `UPDATE_GENERATED=1 cargo test generated_code_is_fresh` after changing a schema, and commit.

pub mod categories;
pub mod model;
pub mod tables;
pub mod types;
pub mod version_0200;

use std::path::{Path, PathBuf};

/// Schema files turned into validator tables, with the module each one becomes.
pub const TABLES: &[(&str, &str)] =
    &[("InterfaceNuu_v0200.xsd", "schema_v0200"), ("InterfaceNuu_v0201.xsd", "schema_v0201")];

/// The other business files (search, events, event types): each defines its own global
/// `interfaceNuu` in the same namespace, so each gets its own validator table (`<module>_schema`)
/// and typed view (`<module>`), and the operation chooses which applies.
pub const FICHIERS: &[(&str, &str)] = &[
    ("InterfaceNuuRecherche_v0200.xsd", "recherche"),
    ("InterfaceNuuGPEvenement_v0200.xsd", "evenement"),
    ("InterfaceNuuGPTypeEvenement_v0200.xsd", "type_evenement"),
];

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
    let mut models = Vec::new();
    for (xsd, _) in TABLES {
        models.push(model::read(dir, xsd).map_err(|e| e.to_string())?);
    }
    let tables: Vec<tables::Table> = models.iter().map(tables::table).collect::<Result<_, _>>()?;
    let shared = tables::shared(&tables);
    // Main files first, then what they include, each once.
    let mut common_files: Vec<String> = models.iter().map(|m| m.files[0].clone()).collect();
    for f in models.iter().flat_map(|m| &m.files[1..]) {
        if !common_files.contains(f) {
            common_files.push(f.clone());
        }
    }
    let common = tables::emit_common(&tables, &shared, &header(&common_files));
    out.push((format!("{}.rs", tables::COMMON_MODULE), common));
    let versions: Vec<&str> = TABLES.iter().map(|(f, _)| *f).collect();
    mods.push((
        format!("mod {}", tables::COMMON_MODULE),
        format!("Validator descriptors identical in every version ({}).", versions.join(", ")),
    ));
    for (((_, module), model), table) in TABLES.iter().zip(&models).zip(&tables) {
        out.push((format!("{module}.rs"), tables::emit_version(table, &shared, &header(&model.files))));
        mods.push((format!("pub mod {module}"), format!("Validator tables of {}.", model.files.join(" + "))));
    }
    let model = model::read(dir, TYPES_FROM).map_err(|e| e.to_string())?;
    if model.namespace != crate::contract::NS_FICHIER {
        return Err(format!("{TYPES_FROM} : espace de noms {} inattendu", model.namespace));
    }
    out.push(("types.rs".to_string(), types::emit(&model, &header(&model.files))?));
    mods.push(("pub mod types".to_string(), format!("Typed view of {}.", model.files.join(" + "))));
    for (xsd, module) in FICHIERS {
        let model = model::read(dir, xsd).map_err(|e| e.to_string())?;
        let table = tables::table(&model)?;
        let files = model.files.join(" + ");
        let shared = std::collections::HashSet::new();
        out.push((format!("{module}_schema.rs"), tables::emit_version(&table, &shared, &header(&model.files))));
        mods.push((format!("pub mod {module}_schema"), format!("Validator table of {files}.")));
        out.push((format!("{module}.rs"), types::emit(&model, &header(&model.files))?));
        mods.push((format!("pub mod {module}"), format!("Typed view of {files}.")));
    }
    let categories = categories::read(dir)?;
    out.push(("categories.rs".to_string(), categories::emit(&categories, &header(&[categories::FROM.to_string()]))));
    mods.push((
        "pub mod categories".to_string(),
        format!("Categories of supporting documents of {}.", categories::FROM),
    ));
    let mut m = header(&[TYPES_FROM.to_string()]).replace(
        &format!("schemas/{TYPES_FROM}"),
        &TABLES.iter().map(|(f, _)| format!("schemas/{f}")).collect::<Vec<_>>().join(", "),
    );
    m.push_str("//! Code generated from the XSD schemas of the application file.\n\n");
    for (module, doc) in mods {
        m.push_str(&format!("/// {doc}\n{module};\n"));
    }
    out.push(("mod.rs".to_string(), m));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_code_is_fresh() {
        let update = std::env::var_os("UPDATE_GENERATED").is_some_and(|v| v == "1");
        // Interface 02.00's schema first: the tables below are read from it.
        let source = std::fs::read_to_string(schema_dir().join(version_0200::SOURCE)).unwrap();
        let derive = version_0200::deriver(&source).unwrap_or_else(|e| panic!("dérivation impossible : {e}"));
        let chemin = schema_dir().join(version_0200::FICHIER);
        let schema_perime = std::fs::read_to_string(&chemin).unwrap_or_default() != derive;
        if schema_perime && update {
            std::fs::write(&chemin, &derive).unwrap();
        }
        assert!(
            !schema_perime || update,
            "schemas/{} is not derived from {}: run `UPDATE_GENERATED=1 cargo test generated_code_is_fresh` and commit",
            version_0200::FICHIER,
            version_0200::SOURCE
        );
        let files = generate(&schema_dir()).unwrap_or_else(|e| panic!("génération impossible : {e}"));
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

    /// A version of a small schema: `_code` has `max_length` characters; `t_code` uses it and
    /// `r` uses `t_code`; `_nom` and `t_nom` do not depend on it.
    fn small_version(dir: &Path, file: &str, max_length: u32) -> tables::Table {
        let xsd = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="urn:t" targetNamespace="urn:t"
           elementFormDefault="qualified" version="{max_length}">
  <xs:element name="r">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="c" type="t_code"/>
        <xs:element name="n" type="t_nom"/>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
  <xs:complexType name="t_code"><xs:attribute name="code" type="_code"/></xs:complexType>
  <xs:complexType name="t_nom"><xs:simpleContent><xs:extension base="_nom"/></xs:simpleContent></xs:complexType>
  <xs:simpleType name="_code"><xs:restriction base="xs:string"><xs:maxLength value="{max_length}"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="_nom"><xs:restriction base="xs:string"><xs:pattern value="[a-z]+"/></xs:restriction></xs:simpleType>
</xs:schema>"#
        );
        std::fs::write(dir.join(file), xsd).unwrap();
        tables::table(&model::read(dir, file).unwrap()).unwrap()
    }

    #[test]
    fn only_descriptors_identical_down_to_their_leaves_are_shared() {
        let dir = tempfile::tempdir().unwrap();
        let a = small_version(dir.path(), "a.xsd", 5);
        let b = small_version(dir.path(), "b.xsd", 6);
        let src = |t: &tables::Table, n: &str| t.statics.iter().find(|s| s.name == n).unwrap().src.clone();
        // t_code reads the same in both versions but points at a _code that differs.
        assert_eq!(src(&a, "CT_T_CODE"), src(&b, "CT_T_CODE"));
        assert_ne!(src(&a, "ST__CODE"), src(&b, "ST__CODE"));
        let tables = [a, b];
        let shared = tables::shared(&tables);
        let mut names: Vec<&str> = shared.iter().map(String::as_str).collect();
        names.sort();
        assert_eq!(names, ["CT_T_NOM", "PAT__NOM", "ST__NOM"]);

        let common = tables::emit_common(&tables, &shared, "");
        let version = tables::emit_version(&tables[0], &shared, "");
        for name in ["PAT__NOM", "ST__NOM", "CT_T_NOM"] {
            assert!(common.contains(&format!("pub(super) static {name}:")), "{name} absent du module commun");
            assert!(!version.contains(&format!("static {name}:")), "{name} répété dans la version");
        }
        for name in ["ST__CODE", "CT_T_CODE", "CT_ELEMENT_R"] {
            assert!(!common.contains(&format!("static {name}:")), "{name} partagé à tort");
            assert!(version.contains(&format!("\nstatic {name}:")), "{name} absent de la version");
        }
        assert!(version.contains("use super::schema_common::*;") && version.contains("pub static SCHEMA"));
        // Nothing to share with a single version.
        assert!(tables::shared(&tables[..1]).is_empty());
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
