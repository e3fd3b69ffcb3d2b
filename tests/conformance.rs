//! The storage conformance suite (DESIGN.md, seam 1): random sequences of operations applied to an
//! engine and to an in-memory model of the [`Depot`] contract, every observable compared after
//! every step, with crash-and-reopen steps.
//!
//! A crash copies the data directory while the store is open, between two operations: the copy
//! holds what the process had handed to the kernel, exactly what a `SIGKILL` leaves (the SIGKILL
//! test itself is `store_crash.rs`). The reopened copy must show the state after some prefix of
//! the transactions, no shorter than the last one acknowledged by `durable()`: nothing
//! acknowledged is lost and no transaction is half applied.
//!
//! Every engine runs it: add one [`Moteur`] per engine (sled today).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sne_gateway::registry::depot::{
    Acces, Agent, Attributs, CaracteristiqueType, CleIndex, Contenu, Curseur, Depot, DepotError, Ecriture, Effacement,
    Etat, Evenement, ModificationEvenement, Piece, Plage, Radiation, Transaction, TypeEvenement, VersionInfo,
};
use sne_gateway::store::{MasterKey, Store};
use time::macros::{date, datetime};

/// An engine under test: opens a store, and crashes it.
trait Moteur {
    fn nom(&self) -> &'static str;
    /// The store, opened fresh.
    fn ouvrir(&mut self) -> Arc<dyn Depot>;
    /// Simulates a crash of the process holding `depot` and returns the store reopened from what
    /// it left on disk.
    fn crash(&mut self, depot: Arc<dyn Depot>) -> Arc<dyn Depot>;
    /// Piece contents on disk, finished or not (after a restart: exactly the recorded pieces').
    fn fichiers_de_pieces(&self) -> usize;
}

struct SledMoteur {
    dirs: Vec<tempfile::TempDir>,
    /// Holds the master key file.
    cle: tempfile::TempDir,
    /// Whether the store rewrites its files after each erasure, beside the run (`purge.rs`).
    purge: bool,
    store: Option<Store>,
}

impl SledMoteur {
    fn new() -> SledMoteur {
        let cle = tempfile::tempdir().unwrap();
        MasterKey::generate(&cle.path().join("cle")).unwrap();
        SledMoteur { dirs: Vec::new(), cle, purge: false, store: None }
    }

    fn avec_purge() -> SledMoteur {
        SledMoteur { purge: true, ..SledMoteur::new() }
    }

    fn demarrer(&mut self, store: Store) -> Arc<dyn Depot> {
        if self.purge {
            store.activer_purge(std::time::Duration::ZERO).unwrap();
        }
        self.store = Some(store.clone());
        Arc::new(store)
    }

    fn key(&self) -> MasterKey {
        MasterKey::load(&self.cle.path().join("cle")).unwrap()
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

impl Moteur for SledMoteur {
    fn nom(&self) -> &'static str {
        if self.purge {
            "sled réécrit après chaque effacement"
        } else {
            "sled"
        }
    }

    fn ouvrir(&mut self) -> Arc<dyn Depot> {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), self.key()).unwrap();
        self.dirs.push(dir);
        self.demarrer(store)
    }

    fn crash(&mut self, depot: Arc<dyn Depot>) -> Arc<dyn Depot> {
        // A copy of files that a rewrite is replacing is no instant of them: the copy waits for
        // it (tests/store_crash.rs kills a process during rewrites).
        if let Some(store) = self.store.take().filter(|_| self.purge) {
            assert!(store.attendre_purge(std::time::Duration::from_secs(30)), "réécriture sans fin");
        }
        let from = self.dirs.last().unwrap().path().to_path_buf();
        let copy = tempfile::tempdir().unwrap();
        copy_dir(&from, copy.path());
        drop(depot);
        let store = Store::open(copy.path(), self.key()).unwrap();
        self.dirs.push(copy);
        self.demarrer(store)
    }

    fn fichiers_de_pieces(&self) -> usize {
        fn compter(dir: &Path) -> usize {
            std::fs::read_dir(dir)
                .map(|it| it.flatten().map(|e| if e.path().is_dir() { compter(&e.path()) } else { 1 }).sum::<usize>())
                .unwrap_or(0)
        }
        compter(&self.dirs.last().unwrap().path().join("pieces"))
    }
}

/// One stored application in the model.
#[derive(Clone, Debug, PartialEq)]
struct Stockee {
    attributs: Attributs,
    versions: Vec<(VersionInfo, Vec<u8>)>,
    index: Vec<CleIndex>,
}

/// The contract, in memory. `contenus` (blobs the test wrote, by name) is what a deposit will
/// record, not something the store shows: it is left out of comparisons.
#[derive(Clone, Debug, Default)]
struct Modele {
    contenus: BTreeMap<String, Vec<u8>>,
    demandes: BTreeMap<String, Stockee>,
    effaces: BTreeMap<String, Effacement>,
    journal: BTreeMap<String, Vec<Acces>>,
    sequences: BTreeMap<String, u64>,
    /// Pieces by id, with their content.
    pieces: BTreeMap<String, (Piece, Vec<u8>)>,
    /// Last piece change per application.
    maj_pieces: BTreeMap<String, time::OffsetDateTime>,
    /// Events by id.
    evenements: BTreeMap<u64, Evenement>,
    /// Event types, in the store's order (national first, then by territory and code).
    types: BTreeMap<(String, String), TypeEvenement>,
    /// Staff accounts by login.
    agents: BTreeMap<String, Agent>,
    /// Applicants' access codes (keyed hashes) by application.
    codes: BTreeMap<String, String>,
}

impl PartialEq for Modele {
    fn eq(&self, o: &Modele) -> bool {
        (&self.demandes, &self.effaces, &self.journal, &self.sequences, &self.pieces, &self.maj_pieces)
            == (&o.demandes, &o.effaces, &o.journal, &o.sequences, &o.pieces, &o.maj_pieces)
            && (&self.evenements, &self.types, &self.agents, &self.codes)
                == (&o.evenements, &o.types, &o.agents, &o.codes)
    }
}

#[derive(Debug, PartialEq)]
enum Issue {
    Ok,
    Existe,
    Inconnue,
    Conflit,
    Unique,
}

fn issue(r: &Result<(), DepotError>) -> Issue {
    match r {
        Ok(()) => Issue::Ok,
        Err(DepotError::Existe(_)) => Issue::Existe,
        Err(DepotError::Inconnue(_)) => Issue::Inconnue,
        Err(DepotError::Conflit { .. }) => Issue::Conflit,
        Err(DepotError::Unique { .. }) => Issue::Unique,
        Err(e) => panic!("erreur inattendue : {e}"),
    }
}

impl Modele {
    /// Applies a transaction to a copy; the copy replaces the model only if every write holds.
    /// Whether a unique entry of `index` is held by another application.
    fn unique_pris(&self, num: &str, index: &[CleIndex]) -> bool {
        index.iter().filter(|c| c.unique).any(|c| {
            self.demandes
                .iter()
                .any(|(n, d)| n != num && d.index.iter().any(|x| x.index == c.index && x.valeur == c.valeur))
        })
    }

    fn appliquer(&mut self, t: &Transaction) -> Issue {
        let mut m = self.clone();
        for e in &t.ecritures {
            match e {
                Ecriture::Creer { num, attributs, info, contenu, index } => {
                    if m.demandes.contains_key(num) || m.effaces.contains_key(num) {
                        return Issue::Existe;
                    }
                    if m.unique_pris(num, index) {
                        return Issue::Unique;
                    }
                    m.demandes.insert(
                        num.clone(),
                        Stockee {
                            attributs: attributs.clone(),
                            versions: vec![(info.clone(), contenu.0.clone())],
                            index: dedup(index),
                        },
                    );
                }
                Ecriture::Remplacer { num, lue, attributs, info, contenu, index } => {
                    let Some(d) = m.demandes.get_mut(num) else { return Issue::Inconnue };
                    if d.versions.len() as u32 != *lue {
                        return Issue::Conflit;
                    }
                    let pris = m.unique_pris(num, index);
                    let Some(d) = m.demandes.get_mut(num) else { return Issue::Inconnue };
                    if pris {
                        return Issue::Unique;
                    }
                    d.attributs = attributs.clone();
                    d.versions.push((info.clone(), contenu.0.clone()));
                    d.index = dedup(index);
                }
                Ecriture::Effacer { num, lue, effacement } => {
                    let Some(d) = m.demandes.get(num) else { return Issue::Inconnue };
                    if d.versions.len() as u32 != *lue {
                        return Issue::Conflit;
                    }
                    m.demandes.remove(num);
                    m.effaces.insert(num.clone(), effacement.clone());
                    m.evenements.retain(|_, e| e.num != *num);
                    m.pieces.retain(|_, (p, _)| p.num != *num);
                    m.maj_pieces.remove(num);
                    m.codes.remove(num);
                }
                Ecriture::Indexer { num, retirer, ajouter } => {
                    let Some(d) = m.demandes.get(num) else { return Issue::Inconnue };
                    let mut index: Vec<CleIndex> = d
                        .index
                        .iter()
                        .filter(|e| !retirer.iter().any(|r| r.index == e.index && r.valeur == e.valeur))
                        .cloned()
                        .collect();
                    index.extend(ajouter.iter().cloned());
                    // An entry added twice in one write takes the last one's uniqueness.
                    let derniers: Vec<CleIndex> = ajouter
                        .iter()
                        .enumerate()
                        .filter(|(i, c)| !ajouter[i + 1..].iter().any(|d| d.index == c.index && d.valeur == c.valeur))
                        .map(|(_, c)| c.clone())
                        .collect();
                    if m.unique_pris(num, &derniers) {
                        return Issue::Unique;
                    }
                    let Some(d) = m.demandes.get_mut(num) else { return Issue::Inconnue };
                    d.index = dedup(&index);
                }
                Ecriture::EcrireEvenement { evenement, lue } => {
                    if !m.demandes.contains_key(&evenement.num) {
                        return Issue::Inconnue;
                    }
                    match (lue, m.evenements.get(&evenement.id)) {
                        (None, None) => {}
                        (None, Some(_)) => return Issue::Existe,
                        (Some(lue), Some(e)) if e.num == evenement.num => {
                            if e.version != *lue {
                                return Issue::Conflit;
                            }
                        }
                        (Some(_), _) => return Issue::Inconnue,
                    }
                    m.evenements.insert(evenement.id, evenement.clone());
                }
                Ecriture::RetirerEvenement { num, id, lue } => match m.evenements.get(id) {
                    Some(e) if e.num == *num => {
                        if e.version != *lue {
                            return Issue::Conflit;
                        }
                        m.evenements.remove(id);
                    }
                    _ => return Issue::Inconnue,
                },
                Ecriture::EcrireTypeEvenement(t) => {
                    let cle = (t.territoire.clone().unwrap_or_else(|| "*".into()), t.code.clone());
                    m.types.insert(cle, t.clone());
                }
                Ecriture::EcrireAgent(a) => {
                    m.agents.insert(a.login.clone(), a.clone());
                }
                Ecriture::DefinirCodeAcces { num, empreinte } => {
                    if !m.demandes.contains_key(num) {
                        return Issue::Inconnue;
                    }
                    m.codes.insert(num.clone(), empreinte.clone());
                }
                Ecriture::Journaliser(a) => m.journal.entry(a.num.clone()).or_default().push(a.clone()),
                Ecriture::AjouterPiece(p) => {
                    if !m.demandes.contains_key(&p.num) {
                        return Issue::Inconnue;
                    }
                    if m.pieces.contains_key(&p.id) {
                        return Issue::Existe;
                    }
                    let contenu = self.contenus.get(&p.blob).cloned().expect("blob écrit par le test");
                    m.maj_pieces.insert(p.num.clone(), p.modifiee_le);
                    m.pieces.insert(p.id.clone(), (p.clone(), contenu));
                }
                Ecriture::RemplacerPiece(p) => {
                    let Some((actuelle, contenu)) = m.pieces.get(&p.id).cloned() else { return Issue::Inconnue };
                    if actuelle.num != p.num || actuelle.blob != p.blob {
                        return Issue::Inconnue;
                    }
                    m.maj_pieces.insert(p.num.clone(), p.modifiee_le);
                    m.pieces.insert(p.id.clone(), (p.clone(), contenu));
                }
                Ecriture::RetirerPiece { num, id, horodatage } => {
                    if m.pieces.get(id).is_none_or(|(p, _)| p.num != *num) {
                        return Issue::Inconnue;
                    }
                    m.pieces.remove(id);
                    m.maj_pieces.insert(num.clone(), *horodatage);
                }
            }
        }
        *self = m;
        Issue::Ok
    }
}

/// Index entries as a reader sees them: (index, value) pairs, without duplicates (uniqueness is a
/// constraint on writes, not something a scan shows), each with the number written last for it.
fn dedup(index: &[CleIndex]) -> Vec<CleIndex> {
    let mut derniers = std::collections::BTreeMap::new();
    for c in index {
        derniers.insert((c.index.clone(), c.valeur.clone()), c.donnee);
    }
    derniers.into_iter().map(|((i, v), d)| CleIndex::avec(&i, v, d)).collect()
}

const NUMS: [&str; 5] = ["1110126000001G1104", "1110126000002G1104", "1110126000003G2204", "N4", "N5"];
const INDEXES: [&str; 2] = ["expiration", "commune"];
const VALEURS: [&str; 5] = ["2027-01-01", "2027-01-02", "31555", "315", "31555A"];
const SEQUENCES: [&str; 2] = ["1110126", "2220126"];

fn attributs(rng: &mut StdRng) -> Attributs {
    let radiee = rng.gen_bool(0.3);
    Attributs {
        territoire: ["111", "222"][rng.gen_range(0..2)].into(),
        guichet: "G1104".into(),
        etat: if radiee { Etat::Radiee } else { Etat::Active },
        date_depot: date!(2026 - 01 - 15),
        date_enregistrement: date!(2026 - 01 - 16),
        date_renouvellement: rng.gen_bool(0.5).then_some(date!(2026 - 12 - 01)),
        date_expiration: date!(2027 - 01 - 15),
        radiation: radiee.then(|| Radiation {
            date: date!(2026 - 06 - 01),
            motif: "RADABA".into(),
            enregistree_le: date!(2026 - 06 - 02),
            type_reservataire: None,
        }),
        communes: (0..rng.gen_range(0..3)).map(|i| format!("3155{i}")).collect(),
        num_associe: rng.gen_bool(0.2).then(|| NUMS[0].to_string()),
        statut_dalo: None,
        date_dalo: None,
        decision_dalo: None,
        cle_ref_interne: None,
    }
}

fn index(rng: &mut StdRng) -> Vec<CleIndex> {
    (0..rng.gen_range(0..4))
        .map(|_| {
            // Mostly no number kept (an empty value in the store), sometimes one.
            let donnee = if rng.gen_bool(0.7) { 0 } else { rng.gen_range(1..4) };
            let c = CleIndex::avec(INDEXES[rng.gen_range(0..2)], VALEURS[rng.gen_range(0..VALEURS.len())], donnee);
            CleIndex { unique: rng.gen_bool(0.2), ..c }
        })
        .collect()
}

fn contenu(rng: &mut StdRng) -> Contenu {
    let len = rng.gen_range(0..200);
    Contenu((0..len).map(|_| rng.gen()).collect())
}

fn info(version: u32, step: usize) -> VersionInfo {
    VersionInfo {
        version,
        type_fichier: if version == 1 { "CRE" } else { "MOD" }.into(),
        auteur: "G1104".into(),
        horodatage: datetime!(2026-01-16 09:00 UTC) + time::Duration::seconds(step as i64),
    }
}

/// A random event write: a creation, a change (mostly at the version stored) or a removal, of
/// one of four ids, sometimes on another application.
fn evenement(rng: &mut StdRng, modele: &Modele, num: String, step: usize) -> Ecriture {
    let id = rng.gen_range(1..=4u64);
    let existant = modele.evenements.get(&id);
    let lue = match existant {
        Some(e) if rng.gen_bool(0.8) => Some(e.version),
        Some(e) if rng.gen_bool(0.5) => Some(e.version + 1),
        _ if rng.gen_bool(0.2) => Some(1),
        _ => None,
    };
    let num = match existant {
        Some(e) if rng.gen_bool(0.8) => e.num.clone(),
        _ => num,
    };
    if let (Some(lue), true) = (lue, rng.gen_bool(0.25)) {
        return Ecriture::RetirerEvenement { num, id, lue };
    }
    let t = horodatage(step);
    Ecriture::EcrireEvenement {
        evenement: Evenement {
            id,
            num,
            version: lue.map_or(1, |v| v + 1),
            code_type: "VISITE".into(),
            reglementaire: rng.gen_bool(0.2),
            creation: ("G1104".into(), t),
            modifications: (0..lue.unwrap_or(1) - 1)
                .map(|_| ModificationEvenement { auteur: "G1104".into(), horodatage: t, nature: "MODIF".into() })
                .collect(),
            date_survenance: rng.gen_bool(0.5).then_some(date!(2026 - 01 - 20)),
            commentaire: rng.gen_bool(0.5).then(|| Contenu(format!("visite {step}").into_bytes())),
            valeurs: vec![("LIEU".into(), Contenu(b"sur place".to_vec()))],
        },
        lue,
    }
}

/// A random write, well-formed; its version may be stale or its number unknown.
fn ecriture(rng: &mut StdRng, modele: &Modele, step: usize) -> Ecriture {
    let num = NUMS[rng.gen_range(0..NUMS.len())].to_string();
    let actuelle = modele.demandes.get(&num).map_or(0, |d| d.versions.len() as u32);
    // Mostly the version the model holds, sometimes a stale or future one.
    let lue = match rng.gen_range(0..10) {
        0 => actuelle.saturating_sub(1),
        1 => actuelle + 1,
        _ => actuelle,
    };
    match rng.gen_range(0..15) {
        10 | 11 => evenement(rng, modele, num, step),
        13 => Ecriture::EcrireAgent(Agent {
            login: ["martin", "durand"][rng.gen_range(0..2)].into(),
            nom: format!("agent {step}"),
            rattachement: "G1104".into(),
            hachage: format!("$argon2id$v=19$m=19456,t=2,p=1$sel{step}$h"),
            actif: rng.gen_bool(0.7),
            cree_le: time::macros::datetime!(2026-01-02 10:00 UTC),
            modifie_le: time::macros::datetime!(2026-01-02 10:00 UTC) + time::Duration::seconds(step as i64),
        }),
        14 => Ecriture::DefinirCodeAcces { num, empreinte: format!("{step:064x}") },
        12 => Ecriture::EcrireTypeEvenement(TypeEvenement {
            code: ["VISITE", "PROPOS"][rng.gen_range(0..2)].into(),
            territoire: [None, Some("111".to_string())][rng.gen_range(0..2)].clone(),
            libelle: format!("libellé {step}"),
            texte_pgp: "pgp".into(),
            texte_sne: "sne".into(),
            a_publier: rng.gen_bool(0.5),
            multiples_attributions: false,
            recherche_instruction: true,
            reglementaire: rng.gen_bool(0.3),
            debut_validite: Some(date!(2020 - 01 - 01)),
            fin_validite: None,
            caracteristiques: vec![CaracteristiqueType {
                code: "LIEU".into(),
                libelle: "Lieu".into(),
                type_valeur: "TXT".into(),
                obligatoire: rng.gen_bool(0.5),
                texte_descriptif: "où".into(),
                aide_a_la_saisie: "adresse".into(),
                debut_validite: None,
                fin_validite: None,
            }],
        }),
        0..=2 => Ecriture::Creer {
            num,
            attributs: attributs(rng),
            info: info(1, step),
            contenu: contenu(rng),
            index: index(rng),
        },
        3..=5 => Ecriture::Remplacer {
            num,
            lue,
            attributs: attributs(rng),
            info: info(lue + 1, step),
            contenu: contenu(rng),
            index: index(rng),
        },
        6 if rng.gen_bool(0.5) => {
            // Removals name entries it holds and entries it does not.
            let tenues = modele.demandes.get(&num).map(|d| d.index.clone()).unwrap_or_default();
            let retirer = tenues.into_iter().take(rng.gen_range(0..3)).chain(index(rng)).collect();
            Ecriture::Indexer { num, retirer, ajouter: index(rng) }
        }
        6 => Ecriture::Effacer {
            num,
            lue,
            effacement: Effacement {
                territoire: "111".into(),
                guichet: "G1104".into(),
                horodatage: datetime!(2027-06-02 03:00 UTC),
                motif: "radiée depuis un an".into(),
            },
        },
        _ => Ecriture::Journaliser(Acces {
            num,
            horodatage: datetime!(2026-02-01 10:00 UTC) + time::Duration::seconds(step as i64),
            qui: ["G1104", "G2204", "systeme"][rng.gen_range(0..3)].into(),
            operation: "getDemandeLogement".into(),
        }),
    }
}

fn horodatage(step: usize) -> time::OffsetDateTime {
    datetime!(2026-03-01 10:00 UTC) + time::Duration::seconds(step as i64)
}

/// A random piece write: a deposit (its content written to a blob first, in random pieces), a
/// qualification or a removal, sometimes of an unknown piece or application. `None` when the
/// blob could not be started (the application is not stored, as the model agrees).
fn piece(rng: &mut StdRng, depot: &dyn Depot, modele: &mut Modele, step: usize) -> Option<Transaction> {
    let num = NUMS[rng.gen_range(0..NUMS.len())].to_string();
    let connue = modele.pieces.values().map(|(p, _)| p.clone()).nth(rng.gen_range(0..modele.pieces.len().max(1)));
    let id_inconnu = format!("PJ{}", hex::encode(rng.gen::<[u8; 12]>()));
    match rng.gen_range(0..10) {
        0..=5 => {
            let mut blob = match depot.ecrire_blob(&num) {
                Ok(b) => b,
                Err(DepotError::Inconnue(_)) => {
                    assert!(!modele.demandes.contains_key(&num), "blob refusé pour {num}, qui existe");
                    return None;
                }
                Err(e) => panic!("ecrire_blob : {e}"),
            };
            assert!(modele.demandes.contains_key(&num), "blob accepté pour {num}, inconnu");
            let taille = [0, 1, 65_535, 65_536, 65_537, rng.gen_range(0..200_000)][rng.gen_range(0..6)];
            let contenu: Vec<u8> = (0..taille).map(|_| rng.gen()).collect();
            let mut reste = &contenu[..];
            while !reste.is_empty() {
                let n = rng.gen_range(1..=reste.len().min(100_000));
                blob.ecrire(&reste[..n]).unwrap();
                reste = &reste[n..];
            }
            if rng.gen_bool(0.1) {
                // Dropped unfinished: nothing is left of it.
                return None;
            }
            let nom = blob.terminer().unwrap();
            modele.contenus.insert(nom.clone(), contenu);
            if rng.gen_bool(0.1) {
                // Finished, never recorded (a crash before the commit): an orphan until restart.
                return None;
            }
            let id = match &connue {
                Some(p) if rng.gen_bool(0.1) => p.id.clone(),
                _ => id_inconnu,
            };
            let t = horodatage(step);
            Some(Transaction::une(Ecriture::AjouterPiece(Piece {
                id,
                num,
                categorie: ["IDENTITE", "SANTE", "REVENUS"][rng.gen_range(0..3)].into(),
                sensible: rng.gen_bool(0.3),
                personne: ["DEM", "COT1", "PAC2"][rng.gen_range(0..3)].into(),
                nom_fichier: Contenu(format!("scan-{step}.pdf").into_bytes()),
                content_type: "application/pdf".into(),
                taille: taille as u64,
                empreinte: format!("{step:064x}"),
                deposee_le: t,
                deposant: "G1104".into(),
                date_document: rng.gen_bool(0.5).then_some(date!(2026 - 01 - 10)),
                statut: "DEPOSEE".into(),
                motif_statut: None,
                modifiee_le: t,
                blob: nom,
            })))
        }
        6..=7 => {
            let mut p = match connue {
                Some(p) if rng.gen_bool(0.9) => p,
                Some(p) => Piece { id: id_inconnu, ..p },
                None => return None,
            };
            p.statut = "INEXPLOITABLE".into();
            p.motif_statut = rng.gen_bool(0.5).then(|| Contenu(b"illisible".to_vec()));
            p.modifiee_le = horodatage(step);
            Some(Transaction::une(Ecriture::RemplacerPiece(p)))
        }
        _ => {
            let (num, id) = match connue {
                Some(p) if rng.gen_bool(0.9) => (p.num, p.id),
                _ => (num, id_inconnu),
            };
            Some(Transaction::une(Ecriture::RetirerPiece { num, id, horodatage: horodatage(step) }))
        }
    }
}

/// Everything the contract lets a reader see, read through the engine.
fn observer(depot: &dyn Depot) -> Modele {
    let mut m = Modele::default();
    for num in NUMS {
        if let Some(f) = depot.lire(num).unwrap() {
            let entete = depot.entete(num).unwrap().expect("entete of a stored application");
            assert_eq!((entete.version, &entete.attributs), (f.version, &f.attributs), "{num}: entete ≠ lire");
            let infos = depot.versions(num).unwrap();
            assert_eq!(infos.len() as u32, f.version, "{num}: versions");
            let versions: Vec<_> = infos
                .into_iter()
                .map(|i| {
                    let c = depot.contenu_version(num, i.version).unwrap().expect("every version's content");
                    (i, c.0)
                })
                .collect();
            assert_eq!(versions.last().unwrap().1, f.contenu.0, "{num}: current content = last version's");
            m.demandes.insert(num.to_string(), Stockee { attributs: f.attributs, versions, index: Vec::new() });
        } else {
            assert!(depot.entete(num).unwrap().is_none());
            assert!(depot.versions(num).unwrap().is_empty());
        }
        if let Some(e) = depot.effacement(num).unwrap() {
            m.effaces.insert(num.to_string(), e);
        }
        let journal = depot.journal(num).unwrap();
        if !journal.is_empty() {
            m.journal.insert(num.to_string(), journal);
        }
        for p in depot.pieces(num).unwrap() {
            let mut contenu = Vec::new();
            std::io::Read::read_to_end(&mut depot.lire_blob(&p).unwrap(), &mut contenu).unwrap();
            assert_eq!(depot.piece(&p.id).unwrap().as_ref(), Some(&p), "{num}: piece(id) ≠ pieces(num)");
            m.pieces.insert(p.id.clone(), (p, contenu));
        }
        if let Some(maj) = depot.modification_pieces(num).unwrap() {
            m.maj_pieces.insert(num.to_string(), maj);
        }
    }
    assert!(depot.piece(&format!("PJ{}", "0".repeat(24))).unwrap().is_none());
    for num in NUMS {
        for e in depot.evenements(num).unwrap() {
            assert_eq!(depot.evenement(e.id).unwrap().as_ref(), Some(&e), "{num}: evenement(id) ≠ evenements(num)");
            m.evenements.insert(e.id, e);
        }
    }
    assert!(depot.evenement(99).unwrap().is_none());
    for a in depot.agents().unwrap() {
        assert_eq!(depot.agent(&a.login).unwrap().as_ref(), Some(&a), "agent(login) ≠ agents()");
        assert!(m.agents.keys().last().is_none_or(|k| *k < a.login), "agents hors d'ordre");
        m.agents.insert(a.login.clone(), a);
    }
    assert!(depot.agent("personne").unwrap().is_none());
    for num in NUMS {
        if let Some(c) = depot.code_acces(num).unwrap() {
            m.codes.insert(num.to_string(), c);
        }
    }
    let types = depot.types_evenements().unwrap();
    for t in types {
        let cle = (t.territoire.clone().unwrap_or_else(|| "*".into()), t.code.clone());
        assert!(m.types.keys().last().is_none_or(|k| *k < cle), "types hors d'ordre");
        m.types.insert(cle, t);
    }
    // Index entries, read back per application from complete scans.
    for nom in INDEXES {
        let tout = depot.parcourir(nom, &Plage::default(), 1000).unwrap();
        assert!(tout.suite.is_none());
        for e in &tout.entrees {
            let d = m.demandes.get_mut(&e.num).unwrap_or_else(|| panic!("index {nom} → {} absent", e.num));
            d.index.push(CleIndex::avec(nom, e.valeur.clone(), e.donnee));
        }
        // A seek lands on an entry, or right after it.
        for (i, e) in tout.entrees.iter().enumerate() {
            let depuis =
                |num: String| Plage { depuis: Some(Curseur { valeur: e.valeur.clone(), num }), ..Plage::default() };
            assert_eq!(depot.parcourir(nom, &depuis(e.num.clone()), 1000).unwrap().entrees, tout.entrees[i..]);
            let juste_apres = depot.parcourir(nom, &depuis(format!("{}\u{1}", e.num)), 1000).unwrap().entrees;
            assert_eq!(juste_apres, tout.entrees[i + 1..], "{nom}: seek after {e:?}");
        }
        // Paging by two gives the same entries.
        let mut pages = Vec::new();
        let mut apres: Option<Curseur> = None;
        loop {
            let p = depot.parcourir(nom, &Plage { apres: apres.clone(), ..Plage::default() }, 2).unwrap();
            pages.extend(p.entrees.clone());
            match p.suite {
                Some(c) => apres = Some(c),
                None => break,
            }
        }
        assert_eq!(pages, tout.entrees, "paged scan of {nom}");
        // Exact and range lookups agree with filtering the full scan.
        for v in VALEURS {
            let egale = depot.parcourir(nom, &Plage::egale(v), 1000).unwrap().entrees;
            let attendu: Vec<_> = tout.entrees.iter().filter(|e| e.valeur == v).cloned().collect();
            assert_eq!(egale, attendu, "{nom} = {v}");
            let plage = depot.parcourir(nom, &Plage::entre("2027-01-02", "315"), 1000).unwrap().entrees;
            let attendu: Vec<_> = tout
                .entrees
                .iter()
                .filter(|e| e.valeur.as_str() >= "2027-01-02" && e.valeur.as_str() < "315")
                .cloned()
                .collect();
            assert_eq!(plage, attendu, "{nom} in [2027-01-02, 315)");
        }
    }
    for d in m.demandes.values_mut() {
        d.index.sort();
    }
    let numeros = depot.numeros(None, 1000).unwrap();
    assert_eq!(numeros, m.demandes.keys().cloned().collect::<Vec<_>>(), "numeros");
    for s in SEQUENCES {
        let v = depot.sequence_actuelle(s).unwrap();
        if v > 0 {
            m.sequences.insert(s.to_string(), v);
        }
    }
    m
}

/// Runs `steps` random steps; returns how many writes ended in each outcome (`Issue` as text).
fn run(moteur: &mut dyn Moteur, seed: u64, steps: usize) -> BTreeMap<String, usize> {
    let mut issues = BTreeMap::new();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut depot = moteur.ouvrir();
    let mut modele = Modele::default();
    // States since the last acknowledged `durable()`: after a crash, the engine shows one of them.
    let mut depuis_durable = vec![modele.clone()];
    // Sequence values as the last acknowledged `durable()` left them (compared on their own).
    let mut sequences_acquittees = BTreeMap::new();
    let mut crashes = 0;
    let nom = moteur.nom();
    for step in 0..steps {
        let ctx = || format!("{nom} graine {seed} étape {step}");
        match rng.gen_range(0..100) {
            60..=69 => {
                if let Some(t) = piece(&mut rng, depot.as_ref(), &mut modele, step) {
                    let attendu = modele.appliquer(&t);
                    let obtenu = issue(&depot.appliquer(t.clone()));
                    assert_eq!(obtenu, attendu, "{}: {t:?}", ctx());
                    *issues.entry(format!("pièce {obtenu:?}")).or_insert(0) += 1;
                    match (&t.ecritures[0], attendu == Issue::Ok) {
                        (_, true) => depuis_durable.push(modele.clone()),
                        // Usually the operation destroys a refused deposit's blob; otherwise it is
                        // an orphan, gone at the next start.
                        (Ecriture::AjouterPiece(p), false) if rng.gen_bool(0.7) => {
                            depot.abandonner_blob(&p.blob).unwrap()
                        }
                        _ => {}
                    }
                }
            }
            0..=59 => {
                let n = if rng.gen_bool(0.25) { 2 } else { 1 };
                let t = Transaction { ecritures: (0..n).map(|_| ecriture(&mut rng, &modele, step)).collect() };
                let attendu = modele.appliquer(&t);
                let obtenu = issue(&depot.appliquer(t.clone()));
                assert_eq!(obtenu, attendu, "{}: {t:?}", ctx());
                *issues.entry(format!("{obtenu:?}")).or_insert(0) += 1;
                if attendu == Issue::Ok {
                    depuis_durable.push(modele.clone());
                }
            }
            70..=79 => {
                let nom = SEQUENCES[rng.gen_range(0..2)];
                let v = depot.sequence_suivante(nom).unwrap();
                let attendu = modele.sequences.get(nom).copied().unwrap_or(0) + 1;
                assert_eq!(v, attendu, "{}: séquence {nom}", ctx());
                modele.sequences.insert(nom.to_string(), v);
            }
            80..=88 => {
                runtime.block_on(depot.durable()).unwrap();
                depuis_durable = vec![modele.clone()];
                sequences_acquittees = modele.sequences.clone();
            }
            89..=93 => {
                // A read's journal entry: on disk when acknowledged, with every write before it.
                let num = NUMS[rng.gen_range(0..NUMS.len())];
                let acces = Acces {
                    num: num.to_string(),
                    horodatage: horodatage(step),
                    qui: "G1104".into(),
                    operation: format!("lecture/{step}"),
                };
                runtime.block_on(depot.journaliser(vec![acces.clone()])).unwrap();
                modele.journal.entry(num.to_string()).or_default().push(acces);
                depuis_durable = vec![modele.clone()];
                sequences_acquittees = modele.sequences.clone();
            }
            _ => {
                let acquittees = sequences_acquittees.clone();
                depot = moteur.crash(depot);
                crashes += 1;
                let mut vu = observer(depot.as_ref());
                // A sequence never goes below what a durable() acknowledged; values handed out
                // after it may be handed out again, since nothing using them was acknowledged.
                for (nom, v) in &acquittees {
                    assert!(vu.sequences.get(nom).copied().unwrap_or(0) >= *v, "{}: séquence {nom} recule", ctx());
                }
                let sequences = vu.sequences.clone();
                vu.sequences = BTreeMap::new();
                let position = depuis_durable.iter().position(|s| {
                    let mut s = s.clone();
                    s.sequences = BTreeMap::new();
                    s == vu
                });
                let Some(position) = position else {
                    panic!(
                        "{}: après la panne, l'état n'est aucun de ceux acquittés ou postérieurs ({} candidats)\nvu : {vu:#?}\ndernier acquitté : {:#?}",
                        ctx(),
                        depuis_durable.len(),
                        depuis_durable[0]
                    );
                };
                let contenus = std::mem::take(&mut modele.contenus);
                modele = depuis_durable[position].clone();
                modele.contenus = contenus;
                modele.sequences = sequences;
                // The restart removed every unfinished or unrecorded content.
                assert_eq!(moteur.fichiers_de_pieces(), modele.pieces.len(), "{}: contenus orphelins", ctx());
                depuis_durable = vec![modele.clone()];
                sequences_acquittees = modele.sequences.clone();
                continue;
            }
        }
        let mut vu = observer(depot.as_ref());
        vu.sequences = modele.sequences.clone();
        assert_eq!(vu, modele, "{}", ctx());
    }
    assert!(crashes > 0, "graine {seed} : aucune panne simulée");
    issues
}

#[test]
fn sled_conforms_to_the_storage_contract() {
    let mut issues: BTreeMap<String, usize> = BTreeMap::new();
    for seed in 0..6 {
        let mut moteur = SledMoteur::new();
        for (k, v) in run(&mut moteur, seed, 250) {
            *issues.entry(k).or_insert(0) += v;
        }
    }
    // Every outcome of a write was exercised, or the suite proves less than it says.
    for issue in ["Ok", "Existe", "Inconnue", "Conflit", "Unique", "pièce Ok", "pièce Existe", "pièce Inconnue"] {
        assert!(issues.get(issue).copied().unwrap_or(0) > 0, "aucune écriture {issue} : {issues:?}");
    }
}

/// The same while the store rewrites its files after each erasure: nothing observable changes.
#[test]
fn sled_rewritten_after_each_erasure_conforms_too() {
    for seed in 100..103 {
        let mut moteur = SledMoteur::avec_purge();
        let issues = run(&mut moteur, seed, 250);
        let dir = moteur.dirs.last().unwrap().path();
        assert!(dir.join("moteur.actuel").exists(), "graine {seed} : aucune réécriture ({issues:?})");
    }
}

#[test]
fn a_transaction_with_one_failing_write_changes_nothing() {
    let mut moteur = SledMoteur::new();
    let depot = moteur.ouvrir();
    let mut rng = StdRng::seed_from_u64(42);
    let creer = |num: &str, rng: &mut StdRng| Ecriture::Creer {
        num: num.into(),
        attributs: attributs(rng),
        info: info(1, 0),
        contenu: contenu(rng),
        index: vec![CleIndex::new("commune", "31555")],
    };
    depot.appliquer(Transaction::une(creer(NUMS[0], &mut rng))).unwrap();
    let avant = observer(depot.as_ref());
    let err = depot.appliquer(Transaction { ecritures: vec![creer(NUMS[1], &mut rng), creer(NUMS[0], &mut rng)] });
    assert!(matches!(err, Err(DepotError::Existe(n)) if n == NUMS[0]));
    assert_eq!(observer(depot.as_ref()), avant, "the first write of the failed transaction stayed");
}
