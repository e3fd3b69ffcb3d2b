#!/usr/bin/env python3
"""Interop client: Python zeep, SOAP 1.2 port DemandeLogementImplPort.

zeep can read MTOM responses but cannot send MTOM, so binary parameters travel as inline base64
in an `application/soap+xml` request, and the gateway answers inline too. Every call checks
that the request really was SOAP 1.2 (Content-Type application/soap+xml with the action
parameter) and that the answer was SOAP 1.2. Raw POST responses are saved for the xmllint step.
The document service (PieceJustificativeImplService) is called the same way, through its SOAP
1.2 port PieceJustificativeImplPort, and so are the search (RechercheDemandeImplPort) and the
shared events (GestionPartageeEVTImplPort): zeep sends each operation's own soapAction as the
action parameter, which is what tells the six event operations apart (they share one wrapper);
the check of the wire says it was that operation's. See tests/interop/PROTOCOL.md for the calls
and their expectations.
"""

import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import requests  # noqa: E402
import zeep  # noqa: E402
from zeep.exceptions import Fault  # noqa: E402
from zeep.transports import Transport  # noqa: E402

import interop_common as ic  # noqa: E402

CLIENT = "zeep"
PORT = "DemandeLogementImplPort"
SERVICE = "DemandeLogementImplService"
PIECES_PORT = "PieceJustificativeImplPort"
RECHERCHE_PORT = "RechercheDemandeImplPort"
EVENEMENTS_PORT = "GestionPartageeEVTImplPort"
MODE = "inline base64 (zeep sends no MTOM), SOAP 1.2"


class Capture:
    """Remembers the last POST exchange so each call can check the wire and save the answer."""

    def __init__(self, out):
        self.out = out
        self.call = None
        self.request_ct = None
        self.request_soap12 = False
        self.response_ct = None

    def hook(self, response, *args, **kwargs):
        if response.request.method != "POST":
            return response
        self.request_ct = response.request.headers.get("Content-Type", "")
        body = response.request.body or b""
        self.request_soap12 = (ic.SOAP12_NS.encode() in
                               (body if isinstance(body, bytes) else body.encode("utf-8")))
        self.response_ct = response.headers.get("Content-Type", "")
        if self.call:
            ic.save_raw_response(self.out, CLIENT, self.call, self.response_ct, response.content)
        return response

    def start(self, call):
        self.call = call
        self.request_ct = self.response_ct = None
        self.request_soap12 = False

    def wire_problems(self, op=None):
        """What was not SOAP 1.2 inline; with `op`, an action that is not op's soapAction."""
        problems = []
        if self.request_ct is None:
            return ["no POST was sent"]
        mtype, params = ic.header_params(self.request_ct)
        if mtype != "application/soap+xml":
            problems.append(f"request Content-Type {self.request_ct!r} is not SOAP 1.2")
        elif not params.get("action", "").startswith(ic.WS_NS):
            problems.append(f"request Content-Type {self.request_ct!r} has no soapAction")
        elif op is not None and params["action"] != ic.WS_NS + op:
            problems.append(f"request action {params['action']!r} is not {ic.WS_NS + op!r}")
        if not self.request_soap12:
            problems.append("request envelope is not in the SOAP 1.2 namespace")
        rtype, _ = ic.header_params(self.response_ct or "")
        if rtype != "application/soap+xml":
            problems.append(f"response Content-Type {self.response_ct!r} is not SOAP 1.2 inline")
        return problems


def make_client(args, cert, key, capture, endpoint=None, service=SERVICE, port=PORT):
    session = requests.Session()
    # REQUESTS_CA_BUNDLE and friends would otherwise replace `verify` (requests merges the
    # environment over session settings); proxies from the environment must not apply either.
    session.trust_env = False
    session.verify = args.cacert
    session.cert = (cert, key)
    session.hooks["response"].append(capture.hook)
    transport = Transport(session=session, timeout=60, operation_timeout=60)
    client = zeep.Client((endpoint or args.endpoint) + "?wsdl", transport=transport,
                         service_name=service, port_name=port)
    return client


def fichier(obj):
    """zeep gives a `fichier` (base64Binary simple content + contentType) as an object."""
    if obj is None:
        return None
    if isinstance(obj, (bytes, str)):
        return ic.as_bytes(obj)
    return ic.as_bytes(obj["_value_1"])


def fault_texts(fault):
    texts = [fault.message]
    if fault.detail is not None:
        for exc in fault.detail.iter(f"{{{ic.WS_NS}}}demandeLogementException"):
            for m in exc.iter("message"):
                texts.append(m.text)
    return texts


def main():
    args = ic.parse_args(__doc__.splitlines()[1])
    rep = ic.Report(CLIENT)
    cre = ic.read_fixture(args.fixtures, ic.FIXTURE_CRE)
    invalide = ic.read_fixture(args.fixtures, ic.FIXTURE_INVALIDE)
    nom_cre = os.path.basename(ic.FIXTURE_CRE)
    nom_invalide = os.path.basename(ic.FIXTURE_INVALIDE)

    cap = Capture(args.out)
    cap_other = Capture(args.out)

    # wsdl
    try:
        client = make_client(args, args.cert, args.key, cap)
        other = make_client(args, args.other_cert, args.other_key, cap_other)
        ops = set(client.service._binding._operations)
        binding = type(client.service._binding).__name__
        missing = {"getNumUnique", "getDemandeLogement"} - ops
        problems = [f"operations missing: {sorted(missing)}"] if missing else []
        if binding != "Soap12Binding":
            problems.append(f"port {PORT} bound as {binding}, not Soap12Binding")
        rep.verdict("wsdl", problems, f"{PORT} ({binding}), {len(ops)} operations")
    except Exception as e:  # the toolkit could not build a client: nothing else can run
        ic.log(traceback.format_exc())
        rep.fail("wsdl", f"{type(e).__name__}: {e}")
        return 0

    def call(client_, capture, name, op, **kw):
        capture.start(name)
        try:
            return getattr(client_.service, op)(**kw), None
        except Fault as f:
            return None, f
        except Exception as e:
            ic.log(traceback.format_exc())
            return None, e

    def unexpected(name, err, capture):
        if isinstance(err, Fault):
            rep.fail(name, f"unexpected SOAP fault {err.code}: {err.message}")
        else:
            rep.fail(name, f"{type(err).__name__}: {err}")

    state = {"num": None, "fichier_cre": None, "crs": None, "depot": None, "avis": None,
             "entretien": None, "cal": None}

    def cre_step():
        name = "getNumUnique.CRE"
        r, err = call(client, cap, name, "getNumUnique", nomFichierDemande=nom_cre,
                      fichierDemande={"_value_1": cre}, nomCertificat="", certificat=b"")
        if err is not None:
            return unexpected(name, err, cap)
        fichier_cre = fichier(r.fichierDemande)
        attestation = fichier(r.attestation)
        ic.save(args.out, CLIENT, name, fichier_cre)
        ic.save(args.out, CLIENT, name, attestation, "pdf")
        problems, num, detail = ic.check_cre(fichier_cre, r.nomAttestation, attestation)
        state["fichier_cre"] = fichier_cre
        state["num"] = num
        rep.verdict(name, cap.wire_problems() + problems, f"{detail}, {MODE}")

    def read_back(name, client_, capture, numero, code=None, absent_text=None, label=""):
        r, err = call(client_, capture, name, "getDemandeLogement", numUnique=numero,
                      nomCertificat="", certificat=b"")
        if err is not None:
            return unexpected(name, err, capture)
        f = fichier(r.fichierDemande)
        ic.save(args.out, CLIENT, name, f)
        if code is None:
            problems, detail = ic.check_relire(f, state["fichier_cre"])
        else:
            problems, detail = ic.check_anomalie(f, code, absent_text=absent_text)
        rep.verdict(name, capture.wire_problems() + problems, label + detail)

    def relire_step():
        name = "getDemandeLogement.relire"
        if state["num"] is None:
            return rep.fail(name, "no numUnique from getNumUnique.CRE")
        read_back(name, client, cap, state["num"])

    def invalide_step():
        name = "getNumUnique.invalide"
        r, err = call(client, cap, name, "getNumUnique", nomFichierDemande=nom_invalide,
                      fichierDemande={"_value_1": invalide}, nomCertificat="", certificat=b"")
        if err is not None:
            return unexpected(name, err, cap)
        f = fichier(r.fichierDemande)
        ic.save(args.out, CLIENT, name, f)
        problems, detail = ic.check_anomalie(f, "XSD-LONG", ic.PROPRIETE_LONG_NOM)
        rep.verdict(name, cap.wire_problems() + problems, detail)

    def inconnu_step():
        read_back("getDemandeLogement.inconnu", client, cap, ic.NUM_UNIQUE_INCONNU, "DEM-INC",
                  label=f"{ic.NUM_UNIQUE_INCONNU}: ")

    def autre_territoire_step():
        name = "getDemandeLogement.autreTerritoire"
        if state["num"] is None:
            return rep.fail(name, "no numUnique from getNumUnique.CRE")
        read_back(name, other, cap_other, state["num"], "DEM-INC",
                  absent_text=ic.nom_demandeur(cre), label="as G2201: ")

    def faute_guichet_step():
        name = "getNumUnique.fauteGuichet"
        r, err = call(other, cap_other, name, "getNumUnique", nomFichierDemande=nom_cre,
                      fichierDemande={"_value_1": cre}, nomCertificat="", certificat=b"")
        if err is None:
            return rep.fail(name, "no SOAP fault: the call succeeded")
        if not isinstance(err, Fault):
            return unexpected(name, err, cap_other)
        problems, detail = ic.check_fault_text(fault_texts(err), err.code)
        rep.verdict(name, cap_other.wire_problems() + problems,
                    f"zeep.exceptions.Fault, {detail}")

    def numunique_step(name, fichier_, expect, nom=nom_cre):
        """getNumUnique with a lifecycle file; `expect(fichier, reponse)` -> (problems, detail)."""
        if state["num"] is None:
            return rep.fail(name, "no numUnique from getNumUnique.CRE")
        r, err = call(client, cap, name, "getNumUnique", nomFichierDemande=nom,
                      fichierDemande={"_value_1": fichier_}, nomCertificat="", certificat=b"")
        if err is not None:
            return unexpected(name, err, cap)
        f = fichier(r.fichierDemande)
        ic.save(args.out, CLIENT, name, f)
        problems, detail = expect(f, r)
        rep.verdict(name, cap.wire_problems() + problems, detail)

    def cycle_steps():
        F = state["fichier_cre"] or b""
        num = state["num"]
        yield "getNumUnique.MOD", lambda: numunique_step(
            "getNumUnique.MOD", ic.as_type(F, "MOD"), lambda f, r: ic.check_accepted(f, num, 2))
        yield "getNumUnique.REN", lambda: numunique_step(
            "getNumUnique.REN", ic.with_block(ic.as_type(F, "REN"), ic.renouvellement()),
            lambda f, r: ic.check_anomalie(f, "REN-FEN"))

        def crs(f, r):
            problems, num2, detail = ic.check_cre(f, r.nomAttestation, fichier(r.attestation))
            if num2 == num:
                problems.append("the CRS got the number of the application it comes from")
            state["crs"] = None if problems else num2
            return problems, detail
        yield "getNumUnique.CRS", lambda: numunique_step("getNumUnique.CRS", ic.crs_file(cre, num), crs)

        def doublons():
            name = "getDoublons"
            r, err = call(client, cap, name, "getDoublons", nomFichierDemande=nom_cre,
                          fichierDemande={"_value_1": cre})
            if err is not None:
                return unexpected(name, err, cap)
            liste = fichier(r.listeDoublons)
            ic.save(args.out, CLIENT, name + ".listeDoublons", liste)
            ic.save(args.out, CLIENT, name, fichier(r.fichierDemande))
            problems, detail = ic.check_doublons(liste, num)
            rep.verdict(name, cap.wire_problems() + problems, detail)
        yield "getDoublons", doublons

        def dalo():
            name = "getDeclarationNouveauDalo"
            r, err = call(client, cap, name, "getDeclarationNouveauDalo", nomFichierDalo="DALO.xml",
                          fichierDalo={"_value_1": ic.as_type(F, "MOD")}, nomCertificat="", certificat=b"")
            if err is not None:
                return unexpected(name, err, cap)
            f = fichier(r.fichierDalo)
            ic.save(args.out, CLIENT, name, f)
            problems, detail = ic.check_accepted(f, num)
            rep.verdict(name, cap.wire_problems() + problems, detail)
        yield "getDeclarationNouveauDalo", dalo

        def liste(name, op, param, out_name, type_fichier, **extra):
            r, err = call(client, cap, name, op, **{param: f"{ic.today()}T00:00:00"}, **extra,
                          nomCertificat="", certificat=b"")
            if err is not None:
                return unexpected(name, err, cap)
            f = fichier(getattr(r, out_name))
            ic.save(args.out, CLIENT, name, f)
            problems, detail = ic.check_liste(f, num, type_fichier)
            rep.verdict(name, cap.wire_problems() + problems, detail)
        yield "getNouveauxDaloDepuisLe", lambda: liste(
            "getNouveauxDaloDepuisLe", "getNouveauxDaloDepuisLe", "dateNouveauDaloDepuisLe",
            "fichierNouveauxDalo", "LDA")
        yield "getNumUnique.RAD", lambda: numunique_step(
            "getNumUnique.RAD", ic.with_block(ic.as_type(F, "RAD"), ic.radiation()),
            lambda f, r: ic.check_accepted(f, num))
        yield "getDemandesRadieesDepuisLe", lambda: liste(
            "getDemandesRadieesDepuisLe", "getDemandesRadieesDepuisLe", "dateRadiationDepuisLe",
            "fichierDemandesRadiees", "LRA", motifRadiation={"code": "RADABA"})
        yield "getNumUnique.SUP", lambda: numunique_step(
            "getNumUnique.SUP", ic.as_type(F, "SUP"), lambda f, r: ic.check_accepted(f, num))

    def pieces_steps():
        """PROTOCOL.md, "Calls of the dossier unique": on the application the CRS registered."""
        pcap, pcap_other = Capture(args.out), Capture(args.out)
        pieces = {}

        def wsdl():
            url = ic.pieces_endpoint(args.endpoint)
            pieces["g1104"] = make_client(args, args.cert, args.key, pcap, url,
                                          ic.PIECES_SERVICE, PIECES_PORT)
            pieces["g2201"] = make_client(args, args.other_cert, args.other_key, pcap_other, url,
                                          ic.PIECES_SERVICE, PIECES_PORT)
            binding = pieces["g1104"].service._binding
            missing = ic.PIECES_OPERATIONS - set(binding._operations)
            problems = [f"operations missing: {sorted(missing)}"] if missing else []
            if type(binding).__name__ != "Soap12Binding":
                problems.append(f"port {PIECES_PORT} bound as {type(binding).__name__}")
            rep.verdict("pieces.wsdl", problems,
                        f"{PIECES_PORT} ({type(binding).__name__}), {len(binding._operations)} operations")
        yield "pieces.wsdl", wsdl

        def piece(name, op, params, expect, needs=(), as_other=False):
            """One call; `params()` -> its arguments, `expect(reponse)` -> (problems, detail)."""
            client_, capture = (pieces.get("g2201"), pcap_other) if as_other \
                else (pieces.get("g1104"), pcap)
            if client_ is None:
                return rep.fail(name, "no client of the document service (pieces.wsdl failed)")
            absent = [k for k in ("crs",) + needs if state[k] is None]
            if absent:
                return rep.fail(name, f"not run: no {', '.join(absent)} from an earlier call")
            r, err = call(client_, capture, name, op, **params())
            if err is not None:
                return unexpected(name, err, capture)
            problems, detail = expect(r)
            rep.verdict(name, capture.wire_problems() + problems, detail)

        def depot(categorie, nom, data, content_type):
            return {"numUnique": state["crs"], "codeCategorie": categorie, "personne": "DEM",
                    "nomFichier": nom, "fichier": {"_value_1": data, "contentType": content_type}}

        def deposer(r):
            problems, state["depot"], detail = ic.check_depot(r, ic.PDF)
            return problems, f"{detail}, {MODE}"
        yield "deposerPiece", lambda: piece(
            "deposerPiece", "deposerPiece",
            lambda: depot("IDENTITE", "cni.pdf", ic.PDF, "application/pdf"), deposer)
        yield "deposerPiece.refus", lambda: piece(
            "deposerPiece.refus", "deposerPiece",
            lambda: depot("IDENTITE", "cni.pdf", ic.GIF, "application/pdf"),
            lambda r: ic.check_refus(r, "PIE-FORMAT"))

        def lot(r):
            problems, state["avis"], detail = ic.check_lot(r)
            return problems, f"{detail}, {MODE}"
        yield "deposerLotPieces", lambda: piece(
            "deposerLotPieces", "deposerLotPieces",
            lambda: {"piece": [
                depot("AVISIMPOT", "avis.png", ic.PNG, "image/png"),
                dict(depot("REVENUS", "x.pdf", ic.PDF, "application/pdf"),
                     numUnique=ic.NUM_UNIQUE_INCONNU)]}, lot)
        yield "listerPieces", lambda: piece(
            "listerPieces", "listerPieces", lambda: {"numUnique": state["crs"]},
            lambda r: ic.check_liste_pieces(r, state["depot"], state["avis"]),
            needs=("depot", "avis"))

        def get_piece(r):
            contenu = fichier(r.fichier)
            ic.save(args.out, CLIENT, "getPiece", contenu, "pdf")
            problems, detail = ic.check_get_piece(r, contenu, state["depot"])
            return problems, f"{detail}, {MODE}"
        yield "getPiece", lambda: piece(
            "getPiece", "getPiece", lambda: {"idPiece": state["depot"]}, get_piece,
            needs=("depot",))
        yield "getPiece.autreTerritoire", lambda: piece(
            "getPiece.autreTerritoire", "getPiece", lambda: {"idPiece": state["depot"]},
            lambda r: ic.check_refus(r, "PIE-INC", absent=("piece", "fichier")),
            needs=("depot",), as_other=True)
        yield "qualifierPiece", lambda: piece(
            "qualifierPiece", "qualifierPiece",
            lambda: {"idPiece": state["avis"], "statut": "INEXPLOITABLE", "motif": "illisible"},
            ic.check_qualifier, needs=("avis",))
        yield "getEtatDossier", lambda: piece(
            "getEtatDossier", "getEtatDossier", lambda: {"numUnique": state["crs"]}, ic.check_etat)
        yield "supprimerPiece", lambda: piece(
            "supprimerPiece", "supprimerPiece", lambda: {"idPiece": state["depot"]},
            lambda r: ic.check_supprimer(r, state["depot"]), needs=("depot",))

    def fichier_xml_steps():
        """PROTOCOL.md, "Calls of the search and the shared events": on the CRS's application."""
        services = {}

        def wsdl(call_name, service, port, operations):
            capture = Capture(args.out)
            url = ic.service_endpoint(args.endpoint, service)
            client_ = make_client(args, args.cert, args.key, capture, url, service, port)
            services[service] = (client_, capture)
            binding = client_.service._binding
            missing = operations - set(binding._operations)
            problems = [f"operations missing: {sorted(missing)}"] if missing else []
            if type(binding).__name__ != "Soap12Binding":
                problems.append(f"port {port} bound as {type(binding).__name__}")
            rep.verdict(call_name, problems,
                        f"{port} ({type(binding).__name__}), {len(binding._operations)} operations")

        def fichier_xml(service, call_name, op, nom, fichier_, expect, needs):
            """One call on the wrapper fichierXmlParametres; `expect(file)` -> (problems, detail)."""
            client_, capture = services.get(service, (None, None))
            if client_ is None:
                return rep.fail(call_name, f"no client of {service} (its wsdl call failed)")
            absent = [k for k in ("crs",) + needs if state[k] is None]
            if absent:
                return rep.fail(call_name, f"not run: no {', '.join(absent)} from an earlier call")
            r, err = call(client_, capture, call_name, op, nomFichier=nom,
                          fichierXml={"_value_1": fichier_()}, nomCertificat="")
            if err is not None:
                return unexpected(call_name, err, capture)
            f = fichier(r.fichierXmlRetour)
            ic.save(args.out, CLIENT, call_name, f)
            problems, detail = expect(f)
            rep.verdict(call_name, capture.wire_problems(op) + problems
                        + ic.check_nom_retour(r.nomFichierXmlRetour, nom),
                        f"{detail}, action {op}, {MODE}")

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
