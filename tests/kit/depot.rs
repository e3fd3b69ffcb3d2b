//! A registration as the registry writes it through the storage port, for the tests and
//! benchmarks that drive the store directly.

use sne_gateway::registry::depot::{Attributs, CleIndex, Contenu, Ecriture, Etat, Transaction, VersionInfo};
use time::Date;

/// Clear attributes of an active application of territory 111 filed on `date`.
pub fn attributs(date: Date) -> Attributs {
    Attributs {
        territoire: "111".into(),
        guichet: "G1104".into(),
        etat: Etat::Active,
        date_depot: date,
        date_enregistrement: date,
        date_renouvellement: None,
        date_expiration: date,
        radiation: None,
        communes: vec!["31555".into()],
        num_associe: None,
        statut_dalo: None,
        date_dalo: None,
        decision_dalo: None,
        cle_ref_interne: None,
    }
}

/// The transaction creating `num` with `contenu` and `index`.
pub fn creation(num: String, contenu: Vec<u8>, index: Vec<CleIndex>) -> Transaction {
    Transaction::une(Ecriture::Creer {
        num,
        attributs: attributs(time::macros::date!(2026 - 11 - 02)),
        info: VersionInfo {
            version: 1,
            type_fichier: "CRE".into(),
            auteur: "G1104".into(),
            horodatage: time::OffsetDateTime::UNIX_EPOCH,
        },
        contenu: Contenu(contenu),
        index,
    })
}
