//! The registry: business rules of the national contract on typed values.
//!
//! **It knows nothing of XML, HTTP or sled.** It receives newtypes and plain values from the
//! operation layer and names what it needs from storage in [`depot`], which the store implements.
//! The content of an application is opaque to it: the caller hands a function that renders the
//! file once the number (or the version) is known, so the number and the file are written
//! together. The life of an application is the aggregate [`Demande`] and its transitions.

pub mod agents;
pub mod attestation;
pub mod code_acces;
pub mod controles;
pub mod demande;
mod demandes;
pub mod depot;
mod echeances;
pub mod evenements;
pub mod format;
pub mod geographie;
mod guichet;
pub mod horloge;
mod identite;
mod numero;
pub mod pieces;
pub mod recherche;

pub use demande::{Demande, DemandeRadiation, MotifRadiation, Refus};
pub use demandes::{
    Changement, Enregistrement, Extrait, Lecture, Modification, NouvelleDemande, Registry, RegistryError,
    DEFAULT_MAX_RESULTATS,
};
pub use echeances::{BilanEcheances, Preavis};
pub use guichet::{Annuaire, Appelant, Consultation, Guichet, Profil};
pub use horloge::{decalage_systeme, DecalageInvalide, Horloge, HorlogeFixe, HorlogeSysteme, VARIABLE_DECALAGE};
pub use identite::{normaliser, Identite};
pub use numero::{CodeGuichet, IdentifiantError, NumUnique, Territoire};
