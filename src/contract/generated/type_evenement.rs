// Generated from schemas/InterfaceNuuGPTypeEvenement_v0200.xsd, schemas/domains.xsd by src/contract/codegen; do not edit by hand. Run UPDATE_GENERATED=1 cargo test generated_code_is_fresh

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
    /// Element `operation` (t_operation), 0..1.
    pub operation: Option<Operation>,
    /// Element `listeTypesEvenements` (t_listeTypesEvenements), 0..1.
    pub liste_types_evenements: Option<ListeTypesEvenements>,
    /// Element `listeAnomalies` (t_listeAnomalies), 0..1.
    pub liste_anomalies: Option<ListeAnomalies>,
}

impl FromXml for InterfaceNuu {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["entete", "operation", "listeTypesEvenements", "listeAnomalies"]);
        InterfaceNuu {
            version_interface: attr(e, None, "versionInterface").unwrap_or_default(),
            entete: c.one("entete"),
            operation: c.opt("operation"),
            liste_types_evenements: c.opt("listeTypesEvenements"),
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
        self.liste_types_evenements.write_xml(w, "listeTypesEvenements");
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
    /// Element `codeTerritoire` (t_code3), 1..1.
    pub code_territoire: String,
}

impl FromXml for Operation {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["codeTerritoire"]);
        Operation {
            code_territoire: c.one("codeTerritoire"),
        }
    }
}

impl WriteXml for Operation {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.code_territoire.write_xml(w, "codeTerritoire");
        w.end(name);
    }
}

/// Type `t_listeTypesEvenements`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListeTypesEvenements {
    /// Element `typeEvenement` (t_typeEvenement), 1..n.
    pub type_evenement: Vec<TypeEvenement>,
}

impl FromXml for ListeTypesEvenements {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["typeEvenement"]);
        ListeTypesEvenements {
            type_evenement: c.many("typeEvenement"),
        }
    }
}

impl WriteXml for ListeTypesEvenements {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.type_evenement.write_xml(w, "typeEvenement");
        w.end(name);
    }
}

/// Type `t_typeEvenement`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TypeEvenement {
    /// Element `codeTypeEvenement` (t_code10), 1..1.
    pub code_type_evenement: String,
    /// Element `texteDescriptifPGP` (t_string500), 1..1.
    pub texte_descriptif_pgp: String,
    /// Element `texteDescriptifSNE` (t_string500), 1..1.
    pub texte_descriptif_sne: String,
    /// Element `aPublierSurPGP` (xs:boolean), 1..1.
    pub a_publier_sur_pgp: bool,
    /// Element `utilisableMultiplesAttributionsSousConditions` (xs:boolean), 1..1.
    pub utilisable_multiples_attributions_sous_conditions: bool,
    /// Element `utilisableRechercheInstruction` (xs:boolean), 1..1.
    pub utilisable_recherche_instruction: bool,
    /// Element `reglementaire` (xs:boolean), 1..1.
    pub reglementaire: bool,
    /// Element `dateDebutValidite` (xs:date), 0..1.
    pub date_debut_validite: Option<XsDate>,
    /// Element `dateFinValidite` (xs:date), 0..1.
    pub date_fin_validite: Option<XsDate>,
    /// Element `codeTerritoire` (t_code3), 0..1.
    pub code_territoire: Option<String>,
    /// Element `libelleTypeEvenement` (t_libelleTypeEvenement), 0..1.
    pub libelle_type_evenement: Option<LibelleTypeEvenement>,
    /// Element `listeCaracteristiquesSpecifiques` (t_listeCaracteristiquesSpecifiques), 0..1.
    pub liste_caracteristiques_specifiques: Option<ListeCaracteristiquesSpecifiques>,
}

impl FromXml for TypeEvenement {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["codeTypeEvenement", "texteDescriptifPGP", "texteDescriptifSNE", "aPublierSurPGP", "utilisableMultiplesAttributionsSousConditions", "utilisableRechercheInstruction", "reglementaire", "dateDebutValidite", "dateFinValidite", "codeTerritoire", "libelleTypeEvenement", "listeCaracteristiquesSpecifiques"]);
        TypeEvenement {
            code_type_evenement: c.one("codeTypeEvenement"),
            texte_descriptif_pgp: c.one("texteDescriptifPGP"),
            texte_descriptif_sne: c.one("texteDescriptifSNE"),
            a_publier_sur_pgp: c.one("aPublierSurPGP"),
            utilisable_multiples_attributions_sous_conditions: c.one("utilisableMultiplesAttributionsSousConditions"),
            utilisable_recherche_instruction: c.one("utilisableRechercheInstruction"),
            reglementaire: c.one("reglementaire"),
            date_debut_validite: c.opt("dateDebutValidite"),
            date_fin_validite: c.opt("dateFinValidite"),
            code_territoire: c.opt("codeTerritoire"),
            libelle_type_evenement: c.opt("libelleTypeEvenement"),
            liste_caracteristiques_specifiques: c.opt("listeCaracteristiquesSpecifiques"),
        }
    }
}

impl WriteXml for TypeEvenement {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.code_type_evenement.write_xml(w, "codeTypeEvenement");
        self.texte_descriptif_pgp.write_xml(w, "texteDescriptifPGP");
        self.texte_descriptif_sne.write_xml(w, "texteDescriptifSNE");
        self.a_publier_sur_pgp.write_xml(w, "aPublierSurPGP");
        self.utilisable_multiples_attributions_sous_conditions.write_xml(w, "utilisableMultiplesAttributionsSousConditions");
        self.utilisable_recherche_instruction.write_xml(w, "utilisableRechercheInstruction");
        self.reglementaire.write_xml(w, "reglementaire");
        self.date_debut_validite.write_xml(w, "dateDebutValidite");
        self.date_fin_validite.write_xml(w, "dateFinValidite");
        self.code_territoire.write_xml(w, "codeTerritoire");
        self.libelle_type_evenement.write_xml(w, "libelleTypeEvenement");
        self.liste_caracteristiques_specifiques.write_xml(w, "listeCaracteristiquesSpecifiques");
        w.end(name);
    }
}

/// Type `t_libelleTypeEvenement`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LibelleTypeEvenement {
    /// Element `libelle` (t_string100), 1..1.
    pub libelle: String,
}

impl FromXml for LibelleTypeEvenement {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["libelle"]);
        LibelleTypeEvenement {
            libelle: c.one("libelle"),
        }
    }
}

impl WriteXml for LibelleTypeEvenement {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.libelle.write_xml(w, "libelle");
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
    /// Element `libelle` (t_string100), 1..1.
    pub libelle: String,
    /// Element `typeCaracteristiqueSpecifique` (t_code3), 1..1.
    pub type_caracteristique_specifique: String,
    /// Element `obligatoire` (xs:boolean), 1..1.
    pub obligatoire: bool,
    /// Element `texteDescriptif` (t_string500), 1..1.
    pub texte_descriptif: String,
    /// Element `aideALaSaisie` (t_string500), 1..1.
    pub aide_a_la_saisie: String,
    /// Element `dateDebutValidite` (xs:date), 0..1.
    pub date_debut_validite: Option<XsDate>,
    /// Element `dateFinValidite` (xs:date), 0..1.
    pub date_fin_validite: Option<XsDate>,
}

impl FromXml for CaracteristiqueSpecifique {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["code", "libelle", "typeCaracteristiqueSpecifique", "obligatoire", "texteDescriptif", "aideALaSaisie", "dateDebutValidite", "dateFinValidite"]);
        CaracteristiqueSpecifique {
            code: c.one("code"),
            libelle: c.one("libelle"),
            type_caracteristique_specifique: c.one("typeCaracteristiqueSpecifique"),
            obligatoire: c.one("obligatoire"),
            texte_descriptif: c.one("texteDescriptif"),
            aide_a_la_saisie: c.one("aideALaSaisie"),
            date_debut_validite: c.opt("dateDebutValidite"),
            date_fin_validite: c.opt("dateFinValidite"),
        }
    }
}

impl WriteXml for CaracteristiqueSpecifique {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.code.write_xml(w, "code");
        self.libelle.write_xml(w, "libelle");
        self.type_caracteristique_specifique.write_xml(w, "typeCaracteristiqueSpecifique");
        self.obligatoire.write_xml(w, "obligatoire");
        self.texte_descriptif.write_xml(w, "texteDescriptif");
        self.aide_a_la_saisie.write_xml(w, "aideALaSaisie");
        self.date_debut_validite.write_xml(w, "dateDebutValidite");
        self.date_fin_validite.write_xml(w, "dateFinValidite");
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
