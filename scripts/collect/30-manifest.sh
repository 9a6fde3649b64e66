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

