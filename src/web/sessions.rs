//! Signed-in browsers: a random session id in a cookie, the session in memory (a restart signs
//! everyone out, which is the safe side), with an idle and an absolute expiry and its own CSRF
//! token. Nothing personal is kept: who is signed in, when, and the token.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine as _;
use rand::RngCore;

/// Who a session is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Qui {
    /// A staff agent (login), acting as the identity it belongs to (code).
    Agent {
        /// Login.
        login: String,
        /// Name shown.
        nom: String,
        /// Code of the identity (counter or consultant).
        rattachement: String,
    },
    /// An applicant signed in on their application.
    Demandeur {
        /// The sign-in, valid while its code is the application's current one.
        ouverture: crate::registry::code_acces::Ouverture,
    },
}

/// One signed-in browser.
#[derive(Debug, Clone)]
pub struct Session {
    /// Who.
    pub qui: Qui,
    /// The token every form of this session carries.
    pub csrf: String,
    cree: Instant,
    vue: Instant,
    /// A text for the next page about one thing only ([`Sessions::confier`]).
    avis: Option<(String, String)>,
}

impl Qui {
    /// The account behind a session: an agent's login, an applicant's application.
    fn compte(&self) -> &str {
        match self {
            Qui::Agent { login, .. } => login,
            Qui::Demandeur { ouverture } => ouverture.num().as_str(),
        }
    }
}

/// Expiry of sessions.
#[derive(Debug, Clone, Copy)]
pub struct Durees {
    /// Without a request for this long, the session ends.
    pub inactivite: Duration,
    /// Whatever the activity, the session ends this long after sign-in.
    pub maximum: Duration,
}

/// Most sessions held at once; past it the oldest go (sign-ins are throttled, so this is a
/// bound on memory, not a limit anyone meets).
const MAX_SESSIONS: usize = 50_000;

/// Most sessions of one account (an agent on several machines, an applicant on a phone and a
/// computer); a further sign-in ends the account's oldest, never another account's.
const SESSIONS_PAR_COMPTE: usize = 8;

/// The sessions of one space (console or portal).
pub struct Sessions {
    durees: Durees,
    table: Mutex<HashMap<String, Session>>,
}

/// 32 random bytes, base64url: ids and tokens.
pub fn aleatoire() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// Equal without telling where two tokens differ.
pub fn egaux(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq as _;
    bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

impl Sessions {
    /// An empty table with these expiries.
    pub fn new(durees: Durees) -> Sessions {
        Sessions { durees, table: Mutex::new(HashMap::new()) }
    }

    /// The expiries.
    pub fn durees(&self) -> Durees {
        self.durees
    }

    /// Opens a session for `qui`; returns its id (the cookie's value).
    pub fn ouvrir(&self, qui: Qui) -> (String, Session) {
        let maintenant = Instant::now();
        let id = aleatoire();
        let session = Session { qui, csrf: aleatoire(), cree: maintenant, vue: maintenant, avis: None };
        let mut table = self.table.lock().unwrap_or_else(|p| p.into_inner());
        let compte = session.qui.compte();
        let mut siennes: Vec<(Instant, String)> =
            table.iter().filter(|(_, s)| s.qui.compte() == compte).map(|(k, s)| (s.cree, k.clone())).collect();
        if siennes.len() >= SESSIONS_PAR_COMPTE {
            siennes.sort();
            for (_, k) in &siennes[..=siennes.len() - SESSIONS_PAR_COMPTE] {
                table.remove(k);
            }
        }
        if table.len() >= MAX_SESSIONS {
            let d = self.durees;
            table.retain(|_, s| valide(s, d, maintenant));
            if table.len() >= MAX_SESSIONS {
                if let Some(plus_vieille) = table.iter().min_by_key(|(_, s)| s.cree).map(|(k, _)| k.clone()) {
                    table.remove(&plus_vieille);
                }
            }
        }
        table.insert(id.clone(), session.clone());
        (id, session)
    }

    /// The live session of `id`, its idle clock restarted; an expired one is removed.
    pub fn trouver(&self, id: &str) -> Option<Session> {
        let maintenant = Instant::now();
        let mut table = self.table.lock().unwrap_or_else(|p| p.into_inner());
        let d = self.durees;
        match table.get_mut(id) {
            Some(s) if valide(s, d, maintenant) => {
                s.vue = maintenant;
                Some(s.clone())
            }
            Some(_) => {
                table.remove(id);
                None
            }
            None => None,
        }
    }

    /// Keeps `texte` about `sujet` for the next page of session `id` on that subject only (a new
    /// access code for an application, shown once after a redirection: another tab's page of
    /// another application never shows it).
    pub fn confier(&self, id: &str, sujet: &str, texte: String) {
        if let Some(s) = self.table.lock().unwrap_or_else(|p| p.into_inner()).get_mut(id) {
            s.avis = Some((sujet.to_string(), texte));
        }
    }

    /// Takes back what [`Sessions::confier`] kept for `id` about `sujet`.
    pub fn reprendre(&self, id: &str, sujet: &str) -> Option<String> {
        let mut table = self.table.lock().unwrap_or_else(|p| p.into_inner());
        let avis = &mut table.get_mut(id)?.avis;
        match avis.take() {
            Some((s, texte)) if s == sujet => Some(texte),
            autre => {
                *avis = autre;
                None
            }
        }
    }

    /// Ends the session `id`.
    pub fn fermer(&self, id: &str) {
        self.table.lock().unwrap_or_else(|p| p.into_inner()).remove(id);
    }

    /// Ends every session of `qui` (an account deactivated).
    pub fn fermer_pour(&self, qui: impl Fn(&Qui) -> bool) {
        self.table.lock().unwrap_or_else(|p| p.into_inner()).retain(|_, s| !qui(&s.qui));
    }

    /// Ages every session by `duree` (tests of expiry without waiting).
    #[doc(hidden)]
    pub fn vieillir(&self, duree: Duration) {
        let mut table = self.table.lock().unwrap_or_else(|p| p.into_inner());
        for s in table.values_mut() {
            s.cree = s.cree.checked_sub(duree).unwrap_or(s.cree);
            s.vue = s.vue.checked_sub(duree).unwrap_or(s.vue);
        }
    }
}

fn valide(s: &Session, d: Durees, maintenant: Instant) -> bool {
    maintenant.duration_since(s.vue) < d.inactivite && maintenant.duration_since(s.cree) < d.maximum
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent() -> Qui {
        Qui::Agent { login: "marie".into(), nom: "Marie".into(), rattachement: "G1104".into() }
    }

    #[test]
    fn a_session_ends_when_idle_or_too_old() {
        let s = Sessions::new(Durees { inactivite: Duration::from_secs(600), maximum: Duration::from_secs(3600) });
        let (id, ouverte) = s.ouvrir(agent());
        assert_eq!(s.trouver(&id).unwrap().csrf, ouverte.csrf);
        assert!(s.trouver("autre").is_none());
        s.vieillir(Duration::from_secs(601));
        assert!(s.trouver(&id).is_none(), "idle");
        // Active all along, still ended by the absolute expiry.
        let (id, _) = s.ouvrir(agent());
        for _ in 0..8 {
            s.vieillir(Duration::from_secs(500));
            let mut table = s.table.lock().unwrap();
            table.get_mut(&id).unwrap().vue = Instant::now();
        }
        assert!(s.trouver(&id).is_none(), "absolute");
        let (id, _) = s.ouvrir(agent());
        s.fermer_pour(|q| matches!(q, Qui::Agent { login, .. } if login == "marie"));
        assert!(s.trouver(&id).is_none());
    }

    #[test]
    fn an_account_holds_a_few_sessions_and_a_notice_shows_once() {
        let s = Sessions::new(Durees { inactivite: Duration::from_secs(600), maximum: Duration::from_secs(3600) });
        let paul = Qui::Agent { login: "paul".into(), nom: "Paul".into(), rattachement: "G1104".into() };
        let (autre, _) = s.ouvrir(paul);
        let premiere = s.ouvrir(agent()).0;
        s.vieillir(Duration::from_secs(1));
        let ids: Vec<String> = (0..SESSIONS_PAR_COMPTE).map(|_| s.ouvrir(agent()).0).collect();
        assert!(s.trouver(&premiere).is_none(), "the account's oldest went");
        assert!(ids.iter().all(|id| s.trouver(id).is_some()));
        assert!(s.trouver(&autre).is_some(), "never another account's");
        s.confier(&ids[0], "A", "ABCD".into());
        assert_eq!(s.reprendre(&ids[1], "A"), None);
        assert_eq!(s.reprendre(&ids[0], "B"), None, "another subject");
        assert_eq!(s.reprendre(&ids[0], "A").as_deref(), Some("ABCD"));
        assert_eq!(s.reprendre(&ids[0], "A"), None, "once");
    }

    #[test]
    fn ids_and_tokens_are_long_and_compared_whole() {
        let a = aleatoire();
        assert_eq!(a.len(), 43);
        assert_ne!(a, aleatoire());
        assert!(egaux(&a, &a.clone()));
        assert!(!egaux(&a, &aleatoire()));
        assert!(!egaux(&a, &a[1..]));
    }
}
