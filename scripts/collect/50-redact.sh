# The redaction of `xenready collect` (Redactor, redactFiles and dumpContents in src/evidence/), in one
# POSIX awk program: test/unit/evidence/collect-sh-redact.test.ts runs it against the TypeScript.
redact_awk() {
  cat <<'REDACT_AWK'
#@include redact.awk
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

