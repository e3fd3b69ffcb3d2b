#!/usr/bin/env python3
"""Interop step `xmllint`: what the gateway returned, checked by an independent schema processor.

1. Downloads the served WSDL (`<endpoint>?wsdl`), every schema it names (following xs:import and
   xs:include), and the business-file schemas served beside it; then the same for the document
   service, the search service (RechercheDemandeImplService, with InterfaceNuuRecherche_v0200.xsd)
   and the shared-events service (GestionPartageeEVTImplService, with
   InterfaceNuuGPTypeEvenement_v0200.xsd and InterfaceNuuGPEvenement_v0200.xsd). A schema name
   served by several services must be the same bytes everywhere. A schema xmllint cannot compile
   fails every document checked against it.
2. Every business file the clients wrote in --out (`*.xml`):
   - a file of the search or event operations (`<client>-<operation>[.<variant>].xml`, the
     operation one of FILE_XSD's): the search, event-type and event files each have their own
     global `interfaceNuu` 02.00 in one namespace, so the operation, not the root, says which
     schema applies; the whole file must validate against it, refused or not (a refusal adds
     `listeAnomalies` and echoes nothing invalid);
   - otherwise, without `listeAnomalie`: `xmllint --noout --schema` against the schema of its
     root and version (interfaceNuu 02.00/02.01, listeDoublons, listeNumUnique) must accept it;
   - with `listeAnomalie` (a rejection echoes the rejected content, which by design does not
     validate): the file must be well-formed, and each `listeAnomalie` subtree must validate
     against the schema's type `t_listeAnomalie` (code <= 10, propriete <= 255, message <= 512).
3. Every raw response saved in --out (`<name>.response` + `<name>.response-headers`): MTOM is
   turned into its XOP-decoded infoset (each `xop:Include` replaced by the base64 of its part),
   the Body's child element is extracted with its namespace declarations and validated against
   the served DemandeLogementImplService.xsd, or, for a wrapper of the document service
   (PieceJustificativeImplService), against the PieceJustificativeImplService.xsd that service
   serves (it includes DemandeLogementImplService.xsd), or, for the wrappers of the search and
   event services (fichierXmlParametres/fichierXmlReponse), against FichierXmlImplService.xsd as
   they serve it; for a fault, the Detail's `demandeLogementException` is.
One PASS/FAIL line per document.
"""

import copy
import glob
import os
import re
import ssl
import subprocess
import sys
import urllib.request
from urllib.parse import urljoin

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "python"))

import interop_common as ic  # noqa: E402
from lxml import etree  # noqa: E402

CLIENT = "xmllint"
XS_NS = "http://www.w3.org/2001/XMLSchema"
WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
SERVICE_XSD = "DemandeLogementImplService.xsd"
PIECES_XSD = "PieceJustificativeImplService.xsd"
FICHIER_XML_XSD = "FichierXmlImplService.xsd"
RECHERCHE_XSD = "InterfaceNuuRecherche_v0200.xsd"
TYPES_XSD = "InterfaceNuuGPTypeEvenement_v0200.xsd"
EVENEMENTS_XSD = "InterfaceNuuGPEvenement_v0200.xsd"
# The file schemas each service serves beside its WSDL (their include, domains.xsd, follows).
SERVICE_FILE_XSD = {
    ic.RECHERCHE_SERVICE: [RECHERCHE_XSD],
    ic.EVENEMENTS_SERVICE: [TYPES_XSD, EVENEMENTS_XSD],
}
# The schema of the file an operation of the search or event services carries (and returns):
# the contract chooses it by the operation (FichierXmlImplService.xsd says which).
FILE_XSD = {
    ic.RECHERCHE_OPERATION: RECHERCHE_XSD,
    "listerTypesEvenementsNationaux": TYPES_XSD,
    "listerTypesEvenementsTerritoriaux": TYPES_XSD,
    "listerEvenementsDemande": EVENEMENTS_XSD,
    "ajouterEvenementDemande": EVENEMENTS_XSD,
    "modifierEvenementDemande": EVENEMENTS_XSD,
    "supprimerEvenementDemande": EVENEMENTS_XSD,
}
FILE_OPERATION = re.compile(r"-(" + "|".join(FILE_XSD) + r")(\.[^/]*)?\.xml$")
BUSINESS_XSD = ["InterfaceNuu_v0200.xsd", "InterfaceNuu_v0201.xsd", "Doublon_V0200.xsd",
                "ListeNumUnique_v0100.xsd"]
# versionInterface 01.00 is the gateway's list layout (radiated since, new DALO): its anomalies
# are part of its own schema.
INTERFACE_XSD = {
    "02.00": "InterfaceNuu_v0200.xsd",
    "02.01": "InterfaceNuu_v0201.xsd",
    "01.00": "ListeNumUnique_v0100.xsd",
}


class Fetcher:
    def __init__(self, args, dest):
        ctx = ssl.create_default_context(cafile=args.cacert)
        ctx.load_cert_chain(args.cert, args.key)
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                                  urllib.request.HTTPSHandler(context=ctx))
        self.dest = dest
        self.fetched = {}
        self.served = {}
        self.conflicts = []

    def get(self, url):
        with self.opener.open(url, timeout=60) as r:
            return r.read()

    def schema(self, url):
        """Fetches a schema and, recursively, what it imports or includes; saves by file name.

        A name served again at another address (each service serves the schemas it includes)
        must be the same bytes, or the single local copy would not be what both services serve.
        """
        name = os.path.basename(url.split("?")[0])
        if name in self.fetched:
            if url != self.fetched[name] and self.get(url) != self.served[name]:
                self.conflicts.append(f"{url} differs from {self.fetched[name]}")
            return
        data = self.get(url)
        self.fetched[name] = url
        self.served[name] = data
        doc = ic.parse_xml(data)
        for el in doc.iter(f"{{{XS_NS}}}import", f"{{{XS_NS}}}include"):
            loc = el.get("schemaLocation")
            if loc:
                self.schema(urljoin(url, loc))
                # xmllint runs with --nonet: every reference must resolve to the local copy.
                el.set("schemaLocation", os.path.basename(loc.split("?")[0]))
        with open(os.path.join(self.dest, name), "wb") as f:
            f.write(etree.tostring(doc, xml_declaration=True, encoding="UTF-8"))


def xmllint(schema, path):
    """(ok, first error line) of `xmllint --noout [--schema S] path`."""
    cmd = ["xmllint", "--noout", "--nonet"]
    if schema:
        cmd += ["--schema", schema]
    p = subprocess.run(cmd + [path], capture_output=True, timeout=120)
    err = p.stderr.decode("utf-8", "replace")
    lines = [ln for ln in err.splitlines() if ln.strip() and not ln.endswith(" validates")]
    return p.returncode == 0, (lines[0] if lines else f"exit {p.returncode}")


def anomaly_wrapper(schemas, xsd_name):
    """A schema declaring a global listeAnomalie of the business schema's t_listeAnomalie."""
    path = os.path.join(schemas, "listeAnomalie_" + xsd_name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(f'<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<xs:schema xmlns:xs="{XS_NS}" xmlns="{ic.NUU_NS}" '
                f'targetNamespace="{ic.NUU_NS}" elementFormDefault="qualified">\n'
                f'  <xs:include schemaLocation="{xsd_name}"/>\n'
                f'  <xs:element name="listeAnomalie" type="t_listeAnomalie"/>\n'
                f'</xs:schema>\n')
    return path


def write_doc(work, name, element):
    path = os.path.join(work, name)
    with open(path, "wb") as f:
        f.write(etree.tostring(copy.deepcopy(element), xml_declaration=True, encoding="UTF-8"))
    return path


def check_operation_file(rep, schemas, path, xsd, root):
    """A search or event file: valid as a whole against its operation's schema."""
    name = os.path.basename(path)
    tag = etree.QName(root)
    if tag.localname != "interfaceNuu" or root.get("versionInterface") != "02.00":
        return rep.fail(name, f"root {tag.localname} version {root.get('versionInterface')!r}, "
                              f"not the interfaceNuu 02.00 of {xsd}")
    codes = ic.codes_anomalies(root)
    ok, err = xmllint(os.path.join(schemas, xsd), path)
    refus = f" (refused: {', '.join(codes)})" if codes else ""
    if ok:
        rep.ok(name, f"valid against {xsd}{refus}")
    else:
        rep.fail(name, f"invalid against {xsd}{refus}: {err}")


def check_business_file(rep, schemas, work, path):
    name = os.path.basename(path)
    ok, err = xmllint(None, path)
    if not ok:
        return rep.fail(name, f"not well-formed: {err}")
    with open(path, "rb") as f:
        root = ic.parse_xml(f.read())
    tag = etree.QName(root)
    if tag.namespace != ic.NUU_NS:
        return rep.fail(name, f"root {root.tag} is not in {ic.NUU_NS}")
    m = FILE_OPERATION.search(name)
    if m:
        return check_operation_file(rep, schemas, path, FILE_XSD[m.group(1)], root)
    if tag.localname == "interfaceNuu":
        version = root.get("versionInterface")
        xsd = INTERFACE_XSD.get(version)
        if xsd is None:
            return rep.fail(name, f"versionInterface {version!r} has no served schema")
    elif tag.localname == "listeDoublons":
        xsd = "Doublon_V0200.xsd"
    elif tag.localname == "listeNumUnique":
        xsd = "ListeNumUnique_v0100.xsd"
    else:
        return rep.fail(name, f"unexpected root {tag.localname}")
    listes = list(root.iter(ic.q("listeAnomalie")))
    if not listes or xsd == "ListeNumUnique_v0100.xsd":
        ok, err = xmllint(os.path.join(schemas, xsd), path)
        if ok:
            rep.ok(name, f"valid against {xsd}")
        else:
            rep.fail(name, f"invalid against {xsd}: {err}")
        return
    if tag.localname != "interfaceNuu":
        return rep.fail(name, f"listeAnomalie in a {tag.localname} document")
    wrapper = anomaly_wrapper(schemas, xsd)
    problems, n = [], 0
    for i, liste in enumerate(listes):
        if len(liste) == 0:
            problems.append("empty listeAnomalie (an accepted file has none)")
        n += len([c for c in liste if isinstance(c.tag, str)])
        sub = write_doc(work, f"{name}.listeAnomalie{i}.xml", liste)
        ok, err = xmllint(wrapper, sub)
        if not ok:
            problems.append(f"listeAnomalie invalid against {xsd}#t_listeAnomalie: {err}")
    rep.verdict(name, problems, f"well-formed; {n} anomalie(s) valid against {xsd} "
                                f"t_listeAnomalie (rejected content not validated)")


def global_elements(xsd_path):
    """Names of the elements a schema document declares at its top level (not its includes')."""
    with open(xsd_path, "rb") as f:
        doc = ic.parse_xml(f.read())
    return {el.get("name") for el in doc.findall(f"{{{XS_NS}}}element")}


def check_envelope(rep, schemas, work, path, pieces_wrappers, fichier_xml_wrappers):
    name = os.path.basename(path)
    content_type = ""
    hpath = path + "-headers"
    if os.path.exists(hpath):
        with open(hpath, encoding="latin-1") as f:
            for line in f:
                if line.lower().startswith("content-type:"):
                    content_type = line.split(":", 1)[1].strip()
    if not content_type:
        return rep.fail(name, f"no Content-Type in {os.path.basename(hpath)}")
    with open(path, "rb") as f:
        raw = f.read()
    try:
        envelope, _ = ic.xop_decode(content_type, raw)
        root = ic.parse_xml(envelope)
    except Exception as e:  # noqa: BLE001
        return rep.fail(name, f"cannot decode the response ({content_type}): {e}")
    soap_ns = etree.QName(root).namespace
    if etree.QName(root).localname != "Envelope" or soap_ns not in (ic.SOAP12_NS, ic.SOAP11_NS):
        return rep.fail(name, f"root {root.tag} is not a SOAP envelope")
    body = root.find(f"{{{soap_ns}}}Body")
    children = [c for c in body if isinstance(c.tag, str)] if body is not None else []
    if len(children) != 1:
        return rep.fail(name, f"Body has {len(children)} element children, expected 1")
    child = children[0]
    what = etree.QName(child).localname
    if child.tag == f"{{{soap_ns}}}Fault":
        detail = child.find(f"{{{soap_ns}}}Detail") if soap_ns == ic.SOAP12_NS \
            else child.find("detail")
        exc = detail.find(f"{{{ic.WS_NS}}}demandeLogementException") \
            if detail is not None else None
        if exc is None:
            return rep.fail(name, "fault without Detail/demandeLogementException")
        child, what = exc, "Fault/Detail/demandeLogementException"
    if etree.QName(child).namespace != ic.WS_NS:
        return rep.fail(name, f"Body child {child.tag} is not in {ic.WS_NS}")
    local = etree.QName(child).localname
    xsd = PIECES_XSD if local in pieces_wrappers \
        else FICHIER_XML_XSD if local in fichier_xml_wrappers else SERVICE_XSD
    doc = write_doc(work, name + ".body.xml", child)
    ok, err = xmllint(os.path.join(schemas, xsd), doc)
    mtom = "MTOM, XOP-decoded" if ic.header_params(content_type)[0] == "multipart/related" \
        else "inline"
    if ok:
        rep.ok(name, f"{what} ({mtom}) valid against {xsd}")
    else:
        rep.fail(name, f"{what} ({mtom}) invalid against {xsd}: {err}")


def main():
    args = ic.parse_args(__doc__.splitlines()[1])
    rep = ic.Report(CLIENT)
    schemas = os.path.join(args.out, "xmllint-schemas")
    work = os.path.join(args.out, "xmllint-work")
    os.makedirs(schemas, exist_ok=True)
    os.makedirs(work, exist_ok=True)

    fetcher = Fetcher(args, schemas)

    def wsdl_schemas(endpoint):
        """Fetches what the WSDL at `endpoint?wsdl` names; returns those names."""
        wsdl_url = endpoint + "?wsdl"
        wsdl = ic.parse_xml(fetcher.get(wsdl_url))
        named = []
        for el in wsdl.iter(f"{{{XS_NS}}}import", f"{{{XS_NS}}}include",
                            f"{{{WSDL_NS}}}import"):
            loc = el.get("schemaLocation") or el.get("location")
            if loc:
                named.append(loc)
                fetcher.schema(urljoin(wsdl_url, loc))
        return named

    try:
        named = wsdl_schemas(args.endpoint)
        problems = []
        if SERVICE_XSD not in fetcher.fetched:
            problems.append(f"the WSDL does not name {SERVICE_XSD} (names {named})")
        for xsd in BUSINESS_XSD:
            try:
                fetcher.schema(urljoin(args.endpoint, xsd))
            except Exception as e:  # noqa: BLE001
                problems.append(f"{xsd}: {e}")
        named_pieces = wsdl_schemas(ic.pieces_endpoint(args.endpoint))
        if PIECES_XSD not in fetcher.fetched:
            problems.append(f"the document service's WSDL does not name {PIECES_XSD} "
                            f"(names {named_pieces})")
        named_fichier_xml = []
        for service, file_xsds in SERVICE_FILE_XSD.items():
            endpoint = ic.service_endpoint(args.endpoint, service)
            named_service = wsdl_schemas(endpoint)
            named_fichier_xml += named_service
            if FICHIER_XML_XSD not in {os.path.basename(n.split("?")[0]) for n in named_service}:
                problems.append(f"the WSDL of {service} does not name {FICHIER_XML_XSD} "
                                f"(names {named_service})")
            for xsd in file_xsds:
                try:
                    fetcher.schema(urljoin(endpoint, xsd))
                except Exception as e:  # noqa: BLE001
                    problems.append(f"{service}/{xsd}: {e}")
        problems += fetcher.conflicts
        rep.verdict("schemas", problems, f"WSDLs name {named}, {named_pieces} and "
                                         f"{sorted(set(named_fichier_xml))}; fetched "
                                         f"{', '.join(sorted(fetcher.fetched))}")
        pieces_wrappers = global_elements(os.path.join(schemas, PIECES_XSD)) \
            if PIECES_XSD in fetcher.fetched else set()
        fichier_xml_wrappers = global_elements(os.path.join(schemas, FICHIER_XML_XSD)) \
            if FICHIER_XML_XSD in fetcher.fetched else set()
    except Exception as e:  # noqa: BLE001
        rep.fail("schemas", f"cannot fetch the WSDLs or their schemas: {type(e).__name__}: {e}")
        return 0

    files = sorted(glob.glob(os.path.join(args.out, "*.xml")))
    responses = sorted(glob.glob(os.path.join(args.out, "*.response")))
    if not files and not responses:
        rep.fail("documents", f"nothing to validate in {args.out}")
    for path in files:
        ic.guarded(rep, os.path.basename(path),
                   lambda p=path: check_business_file(rep, schemas, work, p))
    for path in responses:
        ic.guarded(rep, os.path.basename(path),
                   lambda p=path: check_envelope(rep, schemas, work, p, pieces_wrappers,
                                                 fichier_xml_wrappers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
