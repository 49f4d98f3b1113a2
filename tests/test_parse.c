/*
 * NAME
 *   test_parse.c - ndr_parse_bytes() end to end, built in memory
 * DESCRIPTION
 *   A plain RFC 3464 report, the kinds (delay, delivered, auto-reply, feedback, a person's
 *   message with a code in it), the original message from message/rfc822, from
 *   text/rfc822-headers and from a quoted original, evidence shared with every recipient,
 *   a recipient from X-Failed-Recipients, the recipients of feedback reports and automatic
 *   replies, the words of a report without codes, delivery-status fields behind a broken
 *   boundary, and the limits: 40-deep MIME nesting, the part count, bytes that are not a
 *   message, empty input.
 * TRUST
 *   Test data only.
 */
#include "parser_priv.h"

#include <string.h>

static NdrLimits limits;

static NdrMessage *
parse (const char *text)
{
  return ndr_parse_bytes (text, strlen (text), "test", &limits);
}

/* report - a multipart/report with the given text part, DSN part and third part */
static char *
report (const char *subject, const char *text, const char *dsn, const char *third)
{
  return g_strdup_printf (
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\n"
    "To: alice@example.com\r\n"
    "Subject: %s\r\n"
    "Date: Tue, 10 Mar 2026 09:15:00 +0100\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n"
    "--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n%s\r\n"
    "--b1\r\nContent-Type: message/delivery-status\r\n\r\n%s\r\n"
    "%s"
    "--b1--\r\n", subject, text, dsn, third);
}

static const char *const original_part =
  "--b1\r\nContent-Type: message/rfc822\r\n\r\n"
  "From: Alice Example <alice@example.com>\r\n"
  "To: bob@example.net\r\n"
  "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n"
  "Date: Tue, 10 Mar 2026 09:14:03 +0100\r\n"
  "Message-ID: <orig-1@example.com>\r\n\r\n"
  "Quoted body: 554 5.7.1 must not count\r\n";

static void
test_rfc3464 (void)
{
  g_autofree char *text = report ("Undelivered Mail Returned to Sender",
    "I'm sorry to have to inform you that your message could not be delivered.\r\n"
    "<bob@example.net>: host mx.example.net[192.0.2.55] said: 550 5.1.1 unknown user",
    "Reporting-MTA: dns; mx.example.com\r\n\r\n"
    "Final-Recipient: rfc822; bob@example.net\r\nAction: failed\r\nStatus: 5.1.1\r\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <bob@example.net>: unknown user\r\n",
    original_part);
  g_autoptr(NdrMessage) msg = parse (text);
  g_assert_null (msg->error);
  g_assert_cmpint (msg->kind, ==, NDR_KIND_BOUNCE);
  g_assert_nonnull (msg->mta);
  g_assert_cmpstr (msg->reporting_mta, ==, "mx.example.com");
  g_assert_cmpstr (msg->subject, ==, "Undelivered Mail Returned to Sender");
  g_assert_cmpstr (msg->date, ==, "Tue, 10 Mar 2026 09:15:00 +0100");
  g_assert_nonnull (strstr (msg->from, "MAILER-DAEMON@mx.example.com"));
  g_assert_cmpstr (msg->original.message_id, ==, "orig-1@example.com");
  g_assert_cmpstr (msg->original.subject, ==, "Grüße");
  g_assert_cmpstr (msg->original.to, ==, "bob@example.net");
  g_assert_cmpstr (msg->original.date, ==, "Tue, 10 Mar 2026 09:14:03 +0100");
  g_assert_nonnull (strstr (msg->original.from, "alice@example.com"));
  g_assert_nonnull (msg->original_headers);
  g_assert_cmpuint (msg->recipients->len, ==, 1);
  NdrRecipient *r = g_ptr_array_index (msg->recipients, 0);
  g_assert_cmpstr (r->address, ==, "bob@example.net");
  g_assert_cmpstr (r->status, ==, "5.1.1");
  g_assert_cmpint (r->reply_code, ==, 550);
  for (guint i = 0; i < r->evidence->len; i++) {
    NdrEvidence *ev = g_ptr_array_index (r->evidence, i);
    g_assert_null (strstr (ev->text, "must not count"));   /* the original is not evidence */
  }
  g_assert_cmpuint (r->evidence->len, >=, 2);
}

static void
test_kinds (void)
{
  const struct { const char *action, *status; NdrKind kind; } rows[] = {
    { "delayed", "4.4.1", NDR_KIND_DELAY },
    { "delivered", "2.0.0", NDR_KIND_DELIVERED },
    { "relayed", "2.0.0", NDR_KIND_DELIVERED },
    { "expanded", "2.0.0", NDR_KIND_DELIVERED },
    { "failed", "5.0.0", NDR_KIND_BOUNCE },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++) {
    g_autofree char *dsn = g_strdup_printf ("Reporting-MTA: dns; mx.example.com\r\n\r\n"
                                            "Final-Recipient: rfc822; bob@example.net\r\n"
                                            "Action: %s\r\nStatus: %s\r\n",
                                            rows[i].action, rows[i].status);
    g_autofree char *text = report ("Delivery Status Notification", "Report.", dsn, "");
    g_autoptr(NdrMessage) msg = parse (text);
    g_assert_cmpint (msg->kind, ==, rows[i].kind);
  }
}

static void
test_auto_reply (void)
{
  g_autoptr(NdrMessage) a = parse ("From: carol@example.net\r\nTo: alice@example.com\r\n"
                                   "Subject: Automatische Antwort: Angebot\r\n\r\n"
                                   "Ich bin bis 5.4. nicht im Büro.\r\n");
  g_assert_cmpint (a->kind, ==, NDR_KIND_AUTO_REPLY);
  g_autoptr(NdrMessage) b = parse ("From: carol@example.net\r\nSubject: Re: plans\r\n"
                                   "Auto-Submitted: auto-replied\r\n\r\nI am away.\r\n");
  g_assert_cmpint (b->kind, ==, NDR_KIND_AUTO_REPLY);
  g_autoptr(NdrMessage) c = parse ("From: carol@example.net\r\nSubject: Re: plans\r\n"
                                   "X-Autoreply: yes\r\n\r\nI am away.\r\n");
  g_assert_cmpint (c->kind, ==, NDR_KIND_AUTO_REPLY);
}

static void
test_feedback (void)
{
  g_autoptr(NdrMessage) msg = parse (
    "From: fbl@example.net\r\nSubject: FW: offer\r\nMIME-Version: 1.0\r\n"
    "Content-Type: multipart/report; report-type=feedback-report; boundary=\"f\"\r\n\r\n"
    "--f\r\nContent-Type: text/plain\r\n\r\nAn abuse report.\r\n"
    "--f\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\n"
    "--f--\r\n");
  g_assert_cmpint (msg->kind, ==, NDR_KIND_FEEDBACK);
}

static void
test_person_not_bounce (void)
{
  g_autoptr(NdrMessage) msg = parse ("From: amy@example.net\r\nSubject: Re: desks\r\n\r\n"
                                     "Room 5.1.1 is done.\r\n550 kg in total.\r\n");
  g_assert_cmpint (msg->kind, ==, NDR_KIND_NONE);
  g_assert_cmpstr (msg->mta, ==, "unknown");
  g_assert_cmpuint (msg->recipients->len, ==, 0);
}

static void
test_failed_recipients_header (void)
{
  g_autoptr(NdrMessage) msg = parse (
    "From: Mail Delivery System <Mailer-Daemon@mx.example.com>\r\n"
    "Subject: Mail delivery failed: returning message to sender\r\n"
    "X-Failed-Recipients: dave@example.net, erin@example.net\r\n\r\n"
    "A message that you sent could not be delivered.\r\n"
    "  SMTP error from remote mail server after RCPT TO:<dave@example.net>:\r\n"
    "  550 5.1.1 No such user\r\n"
    "\r\n"
    "------ This is a copy of the message, including all the headers. ------\r\n"
    "Message-ID: <quoted-7@example.com>\r\n"
    "Subject: Lunch\r\n"
    "\r\n"
    "Meet at 12.\r\n");
  g_assert_cmpint (msg->kind, ==, NDR_KIND_BOUNCE);
  g_assert_cmpuint (msg->recipients->len, >=, 1);
  NdrRecipient *r = g_ptr_array_index (msg->recipients, 0);
  g_assert_nonnull (r->address);
  g_assert_cmpstr (r->status, ==, "5.1.1");
  g_assert_cmpint (r->reply_code, ==, 550);
  g_assert_cmpstr (msg->original.message_id, ==, "quoted-7@example.com");
  g_assert_cmpstr (msg->original.subject, ==, "Lunch");
}

static void
test_rfc822_headers (void)
{
  g_autofree char *text = report ("Undelivered Mail Returned to Sender", "Failed.",
    "Final-Recipient: rfc822; bob@example.net\r\nAction: failed\r\nStatus: 5.2.2\r\n",
    "--b1\r\nContent-Type: text/rfc822-headers\r\n\r\n"
    "Message-Id: <hdrs-only@example.com>\r\nFrom: alice@example.com\r\n"
    "Subject: folded\r\n  subject\r\n\r\n");
  g_autoptr(NdrMessage) msg = parse (text);
  g_assert_cmpstr (msg->original.message_id, ==, "hdrs-only@example.com");
  g_assert_cmpstr (msg->original.subject, ==, "folded  subject");
  g_assert_cmpstr (msg->mta, ==, "rfc3464");
  NdrRecipient *r = g_ptr_array_index (msg->recipients, 0);
  g_assert_cmpstr (r->status, ==, "5.2.2");
}

/* nested - a message with depth multipart/mixed parts inside each other */
static char *
nested (guint depth)
{
  g_autoptr(GString) s = g_string_new ("From: MAILER-DAEMON@example.com\r\n"
                                       "Subject: Undelivered Mail\r\nMIME-Version: 1.0\r\n");
  for (guint i = 0; i < depth; i++)
    g_string_append_printf (s, "Content-Type: multipart/mixed; boundary=\"n%u\"\r\n\r\n"
                            "--n%u\r\n", i, i);
  g_string_append (s, "Content-Type: text/plain\r\n\r\n550 5.1.1 deep\r\n");
  for (guint i = depth; i > 0; i--)
    g_string_append_printf (s, "--n%u--\r\n", i - 1);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
test_depth_limit (void)
{
  g_autofree char *deep = nested (40);
  g_autoptr(NdrMessage) msg = parse (deep);
  g_assert_nonnull (msg->error);
  g_assert_nonnull (strstr (msg->error, "--max-mime-depth"));
  g_assert_nonnull (strstr (msg->error, "32"));
  g_autofree char *shallow = nested (5);
  g_autoptr(NdrMessage) ok = parse (shallow);
  g_assert_null (ok->error);
  g_assert_cmpint (ok->kind, ==, NDR_KIND_BOUNCE);  /* the text was reached */
}

static void
test_parts_limit (void)
{
  NdrLimits small = limits;
  small.max_parts = 3;
  g_autoptr(GString) s = g_string_new ("From: a@example.com\r\nMIME-Version: 1.0\r\n"
                                       "Content-Type: multipart/mixed; boundary=\"p\"\r\n\r\n");
  for (int i = 0; i < 10; i++)
    g_string_append (s, "--p\r\nContent-Type: image/png\r\n\r\nxx\r\n");
  g_string_append (s, "--p--\r\n");
  g_autoptr(NdrMessage) msg = ndr_parse_bytes (s->str, s->len, "t", &small);
  g_assert_nonnull (msg->error);
  g_assert_nonnull (strstr (msg->error, "--max-parts"));
}

static void
test_not_a_message (void)
{
  const char bytes[] = "\x01\x02\xff\xfe binary junk 550 5.1.1\n\x00\x03";
  g_autoptr(NdrMessage) msg = ndr_parse_bytes (bytes, sizeof bytes - 1, "junk", &limits);
  g_assert_nonnull (msg->error);
  g_assert_true (g_str_has_prefix (msg->error, "not a MIME message"));
  g_assert_cmpstr (msg->source, ==, "junk");
  g_assert_cmpuint (msg->size, ==, sizeof bytes - 1);
  g_autoptr(NdrMessage) empty = ndr_parse_bytes (NULL, 0, "e", &limits);
  g_assert_cmpstr (empty->error, ==, "empty input");
  g_assert_cmpstr (empty->mta, ==, "unknown");
}

static void
test_max_message_size (void)
{
  NdrLimits small = limits;
  small.max_message_size = 30;
  const char *text = "From: a@example.com\r\nSubject: a subject past the cut\r\n\r\nbody\r\n";
  g_autoptr(NdrMessage) msg = ndr_parse_bytes (text, strlen (text), "t", &small);
  g_assert_nonnull (msg->error);
  g_assert_nonnull (strstr (msg->error, "--max-message-size limit of 30"));
  g_assert_cmpuint (msg->size, ==, strlen (text));
}

static void
test_charsets (void)
{
  g_autofree char *text = g_strdup_printf (
    "From: MAILER-DAEMON@mx.example.com\r\nSubject: Unzustellbar\r\nMIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"c\"\r\n\r\n"
    "--c\r\nContent-Type: text/plain; charset=x-unknown-9\r\n"
    "Content-Transfer-Encoding: 8bit\r\n\r\n550 5.1.1 Empf%cnger unbekannt\r\n"
    "--c\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    "NTUwIDUuNy4xIG5vdCBldmlkZW5jZQ==\r\n"
    "--c--\r\n", 0xE4);
  g_autoptr(NdrMessage) msg = parse (text);
  g_assert_cmpint (msg->kind, ==, NDR_KIND_BOUNCE);
  g_assert_cmpuint (msg->recipients->len, ==, 1);
  NdrRecipient *r = g_ptr_array_index (msg->recipients, 0);
  g_assert_null (r->address);
  g_assert_cmpuint (r->evidence->len, ==, 1);        /* the image is not read */
  NdrEvidence *ev = g_ptr_array_index (r->evidence, 0);
  g_assert_cmpstr (ev->text, ==, "550 5.1.1 Empfänger unbekannt");
  g_assert_cmpint (ev->source, ==, NDR_SOURCE_BODY);
}

static void
test_evidence_shared (void)
{
  g_autofree char *text = report ("Undelivered Mail Returned to Sender",
    "Both failed: 554 5.7.1 relay denied",
    "Reporting-MTA: dns; mx.example.com\r\n\r\n"
    "Final-Recipient: rfc822; a@example.net\r\nAction: failed\r\n\r\n"
    "Final-Recipient: rfc822; b@example.net\r\nAction: failed\r\nStatus: 5.1.1\r\n", "");
  g_autoptr(NdrMessage) msg = parse (text);
  g_assert_cmpuint (msg->recipients->len, ==, 2);
  NdrRecipient *a = g_ptr_array_index (msg->recipients, 0);
  NdrRecipient *b = g_ptr_array_index (msg->recipients, 1);
  g_assert_cmpuint (a->evidence->len, ==, 1);        /* the body line, once */
  g_assert_cmpstr (a->status, ==, "5.7.1");          /* from its best (only) evidence */
  g_assert_cmpint (a->reply_code, ==, 554);
  g_assert_cmpuint (b->evidence->len, ==, 2);
  g_assert_cmpstr (b->status, ==, "5.1.1");          /* its DSN Status outranks the body */
  g_assert_cmpint (b->reply_code, ==, 554);
  g_autoptr(NdrMessage) again = parse (text);         /* the same bytes, the same record */
  g_assert_cmpuint (((NdrRecipient *) g_ptr_array_index (again->recipients, 1))->evidence->len,
                    ==, 2);
}

static void
test_max_header (void)
{
  NdrLimits small = limits;
  small.max_header = 200;
  g_autoptr(GString) s = g_string_new ("Subject: Undelivered Mail\r\n"
                                       "From: MAILER-DAEMON@mx.example.com\r\n");
  for (int i = 0; i < 50; i++)
    g_string_append_printf (s, "X-Filler-%d: some\r\n folded text\r\n", i);
  g_string_append (s, "X-Late: never read\r\n\r\n550 5.1.1 unknown user\r\n");
  g_autoptr(NdrMessage) msg = ndr_parse_bytes (s->str, s->len, "t", &small);
  g_assert_nonnull (msg->error);
  g_assert_nonnull (strstr (msg->error, "--max-header limit of 200"));
  g_assert_cmpstr (msg->subject, ==, "Undelivered Mail");
  g_assert_cmpint (msg->kind, ==, NDR_KIND_BOUNCE);  /* the body is still read */
  g_assert_cmpuint (msg->recipients->len, ==, 1);
}

static void
test_evidence_copies (void)
{
  NdrLimits small = limits;
  small.max_evidence = 2;                            /* 200 copies for the whole message */
  g_autoptr(GString) dsn = g_string_new ("Reporting-MTA: dns; mx.example.com\r\n");
  for (int i = 0; i < 300; i++)
    g_string_append_printf (dsn, "\r\nFinal-Recipient: rfc822; u%d@example.net\r\n"
                            "Action: failed\r\n", i);
  g_autofree char *text = report ("Undelivered Mail Returned to Sender",
                                  "550 5.1.1 one\r\n550 5.1.2 two", dsn->str, "");
  g_autoptr(NdrMessage) msg = ndr_parse_bytes (text, strlen (text), "t", &small);
  g_assert_cmpuint (msg->recipients->len, ==, 300);
  g_assert_nonnull (msg->error);
  g_assert_nonnull (strstr (msg->error, "--max-evidence"));
  NdrRecipient *first = g_ptr_array_index (msg->recipients, 0);
  NdrRecipient *last = g_ptr_array_index (msg->recipients, 299);
  g_assert_cmpuint (first->evidence->len, ==, 2);
  g_assert_cmpuint (last->evidence->len, ==, 0);
}

/* rcpt_addr - the address of the i-th recipient */
static const char *
rcpt_addr (const NdrMessage *msg, guint i)
{
  g_assert_cmpuint (i, <, msg->recipients->len);
  return ((const NdrRecipient *) g_ptr_array_index (msg->recipients, i))->address;
}

/* Who a feedback report is about: every Original-Rcpt-To, else the original's To, else one
 * recipient without an address; an automatic reply is about the person who replied. */
static void
test_report_recipients (void)
{
  static const char *const head =
    "From: fbl@example.net\r\nSubject: Abuse report\r\nMIME-Version: 1.0\r\n"
    "Content-Type: multipart/report; report-type=feedback-report; boundary=\"f\"\r\n\r\n"
    "--f\r\nContent-Type: text/plain\r\n\r\nAn abuse report.\r\n"
    "--f\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\n";
  g_autofree char *named = g_strconcat (head, "Original-Rcpt-To: <amy@example.org>\r\n"
    "Original-Rcpt-To: ben@example.org\r\n--f--\r\n", NULL);
  g_autoptr(NdrMessage) a = parse (named);
  g_assert_cmpint (a->kind, ==, NDR_KIND_FEEDBACK);
  g_assert_cmpuint (a->recipients->len, ==, 2);
  g_assert_cmpstr (rcpt_addr (a, 0), ==, "amy@example.org");
  g_assert_cmpstr (rcpt_addr (a, 1), ==, "ben@example.org");

  g_autofree char *to = g_strconcat (head, "\r\n--f\r\nContent-Type: message/rfc822\r\n\r\n"
    "From: shop@example.com\r\nTo: \"Doe, Cy\" <cy@example.org>\r\nSubject: Sale\r\n\r\nHi\r\n"
    "--f--\r\n", NULL);
  g_autoptr(NdrMessage) b = parse (to);
  g_assert_cmpuint (b->recipients->len, ==, 1);
  g_assert_cmpstr (rcpt_addr (b, 0), ==, "cy@example.org");

  g_autofree char *none = g_strconcat (head, "--f--\r\n", NULL);
  g_autoptr(NdrMessage) c = parse (none);
  g_assert_cmpuint (c->recipients->len, ==, 1);
  g_assert_null (rcpt_addr (c, 0));

  g_autoptr(NdrMessage) d = parse ("From: \"Lee, Dee\" <dee@example.net>\r\n"
                                   "Subject: Automatic reply: plans\r\n\r\nI am away.\r\n");
  g_assert_cmpint (d->kind, ==, NDR_KIND_AUTO_REPLY);
  g_assert_cmpuint (d->recipients->len, ==, 1);
  g_assert_cmpstr (rcpt_addr (d, 0), ==, "dee@example.net");
}

/* A bounce without a code for its recipient: the words after the address become its
 * diagnostic and code-less evidence; without the address, every line of the text. */
static void
test_words_without_code (void)
{
  g_autoptr(NdrMessage) a = parse (
    "From: Mail Delivery Subsystem <mailer-daemon@example.com>\r\n"
    "Subject: Delivery Status Notification (Failure)\r\n"
    "X-Failed-Recipients: fay@example.org\r\n\r\n"
    "Delivery to the following recipient failed permanently:\r\n\r\n"
    "     fay@example.org\r\n\r\n"
    "Technical details of permanent failure:\r\n"
    "Storage quota exceeded\r\n\r\n"
    "----- Original message -----\r\n\r\nSubject: hello\r\n");
  g_assert_cmpint (a->kind, ==, NDR_KIND_BOUNCE);
  NdrRecipient *r = g_ptr_array_index (a->recipients, 0);
  g_assert_cmpstr (r->diagnostic, ==, "Storage quota exceeded");
  g_assert_cmpuint (r->evidence->len, ==, 1);
  NdrEvidence *ev = g_ptr_array_index (r->evidence, 0);
  g_assert_null (ev->status);
  g_assert_cmpint (ev->reply_code, ==, 0);
  g_assert_cmpint (ev->source, ==, NDR_SOURCE_BODY);

  g_autoptr(NdrMessage) b = parse (
    "From: Mail Delivery Subsystem <mailer-daemon@example.com>\r\n"
    "Subject: Delivery Status Notification (Failure)\r\n"
    "X-Failed-Recipients: team@groups.example.org\r\n\r\n"
    "Hello gus@example.com,\r\n\r\n"
    "You may not have permission to post messages to the group.\r\n"
    "> quoted: no\r\n");
  r = g_ptr_array_index (b->recipients, 0);
  g_assert_null (r->diagnostic);
  g_assert_cmpuint (r->evidence->len, ==, 2);
  ev = g_ptr_array_index (r->evidence, 1);
  g_assert_cmpstr (ev->text, ==, "You may not have permission to post messages to the group.");
}

/* Delivery-status fields in the text of a report whose MIME boundary never comes. */
static void
test_dsn_in_broken_multipart (void)
{
  g_autoptr(NdrMessage) msg = parse (
    "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.com>\r\n"
    "Subject: Returned mail: see transcript for details\r\nMIME-Version: 1.0\r\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"never\"\r\n\r\n"
    "--other\r\nContent-Type: text/plain\r\n\r\nThe message could not be delivered.\r\n\r\n"
    "--other\r\nContent-Type: message/delivery-status\r\n\r\n"
    "Reporting-MTA: dns; mx.example.com\r\n\r\n"
    "Final-Recipient: rfc822; hal@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n"
    "Diagnostic-Code: smtp; 550 5.1.1 no such user\r\n\r\n--other--\r\n");
  g_assert_cmpint (msg->kind, ==, NDR_KIND_BOUNCE);
  g_assert_cmpuint (msg->recipients->len, ==, 1);
  NdrRecipient *r = g_ptr_array_index (msg->recipients, 0);
  g_assert_cmpstr (r->address, ==, "hal@example.org");
  g_assert_cmpstr (r->status, ==, "5.1.1");
  g_assert_cmpint (r->reply_code, ==, 550);
}

/* Lines of the text that name one recipient go to that recipient only. */
static void
test_lines_routed_by_address (void)
{
  g_autoptr(NdrMessage) msg = parse (
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\n"
    "Subject: Undelivered Mail Returned to Sender\r\n"
    "X-Failed-Recipients: jo@example.org, kai@example.org\r\n\r\n"
    "jo@example.org: 550 5.1.1 Recipient address rejected: User unknown\r\n"
    "kai@example.org: 552 5.2.2 Recipient address rejected: Mailbox full\r\n");
  g_assert_cmpuint (msg->recipients->len, ==, 2);
  NdrRecipient *jo = g_ptr_array_index (msg->recipients, 0);
  NdrRecipient *kai = g_ptr_array_index (msg->recipients, 1);
  g_assert_cmpuint (jo->evidence->len, ==, 1);
  g_assert_cmpuint (kai->evidence->len, ==, 1);
  g_assert_cmpstr (jo->status, ==, "5.1.1");
  g_assert_cmpstr (kai->status, ==, "5.2.2");
}

/* A bounce that names nobody is about the one address its original was sent to; with two
 * addresses in the original's To it names nobody. */
static void
test_recipient_from_original (void)
{
  static const char *const fmt =
    "From: MMSC Administrator <mailer-daemon@mms.example.net>\r\n"
    "Subject: Undeliverable Message\r\n\r\n"
    "Message could not be delivered to mobile.\r\n\r\n"
    "Original Message:\r\nFrom: Ann <ann@example.com>\r\nTo: %s\r\nSubject: hi\r\n";
  g_autofree char *one = g_strdup_printf (fmt, "5550100@mms.example.net");
  g_autoptr(NdrMessage) a = parse (one);
  g_assert_cmpint (a->kind, ==, NDR_KIND_BOUNCE);
  g_assert_cmpuint (a->recipients->len, ==, 1);
  g_assert_cmpstr (rcpt_addr (a, 0), ==, "5550100@mms.example.net");
  g_autofree char *two = g_strdup_printf (fmt, "a@example.net, b@example.net");
  g_autoptr(NdrMessage) b = parse (two);
  g_assert_cmpuint (b->recipients->len, ==, 0);
}

/* Postfix's address probe reports "Action: deliverable": a success, not a failure. */
static void
test_deliverable (void)
{
  g_autofree char *text = report ("Mail Delivery Status Report", "Delivery to the address was "
    "verified.", "Reporting-MTA: dns; mx.example.com\r\n\r\n"
    "Final-Recipient: rfc822; ida@example.org\r\nAction: deliverable\r\nStatus: 2.1.5\r\n", "");
  g_autoptr(NdrMessage) msg = parse (text);
  g_assert_cmpint (msg->kind, ==, NDR_KIND_DELIVERED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ndr_parser_init ();
  ndr_limits_init (&limits);
  g_test_add_func ("/parse/rfc3464", test_rfc3464);
  g_test_add_func ("/parse/kinds", test_kinds);
  g_test_add_func ("/parse/auto-reply", test_auto_reply);
  g_test_add_func ("/parse/feedback", test_feedback);
  g_test_add_func ("/parse/person-not-bounce", test_person_not_bounce);
  g_test_add_func ("/parse/failed-recipients-header", test_failed_recipients_header);
  g_test_add_func ("/parse/rfc822-headers", test_rfc822_headers);
  g_test_add_func ("/parse/depth-limit", test_depth_limit);
  g_test_add_func ("/parse/parts-limit", test_parts_limit);
  g_test_add_func ("/parse/not-a-message", test_not_a_message);
  g_test_add_func ("/parse/max-message-size", test_max_message_size);
  g_test_add_func ("/parse/charsets", test_charsets);
  g_test_add_func ("/parse/evidence-copies", test_evidence_copies);
  g_test_add_func ("/parse/max-header", test_max_header);
  g_test_add_func ("/parse/evidence-shared", test_evidence_shared);
  g_test_add_func ("/parse/report-recipients", test_report_recipients);
  g_test_add_func ("/parse/words-without-code", test_words_without_code);
  g_test_add_func ("/parse/dsn-in-broken-multipart", test_dsn_in_broken_multipart);
  g_test_add_func ("/parse/deliverable", test_deliverable);
  g_test_add_func ("/parse/lines-routed-by-address", test_lines_routed_by_address);
  g_test_add_func ("/parse/recipient-from-original", test_recipient_from_original);
  int rc = g_test_run ();
  ndr_parser_shutdown ();
  return rc;
}
