//! Emits schema models as static `xsd` descriptors (Rust source), and builds the same
//! descriptors at run time for tests (leaked, so they are `'static` like the generated ones).
//!
//! The interface versions' schemas differ in a few types only, so each descriptor is emitted per
//! version as text first; those identical in every version (and referring only to such) go once
//! into a common module, and each version file keeps the rest and its `SCHEMA` root.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use super::model::{AttrDef, ContentDef, ElemDef, GroupDef, Model, PDef, SimpleRef, TyDef};
use crate::contract::xsd::{
    AttributeDecl, Builtin, ComplexType, Content, ElementDecl, Max, ModelGroup, Particle, Pattern, Schema, SimpleType,
    TypeRef,
};

/// Translates an XSD regular expression into an anchored Rust `regex` one.
///
/// XSD patterns are implicitly anchored and have no `^`/`$` anchors (they are literal
/// characters); `.` excludes CR as well as LF; the XML-name escapes (`\i`, `\c`...) and
/// character-class subtraction are refused since no schema of the contract needs them.
pub fn translate_pattern(xsd: &str) -> Result<String, String> {
    let mut out = String::from("^(?:");
    let mut chars = xsd.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let n = chars.next().ok_or_else(|| format!("motif {xsd} : \\ final"))?;
                match n {
                    'i' | 'I' | 'c' | 'C' => return Err(format!("motif {xsd} : échappement \\{n} non pris en charge")),
                    'p' | 'P' => {
                        let mut prop = String::new();
                        for x in chars.by_ref() {
                            prop.push(x);
                            if x == '}' {
                                break;
                            }
                        }
                        if prop.starts_with("{Is") {
                            return Err(format!("motif {xsd} : blocs Unicode non pris en charge"));
                        }
                        out.push('\\');
                        out.push(n);
                        out.push_str(&prop);
                    }
                    _ => {
                        out.push('\\');
                        out.push(n);
                    }
                }
            }
            '[' if in_class => return Err(format!("motif {xsd} : soustraction de classes non prise en charge")),
            '[' => {
                in_class = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().unwrap_or('^'));
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            // Rust's class syntax gives these a meaning (set operations); XSD does not.
            '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            '-' if in_class && chars.peek() == Some(&'[') => {
                return Err(format!("motif {xsd} : soustraction de classes non prise en charge"))
            }
            '.' if !in_class => out.push_str("[^\\n\\r]"),
            '^' | '$' if !in_class => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out.push_str(")$");
    regex::Regex::new(&out).map_err(|e| format!("motif {xsd} : traduction invalide ({e})"))?;
    Ok(out)
}

fn ident(prefix: &str, name: &str) -> String {
    let mut s = String::from(prefix);
    for c in name.chars() {
        s.push(if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' });
    }
    s
}

fn max_src(m: Max) -> String {
    match m {
        Max::Bounded(n) => format!("Max::Bounded({n})"),
        Max::Unbounded => "Max::Unbounded".to_string(),
    }
}

fn builtin_static(b: Builtin) -> &'static str {
    match b {
        Builtin::String => "XS_STRING",
        Builtin::Int => "XS_INT",
        Builtin::Long => "XS_LONG",
        Builtin::Boolean => "XS_BOOLEAN",
        Builtin::Date => "XS_DATE",
        Builtin::DateTime => "XS_DATETIME",
        Builtin::AnySimple => "XS_ANYSIMPLETYPE",
        Builtin::Base64 => "XS_BASE64BINARY",
    }
}

fn builtin_variant(b: Builtin) -> &'static str {
    match b {
        Builtin::String => "Builtin::String",
        Builtin::Int => "Builtin::Int",
        Builtin::Long => "Builtin::Long",
        Builtin::Boolean => "Builtin::Boolean",
        Builtin::Date => "Builtin::Date",
        Builtin::DateTime => "Builtin::DateTime",
        Builtin::AnySimple => "Builtin::AnySimple",
        Builtin::Base64 => "Builtin::Base64",
    }
}

struct Names {
    simple: Vec<String>,
    complex: Vec<String>,
}

fn unique_names(prefix: &str, names: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    names
        .map(|n| {
            let base = ident(prefix, &n);
            let k = seen.entry(base.clone()).or_insert(0);
            *k += 1;
            if *k == 1 {
                base
            } else {
                format!("{base}_{k}")
            }
        })
        .collect()
}

/// Which part of a schema file a static belongs to (the files keep simple types first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Patterns and simple types.
    Simple,
    /// Complex types (with their content models and attributes inline).
    Complex,
}

/// One static descriptor as emitted for one schema, before the files are laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct Static {
    /// Rust name (`PAT_`, `ST_`, `CT_`), the same in every version for the same schema component.
    pub name: String,
    /// Section of the file it goes in.
    pub section: Section,
    /// Source from the name to the final `;` (without `static` or visibility).
    pub src: String,
    /// Names of the other generated statics the source refers to (built-ins excluded).
    pub refs: Vec<String>,
}

/// A schema's validator table as statics: the `SCHEMA` root and every descriptor, in schema order.
#[derive(Debug, Clone)]
pub struct Table {
    /// The `SCHEMA` static, with its doc comment.
    pub schema: String,
    /// Names the `SCHEMA` static refers to.
    pub schema_refs: Vec<String>,
    /// Every descriptor.
    pub statics: Vec<Static>,
}

/// Turns `model` into its statics.
pub fn table(model: &Model) -> Result<Table, String> {
    let names = Names {
        simple: unique_names("ST_", model.simple.iter().map(|s| s.name.clone())),
        complex: unique_names(
            "CT_",
            model.complex.iter().map(|c| if c.anonymous { format!("element_{}", c.name) } else { c.name.clone() }),
        ),
    };
    let mut schema = String::new();
    let mut schema_refs = Vec::new();
    let _ = writeln!(
        schema,
        "/// Schema {} (target namespace {}, version {}).",
        model.files.join(" + "),
        model.namespace,
        model.version
    );
    let _ = writeln!(schema, "pub static SCHEMA: Schema = Schema {{");
    let _ = writeln!(schema, "    namespace: {:?},", model.namespace);
    let _ = writeln!(schema, "    version: {:?},", model.version);
    let _ = writeln!(schema, "    roots: &[");
    for r in &model.roots {
        let _ = writeln!(schema, "        {},", elem_src(r, &names, &mut schema_refs));
    }
    schema.push_str("    ],\n};\n");

    let mut statics = Vec::new();
    for (i, s) in model.simple.iter().enumerate() {
        let mut refs = Vec::new();
        let pattern = match &s.pattern {
            Some(p) => {
                let rust = translate_pattern(p)?;
                let name = format!("PAT_{}", names.simple[i].trim_start_matches("ST_"));
                statics.push(Static {
                    name: name.clone(),
                    section: Section::Simple,
                    src: format!("{name}: Pattern = Pattern::new({p:?}, {rust:?});"),
                    refs: Vec::new(),
                });
                refs.push(name.clone());
                format!("Some(&{name})")
            }
            None => "None".to_string(),
        };
        let opt = |v: Option<i64>| v.map_or("None".to_string(), |v| format!("Some({v})"));
        statics.push(Static {
            name: names.simple[i].clone(),
            section: Section::Simple,
            src: format!(
                "{}: SimpleType = SimpleType {{ name: {:?}, base: {}, max_length: {}, pattern: {pattern}, min_inclusive: {}, max_inclusive: {}, enumeration: &{:?} }};",
                names.simple[i],
                s.name,
                builtin_variant(s.base),
                s.max_length.map_or("None".to_string(), |v| format!("Some({v})")),
                opt(s.min_inclusive),
                opt(s.max_inclusive),
                s.enumeration,
            ),
            refs,
        });
    }
    for (i, c) in model.complex.iter().enumerate() {
        let mut refs = Vec::new();
        let content = match &c.content {
            ContentDef::Empty => "Content::Empty".to_string(),
            ContentDef::Simple(s) => format!("Content::Simple(&{})", simple_src(*s, &names, &mut refs)),
            ContentDef::Elements(p) => format!("Content::Elements(&{})", particle_src(p, &names, 2, &mut refs)),
        };
        let attrs: Vec<String> = c.attributes.iter().map(|a| attr_src(a, model, &names, &mut refs)).collect();
        statics.push(Static {
            name: names.complex[i].clone(),
            section: Section::Complex,
            src: format!(
                "{}: ComplexType = ComplexType {{\n    name: {:?},\n    content: {content},\n    attributes: &[{}],\n}};",
                names.complex[i],
                c.name,
                if attrs.is_empty() { String::new() } else { format!("\n        {},\n    ", attrs.join(",\n        ")) }
            ),
            refs,
        });
    }
    Ok(Table { schema, schema_refs, statics })
}

/// Names of the statics every table defines with the same source and whose references are all
/// shared as well (a descriptor pointing at one that differs must follow it into each version).
pub fn shared(tables: &[Table]) -> HashSet<String> {
    let Some((first, rest)) = tables.split_first() else {
        return HashSet::new();
    };
    if rest.is_empty() {
        return HashSet::new();
    }
    let mut shared: HashSet<String> = first
        .statics
        .iter()
        .filter(|s| rest.iter().all(|t| t.statics.iter().any(|o| o == *s)))
        .map(|s| s.name.clone())
        .collect();
    // Until nothing changes: drop what refers to something not shared.
    loop {
        let before = shared.len();
        let dropped: Vec<String> = first
            .statics
            .iter()
            .filter(|s| shared.contains(&s.name) && s.refs.iter().any(|r| !shared.contains(r)))
            .map(|s| s.name.clone())
            .collect();
        for d in dropped {
            shared.remove(&d);
        }
        if shared.len() == before {
            return shared;
        }
    }
}

/// Writes `statics` by section, with `vis` before `static`.
fn write_statics<'a>(o: &mut String, statics: impl Iterator<Item = &'a Static> + Clone, vis: &str) {
    for (section, title) in [(Section::Simple, "Simple types"), (Section::Complex, "Complex types")] {
        let mut of_section = statics.clone().filter(|s| s.section == section).peekable();
        if of_section.peek().is_none() {
            continue;
        }
        let _ = writeln!(o, "\n// {title}.");
        if section == Section::Simple {
            o.push('\n');
        }
        for s in of_section {
            if section == Section::Complex {
                o.push('\n');
            }
            let _ = writeln!(o, "{vis}static {}", s.src);
        }
    }
}

/// Rust source of one version's file: its `SCHEMA` and the statics not in `shared`, which it
/// reaches through `super::schema_common`.
pub fn emit_version(table: &Table, shared: &HashSet<String>, header: &str) -> String {
    let own: Vec<&Static> = table.statics.iter().filter(|s| !shared.contains(&s.name)).collect();
    let uses_common = table.schema_refs.iter().chain(own.iter().flat_map(|s| &s.refs)).any(|r| shared.contains(r));
    let mut o = String::new();
    o.push_str(header);
    o.push_str("#![allow(dead_code)]\n\n");
    o.push_str("use crate::contract::xsd::*;\n");
    if uses_common {
        let _ = writeln!(o, "use super::{COMMON_MODULE}::*;");
    }
    o.push('\n');
    o.push_str(&table.schema);
    write_statics(&mut o, own.into_iter(), "");
    o
}

/// Rust source of the file of the statics every version shares (in the first table's order).
pub fn emit_common(tables: &[Table], shared: &HashSet<String>, header: &str) -> String {
    let mut o = String::new();
    o.push_str(header);
    o.push_str("#![allow(dead_code)]\n\n");
    o.push_str("use crate::contract::xsd::*;\n");
    if let Some(first) = tables.first() {
        write_statics(&mut o, first.statics.iter().filter(|s| shared.contains(&s.name)), "pub(super) ");
    }
    o
}

/// Module of the statics every version shares.
pub const COMMON_MODULE: &str = "schema_common";

fn simple_src(r: SimpleRef, names: &Names, refs: &mut Vec<String>) -> String {
    match r {
        SimpleRef::Builtin(b) => builtin_static(b).to_string(),
        SimpleRef::Named(i) => {
            refs.push(names.simple[i].clone());
            names.simple[i].clone()
        }
    }
}

fn attr_src(a: &AttrDef, model: &Model, names: &Names, refs: &mut Vec<String>) -> String {
    format!(
        "AttributeDecl {{ name: {:?}, ns: {}, ty: &{}, required: {}, fixed: {} }}",
        a.name,
        if a.qualified { format!("Some({:?})", model.namespace) } else { "None".to_string() },
        simple_src(a.ty, names, refs),
        a.required,
        a.fixed.as_ref().map_or("None".to_string(), |f| format!("Some({f:?})")),
    )
}

fn elem_src(e: &ElemDef, names: &Names, refs: &mut Vec<String>) -> String {
    let ty = match e.ty {
        TyDef::Simple(s) => format!("TypeRef::Simple(&{})", simple_src(s, names, refs)),
        TyDef::Complex(i) => {
            refs.push(names.complex[i].clone());
            format!("TypeRef::Complex(&{})", names.complex[i])
        }
    };
    format!("ElementDecl {{ name: {:?}, ty: {ty}, min: {}, max: {} }}", e.name, e.min, max_src(e.max))
}

fn particle_src(p: &PDef, names: &Names, indent: usize, refs: &mut Vec<String>) -> String {
    let pad = "    ".repeat(indent);
    match p {
        PDef::Element(e) => format!("Particle::Element({})", elem_src(e, names, refs)),
        PDef::Sequence(g) => format!("Particle::Sequence({})", group_src(g, names, indent, &pad, refs)),
        PDef::Choice(g) => format!("Particle::Choice({})", group_src(g, names, indent, &pad, refs)),
    }
}

fn group_src(g: &GroupDef, names: &Names, indent: usize, pad: &str, refs: &mut Vec<String>) -> String {
    let mut s = String::from("ModelGroup {\n");
    let _ = writeln!(s, "{pad}items: &[");
    for item in &g.items {
        let _ = writeln!(s, "{pad}    {},", particle_src(item, names, indent + 2, refs));
    }
    let _ = writeln!(s, "{pad}],");
    let _ = write!(
        s,
        "{pad}min: {}, max: {}, group: {},\n{}}}",
        g.min,
        max_src(g.max),
        g.group.as_ref().map_or("None".to_string(), |n| format!("Some({n:?})")),
        "    ".repeat(indent.saturating_sub(1))
    );
    s
}

fn leak_str(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

/// Builds the descriptors of `model` at run time (tests only: everything is leaked).
pub fn leak(model: &Model) -> Result<&'static Schema, String> {
    let mut simple: Vec<&'static SimpleType> = Vec::new();
    for s in &model.simple {
        let pattern = match &s.pattern {
            Some(p) => {
                let rust = translate_pattern(p)?;
                Some(&*Box::leak(Box::new(Pattern::new(leak_str(p), leak_str(&rust)))))
            }
            None => None,
        };
        let enumeration: Vec<&'static str> = s.enumeration.iter().map(|e| leak_str(e)).collect();
        simple.push(Box::leak(Box::new(SimpleType {
            name: leak_str(&s.name),
            base: s.base,
            max_length: s.max_length,
            pattern,
            min_inclusive: s.min_inclusive,
            max_inclusive: s.max_inclusive,
            enumeration: Box::leak(enumeration.into_boxed_slice()),
        })));
    }
    let ns = leak_str(&model.namespace);
    let mut l = Leaker { model, simple, complex: vec![None; model.complex.len()], ns };
    let roots: Vec<ElementDecl> = model.roots.iter().map(|r| l.elem(r)).collect::<Result<_, _>>()?;
    Ok(Box::leak(Box::new(Schema {
        namespace: ns,
        version: leak_str(&model.version),
        roots: Box::leak(roots.into_boxed_slice()),
    })))
}

struct Leaker<'m> {
    model: &'m Model,
    simple: Vec<&'static SimpleType>,
    complex: Vec<Option<&'static ComplexType>>,
    ns: &'static str,
}

impl Leaker<'_> {
    fn simple_ref(&self, r: SimpleRef) -> &'static SimpleType {
        match r {
            SimpleRef::Builtin(b) => b.simple_type(),
            SimpleRef::Named(i) => self.simple[i],
        }
    }

    fn complex(&mut self, i: usize) -> Result<&'static ComplexType, String> {
        if let Some(c) = self.complex[i] {
            return Ok(c);
        }
        let def = &self.model.complex[i];
        let content = match &def.content {
            ContentDef::Empty => Content::Empty,
            ContentDef::Simple(s) => Content::Simple(self.simple_ref(*s)),
            ContentDef::Elements(p) => Content::Elements(Box::leak(Box::new(self.particle(p)?))),
        };
        let attributes: Vec<AttributeDecl> = def
            .attributes
            .iter()
            .map(|a| AttributeDecl {
                name: leak_str(&a.name),
                ns: a.qualified.then_some(self.ns),
                ty: self.simple_ref(a.ty),
                required: a.required,
                fixed: a.fixed.as_deref().map(leak_str),
            })
            .collect();
        let c: &'static ComplexType = Box::leak(Box::new(ComplexType {
            name: leak_str(&def.name),
            content,
            attributes: Box::leak(attributes.into_boxed_slice()),
        }));
        self.complex[i] = Some(c);
        Ok(c)
    }

    fn elem(&mut self, e: &ElemDef) -> Result<ElementDecl, String> {
        let ty = match e.ty {
            TyDef::Simple(s) => TypeRef::Simple(self.simple_ref(s)),
            TyDef::Complex(i) => TypeRef::Complex(self.complex(i)?),
        };
        Ok(ElementDecl { name: leak_str(&e.name), ty, min: e.min, max: e.max })
    }

    fn particle(&mut self, p: &PDef) -> Result<Particle, String> {
        Ok(match p {
            PDef::Element(e) => Particle::Element(self.elem(e)?),
            PDef::Sequence(g) => Particle::Sequence(self.group(g)?),
            PDef::Choice(g) => Particle::Choice(self.group(g)?),
        })
    }

    fn group(&mut self, g: &GroupDef) -> Result<ModelGroup, String> {
        let items: Vec<Particle> = g.items.iter().map(|p| self.particle(p)).collect::<Result<_, _>>()?;
        Ok(ModelGroup {
            items: Box::leak(items.into_boxed_slice()),
            min: g.min,
            max: g.max,
            group: g.group.as_deref().map(leak_str),
        })
    }
}
