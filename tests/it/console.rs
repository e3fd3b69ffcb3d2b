//! The staff console over HTTP (the browser tests drive the same pages in Chromium): sign-in,
//! CSRF, sessions, throttling, security headers, what each identity sees, deposits, and the
//! exchange view with and without envelopes.

use std::collections::HashMap;

use crate::helpers::{spawn_gateway, start_with, As, Reply, TestGateway};
use crate::pieces::{enregistrer, jpeg, pdf};

/// A browser without JavaScript: a cookie jar and the CSRF tokens of the pages it read.
pub struct Navigateur<'a> {
    gw: &'a TestGateway,
    cookies: HashMap<String, String>,
}

impl<'a> Navigateur<'a> {
    pub fn new(gw: &'a TestGateway) -> Navigateur<'a> {
        Navigateur { gw, cookies: HashMap::new() }
    }

    async fn envoyer(&mut self, methode: &str, chemin: &str, content_type: Option<&str>, corps: Vec<u8>) -> Reply {
        let cookie = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
        let mut en_tetes = vec![("Cookie", cookie.as_str())];
        if let Some(ct) = content_type {
            en_tetes.push(("Content-Type", ct));
        }
        let r = self.gw.request(As::Nobody, methode, chemin, &en_tetes, corps).await;
        for v in r.headers.get_all("set-cookie") {
            let v = v.to_str().unwrap();
            let (nom_valeur, attributs) = v.split_once(';').unwrap_or((v, ""));
            let (nom, valeur) = nom_valeur.split_once('=').unwrap();
            if attributs.contains("Max-Age=0") {
                self.cookies.remove(nom);
            } else {
                self.cookies.insert(nom.to_string(), valeur.to_string());
            }
        }
        r
    }

    pub async fn get(&mut self, chemin: &str) -> Reply {
        self.envoyer("GET", chemin, None, Vec::new()).await
    }

    pub async fn post(&mut self, chemin: &str, champs: &[(&str, &str)]) -> Reply {
        let corps = form_urlencoded::Serializer::new(String::new()).extend_pairs(champs).finish();
        self.envoyer("POST", chemin, Some("application/x-www-form-urlencoded"), corps.into_bytes()).await
    }

    pub async fn post_multipart(
        &mut self,
        chemin: &str,
        champs: &[(&str, &str)],
        fichier: (&str, &str, &[u8]),
    ) -> Reply {
        let b = "----formulaire7d3";
        let mut corps = Vec::new();
        for (k, v) in champs.iter().take(1) {
            corps.extend(format!("--{b}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").into_bytes());
        }
        let (nom, ct, octets) = fichier;
        corps.extend(
            format!("--{b}\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"{nom}\"\r\nContent-Type: {ct}\r\n\r\n")
                .into_bytes(),
        );
        corps.extend_from_slice(octets);
        corps.extend(b"\r\n");
        for (k, v) in champs.iter().skip(1) {
            corps.extend(format!("--{b}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").into_bytes());
        }
        corps.extend(format!("--{b}--\r\n").into_bytes());
        self.envoyer("POST", chemin, Some(&format!("multipart/form-data; boundary={b}")), corps).await
    }

    /// Deposits `fichier` on `num` through the page's form.
    pub async fn deposer(&mut self, num: &str, csrf: &str, categorie: &str, fichier: (&str, &str, &[u8])) -> Reply {
        let champs = [("csrf", csrf), ("categorie", categorie), ("personne", "DEM")];
        self.post_multipart(&format!("/console/demandes/{num}/pieces"), &champs, fichier).await
    }

    /// Signs in (reading the form's token first); the answer to the form.
    pub async fn connecter(&mut self, login: &str, mot_de_passe: &str) -> Reply {
        let page = self.get("/console/connexion").await;
        let csrf = jeton(&page.text());
        self.post("/console/connexion", &[("csrf", &csrf), ("login", login), ("mot_de_passe", mot_de_passe)]).await
    }
}

/// The CSRF token of the first form of a page.
pub fn jeton(html: &str) -> String {
    let i = html.find("name=\"csrf\" value=\"").expect("jeton CSRF dans la page") + 19;
    html[i..i + html[i..].find('"').unwrap()].to_string()
}

/// Creates a console account through the running gateway's control socket.
pub async fn agent(gw: &TestGateway, login: &str, code: &str) -> String {
    let mdp = format!("mot-de-passe-{login}-42");
    let lignes = sne_gateway::control::send(
        &gw.settings.server.data_dir,
        &format!("agents-ajouter\t{login}\t{code}\tAgent {login}\t{mdp}"),
    )
    .await
    .expect("passerelle en service");
    assert!(lignes.last().unwrap().starts_with("ok"), "{lignes:?}");
    mdp
}

fn emplacement(r: &Reply) -> String {
    r.headers.get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

#[tokio::test]
async fn an_agent_signs_in_finds_an_application_and_its_views_are_journaled() {
    let gw = spawn_gateway().await;
    let num = enregistrer(&gw, "G1104").await;
    let mdp = agent(&gw, "marie", "G1104").await;
    let mut b = Navigateur::new(&gw);

    // Not signed in: every console page leads to the sign-in form.
    let r = b.get(&format!("/console/demandes/{num}")).await;
    assert_eq!((r.status, emplacement(&r).as_str()), (303, "/console/connexion"));
    let r = b.connecter("marie", &mdp).await;
    assert_eq!(r.status, 303, "{}", r.text());
    let cookie = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("__Host-sne-console="))
        .unwrap();
    for attribut in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribut), "{cookie}");
    }
    assert!(!cookie.contains("Domain"), "{cookie}");

    // By number: straight to the application.
    let r = b.get(&format!("/console/recherche?num={}", num.to_lowercase())).await;
    assert_eq!(emplacement(&r), format!("/console/demandes/{num}"));
    let page = b.get(&format!("/console/demandes/{num}")).await;
    assert_eq!(page.status, 200);
    let html = page.text();
    for attendu in [num.as_str(), "active", "Historique", "Version 1 (CRE)", "Déposer une pièce"] {
        assert!(html.contains(attendu), "{attendu} absent");
    }
    // By person, posted (a name never travels in a URL): the fixture's applicant, spelled
    // otherwise. The same fields in a URL run nothing.
    let page = b.get("/console/recherche?nom=durand&prenom=&naissance=1988-03-12").await.text();
    assert!(!page.contains(&format!("/console/demandes/{num}")), "{page}");
    let csrf = jeton(&page);
    let champs = [("csrf", csrf.as_str()), ("nom", "durand"), ("prenom", ""), ("naissance", "1988-03-12")];
    let page = b.post("/console/recherche", &champs).await;
    assert!(page.text().contains(&format!("/console/demandes/{num}")), "{}", page.text());
    let r = b.post("/console/recherche", &[("nom", "durand"), ("naissance", "1988-03-12")]).await;
    assert_eq!(r.status, 403, "without its token");
    // Both reads are in the access journal under the agent's identity.
    let journal = sne_gateway::control::send(&gw.settings.server.data_dir, &format!("journal {num}")).await.unwrap();
    let journal = journal.join("\n");
    assert!(journal.contains("console/demande"), "{journal}");
    assert!(journal.contains("rechercheDemandeMulticritere"), "{journal}");

    // Signing out ends the session: the old cookie opens nothing.
    let page = b.get("/console/recherche").await;
    let csrf = jeton(&page.text());
    let ancien = b.cookies.clone();
    let r = b.post("/console/deconnexion", &[("csrf", &csrf)]).await;
    assert_eq!(emplacement(&r), "/console/connexion");
    b.cookies = ancien;
    let r = b.get("/console/recherche").await;
    assert_eq!(emplacement(&r), "/console/connexion");
}

#[tokio::test]
async fn every_page_carries_the_security_headers() {
    let gw = spawn_gateway().await;
    let mdp = agent(&gw, "marie", "G1104").await;
    let mut b = Navigateur::new(&gw);
    let mut reponses = vec![b.get("/").await, b.get("/console/connexion").await, b.get("/static/sne.css").await];
    reponses.push(b.connecter("marie", &mdp).await);
    reponses.push(b.get("/console/recherche").await);
    reponses.push(b.get("/console/nulle-part").await);
    for r in &reponses {
        let h = |k: &str| r.headers.get(k).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
        let csp = h("content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(h("strict-transport-security").starts_with("max-age="));
        assert_eq!(h("referrer-policy"), "no-referrer");
        assert_eq!(h("x-content-type-options"), "nosniff");
    }
    // No inline script anywhere: the CSP would block it, and the page would not work.
    let page = b.get("/console/recherche").await.text();
    assert!(!page.contains("<script>") && !page.contains("onclick="), "{page}");
    assert!(page.contains("lang=\"fr\""));
}

#[tokio::test]
async fn forms_without_their_token_change_nothing() {
    let gw = spawn_gateway().await;
    let num = enregistrer(&gw, "G1104").await;
    let mdp = agent(&gw, "marie", "G1104").await;
    let mut b = Navigateur::new(&gw);
    // Sign-in without the token of the form's cookie.
    let r = b.post("/console/connexion", &[("csrf", "forge"), ("login", "marie"), ("mot_de_passe", &mdp)]).await;
    assert_eq!(r.status, 403);
    assert!(!b.cookies.contains_key("__Host-sne-console"));
    assert_eq!(b.connecter("marie", &mdp).await.status, 303);
    // A deposit, then a qualification forged without the session's token.
    let page = b.get(&format!("/console/demandes/{num}")).await;
    let csrf = jeton(&page.text());
    let r = b.deposer(&num, "forge", "IDENTITE", ("carte.pdf", "application/pdf", &pdf())).await;
    assert_eq!(r.status, 403, "{}", r.text());
    let r = b.deposer(&num, &csrf, "IDENTITE", ("carte.pdf", "application/pdf", &pdf())).await;
    assert_eq!((r.status, emplacement(&r)), (303, format!("/console/demandes/{num}?message=deposee")), "{}", r.text());
    let page = b.get(&format!("/console/demandes/{num}?message=deposee")).await.text();
    assert!(page.contains("Pièce déposée") && page.contains("carte.pdf"), "{page}");
    let id = page.split("/console/pieces/").nth(1).unwrap()[..26].to_string();
    let r = b.post(&format!("/console/pieces/{id}/qualifier"), &[("statut", "OBSOLETE")]).await;
    assert_eq!(r.status, 403);
    assert!(b.get(&format!("/console/demandes/{num}")).await.text().contains(r#"data-statut="DEPOSEE""#));
    let r = b
        .post(
            &format!("/console/pieces/{id}/qualifier"),
            &[("csrf", &csrf), ("statut", "OBSOLETE"), ("motif", "remplacée")],
        )
        .await;
    assert_eq!(r.status, 303);
    let page = b.get(&format!("/console/demandes/{num}")).await.text();
    assert!(page.contains(r#"data-statut="OBSOLETE">obsolète"#) && page.contains("remplacée"), "{page}");
    // The content reads back as deposited, inline or as a download.
    let r = b.get(&format!("/console/pieces/{id}/contenu")).await;
    assert_eq!((r.status, r.content_type.as_str(), r.body.clone()), (200, "application/pdf", pdf()));
    assert!(r.headers["content-disposition"].to_str().unwrap().starts_with("inline"));
    let r = b.get(&format!("/console/pieces/{id}/contenu?telecharger=1")).await;
    assert!(r.headers["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"carte.pdf\""));
    // A JPEG goes in too; an EXE does not, and says why.
    let r = b.deposer(&num, &csrf, "REVENUS", ("photo.jpg", "image/jpeg", &jpeg())).await;
    assert_eq!(r.status, 303, "{}", r.text());
    // Deleting: only what this counter deposited, and it is gone from the list and the disk.
    let page = b.get(&format!("/console/demandes/{num}")).await.text();
    let supprimables: Vec<String> = page
        .split("/console/pieces/")
        .filter(|s| s[26..].starts_with("/supprimer"))
        .map(|s| s[..26].to_string())
        .collect();
    let jpeg_id = supprimables.last().unwrap().clone();
    // The button asks first (a page, no script needed); nothing is deleted until confirmed.
    let r = b
        .post(&format!("/console/pieces/{jpeg_id}/supprimer"), &[("csrf", &csrf), ("nom", "photo.jpg"), ("num", &num)])
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let confirmation = r.text();
    assert!(
        confirmation.contains("Supprimer définitivement la pièce « photo.jpg »")
            && confirmation.contains(r#"name="confirmer" value="oui""#)
            && confirmation.contains(&format!(r#"href="/console/demandes/{num}""#)),
        "{confirmation}"
    );
    assert!(b.get(&format!("/console/demandes/{num}")).await.text().contains("photo.jpg"), "still there");
    let r = b.post(&format!("/console/pieces/{jpeg_id}/supprimer"), &[("csrf", &csrf), ("confirmer", "oui")]).await;
    assert_eq!(emplacement(&r), format!("/console/demandes/{num}?message=supprimee"));
    let page = b.get(&format!("/console/demandes/{num}")).await.text();
    assert!(!page.contains("photo.jpg") && page.contains("carte.pdf"), "{page}");
    assert_eq!(b.get(&format!("/console/pieces/{jpeg_id}/contenu")).await.status, 404);
    let r =
        b.deposer(&num, &csrf, "REVENUS", ("x.exe", "application/octet-stream", b"MZ\x90\x00 pas un document")).await;
    assert_eq!(r.status, 422);
    assert!(r.text().contains("Format non reconnu"), "{}", r.text());
}

#[tokio::test]
async fn wrong_passwords_are_throttled_per_account() {
    let gw = spawn_gateway().await;
    let mdp = agent(&gw, "marie", "G1104").await;
    let mut b = Navigateur::new(&gw);
    for _ in 0..5 {
        let r = b.connecter("marie", "pas le bon mot de passe").await;
        assert_eq!(r.status, 401);
        assert!(r.text().contains("Identifiant ou mot de passe incorrect"));
    }
    let r = b.connecter("marie", "pas le bon mot de passe").await;
    assert_eq!(r.status, 401);
    // Now even the right password waits, and the page says for how long.
    let r = b.connecter("marie", &mdp).await;
    assert_eq!(r.status, 429, "{}", r.text());
    assert!(r.text().contains("Trop de tentatives"));
    assert!(r.headers.get("retry-after").is_some());
    // Another account from the same address still signs in.
    let mdp2 = agent(&gw, "paul", "G1104").await;
    assert_eq!(b.connecter("paul", &mdp2).await.status, 303);
}

#[tokio::test]
async fn an_idle_session_ends() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let mut gw = start_with(&dir, |s| s.web.session_inactivite_secs = 1).await;
    gw.hold(tmp);
    let mdp = agent(&gw, "marie", "G1104").await;
    let mut b = Navigateur::new(&gw);
    assert_eq!(b.connecter("marie", &mdp).await.status, 303);
    assert_eq!(b.get("/console/recherche").await.status, 200);
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(emplacement(&b.get("/console/recherche").await), "/console/connexion");
}

#[tokio::test]
async fn identities_see_what_their_profile_allows_and_nothing_of_another_territory() {
    let gw = spawn_gateway().await;
    let num = enregistrer(&gw, "G1104").await;
    let mdp = agent(&gw, "marie", "G1104").await;
    let mut b = Navigateur::new(&gw);
    b.connecter("marie", &mdp).await;
    let csrf = jeton(&b.get(&format!("/console/demandes/{num}")).await.text());
    // A sensitive piece (health) and an ordinary one.
    for (categorie, nom) in [("HANDICAP", "mdph.pdf"), ("IDENTITE", "cni.jpg")] {
        let contenu = if nom.ends_with("pdf") { pdf() } else { jpeg() };
        let ct = if nom.ends_with("pdf") { "application/pdf" } else { "image/jpeg" };
        let r = b.deposer(&num, &csrf, categorie, (nom, ct, &contenu)).await;
        assert_eq!(r.status, 303, "{}", r.text());
    }
    let page = b.get(&format!("/console/demandes/{num}")).await.text();
    assert!(page.contains("Camille MARTIN") && page.contains("Version 1"), "the counter reads the file");
    let mut ids: Vec<String> = Vec::new();
    for id in page.split("/console/pieces/").skip(1).map(|s| s[..26].to_string()) {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    assert!(page.contains("mdph.pdf") && page.contains("cni.jpg"));
    // Listed by deposit time: the health piece first.
    let (sensible, ordinaire) = (ids[0].clone(), ids[1].clone());

    for (code, voit_sensible, lit) in [("C1101", false, false), ("C1102", false, true), ("C1103", true, true)] {
        let login = code.to_lowercase();
        let mdp = agent(&gw, &login, code).await;
        let mut c = Navigateur::new(&gw);
        assert_eq!(c.connecter(&login, &mdp).await.status, 303);
        let page = c.get(&format!("/console/demandes/{num}")).await.text();
        assert!(page.contains("cni.jpg"), "{code}");
        // As through SOAP, a consultant never reads the file: no name, no commune, no version.
        assert!(!page.contains("MARTIN") && !page.contains("Version 1"), "{code}: {page}");
        assert!(page.contains("réservé aux guichets enregistreurs"), "{code}");
        assert_eq!(page.contains("mdph.pdf"), voit_sensible, "{code}");
        assert!(!page.contains("Déposer une pièce"), "{code} ne dépose pas");
        assert!(!page.contains("Qualifier"), "{code} ne qualifie pas");
        assert_eq!(page.contains("Voir</a>"), lit, "{code}");
        let r = c.get(&format!("/console/pieces/{ordinaire}/contenu")).await;
        assert_eq!(r.status == 200, lit, "{code}: {}", r.status);
        let r = c.get(&format!("/console/pieces/{sensible}/contenu")).await;
        assert_eq!(r.status == 200, voit_sensible && lit, "{code}: {}", r.status);
        if r.status != 200 {
            assert!(!r.text().contains("mdph"), "{code}");
        }
    }

    // The other territory's counter: not the application, not its pieces, whatever the URL.
    let mdp = agent(&gw, "paul", "G2201").await;
    let mut autre = Navigateur::new(&gw);
    autre.connecter("paul", &mdp).await;
    let r = autre.get(&format!("/console/demandes/{num}")).await;
    assert_eq!(r.status, 404);
    assert!(!r.text().contains("cni.jpg"));
    for id in &ids {
        assert_eq!(autre.get(&format!("/console/pieces/{id}")).await.status, 404);
        assert_eq!(autre.get(&format!("/console/pieces/{id}/contenu")).await.status, 404);
    }
    let r = autre.get(&format!("/console/recherche?num={num}")).await;
    assert!(r.text().contains("accessible à votre identité"), "{}", r.text());
}

#[tokio::test]
async fn the_exchange_view_shows_a_counters_calls_with_envelopes_in_school_mode_only() {
    // School mode: envelopes kept.
    let gw = spawn_gateway().await;
    let refus = gw.post_fixture(As::Guichet("G1104"), "crlf_8bit").await;
    assert_eq!(refus.status, 200);
    let rid = refus.headers["x-request-id"].to_str().unwrap().to_string();
    let mdp = agent(&gw, "marie", "G1104").await;
    let mut b = Navigateur::new(&gw);
    b.connecter("marie", &mdp).await;
    // In school mode the console's home page is the exchange view.
    let page = b.get("/console/").await.text();
    assert!(page.contains(&rid) && page.contains("getNumUnique"), "{page}");
    let detail = b.get(&format!("/console/echanges/{rid}")).await.text();
    assert!(detail.contains("Requête") && detail.contains("interfaceNuu"), "{detail}");
    // The same request again (same refInterne) is a retry, and the view says so.
    let reprise = gw.post_fixture(As::Guichet("G1104"), "crlf_8bit").await;
    assert_eq!(reprise.headers.get("x-sne-reprise").map(|v| v.to_str().unwrap()), Some("oui"));
    assert!(refus.headers.get("x-sne-reprise").is_none());
    let rid_reprise = reprise.headers["x-request-id"].to_str().unwrap().to_string();
    let page = b.get("/console/echanges?resultat=reprise").await.text();
    assert!(page.contains(&rid_reprise) && !page.contains(&rid), "{page}");
    assert!(page.contains("déjà enregistrée : reprise"), "{page}");
    // Filters: file type, outcome, dates (Paris time; a day alone is its midnight).
    let hier = (time::OffsetDateTime::now_utc() - time::Duration::days(1)).date();
    for (filtre, garde) in [
        ("type_fichier=cre".to_string(), true),
        ("type_fichier=MOD".to_string(), false),
        (format!("du={hier}"), true),
        (format!("du={hier}T00%3A00&au={}", hier + time::Duration::days(3)), true),
        ("au=2000-01-01".to_string(), false),
        ("operation=getDoublons".to_string(), false),
    ] {
        let page = b.get(&format!("/console/echanges?{filtre}")).await.text();
        assert_eq!(page.contains(&rid), garde, "{filtre}");
    }
    let r = b.get("/console/echanges?du=hier").await;
    assert_eq!(r.status, 400);
    let page = r.text();
    assert!(
        page.contains("« hier » n&#39;est pas une date")
            && page.contains(r#"aria-invalid="true" aria-describedby="erreur-du""#),
        "{page}"
    );
    // Another counter's agent does not see it.
    let mdp = agent(&gw, "paul", "G2201").await;
    let mut autre = Navigateur::new(&gw);
    autre.connecter("paul", &mdp).await;
    assert!(!autre.get("/console/echanges").await.text().contains(&rid));
    assert_eq!(autre.get(&format!("/console/echanges/{rid}")).await.status, 404);

    // Production: the same exchange is listed, its envelopes are not kept.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let mut prod = start_with(&dir, |s| s.web.ecole = false).await;
    prod.hold(tmp);
    let r = prod.post_fixture(As::Guichet("G1104"), "crlf_8bit").await;
    let rid = r.headers["x-request-id"].to_str().unwrap().to_string();
    let mdp = agent(&prod, "marie", "G1104").await;
    let mut b = Navigateur::new(&prod);
    b.connecter("marie", &mdp).await;
    assert!(!b.get("/console/").await.text().contains(&rid), "home is the search outside school mode");
    let page = b.get("/console/echanges").await.text();
    assert!(page.contains(&rid));
    let detail = b.get(&format!("/console/echanges/{rid}")).await.text();
    assert!(detail.contains("Enveloppes non conservées"), "{detail}");
    assert!(!detail.contains("interfaceNuu") && !detail.contains("DUPONT"), "{detail}");
}

/// `texte` as the pages escape it (askama).
pub fn html(texte: &str) -> String {
    texte.replace('&', "&#38;").replace('<', "&#60;").replace('>', "&#62;").replace('"', "&#34;").replace('\'', "&#39;")
}

/// The `<mark>` elements of a page: (id, codes, the line's text as written).
fn marques(page: &str) -> Vec<(String, String, String)> {
    page.split("<mark id=\"")
        .skip(1)
        .map(|m| {
            let (id, reste) = m.split_once('"').unwrap();
            let codes = reste.split("data-anomalies=\"").nth(1).unwrap().split('"').next().unwrap();
            let ligne = reste.split_once('>').unwrap().1.split("</mark>").next().unwrap();
            (id.to_string(), codes.to_string(), ligne.to_string())
        })
        .collect()
}

/// The exchange id of an answer.
fn rid(r: &Reply) -> String {
    r.headers["x-request-id"].to_str().unwrap().to_string()
}

/// Registers `fichier` (a fixture of `demande/`) inline for G1104: the exchange's id.
pub async fn refus(gw: &TestGateway, fichier: &str) -> String {
    let ct = crate::helpers::soap12_headers(crate::helpers::ACTION_NUM_UNIQUE);
    let corps = crate::helpers::num_unique_inline(&crate::helpers::fixture_du_jour(fichier));
    let r = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], corps).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let fichier = crate::helpers::binary_child(&crate::helpers::decode_reply(&r), "fichierDemande");
    assert!(!crate::helpers::anomalies_of(&fichier).is_empty(), "{fichier:?}");
    rid(&r)
}

/// A request whose wrapper the service does not have: its fault lists every one it has, a
/// reason of several hundred characters. The exchange's id and the whole reason.
pub async fn faute_longue(gw: &TestGateway) -> (String, String) {
    let corps = format!(
        r#"<soap:Envelope xmlns:soap="{}"><soap:Body><ns2:operationQuiNExistePas xmlns:ns2="http://ws.metier.nuu.application.i2/"/></soap:Body></soap:Envelope>"#,
        crate::helpers::NS_SOAP12
    );
    let ct = crate::helpers::soap12_headers("http://ws.metier.nuu.application.i2/operationQuiNExistePas");
    let r = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], corps.into_bytes()).await;
    assert_eq!(r.status, 500, "{}", r.text());
    let faute = crate::helpers::decode_reply(&r).body;
    let raison = faute.child("Reason").and_then(|r| r.child("Text")).map(|t| t.text()).unwrap();
    assert!(raison.chars().count() > 300, "{raison}");
    (rid(&r), raison)
}

#[tokio::test]
async fn the_exchange_view_explains_a_refusal_on_the_lines_of_the_request() {
    let gw = spawn_gateway().await;
    let civilite = refus(&gw, "demande/invalid/code_civilite_v0200.xml").await;
    let type_logement = refus(&gw, "demande/invalid/code_typeLogement_v0201.xml").await;
    let absent = refus(&gw, "demande/invalid/absent_nom_v0200.xml").await;
    let mdp = agent(&gw, "marie", "G1104").await;
    let mut b = Navigateur::new(&gw);
    b.connecter("marie", &mdp).await;

    // A refused file still says its type: the list filters on it.
    let liste = b.get("/console/echanges?type_fichier=CRE").await.text();
    assert!(liste.contains(&civilite) && liste.contains(&absent), "{liste}");
    // The anomaly's element is marked on its line of the request's file, laid out one element a
    // line, and the anomaly links to it.
    let page = b.get(&format!("/console/echanges/{civilite}")).await.text();
    let m = marques(&page);
    assert_eq!(m.len(), 1, "{m:?}");
    let (id, codes, ligne) = &m[0];
    assert_eq!(codes, "CODE-INC");
    assert!(id.starts_with("requete-f1-l"), "{id}");
    assert_eq!(ligne.trim_start(), html(r#"<ns2:civilite code="9"/>"#), "{ligne}");
    assert!(ligne.starts_with("          "), "indented by depth: {ligne}");
    let propriete = "interfaceNuu/demande/demandeLogement/personnePhysique/demandeur/civilite/@code";
    assert!(page.contains(&format!(r##"<a href="#{id}" class="propriete">{propriete}</a>"##)), "{page}");
    // The request's envelope mentions the file it carries inline; the file is decoded.
    assert!(page.contains("<code>fichierDemande</code>") && page.contains("base64 dans l&#39;enveloppe"), "{page}");
    assert!(page.contains("caractères en base64 : le fichier est décodé plus bas"), "{page}");
    // The answer's file too: the submitted content and its list of anomalies.
    let reponse = &page[page.find(r#"id="titre-reponse""#).unwrap()..];
    assert!(reponse.contains("<code>fichierDemande</code>"), "{reponse}");
    assert!(reponse.contains(&html("<ns2:listeAnomalie>")), "{reponse}");
    assert!(reponse.contains(&html(r#"<ns2:anomalie code="CODE-INC" propriete="#)), "{reponse}");

    // A path with ranks: the second typeLogement, not the first.
    let page = b.get(&format!("/console/echanges/{type_logement}")).await.text();
    let m = marques(&page);
    assert_eq!(m.len(), 1, "{m:?}");
    let fichier = page.split(r#"aria-label="Requête : fichierDemande"><code>"#).nth(1).unwrap();
    let lignes: Vec<&str> = fichier.split("</code></pre>").next().unwrap().lines().collect();
    let types: Vec<usize> = (0..lignes.len()).filter(|&n| lignes[n].contains("typeLogement code")).collect();
    assert_eq!(types.len(), 2, "{lignes:?}");
    assert_eq!(m[0].0, format!("requete-f1-l{}", types[1] + 1), "{lignes:?}");

    // A missing element: its parent is marked, and the page says so.
    let page = b.get(&format!("/console/echanges/{absent}")).await.text();
    let m = marques(&page);
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].2.trim_start().starts_with(&html("<ns2:demandeur")), "{m:?}");
    assert_eq!(m[0].1, "XSD-ABSENT");
    assert!(page.contains("absent de la requête : son parent est surligné"), "{page}");
}

#[tokio::test]
async fn the_exchange_view_decodes_mtom_parts_and_shows_a_fault_whole() {
    let gw = spawn_gateway().await;
    let r = gw.post_fixture(As::Guichet("G1104"), "crlf_8bit").await;
    assert_eq!(r.status, 200);
    let mtom = rid(&r);
    let (faute, raison) = faute_longue(&gw).await;
    let mdp = agent(&gw, "marie", "G1104").await;
    let mut b = Navigateur::new(&gw);
    b.connecter("marie", &mdp).await;

    // The request's file travelled as an MTOM part: decoded and laid out, the envelope keeps
    // its xop:Include. The answer (MTOM too) carries the returned file and the certificate PDF.
    let page = b.get(&format!("/console/echanges/{mtom}")).await.text();
    let requete = &page[page.find(r#"id="titre-requete""#).unwrap()..page.find(r#"id="titre-reponse""#).unwrap()];
    assert!(requete.contains("XML") && requete.contains("pièce MTOM"), "{requete}");
    assert!(requete.contains(&html("<ns2:interfaceNuu")) && requete.contains(&html("<xop:Include")), "{requete}");
    assert!(requete.contains(&format!("\n{}", html("    <ns2:demandeLogement>"))), "laid out: {requete}");
    let reponse = &page[page.find(r#"id="titre-reponse""#).unwrap()..];
    assert!(reponse.contains("<code>attestation</code>") && reponse.contains("PDF"), "{reponse}");
    assert!(reponse.contains(&html("<ns2:numUnique>")), "{reponse}");

    // A fault's reason, hundreds of characters long, whole: in the view and in the list.
    let page = b.get(&format!("/console/echanges/{faute}")).await.text();
    assert!(page.contains(&format!(r#"<dd class="motif">{}</dd>"#, html(&raison))), "{page}");
    assert!(!page.contains('…'), "{page}");
    let liste = b.get("/console/echanges").await.text();
    assert!(liste.contains(&html(&raison)), "{liste}");
}

#[tokio::test]
async fn pages_name_themselves_once_and_the_breadcrumb_leads_up() {
    let gw = spawn_gateway().await;
    let num = enregistrer(&gw, "G1104").await;
    let rid = refus(&gw, "demande/invalid/code_civilite_v0200.xml").await;
    let mdp = agent(&gw, "marie", "G1104").await;
    let mut b = Navigateur::new(&gw);
    b.connecter("marie", &mdp).await;
    let fil = |page: &str| {
        let debut = page.find(r#"<nav class="fil" aria-label="Fil d'Ariane">"#).expect("un fil d'Ariane");
        let nav = &page[debut..debut + page[debut..].find("</nav>").unwrap()];
        let niveaux: Vec<String> = nav
            .split("<li")
            .skip(1)
            .map(|li| li.split("</li>").next().unwrap().split_once('>').unwrap().1.to_string())
            .collect();
        (niveaux, nav.matches("aria-current=\"page\"").count())
    };

    let page = b.get(&format!("/console/demandes/{num}")).await.text();
    let recherche = r#"<a href="/console/recherche">Trouver une demande</a>"#.to_string();
    assert_eq!(fil(&page), (vec![recherche.clone(), format!("Demande n° {num}")], 1));
    assert!(page.contains(&format!(r#"<li aria-current="page">Demande n° {num}</li>"#)), "{page}");
    // "État" labels the state once; the section is named otherwise.
    assert_eq!(page.matches(">État<").count(), 1, "{page}");
    assert!(page.contains(r#"<h2 id="titre-etat">Situation</h2>"#), "{page}");
    assert!(page.contains(r#"<label for="categorie">Catégorie de la pièce</label>"#), "{page}");

    let csrf = jeton(&page);
    b.deposer(&num, &csrf, "IDENTITE", ("cni.pdf", "application/pdf", &pdf())).await;
    let page = b.get(&format!("/console/demandes/{num}")).await.text();
    let id = page.split("/console/pieces/").nth(1).unwrap()[..26].to_string();
    let page = b.get(&format!("/console/pieces/{id}")).await.text();
    assert!(!page.contains("Pièce Pièce") && !page.contains("pièce Pièce"), "{page}");
    let libelle = "Pièce d'identité (carte nationale d'identité, passeport, carte de résident)";
    assert!(page.contains(&format!("<h1>{}</h1>", html(libelle))), "{page}");
    assert!(page.contains(&format!("<title>{} · Console des agents · SNE</title>", html(libelle))), "{page}");
    let demande = format!(r#"<a href="/console/demandes/{num}">Demande n° {num}</a>"#);
    assert_eq!(fil(&page), (vec![recherche, demande, html(libelle)], 1));

    let page = b.get(&format!("/console/echanges/{rid}")).await.text();
    let echanges = r#"<a href="/console/echanges">Échanges SOAP</a>"#.to_string();
    assert_eq!(fil(&page), (vec![echanges, format!("Échange {rid}")], 1));
}

/// The access code printed on a registration certificate (the PDF's text).
pub fn code_de_l_attestation(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let texte = doc.extract_text(&[1]).unwrap();
    let i = texte.find("Code d'accès personnel").expect("code sur l'attestation") + "Code d'accès personnel".len();
    texte[i..].split_whitespace().next().unwrap().to_string()
}

/// Signs `b` in on the portal with `num` and `code` (typed loosely, as people do).
async fn connecter_demandeur(b: &mut Navigateur<'_>, num: &str, code: &str) -> Reply {
    let csrf = jeton(&b.get("/demandeur/connexion").await.text());
    let champs =
        [("csrf", csrf.as_str()), ("num", &num.to_lowercase()), ("code", &code.to_lowercase().replace('-', " "))];
    b.post("/demandeur/connexion", &champs).await
}

/// The id in the portal's "Retirer" form of the piece named `nom`.
fn retirer_id(page: &str, nom: &str) -> Option<String> {
    let avant = &page[..page.find(&format!("aria-label=\"Retirer {nom}\""))?];
    let i = avant.rfind("/demandeur/pieces/")? + "/demandeur/pieces/".len();
    Some(avant[i..].split('/').next()?.to_string())
}

#[tokio::test]
async fn an_applicant_signs_in_with_the_certificate_code_deposits_a_photo_and_never_sees_a_services_sensitive_piece() {
    // The territory expects a health certificate at registration: a service deposits it.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let gw = start_with(&dir, |s| {
        for t in &mut s.territoires {
            t.pieces_enregistrement = Some(vec!["IDENTITE|SEJOUR".into(), "SANTE".into()]);
        }
    })
    .await;
    // A registration over SOAP: its certificate carries the code.
    let reference = format!("PORTAIL-{}", rand::random::<u32>());
    let (num, pdf_attestation) = crate::pieces::enregistrer_sous(&gw, "G1104", &reference).await;
    let code = code_de_l_attestation(&pdf_attestation);
    assert_eq!(code.len(), 19, "{code}");

    let mut b = Navigateur::new(&gw);
    let r = connecter_demandeur(&mut b, &num, &code).await;
    assert_eq!((r.status, emplacement(&r).as_str()), (303, "/demandeur/"), "{}", r.text());
    let page = b.get("/demandeur/").await.text();
    assert!(page.contains(&num) && page.contains("en cours") && page.contains("Valable jusqu"), "{page}");
    let sante_attendue = "État de santé (certificat médical) (dès maintenant)";
    assert!(page.contains(sante_attendue), "{page}");

    // The counter deposits a sensitive piece and an ordinary one.
    let mdp = agent(&gw, "marie", "G1104").await;
    let mut guichet = Navigateur::new(&gw);
    guichet.connecter("marie", &mdp).await;
    let csrf = jeton(&guichet.get(&format!("/console/demandes/{num}")).await.text());
    assert_eq!(
        guichet.deposer(&num, &csrf, "SANTE", ("certificat-medical.pdf", "application/pdf", &pdf())).await.status,
        303
    );
    assert_eq!(
        guichet
            .deposer(&num, &csrf, "IDENTITE", ("cni.pdf", "application/pdf", &crate::pieces::pdf_bis()))
            .await
            .status,
        303
    );
    let page = b.get("/demandeur/").await.text();
    assert!(page.contains("cni.pdf"), "{page}");
    assert!(!page.contains("certificat-medical"), "a service's sensitive piece: {page}");
    assert!(!page.contains(sante_attendue), "the service's piece counts, unseen: {page}");
    assert!(!page.contains("Retirer cni.pdf"), "the counter's deposit is not the applicant's");

    // A photo from a phone.
    let csrf = jeton(&page);
    let r = b.deposer(&num, &csrf, "AVISIMPOT", ("IMG_2041.jpg", "image/jpeg", &jpeg())).await;
    assert_eq!((r.status, emplacement(&r).as_str()), (303, "/console/connexion"), "the console is not the portal");
    let r = b
        .post_multipart(
            "/demandeur/pieces",
            &[("csrf", &csrf), ("categorie", "AVISIMPOT"), ("personne", "DEM")],
            ("IMG_2041.jpg", "image/jpeg", &jpeg()),
        )
        .await;
    assert_eq!((r.status, emplacement(&r).as_str()), (303, "/demandeur/?message=deposee"), "{}", r.text());
    let page = b.get("/demandeur/?message=deposee").await.text();
    assert!(page.contains("IMG_2041.jpg") && page.contains("Pièce déposée"), "{page}");
    // The journal names the applicant as the author; the counter's console lists the photo.
    let journal =
        sne_gateway::control::send(&gw.settings.server.data_dir, &format!("journal {num}")).await.unwrap().join("\n");
    assert!(journal.contains("demandeur") && journal.contains("deposerPiece"), "{journal}");
    let console = guichet.get(&format!("/console/demandes/{num}")).await.text();
    assert!(console.contains("IMG_2041.jpg"));
    // Nothing of the console, nor another application, opens with the applicant's session.
    assert_eq!(emplacement(&b.get(&format!("/console/demandes/{num}")).await), "/console/connexion");
    let autre = enregistrer(&gw, "G1104").await;
    assert!(!b.get("/demandeur/").await.text().contains(&autre));

    // The applicant takes back their own photo, never the counter's piece (a forged form).
    let page = b.get("/demandeur/").await.text();
    let photo = retirer_id(&page, "IMG_2041.jpg").expect("a Retirer button on the photo");
    let avant = &console[..console.find(r#"aria-label="Voir cni.pdf""#).expect("the counter's piece")];
    let cni = avant[avant.rfind("/console/pieces/").unwrap() + "/console/pieces/".len()..].split('"').next().unwrap();
    let csrf = jeton(&page);
    let r = b.post(&format!("/demandeur/pieces/{cni}/supprimer"), &[("csrf", &csrf), ("confirmer", "oui")]).await;
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(r.text().contains("Seul le déposant de la pièce (G1104) peut la supprimer"), "{}", r.text());
    let r = b.post(&format!("/demandeur/pieces/{photo}/supprimer"), &[("csrf", "faux"), ("confirmer", "oui")]).await;
    assert_eq!(r.status, 403, "without its token");
    let r = b.post(&format!("/demandeur/pieces/{photo}/supprimer"), &[("csrf", &csrf), ("nom", "IMG_2041.jpg")]).await;
    assert!(r.status == 200 && r.text().contains("Retirer la pièce « IMG_2041.jpg »"), "asked first: {}", r.text());
    assert!(b.get("/demandeur/").await.text().contains("IMG_2041.jpg"), "still there");
    let r = b.post(&format!("/demandeur/pieces/{photo}/supprimer"), &[("csrf", &csrf), ("confirmer", "oui")]).await;
    assert_eq!((r.status, emplacement(&r).as_str()), (303, "/demandeur/?message=supprimee"));
    let page = b.get("/demandeur/?message=supprimee").await.text();
    assert!(!page.contains("IMG_2041.jpg") && page.contains("cni.pdf") && page.contains("Pièce retirée"), "{page}");

    // A new code from the console (shown once, after a redirection) signs the applicant out,
    // and the old code no longer opens.
    let csrf_g = jeton(&guichet.get(&format!("/console/demandes/{num}")).await.text());
    let r = guichet.post(&format!("/console/demandes/{num}/code"), &[("csrf", &csrf_g)]).await;
    assert_eq!(emplacement(&r), format!("/console/demandes/{num}?message=code"));
    let page = guichet.get(&emplacement(&r)).await.text();
    assert!(page.contains("Nouveau code d") && page.contains("<strong>"), "{page}");
    let nouveau = page.split("<strong>").nth(1).unwrap().split("</strong>").next().unwrap().to_string();
    assert!(!guichet.get(&emplacement(&r)).await.text().contains(&nouveau), "shown once");
    assert_eq!(emplacement(&b.get("/demandeur/").await), "/demandeur/connexion");
    assert_eq!(connecter_demandeur(&mut b, &num, &code).await.status, 401);
    assert_eq!(connecter_demandeur(&mut b, &num, &nouveau).await.status, 303);
    assert_eq!(b.get("/demandeur/").await.status, 200);
    // A retried registration prints yet another code: the session of the previous one ends.
    let (meme, attestation) = crate::pieces::enregistrer_sous(&gw, "G1104", &reference).await;
    assert_eq!(meme, num, "a retry");
    assert_eq!(emplacement(&b.get("/demandeur/").await), "/demandeur/connexion");
    assert_eq!(connecter_demandeur(&mut b, &num, &code_de_l_attestation(&attestation)).await.status, 303);
}

#[tokio::test]
async fn wrong_access_codes_are_throttled() {
    let gw = spawn_gateway().await;
    let (num, pdf_attestation) = crate::pieces::enregistrer_avec_attestation(&gw, "G1104").await;
    let code = code_de_l_attestation(&pdf_attestation);
    let mut b = Navigateur::new(&gw);
    for i in 0..5 {
        let csrf = jeton(&b.get("/demandeur/connexion").await.text());
        let r = b
            .post(
                "/demandeur/connexion",
                &[("csrf", &csrf), ("num", &num), ("code", &format!("AAAA-BBBB-CCCC-DDD{i}"))],
            )
            .await;
        assert_eq!(r.status, 401);
        assert!(r.text().contains("incorrect"));
    }
    let csrf = jeton(&b.get("/demandeur/connexion").await.text());
    b.post("/demandeur/connexion", &[("csrf", &csrf), ("num", &num), ("code", "AAAA-BBBB-CCCC-DDDD")]).await;
    let csrf = jeton(&b.get("/demandeur/connexion").await.text());
    let r = b.post("/demandeur/connexion", &[("csrf", &csrf), ("num", &num), ("code", &code)]).await;
    assert_eq!(r.status, 429, "even the right code waits");
    assert!(r.text().contains("Trop de tentatives"));
}

/// The deposit form's text fields are bounded (`CHAMP_TEXTE_MAX`) and only its own fields are
/// read: a huge category is refused with 413 naming the field, an unknown field with 400, and
/// nothing is stored; the form still works after.
#[tokio::test]
async fn the_deposit_forms_text_fields_are_bounded() {
    let gw = spawn_gateway().await;
    let num = crate::pieces::enregistrer(&gw, "G1104").await;
    let mdp = agent(&gw, "marie", "G1104").await;
    let mut b = Navigateur::new(&gw);
    b.connecter("marie", &mdp).await;
    let csrf = jeton(&b.get(&format!("/console/demandes/{num}")).await.text());
    let chemin = format!("/console/demandes/{num}/pieces");
    let enorme = "A".repeat(1 << 20);
    let r = b
        .post_multipart(
            &chemin,
            &[("csrf", &csrf), ("categorie", &enorme)],
            ("id.pdf", "application/pdf", &crate::pieces::pdf()),
        )
        .await;
    assert_eq!(r.status, 413, "{}", r.text());
    assert!(r.text().contains("Champ « categorie » de plus de 4096 octets"), "{}", r.text());
    let r = b
        .post_multipart(
            &chemin,
            &[("csrf", &csrf), ("intrus", "x")],
            ("id.pdf", "application/pdf", &crate::pieces::pdf()),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("champ « intrus » inconnu"), "{}", r.text());
    assert!(crate::pieces::lister(&gw, "G1104", &num).await.unwrap().is_empty());
    let r = b.deposer(&num, &csrf, "IDENTITE", ("id.pdf", "application/pdf", &crate::pieces::pdf())).await;
    assert_eq!(r.status, 303, "{}", r.text());
}
