# Which specs apply (the `on` lines below): netbsd, linux or other, as hostOs() in src/evidence/collect.ts.
os=${XENREADY_OS:-$(uname -s 2>/dev/null | tr '[:upper:]' '[:lower:]')}
case $os in netbsd | linux) os_kind=$os ;; *) os_kind=other ;; esac

host=$(hostname 2>/dev/null || uname -n)
host=$(printf '%s' "${host%%.*}" | tr -cd 'A-Za-z0-9-')
stamp=$(date +%Y%m%d-%H%M%S)

# Everything in progress lives under $work (private) or is listed in $temps: Ctrl-C removes it all.
umask 077
work=$(mktemp -d "${TMPDIR:-/tmp}/xenready-collect.XXXXXX") || exit 1
temps=
cleanup() {
  rm -rf "$work"
  for t in $temps; do rm -rf "$t"; done
}
trap 'cleanup; echo "xenready-collect: interrupted; nothing written" >&2; exit 130' INT TERM HUP
trap cleanup EXIT
# Collected under a neutral name; renamed to the bundle's top directory once the name is known (it
# holds the host's redaction token, known only after redacting).
dump=$work/collect
mkdir -p "$dump"
umask 022
# Each manifest entry is kept in pieces under $meta until the end: its error, stderr head, checksum
# and size are those of the redacted texts. $work/names: "N<tab>name", one line per entry.
meta=$work/meta
mkdir "$meta"
: >"$work/names"

