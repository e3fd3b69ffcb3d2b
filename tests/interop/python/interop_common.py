"""Shared by the Python interop clients, the curl step and the xmllint step.

Holds what every client must agree on so that two toolkits are judged by the same rules: the
protocol's arguments, the PASS/FAIL line format, the expectations of each fixed call
(tests/interop/PROTOCOL.md), and a small MIME/XOP decoder for raw MTOM responses. Only the
standard library and lxml (installed with zeep) are used.
"""

import argparse
import base64
import os
import re
import sys
from urllib.parse import unquote

from lxml import etree

NUU_NS = "http://nuu.application.i2/"
WS_NS = "http://ws.metier.nuu.application.i2/"
XOP_NS = "http://www.w3.org/2004/08/xop/include"
SOAP12_NS = "http://www.w3.org/2003/05/soap-envelope"
SOAP11_NS = "http://schemas.xmlsoap.org/soap/envelope/"

# Territory 111, November 2026 (= dateCreationDemande of cre_complet_v0201.xml), counter G1104.
# Territory 111, month and year of dateCreationDemande (the fixtures are sent dated today).
NUM_UNIQUE_CRE = re.compile(r"^111(0[1-9]|1[0-2])[0-9]{2}[0-9]{6}G1104$")
NUM_UNIQUE_INCONNU = "1111126999999G1104"
FIXTURE_CRE = "demande/valid/cre_complet_v0201.xml"
FIXTURE_INVALIDE = "demande/invalid/long_nom_v0200.xml"
PROPRIETE_LONG_NOM = "interfaceNuu/demande/demandeLogement/personnePhysique/demandeur/nom"


def parse_args(description):
    """The protocol's command line (PROTOCOL.md, "How a client is invoked")."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--endpoint", required=True,
                   help="https://HOST:PORT/services/DemandeLogementImplService/")
    p.add_argument("--cacert", required=True, help="CA that signed the server certificate (PEM)")
    p.add_argument("--cert", required=True, help="counter G1104 certificate (PEM)")
    p.add_argument("--key", required=True, help="counter G1104 key (PEM, PKCS#8)")
    p.add_argument("--other-cert", required=True, help="counter G2201 certificate (PEM)")
    p.add_argument("--other-key", required=True, help="counter G2201 key (PEM, PKCS#8)")
    p.add_argument("--fixtures", required=True, help="the repository's fixtures/ directory")
    p.add_argument("--out", required=True, help="where received files are written")
    a = p.parse_args()
    if not a.endpoint.endswith("/"):
        a.endpoint += "/"
    os.makedirs(a.out, exist_ok=True)
    return a


class Report:
    """Prints the protocol's PASS/FAIL lines (and nothing else on stdout)."""

    def __init__(self, client):
        self.client = client
        self.failed = 0

    def ok(self, call, detail):
        print(f"PASS {self.client} {call} {one_line(detail)}", flush=True)

    def fail(self, call, reason):
        self.failed += 1
        print(f"FAIL {self.client} {call} {one_line(reason)}", flush=True)

    def verdict(self, call, problems, detail):
        """PASS with `detail` when `problems` is empty, else FAIL listing them."""
        if problems:
            self.fail(call, "; ".join(problems))
        else:
            self.ok(call, detail)


def guarded(report, call, fn):
    """Runs one call's step; a crash in the toolkit or in the checks is that call's FAIL."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - every failure must become a FAIL line
        import traceback
        log(traceback.format_exc())
        report.fail(call, f"{type(e).__name__}: {e}")


def one_line(text):
    text = " ".join(str(text).split())
    return text[:400] + ("..." if len(text) > 400 else "")


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def read_fixture(fixtures, rel):
    with open(os.path.join(fixtures, rel), "rb") as f:
        return f.read()


def save(out, client, call, data, ext="xml"):
    """Writes a received document as `<client>-<call>.<ext>` in --out."""
    if data is None:
        return None
    path = os.path.join(out, f"{client}-{call}.{ext}")
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def save_raw_response(out, client, call, content_type, body):
    """Writes a raw HTTP response body and its Content-Type for the xmllint step.

    Convention shared with tests/interop/xmllint/validate.py: `<client>-<call>.response` holds
    the body bytes as received, `<client>-<call>.response-headers` the response headers
    (`Name: value` lines; at least Content-Type).
    """
    base = os.path.join(out, f"{client}-{call}")
    with open(base + ".response", "wb") as f:
        f.write(body)
    with open(base + ".response-headers", "w", encoding="utf-8") as f:
        f.write(f"Content-Type: {content_type}\n")


# --- business files -------------------------------------------------------------------------

def parse_xml(data):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(data, parser)


def q(name):
    return f"{{{NUU_NS}}}{name}"


def num_unique(root):
    el = root.find(f"{q('demande')}/{q('demandeLogement')}/{q('numUnique')}")
    return el.text.strip() if el is not None and el.text else None


def anomalies(root):
    """[(code, propriete, message)] of every listeAnomalie/anomalie in the file."""
    found = []
    for a in root.iter(q("anomalie")):
        msg = a.find(q("message"))
        found.append((a.get("code"), a.get("propriete"), msg.text if msg is not None else None))
    return found


def has_liste_anomalie(root):
    return next(root.iter(q("listeAnomalie")), None) is not None


def nom_demandeur(fixture_bytes):
    root = parse_xml(fixture_bytes)
    el = next(root.iter(q("demandeur")), None)
    nom = el.find(q("nom")) if el is not None else None
    return nom.text.strip() if nom is not None and nom.text else None


def as_bytes(value):
    """Toolkits hand back base64Binary as bytes, str (base64 text) or a wrapper object."""
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str):
        return base64.b64decode(value)
    raise TypeError(f"unexpected binary value {type(value).__name__}")


# --- expectations of the fixed calls (PROTOCOL.md) -----------------------------------------

def check_cre(fichier, nom_attestation, attestation):
    """getNumUnique.CRE: returns (problems, numUnique, detail)."""
    problems = []
    if not fichier:
        return ["fichierDemande absent or empty"], None, ""
    try:
        root = parse_xml(fichier)
    except etree.XMLSyntaxError as e:
        return [f"fichierDemande is not XML: {e}"], None, ""
    num = num_unique(root)
    if num is None:
        problems.append("no demandeLogement/numUnique in fichierDemande")
    elif not NUM_UNIQUE_CRE.match(num):
        problems.append(f"numUnique {num!r} does not match {NUM_UNIQUE_CRE.pattern}")
    if has_liste_anomalie(root):
        problems.append(f"listeAnomalie present: {anomalies(root)}")
    if num and nom_attestation != f"ATT{num}.pdf":
        problems.append(f"nomAttestation {nom_attestation!r} != 'ATT{num}.pdf'")
    if not attestation or not attestation.startswith(b"%PDF-"):
        head = attestation[:8] if attestation else attestation
        problems.append(f"attestation does not start with %PDF- ({head!r})")
    detail = f"numUnique={num} {nom_attestation} ({len(attestation or b'')} bytes PDF)"
    return problems, num, detail


def check_relire(fichier, fichier_cre):
    if fichier is None:
        return ["fichierDemande absent"], ""
    if fichier_cre is None:
        return ["no file from getNumUnique.CRE to compare with"], ""
    if fichier != fichier_cre:
        at = next((i for i, (a, b) in enumerate(zip(fichier, fichier_cre)) if a != b),
                  min(len(fichier), len(fichier_cre)))
        return [f"file differs from getNumUnique.CRE's at byte {at} "
                f"({len(fichier)} vs {len(fichier_cre)} bytes)"], ""
    return [], f"{len(fichier)} bytes, identical to getNumUnique.CRE's file"


def check_anomalie(fichier, code, propriete=None, absent_text=None):
    """Returned file must carry an anomalie `code` (with `propriete` when given)."""
    if not fichier:
        return ["fichierDemande absent or empty"], ""
    try:
        root = parse_xml(fichier)
    except etree.XMLSyntaxError as e:
        return [f"fichierDemande is not XML: {e}"], ""
    found = anomalies(root)
    problems = []
    hit = [a for a in found if a[0] == code and (propriete is None or a[1] == propriete)]
    if not hit:
        want = f"code={code}" + (f" propriete={propriete}" if propriete else "")
        problems.append(f"no anomalie {want}; got {[(c, p) for c, p, _ in found]}")
    if absent_text and absent_text.encode("utf-8") in fichier:
        problems.append(f"file contains the applicant's nom {absent_text!r}")
    detail = f"anomalie {code}" + (f" on {propriete}" if propriete else "")
    if absent_text:
        detail += ", applicant's nom not disclosed"
    return problems, detail


def check_fault_text(texts, code=None):
    """getNumUnique.fauteGuichet: the fault's message or reason names both counters."""
    joined = " | ".join(t for t in texts if t)
    problems = []
    for guichet in ("G2201", "G1104"):
        if guichet not in joined:
            problems.append(f"fault text does not name {guichet}: {joined!r}")
    detail = f"fault{(' ' + code) if code else ''}: {joined[:160]}"
    return problems, detail


# --- raw MIME / XOP --------------------------------------------------------------------------

def header_params(value):
    """Splits `type/subtype; a=b; c="d"` into (type, {a: b, c: d}) (quotes and case handled)."""
    parts = []
    cur, quoted = "", False
    for ch in value:
        if ch == '"':
            quoted = not quoted
            cur += ch
        elif ch == ";" and not quoted:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    mtype = parts[0].strip().lower()
    params = {}
    for p in parts[1:]:
        if "=" in p:
            k, v = p.split("=", 1)
            v = v.strip()
            if len(v) >= 2 and v[0] == v[-1] == '"':
                v = v[1:-1]
            params[k.strip().lower()] = v
    return mtype, params


def split_multipart(content_type, body):
    """[(headers {lowercase name: value}, decoded bytes)] of a multipart body.

    Tolerates bare LF framing; decodes Content-Transfer-Encoding base64 (other encodings are
    identity).
    """
    _, params = header_params(content_type)
    boundary = params.get("boundary")
    if not boundary:
        raise ValueError("multipart Content-Type without boundary")
    delim = b"--" + boundary.encode("ascii")
    chunks = body.split(delim)
    parts = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        if chunk.startswith(b"\r\n"):
            chunk = chunk[2:]
        elif chunk.startswith(b"\n"):
            chunk = chunk[1:]
        # The CRLF before the next delimiter belongs to the delimiter.
        if chunk.endswith(b"\r\n"):
            chunk = chunk[:-2]
        elif chunk.endswith(b"\n"):
            chunk = chunk[:-1]
        m = re.search(rb"\r?\n\r?\n", chunk)
        if m is None:
            head, content = chunk, b""
        else:
            head, content = chunk[:m.start()], chunk[m.end():]
        headers = {}
        for line in re.split(rb"\r?\n", head):
            if b":" in line:
                k, v = line.split(b":", 1)
                headers[k.strip().decode("ascii").lower()] = v.strip().decode("utf-8")
        cte = headers.get("content-transfer-encoding", "").lower()
        if cte == "base64":
            content = base64.b64decode(b"".join(content.split()))
        parts.append((headers, content))
    return parts


def strip_cid(value):
    value = value.strip()
    if value.lower().startswith("cid:"):
        value = unquote(value[4:])
    return value.strip("<>")


def xop_decode(content_type, body):
    """Returns (envelope bytes, {content-id: part bytes}) of a raw SOAP response.

    For MTOM, every `<xop:Include href="cid:X"/>` is replaced by the base64 of part X, giving
    the XOP-decoded infoset; a plain SOAP response comes back unchanged.
    """
    mtype, params = header_params(content_type)
    if mtype != "multipart/related":
        return body, {}
    parts = split_multipart(content_type, body)
    if not parts:
        raise ValueError("multipart response without parts")
    by_id = {}
    for headers, content in parts:
        cid = headers.get("content-id")
        if cid:
            by_id[strip_cid(cid)] = content
    start = params.get("start")
    root = by_id.get(strip_cid(start)) if start else None
    if root is None:
        root = parts[0][1]
    doc = parse_xml(root)
    for inc in list(doc.iter(f"{{{XOP_NS}}}Include")):
        ref = strip_cid(inc.get("href", ""))
        if ref not in by_id:
            raise ValueError(f"xop:Include href {inc.get('href')!r} names no part")
        parent = inc.getparent()
        parent.remove(inc)
        parent.text = base64.b64encode(by_id[ref]).decode("ascii")
    return etree.tostring(doc, xml_declaration=True, encoding="UTF-8"), by_id


# --- the life of an application (PROTOCOL.md, "Calls of the lifecycle") -------------------

def today():
    """Today in Paris, as the gateway counts days (YYYY-MM-DD)."""
    import datetime
    from zoneinfo import ZoneInfo
    return datetime.datetime.now(ZoneInfo("Europe/Paris")).date().isoformat()


def as_type(fichier, type_fichier):
    """The file with `entete/typeFichier` set to `type_fichier`."""
    return re.sub(rb"<ns2:typeFichier>[A-Z]{3}</ns2:typeFichier>",
                  f"<ns2:typeFichier>{type_fichier}</ns2:typeFichier>".encode(), fichier, count=1)


def with_block(fichier, block):
    """The file with `block` placed just before `incrementFichier`, as the schema wants."""
    return fichier.replace(b"<ns2:incrementFichier>", block.encode() + b"<ns2:incrementFichier>", 1)


def renouvellement():
    return f"<ns2:renouvellement><ns2:dateRenouvellement>{today()}</ns2:dateRenouvellement></ns2:renouvellement>"


def radiation():
    return (f"<ns2:radiation><ns2:dateRadiation>{today()}</ns2:dateRadiation>"
            '<ns2:motifRadiation code="RADABA"/></ns2:radiation>')


def crs_file(fixture, num):
    """The CRE fixture as a CRS whose numUniqueAssocie is `num`."""
    f = as_type(fixture, "CRS")
    return f.replace(b"<ns2:dateCreationDemande>",
                     f"<ns2:numUniqueAssocie>{num}</ns2:numUniqueAssocie><ns2:dateCreationDemande>".encode(), 1)


def check_accepted(fichier, num=None, increment=None):
    """An accepted getNumUnique or DALO file: no listeAnomalie, the number, the version."""
    if not fichier:
        return ["file absent or empty"], ""
    root = parse_xml(fichier)
    problems = []
    if has_liste_anomalie(root):
        problems.append(f"listeAnomalie present: {anomalies(root)}")
    got = num_unique(root)
    if num is not None and got != num:
        problems.append(f"numUnique {got!r}, expected {num!r}")
    el = root.find(f"{q('demande')}/{q('demandeLogement')}/{q('incrementFichier')}")
    inc = el.text.strip() if el is not None and el.text else None
    if increment is not None and inc != str(increment):
        problems.append(f"incrementFichier {inc!r}, expected {increment}")
    return problems, f"numUnique={got} incrementFichier={inc}"


def check_liste(fichier, num, type_fichier):
    """A list result (ListeNumUnique_v0100.xsd): interfaceNuu 01.00 holding `num`."""
    if not fichier:
        return ["list file absent or empty"], ""
    root = parse_xml(fichier)
    problems = []
    if etree.QName(root).localname != "interfaceNuu" or root.get("versionInterface") != "01.00":
        problems.append(f"root {root.tag} version {root.get('versionInterface')!r}, not interfaceNuu 01.00")
    t = root.find(f"{q('entete')}/{q('typeFichier')}")
    if t is None or t.text != type_fichier:
        problems.append(f"typeFichier {None if t is None else t.text!r}, expected {type_fichier}")
    nums = [e.text for e in root.iter(q("numUnique"))]
    if num not in nums:
        problems.append(f"{num} not in the list {nums}")
    return problems, f"{len(nums)} application(s), {num} among them"


def check_doublons(liste, num):
    """getDoublons: a listeDoublons file naming `num`."""
    if not liste:
        return ["listeDoublons absent"], ""
    root = parse_xml(liste)
    problems = []
    if etree.QName(root).localname != "listeDoublons":
        problems.append(f"root {root.tag}, not listeDoublons")
    nums = [e.text for e in root.iter(q("numUnique"))]
    if num not in nums:
        problems.append(f"{num} not among the duplicates {nums}")
    return problems, f"{len(nums)} duplicate(s), {num} among them"
