//! Crash test: a child process writes and acknowledges records after `durable()`, the parent kills
//! it with SIGKILL, reopens the store and checks that nothing acknowledged was lost and that no
//! acknowledged sequence value can be handed out again.
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

use sne_gateway::registry::depot::{CleIndex, Depot, Plage, Transaction};
use sne_gateway::store::{MasterKey, Store};

const CHILD_DIR_VAR: &str = "SNE_STORE_CRASH_DIR";
const CHILD_KEY_VAR: &str = "SNE_STORE_CRASH_KEY";
const SCOPE: &str = "1110318";
const WRITERS: u64 = 4;

fn num_for(seq: u64) -> String {
    format!("111031{seq:06}G1104")
}

fn contenu_for(seq: u64) -> Vec<u8> {
    format!("<demande><seq>{seq}</seq><nom>CRASH</nom></demande>").into_bytes()
}

fn identite_for(seq: u64) -> String {
    format!("CRASH|{seq}|1980-01-31")
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
    let store = Store::open(Path::new(&dir), key).expect("ouverture");
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async move {
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
    });
}

/// Runs one child and kills it after `acks` acknowledgements; returns what it acknowledged.
fn run_and_kill(dir: &Path, key_path: &Path, acks: usize) -> Vec<u64> {
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
    while acknowledged.len() < acks {
        match lines_rx.recv_timeout(Duration::from_secs(60)) {
            Ok(line) => {
                if let Some(seq) = line.strip_prefix("ACK ") {
                    acknowledged.push(seq.trim().parse::<u64>().expect("numéro acquitté"));
                }
            }
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
    acknowledged
        .extend(lines_rx.try_iter().filter_map(|l| l.strip_prefix("ACK ").map(|s| s.trim().parse::<u64>().unwrap())));
    acknowledged
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
    for (round, acks) in [25usize, 40, 13].into_iter().enumerate() {
        let acknowledged = run_and_kill(&dir, &key_path, acks);
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
        let max = *all_acknowledged.keys().next_back().unwrap();
        let next = store.sequence_suivante(SCOPE).unwrap();
        assert!(next > max, "next_sequence gave {next}, not above acknowledged {max}");
    }
}
