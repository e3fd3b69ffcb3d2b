//! Emits a schema model as static `xsd` descriptors (Rust source), and builds the same
//! descriptors at run time for tests (leaked, so they are `'static` like the generated ones).

use std::collections::HashMap;
use std::fmt::Write as _;

use super::model::{AttrDef, ContentDef, ElemDef, GroupDef, Model, PDef, SimpleRef, TyDef};
use crate::contract::xsd::{
    AttributeDecl, Builtin, ComplexType, Content, ElementDecl, Max, ModelGroup, Particle, Pattern,
    Schema, SimpleType, TypeRef,
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
                    'i' | 'I' | 'c' | 'C' => {
                        return Err(format!("motif {xsd} : échappement \\{n} non pris en charge"))
                    }
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

/// Rust source of the static schema table for `model`.
pub fn emit(model: &Model, header: &str) -> Result<String, String> {
    let names = Names {
        simple: unique_names("ST_", model.simple.iter().map(|s| s.name.clone())),
        complex: unique_names(
            "CT_",
            model.complex.iter().map(|c| if c.anonymous { format!("element_{}", c.name) } else { c.name.clone() }),
        ),
    };
    let mut o = String::new();
    o.push_str(header);
    o.push_str("#![allow(dead_code)]\n\n");
    o.push_str("use crate::contract::xsd::*;\n\n");
    let _ = writeln!(
        o,
        "/// Schema {} (target namespace {}, version {}).",
        model.files.join(" + "),
        model.namespace,
        model.version
    );
    let _ = writeln!(o, "pub static SCHEMA: Schema = Schema {{");
    let _ = writeln!(o, "    namespace: {:?},", model.namespace);
    let _ = writeln!(o, "    version: {:?},", model.version);
    let _ = writeln!(o, "    roots: &[");
    for r in &model.roots {
        let _ = writeln!(o, "        {},", elem_src(r, &names));
    }
    o.push_str("    ],\n};\n\n");

    o.push_str("// Simple types.\n\n");
    let mut patterns = 0;
    for (i, s) in model.simple.iter().enumerate() {
        let pattern = match &s.pattern {
            Some(p) => {
                let rust = translate_pattern(p)?;
                let name = format!("PAT_{}", names.simple[i].trim_start_matches("ST_"));
                let _ = writeln!(o, "static {name}: Pattern = Pattern::new({p:?}, {rust:?});");
                patterns += 1;
                format!("Some(&{name})")
            }
            None => "None".to_string(),
        };
        let opt = |v: Option<i64>| v.map_or("None".to_string(), |v| format!("Some({v})"));
        let _ = writeln!(
            o,
            "static {}: SimpleType = SimpleType {{ name: {:?}, base: {}, max_length: {}, pattern: {pattern}, min_inclusive: {}, max_inclusive: {}, enumeration: &{:?} }};",
            names.simple[i],
            s.name,
            builtin_variant(s.base),
            s.max_length.map_or("None".to_string(), |v| format!("Some({v})")),
            opt(s.min_inclusive),
            opt(s.max_inclusive),
            s.enumeration,
        );
    }
    let _ = patterns;
    o.push_str("\n// Complex types.\n");
    for (i, c) in model.complex.iter().enumerate() {
        let content = match &c.content {
            ContentDef::Empty => "Content::Empty".to_string(),
            ContentDef::Simple(s) => format!("Content::Simple(&{})", simple_src(*s, &names)),
            ContentDef::Elements(p) => format!("Content::Elements(&{})", particle_src(p, &names, 2)),
        };
        let attrs: Vec<String> = c.attributes.iter().map(|a| attr_src(a, model, &names)).collect();
        let _ = writeln!(
            o,
            "\nstatic {}: ComplexType = ComplexType {{\n    name: {:?},\n    content: {content},\n    attributes: &[{}],\n}};",
            names.complex[i],
            c.name,
            if attrs.is_empty() { String::new() } else { format!("\n        {},\n    ", attrs.join(",\n        ")) }
        );
    }
    Ok(o)
}

fn simple_src(r: SimpleRef, names: &Names) -> String {
    match r {
        SimpleRef::Builtin(b) => builtin_static(b).to_string(),
        SimpleRef::Named(i) => names.simple[i].clone(),
    }
}

fn attr_src(a: &AttrDef, model: &Model, names: &Names) -> String {
    format!(
        "AttributeDecl {{ name: {:?}, ns: {}, ty: &{}, required: {}, fixed: {} }}",
        a.name,
        if a.qualified { format!("Some({:?})", model.namespace) } else { "None".to_string() },
        simple_src(a.ty, names),
        a.required,
        a.fixed.as_ref().map_or("None".to_string(), |f| format!("Some({f:?})")),
    )
}

fn elem_src(e: &ElemDef, names: &Names) -> String {
    let ty = match e.ty {
        TyDef::Simple(s) => format!("TypeRef::Simple(&{})", simple_src(s, names)),
        TyDef::Complex(i) => format!("TypeRef::Complex(&{})", names.complex[i]),
    };
    format!("ElementDecl {{ name: {:?}, ty: {ty}, min: {}, max: {} }}", e.name, e.min, max_src(e.max))
}

fn particle_src(p: &PDef, names: &Names, indent: usize) -> String {
    let pad = "    ".repeat(indent);
    match p {
        PDef::Element(e) => format!("Particle::Element({})", elem_src(e, names)),
        PDef::Sequence(g) => format!("Particle::Sequence({})", group_src(g, names, indent, &pad)),
        PDef::Choice(g) => format!("Particle::Choice({})", group_src(g, names, indent, &pad)),
    }
}

fn group_src(g: &GroupDef, names: &Names, indent: usize, pad: &str) -> String {
    let mut s = String::from("ModelGroup {\n");
    let _ = writeln!(s, "{pad}items: &[");
    for item in &g.items {
        let _ = writeln!(s, "{pad}    {},", particle_src(item, names, indent + 2));
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
