//! The dictionary of each PDF stream, read as the objects stream by: which filters decode its
//! data (`/Filter`), with which parameters (`/DecodeParms`).
//!
//! The reader follows PDF syntax where the raw name scan does not (ISO 32000-2, 7.2 and 7.3):
//! strings, hexadecimal strings and comments are told apart, so that `(>> /Filter /DCTDecode <<)`
//! in a string is text. It keeps only what a stream needs: the top-level dictionary being read,
//! its filters and parameters, and a stack of at most [`PILE_MAX`] containers (deeper ones are
//! counted, not read). It starts afresh at each `obj`, `endobj` and `endstream` keyword, and after
//! each stream's data ([`LecteurObjets::reinitialiser`]).
//!
//! What it cannot know is what a reader reaching objects through the cross-reference table skips:
//! bytes between objects may leave it inside a string when a stream starts. The stream is then
//! declared unknown ([`LecteurObjets::prendre`] gives `None`) and its data is guessed from what it
//! looks like (`filtres::Chaine::construire`).

use super::{Nom, BLANC, CLASSES, DELIMITEUR};

/// Most filters in one chain: legitimate files use one or two.
pub(super) const FILTRES_MAX: usize = 8;
/// Containers followed; deeper ones are counted, not read.
const PILE_MAX: usize = 8;
/// Longest keyword or number kept (`endstream` has nine bytes, a long real number more).
const MOT_MAX: usize = 24;

/// A filter of ISO 32000-2, 7.4, by its name or its abbreviation (7.4 and 8.9.7, which some
/// readers accept in stream dictionaries too).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) enum Filtre {
    Flate,
    AsciiHex,
    Ascii85,
    Lzw,
    RunLength,
    /// `/Crypt`: identity unless its parameters name another crypt filter.
    Crypt,
    /// `/DCTDecode`, `/JPXDecode`, `/CCITTFaxDecode`, `/JBIG2Decode`: image data, whose decoded
    /// form is pixels and is not searched.
    Image,
    /// A name no reader decodes: the chain stops there.
    #[default]
    Inconnu,
}

impl Filtre {
    fn de(nom: &[u8]) -> Filtre {
        match nom {
            b"FlateDecode" | b"Fl" => Filtre::Flate,
            b"ASCIIHexDecode" | b"AHx" => Filtre::AsciiHex,
            b"ASCII85Decode" | b"A85" => Filtre::Ascii85,
            b"LZWDecode" | b"LZW" => Filtre::Lzw,
            b"RunLengthDecode" | b"RL" => Filtre::RunLength,
            b"Crypt" => Filtre::Crypt,
            b"DCTDecode" | b"DCT" | b"JPXDecode" | b"CCITTFaxDecode" | b"CCF" | b"JBIG2Decode" => Filtre::Image,
            _ => Filtre::Inconnu,
        }
    }
}

/// The parameters of one filter, as written (numbers truncated to integers).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Parametres {
    pub predicteur: Option<i64>,
    pub couleurs: Option<i64>,
    pub bits: Option<i64>,
    pub colonnes: Option<i64>,
    pub changement_precoce: Option<i64>,
    /// `/Name` of a `/Crypt` filter: `Some(true)` for `/Identity`.
    pub crypt_identite: Option<bool>,
}

/// An entry of the dictionary, as far as it can be known without reading other objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Champ<T> {
    Absent,
    Connu(T),
    /// An indirect reference, a value of the wrong type, or the key written twice.
    Inconnu,
}

/// Up to [`FILTRES_MAX`] items, and whether there were more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Liste<T: Copy + Default> {
    items: [T; FILTRES_MAX],
    long: usize,
    pub trop: bool,
    /// Written as an array (`[/FlateDecode]`), not as the one name or dictionary.
    pub tableau: bool,
}

impl<T: Copy + Default> Default for Liste<T> {
    fn default() -> Self {
        Liste { items: [T::default(); FILTRES_MAX], long: 0, trop: false, tableau: false }
    }
}

impl<T: Copy + Default> Liste<T> {
    pub fn items(&self) -> &[T] {
        &self.items[..self.long]
    }

    fn pousser(&mut self, item: T) {
        if self.long < FILTRES_MAX {
            self.items[self.long] = item;
            self.long += 1;
        } else {
            self.trop = true;
        }
    }

    fn dernier(&mut self) -> Option<&mut T> {
        self.long.checked_sub(1).map(|k| &mut self.items[k])
    }
}

/// What a stream's dictionary says of its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Declaration {
    pub filtres: Champ<Liste<Filtre>>,
    pub parametres: Champ<Liste<Parametres>>,
}

impl Default for Declaration {
    fn default() -> Self {
        Declaration { filtres: Champ::Absent, parametres: Champ::Absent }
    }
}

/// A token of PDF syntax, as far as the dictionaries need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Jeton<'a> {
    OuvreDico,
    FermeDico,
    OuvreTableau,
    FermeTableau,
    Nom(&'a [u8]),
    /// A number or a keyword.
    Mot(&'a [u8]),
    /// A literal or hexadecimal string (its content does not matter here).
    Chaine,
}

/// Where the lexer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lexique {
    Entre,
    Nom,
    Mot,
    /// In a literal string: nesting of parentheses, and whether the last byte was a backslash.
    Chaine {
        profondeur: u32,
        echappe: bool,
    },
    /// In a hexadecimal string.
    Hexa,
    Commentaire,
    /// After a `<`: a dictionary or a hexadecimal string.
    Chevron,
    /// After a `>`: the end of a dictionary, or a stray byte.
    Fermant,
}

/// What a container is, for the entries followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The top-level dictionary (a stream's, if `stream` follows it).
    Racine,
    /// The array of `/Filter`.
    Filtres,
    /// The array of `/DecodeParms`.
    TableauParametres,
    /// One dictionary of parameters.
    Parametres,
    /// Anything else.
    Autre,
}

/// The key whose value is awaited in a dictionary, as far as it matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cle {
    Filtre,
    /// `/F`: filters when a name or an array (inline-image abbreviation some readers take in a
    /// stream dictionary too), else the file specification of an external stream.
    FiltreAbrege,
    Parametres,
    /// `/DP`: parameters when a dictionary or an array.
    ParametresAbreges,
    Predicteur,
    Couleurs,
    Bits,
    Colonnes,
    ChangementPrecoce,
    NomCrypt,
    Autre,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attente {
    /// A key (or the end of the dictionary).
    Cle,
    /// The value of this key.
    Valeur(Cle),
}

#[derive(Debug, Clone, Copy)]
struct Conteneur {
    dictionnaire: bool,
    role: Role,
    attente: Attente,
    /// The key whose value was read last (a number may turn out to start a reference).
    derniere: Cle,
}

/// Reads objects and gives the declaration of the dictionary a `stream` keyword follows.
pub(super) struct LecteurObjets {
    lexique: Lexique,
    nom: Nom,
    mot: [u8; MOT_MAX],
    mot_long: usize,
    pile: [Conteneur; PILE_MAX],
    /// Depth, possibly beyond [`PILE_MAX`].
    profondeur: usize,
    declaration: Declaration,
    /// The last token closed a top-level dictionary.
    ferme: bool,
    /// The declaration of the dictionary the keyword `stream` just followed.
    pret: Option<Declaration>,
}

impl LecteurObjets {
    pub fn new() -> Self {
        let vide = Conteneur { dictionnaire: false, role: Role::Autre, attente: Attente::Cle, derniere: Cle::Autre };
        LecteurObjets {
            lexique: Lexique::Entre,
            nom: Nom::new(),
            mot: [0; MOT_MAX],
            mot_long: 0,
            pile: [vide; PILE_MAX],
            profondeur: 0,
            declaration: Declaration::default(),
            ferme: false,
            pret: None,
        }
    }

    /// Forgets everything: the next byte starts between objects.
    pub fn reinitialiser(&mut self) {
        self.lexique = Lexique::Entre;
        self.oublier();
    }

    fn oublier(&mut self) {
        self.profondeur = 0;
        self.declaration = Declaration::default();
        self.ferme = false;
        self.pret = None;
    }

    /// The declaration of the dictionary just before the `stream` keyword the last byte read
    /// ended, or `None` when that keyword did not directly follow a top-level dictionary (or was
    /// in a string, a comment).
    pub fn prendre(&mut self) -> Option<Declaration> {
        self.pret.take()
    }

    pub fn lire(&mut self, donnees: &[u8]) {
        for &octet in donnees {
            self.octet(octet);
        }
    }

    fn octet(&mut self, octet: u8) {
        let classe = CLASSES[usize::from(octet)];
        let separe = classe & (BLANC | DELIMITEUR) != 0;
        // A byte ending a token is then read between tokens: at most one more pass.
        loop {
            match self.lexique {
                Lexique::Nom if !separe => return self.nom.octet(octet),
                Lexique::Nom => {
                    self.lexique = Lexique::Entre;
                    if let Some(nom) = self.nom.clore() {
                        let mut copie = [0; super::NOM_MAX];
                        copie[..nom.len()].copy_from_slice(nom);
                        let long = nom.len();
                        self.jeton(Jeton::Nom(&copie[..long]));
                    } else {
                        // Too long to be any name of ours: still a name.
                        self.jeton(Jeton::Nom(b""));
                    }
                }
                Lexique::Mot if !separe => {
                    if self.mot_long < MOT_MAX {
                        self.mot[self.mot_long] = octet;
                    }
                    self.mot_long = self.mot_long.saturating_add(1);
                    return;
                }
                Lexique::Mot => {
                    self.lexique = Lexique::Entre;
                    let mot = self.mot;
                    let long = if self.mot_long <= MOT_MAX { self.mot_long } else { 0 };
                    self.jeton(Jeton::Mot(&mot[..long]));
                }
                Lexique::Chaine { profondeur, echappe } => {
                    self.lexique = match octet {
                        _ if echappe => Lexique::Chaine { profondeur, echappe: false },
                        b'\\' => Lexique::Chaine { profondeur, echappe: true },
                        b'(' => Lexique::Chaine { profondeur: profondeur.saturating_add(1), echappe: false },
                        b')' if profondeur <= 1 => {
                            self.lexique = Lexique::Entre;
                            self.jeton(Jeton::Chaine);
                            return;
                        }
                        b')' => Lexique::Chaine { profondeur: profondeur - 1, echappe: false },
                        _ => Lexique::Chaine { profondeur, echappe: false },
                    };
                    return;
                }
                Lexique::Hexa => {
                    if octet == b'>' {
                        self.lexique = Lexique::Entre;
                        self.jeton(Jeton::Chaine);
                    }
                    return;
                }
                Lexique::Commentaire => {
                    if matches!(octet, b'\r' | b'\n') {
                        self.lexique = Lexique::Entre;
                    }
                    return;
                }
                Lexique::Chevron => {
                    if octet == b'<' {
                        self.lexique = Lexique::Entre;
                        self.jeton(Jeton::OuvreDico);
                        return;
                    }
                    self.lexique = Lexique::Hexa;
                    if octet == b'>' {
                        self.lexique = Lexique::Entre;
                        self.jeton(Jeton::Chaine);
                    }
                    return;
                }
                Lexique::Fermant => {
                    self.lexique = Lexique::Entre;
                    if octet == b'>' {
                        self.jeton(Jeton::FermeDico);
                        return;
                    }
                    // A stray `>`: nothing, and this byte is read afresh.
                }
                Lexique::Entre => {
                    match octet {
                        b'/' => {
                            self.lexique = Lexique::Nom;
                            self.nom.ouvrir();
                        }
                        b'(' => self.lexique = Lexique::Chaine { profondeur: 1, echappe: false },
                        b'<' => self.lexique = Lexique::Chevron,
                        b'>' => self.lexique = Lexique::Fermant,
                        b'[' => self.jeton(Jeton::OuvreTableau),
                        b']' => self.jeton(Jeton::FermeTableau),
                        b'%' => self.lexique = Lexique::Commentaire,
                        // `{`, `}`, `)` alone, white space.
                        _ if separe => {}
                        _ => {
                            self.lexique = Lexique::Mot;
                            self.mot[0] = octet;
                            self.mot_long = 1;
                        }
                    }
                    return;
                }
            }
        }
    }

    fn jeton(&mut self, jeton: Jeton) {
        let flux = jeton == Jeton::Mot(b"stream");
        let pret = (flux && self.ferme && self.profondeur == 0).then_some(self.declaration);
        if flux {
            self.oublier();
        }
        self.pret = pret;
        if flux {
            return;
        }
        self.ferme = false;
        if matches!(jeton, Jeton::Mot(b"obj" | b"endobj" | b"endstream")) {
            self.oublier();
            return;
        }
        if self.profondeur == 0 {
            if jeton == Jeton::OuvreDico {
                self.declaration = Declaration::default();
                self.empiler(true, Role::Racine);
            } else if jeton == Jeton::OuvreTableau {
                self.empiler(false, Role::Autre);
            }
            return;
        }
        if self.profondeur > PILE_MAX {
            match jeton {
                Jeton::OuvreDico | Jeton::OuvreTableau => self.profondeur += 1,
                Jeton::FermeDico | Jeton::FermeTableau => self.profondeur -= 1,
                _ => {}
            }
            return;
        }
        let sommet = self.pile[self.profondeur - 1];
        match jeton {
            Jeton::FermeDico | Jeton::FermeTableau => {
                // A mismatched closing byte closes the container all the same, as readers recover.
                self.profondeur -= 1;
                if self.profondeur == 0 {
                    self.ferme = sommet.role == Role::Racine && jeton == Jeton::FermeDico;
                } else {
                    self.valeur_lue();
                }
            }
            _ if sommet.dictionnaire => self.dans_dictionnaire(sommet, jeton),
            _ => self.dans_tableau(sommet.role, jeton),
        }
    }

    fn empiler(&mut self, dictionnaire: bool, role: Role) {
        if self.profondeur < PILE_MAX {
            self.pile[self.profondeur] = Conteneur { dictionnaire, role, attente: Attente::Cle, derniere: Cle::Autre };
        }
        self.profondeur += 1;
    }

    /// A value is complete in the container on top (a scalar, or a container just closed).
    fn valeur_lue(&mut self) {
        if let Some(sommet) = self.profondeur.checked_sub(1).and_then(|k| self.pile.get_mut(k)) {
            if let Attente::Valeur(cle) = sommet.attente {
                sommet.derniere = cle;
            }
            sommet.attente = Attente::Cle;
        }
    }

    fn dans_dictionnaire(&mut self, sommet: Conteneur, jeton: Jeton) {
        let k = self.profondeur - 1;
        match sommet.attente {
            Attente::Cle => match jeton {
                Jeton::Nom(nom) => {
                    let cle = match (sommet.role, nom) {
                        (Role::Racine, b"Filter") => Cle::Filtre,
                        (Role::Racine, b"F") => Cle::FiltreAbrege,
                        (Role::Racine, b"DecodeParms") => Cle::Parametres,
                        (Role::Racine, b"DP") => Cle::ParametresAbreges,
                        (Role::Parametres, b"Predictor") => Cle::Predicteur,
                        (Role::Parametres, b"Colors") => Cle::Couleurs,
                        (Role::Parametres, b"BitsPerComponent") => Cle::Bits,
                        (Role::Parametres, b"Columns") => Cle::Colonnes,
                        (Role::Parametres, b"EarlyChange") => Cle::ChangementPrecoce,
                        (Role::Parametres, b"Name") => Cle::NomCrypt,
                        _ => Cle::Autre,
                    };
                    self.pile[k].attente = Attente::Valeur(cle);
                }
                // After a value, more than a key: the value was a reference (`5 0 R`) or worse.
                _ => {
                    self.valeur_douteuse(sommet.role, sommet.derniere);
                    if let Jeton::OuvreDico | Jeton::OuvreTableau = jeton {
                        self.empiler(jeton == Jeton::OuvreDico, Role::Autre);
                    }
                }
            },
            Attente::Valeur(cle) => {
                if sommet.role == Role::Racine {
                    self.valeur_racine(cle, jeton);
                } else if sommet.role == Role::Parametres {
                    self.valeur_parametre(cle, jeton);
                } else if let Jeton::OuvreDico | Jeton::OuvreTableau = jeton {
                    self.empiler(jeton == Jeton::OuvreDico, Role::Autre);
                }
                if !matches!(jeton, Jeton::OuvreDico | Jeton::OuvreTableau) {
                    self.valeur_lue();
                }
            }
        }
    }

    /// The value of `cle` turned out to be a reference or something unexpected.
    fn valeur_douteuse(&mut self, role: Role, cle: Cle) {
        match (role, cle) {
            // `/F 9 0 R` may be an external file's specification: not a filter.
            (Role::Racine, Cle::Filtre) => self.declaration.filtres = Champ::Inconnu,
            (Role::Racine, Cle::Parametres) | (Role::Parametres, _) => self.declaration.parametres = Champ::Inconnu,
            _ => {}
        }
    }

    fn valeur_racine(&mut self, cle: Cle, jeton: Jeton) {
        let cle = match (cle, jeton) {
            (Cle::FiltreAbrege, Jeton::Nom(_) | Jeton::OuvreTableau) => Cle::Filtre,
            (Cle::ParametresAbreges, Jeton::OuvreDico | Jeton::OuvreTableau) => Cle::Parametres,
            (Cle::FiltreAbrege | Cle::ParametresAbreges, _) => Cle::Autre,
            (cle, _) => cle,
        };
        match cle {
            Cle::Filtre => {
                let filtres = match jeton {
                    Jeton::Nom(nom) => {
                        let mut liste = Liste::default();
                        liste.pousser(Filtre::de(nom));
                        Champ::Connu(liste)
                    }
                    Jeton::OuvreTableau => Champ::Connu(Liste { tableau: true, ..Liste::default() }),
                    _ => Champ::Inconnu,
                };
                // Written twice (or as `/F` and `/Filter`): readers differ on which counts.
                self.declaration.filtres = match self.declaration.filtres {
                    Champ::Absent => filtres,
                    _ => Champ::Inconnu,
                };
                let role =
                    if matches!(self.declaration.filtres, Champ::Connu(_)) { Role::Filtres } else { Role::Autre };
                self.empiler_valeur(jeton, role);
            }
            Cle::Parametres => {
                let (parametres, role) = match jeton {
                    Jeton::OuvreDico => {
                        let mut liste = Liste::default();
                        liste.pousser(Parametres::default());
                        (Champ::Connu(liste), Role::Parametres)
                    }
                    Jeton::OuvreTableau => {
                        (Champ::Connu(Liste { tableau: true, ..Liste::default() }), Role::TableauParametres)
                    }
                    Jeton::Mot(b"null") => (Champ::Absent, Role::Autre),
                    _ => (Champ::Inconnu, Role::Autre),
                };
                self.declaration.parametres = match self.declaration.parametres {
                    Champ::Absent => parametres,
                    _ => Champ::Inconnu,
                };
                let role = if matches!(self.declaration.parametres, Champ::Connu(_)) { role } else { Role::Autre };
                self.empiler_valeur(jeton, role);
            }
            _ => self.empiler_valeur(jeton, Role::Autre),
        }
    }

    fn empiler_valeur(&mut self, jeton: Jeton, role: Role) {
        if let Jeton::OuvreDico | Jeton::OuvreTableau = jeton {
            self.empiler(jeton == Jeton::OuvreDico, role);
        }
    }

    fn valeur_parametre(&mut self, cle: Cle, jeton: Jeton) {
        let Champ::Connu(liste) = &mut self.declaration.parametres else {
            return self.empiler_valeur(jeton, Role::Autre);
        };
        let Some(parametres) = liste.dernier() else { return };
        match (cle, jeton) {
            (Cle::NomCrypt, Jeton::Nom(nom)) => parametres.crypt_identite = Some(nom == b"Identity"),
            (Cle::NomCrypt | Cle::Autre, _) => self.empiler_valeur(jeton, Role::Autre),
            (cle, Jeton::Mot(mot)) => {
                let valeur = entier(mot);
                let champ = match cle {
                    Cle::Predicteur => &mut parametres.predicteur,
                    Cle::Couleurs => &mut parametres.couleurs,
                    Cle::Bits => &mut parametres.bits,
                    Cle::Colonnes => &mut parametres.colonnes,
                    _ => &mut parametres.changement_precoce,
                };
                match valeur {
                    Some(v) => *champ = Some(v),
                    None => self.declaration.parametres = Champ::Inconnu,
                }
            }
            _ => {
                self.declaration.parametres = Champ::Inconnu;
                self.empiler_valeur(jeton, Role::Autre);
            }
        }
    }

    fn dans_tableau(&mut self, role: Role, jeton: Jeton) {
        match role {
            Role::Filtres => match (jeton, &mut self.declaration.filtres) {
                (Jeton::Nom(nom), Champ::Connu(liste)) => liste.pousser(Filtre::de(nom)),
                _ => {
                    self.declaration.filtres = Champ::Inconnu;
                    self.empiler_valeur(jeton, Role::Autre);
                }
            },
            Role::TableauParametres => match (jeton, &mut self.declaration.parametres) {
                (Jeton::OuvreDico, Champ::Connu(liste)) => {
                    liste.pousser(Parametres::default());
                    self.empiler(true, Role::Parametres);
                }
                (Jeton::Mot(b"null"), Champ::Connu(liste)) => liste.pousser(Parametres::default()),
                _ => {
                    self.declaration.parametres = Champ::Inconnu;
                    self.empiler_valeur(jeton, Role::Autre);
                }
            },
            _ => self.empiler_valeur(jeton, Role::Autre),
        }
    }
}

/// An integer, or the integer part of a real number, as readers take parameters.
fn entier(mot: &[u8]) -> Option<i64> {
    let texte = std::str::from_utf8(mot).ok()?;
    let entiere = texte.split('.').next()?;
    match entiere {
        "" | "+" | "-" if texte.contains('.') => Some(0),
        _ => entiere.parse::<i64>().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declaration(texte: &[u8]) -> Option<Declaration> {
        let mut lecteur = LecteurObjets::new();
        lecteur.lire(texte);
        lecteur.prendre()
    }

    fn filtres(texte: &[u8]) -> Champ<Vec<Filtre>> {
        match declaration(texte).expect("une déclaration").filtres {
            Champ::Connu(liste) => Champ::Connu(liste.items().to_vec()),
            Champ::Absent => Champ::Absent,
            Champ::Inconnu => Champ::Inconnu,
        }
    }

    #[test]
    fn filtres_nom_tableau_abreviations_et_echappements() {
        assert_eq!(
            filtres(b"1 0 obj << /Filter /FlateDecode /Length 3 >>\nstream\n"),
            Champ::Connu(vec![Filtre::Flate])
        );
        assert_eq!(
            filtres(b"<< /Length 9 /Filter [/AHx /Fl /A85 /LZW /RL /DCT /Crypt /Foo] >> stream\r\n"),
            Champ::Connu(vec![
                Filtre::AsciiHex,
                Filtre::Flate,
                Filtre::Ascii85,
                Filtre::Lzw,
                Filtre::RunLength,
                Filtre::Image,
                Filtre::Crypt,
                Filtre::Inconnu
            ])
        );
        assert_eq!(filtres(b"<</Filter/ASCIIHex#44ecode>>stream\n"), Champ::Connu(vec![Filtre::AsciiHex]));
        assert_eq!(filtres(b"<< /Length 3 >> stream\n"), Champ::Absent);
        assert_eq!(filtres(b"<< /F /AHx >> stream\n"), Champ::Connu(vec![Filtre::AsciiHex]));
        // `/F` as the file specification of an external stream is no filter.
        assert_eq!(filtres(b"<< /F (donnees.bin) /Filter /Fl >> stream\n"), Champ::Connu(vec![Filtre::Flate]));
        assert_eq!(filtres(b"<< /F << /Type /Filespec >> >> stream\n"), Champ::Absent);
    }

    #[test]
    fn references_doublons_et_longueurs() {
        assert_eq!(filtres(b"<< /Filter 9 0 R /Length 3 >> stream\n"), Champ::Inconnu);
        assert_eq!(filtres(b"<< /Length 3 /Filter 9 0 R >> stream\n"), Champ::Inconnu);
        assert_eq!(filtres(b"<< /Filter /AHx /Filter /DCTDecode >> stream\n"), Champ::Inconnu);
        assert_eq!(filtres(b"<< /Filter [/AHx 5 0 R] >> stream\n"), Champ::Inconnu);
        let long = declaration(b"<< /Filter [/Fl /Fl /Fl /Fl /Fl /Fl /Fl /Fl /Fl] >> stream\n").unwrap();
        assert!(matches!(long.filtres, Champ::Connu(liste) if liste.trop && liste.items().len() == FILTRES_MAX));
        let indirect = declaration(b"<< /Filter /Fl /DecodeParms 7 0 R >> stream\n").unwrap();
        assert_eq!(indirect.parametres, Champ::Inconnu);
        let indirect = declaration(b"<< /Filter /Fl /DecodeParms << /Columns 7 0 R >> >> stream\n").unwrap();
        assert_eq!(indirect.parametres, Champ::Inconnu);
    }

    #[test]
    fn parametres_dictionnaire_et_tableau() {
        let d = declaration(
            b"<< /Filter [/AHx /Fl] /DecodeParms [null << /Predictor 12 /Columns 5.0 /Colors 3 /BitsPerComponent 8 >>] >>\nstream\n",
        )
        .unwrap();
        let Champ::Connu(p) = d.parametres else { panic!("{d:?}") };
        assert_eq!(p.items().len(), 2);
        assert_eq!(p.items()[0], Parametres::default());
        assert_eq!(
            p.items()[1],
            Parametres {
                predicteur: Some(12),
                colonnes: Some(5),
                couleurs: Some(3),
                bits: Some(8),
                ..Default::default()
            }
        );
        let d = declaration(b"<</DecodeParms<</EarlyChange 0/Name/Identity>>/Filter/LZW>>stream\n").unwrap();
        let Champ::Connu(p) = d.parametres else { panic!("{d:?}") };
        assert_eq!(p.items()[0].changement_precoce, Some(0));
        assert_eq!(p.items()[0].crypt_identite, Some(true));
    }

    #[test]
    fn les_chaines_et_commentaires_ne_trompent_pas() {
        let piege =
            b"<< /Filter [/AHx /Fl] /X (>> << /Filter /DCTDecode \\) (x) ) /Y <3E3E> % >> /Filter /RL\n>> stream\n";
        assert_eq!(filtres(piege), Champ::Connu(vec![Filtre::AsciiHex, Filtre::Flate]));
        // Values that are dictionaries themselves: only the top level counts.
        let imbrique = b"<< /Resources << /Filter /DCT /XObject << /Im1 5 0 R >> >> /Filter /Fl >> stream\n";
        assert_eq!(filtres(imbrique), Champ::Connu(vec![Filtre::Flate]));
    }

    #[test]
    fn flux_sans_dictionnaire_juste_avant() {
        assert_eq!(declaration(b"<< /Filter /Fl >> 12 stream\n"), None);
        assert_eq!(declaration(b"(texte) stream\n"), None);
        assert_eq!(declaration(b"<< /Filter /Fl /T (live stream\n"), None);
        assert_eq!(declaration(b"[1 2] stream\n"), None);
        // A new object starts afresh.
        assert_eq!(declaration(b"<< /A (unclosed 5 0 obj << /Filter /RL >> stream\n"), None);
        assert_eq!(filtres(b"<< /A [1 5 0 obj << /Filter /RL >> stream\n"), Champ::Connu(vec![Filtre::RunLength]));
    }
}
