//! Events of applications and their types, as stored: `evt/<num>/<id>` holds an event's clear
//! metadata with its comment and characteristic values sealed under the application's key,
//! `evtid/<id>` the application of an event, `typevt/<territoire or *>/<code>` a type in clear.

use serde::{Deserialize, Serialize};

use super::{decode, encode, seal, Store, StoreError};
use crate::registry::depot::{Contenu, Evenement, ModificationEvenement, TypeEvenement};

/// What `evt/<num>/<id>` holds.
#[derive(Serialize, Deserialize)]
pub(super) struct EvenementStocke {
    pub(super) version: u32,
    code_type: String,
    reglementaire: bool,
    creation: (String, time::OffsetDateTime),
    modifications: Vec<ModificationEvenement>,
    date_survenance: Option<time::Date>,
    commentaire_scelle: Option<Vec<u8>>,
    valeurs_scellees: Vec<(String, Vec<u8>)>,
}

pub(super) fn evenement_prefix(num: &str) -> Vec<u8> {
    format!("evt/{num}/").into_bytes()
}

pub(super) fn evenement_key(num: &str, id: u64) -> Vec<u8> {
    format!("evt/{num}/{id:020}").into_bytes()
}

pub(super) fn evenement_id_key(id: u64) -> Vec<u8> {
    format!("evtid/{id:020}").into_bytes()
}

pub(super) fn type_key(t: &TypeEvenement) -> Vec<u8> {
    format!("typevt/{}/{}", t.territoire.as_deref().unwrap_or("*"), t.code).into_bytes()
}

/// The name each sealed field is bound to: an event's fields cannot be swapped with a piece's.
fn champ_id(id: u64) -> String {
    format!("E{id}")
}

impl Store {
    pub(super) fn write_evenement(
        &self,
        batch: &mut super::engine::WriteBatch,
        data_key: &seal::DataKey,
        e: &Evenement,
    ) -> Result<(), StoreError> {
        let (num, id) = (e.num.as_str(), champ_id(e.id));
        let stored = EvenementStocke {
            version: e.version,
            code_type: e.code_type.clone(),
            reglementaire: e.reglementaire,
            creation: e.creation.clone(),
            modifications: e.modifications.clone(),
            date_survenance: e.date_survenance,
            commentaire_scelle: e
                .commentaire
                .as_ref()
                .map(|c| seal::seal_champ(data_key, num, &id, "commentaire", &c.0))
                .transpose()?,
            valeurs_scellees: e
                .valeurs
                .iter()
                .map(|(code, v)| {
                    Ok((code.clone(), seal::seal_champ(data_key, num, &id, &format!("valeur/{code}"), &v.0)?))
                })
                .collect::<Result<_, StoreError>>()?,
        };
        batch.put(evenement_key(num, e.id), encode(&stored)?);
        batch.put(evenement_id_key(e.id), num.as_bytes().to_vec());
        Ok(())
    }

    /// The stored record of event `id` with its application's number.
    pub(super) fn evenement_stocke(&self, id: u64) -> Result<Option<(String, EvenementStocke)>, StoreError> {
        let Some(num) = self.inner.engine.get(&evenement_id_key(id))? else { return Ok(None) };
        let num = String::from_utf8_lossy(&num).into_owned();
        let key = evenement_key(&num, id);
        match self.inner.engine.get(&key)? {
            Some(v) => Ok(Some((num, decode(&key, &v)?))),
            None => Err(StoreError::Corrupt {
                key: format!("evtid/{id}"),
                reason: "événement sans enregistrement".into(),
            }),
        }
    }

    pub(super) fn ouvrir_evenement(&self, num: &str, id: u64, s: EvenementStocke) -> Result<Evenement, StoreError> {
        let entete = self.entete_stockee(num)?.ok_or_else(|| StoreError::Corrupt {
            key: format!("evt/{num}/{id}"),
            reason: "événement sans demande".into(),
        })?;
        let data_key = self.data_key(num, entete.slot)?;
        let cid = champ_id(id);
        Ok(Evenement {
            id,
            num: num.to_string(),
            version: s.version,
            code_type: s.code_type,
            reglementaire: s.reglementaire,
            creation: s.creation,
            modifications: s.modifications,
            date_survenance: s.date_survenance,
            commentaire: s
                .commentaire_scelle
                .map(|c| seal::open_champ(&data_key, num, &cid, "commentaire", &c).map(Contenu))
                .transpose()?,
            valeurs: s
                .valeurs_scellees
                .into_iter()
                .map(|(code, v)| {
                    let clair = seal::open_champ(&data_key, num, &cid, &format!("valeur/{code}"), &v)?;
                    Ok((code, Contenu(clair)))
                })
                .collect::<Result<_, StoreError>>()?,
        })
    }

    pub(super) fn lire_evenements(&self, num: &str) -> Result<Vec<Evenement>, StoreError> {
        let prefix = evenement_prefix(num);
        let mut out = Vec::new();
        for (key, value) in self.inner.engine.scan_prefix(&prefix)? {
            let id = std::str::from_utf8(&key[prefix.len()..]).ok().and_then(|s| s.parse().ok()).ok_or_else(|| {
                StoreError::Corrupt {
                    key: String::from_utf8_lossy(&key).into_owned(),
                    reason: "identifiant d'événement".into(),
                }
            })?;
            out.push(self.ouvrir_evenement(num, id, decode(&key, &value)?)?);
        }
        Ok(out)
    }

    pub(super) fn lire_types(&self) -> Result<Vec<TypeEvenement>, StoreError> {
        self.inner.engine.scan_prefix(b"typevt/")?.iter().map(|(k, v)| decode(k, v)).collect()
    }
}
