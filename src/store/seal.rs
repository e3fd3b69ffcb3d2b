//! On-disk encoding of an application and the keyed hashes of the identity index.
//!
//! Record value, format version 1:
//!
//! ```text
//! version (1) | len (1) territoire | len (1) guichet
//!   | wrap nonce (12) | wrapped data key (32 + 16 tag)
//!   | content nonce (12) | AES-256-GCM(contenu) (n + 16 tag)
//! ```
//!
//! Each application gets its own random data key, so the content nonce is never reused under a
//! key. The wrap uses a key derived from the master key (HMAC over a label, like the index and
//! key-check keys, so the master key itself feeds one primitive only) with a random nonce: the 2^32-message bound of random GCM
//! nonces is far above the number of applications a gateway will ever seal.
//!
//! Associated data binds each ciphertext to its `num_unique`, so a value copied under another
//! number fails to open; the content's associated data also covers the version and the clear
//! fields, so they cannot be altered unnoticed.

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit};
use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::zeroize::Zeroizing;
use secrecy::{ExposeSecret, SecretBox};
use sha2::Sha256;

use super::{DemandeRecord, MasterKey, StoreError};

/// Version byte written first in every record value; bump on any layout change.
pub(crate) const FORMAT_VERSION: u8 = 1;

const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
const WRAPPED_KEY_LEN: usize = 32 + TAG_LEN;

const WRAP_AAD_LABEL: &[u8] = b"sne-gateway/dek/v1";
const CONTENT_AAD_LABEL: &[u8] = b"sne-gateway/demande/v1";
const INDEX_KEY_LABEL: &[u8] = b"sne-gateway/index/v1";
const KEY_CHECK_LABEL: &[u8] = b"sne-gateway/keycheck/v1";
const WRAP_KEY_LABEL: &[u8] = b"sne-gateway/wrap/v1";

type HmacSha256 = Hmac<Sha256>;

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

fn short_field(name: &str, value: &str) -> Result<u8, StoreError> {
    u8::try_from(value.len())
        .map_err(|_| StoreError::InvalidArgument(format!("{name} trop long ({} octets, 255 au plus)", value.len())))
}

fn header(territoire: &str, guichet: &str) -> Result<Vec<u8>, StoreError> {
    let mut out = Vec::with_capacity(3 + territoire.len() + guichet.len());
    out.push(FORMAT_VERSION);
    out.push(short_field("territoire", territoire)?);
    out.extend_from_slice(territoire.as_bytes());
    out.push(short_field("guichet", guichet)?);
    out.extend_from_slice(guichet.as_bytes());
    Ok(out)
}

fn wrap_aad(num_unique: &str) -> Vec<u8> {
    [WRAP_AAD_LABEL, &[0], num_unique.as_bytes()].concat()
}

fn content_aad(num_unique: &str, header: &[u8]) -> Vec<u8> {
    let len = (num_unique.len() as u16).to_be_bytes();
    [CONTENT_AAD_LABEL, &[0], &len, num_unique.as_bytes(), header].concat()
}

fn random_nonce() -> [u8; NONCE_LEN] {
    let mut nonce = [0u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    nonce
}

/// Encodes and encrypts a record into its stored value.
pub(crate) fn seal(master: &MasterKey, record: &DemandeRecord) -> Result<Vec<u8>, StoreError> {
    let header = header(&record.territoire, &record.guichet)?;
    let mut data_key = Zeroizing::new([0u8; 32]);
    rand::rngs::OsRng.fill_bytes(data_key.as_mut());

    let wrap_nonce = random_nonce();
    let wrapped = wrap_cipher(master)
        .encrypt((&wrap_nonce).into(), Payload { msg: data_key.as_ref(), aad: &wrap_aad(&record.num_unique) })
        .map_err(|_| StoreError::Crypto("chiffrement de la clé de données".into()))?;

    let content_nonce = random_nonce();
    let ciphertext = Aes256Gcm::new(data_key.as_ref().into())
        .encrypt(
            (&content_nonce).into(),
            Payload { msg: &record.contenu, aad: &content_aad(&record.num_unique, &header) },
        )
        .map_err(|_| StoreError::Crypto("chiffrement du contenu".into()))?;

    let mut out = Vec::with_capacity(header.len() + 2 * NONCE_LEN + wrapped.len() + ciphertext.len());
    out.extend_from_slice(&header);
    out.extend_from_slice(&wrap_nonce);
    out.extend_from_slice(&wrapped);
    out.extend_from_slice(&content_nonce);
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

/// Splits `n` bytes off the front of `input`.
fn take<'a>(input: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if input.len() < n {
        return None;
    }
    let (head, rest) = input.split_at(n);
    *input = rest;
    Some(head)
}

/// Decrypts a stored value. `key_name` is the store key it was read from, named in errors.
pub(crate) fn open(
    master: &MasterKey,
    num_unique: &str,
    key_name: &str,
    value: &[u8],
) -> Result<DemandeRecord, StoreError> {
    let corrupt = |reason: &str| StoreError::Corrupt { key: key_name.to_string(), reason: reason.to_string() };
    let mut input = value;
    let version = take(&mut input, 1).ok_or_else(|| corrupt("valeur vide"))?[0];
    if version != FORMAT_VERSION {
        return Err(StoreError::Corrupt {
            key: key_name.to_string(),
            reason: format!("version de format {version} inconnue (attendue {FORMAT_VERSION})"),
        });
    }
    let mut string_field = |what: &str| -> Result<String, StoreError> {
        let len = take(&mut input, 1).ok_or_else(|| corrupt("valeur tronquée"))?[0] as usize;
        let bytes = take(&mut input, len).ok_or_else(|| corrupt("valeur tronquée"))?;
        String::from_utf8(bytes.to_vec()).map_err(|_| corrupt(&format!("{what} n'est pas en UTF-8")))
    };
    let territoire = string_field("territoire")?;
    let guichet = string_field("guichet")?;
    let header_len = value.len() - input.len();
    let header = &value[..header_len];

    let truncated = || corrupt("valeur tronquée");
    let wrap_nonce = take(&mut input, NONCE_LEN).ok_or_else(truncated)?;
    let wrapped = take(&mut input, WRAPPED_KEY_LEN).ok_or_else(truncated)?;
    let content_nonce = take(&mut input, NONCE_LEN).ok_or_else(truncated)?;
    if input.len() < TAG_LEN {
        return Err(truncated());
    }
    let ciphertext = input;

    let data_key = Zeroizing::new(
        wrap_cipher(master).decrypt(wrap_nonce.into(), Payload { msg: wrapped, aad: &wrap_aad(num_unique) }).map_err(
            |_| corrupt("échec d'authentification de la clé de données (mauvaise clé maîtresse ou valeur déplacée)"),
        )?,
    );
    let contenu = Aes256Gcm::new(data_key.as_slice().into())
        .decrypt(content_nonce.into(), Payload { msg: ciphertext, aad: &content_aad(num_unique, header) })
        .map_err(|_| corrupt("échec d'authentification du contenu"))?;

    Ok(DemandeRecord { num_unique: num_unique.to_string(), territoire, guichet, contenu })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(num: &str) -> DemandeRecord {
        DemandeRecord {
            num_unique: num.to_string(),
            territoire: "111".to_string(),
            guichet: "G1104".to_string(),
            contenu: b"<demande><nom>DUPONT</nom></demande>".to_vec(),
        }
    }

    #[test]
    fn seal_then_open_round_trips() {
        let key = MasterKey::random();
        let rec = record("1110318016982G1104");
        let sealed = seal(&key, &rec).unwrap();
        assert_eq!(sealed[0], FORMAT_VERSION);
        assert!(!sealed.windows(6).any(|w| w == b"DUPONT"));
        let opened = open(&key, &rec.num_unique, "k", &sealed).unwrap();
        assert_eq!(opened, rec);

        let empty = DemandeRecord { contenu: Vec::new(), ..record("X") };
        let sealed = seal(&key, &empty).unwrap();
        assert_eq!(open(&key, "X", "k", &sealed).unwrap(), empty);
    }

    #[test]
    fn two_seals_of_the_same_record_differ() {
        let key = MasterKey::random();
        let rec = record("1110318016982G1104");
        assert_ne!(seal(&key, &rec).unwrap(), seal(&key, &rec).unwrap());
    }

    #[test]
    fn wrong_master_key_is_an_error_naming_the_key() {
        let rec = record("1110318016982G1104");
        let sealed = seal(&MasterKey::from_bytes([1; 32]), &rec).unwrap();
        let err =
            open(&MasterKey::from_bytes([2; 32]), &rec.num_unique, "demande/1110318016982G1104", &sealed).unwrap_err();
        match &err {
            StoreError::Corrupt { key, .. } => assert_eq!(key, "demande/1110318016982G1104"),
            other => panic!("unexpected error {other:?}"),
        }
    }

    #[test]
    fn value_moved_under_another_number_fails() {
        let key = MasterKey::random();
        let sealed = seal(&key, &record("1110318016982G1104")).unwrap();
        assert!(matches!(open(&key, "1110318016983G1104", "k", &sealed), Err(StoreError::Corrupt { .. })));
    }

    #[test]
    fn tampering_anywhere_fails_without_panic() {
        let key = MasterKey::random();
        let rec = record("N1");
        let sealed = seal(&key, &rec).unwrap();
        // Changing the clear territory must be detected, not only changes to the ciphertext.
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x01;
            assert!(open(&key, "N1", "k", &bad).is_err(), "byte {i} flipped unnoticed");
        }
        for len in 0..sealed.len() {
            assert!(open(&key, "N1", "k", &sealed[..len]).is_err(), "truncation to {len}");
        }
    }

    #[test]
    fn unknown_version_is_reported() {
        let key = MasterKey::random();
        let mut sealed = seal(&key, &record("N1")).unwrap();
        sealed[0] = 9;
        let err = open(&key, "N1", "demande/N1", &sealed).unwrap_err();
        assert!(err.to_string().contains("version de format 9"), "{err}");
        assert!(err.to_string().contains("demande/N1"), "{err}");
    }

    #[test]
    fn identity_hash_depends_on_key_and_identity() {
        let k1 = index_key(&MasterKey::from_bytes([1; 32]));
        let k2 = index_key(&MasterKey::from_bytes([2; 32]));
        let a = identity_hash(&k1, "DUPONT|JEAN|1980-01-31");
        assert_eq!(a.len(), 64);
        assert_eq!(a, identity_hash(&k1, "DUPONT|JEAN|1980-01-31"));
        assert_ne!(a, identity_hash(&k2, "DUPONT|JEAN|1980-01-31"));
        assert_ne!(a, identity_hash(&k1, "DUPONT|JEAN|1980-01-30"));
    }

    #[test]
    fn index_key_follows_the_documented_derivation() {
        let master = MasterKey::from_bytes([7; 32]);
        let expected_index_key = hmac(&[7; 32], b"sne-gateway/index/v1");
        assert_eq!(index_key(&master).expose_secret(), &expected_index_key);
        assert_eq!(identity_hash(&index_key(&master), "A"), hex::encode(hmac(&expected_index_key, b"A")));
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
