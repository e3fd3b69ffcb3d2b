//! Crash test: a child process writes and acknowledges records after `durable()`, the parent kills
//! it with SIGKILL, reopens the store and checks that nothing acknowledged was lost and that no
//! acknowledged sequence value can be handed out again. Meanwhile the child erases records of its
//! own, so the store rewrites its files again and again (`purge.rs`) and is killed during rewrites
//! too: an acknowledged erasure stays one. Readers record journal entries all along (on one
//! number, each with its own operation): every acknowledged entry is found after the kill, and
//! the journal's numbering never hands a number out twice (an entry would overwrite another).
//!
//! The child is this same test binary, re-executed with `CHILD_DIR_VAR` set and filtered to
//! `crash_child`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

#[path = "kit/depot.rs"]
mod depot;

use sne_gateway::registry::depot::{Acces, CleIndex, Depot, Ecriture, Effacement, Plage, Transaction};
use sne_gateway::store::{MasterKey, SledEngine, Store};

const CHILD_DIR_VAR: &str = "SNE_STORE_CRASH_DIR";
const CHILD_KEY_VAR: &str = "SNE_STORE_CRASH_KEY";
const SCOPE: &str = "1110318";
const WRITERS: u64 = 4;
const READERS: u64 = 4;
/// The number every reader's entry names.
const LU: &str = "LU0000000001G1104";

fn num_for(seq: u64) -> String {
    format!("111031{seq:06}G1104")
}

fn contenu_for(seq: u64) -> Vec<u8> {
    format!("<demande><seq>{seq}</seq><nom>CRASH</nom></demande>").into_bytes()
}

fn identite_for(seq: u64) -> String {
    format!("CRASH|{seq}|1980-01-31")
}

fn effacee(seq: u64) -> String {
    format!("EFF{seq:06}")
}

fn effacement(seq: u64) -> Transaction {
    Transaction::une(Ecriture::Effacer {
        num: effacee(seq),
        lue: 1,
        effacement: Effacement {
            territoire: "111".into(),
            guichet: "G1104".into(),
            horodatage: time::OffsetDateTime::UNIX_EPOCH,
            motif: "supprimée par le guichet".into(),
        },
    })
}

fn creation(store: &Store, seq: u64) -> Transaction {
    depot::creation(
        num_for(seq),
        contenu_for(seq),
        vec![CleIndex::new("identite", store.empreinte(&identite_for(seq)))],
    )
}

/// Child side, run only by `acknowledged_writes_survive_sigkill` (hence ignored).
#[test]
#[ignore = "child process of acknowledged_writes_survive_sigkill"]
fn crash_child() {
    let (Ok(dir), Ok(key_path)) = (std::env::var(CHILD_DIR_VAR), std::env::var(CHILD_KEY_VAR)) else {
        return;
    };
    let key = MasterKey::load(Path::new(&key_path)).expect("clé");
    // Checkpoints every few batches: the kills land during them too.
    let engine = SledEngine::ouvrir(Path::new(&dir), 64 << 20, 16 << 10).expect("ouverture du moteur");
    let store = Store::with_engine(std::sync::Arc::new(engine), key, Path::new(&dir)).expect("ouverture");
    store.activer_purge(Duration::ZERO).expect("réécriture après effacement");
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async move {
        let eraser = {
            let store = store.clone();
            tokio::spawn(async move {
                loop {
                    let seq = store.sequence_suivante("effacees").expect("séquence");
                    let index = vec![CleIndex::new("identite", store.empreinte(&format!("EFF|{seq}")))];
                    store.appliquer(depot::creation(effacee(seq), contenu_for(seq), index)).expect("insertion");
                    Store::durable(&store).await.expect("durable");
                    store.appliquer(effacement(seq)).expect("effacement");
                    Store::durable(&store).await.expect("durable");
                    println!("EFF {seq}");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            })
        };
        let readers: Vec<_> = (0..READERS)
            .map(|r| {
                let store = store.clone();
                let round = std::process::id();
                tokio::spawn(async move {
                    for k in 0.. {
                        let operation = format!("lecture/{round}/{r}/{k}");
                        let acces = Acces {
                            num: LU.into(),
                            horodatage: time::OffsetDateTime::UNIX_EPOCH,
                            qui: "G1104".into(),
                            operation: operation.clone(),
                        };
                        store.journaliser(vec![acces]).await.expect("journal");
                        println!("LU {operation}");
                    }
                })
            })
            .collect();
        let writers: Vec<_> = (0..WRITERS)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move {
                    for _ in 0..100_000 {
                        let seq = store.sequence_suivante(SCOPE).expect("séquence");
                        store.appliquer(creation(&store, seq)).expect("insertion");
                        Store::durable(&store).await.expect("durable");
                        println!("ACK {seq}");
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.await.unwrap();
        }
        eraser.abort();
        for reader in readers {
            reader.abort();
        }
    });
}

/// Runs one child and kills it after `acks` acknowledgements; returns what it acknowledged:
/// records written, records erased.
fn run_and_kill(dir: &Path, key_path: &Path, acks: usize) -> (Vec<u64>, Vec<u64>, Vec<String>) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash_child", "--ignored", "--nocapture", "--test-threads=1"])
        .env(CHILD_DIR_VAR, dir)
        .env(CHILD_KEY_VAR, key_path)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("lancement du processus enfant");
    let stdout = child.stdout.take().unwrap();
    let (lines_tx, lines_rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });

    let mut acknowledged = Vec::new();
    let mut erased = Vec::new();
    let mut read = Vec::new();
    let mut note = |line: &str, acknowledged: &mut Vec<u64>| {
        if let Some(operation) = line.strip_prefix("LU ") {
            read.push(operation.trim().to_string());
        }
        if let Some(seq) = line.strip_prefix("ACK ") {
            acknowledged.push(seq.trim().parse::<u64>().expect("numéro acquitté"));
        }
        if let Some(seq) = line.strip_prefix("EFF ") {
            erased.push(seq.trim().parse::<u64>().expect("numéro effacé"));
        }
    };
    while acknowledged.len() < acks {
        match lines_rx.recv_timeout(Duration::from_secs(60)) {
            Ok(line) => note(&line, &mut acknowledged),
            Err(_) => {
                let _ = child.kill();
                let status = child.wait().unwrap();
                panic!("child stopped or stalled after {} acks ({status})", acknowledged.len());
            }
        }
    }
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    // Lines already in the pipe were printed after durable() returned: they count as well.
    reader.join().unwrap();
    for line in lines_rx.try_iter() {
        note(&line, &mut acknowledged);
    }
    (acknowledged, erased, read)
}

#[test]
fn acknowledged_writes_survive_sigkill() {
    if std::env::var_os(CHILD_DIR_VAR).is_some() {
        return; // never recurse from a child
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let key_path = tmp.path().join("cle-maitresse");
    MasterKey::generate(&key_path).unwrap();

    let mut all_acknowledged: BTreeMap<u64, usize> = BTreeMap::new();
    let mut all_erased = Vec::new();
    let mut all_read = std::collections::BTreeSet::new();
    for (round, acks) in [250usize, 400, 130, 600].into_iter().enumerate() {
        let (acknowledged, erased, read) = run_and_kill(&dir, &key_path, acks);
        all_erased.extend(erased);
        assert!(!read.is_empty(), "no read acknowledged in round {round}");
        all_read.extend(read);
        assert!(acknowledged.len() >= acks);
        for seq in acknowledged {
            let previous = all_acknowledged.insert(seq, round);
            assert!(previous.is_none(), "sequence {seq} acknowledged twice (rounds {previous:?} and {round})");
        }

        let store = Store::open(&dir, MasterKey::load(&key_path).unwrap()).expect("réouverture");
        for &seq in all_acknowledged.keys() {
            let fiche = store
                .lire(&num_for(seq))
                .unwrap()
                .unwrap_or_else(|| panic!("acknowledged record {seq} lost after round {round}"));
            assert_eq!(fiche.contenu.0, contenu_for(seq));
            let page = store.parcourir("identite", &Plage::egale(&store.empreinte(&identite_for(seq))), 10).unwrap();
            let entrees: Vec<_> = page.entrees.into_iter().map(|e| (e.valeur, e.num)).collect();
            assert_eq!(entrees, vec![(store.empreinte(&identite_for(seq)), num_for(seq))]);
        }
        for &seq in &all_erased {
            assert!(store.lire(&effacee(seq)).unwrap().is_none(), "erased record {seq} back after round {round}");
            assert!(store.effacement(&effacee(seq)).unwrap().is_some(), "erasure of {seq} lost after round {round}");
            let page = store.parcourir("identite", &Plage::egale(&store.empreinte(&format!("EFF|{seq}"))), 10).unwrap();
            assert!(page.entrees.is_empty(), "index entry of erased {seq} back after round {round}");
        }
        let journal: std::collections::BTreeSet<String> =
            store.journal(LU).unwrap().into_iter().map(|a| a.operation).collect();
        let lost: Vec<_> = all_read.difference(&journal).collect();
        assert!(lost.is_empty(), "{} acknowledged journal entries lost after round {round}: {lost:?}", lost.len());
        let max = *all_acknowledged.keys().next_back().unwrap();
        let next = store.sequence_suivante(SCOPE).unwrap();
        assert!(next > max, "next_sequence gave {next}, not above acknowledged {max}");
    }
    assert!(!all_erased.is_empty(), "no erasure acknowledged: no rewrite was tested");
    assert!(dir.join("moteur.actuel").exists(), "the store was never rewritten");
}
