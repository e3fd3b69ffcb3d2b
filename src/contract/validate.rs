//! Validation of an XML tree against a schema table, collecting every violation as an anomaly.
//!
//! The content models of the business files are deterministic (each element name says which
//! particle it belongs to), so a greedy matcher with a look-ahead on names is exact for valid
//! documents. For invalid ones it recovers so that one defect does not hide the next: an element
//! that fits nowhere is reported and skipped, a missing required element is reported and
//! matching goes on, and an element reported as misplaced is not looked into.

use std::fmt::Write as _;

use crate::xml::{Element, Node};

use super::lexical;
use super::xsd::{Builtin, Content, ElementDecl, Max, ModelGroup, Particle, Schema, SimpleType, TypeRef};
use super::Anomalie;

/// Longest `propriete` the file schema accepts.
pub const MAX_PROPRIETE: usize = 255;
/// Longest anomaly message the file schema accepts.
pub const MAX_MESSAGE: usize = 512;
/// Most anomalies listed for one file. Every defect of any real file fits many times over; the
/// bound is for hostile files, whose anomalies would otherwise grow with the input (a 10 MB
/// file of unknown elements would list about a million, some 25 times its size, all kept in
/// memory and written back). Beyond it, one `XSD-LIMITE` anomaly counts the rest.
pub const MAX_ANOMALIES: usize = 1000;

/// Cuts `anomalies` to [`MAX_ANOMALIES`] and, when anything was left out (`omitted` already
/// dropped, plus what the cut removes), ends the list with one anomaly that says how many.
pub(crate) fn limit(anomalies: &mut Vec<Anomalie>, omitted: usize) {
    let omitted = omitted + anomalies.len().saturating_sub(MAX_ANOMALIES);
    anomalies.truncate(MAX_ANOMALIES);
    if omitted > 0 {
        anomalies.push(Anomalie {
            code: "XSD-LIMITE".to_string(),
            propriete: Some("interfaceNuu".to_string()),
            message: format!(
                "{omitted} autre(s) anomalie(s) non listée(s) : la liste est limitée à {MAX_ANOMALIES} anomalies par fichier."
            ),
        });
    }
}

const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// (parent, child) element names the 02.01 schema allows, to tell a 02.00 file that an element
/// belongs to 02.01.
static PAIRES_0201: std::sync::LazyLock<std::collections::HashSet<(&'static str, &'static str)>> =
    std::sync::LazyLock::new(|| super::VersionInterface::V0201.schema().paires());

/// Validates `root` as the global element `root_name` of `schema`; `visit` sees every element
/// matched to a declaration, with its path.
pub fn validate(
    schema: &'static Schema,
    root_name: &str,
    root: &Element,
    visit: &mut dyn FnMut(&Element, &str),
) -> Vec<Anomalie> {
    let (mut out, omitted) = validate_counted(schema, root_name, root, visit);
    limit(&mut out, omitted);
    out
}

/// [`validate`] without the closing `XSD-LIMITE` anomaly: at most [`MAX_ANOMALIES`]
/// anomalies, and how many more were found.
pub(crate) fn validate_counted(
    schema: &'static Schema,
    root_name: &str,
    root: &Element,
    visit: &mut dyn FnMut(&Element, &str),
) -> (Vec<Anomalie>, usize) {
    let mut w =
        Walk { ns: schema.namespace, version: schema.version, out: Vec::new(), omitted: 0, path: String::new(), visit };
    match schema.root(root_name) {
        Some(decl) if root.is(Some(schema.namespace), root_name) => {
            w.path.push_str(root_name);
            w.element(decl, root);
        }
        _ => w.report(
            "XSD-RACINE",
            root.name.clone(),
            format!(
                "L'élément racine doit être {root_name} dans l'espace de noms {} (trouvé : {}).",
                schema.namespace, root.name
            ),
        ),
    }
    (w.out, w.omitted)
}

/// Elements after the current particle that end it: later siblings, the start of a new
/// repetition, and the same for the enclosing groups.
#[derive(Clone, Copy)]
struct Follow<'f> {
    items: &'static [Particle],
    skip: Option<usize>,
    repeat: Option<&'static Particle>,
    up: Option<&'f Follow<'f>>,
}

impl Follow<'_> {
    const NONE: Follow<'static> = Follow { items: &[], skip: None, repeat: None, up: None };

    fn contains(&self, name: &str) -> bool {
        self.items.iter().enumerate().any(|(i, p)| Some(i) != self.skip && p.mentions(name))
            || self.repeat.is_some_and(|p| p.starts_with(name))
            || self.up.is_some_and(|u| u.contains(name))
    }
}

/// The children of one element being matched against its content model.
struct Kids<'e> {
    kids: Vec<&'e Element>,
    pos: usize,
    parent_len: usize,
    parent_name: &'e str,
    /// The parent's whole content model, named in messages about unexpected children.
    model: &'static Particle,
}

struct Walk<'v> {
    ns: &'static str,
    /// The schema's version (`02.00`, `02.01`), to tell an element of the other version.
    version: &'static str,
    out: Vec<Anomalie>,
    /// Anomalies found beyond [`MAX_ANOMALIES`], counted but not kept.
    omitted: usize,
    path: String,
    visit: &'v mut dyn FnMut(&Element, &str),
}

pub(crate) fn truncate(mut s: String, max: usize) -> String {
    if s.chars().count() > max {
        let cut = s.char_indices().nth(max).map(|(i, _)| i).unwrap_or(s.len());
        s.truncate(cut);
    }
    s
}

impl Walk<'_> {
    fn report(&mut self, code: &str, propriete: String, message: String) {
        if self.out.len() >= MAX_ANOMALIES {
            self.omitted += 1;
            return;
        }
        self.out.push(Anomalie {
            code: code.to_string(),
            propriete: Some(truncate(propriete, MAX_PROPRIETE)),
            message: truncate(message, MAX_MESSAGE),
        });
    }

    /// Local name of a child in the schema's namespace; `None` for other namespaces.
    fn key<'e>(&self, e: &'e Element) -> Option<&'e str> {
        (e.ns.as_deref() == Some(self.ns)).then_some(e.name.as_str())
    }

    fn child_path(&self, k: &Kids<'_>, name: &str, index: Option<u32>) -> String {
        let mut p = String::with_capacity(k.parent_len + name.len() + 6);
        p.push_str(&self.path[..k.parent_len]);
        p.push('/');
        p.push_str(name);
        if let Some(i) = index {
            let _ = write!(p, "[{i}]");
        }
        p
    }

    /// Validates `e` (already matched to `decl`; `self.path` is its path).
    fn element(&mut self, decl: &'static ElementDecl, e: &Element) {
        (self.visit)(e, &self.path);
        match decl.ty {
            TypeRef::Simple(st) => {
                self.attributes(e, &[]);
                self.no_child_elements(e);
                self.value(st, &text_of(e), None, &e.name);
            }
            TypeRef::Complex(ct) => {
                self.attributes(e, ct.attributes);
                match ct.content {
                    Content::Empty => {
                        self.no_child_elements(e);
                        if e.children.iter().any(|n| matches!(n, Node::Text(_) | Node::Binary(_))) {
                            let p = self.path.clone();
                            self.report(
                                "XSD-TEXTE",
                                p,
                                format!("L'élément {} doit être vide (ni texte ni espace).", e.name),
                            );
                        }
                    }
                    Content::Simple(st) => {
                        self.no_child_elements(e);
                        self.value(st, &text_of(e), None, &e.name);
                    }
                    Content::Elements(model) => {
                        if e.has_significant_text() || e.children.iter().any(|n| matches!(n, Node::Binary(_))) {
                            let p = self.path.clone();
                            self.report(
                                "XSD-TEXTE",
                                p,
                                format!("L'élément {} ne doit contenir que des éléments, pas de texte.", e.name),
                            );
                        }
                        self.content(model, e);
                    }
                }
            }
        }
    }

    fn no_child_elements(&mut self, e: &Element) {
        for c in e.elements() {
            let p = format!("{}/{}", self.path, c.name);
            self.report(
                "XSD-INATT",
                p,
                format!("L'élément {} n'est pas attendu : {} ne contient pas d'élément.", c.name, e.name),
            );
        }
    }

    fn attributes(&mut self, e: &Element, decls: &'static [super::xsd::AttributeDecl]) {
        for a in &e.attributes {
            if a.ns.as_deref() == Some(XSI) && matches!(a.name.as_str(), "schemaLocation" | "noNamespaceSchemaLocation")
            {
                continue;
            }
            match decls.iter().find(|d| d.ns == a.ns.as_deref() && d.name == a.name) {
                Some(d) => {
                    if let Some(fixed) = d.fixed {
                        if a.value != fixed {
                            let p = format!("{}/@{}", self.path, a.name);
                            self.report(
                                "XSD-ATTR",
                                p,
                                format!("L'attribut {} de l'élément {} doit valoir {fixed}.", a.name, e.name),
                            );
                        }
                    }
                    self.value(d.ty, &a.value, Some(&a.name), &e.name);
                }
                None => {
                    let p = format!("{}/@{}", self.path, a.name);
                    let hint = if a.name == "modifie" && a.ns.is_none() {
                        " (l'attribut modifie doit être qualifié par l'espace de noms du fichier)"
                    } else {
                        ""
                    };
                    self.report(
                        "XSD-ATTR",
                        p,
                        format!("L'attribut {} n'est pas autorisé sur l'élément {}{hint}.", a.name, e.name),
                    );
                }
            }
        }
        for d in decls.iter().filter(|d| d.required) {
            if !e.attributes.iter().any(|a| a.ns.as_deref() == d.ns && a.name == d.name) {
                let p = format!("{}/@{}", self.path, d.name);
                self.report(
                    "XSD-ATTR",
                    p,
                    format!("L'attribut obligatoire {} est absent de l'élément {}.", d.name, e.name),
                );
            }
        }
    }

    /// Checks a simple value: the text of the current element, or its attribute `attr`.
    fn value(&mut self, st: &'static SimpleType, raw: &str, attr: Option<&str>, element: &str) {
        // Paths and subjects are only built when something is reported: valid files (the
        // common case) cost no allocation here.
        let path = |w: &Self| match attr {
            Some(a) => format!("{}/@{a}", w.path),
            None => w.path.clone(),
        };
        let subject = || match attr {
            Some(a) => format!("L'attribut {a} de l'élément {element}"),
            None => format!("L'élément {element}"),
        };
        let subject_value = || match attr {
            Some(a) => format!("La valeur de l'attribut {a} de l'élément {element}"),
            None => format!("La valeur de l'élément {element}"),
        };
        let collapsed;
        let v: &str = match st.base {
            Builtin::String | Builtin::AnySimple => raw,
            _ => {
                collapsed = lexical::collapse(raw);
                &collapsed
            }
        };
        let mut number: Option<i64> = None;
        let format_ok = match st.base {
            Builtin::String | Builtin::AnySimple => true,
            Builtin::Int => {
                number = lexical::parse_int(v).map(i64::from);
                number.is_some()
            }
            Builtin::Long => {
                number = lexical::parse_long(v);
                number.is_some()
            }
            Builtin::Boolean => lexical::parse_boolean(v).is_some(),
            Builtin::Date => lexical::parse_date(v).is_some(),
            Builtin::DateTime => lexical::parse_datetime(v).is_some(),
            Builtin::Base64 => is_base64(v),
        };
        if !format_ok {
            let expected = match st.base {
                Builtin::Int => "un entier sur 32 bits",
                Builtin::Long => "un entier sur 64 bits",
                Builtin::Boolean => "un booléen (true, false, 1 ou 0)",
                Builtin::Date => "une date AAAA-MM-JJ valide",
                Builtin::DateTime => "une date et heure AAAA-MM-JJThh:mm:ss valide",
                _ => "une valeur base64",
            };
            self.report(
                "XSD-FORMAT",
                path(self),
                format!("{} doit être {expected} ({}).", subject_value(), st.base.xsd_name()),
            );
            return;
        }
        if !st.enumeration.is_empty() && !st.enumeration.contains(&v) {
            self.report(
                "XSD-ENUM",
                path(self),
                format!("{} doit être l'une des valeurs : {}.", subject_value(), st.enumeration.join(", ")),
            );
        }
        if let Some(max) = st.max_length {
            let len = lexical::char_len(v);
            if len > max as usize {
                self.report(
                    "XSD-LONG",
                    path(self),
                    format!("{} dépasse la longueur maximale de {max} caractères ({len}).", subject()),
                );
            }
        }
        if let Some(pattern) = st.pattern {
            if !pattern.is_match(v) {
                self.report(
                    "XSD-MOTIF",
                    path(self),
                    format!("{} ne respecte pas le motif {} ({}).", subject_value(), pattern.xsd, st.name),
                );
            }
        }
        if let Some(n) = number {
            let below = st.min_inclusive.is_some_and(|m| n < m);
            let above = st.max_inclusive.is_some_and(|m| n > m);
            if below || above {
                let bounds = match (st.min_inclusive, st.max_inclusive) {
                    (Some(a), Some(b)) => format!("comprise entre {a} et {b}"),
                    (Some(a), None) => format!("supérieure ou égale à {a}"),
                    (None, Some(b)) => format!("inférieure ou égale à {b}"),
                    (None, None) => unreachable!(),
                };
                let p = path(self);
                self.report("XSD-BORNE", p, format!("{} doit être {bounds}.", subject_value()));
            }
        }
    }

    /// Matches the children of `e` against `model`.
    fn content(&mut self, model: &'static Particle, e: &Element) {
        let mut k =
            Kids { kids: e.elements().collect(), pos: 0, parent_len: self.path.len(), parent_name: &e.name, model };
        self.particle(model, &mut k, &Follow::NONE);
        while k.pos < k.kids.len() {
            let c = k.kids[k.pos];
            self.unexpected(&k, c);
            k.pos += 1;
        }
    }

    /// An element the model does not take here: the message says which elements the parent takes,
    /// in their order, and when the element exists only in the other interface version.
    fn unexpected(&mut self, k: &Kids<'_>, c: &Element) {
        if self.out.len() >= MAX_ANOMALIES {
            // Only counted: a flood of unknown elements must not cost a message each.
            self.omitted += 1;
            return;
        }
        let model = k.model;
        let p = self.child_path(k, &c.name, None);
        let why = match &c.ns {
            Some(ns) if &**ns == self.ns => String::new(),
            Some(ns) => format!(" (espace de noms {ns} au lieu de {})", self.ns),
            None => format!(" (sans espace de noms au lieu de {})", self.ns),
        };
        let mut decls = Vec::new();
        model.elements(&mut decls);
        let mut noms: Vec<&str> = Vec::new();
        for d in decls {
            if !noms.contains(&d.name) {
                noms.push(d.name);
            }
        }
        const LISTES: usize = 25;
        let mut liste = noms.iter().take(LISTES).copied().collect::<Vec<_>>().join(", ");
        if noms.len() > LISTES {
            liste.push_str(&format!(", et {} autres", noms.len() - LISTES));
        }
        let seulement_0201 = self.version == "02.00"
            && !noms.contains(&c.name.as_str())
            && PAIRES_0201.contains(&(k.parent_name, c.name.as_str()));
        let message = if seulement_0201 {
            format!(
                "L'élément {} n'existe qu'en version 02.01 de l'interface ; ce fichier est en 02.00 (versionInterface). Éléments de {} en 02.00, dans cet ordre : {liste}.",
                c.name, k.parent_name
            )
        } else if noms.contains(&c.name.as_str()) && why.is_empty() {
            format!(
                "L'élément {} n'est pas à sa place dans {} (répété, ou hors de l'ordre du schéma). Éléments de {}, dans cet ordre : {liste}.",
                c.name, k.parent_name, k.parent_name
            )
        } else {
            format!(
                "L'élément {} n'est pas attendu à cet endroit dans {}{why}. Éléments de {}, dans cet ordre : {liste}.",
                c.name, k.parent_name, k.parent_name
            )
        };
        self.report("XSD-INATT", p, message);
    }

    fn particle(&mut self, p: &'static Particle, k: &mut Kids<'_>, follow: &Follow<'_>) {
        match p {
            Particle::Element(decl) => self.element_particle(decl, k, follow),
            Particle::Sequence(g) => self.sequence(p, g, k, follow),
            Particle::Choice(g) => self.choice(p, g, k, follow),
        }
    }

    fn element_particle(&mut self, decl: &'static ElementDecl, k: &mut Kids<'_>, follow: &Follow<'_>) {
        let mut count: u32 = 0;
        while let Some(&c) = k.kids.get(k.pos) {
            let key = self.key(c);
            if key == Some(decl.name) {
                if decl.max.allows_more(count) {
                    count += 1;
                    let len = self.path.len();
                    self.path.push('/');
                    self.path.push_str(decl.name);
                    if decl.indexed() {
                        let _ = write!(self.path, "[{count}]");
                    }
                    self.element(decl, c);
                    self.path.truncate(len);
                    k.pos += 1;
                    continue;
                }
                if follow.contains(decl.name) {
                    break;
                }
                count += 1;
                let p = self.child_path(k, decl.name, decl.indexed().then_some(count));
                let max = match decl.max {
                    Max::Bounded(m) => m,
                    Max::Unbounded => u32::MAX,
                };
                self.report(
                    "XSD-TROP",
                    p,
                    format!("L'élément {} apparaît plus de {max} fois dans {}.", decl.name, k.parent_name),
                );
                k.pos += 1;
                continue;
            }
            if key.is_some_and(|n| follow.contains(n)) {
                break;
            }
            self.unexpected(k, c);
            k.pos += 1;
        }
        if count < decl.min {
            let p = self.child_path(k, decl.name, decl.indexed().then_some(count + 1));
            self.report(
                "XSD-ABSENT",
                p,
                format!("L'élément obligatoire {} est absent de {}.", decl.name, k.parent_name),
            );
        }
    }

    fn sequence(&mut self, me: &'static Particle, g: &'static ModelGroup, k: &mut Kids<'_>, follow: &Follow<'_>) {
        let mut reps: u32 = 0;
        loop {
            let next = k.kids.get(k.pos).and_then(|c| self.key(c));
            let starts = next.is_some_and(|n| g.sequence_starts_with(n));
            if reps >= g.min && !starts {
                break;
            }
            if reps > 0 && !g.max.allows_more(reps) {
                break;
            }
            let before = k.pos;
            for (i, item) in g.items.iter().enumerate() {
                let f = Follow {
                    items: &g.items[i + 1..],
                    skip: None,
                    repeat: g.max.is_many().then_some(me),
                    up: Some(follow),
                };
                self.particle(item, k, &f);
            }
            reps += 1;
            // A repetition that consumed nothing would loop forever.
            if k.pos == before {
                break;
            }
        }
    }

    fn choice(&mut self, me: &'static Particle, g: &'static ModelGroup, k: &mut Kids<'_>, follow: &Follow<'_>) {
        let mut count: u32 = 0;
        let mut reported_extra = false;
        while let Some(&c) = k.kids.get(k.pos) {
            let Some(name) = self.key(c) else {
                if count > 0 && !g.max.allows_more(count) {
                    break;
                }
                self.unexpected(k, c);
                k.pos += 1;
                continue;
            };
            let branch = g
                .items
                .iter()
                .position(|b| b.starts_with(name))
                .or_else(|| g.items.iter().position(|b| b.mentions(name)));
            let Some(b) = branch else {
                if follow.contains(name) || count > 0 {
                    break;
                }
                self.unexpected(k, c);
                k.pos += 1;
                continue;
            };
            if !g.max.allows_more(count) {
                if follow.contains(name) {
                    break;
                }
                if !reported_extra {
                    reported_extra = true;
                    let p = self.child_path(k, name, None);
                    self.report(
                        "XSD-CHOIX",
                        p,
                        format!(
                            "L'élément {} ne doit contenir qu'un seul élément parmi {} : {name} est en trop.",
                            k.parent_name,
                            branch_names(g)
                        ),
                    );
                }
                k.pos += 1;
                continue;
            }
            let f = Follow { items: g.items, skip: Some(b), repeat: g.max.is_many().then_some(me), up: Some(follow) };
            let before = k.pos;
            self.particle(&g.items[b], k, &f);
            count += 1;
            if k.pos == before {
                break;
            }
        }
        if count < g.min && !g.items.iter().any(Particle::emptiable) {
            // Reported on the parent: no single missing element can be named.
            let p = self.path[..k.parent_len].to_string();
            self.report(
                "XSD-CHOIX",
                p,
                format!("L'élément {} doit contenir un élément parmi {}.", k.parent_name, branch_names(g)),
            );
        }
    }
}

/// The character data of `e`, borrowed in the usual case of a single text node.
fn text_of(e: &Element) -> std::borrow::Cow<'_, str> {
    match e.children.as_slice() {
        [] => std::borrow::Cow::Borrowed(""),
        [Node::Text(t)] => std::borrow::Cow::Borrowed(t),
        _ => std::borrow::Cow::Owned(e.text()),
    }
}

fn branch_names(g: &ModelGroup) -> String {
    g.items
        .iter()
        .map(|b| match b {
            Particle::Element(e) => e.name.to_string(),
            Particle::Sequence(s) | Particle::Choice(s) => match s.group {
                Some(n) => format!("{n} ({})", s.items.iter().map(Particle::first_name).collect::<Vec<_>>().join(", ")),
                None => b.first_name().to_string(),
            },
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn is_base64(v: &str) -> bool {
    use base64::Engine;
    let compact: String = v.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(compact).is_ok()
}
