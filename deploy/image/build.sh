#!/usr/bin/env bash
# Builds the platform's image here with podman (no registry: the base is made by make-base.sh when
# it is missing). buildah's chroot isolation runs the RUN steps where the OCI runtime cannot.
# Usage: deploy/image/build.sh [TAG]   (default localhost/tradai:test)
set -euo pipefail
cd "$(dirname "$0")/../.."
TAG=${1:-localhost/tradai:test}
BASE=${TRADAI_IMAGE_BASE:-localhost/tradai-base:bookworm-node22}
if ! podman image exists "$BASE"; then
  deploy/image/make-base.sh "$BASE"
fi
echo "build: $TAG on $BASE"
podman build --isolation=chroot --build-arg "BASE_IMAGE=$BASE" \
  --build-arg "VERSION=$(node -p 'require("./packages/server/package.json").version')" -t "$TAG" . >/tmp/tradai-image-build.log 2>&1 \
  || { tail -40 /tmp/tradai-image-build.log; exit 1; }
podman image inspect "$TAG" --format 'build: {{.Id}} {{.Size}} bytes'
