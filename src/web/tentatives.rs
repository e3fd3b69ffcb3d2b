//! Sign-in throttling, per account (a login, an application number) and per address: a few
//! failures are free, then each one doubles the wait before the next attempt is even checked.
//! A success clears the account's count, never the address's.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use hyper::header::{HeaderValue, RETRY_AFTER};
use hyper::StatusCode;

use super::reponse::Reponse;

/// Thresholds of one kind of key.
#[derive(Debug, Clone, Copy)]
pub struct Seuils {
    /// Failures allowed before waits start.
    pub gratuites: u32,
    /// First wait; doubled at each further failure.
    pub attente: Duration,
    /// Longest wait.
    pub attente_max: Duration,
}

#[derive(Debug, Clone, Copy)]
struct Compte {
    echecs: u32,
    jusqua: Option<Instant>,
    dernier: Instant,
}

/// Most keys remembered; older quiet ones are forgotten first.
const MAX_CLES: usize = 100_000;

/// Failures by key.
pub struct Tentatives {
    compte: Seuils,
    adresse: Seuils,
    table: Mutex<HashMap<String, Compte>>,
}

/// An attempt let through, counted as a failure until [`Tentatives::succes`] says otherwise.
#[derive(Debug, Clone, Copy)]
#[must_use = "a successful attempt is handed back to `succes`"]
pub struct Essai {
    /// The address's count before this attempt (none yet: `None`).
    adresse_avant: Option<Compte>,
    /// When it was counted.
    quand: Instant,
}

/// A refused attempt: when the next one will be looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attendre(pub Duration);

impl Attendre {
    /// The wait in whole minutes, at least one, as pages say it.
    pub fn minutes(&self) -> u64 {
        self.0.as_secs().div_ceil(60).max(1)
    }

    /// A sign-in form's answer while the wait lasts: `page` rendered with the message saying
    /// how long and the status 429, with `Retry-After`.
    pub fn reponse(&self, page: impl FnOnce(String, StatusCode) -> Reponse) -> Reponse {
        let message = format!("Trop de tentatives de connexion : réessayez dans {} minute(s).", self.minutes());
        let mut r = page(message, StatusCode::TOO_MANY_REQUESTS);
        r.headers_mut().insert(RETRY_AFTER, HeaderValue::from(self.0.as_secs().max(1)));
        r
    }
}

impl Tentatives {
    /// Throttles accounts with `compte` and addresses with `adresse`.
    pub fn new(compte: Seuils, adresse: Seuils) -> Tentatives {
        Tentatives { compte, adresse, table: Mutex::new(HashMap::new()) }
    }

    fn cles(espace: &str, compte: &str, adresse: IpAddr) -> [(String, bool); 2] {
        // An IPv4 client of a dual-stack listener arrives as `::ffff:a.b.c.d`: its own address,
        // not the /64 every such client shares. IPv6 clients are throttled by their /64: one
        // machine holds the whole of it.
        let adresse = match adresse.to_canonical() {
            IpAddr::V6(v6) => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
            v4 => v4.to_string(),
        };
        // A key is bounded whatever was typed as a login.
        let compte: String = compte.chars().take(64).collect();
        [(format!("{espace}|c|{compte}"), true), (format!("{espace}|a|{adresse}"), false)]
    }

    /// Whether an attempt on `compte` from `adresse` may be checked now; if so it counts as a
    /// failure at once, so that attempts sent side by side cannot all pass while the first
    /// ones are still being checked ([`Tentatives::succes`] takes it back).
    pub fn tenter(&self, espace: &str, compte: &str, adresse: IpAddr) -> Result<Essai, Attendre> {
        let maintenant = Instant::now();
        let mut table = self.table.lock().unwrap_or_else(|p| p.into_inner());
        let cles = Self::cles(espace, compte, adresse);
        let mut attente = Duration::ZERO;
        for (cle, _) in &cles {
            if let Some(j) = table.get(cle).and_then(|c| c.jusqua).filter(|j| *j > maintenant) {
                attente = attente.max(j - maintenant);
            }
        }
        if !attente.is_zero() {
            return Err(Attendre(attente));
        }
        if table.len() >= MAX_CLES {
            let oubli = self.compte.attente_max.max(self.adresse.attente_max) * 2;
            table.retain(|_, c| maintenant.duration_since(c.dernier) < oubli);
            // Still full (a flood of fresh keys): the quietest goes.
            while table.len() >= MAX_CLES {
                let Some(k) = table.iter().min_by_key(|(_, c)| c.dernier).map(|(k, _)| k.clone()) else { break };
                table.remove(&k);
            }
        }
        let adresse_avant = table.get(&cles[1].0).copied();
        for (cle, est_compte) in cles {
            let s = if est_compte { self.compte } else { self.adresse };
            let c = table.entry(cle).or_insert(Compte { echecs: 0, jusqua: None, dernier: maintenant });
            // A long quiet spell forgives.
            if maintenant.duration_since(c.dernier) > s.attente_max * 2 {
                c.echecs = 0;
            }
            c.echecs += 1;
            c.dernier = maintenant;
            if c.echecs > s.gratuites {
                let doublements = (c.echecs - s.gratuites - 1).min(20);
                let attente = s.attente.saturating_mul(1 << doublements).min(s.attente_max);
                c.jusqua = Some(maintenant + attente);
            }
        }
        Ok(Essai { adresse_avant, quand: maintenant })
    }

    /// The attempt `essai` succeeded: the account starts afresh, and the address is as it was
    /// before it (its count, and no wait this success would have set); when other attempts
    /// from the address came in between, it only gets the one attempt back, their waits stand.
    pub fn succes(&self, espace: &str, compte: &str, adresse: IpAddr, essai: Essai) {
        let [(cle, _), (cle_adresse, _)] = Self::cles(espace, compte, adresse);
        let mut table = self.table.lock().unwrap_or_else(|p| p.into_inner());
        table.remove(&cle);
        let Some(c) = table.get_mut(&cle_adresse) else { return };
        if c.dernier != essai.quand {
            c.echecs = c.echecs.saturating_sub(1);
            return;
        }
        match essai.adresse_avant {
            Some(avant) => *c = avant,
            None => {
                table.remove(&cle_adresse);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seuils(gratuites: u32) -> Seuils {
        Seuils { gratuites, attente: Duration::from_secs(60), attente_max: Duration::from_secs(3600) }
    }

    #[test]
    fn failures_past_the_free_ones_make_the_account_and_the_address_wait() {
        let t = Tentatives::new(seuils(3), seuils(10));
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        let autre: IpAddr = "192.0.2.8".parse().unwrap();
        for _ in 0..3 {
            assert!(t.tenter("console", "marie", ip).is_ok());
        }
        assert!(t.tenter("console", "marie", ip).is_ok(), "three are free");
        let w = t.tenter("console", "marie", ip).unwrap_err();
        assert!(w.0 <= Duration::from_secs(60) && w.minutes() == 1, "{w:?}");
        // The account waits from any address; another account from this address does not yet.
        assert!(t.tenter("console", "marie", autre).is_err());
        assert!(t.tenter("console", "paul", ip).is_ok());
        assert!(t.tenter("demandeur", "marie", ip).is_ok(), "spaces apart");
        // Many accounts from one address: the address waits.
        for i in 0..10 {
            let _ = t.tenter("console", &format!("compte{i}"), ip);
        }
        assert!(t.tenter("console", "nouveau", ip).is_err());
        let essai = t.tenter("console", "nouveau", autre).unwrap();
        t.succes("console", "nouveau", autre, essai);
        assert!(t.tenter("console", "nouveau", autre).is_ok());
    }

    #[test]
    fn attempts_sent_side_by_side_count_before_they_are_checked() {
        let t = Tentatives::new(seuils(2), seuils(100));
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        // Three attempts in flight (none answered yet): the fourth already waits.
        for _ in 0..3 {
            assert!(t.tenter("console", "marie", ip).is_ok());
        }
        assert!(t.tenter("console", "marie", ip).is_err());
        // A success gives the address its attempt back and clears the account.
        let t = Tentatives::new(seuils(2), seuils(1));
        let essai = t.tenter("console", "a", ip).unwrap();
        t.succes("console", "a", ip, essai);
        let essai = t.tenter("console", "b", ip).unwrap();
        t.succes("console", "b", ip, essai);
        assert!(t.tenter("console", "c", ip).is_ok(), "successes are not failures");
    }

    #[test]
    fn a_success_from_an_address_past_its_free_failures_sets_no_wait() {
        // An office behind one address: its free failures spent, the wait over, an agent signs
        // in with the right password; the others are not made to wait for it.
        let t = Tentatives::new(seuils(100), seuils(3));
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        for i in 0..4 {
            let _ = t.tenter("console", &format!("x{i}"), ip);
        }
        let cle = Tentatives::cles("console", "marie", ip)[1].0.clone();
        t.table.lock().unwrap().get_mut(&cle).unwrap().jusqua = None;
        let essai = t.tenter("console", "marie", ip).expect("the wait is over");
        t.succes("console", "marie", ip, essai);
        assert_eq!(t.table.lock().unwrap()[&cle].echecs, 4, "the success is not a failure");
        assert!(t.tenter("console", "paul", ip).is_ok(), "nor does it make the address wait");
        // Attempts between a success's check and its answer keep their count and their wait.
        let t = Tentatives::new(seuils(100), seuils(1));
        let essai = t.tenter("console", "marie", ip).unwrap();
        assert!(t.tenter("console", "pirate", ip).is_ok());
        t.succes("console", "marie", ip, essai);
        assert!(t.tenter("console", "autre", ip).is_err(), "the failure in between still counts");
    }

    #[test]
    fn an_ipv6_client_is_one_slash_64_and_a_mapped_ipv4_client_is_itself() {
        let t = Tentatives::new(seuils(100), seuils(1));
        let _ = t.tenter("console", "a", "2001:db8::1".parse().unwrap());
        let _ = t.tenter("console", "b", "2001:db8::2".parse().unwrap());
        assert!(t.tenter("console", "c", "2001:db8::ffff".parse().unwrap()).is_err());
        assert!(t.tenter("console", "c", "2001:db9::1".parse().unwrap()).is_ok());
        let _ = t.tenter("console", "a", "::ffff:192.0.2.1".parse().unwrap());
        let _ = t.tenter("console", "b", "::ffff:192.0.2.1".parse().unwrap());
        assert!(t.tenter("console", "c", "::ffff:192.0.2.2".parse().unwrap()).is_ok(), "another IPv4 client");
        assert!(t.tenter("console", "c", "192.0.2.1".parse().unwrap()).is_err(), "the same client either way");
    }
}
