//! The served WSDL and every schema it names load in a schema processor.

use std::path::Path;

use crate::helpers::*;

fn schema_locations(doc: &str) -> Vec<String> {
    doc.split("schemaLocation=\"").skip(1).map(|s| s[..s.find('"').unwrap()].to_string()).collect()
}

async fn fetch(gw: &TestGateway, path: &str) -> String {
    let reply = gw.request(As::Nobody, "GET", path, &[], Vec::new()).await;
    assert_eq!(reply.status, 200, "{path}");
    assert!(reply.content_type.starts_with("text/xml"), "{path}: {}", reply.content_type);
    reply.text()
}

#[tokio::test]
async fn served_wsdl_and_schemas_load_in_xmllint() {
    let gw = spawn_gateway().await;
    let base = "/services/DemandeLogementImplService/";
    let wsdl = fetch(&gw, &format!("{base}?wsdl")).await;
    let port = gw.addr.port();
    assert!(wsdl.contains(&format!("https://localhost:{port}/services/DemandeLogementImplService/")), "{wsdl}");
    for op in [
        "getNumUnique",
        "getDemandeLogement",
        "getDoublons",
        "getDeclarationNouveauDalo",
        "getDemandesRadieesDepuisLe",
        "getNouveauxDaloDepuisLe",
    ] {
        assert!(wsdl.contains(&format!("soapAction=\"http://ws.metier.nuu.application.i2/{op}\"")), "{op}");
    }
    assert!(
        wsdl.contains("http://schemas.xmlsoap.org/wsdl/soap12/")
            && wsdl.contains("http://schemas.xmlsoap.org/wsdl/soap/")
    );

    // Mirror what a toolkit fetches: the WSDL and, transitively, every schema location.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("service.wsdl"), &wsdl).unwrap();
    let mut todo: Vec<String> = schema_locations(&wsdl);
    let mut seen = Vec::new();
    while let Some(loc) = todo.pop() {
        let name = loc.rsplit('/').next().unwrap().trim_start_matches("./").to_string();
        if seen.contains(&name) {
            continue;
        }
        let doc = fetch(&gw, &format!("{base}{name}")).await;
        todo.extend(schema_locations(&doc));
        std::fs::write(dir.path().join(&name), &doc).unwrap();
        seen.push(name);
    }
    for s in ["DemandeLogementImplService.xsd", "InterfaceNuu_v0201.xsd", "InterfaceNuu_v0200.xsd", "Doublon_V0200.xsd"]
    {
        assert!(seen.contains(&s.to_string()) || fetch(&gw, &format!("{base}{s}")).await.len() > 100, "{s}");
    }
    // The schema inside wsdl:types must compile with what it imports: pull it out, keep the
    // WSDL's namespace declarations, and use it to validate a response wrapper below.
    let types_start = wsdl.find("<xs:schema").or_else(|| wsdl.find("<xsd:schema")).expect("schéma dans wsdl:types");
    let prefix = if wsdl[types_start..].starts_with("<xs:") { "xs" } else { "xsd" };
    let close = format!("</{prefix}:schema>");
    let types_end = wsdl[types_start..].find(&close).unwrap() + types_start + close.len();
    let root_decls: String = {
        let root_start = wsdl.find("<wsdl:definitions").or_else(|| wsdl.find("<definitions")).unwrap();
        let root_tag = &wsdl[root_start..root_start + wsdl[root_start..].find('>').unwrap()];
        root_tag
            .split_whitespace()
            .filter(|a| a.starts_with("xmlns"))
            .map(|a| format!(" {}", a.trim_end_matches('/')))
            .collect()
    };
    let mut types = wsdl[types_start..types_end].to_string();
    types.insert_str(prefix.len() + 8, &root_decls);
    std::fs::write(dir.path().join("types.xsd"), &types).unwrap();

    // Business schemas served over HTTP validate the fixtures exactly as the checked-in ones.
    for s in ["InterfaceNuu_v0201.xsd", "InterfaceNuu_v0200.xsd", "Doublon_V0200.xsd", "DemandeLogementImplService.xsd"]
    {
        std::fs::write(dir.path().join(s), fetch(&gw, &format!("{base}{s}")).await).unwrap();
    }
    let served = |n: &str| dir.path().join(n);
    assert!(xmllint_accepts(&served("InterfaceNuu_v0201.xsd"), &fixture("demande/valid/cre_complet_v0201.xml")));
    assert!(xmllint_accepts(&served("InterfaceNuu_v0200.xsd"), &fixture("demande/valid/cre_minimal_v0200.xml")));

    // An inline response wrapper validates against the served wrapper schema.
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    let reply = gw
        .post_soap(
            As::Guichet("G1104"),
            &[("Content-Type", &ct)],
            num_unique_inline(&fixture("demande/valid/cre_minimal_v0200.xml")),
        )
        .await;
    let text = reply.text();
    let start = text.find("<ns2:numUniqueReponse").unwrap();
    let end = text.find("</ns2:numUniqueReponse>").unwrap() + "</ns2:numUniqueReponse>".len();
    let wrapper = &text.as_bytes()[start..end];
    assert!(xmllint_accepts(Path::new(&served("DemandeLogementImplService.xsd")), wrapper), "{}", &text[start..end]);
    assert!(xmllint_accepts(&served("types.xsd"), wrapper), "le schéma de wsdl:types ne valide pas la réponse");
    // And the checks can fail: a wrapper with a misplaced child is refused.
    let broken =
        text[start..end].replacen("<nomFichierDemande>", "<nomAttestation>x</nomAttestation><nomFichierDemande>", 1);
    assert!(!xmllint_accepts(&served("types.xsd"), broken.as_bytes()));
}

#[tokio::test]
async fn unknown_paths_are_404() {
    let gw = spawn_gateway().await;
    let reply = gw.request(As::Nobody, "GET", "/services/Inconnu/?wsdl", &[], Vec::new()).await;
    assert_eq!(reply.status, 404);
    let reply =
        gw.request(As::Nobody, "GET", "/services/DemandeLogementImplService/../../etc/passwd", &[], Vec::new()).await;
    assert_eq!(reply.status, 404);
}

#[tokio::test]
async fn the_wsdl_fetched_without_the_trailing_slash_finds_its_schemas() {
    let gw = spawn_gateway().await;
    // As JAX-WS users type it: relative schema names then resolve under /services/.
    let wsdl = fetch(&gw, "/services/DemandeLogementImplService?wsdl").await;
    let mut pending = schema_locations(&wsdl);
    let mut seen = std::collections::HashSet::new();
    assert!(!pending.is_empty());
    while let Some(loc) = pending.pop() {
        if !seen.insert(loc.clone()) || loc.starts_with("http") {
            continue;
        }
        let schema = fetch(&gw, &format!("/services/{}", loc.trim_start_matches("./"))).await;
        pending.extend(schema_locations(&schema));
    }
}

#[tokio::test]
async fn the_document_service_names_the_application_services_schema_at_its_one_address() {
    let gw = spawn_gateway().await;
    let port = gw.addr.port();
    let wsdl = fetch(&gw, "/services/PieceJustificativeImplService/?wsdl").await;
    assert!(wsdl.contains(&format!("https://localhost:{port}/services/PieceJustificativeImplService/")));
    for op in [
        "deposerPiece",
        "deposerLotPieces",
        "listerPieces",
        "getPiece",
        "qualifierPiece",
        "supprimerPiece",
        "getEtatDossier",
    ] {
        assert!(wsdl.contains(&format!("soapAction=\"http://ws.metier.nuu.application.i2/{op}\"")), "{op}");
    }
    let xsd = fetch(&gw, "/services/PieceJustificativeImplService/PieceJustificativeImplService.xsd").await;
    // One document for both services: a client generating both sees each type defined once.
    assert_eq!(
        schema_locations(&xsd),
        [format!("https://localhost:{port}/services/DemandeLogementImplService/DemandeLogementImplService.xsd")]
    );
    // Mirrored locally with that include pointed at the local copy, the schema compiles and
    // validates a wrapper.
    let dir = tempfile::tempdir().unwrap();
    let commun = fetch(&gw, "/services/DemandeLogementImplService/DemandeLogementImplService.xsd").await;
    std::fs::write(dir.path().join("DemandeLogementImplService.xsd"), commun).unwrap();
    let local = xsd.replace(&schema_locations(&xsd)[0], "DemandeLogementImplService.xsd");
    std::fs::write(dir.path().join("PieceJustificativeImplService.xsd"), local).unwrap();
    let wrapper = br#"<ns2:getPieceParametres xmlns:ns2="http://ws.metier.nuu.application.i2/"><idPiece>PJ0001aaaaaaaaaaaaaaaaaaaa</idPiece></ns2:getPieceParametres>"#;
    assert!(xmllint_accepts(&dir.path().join("PieceJustificativeImplService.xsd"), wrapper));
}
