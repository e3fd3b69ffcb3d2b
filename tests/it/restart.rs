//! Everything acknowledged survives a restart, and numbers are never reused.

use crate::helpers::*;

#[tokio::test]
async fn restart_keeps_applications_and_sequences() {
    let mut gw = spawn_gateway().await;
    let tmp = gw.keep_dir();
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    let file = fixture("demande/valid/cre_complet_v0201.xml");
    let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], num_unique_inline(&file)).await;
    let env = decode_reply(&reply);
    let first = binary_child(&env, "fichierDemande");
    let num = num_unique_of(&first).unwrap();
    gw.stop().await;

    let gw = start(&gw.dir).await;
    let ct_read = soap12_headers(ACTION_DEMANDE);
    let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct_read)], demande_logement_inline(&num)).await;
    let env = decode_reply(&reply);
    assert_eq!(binary_child(&env, "fichierDemande"), first);

    // Another reference: a new application, not a retry of the first.
    let file = String::from_utf8(file).unwrap().replace("ECOLE-2026-000417", "ECOLE-2026-000418").into_bytes();
    let reply = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], num_unique_inline(&file)).await;
    let env = decode_reply(&reply);
    let second = num_unique_of(&binary_child(&env, "fichierDemande")).unwrap();
    assert_ne!(second, num);
    assert_eq!(&second[7..13], "000002", "la séquence doit reprendre après {num}");
    drop(tmp);
}
