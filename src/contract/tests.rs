//! Tests of the contract layer: the validator on a small schema of its own, then the real
//! schemas against the fixtures (expected anomalies, round trips, and xmllint's verdicts).

use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Builds a schema from XSD text, through the generator's reader (leaked: tests only).
fn schema_from(xsd: &str) -> &'static xsd::Schema {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.xsd"), xsd).unwrap();
    let model = codegen::model::read(dir.path(), "t.xsd").unwrap();
    codegen::tables::leak(&model).unwrap()
}

const SMALL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="urn:t" targetNamespace="urn:t"
           elementFormDefault="qualified" version="1">
  <xs:attribute name="modifie" type="xs:boolean"/>
  <xs:element name="r">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="a" type="t_nom"/>
        <xs:element name="b" type="_int" minOccurs="0"/>
        <xs:element name="l" type="t_code" minOccurs="0" maxOccurs="3"/>
        <xs:choice>
          <xs:element name="x" type="xs:string"/>
          <xs:group ref="g"/>
        </xs:choice>
        <xs:element name="d" type="xs:date" minOccurs="0"/>
        <xs:element name="t" type="xs:dateTime" minOccurs="0"/>
        <xs:element name="e" type="_enum" minOccurs="0"/>
        <xs:element name="z" type="xs:boolean"/>
      </xs:sequence>
      <xs:attribute name="v" type="xs:string" use="required"/>
    </xs:complexType>
  </xs:element>
  <xs:group name="g">
    <xs:sequence>
      <xs:element name="y1" type="xs:string"/>
      <xs:element name="y2" type="xs:long"/>
    </xs:sequence>
  </xs:group>
  <xs:complexType name="t_nom">
    <xs:simpleContent>
      <xs:extension base="_nom"><xs:attribute ref="modifie"/></xs:extension>
    </xs:simpleContent>
  </xs:complexType>
  <xs:complexType name="t_code">
    <xs:attribute name="code" type="_code"/>
  </xs:complexType>
  <xs:simpleType name="_nom">
    <xs:restriction base="xs:string"><xs:maxLength value="5"/></xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="_code">
    <xs:restriction base="xs:string"><xs:maxLength value="3"/><xs:pattern value="[A-Z]{1,3}"/></xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="_int">
    <xs:restriction base="xs:int"><xs:minInclusive value="0"/><xs:maxInclusive value="99"/></xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="_enum">
    <xs:restriction base="xs:string"><xs:enumeration value="OUI"/><xs:enumeration value="NON"/></xs:restriction>
  </xs:simpleType>
</xs:schema>"#;

/// (code, propriete) of each anomaly of `body` inside `<r xmlns="urn:t" v="1">`.
fn small(body: &str) -> Vec<(String, String)> {
    small_root(&format!(r#"<r xmlns="urn:t" xmlns:p="urn:t" v="1">{body}</r>"#))
}

fn small_root(doc: &str) -> Vec<(String, String)> {
    let schema = schema_from(SMALL);
    let root = xml::parse(doc.as_bytes(), xml::Limits::default()).unwrap();
    validate::validate(schema, "r", &root, &mut |_, _| {})
        .into_iter()
        .map(|a| (a.code, a.propriete.unwrap_or_default()))
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn small_schema_accepts_valid_documents() {
    assert_eq!(small("<a>abcde</a><x>1</x><z>true</z>"), vec![]);
    assert_eq!(
        small(
            r#"<a p:modifie="1">é&lt;é</a><b> 42 </b><l code="A"/><l code="ABC"/><y1/><y2>-9</y2><d>2024-02-29Z</d><t>2024-01-01T24:00:00</t><e>NON</e><z>0</z>"#
        ),
        vec![]
    );
}

#[test]
fn small_schema_reports_facets() {
    assert_eq!(small("<a>abcdef</a><x/><z>1</z>"), pairs(&[("XSD-LONG", "r/a")]));
    // Characters, not bytes.
    assert_eq!(small("<a>ééééé</a><x/><z>1</z>"), vec![]);
    assert_eq!(small("<a>a</a><b>100</b><x/><z>1</z>"), pairs(&[("XSD-BORNE", "r/b")]));
    assert_eq!(small("<a>a</a><b>-1</b><x/><z>1</z>"), pairs(&[("XSD-BORNE", "r/b")]));
    assert_eq!(small("<a>a</a><b>1.5</b><x/><z>1</z>"), pairs(&[("XSD-FORMAT", "r/b")]));
    assert_eq!(small("<a>a</a><b>99999999999</b><x/><z>1</z>"), pairs(&[("XSD-FORMAT", "r/b")]));
    assert_eq!(small(r#"<a>a</a><l code="A"/><l code="a"/><x/><z>1</z>"#), pairs(&[("XSD-MOTIF", "r/l[2]/@code")]));
    assert_eq!(
        small(r#"<a>a</a><l code="ABCD"/><x/><z>1</z>"#),
        pairs(&[("XSD-LONG", "r/l[1]/@code"), ("XSD-MOTIF", "r/l[1]/@code")])
    );
    assert_eq!(small("<a>a</a><x/><y2>x</y2><z>1</z>"), pairs(&[("XSD-CHOIX", "r/y2")]));
    assert_eq!(small("<a>a</a><x/><d>2023-02-29</d><z>1</z>"), pairs(&[("XSD-FORMAT", "r/d")]));
    assert_eq!(small("<a>a</a><x/><t>2023-02-28T24:00:01</t><z>1</z>"), pairs(&[("XSD-FORMAT", "r/t")]));
    assert_eq!(small("<a>a</a><x/><e>oui</e><z>1</z>"), pairs(&[("XSD-ENUM", "r/e")]));
    assert_eq!(small("<a>a</a><x/><z>yes</z>"), pairs(&[("XSD-FORMAT", "r/z")]));
}

#[test]
fn small_schema_recovers_and_reports_every_defect() {
    // An unknown element is reported and skipped; the missing one after it too.
    assert_eq!(small("<q/><x/><z>1</z>"), pairs(&[("XSD-INATT", "r/q"), ("XSD-ABSENT", "r/a")]));
    // Out of order: the later element is matched, the earlier one is then unexpected.
    assert_eq!(small("<a>a</a><x/><z>1</z><d>2024-01-01</d>"), pairs(&[("XSD-INATT", "r/d")]));
    // Too many occurrences: the fourth `l` only; its content is not examined.
    assert_eq!(small(r#"<a>a</a><l/><l/><l/><l code="zz"/><x/><z>1</z>"#), pairs(&[("XSD-TROP", "r/l[4]")]));
    assert_eq!(small("<a>a</a><a>b</a><x/><z>1</z>"), pairs(&[("XSD-TROP", "r/a")]));
    // Choice: none, two, an incomplete group.
    assert_eq!(small("<a>a</a><z>1</z>"), pairs(&[("XSD-CHOIX", "r")]));
    assert_eq!(small("<a>a</a><x/><y1/><y2>1</y2><z>1</z>"), pairs(&[("XSD-CHOIX", "r/y1")]));
    assert_eq!(small("<a>a</a><y2>1</y2><z>1</z>"), pairs(&[("XSD-ABSENT", "r/y1")]));
    // Wrong namespace.
    assert_eq!(small(r#"<a xmlns="">a</a><a>a</a><x/><z>1</z>"#), pairs(&[("XSD-INATT", "r/a")]));
    // Several defects at once, in document order.
    assert_eq!(
        small(r#"<a>abcdefg</a><b>x</b><l code="1"/><x/><d>2024-13-01</d>"#),
        pairs(&[
            ("XSD-LONG", "r/a"),
            ("XSD-FORMAT", "r/b"),
            ("XSD-MOTIF", "r/l[1]/@code"),
            ("XSD-FORMAT", "r/d"),
            ("XSD-ABSENT", "r/z"),
        ])
    );
}

#[test]
fn small_schema_checks_attributes_and_text() {
    assert_eq!(small_root(r#"<r xmlns="urn:t"><a>a</a><x/><z>1</z></r>"#), pairs(&[("XSD-ATTR", "r/@v")]));
    assert_eq!(small(r#"<a modifie="true">a</a><x/><z>1</z>"#), pairs(&[("XSD-ATTR", "r/a/@modifie")]));
    assert_eq!(small(r#"<a p:modifie="oui">a</a><x/><z>1</z>"#), pairs(&[("XSD-FORMAT", "r/a/@modifie")]));
    assert_eq!(small(r#"<a p:autre="1">a</a><x/><z>1</z>"#), pairs(&[("XSD-ATTR", "r/a/@autre")]));
    assert_eq!(
        small_root(
            r#"<r xmlns="urn:t" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:t t.xsd" v="1"><a>a</a><x/><z>1</z></r>"#
        ),
        vec![]
    );
    assert_eq!(small("texte<a>a</a><x/><z>1</z>"), pairs(&[("XSD-TEXTE", "r")]));
    // Empty content: even whitespace is refused (as xmllint does); comments are not content.
    assert_eq!(small(r#"<a>a</a><l code="A"> </l><x/><z>1</z>"#), pairs(&[("XSD-TEXTE", "r/l[1]")]));
    assert_eq!(small(r#"<a>a</a><l code="A"><!-- c --></l><x/><z>1</z>"#), vec![]);
    assert_eq!(small(r#"<a>a<b/></a><x/><z>1</z>"#), pairs(&[("XSD-INATT", "r/a/b")]));
    assert_eq!(small_root(r#"<s xmlns="urn:t"/>"#), pairs(&[("XSD-RACINE", "s")]));
}

#[test]
fn anomaly_texts_stay_within_schema_limits() {
    let long = "x".repeat(300);
    let a = Anomalie::new("XSD-TROP-LONG-CODE", Some(&long), "é".repeat(600));
    assert_eq!(a.code.chars().count(), 10);
    assert_eq!(a.propriete.unwrap().chars().count(), 255);
    assert_eq!(a.message.chars().count(), 512);
    let schema = schema_from(SMALL);
    let root = xml::parse(b"<r xmlns='urn:t' v='1'><a>aaaaaaaaaa</a><x/><z>1</z></r>", xml::Limits::default()).unwrap();
    let found = validate::validate(schema, "r", &root, &mut |_, _| {});
    assert_eq!(found[0].message, "L'élément a dépasse la longueur maximale de 5 caractères (10).");
}

// ---------------------------------------------------------------------------------------------
// The real schemas and the fixtures.

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(manifest().join("fixtures/demande").join(kind))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    v.sort();
    assert!(!v.is_empty(), "aucune fixture dans {kind}");
    v
}

fn version_from_name(p: &Path) -> VersionInterface {
    let n = p.file_name().unwrap().to_string_lossy();
    if n.ends_with("_v0200.xml") {
        VersionInterface::V0200
    } else if n.ends_with("_v0201.xml") {
        VersionInterface::V0201
    } else {
        panic!("{n} : suffixe de version absent")
    }
}

fn limits() -> xml::Limits {
    xml::Limits::default()
}

#[test]
fn valid_fixtures_are_accepted_and_round_trip() {
    for p in fixtures("valid") {
        let bytes = std::fs::read(&p).unwrap();
        let f = match lire_demande(&bytes, limits()) {
            Ok(f) => f,
            Err(LectureError::Anomalies(a)) => panic!("{} refusé : {a:#?}", p.display()),
            Err(e) => panic!("{} : {e}", p.display()),
        };
        assert_eq!(f.version, version_from_name(&p), "{}", p.display());
        let out = ecrire_demande(&f);
        let again = lire_demande(&out, limits()).unwrap_or_else(|e| {
            panic!("{} relu après écriture : {e:?}\n{}", p.display(), String::from_utf8_lossy(&out))
        });
        assert_eq!(again, f, "{} : aller-retour différent", p.display());
        // What the store holds reads the same without being checked again.
        assert_eq!(lire_demande_enregistree(&out).unwrap(), f, "{} : lecture de confiance différente", p.display());
        // Writing is deterministic.
        assert_eq!(ecrire_demande(&again), out);
        assert!(out.starts_with(b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><ns2:interfaceNuu xmlns:ns2=\"http://nuu.application.i2/\" versionInterface=\""));
    }
}

#[test]
fn the_pieces_date_spliced_in_is_what_reading_and_writing_the_file_gives() {
    let jours = [XsDate::parse("2026-12-08").unwrap(), XsDate::parse("2027-01-31").unwrap()];
    let mut essais = 0;
    for p in fixtures("valid") {
        let f = lire_demande(&std::fs::read(&p).unwrap(), limits()).unwrap();
        // With and without incrementFichier, with and without a date already there.
        let mut sans_increment = f.clone();
        sans_increment.demande_logement_mut().increment_fichier = None;
        for base in [f, sans_increment] {
            let mut stocke = base.clone();
            for jour in &jours {
                let ecrit = ecrire_demande(&stocke);
                let mut attendu = stocke.clone();
                attendu.demande_logement_mut().date_derniere_modification_piece = Some(Valeur::new(jour.clone()));
                let colle =
                    dater_pieces(&ecrit, jour).unwrap_or_else(|| panic!("{} : forme non reconnue", p.display()));
                assert_eq!(
                    String::from_utf8(colle).unwrap(),
                    String::from_utf8(ecrire_demande(&attendu)).unwrap(),
                    "{}",
                    p.display()
                );
                stocke = attendu;
                essais += 1;
            }
        }
    }
    assert!(essais >= 8);
    // Not the writer's shape: the caller reads and writes the file.
    assert!(dater_pieces(b"<a:demandeLogement></a:demandeLogement>", &jours[0]).is_none());
    let double = b"<ns2:demandeLogement></ns2:demandeLogement><ns2:demandeLogement></ns2:demandeLogement>";
    assert!(dater_pieces(double, &jours[0]).is_none());
}

#[test]
fn response_fixture_is_what_a_code_list_rejection_produces() {
    // The fixture is a rejected file as the gateway returns it: schema-valid, with the
    // CODE-INC anomaly of its civilite. Rebuilding its list from our own check must give the
    // same anomaly, code, path and message included.
    let bytes = std::fs::read(manifest().join("fixtures/demande/reponse/rejet_code_inc_v0201.xml")).unwrap();
    let root = xml::parse(&bytes, limits()).unwrap();
    let (version, found) = verifier(&root);
    assert_eq!(version, Some(VersionInterface::V0201));
    assert_eq!(found.len(), 1, "{found:?}");
    let rebuilt = ecrire_rejet(&bytes, &found).unwrap();
    let typed = |b: &[u8]| types::InterfaceNuu::from_xml(&xml::parse(b, limits()).unwrap());
    assert_eq!(typed(&rebuilt), typed(&bytes));
}

/// One file of expected.tsv: name, [(code, propriete)], xmllint's verdict.
type Expected = (String, Vec<(String, String)>, String);

/// expected.tsv, grouped by file.
fn expected() -> Vec<Expected> {
    let tsv = std::fs::read_to_string(manifest().join("fixtures/demande/invalid/expected.tsv")).unwrap();
    let mut out: Vec<Expected> = Vec::new();
    for line in tsv.lines().filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 4, "ligne de expected.tsv : {line}");
        let pair = (cols[1].to_string(), cols[2].to_string());
        match out.iter_mut().find(|(f, _, _)| f == cols[0]) {
            Some((_, v, _)) => v.push(pair),
            None => out.push((cols[0].to_string(), vec![pair], cols[3].to_string())),
        }
    }
    out
}

#[test]
fn invalid_fixtures_give_exactly_the_expected_anomalies() {
    let expected = expected();
    let mut failures = Vec::new();
    for p in fixtures("invalid") {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let Some((_, want, _)) = expected.iter().find(|(f, _, _)| *f == name) else {
            failures.push(format!("{name} : absent de expected.tsv"));
            continue;
        };
        let bytes = std::fs::read(&p).unwrap();
        let got = match lire_demande(&bytes, limits()) {
            Ok(_) => Vec::new(),
            Err(LectureError::Anomalies(a)) => a,
            Err(e) => {
                failures.push(format!("{name} : {e}"));
                continue;
            }
        };
        for a in &got {
            assert!(a.message.chars().count() <= 512 && !a.message.is_empty());
            assert!(a.propriete.as_ref().is_some_and(|p| p.chars().count() <= 255));
        }
        let got_pairs: Vec<(String, String)> =
            got.iter().map(|a| (a.code.clone(), a.propriete.clone().unwrap_or_default())).collect();
        if &got_pairs != want {
            failures.push(format!(
                "{name} :\n  attendu {want:?}\n  obtenu  {:?}",
                got.iter()
                    .map(|a| format!("{} {} — {}", a.code, a.propriete.as_deref().unwrap_or(""), a.message))
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn typed_accessors_and_num_unique_position() {
    let bytes = std::fs::read(manifest().join("fixtures/demande/valid/cre_minimal_v0200.xml")).unwrap();
    let mut f = lire_demande(&bytes, limits()).unwrap();
    assert_eq!(f.type_fichier(), "CRE");
    assert_eq!(f.date_fichier().as_str(), "2026-11-02T10:30:00");
    assert_eq!(f.num_guichet(), "G1104");
    assert_eq!(f.num_unique(), None);
    assert_eq!(f.civilite(), Some("1"));
    assert_eq!(f.nom(), Some("LEFEBVRE"));
    assert_eq!(f.prenom(), Some("Julien"));
    assert_eq!(f.date_naissance().and_then(XsDate::to_date), Some(time::macros::date!(1990 - 04 - 17)));
    assert_eq!(f.date_creation_demande().as_str(), "2026-11-02");
    assert_eq!(f.association_nom(), None);
    f.set_num_unique(Some("1111126000001G1104".into()));
    f.set_increment_fichier(Some("1".into()));
    let out = String::from_utf8(ecrire_demande(&f)).unwrap();
    assert!(
        out.contains("<ns2:numGuichet>G1104</ns2:numGuichet><ns2:numUnique>1111126000001G1104</ns2:numUnique><ns2:dateCreationDemande>"),
        "{out}"
    );
    assert!(out.ends_with(
        "<ns2:incrementFichier>1</ns2:incrementFichier></ns2:demandeLogement></ns2:demande></ns2:interfaceNuu>"
    ));
    let again = lire_demande(out.as_bytes(), limits()).unwrap();
    assert_eq!(again.num_unique(), Some("1111126000001G1104"));

    let bytes = std::fs::read(manifest().join("fixtures/demande/valid/cre_complet_v0201.xml")).unwrap();
    let f = lire_demande(&bytes, limits()).unwrap();
    assert!(f.communes_souhaitees().len() >= 2, "{:?}", f.communes_souhaitees());
    let bytes = std::fs::read(manifest().join("fixtures/demande/valid/cre_association_v0201.xml")).unwrap();
    let f = lire_demande(&bytes, limits()).unwrap();
    assert!(f.association_nom().is_some() && f.nom().is_none());
}

#[test]
fn a_0200_file_is_written_without_0201_elements() {
    let bytes = std::fs::read(manifest().join("fixtures/demande/valid/cre_minimal_v0200.xml")).unwrap();
    let mut f = lire_demande(&bytes, limits()).unwrap();
    f.demande_logement_mut().date_derniere_modification_piece = Some(Valeur::new(XsDate::parse("2026-11-03").unwrap()));
    f.demande_logement_mut().information_traitement = Some(Default::default());
    if let types::AssociationOuPersonnePhysique::PersonnePhysique(p) =
        &mut f.demande_logement_mut().association_ou_personne_physique
    {
        p.demandeur.notif_sms = Some(Valeur::new(true));
        p.demandeur.notif_evt = Some(Valeur::new(false));
    }
    let out = ecrire_demande(&f);
    let again = lire_demande(&out, limits()).unwrap();
    assert_eq!(again.version, VersionInterface::V0200);
    assert!(again.demande_logement().date_derniere_modification_piece.is_some(), "in both versions");
    assert!(again.demande_logement().information_traitement.is_none());
    let texte = String::from_utf8(out).unwrap();
    assert!(!texte.contains("notifSms") && !texte.contains("notifEvt"), "{texte}");
    f.version = VersionInterface::V0201;
    let out = ecrire_demande(&f);
    let again = lire_demande(&out, limits()).unwrap();
    assert_eq!(again.version, VersionInterface::V0201);
    assert!(again.demande_logement().information_traitement.is_some());
    assert!(String::from_utf8(out).unwrap().contains("<ns2:notifSms>true</ns2:notifSms><ns2:notifEvt>false"));
}

/// The two published versions differ in exactly three elements, all added by 02.01; each of
/// them and `dateDerniereModificationPiece` (in both) is sent in each version: our validator and
/// xmllint on the served schema give the same verdict, and a 02.00 file naming a 02.01 element
/// gets `XSD-INATT` at its path.
#[test]
fn each_element_that_differs_between_versions_is_sent_in_each_version() {
    require_xmllint();
    let minimal = std::fs::read_to_string(manifest().join("fixtures/demande/valid/cre_minimal_v0200.xml")).unwrap();
    let dl = "interfaceNuu/demande/demandeLogement";
    // (element, where it goes, text inserted, path, in 02.00)
    let cas = [
        (
            "informationTraitement",
            "<ns2:personnePhysique>",
            "<ns2:informationTraitement><ns2:estDelaiAnormalementLong>true</ns2:estDelaiAnormalementLong></ns2:informationTraitement>",
            format!("{dl}/informationTraitement"),
            false,
        ),
        ("notifSms", "<ns2:adressePostale>", "<ns2:notifSms>true</ns2:notifSms>", format!("{dl}/personnePhysique/demandeur/notifSms"), false),
        ("notifEvt", "<ns2:adressePostale>", "<ns2:notifEvt>false</ns2:notifEvt>", format!("{dl}/personnePhysique/demandeur/notifEvt"), false),
        (
            "dateDerniereModificationPiece",
            "</ns2:demandeLogement>",
            "<ns2:dateDerniereModificationPiece>2026-11-02</ns2:dateDerniereModificationPiece>",
            format!("{dl}/dateDerniereModificationPiece"),
            true,
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (element, avant, insere, chemin, en_0200) in &cas {
        for version in VersionInterface::ALL {
            let texte = minimal
                .replacen(avant, &format!("{insere}{avant}"), 1)
                .replace("versionInterface=\"02.00\"", &format!("versionInterface=\"{}\"", version.as_str()));
            let attendu = *en_0200 || version == VersionInterface::V0201;
            let fichier = dir.path().join(format!("{element}_{}.xml", version.as_str()));
            std::fs::write(&fichier, &texte).unwrap();
            assert_eq!(
                xmllint_accepts(&schema_file(version), &fichier),
                attendu,
                "xmllint : {element} en {}",
                version.as_str()
            );
            match lire_demande(texte.as_bytes(), limits()) {
                Ok(f) => assert!(attendu, "{element} accepté en {}", f.version.as_str()),
                Err(LectureError::Anomalies(a)) => {
                    assert!(!attendu, "{element} refusé en {} : {a:?}", version.as_str());
                    let codes: Vec<(&str, &str)> =
                        a.iter().map(|a| (a.code.as_str(), a.propriete.as_deref().unwrap_or(""))).collect();
                    assert_eq!(codes, [("XSD-INATT", chemin.as_str())], "{element} en {}", version.as_str());
                    assert!(a[0].message.contains("02.01"), "{}", a[0].message);
                }
                Err(e) => panic!("{element} en {} : {e:?}", version.as_str()),
            }
        }
    }
}

fn anomalie_exemple() -> Anomalie {
    Anomalie {
        code: "CODE-INC".into(),
        propriete: Some("interfaceNuu/demande/demandeLogement/personnePhysique/demandeur/civilite/@code".into()),
        message: "Le code 9 < & \" de civilite n'appartient pas à la liste des codes (1, 2, 3).".into(),
    }
}

#[test]
fn rejections_carry_the_anomalies_at_their_schema_position() {
    let bytes = std::fs::read(manifest().join("fixtures/demande/invalid/code_civilite_v0200.xml")).unwrap();
    let Err(LectureError::Anomalies(found)) = lire_demande(&bytes, limits()) else { panic!("accepté") };
    let out = ecrire_rejet(&bytes, &found).unwrap();
    let root = xml::parse(&out, limits()).unwrap();
    let dl = root.child("demande").unwrap().child("demandeLogement").unwrap();
    let liste = dl.child("listeAnomalie").unwrap();
    let a = liste.child("anomalie").unwrap();
    assert_eq!(a.attribute("code"), Some("CODE-INC"));
    assert_eq!(a.attribute("propriete"), found[0].propriete.as_deref());
    assert_eq!(a.child("message").unwrap().text(), found[0].message);
    // The rejected file is the original plus the list: schema-valid, same anomaly again.
    let (_, again) = verifier(&root);
    assert_eq!(again.iter().map(|a| &a.code).collect::<Vec<_>>(), vec!["CODE-INC"]);

    // Replaced, not duplicated, and placed before incrementFichier.
    let valid = std::fs::read(manifest().join("fixtures/demande/valid/blocs_complementaires_v0201.xml")).unwrap();
    let once = ecrire_rejet(&valid, &[anomalie_exemple()]).unwrap();
    let twice = ecrire_rejet(&once, &[anomalie_exemple(), anomalie_exemple()]).unwrap();
    let root = xml::parse(&twice, limits()).unwrap();
    let dl = root.child("demande").unwrap().child("demandeLogement").unwrap();
    let names: Vec<&str> = dl.elements().map(|e| e.name.as_str()).collect();
    assert_eq!(names.iter().filter(|n| **n == "listeAnomalie").count(), 1);
    let pos = |n: &str| names.iter().position(|x| *x == n);
    assert!(pos("listeAnomalie") < pos("listeDoublons"), "{names:?}");
    assert_eq!(dl.child("listeAnomalie").unwrap().elements().count(), 2);
    let (_, again) = verifier(&root);
    assert!(again.is_empty(), "{again:?}");
    // No anomaly: no list at all.
    let none = ecrire_rejet(&once, &[]).unwrap();
    assert!(!String::from_utf8(none).unwrap().contains("listeAnomalie"));
    // No usable demandeLogement.
    assert!(ecrire_rejet(b"<a/>", &[anomalie_exemple()]).is_none());
    assert!(ecrire_rejet(b"<a", &[anomalie_exemple()]).is_none());
    let racine = std::fs::read(manifest().join("fixtures/demande/invalid/racine_ns_v0200.xml")).unwrap();
    assert!(ecrire_rejet(&racine, &[anomalie_exemple()]).is_none());
    // An invalid file still gets its list.
    let absent = std::fs::read(manifest().join("fixtures/demande/invalid/absent_nom_v0200.xml")).unwrap();
    assert!(ecrire_rejet(&absent, &[anomalie_exemple()]).is_some());

    // Typed variant.
    let f = lire_demande(&valid, limits()).unwrap();
    let out = ecrire_demande_rejetee(&f, &[anomalie_exemple()]);
    let (_, again) = verifier(&xml::parse(&out, limits()).unwrap());
    assert!(again.is_empty(), "{again:?}");
    // The message first, no complement (deployed clients print the first child), escaped.
    assert!(String::from_utf8(out)
        .unwrap()
        .contains("<ns2:anomalie code=\"CODE-INC\" propriete=\"interfaceNuu/demande/demandeLogement/personnePhysique/demandeur/civilite/@code\"><ns2:message>Le code 9 &lt; &amp; \" de civilite"));
}

#[test]
fn version_and_root_are_checked_first() {
    let bytes = std::fs::read(manifest().join("fixtures/demande/valid/cre_minimal_v0200.xml")).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let v = text.replace("versionInterface=\"02.00\"", "versionInterface=\"02.02\"");
    let Err(LectureError::Anomalies(a)) = lire_demande(v.as_bytes(), limits()) else { panic!() };
    assert_eq!(a.len(), 1);
    assert!(a[0].message.contains("02.02"), "{}", a[0].message);
    assert!(matches!(lire_demande(b"<a><b></a>", limits()), Err(LectureError::Xml(_))));
}

// ---------------------------------------------------------------------------------------------
// Differential test against xmllint.

fn xmllint_accepts(schema: &Path, file: &Path) -> bool {
    Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema)
        .arg(file)
        .output()
        .expect("xmllint")
        .status
        .success()
}

fn schema_file(v: VersionInterface) -> PathBuf {
    manifest().join(match v {
        VersionInterface::V0200 => "schemas/InterfaceNuu_v0200.xsd",
        VersionInterface::V0201 => "schemas/InterfaceNuu_v0201.xsd",
    })
}

/// The validator's schema-level verdict on `bytes` against `version`'s table (no version
/// check: this compares the validator, not the version policy).
fn our_verdict(bytes: &[u8], v: VersionInterface) -> bool {
    let root = xml::parse(bytes, limits()).unwrap();
    validate::validate(v.schema(), "interfaceNuu", &root, &mut |_, _| {}).is_empty()
}

/// The differential tests never skip: without xmllint they fail with the command that installs it.
fn require_xmllint() {
    assert!(
        Command::new("xmllint").arg("--version").output().is_ok(),
        "xmllint est requis : lancez `bash tests/run.sh` (qui l'installe) ou `apt-get install -y libxml2-utils`"
    );
}

#[test]
fn verdicts_agree_with_xmllint() {
    require_xmllint();
    let tmp = tempfile::tempdir().unwrap();
    let mut cases: Vec<(String, PathBuf, VersionInterface)> = Vec::new();
    for kind in ["valid", "invalid", "reponse"] {
        for p in fixtures(kind) {
            let v = version_from_name(&p);
            cases.push((format!("{kind}/{}", p.file_name().unwrap().to_string_lossy()), p, v));
        }
    }
    for p in fixtures("valid") {
        let bytes = std::fs::read(&p).unwrap();
        let f = lire_demande(&bytes, limits()).unwrap();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        for (suffix, out) in [
            ("ecrire_demande", ecrire_demande(&f)),
            ("ecrire_demande_rejetee", ecrire_demande_rejetee(&f, &[anomalie_exemple()])),
            ("ecrire_rejet", ecrire_rejet(&bytes, &[anomalie_exemple(), anomalie_exemple()]).unwrap()),
        ] {
            let path = tmp.path().join(format!("{suffix}-{name}"));
            std::fs::write(&path, out).unwrap();
            cases.push((format!("{suffix}({name})"), path, f.version));
        }
    }
    let expected = expected();
    let mut disagree = Vec::new();
    for (label, path, v) in &cases {
        let bytes = std::fs::read(path).unwrap();
        let ours = our_verdict(&bytes, *v);
        let theirs = xmllint_accepts(&schema_file(*v), path);
        if ours != theirs {
            disagree.push(format!("{label} : validateur {ours}, xmllint {theirs}"));
        }
        if let Some((_, _, want)) = expected.iter().find(|(f, _, _)| label.ends_with(&format!("/{f}"))) {
            if (want == "accept") != theirs {
                disagree.push(format!("{label} : expected.tsv dit {want}, xmllint {theirs}"));
            }
        }
    }
    assert!(disagree.is_empty(), "désaccords avec xmllint :\n{}", disagree.join("\n"));
}

/// Paths (child indexes in `children`) of every element below the root, in document order.
fn element_paths(e: &Element, prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    for (i, n) in e.children.iter().enumerate() {
        if let xml::Node::Element(c) = n {
            prefix.push(i);
            out.push(prefix.clone());
            element_paths(c, prefix, out);
            prefix.pop();
        }
    }
}

fn parent_mut<'a>(root: &'a mut Element, path: &[usize]) -> &'a mut Element {
    let mut e = root;
    for &i in &path[..path.len() - 1] {
        e = match &mut e.children[i] {
            xml::Node::Element(c) => c,
            _ => unreachable!(),
        };
    }
    e
}

/// Runs xmllint once on many files; returns the set of files it accepts.
fn xmllint_batch(schema: &Path, files: &[PathBuf]) -> std::collections::HashSet<PathBuf> {
    let mut accepted = std::collections::HashSet::new();
    for chunk in files.chunks(500) {
        let out = Command::new("xmllint").arg("--noout").arg("--schema").arg(schema).args(chunk).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        for line in stderr.lines() {
            if let Some(f) = line.strip_suffix(" validates") {
                accepted.insert(PathBuf::from(f));
            }
        }
    }
    accepted
}

#[test]
fn verdicts_agree_with_xmllint_on_mutated_files() {
    require_xmllint();
    let tmp = tempfile::tempdir().unwrap();
    let mut by_version: Vec<(VersionInterface, PathBuf, String)> = Vec::new();
    let mut n = 0usize;
    for p in fixtures("valid") {
        let v = version_from_name(&p);
        let original = xml::parse(&std::fs::read(&p).unwrap(), limits()).unwrap();
        let mut paths = Vec::new();
        element_paths(&original, &mut Vec::new(), &mut paths);
        let fname = p.file_name().unwrap().to_string_lossy().to_string();
        let mut emit = |label: String, tree: &Element| {
            n += 1;
            let path = tmp.path().join(format!("m{n}.xml"));
            std::fs::write(&path, rejet::ecrire_arbre(tree)).unwrap();
            by_version.push((v, path, format!("{fname}: {label}")));
        };
        for path in &paths {
            let last = *path.last().unwrap();
            let name = {
                let parent = parent_mut(&mut original.clone(), path).clone();
                match &parent.children[last] {
                    xml::Node::Element(c) => c.name.clone(),
                    _ => unreachable!(),
                }
            };
            // Removed.
            let mut t = original.clone();
            parent_mut(&mut t, path).children.remove(last);
            emit(format!("sans {name} {path:?}"), &t);
            // Duplicated.
            let mut t = original.clone();
            let parent = parent_mut(&mut t, path);
            let copy = parent.children[last].clone();
            parent.children.insert(last + 1, copy);
            emit(format!("{name} doublé {path:?}"), &t);
            // Swapped with the next element sibling.
            let mut t = original.clone();
            let parent = parent_mut(&mut t, path);
            if let Some(next) =
                (last + 1..parent.children.len()).find(|&i| matches!(parent.children[i], xml::Node::Element(_)))
            {
                parent.children.swap(last, next);
                emit(format!("{name} permuté {path:?}"), &t);
            }
            // Value replaced (leaf elements): empty, long, non-numeric.
            for value in ["", "x", "12345678901234567890123456789012345678901", "-1", "2026-02-30"] {
                let mut t = original.clone();
                let parent = parent_mut(&mut t, path);
                if let xml::Node::Element(c) = &mut parent.children[last] {
                    if c.elements().next().is_none() && c.attributes.iter().all(|a| a.name != "code") {
                        c.children = if value.is_empty() { vec![] } else { vec![xml::Node::Text(value.into())] };
                        emit(format!("{name}={value:?} {path:?}"), &t);
                    }
                }
            }
            // Code attribute replaced.
            let mut t = original.clone();
            let parent = parent_mut(&mut t, path);
            if let xml::Node::Element(c) = &mut parent.children[last] {
                if let Some(a) = c.attributes.iter_mut().find(|a| a.name == "code") {
                    a.value = "A-B".into();
                    emit(format!("{name}@code invalide {path:?}"), &t);
                }
            }
        }
    }
    let mut disagree = Vec::new();
    let (mut accepted_total, mut rejected_total) = (0, 0);
    for v in VersionInterface::ALL {
        let files: Vec<PathBuf> = by_version.iter().filter(|(w, _, _)| *w == v).map(|(_, p, _)| p.clone()).collect();
        let accepted = xmllint_batch(&schema_file(v), &files);
        for (w, p, label) in &by_version {
            if *w != v {
                continue;
            }
            let ours = our_verdict(&std::fs::read(p).unwrap(), v);
            let theirs = accepted.contains(p);
            if theirs {
                accepted_total += 1;
            } else {
                rejected_total += 1;
            }
            if ours != theirs {
                disagree.push(format!("{label} : validateur {ours}, xmllint {theirs}"));
            }
        }
    }
    eprintln!("{accepted_total} acceptés, {rejected_total} refusés par xmllint");
    assert!(accepted_total > 100 && rejected_total > 100, "{accepted_total} acceptés, {rejected_total} refusés");
    assert!(by_version.len() > 500, "{} cas seulement", by_version.len());
    assert!(disagree.is_empty(), "{} désaccords sur {} :\n{}", disagree.len(), by_version.len(), disagree.join("\n"));
}

#[test]
fn a_file_with_thousands_of_defects_gets_a_capped_list() {
    // 3,000 wished-for housing types with a bad code: one CODE-INC each.
    let original = std::fs::read_to_string(manifest().join("fixtures/demande/valid/cre_complet_v0201.xml")).unwrap();
    let start = original.find("<ns2:typeLogement ").unwrap();
    let end = start + original[start..].find("/>").unwrap() + 2;
    let many = "<ns2:typeLogement code=\"T9\"/>".repeat(3000);
    let file = format!("{}{}{}", &original[..start], many, &original[end..]);
    let Err(LectureError::Anomalies(anomalies)) = lire_demande(file.as_bytes(), limits()) else {
        panic!("fichier accepté")
    };
    assert_eq!(anomalies.len(), validate::MAX_ANOMALIES + 1);
    let last = anomalies.last().unwrap();
    assert_eq!(last.code, "XSD-LIMITE");
    assert!(last.message.starts_with("2000 autre(s)") && last.message.contains("1000"), "{}", last.message);
    assert!(anomalies[..validate::MAX_ANOMALIES].iter().all(|a| a.code == "CODE-INC"));
}

#[test]
fn characters_xml_1_0_forbids_are_refused_raw_or_as_references() {
    let text = std::fs::read_to_string(manifest().join("fixtures/demande/valid/cre_minimal_v0200.xml")).unwrap();
    assert!(lire_demande(text.as_bytes(), xml::Limits::default()).is_ok());
    for (injected, code) in [("&#1;", "U+0001"), ("\u{1}", "U+0001"), ("&#xFFFE;", "U+FFFE"), ("\u{1B}", "U+001B")] {
        let bad = text.replacen("<ns2:nom>", &format!("<ns2:nom>{injected}"), 1);
        let err = lire_demande(bad.as_bytes(), xml::Limits::default()).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, LectureError::Xml(xml::XmlError::Malformed(_))), "{injected:?}: {msg}");
        assert!(msg.contains(code) && msg.contains("élément nom"), "{msg}");
        let bad = text.replacen("code=\"1\"", &format!("code=\"{injected}\""), 1);
        assert!(lire_demande(bad.as_bytes(), xml::Limits::default()).is_err(), "attribute {injected:?}");
    }
    for bad_name in ["<ns2:nom==A>x</ns2:nom==A>", "<ns2:nom\u{11}>x</ns2:nom\u{11}>", "<ns2:a b%00c=\"1\"/>"] {
        let bad = text.replacen("<ns2:nom>", &format!("{bad_name}<ns2:nom>"), 1);
        let err = lire_demande(bad.as_bytes(), xml::Limits::default()).unwrap_err();
        assert!(err.to_string().contains("nom d'élément ou d'attribut invalide"), "{bad_name}: {err}");
        assert_eq!(ecrire_rejet(bad.as_bytes(), &[Anomalie::new("X", None, "x")]), None, "{bad_name}");
    }
    assert!(runtime::is_ncname("été_1.a-b") && !runtime::is_ncname("1a") && !runtime::is_ncname("a:b"));
    // Tab, LF and CR remain allowed.
    let ok = text.replacen("<ns2:nom>", "<ns2:nom>&#9;", 1);
    assert!(!matches!(lire_demande(ok.as_bytes(), xml::Limits::default()), Err(LectureError::Xml(_))));
}

#[test]
fn an_unexpected_element_names_what_its_parent_takes_and_the_version_it_belongs_to() {
    let read = |name: &str| {
        let bytes = std::fs::read(manifest().join(format!("fixtures/demande/invalid/{name}"))).unwrap();
        match lire_demande(&bytes, limits()) {
            Err(LectureError::Anomalies(a)) => a,
            other => panic!("{name}: {other:?}"),
        }
    };
    let a = read("element_0201_en_0200_v0200.xml");
    let inatt = a.iter().find(|a| a.code == "XSD-INATT").expect("XSD-INATT");
    assert!(inatt.message.contains("n'existe qu'en version 02.01"), "{}", inatt.message);
    assert!(inatt.message.contains("dans cet ordre"), "{}", inatt.message);
    let a = read("ordre_nomPatronymique_v0200.xml");
    let m = &a.iter().find(|a| a.code == "XSD-INATT").unwrap().message;
    assert!(m.contains("n'est pas à sa place") && m.contains("civilite, nom, nomPatronymique, prenom"), "{m}");
}

/// Deployed clients print an anomaly's first child element as its message: for every code of
/// the catalogue, in each form a file carries anomalies (`listeAnomalie` of the application
/// file, `listeAnomalies` of the search, event and event-type files), `message` is the first and
/// only child, and it quotes what was wrong (no `complement` before it).
#[test]
fn every_catalogued_anomaly_is_written_message_first() {
    use super::anomalie::CATALOGUE;
    use super::generated::{evenement, recherche, type_evenement};
    let anomalies: Vec<Anomalie> = CATALOGUE
        .iter()
        .map(|e| {
            Anomalie::new(e.code, Some("interfaceNuu/entete/typeFichier"), format!("Règle {} : {}", e.code, e.regle))
        })
        .collect();
    let ecrit = |f: &dyn Fn(&mut Writer)| {
        let mut w = Writer::new();
        f(&mut w);
        xml::parse(&w.into_bytes(), limits()).unwrap()
    };
    let formes = [
        ("listeAnomalie", ecrit(&|w| liste_anomalie(&anomalies).unwrap().write_xml(w, "listeAnomalie"))),
        (
            "recherche",
            ecrit(&|w| {
                let l: recherche::ListeAnomalies = fichiers::anomalies_recherche(&anomalies).unwrap();
                l.write_xml(w, "listeAnomalies")
            }),
        ),
        (
            "evenement",
            ecrit(&|w| {
                let l: evenement::ListeAnomalies = fichiers::anomalies_evenements(&anomalies).unwrap();
                l.write_xml(w, "listeAnomalies")
            }),
        ),
        (
            "type_evenement",
            ecrit(&|w| {
                let l: type_evenement::ListeAnomalies = fichiers::anomalies_types(&anomalies).unwrap();
                l.write_xml(w, "listeAnomalies")
            }),
        ),
    ];
    for (forme, liste) in &formes {
        let ecrites: Vec<_> = liste.elements().collect();
        assert_eq!(ecrites.len(), CATALOGUE.len(), "{forme}");
        for (a, entree) in ecrites.iter().zip(CATALOGUE) {
            assert_eq!(a.attribute("code"), Some(entree.code), "{forme}");
            let enfants: Vec<&str> = a.elements().map(|c| c.name.as_str()).collect();
            assert_eq!(enfants, ["message"], "{forme} {}", entree.code);
            assert!(a.child("message").unwrap().text().contains(entree.code), "{forme}");
        }
    }
}
