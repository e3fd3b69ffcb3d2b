//! Operations: recognise the body wrapper, read the parameters, apply them to the registry, write
//! the response. One file per operation family. This is the edge where SOAP values become
//! registry newtypes and registry results become contract files.
//!
//! Caller mistakes become `Sender` faults (technical) or anomalies in the returned file
//! (business); our own failures become `Receiver` faults with an opaque text, the cause logged.

mod demande_logement;
mod parametres;

use crate::registry::{Guichet, Registry};
use crate::soap::{Envelope, Fault, FaultCode, FaultDetail, OutMessage};

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
    /// The configuration key of a limit the carried file hit.
    pub limite: Option<&'static str>,
}

impl Contexte<'_> {
    pub(crate) fn bilan(&self) -> std::sync::MutexGuard<'_, Bilan> {
        self.bilan.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records the anomaly codes returned to the caller.
    pub(crate) fn anomalies(&self, anomalies: &[crate::contract::Anomalie]) {
        self.bilan().anomalies.extend(anomalies.iter().map(|a| a.code.clone()));
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

/// The Body wrappers of the service, as the SOAP layer checks them before building anything.
pub fn wrappers() -> crate::soap::Wrappers<'static> {
    static WRAPPERS: std::sync::LazyLock<Vec<(&str, &str)>> =
        std::sync::LazyLock::new(|| OPERATIONS.iter().map(|(w, _)| (NS_METIER, *w)).collect());
    &WRAPPERS
}

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

fn faute_appelant(message: String) -> Fault {
    faute(FaultCode::Sender, message)
}

/// Our own failure: the caller gets an opaque text, the log gets the cause.
fn faute_interne(cause: &dyn std::error::Error) -> Fault {
    tracing::error!(erreur = %cause, "échec interne");
    faute(FaultCode::Receiver, "Erreur interne de la passerelle ; réessayez plus tard.".to_string())
}

impl Operation {
    /// Recognises the operation from the body wrapper and checks the action agrees with it.
    pub fn reconnaitre(env: &Envelope) -> Result<Operation, Fault> {
        let body = &env.body;
        let Some((_, nom)) = OPERATIONS.iter().find(|(w, _)| body.ns.as_deref() == Some(NS_METIER) && body.name == *w)
        else {
            return Err(faute_appelant(format!(
                "Opération inconnue : élément {{{}}}{} dans le corps SOAP",
                extrait(body.ns.as_deref().unwrap_or("")),
                extrait(&body.name)
            )));
        };
        // The action is either the bare operation name or the contract's soapAction URI; an
        // action under another prefix names some other service's operation.
        if let Some(action) = env.action.as_deref().map(|a| a.trim().trim_matches('"').trim()) {
            let designe = action.strip_prefix(ACTION_PREFIX).unwrap_or(action);
            if !action.is_empty() && designe != *nom {
                return Err(faute_appelant(format!(
                    "Action SOAP incohérente : l'action {} ne désigne pas l'opération {nom} du corps ({}) ; attendu {ACTION_PREFIX}{nom}",
                    extrait(action),
                    body.name
                )));
            }
        }
        match *nom {
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
    pub async fn executer(self, ctx: &Contexte<'_>) -> Result<OutMessage, Fault> {
        match self {
            Operation::GetNumUnique(p) => p.executer(ctx).await,
            Operation::GetDemandeLogement(p) => p.executer(ctx).await,
            Operation::GetDoublons(p) => p.executer(ctx).await,
            Operation::GetDeclarationNouveauDalo(p) => p.executer(ctx).await,
            Operation::GetDemandesRadieesDepuisLe(p) => p.executer(ctx),
            Operation::GetNouveauxDaloDepuisLe(p) => p.executer(ctx),
        }
    }
}

/// Recognises and executes the operation an envelope carries.
pub async fn executer(env: &Envelope, ctx: &Contexte<'_>) -> Result<OutMessage, Fault> {
    use tracing::Instrument;
    // The operation is named as soon as the wrapper is known, even if its parameters fail.
    ctx.bilan().operation = OPERATIONS
        .iter()
        .find(|(w, _)| env.body.ns.as_deref() == Some(NS_METIER) && env.body.name == *w)
        .map(|(_, nom)| *nom);
    if !ctx.appelant.est_enregistreur() {
        return Err(faute_appelant(format!(
            "Accès refusé : le profil {} du certificat {} ne donne pas accès au service des demandes (réservé aux guichets enregistreurs)",
            ctx.appelant.profil.nom(),
            ctx.appelant.code.as_str()
        )));
    }
    // Reading the parameters decodes inline base64.
    let op = ctx.compute.run(|| Operation::reconnaitre(env)).await?;
    let span = tracing::info_span!("operation", guichet = ctx.appelant.code.as_str(), operation = op.nom());
    op.executer(ctx).instrument(span).await
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
        }
    }
}
