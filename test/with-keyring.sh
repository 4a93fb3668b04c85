#!/usr/bin/env bash
# Runs a command against a private, unlocked gnome-keyring Secret Service, so keychain tests touch a
# real Secret Service but never the user's own keyring.
#
#   dbus-run-session -- test/with-keyring.sh npx node --test test/vault/
#
# Owns: a throwaway XDG_DATA_HOME / XDG_RUNTIME_DIR (mode 0700) and the keyring daemon inside them.
# Must not: start a keyring daemon on a bus it did not get from dbus-run-session (that bus may be the
# desktop's own, where a second org.freedesktop.secrets would capture the user's real secrets).
# The private bus is therefore always one this script starts itself (re-exec under dbus-run-session);
# called the documented way that costs one extra, idle dbus-daemon.
set -euo pipefail

self="${BASH_SOURCE[0]}"
case "$self" in /*) ;; *) self="$PWD/$self" ;; esac

if [ "$#" -eq 0 ]; then
  echo "usage: dbus-run-session -- $0 <command> [args...]" >&2
  exit 2
fi

if ! command -v dbus-run-session >/dev/null 2>&1; then
  echo "with-keyring.sh: dbus-run-session not found. Install D-Bus: apt-get install -y --no-install-recommends dbus" >&2
  exit 127
fi
if ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  echo "with-keyring.sh: gnome-keyring-daemon not found. Install it: apt-get install -y --no-install-recommends gnome-keyring libsecret-1-0" >&2
  exit 127
fi

# Only trust a session bus we started: the marker names the process that asked for it.
if [ "${SWITCHYARD_KEYRING_BUS_FOR:-}" != "$$" ]; then
  export SWITCHYARD_KEYRING_BUS_FOR=""
  exec dbus-run-session -- bash -c 'export SWITCHYARD_KEYRING_BUS_FOR=$$; exec "$0" "$@"' "$self" "$@"
fi
unset SWITCHYARD_KEYRING_BUS_FOR

root="$(mktemp -d "${TMPDIR:-/tmp}/switchyard-keyring.XXXXXX")"
chmod 0700 "$root"
mkdir -m 0700 "$root/data" "$root/runtime"
export XDG_DATA_HOME="$root/data"
export XDG_RUNTIME_DIR="$root/runtime"

# The daemon exits when this private bus goes away (dbus-run-session ends with our command); the
# temp folder holds only this run's throwaway keyring, removed below.
cleanup() { rm -rf -- "$root"; }
trap cleanup EXIT

# The password only encrypts the throwaway keyring file; it protects nothing real.
if ! out="$(printf '%s' 'switchyard-test' | gnome-keyring-daemon --unlock --components=secrets --daemonize)"; then
  echo "with-keyring.sh: gnome-keyring-daemon failed to start" >&2
  exit 1
fi
# Export what the daemon prints (GNOME_KEYRING_CONTROL=..., SSH_AUTH_SOCK=...), and nothing else.
while IFS= read -r line; do
  case "$line" in
    [A-Z_]*=*) export "${line?}" ;;
  esac
done <<<"$out"
export GNOME_KEYRING_CONTROL="${GNOME_KEYRING_CONTROL:-$XDG_RUNTIME_DIR/keyring}"
# Tells keychain tests that a Secret Service must be reachable: they fail instead of skipping.
export SWITCHYARD_TEST_KEYRING=1

# Not `exec`: the trap must run to delete the keyring folder. The exit status is the command's.
set +e
"$@"
status=$?
exit "$status"
