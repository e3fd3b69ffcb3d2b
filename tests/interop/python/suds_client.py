#!/usr/bin/env python3
"""Interop client: suds-community, SOAP 1.1 port DemandeLogementImplSoap11Port.

suds speaks SOAP 1.1 only and cannot send MTOM: binary parameters travel as inline base64 in a
`text/xml` request with a SOAPAction header. Client certificates go through an HTTPS transport
built on an ssl.SSLContext (load_cert_chain + the test CA). Every call checks the wire (text/xml
request with the operation's SOAPAction, text/xml answer). Raw POST responses are saved for the
xmllint step. The document service (PieceJustificativeImplService) is called the same way,
through its SOAP 1.1 port PieceJustificativeImplSoap11Port, and so are the search
(RechercheDemandeImplSoap11Port) and the shared events (GestionPartageeEVTImplSoap11Port): the
SOAPAction header suds sends with each operation is what tells the six event operations apart
(they share one wrapper). See tests/interop/PROTOCOL.md for the calls and their expectations.
"""

import base64
import io
import os
import ssl
import sys
import traceback
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from suds import WebFault  # noqa: E402
from suds.cache import NoCache  # noqa: E402
from suds.client import Client  # noqa: E402
from suds.transport import TransportError  # noqa: E402
from suds.transport.http import HttpTransport  # noqa: E402

import interop_common as ic  # noqa: E402

CLIENT = "suds"
PORT = "DemandeLogementImplSoap11Port"
PIECES_PORT = "PieceJustificativeImplSoap11Port"
RECHERCHE_PORT = "RechercheDemandeImplSoap11Port"
EVENEMENTS_PORT = "GestionPartageeEVTImplSoap11Port"
SOAP11_WSDL_NS = "http://schemas.xmlsoap.org/wsdl/soap/"
MODE = "inline base64 (suds sends no MTOM), SOAP 1.1"


class MutualTlsTransport(HttpTransport):
    """HTTPS with a client certificate; records each POST exchange for the checks."""

    def __init__(self, cacert, cert, key, out):
        HttpTransport.__init__(self, timeout=60)
        self.ctx = ssl.create_default_context(cafile=cacert)
        self.ctx.load_cert_chain(cert, key)
        self.out = out
        self.call = None
        self.request_headers = None
        self.response_ct = None

    def u2handlers(self):
        # An empty ProxyHandler: proxies from the environment never apply to the gateway.
        return [urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=self.ctx)]

    def start(self, call):
        self.call = call
        self.request_headers = self.response_ct = None

    def send(self, request):
        self.request_headers = {
            k: (v.decode("latin-1") if isinstance(v, bytes) else str(v))
            for k, v in request.headers.items()}
        try:
            reply = HttpTransport.send(self, request)
        except TransportError as e:
            # suds reads the fault from e.fp: keep its bytes, and hand suds a fresh copy.
            content = e.fp.read() if e.fp is not None else b""
            headers = getattr(e.fp, "headers", None)
            self.record(headers.get("Content-Type", "") if headers else "", content)
            raise TransportError(e.args[0] if e.args else "", e.httpcode, io.BytesIO(content))
        if reply is not None:
            self.record(reply.headers.get("Content-Type", ""), reply.message)
        return reply

    def record(self, content_type, body):
        self.response_ct = content_type
        if self.call:
            ic.save_raw_response(self.out, CLIENT, self.call, content_type, body)

    def wire_problems(self, op):
        if self.request_headers is None:
            return ["no POST was sent"]
        problems = []
        ct = self.request_headers.get("Content-Type", "")
        if ic.header_params(ct)[0] != "text/xml":
            problems.append(f"request Content-Type {ct!r} is not SOAP 1.1")
        action = self.request_headers.get("SOAPAction", "").strip('"')
        if action != ic.WS_NS + op:
            problems.append(f"SOAPAction {action!r} is not {ic.WS_NS + op!r}")
        if ic.header_params(self.response_ct or "")[0] != "text/xml":
            problems.append(f"response Content-Type {self.response_ct!r} is not SOAP 1.1")
        return problems


def make_client(args, cert, key, endpoint=None, port=PORT):
    transport = MutualTlsTransport(args.cacert, cert, key, args.out)
    client = Client((endpoint or args.endpoint) + "?wsdl", transport=transport, port=port,
                    cache=NoCache(), timeout=60)
    return client, transport


def b64_param(client, data, content_type=None):
    """A `fichier` parameter: suds leaves base64Binary encoding to the caller."""
    f = client.factory.create("fichier")
    f.value = base64.b64encode(data).decode("ascii")
    if content_type:
        f._contentType = content_type
    return f


def fichier(value):
    """suds returns simple content without attributes as Text, with attributes as an object."""
    if value is None:
        return None
    if hasattr(value, "value"):
        value = value.value
    return ic.as_bytes(str(value))


def fault_texts(web_fault):
    f = web_fault.fault
    texts = [str(getattr(f, "faultstring", "") or "")]
    detail = getattr(f, "detail", None)
    exc = getattr(detail, "demandeLogementException", None) if detail is not None else None
    if exc is not None:
        texts.append(str(getattr(exc, "message", "") or ""))
    return texts, str(getattr(f, "faultcode", ""))


def main():
    args = ic.parse_args(__doc__.splitlines()[1])
    rep = ic.Report(CLIENT)
    cre = ic.read_fixture(args.fixtures, ic.FIXTURE_CRE)
    invalide = ic.read_fixture(args.fixtures, ic.FIXTURE_INVALIDE)
    nom_cre = os.path.basename(ic.FIXTURE_CRE)
    nom_invalide = os.path.basename(ic.FIXTURE_INVALIDE)

    # wsdl
    try:
        client, tr = make_client(args, args.cert, args.key)
        other, tr_other = make_client(args, args.other_cert, args.other_key)
        port = client.wsdl.services[0].port(PORT)
        binding = port.binding
        ops = set(binding.operations)
        missing = {"getNumUnique", "getDemandeLogement"} - ops
        problems = [f"operations missing: {sorted(missing)}"] if missing else []
        if binding.root.getChild("binding", ns=(None, SOAP11_WSDL_NS)) is None:
            problems.append(f"port {PORT} has no SOAP 1.1 binding (wsdl/soap/)")
        rep.verdict("wsdl", problems, f"{PORT} ({binding.name}), {len(ops)} operations")
    except Exception as e:
        ic.log(traceback.format_exc())
        rep.fail("wsdl", f"{type(e).__name__}: {e}")
        return 0

    def call(client_, transport, name, op, **kw):
        transport.start(name)
        try:
            return getattr(client_.service, op)(**kw), None
        except WebFault as f:
            return None, f
        except Exception as e:
            ic.log(traceback.format_exc())
            return None, e

    def unexpected(name, err):
        if isinstance(err, WebFault):
            texts, code = fault_texts(err)
            rep.fail(name, f"unexpected SOAP fault {code}: {' | '.join(texts)}")
        else:
            rep.fail(name, f"{type(err).__name__}: {err}")

    empty = b""
    state = {"num": None, "fichier_cre": None, "crs": None, "depot": None, "avis": None,
             "entretien": None, "cal": None}

    def cre_step():
        name = "getNumUnique.CRE"
        r, err = call(client, tr, name, "getNumUnique", nomFichierDemande=nom_cre,
                      fichierDemande=b64_param(client, cre), nomCertificat="",
                      certificat=b64_param(client, empty))
        if err is not None:
            return unexpected(name, err)
        fichier_cre = fichier(getattr(r, "fichierDemande", None))
        attestation = fichier(getattr(r, "attestation", None))
        nom_att = getattr(r, "nomAttestation", None)
        ic.save(args.out, CLIENT, name, fichier_cre)
        ic.save(args.out, CLIENT, name, attestation, "pdf")
        problems, num, detail = ic.check_cre(fichier_cre, nom_att and str(nom_att), attestation)
        state["fichier_cre"] = fichier_cre
        state["num"] = num
        rep.verdict(name, tr.wire_problems("getNumUnique") + problems, f"{detail}, {MODE}")

    def read_back(name, client_, transport, numero, code=None, absent_text=None, label=""):
        r, err = call(client_, transport, name, "getDemandeLogement", numUnique=numero,
                      nomCertificat="", certificat=b64_param(client_, empty))
        if err is not None:
            return unexpected(name, err)
        f = fichier(getattr(r, "fichierDemande", None))
        ic.save(args.out, CLIENT, name, f)
        if code is None:
            problems, detail = ic.check_relire(f, state["fichier_cre"])
        else:
            problems, detail = ic.check_anomalie(f, code, absent_text=absent_text)
        rep.verdict(name, transport.wire_problems("getDemandeLogement") + problems,
                    label + detail)

    def relire_step():
        name = "getDemandeLogement.relire"
        if state["num"] is None:
            return rep.fail(name, "no numUnique from getNumUnique.CRE")
        read_back(name, client, tr, state["num"])

    def invalide_step():
        name = "getNumUnique.invalide"
        r, err = call(client, tr, name, "getNumUnique", nomFichierDemande=nom_invalide,
                      fichierDemande=b64_param(client, invalide), nomCertificat="",
                      certificat=b64_param(client, empty))
        if err is not None:
            return unexpected(name, err)
        f = fichier(getattr(r, "fichierDemande", None))
        ic.save(args.out, CLIENT, name, f)
        problems, detail = ic.check_anomalie(f, "XSD-LONG", ic.PROPRIETE_LONG_NOM)
        rep.verdict(name, tr.wire_problems("getNumUnique") + problems, detail)

    def inconnu_step():
        read_back("getDemandeLogement.inconnu", client, tr, ic.NUM_UNIQUE_INCONNU, "DEM-INC",
                  label=f"{ic.NUM_UNIQUE_INCONNU}: ")

    def autre_territoire_step():
        name = "getDemandeLogement.autreTerritoire"
        if state["num"] is None:
            return rep.fail(name, "no numUnique from getNumUnique.CRE")
        read_back(name, other, tr_other, state["num"], "DEM-INC",
                  absent_text=ic.nom_demandeur(cre), label="as G2201: ")

    def faute_guichet_step():
        name = "getNumUnique.fauteGuichet"
        r, err = call(other, tr_other, name, "getNumUnique", nomFichierDemande=nom_cre,
                      fichierDemande=b64_param(other, cre), nomCertificat="",
                      certificat=b64_param(other, empty))
        if err is None:
            return rep.fail(name, "no SOAP fault: the call succeeded")
        if not isinstance(err, WebFault):
            return unexpected(name, err)
        texts, code = fault_texts(err)
        problems, detail = ic.check_fault_text(texts, code)
        rep.verdict(name, tr_other.wire_problems("getNumUnique") + problems,
                    f"suds.WebFault, {detail}")

    def numunique_step(name, fichier_, expect):
        """getNumUnique with a lifecycle file; `expect(fichier, reponse)` -> (problems, detail)."""
        if state["num"] is None:
            return rep.fail(name, "no numUnique from getNumUnique.CRE")
        r, err = call(client, tr, name, "getNumUnique", nomFichierDemande=nom_cre,
                      fichierDemande=b64_param(client, fichier_), nomCertificat="",
                      certificat=b64_param(client, empty))
        if err is not None:
            return unexpected(name, err)
        f = fichier(getattr(r, "fichierDemande", None))
        ic.save(args.out, CLIENT, name, f)
        problems, detail = expect(f, r)
        rep.verdict(name, tr.wire_problems("getNumUnique") + problems, detail)

    def cycle_steps():
        F = state["fichier_cre"] or b""
        num = state["num"]
        yield "getNumUnique.MOD", lambda: numunique_step(
            "getNumUnique.MOD", ic.as_type(F, "MOD"), lambda f, r: ic.check_accepted(f, num, 2))
        yield "getNumUnique.REN", lambda: numunique_step(
            "getNumUnique.REN", ic.with_block(ic.as_type(F, "REN"), ic.renouvellement()),
            lambda f, r: ic.check_anomalie(f, "REN-FEN"))

        def crs(f, r):
            nom_att = getattr(r, "nomAttestation", None)
            problems, num2, detail = ic.check_cre(f, nom_att and str(nom_att),
                                                  fichier(getattr(r, "attestation", None)))
            if num2 == num:
                problems.append("the CRS got the number of the application it comes from")
            state["crs"] = None if problems else num2
            return problems, detail
        yield "getNumUnique.CRS", lambda: numunique_step("getNumUnique.CRS", ic.crs_file(cre, num), crs)

        def doublons():
            name = "getDoublons"
            r, err = call(client, tr, name, "getDoublons", nomFichierDemande=nom_cre,
                          fichierDemande=b64_param(client, cre))
            if err is not None:
                return unexpected(name, err)
            liste = fichier(getattr(r, "listeDoublons", None))
            ic.save(args.out, CLIENT, name + ".listeDoublons", liste)
            ic.save(args.out, CLIENT, name, fichier(getattr(r, "fichierDemande", None)))
            problems, detail = ic.check_doublons(liste, num)
            rep.verdict(name, tr.wire_problems("getDoublons") + problems, detail)
        yield "getDoublons", doublons

        def dalo():
            name = "getDeclarationNouveauDalo"
            r, err = call(client, tr, name, "getDeclarationNouveauDalo", nomFichierDalo="DALO.xml",
                          fichierDalo=b64_param(client, ic.as_type(F, "MOD")), nomCertificat="",
                          certificat=b64_param(client, empty))
            if err is not None:
                return unexpected(name, err)
            f = fichier(getattr(r, "fichierDalo", None))
            ic.save(args.out, CLIENT, name, f)
            problems, detail = ic.check_accepted(f, num)
            rep.verdict(name, tr.wire_problems("getDeclarationNouveauDalo") + problems, detail)
        yield "getDeclarationNouveauDalo", dalo

        def liste(name, param, out_name, type_fichier, **extra):
            r, err = call(client, tr, name, name, **{param: f"{ic.today()}T00:00:00"}, **extra,
                          nomCertificat="", certificat=b64_param(client, empty))
            if err is not None:
                return unexpected(name, err)
            f = fichier(getattr(r, out_name, None))
            ic.save(args.out, CLIENT, name, f)
            problems, detail = ic.check_liste(f, num, type_fichier)
            rep.verdict(name, tr.wire_problems(name) + problems, detail)
        yield "getNouveauxDaloDepuisLe", lambda: liste(
            "getNouveauxDaloDepuisLe", "dateNouveauDaloDepuisLe", "fichierNouveauxDalo", "LDA")
        yield "getNumUnique.RAD", lambda: numunique_step(
            "getNumUnique.RAD", ic.with_block(ic.as_type(F, "RAD"), ic.radiation()),
            lambda f, r: ic.check_accepted(f, num))

        def motif():
            m = client.factory.create("codeElement")
            m._code = "RADABA"
            return m
        yield "getDemandesRadieesDepuisLe", lambda: liste(
            "getDemandesRadieesDepuisLe", "dateRadiationDepuisLe", "fichierDemandesRadiees", "LRA",
            motifRadiation=motif())
        yield "getNumUnique.SUP", lambda: numunique_step(
            "getNumUnique.SUP", ic.as_type(F, "SUP"), lambda f, r: ic.check_accepted(f, num))

    def pieces_steps():
        """PROTOCOL.md, "Calls of the dossier unique": on the application the CRS registered."""
        pieces = {}

        def wsdl():
            url = ic.pieces_endpoint(args.endpoint)
            pieces["g1104"] = make_client(args, args.cert, args.key, url, PIECES_PORT)
            pieces["g2201"] = make_client(args, args.other_cert, args.other_key, url, PIECES_PORT)
            binding = pieces["g1104"][0].wsdl.services[0].port(PIECES_PORT).binding
            missing = ic.PIECES_OPERATIONS - set(binding.operations)
            problems = [f"operations missing: {sorted(missing)}"] if missing else []
            if binding.root.getChild("binding", ns=(None, SOAP11_WSDL_NS)) is None:
                problems.append(f"port {PIECES_PORT} has no SOAP 1.1 binding (wsdl/soap/)")
            rep.verdict("pieces.wsdl", problems,
                        f"{PIECES_PORT} ({binding.name}), {len(binding.operations)} operations")
        yield "pieces.wsdl", wsdl

        def piece(name, op, params, expect, needs=(), as_other=False):
            """One call; `params(client)` -> its arguments, `expect(reponse)` -> (problems, detail)."""
            client_, transport = pieces.get("g2201" if as_other else "g1104", (None, None))
            if client_ is None:
                return rep.fail(name, "no client of the document service (pieces.wsdl failed)")
            absent = [k for k in ("crs",) + needs if state[k] is None]
            if absent:
                return rep.fail(name, f"not run: no {', '.join(absent)} from an earlier call")
            r, err = call(client_, transport, name, op, **params(client_))
            if err is not None:
                return unexpected(name, err)
            problems, detail = expect(r)
            rep.verdict(name, transport.wire_problems(op) + problems, detail)

        def depot(client_, categorie, nom, data, content_type, numero=None):
            p = client_.factory.create("pieceADeposer")
            p.numUnique = numero or state["crs"]
            p.codeCategorie = categorie
            p.personne = "DEM"
            p.nomFichier = nom
            p.fichier = b64_param(client_, data, content_type)
            return p

        def deposer(r):
            problems, state["depot"], detail = ic.check_depot(r, ic.PDF)
            return problems, f"{detail}, {MODE}"
        yield "deposerPiece", lambda: piece(
            "deposerPiece", "deposerPiece",
            lambda c: dict(depot(c, "IDENTITE", "cni.pdf", ic.PDF, "application/pdf")), deposer)
        yield "deposerPiece.refus", lambda: piece(
            "deposerPiece.refus", "deposerPiece",
            lambda c: dict(depot(c, "IDENTITE", "cni.pdf", ic.GIF, "application/pdf")),
            lambda r: ic.check_refus(r, "PIE-FORMAT"))

        def lot(r):
            problems, state["avis"], detail = ic.check_lot(r)
            return problems, f"{detail}, {MODE}"
        yield "deposerLotPieces", lambda: piece(
            "deposerLotPieces", "deposerLotPieces",
            lambda c: {"piece": [
                depot(c, "AVISIMPOT", "avis.png", ic.PNG, "image/png"),
                depot(c, "REVENUS", "x.pdf", ic.PDF, "application/pdf", ic.NUM_UNIQUE_INCONNU)]},
            lot)
        yield "listerPieces", lambda: piece(
            "listerPieces", "listerPieces", lambda c: {"numUnique": state["crs"]},
            lambda r: ic.check_liste_pieces(r, state["depot"], state["avis"]),
            needs=("depot", "avis"))

        def get_piece(r):
            contenu = fichier(getattr(r, "fichier", None))
            ic.save(args.out, CLIENT, "getPiece", contenu, "pdf")
            problems, detail = ic.check_get_piece(r, contenu, state["depot"])
            return problems, f"{detail}, {MODE}"
        yield "getPiece", lambda: piece(
            "getPiece", "getPiece", lambda c: {"idPiece": state["depot"]}, get_piece,
            needs=("depot",))
        yield "getPiece.autreTerritoire", lambda: piece(
            "getPiece.autreTerritoire", "getPiece", lambda c: {"idPiece": state["depot"]},
            lambda r: ic.check_refus(r, "PIE-INC", absent=("piece", "fichier")),
            needs=("depot",), as_other=True)
        yield "qualifierPiece", lambda: piece(
            "qualifierPiece", "qualifierPiece",
            lambda c: {"idPiece": state["avis"], "statut": "INEXPLOITABLE", "motif": "illisible"},
            ic.check_qualifier, needs=("avis",))
        yield "getEtatDossier", lambda: piece(
            "getEtatDossier", "getEtatDossier", lambda c: {"numUnique": state["crs"]},
            ic.check_etat)
        yield "supprimerPiece", lambda: piece(
            "supprimerPiece", "supprimerPiece", lambda c: {"idPiece": state["depot"]},
            lambda r: ic.check_supprimer(r, state["depot"]), needs=("depot",))

    def fichier_xml_steps():
        """PROTOCOL.md, "Calls of the search and the shared events": on the CRS's application."""
        services = {}

        def wsdl(call_name, service, port, operations):
            url = ic.service_endpoint(args.endpoint, service)
            services[service] = make_client(args, args.cert, args.key, url, port)
            binding = services[service][0].wsdl.services[0].port(port).binding
            missing = operations - set(binding.operations)
            problems = [f"operations missing: {sorted(missing)}"] if missing else []
            if binding.root.getChild("binding", ns=(None, SOAP11_WSDL_NS)) is None:
                problems.append(f"port {port} has no SOAP 1.1 binding (wsdl/soap/)")
            rep.verdict(call_name, problems,
                        f"{port} ({binding.name}), {len(binding.operations)} operations")

        def fichier_xml(service, call_name, op, nom, fichier_, expect, needs):
            """One call on the wrapper fichierXmlParametres; `expect(file)` -> (problems, detail)."""
            client_, transport = services.get(service, (None, None))
            if client_ is None:
                return rep.fail(call_name, f"no client of {service} (its wsdl call failed)")
            absent = [k for k in ("crs",) + needs if state[k] is None]
            if absent:
                return rep.fail(call_name, f"not run: no {', '.join(absent)} from an earlier call")
            r, err = call(client_, transport, call_name, op, nomFichier=nom,
                          fichierXml=b64_param(client_, fichier_()), nomCertificat="")
            if err is not None:
                return unexpected(call_name, err)
            f = fichier(getattr(r, "fichierXmlRetour", None))
            ic.save(args.out, CLIENT, call_name, f)
            problems, detail = expect(f)
            nom_retour = getattr(r, "nomFichierXmlRetour", None)
            rep.verdict(call_name, transport.wire_problems(op) + problems
                        + ic.check_nom_retour(nom_retour and str(nom_retour), nom),
                        f"{detail}, SOAPAction {op}, {MODE}")

        yield "recherche.wsdl", lambda: wsdl("recherche.wsdl", ic.RECHERCHE_SERVICE, RECHERCHE_PORT,
                                             {ic.RECHERCHE_OPERATION})
        for call_name, op, nom, fichier_, expect, needs in ic.plan_recherche(state):
            yield call_name, lambda a=(ic.RECHERCHE_SERVICE, call_name, op, nom, fichier_, expect,
                                       needs): fichier_xml(*a)
        yield "evenements.wsdl", lambda: wsdl("evenements.wsdl", ic.EVENEMENTS_SERVICE,
                                              EVENEMENTS_PORT, ic.EVENEMENTS_OPERATIONS)
        for call_name, op, nom, fichier_, expect, needs in ic.plan_evenements(state):
            yield call_name, lambda a=(ic.EVENEMENTS_SERVICE, call_name, op, nom, fichier_, expect,
                                       needs): fichier_xml(*a)

    for call_name, step in (("getNumUnique.CRE", cre_step),
                            ("getDemandeLogement.relire", relire_step),
                            ("getNumUnique.invalide", invalide_step),
                            ("getDemandeLogement.inconnu", inconnu_step),
                            ("getDemandeLogement.autreTerritoire", autre_territoire_step),
                            ("getNumUnique.fauteGuichet", faute_guichet_step)):
        ic.guarded(rep, call_name, step)
    for call_name, step in cycle_steps():
        ic.guarded(rep, call_name, step)
    for call_name, step in pieces_steps():
        ic.guarded(rep, call_name, step)
    for call_name, step in fichier_xml_steps():
        ic.guarded(rep, call_name, step)
    return 0


if __name__ == "__main__":
    sys.exit(main())
