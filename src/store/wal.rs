//! The engine's write-ahead log: how a batch is atomic and durable without sled's batches.
//!
//! sled 0.34 writes out its log buffer twice for every `apply_batch` (its `pin_log` rolls the
//! buffer before and after the batch's reservation: two writes, each followed by a
//! `sync_file_range` that waits, on its I/O threads) and once more at every flush. Measured under
//! load, that was most of what a registration or a read's journal entry cost the machine, and
//! what kept the group commit from grouping: every transaction already paid for I/O of its own.
//!
//! So [`super::engine::SledEngine`] applies a batch to its tables in memory (`memoire.rs`) and
//! queues it as one **record** here ([`EnAttente`]); a flush appends every queued record to
//! `moteur.wal` and syncs it once (`fdatasync`): that is the whole cost of a group commit. A
//! **checkpoint**, in the background, renames the log `moteur.wal.1` (a new one takes the
//! appends), writes what memory holds into sled key by key, flushes sled, and removes
//! `moteur.wal.1`. At open, the records of both files are applied again, in order, then
//! checkpointed: the log's records from any point on, applied in order over any state that
//! already holds those before that point, give the state after the last one.
//!
//! A record is `length (u32 LE) | CRC-32 of the payload (u32 LE) | payload`, the payload being
//! postcard of the record's operations. A crash can only tear the last records appended, whose
//! flush never returned: reading stops at the first record whose length or checksum does not
//! hold, and what follows is dropped with a warning. The log holds what the engine holds (sealed
//! contents, clear attributes, keyed hashes), no more.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use super::engine::{EngineError, WriteOp};

/// The log's file name in the data directory.
pub(crate) const FICHIER: &str = "moteur.wal";
/// The log a checkpoint under way is making useless.
pub(crate) const FICHIER_ANCIEN: &str = "moteur.wal.1";

/// Past this many bytes of batches in memory, a flush starts a checkpoint.
pub(crate) const SEUIL_POINT_DE_CONTROLE: u64 = 4 << 20;

/// Largest payload a record may announce (a batch of the store is a few kilobytes; a piece's
/// content is never in the engine).
const MAX_ENREGISTREMENT: usize = 256 << 20;

/// Records applied to the engine and not yet in the log.
#[derive(Default)]
pub(crate) struct EnAttente {
    records: Mutex<Vec<Vec<WriteOp>>>,
}

impl EnAttente {
    /// The queue, held while a batch is applied so that the log's order is the order in which
    /// batches became visible, and a flush that starts after a reader saw a batch takes its
    /// record.
    pub(crate) fn verrou(&self) -> MutexGuard<'_, Vec<Vec<WriteOp>>> {
        self.records.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Everything queued so far, for the flush under way.
    pub(crate) fn prendre(&self) -> Vec<Vec<WriteOp>> {
        std::mem::take(&mut *self.verrou())
    }
}

/// The open log; only a flush writes it (flushes are serialised by the engine).
pub(crate) struct Log {
    file: File,
    dir: PathBuf,
    path: PathBuf,
    octets: u64,
}

impl Log {
    /// Opens (or creates) the log in `dir`, owner-only, and returns the records it holds: those
    /// of a checkpoint cut short first (`moteur.wal.1`), then the current file's.
    pub(crate) fn ouvrir(dir: &Path) -> Result<(Log, Vec<Vec<WriteOp>>), EngineError> {
        let ancien = dir.join(FICHIER_ANCIEN);
        let mut records = match std::fs::read(&ancien) {
            Ok(octets) => lire_fichier(&ancien, &octets),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(erreur(&ancien, &e)),
        };
        let path = dir.join(FICHIER);
        let mut file = ouvrir_fichier(&path)?;
        let mut octets = Vec::new();
        file.read_to_end(&mut octets).map_err(|e| erreur(&path, &e))?;
        records.extend(lire_fichier(&path, &octets));
        Ok((Log { file, dir: dir.to_path_buf(), path, octets: octets.len() as u64 }, records))
    }

    /// Renames the log `moteur.wal.1` and appends to a new one from now on.
    pub(crate) fn tourner(&mut self) -> Result<(), EngineError> {
        let ancien = self.dir.join(FICHIER_ANCIEN);
        std::fs::rename(&self.path, &ancien).map_err(|e| erreur(&ancien, &e))?;
        self.file = ouvrir_fichier(&self.path)?;
        self.octets = 0;
        synchroniser_repertoire(&self.dir)
    }

    /// Removes `moteur.wal.1` once what it held is in sled's files, on disk.
    pub(crate) fn oublier_ancien(&self) -> Result<(), EngineError> {
        let ancien = self.dir.join(FICHIER_ANCIEN);
        match std::fs::remove_file(&ancien) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(erreur(&ancien, &e)),
            _ => {}
        }
        synchroniser_repertoire(&self.dir)
    }

    /// Appends `records` and waits until they are on disk.
    pub(crate) fn ajouter(&mut self, records: &[Vec<WriteOp>]) -> Result<(), EngineError> {
        let mut tampon = Vec::new();
        for record in records {
            let payload = postcard::to_allocvec(record)
                .map_err(|e| EngineError::msg(format!("enregistrement du journal d'écriture : {e}")))?;
            tampon.extend_from_slice(&(payload.len() as u32).to_le_bytes());
            tampon.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
            tampon.extend_from_slice(&payload);
        }
        self.file.write_all(&tampon).and_then(|()| self.file.sync_data()).map_err(|e| erreur(&self.path, &e))?;
        self.octets += tampon.len() as u64;
        Ok(())
    }

    /// Empties the log once everything it holds is on disk in the engine's files, and
    /// removes `moteur.wal.1`.
    pub(crate) fn vider(&mut self) -> Result<(), EngineError> {
        self.file.set_len(0).and_then(|()| self.file.sync_all()).map_err(|e| erreur(&self.path, &e))?;
        self.octets = 0;
        self.oublier_ancien()
    }

    /// Bytes in the log.
    pub(crate) fn octets(&self) -> u64 {
        self.octets
    }
}

fn ouvrir_fichier(path: &Path) -> Result<File, EngineError> {
    OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .mode(super::droits::MODE_FICHIER)
        .open(path)
        .map_err(|e| erreur(path, &e))
}

fn synchroniser_repertoire(dir: &Path) -> Result<(), EngineError> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(|e| erreur(dir, &e))
}

/// The whole records of a file's `octets`; a torn tail is dropped with a warning.
fn lire_fichier(path: &Path, octets: &[u8]) -> Vec<Vec<WriteOp>> {
    let (records, lus) = lire(octets);
    if lus < octets.len() {
        tracing::warn!(
            fichier = %path.display(),
            octets_ignores = octets.len() - lus,
            "fin du journal d'écriture incomplète (arrêt brutal pendant un ajout jamais confirmé) : ignorée"
        );
    }
    records
}

fn erreur(path: &Path, e: &std::io::Error) -> EngineError {
    EngineError::msg(format!("{} : {}", path.display(), crate::text::erreur_io(e)))
}

/// The whole records at the start of `octets`, and how many bytes they take.
fn lire(octets: &[u8]) -> (Vec<Vec<WriteOp>>, usize) {
    let mut records = Vec::new();
    let mut pos = 0;
    while let Some(entete) = octets.get(pos..pos + 8) {
        let longueur = u32::from_le_bytes(entete[..4].try_into().expect("4 bytes")) as usize;
        let crc = u32::from_le_bytes(entete[4..].try_into().expect("4 bytes"));
        if longueur > MAX_ENREGISTREMENT {
            break;
        }
        let Some(payload) = octets.get(pos + 8..pos + 8 + longueur) else { break };
        if crc32fast::hash(payload) != crc {
            break;
        }
        let Ok(record) = postcard::from_bytes::<Vec<WriteOp>>(payload) else { break };
        records.push(record);
        pos += 8 + longueur;
    }
    (records, pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(n: u8) -> Vec<WriteOp> {
        vec![WriteOp::Put(vec![b'k', n], vec![n; 3]), WriteOp::Delete(vec![b'd', n])]
    }

    #[test]
    fn records_come_back_in_order_and_a_torn_tail_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        {
            let (mut log, vides) = Log::ouvrir(dir.path()).unwrap();
            assert!(vides.is_empty());
            log.ajouter(&[record(1), record(2)]).unwrap();
            log.ajouter(&[record(3)]).unwrap();
        }
        let path = dir.path().join(FICHIER);
        let entier = std::fs::read(&path).unwrap();
        assert_eq!(Log::ouvrir(dir.path()).unwrap().1, vec![record(1), record(2), record(3)]);
        // Every cut inside the last record loses that record only, and so does a flipped byte.
        let dernier = entier.len() - entier.len() / 3;
        for coupe in [entier.len() - 1, dernier + 9, dernier + 3] {
            std::fs::write(&path, &entier[..coupe]).unwrap();
            assert_eq!(Log::ouvrir(dir.path()).unwrap().1, vec![record(1), record(2)], "coupé à {coupe}");
        }
        let mut abime = entier.clone();
        *abime.last_mut().unwrap() ^= 0x40;
        std::fs::write(&path, &abime).unwrap();
        assert_eq!(Log::ouvrir(dir.path()).unwrap().1, vec![record(1), record(2)]);
    }

    #[test]
    fn a_rotated_log_comes_back_first_until_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let (mut log, _) = Log::ouvrir(dir.path()).unwrap();
        log.ajouter(&[record(1)]).unwrap();
        log.tourner().unwrap();
        log.ajouter(&[record(2)]).unwrap();
        assert_eq!(Log::ouvrir(dir.path()).unwrap().1, vec![record(1), record(2)]);
        log.oublier_ancien().unwrap();
        assert_eq!(Log::ouvrir(dir.path()).unwrap().1, vec![record(2)]);
    }

    #[test]
    fn emptying_keeps_appending_from_the_start() {
        let dir = tempfile::tempdir().unwrap();
        let (mut log, _) = Log::ouvrir(dir.path()).unwrap();
        log.ajouter(&[record(1)]).unwrap();
        assert!(log.octets() > 0);
        log.vider().unwrap();
        assert_eq!(log.octets(), 0);
        log.ajouter(&[record(2)]).unwrap();
        drop(log);
        assert_eq!(Log::ouvrir(dir.path()).unwrap().1, vec![record(2)]);
    }
}
