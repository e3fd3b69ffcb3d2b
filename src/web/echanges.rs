//! The integrator's exchange view: each counter's recent SOAP exchanges (time, operation, file
//! type, outcome, anomalies, duration, request id), so that a publisher integrating against the
//! test base sees why a file was refused. In memory, bounded by count and age per counter. The
//! envelopes themselves are kept **only in school mode**: in production they carry nominative
//! content and are never kept.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use bytes::Bytes;
use time::OffsetDateTime;

/// Largest envelope kept (school mode); a longer one is cut, and says so.
pub const ENVELOPPE_MAX: usize = 256 * 1024;

/// One SOAP exchange of a counter.
#[derive(Debug, Clone)]
pub struct Echange {
    /// When it was answered.
    pub quand: OffsetDateTime,
    /// The counter (or other identity) that called.
    pub guichet: String,
    /// Service called.
    pub service: String,
    /// Operation recognised (`-` when the request was refused before).
    pub operation: String,
    /// `typeFichier`, when the operation carries one.
    pub type_fichier: Option<String>,
    /// `accepte`, `anomalie`, `faute_emetteur`, `faute_recepteur`, `refus`.
    pub resultat: String,
    /// The fault's reason or the limit hit, when there is one.
    pub motif: String,
    /// Anomalies returned: code and message.
    pub anomalies: Vec<(String, String)>,
    /// Time to answer.
    pub duree: Duration,
    /// The `x-request-id` of the answer, as in the logs.
    pub request_id: String,
    /// Request and answer as sent (school mode only), each at most [`ENVELOPPE_MAX`].
    pub enveloppes: Option<(Bytes, Bytes)>,
}

/// How much is kept.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    /// Exchanges per counter.
    pub nombre: usize,
    /// Older ones are dropped.
    pub age: Duration,
    /// Whether envelopes are kept (school mode only).
    pub enveloppes: bool,
}

/// Recent exchanges by counter.
pub struct Echanges {
    retention: Retention,
    par_guichet: Mutex<HashMap<String, VecDeque<Echange>>>,
}

impl Echanges {
    /// An empty journal kept as `retention` says.
    pub fn new(retention: Retention) -> Echanges {
        Echanges { retention, par_guichet: Mutex::new(HashMap::new()) }
    }

    /// What is kept.
    pub fn retention(&self) -> Retention {
        self.retention
    }

    /// Records an exchange (its envelopes dropped outside school mode, cut past the limit).
    pub fn noter(&self, mut e: Echange) {
        if !self.retention.enveloppes {
            e.enveloppes = None;
        }
        e.enveloppes = e.enveloppes.map(|(a, b)| (couper(a), couper(b)));
        let mut table = self.par_guichet.lock().unwrap_or_else(|p| p.into_inner());
        let file = table.entry(e.guichet.clone()).or_default();
        file.push_front(e);
        file.truncate(self.retention.nombre);
        self.oublier(file);
    }

    fn oublier(&self, file: &mut VecDeque<Echange>) {
        let limite = OffsetDateTime::now_utc() - self.retention.age;
        while file.back().is_some_and(|e| e.quand < limite) {
            file.pop_back();
        }
    }

    /// The exchanges of `guichet`, newest first.
    pub fn de(&self, guichet: &str) -> Vec<Echange> {
        let mut table = self.par_guichet.lock().unwrap_or_else(|p| p.into_inner());
        match table.get_mut(guichet) {
            Some(file) => {
                self.oublier(file);
                file.iter().cloned().collect()
            }
            None => Vec::new(),
        }
    }

    /// One exchange of `guichet` by request id.
    pub fn un(&self, guichet: &str, request_id: &str) -> Option<Echange> {
        self.de(guichet).into_iter().find(|e| e.request_id == request_id)
    }
}

fn couper(b: Bytes) -> Bytes {
    if b.len() <= ENVELOPPE_MAX {
        return b;
    }
    let mut v = b.slice(..ENVELOPPE_MAX).to_vec();
    v.extend_from_slice(format!("\n[… coupé : {} octets en tout, {ENVELOPPE_MAX} gardés]", b.len()).as_bytes());
    Bytes::from(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn echange(guichet: &str, id: &str, quand: OffsetDateTime) -> Echange {
        Echange {
            quand,
            guichet: guichet.into(),
            service: "DemandeLogementImplService".into(),
            operation: "getNumUnique".into(),
            type_fichier: Some("CRE".into()),
            resultat: "anomalie".into(),
            motif: String::new(),
            anomalies: vec![("XSD-ABSENT".into(), "champ absent".into())],
            duree: Duration::from_millis(3),
            request_id: id.into(),
            enveloppes: Some((Bytes::from_static(b"<req/>"), Bytes::from(vec![b'x'; ENVELOPPE_MAX + 10]))),
        }
    }

    #[test]
    fn kept_by_counter_newest_first_bounded_by_count_and_age() {
        let j = Echanges::new(Retention { nombre: 3, age: Duration::from_secs(3600), enveloppes: true });
        let maintenant = OffsetDateTime::now_utc();
        j.noter(echange("G1104", "vieux", maintenant - Duration::from_secs(7200)));
        for i in 0..4 {
            j.noter(echange("G1104", &format!("r{i}"), maintenant));
        }
        j.noter(echange("G2204", "autre", maintenant));
        let ids: Vec<_> = j.de("G1104").into_iter().map(|e| e.request_id).collect();
        assert_eq!(ids, ["r3", "r2", "r1"]);
        assert_eq!(j.de("G2204").len(), 1);
        assert!(j.un("G1104", "autre").is_none(), "another counter's exchange");
        let (req, rep) = j.un("G1104", "r3").unwrap().enveloppes.unwrap();
        assert_eq!(&req[..], b"<req/>");
        assert!(rep.len() < ENVELOPPE_MAX + 100 && String::from_utf8_lossy(&rep).contains("coupé"));
    }

    #[test]
    fn no_envelope_outside_school_mode() {
        let j = Echanges::new(Retention { nombre: 3, age: Duration::from_secs(3600), enveloppes: false });
        j.noter(echange("G1104", "r", OffsetDateTime::now_utc()));
        let e = j.un("G1104", "r").unwrap();
        assert!(e.enveloppes.is_none());
        assert_eq!(e.anomalies.len(), 1);
    }
}
