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


# --- the dossier unique (PROTOCOL.md, "Calls of the dossier unique") -----------------------

PIECES_SERVICE = "PieceJustificativeImplService"
PIECES_OPERATIONS = {"deposerPiece", "deposerLotPieces", "listerPieces", "getPiece",
                     "qualifierPiece", "supprimerPiece", "getEtatDossier"}
PIECES_CALLS = ["pieces.wsdl", "deposerPiece", "deposerPiece.refus", "deposerLotPieces",
                "listerPieces", "getPiece", "getPiece.autreTerritoire", "qualifierPiece",
                "getEtatDossier", "supprimerPiece"]
ID_PIECE = re.compile(r"^PJ[0-9a-f]{24}$")
PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n"
       b"<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
GIF = b"GIF89a\x01\x00\x01"


def _png():
    import struct
    import zlib

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


PNG = _png()


def pieces_endpoint(endpoint):
    """The document service's endpoint beside the application service's."""
    return endpoint.replace("DemandeLogementImplService", PIECES_SERVICE)


def field(obj, name):
    """A child or attribute of a toolkit's answer object (suds prefixes attributes with `_`)."""
    if obj is None:
        return None
    value = getattr(obj, name, None)
    return getattr(obj, "_" + name, None) if value is None else value


def as_list(value):
    """A repeated element: a list, a single object (suds, sometimes) or absent."""
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def piece_anomalies(reponse):
    """[(code, propriete)] of a document-service answer's listeAnomalie."""
    liste = field(reponse, "listeAnomalie")
    return [(str(field(a, "code")), field(a, "propriete"))
            for a in as_list(field(liste, "anomalie"))]


def _text(value):
    return None if value is None else str(value)


def check_depot(r, data):
    """deposerPiece: an idPiece, the content's SHA-256 and size, DEPOSEE, no anomaly.

    Returns (problems, idPiece when well-formed, detail).
    """
    import hashlib
    problems = []
    id_piece = _text(field(r, "idPiece"))
    if not id_piece or not ID_PIECE.match(id_piece):
        problems.append(f"idPiece {id_piece!r} does not match {ID_PIECE.pattern}")
        id_piece = None
    sha = hashlib.sha256(data).hexdigest()
    if _text(field(r, "empreinte")) != sha:
        problems.append(f"empreinte {_text(field(r, 'empreinte'))!r}, expected {sha}")
    taille = field(r, "taille")
    if taille is None or int(taille) != len(data):
        problems.append(f"taille {taille!r}, expected {len(data)}")
    if _text(field(r, "statut")) != "DEPOSEE":
        problems.append(f"statut {_text(field(r, 'statut'))!r}, expected DEPOSEE")
    if piece_anomalies(r):
        problems.append(f"listeAnomalie present: {piece_anomalies(r)}")
    return problems, id_piece, f"{id_piece}, {len(data)} bytes, SHA-256 {sha[:12]}..., DEPOSEE"


def check_refus(r, code, absent=("idPiece",)):
    """A refusal: anomalie `code`, none of the fields `absent`."""
    codes = [c for c, _ in piece_anomalies(r)]
    problems = [] if code in codes else [f"no anomalie {code}; got {codes}"]
    problems += [f"{name} present in a refusal" for name in absent if field(r, name) is not None]
    return problems, f"anomalie {code}"


def check_lot(r):
    """deposerLotPieces: rang 1 deposited, rang 2 refused DEM-INC.

    Returns (problems, idPiece of rang 1 when well-formed, detail).
    """
    # zeep hands back the only child of a wrapper (the resultat list) instead of the wrapper.
    resultats = list(r) if isinstance(r, list) else as_list(field(r, "resultat"))
    if len(resultats) != 2:
        return [f"{len(resultats)} resultat, expected 2"], None, ""
    first, second = resultats
    problems = []
    ranks = [_text(field(x, "rang")) for x in resultats]
    if ranks != ["1", "2"]:
        problems.append(f"rang {ranks}, expected ['1', '2']")
    id_piece = _text(field(first, "idPiece"))
    if not id_piece or not ID_PIECE.match(id_piece) or piece_anomalies(first):
        problems.append(f"rang 1: idPiece {id_piece!r}, anomalies {piece_anomalies(first)}")
        id_piece = id_piece if id_piece and ID_PIECE.match(id_piece) else None
    if "DEM-INC" not in [c for c, _ in piece_anomalies(second)] or field(second, "idPiece"):
        problems.append(f"rang 2: idPiece {_text(field(second, 'idPiece'))!r}, "
                        f"anomalies {piece_anomalies(second)} (expected DEM-INC)")
    return problems, id_piece, f"rang 1 {id_piece}, rang 2 DEM-INC"


def check_liste_pieces(r, id_depot, id_avis):
    """listerPieces: the deposerPiece piece, then the AVISIMPOT one."""
    pieces = as_list(field(r, "piece"))
    seen = [(_text(field(p, "idPiece")), _text(field(p, "codeCategorie")),
             _text(field(p, "nomFichier"))) for p in pieces]
    want = [(id_depot, "IDENTITE", "cni.pdf"), (id_avis, "AVISIMPOT", "avis.png")]
    problems = [] if seen == want else [f"pieces {seen}, expected {want}"]
    if piece_anomalies(r):
        problems.append(f"listeAnomalie present: {piece_anomalies(r)}")
    return problems, f"{len(pieces)} pieces: IDENTITE cni.pdf, then AVISIMPOT avis.png"


def check_get_piece(r, contenu, id_piece):
    """getPiece: the same idPiece, the content byte for byte (decoded by the caller)."""
    problems = []
    got = _text(field(field(r, "piece"), "idPiece"))
    if got != id_piece:
        problems.append(f"piece/idPiece {got!r}, expected {id_piece}")
    if contenu != PDF:
        head = contenu[:12] if contenu else contenu
        problems.append(f"fichier is not the PDF deposited ({len(contenu or b'')} bytes, "
                        f"starts {head!r})")
    if piece_anomalies(r):
        problems.append(f"listeAnomalie present: {piece_anomalies(r)}")
    return problems, f"{id_piece}, {len(contenu or b'')} bytes identical to the PDF deposited"


def check_qualifier(r):
    piece = field(r, "piece")
    statut, motif = _text(field(piece, "statut")), _text(field(piece, "motifStatut"))
    problems = []
    if (statut, motif) != ("INEXPLOITABLE", "illisible"):
        problems.append(f"statut {statut!r} motifStatut {motif!r}, expected INEXPLOITABLE illisible")
    if piece_anomalies(r):
        problems.append(f"listeAnomalie present: {piece_anomalies(r)}")
    return problems, "piece INEXPLOITABLE (illisible)"


def check_etat(r):
    """getEtatDossier: registration complete; committee incomplete, AVISIMPOT INEXPLOITABLE."""
    def complet(etape):
        return str(field(etape, "complet")).lower() == "true"
    etapes = {_text(field(e, "code")): e for e in as_list(field(r, "etape"))}
    problems = []
    enr, com = etapes.get("ENREGISTREMENT"), etapes.get("COMMISSION")
    if enr is None or not complet(enr):
        problems.append(f"ENREGISTREMENT complet {field(enr, 'complet')!r}, expected true")
    if com is None or complet(com):
        problems.append(f"COMMISSION complet {field(com, 'complet')!r}, expected false")
    etats = {}
    for ex in as_list(field(com, "exigence")):
        for code in as_list(field(ex, "codeCategorie")):
            etats[_text(code)] = _text(field(ex, "etat"))
    if etats.get("AVISIMPOT") != "INEXPLOITABLE":
        problems.append(f"COMMISSION exigence AVISIMPOT etat {etats.get('AVISIMPOT')!r}, "
                        f"expected INEXPLOITABLE (exigences {etats})")
    if piece_anomalies(r):
        problems.append(f"listeAnomalie present: {piece_anomalies(r)}")
    return problems, "ENREGISTREMENT complet, COMMISSION incomplet (AVISIMPOT INEXPLOITABLE)"


def check_supprimer(r, id_piece):
    got = _text(field(r, "idPiece"))
    problems = [] if got == id_piece else [f"idPiece {got!r}, expected {id_piece}"]
    if piece_anomalies(r):
        problems.append(f"listeAnomalie present: {piece_anomalies(r)}")
    return problems, f"{id_piece} deleted"


# --- the search and the shared events (PROTOCOL.md, "Calls of the search and the shared events")

RECHERCHE_SERVICE = "RechercheDemandeImplService"
EVENEMENTS_SERVICE = "GestionPartageeEVTImplService"
RECHERCHE_OPERATION = "rechercheDemandeMulticritere"
EVENEMENTS_OPERATIONS = {"listerTypesEvenementsNationaux", "listerTypesEvenementsTerritoriaux",
                         "listerEvenementsDemande", "ajouterEvenementDemande",
                         "modifierEvenementDemande", "supprimerEvenementDemande"}
RECHERCHE_CALLS = ["recherche.wsdl", "rechercheDemandeMulticritere.personne",
                   "rechercheDemandeMulticritere.commune", "rechercheDemandeMulticritere.refus"]
EVENEMENTS_CALLS = ["evenements.wsdl", "listerTypesEvenementsNationaux",
                    "listerTypesEvenementsTerritoriaux", "ajouterEvenementDemande",
                    "ajouterEvenementDemande.reglementaire", "listerEvenementsDemande",
                    "modifierEvenementDemande", "supprimerEvenementDemande",
                    "supprimerEvenementDemande.refus"]
# `nomFichier` of each kind of file (the answer's nomFichierXmlRetour echoes it).
NOM_RECHERCHE = "RMC-G1104.xml"
NOM_TYPES = "TEVT-G1104.xml"
NOM_EVENEMENTS = "EVT-G1104.xml"
# The applicant of cre_complet_v0201.xml is Camille MARTIN, born DURAND: searched by her birth
# name spelt with an accent and in lower case, her first name in capitals (names are compared
# without accents, case, spaces or hyphens).
PERSONNE_NOM = "dûrand"
PERSONNE_PRENOM = "CAMILLE"
COMMUNE = "31555"
LIEU = "Guichet de Toulouse, entrée B"
LIEU_MODIFIE = "Téléphone"


def service_endpoint(endpoint, service):
    """Another service's endpoint beside the application service's."""
    return endpoint.replace("DemandeLogementImplService", service)


def now_paris():
    import datetime
    from zoneinfo import ZoneInfo
    return datetime.datetime.now(ZoneInfo("Europe/Paris")).strftime("%Y-%m-%dT%H:%M:%S")


def _entete(type_fichier):
    return (f'<?xml version="1.0" encoding="UTF-8"?><ns2:interfaceNuu xmlns:ns2="{NUU_NS}" '
            f'versionInterface="02.00"><ns2:entete><ns2:typeFichier>{type_fichier}</ns2:typeFichier>'
            f"<ns2:dateFichier>{now_paris()}</ns2:dateFichier><ns2:codeGuichet>G1104</ns2:codeGuichet>"
            "</ns2:entete>")


def fichier_recherche(criteres):
    """A search file (InterfaceNuuRecherche_v0200.xsd) with `criteres` in demandeMulticritere."""
    return (_entete("RMC") + f"<ns2:operation><ns2:demandeMulticritere>{criteres}"
            "</ns2:demandeMulticritere></ns2:operation></ns2:interfaceNuu>").encode("utf-8")


def criteres_personne():
    return (f"<ns2:personneRecherchee><ns2:nom>{PERSONNE_NOM}</ns2:nom>"
            f"<ns2:prenom>{PERSONNE_PRENOM}</ns2:prenom></ns2:personneRecherchee>")


def criteres_commune():
    return (f"<ns2:dateDepotDebut>{today()}</ns2:dateDepotDebut><ns2:dateDepotFin>{today()}"
            f"</ns2:dateDepotFin><ns2:communeSouhaitee>{COMMUNE}</ns2:communeSouhaitee>")


CRITERES_REFUS = "<ns2:etatDemande>X</ns2:etatDemande>"


def fichier_types(territoire=None):
    """A file of the event types (InterfaceNuuGPTypeEvenement_v0200.xsd): the national ones, or
    those of `territoire`."""
    operation = (f"<ns2:operation><ns2:codeTerritoire>{territoire}</ns2:codeTerritoire>"
                 "</ns2:operation>") if territoire else ""
    return (_entete("TEVT") + operation + "</ns2:interfaceNuu>").encode("utf-8")


def fichier_evenements(num, evenement=""):
    """An event file (InterfaceNuuGPEvenement_v0200.xsd) on application `num`."""
    liste = f"<ns2:listeEvenements>{evenement}</ns2:listeEvenements>" if evenement else ""
    return (_entete("EVT") + f"<ns2:operation><ns2:numUnique>{num}</ns2:numUnique></ns2:operation>"
            f"{liste}</ns2:interfaceNuu>").encode("utf-8")


def _lieu(valeur):
    return ("<ns2:listeCaracteristiquesSpecifiques><ns2:caracteristiqueSpecifique><ns2:code>LIEU"
            f"</ns2:code><ns2:valeurCaracteristiqueSpecifique>{valeur}"
            "</ns2:valeurCaracteristiqueSpecifique></ns2:caracteristiqueSpecifique>"
            "</ns2:listeCaracteristiquesSpecifiques>")


def evenement_entretien():
    return ("<ns2:evenement><ns2:codeTypeEvenement>ENTRETIEN</ns2:codeTypeEvenement>"
            f"<ns2:dateSurvenance>{today()}</ns2:dateSurvenance>"
            "<ns2:commentaire>Entretien d'accueil.</ns2:commentaire>"
            f"{_lieu(LIEU)}</ns2:evenement>")


def evenement_calpassage():
    return ("<ns2:evenement><ns2:codeTypeEvenement>CALPASSAGE</ns2:codeTypeEvenement>"
            f"<ns2:dateSurvenance>{today()}</ns2:dateSurvenance></ns2:evenement>")


def evenement_modifie(id_evenement):
    return (f"<ns2:evenement><ns2:idEvenement>{id_evenement}</ns2:idEvenement>"
            "<ns2:natureModification>CORR</ns2:natureModification>"
            f"<ns2:dateSurvenance>{today()}</ns2:dateSurvenance>"
            "<ns2:commentaire>Entretien d'accueil, par téléphone.</ns2:commentaire>"
            f"{_lieu(LIEU_MODIFIE)}</ns2:evenement>")


def evenement_id(id_evenement):
    return f"<ns2:evenement><ns2:idEvenement>{id_evenement}</ns2:idEvenement></ns2:evenement>"


def _file_root(fichier, what="fichierXmlRetour"):
    """(problems, root) of a returned business file."""
    if not fichier:
        return [f"{what} absent or empty"], None
    try:
        return [], parse_xml(fichier)
    except etree.XMLSyntaxError as e:
        return [f"{what} is not XML: {e}"], None


def codes_anomalies(root):
    """Codes of listeAnomalies/anomalie (the search and event files' list of anomalies)."""
    liste = root.find(q("listeAnomalies"))
    return [] if liste is None else [a.get("code") for a in liste.findall(q("anomalie"))]


def check_nom_retour(nom, attendu):
    return [] if nom == attendu else [f"nomFichierXmlRetour {nom!r}, expected {attendu!r}"]


def check_recherche(fichier, num, echo=None):
    """A search answer: no listeAnomalies, `num` in listeDemandes, the request's criterion
    `echo` (text, when given) echoed byte for byte."""
    problems, root = _file_root(fichier)
    if root is None:
        return problems, ""
    if codes_anomalies(root):
        problems.append(f"listeAnomalies present: {codes_anomalies(root)}")
    liste = root.find(q("listeDemandes"))
    nums = [] if liste is None else [e.text for e in liste.findall(q("numUnique"))]
    if num not in nums:
        problems.append(f"{num} not in listeDemandes {nums}")
    if echo and echo.encode("utf-8") not in fichier:
        problems.append(f"the answer does not echo the criterion {echo!r} byte for byte")
    detail = f"{len(nums)} application(s), {num} among them"
    if echo:
        detail += f"; {echo!r} echoed"
    return problems, detail


def check_refus_fichier(fichier, code, absent="listeDemandes"):
    """A refused search or event file: anomaly `code` in listeAnomalies, no `absent` list (a
    refused event file echoes the event sent)."""
    problems, root = _file_root(fichier)
    if root is None:
        return problems, ""
    codes = codes_anomalies(root)
    if code not in codes:
        problems.append(f"no anomalie {code} in listeAnomalies; got {codes}")
    if absent and root.find(q(absent)) is not None:
        problems.append(f"{absent} present in a refusal")
    return problems, f"anomalie {code}"


def check_types_nationaux(fichier):
    """listerTypesEvenementsNationaux: ENTRETIEN (LIEU optional), CALPASSAGE (regulatory),
    PIECESDEM (CATEGORIE required) among listeTypesEvenements."""
    problems, root = _file_root(fichier)
    if root is None:
        return problems, ""
    if codes_anomalies(root):
        problems.append(f"listeAnomalies present: {codes_anomalies(root)}")
    types = {}
    for t in root.iterfind(f"{q('listeTypesEvenements')}/{q('typeEvenement')}"):
        caracs = {c.findtext(q("code")): c.findtext(q("obligatoire"))
                  for c in t.iterfind(f"{q('listeCaracteristiquesSpecifiques')}/"
                                      f"{q('caracteristiqueSpecifique')}")}
        types[t.findtext(q("codeTypeEvenement"))] = (t.findtext(q("reglementaire")), caracs)
    want = {"ENTRETIEN": ("false", {"LIEU": "false"}), "CALPASSAGE": ("true", {}),
            "PIECESDEM": ("false", {"CATEGORIE": "true"})}
    for code, attendu in want.items():
        if types.get(code) != attendu:
            problems.append(f"type {code}: (reglementaire, caracteristiques obligatoires) "
                            f"{types.get(code)}, expected {attendu}")
    return problems, (f"{len(types)} national types, ENTRETIEN (LIEU optional), CALPASSAGE "
                      "(regulatory), PIECESDEM (CATEGORIE required)")


def check_types_territoriaux(fichier, territoire="111"):
    """listerTypesEvenementsTerritoriaux: no anomaly, the territory echoed, every type listed
    (none in school mode: the list is then omitted) of that territory."""
    problems, root = _file_root(fichier)
    if root is None:
        return problems, ""
    if codes_anomalies(root):
        problems.append(f"listeAnomalies present: {codes_anomalies(root)}")
    echo = root.findtext(f"{q('operation')}/{q('codeTerritoire')}")
    if echo != territoire:
        problems.append(f"operation/codeTerritoire {echo!r}, expected {territoire}")
    types = root.findall(f"{q('listeTypesEvenements')}/{q('typeEvenement')}")
    autres = [t.findtext(q("codeTypeEvenement")) for t in types
              if t.findtext(q("codeTerritoire")) != territoire]
    if autres:
        problems.append(f"types not of territory {territoire}: {autres}")
    return problems, f"{len(types)} type(s) of territory {territoire}"


def evenements(fichier):
    """{idEvenement: {child name: text, 'LIEU': value}} of listeEvenements, in order."""
    root = parse_xml(fichier)
    found = {}
    for e in root.iterfind(f"{q('listeEvenements')}/{q('evenement')}"):
        champs = {etree.QName(c).localname: c.text for c in e if isinstance(c.tag, str)}
        for c in e.iterfind(f"{q('listeCaracteristiquesSpecifiques')}/{q('caracteristiqueSpecifique')}"):
            champs[c.findtext(q("code"))] = c.findtext(q("valeurCaracteristiqueSpecifique"))
        found[champs.get("idEvenement")] = champs
    return found


def check_evenement(fichier, expect, id_evenement=None):
    """An event answer holding one event whose fields include `expect` (name: text);
    returns (problems, idEvenement, detail)."""
    problems, root = _file_root(fichier)
    if root is None:
        return problems, None, ""
    if codes_anomalies(root):
        problems.append(f"listeAnomalies present: {codes_anomalies(root)}")
    evts = evenements(fichier)
    if len(evts) != 1:
        return problems + [f"{len(evts)} evenement(s) in listeEvenements, expected 1"], None, ""
    (got_id, champs), = evts.items()
    if not got_id or not got_id.isdigit():
        problems.append(f"idEvenement {got_id!r} is not a number")
    if id_evenement is not None and got_id != id_evenement:
        problems.append(f"idEvenement {got_id}, expected {id_evenement}")
    for k, v in expect.items():
        if champs.get(k) != v:
            problems.append(f"{k} {champs.get(k)!r}, expected {v!r}")
    shown = ", ".join(f"{k} {v}" for k, v in expect.items())
    return problems, got_id, f"idEvenement {got_id}: {shown}"


def check_liste_evenements(fichier, id_entretien, id_cal):
    """listerEvenementsDemande: both events, ENTRETIEN with its LIEU."""
    problems, root = _file_root(fichier)
    if root is None:
        return problems, ""
    if codes_anomalies(root):
        problems.append(f"listeAnomalies present: {codes_anomalies(root)}")
    evts = evenements(fichier)
    if list(evts) != [id_entretien, id_cal]:
        problems.append(f"events {list(evts)}, expected [{id_entretien}, {id_cal}]")
    e = evts.get(id_entretien, {})
    if (e.get("codeTypeEvenement"), e.get("LIEU")) != ("ENTRETIEN", LIEU):
        problems.append(f"event {id_entretien}: {e.get('codeTypeEvenement')} LIEU {e.get('LIEU')!r}, "
                        f"expected ENTRETIEN LIEU {LIEU!r}")
    return problems, f"{id_entretien} ENTRETIEN (LIEU {LIEU}), then {id_cal} CALPASSAGE"


def plan_recherche(state):
    """The search calls after `recherche.wsdl`, in order: (call, operation, nomFichier, the file
    to send (a function: it may need earlier results), the check of the file returned ->
    (problems, detail), the `state` keys it needs). On the application of getNumUnique.CRS
    (`state['crs']`)."""
    yield ("rechercheDemandeMulticritere.personne", RECHERCHE_OPERATION, NOM_RECHERCHE,
           lambda: fichier_recherche(criteres_personne()),
           lambda f: check_recherche(f, state["crs"], echo=f"<ns2:nom>{PERSONNE_NOM}</ns2:nom>"), ())
    yield ("rechercheDemandeMulticritere.commune", RECHERCHE_OPERATION, NOM_RECHERCHE,
           lambda: fichier_recherche(criteres_commune()),
           lambda f: check_recherche(f, state["crs"]), ())
    yield ("rechercheDemandeMulticritere.refus", RECHERCHE_OPERATION, NOM_RECHERCHE,
           lambda: fichier_recherche(CRITERES_REFUS),
           lambda f: check_refus_fichier(f, "RCH-ETAT"), ())


def plan_evenements(state):
    """The event calls after `evenements.wsdl`, like plan_recherche; the events added are
    remembered in `state['entretien']` and `state['cal']`."""
    def same(expect, key):
        def check(f):
            problems, _, detail = check_evenement(f, expect, state[key])
            return problems, detail
        return check

    def ajout(key, expect):
        def check(f):
            problems, id_evenement, detail = check_evenement(f, expect)
            state[key] = id_evenement if id_evenement and id_evenement.isdigit() else None
            return problems, detail
        return check

    yield ("listerTypesEvenementsNationaux", "listerTypesEvenementsNationaux", NOM_TYPES,
           fichier_types, check_types_nationaux, ())
    yield ("listerTypesEvenementsTerritoriaux", "listerTypesEvenementsTerritoriaux", NOM_TYPES,
           lambda: fichier_types("111"), check_types_territoriaux, ())
    yield ("ajouterEvenementDemande", "ajouterEvenementDemande", NOM_EVENEMENTS,
           lambda: fichier_evenements(state["crs"], evenement_entretien()),
           ajout("entretien", {"codeTypeEvenement": "ENTRETIEN", "auteurCreation": "G1104",
                               "reglementaire": "false", "LIEU": LIEU}), ())
    yield ("ajouterEvenementDemande.reglementaire", "ajouterEvenementDemande", NOM_EVENEMENTS,
           lambda: fichier_evenements(state["crs"], evenement_calpassage()),
           ajout("cal", {"codeTypeEvenement": "CALPASSAGE", "reglementaire": "true"}), ())
    yield ("listerEvenementsDemande", "listerEvenementsDemande", NOM_EVENEMENTS,
           lambda: fichier_evenements(state["crs"]),
           lambda f: check_liste_evenements(f, state["entretien"], state["cal"]),
           ("entretien", "cal"))
    yield ("modifierEvenementDemande", "modifierEvenementDemande", NOM_EVENEMENTS,
           lambda: fichier_evenements(state["crs"], evenement_modifie(state["entretien"])),
           same({"natureModification": "CORR", "auteurModification": "G1104", "LIEU": LIEU_MODIFIE},
                "entretien"),
           ("entretien",))
    yield ("supprimerEvenementDemande", "supprimerEvenementDemande", NOM_EVENEMENTS,
           lambda: fichier_evenements(state["crs"], evenement_id(state["entretien"])),
           same({"natureModification": "SUPPR"}, "entretien"),
           ("entretien",))
    yield ("supprimerEvenementDemande.refus", "supprimerEvenementDemande", NOM_EVENEMENTS,
           lambda: fichier_evenements(state["crs"], evenement_id(state["cal"])),
           lambda f: check_refus_fichier(f, "EVT-REGL", absent=None), ("cal",))
