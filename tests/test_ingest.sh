#!/bin/bash
# NAME
#   test_ingest.sh - ndr ingest and ndr reclassify as a user meets them
# SYNOPSIS
#   test_ingest.sh PATH-TO-NDR      (meson test --suite store runs it)
# DESCRIPTION
#   Runs ndr ingest on messages written here, in a temporary folder: where the database goes
#   (--db, $NDR_DB, $XDG_DATA_HOME) and its modes, the summary line, a second run that adds
#   nothing, standard input with CRLF and an mbox holding the same messages, an unreadable
#   path (status 1), --quiet, no progress line when stderr is not a terminal, a file that is
#   not a database (status 3, nothing written), the quarantine listed and exported byte for
#   byte, reclassify, and usage errors (status 2).
# TRUST
#   The messages are ours, with example domains and documentation addresses.
set -u

ndr=${1:?usage: test_ingest.sh PATH-TO-NDR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
checks=0
rc=0
unset NDR_DB
export XDG_DATA_HOME=$tmp/xdg XDG_CONFIG_HOME=$tmp/config

# check NAME COMMAND... - run a test command; report ok or not ok
check () {
  local name=$1
  shift
  checks=$((checks + 1))
  if "$@"; then
    echo "ok $checks - $name"
  else
    echo "not ok $checks - $name"
    echo "#   rc: $rc; out: $(head -c 300 "$tmp/out" 2>/dev/null)"
    echo "#   err: $(head -c 300 "$tmp/err" 2>/dev/null)"
    failures=$((failures + 1))
  fi
}

# run ARGS... - run ndr with stdin from /dev/null unless redirected; status in $rc
run () {
  "$ndr" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
  rc=$?
}

status_is () { [ "$rc" -eq "$1" ]; }
out_is () { [ "$(cat "$tmp/out")" = "$1" ]; }
out_has () { grep -q -- "$1" "$tmp/out"; }
err_has () { grep -q -- "$1" "$tmp/err"; }
err_empty () { [ ! -s "$tmp/err" ]; }
out_empty () { [ ! -s "$tmp/out" ]; }
mode_is () { [ "$(stat -c %a "$1")" = "$2" ]; }

# dsn N - an RFC 3464 report about userN@example.org
dsn () {
  cat <<EOF
From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: sender@example.com
Subject: Undelivered Mail Returned to Sender
Date: Mon, 2 Mar 2026 10:0$1:00 +0000
Message-ID: <dsn-$1@mx.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: text/plain

Your message could not be delivered.

--b
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; user$1@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <user$1@example.org>: user unknown

--b--
EOF
}

mkdir -p "$tmp/in"
for i in 1 2 3; do dsn $i >"$tmp/in/m$i.eml"; done
printf 'no header block here\n' >"$tmp/in/junk.eml"

run ingest "$tmp/in"
db=$tmp/xdg/ndr/ndr.db
check "default database under XDG_DATA_HOME" test -f "$db"
check "its folder is 0700" mode_is "$tmp/xdg/ndr" 700
check "the file is 0600" mode_is "$db" 600
check "first run: status 0" status_is 0
check "first run: summary" out_is "3 new, 0 already stored, 1 quarantined, 0 failed"
check "no progress line when stderr is no terminal" err_empty

run ingest "$tmp/in"
check "second run: nothing new" out_is "0 new, 4 already stored, 0 quarantined, 0 failed"

sed 's/$/\r/' "$tmp/in/m1.eml" >"$tmp/crlf.eml"
"$ndr" ingest - <"$tmp/crlf.eml" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "standard input, CRLF: the same message" \
  out_is "0 new, 1 already stored, 0 quarantined, 0 failed"

{ echo "From MAILER-DAEMON Mon Mar  2 10:00:00 2026"; cat "$tmp/in/m3.eml"; echo; \
  echo "From MAILER-DAEMON Mon Mar  2 10:00:00 2026"; cat "$tmp/in/m2.eml"; echo; } >"$tmp/box"
run ingest "$tmp/box"
check "an mbox of the same messages: nothing new" \
  out_is "0 new, 2 already stored, 0 quarantined, 0 failed"

run ingest --db "$tmp/opt.db" "$tmp/in/m1.eml" "$tmp/missing.eml"
check "--db wins" test -f "$tmp/opt.db"
check "an unreadable path: status 1" status_is 1
check "an unreadable path: named on stderr" err_has "missing.eml"
check "an unreadable path: counted" out_is "1 new, 0 already stored, 0 quarantined, 1 failed"

NDR_DB=$tmp/env.db run ingest --quiet "$tmp/in/m2.eml"
check "\$NDR_DB is used" test -f "$tmp/env.db"
check "--quiet prints nothing" out_empty

run ingest --db "$tmp/env.db" -v "$tmp/in/m2.eml"
check "--verbose names the database" out_has "database $tmp/env.db"

head -c 20000 /dev/zero | tr '\0' 'x' >"$tmp/junk.db"
cp "$tmp/junk.db" "$tmp/junk.orig"
run ingest --db "$tmp/junk.db" "$tmp/in"
check "not a database: status 3" status_is 3
check "not a database: said so" err_has "corrupt or not a database"
check "not a database: left alone" cmp -s "$tmp/junk.db" "$tmp/junk.orig"

run ingest --quarantine
check "--quarantine lists the junk" out_has "junk.eml"
check "--quarantine gives the reason" out_has "not a MIME message"
run ingest --export-quarantine "$tmp/q"
check "--export-quarantine: status 0" status_is 0
check "--export-quarantine: the bytes as they came" cmp -s "$tmp/q/"*.eml "$tmp/in/junk.eml"

run reclassify
check "reclassify: status 0" status_is 0
check "reclassify: summary" \
  out_has "^3 messages re-decided, 0 recipients changed category, 0 no longer parse, 0 left"

run ingest --jobs -1 "$tmp/in"
check "--jobs -1: usage" status_is 2
run ingest --quiet --verbose "$tmp/in"
check "--quiet --verbose: usage" status_is 2
run reclassify "$tmp/in"
check "reclassify PATH: usage" status_is 2

echo "1..$checks"
[ "$failures" -eq 0 ]
