#!/usr/bin/env bash
# Fetches the General MIDI files that Debian packages ship into DIR (flat, each name prefixed
# with its package). The packages are downloaded and unpacked with dpkg -x, never installed,
# so no root is needed. A finished fetch leaves DIR/.complete and later calls return at once.
set -euo pipefail
dir=${1:?usage: debian-midi.sh DIR}
packages=(openttd-openmsx simutrans-data mma pianobooster songwrite)

if [[ -f "$dir/.complete" ]]; then
  echo "corpus: $(find "$dir" -maxdepth 1 -type f ! -name '.*' | wc -l) MIDI files cached in $dir"
  exit 0
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# apt-get download runs as the _apt user when it can; it needs to write here.
chmod 755 "$scratch"
mkdir -p "$dir"
(cd "$scratch" && apt-get download "${packages[@]}" >/dev/null 2>&1) || {
  echo "corpus: apt-get download failed for: ${packages[*]} (is the Debian mirror reachable?)" >&2
  exit 1
}
for deb in "$scratch"/*.deb; do
  package=$(basename "$deb"); package=${package%%_*}
  dpkg -x "$deb" "$scratch/unpacked-$package"
  find "$scratch/unpacked-$package" -type f \( -iname '*.mid' -o -iname '*.midi' -o -iname '*.kar' \) -print0 |
    while IFS= read -r -d '' file; do
      cp "$file" "$dir/${package}__$(basename "$file" | tr ' ' '_')"
    done
done
touch "$dir/.complete"
echo "corpus: $(find "$dir" -maxdepth 1 -type f ! -name '.*' | wc -l) MIDI files in $dir"
