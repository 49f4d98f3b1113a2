#!/bin/bash
# NAME
#   test_cli.sh - the ndr command as a user meets it: help, version, exit statuses, inputs
# SYNOPSIS
#   test_cli.sh PATH-TO-NDR      (meson test --suite cli runs it)
# DESCRIPTION
#   Runs ndr on messages written here, in a temporary folder, and checks its exit status,
#   stdout and stderr: --help and --version, unknown commands and options (2), an unreadable
#   path among good ones (1, the name on stderr, the others still printed), standard input,
#   terminal escapes cleaned from the text output and from error messages, valid JSON lines,
#   one record for an empty or binary file, a limit option reaching the record, and every
#   --max-* option documented in docs/limits.md.
# TRUST
#   The messages are ours; their hostile parts imitate what strangers send.
set -u

ndr=${1:?usage: test_cli.sh PATH-TO-NDR}
root=${NDR_SOURCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
checks=0
rc=0
esc=$'\e'

# check NAME COMMAND... - run a test command; report ok or not ok
check () {
  local name=$1
  shift
  checks=$((checks + 1))
  if "$@"; then
    echo "ok $checks - $name"
  else
    echo "not ok $checks - $name"
    echo "#   rc: $rc; out: $(head -c 300 "$tmp/out" 2>/dev/null | tr -d '\033')"
    echo "#   err: $(head -c 300 "$tmp/err" 2>/dev/null | tr -d '\033')"
    failures=$((failures + 1))
  fi
}

# run ARGS... - run ndr with stdin from /dev/null unless redirected; status in $rc
run () {
  "$ndr" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
  rc=$?
}

status_is () { [ "$rc" -eq "$1" ]; }
out_has () { grep -q -- "$1" "$tmp/out"; }
err_has () { grep -q -- "$1" "$tmp/err"; }
no_escape () { ! grep -q "$esc" "$tmp/out" && ! grep -q "$esc" "$tmp/err" && ! grep -q $'\a' "$tmp/err"; }
lines_are () { [ "$(wc -l <"$tmp/out")" -eq "$1" ]; }

# A DSN whose Subject and Diagnostic-Code carry terminal escapes (a title change, colours).
dsn () {
  cat <<EOF
From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: sender@example.org
Subject: Undelivered Mail ${esc}]0;owned${esc}\\ Returned ${esc}[31mto Sender${esc}[0m
Date: Mon, 2 Mar 2026 10:00:00 +0000
Message-ID: <dsn-1@mx.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain; charset=us-ascii

The message could not be delivered to <rcpt@example.com>.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; rcpt@example.com
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 ${esc}[2J${esc}[Huser unknown

--b1
Content-Type: text/rfc822-headers

From: sender@example.org
To: rcpt@example.com
Subject: hello
Message-ID: <orig-1@example.org>

--b1--
EOF
}

dsn >"$tmp/good.eml"
cp "$tmp/good.eml" "$tmp/${esc}[31mred.eml"
: >"$tmp/empty.eml"
head -c 3000 /dev/urandom >"$tmp/binary.eml" 2>/dev/null || printf '\001\002\377\376' >"$tmp/binary.eml"

run --help
check "--help exits 0" status_is 0
check "--help lists parse" out_has "^  parse "
check "--help gives the exit statuses" out_has "1  at least one input could not be read"

run --version
check "--version exits 0" status_is 0
check "--version prints a version" out_has "^ndr [0-9][0-9.]*"

run frobnicate
check "unknown command exits 2" status_is 2
check "unknown command is named on stderr" err_has "ndr: 'frobnicate' is not a command"

run
check "no command exits 2" status_is 2

run help parse
check "help parse exits 0" status_is 0
check "help parse shows --json" out_has "--json"
check "help parse shows the limits" out_has "--max-message-size"

run parse --help
check "parse --help exits 0" status_is 0

run help frobnicate
check "help for an unknown command exits 2" status_is 2

run help
check "help alone exits 0" status_is 0
check "help alone lists the commands" out_has "^  parse "

run parse --no-such-option "$tmp/good.eml"
check "unknown option exits 2" status_is 2
check "unknown option prints nothing on stdout" lines_are 0

run parse --max-line 12Q "$tmp/good.eml"
check "bad size exits 2" status_is 2
check "bad size names the option" err_has "max-line"

run parse --format xml "$tmp/good.eml"
check "unknown format exits 2" status_is 2

run parse --json "$tmp/good.eml" "$tmp/missing.eml" "$tmp/good.eml"
check "unreadable input exits 1" status_is 1
check "unreadable input is named on stderr" err_has "^ndr: $tmp/missing.eml: "
check "the other inputs are still printed" lines_are 2
check "json gives the source" out_has "^{\"source\":\"$tmp/good.eml\",\"kind\":\"bounce\""

run parse --json "$tmp/good.eml"
check "json exits 0" status_is 0
check "json keeps the escape, escaped" out_has '\\u001b\[31mto Sender'
if command -v python3 >/dev/null; then
  check "json lines parse" python3 -c 'import json,sys
for line in open(sys.argv[1], encoding="utf-8"): json.loads(line)' "$tmp/out"
fi

run parse --json --no-classify "$tmp/good.eml"
check "--no-classify leaves the category null" out_has '"category":null'

run parse --json "$tmp/good.eml"
check "classification fills the category" out_has '"category":"[a-z]'

run parse --format sisimai "$tmp/good.eml"
check "--format sisimai exits 0" status_is 0
check "--format sisimai gives a line per recipient" lines_are 1

run parse --json --format text "$tmp/good.eml"
check "--json with another --format exits 2" status_is 2

"$ndr" parse --json <"$tmp/good.eml" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "stdin without arguments exits 0" status_is 0
check "stdin is source -" out_has '^{"source":"-",'

"$ndr" parse --json - <"$tmp/good.eml" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "stdin as - is source -" out_has '^{"source":"-",'

{ echo "From MAILER-DAEMON Mon Mar  2 10:00:00 2026"; dsn; echo
  echo "From MAILER-DAEMON Mon Mar  2 10:05:00 2026"; dsn; } >"$tmp/two.mbox"
"$ndr" parse --json <"$tmp/two.mbox" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "an mbox on stdin gives a record per message" lines_are 2
check "an mbox on stdin numbers its messages" out_has '^{"source":"-:2",'

run parse "$tmp/${esc}[31mred.eml"
check "text output exits 0" status_is 0
check "text output has no escape" no_escape
check "text output shows the cleaned name" out_has "/red.eml: bounce"
check "text output shows the recipient" out_has "rcpt@example.com"
check "text output shows the cleaned subject" out_has "subject: Undelivered Mail  Returned to Sender"

run parse "$tmp/${esc}]0;owned"$'\a'"x.eml"
check "unreadable hostile name exits 1" status_is 1
check "error message has no escape" no_escape
check "error message names the file" err_has "x.eml"

run parse --json "$tmp/empty.eml" "$tmp/binary.eml"
check "empty and binary files exit 0" status_is 0
check "empty and binary files give a record each" lines_are 2

{ dsn; for i in $(seq 1 200); do echo "padding line $i of a long message body"; done; } >"$tmp/big.eml"
run parse --json --max-message-size 1k "$tmp/big.eml"
check "a message over --max-message-size gives a record" lines_are 1
check "the record says the message was cut" grep -q '"error":"[^"]' "$tmp/out"

run parse --help
while read -r option; do
  check "docs/limits.md documents $option" grep -q -- "\`$option\`" "$root/docs/limits.md"
done < <(grep -o -- '--max-[a-z-]*' "$tmp/out" | sort -u)

echo "1..$checks"
if [ "$failures" -ne 0 ]; then
  echo "# $failures of $checks checks failed"
  exit 1
fi
