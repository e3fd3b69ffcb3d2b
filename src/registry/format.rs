//! What a supporting document is, told by its own bytes while it streams in.
//!
//! Scanned identity cards, tax notices and payslips arrive as chunks of any size, files of up to
//! 200 MiB, and are never held whole: an [`Examen`] keeps the first and last KiB, a PDF name being
//! read and, for PDFs only, the decoders of at most five streams at a time (the current one and
//! four beside it, each at most [`objets::FILTRES_MAX`] filters, each with a bounded buffer). Its
//! memory does not grow with the file, and every byte is looked at a bounded number of times.
//!
//! The format comes from the content's signature, never from the declared type or the file name
//! ([`Format::accepte_type`] compares the two afterwards). Then its structure is checked: the PDF
//! header and `%%EOF`, the JPEG end-of-image marker, the PNG `IHDR` and `IEND` chunks, the TIFF
//! first image directory. A PDF is also refused when it holds active content ([`ACTIFS`]: scripts,
//! XFA forms, form submission and data import, actions opening other documents, program
//! launches, attached files, multimedia), looked for in its plain bytes and in every stream
//! decoded through its whole chain of filters (`/FlateDecode` zlib or raw deflate,
//! `/ASCIIHexDecode`, `/ASCII85Decode`, `/LZWDecode`, `/RunLengthDecode`, their predictors; see
//! `filtres`), object streams included, with one budget of decoded bytes per document (zip
//! bombs). Web links (`/URI`) are accepted: scanned and administrative PDFs carry them, and
//! opening one asks the reader first.
//!
//! This is a screen, not a sandbox. A streaming scan cannot follow the cross-reference table:
//! encrypted objects are not decrypted, and a stream whose filters are not in its dictionary (an
//! indirect `/Filter`, or a dictionary misread after bytes that readers skip) is decoded by what
//! its data looks like (zlib, LZW, ASCIIHex or ASCII85; not RunLength or raw deflate). Documents
//! are still to be opened with JavaScript off.

mod filtres;
mod objets;

#[cfg(test)]
#[path = "../../tests/kit/pdf.rs"]
#[allow(dead_code)]
mod corpus;

use filtres::{Avance, Chaine, Contexte};
use objets::{Declaration, LecteurObjets};

/// Bytes kept from the start: the signatures, the headers, a misplaced `%PDF-`.
const TETE: usize = 1024;
/// Bytes kept from the end: `%%EOF` has to be in the last KiB, as readers look for it there.
const FIN: usize = 1024;
/// Bytes needed to tell every format apart (and to read the TIFF directory offset).
const SIGNATURE: usize = 8;
/// Longest name kept, the limit of PDF readers (ISO 32000-2, annex C); longer ones cannot match.
const NOM_MAX: usize = 127;
/// Most bytes of content a refusal quotes.
const CITATION: usize = 16;
/// Padding tolerated after a JPEG's end-of-image marker (some scanners round the file up).
const BOURRAGE_JPEG: usize = 16;
/// Printable bytes that must precede a name of fewer than four bytes for it to count.
///
/// Random binary data (images, fonts, compressed bytes) spells `/JS` followed by a delimiter about
/// every 270 MB; after 16 printable bytes, about once per petabyte. Real dictionaries are text,
/// and a JavaScript action cannot do without `/S /JavaScript`, which is long enough to be always
/// looked for.
const TEXTE_AVANT_NOM_COURT: u16 = 16;
/// What refuses a PDF: names (with the slash, `#xx` escapes decoded), and the `<script>` element
/// of an XFA form's XML; each as reported, with what it is.
///
/// `/URI` (a web link) is not among them: links are common in legitimate administrative PDFs, and
/// readers ask before opening one. `/GoTo` (a page of the same document) neither.
pub const ACTIFS: [(&str, &str); 12] = [
    ("/JavaScript", "action JavaScript"),
    ("/JS", "script JavaScript"),
    ("/Launch", "lancement de programme"),
    ("/EmbeddedFile", "fichier joint"),
    ("/EmbeddedFiles", "fichiers joints"),
    ("/RichMedia", "contenu multimédia"),
    ("/XFA", "formulaire XFA"),
    ("<script>", "script de formulaire XFA"),
    ("/SubmitForm", "action de soumission de formulaire"),
    ("/ImportData", "action d'import de données"),
    ("/GoToR", "action d'ouverture d'un document distant"),
    ("/GoToE", "action d'ouverture d'un document incorporé"),
];
/// The index of `<script>` in [`ACTIFS`].
const ACTIF_SCRIPT: usize = 7;
/// The whole `IEND` chunk: empty, so its CRC is a constant too.
const IEND: [u8; 12] = [0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82];

/// A format accepted for supporting documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// PDF, any version 1.x or 2.x.
    Pdf,
    /// JPEG (JFIF, Exif).
    Jpeg,
    /// PNG.
    Png,
    /// TIFF, little- or big-endian (not BigTIFF).
    Tiff,
}

impl Format {
    /// The MIME type under which the document is stored and served.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Tiff => "image/tiff",
        }
    }

    /// The name a counter's staff knows the format by.
    pub fn nom(self) -> &'static str {
        match self {
            Format::Pdf => "PDF",
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
            Format::Tiff => "TIFF",
        }
    }

    /// Whether a declared MIME type designates this format: case-insensitive, parameters
    /// (`; name=...`) ignored, the usual aliases accepted. `application/octet-stream` designates
    /// no format: it says the sender did not know.
    pub fn accepte_type(self, declare: &str) -> bool {
        let essence = declare.split(';').next().unwrap_or_default().trim();
        // The aliases of shared-mime-info, plus what browsers and old mail clients send.
        let types: &[&str] = match self {
            Format::Pdf => {
                &["application/pdf", "application/x-pdf", "application/acrobat", "application/nappdf", "image/pdf"]
            }
            Format::Jpeg => &["image/jpeg", "image/jpg", "image/pjpeg"],
            Format::Png => &["image/png", "image/x-png"],
            Format::Tiff => &["image/tiff", "image/tif", "image/x-tiff"],
        };
        types.iter().any(|t| essence.eq_ignore_ascii_case(t))
    }

    /// The smallest file whose structure can be what is checked: PDF header and `%%EOF`; JPEG
    /// start, one marker and end; PNG signature, `IHDR` and `IEND`; TIFF header and a directory of
    /// one entry.
    fn taille_minimale(self) -> u64 {
        match self {
            Format::Pdf => 13,
            Format::Jpeg => 6,
            Format::Png => 45,
            Format::Tiff => 26,
        }
    }
}

/// Bounds of an examination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limites {
    /// Total bytes the decoders of a PDF's streams may output (every stage of every chain)
    /// before the file is refused ([`RefusFormat::CompressionExcessive`]). Default
    /// [`INFLATION_MAX`], 256 MiB.
    pub max_inflation_octets: u64,
}

/// Decoded bytes a PDF's streams may produce in all, by default.
pub const INFLATION_MAX: u64 = 256 * 1024 * 1024;

impl Default for Limites {
    fn default() -> Self {
        Limites { max_inflation_octets: INFLATION_MAX }
    }
}

/// Why a document is refused. Messages in French, for a counter's staff; they quote at most 16
/// bytes of the content, in hexadecimal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefusFormat {
    /// Nothing was received.
    #[error("le fichier est vide (0 octet) : le dépôt n'a sans doute pas abouti")]
    Vide,
    /// The content starts like none of the accepted formats.
    #[error(
        "format non reconnu : seuls les fichiers PDF, JPEG, PNG et TIFF sont acceptés (le fichier \
         commence par {debut}){}",
        suffixe_indice(.indice)
    )]
    FormatInconnu {
        /// The first bytes, in hexadecimal.
        debut: String,
        /// What the file looks like instead, when it is a common format (`une image GIF`).
        indice: Option<&'static str>,
    },
    /// The content starts like a format but is shorter than its smallest possible file.
    #[error(
        "fichier {} trop court ({taille} octets, au moins {minimum} attendus) : il est sans doute \
         incomplet",
        .format.nom()
    )]
    TropCourt {
        /// The format the start announces.
        format: Format,
        /// The size received.
        taille: u64,
        /// The smallest possible file of the format.
        minimum: u64,
    },
    /// `%PDF-` is in the first KiB but not at its start: something was put before the document.
    #[error(
        "PDF mal formé : l'en-tête « %PDF- » se trouve à l'octet {position} au lieu du tout début du \
         fichier (des données le précèdent)"
    )]
    PdfEnteteDecale {
        /// Offset of `%PDF-`.
        position: u64,
    },
    /// The file starts with `%PDF` but not with `%PDF-1.x` or `%PDF-2.x`.
    #[error(
        "PDF mal formé : l'en-tête doit être « %PDF-1.x » ou « %PDF-2.x » (le fichier commence par \
         {debut})"
    )]
    PdfEnteteInvalide {
        /// The first bytes, in hexadecimal.
        debut: String,
    },
    /// No `%%EOF` in the last 1024 bytes.
    #[error(
        "PDF incomplet : le marqueur de fin « %%EOF » manque dans le dernier kilo-octet (fichier \
         tronqué ?)"
    )]
    PdfSansFin,
    /// The file does not end with the end-of-image marker `FF D9`.
    #[error(
        "JPEG incomplet : le fichier ne se termine pas par le marqueur de fin d'image FF D9 (il finit \
         par {fin}) ; il est sans doute tronqué"
    )]
    JpegSansFin {
        /// The last bytes, in hexadecimal.
        fin: String,
    },
    /// `\x89PNG` is followed by something else than `\r\n\x1a\n`.
    #[error(
        "PNG abîmé : sa signature de 8 octets est altérée (le fichier commence par {debut}), souvent \
         par un transfert en mode texte"
    )]
    PngSignatureAlteree {
        /// The first bytes, in hexadecimal.
        debut: String,
    },
    /// The first chunk is not an `IHDR` of 13 bytes.
    #[error("PNG mal formé : son premier bloc n'est pas l'en-tête d'image IHDR de 13 octets")]
    PngSansIhdr,
    /// The file does not end with the `IEND` chunk.
    #[error(
        "PNG incomplet : le fichier ne se termine pas par le bloc de fin IEND (il finit par {fin}) ; \
         il est sans doute tronqué"
    )]
    PngSansIend {
        /// The last bytes, in hexadecimal.
        fin: String,
    },
    /// The first image directory is announced in the header or past the end of the file.
    #[error(
        "TIFF mal formé : son premier répertoire d'image est annoncé à l'octet {position}, hors du \
         fichier de {taille} octets ou dans son en-tête"
    )]
    TiffRepertoireHors {
        /// The offset announced by the header.
        position: u64,
        /// The size of the file.
        taille: u64,
    },
    /// The first image directory is empty or runs past the end of the file.
    #[error(
        "TIFF incomplet : son premier répertoire d'image (octet {position}) annonce {entrees} \
         entrée(s) et est vide ou dépasse la fin du fichier"
    )]
    TiffRepertoireInvalide {
        /// The offset of the directory.
        position: u64,
        /// The number of entries it announces.
        entrees: u16,
    },
    /// The PDF holds active content.
    #[error(
        "PDF refusé par sécurité : il contient du contenu actif : {} ; scripts, formulaires XFA, \
         soumissions de formulaire, ouvertures d'autres documents, lancements de programme, \
         fichiers joints et multimédia ne sont pas acceptés, une version imprimée en PDF ou \
         numérisée convient",
        decrire(.elements)
    )]
    ContenuActif {
        /// What was found, as named in [`ACTIFS`] (`/JavaScript`, `<script>`...), in that order.
        elements: Vec<&'static str>,
    },
    /// The compressed streams of the PDF inflate to more than the limit.
    #[error(
        "PDF refusé : son contenu compressé dépasse la limite de vérification ({} une fois décompressé)",
        en_mio(*.limite)
    )]
    CompressionExcessive {
        /// The limit, in bytes ([`Limites::max_inflation_octets`]).
        limite: u64,
    },
    /// A stream of the PDF cannot be decoded to be searched: more filters than readers chain,
    /// parameters out of reach or out of bounds, data running past the end of two streams.
    #[error(
        "PDF refusé par sécurité : un de ses flux ne peut pas être vérifié ({raison}) ; une version \
         imprimée en PDF ou numérisée convient"
    )]
    FluxInverifiable {
        /// Why, in French.
        raison: &'static str,
    },
}

/// `action JavaScript (/JavaScript), script JavaScript (/JS)`.
fn decrire(elements: &[&'static str]) -> String {
    let libelle = |nom: &str| ACTIFS.iter().find(|(n, _)| *n == nom).map_or("contenu actif", |(_, l)| *l);
    elements.iter().map(|nom| format!("{} ({nom})", libelle(nom))).collect::<Vec<_>>().join(", ")
}

fn suffixe_indice(indice: &Option<&'static str>) -> String {
    indice.map(|i| format!(" ; il s'agit apparemment {i}")).unwrap_or_default()
}

fn en_mio(octets: u64) -> String {
    if octets >= 1024 * 1024 && octets.is_multiple_of(1024 * 1024) {
        format!("{} Mio", octets / (1024 * 1024))
    } else {
        format!("{octets} octets")
    }
}

/// At most [`CITATION`] bytes, as `25 50 44 46`.
fn hexa(octets: &[u8]) -> String {
    let cites = &octets[..octets.len().min(CITATION)];
    cites.iter().map(|o| format!("{o:02X}")).collect::<Vec<_>>().join(" ")
}

/// What an unaccepted file looks like, for the formats people most often send by mistake.
fn indice(debut: &[u8]) -> Option<&'static str> {
    let ftyp = debut.get(4..8) == Some(&b"ftyp"[..]);
    let marque = debut.get(8..12).unwrap_or_default();
    if debut.starts_with(b"PK\x03\x04") {
        Some("d'une archive ZIP ou d'un document Office (Word, Excel...), à convertir en PDF")
    } else if debut.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some("d'un ancien document Office (Word, Excel...), à convertir en PDF")
    } else if debut.starts_with(b"GIF87a") || debut.starts_with(b"GIF89a") {
        Some("d'une image GIF")
    } else if debut.starts_with(b"RIFF") && debut.get(8..12) == Some(&b"WEBP"[..]) {
        Some("d'une image WebP")
    } else if ftyp && [&b"heic"[..], b"heix", b"heif", b"mif1", b"msf1", b"hevc"].contains(&marque) {
        Some("d'une photo HEIC (format des iPhone), à enregistrer en JPEG")
    } else if debut.starts_with(b"II+\0") || debut.starts_with(b"MM\0+") {
        Some("d'un TIFF au format BigTIFF, non accepté")
    } else {
        None
    }
}

/// What the first bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reconnu {
    /// The signature of a format.
    Format(Format),
    /// The start of a signature, and nothing more: the file ended there.
    Debut(Format),
    /// None of the four.
    Inconnu,
}

/// The signatures that decide the format. Whatever a format requires beyond them (the PDF
/// version, the rest of the PNG signature) is structure: a damaged header is told as such rather
/// than as an unknown format.
const SIGNATURES: [(&[u8], Format); 5] = [
    (b"%PDF", Format::Pdf),
    (&[0xFF, 0xD8, 0xFF], Format::Jpeg),
    (&[0x89, b'P', b'N', b'G'], Format::Png),
    (b"II*\0", Format::Tiff),
    (b"MM\0*", Format::Tiff),
];

fn reconnaitre(debut: &[u8]) -> Reconnu {
    for (signature, format) in SIGNATURES {
        if debut.starts_with(signature) {
            return Reconnu::Format(format);
        }
        if debut.len() < signature.len() && signature.starts_with(debut) {
            return Reconnu::Debut(format);
        }
    }
    Reconnu::Inconnu
}

/// The examination of one document, fed chunk by chunk.
///
/// ```text
/// let mut examen = Examen::new(Limites::default());
/// for morceau in morceaux { examen.ajouter(&morceau); }
/// let format = examen.conclure()?;
/// ```
pub struct Examen {
    taille: u64,
    /// The first [`TETE`] bytes.
    tete: Vec<u8>,
    /// The last [`FIN`] bytes, as a ring once full; the oldest is at `fin_debut`.
    fin: Vec<u8>,
    fin_debut: usize,
    /// `None` until [`SIGNATURE`] bytes are in (or the end).
    reconnu: Option<Reconnu>,
    suivi: Suivi,
    limites: Limites,
}

impl std::fmt::Debug for Examen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the content: it is personal data.
        f.debug_struct("Examen").field("taille", &self.taille).field("reconnu", &self.reconnu).finish_non_exhaustive()
    }
}

/// What a format needs to follow beyond the first and last KiB.
enum Suivi {
    Rien,
    Pdf(Box<AnalysePdf>),
    Tiff(RepertoireTiff),
}

impl Examen {
    /// A new examination, nothing received yet.
    pub fn new(limites: Limites) -> Self {
        Examen {
            taille: 0,
            tete: Vec::with_capacity(TETE),
            fin: Vec::with_capacity(FIN),
            fin_debut: 0,
            reconnu: None,
            suivi: Suivi::Rien,
            limites,
        }
    }

    /// Takes the next chunk of the document, of any size. Never fails: what is wrong is told by
    /// [`Examen::conclure`], once the whole document has been seen.
    pub fn ajouter(&mut self, morceau: &[u8]) {
        if morceau.is_empty() {
            return;
        }
        let position = self.taille;
        let pris = morceau.len().min(TETE - self.tete.len());
        self.tete.extend_from_slice(&morceau[..pris]);
        self.taille += morceau.len() as u64;
        self.retenir_fin(morceau);
        if self.reconnu.is_some() {
            self.poursuivre(position, morceau);
        } else if self.tete.len() >= SIGNATURE {
            // Until now every byte is in `tete`, which `reconnaitre_et_rattraper` hands over.
            self.reconnaitre_et_rattraper();
            self.poursuivre(self.tete.len() as u64, &morceau[pris..]);
        }
    }

    /// The verdict: the format, or why the document is refused.
    pub fn conclure(mut self) -> Result<Format, RefusFormat> {
        if self.taille == 0 {
            return Err(RefusFormat::Vide);
        }
        if self.reconnu.is_none() {
            self.reconnaitre_et_rattraper();
        }
        let format = match self.reconnu {
            Some(Reconnu::Format(format)) => format,
            Some(Reconnu::Debut(format)) => return Err(self.trop_court(format)),
            _ => return Err(self.inconnu()),
        };
        if self.taille < format.taille_minimale() {
            return Err(self.trop_court(format));
        }
        self.fin.rotate_left(self.fin_debut);
        let (tete, fin, taille) = (&self.tete[..], &self.fin[..], self.taille);
        match (format, self.suivi) {
            (Format::Pdf, Suivi::Pdf(mut analyse)) => {
                conclure_pdf(tete, fin)?;
                let verdict = analyse.finir();
                if verdict.trouves != 0 {
                    let trouves = ACTIFS.iter().enumerate().filter(|(k, _)| verdict.trouves & (1 << k) != 0);
                    return Err(RefusFormat::ContenuActif { elements: trouves.map(|(_, (nom, _))| *nom).collect() });
                }
                if verdict.depasse {
                    return Err(RefusFormat::CompressionExcessive { limite: self.limites.max_inflation_octets });
                }
                if let Some(raison) = verdict.inverifiable {
                    return Err(RefusFormat::FluxInverifiable { raison });
                }
            }
            (Format::Jpeg, _) => conclure_jpeg(fin)?,
            (Format::Png, _) => conclure_png(tete, fin)?,
            (Format::Tiff, Suivi::Tiff(repertoire)) => repertoire.conclure(taille)?,
            _ => unreachable!("the follow-up is chosen with the format"),
        }
        Ok(format)
    }

    /// Bytes held by the examination's buffers, bounded whatever the file. The decompressors' own
    /// state (about 40 KiB each) is not counted. For tests.
    #[doc(hidden)]
    pub fn memoire(&self) -> usize {
        let pdf = match &self.suivi {
            Suivi::Pdf(analyse) => std::mem::size_of::<AnalysePdf>() + analyse.memoire(),
            _ => 0,
        };
        self.tete.capacity() + self.fin.capacity() + pdf
    }

    fn retenir_fin(&mut self, morceau: &[u8]) {
        let morceau = &morceau[morceau.len().saturating_sub(FIN)..];
        let libre = (FIN - self.fin.len()).min(morceau.len());
        self.fin.extend_from_slice(&morceau[..libre]);
        for &octet in &morceau[libre..] {
            self.fin[self.fin_debut] = octet;
            self.fin_debut = (self.fin_debut + 1) % FIN;
        }
    }

    /// Decides the format from `tete` and hands what it holds to the format's follow-up.
    fn reconnaitre_et_rattraper(&mut self) {
        let reconnu = reconnaitre(&self.tete);
        self.reconnu = Some(reconnu);
        self.suivi = match reconnu {
            Reconnu::Format(Format::Pdf) => Suivi::Pdf(Box::new(AnalysePdf::new(self.limites))),
            Reconnu::Format(Format::Tiff) => Suivi::Tiff(RepertoireTiff::new(&self.tete)),
            _ => Suivi::Rien,
        };
        let tete = std::mem::take(&mut self.tete);
        self.poursuivre(0, &tete);
        self.tete = tete;
    }

    /// Hands `donnees`, found at `position` in the file, to the format's follow-up.
    fn poursuivre(&mut self, position: u64, donnees: &[u8]) {
        match &mut self.suivi {
            Suivi::Rien => {}
            Suivi::Pdf(analyse) => analyse.ajouter(donnees),
            Suivi::Tiff(repertoire) => repertoire.lire(position, donnees),
        }
    }

    fn trop_court(&self, format: Format) -> RefusFormat {
        RefusFormat::TropCourt { format, taille: self.taille, minimum: format.taille_minimale() }
    }

    fn inconnu(&self) -> RefusFormat {
        let indice = indice(&self.tete);
        // Readers accept a header within the first KiB; we do not (polyglot files are built that
        // way), but we say where it is rather than call the file unknown.
        match self.tete.windows(5).position(|f| f == b"%PDF-") {
            Some(position) if indice.is_none() => RefusFormat::PdfEnteteDecale { position: position as u64 },
            _ => RefusFormat::FormatInconnu { debut: hexa(&self.tete), indice },
        }
    }
}

fn conclure_pdf(tete: &[u8], fin: &[u8]) -> Result<(), RefusFormat> {
    let version = &tete[4..8];
    if !(version[0] == b'-' && matches!(version[1], b'1' | b'2') && version[2] == b'.' && version[3].is_ascii_digit()) {
        return Err(RefusFormat::PdfEnteteInvalide { debut: hexa(tete) });
    }
    if !fin.windows(5).any(|f| f == b"%%EOF") {
        return Err(RefusFormat::PdfSansFin);
    }
    Ok(())
}

fn conclure_jpeg(fin: &[u8]) -> Result<(), RefusFormat> {
    let bourrage = fin.iter().rev().take(BOURRAGE_JPEG).take_while(|o| matches!(o, 0 | b' ' | b'\t' | b'\r' | b'\n'));
    let utile = &fin[..fin.len() - bourrage.count()];
    if utile.ends_with(&[0xFF, 0xD9]) {
        Ok(())
    } else {
        Err(RefusFormat::JpegSansFin { fin: hexa(&fin[fin.len().saturating_sub(CITATION)..]) })
    }
}

fn conclure_png(tete: &[u8], fin: &[u8]) -> Result<(), RefusFormat> {
    if tete[..8] != [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1A, b'\n'] {
        return Err(RefusFormat::PngSignatureAlteree { debut: hexa(tete) });
    }
    if tete[8..16] != [0, 0, 0, 13, b'I', b'H', b'D', b'R'] {
        return Err(RefusFormat::PngSansIhdr);
    }
    if !fin.ends_with(&IEND) {
        return Err(RefusFormat::PngSansIend { fin: hexa(&fin[fin.len().saturating_sub(CITATION)..]) });
    }
    Ok(())
}

/// The first image directory of a TIFF: its offset, from the header, and its entry count, caught
/// as it streams by (it may lie anywhere in the file).
struct RepertoireTiff {
    position: u64,
    gros_boutien: bool,
    compte: [u8; 2],
    /// Which bytes of `compte` have been seen (bit 0, bit 1).
    vus: u8,
}

impl RepertoireTiff {
    fn new(tete: &[u8]) -> Self {
        let gros_boutien = tete.starts_with(b"MM");
        // Shorter heads make a file refused as too short before the position is used.
        let octets: [u8; 4] = tete.get(4..8).and_then(|o| o.try_into().ok()).unwrap_or_default();
        let position = if gros_boutien { u32::from_be_bytes(octets) } else { u32::from_le_bytes(octets) };
        RepertoireTiff { position: position.into(), gros_boutien, compte: [0; 2], vus: 0 }
    }

    fn lire(&mut self, position: u64, donnees: &[u8]) {
        for (k, octet) in self.compte.iter_mut().enumerate() {
            let voulu = self.position + k as u64;
            if voulu >= position && voulu - position < donnees.len() as u64 {
                *octet = donnees[(voulu - position) as usize];
                self.vus |= 1 << k;
            }
        }
    }

    fn conclure(&self, taille: u64) -> Result<(), RefusFormat> {
        let position = self.position;
        if position < 8 || position + 2 > taille || self.vus != 3 {
            return Err(RefusFormat::TiffRepertoireHors { position, taille });
        }
        let entrees = if self.gros_boutien { u16::from_be_bytes(self.compte) } else { u16::from_le_bytes(self.compte) };
        // Count, 12 bytes per entry, offset of the next directory.
        if entrees == 0 || position + 2 + 12 * u64::from(entrees) + 4 > taille {
            return Err(RefusFormat::TiffRepertoireInvalide { position, entrees });
        }
        Ok(())
    }
}

// Byte classes of PDF syntax (ISO 32000-2, 7.2.3), and the printable bytes that
// `TEXTE_AVANT_NOM_COURT` counts.
const BLANC: u8 = 1;
const DELIMITEUR: u8 = 2;
const TEXTE: u8 = 4;
const CLASSES: [u8; 256] = classes();

const fn classes() -> [u8; 256] {
    let mut table = [0; 256];
    let mut i = 0;
    while i < 256 {
        let o = i as u8;
        if matches!(o, 0 | b'\t' | b'\n' | 0x0C | b'\r' | b' ') {
            table[i] |= BLANC;
        }
        if matches!(o, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%') {
            table[i] |= DELIMITEUR;
        }
        // NUL is PDF white space but the commonest byte of binary data: not text.
        if matches!(o, b'\t' | b'\n' | 0x0C | b'\r' | b' '..=b'~') {
            table[i] |= TEXTE;
        }
        i += 1;
    }
    table
}

fn chiffre_hexa(o: u8) -> Option<u8> {
    (o as char).to_digit(16).map(|c| c as u8)
}

/// Up to eight bytes as one number, the first the most significant (`b"stream"`).
const fn mot(octets: &[u8]) -> u64 {
    let mut valeur = 0;
    let mut i = 0;
    while i < octets.len() {
        valeur = (valeur << 8) | octets[i] as u64;
        i += 1;
    }
    valeur
}

const STREAM: u64 = mot(b"stream");
const SCRIPT: u64 = mot(b"script");
/// `:script`, the element with a namespace prefix (`<xfa:script`).
const SCRIPT_PREFIXE: u64 = mot(b":script");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Jeton {
    /// Between tokens (or in a string, a comment: they are not told apart, see [`Lexeur`]).
    Entre,
    /// In a name, after its `/`.
    Nom,
    /// In a run of regular characters that is not a name: a keyword, a number, binary data.
    Mot,
}

/// Where a `#` escape of a name stands.
#[derive(Debug, Clone, Copy)]
enum Diese {
    Non,
    /// Just after `#`.
    Ouvert,
    /// After `#` and one hexadecimal digit (kept as written, in case the second one is not).
    Chiffre(u8),
}

/// A PDF name being read, `#xx` escapes decoded (`/J#61vaScript` is `/JavaScript`). Escapes
/// follow pdf.js: `#` not followed by two hexadecimal digits stands for itself, and so do the
/// characters after it.
struct Nom {
    octets: [u8; NOM_MAX],
    long: usize,
    trop_long: bool,
    diese: Diese,
}

impl Nom {
    fn new() -> Self {
        Nom { octets: [0; NOM_MAX], long: 0, trop_long: false, diese: Diese::Non }
    }

    /// A name starts, after its `/`.
    fn ouvrir(&mut self) {
        self.long = 0;
        self.trop_long = false;
        self.diese = Diese::Non;
    }

    /// A regular character inside the name.
    fn octet(&mut self, octet: u8) {
        self.diese = match self.diese {
            Diese::Non if octet == b'#' => Diese::Ouvert,
            Diese::Non => {
                self.empiler(octet);
                Diese::Non
            }
            Diese::Ouvert if chiffre_hexa(octet).is_some() => Diese::Chiffre(octet),
            Diese::Ouvert => {
                self.empiler(b'#');
                self.empiler(octet);
                Diese::Non
            }
            Diese::Chiffre(premier) => {
                match (chiffre_hexa(premier), chiffre_hexa(octet)) {
                    (Some(fort), Some(faible)) => self.empiler((fort << 4) | faible),
                    _ => {
                        self.empiler(b'#');
                        self.empiler(premier);
                        self.empiler(octet);
                    }
                }
                Diese::Non
            }
        };
    }

    fn empiler(&mut self, octet: u8) {
        if self.long < NOM_MAX {
            self.octets[self.long] = octet;
            self.long += 1;
        } else {
            self.trop_long = true;
        }
    }

    /// The name ended: its bytes, or `None` when it is longer than readers accept.
    fn clore(&mut self) -> Option<&[u8]> {
        match self.diese {
            Diese::Non => {}
            Diese::Ouvert => self.empiler(b'#'),
            Diese::Chiffre(premier) => {
                self.empiler(b'#');
                self.empiler(premier);
            }
        }
        self.diese = Diese::Non;
        (!self.trop_long).then_some(&self.octets[..self.long])
    }
}

/// Reads names and the `stream` keyword out of PDF bytes, one byte at a time, with no lookback:
/// chunk boundaries fall anywhere.
///
/// Strings and comments are not told apart from the rest: a name written in a string counts. A
/// reader that skips them sees less than we do, never more; telling them apart would let an
/// unbalanced `(` in binary data hide what follows from us but not from a reader that jumps
/// there by the cross-reference table.
struct Lexeur {
    jeton: Jeton,
    nom: Nom,
    /// Whether [`TEXTE_AVANT_NOM_COURT`] printable bytes preceded the name's `/`.
    nom_apres_texte: bool,
    /// The last eight bytes of the keyword being read, and its length (saturating).
    mot_fin: u64,
    mot_long: u16,
    /// Whether the keyword being read follows a `<` (an XML element's name).
    mot_apres_chevron: bool,
    /// Whether the last byte was `<`.
    chevron: bool,
    /// Whether `<script` elements count ([`Sortie`] sets it for XML streams).
    xml: bool,
    /// Printable bytes just before the current one (saturating).
    texte: u16,
    /// Bit k: `ACTIFS[k]` was found.
    trouves: u16,
}

impl Lexeur {
    fn new() -> Self {
        Lexeur {
            jeton: Jeton::Entre,
            nom: Nom::new(),
            nom_apres_texte: false,
            mot_fin: 0,
            mot_long: 0,
            mot_apres_chevron: false,
            chevron: false,
            xml: false,
            texte: 0,
            trouves: 0,
        }
    }

    /// Reads `donnees` up to the end, or up to the white space that closes a `stream` keyword:
    /// then returns how many bytes it read (stream data starts after them, past an end of line).
    fn scanner(&mut self, donnees: &[u8]) -> Option<usize> {
        for (i, &octet) in donnees.iter().enumerate() {
            let classe = CLASSES[usize::from(octet)];
            let separe = classe & (BLANC | DELIMITEUR) != 0;
            let mut flux = false;
            match self.jeton {
                Jeton::Nom if !separe => self.nom.octet(octet),
                Jeton::Mot if !separe => {
                    self.mot_fin = (self.mot_fin << 8) | u64::from(octet);
                    self.mot_long = self.mot_long.saturating_add(1);
                }
                jeton => {
                    match jeton {
                        Jeton::Nom => self.clore_nom(),
                        Jeton::Mot => flux = self.clore_mot() && classe & BLANC != 0,
                        Jeton::Entre => {}
                    }
                    self.jeton = Jeton::Entre;
                    if octet == b'/' {
                        self.jeton = Jeton::Nom;
                        self.nom.ouvrir();
                        self.nom_apres_texte = self.texte >= TEXTE_AVANT_NOM_COURT;
                    } else if !separe {
                        self.jeton = Jeton::Mot;
                        self.mot_fin = u64::from(octet);
                        self.mot_long = 1;
                        self.mot_apres_chevron = self.chevron;
                    }
                }
            }
            self.chevron = octet == b'<';
            self.texte = if classe & TEXTE != 0 { self.texte.saturating_add(1) } else { 0 };
            if flux {
                return Some(i + 1);
            }
        }
        None
    }

    /// Reads all of `donnees`, where `stream` starts nothing (stream data, decoded output).
    fn tout_scanner(&mut self, mut donnees: &[u8]) {
        while let Some(lus) = self.scanner(donnees) {
            donnees = &donnees[lus..];
        }
    }

    fn clore_nom(&mut self) {
        let apres_texte = self.nom_apres_texte;
        let Some(nom) = self.nom.clore() else { return };
        if nom.len() < 4 && !apres_texte {
            return;
        }
        let mut trouves = 0;
        for (k, (actif, _)) in ACTIFS.iter().enumerate() {
            if actif.as_bytes().first() == Some(&b'/') && nom == &actif.as_bytes()[1..] {
                trouves |= 1 << k;
            }
        }
        self.trouves |= trouves;
    }

    /// A keyword ended: an XFA `<script` element counts; returns whether it is `stream`.
    fn clore_mot(&mut self) -> bool {
        if self.xml
            && self.mot_apres_chevron
            && ((self.mot_long == 6 && self.mot_fin == SCRIPT)
                || (self.mot_long >= 8 && self.mot_fin & 0x00FF_FFFF_FFFF_FFFF == SCRIPT_PREFIXE))
        {
            self.trouves |= 1 << ACTIF_SCRIPT;
        }
        self.mot_long == 6 && self.mot_fin == STREAM
    }

    /// The data ended: a name or keyword in progress ends with it.
    fn finir(&mut self) {
        match self.jeton {
            Jeton::Nom => self.clore_nom(),
            Jeton::Mot => {
                self.clore_mot();
            }
            Jeton::Entre => {}
        }
        self.jeton = Jeton::Entre;
        self.texte = 0;
        self.chevron = false;
    }
}

/// Where the start of a stream's decoded data stands: white space and a UTF-8 byte-order mark
/// are skipped, then `<` makes it XML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Debut {
    /// Bytes of the byte-order mark `EF BB BF` read.
    Blancs(u8),
    Xml,
    Autre,
}

/// Where a stream's decoded bytes go: the search for active names, and for `<script` elements
/// when the data is XML (the packets of an XFA form are XML streams; content streams and images
/// never start with `<`, so a page that prints HTML source is not taken for a form).
struct Sortie {
    noms: Lexeur,
    debut: Debut,
}

impl Sortie {
    fn new() -> Self {
        Sortie { noms: Lexeur::new(), debut: Debut::Blancs(0) }
    }

    fn lire(&mut self, donnees: &[u8]) {
        if let Debut::Blancs(_) = self.debut {
            for &octet in donnees {
                self.debut = match (self.debut, octet) {
                    (Debut::Blancs(0), 0xEF) => Debut::Blancs(1),
                    (Debut::Blancs(1), 0xBB) => Debut::Blancs(2),
                    (Debut::Blancs(2), 0xBF) => Debut::Blancs(3),
                    (Debut::Blancs(n @ (0 | 3)), o) if CLASSES[usize::from(o)] & BLANC != 0 => Debut::Blancs(n),
                    (Debut::Blancs(0 | 3), b'<') => Debut::Xml,
                    _ => Debut::Autre,
                };
                if !matches!(self.debut, Debut::Blancs(_)) {
                    break;
                }
            }
            self.noms.xml = self.debut == Debut::Xml;
        }
        self.noms.tout_scanner(donnees);
    }

    fn finir(&mut self) -> u16 {
        self.noms.finir();
        self.noms.trouves
    }
}

/// A stream being decoded, and where its output goes.
struct Flux {
    chaine: Chaine,
    sortie: Sortie,
}

impl Flux {
    fn pousser(&mut self, donnees: &[u8], contexte: &Contexte) -> Avance {
        let sortie = &mut self.sortie;
        let avance = self.chaine.pousser(donnees, &mut |d| sortie.lire(d), contexte);
        // A stage that neither takes nor ends would stall the scan: taken as ended.
        Avance { lus: avance.lus, fini: avance.fini || (avance.lus == 0 && !donnees.is_empty()) }
    }

    /// The names found in the stream.
    fn clore(self, contexte: &Contexte) -> u16 {
        let Flux { chaine, mut sortie } = self;
        chaine.finir(&mut |d| sortie.lire(d), contexte);
        sortie.finir()
    }
}

/// The search for `endstream` in stream data, across chunks.
#[derive(Default)]
struct FinFlux {
    /// The last bytes seen, fewer than the keyword's.
    vus: [u8; 8],
    long: usize,
}

impl FinFlux {
    const MOT: &'static [u8] = b"endstream";

    /// Where the first `endstream` ends in `donnees`, bytes of earlier calls included.
    fn chercher(&mut self, donnees: &[u8]) -> Option<usize> {
        let tete = &donnees[..donnees.len().min(Self::MOT.len() - 1)];
        let mut jonction = [0; 16];
        jonction[..self.long].copy_from_slice(&self.vus[..self.long]);
        jonction[self.long..self.long + tete.len()].copy_from_slice(tete);
        // Eight bytes cannot hold the keyword: a match here ends in `donnees`.
        if let Some(p) = memchr::memmem::find(&jonction[..self.long + tete.len()], Self::MOT) {
            return Some(p + Self::MOT.len() - self.long);
        }
        if let Some(p) = memchr::memmem::find(donnees, Self::MOT) {
            return Some(p + Self::MOT.len());
        }
        let tous = &jonction[..self.long + tete.len()];
        let (source, n) = if donnees.len() >= 8 { (donnees, 8) } else { (tous, tous.len().min(8)) };
        self.vus[..n].copy_from_slice(&source[source.len() - n..]);
        self.long = n;
        None
    }
}

/// Where the PDF scan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    /// Objects: scanned raw and read for dictionaries, `stream` watched for.
    Objets,
    /// After `stream` and the white space that ended it, before the end of line that precedes
    /// the data; `cr`: a carriage return was read, a line feed may follow.
    FinDeLigne { cr: bool },
    /// In a stream's data: until its decoder's end when its data marks its end, else until
    /// `endstream`.
    Donnees,
}

/// What the search found in a PDF.
struct Verdict {
    /// Bit k: `ACTIFS[k]` was found.
    trouves: u16,
    depasse: bool,
    inverifiable: Option<&'static str>,
}

/// The search for active content in a PDF.
///
/// Every byte of the file goes through `brut`, stream data included: names are looked for in the
/// plain bytes whatever the decoding makes of them. Objects also go through `objets`, which reads
/// each stream's dictionary; the stream's data then goes through the chain of its filters
/// ([`Chaine`]), whose output is searched by the stream's own [`Sortie`].
///
/// A stream ends where its first filter's data marks its end (zlib's, `>`, `~>`, LZW's end code,
/// RunLength's 128): the bytes after are objects again, even with no `endstream` (readers reach
/// objects by the cross-reference table). Without such a mark (no filter, an image's, Flate read
/// again as raw deflate) it ends at `endstream`. Data whose filters are unknown is guessed on its
/// first 64 bytes, taken before anything else: where it ends does not depend on the chunks.
///
/// Two kinds of decoders run beside the objects (`a_cote`), fed the same bytes in step: one whose
/// data runs on past `endstream` (a literal `endstream` in a deflate block, or a sloppy end), until
/// its own end; and the guess of the data after a `stream` keyword that no dictionary precedes
/// (text in a string, or a dictionary misread after bytes that readers skip), as long as it
/// decodes something. More than [`A_COTE_MAX`] decoders at once make the document unverifiable
/// (guesses still undecided give way first: they cannot be data that decodes).
struct AnalysePdf {
    brut: Lexeur,
    objets: LecteurObjets,
    position: Position,
    /// The dictionary `stream` followed, until the data starts.
    declaration: Option<Declaration>,
    /// The stream whose data is being read (`None`: read raw, not decoded).
    courant: Option<Box<Flux>>,
    a_cote: Vec<Flux>,
    fin_flux: FinFlux,
    contexte: Contexte,
    trouves: u16,
    inverifiable: Option<&'static str>,
}

/// Most decoders beside the objects. Evicting an undecided guess takes as many `stream` keywords
/// in its first 64 bytes, each with white space after it: more than an ASCII85 guess allows
/// (`filtres::BLANCS_A85`), and no hexadecimal digits; zlib and LZW are told at once.
const A_COTE_MAX: usize = 4;
/// Why more cannot be followed.
const DEBORDEMENTS: &str = "plus de 4 flux à décoder à la fois (données au-delà de « endstream » ou hors dictionnaire)";

/// What a step of the scan leaves to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Suite {
    Rien,
    /// The current stream's decoder goes on past its `endstream`.
    Debordement,
    /// A `stream` keyword no dictionary precedes: its data is guessed beside the objects.
    ACote,
}

impl AnalysePdf {
    fn new(limites: Limites) -> Self {
        AnalysePdf {
            brut: Lexeur::new(),
            objets: LecteurObjets::new(),
            position: Position::Objets,
            declaration: None,
            courant: None,
            a_cote: Vec::new(),
            fin_flux: FinFlux::default(),
            contexte: Contexte::new(limites.max_inflation_octets),
            trouves: 0,
            inverifiable: None,
        }
    }

    fn memoire(&self) -> usize {
        let flux = |f: &Option<Box<Flux>>| f.as_ref().map_or(0, |f| std::mem::size_of::<Flux>() + f.chaine.memoire());
        let a_cote: usize = self.a_cote.iter().map(|f| std::mem::size_of::<Flux>() + f.chaine.memoire()).sum();
        self.contexte.memoire() + flux(&self.courant) + a_cote
    }

    fn ajouter(&mut self, donnees: &[u8]) {
        let mut reste = donnees;
        while !reste.is_empty() {
            let (lus, suite) = self.etape(reste);
            // Decoders beside the objects read the same bytes, in step: whether one is still going
            // when another starts does not depend on the chunks.
            let mut k = 0;
            while k < self.a_cote.len() {
                let avance = self.a_cote[k].pousser(&reste[..lus], &self.contexte);
                if avance.fini || self.a_cote[k].chaine.rien_a_decoder() {
                    let flux = self.a_cote.remove(k);
                    self.trouves |= flux.clore(&self.contexte);
                } else {
                    k += 1;
                }
            }
            match suite {
                Suite::Rien => {}
                Suite::Debordement => {
                    if let Some(mut debordant) = self.courant.take() {
                        debordant.chaine.deborder();
                        self.mettre_a_cote(*debordant);
                    }
                }
                Suite::ACote => {
                    if !self.contexte.depasse() && self.inverifiable.is_none() {
                        if let Ok(mut chaine) = Chaine::construire(None, &self.contexte) {
                            chaine.a_cote();
                            self.mettre_a_cote(Flux { chaine, sortie: Sortie::new() });
                        }
                    }
                }
            }
            reste = &reste[lus..];
        }
    }

    fn mettre_a_cote(&mut self, flux: Flux) {
        self.a_cote.push(flux);
        if self.a_cote.len() <= A_COTE_MAX {
            return;
        }
        let cede = self.a_cote.iter().position(|f| f.chaine.a_deviner().is_some()).unwrap_or_else(|| {
            self.inverifiable.get_or_insert(DEBORDEMENTS);
            0
        });
        let flux = self.a_cote.remove(cede);
        self.trouves |= flux.clore(&self.contexte);
    }

    /// Reads from the start of `reste` as far as the current state goes: returns how many bytes,
    /// and whether the current stream's decoder goes on past its `endstream`.
    fn etape(&mut self, reste: &[u8]) -> (usize, Suite) {
        match self.position {
            Position::Objets => match self.brut.scanner(reste) {
                Some(lus) => {
                    self.objets.lire(&reste[..lus]);
                    self.declaration = self.objets.prendre();
                    if self.declaration.is_none() {
                        // Maybe text: the objects go on being read, the data is guessed beside.
                        return (lus, Suite::ACote);
                    }
                    match reste[lus - 1] {
                        b'\n' => self.ouvrir(),
                        fin => self.position = Position::FinDeLigne { cr: fin == b'\r' },
                    }
                    (lus, Suite::Rien)
                }
                None => {
                    self.objets.lire(reste);
                    (reste.len(), Suite::Rien)
                }
            },
            Position::FinDeLigne { cr } => {
                let pris = match (cr, reste[0]) {
                    (_, b'\n') => {
                        self.ouvrir();
                        1
                    }
                    (false, b'\r') => {
                        self.position = Position::FinDeLigne { cr: true };
                        1
                    }
                    (false, b' ' | b'\t' | 0x0C | 0) => 1,
                    // The data starts at this byte.
                    _ => {
                        self.ouvrir();
                        0
                    }
                };
                self.brut.tout_scanner(&reste[..pris]);
                (pris, Suite::Rien)
            }
            Position::Donnees => self.donnees(reste),
        }
    }

    /// The stream's data starts: its chain is made from its dictionary.
    fn ouvrir(&mut self) {
        self.position = Position::Donnees;
        self.fin_flux = FinFlux::default();
        let declaration = self.declaration.take();
        if self.contexte.depasse() || self.inverifiable.is_some() {
            return;
        }
        match Chaine::construire(declaration.as_ref(), &self.contexte) {
            Ok(chaine) => self.courant = Some(Box::new(Flux { chaine, sortie: Sortie::new() })),
            Err(raison) => self.inverifiable = Some(raison),
        }
    }

    /// Stream data from the start of `reste`.
    fn donnees(&mut self, reste: &[u8]) -> (usize, Suite) {
        let Some(courant) = &mut self.courant else {
            // Not decoded: raw until `endstream`.
            let fin = self.fin_flux.chercher(reste);
            let donnees = &reste[..fin.unwrap_or(reste.len())];
            self.brut.tout_scanner(donnees);
            if fin.is_some() {
                self.vers_objets();
            }
            return (donnees.len(), Suite::Rien);
        };
        // While the data is guessed, only the bytes the guess needs: it is made on the same bytes
        // however the file is cut.
        let a_deviner = courant.chaine.a_deviner();
        let limite = a_deviner.unwrap_or(reste.len()).min(reste.len());
        let fin = self.fin_flux.chercher(&reste[..limite]);
        let donnees = &reste[..fin.unwrap_or(limite)];
        if courant.chaine.auto_terminee() && !courant.chaine.fini() {
            // The decoder's data says where it ends: the bytes after are objects again.
            let avance = courant.pousser(donnees, &self.contexte);
            if avance.fini {
                self.brut.tout_scanner(&donnees[..avance.lus]);
                self.clore_courant();
                self.vers_objets();
                return (avance.lus, Suite::Rien);
            }
            // Not at its end, it took all (the raw scan takes all whatever).
            self.brut.tout_scanner(donnees);
            // Read again as raw deflate, it now ends at `endstream` (taken whole, like the rest).
            let auto = courant.chaine.auto_terminee();
            if fin.is_some() && !auto {
                self.clore_courant();
                self.vers_objets();
                return (donnees.len(), Suite::Rien);
            }
            if fin.is_some() {
                // Past `endstream` and going on: it goes on beside the objects that follow.
                self.vers_objets();
                return (donnees.len(), Suite::Debordement);
            }
            return (donnees.len(), Suite::Rien);
        }
        // Until `endstream`, or the end of a guess whose decoder ended within what it guessed on.
        let avance = courant.pousser(donnees, &self.contexte);
        self.brut.tout_scanner(donnees);
        if fin.is_some() || (a_deviner.is_some() && avance.fini) {
            self.clore_courant();
            self.vers_objets();
        }
        (donnees.len(), Suite::Rien)
    }

    fn vers_objets(&mut self) {
        self.position = Position::Objets;
        self.objets.reinitialiser();
        self.fin_flux = FinFlux::default();
    }

    fn clore_courant(&mut self) {
        if let Some(courant) = self.courant.take() {
            self.trouves |= courant.clore(&self.contexte);
        }
    }

    fn clore_a_cote(&mut self) {
        for flux in std::mem::take(&mut self.a_cote) {
            self.trouves |= flux.clore(&self.contexte);
        }
    }

    fn finir(&mut self) -> Verdict {
        self.brut.finir();
        self.clore_courant();
        self.clore_a_cote();
        Verdict {
            trouves: self.trouves | self.brut.trouves | self.contexte.trouves(),
            depasse: self.contexte.depasse(),
            inverifiable: self.inverifiable,
        }
    }
}

/// A zlib header (RFC 1950, 2.2): deflate, window of at most 32 KiB, no preset dictionary (PDF
/// has none to give), check bits right. One random pair in about a thousand passes; inflating it
/// then fails within a few bytes.
fn entete_zlib([cmf, flg]: [u8; 2]) -> bool {
    cmf & 0x0F == 8 && cmf >> 4 <= 7 && flg & 0x20 == 0 && ((u16::from(cmf) << 8) | u16::from(flg)) % 31 == 0
}

#[cfg(test)]
mod tests {
    use super::corpus::{self, flux, pdf, zlib, PAGES};
    use super::*;

    struct Xorshift(u64);

    impl Xorshift {
        fn suivant(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    fn examiner(donnees: &[u8], limites: Limites, mut taille: impl FnMut() -> usize) -> Result<Format, RefusFormat> {
        let mut examen = Examen::new(limites);
        let mut reste = donnees;
        while !reste.is_empty() {
            let (morceau, suite) = reste.split_at(taille().clamp(1, reste.len()));
            examen.ajouter(morceau);
            reste = suite;
        }
        examen.conclure()
    }

    /// The verdict on `donnees`, checked to be the same whole, byte by byte and in random chunks.
    fn verdict_avec(donnees: &[u8], limites: Limites) -> Result<Format, RefusFormat> {
        let entier = examiner(donnees, limites, || donnees.len());
        assert_eq!(examiner(donnees, limites, || 1), entier, "octet par octet");
        for graine in [1, 0x9E37_79B9_7F4A_7C15, 42] {
            let mut alea = Xorshift(graine);
            let par_morceaux = examiner(donnees, limites, || {
                let x = alea.suivant();
                if x.is_multiple_of(4) {
                    (x >> 8) as usize % 5000
                } else {
                    (x >> 8) as usize % 17
                }
            });
            assert_eq!(par_morceaux, entier, "graine {graine}");
        }
        entier
    }

    fn verdict(donnees: &[u8]) -> Result<Format, RefusFormat> {
        verdict_avec(donnees, Limites::default())
    }

    /// The minimal document plus `objet` as object 4.
    fn pdf_avec(objet: &[u8]) -> Vec<u8> {
        corpus::pdf_avec(&[objet])
    }

    fn jpeg() -> Vec<u8> {
        let mut f = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
        f.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        f.extend_from_slice(&[0xFF, 0xD9]);
        f
    }

    fn bloc_png(genre: &[u8; 4], donnees: &[u8]) -> Vec<u8> {
        let mut crc = flate2::Crc::new();
        crc.update(genre);
        crc.update(donnees);
        let mut bloc = (donnees.len() as u32).to_be_bytes().to_vec();
        bloc.extend_from_slice(genre);
        bloc.extend_from_slice(donnees);
        bloc.extend_from_slice(&crc.sum().to_be_bytes());
        bloc
    }

    /// A 1x1 grey PNG.
    fn png() -> Vec<u8> {
        let mut f = b"\x89PNG\r\n\x1a\n".to_vec();
        f.extend(bloc_png(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
        f.extend(bloc_png(b"IDAT", &zlib(&[0, 0x80])));
        f.extend(bloc_png(b"IEND", &[]));
        f
    }

    /// A TIFF whose header points at `position`, where a directory of `entrees` entries is
    /// announced and one written (ImageWidth = 1).
    fn tiff(gros_boutien: bool, position: u32, entrees: u16) -> Vec<u8> {
        let u16_ = |v: u16| if gros_boutien { v.to_be_bytes() } else { v.to_le_bytes() };
        let u32_ = |v: u32| if gros_boutien { v.to_be_bytes() } else { v.to_le_bytes() };
        let mut f = if gros_boutien { b"MM\0*".to_vec() } else { b"II*\0".to_vec() };
        f.extend(u32_(position));
        f.extend(u16_(entrees));
        f.extend(u16_(256));
        f.extend(u16_(3));
        f.extend(u32_(1));
        f.extend(u16_(1));
        f.extend([0, 0]);
        f.extend(u32_(0));
        f
    }

    fn actifs(noms: &[&'static str]) -> Result<Format, RefusFormat> {
        Err(RefusFormat::ContenuActif { elements: noms.to_vec() })
    }

    #[test]
    fn les_quatre_formats_sont_reconnus_quel_que_soit_le_decoupage() {
        assert_eq!(verdict(&pdf(&PAGES)), Ok(Format::Pdf));
        assert_eq!(verdict(&jpeg()), Ok(Format::Jpeg));
        assert_eq!(verdict(&png()), Ok(Format::Png));
        assert_eq!(verdict(&tiff(false, 8, 1)), Ok(Format::Tiff));
        assert_eq!(verdict(&tiff(true, 8, 1)), Ok(Format::Tiff));
        // The PNG constant is the chunk a PNG writer makes.
        assert_eq!(bloc_png(b"IEND", &[]), IEND);
    }

    #[test]
    fn un_pdf_aux_flux_compresses_sans_contenu_actif_passe() {
        let contenu = zlib(b"BT /F1 12 Tf 72 712 Td (Avis d'imposition /JSON /JavaScriptX) Tj ET");
        let image = flux("/Type /XObject /Subtype /Image /Filter /DCTDecode", &jpeg());
        let document = pdf(&[PAGES[0], PAGES[1], PAGES[2], &flux("/Filter /FlateDecode", &contenu), &image]);
        assert_eq!(verdict(&document), Ok(Format::Pdf));
    }

    #[test]
    fn fichier_vide() {
        assert_eq!(verdict(b""), Err(RefusFormat::Vide));
        let mut examen = Examen::new(Limites::default());
        examen.ajouter(b"");
        assert_eq!(examen.conclure(), Err(RefusFormat::Vide));
    }

    #[test]
    fn format_inconnu_cite_au_plus_seize_octets() {
        let texte = b"Bonjour, voici mon avis d'imposition en pi\xC3\xA8ce jointe.";
        let refus = verdict(texte).unwrap_err();
        assert_eq!(
            refus,
            RefusFormat::FormatInconnu {
                debut: "42 6F 6E 6A 6F 75 72 2C 20 76 6F 69 63 69 20 6D".into(),
                indice: None
            }
        );
        let message = refus.to_string();
        assert!(message.contains("PDF, JPEG, PNG et TIFF"), "{message}");
        assert!(message.contains("42 6F 6E 6A"), "{message}");
        assert!(!message.contains("il s'agit"), "{message}");

        let gif = verdict(b"GIF89a\x01\x00\x01\x00\x80\x00\x00").unwrap_err();
        assert!(matches!(gif, RefusFormat::FormatInconnu { indice: Some(i), .. } if i.contains("GIF")));
        let heic = verdict(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic").unwrap_err();
        assert!(heic.to_string().contains("HEIC"), "{heic}");
        let docx = verdict(b"PK\x03\x04\x14\x00\x06\x00 [Content_Types].xml %PDF-1.4").unwrap_err();
        assert!(docx.to_string().contains("Office"), "{docx}");
        assert!(matches!(verdict(b"II+\0\x08\0\0\0"), Err(RefusFormat::FormatInconnu { indice: Some(_), .. })));
        assert!(matches!(verdict(&[0xFF, 0xD8, 0x00, 0x01]), Err(RefusFormat::FormatInconnu { .. })));
        assert!(matches!(verdict(b"MM\0\x2B"), Err(RefusFormat::FormatInconnu { .. })));
    }

    #[test]
    fn fichiers_trop_courts() {
        let court = |format, taille| Err(RefusFormat::TropCourt { format, taille, minimum: format.taille_minimale() });
        assert_eq!(verdict(b"%PDF-1.4\n"), court(Format::Pdf, 9));
        assert_eq!(verdict(b"%P"), court(Format::Pdf, 2));
        assert_eq!(verdict(&[0xFF, 0xD8]), court(Format::Jpeg, 2));
        assert_eq!(verdict(&[0xFF, 0xD8, 0xFF, 0xD9]), court(Format::Jpeg, 4));
        assert_eq!(verdict(&png()[..40]), court(Format::Png, 40));
        assert_eq!(verdict(b"II*\0"), court(Format::Tiff, 4));
        assert_eq!(verdict(b"I"), court(Format::Tiff, 1));
        assert_eq!(verdict(&tiff(false, 8, 1)[..20]), court(Format::Tiff, 20));
        let message = verdict(b"%PDF-1.4\n").unwrap_err().to_string();
        assert!(message.contains("PDF trop court (9 octets, au moins 13"), "{message}");
    }

    #[test]
    fn en_tetes_pdf() {
        let mut document = pdf(&PAGES);
        document[5] = b'x';
        let refus = verdict(&document);
        assert!(
            matches!(&refus, Err(RefusFormat::PdfEnteteInvalide { debut }) if debut.starts_with("25 50 44 46 2D 78"))
        );
        let mut document = b"%PDF-2.0".to_vec();
        document.extend_from_slice(&pdf(&PAGES)[8..]);
        assert_eq!(verdict(&document), Ok(Format::Pdf));

        let mut decale = b"\xEF\xBB\xBF\r\n".to_vec();
        decale.extend(pdf(&PAGES));
        assert_eq!(verdict(&decale), Err(RefusFormat::PdfEnteteDecale { position: 5 }));
        // Beyond the first KiB, the file is just unknown.
        let mut loin = vec![b' '; 2000];
        loin.extend(pdf(&PAGES));
        assert!(matches!(verdict(&loin), Err(RefusFormat::FormatInconnu { indice: None, .. })));
    }

    #[test]
    fn fin_pdf() {
        let document = pdf(&PAGES);
        let sans_fin = &document[..document.len() - 6];
        assert_eq!(verdict(sans_fin), Err(RefusFormat::PdfSansFin));
        let mut suivi = document.clone();
        suivi.extend([b'\n'; 1018]);
        assert_eq!(verdict(&suivi), Ok(Format::Pdf));
        suivi.push(b'\n');
        assert_eq!(verdict(&suivi), Err(RefusFormat::PdfSansFin));
        assert!(RefusFormat::PdfSansFin.to_string().contains("%%EOF"));
    }

    #[test]
    fn fin_jpeg_et_bourrage() {
        let mut bourre = jpeg();
        bourre.extend([0, 0, b'\r', b'\n']);
        assert_eq!(verdict(&bourre), Ok(Format::Jpeg));
        bourre.extend([0; 12]);
        assert_eq!(verdict(&bourre), Ok(Format::Jpeg));
        bourre.push(0);
        assert!(matches!(verdict(&bourre), Err(RefusFormat::JpegSansFin { .. })));

        let tronque = &jpeg()[..jpeg().len() - 1];
        let refus = verdict(tronque).unwrap_err();
        assert!(matches!(&refus, RefusFormat::JpegSansFin { fin } if fin.ends_with("00 00 FF")), "{refus:?}");
        assert!(refus.to_string().contains("FF D9"));
        let mut long = jpeg();
        long.extend(vec![0x55; 5000]);
        assert!(matches!(verdict(&long), Err(RefusFormat::JpegSansFin { fin }) if fin.split(' ').count() == CITATION));
    }

    #[test]
    fn structure_png() {
        let mut texte = png();
        texte.remove(4);
        assert!(matches!(verdict(&texte), Err(RefusFormat::PngSignatureAlteree { .. })));

        let mut sans_ihdr = b"\x89PNG\r\n\x1a\n".to_vec();
        sans_ihdr.extend(bloc_png(b"IDAT", &zlib(&[0, 0x80])));
        sans_ihdr.extend(bloc_png(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
        sans_ihdr.extend(bloc_png(b"IEND", &[]));
        assert_eq!(verdict(&sans_ihdr), Err(RefusFormat::PngSansIhdr));

        let complet = png();
        assert!(matches!(verdict(&complet[..complet.len() - 12]), Err(RefusFormat::PngSansIend { .. })));
        let mut suivi = complet.clone();
        suivi.push(0);
        assert!(matches!(verdict(&suivi), Err(RefusFormat::PngSansIend { .. })));
    }

    #[test]
    fn repertoire_tiff() {
        for gros_boutien in [false, true] {
            let hors = |position| Err(RefusFormat::TiffRepertoireHors { position, taille: 26 });
            assert_eq!(verdict(&tiff(gros_boutien, 4, 1)), hors(4));
            assert_eq!(verdict(&tiff(gros_boutien, 25, 1)), hors(25));
            assert_eq!(verdict(&tiff(gros_boutien, 4_000_000_000, 1)), hors(4_000_000_000));
            let invalide = |entrees| Err(RefusFormat::TiffRepertoireInvalide { position: 8, entrees });
            assert_eq!(verdict(&tiff(gros_boutien, 8, 0)), invalide(0));
            assert_eq!(verdict(&tiff(gros_boutien, 8, 2)), invalide(2));
        }
        // A directory far from the start, past the first KiB and across chunk boundaries.
        let mut loin = b"II*\0".to_vec();
        loin.extend(3000u32.to_le_bytes());
        loin.resize(3000, 0xAB);
        loin.extend(&tiff(false, 8, 1)[8..]);
        assert_eq!(verdict(&loin), Ok(Format::Tiff));
        loin[3000] = 9;
        assert_eq!(verdict(&loin), Err(RefusFormat::TiffRepertoireInvalide { position: 3000, entrees: 9 }));
    }

    #[test]
    fn javascript_en_clair() {
        let action = pdf_avec(b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>");
        assert_eq!(verdict(&action), actifs(&["/JavaScript", "/JS"]));
        let message = verdict(&action).unwrap_err().to_string();
        assert!(message.contains("action JavaScript (/JavaScript), script JavaScript (/JS) ;"), "{message}");
        assert!(message.starts_with("PDF refusé par sécurité"), "{message}");
    }

    #[test]
    fn chaque_nom_actif_est_rapporte_dans_l_ordre() {
        let objet = b"<< /RichMedia 1 /EmbeddedFiles 2 /EmbeddedFile 3 /Launch 4 >>";
        assert_eq!(verdict(&pdf_avec(objet)), actifs(&["/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia"]));
        assert_eq!(verdict(&pdf_avec(b"<</Type/Action/S/Launch/F(calc.exe)>>")), actifs(&["/Launch"]));
    }

    #[test]
    fn noms_echappes_en_hexadecimal() {
        assert_eq!(verdict(&pdf_avec(b"<< /S /J#61vaScript /#4A#53 (x) >>")), actifs(&["/JavaScript", "/JS"]));
        assert_eq!(verdict(&pdf_avec(b"<< /S /#4c#61#75#6e#63#68 >>")), actifs(&["/Launch"]));
        // A `#` without two hexadecimal digits stands for itself: no match, whatever follows.
        assert_eq!(verdict(&pdf_avec(b"<< /J#6gvaScript /J#ZZS /Ja#/vaScript /JS# >>")), Ok(Format::Pdf));
    }

    #[test]
    fn les_comparaisons_sont_exactes() {
        let objet = b"<< /JSON 1 /JavaScriptX 2 /JavaScrip 3 /Launched 4 /XJS 5 /EmbeddedFilesX 6 /OpenAction 7 >>";
        assert_eq!(verdict(&pdf_avec(objet)), Ok(Format::Pdf));
        // Every delimiter ends a name.
        for fin in [" ", "\n", "(", ")", "<", ">", "[", "]", "{", "}", "/", "%", "\0"] {
            let objet = format!("<< /Type /Action /S /JavaScript{fin} >>");
            assert_eq!(verdict(&pdf_avec(objet.as_bytes())), actifs(&["/JavaScript"]), "{fin:?}");
        }
        // A name longer than readers accept is no name of ours, and is not kept.
        let long = format!("<< /{}JavaScript >>", "A".repeat(500));
        assert_eq!(verdict(&pdf_avec(long.as_bytes())), Ok(Format::Pdf));
    }

    #[test]
    fn un_nom_coupe_entre_deux_morceaux() {
        let document = pdf_avec(b"<< /S /J#61vaScript >>");
        let coupure = document.windows(4).position(|f| f == b"#61v").unwrap() + 2;
        for coupure in [coupure - 3, coupure - 1, coupure, coupure + 1] {
            let mut examen = Examen::new(Limites::default());
            examen.ajouter(&document[..coupure]);
            examen.ajouter(&document[coupure..]);
            assert_eq!(examen.conclure(), actifs(&["/JavaScript"]));
        }
    }

    #[test]
    fn javascript_dans_un_flux_d_objets_compresse() {
        // Enough objects for zlib to compress rather than store them.
        let mut objets = String::new();
        for k in 0..30 {
            objets += &format!("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Name /F{k} >>\n");
        }
        objets += "<< /Type /Action /S /JavaScript /JS (app.launchURL\\('https://example.org'\\)) >>";
        let compresse = zlib(objets.as_bytes());
        assert!(!compresse.windows(4).any(|f| f == b"Java" || f == b"/JS "));
        let objstm = flux("/Type /ObjStm /N 31 /First 0 /Filter /FlateDecode", &compresse);
        assert_eq!(verdict(&pdf_avec(&objstm)), actifs(&["/JavaScript", "/JS"]));
        // The filter named through an indirect object, or in an array: the data tells.
        let indirect = flux("/Type /ObjStm /N 1 /First 4 /Filter 9 0 R", &compresse);
        assert_eq!(verdict(&pdf_avec(&indirect)), actifs(&["/JavaScript", "/JS"]));
        let tableau = flux("/Type /ObjStm /N 1 /First 4 /Filter [/FlateDecode]", &compresse);
        assert_eq!(verdict(&pdf_avec(&tableau)), actifs(&["/JavaScript", "/JS"]));
        // CR alone after `stream`, as some producers write.
        let mut cr = b"<< /Filter /FlateDecode >> stream\r".to_vec();
        cr.extend(&compresse);
        cr.extend(b"\nendstream");
        assert_eq!(verdict(&pdf_avec(&cr)), actifs(&["/JavaScript", "/JS"]));
    }

    #[test]
    fn le_balayage_brut_reprend_apres_la_fin_du_flux() {
        let compresse = flux("/Filter /FlateDecode", &zlib(b"q 1 0 0 1 0 0 cm Q"));
        let apres = b"<< /Type /Annot /Subtype /RichMedia >>";
        assert_eq!(verdict(&pdf(&[PAGES[0], PAGES[1], PAGES[2], &compresse, apres])), actifs(&["/RichMedia"]));
        // Plain bytes after the zlib data, within the same stream, are scanned raw too.
        let mut suivi = zlib(b"q Q");
        suivi.extend(b" /Launch ");
        assert_eq!(verdict(&pdf_avec(&flux("/Filter /FlateDecode", &suivi))), actifs(&["/Launch"]));
    }

    #[test]
    fn un_flux_qui_ne_se_decompresse_pas_est_balaye_brut() {
        let faux = flux("/Filter /FlateDecode", b"x\x9c<< /S /Launch /F (cmd.exe) >> garbage");
        assert_eq!(verdict(&pdf_avec(&faux)), actifs(&["/Launch"]));
        // Valid for a while, then broken: what was inflated and what was not are both scanned.
        let mut alea = Xorshift(5);
        let mut texte = b"/RichMedia ".to_vec();
        texte.extend((0..3000).map(|_| b'a' + (alea.suivant() % 26) as u8));
        let mut coupe = zlib(&texte);
        coupe.truncate(coupe.len() / 2);
        coupe.extend(b"\xFF\xFF\xFF\xFF /Launch ");
        assert_eq!(verdict(&pdf_avec(&flux("/Filter /FlateDecode", &coupe))), actifs(&["/Launch", "/RichMedia"]));
    }

    #[test]
    fn les_flux_binaires_sont_balayes_sans_fausse_alerte() {
        let mut alea = Xorshift(7);
        let mut image: Vec<u8> = (0..200_000).map(|_| alea.suivant() as u8).collect();
        // A short name among binary bytes is chance, and so is one inside inflated binary data.
        image[1000..1008].copy_from_slice(b"\x9c\x01/JS (x");
        let inflee = zlib(&image[..50_000]);
        let document = pdf(&[
            PAGES[0],
            PAGES[1],
            PAGES[2],
            &flux("/Subtype /Image /Filter /DCTDecode", &image),
            &flux("/Subtype /Image /Filter /FlateDecode", &inflee),
        ]);
        assert_eq!(verdict(&document), Ok(Format::Pdf));
        // A long one is not, even there: objects can be hidden in stream data and reached by
        // the cross-reference table.
        image[5000..5027].copy_from_slice(b"\x01<</S/Launch/F(cmd.exe)>>\x02\x03");
        assert_eq!(verdict(&pdf_avec(&flux("/Filter /DCTDecode", &image))), actifs(&["/Launch"]));
    }

    #[test]
    fn bombe_de_decompression() {
        let bombe = flux("/Filter /FlateDecode", &zlib(&vec![b' '; 3 * 1024 * 1024 / 2]));
        let document = pdf_avec(&bombe);
        assert!(document.len() < 10_000);
        let serre = Limites { max_inflation_octets: 1024 * 1024 };
        let refus = verdict_avec(&document, serre);
        assert_eq!(refus, Err(RefusFormat::CompressionExcessive { limite: 1024 * 1024 }));
        let message = refus.unwrap_err().to_string();
        assert!(message.contains("limite de vérification (1 Mio"), "{message}");
        assert_eq!(verdict(&document), Ok(Format::Pdf));
        // The limit is on the whole document, not on each stream.
        let deux = pdf(&[PAGES[0], PAGES[1], PAGES[2], &bombe, &bombe]);
        assert_eq!(verdict_avec(&deux, Limites { max_inflation_octets: 4 * 1024 * 1024 }), Ok(Format::Pdf));
        assert!(matches!(
            verdict_avec(&deux, Limites { max_inflation_octets: 2 * 1024 * 1024 }),
            Err(RefusFormat::CompressionExcessive { .. })
        ));
    }

    #[test]
    fn contenu_actif_avant_la_bombe() {
        let bombe = flux("/Filter /FlateDecode", &zlib(&vec![b' '; 2 * 1024 * 1024]));
        let document = pdf(&[PAGES[0], PAGES[1], PAGES[2], &bombe, b"<< /S /JavaScript >>"]);
        assert_eq!(verdict_avec(&document, Limites { max_inflation_octets: 1024 }), actifs(&["/JavaScript"]));
    }

    #[test]
    fn donnees_quelconques_meme_verdict_quel_que_soit_le_decoupage() {
        let mut alea = Xorshift(3);
        let debuts: [&[u8]; 6] = [
            b"%PDF-1.4\n",
            b"%PDF-1.5\n1 0 obj<</Length 9>>stream\nx\x9c",
            &[0xFF, 0xD8, 0xFF],
            b"\x89PNG",
            b"II*\0",
            b"",
        ];
        for debut in debuts {
            for longueur in [0, 5, 100, 3000] {
                let mut donnees = debut.to_vec();
                donnees.extend((0..longueur).map(|_| alea.suivant() as u8));
                verdict(&donnees).ok();
            }
        }
    }

    #[test]
    fn memoire_bornee_sur_cinquante_mio() {
        // A 64 KiB chunk of everything the scan keeps state for: names too long to keep, a
        // zlib stream, binary data, `stream` keywords.
        let mut alea = Xorshift(11);
        let mut morceau = format!("1 0 obj << /{} /Type /Page >> endobj\n", "N".repeat(1000)).into_bytes();
        morceau.extend(flux("/Filter /FlateDecode", &zlib(&b"BT /F1 9 Tf (ligne) Tj ET\n".repeat(200))));
        morceau.extend(b"\nendobj\n2 0 obj << /Filter /DCTDecode >> stream\n");
        while morceau.len() < 64 * 1024 {
            morceau.push(alea.suivant() as u8);
        }
        let mut examen = Examen::new(Limites { max_inflation_octets: u64::MAX });
        examen.ajouter(b"%PDF-1.7\n");
        examen.ajouter(&morceau);
        let apres_un = examen.memoire();
        // Head and tail, one inflater with its output buffer and the start of its data, a
        // stream's chain.
        assert!(apres_un <= 2 * 1024 + 64 * 1024 + 4160 + 4 * 1024, "{apres_un}");
        for _ in 0..800 {
            examen.ajouter(&morceau);
            assert_eq!(examen.memoire(), apres_un);
        }
        examen.ajouter(b"\nendstream\nendobj\n%%EOF\n");
        assert!(examen.memoire() <= apres_un);
        assert_eq!(examen.conclure(), Ok(Format::Pdf));
    }

    #[test]
    fn temps_lineaire_sur_les_cas_limites() {
        for motif in [&b"#"[..], b"/", b"/#", b"#4", b"stream\n", b"stream\nx\x9c", b"("] {
            let mut document = b"%PDF-1.4\n/A".to_vec();
            document.extend(motif.repeat(2 * 1024 * 1024 / motif.len()));
            document.extend(b"\n%%EOF");
            let mut examen = Examen::new(Limites::default());
            examen.ajouter(&document);
            assert_eq!(examen.conclure(), Ok(Format::Pdf), "{motif:?}");
        }
    }

    #[test]
    fn types_declares() {
        assert!(Format::Pdf.accepte_type("application/pdf"));
        assert!(Format::Pdf.accepte_type(" Application/PDF ; name=\"avis.pdf\""));
        assert!(Format::Pdf.accepte_type("application/x-pdf"));
        assert!(Format::Jpeg.accepte_type("image/jpg"));
        assert!(Format::Jpeg.accepte_type("IMAGE/PJPEG"));
        assert!(Format::Png.accepte_type("image/png;charset=binary"));
        assert!(Format::Tiff.accepte_type("image/tif"));
        assert!(!Format::Pdf.accepte_type("application/octet-stream"));
        assert!(!Format::Jpeg.accepte_type("image/png"));
        assert!(!Format::Png.accepte_type(""));
        assert!(!Format::Pdf.accepte_type("application/pdfx"));
        for format in [Format::Pdf, Format::Jpeg, Format::Png, Format::Tiff] {
            assert!(format.accepte_type(format.content_type()));
            assert!(format.content_type().contains(&format.nom().to_lowercase()));
        }
    }

    #[test]
    fn chaque_message_dit_ce_qui_ne_va_pas() {
        let refus = [
            RefusFormat::Vide,
            RefusFormat::FormatInconnu { debut: hexa(&[0xAB; 40]), indice: Some("d'une image GIF") },
            RefusFormat::TropCourt { format: Format::Png, taille: 9, minimum: 45 },
            RefusFormat::PdfEnteteDecale { position: 3 },
            RefusFormat::PdfEnteteInvalide { debut: hexa(b"%PDF-x") },
            RefusFormat::PdfSansFin,
            RefusFormat::JpegSansFin { fin: hexa(&[0; 3]) },
            RefusFormat::PngSignatureAlteree { debut: hexa(b"\x89PNG\n") },
            RefusFormat::PngSansIhdr,
            RefusFormat::PngSansIend { fin: hexa(&[1]) },
            RefusFormat::TiffRepertoireHors { position: 4, taille: 26 },
            RefusFormat::TiffRepertoireInvalide { position: 8, entrees: 0 },
            RefusFormat::ContenuActif { elements: vec!["/Launch"] },
            RefusFormat::CompressionExcessive { limite: 256 * 1024 * 1024 },
            RefusFormat::FluxInverifiable { raison: filtres::TROP_DE_FILTRES },
        ];
        let attendus = [
            "vide",
            "GIF",
            "PNG trop court",
            "octet 3",
            "%PDF-1.x",
            "%%EOF",
            "FF D9",
            "signature",
            "IHDR",
            "IEND",
            "octet 4",
            "0 entrée",
            "lancement de programme (/Launch)",
            "256 Mio",
            "plus de 8 filtres",
        ];
        for (refus, attendu) in refus.iter().zip(attendus) {
            let message = refus.to_string();
            assert!(message.contains(attendu), "{message}");
            let octets_cites =
                message.split(' ').filter(|m| m.len() == 2 && m.chars().all(|c| c.is_ascii_hexdigit())).count();
            assert!(octets_cites <= CITATION, "{message}");
        }
    }

    fn libelles(elements: &[&str]) -> Vec<String> {
        elements.iter().map(|nom| format!("{} ({nom})", ACTIFS.iter().find(|(n, _)| n == nom).unwrap().1)).collect()
    }

    #[test]
    fn chaque_variante_hostile_est_refusee_en_nommant_ce_qu_elle_cache() {
        for variante in corpus::hostiles() {
            let refus = verdict(&variante.document);
            assert_eq!(refus, actifs(variante.attendus), "{}", variante.nom);
            let message = refus.unwrap_err().to_string();
            for libelle in libelles(variante.attendus) {
                assert!(message.contains(&libelle), "{} : {message}", variante.nom);
            }
        }
    }

    #[test]
    fn les_variantes_cachent_bien_leur_contenu_au_balayage_brut() {
        // Each JavaScript variant would pass if its stream were not decoded: the test is worth
        // something only that way.
        for variante in corpus::hostiles().into_iter().filter(|v| v.attendus == ["/JavaScript", "/JS"]) {
            let brut = &variante.document;
            assert!(!brut.windows(11).any(|f| f == b"/JavaScript"), "{}", variante.nom);
        }
    }

    #[test]
    fn les_memes_encodages_sans_contenu_actif_passent() {
        for (nom, document) in corpus::innocents() {
            assert_eq!(verdict(&document), Ok(Format::Pdf), "{nom}");
        }
    }

    #[test]
    fn les_liens_web_sont_acceptes() {
        let lien = b"<< /Type /Annot /Subtype /Link /A << /S /URI /URI (https://www.impots.gouv.fr) >> >>";
        assert_eq!(verdict(&pdf_avec(lien)), Ok(Format::Pdf));
        assert_eq!(verdict(&pdf_avec(&flux("/Filter /AHx", &corpus::hexa(lien)))), Ok(Format::Pdf));
    }

    #[test]
    fn script_xfa_seulement_dans_un_flux_xml() {
        let xml = |texte: &str| verdict(&pdf_avec(&flux("/Filter /Fl", &zlib(texte.as_bytes()))));
        assert_eq!(xml("\u{FEFF}\n <template><xfa:script>x</xfa:script></template>"), actifs(&["<script>"]));
        assert_eq!(xml("<script>x</script>"), actifs(&["<script>"]));
        assert_eq!(xml("<a><script\ncontentType='application/x-formcalc'/></a>"), actifs(&["<script>"]));
        // Elements of other names, closing tags alone, text that prints a tag.
        assert_eq!(xml("<a><scripts/><noscript/><x:scripting/></script></a>"), Ok(Format::Pdf));
        assert_eq!(xml("BT (<script>) Tj ET"), Ok(Format::Pdf));
        // Uncompressed: the stream's data as it is.
        assert_eq!(verdict(&pdf_avec(&flux("", corpus::XFA_SCRIPT.as_bytes()))), actifs(&["<script>"]));
    }

    #[test]
    fn flux_qu_on_ne_peut_pas_verifier() {
        let inverifiable = |raison| Err(RefusFormat::FluxInverifiable { raison });
        let neuf = flux(&format!("/Filter [{}]", "/Fl ".repeat(9)), &zlib(b"q Q"));
        assert_eq!(verdict(&pdf_avec(&neuf)), inverifiable(filtres::TROP_DE_FILTRES));
        let indirect = flux("/Filter /FlateDecode /DecodeParms 7 0 R", &zlib(b"q Q"));
        assert_eq!(verdict(&pdf_avec(&indirect)), inverifiable(filtres::PARAMETRES_ILLISIBLES));
        let large = flux("/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 900000000 >>", &zlib(b"q Q"));
        assert_eq!(verdict(&pdf_avec(&large)), inverifiable(filtres::PREDICTEUR_INVALIDE));
        // A predictor's dictionary alone for an array of filters: readers differ.
        let discordant = flux("/Filter [/FlateDecode] /DecodeParms << /Predictor 12 /Columns 4 >>", &zlib(b"q Q"));
        assert_eq!(verdict(&pdf_avec(&discordant)), inverifiable(filtres::PARAMETRES_ILLISIBLES));
        let sans_predicteur = flux("/Filter [/LZW] /DecodeParms << /EarlyChange 1 >>", &corpus::lzw(b"q Q", true));
        assert_eq!(verdict(&pdf_avec(&sans_predicteur)), Ok(Format::Pdf));
        // Indirect parameters of a filter that takes none do not matter.
        let hexa = flux("/Filter /AHx /DecodeParms 7 0 R", &corpus::hexa(b"q Q"));
        assert_eq!(verdict(&pdf_avec(&hexa)), Ok(Format::Pdf));
        // Active content found is said first.
        let document = corpus::pdf_avec(&[&neuf, corpus::SOUMISSION.as_bytes()]);
        assert_eq!(verdict(&document), actifs(&["/SubmitForm"]));
        let message = RefusFormat::FluxInverifiable { raison: filtres::TROP_DE_FILTRES }.to_string();
        assert!(message.contains("ne peut pas être vérifié (plus de 8 filtres enchaînés)"), "{message}");
    }

    #[test]
    fn des_donnees_au_dela_de_endstream() {
        // RunLength data without its end mark runs on to the end of the file, beside the objects:
        // the stream after it is read all the same.
        let sans_fin = flux("/Filter /RunLengthDecode", &corpus::runlength(b"q Q")[..4]);
        let apres = flux("/Filter /AHx", &corpus::hexa(corpus::JAVASCRIPT.as_bytes()));
        assert_eq!(verdict(&pdf_avec(&sans_fin)), Ok(Format::Pdf));
        assert_eq!(verdict(&corpus::pdf_avec(&[&sans_fin, &apres])), actifs(&["/JavaScript", "/JS"]));
        // Four at once are followed, five are not.
        assert_eq!(verdict(&corpus::pdf_avec(&[&sans_fin[..]; 4])), Ok(Format::Pdf));
        let cinq = corpus::pdf_avec(&[&sans_fin[..]; 5]);
        assert_eq!(verdict(&cinq), Err(RefusFormat::FluxInverifiable { raison: DEBORDEMENTS }));
        // A Flate stream without `endstream`: the objects after its data are read.
        let mut document = corpus::pdf_avec(&[&apres]);
        let cache = document.windows(8).position(|f| f == b"4 0 obj\n").unwrap();
        let mut coupe = b"9 0 obj << /Filter /Fl >> stream\n".to_vec();
        coupe.extend(zlib(b"q Q"));
        coupe.extend(b"\n");
        document.splice(cache..cache, coupe);
        assert_eq!(verdict(&document), actifs(&["/JavaScript", "/JS"]));
    }

    #[test]
    fn bombe_sous_deux_filtres() {
        let double = zlib(&zlib(&vec![b' '; 4 * 1024 * 1024]));
        let document = pdf_avec(&flux("/Filter [/Fl /Fl]", &double));
        assert!(document.len() < 10_000, "{}", document.len());
        let serre = Limites { max_inflation_octets: 1024 * 1024 };
        assert_eq!(verdict_avec(&document, serre), Err(RefusFormat::CompressionExcessive { limite: 1024 * 1024 }));
        assert_eq!(verdict(&document), Ok(Format::Pdf));
    }

    #[test]
    fn memoire_bornee_sur_la_pire_chaine() {
        // Eight inflaters with their buffers, two predictor rows of the largest size.
        let parametres = format!("[{}<< /Predictor 12 /Columns 262144 >>]", "null ".repeat(7));
        let dictionnaire = format!("/Filter [{}] /DecodeParms {parametres}", "/Fl ".repeat(8));
        let mut donnees = corpus::png_haut(&vec![b'a'; 600_000], 262_144);
        for _ in 0..8 {
            donnees = zlib(&donnees);
        }
        let document = pdf_avec(&flux(&dictionnaire, &donnees));
        let mut examen = Examen::new(Limites::default());
        let mut plus = 0;
        for morceau in document.chunks(97) {
            examen.ajouter(morceau);
            plus = plus.max(examen.memoire());
        }
        assert!(plus <= 8 * (64 * 1024 + 4160 + 1024) + 2 * 256 * 1024 + 8 * 1024, "{plus}");
        assert!(plus >= 8 * 64 * 1024, "{plus}");
        assert_eq!(examen.conclure(), Ok(Format::Pdf));
    }

    #[test]
    fn un_mot_stream_dans_une_chaine_ne_cache_pas_la_suite() {
        // Text in a string: the objects after it are read as objects, the compressed one too.
        let titre = b"<< /Title (Regarder le stream\n en direct) /Producer (x stream y) >>";
        let js = corpus::flux_d_objets(&[corpus::JAVASCRIPT, corpus::CONTENU], "/FlateDecode", "", zlib);
        assert_eq!(verdict(&corpus::pdf_avec(&[titre, &js])), actifs(&["/JavaScript", "/JS"]));
        assert_eq!(verdict(&corpus::pdf_avec(&[titre, titre, titre, titre, titre, titre])), Ok(Format::Pdf));
        assert_eq!(verdict(&pdf_avec(&b"stream\n".repeat(100))), Ok(Format::Pdf));
    }

    #[test]
    fn des_octets_entre_les_objets_ne_cachent_pas_un_flux() {
        // An unclosed string between objects: the dictionary after it is not read, its stream's
        // data is guessed beside the objects.
        let js = corpus::JAVASCRIPT.as_bytes();
        for (filtre, donnees) in
            [("/AHx", corpus::hexa(js)), ("/A85", corpus::a85(js)), ("/Fl", zlib(js)), ("/LZW", corpus::lzw(js, true))]
        {
            let mut document = corpus::pdf_avec(&[&flux(&format!("/Filter {filtre}"), &donnees)]);
            let objet = document.windows(8).position(|f| f == b"4 0 obj\n").unwrap();
            document.splice(objet..objet, b"<< (".iter().copied());
            assert_eq!(verdict(&document), actifs(&["/JavaScript", "/JS"]), "{filtre}");
        }
    }
}
