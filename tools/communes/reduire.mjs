// Reduces Etalab's administrative geography (npm @etalab/decoupage-administratif, pinned in
// package.json) to the table the gateway embeds: one line per current commune and municipal
// arrondissement (Paris, Lyon, Marseille), `code<TAB>département<TAB>nom`, sorted by code.
// Delegated and associated communes are left out: they are no longer communes of their own.
//
//   npm ci --prefix tools/communes && node tools/communes/reduire.mjs > src/registry/communes.tsv
//
// A Rust test (registry::geographie) runs this script and compares its output with the table.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const source = require.resolve("@etalab/decoupage-administratif/data/communes.json");
const communes = JSON.parse(readFileSync(source, "utf8"));
const kept = communes
  .filter((c) => c.type === "commune-actuelle" || c.type === "arrondissement-municipal")
  .map((c) => `${c.code}\t${c.departement}\t${c.nom}`);
kept.sort();
process.stdout.write(`# Etalab @etalab/decoupage-administratif ${require("@etalab/decoupage-administratif/package.json").version} : code\tdépartement\tnom\n`);
process.stdout.write(kept.join("\n") + "\n");
