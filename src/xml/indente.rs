//! A document laid out for reading: one element per line, indented by depth, markup and
//! character data kept as written (escaped, prefixes and all), and the line where each element
//! starts, so that a path of local names (`interfaceNuu/demande/.../typeLogement[2]/@code`, as
//! anomalies name what they refuse) leads to its line.
//!
//! The document is first read by the hardened [`super::parse`] (no DOCTYPE, limits, UTF-8):
//! what it refuses is not laid out, and its French reason says why. quick-xml's indenting
//! writer then writes the events as they were read; nothing is escaped or unescaped here.

use quick_xml::events::{BytesText, Event};
use quick_xml::{Reader, Writer};

use super::{parse, Limits, XmlError};

/// A text node longer than this, all base64, is a file sent inline: [`indenter`] may say so
/// rather than print it.
const BASE64_LONG: usize = 200;

/// A document laid out one element per line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Indente {
    /// The lines, without their line breaks.
    pub lignes: Vec<String>,
    /// Each element: its path from the root (local name and rank among its same-named
    /// siblings, from 1) and the line (from 0) of its start tag.
    elements: Vec<(Vec<(String, u32)>, usize)>,
}

/// The lines a path leads to in an [`Indente`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Lines (from 0) of the elements the path names, in document order.
    pub lignes: Vec<usize>,
    /// False when the path names no element of the document (a missing one): `lignes` are then
    /// those of its nearest ancestor that is there.
    pub exacte: bool,
}

impl Indente {
    /// `texte` as it is, one line per line, with no element to find (a document that does not
    /// read as XML).
    pub fn brut(texte: &str) -> Indente {
        Indente { lignes: texte.lines().map(str::to_string).collect(), elements: Vec::new() }
    }

    /// The root element's local name, if the document was laid out.
    pub fn racine(&self) -> Option<&str> {
        self.elements.first().and_then(|(chemin, _)| chemin.first()).map(|(nom, _)| nom.as_str())
    }

    /// Where `chemin` leads: local names from the root joined by `/`, each with its rank among
    /// same-named siblings in brackets (`typeLogement[2]`; without one, every occurrence, as the
    /// anomalies of an element the schema allows once name them all), a last `@attribute`
    /// standing for its element; prefixes are ignored. A path that names no element leads to
    /// its nearest ancestor present. `None` when not even the root matches.
    pub fn trouver(&self, chemin: &str) -> Option<Place> {
        let mut segments: Vec<(&str, Option<u32>)> = Vec::new();
        for s in chemin.trim().split('/').filter(|s| !s.is_empty()) {
            if s.starts_with('@') {
                break;
            }
            let (nom, rang) = match s.strip_suffix(']').and_then(|s| s.split_once('[')) {
                Some((nom, rang)) => (nom, Some(rang.trim().parse().ok()?)),
                None => (s, None),
            };
            let nom = nom.rsplit(':').next().unwrap_or(nom);
            segments.push((nom, rang));
        }
        let mut exacte = true;
        while !segments.is_empty() {
            let lignes: Vec<usize> = self
                .elements
                .iter()
                .filter(|(c, _)| {
                    c.len() == segments.len()
                        && c.iter()
                            .zip(&segments)
                            .all(|((n, r), (nom, rang))| n.as_str() == *nom && rang.is_none_or(|x| x == *r))
                })
                .map(|(_, ligne)| *ligne)
                .collect();
            if !lignes.is_empty() {
                return Some(Place { lignes, exacte });
            }
            segments.pop();
            exacte = false;
        }
        None
    }
}

/// Lays `document` out; when `abreger_base64`, a long text node that is all base64 (a file sent
/// inline) is replaced by a mention of its length. The reason, in French, when the document
/// does not read.
pub fn indenter(document: &[u8], abreger_base64: bool) -> Result<Indente, XmlError> {
    parse(document, Limits::default())?;
    let document = document.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(document);
    let mut reader = Reader::from_reader(document);
    reader.config_mut().trim_text(false);
    reader.config_mut().check_end_names = true;
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Where each element starts in the output, and its path.
    let mut departs: Vec<(Vec<(String, u32)>, usize)> = Vec::new();
    let mut chemin: Vec<(String, u32)> = Vec::new();
    // For each open element (and the document itself), how many children of each name it had.
    let mut rangs: Vec<Vec<(String, u32)>> = vec![Vec::new()];
    let illisible = |e: quick_xml::Error| XmlError::Malformed(format!("{e}"));
    loop {
        let event = reader.read_event().map_err(illisible)?;
        let avant = writer.get_ref().len();
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let nom = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let freres = rangs.last_mut().expect("the document's own entry stays");
                let rang = match freres.iter_mut().find(|(n, _)| *n == nom) {
                    Some((_, r)) => {
                        *r += 1;
                        *r
                    }
                    None => {
                        freres.push((nom.clone(), 1));
                        1
                    }
                };
                let ouvert = matches!(event, Event::Start(_));
                writer.write_event(event).map_err(|e| illisible(e.into()))?;
                let debut = avant + writer.get_ref()[avant..].iter().position(|b| *b == b'<').unwrap_or(0);
                chemin.push((nom, rang));
                departs.push((chemin.clone(), debut));
                if ouvert {
                    rangs.push(Vec::new());
                } else {
                    chemin.pop();
                }
            }
            Event::End(e) => {
                chemin.pop();
                rangs.pop();
                writer.write_event(Event::End(e)).map_err(|e| illisible(e.into()))?;
            }
            Event::Text(t) if t.iter().all(u8::is_ascii_whitespace) => {}
            Event::Text(t) if abreger_base64 && t.len() > BASE64_LONG && est_base64(&t) => {
                let n = t.iter().filter(|b| !b.is_ascii_whitespace()).count();
                let mention = format!("[{n} caractères en base64 : le fichier est décodé plus bas]");
                writer.write_event(Event::Text(BytesText::new(&mention))).map_err(|e| illisible(e.into()))?;
            }
            Event::Eof => break,
            autre => writer.write_event(autre).map_err(|e| illisible(e.into()))?,
        }
    }
    let sortie = String::from_utf8_lossy(&writer.into_inner()).into_owned();
    // Byte offsets to line numbers, in one pass (the starts are in increasing order).
    let mut elements = Vec::with_capacity(departs.len());
    let (mut ligne, mut vu) = (0, 0);
    for (chemin, debut) in departs {
        ligne += memchr::memchr_iter(b'\n', &sortie.as_bytes()[vu..debut]).count();
        vu = debut;
        elements.push((chemin, ligne));
    }
    Ok(Indente { lignes: sortie.split('\n').map(str::to_string).collect(), elements })
}

fn est_base64(t: &[u8]) -> bool {
    t.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=') || b.is_ascii_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEMANDE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ns2:interfaceNuu xmlns:ns2="http://nuu.application.i2/"><ns2:demande>
<ns2:typeLogement code="T1"/><ns2:typeLogement code="T9"/>
      <ns2:demandeur><ns2:civilite code="9"/><ns2:nom>D&amp;UPONT</ns2:nom></ns2:demandeur>
</ns2:demande></ns2:interfaceNuu>"#;

    #[test]
    fn one_element_a_line_indented_as_written() {
        let d = indenter(DEMANDE.as_bytes(), false).unwrap();
        assert_eq!(
            d.lignes,
            [
                r#"<?xml version="1.0" encoding="UTF-8"?>"#,
                r#"<ns2:interfaceNuu xmlns:ns2="http://nuu.application.i2/">"#,
                "  <ns2:demande>",
                r#"    <ns2:typeLogement code="T1"/>"#,
                r#"    <ns2:typeLogement code="T9"/>"#,
                "    <ns2:demandeur>",
                r#"      <ns2:civilite code="9"/>"#,
                // Escaped as written: the page escapes it again for HTML.
                "      <ns2:nom>D&amp;UPONT</ns2:nom>",
                "    </ns2:demandeur>",
                "  </ns2:demande>",
                "</ns2:interfaceNuu>",
            ]
        );
        assert_eq!(d.racine(), Some("interfaceNuu"));
    }

    #[test]
    fn a_path_leads_to_its_element_line() {
        let d = indenter(DEMANDE.as_bytes(), false).unwrap();
        let place = |c: &str| d.trouver(c).map(|p| (p.lignes, p.exacte));
        assert_eq!(place("interfaceNuu/demande/demandeur/civilite/@code"), Some((vec![6], true)));
        assert_eq!(place("interfaceNuu/demande/typeLogement[2]/@code"), Some((vec![4], true)));
        assert_eq!(place("interfaceNuu[1]/demande[1]/typeLogement[1]"), Some((vec![3], true)));
        assert_eq!(place("interfaceNuu/demande/typeLogement"), Some((vec![3, 4], true)), "every occurrence");
        assert_eq!(place("ns2:interfaceNuu/ns2:demande/ns2:demandeur/ns2:nom"), Some((vec![7], true)));
        // A missing element: its parent.
        assert_eq!(place("interfaceNuu/demande/demandeur/prenom"), Some((vec![5], false)));
        assert_eq!(place("interfaceNuu/demande/typeLogement[3]"), Some((vec![2], false)));
        assert_eq!(place("autreRacine/demande"), None);
        assert_eq!(place(""), None);
        assert_eq!(place("interfaceNuu/demande/typeLogement[x]"), None, "a rank that does not read");
    }

    #[test]
    fn inline_files_are_mentioned_and_refused_documents_say_why() {
        let b64 = "QUJD".repeat(80);
        let env = format!("<e><fichier>{b64}</fichier><court>QUJD</court></e>");
        let d = indenter(env.as_bytes(), true).unwrap();
        assert_eq!(d.lignes[1], "  <fichier>[320 caractères en base64 : le fichier est décodé plus bas]</fichier>");
        assert_eq!(d.lignes[2], "  <court>QUJD</court>");
        assert!(indenter(env.as_bytes(), false).unwrap().lignes[1].contains(&b64));
        let e = indenter(b"<!DOCTYPE x><x/>", false).unwrap_err();
        assert!(e.to_string().contains("DOCTYPE"), "{e}");
        let e = indenter(b"<a><b></a>", false).unwrap_err();
        assert!(e.to_string().contains("ligne 1"), "{e}");
        assert_eq!(Indente::brut("a\nb").lignes, ["a", "b"]);
        assert_eq!(Indente::brut("a").trouver("a"), None);
    }
}
