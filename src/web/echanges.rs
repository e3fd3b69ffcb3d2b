//! The integrator's exchange view: each counter's recent SOAP exchanges (time, operation, file
//! type, outcome, anomalies, duration, request id), so that a publisher integrating against the
//! test base sees why a file was refused. In memory, bounded by count and age per counter. The
//! envelopes themselves are kept **only in school mode**: in production they carry nominative
//! content and are never kept.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use bytes::Bytes;
use time::{OffsetDateTime, PrimitiveDateTime};

/// Largest envelope kept (school mode); a longer one is cut, and says so.
pub const ENVELOPPE_MAX: usize = 256 * 1024;

/// A message as it travelled (school mode only).
#[derive(Debug, Clone)]
pub struct Enveloppe {
    /// Its HTTP Content-Type: an MTOM package is read with it.
    pub content_type: String,
    /// Its first [`ENVELOPPE_MAX`] bytes.
    pub corps: Bytes,
    /// Its size as it travelled: more than `corps` when it was cut.
    pub taille: usize,
}

impl Enveloppe {
    /// `corps` with its Content-Type, cut past [`ENVELOPPE_MAX`].
    pub fn new(content_type: &str, corps: Bytes) -> Enveloppe {
        let taille = corps.len();
        // Cut, the start is copied: a slice would keep the whole message alive with it (200
        // answers of 500 KB pieces held 100 MB under the side-by-side benchmark's load).
        let corps = if taille > ENVELOPPE_MAX { Bytes::copy_from_slice(&corps[..ENVELOPPE_MAX]) } else { corps };
        Enveloppe { content_type: content_type.to_string(), corps, taille }
    }

    /// Whether only its start was kept.
    pub fn coupee(&self) -> bool {
        self.taille > self.corps.len()
    }
}

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
    /// `accepte`, `reprise`, `anomalie`, `faute_emetteur`, `faute_recepteur`, `refus`.
    pub resultat: String,
    /// The fault's reason or the limit hit, when there is one.
    pub motif: String,
    /// Anomalies returned: code, path of what they refuse, message.
    pub anomalies: Vec<crate::contract::Anomalie>,
    /// Time to answer.
    pub duree: Duration,
    /// The `x-request-id` of the answer, as in the logs.
    pub request_id: String,
    /// Request and answer as sent (school mode only), each at most [`ENVELOPPE_MAX`].
    pub enveloppes: Option<(Enveloppe, Enveloppe)>,
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

    /// Records an exchange (its envelopes dropped outside school mode).
    pub fn noter(&self, mut e: Echange) {
        if !self.retention.enveloppes {
            e.enveloppes = None;
        }
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

/// What the view's form asks for; an empty field keeps everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filtre {
    /// Part of the operation's name, in any case.
    pub operation: String,
    /// The outcome's code, exactly.
    pub resultat: String,
    /// The file type (`CRE`, `MOD`...), in any case.
    pub type_fichier: String,
    /// Part of an anomaly code, in any case (`XSD`, `DOU-TROUVE`).
    pub anomalie: String,
    /// From this minute on, Paris time.
    pub du: Option<PrimitiveDateTime>,
    /// Up to this minute included, Paris time.
    pub au: Option<PrimitiveDateTime>,
}

/// A field of the form that does not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChampInvalide {
    /// The field's name.
    pub champ: &'static str,
    /// Why, in French.
    pub message: String,
}

impl Filtre {
    /// The filter of a query string's fields, or the fields that do not read.
    pub fn lire(q: &HashMap<String, String>) -> (Filtre, Vec<ChampInvalide>) {
        let texte = |k: &str| q.get(k).map(|v| v.trim().chars().take(64).collect()).unwrap_or_default();
        let mut erreurs = Vec::new();
        let mut instant = |champ: &'static str, fin: bool| {
            let v = q.get(champ).map(|v| v.trim()).unwrap_or_default();
            if v.is_empty() {
                return None;
            }
            let lu = lire_minute(v, fin);
            if lu.is_none() {
                let message =
                    format!("« {} » n'est pas une date : AAAA-MM-JJ ou AAAA-MM-JJTHH:MM.", crate::text::extrait(v, 30));
                erreurs.push(ChampInvalide { champ, message });
            }
            lu
        };
        let (du, au) = (instant("du", false), instant("au", true));
        let filtre = Filtre {
            operation: texte("operation"),
            resultat: texte("resultat"),
            type_fichier: texte("type_fichier"),
            anomalie: texte("anomalie"),
            du,
            au,
        };
        (filtre, erreurs)
    }

    /// Whether `e` passes.
    pub fn garde(&self, e: &Echange) -> bool {
        let contient = |botte: &str, aiguille: &str| botte.to_lowercase().contains(&aiguille.to_lowercase());
        let local = crate::registry::horloge::a_paris(e.quand);
        (self.operation.is_empty() || contient(&e.operation, &self.operation))
            && (self.resultat.is_empty() || e.resultat == self.resultat)
            && (self.type_fichier.is_empty()
                || e.type_fichier.as_deref().is_some_and(|t| t.eq_ignore_ascii_case(&self.type_fichier)))
            && (self.anomalie.is_empty() || e.anomalies.iter().any(|a| contient(&a.code, &self.anomalie)))
            && self.du.is_none_or(|du| local >= du)
            // The last minute of year 9999 has no next one: nothing is after it.
            && self.au.is_none_or(|au| au.checked_add(time::Duration::minutes(1)).is_none_or(|apres| local < apres))
    }
}

/// `2026-12-02T14:05` (a `datetime-local` field, seconds allowed), `2026-12-02 14:05`, or a day
/// alone: its first minute, or its last when it ends a period (`fin`), so that `au=2026-12-02`
/// keeps the whole day.
fn lire_minute(v: &str, fin: bool) -> Option<PrimitiveDateTime> {
    use time::macros::format_description;
    let (date, heure) = match v.split_once(['T', ' ']) {
        Some((d, h)) => (d, Some(h)),
        None => (v, None),
    };
    let date = time::Date::parse(date, format_description!("[year]-[month]-[day]")).ok()?;
    let heure = match heure {
        None if fin => time::Time::from_hms(23, 59, 0).ok()?,
        None => time::Time::MIDNIGHT,
        Some(h) => time::Time::parse(h, format_description!("[hour]:[minute]"))
            .or_else(|_| time::Time::parse(h, format_description!("[hour]:[minute]:[second]")))
            .ok()?,
    };
    Some(PrimitiveDateTime::new(date, heure))
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
            anomalies: vec![crate::contract::Anomalie::new("XSD-ABSENT", Some("interfaceNuu/nom"), "champ absent")],
            duree: Duration::from_millis(3),
            request_id: id.into(),
            enveloppes: Some((
                Enveloppe::new("text/xml", Bytes::from_static(b"<req/>")),
                Enveloppe::new("text/xml", Bytes::from(vec![b'x'; ENVELOPPE_MAX + 10])),
            )),
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
        assert_eq!((&req.corps[..], req.content_type.as_str(), req.coupee()), (&b"<req/>"[..], "text/xml", false));
        assert_eq!((rep.corps.len(), rep.taille, rep.coupee()), (ENVELOPPE_MAX, ENVELOPPE_MAX + 10, true));
    }

    #[test]
    fn the_filter_reads_the_form_and_keeps_what_matches() {
        let q = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        // 13:30 UTC on 2 December is 14:30 in Paris.
        let e = echange("G1104", "r", time::macros::datetime!(2026-12-02 13:30 UTC));
        let garde = |pairs: &[(&str, &str)]| {
            let (f, erreurs) = Filtre::lire(&q(pairs));
            assert!(erreurs.is_empty(), "{erreurs:?}");
            f.garde(&e)
        };
        assert!(garde(&[]));
        assert!(garde(&[("operation", "numunique"), ("type_fichier", "cre"), ("anomalie", "xsd")]));
        assert!(!garde(&[("type_fichier", "MOD")]));
        assert!(!garde(&[("anomalie", "DOU")]));
        assert!(!garde(&[("resultat", "accepte")]));
        assert!(garde(&[("du", "2026-12-02T14:30"), ("au", "2026-12-02T14:30")]), "both ends included");
        assert!(!garde(&[("du", "2026-12-02T14:31")]));
        assert!(!garde(&[("au", "2026-12-02T14:29")]));
        assert!(garde(&[("du", "2026-12-02")]), "a day alone starts at its midnight");
        assert!(garde(&[("au", "2026-12-02")]), "and ends a period with its last minute");
        assert!(!garde(&[("au", "2026-12-01")]));
        assert!(garde(&[("au", "9999-12-31T23:59")]), "no minute after the last one");
        assert!(garde(&[("du", "2026-12-02T14:30:00")]), "seconds, as some browsers send them");
        assert!(!garde(&[("au", "2026-12-02 13:59")]), "Paris time, not UTC");
        let (_, erreurs) = Filtre::lire(&q(&[("du", "hier"), ("au", "2026-13-01")]));
        assert_eq!(erreurs.iter().map(|e| e.champ).collect::<Vec<_>>(), ["du", "au"]);
        for faux in ["2026-12-02T14:5", "2026-12-02T14:05x", "2026-12-02T+1:05", "2026-12-02T24:00", "2026-12-02T", "é"]
        {
            assert_eq!(Filtre::lire(&q(&[("du", faux)])).1.len(), 1, "{faux}");
        }
        assert!(erreurs[0].message.contains("« hier » n'est pas une date"), "{}", erreurs[0].message);
    }

    #[test]
    fn no_envelope_outside_school_mode() {
        let j = Echanges::new(Retention { nombre: 3, age: Duration::from_secs(3600), enveloppes: false });
        // A cut envelope keeps its start only, not the message it was cut from.
        let message = Bytes::from(vec![b'x'; 2 * ENVELOPPE_MAX]);
        let coupee = Enveloppe::new("application/octet-stream", message.clone());
        assert!(coupee.coupee() && coupee.corps.len() == ENVELOPPE_MAX);
        assert!(message.is_unique(), "l'enveloppe coupée retient le message entier");
        j.noter(echange("G1104", "r", OffsetDateTime::now_utc()));
        let e = j.un("G1104", "r").unwrap();
        assert!(e.enveloppes.is_none());
        assert_eq!(e.anomalies.len(), 1);
    }
}
