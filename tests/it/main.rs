//! End-to-end tests: a real gateway over TLS with client certificates, per test.

#[path = "../kit/answer.rs"]
mod answer;
mod helpers;
#[path = "../kit/release.rs"]
mod release;
#[path = "../kit/televersement.rs"]
mod televersement;

mod anomalies;
mod bad_input;
mod cli;
mod console;
mod cycle;
mod dalo;
mod doublons;
mod edge;
mod evenements;
mod identity;
mod navigateur;
mod ops;
mod pieces;
mod recherche;
mod register;
mod registre;
mod restart;
mod wsdl;
