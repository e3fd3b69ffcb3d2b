//! Reads `schemas/*.xsd` (with `crate::xml::parse`) into an owned, fully resolved model:
//! includes followed, group and element references inlined, the global `modifie` attribute
//! resolved into a qualified attribute, simple-type restrictions merged down to a built-in.
//!
//! QNames in `type`, `base` and `ref` follow the house style: prefix `xs` for XML Schema, no
//! prefix for the target namespace (the tree reader does not keep prefix bindings, and the style
//! forbids any other arrangement). Constructs outside the style are refused with an error rather
//! than silently ignored.

use std::collections::HashMap;
use std::path::Path;

use crate::contract::xsd::{Builtin, Max};
use crate::xml::{self, Element};

const XS: &str = "http://www.w3.org/2001/XMLSchema";

/// A simple type with its facets merged down to its built-in.
#[derive(Debug, Clone, PartialEq)]
pub struct SimpleDef {
    pub name: String,
    pub base: Builtin,
    pub max_length: Option<u32>,
    pub pattern: Option<String>,
    pub min_inclusive: Option<i64>,
    pub max_inclusive: Option<i64>,
    pub enumeration: Vec<String>,
}

/// A reference to a simple type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SimpleRef {
    Builtin(Builtin),
    Named(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct AttrDef {
    pub name: String,
    /// True for a reference to a global attribute (qualified in the target namespace).
    pub qualified: bool,
    pub ty: SimpleRef,
    pub required: bool,
    pub fixed: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ContentDef {
    Empty,
    Simple(SimpleRef),
    Elements(PDef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ComplexDef {
    pub name: String,
    /// True for the inline type of a global element (named after the element).
    pub anonymous: bool,
    pub content: ContentDef,
    pub attributes: Vec<AttrDef>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TyDef {
    Simple(SimpleRef),
    Complex(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ElemDef {
    pub name: String,
    pub ty: TyDef,
    pub min: u32,
    pub max: Max,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GroupDef {
    pub items: Vec<PDef>,
    pub min: u32,
    pub max: Max,
    pub group: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PDef {
    Element(ElemDef),
    Sequence(GroupDef),
    Choice(GroupDef),
}

/// One schema file and what it includes, resolved.
#[derive(Debug, Clone)]
pub struct Model {
    /// File names read, main file first.
    pub files: Vec<String>,
    pub namespace: String,
    pub version: String,
    pub simple: Vec<SimpleDef>,
    pub complex: Vec<ComplexDef>,
    pub roots: Vec<ElemDef>,
}

impl Model {
    pub fn simple_base(&self, r: SimpleRef) -> Builtin {
        match r {
            SimpleRef::Builtin(b) => b,
            SimpleRef::Named(i) => self.simple[i].base,
        }
    }
}

/// Reading or resolution failure, with the file and component at fault.
#[derive(Debug)]
pub struct ModelError(pub String);

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(msg: impl Into<String>) -> Result<T, ModelError> {
    Err(ModelError(msg.into()))
}

fn xs_children(e: &Element) -> impl Iterator<Item = &Element> {
    e.elements().filter(|c| c.ns.as_deref() == Some(XS) && c.name != "annotation")
}

/// A QName of the house style.
enum QName<'a> {
    Xs(&'a str),
    Target(&'a str),
}

fn qname(v: &str) -> Result<QName<'_>, ModelError> {
    match v.split_once(':') {
        None => Ok(QName::Target(v)),
        Some(("xs", local)) => Ok(QName::Xs(local)),
        Some((p, _)) => err(format!("préfixe {p} non pris en charge dans {v} (seul xs: est permis)")),
    }
}

fn occurs(e: &Element) -> Result<(u32, Max), ModelError> {
    let min = match e.attribute("minOccurs") {
        None => 1,
        Some(v) => v.parse().map_err(|_| ModelError(format!("minOccurs invalide : {v}")))?,
    };
    let max = match e.attribute("maxOccurs") {
        None => Max::Bounded(1),
        Some("unbounded") => Max::Unbounded,
        Some(v) => Max::Bounded(v.parse().map_err(|_| ModelError(format!("maxOccurs invalide : {v}")))?),
    };
    Ok((min, max))
}

struct Reader {
    simple_src: HashMap<String, Element>,
    complex_src: HashMap<String, Element>,
    group_src: HashMap<String, Element>,
    element_src: HashMap<String, Element>,
    attribute_src: HashMap<String, Element>,
    simple_idx: HashMap<String, usize>,
    complex_idx: HashMap<String, usize>,
    simple: Vec<Option<SimpleDef>>,
    complex: Vec<Option<ComplexDef>>,
}

/// Reads `dir/main` and its includes.
pub fn read(dir: &Path, main: &str) -> Result<Model, ModelError> {
    let mut files: Vec<String> = Vec::new();
    let mut docs: Vec<Element> = Vec::new();
    let mut queue = vec![main.to_string()];
    while let Some(f) = queue.pop() {
        if files.contains(&f) {
            continue;
        }
        let bytes = std::fs::read(dir.join(&f)).map_err(|e| ModelError(format!("{f} : {e}")))?;
        let root = xml::parse(&bytes, xml::Limits { max_depth: 64, max_attributes: 64, ..xml::Limits::DEFAULT })
            .map_err(|e| ModelError(format!("{f} : {e}")))?;
        if !root.is(Some(XS), "schema") {
            return err(format!("{f} : la racine n'est pas xs:schema"));
        }
        for inc in xs_children(&root).filter(|c| c.name == "include") {
            let loc = inc.attribute("schemaLocation").unwrap_or_default();
            queue.push(loc.trim_start_matches("./").to_string());
        }
        files.push(f);
        docs.push(root);
    }
    let main_doc = &docs[0];
    let namespace = main_doc.attribute("targetNamespace").unwrap_or_default().to_string();
    let version = main_doc.attribute("version").unwrap_or_default().to_string();
    let mut r = Reader {
        simple_src: HashMap::new(),
        complex_src: HashMap::new(),
        group_src: HashMap::new(),
        element_src: HashMap::new(),
        attribute_src: HashMap::new(),
        simple_idx: HashMap::new(),
        complex_idx: HashMap::new(),
        simple: Vec::new(),
        complex: Vec::new(),
    };
    let mut global_elements: Vec<Element> = Vec::new();
    // Indices follow document order (main file, then includes) so the generated code reads
    // in the order of the schemas.
    for (file, doc) in files.iter().zip(&docs) {
        if doc.attribute("targetNamespace") != Some(namespace.as_str()) {
            return err(format!("{file} : espace de noms cible différent de {namespace}"));
        }
        if doc.attribute("elementFormDefault") != Some("qualified") {
            return err(format!("{file} : elementFormDefault doit être qualified"));
        }
        for c in xs_children(doc) {
            let name = c.attribute("name").unwrap_or_default().to_string();
            match c.name.as_str() {
                "include" => {}
                "simpleType" => {
                    r.simple_idx.insert(name.clone(), r.simple.len());
                    r.simple.push(None);
                    r.simple_src.insert(name, c.clone());
                }
                "complexType" => {
                    r.complex_idx.insert(name.clone(), r.complex.len());
                    r.complex.push(None);
                    r.complex_src.insert(name, c.clone());
                }
                "group" => {
                    r.group_src.insert(name, c.clone());
                }
                "attribute" => {
                    r.attribute_src.insert(name, c.clone());
                }
                "element" => {
                    if c.child("complexType").is_some() {
                        let key = format!("element {name}");
                        r.complex_idx.insert(key.clone(), r.complex.len());
                        r.complex.push(None);
                        r.complex_src.insert(key, c.child("complexType").cloned().unwrap_or_default());
                    }
                    r.element_src.insert(name, c.clone());
                    global_elements.push(c.clone());
                }
                other => return err(format!("{file} : construction xs:{other} non prise en charge")),
            }
        }
    }
    let simple_names: Vec<String> = {
        let mut v: Vec<(usize, String)> = r.simple_idx.iter().map(|(k, i)| (*i, k.clone())).collect();
        v.sort();
        v.into_iter().map(|(_, k)| k).collect()
    };
    for name in simple_names {
        r.simple_type(&name)?;
    }
    let complex_names: Vec<String> = {
        let mut v: Vec<(usize, String)> = r.complex_idx.iter().map(|(k, i)| (*i, k.clone())).collect();
        v.sort();
        v.into_iter().map(|(_, k)| k).collect()
    };
    for name in complex_names {
        r.complex_type(&name)?;
    }
    let mut roots = Vec::new();
    for g in &global_elements {
        roots.push(r.global_element(g, 1, Max::Bounded(1))?);
    }
    Ok(Model {
        files,
        namespace,
        version,
        simple: r.simple.into_iter().map(|s| s.expect("type simple résolu")).collect(),
        complex: r.complex.into_iter().map(|c| c.expect("type complexe résolu")).collect(),
        roots,
    })
}

impl Reader {
    fn simple_ref(&mut self, qn: &str) -> Result<SimpleRef, ModelError> {
        match qname(qn)? {
            QName::Xs(local) => Builtin::from_local_name(local)
                .map(SimpleRef::Builtin)
                .ok_or_else(|| ModelError(format!("type intégré xs:{local} non pris en charge"))),
            QName::Target(local) => {
                if self.simple_idx.contains_key(local) {
                    Ok(SimpleRef::Named(self.simple_type(local)?))
                } else {
                    err(format!("type simple {local} introuvable"))
                }
            }
        }
    }

    fn simple_type(&mut self, name: &str) -> Result<usize, ModelError> {
        let idx = self.simple_idx[name];
        if self.simple[idx].is_some() {
            return Ok(idx);
        }
        let src = self.simple_src[name].clone();
        let restriction = xs_children(&src)
            .find(|c| c.name == "restriction")
            .ok_or_else(|| ModelError(format!("type simple {name} : seule xs:restriction est prise en charge")))?;
        let base_qn = restriction.attribute("base").unwrap_or_default().to_string();
        let mut def = match self.simple_ref(&base_qn)? {
            SimpleRef::Builtin(b) => SimpleDef {
                name: name.to_string(),
                base: b,
                max_length: None,
                pattern: None,
                min_inclusive: None,
                max_inclusive: None,
                enumeration: Vec::new(),
            },
            SimpleRef::Named(i) => {
                let mut d = self.simple[i].clone().expect("base résolue");
                d.name = name.to_string();
                d
            }
        };
        let mut patterns = Vec::new();
        let mut enumeration = Vec::new();
        for f in xs_children(restriction) {
            let value = f.attribute("value").unwrap_or_default();
            let bad = || ModelError(format!("type simple {name} : valeur de facette {} invalide : {value}", f.name));
            match f.name.as_str() {
                "maxLength" => def.max_length = Some(value.parse().map_err(|_| bad())?),
                "pattern" => patterns.push(value.to_string()),
                "minInclusive" => def.min_inclusive = Some(value.parse().map_err(|_| bad())?),
                "maxInclusive" => def.max_inclusive = Some(value.parse().map_err(|_| bad())?),
                "enumeration" => enumeration.push(value.to_string()),
                other => return err(format!("type simple {name} : facette {other} non prise en charge")),
            }
        }
        if !patterns.is_empty() {
            if def.pattern.is_some() {
                return err(format!(
                    "type simple {name} : motifs sur plusieurs niveaux de dérivation non pris en charge"
                ));
            }
            // Several patterns in one restriction are alternatives (XSD 1.0, 4.3.4.3).
            def.pattern = Some(if patterns.len() == 1 {
                patterns.remove(0)
            } else {
                patterns.iter().map(|p| format!("({p})")).collect::<Vec<_>>().join("|")
            });
        }
        if !enumeration.is_empty() {
            def.enumeration = enumeration;
        }
        self.simple[idx] = Some(def);
        Ok(idx)
    }

    fn complex_type(&mut self, key: &str) -> Result<usize, ModelError> {
        let idx = self.complex_idx[key];
        if self.complex[idx].is_some() {
            return Ok(idx);
        }
        let src = self.complex_src[key].clone();
        let (name, anonymous) = match key.strip_prefix("element ") {
            Some(e) => (e.to_string(), true),
            None => (key.to_string(), false),
        };
        let mut content = ContentDef::Empty;
        let mut attributes = Vec::new();
        for c in xs_children(&src) {
            match c.name.as_str() {
                "sequence" | "choice" | "group" => {
                    if content != ContentDef::Empty {
                        return err(format!("type {name} : plusieurs modèles de contenu"));
                    }
                    content = ContentDef::Elements(self.particle(c)?);
                }
                "attribute" => attributes.push(self.attribute(c)?),
                "simpleContent" => {
                    let ext = xs_children(c)
                        .find(|x| x.name == "extension")
                        .ok_or_else(|| ModelError(format!("type {name} : simpleContent sans xs:extension")))?;
                    let base = ext.attribute("base").unwrap_or_default().to_string();
                    content = ContentDef::Simple(self.simple_ref(&base)?);
                    for a in xs_children(ext) {
                        if a.name != "attribute" {
                            return err(format!("type {name} : xs:{} non pris en charge dans l'extension", a.name));
                        }
                        attributes.push(self.attribute(a)?);
                    }
                }
                other => return err(format!("type {name} : xs:{other} non pris en charge")),
            }
        }
        self.complex[idx] = Some(ComplexDef { name, anonymous, content, attributes });
        Ok(idx)
    }

    fn attribute(&mut self, a: &Element) -> Result<AttrDef, ModelError> {
        let required = match a.attribute("use") {
            None | Some("optional") => false,
            Some("required") => true,
            Some(u) => return err(format!("use={u} non pris en charge")),
        };
        if let Some(r) = a.attribute("ref") {
            let QName::Target(local) = qname(r)? else {
                return err(format!("attribut ref={r} hors de l'espace de noms cible"));
            };
            let g = self
                .attribute_src
                .get(local)
                .cloned()
                .ok_or_else(|| ModelError(format!("attribut global {local} introuvable")))?;
            let ty = self.simple_ref(g.attribute("type").unwrap_or("xs:anySimpleType"))?;
            let fixed = a.attribute("fixed").or(g.attribute("fixed")).map(str::to_string);
            return Ok(AttrDef { name: local.to_string(), qualified: true, ty, required, fixed });
        }
        let name = a.attribute("name").unwrap_or_default().to_string();
        if a.attribute("form") == Some("qualified") {
            return err(format!("attribut {name} : form=qualified non pris en charge"));
        }
        let ty = self.simple_ref(a.attribute("type").unwrap_or("xs:anySimpleType"))?;
        let fixed = a.attribute("fixed").map(str::to_string);
        Ok(AttrDef { name, qualified: false, ty, required, fixed })
    }

    fn particle(&mut self, p: &Element) -> Result<PDef, ModelError> {
        let (min, max) = occurs(p)?;
        match p.name.as_str() {
            "element" => self.local_element(p, min, max).map(PDef::Element),
            "sequence" | "choice" => {
                let mut items = Vec::new();
                for c in xs_children(p) {
                    items.push(self.particle(c)?);
                }
                let g = GroupDef { items, min, max, group: None };
                Ok(if p.name == "sequence" { PDef::Sequence(g) } else { PDef::Choice(g) })
            }
            "group" => {
                let r = p.attribute("ref").unwrap_or_default();
                let QName::Target(local) = qname(r)? else {
                    return err(format!("groupe ref={r} hors de l'espace de noms cible"));
                };
                let src = self
                    .group_src
                    .get(local)
                    .cloned()
                    .ok_or_else(|| ModelError(format!("groupe {local} introuvable")))?;
                let inner = xs_children(&src).next().ok_or_else(|| ModelError(format!("groupe {local} vide")))?;
                match self.particle(inner)? {
                    PDef::Sequence(g) => Ok(PDef::Sequence(GroupDef { min, max, group: Some(local.to_string()), ..g })),
                    PDef::Choice(g) => Ok(PDef::Choice(GroupDef { min, max, group: Some(local.to_string()), ..g })),
                    PDef::Element(_) => err(format!("groupe {local} : xs:sequence ou xs:choice attendu")),
                }
            }
            "any" => err("xs:any non pris en charge"),
            other => err(format!("xs:{other} non pris en charge dans un modèle de contenu")),
        }
    }

    fn local_element(&mut self, e: &Element, min: u32, max: Max) -> Result<ElemDef, ModelError> {
        if let Some(r) = e.attribute("ref") {
            let QName::Target(local) = qname(r)? else {
                return err(format!("élément ref={r} hors de l'espace de noms cible"));
            };
            let g = self
                .element_src
                .get(local)
                .cloned()
                .ok_or_else(|| ModelError(format!("élément global {local} introuvable")))?;
            return self.global_element(&g, min, max);
        }
        let name = e.attribute("name").unwrap_or_default().to_string();
        if e.child("complexType").is_some() || e.child("simpleType").is_some() {
            return err(format!("élément {name} : type anonyme local non pris en charge (nommer le type)"));
        }
        let ty = self.type_ref(e.attribute("type").unwrap_or("xs:anySimpleType"))?;
        Ok(ElemDef { name, ty, min, max })
    }

    fn global_element(&mut self, g: &Element, min: u32, max: Max) -> Result<ElemDef, ModelError> {
        let name = g.attribute("name").unwrap_or_default().to_string();
        let ty = if g.child("complexType").is_some() {
            TyDef::Complex(self.complex_type(&format!("element {name}"))?)
        } else {
            self.type_ref(g.attribute("type").unwrap_or("xs:anySimpleType"))?
        };
        Ok(ElemDef { name, ty, min, max })
    }

    fn type_ref(&mut self, qn: &str) -> Result<TyDef, ModelError> {
        if let QName::Target(local) = qname(qn)? {
            if self.complex_idx.contains_key(local) {
                return Ok(TyDef::Complex(self.complex_type(local)?));
            }
        }
        Ok(TyDef::Simple(self.simple_ref(qn)?))
    }
}
