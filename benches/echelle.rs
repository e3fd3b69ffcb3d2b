//! Scale benchmark (issue 7): `getDoublons`, `getDemandeLogement`, a `MOD` and two multi-criteria
//! searches (`rechercheDemandeMulticritere`) cost the same at 10,000 and at 1,000,000
//! applications, and a stored application takes under 16 KB. (Under 4 KB before the search:
//! 2,869 bytes at 1,000,000 then, 12,511 with it. The `recherche` index adds about twenty
//! entries per application, each a key in the engine and a line of the application's index list,
//! so that no criterion ever needs to decrypt an application; the budget was raised with it.)
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
//! size; a wall-clock ratio above 1.5 fails the run. The `MOD` sends the stored file back with
//! what the operation layer reads of it (persons, communes, search facts), so that it rewrites
//! the application's index entries as a real one does instead of emptying them.
//!
//! The searches go through `Registry::rechercher`, which serves every criterion from the
//! `recherche` index and writes each number it returns to the access journal, flushed, before
//! returning: its cost grows with the number of results, not with the store. So the comparison
//! between sizes is like for like only if each search finds about as many applications at every
//! size, and the table prints the mean number of results per size next to each search's timings:
//! - by person: surname, first name and birth date of the applicant of a random application,
//!   which finds that application (and, rarely, a homonym): about one result at every size;
//! - by desired commune and filing-date range: one desired commune of a random application and
//!   a range of days around its filing date, whose width shrinks as the size grows so that about
//!   ten other applications match at every size (`demo` spreads filing dates evenly over 330 days
//!   and draws one to three desired communes from the département's communes: see `largeur`).
//!
//! No search may reach `max_resultats` (the run stops if one is cut): a cut list would make the
//! cost the cap's, not the search's.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sne_gateway::compute::Compute;
use sne_gateway::contract::types::AssociationOuPersonnePhysique;
use sne_gateway::registry::depot::Depot;
use sne_gateway::registry::geographie::{self, Territoires};
use sne_gateway::registry::recherche::{Criteres, Periode, PersonneRecherchee};
use sne_gateway::registry::{Changement, CodeGuichet, Extrait, Guichet, Identite, NumUnique, Registry, Territoire};
use sne_gateway::store::{MasterKey, Store};
use time::Date;

// Every call waits for an fsync: p99 needs enough samples to be more than the slowest few flushes.
const MESURES: usize = 1000;

/// Days over which `demo` spreads filing dates: the 330 days before the day of seeding.
const JOURS_DEPOT: i64 = 330;

/// Applications, besides the one drawn, that the search by commune and filing-date range should
/// find at every size: enough that the journal's cost per result shows, well under the cap.
const ATTENDUES: f64 = 10.0;

/// Width in days of the filing-date range of the search by commune at size `n`: `demo` gives each
/// application one to three communes (two on average) drawn evenly from the `communes` of the
/// territory, and filing dates drawn evenly over `JOURS_DEPOT` days, so a commune is desired by
/// `2 / communes` of the applications and a range of `w` days holds `w / JOURS_DEPOT` of them.
/// Rounded to whole days (a range cannot be narrower than one): the expected count at each size
/// is printed with the measured mean.
fn largeur(n: usize, communes: usize) -> i64 {
    let par_jour = attendues_par_jour(n, communes);
    ((ATTENDUES / par_jour).round() as i64).clamp(1, JOURS_DEPOT)
}

/// Applications other than the drawn one expected per day of range, at size `n`.
fn attendues_par_jour(n: usize, communes: usize) -> f64 {
    n.saturating_sub(1) as f64 * 2.0 / communes as f64 / JOURS_DEPOT as f64
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

/// What the operation layer reads of a file for a `MOD`: the persons, desired communes and
/// search facts. A `MOD` with an empty extract would take the application out of the duplicates
/// and search indexes (the registry indexes what the extract says), which is not what a `MOD` of
/// an unchanged file does, and would leave fewer applications to find at the small size, where
/// the same ones are modified more often, than at the large one.
fn extrait(contenu: &[u8]) -> Option<Extrait> {
    sne_gateway::operations::extrait_du_fichier(contenu)
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
    par_personne: Series,
    par_commune: Series,
    /// Applications returned by each search, summed: the searches cost per result.
    trouves_personne: usize,
    trouves_commune: usize,
    /// Width in days of the filing-date range of the search by commune.
    largeur: i64,
}

impl Base {
    async fn semer(n: usize, guichet: &Guichet, graine: u64, communes: usize) -> Base {
        let dir = tempfile::tempdir().unwrap();
        // `SNE_CACHE_MO`: the engine's page cache for this run (the product's default otherwise).
        let cache = std::env::var("SNE_CACHE_MO").ok().and_then(|v| v.parse::<u64>().ok()).map(|mo| mo << 20);
        let cache = cache.unwrap_or_else(sne_gateway::store::cache_par_defaut);
        let store = Store::open_avec_cache(dir.path(), MasterKey::random(), cache).unwrap();
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
            par_personne: Series::default(),
            par_commune: Series::default(),
            trouves_personne: 0,
            trouves_commune: 0,
            largeur: largeur(n, communes),
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

        // MOD: the same file again, with what the operation layer would read of it (see `extrait`),
        // read outside the measure.
        let num = self.tirer(rng);
        let fiche = self.store.lire(num.as_str()).unwrap().unwrap();
        if fiche.attributs.radiation.is_none() {
            let extrait = extrait(&fiche.contenu.0).expect("a seeded file is a person's, with birth dates");
            let c = Chrono::start();
            self.registry
                .changer(guichet, &num, Changement::Modifier, extrait, |_, _, courant| courant.to_vec())
                .await
                .unwrap();
            c.stop(&mut self.modification);
        }

        // Search by person: the applicant's three facts, one stream of the index, its results
        // journaled. The identity is read from the stored file, outside the measure.
        let num = self.tirer(rng);
        let fiche = self.store.lire(num.as_str()).unwrap().unwrap();
        if let Some(p) = identite(&fiche.contenu.0) {
            let criteres = Criteres {
                personne: Some(PersonneRecherchee {
                    nom: Some(p.nom),
                    prenom: Some(p.prenom),
                    date_naissance: Some(p.date_naissance),
                }),
                ..Default::default()
            };
            let c = Chrono::start();
            let r = self.registry.rechercher(guichet, &criteres).await.unwrap();
            c.stop(&mut self.par_personne);
            assert!(!r.tronque, "search by person cut at max_resultats");
            assert!(r.nums.contains(&num), "search by person misses the application it was drawn from");
            self.trouves_personne += r.nums.len();
        }

        // Search by desired commune and filing-date range: a commune of a random application and
        // `largeur` days around its filing date, kept inside the days `demo` spreads dates over
        // (a range past their end would find fewer).
        let num = self.tirer(rng);
        let attributs = self.store.entete(num.as_str()).unwrap().unwrap().attributs;
        let commune = attributs.communes[rng.gen_range(0..attributs.communes.len())].clone();
        let aujourd_hui = self.registry.horloge().aujourd_hui();
        let (premier, dernier) = (jours_avant(aujourd_hui, JOURS_DEPOT), jours_avant(aujourd_hui, 1));
        let mut debut = jours_avant(attributs.date_depot, self.largeur / 2).max(premier);
        let fin = jours_apres(debut, self.largeur - 1).min(dernier);
        debut = debut.min(jours_avant(fin, self.largeur - 1));
        let criteres = Criteres {
            commune_souhaitee: Some(commune),
            depot: Periode { debut: Some(debut), fin: Some(fin) },
            ..Default::default()
        };
        let c = Chrono::start();
        let r = self.registry.rechercher(guichet, &criteres).await.unwrap();
        c.stop(&mut self.par_commune);
        assert!(!r.tronque, "search by commune cut at max_resultats");
        assert!(r.nums.contains(&num), "search by commune misses the application it was drawn from");
        self.trouves_commune += r.nums.len();
    }
}

fn jours_avant(d: Date, jours: i64) -> Date {
    d.saturating_sub(time::Duration::days(jours))
}

fn jours_apres(d: Date, jours: i64) -> Date {
    d.saturating_add(time::Duration::days(jours))
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
    // `demo` draws desired communes from the territory's perimeter and, for a territory without
    // one (as here, `Territoires::default()`), from Haute-Garonne's.
    let communes = geographie::toutes().filter(|c| c.departement == "31").count();
    let mut bases: Vec<Base> = tailles
        .iter()
        .enumerate()
        .map(|(i, &n)| rt.block_on(Base::semer(n, &guichet, 1 + i as u64, communes)))
        .collect();

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
        let par_personne = b.trouves_personne as f64 / b.par_personne.mur.len() as f64;
        let par_commune = b.trouves_commune as f64 / b.par_commune.mur.len() as f64;
        // The drawn application, plus the others its range is expected to hold.
        let attendu_commune = 1.0 + b.largeur as f64 * attendues_par_jour(n, communes);
        let t = [
            ("getDoublons", b.doublons.mesure()),
            ("getDemandeLogement", b.lecture.mesure()),
            ("MOD", b.modification.mesure()),
            ("recherche/personne", b.par_personne.mesure()),
            ("recherche/commune", b.par_commune.mesure()),
        ];
        // Mean results per call, for the rows whose cost grows with them.
        let moyennes = [
            format!("{par_reponse:.2} résultats"),
            String::new(),
            String::new(),
            format!("{par_personne:.2} résultats"),
            format!("{par_commune:.2} résultats ({attendu_commune:.2} attendus, dépôt sur {} jours)", b.largeur),
        ];
        println!("{n} demandes : {octets:.0} octets/demande, {:.2} demandes par réponse getDoublons", par_reponse);
        for ((nom, m), moyenne) in t.iter().zip(&moyennes) {
            println!(
                "  {nom:20} p50 {:>8.2?}  p99 {:>8.2?}   CPU p50 {:>8.2?}  p99 {:>8.2?}   {moyenne}",
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
        if *octets > 16384.0 {
            println!("  plus de 16 Ko par demande");
            echec = true;
        }
    }
    if echec {
        std::process::exit(1);
    }
}
