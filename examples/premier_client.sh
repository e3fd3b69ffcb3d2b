#!/usr/bin/env bash
# Premier client en curl : la même demande en SOAP 1.2, le fichier en base64 dans l'enveloppe.
# bash examples/premier_client.sh [répertoire école] [adresse]
ECOLE=${1:-sne-data}; ADRESSE=${2:-https://localhost:8443}
ENVELOPPE='<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>'
ENVELOPPE+='<ns2:numUniqueParametres xmlns:ns2="http://ws.metier.nuu.application.i2/">'
ENVELOPPE+="<nomFichierDemande>DEMG1104.xml</nomFichierDemande><fichierDemande>$(base64 -w0 "$ECOLE/exemple-demande.xml")</fichierDemande>"
ENVELOPPE+='<nomCertificat/><certificat/></ns2:numUniqueParametres></soap:Body></soap:Envelope>'
curl -sS --cert "$ECOLE/pki/client-G1104.pem" --key "$ECOLE/pki/client-G1104.key" --cacert "$ECOLE/pki/ca.pem" \
  -H 'Content-Type: application/soap+xml; charset=utf-8; action="http://ws.metier.nuu.application.i2/getNumUnique"' \
  --data-binary "$ENVELOPPE" "$ADRESSE/services/DemandeLogementImplService/" \
  | sed -n 's:.*<fichierDemande>\([^<]*\)</fichierDemande>.*:\1:p' | base64 -d
echo
