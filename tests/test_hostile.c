/*
 * NAME
 *   test_hostile.c - hostile inputs: each yields a record, within the limits, and no crash
 * DESCRIPTION
 *   The hostile set of the parser:
 *     - corpus/broken-*.eml, the broken messages kept in the corpus (their golden output is
 *       checked by the golden test; here every record is checked against the limits);
 *     - inputs too large to keep in the tree, built in memory: 500-deep nesting, a 5 MB
 *       header, 100,000 recipients, a 1 MB line, 2,000 parts, a message over
 *       --max-message-size, and every other limit of NdrLimits hit by setting it small;
 *     - a sweep over every corpus message truncated and with bytes overwritten at points
 *       chosen by a fixed pseudo-random sequence (the same every run);
 *     - mbox files with a message GMime cannot start (random bytes), and the fixture
 *       tests/data/bounces.mbox whose bodies hold ">From " and "From " lines.
 *   Every record of the broken corpus is also rendered in every output format of cli/output.h:
 *   JSON must parse back and hold no raw control byte, text for people no control character
 *   but line feed and tab (no terminal escape gets through).
 *   check_record() asserts what parser.h promises of every record: strings valid UTF-8,
 *   evidence lines within max_line, recipients and evidence within their limits.
 *   No test measures time; meson's timeout bounds the whole program.
 * TRUST
 *   The inputs are hostile on purpose; the test trusts only the corpus being in the tree.
 */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include <json-glib/json-glib.h>

#include "output.h"
#include "parser.h"

#define SWEEP_POINTS  32u            /* truncations and overwrites per corpus message */
#define BIG_HEADER    (5u * 1024u * 1024u)
#define BIG_LINE      (1024u * 1024u)
#define MANY_RCPTS    100000u
#define MANY_PARTS    2000u
#define DEEP_NESTING  500u

static char *source_root;

/* rng - the next value of a 32-bit xorshift; the same sequence every run */
static guint32
rng (guint32 *state)
{
  guint32 x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *state = x;
}

/* check_str - a string of a record: NULL or valid UTF-8 of at most max bytes */
static void
check_str (const char *what, const char *s, gsize max)
{
  if (s == NULL)
    return;
  if (!g_utf8_validate (s, -1, NULL))
    g_error ("%s is not valid UTF-8", what);
  if (strlen (s) > max)
    g_error ("%s has %zu bytes, over the limit of %zu", what, strlen (s), (size_t) max);
}

/* check_evidence - every item of an evidence array within the limits */
static void
check_evidence (const GPtrArray *evidence, const NdrLimits *limits)
{
  g_assert_nonnull (evidence);
  for (guint i = 0; i < evidence->len; i++) {
    const NdrEvidence *ev = g_ptr_array_index (evidence, i);
    g_assert_cmpint (ev->source, <, NDR_SOURCE_COUNT);
    check_str ("evidence status", ev->status, limits->max_line);
    check_str ("evidence text", ev->text, limits->max_line);
  }
}

/* check_record - what parser.h promises of every record */
static void
check_record (const NdrMessage *msg, const NdrLimits *limits)
{
  gsize big = limits->max_message_size;

  g_assert_nonnull (msg);
  g_assert_nonnull (msg->source);
  g_assert_cmpint (msg->kind, <=, NDR_KIND_FEEDBACK);
  const char *const strs[] = { msg->error, msg->mta, msg->lang, msg->reporting_mta, msg->date,
                               msg->subject, msg->from, msg->user_text, msg->admin_text,
                               msg->original_headers, msg->original.message_id,
                               msg->original.from, msg->original.to, msg->original.subject,
                               msg->original.date };
  for (guint i = 0; i < G_N_ELEMENTS (strs); i++)
    check_str ("a message field", strs[i], big);
  check_str ("subject", msg->subject, limits->max_header);
  check_str ("original headers", msg->original_headers, limits->max_header);
  g_assert_nonnull (msg->recipients);
  g_assert_cmpuint (msg->recipients->len, <=, limits->max_recipients);
  for (guint i = 0; i < msg->recipients->len; i++) {
    const NdrRecipient *r = g_ptr_array_index (msg->recipients, i);
    const char *const rs[] = { r->address, r->original_recipient, r->display_name, r->action,
                               r->status, r->remote_mta, r->diagnostic, r->last_attempt_date,
                               r->will_retry_until };
    for (guint j = 0; j < G_N_ELEMENTS (rs); j++)
      check_str ("a recipient field", rs[j], big);
    g_assert_cmpuint (r->evidence->len, <=, limits->max_evidence);
    check_evidence (r->evidence, limits);
  }
  if (msg->hops != NULL)
    for (guint i = 0; i < msg->hops->len; i++) {
      const NdrHop *h = g_ptr_array_index (msg->hops, i);
      const char *const hs[] = { h->hop, h->time, h->from, h->to, h->with, h->relay_time };
      for (guint j = 0; j < G_N_ELEMENTS (hs); j++)
        check_str ("a hop field", hs[j], big);
    }
}

/* parse_checked - parse len bytes with the given limits, check the record, return it */
static NdrMessage *
parse_checked (const char *data, gsize len, const char *source, const NdrLimits *limits)
{
  NdrMessage *msg = ndr_parse_bytes (data, len, source, limits);
  check_record (msg, limits);
  g_assert_cmpuint (msg->size, ==, len);
  return msg;
}

/* by_name - order the paths of a GPtrArray bytewise */
static gint
by_name (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* corpus_files - the paths of corpus/PREFIX*.eml, sorted */
static GPtrArray *
corpus_files (const char *prefix)
{
  g_autofree char *dir = g_build_filename (source_root, "corpus", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix) && g_str_has_suffix (name, ".eml"))
      g_ptr_array_add (paths, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (paths, by_name);
  return paths;
}

/* test_corpus_broken - every corpus/broken-*.eml yields a sound record */
static void
test_corpus_broken (void)
{
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(GPtrArray) paths = corpus_files ("broken-");
  g_assert_cmpuint (paths->len, >=, 14);
  for (guint i = 0; i < paths->len; i++) {
    const char *path = g_ptr_array_index (paths, i);
    g_autofree char *data = NULL;
    gsize len = 0;
    g_assert_true (g_file_get_contents (path, &data, &len, NULL));
    g_autoptr(NdrMessage) msg = parse_checked (data, len, path, &limits);
    if (g_str_has_suffix (path, "broken-empty.eml") || g_str_has_suffix (path, "broken-random-bytes.eml")
        || g_str_has_suffix (path, "broken-nested-40-deep.eml"))
      g_assert_nonnull (msg->error);
  }
}

/* no_controls - TRUE if text is valid UTF-8 with no control character but those in allowed */
static gboolean
no_controls (const char *text, const char *allowed)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);
    if ((c < 0x20 || (c >= 0x7f && c < 0xa0)) && (c == 0 || strchr (allowed, (int) c) == NULL))
      return FALSE;
  }
  return TRUE;
}

/* test_output_escaped - the broken corpus in every output format: nothing raw gets through */
static void
test_output_escaped (void)
{
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(GPtrArray) paths = corpus_files ("broken-");
  for (guint i = 0; i < paths->len; i++) {
    const char *path = g_ptr_array_index (paths, i);
    g_autofree char *data = NULL;
    gsize len = 0;
    g_assert_true (g_file_get_contents (path, &data, &len, NULL));
    g_autoptr(NdrMessage) msg = parse_checked (data, len, path, &limits);
    for (int pretty = 0; pretty <= 1; pretty++) {
      g_autofree char *json = ndr_json_render_message (msg, pretty);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      g_assert_true (no_controls (json, pretty ? "\n" : ""));
      json_parser_load_from_data (parser, json, -1, &error);
      g_assert_no_error (error);
    }
    g_autoptr(GString) text = g_string_new (NULL);
    ndr_human_append_message (text, msg);
    if (!no_controls (text->str, "\n\t"))
      g_error ("%s: text output holds a control character", path);
  }
}

/* report_head - the headers of a DSN from mx.example.net to sender@example.com */
static void
report_head (GString *s, const char *boundary)
{
  g_string_append (s, "Return-Path: <>\n"
                      "Date: Tue, 31 Mar 2026 10:00:00 +0200\n"
                      "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n"
                      "To: sender@example.com\n"
                      "Subject: Undelivered Mail Returned to Sender\n"
                      "Message-ID: <hostile@mx.example.net>\n"
                      "MIME-Version: 1.0\n");
  g_string_append_printf (s, "Content-Type: multipart/report; report-type=delivery-status;"
                             " boundary=\"%s\"\n\n", boundary);
}

/* dsn_with_recipients - a DSN with n failed recipients r0@example.net, r1@example.net ... */
static GString *
dsn_with_recipients (guint n)
{
  GString *s = g_string_sized_new ((gsize) n * 96u + 1024u);
  report_head (s, "b");
  g_string_append (s, "--b\nContent-Type: text/plain\n\nDelivery failed.\n\n"
                      "--b\nContent-Type: message/delivery-status\n\n"
                      "Reporting-MTA: dns; mx.example.net\n");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "\nFinal-Recipient: rfc822; r%u@example.net\nAction: failed\n"
                               "Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 unknown\n", i);
  g_string_append (s, "\n--b--\n");
  return s;
}

/* test_recipients_100k - 100,000 recipients: cut at a limit (recipients, or text of the DSN
 * part, whichever comes first), and the cut recorded */
static void
test_recipients_100k (void)
{
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(GString) s = dsn_with_recipients (MANY_RCPTS);
  g_autoptr(NdrMessage) msg = parse_checked (s->str, s->len, "recipients-100k", &limits);
  g_test_message ("100,000 recipients: %u kept; error: %s", msg->recipients->len,
                  msg->error != NULL ? msg->error : "(none)");
  g_assert_cmpuint (msg->recipients->len, >, 0);
  g_assert_nonnull (msg->error);
}

/* test_recipients_limit - a small --max-recipients is hit and recorded */
static void
test_recipients_limit (void)
{
  NdrLimits limits;
  ndr_limits_init (&limits);
  limits.max_recipients = 3;
  g_autoptr(GString) s = dsn_with_recipients (10);
  g_autoptr(NdrMessage) msg = parse_checked (s->str, s->len, "recipients-10", &limits);
  g_assert_cmpuint (msg->recipients->len, ==, 3);
  g_assert_nonnull (msg->error);

  limits.max_recipients = 10;                      /* exactly at the limit: nothing is cut */
  g_autoptr(NdrMessage) all = parse_checked (s->str, s->len, "recipients-10", &limits);
  g_assert_cmpuint (all->recipients->len, ==, 10);
  g_assert_null (all->error);
}

/* nested - a DSN at the bottom of depth multiparts */
static GString *
nested (guint depth)
{
  GString *s = g_string_new (NULL);
  report_head (s, "n0");
  for (guint i = 1; i < depth; i++)
    g_string_append_printf (s, "--n%u\nContent-Type: multipart/mixed; boundary=\"n%u\"\n\n",
                            i - 1, i);
  g_string_append_printf (s, "--n%u\nContent-Type: message/delivery-status\n\n"
                             "Reporting-MTA: dns; mx.example.net\n\n"
                             "Final-Recipient: rfc822; deep@example.net\nAction: failed\n"
                             "Status: 5.1.1\n\n", depth - 1);
  for (guint i = depth; i-- > 0;)
    g_string_append_printf (s, "--n%u--\n", i);
  return s;
}

/* test_nesting - 500-deep nesting is cut at the MIME depth limit, and so is a small limit */
static void
test_nesting (void)
{
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(GString) deep = nested (DEEP_NESTING);
  g_autoptr(NdrMessage) msg = parse_checked (deep->str, deep->len, "nesting-500", &limits);
  g_assert_nonnull (msg->error);
  g_assert_cmpuint (msg->recipients->len, ==, 0);  /* the DSN lies below the limit */

  g_autoptr(GString) shallow = nested (4);
  g_autoptr(NdrMessage) ok = parse_checked (shallow->str, shallow->len, "nesting-4", &limits);
  g_assert_null (ok->error);
  g_assert_cmpuint (ok->recipients->len, ==, 1);
  limits.max_mime_depth = 2;
  g_autoptr(NdrMessage) cut = parse_checked (shallow->str, shallow->len, "nesting-4", &limits);
  g_assert_nonnull (cut->error);
}

/* test_big_header - a 5 MB Subject and a 5 MB header block are cut, not kept whole, and the
 * cut is recorded */
static void
test_big_header (void)
{
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(GString) s = g_string_sized_new (2u * BIG_HEADER + 4096u);
  g_string_append (s, "Subject: Undelivered ");
  for (gsize i = 0; s->len < BIG_HEADER; i++)
    g_string_append (s, i % 16 == 15 ? "\n x" : "5.1.1 550 ");   /* folded, with codes */
  g_string_append (s, "\n");
  for (guint i = 0; s->len < 2u * BIG_HEADER; i++)
    g_string_append_printf (s, "X-Filler-%u: 550 5.7.1 %0200u\n", i, i);
  g_string_append (s, "From: MAILER-DAEMON@mx.example.net\n\nYour message failed: 550 5.1.1\n");
  g_autoptr(NdrMessage) msg = parse_checked (s->str, s->len, "header-5mb", &limits);
  g_assert_nonnull (msg->error);                   /* the cut at max_header is recorded */
}

/* test_long_line - a 1 MB line: evidence text is cut at max_line */
static void
test_long_line (void)
{
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(GString) s = g_string_new (NULL);
  report_head (s, "l");
  g_string_append (s, "--l\nContent-Type: text/plain\n\n550 5.1.1 ");
  while (s->len < BIG_LINE)
    g_string_append (s, "unknown user ");
  g_string_append (s, "\n\n--l\nContent-Type: message/delivery-status\n\n"
                      "Reporting-MTA: dns; mx.example.net\n\n"
                      "Final-Recipient: rfc822; long@example.net\nAction: failed\n"
                      "Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 ");
  gsize start = s->len;
  while (s->len - start < BIG_LINE)
    g_string_append (s, "no such user ");
  g_string_append (s, "\n\n--l--\n");
  g_autoptr(NdrMessage) msg = parse_checked (s->str, s->len, "line-1mb", &limits);
  g_assert_cmpuint (msg->recipients->len, ==, 1);
}

/* test_many_parts - 2,000 parts: the part limit is hit and recorded */
static void
test_many_parts (void)
{
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(GString) s = g_string_new (NULL);
  report_head (s, "p");
  for (guint i = 0; i < MANY_PARTS; i++)
    g_string_append_printf (s, "--p\nContent-Type: text/plain\n\npart %u: 550 5.1.1\n", i);
  g_string_append (s, "--p--\n");
  g_autoptr(NdrMessage) msg = parse_checked (s->str, s->len, "parts-2000", &limits);
  g_assert_nonnull (msg->error);
}

/* test_message_size - a message over --max-message-size is read in part, and says so */
static void
test_message_size (void)
{
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(GString) s = dsn_with_recipients (50);
  limits.max_message_size = s->len / 2;
  g_autoptr(NdrMessage) msg = parse_checked (s->str, s->len, "size", &limits);
  g_assert_nonnull (msg->error);
  g_assert_cmpuint (msg->size, ==, s->len);
}

/* small - parse s with every limit at its default but one, set by the caller; check the record */
static NdrMessage *
small (const GString *s, const char *source, void (*set) (NdrLimits *limits))
{
  NdrLimits limits;
  ndr_limits_init (&limits);
  set (&limits);
  return parse_checked (s->str, s->len, source, &limits);
}

static void set_parts (NdrLimits *l) { l->max_parts = 3; }
static void set_text (NdrLimits *l) { l->max_text = 200; }
static void set_header (NdrLimits *l) { l->max_header = 300; }
static void set_line (NdrLimits *l) { l->max_line = 40; }
static void set_evidence (NdrLimits *l) { l->max_evidence = 2; }

/* test_small_limits - each remaining limit, set small, is hit: the record stays within it,
 * and where something was not read, msg->error says so */
static void
test_small_limits (void)
{
  g_autoptr(GString) s = g_string_new (NULL);
  report_head (s, "q");
  g_string_append (s, "--q\nContent-Type: text/plain\n\n");
  for (guint i = 0; i < 40; i++)
    g_string_append_printf (s, "attempt %u: 550 5.1.1 <q@example.net>: recipient unknown at "
                               "store.example.net, say the logs of the remote side\n", i);
  g_string_append (s, "\n--q\nContent-Type: message/delivery-status\n\n"
                      "Reporting-MTA: dns; mx.example.net\n\n"
                      "Final-Recipient: rfc822; q@example.net\nAction: failed\nStatus: 5.1.1\n"
                      "Diagnostic-Code: smtp; 550 5.1.1 <q@example.net>: recipient unknown, "
                      "said store.example.net after the RCPT TO command\n\n"
                      "--q\nContent-Type: text/plain\n\nthird part\n"
                      "--q\nContent-Type: text/plain\n\nfourth part\n--q--\n");

  g_autoptr(NdrMessage) parts = small (s, "max-parts", set_parts);
  g_assert_nonnull (parts->error);
  g_autoptr(NdrMessage) text = small (s, "max-text", set_text);
  g_assert_nonnull (text->error);
  g_autoptr(NdrMessage) header = small (s, "max-header", set_header);
  g_assert_nonnull (header->error);
  g_autoptr(NdrMessage) line = small (s, "max-line", set_line);    /* check_record: <= 40 */
  g_assert_cmpuint (line->recipients->len, ==, 1);
  g_autoptr(NdrMessage) evidence = small (s, "max-evidence", set_evidence);
  g_assert_cmpuint (evidence->recipients->len, ==, 1);
  NdrRecipient *r = g_ptr_array_index (evidence->recipients, 0);
  g_assert_cmpuint (r->evidence->len, ==, 2);
}

/* test_sweep - every corpus message, truncated and overwritten at fixed pseudo-random points */
static void
test_sweep (void)
{
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(GPtrArray) paths = corpus_files ("");
  guint32 state = 0x9E3779B9u;
  guint parsed = 0;

  g_assert_cmpuint (paths->len, >, 0);
  for (guint i = 0; i < paths->len; i++) {
    g_autofree char *data = NULL;
    gsize len = 0;
    g_assert_true (g_file_get_contents (g_ptr_array_index (paths, i), &data, &len, NULL));
    if (len == 0)
      continue;
    g_autofree char *copy = g_malloc (len);
    for (guint k = 0; k < SWEEP_POINTS; k++) {
      gsize at = rng (&state) % len;
      ndr_message_free (parse_checked (data, at, "sweep-cut", &limits));
      memcpy (copy, data, len);
      for (guint b = 0; b < 8; b++)                    /* eight bytes overwritten near at */
        copy[(at + rng (&state) % 64u) % len] = (char) (rng (&state) & 0xffu);
      ndr_message_free (parse_checked (copy, len, "sweep-hit", &limits));
      parsed += 2;
    }
  }
  g_assert_cmpuint (parsed, >, 0);
}

/* read_all - every message of path through an NdrReader, parsed and checked; the count */
static guint
read_all (const char *path, const NdrLimits *limits)
{
  g_autoptr(NdrReader) reader = ndr_reader_new (limits);
  guint n = 0;

  ndr_reader_add_path (reader, path);
  for (;;) {
    g_autoptr(GError) error = NULL;
    g_autoptr(NdrRaw) raw = ndr_reader_next (reader, &error);
    g_assert_no_error (error);
    if (raw == NULL)
      break;
    g_autoptr(NdrMessage) msg = ndr_parse_raw (raw, limits);
    check_record (msg, limits);
    n++;
    g_assert_cmpuint (n, <=, 100);                 /* a reader that loops fails here */
  }
  return n;
}

/* test_mbox_hostile - an mbox holding messages GMime cannot start, and empty ones */
static void
test_mbox_hostile (void)
{
  NdrLimits limits;
  ndr_limits_init (&limits);
  static const char from[] = "From MAILER-DAEMON Tue Mar 31 10:00:00 2026\n";
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(GString) good = dsn_with_recipients (1);
  guint32 state = 0x2545F491u;

  g_string_append_printf (s, "%s%s\n", from, good->str);
  g_string_append (s, from);                         /* a first line that is no header */
  g_string_append (s, ": not a header\nhello world\n\n");
  g_string_append (s, from);                         /* random bytes, no "\nFrom " in them */
  for (guint i = 0; i < 2048; i++) {
    char c = (char) (rng (&state) & 0xffu);
    g_string_append_c (s, c == '\n' ? ' ' : c);
  }
  g_string_append (s, "\n\n");
  g_string_append_printf (s, "%s\n", from);           /* an empty message */
  g_string_append_printf (s, "%s%s", from, good->str); /* the last, with no blank line after */

  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("ndr-hostile-XXXXXX.mbox", &path, NULL);
  g_assert_cmpint (fd, >=, 0);
  g_close (fd, NULL);
  g_assert_true (g_file_set_contents (path, s->str, (gssize) s->len, NULL));
  g_assert_cmpuint (read_all (path, &limits), ==, 5);
  g_unlink (path);
}

/* test_mbox_from_lines - tests/data/bounces.mbox: ">From " and "From " body lines split nothing */
static void
test_mbox_from_lines (void)
{
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autofree char *path = g_build_filename (source_root, "tests", "data", "bounces.mbox", NULL);
  g_assert_cmpuint (read_all (path, &limits), ==, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  const char *root = g_getenv ("NDR_SOURCE_ROOT");
  source_root = g_strdup (root != NULL ? root : ".");
  ndr_parser_init ();

  g_test_add_func ("/hostile/corpus-broken", test_corpus_broken);
  g_test_add_func ("/hostile/recipients-100k", test_recipients_100k);
  g_test_add_func ("/hostile/recipients-limit", test_recipients_limit);
  g_test_add_func ("/hostile/nesting", test_nesting);
  g_test_add_func ("/hostile/header-5mb", test_big_header);
  g_test_add_func ("/hostile/line-1mb", test_long_line);
  g_test_add_func ("/hostile/parts-2000", test_many_parts);
  g_test_add_func ("/hostile/message-size", test_message_size);
  g_test_add_func ("/hostile/small-limits", test_small_limits);
  g_test_add_func ("/hostile/sweep", test_sweep);
  g_test_add_func ("/hostile/mbox", test_mbox_hostile);
  g_test_add_func ("/hostile/mbox-from-lines", test_mbox_from_lines);
  g_test_add_func ("/hostile/output-escaped", test_output_escaped);

  int rc = g_test_run ();
  ndr_parser_shutdown ();
  g_free (source_root);
  return rc;
}
