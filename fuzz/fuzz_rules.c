/*
 * NAME
 *   fuzz_rules.c - libFuzzer target: loading one rule file
 * DESCRIPTION
 *   The input is written to an anonymous in-memory file (memfd) and read through
 *   ndr_rules_add_file() as /proc/self/fd/N into an empty rule set (no built-in or system
 *   rules). When the file loads, every rule is listed with ndr_rules_info() and the set
 *   classifies a small fixed bounce, so that the patterns the input compiled also run.
 *   Seeds: the .rules files of tests/data/rules/ and rules/.
 * TRUST
 *   The input is hostile by design; classify.h calls rule files the user's configuration,
 *   which must be refused, never crash.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "classify.h"

/* A short DSN with evidence of every source, for the loaded rules to match against. */
static const char sample[] =
  "From: MAILER-DAEMON@mx.example.com\n"
  "To: sender@example.org\n"
  "Subject: Undelivered Mail Returned to Sender\n"
  "MIME-Version: 1.0\n"
  "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n"
  "\n"
  "--b\n"
  "Content-Type: text/plain\n"
  "\n"
  "<user@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1 <user@example.net>:\n"
  "    Recipient address rejected: User unknown in virtual mailbox table\n"
  "--b\n"
  "Content-Type: message/delivery-status\n"
  "\n"
  "Reporting-MTA: dns; mx.example.com\n"
  "\n"
  "Final-Recipient: rfc822; user@example.net\n"
  "Action: failed\n"
  "Status: 5.1.1\n"
  "Diagnostic-Code: smtp; 550 5.1.1 User unknown\n"
  "--b--\n";

/* LLVMFuzzerInitialize - once per process */
int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  ndr_fuzz_init ();
  return 0;
}

/* as_file - the input as an in-memory file; its descriptor, or -1 */
static int
as_file (const uint8_t *data, size_t size)
{
  int fd = memfd_create ("ndr-fuzz-rules", 0);
  if (fd < 0)
    return -1;
  size_t done = 0;
  while (done < size) {
    ssize_t n = write (fd, data + done, size - done);
    if (n <= 0) {
      close (fd);
      return -1;
    }
    done += (size_t) n;
  }
  return fd;
}

/* use - list the rules of a loaded set and classify the sample with them */
static void
use (const NdrRuleSet *rules)
{
  guint n = ndr_rules_count (rules);
  for (guint i = 0; i < n; i++) {
    NdrRuleInfo info;
    if (!ndr_rules_info (rules, i, &info))
      abort ();
  }
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(NdrMessage) msg = ndr_parse_bytes (sample, sizeof sample - 1, "sample", &limits);
  for (guint i = 0; i < msg->recipients->len; i++) {       /* before classify, as documented */
    GPtrArray *trace = ndr_classify_trace (rules, msg, g_ptr_array_index (msg->recipients, i));
    g_ptr_array_unref (trace);
  }
  ndr_classify_message (rules, msg, "de");
  ndr_fuzz_check (msg, &limits);
}

/* LLVMFuzzerTestOneInput - load one rule file; use it when it loads */
int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  int fd = as_file (data, size);
  if (fd < 0)
    abort ();                                       /* the harness, not ndr, failed */
  char path[64];
  snprintf (path, sizeof path, "/proc/self/fd/%d", fd);
  g_autoptr(GError) error = NULL;
  g_autoptr(NdrRuleSet) rules = ndr_rules_load (NULL, NDR_RULES_NO_SYSTEM | NDR_RULES_NO_BUILTIN,
                                                &error);
  if (rules == NULL)
    abort ();                                       /* an empty set cannot fail */
  gboolean ok = ndr_rules_add_file (rules, path, &error);
  close (fd);
  if (ok)
    use (rules);
  else if (error == NULL)
    abort ();                                       /* refused without saying why */
  return 0;
}
