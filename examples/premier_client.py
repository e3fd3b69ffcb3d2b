"""Premier client : enregistre la demande d'exemple du mode école avec zeep (pip install zeep).
python3 examples/premier_client.py [répertoire école] [adresse]"""
import sys

import requests
from lxml import etree
from zeep import Client
from zeep.transports import Transport

ecole = sys.argv[1] if len(sys.argv) > 1 else "sne-data"
adresse = sys.argv[2] if len(sys.argv) > 2 else "https://localhost:8443"
session = requests.Session()  # l'identité du guichet : son certificat TLS, rien d'autre
session.cert = (f"{ecole}/pki/client-G1104.pem", f"{ecole}/pki/client-G1104.key")
session.verify = f"{ecole}/pki/ca.pem"
session.trust_env = False  # sinon REQUESTS_CA_BUNDLE ou un proxy de l'environnement passe avant
client = Client(f"{adresse}/services/DemandeLogementImplService/?wsdl",
                transport=Transport(session=session), port_name="DemandeLogementImplPort")
with open(f"{ecole}/exemple-demande.xml", "rb") as f:  # UTF-8 uniquement, daté du jour
    demande = f.read()
reponse = client.service.getNumUnique(nomFichierDemande="DEMG1104.xml", fichierDemande={"_value_1": demande},
                                      nomCertificat="", certificat=b"")  # vides : le certificat TLS suffit
fichier = etree.fromstring(reponse.fichierDemande._value_1)  # le fichier rendu, décodé par zeep
ns = {"n": "http://nuu.application.i2/"}
anomalies = fichier.findall(".//n:listeAnomalie/n:anomalie", ns)
for a in anomalies:  # un refus n'est pas une faute : le fichier revient avec listeAnomalie
    print("refusée :", a.get("code"), a.get("propriete"), a.findtext("n:message", namespaces=ns))
if not anomalies:
    print("numéro unique :", fichier.findtext(".//n:numUnique", namespaces=ns))
    with open("attestation.pdf", "wb") as f:
        f.write(reponse.attestation._value_1)
