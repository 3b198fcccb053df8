#!/usr/bin/env bash
# Builds debian:bookworm-slim locally from the host's own Debian sources when no such image
# exists, so `FROM debian:bookworm-slim` needs no registry.
set -euo pipefail
image=debian:bookworm-slim
docker image inspect "$image" >/dev/null 2>&1 && { echo "$image is present"; exit 0; }
# Only the files that name a Debian archive: a third-party repository's would need its own key.
sources=()
for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
  [ -s "$file" ] && grep -q '^[^#]*debian' "$file" && sources+=("$file")
done
[ ${#sources[@]} -gt 0 ] || { echo "no Debian apt sources found on this host" >&2; exit 1; }
mmdebstrap --quiet --variant=minbase --mode=root --format=tar bookworm - "${sources[@]}" \
  | docker import -c 'CMD ["bash"]' -c 'ENV LANG=C.UTF-8' - "$image"
