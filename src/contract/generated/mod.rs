// Generated from schemas/InterfaceNuu_v0200.xsd, schemas/InterfaceNuu_v0201.xsd by src/contract/codegen; do not edit by hand. Run UPDATE_GENERATED=1 cargo test generated_code_is_fresh

//! Code generated from the XSD schemas of the application file.

/// Validator descriptors identical in every version (InterfaceNuu_v0200.xsd, InterfaceNuu_v0201.xsd).
mod schema_common;
/// Validator tables of InterfaceNuu_v0200.xsd + Doublon_V0200.xsd.
pub mod schema_v0200;
/// Validator tables of InterfaceNuu_v0201.xsd + Doublon_V0200.xsd.
pub mod schema_v0201;
/// Typed view of InterfaceNuu_v0201.xsd + Doublon_V0200.xsd.
pub mod types;
/// Validator table of InterfaceNuuRecherche_v0200.xsd + domains.xsd.
pub mod recherche_schema;
/// Typed view of InterfaceNuuRecherche_v0200.xsd + domains.xsd.
pub mod recherche;
/// Validator table of InterfaceNuuGPEvenement_v0200.xsd + domains.xsd.
pub mod evenement_schema;
/// Typed view of InterfaceNuuGPEvenement_v0200.xsd + domains.xsd.
pub mod evenement;
/// Validator table of InterfaceNuuGPTypeEvenement_v0200.xsd + domains.xsd.
pub mod type_evenement_schema;
/// Typed view of InterfaceNuuGPTypeEvenement_v0200.xsd + domains.xsd.
pub mod type_evenement;
/// Categories of supporting documents of PieceJustificativeImplService.xsd.
pub mod categories;
