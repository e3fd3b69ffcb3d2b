//! The registry: business rules of the national contract on typed values.
//!
//! **It knows nothing of XML, HTTP or sled.** It receives newtypes and plain values from the
//! operation layer, asks the store for sequences and durable writes, and renders the
//! registration certificate. The content of an application is opaque to it: the caller hands a
//! function that renders the file once the number is known, so the number and the file are
//! written together.

pub mod attestation;
mod demandes;
mod guichet;
pub mod horloge;
mod numero;

pub use demandes::{Enregistrement, Identite, NouvelleDemande, Registry, RegistryError};
pub use guichet::{Annuaire, Appelant, Guichet};
pub use horloge::{Horloge, HorlogeFixe, HorlogeSysteme};
pub use numero::{CodeGuichet, IdentifiantError, NumUnique, Territoire};
