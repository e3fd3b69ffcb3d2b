//! What the engine holds in memory above sled's files: every batch applied since the last
//! checkpoint (`wal.rs` holds the same, durably).
//!
//! sled's files only ever receive checkpoints: whatever sled writes to disk (all or part of a
//! frozen table) is a state the logs, kept until the checkpoint is flushed, can complete, never a
//! write the log does not hold. Readers look here first: the active table, then the table a checkpoint is
//! writing into sled (frozen), then sled. A removed key is a tombstone (`None`) until its
//! checkpoint.

use std::collections::BTreeMap;
use std::ops::Bound;

/// A key's state above sled: a value, or removed.
pub(crate) type Etat = Option<Vec<u8>>;

/// A key and its value.
pub(crate) type Paire = (Vec<u8>, Vec<u8>);

/// The tables above sled.
#[derive(Default)]
pub(crate) struct Memoire {
    /// Batches applied since the last freeze.
    pub(crate) actif: BTreeMap<Vec<u8>, Etat>,
    /// What a checkpoint is writing into sled (empty otherwise).
    pub(crate) fige: BTreeMap<Vec<u8>, Etat>,
    /// Bytes of keys and values in `actif`, to decide a checkpoint.
    pub(crate) octets: usize,
}

impl Memoire {
    /// The key's state above sled, if any.
    pub(crate) fn get(&self, key: &[u8]) -> Option<&Etat> {
        self.actif.get(key).or_else(|| self.fige.get(key))
    }

    /// Records a write.
    pub(crate) fn ecrire(&mut self, key: Vec<u8>, etat: Etat) {
        self.octets += key.len() + etat.as_ref().map_or(0, Vec::len);
        self.actif.insert(key, etat);
    }

    /// The states above sled of keys in `[debut, fin)` (`fin` `None`: no end), frozen ones
    /// overridden by active ones.
    pub(crate) fn plage(&self, debut: &[u8], fin: Option<&[u8]>) -> BTreeMap<Vec<u8>, Etat> {
        let bornes = || (Bound::Included(debut), fin.map_or(Bound::Unbounded, Bound::Excluded));
        let mut out: BTreeMap<Vec<u8>, Etat> = BTreeMap::new();
        for table in [&self.fige, &self.actif] {
            for (k, v) in table.range::<[u8], _>(bornes()) {
                out.insert(k.clone(), v.clone());
            }
        }
        out
    }
}

/// Merges sled's pairs (in key order) with the states above them, stopping at `limite` pairs.
pub(crate) fn fusionner<E>(
    sled: impl Iterator<Item = Result<Paire, E>>,
    dessus: BTreeMap<Vec<u8>, Etat>,
    limite: usize,
) -> Result<Vec<Paire>, E> {
    let mut out = Vec::new();
    let mut sled = sled.peekable();
    let mut dessus = dessus.into_iter().peekable();
    while out.len() < limite {
        let prendre_dessus = match (sled.peek(), dessus.peek()) {
            (None, None) => break,
            (Some(Err(_)), _) => return Err(sled.next().expect("peeked").expect_err("an error")),
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (Some(Ok((ks, _))), Some((kd, _))) => {
                if ks == kd {
                    // The state above replaces sled's value.
                    sled.next();
                    true
                } else {
                    kd < ks
                }
            }
        };
        if prendre_dessus {
            let (k, etat) = dessus.next().expect("peeked");
            if let Some(v) = etat {
                out.push((k, v));
            }
        } else {
            out.push(sled.next().expect("peeked").ok().expect("checked above"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_above_replace_remove_and_add_in_key_order() {
        let sled: Vec<Result<Paire, ()>> =
            ["a", "b", "c", "e"].iter().map(|k| Ok((k.as_bytes().to_vec(), b"sled".to_vec()))).collect();
        let mut m = Memoire::default();
        m.fige.insert(b"b".to_vec(), None);
        m.fige.insert(b"d".to_vec(), Some(b"fige".to_vec()));
        m.actif.insert(b"c".to_vec(), Some(b"actif".to_vec()));
        m.actif.insert(b"d".to_vec(), Some(b"actif".to_vec()));
        m.actif.insert(b"f".to_vec(), None);
        let tout = fusionner(sled.clone().into_iter(), m.plage(b"", None), usize::MAX).unwrap();
        let vu: Vec<(String, String)> =
            tout.into_iter().map(|(k, v)| (String::from_utf8(k).unwrap(), String::from_utf8(v).unwrap())).collect();
        let attendu = [("a", "sled"), ("c", "actif"), ("d", "actif"), ("e", "sled")];
        assert_eq!(vu, attendu.map(|(k, v)| (k.to_string(), v.to_string())));
        let dans_la_plage = sled
            .into_iter()
            .filter(|r| r.as_ref().is_ok_and(|(k, _)| k.as_slice() >= &b"b"[..] && k.as_slice() < &b"e"[..]));
        let deux = fusionner(dans_la_plage, m.plage(b"b", Some(b"e")), 2).unwrap();
        assert_eq!(deux.iter().map(|(k, _)| k.as_slice()).collect::<Vec<_>>(), [b"c", b"d"]);
        assert_eq!(m.get(b"b"), Some(&None));
        assert_eq!(m.get(b"d"), Some(&Some(b"actif".to_vec())));
        assert_eq!(m.get(b"a"), None);
    }
}
