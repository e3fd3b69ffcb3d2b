//! Scale benchmark (issue 7): `getDoublons`, `getDemandeLogement` and a `MOD` cost the same at
//! 10,000 and at 1,000,000 applications, and a stored application takes under 4 KB.
//!
//!   cargo bench --bench echelle                       # 10 000 and 1 000 000 applications
//!   SNE_ECHELLE=10000,100000 cargo bench --bench echelle
//!
//! Each size gets its own store, filled by `demo::semer` (the bulk path of `sne-gateway demo
//! seed`); all stay open, and the calls alternate between them in a shuffled order, so that
//! every size is measured in the same minutes of the same disk. Calls go to the registry (what
//! the SOAP operation calls after decoding): 1000 of each per size, on applications drawn at
//! random among those seeded. Reads and changes wait for their flush, as the operations do
//! (group commit, one caller at a time here). Figures are p50 and p99 of the wall clock and of
//! the process's CPU (the call without the wait for the disk), and the ratios to the smallest
//! size; a wall-clock ratio above 1.5 fails the run.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sne_gateway::compute::Compute;
use sne_gateway::contract::types::AssociationOuPersonnePhysique;
use sne_gateway::registry::depot::Depot;
use sne_gateway::registry::geographie::Territoires;
use sne_gateway::registry::{Changement, CodeGuichet, Extrait, Guichet, Identite, NumUnique, Registry, Territoire};
use sne_gateway::store::{MasterKey, Store};

// Every call waits for an fsync: p99 needs enough samples to be more than the slowest few flushes.
const MESURES: usize = 1000;

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

/// Wall-clock and CPU time (every thread of the process) of one call: the wall includes the wait
/// for the flush, the CPU does not.
struct Chrono {
    mur: Instant,
    cpu: Duration,
}

fn cpu_processus() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec and the clock id is a constant of the platform.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

impl Chrono {
    fn start() -> Self {
        Chrono { mur: Instant::now(), cpu: cpu_processus() }
    }
    fn stop(self, into: &mut Series) {
        into.mur.push(self.mur.elapsed());
        into.cpu.push(cpu_processus().saturating_sub(self.cpu));
    }
}

#[derive(Default)]
struct Series {
    mur: Vec<Duration>,
    cpu: Vec<Duration>,
}

struct Mesure {
    p50: Duration,
    p99: Duration,
    cpu_p50: Duration,
    cpu_p99: Duration,
}

fn quantile(d: &mut [Duration], q: usize) -> Duration {
    d.sort();
    d[(d.len() * q / 100).min(d.len() - 1)]
}

impl Series {
    fn mesure(mut self) -> Mesure {
        Mesure {
            p50: quantile(&mut self.mur, 50),
            p99: quantile(&mut self.mur, 99),
            cpu_p50: quantile(&mut self.cpu, 50),
            cpu_p99: quantile(&mut self.cpu, 99),
        }
    }
}

/// One store of one size, open for the whole run.
struct Base {
    _dir: tempfile::TempDir,
    store: Store,
    registry: Registry,
    nums: Vec<String>,
    doublons: Series,
    lecture: Series,
    modification: Series,
    /// Applications returned by the getDoublons calls: a larger base has more homonyms to return.
    trouves: usize,
}

impl Base {
    async fn semer(n: usize, guichet: &Guichet, graine: u64) -> Base {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), MasterKey::random()).unwrap();
        let registry = Registry::new(Arc::new(store.clone()), Compute::per_core());
        let mut generateur = sne_gateway::demo::Generateur::new(graine, &Territoires::default(), &["111"]);
        let debut = Instant::now();
        let nums = sne_gateway::demo::semer(&registry, std::slice::from_ref(guichet), &mut generateur, n, 1000, |k| {
            if k % 100_000 == 0 {
                eprintln!("  {k} / {n}");
            }
        })
        .await
        .unwrap();
        let semis = debut.elapsed();
        println!(
            "{n} demandes semées en {:.0} s ({:.0}/s) : {:.0} octets/demande sur disque",
            semis.as_secs_f64(),
            n as f64 / semis.as_secs_f64(),
            store.size_on_disk() as f64 / n as f64
        );
        Base {
            _dir: dir,
            store,
            registry,
            nums,
            doublons: Series::default(),
            lecture: Series::default(),
            modification: Series::default(),
            trouves: 0,
        }
    }

    fn tirer(&self, rng: &mut StdRng) -> NumUnique {
        NumUnique::parse(&self.nums[rng.gen_range(0..self.nums.len())]).unwrap()
    }

    /// One call of each measured operation, on applications drawn at random.
    async fn appels(&mut self, guichet: &Guichet, rng: &mut StdRng) {
        // getDoublons: the index lookup, then the files of the matches, journaled.
        let num = self.tirer(rng);
        let fiche = self.store.lire(num.as_str()).unwrap().unwrap();
        if let Some(personne) = identite(&fiche.contenu.0) {
            let c = Chrono::start();
            let trouves = self.registry.doublons(guichet, std::slice::from_ref(&personne)).unwrap();
            self.registry.fiches(guichet, &trouves, "getDoublons").await.unwrap();
            c.stop(&mut self.doublons);
            self.trouves += trouves.len();
        }

        let num = self.tirer(rng);
        let c = Chrono::start();
        self.registry.lire(guichet, &num, None, "getDemandeLogement").await.unwrap();
        c.stop(&mut self.lecture);

        let num = self.tirer(rng);
        if self.store.entete(num.as_str()).unwrap().unwrap().attributs.radiation.is_none() {
            let c = Chrono::start();
            self.registry
                .changer(guichet, &num, Changement::Modifier, Extrait::default(), |_, _, courant| courant.to_vec())
                .await
                .unwrap();
            c.stop(&mut self.modification);
        }
    }
}

fn main() {
    let tailles: Vec<usize> = std::env::var("SNE_ECHELLE")
        .unwrap_or_else(|_| "10000,1000000".into())
        .split(',')
        .map(|s| s.trim().parse().expect("SNE_ECHELLE: sizes separated by commas"))
        .collect();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    // One counter: every measured application is in the caller's territory.
    let guichet = Guichet::enregistreur(
        CodeGuichet::parse("G1104").unwrap(),
        Territoire::parse("111").unwrap(),
        "Guichet".into(),
    );
    let mut bases: Vec<Base> =
        tailles.iter().enumerate().map(|(i, &n)| rt.block_on(Base::semer(n, &guichet, 1 + i as u64))).collect();

    // Every size is measured in the same minutes, one call on each in turn and in a shuffled order,
    // so that the disk's good and bad moments fall on all of them alike.
    let mut rng = StdRng::seed_from_u64(2);
    let mut ordre: Vec<usize> = (0..bases.len()).collect();
    for _ in 0..MESURES {
        ordre.shuffle(&mut rng);
        for &i in &ordre {
            rt.block_on(bases[i].appels(&guichet, &mut rng));
        }
    }

    let mut resultats = Vec::new();
    for b in bases {
        let n = b.nums.len();
        let octets = b.store.size_on_disk() as f64 / n as f64;
        let par_reponse = b.trouves as f64 / b.doublons.mur.len() as f64;
        let t = [
            ("getDoublons", b.doublons.mesure()),
            ("getDemandeLogement", b.lecture.mesure()),
            ("MOD", b.modification.mesure()),
        ];
        println!("{n} demandes : {octets:.0} octets/demande, {:.2} demandes par réponse getDoublons", par_reponse);
        for (nom, m) in &t {
            println!(
                "  {nom:20} p50 {:>8.2?}  p99 {:>8.2?}   CPU p50 {:>8.2?}  p99 {:>8.2?}",
                m.p50, m.p99, m.cpu_p50, m.cpu_p99
            );
        }
        resultats.push((n, octets, t));
    }
    let mut echec = false;
    let (n0, _, reference) = &resultats[0];
    for (n, octets, t) in &resultats[1..] {
        println!("ratios {n} / {n0} demandes :");
        for ((nom, y), (_, x)) in t.iter().zip(reference.iter()) {
            let r = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
            let (r50, r99) = (r(y.p50, x.p50), r(y.p99, x.p99));
            println!(
                "  {nom:20} p50 {r50:.2}x  p99 {r99:.2}x   CPU p50 {:.2}x  p99 {:.2}x",
                r(y.cpu_p50, x.cpu_p50),
                r(y.cpu_p99, x.cpu_p99)
            );
            echec |= r50 > 1.5 || r99 > 1.5;
        }
        if *octets > 4096.0 {
            println!("  plus de 4 Ko par demande");
            echec = true;
        }
    }
    if echec {
        std::process::exit(1);
    }
}
