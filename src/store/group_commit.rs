//! Group commit: many callers waiting for durability share one engine flush.
//!
//! One dedicated thread does every flush, so a slow fsync never occupies an async worker and
//! two flushes never run at once. Flushes are numbered by a generation counter. A caller reads,
//! under the lock, the number of flushes already started; the next one is the first that starts
//! after its writes, so that is the one it waits for. Callers arriving while a flush runs all
//! wait for the same next flush: that is where the sharing comes from.
//!
//! **Gathering.** A flush costs little (the engine appends one log write and syncs it), so on a
//! busy machine callers reach it one at a time, and each would get a flush of its own: a cycle
//! of wake-ups and a sync per request. Requests in progress are counted ([`GroupCommit::suivre`]:
//! from their start until their first wait here); while some are, the flusher waits for them,
//! at most the window ([`GroupCommit::regler_fenetre`]), before it starts. A request alone (or
//! when every request in progress already waits) is flushed at once: the window costs nothing
//! without concurrency.
//!
//! **A failed flush is final.** After an fsync error the kernel may already have dropped the
//! dirty pages, so a later flush that "succeeds" proves nothing about earlier writes. From the
//! first failure on, the engine is never flushed again, every waiter (present and future) gets
//! that failure, and [`GroupCommit::failure`] tells the process, which stops.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::watch;

use super::engine::EngineError;
use super::StoreError;

#[derive(Default)]
struct State {
    /// Highest generation some caller waits for.
    requested: u64,
    /// Generations started so far (the last started flush has this number).
    started: u64,
    shutdown: bool,
}

#[derive(Clone)]
struct Completed {
    generation: u64,
    result: Result<(), EngineError>,
}

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
    done: watch::Sender<Completed>,
    flushes: AtomicU64,
    /// Waits that ended in a successful flush.
    acknowledged: AtomicU64,
    /// Readers' journal entries whose wait ended in a successful flush.
    entries: AtomicU64,
    /// The first failed flush; set once, never cleared.
    failed: watch::Sender<Option<EngineError>>,
    /// Requests in progress that have not waited here yet.
    attendus: AtomicUsize,
    /// The gathering window, in microseconds (0: none).
    fenetre_us: AtomicU64,
}

tokio::task_local! {
    /// Set for a request counted by [`GroupCommit::suivre`] until its first wait.
    static ATTENDU: Arc<AtomicBool>;
}

impl Shared {
    /// Takes a request in progress out of the count (it reached its first wait, or ended
    /// without one); true when it was the last the flusher may be gathering for. Called under
    /// the state's lock, so that the flusher cannot miss the wake-up that follows.
    fn retirer_attendu(&self) -> bool {
        self.attendus.fetch_sub(1, Ordering::AcqRel) == 1
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent even if a holder panicked: every update is one assignment.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The flusher thread and the bookkeeping its callers share.
pub(crate) struct GroupCommit {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl GroupCommit {
    /// Starts the flusher thread; `flush` puts every write made before it on disk.
    pub(crate) fn start(
        flush: impl Fn() -> Result<(), EngineError> + Send + 'static,
    ) -> Result<GroupCommit, StoreError> {
        let (done, _) = watch::channel(Completed { generation: 0, result: Ok(()) });
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
            done,
            flushes: AtomicU64::new(0),
            acknowledged: AtomicU64::new(0),
            entries: AtomicU64::new(0),
            failed: watch::channel(None).0,
            attendus: AtomicUsize::new(0),
            fenetre_us: AtomicU64::new(0),
        });
        let thread_shared = Arc::clone(&shared);
        let thread =
            std::thread::Builder::new().name("sne-store-flush".into()).spawn(move || flusher(thread_shared, flush))?;
        Ok(GroupCommit { shared, thread: Some(thread) })
    }

    /// Waits for a flush that started after this call; see the module comment.
    pub(crate) async fn durable(&self) -> Result<(), StoreError> {
        self.wait().await?;
        self.shared.acknowledged.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// As [`GroupCommit::durable`], for a reader's `entries` journal entries (counted apart:
    /// they are not writes a caller asked for).
    pub(crate) async fn journal_durable(&self, entries: u64) -> Result<(), StoreError> {
        self.wait().await?;
        self.shared.entries.fetch_add(entries, Ordering::Relaxed);
        Ok(())
    }

    /// Sets the gathering window (see the module comment).
    pub(crate) fn regler_fenetre(&self, fenetre: Duration) {
        self.shared.fenetre_us.store(fenetre.as_micros().min(u128::from(u64::MAX)) as u64, Ordering::Relaxed);
    }

    /// Runs `requete`, counted as a request in progress until it first waits here.
    pub(crate) async fn suivre<F: std::future::Future>(&self, requete: F) -> F::Output {
        let attendu = Arc::new(AtomicBool::new(true));
        self.shared.attendus.fetch_add(1, Ordering::AcqRel);
        let garde = Decompte { shared: Arc::clone(&self.shared), attendu: Arc::clone(&attendu) };
        let sortie = ATTENDU.scope(attendu, requete).await;
        drop(garde);
        sortie
    }

    async fn wait(&self) -> Result<(), StoreError> {
        if let Some(error) = self.shared.failed.borrow().clone() {
            return Err(StoreError::Engine(error));
        }
        let mut receiver = self.shared.done.subscribe();
        let plus_attendu = ATTENDU.try_with(|a| a.swap(false, Ordering::AcqRel)).unwrap_or(false);
        let target = {
            let mut state = self.shared.lock();
            let dernier = plus_attendu && self.shared.retirer_attendu();
            let target = state.started + 1;
            if state.requested < target {
                state.requested = target;
                self.shared.wake.notify_one();
            } else if dernier {
                // The last one the flusher was gathering for.
                self.shared.wake.notify_one();
            }
            target
        };
        let completed = receiver.wait_for(|c| c.generation >= target).await.map_err(|_| StoreError::Closed)?.clone();
        // A later generation also started after our writes, so its result answers for them.
        completed.result.map_err(StoreError::Engine)
    }

    /// Completes with the first failed flush, if one ever happens.
    pub(crate) fn failure(&self) -> impl std::future::Future<Output = EngineError> + Send + 'static {
        let mut receiver = self.shared.failed.subscribe();
        async move {
            let failed = receiver.wait_for(Option::is_some).await.map(|f| f.clone());
            match failed {
                Ok(failed) => failed.expect("checked by wait_for"),
                // The store is gone: nothing can fail any more.
                Err(_) => std::future::pending().await,
            }
        }
    }

    /// True once a flush has failed.
    pub(crate) fn has_failed(&self) -> bool {
        self.shared.failed.borrow().is_some()
    }

    /// Waits that ended in a successful flush so far.
    pub(crate) fn acknowledged_count(&self) -> u64 {
        self.shared.acknowledged.load(Ordering::Relaxed)
    }

    /// Flushes completed so far.
    pub(crate) fn flush_count(&self) -> u64 {
        self.shared.flushes.load(Ordering::Acquire)
    }

    /// Readers' journal entries acknowledged so far.
    pub(crate) fn journal_entry_count(&self) -> u64 {
        self.shared.entries.load(Ordering::Relaxed)
    }
}

/// Takes a request out of the count when it ends without having waited.
struct Decompte {
    shared: Arc<Shared>,
    attendu: Arc<AtomicBool>,
}

impl Drop for Decompte {
    fn drop(&mut self) {
        if self.attendu.swap(false, Ordering::AcqRel) {
            let _state = self.shared.lock();
            if self.shared.retirer_attendu() {
                self.shared.wake.notify_one();
            }
        }
    }
}

impl Drop for GroupCommit {
    fn drop(&mut self) {
        self.shared.lock().shutdown = true;
        self.shared.wake.notify_one();
        if let Some(thread) = self.thread.take() {
            // Joining releases the thread's engine handle, so the store directory can be
            // reopened as soon as the last `Store` is gone.
            let _ = thread.join();
        }
    }
}

fn flusher(shared: Arc<Shared>, flush: impl Fn() -> Result<(), EngineError>) {
    loop {
        let generation = {
            let mut state = shared.lock();
            while state.requested <= state.started && !state.shutdown {
                state = shared.wake.wait(state).unwrap_or_else(|p| p.into_inner());
            }
            if state.requested <= state.started {
                return; // shut down with nobody waiting
            }
            let fenetre = Duration::from_micros(shared.fenetre_us.load(Ordering::Relaxed));
            if !fenetre.is_zero() {
                let fin = Instant::now() + fenetre;
                while shared.attendus.load(Ordering::Acquire) > 0 && !state.shutdown {
                    let maintenant = Instant::now();
                    if maintenant >= fin {
                        break;
                    }
                    state = shared.wake.wait_timeout(state, fin - maintenant).unwrap_or_else(|p| p.into_inner()).0;
                }
            }
            state.started += 1;
            state.started
        };
        let earlier = shared.failed.borrow().clone();
        let result = match earlier {
            Some(error) => Err(error),
            None => catch_unwind(AssertUnwindSafe(&flush))
                .unwrap_or_else(|_| Err(EngineError::msg("le vidage du stockage a échoué (panique du moteur)"))),
        };
        if let Err(error) = &result {
            if shared.failed.borrow().is_none() {
                tracing::error!(%error, generation, "échec du vidage du stockage : plus aucune écriture ne sera confirmée");
                shared.failed.send_replace(Some(error.clone()));
            }
        }
        shared.flushes.fetch_add(1, Ordering::AcqRel);
        shared.done.send_replace(Completed { generation, result });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::engine::{Engine, WriteBatch};
    use std::sync::atomic::AtomicBool;
    use std::time::Duration;

    /// An engine whose flush is slow and records overlapping flushes.
    #[derive(Default)]
    struct SlowEngine {
        flushing: AtomicBool,
        overlapped: AtomicBool,
        fail: AtomicBool,
        writes: AtomicU64,
        flushed_writes: AtomicU64,
    }

    impl Engine for SlowEngine {
        fn get(&self, _: &[u8]) -> Result<Option<Vec<u8>>, EngineError> {
            Ok(None)
        }
        fn apply(&self, _: WriteBatch) -> Result<(), EngineError> {
            self.writes.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
        fn scan_prefix(&self, _: &[u8]) -> Result<crate::store::engine::KeyValues, EngineError> {
            Ok(Vec::new())
        }
        fn scan_range(&self, _: &[u8], _: &[u8], _: usize) -> Result<crate::store::engine::KeyValues, EngineError> {
            Ok(Vec::new())
        }
        fn increment(&self, _: &[u8]) -> Result<u64, EngineError> {
            Ok(1)
        }
        fn flush(&self) -> Result<(), EngineError> {
            if self.flushing.swap(true, Ordering::SeqCst) {
                self.overlapped.store(true, Ordering::SeqCst);
            }
            let seen = self.writes.load(Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(20));
            self.flushed_writes.fetch_max(seen, Ordering::SeqCst);
            self.flushing.store(false, Ordering::SeqCst);
            if self.fail.load(Ordering::SeqCst) {
                return Err(EngineError::msg("disque plein"));
            }
            Ok(())
        }
    }

    fn flusher_of(engine: &Arc<SlowEngine>) -> impl Fn() -> Result<(), EngineError> + Send + 'static {
        let engine = Arc::clone(engine);
        move || engine.flush()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_share_flushes_and_see_their_writes_flushed() {
        let engine = Arc::new(SlowEngine::default());
        let commit = Arc::new(GroupCommit::start(flusher_of(&engine)).unwrap());
        let mut tasks = Vec::new();
        for _ in 0..32 {
            let commit = Arc::clone(&commit);
            let engine = Arc::clone(&engine);
            tasks.push(tokio::spawn(async move {
                engine.apply(WriteBatch::new()).unwrap();
                let mine = engine.writes.load(Ordering::SeqCst);
                commit.durable().await.unwrap();
                // The flush we waited for started after our write, so it saw it.
                assert!(engine.flushed_writes.load(Ordering::SeqCst) >= mine);
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert!(!engine.overlapped.load(Ordering::SeqCst), "two flushes ran at once");
        let count = commit.flush_count();
        assert!((1..32).contains(&count), "flush_count = {count}");
    }

    #[tokio::test]
    async fn a_caller_during_a_flush_waits_for_the_next_one() {
        let engine = Arc::new(SlowEngine::default());
        let commit = Arc::new(GroupCommit::start(flusher_of(&engine)).unwrap());
        let first = {
            let commit = Arc::clone(&commit);
            tokio::spawn(async move { commit.durable().await })
        };
        // Let the first flush start, then ask while it runs.
        while !engine.flushing.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        commit.durable().await.unwrap();
        first.await.unwrap().unwrap();
        assert_eq!(commit.flush_count(), 2);
    }

    #[tokio::test]
    async fn a_failed_flush_is_final_and_announced() {
        let engine = Arc::new(SlowEngine::default());
        let commit = GroupCommit::start(flusher_of(&engine)).unwrap();
        commit.durable().await.unwrap();
        let failure = commit.failure();
        engine.fail.store(true, Ordering::SeqCst);
        let err = commit.durable().await.unwrap_err();
        assert!(matches!(err, StoreError::Engine(_)), "{err}");
        assert!(failure.await.to_string().contains("disque plein"));
        // The disk is back, but nothing written before can be trusted: no acknowledgment ever
        // again, and the engine is not even asked.
        engine.fail.store(false, Ordering::SeqCst);
        for _ in 0..3 {
            engine.apply(WriteBatch::new()).unwrap();
            assert!(commit.durable().await.is_err(), "acquittement après un vidage en échec");
        }
        assert!(engine.flushed_writes.load(Ordering::SeqCst) < engine.writes.load(Ordering::SeqCst));
        assert!(tokio::time::timeout(Duration::from_secs(1), commit.failure()).await.is_ok());
    }

    #[test]
    fn drop_joins_the_thread_and_releases_the_engine() {
        let engine = Arc::new(SlowEngine::default());
        let commit = GroupCommit::start(flusher_of(&engine)).unwrap();
        assert_eq!(Arc::strong_count(&engine), 2);
        drop(commit);
        assert_eq!(Arc::strong_count(&engine), 1);
    }
}

#[cfg(test)]
mod gathering {
    use super::*;
    use std::time::Duration;

    fn counting() -> (Arc<AtomicU64>, GroupCommit) {
        let flushes = Arc::new(AtomicU64::new(0));
        let f = Arc::clone(&flushes);
        let commit = GroupCommit::start(move || {
            f.fetch_add(1, Ordering::SeqCst);
            Ok(())
        })
        .unwrap();
        (flushes, commit)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_lone_request_is_flushed_at_once_whatever_the_window() {
        let (_, commit) = counting();
        commit.regler_fenetre(Duration::from_secs(5));
        let debut = Instant::now();
        commit.suivre(async { commit.durable().await.unwrap() }).await;
        assert!(debut.elapsed() < Duration::from_secs(1), "{:?}", debut.elapsed());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_flush_waits_for_requests_in_progress_and_serves_them_together() {
        let (flushes, commit) = counting();
        let commit = Arc::new(commit);
        commit.regler_fenetre(Duration::from_secs(5));
        let (pret_tx, pret_rx) = tokio::sync::oneshot::channel::<()>();
        let lent = {
            let commit = Arc::clone(&commit);
            tokio::spawn(async move {
                let c = Arc::clone(&commit);
                commit
                    .suivre(async move {
                        // Still computing when the other one asks for the disk.
                        pret_rx.await.unwrap();
                        c.durable().await.unwrap();
                    })
                    .await
            })
        };
        let rapide = {
            let commit = Arc::clone(&commit);
            tokio::spawn(async move {
                let c = Arc::clone(&commit);
                commit.suivre(async move { c.durable().await.unwrap() }).await
            })
        };
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(flushes.load(Ordering::SeqCst), 0, "flushed without waiting for the request in progress");
        pret_tx.send(()).unwrap();
        lent.await.unwrap();
        rapide.await.unwrap();
        assert_eq!(flushes.load(Ordering::SeqCst), 1, "one flush for both");
        // A request that ends without waiting releases the flush too.
        let fini = {
            let commit = Arc::clone(&commit);
            tokio::spawn(async move { commit.suivre(tokio::time::sleep(Duration::from_millis(300))).await })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        let debut = Instant::now();
        commit.durable().await.unwrap();
        fini.await.unwrap();
        assert!(debut.elapsed() < Duration::from_secs(2), "{:?}", debut.elapsed());
    }
}
