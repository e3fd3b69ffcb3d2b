//! Ingest benchmark of the dossier unique (issue 8): 20 MiB pieces go in at least half as fast
//! as the disk writes sequentially, and 32 concurrent 20 MiB uploads keep the server under
//! 200 MB resident.
//!
//!   cargo bench --bench pieces
//!
//! The server is the binary built with the benchmark (`serve`, school mode, a temporary
//! directory), a process of its own so that its resident memory is its own; the client here
//! generates each request as it sends it (a JPEG of filler bytes with a seed, so that no two are
//! the same content), on the same two cores. Three rounds alternate a sequential write of 256 MiB
//! with `fsync` into the data directory (the disk's speed), ten 20 MiB deposits one after the
//! other, and twelve deposited four at a time (counters depositing together: the gateway's
//! ingest rate; the gate); every deposit is acknowledged once on disk, ratios are per round.
//! Then 32 deposits at once, and the server's peak resident memory (`VmHWM`).

#[path = "../tests/kit/release.rs"]
#[allow(dead_code)]
mod release;
#[path = "../tests/kit/televersement.rs"]
mod televersement;

use std::io::Write;
use std::time::Instant;

const PIECE: u64 = 20 << 20;
const SEQUENTIELS: u64 = 10;
const PARALLELES: u64 = 12;
const FLUX: u64 = 4;
const CONCURRENTS: u64 = 32;

fn disque(dir: &std::path::Path) -> f64 {
    let path = dir.join("disque.bin");
    let bloc = vec![0xA5u8; 1 << 20];
    let t = Instant::now();
    let mut f = std::fs::File::create(&path).unwrap();
    for _ in 0..256 {
        f.write_all(&bloc).unwrap();
    }
    f.sync_all().unwrap();
    let debit = 256.0 / t.elapsed().as_secs_f64();
    std::fs::remove_file(&path).unwrap();
    debit
}

fn accepte(content_type: &str, body: &[u8]) {
    let env = sne_gateway::soap::decode(content_type, None, body, &Default::default()).unwrap();
    assert!(env.body.child("idPiece").is_some(), "{}", String::from_utf8_lossy(&body[..body.len().min(1500)]));
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let config = dir.join(sne_gateway::school::CONFIG_FILE);
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_sne-gateway"));
    let (mut serveur, port, _) = televersement::lancer(bin, &config, &[], "info");
    let pki = dir.join("pki");
    let tls = televersement::tls(&pki, "G1104");
    // One application, registered today (the example's file, its dates moved to today).
    let jour = sne_gateway::registry::Horloge::aujourd_hui(&sne_gateway::registry::HorlogeSysteme).to_string();
    let fichier =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/demande/valid/cre_complet_v0201.xml"))
            .unwrap();
    let fichier = regex::Regex::new(r"<ns2:dateCreationDemande>[0-9-]+<")
        .unwrap()
        .replace(&fichier, format!("<ns2:dateCreationDemande>{jour}<").as_str())
        .into_owned();
    let num = rt.block_on(async {
        let (ct, body) = enregistrer(tls.clone(), port, &fichier).await;
        let env = sne_gateway::soap::decode(&ct, None, &body, &Default::default()).unwrap();
        let f = sne_gateway::soap::binary_content(env.body.child("fichierDemande").unwrap()).unwrap();
        let f = String::from_utf8_lossy(&f).into_owned();
        let at = f.find(":numUnique>").unwrap_or_else(|| panic!("{f}")) + ":numUnique>".len();
        f[at..at + 18].to_string()
    });
    let data = dir.join("db");
    let mut graine = 0u64;
    let mut pires = Vec::new();
    for tour in 1..=3 {
        let d = disque(&data);
        let t = Instant::now();
        rt.block_on(async {
            for _ in 0..SEQUENTIELS {
                graine += 1;
                let (ct, body) = televersement::deposer(tls.clone(), port, &num, PIECE, graine).await;
                accepte(&ct, &body);
            }
        });
        let seul = (SEQUENTIELS * PIECE) as f64 / (1 << 20) as f64 / t.elapsed().as_secs_f64();
        let t = Instant::now();
        rt.block_on(async {
            for _ in 0..PARALLELES / FLUX {
                vague(&tls, port, &num, &mut graine, FLUX).await;
            }
        });
        let ingest = (PARALLELES * PIECE) as f64 / (1 << 20) as f64 / t.elapsed().as_secs_f64();
        println!(
            "tour {tour} : disque {d:.0} Mio/s ; pièces de 20 Mio une à une {seul:.0} Mio/s ({:.2}x), {FLUX} à la fois {ingest:.0} Mio/s ({:.2}x)",
            seul / d,
            ingest / d
        );
        pires.push(ingest / d);
    }
    let avant = release::peak_rss(serveur.id());
    let t = Instant::now();
    rt.block_on(vague(&tls, port, &num, &mut graine, CONCURRENTS));
    let duree = t.elapsed().as_secs_f64();
    let pic = release::peak_rss(serveur.id());
    println!(
        "{CONCURRENTS} dépôts simultanés de 20 Mio en {duree:.1} s ({:.0} Mio/s) : pic de mémoire du serveur {} Mo (avant : {} Mo)",
        (CONCURRENTS * PIECE) as f64 / (1 << 20) as f64 / duree,
        pic / 1_000_000,
        avant / 1_000_000
    );
    serveur.kill().unwrap();
    serveur.wait().unwrap();
    let mut echec = false;
    let median = {
        let mut v = pires.clone();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v[v.len() / 2]
    };
    if median < 0.5 {
        println!("  dépôt plus lent que la moitié de l'écriture séquentielle du disque (médiane {median:.2}x, {FLUX} à la fois)");
        echec = true;
    }
    if pic >= 200_000_000 {
        println!("  plus de 200 Mo résidents");
        echec = true;
    }
    if echec {
        std::process::exit(1);
    }
}

async fn enregistrer(tls: std::sync::Arc<rustls::ClientConfig>, port: u16, fichier: &str) -> (String, bytes::Bytes) {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(fichier);
    let body = format!(
        r#"<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><ns2:numUniqueParametres xmlns:ns2="http://ws.metier.nuu.application.i2/"><nomFichierDemande>CRE.xml</nomFichierDemande><fichierDemande>{b64}</fichierDemande><nomCertificat/><certificat/></ns2:numUniqueParametres></soap:Body></soap:Envelope>"#
    );
    let body = http_body_util::Full::new(bytes::Bytes::from(body));
    televersement::poster(
        tls,
        port,
        "/services/DemandeLogementImplService/",
        "application/soap+xml; charset=utf-8",
        body,
    )
    .await
}

/// `n` deposits at once; each must be accepted.
async fn vague(tls: &std::sync::Arc<rustls::ClientConfig>, port: u16, num: &str, graine: &mut u64, n: u64) {
    let mut taches = tokio::task::JoinSet::new();
    for _ in 0..n {
        *graine += 1;
        let (tls, num, g) = (tls.clone(), num.to_string(), *graine);
        taches.spawn(async move { televersement::deposer(tls, port, &num, PIECE, g).await });
    }
    while let Some(r) = taches.join_next().await {
        let (ct, body) = r.unwrap();
        accepte(&ct, &body);
    }
}
