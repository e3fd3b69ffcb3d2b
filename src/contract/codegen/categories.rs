//! The categories of supporting documents, read from the enumeration `codeCategorie` of the
//! document service's schema: each value with its label (`xs:documentation`) and its sensitive
//! flag (`xs:appinfo source="urn:sne-gateway:sensible"`). The schema is the one place they are
//! written; the table, the README and the checks follow from it.

use std::path::Path;

use crate::xml::{self, Element};

const XS: &str = "http://www.w3.org/2001/XMLSchema";
/// The schema that holds the list.
pub const FROM: &str = "PieceJustificativeImplService.xsd";
/// `source` of the appinfo that carries the sensitive flag.
pub const SENSIBLE: &str = "urn:sne-gateway:sensible";

/// One category as the schema declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Categorie {
    /// Code (10 letters or digits at most).
    pub code: String,
    /// French label.
    pub libelle: String,
    /// Health, handicap, violence, judgments: seen by counters and `consultant_sensible` only.
    pub sensible: bool,
}

fn xs<'a>(e: &'a Element, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
    e.elements().filter(move |c| c.is(Some(XS), name))
}

/// Reads the list from the schema file in `dir`.
pub fn read(dir: &Path) -> Result<Vec<Categorie>, String> {
    let bytes = std::fs::read(dir.join(FROM)).map_err(|e| format!("{FROM} : {e}"))?;
    let root = xml::parse(&bytes, xml::Limits { max_depth: 64, max_attributes: 64, ..xml::Limits::DEFAULT })
        .map_err(|e| format!("{FROM} : {e}"))?;
    let st = xs(&root, "simpleType")
        .find(|s| s.attribute("name") == Some("codeCategorie"))
        .ok_or_else(|| format!("{FROM} : pas de simpleType codeCategorie"))?;
    let restriction = xs(st, "restriction").next().ok_or_else(|| format!("{FROM} : codeCategorie sans restriction"))?;
    let mut out = Vec::new();
    for e in xs(restriction, "enumeration") {
        let code = e.attribute("value").unwrap_or_default().to_string();
        if code.is_empty() || code.len() > 10 || !code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
            return Err(format!("{FROM} : code de catégorie {code:?} (10 lettres majuscules ou chiffres au plus)"));
        }
        let annotation = xs(e, "annotation").next().ok_or_else(|| format!("{FROM} : {code} sans annotation"))?;
        let libelle = xs(annotation, "documentation")
            .next()
            .map(|d| d.text().split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .ok_or_else(|| format!("{FROM} : {code} sans libellé"))?;
        let sensible = match xs(annotation, "appinfo")
            .find(|a| a.attribute("source") == Some(SENSIBLE))
            .map(|a| a.text().trim().to_string())
            .as_deref()
        {
            Some("true") => true,
            Some("false") => false,
            _ => return Err(format!("{FROM} : {code} sans appinfo {SENSIBLE} (true ou false)")),
        };
        if out.iter().any(|c: &Categorie| c.code == code) {
            return Err(format!("{FROM} : catégorie {code} déclarée deux fois"));
        }
        out.push(Categorie { code, libelle, sensible });
    }
    if out.is_empty() {
        return Err(format!("{FROM} : aucune catégorie"));
    }
    Ok(out)
}

/// The generated module.
pub fn emit(categories: &[Categorie], header: &str) -> String {
    let mut s = header.to_string();
    s.push_str("//! Categories of supporting documents (enumeration `codeCategorie`).\n\n");
    s.push_str("use crate::contract::piece::Categorie;\n\n");
    s.push_str("/// Every category, in the schema's order.\n");
    s.push_str("pub static CATEGORIES: &[Categorie] = &[\n");
    for c in categories {
        s.push_str(&format!(
            "    Categorie {{ code: {:?}, libelle: {:?}, sensible: {} }},\n",
            c.code, c.libelle, c.sensible
        ));
    }
    s.push_str("];\n");
    s
}
