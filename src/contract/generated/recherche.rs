// Generated from schemas/InterfaceNuuRecherche_v0200.xsd, schemas/domains.xsd by src/contract/codegen; do not edit by hand. Run UPDATE_GENERATED=1 cargo test generated_code_is_fresh

#![allow(clippy::large_enum_variant)]

use crate::contract::runtime::*;
use crate::xml::Element;

/// Inline type of global element `interfaceNuu`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InterfaceNuu {
    /// Attribute `versionInterface` (required).
    pub version_interface: String,
    /// Element `entete` (t_entete), 1..1.
    pub entete: Entete,
    /// Element `operation` (t_operation), 1..1.
    pub operation: Operation,
    /// Element `listeDemandes` (t_listeDemandes), 0..1.
    pub liste_demandes: Option<ListeDemandes>,
    /// Element `listeAnomalies` (t_listeAnomalies), 0..1.
    pub liste_anomalies: Option<ListeAnomalies>,
}

impl FromXml for InterfaceNuu {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["entete", "operation", "listeDemandes", "listeAnomalies"]);
        InterfaceNuu {
            version_interface: attr(e, None, "versionInterface").unwrap_or_default(),
            entete: c.one("entete"),
            operation: c.one("operation"),
            liste_demandes: c.opt("listeDemandes"),
            liste_anomalies: c.opt("listeAnomalies"),
        }
    }
}

impl WriteXml for InterfaceNuu {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr_str(None, "versionInterface", &self.version_interface.to_lexical());
        self.entete.write_xml(w, "entete");
        self.operation.write_xml(w, "operation");
        self.liste_demandes.write_xml(w, "listeDemandes");
        self.liste_anomalies.write_xml(w, "listeAnomalies");
        w.end(name);
    }
}

/// Type `t_entete`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Entete {
    /// Element `typeFichier` (t_code4), 1..1.
    pub type_fichier: String,
    /// Element `dateFichier` (xs:dateTime), 1..1.
    pub date_fichier: XsDateTime,
    /// Element `codeGuichet` (t_numGuichet), 1..1.
    pub code_guichet: String,
}

impl FromXml for Entete {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["typeFichier", "dateFichier", "codeGuichet"]);
        Entete {
            type_fichier: c.one("typeFichier"),
            date_fichier: c.one("dateFichier"),
            code_guichet: c.one("codeGuichet"),
        }
    }
}

impl WriteXml for Entete {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.type_fichier.write_xml(w, "typeFichier");
        self.date_fichier.write_xml(w, "dateFichier");
        self.code_guichet.write_xml(w, "codeGuichet");
        w.end(name);
    }
}

/// Type `t_operation`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Operation {
    /// Element `demandeMulticritere` (t_demandeMulticritere), 1..1.
    pub demande_multicritere: DemandeMulticritere,
}

impl FromXml for Operation {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["demandeMulticritere"]);
        Operation {
            demande_multicritere: c.one("demandeMulticritere"),
        }
    }
}

impl WriteXml for Operation {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.demande_multicritere.write_xml(w, "demandeMulticritere");
        w.end(name);
    }
}

/// Type `t_listeDemandes`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListeDemandes {
    /// Element `numUnique` (t_numUnique), 1..n.
    pub num_unique: Vec<String>,
}

impl FromXml for ListeDemandes {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["numUnique"]);
        ListeDemandes {
            num_unique: c.many("numUnique"),
        }
    }
}

impl WriteXml for ListeDemandes {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.num_unique.write_xml(w, "numUnique");
        w.end(name);
    }
}

/// Type `t_demandeMulticritere`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DemandeMulticritere {
    /// Element `numUnique` (t_numUnique), 0..1.
    pub num_unique: Option<String>,
    /// Element `etatDemande` (t_code1), 0..1.
    pub etat_demande: Option<String>,
    /// Element `dateDepotDebut` (xs:date), 0..1.
    pub date_depot_debut: Option<XsDate>,
    /// Element `dateDepotFin` (xs:date), 0..1.
    pub date_depot_fin: Option<XsDate>,
    /// Element `dateRenouvellementDebut` (xs:date), 0..1.
    pub date_renouvellement_debut: Option<XsDate>,
    /// Element `dateRenouvellementFin` (xs:date), 0..1.
    pub date_renouvellement_fin: Option<XsDate>,
    /// Element `dateRadiationDebut` (xs:date), 0..1.
    pub date_radiation_debut: Option<XsDate>,
    /// Element `dateRadiationFin` (xs:date), 0..1.
    pub date_radiation_fin: Option<XsDate>,
    /// Element `motifDemande` (t_string6), 0..1.
    pub motif_demande: Option<String>,
    /// Element `motifRadiation` (t_string6), 0..1.
    pub motif_radiation: Option<String>,
    /// Element `communeSouhaitee` (t_code5), 0..1.
    pub commune_souhaitee: Option<String>,
    /// Element `communeAttribution` (t_code5), 0..1.
    pub commune_attribution: Option<String>,
    /// Element `estDelaiAnormalementLong` (xs:boolean), 0..1.
    pub est_delai_anormalement_long: Option<bool>,
    /// Element `estMultiplesAttributionsSousConditions` (xs:boolean), 0..1.
    pub est_multiples_attributions_sous_conditions: Option<bool>,
    /// Element `association` (t_association), 0..1.
    pub association: Option<Association>,
    /// Element `personneRecherchee` (t_personneRecherchee), 0..1.
    pub personne_recherchee: Option<PersonneRecherchee>,
    /// Element `piecesJustificatives` (t_piecesJustificatives), 0..1.
    pub pieces_justificatives: Option<PiecesJustificatives>,
}

impl FromXml for DemandeMulticritere {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["numUnique", "etatDemande", "dateDepotDebut", "dateDepotFin", "dateRenouvellementDebut", "dateRenouvellementFin", "dateRadiationDebut", "dateRadiationFin", "motifDemande", "motifRadiation", "communeSouhaitee", "communeAttribution", "estDelaiAnormalementLong", "estMultiplesAttributionsSousConditions", "association", "personneRecherchee", "piecesJustificatives"]);
        DemandeMulticritere {
            num_unique: c.opt("numUnique"),
            etat_demande: c.opt("etatDemande"),
            date_depot_debut: c.opt("dateDepotDebut"),
            date_depot_fin: c.opt("dateDepotFin"),
            date_renouvellement_debut: c.opt("dateRenouvellementDebut"),
            date_renouvellement_fin: c.opt("dateRenouvellementFin"),
            date_radiation_debut: c.opt("dateRadiationDebut"),
            date_radiation_fin: c.opt("dateRadiationFin"),
            motif_demande: c.opt("motifDemande"),
            motif_radiation: c.opt("motifRadiation"),
            commune_souhaitee: c.opt("communeSouhaitee"),
            commune_attribution: c.opt("communeAttribution"),
            est_delai_anormalement_long: c.opt("estDelaiAnormalementLong"),
            est_multiples_attributions_sous_conditions: c.opt("estMultiplesAttributionsSousConditions"),
            association: c.opt("association"),
            personne_recherchee: c.opt("personneRecherchee"),
            pieces_justificatives: c.opt("piecesJustificatives"),
        }
    }
}

impl WriteXml for DemandeMulticritere {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.num_unique.write_xml(w, "numUnique");
        self.etat_demande.write_xml(w, "etatDemande");
        self.date_depot_debut.write_xml(w, "dateDepotDebut");
        self.date_depot_fin.write_xml(w, "dateDepotFin");
        self.date_renouvellement_debut.write_xml(w, "dateRenouvellementDebut");
        self.date_renouvellement_fin.write_xml(w, "dateRenouvellementFin");
        self.date_radiation_debut.write_xml(w, "dateRadiationDebut");
        self.date_radiation_fin.write_xml(w, "dateRadiationFin");
        self.motif_demande.write_xml(w, "motifDemande");
        self.motif_radiation.write_xml(w, "motifRadiation");
        self.commune_souhaitee.write_xml(w, "communeSouhaitee");
        self.commune_attribution.write_xml(w, "communeAttribution");
        self.est_delai_anormalement_long.write_xml(w, "estDelaiAnormalementLong");
        self.est_multiples_attributions_sous_conditions.write_xml(w, "estMultiplesAttributionsSousConditions");
        self.association.write_xml(w, "association");
        self.personne_recherchee.write_xml(w, "personneRecherchee");
        self.pieces_justificatives.write_xml(w, "piecesJustificatives");
        w.end(name);
    }
}

/// Type `t_association`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Association {
    /// Element `nom` (t_string36), 1..1.
    pub nom: String,
}

impl FromXml for Association {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["nom"]);
        Association {
            nom: c.one("nom"),
        }
    }
}

impl WriteXml for Association {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.nom.write_xml(w, "nom");
        w.end(name);
    }
}

/// Type `t_personneRecherchee`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PersonneRecherchee {
    /// Element `nom` (t_string36), 0..1.
    pub nom: Option<String>,
    /// Element `prenom` (t_string36), 0..1.
    pub prenom: Option<String>,
    /// Element `dateNaissance` (xs:date), 0..1.
    pub date_naissance: Option<XsDate>,
}

impl FromXml for PersonneRecherchee {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["nom", "prenom", "dateNaissance"]);
        PersonneRecherchee {
            nom: c.opt("nom"),
            prenom: c.opt("prenom"),
            date_naissance: c.opt("dateNaissance"),
        }
    }
}

impl WriteXml for PersonneRecherchee {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.nom.write_xml(w, "nom");
        self.prenom.write_xml(w, "prenom");
        self.date_naissance.write_xml(w, "dateNaissance");
        w.end(name);
    }
}

/// Type `t_piecesJustificatives`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PiecesJustificatives {
    /// Element `codeCategorie` (t_code10), 1..n.
    pub code_categorie: Vec<String>,
}

impl FromXml for PiecesJustificatives {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["codeCategorie"]);
        PiecesJustificatives {
            code_categorie: c.many("codeCategorie"),
        }
    }
}

impl WriteXml for PiecesJustificatives {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.code_categorie.write_xml(w, "codeCategorie");
        w.end(name);
    }
}

/// Type `t_listeAnomalies`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListeAnomalies {
    /// Element `anomalie` (t_anomalie), 1..n.
    pub anomalie: Vec<Anomalie>,
}

impl FromXml for ListeAnomalies {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["anomalie"]);
        ListeAnomalies {
            anomalie: c.many("anomalie"),
        }
    }
}

impl WriteXml for ListeAnomalies {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.anomalie.write_xml(w, "anomalie");
        w.end(name);
    }
}

/// Type `t_anomalie`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Anomalie {
    /// Attribute `code` (required).
    pub code: String,
    /// Element `message` (t_string512), 1..1.
    pub message: String,
}

impl FromXml for Anomalie {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["message"]);
        Anomalie {
            code: attr(e, None, "code").unwrap_or_default(),
            message: c.one("message"),
        }
    }
}

impl WriteXml for Anomalie {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr_str(None, "code", &self.code.to_lexical());
        self.message.write_xml(w, "message");
        w.end(name);
    }
}
