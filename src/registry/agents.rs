//! Staff accounts of the web console: an agent signs in with a login and a password and acts as
//! the identity it belongs to (a counter, or a consultant service), seeing exactly what that
//! identity may see. Operators manage accounts (`sne-gateway agents ...`); passwords are kept
//! only as Argon2id hashes, computed on the compute pool (tens of milliseconds each, on purpose).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::Rng;

use super::depot::{Agent, DepotError, Ecriture, Transaction};
use super::Guichet;

/// Shortest password an operator may set.
pub const MOT_DE_PASSE_MIN: usize = 12;

/// Longest password accepted (Argon2 hashes any length; this bounds the work an attempt costs).
pub const MOT_DE_PASSE_MAX: usize = 128;

/// Why an account operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    /// Malformed login.
    #[error("identifiant « {0} » invalide : 3 à 40 caractères parmi a-z, 0-9, « . », « - », « _ »")]
    Identifiant(String),
    /// Password too short or too long.
    #[error("mot de passe de {0} caractères : entre {MOT_DE_PASSE_MIN} et {MOT_DE_PASSE_MAX} attendus")]
    MotDePasse(usize),
    /// The login is taken.
    #[error("l'agent {0} existe déjà")]
    Existe(String),
    /// No such account.
    #[error("agent {0} inconnu")]
    Inconnu(String),
    /// The identity it would belong to may not use the console (scanning providers).
    #[error("le profil {0} n'a pas accès à la console (guichets et services consultants seulement)")]
    Profil(&'static str),
    /// Storage failed.
    #[error(transparent)]
    Depot(#[from] DepotError),
    /// The hash could not be computed.
    #[error("calcul de l'empreinte du mot de passe impossible : {0}")]
    Hachage(String),
}

/// A login as accounts are keyed: lower case, 3 to 40 of `a-z0-9._-`.
pub fn identifiant(login: &str) -> Result<String, AgentError> {
    let l = login.trim().to_ascii_lowercase();
    let ok = (3..=40).contains(&l.len())
        && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if ok {
        Ok(l)
    } else {
        Err(AgentError::Identifiant(crate::text::extrait(login, 60)))
    }
}

/// A random password an operator can hand over: 20 characters without look-alikes (~115 bits).
pub fn mot_de_passe_aleatoire() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..20).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}

fn hacher(mot_de_passe: &str) -> Result<String, AgentError> {
    let sel = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default()
        .hash_password(mot_de_passe.as_bytes(), &sel)
        .map(|h| h.to_string())
        .map_err(|e| AgentError::Hachage(e.to_string()))
}

fn verifier(hachage: &str, mot_de_passe: &str) -> bool {
    PasswordHash::new(hachage).is_ok_and(|h| Argon2::default().verify_password(mot_de_passe.as_bytes(), &h).is_ok())
}

/// A hash of no password, checked when the login is unknown so that an attempt costs the same
/// time whether the account exists or not.
fn hachage_leurre() -> &'static str {
    static LEURRE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    LEURRE.get_or_init(|| hacher(&mot_de_passe_aleatoire()).unwrap_or_default())
}

/// Why a sign-in failed (the page says the same for all: no account enumeration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusConnexion {
    /// Unknown login or wrong password.
    Identifiants,
    /// The account is deactivated.
    Desactive,
}

impl super::Registry {
    /// Creates the account `login` for `rattachement`, with `mot_de_passe` or a random one
    /// (returned, to be handed over once).
    pub async fn ajouter_agent(
        &self,
        login: &str,
        nom: &str,
        rattachement: &Guichet,
        mot_de_passe: Option<String>,
    ) -> Result<(Agent, String), AgentError> {
        let login = identifiant(login)?;
        if matches!(rattachement.profil, super::Profil::Prestataire { .. }) {
            return Err(AgentError::Profil(rattachement.profil.nom()));
        }
        if self.depot.agent(&login)?.is_some() {
            return Err(AgentError::Existe(login));
        }
        let mot_de_passe = mot_de_passe.unwrap_or_else(mot_de_passe_aleatoire);
        let n = mot_de_passe.chars().count();
        if !(MOT_DE_PASSE_MIN..=MOT_DE_PASSE_MAX).contains(&n) {
            return Err(AgentError::MotDePasse(n));
        }
        let hachage = self.compute.run(|| hacher(&mot_de_passe)).await?;
        let maintenant = self.horloge.maintenant();
        let agent = Agent {
            login,
            nom: crate::text::extrait(nom.trim(), 80),
            rattachement: rattachement.code.as_str().to_string(),
            hachage,
            actif: true,
            cree_le: maintenant,
            modifie_le: maintenant,
        };
        self.depot.appliquer(Transaction::une(Ecriture::EcrireAgent(agent.clone())))?;
        self.depot.durable().await?;
        Ok((agent, mot_de_passe))
    }

    /// Deactivates `login` (kept, so that the journal's names stay readable).
    pub async fn desactiver_agent(&self, login: &str) -> Result<Agent, AgentError> {
        let login = identifiant(login)?;
        let mut agent = self.depot.agent(&login)?.ok_or_else(|| AgentError::Inconnu(login.clone()))?;
        agent.actif = false;
        agent.modifie_le = self.horloge.maintenant();
        self.depot.appliquer(Transaction::une(Ecriture::EcrireAgent(agent.clone())))?;
        self.depot.durable().await?;
        Ok(agent)
    }

    /// Every account, by login.
    pub fn agents(&self) -> Result<Vec<Agent>, AgentError> {
        Ok(self.depot.agents()?)
    }

    /// Checks a sign-in. Unknown logins cost a hash check too.
    pub async fn authentifier_agent(&self, login: &str, mot_de_passe: &str) -> Result<Agent, RefusConnexion> {
        let login = identifiant(login).unwrap_or_default();
        let agent = if login.is_empty() { None } else { self.depot.agent(&login).ok().flatten() };
        let trop_long = mot_de_passe.len() > 4 * MOT_DE_PASSE_MAX;
        let hachage = agent.as_ref().map(|a| a.hachage.clone());
        let mot_de_passe = mot_de_passe.to_string();
        // The decoy is hashed once, on the compute pool like every check.
        let bon = self
            .compute
            .run(move || !trop_long && verifier(hachage.as_deref().unwrap_or_else(|| hachage_leurre()), &mot_de_passe))
            .await;
        match agent {
            Some(a) if bon && a.actif => Ok(a),
            Some(a) if bon && !a.actif => Err(RefusConnexion::Desactive),
            _ => Err(RefusConnexion::Identifiants),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_lower_case_and_plain() {
        assert_eq!(identifiant(" Marie.Dupont ").unwrap(), "marie.dupont");
        for bad in ["ab", "a/b", "élodie", "x y", &"a".repeat(41)] {
            assert!(identifiant(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_hash_checks_its_password_only() {
        let h = hacher("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verifier(&h, "correct horse battery"));
        assert!(!verifier(&h, "correct horse batterY"));
        assert!(!verifier("pas un hachage", "x"));
        let p = mot_de_passe_aleatoire();
        assert_eq!(p.len(), 20);
        assert_ne!(p, mot_de_passe_aleatoire());
    }
}
