// Generated from schemas/InterfaceNuu_v0201.xsd, schemas/Doublon_V0200.xsd by src/contract/codegen; do not edit by hand. Run UPDATE_GENERATED=1 cargo test generated_code_is_fresh

#![allow(clippy::large_enum_variant)]

use crate::contract::runtime::*;
use crate::contract::NS_FICHIER;
use crate::xml::Element;

/// Inline type of global element `interfaceNuu`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InterfaceNuu {
    /// Attribute `versionInterface` (required).
    pub version_interface: String,
    /// Element `entete` (t_entete), 1..1.
    pub entete: Entete,
    /// Element `demande` (t_demande), 1..1.
    pub demande: Demande,
}

impl FromXml for InterfaceNuu {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["entete", "demande"]);
        InterfaceNuu {
            version_interface: attr(e, None, "versionInterface").unwrap_or_default(),
            entete: c.one("entete"),
            demande: c.one("demande"),
        }
    }
}

impl WriteXml for InterfaceNuu {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr_str(None, "versionInterface", &self.version_interface.to_lexical());
        self.entete.write_xml(w, "entete");
        self.demande.write_xml(w, "demande");
        w.end(name);
    }
}

/// Type `t_entete`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Entete {
    /// Element `typeFichier` (t_typeFichier), 1..1.
    pub type_fichier: String,
    /// Element `dateFichier` (t_dateFichier), 1..1.
    pub date_fichier: XsDateTime,
}

impl FromXml for Entete {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["typeFichier", "dateFichier"]);
        Entete {
            type_fichier: c.one("typeFichier"),
            date_fichier: c.one("dateFichier"),
        }
    }
}

impl WriteXml for Entete {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.type_fichier.write_xml(w, "typeFichier");
        self.date_fichier.write_xml(w, "dateFichier");
        w.end(name);
    }
}

/// Type `t_codeElement`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CodeElement {
    /// Attribute `code`.
    pub code: Option<String>,
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
}

impl FromXml for CodeElement {
    fn from_xml(e: &Element) -> Self {
        CodeElement {
            code: attr(e, None, "code"),
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
        }
    }
}

impl WriteXml for CodeElement {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(None, "code", &self.code);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        w.end(name);
    }
}

/// Type `t_demande`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Demande {
    /// Element `informationDalo` (t_informationDalo), 0..1.
    pub information_dalo: Option<InformationDalo>,
    /// Element `demandeLogement` (t_demandeLogement), 1..1.
    pub demande_logement: DemandeLogement,
}

impl FromXml for Demande {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["informationDalo", "demandeLogement"]);
        Demande {
            information_dalo: c.opt("informationDalo"),
            demande_logement: c.one("demandeLogement"),
        }
    }
}

impl WriteXml for Demande {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.information_dalo.write_xml(w, "informationDalo");
        self.demande_logement.write_xml(w, "demandeLogement");
        w.end(name);
    }
}

/// Type `t_informationDalo`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InformationDalo {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `statutDalo` (t_codeElement), 0..1.
    pub statut_dalo: Option<CodeElement>,
    /// Element `dateDecisionDalo` (t_date), 0..1.
    pub date_decision_dalo: Option<Valeur<XsDate>>,
    /// Element `diagnosticSocialDalo` (t_boolean), 0..1.
    pub diagnostic_social_dalo: Option<Valeur<bool>>,
    /// Element `accompagnementSocialDalo` (t_boolean), 0..1.
    pub accompagnement_social_dalo: Option<Valeur<bool>>,
    /// Element `typologieLogementDalo` (t_codeElement), 0..1.
    pub typologie_logement_dalo: Option<CodeElement>,
}

impl FromXml for InformationDalo {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["statutDalo", "dateDecisionDalo", "diagnosticSocialDalo", "accompagnementSocialDalo", "typologieLogementDalo"]);
        InformationDalo {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            statut_dalo: c.opt("statutDalo"),
            date_decision_dalo: c.opt("dateDecisionDalo"),
            diagnostic_social_dalo: c.opt("diagnosticSocialDalo"),
            accompagnement_social_dalo: c.opt("accompagnementSocialDalo"),
            typologie_logement_dalo: c.opt("typologieLogementDalo"),
        }
    }
}

impl WriteXml for InformationDalo {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.statut_dalo.write_xml(w, "statutDalo");
        self.date_decision_dalo.write_xml(w, "dateDecisionDalo");
        self.diagnostic_social_dalo.write_xml(w, "diagnosticSocialDalo");
        self.accompagnement_social_dalo.write_xml(w, "accompagnementSocialDalo");
        self.typologie_logement_dalo.write_xml(w, "typologieLogementDalo");
        w.end(name);
    }
}

/// Type `t_demandeLogement`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DemandeLogement {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `numGuichet` (t_numGuichet), 1..1.
    pub num_guichet: Valeur<String>,
    /// Element `numUnique` (t_numUnique), 0..1.
    pub num_unique: Option<Valeur<String>>,
    /// Element `numUniqueAssocie` (t_numUnique), 0..1.
    pub num_unique_associe: Option<Valeur<String>>,
    /// Element `refInterne` (t_refInterne), 0..1.
    pub ref_interne: Option<Valeur<String>>,
    /// Element `dateCreationDemande` (t_date), 1..1.
    pub date_creation_demande: Valeur<XsDate>,
    /// Element `forcerDoublon` (t_boolean), 0..1.
    pub forcer_doublon: Option<Valeur<bool>>,
    /// Element `renouvellementElec` (t_boolean), 0..1.
    pub renouvellement_elec: Option<Valeur<bool>>,
    /// Element `precision` (t_precision), 1..1.
    pub precision: Valeur<String>,
    /// Element `informationTraitement` (t_informationTraitement), 0..1.
    pub information_traitement: Option<InformationTraitement>,
    /// Element `logementRecherche` (t_logementRecherche), 0..1.
    pub logement_recherche: Option<LogementRecherche>,
    /// Element `principauxMotifDemande` (t_principauxMotifDemande), 0..1.
    pub principaux_motif_demande: Option<PrincipauxMotifDemande>,
    /// Choice between `association` and `personnePhysique`, 1..1.
    pub association_ou_personne_physique: AssociationOuPersonnePhysique,
    /// Element `listeHandicap` (t_listeHandicap), 0..1.
    pub liste_handicap: Option<ListeHandicap>,
    /// Element `renouvellement` (t_renouvellement), 0..1.
    pub renouvellement: Option<Renouvellement>,
    /// Element `radiation` (t_radiation), 0..1.
    pub radiation: Option<Radiation>,
    /// Element `listeAnomalie` (t_listeAnomalie), 0..1.
    pub liste_anomalie: Option<ListeAnomalie>,
    /// Element `listeDoublons` (listeDoublons), 0..1.
    pub liste_doublons: Option<ListeDoublons>,
    /// Element `dateDerniereModificationPiece` (t_date), 0..1.
    pub date_derniere_modification_piece: Option<Valeur<XsDate>>,
    /// Element `incrementFichier` (xs:string), 0..1.
    pub increment_fichier: Option<String>,
}

impl FromXml for DemandeLogement {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["numGuichet", "numUnique", "numUniqueAssocie", "refInterne", "dateCreationDemande", "forcerDoublon", "renouvellementElec", "precision", "informationTraitement", "logementRecherche", "principauxMotifDemande", "association", "personnePhysique", "listeHandicap", "renouvellement", "radiation", "listeAnomalie", "listeDoublons", "dateDerniereModificationPiece", "incrementFichier"]);
        DemandeLogement {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            num_guichet: c.one("numGuichet"),
            num_unique: c.opt("numUnique"),
            num_unique_associe: c.opt("numUniqueAssocie"),
            ref_interne: c.opt("refInterne"),
            date_creation_demande: c.one("dateCreationDemande"),
            forcer_doublon: c.opt("forcerDoublon"),
            renouvellement_elec: c.opt("renouvellementElec"),
            precision: c.one("precision"),
            information_traitement: c.opt("informationTraitement"),
            logement_recherche: c.opt("logementRecherche"),
            principaux_motif_demande: c.opt("principauxMotifDemande"),
            association_ou_personne_physique: c.choice(),
            liste_handicap: c.opt("listeHandicap"),
            renouvellement: c.opt("renouvellement"),
            radiation: c.opt("radiation"),
            liste_anomalie: c.opt("listeAnomalie"),
            liste_doublons: c.opt("listeDoublons"),
            date_derniere_modification_piece: c.opt("dateDerniereModificationPiece"),
            increment_fichier: c.opt("incrementFichier"),
        }
    }
}

impl WriteXml for DemandeLogement {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.num_guichet.write_xml(w, "numGuichet");
        self.num_unique.write_xml(w, "numUnique");
        self.num_unique_associe.write_xml(w, "numUniqueAssocie");
        self.ref_interne.write_xml(w, "refInterne");
        self.date_creation_demande.write_xml(w, "dateCreationDemande");
        self.forcer_doublon.write_xml(w, "forcerDoublon");
        self.renouvellement_elec.write_xml(w, "renouvellementElec");
        self.precision.write_xml(w, "precision");
        self.information_traitement.write_xml(w, "informationTraitement");
        self.logement_recherche.write_xml(w, "logementRecherche");
        self.principaux_motif_demande.write_xml(w, "principauxMotifDemande");
        self.association_ou_personne_physique.write_choice(w);
        self.liste_handicap.write_xml(w, "listeHandicap");
        self.renouvellement.write_xml(w, "renouvellement");
        self.radiation.write_xml(w, "radiation");
        self.liste_anomalie.write_xml(w, "listeAnomalie");
        self.liste_doublons.write_xml(w, "listeDoublons");
        self.date_derniere_modification_piece.write_xml(w, "dateDerniereModificationPiece");
        self.increment_fichier.write_xml(w, "incrementFichier");
        w.end(name);
    }
}

/// Type `t_informationTraitement`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InformationTraitement {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `estDelaiAnormalementLong` (t_boolean), 0..1.
    pub est_delai_anormalement_long: Option<Valeur<bool>>,
    /// Element `estMultiplesAttributionsSousConditions` (t_boolean), 0..1.
    pub est_multiples_attributions_sous_conditions: Option<Valeur<bool>>,
    /// Element `dateCalculIndicateur` (t_dateTime), 0..1.
    pub date_calcul_indicateur: Option<Valeur<XsDateTime>>,
}

impl FromXml for InformationTraitement {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["estDelaiAnormalementLong", "estMultiplesAttributionsSousConditions", "dateCalculIndicateur"]);
        InformationTraitement {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            est_delai_anormalement_long: c.opt("estDelaiAnormalementLong"),
            est_multiples_attributions_sous_conditions: c.opt("estMultiplesAttributionsSousConditions"),
            date_calcul_indicateur: c.opt("dateCalculIndicateur"),
        }
    }
}

impl WriteXml for InformationTraitement {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.est_delai_anormalement_long.write_xml(w, "estDelaiAnormalementLong");
        self.est_multiples_attributions_sous_conditions.write_xml(w, "estMultiplesAttributionsSousConditions");
        self.date_calcul_indicateur.write_xml(w, "dateCalculIndicateur");
        w.end(name);
    }
}

/// Type `t_logementRecherche`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LogementRecherche {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `categorieLogementRecherche` (t_codeElement), 0..1.
    pub categorie_logement_recherche: Option<CodeElement>,
    /// Element `avecParking` (t_boolean), 0..1.
    pub avec_parking: Option<Valeur<bool>>,
    /// Element `rezDeChaussee` (t_boolean), 0..1.
    pub rez_de_chaussee: Option<Valeur<bool>>,
    /// Element `sansAscenseur` (t_boolean), 0..1.
    pub sans_ascenseur: Option<Valeur<bool>>,
    /// Element `montantLoyer` (t_montantLoyer), 0..1.
    pub montant_loyer: Option<Valeur<i32>>,
    /// Element `demandeElargie` (t_boolean), 1..1.
    pub demande_elargie: Valeur<bool>,
    /// Element `listeTypeLogement` (t_listeTypeLogement), 1..1.
    pub liste_type_logement: ListeTypeLogement,
    /// Element `listeLocalisationSouhaite` (t_listeLocalisationSouhaite), 1..1.
    pub liste_localisation_souhaite: ListeLocalisationSouhaite,
}

impl FromXml for LogementRecherche {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["categorieLogementRecherche", "avecParking", "rezDeChaussee", "sansAscenseur", "montantLoyer", "demandeElargie", "listeTypeLogement", "listeLocalisationSouhaite"]);
        LogementRecherche {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            categorie_logement_recherche: c.opt("categorieLogementRecherche"),
            avec_parking: c.opt("avecParking"),
            rez_de_chaussee: c.opt("rezDeChaussee"),
            sans_ascenseur: c.opt("sansAscenseur"),
            montant_loyer: c.opt("montantLoyer"),
            demande_elargie: c.one("demandeElargie"),
            liste_type_logement: c.one("listeTypeLogement"),
            liste_localisation_souhaite: c.one("listeLocalisationSouhaite"),
        }
    }
}

impl WriteXml for LogementRecherche {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.categorie_logement_recherche.write_xml(w, "categorieLogementRecherche");
        self.avec_parking.write_xml(w, "avecParking");
        self.rez_de_chaussee.write_xml(w, "rezDeChaussee");
        self.sans_ascenseur.write_xml(w, "sansAscenseur");
        self.montant_loyer.write_xml(w, "montantLoyer");
        self.demande_elargie.write_xml(w, "demandeElargie");
        self.liste_type_logement.write_xml(w, "listeTypeLogement");
        self.liste_localisation_souhaite.write_xml(w, "listeLocalisationSouhaite");
        w.end(name);
    }
}

/// Type `t_listeTypeLogement`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListeTypeLogement {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `typeLogement` (t_codeElement), 1..n.
    pub type_logement: Vec<CodeElement>,
}

impl FromXml for ListeTypeLogement {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["typeLogement"]);
        ListeTypeLogement {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            type_logement: c.many("typeLogement"),
        }
    }
}

impl WriteXml for ListeTypeLogement {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.type_logement.write_xml(w, "typeLogement");
        w.end(name);
    }
}

/// Type `t_listeLocalisationSouhaite`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListeLocalisationSouhaite {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `localisationSouhaite` (t_localisationSouhaite), 1..n.
    pub localisation_souhaite: Vec<LocalisationSouhaite>,
}

impl FromXml for ListeLocalisationSouhaite {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["localisationSouhaite"]);
        ListeLocalisationSouhaite {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            localisation_souhaite: c.many("localisationSouhaite"),
        }
    }
}

impl WriteXml for ListeLocalisationSouhaite {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.localisation_souhaite.write_xml(w, "localisationSouhaite");
        w.end(name);
    }
}

/// Type `t_localisationSouhaite`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LocalisationSouhaite {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `commune` (t_commune), 1..1.
    pub commune: Commune,
    /// Element `quartier` (t_quartier), 0..1.
    pub quartier: Option<Valeur<String>>,
}

impl FromXml for LocalisationSouhaite {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["commune", "quartier"]);
        LocalisationSouhaite {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            commune: c.one("commune"),
            quartier: c.opt("quartier"),
        }
    }
}

impl WriteXml for LocalisationSouhaite {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.commune.write_xml(w, "commune");
        self.quartier.write_xml(w, "quartier");
        w.end(name);
    }
}

/// Type `t_commune`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Commune {
    /// Attribute `code`.
    pub code: Option<String>,
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
}

impl FromXml for Commune {
    fn from_xml(e: &Element) -> Self {
        Commune {
            code: attr(e, None, "code"),
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
        }
    }
}

impl WriteXml for Commune {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(None, "code", &self.code);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        w.end(name);
    }
}

/// Type `t_principauxMotifDemande`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PrincipauxMotifDemande {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `compDateJugement` (t_date), 0..1.
    pub comp_date_jugement: Option<Valeur<XsDate>>,
    /// Element `compAutreMotif` (t_compAutreMotif), 0..1.
    pub comp_autre_motif: Option<Valeur<String>>,
    /// Element `motifDemande` (t_codeElement), 1..n.
    pub motif_demande: Vec<CodeElement>,
}

impl FromXml for PrincipauxMotifDemande {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["compDateJugement", "compAutreMotif", "motifDemande"]);
        PrincipauxMotifDemande {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            comp_date_jugement: c.opt("compDateJugement"),
            comp_autre_motif: c.opt("compAutreMotif"),
            motif_demande: c.many("motifDemande"),
        }
    }
}

impl WriteXml for PrincipauxMotifDemande {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.comp_date_jugement.write_xml(w, "compDateJugement");
        self.comp_autre_motif.write_xml(w, "compAutreMotif");
        self.motif_demande.write_xml(w, "motifDemande");
        w.end(name);
    }
}

/// Type `t_association`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Association {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `nom` (t_nomAssociation), 1..1.
    pub nom: Valeur<String>,
    /// Element `telDomicile` (t_tel), 0..1.
    pub tel_domicile: Option<Valeur<String>>,
    /// Element `telPortable` (t_tel), 0..1.
    pub tel_portable: Option<Valeur<String>>,
    /// Element `telTravail` (t_tel), 0..1.
    pub tel_travail: Option<Valeur<String>>,
    /// Element `mel` (t_mel), 0..1.
    pub mel: Option<Valeur<String>>,
    /// Element `adressePostale` (t_adresse), 0..1.
    pub adresse_postale: Option<Adresse>,
}

impl FromXml for Association {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["nom", "telDomicile", "telPortable", "telTravail", "mel", "adressePostale"]);
        Association {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            nom: c.one("nom"),
            tel_domicile: c.opt("telDomicile"),
            tel_portable: c.opt("telPortable"),
            tel_travail: c.opt("telTravail"),
            mel: c.opt("mel"),
            adresse_postale: c.opt("adressePostale"),
        }
    }
}

impl WriteXml for Association {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.nom.write_xml(w, "nom");
        self.tel_domicile.write_xml(w, "telDomicile");
        self.tel_portable.write_xml(w, "telPortable");
        self.tel_travail.write_xml(w, "telTravail");
        self.mel.write_xml(w, "mel");
        self.adresse_postale.write_xml(w, "adressePostale");
        w.end(name);
    }
}

/// Type `t_adresse`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Adresse {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `etranger` (t_boolean), 1..1.
    pub etranger: Valeur<bool>,
    /// Element `appartement` (t_appartement), 0..1.
    pub appartement: Option<Valeur<String>>,
    /// Element `etage` (t_etage), 0..1.
    pub etage: Option<Valeur<String>>,
    /// Element `escalier` (t_escalier), 0..1.
    pub escalier: Option<Valeur<String>>,
    /// Element `batiment` (t_batiment), 0..1.
    pub batiment: Option<Valeur<String>>,
    /// Element `compAdresse` (t_compAdresse), 0..1.
    pub comp_adresse: Option<Valeur<String>>,
    /// Element `numero` (t_numero), 0..1.
    pub numero: Option<Valeur<String>>,
    /// Element `voie` (t_voie), 1..1.
    pub voie: Valeur<String>,
    /// Element `lieuDit` (t_lieuDit), 0..1.
    pub lieu_dit: Option<Valeur<String>>,
    /// Choice between group `groupeLocalite` and group `groupeLocaliteEtranger`, 1..1.
    pub localite: Localite,
    /// Element `nomHebergeant` (t_nomHebergeant), 0..1.
    pub nom_hebergeant: Option<Valeur<String>>,
}

impl FromXml for Adresse {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["etranger", "appartement", "etage", "escalier", "batiment", "compAdresse", "numero", "voie", "lieuDit", "codePostal", "commune", "codePostalEtranger", "communeEtranger", "pays", "nomHebergeant"]);
        Adresse {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            etranger: c.one("etranger"),
            appartement: c.opt("appartement"),
            etage: c.opt("etage"),
            escalier: c.opt("escalier"),
            batiment: c.opt("batiment"),
            comp_adresse: c.opt("compAdresse"),
            numero: c.opt("numero"),
            voie: c.one("voie"),
            lieu_dit: c.opt("lieuDit"),
            localite: c.choice(),
            nom_hebergeant: c.opt("nomHebergeant"),
        }
    }
}

impl WriteXml for Adresse {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.etranger.write_xml(w, "etranger");
        self.appartement.write_xml(w, "appartement");
        self.etage.write_xml(w, "etage");
        self.escalier.write_xml(w, "escalier");
        self.batiment.write_xml(w, "batiment");
        self.comp_adresse.write_xml(w, "compAdresse");
        self.numero.write_xml(w, "numero");
        self.voie.write_xml(w, "voie");
        self.lieu_dit.write_xml(w, "lieuDit");
        self.localite.write_choice(w);
        self.nom_hebergeant.write_xml(w, "nomHebergeant");
        w.end(name);
    }
}

/// Type `t_personnePhysique`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PersonnePhysique {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `demandeur` (t_demandeur), 1..1.
    pub demandeur: Demandeur,
    /// Element `adresseLogement` (t_adresseLogement), 0..1.
    pub adresse_logement: Option<AdresseLogement>,
    /// Element `listePersonneACharge` (t_listePersonneACharge), 0..1.
    pub liste_personne_a_charge: Option<ListePersonneACharge>,
    /// Element `personneANaitre` (t_personneANaitre), 0..1.
    pub personne_a_naitre: Option<PersonneANaitre>,
    /// Element `listePersonneEnGarde` (t_listePersonneEnGarde), 0..1.
    pub liste_personne_en_garde: Option<ListePersonneEnGarde>,
    /// Element `listeCotitulaire` (t_listeCotitulaire), 0..1.
    pub liste_cotitulaire: Option<ListeCotitulaire>,
    /// Element `logementActuel` (t_logementActuel), 1..1.
    pub logement_actuel: LogementActuel,
}

impl FromXml for PersonnePhysique {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["demandeur", "adresseLogement", "listePersonneACharge", "personneANaitre", "listePersonneEnGarde", "listeCotitulaire", "logementActuel"]);
        PersonnePhysique {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            demandeur: c.one("demandeur"),
            adresse_logement: c.opt("adresseLogement"),
            liste_personne_a_charge: c.opt("listePersonneACharge"),
            personne_a_naitre: c.opt("personneANaitre"),
            liste_personne_en_garde: c.opt("listePersonneEnGarde"),
            liste_cotitulaire: c.opt("listeCotitulaire"),
            logement_actuel: c.one("logementActuel"),
        }
    }
}

impl WriteXml for PersonnePhysique {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.demandeur.write_xml(w, "demandeur");
        self.adresse_logement.write_xml(w, "adresseLogement");
        self.liste_personne_a_charge.write_xml(w, "listePersonneACharge");
        self.personne_a_naitre.write_xml(w, "personneANaitre");
        self.liste_personne_en_garde.write_xml(w, "listePersonneEnGarde");
        self.liste_cotitulaire.write_xml(w, "listeCotitulaire");
        self.logement_actuel.write_xml(w, "logementActuel");
        w.end(name);
    }
}

/// Type `t_demandeur`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Demandeur {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `civilite` (t_codeElement), 1..1.
    pub civilite: CodeElement,
    /// Element `nom` (t_nomDemandeur), 1..1.
    pub nom: Valeur<String>,
    /// Element `nomPatronymique` (t_nomPatronymique), 0..1.
    pub nom_patronymique: Option<Valeur<String>>,
    /// Element `prenom` (t_prenomDemandeur), 1..1.
    pub prenom: Valeur<String>,
    /// Element `dateNaissance` (t_date), 1..1.
    pub date_naissance: Valeur<XsDate>,
    /// Element `nationalite` (t_codeElement), 1..1.
    pub nationalite: CodeElement,
    /// Element `situationFamiliale` (t_codeElement), 1..1.
    pub situation_familiale: CodeElement,
    /// Element `telDomicile` (t_tel), 0..1.
    pub tel_domicile: Option<Valeur<String>>,
    /// Element `telPortable` (t_tel), 0..1.
    pub tel_portable: Option<Valeur<String>>,
    /// Element `telTravail` (t_tel), 0..1.
    pub tel_travail: Option<Valeur<String>>,
    /// Element `mel` (t_mel), 0..1.
    pub mel: Option<Valeur<String>>,
    /// Element `notifSms` (t_boolean), 0..1.
    pub notif_sms: Option<Valeur<bool>>,
    /// Element `notifEvt` (t_boolean), 0..1.
    pub notif_evt: Option<Valeur<bool>>,
    /// Element `adressePostale` (t_adresse), 1..1.
    pub adresse_postale: Adresse,
    /// Element `situationProfessionnelle` (t_situationProfessionnelle), 1..1.
    pub situation_professionnelle: SituationProfessionnelle,
    /// Element `revenuFiscal` (t_revenuFiscal), 1..1.
    pub revenu_fiscal: RevenuFiscal,
    /// Element `listeRessourceRecue` (t_listeRessource), 1..1.
    pub liste_ressource_recue: ListeRessource,
    /// Element `listeRessourceVersee` (t_listeRessource), 1..1.
    pub liste_ressource_versee: ListeRessource,
    /// Element `listeRessourceRecuePersACharge` (t_listeRessource), 1..1.
    pub liste_ressource_recue_pers_a_charge: ListeRessource,
    /// Element `listeRessourceVerseePersACharge` (t_listeRessource), 1..1.
    pub liste_ressource_versee_pers_a_charge: ListeRessource,
}

impl FromXml for Demandeur {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["civilite", "nom", "nomPatronymique", "prenom", "dateNaissance", "nationalite", "situationFamiliale", "telDomicile", "telPortable", "telTravail", "mel", "notifSms", "notifEvt", "adressePostale", "situationProfessionnelle", "revenuFiscal", "listeRessourceRecue", "listeRessourceVersee", "listeRessourceRecuePersACharge", "listeRessourceVerseePersACharge"]);
        Demandeur {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            civilite: c.one("civilite"),
            nom: c.one("nom"),
            nom_patronymique: c.opt("nomPatronymique"),
            prenom: c.one("prenom"),
            date_naissance: c.one("dateNaissance"),
            nationalite: c.one("nationalite"),
            situation_familiale: c.one("situationFamiliale"),
            tel_domicile: c.opt("telDomicile"),
            tel_portable: c.opt("telPortable"),
            tel_travail: c.opt("telTravail"),
            mel: c.opt("mel"),
            notif_sms: c.opt("notifSms"),
            notif_evt: c.opt("notifEvt"),
            adresse_postale: c.one("adressePostale"),
            situation_professionnelle: c.one("situationProfessionnelle"),
            revenu_fiscal: c.one("revenuFiscal"),
            liste_ressource_recue: c.one("listeRessourceRecue"),
            liste_ressource_versee: c.one("listeRessourceVersee"),
            liste_ressource_recue_pers_a_charge: c.one("listeRessourceRecuePersACharge"),
            liste_ressource_versee_pers_a_charge: c.one("listeRessourceVerseePersACharge"),
        }
    }
}

impl WriteXml for Demandeur {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.civilite.write_xml(w, "civilite");
        self.nom.write_xml(w, "nom");
        self.nom_patronymique.write_xml(w, "nomPatronymique");
        self.prenom.write_xml(w, "prenom");
        self.date_naissance.write_xml(w, "dateNaissance");
        self.nationalite.write_xml(w, "nationalite");
        self.situation_familiale.write_xml(w, "situationFamiliale");
        self.tel_domicile.write_xml(w, "telDomicile");
        self.tel_portable.write_xml(w, "telPortable");
        self.tel_travail.write_xml(w, "telTravail");
        self.mel.write_xml(w, "mel");
        self.notif_sms.write_xml(w, "notifSms");
        self.notif_evt.write_xml(w, "notifEvt");
        self.adresse_postale.write_xml(w, "adressePostale");
        self.situation_professionnelle.write_xml(w, "situationProfessionnelle");
        self.revenu_fiscal.write_xml(w, "revenuFiscal");
        self.liste_ressource_recue.write_xml(w, "listeRessourceRecue");
        self.liste_ressource_versee.write_xml(w, "listeRessourceVersee");
        self.liste_ressource_recue_pers_a_charge.write_xml(w, "listeRessourceRecuePersACharge");
        self.liste_ressource_versee_pers_a_charge.write_xml(w, "listeRessourceVerseePersACharge");
        w.end(name);
    }
}

/// Type `t_situationProfessionnelle`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SituationProfessionnelle {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `profession` (t_profession), 0..1.
    pub profession: Option<Valeur<String>>,
    /// Element `typeContratTravail` (t_codeElement), 1..1.
    pub type_contrat_travail: CodeElement,
    /// Element `multiEmployeur` (t_boolean), 0..1.
    pub multi_employeur: Option<Valeur<bool>>,
    /// Element `nomEmployeurPrincipal` (t_nomEmployeurPrincipal), 0..1.
    pub nom_employeur_principal: Option<Valeur<String>>,
    /// Element `etranger` (t_boolean), 0..1.
    pub etranger: Option<Valeur<bool>>,
    /// Choice between group `groupeLocalite` and group `groupeLocaliteEtranger`, 0..1.
    pub localite: Option<Localite>,
    /// Element `nomOrganismeCollecteur` (t_nomOrganismeCollecteur), 0..1.
    pub nom_organisme_collecteur: Option<Valeur<String>>,
}

impl FromXml for SituationProfessionnelle {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["profession", "typeContratTravail", "multiEmployeur", "nomEmployeurPrincipal", "etranger", "codePostal", "commune", "codePostalEtranger", "communeEtranger", "pays", "nomOrganismeCollecteur"]);
        SituationProfessionnelle {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            profession: c.opt("profession"),
            type_contrat_travail: c.one("typeContratTravail"),
            multi_employeur: c.opt("multiEmployeur"),
            nom_employeur_principal: c.opt("nomEmployeurPrincipal"),
            etranger: c.opt("etranger"),
            localite: c.choice_opt(),
            nom_organisme_collecteur: c.opt("nomOrganismeCollecteur"),
        }
    }
}

impl WriteXml for SituationProfessionnelle {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.profession.write_xml(w, "profession");
        self.type_contrat_travail.write_xml(w, "typeContratTravail");
        self.multi_employeur.write_xml(w, "multiEmployeur");
        self.nom_employeur_principal.write_xml(w, "nomEmployeurPrincipal");
        self.etranger.write_xml(w, "etranger");
        self.localite.write_choice(w);
        self.nom_organisme_collecteur.write_xml(w, "nomOrganismeCollecteur");
        w.end(name);
    }
}

/// Type `t_revenuFiscal`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RevenuFiscal {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `anneeMoins1` (t_anneeFiscale), 0..1.
    pub annee_moins1: Option<Valeur<i32>>,
    /// Element `montantMoins1` (t_montantFiscal), 0..1.
    pub montant_moins1: Option<Valeur<i32>>,
    /// Element `anneeMoins2` (t_anneeFiscale), 0..1.
    pub annee_moins2: Option<Valeur<i32>>,
    /// Element `montantMoins2` (t_montantFiscal), 0..1.
    pub montant_moins2: Option<Valeur<i32>>,
}

impl FromXml for RevenuFiscal {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["anneeMoins1", "montantMoins1", "anneeMoins2", "montantMoins2"]);
        RevenuFiscal {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            annee_moins1: c.opt("anneeMoins1"),
            montant_moins1: c.opt("montantMoins1"),
            annee_moins2: c.opt("anneeMoins2"),
            montant_moins2: c.opt("montantMoins2"),
        }
    }
}

impl WriteXml for RevenuFiscal {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.annee_moins1.write_xml(w, "anneeMoins1");
        self.montant_moins1.write_xml(w, "montantMoins1");
        self.annee_moins2.write_xml(w, "anneeMoins2");
        self.montant_moins2.write_xml(w, "montantMoins2");
        w.end(name);
    }
}

/// Type `t_listeRessource`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListeRessource {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `detailRessource` (t_detailRessource), 0..n.
    pub detail_ressource: Vec<DetailRessource>,
}

impl FromXml for ListeRessource {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["detailRessource"]);
        ListeRessource {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            detail_ressource: c.many("detailRessource"),
        }
    }
}

impl WriteXml for ListeRessource {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.detail_ressource.write_xml(w, "detailRessource");
        w.end(name);
    }
}

/// Type `t_detailRessource`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DetailRessource {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `ressource` (t_codeElement), 0..1.
    pub ressource: Option<CodeElement>,
    /// Element `montant` (t_montantRessource), 0..1.
    pub montant: Option<Valeur<i32>>,
}

impl FromXml for DetailRessource {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["ressource", "montant"]);
        DetailRessource {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            ressource: c.opt("ressource"),
            montant: c.opt("montant"),
        }
    }
}

impl WriteXml for DetailRessource {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.ressource.write_xml(w, "ressource");
        self.montant.write_xml(w, "montant");
        w.end(name);
    }
}

/// Type `t_adresseLogement`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AdresseLogement {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `etranger` (t_boolean), 1..1.
    pub etranger: Valeur<bool>,
    /// Element `appartement` (t_appartement), 0..1.
    pub appartement: Option<Valeur<String>>,
    /// Element `etage` (t_etage), 0..1.
    pub etage: Option<Valeur<String>>,
    /// Element `escalier` (t_escalier), 0..1.
    pub escalier: Option<Valeur<String>>,
    /// Element `batiment` (t_batiment), 0..1.
    pub batiment: Option<Valeur<String>>,
    /// Element `compAdresse` (t_compAdresse), 0..1.
    pub comp_adresse: Option<Valeur<String>>,
    /// Element `numero` (t_numero), 0..1.
    pub numero: Option<Valeur<String>>,
    /// Element `voie` (t_voie), 1..1.
    pub voie: Valeur<String>,
    /// Element `lieuDit` (t_lieuDit), 0..1.
    pub lieu_dit: Option<Valeur<String>>,
    /// Choice between group `groupeLocalite` and group `groupeLocaliteEtranger`, 1..1.
    pub localite: Localite,
    /// Element `nomHebergeant` (t_nomHebergeant), 0..1.
    pub nom_hebergeant: Option<Valeur<String>>,
}

impl FromXml for AdresseLogement {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["etranger", "appartement", "etage", "escalier", "batiment", "compAdresse", "numero", "voie", "lieuDit", "codePostal", "commune", "codePostalEtranger", "communeEtranger", "pays", "nomHebergeant"]);
        AdresseLogement {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            etranger: c.one("etranger"),
            appartement: c.opt("appartement"),
            etage: c.opt("etage"),
            escalier: c.opt("escalier"),
            batiment: c.opt("batiment"),
            comp_adresse: c.opt("compAdresse"),
            numero: c.opt("numero"),
            voie: c.one("voie"),
            lieu_dit: c.opt("lieuDit"),
            localite: c.choice(),
            nom_hebergeant: c.opt("nomHebergeant"),
        }
    }
}

impl WriteXml for AdresseLogement {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.etranger.write_xml(w, "etranger");
        self.appartement.write_xml(w, "appartement");
        self.etage.write_xml(w, "etage");
        self.escalier.write_xml(w, "escalier");
        self.batiment.write_xml(w, "batiment");
        self.comp_adresse.write_xml(w, "compAdresse");
        self.numero.write_xml(w, "numero");
        self.voie.write_xml(w, "voie");
        self.lieu_dit.write_xml(w, "lieuDit");
        self.localite.write_choice(w);
        self.nom_hebergeant.write_xml(w, "nomHebergeant");
        w.end(name);
    }
}

/// Type `t_listePersonneACharge`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListePersonneACharge {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `personneACharge` (t_personneACharge), 0..n.
    pub personne_a_charge: Vec<PersonneACharge>,
}

impl FromXml for ListePersonneACharge {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["personneACharge"]);
        ListePersonneACharge {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            personne_a_charge: c.many("personneACharge"),
        }
    }
}

impl WriteXml for ListePersonneACharge {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.personne_a_charge.write_xml(w, "personneACharge");
        w.end(name);
    }
}

/// Type `t_personneACharge`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PersonneACharge {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `nom` (t_nomACharge), 0..1.
    pub nom: Option<Valeur<String>>,
    /// Element `prenom` (t_prenomACharge), 0..1.
    pub prenom: Option<Valeur<String>>,
    /// Element `dateNaissance` (t_date), 0..1.
    pub date_naissance: Option<Valeur<XsDate>>,
    /// Element `sexe` (t_codeElement), 0..1.
    pub sexe: Option<CodeElement>,
    /// Element `lienParente` (t_codeElement), 0..1.
    pub lien_parente: Option<CodeElement>,
}

impl FromXml for PersonneACharge {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["nom", "prenom", "dateNaissance", "sexe", "lienParente"]);
        PersonneACharge {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            nom: c.opt("nom"),
            prenom: c.opt("prenom"),
            date_naissance: c.opt("dateNaissance"),
            sexe: c.opt("sexe"),
            lien_parente: c.opt("lienParente"),
        }
    }
}

impl WriteXml for PersonneACharge {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.nom.write_xml(w, "nom");
        self.prenom.write_xml(w, "prenom");
        self.date_naissance.write_xml(w, "dateNaissance");
        self.sexe.write_xml(w, "sexe");
        self.lien_parente.write_xml(w, "lienParente");
        w.end(name);
    }
}

/// Type `t_personneANaitre`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PersonneANaitre {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `nombre` (t_nombreANaitre), 0..1.
    pub nombre: Option<Valeur<i32>>,
    /// Element `dateNaissancePrevue` (t_date), 0..1.
    pub date_naissance_prevue: Option<Valeur<XsDate>>,
}

impl FromXml for PersonneANaitre {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["nombre", "dateNaissancePrevue"]);
        PersonneANaitre {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            nombre: c.opt("nombre"),
            date_naissance_prevue: c.opt("dateNaissancePrevue"),
        }
    }
}

impl WriteXml for PersonneANaitre {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.nombre.write_xml(w, "nombre");
        self.date_naissance_prevue.write_xml(w, "dateNaissancePrevue");
        w.end(name);
    }
}

/// Type `t_listePersonneEnGarde`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListePersonneEnGarde {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `personneEnGarde` (t_personneEnGarde), 0..n.
    pub personne_en_garde: Vec<PersonneEnGarde>,
}

impl FromXml for ListePersonneEnGarde {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["personneEnGarde"]);
        ListePersonneEnGarde {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            personne_en_garde: c.many("personneEnGarde"),
        }
    }
}

impl WriteXml for ListePersonneEnGarde {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.personne_en_garde.write_xml(w, "personneEnGarde");
        w.end(name);
    }
}

/// Type `t_personneEnGarde`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PersonneEnGarde {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `dateNaissance` (t_date), 0..1.
    pub date_naissance: Option<Valeur<XsDate>>,
    /// Element `sexe` (t_codeElement), 0..1.
    pub sexe: Option<CodeElement>,
    /// Element `coParentalite` (t_codeElement), 0..1.
    pub co_parentalite: Option<CodeElement>,
}

impl FromXml for PersonneEnGarde {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["dateNaissance", "sexe", "coParentalite"]);
        PersonneEnGarde {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            date_naissance: c.opt("dateNaissance"),
            sexe: c.opt("sexe"),
            co_parentalite: c.opt("coParentalite"),
        }
    }
}

impl WriteXml for PersonneEnGarde {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.date_naissance.write_xml(w, "dateNaissance");
        self.sexe.write_xml(w, "sexe");
        self.co_parentalite.write_xml(w, "coParentalite");
        w.end(name);
    }
}

/// Type `t_listeCotitulaire`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListeCotitulaire {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `cotitulaire` (t_cotitulaire), 0..n.
    pub cotitulaire: Vec<Cotitulaire>,
}

impl FromXml for ListeCotitulaire {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["cotitulaire"]);
        ListeCotitulaire {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            cotitulaire: c.many("cotitulaire"),
        }
    }
}

impl WriteXml for ListeCotitulaire {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.cotitulaire.write_xml(w, "cotitulaire");
        w.end(name);
    }
}

/// Type `t_cotitulaire`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cotitulaire {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `civilite` (t_codeElement), 1..1.
    pub civilite: CodeElement,
    /// Element `nom` (t_nomDemandeur), 1..1.
    pub nom: Valeur<String>,
    /// Element `nomPatronymique` (t_nomPatronymique), 0..1.
    pub nom_patronymique: Option<Valeur<String>>,
    /// Element `prenom` (t_prenomDemandeur), 1..1.
    pub prenom: Valeur<String>,
    /// Element `dateNaissance` (t_date), 1..1.
    pub date_naissance: Valeur<XsDate>,
    /// Element `nationalite` (t_codeElement), 1..1.
    pub nationalite: CodeElement,
    /// Element `situationFamiliale` (t_codeElement), 1..1.
    pub situation_familiale: CodeElement,
    /// Element `telDomicile` (t_tel), 0..1.
    pub tel_domicile: Option<Valeur<String>>,
    /// Element `telPortable` (t_tel), 0..1.
    pub tel_portable: Option<Valeur<String>>,
    /// Element `telTravail` (t_tel), 0..1.
    pub tel_travail: Option<Valeur<String>>,
    /// Element `lienDemandeur` (t_codeElement), 1..1.
    pub lien_demandeur: CodeElement,
    /// Element `situationProfessionnelle` (t_situationProfessionnelle), 1..1.
    pub situation_professionnelle: SituationProfessionnelle,
    /// Element `revenuFiscal` (t_revenuFiscal), 0..1.
    pub revenu_fiscal: Option<RevenuFiscal>,
    /// Element `listeRessourceRecue` (t_listeRessource), 1..1.
    pub liste_ressource_recue: ListeRessource,
    /// Element `listeRessourceVersee` (t_listeRessource), 1..1.
    pub liste_ressource_versee: ListeRessource,
}

impl FromXml for Cotitulaire {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["civilite", "nom", "nomPatronymique", "prenom", "dateNaissance", "nationalite", "situationFamiliale", "telDomicile", "telPortable", "telTravail", "lienDemandeur", "situationProfessionnelle", "revenuFiscal", "listeRessourceRecue", "listeRessourceVersee"]);
        Cotitulaire {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            civilite: c.one("civilite"),
            nom: c.one("nom"),
            nom_patronymique: c.opt("nomPatronymique"),
            prenom: c.one("prenom"),
            date_naissance: c.one("dateNaissance"),
            nationalite: c.one("nationalite"),
            situation_familiale: c.one("situationFamiliale"),
            tel_domicile: c.opt("telDomicile"),
            tel_portable: c.opt("telPortable"),
            tel_travail: c.opt("telTravail"),
            lien_demandeur: c.one("lienDemandeur"),
            situation_professionnelle: c.one("situationProfessionnelle"),
            revenu_fiscal: c.opt("revenuFiscal"),
            liste_ressource_recue: c.one("listeRessourceRecue"),
            liste_ressource_versee: c.one("listeRessourceVersee"),
        }
    }
}

impl WriteXml for Cotitulaire {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.civilite.write_xml(w, "civilite");
        self.nom.write_xml(w, "nom");
        self.nom_patronymique.write_xml(w, "nomPatronymique");
        self.prenom.write_xml(w, "prenom");
        self.date_naissance.write_xml(w, "dateNaissance");
        self.nationalite.write_xml(w, "nationalite");
        self.situation_familiale.write_xml(w, "situationFamiliale");
        self.tel_domicile.write_xml(w, "telDomicile");
        self.tel_portable.write_xml(w, "telPortable");
        self.tel_travail.write_xml(w, "telTravail");
        self.lien_demandeur.write_xml(w, "lienDemandeur");
        self.situation_professionnelle.write_xml(w, "situationProfessionnelle");
        self.revenu_fiscal.write_xml(w, "revenuFiscal");
        self.liste_ressource_recue.write_xml(w, "listeRessourceRecue");
        self.liste_ressource_versee.write_xml(w, "listeRessourceVersee");
        w.end(name);
    }
}

/// Type `t_logementActuel`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LogementActuel {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `listeModeleLogement` (t_listeModeleLogement), 1..1.
    pub liste_modele_logement: ListeModeleLogement,
    /// Element `compNomOrgBailleur` (t_compNomOrgBailleur), 0..1.
    pub comp_nom_org_bailleur: Option<Valeur<String>>,
    /// Element `compResSocDepuis` (t_date), 0..1.
    pub comp_res_soc_depuis: Option<Valeur<XsDate>>,
    /// Element `compResHotDepuis` (t_date), 0..1.
    pub comp_res_hot_depuis: Option<Valeur<XsDate>>,
    /// Element `compSousLocDepuis` (t_date), 0..1.
    pub comp_sous_loc_depuis: Option<Valeur<XsDate>>,
    /// Element `compStructDepuis` (t_date), 0..1.
    pub comp_struct_depuis: Option<Valeur<XsDate>>,
    /// Element `compNomStructure` (t_compNomStructure), 0..1.
    pub comp_nom_structure: Option<Valeur<String>>,
    /// Element `compCentreDepuis` (t_date), 0..1.
    pub comp_centre_depuis: Option<Valeur<XsDate>>,
    /// Element `compNomCentre` (t_compNomCentre), 0..1.
    pub comp_nom_centre: Option<Valeur<String>>,
    /// Element `montantMensuelLoyer` (t_montantMensuelLoyer), 0..1.
    pub montant_mensuel_loyer: Option<Valeur<i32>>,
    /// Element `montantMensuelAPL` (t_montantMensuelAPL), 0..1.
    pub montant_mensuel_apl: Option<Valeur<i32>>,
    /// Element `nombreHabitant` (t_nombreHabitant), 0..1.
    pub nombre_habitant: Option<Valeur<i32>>,
    /// Element `categorieLogement` (t_codeElement), 0..1.
    pub categorie_logement: Option<CodeElement>,
    /// Element `typeLogementActuel` (t_codeElement), 0..1.
    pub type_logement_actuel: Option<CodeElement>,
    /// Element `surface` (t_surface), 0..1.
    pub surface: Option<Valeur<i32>>,
    /// Element `proprietaire` (t_boolean), 1..1.
    pub proprietaire: Valeur<bool>,
    /// Element `etranger` (t_boolean), 0..1.
    pub etranger: Option<Valeur<bool>>,
    /// Choice between group `groupeLocalite` and group `groupeLocaliteEtranger`, 0..1.
    pub localite: Option<Localite>,
    /// Element `typeLogementPossede` (t_codeElement), 0..1.
    pub type_logement_possede: Option<CodeElement>,
}

impl FromXml for LogementActuel {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["listeModeleLogement", "compNomOrgBailleur", "compResSocDepuis", "compResHotDepuis", "compSousLocDepuis", "compStructDepuis", "compNomStructure", "compCentreDepuis", "compNomCentre", "montantMensuelLoyer", "montantMensuelAPL", "nombreHabitant", "categorieLogement", "typeLogementActuel", "surface", "proprietaire", "etranger", "codePostal", "commune", "codePostalEtranger", "communeEtranger", "pays", "typeLogementPossede"]);
        LogementActuel {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            liste_modele_logement: c.one("listeModeleLogement"),
            comp_nom_org_bailleur: c.opt("compNomOrgBailleur"),
            comp_res_soc_depuis: c.opt("compResSocDepuis"),
            comp_res_hot_depuis: c.opt("compResHotDepuis"),
            comp_sous_loc_depuis: c.opt("compSousLocDepuis"),
            comp_struct_depuis: c.opt("compStructDepuis"),
            comp_nom_structure: c.opt("compNomStructure"),
            comp_centre_depuis: c.opt("compCentreDepuis"),
            comp_nom_centre: c.opt("compNomCentre"),
            montant_mensuel_loyer: c.opt("montantMensuelLoyer"),
            montant_mensuel_apl: c.opt("montantMensuelAPL"),
            nombre_habitant: c.opt("nombreHabitant"),
            categorie_logement: c.opt("categorieLogement"),
            type_logement_actuel: c.opt("typeLogementActuel"),
            surface: c.opt("surface"),
            proprietaire: c.one("proprietaire"),
            etranger: c.opt("etranger"),
            localite: c.choice_opt(),
            type_logement_possede: c.opt("typeLogementPossede"),
        }
    }
}

impl WriteXml for LogementActuel {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.liste_modele_logement.write_xml(w, "listeModeleLogement");
        self.comp_nom_org_bailleur.write_xml(w, "compNomOrgBailleur");
        self.comp_res_soc_depuis.write_xml(w, "compResSocDepuis");
        self.comp_res_hot_depuis.write_xml(w, "compResHotDepuis");
        self.comp_sous_loc_depuis.write_xml(w, "compSousLocDepuis");
        self.comp_struct_depuis.write_xml(w, "compStructDepuis");
        self.comp_nom_structure.write_xml(w, "compNomStructure");
        self.comp_centre_depuis.write_xml(w, "compCentreDepuis");
        self.comp_nom_centre.write_xml(w, "compNomCentre");
        self.montant_mensuel_loyer.write_xml(w, "montantMensuelLoyer");
        self.montant_mensuel_apl.write_xml(w, "montantMensuelAPL");
        self.nombre_habitant.write_xml(w, "nombreHabitant");
        self.categorie_logement.write_xml(w, "categorieLogement");
        self.type_logement_actuel.write_xml(w, "typeLogementActuel");
        self.surface.write_xml(w, "surface");
        self.proprietaire.write_xml(w, "proprietaire");
        self.etranger.write_xml(w, "etranger");
        self.localite.write_choice(w);
        self.type_logement_possede.write_xml(w, "typeLogementPossede");
        w.end(name);
    }
}

/// Type `t_listeModeleLogement`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListeModeleLogement {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `modeleLogement` (t_codeElement), 1..n.
    pub modele_logement: Vec<CodeElement>,
}

impl FromXml for ListeModeleLogement {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["modeleLogement"]);
        ListeModeleLogement {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            modele_logement: c.many("modeleLogement"),
        }
    }
}

impl WriteXml for ListeModeleLogement {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.modele_logement.write_xml(w, "modeleLogement");
        w.end(name);
    }
}

/// Type `t_listeHandicap`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListeHandicap {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `handicap` (t_handicap), 0..n.
    pub handicap: Vec<Handicap>,
}

impl FromXml for ListeHandicap {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["handicap"]);
        ListeHandicap {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            handicap: c.many("handicap"),
        }
    }
}

impl WriteXml for ListeHandicap {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.handicap.write_xml(w, "handicap");
        w.end(name);
    }
}

/// Type `t_handicap`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Handicap {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `dateNaissance` (t_date), 0..1.
    pub date_naissance: Option<Valeur<XsDate>>,
    /// Element `referent` (t_referent), 0..1.
    pub referent: Option<Referent>,
    /// Element `compAutreNature` (t_compAutreNature), 0..1.
    pub comp_autre_nature: Option<Valeur<String>>,
    /// Element `etatHandicap` (t_codeElement), 0..1.
    pub etat_handicap: Option<CodeElement>,
    /// Element `capaciteMarcheHandicap` (t_codeElement), 0..1.
    pub capacite_marche_handicap: Option<CodeElement>,
    /// Element `accompagne` (t_boolean), 0..1.
    pub accompagne: Option<Valeur<bool>>,
    /// Element `handicapMoteur` (t_boolean), 0..1.
    pub handicap_moteur: Option<Valeur<bool>>,
    /// Element `handicapSensoriel` (t_boolean), 0..1.
    pub handicap_sensoriel: Option<Valeur<bool>>,
    /// Element `handicapAutre` (t_boolean), 0..1.
    pub handicap_autre: Option<Valeur<bool>>,
    /// Element `listeNatureHandicapSensoriel` (t_listeNatureHandicapSensoriel), 0..1.
    pub liste_nature_handicap_sensoriel: Option<ListeNatureHandicapSensoriel>,
    /// Element `listeNatureHandicapMoteur` (t_listeNatureHandicapMoteur), 0..1.
    pub liste_nature_handicap_moteur: Option<ListeNatureHandicapMoteur>,
    /// Element `listeAideTechniqueHandicap` (t_listeAideTechniqueHandicap), 0..1.
    pub liste_aide_technique_handicap: Option<ListeAideTechniqueHandicap>,
    /// Element `listeEquipementHandicap` (t_listeEquipementHandicap), 0..1.
    pub liste_equipement_handicap: Option<ListeEquipementHandicap>,
    /// Element `besoinParticulier` (t_besoinParticulier), 0..1.
    pub besoin_particulier: Option<Valeur<String>>,
    /// Element `besoinAutre` (t_besoinAutre), 0..1.
    pub besoin_autre: Option<Valeur<String>>,
}

impl FromXml for Handicap {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["dateNaissance", "referent", "compAutreNature", "etatHandicap", "capaciteMarcheHandicap", "accompagne", "handicapMoteur", "handicapSensoriel", "handicapAutre", "listeNatureHandicapSensoriel", "listeNatureHandicapMoteur", "listeAideTechniqueHandicap", "listeEquipementHandicap", "besoinParticulier", "besoinAutre"]);
        Handicap {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            date_naissance: c.opt("dateNaissance"),
            referent: c.opt("referent"),
            comp_autre_nature: c.opt("compAutreNature"),
            etat_handicap: c.opt("etatHandicap"),
            capacite_marche_handicap: c.opt("capaciteMarcheHandicap"),
            accompagne: c.opt("accompagne"),
            handicap_moteur: c.opt("handicapMoteur"),
            handicap_sensoriel: c.opt("handicapSensoriel"),
            handicap_autre: c.opt("handicapAutre"),
            liste_nature_handicap_sensoriel: c.opt("listeNatureHandicapSensoriel"),
            liste_nature_handicap_moteur: c.opt("listeNatureHandicapMoteur"),
            liste_aide_technique_handicap: c.opt("listeAideTechniqueHandicap"),
            liste_equipement_handicap: c.opt("listeEquipementHandicap"),
            besoin_particulier: c.opt("besoinParticulier"),
            besoin_autre: c.opt("besoinAutre"),
        }
    }
}

impl WriteXml for Handicap {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.date_naissance.write_xml(w, "dateNaissance");
        self.referent.write_xml(w, "referent");
        self.comp_autre_nature.write_xml(w, "compAutreNature");
        self.etat_handicap.write_xml(w, "etatHandicap");
        self.capacite_marche_handicap.write_xml(w, "capaciteMarcheHandicap");
        self.accompagne.write_xml(w, "accompagne");
        self.handicap_moteur.write_xml(w, "handicapMoteur");
        self.handicap_sensoriel.write_xml(w, "handicapSensoriel");
        self.handicap_autre.write_xml(w, "handicapAutre");
        self.liste_nature_handicap_sensoriel.write_xml(w, "listeNatureHandicapSensoriel");
        self.liste_nature_handicap_moteur.write_xml(w, "listeNatureHandicapMoteur");
        self.liste_aide_technique_handicap.write_xml(w, "listeAideTechniqueHandicap");
        self.liste_equipement_handicap.write_xml(w, "listeEquipementHandicap");
        self.besoin_particulier.write_xml(w, "besoinParticulier");
        self.besoin_autre.write_xml(w, "besoinAutre");
        w.end(name);
    }
}

/// Type `t_referent`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Referent {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `handicapReconnu` (t_boolean), 0..1.
    pub handicap_reconnu: Option<Valeur<bool>>,
    /// Element `procheDomicile` (t_boolean), 0..1.
    pub proche_domicile: Option<Valeur<bool>>,
    /// Element `nom` (t_nomReferent), 0..1.
    pub nom: Option<Valeur<String>>,
    /// Element `adresse` (t_adresseReferent), 0..1.
    pub adresse: Option<Valeur<String>>,
    /// Element `tel` (t_tel), 0..1.
    pub tel: Option<Valeur<String>>,
    /// Element `mel` (t_mel), 0..1.
    pub mel: Option<Valeur<String>>,
}

impl FromXml for Referent {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["handicapReconnu", "procheDomicile", "nom", "adresse", "tel", "mel"]);
        Referent {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            handicap_reconnu: c.opt("handicapReconnu"),
            proche_domicile: c.opt("procheDomicile"),
            nom: c.opt("nom"),
            adresse: c.opt("adresse"),
            tel: c.opt("tel"),
            mel: c.opt("mel"),
        }
    }
}

impl WriteXml for Referent {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.handicap_reconnu.write_xml(w, "handicapReconnu");
        self.proche_domicile.write_xml(w, "procheDomicile");
        self.nom.write_xml(w, "nom");
        self.adresse.write_xml(w, "adresse");
        self.tel.write_xml(w, "tel");
        self.mel.write_xml(w, "mel");
        w.end(name);
    }
}

/// Type `t_listeNatureHandicapSensoriel`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListeNatureHandicapSensoriel {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `natureHandicapSensoriel` (t_codeElement), 0..n.
    pub nature_handicap_sensoriel: Vec<CodeElement>,
}

impl FromXml for ListeNatureHandicapSensoriel {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["natureHandicapSensoriel"]);
        ListeNatureHandicapSensoriel {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            nature_handicap_sensoriel: c.many("natureHandicapSensoriel"),
        }
    }
}

impl WriteXml for ListeNatureHandicapSensoriel {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.nature_handicap_sensoriel.write_xml(w, "natureHandicapSensoriel");
        w.end(name);
    }
}

/// Type `t_listeNatureHandicapMoteur`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListeNatureHandicapMoteur {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `natureHandicapMoteur` (t_codeElement), 0..n.
    pub nature_handicap_moteur: Vec<CodeElement>,
}

impl FromXml for ListeNatureHandicapMoteur {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["natureHandicapMoteur"]);
        ListeNatureHandicapMoteur {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            nature_handicap_moteur: c.many("natureHandicapMoteur"),
        }
    }
}

impl WriteXml for ListeNatureHandicapMoteur {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.nature_handicap_moteur.write_xml(w, "natureHandicapMoteur");
        w.end(name);
    }
}

/// Type `t_listeAideTechniqueHandicap`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListeAideTechniqueHandicap {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `aideTechniqueHandicap` (t_codeElement), 0..n.
    pub aide_technique_handicap: Vec<CodeElement>,
}

impl FromXml for ListeAideTechniqueHandicap {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["aideTechniqueHandicap"]);
        ListeAideTechniqueHandicap {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            aide_technique_handicap: c.many("aideTechniqueHandicap"),
        }
    }
}

impl WriteXml for ListeAideTechniqueHandicap {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.aide_technique_handicap.write_xml(w, "aideTechniqueHandicap");
        w.end(name);
    }
}

/// Type `t_listeEquipementHandicap`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListeEquipementHandicap {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `equipementHandicap` (t_codeElement), 0..n.
    pub equipement_handicap: Vec<CodeElement>,
}

impl FromXml for ListeEquipementHandicap {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["equipementHandicap"]);
        ListeEquipementHandicap {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            equipement_handicap: c.many("equipementHandicap"),
        }
    }
}

impl WriteXml for ListeEquipementHandicap {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.equipement_handicap.write_xml(w, "equipementHandicap");
        w.end(name);
    }
}

/// Type `t_renouvellement`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Renouvellement {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `dateRenouvellement` (t_date), 1..1.
    pub date_renouvellement: Valeur<XsDate>,
}

impl FromXml for Renouvellement {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["dateRenouvellement"]);
        Renouvellement {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            date_renouvellement: c.one("dateRenouvellement"),
        }
    }
}

impl WriteXml for Renouvellement {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.date_renouvellement.write_xml(w, "dateRenouvellement");
        w.end(name);
    }
}

/// Type `t_radiation`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Radiation {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `dateRadiation` (t_date), 1..1.
    pub date_radiation: Valeur<XsDate>,
    /// Element `motifRadiation` (t_codeElement), 1..1.
    pub motif_radiation: CodeElement,
    /// Element `sousMotifIrrecevabilite` (t_codeElement), 0..1.
    pub sous_motif_irrecevabilite: Option<CodeElement>,
    /// Element `absenceReponse` (t_absenceReponse), 0..1.
    pub absence_reponse: Option<AbsenceReponse>,
    /// Element `attributionLogement` (t_attributionLogement), 0..1.
    pub attribution_logement: Option<AttributionLogement>,
}

impl FromXml for Radiation {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["dateRadiation", "motifRadiation", "sousMotifIrrecevabilite", "absenceReponse", "attributionLogement"]);
        Radiation {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            date_radiation: c.one("dateRadiation"),
            motif_radiation: c.one("motifRadiation"),
            sous_motif_irrecevabilite: c.opt("sousMotifIrrecevabilite"),
            absence_reponse: c.opt("absenceReponse"),
            attribution_logement: c.opt("attributionLogement"),
        }
    }
}

impl WriteXml for Radiation {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.date_radiation.write_xml(w, "dateRadiation");
        self.motif_radiation.write_xml(w, "motifRadiation");
        self.sous_motif_irrecevabilite.write_xml(w, "sousMotifIrrecevabilite");
        self.absence_reponse.write_xml(w, "absenceReponse");
        self.attribution_logement.write_xml(w, "attributionLogement");
        w.end(name);
    }
}

/// Type `t_absenceReponse`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AbsenceReponse {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `dateCourrier` (t_date), 0..1.
    pub date_courrier: Option<Valeur<XsDate>>,
}

impl FromXml for AbsenceReponse {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["dateCourrier"]);
        AbsenceReponse {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            date_courrier: c.opt("dateCourrier"),
        }
    }
}

impl WriteXml for AbsenceReponse {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.date_courrier.write_xml(w, "dateCourrier");
        w.end(name);
    }
}

/// Type `t_attributionLogement`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AttributionLogement {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `dateSignatureBail` (t_date), 1..1.
    pub date_signature_bail: Valeur<XsDate>,
    /// Element `dejaLogeParcBailleur` (t_codeElement), 1..1.
    pub deja_loge_parc_bailleur: CodeElement,
    /// Element `numeroRpls` (t_numeroRpls), 0..1.
    pub numero_rpls: Option<Valeur<String>>,
    /// Element `attribueEnComDALO` (t_boolean), 0..1.
    pub attribue_en_com_dalo: Option<Valeur<bool>>,
    /// Element `accordCollectif` (t_codeElement), 1..1.
    pub accord_collectif: CodeElement,
    /// Element `typeReservataire` (t_codeElement), 1..1.
    pub type_reservataire: CodeElement,
    /// Element `codeSirenBailleur` (t_codeSirenBailleur), 0..1.
    pub code_siren_bailleur: Option<Valeur<String>>,
    /// Element `zus` (t_codeElement), 0..1.
    pub zus: Option<CodeElement>,
    /// Element `typeLogement` (t_codeElement), 0..1.
    pub type_logement: Option<CodeElement>,
    /// Element `surface` (t_surface), 0..1.
    pub surface: Option<Valeur<i32>>,
    /// Element `montantLoyer` (t_montantLoyer), 0..1.
    pub montant_loyer: Option<Valeur<i32>>,
    /// Element `adresse` (t_adresseAttribution), 0..1.
    pub adresse: Option<AdresseAttribution>,
}

impl FromXml for AttributionLogement {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["dateSignatureBail", "dejaLogeParcBailleur", "numeroRpls", "attribueEnComDALO", "accordCollectif", "typeReservataire", "codeSirenBailleur", "zus", "typeLogement", "surface", "montantLoyer", "adresse"]);
        AttributionLogement {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            date_signature_bail: c.one("dateSignatureBail"),
            deja_loge_parc_bailleur: c.one("dejaLogeParcBailleur"),
            numero_rpls: c.opt("numeroRpls"),
            attribue_en_com_dalo: c.opt("attribueEnComDALO"),
            accord_collectif: c.one("accordCollectif"),
            type_reservataire: c.one("typeReservataire"),
            code_siren_bailleur: c.opt("codeSirenBailleur"),
            zus: c.opt("zus"),
            type_logement: c.opt("typeLogement"),
            surface: c.opt("surface"),
            montant_loyer: c.opt("montantLoyer"),
            adresse: c.opt("adresse"),
        }
    }
}

impl WriteXml for AttributionLogement {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.date_signature_bail.write_xml(w, "dateSignatureBail");
        self.deja_loge_parc_bailleur.write_xml(w, "dejaLogeParcBailleur");
        self.numero_rpls.write_xml(w, "numeroRpls");
        self.attribue_en_com_dalo.write_xml(w, "attribueEnComDALO");
        self.accord_collectif.write_xml(w, "accordCollectif");
        self.type_reservataire.write_xml(w, "typeReservataire");
        self.code_siren_bailleur.write_xml(w, "codeSirenBailleur");
        self.zus.write_xml(w, "zus");
        self.type_logement.write_xml(w, "typeLogement");
        self.surface.write_xml(w, "surface");
        self.montant_loyer.write_xml(w, "montantLoyer");
        self.adresse.write_xml(w, "adresse");
        w.end(name);
    }
}

/// Type `t_adresseAttribution`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AdresseAttribution {
    /// Attribute `ns2:modifie`.
    pub modifie: Option<bool>,
    /// Element `appartement` (t_appartement), 0..1.
    pub appartement: Option<Valeur<String>>,
    /// Element `etage` (t_etage), 0..1.
    pub etage: Option<Valeur<String>>,
    /// Element `escalier` (t_escalier), 0..1.
    pub escalier: Option<Valeur<String>>,
    /// Element `batiment` (t_batiment), 0..1.
    pub batiment: Option<Valeur<String>>,
    /// Element `compAdresse` (t_compAdresse), 0..1.
    pub comp_adresse: Option<Valeur<String>>,
    /// Element `numero` (t_numero), 0..1.
    pub numero: Option<Valeur<String>>,
    /// Element `voie` (t_voie), 0..1.
    pub voie: Option<Valeur<String>>,
    /// Element `lieuDit` (t_lieuDit), 0..1.
    pub lieu_dit: Option<Valeur<String>>,
    /// Element `codePostal` (t_codePostal), 0..1.
    pub code_postal: Option<Valeur<String>>,
    /// Element `commune` (t_commune), 0..1.
    pub commune: Option<Commune>,
}

impl FromXml for AdresseAttribution {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["appartement", "etage", "escalier", "batiment", "compAdresse", "numero", "voie", "lieuDit", "codePostal", "commune"]);
        AdresseAttribution {
            modifie: attr(e, Some(NS_FICHIER), "modifie"),
            appartement: c.opt("appartement"),
            etage: c.opt("etage"),
            escalier: c.opt("escalier"),
            batiment: c.opt("batiment"),
            comp_adresse: c.opt("compAdresse"),
            numero: c.opt("numero"),
            voie: c.opt("voie"),
            lieu_dit: c.opt("lieuDit"),
            code_postal: c.opt("codePostal"),
            commune: c.opt("commune"),
        }
    }
}

impl WriteXml for AdresseAttribution {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        self.appartement.write_xml(w, "appartement");
        self.etage.write_xml(w, "etage");
        self.escalier.write_xml(w, "escalier");
        self.batiment.write_xml(w, "batiment");
        self.comp_adresse.write_xml(w, "compAdresse");
        self.numero.write_xml(w, "numero");
        self.voie.write_xml(w, "voie");
        self.lieu_dit.write_xml(w, "lieuDit");
        self.code_postal.write_xml(w, "codePostal");
        self.commune.write_xml(w, "commune");
        w.end(name);
    }
}

/// Type `t_listeAnomalie`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListeAnomalie {
    /// Element `anomalie` (t_anomalie), 0..n.
    pub anomalie: Vec<Anomalie>,
}

impl FromXml for ListeAnomalie {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["anomalie"]);
        ListeAnomalie {
            anomalie: c.many("anomalie"),
        }
    }
}

impl WriteXml for ListeAnomalie {
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
    /// Attribute `propriete`.
    pub propriete: Option<String>,
    /// Element `complement` (t_complementAnomalie), 0..n.
    pub complement: Vec<ComplementAnomalie>,
    /// Element `message` (t_messageAnomalie), 1..1.
    pub message: String,
}

impl FromXml for Anomalie {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["complement", "message"]);
        Anomalie {
            code: attr(e, None, "code").unwrap_or_default(),
            propriete: attr(e, None, "propriete"),
            complement: c.many("complement"),
            message: c.one("message"),
        }
    }
}

impl WriteXml for Anomalie {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr_str(None, "code", &self.code.to_lexical());
        w.attr(None, "propriete", &self.propriete);
        self.complement.write_xml(w, "complement");
        self.message.write_xml(w, "message");
        w.end(name);
    }
}

/// Type `t_complementAnomalie`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ComplementAnomalie {
    /// Attribute `nom`.
    pub nom: Option<String>,
    /// The element's value.
    pub valeur: String,
}

impl FromXml for ComplementAnomalie {
    fn from_xml(e: &Element) -> Self {
        ComplementAnomalie {
            nom: attr(e, None, "nom"),
            valeur: <String as SimpleValue>::from_lexical(&e.text()),
        }
    }
}

impl WriteXml for ComplementAnomalie {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(None, "nom", &self.nom);
        w.text(&self.valeur.to_lexical());
        w.end(name);
    }
}

/// Type `listeDoublons`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListeDoublons {
    /// Element `doublon` (doublon), 1..n.
    pub doublon: Vec<Doublon>,
}

impl FromXml for ListeDoublons {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["doublon"]);
        ListeDoublons {
            doublon: c.many("doublon"),
        }
    }
}

impl WriteXml for ListeDoublons {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.doublon.write_xml(w, "doublon");
        w.end(name);
    }
}

/// Type `doublon`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Doublon {
    /// Element `numUnique` (xs:string), 1..1.
    pub num_unique: String,
    /// Element `demandeur` (doublon_demandeur), 1..1.
    pub demandeur: DoublonDemandeur,
    /// Element `listeCotitulaire` (doublon_listeCotitulaire), 0..1.
    pub liste_cotitulaire: Option<DoublonListeCotitulaire>,
    /// Element `listeLocalisationSouhaitee` (doublon_listeLocalisationSouhaitee), 1..1.
    pub liste_localisation_souhaitee: DoublonListeLocalisationSouhaitee,
}

impl FromXml for Doublon {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["numUnique", "demandeur", "listeCotitulaire", "listeLocalisationSouhaitee"]);
        Doublon {
            num_unique: c.one("numUnique"),
            demandeur: c.one("demandeur"),
            liste_cotitulaire: c.opt("listeCotitulaire"),
            liste_localisation_souhaitee: c.one("listeLocalisationSouhaitee"),
        }
    }
}

impl WriteXml for Doublon {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.num_unique.write_xml(w, "numUnique");
        self.demandeur.write_xml(w, "demandeur");
        self.liste_cotitulaire.write_xml(w, "listeCotitulaire");
        self.liste_localisation_souhaitee.write_xml(w, "listeLocalisationSouhaitee");
        w.end(name);
    }
}

/// Type `doublon_demandeur`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DoublonDemandeur {
    /// Element `civilite` (doublon_codeElement), 1..1.
    pub civilite: DoublonCodeElement,
    /// Element `nom` (xs:string), 1..1.
    pub nom: String,
    /// Element `nomPatronymique` (xs:string), 0..1.
    pub nom_patronymique: Option<String>,
    /// Element `prenom` (xs:string), 1..1.
    pub prenom: String,
    /// Element `dateNaissance` (xs:date), 1..1.
    pub date_naissance: XsDate,
    /// Element `adressePostale` (doublon_adresse), 1..1.
    pub adresse_postale: DoublonAdresse,
    /// Element `adresseLogement` (doublon_adresse), 0..1.
    pub adresse_logement: Option<DoublonAdresse>,
}

impl FromXml for DoublonDemandeur {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["civilite", "nom", "nomPatronymique", "prenom", "dateNaissance", "adressePostale", "adresseLogement"]);
        DoublonDemandeur {
            civilite: c.one("civilite"),
            nom: c.one("nom"),
            nom_patronymique: c.opt("nomPatronymique"),
            prenom: c.one("prenom"),
            date_naissance: c.one("dateNaissance"),
            adresse_postale: c.one("adressePostale"),
            adresse_logement: c.opt("adresseLogement"),
        }
    }
}

impl WriteXml for DoublonDemandeur {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.civilite.write_xml(w, "civilite");
        self.nom.write_xml(w, "nom");
        self.nom_patronymique.write_xml(w, "nomPatronymique");
        self.prenom.write_xml(w, "prenom");
        self.date_naissance.write_xml(w, "dateNaissance");
        self.adresse_postale.write_xml(w, "adressePostale");
        self.adresse_logement.write_xml(w, "adresseLogement");
        w.end(name);
    }
}

/// Type `doublon_codeElement`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DoublonCodeElement {
    /// Attribute `code`.
    pub code: Option<String>,
}

impl FromXml for DoublonCodeElement {
    fn from_xml(e: &Element) -> Self {
        DoublonCodeElement {
            code: attr(e, None, "code"),
        }
    }
}

impl WriteXml for DoublonCodeElement {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(None, "code", &self.code);
        w.end(name);
    }
}

/// Type `doublon_codeCommune`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DoublonCodeCommune {
    /// Attribute `code`.
    pub code: Option<String>,
}

impl FromXml for DoublonCodeCommune {
    fn from_xml(e: &Element) -> Self {
        DoublonCodeCommune {
            code: attr(e, None, "code"),
        }
    }
}

impl WriteXml for DoublonCodeCommune {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(None, "code", &self.code);
        w.end(name);
    }
}

/// Type `doublon_adresse`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DoublonAdresse {
    /// Element `etranger` (xs:boolean), 1..1.
    pub etranger: bool,
    /// Element `appartement` (xs:string), 0..1.
    pub appartement: Option<String>,
    /// Element `etage` (xs:string), 0..1.
    pub etage: Option<String>,
    /// Element `escalier` (xs:string), 0..1.
    pub escalier: Option<String>,
    /// Element `batiment` (xs:string), 0..1.
    pub batiment: Option<String>,
    /// Element `compAdresse` (xs:string), 0..1.
    pub comp_adresse: Option<String>,
    /// Element `numero` (xs:string), 0..1.
    pub numero: Option<String>,
    /// Element `voie` (xs:string), 0..1.
    pub voie: Option<String>,
    /// Element `lieuDit` (xs:string), 0..1.
    pub lieu_dit: Option<String>,
    /// Choice between group `doublon_groupeLocalite` and group `doublon_groupeLocaliteEtranger`, 1..1.
    pub doublon_localite: DoublonLocalite,
    /// Element `nomHebergeant` (xs:string), 0..1.
    pub nom_hebergeant: Option<String>,
}

impl FromXml for DoublonAdresse {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["etranger", "appartement", "etage", "escalier", "batiment", "compAdresse", "numero", "voie", "lieuDit", "codePostal", "commune", "codePostalEtranger", "communeEtranger", "pays", "nomHebergeant"]);
        DoublonAdresse {
            etranger: c.one("etranger"),
            appartement: c.opt("appartement"),
            etage: c.opt("etage"),
            escalier: c.opt("escalier"),
            batiment: c.opt("batiment"),
            comp_adresse: c.opt("compAdresse"),
            numero: c.opt("numero"),
            voie: c.opt("voie"),
            lieu_dit: c.opt("lieuDit"),
            doublon_localite: c.choice(),
            nom_hebergeant: c.opt("nomHebergeant"),
        }
    }
}

impl WriteXml for DoublonAdresse {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.etranger.write_xml(w, "etranger");
        self.appartement.write_xml(w, "appartement");
        self.etage.write_xml(w, "etage");
        self.escalier.write_xml(w, "escalier");
        self.batiment.write_xml(w, "batiment");
        self.comp_adresse.write_xml(w, "compAdresse");
        self.numero.write_xml(w, "numero");
        self.voie.write_xml(w, "voie");
        self.lieu_dit.write_xml(w, "lieuDit");
        self.doublon_localite.write_choice(w);
        self.nom_hebergeant.write_xml(w, "nomHebergeant");
        w.end(name);
    }
}

/// Type `doublon_listeCotitulaire`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DoublonListeCotitulaire {
    /// Element `cotitulaire` (doublon_cotitulaire), 1..n.
    pub cotitulaire: Vec<DoublonCotitulaire>,
}

impl FromXml for DoublonListeCotitulaire {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["cotitulaire"]);
        DoublonListeCotitulaire {
            cotitulaire: c.many("cotitulaire"),
        }
    }
}

impl WriteXml for DoublonListeCotitulaire {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.cotitulaire.write_xml(w, "cotitulaire");
        w.end(name);
    }
}

/// Type `doublon_cotitulaire`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DoublonCotitulaire {
    /// Element `civilite` (doublon_codeElement), 1..1.
    pub civilite: DoublonCodeElement,
    /// Element `nom` (xs:string), 1..1.
    pub nom: String,
    /// Element `nomPatronymique` (xs:string), 0..1.
    pub nom_patronymique: Option<String>,
    /// Element `prenom` (xs:string), 1..1.
    pub prenom: String,
    /// Element `dateNaissance` (xs:date), 1..1.
    pub date_naissance: XsDate,
}

impl FromXml for DoublonCotitulaire {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["civilite", "nom", "nomPatronymique", "prenom", "dateNaissance"]);
        DoublonCotitulaire {
            civilite: c.one("civilite"),
            nom: c.one("nom"),
            nom_patronymique: c.opt("nomPatronymique"),
            prenom: c.one("prenom"),
            date_naissance: c.one("dateNaissance"),
        }
    }
}

impl WriteXml for DoublonCotitulaire {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.civilite.write_xml(w, "civilite");
        self.nom.write_xml(w, "nom");
        self.nom_patronymique.write_xml(w, "nomPatronymique");
        self.prenom.write_xml(w, "prenom");
        self.date_naissance.write_xml(w, "dateNaissance");
        w.end(name);
    }
}

/// Type `doublon_listeLocalisationSouhaitee`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DoublonListeLocalisationSouhaitee {
    /// Element `localisationSouhaitee` (doublon_localisationSouhaitee), 1..n.
    pub localisation_souhaitee: Vec<DoublonLocalisationSouhaitee>,
}

impl FromXml for DoublonListeLocalisationSouhaitee {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["localisationSouhaitee"]);
        DoublonListeLocalisationSouhaitee {
            localisation_souhaitee: c.many("localisationSouhaitee"),
        }
    }
}

impl WriteXml for DoublonListeLocalisationSouhaitee {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.localisation_souhaitee.write_xml(w, "localisationSouhaitee");
        w.end(name);
    }
}

/// Type `doublon_localisationSouhaitee`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DoublonLocalisationSouhaitee {
    /// Element `commune` (doublon_codeCommune), 1..1.
    pub commune: DoublonCodeCommune,
    /// Element `quartier` (xs:string), 0..1.
    pub quartier: Option<String>,
}

impl FromXml for DoublonLocalisationSouhaitee {
    fn from_xml(e: &Element) -> Self {
        let mut c = Cursor::new(e, &["commune", "quartier"]);
        DoublonLocalisationSouhaitee {
            commune: c.one("commune"),
            quartier: c.opt("quartier"),
        }
    }
}

impl WriteXml for DoublonLocalisationSouhaitee {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        self.commune.write_xml(w, "commune");
        self.quartier.write_xml(w, "quartier");
        w.end(name);
    }
}

/// A choice between `Association` | `PersonnePhysique`.
#[derive(Debug, Clone, PartialEq)]
pub enum AssociationOuPersonnePhysique {
    /// Branch `association`.
    Association(Association),
    /// Branch `personnePhysique`.
    PersonnePhysique(PersonnePhysique),
}

impl Default for AssociationOuPersonnePhysique {
    fn default() -> Self {
        AssociationOuPersonnePhysique::Association(Default::default())
    }
}

impl ReadChoice for AssociationOuPersonnePhysique {
    fn starts(name: &str) -> bool {
        matches!(name, "association" | "personnePhysique")
    }
    fn read(c: &mut Cursor<'_>) -> Self {
        match c.peek() {
            Some("personnePhysique") => AssociationOuPersonnePhysique::PersonnePhysique(c.one("personnePhysique")),
            _ => AssociationOuPersonnePhysique::Association(c.one("association")),
        }
    }
}

impl WriteChoice for AssociationOuPersonnePhysique {
    fn write_choice(&self, w: &mut Writer) {
        match self {
            AssociationOuPersonnePhysique::Association(v) => v.write_xml(w, "association"),
            AssociationOuPersonnePhysique::PersonnePhysique(v) => v.write_xml(w, "personnePhysique"),
        }
    }
}

/// A choice between `GroupeLocalite` | `GroupeLocaliteEtranger`.
#[derive(Debug, Clone, PartialEq)]
pub enum Localite {
    /// Branch group `groupeLocalite`.
    GroupeLocalite {
        /// Element `codePostal` (t_codePostal), 1..1.
        code_postal: Valeur<String>,
        /// Element `commune` (t_commune), 1..1.
        commune: Commune,
    },
    /// Branch group `groupeLocaliteEtranger`.
    GroupeLocaliteEtranger {
        /// Element `codePostalEtranger` (t_codePostalEtranger), 1..1.
        code_postal_etranger: Valeur<String>,
        /// Element `communeEtranger` (t_communeEtranger), 1..1.
        commune_etranger: Valeur<String>,
        /// Element `pays` (t_pays), 1..1.
        pays: Valeur<String>,
    },
}

impl Default for Localite {
    fn default() -> Self {
        Localite::GroupeLocalite { code_postal: Default::default(), commune: Default::default() }
    }
}

impl ReadChoice for Localite {
    fn starts(name: &str) -> bool {
        matches!(name, "codePostal" | "codePostalEtranger")
    }
    fn read(c: &mut Cursor<'_>) -> Self {
        match c.peek() {
            Some("codePostalEtranger") => Localite::GroupeLocaliteEtranger { code_postal_etranger: c.one("codePostalEtranger"), commune_etranger: c.one("communeEtranger"), pays: c.one("pays") },
            _ => Localite::GroupeLocalite { code_postal: c.one("codePostal"), commune: c.one("commune") },
        }
    }
}

impl WriteChoice for Localite {
    fn write_choice(&self, w: &mut Writer) {
        match self {
            Localite::GroupeLocalite { code_postal, commune } => {
                code_postal.write_xml(w, "codePostal");
                commune.write_xml(w, "commune");
            }
            Localite::GroupeLocaliteEtranger { code_postal_etranger, commune_etranger, pays } => {
                code_postal_etranger.write_xml(w, "codePostalEtranger");
                commune_etranger.write_xml(w, "communeEtranger");
                pays.write_xml(w, "pays");
            }
        }
    }
}

/// A choice between `DoublonGroupeLocalite` | `DoublonGroupeLocaliteEtranger`.
#[derive(Debug, Clone, PartialEq)]
pub enum DoublonLocalite {
    /// Branch group `doublon_groupeLocalite`.
    DoublonGroupeLocalite {
        /// Element `codePostal` (xs:string), 0..1.
        code_postal: Option<String>,
        /// Element `commune` (doublon_codeCommune), 0..1.
        commune: Option<DoublonCodeCommune>,
    },
    /// Branch group `doublon_groupeLocaliteEtranger`.
    DoublonGroupeLocaliteEtranger {
        /// Element `codePostalEtranger` (xs:string), 0..1.
        code_postal_etranger: Option<String>,
        /// Element `communeEtranger` (xs:string), 0..1.
        commune_etranger: Option<String>,
        /// Element `pays` (xs:string), 0..1.
        pays: Option<String>,
    },
}

impl Default for DoublonLocalite {
    fn default() -> Self {
        DoublonLocalite::DoublonGroupeLocalite { code_postal: Default::default(), commune: Default::default() }
    }
}

impl ReadChoice for DoublonLocalite {
    fn starts(name: &str) -> bool {
        matches!(name, "codePostal" | "codePostalEtranger" | "commune" | "communeEtranger" | "pays")
    }
    fn read(c: &mut Cursor<'_>) -> Self {
        match c.peek() {
            Some("codePostalEtranger") | Some("communeEtranger") | Some("pays") => DoublonLocalite::DoublonGroupeLocaliteEtranger { code_postal_etranger: c.opt("codePostalEtranger"), commune_etranger: c.opt("communeEtranger"), pays: c.opt("pays") },
            _ => DoublonLocalite::DoublonGroupeLocalite { code_postal: c.opt("codePostal"), commune: c.opt("commune") },
        }
    }
}

impl WriteChoice for DoublonLocalite {
    fn write_choice(&self, w: &mut Writer) {
        match self {
            DoublonLocalite::DoublonGroupeLocalite { code_postal, commune } => {
                code_postal.write_xml(w, "codePostal");
                commune.write_xml(w, "commune");
            }
            DoublonLocalite::DoublonGroupeLocaliteEtranger { code_postal_etranger, commune_etranger, pays } => {
                code_postal_etranger.write_xml(w, "codePostalEtranger");
                commune_etranger.write_xml(w, "communeEtranger");
                pays.write_xml(w, "pays");
            }
        }
    }
}
