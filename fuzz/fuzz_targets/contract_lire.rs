//! `contract::lire_demande` on arbitrary bytes, with the properties of `tests/robustness.rs`:
//! anomaly lists never empty and within the schema's lengths; an accepted file written by
//! `ecrire_demande` reads back to the same value; `ecrire_rejet` never panics and writes a
//! document the tree reader reads back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sne_gateway::contract::{self, Anomalie, LectureError};
use sne_gateway::xml;

const RELECTURE: xml::Limits = xml::Limits::uncounted(256, 256);

fuzz_target!(|data: &[u8]| {
    let limits = xml::Limits::default();
    let anomalies = match contract::lire_demande(data, limits) {
        Ok(f) => {
            let out = contract::ecrire_demande(&f);
            let again = contract::lire_demande(&out, limits)
                .expect("ecrire_demande output is accepted again");
            assert!(again == f, "round trip changed the file");
            vec![Anomalie::new("CRE-NUM", None, "règle")]
        }
        Err(LectureError::Anomalies(list)) => {
            assert!(!list.is_empty());
            for a in &list {
                assert!(!a.code.is_empty() && a.code.chars().count() <= 10, "{a:?}");
                assert!(
                    a.propriete
                        .as_ref()
                        .is_none_or(|p| p.chars().count() <= 255),
                    "{a:?}"
                );
                assert!(
                    !a.message.is_empty() && a.message.chars().count() <= 512,
                    "{a:?}"
                );
            }
            assert!(list.len() <= 1001);
            list
        }
        Err(e) => {
            assert!(!e.to_string().trim().is_empty());
            vec![Anomalie::new("X", None, "x")]
        }
    };
    if let Some(out) = contract::ecrire_rejet(data, &anomalies) {
        xml::parse(&out, RELECTURE).expect("ecrire_rejet output is well-formed");
    }
});
