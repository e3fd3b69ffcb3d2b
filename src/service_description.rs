//! The published contract: the WSDL and the schemas it names, embedded in the binary.
//!
//! The WSDL is checked in with the address `https://localhost:8443`; the served copy names the
//! address the client used, as the JAX-WS reference server does, so generated clients call back
//! where they fetched the description.
//!
//! Each service lives at `/services/<Service>/` (where deployed clients post) and also at the
//! addresses the registry's own published WSDLs name (`/nuu/services/DemandeLogement/`,
//! `/nuu-ws/services/<Service>/`), so a client generated from those posts there once its host is
//! changed: [`ServiceDescription::chemins`].

/// Address written in the checked-in WSDL, replaced when served.
const ADRESSE_MODELE: &str = "https://localhost:8443";

/// A service and the documents it publishes.
pub struct ServiceDescription {
    /// Service name, the path segment under `/services/`.
    pub service: &'static str,
    /// The other paths the registry's published WSDLs give this service (no trailing slash).
    publies: &'static [&'static str],
    wsdl: &'static str,
    schemas: &'static [(&'static str, &'static str)],
    /// Schemas of another service this one includes: (file name, that service). Served, their
    /// `schemaLocation` names that service's copy, so a client generating both services sees one
    /// document, not two defining the same types.
    empruntes: &'static [(&'static str, &'static str)],
}

/// The application service.
pub const DEMANDE_LOGEMENT: ServiceDescription = ServiceDescription {
    service: "DemandeLogementImplService",
    publies: &["/nuu/services/DemandeLogement"],
    wsdl: include_str!("../wsdl/DemandeLogementImplService.wsdl"),
    schemas: &[
        ("DemandeLogementImplService.xsd", include_str!("../schemas/DemandeLogementImplService.xsd")),
        ("InterfaceNuu_v0200.xsd", include_str!("../schemas/InterfaceNuu_v0200.xsd")),
        ("InterfaceNuu_v0201.xsd", include_str!("../schemas/InterfaceNuu_v0201.xsd")),
        ("Doublon_V0200.xsd", include_str!("../schemas/Doublon_V0200.xsd")),
        ("ListeNumUnique_v0100.xsd", include_str!("../schemas/ListeNumUnique_v0100.xsd")),
    ],
    empruntes: &[],
};

/// The document service (dossier unique); its schema includes the application service's for
/// the binary type and the fault element.
pub const PIECE_JUSTIFICATIVE: ServiceDescription = ServiceDescription {
    service: "PieceJustificativeImplService",
    publies: &[],
    wsdl: include_str!("../wsdl/PieceJustificativeImplService.wsdl"),
    schemas: &[
        ("PieceJustificativeImplService.xsd", include_str!("../schemas/PieceJustificativeImplService.xsd")),
        ("DemandeLogementImplService.xsd", include_str!("../schemas/DemandeLogementImplService.xsd")),
    ],
    empruntes: &[("DemandeLogementImplService.xsd", "DemandeLogementImplService")],
};

/// The multi-criteria search service. Its wrappers (`FichierXmlImplService.xsd`, shared with the
/// event service) include the application service's schema for the binary type and the fault
/// element. The search file travels as a binary the WSDL does not describe, so its schemas are
/// served beside it for a client to fetch and validate against.
pub const RECHERCHE_DEMANDE: ServiceDescription = ServiceDescription {
    service: "RechercheDemandeImplService",
    publies: &["/nuu-ws/services/RechercheDemandeImplService", "/nuu-ws/services/RechercheDemande"],
    wsdl: include_str!("../wsdl/RechercheDemandeImplService.wsdl"),
    schemas: &[
        ("FichierXmlImplService.xsd", include_str!("../schemas/FichierXmlImplService.xsd")),
        ("DemandeLogementImplService.xsd", include_str!("../schemas/DemandeLogementImplService.xsd")),
        ("InterfaceNuuRecherche_v0200.xsd", include_str!("../schemas/InterfaceNuuRecherche_v0200.xsd")),
        ("domains.xsd", include_str!("../schemas/domains.xsd")),
    ],
    empruntes: &[("DemandeLogementImplService.xsd", "DemandeLogementImplService")],
};

/// The shared-events service: the same wrappers as the search service, and the schemas of the
/// two files its operations carry (event types, events of an application).
pub const GESTION_PARTAGEE_EVT: ServiceDescription = ServiceDescription {
    service: "GestionPartageeEVTImplService",
    publies: &["/nuu-ws/services/GestionPartageeEVTImplService", "/nuu-ws/services/GestionPartageeEVT"],
    wsdl: include_str!("../wsdl/GestionPartageeEVTImplService.wsdl"),
    schemas: &[
        ("FichierXmlImplService.xsd", include_str!("../schemas/FichierXmlImplService.xsd")),
        ("DemandeLogementImplService.xsd", include_str!("../schemas/DemandeLogementImplService.xsd")),
        ("InterfaceNuuGPEvenement_v0200.xsd", include_str!("../schemas/InterfaceNuuGPEvenement_v0200.xsd")),
        ("InterfaceNuuGPTypeEvenement_v0200.xsd", include_str!("../schemas/InterfaceNuuGPTypeEvenement_v0200.xsd")),
        ("domains.xsd", include_str!("../schemas/domains.xsd")),
    ],
    empruntes: &[("DemandeLogementImplService.xsd", "DemandeLogementImplService")],
};

/// Every published service.
pub const SERVICES: &[&ServiceDescription] =
    &[&DEMANDE_LOGEMENT, &PIECE_JUSTIFICATIVE, &RECHERCHE_DEMANDE, &GESTION_PARTAGEE_EVT];

impl ServiceDescription {
    /// The WSDL with its port addresses pointing at `base` (e.g. `https://127.0.0.1:8443`).
    pub fn wsdl_for(&self, base: &str) -> String {
        self.wsdl.replace(ADRESSE_MODELE, base)
    }

    /// The WSDL as served at `chemin` (one of [`ServiceDescription::chemins`]): its ports name
    /// that address, so a client calls back where it fetched the description.
    pub fn wsdl_at(&self, base: &str, chemin: &str) -> String {
        let canonique = format!("{ADRESSE_MODELE}/services/{}/", self.service);
        self.wsdl.replace(&canonique, &format!("{base}{chemin}/")).replace(ADRESSE_MODELE, base)
    }

    /// Whether `dossier` (`/services`, `/nuu-ws/services`...) holds one of the service's paths:
    /// a WSDL fetched there without its trailing slash names its schemas from that folder.
    pub fn sert_le_dossier(&self, dossier: &str) -> bool {
        self.chemins().any(|c| c.rsplit_once('/').is_some_and(|(d, _)| d == dossier))
    }

    /// Every path the service answers at, without trailing slash: `/services/<Service>` first,
    /// then the addresses of the registry's published WSDLs.
    pub fn chemins(&self) -> impl Iterator<Item = std::borrow::Cow<'static, str>> + '_ {
        std::iter::once(std::borrow::Cow::Owned(format!("/services/{}", self.service)))
            .chain(self.publies.iter().map(|p| std::borrow::Cow::Borrowed(*p)))
    }

    /// A schema by file name.
    pub fn schema(&self, name: &str) -> Option<&'static str> {
        self.schemas.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
    }

    /// A schema by file name as served from `base` (e.g. `https://127.0.0.1:8443`): the schemas it
    /// borrows from another service are named at that service's address.
    pub fn schema_for(&self, name: &str, base: &str) -> Option<String> {
        let mut text = self.schema(name)?.to_string();
        for (fichier, service) in self.empruntes {
            text = text.replace(
                &format!("schemaLocation=\"{fichier}\""),
                &format!("schemaLocation=\"{base}/services/{service}/{fichier}\""),
            );
        }
        Some(text)
    }

    /// Names of the published schemas.
    pub fn schema_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.schemas.iter().map(|(n, _)| *n)
    }
}

/// True when `host` (a Host header value) is safe to write into a document we serve.
pub fn host_is_safe(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn served_wsdl_names_the_callers_address_and_fetchable_schemas() {
        for svc in SERVICES {
            let wsdl = svc.wsdl_for("https://127.0.0.1:9999");
            assert!(wsdl.contains(&format!("https://127.0.0.1:9999/services/{}/", svc.service)));
            assert!(!wsdl.contains(ADRESSE_MODELE));
            // Every schemaLocation named by the WSDL or by a served schema is published, by this
            // service or, for a borrowed one, by the service it names.
            let served: Vec<String> =
                svc.schemas.iter().map(|(n, _)| svc.schema_for(n, "https://127.0.0.1:9999").unwrap()).collect();
            let mut docs = vec![wsdl.as_str()];
            docs.extend(served.iter().map(String::as_str));
            for doc in docs {
                for loc in doc.split("schemaLocation=\"").skip(1) {
                    let loc = &loc[..loc.find('"').unwrap()];
                    let name = loc.rsplit('/').next().unwrap().trim_start_matches("./");
                    let owner = match loc.strip_prefix("https://127.0.0.1:9999/services/") {
                        Some(rest) => SERVICES.iter().find(|s| rest.starts_with(&format!("{}/", s.service))).unwrap(),
                        None => svc,
                    };
                    assert!(owner.schema(name).is_some(), "{} : schéma non publié : {loc}", svc.service);
                }
            }
        }
    }

    #[test]
    fn the_published_addresses_are_served_with_their_own_address_in_the_wsdl() {
        let chemins: Vec<String> = DEMANDE_LOGEMENT.chemins().map(|c| c.into_owned()).collect();
        assert_eq!(chemins, ["/services/DemandeLogementImplService", "/nuu/services/DemandeLogement"]);
        let wsdl = DEMANDE_LOGEMENT.wsdl_at("https://h:1", "/nuu/services/DemandeLogement");
        assert!(wsdl.contains("location=\"https://h:1/nuu/services/DemandeLogement/\""), "{wsdl}");
        assert!(!wsdl.contains("/services/DemandeLogementImplService/\""), "{wsdl}");
        for svc in [&RECHERCHE_DEMANDE, &GESTION_PARTAGEE_EVT] {
            assert!(svc.chemins().any(|c| c == format!("/nuu-ws/services/{}", svc.service)));
        }
    }

    #[test]
    fn refuses_hosts_that_would_inject_markup() {
        assert!(host_is_safe("localhost:8443"));
        assert!(host_is_safe("[::1]:8443"));
        assert!(!host_is_safe("evil\"><x"));
        assert!(!host_is_safe(""));
    }
}
