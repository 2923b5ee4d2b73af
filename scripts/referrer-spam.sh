#!/usr/bin/env bash
# Refreshes src/enrich/referrer_spam.txt from Matomo's community list of referrer
# spammers (public domain), keeping the local additions below the file's marker.
#
#   scripts/referrer-spam.sh                 # clones the list's repository (needs git + network)
#   scripts/referrer-spam.sh PATH/TO/CHECKOUT   # uses a checkout you already have
#
# Then run `cargo test --lib referrer_spam`, read the diff, and commit it with the new
# version in the message. No package registry carries the list (Matomo publishes it on
# Packagist only), hence a pinned copy in the repository rather than a dependency.
set -euo pipefail
cd "$(dirname "$0")/.."
out=src/enrich/referrer_spam.txt
marker='# --- local additions (not in the upstream list) ---'

src=${1:-}
if [ -z "$src" ]; then
  src=$(mktemp -d)
  trap 'rm -rf "$src"' EXIT
  git clone --quiet --depth 50 https://github.com/matomo-org/referrer-spam-list "$src"
fi
[ -f "$src/spammers.txt" ] || { echo "$src/spammers.txt not found" >&2; exit 1; }

version=$(git -C "$src" describe --tags --always 2>/dev/null || echo unknown)
commit=$(git -C "$src" rev-parse HEAD 2>/dev/null || echo unknown)
date=$(git -C "$src" log -1 --format=%cs 2>/dev/null || echo unknown)
local_additions=$(sed -n "/^$marker\$/,\$p" "$out" | tail -n +2)

tmp=$(mktemp)
{
  echo "# Referrer spam hosts, one a line; a host also matches its subdomains."
  echo "# Source: Matomo's community list (matomo-org/referrer-spam-list, spammers.txt),"
  echo "# $version, commit $commit ($date)."
  echo "# Licence: public domain (the list's README: \"Public Domain (no copyright)\")."
  echo "# Refresh: scripts/referrer-spam.sh; local additions go at the end, below the marker."
  tr 'A-Z' 'a-z' < "$src/spammers.txt" | tr -d '\r' | sed '/^[[:space:]]*$/d' | sort -u
  echo "$marker"
  [ -z "$local_additions" ] || echo "$local_additions"
} > "$tmp"
mv "$tmp" "$out"
echo "$out: $(grep -vc '^#' "$out") hosts from $version ($date)"
