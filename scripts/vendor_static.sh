#!/bin/sh
# Vendor the reading room's front-end libraries from the npm registry into
# src/letterbook/web/static/vendor/, each with its licence: the web app never loads a CDN.
#
#   d3            the map projection (d3-geo), the network layout (d3-force), scales and axes
#   topojson-client   turns the world atlas' TopoJSON into shapes d3-geo draws
#   world-atlas   Natural Earth's countries at 1:110m, the map's basemap (works offline)
#
# Run again after changing a version below; the files it writes are committed.
set -eu

D3=7.9.0
TOPOJSON=3.1.0
WORLD_ATLAS=2.0.2

root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/src/letterbook/web/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

npm install --silent --no-audit --no-fund --ignore-scripts --no-save --prefix "$work" \
    "d3@$D3" "topojson-client@$TOPOJSON" "world-atlas@$WORLD_ATLAS" >/dev/null
mods="$work/node_modules"

rm -rf "$dest"
mkdir -p "$dest/d3" "$dest/topojson-client" "$dest/world-atlas"
cp "$mods/d3/dist/d3.min.js" "$mods/d3/LICENSE" "$dest/d3/"
cp "$mods/topojson-client/dist/topojson-client.min.js" "$mods/topojson-client/LICENSE" "$dest/topojson-client/"
cp "$mods/world-atlas/countries-110m.json" "$mods/world-atlas/LICENSE" "$dest/world-atlas/"
{
    echo "Vendored by scripts/vendor_static.sh from the npm registry; do not edit by hand."
    echo "d3 $D3 (ISC), topojson-client $TOPOJSON (ISC), world-atlas $WORLD_ATLAS (ISC; data: Natural Earth, public domain)"
} > "$dest/README"
echo "vendored into $dest:"
(cd "$dest" && find . -type f | sort)
