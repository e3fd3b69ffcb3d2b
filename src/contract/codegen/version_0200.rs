//! Interface 02.00 of the application file, derived from 02.01: the two published schemas differ
//! in exactly three elements, all added by 02.01 (`t_demandeLogement/informationTraitement` with
//! its type `t_informationTraitement`, `t_demandeur/notifSms` and `t_demandeur/notifEvt`), so
//! `InterfaceNuu_v0200.xsd` is written from `InterfaceNuu_v0201.xsd` rather than kept by hand.
//! The freshness test (`generated_code_is_fresh`) compares the checked-in file with this output.

/// The schema file derived here.
pub const FICHIER: &str = "InterfaceNuu_v0200.xsd";

/// The schema file it is derived from.
pub const SOURCE: &str = "InterfaceNuu_v0201.xsd";

/// Element declarations of 02.01 only, each on a line of its own.
const ELEMENTS_0201: [&str; 3] = [
    r#"<xs:element name="informationTraitement" type="t_informationTraitement" minOccurs="0"/>"#,
    r#"<xs:element name="notifSms" type="t_boolean" minOccurs="0"/>"#,
    r#"<xs:element name="notifEvt" type="t_boolean" minOccurs="0"/>"#,
];

/// The type of 02.01 only.
const TYPE_0201: &str = r#"<xs:complexType name="t_informationTraitement">"#;

/// `InterfaceNuu_v0200.xsd` from the text of `InterfaceNuu_v0201.xsd`; an error names what the
/// source no longer has (each removal must match exactly once).
pub fn deriver(source: &str) -> Result<String, String> {
    let mut lignes: Vec<&str> = source.lines().collect();
    for element in ELEMENTS_0201 {
        let trouvees: Vec<usize> = (0..lignes.len()).filter(|&i| lignes[i].trim() == element).collect();
        let [i] = trouvees[..] else {
            return Err(format!("{SOURCE} : {element} trouvé {} fois (1 attendu)", trouvees.len()));
        };
        lignes.remove(i);
    }
    let debut = lignes
        .iter()
        .position(|l| l.trim() == TYPE_0201)
        .ok_or_else(|| format!("{SOURCE} : {TYPE_0201} introuvable"))?;
    let fin = debut
        + lignes[debut..]
            .iter()
            .position(|l| l.trim() == "</xs:complexType>")
            .ok_or_else(|| format!("{SOURCE} : {TYPE_0201} sans fin"))?;
    lignes.drain(debut..=fin);
    let mut texte = lignes.join("\n");
    texte.push('\n');
    for (de, vers) in [
        (r#"version="02.01">"#, r#"version="02.00">"#),
        ("interface 02.01, espace de noms", "interface 02.00, espace de noms"),
    ] {
        if texte.matches(de).count() != 1 {
            return Err(format!("{SOURCE} : « {de} » attendu une fois"));
        }
        texte = texte.replace(de, vers);
    }
    if texte.contains("t_informationTraitement\"") || texte.contains("\"notifSms\"") || texte.contains("\"notifEvt\"") {
        return Err(format!("{SOURCE} : un élément de la 02.01 reste après dérivation"));
    }
    Ok(texte)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_derivation_names_what_is_missing() {
        let err = deriver("<xs:schema/>").unwrap_err();
        assert!(err.contains("informationTraitement") && err.contains("0 fois"), "{err}");
    }
}
