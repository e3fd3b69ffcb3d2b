//! Duplicates: `getDoublons` on complete and partial files, and the check of a `CRE`, with the
//! spellings of one name meeting (accents, hyphens, apostrophes, spaces, case, birth name).

use crate::helpers::*;

const ACTION_DOUBLONS: &str = "http://ws.metier.nuu.application.i2/getDoublons";

/// The complete example with the applicant renamed and the co-applicant born another day (so
/// the two examples share nobody).
pub fn variante(nom: &str, naissance: &str, prenom: &str, cotitulaire_ne_le: &str) -> String {
    String::from_utf8(fixture("demande/valid/cre_complet_v0201.xml"))
        .unwrap()
        .replacen(
            "<ns2:nom>MARTIN</ns2:nom>\n          <ns2:nomPatronymique>DURAND</ns2:nomPatronymique>\n          <ns2:prenom>Camille</ns2:prenom>",
            &format!("<ns2:nom>{nom}</ns2:nom>\n          <ns2:nomPatronymique>{naissance}</ns2:nomPatronymique>\n          <ns2:prenom>{prenom}</ns2:prenom>"),
            1,
        )
        .replacen("<ns2:dateNaissance>1986-10-05<", &format!("<ns2:dateNaissance>{cotitulaire_ne_le}<"), 1)
        // Distinct registrations, not retries of one.
        .replacen("<ns2:refInterne>ECOLE-2026-000417</ns2:refInterne>", "", 1)
}

struct Reponse {
    fichier: String,
    doublons: Option<String>,
}

async fn doublons(gw: &TestGateway, who: &'static str, file: &str) -> Reponse {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(file);
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="{NS_SOAP12}"><soap:Body><ns2:rechercheDoublonsParametres xmlns:ns2="http://ws.metier.nuu.application.i2/"><nomFichierDemande>DEMG1104-202611021030-000001.xml</nomFichierDemande><fichierDemande>{b64}</fichierDemande></ns2:rechercheDoublonsParametres></soap:Body></soap:Envelope>"#
    );
    let ct = soap12_headers(ACTION_DOUBLONS);
    let reply = gw.post_soap(As::Guichet(who), &[("Content-Type", &ct)], body.into_bytes()).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let env = decode_reply(&reply);
    assert_eq!(env.body.name, "rechercheDoublonsReponse");
    let doublons =
        env.body.child("listeDoublons").map(|_| String::from_utf8(binary_child(&env, "listeDoublons")).unwrap());
    if doublons.is_some() {
        assert!(env.body.child("nomFichierDoublons").unwrap().text().starts_with("DOUG"));
    }
    Reponse { fichier: String::from_utf8(binary_child(&env, "fichierDemande")).unwrap(), doublons }
}

fn partiel(nom: &str, prenom: &str, naissance: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><ns2:interfaceNuu xmlns:ns2="http://nuu.application.i2/" versionInterface="02.01"><ns2:entete><ns2:typeFichier>CRE</ns2:typeFichier><ns2:dateFichier>2026-11-02T10:00:00</ns2:dateFichier></ns2:entete><ns2:demande><ns2:demandeLogement><ns2:numGuichet>G1104</ns2:numGuichet><ns2:personnePhysique><ns2:demandeur><ns2:nom>{nom}</ns2:nom><ns2:prenom>{prenom}</ns2:prenom><ns2:dateNaissance>{naissance}</ns2:dateNaissance></ns2:demandeur></ns2:personnePhysique></ns2:demandeLogement></ns2:demande></ns2:interfaceNuu>"#
    )
}

async fn enregistrer(gw: &TestGateway, file: &str) -> Result<String, (Vec<String>, String)> {
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], num_unique_inline(file.as_bytes())).await;
    let f = String::from_utf8(binary_child(&decode_reply(&reply), "fichierDemande")).unwrap();
    let codes: Vec<String> = anomalies_of(f.as_bytes()).into_iter().map(|(c, _)| c).collect();
    if codes.is_empty() {
        Ok(num_unique_of(f.as_bytes()).unwrap())
    } else {
        Err((codes, f))
    }
}

fn nums(liste: &str) -> Vec<String> {
    liste.split("<ns2:numUnique>").skip(1).map(|s| s.split('<').next().unwrap().to_string()).collect()
}

#[tokio::test]
async fn a_second_registration_of_a_person_is_refused_with_its_duplicates_unless_forced() {
    let gw = spawn_gateway().await;
    // Without refInterne: a second CRE is a new request, not a retry of the first.
    let file = String::from_utf8(fixture("demande/valid/cre_complet_v0201.xml"))
        .unwrap()
        .replacen("<ns2:forcerDoublon>true<", "<ns2:forcerDoublon>false<", 1)
        .replacen("<ns2:refInterne>ECOLE-2026-000417</ns2:refInterne>", "", 1);
    let premier = enregistrer(&gw, &file).await.unwrap();
    let (codes, rejet) = enregistrer(&gw, &file).await.unwrap_err();
    assert_eq!(codes, ["DOU-TROUVE"]);
    assert!(num_unique_of(rejet.as_bytes()).is_none(), "a refused CRE carries no number");
    assert!(rejet.contains(&premier) && rejet.contains("forcerDoublon"), "the message names it: {rejet}");
    assert!(!rejet.contains("<ns2:numUnique>") && !rejet.contains("listeDoublons"), "{rejet}");
    assert!(xmllint_accepts(&fixtures().join("../schemas/InterfaceNuu_v0201.xsd"), rejet.as_bytes()));

    let force = file.replacen("<ns2:forcerDoublon>false<", "<ns2:forcerDoublon>true<", 1);
    let second = enregistrer(&gw, &force).await.unwrap();
    assert_ne!(second, premier);
}

#[tokio::test]
async fn get_doublons_finds_every_spelling_within_the_territory_and_active_applications_only() {
    let gw = spawn_gateway().await;
    let martin = enregistrer(&gw, &variante("MARTIN", "DURAND", "Camille", "1986-10-05")).await.unwrap();
    let le_gall = enregistrer(&gw, &variante("Le Gall", "N'Diaye", "Hélène", "1986-10-06")).await.unwrap();

    // Surname, birth name, and their spellings.
    for (nom, prenom, attendu) in [
        ("LE-GALL", "HELENE", &le_gall),
        ("Legall", "Helene", &le_gall),
        ("le gall", "hélène", &le_gall),
        ("NDIAYE", "Hélène", &le_gall),
        ("n’diaye", "HÉLÈNE", &le_gall),
        ("Martin", "CAMILLE", &martin),
        ("durand", "camille", &martin),
    ] {
        let r = doublons(&gw, "G1104", &partiel(nom, prenom, "1988-03-12")).await;
        let liste = r.doublons.unwrap_or_else(|| panic!("{nom} {prenom}: aucun doublon"));
        assert_eq!(nums(&liste), std::slice::from_ref(attendu), "{nom} {prenom}");
        assert!(xmllint_accepts(&fixtures().join("../schemas/Doublon_V0200.xsd"), liste.as_bytes()), "{liste}");
        assert!(r.fichier.contains("<ns2:listeDoublons>") && r.fichier.contains(":interfaceNuu"), "{}", r.fichier);
    }
    // The co-applicant is found too, and a complete file gets its duplicates placed inside it.
    let r = doublons(&gw, "G1104", &partiel("Martin", "Karim", "1986-10-05")).await;
    assert_eq!(nums(&r.doublons.unwrap()), std::slice::from_ref(&martin));
    let complet = variante("MARTIN", "DURAND", "Camille", "1986-10-05");
    let r = doublons(&gw, "G1104", &complet).await;
    assert!(
        xmllint_accepts(&fixtures().join("../schemas/InterfaceNuu_v0201.xsd"), r.fichier.as_bytes()),
        "{}",
        r.fichier
    );

    // Another first name, birth date or territory: nothing, and no listeDoublons at all.
    for (who, nom, prenom, date) in [
        ("G1104", "Le Gall", "Hélèna", "1988-03-12"),
        ("G1104", "Le Gall", "Hélène", "1988-03-13"),
        ("G2201", "Le Gall", "Hélène", "1988-03-12"),
    ] {
        let file = partiel(nom, prenom, date).replace(">G1104<", &format!(">{who}<"));
        let r = doublons(&gw, who, &file).await;
        assert!(r.doublons.is_none() && !r.fichier.contains("listeDoublons"), "{who} {prenom} {date}");
    }
    // A partial file needs the name, first name and birth date.
    let r = doublons(
        &gw,
        "G1104",
        &partiel("Le Gall", "Hélène", "").replace("<ns2:dateNaissance></ns2:dateNaissance>", ""),
    )
    .await;
    assert!(r.doublons.is_none());
    assert_eq!(
        anomalies_of(r.fichier.as_bytes()),
        [(
            "DOU-ABS".to_string(),
            "interfaceNuu/demande/demandeLogement/personnePhysique/demandeur/dateNaissance".to_string()
        )]
    );

    // A radiated application is no longer a duplicate.
    let stocke = String::from_utf8(binary_child(
        &decode_reply(
            &gw.post_soap(
                As::Guichet("G1104"),
                &[("Content-Type", &soap12_headers(ACTION_DEMANDE))],
                demande_logement_inline(&le_gall),
            )
            .await,
        ),
        "fichierDemande",
    ))
    .unwrap();
    let rad = stocke.replacen("<ns2:typeFichier>CRE<", "<ns2:typeFichier>RAD<", 1).replacen(
        "<ns2:incrementFichier>",
        "<ns2:radiation><ns2:dateRadiation>2026-11-02</ns2:dateRadiation><ns2:motifRadiation code=\"RADABA\"/></ns2:radiation><ns2:incrementFichier>",
        1,
    );
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], num_unique_inline(rad.as_bytes())).await;
    assert!(anomalies_of(&binary_child(&decode_reply(&reply), "fichierDemande")).is_empty());
    assert!(doublons(&gw, "G1104", &partiel("Le Gall", "Hélène", "1988-03-12")).await.doublons.is_none());
}

/// A CRE sent again with the same `refInterne` (a client that lost the answer and retries) gets
/// the application registered the first time, with its certificate; concurrent retries too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retried_registration_with_the_same_ref_interne_answers_the_first_one() {
    let mut gw = spawn_gateway().await;
    let file = String::from_utf8(fixture("demande/valid/cre_complet_v0201.xml")).unwrap();
    assert!(file.contains("<ns2:refInterne>ECOLE-2026-000417<"));
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    let envoi = |file: String| {
        let gw = &gw;
        let ct = ct.clone();
        async move {
            let reply =
                gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], num_unique_inline(file.as_bytes())).await;
            let env = decode_reply(&reply);
            assert!(binary_child(&env, "attestation").starts_with(b"%PDF-"), "a retry gets the certificate too");
            num_unique_of(&binary_child(&env, "fichierDemande")).unwrap()
        }
    };
    let premier = envoi(file.clone()).await;
    assert_eq!(envoi(file.clone()).await, premier);
    // Concurrent retries of another reference all get one number.
    let autre = file.replace("ECOLE-2026-000417", "ECOLE-2026-000418");
    let (a, b, c) = tokio::join!(envoi(autre.clone()), envoi(autre.clone()), envoi(autre.clone()));
    assert!(a == b && b == c && a != premier, "{a} {b} {c}");
    // Without refInterne, the same (forced) file is a new application each time.
    let sans = file.replacen("<ns2:refInterne>ECOLE-2026-000417</ns2:refInterne>", "", 1);
    assert_ne!(envoi(sans.clone()).await, envoi(sans).await);
    assert_eq!(stored_count(&mut gw).await, 4);
}
