//! The multi-criteria search (RechercheDemandeImplService): each criterion alone and combined,
//! accented and hyphenated names, territory isolation, the cap, refusals, the journal.

use base64::Engine;

use crate::doublons::variante;
use crate::helpers::*;
use crate::pieces::{changer, deposer, entree, pdf, png};

const NS: &str = "http://ws.metier.nuu.application.i2/";
const CHEMIN: &str = "/services/RechercheDemandeImplService/";
pub const ACTION_RECHERCHE: &str = "http://ws.metier.nuu.application.i2/rechercheDemandeMulticritere";

/// A search file with `criteres` inside `demandeMulticritere`.
pub fn fichier_recherche(criteres: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><ns2:interfaceNuu xmlns:ns2="http://nuu.application.i2/" versionInterface="02.00"><ns2:entete><ns2:typeFichier>RMC</ns2:typeFichier><ns2:dateFichier>2026-11-02T10:00:00</ns2:dateFichier><ns2:codeGuichet>G1104</ns2:codeGuichet></ns2:entete><ns2:operation><ns2:demandeMulticritere>{criteres}</ns2:demandeMulticritere></ns2:operation></ns2:interfaceNuu>"#
    )
}

/// What a search answered: the numbers and the anomaly codes, and the returned file.
pub struct Trouve {
    pub nums: Vec<String>,
    pub codes: Vec<String>,
    pub fichier: String,
}

fn lire_reponse(reply: &Reply) -> Trouve {
    assert_eq!(reply.status, 200, "{}", reply.text());
    let env = decode_reply(reply);
    assert_eq!(env.body.name, "fichierXmlReponse");
    let fichier = String::from_utf8(binary_child(&env, "fichierXmlRetour")).unwrap();
    let root = sne_gateway::xml::parse(fichier.as_bytes(), Default::default()).unwrap();
    let nums =
        root.child("listeDemandes").map(|l| l.elements().map(|n| n.text().to_string()).collect()).unwrap_or_default();
    let codes = root
        .child("listeAnomalies")
        .map(|l| l.elements().map(|a| a.attribute("code").unwrap_or_default().to_string()).collect())
        .unwrap_or_default();
    Trouve { nums, codes, fichier }
}

pub async fn rechercher(gw: &TestGateway, who: &'static str, criteres: &str) -> Trouve {
    let b64 = base64::engine::general_purpose::STANDARD.encode(fichier_recherche(criteres));
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="{NS_SOAP12}"><soap:Body><ns2:fichierXmlParametres xmlns:ns2="{NS}"><nomFichier>RMC-1.xml</nomFichier><fichierXml>{b64}</fichierXml></ns2:fichierXmlParametres></soap:Body></soap:Envelope>"#
    );
    let ct = soap12_headers(ACTION_RECHERCHE);
    let reply = gw.request(As::Guichet(who), "POST", CHEMIN, &[("Content-Type", &ct)], body.into_bytes()).await;
    lire_reponse(&reply)
}

async fn enregistrer(gw: &TestGateway, who: &'static str, fichier: String) -> String {
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    let reply = gw.post_soap(As::Guichet(who), &[("Content-Type", &ct)], num_unique_inline(fichier.as_bytes())).await;
    let f = String::from_utf8(binary_child(&decode_reply(&reply), "fichierDemande")).unwrap();
    assert!(anomalies_of(f.as_bytes()).is_empty(), "{f}");
    num_unique_of(f.as_bytes()).unwrap()
}

/// Three applications of territory 111 and one of 222:
/// - `hélène`: Hélène LEFÈVRE-DUPONT born 1980-01-01, communes 31555 + 31069, motives 05 and 23;
/// - `karim`: the example's Camille MARTIN (co-applicant Karim MARTIN), commune 31069 only,
///   motive 01, flagged estDelaiAnormalementLong;
/// - `association`: the association example;
/// - `ailleurs`: Hélène LEFÈVRE-DUPONT again, in territory 222.
struct Jeu {
    helene: String,
    karim: String,
    association: String,
    ailleurs: String,
}

async fn jeu(gw: &TestGateway) -> Jeu {
    let helene = variante("LEFÈVRE-DUPONT", "LEFÈVRE-DUPONT", "Hélène", "1986-10-05").replacen(
        "<ns2:dateNaissance>1988-03-12<",
        "<ns2:dateNaissance>1980-01-01<",
        1,
    );
    let karim = variante("MARTIN", "DURAND", "Camille", "1986-10-05")
        .replacen("<ns2:commune code=\"31555\"/>", "<ns2:commune code=\"31069\"/>", 1)
        .replacen(
            "<ns2:motifDemande code=\"05\"/>\n        <ns2:motifDemande code=\"23\"/>",
            "<ns2:motifDemande code=\"01\"/>",
            1,
        )
        .replacen("<ns2:compAutreMotif>", "<ns2:compAutreMotifX>", 1)
        .replacen(
            "<ns2:estDelaiAnormalementLong>false</ns2:estDelaiAnormalementLong>",
            "<ns2:estDelaiAnormalementLong>true</ns2:estDelaiAnormalementLong>",
            1,
        );
    // The example's `compAutreMotif` goes with motive 23 only.
    let karim = match (karim.find("<ns2:compAutreMotifX>"), karim.find("</ns2:compAutreMotif>")) {
        (Some(a), Some(b)) => format!("{}{}", &karim[..a], &karim[b + "</ns2:compAutreMotif>".len()..]),
        _ => karim,
    };
    let association = String::from_utf8(fixture("demande/valid/cre_association_v0201.xml")).unwrap();
    let ailleurs = helene.replace("G1104", "G2201").replace("31555", "33063").replace("31069", "33281");
    Jeu {
        helene: enregistrer(gw, "G1104", helene).await,
        karim: enregistrer(gw, "G1104", karim).await,
        association: enregistrer(gw, "G1104", association).await,
        ailleurs: enregistrer(gw, "G2201", ailleurs).await,
    }
}

fn tries(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[tokio::test]
async fn each_criterion_alone_finds_what_it_names_in_the_callers_territory_only() {
    let gw = spawn_gateway_at(jour_des_fixtures()).await;
    let j = jeu(&gw).await;
    let trois = tries(vec![j.helene.clone(), j.karim.clone(), j.association.clone()]);
    let cas: Vec<(&str, String, Vec<String>)> = vec![
        ("sans critère", String::new(), trois.clone()),
        ("numéro", format!("<ns2:numUnique>{}</ns2:numUnique>", j.karim), vec![j.karim.clone()]),
        ("numéro d'un autre territoire", format!("<ns2:numUnique>{}</ns2:numUnique>", j.ailleurs), vec![]),
        ("état actif", "<ns2:etatDemande>A</ns2:etatDemande>".into(), trois.clone()),
        ("état radié", "<ns2:etatDemande>R</ns2:etatDemande>".into(), vec![]),
        (
            "dépôt dans la période",
            "<ns2:dateDepotDebut>2026-11-01</ns2:dateDepotDebut><ns2:dateDepotFin>2026-11-02</ns2:dateDepotFin>".into(),
            trois.clone(),
        ),
        ("dépôt hors période", "<ns2:dateDepotFin>2026-10-31</ns2:dateDepotFin>".into(), vec![]),
        ("dépôt avant la période", "<ns2:dateDepotDebut>2026-11-03</ns2:dateDepotDebut>".into(), vec![]),
        ("motif 05", "<ns2:motifDemande>05</ns2:motifDemande>".into(), vec![j.helene.clone()]),
        (
            "motif 01",
            "<ns2:motifDemande>01</ns2:motifDemande>".into(),
            tries(vec![j.karim.clone(), j.association.clone()]),
        ),
        (
            "commune 31555",
            "<ns2:communeSouhaitee>31555</ns2:communeSouhaitee>".into(),
            tries(vec![j.helene.clone(), j.association.clone()]),
        ),
        (
            "commune 31069",
            "<ns2:communeSouhaitee>31069</ns2:communeSouhaitee>".into(),
            tries(vec![j.helene.clone(), j.karim.clone()]),
        ),
        (
            "délai anormal",
            "<ns2:estDelaiAnormalementLong>true</ns2:estDelaiAnormalementLong>".into(),
            vec![j.karim.clone()],
        ),
        (
            "multiples attributions non",
            "<ns2:estMultiplesAttributionsSousConditions>false</ns2:estMultiplesAttributionsSousConditions>".into(),
            tries(vec![j.helene.clone(), j.karim.clone()]),
        ),
        (
            "association",
            "<ns2:association><ns2:nom>association  toit-solidaire 31</ns2:nom></ns2:association>".into(),
            vec![j.association.clone()],
        ),
        (
            "nom accentué",
            "<ns2:personneRecherchee><ns2:nom>Lefevre Dupont</ns2:nom></ns2:personneRecherchee>".into(),
            vec![j.helene.clone()],
        ),
        (
            "prénom",
            "<ns2:personneRecherchee><ns2:prenom>HELENE</ns2:prenom></ns2:personneRecherchee>".into(),
            vec![j.helene.clone()],
        ),
        (
            "naissance",
            "<ns2:personneRecherchee><ns2:dateNaissance>1980-01-01</ns2:dateNaissance></ns2:personneRecherchee>".into(),
            vec![j.helene.clone()],
        ),
        (
            "nom de naissance du cotitulaire",
            "<ns2:personneRecherchee><ns2:nom>martin</ns2:nom><ns2:prenom>Karim</ns2:prenom></ns2:personneRecherchee>"
                .into(),
            tries(vec![j.helene.clone(), j.karim.clone()]),
        ),
        (
            "nom de naissance",
            "<ns2:personneRecherchee><ns2:nom>Durand</ns2:nom></ns2:personneRecherchee>".into(),
            vec![j.karim.clone()],
        ),
    ];
    for (nom, criteres, attendu) in cas {
        let t = rechercher(&gw, "G1104", &criteres).await;
        assert_eq!(t.codes, Vec::<String>::new(), "{nom}: {}", t.fichier);
        assert_eq!(tries(t.nums), attendu, "{nom}");
    }
    // The other territory finds its own Hélène only.
    let t =
        rechercher(&gw, "G2201", "<ns2:personneRecherchee><ns2:prenom>Hélène</ns2:prenom></ns2:personneRecherchee>")
            .await;
    assert_eq!(t.nums, std::slice::from_ref(&j.ailleurs));
    // The answer is the request's file with the list, valid under the served schema.
    let t = rechercher(&gw, "G1104", "<ns2:motifDemande>05</ns2:motifDemande>").await;
    assert!(t.fichier.contains("<ns2:typeFichier>RMC</ns2:typeFichier>"), "{}", t.fichier);
    assert!(t.fichier.contains("<ns2:motifDemande>05</ns2:motifDemande>"));
    assert!(
        xmllint_accepts(&fixtures().join("../schemas/InterfaceNuuRecherche_v0200.xsd"), t.fichier.as_bytes()),
        "{}",
        t.fichier
    );
}

#[tokio::test]
async fn criteria_combine_and_the_person_is_one_person() {
    let gw = spawn_gateway_at(jour_des_fixtures()).await;
    let j = jeu(&gw).await;
    let cas: Vec<(&str, &str, Vec<String>)> = vec![
        (
            "commune et période",
            "<ns2:dateDepotDebut>2026-11-02</ns2:dateDepotDebut><ns2:dateDepotFin>2026-11-02</ns2:dateDepotFin><ns2:communeSouhaitee>31555</ns2:communeSouhaitee>",
            tries(vec![j.helene.clone(), j.association.clone()]),
        ),
        (
            "commune, dépôt avant la période",
            "<ns2:dateDepotDebut>2026-11-03</ns2:dateDepotDebut><ns2:dateDepotFin>2026-11-30</ns2:dateDepotFin><ns2:communeSouhaitee>31555</ns2:communeSouhaitee>",
            vec![],
        ),
        ("commune et motif", "<ns2:motifDemande>01</ns2:motifDemande><ns2:communeSouhaitee>31069</ns2:communeSouhaitee>", vec![j.karim.clone()]),
        ("autre commune et motif", "<ns2:motifDemande>01</ns2:motifDemande><ns2:communeSouhaitee>31555</ns2:communeSouhaitee>", vec![j.association.clone()]),
        ("motif et commune disjoints", "<ns2:motifDemande>23</ns2:motifDemande><ns2:communeSouhaitee>31555</ns2:communeSouhaitee><ns2:estDelaiAnormalementLong>true</ns2:estDelaiAnormalementLong>", vec![]),
        (
            "nom et naissance d'une même personne",
            "<ns2:personneRecherchee><ns2:nom>MARTIN</ns2:nom><ns2:dateNaissance>1986-10-05</ns2:dateNaissance></ns2:personneRecherchee>",
            tries(vec![j.helene.clone(), j.karim.clone()]),
        ),
        // Karim MARTIN is born 1986-10-05 and Camille 1988-03-12: no one person is Karim born 1988.
        (
            "prénom et naissance de deux personnes",
            "<ns2:personneRecherchee><ns2:prenom>Karim</ns2:prenom><ns2:dateNaissance>1988-03-12</ns2:dateNaissance></ns2:personneRecherchee>",
            vec![],
        ),
        (
            "personne, état, motif, délai",
            "<ns2:etatDemande>A</ns2:etatDemande><ns2:motifDemande>01</ns2:motifDemande><ns2:estDelaiAnormalementLong>true</ns2:estDelaiAnormalementLong><ns2:personneRecherchee><ns2:prenom>karim</ns2:prenom></ns2:personneRecherchee>",
            vec![j.karim.clone()],
        ),
        ("motif seul", "<ns2:motifDemande>05</ns2:motifDemande>", vec![j.helene.clone()]),
    ];
    for (nom, criteres, attendu) in cas {
        let t = rechercher(&gw, "G1104", criteres).await;
        assert_eq!(t.codes, Vec::<String>::new(), "{nom}: {}", t.fichier);
        assert_eq!(tries(t.nums), attendu, "{nom}");
    }
    let t = rechercher(
        &gw,
        "G1104",
        &format!("<ns2:numUnique>{}</ns2:numUnique><ns2:motifDemande>05</ns2:motifDemande>", j.karim),
    )
    .await;
    assert!(t.nums.is_empty() && t.codes.is_empty());
}

#[tokio::test]
async fn radiation_allocation_and_pieces_are_searchable() {
    let gw = spawn_gateway_at(jour_des_fixtures()).await;
    let j = jeu(&gw).await;
    let radatt = "<ns2:radiation><ns2:dateRadiation>2026-11-02</ns2:dateRadiation><ns2:motifRadiation code=\"RADATT\"/><ns2:attributionLogement><ns2:dateSignatureBail>2026-10-28</ns2:dateSignatureBail><ns2:dejaLogeParcBailleur code=\"NON\"/><ns2:accordCollectif code=\"AUCUN\"/><ns2:typeReservataire code=\"PPRIOR\"/><ns2:adresse><ns2:codePostal>31300</ns2:codePostal><ns2:commune code=\"31555\"/></ns2:adresse></ns2:attributionLogement></ns2:radiation>";
    assert_eq!(changer(&gw, &j.karim, "RAD", radatt).await, []);
    let cat = deposer(&gw, "G1104", &entree(&j.association, "AVISIMPOT", "DEM", "avis.pdf", &pdf(), None)).await;
    assert!(cat.id.is_some(), "{:?}", cat.codes);
    let sante = deposer(&gw, "G1104", &entree(&j.helene, "SANTE", "DEM", "certificat.png", &png(), None)).await;
    assert!(sante.id.is_some());
    let cas: Vec<(&str, &str, &'static str, Vec<String>)> = vec![
        ("radiée", "<ns2:etatDemande>R</ns2:etatDemande>", "G1104", vec![j.karim.clone()]),
        ("motif de radiation", "<ns2:motifRadiation>RADATT</ns2:motifRadiation>", "G1104", vec![j.karim.clone()]),
        ("commune d'attribution", "<ns2:communeAttribution>31555</ns2:communeAttribution>", "G1104", vec![j.karim.clone()]),
        ("radiée dans la période", "<ns2:dateRadiationDebut>2026-11-02</ns2:dateRadiationDebut><ns2:dateRadiationFin>2026-11-02</ns2:dateRadiationFin>", "G1104", vec![j.karim.clone()]),
        ("radiée hors période", "<ns2:dateRadiationDebut>2026-11-03</ns2:dateRadiationDebut>", "G1104", vec![]),
        ("radiée, période et motif", "<ns2:dateRadiationFin>2026-11-30</ns2:dateRadiationFin><ns2:motifDemande>01</ns2:motifDemande>", "G1104", vec![j.karim.clone()]),
        // The radiated application is still found by its person.
        ("personne radiée", "<ns2:etatDemande>R</ns2:etatDemande><ns2:personneRecherchee><ns2:prenom>Karim</ns2:prenom></ns2:personneRecherchee>", "G1104", vec![j.karim.clone()]),
        ("catégorie", "<ns2:piecesJustificatives><ns2:codeCategorie>AVISIMPOT</ns2:codeCategorie></ns2:piecesJustificatives>", "G1104", vec![j.association.clone()]),
        ("deux catégories", "<ns2:piecesJustificatives><ns2:codeCategorie>AVISIMPOT</ns2:codeCategorie><ns2:codeCategorie>SANTE</ns2:codeCategorie></ns2:piecesJustificatives>", "G1104", vec![]),
        ("catégorie sensible, consultant sensible", "<ns2:piecesJustificatives><ns2:codeCategorie>SANTE</ns2:codeCategorie></ns2:piecesJustificatives>", "C1103", vec![j.helene.clone()]),
        ("consultant simple", "<ns2:etatDemande>A</ns2:etatDemande><ns2:communeSouhaitee>31069</ns2:communeSouhaitee>", "C1101", vec![j.helene.clone()]),
    ];
    for (nom, criteres, qui, attendu) in cas {
        let t = rechercher(&gw, qui, criteres).await;
        assert_eq!(t.codes, Vec::<String>::new(), "{nom}: {}", t.fichier);
        assert_eq!(tries(t.nums), attendu, "{nom}");
    }
    // The radiation undone, the application is active again under every criterion.
    assert_eq!(
        changer(
            &gw,
            &j.karim,
            "RAD",
            "<ns2:radiation><ns2:dateRadiation>2026-11-02</ns2:dateRadiation><ns2:motifRadiation/></ns2:radiation>"
        )
        .await,
        []
    );
    assert!(rechercher(&gw, "G1104", "<ns2:etatDemande>R</ns2:etatDemande>").await.nums.is_empty());
    assert!(rechercher(&gw, "G1104", "<ns2:communeAttribution>31555</ns2:communeAttribution>").await.nums.is_empty());
    assert_eq!(
        rechercher(
            &gw,
            "G1104",
            "<ns2:motifDemande>01</ns2:motifDemande><ns2:estDelaiAnormalementLong>true</ns2:estDelaiAnormalementLong>"
        )
        .await
        .nums,
        std::slice::from_ref(&j.karim)
    );
    // A category stays searchable across a modification; the last piece of it gone, it does not.
    assert_eq!(changer(&gw, &j.association, "MOD", "").await, []);
    let avis = "<ns2:piecesJustificatives><ns2:codeCategorie>AVISIMPOT</ns2:codeCategorie></ns2:piecesJustificatives>";
    assert_eq!(rechercher(&gw, "G1104", avis).await.nums, std::slice::from_ref(&j.association));
    let reply = crate::pieces::appel(
        &gw,
        "G1104",
        "supprimerPiece",
        "supprimerPieceParametres",
        &format!("<idPiece>{}</idPiece>", cat.id.unwrap()),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(rechercher(&gw, "G1104", avis).await.nums.is_empty());
}

#[tokio::test]
async fn refusals_name_the_criterion_and_a_provider_may_not_search() {
    let gw = spawn_gateway_at(jour_des_fixtures()).await;
    for (criteres, code) in [
        ("<ns2:etatDemande>X</ns2:etatDemande>", "RCH-ETAT"),
        ("<ns2:numUnique>123</ns2:numUnique>", "RCH-NUM"),
        (
            "<ns2:dateDepotDebut>2026-11-02</ns2:dateDepotDebut><ns2:dateDepotFin>2026-11-01</ns2:dateDepotFin>",
            "RCH-DATES",
        ),
        ("<ns2:motifDemande>99</ns2:motifDemande>", "RCH-CODE"),
        ("<ns2:motifRadiation>RADXXX</ns2:motifRadiation>", "RCH-CODE"),
        ("<ns2:personneRecherchee/>", "RCH-PERS"),
        ("<ns2:personneRecherchee><ns2:nom>--</ns2:nom></ns2:personneRecherchee>", "RCH-NOM"),
        (
            "<ns2:piecesJustificatives><ns2:codeCategorie>INCONNUE</ns2:codeCategorie></ns2:piecesJustificatives>",
            "RCH-CAT",
        ),
        ("<ns2:etatDemande>AB</ns2:etatDemande>", "XSD-LONG"),
        ("<ns2:communeSouhaitee>31555</ns2:communeSouhaitee><ns2:etatDemande>A</ns2:etatDemande>", "XSD-INATT"),
    ] {
        let t = rechercher(&gw, "G1104", criteres).await;
        assert_eq!(t.codes, [code], "{criteres}: {}", t.fichier);
        assert!(t.nums.is_empty());
        // Refused, the answer still validates: nothing invalid is echoed.
        assert!(
            xmllint_accepts(&fixtures().join("../schemas/InterfaceNuuRecherche_v0200.xsd"), t.fichier.as_bytes()),
            "{criteres}: {}",
            t.fichier
        );
    }
    // A consultant who does not see sensitive pieces cannot search by their category.
    let sante = "<ns2:piecesJustificatives><ns2:codeCategorie>SANTE</ns2:codeCategorie></ns2:piecesJustificatives>";
    assert_eq!(rechercher(&gw, "C1102", sante).await.codes, ["RCH-CAT"]);
    let b64 = base64::engine::general_purpose::STANDARD.encode(fichier_recherche(""));
    let body = format!(
        r#"<soap:Envelope xmlns:soap="{NS_SOAP12}"><soap:Body><ns2:fichierXmlParametres xmlns:ns2="{NS}"><nomFichier>r.xml</nomFichier><fichierXml>{b64}</fichierXml></ns2:fichierXmlParametres></soap:Body></soap:Envelope>"#
    );
    let ct = soap12_headers(ACTION_RECHERCHE);
    let reply =
        gw.request(As::Guichet("P0001"), "POST", CHEMIN, &[("Content-Type", &ct)], body.clone().into_bytes()).await;
    assert_eq!(reply.status, 500, "{}", reply.text());
    assert!(reply.text().contains("Accès refusé") && reply.text().contains("prestataire"), "{}", reply.text());
    // An action naming another operation is refused.
    let ct = soap12_headers("http://ws.metier.nuu.application.i2/getNumUnique");
    let reply = gw.request(As::Guichet("G1104"), "POST", CHEMIN, &[("Content-Type", &ct)], body.into_bytes()).await;
    assert!(reply.text().contains("Action SOAP incohérente"), "{}", reply.text());
}

#[tokio::test]
async fn the_cap_cuts_in_a_stable_order_and_says_so_and_results_are_journaled() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let mut settings = sne_gateway::config::Settings::load(&dir.join(sne_gateway::school::CONFIG_FILE)).unwrap();
    settings.recherche.max_resultats = 2;
    let mut gw = launch_at(&dir, settings, jour_des_fixtures()).await;
    gw.hold(tmp);
    let j = jeu(&gw).await;
    let premiere = rechercher(&gw, "G1104", "<ns2:etatDemande>A</ns2:etatDemande>").await;
    assert_eq!(premiere.codes, ["RCH-LIMITE"], "{}", premiere.fichier);
    // Same filing day: number order.
    let mut tous = [j.helene.clone(), j.karim.clone(), j.association.clone()];
    tous.sort();
    assert_eq!(premiere.nums, tous[..2]);
    assert!(premiere.fichier.contains("la recherche (recherche.max_resultats)"));
    assert_eq!(rechercher(&gw, "G1104", "<ns2:etatDemande>A</ns2:etatDemande>").await.nums, premiere.nums);
    // Each number returned is in the access journal, the others not.
    let config = gw.dir.join(sne_gateway::school::CONFIG_FILE);
    gw.stop().await;
    let journal = |num: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sne-gateway"))
            .args(["journal", "--config"])
            .arg(&config)
            .args(["--num-unique", num])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let lignes = journal(&tous[0]);
    assert!(lignes.contains("G1104") && lignes.contains("rechercheDemandeMulticritere"), "{lignes}");
    assert!(!journal(&tous[2]).contains("rechercheDemandeMulticritere"));
}

#[tokio::test]
async fn renewal_dates_are_searchable_and_the_systems_radiation_keeps_what_the_file_said() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let settings = sne_gateway::config::Settings::load(&dir.join(sne_gateway::school::CONFIG_FILE)).unwrap();
    let mut gw = launch_at(&dir, settings.clone(), jour_des_fixtures()).await;
    let j = jeu(&gw).await;
    gw.stop().await;
    // Eleven months later the renewal window is open.
    let plus_tard = sne_gateway::registry::HorlogeFixe::a(time::macros::datetime!(2027-10-20 10:00 UTC));
    let mut gw = launch_at(&dir, settings, plus_tard).await;
    gw.hold(tmp);
    let ren = "<ns2:renouvellement><ns2:dateRenouvellement>2027-10-20</ns2:dateRenouvellement></ns2:renouvellement>";
    assert_eq!(changer(&gw, &j.helene, "REN", ren).await, []);
    for (criteres, attendu) in [
        ("<ns2:dateRenouvellementDebut>2027-10-01</ns2:dateRenouvellementDebut>", vec![j.helene.clone()]),
        ("<ns2:dateRenouvellementFin>2027-10-19</ns2:dateRenouvellementFin>", vec![]),
        (
            "<ns2:dateDepotDebut>2026-11-02</ns2:dateDepotDebut><ns2:dateRenouvellementDebut>2027-10-20</ns2:dateRenouvellementDebut><ns2:dateRenouvellementFin>2027-10-20</ns2:dateRenouvellementFin>",
            vec![j.helene.clone()],
        ),
        (
            "<ns2:dateRenouvellementDebut>2027-10-20</ns2:dateRenouvellementDebut><ns2:motifDemande>01</ns2:motifDemande>",
            vec![],
        ),
        (
            "<ns2:dateRenouvellementDebut>2027-10-20</ns2:dateRenouvellementDebut><ns2:personneRecherchee><ns2:prenom>Hélène</ns2:prenom></ns2:personneRecherchee>",
            vec![j.helene.clone()],
        ),
        // The renewal keeps what the file says: motives and persons.
        ("<ns2:motifDemande>05</ns2:motifDemande><ns2:personneRecherchee><ns2:nom>lefevre dupont</ns2:nom></ns2:personneRecherchee>", vec![j.helene.clone()]),
    ] {
        let t = rechercher(&gw, "G1104", criteres).await;
        assert_eq!(t.codes, Vec::<String>::new(), "{criteres}: {}", t.fichier);
        assert_eq!(t.nums, attendu, "{criteres}");
    }
    // Past expiry plus a month, the system radiates the others for non-renewal (RADREN) at
    // start-up: they are found as radiated, still by their person and motives.
    let config = gw.dir.join(sne_gateway::school::CONFIG_FILE);
    gw.stop().await;
    let settings = sne_gateway::config::Settings::load(&config).unwrap();
    let encore_plus_tard = sne_gateway::registry::HorlogeFixe::a(time::macros::datetime!(2027-12-10 10:00 UTC));
    let gw = launch_at(&gw.dir.clone(), settings, encore_plus_tard).await;
    let radiees = "<ns2:etatDemande>R</ns2:etatDemande><ns2:motifRadiation>RADREN</ns2:motifRadiation>";
    let mut t = rechercher(&gw, "G1104", radiees).await;
    for _ in 0..50 {
        if t.nums.len() == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        t = rechercher(&gw, "G1104", radiees).await;
    }
    assert_eq!(tries(t.nums), tries(vec![j.karim.clone(), j.association.clone()]));
    let karim = "<ns2:etatDemande>R</ns2:etatDemande><ns2:motifDemande>01</ns2:motifDemande><ns2:estDelaiAnormalementLong>true</ns2:estDelaiAnormalementLong><ns2:personneRecherchee><ns2:prenom>Karim</ns2:prenom><ns2:dateNaissance>1986-10-05</ns2:dateNaissance></ns2:personneRecherchee>";
    assert_eq!(rechercher(&gw, "G1104", karim).await.nums, std::slice::from_ref(&j.karim));
    assert_eq!(
        rechercher(&gw, "G1104", "<ns2:etatDemande>A</ns2:etatDemande>").await.nums,
        std::slice::from_ref(&j.helene)
    );
    let _ = j.ailleurs;
}
