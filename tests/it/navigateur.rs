//! The web tool in a real browser: headless Chromium from Debian's packages, driven over
//! WebDriver (chromedriver) with fantoccini. `bash tests/run.sh` installs both; without them
//! these tests fail and say how to install them (they never skip). Each test saves a
//! screenshot of its last page under `target/captures/`; `SNE_CAPTURES_README=1` also writes
//! the README's pictures to `docs/captures/`.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

use crate::console::{agent, code_de_l_attestation, Navigateur};
use crate::helpers::{spawn_gateway, As, TestGateway};
use crate::pieces::{enregistrer_avec_attestation, pdf, pdf_bis};

/// The captures the README shows (`docs/captures/`).
const IMAGES_DU_README: &[&str] = &[
    "console-echanges",
    "console-demande",
    "console-piece",
    "demandeur-accueil",
    "console-echange",
    "console-demande-telephone",
];

/// A headless Chromium behind its own chromedriver, stopped when dropped.
struct Chromium {
    client: Client,
    pilote: tokio::process::Child,
    _profil: tempfile::TempDir,
}

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

async fn chromium() -> Chromium {
    assert!(
        Path::new(CHROMEDRIVER).exists() && Path::new("/usr/bin/chromium").exists(),
        "Chromium et ChromeDriver sont requis : lancez `bash tests/run.sh` (qui les installe) ou `apt-get install -y chromium chromium-driver`"
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let pilote = tokio::process::Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        // Its own process group, so that the browsers it starts go with it (see `Drop`).
        .process_group(0)
        .spawn()
        .expect("chromedriver");
    let profil = tempfile::tempdir().unwrap();
    let mut caps = serde_json::map::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                // The school's test authority is not in the system's store.
                "--ignore-certificate-errors",
                "--window-size=1280,1000",
                // The people of the pages read French: dates as jj/mm/aaaa.
                "--lang=fr-FR",
                format!("--user-data-dir={}", profil.path().display()),
            ],
            "prefs": { "intl.accept_languages": "fr-FR,fr" },
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    let mut essais = 0;
    let client = loop {
        let pilote_http = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(pilote_http).capabilities(caps.clone()).connect(&url).await {
            Ok(c) => break c,
            Err(e) if essais < 50 => {
                essais += 1;
                let _ = e;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("chromedriver ne répond pas : {e}"),
        }
    };
    Chromium { client, pilote, _profil: profil }
}

impl Chromium {
    async fn aller(&self, gw: &TestGateway, chemin: &str) {
        self.client.goto(&format!("https://localhost:{}{chemin}", gw.addr.port())).await.unwrap();
    }

    async fn saisir(&self, selecteur: &str, texte: &str) {
        let e = self.client.find(Locator::Css(selecteur)).await.unwrap();
        e.clear().await.unwrap();
        e.send_keys(texte).await.unwrap();
    }

    async fn cliquer(&self, selecteur: &str) {
        self.client.find(Locator::Css(selecteur)).await.unwrap().click().await.unwrap();
    }

    async fn choisir(&self, selecteur: &str, valeur: &str) {
        let s = self.client.find(Locator::Css(selecteur)).await.unwrap();
        s.select_by_value(valeur).await.unwrap();
    }

    /// The page's text; empty while a navigation replaces the page.
    async fn texte(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(b) => b.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    async fn chemin(&self) -> String {
        let u = self.client.current_url().await.unwrap();
        match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_string(),
        }
    }

    /// Waits until the page's text holds `attendu` (the deposit script navigates on its own).
    async fn attendre(&self, attendu: &str) -> String {
        for _ in 0..100 {
            let t = self.texte().await;
            if t.contains(attendu) {
                return t;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("« {attendu} » n'apparaît pas :\n{}", self.texte().await);
    }

    /// Saves a screenshot of the page under `target/captures/<nom>.png` (and the README's
    /// copy when asked).
    async fn capturer(&self, nom: &str) {
        let png = self.client.screenshot().await.unwrap();
        let racine = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let dir = racine.join("target/captures");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{nom}.png")), &png).unwrap();
        if std::env::var_os("SNE_CAPTURES_README").is_some() && IMAGES_DU_README.contains(&nom) {
            let docs = racine.join("docs/captures");
            std::fs::create_dir_all(&docs).unwrap();
            std::fs::write(docs.join(format!("{nom}.png")), &png).unwrap();
        }
    }

    /// The page fits the window's width, and every visible field is named by a label.
    async fn accessible(&self) {
        // What sticks out, deepest first: the elements past the window's right edge whose
        // children do not.
        let script = "const sans = [...document.querySelectorAll('input:not([type=hidden]), select, textarea')] \
                      .filter(e => !document.querySelector('label[for=\"' + e.id + '\"]')).map(e => e.name); \
                      const dehors = e => e.getBoundingClientRect().right > window.innerWidth + 1; \
                      const deborde = e => getComputedStyle(e).overflowX == 'visible' && e.scrollWidth > e.clientWidth + 1; \
                      const depassent = [...document.body.querySelectorAll('*')] \
                      .filter(e => (dehors(e) || deborde(e)) && ![...e.children].some(f => dehors(f) || deborde(f))) \
                      .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)); \
                      return [document.documentElement.scrollWidth, window.innerWidth, sans, depassent, location.pathname];";
        let v = self.client.execute(script, vec![]).await.unwrap();
        let (large, fenetre) = (v[0].as_u64().unwrap(), v[1].as_u64().unwrap());
        assert!(large <= fenetre, "{} déborde : {large} px pour {fenetre} ({})", v[4], v[3]);
        assert_eq!(v[2], serde_json::json!([]), "champs sans étiquette");
    }

    /// A real photo (a JPEG the browser itself encodes from a drawing), as a phone would send.
    async fn photo(&self, texte: &str) -> Vec<u8> {
        use base64::Engine as _;
        self.client.goto("about:blank").await.unwrap();
        let script = "const c = document.createElement('canvas'); c.width = 640; c.height = 420; \
                      const x = c.getContext('2d'); x.fillStyle = '#eef0f7'; x.fillRect(0, 0, 640, 420); \
                      x.fillStyle = '#1e1e5a'; x.font = '28px sans-serif'; x.fillText(arguments[0], 40, 80); \
                      x.font = '18px sans-serif'; x.fillText('Document fictif de la base école', 40, 130); \
                      return c.toDataURL('image/jpeg', 0.85).split(',')[1];";
        let b64 = self.client.execute(script, vec![serde_json::json!(texte)]).await.unwrap();
        base64::engine::general_purpose::STANDARD.decode(b64.as_str().unwrap()).unwrap()
    }

    async fn fermer(self) {
        let _ = self.client.clone().close().await;
    }

    async fn connecter_agent(&self, gw: &TestGateway, login: &str, mdp: &str) {
        self.aller(gw, "/console/connexion").await;
        self.saisir("#login", login).await;
        self.saisir("#mot_de_passe", mdp).await;
        self.cliquer("form button[type=submit]").await;
    }
}

impl Drop for Chromium {
    /// A test that fails leaves no browser behind: the whole group (chromedriver and every
    /// Chromium process) is killed.
    fn drop(&mut self) {
        if let Some(pid) = self.pilote.id() {
            // SAFETY: signals a process group this test created; no memory is involved.
            unsafe {
                libc::kill(-(pid as i32), libc::SIGKILL);
            }
        }
    }
}

/// The share of a screenshot's pixels that are white (a drawn page; the viewer itself is dark).
fn part_blanche(capture: &[u8]) -> f64 {
    let mut lecteur = png::Decoder::new(std::io::Cursor::new(capture)).read_info().unwrap();
    let mut pixels = vec![0; lecteur.output_buffer_size()];
    let info = lecteur.next_frame(&mut pixels).unwrap();
    let canaux = info.color_type.samples();
    let pixels = &pixels[..info.buffer_size()];
    let blancs = pixels.chunks_exact(canaux).filter(|p| p.iter().take(3).all(|c| *c >= 245)).count();
    blancs as f64 / (pixels.len() / canaux) as f64
}

fn fichier(dir: &Path, nom: &str, contenu: &[u8]) -> String {
    let p = dir.join(nom);
    std::fs::write(&p, contenu).unwrap();
    p.display().to_string()
}

#[tokio::test]
async fn an_agent_finds_an_application_deposits_a_pdf_and_a_jpeg_views_and_qualifies_one() {
    let gw = spawn_gateway().await;
    // The registration certificate is a real one-page PDF: the viewer has something to draw.
    let (num, attestation) = enregistrer_avec_attestation(&gw, "G1104").await;
    let mdp = agent(&gw, "marie.dupont", "G1104").await;
    let fichiers = tempfile::tempdir().unwrap();
    let b = chromium().await;
    let photo = b.photo("AVIS D'IMPOSITION 2026").await;

    // Signed in with the keyboard only: the form takes the focus, Tab goes to the password,
    // Enter sends it.
    b.aller(&gw, "/console/connexion").await;
    let (tab, entree) = (char::from(fantoccini::key::Key::Tab), char::from(fantoccini::key::Key::Enter));
    let champ = b.client.active_element().await.unwrap();
    assert_eq!(champ.attr("id").await.unwrap().as_deref(), Some("login"));
    champ.send_keys(&format!("marie.dupont{tab}")).await.unwrap();
    let champ = b.client.active_element().await.unwrap();
    assert_eq!(champ.attr("id").await.unwrap().as_deref(), Some("mot_de_passe"));
    champ.send_keys(&format!("{mdp}{entree}")).await.unwrap();
    // School mode: the home page is the exchange view, with the registration just made.
    b.attendre("Échanges SOAP du guichet G1104").await;
    assert!(b.texte().await.contains("getNumUnique"));
    b.capturer("console-echanges").await;

    b.cliquer("nav a[href='/console/recherche']").await;
    b.saisir("#num", &num.to_lowercase()).await;
    b.cliquer("form[action='/console/recherche'] button").await;
    b.attendre(&format!("Demande n° {num}")).await;
    assert_eq!(b.chemin().await, format!("/console/demandes/{num}"));

    // Two deposits through the page's form (the script posts it and follows).
    for (nom, contenu, categorie) in
        [("carte-identite.pdf", attestation, "IDENTITE"), ("avis-impot.jpg", photo, "AVISIMPOT")]
    {
        let chemin = fichier(fichiers.path(), nom, &contenu);
        b.client.find(Locator::Css("#fichier")).await.unwrap().send_keys(&chemin).await.unwrap();
        b.choisir("#categorie", categorie).await;
        b.cliquer("form[data-depot] button[type=submit]").await;
        b.attendre(nom).await;
    }
    let texte = b.attendre("Pièce déposée").await;
    assert!(texte.contains("carte-identite.pdf") && texte.contains("avis-impot.jpg"), "{texte}");
    b.accessible().await;
    b.capturer("console-demande").await;

    // View the JPEG inline, then qualify the PDF.
    let voir = b.client.find_all(Locator::Css("td.actions a")).await.unwrap();
    let mut lien_jpeg = None;
    for a in voir {
        if a.text().await.unwrap() == "Voir" {
            let href = a.attr("href").await.unwrap().unwrap();
            lien_jpeg = Some(href);
        }
    }
    b.aller(&gw, &lien_jpeg.expect("un lien Voir")).await;
    b.attendre("avis-impot.jpg").await;
    let img = b.client.find(Locator::Css("figure.apercu img")).await.unwrap();
    let largeur: serde_json::Value =
        b.client.execute("return arguments[0].naturalWidth", vec![serde_json::to_value(&img).unwrap()]).await.unwrap();
    assert!(largeur.as_u64().unwrap_or(0) > 0, "the image shows");
    b.capturer("console-piece").await;

    // The PDF opens inline in Chromium's own viewer, under the pages' security policy (which
    // a viewer blocked by it would show as an empty dark page).
    b.aller(&gw, &format!("/console/demandes/{num}")).await;
    let voir = b.client.find(Locator::Css("a[aria-label='Voir carte-identite.pdf']")).await.unwrap();
    let href = voir.attr("href").await.unwrap().unwrap();
    b.aller(&gw, &href).await;
    b.cliquer("a[href$='/contenu']").await;
    let mut blanc = 0.0;
    // Up to 30 s: the viewer starts its own process, slow on a busy two-core machine.
    for _ in 0..120 {
        let type_doc = b.client.execute("return document.contentType", vec![]).await.unwrap();
        if type_doc == "application/pdf" {
            blanc = part_blanche(&b.client.screenshot().await.unwrap());
            if blanc > 0.05 {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(blanc > 0.05, "the viewer drew no page ({:.1} % white)", blanc * 100.0);
    b.capturer("console-pdf").await;

    b.aller(&gw, &format!("/console/demandes/{num}")).await;
    let premier = b.client.find(Locator::Css("form.qualifier")).await.unwrap();
    premier.find(Locator::Css("select")).await.unwrap().select_by_value("INEXPLOITABLE").await.unwrap();
    premier.find(Locator::Css("input[name=motif]")).await.unwrap().send_keys("scan flou").await.unwrap();
    premier.find(Locator::Css("button")).await.unwrap().click().await.unwrap();
    let texte = b.attendre("Pièce qualifiée").await;
    assert!(texte.contains("inexploitable") && texte.contains("scan flou"), "{texte}");
    b.capturer("console-qualification").await;
    b.fermer().await;
}

/// An application with an ordinary piece and a sensitive one, deposited by its counter.
async fn dossier(gw: &TestGateway) -> (String, String) {
    let (num, attestation) = enregistrer_avec_attestation(gw, "G1104").await;
    let mdp = agent(gw, "depot", "G1104").await;
    let mut h = Navigateur::new(gw);
    h.connecter("depot", &mdp).await;
    let csrf = crate::console::jeton(&h.get(&format!("/console/demandes/{num}")).await.text());
    assert_eq!(h.deposer(&num, &csrf, "IDENTITE", ("passeport.pdf", "application/pdf", &pdf())).await.status, 303);
    assert_eq!(
        h.deposer(&num, &csrf, "HANDICAP", ("decision-mdph.pdf", "application/pdf", &pdf_bis())).await.status,
        303
    );
    (num, code_de_l_attestation(&attestation))
}

#[tokio::test]
async fn consultants_see_what_their_profile_allows() {
    let gw = spawn_gateway().await;
    let (num, _) = dossier(&gw).await;
    let b = chromium().await;
    for (code, voit_sensible, lit) in [("C1101", false, false), ("C1102", false, true), ("C1103", true, true)] {
        let login = code.to_lowercase();
        let mdp = agent(&gw, &login, code).await;
        b.connecter_agent(&gw, &login, &mdp).await;
        b.attendre("Se déconnecter").await;
        b.aller(&gw, &format!("/console/demandes/{num}")).await;
        let texte = b.attendre("Pièces justificatives").await;
        assert!(texte.contains("passeport.pdf"), "{code}");
        assert_eq!(texte.contains("decision-mdph.pdf"), voit_sensible, "{code}");
        let liens = b.client.find_all(Locator::LinkText("Voir")).await.unwrap();
        assert_eq!(!liens.is_empty(), lit, "{code}");
        assert!(!texte.contains("Déposer une pièce"), "{code}");
        b.capturer(&format!("console-{login}")).await;
        b.cliquer("nav form button").await;
        b.attendre("Connexion des agents").await;
    }
    b.fermer().await;
}

#[tokio::test]
async fn no_page_of_another_territory_opens_by_changing_the_url() {
    let gw = spawn_gateway().await;
    let (num, _) = dossier(&gw).await;
    let mut h = Navigateur::new(&gw);
    let mdp_g = agent(&gw, "marie", "G1104").await;
    h.connecter("marie", &mdp_g).await;
    let page = h.get(&format!("/console/demandes/{num}")).await.text();
    let id = page.split("/console/pieces/").nth(1).unwrap()[..26].to_string();
    let mdp = agent(&gw, "paul", "G2201").await;
    let b = chromium().await;
    b.connecter_agent(&gw, "paul", &mdp).await;
    b.attendre("Se déconnecter").await;
    for chemin in
        [format!("/console/demandes/{num}"), format!("/console/pieces/{id}"), format!("/console/pieces/{id}/contenu")]
    {
        b.aller(&gw, &chemin).await;
        let texte = b.texte().await;
        assert!(!texte.contains("passeport") && !texte.contains(&format!("Demande n° {num}")), "{chemin}: {texte}");
        assert!(texte.contains("Introuvable") || texte.contains("accessible"), "{chemin}: {texte}");
    }
    b.capturer("console-autre-territoire").await;
    b.fermer().await;
}

#[tokio::test]
async fn an_applicant_signs_in_deposits_a_photo_and_never_sees_a_sensitive_piece() {
    let gw = spawn_gateway().await;
    let (num, code) = dossier(&gw).await;
    let fichiers = tempfile::tempdir().unwrap();
    let b = chromium().await;
    let photo = b.photo("Bulletin de salaire (test)").await;
    b.aller(&gw, "/demandeur/connexion").await;
    b.capturer("demandeur-connexion").await;
    b.saisir("#num", &num).await;
    b.saisir("#code", &code).await;
    b.cliquer("form button[type=submit]").await;
    let texte = b.attendre("Où en est ma demande").await;
    assert!(texte.contains("passeport.pdf"), "{texte}");
    assert!(!texte.contains("decision-mdph"), "{texte}");
    let photo = fichier(fichiers.path(), "IMG_20261202_1042.jpg", &photo);
    b.client.find(Locator::Css("#fichier")).await.unwrap().send_keys(&photo).await.unwrap();
    b.choisir("#categorie", "AVISIMPOT").await;
    b.cliquer("form[data-depot] button[type=submit]").await;
    let texte = b.attendre("Pièce déposée").await;
    assert!(texte.contains("IMG_20261202_1042.jpg"), "{texte}");
    assert!(!texte.contains("decision-mdph"), "{texte}");
    b.capturer("demandeur-accueil").await;
    // On a phone's width nothing overflows sideways, and every field has its label.
    b.client.set_window_size(390, 844).await.unwrap();
    b.accessible().await;
    b.capturer("demandeur-telephone").await;
    b.fermer().await;
}

#[tokio::test]
async fn a_wrong_access_code_fails_until_throttled() {
    let gw = spawn_gateway().await;
    let (num, _) = enregistrer_avec_attestation(&gw, "G1104").await;
    let b = chromium().await;
    let mut dernier = String::new();
    for i in 0..7 {
        b.aller(&gw, "/demandeur/connexion").await;
        b.saisir("#num", &num).await;
        b.saisir("#code", &format!("WXYZ-WXYZ-WXYZ-WXY{}", i + 2)).await;
        b.cliquer("form button[type=submit]").await;
        // The answer page replaces the form: wait for it rather than read the page mid-way.
        for _ in 0..100 {
            dernier = b.texte().await;
            if (dernier.contains("incorrect") || dernier.contains("Trop de tentatives")) && !dernier.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(dernier.contains("incorrect") || dernier.contains("Trop de tentatives"), "{dernier}");
    }
    assert!(dernier.contains("Trop de tentatives"), "{dernier}");
    // The error is tied to its fields.
    let champ = b.client.find(Locator::Css("#code")).await.unwrap();
    assert_eq!(champ.attr("aria-describedby").await.unwrap().as_deref(), Some("erreur-connexion aide-code"));
    b.capturer("demandeur-trop-de-tentatives").await;
    b.fermer().await;
}

#[tokio::test]
async fn the_exchange_list_keeps_its_detail_links_in_view_at_1280_px_and_the_view_marks_the_anomaly() {
    let gw = spawn_gateway().await;
    let refus = crate::console::refus(&gw, "demande/invalid/code_typeLogement_v0201.xml").await;
    // A fault's long reason and an MTOM call: the widest rows the list has.
    crate::console::faute_longue(&gw).await;
    gw.post_fixture(As::Guichet("G1104"), "crlf_8bit").await;
    let mdp = agent(&gw, "marie", "G1104").await;
    let b = chromium().await;
    b.client.set_window_size(1280, 1000).await.unwrap();
    b.connecter_agent(&gw, "marie", &mdp).await;
    b.attendre("Échanges SOAP du guichet G1104").await;
    // Each exchange's link to its detail is inside the window, and inside the visible part of
    // the table's scrolling region, which has nothing to scroll.
    let script = "const fenetre = window.innerWidth; \
                  const region = document.querySelector('.tableau-defilant'); const boite = region.getBoundingClientRect(); \
                  const liens = [...document.querySelectorAll('a.detail')].map(a => { const r = a.getBoundingClientRect(); \
                    return r.width > 0 && r.left >= 0 && r.right <= fenetre && r.left >= boite.left && r.right <= boite.right; }); \
                  return [fenetre, region.scrollWidth - region.clientWidth, liens];";
    let v = b.client.execute(script, vec![]).await.unwrap();
    assert_eq!(v[0], 1280, "{v}");
    assert!(v[1].as_i64().unwrap() <= 0, "the table scrolls sideways: {v}");
    assert_eq!(v[2], serde_json::json!([true, true, true]), "{v}");
    b.accessible().await;
    b.client.execute("document.querySelector('table.echanges').scrollIntoView()", vec![]).await.unwrap();
    b.capturer("console-echanges-1280").await;

    // The refusal's view: the anomaly links to its line of the request's file, marked.
    b.cliquer(&format!("a[href='/console/echanges/{refus}']")).await;
    b.attendre("Anomalies").await;
    b.cliquer("a.propriete").await;
    let script = "const m = document.querySelector('mark:target'); if (!m) return null; \
                  const r = m.getBoundingClientRect(); const pre = m.closest('pre').getBoundingClientRect(); \
                  return [m.textContent, r.top >= 0 && r.bottom <= window.innerHeight && r.top >= pre.top - 2 && r.bottom <= pre.bottom + 2, \
                          getComputedStyle(m, '::after').content, [r.top, r.bottom, pre.top, pre.bottom, window.innerHeight]];";
    let mut v = serde_json::Value::Null;
    for _ in 0..50 {
        v = b.client.execute(script, vec![]).await.unwrap();
        if v[1] == true {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(v[0].as_str().is_some_and(|t| t.contains("typeLogement")), "{v}");
    assert_eq!(v[1], true, "the marked line is in view: {v}");
    assert!(v[2].as_str().is_some_and(|c| c.contains("CODE-INC")), "{v}");
    b.accessible().await;
    b.capturer("console-echange").await;
    b.fermer().await;
}

#[tokio::test]
async fn the_application_page_fits_a_phone_without_sideways_scrolling() {
    let gw = spawn_gateway().await;
    let (num, _) = dossier(&gw).await;
    let rid = crate::console::refus(&gw, "demande/invalid/code_civilite_v0200.xml").await;
    crate::console::faute_longue(&gw).await;
    let mdp = agent(&gw, "marie", "G1104").await;
    // A file name with nothing to break it on, as scanners write them.
    let mut h = Navigateur::new(&gw);
    h.connecter("marie", &mdp).await;
    let csrf = crate::console::jeton(&h.get(&format!("/console/demandes/{num}")).await.text());
    let pdf_ter = String::from_utf8(pdf()).unwrap().replace("/Kids []", "/Kids [  ]").into_bytes();
    let long = "ATTESTATION_PAIEMENT_CAF_2026_12_DECEMBRE_NUMERO_ALLOCATAIRE_0123456789_VERSION_FINALE.pdf";
    assert_eq!(h.deposer(&num, &csrf, "PRESTATION", (long, "application/pdf", &pdf_ter)).await.status, 303);

    let b = chromium().await;
    b.connecter_agent(&gw, "marie", &mdp).await;
    b.attendre("Se déconnecter").await;
    b.client.set_window_size(390, 844).await.unwrap();
    b.aller(&gw, &format!("/console/demandes/{num}")).await;
    b.attendre("Pièces justificatives").await;
    let fenetre = b.client.execute("return window.innerWidth", vec![]).await.unwrap();
    assert!(fenetre.as_u64().unwrap() <= 390, "a phone's width: {fenetre}");
    b.accessible().await;
    // The tables became one card per row, each cell named by its column, nothing to scroll.
    let script = "const td = document.querySelector('table.replie td[data-titre=Fichier]'); \
                  const region = td.closest('.tableau-defilant'); \
                  return [getComputedStyle(td).display, getComputedStyle(td, '::before').content, region.scrollWidth - region.clientWidth];";
    let v = b.client.execute(script, vec![]).await.unwrap();
    assert_eq!((&v[0], &v[1]), (&serde_json::json!("block"), &serde_json::json!("\"Fichier\"")), "{v}");
    assert!(v[2].as_i64().unwrap() <= 0, "{v}");
    // The breadcrumb leads up, the current page last and not a link.
    let fil = b.client.find(Locator::Css("nav.fil li:last-child")).await.unwrap();
    assert_eq!(fil.attr("aria-current").await.unwrap().as_deref(), Some("page"));
    assert!(fil.find(Locator::Css("a")).await.is_err());
    b.client.execute("document.getElementById('titre-pieces').scrollIntoView()", vec![]).await.unwrap();
    b.capturer("console-demande-telephone").await;
    // The other pages too: a piece, the exchanges, an exchange laid out.
    let voir = b.client.find(Locator::Css("a[aria-label^='Voir ATTESTATION']")).await.unwrap();
    let piece = voir.attr("href").await.unwrap().unwrap();
    for chemin in [piece, "/console/echanges".to_string(), format!("/console/echanges/{rid}")] {
        b.aller(&gw, &chemin).await;
        b.attendre("Se déconnecter").await;
        b.accessible().await;
    }
    b.capturer("console-echange-telephone").await;
    b.fermer().await;
}
