/*
 * NAME
 *   test_mta.c - the plain-text MTA formats: Postfix, Sendmail, Exim, qmail
 * DESCRIPTION
 *   Each format's detect() says yes on its own corpus cases and no on every other MTA's and
 *   on the Office 365, auto-reply, feedback, misc and broken cases. Each corpus case parses
 *   to the recipients, statuses, remote hosts and diagnostics expect[] lists, with the
 *   remote server's reply as admin-text evidence; nothing is taken from a quoted original
 *   (exim-user-unknown.eml quotes "550 5.7.1" in the copy of the message). Messages built
 *   here test the engine's edges: the recipient limit, an over-long line, a multi-line
 *   reply, a report without its heading, a delay that only the text announces.
 * TRUST
 *   Test data only: corpus files under NDR_SOURCE_ROOT/corpus.
 */
#include <string.h>

#include "parser_priv.h"

/* What one recipient of a corpus case must look like; NULL or 0: not checked. */
typedef struct {
  const char *address;
  const char *action;
  const char *status;       /* the admin-text (remote reply) evidence's status, or the
                               body evidence's when admin is FALSE */
  int         reply_code;
  const char *remote_mta;
  const char *diagnostic;   /* a substring of rcpt->diagnostic */
  gboolean    admin;        /* the remote server's reply is quoted: admin-text evidence */
} Rcpt;

typedef struct {
  const char *file;
  const char *mta;
  NdrKind     kind;
  const char *lang;
  const char *reporting_mta;
  guint       n_rcpt;
  Rcpt        rcpt[2];
} Expect;

static const Expect expect[] = {
  { "postfix-user-unknown.eml", "postfix", NDR_KIND_BOUNCE, "en", "mail.example.com", 1,
    { { "bob@example.net", "failed", "5.1.1", 550, "mx.example.net",
        "User unknown in virtual mailbox table", TRUE } } },
  { "postfix-mailbox-full-delay.eml", "postfix", NDR_KIND_DELAY, "en", "mail.example.com", 1,
    { { "carol@example.org", "delayed", "4.2.2", 452, "mx.example.org",
        "Mailbox full, try again later", TRUE } } },
  { "postfix-mailbox-full-bounce.eml", "postfix", NDR_KIND_BOUNCE, "en", "mail.example.com", 1,
    { { "carol@example.org", "failed", "5.2.2", 552, "mx.example.org",
        "Mailbox full, quota exceeded", TRUE } } },
  { "postfix-rbl-two-recipients.eml", "postfix", NDR_KIND_BOUNCE, "en", "mail.example.com", 2,
    { { "liam@example.org", "failed", "5.7.1", 554, "mx.example.org",
        "blocked using zen.example.org", TRUE },
      { "mia@example.org", "failed", "5.7.1", 554, "mx.example.org",
        "blocked using zen.example.org", TRUE } } },
  { "postfix-relay-access-denied.eml", "postfix", NDR_KIND_BOUNCE, "en", "mail.example.com", 1,
    { { "dave@example.net", "failed", "5.7.1", 554, "relay.example.net",
        "Relay access denied", TRUE } } },
  { "postfix-de-user-unknown.eml", "postfix", NDR_KIND_BOUNCE, "de", "mail.example.com", 1,
    { { "kim@example.net", "failed", "5.1.1", 550, "mx.example.net", "User unknown", TRUE } } },
  { "sendmail-user-unknown.eml", "sendmail", NDR_KIND_BOUNCE, "en", "relay.example.com", 1,
    { { "grace@example.net", "failed", "5.1.1", 550, "mx.example.net", "User unknown", TRUE } } },
  { "sendmail-greylist-warning.eml", "sendmail", NDR_KIND_DELAY, "en", "relay.example.com", 1,
    { { "henry@example.org", "delayed", "4.7.1", 451, "mx.example.org", "Greylisting", TRUE } } },
  { "exim-user-unknown.eml", "exim", NDR_KIND_BOUNCE, "en", NULL, 1,
    { { "ivan@example.net", "failed", "5.1.1", 550, "mx.example.net",
        "User unknown in local recipient table", TRUE } } },
  { "exim-two-recipients.eml", "exim", NDR_KIND_BOUNCE, "en", NULL, 2,
    { { "nora@example.net", "failed", "5.1.1", 550, "mx.example.net",
        "Recipient address rejected: User unknown in local recipient table", TRUE },
      { "oscar@example.org", "failed", "5.2.2", 552, "mx2.example.org", "Mailbox full", TRUE } } },
  { "exim-retry-timeout.eml", "exim", NDR_KIND_BOUNCE, "en", NULL, 1,
    { { "paula@example.org", "failed", NULL, 0, NULL, "retry timeout exceeded", FALSE } } },
  { "qmail-user-unknown.eml", "qmail", NDR_KIND_BOUNCE, "en", "mx.example.com", 1,
    { { "quinn@example.org", "failed", "5.1.1", 550, "198.51.100.70", "User unknown", TRUE } } },
  { "qmail-mailbox-full.eml", "qmail", NDR_KIND_BOUNCE, "en", "mx.example.com", 1,
    { { "rosa@example.net", "failed", "5.2.2", 552, "192.0.2.80",
        "over quota. Please ask the recipient", TRUE } } },
  { "qmail-vpopmail-no-mailbox.eml", "qmail", NDR_KIND_BOUNCE, "en", "mail.example.org", 2,
    { { "sam@example.org", "failed", "5.1.1", 0, NULL, "no mailbox here by that name", FALSE },
      { "tina@example.org", "failed", "5.2.2", 0, NULL, "over quota", FALSE } } },
};

/* The formats under test, and the file-name prefix of their corpus cases. */
static const struct {
  const NdrFormat *format;
  const char      *prefix;
} formats[] = {
  { &ndr_format_postfix,  "postfix-" },
  { &ndr_format_sendmail, "sendmail-" },
  { &ndr_format_exim,     "exim-" },
  { &ndr_format_qmail,    "qmail-" },
};

/* Prefixes of corpus cases no plain-text MTA wrote (dsn-* cases may come from Postfix or
 * Sendmail, so they prove nothing either way). */
static const char *const foreign[] = { "o365-", "exchange-", "autoreply-", "arf-", "misc-",
                                        "broken-" };

/* corpus_path - the path of a corpus file */
static char *
corpus_path (const char *file)
{
  const char *root = g_getenv ("NDR_SOURCE_ROOT");
  g_assert_nonnull (root);
  return g_build_filename (root, "corpus", file, NULL);
}

/* parse_corpus - parse one corpus file with default limits */
static NdrMessage *
parse_corpus (const char *file)
{
  g_autofree char *path = corpus_path (file);
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;
  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  NdrLimits limits;
  ndr_limits_init (&limits);
  return ndr_parse_bytes (data, len, file, &limits);
}

/* evidence_with - the first item of a source with that status, or NULL */
static const NdrEvidence *
evidence_with (const GPtrArray *evidence, NdrSource source, const char *status)
{
  for (guint i = 0; i < evidence->len; i++) {
    const NdrEvidence *ev = g_ptr_array_index (evidence, i);
    if (ev->source == source && g_strcmp0 (ev->status, status) == 0)
      return ev;
  }
  return NULL;
}

/* check_rcpt - one recipient against its expectation */
static void
check_rcpt (NdrMessage *msg, const Rcpt *want)
{
  NdrRecipient *r = ndr_message_find_recipient (msg, want->address);
  g_assert_nonnull (r);
  g_assert_cmpstr (r->action, ==, want->action);
  g_assert_cmpstr (r->remote_mta, ==, want->remote_mta);
  g_assert_nonnull (r->diagnostic);
  g_assert_nonnull (strstr (r->diagnostic, want->diagnostic));
  const NdrEvidence *admin = evidence_with (r->evidence, NDR_SOURCE_ADMIN_TEXT, want->status);
  if (want->admin) {
    g_assert_nonnull (admin);
    g_assert_cmpint (admin->reply_code, ==, want->reply_code);
    g_assert_cmpstr (r->status, ==, want->status);
    g_assert_cmpint (r->reply_code, ==, want->reply_code);
  } else if (want->status != NULL) {
    g_assert_null (admin);                           /* the MTA's own words, not a reply */
    g_assert_nonnull (evidence_with (r->evidence, NDR_SOURCE_BODY, want->status));
  } else
    g_assert_cmpuint (r->evidence->len, ==, 0);
}

static void
test_corpus_case (gconstpointer data)
{
  const Expect *e = data;
  g_autoptr(NdrMessage) msg = parse_corpus (e->file);
  g_assert_null (msg->error);
  g_assert_cmpstr (msg->mta, ==, e->mta);
  g_assert_cmpint (msg->kind, ==, e->kind);
  g_assert_cmpstr (msg->lang, ==, e->lang);
  g_assert_cmpstr (msg->reporting_mta, ==, e->reporting_mta);
  g_assert_cmpuint (msg->recipients->len, ==, e->n_rcpt);
  for (guint i = 0; i < e->n_rcpt; i++)
    check_rcpt (msg, &e->rcpt[i]);
}

/* detects - run one format's detect() on a corpus file, as the pipeline would */
static gboolean
detects (const NdrFormat *format, const char *file)
{
  g_autofree char *path = corpus_path (file);
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;
  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer (data, len);
  g_autoptr(GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  g_autoptr(GMimeMessage) mime = g_mime_parser_construct_message (parser, NULL);
  if (mime == NULL)
    return FALSE;                                    /* not a message: the pipeline stops */
  g_autoptr(NdrMessage) msg = ndr_message_new (file);
  msg->subject = ndr_mime_header (mime, "Subject");
  msg->from = ndr_mime_header (mime, "From");
  NdrParts parts = { 0 };
  ndr_mime_collect (&parts, mime, &limits);
  gboolean yes = format->detect (msg, &parts);
  ndr_parts_clear (&parts);
  return yes;
}

/* has_prefix_in - does the name start with one of the n prefixes? */
static gboolean
has_prefix_in (const char *name, const char *const *prefixes, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (g_str_has_prefix (name, prefixes[i]))
      return TRUE;
  return FALSE;
}

static void
test_detect (void)
{
  g_autofree char *dir = corpus_path ("");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) d = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  guint own = 0, others = 0;
  for (const char *name; (name = g_dir_read_name (d)) != NULL;) {
    if (!g_str_has_suffix (name, ".eml"))
      continue;
    gboolean mine = FALSE;
    for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
      mine = mine || g_str_has_prefix (name, formats[i].prefix);
    if (!mine && !has_prefix_in (name, foreign, G_N_ELEMENTS (foreign)))
      continue;
    for (gsize i = 0; i < G_N_ELEMENTS (formats); i++) {
      gboolean want = g_str_has_prefix (name, formats[i].prefix);
      g_test_message ("%s detect %s: want %d", formats[i].format->name, name, want);
      g_assert_true (detects (formats[i].format, name) == want);
    }
    if (mine)
      own++;
    else
      others++;
  }
  g_assert_cmpuint (own, >=, 12);                  /* the corpus is there: the test can fail */
  g_assert_cmpuint (others, >=, 1);
}

/* no_decoy - nothing of the quoted original in any evidence or diagnostic */
static void
no_decoy (const GPtrArray *evidence)
{
  for (guint i = 0; i < evidence->len; i++) {
    const NdrEvidence *ev = g_ptr_array_index (evidence, i);
    g_assert_cmpstr (ev->status, !=, "5.7.1");
    g_assert_null (strstr (ev->text, "spam"));
  }
}

static void
test_quoted_original_ignored (void)
{
  g_autoptr(NdrMessage) msg = parse_corpus ("exim-user-unknown.eml");
  g_assert_cmpuint (msg->recipients->len, ==, 1);
  no_decoy (msg->evidence);
  for (guint i = 0; i < msg->recipients->len; i++) {
    const NdrRecipient *r = g_ptr_array_index (msg->recipients, i);
    no_decoy (r->evidence);
    g_assert_null (strstr (r->diagnostic, "spam"));
    g_assert_cmpuint (r->evidence->len, >, 0);     /* the real 5.1.1 is there */
  }
}

/* qmail_report - a qmail bounce with the given paragraphs, as bytes */
static char *
qmail_report (const char *paragraphs)
{
  return g_strconcat ("From: MAILER-DAEMON@mx.example.com\n"
                      "To: alice@example.com\n"
                      "Subject: failure notice\n\n"
                      "Hi. This is the qmail-send program at mx.example.com.\n"
                      "I'm afraid I wasn't able to deliver your message to the following "
                      "addresses.\nThis is a permanent error; I've given up.\n\n",
                      paragraphs,
                      "\n--- Below this line is a copy of the message.\n\n"
                      "From: alice@example.com\nTo: x@example.org\n\n"
                      "Remote host said: 554 5.7.1 quoted, not ours\n", NULL);
}

static NdrMessage *
parse_text (const char *text, const NdrLimits *limits)
{
  return ndr_parse_bytes (text, strlen (text), "built", limits);
}

static void
test_recipient_limit (void)
{
  g_autofree char *text = qmail_report ("<a@example.org>:\nSorry, no mailbox here by that name. "
                                        "(#5.1.1)\n\n<b@example.org>:\nSorry, no mailbox here "
                                        "by that name. (#5.1.1)\n");
  NdrLimits limits;
  ndr_limits_init (&limits);
  limits.max_recipients = 1;
  g_autoptr(NdrMessage) msg = parse_text (text, &limits);
  g_assert_cmpstr (msg->mta, ==, "qmail");
  g_assert_cmpuint (msg->recipients->len, ==, 1);
  g_assert_nonnull (msg->error);                   /* the cut is recorded */
}

static void
test_long_line (void)
{
  g_autofree char *junk = g_strnfill (200000, 'x');
  g_autofree char *para = g_strconcat ("<c@example.org>:\nRemote host said: 550 5.1.1 ", junk,
                                       "\n", NULL);
  g_autofree char *text = qmail_report (para);
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(NdrMessage) msg = parse_text (text, &limits);
  g_assert_cmpuint (msg->recipients->len, ==, 1);
  const NdrRecipient *r = g_ptr_array_index (msg->recipients, 0);
  g_assert_nonnull (r->diagnostic);
  g_assert_cmpuint (strlen (r->diagnostic), <=, limits.max_line);
  g_assert_nonnull (evidence_with (r->evidence, NDR_SOURCE_ADMIN_TEXT, "5.1.1"));
  g_assert_null (evidence_with (r->evidence, NDR_SOURCE_ADMIN_TEXT, "5.7.1"));
}

static void
test_multiline_reply (void)
{
  g_autofree char *text = qmail_report ("<d@example.org>:\nConnected to 192.0.2.9 but sender "
                                        "was rejected.\nRemote host said: 550-5.7.1 first line\n"
                                        "550-5.7.1 second line\n550 5.7.1 last line\n"
                                        "Giving up on 192.0.2.9.\n");
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(NdrMessage) msg = parse_text (text, &limits);
  g_assert_cmpuint (msg->recipients->len, ==, 1);
  const NdrRecipient *r = g_ptr_array_index (msg->recipients, 0);
  g_assert_cmpstr (r->remote_mta, ==, "192.0.2.9");
  g_assert_cmpstr (r->diagnostic, ==, "550-5.7.1 first line second line last line");
  guint admin = 0;
  for (guint i = 0; i < r->evidence->len; i++) {
    const NdrEvidence *ev = g_ptr_array_index (r->evidence, i);
    admin += ev->source == NDR_SOURCE_ADMIN_TEXT;
    g_assert_null (strstr (ev->text, "quoted"));
  }
  g_assert_cmpuint (admin, ==, 1);                 /* one reply, not three */
}

static void
test_no_heading (void)
{
  const char *text = "From: Mail Delivery System <Mailer-Daemon@smtp.example.com>\n"
                     "To: alice@example.com\n"
                     "X-Failed-Recipients: e@example.net\n"
                     "Subject: Mail delivery failed: returning message to sender\n\n"
                     "This message was created automatically by mail delivery software.\n\n"
                     "  e@example.net\n"
                     "    host mx.example.net [192.0.2.4]: 550 5.1.1 unknown user\n\n"
                     "------ This is a copy of the message, including all the headers. ------\n";
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(NdrMessage) msg = parse_text (text, &limits);
  g_assert_cmpstr (msg->mta, ==, "exim");
  g_assert_cmpuint (msg->recipients->len, ==, 1);
  const NdrRecipient *r = g_ptr_array_index (msg->recipients, 0);
  g_assert_cmpstr (r->address, ==, "e@example.net");
  g_assert_cmpstr (r->remote_mta, ==, "mx.example.net");
  g_assert_nonnull (evidence_with (r->evidence, NDR_SOURCE_ADMIN_TEXT, "5.1.1"));
}

static void
test_action_rows (void)
{
  const char *text = "From: MAILER-DAEMON@mail.example.com (Mail Delivery System)\n"
                     "To: alice@example.com\n"
                     "Subject: Delayed Mail (still being retried)\n\n"
                     "This is the mail system at host mail.example.com.\n\n"
                     "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n\n"
                     "                   The mail system\n\n"
                     "<f@example.org>: connect to mx.example.org[198.51.100.9]:25: Connection\n"
                     "    timed out\n";
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(NdrMessage) msg = parse_text (text, &limits);  /* no DSN part: the text alone */
  g_assert_cmpstr (msg->mta, ==, "postfix");
  g_assert_cmpint (msg->kind, ==, NDR_KIND_DELAY);
  g_assert_cmpuint (msg->recipients->len, ==, 1);
  const NdrRecipient *r = g_ptr_array_index (msg->recipients, 0);
  g_assert_cmpstr (r->action, ==, "delayed");
  g_assert_cmpstr (r->remote_mta, ==, "mx.example.org");
  g_assert_cmpstr (r->diagnostic, ==,
                   "connect to mx.example.org[198.51.100.9]:25: Connection timed out");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ndr_parser_init ();
  for (gsize i = 0; i < G_N_ELEMENTS (expect); i++) {
    g_autofree char *name = g_strconcat ("/mta/corpus/", expect[i].file, NULL);
    g_test_add_data_func (name, &expect[i], test_corpus_case);
  }
  g_test_add_func ("/mta/detect", test_detect);
  g_test_add_func ("/mta/quoted-original-ignored", test_quoted_original_ignored);
  g_test_add_func ("/mta/recipient-limit", test_recipient_limit);
  g_test_add_func ("/mta/long-line", test_long_line);
  g_test_add_func ("/mta/multiline-reply", test_multiline_reply);
  g_test_add_func ("/mta/no-heading", test_no_heading);
  g_test_add_func ("/mta/action-rows", test_action_rows);
  int rc = g_test_run ();
  ndr_parser_shutdown ();
  return rc;
}
