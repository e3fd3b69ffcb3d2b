//! The registry over a real store, without the wire: its own rules and durability.

use std::sync::Arc;

use sne_gateway::compute::Compute;
use sne_gateway::registry::{CodeGuichet, Guichet, HorlogeFixe, NouvelleDemande, Registry, RegistryError, Territoire};
use sne_gateway::store::{FlushFails, MasterKey, Store};
use time::Date;

fn guichet() -> Guichet {
    Guichet {
        code: CodeGuichet::parse("G1104").unwrap(),
        territoire: Territoire::parse("111").unwrap(),
        nom: "Guichet".into(),
    }
}

fn nouvelle(d: Date) -> NouvelleDemande {
    NouvelleDemande {
        num_guichet: guichet().code,
        date_depot: d,
        demandeur: "Madame Test".into(),
        identites: Vec::new(),
        communes: vec!["31555".into()],
        complet: None,
        num_associe: None,
    }
}

#[tokio::test]
async fn the_filing_date_may_be_tomorrow_in_paris_at_most() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), MasterKey::random()).unwrap();
    // 23:30 UTC on 1 December is 00:30 on 2 December in Paris: tomorrow is the 3rd.
    let horloge = Arc::new(HorlogeFixe::a(time::macros::datetime!(2026-12-01 23:30 UTC)));
    let registry = Registry::with_horloge(Arc::new(store), Compute::new(1), horloge);
    let g = guichet();
    let ok = registry.enregistrer(&g, nouvelle(time::macros::date!(2026 - 12 - 03)), |_, _| b"<x/>".to_vec()).await;
    assert!(ok.is_ok(), "{:?}", ok.err());
    let err = registry
        .enregistrer(&g, nouvelle(time::macros::date!(2026 - 12 - 04)), |_, _| b"<x/>".to_vec())
        .await
        .unwrap_err();
    assert!(matches!(err, RegistryError::DateFuture(_)), "{err}");
}

#[tokio::test]
async fn a_failed_flush_acknowledges_nothing_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Arc::new(FlushFails::open(dir.path()).unwrap());
    let store = Store::with_engine(engine.clone(), MasterKey::random(), dir.path()).unwrap();
    let registry = Registry::new(Arc::new(store), Compute::new(1));
    let g = guichet();
    let demande = nouvelle(time::macros::date!(2026 - 11 - 02));
    registry.enregistrer(&g, demande.clone(), |_, _| b"<x/>".to_vec()).await.unwrap();
    engine.fail();
    let err = registry.enregistrer(&g, demande.clone(), |_, _| b"<x/>".to_vec()).await.unwrap_err();
    assert!(matches!(err, RegistryError::Depot(_)), "{err}");
    assert!(!err.is_caller_error());
    // The engine would flush again, but after an fsync error nothing is acknowledged.
    engine.heal();
    let err = registry.enregistrer(&g, demande, |_, _| b"<x/>".to_vec()).await.unwrap_err();
    assert!(matches!(err, RegistryError::Depot(_)), "{err}");
}
