// Generated from schemas/InterfaceNuuGPEvenement_v0200.xsd, schemas/domains.xsd by src/contract/codegen; do not edit by hand. Run UPDATE_GENERATED=1 cargo test generated_code_is_fresh

#![allow(dead_code)]

use crate::contract::xsd::*;

/// Schema InterfaceNuuGPEvenement_v0200.xsd + domains.xsd (target namespace http://nuu.application.i2/, version 02.00).
pub static SCHEMA: Schema = Schema {
    namespace: "http://nuu.application.i2/",
    version: "02.00",
    roots: &[
        ElementDecl { name: "interfaceNuu", ty: TypeRef::Complex(&CT_ELEMENT_INTERFACENUU), min: 1, max: Max::Bounded(1) },
    ],
};

// Simple types.

static PAT_T_VERSION: Pattern = Pattern::new("[0-9]{2}\\.[0-9]{2}", "^(?:[0-9]{2}\\.[0-9]{2})$");
static ST_T_VERSION: SimpleType = SimpleType { name: "t_version", base: Builtin::String, max_length: None, pattern: Some(&PAT_T_VERSION), min_inclusive: None, max_inclusive: None, enumeration: &[] };
static ST_T_STRING6: SimpleType = SimpleType { name: "t_string6", base: Builtin::String, max_length: Some(6), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
static ST_T_STRING10: SimpleType = SimpleType { name: "t_string10", base: Builtin::String, max_length: Some(10), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
static ST_T_STRING36: SimpleType = SimpleType { name: "t_string36", base: Builtin::String, max_length: Some(36), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
static ST_T_STRING50: SimpleType = SimpleType { name: "t_string50", base: Builtin::String, max_length: Some(50), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
static ST_T_STRING100: SimpleType = SimpleType { name: "t_string100", base: Builtin::String, max_length: Some(100), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
static ST_T_STRING255: SimpleType = SimpleType { name: "t_string255", base: Builtin::String, max_length: Some(255), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
static ST_T_STRING500: SimpleType = SimpleType { name: "t_string500", base: Builtin::String, max_length: Some(500), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
static ST_T_STRING512: SimpleType = SimpleType { name: "t_string512", base: Builtin::String, max_length: Some(512), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
static ST_T_STRING1024: SimpleType = SimpleType { name: "t_string1024", base: Builtin::String, max_length: Some(1024), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
static ST_T_POSITIVELONG: SimpleType = SimpleType { name: "t_positiveLong", base: Builtin::Long, max_length: None, pattern: None, min_inclusive: Some(0), max_inclusive: None, enumeration: &[] };
static PAT_T_CODE1: Pattern = Pattern::new("[a-zA-Z0-9]+", "^(?:[a-zA-Z0-9]+)$");
static ST_T_CODE1: SimpleType = SimpleType { name: "t_code1", base: Builtin::String, max_length: Some(1), pattern: Some(&PAT_T_CODE1), min_inclusive: None, max_inclusive: None, enumeration: &[] };
static PAT_T_CODE3: Pattern = Pattern::new("[a-zA-Z0-9]+", "^(?:[a-zA-Z0-9]+)$");
static ST_T_CODE3: SimpleType = SimpleType { name: "t_code3", base: Builtin::String, max_length: Some(3), pattern: Some(&PAT_T_CODE3), min_inclusive: None, max_inclusive: None, enumeration: &[] };
static PAT_T_CODE4: Pattern = Pattern::new("[a-zA-Z0-9]+", "^(?:[a-zA-Z0-9]+)$");
static ST_T_CODE4: SimpleType = SimpleType { name: "t_code4", base: Builtin::String, max_length: Some(4), pattern: Some(&PAT_T_CODE4), min_inclusive: None, max_inclusive: None, enumeration: &[] };
static PAT_T_CODE5: Pattern = Pattern::new("[a-zA-Z0-9]+", "^(?:[a-zA-Z0-9]+)$");
static ST_T_CODE5: SimpleType = SimpleType { name: "t_code5", base: Builtin::String, max_length: Some(5), pattern: Some(&PAT_T_CODE5), min_inclusive: None, max_inclusive: None, enumeration: &[] };
static PAT_T_CODE10: Pattern = Pattern::new("[a-zA-Z0-9]+", "^(?:[a-zA-Z0-9]+)$");
static ST_T_CODE10: SimpleType = SimpleType { name: "t_code10", base: Builtin::String, max_length: Some(10), pattern: Some(&PAT_T_CODE10), min_inclusive: None, max_inclusive: None, enumeration: &[] };
static ST_T_NUMUNIQUE: SimpleType = SimpleType { name: "t_numUnique", base: Builtin::String, max_length: Some(18), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
static ST_T_NUMGUICHET: SimpleType = SimpleType { name: "t_numGuichet", base: Builtin::String, max_length: Some(5), pattern: None, min_inclusive: None, max_inclusive: None, enumeration: &[] };
static PAT_T_ADRESSEMEL: Pattern = Pattern::new("[a-zA-Z0-9]{19}@[a-zA-Z0-9]{17}\\.[a-zA-Z]{3}", "^(?:[a-zA-Z0-9]{19}@[a-zA-Z0-9]{17}\\.[a-zA-Z]{3})$");
static ST_T_ADRESSEMEL: SimpleType = SimpleType { name: "t_adressemel", base: Builtin::String, max_length: None, pattern: Some(&PAT_T_ADRESSEMEL), min_inclusive: None, max_inclusive: None, enumeration: &[] };

// Complex types.

static CT_ELEMENT_INTERFACENUU: ComplexType = ComplexType {
    name: "interfaceNuu",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "entete", ty: TypeRef::Complex(&CT_T_ENTETE), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "operation", ty: TypeRef::Complex(&CT_T_OPERATION), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "listeEvenements", ty: TypeRef::Complex(&CT_T_LISTEEVENEMENTS), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "listeAnomalies", ty: TypeRef::Complex(&CT_T_LISTEANOMALIES), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "versionInterface", ns: None, ty: &ST_T_VERSION, required: true, fixed: Some("02.00") },
    ],
};

static CT_T_ENTETE: ComplexType = ComplexType {
    name: "t_entete",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "typeFichier", ty: TypeRef::Simple(&ST_T_CODE3), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "dateFichier", ty: TypeRef::Simple(&XS_DATETIME), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "codeGuichet", ty: TypeRef::Simple(&ST_T_NUMGUICHET), min: 1, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[],
};

static CT_T_OPERATION: ComplexType = ComplexType {
    name: "t_operation",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "numUnique", ty: TypeRef::Simple(&ST_T_NUMUNIQUE), min: 1, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[],
};

static CT_T_LISTEEVENEMENTS: ComplexType = ComplexType {
    name: "t_listeEvenements",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "evenement", ty: TypeRef::Complex(&CT_T_EVENEMENT), min: 1, max: Max::Unbounded }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[],
};

static CT_T_EVENEMENT: ComplexType = ComplexType {
    name: "t_evenement",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "idEvenement", ty: TypeRef::Simple(&ST_T_POSITIVELONG), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "codeTypeEvenement", ty: TypeRef::Simple(&ST_T_CODE10), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "libelleTypeEvenement", ty: TypeRef::Simple(&ST_T_STRING100), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "auteurCreation", ty: TypeRef::Simple(&ST_T_STRING255), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "dateCreation", ty: TypeRef::Simple(&XS_DATETIME), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "auteurModification", ty: TypeRef::Simple(&ST_T_STRING255), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "dateModification", ty: TypeRef::Simple(&XS_DATETIME), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "natureModification", ty: TypeRef::Simple(&ST_T_STRING6), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "dateSurvenance", ty: TypeRef::Simple(&XS_DATE), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "commentaire", ty: TypeRef::Simple(&ST_T_STRING500), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "reglementaire", ty: TypeRef::Simple(&XS_BOOLEAN), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "listeCaracteristiquesSpecifiques", ty: TypeRef::Complex(&CT_T_LISTECARACTERISTIQUESSPECIFIQUES), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[],
};

static CT_T_LISTECARACTERISTIQUESSPECIFIQUES: ComplexType = ComplexType {
    name: "t_listeCaracteristiquesSpecifiques",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "caracteristiqueSpecifique", ty: TypeRef::Complex(&CT_T_CARACTERISTIQUESPECIFIQUE), min: 1, max: Max::Unbounded }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[],
};

static CT_T_CARACTERISTIQUESPECIFIQUE: ComplexType = ComplexType {
    name: "t_caracteristiqueSpecifique",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "code", ty: TypeRef::Simple(&ST_T_CODE10), min: 1, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "libelle", ty: TypeRef::Simple(&ST_T_STRING100), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "texteDescriptif", ty: TypeRef::Simple(&ST_T_STRING500), min: 0, max: Max::Bounded(1) }),
            Particle::Element(ElementDecl { name: "valeurCaracteristiqueSpecifique", ty: TypeRef::Simple(&ST_T_STRING100), min: 0, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[],
};

static CT_T_LISTEANOMALIES: ComplexType = ComplexType {
    name: "t_listeAnomalies",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "anomalie", ty: TypeRef::Complex(&CT_T_ANOMALIE), min: 1, max: Max::Unbounded }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[],
};

static CT_T_ANOMALIE: ComplexType = ComplexType {
    name: "t_anomalie",
    content: Content::Elements(&Particle::Sequence(ModelGroup {
        items: &[
            Particle::Element(ElementDecl { name: "message", ty: TypeRef::Simple(&ST_T_STRING512), min: 1, max: Max::Bounded(1) }),
        ],
        min: 1, max: Max::Bounded(1), group: None,
    })),
    attributes: &[
        AttributeDecl { name: "code", ns: None, ty: &ST_T_STRING10, required: true, fixed: None },
    ],
};
