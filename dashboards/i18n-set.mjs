/* Sets one namespace of both translation files from two small JSON files, so several
   people can add strings without editing the same lines:
     node i18n-set.mjs funnels /tmp/funnels.fr.json /tmp/funnels.en.json
   With no arguments it only rewrites both files in the canonical layout. */

import { readFileSync, writeFileSync, renameSync } from 'node:fs'

const dir = new URL('./src/i18n/', import.meta.url)
const [ns, fr, en] = process.argv.slice(2)

function sortTop(o) {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]))
}

for (const [lang, file] of [['fr', fr], ['en', en]]) {
  const path = new URL(`${lang}.json`, dir)
  const cat = JSON.parse(readFileSync(path, 'utf8'))
  if (ns) cat[ns] = JSON.parse(readFileSync(file, 'utf8'))
  const tmp = new URL(`${lang}.json.tmp`, dir)
  writeFileSync(tmp, JSON.stringify(sortTop(cat), null, 2) + '\n')
  renameSync(tmp, path)
}
