//! sne-gateway: the national social-housing registry (SNE) SOAP contract, served.
//!
//! Data flows one way: [`http`] (TLS, identity, limits) -> [`soap`] (envelope, MTOM parts,
//! faults) -> [`operations`] (the edge between wire values and business values) -> [`contract`]
//! (typed files, validation into anomalies) and [`registry`] (business rules) -> [`store`]
//! (sled, encrypted, durable). See ARCHITECTURE.md.
#![deny(missing_docs)]

pub mod compute;
pub mod config;
pub mod contract;
pub mod control;
pub mod guichets;
pub mod http;
pub mod metrics;
pub mod operations;
pub mod pki;
pub mod registry;
pub mod school;
pub mod service_description;
pub mod soap;
pub mod startup;
pub mod store;
pub mod text;
pub mod xml;
