//! Who may call: counters known by the fingerprint of their client certificate.

use std::collections::HashMap;

use super::numero::{CodeGuichet, Territoire};

/// A caller known by its certificate: a registering counter (guichet enregistreur), a consultant
/// service or a scanning provider, each with a code and a territory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guichet {
    /// Its code, the tail of the numbers it registers.
    pub code: CodeGuichet,
    /// The territory it registers and reads in.
    pub territoire: Territoire,
    /// Name printed on certificates.
    pub nom: String,
    /// What it may do.
    pub profil: Profil,
}

/// What an identity may do (CONTRACT.md §6).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Profil {
    /// A registering counter: every operation on the applications and pieces of its territory.
    #[default]
    Guichet,
    /// A service that instructs but does not register: reads pieces only, as far as its level.
    Consultant(Consultation),
    /// An industrial scanning provider: deposits pieces, singly or in batches, in its territory
    /// and in these others, and does nothing else.
    Prestataire {
        /// Territories served besides the identity's own.
        autres_territoires: Vec<Territoire>,
    },
    /// An applicant signed in on the portal with their access code: their own application's
    /// state and pieces, nothing else. Never in the configuration.
    Demandeur {
        /// Their application.
        num: super::NumUnique,
    },
}

/// How far a consultant sees the pieces of a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Consultation {
    /// `consultant_simple`: the list of non-sensitive pieces.
    Simple,
    /// `consultant_demande`: the list and the content of non-sensitive pieces.
    Demande,
    /// `consultant_sensible`: the list and the content of every piece.
    Sensible,
}

impl Profil {
    /// The configuration's name of the profile.
    pub fn nom(&self) -> &'static str {
        match self {
            Profil::Guichet => "guichet",
            Profil::Consultant(Consultation::Simple) => "consultant_simple",
            Profil::Consultant(Consultation::Demande) => "consultant_demande",
            Profil::Consultant(Consultation::Sensible) => "consultant_sensible",
            Profil::Prestataire { .. } => "prestataire",
            Profil::Demandeur { .. } => "demandeur",
        }
    }

    /// Every profile name, as the configuration spells them.
    pub const NOMS: &'static [&'static str] =
        &["guichet", "consultant_simple", "consultant_demande", "consultant_sensible", "prestataire"];
}

/// How the journal and the pieces name an applicant acting on the portal.
pub const AUTEUR_DEMANDEUR: &str = "demandeur";

impl Guichet {
    /// The applicant of `num` (of `territoire`), signed in on the portal.
    pub fn demandeur(num: &super::NumUnique, territoire: Territoire) -> Guichet {
        Guichet {
            // Never shown: `auteur` names the applicant.
            code: CodeGuichet::parse("DEMND").expect("five letters"),
            territoire,
            nom: "Demandeur".into(),
            profil: Profil::Demandeur { num: num.clone() },
        }
    }

    /// Who the journal and a deposited piece name: the counter's code, or `demandeur`.
    pub fn auteur(&self) -> &str {
        match self.profil {
            Profil::Demandeur { .. } => AUTEUR_DEMANDEUR,
            _ => self.code.as_str(),
        }
    }

    /// Whether the identity may see application `num` at all (an applicant: their own only;
    /// territories are checked besides).
    pub fn voit_la_demande(&self, num: &str) -> bool {
        match &self.profil {
            Profil::Demandeur { num: n } => n.as_str() == num,
            _ => true,
        }
    }

    /// A registering counter.
    pub fn enregistreur(code: CodeGuichet, territoire: Territoire, nom: String) -> Guichet {
        Guichet { code, territoire, nom, profil: Profil::Guichet }
    }

    /// Whether the identity acts in `territoire`.
    pub fn couvre(&self, territoire: &Territoire) -> bool {
        self.territoire == *territoire
            || matches!(&self.profil, Profil::Prestataire { autres_territoires } if autres_territoires.contains(territoire))
    }

    /// Whether the identity registers (the application service is for counters only).
    pub fn est_enregistreur(&self) -> bool {
        self.profil == Profil::Guichet
    }
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

    /// The identity of code `code`, unless every certificate of it is revoked (a web agent acts
    /// as that identity).
    pub fn par_code(&self, code: &str) -> Option<Guichet> {
        let mut tous = self.par_empreinte.values().filter(|(g, _)| g.code.as_str() == code);
        tous.find(|(_, revoque)| !revoque).map(|(g, _)| g.clone())
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
