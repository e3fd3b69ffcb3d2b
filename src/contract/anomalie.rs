//! The one catalogue of anomaly codes: every code the gateway puts in a `listeAnomalie`, with the
//! rule it stands for, in French. The README's table is generated from it and a test keeps them
//! equal; another test reads the sources and fails on a code used but not catalogued.

/// One anomaly code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entree {
    /// The stable code.
    pub code: &'static str,
    /// The rule the gateway applies, as a counter reads it.
    pub regle: &'static str,
}

/// Every code, in the order of the README.
pub static CATALOGUE: &[Entree] = &[
    Entree { code: "XSD-RACINE", regle: "L'élément racine n'est pas `interfaceNuu` de l'espace de noms du contrat." },
    Entree { code: "XSD-VERS", regle: "`versionInterface` absente ou non prise en charge (02.00 et 02.01 le sont)." },
    Entree { code: "XSD-ABSENT", regle: "Un élément obligatoire manque." },
    Entree {
        code: "XSD-INATT",
        regle: "Un élément est inattendu à cet endroit (ordre du schéma, élément inconnu, ou élément de la seule version 02.01).",
    },
    Entree { code: "XSD-TROP", regle: "Un élément est répété plus que le schéma ne le permet." },
    Entree { code: "XSD-CHOIX", regle: "Un choix du schéma n'est pas respecté : aucune branche, ou plusieurs." },
    Entree { code: "XSD-ATTR", regle: "Un attribut manque, est inattendu, ou n'a pas l'espace de noms que le schéma exige." },
    Entree { code: "XSD-TEXTE", regle: "Du texte là où le schéma n'attend que des éléments." },
    Entree { code: "XSD-FORMAT", regle: "Une valeur n'a pas la forme de son type (date, date et heure, entier, booléen...)." },
    Entree { code: "XSD-LONG", regle: "Une valeur est plus longue ou plus courte que son type ne le permet." },
    Entree { code: "XSD-MOTIF", regle: "Une valeur ne suit pas le motif de son type." },
    Entree { code: "XSD-BORNE", regle: "Une valeur numérique est hors des bornes de son type." },
    Entree { code: "XSD-ENUM", regle: "Une valeur n'est pas de l'énumération de son type." },
    Entree {
        code: "XSD-LIMITE",
        regle: "La liste s'arrête à 1000 anomalies ; celle-ci dit combien d'autres ont été trouvées.",
    },
    Entree { code: "CODE-INC", regle: "Un code n'est pas de sa liste (docs/listes-de-codes.md)." },
    Entree { code: "CRE-NUM", regle: "Un fichier CRE ou CRS ne porte pas de `numUnique` : le registre l'attribue." },
    Entree {
        code: "CRE-DATE",
        regle: "`dateCreationDemande` d'un CRE ou CRS est antérieure de plus d'un mois au jour de l'enregistrement : les guichets ont un mois pour enregistrer, l'ancienneté ne se date pas plus tôt.",
    },
    Entree {
        code: "DATE-NAIS",
        regle: "Une date de naissance (demandeur, cotitulaire, personne à charge) est postérieure au jour ou antérieure au 1er janvier 1900.",
    },
    Entree {
        code: "DEM-AGE",
        regle: "Le demandeur et chaque cotitulaire sont majeurs (18 ans) à la date de la demande (dépôt pour un CRE, renouvellement pour un REN, jour pour un MOD).",
    },
    Entree {
        code: "DEM-COTIT",
        regle: "Demandeur marié (M) ou pacsé (P) : son conjoint ou partenaire figure parmi les cotitulaires (`lienDemandeur` M ou P) ; un tel cotitulaire va avec cette situation familiale.",
    },
    Entree { code: "DEM-MOTIF", regle: "Le motif 23 (autre motif) est précisé dans `compAutreMotif`." },
    Entree {
        code: "COM-INC",
        regle: "Un code de commune (souhaitée, adresse, employeur) n'existe pas dans le découpage administratif officiel (Etalab ; communes et arrondissements municipaux).",
    },
    Entree {
        code: "COM-TERR",
        regle: "Une commune souhaitée est hors du territoire du guichet (ses départements ou communes, `[[territoires]]` de la configuration).",
    },
    Entree {
        code: "REV-ANNEE",
        regle: "`anneeMoins1` est l'une des deux années précédant celle de la demande, `anneeMoins2` l'année précédant `anneeMoins1`.",
    },
    Entree {
        code: "CRS-ASSOC",
        regle: "Un fichier CRS nomme par `numUniqueAssocie` une demande existante du territoire (dont il garde l'ancienneté).",
    },
    Entree {
        code: "DATE-FUT",
        regle: "`dateCreationDemande`, `dateRenouvellement`, `dateRadiation` ou `dateDecisionDalo` est postérieure au lendemain du jour (jour de Paris).",
    },
    Entree {
        code: "DATE-ANC",
        regle: "`dateRenouvellement` est antérieure à l'ouverture du renouvellement, ou `dateRadiation` au dépôt de la demande.",
    },
    Entree {
        code: "DOU-TROUVE",
        regle: "Le demandeur ou un cotitulaire d'un CRE figure déjà sur une demande active du territoire (nom ou nom de naissance, prénom, date de naissance, normalisés) : le message donne leurs numéros, `getDoublons` leur détail ; `forcerDoublon` à true enregistre malgré tout.",
    },
    Entree {
        code: "DOU-ABS",
        regle: "Le fichier de `getDoublons` n'a pas de demandeur avec nom, prénom et date de naissance.",
    },
    Entree {
        code: "DALO-ABS",
        regle: "Une déclaration DALO porte `demande/informationDalo` avec `statutDalo`, et le `numUnique` de la demande.",
    },
    Entree { code: "DALO-RAD", regle: "Une décision DALO ne se déclare pas sur une demande radiée." },
    Entree { code: "DEM-NUM", regle: "Un fichier MOD, REN, RAD ou SUP porte le `numUnique` de la demande qu'il concerne." },
    Entree { code: "MOD-RAD", regle: "Une demande radiée ne se modifie plus." },
    Entree {
        code: "REN-ABS",
        regle: "Un fichier REN porte `renouvellement/dateRenouvellement`.",
    },
    Entree {
        code: "REN-FEN",
        regle: "Le renouvellement s'ouvre trois mois avant l'expiration (un an après le dépôt ou le dernier renouvellement).",
    },
    Entree {
        code: "REN-RAD",
        regle: "Une demande radiée pour un autre motif que le non-renouvellement ne se renouvelle plus.",
    },
    Entree {
        code: "REN-DELAI",
        regle: "Une demande radiée faute de renouvellement se réactive par un REN jusqu'à dix-huit mois après son dernier dépôt ou renouvellement, pas au-delà.",
    },
    Entree {
        code: "RAD-ABS",
        regle: "Un fichier RAD porte l'élément `radiation` (motif vide pour annuler une radiation).",
    },
    Entree { code: "RAD-DEJA", regle: "La demande est déjà radiée : on ne la radie pas deux fois." },
    Entree {
        code: "RAD-REN",
        regle: "Le motif RADREN (non-renouvellement) est réservé au système, qui l'applique un mois après l'expiration.",
    },
    Entree {
        code: "RAD-DETAIL",
        regle: "Le motif exige son détail : RADIRR `sousMotifIrrecevabilite`, RADATT `attributionLogement`, RADCON `absenceReponse/dateCourrier`.",
    },
    Entree { code: "RAD-NON", regle: "Annulation de radiation (motif vide) d'une demande qui n'est pas radiée." },
    Entree {
        code: "RAD-ANN",
        regle: "Une radiation s'annule (motif vide) dans le mois qui suit son enregistrement ; une radiation RADREN se lève par un REN.",
    },
    Entree {
        code: "TYPE-NGR",
        regle: "`typeFichier` DIS, RET ou COP : échanges par lots entre fichiers partagés et système national, non traités par ce service.",
    },
    Entree { code: "TYPE-INC", regle: "`typeFichier` inconnu du contrat." },
    Entree {
        code: "DEM-INC",
        regle: "Aucune demande de ce numéro n'est accessible au guichet : inconnue, mal formée, ou d'un autre territoire (réponse identique).",
    },
    Entree {
        code: "PIE-INC",
        regle: "Aucune pièce de cet identifiant n'est accessible à l'appelant : inconnue, supprimée, d'un autre territoire, ou sensible pour un profil qui ne les voit pas (réponse identique).",
    },
    Entree { code: "PIE-CAT", regle: "`codeCategorie` n'est pas une catégorie de pièce (tableau des catégories)." },
    Entree {
        code: "PIE-PERS",
        regle: "`personne` désigne le demandeur (DEM), un cotitulaire (COT1 à COT99) ou une personne à charge (PAC1 à PAC99) que la demande compte (COT2 sur une demande d'un seul cotitulaire est refusé ; le message dit les personnes de la demande).",
    },
    Entree { code: "PIE-NOM", regle: "`nomFichier` est vide ou dépasse 255 caractères." },
    Entree {
        code: "PIE-DATE",
        regle: "`dateDocument` n'est pas une date (AAAA-MM-JJ) ou est postérieure au jour du dépôt.",
    },
    Entree {
        code: "PIE-FERME",
        regle: "Le dossier unique du territoire n'est pas encore ouvert (date d'ouverture de la convention départementale, `pieces_ouverture`) : le message dit quand il ouvre.",
    },
    Entree {
        code: "PIE-NOMBRE",
        regle: "La demande porte déjà le nombre maximal de pièces (`pieces.max_par_demande`, 200 par défaut).",
    },
    Entree {
        code: "PIE-TAILLE",
        regle: "La pièce dépasse la taille maximale (`pieces.taille_max_octets`, 20 Mio par défaut) : rien n'est conservé.",
    },
    Entree { code: "PIE-VIDE", regle: "Le fichier de la pièce est vide." },
    Entree {
        code: "PIE-FORMAT",
        regle: "Le contenu n'est ni un PDF, ni un JPEG, ni un PNG, ni un TIFF (reconnus à leur propre signature, pas au nom ni au type déclaré).",
    },
    Entree {
        code: "PIE-STRUCT",
        regle: "Le contenu a la signature d'un format accepté mais pas sa structure (PDF sans en-tête ou sans `%%EOF` final, JPEG sans marqueur de fin, PNG sans IHDR ou IEND, TIFF dont le premier répertoire est hors du fichier) : fichier tronqué ou altéré.",
    },
    Entree {
        code: "PIE-ACTIF",
        regle: "Le PDF porte du contenu actif (JavaScript, formulaire XFA ou script XFA, soumission de formulaire, import de données, ouverture d'un document distant ou incorporé, lancement de programme, fichier incorporé, média enrichi), cherché aussi dans chaque flux décodé par toute sa chaîne de filtres (Flate ou deflate brut, ASCIIHex, ASCII85, LZW, RunLength, prédicteurs) et dans les flux d'objets ; ou un de ses flux ne peut pas être vérifié (plus de 8 filtres, paramètres indirects, ambigus ou hors limites, plus de 4 flux à décoder à la fois), ou son contenu compressé est trop grand pour être vérifié : il est refusé. Les liens web (`/URI`) sont acceptés.",
    },
    Entree {
        code: "PIE-TYPE",
        regle: "Le type déclaré (`contentType` de `fichier`, ou type de la partie MTOM) ne correspond pas au format reconnu dans le contenu.",
    },
    Entree { code: "PIE-STATUT", regle: "`statut` n'est pas DEPOSEE, INEXPLOITABLE, HORS_PERIMETRE ou OBSOLETE." },
    Entree {
        code: "PIE-DEPOS",
        regle: "Seul le guichet qui a déposé une pièce peut la supprimer.",
    },
    Entree {
        code: "PIE-ETAT",
        regle: "Les pièces d'une demande radiée ne se suppriment plus : elles sont conservées jusqu'à l'effacement de la demande.",
    },
    Entree { code: "RCH-NUM", regle: "Recherche : `numUnique` n'est pas un numéro unique de 18 caractères." },
    Entree { code: "RCH-ETAT", regle: "Recherche : `etatDemande` n'est pas A (active) ni R (radiée)." },
    Entree { code: "RCH-DATE", regle: "Recherche : une date de critère n'est pas un jour du calendrier." },
    Entree { code: "RCH-DATES", regle: "Recherche : une période finit avant de commencer (…Debut postérieure à …Fin)." },
    Entree {
        code: "RCH-CODE",
        regle: "Recherche : `motifDemande` ou `motifRadiation` n'est pas de sa liste de codes (docs/listes-de-codes.md).",
    },
    Entree { code: "RCH-NOM", regle: "Recherche : un nom de personne ou d'association ne contient ni lettre ni chiffre." },
    Entree {
        code: "RCH-PERS",
        regle: "Recherche : `personneRecherchee` ne porte ni nom, ni prénom, ni date de naissance.",
    },
    Entree {
        code: "RCH-CAT",
        regle: "Recherche : `codeCategorie` n'est pas une catégorie de pièce, ou une catégorie sensible que le profil de l'appelant ne voit pas.",
    },
    Entree {
        code: "RCH-LIMITE",
        regle: "Recherche : plus de demandes répondent que `recherche.max_resultats` (1000 par défaut) ; les premières par date de dépôt puis numéro sont renvoyées.",
    },
    Entree {
        code: "EVT-DEM",
        regle: "Événements : `operation/numUnique` ne désigne aucune demande du territoire de l'appelant.",
    },
    Entree {
        code: "EVT-INC",
        regle: "Événements : `idEvenement` absent, ou ne désigne aucun événement de cette demande.",
    },
    Entree { code: "EVT-TYPE", regle: "Événements : `codeTypeEvenement` n'est ni un type national ni un type du territoire." },
    Entree {
        code: "EVT-TERR",
        regle: "Événements : type d'un autre territoire, ou `codeTerritoire` absent ou autre que celui de l'appelant.",
    },
    Entree {
        code: "EVT-VALID",
        regle: "Événements : le type (ou une caractéristique) n'est pas valide à la date de survenance (dates de validité du catalogue).",
    },
    Entree {
        code: "EVT-CARAC",
        regle: "Événements : une caractéristique spécifique inconnue du type, ou une caractéristique obligatoire absente.",
    },
    Entree {
        code: "EVT-AUTEUR",
        regle: "Événements : seul le guichet qui a créé un événement le modifie ou le supprime.",
    },
    Entree { code: "EVT-REGL", regle: "Événements : un événement d'un type réglementaire ne se supprime pas." },
    Entree { code: "EVT-DATE", regle: "Événements : `dateSurvenance` est postérieure au jour." },
    Entree {
        code: "EVT-NOMBRE",
        regle: "Événements : ajouter, modifier et supprimer portent exactement un événement dans `listeEvenements`.",
    },
];

/// The rule of `code`.
pub fn regle(code: &str) -> Option<&'static str> {
    CATALOGUE.iter().find(|e| e.code == code).map(|e| e.regle)
}

/// The README's table.
pub fn table() -> String {
    let mut out = String::from("| code | règle |\n|---|---|\n");
    for e in CATALOGUE {
        out.push_str(&format!("| `{}` | {} |\n", e.code, e.regle));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const DEBUT: &str = "<!-- anomalies: début (généré depuis src/contract/anomalie.rs) -->\n";
    const FIN: &str = "<!-- anomalies: fin -->";

    #[test]
    fn the_readme_table_is_the_catalogue() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
        let readme = std::fs::read_to_string(&path).unwrap();
        let (avant, reste) = readme.split_once(DEBUT).expect("marqueur de début du tableau des anomalies");
        let (_, apres) = reste.split_once(FIN).expect("marqueur de fin du tableau des anomalies");
        let fresh = format!("{avant}{DEBUT}{}{FIN}{apres}", table());
        let readme = if std::env::var_os("UPDATE_GENERATED").is_some() {
            std::fs::write(&path, &fresh).unwrap();
            fresh.clone()
        } else {
            readme
        };
        assert!(
            readme == fresh,
            "le tableau des anomalies du README n'est plus le catalogue : lancez `UPDATE_GENERATED=1 cargo test the_readme_table_is_the_catalogue` et commitez"
        );
    }

    #[test]
    fn every_code_the_sources_use_is_catalogued() {
        let re = regex::Regex::new(
            r#""((?:XSD|CODE|CRE|DATE|TYPE|DEM|MOD|REN|RAD|SUP|CRS|DOU|COM|REV|DALO|PIE|RCH|EVT)-[A-Z0-9]+)""#,
        )
        .unwrap();
        let mut missing = Vec::new();
        let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let p = entry.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|e| e == "rs") && !p.ends_with("tests.rs") {
                    let text = std::fs::read_to_string(&p).unwrap();
                    for c in re.captures_iter(&text) {
                        if regle(&c[1]).is_none() {
                            missing.push(format!("{} ({})", &c[1], p.display()));
                        }
                    }
                }
            }
        }
        missing.sort();
        missing.dedup();
        assert!(missing.is_empty(), "codes hors catalogue : {missing:?}");
    }
}
