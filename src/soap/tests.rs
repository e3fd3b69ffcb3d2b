//! Byte-fixture tests of the codec: every request variant of CONTRACT.md §1, and round trips.

use super::*;
use crate::xml::XmlError;

const WS: &str = "http://ws.metier.nuu.application.i2/";
const ACTION: &str = "http://ws.metier.nuu.application.i2/getNumUnique";
const FILE: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ns2:interfaceNuu xmlns:ns2=\"http://nuu.application.i2/\"><entete><typeFichier>CRE</typeFichier></entete></ns2:interfaceNuu>";

fn envelope_xml(version: SoapVersion, file_href: &str, cert_href: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<S:Envelope xmlns:S=\"{}\"><S:Body><ns2:numUniqueParametres xmlns:ns2=\"{WS}\">\
<nomFichierDemande>DEM075-202401011200-000001.xml</nomFichierDemande>\
<fichierDemande><xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"{file_href}\"/></fichierDemande>\
<nomCertificat>CER075-202401011200.pem</nomCertificat>\
<certificat>\n  <xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"{cert_href}\"/>\n</certificat>\
</ns2:numUniqueParametres></S:Body></S:Envelope>",
        version.envelope_ns()
    )
}

struct P<'a> {
    headers: Vec<String>,
    body: &'a [u8],
}

fn p<'a>(headers: &[&str], body: &'a [u8]) -> P<'a> {
    P { headers: headers.iter().map(|h| h.to_string()).collect(), body }
}

fn multipart(boundary: &str, eol: &str, preamble: &str, parts: &[P<'_>]) -> Vec<u8> {
    let mut out = preamble.as_bytes().to_vec();
    if !preamble.is_empty() {
        out.extend_from_slice(eol.as_bytes());
    }
    for part in parts {
        out.extend_from_slice(format!("--{boundary}{eol}").as_bytes());
        for h in &part.headers {
            out.extend_from_slice(format!("{h}{eol}").as_bytes());
        }
        out.extend_from_slice(eol.as_bytes());
        out.extend_from_slice(part.body);
        out.extend_from_slice(eol.as_bytes());
    }
    out.extend_from_slice(format!("--{boundary}--{eol}").as_bytes());
    out
}

/// The request a deployed Java client sends for getNumUnique.
fn field_request(eol: &str, file_encoding: &str, file_body: &[u8]) -> (String, Vec<u8>) {
    let ct = format!(
        "multipart/related; type=\"application/xop+xml\"; start=\"<rootpart@client>\"; \
         start-info=\"application/soap+xml\"; action=\"{ACTION}\"; boundary=\"MIME_boundary_42\""
    );
    let root = envelope_xml(SoapVersion::V12, "cid:file-1@client", "cid:cert-1@client");
    let body = multipart(
        "MIME_boundary_42",
        eol,
        "This is a multi-part message in MIME format",
        &[
            p(
                &[
                    "Content-Type: application/xop+xml; charset=UTF-8; type=\"application/soap+xml\"; action=\"getNumUnique\"",
                    "Content-Transfer-Encoding: 8bit",
                    "Content-ID: <rootpart@client>",
                ],
                root.as_bytes(),
            ),
            p(
                &[
                    "Content-Type: text/xml",
                    &format!("Content-Transfer-Encoding: {file_encoding}"),
                    "Content-ID: <file-1@client>",
                    "Content-Disposition: attachment; name=\"DEM075.xml\"",
                ],
                file_body,
            ),
            p(
                &[
                    "Content-Type: application/x-x509-ca-cert",
                    "Content-Transfer-Encoding: binary",
                    "content-id: <cert-1@client>",
                    "Content-Disposition: attachment",
                ],
                b"",
            ),
        ],
    );
    (ct, body)
}

fn limits() -> Limits {
    Limits::default()
}

fn check_num_unique(env: &Envelope) {
    assert_eq!(env.version, SoapVersion::V12);
    assert!(env.mtom);
    assert!(env.body.is(Some(WS), "numUniqueParametres"));
    assert_eq!(env.body.child("nomFichierDemande").unwrap().text(), "DEM075-202401011200-000001.xml");
    assert_eq!(&binary_content(env.body.child("fichierDemande").unwrap()).unwrap()[..], FILE);
    let cert = env.body.child("certificat").unwrap();
    assert_eq!(cert.children, vec![Node::Binary(Bytes::new())]);
    assert!(binary_content(cert).unwrap().is_empty());
}

#[test]
fn field_mtom_request_with_crlf() {
    let (ct, body) = field_request("\r\n", "binary", FILE);
    let env = decode(&ct, None, &body, &limits()).unwrap();
    check_num_unique(&env);
    // The multipart header's full URI is kept; the root part's bare name agrees with it.
    assert_eq!(env.action.as_deref(), Some(ACTION));
    assert_eq!(env.action_operation(), Some("getNumUnique"));
}

#[test]
fn field_mtom_request_with_bare_lf() {
    let (ct, body) = field_request("\n", "8bit", FILE);
    assert!(!body.windows(2).any(|w| w == b"\r\n"));
    let env = decode(&ct, None, &body, &limits()).unwrap();
    check_num_unique(&env);
}

#[test]
fn a_binary_part_ending_in_cr_keeps_it_under_bare_lf_framing_only() {
    let file: &[u8] = b"%PDF-1.4 ... %%EOF\r";
    let (ct, body) = field_request("\n", "binary", file);
    let env = decode(&ct, None, &body, &limits()).unwrap();
    let got = binary_content(env.body.child("fichierDemande").unwrap()).unwrap();
    assert_eq!(&got[..], file);
    // Under CRLF framing the CR before the delimiter line is the framing's own.
    let (ct, body) = field_request("\r\n", "binary", b"%%EOF");
    let env = decode(&ct, None, &body, &limits()).unwrap();
    assert_eq!(&binary_content(env.body.child("fichierDemande").unwrap()).unwrap()[..], b"%%EOF");
}

#[test]
fn base64_parts_in_any_letter_case() {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(FILE);
    // Line breaks every 76 characters, as MIME writers do.
    let wrapped: Vec<u8> = encoded.as_bytes().chunks(76).flat_map(|c| c.iter().copied().chain(*b"\r\n")).collect();
    for enc in ["base64", "BASE64", "Base64"] {
        let (ct, body) = field_request("\r\n", enc, &wrapped);
        let env = decode(&ct, None, &body, &limits()).unwrap();
        check_num_unique(&env);
    }
}

#[test]
fn broken_base64_part_error_names_the_part() {
    let (ct, body) = field_request("\r\n", "base64", b"not*base64");
    let err = decode(&ct, None, &body, &limits()).unwrap_err();
    assert!(matches!(err, SoapError::PartBase64 { .. }), "{err}");
    assert!(err.to_string().contains("file-1@client"), "{err}");
}

#[test]
fn quoted_printable_is_refused_clearly() {
    let (ct, body) = field_request("\r\n", "quoted-printable", FILE);
    let err = decode(&ct, None, &body, &limits()).unwrap_err();
    assert!(matches!(err, SoapError::UnsupportedTransferEncoding { .. }), "{err}");
    let msg = err.to_string();
    assert!(msg.contains("quoted-printable") && msg.contains("file-1@client"), "{msg}");
}

fn simple_mtom(ct_params: &str, root_headers: &[&str], root_xml: &str, attachments: &[P<'_>]) -> (String, Vec<u8>) {
    let ct = format!("multipart/related; type=\"application/xop+xml\"; boundary=\"b1\"{ct_params}");
    let mut parts = vec![p(root_headers, root_xml.as_bytes())];
    for a in attachments {
        parts.push(P { headers: a.headers.clone(), body: a.body });
    }
    (ct, multipart("b1", "\r\n", "", &parts))
}

const ROOT12: &[&str] =
    &["Content-Type: application/xop+xml; charset=UTF-8; type=\"application/soap+xml\"", "Content-ID: <root@x>"];

#[test]
fn start_with_or_without_brackets_and_root_not_first() {
    let root = envelope_xml(SoapVersion::V12, "cid:f@x", "cid:c@x");
    for start in ["; start=\"<root@x>\"", "; start=\"root@x\"", "; start=<root@x>", ""] {
        let ct = format!("multipart/related; type=\"application/xop+xml\"; boundary=\"b1\"{start}");
        // Root placed first only when `start` is absent (then the first part is the root).
        let mut parts = vec![p(&["Content-ID: <f@x>"], FILE), p(&["Content-ID: <c@x>"], b"")];
        let root_part = p(ROOT12, root.as_bytes());
        if start.is_empty() {
            parts.insert(0, root_part);
        } else {
            parts.push(root_part);
        }
        let body = multipart("b1", "\r\n", "", &parts);
        let env = decode(&ct, None, &body, &limits()).unwrap_or_else(|e| panic!("{start}: {e}"));
        check_num_unique(&env);
        assert_eq!(env.action, None);
    }
}

#[test]
fn start_naming_no_part_is_refused() {
    let root = envelope_xml(SoapVersion::V12, "cid:f@x", "cid:c@x");
    let (ct, body) = simple_mtom("; start=\"<other@x>\"", ROOT12, &root, &[]);
    assert_eq!(decode(&ct, None, &body, &limits()).unwrap_err(), SoapError::StartNotFound("other@x".into()));
}

#[test]
fn percent_encoded_and_plain_cid_references() {
    // Encoded href, plain Content-ID.
    let root = envelope_xml(SoapVersion::V12, "cid:file%201%2Fa@x", "cid:cert@x");
    let (ct, body) =
        simple_mtom("", ROOT12, &root, &[p(&["Content-ID: <file 1/a@x>"], FILE), p(&["Content-ID: cert@x"], b"")]);
    check_num_unique(&decode(&ct, None, &body, &limits()).unwrap());

    // Encoded on both sides.
    let (ct, body) = simple_mtom(
        "",
        ROOT12,
        &root,
        &[p(&["Content-ID: <file%201%2Fa@x>"], FILE), p(&["Content-ID: <cert@x>"], b"")],
    );
    check_num_unique(&decode(&ct, None, &body, &limits()).unwrap());
}

#[test]
fn dangling_cid_is_refused_naming_it() {
    let root = envelope_xml(SoapVersion::V12, "cid:f@x", "cid:nope@x");
    let (ct, body) = simple_mtom("", ROOT12, &root, &[p(&["Content-ID: <f@x>"], FILE)]);
    let err = decode(&ct, None, &body, &limits()).unwrap_err();
    assert_eq!(err, SoapError::DanglingReference("nope@x".into()));
    assert!(err.to_string().contains("nope@x"));
}

#[test]
fn unreferenced_parts_are_ignored_even_if_undecodable() {
    let root = envelope_xml(SoapVersion::V12, "cid:f@x", "cid:c@x");
    let (ct, body) = simple_mtom(
        "",
        ROOT12,
        &root,
        &[
            p(&["Content-ID: <f@x>"], FILE),
            p(&["Content-ID: <c@x>"], b""),
            p(&["Content-ID: <junk@x>", "Content-Transfer-Encoding: x-unknown"], b"???"),
        ],
    );
    check_num_unique(&decode(&ct, None, &body, &limits()).unwrap());
}

#[test]
fn action_on_root_part_only_bare_name_accepted() {
    let root = envelope_xml(SoapVersion::V12, "cid:f@x", "cid:c@x");
    let headers = [
        "Content-Type: application/xop+xml; charset=UTF-8; type=\"application/soap+xml\"; action=\"getNumUnique\"",
        "Content-ID: <root@x>",
    ];
    let (ct, body) = simple_mtom(
        "; start=\"<root@x>\"",
        &headers,
        &root,
        &[p(&["Content-ID: <f@x>"], FILE), p(&["Content-ID: <c@x>"], b"")],
    );
    let env = decode(&ct, None, &body, &limits()).unwrap();
    assert_eq!(env.action.as_deref(), Some("getNumUnique"));
    assert_eq!(env.action_operation(), Some("getNumUnique"));
}

#[test]
fn actions_naming_different_operations_are_refused() {
    let root = envelope_xml(SoapVersion::V12, "cid:f@x", "cid:c@x");
    let headers = [
        "Content-Type: application/xop+xml; type=\"application/soap+xml\"; action=\"getDemandeLogement\"",
        "Content-ID: <root@x>",
    ];
    let (ct, body) = simple_mtom(
        &format!("; action=\"{ACTION}\""),
        &headers,
        &root,
        &[p(&["Content-ID: <f@x>"], FILE), p(&["Content-ID: <c@x>"], b"")],
    );
    let err = decode(&ct, None, &body, &limits()).unwrap_err();
    assert!(matches!(err, SoapError::ActionMismatch { .. }), "{err}");
    let msg = err.to_string();
    assert!(msg.contains(ACTION) && msg.contains("getDemandeLogement"), "{msg}");
}

#[test]
fn metro_style_action_inside_start_info_and_root_type() {
    let root = envelope_xml(SoapVersion::V12, "cid:f@x", "cid:c@x");
    let headers = [
        "Content-Type: application/xop+xml;charset=utf-8;type=\"application/soap+xml;action=\\\"http://ws.metier.nuu.application.i2/getNumUnique\\\"\"",
        "Content-ID: <root@x>",
    ];
    let (ct, body) = simple_mtom(
        ";start=\"<root@x>\";start-info=\"application/soap+xml;action=\\\"http://ws.metier.nuu.application.i2/getNumUnique\\\"\"",
        &headers,
        &root,
        &[p(&["Content-ID: <f@x>"], FILE), p(&["Content-ID: <c@x>"], b"")],
    );
    let env = decode(&ct, None, &body, &limits()).unwrap();
    check_num_unique(&env);
    assert_eq!(env.action.as_deref(), Some(ACTION));
}

#[test]
fn too_many_parts_are_refused() {
    let (ct, body) = field_request("\r\n", "8bit", FILE);
    let small = Limits { max_parts: 2, ..Limits::default() };
    let err = decode(&ct, None, &body, &small).unwrap_err();
    assert_eq!(err, SoapError::TooManyParts { limit: 2 });
    assert!(err.to_string().contains("2 parties"));
}

#[test]
fn oversized_part_headers_are_refused() {
    let (ct, body) = field_request("\r\n", "8bit", FILE);
    let small = Limits { max_part_header_bytes: 64, ..Limits::default() };
    let err = decode(&ct, None, &body, &small).unwrap_err();
    assert!(matches!(err, SoapError::PartHeaderTooLarge { limit: 64, .. }), "{err}");
}

#[test]
fn doctype_in_root_part_is_refused() {
    let root = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"boom\">]>{}",
        envelope_xml(SoapVersion::V12, "cid:f@x", "cid:c@x")
            .trim_start_matches("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
    );
    let (ct, body) = simple_mtom("", ROOT12, &root, &[p(&["Content-ID: <f@x>"], FILE)]);
    let err = decode(&ct, None, &body, &limits()).unwrap_err();
    assert_eq!(err, SoapError::Xml(XmlError::Doctype));
    assert!(err.to_string().contains("DOCTYPE"));
}

#[test]
fn xml_limits_are_applied_to_the_envelope() {
    let (ct, body) = field_request("\r\n", "8bit", FILE);
    let tight =
        Limits { xml: xml::Limits { max_depth: 3, max_attributes: 32, ..xml::Limits::DEFAULT }, ..Limits::default() };
    let err = decode(&ct, None, &body, &tight).unwrap_err();
    assert_eq!(err, SoapError::Xml(XmlError::TooDeep { limit: 3 }));
    assert!(err.to_string().contains("3 niveaux"), "{err}");
}

#[test]
fn multipart_structure_errors() {
    let err = decode("multipart/related; type=\"application/xop+xml\"", None, b"", &limits()).unwrap_err();
    assert_eq!(err, SoapError::MissingBoundary);
    assert!(err.to_string().contains("boundary"));

    let ct = "multipart/related; boundary=b1";
    let err = decode(ct, None, b"no parts at all", &limits()).unwrap_err();
    assert!(matches!(err, SoapError::NoParts { .. }), "{err}");

    let err = decode(ct, None, b"--b1\r\n\r\n<x/>\r\n", &limits()).unwrap_err();
    assert!(matches!(err, SoapError::MissingClosingBoundary { .. }), "{err}");
    assert!(err.to_string().contains("--b1--"));
}

#[test]
fn soap11_mtom_takes_action_from_soapaction_header() {
    let root = envelope_xml(SoapVersion::V11, "cid:f@x", "cid:c@x");
    let headers = ["Content-Type: application/xop+xml; charset=UTF-8; type=\"text/xml\"", "Content-ID: <root@x>"];
    let (ct, body) = simple_mtom(
        "; start=\"<root@x>\"; start-info=\"text/xml\"",
        &headers,
        &root,
        &[p(&["Content-ID: <f@x>"], FILE), p(&["Content-ID: <c@x>"], b"")],
    );
    let env = decode(&ct, Some(&format!("\"{ACTION}\"")), &body, &limits()).unwrap();
    assert_eq!(env.version, SoapVersion::V11);
    assert!(env.mtom);
    assert_eq!(env.action.as_deref(), Some(ACTION));
    assert_eq!(&binary_content(env.body.child("fichierDemande").unwrap()).unwrap()[..], FILE);
}

fn inline_request(version: SoapVersion) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(FILE);
    let (first, rest) = b64.split_at(40);
    format!(
        "<soapenv:Envelope xmlns:soapenv=\"{}\"><soapenv:Header/><soapenv:Body>\
<ws:numUniqueParametres xmlns:ws=\"{WS}\"><nomFichierDemande>DEM.xml</nomFichierDemande>\
<fichierDemande>\n {first}\r\n\t{rest}\n</fichierDemande><nomCertificat/><certificat></certificat>\
</ws:numUniqueParametres></soapenv:Body></soapenv:Envelope>",
        version.envelope_ns()
    )
}

fn check_inline(env: &Envelope, version: SoapVersion) {
    assert_eq!(env.version, version);
    assert!(!env.mtom);
    assert!(env.header.is_some());
    assert!(env.body.is(Some(WS), "numUniqueParametres"));
    assert_eq!(&binary_content(env.body.child("fichierDemande").unwrap()).unwrap()[..], FILE);
    assert!(binary_content(env.body.child("certificat").unwrap()).unwrap().is_empty());
}

#[test]
fn soap11_text_xml_with_soapaction_quoted_unquoted_or_empty() {
    let req = inline_request(SoapVersion::V11);
    for (header, expected) in [
        (Some("\"http://ws.metier.nuu.application.i2/getNumUnique\""), Some(ACTION)),
        (Some("http://ws.metier.nuu.application.i2/getNumUnique"), Some(ACTION)),
        (Some("\"\""), None),
        (Some(""), None),
        (None, None),
    ] {
        let env = decode("text/xml; charset=utf-8", header, req.as_bytes(), &limits()).unwrap();
        check_inline(&env, SoapVersion::V11);
        assert_eq!(env.action.as_deref(), expected, "{header:?}");
        assert_eq!(env.action_operation(), expected.map(|_| "getNumUnique"));
    }
}

#[test]
fn soap12_plain_with_inline_base64_and_action_parameter() {
    let req = inline_request(SoapVersion::V12);
    let ct = format!("application/soap+xml;charset=UTF-8;action=\"{ACTION}\"");
    let env = decode(&ct, None, req.as_bytes(), &limits()).unwrap();
    check_inline(&env, SoapVersion::V12);
    assert_eq!(env.action_operation(), Some("getNumUnique"));

    let env = decode("Application/SOAP+XML", None, req.as_bytes(), &limits()).unwrap();
    assert_eq!(env.action, None);

    // A SOAPAction header that contradicts the action parameter.
    let err = decode(&ct, Some("urn:x#getDoublons"), req.as_bytes(), &limits()).unwrap_err();
    assert!(matches!(err, SoapError::ActionMismatch { .. }), "{err}");
    // ... or agrees with it through a fragment.
    let env = decode(&ct, Some("urn:x#getNumUnique"), req.as_bytes(), &limits()).unwrap();
    assert_eq!(env.action.as_deref(), Some(ACTION));
}

#[test]
fn version_mismatch_between_transport_and_envelope() {
    let v11 = inline_request(SoapVersion::V11);
    let err = decode("application/soap+xml", None, v11.as_bytes(), &limits()).unwrap_err();
    assert_eq!(err.fault().code, FaultCode::VersionMismatch);
    assert!(err.to_string().contains("version SOAP incohérente"), "{err}");
    let v12 = inline_request(SoapVersion::V12);
    let err = decode("text/xml", None, v12.as_bytes(), &limits()).unwrap_err();
    assert!(err.to_string().contains("version SOAP incohérente"), "{err}");

    // Multipart labelled 1.1 in start-info and the root type (node-soap does this for every
    // package) but carrying a 1.2 envelope: the envelope decides.
    let root = envelope_xml(SoapVersion::V12, "cid:f@x", "cid:c@x");
    let (ct, body) = simple_mtom(
        "; start-info=\"text/xml\"",
        &["Content-Type: application/xop+xml; type=\"text/xml\""],
        &root,
        &[p(&["Content-ID: <f@x>"], FILE), p(&["Content-ID: <c@x>"], b"")],
    );
    let env = decode(&ct, None, &body, &limits()).unwrap();
    assert_eq!(env.version, SoapVersion::V12);
    check_num_unique(&env);
}

#[test]
fn unknown_envelope_namespace_and_unsupported_content_type() {
    let doc = b"<e:Envelope xmlns:e=\"urn:not-soap\"><e:Body><w/></e:Body></e:Envelope>";
    let err = decode("application/soap+xml", None, doc, &limits()).unwrap_err();
    assert!(err.to_string().contains("urn:not-soap"), "{err}");

    let err = decode("application/json", None, b"{}", &limits()).unwrap_err();
    assert!(matches!(err, SoapError::UnsupportedContentType(_)));
    assert!(err.to_string().contains("application/json"));
    assert_eq!(decode("", None, b"", &limits()).unwrap_err(), SoapError::MissingContentType);
}

#[test]
fn body_with_two_children_is_refused() {
    let doc = format!("<S:Envelope xmlns:S=\"{SOAP12_NS}\"><S:Body><a/><b/></S:Body></S:Envelope>");
    let err = decode("application/soap+xml", None, doc.as_bytes(), &limits()).unwrap_err();
    assert_eq!(err, SoapError::BodyChildren { count: 2 });
    let doc = format!("<S:Envelope xmlns:S=\"{SOAP12_NS}\"><S:Body/></S:Envelope>");
    let err = decode("application/soap+xml", None, doc.as_bytes(), &limits()).unwrap_err();
    assert_eq!(err, SoapError::BodyChildren { count: 0 });
}

#[test]
fn xop_include_outside_multipart_is_refused() {
    let doc = envelope_xml(SoapVersion::V12, "cid:f@x", "cid:c@x");
    let err = decode("application/soap+xml", None, doc.as_bytes(), &limits()).unwrap_err();
    assert_eq!(err, SoapError::IncludeOutsideMultipart);
}

#[test]
fn include_mixed_with_text_or_bad_href_is_refused() {
    let mixed =
        envelope_xml(SoapVersion::V12, "cid:f@x", "cid:c@x").replace("<fichierDemande>", "<fichierDemande>oops");
    let (ct, body) = simple_mtom("", ROOT12, &mixed, &[p(&["Content-ID: <f@x>"], FILE)]);
    let err = decode(&ct, None, &body, &limits()).unwrap_err();
    assert_eq!(err, SoapError::IncludeMixedContent { element: "fichierDemande".into() });

    let bad = envelope_xml(SoapVersion::V12, "http://elsewhere/f", "cid:c@x");
    let (ct, body) = simple_mtom("", ROOT12, &bad, &[]);
    assert!(matches!(
        decode(&ct, None, &body, &limits()),
        Err(SoapError::BadIncludeHref(h)) if h == "http://elsewhere/f"
    ));
}

#[test]
fn binary_content_errors_name_the_element() {
    let el = xml::parse(b"<fichierDemande><x/></fichierDemande>", xml::Limits::default()).unwrap();
    assert_eq!(binary_content(&el).unwrap_err(), SoapError::NotBinary { element: "fichierDemande".into() });
    let el = xml::parse(b"<certificat>@@@</certificat>", xml::Limits::default()).unwrap();
    let err = binary_content(&el).unwrap_err();
    assert!(err.to_string().contains("certificat"), "{err}");
    // Missing padding is tolerated.
    let el = xml::parse(b"<c>aGVsbG8</c>", xml::Limits::default()).unwrap();
    assert_eq!(&binary_content(&el).unwrap()[..], b"hello");
}

#[test]
fn action_operation_takes_the_last_segment() {
    let mut env = decode(
        "application/soap+xml",
        None,
        format!("<S:Envelope xmlns:S=\"{SOAP12_NS}\"><S:Body><w/></S:Body></S:Envelope>").as_bytes(),
        &limits(),
    )
    .unwrap();
    assert_eq!(env.action_operation(), None);
    for (action, op) in [
        (ACTION, Some("getNumUnique")),
        ("\"urn:svc#listerEvenementsDemande\"", Some("listerEvenementsDemande")),
        ("getNumUnique", Some("getNumUnique")),
        ("http://x/op/", Some("op")),
        ("\"\"", None),
    ] {
        env.action = Some(action.into());
        assert_eq!(env.action_operation(), op, "{action}");
    }
}

// ---- Round trips -------------------------------------------------------------------------

const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n\x00\xff\xfe trailer";

fn response() -> OutMessage {
    OutMessage {
        ns: WS.into(),
        wrapper: "numUniqueReponse".into(),
        children: vec![
            OutChild::Text { name: "nomFichierDemande".into(), value: "DEM<075>&\"é\".xml".into() },
            OutChild::Binary {
                name: "fichierDemande".into(),
                data: Bytes::from_static(FILE),
                content_type: "application/xml".into(),
                kind: BinaryKind::Xml,
            },
            OutChild::Text { name: "nomAttestation".into(), value: "ATT.pdf".into() },
            OutChild::Binary {
                name: "attestation".into(),
                data: Bytes::from_static(PDF),
                content_type: "application/pdf".into(),
                kind: BinaryKind::Opaque,
            },
            OutChild::Binary {
                name: "vide".into(),
                data: Bytes::new(),
                content_type: "application/octet-stream".into(),
                kind: BinaryKind::Opaque,
            },
        ],
    }
}

fn check_round_trip(version: SoapVersion, mtom: bool) -> Encoded {
    let enc = encode_response(version, mtom, &response());
    let env = decode(&enc.content_type, None, &enc.body, &limits())
        .unwrap_or_else(|e| panic!("{version:?} mtom={mtom}: {e}"));
    assert_eq!(env.version, version);
    assert_eq!(env.mtom, mtom);
    assert!(env.body.is(Some(WS), "numUniqueReponse"));
    let names: Vec<_> = env.body.elements().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["nomFichierDemande", "fichierDemande", "nomAttestation", "attestation", "vide"]);
    assert!(env.body.elements().all(|e| e.ns.is_none()));
    assert_eq!(env.body.child("nomFichierDemande").unwrap().text(), "DEM<075>&\"é\".xml");
    assert_eq!(&binary_content(env.body.child("fichierDemande").unwrap()).unwrap()[..], FILE);
    assert_eq!(&binary_content(env.body.child("attestation").unwrap()).unwrap()[..], PDF);
    assert!(binary_content(env.body.child("vide").unwrap()).unwrap().is_empty());
    enc
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

#[test]
fn round_trip_plain_soap12_and_soap11() {
    let enc = check_round_trip(SoapVersion::V12, false);
    assert_eq!(enc.content_type, "application/soap+xml; charset=utf-8");
    let text = std::str::from_utf8(&enc.body).unwrap();
    assert!(text.contains(&format!("<soap:Envelope xmlns:soap=\"{SOAP12_NS}\">")), "{text}");
    assert!(text.contains(&format!("<ns2:numUniqueReponse xmlns:ns2=\"{WS}\">")), "{text}");
    assert!(!text.contains("xop:Include"));

    let enc = check_round_trip(SoapVersion::V11, false);
    assert_eq!(enc.content_type, "text/xml; charset=utf-8");
    assert!(contains(&enc.body, format!("<soap:Envelope xmlns:soap=\"{SOAP11_NS}\">").as_bytes()));
}

#[test]
fn round_trip_mtom_soap12_xml_raw_and_pdf_base64() {
    let enc = check_round_trip(SoapVersion::V12, true);
    let ct = &enc.content_type;
    assert!(ct.starts_with("multipart/related; type=\"application/xop+xml\"; boundary=\"uuid:"), "{ct}");
    assert!(ct.contains("; start=\"<rootpart*") && ct.contains("@sne-gateway>\""), "{ct}");
    assert!(ct.ends_with("; start-info=\"application/soap+xml\""), "{ct}");

    // Clients search the raw answer for the business file and decode it all as UTF-8 text.
    assert!(contains(&enc.body, b"<ns2:interfaceNuu"));
    let text = std::str::from_utf8(&enc.body).expect("MTOM answer must be valid UTF-8");
    assert!(!contains(&enc.body, PDF));
    use base64::Engine;
    let pdf_b64 = base64::engine::general_purpose::STANDARD.encode(PDF);
    assert!(text.contains(&pdf_b64[..60]), "{text}");
    assert!(text.contains("Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"));
    assert!(text.contains("Content-Type: application/xml\r\nContent-Transfer-Encoding: 8bit\r\n"));
    assert!(text.contains(
        "Content-Type: application/xop+xml; charset=utf-8; type=\"application/soap+xml\"\r\nContent-Transfer-Encoding: 8bit\r\nContent-ID: <rootpart*"
    ));
    assert!(
        text.contains("<fichierDemande><xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"cid:")
    );
    assert_eq!(text.matches("Content-ID: <").count(), 4);
    assert!(text.trim_end().ends_with("--"));
    // CRLF everywhere outside the payloads: no bare LF in the MIME framing.
    let boundary = ct.split("boundary=\"").nth(1).unwrap().split('"').next().unwrap();
    assert!(text.starts_with(&format!("--{boundary}\r\n")));
    assert!(text.ends_with(&format!("\r\n--{boundary}--\r\n")));
}

#[test]
fn round_trip_mtom_soap11() {
    let enc = check_round_trip(SoapVersion::V11, true);
    assert!(enc.content_type.ends_with("start-info=\"text/xml\""));
    assert!(contains(&enc.body, b"type=\"text/xml\"\r\n"));
}

#[test]
fn base64_attachment_lines_are_76_characters() {
    let big = Bytes::from((0..1000u32).map(|i| (i * 7 % 256) as u8).collect::<Vec<_>>());
    let msg = OutMessage {
        ns: WS.into(),
        wrapper: "w".into(),
        children: vec![OutChild::Binary {
            name: "attestation".into(),
            data: big.clone(),
            content_type: "application/pdf".into(),
            kind: BinaryKind::Opaque,
        }],
    };
    let enc = encode_response(SoapVersion::V12, true, &msg);
    let text = std::str::from_utf8(&enc.body).unwrap();
    let part = text.split("Content-Transfer-Encoding: base64\r\n").nth(1).unwrap();
    let content = part.split("\r\n\r\n").nth(1).unwrap();
    let lines: Vec<_> = content.split("\r\n").take_while(|l| !l.starts_with("--")).collect();
    assert!(lines.len() > 10);
    assert!(lines[..lines.len() - 1].iter().all(|l| l.len() == 76));
    let env = decode(&enc.content_type, None, &enc.body, &limits()).unwrap();
    assert_eq!(binary_content(env.body.child("attestation").unwrap()).unwrap(), big);
}

#[test]
fn header_blocks_marked_must_understand_are_refused_unless_addressed_elsewhere() {
    let body = "<soap:Body><ns2:w xmlns:ns2=\"urn:w\"/></soap:Body>";
    let doc = |header: &str| {
        format!("<soap:Envelope xmlns:soap=\"{SOAP12_NS}\"><soap:Header>{header}</soap:Header>{body}</soap:Envelope>")
    };
    for mu in ["1", "true"] {
        let req = doc(&format!("<s:Secu xmlns:s=\"urn:s\" soap:mustUnderstand=\"{mu}\"/>"));
        let err = decode("application/soap+xml", None, req.as_bytes(), &limits()).unwrap_err();
        assert!(matches!(err, SoapError::MustUnderstand(_)), "{err}");
        assert_eq!(err.fault().code, FaultCode::MustUnderstand);
        assert!(err.to_string().contains("urn:s"), "{err}");
    }
    // Not marked, marked false, or addressed to another role: ignored.
    for header in [
        "<s:Info xmlns:s=\"urn:s\"/>",
        "<s:Info xmlns:s=\"urn:s\" soap:mustUnderstand=\"false\"/>",
        "<s:Info xmlns:s=\"urn:s\" soap:mustUnderstand=\"true\" soap:role=\"urn:autre-noeud\"/>",
    ] {
        decode("application/soap+xml", None, doc(header).as_bytes(), &limits()).unwrap();
    }
    // SOAP 1.1 writes mustUnderstand="1" and addresses blocks with actor.
    let v11 = format!(
        "<soap:Envelope xmlns:soap=\"{SOAP11_NS}\"><soap:Header><s:Secu xmlns:s=\"urn:s\" soap:mustUnderstand=\"1\"/></soap:Header><soap:Body><w/></soap:Body></soap:Envelope>"
    );
    let err = decode("text/xml", None, v11.as_bytes(), &limits()).unwrap_err();
    let fault = encode_fault(SoapVersion::V11, false, &err.fault());
    assert!(String::from_utf8(fault.body).unwrap().contains("<faultcode>soap:MustUnderstand</faultcode>"));
}

#[test]
fn an_unknown_envelope_namespace_is_a_version_mismatch() {
    let doc = b"<e:Envelope xmlns:e=\"urn:not-soap\"><e:Body><w/></e:Body></e:Envelope>";
    let err = decode("application/soap+xml", None, doc, &limits()).unwrap_err();
    assert_eq!(err.fault().code, FaultCode::VersionMismatch);
    let fault = encode_fault(SoapVersion::V12, false, &err.fault());
    assert!(String::from_utf8(fault.body).unwrap().contains("<soap:Value>soap:VersionMismatch</soap:Value>"));
}

fn streamed_message() -> OutMessage {
    OutMessage {
        ns: WS.into(),
        wrapper: "pieceReponse".into(),
        children: vec![
            OutChild::Text { name: "nomPiece".into(), value: "piece.pdf".into() },
            OutChild::Binary {
                name: "fichierDemande".into(),
                data: Bytes::from_static(FILE),
                content_type: "application/xml".into(),
                kind: BinaryKind::Xml,
            },
            OutChild::Streamed { name: "piece".into(), content_type: "application/pdf".into() },
        ],
    }
}

/// Reads `body` through the streaming reader, fed `head`, the content in small chunks, then
/// `tail`, and returns the envelope and the bytes of the part its `piece` element names.
fn read_streamed_answer(content_type: &str, pieces: &[&[u8]]) -> (Envelope, Vec<u8>) {
    let mut decoder = StreamingDecoder::new(content_type, None, &limits(), None).unwrap();
    let mut chunks = pieces.iter().flat_map(|p| p.chunks(1000));
    let (mut envelope, mut reference, mut current, mut piece) = (None, None, false, Vec::new());
    loop {
        match decoder.next_event().unwrap() {
            Event::NeedMore => match chunks.next() {
                Some(chunk) => decoder.push(chunk),
                None => decoder.end_of_input(),
            },
            Event::Envelope(e) => {
                reference = include_reference(e.body.child("piece").unwrap());
                envelope = Some(e);
            }
            Event::PartStart(head) => current = head.is_named(reference.as_deref().unwrap()),
            Event::PartData(bytes) if current => piece.extend_from_slice(bytes),
            Event::PartData(_) | Event::PartEnd => {}
            Event::End => return (envelope.unwrap(), piece),
        }
    }
}

#[test]
fn a_streamed_answer_reads_back_with_its_content_intact() {
    use rand::{RngCore, SeedableRng};
    let mut big = vec![0u8; 300_000];
    rand::rngs::StdRng::seed_from_u64(7).fill_bytes(&mut big);
    for version in [SoapVersion::V12, SoapVersion::V11] {
        let answer = encode_streamed_response(version, &streamed_message());
        let ct = &answer.content_type;
        assert!(ct.starts_with("multipart/related; type=\"application/xop+xml\"; boundary=\"uuid:"), "{ct}");
        assert!(ct.ends_with(&format!("; start-info=\"{}\"", version.media_type())), "{ct}");
        let boundary = ct.split("boundary=\"").nth(1).unwrap().split('"').next().unwrap();
        let head = std::str::from_utf8(&answer.head).unwrap();
        assert!(head.starts_with(&format!("--{boundary}\r\n")), "{head}");
        let last = head.rsplit(&format!("--{boundary}\r\n")).next().unwrap();
        assert!(
            last.starts_with("Content-Type: application/pdf\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <"),
            "{head}"
        );
        assert!(head.ends_with("@sne-gateway>\r\n\r\n"), "{head}");
        assert!(head.contains("<piece><xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"cid:"));
        assert_eq!(answer.tail, format!("\r\n--{boundary}--\r\n").into_bytes());

        let d = format!("--{boundary}");
        let contents: Vec<Vec<u8>> = vec![
            Vec::new(),
            PDF.to_vec(),
            b"\r".to_vec(),
            b"\r\n".to_vec(),
            b"x\r\n\r".to_vec(),
            format!("\r\n{}", &d[..d.len() - 1]).into_bytes(),
            format!("{d}x\r\n{d}-\r\n{d} x\n\r\n{}", &d[..d.len() - 1]).into_bytes(),
            format!("\r\n--uuid:{}\r\n", "0".repeat(36)).into_bytes(),
            big.clone(),
        ];
        for content in contents {
            let body = [&answer.head[..], &content, &answer.tail].concat();
            let env = decode(ct, None, &body, &limits()).unwrap_or_else(|e| panic!("{version:?} {content:?}: {e}"));
            assert_eq!((env.version, env.mtom), (version, true));
            assert_eq!(env.body.child("nomPiece").unwrap().text(), "piece.pdf");
            assert_eq!(&binary_content(env.body.child("fichierDemande").unwrap()).unwrap()[..], FILE);
            assert_eq!(binary_content(env.body.child("piece").unwrap()).unwrap(), content);

            let (env, piece) = read_streamed_answer(ct, &[&answer.head, &content, &answer.tail]);
            assert_eq!(piece, content);
            assert_eq!(env.body.child("nomPiece").unwrap().text(), "piece.pdf");
        }
    }
    // A fresh boundary for every answer.
    assert_ne!(
        encode_streamed_response(SoapVersion::V12, &streamed_message()).content_type,
        encode_streamed_response(SoapVersion::V12, &streamed_message()).content_type
    );
}

#[test]
fn a_streamed_child_is_written_empty_by_the_whole_answer_writer() {
    for mtom in [false, true] {
        let enc = encode_response(SoapVersion::V12, mtom, &streamed_message());
        let env = decode(&enc.content_type, None, &enc.body, &limits()).unwrap();
        assert!(binary_content(env.body.child("piece").unwrap()).unwrap().is_empty());
        assert_eq!(&binary_content(env.body.child("fichierDemande").unwrap()).unwrap()[..], FILE);
    }
}
