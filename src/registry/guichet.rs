//! Who may call: counters known by the fingerprint of their client certificate.

use std::collections::HashMap;

use super::numero::{CodeGuichet, Territoire};

/// A registering counter (guichet enregistreur).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guichet {
    /// Its code, the tail of the numbers it registers.
    pub code: CodeGuichet,
    /// The territory it registers and reads in.
    pub territoire: Territoire,
    /// Name printed on certificates.
    pub nom: String,
}

/// What a client certificate turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Appelant {
    /// A configured, active counter.
    Guichet(Guichet),
    /// A configured counter whose certificate is revoked.
    Revoque(CodeGuichet),
    /// A certificate signed by the CA but configured for nobody.
    Inconnu,
}

/// The directory of counters, indexed by certificate fingerprint (lowercase hex SHA-256).
#[derive(Debug, Default, Clone)]
pub struct Annuaire {
    par_empreinte: HashMap<String, (Guichet, bool)>,
}

impl Annuaire {
    /// Adds a counter; `revoque` marks its certificate as refused.
    pub fn ajouter(&mut self, empreinte: &str, guichet: Guichet, revoque: bool) {
        self.par_empreinte.insert(empreinte.to_ascii_lowercase(), (guichet, revoque));
    }

    /// Identifies the holder of a certificate fingerprint.
    pub fn identifier(&self, empreinte: &str) -> Appelant {
        match self.par_empreinte.get(&empreinte.to_ascii_lowercase()) {
            Some((g, false)) => Appelant::Guichet(g.clone()),
            Some((g, true)) => Appelant::Revoque(g.code.clone()),
            None => Appelant::Inconnu,
        }
    }
}
