#!/usr/bin/env bash
# Installs (apt, only what is missing) and configures what the container, load-balancer and lint tests need:
# podman/buildah/runc, mmdebstrap (local base images), haproxy, promtool (package prometheus), yamllint, kubectl.
# Idempotent; runs as root on a Debian bookworm machine of the CI kind (README, "Continuous integration").
set -euo pipefail

# Package -> the command that proves it is there (dpkg -s alone would not catch a half-configured package).
packages=(
  podman buildah runc conmon catatonit uidmap slirp4netns netavark aardvark-dns containernetworking-plugins
  fuse-overlayfs mmdebstrap haproxy prometheus yamllint
)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # The Debian package prometheus would start its daemon where an init system runs; this machine needs only its
  # promtool. A policy-rc.d answering 101 ("action forbidden") keeps every package's service stopped during the
  # install; it is removed afterwards unless the machine already had one.
  policy=/usr/sbin/policy-rc.d
  own_policy=false
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && own_policy=true
  fi
  trap '[ "$own_policy" = true ] && rm -f "$policy"' EXIT
  apt-get update -qq
  # No recommends: prometheus would pull node-exporter and its friends; what podman needs is listed above.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ "$own_policy" = true ] && rm -f "$policy"
  trap - EXIT
fi
command -v kubectl >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq kubectl >/dev/null; }

# podman on this kind of machine: crun rejects the hybrid cgroup layout, and podman's default ulimits need a
# capability the sandbox lacks. Written only when different, so a run changes nothing on a configured machine.
conf=/etc/containers/containers.conf
wanted='# Written by .ci/install-tools.sh (ack service CI).
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]

[engine]
runtime = "runc"
'
mkdir -p /etc/containers
if [ ! -f "$conf" ] || [ "$(cat "$conf")" != "$(printf '%s' "$wanted")" ]; then
  printf '%s' "$wanted" > "$conf"
fi

# Nothing the packages brought may be left running (the prometheus package's daemon in particular).
if pgrep -x prometheus >/dev/null 2>&1; then
  echo "a prometheus daemon runs after the install: it should not" >&2
  exit 1
fi
