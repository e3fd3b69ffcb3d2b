//! The facts the business controls read, out of a typed file, each with its element path.

use super::CHEMIN_DEMANDE;
use crate::contract::types::{AssociationOuPersonnePhysique, Localite, RevenuFiscal};
use crate::contract::FichierDemande;
use crate::registry::controles::{CotitulaireFaits, Dossier, Fait, RevenusFaits};

fn commune(localite: &Localite, chemin: &str, out: &mut Vec<Fait<String>>) {
    if let Localite::GroupeLocalite { commune, .. } = localite {
        if let Some(code) = &commune.code {
            out.push(Fait::new(code.clone(), format!("{chemin}/commune/@code")));
        }
    }
}

fn revenus(r: &RevenuFiscal, chemin: &str) -> RevenusFaits {
    RevenusFaits {
        annee_moins1: r.annee_moins1.as_ref().map(|v| Fait::new(v.valeur, format!("{chemin}/anneeMoins1"))),
        annee_moins2: r.annee_moins2.as_ref().map(|v| Fait::new(v.valeur, format!("{chemin}/anneeMoins2"))),
    }
}

/// What the controls read of `f`.
pub(super) fn dossier(f: &FichierDemande) -> Dossier {
    let d = f.demande_logement();
    let mut out = Dossier::default();
    if let Some(m) = &d.principaux_motif_demande {
        out.motifs = Some(Fait::new(
            m.motif_demande.iter().filter_map(|c| c.code.clone()).collect(),
            format!("{CHEMIN_DEMANDE}/principauxMotifDemande"),
        ));
        out.autre_motif = m.comp_autre_motif.as_ref().is_some_and(|t| !t.valeur.trim().is_empty());
    }
    for (i, l) in
        d.logement_recherche.iter().flat_map(|l| l.liste_localisation_souhaite.localisation_souhaite.iter()).enumerate()
    {
        if let Some(code) = &l.commune.code {
            out.communes_souhaitees.push(Fait::new(
                code.clone(),
                format!(
                    "{CHEMIN_DEMANDE}/logementRecherche/listeLocalisationSouhaite/localisationSouhaite[{}]/commune/@code",
                    i + 1
                ),
            ));
        }
    }
    let AssociationOuPersonnePhysique::PersonnePhysique(p) = &d.association_ou_personne_physique else {
        return out;
    };
    let pp = format!("{CHEMIN_DEMANDE}/personnePhysique");
    let dem = &p.demandeur;
    out.naissance_demandeur =
        Some(Fait::new(dem.date_naissance.valeur.to_date(), format!("{pp}/demandeur/dateNaissance")));
    if let Some(code) = &dem.situation_familiale.code {
        out.situation_familiale = Some(Fait::new(code.clone(), format!("{pp}/demandeur/situationFamiliale/@code")));
    }
    commune(&dem.adresse_postale.localite, &format!("{pp}/demandeur/adressePostale"), &mut out.communes_adresses);
    if let Some(l) = &dem.situation_professionnelle.localite {
        commune(l, &format!("{pp}/demandeur/situationProfessionnelle"), &mut out.communes_adresses);
    }
    if let Some(a) = &p.adresse_logement {
        commune(&a.localite, &format!("{pp}/adresseLogement"), &mut out.communes_adresses);
    }
    out.revenus.push(revenus(&dem.revenu_fiscal, &format!("{pp}/demandeur/revenuFiscal")));
    out.chemin_cotitulaires = format!("{pp}/listeCotitulaire");
    for (i, c) in p.liste_cotitulaire.iter().flat_map(|l| l.cotitulaire.iter()).enumerate() {
        let chemin = format!("{pp}/listeCotitulaire/cotitulaire[{}]", i + 1);
        out.cotitulaires.push(CotitulaireFaits {
            date_naissance: Fait::new(c.date_naissance.valeur.to_date(), format!("{chemin}/dateNaissance")),
            lien: Fait::new(c.lien_demandeur.code.clone().unwrap_or_default(), format!("{chemin}/lienDemandeur/@code")),
        });
        if let Some(l) = &c.situation_professionnelle.localite {
            commune(l, &format!("{chemin}/situationProfessionnelle"), &mut out.communes_adresses);
        }
        if let Some(r) = &c.revenu_fiscal {
            out.revenus.push(revenus(r, &format!("{chemin}/revenuFiscal")));
        }
    }
    for (i, a) in p.liste_personne_a_charge.iter().flat_map(|l| l.personne_a_charge.iter()).enumerate() {
        if let Some(n) = &a.date_naissance {
            out.naissances_a_charge.push(Fait::new(
                n.valeur.to_date(),
                format!("{pp}/listePersonneACharge/personneACharge[{}]/dateNaissance", i + 1),
            ));
        }
    }
    out
}
