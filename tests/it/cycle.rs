//! The life of an application through `getNumUnique`: MOD, REN, RAD (and its undoing), SUP and
//! CRS, each accepted and refused, on days set by the registry's clock.

use sne_gateway::registry::HorlogeFixe;
use time::macros::datetime;

use crate::helpers::*;

/// A gateway whose clock reads 2 November 2026, 11:00 in Paris.
async fn gateway() -> (TestGateway, HorlogeFixe) {
    let horloge = HorlogeFixe::a(datetime!(2026-11-02 10:00 UTC));
    (spawn_gateway_at(horloge.clone()).await, horloge)
}

/// What a `getNumUnique` answered: the file, its anomaly codes, whether a certificate came.
struct Reponse {
    fichier: String,
    codes: Vec<String>,
    attestation: bool,
}

async fn envoyer(gw: &TestGateway, who: &'static str, file: &str) -> Reponse {
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    let reply = gw.post_soap(As::Guichet(who), &[("Content-Type", &ct)], num_unique_inline(file.as_bytes())).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let env = decode_reply(&reply);
    let fichier = binary_child(&env, "fichierDemande");
    let codes = anomalies_of(&fichier).into_iter().map(|(c, _)| c).collect();
    Reponse {
        fichier: String::from_utf8(fichier).unwrap(),
        codes,
        attestation: env.body.child("attestation").is_some(),
    }
}

async fn lire(gw: &TestGateway, who: &'static str, num: &str) -> String {
    let ct = soap12_headers(ACTION_DEMANDE);
    let reply = gw.post_soap(As::Guichet(who), &[("Content-Type", &ct)], demande_logement_inline(num)).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    String::from_utf8(binary_child(&decode_reply(&reply), "fichierDemande")).unwrap()
}

/// Registers the complete example; returns its number and the file as stored.
async fn enregistrer(gw: &TestGateway) -> (String, String) {
    let file = String::from_utf8(fixture("demande/valid/cre_complet_v0201.xml")).unwrap();
    let r = envoyer(gw, "G1104", &file).await;
    assert!(r.codes.is_empty(), "{:?}", r.codes);
    (num_unique_of(r.fichier.as_bytes()).unwrap(), r.fichier)
}

/// The stored file turned into a file of type `type_fichier`, with `bloc` (a `renouvellement` or
/// `radiation` element) placed where the schema wants it: just before `incrementFichier`.
fn fichier(stocke: &str, type_fichier: &str, bloc: &str) -> String {
    let f = stocke.replacen(
        &format!("<ns2:typeFichier>{}</ns2:typeFichier>", type_of(stocke)),
        &format!("<ns2:typeFichier>{type_fichier}</ns2:typeFichier>"),
        1,
    );
    // Blocks of an earlier change are dropped: the new file says what it asks.
    let f = drop_element(&drop_element(&f, "renouvellement"), "radiation");
    f.replacen("<ns2:incrementFichier>", &format!("{bloc}<ns2:incrementFichier>"), 1)
}

fn type_of(f: &str) -> &str {
    f.split("<ns2:typeFichier>").nth(1).unwrap().split('<').next().unwrap()
}

fn drop_element(f: &str, name: &str) -> String {
    let open = format!("<ns2:{name}>");
    let close = format!("</ns2:{name}>");
    match (f.find(&open), f.find(&close)) {
        (Some(a), Some(b)) => format!("{}{}", &f[..a], &f[b + close.len()..]),
        _ => f.to_string(),
    }
}

fn renouvellement(date: &str) -> String {
    format!("<ns2:renouvellement><ns2:dateRenouvellement>{date}</ns2:dateRenouvellement></ns2:renouvellement>")
}

/// A `radiation` block; an empty `motif` is a `motifRadiation` without code (the undo: the
/// schema's code pattern refuses an empty one).
fn radiation(date: &str, motif: &str, details: &str) -> String {
    let code = if motif.is_empty() { String::new() } else { format!(" code=\"{motif}\"") };
    format!(
        "<ns2:radiation><ns2:dateRadiation>{date}</ns2:dateRadiation><ns2:motifRadiation{code}/>{details}</ns2:radiation>"
    )
}

fn increment(f: &str) -> &str {
    f.split("<ns2:incrementFichier>").nth(1).unwrap().split('<').next().unwrap()
}

#[tokio::test]
async fn a_modification_becomes_the_current_state_and_is_counted() {
    let (gw, _) = gateway().await;
    let (num, stocke) = enregistrer(&gw).await;
    let modifie = fichier(&stocke, "MOD", "").replacen(
        "<ns2:precision>",
        "<ns2:precision ns2:modifie=\"true\">Nouvelle précision. ",
        1,
    );
    let r = envoyer(&gw, "G1104", &modifie).await;
    assert!(r.codes.is_empty(), "{:?} {}", r.codes, r.fichier);
    assert!(!r.attestation, "a MOD issues no certificate");
    assert_eq!(increment(&r.fichier), "2");
    let relu = lire(&gw, "G1104", &num).await;
    assert_eq!(relu, r.fichier, "getDemandeLogement returns the current state");
    assert!(relu.contains("Nouvelle précision.") && relu.contains("ns2:modifie=\"true\""), "{relu}");
    assert!(xmllint_accepts(&fixtures().join("../schemas/InterfaceNuu_v0201.xsd"), relu.as_bytes()));

    // Without its number, with a malformed one, of another territory: refused, unchanged.
    let sans = modifie.replacen(&format!("<ns2:numUnique>{num}</ns2:numUnique>"), "", 1);
    assert_eq!(envoyer(&gw, "G1104", &sans).await.codes, ["DEM-NUM"]);
    let inconnu = modifie.replace(&num, "1111126999999G1104");
    assert_eq!(envoyer(&gw, "G1104", &inconnu).await.codes, ["DEM-INC"]);
    let autre = modifie.replace("<ns2:numGuichet>G1104<", "<ns2:numGuichet>G2201<");
    let r = envoyer(&gw, "G2201", &autre).await;
    assert_eq!(r.codes, ["DEM-INC"], "another territory's application answers as unknown");
    assert!(r.fichier.contains("aucune demande") || r.fichier.contains("Aucune demande"), "{}", r.fichier);
    // The business controls apply to the state a MOD declares.
    let hors = modifie.replacen("<ns2:commune code=\"31069\"/>", "<ns2:commune code=\"33063\"/>", 1);
    assert_eq!(envoyer(&gw, "G1104", &hors).await.codes, ["COM-TERR"]);
    let mineur = modifie.replacen("<ns2:dateNaissance>1988-03-12<", "<ns2:dateNaissance>2010-03-12<", 1);
    assert_eq!(envoyer(&gw, "G1104", &mineur).await.codes, ["DEM-AGE"]);
    assert_eq!(lire(&gw, "G1104", &num).await, relu, "refusals change nothing");
}

#[tokio::test]
async fn renewal_opens_three_months_before_expiry_and_issues_a_new_certificate() {
    let (gw, horloge) = gateway().await;
    let (num, stocke) = enregistrer(&gw).await;
    // Filed 2 November 2026: valid until 2 November 2027, renewable from 2 August 2027.
    horloge.regler(datetime!(2027-08-01 10:00 UTC));
    let r = envoyer(&gw, "G1104", &fichier(&stocke, "REN", &renouvellement("2027-08-01"))).await;
    assert_eq!(r.codes, ["REN-FEN"], "{}", r.fichier);
    assert!(r.fichier.contains("2027-08-02"), "the message says when the window opens: {}", r.fichier);
    assert!(num_unique_of(r.fichier.as_bytes()).is_some(), "a refused REN keeps its number");

    horloge.regler(datetime!(2027-08-02 10:00 UTC));
    let r = envoyer(&gw, "G1104", &fichier(&stocke, "REN", "")).await;
    assert_eq!(r.codes, ["REN-ABS"]);
    let r = envoyer(&gw, "G1104", &fichier(&stocke, "REN", &renouvellement("2027-08-04"))).await;
    assert_eq!(r.codes, ["DATE-FUT"], "a renewal dated after tomorrow");
    let r = envoyer(&gw, "G1104", &fichier(&stocke, "REN", &renouvellement("2027-08-02"))).await;
    assert!(r.codes.is_empty(), "{:?}", r.codes);
    assert!(r.attestation, "a REN issues a new certificate");
    assert_eq!(num_unique_of(r.fichier.as_bytes()).unwrap(), num, "the number is kept");
    assert!(r.fichier.contains("<ns2:dateCreationDemande>2026-11-02<"), "seniority kept: {}", r.fichier);
    assert_eq!(lire(&gw, "G1104", &num).await, r.fichier);
}

#[tokio::test]
async fn radiation_needs_its_details_cannot_be_repeated_and_is_undone_within_a_month() {
    let (gw, horloge) = gateway().await;
    let (num, stocke) = enregistrer(&gw).await;
    horloge.regler(datetime!(2027-01-10 10:00 UTC));
    let rad = |motif: &str, details: &str| fichier(&stocke, "RAD", &radiation("2027-01-10", motif, details));

    assert_eq!(envoyer(&gw, "G1104", &fichier(&stocke, "RAD", "")).await.codes, ["RAD-ABS"]);
    assert_eq!(envoyer(&gw, "G1104", &rad("RADREN", "")).await.codes, ["RAD-REN"]);
    assert_eq!(envoyer(&gw, "G1104", &rad("RADIRR", "")).await.codes, ["RAD-DETAIL"]);
    assert_eq!(envoyer(&gw, "G1104", &rad("RADCON", "")).await.codes, ["RAD-DETAIL"]);
    assert_eq!(envoyer(&gw, "G1104", &rad("RADATT", "")).await.codes, ["RAD-DETAIL"]);
    assert_eq!(envoyer(&gw, "G1104", &rad("", "")).await.codes, ["RAD-NON"], "nothing to undo");
    let future = fichier(&stocke, "RAD", &radiation("2027-01-12", "RADABA", ""));
    assert_eq!(envoyer(&gw, "G1104", &future).await.codes, ["DATE-FUT"]);

    let r = envoyer(&gw, "G1104", &rad("RADIRR", "<ns2:sousMotifIrrecevabilite code=\"IRRSEJ\"/>")).await;
    assert!(r.codes.is_empty(), "{:?} {}", r.codes, r.fichier);
    assert!(!r.attestation);
    let radiee = r.fichier;
    assert_eq!(envoyer(&gw, "G1104", &rad("RADABA", "")).await.codes, ["RAD-DEJA"]);
    assert_eq!(envoyer(&gw, "G1104", &fichier(&radiee, "MOD", "")).await.codes, ["MOD-RAD"]);
    horloge.regler(datetime!(2027-08-02 10:00 UTC));
    let ren = fichier(&radiee, "REN", &renouvellement("2027-08-02"));
    assert_eq!(envoyer(&gw, "G1104", &ren).await.codes, ["REN-RAD"]);

    // Undoing: allowed within a month of the radiation, not after.
    horloge.regler(datetime!(2027-02-09 10:00 UTC));
    let r = envoyer(&gw, "G1104", &fichier(&radiee, "RAD", &radiation("2027-02-09", "", ""))).await;
    assert!(r.codes.is_empty(), "{:?} {}", r.codes, r.fichier);
    assert!(envoyer(&gw, "G1104", &fichier(&radiee, "MOD", "")).await.codes.is_empty(), "active again");
    let r = envoyer(
        &gw,
        "G1104",
        &rad("RADCON", "<ns2:absenceReponse><ns2:dateCourrier>2026-12-01</ns2:dateCourrier></ns2:absenceReponse>"),
    )
    .await;
    assert!(r.codes.is_empty(), "{:?}", r.codes);
    horloge.regler(datetime!(2027-03-10 10:00 UTC));
    let r = envoyer(&gw, "G1104", &fichier(&radiee, "RAD", &radiation("2027-03-10", "", ""))).await;
    assert_eq!(r.codes, ["RAD-ANN"], "{}", r.fichier);
    assert!(lire(&gw, "G1104", &num).await.contains("RADCON"), "the radiation stays");
}

/// Every file under `dir`, raw.
fn fichiers(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(fichiers(&p));
        } else if let Ok(bytes) = std::fs::read(&p) {
            out.push((p, bytes));
        }
    }
    out
}

/// The keyed hashes of `num`'s index entries (identity, search, duplicates): 12 to 64 hex digits.
fn empreintes(gw: &TestGateway, num: &str) -> Vec<String> {
    use sne_gateway::registry::depot::Depot;
    let mut out: Vec<String> = gw
        .store()
        .index_de(num)
        .unwrap()
        .iter()
        .flat_map(|c| c.valeur.split('|').map(str::to_string).collect::<Vec<_>>())
        .filter(|p| p.len() >= 12 && p.bytes().all(|b| b.is_ascii_hexdigit()))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Those of `traces` found in a file under `dir`.
fn dans_les_fichiers(dir: &std::path::Path, traces: &[String]) -> Vec<String> {
    let files = fichiers(dir);
    traces
        .iter()
        .filter(|t| files.iter().any(|(_, b)| b.windows(t.len()).any(|w| w == t.as_bytes())))
        .cloned()
        .collect()
}

#[tokio::test]
async fn deletion_erases_at_once_and_the_number_then_answers_as_unknown() {
    let (mut gw, _) = gateway().await;
    let (num, stocke) = enregistrer(&gw).await;
    let data = gw.settings.server.data_dir.clone();
    // The complete example's two persons: their names, birth dates and identities, hashed.
    let traces = empreintes(&gw, &num);
    assert!(traces.len() >= 10, "{traces:?}");
    assert_eq!(dans_les_fichiers(&data, &traces), traces, "the scan sees the index entries before erasure");
    let autre = stocke.replace("<ns2:numGuichet>G1104<", "<ns2:numGuichet>G2201<");
    assert_eq!(envoyer(&gw, "G2201", &fichier(&autre, "SUP", "")).await.codes, ["DEM-INC"]);
    let r = envoyer(&gw, "G1104", &fichier(&stocke, "SUP", "")).await;
    assert!(r.codes.is_empty(), "{:?}", r.codes);
    let relu = lire(&gw, "G1104", &num).await;
    assert!(relu.contains("DEM-INC") && !relu.contains("<ns2:nom>"), "{relu}");
    assert_eq!(envoyer(&gw, "G1104", &fichier(&stocke, "MOD", "")).await.codes, ["DEM-INC"]);
    assert_eq!(envoyer(&gw, "G1104", &fichier(&stocke, "SUP", "")).await.codes, ["DEM-INC"]);
    assert!(empreintes(&gw, &num).is_empty(), "index entries left by the erasing transaction");

    // On disk: no name, birth date or content in clear anywhere, and the vault no longer holds
    // the application's key (the store's own test tries every byte window as a wrapped key).
    // Once the store's files are rewritten after the erasure, not even the keyed hashes of its
    // index entries are in them.
    let store = gw.store().clone();
    let purgee = tokio::task::spawn_blocking(move || store.attendre_purge(std::time::Duration::from_secs(30)));
    assert!(purgee.await.unwrap(), "the store's files not rewritten within 30 s of the erasure");
    assert_eq!(dans_les_fichiers(&data, &traces), Vec::<String>::new(), "hashes of the erased application on disk");
    let tmp = gw.keep_dir();
    gw.stop().await;
    let vault = std::fs::read(data.join("cles.sne")).unwrap();
    assert!(!vault.windows(num.len()).any(|w| w == num.as_bytes()), "the key of {num} is still in the vault");
    let files = fichiers(&data);
    assert!(files.iter().any(|(_, b)| b.windows(5).any(|w| w == b"G1104")), "the scan sees the store's data");
    for (path, bytes) in files {
        for needle in ["MARTIN", "Camille", "1988-03-12", "Rue des Lilas"] {
            assert!(!bytes.windows(needle.len()).any(|w| w == needle.as_bytes()), "{needle} in {}", path.display());
        }
    }
    drop(tmp);
}

#[tokio::test]
async fn a_separated_couples_application_gets_a_new_number_and_keeps_the_seniority() {
    let (gw, horloge) = gateway().await;
    let (num, _) = enregistrer(&gw).await;
    horloge.regler(datetime!(2026-12-20 10:00 UTC));
    let cre = String::from_utf8(fixture("demande/valid/cre_minimal_v0200.xml")).unwrap();
    let cre = cre.replacen(
        &format!("<ns2:dateCreationDemande>{}<", date_of(&cre)),
        "<ns2:dateCreationDemande>2026-12-20<",
        1,
    );
    let crs = cre.replacen("<ns2:typeFichier>CRE<", "<ns2:typeFichier>CRS<", 1);
    assert_eq!(envoyer(&gw, "G1104", &crs).await.codes, ["CRS-ASSOC"], "numUniqueAssocie is required");
    let avec = |n: &str| {
        crs.replacen(
            "<ns2:dateCreationDemande>",
            &format!("<ns2:numUniqueAssocie>{n}</ns2:numUniqueAssocie><ns2:dateCreationDemande>"),
            1,
        )
    };
    assert_eq!(envoyer(&gw, "G1104", &avec("1111126999999G1104")).await.codes, ["CRS-ASSOC"]);
    let r = envoyer(&gw, "G1104", &avec(&num)).await;
    assert!(r.codes.is_empty(), "{:?} {}", r.codes, r.fichier);
    assert!(r.attestation);
    let nouveau = num_unique_of(r.fichier.as_bytes()).unwrap();
    assert_ne!(nouveau, num);
    assert!(nouveau.starts_with("1111226"), "numbered in the month of its own filing: {nouveau}");
    assert!(r.fichier.contains("<ns2:dateCreationDemande>2026-11-02<"), "the original's seniority: {}", r.fichier);
    assert!(lire(&gw, "G1104", &num).await.contains(&num), "the original stays");
}

fn date_of(f: &str) -> &str {
    f.split("<ns2:dateCreationDemande>").nth(1).unwrap().split('<').next().unwrap()
}

fn sne(args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sne-gateway")).args(args).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

/// `lifecycle run --at` reaches the running gateway; the system's radiation then shows in the
/// file read back, the history keeps every version, and `journal` lists writes and reads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_time_rules_run_on_demand_and_the_history_and_journal_tell_who_did_what() {
    let (gw, _) = gateway().await;
    let (num, stocke) = enregistrer(&gw).await;
    let modifie = fichier(&stocke, "MOD", "").replacen("<ns2:precision>", "<ns2:precision>Version 2. ", 1);
    assert!(envoyer(&gw, "G1104", &modifie).await.codes.is_empty());
    let config = gw.dir.join("sne-gateway.toml");
    let config = config.to_str().unwrap();

    let (ok, text) = sne(&["lifecycle", "run", "--config", config, "--at", "2027-10-02"]);
    assert!(ok, "{text}");
    assert!(text.contains(&format!("preavis {num}")) && text.contains("1 préavis"), "{text}");
    // A simulation says what would change and changes nothing.
    let (ok, text) = sne(&["lifecycle", "run", "--config", config, "--at", "2027-12-02", "--simulation"]);
    assert!(ok && text.contains(&format!("a-radier {num} RADREN")) && text.contains("rien n'a changé"), "{text}");
    assert!(!lire(&gw, "G1104", &num).await.contains("RADREN"), "a simulation changed the file");
    // Outside school mode, a day after today is refused without its confirmation.
    let production = gw.dir.join("production.toml");
    let texte = std::fs::read_to_string(config).unwrap();
    assert!(texte.contains("ecole = true"), "{texte}");
    std::fs::write(&production, texte.replace("ecole = true", "ecole = false")).unwrap();
    let loin = (time::OffsetDateTime::now_utc() + time::Duration::days(40000)).date().to_string();
    let (ok, text) = sne(&["lifecycle", "run", "--config", production.to_str().unwrap(), "--at", &loin]);
    assert!(!ok && text.contains("--simulation") && text.contains("--confirmer-jour-futur"), "{text}");
    let (ok, text) = sne(&["lifecycle", "run", "--config", config, "--at", "2027-12-02"]);
    assert!(ok && text.contains(&format!("radiee {num} RADREN")) && text.contains("appliqués"), "{text}");
    let (ok, text) = sne(&["lifecycle", "run", "--config", config, "--at", "2027-13-02"]);
    assert!(!ok && text.contains("AAAA-MM-JJ"), "{text}");

    let courant = lire(&gw, "G1104", &num).await;
    assert!(courant.contains("<ns2:motifRadiation code=\"RADREN\"/>"), "{courant}");
    assert!(courant.contains("<ns2:incrementFichier>2<"), "the file is the counter's last one: {courant}");
    assert!(xmllint_accepts(&fixtures().join("../schemas/InterfaceNuu_v0201.xsd"), courant.as_bytes()));
    // History: version 1 as registered, version 2 as modified.
    let ct = soap12_headers(ACTION_DEMANDE);
    let version = |v: &str| {
        String::from_utf8(demande_logement_inline(&num)).unwrap().replace(
            "</ns2:demandeLogementParametres>",
            &format!("<version>{v}</version></ns2:demandeLogementParametres>"),
        )
    };
    let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], version("1").into_bytes()).await;
    let v1 = String::from_utf8(binary_child(&decode_reply(&reply), "fichierDemande")).unwrap();
    assert_eq!(v1, stocke, "version 1 is the file as registered");
    let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], version("4").into_bytes()).await;
    let v4 = String::from_utf8(binary_child(&decode_reply(&reply), "fichierDemande")).unwrap();
    assert!(v4.contains("DEM-INC"), "{v4}");
    let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], version("zéro").into_bytes()).await;
    assert_eq!(reply.status, 500, "{}", reply.text());
    assert!(reply.text().contains("entier positif"), "{}", reply.text());

    let (ok, text) = sne(&["journal", "--config", config, "--num-unique", &num]);
    assert!(ok, "{text}");
    for needle in [
        "version 1 CRE par G1104",
        "version 2 MOD par G1104",
        "version 3 RADREN par systeme",
        "par G1104 (getNumUnique/CRE)",
        "par G1104 (getNumUnique/MOD)",
        "par G1104 (getDemandeLogement)",
        "3 version(s)",
    ] {
        assert!(text.contains(needle), "{needle} absent : {text}");
    }
    assert!(!text.contains("LEFEBVRE") && !text.contains("<ns2:"), "no content in the journal: {text}");
}
