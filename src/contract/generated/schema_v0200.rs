// Generated from schemas/InterfaceNuu_v0200.xsd, schemas/Doublon_V0200.xsd by src/contract/codegen; do not edit by hand. Run UPDATE_GENERATED=1 cargo test generated_code_is_fresh

#![allow(dead_code)]

use crate::contract::xsd::*;
use super::schema_common::*;

/// Schema InterfaceNuu_v0200.xsd + Doublon_V0200.xsd (target namespace http://nuu.application.i2/, version 02.00).
pub static SCHEMA: Schema = Schema {
    namespace: "http://nuu.application.i2/",
    version: "02.00",
    roots: &[
        ElementDecl { name: "interfaceNuu", ty: TypeRef::Complex(&CT_ELEMENT_INTERFACENUU), min: 1, max: Max::Bounded(1) },
        ElementDecl { name: "listeDoublons", ty: TypeRef::Complex(&CT_LISTEDOUBLONS), min: 1, max: Max::Bounded(1) },
    ],
};

// Complex types.

static CT_ELEMENT_INTERFACENUU: ComplexType = ComplexType {
    name: "interfaceNuu",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "entete", ty: TypeRef::Complex(&CT_T_ENTETE), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "demande", ty: TypeRef::Complex(&CT_T_DEMANDE), min: 1, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "versionInterface", ns: None, ty: &ST_T_VERSIONINTERFACE, required: true, fixed: None },
    ],
};

static CT_T_DEMANDE: ComplexType = ComplexType {
    name: "t_demande",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "informationDalo", ty: TypeRef::Complex(&CT_T_INFORMATIONDALO), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "demandeLogement", ty: TypeRef::Complex(&CT_T_DEMANDELOGEMENT), min: 1, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[],
};

static CT_T_DEMANDELOGEMENT: ComplexType = ComplexType {
    name: "t_demandeLogement",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "numGuichet", ty: TypeRef::Complex(&CT_T_NUMGUICHET), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "numUnique", ty: TypeRef::Complex(&CT_T_NUMUNIQUE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "numUniqueAssocie", ty: TypeRef::Complex(&CT_T_NUMUNIQUE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "refInterne", ty: TypeRef::Complex(&CT_T_REFINTERNE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "dateCreationDemande", ty: TypeRef::Complex(&CT_T_DATE), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "forcerDoublon", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "renouvellementElec", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "precision", ty: TypeRef::Complex(&CT_T_PRECISION), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "logementRecherche", ty: TypeRef::Complex(&CT_T_LOGEMENTRECHERCHE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "principauxMotifDemande", ty: TypeRef::Complex(&CT_T_PRINCIPAUXMOTIFDEMANDE), min: 0, max: Max::Bounded(1) }),
            Particle::Choice(ModelGroup {
                items: &[
                    Particle::Element(ElementDecl { name: "association", ty: TypeRef::Complex(&CT_T_ASSOCIATION), min: 1, max: Max::Bounded(1) }),
                    Particle::Element(ElementDecl { name: "personnePhysique", ty: TypeRef::Complex(&CT_T_PERSONNEPHYSIQUE), min: 1, max: Max::Bounded(1) }),
                ],
                min: 1, max: Max::Bounded(1), group: None,
            }),
            Particle::Element(ElementDecl { name: "listeHandicap", ty: TypeRef::Complex(&CT_T_LISTEHANDICAP), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "renouvellement", ty: TypeRef::Complex(&CT_T_RENOUVELLEMENT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "radiation", ty: TypeRef::Complex(&CT_T_RADIATION), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "listeAnomalie", ty: TypeRef::Complex(&CT_T_LISTEANOMALIE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "listeDoublons", ty: TypeRef::Complex(&CT_LISTEDOUBLONS), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "incrementFichier", ty: TypeRef::Simple(&XS_STRING), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};
