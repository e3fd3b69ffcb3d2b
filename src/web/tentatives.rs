//! Sign-in throttling, per account (a login, an application number) and per address: a few
//! failures are free, then each one doubles the wait before the next attempt is even checked.
//! A success clears the account's count, never the address's.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

/// A refused attempt: when the next one will be looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attendre(pub Duration);

impl Attendre {
    /// The wait in whole minutes, at least one, as pages say it.
    pub fn minutes(&self) -> u64 {
        self.0.as_secs().div_ceil(60).max(1)
    }
}

impl Tentatives {
    /// Throttles accounts with `compte` and addresses with `adresse`.
    pub fn new(compte: Seuils, adresse: Seuils) -> Tentatives {
        Tentatives { compte, adresse, table: Mutex::new(HashMap::new()) }
    }

    fn cles(espace: &str, compte: &str, adresse: IpAddr) -> [(String, bool); 2] {
        // IPv6 clients are throttled by their /64: one machine holds the whole of it.
        let adresse = match adresse {
            IpAddr::V6(v6) => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
            v4 => v4.to_string(),
        };
        [(format!("{espace}|c|{compte}"), true), (format!("{espace}|a|{adresse}"), false)]
    }

    /// Whether an attempt on `compte` from `adresse` may be checked now.
    pub fn autoriser(&self, espace: &str, compte: &str, adresse: IpAddr) -> Result<(), Attendre> {
        let maintenant = Instant::now();
        let table = self.table.lock().unwrap_or_else(|p| p.into_inner());
        let mut attente = Duration::ZERO;
        for (cle, _) in Self::cles(espace, compte, adresse) {
            if let Some(j) = table.get(&cle).and_then(|c| c.jusqua).filter(|j| *j > maintenant) {
                attente = attente.max(j - maintenant);
            }
        }
        if attente.is_zero() {
            Ok(())
        } else {
            Err(Attendre(attente))
        }
    }

    /// Records a failed attempt.
    pub fn echec(&self, espace: &str, compte: &str, adresse: IpAddr) {
        let maintenant = Instant::now();
        let mut table = self.table.lock().unwrap_or_else(|p| p.into_inner());
        if table.len() >= MAX_CLES {
            let oubli = self.compte.attente_max.max(self.adresse.attente_max) * 2;
            table.retain(|_, c| maintenant.duration_since(c.dernier) < oubli);
        }
        for (cle, est_compte) in Self::cles(espace, compte, adresse) {
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
    }

    /// Records a success: the account starts afresh.
    pub fn succes(&self, espace: &str, compte: &str, adresse: IpAddr) {
        let [(cle, _), _] = Self::cles(espace, compte, adresse);
        self.table.lock().unwrap_or_else(|p| p.into_inner()).remove(&cle);
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
            assert!(t.autoriser("console", "marie", ip).is_ok());
            t.echec("console", "marie", ip);
        }
        assert!(t.autoriser("console", "marie", ip).is_ok(), "three are free");
        t.echec("console", "marie", ip);
        let w = t.autoriser("console", "marie", ip).unwrap_err();
        assert!(w.0 <= Duration::from_secs(60) && w.minutes() == 1, "{w:?}");
        // The account waits from any address; another account from this address does not yet.
        assert!(t.autoriser("console", "marie", autre).is_err());
        assert!(t.autoriser("console", "paul", ip).is_ok());
        assert!(t.autoriser("demandeur", "marie", ip).is_ok(), "spaces apart");
        t.echec("console", "marie", ip);
        assert!(t.autoriser("console", "marie", ip).unwrap_err().0 > Duration::from_secs(60), "doubled");
        // Many accounts from one address: the address waits.
        for i in 0..10 {
            t.echec("console", &format!("compte{i}"), ip);
        }
        assert!(t.autoriser("console", "nouveau", ip).is_err());
        assert!(t.autoriser("console", "nouveau", autre).is_ok());
        t.succes("console", "marie", autre);
        assert!(t.autoriser("console", "marie", autre).is_ok());
    }

    #[test]
    fn an_ipv6_client_is_one_slash_64() {
        let t = Tentatives::new(seuils(100), seuils(1));
        t.echec("console", "a", "2001:db8::1".parse().unwrap());
        t.echec("console", "b", "2001:db8::2".parse().unwrap());
        assert!(t.autoriser("console", "c", "2001:db8::ffff".parse().unwrap()).is_err());
        assert!(t.autoriser("console", "c", "2001:db9::1".parse().unwrap()).is_ok());
    }
}
