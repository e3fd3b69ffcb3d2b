//! A PDF stream's data decoded through its whole chain of filters as it streams in, for the names
//! it hides to be searched (ISO 32000-2, 7.4).
//!
//! Each stage takes bytes and hands its output to the next, through a buffer of its own: an
//! inflater ([`SORTIE_FLATE`]), a predictor (two rows of at most [`LIGNE_MAX`] bytes), the LZW
//! decoder its table (24 KiB), the byte-wise decoders (ASCIIHex, ASCII85, RunLength) a buffer on
//! the stack. Every decoder finds the end of its data exactly, whatever the chunks: the bytes
//! after it are objects again. The chain is at most [`FILTRES_MAX`](super::objets::FILTRES_MAX)
//! filters long, and every byte a decoder outputs is taken from one budget for the whole
//! document ([`Contexte`]): past it, decoding stops and the document is refused. Inflaters are
//! kept for the next streams (a PDF may hold thousands).
//!
//! The decoders are lenient the way readers are (pdf.js skips what is not a digit in ASCIIHex
//! data; Flate data without a zlib header, or whose zlib data fails at once, is read as raw
//! deflate) so that what a reader decodes is decoded here too. Image filters (`/DCTDecode`, `/JPXDecode`, `/CCITTFaxDecode`,
//! `/JBIG2Decode`) end the chain: pixels are not searched, what was decoded before them is.
//! When a stream's filters are not known (an indirect `/Filter`, the key written twice, a
//! dictionary not read), or there are none, its data is guessed: a zlib header, LZW's first clear
//! code, ASCIIHex or ASCII85 text are decoded, and their output guessed again.

use std::cell::{Cell, RefCell};

use flate2::{Decompress, FlushDecompress, Status};

use super::objets::{Champ, Declaration, Filtre, Parametres};
use super::{entete_zlib, Sortie as Recherche, BLANC, CLASSES};

/// Output buffer of an inflater: what it inflates between two hand-overs.
const SORTIE_FLATE: usize = 64 * 1024;
/// zlib data that fails within this many bytes is read again as raw deflate.
const REPRISE: usize = 4096;
/// Bytes kept for that: a few more, as an inflater may read a few bytes ahead of an error.
const REPRISE_GARDE: usize = REPRISE + 64;
/// Output buffer of the byte-wise decoders, on the stack.
const SORTIE_OCTETS: usize = 4 * 1024;
/// Longest row a predictor accepts, in bytes: a 16-bit RGBA row of 32,768 pixels.
const LIGNE_MAX: u64 = 256 * 1024;
/// Bytes a guess looks at.
const DEVINE: usize = 64;
/// Guesses in a row: a guessed decoder's output is guessed again, this many times in all.
const DEVINETTES: u8 = 3;
/// White space an ASCII85 guess tolerates in [`DEVINE`] bytes (a line break; text has more).
/// Below `A_COTE_MAX`: a guess beside the objects cannot be evicted while it may be ASCII85.
pub(super) const BLANCS_A85: usize = 3;

/// Why a stream cannot be decoded to be checked.
pub(super) const TROP_DE_FILTRES: &str = "plus de 8 filtres enchaînés";
pub(super) const PARAMETRES_ILLISIBLES: &str = "paramètres de décodage indirects, ambigus ou illisibles";
pub(super) const PREDICTEUR_INVALIDE: &str = "paramètres de prédicteur invalides ou lignes trop longues";

/// What every chain of a document shares: the output budget, the inflaters not in use, and what
/// guesses found in the data they guessed (see [`Devine`]).
pub(super) struct Contexte {
    trouves: Cell<u16>,
    restant: Cell<u64>,
    depasse: Cell<bool>,
    gonfleurs: RefCell<Vec<Gonfleur>>,
    /// Inflaters made, in use or kept.
    crees: Cell<usize>,
}

impl Contexte {
    pub fn new(budget: u64) -> Self {
        Contexte {
            trouves: Cell::new(0),
            restant: Cell::new(budget),
            depasse: Cell::new(false),
            gonfleurs: RefCell::default(),
            crees: Cell::new(0),
        }
    }

    /// The active names the guesses found ([`super::ACTIFS`] bits).
    pub fn trouves(&self) -> u16 {
        self.trouves.get()
    }

    /// Whether the budget was passed: nothing is decoded any more.
    pub fn depasse(&self) -> bool {
        self.depasse.get()
    }

    /// Takes `n` bytes of decoded output from the budget; false once it is passed.
    fn prendre(&self, n: usize) -> bool {
        let n = n as u64;
        if self.depasse.get() || n > self.restant.get() {
            self.depasse.set(true);
            return false;
        }
        self.restant.set(self.restant.get() - n);
        true
    }

    fn gonfleur(&self) -> Gonfleur {
        let mut gonfleur = self.gonfleurs.borrow_mut().pop().unwrap_or_else(|| {
            self.crees.set(self.crees.get() + 1);
            Gonfleur::nouveau()
        });
        gonfleur.preparer();
        gonfleur
    }

    /// Bytes held by the inflaters (their own state, about 40 KiB each, not counted).
    pub fn memoire(&self) -> usize {
        self.crees.get() * (std::mem::size_of::<Gonfleur>() + SORTIE_FLATE + REPRISE_GARDE)
    }
}

/// How far a stage got: the input bytes it took, and whether it takes no more (its data's end, an
/// error, the budget).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Avance {
    pub lus: usize,
    pub fini: bool,
}

const FINI: Avance = Avance { lus: 0, fini: true };

type Sortie<'s> = dyn FnMut(&[u8]) + 's;

/// Where a stage's output goes: the stages after it, then the search.
struct Aval<'a, 's> {
    etages: &'a mut [Etage],
    sortie: &'a mut Sortie<'s>,
    contexte: &'a Contexte,
}

impl Aval<'_, '_> {
    /// Hands bytes on; `compte` when they are a decoder's output (a predictor's only reorders
    /// them, a guessed identity passes them). False once the budget is passed: the stage stops.
    fn emettre(&mut self, donnees: &[u8], compte: bool) -> bool {
        if !donnees.is_empty() {
            if compte && !self.contexte.prendre(donnees.len()) {
                return false;
            }
            envoyer(self.etages, donnees, self.sortie, self.contexte);
        }
        !self.contexte.depasse()
    }
}

fn envoyer(etages: &mut [Etage], donnees: &[u8], sortie: &mut Sortie<'_>, contexte: &Contexte) -> Avance {
    match etages.split_first_mut() {
        None => {
            sortie(donnees);
            Avance { lus: donnees.len(), fini: false }
        }
        Some((premier, suite)) => premier.pousser(donnees, &mut Aval { etages: suite, sortie, contexte }),
    }
}

/// The data ended: each stage hands on what it still holds, in order.
fn finir(etages: &mut [Etage], sortie: &mut Sortie<'_>, contexte: &Contexte) {
    if let Some((premier, suite)) = etages.split_first_mut() {
        premier.finir(&mut Aval { etages: suite, sortie, contexte });
        finir(suite, sortie, contexte);
    }
}

/// One filter or predictor of a chain.
enum Etage {
    Flate(Gonfleur),
    Hexa(Hexa),
    Ascii85(Ascii85),
    Lzw(Box<Lzw>),
    RunLength(RunLength),
    Predicteur(Box<Predicteur>),
    Devine(Box<Devine>),
}

impl Etage {
    fn pousser(&mut self, entree: &[u8], aval: &mut Aval) -> Avance {
        match self {
            Etage::Flate(g) => g.pousser(entree, aval),
            Etage::Hexa(h) => h.pousser(entree, aval),
            Etage::Ascii85(a) => a.pousser(entree, aval),
            Etage::Lzw(l) => l.pousser(entree, aval),
            Etage::RunLength(r) => r.pousser(entree, aval),
            Etage::Predicteur(p) => p.pousser(entree, aval),
            Etage::Devine(d) => d.pousser(entree, aval),
        }
    }

    fn finir(&mut self, aval: &mut Aval) {
        match self {
            Etage::Hexa(h) => h.finir(aval),
            Etage::Ascii85(a) => a.finir(aval),
            Etage::Predicteur(p) => p.finir(aval),
            Etage::Devine(d) => d.finir(aval),
            Etage::Flate(_) | Etage::Lzw(_) | Etage::RunLength(_) => {}
        }
    }

    /// Whether the stage's data tells where it ends (every decoder's does; a guess only once it
    /// guessed a decoder).
    fn auto_terminee(&self) -> bool {
        match self {
            Etage::Devine(d) => d.decide && d.interne.first().is_some_and(Etage::auto_terminee),
            Etage::Flate(g) => !g.reprise,
            Etage::Predicteur(_) => false,
            _ => true,
        }
    }

    /// Past the keyword `endstream`, the text decoders stop at the first byte that is not theirs.
    fn rendre_strict(&mut self) {
        match self {
            Etage::Hexa(h) => h.strict = true,
            Etage::Ascii85(a) => a.strict = true,
            Etage::Devine(d) => {
                d.strict = true;
                if let Some(premier) = d.interne.first_mut() {
                    premier.rendre_strict();
                }
            }
            _ => {}
        }
    }

    fn memoire(&self) -> usize {
        match self {
            Etage::Lzw(_) => std::mem::size_of::<Lzw>() + std::mem::size_of::<[Entree; LZW_ENTREES]>(),
            Etage::Predicteur(p) => std::mem::size_of::<Predicteur>() + p.courante.capacity() + p.precedente.capacity(),
            Etage::Devine(d) => {
                let miroir = d.miroir.as_ref().map_or(0, |_| std::mem::size_of::<Recherche>());
                std::mem::size_of::<Devine>() + miroir + d.interne.iter().map(Etage::memoire).sum::<usize>()
            }
            // Inflaters are counted by the context, which keeps them.
            _ => 0,
        }
    }

    fn rendre(self, contexte: &Contexte) {
        match self {
            Etage::Flate(g) => contexte.gonfleurs.borrow_mut().push(g),
            Etage::Devine(d) => d.interne.into_iter().for_each(|e| e.rendre(contexte)),
            _ => {}
        }
    }
}

/// The decoding of one stream's data.
pub(super) struct Chaine {
    etages: Vec<Etage>,
    fini: bool,
}

impl Chaine {
    /// The chain a declaration calls for (`None`: the dictionary was not read), or why the stream
    /// cannot be checked.
    pub fn construire(declaration: Option<&Declaration>, contexte: &Contexte) -> Result<Chaine, &'static str> {
        let devine = |parametres: Option<Parametres>, vers_sortie| {
            Ok(Chaine { etages: vec![Devine::nouveau(DEVINETTES, parametres, vers_sortie)], fini: false })
        };
        let Some(declaration) = declaration else { return devine(None, true) };
        let filtres = match declaration.filtres {
            Champ::Connu(filtres) if filtres.trop => return Err(TROP_DE_FILTRES),
            Champ::Connu(filtres) => filtres,
            Champ::Absent => return devine(None, true),
            Champ::Inconnu => {
                let parametres = match declaration.parametres {
                    Champ::Connu(p) => p.items().first().copied(),
                    _ => None,
                };
                return devine(parametres, true);
            }
        };
        // pdf.js, MuPDF and Poppler: one dictionary goes with one filter, an array with an
        // array; a predictor given the other way, which another reader might apply, is a doubt.
        let parametres = match declaration.parametres {
            Champ::Connu(p) if p.tableau == filtres.tableau => Champ::Connu(p),
            Champ::Connu(p) if p.items().iter().any(|p| p.predicteur.is_some_and(|n| n > 1)) => {
                return Err(PARAMETRES_ILLISIBLES)
            }
            Champ::Connu(_) | Champ::Absent => Champ::Absent,
            Champ::Inconnu => Champ::Inconnu,
        };
        let mut etages = Vec::new();
        for (k, &filtre) in filtres.items().iter().enumerate() {
            let p = match parametres {
                Champ::Connu(p) => p.items().get(k).copied().unwrap_or_default(),
                Champ::Absent => Parametres::default(),
                Champ::Inconnu if matches!(filtre, Filtre::Flate | Filtre::Lzw | Filtre::Crypt) => {
                    return Err(PARAMETRES_ILLISIBLES)
                }
                Champ::Inconnu => Parametres::default(),
            };
            match filtre {
                Filtre::Flate => etages.push(Etage::Flate(contexte.gonfleur())),
                Filtre::Lzw => etages.push(Etage::Lzw(Box::new(Lzw::nouveau(&p)))),
                Filtre::AsciiHex => etages.push(Etage::Hexa(Hexa::default())),
                Filtre::Ascii85 => etages.push(Etage::Ascii85(Ascii85::default())),
                Filtre::RunLength => etages.push(Etage::RunLength(RunLength::default())),
                // The identity unless another crypt filter is named (the document is encrypted).
                Filtre::Crypt if p.crypt_identite != Some(false) => continue,
                Filtre::Crypt | Filtre::Image | Filtre::Inconnu => break,
            }
            if matches!(filtre, Filtre::Flate | Filtre::Lzw) {
                if let Some(predicteur) = Predicteur::nouveau(&p)? {
                    etages.push(Etage::Predicteur(Box::new(predicteur)));
                }
            }
        }
        if etages.is_empty() {
            // No decoder: an image's data, or plain data. Guessed all the same (the dictionary
            // may have been misread); plain data also goes to the search (XML streams).
            let sans_filtre = filtres.items().iter().all(|f| *f == Filtre::Crypt);
            etages.push(Devine::nouveau(DEVINETTES, None, sans_filtre));
        }
        Ok(Chaine { etages, fini: false })
    }

    /// Decodes the next bytes of the stream's data; the output goes to `sortie`.
    pub fn pousser(&mut self, donnees: &[u8], sortie: &mut Sortie<'_>, contexte: &Contexte) -> Avance {
        if self.fini {
            return FINI;
        }
        let avance = envoyer(&mut self.etages, donnees, sortie, contexte);
        self.fini = avance.fini;
        avance
    }

    /// The data ended: what the stages hold goes to `sortie`, and the inflaters back to the
    /// context.
    pub fn finir(mut self, sortie: &mut Sortie<'_>, contexte: &Contexte) {
        finir(&mut self.etages, sortie, contexte);
        self.etages.into_iter().for_each(|e| e.rendre(contexte));
    }

    /// Whether the data tells where it ends (its first filter's end-of-data mark).
    pub fn auto_terminee(&self) -> bool {
        self.etages.first().is_some_and(Etage::auto_terminee)
    }

    /// Whether its first stage took its last byte.
    pub fn fini(&self) -> bool {
        self.fini
    }

    /// For data beside the objects (a `stream` keyword no dictionary vouches for): the guess
    /// tells zlib and LZW at once, the text decoders are strict, and data taken as it is goes
    /// nowhere (the guess is then dropped).
    pub fn a_cote(&mut self) {
        if let Some(Etage::Devine(d)) = self.etages.first_mut() {
            d.tot = true;
            // Data as it is is no stream's: what the objects scan sees.
            d.vers_sortie = false;
        }
        self.deborder();
    }

    /// Whether the guess found nothing to decode: the data is as it is.
    pub fn rien_a_decoder(&self) -> bool {
        matches!(self.etages.first(), Some(Etage::Devine(d)) if d.decide && d.interne.is_empty())
    }

    /// While the data is being guessed: how many more bytes the guess needs.
    pub fn a_deviner(&self) -> Option<usize> {
        match self.etages.first() {
            Some(Etage::Devine(d)) if !d.decide => Some(DEVINE - d.long),
            _ => None,
        }
    }

    /// The data goes on past the keyword `endstream`: text decoders become strict.
    pub fn deborder(&mut self) {
        if let Some(premier) = self.etages.first_mut() {
            premier.rendre_strict();
        }
    }

    pub fn memoire(&self) -> usize {
        self.etages.capacity() * std::mem::size_of::<Etage>() + self.etages.iter().map(Etage::memoire).sum::<usize>()
    }
}

/// `/FlateDecode`: zlib data (RFC 1950), or raw deflate (RFC 1951) as readers that fall back on
/// it take it: from the start when the first two bytes are no zlib header, and read again from
/// the start when zlib data fails within its first [`REPRISE`] bytes (a zlib header can open raw
/// deflate: a stored block's first byte and length can spell one).
pub(super) struct Gonfleur {
    zlib: Decompress,
    sortie: Vec<u8>,
    /// The first bytes of the data, for the second reading.
    debut: Vec<u8>,
    /// Bytes of data received (saturating).
    recus: usize,
    entete: [u8; 2],
    entete_lu: usize,
    /// Read as zlib data, and not yet again as raw deflate.
    zlib_d_abord: bool,
    /// Read again as raw deflate: where its data ends is then `endstream`'s to say.
    reprise: bool,
    erreur: bool,
    fini: bool,
}

impl Gonfleur {
    fn nouveau() -> Self {
        Gonfleur {
            zlib: Decompress::new(true),
            sortie: vec![0; SORTIE_FLATE],
            debut: Vec::with_capacity(REPRISE_GARDE),
            recus: 0,
            entete: [0; 2],
            entete_lu: 0,
            zlib_d_abord: false,
            reprise: false,
            erreur: false,
            fini: false,
        }
    }

    fn preparer(&mut self) {
        self.debut.clear();
        (self.recus, self.entete_lu) = (0, 0);
        (self.zlib_d_abord, self.reprise, self.erreur, self.fini) = (false, false, false, false);
    }

    fn pousser(&mut self, entree: &[u8], aval: &mut Aval) -> Avance {
        if self.fini {
            // Read again, it takes its stream's data to the end, whatever it made of it.
            return if self.reprise { Avance { lus: entree.len(), fini: false } } else { FINI };
        }
        let avant = self.recus;
        if avant < REPRISE_GARDE {
            self.debut.extend_from_slice(&entree[..entree.len().min(REPRISE_GARDE - avant)]);
        }
        self.recus = self.recus.saturating_add(entree.len());
        let mut lus = 0;
        let mut avance = Avance { lus: 0, fini: false };
        if self.entete_lu < 2 {
            while self.entete_lu < 2 && lus < entree.len() {
                self.entete[self.entete_lu] = entree[lus];
                self.entete_lu += 1;
                lus += 1;
            }
            if self.entete_lu < 2 {
                return Avance { lus, fini: false };
            }
            self.zlib_d_abord = entete_zlib(self.entete);
            self.zlib.reset(self.zlib_d_abord);
            let entete = self.entete;
            avance = self.gonfler(&entete, aval);
        }
        if !avance.fini {
            avance = self.gonfler(&entree[lus..], aval);
            avance.lus += lus;
        } else {
            avance.lus = lus;
        }
        if self.erreur && self.zlib_d_abord && self.zlib.total_in() <= REPRISE as u64 {
            return self.reprendre(avant, entree, aval);
        }
        avance
    }

    /// The zlib data failed early: all of it again, as raw deflate.
    fn reprendre(&mut self, avant: usize, entree: &[u8], aval: &mut Aval) -> Avance {
        (self.zlib_d_abord, self.reprise, self.erreur, self.fini) = (false, true, false, false);
        self.zlib.reset(false);
        let debut = std::mem::take(&mut self.debut);
        let fini = self.gonfler(&debut[..avant.min(debut.len())], aval).fini;
        self.debut = debut;
        if !fini {
            self.gonfler(entree, aval);
        }
        Avance { lus: entree.len(), fini: false }
    }

    fn gonfler(&mut self, entree: &[u8], aval: &mut Aval) -> Avance {
        let mut lus = 0;
        while lus < entree.len() {
            let (avant_entree, avant_sortie) = (self.zlib.total_in(), self.zlib.total_out());
            let etat = self.zlib.decompress(&entree[lus..], &mut self.sortie, FlushDecompress::None);
            let pris = (self.zlib.total_in() - avant_entree) as usize;
            let produits = (self.zlib.total_out() - avant_sortie) as usize;
            lus += pris;
            let suite = aval.emettre(&self.sortie[..produits], true);
            self.erreur = etat.is_err();
            match etat {
                Ok(Status::StreamEnd) | Err(_) => self.fini = true,
                _ if !suite => self.fini = true,
                // No progress with input left: not inflatable, the rest is not this stream's.
                Ok(_) if pris == 0 && produits == 0 => self.fini = true,
                // A full output buffer may leave more inflated data pending: ask again.
                Ok(_) if lus == entree.len() && produits == self.sortie.len() => {
                    return self.vider(lus, aval);
                }
                Ok(_) => {}
            }
            if self.fini {
                return Avance { lus, fini: true };
            }
        }
        Avance { lus, fini: false }
    }

    /// All the input is in: takes out what the inflater still holds.
    fn vider(&mut self, lus: usize, aval: &mut Aval) -> Avance {
        loop {
            let avant = self.zlib.total_out();
            let etat = self.zlib.decompress(&[], &mut self.sortie, FlushDecompress::None);
            let produits = (self.zlib.total_out() - avant) as usize;
            let suite = aval.emettre(&self.sortie[..produits], true);
            self.erreur = etat.is_err();
            match etat {
                Ok(Status::StreamEnd) | Err(_) => self.fini = true,
                _ if !suite => self.fini = true,
                Ok(_) if produits < self.sortie.len() => return Avance { lus, fini: false },
                Ok(_) => continue,
            }
            return Avance { lus, fini: true };
        }
    }
}

fn blanc(octet: u8) -> bool {
    CLASSES[usize::from(octet)] & BLANC != 0
}

/// A buffer on the stack that hands its bytes on when full.
struct Tampon {
    octets: [u8; SORTIE_OCTETS],
    long: usize,
}

impl Tampon {
    fn new() -> Self {
        Tampon { octets: [0; SORTIE_OCTETS], long: 0 }
    }

    /// False once the budget is passed.
    fn mettre(&mut self, octets: &[u8], aval: &mut Aval) -> bool {
        for &octet in octets {
            if self.long == SORTIE_OCTETS && !self.vider(aval) {
                return false;
            }
            self.octets[self.long] = octet;
            self.long += 1;
        }
        true
    }

    /// The next `n` bytes of the buffer (at most its size), to be written; `None` once the budget
    /// is passed.
    fn reserver(&mut self, n: usize, aval: &mut Aval) -> Option<&mut [u8]> {
        if self.long + n > SORTIE_OCTETS && !self.vider(aval) {
            return None;
        }
        let debut = self.long;
        self.long += n;
        Some(&mut self.octets[debut..debut + n])
    }

    fn vider(&mut self, aval: &mut Aval) -> bool {
        let suite = aval.emettre(&self.octets[..self.long], true);
        self.long = 0;
        suite
    }
}

/// `/ASCIIHexDecode`: pairs of hexadecimal digits up to `>`. Other bytes are skipped as pdf.js
/// does, until the data is known to run past `endstream` ([`Etage::rendre_strict`]).
#[derive(Default)]
struct Hexa {
    moitie: Option<u8>,
    strict: bool,
    fini: bool,
}

impl Hexa {
    fn pousser(&mut self, entree: &[u8], aval: &mut Aval) -> Avance {
        if self.fini {
            return FINI;
        }
        let mut tampon = Tampon::new();
        for (i, &octet) in entree.iter().enumerate() {
            let chiffre = match octet {
                b'0'..=b'9' => octet - b'0',
                b'a'..=b'f' => octet - b'a' + 10,
                b'A'..=b'F' => octet - b'A' + 10,
                b'>' => {
                    self.fini = true;
                    self.fin(&mut tampon, aval);
                    return Avance { lus: i + 1, fini: true };
                }
                _ if blanc(octet) || !self.strict => continue,
                _ => {
                    self.fini = true;
                    self.fin(&mut tampon, aval);
                    return Avance { lus: i, fini: true };
                }
            };
            match self.moitie.take() {
                None => self.moitie = Some(chiffre),
                Some(fort) => {
                    if !tampon.mettre(&[(fort << 4) | chiffre], aval) {
                        self.fini = true;
                        return Avance { lus: i + 1, fini: true };
                    }
                }
            }
        }
        let suite = tampon.vider(aval);
        self.fini = !suite;
        Avance { lus: entree.len(), fini: !suite }
    }

    /// A last digit alone is followed by 0 (7.4.2).
    fn fin(&mut self, tampon: &mut Tampon, aval: &mut Aval) {
        if let Some(fort) = self.moitie.take() {
            tampon.mettre(&[fort << 4], aval);
        }
        tampon.vider(aval);
    }

    fn finir(&mut self, aval: &mut Aval) {
        if !self.fini {
            self.fini = true;
            self.fin(&mut Tampon::new(), aval);
        }
    }
}

/// `/ASCII85Decode`: groups of five characters `!` to `u` for four bytes, `z` for four zeros, up
/// to `~>`. A leading `<~` (PostScript's) is skipped; other bytes as in [`Hexa`].
#[derive(Default)]
struct Ascii85 {
    valeur: u32,
    compte: u8,
    /// 0 before the first byte, 1 after a first `<`, 2 in the data.
    prefixe: u8,
    strict: bool,
    fini: bool,
}

impl Ascii85 {
    fn pousser(&mut self, entree: &[u8], aval: &mut Aval) -> Avance {
        if self.fini {
            return FINI;
        }
        let mut tampon = Tampon::new();
        for (i, &octet) in entree.iter().enumerate() {
            if blanc(octet) {
                continue;
            }
            match self.prefixe {
                0 if octet == b'<' => {
                    self.prefixe = 1;
                    continue;
                }
                1 => {
                    self.prefixe = 2;
                    if octet == b'~' {
                        continue;
                    }
                    // The `<` was data.
                    if !self.caractere(b'<', &mut tampon, aval) {
                        return self.arret(i, &mut tampon, aval);
                    }
                }
                _ => self.prefixe = 2,
            }
            if !self.caractere(octet, &mut tampon, aval) {
                let lus = if octet == b'~' { i + 1 } else { i };
                return self.arret(lus, &mut tampon, aval);
            }
        }
        let suite = tampon.vider(aval);
        self.fini = !suite;
        Avance { lus: entree.len(), fini: !suite }
    }

    fn arret(&mut self, lus: usize, tampon: &mut Tampon, aval: &mut Aval) -> Avance {
        self.fini = true;
        self.fin(tampon, aval);
        Avance { lus, fini: true }
    }

    /// One character; false at the end of the data (`~`, a stray byte when strict, the budget).
    fn caractere(&mut self, octet: u8, tampon: &mut Tampon, aval: &mut Aval) -> bool {
        match octet {
            b'z' if self.compte == 0 => tampon.mettre(&[0; 4], aval),
            b'!'..=b'u' => {
                self.valeur = self.valeur.wrapping_mul(85).wrapping_add(u32::from(octet - b'!'));
                self.compte += 1;
                if self.compte < 5 {
                    return true;
                }
                let octets = self.valeur.to_be_bytes();
                (self.valeur, self.compte) = (0, 0);
                tampon.mettre(&octets, aval)
            }
            b'~' => false,
            _ => !self.strict,
        }
    }

    /// A last group of n characters is n - 1 bytes, padded with `u` (7.4.3).
    fn fin(&mut self, tampon: &mut Tampon, aval: &mut Aval) {
        if self.prefixe == 1 {
            self.prefixe = 2;
            self.caractere(b'<', tampon, aval);
        }
        if self.compte >= 2 {
            let mut valeur = self.valeur;
            for _ in self.compte..5 {
                valeur = valeur.wrapping_mul(85).wrapping_add(84);
            }
            tampon.mettre(&valeur.to_be_bytes()[..usize::from(self.compte) - 1], aval);
        }
        (self.valeur, self.compte) = (0, 0);
        tampon.vider(aval);
    }

    fn finir(&mut self, aval: &mut Aval) {
        if !self.fini {
            self.fini = true;
            self.fin(&mut Tampon::new(), aval);
        }
    }
}

/// One entry of the LZW table: the entry it extends, its last and first bytes, its length.
#[derive(Debug, Clone, Copy, Default)]
struct Entree {
    prefixe: u16,
    dernier: u8,
    premier: u8,
    longueur: u16,
}

/// Entries of the LZW table: codes of at most 12 bits.
const LZW_ENTREES: usize = 4096;
/// The code that empties the table, and the one that ends the data.
const LZW_VIDER: usize = 256;
const LZW_FIN: usize = 257;

/// `/LZWDecode`: codes of 9 to 12 bits, most significant bit first, 256 to empty the table, 257
/// to end the data; with `/EarlyChange` 1 (the default) codes widen one entry early. Bytes are
/// taken one at a time as codes need them, so that the end of the data is found exactly (a
/// decoder that reads ahead would hide the bytes after it from the objects).
struct Lzw {
    table: Box<[Entree; LZW_ENTREES]>,
    suivant: usize,
    largeur: u32,
    precedent: Option<usize>,
    /// Bits read and not yet used (fewer than a code plus a byte).
    bits: u32,
    nombre: u32,
    precoce: usize,
    fini: bool,
}

impl Lzw {
    fn nouveau(parametres: &Parametres) -> Self {
        let mut table = Box::new([Entree::default(); LZW_ENTREES]);
        for (k, entree) in table.iter_mut().enumerate().take(256) {
            *entree = Entree { prefixe: 0, dernier: k as u8, premier: k as u8, longueur: 1 };
        }
        Lzw {
            table,
            suivant: 258,
            largeur: 9,
            precedent: None,
            bits: 0,
            nombre: 0,
            precoce: usize::from(parametres.changement_precoce != Some(0)),
            fini: false,
        }
    }

    fn pousser(&mut self, entree: &[u8], aval: &mut Aval) -> Avance {
        if self.fini {
            return FINI;
        }
        let mut tampon = Tampon::new();
        let mut lus = 0;
        loop {
            while self.nombre < self.largeur {
                let Some(&octet) = entree.get(lus) else {
                    let suite = tampon.vider(aval);
                    self.fini = !suite;
                    return Avance { lus, fini: !suite };
                };
                self.bits = (self.bits << 8) | u32::from(octet);
                self.nombre += 8;
                lus += 1;
            }
            self.nombre -= self.largeur;
            let code = (self.bits >> self.nombre) as usize & ((1 << self.largeur) - 1);
            self.bits &= (1 << self.nombre) - 1;
            if !self.code(code, &mut tampon, aval) {
                self.fini = true;
                tampon.vider(aval);
                return Avance { lus, fini: true };
            }
        }
    }

    /// One code; false at the end of the data (its code, an impossible code, the budget).
    fn code(&mut self, code: usize, tampon: &mut Tampon, aval: &mut Aval) -> bool {
        match code {
            LZW_VIDER => {
                (self.suivant, self.largeur, self.precedent) = (258, 9, None);
                return true;
            }
            LZW_FIN => return false,
            _ => {}
        }
        let connu = code < self.suivant && code != LZW_VIDER && code != LZW_FIN;
        let premier = match (connu, self.precedent) {
            (true, _) => self.table[code].premier,
            // The entry being made (KwKwK): the previous string and its own first byte.
            (false, Some(precedent)) if code == self.suivant && code < LZW_ENTREES => self.table[precedent].premier,
            _ => return false,
        };
        if let Some(precedent) = self.precedent {
            if self.suivant < LZW_ENTREES {
                let avant = self.table[precedent];
                self.table[self.suivant] = Entree {
                    prefixe: precedent as u16,
                    dernier: premier,
                    premier: avant.premier,
                    longueur: avant.longueur + 1,
                };
                self.suivant += 1;
                if self.suivant + self.precoce >= 1 << self.largeur && self.largeur < 12 {
                    self.largeur += 1;
                }
            }
        }
        self.precedent = Some(code);
        // The string, written from its last byte back along the prefixes.
        let Some(chaine) = tampon.reserver(usize::from(self.table[code].longueur), aval) else { return false };
        let mut k = code;
        for place in chaine.iter_mut().rev() {
            *place = self.table[k].dernier;
            k = usize::from(self.table[k].prefixe);
        }
        true
    }
}

/// Where a RunLength decoder stands.
#[derive(Debug, Clone, Copy, Default)]
enum Course {
    #[default]
    Longueur,
    /// Bytes still to copy.
    Copie(usize),
    /// The next byte, this many times.
    Repete(usize),
}

/// `/RunLengthDecode`: a length byte, then that many plus one bytes (0 to 127), or one byte
/// repeated 257 minus that many times (129 to 255); 128 ends the data.
#[derive(Default)]
struct RunLength {
    course: Course,
    fini: bool,
}

impl RunLength {
    fn pousser(&mut self, entree: &[u8], aval: &mut Aval) -> Avance {
        if self.fini {
            return FINI;
        }
        let mut tampon = Tampon::new();
        let mut i = 0;
        while i < entree.len() {
            let suite = match self.course {
                Course::Longueur => {
                    let longueur = usize::from(entree[i]);
                    i += 1;
                    self.course = match longueur {
                        0..=127 => Course::Copie(longueur + 1),
                        128 => {
                            self.fini = true;
                            tampon.vider(aval);
                            return Avance { lus: i, fini: true };
                        }
                        _ => Course::Repete(257 - longueur),
                    };
                    true
                }
                Course::Copie(reste) => {
                    let n = reste.min(entree.len() - i);
                    let suite = tampon.mettre(&entree[i..i + n], aval);
                    i += n;
                    self.course = if n == reste { Course::Longueur } else { Course::Copie(reste - n) };
                    suite
                }
                Course::Repete(fois) => {
                    let octet = entree[i];
                    i += 1;
                    self.course = Course::Longueur;
                    tampon.mettre(&[octet; 128][..fois], aval)
                }
            };
            if !suite {
                self.fini = true;
                return Avance { lus: i, fini: true };
            }
        }
        let suite = tampon.vider(aval);
        self.fini = !suite;
        Avance { lus: entree.len(), fini: !suite }
    }
}

/// A predictor after Flate or LZW (7.4.4.4): TIFF's (2) or PNG's (10 to 15, a filter byte per
/// row). Rows are decoded as they complete; a last partial row as far as it goes.
struct Predicteur {
    png: bool,
    bits: usize,
    couleurs: usize,
    /// Bytes of a row, the PNG filter byte excluded.
    ligne: usize,
    /// Bytes of a pixel, at least one.
    pixel: usize,
    /// The PNG filter byte of the current row, once read.
    filtre: Option<u8>,
    courante: Vec<u8>,
    precedente: Vec<u8>,
}

impl Predicteur {
    /// The predictor the parameters ask for, if any. Predictor numbers readers do not know are
    /// taken as none (the output is searched as it is); sizes they cannot be are refused.
    fn nouveau(parametres: &Parametres) -> Result<Option<Predicteur>, &'static str> {
        let png = match parametres.predicteur.unwrap_or(1) {
            2 => false,
            10..=15 => true,
            _ => return Ok(None),
        };
        let couleurs = parametres.couleurs.unwrap_or(1);
        let bits = parametres.bits.unwrap_or(8);
        let colonnes = parametres.colonnes.unwrap_or(1);
        if !(1..=256).contains(&couleurs)
            || ![1, 2, 4, 8, 16].contains(&bits)
            || !(1..=i64::from(u32::MAX)).contains(&colonnes)
        {
            return Err(PREDICTEUR_INVALIDE);
        }
        let (couleurs, bits, colonnes) = (couleurs as u64, bits as u64, colonnes as u64);
        let ligne = (couleurs * bits * colonnes).div_ceil(8);
        if ligne > LIGNE_MAX {
            return Err(PREDICTEUR_INVALIDE);
        }
        Ok(Some(Predicteur {
            png,
            bits: bits as usize,
            couleurs: couleurs as usize,
            ligne: ligne as usize,
            pixel: (couleurs * bits).div_ceil(8).max(1) as usize,
            filtre: None,
            courante: Vec::new(),
            precedente: Vec::new(),
        }))
    }

    fn pousser(&mut self, mut entree: &[u8], aval: &mut Aval) -> Avance {
        let lus = entree.len();
        while !entree.is_empty() {
            if self.png && self.filtre.is_none() {
                self.filtre = Some(entree[0]);
                entree = &entree[1..];
                continue;
            }
            let n = (self.ligne - self.courante.len()).min(entree.len());
            if self.courante.capacity() < self.ligne {
                self.courante.reserve_exact(self.ligne - self.courante.len());
            }
            self.courante.extend_from_slice(&entree[..n]);
            entree = &entree[n..];
            if self.courante.len() == self.ligne && !self.ligne_complete(aval) {
                return FINI;
            }
        }
        Avance { lus, fini: false }
    }

    fn ligne_complete(&mut self, aval: &mut Aval) -> bool {
        if self.precedente.len() != self.ligne {
            self.precedente.resize(self.ligne, 0);
        }
        self.decoder();
        let suite = aval.emettre(&self.courante, false);
        std::mem::swap(&mut self.courante, &mut self.precedente);
        self.courante.clear();
        self.filtre = None;
        suite
    }

    fn finir(&mut self, aval: &mut Aval) {
        if !self.courante.is_empty() {
            self.precedente.resize(self.ligne, 0);
            self.decoder();
            aval.emettre(&self.courante, false);
            self.courante.clear();
        }
    }

    /// Undoes the prediction of `courante` (complete or not) from `precedente`.
    fn decoder(&mut self) {
        let (ligne, haut, p) = (&mut self.courante, &self.precedente, self.pixel);
        if self.png {
            match self.filtre.unwrap_or(0) {
                1 => (p..ligne.len()).for_each(|i| ligne[i] = ligne[i].wrapping_add(ligne[i - p])),
                2 => ligne.iter_mut().zip(haut).for_each(|(o, h)| *o = o.wrapping_add(*h)),
                3 => {
                    for i in 0..ligne.len() {
                        let gauche = if i >= p { u16::from(ligne[i - p]) } else { 0 };
                        ligne[i] = ligne[i].wrapping_add(((gauche + u16::from(haut[i])) / 2) as u8);
                    }
                }
                4 => {
                    for i in 0..ligne.len() {
                        let (a, c) = if i >= p { (ligne[i - p], haut[i - p]) } else { (0, 0) };
                        ligne[i] = ligne[i].wrapping_add(paeth(a, haut[i], c));
                    }
                }
                // 0, and types readers do not know: as they are.
                _ => {}
            }
            return;
        }
        match self.bits {
            8 => (self.couleurs..ligne.len()).for_each(|i| ligne[i] = ligne[i].wrapping_add(ligne[i - self.couleurs])),
            16 => {
                let pas = 2 * self.couleurs;
                let mut i = pas;
                while i + 1 < ligne.len() {
                    let v = u16::from_be_bytes([ligne[i], ligne[i + 1]])
                        .wrapping_add(u16::from_be_bytes([ligne[i - pas], ligne[i + 1 - pas]]));
                    ligne[i..i + 2].copy_from_slice(&v.to_be_bytes());
                    i += 2;
                }
            }
            bits => {
                let masque = (1u8 << bits) - 1;
                let echantillons = ligne.len() * 8 / bits;
                let lire = |ligne: &[u8], k: usize| (ligne[k * bits / 8] >> (8 - bits - (k * bits) % 8)) & masque;
                for k in self.couleurs..echantillons {
                    let v = lire(ligne, k).wrapping_add(lire(ligne, k - self.couleurs)) & masque;
                    let decalage = 8 - bits - (k * bits) % 8;
                    let octet = &mut ligne[k * bits / 8];
                    *octet = (*octet & !(masque << decalage)) | (v << decalage);
                }
            }
        }
    }
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = ((p - i16::from(a)).abs(), (p - i16::from(b)).abs(), (p - i16::from(c)).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// A guess of what a stream's data is, from its first [`DEVINE`] bytes: then the decoder guessed,
/// whose output is guessed again ([`DEVINETTES`] in all), or the data as it is.
struct Devine {
    tampon: [u8; DEVINE],
    long: usize,
    decide: bool,
    /// The decoder guessed and what follows it; empty for the data as it is.
    interne: Vec<Etage>,
    /// Whether data taken as it is goes on to the search (not an image's).
    vers_sortie: bool,
    profondeur: u8,
    /// For a guessed Flate or LZW: the predictor the dictionary names.
    parametres: Option<Parametres>,
    /// For a guess of a decoder's output: the data as it is is searched too, by a search of its
    /// own (decimal text can pass for hexadecimal: an object stream's offsets).
    miroir: Option<Box<Recherche>>,
    /// The text decoders guessed stop at the first byte not theirs.
    strict: bool,
    /// zlib and LZW are told from their first two bytes, without waiting for [`DEVINE`] (for
    /// data beside the objects, whose end matters to nothing).
    tot: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Devinette {
    Flate,
    Lzw,
    Hexa,
    Ascii85,
    Telle,
}

impl Devine {
    fn nouveau(profondeur: u8, parametres: Option<Parametres>, vers_sortie: bool) -> Etage {
        Etage::Devine(Box::new(Devine {
            tampon: [0; DEVINE],
            long: 0,
            decide: false,
            interne: Vec::new(),
            vers_sortie,
            profondeur,
            parametres,
            miroir: None,
            strict: false,
            tot: false,
        }))
    }

    /// The guess, once [`DEVINE`] bytes are in or the data ended (`fin`): always on that many
    /// bytes, so that where the stream ends does not depend on how the file was cut.
    fn deviner(&self, fin: bool) -> Option<(Devinette, usize)> {
        let vus = &self.tampon[..self.long];
        if !fin && self.long < DEVINE {
            let mut debut = vus.iter().enumerate().filter(|(_, o)| !blanc(**o));
            return match (self.tot, debut.next(), debut.next()) {
                (true, Some((k, &a)), Some((_, &b))) if entete_zlib([a, b]) => Some((Devinette::Flate, k)),
                (true, Some((k, &0x80)), Some((_, &b))) if b < 0x80 => Some((Devinette::Lzw, k)),
                _ => None,
            };
        }
        let Some(debut) = vus.iter().position(|o| !blanc(*o)) else { return Some((Devinette::Telle, 0)) };
        let texte = &vus[debut..];
        if let [a, b, ..] = *texte {
            if entete_zlib([a, b]) {
                return Some((Devinette::Flate, debut));
            }
            // LZW's clear code first: 256 in nine bits.
            if a == 0x80 && b < 0x80 {
                return Some((Devinette::Lzw, debut));
            }
        }
        let devinette = if plausible_hexa(texte) {
            Devinette::Hexa
        } else if plausible_a85(texte) {
            Devinette::Ascii85
        } else {
            Devinette::Telle
        };
        Some((devinette, 0))
    }

    fn construire(&mut self, devinette: Devinette, contexte: &Contexte) {
        self.decide = true;
        if devinette != Devinette::Telle && self.vers_sortie && self.profondeur < DEVINETTES {
            let mut miroir = Box::new(Recherche::new());
            miroir.lire(&self.tampon[..self.long]);
            self.miroir = Some(miroir);
        }
        let parametres = self.parametres.unwrap_or_default();
        let etage = match devinette {
            Devinette::Flate => Etage::Flate(contexte.gonfleur()),
            Devinette::Lzw => Etage::Lzw(Box::new(Lzw::nouveau(&parametres))),
            Devinette::Hexa => Etage::Hexa(Hexa { strict: self.strict, ..Hexa::default() }),
            Devinette::Ascii85 => Etage::Ascii85(Ascii85 { strict: self.strict, ..Ascii85::default() }),
            Devinette::Telle => return,
        };
        self.interne.push(etage);
        if matches!(devinette, Devinette::Flate | Devinette::Lzw) {
            // A predictor that cannot be is left out: the guess is only a guess.
            if let Ok(Some(predicteur)) = Predicteur::nouveau(&parametres) {
                self.interne.push(Etage::Predicteur(Box::new(predicteur)));
            }
        }
        if self.profondeur > 1 {
            self.interne.push(Devine::nouveau(self.profondeur - 1, None, true));
        }
    }

    /// The mirror reads all the data, whatever the decoder guessed makes of it.
    fn copier_et_transmettre(&mut self, entree: &[u8], aval: &mut Aval) -> Avance {
        if let Some(miroir) = &mut self.miroir {
            miroir.lire(entree);
        }
        self.decoder(entree, aval)
    }

    fn decoder(&mut self, entree: &[u8], aval: &mut Aval) -> Avance {
        if self.interne.is_empty() {
            if self.vers_sortie {
                aval.emettre(entree, false);
            }
            return Avance { lus: entree.len(), fini: false };
        }
        let Aval { etages, sortie, contexte } = aval;
        let contexte: &Contexte = contexte;
        let mut suite = |donnees: &[u8]| {
            envoyer(etages, donnees, &mut **sortie, contexte);
        };
        envoyer(&mut self.interne, entree, &mut suite, contexte)
    }

    fn pousser(&mut self, entree: &[u8], aval: &mut Aval) -> Avance {
        if self.decide {
            return self.copier_et_transmettre(entree, aval);
        }
        let pris = (DEVINE - self.long).min(entree.len());
        self.tampon[self.long..self.long + pris].copy_from_slice(&entree[..pris]);
        self.long += pris;
        let Some((devinette, debut)) = self.deviner(false) else {
            return Avance { lus: pris, fini: false };
        };
        self.construire(devinette, aval.contexte);
        let ancien = self.long - pris;
        let tampon = self.tampon;
        let avance = self.decoder(&tampon[debut..self.long], aval);
        if avance.fini {
            // The data as it is still goes to the mirror.
            if let Some(miroir) = &mut self.miroir {
                miroir.lire(&entree[pris..]);
            }
            // Bytes of earlier calls were taken already: only this call's count.
            return Avance { lus: (debut + avance.lus).saturating_sub(ancien).min(pris), fini: true };
        }
        let reste = self.copier_et_transmettre(&entree[pris..], aval);
        Avance { lus: pris + reste.lus, fini: reste.fini }
    }

    fn finir(&mut self, aval: &mut Aval) {
        if !self.decide {
            let (devinette, debut) = self.deviner(true).unwrap_or((Devinette::Telle, 0));
            self.construire(devinette, aval.contexte);
            let tampon = self.tampon;
            self.decoder(&tampon[debut..self.long], aval);
        }
        if !self.interne.is_empty() {
            let Aval { etages, sortie, contexte } = aval;
            let contexte: &Contexte = contexte;
            let mut suite = |donnees: &[u8]| {
                envoyer(etages, donnees, &mut **sortie, contexte);
            };
            finir(&mut self.interne, &mut suite, contexte);
        }
        if let Some(miroir) = &mut self.miroir {
            let contexte = aval.contexte;
            contexte.trouves.set(contexte.trouves.get() | miroir.finir());
        }
    }
}

/// ASCIIHex text: hexadecimal digits and white space up to `>`, at least two digits.
fn plausible_hexa(texte: &[u8]) -> bool {
    let corps = texte.split(|o| *o == b'>').next().unwrap_or_default();
    corps.iter().all(|o| o.is_ascii_hexdigit() || blanc(*o))
        && corps.iter().filter(|o| o.is_ascii_hexdigit()).count() >= 2
}

/// ASCII85 text: `<~` first, or characters `!` to `u` and `z` up to `~`, at least five, with few
/// blanks (text has a space every few words).
fn plausible_a85(texte: &[u8]) -> bool {
    if texte.starts_with(b"<~") {
        return true;
    }
    let corps = texte.split(|o| *o == b'~').next().unwrap_or_default();
    let bon = corps.iter().all(|o| matches!(o, b'!'..=b'u' | b'z') || blanc(*o));
    let blancs = corps.iter().filter(|o| blanc(**o)).count();
    bon && blancs <= BLANCS_A85 && corps.len() - blancs >= 5
}

#[cfg(test)]
mod tests {
    use super::super::objets::LecteurObjets;
    use super::*;

    /// The decoded output of `donnees` under the dictionary `dictionnaire` (as written before
    /// `stream`), fed in chunks of `morceau` bytes.
    fn decoder(dictionnaire: &[u8], donnees: &[u8], morceau: usize) -> Vec<u8> {
        let mut lecteur = LecteurObjets::new();
        lecteur.lire(dictionnaire);
        lecteur.lire(b" stream\n");
        let declaration = lecteur.prendre();
        let contexte = Contexte::new(u64::MAX);
        let mut chaine = Chaine::construire(declaration.as_ref(), &contexte).unwrap();
        let mut sortie = Vec::new();
        let mut recevoir = |d: &[u8]| sortie.extend_from_slice(d);
        for bout in donnees.chunks(morceau.max(1)) {
            if chaine.pousser(bout, &mut recevoir, &contexte).fini {
                break;
            }
        }
        chaine.finir(&mut recevoir, &contexte);
        sortie
    }

    fn partout(dictionnaire: &[u8], donnees: &[u8], attendu: &[u8]) {
        for morceau in [1, 2, 3, 7, 64, 1000, donnees.len()] {
            assert_eq!(
                decoder(dictionnaire, donnees, morceau),
                attendu,
                "{} par {morceau}",
                String::from_utf8_lossy(dictionnaire)
            );
        }
    }

    #[test]
    fn hexa_et_ascii85() {
        partout(b"<< /Filter /AHx >>", b"4a 61\n7 >", b"Jap");
        partout(b"<< /Filter /AHx >>", b"4a6x1>", b"Ja");
        partout(b"<< /Filter /A85 >>", b"87cURD]i,\"Ebo80~>", b"Hello World!");
        partout(b"<< /Filter /A85 >>", b"<~z87cURD]i,\"E\nbo80~>", b"\0\0\0\0Hello World!");
        partout(b"<< /Filter /A85 >>", b"87cURD]i,\"Ebo8~>", b"Hello World");
    }

    #[test]
    fn lzw_jusqu_a_douze_bits_et_fin_exacte() {
        // Text varied enough to fill the table, which the encoder empties and starts again.
        let mut alea = 7u64;
        let texte: Vec<u8> = (0..60_000)
            .map(|_| {
                alea ^= alea << 13;
                alea ^= alea >> 7;
                alea ^= alea << 17;
                b"abcdefgh /JavaScript ()<>"[(alea % 25) as usize]
            })
            .collect();
        for (precoce, dictionnaire) in
            [(true, &b"<< /Filter /LZW >>"[..]), (false, b"<< /Filter /LZW /DecodeParms << /EarlyChange 0 >> >>")]
        {
            let encodeur = || {
                if precoce {
                    weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8)
                } else {
                    weezl::encode::Encoder::new(weezl::BitOrder::Msb, 8)
                }
            };
            let code = encodeur().encode(&texte).unwrap();
            partout(dictionnaire, &code, &texte);
            // KwKwK: a string followed by itself plus its first byte.
            let court = encodeur().encode(b"aaaaaaa").unwrap();
            partout(dictionnaire, &court, b"aaaaaaa");
        }
        // The data ends at its end code, to the byte, whatever follows.
        let code =
            weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8).encode(b"bonjour bonjour").unwrap();
        let mut suivi = code.clone();
        suivi.extend_from_slice(b"\r\nendstream\nendobj\n");
        let contexte = Contexte::new(u64::MAX);
        for morceau in [1, 5, suivi.len()] {
            let mut lzw =
                Chaine { etages: vec![Etage::Lzw(Box::new(Lzw::nouveau(&Parametres::default())))], fini: false };
            let mut lus = 0;
            for bout in suivi.chunks(morceau) {
                let avance = lzw.pousser(bout, &mut |_| {}, &contexte);
                lus += avance.lus;
                if avance.fini {
                    break;
                }
            }
            assert_eq!(lus, code.len(), "par {morceau}");
        }
    }

    #[test]
    fn runlength() {
        partout(b"<< /Filter /RunLengthDecode >>", b"\x02abc\xFDx\x80ignored", b"abcxxxx");
    }

    #[test]
    fn predicteurs() {
        // PNG Up over rows of 3 bytes: "abc", then "abd" as differences.
        let donnees = [2, b'a', b'b', b'c', 2, 0, 0, 1];
        let compresse = {
            use std::io::Write;
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(&donnees).unwrap();
            e.finish().unwrap()
        };
        partout(b"<< /Filter /Fl /DecodeParms << /Predictor 12 /Columns 3 >> >>", &compresse, b"abcabd");
        // Sub, Average and Paeth by their definition.
        let mut p = Predicteur::nouveau(&Parametres { predicteur: Some(15), colonnes: Some(2), ..Default::default() })
            .unwrap()
            .unwrap();
        p.precedente = vec![10, 20];
        for (filtre, ligne, attendu) in [(1, [5, 3], [5, 8]), (3, [5, 3], [10, 18]), (4, [5, 3], [15, 23])] {
            p.filtre = Some(filtre);
            p.courante = ligne.to_vec();
            p.decoder();
            assert_eq!(p.courante, attendu, "filtre {filtre}");
        }
        // TIFF at 8, 16 and 4 bits.
        let mut t = Predicteur::nouveau(&Parametres { predicteur: Some(2), colonnes: Some(3), ..Default::default() })
            .unwrap()
            .unwrap();
        t.courante = vec![1, 1, 1];
        t.decoder();
        assert_eq!(t.courante, [1, 2, 3]);
        let mut t = Predicteur::nouveau(&Parametres {
            predicteur: Some(2),
            colonnes: Some(2),
            bits: Some(16),
            ..Default::default()
        })
        .unwrap()
        .unwrap();
        t.courante = vec![0x01, 0xFF, 0x00, 0x01];
        t.decoder();
        assert_eq!(t.courante, [0x01, 0xFF, 0x02, 0x00]);
        let mut t = Predicteur::nouveau(&Parametres {
            predicteur: Some(2),
            colonnes: Some(4),
            bits: Some(4),
            ..Default::default()
        })
        .unwrap()
        .unwrap();
        t.courante = vec![0x11, 0x1F];
        t.decoder();
        assert_eq!(t.courante, [0x12, 0x32]);
    }

    #[test]
    fn predicteurs_hors_limites() {
        for p in [
            Parametres { predicteur: Some(12), colonnes: Some(1 << 30), ..Default::default() },
            Parametres { predicteur: Some(12), bits: Some(3), ..Default::default() },
            Parametres { predicteur: Some(2), couleurs: Some(0), ..Default::default() },
            Parametres { predicteur: Some(2), colonnes: Some(-1), ..Default::default() },
        ] {
            assert_eq!(Predicteur::nouveau(&p).err(), Some(PREDICTEUR_INVALIDE), "{p:?}");
        }
        assert!(Predicteur::nouveau(&Parametres { predicteur: Some(7), ..Default::default() }).unwrap().is_none());
    }

    #[test]
    fn devinettes() {
        let mut d = Devine {
            tampon: [0; DEVINE],
            long: 0,
            decide: false,
            interne: vec![],
            vers_sortie: true,
            profondeur: 1,
            parametres: None,
            miroir: None,
            strict: false,
            tot: false,
        };
        let mut essai = |texte: &[u8], fin| {
            d.long = texte.len().min(DEVINE);
            d.tampon[..d.long].copy_from_slice(&texte[..d.long]);
            d.deviner(fin).map(|(devinette, _)| devinette)
        };
        // Always on the same bytes: not before 64 unless the data ended.
        assert_eq!(essai(b"\r\nx\x9c", false), None);
        assert_eq!(essai(b"\r\nx\x9c", true), Some(Devinette::Flate));
        assert_eq!(essai(&b"\x80\x0B".repeat(32), false), Some(Devinette::Lzw));
        assert_eq!(essai(b"4A6176>", true), Some(Devinette::Hexa));
        assert_eq!(essai(b"4A 61 76>", true), Some(Devinette::Hexa));
        assert_eq!(essai(b"87cURD]i,\"Ebo80~>", true), Some(Devinette::Ascii85));
        assert_eq!(essai(b"q 1 0 0 1 72 720 cm BT /F1 12 Tf (Bonjour) Tj ET Q", true), Some(Devinette::Telle));
        assert_eq!(essai(b"<?xml version", true), Some(Devinette::Telle));
        assert_eq!(essai(b"\xFF\xD8\xFF\xE0", true), Some(Devinette::Telle));
        assert_eq!(essai(b"", true), Some(Devinette::Telle));
    }
}
