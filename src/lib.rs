//! sne-gateway: the national social-housing registry contract, served.
#![deny(missing_docs)]

pub mod xml;
