//! The registration certificate ("attestation d'enregistrement"): a one-page A4 PDF given to
//! the applicant at each registration or renewal.
//!
//! Names come in every script (`Łukasz`, `Nguyễn`, `Zoë`, `Ødegaard`), so the text is set in
//! DejaVu Sans (`assets/fonts`, Bitstream Vera licence), embedded as a subset of the glyphs the
//! page uses (`subsetter`), written as a CID font with a `ToUnicode` map so that the text copies
//! and searches as what it is. A character the font lacks prints as its `.notdef` box, never as
//! another letter. Output depends on the input alone (no clock, no random file id), which keeps
//! it testable byte for byte.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock};

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Date as PdfDate, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use sha2::{Digest, Sha256};
use time::{macros::format_description, Date};
use unicode_normalization::UnicodeNormalization;

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
    /// Desired communes, in the applicant's order: INSEE codes, printed with their official
    /// name beside them (other labels are printed as they are).
    pub communes: &'a [String],
    /// Code of the registering counter.
    pub guichet_code: &'a str,
    /// Name of the registering counter.
    pub guichet_nom: &'a str,
    /// Territory code or label.
    pub territoire: &'a str,
    /// Whether the dossier is complete, when known.
    pub dossier_complet: Option<bool>,
    /// The applicant's personal access code to the portal, on the certificate that issues it.
    pub code_acces: Option<&'a str>,
    /// Where the applicants' portal is, printed with the code.
    pub portail: Option<&'a str>,
}

/// Title of the document, also written in the PDF document information.
pub const TITRE: &str = "Attestation d'enregistrement d'une demande de logement social";

/// File name under which the certificate travels: `ATT<num_unique>.pdf`.
pub fn nom_fichier(num_unique: &str) -> String {
    format!("ATT{num_unique}.pdf")
}

/// An embedded font: its PDF resource name, PostScript name and file.
struct Police {
    resource: Name<'static>,
    nom: &'static str,
    face: LazyLock<ttf_parser::Face<'static>>,
    donnees: &'static [u8],
}

static REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

static REGULAR: Police = Police {
    resource: Name(b"F1"),
    nom: "DejaVuSans",
    face: LazyLock::new(|| ttf_parser::Face::parse(REGULAR_TTF, 0).expect("DejaVu Sans is a valid font")),
    donnees: REGULAR_TTF,
};

static BOLD: Police = Police {
    resource: Name(b"F2"),
    nom: "DejaVuSans-Bold",
    face: LazyLock::new(|| ttf_parser::Face::parse(BOLD_TTF, 0).expect("DejaVu Sans Bold is a valid font")),
    donnees: BOLD_TTF,
};

/// Characters below this code point have their glyph and advance read once per font.
const TABLE_CARACTERES: usize = 0x250;

impl Police {
    fn glyphe(&self, c: char) -> u16 {
        self.mesure(c).0
    }

    /// Glyph of `c` and its advance.
    fn mesure(&self, c: char) -> (u16, f32) {
        match self.table().get(c as usize) {
            Some(&m) => m,
            None => {
                let g = self.face.glyph_index(c).map_or(0, |g| g.0);
                (g, self.avance(g))
            }
        }
    }

    /// Advance of glyph `g` in thousandths of an em.
    fn avance(&self, g: u16) -> f32 {
        let units = self.face.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0);
        f32::from(units) * 1000.0 / f32::from(self.face.units_per_em())
    }

    /// Width in points of `text` at `size`.
    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.mesure(c).1).sum::<f32>() * size / 1000.0
    }

    /// Glyph and advance of the Latin characters (every line of a page measures and encodes
    /// its text: a table instead of the font's own lookups each time).
    fn table(&self) -> &'static [(u16, f32)] {
        static TABLES: LazyLock<[Vec<(u16, f32)>; 2]> = LazyLock::new(|| {
            [&REGULAR, &BOLD].map(|p| {
                (0..TABLE_CARACTERES)
                    .map(|i| {
                        let g = char::from_u32(i as u32).and_then(|c| p.face.glyph_index(c)).map_or(0, |g| g.0);
                        (g, p.avance(g))
                    })
                    .collect()
            })
        });
        &TABLES[usize::from(std::ptr::eq(self, &BOLD))]
    }
}

/// Font subsets already built, by font and glyph set (a page's subset depends on the set of
/// glyphs it uses only): most certificates use the same few sets, and subsetting is the
/// slowest step of a registration. Emptied when full.
static SOUS_ENSEMBLES: LazyLock<std::sync::Mutex<SousEnsembles>> = LazyLock::new(Default::default);

/// Subsets by (font, glyphs in the font's order).
type SousEnsembles = HashMap<(&'static str, Vec<u16>), Arc<Vec<u8>>>;
/// In every subset of the regular font.
const ASCII_IMPRIMABLE: &str =
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

/// Most subsets kept.
const SOUS_ENSEMBLES_MAX: usize = 256;

/// Renders the certificate as a complete one-page PDF.
pub fn render(a: &Attestation) -> Vec<u8> {
    let lignes = page_lines(a);

    // Glyphs are numbered in the subset in the order of the font's own numbers, so that the
    // subset depends on the set of glyphs the page uses only; printable ASCII is always in the
    // regular one (numbers, dates and the random access code would otherwise make a new set per
    // page). The bold one shows the title and labels only, the same on every page: its subset is
    // what they use (printable ASCII in both made every certificate 19 KB larger).
    let mut jeux = [&REGULAR, &BOLD].map(|police| {
        let textes = lignes
            .iter()
            .filter(|l| l.trait_.is_none() && std::ptr::eq(police, if l.gras { &BOLD } else { &REGULAR }))
            .map(|l| l.texte.as_str());
        let base = std::ptr::eq(police, &REGULAR).then_some(ASCII_IMPRIMABLE);
        Jeu::new(police, base.into_iter().chain(textes))
    });
    let mut c = Content::new();
    for l in &lignes {
        if let Some((x1, x2, y)) = l.trait_ {
            c.set_line_width(0.6).move_to(x1, y).line_to(x2, y).stroke();
            continue;
        }
        let jeu = &mut jeux[usize::from(l.gras)];
        let codes = jeu.coder(&l.texte);
        c.begin_text().set_font(jeu.police.resource, l.taille).next_line(l.x, l.y).show(Str(&codes)).end_text();
    }
    let content = c.finish();

    let catalog_id = Ref::new(1);
    let pages_id = Ref::new(2);
    let page_id = Ref::new(3);
    let content_id = Ref::new(4);
    let info_id = Ref::new(5);
    let mut next = 6;
    let mut alloue = || {
        next += 1;
        Ref::new(next - 1)
    };
    let polices: Vec<[Ref; 5]> = jeux.iter().map(|_| [alloue(), alloue(), alloue(), alloue(), alloue()]).collect();

    let mut pdf = Pdf::new();
    pdf.set_version(1, 4);
    pdf.catalog(catalog_id).pages(pages_id).lang(TextStr("fr-FR"));
    pdf.pages(pages_id).kids([page_id]).count(1);
    {
        let mut page = pdf.page(page_id);
        page.parent(pages_id).media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H)).contents(content_id);
        let mut resources = page.resources();
        let mut fonts = resources.fonts();
        for (jeu, ids) in jeux.iter().zip(&polices) {
            fonts.pair(jeu.police.resource, ids[0]);
        }
        fonts.finish();
        resources.finish();
        page.finish();
    }
    for (jeu, ids) in jeux.iter().zip(&polices) {
        jeu.ecrire(&mut pdf, *ids);
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

/// The glyphs of one font a page uses, renumbered for its subset.
struct Jeu {
    police: &'static Police,
    remap: subsetter::GlyphRemapper,
    /// New glyph id -> (old glyph id, the character it shows).
    glyphes: BTreeMap<u16, (u16, char)>,
}

impl Jeu {
    /// The glyphs of `textes`, numbered in the font's order.
    fn new<'a>(police: &'static Police, textes: impl Iterator<Item = &'a str>) -> Jeu {
        let mut premiers: BTreeMap<u16, char> = BTreeMap::new();
        for ch in textes.flat_map(str::chars) {
            premiers.entry(police.glyphe(ch)).or_insert(ch);
        }
        let mut remap = subsetter::GlyphRemapper::new();
        let mut glyphes = BTreeMap::new();
        for (old, ch) in premiers {
            glyphes.insert(remap.remap(old), (old, ch));
        }
        Jeu { police, remap, glyphes }
    }

    /// `text` as two-byte codes of the subset (Identity-H: code = new glyph id).
    fn coder(&mut self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() * 2);
        for ch in text.chars() {
            let old = self.police.glyphe(ch);
            let new = self.remap.remap(old);
            self.glyphes.entry(new).or_insert((old, ch));
            out.extend_from_slice(&new.to_be_bytes());
        }
        out
    }

    /// Writes the Type0 font, its CID font, descriptor, subset file and ToUnicode map into the
    /// ids `[type0, cid, descriptor, file, cmap]`.
    fn ecrire(&self, pdf: &mut Pdf, [type0, cid, descriptor, file, cmap]: [Ref; 5]) {
        let face = &self.police.face;
        let cle = (self.police.nom, self.glyphes.values().map(|(g, _)| *g).collect::<Vec<u16>>());
        let connu = SOUS_ENSEMBLES.lock().unwrap_or_else(|p| p.into_inner()).get(&cle).cloned();
        let subset = match connu {
            Some(s) => s,
            None => {
                let s = Arc::new(
                    subsetter::subset(self.police.donnees, 0, &self.remap)
                        .expect("DejaVu Sans is a TrueType font the subsetter reads"),
                );
                let mut cache = SOUS_ENSEMBLES.lock().unwrap_or_else(|p| p.into_inner());
                if cache.len() >= SOUS_ENSEMBLES_MAX {
                    cache.clear();
                }
                cache.insert(cle, Arc::clone(&s));
                s
            }
        };
        // The six-letter subset tag is a digest of the glyphs used: stable for equal pages.
        let tag: String = Sha256::digest(self.glyphes.values().flat_map(|(g, _)| g.to_be_bytes()).collect::<Vec<u8>>())
            .iter()
            .take(6)
            .map(|b| char::from(b'A' + b % 26))
            .collect();
        let base = format!("{tag}+{}", self.police.nom);
        let system = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };

        pdf.type0_font(type0)
            .base_font(Name(base.as_bytes()))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap);
        let mut cid_font = pdf.cid_font(cid);
        cid_font
            .subtype(CidFontType::Type2)
            .base_font(Name(base.as_bytes()))
            .system_info(system)
            .font_descriptor(descriptor)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        let largeurs: Vec<f32> = (0..self.remap.num_gids())
            .map(|new| {
                self.glyphes.get(&new).map_or_else(|| self.police.avance(0), |(old, _)| self.police.avance(*old))
            })
            .collect();
        cid_font.widths().consecutive(0, largeurs);
        cid_font.finish();

        let em = f32::from(face.units_per_em());
        let scale = |v: i16| f32::from(v) * 1000.0 / em;
        let bbox = face.global_bounding_box();
        pdf.font_descriptor(descriptor)
            .name(Name(base.as_bytes()))
            .flags(FontFlags::NON_SYMBOLIC)
            .bbox(Rect::new(scale(bbox.x_min), scale(bbox.y_min), scale(bbox.x_max), scale(bbox.y_max)))
            .italic_angle(0.0)
            .ascent(scale(face.ascender()))
            .descent(scale(face.descender()))
            .cap_height(scale(face.capital_height().unwrap_or(face.ascender())))
            .stem_v(80.0)
            .font_file2(file);
        pdf.stream(file, subset.as_slice());

        let mut unicode = UnicodeCmap::new(Name(b"Custom"), system);
        for (new, (_, ch)) in &self.glyphes {
            if *new != 0 {
                unicode.pair(*new, *ch);
            }
        }
        pdf.cmap(cmap, &unicode.finish());
    }
}

/// One thing drawn on the page: a line of text, or a rule.
struct Ligne {
    texte: String,
    gras: bool,
    taille: f32,
    x: f32,
    y: f32,
    /// A horizontal rule from x1 to x2 at y, instead of text.
    trait_: Option<(f32, f32, f32)>,
}

fn ligne(texte: String, gras: bool, taille: f32, x: f32, y: f32) -> Ligne {
    Ligne { texte, gras, taille, x, y, trait_: None }
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

/// Text as printed: composed (a decomposed `e` + accent prints as one `é`), control characters
/// dropped.
fn propre(s: &str) -> String {
    s.nfc().filter(|c| !c.is_control()).collect()
}

fn page_lines(a: &Attestation) -> Vec<Ligne> {
    let mut out = Vec::new();
    let mut y = PAGE_H - MARGIN - TITLE_SIZE;

    for line in wrap(&BOLD, TITRE, TITLE_SIZE, TEXT_W) {
        out.push(ligne(line, true, TITLE_SIZE, MARGIN, y));
        y -= TITLE_LEADING;
    }
    y += TITLE_LEADING - 10.0;
    out.push(Ligne { trait_: Some((MARGIN, PAGE_W - MARGIN, y)), ..ligne(String::new(), false, 0.0, 0.0, 0.0) });
    y -= 12.0 + BODY_SIZE;

    let guichet = format!("{} \u{2014} {}", a.guichet_code, a.guichet_nom);
    let mut fields: Vec<(&str, Vec<String>)> = Vec::new();
    let value_x_offset = label_column_width();
    let value_w = TEXT_W - value_x_offset;
    let field = |s: &str| limit_lines(wrap(&REGULAR, &propre(s), BODY_SIZE, value_w), MAX_FIELD_LINES, value_w);
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
    if let Some(code) = a.code_acces {
        fields.push(("Code d'accès personnel", field(code)));
        if let Some(portail) = a.portail {
            fields.push(("Espace demandeur", field(portail)));
        }
    }

    for (label, lines) in fields {
        out.push(ligne(label.to_string(), true, BODY_SIZE, MARGIN, y));
        for line in lines {
            out.push(ligne(line, false, BODY_SIZE, MARGIN + value_x_offset, y));
            y -= BODY_LEADING;
        }
        y -= FIELD_GAP;
    }

    y -= 2.0 * BODY_LEADING;
    let legal = format!(
        "Votre demande est valable un an. Elle doit être renouvelée avant le {}, faute de quoi elle sera radiée.",
        date_fr(a.date_fin_validite)
    );
    for line in wrap(&REGULAR, &legal, BODY_SIZE, TEXT_W) {
        out.push(ligne(line, false, BODY_SIZE, MARGIN, y));
        y -= BODY_LEADING;
    }
    if a.code_acces.is_some() {
        y -= BODY_LEADING;
        let portail = "Avec votre numéro unique et votre code d'accès personnel, vous suivez votre demande et \
                       déposez vos pièces justificatives dans l'espace demandeur. Ne communiquez ce code à personne ; \
                       votre guichet peut vous en remettre un nouveau, qui remplace celui-ci.";
        for line in wrap(&REGULAR, portail, BODY_SIZE, TEXT_W) {
            out.push(ligne(line, false, BODY_SIZE, MARGIN, y));
            y -= BODY_LEADING;
        }
    }

    let footer = "Document émis par sne-gateway (base école)";
    let footer_x = (PAGE_W - REGULAR.width(footer, FOOTER_SIZE)) / 2.0;
    out.push(ligne(footer.to_string(), false, FOOTER_SIZE, footer_x, MARGIN - 20.0));
    out
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
    LABELS.iter().map(|l| BOLD.width(l, BODY_SIZE)).fold(0.0, f32::max) + LABEL_GAP
}

/// A desired commune as printed: its INSEE code with the official name beside it.
fn commune(code: &str) -> String {
    match super::geographie::commune(code) {
        Some(c) => format!("{} {}", c.code, c.nom),
        None => propre(code),
    }
}

/// Lists the communes; when they do not fit, lists as many as fit and says how many remain.
fn communes_lines(communes: &[String], width: f32) -> Vec<String> {
    if communes.is_empty() {
        return wrap(&REGULAR, "non renseignées", BODY_SIZE, width);
    }
    let communes: Vec<String> = communes.iter().map(|c| commune(c)).collect();
    let mut shown = communes.len();
    loop {
        let mut s = communes[..shown].join(", ");
        let rest = communes.len() - shown;
        if rest > 0 {
            s.push_str(&format!(" et {rest} autre{}", if rest > 1 { "s" } else { "" }));
        }
        let lines = wrap(&REGULAR, &s, BODY_SIZE, width);
        if lines.len() <= MAX_COMMUNE_LINES || shown == 0 {
            return limit_lines(lines, MAX_COMMUNE_LINES, width);
        }
        shown -= 1;
    }
}

/// Keeps at most `max` lines, ending the last kept one with an ellipsis when text was cut.
fn limit_lines(mut lines: Vec<String>, max: usize, width: f32) -> Vec<String> {
    if lines.len() <= max {
        return lines;
    }
    lines.truncate(max);
    if let Some(last) = lines.last_mut() {
        while !last.is_empty() && REGULAR.width(last, BODY_SIZE) + REGULAR.width("…", BODY_SIZE) > width {
            last.pop();
        }
        last.push('…');
    }
    lines
}

/// Greedy word wrap on spaces; a word wider than the line is cut where it overflows.
fn wrap(font: &Police, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate_w = if line.is_empty() {
            font.width(word, size)
        } else {
            font.width(&line, size) + font.width(" ", size) + font.width(word, size)
        };
        if candidate_w <= width {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for ch in word.chars() {
            let mut one = [0u8; 4];
            if !line.is_empty() && font.width(&line, size) + font.width(ch.encode_utf8(&mut one), size) > width {
                lines.push(std::mem::take(&mut line));
            }
            line.push(ch);
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use time::macros::date;

    fn communes() -> Vec<String> {
        vec!["76575".to_string(), "Rouen".to_string(), "76322".to_string()]
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
            code_acces: None,
            portail: None,
        }
    }

    /// Every font's ToUnicode map, read back from the file with lopdf: resource name -> (code
    /// -> text).
    fn to_unicode(doc: &lopdf::Document) -> HashMap<Vec<u8>, HashMap<u16, String>> {
        let page = *doc.get_pages().get(&1).unwrap();
        let mut out = HashMap::new();
        for (name, font) in doc.get_page_fonts(page).unwrap() {
            let stream_id = font.get(b"ToUnicode").unwrap().as_reference().unwrap();
            let stream = doc.get_object(stream_id).unwrap().as_stream().unwrap();
            let text = String::from_utf8(stream.decompressed_content().unwrap_or(stream.content.clone())).unwrap();
            let mut map = HashMap::new();
            // `<code> <utf-16be>` pairs of the bfchar sections (not the codespace range).
            let mut bfchar = false;
            for line in text.lines() {
                if line.ends_with("beginbfchar") || line.ends_with("endbfchar") {
                    bfchar = line.ends_with("beginbfchar");
                    continue;
                }
                if !bfchar || !line.starts_with('<') {
                    continue;
                }
                let hex: Vec<&str> = line.split(['<', '>', ' ']).filter(|s| !s.is_empty()).collect();
                let code = u16::from_str_radix(hex[0], 16).unwrap();
                let units: Vec<u16> = (0..hex[1].len() / 4)
                    .map(|i| u16::from_str_radix(&hex[1][i * 4..i * 4 + 4], 16).unwrap())
                    .collect();
                map.insert(code, String::from_utf16(&units).unwrap());
            }
            out.insert(name, map);
        }
        out
    }

    /// Every string shown with `Tj` on page 1, decoded through its font's ToUnicode map (a
    /// code the map lacks, the `.notdef` glyph, shows as U+FFFD).
    fn shown_strings(pdf: &[u8]) -> Vec<String> {
        let doc = lopdf::Document::load_mem(pdf).expect("lopdf charge le PDF");
        let maps = to_unicode(&doc);
        let page = *doc.get_pages().get(&1).expect("page 1");
        let content = doc.get_and_decode_page_content(page).expect("contenu de page");
        let mut font = Vec::new();
        let mut out = Vec::new();
        for op in &content.operations {
            match op.operator.as_str() {
                "Tf" => font = op.operands[0].as_name().unwrap().to_vec(),
                "Tj" => {
                    let lopdf::Object::String(bytes, _) = &op.operands[0] else { panic!("{op:?}") };
                    let map = &maps[&font];
                    out.push(
                        bytes
                            .chunks(2)
                            .map(|c| map.get(&u16::from_be_bytes([c[0], c[1]])).cloned().unwrap_or("\u{FFFD}".into()))
                            .collect(),
                    );
                }
                _ => {}
            }
        }
        out
    }

    #[test]
    fn is_a_complete_pdf_file_with_two_embedded_subset_fonts() {
        let c = communes();
        let pdf = render(&sample(&c));
        assert!(pdf.starts_with(b"%PDF-1.4"));
        assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
        assert!(pdf.len() < 120_000, "the fonts are subsets, not the whole 1.4 MB: {} bytes", pdf.len());
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        assert_eq!(doc.get_pages().len(), 1);
        let info = doc.trailer.get(b"Info").and_then(|r| doc.get_dictionary(r.as_reference().unwrap())).unwrap();
        assert_eq!(lopdf::decode_text_string(info.get(b"Title").unwrap()).unwrap(), TITRE);
        let fonts = doc.get_page_fonts(*doc.get_pages().get(&1).unwrap()).unwrap();
        assert_eq!(fonts.len(), 2);
        for font in fonts.values() {
            assert_eq!(font.get(b"Subtype").unwrap().as_name().unwrap(), b"Type0");
            assert_eq!(font.get(b"Encoding").unwrap().as_name().unwrap(), b"Identity-H");
            let base = font.get(b"BaseFont").unwrap().as_name().unwrap();
            assert_eq!(base[6], b'+', "subset tag: {}", String::from_utf8_lossy(base));
            let cid = doc
                .get_dictionary(font.get(b"DescendantFonts").unwrap().as_array().unwrap()[0].as_reference().unwrap())
                .unwrap();
            let descriptor = doc.get_dictionary(cid.get(b"FontDescriptor").unwrap().as_reference().unwrap()).unwrap();
            let file = doc.get_object(descriptor.get(b"FontFile2").unwrap().as_reference().unwrap()).unwrap();
            let data = file.as_stream().unwrap().content.clone();
            ttf_parser::Face::parse(&data, 0).expect("the embedded subset is a font");
        }
    }

    #[test]
    fn names_in_any_script_print_with_their_own_glyphs() {
        let c = communes();
        for name in ["Łukasz WÓJCIK", "Nguyễn Thị Hằng", "Zoë Ødegaard", "He\u{301}le\u{300}ne"] {
            let mut a = sample(&c);
            a.demandeur = name;
            let strings = shown_strings(&render(&a));
            let composed: String = name.nfc().collect();
            assert!(strings.contains(&composed), "{composed:?} absent: {strings:?}");
            assert!(!strings.iter().any(|s| s.contains('\u{FFFD}')), "a glyph is missing: {strings:?}");
        }
        // A character the font lacks is a visible .notdef box, not another letter.
        let mut a = sample(&c);
        a.demandeur = "Jean 漢字";
        let strings = shown_strings(&render(&a));
        assert!(strings.iter().any(|s| s == "Jean \u{FFFD}\u{FFFD}"), "{strings:?}");
    }

    #[test]
    fn pages_with_the_same_glyphs_share_their_subsets_and_a_new_glyph_makes_its_own() {
        let c = communes();
        let polices = |nom: &'static str| {
            let mut a = sample(&c);
            a.demandeur = nom;
            let doc = lopdf::Document::load_mem(&render(&a)).unwrap();
            let mut bases: Vec<String> = doc
                .objects
                .values()
                .filter_map(|o| o.as_dict().ok())
                .filter(|d| d.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"FontDescriptor"))
                .map(|d| String::from_utf8_lossy(d.get(b"FontName").unwrap().as_name().unwrap()).into_owned())
                .collect();
            bases.sort();
            bases
        };
        // The same letters in another order: the same subsets (their tag digests the glyphs).
        assert_eq!(polices("Madame Anne NOEL"), polices("Madame Anne LEON"));
        assert_ne!(polices("Madame Anne NOEL"), polices("Madame Żaneta NOEL"));
        // And the page still shows what it says.
        let mut a = sample(&c);
        a.demandeur = "Madame Żaneta NOEL";
        assert!(shown_strings(&render(&a)).iter().any(|s| s == "Madame Żaneta NOEL"));
    }

    #[test]
    fn fields_are_shown_line_by_line_with_communes_by_name() {
        let c = communes();
        let strings = shown_strings(&render(&sample(&c)));
        let has = |s: &str| strings.iter().any(|x| x == s);
        let tout = strings.join(" ");
        assert!(tout.contains("76575 Saint-Étienne-du-Rouvray, Rouen, 76322 Le Grand-Quevilly"), "{tout}");
        for s in [
            "Numéro unique",
            "1110318016982G1104",
            "Madame Hélène DUPONT-LEFÈVRE",
            "G1104 — Mairie de Saint-Étienne-du-Rouvray",
            "14/03/2018",
            "10/03/2025",
            "oui",
        ] {
            assert!(has(s), "{s:?} absent: {strings:?}");
        }
        // lopdf's own extraction reads it too (the ToUnicode maps are well formed).
        let doc = lopdf::Document::load_mem(&render(&sample(&c))).unwrap();
        assert!(doc.extract_text(&[1]).unwrap().contains("Hélène"));
    }

    #[test]
    fn dossier_complet_line_follows_the_option() {
        let c = communes();
        let mut a = sample(&c);
        a.dossier_complet = Some(false);
        let strings = shown_strings(&render(&a));
        assert!(strings.iter().any(|s| s == "Dossier complet") && strings.iter().any(|s| s == "non"));
        a.dossier_complet = None;
        assert!(!shown_strings(&render(&a)).iter().any(|s| s == "Dossier complet"));
    }

    #[test]
    fn equal_input_gives_equal_bytes_and_dates_matter() {
        let c = communes();
        let a = sample(&c);
        assert_eq!(render(&a), render(&a));
        let mut b = sample(&c);
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
            assert!(REGULAR.width(line, BODY_SIZE) <= TEXT_W - label_column_width() + 0.01);
        }
        let ops = doc.get_and_decode_page_content(*doc.get_pages().get(&1).unwrap()).unwrap().operations;
        for op in ops.iter().filter(|op| op.operator == "Td") {
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
    fn dates_are_day_month_year() {
        assert_eq!(date_fr(date!(2024 - 01 - 05)), "05/01/2024");
    }

    #[test]
    fn file_name() {
        assert_eq!(nom_fichier("1110318016982G1104"), "ATT1110318016982G1104.pdf");
    }
}
