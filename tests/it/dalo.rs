//! DALO: the declaration of a decision on an application, and the two lists (new DALO
//! decisions, radiated applications) with their filters, in the result layout of
//! `schemas/ListeNumUnique_v0100.xsd`.

use crate::helpers::*;

const NS: &str = "http://ws.metier.nuu.application.i2/";

async fn appel(gw: &TestGateway, who: &'static str, operation: &str, wrapper: &str, children: &str) -> Reply {
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="{NS_SOAP12}"><soap:Body><ns2:{wrapper} xmlns:ns2="{NS}">{children}</ns2:{wrapper}></soap:Body></soap:Envelope>"#
    );
    let ct = soap12_headers(&format!("{NS}{operation}"));
    gw.post_soap(As::Guichet(who), &[("Content-Type", &ct)], body.into_bytes()).await
}

async fn declarer(gw: &TestGateway, who: &'static str, file: &str) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(file);
    let reply = appel(
        gw,
        who,
        "getDeclarationNouveauDalo",
        "declarationNouveauDaloParametres",
        &format!(
            "<nomFichierDalo>DALO.xml</nomFichierDalo><fichierDalo>{b64}</fichierDalo><nomCertificat/><certificat/>"
        ),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let env = decode_reply(&reply);
    assert_eq!(env.body.name, "declarationNouveauDaloReponse");
    assert!(env.body.child("nomFichierDalo").is_some());
    String::from_utf8(binary_child(&env, "fichierDalo")).unwrap()
}

/// A partial declaration: the number and the DALO block.
fn declaration(num: &str, statut: &str, decision: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><ns2:interfaceNuu xmlns:ns2="http://nuu.application.i2/" versionInterface="02.01"><ns2:entete><ns2:typeFichier>MOD</ns2:typeFichier><ns2:dateFichier>2026-11-02T10:00:00</ns2:dateFichier></ns2:entete><ns2:demande><ns2:informationDalo><ns2:statutDalo code="{statut}"/><ns2:dateDecisionDalo>{decision}</ns2:dateDecisionDalo><ns2:diagnosticSocialDalo>true</ns2:diagnosticSocialDalo><ns2:typologieLogementDalo code="03"/></ns2:informationDalo><ns2:demandeLogement><ns2:numGuichet>G1104</ns2:numGuichet><ns2:numUnique>{num}</ns2:numUnique></ns2:demandeLogement></ns2:demande></ns2:interfaceNuu>"#
    )
}

async fn liste(
    gw: &TestGateway,
    who: &'static str,
    operation: &str,
    wrapper: &str,
    children: &str,
    fichier: &str,
) -> String {
    let reply = appel(gw, who, operation, wrapper, children).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let env = decode_reply(&reply);
    let text = String::from_utf8(binary_child(&env, fichier)).unwrap();
    assert!(text.contains(":interfaceNuu") && text.contains("versionInterface=\"01.00\""), "{text}");
    assert!(xmllint_accepts(&fixtures().join("../schemas/ListeNumUnique_v0100.xsd"), text.as_bytes()), "{text}");
    text
}

fn nums(liste: &str) -> Vec<String> {
    liste.split("<ns2:numUnique>").skip(1).map(|s| s.split('<').next().unwrap().to_string()).collect()
}

async fn enregistrer(gw: &TestGateway, rel: &str) -> (String, String) {
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], num_unique_inline(&fixture(rel))).await;
    let f = String::from_utf8(binary_child(&decode_reply(&reply), "fichierDemande")).unwrap();
    assert!(anomalies_of(f.as_bytes()).is_empty(), "{f}");
    (num_unique_of(f.as_bytes()).unwrap(), f)
}

fn codes(f: &str) -> Vec<String> {
    anomalies_of(f.as_bytes()).into_iter().map(|(c, _)| c).collect()
}

#[tokio::test]
async fn a_dalo_decision_is_declared_on_an_application_and_listed_as_new() {
    let gw = spawn_gateway().await;
    // The complete example declares ACTIF at registration; the minimal one has no DALO block.
    let (complet, _) = enregistrer(&gw, "demande/valid/cre_complet_v0201.xml").await;
    let (minimal, _) = enregistrer(&gw, "demande/valid/cre_minimal_v0200.xml").await;

    let f = declarer(&gw, "G1104", &declaration(&minimal, "ACTIF", "2026-10-15")).await;
    assert!(codes(&f).is_empty(), "{f}");
    assert!(f.contains("<ns2:statutDalo code=\"ACTIF\"/>") && f.contains("<ns2:incrementFichier>2<"), "{f}");
    assert!(xmllint_accepts(&fixtures().join("../schemas/InterfaceNuu_v0200.xsd"), f.as_bytes()), "{f}");
    let ct = soap12_headers(ACTION_DEMANDE);
    let relu = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], demande_logement_inline(&minimal)).await;
    assert_eq!(String::from_utf8(binary_child(&decode_reply(&relu), "fichierDemande")).unwrap(), f);

    // Refusals, each with its code; nothing changes.
    assert_eq!(codes(&declarer(&gw, "G1104", &declaration(&minimal, "XYZ", "2026-10-15")).await), ["CODE-INC"]);
    assert_eq!(codes(&declarer(&gw, "G1104", &declaration(&minimal, "ACTIF", "2026-11-04")).await), ["DATE-FUT"]);
    assert_eq!(
        codes(&declarer(&gw, "G1104", &declaration("1111126999999G1104", "ACTIF", "2026-10-15")).await),
        ["DEM-INC"]
    );
    let sans = declaration(&minimal, "ACTIF", "2026-10-15");
    let sans = format!(
        "{}{}",
        &sans[..sans.find("<ns2:informationDalo>").unwrap()],
        &sans[sans.find("</ns2:informationDalo>").unwrap() + 22..]
    );
    assert_eq!(codes(&declarer(&gw, "G1104", &sans).await), ["DALO-ABS"]);
    let autre = declaration(&minimal, "ACTIF", "2026-10-15").replace(">G1104<", ">G2201<");
    assert_eq!(codes(&declarer(&gw, "G2201", &autre).await), ["DEM-INC"], "another territory's is unknown");

    let nouveaux = |depuis: &'static str, who: &'static str| {
        let gw = &gw;
        async move {
            liste(
                gw,
                who,
                "getNouveauxDaloDepuisLe",
                "nouveauxDaloDepuisLeParametres",
                &format!("<dateNouveauDaloDepuisLe>{depuis}</dateNouveauDaloDepuisLe><nomCertificat/><certificat/>"),
                "fichierNouveauxDalo",
            )
            .await
        }
    };
    let l = nouveaux("2026-11-02T00:00:00", "G1104").await;
    let mut attendus = vec![complet.clone(), minimal.clone()];
    attendus.sort();
    assert_eq!(nums(&l), attendus);
    assert!(l.contains("<ns2:statutDalo code=\"ACTIF\"/><ns2:dateDecisionDalo>2026-10-15<"), "{l}");
    assert!(nums(&nouveaux("2026-11-03T00:00:00", "G1104").await).is_empty());
    assert!(nums(&nouveaux("2026-11-01T00:00:00", "G2201").await).is_empty());
}

#[tokio::test]
async fn radiated_applications_are_listed_since_a_day_with_their_filters() {
    let horloge = jour_des_fixtures();
    let gw = spawn_gateway_at(horloge.clone()).await;
    let (num, stocke) = enregistrer(&gw, "demande/valid/cre_complet_v0201.xml").await;
    // Recorded on 4 November, dated 2 November.
    horloge.regler(time::macros::datetime!(2026-11-04 10:00 UTC));
    let attribution = "<ns2:attributionLogement><ns2:dateSignatureBail>2026-10-28</ns2:dateSignatureBail><ns2:dejaLogeParcBailleur code=\"NON\"/><ns2:accordCollectif code=\"AUCUN\"/><ns2:typeReservataire code=\"COLTER\"/></ns2:attributionLogement>";
    let rad = stocke.replacen("<ns2:typeFichier>CRE<", "<ns2:typeFichier>RAD<", 1).replacen(
        "<ns2:incrementFichier>",
        &format!("<ns2:radiation><ns2:dateRadiation>2026-11-02</ns2:dateRadiation><ns2:motifRadiation code=\"RADATT\"/>{attribution}</ns2:radiation><ns2:incrementFichier>"),
        1,
    );
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], num_unique_inline(rad.as_bytes())).await;
    let f = String::from_utf8(binary_child(&decode_reply(&reply), "fichierDemande")).unwrap();
    assert!(codes(&f).is_empty(), "{f}");
    assert_eq!(codes(&declarer(&gw, "G1104", &declaration(&num, "ACTIF", "2026-10-15")).await), ["DALO-RAD"]);

    let radiees = |who: &'static str, depuis: &'static str, filtres: &'static str| {
        let gw = &gw;
        async move {
            liste(
                gw,
                who,
                "getDemandesRadieesDepuisLe",
                "demandesRadieesDepuisLeParametres",
                &format!(
                    "<dateRadiationDepuisLe>{depuis}</dateRadiationDepuisLe>{filtres}<nomCertificat/><certificat/>"
                ),
                "fichierDemandesRadiees",
            )
            .await
        }
    };
    // Listed by the day the radiation was recorded (4 November), though dated 2 November: a
    // client that polled on the 3rd misses nothing.
    let l = radiees("G1104", "2026-11-03T00:00:00", "").await;
    assert_eq!(nums(&l), std::slice::from_ref(&num));
    assert!(
        l.contains("<ns2:dateRadiation>2026-11-02</ns2:dateRadiation><ns2:motifRadiation code=\"RADATT\"/><ns2:typeReservataire code=\"COLTER\"/><ns2:statutDalo code=\"ACTIF\"/>"),
        "{l}"
    );
    assert!(nums(&radiees("G1104", "2026-11-05T00:00:00", "").await).is_empty());
    for (filtre, trouve) in [
        ("<motifRadiation code=\"RADATT\"/>", true),
        ("<motifRadiation code=\"RADABA\"/>", false),
        ("<statutDalo code=\"ACTIF\"/>", true),
        ("<statutDalo code=\"NON\"/>", false),
        ("<typeReservataire code=\"COLTER\"/>", true),
        ("<motifRadiation code=\"RADATT\"/><typeReservataire code=\"PPRIOR\"/>", false),
    ] {
        assert_eq!(!nums(&radiees("G1104", "2026-11-01T00:00:00", filtre).await).is_empty(), trouve, "{filtre}");
    }
    let l = radiees("G1104", "2026-11-01T00:00:00", "<motifRadiation code=\"RADXXX\"/>").await;
    assert_eq!(codes(&l), ["CODE-INC"], "{l}");
    assert!(nums(&radiees("G2201", "2026-11-01T00:00:00", "").await).is_empty(), "territory");
    // A malformed date is a fault naming the parameter.
    let reply = appel(
        &gw,
        "G1104",
        "getDemandesRadieesDepuisLe",
        "demandesRadieesDepuisLeParametres",
        "<dateRadiationDepuisLe>hier</dateRadiationDepuisLe><nomCertificat/><certificat/>",
    )
    .await;
    assert_eq!(reply.status, 500);
    assert!(reply.text().contains("dateRadiationDepuisLe"), "{}", reply.text());
}
