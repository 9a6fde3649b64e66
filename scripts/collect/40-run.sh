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

