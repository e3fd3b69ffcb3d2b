//! Emits the typed Rust view of a schema model: one struct per complex type, one enum per
//! choice, with `FromXml` (reading a validated tree) and `WriteXml` (writing it back).
//!
//! Naming is mechanical: a type `t_demandeLogement` becomes `DemandeLogement` (prefix `t_`
//! dropped, UpperCamelCase), the inline type of global element `interfaceNuu` becomes
//! `InterfaceNuu`, an element `numGuichet` becomes field `num_guichet`. A choice between groups
//! is named after what the group names share, without "groupe" (`groupeLocalite` |
//! `groupeLocaliteEtranger` -> `Localite`); a choice between elements joins their names with
//! "Ou" (`AssociationOuPersonnePhysique`). Simple-content types whose only attribute is the
//! global `modifie` are `Valeur<T>`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use super::model::{ContentDef, ElemDef, GroupDef, Model, PDef, SimpleRef, TyDef};
use crate::contract::xsd::{Builtin, Max};

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in",
    "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait",
    "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box", "do",
    "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// `numUniqueAssocie` -> `num_unique_associe`, `attribueEnComDALO` -> `attribue_en_com_dalo`.
pub fn snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut s = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_ascii_uppercase() => next.is_some_and(|n| n.is_ascii_lowercase()),
                _ => false,
            };
            if boundary && !s.ends_with('_') {
                s.push('_');
            }
            s.push(c.to_ascii_lowercase());
        } else {
            s.push(c);
        }
    }
    let s = s.trim_matches('_').to_string();
    if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// `doublon_demandeur` -> `DoublonDemandeur`.
pub fn upper_camel(name: &str) -> String {
    name.split('_')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn rust_simple(b: Builtin) -> &'static str {
    match b {
        Builtin::String | Builtin::AnySimple | Builtin::Base64 => "String",
        Builtin::Int => "i32",
        Builtin::Long => "i64",
        Builtin::Boolean => "bool",
        Builtin::Date => "XsDate",
        Builtin::DateTime => "XsDateTime",
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Card {
    One,
    Opt,
    Many,
}

fn card(min: u32, max: Max) -> Card {
    if max.is_many() {
        Card::Many
    } else if min == 0 {
        Card::Opt
    } else {
        Card::One
    }
}

fn card_str(min: u32, max: Max) -> String {
    match max {
        Max::Bounded(m) => format!("{min}..{m}"),
        Max::Unbounded => format!("{min}..n"),
    }
}

fn wrap(ty: &str, c: Card) -> String {
    match c {
        Card::One => ty.to_string(),
        Card::Opt => format!("Option<{ty}>"),
        Card::Many => format!("Vec<{ty}>"),
    }
}

/// A field of a struct or of a struct variant.
#[derive(Clone)]
enum Field {
    Attr { rust: String, xml: String, qualified: bool, ty: &'static str, required: bool, doc: String },
    Elem { rust: String, xml: String, ty: String, card: Card, doc: String },
    Choice { rust: String, ty: String, card: Card, doc: String },
    Text { ty: &'static str },
}

impl Field {
    fn rust(&self) -> &str {
        match self {
            Field::Attr { rust, .. } | Field::Elem { rust, .. } | Field::Choice { rust, .. } => rust,
            Field::Text { .. } => "valeur",
        }
    }
    fn decl(&self) -> (String, String) {
        match self {
            Field::Attr { ty, required, doc, .. } => {
                (doc.clone(), if *required { ty.to_string() } else { format!("Option<{ty}>") })
            }
            Field::Elem { ty, card, doc, .. } | Field::Choice { ty, card, doc, .. } => (doc.clone(), wrap(ty, *card)),
            Field::Text { ty } => ("The element's value.".to_string(), ty.to_string()),
        }
    }
    fn read(&self) -> String {
        match self {
            Field::Attr { xml, qualified, required, .. } => {
                let ns = if *qualified { "Some(NS_FICHIER)" } else { "None" };
                if *required {
                    format!("attr(e, {ns}, {xml:?}).unwrap_or_default()")
                } else {
                    format!("attr(e, {ns}, {xml:?})")
                }
            }
            Field::Elem { xml, card, .. } => match card {
                Card::One => format!("c.one({xml:?})"),
                Card::Opt => format!("c.opt({xml:?})"),
                Card::Many => format!("c.many({xml:?})"),
            },
            Field::Choice { card, .. } => match card {
                Card::One => "c.choice()".to_string(),
                Card::Opt => "c.choice_opt()".to_string(),
                Card::Many => "c.choice_many()".to_string(),
            },
            Field::Text { ty } => format!("<{ty} as SimpleValue>::from_lexical(&e.text())"),
        }
    }
    fn write(&self, value: &str) -> String {
        match self {
            Field::Attr { xml, qualified, required, .. } => {
                let ns = if *qualified { "Some(NS_FICHIER)" } else { "None" };
                if *required {
                    format!("w.attr_str({ns}, {xml:?}, &{value}.to_lexical());")
                } else {
                    format!("w.attr({ns}, {xml:?}, &{value});")
                }
            }
            Field::Elem { xml, .. } => format!("{value}.write_xml(w, {xml:?});"),
            Field::Choice { .. } => format!("{value}.write_choice(w);"),
            Field::Text { .. } => format!("w.text(&{value}.to_lexical());"),
        }
    }
    /// The struct or enum named by this field, for the recursion check.
    fn named_type(&self) -> Option<(&str, Card)> {
        match self {
            Field::Elem { ty, card, .. } | Field::Choice { ty, card, .. } => Some((ty, *card)),
            _ => None,
        }
    }
}

enum VariantKind {
    Tuple { xml: String, ty: String, card: Card },
    Struct { fields: Vec<Field> },
}

struct Variant {
    name: String,
    doc: String,
    first: Vec<String>,
    kind: VariantKind,
}

struct EnumDef {
    name: String,
    doc: String,
    variants: Vec<Variant>,
}

struct StructDef {
    name: String,
    doc: String,
    names: Vec<String>,
    fields: Vec<Field>,
}

enum Repr {
    Valeur(&'static str),
    Struct(String),
}

struct Gen<'m> {
    model: &'m Model,
    repr: Vec<Repr>,
    enums: BTreeMap<String, (EnumDef, String)>,
    enum_order: Vec<String>,
}

fn type_name(model: &Model, ty: TyDef) -> String {
    match ty {
        TyDef::Simple(SimpleRef::Builtin(b)) => b.xsd_name().to_string(),
        TyDef::Simple(SimpleRef::Named(i)) => model.simple[i].name.clone(),
        TyDef::Complex(i) => model.complex[i].name.clone(),
    }
}

fn mentions(p: &PDef, out: &mut Vec<String>) {
    match p {
        PDef::Element(e) => {
            if !out.contains(&e.name) {
                out.push(e.name.clone());
            }
        }
        PDef::Sequence(g) | PDef::Choice(g) => g.items.iter().for_each(|i| mentions(i, out)),
    }
}

fn emptiable(p: &PDef) -> bool {
    match p {
        PDef::Element(e) => e.min == 0,
        PDef::Sequence(g) => g.min == 0 || g.items.iter().all(emptiable),
        PDef::Choice(g) => g.min == 0 || g.items.iter().any(emptiable),
    }
}

fn first_set(p: &PDef, out: &mut Vec<String>) {
    match p {
        PDef::Element(e) => out.push(e.name.clone()),
        PDef::Choice(g) => g.items.iter().for_each(|i| first_set(i, out)),
        PDef::Sequence(g) => {
            for i in &g.items {
                first_set(i, out);
                if !emptiable(i) {
                    break;
                }
            }
        }
    }
}

fn common_prefix(names: &[String]) -> String {
    let first = &names[0];
    let mut n = first.len();
    for other in &names[1..] {
        n = n.min(first.bytes().zip(other.bytes()).take_while(|(a, b)| a == b).count());
    }
    first[..n].to_string()
}

impl Gen<'_> {
    fn occ_type(&self, e: &ElemDef) -> String {
        match e.ty {
            TyDef::Simple(r) => rust_simple(self.model.simple_base(r)).to_string(),
            TyDef::Complex(i) => match &self.repr[i] {
                Repr::Valeur(t) => format!("Valeur<{t}>"),
                Repr::Struct(n) => n.clone(),
            },
        }
    }

    fn elem_field(&self, e: &ElemDef) -> Field {
        Field::Elem {
            rust: snake(&e.name),
            xml: e.name.clone(),
            ty: self.occ_type(e),
            card: card(e.min, e.max),
            doc: format!("Element `{}` ({}), {}.", e.name, type_name(self.model, e.ty), card_str(e.min, e.max)),
        }
    }

    fn fields(&mut self, p: &PDef, owner: &str, out: &mut Vec<Field>) -> Result<(), String> {
        match p {
            PDef::Element(e) => out.push(self.elem_field(e)),
            PDef::Sequence(g) if g.min == 1 && g.max == Max::Bounded(1) => {
                for i in &g.items {
                    self.fields(i, owner, out)?;
                }
            }
            PDef::Sequence(_) => return Err(format!("{owner} : séquence répétée ou optionnelle non prise en charge")),
            PDef::Choice(g) => {
                let name = self.choice_enum(g, owner)?;
                let alternatives: Vec<String> = g
                    .items
                    .iter()
                    .map(|b| match b {
                        PDef::Element(e) => format!("`{}`", e.name),
                        PDef::Sequence(s) | PDef::Choice(s) => {
                            format!("group `{}`", s.group.as_deref().unwrap_or("(anonyme)"))
                        }
                    })
                    .collect();
                out.push(Field::Choice {
                    rust: snake(&name),
                    ty: name,
                    card: card(g.min, g.max),
                    doc: format!("Choice between {}, {}.", alternatives.join(" and "), card_str(g.min, g.max)),
                });
            }
        }
        Ok(())
    }

    fn choice_enum(&mut self, g: &GroupDef, owner: &str) -> Result<String, String> {
        let group_names: Vec<String> = g
            .items
            .iter()
            .filter_map(|b| match b {
                PDef::Sequence(s) => s.group.clone(),
                _ => None,
            })
            .collect();
        let name = if group_names.len() == g.items.len() && !common_prefix(&group_names).is_empty() {
            upper_camel(&common_prefix(&group_names)).replace("Groupe", "")
        } else {
            g.items
                .iter()
                .enumerate()
                .map(|(i, b)| match b {
                    PDef::Element(e) => upper_camel(&e.name),
                    PDef::Sequence(s) | PDef::Choice(s) => {
                        s.group.as_deref().map(upper_camel).unwrap_or_else(|| format!("Branche{}", i + 1))
                    }
                })
                .collect::<Vec<_>>()
                .join("Ou")
        };
        let mut variants = Vec::new();
        for (i, b) in g.items.iter().enumerate() {
            let mut first = Vec::new();
            first_set(b, &mut first);
            let v = match b {
                PDef::Element(e) => Variant {
                    name: upper_camel(&e.name),
                    doc: format!("Branch `{}`.", e.name),
                    first,
                    kind: VariantKind::Tuple { xml: e.name.clone(), ty: self.occ_type(e), card: card(e.min, e.max) },
                },
                PDef::Sequence(s) if s.min == 1 && s.max == Max::Bounded(1) => {
                    let mut fields = Vec::new();
                    for item in &s.items {
                        self.fields(item, owner, &mut fields)?;
                    }
                    let vname = s.group.as_deref().map(upper_camel).unwrap_or_else(|| format!("Branche{}", i + 1));
                    Variant {
                        name: vname,
                        doc: match &s.group {
                            Some(n) => format!("Branch group `{n}`."),
                            None => format!("Branch {}.", i + 1),
                        },
                        first,
                        kind: VariantKind::Struct { fields },
                    }
                }
                _ => return Err(format!("{owner} : branche de choix non prise en charge")),
            };
            variants.push(v);
        }
        let doc = format!(
            "A choice between {}.",
            variants.iter().map(|v| format!("`{}`", v.name)).collect::<Vec<_>>().join(" | ")
        );
        let def = EnumDef { name: name.clone(), doc, variants };
        let src = self.emit_enum(&def);
        match self.enums.get(&name) {
            Some((_, existing)) if !same_body(existing, &src) => {
                return Err(format!("deux choix différents portent le nom {name}"));
            }
            Some(_) => {}
            None => {
                self.enum_order.push(name.clone());
                self.enums.insert(name.clone(), (def, src));
            }
        }
        Ok(name)
    }

    fn emit_enum(&self, d: &EnumDef) -> String {
        let mut o = String::new();
        let _ = writeln!(o, "/// {}", d.doc);
        o.push_str("#[derive(Debug, Clone, PartialEq)]\n");
        let _ = writeln!(o, "pub enum {} {{", d.name);
        for v in &d.variants {
            let _ = writeln!(o, "    /// {}", v.doc);
            match &v.kind {
                VariantKind::Tuple { ty, card, .. } => {
                    let _ = writeln!(o, "    {}({}),", v.name, wrap(ty, *card));
                }
                VariantKind::Struct { fields } => {
                    let _ = writeln!(o, "    {} {{", v.name);
                    for f in fields {
                        let (doc, ty) = f.decl();
                        let _ = writeln!(o, "        /// {doc}\n        {}: {ty},", f.rust());
                    }
                    o.push_str("    },\n");
                }
            }
        }
        o.push_str("}\n\n");
        let _ = writeln!(o, "impl Default for {} {{", d.name);
        o.push_str("    fn default() -> Self {\n");
        let v0 = &d.variants[0];
        match &v0.kind {
            VariantKind::Tuple { .. } => {
                let _ = writeln!(o, "        {}::{}(Default::default())", d.name, v0.name);
            }
            VariantKind::Struct { fields } => {
                let inits: Vec<String> = fields.iter().map(|f| format!("{}: Default::default()", f.rust())).collect();
                let _ = writeln!(o, "        {}::{} {{ {} }}", d.name, v0.name, inits.join(", "));
            }
        }
        o.push_str("    }\n}\n\n");
        let _ = writeln!(o, "impl ReadChoice for {} {{", d.name);
        let all: BTreeSet<&str> = d.variants.iter().flat_map(|v| v.first.iter().map(String::as_str)).collect();
        let pats: Vec<String> = all.iter().map(|n| format!("{n:?}")).collect();
        let _ =
            writeln!(o, "    fn starts(name: &str) -> bool {{\n        matches!(name, {})\n    }}", pats.join(" | "));
        o.push_str("    fn read(c: &mut Cursor<'_>) -> Self {\n        match c.peek() {\n");
        let read_variant = |v: &Variant| -> String {
            match &v.kind {
                VariantKind::Tuple { xml, card, .. } => {
                    let f = match card {
                        Card::One => "one",
                        Card::Opt => "opt",
                        Card::Many => "many",
                    };
                    format!("{}::{}(c.{f}({xml:?}))", d.name, v.name)
                }
                VariantKind::Struct { fields } => {
                    let inits: Vec<String> = fields.iter().map(|f| format!("{}: {}", f.rust(), f.read())).collect();
                    format!("{}::{} {{ {} }}", d.name, v.name, inits.join(", "))
                }
            }
        };
        for v in d.variants.iter().skip(1) {
            let pats: Vec<String> = v.first.iter().map(|n| format!("Some({n:?})")).collect();
            let _ = writeln!(o, "            {} => {},", pats.join(" | "), read_variant(v));
        }
        let _ = writeln!(o, "            _ => {},", read_variant(v0));
        o.push_str("        }\n    }\n}\n\n");
        let _ = writeln!(o, "impl WriteChoice for {} {{", d.name);
        o.push_str("    fn write_choice(&self, w: &mut Writer) {\n        match self {\n");
        for v in &d.variants {
            match &v.kind {
                VariantKind::Tuple { xml, .. } => {
                    let _ = writeln!(o, "            {}::{}(v) => v.write_xml(w, {xml:?}),", d.name, v.name);
                }
                VariantKind::Struct { fields } => {
                    let names: Vec<&str> = fields.iter().map(Field::rust).collect();
                    let _ = writeln!(o, "            {}::{} {{ {} }} => {{", d.name, v.name, names.join(", "));
                    for f in fields {
                        let _ = writeln!(o, "                {}", f.write(f.rust()));
                    }
                    o.push_str("            }\n");
                }
            }
        }
        o.push_str("        }\n    }\n}\n");
        o
    }
}

/// True when two emitted enums differ only in their first doc line (the owner type).
fn same_body(a: &str, b: &str) -> bool {
    let body = |s: &str| s.split_once('\n').map(|(_, rest)| rest.to_string()).unwrap_or_default();
    body(a) == body(b)
}

/// Rust source of the typed view of `model`.
pub fn emit(model: &Model, header: &str) -> Result<String, String> {
    let mut repr = Vec::new();
    let mut struct_names: HashMap<String, String> = HashMap::new();
    for c in &model.complex {
        let modifie_only = c.attributes.iter().all(|a| a.qualified && a.name == "modifie");
        let r = match c.content {
            ContentDef::Simple(s) if modifie_only => Repr::Valeur(rust_simple(model.simple_base(s))),
            _ => {
                let base = if c.anonymous { c.name.as_str() } else { c.name.strip_prefix("t_").unwrap_or(&c.name) };
                let n = upper_camel(base);
                if let Some(prev) = struct_names.insert(n.clone(), c.name.clone()) {
                    return Err(format!("les types {prev} et {} donnent le même nom Rust {n}", c.name));
                }
                Repr::Struct(n)
            }
        };
        repr.push(r);
    }
    let mut g = Gen { model, repr, enums: BTreeMap::new(), enum_order: Vec::new() };
    let mut structs = Vec::new();
    for (i, c) in model.complex.iter().enumerate() {
        let Repr::Struct(name) = &g.repr[i] else { continue };
        let name = name.clone();
        let mut fields = Vec::new();
        for a in &c.attributes {
            let ty = rust_simple(model.simple_base(a.ty));
            fields.push(Field::Attr {
                rust: snake(&a.name),
                xml: a.name.clone(),
                qualified: a.qualified,
                ty,
                required: a.required,
                doc: format!(
                    "Attribute `{}{}`{}.",
                    if a.qualified { "ns2:" } else { "" },
                    a.name,
                    if a.required { " (required)" } else { "" }
                ),
            });
        }
        let mut names = Vec::new();
        match &c.content {
            ContentDef::Empty => {}
            ContentDef::Simple(s) => fields.push(Field::Text { ty: rust_simple(model.simple_base(*s)) }),
            ContentDef::Elements(p) => {
                mentions(p, &mut names);
                g.fields(p, &c.name, &mut fields)?;
            }
        }
        let mut seen = BTreeSet::new();
        for f in &fields {
            if !seen.insert(f.rust().to_string()) {
                return Err(format!("type {} : deux champs s'appellent {}", c.name, f.rust()));
            }
        }
        let doc = if c.anonymous {
            format!("Inline type of global element `{}`.", c.name)
        } else {
            format!("Type `{}`.", c.name)
        };
        structs.push(StructDef { name, doc, names, fields });
    }
    box_recursion(&mut structs);

    let mut o = String::new();
    o.push_str(header);
    // One variant per branch mirrors the schema; boxing the big ones would only burden readers.
    o.push_str("#![allow(clippy::large_enum_variant)]\n\n");
    o.push_str("use crate::contract::runtime::*;\n");
    // Only the global `modifie` attribute is qualified; files without it never name the namespace.
    if structs.iter().flat_map(|s| &s.fields).any(|f| matches!(f, Field::Attr { qualified: true, .. })) {
        o.push_str("use crate::contract::NS_FICHIER;\n");
    }
    o.push_str("use crate::xml::Element;\n");
    for s in &structs {
        o.push('\n');
        let _ = writeln!(o, "/// {}", s.doc);
        o.push_str("#[derive(Debug, Clone, PartialEq, Default)]\n");
        let _ = writeln!(o, "pub struct {} {{", s.name);
        for f in &s.fields {
            let (doc, ty) = f.decl();
            let _ = writeln!(o, "    /// {doc}\n    pub {}: {ty},", f.rust());
        }
        o.push_str("}\n\n");
        let _ = writeln!(o, "impl FromXml for {} {{", s.name);
        o.push_str("    fn from_xml(e: &Element) -> Self {\n");
        if !s.names.is_empty() {
            let names: Vec<String> = s.names.iter().map(|n| format!("{n:?}")).collect();
            let _ = writeln!(o, "        let mut c = Cursor::new(e, &[{}]);", names.join(", "));
        }
        let _ = writeln!(o, "        {} {{", s.name);
        for f in &s.fields {
            let _ = writeln!(o, "            {}: {},", f.rust(), f.read());
        }
        o.push_str("        }\n    }\n}\n\n");
        let _ = writeln!(o, "impl WriteXml for {} {{", s.name);
        o.push_str("    fn write_xml(&self, w: &mut Writer, name: &str) {\n        w.start(name);\n");
        for f in &s.fields {
            let _ = writeln!(o, "        {}", f.write(&format!("self.{}", f.rust())));
        }
        o.push_str("        w.end(name);\n    }\n}\n");
    }
    for name in &g.enum_order {
        o.push('\n');
        o.push_str(&g.enums[name].1);
    }
    Ok(o)
}

/// Boxes struct fields whose type contains the struct again (a recursive schema type).
fn box_recursion(structs: &mut [StructDef]) {
    let edges: HashMap<String, Vec<String>> = structs
        .iter()
        .map(|s| {
            let targets = s
                .fields
                .iter()
                .filter_map(|f| f.named_type())
                .filter(|(_, c)| *c != Card::Many)
                .map(|(t, _)| t.to_string())
                .collect();
            (s.name.clone(), targets)
        })
        .collect();
    let reaches = |from: &str, to: &str| -> bool {
        let mut stack = vec![from.to_string()];
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n.clone()) {
                if let Some(next) = edges.get(&n) {
                    stack.extend(next.iter().cloned());
                }
            }
        }
        false
    };
    for s in structs.iter_mut() {
        let owner = s.name.clone();
        for f in s.fields.iter_mut() {
            if let Field::Elem { ty, card, .. } = f {
                if *card != Card::Many && edges.contains_key(ty.as_str()) && reaches(ty, &owner) {
                    *ty = format!("Box<{ty}>");
                }
            }
        }
    }
}
