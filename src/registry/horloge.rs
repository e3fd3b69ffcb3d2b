//! The one clock of the registry, injected: every rule that depends on the date asks it, so tests
//! set the day (and the hour) a rule is tested on. Calendar rules count in days of Europe/Paris,
//! where counters work, not in UTC days: at 00:30 in Paris it is already tomorrow.

use std::sync::{Arc, Mutex};

use time::{Date, OffsetDateTime};

/// What time it is.
pub trait Horloge: Send + Sync {
    /// The present instant.
    fn maintenant(&self) -> OffsetDateTime;

    /// Today, in Paris.
    fn aujourd_hui(&self) -> Date {
        jour_a_paris(self.maintenant())
    }
}

/// The system clock, moved by [`VARIABLE_DECALAGE`] days when that variable is set.
#[derive(Debug, Default, Clone, Copy)]
pub struct HorlogeSysteme;

impl Horloge for HorlogeSysteme {
    fn maintenant(&self) -> OffsetDateTime {
        let jours = decalage_systeme().unwrap_or(0);
        OffsetDateTime::now_utc() + time::Duration::days(jours)
    }
}

/// The one environment variable the library reads itself: days added to the system clock
/// (negative allowed). The test suite runs once more with it set more than a year ahead, so a
/// test that registers a fixture with a fixed date on the system clock fails the day it is
/// written, not a month later. `serve` refuses it outside school mode (a test base); every
/// command that uses the system clock says the date it took.
pub const VARIABLE_DECALAGE: &str = "SNE_HORLOGE_DECALAGE_JOURS";

/// Largest shift accepted, in days (a century either way).
pub const DECALAGE_MAX_JOURS: i64 = 36_500;

/// A value of [`VARIABLE_DECALAGE`] that does not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{VARIABLE_DECALAGE} vaut « {valeur} » : un nombre entier de jours entre -{DECALAGE_MAX_JOURS} et {DECALAGE_MAX_JOURS} est attendu"
)]
pub struct DecalageInvalide {
    /// The value, escaped and cut.
    pub valeur: String,
}

/// The shift of the system clock in days, read once from [`VARIABLE_DECALAGE`] (0 when unset).
pub fn decalage_systeme() -> Result<i64, DecalageInvalide> {
    static DECALAGE: std::sync::OnceLock<Result<i64, DecalageInvalide>> = std::sync::OnceLock::new();
    DECALAGE.get_or_init(|| lire_decalage(std::env::var_os(VARIABLE_DECALAGE).as_deref())).clone()
}

fn lire_decalage(valeur: Option<&std::ffi::OsStr>) -> Result<i64, DecalageInvalide> {
    let Some(valeur) = valeur else { return Ok(0) };
    let texte = valeur.to_string_lossy();
    texte
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|j| j.abs() <= DECALAGE_MAX_JOURS)
        .ok_or_else(|| DecalageInvalide { valeur: crate::text::extrait(&texte, 40) })
}

/// A clock that says what it is told, for tests and for `--at DATE` runs.
#[derive(Debug, Clone)]
pub struct HorlogeFixe(Arc<Mutex<OffsetDateTime>>);

impl HorlogeFixe {
    /// Stopped at `instant`.
    pub fn a(instant: OffsetDateTime) -> HorlogeFixe {
        HorlogeFixe(Arc::new(Mutex::new(instant)))
    }

    /// Moves to `instant`.
    pub fn regler(&self, instant: OffsetDateTime) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = instant;
    }
}

impl Horloge for HorlogeFixe {
    fn maintenant(&self) -> OffsetDateTime {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The calendar day in Paris of an instant (summer and winter time from the bundled time-zone
/// database, so it does not depend on the host's).
pub fn jour_a_paris(instant: OffsetDateTime) -> Date {
    let paris = jiff::tz::TimeZone::get("Europe/Paris").expect("Europe/Paris is in the bundled database");
    let utc_fallback = || instant.to_offset(time::UtcOffset::UTC).date();
    let Ok(ts) = jiff::Timestamp::from_second(instant.unix_timestamp()) else { return utc_fallback() };
    let day = paris.to_datetime(ts).date();
    time::Month::try_from(day.month() as u8)
        .ok()
        .and_then(|m| Date::from_calendar_date(i32::from(day.year()), m, day.day() as u8).ok())
        .unwrap_or_else(utc_fallback)
}

/// An instant as a clock in Paris reads it (pages show times this way).
pub fn a_paris(instant: OffsetDateTime) -> time::PrimitiveDateTime {
    let paris = jiff::tz::TimeZone::get("Europe/Paris").expect("Europe/Paris is in the bundled database");
    let decalage = jiff::Timestamp::from_second(instant.unix_timestamp())
        .ok()
        .and_then(|ts| time::UtcOffset::from_whole_seconds(paris.to_offset(ts).seconds()).ok())
        .unwrap_or(time::UtcOffset::UTC);
    let local = instant.to_offset(decalage);
    time::PrimitiveDateTime::new(local.date(), local.time())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn paris_days_turn_at_paris_midnight_in_winter_and_summer() {
        // Winter, UTC+1.
        assert_eq!(jour_a_paris(datetime!(2026-12-01 22:59:59 UTC)), date!(2026 - 12 - 01));
        assert_eq!(jour_a_paris(datetime!(2026-12-01 23:00:00 UTC)), date!(2026 - 12 - 02));
        // Summer, UTC+2.
        assert_eq!(jour_a_paris(datetime!(2026-06-30 21:59:59 UTC)), date!(2026 - 06 - 30));
        assert_eq!(jour_a_paris(datetime!(2026-06-30 22:00:00 UTC)), date!(2026 - 07 - 01));
        // New year's eve.
        assert_eq!(jour_a_paris(datetime!(2026-12-31 23:30:00 UTC)), date!(2027 - 01 - 01));
    }

    #[test]
    fn the_system_clock_shift_reads_whole_days_within_a_century() {
        use std::ffi::OsStr;
        assert_eq!(lire_decalage(None), Ok(0));
        assert_eq!(lire_decalage(Some(OsStr::new("400"))), Ok(400));
        assert_eq!(lire_decalage(Some(OsStr::new(" -30 "))), Ok(-30));
        for mauvais in ["", "un an", "1.5", "36501", "-36501"] {
            let err = lire_decalage(Some(OsStr::new(mauvais))).unwrap_err();
            assert!(err.to_string().contains(VARIABLE_DECALAGE), "{err}");
        }
    }

    #[test]
    fn a_fixed_clock_says_what_it_is_told() {
        let h = HorlogeFixe::a(datetime!(2026-12-01 23:30:00 UTC));
        assert_eq!(h.aujourd_hui(), date!(2026 - 12 - 02));
        h.regler(datetime!(2027-03-28 00:30:00 UTC));
        assert_eq!(h.aujourd_hui(), date!(2027 - 03 - 28));
    }
}
