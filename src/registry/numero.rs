//! Parse-don't-validate newtypes for the identifiers the registry reasons about.

use std::fmt;

/// Why an identifier was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IdentifiantError {
    /// Registration number of the wrong shape.
    #[error("numéro unique {0:?} invalide : 18 caractères attendus (territoire, mois, année, séquence sur 6 chiffres, guichet)")]
    NumUnique(String),
    /// Counter code of the wrong shape.
    #[error("code guichet {0:?} invalide : 5 lettres ou chiffres attendus")]
    CodeGuichet(String),
    /// Territory code of the wrong shape.
    #[error("code territoire {0:?} invalide : 3 lettres ou chiffres attendus")]
    Territoire(String),
}

/// What an error quotes of a refused value.
fn extrait(s: &str) -> String {
    crate::text::extrait(s, 30)
}

fn alnum(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A territory code (3 characters), the unit of access and of number sequences.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Territoire(String);

impl Territoire {
    /// Accepts exactly 3 ASCII letters or digits.
    pub fn parse(s: &str) -> Result<Self, IdentifiantError> {
        if alnum(s, 3) {
            Ok(Territoire(s.to_string()))
        } else {
            Err(IdentifiantError::Territoire(extrait(s)))
        }
    }
    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A counter code (5 characters), the tail of the numbers it registers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CodeGuichet(String);

impl CodeGuichet {
    /// Accepts exactly 5 ASCII letters or digits.
    pub fn parse(s: &str) -> Result<Self, IdentifiantError> {
        if alnum(s, 5) {
            Ok(CodeGuichet(s.to_string()))
        } else {
            Err(IdentifiantError::CodeGuichet(extrait(s)))
        }
    }
    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A registration number: territory (3) + month (2) + year (2) + sequence (6) + counter (5).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NumUnique(String);

impl NumUnique {
    /// Checks the layout of CONTRACT.md §4 (no check character exists).
    pub fn parse(s: &str) -> Result<Self, IdentifiantError> {
        let bad = || IdentifiantError::NumUnique(extrait(s));
        if s.len() != 18 || !s.is_ascii() {
            return Err(bad());
        }
        let (t, rest) = s.split_at(3);
        let (mm, rest) = rest.split_at(2);
        let (yy, rest) = rest.split_at(2);
        let (seq, guichet) = rest.split_at(6);
        let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
        let month: u8 = mm.parse().map_err(|_| bad())?;
        if !alnum(t, 3)
            || !digits(mm)
            || !(1..=12).contains(&month)
            || !digits(yy)
            || !digits(seq)
            || !alnum(guichet, 5)
        {
            return Err(bad());
        }
        Ok(NumUnique(s.to_string()))
    }

    /// Builds a number from its parts; `sequence` must be below 1 000 000.
    pub fn compose(territoire: &Territoire, depot: time::Date, sequence: u64, guichet: &CodeGuichet) -> Option<Self> {
        if sequence == 0 || sequence > 999_999 {
            return None;
        }
        Some(NumUnique(format!(
            "{}{:02}{:02}{:06}{}",
            territoire.as_str(),
            u8::from(depot.month()),
            depot.year().rem_euclid(100),
            sequence,
            guichet.as_str()
        )))
    }

    /// The territory the number was issued in.
    pub fn territoire(&self) -> Territoire {
        Territoire(self.0[..3].to_string())
    }

    /// The number as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NumUnique {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_numbers() {
        for n in ["1110318016982G1104", "1111023517879GDPUB"] {
            assert_eq!(NumUnique::parse(n).unwrap().as_str(), n);
        }
        let n = NumUnique::parse("1110318016982G1104").unwrap();
        assert_eq!(n.territoire().as_str(), "111");
    }

    #[test]
    fn refuses_malformed_numbers() {
        for n in ["", "1110318016982G110", "1111318016982G1104", "11103180169a2G1104", "111031801698éG110"] {
            assert!(NumUnique::parse(n).is_err(), "{n}");
        }
    }

    #[test]
    fn composes_the_contract_layout() {
        let t = Territoire::parse("111").unwrap();
        let g = CodeGuichet::parse("G1104").unwrap();
        let d = time::macros::date!(2018 - 03 - 15);
        assert_eq!(NumUnique::compose(&t, d, 16982, &g).unwrap().as_str(), "1110318016982G1104");
        assert!(NumUnique::compose(&t, d, 1_000_000, &g).is_none());
        assert!(NumUnique::compose(&t, d, 0, &g).is_none());
    }
}
