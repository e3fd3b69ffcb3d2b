// Generated from schemas/InterfaceNuu_v0201.xsd, schemas/Doublon_V0200.xsd by src/contract/codegen; do not edit by hand. Run UPDATE_GENERATED=1 cargo test generated_code_is_fresh

#![allow(dead_code)]

use crate::contract::xsd::*;
use super::schema_common::*;

/// Schema InterfaceNuu_v0201.xsd + Doublon_V0200.xsd (target namespace http://nuu.application.i2/, version 02.01).
pub static SCHEMA: Schema = Schema {
    namespace: "http://nuu.application.i2/",
    version: "02.01",
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
            Particle::Element(ElementDecl { name: "informationTraitement", ty: TypeRef::Complex(&CT_T_INFORMATIONTRAITEMENT), min: 0, max: Max::Bounded(1) }),
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
            Particle::Element(ElementDecl { name: "dateDerniereModificationPiece", ty: TypeRef::Complex(&CT_T_DATE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "incrementFichier", ty: TypeRef::Simple(&XS_STRING), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

static CT_T_INFORMATIONTRAITEMENT: ComplexType = ComplexType {
    name: "t_informationTraitement",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "estDelaiAnormalementLong", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "estMultiplesAttributionsSousConditions", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "dateCalculIndicateur", ty: TypeRef::Complex(&CT_T_DATETIME), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

static CT_T_PERSONNEPHYSIQUE: ComplexType = ComplexType {
    name: "t_personnePhysique",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "demandeur", ty: TypeRef::Complex(&CT_T_DEMANDEUR), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "adresseLogement", ty: TypeRef::Complex(&CT_T_ADRESSELOGEMENT), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "listePersonneACharge", ty: TypeRef::Complex(&CT_T_LISTEPERSONNEACHARGE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "personneANaitre", ty: TypeRef::Complex(&CT_T_PERSONNEANAITRE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "listePersonneEnGarde", ty: TypeRef::Complex(&CT_T_LISTEPERSONNEENGARDE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "listeCotitulaire", ty: TypeRef::Complex(&CT_T_LISTECOTITULAIRE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "logementActuel", ty: TypeRef::Complex(&CT_T_LOGEMENTACTUEL), min: 1, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};

static CT_T_DEMANDEUR: ComplexType = ComplexType {
    name: "t_demandeur",
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
            Particle::Element(ElementDecl { name: "mel", ty: TypeRef::Complex(&CT_T_MEL), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "notifSms", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "notifEvt", ty: TypeRef::Complex(&CT_T_BOOLEAN), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "adressePostale", ty: TypeRef::Complex(&CT_T_ADRESSE), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "situationProfessionnelle", ty: TypeRef::Complex(&CT_T_SITUATIONPROFESSIONNELLE), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "revenuFiscal", ty: TypeRef::Complex(&CT_T_REVENUFISCAL), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "listeRessourceRecue", ty: TypeRef::Complex(&CT_T_LISTERESSOURCE), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "listeRessourceVersee", ty: TypeRef::Complex(&CT_T_LISTERESSOURCE), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "listeRessourceRecuePersACharge", ty: TypeRef::Complex(&CT_T_LISTERESSOURCE), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "listeRessourceVerseePersACharge", ty: TypeRef::Complex(&CT_T_LISTERESSOURCE), min: 1, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "modifie", ns: Some("http://nuu.application.i2/"), ty: &XS_BOOLEAN, required: false, fixed: None },
    ],
};
