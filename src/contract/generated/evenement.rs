// Generated from schemas/InterfaceNuuGPEvenement_v0200.xsd, schemas/domains.xsd by src/contract/codegen; do not edit by hand. Run UPDATE_GENERATED=1 cargo test generated_code_is_fresh

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
    /// Element `listeEvenements` (t_listeEvenements), 0..1.
    pub liste_evenements: Option<ListeEvenements>,
    /// Element `listeAnomalies` (t_listeAnomalies), 0..1.
    pub liste_anomalies: Option<ListeAnomalies>,
}

impl FromXml for InterfaceNuu {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["entete", "operation", "listeEvenements", "listeAnomalies"]);
        InterfaceNuu {
            version_interface: attr(e, None, "versionInterface").unwrap_or_default(),
            entete: c.one("entete"),
            operation: c.one("operation"),
            liste_evenements: c.opt("listeEvenements"),
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
        self.liste_evenements.write_xml(w, "listeEvenements");
        self.liste_anomalies.write_xml(w, "listeAnomalies");
        w.end(name);
    }
}

/// Type `t_entete`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Entete {
    /// Element `typeFichier` (t_code3), 1..1.
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
    /// Element `numUnique` (t_numUnique), 1..1.
    pub num_unique: String,
}

impl FromXml for Operation {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["numUnique"]);
        Operation {
            num_unique: c.one("numUnique"),
        }
    }
}

impl WriteXml for Operation {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.num_unique.write_xml(w, "numUnique");
        w.end(name);
    }
}

/// Type `t_listeEvenements`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListeEvenements {
    /// Element `evenement` (t_evenement), 1..n.
    pub evenement: Vec<Evenement>,
}

impl FromXml for ListeEvenements {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["evenement"]);
        ListeEvenements {
            evenement: c.many("evenement"),
        }
    }
}

impl WriteXml for ListeEvenements {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.evenement.write_xml(w, "evenement");
        w.end(name);
    }
}

/// Type `t_evenement`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Evenement {
    /// Element `idEvenement` (t_positiveLong), 0..1.
    pub id_evenement: Option<i64>,
    /// Element `codeTypeEvenement` (t_code10), 0..1.
    pub code_type_evenement: Option<String>,
    /// Element `libelleTypeEvenement` (t_string100), 0..1.
    pub libelle_type_evenement: Option<String>,
    /// Element `auteurCreation` (t_string255), 0..1.
    pub auteur_creation: Option<String>,
    /// Element `dateCreation` (xs:dateTime), 0..1.
    pub date_creation: Option<XsDateTime>,
    /// Element `auteurModification` (t_string255), 0..1.
    pub auteur_modification: Option<String>,
    /// Element `dateModification` (xs:dateTime), 0..1.
    pub date_modification: Option<XsDateTime>,
    /// Element `natureModification` (t_string6), 0..1.
    pub nature_modification: Option<String>,
    /// Element `dateSurvenance` (xs:date), 0..1.
    pub date_survenance: Option<XsDate>,
    /// Element `commentaire` (t_string500), 0..1.
    pub commentaire: Option<String>,
    /// Element `reglementaire` (xs:boolean), 0..1.
    pub reglementaire: Option<bool>,
    /// Element `listeCaracteristiquesSpecifiques` (t_listeCaracteristiquesSpecifiques), 0..1.
    pub liste_caracteristiques_specifiques: Option<ListeCaracteristiquesSpecifiques>,
}

impl FromXml for Evenement {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["idEvenement", "codeTypeEvenement", "libelleTypeEvenement", "auteurCreation", "dateCreation", "auteurModification", "dateModification", "natureModification", "dateSurvenance", "commentaire", "reglementaire", "listeCaracteristiquesSpecifiques"]);
        Evenement {
            id_evenement: c.opt("idEvenement"),
            code_type_evenement: c.opt("codeTypeEvenement"),
            libelle_type_evenement: c.opt("libelleTypeEvenement"),
            auteur_creation: c.opt("auteurCreation"),
            date_creation: c.opt("dateCreation"),
            auteur_modification: c.opt("auteurModification"),
            date_modification: c.opt("dateModification"),
            nature_modification: c.opt("natureModification"),
            date_survenance: c.opt("dateSurvenance"),
            commentaire: c.opt("commentaire"),
            reglementaire: c.opt("reglementaire"),
            liste_caracteristiques_specifiques: c.opt("listeCaracteristiquesSpecifiques"),
        }
    }
}

impl WriteXml for Evenement {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.id_evenement.write_xml(w, "idEvenement");
        self.code_type_evenement.write_xml(w, "codeTypeEvenement");
        self.libelle_type_evenement.write_xml(w, "libelleTypeEvenement");
        self.auteur_creation.write_xml(w, "auteurCreation");
        self.date_creation.write_xml(w, "dateCreation");
        self.auteur_modification.write_xml(w, "auteurModification");
        self.date_modification.write_xml(w, "dateModification");
        self.nature_modification.write_xml(w, "natureModification");
        self.date_survenance.write_xml(w, "dateSurvenance");
        self.commentaire.write_xml(w, "commentaire");
        self.reglementaire.write_xml(w, "reglementaire");
        self.liste_caracteristiques_specifiques.write_xml(w, "listeCaracteristiquesSpecifiques");
        w.end(name);
    }
}

/// Type `t_listeCaracteristiquesSpecifiques`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListeCaracteristiquesSpecifiques {
    /// Element `caracteristiqueSpecifique` (t_caracteristiqueSpecifique), 1..n.
    pub caracteristique_specifique: Vec<CaracteristiqueSpecifique>,
}

impl FromXml for ListeCaracteristiquesSpecifiques {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["caracteristiqueSpecifique"]);
        ListeCaracteristiquesSpecifiques {
            caracteristique_specifique: c.many("caracteristiqueSpecifique"),
        }
    }
}

impl WriteXml for ListeCaracteristiquesSpecifiques {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.caracteristique_specifique.write_xml(w, "caracteristiqueSpecifique");
        w.end(name);
    }
}

/// Type `t_caracteristiqueSpecifique`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CaracteristiqueSpecifique {
    /// Element `code` (t_code10), 1..1.
    pub code: String,
    /// Element `libelle` (t_string100), 0..1.
    pub libelle: Option<String>,
    /// Element `texteDescriptif` (t_string500), 0..1.
    pub texte_descriptif: Option<String>,
    /// Element `valeurCaracteristiqueSpecifique` (t_string100), 0..1.
    pub valeur_caracteristique_specifique: Option<String>,
}

impl FromXml for CaracteristiqueSpecifique {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["code", "libelle", "texteDescriptif", "valeurCaracteristiqueSpecifique"]);
        CaracteristiqueSpecifique {
            code: c.one("code"),
            libelle: c.opt("libelle"),
            texte_descriptif: c.opt("texteDescriptif"),
            valeur_caracteristique_specifique: c.opt("valeurCaracteristiqueSpecifique"),
        }
    }
}

impl WriteXml for CaracteristiqueSpecifique {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.code.write_xml(w, "code");
        self.libelle.write_xml(w, "libelle");
        self.texte_descriptif.write_xml(w, "texteDescriptif");
        self.valeur_caracteristique_specifique.write_xml(w, "valeurCaracteristiqueSpecifique");
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
