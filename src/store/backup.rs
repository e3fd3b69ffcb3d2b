//! Backup, restore and integrity checks of the store.
//!
//! A backup is a directory holding `donnees.sne`: the engine's pairs as they are (records stay
//! sealed, identities stay keyed hashes: a backup holds nothing in clear), length-prefixed, after
//! a versioned header and followed by the SHA-256 of everything before it; and `manifeste.txt`,
//! what a person reads. It is taken under the store's write lock, so no batch is half in it, and
//! every write acknowledged before it began is in it. Restoring checks the checksum, writes a new
//! store beside the target, checks the master key opens it, then moves it into place.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::engine::{Engine, KeyValues, SledEngine, WriteBatch};
use super::{seal, MasterKey, Store, StoreError};

const MAGIC: &[u8] = b"SNE-SAUVEGARDE 1\n";
const DATA_FILE: &str = "donnees.sne";
const MANIFEST_FILE: &str = "manifeste.txt";

/// What a backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    /// Key/value pairs.
    pub pairs: usize,
    /// Applications among them.
    pub demandes: usize,
    /// Bytes of the data file.
    pub bytes: u64,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |e| StoreError::Backup(format!("{} : {e}", path.display()))
}

fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir))
}

impl Store {
    /// Writes a consistent copy of the store into `dir` (created; must not hold a backup yet).
    pub fn backup(&self, dir: &Path) -> Result<BackupReport, StoreError> {
        if dir.join(DATA_FILE).exists() {
            return Err(StoreError::Backup(format!("{} contient déjà une sauvegarde", dir.display())));
        }
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        // Under the write lock: every batch is wholly in the copy or wholly out of it.
        let pairs = {
            let _guard = self.inner.write_lock.lock().unwrap_or_else(|p| p.into_inner());
            self.inner.engine.scan_prefix(b"")?
        };
        let tmp = dir.join(format!("{DATA_FILE}.partiel"));
        let mut hasher = Sha256::new();
        let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp).map_err(io(&tmp))?);
        let mut write = |bytes: &[u8]| -> Result<(), StoreError> {
            hasher.update(bytes);
            out.write_all(bytes).map_err(io(&tmp))
        };
        write(MAGIC)?;
        write(&(pairs.len() as u64).to_be_bytes())?;
        let mut demandes = 0;
        for (k, v) in &pairs {
            demandes += usize::from(k.starts_with(b"demande/"));
            write(&(k.len() as u32).to_be_bytes())?;
            write(k)?;
            write(&(v.len() as u32).to_be_bytes())?;
            write(v)?;
        }
        let digest = hasher.finalize();
        out.write_all(&digest).map_err(io(&tmp))?;
        let file = out.into_inner().map_err(|e| StoreError::Backup(format!("{} : {e}", tmp.display())))?;
        file.sync_all().map_err(io(&tmp))?;
        let data = dir.join(DATA_FILE);
        std::fs::rename(&tmp, &data).map_err(io(&data))?;
        let bytes = std::fs::metadata(&data).map_err(io(&data))?.len();
        let manifest = format!(
            "sauvegarde sne-gateway\nformat : 1\ndate : {}\npaires : {}\ndemandes : {demandes}\noctets : {bytes}\nsha256 : {}\n",
            time::OffsetDateTime::now_utc(),
            pairs.len(),
            hex::encode(digest)
        );
        let manifest_path = dir.join(MANIFEST_FILE);
        std::fs::write(&manifest_path, manifest).map_err(io(&manifest_path))?;
        sync_dir(dir)?;
        Ok(BackupReport { pairs: pairs.len(), demandes, bytes })
    }

    /// Restores the backup in `from` into `data_dir`, which must not exist or be empty; the
    /// master key must be the one of the backed-up store.
    pub fn restore(from: &Path, data_dir: &Path, key: MasterKey) -> Result<BackupReport, StoreError> {
        if std::fs::read_dir(data_dir).map(|mut d| d.next().is_some()).unwrap_or(false) {
            return Err(StoreError::Backup(format!(
                "{} n'est pas vide : restaurez dans un répertoire neuf (ou déplacez l'ancien)",
                data_dir.display()
            )));
        }
        let pairs = read_backup(&from.join(DATA_FILE))?;
        let staging = staging_dir(data_dir);
        let _ = std::fs::remove_dir_all(&staging);
        std::fs::create_dir_all(&staging).map_err(io(&staging))?;
        let demandes = pairs.iter().filter(|(k, _)| k.starts_with(b"demande/")).count();
        let count = pairs.len();
        {
            let engine = Arc::new(SledEngine::open(&staging)?);
            for chunk in pairs.chunks(1000) {
                let mut batch = WriteBatch::new();
                for (k, v) in chunk {
                    batch.put(k.clone(), v.clone());
                }
                engine.apply(batch)?;
            }
            engine.flush()?;
            // Refuses another master key before anything is moved into place.
            let store = Store::with_engine(engine, key, &staging)?;
            drop(store);
        }
        if data_dir.exists() {
            std::fs::remove_dir(data_dir).map_err(io(data_dir))?;
        }
        std::fs::rename(&staging, data_dir).map_err(io(data_dir))?;
        if let Some(parent) = data_dir.parent() {
            sync_dir(parent)?;
        }
        let bytes = std::fs::metadata(from.join(DATA_FILE)).map(|m| m.len()).unwrap_or(0);
        Ok(BackupReport { pairs: count, demandes, bytes })
    }

    /// Every record opens with the master key, and every index entry has its record and its
    /// reverse entry (and back). Returns what is wrong, in French; empty when all is well.
    pub fn verify(&self) -> Result<Vec<String>, StoreError> {
        let mut problems = Vec::new();
        let all = self.inner.engine.scan_prefix(b"")?;
        let has = |k: &[u8]| all.binary_search_by(|(x, _)| x.as_slice().cmp(k)).is_ok();
        for (k, v) in &all {
            let key = String::from_utf8_lossy(k);
            if let Some(num) = key.strip_prefix("demande/") {
                match seal::open(&self.inner.key, num, &key, v) {
                    Ok(r) if r.num_unique == num => {}
                    Ok(r) => problems.push(format!("{key} : l'enregistrement porte le numéro {}", r.num_unique)),
                    Err(e) => problems.push(format!("{key} : ne se déchiffre pas avec la clé maîtresse ({e})")),
                }
            } else if let Some(rest) = key.strip_prefix("ident/") {
                let Some((hash, num)) = rest.split_once('/') else {
                    problems.push(format!("{key} : clé d'index mal formée"));
                    continue;
                };
                if !has(format!("demande/{num}").as_bytes()) {
                    problems.push(format!("{key} : index d'identité vers une demande absente"));
                }
                if !has(format!("identof/{num}/{hash}").as_bytes()) {
                    problems.push(format!("{key} : entrée inverse identof/{num}/… absente"));
                }
            } else if let Some(rest) = key.strip_prefix("identof/") {
                let Some((num, hash)) = rest.split_once('/') else {
                    problems.push(format!("{key} : clé d'index inverse mal formée"));
                    continue;
                };
                if !has(format!("ident/{hash}/{num}").as_bytes()) {
                    problems.push(format!("{key} : entrée ident/…/{num} absente"));
                }
            }
        }
        Ok(problems)
    }

    /// Numbers of every stored application, in key order.
    pub fn demande_numbers(&self) -> Result<Vec<String>, StoreError> {
        Ok(self
            .inner
            .engine
            .scan_prefix(b"demande/")?
            .into_iter()
            .map(|(k, _)| String::from_utf8_lossy(&k["demande/".len()..]).into_owned())
            .collect())
    }

    /// The current value of a sequence (0 when it was never used).
    pub fn sequence(&self, scope: &str) -> Result<u64, StoreError> {
        match self.inner.engine.get(&[b"seq/", scope.as_bytes()].concat())? {
            None => Ok(0),
            Some(v) => {
                let bytes: [u8; 8] = v.as_slice().try_into().map_err(|_| StoreError::Corrupt {
                    key: format!("seq/{scope}"),
                    reason: "compteur de 8 octets attendu".into(),
                })?;
                Ok(u64::from_be_bytes(bytes))
            }
        }
    }
}

fn staging_dir(data_dir: &Path) -> PathBuf {
    let name = data_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "donnees".into());
    data_dir.with_file_name(format!("{name}.restauration"))
}

fn read_backup(path: &Path) -> Result<KeyValues, StoreError> {
    let mut bytes = Vec::new();
    std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes)).map_err(io(path))?;
    let bad = |why: &str| StoreError::Backup(format!("{} : {why}", path.display()));
    if bytes.len() < MAGIC.len() + 8 + 32 || !bytes.starts_with(MAGIC) {
        return Err(bad("ce n'est pas une sauvegarde sne-gateway (format 1)"));
    }
    let (body, digest) = bytes.split_at(bytes.len() - 32);
    if Sha256::digest(body).as_slice() != digest {
        return Err(bad("somme de contrôle fausse : sauvegarde tronquée ou altérée"));
    }
    let mut at = MAGIC.len();
    let mut take = |n: usize| -> Result<&[u8], StoreError> {
        let slice = body.get(at..at + n).ok_or_else(|| bad("sauvegarde tronquée"))?;
        at += n;
        Ok(slice)
    };
    let count = u64::from_be_bytes(take(8)?.try_into().expect("8 bytes"));
    let mut pairs = Vec::new();
    for _ in 0..count {
        let kl = u32::from_be_bytes(take(4)?.try_into().expect("4 bytes")) as usize;
        let k = take(kl)?.to_vec();
        let vl = u32::from_be_bytes(take(4)?.try_into().expect("4 bytes")) as usize;
        let v = take(vl)?.to_vec();
        pairs.push((k, v));
    }
    Ok(pairs)
}
