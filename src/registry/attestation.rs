//! The registration certificate ("attestation d'enregistrement"): a one-page A4 PDF given to
//! the applicant at each registration or renewal.
//!
//! The document only uses the base-14 Helvetica fonts with `WinAnsiEncoding`, so nothing is
//! embedded and every PDF reader can show French text. Output depends on the input alone (no
//! clock, no random file id), which keeps it testable byte for byte.

use pdf_writer::{Content, Date as PdfDate, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use sha2::{Digest, Sha256};
use time::{macros::format_description, Date};

/// What the certificate states; the registry fills it from the stored application.
#[derive(Debug, Clone)]
pub struct Attestation<'a> {
    /// Registration number (18 characters).
    pub num_unique: &'a str,
    /// First filing date, kept across renewals (seniority).
    pub date_depot: Date,
    /// Date of this registration or renewal.
    pub date_enregistrement: Date,
    /// End of validity (one year after the registration or renewal).
    pub date_fin_validite: Date,
    /// Applicant as printed ("Madame Jeanne DUPONT", or an association name).
    pub demandeur: &'a str,
    /// Desired communes (INSEE codes or labels), in the applicant's order.
    pub communes: &'a [String],
    /// Code of the registering counter.
    pub guichet_code: &'a str,
    /// Name of the registering counter.
    pub guichet_nom: &'a str,
    /// Territory code or label.
    pub territoire: &'a str,
    /// Whether the dossier is complete, when known.
    pub dossier_complet: Option<bool>,
}

/// Title of the document, also written in the PDF document information.
pub const TITRE: &str = "Attestation d'enregistrement d'une demande de logement social";

/// File name under which the certificate travels: `ATT<num_unique>.pdf`.
pub fn nom_fichier(num_unique: &str) -> String {
    format!("ATT{num_unique}.pdf")
}

/// Renders the certificate as a complete one-page PDF.
pub fn render(a: &Attestation) -> Vec<u8> {
    let content = page_content(a);

    let catalog_id = Ref::new(1);
    let pages_id = Ref::new(2);
    let page_id = Ref::new(3);
    let content_id = Ref::new(4);
    let regular_id = Ref::new(5);
    let bold_id = Ref::new(6);
    let info_id = Ref::new(7);

    let mut pdf = Pdf::new();
    // Base-14 fonts without widths or descriptor are only conforming up to PDF 1.4, and
    // nothing here needs a later version.
    pdf.set_version(1, 4);
    pdf.catalog(catalog_id).pages(pages_id).lang(TextStr("fr-FR"));
    pdf.pages(pages_id).kids([page_id]).count(1);
    {
        let mut page = pdf.page(page_id);
        page.parent(pages_id).media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H)).contents(content_id);
        let mut resources = page.resources();
        let mut fonts = resources.fonts();
        fonts.pair(REGULAR.resource, regular_id);
        fonts.pair(BOLD.resource, bold_id);
        fonts.finish();
        resources.finish();
        page.finish();
    }
    for font in [(&REGULAR, regular_id), (&BOLD, bold_id)] {
        pdf.type1_font(font.1).base_font(Name(font.0.base_font)).encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    pdf.document_info(info_id)
        .title(TextStr(TITRE))
        .producer(TextStr("sne-gateway"))
        .creator(TextStr("sne-gateway"))
        .creation_date(pdf_date(a.date_enregistrement));

    // The file identifier is derived from the page so that equal inputs give equal bytes.
    let digest = Sha256::digest(&content);
    let id = digest[..16].to_vec();
    pdf.set_file_id((id.clone(), id));

    pdf.stream(content_id, &content);
    let mut out = pdf.finish();
    out.push(b'\n');
    out
}

// A4 in points, with 2 cm margins.
const PAGE_W: f32 = 595.276;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 56.693;
const TEXT_W: f32 = PAGE_W - 2.0 * MARGIN;

const TITLE_SIZE: f32 = 15.0;
const TITLE_LEADING: f32 = 19.0;
const BODY_SIZE: f32 = 10.5;
const BODY_LEADING: f32 = 14.5;
const FIELD_GAP: f32 = 5.0;
const FOOTER_SIZE: f32 = 8.0;
const LABEL_GAP: f32 = 12.0;

// Keep the page to one page whatever the input: free-text fields get a few lines at most,
// the commune list more, and what does not fit is shortened visibly.
const MAX_FIELD_LINES: usize = 3;
const MAX_COMMUNE_LINES: usize = 12;

/// One of the two base-14 fonts used, with its widths for WinAnsi codes 32..=255.
struct Font {
    resource: Name<'static>,
    base_font: &'static [u8],
    widths: &'static [u16; 224],
}

const REGULAR: Font = Font { resource: Name(b"F1"), base_font: b"Helvetica", widths: &HELVETICA_WIDTHS };

const BOLD: Font = Font { resource: Name(b"F2"), base_font: b"Helvetica-Bold", widths: &HELVETICA_BOLD_WIDTHS };

impl Font {
    /// Width in points of WinAnsi-encoded text at `size`.
    fn width(&self, text: &[u8], size: f32) -> f32 {
        let units: u32 = text
            .iter()
            .map(|&b| match b {
                32..=255 => u32::from(self.widths[usize::from(b - 32)]),
                _ => 0,
            })
            .sum();
        units as f32 * size / 1000.0
    }
}

fn page_content(a: &Attestation) -> Vec<u8> {
    let mut c = Content::new();
    let mut y = PAGE_H - MARGIN - TITLE_SIZE;

    for line in wrap(&BOLD, &win_ansi(TITRE), TITLE_SIZE, TEXT_W) {
        text(&mut c, &BOLD, TITLE_SIZE, MARGIN, y, &line);
        y -= TITLE_LEADING;
    }
    y += TITLE_LEADING - 10.0;
    c.set_line_width(0.6).move_to(MARGIN, y).line_to(PAGE_W - MARGIN, y).stroke();
    y -= 12.0 + BODY_SIZE;

    let guichet = format!("{} \u{2014} {}", a.guichet_code, a.guichet_nom);
    let mut fields: Vec<(&str, Vec<Vec<u8>>)> = Vec::new();
    let value_x_offset = label_column_width();
    let value_w = TEXT_W - value_x_offset;
    let field = |s: &str| limit_lines(wrap(&REGULAR, &win_ansi(s), BODY_SIZE, value_w), MAX_FIELD_LINES, value_w);
    fields.push(("Numéro unique", field(a.num_unique)));
    fields.push(("Date de dépôt", field(&date_fr(a.date_depot))));
    fields.push(("Date d'enregistrement", field(&date_fr(a.date_enregistrement))));
    fields.push(("Valable jusqu'au", field(&date_fr(a.date_fin_validite))));
    fields.push(("Demandeur", field(a.demandeur)));
    fields.push(("Communes souhaitées", communes_lines(a.communes, value_w)));
    fields.push(("Guichet enregistreur", field(&guichet)));
    fields.push(("Territoire", field(a.territoire)));
    if let Some(complet) = a.dossier_complet {
        fields.push(("Dossier complet", field(if complet { "oui" } else { "non" })));
    }

    for (label, lines) in &fields {
        text(&mut c, &BOLD, BODY_SIZE, MARGIN, y, &win_ansi(label));
        for line in lines {
            text(&mut c, &REGULAR, BODY_SIZE, MARGIN + value_x_offset, y, line);
            y -= BODY_LEADING;
        }
        y -= FIELD_GAP;
    }

    y -= 2.0 * BODY_LEADING;
    let legal = format!(
        "Votre demande est valable un an. Elle doit être renouvelée avant le {}, faute de quoi elle sera radiée.",
        date_fr(a.date_fin_validite)
    );
    for line in wrap(&REGULAR, &win_ansi(&legal), BODY_SIZE, TEXT_W) {
        text(&mut c, &REGULAR, BODY_SIZE, MARGIN, y, &line);
        y -= BODY_LEADING;
    }

    let footer = win_ansi("Document émis par sne-gateway (base école)");
    let footer_x = (PAGE_W - REGULAR.width(&footer, FOOTER_SIZE)) / 2.0;
    text(&mut c, &REGULAR, FOOTER_SIZE, footer_x, MARGIN - 20.0, &footer);

    c.finish()
}

fn text(c: &mut Content, font: &Font, size: f32, x: f32, y: f32, bytes: &[u8]) {
    c.begin_text().set_font(font.resource, size).next_line(x, y).show(Str(bytes)).end_text();
}

fn label_column_width() -> f32 {
    const LABELS: [&str; 9] = [
        "Numéro unique",
        "Date de dépôt",
        "Date d'enregistrement",
        "Valable jusqu'au",
        "Demandeur",
        "Communes souhaitées",
        "Guichet enregistreur",
        "Territoire",
        "Dossier complet",
    ];
    LABELS.iter().map(|l| BOLD.width(&win_ansi(l), BODY_SIZE)).fold(0.0, f32::max) + LABEL_GAP
}

/// Lists the communes; when they do not fit, lists as many as fit and says how many remain.
fn communes_lines(communes: &[String], width: f32) -> Vec<Vec<u8>> {
    if communes.is_empty() {
        return wrap(&REGULAR, &win_ansi("non renseignées"), BODY_SIZE, width);
    }
    let mut shown = communes.len();
    loop {
        let mut s = communes[..shown].join(", ");
        let rest = communes.len() - shown;
        if rest > 0 {
            s.push_str(&format!(" et {rest} autre{}", if rest > 1 { "s" } else { "" }));
        }
        let lines = wrap(&REGULAR, &win_ansi(&s), BODY_SIZE, width);
        if lines.len() <= MAX_COMMUNE_LINES || shown == 0 {
            return limit_lines(lines, MAX_COMMUNE_LINES, width);
        }
        shown -= 1;
    }
}

/// Keeps at most `max` lines, ending the last kept one with an ellipsis when text was cut.
fn limit_lines(mut lines: Vec<Vec<u8>>, max: usize, width: f32) -> Vec<Vec<u8>> {
    if lines.len() <= max {
        return lines;
    }
    lines.truncate(max);
    if let Some(last) = lines.last_mut() {
        const ELLIPSIS: u8 = 0x85;
        while !last.is_empty() && REGULAR.width(last, BODY_SIZE) + REGULAR.width(&[ELLIPSIS], BODY_SIZE) > width {
            last.pop();
        }
        last.push(ELLIPSIS);
    }
    lines
}

/// Greedy word wrap on spaces; a word wider than the line is cut where it overflows.
fn wrap(font: &Font, text: &[u8], size: f32, width: f32) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    for word in text.split(|&b| b == b' ').filter(|w| !w.is_empty()) {
        let candidate_w = if line.is_empty() {
            font.width(word, size)
        } else {
            font.width(&line, size) + font.width(b" ", size) + font.width(word, size)
        };
        if candidate_w <= width {
            if !line.is_empty() {
                line.push(b' ');
            }
            line.extend_from_slice(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for &b in word {
            if !line.is_empty() && font.width(&line, size) + font.width(&[b], size) > width {
                lines.push(std::mem::take(&mut line));
            }
            line.push(b);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

fn date_fr(d: Date) -> String {
    d.format(format_description!("[day]/[month]/[year]")).unwrap_or_else(|_| d.to_string())
}

fn pdf_date(d: Date) -> PdfDate {
    PdfDate::new(u16::try_from(d.year()).unwrap_or(0)).month(u8::from(d.month())).day(d.day())
}

/// Converts text to Windows-1252 bytes, the byte values of `WinAnsiEncoding`.
///
/// A combining accent after a letter is folded into the precomposed Latin-1 letter when one
/// exists (decomposed input does occur in copied names); anything else outside the code page,
/// and control characters, become `?`.
fn win_ansi(s: &str) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    for ch in s.chars() {
        if let Some(prev) = out.last_mut() {
            if let Some(composed) = compose(*prev, ch) {
                *prev = composed;
                continue;
            }
        }
        out.push(win_ansi_byte(ch));
    }
    out
}

fn win_ansi_byte(ch: char) -> u8 {
    let cp = u32::from(ch);
    match cp {
        0x20..=0x7E | 0xA0..=0xFF => cp as u8,
        // Thin and narrow no-break spaces (French typography before ":" "?" "!").
        0x2009 | 0x202F => 0xA0,
        _ => match ch {
            '€' => 0x80,
            '‚' => 0x82,
            'ƒ' => 0x83,
            '„' => 0x84,
            '…' => 0x85,
            '†' => 0x86,
            '‡' => 0x87,
            'ˆ' => 0x88,
            '‰' => 0x89,
            'Š' => 0x8A,
            '‹' => 0x8B,
            'Œ' => 0x8C,
            'Ž' => 0x8E,
            '\u{2018}' => 0x91,
            '\u{2019}' => 0x92,
            '\u{201C}' => 0x93,
            '\u{201D}' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '˜' => 0x98,
            '™' => 0x99,
            'š' => 0x9A,
            '›' => 0x9B,
            'œ' => 0x9C,
            'ž' => 0x9E,
            'Ÿ' => 0x9F,
            _ => b'?',
        },
    }
}

/// Latin-1 letter for `base` followed by combining mark `mark`, as a Windows-1252 byte.
fn compose(base: u8, mark: char) -> Option<u8> {
    let column = match mark {
        '\u{0300}' => 0, // grave
        '\u{0301}' => 1, // acute
        '\u{0302}' => 2, // circumflex
        '\u{0303}' => 3, // tilde
        '\u{0308}' => 4, // diaeresis
        '\u{0327}' => 5, // cedilla
        _ => return None,
    };
    // Rows: base letter, then its grave, acute, circumflex, tilde, diaeresis, cedilla forms
    // (0 where Latin-1 / Windows-1252 has none).
    const TABLE: [(u8, [u8; 6]); 14] = [
        (b'A', [0xC0, 0xC1, 0xC2, 0xC3, 0xC4, 0]),
        (b'C', [0, 0, 0, 0, 0, 0xC7]),
        (b'E', [0xC8, 0xC9, 0xCA, 0, 0xCB, 0]),
        (b'I', [0xCC, 0xCD, 0xCE, 0, 0xCF, 0]),
        (b'N', [0, 0, 0, 0xD1, 0, 0]),
        (b'O', [0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0]),
        (b'U', [0xD9, 0xDA, 0xDB, 0, 0xDC, 0]),
        (b'a', [0xE0, 0xE1, 0xE2, 0xE3, 0xE4, 0]),
        (b'c', [0, 0, 0, 0, 0, 0xE7]),
        (b'e', [0xE8, 0xE9, 0xEA, 0, 0xEB, 0]),
        (b'i', [0xEC, 0xED, 0xEE, 0, 0xEF, 0]),
        (b'n', [0, 0, 0, 0xF1, 0, 0]),
        (b'o', [0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0]),
        (b'u', [0xF9, 0xFA, 0xFB, 0, 0xFC, 0]),
    ];
    match (base, column) {
        (b'y', 1) => return Some(0xFD),
        (b'y', 4) => return Some(0xFF),
        (b'Y', 1) => return Some(0xDD),
        (b'Y', 4) => return Some(0x9F),
        _ => {}
    }
    TABLE.iter().find(|(b, _)| *b == base).map(|(_, forms)| forms[column]).filter(|&c| c != 0)
}

// Advance widths (1/1000 em) of the Adobe core fonts for WinAnsi codes 32..=255, taken from
// Adobe's Helvetica and Helvetica-Bold AFM files; codes WinAnsi leaves undefined are 0.
#[rustfmt::skip]
const HELVETICA_WIDTHS: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0,
    556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
    0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667,
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 578, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];

#[rustfmt::skip]
const HELVETICA_BOLD_WIDTHS: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0,
    556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
    0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667,
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
];

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn communes() -> Vec<String> {
        vec!["Saint-Étienne-du-Rouvray".to_string(), "Rouen".to_string(), "Le Grand-Quevilly".to_string()]
    }

    fn sample(communes: &[String]) -> Attestation<'_> {
        Attestation {
            num_unique: "1110318016982G1104",
            date_depot: date!(2018 - 03 - 14),
            date_enregistrement: date!(2024 - 03 - 10),
            date_fin_validite: date!(2025 - 03 - 10),
            demandeur: "Madame Hélène DUPONT-LEFÈVRE",
            communes,
            guichet_code: "G1104",
            guichet_nom: "Mairie de Saint-Étienne-du-Rouvray",
            territoire: "111",
            dossier_complet: Some(true),
        }
    }

    /// Decodes every string operand shown with `Tj` on page 1, as Windows-1252.
    fn shown_strings(pdf: &[u8]) -> Vec<String> {
        let doc = lopdf::Document::load_mem(pdf).expect("lopdf charge le PDF");
        let page = *doc.get_pages().get(&1).expect("page 1");
        let content = doc.get_and_decode_page_content(page).expect("contenu de page");
        content
            .operations
            .iter()
            .filter(|op| op.operator == "Tj")
            .map(|op| match &op.operands[0] {
                lopdf::Object::String(bytes, _) => bytes.iter().map(|&b| cp1252_char(b)).collect(),
                other => panic!("opérande inattendu: {other:?}"),
            })
            .collect()
    }

    fn cp1252_char(b: u8) -> char {
        match b {
            0x85 => '…',
            0x97 => '—',
            0x92 => '\u{2019}',
            0x9C => 'œ',
            0x80..=0x9F => panic!("octet 0x{b:02X} non attendu dans ce test"),
            _ => char::from(b),
        }
    }

    #[test]
    fn is_a_complete_pdf_file() {
        let c = communes();
        let pdf = render(&sample(&c));
        assert!(pdf.starts_with(b"%PDF-1.4"));
        let trimmed = pdf.strip_suffix(b"\n").unwrap_or(&pdf);
        assert!(trimmed.ends_with(b"%%EOF"));
    }

    #[test]
    fn loads_with_one_page_and_document_info() {
        let c = communes();
        let pdf = render(&sample(&c));
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        assert_eq!(doc.get_pages().len(), 1);
        let info_ref = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
        let info = doc.get_dictionary(info_ref).unwrap();
        let producer = info.get(b"Producer").unwrap().as_str().unwrap();
        assert_eq!(producer, b"sne-gateway");
        let title = lopdf::decode_text_string(info.get(b"Title").unwrap()).unwrap();
        assert_eq!(title, TITRE);
        let fonts = doc.get_page_fonts(*doc.get_pages().get(&1).unwrap()).unwrap();
        assert_eq!(fonts.len(), 2);
        for font in fonts.values() {
            assert_eq!(font.get(b"Encoding").unwrap().as_name().unwrap(), b"WinAnsiEncoding");
        }
    }

    #[test]
    fn text_extraction_shows_fields_with_accents() {
        let c = communes();
        let pdf = render(&sample(&c));
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        let text = doc.extract_text(&[1]).unwrap();
        for expected in [
            TITRE,
            "1110318016982G1104",
            "Date de dépôt",
            "14/03/2018",
            "Date d'enregistrement",
            "10/03/2024",
            "Valable jusqu'au",
            "Madame Hélène DUPONT-LEFÈVRE",
            "Communes souhaitées",
            "Saint-Étienne-du-Rouvray",
            "Rouen",
            "Le Grand-Quevilly",
            "Guichet enregistreur",
            "Territoire",
            "Dossier complet",
            "Document émis par sne-gateway (base école)",
        ] {
            assert!(text.contains(expected), "{expected:?} absent du texte extrait:\n{text}");
        }
    }

    #[test]
    fn content_stream_carries_exact_lines() {
        let c = communes();
        let strings = shown_strings(&render(&sample(&c)));
        let has = |s: &str| strings.iter().any(|x| x == s);
        assert!(has("Numéro unique"));
        assert!(has("1110318016982G1104"));
        assert!(has("Madame Hélène DUPONT-LEFÈVRE"));
        assert!(has("Saint-Étienne-du-Rouvray, Rouen, Le Grand-Quevilly"));
        assert!(has("G1104 — Mairie de Saint-Étienne-du-Rouvray"));
        assert!(has("oui"));
        let legal = strings
            .iter()
            .skip_while(|s| !s.starts_with("Votre demande est valable un an."))
            .take(2)
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(
            legal,
            "Votre demande est valable un an. Elle doit être renouvelée avant le 10/03/2025, faute de quoi elle sera radiée."
        );
    }

    #[test]
    fn dossier_complet_line_follows_the_option() {
        let c = communes();
        let mut a = sample(&c);
        a.dossier_complet = Some(false);
        let strings = shown_strings(&render(&a));
        assert!(strings.iter().any(|s| s == "Dossier complet"));
        assert!(strings.iter().any(|s| s == "non"));
        a.dossier_complet = None;
        let strings = shown_strings(&render(&a));
        assert!(!strings.iter().any(|s| s == "Dossier complet"));
    }

    #[test]
    fn equal_input_gives_equal_bytes_and_dates_matter() {
        let c = communes();
        let a = sample(&c);
        assert_eq!(render(&a), render(&a));
        let mut b = a.clone();
        b.date_fin_validite = date!(2025 - 03 - 11);
        assert_ne!(render(&a), render(&b));
    }

    #[test]
    fn long_commune_lists_wrap_and_stay_on_one_page() {
        let many: Vec<String> = (0..400).map(|i| format!("Commune numéro {i:03}")).collect();
        let pdf = render(&sample(&many));
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        assert_eq!(doc.get_pages().len(), 1);
        let strings = shown_strings(&pdf);
        let first = strings.iter().position(|s| s.starts_with("Commune numéro 000")).unwrap();
        let commune_lines: Vec<&String> =
            strings[first..].iter().take_while(|s| s.as_str() != "Guichet enregistreur").collect();
        assert!(commune_lines.len() > 1 && commune_lines.len() <= MAX_COMMUNE_LINES);
        assert!(commune_lines.last().unwrap().ends_with(" autres"), "{commune_lines:?}");
        for line in &commune_lines {
            assert!(REGULAR.width(&win_ansi(line), BODY_SIZE) <= TEXT_W - label_column_width() + 0.01);
        }
        // Every text line stays inside the page.
        let doc_ops = doc.get_and_decode_page_content(*doc.get_pages().get(&1).unwrap()).unwrap().operations;
        for op in doc_ops.iter().filter(|op| op.operator == "Td") {
            let y = op.operands[1].as_float().unwrap();
            assert!(y > 20.0 && y < PAGE_H, "ligne hors page à y={y}");
        }
    }

    #[test]
    fn huge_applicant_name_is_cut_with_ellipsis() {
        let c = communes();
        let long = "Association ".repeat(200);
        let mut a = sample(&c);
        a.demandeur = &long;
        let strings = shown_strings(&render(&a));
        let first = strings.iter().position(|s| s.starts_with("Association")).unwrap();
        let lines: Vec<&String> = strings[first..].iter().take_while(|s| s.starts_with("Association")).collect();
        assert_eq!(lines.len(), MAX_FIELD_LINES);
        assert!(lines.last().unwrap().ends_with('…'));
    }

    #[test]
    fn win_ansi_maps_french_text_and_replaces_the_rest() {
        assert_eq!(win_ansi("Hélène"), b"H\xe9l\xe8ne");
        assert_eq!(win_ansi("Œuvre d\u{2019}art — 5 €"), b"\x8cuvre d\x92art \x97 5 \x80");
        assert_eq!(win_ansi("He\u{301}le\u{300}ne c\u{327}a"), b"H\xe9l\xe8ne \xe7a");
        assert_eq!(win_ansi("漢字\n"), b"???");
        assert_eq!(win_ansi("x\u{301}"), b"x?");
    }

    #[test]
    fn dates_are_day_month_year() {
        assert_eq!(date_fr(date!(2024 - 01 - 05)), "05/01/2024");
    }

    #[test]
    fn file_name() {
        assert_eq!(nom_fichier("1110318016982G1104"), "ATT1110318016982G1104.pdf");
    }
}
