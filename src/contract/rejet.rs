//! The original file sent back with its anomalies, for files that could not be typed.
//!
//! A rejected file may break its schema, so it is handled as a tree: the `listeAnomalie`
//! element is put at its schema position in `demandeLogement` and the tree is written again
//! with the file namespace under prefix `ns2`, as deployed clients expect.

use crate::xml::{self, Element, Node};

use super::runtime::{escape_into, Writer};
use super::{liste_anomalie, Anomalie, NS_FICHIER};

/// Elements that follow `listeAnomalie` in `t_demandeLogement`.
const AFTER_LISTE_ANOMALIE: &[&str] = &["listeDoublons", "dateDerniereModificationPiece", "incrementFichier"];

/// Limits for re-reading a file the caller already read under its own (stricter) limits.
const RELECTURE: xml::Limits = xml::Limits::uncounted(256, 256);

/// The original file with `listeAnomalie` inserted in (or replaced inside)
/// `interfaceNuu/demande/demandeLogement`; `None` when the file has no usable
/// `demandeLogement` (not well-formed, not XML 1.0, other root), so the caller answers otherwise.
pub fn ecrire_rejet(original: &[u8], anomalies: &[Anomalie]) -> Option<Vec<u8>> {
    ecrire_avec_blocs(original, anomalies, None)
}

/// As [`ecrire_rejet`], with `listeDoublons` (the applications this file duplicates) placed after
/// `listeAnomalie`, replacing any the file had (`None` keeps the file's own). With no anomaly and no duplicate, the original
/// file comes back rewritten, unchanged in content.
pub fn ecrire_avec_blocs(
    original: &[u8],
    anomalies: &[Anomalie],
    doublons: Option<&super::types::ListeDoublons>,
) -> Option<Vec<u8>> {
    ecrire_blocs_dans(xml::parse(original, RELECTURE).ok()?, anomalies, doublons)
}

/// As [`ecrire_avec_blocs`], on the original file's tree already read (a caller that parsed it
/// does not parse it again).
pub fn ecrire_blocs_dans(
    mut root: Element,
    anomalies: &[Anomalie],
    doublons: Option<&super::types::ListeDoublons>,
) -> Option<Vec<u8>> {
    // What the tree reader tolerates but XML does not cannot be written back as XML.
    if !root.is(Some(NS_FICHIER), "interfaceNuu") || super::conforme_xml(&root).is_err() {
        return None;
    }
    let creation = root
        .elements()
        .find(|e| e.is(Some(NS_FICHIER), "entete"))
        .and_then(|e| e.elements().find(|t| t.is(Some(NS_FICHIER), "typeFichier")))
        .is_some_and(|t| matches!(t.text().trim(), "CRE" | "CRS"));
    let demande = child_mut(&mut root, "demande")?;
    let dl = child_mut(demande, "demandeLogement")?;
    let remplace_doublons = doublons.is_some();
    dl.children.retain(|n| {
        !matches!(n, Node::Element(e) if e.is(Some(NS_FICHIER), "listeAnomalie")
            || (remplace_doublons && e.is(Some(NS_FICHIER), "listeDoublons")))
    });
    // A refused creation registered nothing: a client that reads the number before the anomalies
    // must not find one to believe in.
    if creation && !anomalies.is_empty() {
        dl.children.retain(|n| !matches!(n, Node::Element(e) if e.is(Some(NS_FICHIER), "numUnique")));
    }
    if let Some(liste) = liste_anomalie(anomalies) {
        inserer(dl, &liste, "listeAnomalie", AFTER_LISTE_ANOMALIE)?;
    }
    if let Some(liste) = doublons.filter(|l| !l.doublon.is_empty()) {
        inserer(dl, liste, "listeDoublons", &AFTER_LISTE_ANOMALIE[1..])?;
    }
    Some(ecrire_arbre(&root))
}

/// Inserts `bloc`, written as element `name`, before the first child named in `after`.
fn inserer(dl: &mut Element, bloc: &impl super::runtime::WriteXml, name: &str, after: &[&str]) -> Option<()> {
    let mut w = Writer::new();
    bloc.write_xml(&mut w, name);
    let element = xml::parse(&w.into_bytes(), RELECTURE).ok()?;
    let at = dl
        .children
        .iter()
        .position(|n| matches!(n, Node::Element(e) if e.ns.as_deref() == Some(NS_FICHIER) && after.contains(&e.name.as_str())))
        .unwrap_or(dl.children.len());
    dl.children.insert(at, Node::Element(element));
    Some(())
}

fn child_mut<'a>(e: &'a mut Element, name: &str) -> Option<&'a mut Element> {
    e.children.iter_mut().find_map(|n| match n {
        Node::Element(c) if c.is(Some(NS_FICHIER), name) => Some(c),
        _ => None,
    })
}

/// Writes a tree: the XML declaration, elements of the file namespace as `ns2:`, elements of no
/// namespace unprefixed (no default namespace is ever declared), other namespaces under
/// prefixes declared on the element that uses them.
pub(crate) fn ecrire_arbre(root: &Element) -> Vec<u8> {
    let mut buf = Vec::with_capacity(4096);
    buf.extend_from_slice(b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>");
    element(&mut buf, root, true);
    buf
}

/// The prefix for namespace `ns` (`None` for no namespace), recording foreign ones in `decls`.
fn prefix_for(ns: &Option<xml::Ns>, decls: &mut Vec<(String, String)>) -> Option<String> {
    let ns = ns.as_deref()?;
    if ns == NS_FICHIER {
        return Some("ns2".to_string());
    }
    if ns == "http://www.w3.org/XML/1998/namespace" {
        return Some("xml".to_string());
    }
    if let Some((_, p)) = decls.iter().find(|(u, _)| u == ns) {
        return Some(p.clone());
    }
    let p = format!("ns{}", decls.len() + 3);
    decls.push((ns.to_string(), p.clone()));
    Some(p)
}

fn element(buf: &mut Vec<u8>, e: &Element, root: bool) {
    let mut decls: Vec<(String, String)> = Vec::new();
    let name = match prefix_for(&e.ns, &mut decls) {
        Some(p) => format!("{p}:{}", e.name),
        None => e.name.clone(),
    };
    let mut attrs = Vec::new();
    for a in &e.attributes {
        let n = match prefix_for(&a.ns, &mut decls) {
            Some(p) => format!("{p}:{}", a.name),
            None => a.name.clone(),
        };
        attrs.push((n, a.value.as_str()));
    }
    buf.push(b'<');
    buf.extend_from_slice(name.as_bytes());
    if root {
        buf.extend_from_slice(b" xmlns:ns2=\"");
        buf.extend_from_slice(NS_FICHIER.as_bytes());
        buf.push(b'"');
    }
    for (ns, p) in &decls {
        buf.extend_from_slice(format!(" xmlns:{p}=\"").as_bytes());
        escape_into(buf, ns, true);
        buf.push(b'"');
    }
    for (n, v) in attrs {
        buf.push(b' ');
        buf.extend_from_slice(n.as_bytes());
        buf.extend_from_slice(b"=\"");
        escape_into(buf, v, true);
        buf.push(b'"');
    }
    if e.children.is_empty() {
        buf.extend_from_slice(b"/>");
        return;
    }
    buf.push(b'>');
    for c in &e.children {
        match c {
            Node::Element(c) => element(buf, c, false),
            Node::Text(t) => escape_into(buf, t, false),
            Node::Binary(b) => {
                use base64::Engine;
                buf.extend_from_slice(base64::engine::general_purpose::STANDARD.encode(b).as_bytes());
            }
        }
    }
    buf.extend_from_slice(b"</");
    buf.extend_from_slice(name.as_bytes());
    buf.push(b'>');
}

/// A minimal file for an answer that has no application to return (an unknown number in
/// `getDemandeLogement`): `entete` (typeFichier `CON`, consultation), `numGuichet`, the number
/// asked for when it is well-formed, and `listeAnomalie`. It is deliberately not schema-complete: deployed clients
/// only look for `listeAnomalie`, and inventing the missing applicant data would be worse.
pub fn ecrire_reponse_anomalies(
    num_guichet: &str,
    num_unique: Option<&str>,
    date_fichier: &super::XsDateTime,
    anomalies: &[Anomalie],
) -> Vec<u8> {
    let mut squelette = Vec::with_capacity(512);
    squelette.extend_from_slice(
        format!(
            "<ns2:interfaceNuu xmlns:ns2=\"{NS_FICHIER}\" versionInterface=\"02.01\"><ns2:entete>\
             <ns2:typeFichier>CON</ns2:typeFichier><ns2:dateFichier>{}</ns2:dateFichier></ns2:entete>\
             <ns2:demande><ns2:demandeLogement><ns2:numGuichet>",
            date_fichier.as_str()
        )
        .as_bytes(),
    );
    escape_into(&mut squelette, num_guichet, false);
    squelette.extend_from_slice(b"</ns2:numGuichet>");
    if let Some(num) = num_unique {
        squelette.extend_from_slice(b"<ns2:numUnique>");
        escape_into(&mut squelette, num, false);
        squelette.extend_from_slice(b"</ns2:numUnique>");
    }
    squelette.extend_from_slice(b"</ns2:demandeLogement></ns2:demande></ns2:interfaceNuu>");
    ecrire_rejet(&squelette, anomalies).expect("the skeleton is a well-formed interfaceNuu")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answer_without_application_carries_the_escaped_number_and_the_anomaly() {
        let a = Anomalie::new("DEM-INC", Some("interfaceNuu/demande/demandeLogement/numUnique"), "inconnue");
        let date = crate::contract::XsDateTime::parse("2026-11-28T10:00:00Z").unwrap();
        let out = ecrire_reponse_anomalies("G1104", Some("<x&"), &date, &[a]);
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("<ns2:numUnique>&lt;x&amp;</ns2:numUnique>"), "{text}");
        assert!(text.contains("code=\"DEM-INC\""), "{text}");
        let root = xml::parse(text.as_bytes(), xml::Limits::default()).unwrap();
        assert!(root.is(Some(NS_FICHIER), "interfaceNuu"));
    }
}
