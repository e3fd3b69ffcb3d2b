//! Store-level tests over a real sled directory.

use super::*;
use std::collections::HashSet;

const CONTENU: &[u8] = b"<demande><nom>DUPONTEL</nom><revenu>18234</revenu></demande>";
const IDENTITE: &str = "DUPONTEL|JEANNE|1980-01-31";

fn record(num: &str) -> DemandeRecord {
    DemandeRecord {
        num_unique: num.to_string(),
        territoire: "111".to_string(),
        guichet: "G1104".to_string(),
        contenu: CONTENU.to_vec(),
    }
}

fn fixed_key(byte: u8) -> MasterKey {
    MasterKey::from_bytes([byte; 32])
}

#[test]
fn insert_then_read_and_find_by_identity() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), fixed_key(1)).unwrap();
    let rec = record("1110318016982G1104");
    store.insert_demande(&rec, &[IDENTITE.to_string(), "AUTRE|X|1990-02-02".into()]).unwrap();
    assert_eq!(store.demande(&rec.num_unique).unwrap(), Some(rec.clone()));
    assert_eq!(store.demande("1110318016983G1104").unwrap(), None);
    assert_eq!(store.find_by_identite(IDENTITE).unwrap(), vec![rec.num_unique.clone()]);
    assert_eq!(store.find_by_identite("AUTRE|X|1990-02-02").unwrap(), vec![rec.num_unique.clone()]);
    assert!(store.find_by_identite("DUPONTEL|JEANNE|1980-01-30").unwrap().is_empty());

    let second = record("1110318016984G1104");
    store.insert_demande(&second, &[IDENTITE.to_string()]).unwrap();
    assert_eq!(store.find_by_identite(IDENTITE).unwrap(), vec![rec.num_unique.clone(), second.num_unique.clone()]);
}

#[test]
fn insert_twice_is_exists_and_keeps_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), fixed_key(1)).unwrap();
    let rec = record("N1");
    store.insert_demande(&rec, &[IDENTITE.to_string()]).unwrap();
    let other = DemandeRecord { contenu: b"autre".to_vec(), ..record("N1") };
    let err = store.insert_demande(&other, &["NOUVEAU|A|2000-01-01".into()]).unwrap_err();
    assert!(matches!(&err, StoreError::Exists(n) if n == "N1"), "{err}");
    assert_eq!(store.demande("N1").unwrap().unwrap().contenu, CONTENU);
    assert!(store.find_by_identite("NOUVEAU|A|2000-01-01").unwrap().is_empty());
}

#[test]
fn replace_reindexes_identities() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), fixed_key(1)).unwrap();
    store.insert_demande(&record("N1"), &["GARDE|A|1".to_string(), "PART|B|2".to_string()]).unwrap();
    let updated = DemandeRecord { contenu: b"v2".to_vec(), guichet: "G2".into(), ..record("N1") };
    store.replace_demande(&updated, &["GARDE|A|1".to_string(), "ARRIVE|C|3".to_string()]).unwrap();
    assert_eq!(store.demande("N1").unwrap(), Some(updated));
    assert_eq!(store.find_by_identite("GARDE|A|1").unwrap(), vec!["N1".to_string()]);
    assert_eq!(store.find_by_identite("ARRIVE|C|3").unwrap(), vec!["N1".to_string()]);
    assert!(store.find_by_identite("PART|B|2").unwrap().is_empty());

    let err = store.replace_demande(&record("N2"), &[]).unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err}");
    assert_eq!(store.demande("N2").unwrap(), None);
}

#[test]
fn invalid_numbers_are_refused_before_touching_keys() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), fixed_key(1)).unwrap();
    for bad in ["", "a/b", "é", &"1".repeat(65)] {
        assert!(matches!(store.insert_demande(&record(bad), &[]), Err(StoreError::InvalidArgument(_))));
        assert!(matches!(store.demande(bad), Err(StoreError::InvalidArgument(_))));
    }
}

#[test]
fn wrong_master_key_is_refused_at_open() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path(), fixed_key(1)).unwrap();
        store.insert_demande(&record("N1"), &[]).unwrap();
    }
    let err = Store::open(dir.path(), fixed_key(2)).unwrap_err();
    assert!(matches!(err, StoreError::WrongMasterKey(_)), "{err}");
    let store = Store::open(dir.path(), fixed_key(1)).unwrap();
    assert!(store.demande("N1").unwrap().is_some());
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
fn record_moved_under_another_number_fails_to_open() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), fixed_key(1)).unwrap();
    store.insert_demande(&record("N1"), &[]).unwrap();
    let value = store.inner.engine.get(b"demande/N1").unwrap().unwrap();
    let mut batch = WriteBatch::new();
    batch.put(b"demande/N2".to_vec(), value);
    store.inner.engine.apply(batch).unwrap();
    let err = store.demande("N2").unwrap_err();
    match err {
        StoreError::Corrupt { key, .. } => assert_eq!(key, "demande/N2"),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn unknown_store_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path(), fixed_key(1)).unwrap());
    {
        let engine = SledEngine::open(dir.path()).unwrap();
        let mut batch = WriteBatch::new();
        batch.put(META_VERSION.to_vec(), vec![2]);
        engine.apply(batch).unwrap();
        engine.flush().unwrap();
    }
    let err = Store::open(dir.path(), fixed_key(1)).unwrap_err();
    assert!(matches!(&err, StoreError::Corrupt { key, .. } if key == "meta/version"), "{err}");
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn raw_bytes_hold_neither_content_nor_identity() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path(), fixed_key(3)).unwrap();
        store.insert_demande(&record("N1"), &[IDENTITE.to_string()]).unwrap();
        let replaced = DemandeRecord { contenu: [CONTENU, b"-v2"].concat(), ..record("N1") };
        store.replace_demande(&replaced, &[IDENTITE.to_string()]).unwrap();
        store.durable().await.unwrap();
    }
    let needles: [&[u8]; 4] = [CONTENU, IDENTITE.as_bytes(), b"DUPONTEL", b"1980-01-31"];

    // Through the engine: every key and value of every tree.
    let engine = SledEngine::open(dir.path()).unwrap();
    let db = engine.db();
    let mut seen_record = false;
    for name in db.tree_names() {
        let tree = db.open_tree(&name).unwrap();
        for item in tree.iter() {
            let (k, v) = item.unwrap();
            seen_record |= k.as_ref() == b"demande/N1";
            for needle in needles {
                assert!(!contains(&k, needle), "key {:?} leaks", String::from_utf8_lossy(&k));
                assert!(!contains(&v, needle), "value under {:?} leaks", String::from_utf8_lossy(&k));
            }
        }
    }
    assert!(seen_record, "the scan must see the record, or it proves nothing");
    drop(engine);

    // And the files themselves, which also hold superseded versions.
    let mut stack = vec![dir.path().to_path_buf()];
    let mut files = 0;
    let mut saw_clear_field = false;
    while let Some(path) = stack.pop() {
        for entry in std::fs::read_dir(&path).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                files += 1;
                let bytes = std::fs::read(entry.path()).unwrap();
                for needle in needles {
                    assert!(!contains(&bytes, needle), "{} leaks", entry.path().display());
                }
                saw_clear_field |= contains(&bytes, b"G1104");
            }
        }
    }
    assert!(files > 0);
    // The clear counter code is found, so the file scan does see record data.
    assert!(saw_clear_field, "record bytes not found in the files: the scan proves nothing");
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
                    let v = store.next_sequence("111-0318").unwrap();
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
    assert_eq!(distinct.len(), 800);
    assert_eq!(distinct, (1..=800).collect());
    assert_eq!(store.next_sequence("autre").unwrap(), 1);
    assert_eq!(store.next_sequence("111-0318").unwrap(), 801);
}

#[tokio::test]
async fn reopen_keeps_data_and_sequences() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path(), fixed_key(4)).unwrap();
        assert_eq!(store.next_sequence("s").unwrap(), 1);
        assert_eq!(store.next_sequence("s").unwrap(), 2);
        store.insert_demande(&record("N1"), &[IDENTITE.to_string()]).unwrap();
        store.durable().await.unwrap();
    }
    let store = Store::open(dir.path(), fixed_key(4)).unwrap();
    assert_eq!(store.demande("N1").unwrap(), Some(record("N1")));
    assert_eq!(store.find_by_identite(IDENTITE).unwrap(), vec!["N1".to_string()]);
    assert_eq!(store.next_sequence("s").unwrap(), 3);
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
                let rec = record(&format!("N{i}"));
                store.insert_demande(&rec, &[format!("ID|{i}")]).unwrap();
                store.durable().await.unwrap();
                i
            })
        })
        .collect();
    let mut done = 0;
    for task in tasks {
        task.await.unwrap();
        done += 1;
    }
    assert_eq!(done, 64);
    let flushes = store.flush_count() - before;
    assert!((1..64).contains(&flushes), "{flushes} flushes for 64 callers");
}

#[tokio::test]
async fn a_single_durable_call_flushes() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), fixed_key(6)).unwrap();
    let before = store.flush_count();
    store.insert_demande(&record("N1"), &[]).unwrap();
    store.durable().await.unwrap();
    assert!(store.flush_count() > before);
    let after_first = store.flush_count();
    store.durable().await.unwrap();
    assert!(store.flush_count() > after_first);
}

#[test]
fn debug_output_hides_content() {
    let text = format!("{:?}", record("N1"));
    assert!(!text.contains("DUPONTEL"), "{text}");
    assert!(text.contains("N1"));
}

#[test]
fn delete_removes_the_record_and_its_index_entries() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), fixed_key(1)).unwrap();
    let rec = record("1110318016982G1104");
    store.insert_demande(&rec, &[IDENTITE.to_string()]).unwrap();
    assert_eq!(store.demandes_count().unwrap(), 1);
    assert!(store.delete_demande(&rec.num_unique).unwrap());
    assert_eq!(store.demande(&rec.num_unique).unwrap(), None);
    assert!(store.find_by_identite(IDENTITE).unwrap().is_empty());
    assert_eq!(store.demandes_count().unwrap(), 0);
    assert!(!store.delete_demande(&rec.num_unique).unwrap());
    // The number can never come back through the sequence, but the slot is free for a re-insert.
    store.insert_demande(&rec, &[]).unwrap();
}
