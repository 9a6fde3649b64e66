#!/bin/sh
# xenready-collect.sh: gathers the evidence `xenready check` reads, on a host without Node (a NetBSD box
# before or after installing Xen, or a Linux box before installing NetBSD), into a bundle with the same
# layout and file names as `xenready collect`:
#
#   sh xenready-collect.sh                 # writes xenready-<host>-<date>.tar.gz (and .sha256) here
#   xenready check --from xenready-<host>-<date>.tar.gz   # anywhere xenready runs
#
# Options:
#   -o FILE     bundle to write (.tar.gz); default xenready-[<case>-]<host>-<date>.tar.gz
#   -d DIR      write a dump directory instead (must not exist, or be empty)
#   -c ID       support case id, put in the bundle name and manifest.json (letters, digits, . _ -)
#   -f          replace an existing bundle (-o FILE); without it an existing file is refused
#   -t SECONDS  time each command may run before it is killed (default 10)
#   -q          no progress lines on stderr
#   -R          keep host identifiers: do not redact
#   -h          this help
#
# Run it as root for complete evidence (cpuctl, disklabel, xl need it); what fails is recorded in
# manifest.json and the rest goes on; what does not apply to this OS is recorded as skipped. Host
# identifiers (host names, MAC and IP addresses, serial numbers, UUIDs, user names in /home paths) are
# replaced by tokens, the same value by the same token in every file and in the manifest's stderr
# heads, exactly as `xenready collect` does (docs/bundles.md); -R keeps them. A redacted bundle's name
# and top directory hold the host's token (host1), never its name. Beside a bundle: FILE.sha256
# (`<hex>  <name>`, sha256sum's format). Exit status: 0 written, 1 failed, 2 usage or cannot write.
#
# XENREADY_ROOT (tests): a prefix for the files it copies (/etc/fstab is read as $XENREADY_ROOT/etc/fstab).
# XENREADY_OS (tests): collect for this OS (netbsd, linux) instead of `uname -s`'s.
# Commands always run as found in PATH. POSIX sh: checked with `shellcheck -s sh`, run under dash in CI.
# Assembled from scripts/collect/ by `npm run build` (scripts/assemble-collector.mjs): edit the parts there.

set -u
LC_ALL=C
LANG=C
export LC_ALL LANG

root=${XENREADY_ROOT:-}
timeout_s=10
output=
dir=
quiet=
redact=1
case_id=
force=

USAGE="usage: sh xenready-collect.sh [-o FILE.tar.gz | -d DIR] [-c ID] [-f] [-t SECONDS] [-q] [-R] [-h]"

usage() {
  echo "$USAGE" >&2
  exit 2
}

# -h: the usage line and the option list of the header above, on stdout.
show_help() {
  echo "$USAGE"
  echo
  sed -n 's/^#   \(-[a-zA-Z] .*\)/  \1/p' "$0" 2>/dev/null
  exit 0
}

die() {
  echo "xenready-collect: $*" >&2
  exit 2
}

# Leading colon: getopts reports a bad option to us (one line), not with its own message.
while getopts :o:d:t:c:qRfh opt; do
  case $opt in
    o) output=$OPTARG ;;
    d) dir=$OPTARG ;;
    t) timeout_s=$OPTARG ;;
    c) case_id=$OPTARG ;;
    q) quiet=1 ;;
    R) redact= ;;
    f) force=1 ;;
    h) show_help ;;
    :) die "-$OPTARG needs a value; $USAGE" ;;
    *) die "unknown option -$OPTARG; $USAGE" ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || usage
case $timeout_s in '' | *[!0-9]* | 0) die "-t needs a whole number of seconds" ;; esac
if [ -n "$output" ] && [ -n "$dir" ]; then die "-o and -d cannot be used together"; fi
case $output in '' | *.tar.gz | *.tgz) ;; *) die "-o $output: a bundle name ends in .tar.gz or .tgz" ;; esac
# The same rule as collect --case-id (CASE_ID_PATTERN in src/evidence/manifest.ts).
if [ -n "$case_id" ]; then
  case $case_id in
    [!A-Za-z0-9]* | *[!A-Za-z0-9._-]*) die "-c $case_id: a case id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit" ;;
  esac
  [ "${#case_id}" -le 64 ] || die "-c $case_id: a case id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"
fi

# Refused before any command runs: an output that cannot be written.
if [ -n "$dir" ]; then
  if [ -e "$dir" ] || [ -h "$dir" ]; then
    if [ ! -d "$dir" ] || [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then die "$dir already exists and is not an empty directory"; fi
  fi
  out_parent=$(dirname "$dir")
  if ! { [ -d "$out_parent" ] && [ -w "$out_parent" ]; }; then die "cannot write $dir: $out_parent is not a writable directory"; fi
elif [ -n "$output" ]; then
  if [ -d "$output" ]; then die "cannot write $output: it is a directory"; fi
  if [ -e "$output" ] && [ -z "$force" ]; then die "$output already exists; pass -f to replace it"; fi
  out_parent=$(dirname "$output")
  if ! { [ -d "$out_parent" ] && [ -w "$out_parent" ]; }; then die "cannot write $output: $out_parent is not a writable directory"; fi
else
  [ -w . ] || die "cannot write here ($(pwd)): pass -o FILE or -d DIR in a writable directory"
fi

