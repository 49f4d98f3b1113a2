#!/bin/bash
# NAME
#   test_report.sh - ndr why, ndr search and ndr report as a user meets them
# SYNOPSIS
#   test_report.sh PATH-TO-NDR      (meson test --suite query runs it)
# DESCRIPTION
#   Ingests all of corpus/ into a temporary database, then checks: ndr why for an address
#   (a deferral and its failure told as one story), a domain, a Message-ID, English and
#   German, --json; nothing found (status 1, what was searched and what is stored); the
#   hostile bounce corpus/broken-escapes-markup.eml printed without a terminal escape;
#   ndr search with highlights, --json, and a query FTS5 refuses (status 2, no crash);
#   ndr report in every format: CSV cells defused, HTML without script or external asset,
#   a MIME mail with both alternatives; usage errors (status 2).
# TRUST
#   The corpus is ours, with example domains and documentation addresses.
set -u

ndr=${1:?usage: test_report.sh PATH-TO-NDR}
root=${NDR_SOURCE_ROOT:?NDR_SOURCE_ROOT is not set}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
checks=0
rc=0
db=$tmp/q.db
unset NDR_DB
export LANG=C

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

# run ARGS... - run ndr with the test database; stdout in $tmp/out, stderr in $tmp/err
run () {
  "$ndr" "$1" --db "$db" "${@:2}" >"$tmp/out" 2>"$tmp/err"
  rc=$?
}

has () { grep -q -- "$1" "$tmp/out"; }
no_escape () { ! grep -q $'\x1b' "$tmp/out" && ! grep -q $'\x07' "$tmp/out"; }

"$ndr" ingest --quiet --db "$db" "$root"/corpus/*.eml >/dev/null 2>&1
check "ingest the corpus" test -s "$db"

run why carol@example.org
check "why ADDRESS: found" test "$rc" = 0
check "why ADDRESS: one story of a deferral and a failure" has "delayed (4.2.2) -> failed (5.2.2)"
check "why ADDRESS: category in words" has "mailbox-full: the recipient's mailbox has no room left"
check "why ADDRESS: who acts" has "Who acts: the recipient"
check "why ADDRESS: what to do" has "What to do:"
check "why ADDRESS: evidence with its source" has "\[dsn-diagnostic\] 552 5.2.2"

run why --lang de jonas.weber@example.net
check "why --lang de: misleading code named" has "statt des irreführenden 5.1.1"
check "why --lang de: German hint" has "Was geschah:"

run why @EXAMPLE.org --limit 3
check "why @DOMAIN" test "$rc" = 0
check "why @DOMAIN: more not shown" has "more not shown"

run why '<5b3e7c1a-0f2d-4c8e-a1b9-77d0e4f3a210@example.com>'
check "why <MESSAGE-ID>" has "Holiday photos"

run why 5b3e7c1a-0f2d-4c8e-a1b9-77d0e4f3a210@example.com --json
check "why MESSAGE-ID --json" has '"searched":"message-id"'

run why nobody@example.com
check "why: nothing found is status 1" test "$rc" = 1
check "why: says what was searched" has "Searched: recipient addresses"
check "why: says what is stored" has "The database holds"

run why --since 2026-03-12 carol@example.org
check "why --since DAY: the deferral before it is left out" bash -c "! grep -q 'delayed' '$tmp/out'"
check "why --since DAY: the failure after it is shown" has "5.2.2"

run why --since 30x carol@example.org
check "why --since bad: status 2" test "$rc" = 2
run why
check "why without a target: status 2" test "$rc" = 2

run why @example.net --limit 100
check "why of the hostile bounce: no terminal escape" no_escape
run why @example.net --limit 100 --json
check "why --json of the hostile bounce: no raw escape" no_escape
if command -v python3 >/dev/null; then
  check "why --json is valid JSON" bash -c "python3 -m json.tool '$tmp/out' >/dev/null"
fi

run search mailbox full
check "search: hits" test "$rc" = 0
check "search: highlighted" has "\[Mailbox\]"
run search --json SUM
check "search --json: snippet pieces" has '"hit":true'
check "search --json of the hostile bounce: no raw escape" no_escape
run search '"unbalanced'
check "search: a query FTS5 refuses is status 2" test "$rc" = 2
check "search: and says why" grep -q "search query was refused" "$tmp/err"
run search nosuchwordanywhere
check "search: nothing is status 1" test "$rc" = 1

run report --since 30d --until 2026-04-01
check "report text" test "$rc" = 0
check "report text: top cause" has "user-unknown"
check "report text: who acts" has "Who acts"
run report --since 30d --until 2026-04-01 --format csv
check "report csv: header" has "^from,to,category,count,previous"
check "report csv: no formula cell" bash -c "! grep -q ',\"[=+@-]' '$tmp/out'"
run report --since 30d --until 2026-04-01 --format json
check "report json" has '"causes":\[{"category":'
run report --since 30d --until 2026-04-01 --format html --lang de
check "report html: one document" has "^<!DOCTYPE html>"
check "report html: inline svg" has "<svg"
check "report html: no script, no external asset" \
  bash -c "! grep -Eqi '<script|src=|href=|@import|url\(' '$tmp/out'"
check "report html: German" has "Bounce-Bericht"
run report --since 7d --until 2026-04-01 --format email --to postmaster@example.com
check "report email: MIME" has "^MIME-Version: 1.0"
check "report email: alternatives" has "multipart/alternative"
check "report email: text and html" bash -c "grep -q text/plain '$tmp/out' && grep -q text/html '$tmp/out'"
check "report email: To" has "^To: postmaster@example.com"
run report --format email
check "report email without --to: status 2" test "$rc" = 2
run report --since 0d
check "report --since 0d: status 2" test "$rc" = 2
run report --format pdf
check "report --format pdf: status 2" test "$rc" = 2

echo "1..$checks"
[ "$failures" = 0 ]
