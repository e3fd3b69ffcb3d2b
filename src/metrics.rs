//! Prometheus metrics, served on their own plain-HTTP listener (127.0.0.1 by default).
//!
//! **No label carries personal data or a registration number**: labels are service and
//! operation names, outcome classes, limit names and connection kinds, all from fixed lists.
//! Values read from elsewhere (flushes, bytes in flight, open connections, store size) are
//! sampled when scraped.

use std::sync::atomic::{AtomicI64, AtomicU64};
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

/// Labels of a SOAP request.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// The service (`DemandeLogementImplService`).
    pub service: String,
    /// The operation, or `inconnue` when none was recognised.
    pub operation: String,
    /// `accepte`, `anomalie`, `faute_emetteur`, `faute_recepteur`, or `refus` (a limit).
    pub resultat: String,
}

/// Labels of a duration.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OperationLabels {
    /// The service.
    pub service: String,
    /// The operation.
    pub operation: String,
}

/// Label of a refusal.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct LimitLabels {
    /// The configuration key of the limit (`limits.max_body_bytes`, ...).
    pub limite: String,
}

/// Label of a connection kind.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct KindLabels {
    /// `anonyme` or `guichet`.
    pub type_connexion: String,
}

type DurationFamily = Family<OperationLabels, Histogram, fn() -> Histogram>;

fn latency() -> Histogram {
    // 1 ms to about 33 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 16))
}

/// The gateway's metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: DurationFamily,
    refusals: Family<LimitLabels, Counter>,
    connections: Family<KindLabels, Gauge>,
    flushes: Counter<u64, AtomicU64>,
    acknowledged: Counter<u64, AtomicU64>,
    journal_entries: Counter<u64, AtomicU64>,
    bytes_in_flight: Gauge<i64, AtomicI64>,
    store_bytes: Gauge<i64, AtomicI64>,
    compute_busy: Gauge<i64, AtomicI64>,
    compute_waiting: Gauge<i64, AtomicI64>,
}

/// What is sampled at scrape time.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sample {
    /// Flushes done since start.
    pub flushes: u64,
    /// Writes acknowledged since start (each waited for a flush).
    pub acknowledged: u64,
    /// Readers' journal entries acknowledged on disk since start.
    pub journal_entries: u64,
    /// Request bytes reserved now.
    pub bytes_in_flight: usize,
    /// Anonymous connections open now.
    pub anonymous: usize,
    /// Counters' connections open now.
    pub counters: usize,
    /// Bytes of the store on disk.
    pub store_bytes: u64,
    /// Compute jobs running now.
    pub compute_busy: usize,
    /// Compute jobs waiting for a slot now.
    pub compute_waiting: usize,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    /// Registers every metric.
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("sne");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("requetes", "Requêtes SOAP par service, opération et résultat", requests.clone());
        let durations: DurationFamily = Family::new_with_constructor(latency);
        registry.register("requete_duree_secondes", "Durée des requêtes SOAP", durations.clone());
        let refusals = Family::<LimitLabels, Counter>::default();
        registry.register("refus", "Requêtes ou connexions refusées, par limite", refusals.clone());
        let connections = Family::<KindLabels, Gauge>::default();
        registry.register("connexions_ouvertes", "Connexions ouvertes par type", connections.clone());
        let flushes = Counter::default();
        registry.register("stockage_vidages", "Vidages (fsync) du stockage", flushes.clone());
        let acknowledged = Counter::default();
        registry.register(
            "stockage_ecritures_confirmees",
            "Écritures confirmées après un vidage",
            acknowledged.clone(),
        );
        let journal_entries = Counter::default();
        registry.register(
            "journal_entrees_confirmees",
            "Entrées du journal des accès confirmées sur disque (lectures)",
            journal_entries.clone(),
        );
        let bytes_in_flight = Gauge::default();
        registry.register(
            "octets_en_cours",
            "Octets de requêtes en cours de lecture ou de décodage",
            bytes_in_flight.clone(),
        );
        let store_bytes = Gauge::default();
        registry.register("stockage_octets", "Taille du stockage sur disque", store_bytes.clone());
        let compute_busy = Gauge::default();
        registry.register("calcul_occupe", "Travaux de calcul en cours", compute_busy.clone());
        let compute_waiting = Gauge::default();
        registry.register("calcul_en_attente", "Travaux de calcul en attente d'une place", compute_waiting.clone());
        Metrics {
            registry,
            requests,
            durations,
            refusals,
            connections,
            flushes,
            acknowledged,
            journal_entries,
            bytes_in_flight,
            store_bytes,
            compute_busy,
            compute_waiting,
        }
    }

    /// Counts one SOAP request and its duration.
    pub fn request(&self, service: &str, operation: &str, resultat: &str, duration: Duration) {
        let labels = RequestLabels { service: service.into(), operation: operation.into(), resultat: resultat.into() };
        self.requests.get_or_create(&labels).inc();
        let labels = OperationLabels { service: service.into(), operation: operation.into() };
        self.durations.get_or_create(&labels).observe(duration.as_secs_f64());
    }

    /// Counts one refusal by the limit named.
    pub fn refusal(&self, limite: &str) {
        self.refusals.get_or_create(&LimitLabels { limite: limite.into() }).inc();
    }

    /// The text exposition, with sampled values brought up to date.
    pub fn encode(&self, sample: Sample) -> String {
        let set_counter = |c: &Counter<u64, AtomicU64>, v: u64| {
            let now = c.get();
            if v > now {
                c.inc_by(v - now);
            }
        };
        set_counter(&self.flushes, sample.flushes);
        set_counter(&self.acknowledged, sample.acknowledged);
        set_counter(&self.journal_entries, sample.journal_entries);
        self.bytes_in_flight.set(sample.bytes_in_flight as i64);
        self.store_bytes.set(sample.store_bytes as i64);
        self.compute_busy.set(sample.compute_busy as i64);
        self.compute_waiting.set(sample.compute_waiting as i64);
        self.connections.get_or_create(&KindLabels { type_connexion: "anonyme".into() }).set(sample.anonymous as i64);
        self.connections.get_or_create(&KindLabels { type_connexion: "guichet".into() }).set(sample.counters as i64);
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry).expect("writing to a String");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposes_requests_refusals_and_samples() {
        let m = Metrics::new();
        m.request("DemandeLogementImplService", "getNumUnique", "accepte", Duration::from_millis(12));
        m.request("DemandeLogementImplService", "getNumUnique", "anomalie", Duration::from_millis(3));
        m.refusal("limits.max_body_bytes");
        let text = m.encode(Sample { flushes: 4, acknowledged: 9, anonymous: 2, counters: 1, ..Sample::default() });
        for needle in [
            r#"sne_requetes_total{service="DemandeLogementImplService",operation="getNumUnique",resultat="accepte"} 1"#,
            r#"sne_refus_total{limite="limits.max_body_bytes"} 1"#,
            "sne_stockage_vidages_total 4",
            "sne_stockage_ecritures_confirmees_total 9",
            r#"sne_connexions_ouvertes{type_connexion="anonyme"} 2"#,
            "sne_requete_duree_secondes_bucket",
        ] {
            assert!(text.contains(needle), "{needle} absent :\n{text}");
        }
        // Sampled counters only move forward.
        let text = m.encode(Sample { flushes: 6, ..Sample::default() });
        assert!(text.contains("sne_stockage_vidages_total 6"), "{text}");
    }
}
