//! The applicant's personal access code to the portal: random, printed on the registration
//! certificate, kept only as a keyed hash ([`Depot::empreinte`]); a counter may issue a new one,
//! which replaces the old. 16 characters of a 30-letter alphabet without look-alikes (about 78
//! bits), so a fast keyed hash is enough: guessing is throttled at the door and hopeless offline.

use rand::Rng;

use super::depot::{Depot, Ecriture, Transaction};
use super::numero::NumUnique;
use super::{Guichet, Profil, RegistryError};

/// No `0`/`O`, `1`/`I`/`L`, `U`/`V`: what is printed is read back without doubt.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTWXYZ23456789";
const LONGUEUR: usize = 16;

/// Why a new code was not issued.
#[derive(Debug, thiserror::Error)]
pub enum CodeAccesError {
    /// Only registering counters issue codes.
    #[error("le profil {0} ne permet pas d'émettre un code d'accès demandeur (réservé aux guichets enregistreurs)")]
    Profil(&'static str),
    /// A radiated application has no portal left to open.
    #[error("la demande {0} est radiée : aucun code d'accès n'est émis")]
    Radiee(String),
    /// Unknown application, storage.
    #[error(transparent)]
    Registre(#[from] RegistryError),
}

impl From<super::depot::DepotError> for CodeAccesError {
    fn from(e: super::depot::DepotError) -> Self {
        CodeAccesError::Registre(e.into())
    }
}

/// A new code, grouped by four (`ABCD-EFGH-JKMN-PQRS`).
pub fn nouveau() -> String {
    let mut rng = rand::thread_rng();
    let brut: Vec<char> = (0..LONGUEUR).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect();
    brut.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// A code as typed: case, spaces and hyphens do not matter.
fn normaliser(saisi: &str) -> String {
    saisi.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_uppercase).collect()
}

fn empreinte(depot: &dyn Depot, num: &str, code: &str) -> String {
    depot.empreinte(&format!("code-acces|{num}|{}", normaliser(code)))
}

/// Two hashes compared without telling where they differ.
fn memes(a: &str, b: &str) -> bool {
    bool::from(subtle::ConstantTimeEq::ct_eq(a.as_bytes(), b.as_bytes()))
}

impl super::Registry {
    /// A new code for `num` and the write that records it (in the caller's transaction).
    pub(super) fn code_acces_nouveau(&self, num: &NumUnique) -> (String, Ecriture) {
        let code = nouveau();
        let empreinte = empreinte(self.depot.as_ref(), num.as_str(), &code);
        (code, Ecriture::DefinirCodeAcces { num: num.to_string(), empreinte })
    }

    /// Issues a new access code for `num` at the request of `appelant` (a counter of its
    /// territory); the previous code stops working. The code is returned once, to be handed over.
    pub async fn emettre_code_acces(&self, appelant: &Guichet, num: &NumUnique) -> Result<String, CodeAccesError> {
        if appelant.profil != Profil::Guichet {
            return Err(CodeAccesError::Profil(appelant.profil.nom()));
        }
        let demande = self.visible(appelant, num)?;
        if demande.attributs().radiation.is_some() {
            return Err(CodeAccesError::Radiee(num.to_string()));
        }
        let (code, ecriture) = self.code_acces_nouveau(num);
        self.depot
            .appliquer(Transaction { ecritures: vec![ecriture, self.acces(appelant, num, "console/codeAcces")] })?;
        self.depot.durable().await?;
        Ok(code)
    }

    /// Whether `code` opens `num`: the sign-in it opens, or `None` (an unknown or erased
    /// application, a wrong code).
    pub fn verifier_code_acces(&self, num: &NumUnique, code: &str) -> Result<Option<Ouverture>, RegistryError> {
        let Some(attendue) = self.depot.code_acces(num.as_str())? else { return Ok(None) };
        let ok = memes(&attendue, &empreinte(self.depot.as_ref(), num.as_str(), code));
        Ok(ok.then(|| Ouverture { num: num.clone(), empreinte: attendue }))
    }

    /// The applicant an open sign-in acts as, while it holds: `None` once the application is
    /// erased or a new code replaced the one it was opened with (a counter's new code, a
    /// retried registration), so a code handed over again closes every session of the old one.
    pub fn demandeur(&self, ouverture: &Ouverture) -> Result<Option<Guichet>, RegistryError> {
        let num = &ouverture.num;
        let actuelle = self.depot.code_acces(num.as_str())?;
        if !actuelle.is_some_and(|a| memes(&a, &ouverture.empreinte)) {
            return Ok(None);
        }
        let territoire =
            self.depot.entete(num.as_str())?.and_then(|e| super::Territoire::parse(&e.attributs.territoire).ok());
        Ok(territoire.map(|t| Guichet::demandeur(num, t)))
    }
}

/// An applicant's sign-in: valid while the code it was opened with stays the current one
/// ([`super::Registry::demandeur`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ouverture {
    num: NumUnique,
    empreinte: String,
}

impl Ouverture {
    /// The application opened.
    pub fn num(&self) -> &NumUnique {
        &self.num
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_back_however_it_is_typed() {
        let c = nouveau();
        assert_eq!(c.len(), 19);
        assert_eq!(c.split('-').count(), 4);
        assert!(c.chars().all(|x| x == '-' || ALPHABET.contains(&(x as u8))));
        assert_ne!(c, nouveau());
        assert_eq!(normaliser(&c.to_lowercase().replace('-', " ")), normaliser(&c));
    }
}
