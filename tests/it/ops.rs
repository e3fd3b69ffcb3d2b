//! What operators rely on: rate limits, metrics, health, request ids, reloads.

use crate::helpers::*;

fn unknown_number_request() -> Vec<u8> {
    demande_logement_inline("111112600000XG1104")
}

#[tokio::test]
async fn past_its_rate_a_counter_gets_429_with_retry_after_and_others_are_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let gw = start_with(&dir, |s| {
        let g = s.guichets.iter_mut().find(|g| g.code == "G1104").unwrap();
        g.requetes_par_seconde = Some(0.5);
        g.rafale = Some(2);
    })
    .await;
    let ct = soap12_headers(ACTION_DEMANDE);
    for _ in 0..2 {
        let r = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], unknown_number_request()).await;
        assert_eq!(r.status, 200, "{}", r.text());
    }
    let r = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], unknown_number_request()).await;
    assert_eq!(r.status, 429, "{}", r.text());
    assert_eq!(r.headers.get("retry-after").unwrap(), "2");
    let text = r.text();
    assert!(
        text.contains("Sender") && text.contains("guichets.requetes_par_seconde") && text.contains("G1104"),
        "{text}"
    );
    // Another counter has no limit.
    for _ in 0..5 {
        let r = gw.post_soap(As::Guichet("G2201"), &[("Content-Type", &ct)], unknown_number_request()).await;
        assert_eq!(r.status, 200);
    }
    let (_, metrics) = gw.get_metrics_listener("/metrics").await;
    assert!(metrics.contains(r#"sne_refus_total{limite="guichets.requetes_par_seconde"} 1"#), "{metrics}");
}

#[tokio::test]
async fn metrics_health_ready_and_request_ids_carry_no_personal_data() {
    let mut gw = spawn_gateway().await;
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    let file = fixture("demande/valid/cre_complet_v0201.xml");
    let ok = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], num_unique_inline(&file)).await;
    assert_eq!(ok.status, 200);
    let id = ok.headers.get("x-request-id").expect("x-request-id").to_str().unwrap().to_string();
    assert!(id.len() == 16 && id.chars().all(|c| c.is_ascii_hexdigit()), "{id}");
    let num = num_unique_of(&binary_child(&decode_reply(&ok), "fichierDemande")).unwrap();
    let bad = fixture("demande/invalid/absent_nom_v0200.xml");
    let anomalie = gw.post_soap(As::Guichet("G1104"), &[("Content-Type", &ct)], num_unique_inline(&bad)).await;
    assert_eq!(anomalie.status, 200);
    assert_ne!(anomalie.headers.get("x-request-id").unwrap().to_str().unwrap(), id, "identifiants répétés");
    let fault = gw.post_soap(As::Nobody, &[("Content-Type", &ct)], num_unique_inline(&file)).await;
    assert_eq!(fault.status, 500);

    for path in ["/health", "/ready"] {
        let r = gw.request(As::Nobody, "GET", path, &[], Vec::new()).await;
        assert_eq!(r.status, 200, "{path} sur le port HTTPS");
        assert_eq!(gw.get_metrics_listener(path).await.0, 200, "{path} sur le port des métriques");
    }
    let (status, metrics) = gw.get_metrics_listener("/metrics").await;
    assert_eq!(status, 200);
    for needle in [
        r#"sne_requetes_total{service="DemandeLogementImplService",operation="getNumUnique",resultat="accepte"} 1"#,
        r#"sne_requetes_total{service="DemandeLogementImplService",operation="getNumUnique",resultat="anomalie"} 1"#,
        r#"sne_requetes_total{service="DemandeLogementImplService",operation="inconnue",resultat="faute_emetteur"} 1"#,
        "sne_requete_duree_secondes_bucket",
        "sne_stockage_vidages_total",
        "sne_stockage_ecritures_confirmees_total",
        "sne_octets_en_cours",
        "sne_calcul_en_attente",
        r#"sne_connexions_ouvertes{type_connexion="guichet"}"#,
        "sne_stockage_octets",
    ] {
        assert!(metrics.contains(needle), "{needle} absent :\n{metrics}");
    }
    for personal in [num.as_str(), "MARTIN", "Camille", "1988-03-12"] {
        assert!(!metrics.contains(personal), "{personal} dans les métriques");
    }
    gw.stop().await;
}
