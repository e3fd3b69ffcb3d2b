//! Multi-criteria search (`rechercheDemandeMulticritere`), served from one index.
//!
//! Every criterion is an index range; nothing is decrypted. The index `recherche` holds, per
//! application, entries `<territoire>|<dimension>|<valeur>|<date de dépôt>|<numéro>`: for one
//! (territory, dimension, value) the entries sort by filing date then number, so each equality
//! criterion is a stream in that one order, a filing-date range cuts every stream alike, and
//! several criteria meet by a leapfrog join that seeks each stream to the others' position
//! (cost in proportion to the rarest stream, not to the territory). Renewal and radiation dates
//! have streams of their own, sorted by those dates, and are otherwise checked on the clear
//! attributes of the candidates. Names and birth dates enter only as keyed hashes, one entry per
//! surname, birth name, first name and birth date of each person and one for the three
//! together, each ending with the person's rank on the application: a search naming all three
//! reads one short stream, and criteria on two fields meet on one person because the join also
//! intersects the ranks each stream holds at a position. Results come by filing date then
//! number, at most `max` of them.

use std::collections::BTreeSet;

use time::Date;

use super::depot::{CleIndex, Curseur, Depot, DepotError, Plage};
use super::echeances::jour_index;
use super::identite::{normaliser, Identite};
use super::numero::NumUnique;

/// The index's name.
pub const INDEX: &str = "recherche";

/// What the index holds of an application beyond its clear attributes, read from its file by
/// the operation layer (persons come with the duplicates' identities).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaitsRecherche {
    /// `principauxMotifDemande/motifDemande` codes.
    pub motifs: Vec<String>,
    /// The association's name, for an association's application.
    pub association: Option<String>,
    /// `informationTraitement/estDelaiAnormalementLong`.
    pub delai_anormalement_long: Option<bool>,
    /// `informationTraitement/estMultiplesAttributionsSousConditions`.
    pub multiples_attributions: Option<bool>,
    /// Commune of the allocated dwelling (`radiation/attributionLogement/adresse/commune`).
    pub commune_attribution: Option<String>,
}

/// State codes of `etatDemande` (published in the search schema and the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EtatRecherche {
    /// `A`: registered and not radiated (expired ones included until the system radiates them).
    Active,
    /// `R`: radiated (until erased, one year later).
    Radiee,
}

impl EtatRecherche {
    /// The code as the search file carries it.
    pub fn parse(code: &str) -> Option<EtatRecherche> {
        match code {
            "A" => Some(EtatRecherche::Active),
            "R" => Some(EtatRecherche::Radiee),
            _ => None,
        }
    }

    fn code(self) -> &'static str {
        match self {
            EtatRecherche::Active => "A",
            EtatRecherche::Radiee => "R",
        }
    }
}

/// A person searched: any subset of the three, at least one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonneRecherchee {
    /// Surname or birth name.
    pub nom: Option<String>,
    /// First name.
    pub prenom: Option<String>,
    /// Birth date.
    pub date_naissance: Option<Date>,
}

/// An inclusive range of days, either end open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Periode {
    /// First day included.
    pub debut: Option<Date>,
    /// Last day included.
    pub fin: Option<Date>,
}

impl Periode {
    fn est_vide(&self) -> bool {
        self.debut.is_none() && self.fin.is_none()
    }

    pub(super) fn contient(&self, d: Date) -> bool {
        self.debut.is_none_or(|x| d >= x) && self.fin.is_none_or(|x| d <= x)
    }
}

/// Criteria, all combined (AND). Built by the operation layer from a valid search file.
#[derive(Debug, Clone, Default)]
pub struct Criteres {
    /// One application.
    pub num: Option<NumUnique>,
    /// Its state.
    pub etat: Option<EtatRecherche>,
    /// First filing (seniority) date.
    pub depot: Periode,
    /// Last renewal date.
    pub renouvellement: Periode,
    /// Radiation date.
    pub radiation: Periode,
    /// One of its motives.
    pub motif_demande: Option<String>,
    /// Its radiation motive.
    pub motif_radiation: Option<String>,
    /// One of its desired communes.
    pub commune_souhaitee: Option<String>,
    /// The commune of the dwelling allocated.
    pub commune_attribution: Option<String>,
    /// The processing flag `estDelaiAnormalementLong`.
    pub delai_anormalement_long: Option<bool>,
    /// The processing flag `estMultiplesAttributionsSousConditions`.
    pub multiples_attributions: Option<bool>,
    /// The association's name.
    pub association: Option<String>,
    /// A person of the application (applicant or co-applicant).
    pub personne: Option<PersonneRecherchee>,
    /// Categories of which it holds a piece (each of them).
    pub categories: Vec<String>,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resultat {
    /// By filing date, then number.
    pub nums: Vec<NumUnique>,
    /// True when more applications matched than `nums` holds.
    pub tronque: bool,
}

/// Hex digits kept of a keyed hash: 48 bits, no meeting of two names in a territory worth
/// counting, a fifth of the full hash's room in every entry.
const EMPREINTE_HEX: usize = 12;

/// Hex digits kept of a whole identity's hash: 96 bits, because the duplicates read that
/// stream too ([`super::Registry::doublons`]) and answer with no second check of the files.
const EMPREINTE_IDENTITE_HEX: usize = 24;

fn empreinte(depot: &dyn Depot, valeur: &str) -> String {
    let mut h = depot.empreinte(valeur);
    h.truncate(EMPREINTE_HEX);
    h
}

/// Dimensions of a person are `n` (surname or birth name), `p` (first name), `b` (birth date)
/// and `i` (all three). An application has one entry per value, which keeps the ranks of the
/// persons holding it as bits ([`CleIndex::donnee`]; 0, kept by entries that are not a
/// person's, stands for every rank), so that criteria on two fields meet on
/// one person (four entries per person, two more per extra name, rather than one per subset
/// of the fields).
///
/// Most persons of an application told apart; further ones share the last rank (they still
/// match each criterion, and may then match criteria on two of them together).
const RANGS: usize = 32;

fn identite_complete(nom: &str, prenom: &str, naissance: &str) -> String {
    format!("{nom}|{prenom}|{naissance}")
}

fn cle_personne(territoire: &str, dimension: &str, valeur: &str) -> String {
    format!("recherche|{territoire}|{dimension}|{valeur}")
}

/// The stream of the whole identity `nom|prenom|naissance` (normalised) in `territoire`.
fn prefixe_identite(depot: &dyn Depot, territoire: &str, identite: &str) -> String {
    let mut h = depot.empreinte(&cle_personne(territoire, "i", identite));
    h.truncate(EMPREINTE_IDENTITE_HEX);
    format!("{territoire}|i|{h}|")
}

/// The search entries of an application whose file says `faits` and names `identites`.
///
/// Values are `<territoire>|<dimension>|<valeur>|<date de dépôt>`; the store keeps the number
/// after the value, so a stream sorts by (filing date, number) with the number written once.
pub(super) fn entrees(
    depot: &dyn Depot,
    attributs: &super::depot::Attributs,
    identites: &[Identite],
    faits: &FaitsRecherche,
) -> Vec<CleIndex> {
    let mut out = entrees_sans_personnes(attributs, faits);
    let t = attributs.territoire.as_str();
    let jour = jour_index(attributs.date_depot);
    if let Some(nom) = faits.association.as_deref().map(normaliser).filter(|n| !n.is_empty()) {
        let h = empreinte(depot, &format!("recherche|{t}|association|{nom}"));
        out.push(CleIndex::new(INDEX, format!("{t}|o|{h}|{jour}")));
    }
    let mut valeurs: std::collections::BTreeMap<String, u32> = std::collections::BTreeMap::new();
    for (rang, p) in identites.iter().enumerate() {
        let bit = 1u32 << rang.min(RANGS - 1);
        // The whole identity too: the usual search names all three, and one entry answers it
        // whatever the number of people sharing a name or a birthday.
        for forme in p.formes() {
            *valeurs.entry(format!("{}{jour}", prefixe_identite(depot, t, &forme))).or_default() |= bit;
        }
        let mut champs: Vec<(&str, String)> = p.noms().into_iter().map(|n| ("n", n)).collect();
        champs.push(("p", normaliser(&p.prenom)));
        champs.push(("b", p.date_naissance.to_string()));
        for (dimension, valeur) in champs.into_iter().filter(|(_, v)| !v.is_empty()) {
            let h = empreinte(depot, &cle_personne(t, dimension, &valeur));
            *valeurs.entry(format!("{t}|{dimension}|{h}|{jour}")).or_default() |= bit;
        }
    }
    out.extend(valeurs.into_iter().map(|(v, rangs)| CleIndex::avec(INDEX, v, rangs)));
    out
}

/// The entries that need no keyed hash.
fn entrees_sans_personnes(attributs: &super::depot::Attributs, faits: &FaitsRecherche) -> Vec<CleIndex> {
    let t = attributs.territoire.as_str();
    let jour = jour_index(attributs.date_depot);
    let mut valeurs = BTreeSet::new();
    let mut flux = |dimension: &str, valeur: &str| {
        valeurs.insert(format!("{t}|{dimension}|{valeur}|{jour}"));
    };
    let etat = match attributs.radiation {
        None => EtatRecherche::Active,
        Some(_) => EtatRecherche::Radiee,
    };
    flux("e", etat.code());
    for m in &faits.motifs {
        flux("m", m);
    }
    for c in &attributs.communes {
        flux("c", c);
    }
    if let Some(b) = faits.delai_anormalement_long {
        flux("l", if b { "1" } else { "0" });
    }
    if let Some(b) = faits.multiples_attributions {
        flux("s", if b { "1" } else { "0" });
    }
    if let Some(r) = &attributs.radiation {
        flux("y", &r.motif);
        if let Some(c) = &faits.commune_attribution {
            flux("a", c);
        }
    }
    let mut out: Vec<CleIndex> = valeurs.into_iter().map(|v| CleIndex::new(INDEX, v)).collect();
    // Sorted by the date itself: the number that follows in the store orders one day's.
    if let Some(d) = attributs.date_renouvellement {
        out.push(CleIndex::new(INDEX, format!("{t}|r|{}", jour_index(d))));
    }
    if let Some(r) = &attributs.radiation {
        out.push(CleIndex::new(INDEX, format!("{t}|x|{}", jour_index(r.date))));
    }
    out
}

/// Dimensions that come from the file or the pieces, not from the clear attributes: a change
/// that does not read a file (a DALO declaration, the system's radiation) keeps them.
const DIMENSIONS_GARDEES: &[&str] = &["m", "o", "l", "s", "i", "n", "p", "b", "j"];

/// The search entries of an application in state `attributs`, keeping from `existantes` what
/// only its file or its pieces say (motives, persons, association, flags, categories).
pub(super) fn reindexer(existantes: &[CleIndex], attributs: &super::depot::Attributs) -> Vec<CleIndex> {
    let jour = jour_index(attributs.date_depot);
    let t = attributs.territoire.as_str();
    let mut faits = FaitsRecherche::default();
    let mut gardees = Vec::new();
    for c in existantes.iter().filter(|c| c.index == INDEX) {
        let [_, dimension, valeur, _] = c.valeur.split('|').collect::<Vec<_>>()[..] else { continue };
        if dimension == "a" && attributs.radiation.is_some() {
            faits.commune_attribution = Some(valeur.to_string());
        } else if DIMENSIONS_GARDEES.contains(&dimension) {
            gardees.push(CleIndex::avec(INDEX, format!("{t}|{dimension}|{valeur}|{jour}"), c.donnee));
        }
    }
    let mut out = entrees_sans_personnes(attributs, &faits);
    for c in gardees {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// The entry that says an application holds a piece of `categorie`.
pub(super) fn entree_categorie(attributs: &super::depot::Attributs, categorie: &str) -> CleIndex {
    let t = attributs.territoire.as_str();
    CleIndex::new(INDEX, format!("{t}|j|{categorie}|{}", jour_index(attributs.date_depot)))
}

/// Whether an entry of the index is a piece-category one (kept across versions: pieces are not
/// part of the file).
pub(super) fn est_categorie(c: &CleIndex) -> bool {
    c.index == INDEX && c.valeur.split('|').nth(1) == Some("j")
}

/// Whether an entry is one the current version of the index writes: entries of the first
/// version ended with the number, and the duplicates had an index of their own.
fn a_jour(c: &CleIndex) -> bool {
    c.index != "identite" && (c.index != INDEX || c.valeur.rsplit('|').next().is_some_and(|d| d.len() == 10))
}

/// How many entries one index read brings.
const LOT: usize = 64;

/// A position in a stream (`<date de dépôt>|<numéro>`) and the ranks of the persons it holds
/// there (every bit for entries that are not a person's).
type Position = (String, u32);

/// One stream: the entries under `prefixe`, by (filing date, number), read in lots. Seeks go
/// forward in a join, anywhere when candidates come in another order.
struct Flux {
    prefixe: String,
    /// Lowest position (`<date>`, empty without one) of the filing-date range: a seek below it
    /// goes to it, so that the join never returns an application filed before the range.
    debut: String,
    /// Exclusive upper bound of the values (the end of the filing-date range).
    fin: String,
    /// Where the lot in `tampon` was read from.
    depuis: Option<String>,
    /// Positions of the lot, each once, with the ranks of its entries.
    tampon: Vec<Position>,
    /// The lot reaches the end of the range.
    epuise: bool,
}

impl Flux {
    fn new(prefixe: String, depot: &Periode) -> Flux {
        // `}` sorts right after `|`: the bound lies past every entry of the last day.
        let fin = match depot.fin {
            Some(d) => format!("{prefixe}{}}}", jour_index(d)),
            None => format!("{}}}", &prefixe[..prefixe.len() - 1]),
        };
        let debut = depot.debut.map(jour_index).unwrap_or_default();
        Flux { prefixe, debut, fin, depuis: None, tampon: Vec::new(), epuise: false }
    }

    /// The first position at or after `cible` (`<date>|<numéro>`) and in the range, if any.
    fn chercher(&mut self, depot: &dyn Depot, cible: &str) -> Result<Option<Position>, DepotError> {
        if cible < self.debut.as_str() {
            let debut = self.debut.clone();
            return self.chercher(depot, &debut);
        }
        if self.depuis.as_deref().is_some_and(|d| cible >= d) {
            let i = self.tampon.partition_point(|(x, _)| x.as_str() < cible);
            if let Some(x) = self.tampon.get(i) {
                return Ok(Some(x.clone()));
            }
            if self.epuise {
                return Ok(None);
            }
        }
        // A position names its number: the seek lands on that entry; a bare date (or nothing)
        // starts at the day's first.
        let plage = match cible.split_once('|') {
            Some((jour, num)) => {
                let valeur = format!("{}{jour}", self.prefixe);
                Plage {
                    debut: valeur.clone(),
                    fin: Some(self.fin.clone()),
                    depuis: Some(Curseur { valeur, num: num.to_string() }),
                    ..Plage::default()
                }
            }
            None => {
                Plage { debut: format!("{}{cible}", self.prefixe), fin: Some(self.fin.clone()), ..Plage::default() }
            }
        };
        let page = depot.parcourir(INDEX, &plage, LOT)?;
        self.epuise = page.suite.is_none();
        self.depuis = Some(cible.to_string());
        let n = self.prefixe.len();
        self.tampon.clear();
        for e in &page.entrees {
            let Some(jour) = e.valeur.get(n..) else { continue };
            let rangs = if e.donnee == 0 { u32::MAX } else { e.donnee };
            self.tampon.push((format!("{jour}|{}", e.num), rangs));
        }
        Ok(self.tampon.first().cloned())
    }
}

/// A stream, or the union of streams (an application is in exactly one state, so "any state"
/// is the union of the two).
enum Source {
    Flux(Flux),
    Union(Vec<Flux>),
}

impl Source {
    fn chercher(&mut self, depot: &dyn Depot, cible: &str) -> Result<Option<Position>, DepotError> {
        match self {
            Source::Flux(f) => f.chercher(depot, cible),
            Source::Union(fs) => {
                let mut min: Option<Position> = None;
                for f in fs {
                    if let Some(x) = f.chercher(depot, cible)? {
                        match &mut min {
                            Some(m) if x.0 == m.0 => m.1 |= x.1,
                            Some(m) if x.0 > m.0 => {}
                            _ => min = Some(x),
                        }
                    }
                }
                Ok(min)
            }
        }
    }
}

/// Whether every source holds `position` with one person in common.
fn tiennent(depot: &dyn Depot, sources: &mut [Source], position: &str) -> Result<bool, DepotError> {
    let mut masque = u32::MAX;
    for s in sources.iter_mut() {
        match s.chercher(depot, position)? {
            Some((p, m)) if p == position => masque &= m,
            _ => return Ok(false),
        }
    }
    Ok(masque != 0)
}

/// The equality criteria's streams, as they are named.
struct Egalites<'a> {
    t: &'a str,
    depot: &'a Periode,
    sources: Vec<Source>,
}

impl Egalites<'_> {
    fn ajouter(&mut self, dimension: &str, valeur: &str) {
        let t = self.t;
        self.ajouter_flux(format!("{t}|{dimension}|{valeur}|"));
    }

    fn ajouter_flux(&mut self, prefixe: String) {
        self.sources.push(Source::Flux(Flux::new(prefixe, self.depot)));
    }

    fn compte(&self) -> usize {
        self.sources.len()
    }
}

/// Active applications of `territoire` on which one of `personnes` appears (one of their forms,
/// [`Identite::formes`]), in number order, at most `max`: the whole-identity streams, whatever
/// the filing date.
pub(super) fn doublons(
    depot: &dyn Depot,
    territoire: &str,
    personnes: &[Identite],
    max: usize,
) -> Result<Vec<NumUnique>, DepotError> {
    let mut nums = BTreeSet::new();
    for forme in personnes.iter().flat_map(Identite::formes) {
        let prefixe = prefixe_identite(depot, territoire, &forme);
        let plage = Plage::entre(&prefixe, &format!("{}}}", &prefixe[..prefixe.len() - 1]));
        super::depot::pour_chaque_entree(depot, INDEX, plage, 256, |e| {
            nums.insert(e.num);
            Ok::<_, DepotError>(())
        })?;
    }
    let mut out = Vec::new();
    for n in nums {
        if out.len() == max {
            break;
        }
        let Ok(num) = NumUnique::parse(&n) else { continue };
        if depot.entete(&n)?.is_some_and(|e| e.attributs.radiation.is_none()) {
            out.push(num);
        }
    }
    Ok(out)
}

/// Runs a search on `territoire`: at most `max` numbers, and whether more matched.
pub(super) fn chercher(
    depot: &dyn Depot,
    territoire: &str,
    criteres: &Criteres,
    max: usize,
) -> Result<Resultat, DepotError> {
    let t = territoire;
    let mut egalite = Egalites { t, depot: &criteres.depot, sources: Vec::new() };
    // The strong criteria first: the join seeks with the first stream's positions.
    if let Some(p) = &criteres.personne {
        // One stream per field given; their ranks make them meet on one person. The rarest
        // first: surname, birth date, first name.
        let (nom, prenom, naissance) = (
            p.nom.as_deref().map(normaliser),
            p.prenom.as_deref().map(normaliser),
            p.date_naissance.map(|d| d.to_string()),
        );
        if let (Some(n), Some(p), Some(b)) = (&nom, &prenom, &naissance) {
            egalite.ajouter_flux(prefixe_identite(depot, t, &identite_complete(n, p, b)));
        } else {
            for (dimension, valeur) in [("n", nom), ("b", naissance), ("p", prenom)] {
                if let Some(v) = valeur {
                    egalite.ajouter(dimension, &empreinte(depot, &cle_personne(t, dimension, &v)));
                }
            }
        }
    }
    if let Some(nom) = &criteres.association {
        egalite.ajouter("o", &empreinte(depot, &format!("recherche|{t}|association|{}", normaliser(nom))));
    }
    for c in &criteres.categories {
        egalite.ajouter("j", c);
    }
    if let Some(c) = &criteres.commune_attribution {
        egalite.ajouter("a", c);
    }
    if let Some(c) = &criteres.commune_souhaitee {
        egalite.ajouter("c", c);
    }
    if let Some(m) = &criteres.motif_demande {
        egalite.ajouter("m", m);
    }
    if let Some(m) = &criteres.motif_radiation {
        egalite.ajouter("y", m);
    }
    let fortes = egalite.compte();
    if let Some(b) = criteres.delai_anormalement_long {
        egalite.ajouter("l", if b { "1" } else { "0" });
    }
    if let Some(b) = criteres.multiples_attributions {
        egalite.ajouter("s", if b { "1" } else { "0" });
    }
    if let Some(e) = criteres.etat {
        egalite.ajouter("e", e.code());
    }
    let mut sources = egalite.sources;
    // Renewal and radiation dates: a stream of their own when nothing stronger leads, else a
    // check of each candidate's clear attributes.
    let par_date = fortes == 0 && !(criteres.renouvellement.est_vide() && criteres.radiation.est_vide());
    if sources.is_empty() && !par_date {
        let union = ["A", "R"].map(|e| Flux::new(format!("{t}|e|{e}|"), &criteres.depot));
        sources.push(Source::Union(union.into()));
    }
    let accepte = |num: &str| -> Result<bool, DepotError> {
        if criteres.renouvellement.est_vide() && criteres.radiation.est_vide() {
            return Ok(true);
        }
        let Some(e) = depot.entete(num)? else { return Ok(false) };
        let a = &e.attributs;
        let renouvellement = criteres.renouvellement.est_vide()
            || a.date_renouvellement.is_some_and(|d| criteres.renouvellement.contient(d));
        let radiation =
            criteres.radiation.est_vide() || a.radiation.as_ref().is_some_and(|r| criteres.radiation.contient(r.date));
        Ok(renouvellement && radiation && criteres.depot.contient(a.date_depot))
    };
    let trouves = if let Some(num) = &criteres.num {
        // One candidate: each stream must hold it.
        let Some(e) = depot.entete(num.as_str())? else { return Ok(Resultat { nums: Vec::new(), tronque: false }) };
        if e.attributs.territoire != t {
            return Ok(Resultat { nums: Vec::new(), tronque: false });
        }
        let position = format!("{}|{}", jour_index(e.attributs.date_depot), num.as_str());
        let tient = criteres.depot.contient(e.attributs.date_depot)
            && accepte(num.as_str())?
            && tiennent(depot, &mut sources, &position)?;
        if tient {
            vec![position]
        } else {
            Vec::new()
        }
    } else if par_date {
        par_dates(depot, t, criteres, &mut sources, max, &accepte)?
    } else {
        joindre(depot, &mut sources, max, &accepte)?
    };
    let tronque = trouves.len() > max;
    let nums = trouves
        .into_iter()
        .take(max)
        .filter_map(|p| p.rsplit('|').next().and_then(|n| NumUnique::parse(n).ok()))
        .collect();
    Ok(Resultat { nums, tronque })
}

/// The leapfrog join of `sources`: positions every source holds, in order, filtered by
/// `accepte`, at most `max + 1` (one more tells the list was cut).
fn joindre(
    depot: &dyn Depot,
    sources: &mut [Source],
    max: usize,
    accepte: &dyn Fn(&str) -> Result<bool, DepotError>,
) -> Result<Vec<String>, DepotError> {
    let mut out = Vec::new();
    let k = sources.len();
    let mut cible = String::new();
    // The ranks each source holds at `cible`, fresh for the `accord` sources that agree.
    let mut masques = vec![u32::MAX; k];
    let (mut i, mut accord) = (0, 0);
    while out.len() <= max {
        let Some((x, masque)) = sources[i].chercher(depot, &cible)? else { break };
        masques[i] = masque;
        if x == cible {
            accord += 1;
        } else {
            cible = x;
            accord = 1;
        }
        if accord == k {
            let num = cible.rsplit('|').next().unwrap_or("");
            // Criteria on a person's fields hold for one person together.
            let une_personne = masques.iter().fold(u32::MAX, |a, m| a & m) != 0;
            if une_personne && accepte(num)? {
                out.push(cible.clone());
            }
            // The smallest position after this one.
            cible.push('\u{1}');
            accord = 0;
        }
        i = (i + 1) % k;
    }
    Ok(out)
}

/// Driven by a renewal or radiation date range: its own stream, each candidate checked on its
/// attributes and on the other streams, the first `max + 1` by (filing date, number) kept.
fn par_dates(
    depot: &dyn Depot,
    t: &str,
    criteres: &Criteres,
    sources: &mut [Source],
    max: usize,
    accepte: &dyn Fn(&str) -> Result<bool, DepotError>,
) -> Result<Vec<String>, DepotError> {
    let (dimension, periode) =
        if criteres.radiation.est_vide() { ("r", criteres.renouvellement) } else { ("x", criteres.radiation) };
    let prefixe = format!("{t}|{dimension}|");
    let mut plage = Plage {
        debut: format!("{prefixe}{}", periode.debut.map(jour_index).unwrap_or_default()),
        fin: Some(match periode.fin {
            Some(d) => format!("{prefixe}{}}}", jour_index(d)),
            None => format!("{t}|{dimension}}}"),
        }),
        ..Plage::default()
    };
    // The `max + 1` smallest positions seen.
    let mut garde: BTreeSet<String> = BTreeSet::new();
    loop {
        let page = depot.parcourir(INDEX, &plage, 512)?;
        for entree in &page.entrees {
            let num = entree.num.as_str();
            let Some(e) = depot.entete(num)? else { continue };
            let position = format!("{}|{num}", jour_index(e.attributs.date_depot));
            if garde.len() > max && garde.last().is_some_and(|l| position >= *l) {
                continue;
            }
            if !accepte(num)? {
                continue;
            }
            if tiennent(depot, sources, &position)? {
                garde.insert(position);
                if garde.len() > max + 1 {
                    garde.pop_last();
                }
            }
        }
        match page.suite {
            Some(c) => plage.apres = Some(c),
            None => break,
        }
    }
    Ok(garde.into_iter().collect())
}

/// Why a search was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum RechercheError {
    /// The caller's profile does not search (scanning providers).
    #[error("le profil {profil} du certificat {code} ne permet pas de rechercher des demandes (réservé aux guichets et aux services instructeurs)")]
    Profil {
        /// The profile's name.
        profil: &'static str,
        /// The certificate's code.
        code: String,
    },
    /// Storage failed.
    #[error(transparent)]
    Depot(#[from] DepotError),
}

/// Sequence whose value 1 marks a store whose every application has its search entries in the
/// current form (stores made before the search existed, or by its first version, get them once,
/// at start-up).
pub const INDEX_CONSTRUIT: &str = "index-recherche-v2";

impl super::Registry {
    /// Whether the applications stored before the search existed still need their entries.
    pub fn index_recherche_a_construire(&self) -> Result<bool, DepotError> {
        Ok(self.depot.sequence_actuelle(INDEX_CONSTRUIT)? == 0)
    }

    /// Gives every stored application without search entries in the current form its entries,
    /// from its current file read by `faits_de` (persons and facts) and its pieces, replacing
    /// those of an earlier form (and the duplicates' former index), then marks the store done.
    /// Returns how many applications were indexed. Idempotent: run again, it skips them.
    pub async fn construire_index_recherche(
        &self,
        faits_de: impl Fn(&[u8]) -> Option<(Vec<Identite>, FaitsRecherche)> + Sync,
    ) -> Result<usize, DepotError> {
        let mut apres: Option<String> = None;
        let mut faits = 0;
        loop {
            let page = self.depot.numeros(apres.as_deref(), 500)?;
            let lot = self
                .compute
                .run(|| {
                    let mut t = super::depot::Transaction::default();
                    for num in &page {
                        let existantes = self.depot.index_de(num)?;
                        if existantes.iter().any(|c| c.index == INDEX) && existantes.iter().all(a_jour) {
                            continue;
                        }
                        let Some(fiche) = self.depot.lire(num)? else { continue };
                        let (identites, faits) = faits_de(&fiche.contenu.0).unwrap_or_default();
                        let mut ajouter = entrees(self.depot.as_ref(), &fiche.attributs, &identites, &faits);
                        for p in self.depot.pieces(num)? {
                            let c = entree_categorie(&fiche.attributs, &p.categorie);
                            if !ajouter.contains(&c) {
                                ajouter.push(c);
                            }
                        }
                        let retirer = existantes.into_iter().filter(|c| c.index == INDEX || !a_jour(c)).collect();
                        t.ecritures.push(super::depot::Ecriture::Indexer { num: num.clone(), retirer, ajouter });
                    }
                    Ok::<_, DepotError>(t)
                })
                .await?;
            faits += lot.ecritures.len();
            if !lot.ecritures.is_empty() {
                self.depot.appliquer(lot)?;
            }
            match page.last() {
                Some(last) if page.len() == 500 => apres = Some(last.clone()),
                _ => break,
            }
        }
        if self.index_recherche_a_construire()? {
            self.depot.sequence_suivante(INDEX_CONSTRUIT)?;
        }
        self.depot.durable().await?;
        Ok(faits)
    }

    /// Most numbers one search returns (`recherche.max_resultats`).
    pub fn max_resultats(&self) -> usize {
        self.max_resultats
    }

    /// Searches the caller's territory. The numbers found are nominative answers: each goes to
    /// the access journal, on disk, before they are returned.
    #[tracing::instrument(skip_all, fields(guichet = appelant.code.as_str()))]
    pub async fn rechercher(&self, appelant: &super::Guichet, criteres: &Criteres) -> Result<Resultat, RechercheError> {
        if matches!(appelant.profil, super::Profil::Prestataire { .. } | super::Profil::Demandeur { .. }) {
            return Err(RechercheError::Profil {
                profil: appelant.profil.nom(),
                code: appelant.code.as_str().to_string(),
            });
        }
        let territoire = appelant.territoire.as_str();
        let max = self.max_resultats;
        let resultat = self.compute.run(|| chercher(self.depot.as_ref(), territoire, criteres, max)).await?;
        if !resultat.nums.is_empty() {
            let journal = resultat
                .nums
                .iter()
                .map(|n| self.entree(appelant, n.as_str(), "rechercheDemandeMulticritere"))
                .collect();
            self.depot.journaliser(journal).await?;
        }
        tracing::info!(trouvees = resultat.nums.len(), tronque = resultat.tronque, "recherche multicritère");
        Ok(resultat)
    }

    /// Whether `appelant` sees pieces of a category so flagged (a search by a category the
    /// profile does not see would tell who holds such pieces).
    pub fn voit_categorie(&self, appelant: &super::Guichet, sensible: bool) -> bool {
        super::pieces::voit_dans_liste(&appelant.profil, sensible)
    }
}
