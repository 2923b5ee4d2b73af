#!/usr/bin/env bash
# Tracker size: Parcours' scripts beside Plausible's and Umami's, taken from their npm
# packages in this run and measured the same way (zlib level 9, as `npm test` checks the
# budget). Peers are fetched into target/, never committed. Appends to docs/BENCHMARKS.md.
#
# Usage: bench/tracker-size.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(pwd)/target/bench-tracker
rm -rf "$work" && mkdir -p "$work"
(cd tracker-js && npm ci --no-audit --no-fund --loglevel=error >/dev/null && npm run --silent build)
plausible=@plausible-analytics/tracker@0.4.6 legacy=plausible-tracker@0.3.9 umami=umami@2.10.0
(cd "$work" && npm pack --silent "$plausible" "$legacy" "$umami" >/dev/null)
for f in "$work"/*.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
bin=tracker-js/node_modules/.bin
# The older Plausible library ships modules: bundle its entry as a site would.
"$bin/esbuild" "$work/plausible-tracker-0.3.9/package/build/module/index.js" --bundle --minify \
  --format=esm --log-level=error --outfile="$work/plausible-tracker.min.js"
# Umami ships its tracker source only; minify it as its rollup.tracker.config.mjs does.
"$bin/terser" "$work/umami-2.10.0/package/src/tracker/index.js" --compress evaluate=false --mangle \
  -o "$work/umami.min.js"

row() { # label file
  node -e "const z=require('zlib'),f=require('fs').readFileSync(process.argv[2]),n=x=>x.toLocaleString('en-US');
    console.log('| '+process.argv[1]+' | '+n(f.length)+' | '+n(z.gzipSync(f,{level:9}).length)+' |')" "$1" "$2"
}
table="| script | raw bytes | gzipped bytes |
| --- | ---: | ---: |
$(row "Parcours \`parcours.js\` (pageviews, SPA + hash routing, custom events and revenue, queue, exclusions, DNT/GPC, consent, 404)" tracker-js/dist/parcours.js)
$(row "Parcours \`parcours.auto.js\` (add-on, loaded only with \`data-outbound\`/\`-tel\`/\`-downloads\`/\`-forms\`/\`-tagged-events\`)" tracker-js/dist/parcours.auto.js)
$(row "Plausible \`$plausible\` \`plausible.js\` as shipped" "$work/plausible-analytics-tracker-0.4.6/package/plausible.js")
$(row "Plausible \`$legacy\`, bundled and minified with esbuild" "$work/plausible-tracker.min.js")
$(row "Umami \`$umami\` tracker, minified with terser as its build does" "$work/umami.min.js")"

text="
### Tracker size, $(date -u +%Y-%m-%d) (rev $(git rev-parse --short HEAD))

Command: \`bench/tracker-size.sh\` — peers fetched with \`npm pack\` in the same run; gzipped with
\`zlib.gzipSync(file, {level: 9})\` (node $(node --version)). Sizes are deterministic: one run.

$table"
echo "$text"
echo "$text" >> docs/BENCHMARKS.md
