//! The registry over a real store, without the wire: its own rules and durability.

use std::sync::Arc;

use sne_gateway::compute::Compute;
use sne_gateway::registry::{
    Changement, CodeGuichet, Extrait, Guichet, HorlogeFixe, NouvelleDemande, Refus, Registry, RegistryError, Territoire,
};
use sne_gateway::store::{FlushFails, MasterKey, Store};
use time::macros::date;
use time::Date;

fn guichet() -> Guichet {
    Guichet::enregistreur(CodeGuichet::parse("G1104").unwrap(), Territoire::parse("111").unwrap(), "Guichet".into())
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
        ref_interne: None,
        dalo: None,
        faits: Default::default(),
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
    let depot = date!(2026 - 11 - 02);
    let horloge = HorlogeFixe::a(depot.with_hms(11, 0, 0).unwrap().assume_utc());
    let registry = Registry::with_horloge(Arc::new(store), Compute::new(1), Arc::new(horloge));
    let g = guichet();
    let demande = nouvelle(depot);
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

/// A registry on a fresh store whose clock reads `jour` at noon in Paris.
fn registre_au(jour: Date) -> (Registry, HorlogeFixe, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), MasterKey::random()).unwrap();
    let horloge = HorlogeFixe::a(jour.with_hms(11, 0, 0).unwrap().assume_utc());
    (Registry::with_horloge(Arc::new(store), Compute::new(1), Arc::new(horloge.clone())), horloge, dir)
}

fn au(horloge: &HorlogeFixe, jour: Date) {
    horloge.regler(jour.with_hms(11, 0, 0).unwrap().assume_utc());
}

/// Every boundary day of the time rules, on an application filed on 31 January (the months
/// after it are shorter, so each rule's day is clamped).
#[tokio::test]
async fn the_time_rules_apply_on_their_boundary_days() {
    let depot = date!(2026 - 01 - 31);
    let (registry, horloge, _dir) = registre_au(depot);
    let g = guichet();
    let num = registry.enregistrer(&g, nouvelle(depot), |_, _| b"<x/>".to_vec()).await.unwrap().num_unique;
    let etat = |r: &Registry| r.etat(&g, &num).unwrap().attributs().clone();
    assert_eq!(etat(&registry).date_expiration, date!(2027 - 01 - 31));

    // Notice: expiring within a month, from 31 December on.
    let b = registry.echeances(date!(2026 - 12 - 30)).await.unwrap();
    assert!(b.preavis.is_empty(), "{b:?}");
    let b = registry.echeances(date!(2026 - 12 - 31)).await.unwrap();
    assert_eq!(b.preavis.iter().map(|p| p.num.as_str()).collect::<Vec<_>>(), [num.as_str()]);
    assert_eq!(b.preavis[0].expiration, date!(2027 - 01 - 31));

    // RADREN one month after expiry: 28 February 2027 (31 February does not exist).
    let b = registry.echeances(date!(2027 - 02 - 27)).await.unwrap();
    assert!(b.radiees.is_empty(), "{b:?}");
    let b = registry.echeances(date!(2027 - 02 - 28)).await.unwrap();
    assert_eq!(b.radiees, [num.to_string()]);
    let r = etat(&registry).radiation.unwrap();
    assert_eq!((r.motif.as_str(), r.date, r.enregistree_le), ("RADREN", date!(2027 - 01 - 31), date!(2027 - 02 - 28)));
    assert!(registry.echeances(date!(2027 - 02 - 28)).await.unwrap().radiees.is_empty(), "idempotent");
    let versions = registry.versions(&num).unwrap();
    assert_eq!((versions[1].type_fichier.as_str(), versions[1].auteur.as_str()), ("RADREN", "systeme"));

    // Erasure one year after the radiation was recorded: 28 February 2028.
    let b = registry.echeances(date!(2028 - 02 - 27)).await.unwrap();
    assert!(b.effacees.is_empty(), "{b:?}");
    let b = registry.echeances(date!(2028 - 02 - 28)).await.unwrap();
    assert_eq!(b.effacees, [num.to_string()]);
    au(&horloge, date!(2028 - 02 - 28));
    assert!(matches!(registry.etat(&g, &num), Err(RegistryError::Inconnue(_))));
    assert!(registry.versions(&num).unwrap().is_empty());
    assert!(!registry.journal(&num).unwrap().is_empty(), "the access journal outlives the application");
}

#[tokio::test]
async fn a_radiation_for_non_renewal_is_lifted_by_a_renewal_within_eighteen_months() {
    let depot = date!(2026 - 01 - 31);
    let (registry, horloge, _dir) = registre_au(depot);
    let g = guichet();
    let mut nums = Vec::new();
    for _ in 0..2 {
        nums.push(registry.enregistrer(&g, nouvelle(depot), |_, _| b"<x/>".to_vec()).await.unwrap().num_unique);
    }
    registry.echeances(date!(2027 - 02 - 28)).await.unwrap();
    let renouveler = |jour: Date| Changement::Renouveler(jour);
    // Eighteen months after 31 January 2026: 31 July 2027 is the first day it is refused.
    au(&horloge, date!(2027 - 07 - 30));
    let m = registry
        .changer(&g, &nums[0], renouveler(date!(2027 - 07 - 30)), Extrait::default(), |_, _, _| b"<y/>".to_vec())
        .await
        .unwrap();
    assert!(m.attestation.is_some(), "a new certificate");
    let a = registry.etat(&g, &nums[0]).unwrap().attributs().clone();
    assert!(a.radiation.is_none());
    assert_eq!((a.date_depot, a.date_expiration), (depot, date!(2028 - 07 - 30)), "seniority kept");
    au(&horloge, date!(2027 - 07 - 31));
    let err = registry
        .changer(&g, &nums[1], renouveler(date!(2027 - 07 - 31)), Extrait::default(), |_, _, _| b"<y/>".to_vec())
        .await
        .unwrap_err();
    assert!(matches!(err, RegistryError::Refus(Refus::ReactivationImpossible { .. })), "{err}");
}

#[tokio::test]
async fn only_the_counter_that_created_an_event_changes_it_and_each_change_stays_in_its_history() {
    use sne_gateway::registry::evenements::{EvenementError, RefusEvenement, SaisieEvenement};
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), MasterKey::random()).unwrap();
    let horloge = Arc::new(HorlogeFixe::a(time::macros::datetime!(2026-11-02 10:00 UTC)));
    let registry = Registry::with_horloge(Arc::new(store), Compute::new(1), horloge);
    registry.installer_types(sne_gateway::evenements::nationaux()).await.unwrap();
    let g = guichet();
    let voisin =
        Guichet::enregistreur(CodeGuichet::parse("G1105").unwrap(), Territoire::parse("111").unwrap(), "Voisin".into());
    let num =
        registry.enregistrer(&g, nouvelle(date!(2026 - 11 - 02)), |_, _| b"<x/>".to_vec()).await.unwrap().num_unique;
    let saisie =
        SaisieEvenement { code_type: "ENTRETIEN".into(), commentaire: Some("premier".into()), ..Default::default() };
    let e = registry.ajouter_evenement(&g, &num, saisie.clone()).await.unwrap().evenement;
    // The neighbour counter of the same territory sees it but may not change or delete it.
    assert_eq!(registry.lister_evenements(&voisin, &num).await.unwrap().len(), 1);
    for r in [
        registry.modifier_evenement(&voisin, &num, e.id, saisie.clone(), None).await.map(|_| ()),
        registry.supprimer_evenement(&voisin, &num, e.id).await.map(|_| ()),
    ] {
        match r {
            Err(EvenementError::Refus(RefusEvenement::Auteur { auteur, .. })) => assert_eq!(auteur, "G1104"),
            other => panic!("{other:?}"),
        }
    }
    // Two changes one after the other both stay in the history, in order.
    for texte in ["deuxième", "troisième"] {
        let s = SaisieEvenement { commentaire: Some(texte.into()), ..saisie.clone() };
        registry.modifier_evenement(&g, &num, e.id, s, Some("CORR".into())).await.unwrap();
    }
    let lu = registry.lister_evenements(&g, &num).await.unwrap().remove(0).evenement;
    assert_eq!(lu.version, 3);
    assert_eq!(lu.modifications.len(), 2);
    assert_eq!(lu.commentaire.unwrap().0, "troisième".as_bytes());
}

#[tokio::test]
async fn applications_stored_before_the_search_get_their_entries_once() {
    use sne_gateway::registry::depot::{CleIndex, Depot, Ecriture, Transaction};
    use sne_gateway::registry::recherche::{Criteres, PersonneRecherchee, INDEX};
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(dir.path(), MasterKey::random()).unwrap());
    let horloge = Arc::new(HorlogeFixe::a(time::macros::datetime!(2026-11-02 10:00 UTC)));
    let registry = Registry::with_horloge(store.clone(), Compute::new(1), horloge);
    let g = guichet();
    let personne = sne_gateway::registry::Identite {
        nom: "Lefèvre".into(),
        nom_naissance: None,
        prenom: "Zoë".into(),
        date_naissance: date!(1990 - 05 - 06),
    };
    let mut nums = Vec::new();
    for _ in 0..3 {
        let n = registry.enregistrer(&g, nouvelle(date!(2026 - 11 - 02)), |_, _| b"<x/>".to_vec()).await.unwrap();
        nums.push(n.num_unique);
    }
    // As stores of earlier versions: no search entries at all (the first two), or those of the
    // search's first version, beside the duplicates' own index (the third).
    for (i, num) in nums.iter().enumerate() {
        let entrees: Vec<_> = store.index_de(num.as_str()).unwrap().into_iter().filter(|c| c.index == INDEX).collect();
        assert!(!entrees.is_empty());
        let ajouter = if i < 2 {
            Vec::new()
        } else {
            let h = store.empreinte("111|LEFEVRE|ZOE|1990-05-06");
            vec![
                CleIndex::new(INDEX, format!("111|e|A|2026-11-02|{num}")),
                CleIndex::new(INDEX, format!("111|n|0123456789ab|2026-11-02|{num}|00")),
                CleIndex::new("identite", h),
            ]
        };
        let t = Transaction::une(Ecriture::Indexer { num: num.to_string(), retirer: entrees, ajouter });
        store.appliquer(t).unwrap();
    }
    let criteres = Criteres {
        personne: Some(PersonneRecherchee { nom: Some("LEFEVRE".into()), ..Default::default() }),
        ..Default::default()
    };
    assert!(registry.rechercher(&g, &criteres).await.unwrap().nums.is_empty());
    assert!(registry.index_recherche_a_construire().unwrap());
    let lus = std::sync::atomic::AtomicUsize::new(0);
    let faits = |_: &[u8]| {
        lus.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Some((vec![personne.clone()], Default::default()))
    };
    assert_eq!(registry.construire_index_recherche(&faits).await.unwrap(), 3);
    assert!(!registry.index_recherche_a_construire().unwrap());
    assert_eq!(registry.rechercher(&g, &criteres).await.unwrap().nums, nums);
    assert_eq!(registry.doublons(&g, std::slice::from_ref(&personne)).unwrap(), nums);
    // Nothing of the earlier forms stays.
    let index = store.index_de(nums[2].as_str()).unwrap();
    assert!(index.iter().all(|c| c.index != "identite" && !c.valeur.contains(nums[2].as_str())), "{index:?}");
    assert!(store.verifier().unwrap().is_empty());
    // Run again, it reads nothing.
    assert_eq!(registry.construire_index_recherche(&faits).await.unwrap(), 0);
    assert_eq!(lus.load(std::sync::atomic::Ordering::Relaxed), 3);
}
