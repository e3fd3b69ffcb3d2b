//! Operations: recognise the body wrapper, read the parameters, apply them to the registry, write
//! the response. One file per operation family. This is the edge where SOAP values become
//! registry newtypes and registry results become contract files.
//!
//! Caller mistakes become `Sender` faults (technical) or anomalies in the returned file
//! (business); our own failures become `Receiver` faults with an opaque text, the cause logged.

mod demande_logement;
mod fichier_xml;
mod gestion_evenements;
mod lisible;
mod parametres;
mod piece_justificative;
mod recherche_demande;

/// What [`lire_message`] lays out, and where a path leads in it.
pub use crate::xml::{Indente, Place};
pub use demande_logement::{
    extrait_du_fichier, faits_du_fichier, faits_recherche, foyer_du_fichier, personnes_du_fichier,
};
pub use lisible::{lire_message, FichierLu, MessageLu, Texte};
pub use piece_justificative::{DepotEnCours, Fichier};

use crate::registry::{Guichet, Registry};
use crate::soap::{Envelope, Fault, FaultCode, FaultDetail, OutMessage};

/// The services the gateway serves, each with its wrapper table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// `DemandeLogementImplService`, the national application service.
    DemandeLogement,
    /// `PieceJustificativeImplService`, the dossier unique (added by the gateway).
    PieceJustificative,
    /// `RechercheDemandeImplService`, the multi-criteria search.
    RechercheDemande,
    /// `GestionPartageeEVTImplService`, the shared events of applications.
    GestionPartageeEvt,
}

impl Service {
    /// The service served under `/services/<nom>/`.
    pub fn nomme(nom: &str) -> Option<Service> {
        match nom {
            "DemandeLogementImplService" => Some(Service::DemandeLogement),
            "PieceJustificativeImplService" => Some(Service::PieceJustificative),
            "RechercheDemandeImplService" => Some(Service::RechercheDemande),
            "GestionPartageeEVTImplService" => Some(Service::GestionPartageeEvt),
            _ => None,
        }
    }

    /// (wrapper, operation) pairs of the service's WSDL.
    fn operations(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Service::DemandeLogement => OPERATIONS,
            Service::PieceJustificative => piece_justificative::OPERATIONS,
            Service::RechercheDemande => recherche_demande::OPERATIONS,
            Service::GestionPartageeEvt => gestion_evenements::OPERATIONS,
        }
    }

    /// The service's name, as faults name it.
    fn nom(self) -> &'static str {
        match self {
            Service::DemandeLogement => "DemandeLogementImplService",
            Service::PieceJustificative => "PieceJustificativeImplService",
            Service::RechercheDemande => "RechercheDemandeImplService",
            Service::GestionPartageeEvt => "GestionPartageeEVTImplService",
        }
    }

    /// The Body wrappers of the service, as the SOAP layer checks them before building anything.
    pub fn wrappers(self) -> crate::soap::Wrappers<'static> {
        static DEMANDE: std::sync::LazyLock<Vec<(&str, &str)>> =
            std::sync::LazyLock::new(|| OPERATIONS.iter().map(|(w, _)| (NS_METIER, *w)).collect());
        static PIECE: std::sync::LazyLock<Vec<(&str, &str)>> =
            std::sync::LazyLock::new(|| piece_justificative::OPERATIONS.iter().map(|(w, _)| (NS_METIER, *w)).collect());
        static FICHIER_XML: &[(&str, &str)] = &[(NS_METIER, fichier_xml::WRAPPER)];
        match self {
            Service::DemandeLogement => &DEMANDE,
            Service::PieceJustificative => &PIECE,
            Service::RechercheDemande | Service::GestionPartageeEvt => FICHIER_XML,
        }
    }

    /// The operation an envelope stands for in this service: its wrapper's, or, where several
    /// operations share the wrapper, the one its action names.
    fn operation_de(self, env: &Envelope) -> Result<&'static str, Fault> {
        let body = &env.body;
        let candidates: Vec<&'static str> = self
            .operations()
            .iter()
            .filter(|(w, _)| body.ns.as_deref() == Some(NS_METIER) && body.name == *w)
            .map(|(_, nom)| *nom)
            .collect();
        match candidates[..] {
            [] => {
                let mut attendus: Vec<String> =
                    self.operations().iter().map(|(w, _)| format!("{{{NS_METIER}}}{w}")).collect();
                attendus.dedup();
                Err(faute_appelant(format!(
                    "Opération inconnue : élément {{{}}}{} dans le corps SOAP de {} (attendus : {})",
                    extrait(body.ns.as_deref().unwrap_or("")),
                    extrait(&body.name),
                    self.nom(),
                    attendus.join(", ")
                )))
            }
            [seule] => Ok(seule),
            _ => {
                let possibles = candidates.iter().map(|c| format!("{ACTION_PREFIX}{c}")).collect::<Vec<_>>().join(", ");
                match env.action_operation() {
                    None => Err(faute_appelant(format!(
                        "Action SOAP absente : l'élément {} sert à plusieurs opérations de {} ; l'action (paramètre action du Content-Type en SOAP 1.2, en-tête SOAPAction en SOAP 1.1) choisit parmi : {possibles}",
                        body.name,
                        self.nom()
                    ))),
                    Some(a) => candidates.iter().find(|c| **c == a).copied().ok_or_else(|| {
                        faute_appelant(format!(
                            "Action SOAP inconnue : {} ne désigne aucune opération de {} ; actions possibles : {possibles}",
                            extrait(env.action.as_deref().unwrap_or(a)),
                            self.nom()
                        ))
                    }),
                }
            }
        }
    }
}

/// What an operation answers.
pub enum Reponse {
    /// A message built whole.
    Message(OutMessage),
    /// A message whose last child, a binary, is streamed from `contenu` (`getPiece`).
    Flux {
        /// The message without that child.
        message: OutMessage,
        /// The binary child's element name.
        element: &'static str,
        /// Its MIME type.
        content_type: String,
        /// Its size in bytes.
        taille: u64,
        /// Its bytes, read as they are sent.
        contenu: Box<dyn std::io::Read + Send>,
    },
}

impl std::fmt::Debug for Reponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reponse::Message(m) => f.debug_tuple("Message").field(m).finish(),
            Reponse::Flux { message, taille, .. } => {
                f.debug_struct("Flux").field("message", message).field("taille", taille).finish_non_exhaustive()
            }
        }
    }
}

/// Namespace of the operation wrappers.
pub const NS_METIER: &str = "http://ws.metier.nuu.application.i2/";
/// Prefix of every soapAction.
pub const ACTION_PREFIX: &str = "http://ws.metier.nuu.application.i2/";

/// What an operation may use.
pub struct Contexte<'a> {
    /// The registry.
    pub registry: &'a Registry,
    /// The authenticated counter.
    pub appelant: &'a Guichet,
    /// Limits for the business files carried in the request.
    pub limites_xml: crate::xml::Limits,
    /// Where CPU-heavy steps (reading the file, validating, writing rejections) run.
    pub compute: &'a crate::compute::Compute,
    /// What the operation came to, for the caller's log line and metrics.
    pub bilan: &'a std::sync::Mutex<Bilan>,
}

/// What an operation came to, beyond its answer: its name, the anomaly codes it returned, the
/// limit a carried file hit. Codes and names only, never personal data.
#[derive(Debug, Default)]
pub struct Bilan {
    /// The operation recognised.
    pub operation: Option<&'static str>,
    /// Codes of the anomalies returned.
    pub anomalies: Vec<String>,
    /// The anomalies returned, for the counter's exchange view (never logged: a message may
    /// quote the file).
    pub details: Vec<crate::contract::Anomalie>,
    /// `typeFichier` of the file carried, when the operation has one.
    pub type_fichier: Option<String>,
    /// The configuration key of a limit the carried file hit.
    pub limite: Option<&'static str>,
    /// The answer repeats an earlier registration (a `CRE`/`CRS` retried with the same
    /// `refInterne`): the same number, a new access code on the certificate.
    pub reprise: bool,
}

impl Contexte<'_> {
    pub(crate) fn bilan(&self) -> std::sync::MutexGuard<'_, Bilan> {
        self.bilan.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records the anomaly codes returned to the caller.
    pub(crate) fn anomalies(&self, anomalies: &[crate::contract::Anomalie]) {
        let mut bilan = self.bilan();
        bilan.anomalies.extend(anomalies.iter().map(|a| a.code.clone()));
        bilan.details.extend(anomalies.iter().cloned());
    }
}

/// Every operation the gateway executes, with its parameters read.
#[derive(Debug)]
pub enum Operation {
    /// `getNumUnique` (register, modify, renew, radiate... per `typeFichier`).
    GetNumUnique(demande_logement::NumUniqueParametres),
    /// `getDemandeLogement`.
    GetDemandeLogement(demande_logement::DemandeLogementParametres),
    /// `getDoublons`.
    GetDoublons(demande_logement::RechercheDoublonsParametres),
    /// `getDeclarationNouveauDalo`.
    GetDeclarationNouveauDalo(demande_logement::DeclarationNouveauDaloParametres),
    /// `getDemandesRadieesDepuisLe`.
    GetDemandesRadieesDepuisLe(demande_logement::DemandesRadieesDepuisLeParametres),
    /// `getNouveauxDaloDepuisLe`.
    GetNouveauxDaloDepuisLe(demande_logement::NouveauxDaloDepuisLeParametres),
    /// `deposerPiece` and `deposerLotPieces`.
    DeposerPieces(piece_justificative::DepotParametres),
    /// `listerPieces`.
    ListerPieces(piece_justificative::ListerPiecesParametres),
    /// `getPiece`.
    GetPiece(piece_justificative::IdPieceParametres),
    /// `qualifierPiece`.
    QualifierPiece(piece_justificative::QualifierPieceParametres),
    /// `supprimerPiece`.
    SupprimerPiece(piece_justificative::IdPieceParametres),
    /// `getEtatDossier`.
    GetEtatDossier(piece_justificative::EtatDossierParametres),
    /// `rechercheDemandeMulticritere`.
    RechercheDemandeMulticritere(fichier_xml::FichierXmlParametres),
    /// `listerTypesEvenementsNationaux` (`false`) and `listerTypesEvenementsTerritoriaux`.
    ListerTypesEvenements(fichier_xml::FichierXmlParametres, bool),
    /// The four operations on an application's events, by name.
    Evenements(fichier_xml::FichierXmlParametres, &'static str),
}

/// Operations of the WSDL by wrapper.
const OPERATIONS: &[(&str, &str)] = &[
    ("numUniqueParametres", "getNumUnique"),
    ("demandeLogementParametres", "getDemandeLogement"),
    ("rechercheDoublonsParametres", "getDoublons"),
    ("declarationNouveauDaloParametres", "getDeclarationNouveauDalo"),
    ("demandesRadieesDepuisLeParametres", "getDemandesRadieesDepuisLe"),
    ("nouveauxDaloDepuisLeParametres", "getNouveauxDaloDepuisLe"),
];

/// A technical fault of the application service, with its `demandeLogementException` detail.
pub fn faute(code: FaultCode, message: String) -> Fault {
    Fault {
        code,
        reason: message.clone(),
        detail: Some(FaultDetail {
            ns: NS_METIER.to_string(),
            element: "demandeLogementException".to_string(),
            message,
        }),
    }
}

/// What a fault quotes of a caller's value.
pub(crate) fn extrait(s: &str) -> String {
    crate::text::extrait(s, 100)
}

/// A registry message as a sentence: its first letter upper-case.
pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn faute_appelant(message: String) -> Fault {
    faute(FaultCode::Sender, message)
}

/// Our own failure: the caller gets an opaque text, the log gets the cause.
fn faute_interne(cause: &dyn std::error::Error) -> Fault {
    tracing::error!(erreur = %cause, "échec interne");
    faute_inattendue()
}

/// The national server's sentence for its own failures, which deployed clients look for anywhere
/// in an answer (CONTRACT §1): the Reason of every `Receiver` fault that is our failure.
pub const ERREUR_INATTENDUE: &str = "Une erreur inattendue est survenue lors du traitement de la demande.";

/// A `Receiver` fault for our own failure: the national sentence and nothing else (the cause is
/// logged with the request id, never sent).
pub fn faute_inattendue() -> Fault {
    faute(FaultCode::Receiver, ERREUR_INATTENDUE.to_string())
}

impl Operation {
    /// Recognises the operation of `service` from the body wrapper and checks the action agrees
    /// with it; `fichier` says where a deposit's contents are.
    pub fn reconnaitre(
        service: Service,
        env: &Envelope,
        ctx: &Contexte<'_>,
        fichier: &(dyn Fn(&crate::xml::Element) -> Result<Fichier, Fault> + Sync),
    ) -> Result<Operation, Fault> {
        let body = &env.body;
        let nom = service.operation_de(env)?;
        // The action is either the bare operation name or the contract's soapAction URI; an
        // action under another prefix names some other service's operation.
        if let Some(action) = env.action.as_deref().map(|a| a.trim().trim_matches('"').trim()) {
            let designe = action.strip_prefix(ACTION_PREFIX).unwrap_or(action);
            if !action.is_empty() && designe != nom {
                return Err(faute_appelant(format!(
                    "Action SOAP incohérente : l'action {} ne désigne pas l'opération {nom} du corps ({}) ; attendu {ACTION_PREFIX}{nom}",
                    extrait(action),
                    body.name
                )));
            }
        }
        let max_par_lot = ctx.registry.regles_pieces().limites.max_par_lot;
        match nom {
            "deposerPiece" | "deposerLotPieces" => Ok(Operation::DeposerPieces(
                piece_justificative::DepotParametres::lire(body, nom == "deposerLotPieces", max_par_lot, fichier)?,
            )),
            "listerPieces" => Ok(Operation::ListerPieces(piece_justificative::ListerPiecesParametres::lire(body)?)),
            "getPiece" => Ok(Operation::GetPiece(piece_justificative::IdPieceParametres::lire(body)?)),
            "qualifierPiece" => {
                Ok(Operation::QualifierPiece(piece_justificative::QualifierPieceParametres::lire(body)?))
            }
            "supprimerPiece" => Ok(Operation::SupprimerPiece(piece_justificative::IdPieceParametres::lire(body)?)),
            "getEtatDossier" => Ok(Operation::GetEtatDossier(piece_justificative::EtatDossierParametres::lire(body)?)),
            "rechercheDemandeMulticritere" => {
                Ok(Operation::RechercheDemandeMulticritere(fichier_xml::FichierXmlParametres::lire(body)?))
            }
            "listerTypesEvenementsNationaux" | "listerTypesEvenementsTerritoriaux" => {
                Ok(Operation::ListerTypesEvenements(
                    fichier_xml::FichierXmlParametres::lire(body)?,
                    nom == "listerTypesEvenementsTerritoriaux",
                ))
            }
            "listerEvenementsDemande"
            | "ajouterEvenementDemande"
            | "modifierEvenementDemande"
            | "supprimerEvenementDemande" => {
                Ok(Operation::Evenements(fichier_xml::FichierXmlParametres::lire(body)?, nom))
            }
            "getNumUnique" => Ok(Operation::GetNumUnique(demande_logement::NumUniqueParametres::lire(body)?)),
            "getDoublons" => Ok(Operation::GetDoublons(demande_logement::RechercheDoublonsParametres::lire(body)?)),
            "getDeclarationNouveauDalo" => Ok(Operation::GetDeclarationNouveauDalo(
                demande_logement::DeclarationNouveauDaloParametres::lire(body)?,
            )),
            "getDemandesRadieesDepuisLe" => Ok(Operation::GetDemandesRadieesDepuisLe(
                demande_logement::DemandesRadieesDepuisLeParametres::lire(body)?,
            )),
            "getNouveauxDaloDepuisLe" => {
                Ok(Operation::GetNouveauxDaloDepuisLe(demande_logement::NouveauxDaloDepuisLeParametres::lire(body)?))
            }
            _ => Ok(Operation::GetDemandeLogement(demande_logement::DemandeLogementParametres::lire(body)?)),
        }
    }

    /// Executes the operation and writes its response.
    pub async fn executer(self, ctx: &Contexte<'_>) -> Result<Reponse, Fault> {
        let message = match self {
            Operation::GetNumUnique(p) => p.executer(ctx).await,
            Operation::GetDemandeLogement(p) => p.executer(ctx).await,
            Operation::GetDoublons(p) => p.executer(ctx).await,
            Operation::GetDeclarationNouveauDalo(p) => p.executer(ctx).await,
            Operation::GetDemandesRadieesDepuisLe(p) => p.executer(ctx),
            Operation::GetNouveauxDaloDepuisLe(p) => p.executer(ctx),
            Operation::DeposerPieces(p) => p.executer(ctx).await,
            Operation::ListerPieces(p) => p.executer(ctx).await,
            Operation::GetPiece(p) => return p.lire_piece(ctx).await,
            Operation::QualifierPiece(p) => p.executer(ctx).await,
            Operation::SupprimerPiece(p) => p.supprimer(ctx).await,
            Operation::GetEtatDossier(p) => p.executer(ctx),
            Operation::RechercheDemandeMulticritere(p) => p.rechercher(ctx).await,
            Operation::ListerTypesEvenements(p, territoriaux) => p.lister_types(ctx, territoriaux).await,
            Operation::Evenements(p, operation) => p.evenements(ctx, operation).await,
        };
        message.map(Reponse::Message)
    }
}

/// Checks the caller's profile may use `service` at all, and names the operation for the log.
fn admettre(service: Service, env: &Envelope, ctx: &Contexte<'_>) -> Result<(), Fault> {
    // The operation is named as soon as the wrapper is known, even if its parameters fail.
    ctx.bilan().operation = service.operation_de(env).ok();
    if service == Service::DemandeLogement && !ctx.appelant.est_enregistreur() {
        return Err(faute_appelant(format!(
            "Accès refusé : le profil {} du certificat {} ne donne pas accès au service des demandes (réservé aux guichets enregistreurs)",
            ctx.appelant.profil.nom(),
            ctx.appelant.code.as_str()
        )));
    }
    Ok(())
}

/// Recognises and executes the operation an envelope of `service` carries (its binary contents
/// already in the envelope: the whole-message path), of `octets` bytes on the wire.
pub async fn executer(service: Service, env: &Envelope, octets: usize, ctx: &Contexte<'_>) -> Result<Reponse, Fault> {
    use tracing::Instrument;
    admettre(service, env, ctx)?;
    let en_memoire = |e: &crate::xml::Element| {
        crate::soap::binary_content(e).map(Fichier::Octets).map_err(|e| faute_appelant(e.to_string()))
    };
    // Reading the parameters decodes inline base64.
    let op = ctx.compute.run_selon(octets, || Operation::reconnaitre(service, env, ctx, &en_memoire)).await?;
    let span = tracing::info_span!("operation", guichet = ctx.appelant.code.as_str(), operation = op.nom());
    op.executer(ctx).instrument(span).await
}

/// The streamed path: for a deposit whose contents are MTOM parts still to come, reads the
/// parameters (each `fichier` naming its part by `reference`) and opens the blobs; `None` for
/// any other operation, executed with [`executer`] once the message is read.
pub async fn preparer_depot(
    service: Service,
    env: &Envelope,
    ctx: &Contexte<'_>,
    reference: &(dyn Fn(&crate::xml::Element) -> Option<String> + Sync),
) -> Result<Option<DepotEnCours>, Fault> {
    admettre(service, env, ctx)?;
    if !matches!(service.operation_de(env), Ok("deposerPiece" | "deposerLotPieces")) {
        return Ok(None);
    }
    let partie = |e: &crate::xml::Element| match reference(e) {
        Some(r) => Ok(Fichier::Partie(r)),
        None => crate::soap::binary_content(e).map(Fichier::Octets).map_err(|e| faute_appelant(e.to_string())),
    };
    match ctx.compute.run(|| Operation::reconnaitre(service, env, ctx, &partie)).await? {
        Operation::DeposerPieces(p) => Ok(Some(p.preparer(ctx).await?)),
        _ => Ok(None),
    }
}

impl Operation {
    fn nom(&self) -> &'static str {
        match self {
            Operation::GetNumUnique(_) => "getNumUnique",
            Operation::GetDemandeLogement(_) => "getDemandeLogement",
            Operation::GetDoublons(_) => "getDoublons",
            Operation::GetDeclarationNouveauDalo(_) => "getDeclarationNouveauDalo",
            Operation::GetDemandesRadieesDepuisLe(_) => "getDemandesRadieesDepuisLe",
            Operation::GetNouveauxDaloDepuisLe(_) => "getNouveauxDaloDepuisLe",
            Operation::DeposerPieces(_) => "deposerPiece",
            Operation::ListerPieces(_) => "listerPieces",
            Operation::GetPiece(_) => "getPiece",
            Operation::QualifierPiece(_) => "qualifierPiece",
            Operation::SupprimerPiece(_) => "supprimerPiece",
            Operation::GetEtatDossier(_) => "getEtatDossier",
            Operation::RechercheDemandeMulticritere(_) => "rechercheDemandeMulticritere",
            Operation::ListerTypesEvenements(_, false) => "listerTypesEvenementsNationaux",
            Operation::ListerTypesEvenements(_, true) => "listerTypesEvenementsTerritoriaux",
            Operation::Evenements(_, operation) => operation,
        }
    }
}
