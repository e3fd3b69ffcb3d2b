//! SOAP faults: technical failures told to the caller.

use super::envelope::{push_text, write_envelope};
use super::{mtom, Encoded, SoapVersion};

/// Whose failure a fault reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultCode {
    /// The caller sent something wrong (SOAP 1.2 `Sender`, SOAP 1.1 `Client`).
    Sender,
    /// The gateway failed (SOAP 1.2 `Receiver`, SOAP 1.1 `Server`).
    Receiver,
    /// A header block marked `mustUnderstand` was not understood.
    MustUnderstand,
    /// The Envelope is not in a SOAP namespace this node speaks.
    VersionMismatch,
}

impl FaultCode {
    /// The code as written in a fault of `version` (SOAP 1.1 says Client/Server for Sender/Receiver).
    fn qname(self, version: SoapVersion) -> &'static str {
        match (self, version) {
            (FaultCode::Sender, SoapVersion::V12) => "soap:Sender",
            (FaultCode::Sender, SoapVersion::V11) => "soap:Client",
            (FaultCode::Receiver, SoapVersion::V12) => "soap:Receiver",
            (FaultCode::Receiver, SoapVersion::V11) => "soap:Server",
            (FaultCode::MustUnderstand, _) => "soap:MustUnderstand",
            (FaultCode::VersionMismatch, _) => "soap:VersionMismatch",
        }
    }
}

/// A fault to send back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// Sender or Receiver.
    pub code: FaultCode,
    /// Human-readable reason, in French.
    pub reason: String,
    /// The contract's detail element, when the caller names one.
    pub detail: Option<FaultDetail>,
}

/// The Detail of a fault: `<ns2:ELEMENT xmlns:ns2="NS"><message>...</message></ns2:ELEMENT>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultDetail {
    /// Namespace of the detail element.
    pub ns: String,
    /// Local name of the detail element (e.g. `demandeLogementException`).
    pub element: String,
    /// Text of its unqualified `message` child.
    pub message: String,
}

impl Fault {
    /// A fault without detail.
    pub fn new(code: FaultCode, reason: impl Into<String>) -> Fault {
        Fault { code, reason: reason.into(), detail: None }
    }

    /// Adds a detail element `{ns}element` whose message repeats the reason.
    pub fn with_detail(mut self, ns: impl Into<String>, element: impl Into<String>) -> Fault {
        self.detail = Some(FaultDetail { ns: ns.into(), element: element.into(), message: self.reason.clone() });
        self
    }
}

/// Writes `fault` as a SOAP envelope of `version`; as a one-part MTOM message when `mtom`.
pub fn encode_fault(version: SoapVersion, mtom: bool, fault: &Fault) -> Encoded {
    let envelope = write_envelope(version, |out| write_fault(out, version, fault));
    if mtom {
        mtom::write::write_multipart(version, envelope, Vec::new())
    } else {
        Encoded { content_type: super::plain_content_type(version), body: envelope }
    }
}

fn write_fault(out: &mut Vec<u8>, version: SoapVersion, fault: &Fault) {
    out.extend_from_slice(b"<soap:Fault>");
    match version {
        SoapVersion::V12 => {
            out.extend_from_slice(b"<soap:Code><soap:Value>");
            out.extend_from_slice(fault.code.qname(version).as_bytes());
            out.extend_from_slice(b"</soap:Value></soap:Code>");
            out.extend_from_slice(b"<soap:Reason><soap:Text xml:lang=\"fr\">");
            push_text(out, &fault.reason);
            out.extend_from_slice(b"</soap:Text></soap:Reason>");
            if let Some(detail) = &fault.detail {
                out.extend_from_slice(b"<soap:Detail>");
                write_detail(out, detail);
                out.extend_from_slice(b"</soap:Detail>");
            }
        }
        SoapVersion::V11 => {
            // SOAP 1.1 fault children are unqualified.
            out.extend_from_slice(b"<faultcode>");
            out.extend_from_slice(fault.code.qname(version).as_bytes());
            out.extend_from_slice(b"</faultcode><faultstring>");
            push_text(out, &fault.reason);
            out.extend_from_slice(b"</faultstring>");
            if let Some(detail) = &fault.detail {
                out.extend_from_slice(b"<detail>");
                write_detail(out, detail);
                out.extend_from_slice(b"</detail>");
            }
        }
    }
    out.extend_from_slice(b"</soap:Fault>");
}

fn write_detail(out: &mut Vec<u8>, detail: &FaultDetail) {
    out.extend_from_slice(b"<ns2:");
    out.extend_from_slice(detail.element.as_bytes());
    out.extend_from_slice(b" xmlns:ns2=\"");
    super::envelope::push_attr(out, &detail.ns);
    out.extend_from_slice(b"\"><message>");
    push_text(out, &detail.message);
    out.extend_from_slice(b"</message></ns2:");
    out.extend_from_slice(detail.element.as_bytes());
    out.push(b'>');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::soap::envelope::{SOAP11_NS, SOAP12_NS};
    use crate::xml::{self, Element};

    const NS: &str = "http://ws.metier.nuu.application.i2/";

    fn fault() -> Fault {
        Fault::new(FaultCode::Sender, "opération « x » inconnue & refusée").with_detail(NS, "demandeLogementException")
    }

    fn body_child(bytes: &[u8]) -> Element {
        let env = xml::parse(bytes, xml::Limits::default()).unwrap();
        let body = env.child("Body").unwrap();
        let first = body.elements().next().unwrap().clone();
        first
    }

    #[test]
    fn soap12_fault_has_code_reason_and_detail() {
        let enc = encode_fault(SoapVersion::V12, false, &fault());
        assert_eq!(enc.content_type, "application/soap+xml; charset=utf-8");
        let text = String::from_utf8(enc.body.clone()).unwrap();
        assert!(text.contains("<soap:Value>soap:Sender</soap:Value>"), "{text}");
        assert!(text.contains("<soap:Text xml:lang=\"fr\">"), "{text}");
        assert!(
            text.contains("<ns2:demandeLogementException xmlns:ns2=\"http://ws.metier.nuu.application.i2/\"><message>")
        );

        let f = body_child(&enc.body);
        assert!(f.is(Some(SOAP12_NS), "Fault"));
        let names: Vec<_> = f.elements().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Code", "Reason", "Detail"]);
        assert_eq!(f.child("Code").unwrap().child("Value").unwrap().text(), "soap:Sender");
        let t = f.child("Reason").unwrap().child("Text").unwrap();
        assert_eq!(t.text(), "opération « x » inconnue & refusée");
        assert_eq!(t.attributes[0].name, "lang");
        assert_eq!(t.attributes[0].value, "fr");
        let d = f.child("Detail").unwrap().elements().next().unwrap();
        assert!(d.is(Some(NS), "demandeLogementException"));
        let m = d.child("message").unwrap();
        assert_eq!(m.ns, None);
        assert_eq!(m.text(), "opération « x » inconnue & refusée");
    }

    #[test]
    fn soap12_receiver_without_detail() {
        let enc = encode_fault(SoapVersion::V12, false, &Fault::new(FaultCode::Receiver, "panne"));
        let f = body_child(&enc.body);
        assert_eq!(f.child("Code").unwrap().child("Value").unwrap().text(), "soap:Receiver");
        assert!(f.child("Detail").is_none());
    }

    #[test]
    fn soap11_fault_uses_faultcode_faultstring_detail() {
        let enc = encode_fault(SoapVersion::V11, false, &fault());
        assert_eq!(enc.content_type, "text/xml; charset=utf-8");
        let f = body_child(&enc.body);
        assert!(f.is(Some(SOAP11_NS), "Fault"));
        let names: Vec<_> = f.elements().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["faultcode", "faultstring", "detail"]);
        assert!(f.elements().all(|e| e.ns.is_none()));
        assert_eq!(f.child("faultcode").unwrap().text(), "soap:Client");
        let d = f.child("detail").unwrap().elements().next().unwrap();
        assert!(d.is(Some(NS), "demandeLogementException"));

        let enc = encode_fault(SoapVersion::V11, false, &Fault::new(FaultCode::Receiver, "panne"));
        assert_eq!(body_child(&enc.body).child("faultcode").unwrap().text(), "soap:Server");
    }

    #[test]
    fn mtom_fault_is_a_one_part_multipart_that_decodes() {
        let enc = encode_fault(SoapVersion::V12, true, &fault());
        assert!(enc.content_type.starts_with("multipart/related; type=\"application/xop+xml\""));
        let text = String::from_utf8(enc.body.clone()).unwrap();
        assert_eq!(text.matches("Content-ID:").count(), 1, "{text}");
        let env = crate::soap::decode(&enc.content_type, None, &enc.body, &Default::default()).unwrap();
        assert!(env.mtom);
        assert!(env.body.is(Some(SOAP12_NS), "Fault"));
    }

    #[test]
    fn decoding_errors_are_sender_faults() {
        let f = crate::soap::SoapError::MissingBoundary.fault();
        assert_eq!(f.code, FaultCode::Sender);
        assert!(f.reason.contains("boundary"));
        let f = f.with_detail(NS, "demandeLogementException");
        assert_eq!(f.detail.unwrap().message, f.reason);
    }
}
