#!/bin/sh
# xenready-collect.sh: gathers the evidence `xenready check` reads, on a host without Node (a NetBSD box
# before or after installing Xen), into a bundle with the same layout and file names as `xenready collect`:
#
#   sh xenready-collect.sh                 # writes xenready-<host>-<date>.tar.gz here
#   xenready check --from xenready-<host>-<date>.tar.gz   # anywhere xenready runs
#
# Options:
#   -o FILE     bundle to write (.tar.gz); default xenready-<host>-<date>.tar.gz
#   -d DIR      write a dump directory instead (must not exist, or be empty)
#   -t SECONDS  time each command may run before it is killed (default 10)
#   -q          no progress lines on stderr
#
# Run it as root for complete evidence (cpuctl, disklabel, xl need it); what fails is recorded in
# manifest.json and the rest goes on. It does not redact: see docs/bundles.md.
#
# XENREADY_ROOT (tests): a prefix for the files it copies (/etc/fstab is read as $XENREADY_ROOT/etc/fstab).
# Commands always run as found in PATH. POSIX sh: checked with `shellcheck -s sh`, run under dash in CI.

set -u
LC_ALL=C
LANG=C
export LC_ALL LANG

root=${XENREADY_ROOT:-}
timeout_s=10
output=
dir=
quiet=

usage() {
  echo "usage: sh xenready-collect.sh [-o FILE.tar.gz | -d DIR] [-t SECONDS] [-q]" >&2
  exit 2
}

while getopts o:d:t:qh opt; do
  case $opt in
    o) output=$OPTARG ;;
    d) dir=$OPTARG ;;
    t) timeout_s=$OPTARG ;;
    q) quiet=1 ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || usage
case $timeout_s in '' | *[!0-9]* | 0) echo "xenready-collect: -t needs a whole number of seconds" >&2; exit 2 ;; esac
if [ -n "$output" ] && [ -n "$dir" ]; then echo "xenready-collect: -o and -d cannot be used together" >&2; exit 2; fi
case $output in '' | *.tar.gz | *.tgz) ;; *) echo "xenready-collect: -o $output: a bundle name ends in .tar.gz or .tgz" >&2; exit 2 ;; esac

host=$(hostname 2>/dev/null || uname -n)
host=$(printf '%s' "${host%%.*}" | tr -cd 'A-Za-z0-9-')
base="xenready-${host:-host}-$(date +%Y%m%d-%H%M%S)"
[ -n "$output" ] || output="$base.tar.gz"
top=$(basename "$output")
top=${top%.tar.gz}
top=${top%.tgz}

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
dump=$work/$top
mkdir -p "$dump"
umask 022
entries=$work/entries

progress() {
  [ -n "$quiet" ] || [ ! -t 2 ] || [ -n "${CI:-}" ] || echo "$*" >&2
}

# JSON string: control characters dropped, then backslash, quote, tab and newline escaped.
json_str() {
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

# One manifest entry: name kind(argv|path) exit(number|null) duration_s timed_out error stderr_file saved_file -- argv...
entry() {
  e_name=$1 e_kind=$2 e_exit=$3 e_secs=$4 e_timed=$5 e_error=$6 e_stderr=$7 e_saved=$8
  shift 9
  e_first=yes
  [ ! -s "$entries" ] || e_first=
  {
    [ -n "$e_first" ] || printf ',\n'
    printf '    {"name": %s, ' "$(json_str "$e_name")"
    if [ "$e_kind" = argv ]; then
      printf '"argv": ['
      sep=
      for a in "$@"; do printf '%s%s' "$sep" "$(json_str "$a")"; sep=', '; done
      printf '], '
    else
      printf '"path": %s, ' "$(json_str "$1")"
    fi
    printf '"exitCode": %s, "signal": null, "durationMs": %s, "timedOut": %s' "$e_exit" "$((e_secs * 1000))" "$e_timed"
    [ -z "$e_error" ] || printf ', "error": %s' "$(json_str "$e_error")"
    if [ -n "$e_stderr" ] && [ -s "$e_stderr" ]; then
      printf ', "stderrHead": %s' "$(json_str "$(dd if="$e_stderr" bs=512 count=1 2>/dev/null; echo x)")" | sed 's/x"$/"/'
    fi
    if [ -n "$e_saved" ]; then
      h=$(sha256_of "$e_saved")
      [ -z "$h" ] || printf ', "sha256": "%s"' "$h"
      printf ', "bytes": %s' "$(bytes_of "$e_saved")"
    fi
    printf '}'
  } >>"$entries"
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

# The same rules as collect() in src/probes/collect.ts: what is saved, and what the manifest says.
run_spec() {
  rs_merge=$1 rs_name=$2
  shift 2
  rs_file=$dump/$rs_name
  rs_out=$work/out rs_err=$work/err
  : >"$rs_err"
  if ! command -v "$1" >/dev/null 2>&1; then
    entry "$rs_name" argv null 0 false "not found: $1" "" "" -- "$@"
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
  entry "$rs_name" argv "$rs_exit" "$rs_secs" "$rs_timed" "$rs_error" "$rs_err" "$rs_saved" -- "$@"
  if [ -n "$rs_error" ]; then progress "✗ $*: $rs_error"; else progress "✓ $*: done (${rs_secs} s)"; fi
}

run() { run_spec '' "$@"; }
run_merge() { run_spec merge "$@"; }

copy() {
  cp_name=$1 cp_path=$2
  cp_src=$root$cp_path
  cp_file=$dump/$cp_name
  if [ ! -e "$cp_src" ]; then
    entry "$cp_name" path null 0 false "no such file $cp_path" "" "" -- "$cp_path"
  elif [ ! -r "$cp_src" ]; then
    entry "$cp_name" path null 0 false 'permission denied (run as root)' "" "" -- "$cp_path"
  else
    mkdir -p "${cp_file%/*}"
    if cat "$cp_src" >"$cp_file" 2>/dev/null; then
      entry "$cp_name" path null 0 false "" "" "$cp_file" -- "$cp_path"
    else
      rm -f "$cp_file"
      entry "$cp_name" path null 0 false 'failed' "" "" -- "$cp_path"
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

# Instance lists, the sh equivalents of the plugins' `expand` regexes (SH_EXTRACTORS in src/probes/collect-sh.ts).
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

progress "collecting into ${dir:-$output}"

# BEGIN GENERATED COMMANDS (from the plugins' evidence specs: test/unit/probes/collect-sh.test.ts; do not edit by hand)
run uname.txt uname -a
run mount.txt mount
copy files/etc/fstab /etc/fstab
run sysctl.txt sysctl hw.machine hw.machine_arch hw.model hw.ncpu hw.physmem64 hw.disknames kern.ostype kern.osrelease
copy dmesg.boot /var/run/dmesg.boot
run cpuctl-identify.txt cpuctl identify 0
run xl-info.txt xl info
run xm-info.txt xm info
run pkg_info.txt pkg_info
copy files/etc/rc.conf /etc/rc.conf
run xl-dmesg.txt xl dmesg
copy files/grub/menu.lst /grub/menu.lst
copy files/boot/grub/menu.lst /boot/grub/menu.lst
copy files/boot.cfg /boot.cfg
run xl-pci-assignable-list.txt xl pci-assignable-list
run_merge ls-kern-xen-pci.txt ls -l /kern/xen/pci
run ls-usr-pkg-etc-xen.txt ls -1 /usr/pkg/etc/xen
run ls-etc.txt ls -1 /etc
run ifconfig-l.txt ifconfig -l
copy files/etc/ttys /etc/ttys
copy files/etc/wscons.conf /etc/wscons.conf
run_merge ls-paths.txt ls -ld /dev/xencons /dev/xenevt /dev/xsd_kva /etc/ifconfig.bridge0 /etc/rc.d/xenbackendd /etc/rc.d/xencommons /etc/rc.d/xend /etc/rc.d/xendomains /kern/xen /kern/xen/privcmd /kern/xen/xsd_port /netbsd /netbsd-GENERIC /netbsd-GENERIC.gz /netbsd-XEN3PAE_DOM0 /netbsd-XEN3PAE_DOM0.gz /netbsd-XEN3_DOM0 /netbsd-XEN3_DOM0.gz /netbsd.GENERIC /netbsd.backup /netbsd.gz /netbsd.old /onetbsd /sys/firmware/acpi/tables/DMAR /sys/firmware/acpi/tables/IVRS /usr/pkg/etc/xen /usr/pkg/etc/xen/scripts/vif-bridge /usr/pkg/etc/xen/vif-bridge /usr/pkg/share/examples/rc.d/xenbackendd /usr/pkg/share/examples/rc.d/xencommons /usr/pkg/share/examples/rc.d/xend /usr/pkg/share/examples/rc.d/xendomains /xen-debug.gz /xen.gz
run_each 'disklabel-{disk}.txt' disks_from_sysctl disklabel '{disk}'
run_each 'dumpfs-{partition}.txt' ffs_partitions_from_mount dumpfs -s '/dev/r{partition}'
run_each 'pcictl-{bus}.txt' pci_buses_from_dmesg pcictl '{bus}' list
copy_each 'files/usr/pkg/etc/xen/{domu}' names_from_ls_usr_pkg_etc_xen '/usr/pkg/etc/xen/{domu}'
copy_each 'files/etc/ifconfig.{if}' interfaces_from_ls_etc '/etc/ifconfig.{if}'
# END GENERATED COMMANDS

os=$(uname -s 2>/dev/null | tr '[:upper:]' '[:lower:]')
{
  printf '{\n  "schemaVersion": 1,\n  "tool": "xenready-collect.sh",\n  "toolVersion": "1",\n'
  printf '  "created": "%s",\n  "os": %s,\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(json_str "$os")"
  printf '  "redaction": {"enabled": false, "counts": {}},\n  "entries": [\n'
  [ ! -s "$entries" ] || cat "$entries"
  printf '\n  ]\n}\n'
} >"$dump/manifest.json"

if [ -n "$dir" ]; then
  # An empty directory is replaced; anything else is never merged into.
  if [ -e "$dir" ] && ! rmdir "$dir" 2>/dev/null; then
    echo "xenready-collect: $dir already exists and is not an empty directory" >&2
    exit 2
  fi
  parent=$(dirname "$dir")
  tmp="$parent/.$(basename "$dir").tmp-$$"
  temps="$temps $tmp"
  cp -R "$dump" "$tmp" && mv "$tmp" "$dir" || exit 1
  echo "$dir: $(find "$dir" -type f | wc -l | tr -d ' ') files"
else
  parent=$(dirname "$output")
  tmp="$parent/.$(basename "$output").tmp-$$"
  temps="$temps $tmp"
  (cd "$work" && tar -cf - "$top") | gzip -9 -c >"$tmp" && mv "$tmp" "$output" || exit 1
  echo "$output ($(bytes_of "$output") bytes)"
fi
