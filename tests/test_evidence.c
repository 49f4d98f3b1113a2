/*
 * NAME
 *   test_evidence.c - status and reply codes found on a line, and what is not a code
 * DESCRIPTION
 *   ndr_evidence_parse_line() over lines that hold codes in the places MTAs write them, and
 *   over lines whose numbers only look like codes: IP addresses, dates, versions, sizes.
 *   ndr_evidence_scan() stops at a quoted original and respects max_line and max_evidence.
 * TRUST
 *   Test data only.
 */
#include "parser_priv.h"

typedef struct {
  const char *line;
  const char *status;   /* "" for none */
  int         reply;
} Case;

static const Case found[] = {
  { "550 5.1.1 <bob@example.net>: Recipient address rejected", "5.1.1", 550 },
  { "550-5.7.1 Service unavailable", "5.7.1", 550 },
  { "  451 4.7.500 Server busy. Please try again later", "4.7.500", 451 },
  { "Remote Server returned '550 5.7.511 Access denied, banned sender'", "5.7.511", 550 },
  { "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##", "5.1.1", 550 },
  { "#550 RESOLVER.ADR.RecipNotFound", "", 550 },
  { "host mx.example.net[192.0.2.55] said: 554 5.4.6 Hop count exceeded", "5.4.6", 554 },
  { "host mx.example.net[192.0.2.55] said: 552 Mailbox full (in reply to RCPT TO)", "", 552 },
  { "Status: 4.4.7", "4.4.7", 0 },
  { "Diagnostic-Code: smtp; 450 4.7.25 Client host rejected", "4.7.25", 450 },
  { "The error was 5.2.2.", "5.2.2", 0 },
  { "(reason: 550 5.1.1 unknown user)", "5.1.1", 550 },
  { "Sorry, I couldn't find a mailbox (#5.1.1)", "5.1.1", 0 },
  { "250 2.0.0 Ok: queued as 1A2B3C", "2.0.0", 250 },
  { "Die Zustellung ist fehlgeschlagen: 5.1.10", "5.1.10", 0 },
  { "at 2001:db8::25 said: 450 4.2.1 try later", "4.2.1", 450 },
  { "220-mx.example.net 421 4.2.1 Service refused, try later", "4.2.1", 421 },
  { "554 <x@example.org>... 550 Host unknown", "", 554 },
  { "  <kim@example.org>: 550 unknown user", "", 550 },
  { "kim@example.org: 552 5.2.2 Mailbox full", "5.2.2", 552 },
};

static const Case not_found[] = {
  { "Received: from [192.0.2.55] by mx.example.net", "", 0 },
  { "connect to 198.51.100.5.4.4 failed", "", 0 },
  { "relay 10.5.1.1 refused", "", 0 },
  { "Date: 2.12.2024 10:15", "", 0 },
  { "Postfix version 2.4.6 says hello", "", 0 },
  { "running Exim 4.96.1 here", "", 0 },
  { "program v5.1.1 crashed", "", 0 },
  { "The message of 550 bytes was too big", "", 0 },
  { "Your order 550 ships on Monday", "", 0 },
  { "In 2024 we sent 250,000 messages", "", 0 },
  { "at 12:50 the queue was flushed", "", 0 },
  { "Room 4.2 gets its desks", "", 0 },
  { "Item 5.1.1a is a heading", "", 0 },
  { "price: 4.50 EUR", "", 0 },
  { "by mx.example.net (mxl_mta-5.5.0-3) with ESMTP id", "", 0 },
  { "Note: 550 is the code we use", "", 0 },
};

/* check - one case: the codes parse_line finds are the expected ones */
static void
check (const Case *c)
{
  char status[16];
  int reply = -1;
  gboolean any = ndr_evidence_parse_line (c->line, status, &reply);
  g_test_message ("%s", c->line);
  g_assert_cmpstr (status, ==, c->status);
  g_assert_cmpint (reply, ==, c->reply);
  g_assert_true (any == (c->status[0] != '\0' || c->reply != 0));
}

static void
test_found (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (found); i++)
    check (&found[i]);
}

static void
test_not_found (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (not_found); i++)
    check (&not_found[i]);
}

static void
test_scan_stops_at_original (void)
{
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(GPtrArray) evs = g_ptr_array_new_with_free_func ((GDestroyNotify) ndr_evidence_free);
  const char *text =
    "This is the mail system at host mx.example.com.\r\n"
    "<bob@example.net>: host mx.example.net said: 550 5.1.1 unknown user\r\n"
    "> 552 5.2.2 a quoted reply is not ours\r\n"
    "\r\n"
    "------ This is a copy of the message, including all the headers. ------\r\n"
    "Subject: 554 5.7.1 in the original\r\n";
  guint n = ndr_evidence_scan (evs, NDR_SOURCE_BODY, text, TRUE, &limits);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (evs->len, ==, 1);
  NdrEvidence *ev = g_ptr_array_index (evs, 0);
  g_assert_cmpint (ev->source, ==, NDR_SOURCE_BODY);
  g_assert_cmpstr (ev->status, ==, "5.1.1");
  g_assert_cmpint (ev->reply_code, ==, 550);
  g_assert_cmpstr (ev->text, ==, "<bob@example.net>: host mx.example.net said: 550 5.1.1 unknown user");

  g_ptr_array_set_size (evs, 0);
  n = ndr_evidence_scan (evs, NDR_SOURCE_BODY, text, FALSE, &limits);
  g_assert_cmpuint (n, ==, 3);                      /* without the stop: all three */
}

static void
test_original_markers (void)
{
  const char *starts[] = {
    "------ This is a copy of the message, including all the headers. ------",
    "--- Below this line is a copy of the message.",
    "Original message headers:",
    "----- Original message -----",
    "-----Original Message-----",
    "-------- Original-Nachricht --------",
    "----- Ursprüngliche Nachricht -----",
    "Kopie der Nachricht:",
    "   ----- Unsent message follows -----",
  };
  const char *not_starts[] = {
    "The original message was received at Mon, 9 Mar 2026 10:00:00 +0100",
    "   ----- Transcript of session follows -----",
    "----- The following addresses had permanent fatal errors -----",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (starts); i++)
    g_assert_true (ndr_evidence_starts_original (starts[i], strlen (starts[i])));
  for (gsize i = 0; i < G_N_ELEMENTS (not_starts); i++)
    g_assert_false (ndr_evidence_starts_original (not_starts[i], strlen (not_starts[i])));
}

static void
test_scan_limits (void)
{
  NdrLimits limits;
  ndr_limits_init (&limits);
  limits.max_line = 12;
  limits.max_evidence = 2;
  g_autoptr(GPtrArray) evs = g_ptr_array_new_with_free_func ((GDestroyNotify) ndr_evidence_free);
  const char *text = "550 5.1.1 first line is long\n451 4.2.2 second\n552 5.2.2 third\n";
  guint n = ndr_evidence_scan (evs, NDR_SOURCE_BODY, text, TRUE, &limits);
  g_assert_cmpuint (n, ==, 2);                      /* max_evidence */
  NdrEvidence *ev = g_ptr_array_index (evs, 0);
  g_assert_cmpstr (ev->text, ==, "550 5.1.1 fi");   /* max_line */
  ev = g_ptr_array_index (evs, 1);
  g_assert_cmpstr (ev->status, ==, "4.2.2");
  ndr_evidence_add (evs, NDR_SOURCE_BODY, "5.0.0", 0, "x", &limits);
  g_assert_cmpuint (evs->len, ==, 2);               /* add respects max_evidence too */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/evidence/found", test_found);
  g_test_add_func ("/evidence/not-found", test_not_found);
  g_test_add_func ("/evidence/scan-stops-at-original", test_scan_stops_at_original);
  g_test_add_func ("/evidence/original-markers", test_original_markers);
  g_test_add_func ("/evidence/scan-limits", test_scan_limits);
  return g_test_run ();
}
