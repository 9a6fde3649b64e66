#!/bin/sh
# Reproduces the sample output in docs/fleet.md: two "nights" of contrib/ansible/collect.yml against
# inventory hosts that are all this machine, with the fake NetBSD commands of test/fixtures/fake-netbsd.
#
#   night 1: xen-a healthy; xen-b's pkg_info hangs past the 2 s command timeout
#   night 2: xen-a's /etc/rc.conf lost xencommons=YES; xen-b as before; xen-c unreachable (ssh to port 1)
#
# Usage: sh test/e2e/ansible/demo-fleet.sh [DIR]   (after `npm run build`; DIR default: a new temp dir)
# Needs ansible-playbook on PATH (and an ssh client for xen-c).
set -eu
repo=$(cd "$(dirname "$0")/../../.." && pwd)
fake=$repo/test/fixtures/fake-netbsd
dir=${1:-$(mktemp -d "${TMPDIR:-/tmp}/xenready-fleet-demo.XXXXXX")}
mkdir -p "$dir/remote-tmp"
cd "$dir"
xenready() { node "$repo/bin/run.js" "$@"; }
export ANSIBLE_NOCOLOR=1 ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_RETRY_FILES_ENABLED=False

env_of() { # ROOT [HANG]
  printf '{"PATH": "%s/bin:/usr/bin:/bin", "XENREADY_ROOT": "%s"%s}' "$fake" "$1" "${2:+, \"FAKE_NETBSD_HANG\": \"$2\"}"
}

inventory() { # XEN_A_ROOT WITH_XEN_C
  printf '{"xenready": {"vars": {"ansible_connection": "local", "xenready_command_timeout": 2}, "hosts": {\n'
  printf '  "xen-a": {"xenready_environment": %s},\n' "$(env_of "$1")"
  printf '  "xen-b": {"xenready_environment": %s}' "$(env_of "$fake/root" pkg_info)"
  [ -z "$2" ] || printf ',\n  "xen-c": {"ansible_connection": "ssh", "ansible_host": "127.0.0.1", "ansible_port": 1}'
  printf '}}}\n'
}

echo "== night 1 ($dir)"
inventory "$fake/root" '' >night1.yml
ansible-playbook -i night1.yml "$repo/contrib/ansible/collect.yml" -e "xenready_remote_tmp=$dir/remote-tmp" | tee play1.txt
xenready check --from bundles/ --recursive --json-file night1.json | tee summary1.txt || true

echo "== night 2"
rm -rf root-night2
cp -R "$fake/root" root-night2
sed 's/^xencommons=YES/#xencommons=YES/' "$fake/root/etc/rc.conf" >root-night2/etc/rc.conf
inventory "$dir/root-night2" yes >night2.yml
ansible-playbook -i night2.yml "$repo/contrib/ansible/collect.yml" -e "xenready_remote_tmp=$dir/remote-tmp" | tee play2.txt
xenready check --from bundles/ --recursive --json-file night2.json --markdown summary2.md | tee summary2.txt || true
xenready check --from bundles/xen-b.tar.gz --only xen.packages || true
xenready check --from bundles/xen-c.tar.gz --only xen.packages || true
xenready diff night1.json night2.json | tee diff.txt || true
