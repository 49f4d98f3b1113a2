/*
 * NAME
 *   test_dsn.c - the fields of a message/delivery-status part
 * DESCRIPTION
 *   ndr_dsn_parse() on per-message and per-recipient groups: every field, folded lines, odd
 *   casing, CRLF and LF, a missing blank line, a recipient named twice, the recipient limit,
 *   and the evidence it adds (dsn-status, dsn-diagnostic).
 * TRUST
 *   Test data only.
 */
#include "parser_priv.h"

static NdrLimits limits;

static NdrRecipient *
rcpt (NdrMessage *msg, guint i)
{
  g_assert_cmpuint (i, <, msg->recipients->len);
  return g_ptr_array_index (msg->recipients, i);
}

static void
test_fields (void)
{
  g_autoptr(NdrMessage) msg = ndr_message_new ("t");
  ndr_dsn_parse (msg,
    "Reporting-MTA: dns; mx.example.com\r\n"
    "X-Postfix-Queue-ID: 4AbC\r\n"
    "Arrival-Date: Mon, 9 Mar 2026 10:00:00 +0100\r\n"
    "\r\n"
    "Original-Recipient: rfc822;Bob@Example.NET\r\n"
    "Final-Recipient: rfc822; <bob@example.net>\r\n"
    "Action: Failed\r\n"
    "Status: 5.1.1\r\n"
    "Remote-MTA: dns; mx.example.net\r\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <bob@example.net>: Recipient address\r\n"
    "    rejected: User unknown\r\n"
    "Last-Attempt-Date: Mon, 9 Mar 2026 10:00:05 +0100\r\n"
    "Will-Retry-Until: Tue, 10 Mar 2026 10:00:00 +0100\r\n"
    "X-Display-Name: Bob Example\r\n", &limits);
  g_assert_cmpstr (msg->reporting_mta, ==, "mx.example.com");
  g_assert_cmpuint (msg->recipients->len, ==, 1);
  NdrRecipient *r = rcpt (msg, 0);
  g_assert_cmpstr (r->address, ==, "bob@example.net");
  g_assert_cmpstr (r->original_recipient, ==, "Bob@Example.NET");
  g_assert_cmpstr (r->action, ==, "failed");
  g_assert_cmpstr (r->status, ==, "5.1.1");
  g_assert_cmpint (r->reply_code, ==, 550);
  g_assert_cmpstr (r->remote_mta, ==, "mx.example.net");
  g_assert_cmpstr (r->diagnostic, ==,
                   "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown");
  g_assert_cmpstr (r->last_attempt_date, ==, "Mon, 9 Mar 2026 10:00:05 +0100");
  g_assert_cmpstr (r->will_retry_until, ==, "Tue, 10 Mar 2026 10:00:00 +0100");
  g_assert_cmpstr (r->display_name, ==, "Bob Example");
  g_assert_cmpuint (r->evidence->len, ==, 2);
  NdrEvidence *st = g_ptr_array_index (r->evidence, 0);
  g_assert_cmpint (st->source, ==, NDR_SOURCE_DSN_STATUS);
  g_assert_cmpstr (st->status, ==, "5.1.1");
  g_assert_cmpint (st->reply_code, ==, 0);
  NdrEvidence *dg = g_ptr_array_index (r->evidence, 1);
  g_assert_cmpint (dg->source, ==, NDR_SOURCE_DSN_DIAGNOSTIC);
  g_assert_cmpstr (dg->status, ==, "5.1.1");
  g_assert_cmpint (dg->reply_code, ==, 550);
  g_assert_cmpstr (dg->text, ==, r->diagnostic);
}

static void
test_casing_folding_lf (void)
{
  g_autoptr(NdrMessage) msg = ndr_message_new ("t");
  ndr_dsn_parse (msg,
    "reporting-mta:dns;mta7.example.net\n"
    "\n"
    "FINAL-RECIPIENT: RFC822;\n"
    "\tpeggy@example.org\n"
    "ACTION:   delayed  \n"
    "status: 4.4.1 (persistent transient failure)\n"
    "diagnostic-code: X-Postfix; connect to slow.example.net[198.51.100.77]:25:\n"
    " Connection timed out\n"
    "  \n"
    "final-recipient: rfc822; quinn@example.org\n"
    "action: delivered\n"
    "status: 2.0.0\n", &limits);
  g_assert_cmpstr (msg->reporting_mta, ==, "mta7.example.net");
  g_assert_cmpuint (msg->recipients->len, ==, 2);
  NdrRecipient *r = rcpt (msg, 0);
  g_assert_cmpstr (r->address, ==, "peggy@example.org");
  g_assert_cmpstr (r->action, ==, "delayed");
  g_assert_cmpstr (r->status, ==, "4.4.1");
  g_assert_cmpint (r->reply_code, ==, 0);
  g_assert_cmpstr (r->diagnostic, ==,
                   "connect to slow.example.net[198.51.100.77]:25: Connection timed out");
  g_assert_cmpuint (r->evidence->len, ==, 1);       /* the diagnostic has no code */
  r = rcpt (msg, 1);
  g_assert_cmpstr (r->address, ==, "quinn@example.org");
  g_assert_cmpstr (r->status, ==, "2.0.0");
}

static void
test_missing_blank_line (void)
{
  g_autoptr(NdrMessage) msg = ndr_message_new ("t");
  ndr_dsn_parse (msg,
    "Reporting-MTA: dns; gw.example.net\n"
    "Final-Recipient: rfc822; erin@example.net\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "Final-Recipient: rfc822; frank@example.net\n"
    "Action: failed\n"
    "Status: 5.2.2\n"
    "\n"
    "Final-Recipient: rfc822; ERIN@example.net\n"
    "Action: delayed\n"
    "Status: 4.0.0\n", &limits);
  g_assert_cmpstr (msg->reporting_mta, ==, "gw.example.net");
  g_assert_cmpuint (msg->recipients->len, ==, 2);   /* erin twice: merged, first wins */
  g_assert_cmpstr (rcpt (msg, 0)->status, ==, "5.1.1");
  g_assert_cmpstr (rcpt (msg, 0)->action, ==, "failed");
  g_assert_cmpuint (rcpt (msg, 0)->evidence->len, ==, 2);
  g_assert_cmpstr (rcpt (msg, 1)->address, ==, "frank@example.net");
  g_assert_cmpstr (rcpt (msg, 1)->status, ==, "5.2.2");
}

static void
test_odd_values (void)
{
  g_autoptr(NdrMessage) msg = ndr_message_new ("t");
  ndr_dsn_parse (msg,
    "Final-Recipient: bob@example.net\n"
    "Action: failed\n"
    "Status: failed\n"
    "Diagnostic-Code: smtp;550 Requested action not taken\n"
    "No colon on this line\n"
    "\n"
    "Original-Recipient: rfc822; only-original@example.net\n"
    "Action: failed\n", &limits);
  g_assert_null (msg->reporting_mta);
  g_assert_cmpuint (msg->recipients->len, ==, 2);
  NdrRecipient *r = rcpt (msg, 0);
  g_assert_cmpstr (r->address, ==, "bob@example.net");
  g_assert_null (r->status);                        /* "failed" is no status code */
  g_assert_cmpint (r->reply_code, ==, 550);
  g_assert_cmpstr (r->diagnostic, ==, "550 Requested action not taken");
  g_assert_cmpstr (rcpt (msg, 1)->address, ==, "only-original@example.net");
  ndr_dsn_parse (msg, NULL, &limits);               /* nothing to read: nothing changes */
  g_assert_cmpuint (msg->recipients->len, ==, 2);
}

static void
test_limits (void)
{
  NdrLimits small = limits;
  small.max_recipients = 2;
  small.max_line = 20;
  g_autoptr(GString) dsn = g_string_new ("Reporting-MTA: dns; mx.example.com\n\n");
  for (int i = 0; i < 5; i++)
    g_string_append_printf (dsn, "Final-Recipient: rfc822; u%d@example.net\n"
                            "Action: failed\nStatus: 5.1.1\n"
                            "Diagnostic-Code: smtp; 550 5.1.1 a very long diagnostic text\n\n", i);
  g_autoptr(NdrMessage) msg = ndr_message_new ("t");
  ndr_dsn_parse (msg, dsn->str, &small);
  g_assert_cmpuint (msg->recipients->len, ==, 2);
  g_assert_nonnull (msg->error);
  g_assert_nonnull (strstr (msg->error, "--max-recipients"));
  g_assert_cmpuint (strlen (rcpt (msg, 0)->diagnostic), <=, 20);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ndr_limits_init (&limits);
  g_test_add_func ("/dsn/fields", test_fields);
  g_test_add_func ("/dsn/casing-folding-lf", test_casing_folding_lf);
  g_test_add_func ("/dsn/missing-blank-line", test_missing_blank_line);
  g_test_add_func ("/dsn/odd-values", test_odd_values);
  g_test_add_func ("/dsn/limits", test_limits);
  return g_test_run ();
}
