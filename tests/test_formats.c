/*
 * NAME
 *   test_formats.c - the provider and gateway formats: Gmail, Yahoo, Courier, OpenSMTPD,
 *   Amazon SES (mail and JSON), Domino, GMX, SendGrid, Messaging Server, McAfee, Trend Micro,
 *   Barracuda, Zoho, MailMarshal, IMail, DragonFly dma, Outlook.com, Apache James,
 *   MailFoundry and the X1-X4 ISP formats
 * DESCRIPTION
 *   Each format's detect() says yes on its own corpus case and no on every other corpus
 *   case (of any kind); each case parses, through the whole pipeline, to that format's
 *   name, the kind, and the recipients with the status (as the report's status or as
 *   evidence) and reply code its text gives (or, where the text gives no code, a diagnostic).
 * TRUST
 *   Test data only: corpus files under NDR_SOURCE_ROOT/corpus.
 */
#include <string.h>

#include "parser_priv.h"

/* One corpus case and what it must parse to; a NULL status: the text has no code. */
typedef struct {
  const char      *file;
  const NdrFormat *format;
  NdrKind          kind;
  guint            n_rcpt;
  const char      *address[2];
  const char      *status[2];
  int              reply_code[2];
} Case;

static const Case cases[] = {
  { "gmail-user-unknown.eml", &ndr_format_gmail, NDR_KIND_BOUNCE, 1,
    { "grace@example.org" }, { "5.1.1" }, { 550 } },
  { "yahoo-mailbox-full.eml", &ndr_format_yahoo, NDR_KIND_BOUNCE, 1,
    { "henry@example.org" }, { "5.2.2" }, { 552 } },
  { "courier-user-unknown.eml", &ndr_format_courier, NDR_KIND_BOUNCE, 1,
    { "ivan@example.org" }, { "5.1.1" }, { 550 } },
  { "opensmtpd-two-recipients.eml", &ndr_format_opensmtpd, NDR_KIND_BOUNCE, 2,
    { "judy@example.org", "kate@example.org" }, { "5.1.1", "5.2.2" }, { 550, 552 } },
  { "amazonses-mail-user-unknown.eml", &ndr_format_amazonses, NDR_KIND_BOUNCE, 1,
    { "leo@example.org" }, { "5.1.1" }, { 550 } },
  { "amazonses-json-bounce.eml", &ndr_format_amazonses, NDR_KIND_BOUNCE, 1,
    { "mona@example.org" }, { "5.1.1" }, { 550 } },
  { "domino-not-listed.eml", &ndr_format_domino, NDR_KIND_BOUNCE, 1,
    { "nina@example.net" }, { NULL }, { 0 } },
  { "gmx-two-recipients.eml", &ndr_format_gmx, NDR_KIND_BOUNCE, 2,
    { "oscar@example.org", "paula@example.org" }, { "5.1.1", "5.2.2" }, { 550, 552 } },
  { "x3-no-such-user.eml", &ndr_format_x3, NDR_KIND_BOUNCE, 1,
    { "quentin@example.org" }, { "5.3.0" }, { 553 } },
  { "sendgrid-user-unknown.eml", &ndr_format_sendgrid, NDR_KIND_BOUNCE, 1,
    { "rosa@example.org" }, { "5.1.1" }, { 550 } },
  { "messagingserver-user-unknown.eml", &ndr_format_messagingserver, NDR_KIND_BOUNCE, 1,
    { "sam@example.org" }, { "5.1.1" }, { 550 } },
  { "mcafee-user-unknown.eml", &ndr_format_mcafee, NDR_KIND_BOUNCE, 1,
    { "tina@example.org" }, { "5.1.1" }, { 550 } },
  { "trendmicro-user-unknown.eml", &ndr_format_trendmicro, NDR_KIND_BOUNCE, 1,
    { "uma@example.org" }, { "5.1.1" }, { 550 } },
  { "barracuda-blocked.eml", &ndr_format_barracuda, NDR_KIND_BOUNCE, 1,
    { "victor@example.org" }, { "5.7.1" }, { 550 } },
  { "zoho-invalid-address.eml", &ndr_format_zoho, NDR_KIND_BOUNCE, 1,
    { "wendy@example.org" }, { NULL }, { 0 } },
  { "x1-user-unknown.eml", &ndr_format_x1, NDR_KIND_BOUNCE, 1,
    { "xavier@example.org" }, { NULL }, { 0 } },
  { "x2-account-disabled.eml", &ndr_format_x2, NDR_KIND_BOUNCE, 1,
    { "yusuf@example.net" }, { NULL }, { 0 } },
  { "x4-mailbox-full.eml", &ndr_format_x4, NDR_KIND_BOUNCE, 1,
    { "zoe@example.net" }, { NULL }, { 0 } },
  { "imailserver-unknown-user.eml", &ndr_format_imailserver, NDR_KIND_BOUNCE, 1,
    { "abby@example.net" }, { NULL }, { 0 } },
  { "mailmarshal-user-unknown.eml", &ndr_format_mailmarshal, NDR_KIND_BOUNCE, 1,
    { "bert@example.org" }, { "5.1.1" }, { 550 } },
  { "dragonfly-rejected-rcpt.eml", &ndr_format_dragonfly, NDR_KIND_BOUNCE, 1,
    { "carl@example.org" }, { "5.1.1" }, { 550 } },
  { "outlook-mailbox-full.eml", &ndr_format_outlook, NDR_KIND_BOUNCE, 1,
    { "dana@example.org" }, { "5.2.2" }, { 552 } },
  { "apachejames-no-such-user.eml", &ndr_format_apachejames, NDR_KIND_BOUNCE, 1,
    { "eli@example.net" }, { NULL }, { 550 } },
  { "mailfoundry-no-such-user.eml", &ndr_format_mailfoundry, NDR_KIND_BOUNCE, 1,
    { "fay@example.org" }, { "5.1.1" }, { 550 } },
};

/* read_corpus - the bytes of one corpus file */
static char *
read_corpus (const char *file, gsize *len)
{
  const char *root = g_getenv ("NDR_SOURCE_ROOT");
  g_assert_nonnull (root);
  g_autofree char *path = g_build_filename (root, "corpus", file, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  g_file_get_contents (path, &data, len, &error);
  g_assert_no_error (error);
  return data;
}

/* detects - run one format's detect() on a corpus file, as the pipeline would */
static gboolean
detects (const NdrFormat *format, const char *file)
{
  gsize len = 0;
  g_autofree char *data = read_corpus (file, &len);
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

/* has_status - the recipient's status, or a status its evidence gives, is this one (a DSN
 * part may say "5.0.0" where the remote server's reply says "5.1.1") */
static gboolean
has_status (const NdrRecipient *r, const char *status)
{
  if (g_strcmp0 (r->status, status) == 0)
    return TRUE;
  for (guint i = 0; i < r->evidence->len; i++) {
    const NdrEvidence *ev = g_ptr_array_index (r->evidence, i);
    if (g_strcmp0 (ev->status, status) == 0)
      return TRUE;
  }
  return FALSE;
}

/* test_case - one corpus case through the whole pipeline */
static void
test_case (gconstpointer data)
{
  const Case *c = data;
  gsize len = 0;
  g_autofree char *bytes = read_corpus (c->file, &len);
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(NdrMessage) msg = ndr_parse_bytes (bytes, len, c->file, &limits);
  g_assert_null (msg->error);
  g_assert_cmpstr (msg->mta, ==, c->format->name);
  g_assert_cmpint (msg->kind, ==, c->kind);
  g_assert_cmpuint (msg->recipients->len, ==, c->n_rcpt);
  for (guint i = 0; i < c->n_rcpt; i++) {
    NdrRecipient *r = ndr_message_find_recipient (msg, c->address[i]);
    g_assert_nonnull (r);
    if (c->status[i] != NULL)
      g_assert_true (has_status (r, c->status[i]));
    else                                            /* no code: the reason as written */
      g_assert_true (r->diagnostic != NULL || r->reply_code != 0);
    g_assert_cmpint (r->reply_code, ==, c->reply_code[i]);
  }
}

/* test_detect - every format says yes on its own case and no on every other corpus case */
static void
test_detect (void)
{
  const char *root = g_getenv ("NDR_SOURCE_ROOT");
  g_assert_nonnull (root);
  g_autofree char *dir = g_build_filename (root, "corpus", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) d = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  guint seen = 0, wrong = 0;
  for (const char *name; (name = g_dir_read_name (d)) != NULL;) {
    if (!g_str_has_suffix (name, ".eml"))
      continue;
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
      gboolean want = FALSE;                         /* its own case(s), by the format */
      for (gsize j = 0; j < G_N_ELEMENTS (cases); j++)
        want = want || (cases[j].format == cases[i].format && strcmp (cases[j].file, name) == 0);
      if (detects (cases[i].format, name) != want) {
        g_printerr ("%s detect %s: want %d\n", cases[i].format->name, name, want);
        wrong++;
      }
    }
    seen++;
  }
  g_assert_cmpuint (wrong, ==, 0);
  g_assert_cmpuint (seen, >, G_N_ELEMENTS (cases));   /* the corpus is there: others too */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ndr_parser_init ();
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *name = g_strconcat ("/formats/corpus/", cases[i].file, NULL);
    g_test_add_data_func (name, &cases[i], test_case);
  }
  g_test_add_func ("/formats/detect", test_detect);
  int rc = g_test_run ();
  ndr_parser_shutdown ();
  return rc;
}
