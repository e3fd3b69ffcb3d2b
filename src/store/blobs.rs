//! Piece blobs: one file per supporting document under `<data_dir>/pieces/`, encrypted as its
//! bytes stream in, never held whole in memory.
//!
//! A blob is `SNEPJ | format (1) | nonce prefix (7) | chunks`, the chunks sealed with the STREAM
//! construction of the `aead` crate (AES-256-GCM, big-endian 32-bit counter and a last-chunk
//! flag in each nonce): every chunk is bound to its position and the last one says it is last,
//! so a reordered, cut or extended file fails to open. Its key is derived from the application's
//! data key and the blob's name, so destroying the application's key (erasure) makes every blob
//! of it noise, and a blob copied under another name does not open.
//!
//! Writing goes to `tmp/<name>`; [`EcrivainBlob::terminer`] syncs it, renames it to
//! `<2 hex>/<name>.pj` and syncs that directory, before the transaction recording the piece,
//! which is the point of acknowledgment. A crash in between leaves an orphan, removed at the next
//! start ([`Blobs::nettoyer`]); `tmp/` is emptied at start too.

use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use aes_gcm::aead::generic_array::typenum::{U0, U12, U16};
use aes_gcm::aead::generic_array::GenericArray;
use aes_gcm::aead::stream::{DecryptorBE32, EncryptorBE32};
use aes_gcm::aead::{AeadCore, AeadInPlace};
use rand::RngCore;

use super::seal::{self, DataKey};
use crate::registry::depot::{DepotError, EcritureBlob};

const MAGIC: &[u8; 5] = b"SNEPJ";
const FORMAT: u8 = 1;
const NONCE_PREFIX: usize = 7;
const HEADER: usize = MAGIC.len() + 1 + NONCE_PREFIX;
/// Plaintext bytes per chunk: large enough that the tag costs nothing, small enough to stay a
/// small buffer.
const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;

/// AES-256-GCM from `ring` (the TLS stack's) behind the `aead` traits, so that the STREAM
/// construction of the `aead` crate drives it: the same standard GCM as `aes-gcm` (a test checks
/// they agree), several times faster on the ingest path than its pure-Rust GHASH.
struct Aes256GcmRing(ring::aead::LessSafeKey);

impl Aes256GcmRing {
    fn new(key: &[u8; 32]) -> Aes256GcmRing {
        let unbound = ring::aead::UnboundKey::new(&ring::aead::AES_256_GCM, key).expect("clé de 32 octets");
        Aes256GcmRing(ring::aead::LessSafeKey::new(unbound))
    }
}

// The STREAM types ask for a key-initialisable AEAD, though `from_aead` never calls it.
impl aes_gcm::aead::KeySizeUser for Aes256GcmRing {
    type KeySize = aes_gcm::aead::generic_array::typenum::U32;
}

impl aes_gcm::aead::KeyInit for Aes256GcmRing {
    fn new(key: &GenericArray<u8, Self::KeySize>) -> Self {
        Aes256GcmRing::new(&(*key).into())
    }
}

impl AeadCore for Aes256GcmRing {
    type NonceSize = U12;
    type TagSize = U16;
    type CiphertextOverhead = U0;
}

impl AeadInPlace for Aes256GcmRing {
    fn encrypt_in_place_detached(
        &self,
        nonce: &GenericArray<u8, U12>,
        aad: &[u8],
        buffer: &mut [u8],
    ) -> aes_gcm::aead::Result<GenericArray<u8, U16>> {
        let nonce = ring::aead::Nonce::assume_unique_for_key((*nonce).into());
        let tag = self
            .0
            .seal_in_place_separate_tag(nonce, ring::aead::Aad::from(aad), buffer)
            .map_err(|_| aes_gcm::aead::Error)?;
        Ok(GenericArray::clone_from_slice(tag.as_ref()))
    }

    fn decrypt_in_place_detached(
        &self,
        nonce: &GenericArray<u8, U12>,
        aad: &[u8],
        buffer: &mut [u8],
        tag: &GenericArray<u8, U16>,
    ) -> aes_gcm::aead::Result<()> {
        let nonce = ring::aead::Nonce::assume_unique_for_key((*nonce).into());
        let tag = ring::aead::Tag::from(<[u8; 16]>::from(*tag));
        self.0
            .open_in_place_separate_tag(nonce, ring::aead::Aad::from(aad), tag, buffer, 0..)
            .map(|_| ())
            .map_err(|_| aes_gcm::aead::Error)
    }
}

/// The blob directory of a store.
#[derive(Debug)]
pub(crate) struct Blobs {
    dir: PathBuf,
    /// Bytes of every finished blob: counted once at open, then kept as blobs come and go, so
    /// the store's size (a metric scraped often) never walks the directory.
    octets: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

fn io_err(what: &str, path: &Path, e: io::Error) -> DepotError {
    DepotError::Moteur(format!("{what} {} : {}", path.display(), crate::text::erreur_io(&e)).into())
}

fn sync_dir(dir: &Path) -> Result<(), DepotError> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(|e| io_err("synchronisation du répertoire", dir, e))
}

/// A blob name: 32 lowercase hex digits.
fn nom_valide(nom: &str) -> bool {
    nom.len() == 32 && nom.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl Blobs {
    /// Opens (creating) `<data_dir>/pieces` and empties its `tmp/`: a blob there was never
    /// finished.
    pub(crate) fn open(data_dir: &Path) -> Result<Blobs, DepotError> {
        let dir = data_dir.join("pieces");
        let tmp = dir.join("tmp");
        super::droits::creer_repertoire(&tmp).map_err(|e| io_err("création de", &tmp, e))?;
        for entry in fs::read_dir(&tmp).map_err(|e| io_err("lecture de", &tmp, e))? {
            let path = entry.map_err(|e| io_err("lecture de", &tmp, e))?.path();
            fs::remove_file(&path).map_err(|e| io_err("suppression de", &path, e))?;
        }
        let blobs = Blobs { dir, octets: Default::default() };
        blobs.octets.store(blobs.compter(), std::sync::atomic::Ordering::Relaxed);
        Ok(blobs)
    }

    /// Where the blob `nom` lives (for backups, which copy it as it is).
    pub(crate) fn chemin_de(&self, nom: &str) -> PathBuf {
        self.chemin(nom)
    }

    fn chemin(&self, nom: &str) -> PathBuf {
        self.dir.join(&nom[..2]).join(format!("{nom}.pj"))
    }

    /// Starts a blob encrypted under `data_key` (its application's).
    pub(crate) fn ecrivain(&self, data_key: &DataKey) -> Result<EcrivainBlob, DepotError> {
        let nom = hex::encode(rand::random::<[u8; 16]>());
        let mut prefix = [0u8; NONCE_PREFIX];
        rand::rngs::OsRng.fill_bytes(&mut prefix);
        let key = seal::blob_key(data_key, &nom);
        let cipher = Aes256GcmRing::new(&key);
        let tmp = self.dir.join("tmp").join(&nom);
        let file = super::droits::creer_fichier(&tmp).map_err(|e| io_err("création de", &tmp, e))?;
        let mut out = BufWriter::with_capacity(CHUNK + TAG, file);
        out.write_all(MAGIC)
            .and_then(|_| out.write_all(&[FORMAT]))
            .and_then(|_| out.write_all(&prefix))
            .map_err(|e| io_err("écriture de", &tmp, e))?;
        Ok(EcrivainBlob {
            encryptor: Some(EncryptorBE32::from_aead(cipher, (&prefix).into())),
            buffer: Vec::with_capacity(CHUNK + TAG),
            out: Some(out),
            ecrits: HEADER as u64,
            amorce: 0,
            octets: self.octets.clone(),
            final_path: self.chemin(&nom),
            tmp,
            nom,
        })
    }

    /// Opens a blob for reading under `data_key`.
    pub(crate) fn lecteur(&self, nom: &str, data_key: &DataKey) -> Result<LecteurBlob, DepotError> {
        if !nom_valide(nom) {
            return Err(DepotError::Argument(format!("nom de blob invalide {:?}", crate::text::extrait(nom, 40))));
        }
        let path = self.chemin(nom);
        let corrompu = |raison: &str| DepotError::Corrompue { cle: format!("pieces/{nom}"), raison: raison.into() };
        let mut file = File::open(&path).map_err(|e| io_err("ouverture de", &path, e))?;
        let taille = file.metadata().map_err(|e| io_err("lecture de", &path, e))?.len();
        let mut header = [0u8; HEADER];
        file.read_exact(&mut header).map_err(|_| corrompu("en-tête tronqué"))?;
        if &header[..MAGIC.len()] != MAGIC || header[MAGIC.len()] != FORMAT {
            return Err(corrompu("en-tête inconnu"));
        }
        let prefix: [u8; NONCE_PREFIX] = header[MAGIC.len() + 1..].try_into().expect("taille fixe");
        let key = seal::blob_key(data_key, nom);
        let cipher = Aes256GcmRing::new(&key);
        Ok(LecteurBlob {
            decryptor: Some(DecryptorBE32::from_aead(cipher, (&prefix).into())),
            file,
            restant: taille - HEADER as u64,
            clair: Vec::with_capacity(CHUNK + TAG),
            pos: 0,
            nom: nom.to_string(),
        })
    }

    /// Removes a blob (its record is gone and durable, or was never written).
    pub(crate) fn detruire(&self, nom: &str) -> Result<(), DepotError> {
        if !nom_valide(nom) {
            return Ok(());
        }
        let path = self.chemin(nom);
        let taille = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        match fs::remove_file(&path) {
            Ok(()) => {
                self.octets.fetch_sub(taille.min(self.taille()), std::sync::atomic::Ordering::Relaxed);
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_err("suppression de", &path, e)),
        }
    }

    /// Whether a finished blob of that name exists.
    pub(crate) fn existe(&self, nom: &str) -> bool {
        nom_valide(nom) && self.chemin(nom).is_file()
    }

    /// Removes every finished blob `garder` says no piece records; returns how many.
    pub(crate) fn nettoyer(&self, garder: impl Fn(&str) -> Result<bool, DepotError>) -> Result<usize, DepotError> {
        let mut retires = 0;
        for shard in fs::read_dir(&self.dir).map_err(|e| io_err("lecture de", &self.dir, e))? {
            let shard = shard.map_err(|e| io_err("lecture de", &self.dir, e))?.path();
            if !shard.is_dir() || shard.file_name().is_some_and(|n| n == "tmp") {
                continue;
            }
            for entry in fs::read_dir(&shard).map_err(|e| io_err("lecture de", &shard, e))? {
                let path = entry.map_err(|e| io_err("lecture de", &shard, e))?.path();
                let nom = path.file_stem().and_then(|n| n.to_str()).unwrap_or_default().to_string();
                if !nom_valide(&nom) || !garder(&nom)? {
                    let taille = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                    fs::remove_file(&path).map_err(|e| io_err("suppression de", &path, e))?;
                    self.octets.fetch_sub(taille.min(self.taille()), std::sync::atomic::Ordering::Relaxed);
                    retires += 1;
                }
            }
        }
        Ok(retires)
    }

    /// Bytes of every finished blob (for the store's size).
    pub(crate) fn taille(&self) -> u64 {
        self.octets.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn compter(&self) -> u64 {
        fn walk(dir: &Path) -> u64 {
            let Ok(entries) = fs::read_dir(dir) else { return 0 };
            entries
                .flatten()
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() {
                        walk(&p)
                    } else {
                        e.metadata().map(|m| m.len()).unwrap_or(0)
                    }
                })
                .sum()
        }
        walk(&self.dir)
    }
}

/// Bytes after which the pages written so far are handed to the disk.
const AMORCE: u64 = 4 << 20;

/// Starts writeback of `[debut, fin)` without waiting for it (Linux `sync_file_range`): the disk
/// works while the rest streams in, and the final `fsync`, the acknowledgment's wait, finds little
/// left to do. Only a hint: durability still comes from that `fsync`.
fn amorcer(out: &mut BufWriter<File>, debut: u64, fin: u64) {
    if out.flush().is_err() {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: a valid open descriptor, a range inside what was written, a flag of the call.
        unsafe {
            libc::sync_file_range(
                out.get_ref().as_raw_fd(),
                debut as libc::off64_t,
                (fin - debut) as libc::off64_t,
                libc::SYNC_FILE_RANGE_WRITE,
            );
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (debut, fin);
}

/// A blob being written ([`EcritureBlob`]).
pub(crate) struct EcrivainBlob {
    encryptor: Option<EncryptorBE32<Aes256GcmRing>>,
    /// Plaintext not yet sealed: a chunk is sealed only once a byte after it arrives, so the
    /// last chunk is known to be last when it is sealed.
    buffer: Vec<u8>,
    out: Option<BufWriter<File>>,
    /// Bytes written, and how far writeback was started.
    ecrits: u64,
    amorce: u64,
    octets: std::sync::Arc<std::sync::atomic::AtomicU64>,
    tmp: PathBuf,
    final_path: PathBuf,
    nom: String,
}

impl EcrivainBlob {
    fn sceller(&mut self) -> Result<(), DepotError> {
        // The full buffer is sealed in place (its capacity holds the tag) and written; the
        // emptied allocation comes back as the next buffer.
        let enc = self.encryptor.as_mut().ok_or_else(|| DepotError::Argument("blob déjà terminé".into()))?;
        enc.encrypt_next_in_place(b"", &mut self.buffer)
            .map_err(|_| DepotError::Moteur("chiffrement d'un bloc de pièce".into()))?;
        let out = self.out.as_mut().ok_or_else(|| DepotError::Argument("blob déjà terminé".into()))?;
        out.write_all(&self.buffer).map_err(|e| io_err("écriture de", &self.tmp, e))?;
        self.ecrits += self.buffer.len() as u64;
        self.buffer.clear();
        if self.ecrits - self.amorce >= AMORCE {
            amorcer(out, self.amorce, self.ecrits);
            self.amorce = self.ecrits;
        }
        Ok(())
    }
}

impl EcritureBlob for EcrivainBlob {
    fn ecrire(&mut self, mut donnees: &[u8]) -> Result<(), DepotError> {
        while !donnees.is_empty() {
            if self.buffer.len() == CHUNK {
                self.sceller()?;
            }
            let n = (CHUNK - self.buffer.len()).min(donnees.len());
            self.buffer.extend_from_slice(&donnees[..n]);
            donnees = &donnees[n..];
        }
        Ok(())
    }

    fn terminer(mut self: Box<Self>) -> Result<String, DepotError> {
        let enc = self.encryptor.take().ok_or_else(|| DepotError::Argument("blob déjà terminé".into()))?;
        let mut last = std::mem::take(&mut self.buffer);
        enc.encrypt_last_in_place(b"", &mut last)
            .map_err(|_| DepotError::Moteur("chiffrement du dernier bloc de pièce".into()))?;
        let mut out = self.out.take().expect("écrivain ouvert");
        out.write_all(&last).map_err(|e| io_err("écriture de", &self.tmp, e))?;
        let file = out.into_inner().map_err(|e| io_err("écriture de", &self.tmp, e.into_error()))?;
        file.sync_all().map_err(|e| io_err("synchronisation de", &self.tmp, e))?;
        let taille = file.metadata().map(|m| m.len()).unwrap_or(0);
        drop(file);
        let shard = self.final_path.parent().expect("sous-répertoire").to_path_buf();
        super::droits::creer_repertoire(&shard).map_err(|e| io_err("création de", &shard, e))?;
        fs::rename(&self.tmp, &self.final_path).map_err(|e| io_err("renommage de", &self.tmp, e))?;
        sync_dir(&shard)?;
        if let Some(pieces) = shard.parent() {
            sync_dir(pieces)?;
        }
        self.octets.fetch_add(taille, std::sync::atomic::Ordering::Relaxed);
        Ok(std::mem::take(&mut self.nom))
    }
}

impl Drop for EcrivainBlob {
    fn drop(&mut self) {
        // Unfinished, or finishing failed: the temporary file goes. A finished one was renamed
        // away, and there is nothing left to remove.
        self.out = None;
        let _ = fs::remove_file(&self.tmp);
    }
}

/// A blob being read, decrypted chunk by chunk.
pub(crate) struct LecteurBlob {
    decryptor: Option<DecryptorBE32<Aes256GcmRing>>,
    file: File,
    /// Ciphertext bytes not read yet.
    restant: u64,
    clair: Vec<u8>,
    pos: usize,
    nom: String,
}

impl LecteurBlob {
    fn remplir(&mut self) -> io::Result<()> {
        let corrompu = |nom: &str| {
            io::Error::new(io::ErrorKind::InvalidData, format!("pièce {nom} : échec d'authentification du contenu"))
        };
        let Some(dec) = self.decryptor.as_mut() else { return Ok(()) };
        let last = self.restant <= (CHUNK + TAG) as u64;
        let n = self.restant.min((CHUNK + TAG) as u64) as usize;
        if n < TAG {
            return Err(corrompu(&self.nom));
        }
        self.clair.clear();
        self.clair.resize(n, 0);
        self.file.read_exact(&mut self.clair)?;
        self.restant -= n as u64;
        self.pos = 0;
        if last {
            let dec = self.decryptor.take().expect("présent");
            dec.decrypt_last_in_place(b"", &mut self.clair).map_err(|_| corrompu(&self.nom))
        } else {
            dec.decrypt_next_in_place(b"", &mut self.clair).map_err(|_| corrompu(&self.nom))
        }
    }
}

impl Read for LecteurBlob {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.clair.len() {
            if self.decryptor.is_none() {
                return Ok(0);
            }
            self.remplir()?;
        }
        let n = buf.len().min(self.clair.len() - self.pos);
        buf[..n].copy_from_slice(&self.clair[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> DataKey {
        seal::new_data_key()
    }

    fn ecrire(blobs: &Blobs, k: &DataKey, data: &[u8], morceau: usize) -> String {
        let mut w: Box<dyn EcritureBlob> = Box::new(blobs.ecrivain(k).unwrap());
        for c in data.chunks(morceau.max(1)) {
            w.ecrire(c).unwrap();
        }
        w.terminer().unwrap()
    }

    fn lire(blobs: &Blobs, nom: &str, k: &DataKey) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        blobs.lecteur(nom, k).unwrap().read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn rings_gcm_is_the_standard_gcm_of_aes_gcm() {
        use aes_gcm::aead::{Aead, KeyInit as _, Payload};
        let key = [7u8; 32];
        let nonce = [9u8; 12];
        let plain = b"contenu de piece justificative".repeat(100);
        let reference = aes_gcm::Aes256Gcm::new((&key).into())
            .encrypt((&nonce).into(), Payload { msg: &plain, aad: b"aad" })
            .unwrap();
        let mut buffer = plain.clone();
        let tag = Aes256GcmRing::new(&key).encrypt_in_place_detached((&nonce).into(), b"aad", &mut buffer).unwrap();
        buffer.extend_from_slice(&tag);
        assert_eq!(buffer, reference);
        let (ct, tag) = reference.split_at(plain.len());
        let mut ct = ct.to_vec();
        Aes256GcmRing::new(&key)
            .decrypt_in_place_detached((&nonce).into(), b"aad", &mut ct, GenericArray::from_slice(tag))
            .unwrap();
        assert_eq!(ct, plain);
        assert!(Aes256GcmRing::new(&key)
            .decrypt_in_place_detached((&nonce).into(), b"aaX", &mut ct.clone(), GenericArray::from_slice(tag))
            .is_err());
    }

    #[test]
    fn round_trips_at_every_chunk_boundary() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = Blobs::open(dir.path()).unwrap();
        let k = key();
        for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK + 17] {
            let data: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            for morceau in [1000, CHUNK, 7 * CHUNK] {
                let nom = ecrire(&blobs, &k, &data, morceau);
                assert_eq!(lire(&blobs, &nom, &k).unwrap(), data, "longueur {len}, morceaux de {morceau}");
                let taille = fs::metadata(blobs.chemin(&nom)).unwrap().len() as usize;
                // A chunk is sealed only once a byte follows it: a multiple of CHUNK has no empty tail.
                assert_eq!(taille, HEADER + len + TAG * len.div_ceil(CHUNK).max(1));
            }
        }
        // Nothing is left in tmp/, and the running count is the directory's.
        assert_eq!(fs::read_dir(dir.path().join("pieces/tmp")).unwrap().count(), 0);
        assert_eq!(blobs.taille(), blobs.compter());
        assert_eq!(Blobs::open(dir.path()).unwrap().taille(), blobs.taille());
    }

    #[test]
    fn content_is_encrypted_and_bound_to_key_name_position_and_end() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = Blobs::open(dir.path()).unwrap();
        let k = key();
        let data = b"%PDF-1.4 nom du demandeur ".repeat(10_000);
        let nom = ecrire(&blobs, &k, &data, 4096);
        let chemin = blobs.chemin(&nom);
        let brut = fs::read(&chemin).unwrap();
        assert!(memchr::memmem::find(&brut, b"nom du demandeur").is_none(), "contenu en clair sur disque");
        // Another application's key does not open it.
        assert!(lire(&blobs, &nom, &key()).is_err());
        // Cut at a chunk boundary: the last chunk read was not sealed as last.
        fs::write(&chemin, &brut[..HEADER + CHUNK + TAG]).unwrap();
        assert!(lire(&blobs, &nom, &k).is_err(), "troncature non détectée");
        // Chunks swapped.
        let mut swapped = brut[..HEADER].to_vec();
        swapped.extend_from_slice(&brut[HEADER + CHUNK + TAG..HEADER + 2 * (CHUNK + TAG)]);
        swapped.extend_from_slice(&brut[HEADER..HEADER + CHUNK + TAG]);
        swapped.extend_from_slice(&brut[HEADER + 2 * (CHUNK + TAG)..]);
        fs::write(&chemin, &swapped).unwrap();
        assert!(lire(&blobs, &nom, &k).is_err(), "permutation non détectée");
        // Copied under another name: the key derived from the name differs.
        fs::write(&chemin, &brut).unwrap();
        let autre = "ab".repeat(16);
        fs::create_dir_all(blobs.chemin(&autre).parent().unwrap()).unwrap();
        fs::copy(&chemin, blobs.chemin(&autre)).unwrap();
        assert!(lire(&blobs, &autre, &k).is_err());
        assert_eq!(lire(&blobs, &nom, &k).unwrap(), data);
    }

    #[test]
    fn an_unfinished_blob_leaves_nothing_and_orphans_go_at_start() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = Blobs::open(dir.path()).unwrap();
        let k = key();
        let mut w = blobs.ecrivain(&k).unwrap();
        w.ecrire(&[1u8; 100_000]).unwrap();
        assert_eq!(fs::read_dir(dir.path().join("pieces/tmp")).unwrap().count(), 1);
        drop(w);
        assert_eq!(fs::read_dir(dir.path().join("pieces/tmp")).unwrap().count(), 0);
        // A temporary file left by a crash goes at the next open.
        fs::write(dir.path().join("pieces/tmp/0123"), b"x").unwrap();
        let garde = ecrire(&blobs, &k, b"garde", 10);
        let orphelin = ecrire(&blobs, &k, b"orphelin", 10);
        let blobs = Blobs::open(dir.path()).unwrap();
        assert_eq!(fs::read_dir(dir.path().join("pieces/tmp")).unwrap().count(), 0);
        assert_eq!(blobs.nettoyer(|n| Ok(n == garde)).unwrap(), 1);
        assert!(blobs.existe(&garde) && !blobs.existe(&orphelin));
    }
}
