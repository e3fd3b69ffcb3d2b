//! The schema model the validator walks: static descriptors, as emitted by the generator into
//! `generated/schema_v*.rs` (and `generated/schema_common.rs` for those every version shares)
//! from `schemas/*.xsd`.
//!
//! Only the XSD constructs listed in `schemas/README.md` exist here: sequences, choices and group
//! references (inlined as sequences that keep the group's name), elements with occurrence bounds,
//! simple types restricting a built-in with maxLength / pattern / inclusive bounds / enumeration,
//! complex types with empty, simple or element content, and attributes (the global `modifie`
//! attribute is the only namespace-qualified one).

use std::sync::OnceLock;

/// The built-in XML Schema types the business files use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    /// xs:string (whiteSpace preserve).
    String,
    /// xs:int (32-bit).
    Int,
    /// xs:long (64-bit).
    Long,
    /// xs:boolean.
    Boolean,
    /// xs:date.
    Date,
    /// xs:dateTime.
    DateTime,
    /// xs:anySimpleType.
    AnySimple,
    /// xs:base64Binary.
    Base64,
}

impl Builtin {
    /// The type's name with the `xs:` prefix, as written in a schema.
    pub fn xsd_name(self) -> &'static str {
        match self {
            Builtin::String => "xs:string",
            Builtin::Int => "xs:int",
            Builtin::Long => "xs:long",
            Builtin::Boolean => "xs:boolean",
            Builtin::Date => "xs:date",
            Builtin::DateTime => "xs:dateTime",
            Builtin::AnySimple => "xs:anySimpleType",
            Builtin::Base64 => "xs:base64Binary",
        }
    }

    /// The built-in named `local` (without prefix) in the XML Schema namespace.
    pub fn from_local_name(local: &str) -> Option<Builtin> {
        Some(match local {
            "string" => Builtin::String,
            "int" => Builtin::Int,
            "long" => Builtin::Long,
            "boolean" => Builtin::Boolean,
            "date" => Builtin::Date,
            "dateTime" => Builtin::DateTime,
            "anySimpleType" => Builtin::AnySimple,
            "base64Binary" => Builtin::Base64,
            _ => return None,
        })
    }

    /// The static descriptor of the unrestricted built-in.
    pub fn simple_type(self) -> &'static SimpleType {
        match self {
            Builtin::String => &XS_STRING,
            Builtin::Int => &XS_INT,
            Builtin::Long => &XS_LONG,
            Builtin::Boolean => &XS_BOOLEAN,
            Builtin::Date => &XS_DATE,
            Builtin::DateTime => &XS_DATETIME,
            Builtin::AnySimple => &XS_ANYSIMPLETYPE,
            Builtin::Base64 => &XS_BASE64BINARY,
        }
    }
}

/// An XSD `pattern` facet with its compiled, anchored translation, built on first use.
#[derive(Debug)]
pub struct Pattern {
    /// The pattern as written in the schema (XSD regular-expression syntax).
    pub xsd: &'static str,
    /// The translated Rust regular expression (`^(?:...)$`), produced by the generator.
    pub rust: &'static str,
    compiled: OnceLock<regex::Regex>,
}

impl Pattern {
    /// A pattern whose translation has already been done (by the generator).
    pub const fn new(xsd: &'static str, rust: &'static str) -> Pattern {
        Pattern { xsd, rust, compiled: OnceLock::new() }
    }

    /// True when the whole `value` matches.
    pub fn is_match(&self, value: &str) -> bool {
        self.compiled
            .get_or_init(|| {
                // The generator compiled this translation when it emitted it; a failure here
                // means a hand-edited generated file.
                regex::Regex::new(self.rust).expect("motif XSD traduit invalide")
            })
            .is_match(value)
    }
}

/// A simple type: a built-in restricted by facets.
#[derive(Debug)]
pub struct SimpleType {
    /// Name in the schema (`xs:string` for the bare built-ins).
    pub name: &'static str,
    /// The built-in it restricts (transitively).
    pub base: Builtin,
    /// maxLength facet, in characters.
    pub max_length: Option<u32>,
    /// pattern facet.
    pub pattern: Option<&'static Pattern>,
    /// minInclusive facet.
    pub min_inclusive: Option<i64>,
    /// maxInclusive facet.
    pub max_inclusive: Option<i64>,
    /// enumeration facet (empty when there is none).
    pub enumeration: &'static [&'static str],
}

impl SimpleType {
    /// The unrestricted built-in.
    pub const fn builtin(name: &'static str, base: Builtin) -> SimpleType {
        SimpleType {
            name,
            base,
            max_length: None,
            pattern: None,
            min_inclusive: None,
            max_inclusive: None,
            enumeration: &[],
        }
    }
}

/// xs:string.
pub static XS_STRING: SimpleType = SimpleType::builtin("xs:string", Builtin::String);
/// xs:int.
pub static XS_INT: SimpleType = SimpleType::builtin("xs:int", Builtin::Int);
/// xs:long.
pub static XS_LONG: SimpleType = SimpleType::builtin("xs:long", Builtin::Long);
/// xs:boolean.
pub static XS_BOOLEAN: SimpleType = SimpleType::builtin("xs:boolean", Builtin::Boolean);
/// xs:date.
pub static XS_DATE: SimpleType = SimpleType::builtin("xs:date", Builtin::Date);
/// xs:dateTime.
pub static XS_DATETIME: SimpleType = SimpleType::builtin("xs:dateTime", Builtin::DateTime);
/// xs:anySimpleType.
pub static XS_ANYSIMPLETYPE: SimpleType = SimpleType::builtin("xs:anySimpleType", Builtin::AnySimple);
/// xs:base64Binary.
pub static XS_BASE64BINARY: SimpleType = SimpleType::builtin("xs:base64Binary", Builtin::Base64);

/// An attribute a complex type allows.
#[derive(Debug)]
pub struct AttributeDecl {
    /// Local name.
    pub name: &'static str,
    /// Namespace: `Some` for a reference to a global attribute (qualified), `None` for a local one.
    pub ns: Option<&'static str>,
    /// Value type.
    pub ty: &'static SimpleType,
    /// `use="required"`.
    pub required: bool,
    /// `fixed` value, if any.
    pub fixed: Option<&'static str>,
}

/// What a complex type holds between its tags.
#[derive(Debug)]
pub enum Content {
    /// Nothing at all (attributes only).
    Empty,
    /// Character data of a simple type (simpleContent extension).
    Simple(&'static SimpleType),
    /// Child elements following a content model.
    Elements(&'static Particle),
}

/// A complex type.
#[derive(Debug)]
pub struct ComplexType {
    /// Name in the schema, or the element's name for an anonymous type.
    pub name: &'static str,
    /// Content.
    pub content: Content,
    /// Attributes allowed, in declaration order.
    pub attributes: &'static [AttributeDecl],
}

/// The type of an element.
#[derive(Debug, Clone, Copy)]
pub enum TypeRef {
    /// Simple content, no attributes.
    Simple(&'static SimpleType),
    /// A complex type.
    Complex(&'static ComplexType),
}

/// Upper bound of an occurrence range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Max {
    /// At most this many.
    Bounded(u32),
    /// `maxOccurs="unbounded"`.
    Unbounded,
}

impl Max {
    /// True when `count` occurrences are still allowed to grow by one.
    pub fn allows_more(self, count: u32) -> bool {
        match self {
            Max::Bounded(m) => count < m,
            Max::Unbounded => true,
        }
    }

    /// True when more than one occurrence is allowed.
    pub fn is_many(self) -> bool {
        !matches!(self, Max::Bounded(0) | Max::Bounded(1))
    }
}

/// An element declaration in a content model (local element or reference to a global one).
#[derive(Debug)]
pub struct ElementDecl {
    /// Local name (its namespace is the schema's target namespace).
    pub name: &'static str,
    /// Type.
    pub ty: TypeRef,
    /// minOccurs.
    pub min: u32,
    /// maxOccurs.
    pub max: Max,
}

impl ElementDecl {
    /// True when paths to this element carry an occurrence index.
    pub fn indexed(&self) -> bool {
        self.max.is_many() || self.min > 1
    }
}

/// A sequence or choice with its occurrence bounds.
#[derive(Debug)]
pub struct ModelGroup {
    /// Members in order.
    pub items: &'static [Particle],
    /// minOccurs.
    pub min: u32,
    /// maxOccurs.
    pub max: Max,
    /// Name of the `xs:group` this comes from, when it was a group reference.
    pub group: Option<&'static str>,
}

/// A content-model particle.
#[derive(Debug)]
pub enum Particle {
    /// One element declaration.
    Element(ElementDecl),
    /// xs:sequence (also a referenced xs:group).
    Sequence(ModelGroup),
    /// xs:choice.
    Choice(ModelGroup),
}

impl Particle {
    /// minOccurs of the particle.
    pub fn min(&self) -> u32 {
        match self {
            Particle::Element(e) => e.min,
            Particle::Sequence(g) | Particle::Choice(g) => g.min,
        }
    }

    /// True when the particle can match no element at all.
    pub fn emptiable(&self) -> bool {
        match self {
            Particle::Element(e) => e.min == 0,
            Particle::Sequence(g) => g.min == 0 || g.items.iter().all(Particle::emptiable),
            Particle::Choice(g) => g.min == 0 || g.items.iter().any(Particle::emptiable),
        }
    }

    /// True when an element named `name` can be the first one this particle matches.
    pub fn starts_with(&self, name: &str) -> bool {
        match self {
            Particle::Element(e) => e.name == name,
            Particle::Choice(g) => g.items.iter().any(|p| p.starts_with(name)),
            Particle::Sequence(g) => g.sequence_starts_with(name),
        }
    }

    /// True when an element named `name` appears anywhere in the particle.
    pub fn mentions(&self, name: &str) -> bool {
        match self {
            Particle::Element(e) => e.name == name,
            Particle::Sequence(g) | Particle::Choice(g) => g.items.iter().any(|p| p.mentions(name)),
        }
    }

    /// Every element declaration of the particle, in document order.
    pub fn elements(&'static self, out: &mut Vec<&'static ElementDecl>) {
        match self {
            Particle::Element(e) => out.push(e),
            Particle::Sequence(g) | Particle::Choice(g) => g.items.iter().for_each(|p| p.elements(out)),
        }
    }

    /// The first element name the particle requires or allows (for messages and paths).
    pub fn first_name(&self) -> &'static str {
        match self {
            Particle::Element(e) => e.name,
            Particle::Sequence(g) | Particle::Choice(g) => g.items.first().map(Particle::first_name).unwrap_or(""),
        }
    }
}

/// One schema: a target namespace and its global elements (the possible roots).
#[derive(Debug)]
pub struct Schema {
    /// Target namespace (elements are qualified in it).
    pub namespace: &'static str,
    /// The schema's `version` attribute.
    pub version: &'static str,
    /// Global element declarations.
    pub roots: &'static [ElementDecl],
}

impl Schema {
    /// Every (parent, child) pair of element names the schema allows.
    pub fn paires(&self) -> std::collections::HashSet<(&'static str, &'static str)> {
        fn visit(
            decl: &'static ElementDecl,
            out: &mut std::collections::HashSet<(&'static str, &'static str)>,
            vus: &mut Vec<&'static str>,
        ) {
            let TypeRef::Complex(ct) = decl.ty else { return };
            let Content::Elements(model) = ct.content else { return };
            let mut enfants = Vec::new();
            model.elements(&mut enfants);
            for e in &enfants {
                out.insert((decl.name, e.name));
            }
            if vus.contains(&ct.name) {
                return;
            }
            vus.push(ct.name);
            for e in enfants {
                visit(e, out, vus);
            }
        }
        let mut out = std::collections::HashSet::new();
        let mut vus = Vec::new();
        for r in self.roots {
            visit(r, &mut out, &mut vus);
        }
        out
    }

    /// The global element declaration named `name`.
    pub fn root(&self, name: &str) -> Option<&'static ElementDecl> {
        self.roots.iter().find(|e| e.name == name)
    }
}

impl ModelGroup {
    /// True when `name` can start this group read as a sequence: some member starts with it and
    /// every member before it may be empty.
    pub fn sequence_starts_with(&self, name: &str) -> bool {
        for p in self.items {
            if p.starts_with(name) {
                return true;
            }
            if !p.emptiable() {
                return false;
            }
        }
        false
    }
}
