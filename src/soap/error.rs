//! Why a request could not be read as a SOAP message.
//!
//! Every variant is a caller error (the bytes, headers or structure sent were wrong or beyond a
//! limit), so each maps to a `Sender` fault. Messages are in French because they reach counters
//! in the fault's Reason; they name the part, element, parameter or limit at fault.

use super::fault::{Fault, FaultCode};
use crate::xml::XmlError;

/// A request refused by the SOAP layer.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum SoapError {
    /// No Content-Type header, or an empty one.
    #[error("en-tête Content-Type absent ou vide")]
    MissingContentType,
    /// A Content-Type (of the request or of a part) that cannot be parsed.
    #[error("Content-Type illisible : « {0} »")]
    MalformedContentType(String),
    /// A media type the gateway does not take as a SOAP request.
    #[error(
        "type de contenu non pris en charge : « {0} » (attendu application/soap+xml, text/xml \
         ou multipart/related de type application/xop+xml)"
    )]
    UnsupportedContentType(String),
    /// multipart/related without its `boundary` parameter.
    #[error("paramètre boundary absent du Content-Type multipart/related")]
    MissingBoundary,
    /// No part between the boundaries.
    #[error("message multipart sans aucune partie (séparateur « --{boundary} » introuvable ou suivi directement de la fermeture)")]
    NoParts {
        /// The boundary searched for.
        boundary: String,
    },
    /// The body ended before the closing `--boundary--`.
    #[error("message multipart tronqué : séparateur de fermeture « --{boundary}-- » absent")]
    MissingClosingBoundary {
        /// The boundary searched for.
        boundary: String,
    },
    /// More parts than the configured limit.
    #[error("message multipart refusé : plus de {limit} parties (limite configurée limits.max_mime_parts)")]
    TooManyParts {
        /// The configured limit.
        limit: usize,
    },
    /// A part's header block is larger than allowed.
    #[error("en-têtes de la {part} refusés : plus de {limit} octets (limite fixe de la passerelle)")]
    PartHeaderTooLarge {
        /// Which part (`partie n°N`).
        part: String,
        /// The configured limit.
        limit: usize,
    },
    /// A part header line without a colon.
    #[error("en-tête illisible dans la {part} : « {line} »")]
    MalformedPartHeader {
        /// Which part.
        part: String,
        /// The offending line (truncated).
        line: String,
    },
    /// A Content-Transfer-Encoding the gateway does not decode.
    #[error(
        "Content-Transfer-Encoding « {encoding} » non pris en charge pour la {part} \
         (acceptés : 8bit, 7bit, binary, base64)"
    )]
    UnsupportedTransferEncoding {
        /// Which part.
        part: String,
        /// The encoding as received.
        encoding: String,
    },
    /// A base64 part that does not decode.
    #[error("contenu base64 illisible dans la {part} : {reason}")]
    PartBase64 {
        /// Which part.
        part: String,
        /// What the decoder said.
        reason: String,
    },
    /// The `start` parameter names no part.
    #[error("la partie racine « {0} » désignée par le paramètre start est introuvable")]
    StartNotFound(String),
    /// A streamed upload whose first part is not the root part: its attachments would have to
    /// be held until the envelope says where they go.
    #[error(
        "envoi en flux : la partie racine « {start} » désignée par le paramètre start doit précéder les \
         pièces jointes, or la première partie reçue est la {first}"
    )]
    RootNotFirst {
        /// The `start` parameter (truncated).
        start: String,
        /// The part received first.
        first: String,
    },
    /// The root part of a streamed upload is larger than allowed.
    #[error(
        "envoi en flux : partie racine (enveloppe SOAP) refusée au-delà de {limit} octets (limite fixe de la \
         passerelle, max_root_bytes) ; les documents voyagent en pièces jointes référencées par xop:Include"
    )]
    RootTooLarge {
        /// The limit.
        limit: usize,
    },
    /// Two sources of the action name different operations.
    #[error("actions SOAP contradictoires : « {first} » et « {second} » désignent des opérations différentes")]
    ActionMismatch {
        /// The first action seen.
        first: String,
        /// The action that disagrees with it.
        second: String,
    },
    /// An `xop:Include` whose `cid:` names no part.
    #[error("xop:Include référence la partie « {0} », absente du message")]
    DanglingReference(String),
    /// An `xop:Include` without a usable `href`.
    #[error("xop:Include sans attribut href « cid:... » valide (reçu : « {0} »)")]
    BadIncludeHref(String),
    /// An `xop:Include` in a message that is not multipart.
    #[error("xop:Include présent dans un message qui n'est pas multipart/related (MTOM)")]
    IncludeOutsideMultipart,
    /// The element holding an `xop:Include` holds something else too.
    #[error("l'élément {element} contient un xop:Include mêlé à d'autre contenu")]
    IncludeMixedContent {
        /// Local name of the holding element.
        element: String,
    },
    /// The XML reader refused the root part.
    #[error("message SOAP illisible : {0}")]
    Xml(#[from] XmlError),
    /// The Body's wrapper names no operation of the service. Refused from its start tag, before
    /// the envelope is built.
    #[error("Opération inconnue : élément {{{ns}}}{name} dans le corps SOAP (attendus : {expected})")]
    UnknownOperation {
        /// Namespace of the wrapper (truncated).
        ns: String,
        /// Local name of the wrapper (truncated).
        name: String,
        /// The wrappers the service accepts.
        expected: String,
    },
    /// The root element is not `Envelope`.
    #[error("élément racine « {0} » reçu là où une Envelope SOAP était attendue")]
    NotAnEnvelope(String),
    /// A header block addressed to us and marked `mustUnderstand`.
    #[error("bloc d'en-tête SOAP {0} marqué mustUnderstand non pris en charge : la passerelle ne traite aucun bloc d'en-tête")]
    MustUnderstand(String),
    /// `Envelope` in an unknown namespace.
    #[error("espace de noms d'Envelope inconnu : « {0} » (attendu SOAP 1.1 ou SOAP 1.2)")]
    UnknownEnvelopeNamespace(String),
    /// Envelope namespace and transport disagree on the SOAP version.
    #[error("version SOAP incohérente : le transport annonce {declared}, l'Envelope est en {found}")]
    VersionMismatch {
        /// Version named by the Content-Type.
        declared: String,
        /// Version of the Envelope namespace.
        found: String,
    },
    /// An unexpected element or text directly inside the Envelope.
    #[error("contenu inattendu dans l'Envelope SOAP : {0}")]
    UnexpectedEnvelopeContent(String),
    /// No Body.
    #[error("Envelope SOAP sans élément Body")]
    MissingBody,
    /// Several Body (or Header) elements.
    #[error("Envelope SOAP avec plusieurs éléments {0}")]
    Duplicate(String),
    /// The Body does not hold exactly one element.
    #[error("le Body SOAP doit contenir exactement un élément (reçu : {count})")]
    BodyChildren {
        /// Number of child elements found.
        count: usize,
    },
    /// Character data directly in the Body.
    #[error("le Body SOAP contient du texte hors de l'élément d'opération")]
    BodyText,
    /// An element expected to hold binary content holds child elements.
    #[error("l'élément {element} doit contenir des données binaires (base64 ou xop:Include), pas des éléments")]
    NotBinary {
        /// Local name of the element.
        element: String,
    },
    /// Inline base64 that does not decode.
    #[error("contenu base64 illisible dans l'élément {element} : {reason}")]
    ElementBase64 {
        /// Local name of the element.
        element: String,
        /// What the decoder said.
        reason: String,
    },
}

impl SoapError {
    /// The configuration key of the limit this error enforces, if it is one.
    pub fn limit_key(&self) -> Option<&'static str> {
        match self {
            SoapError::Xml(e) => e.limit_key(),
            SoapError::TooManyParts { .. } => Some("limits.max_mime_parts"),
            _ => None,
        }
    }

    /// The fault answering this error: every decoding error is the caller's (`Sender`).
    ///
    /// The detail element is left to the caller, which knows the contract's fault element
    /// (see [`Fault::with_detail`]).
    pub fn fault(&self) -> Fault {
        let code = match self {
            SoapError::MustUnderstand(_) => FaultCode::MustUnderstand,
            SoapError::UnknownEnvelopeNamespace(_) | SoapError::VersionMismatch { .. } => FaultCode::VersionMismatch,
            _ => FaultCode::Sender,
        };
        Fault { code, reason: self.to_string(), detail: None }
    }
}
