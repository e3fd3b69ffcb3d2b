// Generated from schemas/InterfaceNuu_v0200.xsd, schemas/InterfaceNuu_v0201.xsd, schemas/Doublon_V0200.xsd by src/contract/codegen; do not edit by hand. Run UPDATE_GENERATED=1 cargo test generated_code_is_fresh

#![allow(dead_code)]

use crate::contract::xsd::*;

// Simple types.

pub(super) static PAT_T_VERSIONINTERFACE: Pattern = Pattern::new("[0-9]{2}\\.[0-9]{2}", "^(?:[0-9]{2}\\.[0-9]{2})$");
pub(super) static ST_T_VERSIONINTERFACE: SimpleType = SimpleType { name: "t_versionInterface", base: Builtin::String, max_length: None, pattern: Some(&PAT_T_VERSIONINTERFACE), min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static PAT_T_TYPEFICHIER: Pattern = Pattern::new("[a-zA-Z0-9]{3}", "^(?:[a-zA-Z0-9]{3})$");
pub(super) static ST_T_TYPEFICHIER: SimpleType = SimpleType { name: "t_typeFichier", base: Builtin::String, max_length: Some(3), pattern: Some(&PAT_T_TYPEFICHIER), min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST_T_DATEFICHIER: SimpleType = SimpleType { name: "t_dateFichier", base: Builtin::DateTime, max_length: None, pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static PAT__TEL: Pattern = Pattern::new("[0-9]{0,10}", "^(?:[0-9]{0,10})$");
pub(super) static ST__TEL: SimpleType = SimpleType { name: "_tel", base: Builtin::String, max_length: Some(10), pattern: Some(&PAT__TEL), min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static PAT__MEL: Pattern = Pattern::new("([a-zA-Z0-9_.\\-]+@[a-zA-Z0-9_.\\-]+\\.[a-zA-Z]{1,3})?", "^(?:([a-zA-Z0-9_.\\-]+@[a-zA-Z0-9_.\\-]+\\.[a-zA-Z]{1,3})?)$");
pub(super) static ST__MEL: SimpleType = SimpleType { name: "_mel", base: Builtin::String, max_length: Some(255), pattern: Some(&PAT__MEL), min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static PAT__CODEELEMENT: Pattern = Pattern::new("[a-zA-Z0-9]{1,6}", "^(?:[a-zA-Z0-9]{1,6})$");
pub(super) static ST__CODEELEMENT: SimpleType = SimpleType { name: "_codeElement", base: Builtin::String, max_length: Some(6), pattern: Some(&PAT__CODEELEMENT), min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__NUMGUICHET: SimpleType = SimpleType { name: "_numGuichet", base: Builtin::String, max_length: Some(5), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__NUMUNIQUE: SimpleType = SimpleType { name: "_numUnique", base: Builtin::String, max_length: Some(18), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__REFINTERNE: SimpleType = SimpleType { name: "_refInterne", base: Builtin::String, max_length: Some(18), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__PRECISION: SimpleType = SimpleType { name: "_precision", base: Builtin::String, max_length: Some(255), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__MONTANTLOYER: SimpleType = SimpleType { name: "_montantLoyer", base: Builtin::Int, max_length: None, pattern: None, min_inclusive: Some(0), max_inclusive: Some(9999), enumeration: &[] };
pub(super) static PAT__COMMUNE: Pattern = Pattern::new("[a-zA-Z0-9]{1,5}", "^(?:[a-zA-Z0-9]{1,5})$");
pub(super) static ST__COMMUNE: SimpleType = SimpleType { name: "_commune", base: Builtin::String, max_length: Some(5), pattern: Some(&PAT__COMMUNE), min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__QUARTIER: SimpleType = SimpleType { name: "_quartier", base: Builtin::String, max_length: Some(19), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__COMPAUTREMOTIF: SimpleType = SimpleType { name: "_compAutreMotif", base: Builtin::String, max_length: Some(36), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__NOMASSOCIATION: SimpleType = SimpleType { name: "_nomAssociation", base: Builtin::String, max_length: Some(36), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__BATIMENT: SimpleType = SimpleType { name: "_batiment", base: Builtin::String, max_length: Some(4), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__ESCALIER: SimpleType = SimpleType { name: "_escalier", base: Builtin::String, max_length: Some(4), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__ETAGE: SimpleType = SimpleType { name: "_etage", base: Builtin::String, max_length: Some(2), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__APPARTEMENT: SimpleType = SimpleType { name: "_appartement", base: Builtin::String, max_length: Some(4), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__NUMERO: SimpleType = SimpleType { name: "_numero", base: Builtin::String, max_length: Some(5), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__VOIE: SimpleType = SimpleType { name: "_voie", base: Builtin::String, max_length: Some(32), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__COMPADRESSE: SimpleType = SimpleType { name: "_compAdresse", base: Builtin::String, max_length: Some(33), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__LIEUDIT: SimpleType = SimpleType { name: "_lieuDit", base: Builtin::String, max_length: Some(38), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static PAT__CODEPOSTAL: Pattern = Pattern::new("[0-9]{1,5}", "^(?:[0-9]{1,5})$");
pub(super) static ST__CODEPOSTAL: SimpleType = SimpleType { name: "_codePostal", base: Builtin::String, max_length: Some(5), pattern: Some(&PAT__CODEPOSTAL), min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__CODEPOSTALETRANGER: SimpleType = SimpleType { name: "_codePostalEtranger", base: Builtin::String, max_length: Some(10), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__COMMUNEETRANGER: SimpleType = SimpleType { name: "_communeEtranger", base: Builtin::String, max_length: Some(38), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__PAYS: SimpleType = SimpleType { name: "_pays", base: Builtin::String, max_length: Some(38), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__NOMHEBERGEANT: SimpleType = SimpleType { name: "_nomHebergeant", base: Builtin::String, max_length: Some(38), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__NOMDEMANDEUR: SimpleType = SimpleType { name: "_nomDemandeur", base: Builtin::String, max_length: Some(36), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__NOMPATRONYMIQUE: SimpleType = SimpleType { name: "_nomPatronymique", base: Builtin::String, max_length: Some(36), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__PRENOMDEMANDEUR: SimpleType = SimpleType { name: "_prenomDemandeur", base: Builtin::String, max_length: Some(36), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__PROFESSION: SimpleType = SimpleType { name: "_profession", base: Builtin::String, max_length: Some(39), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__NOMEMPLOYEURPRINCIPAL: SimpleType = SimpleType { name: "_nomEmployeurPrincipal", base: Builtin::String, max_length: Some(25), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__NOMORGANISMECOLLECTEUR: SimpleType = SimpleType { name: "_nomOrganismeCollecteur", base: Builtin::String, max_length: Some(44), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__ANNEEFISCALE: SimpleType = SimpleType { name: "_anneeFiscale", base: Builtin::Int, max_length: None, pattern: None, min_inclusive: Some(1900), max_inclusive: Some(2100), enumeration: &[] };
pub(super) static ST__MONTANTFISCAL: SimpleType = SimpleType { name: "_montantFiscal", base: Builtin::Int, max_length: None, pattern: None, min_inclusive: Some(-999999), max_inclusive: Some(999999), enumeration: &[] };
pub(super) static ST__MONTANTRESSOURCE: SimpleType = SimpleType { name: "_montantRessource", base: Builtin::Int, max_length: None, pattern: None, min_inclusive: Some(-999999), max_inclusive: Some(999999), enumeration: &[] };
pub(super) static ST__NOMACHARGE: SimpleType = SimpleType { name: "_nomACharge", base: Builtin::String, max_length: Some(24), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__PRENOMACHARGE: SimpleType = SimpleType { name: "_prenomACharge", base: Builtin::String, max_length: Some(24), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__NOMBREANAITRE: SimpleType = SimpleType { name: "_nombreANaitre", base: Builtin::Int, max_length: None, pattern: None, min_inclusive: Some(0), max_inclusive: Some(9), enumeration: &[] };
pub(super) static ST__COMPNOMORGBAILLEUR: SimpleType = SimpleType { name: "_compNomOrgBailleur", base: Builtin::String, max_length: Some(34), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__COMPNOMSTRUCTURE: SimpleType = SimpleType { name: "_compNomStructure", base: Builtin::String, max_length: Some(14), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__COMPNOMCENTRE: SimpleType = SimpleType { name: "_compNomCentre", base: Builtin::String, max_length: Some(14), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__MONTANTMENSUELLOYER: SimpleType = SimpleType { name: "_montantMensuelLoyer", base: Builtin::Int, max_length: None, pattern: None, min_inclusive: Some(0), max_inclusive: Some(9999), enumeration: &[] };
pub(super) static ST__MONTANTMENSUELAPL: SimpleType = SimpleType { name: "_montantMensuelAPL", base: Builtin::Int, max_length: None, pattern: None, min_inclusive: Some(0), max_inclusive: Some(9999), enumeration: &[] };
pub(super) static ST__NOMBREHABITANT: SimpleType = SimpleType { name: "_nombreHabitant", base: Builtin::Int, max_length: None, pattern: None, min_inclusive: Some(0), max_inclusive: Some(99), enumeration: &[] };
pub(super) static ST__SURFACE: SimpleType = SimpleType { name: "_surface", base: Builtin::Int, max_length: None, pattern: None, min_inclusive: Some(0), max_inclusive: Some(9999), enumeration: &[] };
pub(super) static ST__NOMREFERENT: SimpleType = SimpleType { name: "_nomReferent", base: Builtin::String, max_length: Some(40), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__ADRESSEREFERENT: SimpleType = SimpleType { name: "_adresseReferent", base: Builtin::String, max_length: Some(40), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__COMPAUTRENATURE: SimpleType = SimpleType { name: "_compAutreNature", base: Builtin::String, max_length: Some(21), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__BESOINPARTICULIER: SimpleType = SimpleType { name: "_besoinParticulier", base: Builtin::String, max_length: Some(132), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__BESOINAUTRE: SimpleType = SimpleType { name: "_besoinAutre", base: Builtin::String, max_length: Some(36), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__NUMERORPLS: SimpleType = SimpleType { name: "_numeroRpls", base: Builtin::String, max_length: Some(10), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__CODESIRENBAILLEUR: SimpleType = SimpleType { name: "_codeSirenBailleur", base: Builtin::String, max_length: Some(9), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__NOMCOMPLEMENT: SimpleType = SimpleType { name: "_nomComplement", base: Builtin::String, max_length: Some(100), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST_T_MESSAGEANOMALIE: SimpleType = SimpleType { name: "t_messageAnomalie", base: Builtin::String, max_length: Some(512), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__CODEANOMALIE: SimpleType = SimpleType { name: "_codeAnomalie", base: Builtin::String, max_length: Some(10), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static ST__PROPRIETEANOMALIE: SimpleType = SimpleType { name: "_proprieteAnomalie", base: Builtin::String, max_length: Some(255), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static PAT_D_CODEELEMENT: Pattern = Pattern::new("[a-zA-Z0-9]{1,6}", "^(?:[a-zA-Z0-9]{1,6})$");
pub(super) static ST_D_CODEELEMENT: SimpleType = SimpleType { name: "d_codeElement", base: Builtin::String, max_length: Some(6), pattern: Some(&PAT_D_CODEELEMENT), min_inclusive: None, max_inclusive: None, enumeration: &[] };
pub(super) static PAT__CODECOMMUNE: Pattern = Pattern::new("[a-zA-Z0-9]{1,5}", "^(?:[a-zA-Z0-9]{1,5})$");
pub(super) static ST__CODECOMMUNE: SimpleType = SimpleType { name: "_codeCommune", base: Builtin::String, max_length: Some(5), pattern: Some(&PAT__CODECOMMUNE), min_inclusive: None, max_inclusive: None, enumeration: &[] };

// Complex types.

pub(super) static CT_T_ENTETE: ComplexType = ComplexType {
    name: "t_entete",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "typeFichier", ty: TypeRef::Simple(&ST_T_TYPEFICHIER), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "dateFichier", ty: TypeRef::Simple(&ST_T_DATEFICHIER), min: 1, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[],
};

pub(super) static CT_T_CODEELEMENT: ComplexType = ComplexType {
    name: "t_codeElement",
    content: Content::Empty,
    attributes: &[
        AttributeDecl { name: "code", ns: None, ty: &ST__CODEELEMENT, required: false, fixed: None },
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_INFORMATIONDALO: ComplexType = ComplexType {
    name: "t_informationDalo",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "statutDalo", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "dateDecisionDalo", ty: TypeRef::Complex(&CT_T_DATE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "diagnosticSocialDalo", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "accompagnementSocialDalo", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "typologieLogementDalo", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_LOGEMENTRECHERCHE: ComplexType = ComplexType {
    name: "t_logementRecherche",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "categorieLogementRecherche", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "avecParking", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "rezDeChaussee", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "sansAscenseur", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "montantLoyer", ty: TypeRef::Complex(&CT_T_MONTANTLOYER), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "demandeElargie", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "listeTypeLogement", ty: TypeRef::Complex(&CT_T_LISTETYPELOGEMENT), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "listeLocalisationSouhaite", ty: TypeRef::Complex(&CT_T_LISTELOCALISATIONSOUHAITE), min: 1, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_LISTETYPELOGEMENT: ComplexType = ComplexType {
    name: "t_listeTypeLogement",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "typeLogement", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 1, max: Max::Unbounded }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_LISTELOCALISATIONSOUHAITE: ComplexType = ComplexType {
    name: "t_listeLocalisationSouhaite",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "localisationSouhaite", ty: TypeRef::Complex(&CT_T_LOCALISATIONSOUHAITE), min: 1, max: Max::Unbounded }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_LOCALISATIONSOUHAITE: ComplexType = ComplexType {
    name: "t_localisationSouhaite",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "commune", ty: TypeRef::Complex(&CT_T_COMMUNE), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "quartier", ty: TypeRef::Complex(&CT_T_QUARTIER), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_COMMUNE: ComplexType = ComplexType {
    name: "t_commune",
    content: Content::Empty,
    attributes: &[
        AttributeDecl { name: "code", ns: None, ty: &ST__COMMUNE, required: false, fixed: None },
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_PRINCIPAUXMOTIFDEMANDE: ComplexType = ComplexType {
    name: "t_principauxMotifDemande",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "compDateJugement", ty: TypeRef::Complex(&CT_T_DATE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "compAutreMotif", ty: TypeRef::Complex(&CT_T_COMPAUTREMOTIF), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "motifDemande", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 1, max: Max::Unbounded }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_ASSOCIATION: ComplexType = ComplexType {
    name: "t_association",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "nom", ty: TypeRef::Complex(&CT_T_NOMASSOCIATION), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "telDomicile", ty: TypeRef::Complex(&CT_T_TEL), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "telPortable", ty: TypeRef::Complex(&CT_T_TEL), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "telTravail", ty: TypeRef::Complex(&CT_T_TEL), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "mel", ty: TypeRef::Complex(&CT_T_MEL), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "adressePostale", ty: TypeRef::Complex(&CT_T_ADRESSE), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_ADRESSE: ComplexType = ComplexType {
    name: "t_adresse",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "etranger", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "appartement", ty: TypeRef::Complex(&CT_T_APPARTEMENT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "etage", ty: TypeRef::Complex(&CT_T_ETAGE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "escalier", ty: TypeRef::Complex(&CT_T_ESCALIER), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "batiment", ty: TypeRef::Complex(&CT_T_BATIMENT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "compAdresse", ty: TypeRef::Complex(&CT_T_COMPADRESSE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "numero", ty: TypeRef::Complex(&CT_T_NUMERO), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "voie", ty: TypeRef::Complex(&CT_T_VOIE), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "lieuDit", ty: TypeRef::Complex(&CT_T_LIEUDIT), min: 0, max: Max::Bounded(1) }),
            Particle::Choice(ModelGroup {
                items: &[
                    Particle::Sequence(ModelGroup {
                        items: &[
                            Particle::Element(ElementDecl { name: "codePostal", ty: TypeRef::Complex(&CT_T_CODEPOSTAL), min: 1, max: Max::Bounded(1) }),
                            Particle::Element(ElementDecl { name: "commune", ty: TypeRef::Complex(&CT_T_COMMUNE), min: 1, max: Max::Bounded(1) }),
                        ],
                        min: 1, max: Max::Bounded(1), group: Some("groupeLocalite"),
                    }),
                    Particle::Sequence(ModelGroup {
                        items: &[
                            Particle::Element(ElementDecl { name: "codePostalEtranger", ty: TypeRef::Complex(&CT_T_CODEPOSTALETRANGER), min: 1, max: Max::Bounded(1) }),
                            Particle::Element(ElementDecl { name: "communeEtranger", ty: TypeRef::Complex(&CT_T_COMMUNEETRANGER), min: 1, max: Max::Bounded(1) }),
                            Particle::Element(ElementDecl { name: "pays", ty: TypeRef::Complex(&CT_T_PAYS), min: 1, max: Max::Bounded(1) }),
                        ],
                        min: 1, max: Max::Bounded(1), group: Some("groupeLocaliteEtranger"),
                    }),
                ],
                min: 1, max: Max::Bounded(1), group: None,
            }),
            Particle::Element(ElementDecl { name: "nomHebergeant", ty: TypeRef::Complex(&CT_T_NOMHEBERGEANT), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_SITUATIONPROFESSIONNELLE: ComplexType = ComplexType {
    name: "t_situationProfessionnelle",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "profession", ty: TypeRef::Complex(&CT_T_PROFESSION), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "typeContratTravail", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "multiEmployeur", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "nomEmployeurPrincipal", ty: TypeRef::Complex(&CT_T_NOMEMPLOYEURPRINCIPAL), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "etranger", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 0, max: Max::Bounded(1) }),
            Particle::Choice(ModelGroup {
                items: &[
                    Particle::Sequence(ModelGroup {
                        items: &[
                            Particle::Element(ElementDecl { name: "codePostal", ty: TypeRef::Complex(&CT_T_CODEPOSTAL), min: 1, max: Max::Bounded(1) }),
                            Particle::Element(ElementDecl { name: "commune", ty: TypeRef::Complex(&CT_T_COMMUNE), min: 1, max: Max::Bounded(1) }),
                        ],
                        min: 1, max: Max::Bounded(1), group: Some("groupeLocalite"),
                    }),
                    Particle::Sequence(ModelGroup {
                        items: &[
                            Particle::Element(ElementDecl { name: "codePostalEtranger", ty: TypeRef::Complex(&CT_T_CODEPOSTALETRANGER), min: 1, max: Max::Bounded(1) }),
                            Particle::Element(ElementDecl { name: "communeEtranger", ty: TypeRef::Complex(&CT_T_COMMUNEETRANGER), min: 1, max: Max::Bounded(1) }),
                            Particle::Element(ElementDecl { name: "pays", ty: TypeRef::Complex(&CT_T_PAYS), min: 1, max: Max::Bounded(1) }),
                        ],
                        min: 1, max: Max::Bounded(1), group: Some("groupeLocaliteEtranger"),
                    }),
                ],
                min: 0, max: Max::Bounded(1), group: None,
            }),
            Particle::Element(ElementDecl { name: "nomOrganismeCollecteur", ty: TypeRef::Complex(&CT_T_NOMORGANISMECOLLECTEUR), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_REVENUFISCAL: ComplexType = ComplexType {
    name: "t_revenuFiscal",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "anneeMoins1", ty: TypeRef::Complex(&CT_T_ANNEEFISCALE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "montantMoins1", ty: TypeRef::Complex(&CT_T_MONTANTFISCAL), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "anneeMoins2", ty: TypeRef::Complex(&CT_T_ANNEEFISCALE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "montantMoins2", ty: TypeRef::Complex(&CT_T_MONTANTFISCAL), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_LISTERESSOURCE: ComplexType = ComplexType {
    name: "t_listeRessource",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "detailRessource", ty: TypeRef::Complex(&CT_T_DETAILRESSOURCE), min: 0, max: Max::Unbounded }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_DETAILRESSOURCE: ComplexType = ComplexType {
    name: "t_detailRessource",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "ressource", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "montant", ty: TypeRef::Complex(&CT_T_MONTANTRESSOURCE), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_ADRESSELOGEMENT: ComplexType = ComplexType {
    name: "t_adresseLogement",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "etranger", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "appartement", ty: TypeRef::Complex(&CT_T_APPARTEMENT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "etage", ty: TypeRef::Complex(&CT_T_ETAGE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "escalier", ty: TypeRef::Complex(&CT_T_ESCALIER), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "batiment", ty: TypeRef::Complex(&CT_T_BATIMENT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "compAdresse", ty: TypeRef::Complex(&CT_T_COMPADRESSE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "numero", ty: TypeRef::Complex(&CT_T_NUMERO), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "voie", ty: TypeRef::Complex(&CT_T_VOIE), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "lieuDit", ty: TypeRef::Complex(&CT_T_LIEUDIT), min: 0, max: Max::Bounded(1) }),
            Particle::Choice(ModelGroup {
                items: &[
                    Particle::Sequence(ModelGroup {
                        items: &[
                            Particle::Element(ElementDecl { name: "codePostal", ty: TypeRef::Complex(&CT_T_CODEPOSTAL), min: 1, max: Max::Bounded(1) }),
                            Particle::Element(ElementDecl { name: "commune", ty: TypeRef::Complex(&CT_T_COMMUNE), min: 1, max: Max::Bounded(1) }),
                        ],
                        min: 1, max: Max::Bounded(1), group: Some("groupeLocalite"),
                    }),
                    Particle::Sequence(ModelGroup {
                        items: &[
                            Particle::Element(ElementDecl { name: "codePostalEtranger", ty: TypeRef::Complex(&CT_T_CODEPOSTALETRANGER), min: 1, max: Max::Bounded(1) }),
                            Particle::Element(ElementDecl { name: "communeEtranger", ty: TypeRef::Complex(&CT_T_COMMUNEETRANGER), min: 1, max: Max::Bounded(1) }),
                            Particle::Element(ElementDecl { name: "pays", ty: TypeRef::Complex(&CT_T_PAYS), min: 1, max: Max::Bounded(1) }),
                        ],
                        min: 1, max: Max::Bounded(1), group: Some("groupeLocaliteEtranger"),
                    }),
                ],
                min: 1, max: Max::Bounded(1), group: None,
            }),
            Particle::Element(ElementDecl { name: "nomHebergeant", ty: TypeRef::Complex(&CT_T_NOMHEBERGEANT), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_LISTEPERSONNEACHARGE: ComplexType = ComplexType {
    name: "t_listePersonneACharge",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "personneACharge", ty: TypeRef::Complex(&CT_T_PERSONNEACHARGE), min: 0, max: Max::Unbounded }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_PERSONNEACHARGE: ComplexType = ComplexType {
    name: "t_personneACharge",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "nom", ty: TypeRef::Complex(&CT_T_NOMACHARGE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "prenom", ty: TypeRef::Complex(&CT_T_PRENOMACHARGE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "dateNaissance", ty: TypeRef::Complex(&CT_T_DATE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "sexe", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "lienParente", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_PERSONNEANAITRE: ComplexType = ComplexType {
    name: "t_personneANaitre",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "nombre", ty: TypeRef::Complex(&CT_T_NOMBREANAITRE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "dateNaissancePrevue", ty: TypeRef::Complex(&CT_T_DATE), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_LISTEPERSONNEENGARDE: ComplexType = ComplexType {
    name: "t_listePersonneEnGarde",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "personneEnGarde", ty: TypeRef::Complex(&CT_T_PERSONNEENGARDE), min: 0, max: Max::Unbounded }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_PERSONNEENGARDE: ComplexType = ComplexType {
    name: "t_personneEnGarde",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "dateNaissance", ty: TypeRef::Complex(&CT_T_DATE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "sexe", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "coParentalite", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_LISTECOTITULAIRE: ComplexType = ComplexType {
    name: "t_listeCotitulaire",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "cotitulaire", ty: TypeRef::Complex(&CT_T_COTITULAIRE), min: 0, max: Max::Unbounded }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_COTITULAIRE: ComplexType = ComplexType {
    name: "t_cotitulaire",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "civilite", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "nom", ty: TypeRef::Complex(&CT_T_NOMDEMANDEUR), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "nomPatronymique", ty: TypeRef::Complex(&CT_T_NOMPATRONYMIQUE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "prenom", ty: TypeRef::Complex(&CT_T_PRENOMDEMANDEUR), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "dateNaissance", ty: TypeRef::Complex(&CT_T_DATE), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "nationalite", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "situationFamiliale", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "telDomicile", ty: TypeRef::Complex(&CT_T_TEL), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "telPortable", ty: TypeRef::Complex(&CT_T_TEL), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "telTravail", ty: TypeRef::Complex(&CT_T_TEL), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "lienDemandeur", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "situationProfessionnelle", ty: TypeRef::Complex(&CT_T_SITUATIONPROFESSIONNELLE), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "revenuFiscal", ty: TypeRef::Complex(&CT_T_REVENUFISCAL), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "listeRessourceRecue", ty: TypeRef::Complex(&CT_T_LISTERESSOURCE), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "listeRessourceVersee", ty: TypeRef::Complex(&CT_T_LISTERESSOURCE), min: 1, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_LOGEMENTACTUEL: ComplexType = ComplexType {
    name: "t_logementActuel",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "listeModeleLogement", ty: TypeRef::Complex(&CT_T_LISTEMODELELOGEMENT), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "compNomOrgBailleur", ty: TypeRef::Complex(&CT_T_COMPNOMORGBAILLEUR), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "compResSocDepuis", ty: TypeRef::Complex(&CT_T_DATE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "compResHotDepuis", ty: TypeRef::Complex(&CT_T_DATE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "compSousLocDepuis", ty: TypeRef::Complex(&CT_T_DATE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "compStructDepuis", ty: TypeRef::Complex(&CT_T_DATE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "compNomStructure", ty: TypeRef::Complex(&CT_T_COMPNOMSTRUCTURE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "compCentreDepuis", ty: TypeRef::Complex(&CT_T_DATE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "compNomCentre", ty: TypeRef::Complex(&CT_T_COMPNOMCENTRE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "montantMensuelLoyer", ty: TypeRef::Complex(&CT_T_MONTANTMENSUELLOYER), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "montantMensuelAPL", ty: TypeRef::Complex(&CT_T_MONTANTMENSUELAPL), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "nombreHabitant", ty: TypeRef::Complex(&CT_T_NOMBREHABITANT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "categorieLogement", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "typeLogementActuel", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "surface", ty: TypeRef::Complex(&CT_T_SURFACE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "proprietaire", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "etranger", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 0, max: Max::Bounded(1) }),
            Particle::Choice(ModelGroup {
                items: &[
                    Particle::Sequence(ModelGroup {
                        items: &[
                            Particle::Element(ElementDecl { name: "codePostal", ty: TypeRef::Complex(&CT_T_CODEPOSTAL), min: 1, max: Max::Bounded(1) }),
                            Particle::Element(ElementDecl { name: "commune", ty: TypeRef::Complex(&CT_T_COMMUNE), min: 1, max: Max::Bounded(1) }),
                        ],
                        min: 1, max: Max::Bounded(1), group: Some("groupeLocalite"),
                    }),
                    Particle::Sequence(ModelGroup {
                        items: &[
                            Particle::Element(ElementDecl { name: "codePostalEtranger", ty: TypeRef::Complex(&CT_T_CODEPOSTALETRANGER), min: 1, max: Max::Bounded(1) }),
                            Particle::Element(ElementDecl { name: "communeEtranger", ty: TypeRef::Complex(&CT_T_COMMUNEETRANGER), min: 1, max: Max::Bounded(1) }),
                            Particle::Element(ElementDecl { name: "pays", ty: TypeRef::Complex(&CT_T_PAYS), min: 1, max: Max::Bounded(1) }),
                        ],
                        min: 1, max: Max::Bounded(1), group: Some("groupeLocaliteEtranger"),
                    }),
                ],
                min: 0, max: Max::Bounded(1), group: None,
            }),
            Particle::Element(ElementDecl { name: "typeLogementPossede", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_LISTEMODELELOGEMENT: ComplexType = ComplexType {
    name: "t_listeModeleLogement",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "modeleLogement", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 1, max: Max::Unbounded }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_LISTEHANDICAP: ComplexType = ComplexType {
    name: "t_listeHandicap",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "handicap", ty: TypeRef::Complex(&CT_T_HANDICAP), min: 0, max: Max::Unbounded }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_HANDICAP: ComplexType = ComplexType {
    name: "t_handicap",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "dateNaissance", ty: TypeRef::Complex(&CT_T_DATE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "referent", ty: TypeRef::Complex(&CT_T_REFERENT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "compAutreNature", ty: TypeRef::Complex(&CT_T_COMPAUTRENATURE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "etatHandicap", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "capaciteMarcheHandicap", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "accompagne", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "handicapMoteur", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "handicapSensoriel", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "handicapAutre", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "listeNatureHandicapSensoriel", ty: TypeRef::Complex(&CT_T_LISTENATUREHANDICAPSENSORIEL), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "listeNatureHandicapMoteur", ty: TypeRef::Complex(&CT_T_LISTENATUREHANDICAPMOTEUR), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "listeAideTechniqueHandicap", ty: TypeRef::Complex(&CT_T_LISTEAIDETECHNIQUEHANDICAP), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "listeEquipementHandicap", ty: TypeRef::Complex(&CT_T_LISTEEQUIPEMENTHANDICAP), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "besoinParticulier", ty: TypeRef::Complex(&CT_T_BESOINPARTICULIER), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "besoinAutre", ty: TypeRef::Complex(&CT_T_BESOINAUTRE), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_REFERENT: ComplexType = ComplexType {
    name: "t_referent",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "handicapReconnu", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "procheDomicile", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "nom", ty: TypeRef::Complex(&CT_T_NOMREFERENT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "adresse", ty: TypeRef::Complex(&CT_T_ADRESSEREFERENT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "tel", ty: TypeRef::Complex(&CT_T_TEL), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "mel", ty: TypeRef::Complex(&CT_T_MEL), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_LISTENATUREHANDICAPSENSORIEL: ComplexType = ComplexType {
    name: "t_listeNatureHandicapSensoriel",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "natureHandicapSensoriel", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 0, max: Max::Unbounded }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_LISTENATUREHANDICAPMOTEUR: ComplexType = ComplexType {
    name: "t_listeNatureHandicapMoteur",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "natureHandicapMoteur", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 0, max: Max::Unbounded }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_LISTEAIDETECHNIQUEHANDICAP: ComplexType = ComplexType {
    name: "t_listeAideTechniqueHandicap",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "aideTechniqueHandicap", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 0, max: Max::Unbounded }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_LISTEEQUIPEMENTHANDICAP: ComplexType = ComplexType {
    name: "t_listeEquipementHandicap",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "equipementHandicap", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 0, max: Max::Unbounded }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_RENOUVELLEMENT: ComplexType = ComplexType {
    name: "t_renouvellement",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "dateRenouvellement", ty: TypeRef::Complex(&CT_T_DATE), min: 1, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_RADIATION: ComplexType = ComplexType {
    name: "t_radiation",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "dateRadiation", ty: TypeRef::Complex(&CT_T_DATE), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "motifRadiation", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "sousMotifIrrecevabilite", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "absenceReponse", ty: TypeRef::Complex(&CT_T_ABSENCEREPONSE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "attributionLogement", ty: TypeRef::Complex(&CT_T_ATTRIBUTIONLOGEMENT), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_ABSENCEREPONSE: ComplexType = ComplexType {
    name: "t_absenceReponse",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "dateCourrier", ty: TypeRef::Complex(&CT_T_DATE), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_ATTRIBUTIONLOGEMENT: ComplexType = ComplexType {
    name: "t_attributionLogement",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "dateSignatureBail", ty: TypeRef::Complex(&CT_T_DATE), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "dejaLogeParcBailleur", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "numeroRpls", ty: TypeRef::Complex(&CT_T_NUMERORPLS), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "attribueEnComDALO", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "accordCollectif", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "typeReservataire", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "codeSirenBailleur", ty: TypeRef::Complex(&CT_T_CODESIRENBAILLEUR), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "zus", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "typeLogement", ty: TypeRef::Complex(&CT_T_CODEELEMENT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "surface", ty: TypeRef::Complex(&CT_T_SURFACE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "montantLoyer", ty: TypeRef::Complex(&CT_T_MONTANTLOYER), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "adresse", ty: TypeRef::Complex(&CT_T_ADRESSEATTRIBUTION), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_ADRESSEATTRIBUTION: ComplexType = ComplexType {
    name: "t_adresseAttribution",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "appartement", ty: TypeRef::Complex(&CT_T_APPARTEMENT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "etage", ty: TypeRef::Complex(&CT_T_ETAGE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "escalier", ty: TypeRef::Complex(&CT_T_ESCALIER), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "batiment", ty: TypeRef::Complex(&CT_T_BATIMENT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "compAdresse", ty: TypeRef::Complex(&CT_T_COMPADRESSE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "numero", ty: TypeRef::Complex(&CT_T_NUMERO), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "voie", ty: TypeRef::Complex(&CT_T_VOIE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "lieuDit", ty: TypeRef::Complex(&CT_T_LIEUDIT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "codePostal", ty: TypeRef::Complex(&CT_T_CODEPOSTAL), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "commune", ty: TypeRef::Complex(&CT_T_COMMUNE), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_LISTEANOMALIE: ComplexType = ComplexType {
    name: "t_listeAnomalie",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "anomalie", ty: TypeRef::Complex(&CT_T_ANOMALIE), min: 0, max: Max::Unbounded }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[],
};

pub(super) static CT_T_ANOMALIE: ComplexType = ComplexType {
    name: "t_anomalie",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "complement", ty: TypeRef::Complex(&CT_T_COMPLEMENTANOMALIE), min: 0, max: Max::Unbounded }),
            Particle::Element(ElementDecl { name: "message", ty: TypeRef::Simple(&ST_T_MESSAGEANOMALIE), min: 1, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "code", ns: None, ty: &ST__CODEANOMALIE, required: true, fixed: None },
        AttributeDecl { name: "propriete", ns: None, ty: &ST__PROPRIETEANOMALIE, required: false, fixed: None },
    ],
};

pub(super) static CT_T_BOOLEAN: ComplexType = ComplexType {
    name: "t_boolean",
    content: Content::Simple(&XS_BOOLEAN),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_DATETIME: ComplexType = ComplexType {
    name: "t_dateTime",
    content: Content::Simple(&XS_DATETIME),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_DATE: ComplexType = ComplexType {
    name: "t_date",
    content: Content::Simple(&XS_DATE),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_TEL: ComplexType = ComplexType {
    name: "t_tel",
    content: Content::Simple(&ST__TEL),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_MEL: ComplexType = ComplexType {
    name: "t_mel",
    content: Content::Simple(&ST__MEL),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_NUMGUICHET: ComplexType = ComplexType {
    name: "t_numGuichet",
    content: Content::Simple(&ST__NUMGUICHET),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_NUMUNIQUE: ComplexType = ComplexType {
    name: "t_numUnique",
    content: Content::Simple(&ST__NUMUNIQUE),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_REFINTERNE: ComplexType = ComplexType {
    name: "t_refInterne",
    content: Content::Simple(&ST__REFINTERNE),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_PRECISION: ComplexType = ComplexType {
    name: "t_precision",
    content: Content::Simple(&ST__PRECISION),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_MONTANTLOYER: ComplexType = ComplexType {
    name: "t_montantLoyer",
    content: Content::Simple(&ST__MONTANTLOYER),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_QUARTIER: ComplexType = ComplexType {
    name: "t_quartier",
    content: Content::Simple(&ST__QUARTIER),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_COMPAUTREMOTIF: ComplexType = ComplexType {
    name: "t_compAutreMotif",
    content: Content::Simple(&ST__COMPAUTREMOTIF),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_NOMASSOCIATION: ComplexType = ComplexType {
    name: "t_nomAssociation",
    content: Content::Simple(&ST__NOMASSOCIATION),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_BATIMENT: ComplexType = ComplexType {
    name: "t_batiment",
    content: Content::Simple(&ST__BATIMENT),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_ESCALIER: ComplexType = ComplexType {
    name: "t_escalier",
    content: Content::Simple(&ST__ESCALIER),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_ETAGE: ComplexType = ComplexType {
    name: "t_etage",
    content: Content::Simple(&ST__ETAGE),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_APPARTEMENT: ComplexType = ComplexType {
    name: "t_appartement",
    content: Content::Simple(&ST__APPARTEMENT),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_NUMERO: ComplexType = ComplexType {
    name: "t_numero",
    content: Content::Simple(&ST__NUMERO),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_VOIE: ComplexType = ComplexType {
    name: "t_voie",
    content: Content::Simple(&ST__VOIE),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_COMPADRESSE: ComplexType = ComplexType {
    name: "t_compAdresse",
    content: Content::Simple(&ST__COMPADRESSE),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_LIEUDIT: ComplexType = ComplexType {
    name: "t_lieuDit",
    content: Content::Simple(&ST__LIEUDIT),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_CODEPOSTAL: ComplexType = ComplexType {
    name: "t_codePostal",
    content: Content::Simple(&ST__CODEPOSTAL),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_CODEPOSTALETRANGER: ComplexType = ComplexType {
    name: "t_codePostalEtranger",
    content: Content::Simple(&ST__CODEPOSTALETRANGER),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_COMMUNEETRANGER: ComplexType = ComplexType {
    name: "t_communeEtranger",
    content: Content::Simple(&ST__COMMUNEETRANGER),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_PAYS: ComplexType = ComplexType {
    name: "t_pays",
    content: Content::Simple(&ST__PAYS),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_NOMHEBERGEANT: ComplexType = ComplexType {
    name: "t_nomHebergeant",
    content: Content::Simple(&ST__NOMHEBERGEANT),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_NOMDEMANDEUR: ComplexType = ComplexType {
    name: "t_nomDemandeur",
    content: Content::Simple(&ST__NOMDEMANDEUR),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_NOMPATRONYMIQUE: ComplexType = ComplexType {
    name: "t_nomPatronymique",
    content: Content::Simple(&ST__NOMPATRONYMIQUE),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_PRENOMDEMANDEUR: ComplexType = ComplexType {
    name: "t_prenomDemandeur",
    content: Content::Simple(&ST__PRENOMDEMANDEUR),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_PROFESSION: ComplexType = ComplexType {
    name: "t_profession",
    content: Content::Simple(&ST__PROFESSION),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_NOMEMPLOYEURPRINCIPAL: ComplexType = ComplexType {
    name: "t_nomEmployeurPrincipal",
    content: Content::Simple(&ST__NOMEMPLOYEURPRINCIPAL),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_NOMORGANISMECOLLECTEUR: ComplexType = ComplexType {
    name: "t_nomOrganismeCollecteur",
    content: Content::Simple(&ST__NOMORGANISMECOLLECTEUR),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_ANNEEFISCALE: ComplexType = ComplexType {
    name: "t_anneeFiscale",
    content: Content::Simple(&ST__ANNEEFISCALE),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_MONTANTFISCAL: ComplexType = ComplexType {
    name: "t_montantFiscal",
    content: Content::Simple(&ST__MONTANTFISCAL),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_MONTANTRESSOURCE: ComplexType = ComplexType {
    name: "t_montantRessource",
    content: Content::Simple(&ST__MONTANTRESSOURCE),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_NOMACHARGE: ComplexType = ComplexType {
    name: "t_nomACharge",
    content: Content::Simple(&ST__NOMACHARGE),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_PRENOMACHARGE: ComplexType = ComplexType {
    name: "t_prenomACharge",
    content: Content::Simple(&ST__PRENOMACHARGE),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_NOMBREANAITRE: ComplexType = ComplexType {
    name: "t_nombreANaitre",
    content: Content::Simple(&ST__NOMBREANAITRE),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_COMPNOMORGBAILLEUR: ComplexType = ComplexType {
    name: "t_compNomOrgBailleur",
    content: Content::Simple(&ST__COMPNOMORGBAILLEUR),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_COMPNOMSTRUCTURE: ComplexType = ComplexType {
    name: "t_compNomStructure",
    content: Content::Simple(&ST__COMPNOMSTRUCTURE),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_COMPNOMCENTRE: ComplexType = ComplexType {
    name: "t_compNomCentre",
    content: Content::Simple(&ST__COMPNOMCENTRE),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_MONTANTMENSUELLOYER: ComplexType = ComplexType {
    name: "t_montantMensuelLoyer",
    content: Content::Simple(&ST__MONTANTMENSUELLOYER),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_MONTANTMENSUELAPL: ComplexType = ComplexType {
    name: "t_montantMensuelAPL",
    content: Content::Simple(&ST__MONTANTMENSUELAPL),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_NOMBREHABITANT: ComplexType = ComplexType {
    name: "t_nombreHabitant",
    content: Content::Simple(&ST__NOMBREHABITANT),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_SURFACE: ComplexType = ComplexType {
    name: "t_surface",
    content: Content::Simple(&ST__SURFACE),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_NOMREFERENT: ComplexType = ComplexType {
    name: "t_nomReferent",
    content: Content::Simple(&ST__NOMREFERENT),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_ADRESSEREFERENT: ComplexType = ComplexType {
    name: "t_adresseReferent",
    content: Content::Simple(&ST__ADRESSEREFERENT),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_COMPAUTRENATURE: ComplexType = ComplexType {
    name: "t_compAutreNature",
    content: Content::Simple(&ST__COMPAUTRENATURE),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_BESOINPARTICULIER: ComplexType = ComplexType {
    name: "t_besoinParticulier",
    content: Content::Simple(&ST__BESOINPARTICULIER),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_BESOINAUTRE: ComplexType = ComplexType {
    name: "t_besoinAutre",
    content: Content::Simple(&ST__BESOINAUTRE),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_NUMERORPLS: ComplexType = ComplexType {
    name: "t_numeroRpls",
    content: Content::Simple(&ST__NUMERORPLS),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_CODESIRENBAILLEUR: ComplexType = ComplexType {
    name: "t_codeSirenBailleur",
    content: Content::Simple(&ST__CODESIRENBAILLEUR),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

pub(super) static CT_T_COMPLEMENTANOMALIE: ComplexType = ComplexType {
    name: "t_complementAnomalie",
    content: Content::Simple(&XS_ANYSIMPLETYPE),
    attributes: &[
        AttributeDecl { name: "nom", ns: None, ty: &ST__NOMCOMPLEMENT, required: false, fixed: None },
    ],
};

pub(super) static CT_LISTEDOUBLONS: ComplexType = ComplexType {
    name: "listeDoublons",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "doublon", ty: TypeRef::Complex(&CT_DOUBLON), min: 1, max: Max::Unbounded }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[],
};

pub(super) static CT_DOUBLON: ComplexType = ComplexType {
    name: "doublon",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "numUnique", ty: TypeRef::Simple(&XS_STRING), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "demandeur", ty: TypeRef::Complex(&CT_DOUBLON_DEMANDEUR), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "listeCotitulaire", ty: TypeRef::Complex(&CT_DOUBLON_LISTECOTITULAIRE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "listeLocalisationSouhaitee", ty: TypeRef::Complex(&CT_DOUBLON_LISTELOCALISATIONSOUHAITEE), min: 1, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[],
};

pub(super) static CT_DOUBLON_DEMANDEUR: ComplexType = ComplexType {
    name: "doublon_demandeur",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "civilite", ty: TypeRef::Complex(&CT_DOUBLON_CODEELEMENT), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "nom", ty: TypeRef::Simple(&XS_STRING), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "nomPatronymique", ty: TypeRef::Simple(&XS_STRING), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "prenom", ty: TypeRef::Simple(&XS_STRING), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "dateNaissance", ty: TypeRef::Simple(&XS_DATE), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "adressePostale", ty: TypeRef::Complex(&CT_DOUBLON_ADRESSE), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "adresseLogement", ty: TypeRef::Complex(&CT_DOUBLON_ADRESSE), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[],
};

pub(super) static CT_DOUBLON_CODEELEMENT: ComplexType = ComplexType {
    name: "doublon_codeElement",
    content: Content::Empty,
    attributes: &[
        AttributeDecl { name: "code", ns: None, ty: &ST_D_CODEELEMENT, required: false, fixed: None },
    ],
};

pub(super) static CT_DOUBLON_CODECOMMUNE: ComplexType = ComplexType {
    name: "doublon_codeCommune",
    content: Content::Empty,
    attributes: &[
        AttributeDecl { name: "code", ns: None, ty: &ST__CODECOMMUNE, required: false, fixed: None },
    ],
};

pub(super) static CT_DOUBLON_ADRESSE: ComplexType = ComplexType {
    name: "doublon_adresse",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "etranger", ty: TypeRef::Simple(&XS_BOOLEAN), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "appartement", ty: TypeRef::Simple(&XS_STRING), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "etage", ty: TypeRef::Simple(&XS_STRING), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "escalier", ty: TypeRef::Simple(&XS_STRING), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "batiment", ty: TypeRef::Simple(&XS_STRING), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "compAdresse", ty: TypeRef::Simple(&XS_STRING), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "numero", ty: TypeRef::Simple(&XS_STRING), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "voie", ty: TypeRef::Simple(&XS_STRING), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "lieuDit", ty: TypeRef::Simple(&XS_STRING), min: 0, max: Max::Bounded(1) }),
            Particle::Choice(ModelGroup {
                items: &[
                    Particle::Sequence(ModelGroup {
                        items: &[
                            Particle::Element(ElementDecl { name: "codePostal", ty: TypeRef::Simple(&XS_STRING), min: 0, max: Max::Bounded(1) }),
                            Particle::Element(ElementDecl { name: "commune", ty: TypeRef::Complex(&CT_DOUBLON_CODECOMMUNE), min: 0, max: Max::Bounded(1) }),
                        ],
                        min: 1, max: Max::Bounded(1), group: Some("doublon_groupeLocalite"),
                    }),
                    Particle::Sequence(ModelGroup {
                        items: &[
                            Particle::Element(ElementDecl { name: "codePostalEtranger", ty: TypeRef::Simple(&XS_STRING), min: 0, max: Max::Bounded(1) }),
                            Particle::Element(ElementDecl { name: "communeEtranger", ty: TypeRef::Simple(&XS_STRING), min: 0, max: Max::Bounded(1) }),
                            Particle::Element(ElementDecl { name: "pays", ty: TypeRef::Simple(&XS_STRING), min: 0, max: Max::Bounded(1) }),
                        ],
                        min: 1, max: Max::Bounded(1), group: Some("doublon_groupeLocaliteEtranger"),
                    }),
                ],
                min: 1, max: Max::Bounded(1), group: None,
            }),
            Particle::Element(ElementDecl { name: "nomHebergeant", ty: TypeRef::Simple(&XS_STRING), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[],
};

pub(super) static CT_DOUBLON_LISTECOTITULAIRE: ComplexType = ComplexType {
    name: "doublon_listeCotitulaire",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "cotitulaire", ty: TypeRef::Complex(&CT_DOUBLON_COTITULAIRE), min: 1, max: Max::Unbounded }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[],
};

pub(super) static CT_DOUBLON_COTITULAIRE: ComplexType = ComplexType {
    name: "doublon_cotitulaire",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "civilite", ty: TypeRef::Complex(&CT_DOUBLON_CODEELEMENT), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "nom", ty: TypeRef::Simple(&XS_STRING), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "nomPatronymique", ty: TypeRef::Simple(&XS_STRING), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "prenom", ty: TypeRef::Simple(&XS_STRING), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "dateNaissance", ty: TypeRef::Simple(&XS_DATE), min: 1, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[],
};

pub(super) static CT_DOUBLON_LISTELOCALISATIONSOUHAITEE: ComplexType = ComplexType {
    name: "doublon_listeLocalisationSouhaitee",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "localisationSouhaitee", ty: TypeRef::Complex(&CT_DOUBLON_LOCALISATIONSOUHAITEE), min: 1, max: Max::Unbounded }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[],
};

pub(super) static CT_DOUBLON_LOCALISATIONSOUHAITEE: ComplexType = ComplexType {
    name: "doublon_localisationSouhaitee",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "commune", ty: TypeRef::Complex(&CT_DOUBLON_CODECOMMUNE), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "quartier", ty: TypeRef::Simple(&XS_STRING), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[],
};
