// Generated from schemas/PieceJustificativeImplService.xsd by src/contract/codegen; do not edit by hand. Run UPDATE_GENERATED=1 cargo test generated_code_is_fresh

//! Categories of supporting documents (enumeration `codeCategorie`).

use crate::contract::piece::Categorie;

/// Every category, in the schema's order.
pub static CATEGORIES: &[Categorie] = &[
    Categorie { code: "IDENTITE", libelle: "Pièce d'identité (carte nationale d'identité, passeport, carte de résident)", sensible: false },
    Categorie { code: "SEJOUR", libelle: "Titre de séjour, ou récépissé de sa demande", sensible: false },
    Categorie { code: "NAISSANCE", libelle: "Acte de naissance ou livret de famille", sensible: false },
    Categorie { code: "MARIAGE", libelle: "Mariage ou pacte civil de solidarité (acte, attestation d'enregistrement)", sensible: false },
    Categorie { code: "SEPARATION", libelle: "Séparation ou divorce (jugement, ordonnance, convention homologuée)", sensible: true },
    Categorie { code: "GROSSESSE", libelle: "Certificat de grossesse", sensible: true },
    Categorie { code: "AVISIMPOT", libelle: "Avis d'imposition ou de non-imposition", sensible: false },
    Categorie { code: "REVENUS", libelle: "Revenus de l'année en cours (bulletins de salaire, pensions, indemnités de chômage)", sensible: false },
    Categorie { code: "PRESTATION", libelle: "Prestations sociales et familiales (attestation de la CAF ou de la MSA)", sensible: false },
    Categorie { code: "EMPLOI", libelle: "Situation professionnelle (contrat de travail, attestation d'employeur, carte d'étudiant)", sensible: false },
    Categorie { code: "LOGEMENT", libelle: "Logement actuel (bail et quittance, attestation d'hébergement)", sensible: false },
    Categorie { code: "EXPULSION", libelle: "Procédure d'expulsion (commandement de quitter les lieux, jugement)", sensible: true },
    Categorie { code: "INDIGNE", libelle: "Logement indigne, insalubre ou en péril (arrêté, constat)", sensible: false },
    Categorie { code: "HANDICAP", libelle: "Handicap ou perte d'autonomie (carte mobilité inclusion, décision de la MDPH)", sensible: true },
    Categorie { code: "SANTE", libelle: "État de santé (certificat médical)", sensible: true },
    Categorie { code: "VIOLENCE", libelle: "Violences au sein du couple ou de la famille (ordonnance de protection, récépissé de plainte)", sensible: true },
    Categorie { code: "TRAVAIL", libelle: "Rapprochement du lieu de travail (attestation d'employeur, promesse d'embauche)", sensible: false },
    Categorie { code: "AUTREMOTIF", libelle: "Autre justificatif du motif de la demande", sensible: false },
];
