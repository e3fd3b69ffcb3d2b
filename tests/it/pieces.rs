//! The dossier unique (PieceJustificativeImplService): deposits of every format, inline and as
//! MTOM, deduplication, every refusal, batches, what each profile lists and reads, qualification,
//! deletion rules, the access journal, completeness, and `dateDerniereModificationPiece`.

use base64::Engine;
use sne_gateway::xml::Element;

use crate::helpers::*;

const NS: &str = "http://ws.metier.nuu.application.i2/";
const CHEMIN: &str = "/services/PieceJustificativeImplService/";

pub fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".to_vec()
}

pub fn pdf_actif() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".to_vec()
}

pub fn jpeg() -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    v.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    v.extend_from_slice(&[0xFF, 0xD9]);
    v
}

pub fn png() -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
    v.extend_from_slice(&[0, 0, 0, 13]);
    v.extend_from_slice(b"IHDR");
    v.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
    v.extend_from_slice(&[0x90, 0x77, 0x53, 0xDE]);
    v.extend_from_slice(&[0, 0, 0, 0]);
    v.extend_from_slice(b"IEND");
    v.extend_from_slice(&[0xAE, 0x42, 0x60, 0x82]);
    v
}

pub fn tiff() -> Vec<u8> {
    let mut v = b"II*\0".to_vec();
    v.extend_from_slice(&8u32.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&[0x00, 0x01, 0x03, 0x00, 0x01, 0, 0, 0, 0x01, 0, 0, 0]);
    v.extend_from_slice(&0u32.to_le_bytes());
    v
}

/// A SOAP 1.2 call of the document service, children inline.
pub async fn appel(gw: &TestGateway, who: &'static str, operation: &str, wrapper: &str, children: &str) -> Reply {
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="{NS_SOAP12}"><soap:Body><ns2:{wrapper} xmlns:ns2="{NS}">{children}</ns2:{wrapper}></soap:Body></soap:Envelope>"#
    );
    let ct = soap12_headers(&format!("{NS}{operation}"));
    gw.request(As::Guichet(who), "POST", CHEMIN, &[("Content-Type", &ct)], body.into_bytes()).await
}

/// The children of one piece entry, the content inline in base64.
pub fn entree(
    num: &str,
    categorie: &str,
    personne: &str,
    nom: &str,
    contenu: &[u8],
    content_type: Option<&str>,
) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(contenu);
    let ct = content_type.map(|t| format!(" contentType=\"{t}\"")).unwrap_or_default();
    format!(
        "<numUnique>{num}</numUnique><codeCategorie>{categorie}</codeCategorie><personne>{personne}</personne><nomFichier>{nom}</nomFichier><fichier{ct}>{b64}</fichier>"
    )
}

/// What a deposit answered.
#[derive(Debug)]
pub struct Resultat {
    pub id: Option<String>,
    pub empreinte: Option<String>,
    pub taille: Option<u64>,
    pub deja: bool,
    pub codes: Vec<String>,
}

fn texte_de(e: &Element, name: &str) -> Option<String> {
    e.child(name).map(|c| c.text().trim().to_string())
}

pub fn codes_de(e: &Element) -> Vec<String> {
    e.child("listeAnomalie")
        .map(|l| l.elements().map(|a| a.attribute("code").unwrap_or_default().to_string()).collect())
        .unwrap_or_default()
}

fn resultat(e: &Element) -> Resultat {
    Resultat {
        id: texte_de(e, "idPiece"),
        empreinte: texte_de(e, "empreinte"),
        taille: texte_de(e, "taille").map(|t| t.parse().unwrap()),
        deja: texte_de(e, "dejaDeposee").as_deref() == Some("true"),
        codes: codes_de(e),
    }
}

pub async fn deposer(gw: &TestGateway, who: &'static str, children: &str) -> Resultat {
    let reply = appel(gw, who, "deposerPiece", "deposerPieceParametres", children).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let env = decode_reply(&reply);
    assert_eq!(env.body.name, "deposerPieceReponse");
    resultat(&env.body)
}

/// The pieces `who` sees on `num` (id, category) or the anomaly codes.
pub async fn lister(gw: &TestGateway, who: &'static str, num: &str) -> Result<Vec<(String, String)>, Vec<String>> {
    let reply =
        appel(gw, who, "listerPieces", "listerPiecesParametres", &format!("<numUnique>{num}</numUnique>")).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let env = decode_reply(&reply);
    let codes = codes_de(&env.body);
    if !codes.is_empty() {
        return Err(codes);
    }
    Ok(env
        .body
        .elements()
        .filter(|e| e.name == "piece")
        .map(|p| (texte_de(p, "idPiece").unwrap(), texte_de(p, "codeCategorie").unwrap()))
        .collect())
}

/// `getPiece`: the content, or the anomaly codes.
pub async fn lire_piece(gw: &TestGateway, who: &'static str, id: &str) -> Result<Vec<u8>, Vec<String>> {
    let reply = appel(gw, who, "getPiece", "getPieceParametres", &format!("<idPiece>{id}</idPiece>")).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let env = decode_reply(&reply);
    let codes = codes_de(&env.body);
    if !codes.is_empty() {
        return Err(codes);
    }
    assert_eq!(texte_de(env.body.child("piece").unwrap(), "idPiece").as_deref(), Some(id));
    Ok(binary_child(&env, "fichier"))
}

async fn gateway() -> TestGateway {
    spawn_gateway_at(jour_des_fixtures()).await
}

pub async fn enregistrer(gw: &TestGateway, who: &'static str) -> String {
    enregistrer_avec_attestation(gw, who).await.0
}

/// A PDF other than [`pdf`] (the same content twice is one piece).
pub fn pdf_bis() -> Vec<u8> {
    String::from_utf8(pdf()).unwrap().replace("/Kids []", "/Kids [ ]").into_bytes()
}

/// Registers the complete example as `who`: its number and the certificate's PDF.
pub async fn enregistrer_avec_attestation(gw: &TestGateway, who: &'static str) -> (String, Vec<u8>) {
    // A refInterne of its own each time: the same one would be a safe retry of the first.
    enregistrer_sous(gw, who, &format!("PIECES-{}", rand::random::<u32>())).await
}

/// Registers the complete example as `who` under the counter's own reference `reference` (the
/// same reference again is a retry): the number and the certificate's PDF.
pub async fn enregistrer_sous(gw: &TestGateway, who: &'static str, reference: &str) -> (String, Vec<u8>) {
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    let mut file = String::from_utf8(fixture("demande/valid/cre_complet_v0201.xml"))
        .unwrap()
        .replace("ECOLE-2026-000417", reference);
    if who != "G1104" {
        file = file.replace("G1104", who).replace("31555", "33063").replace("31069", "33281");
    }
    let reply = gw.post_soap(As::Guichet(who), &[("Content-Type", &ct)], num_unique_inline(file.as_bytes())).await;
    let env = decode_reply(&reply);
    let f = String::from_utf8(binary_child(&env, "fichierDemande")).unwrap();
    assert!(anomalies_of(f.as_bytes()).is_empty(), "{f}");
    (num_unique_of(f.as_bytes()).unwrap(), binary_child(&env, "attestation"))
}

fn fichiers_de_pieces(gw: &TestGateway) -> usize {
    fn compter(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir)
            .map(|it| it.flatten().map(|e| if e.path().is_dir() { compter(&e.path()) } else { 1 }).sum())
            .unwrap_or(0)
    }
    compter(&gw.settings.server.data_dir.join("pieces"))
}

#[tokio::test]
async fn every_format_is_deposited_listed_and_read_back_byte_for_byte() {
    let gw = gateway().await;
    let num = enregistrer(&gw, "G1104").await;
    let mut ids = Vec::new();
    for (contenu, cat, ct) in [
        (pdf(), "IDENTITE", Some("application/pdf")),
        (jpeg(), "AVISIMPOT", Some("image/jpeg")),
        (png(), "REVENUS", None),
        (tiff(), "LOGEMENT", Some("image/tiff")),
    ] {
        let r = deposer(&gw, "G1104", &entree(&num, cat, "DEM", "scan.bin", &contenu, ct)).await;
        assert!(r.codes.is_empty(), "{cat}: {:?}", r.codes);
        let id = r.id.unwrap();
        assert!(id.starts_with("PJ") && id.len() == 26, "{id}");
        assert_eq!(r.taille, Some(contenu.len() as u64));
        assert_eq!(r.empreinte.as_deref(), Some(hex::encode(sha2::Sha256::digest(&contenu)).as_str()));
        assert!(!r.deja);
        ids.push((id, cat.to_string(), contenu));
    }
    let liste = lister(&gw, "G1104", &num).await.unwrap();
    assert_eq!(liste, ids.iter().map(|(i, c, _)| (i.clone(), c.clone())).collect::<Vec<_>>(), "by deposit time");
    for (id, _, contenu) in &ids {
        assert_eq!(&lire_piece(&gw, "G1104", id).await.unwrap(), contenu);
    }
    // Contents are encrypted on disk: no file holds the PDF's text.
    let mut fichiers = Vec::new();
    let mut stack = vec![gw.settings.server.data_dir.join("pieces")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                fichiers.push(std::fs::read(e.path()).unwrap());
            }
        }
    }
    assert_eq!(fichiers.len(), 4);
    assert!(fichiers.iter().all(|f| memchr::memmem::find(f, b"/Catalog").is_none()), "contenu en clair");
}

use sha2::Digest;

#[tokio::test]
async fn identical_content_returns_the_existing_piece() {
    let gw = gateway().await;
    let num = enregistrer(&gw, "G1104").await;
    let a = deposer(&gw, "G1104", &entree(&num, "IDENTITE", "DEM", "cni.pdf", &pdf(), None)).await;
    let b = deposer(&gw, "G1104", &entree(&num, "SEJOUR", "COT1", "autre-nom.pdf", &pdf(), None)).await;
    assert_eq!(a.id, b.id);
    assert!(b.deja && !a.deja);
    assert_eq!(lister(&gw, "G1104", &num).await.unwrap().len(), 1);
    assert_eq!(fichiers_de_pieces(&gw), 1, "the second copy left nothing behind");
    // On another application the same content is another piece.
    let autre = enregistrer(&gw, "G1104").await;
    let c = deposer(&gw, "G1104", &entree(&autre, "IDENTITE", "DEM", "cni.pdf", &pdf(), None)).await;
    assert!(c.id.is_some() && c.id != a.id && !c.deja);
}

#[tokio::test]
async fn every_refusal_names_its_cause_and_keeps_nothing() {
    let gw = start_fixture_gateway_with(|s| s.pieces.taille_max_octets = 1000).await;
    let num = enregistrer(&gw, "G1104").await;
    let autre_territoire = enregistrer(&gw, "G2201").await;
    let cas: Vec<(String, &str)> = vec![
        (entree(&num, "IDENTITE", "DEM", "a.pdf", b"GIF89a\x01\x00\x01\x00", None), "PIE-FORMAT"),
        (entree(&num, "IDENTITE", "DEM", "a.pdf", &pdf(), Some("image/png")), "PIE-TYPE"),
        (entree(&num, "IDENTITE", "DEM", "a.pdf", b"", None), "PIE-VIDE"),
        (entree(&num, "IDENTITE", "DEM", "a.pdf", &[pdf(), vec![b' '; 2000]].concat(), None), "PIE-TAILLE"),
        (entree(&num, "IDENTITE", "DEM", "a.pdf", &pdf_actif(), None), "PIE-ACTIF"),
        (entree(&num, "IDENTITE", "DEM", "a.pdf", &pdf()[..40], None), "PIE-STRUCT"),
        (entree(&num, "INCONNUE", "DEM", "a.pdf", &pdf(), None), "PIE-CAT"),
        (entree(&num, "IDENTITE", "COT0", "a.pdf", &pdf(), None), "PIE-PERS"),
        (entree(&num, "IDENTITE", "DEM", "", &pdf(), None), "PIE-NOM"),
        (entree("1110126000999G1104", "IDENTITE", "DEM", "a.pdf", &pdf(), None), "DEM-INC"),
        (entree(&autre_territoire, "IDENTITE", "DEM", "a.pdf", &pdf(), None), "DEM-INC"),
        (
            entree(&num, "IDENTITE", "DEM", "a.pdf", &pdf(), None) + "<dateDocument>2026-11-03</dateDocument>",
            "PIE-DATE",
        ),
    ];
    for (children, code) in cas {
        let r = deposer(&gw, "G1104", &children).await;
        assert_eq!(r.codes, [code], "{children:.200}");
        assert!(r.id.is_none());
    }
    assert_eq!(lister(&gw, "G1104", &num).await.unwrap(), []);
    assert_eq!(fichiers_de_pieces(&gw), 0, "a refused upload leaves nothing behind");
    // The other territory's application answers exactly like an unknown one.
    let inconnu = deposer(&gw, "G1104", &entree("1110126000999G1104", "IDENTITE", "DEM", "a.pdf", &pdf(), None)).await;
    assert_eq!(inconnu.codes, ["DEM-INC"]);
}

async fn start_fixture_gateway_with(tweak: impl FnOnce(&mut sne_gateway::config::Settings)) -> TestGateway {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let mut settings = sne_gateway::config::Settings::load(&dir.join(sne_gateway::school::CONFIG_FILE)).unwrap();
    tweak(&mut settings);
    let mut gw = launch_at(&dir, settings, jour_des_fixtures()).await;
    gw.hold(tmp);
    gw
}

#[tokio::test]
async fn a_batch_answers_each_entry_in_order() {
    let gw = gateway().await;
    let num = enregistrer(&gw, "G1104").await;
    let piece = |c: String| format!("<piece>{c}</piece>");
    let children = [
        piece(entree(&num, "IDENTITE", "DEM", "a.pdf", &pdf(), None)),
        piece(entree(&num, "AVISIMPOT", "DEM", "b.txt", b"pas un document", None)),
        piece(entree("1110126000999G1104", "REVENUS", "DEM", "c.png", &png(), None)),
        piece(entree(&num, "REVENUS", "COT1", "d.jpg", &jpeg(), Some("image/jpeg"))),
    ]
    .concat();
    let reply = appel(&gw, "P0001", "deposerLotPieces", "deposerLotPiecesParametres", &children).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let env = decode_reply(&reply);
    let resultats: Vec<Resultat> = env.body.elements().map(resultat).collect();
    let rangs: Vec<String> = env.body.elements().map(|e| texte_de(e, "rang").unwrap()).collect();
    assert_eq!(rangs, ["1", "2", "3", "4"]);
    assert!(resultats[0].id.is_some() && resultats[0].codes.is_empty());
    assert_eq!(resultats[1].codes, ["PIE-FORMAT"]);
    assert_eq!(resultats[2].codes, ["DEM-INC"]);
    assert!(resultats[3].id.is_some());
    assert_eq!(lister(&gw, "G1104", &num).await.unwrap().len(), 2);
}

#[tokio::test]
async fn each_profile_sees_what_contract_section_6_says() {
    let gw = gateway().await;
    let num = enregistrer(&gw, "G1104").await;
    let ordinaire = deposer(&gw, "G1104", &entree(&num, "IDENTITE", "DEM", "cni.pdf", &pdf(), None)).await.id.unwrap();
    let sensible =
        deposer(&gw, "G1104", &entree(&num, "SANTE", "DEM", "certificat.png", &png(), None)).await.id.unwrap();
    let tous = |v: Vec<(String, String)>| v.into_iter().map(|(i, _)| i).collect::<Vec<_>>();
    assert_eq!(tous(lister(&gw, "G1104", &num).await.unwrap()), [ordinaire.clone(), sensible.clone()]);
    assert_eq!(tous(lister(&gw, "C1103", &num).await.unwrap()), [ordinaire.clone(), sensible.clone()]);
    assert_eq!(tous(lister(&gw, "C1102", &num).await.unwrap()), std::slice::from_ref(&ordinaire));
    assert_eq!(tous(lister(&gw, "C1101", &num).await.unwrap()), std::slice::from_ref(&ordinaire));
    // Content: counters and consultant_sensible everything, consultant_demande the non-sensitive.
    assert_eq!(lire_piece(&gw, "G1104", &sensible).await.unwrap(), png());
    assert_eq!(lire_piece(&gw, "C1103", &sensible).await.unwrap(), png());
    assert_eq!(lire_piece(&gw, "C1102", &ordinaire).await.unwrap(), pdf());
    assert_eq!(lire_piece(&gw, "C1102", &sensible).await, Err(vec!["PIE-INC".to_string()]));
    // consultant_simple reads no content, a scanning provider neither lists nor reads.
    for (who, operation, wrapper, child) in [
        ("C1101", "getPiece", "getPieceParametres", format!("<idPiece>{ordinaire}</idPiece>")),
        ("P0001", "getPiece", "getPieceParametres", format!("<idPiece>{ordinaire}</idPiece>")),
        ("P0001", "listerPieces", "listerPiecesParametres", format!("<numUnique>{num}</numUnique>")),
        ("C1102", "deposerPiece", "deposerPieceParametres", entree(&num, "IDENTITE", "DEM", "a.pdf", &jpeg(), None)),
        (
            "C1103",
            "qualifierPiece",
            "qualifierPieceParametres",
            format!("<idPiece>{ordinaire}</idPiece><statut>OBSOLETE</statut>"),
        ),
    ] {
        let reply = appel(&gw, who, operation, wrapper, &child).await;
        assert_eq!(reply.status, 500, "{who} {operation}: {}", reply.text());
        assert!(reply.text().contains("Accès refusé") && reply.text().contains("profil"), "{}", reply.text());
    }
    // Consultants and scanning providers have no access to the application service.
    let ct = soap12_headers(ACTION_DEMANDE);
    let reply = gw.post_soap(As::Guichet("C1103"), &[("Content-Type", &ct)], demande_logement_inline(&num)).await;
    assert!(reply.text().contains("réservé aux guichets enregistreurs"), "{}", reply.text());
    // Another territory's counter sees neither the application nor its pieces.
    assert_eq!(lister(&gw, "G2201", &num).await, Err(vec!["DEM-INC".to_string()]));
    assert_eq!(lire_piece(&gw, "G2201", &ordinaire).await, Err(vec!["PIE-INC".to_string()]));
    assert_eq!(lire_piece(&gw, "G1104", "PJ000000000000000000000000").await, Err(vec!["PIE-INC".to_string()]));
}

#[tokio::test]
async fn lists_and_reads_are_journaled_before_the_data_is_returned() {
    let mut gw = gateway().await;
    let num = enregistrer(&gw, "G1104").await;
    let id = deposer(&gw, "G1104", &entree(&num, "IDENTITE", "DEM", "cni.pdf", &pdf(), None)).await.id.unwrap();
    lister(&gw, "C1101", &num).await.unwrap();
    lire_piece(&gw, "C1102", &id).await.unwrap();
    // A deletion is journaled too, with who did it.
    let autre = deposer(&gw, "G1104", &entree(&num, "IDENTITE", "DEM", "bis.pdf", &pdf_bis(), None)).await.id.unwrap();
    let r =
        appel(&gw, "G1104", "supprimerPiece", "supprimerPieceParametres", &format!("<idPiece>{autre}</idPiece>")).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let dir = gw.settings.server.data_dir.clone();
    let config = gw.dir.join(sne_gateway::school::CONFIG_FILE);
    gw.stop().await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sne-gateway"))
        .args(["journal", "--config"])
        .arg(&config)
        .args(["--num-unique", &num])
        .output()
        .unwrap();
    let journal = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{journal} {}", String::from_utf8_lossy(&out.stderr));
    assert!(journal.contains("G1104") && journal.contains("deposerPiece"), "{journal}");
    assert!(journal.contains("C1101") && journal.contains("listerPieces"), "{journal}");
    assert!(journal.contains("C1102") && journal.contains(&format!("getPiece/{id}")), "{journal}");
    let ligne =
        journal.lines().find(|l| l.contains(&format!("supprimerPiece/{autre}"))).unwrap_or_else(|| panic!("{journal}"));
    assert!(ligne.contains("G1104"), "{ligne}");
    let _ = dir;
}

#[tokio::test]
async fn qualification_deletion_and_the_last_change_of_pieces() {
    let gw = gateway().await;
    let num = enregistrer(&gw, "G1104").await;
    let par_guichet =
        deposer(&gw, "G1104", &entree(&num, "IDENTITE", "DEM", "cni.pdf", &pdf(), None)).await.id.unwrap();
    let par_prestataire =
        deposer(&gw, "P0001", &entree(&num, "AVISIMPOT", "DEM", "avis.jpg", &jpeg(), None)).await.id.unwrap();
    // Qualify, with a reason; an unknown status is an anomaly.
    let reply = appel(
        &gw,
        "G1104",
        "qualifierPiece",
        "qualifierPieceParametres",
        &format!("<idPiece>{par_prestataire}</idPiece><statut>INEXPLOITABLE</statut><motif>Scan illisible</motif>"),
    )
    .await;
    let env = decode_reply(&reply);
    let piece = env.body.child("piece").unwrap_or_else(|| panic!("{}", reply.text()));
    assert_eq!(texte_de(piece, "statut").as_deref(), Some("INEXPLOITABLE"));
    assert_eq!(texte_de(piece, "motifStatut").as_deref(), Some("Scan illisible"));
    let reply = appel(
        &gw,
        "G1104",
        "qualifierPiece",
        "qualifierPieceParametres",
        &format!("<idPiece>{par_prestataire}</idPiece><statut>PERDUE</statut>"),
    )
    .await;
    assert_eq!(codes_de(&decode_reply(&reply).body), ["PIE-STATUT"]);
    // Only the depositor deletes.
    let supprimer = |id: String| {
        let gw = &gw;
        async move {
            let reply =
                appel(gw, "G1104", "supprimerPiece", "supprimerPieceParametres", &format!("<idPiece>{id}</idPiece>"))
                    .await;
            let env = decode_reply(&reply);
            (texte_de(&env.body, "idPiece"), codes_de(&env.body))
        }
    };
    assert_eq!(supprimer(par_prestataire.clone()).await.1, ["PIE-DEPOS"]);
    assert_eq!(supprimer(par_guichet.clone()).await, (Some(par_guichet.clone()), vec![]));
    assert_eq!(supprimer(par_guichet.clone()).await.1, ["PIE-INC"], "deleted: unknown from now on");
    assert_eq!(lister(&gw, "G1104", &num).await.unwrap().len(), 1);
    // getDemandeLogement carries the day of the last change of pieces (02.01 files).
    let ct = soap12_headers(ACTION_DEMANDE);
    let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], demande_logement_inline(&num)).await;
    let fichier = String::from_utf8(binary_child(&decode_reply(&reply), "fichierDemande")).unwrap();
    assert!(
        fichier.contains("<ns2:dateDerniereModificationPiece>2026-11-02</ns2:dateDerniereModificationPiece>"),
        "{fichier}"
    );
    assert!(xmllint_accepts(&fixtures().join("../schemas/InterfaceNuu_v0201.xsd"), fichier.as_bytes()), "{fichier}");
}

#[tokio::test]
async fn completeness_follows_the_territory_rules_and_a_closed_territory_says_when_it_opens() {
    let gw = start_fixture_gateway_with(|s| {
        let t = s.territoires.iter_mut().find(|t| t.code == "222").unwrap();
        t.pieces_ouverture = Some("2027-01-01".into());
    })
    .await;
    let num = enregistrer(&gw, "G1104").await;
    async fn etat(gw: &TestGateway, num: String) -> Element {
        let reply =
            appel(gw, "G1104", "getEtatDossier", "getEtatDossierParametres", &format!("<numUnique>{num}</numUnique>"))
                .await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        decode_reply(&reply).body
    }
    let e = etat(&gw, num.clone()).await;
    assert_eq!(texte_de(&e, "dateLimiteDepot").as_deref(), Some("2026-11-17"), "registration + 15 days");
    let complet = |e: &Element, code: &str| {
        let etape = e.elements().find(|x| x.name == "etape" && texte_de(x, "code").as_deref() == Some(code)).unwrap();
        texte_de(etape, "complet").unwrap() == "true"
    };
    assert!(!complet(&e, "ENREGISTREMENT") && !complet(&e, "COMMISSION"));
    deposer(&gw, "G1104", &entree(&num, "SEJOUR", "DEM", "titre.pdf", &pdf(), None)).await;
    let e = etat(&gw, num.clone()).await;
    assert!(complet(&e, "ENREGISTREMENT") && !complet(&e, "COMMISSION"));
    for (cat, c) in [("AVISIMPOT", jpeg()), ("PRESTATION", png()), ("LOGEMENT", tiff())] {
        assert!(deposer(&gw, "G1104", &entree(&num, cat, "DEM", "x", &c, None)).await.codes.is_empty());
    }
    assert!(complet(&etat(&gw, num.clone()).await, "COMMISSION"));
    // 222 opens its dossier unique on 2027-01-01.
    let bordeaux = enregistrer(&gw, "G2201").await;
    let r = deposer(&gw, "G2201", &entree(&bordeaux, "IDENTITE", "DEM", "a.pdf", &pdf(), None)).await;
    assert_eq!(r.codes, ["PIE-FERME"]);
}

#[tokio::test]
async fn the_report_lists_incomplete_dossiers_per_counter() {
    let gw = gateway().await;
    let complet = enregistrer(&gw, "G1104").await;
    let incomplet = enregistrer(&gw, "G1104").await;
    for (cat, c) in [("IDENTITE", pdf()), ("AVISIMPOT", jpeg()), ("REVENUS", png()), ("LOGEMENT", tiff())] {
        assert!(deposer(&gw, "G1104", &entree(&complet, cat, "DEM", "x", &c, None)).await.codes.is_empty());
    }
    deposer(&gw, "G1104", &entree(&incomplet, "AVISIMPOT", "DEM", "x", &jpeg(), None)).await;
    let lignes = sne_gateway::control::send(&gw.settings.server.data_dir, "rapport-pieces 111").await.unwrap();
    let texte = lignes.join("\n");
    assert!(!texte.contains(&complet), "{texte}");
    assert!(
        texte.contains(&format!(
            "dossier G1104 {incomplet} enregistrement: IDENTITE|SEJOUR ; commission: IDENTITE|SEJOUR, REVENUS|PRESTATION, LOGEMENT"
        )),
        "{texte}"
    );
    assert!(texte.contains("guichet G1104 : 1 dossier(s) incomplet(s)"), "{texte}");
    assert!(lignes.last().unwrap().starts_with("ok territoire 111 : 1 dossier"), "{texte}");
}

#[tokio::test]
async fn an_import_resumes_without_depositing_twice_and_reports_refused_lines() {
    let gw = gateway().await;
    let num = enregistrer(&gw, "G1104").await;
    let dir = tempfile::tempdir().unwrap();
    for (nom, contenu) in [("a.pdf", pdf()), ("b.jpg", jpeg()), ("c.txt", b"texte".to_vec()), ("d.png", png())] {
        std::fs::write(dir.path().join(nom), contenu).unwrap();
    }
    let manifeste = dir.path().join("lot.csv");
    std::fs::write(
        &manifeste,
        format!(
            "numUnique;codeCategorie;personne;fichier\n{num};IDENTITE;DEM;a.pdf\n{num};AVISIMPOT;DEM;b.jpg\n{num};REVENUS;DEM;c.txt\n1110126000999G1104;REVENUS;DEM;d.png\n{num};LOGEMENT;COT1;d.png\n"
        ),
    )
    .unwrap();
    let cible = sne_gateway::import::Cible {
        adresse: gw.addr.to_string(),
        nom_serveur: "localhost".into(),
        tls: gw.tls_config(As::Guichet("P0001")),
    };
    let bilan = sne_gateway::import::importer(&manifeste, &cible, |_, _| {}).await.unwrap();
    assert_eq!((bilan.traitees, bilan.deposees, bilan.refusees), (5, 3, 2), "{bilan:?}");
    let refus = std::fs::read_to_string(bilan.rapport.unwrap()).unwrap();
    assert!(refus.contains(";c.txt") || refus.contains("c.txt;"), "{refus}");
    assert!(refus.contains("PIE-FORMAT") && refus.contains("DEM-INC"), "{refus}");
    let avant = lister(&gw, "G1104", &num).await.unwrap();
    assert_eq!(avant.len(), 3);
    // An interruption: the last two answers were never noted (one deposited, one refused).
    let note = manifeste.with_file_name("lot.csv.avancement");
    let lignes: Vec<String> = std::fs::read_to_string(&note).unwrap().lines().map(String::from).collect();
    std::fs::write(&note, lignes[..3].join("\n") + "\n\u{1}cut").unwrap();
    let bilan = sne_gateway::import::importer(&manifeste, &cible, |_, _| {}).await.unwrap();
    assert_eq!((bilan.deja, bilan.traitees, bilan.deposees, bilan.refusees), (3, 2, 3, 2), "{bilan:?}");
    assert_eq!(lister(&gw, "G1104", &num).await.unwrap(), avant, "nothing deposited twice");
    // A third run has nothing left to do.
    let bilan = sne_gateway::import::importer(&manifeste, &cible, |_, _| {}).await.unwrap();
    assert_eq!((bilan.deja, bilan.traitees), (5, 0));
}

/// The stored file of `num`, as `getDemandeLogement` returns it.
pub async fn fichier_de(gw: &TestGateway, num: &str) -> String {
    let ct = soap12_headers(ACTION_DEMANDE);
    let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], demande_logement_inline(num)).await;
    String::from_utf8(binary_child(&decode_reply(&reply), "fichierDemande")).unwrap()
}

/// Sends the stored file of `num` again as `type_fichier`, with `bloc` before `incrementFichier`.
pub async fn changer(gw: &TestGateway, num: &str, type_fichier: &str, bloc: &str) -> Vec<(String, String)> {
    let f = fichier_de(gw, num).await;
    let actuel = f.split("<ns2:typeFichier>").nth(1).unwrap().split('<').next().unwrap().to_string();
    let mut f = f.replacen(
        &format!("<ns2:typeFichier>{actuel}</ns2:typeFichier>"),
        &format!("<ns2:typeFichier>{type_fichier}</ns2:typeFichier>"),
        1,
    );
    // Blocks of the current state that the new file does not ask for are dropped.
    for name in ["dateDerniereModificationPiece", "radiation"] {
        let (open, close) = (format!("<ns2:{name}>"), format!("</ns2:{name}>"));
        if let (Some(a), Some(b)) = (f.find(&open), f.find(&close)) {
            f = format!("{}{}", &f[..a], &f[b + close.len()..]);
        }
    }
    let f = f.replacen("<ns2:incrementFichier>", &format!("{bloc}<ns2:incrementFichier>"), 1);
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], num_unique_inline(f.as_bytes())).await;
    anomalies_of(&binary_child(&decode_reply(&reply), "fichierDemande"))
}

#[tokio::test]
async fn a_radiated_application_keeps_its_pieces_and_an_erased_one_destroys_them() {
    let gw = gateway().await;
    let num = enregistrer(&gw, "G1104").await;
    let id = deposer(&gw, "G1104", &entree(&num, "IDENTITE", "DEM", "cni.pdf", &pdf(), None)).await.id.unwrap();
    let rad = "<ns2:radiation><ns2:dateRadiation>2026-11-02</ns2:dateRadiation><ns2:motifRadiation code=\"RADABA\"/></ns2:radiation>";
    assert_eq!(changer(&gw, &num, "RAD", rad).await, []);
    let reply =
        appel(&gw, "G1104", "supprimerPiece", "supprimerPieceParametres", &format!("<idPiece>{id}</idPiece>")).await;
    assert_eq!(codes_de(&decode_reply(&reply).body), ["PIE-ETAT"]);
    // Deposits go on: the dossier of a radiated application may still be completed.
    assert!(deposer(&gw, "G1104", &entree(&num, "AVISIMPOT", "DEM", "avis.jpg", &jpeg(), None)).await.codes.is_empty());
    assert_eq!(fichiers_de_pieces(&gw), 2);
    // SUP erases the application at once, its pieces with it.
    assert_eq!(changer(&gw, &num, "SUP", "").await, []);
    assert_eq!(lire_piece(&gw, "G1104", &id).await, Err(vec!["PIE-INC".to_string()]));
    assert_eq!(lister(&gw, "G1104", &num).await, Err(vec!["DEM-INC".to_string()]));
    assert_eq!(fichiers_de_pieces(&gw), 0, "the erased application's contents are deleted from disk");
    let r = deposer(&gw, "G1104", &entree(&num, "IDENTITE", "DEM", "cni.pdf", &pdf(), None)).await;
    assert_eq!(r.codes, ["DEM-INC"], "no deposit on an erased application");
}

/// An MTOM request of the document service: `root_children` inside the wrapper, every
/// `(cid, type, content)` as a binary part after the root.
pub fn mtom(operation: &str, wrapper: &str, root_children: &str, parts: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "uuid:7d1c2b04-piece-boundary";
    let root = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="{NS_SOAP12}"><soap:Body><ns2:{wrapper} xmlns:ns2="{NS}">{root_children}</ns2:{wrapper}></soap:Body></soap:Envelope>"#
    );
    let mut body = format!(
        "--{boundary}\r\nContent-Type: application/xop+xml; charset=UTF-8; type=\"application/soap+xml\"\r\nContent-Transfer-Encoding: 8bit\r\nContent-ID: <root.message@cxf.apache.org>\r\n\r\n{root}"
    )
    .into_bytes();
    for (cid, ct, content) in parts {
        body.extend_from_slice(
            format!("\r\n--{boundary}\r\nContent-Type: {ct}\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <{cid}>\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(content);
    }
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let ct = format!(
        "multipart/related; type=\"application/xop+xml\"; boundary=\"{boundary}\"; start=\"<root.message@cxf.apache.org>\"; start-info=\"application/soap+xml\"; action=\"{NS}{operation}\""
    );
    (ct, body)
}

fn entree_mtom(num: &str, categorie: &str, cid: &str) -> String {
    format!(
        "<numUnique>{num}</numUnique><codeCategorie>{categorie}</codeCategorie><personne>DEM</personne><nomFichier>scan</nomFichier><fichier><xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"cid:{cid}\"/></fichier>"
    )
}

async fn envoyer_mtom(gw: &TestGateway, who: &'static str, ct: &str, body: Vec<u8>) -> Reply {
    gw.request(As::Guichet(who), "POST", CHEMIN, &[("Content-Type", ct)], body).await
}

#[tokio::test]
async fn mtom_deposits_stream_to_disk_and_get_piece_streams_back_as_binary() {
    let gw = start_fixture_gateway_with(|s| s.pieces.taille_max_octets = 3 << 20).await;
    let num = enregistrer(&gw, "G1104").await;
    // A large JPEG, its body full of near-delimiters (the boundary cut one byte short).
    let mut gros = jpeg();
    let fin = gros.split_off(gros.len() - 2);
    for i in 0..40_000u32 {
        gros.extend_from_slice(b"\r\n--uuid:7d1c2b04-piece-boundar");
        gros.extend_from_slice(&[b'x', (i % 251) as u8, b'\r', b'\n']);
    }
    gros.extend_from_slice(&fin);
    assert!(gros.len() > 1 << 20);
    let (ct, body) = mtom(
        "deposerPiece",
        "deposerPieceParametres",
        &entree_mtom(&num, "IDENTITE", "piece-1@client"),
        &[("piece-1@client", "image/jpeg", &gros)],
    );
    let reply = envoyer_mtom(&gw, "G1104", &ct, body).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(reply.content_type.starts_with("multipart/related"), "answered in MTOM: {}", reply.content_type);
    let r = resultat(&decode_reply(&reply).body);
    assert!(r.codes.is_empty(), "{:?}", r.codes);
    assert_eq!(r.taille, Some(gros.len() as u64));
    assert_eq!(r.empreinte.as_deref(), Some(hex::encode(sha2::Sha256::digest(&gros)).as_str()));
    let id = r.id.unwrap();
    // getPiece in MTOM: the content travels as a binary part, read back byte for byte.
    let (ct, body) = mtom("getPiece", "getPieceParametres", &format!("<idPiece>{id}</idPiece>"), &[]);
    let reply = envoyer_mtom(&gw, "C1102", &ct, body).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let parts = split_multipart(&reply.content_type, &reply.body);
    assert!(
        parts.iter().any(|(h, b)| h.to_ascii_lowercase().contains("content-transfer-encoding: binary") && *b == gros),
        "the piece is a binary part"
    );
    assert_eq!(reply.headers.get("content-length").unwrap().to_str().unwrap(), reply.body.len().to_string());
    assert_eq!(binary_child(&decode_reply(&reply), "fichier"), gros);
}

#[tokio::test]
async fn a_streamed_batch_is_decided_entry_by_entry_and_refusals_leave_nothing() {
    let gw = start_fixture_gateway_with(|s| s.pieces.taille_max_octets = 100_000).await;
    let num = enregistrer(&gw, "G1104").await;
    let trop_gros = [pdf(), vec![b'%'; 200_000]].concat();
    let racine = [
        format!("<piece>{}</piece>", entree_mtom(&num, "IDENTITE", "a")),
        format!("<piece>{}</piece>", entree_mtom(&num, "AVISIMPOT", "b")),
        format!("<piece>{}</piece>", entree_mtom("1110126000999G1104", "REVENUS", "c")),
        format!("<piece>{}</piece>", entree_mtom(&num, "LOGEMENT", "d")),
        format!("<piece>{}</piece>", entree_mtom(&num, "REVENUS", "e")),
    ]
    .concat();
    let (ct, body) = mtom(
        "deposerLotPieces",
        "deposerLotPiecesParametres",
        &racine,
        &[
            ("a", "application/pdf", &pdf()),
            ("b", "application/octet-stream", &trop_gros),
            ("c", "image/png", &png()),
            ("d", "image/png", &jpeg()),
            ("e", "image/tiff", &tiff()),
        ],
    );
    let reply = envoyer_mtom(&gw, "P0001", &ct, body).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let env = decode_reply(&reply);
    let codes: Vec<Vec<String>> = env.body.elements().map(|e| resultat(e).codes).collect();
    assert_eq!(
        codes,
        [vec![], vec!["PIE-TAILLE".to_string()], vec!["DEM-INC".into()], vec!["PIE-TYPE".into()], vec![]]
    );
    assert_eq!(lister(&gw, "G1104", &num).await.unwrap().len(), 2);
    assert_eq!(fichiers_de_pieces(&gw), 2, "refused contents left nothing on disk");
}

#[tokio::test]
async fn a_streamed_upload_names_what_is_wrong_with_its_package() {
    let gw = gateway().await;
    let num = enregistrer(&gw, "G1104").await;
    // The root part after the attachment: a streamed upload needs it first.
    let (ct, body) = mtom(
        "deposerPiece",
        "deposerPieceParametres",
        &entree_mtom(&num, "IDENTITE", "x"),
        &[("x", "application/pdf", &pdf())],
    );
    let ct = ct.replace("start=\"<root.message@cxf.apache.org>\"", "start=\"<x>\"");
    let reply = envoyer_mtom(&gw, "G1104", &ct, body).await;
    assert_eq!(reply.status, 500, "{}", reply.text());
    assert!(reply.text().contains("racine"), "{}", reply.text());
    // An Include naming no part.
    let (ct, body) = mtom("deposerPiece", "deposerPieceParametres", &entree_mtom(&num, "IDENTITE", "absente"), &[]);
    let reply = envoyer_mtom(&gw, "G1104", &ct, body).await;
    assert_eq!(reply.status, 500, "{}", reply.text());
    assert!(reply.text().contains("absente"), "{}", reply.text());
    // Over the request limit: refused before anything is kept.
    assert_eq!(lister(&gw, "G1104", &num).await.unwrap(), []);
    assert_eq!(fichiers_de_pieces(&gw), 0);
}

/// Deposits a generated JPEG of `taille` bytes on `num` (never held by the client either).
async fn deposer_genere(pki: &std::path::Path, port: u16, num: &str, taille: u64) -> Resultat {
    let tls = crate::televersement::tls(pki, "G1104");
    let (content_type, body) = crate::televersement::deposer(tls, port, num, taille, taille).await;
    let env = sne_gateway::soap::decode(&content_type, None, &body, &Default::default()).unwrap();
    let r = resultat(&env.body);
    assert!(r.id.is_some() || !r.codes.is_empty(), "{}", String::from_utf8_lossy(&body[..body.len().min(2000)]));
    r
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_servers_memory_does_not_grow_with_the_size_of_an_upload() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let config = dir.join(sne_gateway::school::CONFIG_FILE);
    let mut texte = std::fs::read_to_string(&config).unwrap();
    texte.push_str("\n[pieces]\ntaille_max_octets = 268435456\nmax_requete_octets = 314572800\n");
    std::fs::write(&config, texte).unwrap();
    // The release binary: what is deployed, at the speed it runs (hundreds of MiB go through).
    let (mut child, port) = crate::cli::serve_bin(&crate::release::release_binary(), &config);
    let gw_addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let pki = dir.join("pki");
    // One application, registered today.
    let mut sender = open(gw_addr, client_config(&pki, As::Guichet("G1104"))).await.unwrap();
    let (status, reponse) = post_on(
        &mut sender,
        ACTION_NUM_UNIQUE,
        num_unique_inline(&fixture_du_jour("demande/valid/cre_complet_v0201.xml")),
    )
    .await
    .unwrap();
    assert_eq!(status, 200, "{reponse}");
    let env = sne_gateway::soap::decode("application/soap+xml", None, reponse.as_bytes(), &Default::default()).unwrap();
    let num = num_unique_of(&binary_child(&env, "fichierDemande")).unwrap();
    let petit = deposer_genere(&pki, port, &num, 20 << 20).await;
    assert!(petit.codes.is_empty() && petit.taille == Some(20 << 20), "{petit:?}");
    let apres_petit = crate::release::peak_rss(child.id());
    let gros = deposer_genere(&pki, port, &num, 200 << 20).await;
    assert!(gros.codes.is_empty() && gros.taille == Some(200 << 20), "{gros:?}");
    let apres_gros = crate::release::peak_rss(child.id());
    // Ten times the bytes, the same peak: the content never sits in memory.
    assert!(
        apres_gros < apres_petit + (16 << 20),
        "pic de mémoire {} Mio après 20 Mio téléversés, {} Mio après 200 Mio",
        apres_petit >> 20,
        apres_gros >> 20
    );
    eprintln!("pic de mémoire : {} Mio après 20 Mio, {} Mio après 200 Mio", apres_petit >> 20, apres_gros >> 20);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn a_streamed_batch_takes_inline_contents_too_and_the_per_application_limit_holds_within_it() {
    let gw = start_fixture_gateway_with(|s| s.pieces.max_par_demande = 2).await;
    let num = enregistrer(&gw, "G1104").await;
    let racine = [
        format!("<piece>{}</piece>", entree(&num, "IDENTITE", "DEM", "cni.pdf", &pdf(), None)),
        format!("<piece>{}</piece>", entree_mtom(&num, "AVISIMPOT", "b")),
        format!("<piece>{}</piece>", entree_mtom(&num, "REVENUS", "c")),
    ]
    .concat();
    let (ct, body) = mtom(
        "deposerLotPieces",
        "deposerLotPiecesParametres",
        &racine,
        &[("b", "image/jpeg", &jpeg()), ("c", "image/png", &png())],
    );
    let reply = envoyer_mtom(&gw, "G1104", &ct, body).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let env = decode_reply(&reply);
    let codes: Vec<Vec<String>> = env.body.elements().map(|e| resultat(e).codes).collect();
    assert_eq!(
        codes,
        [vec![], vec![], vec!["PIE-NOMBRE".to_string()]],
        "inline content received; third over the limit"
    );
    assert_eq!(lister(&gw, "G1104", &num).await.unwrap().len(), 2);
    assert_eq!(fichiers_de_pieces(&gw), 2);
}

/// A piece concerns a person the application has: the complete example has one co-applicant and
/// two dependants, so `COT1` and `PAC2` are taken and `COT2`, `PAC3` refused with `PIE-PERS`
/// naming the persons it has; the console's deposit form lists exactly them, first names included.
#[tokio::test]
async fn a_piece_concerns_a_person_of_the_application() {
    let gw = gateway().await;
    let num = enregistrer(&gw, "G1104").await;
    for (personne, contenu) in [("COT1", pdf()), ("PAC2", pdf_bis())] {
        let r = deposer(&gw, "G1104", &entree(&num, "IDENTITE", personne, "id.pdf", &contenu, None)).await;
        assert!(r.codes.is_empty() && r.id.is_some(), "{personne}: {r:?}");
    }
    for personne in ["COT2", "PAC3", "COT7"] {
        let reply = appel(
            &gw,
            "G1104",
            "deposerPiece",
            "deposerPieceParametres",
            &entree(&num, "IDENTITE", personne, "id.pdf", &png(), None),
        )
        .await;
        let texte = reply.text();
        assert_eq!(codes_de(&decode_reply(&reply).body), ["PIE-PERS"], "{texte}");
        assert!(
            texte.contains(&format!("ne compte pas de personne {personne}")) && texte.contains("DEM, COT1, PAC1, PAC2"),
            "{texte}"
        );
    }
    assert_eq!(lister(&gw, "G1104", &num).await.unwrap().len(), 2, "nothing kept of the refusals");

    let mdp = crate::console::agent(&gw, "marie", "G1104").await;
    let mut b = crate::console::Navigateur::new(&gw);
    b.connecter("marie", &mdp).await;
    let page = b.get(&format!("/console/demandes/{num}")).await.text();
    for attendu in
        ["Demandeur : Camille", "Cotitulaire 1 : Karim", "Personne à charge 1 : Léa", "Personne à charge 2 : Hugo"]
    {
        assert!(page.contains(attendu), "{attendu}: {page}");
    }
    assert!(!page.contains("Cotitulaire 2") && !page.contains("Personne à charge 3"), "{page}");
}
