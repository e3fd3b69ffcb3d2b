//! The key vault: one fixed-size slot per application, holding its wrapped data key, in a file of
//! its own (`cles.sne`) beside the engine's.
//!
//! Why not in the engine: an engine keeps superseded values in its files (sled's log segments,
//! an SQL heap's dead tuples) until it compacts them, so a key deleted there could still be read
//! back and unwrapped with the master key. A vault slot is overwritten **in place** with zeros and
//! synced, which destroys the key for good; every sealed copy of that application's contents, in
//! the engine's stale pages or anywhere else, is then noise.
//!
//! Slot layout (128 bytes): `1` (live) | number length (1) | number (64, zero-padded) | wrapped
//! key (`seal::WRAPPED_LEN`) | padding. A slot of zeros is free or destroyed. The number is
//! there so that start-up can recognise slots whose application never committed or was erased
//! before the slot was cleared (`Store::open` clears them).

use std::fs::{File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use super::seal::WRAPPED_LEN;
use super::StoreError;

/// File name of the vault inside the data directory.
pub(crate) const FILE_NAME: &str = "cles.sne";
pub(crate) const SLOT: usize = 128;
const MAX_NUM: usize = 64;
const LIVE: u8 = 1;

/// The vault file.
pub(crate) struct Coffre {
    file: File,
    path: PathBuf,
}

/// A live slot: its number and wrapped key.
pub(crate) struct Emplacement {
    pub(crate) slot: u64,
    pub(crate) num: String,
    pub(crate) wrapped: [u8; WRAPPED_LEN],
}

impl Coffre {
    /// Opens (or creates, owner-only) the vault in `dir`.
    pub(crate) fn open(dir: &Path) -> Result<Coffre, StoreError> {
        let path = dir.join(FILE_NAME);
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&path).map_err(|e| io(&path, e))?;
        Ok(Coffre { file, path })
    }

    /// Writes the wrapped key of `num` into `slot`.
    pub(crate) fn ecrire(&self, slot: u64, num: &str, wrapped: &[u8; WRAPPED_LEN]) -> Result<(), StoreError> {
        if num.is_empty() || num.len() > MAX_NUM {
            return Err(StoreError::InvalidArgument(format!("numéro de {} octets pour le coffre", num.len())));
        }
        let mut bytes = [0u8; SLOT];
        bytes[0] = LIVE;
        bytes[1] = num.len() as u8;
        bytes[2..2 + num.len()].copy_from_slice(num.as_bytes());
        bytes[2 + MAX_NUM..2 + MAX_NUM + WRAPPED_LEN].copy_from_slice(wrapped);
        self.file.write_all_at(&bytes, offset(slot)?).map_err(|e| io(&self.path, e))
    }

    /// The live content of `slot`, if any.
    pub(crate) fn lire(&self, slot: u64) -> Result<Option<Emplacement>, StoreError> {
        let mut bytes = [0u8; SLOT];
        match self.file.read_exact_at(&mut bytes, offset(slot)?) {
            Ok(()) => Ok(decode(slot, &bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
            Err(e) => Err(io(&self.path, e)),
        }
    }

    /// Overwrites `slot` with zeros (made durable by the next [`Coffre::sync`]).
    pub(crate) fn detruire(&self, slot: u64) -> Result<(), StoreError> {
        let len = self.file.metadata().map_err(|e| io(&self.path, e))?.len();
        let at = offset(slot)?;
        if at >= len {
            return Ok(());
        }
        self.file.write_all_at(&[0u8; SLOT], at).map_err(|e| io(&self.path, e))
    }

    /// Puts every write so far on disk.
    pub(crate) fn sync(&self) -> Result<(), StoreError> {
        self.file.sync_data().map_err(|e| io(&self.path, e))
    }

    /// Bytes of the vault file.
    pub(crate) fn taille(&self) -> u64 {
        self.file.metadata().map(|m| m.len()).unwrap_or(0)
    }

    /// Every live slot, in slot order.
    pub(crate) fn vivants(&self) -> Result<Vec<Emplacement>, StoreError> {
        let bytes = std::fs::read(&self.path).map_err(|e| io(&self.path, e))?;
        Ok(bytes
            .chunks_exact(SLOT)
            .enumerate()
            .filter_map(|(i, chunk)| decode(i as u64, chunk.try_into().expect("chunk of SLOT bytes")))
            .collect())
    }
}

fn decode(slot: u64, bytes: &[u8; SLOT]) -> Option<Emplacement> {
    if bytes[0] != LIVE {
        return None;
    }
    let len = usize::from(bytes[1]).min(MAX_NUM);
    let num = String::from_utf8_lossy(&bytes[2..2 + len]).into_owned();
    let mut wrapped = [0u8; WRAPPED_LEN];
    wrapped.copy_from_slice(&bytes[2 + MAX_NUM..2 + MAX_NUM + WRAPPED_LEN]);
    Some(Emplacement { slot, num, wrapped })
}

fn offset(slot: u64) -> Result<u64, StoreError> {
    slot.checked_mul(SLOT as u64)
        .ok_or_else(|| StoreError::InvalidArgument(format!("emplacement {slot} hors du coffre")))
}

fn io(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::KeyFile { path: path.to_path_buf(), reason: crate::text::erreur_io(&e) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_destroyed_slot_leaves_no_byte_of_its_key_in_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let coffre = Coffre::open(dir.path()).unwrap();
        let wrapped = [0xA5u8; WRAPPED_LEN];
        coffre.ecrire(0, "N0", &[1; WRAPPED_LEN]).unwrap();
        coffre.ecrire(3, "N3", &wrapped).unwrap();
        assert_eq!(coffre.lire(3).unwrap().unwrap().num, "N3");
        assert!(coffre.lire(2).unwrap().is_none(), "hole");
        assert!(coffre.lire(9).unwrap().is_none(), "past the end");
        assert_eq!(coffre.vivants().unwrap().iter().map(|e| e.slot).collect::<Vec<_>>(), vec![0, 3]);
        coffre.detruire(3).unwrap();
        coffre.detruire(40).unwrap();
        coffre.sync().unwrap();
        let raw = std::fs::read(dir.path().join(FILE_NAME)).unwrap();
        assert!(!raw.windows(8).any(|w| w == [0xA5; 8]));
        assert!(!raw.windows(2).any(|w| w == b"N3"));
        assert_eq!(coffre.vivants().unwrap().len(), 1);
    }
}
