#!/usr/bin/env bash
# Interop client "jaxws": JAX-WS RI 2.3.0.2 from Debian bookworm (packages jaxws 2.3.0.2-2 and
# libjaxws-java 2.3.0.2-2, with their dependencies: jaxb 2.3.0.1, saaj-impl 1.4.1, ...) on the
# system JDK (17, which has no JAX-WS/JAXB of its own). wsimport reads the WSDL the gateway serves, javac compiles the generated stubs
# with InteropClient.java, and the client makes the calls of ../PROTOCOL.md over SOAP 1.2 + MTOM,
# those of the document service included (its WSDL, imported separately into package ...ws.pieces),
# of the search (...ws.recherche) and of the shared events (...ws.evenements), writing each business file (jaxws-<call>.xml) and each raw answer (jaxws-<call>.response and
# .response-headers, for the xmllint step) to --out.
# Usage: run.sh --endpoint URL --cacert CA.pem --cert C.pem --key C.key \
#               --other-cert O.pem --other-key O.key --fixtures DIR --out DIR
# SNE_JAXWS_WIRE=1 copies every HTTP exchange (headers and MTOM parts) to stderr, for debugging.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
usage() { echo "usage: $0 --endpoint URL --cacert F --cert F --key F --other-cert F --other-key F --fixtures DIR --out DIR" >&2; exit 2; }

endpoint= cacert= cert= key= other_cert= other_key= fixtures= out=
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || usage
  case "$1" in
    --endpoint) endpoint=$2 ;;
    --cacert) cacert=$2 ;;
    --cert) cert=$2 ;;
    --key) key=$2 ;;
    --other-cert) other_cert=$2 ;;
    --other-key) other_key=$2 ;;
    --fixtures) fixtures=$2 ;;
    --out) out=$2 ;;
    *) usage ;;
  esac
  shift 2
done
for v in endpoint cacert cert key other_cert other_key fixtures out; do
  [ -n "${!v}" ] || usage
done

# Debian installs the RI under /usr/share/java; the Class-Path of jaxws-rt.jar's manifest names
# the rest (jaxb-api/impl, jaxws-api, saaj, stax-ex, streambuffer, mimepull, gmbal, policy,
# javax.activation through jaxb-core...), so it is the only runtime jar to list.
jdir=/usr/share/java
for j in jaxws-tools.jar jaxws-rt.jar; do
  [ -r "$jdir/$j" ] || { echo "jaxws: $jdir/$j missing (apt-get install jaxws libjaxws-java)" >&2; exit 1; }
done
cp_rt=$jdir/jaxws-rt.jar

work=$(mktemp -d "${TMPDIR:-/tmp}/sne-jaxws.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" "$work/classes" "$out"

pass=changeit
openssl pkcs12 -export -in "$cert" -inkey "$key" -name client -passout pass:$pass -out "$work/g1104.p12"
openssl pkcs12 -export -in "$other_cert" -inkey "$other_key" -name client -passout pass:$pass -out "$work/g2201.p12"
# Java ignores certificate-only PKCS12 entries without Oracle's trust attribute, which openssl
# writes only from 3.2 (-jdktrust): keytool makes the truststore.
keytool -J-XX:+UseSerialGC -J-XX:TieredStopAtLevel=1 -importcert -noprompt -alias ca \
  -file "$cacert" -keystore "$work/trust.p12" -storetype PKCS12 -storepass $pass \
  >"$work/keytool.log" 2>&1 || { cat "$work/keytool.log" >&2; exit 1; }

# Short-lived JVMs: C1 only and the serial collector start faster on the 2-core CI runners
# (wsimport, javac and the client take about 0.6 s each).
jvm_fast=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1)
# saaj-impl 1.4.1 registers its factory under the old property name; say it explicitly so the
# runtime does not warn about it.
saaj=(-Djavax.xml.soap.SAAJMetaFactory=com.sun.xml.messaging.saaj.soap.SAAJMetaFactoryImpl)
ssl_props=(
  -Djavax.net.ssl.trustStore="$work/trust.p12" -Djavax.net.ssl.trustStoreType=PKCS12
  -Djavax.net.ssl.trustStorePassword=$pass
  -Djavax.net.ssl.keyStore="$work/g1104.p12" -Djavax.net.ssl.keyStoreType=PKCS12
  -Djavax.net.ssl.keyStorePassword=$pass
)

# wsimport's own launcher (/usr/bin/wsimport) only forwards $WSIMPORT_OPTS; -J would go to javac.
# accessExternalSchema: the WSDL imports DemandeLogementImplService.xsd over https.
# -extension: the RI calls a SOAP 1.2 binding "non-standard" and skips the port without it.
# Without a client there is no call to make: every call of the protocol fails, with the reason.
calls=(wsdl getNumUnique.CRE getDemandeLogement.relire getNumUnique.invalide
       getDemandeLogement.inconnu getDemandeLogement.autreTerritoire getNumUnique.fauteGuichet
       getNumUnique.MOD getNumUnique.REN getNumUnique.CRS getDoublons getDeclarationNouveauDalo
       getNouveauxDaloDepuisLe getNumUnique.RAD getDemandesRadieesDepuisLe getNumUnique.SUP
       pieces.wsdl deposerPiece deposerPiece.refus deposerLotPieces listerPieces getPiece
       getPiece.autreTerritoire qualifierPiece getEtatDossier supprimerPiece
       recherche.wsdl rechercheDemandeMulticritere.personne rechercheDemandeMulticritere.commune
       rechercheDemandeMulticritere.refus evenements.wsdl listerTypesEvenementsNationaux
       listerTypesEvenementsTerritoriaux ajouterEvenementDemande ajouterEvenementDemande.reglementaire
       listerEvenementsDemande modifierEvenementDemande supprimerEvenementDemande
       supprimerEvenementDemande.refus)
fail_all() {
  echo "FAIL jaxws wsdl $1"
  for c in "${calls[@]:1}"; do echo "FAIL jaxws $c not run: $1"; done
  exit 0
}

echo "jaxws: $(dpkg-query -W -f='${Package} ${Version}  ' jaxws libjaxws-java 2>/dev/null)$(java -version 2>&1 | head -1)" >&2
run_wsimport() {
  java "${jvm_fast[@]}" "${ssl_props[@]}" -Djavax.xml.accessExternalSchema=all \
    -jar "$jdir/jaxws-tools.jar" -quiet -extension -Xnocompile -keep \
    -s "$work/src" -d "$work/classes" "$@" >&2
}
echo "jaxws: wsimport $endpoint?wsdl" >&2
run_wsimport "$endpoint?wsdl" || fail_all "wsimport failed on $endpoint?wsdl (exit $?, see stderr)"
# The document service's schema includes DemandeLogementImplService.xsd as that service serves it,
# at its own address: one wsimport run over both WSDLs sees every type of that schema defined
# twice. Its stubs go to their own package instead.
pieces_endpoint=${endpoint/DemandeLogementImplService/PieceJustificativeImplService}
echo "jaxws: wsimport $pieces_endpoint?wsdl" >&2
run_wsimport -p i2.application.nuu.metier.ws.pieces "$pieces_endpoint?wsdl" \
  || fail_all "wsimport failed on $pieces_endpoint?wsdl (exit $?, see stderr)"
# The search and the shared events: each service serves FichierXmlImplService.xsd (which includes
# DemandeLogementImplService.xsd) at its own address, so one package each, for the same reason.
# The six event operations share the wrapper fichierXmlParametres, which WS-I BP R2710 forbids
# (operations must differ on the wire): without -extension, wsimport stops on the SOAP 1.1 port
# ("[ERROR] Non unique body parts! ... Try running wsimport with -extension switch"); with it,
# it warns once per operation ("Method dispatching may fail, runtime will try to dispatch using
# SOAPAction", hidden by -quiet) and generates one method per operation. The RI then sends each
# method's soapAction (with MTOM, inside start-info), which is what the gateway dispatches on.
for svc in RechercheDemandeImplService:recherche GestionPartageeEVTImplService:evenements; do
  svc_endpoint=${endpoint/DemandeLogementImplService/${svc%%:*}}
  echo "jaxws: wsimport $svc_endpoint?wsdl" >&2
  run_wsimport -p "i2.application.nuu.metier.ws.${svc#*:}" "$svc_endpoint?wsdl" \
    || fail_all "wsimport failed on $svc_endpoint?wsdl (exit $?, see stderr)"
done

echo "jaxws: javac" >&2
find "$work/src" -name '*.java' > "$work/sources"
echo "$here/InteropClient.java" >> "$work/sources"
javac -J-XX:+UseSerialGC -J-XX:TieredStopAtLevel=1 -nowarn -encoding UTF-8 \
  -cp "$cp_rt" -d "$work/classes" "@$work/sources" >&2 \
  || fail_all "javac failed on the stubs generated from $endpoint?wsdl (exit $?, see stderr)"

# The client saves each answer's raw bytes through its own transport factory, found by the RI
# through META-INF/services on the classpath (see InteropClient.RawResponseTransport).
mkdir -p "$work/classes/META-INF/services"
echo 'InteropClient$RawResponseTransport' \
  > "$work/classes/META-INF/services/com.sun.xml.ws.api.pipe.TransportTubeFactory"

java "${jvm_fast[@]}" "${saaj[@]}" "${ssl_props[@]}" -cp "$work/classes:$cp_rt" InteropClient \
  --endpoint "$endpoint" --truststore "$work/trust.p12" --keystore "$work/g1104.p12" \
  --other-keystore "$work/g2201.p12" --storepass $pass --fixtures "$fixtures" --out "$out"
