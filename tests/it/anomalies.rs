//! Invalid files come back with every anomaly, and nothing is stored.

use std::collections::BTreeMap;

use crate::helpers::*;

#[tokio::test]
async fn every_invalid_fixture_gives_its_anomalies_and_stores_nothing() {
    let mut gw = spawn_gateway().await;
    let expected = String::from_utf8(fixture("demande/invalid/expected.tsv")).unwrap();
    let mut by_file: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for line in expected.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        let cols: Vec<&str> = line.split('\t').collect();
        by_file.entry(cols[0].to_string()).or_default().push((cols[1].to_string(), cols[2].to_string()));
    }
    assert!(by_file.len() >= 15, "trop peu de fixtures invalides");
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    let mut failures = Vec::new();
    for (file, mut want) in by_file {
        let bytes = fixture(&format!("demande/invalid/{file}"));
        let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], num_unique_inline(&bytes)).await;
        let mut got = if reply.status == 200 {
            let env = decode_reply(&reply);
            anomalies_of(&binary_child(&env, "fichierDemande"))
        } else {
            // A file too broken to carry a listeAnomalie comes back as a fault listing the
            // anomalies as "[CODE] propriete : message".
            assert_eq!(reply.status, 500, "{file}: {}", reply.text());
            let text = reply.text();
            let message = text.split("<message>").nth(1).unwrap_or("").split("</message>").next().unwrap_or("");
            message
                .split('[')
                .skip(1)
                .filter_map(|chunk| {
                    let (code, rest) = chunk.split_once("] ")?;
                    let propriete = rest.split(" : ").next()?;
                    Some((code.to_string(), propriete.to_string()))
                })
                .collect()
        };
        got.sort();
        want.sort();
        if got != want {
            failures.push(format!("{file}: attendu {want:?}, obtenu {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(stored_count(&mut gw).await, 0, "une demande invalide a été enregistrée");
}

#[tokio::test]
async fn anomalies_are_in_french_and_name_the_element() {
    let gw = spawn_gateway().await;
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    let bytes = fixture("demande/invalid/expected.tsv");
    let first = String::from_utf8(bytes).unwrap();
    let line = first.lines().find(|l| l.contains("XSD-LONG")).expect("une fixture XSD-LONG");
    let file = line.split('\t').next().unwrap();
    let reply = gw
        .post_soap(
            As::Guichet("G1104"),
            &[("Content-Type", &ct)],
            num_unique_inline(&fixture(&format!("demande/invalid/{file}"))),
        )
        .await;
    let env = decode_reply(&reply);
    let text = String::from_utf8(binary_child(&env, "fichierDemande")).unwrap();
    assert!(text.contains("longueur maximale"), "{text}");
}

#[tokio::test]
async fn business_rules_are_reported_together_and_store_nothing() {
    let mut gw = spawn_gateway().await;
    let file = String::from_utf8(fixture("demande/valid/cre_minimal_v0200.xml")).unwrap();
    let (head, tail) = file.split_once("</ns2:numGuichet>").unwrap();
    let broken = format!("{head}</ns2:numGuichet><ns2:numUnique>1110318016982G1104</ns2:numUnique>{tail}");
    let date = broken.split("<ns2:dateCreationDemande>").nth(1).unwrap().split('<').next().unwrap().to_string();
    let broken = broken.replace(&format!("<ns2:dateCreationDemande>{date}<"), "<ns2:dateCreationDemande>2099-01-01<");
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    let reply =
        gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], num_unique_inline(broken.as_bytes())).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let returned = binary_child(&decode_reply(&reply), "fichierDemande");
    assert!(
        !String::from_utf8_lossy(&returned).contains(":numUnique>"),
        "un CRE refusé porte un numéro auquel le client pourrait croire"
    );
    let mut got = anomalies_of(&returned);
    got.sort();
    let d = "interfaceNuu/demande/demandeLogement";
    assert_eq!(
        got,
        vec![
            ("CRE-NUM".to_string(), format!("{d}/numUnique")),
            ("DATE-FUT".to_string(), format!("{d}/dateCreationDemande"))
        ]
    );
    assert_eq!(stored_count(&mut gw).await, 0);
}

/// Schema-valid files that break a business rule: each comes back with exactly its anomaly (code
/// and element path), xmllint accepts the file (so the rule really is beyond the schema), and
/// nothing is stored.
#[tokio::test]
async fn business_controls_give_their_anomaly_on_schema_valid_files() {
    let mut gw = spawn_gateway().await;
    let expected = String::from_utf8(fixture("demande/metier/expected.tsv")).unwrap();
    let mut by_file: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for line in expected.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        let cols: Vec<&str> = line.split('\t').collect();
        by_file.entry(cols[0].to_string()).or_default().push((cols[1].to_string(), cols[2].to_string()));
    }
    assert!(by_file.len() >= 8, "{by_file:?}");
    let schema = fixtures().join("../schemas/InterfaceNuu_v0201.xsd");
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    let mut failures = Vec::new();
    for (file, mut want) in by_file {
        let bytes = fixture(&format!("demande/metier/{file}"));
        assert!(xmllint_accepts(&schema, &bytes), "{file}: not schema-valid, the control proves nothing");
        let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], num_unique_inline(&bytes)).await;
        assert_eq!(reply.status, 200, "{file}: {}", reply.text());
        let returned = binary_child(&decode_reply(&reply), "fichierDemande");
        assert!(num_unique_of(&returned).is_none(), "{file}: a refused CRE carries no number");
        let mut got = anomalies_of(&returned);
        got.sort();
        want.sort();
        if got != want {
            failures.push(format!("{file}: attendu {want:?}, obtenu {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(stored_count(&mut gw).await, 0);
}
