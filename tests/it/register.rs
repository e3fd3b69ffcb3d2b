//! Registering and reading back, in every wire variant deployed clients use.

use crate::helpers::*;

const VARIANTS: &[&str] =
    &["crlf_8bit", "lf_only", "base64_parts", "binary_octet", "start_no_brackets", "cid_percent", "cert_nonempty_7bit"];

fn assert_registered(reply: &Reply) -> (String, Vec<u8>) {
    assert_eq!(reply.status, 200, "{}", reply.text());
    let env = decode_reply(reply);
    assert_eq!(env.body.name, "numUniqueReponse");
    assert_eq!(env.body.ns.as_deref(), Some("http://ws.metier.nuu.application.i2/"));
    let file = binary_child(&env, "fichierDemande");
    let text = String::from_utf8(file.clone()).unwrap();
    assert!(!text.contains("listeAnomalie"), "fichier rejeté : {text}");
    assert!(text.contains("<ns2:interfaceNuu"), "{text}");
    let num = num_unique_of(&file).expect("numUnique absent du fichier renvoyé");
    assert_eq!(num.len(), 18, "{num}");
    assert!(num.starts_with("1111126"), "territoire 111, novembre 2026 : {num}");
    assert!(num.ends_with("G1104"), "{num}");
    let pdf = binary_child(&env, "attestation");
    assert!(pdf.starts_with(b"%PDF-"), "attestation non PDF");
    assert!(env.body.child("nomAttestation").unwrap().text().ends_with(".pdf"));
    (num, file)
}

#[tokio::test]
async fn every_mtom_variant_registers_and_answers_in_mtom() {
    let gw = spawn_gateway().await;
    let mut numbers = Vec::new();
    for v in VARIANTS {
        let reply = gw.post_fixture(As::Guichet("G1104"), v).await;
        assert!(reply.content_type.starts_with("multipart/related"), "{v}: {}", reply.content_type);
        // Deployed clients find the file by searching the raw bytes for a 3-character prefix.
        let raw = reply.text();
        let at = raw.find(":interfaceNuu").unwrap_or_else(|| panic!("{v}: fichier non trouvé en clair"));
        assert_eq!(&raw[at - 4..at], "<ns2", "{v}");
        let (num, file) = assert_registered(&reply);
        // The layout, read without the gateway's codec: root part first, the file as a raw 8bit
        // XML part, the PDF as a base64 part.
        let parts = split_multipart(&reply.content_type, &reply.body);
        assert_eq!(parts.len(), 3, "{v}");
        assert!(parts[0].0.contains("application/xop+xml"), "{v}: {}", parts[0].0);
        let root = String::from_utf8(parts[0].1.clone()).unwrap();
        let (fh, fb) = part_for(&parts, &root, "fichierDemande");
        assert!(fh.to_ascii_lowercase().contains("content-transfer-encoding: 8bit"), "{v}: {fh}");
        assert_eq!(fb, &file, "{v}");
        let (ah, ab) = part_for(&parts, &root, "attestation");
        assert!(ah.to_ascii_lowercase().contains("content-transfer-encoding: base64"), "{v}: {ah}");
        let compact: Vec<u8> = ab.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
        use base64::Engine;
        let pdf = base64::engine::general_purpose::STANDARD.decode(compact).unwrap();
        assert!(pdf.starts_with(b"%PDF-"), "{v}");
        numbers.push(num);
    }
    // Sequences are distinct and consecutive per territory and month.
    let seqs: Vec<u32> = numbers.iter().map(|n| n[7..13].parse().unwrap()).collect();
    assert_eq!(seqs, (1..=VARIANTS.len() as u32).collect::<Vec<_>>());
}

#[tokio::test]
async fn inline_soap12_and_soap11_register() {
    let gw = spawn_gateway().await;
    let reply = gw.post_fixture(As::Guichet("G1104"), "inline_soap12").await;
    assert!(reply.content_type.starts_with("application/soap+xml"), "{}", reply.content_type);
    assert_registered(&reply);
    let reply = gw.post_fixture(As::Guichet("G1104"), "soap11").await;
    assert!(reply.content_type.starts_with("text/xml"), "{}", reply.content_type);
    assert!(reply.text().contains("http://schemas.xmlsoap.org/soap/envelope/"));
    assert_registered(&reply);
}

#[tokio::test]
async fn register_then_read_back_the_same_file() {
    let gw = spawn_gateway().await;
    let file = fixture("demande/valid/cre_complet_v0201.xml");
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], num_unique_inline(&file)).await;
    let (num, returned) = assert_registered(&reply);

    let ct = soap12_headers(ACTION_DEMANDE);
    let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], demande_logement_inline(&num)).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let env = decode_reply(&reply);
    assert_eq!(env.body.name, "demandeLogementReponse");
    let read = binary_child(&env, "fichierDemande");
    assert_eq!(read, returned, "le fichier relu diffère du fichier renvoyé à l'enregistrement");
    // The stored file still carries the applicant's data, the number and the counter.
    let text = String::from_utf8(read).unwrap();
    assert!(text.contains(&num));
    let original = String::from_utf8(file).unwrap();
    let nom = original.split("<ns2:nom>").nth(1).unwrap().split('<').next().unwrap();
    assert!(text.contains(nom), "nom du demandeur perdu");
}

#[tokio::test]
async fn files_the_gateway_writes_are_schema_valid() {
    let gw = spawn_gateway().await;
    for f in ["cre_complet_v0201.xml", "cre_association_v0201.xml", "cre_minimal_v0200.xml"] {
        let schema = fixtures().join(if f.ends_with("v0200.xml") {
            "../schemas/InterfaceNuu_v0200.xsd"
        } else {
            "../schemas/InterfaceNuu_v0201.xsd"
        });
        let file = fixture(&format!("demande/valid/{f}"));
        let ct = soap12_headers(ACTION_NUM_UNIQUE);
        let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], num_unique_inline(&file)).await;
        let (_, returned) = assert_registered(&reply);
        assert!(xmllint_accepts(&schema, &returned), "{f}: fichier écrit refusé par xmllint");
        let version = if f.ends_with("v0200.xml") { "02.00" } else { "02.01" };
        assert!(String::from_utf8_lossy(&returned).contains(&format!("versionInterface=\"{version}\"")), "{f}");
    }
}

#[tokio::test]
async fn unknown_number_is_an_anomaly_and_other_territories_are_invisible() {
    let gw = spawn_gateway().await;
    let file = fixture("demande/valid/cre_minimal_v0200.xml");
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], num_unique_inline(&file)).await;
    let (num, _) = assert_registered(&reply);

    let ct = soap12_headers(ACTION_DEMANDE);
    for (who, n) in [("G1104", "1111126999999G1104"), ("G2201", num.as_str())] {
        let reply = gw.post_soap(As::Guichet(who), &[("Content-Type", &ct)], demande_logement_inline(n)).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        let env = decode_reply(&reply);
        let text = String::from_utf8(binary_child(&env, "fichierDemande")).unwrap();
        assert!(text.contains("listeAnomalie") && text.contains("DEM-INC"), "{who}: {text}");
        assert!(!text.contains("<ns2:nom>"), "{who}: données nominatives divulguées");
    }
    // A malformed number of any length is not echoed, and messages keep to the schema's 512.
    let long = "9".repeat(5000);
    let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], demande_logement_inline(&long)).await;
    let text = String::from_utf8(binary_child(&decode_reply(&reply), "fichierDemande")).unwrap();
    assert!(text.contains("DEM-INC") && !text.contains(&long), "{}", &text[..text.len().min(600)]);
    for m in text.split("<ns2:message>").skip(1) {
        assert!(m.split('<').next().unwrap().chars().count() <= 512);
    }
}

#[tokio::test]
async fn acting_for_another_counter_is_a_fault_and_stores_nothing() {
    let mut gw = spawn_gateway().await;
    let file = fixture("demande/valid/cre_complet_v0201.xml");
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    // G2201 sends a file whose numGuichet is G1104.
    let reply = gw.post_soap(As::Guichet("G2201"), &[("Content-Type", &ct)], num_unique_inline(&file)).await;
    assert_eq!(reply.status, 500);
    let text = reply.text();
    assert!(text.contains("Sender") && text.contains("demandeLogementException"), "{text}");
    assert!(text.contains("G2201") && text.contains("G1104"), "{text}");
    assert_eq!(stored_count(&mut gw).await, 0);
}

/// `complet` is `xs:string` in the published WSDL: every value, the empty one included, is
/// accepted; the recognised ones print "Dossier complet : oui/non" on the certificate, the others
/// leave the line out. `getDemandeLogement` accepts any value too.
#[tokio::test]
async fn complet_takes_any_string_and_the_certificate_says_what_it_read() {
    let gw = spawn_gateway().await;
    // The same person each time: forcerDoublon.
    let fichier = String::from_utf8(fixture("demande/valid/cre_minimal_v0200.xml"))
        .unwrap()
        .replace("<ns2:precision>", "<ns2:forcerDoublon>true</ns2:forcerDoublon><ns2:precision>")
        .into_bytes();
    let mut num = String::new();
    for (valeur, ligne) in
        [("", None), ("  OUI ", Some("oui")), ("false", Some("non")), ("peut-être", None), ("1", Some("oui"))]
    {
        let corps = String::from_utf8(num_unique_inline(&fichier))
            .unwrap()
            .replace("<certificat></certificat>", &format!("<certificat></certificat><complet>{valeur}</complet>"));
        let reply = gw
            .post_soap(
                As::Guichet("G1104"),
                &[("content-type", &soap12_headers(ACTION_NUM_UNIQUE))],
                corps.into_bytes(),
            )
            .await;
        let (n, _) = assert_registered(&reply);
        num = n;
        let pdf = binary_child(&decode_reply(&reply), "attestation");
        let texte = lopdf::Document::load_mem(&pdf).unwrap().extract_text(&[1]).unwrap();
        // School mode: the portal's address is printed beside the access code.
        let portail = format!("https://localhost:{}/demandeur/", gw.addr.port());
        assert!(texte.replace(char::is_whitespace, "").contains(&portail), "{portail}: {texte}");
        match ligne {
            Some(oui_non) => {
                let apres = &texte[texte.find("Dossier complet").unwrap_or_else(|| panic!("{valeur:?} : {texte}"))..];
                assert_eq!(apres.split_whitespace().nth(2), Some(oui_non), "{valeur:?} : {apres}");
            }
            None => assert!(!texte.contains("Dossier complet"), "{valeur:?} : {texte}"),
        }
    }
    for valeur in ["", "n'importe quoi"] {
        let corps = String::from_utf8(demande_logement_inline(&num))
            .unwrap()
            .replace("<certificat/>", &format!("<certificat/><complet>{valeur}</complet>"));
        let reply = gw
            .post_soap(As::Guichet("G1104"), &[("content-type", &soap12_headers(ACTION_DEMANDE))], corps.into_bytes())
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert!(num_unique_of(&binary_child(&decode_reply(&reply), "fichierDemande")).is_some());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_changes_of_one_application_are_applied_in_turn_not_refused() {
    // A counter's software sending the same application's files at once (a batch sent again)
    // gets each one applied, none refused "modifiée en même temps".
    let gw = std::sync::Arc::new(spawn_gateway_at(jour_des_fixtures()).await);
    let num = crate::pieces::enregistrer(&gw, "G1104").await;
    let envois: Vec<_> = (0..12)
        .map(|_| {
            let (gw, num) = (std::sync::Arc::clone(&gw), num.clone());
            tokio::spawn(async move { crate::pieces::changer(&gw, &num, "MOD", "").await })
        })
        .collect();
    for envoi in envois {
        assert_eq!(envoi.await.unwrap(), Vec::<(String, String)>::new());
    }
    let fichier = crate::pieces::fichier_de(&gw, &num).await;
    assert!(fichier.contains("<ns2:incrementFichier>13</ns2:incrementFichier>"), "{fichier}");
}
