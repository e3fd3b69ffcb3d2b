//! Shared events (GestionPartageeEVTImplService): the national and territorial catalogues, every
//! event operation and refusal, the profiles, dispatch on the action in SOAP 1.2 (multipart
//! parameter, root part, start-info) and SOAP 1.1 (SOAPAction), the journal and erasure.

use base64::Engine;
use sne_gateway::xml::Element;

use crate::helpers::*;
use crate::pieces::{changer, enregistrer};

const NS: &str = "http://ws.metier.nuu.application.i2/";
const CHEMIN: &str = "/services/GestionPartageeEVTImplService/";

fn action(operation: &str) -> String {
    format!("{NS}{operation}")
}

pub fn fichier_evenements(num: &str, evenements: &str) -> String {
    let liste = if evenements.is_empty() {
        String::new()
    } else {
        format!("<ns2:listeEvenements>{evenements}</ns2:listeEvenements>")
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><ns2:interfaceNuu xmlns:ns2="http://nuu.application.i2/" versionInterface="02.00"><ns2:entete><ns2:typeFichier>EVT</ns2:typeFichier><ns2:dateFichier>2026-11-02T10:00:00</ns2:dateFichier><ns2:codeGuichet>G1104</ns2:codeGuichet></ns2:entete><ns2:operation><ns2:numUnique>{num}</ns2:numUnique></ns2:operation>{liste}</ns2:interfaceNuu>"#
    )
}

pub fn fichier_types(territoire: Option<&str>) -> String {
    let operation = territoire
        .map(|t| format!("<ns2:operation><ns2:codeTerritoire>{t}</ns2:codeTerritoire></ns2:operation>"))
        .unwrap_or_default();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><ns2:interfaceNuu xmlns:ns2="http://nuu.application.i2/" versionInterface="02.00"><ns2:entete><ns2:typeFichier>TEVT</ns2:typeFichier><ns2:dateFichier>2026-11-02T10:00:00</ns2:dateFichier><ns2:codeGuichet>G1104</ns2:codeGuichet></ns2:entete>{operation}</ns2:interfaceNuu>"#
    )
}

fn enveloppe(fichier: &str) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(fichier);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="{NS_SOAP12}"><soap:Body><ns2:fichierXmlParametres xmlns:ns2="{NS}"><nomFichier>EVT-1.xml</nomFichier><fichierXml>{b64}</fichierXml><nomCertificat/></ns2:fichierXmlParametres></soap:Body></soap:Envelope>"#
    )
}

/// A SOAP 1.2 call, the action on the Content-Type.
pub async fn appel(gw: &TestGateway, who: &'static str, operation: &str, fichier: &str) -> Reply {
    let ct = soap12_headers(&action(operation));
    gw.request(As::Guichet(who), "POST", CHEMIN, &[("Content-Type", &ct)], enveloppe(fichier).into_bytes()).await
}

/// The file an answer carries, parsed, with its anomaly codes.
pub fn retour(reply: &Reply) -> (Element, Vec<String>, String) {
    assert_eq!(reply.status, 200, "{}", reply.text());
    let env = decode_reply(reply);
    assert_eq!(env.body.name, "fichierXmlReponse");
    assert_eq!(env.body.child("nomFichierXmlRetour").unwrap().text(), "EVT-1.xml");
    let texte = String::from_utf8(binary_child(&env, "fichierXmlRetour")).unwrap();
    let root = sne_gateway::xml::parse(texte.as_bytes(), Default::default()).unwrap();
    let codes = root
        .child("listeAnomalies")
        .map(|l| l.elements().map(|a| a.attribute("code").unwrap_or_default().to_string()).collect())
        .unwrap_or_default();
    (root, codes, texte)
}

fn schema(nom: &str) -> std::path::PathBuf {
    fixtures().join("../schemas").join(nom)
}

/// The events of an answer: (id, type, author of creation, nature of the last change).
fn evenements_de(root: &Element) -> Vec<(String, String, String, Option<String>)> {
    root.child("listeEvenements")
        .map(|l| {
            l.elements()
                .map(|e| {
                    let t = |n: &str| e.child(n).map(|c| c.text().to_string());
                    (
                        t("idEvenement").unwrap(),
                        t("codeTypeEvenement").unwrap(),
                        t("auteurCreation").unwrap(),
                        t("natureModification"),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn entretien(lieu: &str) -> String {
    format!(
        "<ns2:evenement><ns2:codeTypeEvenement>ENTRETIEN</ns2:codeTypeEvenement><ns2:dateSurvenance>2026-11-02</ns2:dateSurvenance><ns2:commentaire>Entretien d'accueil, dossier à compléter.</ns2:commentaire><ns2:listeCaracteristiquesSpecifiques><ns2:caracteristiqueSpecifique><ns2:code>LIEU</ns2:code><ns2:valeurCaracteristiqueSpecifique>{lieu}</ns2:valeurCaracteristiqueSpecifique></ns2:caracteristiqueSpecifique></ns2:listeCaracteristiquesSpecifiques></ns2:evenement>"
    )
}

const TYPES_111: &str = r#"
[[type]]
code = "VISITEMED"
libelle = "Visite médico-sociale"
texte_sne = "Visite d'un travailleur médico-social au domicile du demandeur."
texte_pgp = "Un travailleur social vous a rendu visite."
publier = false
multiples_attributions = false
recherche = true
reglementaire = false
debut_validite = "2026-01-01"

[[type]]
code = "ANCIEN"
libelle = "Ancien dispositif"
texte_sne = "Type fermé."
texte_pgp = "Type fermé."
publier = false
multiples_attributions = false
recherche = false
reglementaire = false
fin_validite = "2020-12-31"
"#;

const TYPES_222: &str = r#"
[[type]]
code = "BORDEAUX"
libelle = "Type de la Gironde"
texte_sne = "Propre au territoire 222."
texte_pgp = "Propre au territoire 222."
publier = false
multiples_attributions = false
recherche = false
reglementaire = false
"#;

/// Adds territorial types through the command line (the running gateway's control socket; the
/// command is awaited, so the gateway on this test's runtime can answer it).
async fn ajouter_types(gw: &TestGateway, territoire: &str, toml: &str) -> String {
    let fichier = gw.dir.join(format!("types-{territoire}.toml"));
    std::fs::write(&fichier, toml).unwrap();
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_sne-gateway"))
        .args(["evenements", "types", "ajouter", "--config"])
        .arg(gw.dir.join(sne_gateway::school::CONFIG_FILE))
        .args(["--territoire", territoire, "--fichier"])
        .arg(&fichier)
        .output()
        .await
        .unwrap();
    let texte = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{texte}");
    texte
}

#[tokio::test]
async fn the_national_catalogue_is_served_and_territorial_types_are_added_per_territory() {
    let gw = spawn_gateway_at(jour_des_fixtures()).await;
    let (root, codes, texte) =
        retour(&appel(&gw, "G1104", "listerTypesEvenementsNationaux", &fichier_types(None)).await);
    assert!(codes.is_empty(), "{texte}");
    let types: Vec<String> = root
        .child("listeTypesEvenements")
        .unwrap()
        .elements()
        .map(|t| t.child("codeTypeEvenement").unwrap().text().to_string())
        .collect();
    let attendus: Vec<String> = sne_gateway::evenements::nationaux().into_iter().map(|t| t.code).collect();
    let mut tries = types.clone();
    tries.sort();
    let mut attendus_tries = attendus.clone();
    attendus_tries.sort();
    assert_eq!(tries, attendus_tries);
    assert!(xmllint_accepts(&schema("InterfaceNuuGPTypeEvenement_v0200.xsd"), texte.as_bytes()), "{texte}");
    // Nothing territorial yet: the list is omitted, not empty.
    let (root, codes, _) =
        retour(&appel(&gw, "G1104", "listerTypesEvenementsTerritoriaux", &fichier_types(Some("111"))).await);
    assert!(codes.is_empty() && root.child("listeTypesEvenements").is_none());
    let sortie = ajouter_types(&gw, "111", TYPES_111).await;
    assert!(sortie.contains("VISITEMED") && sortie.contains("2 ajouté"), "{sortie}");
    ajouter_types(&gw, "222", TYPES_222).await;
    let (root, codes, texte) =
        retour(&appel(&gw, "C1101", "listerTypesEvenementsTerritoriaux", &fichier_types(Some("111"))).await);
    assert!(codes.is_empty(), "{texte}");
    let codes_111: Vec<String> = root
        .child("listeTypesEvenements")
        .unwrap()
        .elements()
        .map(|t| t.child("codeTypeEvenement").unwrap().text().to_string())
        .collect();
    assert_eq!(codes_111, ["ANCIEN", "VISITEMED"]);
    assert!(texte.contains("<ns2:codeTerritoire>111</ns2:codeTerritoire>"));
    assert!(xmllint_accepts(&schema("InterfaceNuuGPTypeEvenement_v0200.xsd"), texte.as_bytes()), "{texte}");
    // Another territory's list, or none named, is refused.
    let (_, codes, texte) =
        retour(&appel(&gw, "G1104", "listerTypesEvenementsTerritoriaux", &fichier_types(Some("222"))).await);
    assert_eq!(codes, ["EVT-TERR"], "{texte}");
    assert!(xmllint_accepts(&schema("InterfaceNuuGPTypeEvenement_v0200.xsd"), texte.as_bytes()), "{texte}");
    let (_, codes, _) = retour(&appel(&gw, "G1104", "listerTypesEvenementsTerritoriaux", &fichier_types(None)).await);
    assert_eq!(codes, ["EVT-TERR"]);
    // The operator's list names both catalogues.
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_sne-gateway"))
        .args(["evenements", "types", "lister", "--config"])
        .arg(gw.dir.join(sne_gateway::school::CONFIG_FILE))
        .args(["--territoire", "111"])
        .output()
        .await
        .unwrap();
    let liste = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && liste.contains("type national CALDECIS") && liste.contains("type 111 VISITEMED"));
    assert!(!liste.contains("BORDEAUX"), "{liste}");
}

#[tokio::test]
async fn an_event_is_added_listed_modified_and_deleted_with_its_history() {
    let gw = spawn_gateway_at(jour_des_fixtures()).await;
    let num = enregistrer(&gw, "G1104").await;
    let (root, codes, texte) = retour(
        &appel(&gw, "G1104", "ajouterEvenementDemande", &fichier_evenements(&num, &entretien("Guichet de Toulouse")))
            .await,
    );
    assert!(codes.is_empty(), "{texte}");
    assert!(xmllint_accepts(&schema("InterfaceNuuGPEvenement_v0200.xsd"), texte.as_bytes()), "{texte}");
    let ajoute = evenements_de(&root);
    assert_eq!(ajoute.len(), 1);
    let (id, code, auteur, nature) = ajoute[0].clone();
    assert_eq!((code.as_str(), auteur.as_str(), nature), ("ENTRETIEN", "G1104", None));
    assert!(texte.contains("<ns2:libelleTypeEvenement>Entretien avec le demandeur</ns2:libelleTypeEvenement>"));
    assert!(texte.contains("<ns2:dateCreation>2026-11-02T"));
    assert!(texte.contains("<ns2:reglementaire>false</ns2:reglementaire>"));
    assert!(texte.contains("<ns2:libelle>Lieu de l'entretien</ns2:libelle>"), "{texte}");
    // A regulatory one.
    let cal = "<ns2:evenement><ns2:codeTypeEvenement>CALPASSAGE</ns2:codeTypeEvenement><ns2:dateSurvenance>2026-11-02</ns2:dateSurvenance></ns2:evenement>";
    let (root, codes, _) =
        retour(&appel(&gw, "G1104", "ajouterEvenementDemande", &fichier_evenements(&num, cal)).await);
    assert!(codes.is_empty());
    let id_cal = evenements_de(&root)[0].0.clone();
    // Listed, by the counter and by a consultant; both journaled.
    for who in ["G1104", "C1101"] {
        let (root, codes, texte) =
            retour(&appel(&gw, who, "listerEvenementsDemande", &fichier_evenements(&num, "")).await);
        assert!(codes.is_empty(), "{texte}");
        let ids: Vec<String> = evenements_de(&root).into_iter().map(|e| e.0).collect();
        assert_eq!(ids, [id.clone(), id_cal.clone()]);
        assert!(texte.contains("Entretien d'accueil, dossier à compléter."));
        assert!(xmllint_accepts(&schema("InterfaceNuuGPEvenement_v0200.xsd"), texte.as_bytes()), "{texte}");
    }
    // Modified: the nature given is kept, the author and date of the change filled in.
    let modif = format!(
        "<ns2:evenement><ns2:idEvenement>{id}</ns2:idEvenement><ns2:natureModification>CORR</ns2:natureModification><ns2:dateSurvenance>2026-11-01</ns2:dateSurvenance><ns2:commentaire>Corrigé : la veille.</ns2:commentaire><ns2:listeCaracteristiquesSpecifiques><ns2:caracteristiqueSpecifique><ns2:code>LIEU</ns2:code><ns2:valeurCaracteristiqueSpecifique>Téléphone</ns2:valeurCaracteristiqueSpecifique></ns2:caracteristiqueSpecifique></ns2:listeCaracteristiquesSpecifiques></ns2:evenement>"
    );
    let (root, codes, texte) =
        retour(&appel(&gw, "G1104", "modifierEvenementDemande", &fichier_evenements(&num, &modif)).await);
    assert!(codes.is_empty(), "{texte}");
    assert_eq!(evenements_de(&root)[0].3.as_deref(), Some("CORR"));
    assert!(
        texte.contains("<ns2:auteurModification>G1104</ns2:auteurModification>")
            && texte.contains("<ns2:dateSurvenance>2026-11-01</ns2:dateSurvenance>")
    );
    // Without a nature: MODIF.
    let sans_nature = modif.replace("<ns2:natureModification>CORR</ns2:natureModification>", "");
    let (root, _, _) =
        retour(&appel(&gw, "G1104", "modifierEvenementDemande", &fichier_evenements(&num, &sans_nature)).await);
    assert_eq!(evenements_de(&root)[0].3.as_deref(), Some("MODIF"));
    // Deleted: the answer shows it with SUPPR; a regulatory one stays.
    let suppr = |i: &str| format!("<ns2:evenement><ns2:idEvenement>{i}</ns2:idEvenement></ns2:evenement>");
    let (_, codes, _) =
        retour(&appel(&gw, "G1104", "supprimerEvenementDemande", &fichier_evenements(&num, &suppr(&id_cal))).await);
    assert_eq!(codes, ["EVT-REGL"]);
    let (root, codes, texte) =
        retour(&appel(&gw, "G1104", "supprimerEvenementDemande", &fichier_evenements(&num, &suppr(&id))).await);
    assert!(codes.is_empty(), "{texte}");
    assert_eq!(evenements_de(&root)[0].3.as_deref(), Some("SUPPR"));
    let (root, _, _) = retour(&appel(&gw, "G1104", "listerEvenementsDemande", &fichier_evenements(&num, "")).await);
    assert_eq!(evenements_de(&root).into_iter().map(|e| e.0).collect::<Vec<_>>(), std::slice::from_ref(&id_cal));
    let (_, codes, _) =
        retour(&appel(&gw, "G1104", "supprimerEvenementDemande", &fichier_evenements(&num, &suppr(&id))).await);
    assert_eq!(codes, ["EVT-INC"]);
    // The history: events with their changes, and every list and write in the journal.
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_sne-gateway"))
        .args(["journal", "--config"])
        .arg(gw.dir.join(sne_gateway::school::CONFIG_FILE))
        .args(["--num-unique", &num])
        .output()
        .await
        .unwrap();
    let journal = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{journal}");
    assert!(journal.contains(&format!("evenement {id_cal} CALPASSAGE par G1104")), "{journal}");
    for ligne in [
        format!("(ajouterEvenementDemande/{id})"),
        format!("(modifierEvenementDemande/{id})"),
        format!("(supprimerEvenementDemande/{id})"),
        "C1101 (listerEvenementsDemande)".to_string(),
    ] {
        assert!(journal.contains(&ligne), "{ligne} absent : {journal}");
    }
    assert!(!journal.contains("dossier à compléter"), "no free text in the history");
    // Erased with its application: SUP, then the application and its events are unknown.
    assert_eq!(changer(&gw, &num, "SUP", "").await, []);
    let (_, codes, _) = retour(&appel(&gw, "G1104", "listerEvenementsDemande", &fichier_evenements(&num, "")).await);
    assert_eq!(codes, ["EVT-DEM"]);
}

#[tokio::test]
async fn every_refusal_has_its_code_and_changes_nothing() {
    let gw = spawn_gateway_at(jour_des_fixtures()).await;
    let num = enregistrer(&gw, "G1104").await;
    let ailleurs = enregistrer(&gw, "G2201").await;
    ajouter_types(&gw, "111", TYPES_111).await;
    ajouter_types(&gw, "222", TYPES_222).await;
    let evt = |code: &str, reste: &str| {
        format!("<ns2:evenement><ns2:codeTypeEvenement>{code}</ns2:codeTypeEvenement>{reste}</ns2:evenement>")
    };
    let carac = |code: &str, v: &str| {
        format!("<ns2:listeCaracteristiquesSpecifiques><ns2:caracteristiqueSpecifique><ns2:code>{code}</ns2:code><ns2:valeurCaracteristiqueSpecifique>{v}</ns2:valeurCaracteristiqueSpecifique></ns2:caracteristiqueSpecifique></ns2:listeCaracteristiquesSpecifiques>")
    };
    for (cas, numero, evenements, code) in [
        ("type inconnu", num.clone(), evt("INCONNU", ""), "EVT-TYPE"),
        ("type d'un autre territoire", num.clone(), evt("BORDEAUX", ""), "EVT-TERR"),
        ("type fermé", num.clone(), evt("ANCIEN", ""), "EVT-VALID"),
        (
            "avant la validité",
            num.clone(),
            evt("VISITEMED", "<ns2:dateSurvenance>2025-12-31</ns2:dateSurvenance>"),
            "EVT-VALID",
        ),
        ("caractéristique obligatoire manquante", num.clone(), evt("PIECESDEM", ""), "EVT-CARAC"),
        ("caractéristique inconnue", num.clone(), evt("ENTRETIEN", &carac("COULEUR", "bleu")), "EVT-CARAC"),
        (
            "date future",
            num.clone(),
            evt("ENTRETIEN", "<ns2:dateSurvenance>2027-01-01</ns2:dateSurvenance>"),
            "EVT-DATE",
        ),
        ("demande d'un autre territoire", ailleurs.clone(), evt("ENTRETIEN", ""), "EVT-DEM"),
        ("demande inconnue", "1110000000000G1104".to_string(), evt("ENTRETIEN", ""), "EVT-DEM"),
        ("numéro mal formé", "123".to_string(), evt("ENTRETIEN", ""), "EVT-DEM"),
        ("deux événements", num.clone(), format!("{}{}", evt("ENTRETIEN", ""), evt("ENTRETIEN", "")), "EVT-NOMBRE"),
        ("aucun événement", num.clone(), String::new(), "EVT-NOMBRE"),
        ("code trop long", num.clone(), evt("CODEBEAUCOUPTROPLONG", ""), "XSD-LONG"),
    ] {
        let (_, codes, texte) =
            retour(&appel(&gw, "G1104", "ajouterEvenementDemande", &fichier_evenements(&numero, &evenements)).await);
        assert_eq!(codes, [code], "{cas}: {texte}");
        assert!(xmllint_accepts(&schema("InterfaceNuuGPEvenement_v0200.xsd"), texte.as_bytes()), "{cas}: {texte}");
    }
    // Nothing was recorded by any of them.
    let (root, codes, _) = retour(&appel(&gw, "G1104", "listerEvenementsDemande", &fichier_evenements(&num, "")).await);
    assert!(codes.is_empty() && root.child("listeEvenements").is_none());
    // A modification without idEvenement, or naming an event of another application.
    let (root, _, _) =
        retour(&appel(&gw, "G1104", "ajouterEvenementDemande", &fichier_evenements(&num, &evt("VISITEMED", ""))).await);
    let id = evenements_de(&root)[0].0.clone();
    let (_, codes, _) = retour(
        &appel(&gw, "G1104", "modifierEvenementDemande", &fichier_evenements(&num, &evt("VISITEMED", ""))).await,
    );
    assert_eq!(codes, ["EVT-INC"]);
    let autre = enregistrer(&gw, "G1104").await;
    let par_id = format!("<ns2:evenement><ns2:idEvenement>{id}</ns2:idEvenement></ns2:evenement>");
    let (_, codes, _) =
        retour(&appel(&gw, "G1104", "supprimerEvenementDemande", &fichier_evenements(&autre, &par_id)).await);
    assert_eq!(codes, ["EVT-INC"]);
    // Consultants read but do not write; a scanning provider does neither.
    for (who, operation) in [
        ("C1103", "ajouterEvenementDemande"),
        ("C1101", "supprimerEvenementDemande"),
        ("P0001", "listerEvenementsDemande"),
        ("P0001", "listerTypesEvenementsNationaux"),
    ] {
        let fichier =
            if operation.starts_with("listerTypes") { fichier_types(None) } else { fichier_evenements(&num, &par_id) };
        let reply = appel(&gw, who, operation, &fichier).await;
        assert_eq!(reply.status, 500, "{who} {operation}: {}", reply.text());
        assert!(reply.text().contains("Accès refusé") && reply.text().contains("profil"), "{}", reply.text());
    }
}

/// A MTOM request of the event service: the file as an attachment, the action where `ou` says.
fn mtom(operation: &str, fichier: &str, ou: &str) -> (String, Vec<u8>) {
    let frontiere = "uuid:7e3a-evenements";
    let racine = format!(
        r#"<soap:Envelope xmlns:soap="{NS_SOAP12}"><soap:Body><ns2:fichierXmlParametres xmlns:ns2="{NS}"><nomFichier>EVT-1.xml</nomFichier><fichierXml><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:fichier@client"/></fichierXml><nomCertificat/></ns2:fichierXmlParametres></soap:Body></soap:Envelope>"#
    );
    let (action_ct, action_racine, start_info) = match ou {
        "multipart" => {
            (format!("; action=\"{}\"", action(operation)), String::new(), "application/soap+xml".to_string())
        }
        "racine" => (String::new(), format!("; action=\"{operation}\""), "application/soap+xml".to_string()),
        _ => (String::new(), String::new(), format!("application/soap+xml; action={operation}")),
    };
    let ct = format!(
        "multipart/related; type=\"application/xop+xml\"; start=\"<racine@client>\"; start-info=\"{start_info}\"{action_ct}; boundary=\"{frontiere}\""
    );
    let body = format!(
        "--{frontiere}\r\nContent-Type: application/xop+xml; charset=UTF-8; type=\"application/soap+xml\"{action_racine}\r\nContent-Transfer-Encoding: 8bit\r\nContent-ID: <racine@client>\r\n\r\n{racine}\r\n--{frontiere}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <fichier@client>\r\n\r\n{fichier}\r\n--{frontiere}--\r\n"
    );
    (ct, body.into_bytes())
}

#[tokio::test]
async fn the_action_chooses_the_operation_in_every_place_a_client_puts_it() {
    let gw = spawn_gateway_at(jour_des_fixtures()).await;
    let num = enregistrer(&gw, "G1104").await;
    // SOAP 1.2 with MTOM: the action on the multipart header, on the root part, in start-info.
    for ou in ["multipart", "racine", "start-info"] {
        let (ct, body) = mtom("ajouterEvenementDemande", &fichier_evenements(&num, &entretien(ou)), ou);
        let reply = gw.request(As::Guichet("G1104"), "POST", CHEMIN, &[("Content-Type", &ct)], body).await;
        assert!(reply.content_type.starts_with("multipart/related"), "{ou}: {}", reply.text());
        let (root, codes, texte) = retour(&reply);
        assert!(codes.is_empty(), "{ou}: {texte}");
        assert_eq!(evenements_de(&root).len(), 1, "{ou}");
        let (ct, body) = mtom("listerEvenementsDemande", &fichier_evenements(&num, ""), ou);
        let reply = gw.request(As::Guichet("G1104"), "POST", CHEMIN, &[("Content-Type", &ct)], body).await;
        assert_eq!(
            evenements_de(&retour(&reply).0).len(),
            ["multipart", "racine", "start-info"].iter().position(|o| *o == ou).unwrap() + 1
        );
    }
    // SOAP 1.1: the SOAPAction header.
    let b64 = base64::engine::general_purpose::STANDARD.encode(fichier_types(None));
    let soap11 = format!(
        r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><ns2:fichierXmlParametres xmlns:ns2="{NS}"><nomFichier>EVT-1.xml</nomFichier><fichierXml>{b64}</fichierXml></ns2:fichierXmlParametres></soapenv:Body></soapenv:Envelope>"#
    );
    let soap_action = format!("\"{}\"", action("listerTypesEvenementsNationaux"));
    let reply = gw
        .request(
            As::Guichet("G1104"),
            "POST",
            CHEMIN,
            &[("Content-Type", "text/xml; charset=utf-8"), ("SOAPAction", &soap_action)],
            soap11.clone().into_bytes(),
        )
        .await;
    assert!(reply.content_type.starts_with("text/xml"), "{}", reply.content_type);
    let (root, codes, _) = retour(&reply);
    assert!(codes.is_empty() && root.child("listeTypesEvenements").is_some());
    // No action: a fault that lists the actions; an unknown one likewise.
    let reply = gw
        .request(
            As::Guichet("G1104"),
            "POST",
            CHEMIN,
            &[("Content-Type", "text/xml; charset=utf-8")],
            soap11.clone().into_bytes(),
        )
        .await;
    assert_eq!(reply.status, 500);
    let texte = reply.text();
    assert!(texte.contains("Action SOAP absente"), "{texte}");
    for op in [
        "listerTypesEvenementsNationaux",
        "listerTypesEvenementsTerritoriaux",
        "listerEvenementsDemande",
        "ajouterEvenementDemande",
        "modifierEvenementDemande",
        "supprimerEvenementDemande",
    ] {
        assert!(texte.contains(&action(op)), "{op} absent : {texte}");
    }
    let reply = gw
        .request(
            As::Guichet("G1104"),
            "POST",
            CHEMIN,
            &[("Content-Type", "text/xml; charset=utf-8"), ("SOAPAction", "\"urn:autre/effacerTout\"")],
            soap11.into_bytes(),
        )
        .await;
    assert!(reply.text().contains("Action SOAP inconnue") && reply.text().contains("effacerTout"), "{}", reply.text());
    // An event file sent to a type operation is checked against the type schema.
    let (_, codes, _) =
        retour(&appel(&gw, "G1104", "listerTypesEvenementsNationaux", &fichier_evenements(&num, "")).await);
    assert!(codes.contains(&"XSD-INATT".to_string()), "{codes:?}");
}
