//! The served WSDL and every schema it names load in a schema processor.

use std::path::Path;

use crate::helpers::*;

fn schema_locations(doc: &str) -> Vec<String> {
    doc.split("schemaLocation=\"").skip(1).map(|s| s[..s.find('"').unwrap()].to_string()).collect()
}

/// The schema inside a WSDL's `wsdl:types`, as a document of its own: it keeps the WSDL's
/// namespace declarations, which its imports and references rely on.
fn types_schema(wsdl: &str) -> String {
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
    types
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
    // The schema inside wsdl:types must compile with what it imports: use it to validate a
    // response wrapper below.
    std::fs::write(dir.path().join("types.xsd"), types_schema(&wsdl)).unwrap();

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
    for service in ["DemandeLogementImplService", "RechercheDemandeImplService", "GestionPartageeEVTImplService"] {
        let wsdl = fetch(&gw, &format!("/services/{service}?wsdl")).await;
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

const NS_WSDL: &str = "http://schemas.xmlsoap.org/wsdl/";
const NS_WSDL_SOAP12: &str = "http://schemas.xmlsoap.org/wsdl/soap12/";
const NS_WSDL_SOAP11: &str = "http://schemas.xmlsoap.org/wsdl/soap/";

/// The gateway path of a schema location named by a document served under `dir` (ending in
/// '/'): a relative name resolves under it; an absolute one must name the caller's address, so
/// that a client fetches it from the gateway it called.
fn resolve(loc: &str, dir: &str, port: u16) -> String {
    match loc.strip_prefix(&format!("https://localhost:{port}/")) {
        Some(path) => format!("/{path}"),
        None => {
            assert!(!loc.contains(':'), "emplacement hors de l'adresse appelée : {loc}");
            format!("{dir}{}", loc.trim_start_matches("./"))
        }
    }
}

/// Mirrors what a toolkit fetches from `service`: its WSDL, then, transitively, every schema
/// location it or a fetched schema names, plus `extra` (the business-file schemas, which the
/// WSDL cannot name since the file travels as a binary). Each is fetched at the URL named and
/// written under its file name, absolute locations rewritten to that name (xmllint does not
/// speak HTTPS); the schema of `wsdl:types` is written as `types.xsd`. Returns the directory
/// and the WSDL as served.
async fn mirror(gw: &TestGateway, service: &str, extra: &[&str]) -> (tempfile::TempDir, String) {
    let port = gw.addr.port();
    let base = format!("/services/{service}/");
    let wsdl = fetch(gw, &format!("{base}?wsdl")).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("types.xsd"), types_schema(&wsdl)).unwrap();
    let mut todo: Vec<String> = schema_locations(&wsdl).iter().map(|l| resolve(l, &base, port)).collect();
    todo.extend(extra.iter().map(|n| format!("{base}{n}")));
    let mut seen: Vec<String> = Vec::new();
    while let Some(path) = todo.pop() {
        let (parent, name) = path.rsplit_once('/').unwrap();
        if seen.iter().any(|s| s == name) {
            continue;
        }
        let mut doc = fetch(gw, &path).await;
        for loc in schema_locations(&doc) {
            todo.push(resolve(&loc, &format!("{parent}/"), port));
            if loc.contains("://") {
                let local = loc.rsplit('/').next().unwrap();
                doc = doc.replace(&format!("schemaLocation=\"{loc}\""), &format!("schemaLocation=\"{local}\""));
            }
        }
        std::fs::write(dir.path().join(name), doc).unwrap();
        seen.push(name.to_string());
    }
    for name in extra {
        assert!(seen.iter().any(|s| s == name), "{service} : {name}");
    }
    (dir, wsdl)
}

/// A wsdl element's children of this WSDL (or binding extension) namespace and local name.
fn wsdl_children<'a>(
    parent: &'a sne_gateway::xml::Element,
    ns: &'a str,
    name: &'a str,
) -> impl Iterator<Item = &'a sne_gateway::xml::Element> {
    parent.elements().filter(move |e| e.is(Some(ns), name))
}

/// Checks a service carrying business files (CONTRACT.md §2): exactly `ops`, each taking
/// `fichierXmlParametres` and answering `fichierXmlReponse`, a SOAP 1.2 port and a SOAP 1.1
/// port at the caller's address, each operation with its soapAction in both bindings; then
/// that the wrapper schema, mirrored as a client fetches it, compiles and validates the
/// wrappers. Returns the mirror, with `file_schemas` in it.
async fn check_file_service(gw: &TestGateway, service: &str, ops: &[&str], file_schemas: &[&str]) -> tempfile::TempDir {
    let port = gw.addr.port();
    let (dir, wsdl) = mirror(gw, service, file_schemas).await;
    let address = format!("https://localhost:{port}/services/{service}/");
    assert!(!wsdl.contains("localhost:8443"), "{wsdl}");

    let root = sne_gateway::xml::parse(wsdl.as_bytes(), sne_gateway::xml::Limits::default()).unwrap();
    assert!(root.is(Some(NS_WSDL), "definitions"));
    assert_eq!(root.attribute("name"), Some(service));
    let names = |it: &mut dyn Iterator<Item = &sne_gateway::xml::Element>| -> Vec<String> {
        it.map(|e| e.attribute("name").unwrap().to_string()).collect()
    };
    // The messages each operation names carry the shared wrappers.
    let message_element = |message: &str| -> String {
        let message = message.strip_prefix("tns:").unwrap();
        let m = wsdl_children(&root, NS_WSDL, "message").find(|m| m.attribute("name") == Some(message)).unwrap();
        m.child("part").unwrap().attribute("element").unwrap().to_string()
    };
    let port_types: Vec<_> = wsdl_children(&root, NS_WSDL, "portType").collect();
    assert_eq!(port_types.len(), 1);
    assert_eq!(names(&mut wsdl_children(port_types[0], NS_WSDL, "operation")), ops);
    for op in wsdl_children(port_types[0], NS_WSDL, "operation") {
        assert_eq!(
            message_element(op.child("input").unwrap().attribute("message").unwrap()),
            "tns:fichierXmlParametres"
        );
        assert_eq!(message_element(op.child("output").unwrap().attribute("message").unwrap()), "tns:fichierXmlReponse");
        assert_eq!(
            message_element(op.child("fault").unwrap().attribute("message").unwrap()),
            "tns:demandeLogementException"
        );
    }
    // One binding per SOAP version, every operation with its action: where operations share a
    // wrapper, the action is all that tells them apart.
    let port_type = format!("tns:{}", port_types[0].attribute("name").unwrap());
    let mut bindings = Vec::new();
    for soap_ns in [NS_WSDL_SOAP12, NS_WSDL_SOAP11] {
        let binding = wsdl_children(&root, NS_WSDL, "binding")
            .find(|b| b.elements().any(|e| e.is(Some(soap_ns), "binding")))
            .unwrap_or_else(|| panic!("{service} : pas de liaison {soap_ns}"));
        assert_eq!(binding.attribute("type"), Some(port_type.as_str()));
        assert_eq!(names(&mut wsdl_children(binding, NS_WSDL, "operation")), ops);
        for op in wsdl_children(binding, NS_WSDL, "operation") {
            let action = wsdl_children(op, soap_ns, "operation").next().unwrap().attribute("soapAction").unwrap();
            assert_eq!(action, format!("http://ws.metier.nuu.application.i2/{}", op.attribute("name").unwrap()));
        }
        bindings.push((format!("tns:{}", binding.attribute("name").unwrap()), soap_ns));
    }
    // A port per binding, both at the address the client called.
    let services: Vec<_> = wsdl_children(&root, NS_WSDL, "service").collect();
    assert_eq!(services.len(), 1);
    assert_eq!(services[0].attribute("name"), Some(service));
    let ports: Vec<_> = wsdl_children(services[0], NS_WSDL, "port").collect();
    assert_eq!(ports.len(), 2);
    for (binding, soap_ns) in bindings {
        let port = ports.iter().find(|p| p.attribute("binding") == Some(binding.as_str())).unwrap();
        let location = wsdl_children(port, soap_ns, "address").next().unwrap().attribute("location");
        assert_eq!(location, Some(address.as_str()));
    }

    // The wrapper schema names the application service's copy of the schema it includes, at
    // the caller's address: one document for all services.
    let xsd = fetch(gw, &format!("/services/{service}/FichierXmlImplService.xsd")).await;
    assert_eq!(
        schema_locations(&xsd),
        [format!("https://localhost:{port}/services/DemandeLogementImplService/DemandeLogementImplService.xsd")]
    );

    // The schema of wsdl:types, with what it imports, compiles and validates the wrappers; and
    // the check can fail.
    let types = dir.path().join("types.xsd");
    let b64 = "PG5zMjppbnRlcmZhY2VOdXUvPg==";
    let tns = r#"xmlns:ns2="http://ws.metier.nuu.application.i2/""#;
    let parametres = format!(
        r#"<ns2:fichierXmlParametres {tns}><nomFichier>f.xml</nomFichier><fichierXml contentType="text/xml">{b64}</fichierXml><nomCertificat></nomCertificat></ns2:fichierXmlParametres>"#
    );
    assert!(xmllint_accepts(&types, parametres.as_bytes()), "{parametres}");
    let sans_certificat = parametres.replace("<nomCertificat></nomCertificat>", "");
    assert!(xmllint_accepts(&types, sans_certificat.as_bytes()), "nomCertificat est facultatif");
    let reponse = format!(
        r#"<ns2:fichierXmlReponse {tns}><nomFichierXmlRetour>f.xml</nomFichierXmlRetour><fichierXmlRetour>{b64}</fichierXmlRetour></ns2:fichierXmlReponse>"#
    );
    assert!(xmllint_accepts(&types, reponse.as_bytes()), "{reponse}");
    let faute = format!(r#"<ns2:demandeLogementException {tns}><message>x</message></ns2:demandeLogementException>"#);
    assert!(xmllint_accepts(&types, faute.as_bytes()), "{faute}");
    let desordre = format!(
        r#"<ns2:fichierXmlParametres {tns}><fichierXml>{b64}</fichierXml><nomFichier>f.xml</nomFichier></ns2:fichierXmlParametres>"#
    );
    assert!(!xmllint_accepts(&types, desordre.as_bytes()), "enfants dans le désordre acceptés");
    let qualifie = parametres.replace("<nomFichier>f.xml</nomFichier>", "<ns2:nomFichier>f.xml</ns2:nomFichier>");
    assert!(!xmllint_accepts(&types, qualifie.as_bytes()), "enfant qualifié accepté");
    dir
}

#[tokio::test]
async fn the_search_service_is_described_with_the_file_it_carries() {
    let gw = spawn_gateway().await;
    let dir = check_file_service(
        &gw,
        "RechercheDemandeImplService",
        &["rechercheDemandeMulticritere"],
        &["InterfaceNuuRecherche_v0200.xsd", "domains.xsd"],
    )
    .await;
    // The search file schema, as served, validates a search a counter would send, and its
    // answer; a criterion too long is refused.
    let schema = dir.path().join("InterfaceNuuRecherche_v0200.xsd");
    let recherche = r#"<?xml version="1.0" encoding="UTF-8"?>
<ns2:interfaceNuu xmlns:ns2="http://nuu.application.i2/" versionInterface="02.00">
  <ns2:entete>
    <ns2:typeFichier>RMC</ns2:typeFichier>
    <ns2:dateFichier>2024-03-01T10:00:00</ns2:dateFichier>
    <ns2:codeGuichet>G1104</ns2:codeGuichet>
  </ns2:entete>
  <ns2:operation>
    <ns2:demandeMulticritere>
      <ns2:etatDemande>A</ns2:etatDemande>
      <ns2:dateDepotDebut>2023-01-01</ns2:dateDepotDebut>
      <ns2:dateDepotFin>2023-12-31</ns2:dateDepotFin>
      <ns2:communeSouhaitee>75056</ns2:communeSouhaitee>
      <ns2:personneRecherchee>
        <ns2:nom>DUPONT</ns2:nom>
        <ns2:dateNaissance>1980-05-17</ns2:dateNaissance>
      </ns2:personneRecherchee>
      <ns2:piecesJustificatives>
        <ns2:codeCategorie>IDENTITE</ns2:codeCategorie>
      </ns2:piecesJustificatives>
    </ns2:demandeMulticritere>
  </ns2:operation>
</ns2:interfaceNuu>
"#;
    assert!(xmllint_accepts(&schema, recherche.as_bytes()));
    let reponse = recherche.replace(
        "</ns2:operation>",
        "</ns2:operation>\n  <ns2:listeDemandes><ns2:numUnique>075112324000100001</ns2:numUnique></ns2:listeDemandes>",
    );
    assert!(xmllint_accepts(&schema, reponse.as_bytes()), "{reponse}");
    let rejet = recherche.replace(
        "</ns2:operation>",
        r#"</ns2:operation>
  <ns2:listeAnomalies><ns2:anomalie code="DEM-INC"><ns2:message>Demande inconnue.</ns2:message></ns2:anomalie></ns2:listeAnomalies>"#,
    );
    assert!(xmllint_accepts(&schema, rejet.as_bytes()), "{rejet}");
    let trop_long = recherche.replace("<ns2:etatDemande>A<", "<ns2:etatDemande>AR<");
    assert!(!xmllint_accepts(&schema, trop_long.as_bytes()));
}

#[tokio::test]
async fn the_event_service_is_described_with_the_files_it_carries() {
    let gw = spawn_gateway().await;
    let dir = check_file_service(
        &gw,
        "GestionPartageeEVTImplService",
        &[
            "listerTypesEvenementsNationaux",
            "listerTypesEvenementsTerritoriaux",
            "listerEvenementsDemande",
            "ajouterEvenementDemande",
            "modifierEvenementDemande",
            "supprimerEvenementDemande",
        ],
        &["InterfaceNuuGPEvenement_v0200.xsd", "InterfaceNuuGPTypeEvenement_v0200.xsd", "domains.xsd"],
    )
    .await;
    // Each file schema, as served, compiles with the shared domains and validates its file.
    let entete = "<ns2:entete><ns2:typeFichier>EVT</ns2:typeFichier>\
        <ns2:dateFichier>2024-03-01T10:00:00</ns2:dateFichier><ns2:codeGuichet>G1104</ns2:codeGuichet></ns2:entete>";
    let types = format!(
        r#"<ns2:interfaceNuu xmlns:ns2="http://nuu.application.i2/" versionInterface="02.00">{entete}</ns2:interfaceNuu>"#
    );
    assert!(xmllint_accepts(&dir.path().join("InterfaceNuuGPTypeEvenement_v0200.xsd"), types.as_bytes()), "{types}");
    let evenements = format!(
        r#"<ns2:interfaceNuu xmlns:ns2="http://nuu.application.i2/" versionInterface="02.00">{entete}<ns2:operation><ns2:numUnique>075112324000100001</ns2:numUnique></ns2:operation><ns2:listeEvenements><ns2:evenement><ns2:codeTypeEvenement>VISITE</ns2:codeTypeEvenement><ns2:dateSurvenance>2024-02-28</ns2:dateSurvenance><ns2:commentaire>Visite du logement proposé.</ns2:commentaire></ns2:evenement></ns2:listeEvenements></ns2:interfaceNuu>"#
    );
    let schema = dir.path().join("InterfaceNuuGPEvenement_v0200.xsd");
    assert!(xmllint_accepts(&schema, evenements.as_bytes()), "{evenements}");
    // The event file needs the application it concerns.
    assert!(!xmllint_accepts(&schema, types.as_bytes()));
}

/// The addresses the registry's own WSDLs name serve the same services, WSDL and schemas
/// included: the WSDL fetched there names that address, a client generated from it posts there.
#[tokio::test]
async fn the_registrys_published_addresses_serve_the_same_services() {
    use base64::Engine;
    let gw = spawn_gateway().await;
    for (chemin, service) in [
        ("/nuu/services/DemandeLogement", "DemandeLogementImplService"),
        ("/nuu-ws/services/RechercheDemandeImplService", "RechercheDemandeImplService"),
        ("/nuu-ws/services/RechercheDemande", "RechercheDemandeImplService"),
        ("/nuu-ws/services/GestionPartageeEVTImplService", "GestionPartageeEVTImplService"),
        ("/nuu-ws/services/GestionPartageeEVT", "GestionPartageeEVTImplService"),
    ] {
        let wsdl = fetch(&gw, &format!("{chemin}/?wsdl")).await;
        let adresses: Vec<&str> = wsdl.split("location=\"").skip(1).map(|l| &l[..l.find('"').unwrap()]).collect();
        assert_eq!(adresses.len(), 2, "SOAP 1.2 and 1.1 ports: {chemin}");
        for a in adresses {
            assert!(a.starts_with("https://") && a.ends_with(&format!("{chemin}/")), "{chemin}: {a}");
        }
        assert!(wsdl.contains(&format!("name=\"{service}\"")), "{chemin}");
        for loc in schema_locations(&wsdl) {
            let relative = !loc.starts_with("https://");
            let url =
                if relative { format!("{chemin}/{loc}") } else { format!("/{}", loc.splitn(4, '/').nth(3).unwrap()) };
            fetch(&gw, &url).await;
            if relative {
                // Fetched without the trailing slash, the names resolve one folder up.
                let dossier = &chemin[..chemin.rfind('/').unwrap()];
                fetch(&gw, &format!("{dossier}/{loc}")).await;
            }
        }
    }
    // A registration posted where the registry's WSDL says.
    let fichier = fixture("demande/valid/cre_minimal_v0200.xml");
    let ct = soap12_headers(ACTION_NUM_UNIQUE);
    let reply = gw
        .request(
            As::Guichet("G1104"),
            "POST",
            "/nuu/services/DemandeLogement/",
            &[("Content-Type", &ct)],
            num_unique_inline(&fichier),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let num = num_unique_of(&binary_child(&decode_reply(&reply), "fichierDemande")).expect("numUnique");
    // A search at the search service's published address finds it.
    let recherche = crate::recherche::fichier_recherche(&format!("<ns2:numUnique>{num}</ns2:numUnique>"));
    let body = format!(
        r#"<soap:Envelope xmlns:soap="{NS_SOAP12}"><soap:Body><ns2:fichierXmlParametres xmlns:ns2="http://ws.metier.nuu.application.i2/"><nomFichier>RMC-1.xml</nomFichier><fichierXml>{}</fichierXml></ns2:fichierXmlParametres></soap:Body></soap:Envelope>"#,
        base64::engine::general_purpose::STANDARD.encode(recherche)
    );
    let ct = soap12_headers(crate::recherche::ACTION_RECHERCHE);
    let reply = gw
        .request(
            As::Guichet("G1104"),
            "POST",
            "/nuu-ws/services/RechercheDemandeImplService/",
            &[("Content-Type", &ct)],
            body.into_bytes(),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let retour = String::from_utf8(binary_child(&decode_reply(&reply), "fichierXmlRetour")).unwrap();
    assert!(retour.contains(&num), "{retour}");
    // Look-alike paths stay unknown.
    for faux in [
        "/nuu/services/DemandeLogementX/?wsdl",
        "/nuu-ws/services/Inconnu/?wsdl",
        "/nuu/services/RechercheDemande/?wsdl",
    ] {
        assert_eq!(gw.request(As::Nobody, "GET", faux, &[], Vec::new()).await.status, 404, "{faux}");
    }
}
