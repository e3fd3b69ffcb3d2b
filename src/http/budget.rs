//! The global budget of request bytes in flight: bodies being read or decoded.
//!
//! Each request reserves its body's size before reading it (its declared length at once, or
//! chunk by chunk when it has none) and keeps the reservation until it is answered, decoded form
//! included. Past the budget a request waits a bounded time for others to finish, then gets 503
//! with a fault naming the budget: the process never holds more request bytes than configured,
//! however many clients send at once.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Reservations are counted in KiB, so a budget of several GiB fits the semaphore's `u32` grants.
const UNIT: usize = 1024;

/// The budget, shared by every connection.
#[derive(Clone)]
pub struct Budget {
    permits: Arc<Semaphore>,
    units: usize,
    wait: Duration,
}

/// The budget a request holds; released when dropped.
#[derive(Default)]
pub struct Reservation {
    permit: Option<OwnedSemaphorePermit>,
    bytes: usize,
}

/// The budget stayed exhausted for the whole wait.
#[derive(Debug, thiserror::Error)]
#[error("budget de {limit} octets de requêtes en cours épuisé après {} s d'attente (limite limits.max_bytes_in_flight)", wait.as_secs())]
pub struct Exhausted {
    /// The configured budget, in bytes.
    pub limit: usize,
    /// How long the request waited.
    pub wait: Duration,
}

impl Budget {
    /// A budget of `bytes`; a request waits at most `wait` for room.
    pub fn new(bytes: usize, wait: Duration) -> Budget {
        let units = bytes.div_ceil(UNIT).clamp(1, Semaphore::MAX_PERMITS);
        Budget { permits: Arc::new(Semaphore::new(units)), units, wait }
    }

    /// Bytes reserved now, by all requests.
    pub fn in_flight(&self) -> usize {
        (self.units - self.permits.available_permits()) * UNIT
    }

    /// Grows `reservation` to cover `bytes` in all, waiting at most the configured time.
    pub async fn reserve(&self, reservation: &mut Reservation, bytes: usize) -> Result<(), Exhausted> {
        let have = reservation.bytes.div_ceil(UNIT);
        let want = bytes.div_ceil(UNIT);
        if want <= have {
            return Ok(());
        }
        let exhausted = || Exhausted { limit: self.units * UNIT, wait: self.wait };
        let more = u32::try_from(want - have).map_err(|_| exhausted())?;
        if want > self.units {
            return Err(exhausted());
        }
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_many_owned(more))
            .await
            .map_err(|_| exhausted())?
            .expect("the semaphore is never closed");
        match reservation.permit.as_mut() {
            Some(p) => p.merge(permit),
            None => reservation.permit = Some(permit),
        }
        reservation.bytes = want * UNIT;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn past_the_budget_a_request_waits_then_is_refused_naming_the_limit() {
        let budget = Budget::new(100 * 1024, Duration::from_millis(200));
        let mut a = Reservation::default();
        budget.reserve(&mut a, 60 * 1024).await.unwrap();
        budget.reserve(&mut a, 80 * 1024).await.unwrap();
        assert_eq!(budget.in_flight(), 80 * 1024);
        let mut b = Reservation::default();
        let err = budget.reserve(&mut b, 30 * 1024).await.unwrap_err();
        assert!(err.to_string().contains("102400 octets") && err.to_string().contains("limits.max_bytes_in_flight"));
        // Room comes back when the first request is answered.
        let waiting = {
            let budget = budget.clone();
            tokio::spawn(async move {
                let mut b = Reservation::default();
                budget.reserve(&mut b, 30 * 1024).await.map(|_| b)
            })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        drop(a);
        let b = waiting.await.unwrap().unwrap();
        assert_eq!(budget.in_flight(), 30 * 1024);
        drop(b);
        assert_eq!(budget.in_flight(), 0);
        // More than the whole budget can never be had: refused at once.
        assert!(budget.reserve(&mut Reservation::default(), 200 * 1024).await.is_err());
    }
}
