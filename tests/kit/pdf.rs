//! PDFs for the active-content screen (`registry::format`): hostile variants, each hiding active
//! content behind one way of encoding it, and innocent documents using the same encodings. Built
//! from their parts, so that each says what it hides and how. Shared by the examiner's unit tests
//! and the robustness suite.

use std::io::Write;

use flate2::write::{DeflateEncoder, ZlibEncoder};
use flate2::Compression;

/// Catalog, page tree and one page: objects 1 to 3.
pub const PAGES: [&[u8]; 3] = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
];

/// A PDF of these objects (numbered from 1, the first the catalog), with its cross-reference
/// table, trailer and `%%EOF`.
pub fn pdf(objets: &[&[u8]]) -> Vec<u8> {
    let mut f = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut positions = Vec::new();
    for (i, corps) in objets.iter().enumerate() {
        positions.push(f.len());
        f.extend(format!("{} 0 obj\n", i + 1).bytes());
        f.extend_from_slice(corps);
        f.extend_from_slice(b"\nendobj\n");
    }
    let xref = f.len();
    f.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objets.len() + 1).bytes());
    for p in positions {
        f.extend(format!("{p:010} 00000 n \n").bytes());
    }
    f.extend(format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objets.len() + 1).bytes());
    f
}

/// The minimal document plus `objets` from object 4 on.
pub fn pdf_avec(objets: &[&[u8]]) -> Vec<u8> {
    let mut tous = PAGES.to_vec();
    tous.extend_from_slice(objets);
    pdf(&tous)
}

/// A stream object: `dictionnaire` (without `<<`, `>>` and `/Length`), then the data.
pub fn flux(dictionnaire: &str, donnees: &[u8]) -> Vec<u8> {
    let mut objet = format!("<< {dictionnaire} /Length {} >>\nstream\r\n", donnees.len()).into_bytes();
    objet.extend_from_slice(donnees);
    objet.extend_from_slice(b"\r\nendstream");
    objet
}

/// An object stream (`/Type /ObjStm`) holding `objets` as objects 100, 101..., data encoded by
/// `encoder` under `filtres` (with `parametres` as `/DecodeParms`, if any).
pub fn flux_d_objets(objets: &[&str], filtres: &str, parametres: &str, encoder: impl Fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
    let mut entete = String::new();
    let mut corps = String::new();
    for (k, objet) in objets.iter().enumerate() {
        entete += &format!("{} {} ", 100 + k, corps.len());
        corps += objet;
        corps += "\n";
    }
    let donnees = encoder(format!("{entete}{corps}").as_bytes());
    let mut dictionnaire = format!("/Type /ObjStm /N {} /First {} /Filter {filtres}", objets.len(), entete.len());
    if !parametres.is_empty() {
        dictionnaire += &format!(" /DecodeParms {parametres}");
    }
    flux(&dictionnaire, &donnees)
}

pub fn zlib(donnees: &[u8]) -> Vec<u8> {
    let mut encodeur = ZlibEncoder::new(Vec::new(), Compression::default());
    encodeur.write_all(donnees).unwrap();
    encodeur.finish().unwrap()
}

/// Deflate data without the zlib header and checksum (RFC 1951 alone).
pub fn deflate_brut(donnees: &[u8]) -> Vec<u8> {
    let mut encodeur = DeflateEncoder::new(Vec::new(), Compression::default());
    encodeur.write_all(donnees).unwrap();
    encodeur.finish().unwrap()
}

/// `/ASCIIHexDecode`, lines of 64 digits, `>` at the end.
pub fn hexa(donnees: &[u8]) -> Vec<u8> {
    let mut texte = String::new();
    for (k, octet) in donnees.iter().enumerate() {
        if k > 0 && k % 32 == 0 {
            texte.push('\n');
        }
        texte += &format!("{octet:02X}");
    }
    texte.push('>');
    texte.into_bytes()
}

/// `/ASCII85Decode`, `~>` at the end.
pub fn a85(donnees: &[u8]) -> Vec<u8> {
    let mut texte = Vec::new();
    for groupe in donnees.chunks(4) {
        let mut octets = [0; 4];
        octets[..groupe.len()].copy_from_slice(groupe);
        let mut valeur = u32::from_be_bytes(octets);
        if groupe.len() == 4 && valeur == 0 {
            texte.push(b'z');
            continue;
        }
        let mut chiffres = [0; 5];
        for c in chiffres.iter_mut().rev() {
            *c = b'!' + (valeur % 85) as u8;
            valeur /= 85;
        }
        texte.extend_from_slice(&chiffres[..groupe.len() + 1]);
    }
    texte.extend_from_slice(b"~>");
    texte
}

/// `/LZWDecode`, with `/EarlyChange` 1 (the default) or 0.
pub fn lzw(donnees: &[u8], changement_precoce: bool) -> Vec<u8> {
    let mut encodeur = if changement_precoce {
        weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8)
    } else {
        weezl::encode::Encoder::new(weezl::BitOrder::Msb, 8)
    };
    encodeur.encode(donnees).unwrap()
}

/// `/RunLengthDecode` in runs of three literal bytes (so that no name survives whole in the raw
/// bytes), repeats for runs of the same byte, 128 at the end.
pub fn runlength(donnees: &[u8]) -> Vec<u8> {
    let mut sortie = Vec::new();
    let mut i = 0;
    while i < donnees.len() {
        let pareils = donnees[i..].iter().take(128).take_while(|o| **o == donnees[i]).count();
        if pareils >= 2 {
            sortie.extend([(257 - pareils) as u8, donnees[i]]);
            i += pareils;
        } else {
            let n = (donnees.len() - i).min(3);
            sortie.push((n - 1) as u8);
            sortie.extend_from_slice(&donnees[i..i + n]);
            i += n;
        }
    }
    sortie.push(128);
    sortie
}

/// PNG prediction "Up" (predictor 12) in rows of `colonnes` bytes (the last padded with spaces).
pub fn png_haut(donnees: &[u8], colonnes: usize) -> Vec<u8> {
    let mut sortie = Vec::new();
    let mut precedente = vec![0u8; colonnes];
    for ligne in donnees.chunks(colonnes) {
        let mut ligne = ligne.to_vec();
        ligne.resize(colonnes, b' ');
        sortie.push(2);
        sortie.extend(ligne.iter().zip(&precedente).map(|(o, h)| o.wrapping_sub(*h)));
        precedente = ligne;
    }
    sortie
}

/// TIFF prediction (predictor 2), one 8-bit component, rows of `colonnes` bytes.
pub fn tiff_horizontal(donnees: &[u8], colonnes: usize) -> Vec<u8> {
    let mut sortie = Vec::new();
    for ligne in donnees.chunks(colonnes) {
        sortie.push(ligne[0]);
        sortie.extend(ligne.windows(2).map(|w| w[1].wrapping_sub(w[0])));
    }
    sortie
}

/// Raw deflate whose first two bytes are a zlib header: a stored block of one space, whose first
/// byte and length spell `78 01`, then `donnees` deflated. As zlib data it fails at once.
pub fn deflate_brut_a_entete_zlib(donnees: &[u8]) -> Vec<u8> {
    let mut sortie = vec![0x78, 0x01, 0x00, 0xFE, 0xFF, b' '];
    sortie.extend(deflate_brut(donnees));
    sortie
}

/// A zlib stream whose first block is stored and holds `stocke` as it is, then `compresse`
/// deflated: a literal `endstream` can hide in the first.
pub fn zlib_avec_bloc_stocke(stocke: &[u8], compresse: &[u8]) -> Vec<u8> {
    let mut sortie = vec![0x78, 0x01, 0x00];
    let longueur = stocke.len() as u16;
    sortie.extend(longueur.to_le_bytes());
    sortie.extend((!longueur).to_le_bytes());
    sortie.extend_from_slice(stocke);
    sortie.extend(deflate_brut(compresse));
    let tout: Vec<u8> = stocke.iter().chain(compresse).copied().collect();
    let (mut a, mut b) = (1u32, 0u32);
    for &o in &tout {
        a = (a + u32::from(o)) % 65521;
        b = (b + a) % 65521;
    }
    sortie.extend(((b << 16) | a).to_be_bytes());
    sortie
}

/// A JavaScript action, as an object's text.
pub const JAVASCRIPT: &str = "<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>";
/// A form submission to a remote address.
pub const SOUMISSION: &str = "<< /Type /Action /S /SubmitForm /F << /FS /URL /F (https://example.org/recueil) >> >>";
/// Opening a page of another file.
pub const DOCUMENT_DISTANT: &str = "<< /Type /Action /S /GoToR /F (autre.pdf) /D [0 /Fit] >>";
/// The template packet of an XFA form, with a script.
pub const XFA_SCRIPT: &str =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xdp:xdp xmlns:xdp=\"http://ns.adobe.com/xdp/\">\
<template xmlns=\"http://www.xfa.org/schema/xfa-template/3.3/\"><subform name=\"f\"><field name=\"a\">\
<event activity=\"initialize\"><script contentType=\"application/x-javascript\">app.alert(1)</script>\
</event></field></subform></template></xdp:xdp>";
/// A page's text (no active content), as a content stream.
pub const CONTENU: &str = "BT /F1 12 Tf 72 712 Td (Avis d'imposition 2024 - revenu fiscal de reference) Tj ET\n";

/// A hostile PDF, and what refusing it must name.
pub struct Variante {
    pub nom: &'static str,
    pub document: Vec<u8>,
    pub attendus: &'static [&'static str],
}

const JS: &[&str] = &["/JavaScript", "/JS"];

fn variante(nom: &'static str, objets: &[&[u8]], attendus: &'static [&'static str]) -> Variante {
    Variante { nom, document: pdf_avec(objets), attendus }
}

/// Fonts, before the action in an object stream: enough text for deflate to compress rather than
/// store it (stored, it would be plain bytes).
const POLICE: &str = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";

/// One JavaScript action among fonts in an object stream encoded by `encoder` under `filtres`.
fn js_sous(nom: &'static str, filtres: &str, parametres: &str, encoder: impl Fn(&[u8]) -> Vec<u8>) -> Variante {
    let mut objets = vec![POLICE; 12];
    objets.push(JAVASCRIPT);
    variante(nom, &[&flux_d_objets(&objets, filtres, parametres, encoder)], JS)
}

/// Every hostile variant of issue 18 (item 3.1), and a few more ways of hiding.
pub fn hostiles() -> Vec<Variante> {
    vec![
        js_sous("Flate∘Flate", "[/FlateDecode /FlateDecode]", "", |d| zlib(&zlib(d))),
        js_sous("ASCIIHex", "/ASCIIHexDecode", "", hexa),
        js_sous("ASCIIHex puis Flate", "[/AHx /Fl]", "", |d| hexa(&zlib(d))),
        js_sous("deflate brut déclaré Flate", "/FlateDecode", "", deflate_brut),
        js_sous("deflate brut à en-tête zlib", "/FlateDecode", "", deflate_brut_a_entete_zlib),
        js_sous("ASCII85", "/ASCII85Decode", "", a85),
        js_sous("ASCII85 puis Flate", "[/A85 /FlateDecode]", "", |d| a85(&zlib(d))),
        js_sous("LZW", "/LZWDecode", "", |d| lzw(d, true)),
        js_sous("LZW sans changement précoce", "/LZWDecode", "<< /EarlyChange 0 >>", |d| lzw(d, false)),
        js_sous("RunLength", "/RunLengthDecode", "", runlength),
        js_sous("Flate et prédicteur PNG", "/FlateDecode", "<< /Predictor 12 /Columns 7 >>", |d| {
            zlib(&png_haut(d, 7))
        }),
        js_sous("ASCII85, LZW et prédicteur TIFF", "[/A85 /LZW]", "[null << /Predictor 2 /Columns 5 >>]", |d| {
            a85(&lzw(&tiff_horizontal(d, 5), true))
        }),
        js_sous("Crypt identité puis Flate", "[/Crypt /FlateDecode]", "", zlib),
        js_sous("filtre indirect, données ASCIIHex", "9 0 R", "", hexa),
        js_sous("filtre indirect, données ASCIIHex puis zlib", "9 0 R", "", |d| hexa(&zlib(d))),
        variante(
            "filtre abrégé /F (lu par pdf.js)",
            &[&flux("/Type /ObjStm /N 1 /First 6 /F /AHx", &hexa(format!("100 0 {JAVASCRIPT}").as_bytes()))],
            JS,
        ),
        variante(
            "endstream littéral dans un bloc stocké",
            &[&flux(
                "/Type /ObjStm /N 1 /First 6 /Filter /FlateDecode",
                &zlib_avec_bloc_stocke(
                    b"\r\nendstream\nendobj\n",
                    format!("100 0 {JAVASCRIPT}\n{}", POLICE.repeat(12)).as_bytes(),
                ),
            )],
            JS,
        ),
        variante("script XFA compressé", &[&flux("/Filter /FlateDecode", &zlib(XFA_SCRIPT.as_bytes()))], &["<script>"]),
        variante(
            "formulaire XFA",
            &[b"<< /Fields [] /XFA 5 0 R >>", &flux("/Filter /AHx", &hexa(XFA_SCRIPT.as_bytes()))],
            &["/XFA", "<script>"],
        ),
        variante("/SubmitForm", &[SOUMISSION.as_bytes()], &["/SubmitForm"]),
        variante("/GoToR", &[DOCUMENT_DISTANT.as_bytes()], &["/GoToR"]),
        variante("/GoToE", &[b"<< /S /GoToE /D (annexe) /T << /R /C /N (piece.pdf) >> >>"], &["/GoToE"]),
        variante("/ImportData", &[b"<< /S /ImportData /F (donnees.fdf) >>"], &["/ImportData"]),
        variante(
            "soumission et document distant dans un flux d'objets",
            &[&flux_d_objets(&[SOUMISSION, DOCUMENT_DISTANT], "/FlateDecode", "", zlib)],
            &["/SubmitForm", "/GoToR"],
        ),
        variante(
            "mot stream dans une chaîne avant un flux d'objets",
            &[b"<< /Title (le stream\n en direct) >>", &flux_d_objets(&[POLICE, JAVASCRIPT], "/Fl", "", zlib)],
            JS,
        ),
        {
            // An unclosed string between objects, which readers reaching objects by the
            // cross-reference table never see: the stream's dictionary is not read.
            let mut document = pdf_avec(&[&flux("/Filter /AHx", &hexa(JAVASCRIPT.as_bytes()))]);
            let objet = document.windows(8).position(|f| f == b"4 0 obj\n").unwrap_or(0);
            document.splice(objet..objet, b"<< (".iter().copied());
            Variante { nom: "dictionnaire masqué par des octets entre les objets", document, attendus: JS }
        },
        variante(
            "XFA d'un AcroForm dans un flux d'objets ASCII85",
            &[&flux_d_objets(&["<< /Fields [] /NeedAppearances true /XFA 7 0 R >>"], "/A85", "", a85)],
            &["/XFA"],
        ),
    ]
}

/// Documents with the same encodings and nothing active: accepted.
pub fn innocents() -> Vec<(&'static str, Vec<u8>)> {
    let contenu = CONTENU.as_bytes();
    let police = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
    let lien =
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /URI /URI (https://www.service-public.fr) >> >>";
    let page = b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /GoTo /D [3 0 R /Fit] >> >>";
    let xmp =
        b"<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\
<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"/></x:xmpmeta><?xpacket end=\"w\"?>";
    vec![
        ("sans flux", pdf(&PAGES)),
        ("contenu ASCIIHex", pdf_avec(&[&flux("/Filter /ASCIIHexDecode", &hexa(contenu))])),
        ("contenu ASCIIHex puis Flate", pdf_avec(&[&flux("/Filter [/AHx /Fl]", &hexa(&zlib(contenu)))])),
        ("contenu ASCII85", pdf_avec(&[&flux("/Filter /A85", &a85(contenu))])),
        ("contenu LZW", pdf_avec(&[&flux("/Filter /LZWDecode", &lzw(contenu, true))])),
        ("contenu RunLength", pdf_avec(&[&flux("/Filter /RL", &runlength(contenu))])),
        ("contenu Flate∘Flate", pdf_avec(&[&flux("/Filter [/Fl /Fl]", &zlib(&zlib(contenu)))])),
        ("contenu en deflate brut", pdf_avec(&[&flux("/Filter /FlateDecode", &deflate_brut(contenu))])),
        (
            "contenu en deflate brut à en-tête zlib",
            pdf_avec(&[&flux("/Filter /Fl", &deflate_brut_a_entete_zlib(contenu))]),
        ),
        (
            "flux d'objets, prédicteur PNG",
            pdf_avec(&[&flux_d_objets(&[police, police], "/FlateDecode", "<< /Predictor 12 /Columns 4 >>", |d| {
                zlib(&png_haut(d, 4))
            })]),
        ),
        ("lien web et lien interne", pdf_avec(&[lien, page])),
        ("métadonnées XMP", pdf_avec(&[&flux("/Type /Metadata /Subtype /XML", xmp)])),
        (
            "page qui imprime du HTML",
            pdf_avec(&[&flux("/Filter /FlateDecode", &zlib(b"BT (<script>alert\\(1\\)</script>) Tj ET"))]),
        ),
        (
            "image DCT et image Flate",
            pdf_avec(&[
                &flux("/Type /XObject /Subtype /Image /Filter /DCTDecode", b"\xFF\xD8\xFF\xE0\0\x10JFIF\0\xFF\xD9"),
                &flux("/Type /XObject /Subtype /Image /Filter [/AHx /DCT]", &hexa(b"\xFF\xD8\xFF\xD9")),
            ]),
        ),
    ]
}
