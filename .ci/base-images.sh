#!/usr/bin/env bash
# Builds the two local base images the container tests hand to the Dockerfile (BUILD_IMAGE, RUNTIME_IMAGE), once per
# machine, and prints them as shell assignments:
#   BUILD_IMAGE=localhost/ack-base-build:<key>
#   RUNTIME_IMAGE=localhost/ack-base-runtime:<key>
# This machine reaches no container registry, but it reaches the Debian mirror apt uses: mmdebstrap makes a root
# filesystem from it and `podman import` makes that an image. The machine's own CA certificates
# (/usr/local/share/ca-certificates) go in through a customize hook, so that HTTPS (Maven Central) works inside the
# build; they are never part of the Dockerfile. The tag is a hash of everything that decides the content (suite,
# mirror lines, package list, certificates, this script): an image is reused until one of them changes.
set -euo pipefail
shopt -s inherit_errexit

suite=bookworm
build_packages=(openjdk-17-jdk-headless maven ca-certificates ca-certificates-java)
# passwd: the Dockerfile creates the service's user with groupadd/useradd, as on the official image.
runtime_packages=(openjdk-17-jre-headless ca-certificates ca-certificates-java passwd)

# The Debian entries of apt's own sources (deb822 .sources or one-line .list): the mirror apt uses here. Other
# repositories the host configures (vendors' tools) stay out of the images.
mirrors=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  if grep -Eq 'debian-archive-keyring|^[[:space:]]*deb[[:space:]]+[^#]*/debian(-security)?/?[[:space:]]' "$f"; then
    mirrors+=("$f")
  fi
done
[ "${#mirrors[@]}" -gt 0 ] || { echo "no Debian entry in apt's sources" >&2; exit 1; }
certs=(/usr/local/share/ca-certificates/*.crt)
[ -e "${certs[0]}" ] || certs=()

key_of() {  # the content key of one image: its packages plus everything shared
  { echo "$suite"; printf '%s\n' "$@"; cat "${mirrors[@]}"; [ "${#certs[@]}" -eq 0 ] || cat "${certs[@]}"
    cat "$0"; } | sha256sum | cut -c1-16
}

build_one() {  # name packages...
  local name=$1; shift
  local image
  image="localhost/ack-base-$name:$(key_of "$@")"
  if podman image exists "$image"; then
    echo "$image"
    return
  fi
  local work
  work=$(mktemp -d /tmp/ack-base.XXXXXX)
  local hooks=()
  if [ "${#certs[@]}" -gt 0 ]; then
    hooks+=(--customize-hook="copy-in ${certs[*]} /usr/local/share/ca-certificates/")
  fi
  # update-ca-certificates also refreshes the Java trust store (ca-certificates-java's hook).
  hooks+=(--customize-hook='chroot "$1" update-ca-certificates --fresh >/dev/null')
  local started=$SECONDS
  mmdebstrap --quiet --variant=essential --mode=root --format=tar \
    --aptopt='APT::Install-Recommends "false"' \
    --include="$(IFS=,; echo "$*")" \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    "${hooks[@]}" \
    "$suite" "$work/rootfs.tar" "${mirrors[@]}" >&2
  podman import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' \
    "$work/rootfs.tar" "$image" >/dev/null
  rm -rf "$work"
  echo "built $image in $((SECONDS - started)) s" >&2
  echo "$image"
}

# Both at once: most of the time goes to downloading and unpacking, which overlap well.
out=$(mktemp -d /tmp/ack-base-out.XXXXXX)
build_one build "${build_packages[@]}" > "$out/build" & build_pid=$!
build_one runtime "${runtime_packages[@]}" > "$out/runtime" & runtime_pid=$!
status=0
wait "$build_pid" || status=$?
wait "$runtime_pid" || status=$?
[ "$status" -eq 0 ] || { rm -rf "$out"; echo "building a base image failed" >&2; exit "$status"; }
echo "BUILD_IMAGE=$(cat "$out/build")"
echo "RUNTIME_IMAGE=$(cat "$out/runtime")"
rm -rf "$out"
