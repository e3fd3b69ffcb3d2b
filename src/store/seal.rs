//! The encoding of sealed values: per-application data keys, wrapped by the master key, seal the
//! contents of that application's versions; identities are indexed by keyed hash.
//!
//! A wrapped data key (kept in the key vault, `coffre.rs`, never in the engine) is
//! `nonce (12) | AES-256-GCM(data key) (32 + 16 tag)`, with associated data binding it to its
//! application number and vault slot. A sealed content is
//! `format (1) | nonce (12) | AES-256-GCM(content) (n + 16 tag)`, with associated data binding it
//! to its number and version, so a value copied under another number or version fails to open.
//! The content is compressed (zstd) against a dictionary before it is encrypted: the dictionary
//! is the contract's own complete example file (`assets/dictionnaire/contenu-v1.xml`), so the
//! tags and codes every application repeats cost almost nothing, and an application file shrinks
//! about twentyfold (ciphertext does not compress). The dictionary is part of the format: its
//! id is the byte after the version, and a test pins its digest.
//!
//! Each application has its own random data key, so destroying that key (its vault slot
//! overwritten) leaves every copy of its contents (stale pages of the engine's files, old
//! backups' data) undecryptable even with the master key. The wrap key is derived from the master
//! key (HMAC over a label, like the index and key-check keys, so the master key itself feeds one
//! primitive only); random 96-bit nonces stay far below GCM's 2^32-message bound per key.

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit};
use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::zeroize::Zeroizing;
use secrecy::{ExposeSecret, SecretBox};
use sha2::Sha256;

use super::{MasterKey, StoreError};

/// Version byte of the store's layout (`meta/version`) and of every sealed content.
pub(crate) const FORMAT_VERSION: u8 = 2;

const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
/// Bytes of a wrapped data key: nonce, key, tag.
pub(crate) const WRAPPED_LEN: usize = NONCE_LEN + 32 + TAG_LEN;

const WRAP_AAD_LABEL: &[u8] = b"sne-gateway/dek/v2";
const CONTENT_AAD_LABEL: &[u8] = b"sne-gateway/contenu/v2";
const INDEX_KEY_LABEL: &[u8] = b"sne-gateway/index/v1";
const KEY_CHECK_LABEL: &[u8] = b"sne-gateway/keycheck/v1";
const WRAP_KEY_LABEL: &[u8] = b"sne-gateway/wrap/v1";
const BLOB_KEY_LABEL: &[u8] = b"sne-gateway/piece/v1";
const CHAMP_AAD_LABEL: &[u8] = b"sne-gateway/piece-champ/v1";

type HmacSha256 = Hmac<Sha256>;

/// An application's data key, zeroed when dropped.
pub(crate) type DataKey = Zeroizing<[u8; 32]>;

fn hmac(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// The key of the identity index: HMAC-SHA256(master key, "sne-gateway/index/v1").
pub(crate) fn index_key(master: &MasterKey) -> SecretBox<[u8; 32]> {
    SecretBox::init_with_mut(|k: &mut [u8; 32]| *k = hmac(master.expose(), INDEX_KEY_LABEL))
}

/// Keyed hash of one identity string, as written in index keys.
pub(crate) fn identity_hash(index_key: &SecretBox<[u8; 32]>, identite: &str) -> String {
    hex::encode(hmac(index_key.expose_secret(), identite.as_bytes()))
}

/// The key that wraps data keys: HMAC-SHA256(master key, "sne-gateway/wrap/v1").
fn wrap_cipher(master: &MasterKey) -> Aes256Gcm {
    let key = SecretBox::init_with_mut(|k: &mut [u8; 32]| *k = hmac(master.expose(), WRAP_KEY_LABEL));
    Aes256Gcm::new(key.expose_secret().into())
}

/// The key of one piece blob: HMAC-SHA256(the application's data key, label | blob name). One key
/// per blob, so the STREAM nonces of two blobs never meet under one key.
pub(crate) fn blob_key(data_key: &DataKey, blob: &str) -> Zeroizing<[u8; 32]> {
    Zeroizing::new(hmac(data_key.as_ref(), &[BLOB_KEY_LABEL, &[0], blob.as_bytes()].concat()))
}

fn champ_aad(num: &str, id: &str, champ: &str) -> Vec<u8> {
    [CHAMP_AAD_LABEL, &[0], num.as_bytes(), &[0], id.as_bytes(), &[0], champ.as_bytes()].concat()
}

/// Seals a short field of a piece's record (its file name, a qualification's reason), bound to
/// its application, piece and field.
pub(crate) fn seal_champ(key: &DataKey, num: &str, id: &str, champ: &str, plain: &[u8]) -> Result<Vec<u8>, StoreError> {
    let nonce = random_nonce();
    let ciphertext = Aes256Gcm::new(key.as_ref().into())
        .encrypt((&nonce).into(), Payload { msg: plain, aad: &champ_aad(num, id, champ) })
        .map_err(|_| StoreError::Crypto("chiffrement d'un champ de pièce".into()))?;
    Ok([&nonce[..], &ciphertext].concat())
}

/// Opens a field sealed by [`seal_champ`].
pub(crate) fn open_champ(key: &DataKey, num: &str, id: &str, champ: &str, value: &[u8]) -> Result<Vec<u8>, StoreError> {
    let corrupt =
        || StoreError::Corrupt { key: format!("piece/{num}/{id}"), reason: format!("le champ {champ} ne s'ouvre pas") };
    if value.len() < NONCE_LEN + TAG_LEN {
        return Err(corrupt());
    }
    let (nonce, ciphertext) = value.split_at(NONCE_LEN);
    Aes256Gcm::new(key.as_ref().into())
        .decrypt(nonce.into(), Payload { msg: ciphertext, aad: &champ_aad(num, id, champ) })
        .map_err(|_| corrupt())
}

/// A value stored once per store to recognise its master key without opening any record.
pub(crate) fn key_check(master: &MasterKey) -> [u8; 32] {
    hmac(master.expose(), KEY_CHECK_LABEL)
}

/// Constant-time comparison of a stored key check with the one of `master`.
pub(crate) fn key_check_matches(master: &MasterKey, stored: &[u8]) -> bool {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(master.expose()).expect("HMAC accepts any key length");
    mac.update(KEY_CHECK_LABEL);
    mac.verify_slice(stored).is_ok()
}

fn random_nonce() -> [u8; NONCE_LEN] {
    let mut nonce = [0u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    nonce
}

/// A fresh random data key.
pub(crate) fn new_data_key() -> DataKey {
    let mut key = Zeroizing::new([0u8; 32]);
    rand::rngs::OsRng.fill_bytes(key.as_mut());
    key
}

fn wrap_aad(num: &str, slot: u64) -> Vec<u8> {
    [WRAP_AAD_LABEL, &[0], &slot.to_be_bytes(), num.as_bytes()].concat()
}

/// Wraps `key` for the application `num` in vault slot `slot`.
pub(crate) fn wrap(master: &MasterKey, num: &str, slot: u64, key: &DataKey) -> Result<[u8; WRAPPED_LEN], StoreError> {
    let nonce = random_nonce();
    let wrapped = wrap_cipher(master)
        .encrypt((&nonce).into(), Payload { msg: key.as_ref(), aad: &wrap_aad(num, slot) })
        .map_err(|_| StoreError::Crypto("chiffrement de la clé de données".into()))?;
    let mut out = [0u8; WRAPPED_LEN];
    out[..NONCE_LEN].copy_from_slice(&nonce);
    out[NONCE_LEN..].copy_from_slice(&wrapped);
    Ok(out)
}

/// Unwraps the data key of `num` read from vault slot `slot`.
pub(crate) fn unwrap(master: &MasterKey, num: &str, slot: u64, wrapped: &[u8]) -> Result<DataKey, StoreError> {
    let corrupt = || StoreError::Corrupt {
        key: format!("coffre/{slot}"),
        reason: "la clé de données ne s'ouvre pas (mauvaise clé maîtresse ou emplacement déplacé)".into(),
    };
    if wrapped.len() != WRAPPED_LEN {
        return Err(corrupt());
    }
    let (nonce, ciphertext) = wrapped.split_at(NONCE_LEN);
    let plain = Zeroizing::new(
        wrap_cipher(master)
            .decrypt(nonce.into(), Payload { msg: ciphertext, aad: &wrap_aad(num, slot) })
            .map_err(|_| corrupt())?,
    );
    let mut key = Zeroizing::new([0u8; 32]);
    key.copy_from_slice(plain.as_slice());
    Ok(key)
}

fn content_aad(num: &str, version: u32) -> Vec<u8> {
    [CONTENT_AAD_LABEL, &[0], &version.to_be_bytes(), num.as_bytes()].concat()
}

/// The content dictionary of id 1; never change it (stored values depend on it): add another id.
static DICTIONNAIRE_V1: &[u8] = include_bytes!("../../assets/dictionnaire/contenu-v1.xml");
const DICTIONNAIRE: u8 = 1;
const NIVEAU: i32 = 3;

static COMPRESSION: std::sync::LazyLock<zstd::dict::EncoderDictionary<'static>> =
    std::sync::LazyLock::new(|| zstd::dict::EncoderDictionary::copy(DICTIONNAIRE_V1, NIVEAU));
static DECOMPRESSION: std::sync::LazyLock<zstd::dict::DecoderDictionary<'static>> =
    std::sync::LazyLock::new(|| zstd::dict::DecoderDictionary::copy(DICTIONNAIRE_V1));

/// zstd contexts already made, lent to one seal or open at a time. A context is costly to create
/// (its workspace: a tenth of a read's CPU when each read made its own) and holds memory while it
/// lives (a context per runtime and blocking thread, dozens under load, held tens of megabytes),
/// so a few are kept and reused: as many as seals or opens ran at once, at most [`CONTEXTES_MAX`].
struct Contextes<C> {
    libres: std::sync::Mutex<Vec<C>>,
}

/// Contexts kept per kind.
const CONTEXTES_MAX: usize = 8;

impl<C> Contextes<C> {
    const fn new() -> Contextes<C> {
        Contextes { libres: std::sync::Mutex::new(Vec::new()) }
    }

    /// Runs `f` with a context (a kept one, or one made by `creer`), kept afterwards.
    fn avec<T>(
        &self,
        creer: impl FnOnce() -> std::io::Result<C>,
        f: impl FnOnce(&mut C) -> std::io::Result<T>,
    ) -> std::io::Result<T> {
        let pris = self.libres.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let mut c = match pris {
            Some(c) => c,
            None => creer()?,
        };
        let r = f(&mut c);
        let mut libres = self.libres.lock().unwrap_or_else(|p| p.into_inner());
        if libres.len() < CONTEXTES_MAX {
            libres.push(c);
        }
        r
    }
}

static COMPRESSEURS: Contextes<zstd::bulk::Compressor<'static>> = Contextes::new();
static DECOMPRESSEURS: Contextes<zstd::bulk::Decompressor<'static>> = Contextes::new();

/// Largest content a sealed value may expand to (a guard: values are authenticated, so only a
/// stolen key could forge a larger one).
const MAX_CONTENU: u64 = 64 << 20;

/// Seals version `version` of `num`'s content.
pub(crate) fn seal(key: &DataKey, num: &str, version: u32, contenu: &[u8]) -> Result<Vec<u8>, StoreError> {
    let compresse = COMPRESSEURS
        .avec(|| zstd::bulk::Compressor::with_prepared_dictionary(&COMPRESSION), |c| c.compress(contenu))
        .map_err(|e| StoreError::Crypto(format!("compression : {e}")))?;
    let nonce = random_nonce();
    let ciphertext = Aes256Gcm::new(key.as_ref().into())
        .encrypt((&nonce).into(), Payload { msg: &compresse, aad: &content_aad(num, version) })
        .map_err(|_| StoreError::Crypto("chiffrement du contenu".into()))?;
    let mut out = Vec::with_capacity(2 + NONCE_LEN + ciphertext.len());
    out.push(FORMAT_VERSION);
    out.push(DICTIONNAIRE);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

/// Opens a sealed content; `key_name` is the store key it was read from, named in errors.
pub(crate) fn open(
    key: &DataKey,
    num: &str,
    version: u32,
    key_name: &str,
    value: &[u8],
) -> Result<Vec<u8>, StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt { key: key_name.to_string(), reason };
    let Some((&format, rest)) = value.split_first() else {
        return Err(corrupt("valeur vide".into()));
    };
    if format != FORMAT_VERSION {
        return Err(corrupt(format!("version de format {format} inconnue (attendue {FORMAT_VERSION})")));
    }
    let Some((&dictionnaire, rest)) = rest.split_first() else {
        return Err(corrupt("valeur tronquée".into()));
    };
    if dictionnaire != DICTIONNAIRE {
        return Err(corrupt(format!("dictionnaire de compression {dictionnaire} inconnu (attendu {DICTIONNAIRE})")));
    }
    if rest.len() < NONCE_LEN + TAG_LEN {
        return Err(corrupt("valeur tronquée".into()));
    }
    let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
    let compresse = Aes256Gcm::new(key.as_ref().into())
        .decrypt(nonce.into(), Payload { msg: ciphertext, aad: &content_aad(num, version) })
        .map_err(|_| corrupt("échec d'authentification du contenu".into()))?;
    // The frame says its size (the compressor writes it): a buffer of that size, not of the
    // largest size allowed (64 MiB allocated and freed at every read cost a page-table churn
    // and, with an allocator that keeps freed memory, hundreds of megabytes of resident memory).
    let capacite = zstd::zstd_safe::get_frame_content_size(&compresse)
        .ok()
        .flatten()
        .filter(|t| *t <= MAX_CONTENU)
        .map_or(MAX_CONTENU, |t| t) as usize;
    DECOMPRESSEURS
        .avec(
            || zstd::bulk::Decompressor::with_prepared_dictionary(&DECOMPRESSION),
            |d| d.decompress(&compresse, capacite),
        )
        .map_err(|e| corrupt(format!("contenu illisible après déchiffrement ({e})")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTENU: &[u8] = b"<demande><nom>DUPONT</nom></demande>";

    #[test]
    fn seal_then_open_round_trips_and_hides_the_content() {
        let key = new_data_key();
        let sealed = seal(&key, "N1", 1, CONTENU).unwrap();
        assert_eq!(sealed[0], FORMAT_VERSION);
        let repetitif = "<ns2:detailRessource>".repeat(400);
        assert!(seal(&key, "N1", 1, repetitif.as_bytes()).unwrap().len() < repetitif.len() / 10, "compressed");
        assert_eq!(
            open(&key, "N1", 1, "k", &seal(&key, "N1", 1, repetitif.as_bytes()).unwrap()).unwrap(),
            repetitif.as_bytes()
        );
        assert!(!sealed.windows(6).any(|w| w == b"DUPONT"));
        assert_eq!(open(&key, "N1", 1, "k", &sealed).unwrap(), CONTENU);
        assert_ne!(seal(&key, "N1", 1, CONTENU).unwrap(), sealed, "random nonces");
        let empty = seal(&key, "N1", 2, b"").unwrap();
        assert_eq!(open(&key, "N1", 2, "k", &empty).unwrap(), b"");
    }

    /// Stored values depend on the dictionary byte for byte: it may never change under its id.
    #[test]
    fn the_content_dictionary_is_pinned_and_shrinks_an_application_file() {
        assert_eq!(
            hex::encode(sha2::Digest::finalize(<Sha256 as sha2::Digest>::new_with_prefix(DICTIONNAIRE_V1))),
            "c116cd0d4f0f9481c67eed4a437b9be56ca1fa294ee6909e9f319ae16ba21674"
        );
        let fichier =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/demande/valid/cre_minimal_v0200.xml"))
                .unwrap();
        let sealed = seal(&new_data_key(), "N1", 1, &fichier).unwrap();
        assert!(sealed.len() * 4 < fichier.len(), "{} sealed bytes for {}", sealed.len(), fichier.len());
    }

    #[test]
    fn a_content_moved_to_another_number_or_version_or_key_fails() {
        let key = new_data_key();
        let sealed = seal(&key, "N1", 1, CONTENU).unwrap();
        assert!(open(&key, "N2", 1, "k", &sealed).is_err());
        assert!(open(&key, "N1", 2, "k", &sealed).is_err());
        let err = open(&new_data_key(), "N1", 1, "version/N1/1", &sealed).unwrap_err();
        assert!(err.to_string().contains("version/N1/1"), "{err}");
    }

    #[test]
    fn tampering_and_truncation_fail_without_panic() {
        let key = new_data_key();
        let sealed = seal(&key, "N1", 1, CONTENU).unwrap();
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x01;
            assert!(open(&key, "N1", 1, "k", &bad).is_err(), "byte {i} flipped unnoticed");
        }
        for len in 0..sealed.len() {
            assert!(open(&key, "N1", 1, "k", &sealed[..len]).is_err(), "truncation to {len}");
        }
    }

    #[test]
    fn a_wrapped_key_opens_only_with_its_master_key_number_and_slot() {
        let master = MasterKey::from_bytes([1; 32]);
        let key = new_data_key();
        let wrapped = wrap(&master, "N1", 7, &key).unwrap();
        assert_eq!(*unwrap(&master, "N1", 7, &wrapped).unwrap(), *key);
        assert!(unwrap(&MasterKey::from_bytes([2; 32]), "N1", 7, &wrapped).is_err());
        assert!(unwrap(&master, "N2", 7, &wrapped).is_err());
        assert!(unwrap(&master, "N1", 8, &wrapped).is_err());
        assert!(unwrap(&master, "N1", 7, &wrapped[1..]).is_err());
    }

    #[test]
    fn identity_hash_follows_the_documented_derivation() {
        let master = MasterKey::from_bytes([7; 32]);
        let expected_index_key = hmac(&[7; 32], b"sne-gateway/index/v1");
        assert_eq!(index_key(&master).expose_secret(), &expected_index_key);
        let a = identity_hash(&index_key(&master), "A");
        assert_eq!(a, hex::encode(hmac(&expected_index_key, b"A")));
        assert_ne!(a, identity_hash(&index_key(&MasterKey::from_bytes([8; 32])), "A"));
    }

    #[test]
    fn key_check_recognises_its_key() {
        let k1 = MasterKey::from_bytes([1; 32]);
        let k2 = MasterKey::from_bytes([2; 32]);
        assert!(key_check_matches(&k1, &key_check(&k1)));
        assert!(!key_check_matches(&k2, &key_check(&k1)));
        assert!(!key_check_matches(&k1, &[]));
    }
}
