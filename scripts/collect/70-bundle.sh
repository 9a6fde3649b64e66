
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
