//! Who holds a connection, and who must give it up.
//!
//! Accepting never waits: a slot taken before the TLS handshake would let anyone who opens
//! sockets keep counters out. Every connection starts **anonymous** (no known certificate yet)
//! and anonymous connections are capped per client address and in total; past a cap the *oldest*
//! anonymous connection (of that address, or of all) is told to go, so a newcomer always gets its
//! handshake. A connection that presents the certificate of a configured counter leaves the
//! anonymous pool for its counter's own quota, which no flood touches: a publisher's servers often
//! carry many counters from one address.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::Notify;

/// The caps.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Anonymous connections in all.
    pub anonymous: usize,
    /// Anonymous connections from one address.
    pub anonymous_per_address: usize,
    /// Connections of one counter (one certificate fingerprint).
    pub per_counter: usize,
}

/// Open connections by kind, for metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Connections without a known certificate (handshaking, WSDL readers, refused callers).
    pub anonymous: usize,
    /// Connections of identified counters.
    pub counters: usize,
    /// Anonymous connections closed to make room since start.
    pub evicted: u64,
    /// Counter connections refused for the per-counter cap since start.
    pub refused: u64,
}

#[derive(Default)]
struct Inner {
    /// Anonymous connections by age (ids grow): the first is the oldest.
    anonymous: BTreeMap<u64, (IpAddr, Arc<Notify>)>,
    per_address: HashMap<IpAddr, usize>,
    per_counter: HashMap<String, usize>,
    counters: usize,
    next_id: u64,
    evicted: u64,
    refused: u64,
}

impl Inner {
    fn remove_anonymous(&mut self, id: u64) -> bool {
        let Some((ip, _)) = self.anonymous.remove(&id) else { return false };
        if let Some(n) = self.per_address.get_mut(&ip) {
            *n -= 1;
            if *n == 0 {
                self.per_address.remove(&ip);
            }
        }
        true
    }

    fn evict(&mut self, id: u64) {
        if let Some((_, kill)) = self.anonymous.get(&id) {
            // `notify_one` keeps a permit: the connection sees it even if it is not waiting yet.
            kill.notify_one();
        }
        self.remove_anonymous(id);
        self.evicted += 1;
    }
}

/// The registry of open connections; shared by the accept loop and every connection.
pub struct Connections {
    inner: Mutex<Inner>,
    limits: ConnectionLimits,
}

/// One connection's place. Dropping it frees the place.
pub struct Ticket {
    connections: Arc<Connections>,
    id: u64,
    /// The counter's fingerprint once identified; shared with the eviction wait, hence a lock.
    counter: Mutex<Option<String>>,
    kill: Arc<Notify>,
}

/// A counter already holds its quota of connections.
#[derive(Debug, thiserror::Error)]
#[error("le guichet a déjà {limit} connexions ouvertes (limite limits.max_connections_per_counter)")]
pub struct CounterFull {
    /// The cap.
    pub limit: usize,
}

impl Connections {
    /// An empty registry with these caps.
    pub fn new(limits: ConnectionLimits) -> Arc<Connections> {
        Arc::new(Connections { inner: Mutex::new(Inner::default()), limits })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // Every update keeps the maps consistent before it can panic.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a new connection from `ip` as anonymous, making room by closing the oldest
    /// anonymous connection of that address, or of all, when a cap is reached.
    pub fn admit(self: &Arc<Self>, ip: IpAddr) -> Ticket {
        let mut inner = self.lock();
        if inner.per_address.get(&ip).copied().unwrap_or(0) >= self.limits.anonymous_per_address {
            let oldest = inner.anonymous.iter().find(|(_, (a, _))| *a == ip).map(|(id, _)| *id);
            if let Some(id) = oldest {
                inner.evict(id);
            }
        }
        if inner.anonymous.len() >= self.limits.anonymous {
            if let Some(id) = inner.anonymous.keys().next().copied() {
                inner.evict(id);
            }
        }
        let id = inner.next_id;
        inner.next_id += 1;
        let kill = Arc::new(Notify::new());
        inner.anonymous.insert(id, (ip, kill.clone()));
        *inner.per_address.entry(ip).or_default() += 1;
        Ticket { connections: self.clone(), id, counter: Mutex::new(None), kill }
    }

    /// Open connections by kind.
    pub fn counts(&self) -> Counts {
        let inner = self.lock();
        Counts {
            anonymous: inner.anonymous.len(),
            counters: inner.counters,
            evicted: inner.evicted,
            refused: inner.refused,
        }
    }
}

impl Ticket {
    /// Moves the connection from the anonymous pool to its counter's quota (`fingerprint` names
    /// a configured counter); refused when the counter already holds its quota.
    pub fn identify(&self, fingerprint: &str) -> Result<(), CounterFull> {
        let limits = self.connections.limits;
        let mut inner = self.connections.lock();
        let held = inner.per_counter.get(fingerprint).copied().unwrap_or(0);
        if held >= limits.per_counter {
            inner.refused += 1;
            return Err(CounterFull { limit: limits.per_counter });
        }
        if !inner.remove_anonymous(self.id) {
            // Evicted in the meantime: it is going away anyway.
            return Ok(());
        }
        *inner.per_counter.entry(fingerprint.to_string()).or_default() += 1;
        inner.counters += 1;
        *self.counter.lock().unwrap_or_else(|p| p.into_inner()) = Some(fingerprint.to_string());
        Ok(())
    }

    /// Completes when the connection must close to make room for a newer one.
    pub async fn evicted(&self) {
        self.kill.notified().await
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let counter = self.counter.lock().unwrap_or_else(|p| p.into_inner()).take();
        let mut inner = self.connections.lock();
        match counter {
            Some(fp) => {
                inner.counters -= 1;
                if let Some(n) = inner.per_counter.get_mut(&fp) {
                    *n -= 1;
                    if *n == 0 {
                        inner.per_counter.remove(&fp);
                    }
                }
            }
            None => {
                inner.remove_anonymous(self.id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn limits() -> ConnectionLimits {
        ConnectionLimits { anonymous: 5, anonymous_per_address: 3, per_counter: 2 }
    }

    async fn is_evicted(t: &Ticket) -> bool {
        tokio::time::timeout(Duration::from_millis(10), t.evicted()).await.is_ok()
    }

    #[tokio::test]
    async fn a_flood_from_one_address_makes_way_for_newcomers_and_never_for_counters() {
        let c = Connections::new(limits());
        let flooder: IpAddr = "10.0.0.1".parse().unwrap();
        let counter = c.admit(flooder);
        counter.identify("aa").unwrap();
        let flood: Vec<Ticket> = (0..10).map(|_| c.admit(flooder)).collect();
        // Only the three newest of the address are still there.
        for (i, t) in flood.iter().enumerate() {
            assert_eq!(is_evicted(t).await, i < 7, "connexion {i}");
        }
        assert_eq!(c.counts(), Counts { anonymous: 3, counters: 1, evicted: 7, refused: 0 });
        assert!(!is_evicted(&counter).await);
        // A newcomer from the same address (a counter before its handshake) gets in, in place
        // of the oldest flooder.
        let newcomer = c.admit(flooder);
        assert!(!is_evicted(&newcomer).await);
        newcomer.identify("bb").unwrap();
        assert_eq!(c.counts().counters, 2);
        drop(flood);
        drop(counter);
        drop(newcomer);
        assert_eq!(c.counts(), Counts { anonymous: 0, counters: 0, evicted: 8, refused: 0 });
    }

    #[tokio::test]
    async fn the_total_cap_closes_the_oldest_and_counters_have_their_own_quota() {
        let c = Connections::new(limits());
        let many: Vec<Ticket> = (0..6).map(|i| c.admit(format!("10.0.0.{i}").parse().unwrap())).collect();
        assert!(is_evicted(&many[0]).await);
        assert!(!is_evicted(&many[1]).await);
        assert_eq!(c.counts().anonymous, 5);
        let a = c.admit("10.1.0.1".parse().unwrap());
        let b = c.admit("10.1.0.2".parse().unwrap());
        let third = c.admit("10.1.0.3".parse().unwrap());
        a.identify("aa").unwrap();
        b.identify("aa").unwrap();
        let err = third.identify("aa").unwrap_err();
        assert!(err.to_string().contains("limits.max_connections_per_counter"));
        drop(a);
        third.identify("aa").unwrap();
        assert_eq!(c.counts().refused, 1);
    }
}
