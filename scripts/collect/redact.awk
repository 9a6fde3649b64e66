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
