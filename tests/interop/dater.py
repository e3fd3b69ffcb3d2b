#!/usr/bin/env python3
"""Moves application files in time so that they are filed on a given day (the same rule as
`sne_gateway::school::dater`, which a Rust test compares with this script): every date and
date-time moves by the days between the file's dateCreationDemande and that day (births too, so
ages stay), and the income years (anneeMoins1, anneeMoins2) by the years between them. Dates keep
their length. Files without dateCreationDemande are left as they are.

    dater.py AAAA-MM-JJ FILE...     rewrites each file in place
"""
import datetime
import re
import sys

DEPOT = re.compile(r"dateCreationDemande>(\d{4}-\d{2}-\d{2})<")
DATE = re.compile(r"(^|\D)(\d{4})-(\d{2})-(\d{2})")
ANNEE = re.compile(r"(anneeMoins[12]>)(\d{4})<")


def lire(a, m, j):
    try:
        return datetime.date(int(a), int(m), int(j))
    except ValueError:
        return None


def dater(texte, jour):
    m = DEPOT.search(texte)
    depot = m and lire(m.group(1)[:4], m.group(1)[5:7], m.group(1)[8:10])
    if not depot:
        return texte
    ecart = jour - depot
    annees = jour.year - depot.year

    def date(c):
        d = lire(*c.groups()[1:])
        if d is None:
            return c.group(0)
        try:
            d = d + ecart
        except OverflowError:
            pass
        return f"{c.group(1)}{d.year:04d}-{d.month:02d}-{d.day:02d}"

    texte = DATE.sub(date, texte)
    return ANNEE.sub(lambda c: f"{c.group(1)}{int(c.group(2)) + annees:04d}<", texte)


def main():
    jour = datetime.date.fromisoformat(sys.argv[1])
    for chemin in sys.argv[2:]:
        with open(chemin, encoding="utf-8", newline="") as f:
            texte = f.read()
        nouveau = dater(texte, jour)
        if nouveau != texte:
            with open(chemin, "w", encoding="utf-8", newline="") as f:
                f.write(nouveau)


if __name__ == "__main__":
    main()
