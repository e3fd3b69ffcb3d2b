//! Store-level tests over a real sled directory. The behaviour every engine shares is in the
//! conformance suite (`tests/conformance.rs`); these are about this engine's bytes and files.

use super::*;
use crate::registry::depot::Etat;
use std::collections::HashSet;

const CONTENU: &[u8] = b"<demande><nom>DUPONTEL</nom><revenu>18234</revenu></demande>";
const IDENTITE: &str = "DUPONTEL|JEANNE|1980-01-31";

fn attributs() -> Attributs {
    Attributs {
        territoire: "111".into(),
        guichet: "G1104".into(),
        etat: Etat::Active,
        date_depot: time::macros::date!(2026 - 11 - 02),
        date_enregistrement: time::macros::date!(2026 - 11 - 02),
        date_renouvellement: None,
        date_expiration: time::macros::date!(2027 - 11 - 02),
        radiation: None,
        communes: vec!["31555".into()],
        num_associe: None,
        statut_dalo: None,
        date_dalo: None,
        decision_dalo: None,
        cle_ref_interne: None,
    }
}

fn info(version: u32) -> VersionInfo {
    VersionInfo {
        version,
        type_fichier: if version == 1 { "CRE" } else { "MOD" }.into(),
        auteur: "G1104".into(),
        horodatage: time::macros::datetime!(2026-11-02 10:00 UTC),
    }
}

fn creer(store: &Store, num: &str, contenu: &[u8], identites: &[&str]) -> Result<(), DepotError> {
    let index = identites.iter().map(|i| CleIndex::new("identite", store.empreinte(i))).collect();
    store.appliquer(Transaction::une(Ecriture::Creer {
        num: num.into(),
        attributs: attributs(),
        info: info(1),
        contenu: Contenu(contenu.to_vec()),
        index,
    }))
}

fn remplacer(store: &Store, num: &str, lue: u32, contenu: &[u8]) -> Result<(), DepotError> {
    store.appliquer(Transaction::une(Ecriture::Remplacer {
        num: num.into(),
        lue,
        attributs: attributs(),
        info: info(lue + 1),
        contenu: Contenu(contenu.to_vec()),
        index: vec![CleIndex::new("identite", store.empreinte(IDENTITE))],
    }))
}

fn effacer(store: &Store, num: &str, lue: u32) -> Result<(), DepotError> {
    store.appliquer(Transaction::une(Ecriture::Effacer {
        num: num.into(),
        lue,
        effacement: Effacement {
            territoire: "111".into(),
            guichet: "G1104".into(),
            horodatage: time::macros::datetime!(2027-11-02 10:00 UTC),
            motif: "radiée depuis un an".into(),
        },
    }))
}

fn fixed_key(byte: u8) -> MasterKey {
    MasterKey::from_bytes([byte; 32])
}

fn identite(store: &Store, valeur: &str) -> Vec<String> {
    store
        .parcourir("identite", &Plage::egale(&store.empreinte(valeur)), 100)
        .unwrap()
        .entrees
        .into_iter()
        .map(|e| e.num)
        .collect()
}

#[test]
fn invalid_numbers_and_index_values_are_refused_before_touching_keys() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), fixed_key(1)).unwrap();
    for bad in ["", "a/b", "é", &"1".repeat(65)] {
        assert!(matches!(creer(&store, bad, CONTENU, &[]), Err(DepotError::Argument(_))), "{bad:?}");
        assert!(matches!(store.lire(bad), Err(DepotError::Argument(_))));
    }
    let err = store
        .appliquer(Transaction::une(Ecriture::Creer {
            num: "N1".into(),
            attributs: attributs(),
            info: info(1),
            contenu: Contenu(Vec::new()),
            index: vec![CleIndex::new("commune", "31\u{0}555")],
        }))
        .unwrap_err();
    assert!(matches!(err, DepotError::Argument(_)), "{err}");
    assert!(store.lire("N1").unwrap().is_none(), "nothing written");
    assert!(matches!(store.sequence_suivante("a/b"), Err(DepotError::Argument(_))));
}

#[test]
fn wrong_master_key_is_refused_at_open() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path(), fixed_key(1)).unwrap();
        creer(&store, "N1", CONTENU, &[]).unwrap();
    }
    let err = Store::open(dir.path(), fixed_key(2)).unwrap_err();
    assert!(matches!(err, StoreError::WrongMasterKey(_)), "{err}");
    let store = Store::open(dir.path(), fixed_key(1)).unwrap();
    assert!(store.lire("N1").unwrap().is_some());
}

#[test]
fn a_store_open_elsewhere_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let _store = Store::open(dir.path(), fixed_key(1)).unwrap();
    let started = std::time::Instant::now();
    let err = Store::open(dir.path(), fixed_key(1)).unwrap_err();
    assert!(matches!(err, StoreError::Engine(_)), "{err}");
    assert!(started.elapsed() >= engine::LOCK_WAIT);
}

#[test]
fn a_version_moved_under_another_number_fails_to_open() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), fixed_key(1)).unwrap();
    creer(&store, "N1", CONTENU, &[]).unwrap();
    creer(&store, "N2", b"autre", &[]).unwrap();
    let value = store.inner.engine.get(&version_key("N1", 1)).unwrap().unwrap();
    let mut batch = WriteBatch::new();
    batch.put(version_key("N2", 1), value);
    store.inner.engine.apply(batch).unwrap();
    let err = store.lire("N2").unwrap_err();
    assert!(matches!(&err, DepotError::Corrompue { cle, .. } if cle.starts_with("version/N2/")), "{err}");
    assert!(store.verify().unwrap().iter().any(|p| p.contains("demande/N2")), "verify names it");
}

#[test]
fn unknown_store_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path(), fixed_key(1)).unwrap());
    {
        let engine = SledEngine::open(dir.path()).unwrap();
        let mut batch = WriteBatch::new();
        batch.put(META_VERSION.to_vec(), vec![9]);
        engine.apply(batch).unwrap();
        engine.flush().unwrap();
    }
    let err = Store::open(dir.path(), fixed_key(1)).unwrap_err();
    assert!(matches!(&err, StoreError::Corrupt { key, .. } if key == "meta/version"), "{err}");
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Every file under `dir`, read raw.
fn raw_files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut stack = vec![dir.to_path_buf()];
    let mut out = Vec::new();
    while let Some(path) = stack.pop() {
        for entry in std::fs::read_dir(&path).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                out.push((entry.path(), std::fs::read(entry.path()).unwrap()));
            }
        }
    }
    out
}

#[tokio::test]
async fn raw_bytes_hold_neither_content_nor_identity() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path(), fixed_key(3)).unwrap();
        creer(&store, "N1", CONTENU, &[IDENTITE]).unwrap();
        remplacer(&store, "N1", 1, &[CONTENU, b"-v2"].concat()).unwrap();
        store.durable().await.unwrap();
    }
    let needles: [&[u8]; 4] = [CONTENU, IDENTITE.as_bytes(), b"DUPONTEL", b"1980-01-31"];
    let files = raw_files(dir.path());
    assert!(!files.is_empty());
    for (path, bytes) in &files {
        for needle in needles {
            assert!(!contains(bytes, needle), "{} leaks", path.display());
        }
    }
    // The clear counter code is found, so the file scan does see record data.
    assert!(files.iter().any(|(_, b)| contains(b, b"G1104")), "record bytes not found: the scan proves nothing");
}

/// What `num` holds in the engine that no other pair holds, as it would be found in a raw read:
/// each keyed hash of its index entries (the identity's, the search's, 12 to 64 hex digits) and
/// the first 32 bytes of each sealed version.
fn traces(store: &Store, num: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for (key, value) in store.inner.engine.scan_prefix(&version_prefix(num)).unwrap() {
        out.push(decode::<VersionStockee>(&key, &value).unwrap().scelle[..32].to_vec());
    }
    for c in store.index_de(num).unwrap() {
        for part in c.valeur.split('|').filter(|p| p.len() >= 12 && p.bytes().all(|b| b.is_ascii_hexdigit())) {
            out.push(part.as_bytes().to_vec());
        }
    }
    out
}

/// The traces found anywhere in the files under `dir`.
fn trouvees(dir: &Path, traces: &[Vec<u8>]) -> Vec<String> {
    let files = raw_files(dir);
    traces
        .iter()
        .filter(|t| files.iter().any(|(_, b)| contains(b, t)))
        .map(|t| String::from_utf8_lossy(t).into_owned())
        .collect()
}

/// Erasure destroys the application's key: every sealed byte of it left anywhere in the data
/// directory (sled keeps superseded values in its segments) can no longer be opened, even by
/// someone holding the master key and every file. Then the engine's files are rewritten: nothing
/// the application had in the engine is in them any more, not even the keyed hashes of its index
/// entries (which, with the master key, would tell that a given person had an application).
#[tokio::test]
async fn after_erasure_nothing_left_in_the_files_opens() {
    let dir = tempfile::tempdir().unwrap();
    let key = 7;
    {
        let store = Store::open(dir.path(), fixed_key(key)).unwrap();
        // Others around it, so that its entries share pages and segments with theirs.
        for i in 0..60 {
            creer(&store, &format!("A{i}"), b"<autre/>", &[&format!("AUTRE{i}|X|1990-01-01")]).unwrap();
        }
        let h = |v: &str, n: usize| store.empreinte(v)[..n].to_string();
        let recherche = vec![
            CleIndex::new("identite", store.empreinte(IDENTITE)),
            CleIndex::avec("recherche", format!("111|i|{}|20261102", h("recherche|111|i|DUPONTEL|JEANNE", 24)), 1),
            CleIndex::avec("recherche", format!("111|n|{}|20261102", h("recherche|111|n|DUPONTEL", 12)), 1),
            CleIndex::avec("recherche", format!("111|b|{}|20261102", h("recherche|111|b|1980-01-31", 12)), 1),
            CleIndex::unique("refinterne", store.empreinte("G1104|REF-42")),
        ];
        store
            .appliquer(Transaction::une(Ecriture::Creer {
                num: "N1".into(),
                attributs: attributs(),
                info: info(1),
                contenu: Contenu(CONTENU.to_vec()),
                index: recherche,
            }))
            .unwrap();
        creer(&store, "N2", b"<garde/>", &[]).unwrap();
        store.durable().await.unwrap();
        let mut traces = traces(&store, "N1");
        // A second version: its first version's entries are superseded, not erased yet.
        remplacer(&store, "N1", 1, &[CONTENU, b"-v2"].concat()).unwrap();
        store.durable().await.unwrap();
        traces.extend(self::traces(&store, "N1"));
        traces.sort();
        traces.dedup();
        assert_eq!(traces.len(), 7, "two versions, five hashes");
        assert_eq!(trouvees(dir.path(), &traces).len(), traces.len(), "the scan sees what N1 holds");
        // Before erasure the vault does hold a key for N1: the check below is not vacuous.
        assert!(store.inner.coffre.vivants().unwrap().iter().any(|e| e.num == "N1" && e.slot == 60));
        effacer(&store, "N1", 2).unwrap();
        store.durable().await.unwrap();
        assert!(store.index_de("N1").unwrap().is_empty(), "its index entries go in the erasing transaction");
        assert!(store.inner.engine.scan_prefix(b"idx/").unwrap().iter().all(|(k, _)| !k.ends_with(b"\0N1")));
        // sled still holds them in its log: what the rewrite is for.
        assert!(!trouvees(dir.path(), &traces).is_empty(), "sled no longer keeps removed entries: the rewrite may go");
        store.activer_purge(std::time::Duration::ZERO).unwrap();
        assert!(store.attendre_purge(std::time::Duration::from_secs(30)), "no rewrite within 30 s");
        assert_eq!(trouvees(dir.path(), &traces), Vec::<String>::new(), "left in the files after the rewrite");
        // Owner-only, whatever this test process's umask: the new generation, its files, its name.
        for p in ["moteur-1", "moteur-1/db", "moteur-1/conf", "moteur.actuel"] {
            assert!(droits::trop_ouverts(&dir.path().join(p)).unwrap().is_empty(), "{p} open to others");
        }
        assert!(store.lire("N1").unwrap().is_none());
        assert!(store.effacement("N1").unwrap().is_some());
        assert!(identite(&store, IDENTITE).is_empty());
        assert!(matches!(creer(&store, "N1", CONTENU, &[]), Err(DepotError::Existe(_))), "numbers are never reused");
        assert_eq!(identite(&store, "AUTRE7|X|1990-01-01"), ["A7"], "the others' entries are kept");
    }
    let master = fixed_key(key);
    let vault = std::fs::read(dir.path().join(coffre::FILE_NAME)).unwrap();
    // N1's slot (the 61st) no longer names it. (Searching the whole file for the two bytes "N1"
    // failed one run in twenty: the other slots' wrapped keys are random bytes.)
    let slot = &vault[60 * coffre::SLOT..61 * coffre::SLOT];
    assert!(!contains(slot, b"N1"), "the vault still names N1");
    assert!(coffre::Coffre::open(dir.path()).unwrap().vivants().unwrap().iter().all(|e| e.num != "N1"));
    // Try every 60-byte window of every file as a wrapped key of N1 in its slot (the 61st).
    let mut opened = 0;
    for (_, bytes) in raw_files(dir.path()) {
        for window in bytes.windows(seal::WRAPPED_LEN) {
            if seal::unwrap(&master, "N1", 60, window).is_ok() {
                opened += 1;
            }
        }
    }
    assert_eq!(opened, 0, "a key of the erased application still opens");
    // The others are untouched, and no second rewrite is owed after a reopen.
    let store = Store::open(dir.path(), fixed_key(key)).unwrap();
    assert_eq!(store.lire("N2").unwrap().unwrap().contenu.0, b"<garde/>");
    assert_eq!(store.lire("A59").unwrap().unwrap().contenu.0, b"<autre/>");
    assert!(!purge_due(&store));
}

fn purge_due(store: &Store) -> bool {
    let engine = store.inner.engine.as_ref();
    purge::compteur(engine, purge::META_EFFACEMENTS).unwrap() > purge::compteur(engine, b"meta/purge").unwrap()
}

#[test]
fn next_sequence_is_unique_under_concurrency() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), fixed_key(1)).unwrap();
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let store = store.clone();
            std::thread::spawn(move || {
                let mut got = Vec::new();
                let mut last = 0;
                for _ in 0..100 {
                    let v = store.sequence_suivante("1110318").unwrap();
                    assert!(v > last, "not monotonic within a thread");
                    last = v;
                    got.push(v);
                }
                got
            })
        })
        .collect();
    let all: Vec<u64> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    let distinct: HashSet<u64> = all.iter().copied().collect();
    assert_eq!(distinct, (1..=800).collect());
    assert_eq!(store.sequence_suivante("autre").unwrap(), 1);
    assert_eq!(store.sequence_actuelle("1110318").unwrap(), 800);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_of_one_application_lose_no_update() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), fixed_key(5)).unwrap();
    creer(&store, "N1", b"0", &[]).unwrap();
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let store = store.clone();
            std::thread::spawn(move || {
                let mut written = 0;
                while written < 10 {
                    let fiche = store.lire("N1").unwrap().unwrap();
                    let n: u32 = String::from_utf8(fiche.contenu.0).unwrap().parse().unwrap();
                    match remplacer(&store, "N1", fiche.version, (n + 1).to_string().as_bytes()) {
                        Ok(()) => written += 1,
                        Err(DepotError::Conflit { .. }) => {}
                        Err(e) => panic!("{e}"),
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        t.join().unwrap();
    }
    let fiche = store.lire("N1").unwrap().unwrap();
    assert_eq!(fiche.contenu.0, b"80", "every read-modify-write counted once");
    assert_eq!(fiche.version, 81);
    assert_eq!(store.versions("N1").unwrap().len(), 81);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_durable_calls_share_flushes() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), fixed_key(5)).unwrap();
    let before = store.flush_count();
    let barrier = Arc::new(tokio::sync::Barrier::new(64));
    let tasks: Vec<_> = (0..64)
        .map(|i| {
            let store = store.clone();
            let barrier = Arc::clone(&barrier);
            tokio::spawn(async move {
                barrier.wait().await;
                creer(&store, &format!("N{i}"), CONTENU, &[]).unwrap();
                store.durable().await.unwrap();
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let flushes = store.flush_count() - before;
    assert!((1..64).contains(&flushes), "{flushes} flushes for 64 callers");
}

#[tokio::test]
async fn a_key_whose_application_never_committed_is_destroyed_at_start() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path(), fixed_key(8)).unwrap();
        creer(&store, "N1", CONTENU, &[]).unwrap();
        store.durable().await.unwrap();
        // A creation that crashed between its vault write and its commit.
        let wrapped = seal::wrap(&fixed_key(8), "N9", 5, &seal::new_data_key()).unwrap();
        store.inner.coffre.ecrire(5, "N9", &wrapped).unwrap();
        store.inner.coffre.sync().unwrap();
    }
    let store = Store::open(dir.path(), fixed_key(8)).unwrap();
    let vivants: Vec<String> = store.inner.coffre.vivants().unwrap().into_iter().map(|e| e.num).collect();
    assert_eq!(vivants, vec!["N1".to_string()]);
    assert!(store.lire("N1").unwrap().is_some());
}

#[tokio::test]
async fn backup_and_restore_carry_the_keys() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("donnees");
    let store = Store::open(&data, fixed_key(9)).unwrap();
    creer(&store, "N1", CONTENU, &[IDENTITE]).unwrap();
    remplacer(&store, "N1", 1, b"v2").unwrap();
    creer(&store, "N2", b"deux", &[]).unwrap();
    effacer(&store, "N2", 1).unwrap();
    store.durable().await.unwrap();
    let report = store.backup(&dir.path().join("sauvegarde")).unwrap();
    assert_eq!(report.demandes, 1);
    drop(store);
    let restored = dir.path().join("restaure");
    Store::restore(&dir.path().join("sauvegarde"), &restored, fixed_key(9)).unwrap();
    let store = Store::open(&restored, fixed_key(9)).unwrap();
    assert_eq!(store.lire("N1").unwrap().unwrap().contenu.0, b"v2");
    assert_eq!(store.contenu_version("N1", 1).unwrap().unwrap().0, CONTENU);
    assert!(store.effacement("N2").unwrap().is_some());
    assert_eq!(identite(&store, IDENTITE), vec!["N1".to_string()]);
    assert!(store.verify().unwrap().is_empty(), "{:?}", store.verify());
}

fn piece(num: &str, id: &str, blob: String) -> Piece {
    let t = time::macros::datetime!(2026-11-02 10:00 UTC);
    Piece {
        id: id.into(),
        num: num.into(),
        categorie: "IDENTITE".into(),
        sensible: false,
        personne: "DEM".into(),
        nom_fichier: Contenu(b"passeport-dupontel.pdf".to_vec()),
        content_type: "application/pdf".into(),
        taille: 0,
        empreinte: String::new(),
        deposee_le: t,
        deposant: "G1104".into(),
        date_document: None,
        statut: "DEPOSEE".into(),
        motif_statut: None,
        modifiee_le: t,
        blob,
    }
}

fn deposer(store: &Store, num: &str, id: &str, contenu: &[u8]) -> Piece {
    let mut blob = store.ecrire_blob(num).unwrap();
    blob.ecrire(contenu).unwrap();
    let p = Piece { taille: contenu.len() as u64, ..piece(num, id, blob.terminer().unwrap()) };
    store.appliquer(Transaction::une(Ecriture::AjouterPiece(p.clone()))).unwrap();
    p
}

fn lire_blob(store: &Store, p: &Piece) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut store.lire_blob(p).unwrap(), &mut out).unwrap();
    out
}

#[tokio::test]
async fn backup_and_restore_carry_the_pieces_still_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("donnees");
    let store = Store::open(&data, fixed_key(10)).unwrap();
    creer(&store, "N1", CONTENU, &[]).unwrap();
    let gardee = deposer(&store, "N1", "PJ000000000001aaaaaaaaaaaa", &vec![7u8; 200_000]);
    let retiree = deposer(&store, "N1", "PJ000000000002aaaaaaaaaaaa", b"%PDF retiree");
    store.durable().await.unwrap();
    // The file name is sealed in the record: the engine's files do not show it.
    let mut fichiers = vec![data.clone()];
    while let Some(f) = fichiers.pop() {
        if f.is_dir() {
            fichiers.extend(std::fs::read_dir(&f).unwrap().map(|e| e.unwrap().path()));
        } else {
            let octets = std::fs::read(&f).unwrap();
            assert!(memchr::memmem::find(&octets, b"passeport-dupontel").is_none(), "{} : nom en clair", f.display());
        }
    }
    let sauvegarde = dir.path().join("sauvegarde");
    let ecriture = Ecriture::RetirerPiece {
        num: "N1".into(),
        id: retiree.id.clone(),
        horodatage: time::macros::datetime!(2026-11-03 10:00 UTC),
    };
    store.appliquer(Transaction::une(ecriture)).unwrap();
    store.backup(&sauvegarde).unwrap();
    store.durable().await.unwrap();
    drop(store);
    let copies: Vec<_> = std::fs::read_dir(sauvegarde.join("pieces")).unwrap().collect();
    assert_eq!(copies.len(), 1, "only the recorded piece's content is in the backup");
    let restored = dir.path().join("restaure");
    Store::restore(&sauvegarde, &restored, fixed_key(10)).unwrap();
    let store = Store::open(&restored, fixed_key(10)).unwrap();
    let pieces = store.pieces("N1").unwrap();
    assert_eq!(pieces, vec![gardee.clone()]);
    assert_eq!(lire_blob(&store, &pieces[0]), vec![7u8; 200_000]);
    assert!(store.verify().unwrap().is_empty(), "{:?}", store.verify());
    drop(store);
    // A content altered in the backup is refused at restore.
    let shard = std::fs::read_dir(sauvegarde.join("pieces")).unwrap().next().unwrap().unwrap().path();
    let fichier = std::fs::read_dir(&shard).unwrap().next().unwrap().unwrap().path();
    let mut octets = std::fs::read(&fichier).unwrap();
    let n = octets.len();
    octets[n - 1] ^= 1;
    std::fs::write(&fichier, octets).unwrap();
    let err = Store::restore(&sauvegarde, &dir.path().join("autre"), fixed_key(10)).unwrap_err();
    assert!(err.to_string().contains("altéré"), "{err}");
}

#[tokio::test]
async fn a_crash_between_the_blob_and_its_record_leaves_no_piece_and_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), fixed_key(11)).unwrap();
    creer(&store, "N1", CONTENU, &[]).unwrap();
    store.durable().await.unwrap();
    let mut blob = store.ecrire_blob("N1").unwrap();
    blob.ecrire(&[1u8; 100_000]).unwrap();
    let nom = blob.terminer().unwrap();
    assert!(dir.path().join("pieces").join(&nom[..2]).join(format!("{nom}.pj")).exists());
    // The record was never applied: the process dies here.
    drop(store);
    let store = Store::open(dir.path(), fixed_key(11)).unwrap();
    assert!(store.pieces("N1").unwrap().is_empty());
    assert!(!dir.path().join("pieces").join(&nom[..2]).join(format!("{nom}.pj")).exists(), "orphelin resté");
}

fn lecture(num: &str, k: u64) -> Acces {
    Acces {
        num: num.into(),
        horodatage: time::macros::datetime!(2026-11-02 10:00 UTC) + time::Duration::seconds(k as i64),
        qui: "G1104".into(),
        operation: format!("lecture/{k}"),
    }
}

fn operations(store: &Store, num: &str) -> Vec<String> {
    store.journal(num).unwrap().into_iter().map(|a| a.operation).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readers_share_flushes_and_find_their_entries_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), fixed_key(11)).unwrap();
    creer(&store, "N1", CONTENU, &[]).unwrap();
    store.durable().await.unwrap();
    let vidages = store.flush_count();
    let barriere = Arc::new(tokio::sync::Barrier::new(32));
    let lecteurs: Vec<_> = (0..32u64)
        .map(|k| {
            let store = store.clone();
            let barriere = Arc::clone(&barriere);
            tokio::spawn(async move {
                barriere.wait().await;
                store.journaliser(vec![lecture("N1", k)]).await.unwrap();
                // Reading the journal finds the entry as soon as it is acknowledged.
                assert!(operations(&store, "N1").contains(&format!("lecture/{k}")));
            })
        })
        .collect();
    for l in lecteurs {
        l.await.unwrap();
    }
    let vidages = store.flush_count() - vidages;
    assert!((1..32).contains(&vidages), "{vidages} vidages pour 32 lecteurs");
    assert_eq!(store.journal_entry_count(), 32);
    // Entries of a write's transaction and readers' entries share one numbering.
    remplacer(&store, "N1", 1, CONTENU).unwrap();
    store
        .appliquer(Transaction::une(Ecriture::Journaliser(Acces { operation: "ecriture".into(), ..lecture("N1", 99) })))
        .unwrap();
    store.durable().await.unwrap();
    store.journaliser(vec![lecture("N1", 100)]).await.unwrap();
    let ops = operations(&store, "N1");
    assert_eq!(ops.len(), 34);
    assert_eq!(&ops[32..], ["ecriture", "lecture/100"]);
    drop(store);
    let store = Store::open(dir.path(), fixed_key(11)).unwrap();
    assert_eq!(operations(&store, "N1"), ops);
    store.journaliser(vec![lecture("N1", 101)]).await.unwrap();
    assert_eq!(operations(&store, "N1").len(), 35);
}

#[tokio::test]
async fn the_write_ahead_log_is_checkpointed_and_stays_small() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Arc::new(SledEngine::ouvrir(dir.path(), 64 << 20, 8192).unwrap());
    let store = Store::with_engine(engine, fixed_key(13), dir.path()).unwrap();
    let log = dir.path().join(wal::FICHIER);
    let mut tailles = Vec::new();
    for k in 0..100u64 {
        creer(&store, &format!("N{k}"), CONTENU, &[IDENTITE]).unwrap();
        store.durable().await.unwrap();
        store.journaliser(vec![lecture(&format!("N{k}"), k)]).await.unwrap();
        // A checkpoint renames the log and starts another: for an instant there is none.
        tailles.push(std::fs::metadata(&log).map_or(0, |m| m.len()));
    }
    // A checkpoint runs beside the writes; past twice the threshold, flushes wait for it.
    assert!(tailles.iter().all(|t| *t <= 2 * 8192 + 4096), "{tailles:?}");
    assert!(tailles.windows(2).any(|w| w[1] < w[0]), "jamais vidé : {tailles:?}");
    drop(store);
    let store = Store::open(dir.path(), fixed_key(13)).unwrap();
    assert_eq!(store.demandes_count().unwrap(), 100);
    assert_eq!(identite(&store, IDENTITE).len(), 100);
    assert_eq!(operations(&store, "N99"), ["lecture/99"]);
}

#[tokio::test]
async fn journal_entries_name_a_valid_number() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), fixed_key(14)).unwrap();
    let err = store.journaliser(vec![lecture("N/../1", 1)]).await.unwrap_err();
    assert!(matches!(err, DepotError::Argument(_)), "{err}");
    assert_eq!(store.journal_entry_count(), 0);
}
