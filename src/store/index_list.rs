//! The encoding of index entries: an application's list (`idxde/<num>`, read to replace its
//! entries on the next version) and the value of each entry's key (what it keeps).
//!
//! An application holds a few dozen entries, most in one or two indexes, and its list is read
//! and rewritten at every version: the list is grouped by index so that each name is written
//! once. Lists written before `donnee` existed are a bare postcard `Vec` of (index, value,
//! unique); a list is never empty (an empty one is deleted), so their first byte, a length, is
//! never 0, which marks the current format.

use serde::{Deserialize, Serialize};

use super::{decode, encode, StoreError};
use crate::registry::depot::CleIndex;

/// First byte of a list in the current format.
const FORMAT_GROUPE: u8 = 0;

/// One index's part of a list: its name, then (value, unique, kept number) per entry.
#[derive(Serialize, Deserialize)]
struct Groupe<'a> {
    #[serde(borrow)]
    index: &'a str,
    #[serde(borrow)]
    entrees: Vec<(&'a str, bool, u32)>,
}

/// An entry as lists held it before entries kept a number.
#[derive(Deserialize)]
struct CleIndexV1 {
    index: String,
    valeur: String,
    unique: bool,
}

/// The list of `entrees`, grouped by index in the order they first appear.
pub(super) fn encoder(entrees: &[CleIndex]) -> Result<Vec<u8>, StoreError> {
    let mut groupes: Vec<Groupe> = Vec::new();
    for c in entrees {
        let e = (c.valeur.as_str(), c.unique, c.donnee);
        match groupes.iter_mut().find(|g| g.index == c.index) {
            Some(g) => g.entrees.push(e),
            None => groupes.push(Groupe { index: &c.index, entrees: vec![e] }),
        }
    }
    let mut out = vec![FORMAT_GROUPE];
    out.extend(encode(&groupes)?);
    Ok(out)
}

/// The entries of a list read at `key`, in either format.
pub(super) fn decoder(key: &[u8], value: &[u8]) -> Result<Vec<CleIndex>, StoreError> {
    match value.split_first() {
        Some((&FORMAT_GROUPE, rest)) => {
            let groupes: Vec<Groupe> = decode(key, rest)?;
            Ok(groupes
                .into_iter()
                .flat_map(|g| {
                    g.entrees.into_iter().map(move |(valeur, unique, donnee)| CleIndex {
                        index: g.index.to_string(),
                        valeur: valeur.to_string(),
                        unique,
                        donnee,
                    })
                })
                .collect())
        }
        _ => Ok(decode::<Vec<CleIndexV1>>(key, value)?
            .into_iter()
            .map(|c| CleIndex { index: c.index, valeur: c.valeur, unique: c.unique, donnee: 0 })
            .collect()),
    }
}

/// The value of an entry's key: nothing for 0 (every entry written before entries kept a
/// number), else 4 bytes big-endian.
pub(super) fn valeur_entree(donnee: u32) -> Vec<u8> {
    if donnee == 0 {
        Vec::new()
    } else {
        donnee.to_be_bytes().to_vec()
    }
}

/// The number an entry's key keeps.
pub(super) fn donnee_entree(key: &[u8], value: &[u8]) -> Result<u32, StoreError> {
    match value.len() {
        0 => Ok(0),
        4 => Ok(u32::from_be_bytes(value.try_into().expect("4 bytes"))),
        n => Err(StoreError::Corrupt {
            key: String::from_utf8_lossy(key).into_owned(),
            reason: format!("entrée d'index de {n} octets (0 ou 4 attendus)"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_reads_back_in_both_formats() {
        let entrees = vec![
            CleIndex::new("recherche", "111|e|A|2026-01-02"),
            CleIndex::unique("refinterne", "G1104|42"),
            CleIndex::avec("recherche", "111|p|abcdef012345|2026-01-02", 0b101),
            CleIndex::new("expiration", "2027-01-02"),
        ];
        let octets = encoder(&entrees).unwrap();
        assert_eq!(octets[0], FORMAT_GROUPE);
        let mut relues = decoder(b"idxde/x", &octets).unwrap();
        let mut attendues = entrees.clone();
        relues.sort();
        attendues.sort();
        assert_eq!(relues, attendues);
        // Each index name is written once.
        assert_eq!(octets.windows(9).filter(|w| w == b"recherche").count(), 1);

        #[derive(Serialize)]
        struct V1<'a> {
            index: &'a str,
            valeur: &'a str,
            unique: bool,
        }
        let ancienne = encode(&vec![
            V1 { index: "identite", valeur: "ab", unique: false },
            V1 { index: "refinterne", valeur: "G|1", unique: true },
        ])
        .unwrap();
        assert_ne!(ancienne[0], FORMAT_GROUPE);
        assert_eq!(
            decoder(b"idxde/x", &ancienne).unwrap(),
            vec![CleIndex::new("identite", "ab"), CleIndex::unique("refinterne", "G|1")]
        );
    }

    #[test]
    fn an_entry_keeps_its_number() {
        for n in [0, 1, 0b1010, u32::MAX] {
            assert_eq!(donnee_entree(b"k", &valeur_entree(n)).unwrap(), n);
        }
        assert!(valeur_entree(0).is_empty());
        let err = donnee_entree(b"idx/x", &[1, 2]).unwrap_err().to_string();
        assert!(err.contains("2 octets"), "{err}");
    }
}
