//! Scale benchmark (issue 7): `getDoublons`, `getDemandeLogement` and a `MOD` cost the same at
//! 10,000 and at 1,000,000 applications, and a stored application takes under 4 KB.
//!
//!   cargo bench --bench echelle                       # 10 000 then 1 000 000 applications
//!   SNE_ECHELLE=10000,100000 cargo bench --bench echelle
//!
//! The store is filled by `demo::semer` (the bulk path of `sne-gateway demo seed`); each size is
//! measured on the registry (what the SOAP operation calls after decoding): 1000 calls of each,
//! on applications drawn at random among those seeded. Reads and changes wait for their flush,
//! as the operations do (group commit, one caller at a time here). Figures are p50 and p99, and
//! the ratios between sizes; a ratio above 1.5 fails the run.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sne_gateway::compute::Compute;
use sne_gateway::contract::types::AssociationOuPersonnePhysique;
use sne_gateway::registry::depot::Depot;
use sne_gateway::registry::geographie::Territoires;
use sne_gateway::registry::{Changement, CodeGuichet, Extrait, Guichet, Identite, NumUnique, Registry, Territoire};
use sne_gateway::store::{MasterKey, Store};

// Every call waits for an fsync: p99 needs enough samples to be more than the slowest few flushes.
const MESURES: usize = 1000;

struct Mesure {
    p50: Duration,
    p99: Duration,
}

fn quantiles(mut d: Vec<Duration>) -> Mesure {
    d.sort();
    Mesure { p50: d[d.len() / 2], p99: d[(d.len() * 99 / 100).min(d.len() - 1)] }
}

struct Taille {
    n: usize,
    doublons: Mesure,
    lecture: Mesure,
    modification: Mesure,
    octets_par_demande: f64,
}

fn identite(contenu: &[u8]) -> Option<Identite> {
    let f = sne_gateway::contract::lire_demande(contenu, sne_gateway::xml::Limits::DEFAULT).ok()?;
    let AssociationOuPersonnePhysique::PersonnePhysique(p) = &f.demande_logement().association_ou_personne_physique
    else {
        return None;
    };
    Some(Identite {
        nom: p.demandeur.nom.valeur.clone(),
        nom_naissance: None,
        prenom: p.demandeur.prenom.valeur.clone(),
        date_naissance: p.demandeur.date_naissance.valeur.to_date()?,
    })
}

async fn mesurer(registry: &Registry, store: &Store, guichet: &Guichet, nums: &[String], rng: &mut StdRng) -> Taille {
    let tirer = |rng: &mut StdRng| NumUnique::parse(&nums[rng.gen_range(0..nums.len())]).unwrap();
    let mut doublons = Vec::new();
    let mut lecture = Vec::new();
    let mut modification = Vec::new();
    for _ in 0..MESURES {
        // getDoublons: the index lookup, then the files of the matches, journaled.
        let num = tirer(rng);
        let fiche = store.lire(num.as_str()).unwrap().unwrap();
        let Some(personne) = identite(&fiche.contenu.0) else { continue };
        let t = Instant::now();
        let trouves = registry.doublons(guichet, std::slice::from_ref(&personne)).unwrap();
        registry.fiches(guichet, &trouves, "getDoublons").await.unwrap();
        doublons.push(t.elapsed());

        let num = tirer(rng);
        let t = Instant::now();
        registry.lire(guichet, &num, None, "getDemandeLogement").await.unwrap();
        lecture.push(t.elapsed());

        let num = tirer(rng);
        let actif = store.entete(num.as_str()).unwrap().unwrap().attributs.radiation.is_none();
        if actif {
            let t = Instant::now();
            registry
                .changer(guichet, &num, Changement::Modifier, Extrait::default(), |_, _, courant| courant.to_vec())
                .await
                .unwrap();
            modification.push(t.elapsed());
        }
    }
    Taille {
        n: nums.len(),
        doublons: quantiles(doublons),
        lecture: quantiles(lecture),
        modification: quantiles(modification),
        octets_par_demande: store.size_on_disk() as f64 / nums.len() as f64,
    }
}

fn main() {
    let tailles: Vec<usize> = std::env::var("SNE_ECHELLE")
        .unwrap_or_else(|_| "10000,1000000".into())
        .split(',')
        .map(|s| s.trim().parse().expect("SNE_ECHELLE: sizes separated by commas"))
        .collect();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), MasterKey::random()).unwrap();
    // One counter: every measured application is in the caller's territory.
    let guichet = Guichet {
        code: CodeGuichet::parse("G1104").unwrap(),
        territoire: Territoire::parse("111").unwrap(),
        nom: "Guichet".into(),
    };
    let registry = Registry::new(Arc::new(store.clone()), Compute::per_core());
    let mut generateur = sne_gateway::demo::Generateur::new(1, &Territoires::default(), &["111"]);
    let mut rng = StdRng::seed_from_u64(2);
    let mut nums: Vec<String> = Vec::new();
    let mut resultats = Vec::new();
    for cible in tailles {
        let debut = Instant::now();
        let avant = nums.len();
        rt.block_on(async {
            let nouveaux = sne_gateway::demo::semer(
                &registry,
                std::slice::from_ref(&guichet),
                &mut generateur,
                cible - avant,
                1000,
                |n| {
                    if n % 100_000 == 0 {
                        eprintln!("  {} / {}", avant + n, cible);
                    }
                },
            )
            .await
            .unwrap();
            nums.extend(nouveaux);
        });
        let semis = debut.elapsed();
        let t = rt.block_on(mesurer(&registry, &store, &guichet, &nums, &mut rng));
        println!(
            "{} demandes (semées en {:.0} s, {:.0}/s) : {:.0} octets/demande sur disque",
            t.n,
            semis.as_secs_f64(),
            (cible - avant) as f64 / semis.as_secs_f64(),
            t.octets_par_demande
        );
        for (nom, m) in [("getDoublons", &t.doublons), ("getDemandeLogement", &t.lecture), ("MOD", &t.modification)] {
            println!("  {nom:20} p50 {:>8.2?}  p99 {:>8.2?}", m.p50, m.p99);
        }
        resultats.push(t);
    }
    let mut echec = false;
    if let (Some(a), Some(b)) = (resultats.first(), resultats.last()) {
        if a.n != b.n {
            println!("ratios {} / {} demandes :", b.n, a.n);
            for (nom, x, y) in [
                ("getDoublons", &a.doublons, &b.doublons),
                ("getDemandeLogement", &a.lecture, &b.lecture),
                ("MOD", &a.modification, &b.modification),
            ] {
                let r50 = y.p50.as_secs_f64() / x.p50.as_secs_f64();
                let r99 = y.p99.as_secs_f64() / x.p99.as_secs_f64();
                println!("  {nom:20} p50 {r50:.2}x  p99 {r99:.2}x");
                echec |= r50 > 1.5 || r99 > 1.5;
            }
        }
        if b.octets_par_demande > 4096.0 {
            println!("  plus de 4 Ko par demande");
            echec = true;
        }
    }
    if echec {
        std::process::exit(1);
    }
}
