//! Backup, restore and integrity checks of the store.
//!
//! A backup is a directory holding `donnees.sne`: the engine's pairs as they are (contents stay
//! sealed, identities stay keyed hashes: a backup holds nothing in clear), then the live slots of
//! the key vault (wrapped data keys), then the list of piece contents (name, size, SHA-256 of the
//! encrypted file), length-prefixed, after a versioned header and followed by the SHA-256 of
//! everything before it; `pieces/`, the encrypted piece contents as the store keeps them (copied,
//! never decrypted); and `manifeste.txt`, what a person reads. It is taken under
//! the store's write lock, so no transaction is half in it, and every write acknowledged before it
//! began is in it. Restoring checks the checksum, writes a new store beside the target, checks the
//! master key opens it, then moves it into place.
//!
//! An application erased after a backup was taken is still in that backup, with its key: backups
//! follow their own retention, and restoring one brings back what it holds.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::coffre::Coffre;
use super::droits;
use super::engine::{Engine, KeyValues, SledEngine, WriteBatch};
use super::{decode, decode_entete, MasterKey, Store, StoreError, VersionStockee};

const MAGIC: &[u8] = b"SNE-SAUVEGARDE 3\n";
/// Backups taken before pieces existed: no list of piece contents.
const MAGIC_2: &[u8] = b"SNE-SAUVEGARDE 2\n";
const PIECES_DIR: &str = "pieces";
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
        droits::creer_repertoire(dir).map_err(io(dir))?;
        // Under the write lock: every batch is wholly in the copy or wholly out of it.
        let (pairs, slots) = {
            let _guard = self.lock();
            (self.inner.engine.scan_prefix(b"")?, self.inner.coffre.vivants()?)
        };
        // Blobs of pieces removed after the snapshot stay on disk until the copy is made.
        let _blobs_gardes = self.inner.garde_blobs.lock().unwrap_or_else(|p| p.into_inner());
        let blobs: Vec<String> = pairs
            .iter()
            .filter_map(|(k, _)| k.strip_prefix(b"pieceblob/").map(|n| String::from_utf8_lossy(n).into_owned()))
            .collect();
        let mut copies = Vec::with_capacity(blobs.len());
        for nom in &blobs {
            let from = self.inner.blobs.chemin_de(nom);
            let to = dir.join(PIECES_DIR).join(&nom[..2]).join(format!("{nom}.pj"));
            droits::creer_repertoire(to.parent().expect("sous-répertoire")).map_err(io(&to))?;
            let mut input = std::fs::File::open(&from).map_err(io(&from))?;
            let mut output = droits::creer_fichier(&to).map_err(io(&to))?;
            let mut h = Sha256::new();
            let mut buf = vec![0u8; 64 * 1024];
            let mut taille = 0u64;
            loop {
                let n = input.read(&mut buf).map_err(io(&from))?;
                if n == 0 {
                    break;
                }
                h.update(&buf[..n]);
                output.write_all(&buf[..n]).map_err(io(&to))?;
                taille += n as u64;
            }
            output.sync_all().map_err(io(&to))?;
            copies.push((nom.clone(), taille, <[u8; 32]>::from(h.finalize())));
        }
        let tmp = dir.join(format!("{DATA_FILE}.partiel"));
        let mut hasher = Sha256::new();
        let mut out = std::io::BufWriter::new(droits::creer_fichier(&tmp).map_err(io(&tmp))?);
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
        write(&(slots.len() as u64).to_be_bytes())?;
        for e in &slots {
            write(&e.slot.to_be_bytes())?;
            write(&[e.num.len() as u8])?;
            write(e.num.as_bytes())?;
            write(&e.wrapped)?;
        }
        write(&(copies.len() as u64).to_be_bytes())?;
        for (nom, taille, sha) in &copies {
            write(nom.as_bytes())?;
            write(&taille.to_be_bytes())?;
            write(sha)?;
        }
        let digest = hasher.finalize();
        out.write_all(&digest).map_err(io(&tmp))?;
        let file = out.into_inner().map_err(|e| StoreError::Backup(format!("{} : {e}", tmp.display())))?;
        file.sync_all().map_err(io(&tmp))?;
        let data = dir.join(DATA_FILE);
        std::fs::rename(&tmp, &data).map_err(io(&data))?;
        let bytes = std::fs::metadata(&data).map_err(io(&data))?.len();
        let manifest = format!(
            "sauvegarde sne-gateway\nformat : 3\ndate : {}\npaires : {}\ndemandes : {demandes}\npieces : {}\noctets : {bytes}\nsha256 : {}\n",
            time::OffsetDateTime::now_utc(),
            pairs.len(),
            copies.len(),
            hex::encode(digest)
        );
        let manifest_path = dir.join(MANIFEST_FILE);
        droits::ecrire_fichier(&manifest_path, manifest.as_bytes()).map_err(io(&manifest_path))?;
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
        let (pairs, slots, blobs) = read_backup(&from.join(DATA_FILE))?;
        let staging = staging_dir(data_dir);
        let _ = std::fs::remove_dir_all(&staging);
        droits::creer_repertoire(&staging).map_err(io(&staging))?;
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
            let coffre = Coffre::open(&staging)?;
            for (slot, num, wrapped) in &slots {
                coffre.ecrire(*slot, num, wrapped)?;
            }
            coffre.sync()?;
            drop(coffre);
            for (nom, taille, sha) in &blobs {
                let relatif = Path::new(PIECES_DIR).join(&nom[..2]).join(format!("{nom}.pj"));
                let (source, cible) = (from.join(&relatif), staging.join(&relatif));
                let contenu = std::fs::read(&source).map_err(io(&source))?;
                if contenu.len() as u64 != *taille || Sha256::digest(&contenu).as_slice() != sha {
                    return Err(StoreError::Backup(format!(
                        "{} : contenu de pièce altéré ou tronqué (taille ou SHA-256 différents du relevé)",
                        source.display()
                    )));
                }
                droits::creer_repertoire(cible.parent().expect("sous-répertoire")).map_err(io(&cible))?;
                droits::ecrire_fichier(&cible, &contenu).map_err(io(&cible))?;
                std::fs::File::open(&cible).and_then(|f| f.sync_all()).map_err(io(&cible))?;
            }
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

    /// Every application opens with its key and has all its versions, and every index entry has
    /// its application and its list entry (and back). Returns what is wrong, in French; empty
    /// when all is well.
    pub fn verify(&self) -> Result<Vec<String>, StoreError> {
        let mut problems = Vec::new();
        let all = self.inner.engine.scan_prefix(b"")?;
        let has = |k: &[u8]| all.binary_search_by(|(x, _)| x.as_slice().cmp(k)).is_ok();
        for (k, v) in &all {
            let key = String::from_utf8_lossy(k);
            if let Some(num) = key.strip_prefix("demande/") {
                let entete = match decode_entete(k, v) {
                    Ok(e) => e,
                    Err(e) => {
                        problems.push(format!("{key} : {e}"));
                        continue;
                    }
                };
                for version in 1..=entete.version {
                    if !has(&super::version_key(num, version)) {
                        problems.push(format!("{key} : version {version} absente"));
                    }
                }
                if let Err(e) = self.contenu(num, entete.slot, entete.version) {
                    problems.push(format!("{key} : ne s'ouvre pas ({e})"));
                }
            } else if let Some(rest) = key.strip_prefix("version/") {
                let num = rest.split('/').next().unwrap_or("");
                if !has(&super::demande_key(num)) {
                    problems.push(format!("version de la demande {num} sans sa demande"));
                } else if let Err(e) = decode::<VersionStockee>(k, v) {
                    problems.push(format!("{e}"));
                }
            } else if let Some(rest) = k.strip_prefix(b"idx/") {
                let parts: Vec<&[u8]> = rest.splitn(3, |&b| b == 0).collect();
                let [index, valeur, num] = parts[..] else {
                    problems.push(format!("{key} : clé d'index mal formée"));
                    continue;
                };
                let (index, num) = (String::from_utf8_lossy(index), String::from_utf8_lossy(num));
                if !has(&super::demande_key(&num)) {
                    problems.push(format!("index {index} vers la demande absente {num}"));
                    continue;
                }
                let list_key = super::index_list_key(&num);
                let listed = all
                    .binary_search_by(|(x, _)| x.as_slice().cmp(&list_key))
                    .ok()
                    .and_then(|i| super::index_list::decoder(&list_key, &all[i].1).ok())
                    .is_some_and(|l| {
                        l.iter().any(|c| {
                            c.index == index
                                && c.valeur.as_bytes() == valeur
                                && super::index_list::donnee_entree(k, v).is_ok_and(|d| d == c.donnee)
                        })
                    });
                if !listed {
                    problems.push(format!(
                        "index {index} de la demande {num} absent de sa liste idxde, ou y gardant une autre donnée"
                    ));
                }
            } else if let Some(nom) = key.strip_prefix("pieceblob/") {
                if !self.inner.blobs.existe(nom) {
                    problems.push(format!("contenu de pièce {nom} absent du répertoire pieces"));
                }
            } else if let Some(num) = key.strip_prefix("idxde/") {
                match super::index_list::decoder(k, v) {
                    Ok(list) => {
                        for c in list {
                            if !has(&super::index_key(&c.index, &c.valeur, num)) {
                                problems.push(format!("entrée d'index {} de la demande {num} absente", c.index));
                            }
                        }
                    }
                    Err(e) => problems.push(format!("{e}")),
                }
            }
        }
        Ok(problems)
    }
}

fn staging_dir(data_dir: &Path) -> PathBuf {
    let name = data_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "donnees".into());
    data_dir.with_file_name(format!("{name}.restauration"))
}

type Slots = Vec<(u64, String, [u8; super::seal::WRAPPED_LEN])>;
/// Piece contents of a backup: name, size, SHA-256 of the encrypted file.
type Blobs = Vec<(String, u64, [u8; 32])>;

fn read_backup(path: &Path) -> Result<(KeyValues, Slots, Blobs), StoreError> {
    let mut bytes = Vec::new();
    std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes)).map_err(io(path))?;
    let bad = |why: &str| StoreError::Backup(format!("{} : {why}", path.display()));
    let avec_pieces = bytes.starts_with(MAGIC);
    if bytes.len() < MAGIC.len() + 8 + 32 || !(avec_pieces || bytes.starts_with(MAGIC_2)) {
        return Err(bad("ce n'est pas une sauvegarde sne-gateway (format 2 ou 3)"));
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
    let count = u64::from_be_bytes(take(8)?.try_into().expect("8 bytes"));
    let mut slots = Vec::new();
    for _ in 0..count {
        let slot = u64::from_be_bytes(take(8)?.try_into().expect("8 bytes"));
        let len = take(1)?[0] as usize;
        let num = String::from_utf8_lossy(take(len)?).into_owned();
        let wrapped = take(super::seal::WRAPPED_LEN)?.try_into().expect("WRAPPED_LEN bytes");
        slots.push((slot, num, wrapped));
    }
    let mut blobs = Vec::new();
    if avec_pieces {
        let count = u64::from_be_bytes(take(8)?.try_into().expect("8 bytes"));
        for _ in 0..count {
            let nom = String::from_utf8_lossy(take(32)?).into_owned();
            if !nom.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(bad("nom de contenu de pièce invalide"));
            }
            let taille = u64::from_be_bytes(take(8)?.try_into().expect("8 bytes"));
            let sha = take(32)?.try_into().expect("32 bytes");
            blobs.push((nom, taille, sha));
        }
    }
    if at != body.len() {
        return Err(bad("octets en trop après les clés"));
    }
    Ok((pairs, slots, blobs))
}
