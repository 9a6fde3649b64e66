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

progress() {
  [ -n "$quiet" ] || [ ! -t 2 ] || [ -n "${CI:-}" ] || echo "$*" >&2
}

# JSON string: control characters dropped, then backslash, quote, tab and newline escaped.
json_str() {
  # Most strings (names, argv words) need no escaping: no processes for them.
  case $1 in
    *[!A-Za-z0-9\ ./_:,=+@%-]*) ;;
    *) printf '"%s"' "$1"; return ;;
  esac
  printf '%s' "$1" | tr -d '\000-\010\013-\037' | sed 's/\\/\\\\/g; s/"/\\"/g; s/	/\\t/g' |
    awk 'BEGIN { printf "\"" } { printf "%s%s", (NR > 1 ? "\\n" : ""), $0 } END { printf "\"" }'
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sum=$(sha256sum <"$1")
  elif command -v sha256 >/dev/null 2>&1; then
    sum=$(sha256 <"$1")
  elif command -v cksum >/dev/null 2>&1; then
    sum=$(cksum -a sha256 <"$1" 2>/dev/null)
  else
    sum=
  fi
  sum=${sum%% *}
  case $sum in
    *[!0-9a-f]*) ;;
    ????????????????????????????????????????????????????????????????) printf '%s' "$sum" ;;
  esac
}

bytes_of() {
  wc -c <"$1" | tr -d ' '
}

# One manifest entry: name kind(argv|path|none) exit(number|null) duration_s timed_out error stderr_file
# saved_file skipped -- argv...
# $meta/N.json: its fields up to timedOut; N.error, N.stderr (the first 512 bytes), N.saved (the file),
# N.skipped (why it was not run).
entry() {
  e_name=$1 e_kind=$2 e_exit=$3 e_secs=$4 e_timed=$5 e_error=$6 e_stderr=$7 e_saved=$8 e_skipped=$9
  shift 10
  e_n=$(($(wc -l <"$work/names") + 1))
  {
    printf '    {"name": %s, ' "$(json_str "$e_name")"
    if [ "$e_kind" = argv ]; then
      printf '"argv": ['
      sep=
      for a in "$@"; do printf '%s%s' "$sep" "$(json_str "$a")"; sep=', '; done
      printf '], '
    elif [ "$e_kind" = path ]; then
      printf '"path": %s, ' "$(json_str "$1")"
    fi
    printf '"exitCode": %s, "signal": null, "durationMs": %s, "timedOut": %s' "$e_exit" "$((e_secs * 1000))" "$e_timed"
  } >"$meta/$e_n.json"
  [ -z "$e_error" ] || printf '%s' "$e_error" >"$meta/$e_n.error"
  if [ -n "$e_stderr" ] && [ -s "$e_stderr" ]; then dd if="$e_stderr" of="$meta/$e_n.stderr" bs=512 count=1 2>/dev/null; fi
  [ -z "$e_saved" ] || printf '%s' "$e_saved" >"$meta/$e_n.saved"
  [ -z "$e_skipped" ] || printf '%s' "$e_skipped" >"$meta/$e_n.skipped"
  printf '%s\t%s\n' "$e_n" "$e_name" >>"$work/names"
}

# A file's text as a JSON string, trailing newlines included.
json_file() {
  json_str "$(cat "$1"; echo x)" | sed 's/x"$/"/'
}

# The entry numbers in the order collect() sorts its entries: by name with localeCompare, which for
# the characters of evidence names ([A-Za-z0-9._/{}-]) is _ - . { } / digits letters, case ignored
# first, then lower case before upper case.
entry_order() {
  awk -F '\t' '{
    p = ""; t = ""
    for (i = 1; i <= length($2); i++) {
      c = substr($2, i, 1)
      if (c == "_") c = "!"; else if (c == "-") c = "\""; else if (c == ".") c = "#"; else if (c == "{") c = "$"; else if (c == "}") c = "%"; else if (c == "/") c = "&"
      u = index("ABCDEFGHIJKLMNOPQRSTUVWXYZ", c)
      p = p (u ? substr("abcdefghijklmnopqrstuvwxyz", u, 1) : c)
      t = t (u ? "1" : "0")
    }
    print p " " t " " $1
  }' "$work/names" | sort | sed 's/.* //'
}

# Runs argv with stdout in $1, stderr in $2; kills it after $timeout_s seconds, leaving
# $work/timed-out.$rl_pid behind. The watchdog polls once a second instead of being killed, so no signal
# race can leave anyone waiting for it; it ends by itself within a second of the command. (Only the
# command itself is killed: POSIX sh has no portable way to start it in its own process group.)
run_limited() {
  rl_out=$1 rl_err=$2
  shift 2
  "$@" </dev/null >"$rl_out" 2>"$rl_err" &
  rl_pid=$!
  (
    i=0
    while [ "$i" -lt "$timeout_s" ] && kill -0 "$rl_pid" 2>/dev/null; do
      sleep 1
      i=$((i + 1))
    done
    if kill -0 "$rl_pid" 2>/dev/null; then
      : >"$work/timed-out.$rl_pid"
      kill -9 "$rl_pid"
    fi
  ) </dev/null >/dev/null 2>&1 &
  wait "$rl_pid"
}

# The same rules as collect() in src/evidence/collect.ts: what is saved, and what the manifest says.
run_spec() {
  rs_merge=$1 rs_name=$2
  shift 2
  rs_file=$dump/$rs_name
  rs_out=$work/out rs_err=$work/err
  : >"$rs_err"
  if ! command -v "$1" >/dev/null 2>&1; then
    entry "$rs_name" argv null 0 false "not found: $1" "" "" "" -- "$@"
    progress "✗ $*: not found"
    return
  fi
  rs_start=$(date +%s)
  run_limited "$rs_out" "$rs_err" "$@"
  rs_status=$?
  rs_secs=$(($(date +%s) - rs_start))
  rs_timed=false rs_error=
  if [ -e "$work/timed-out.$rl_pid" ]; then
    rs_timed=true rs_error="timed out after $((timeout_s * 1000)) ms"
  elif [ "$rs_status" -eq 126 ]; then
    rs_error='permission denied (run as root)'
  elif [ ! -s "$rs_out" ] && grep -Eiq 'permission denied|not permitted' "$rs_err"; then
    rs_error='permission denied (run as root)'
  fi
  rs_exit=$rs_status
  [ "$rs_timed" = false ] || rs_exit=null
  if [ -n "$rs_merge" ] && [ -s "$rs_err" ]; then
    # stdout, then stderr, with a newline between when stdout does not end in one.
    if [ -s "$rs_out" ] && [ "$(tail -c 1 "$rs_out" | wc -l | tr -d ' ')" -eq 0 ]; then echo >>"$rs_out"; fi
    cat "$rs_err" >>"$rs_out"
  fi
  rs_saved=
  if [ -n "$rs_error" ] && { [ -z "$rs_merge" ] || [ ! -s "$rs_out" ] || [ "$rs_timed" = true ]; }; then
    rs_saved=
  elif [ ! -s "$rs_out" ] && [ "$rs_status" -ne 0 ]; then
    rs_saved=
  else
    mv "$rs_out" "$rs_file"
    rs_saved=$rs_file
  fi
  entry "$rs_name" argv "$rs_exit" "$rs_secs" "$rs_timed" "$rs_error" "$rs_err" "$rs_saved" "" -- "$@"
  if [ -n "$rs_error" ]; then progress "✗ $*: $rs_error"; else progress "✓ $*: done (${rs_secs} s)"; fi
}

run() { run_spec '' "$@"; }
run_merge() { run_spec merge "$@"; }

copy() {
  cp_name=$1 cp_path=$2
  cp_src=$root$cp_path
  cp_file=$dump/$cp_name
  if [ ! -e "$cp_src" ]; then
    entry "$cp_name" path null 0 false "no such file $cp_path" "" "" "" -- "$cp_path"
  elif [ ! -r "$cp_src" ]; then
    entry "$cp_name" path null 0 false 'permission denied (run as root)' "" "" "" -- "$cp_path"
  else
    mkdir -p "${cp_file%/*}"
    if cat "$cp_src" >"$cp_file" 2>/dev/null; then
      entry "$cp_name" path null 0 false "" "" "$cp_file" "" -- "$cp_path"
    else
      rm -f "$cp_file"
      entry "$cp_name" path null 0 false 'failed' "" "" "" -- "$cp_path"
    fi
  fi
}

# `{x}` in a word becomes the instance (the same substitution as instantiate() in collect.ts).
subst() {
  s_word=$1 s_value=$2 s_out=
  while :; do
    case $s_word in
      *'{'[a-z]*'}'*)
        s_out=$s_out${s_word%%'{'*}$s_value
        s_word=${s_word#*'{'}
        s_word=${s_word#*'}'}
        ;;
      *) break ;;
    esac
  done
  printf '%s' "$s_out$s_word"
}

# Instance lists, the sh equivalents of the plugins' `expand` regexes (SH_EXTRACTORS in src/evidence/collect-sh.ts).
disks_from_sysctl() {
  sed -n 's/^hw\.disknames[[:space:]]*[=:]//p' "$dump/sysctl.txt" 2>/dev/null | tr -c 'A-Za-z0-9_\n' '\n' |
    grep -E '^(wd|sd|ld|raid|xbd|ccd)[0-9]+$' | sort -u
}

ffs_partitions_from_mount() {
  grep -E '^/dev/([a-z]+[0-9]+[a-p]|dk[0-9]+) on .* type ffs([^A-Za-z0-9_]|$)' "$dump/mount.txt" 2>/dev/null |
    sed 's#^/dev/\([^ ]*\) on .*#\1#' | grep -E '^[A-Za-z0-9._-]+$' | sort -u
}

pci_buses_from_dmesg() {
  sed -n 's/^\[[^]]*\][[:space:]]*//; s/^\(pci[0-9][0-9]*\) at .*/\1/p' "$dump/dmesg.boot" 2>/dev/null | sort -u
}

names_from_ls_usr_pkg_etc_xen() {
  grep -E '^[A-Za-z0-9._-]+$' "$dump/ls-usr-pkg-etc-xen.txt" 2>/dev/null | grep -Ev '^\.\.?$' | sort -u
}

xen_kernels_from_ls_usr_pkg() {
  grep -E '^xen[0-9]+-kernel$' "$dump/ls-usr-pkg.txt" 2>/dev/null | sort -u
}

interfaces_from_ls_etc() {
  sed -n 's/^ifconfig\.\([A-Za-z0-9][A-Za-z0-9]*\)$/\1/p' "$dump/ls-etc.txt" 2>/dev/null | sort -u
}

copy_each() {
  ce_name=$1 ce_list=$2 ce_path=$3
  for ce_value in $($ce_list); do
    copy "$(subst "$ce_name" "$ce_value")" "$(subst "$ce_path" "$ce_value")"
  done
}

run_each() {
  re_name=$1 re_list=$2
  shift 2
  for re_value in $($re_list); do
    (
      for a in "$@"; do
        set -- "$@" "$(subst "$a" "$re_value")"
        shift
      done
      run "$(subst "$re_name" "$re_value")" "$@"
    )
  done
}

# `on OSES CMD...`: runs one generated line when it applies to this host's OS; else records it as
# skipped, with the words of skipReason() in src/evidence/collect.ts ("for NetBSD hosts only").
on() {
  on_list=$1
  shift
  case ",$on_list," in
    ,any, | *",$os_kind,"*) "$@" ;;
    *)
      on_why=
      for on_os in $(echo "$on_list" | tr ',' ' '); do
        case $on_os in netbsd) on_os=NetBSD ;; linux) on_os=Linux ;; esac
        on_why="${on_why:+$on_why and }$on_os"
      done
      skip "for $on_why hosts only" "$@"
      ;;
  esac
}

# skip REASON CMD NAME ...: the manifest entry of a generated line that is not run.
skip() {
  sk_why=$1 sk_how=$2 sk_name=$3
  shift 3
  case $sk_how in
    run | run_merge) entry "$sk_name" argv null 0 false "" "" "" "$sk_why" -- "$@" ;;
    run_each) shift; entry "$sk_name" argv null 0 false "" "" "" "$sk_why" -- "$@" ;;
    copy) entry "$sk_name" path null 0 false "" "" "" "$sk_why" -- "$1" ;;
    copy_each) entry "$sk_name" path null 0 false "" "" "" "$sk_why" -- "$2" ;;
    *) entry "$sk_name" none null 0 false "" "" "" "$sk_why" -- ;;
  esac
}

# A JavaScript probe (src/evidence/library-probes.ts): only `xenready collect` can run it.
probe() {
  entry "$1" none null 0 false "" "" "" "a JavaScript probe ($2): only \`xenready collect\` gathers it" --
}

# The redaction of `xenready collect` (Redactor, redactFiles and dumpContents in src/evidence/), in one
# POSIX awk program: test/unit/evidence/collect-sh-redact.test.ts runs it against the TypeScript.
redact_awk() {
  cat <<'REDACT_AWK'
# The POSIX awk port of Redactor and redactFiles (src/evidence/redact.ts): the same kinds, order, tokens
# and numbering, so that a bundle redacted here has the bytes `xenready collect` writes. For nawk
# (NetBSD's awk), mawk and busybox awk: no interval expressions, no gawk extensions, no numeric
# conversion of digit strings (busybox reads 010 as octal). Each JavaScript pattern is matched by hand,
# with its look-behind and look-ahead, at the positions the JavaScript engine would try.
#
# Input: one line per text, tab-separated: KIND NL NAME IN OUT. KIND f: a dump file (hostnames are
# learnt from these, by NAME), m: a manifest text, redacted after them (a stderr head, an error);
# NL 1: IN ends with a newline. Each text is redacted into OUT; the counts go to stdout as JSON members.
BEGIN {
  FS = "\t"
  W = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"
  ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
  DIGITS = "0123456789"
  BLANKS = " \t\n\013\f\r"
  QUOTES = "\"'"
  split("localhost netbsd xen dom0 domu generic amd64 i386 root kernel boot none (none) unknown", g, " ")
  for (k in g) GENERIC[g[k]] = 1
  H = "[0-9A-Fa-f]"
  RE_UUID = H H H H H H H H "-" H H H H "-" H H H H "-" H H H H "-" H H H H H H H H H H H H
  RE_MAC = H H ":" H H ":" H H ":" H H ":" H H ":" H H
  RE_IPV4 = "[0-9][0-9]?[0-9]?[.][0-9][0-9]?[0-9]?[.][0-9][0-9]?[0-9]?[.][0-9]"
}
{ KIND[NR] = $1; NL[NR] = $2; NAME[NR] = $3; IN[NR] = $4; OUT[NR] = $5; n = NR }
END {
  for (i = 1; i <= n; i++) if (KIND[i] == "f") learn(NAME[i], IN[i])
  sort_hostnames()
  for (i = 1; i <= n; i++) redact_file(IN[i], OUT[i], NL[i])
  printf "\"hostname\": %d, \"mac\": %d, \"ipv4\": %d, \"ipv6\": %d, \"serial\": %d, \"uuid\": %d, \"user\": %d\n", \
    CNT["hostname"], CNT["mac"], CNT["ipv4"], CNT["ipv6"], CNT["serial"], CNT["uuid"], CNT["user"]
  # The token of this host's short name (-v host=, -v tokfile=), for the bundle's name; empty if none.
  # Else the token of uname -a's node name (short), as bundleHostPart() in src/evidence/bundle-write.ts.
  if (tokfile != "") {
    t = ""
    if (host != "" && (("hostname", host) in TOKEN)) t = TOKEN["hostname", host]
    else {
      d = index(UNAME_NODE, ".")
      u = d > 0 ? substr(UNAME_NODE, 1, d - 1) : UNAME_NODE
      if (u != "" && (("hostname", u) in TOKEN)) t = TOKEN["hostname", u]
    }
    printf "%s\n", t > tokfile
  }
}

# The character at i ("" outside the string), and whether it is one of set's.
function at(s, i) { return (i < 1 || i > length(s)) ? "" : substr(s, i, 1) }
function has(c, set) { return c != "" && index(set, c) > 0 }
function isw(c) { return has(c, W) ? 1 : 0 }

function redact_file(src, dst, nl,   line, lines, i) {
  lines = 0
  while ((getline line < src) > 0) LINE[++lines] = line
  close(src)
  printf "" > dst
  for (i = 1; i <= lines; i++) printf "%s%s", redact(LINE[i]), ((i < lines || nl == "1") ? "\n" : "") > dst
  close(dst)
}

function redact(s) {
  s = r_uuid(s)
  s = r_mac(s)
  s = r_ipv6(s)
  s = r_ipv4(s)
  s = r_serial(s)
  s = r_user(s)
  if (NH > 0) s = r_hostname(s)
  return s
}

# One token per kind and value (case-insensitive, except host names), numbered in order of first appearance.
function tok(kind, v,   key, c, t) {
  key = (kind == "hostname") ? v : tolower(v)
  if ((kind, key) in TOKEN) return TOKEN[kind, key]
  c = ++CNT[kind]
  if (kind == "uuid") t = "00000000-0000-4000-8000-" sprintf("%012x", c)
  else if (kind == "mac") { t = sprintf("%08x", c); t = "02:00:" substr(t, 1, 2) ":" substr(t, 3, 2) ":" substr(t, 5, 2) ":" substr(t, 7, 2) }
  else if (kind == "ipv6") t = "2001:db8::" sprintf("%x", c)
  else if (kind == "ipv4") {
    if (c <= 254) t = "198.51.100." c
    else if (c <= 508) t = "203.0.113." (c - 254)
    else t = "10." (int(c / 65536) % 256) "." (int(c / 256) % 256) "." (c % 256)
  }
  else if (kind == "serial") t = "REDACTED" sprintf("%04d", c)
  else if (kind == "user") t = "user" c
  else t = index(v, ".") ? ("host" c ".example.invalid") : ("host" c)
  TOKEN[kind, key] = t
  return t
}

# UUID: (?<![\w-])8-4-4-4-12 hex(?![\w-])
function r_uuid(s,   out, pos, from, j) {
  out = ""; pos = 1; from = 1
  while (match(substr(s, from), RE_UUID)) {
    j = from + RSTART - 1
    if (!has(at(s, j - 1), W "-") && !has(at(s, j + 36), W "-")) {
      out = out substr(s, pos, j - pos) tok("uuid", substr(s, j, 36))
      pos = from = j + 36
    } else from = j + 1
  }
  return out substr(s, pos)
}

# MAC: (?<![\w:.-])xx(:xx){5}(?![\w:]); all-zero and broadcast stay (and are passed over).
function r_mac(s,   out, pos, from, j, m) {
  out = ""; pos = 1; from = 1
  while (match(substr(s, from), RE_MAC)) {
    j = from + RSTART - 1
    if (!has(at(s, j - 1), W ":.-") && !has(at(s, j + 17), W ":")) {
      m = substr(s, j, 17)
      out = out substr(s, pos, j - pos) ((tolower(m) == "00:00:00:00:00:00" || tolower(m) == "ff:ff:ff:ff:ff:ff") ? m : tok("mac", m))
      pos = from = j + 17
    } else from = j + 1
  }
  return out substr(s, pos)
}

# IPv6: (?<![\w:.-])([hex]{0,4}:){2,7}[hex]{0,4}(?![\w:.]). The look-behind only lets a match start a
# run of hex digits and colons, and the look-ahead only lets it end the run: a candidate is a whole
# run of 2 to 7 colons and groups of at most 4. isIpv6 then decides; a candidate it refuses is passed over.
function r_ipv6(s,   out, pos, from, j, len, run) {
  out = ""; pos = 1; from = 1
  while (match(substr(s, from), /[0-9A-Fa-f:]+/)) {
    j = from + RSTART - 1; len = RLENGTH
    run = substr(s, j, len)
    if (!has(at(s, j - 1), W ".-") && !has(at(s, j + len), W ".") && ipv6_shape(run)) {
      out = out substr(s, pos, j - pos) (is_ipv6(run) ? tok("ipv6", run) : run)
      pos = j + len
    }
    from = j + len
  }
  return out substr(s, pos)
}

function ipv6_shape(a,   i, colons, group) {
  colons = 0; group = 0
  for (i = 1; i <= length(a); i++) {
    if (substr(a, i, 1) == ":") { colons++; group = 0 }
    else if (++group > 4) return 0
  }
  return colons >= 2 && colons <= 7
}

function is_ipv6(a,   t, k, doubles, groups, filled, i, group) {
  doubles = 0; t = a
  while ((k = index(t, "::")) > 0) { doubles++; t = substr(t, k + 2) }
  if (doubles > 1) return 0
  groups = 1; filled = 0; group = 0
  for (i = 1; i <= length(a); i++) {
    if (substr(a, i, 1) == ":") { if (group) filled++; groups++; group = 0 }
    else group++
  }
  if (group) filled++
  if (doubles == 0 && groups != 8) return 0
  if (doubles == 1 && groups > 8) return 0
  return filled >= 2
}

# IPv4: (?<![\w.-])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\w-]|\.\d); kept (and passed over):
# an octet over 255, 0.x, 127.x, 224.x and up.
function r_ipv4(s,   out, pos, from, j, e, m) {
  out = ""; pos = 1; from = 1
  while (match(substr(s, from), RE_IPV4)) {
    j = from + RSTART - 1
    if ((e = ipv4_end(s, j)) > 0) {
      m = substr(s, j, e - j)
      out = out substr(s, pos, j - pos) ((OCT[1] > 255 || OCT[2] > 255 || OCT[3] > 255 || OCT[4] > 255 || OCT[1] == 0 || OCT[1] == 127 || OCT[1] >= 224) ? m : tok("ipv4", m))
      pos = from = e
    } else from = j + 1
  }
  return out substr(s, pos)
}

# Where a match starting at j ends (the position after it), or 0; its octets in OCT.
function ipv4_end(s, j,   i, k, d, c) {
  if (has(at(s, j - 1), W ".-")) return 0
  i = j
  for (k = 1; k <= 4; k++) {
    d = 0; OCT[k] = 0
    while (has(c = at(s, i), DIGITS)) { OCT[k] = OCT[k] * 10 + index(DIGITS, c) - 1; i++; d++ }
    if (d < 1 || d > 3) return 0
    if (k < 4) { if (at(s, i) != ".") return 0; i++ }
  }
  if (has(at(s, i), W "-") || (at(s, i) == "." && has(at(s, i + 1), DIGITS))) return 0
  return i
}

# Serial: /(\bserial(?:[ _-]?(?:number|no\.?|#))?[ \t]*[:=#]?[ \t]*)(?=[A-Za-z0-9_.-]*\d)([A-Za-z0-9][A-Za-z0-9_.-]{3,})/gi.
# The prefix's choices are tried in the JavaScript engine's backtracking order; the first one followed
# by a value wins. A 0x... value stays (and is passed over).
function r_serial(s,   out, pos, from, j, r, v) {
  out = ""; pos = 1; from = 1
  while (match(substr(s, from), /[Ss][Ee][Rr][Ii][Aa][Ll]/)) {
    j = from + RSTART - 1
    if (!has(at(s, j - 1), W) && (r = serial_value(s, j + 6)) > 0) {
      v = substr(s, r, VLEN)
      out = out substr(s, pos, r - pos) ((tolower(v) ~ /^0x[0-9a-f]+$/) ? v : tok("serial", v))
      pos = from = r + VLEN
    } else from = j + 1
  }
  return out substr(s, pos)
}

# Where the value starts after `serial` (p: just after it), or 0; its length in VLEN.
function serial_value(s, p,   c, k, r) {
  NQ = 0
  c = at(s, p)
  if (c == " " || c == "_" || c == "-") serial_suffixes(s, p + 1)
  serial_suffixes(s, p)
  Q[++NQ] = p
  for (k = 1; k <= NQ; k++) if ((r = serial_after_prefix(s, Q[k])) > 0) return r
  return 0
}

# The ends of (?:number|no\.?|#) at t, in the order they are tried.
function serial_suffixes(s, t) {
  if (tolower(substr(s, t, 6)) == "number") Q[++NQ] = t + 6
  if (tolower(substr(s, t, 2)) == "no") {
    if (at(s, t + 2) == ".") Q[++NQ] = t + 3
    Q[++NQ] = t + 2
  }
  if (at(s, t) == "#") Q[++NQ] = t + 1
}

# [ \t]*[:=#]?[ \t]* from q (greedy, then backtracking), then the value.
function serial_after_prefix(s, q,   a, k1, r1, na, x, b, k2) {
  a = 0
  while (at(s, q + a) == " " || at(s, q + a) == "\t") a++
  for (k1 = a; k1 >= 0; k1--) {
    r1 = q + k1
    na = 0
    if (has(at(s, r1), ":=#")) ALT[++na] = r1 + 1
    ALT[++na] = r1
    for (x = 1; x <= na; x++) {
      b = 0
      while (at(s, ALT[x] + b) == " " || at(s, ALT[x] + b) == "\t") b++
      for (k2 = b; k2 >= 0; k2--) if (serial_value_at(s, ALT[x] + k2)) return ALT[x] + k2
    }
  }
  return 0
}

# [A-Za-z0-9][A-Za-z0-9_.-]{3,} at p, holding a digit (the look-ahead); its length in VLEN.
function serial_value_at(s, p,   len, digit, c) {
  if (!has(at(s, p), ALNUM)) return 0
  len = 0; digit = 0
  while (has(c = at(s, p + len), ALNUM "_.-")) { if (has(c, DIGITS)) digit = 1; len++ }
  if (len < 4 || !digit) return 0
  VLEN = len
  return 1
}

# User: (?<=\/home\/)[A-Za-z0-9._-]+(?=\/|\b): the longest name followed by / or a word boundary.
function r_user(s,   out, pos, from, k, c, len, m) {
  out = ""; pos = 1; from = 1
  while ((k = index(substr(s, from), "/home/")) > 0) {
    c = from + k + 5
    from = from + k
    if (c < pos) continue
    len = 0
    while (has(at(s, c + len), W ".-")) len++
    for (m = len; m >= 1; m--) if (at(s, c + m) == "/" || isw(at(s, c + m - 1)) != isw(at(s, c + m))) break
    if (m >= 1) {
      out = out substr(s, pos, c - pos) tok("user", substr(s, c, m))
      pos = c + m
    }
  }
  return out substr(s, pos)
}

# Host names: (?<![\w/.-])(?:longest|...|shortest)(?![\w-]), case-sensitive.
function r_hostname(s,   out, pos, from, rest, best, k, h, j, len) {
  out = ""; pos = 1; from = 1
  for (;;) {
    rest = substr(s, from); best = 0
    for (h = 1; h <= NH; h++) if ((k = index(rest, HOST[h])) > 0 && (best == 0 || k < best)) best = k
    if (best == 0) break
    j = from + best - 1
    len = 0
    if (!has(at(s, j - 1), W "/.-")) {
      for (h = 1; h <= NH; h++) {
        if (substr(s, j, length(HOST[h])) == HOST[h] && !has(at(s, j + length(HOST[h])), W "-")) { len = length(HOST[h]); break }
      }
    }
    if (len > 0) {
      out = out substr(s, pos, j - pos) tok("hostname", HOST[h])
      pos = from = j + len
    } else from = j + 1
  }
  return out substr(s, pos)
}

# learnHostnames: uname -a's second word, rc.conf hostname=, /etc/myname's first name line,
# /etc/hostname's and hostname.txt's first line, sysctl kern.hostname; line by line, ASCII blanks.
function learn(name, file,   line, first, i, v) {
  first = 1
  while ((getline line < file) > 0) {
    if (name == "uname.txt" && first) { UNAME_NODE = uname_node(line); add(UNAME_NODE) }
    else if (name == "files/etc/rc.conf") {
      i = 1
      while (at(line, i) == " " || at(line, i) == "\t") i++
      if (substr(line, i, 9) == "hostname=") add(word_at(line, i + 9))
    } else if (name == "files/etc/myname" && first) {
      if (trim(line) != "" && substr(line, 1, 1) != "#") { add(line); first = 0 }
      continue
    } else if ((name == "files/etc/hostname" || name == "hostname.txt") && first) add(line)
    else if (name == "sysctl.txt" && substr(line, 1, 13) == "kern.hostname") {
      i = 14
      while (at(line, i) == " " || at(line, i) == "\t") i++
      if (at(line, i) == "=" || at(line, i) == ":") {
        i++
        while (at(line, i) == " " || at(line, i) == "\t") i++
        add(word_at(line, i))
      }
    }
    first = 0
  }
  close(file)
}

# The run of non-blanks at i ("" when there is none).
function word_at(s, i,   j) {
  j = i
  while (j <= length(s) && !has(at(s, j), BLANKS)) j++
  return substr(s, i, j - i)
}

# ^[^blanks]+[ \t]+([^blanks]+)
function uname_node(s,   i, j) {
  i = 1
  while (i <= length(s) && !has(at(s, i), BLANKS)) i++
  if (i == 1) return ""
  j = i
  while (at(s, i) == " " || at(s, i) == "\t") i++
  if (i == j) return ""
  return word_at(s, i)
}

function trim(s) {
  while (s != "" && has(substr(s, 1, 1), BLANKS)) s = substr(s, 2)
  while (s != "" && has(substr(s, length(s), 1), BLANKS)) s = substr(s, 1, length(s) - 1)
  return s
}

function add(v,   len, a, e, short, d) {
  v = trim(v)
  len = length(v); a = 1; e = len
  if (len >= 1 && has(substr(v, 1, 1), QUOTES)) a = 2
  if (len >= a && has(substr(v, len, 1), QUOTES)) e = len - 1
  v = substr(v, a, e - a + 1)
  if (length(v) < 2 || (tolower(v) in GENERIC) || v !~ /^[A-Za-z0-9][A-Za-z0-9.-]*$/) return
  FOUND[v] = 1
  d = index(v, ".")
  if (d > 0) {
    short = substr(v, 1, d - 1)
    if (length(short) >= 2 && !(tolower(short) in GENERIC)) FOUND[short] = 1
  }
}

# Longest first (two names of one length never both match at one place, so their order does not matter).
function sort_hostnames(   v, i, j, t) {
  NH = 0
  for (v in FOUND) HOST[++NH] = v
  for (i = 2; i <= NH; i++) {
    t = HOST[i]
    for (j = i - 1; j >= 1 && (length(HOST[j]) < length(t) || (length(HOST[j]) == length(t) && HOST[j] > t)); j--) HOST[j + 1] = HOST[j]
    HOST[j + 1] = t
  }
}
REDACT_AWK
}

# A file's last byte is a newline (awk cannot tell): 1 or 0.
ends_in_newline() {
  if [ -s "$1" ] && [ "$(tail -c 1 "$1" | wc -l | tr -d ' ')" -eq 1 ]; then echo 1; else echo 0; fi
}

# Redacts every evidence file (in sorted name order; the host names are learnt from all of them
# first), then the entries' stderr heads and errors (in manifest order), all in place; the counts, as
# JSON members, in $counts.
redact_dump() {
  mkdir "$work/red" || return 1
  (cd "$dump" && find . -type f) | sed 's#^\./##' | sort >"$work/files"
  r_i=0
  : >"$work/texts"
  while IFS= read -r r_f; do
    r_i=$((r_i + 1))
    printf 'f\t%s\t%s\t%s\t%s\n' "$(ends_in_newline "$dump/$r_f")" "$r_f" "$dump/$r_f" "$work/red/$r_i" >>"$work/texts"
  done <"$work/files"
  for r_n in $order; do
    for r_x in stderr error; do
      [ -s "$meta/$r_n.$r_x" ] || continue
      r_i=$((r_i + 1))
      printf 'm\t%s\t-\t%s\t%s\n' "$(ends_in_newline "$meta/$r_n.$r_x")" "$meta/$r_n.$r_x" "$work/red/$r_i" >>"$work/texts"
    done
  done
  redact_awk >"$work/redact.awk"
  counts=$(awk -v host="$host" -v tokfile="$work/token" -f "$work/redact.awk" "$work/texts") || return 1
  [ -n "$counts" ] || return 1
  tab=$(printf '\t')
  while IFS=$tab read -r _ _ _ r_in r_out; do
    mv "$r_out" "$r_in" || return 1
  done <"$work/texts"
}

progress "collecting into ${dir:-$output}"

# BEGIN GENERATED COMMANDS (from the plugins' evidence specs: test/unit/evidence/collect-sh.test.ts; do not edit by hand)
on any run uname.txt uname -a
on any run mount.txt mount
on any copy files/etc/fstab /etc/fstab
on netbsd run sysctl.txt sysctl hw.machine hw.machine_arch hw.model hw.ncpu hw.physmem64 hw.disknames kern.ostype kern.osrelease
on netbsd copy dmesg.boot /var/run/dmesg.boot
on netbsd run cpuctl-identify.txt cpuctl identify 0
on linux copy proc-cpuinfo.txt /proc/cpuinfo
on linux probe linux-virt.txt systeminformation.system
on netbsd run xl-info.txt xl info
on netbsd run xm-info.txt xm info
on netbsd run xl-dmesg.txt xl dmesg
on netbsd run pkg_info.txt pkg_info
on netbsd copy files/etc/rc.conf /etc/rc.conf
on netbsd run ls-usr-pkg-etc-xen.txt ls -1 /usr/pkg/etc/xen
on netbsd run df.txt df -k
on netbsd copy files/grub/menu.lst /grub/menu.lst
on netbsd copy files/boot/grub/menu.lst /boot/grub/menu.lst
on netbsd copy files/boot.cfg /boot.cfg
on netbsd run sysctl-bootmethod.txt sysctl machdep.bootmethod
on netbsd run ls-usr-pkg.txt ls -1 /usr/pkg
on netbsd copy files/etc/release /etc/release
on netbsd run pcictl-all.txt pcictl pci0 list -b all
on linux run lspci.txt lspci -nn
on netbsd,linux run xl-pci-assignable-list.txt xl pci-assignable-list
on netbsd run_merge ls-kern-xen-pci.txt ls -l /kern/xen/pci
on netbsd run ls-etc.txt ls -1 /etc
on netbsd run ifconfig-l.txt ifconfig -l
on netbsd copy files/etc/ttys /etc/ttys
on netbsd copy files/etc/wscons.conf /etc/wscons.conf
on netbsd copy dmesg-native.boot /var/db/xenready/dmesg-native.boot
on any run_merge ls-paths.txt ls -ld /dev/xencons /dev/xenevt /dev/xsd_kva /etc/ifconfig.bridge0 /etc/rc.d/xenbackendd /etc/rc.d/xencommons /etc/rc.d/xend /etc/rc.d/xendomains /kern/xen /kern/xen/privcmd /kern/xen/xsd_port /netbsd /netbsd-GENERIC /netbsd-GENERIC.gz /netbsd-XEN3PAE_DOM0 /netbsd-XEN3PAE_DOM0.gz /netbsd-XEN3_DOM0 /netbsd-XEN3_DOM0.gz /netbsd.GENERIC /netbsd.backup /netbsd.gz /netbsd.old /onetbsd /sys/firmware/acpi/tables/DMAR /sys/firmware/acpi/tables/IVRS /usr/pkg/etc/xen /usr/pkg/etc/xen/scripts/block /usr/pkg/etc/xen/scripts/vif-bridge /usr/pkg/etc/xen/vif-bridge /usr/pkg/sbin/xl /usr/pkg/share/examples/rc.d/xenbackendd /usr/pkg/share/examples/rc.d/xencommons /usr/pkg/share/examples/rc.d/xend /usr/pkg/share/examples/rc.d/xendomains /xen-debug.gz /xen.gz
on netbsd run_each 'disklabel-{disk}.txt' disks_from_sysctl disklabel '{disk}'
on netbsd run_each 'dkctl-{disk}.txt' disks_from_sysctl dkctl '{disk}' listwedges
on netbsd run_each 'dumpfs-{partition}.txt' ffs_partitions_from_mount dumpfs -s '/dev/r{partition}'
on netbsd run_each 'cksum-{xenkernel}.txt' xen_kernels_from_ls_usr_pkg cksum /xen.gz /xen-debug.gz '/usr/pkg/{xenkernel}/xen.gz' '/usr/pkg/{xenkernel}/xen-debug.gz'
on netbsd run_each 'pcictl-{bus}.txt' pci_buses_from_dmesg pcictl '{bus}' list
on netbsd copy_each 'files/usr/pkg/etc/xen/{domu}' names_from_ls_usr_pkg_etc_xen '/usr/pkg/etc/xen/{domu}'
on netbsd copy_each 'files/etc/ifconfig.{if}' interfaces_from_ls_etc '/etc/ifconfig.{if}'
# END GENERATED COMMANDS

order=$(entry_order)
counts=
if [ -n "$redact" ]; then
  progress "redacting host identifiers"
  redact_dump || { echo "xenready-collect: redaction failed; nothing written" >&2; exit 1; }
  # The bundle's name holds the host's token (host1), never its name; `host` when no evidence named it.
  host_part=$(cat "$work/token" 2>/dev/null)
  host_part=${host_part:-host}
  rules='"hostname", "mac", "ipv4", "ipv6", "serial", "uuid", "user"'
else
  host_part=${host:-host}
  rules=
fi
base="xenready-${case_id:+$case_id-}$host_part-$stamp"
[ -n "$output" ] || output="$base.tar.gz"
top=$(basename "$output")
top=${top%.tar.gz}
top=${top%.tgz}
# A name chosen with -o that holds the real host name does not reach the member paths of a redacted bundle.
if [ -n "$redact" ] && [ "${#host}" -ge 2 ]; then
  case $(printf '%s' "$top" | tr '[:upper:]' '[:lower:]') in
    *"$(printf '%s' "$host" | tr '[:upper:]' '[:lower:]')"*) top=$base ;;
  esac
fi
{
  printf '{\n  "schemaVersion": 1,\n  "tool": "xenready-collect.sh",\n  "toolVersion": "1",\n'
  printf '  "created": "%s",\n  "os": %s,\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(json_str "$os")"
  [ -z "$case_id" ] || printf '  "caseId": "%s",\n' "$case_id"
  printf '  "redaction": {"enabled": %s, "rules": [%s], "counts": {%s}},\n  "entries": [\n' "$([ -n "$redact" ] && echo true || echo false)" "$rules" "$counts"
  m_first=1
  for m_n in $order; do
    [ -n "$m_first" ] || printf ',\n'
    m_first=
    cat "$meta/$m_n.json"
    [ ! -s "$meta/$m_n.error" ] || printf ', "error": %s' "$(json_file "$meta/$m_n.error")"
    [ ! -s "$meta/$m_n.stderr" ] || printf ', "stderrHead": %s' "$(json_file "$meta/$m_n.stderr")"
    if [ -s "$meta/$m_n.saved" ]; then
      m_saved=$(cat "$meta/$m_n.saved")
      h=$(sha256_of "$m_saved")
      [ -z "$h" ] || printf ', "sha256": "%s"' "$h"
      printf ', "bytes": %s' "$(bytes_of "$m_saved")"
    fi
    [ ! -s "$meta/$m_n.skipped" ] || printf ', "skipped": %s' "$(json_file "$meta/$m_n.skipped")"
    printf '}'
  done
  printf '\n  ]\n}\n'
} >"$dump/manifest.json"
if [ -n "$redact" ]; then summary=redacted; else summary='not redacted'; fi

if [ -n "$dir" ]; then
  # An empty directory is replaced; anything else is never merged into.
  if [ -e "$dir" ] && ! rmdir "$dir" 2>/dev/null; then die "$dir already exists and is not an empty directory"; fi
  parent=$(dirname "$dir")
  tmp="$parent/.$(basename "$dir").tmp-$$"
  temps="$temps $tmp"
  if ! { cp -R "$dump" "$tmp" && mv "$tmp" "$dir"; } 2>/dev/null; then die "cannot write $dir"; fi
  echo "$dir: $(find "$dir" -type f | wc -l | tr -d ' ') files, $summary"
else
  if ! { mkdir "$work/pack" && mv "$dump" "$work/pack/$top"; }; then exit 1; fi
  parent=$(dirname "$output")
  tmp="$parent/.$(basename "$output").tmp-$$"
  sumtmp="$parent/.$(basename "$output").sha256.tmp-$$"
  temps="$temps $tmp $sumtmp"
  if [ -e "$output" ] && [ -z "$force" ]; then die "$output already exists; pass -f to replace it"; fi
  if ! { (cd "$work/pack" && tar -cf - "$top") | gzip -9 -c >"$tmp"; } 2>/dev/null || [ ! -s "$tmp" ]; then die "cannot write $output"; fi
  # Beside the bundle, in sha256sum's format (`sha256sum -c FILE.sha256` checks it; so does `xenready
  # bundle inspect`). NetBSD has no sha256sum: its `sha256`/`cksum -a sha256` give the bare digest on stdin.
  sum=$(sha256_of "$tmp")
  if [ -n "$sum" ]; then
    printf '%s  %s\n' "$sum" "$(basename "$output")" 2>/dev/null >"$sumtmp" || die "cannot write $output.sha256"
  fi
  mv "$tmp" "$output" 2>/dev/null || die "cannot write $output"
  if [ -n "$sum" ]; then
    mv "$sumtmp" "$output.sha256" 2>/dev/null || die "cannot write $output.sha256"
    echo "$output ($(bytes_of "$output") bytes), $summary; sha256 in $output.sha256"
  else
    echo "xenready-collect: no sha256sum, sha256 or cksum -a sha256 here: no $output.sha256 written" >&2
    echo "$output ($(bytes_of "$output") bytes), $summary"
  fi
fi
