#!/usr/bin/env python3
"""Interop step `curl`: the byte-exact requests of fixtures/mtom/, sent with curl.

Each `fixtures/mtom/<variant>.body` goes with the header lines of `<variant>.headers` (Host
included: the gateway must accept the national test host's name, as deployed clients send it)
as G1104. The returned file is then found the way deployed clients find it: by searching the
raw response bytes for `<ns2:interfaceNuu` up to `</ns2:interfaceNuu>` (three-character prefix,
MTOM attachment holding raw XML); for the two non-MTOM variants the inline base64 is decoded.
Then, by curl too: getDemandeLogement of the number registered by `crlf_8bit` (inline SOAP 1.2),
the same MTOM request as G2201 (a fault naming both counters), and an unknown operation (a
Sender fault). Then the document service (PieceJustificativeImplService), in MTOM built here
as JAX-WS packages it: deposerPiece of the protocol's PDF, as a binary part, on the application
crlf_8bit registered, and getPiece of that piece, whose MTOM answer is parsed (the xop:Include of
`fichier` resolved to its part, the part's Content-Transfer-Encoding undone). Then the shared
events (GestionPartageeEVTImplService), whose six operations share one wrapper so that only the
action tells them apart: ajouterEvenementDemande in MTOM with the action (the bare operation name,
as deployed clients write it there) only on the root part's Content-Type, and
listerEvenementsDemande in SOAP 1.1 with only the SOAPAction header. Raw responses are saved in
--out for the xmllint step (`curl-<call>.response` + `.response-headers`).
"""

import base64
import glob
import hashlib
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "python"))

import interop_common as ic  # noqa: E402

CLIENT = "curl"
SEARCH_START = b"<ns2:interfaceNuu"
SEARCH_END = b"</ns2:interfaceNuu>"


def curl(args, cert, key, headers, body_path, call, endpoint=None):
    """POSTs body_path with headers; returns (http status, content type, raw body)."""
    base = os.path.join(args.out, f"{CLIENT}-{call}")
    cmd = ["curl", "-sS", "--max-time", "60", "--cacert", args.cacert, "--cert", cert,
           "--key", key, "-X", "POST", "--data-binary", "@" + body_path,
           "-D", base + ".response-headers", "-o", base + ".response",
           "-w", "%{http_code}",
           # No `Expect: 100-continue` round trip: the Java clients of the field send none.
           "-H", "Expect:"]
    for h in headers:
        cmd += ["-H", h]
    cmd.append(endpoint or args.endpoint)
    p = subprocess.run(cmd, capture_output=True, timeout=120)
    if p.returncode != 0:
        raise RuntimeError(f"curl exit {p.returncode}: {p.stderr.decode('utf-8', 'replace')}")
    status = int(p.stdout.decode() or 0)
    with open(base + ".response", "rb") as f:
        raw = f.read()
    content_type = ""
    with open(base + ".response-headers", encoding="latin-1") as f:
        for line in f:
            if line.lower().startswith("content-type:"):
                content_type = line.split(":", 1)[1].strip()
    return status, content_type, raw


def read_headers(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\r\n") for line in f if line.strip()]


def deployed_client_search(raw):
    """What deployed clients do: the bytes from `<ns2:interfaceNuu` to its end tag."""
    i = raw.find(SEARCH_START)
    if i < 0:
        return None
    j = raw.find(SEARCH_END, i)
    if j < 0:
        return None
    return raw[i:j + len(SEARCH_END)]


def body_child(content_type, raw):
    """The Body's child element of a raw response (MTOM decoded), as an lxml element."""
    envelope, _ = ic.xop_decode(content_type, raw)
    root = ic.parse_xml(envelope)
    for ns in (ic.SOAP12_NS, ic.SOAP11_NS):
        body = root.find(f"{{{ns}}}Body")
        if body is not None:
            children = [c for c in body if isinstance(c.tag, str)]
            return children[0] if children else None
    raise ValueError(f"no SOAP Body in the response (root {root.tag})")


def inline_file(content_type, raw, element="fichierDemande"):
    child = body_child(content_type, raw)
    el = child.find(element) if child is not None else None
    if el is None or el.text is None:
        return None
    return base64.b64decode("".join(el.text.split()))


def fault_of(content_type, raw):
    """(code, reason, detail message) of a SOAP 1.2 fault, or None."""
    child = body_child(content_type, raw)
    if child is None or child.tag != f"{{{ic.SOAP12_NS}}}Fault":
        return None
    s = f"{{{ic.SOAP12_NS}}}"
    code = child.findtext(f"{s}Code/{s}Value")
    reason = child.findtext(f"{s}Reason/{s}Text")
    message = child.findtext(f"{s}Detail/{{{ic.WS_NS}}}demandeLogementException/message")
    return code, reason, message


def check_numunique_response(variant, status, content_type, raw, multipart):
    """Checks one getNumUnique answer; returns (problems, numUnique, file, detail)."""
    problems = []
    if status != 200:
        problems.append(f"HTTP {status}")
    mtype, params = ic.header_params(content_type)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as e:
        problems.append(f"response is not valid UTF-8 as a whole (deployed clients decode it "
                        f"as text): {e}")
    if multipart:
        if mtype != "multipart/related" or params.get("type") != "application/xop+xml":
            problems.append(f"MTOM request answered with Content-Type {content_type!r}")
        fichier = deployed_client_search(raw)
        how = "found by searching the raw response for <ns2:interfaceNuu"
        if fichier is None:
            problems.append("'<ns2:interfaceNuu ... </ns2:interfaceNuu>' not found in the raw "
                            "response")
            return problems, None, None, how
    else:
        if mtype not in ("application/soap+xml", "text/xml"):
            problems.append(f"inline request answered with Content-Type {content_type!r}")
        fichier = inline_file(content_type, raw)
        how = "inline base64 decoded (not MTOM: nothing to search)"
        if fichier is None:
            problems.append("no fichierDemande in the response")
            return problems, None, None, how
    try:
        root = ic.parse_xml(fichier)
    except Exception as e:  # noqa: BLE001
        problems.append(f"returned file is not well-formed: {e}")
        return problems, None, fichier, how
    num = ic.num_unique(root)
    if num is None or not ic.NUM_UNIQUE_CRE.match(num):
        problems.append(f"numUnique {num!r} does not match {ic.NUM_UNIQUE_CRE.pattern}")
    if ic.has_liste_anomalie(root):
        problems.append(f"listeAnomalie present: {ic.anomalies(root)}")
    # The certificate: a PDF part, base64 in MTOM (so the whole answer stays UTF-8 text).
    if multipart and mtype == "multipart/related":
        pdf = [(h, c) for h, c in ic.split_multipart(content_type, raw)
               if c.startswith(b"%PDF-")]
        if not pdf:
            problems.append("no attestation part starting with %PDF-")
        elif pdf[0][0].get("content-transfer-encoding", "").lower() != "base64":
            problems.append("attestation part is not Content-Transfer-Encoding: base64")
    return problems, num, fichier, f"numUnique={num}, file {how}"


PIECE_BOUNDARY = "uuid:6b1d0c52-8f3e-4a7b-9c2d-1e5f7a3b9d64"
PIECE_ROOT_ID = "rootpart*6b1d0c52-8f3e-4a7b-9c2d-1e5f7a3b9d64@example.jaxws.sun.com"
PIECE_FILE_ID = "c3a9e7f1-2b4d-4e6a-8f0c-5d7b9a1e3c28@example.jaxws.sun.com"


def mtom_request(args, call, op, wrapper, attachment=None):
    """An MTOM request of the document service as JAX-WS packages it: the envelope in a root
    part, `attachment` (content id, type, bytes) as a binary part. Returns (headers, body path)."""
    envelope = (f"<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S=\"{ic.SOAP12_NS}\">"
                f"<S:Body>{wrapper}</S:Body></S:Envelope>")
    body = (f"--{PIECE_BOUNDARY}\r\nContent-Id: <{PIECE_ROOT_ID}>\r\n"
            f'Content-Type: application/xop+xml;charset=utf-8;type="application/soap+xml"\r\n'
            f"Content-Transfer-Encoding: binary\r\n\r\n{envelope}\r\n").encode()
    if attachment:
        cid, ctype, data = attachment
        body += (f"--{PIECE_BOUNDARY}\r\nContent-Id: <{cid}>\r\nContent-Type: {ctype}\r\n"
                 f"Content-Transfer-Encoding: binary\r\n\r\n").encode() + data + b"\r\n"
    body += f"--{PIECE_BOUNDARY}--\r\n".encode()
    path = os.path.join(args.out, f"{CLIENT}-{call}.request")
    with open(path, "wb") as f:
        f.write(body)
    headers = [f'Content-Type: multipart/related; type="application/xop+xml"; '
               f'boundary="{PIECE_BOUNDARY}"; start="<{PIECE_ROOT_ID}>"; '
               f'start-info="application/soap+xml"; action="{ic.WS_NS}{op}"']
    return headers, path


def mtom_answer(status, content_type, raw):
    """(problems, Body child element) of an answer that must be MTOM, HTTP 200."""
    problems = [] if status == 200 else [f"HTTP {status}"]
    mtype, params = ic.header_params(content_type)
    if mtype != "multipart/related" or params.get("type") != "application/xop+xml":
        problems.append(f"MTOM request answered with Content-Type {content_type!r}")
    return problems, body_child(content_type, raw)


EVT_BOUNDARY = "uuid:0f6c2a94-3d1e-4b8a-a5c7-92e4d1b07f35"
EVT_ROOT_ID = "root.0f6c2a94@curl.example"
EVT_FILE_ID = "fichier.0f6c2a94@curl.example"


def evenement_racine(args, call, op, fichier):
    """An MTOM request of the event service whose only action is on the root part (the bare
    operation name): nothing on the multipart header, nothing in start-info. The file goes as a
    `text/xml` 8bit part. Returns (headers, body path)."""
    envelope = (f'<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="{ic.SOAP12_NS}">'
                f'<soap:Body><ns2:fichierXmlParametres xmlns:ns2="{ic.WS_NS}">'
                f"<nomFichier>{ic.NOM_EVENEMENTS}</nomFichier><fichierXml>"
                f'<xop:Include xmlns:xop="{ic.XOP_NS}" href="cid:{EVT_FILE_ID}"/></fichierXml>'
                "<nomCertificat></nomCertificat></ns2:fichierXmlParametres></soap:Body></soap:Envelope>")
    body = (f"--{EVT_BOUNDARY}\r\nContent-Type: application/xop+xml; charset=UTF-8; "
            f'type="application/soap+xml"; action="{op}"\r\nContent-Transfer-Encoding: 8bit\r\n'
            f"Content-ID: <{EVT_ROOT_ID}>\r\n\r\n{envelope}\r\n"
            f"--{EVT_BOUNDARY}\r\nContent-Type: text/xml\r\nContent-Transfer-Encoding: 8bit\r\n"
            f"Content-ID: <{EVT_FILE_ID}>\r\n\r\n").encode() + fichier + \
        f"\r\n--{EVT_BOUNDARY}--\r\n".encode()
    path = os.path.join(args.out, f"{CLIENT}-{call}.request")
    with open(path, "wb") as f:
        f.write(body)
    headers = [f'Content-Type: multipart/related; type="application/xop+xml"; '
               f'boundary="{EVT_BOUNDARY}"; start="<{EVT_ROOT_ID}>"; start-info="application/soap+xml"']
    return headers, path


def etree_local(element):
    return element.tag.rsplit("}", 1)[-1]


def piece_anomalies(child):
    return [a.get("code") for a in child.iter("anomalie")]


def main():
    args = ic.parse_args(__doc__.splitlines()[1])
    rep = ic.Report(CLIENT)
    mtom_dir = os.path.join(args.fixtures, "mtom")
    variants = sorted(os.path.basename(p)[:-len(".headers")]
                      for p in glob.glob(os.path.join(mtom_dir, "*.headers")))
    if not variants:
        rep.fail("fixtures", f"no fixtures in {mtom_dir}")
        return 0

    registered = {}

    for variant in variants:
        call = f"getNumUnique.{variant}"

        def step(variant=variant, call=call):
            headers = read_headers(os.path.join(mtom_dir, variant + ".headers"))
            ct = next((h.split(":", 1)[1].strip() for h in headers
                       if h.lower().startswith("content-type:")), "")
            multipart = ic.header_params(ct)[0] == "multipart/related"
            status, rct, raw = curl(args, args.cert, args.key, headers,
                                    os.path.join(mtom_dir, variant + ".body"), call)
            problems, num, fichier, detail = check_numunique_response(
                variant, status, rct, raw, multipart)
            ic.save(args.out, CLIENT, call, fichier)
            if not problems:
                registered[variant] = (num, rct, raw)
            rep.verdict(call, problems, detail)

        ic.guarded(rep, call, step)

    # getDemandeLogement, inline SOAP 1.2, of the number crlf_8bit registered.
    call = "getDemandeLogement.relire"

    def relire():
        ref = registered.get("crlf_8bit") or next(iter(registered.values()), None)
        if ref is None:
            return rep.fail(call, "no variant registered a numUnique")
        num, rct, raw = ref
        envelope = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<soap:Envelope xmlns:soap="{ic.SOAP12_NS}"><soap:Body>'
            f'<ns2:demandeLogementParametres xmlns:ns2="{ic.WS_NS}">'
            f"<numUnique>{num}</numUnique><nomCertificat></nomCertificat>"
            "<certificat></certificat>"
            "</ns2:demandeLogementParametres></soap:Body></soap:Envelope>")
        body_path = os.path.join(args.out, f"{CLIENT}-{call}.request")
        with open(body_path, "w", encoding="utf-8") as f:
            f.write(envelope)
        headers = ["Content-Type: application/soap+xml; charset=utf-8; "
                   f'action="{ic.WS_NS}getDemandeLogement"']
        status, ct, resp = curl(args, args.cert, args.key, headers, body_path, call)
        problems = [] if status == 200 else [f"HTTP {status}"]
        fichier = inline_file(ct, resp)
        ic.save(args.out, CLIENT, call, fichier)
        expected = inline_file(rct, raw)  # the MTOM answer, XOP-decoded
        p2, detail = ic.check_relire(fichier, expected)
        problems += p2
        found = deployed_client_search(raw)
        if fichier is not None and found is not None and found not in fichier:
            problems.append("the <ns2:interfaceNuu> found in the MTOM answer is not in the "
                            "file read back")
        rep.verdict(call, problems, f"{num}: {detail} (crlf_8bit's MTOM attachment)")

    ic.guarded(rep, call, relire)

    # The reference MTOM request as G2201: a fault naming both counters.
    call = "getNumUnique.fauteGuichet"

    def faute():
        headers = read_headers(os.path.join(mtom_dir, "crlf_8bit.headers"))
        status, ct, raw = curl(args, args.other_cert, args.other_key, headers,
                               os.path.join(mtom_dir, "crlf_8bit.body"), call)
        problems = [] if status == 500 else [f"HTTP {status} (faults travel with 500)"]
        f = fault_of(ct, raw)
        if f is None:
            return rep.fail(call, f"no SOAP 1.2 fault in the answer (HTTP {status})")
        code, reason, message = f
        if message is None:
            problems.append("no Detail/demandeLogementException/message")
        p2, detail = ic.check_fault_text([reason, message], code)
        rep.verdict(call, problems + p2, f"MTOM as G2201, {detail}")

    ic.guarded(rep, call, faute)

    # An operation the contract does not have: a Sender fault with the contract's detail.
    call = "operationInconnue"

    def inconnue():
        body_path = os.path.join(args.out, f"{CLIENT}-{call}.request")
        with open(body_path, "w", encoding="utf-8") as f:
            f.write(f'<soap:Envelope xmlns:soap="{ic.SOAP12_NS}"><soap:Body>'
                    f'<ns2:operationInconnue xmlns:ns2="{ic.WS_NS}"/>'
                    "</soap:Body></soap:Envelope>")
        headers = ["Content-Type: application/soap+xml; charset=utf-8; "
                   f'action="{ic.WS_NS}operationInconnue"']
        status, ct, raw = curl(args, args.cert, args.key, headers, body_path, call)
        f = fault_of(ct, raw)
        if f is None:
            return rep.fail(call, f"no SOAP 1.2 fault in the answer (HTTP {status})")
        code, reason, message = f
        problems = [] if status == 500 else [f"HTTP {status} (faults travel with 500)"]
        if not code or not re.search(r"(^|:)Sender$", code):
            problems.append(f"fault code {code!r} is not Sender")
        if message is None:
            problems.append("no Detail/demandeLogementException/message")
        rep.verdict(call, problems, f"fault {code}: {reason}")

    ic.guarded(rep, call, inconnue)

    # The document service: an MTOM deposit, the PDF as a binary part, then its MTOM reading.
    pieces_endpoint = ic.pieces_endpoint(args.endpoint)
    deposited = {}
    call = "deposerPiece.mtom"

    def deposer():
        ref = registered.get("crlf_8bit")
        if ref is None:
            return rep.fail(call, "no application registered by crlf_8bit")
        wrapper = (f'<ns2:deposerPieceParametres xmlns:ns2="{ic.WS_NS}"><numUnique>{ref[0]}</numUnique>'
                   "<codeCategorie>IDENTITE</codeCategorie><personne>DEM</personne>"
                   "<nomFichier>cni.pdf</nomFichier><fichier contentType=\"application/pdf\">"
                   f'<xop:Include xmlns:xop="{ic.XOP_NS}" href="cid:{PIECE_FILE_ID}"/></fichier>'
                   "</ns2:deposerPieceParametres>")
        headers, path = mtom_request(args, call, "deposerPiece", wrapper,
                                     (PIECE_FILE_ID, "application/pdf", ic.PDF))
        status, ct, raw = curl(args, args.cert, args.key, headers, path, call, pieces_endpoint)
        problems, child = mtom_answer(status, ct, raw)
        id_piece = child.findtext("idPiece")
        sha = hashlib.sha256(ic.PDF).hexdigest()
        if not id_piece or not ic.ID_PIECE.match(id_piece):
            problems.append(f"idPiece {id_piece!r} does not match {ic.ID_PIECE.pattern}")
        else:
            deposited["id"] = id_piece
        got = (child.findtext("empreinte"), child.findtext("taille"), child.findtext("statut"))
        if got != (sha, str(len(ic.PDF)), "DEPOSEE"):
            problems.append(f"empreinte, taille, statut {got}, expected {sha}, {len(ic.PDF)}, DEPOSEE")
        if piece_anomalies(child):
            problems.append(f"listeAnomalie present: {piece_anomalies(child)}")
        rep.verdict(call, problems, f"{id_piece} on {ref[0]}: the PDF as a binary MTOM part, "
                                    f"SHA-256 {sha[:12]}... and {len(ic.PDF)} bytes acknowledged")

    ic.guarded(rep, call, deposer)

    call = "getPiece.mtom"

    def lire():
        id_piece = deposited.get("id")
        if id_piece is None:
            return rep.fail(call, "no idPiece from deposerPiece.mtom")
        wrapper = (f'<ns2:getPieceParametres xmlns:ns2="{ic.WS_NS}"><idPiece>{id_piece}</idPiece>'
                   "</ns2:getPieceParametres>")
        headers, path = mtom_request(args, call, "getPiece", wrapper)
        status, ct, raw = curl(args, args.cert, args.key, headers, path, call, pieces_endpoint)
        problems, _ = mtom_answer(status, ct, raw)
        if problems:
            return rep.fail(call, "; ".join(problems))
        # The raw answer, not its XOP-decoded infoset: fichier must be an xop:Include of a part.
        parts = ic.split_multipart(ct, raw)
        root = ic.parse_xml(parts[0][1])
        answer = next(iter(root.iter(f"{{{ic.WS_NS}}}getPieceReponse")), None)
        if answer is None:
            return rep.fail(call, "no getPieceReponse in the root part")
        if answer.findtext("piece/idPiece") != id_piece:
            problems.append(f"piece/idPiece {answer.findtext('piece/idPiece')!r}, expected {id_piece}")
        include = answer.find(f"fichier/{{{ic.XOP_NS}}}Include")
        if include is None:
            return rep.fail(call, "; ".join(problems + ["fichier is not an xop:Include"]))
        cid = ic.strip_cid(include.get("href", ""))
        part = next(((h, c) for h, c in parts[1:]
                     if ic.strip_cid(h.get("content-id", "")) == cid), None)
        if part is None:
            return rep.fail(call, "; ".join(problems + [f"no part {cid!r} for the xop:Include"]))
        headers_, content = part
        ic.save(args.out, CLIENT, call, content, "pdf")
        if content != ic.PDF:
            problems.append(f"part {cid} is not the PDF deposited ({len(content)} bytes)")
        if headers_.get("content-type", "").split(";")[0].strip() != "application/pdf":
            problems.append(f"part Content-Type {headers_.get('content-type')!r}, not application/pdf")
        cte = headers_.get("content-transfer-encoding", "(none)")
        rep.verdict(call, problems, f"{id_piece}: xop:Include resolved to an application/pdf part "
                                    f"(Content-Transfer-Encoding {cte}), {len(content)} bytes "
                                    f"identical to the PDF deposited")

    ic.guarded(rep, call, lire)

    # The shared events: the action only on the root part (MTOM), then only in SOAPAction (1.1).
    evenements_endpoint = ic.service_endpoint(args.endpoint, ic.EVENEMENTS_SERVICE)
    added = {}
    call = "ajouterEvenementDemande.racine"

    def ajouter():
        ref = registered.get("crlf_8bit")
        if ref is None:
            return rep.fail(call, "no application registered by crlf_8bit")
        headers, path = evenement_racine(args, call, "ajouterEvenementDemande",
                                         ic.fichier_evenements(ref[0], ic.evenement_entretien()))
        status, ct, raw = curl(args, args.cert, args.key, headers, path, call, evenements_endpoint)
        problems, child = mtom_answer(status, ct, raw)
        if child is None or etree_local(child) != "fichierXmlReponse":
            return rep.fail(call, "; ".join(problems + [f"Body holds {child.tag if child is not None else None}, "
                                                      "not fichierXmlReponse"]))
        fichier = deployed_client_search(raw)
        if fichier is None:
            return rep.fail(call, "; ".join(problems + ["'<ns2:interfaceNuu ... </ns2:interfaceNuu>' "
                                                      "not found in the raw response"]))
        ic.save(args.out, CLIENT, call, fichier)
        if child.findtext("nomFichierXmlRetour") != ic.NOM_EVENEMENTS:
            problems.append(f"nomFichierXmlRetour {child.findtext('nomFichierXmlRetour')!r}, "
                            f"expected {ic.NOM_EVENEMENTS}")
        p2, id_evenement, detail = ic.check_evenement(
            fichier, {"codeTypeEvenement": "ENTRETIEN", "auteurCreation": "G1104", "LIEU": ic.LIEU})
        problems += p2
        if not problems:
            added["id"], added["num"] = id_evenement, ref[0]
        rep.verdict(call, problems, f"{detail} on {ref[0]}; action only on the root part "
                                    "(action=\"ajouterEvenementDemande\"), MTOM answer, file found by "
                                    "searching the raw response for <ns2:interfaceNuu")

    ic.guarded(rep, call, ajouter)

    call = "listerEvenementsDemande.soap11"

    def lister():
        if "id" not in added:
            return rep.fail(call, "no event from ajouterEvenementDemande.racine")
        b64 = base64.b64encode(ic.fichier_evenements(added["num"])).decode("ascii")
        body_path = os.path.join(args.out, f"{CLIENT}-{call}.request")
        with open(body_path, "w", encoding="utf-8") as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="{ic.SOAP11_NS}">'
                    f'<soapenv:Body><ns2:fichierXmlParametres xmlns:ns2="{ic.WS_NS}">'
                    f"<nomFichier>{ic.NOM_EVENEMENTS}</nomFichier><fichierXml>{b64}</fichierXml>"
                    "</ns2:fichierXmlParametres></soapenv:Body></soapenv:Envelope>")
        headers = ["Content-Type: text/xml; charset=utf-8",
                   f'SOAPAction: "{ic.WS_NS}listerEvenementsDemande"']
        status, ct, raw = curl(args, args.cert, args.key, headers, body_path, call, evenements_endpoint)
        problems = [] if status == 200 else [f"HTTP {status}"]
        if ic.header_params(ct)[0] != "text/xml":
            problems.append(f"SOAP 1.1 request answered with Content-Type {ct!r}")
        fichier = inline_file(ct, raw, "fichierXmlRetour")
        if fichier is None:
            return rep.fail(call, "; ".join(problems + ["no fichierXmlRetour in the answer"]))
        ic.save(args.out, CLIENT, call, fichier)
        evts = ic.evenements(fichier)
        lieu = evts.get(added["id"], {}).get("LIEU")
        if lieu != ic.LIEU:
            problems.append(f"event {added['id']} not listed with LIEU {ic.LIEU!r} "
                            f"(events {list(evts)}, LIEU {lieu!r})")
        if ic.codes_anomalies(ic.parse_xml(fichier)):
            problems.append(f"listeAnomalies present: {ic.codes_anomalies(ic.parse_xml(fichier))}")
        rep.verdict(call, problems, f"{len(evts)} event(s), {added['id']} ENTRETIEN among them; "
                                    "SOAPAction only, text/xml answer, inline base64")

    ic.guarded(rep, call, lister)
    return 0


if __name__ == "__main__":
    sys.exit(main())
