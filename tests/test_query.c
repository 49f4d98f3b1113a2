/*
 * NAME
 *   test_query.c - ndr why, search and report against a database built from the corpus
 * DESCRIPTION
 *   Ingests a chosen part of corpus/ (with the built-in rules) into a temporary database,
 *   then checks ndr_store_why() for an address, a domain and a Message-ID (a deferral and
 *   the failure that followed it), ndr_store_search() with its snippets, filters and a query
 *   FTS5 refuses, and ndr_store_report() against hand-counted figures. The escaping of
 *   output_escape.c and the renderers are fed hostile text: terminal escapes, markup, CSV
 *   formulas, invalid UTF-8; JSON is checked by json-glib, the mail by GMime.
 * TRUST
 *   Test code; the corpus is ours.
 */
#include <gmime/gmime.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "classify.h"
#include "output_report.h"
#include "store.h"

static char *db_dir;
static char *db_path;

static const char *const corpus[] = {
  "postfix-mailbox-full-delay.eml", "postfix-mailbox-full-bounce.eml",
  "o365-en-loop-behind-5.1.1.eml", "o365-de-loop-behind-5.1.1.eml",
  "broken-escapes-markup.eml", "dsn-failed-5.1.1.eml", "exim-user-unknown.eml",
  "autoreply-en-out-of-office.eml",
};

/* open_db - the test database, read-only */
static NdrStore *
open_db (void)
{
  g_autoptr(GError) error = NULL;
  NdrStore *store = ndr_store_open (db_path, NDR_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  return store;
}

/* build_db - ingest the corpus files into a new database */
static void
build_db (void)
{
  const char *root = g_getenv ("NDR_SOURCE_ROOT");
  g_assert_nonnull (root);
  db_dir = g_dir_make_tmp ("ndr-query-XXXXXX", NULL);
  db_path = g_build_filename (db_dir, "q.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NdrRuleSet) rules = ndr_rules_load (NULL, NDR_RULES_NO_SYSTEM, &error);
  g_assert_no_error (error);
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(NdrReader) reader = ndr_reader_new (&limits);
  for (gsize i = 0; i < G_N_ELEMENTS (corpus); i++) {
    g_autofree char *path = g_build_filename (root, "corpus", corpus[i], NULL);
    g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
    ndr_reader_add_path (reader, path);
  }
  g_autoptr(NdrStore) store = ndr_store_open (db_path, NDR_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  NdrIngestOptions options = { .jobs = 1, .limits = &limits, .rules = rules };
  NdrIngestCounts counts;
  g_assert_true (ndr_store_ingest (store, reader, &options, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.added, ==, G_N_ELEMENTS (corpus));
}

/* test_why_address - a deferral then the failure: newest first, with evidence */
static void
test_why_address (void)
{
  g_autoptr(NdrStore) store = open_db ();
  g_autoptr(GError) error = NULL;
  guint64 total = 0;
  g_autoptr(GPtrArray) found = ndr_store_why (store, NDR_WHY_ADDRESS, "CAROL@example.org", NULL,
                                              10, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpuint (total, ==, 2);
  NdrStoreFailure *newest = g_ptr_array_index (found, 0), *oldest = g_ptr_array_index (found, 1);
  g_assert_cmpstr (newest->status, ==, "5.2.2");
  g_assert_cmpstr (newest->outcome, ==, "failed");
  g_assert_cmpstr (oldest->outcome, ==, "delayed");
  g_assert_cmpstr (newest->category, ==, "mailbox-full");
  g_assert_cmpstr (newest->orig_message_id, ==, oldest->orig_message_id);
  g_assert_cmpstr (newest->bounced_at, >, oldest->bounced_at);
  g_assert_true (ndr_store_why_evidence (store, newest, &error));
  g_assert_cmpuint (newest->evidence->len, >, 0);
  NdrStoreEvidence *ev = g_ptr_array_index (newest->evidence, 0);
  g_assert_nonnull (ev->source);
  g_autoptr(GBytes) raw = ndr_store_raw (store, newest->message, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (raw), >, 100);
}

/* test_why_limit - the limit cuts, the total still counts all; since excludes */
static void
test_why_limit (void)
{
  g_autoptr(NdrStore) store = open_db ();
  g_autoptr(GError) error = NULL;
  guint64 total = 0;
  g_autoptr(GPtrArray) one = ndr_store_why (store, NDR_WHY_ADDRESS, "carol@example.org", NULL,
                                            1, &total, &error);
  g_assert_cmpuint (one->len, ==, 1);
  g_assert_cmpuint (total, ==, 2);
  g_autoptr(GPtrArray) none = ndr_store_why (store, NDR_WHY_ADDRESS, "carol@example.org",
                                             "2100-01-01T00:00:00Z", 10, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (total, ==, 0);
  g_autoptr(GPtrArray) nobody = ndr_store_why (store, NDR_WHY_ADDRESS, "nobody@example.com",
                                               NULL, 10, &total, &error);
  g_assert_cmpuint (nobody->len, ==, 0);
  NdrStoreSummary sum;
  g_assert_true (ndr_store_summary (store, &sum, &error));
  g_assert_cmpint (sum.messages, ==, G_N_ELEMENTS (corpus));
  g_assert_nonnull (sum.first);
  g_assert_cmpstr (sum.first, <=, sum.last);
  ndr_store_summary_clear (&sum);
}

/* test_why_domain_msgid - every recipient of a domain; one original message's reports */
static void
test_why_domain_msgid (void)
{
  g_autoptr(NdrStore) store = open_db ();
  g_autoptr(GError) error = NULL;
  guint64 total = 0;
  g_autoptr(GPtrArray) dom = ndr_store_why (store, NDR_WHY_DOMAIN, "Example.ORG", NULL, 100,
                                            &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dom->len, >=, 2);
  for (guint i = 0; i < dom->len; i++) {
    NdrStoreFailure *f = g_ptr_array_index (dom, i);
    g_assert_true (g_str_has_suffix (f->address, "@example.org"));
    g_assert_cmpstr (f->outcome, !=, "delivered");            /* no auto-reply */
    if (i > 0)
      g_assert_cmpstr (((NdrStoreFailure *) g_ptr_array_index (dom, i - 1))->bounced_at, >=,
                       f->bounced_at);
  }
  NdrStoreFailure *carol = g_ptr_array_index (dom, 0);
  g_autofree char *mid = g_strdup (carol->orig_message_id);
  for (guint i = 0; i < dom->len && mid == NULL; i++)
    mid = g_strdup (((NdrStoreFailure *) g_ptr_array_index (dom, i))->orig_message_id);
  g_assert_nonnull (mid);
  g_autoptr(GPtrArray) msg = ndr_store_why (store, NDR_WHY_MESSAGE_ID, mid, NULL, 10, &total,
                                            &error);
  g_assert_cmpuint (msg->len, >=, 1);
  for (guint i = 0; i < msg->len; i++)
    g_assert_cmpstr (((NdrStoreFailure *) g_ptr_array_index (msg, i))->orig_message_id, ==, mid);
}

/* test_search - snippets are marked, filters hold, a bad query is a usage error */
static void
test_search (void)
{
  g_autoptr(NdrStore) store = open_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = ndr_store_search (store, "mailbox", NULL, NULL, NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, >=, 2);
  NdrStoreHit *hit = g_ptr_array_index (hits, 0);
  g_assert_nonnull (strchr (hit->snippet, '\002'));
  g_assert_nonnull (strchr (hit->snippet, '\003'));
  g_autoptr(GPtrArray) loops = ndr_store_search (store, "hop OR mailbox", NULL, "loop", NULL, 10,
                                                 &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loops->len, ==, 2);
  for (guint i = 0; i < loops->len; i++)
    g_assert_nonnull (strstr (((NdrStoreHit *) g_ptr_array_index (loops, i))->recipients, "loop"));
  g_autoptr(GPtrArray) dom = ndr_store_search (store, "mailbox", NULL, NULL, "Example.ORG", 10,
                                               &error);
  g_assert_cmpuint (dom->len, >=, 2);
  for (guint i = 0; i < dom->len; i++)
    g_assert_nonnull (strstr (((NdrStoreHit *) g_ptr_array_index (dom, i))->recipients,
                              "@example.org"));
  g_autoptr(GPtrArray) nowhere = ndr_store_search (store, "mailbox", NULL, NULL, "nowhere.example",
                                                   10, &error);
  g_assert_cmpuint (nowhere->len, ==, 0);
  const char *bad[] = { "\"unbalanced", "AND OR", "nosuchcolumn:x", "(", "*" };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr(GError) refused = NULL;
    g_autoptr(GPtrArray) none = ndr_store_search (store, bad[i], NULL, NULL, NULL, 10, &refused);
    g_assert_null (none);
    g_assert_error (refused, NDR_ERROR, NDR_ERROR_USAGE);
  }
}

/* find_cause - the cause called category in a report, or NULL */
static NdrReportCause *
find_cause (const NdrReport *report, const char *category)
{
  for (guint i = 0; i < report->causes->len; i++) {
    NdrReportCause *c = g_ptr_array_index (report->causes, i);
    if (strcmp (c->category, category) == 0)
      return c;
  }
  return NULL;
}

/* test_report - counts per cause and day, the previous period, the most affected */
static void
test_report (void)
{
  g_autoptr(NdrStore) store = open_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NdrReport) report = ndr_store_report (store, "2026-03-15", 7, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (report->from, ==, "2026-03-09");
  g_assert_cmpstr (report->prev_from, ==, "2026-03-02");
  NdrReportCause *full = find_cause (report, "mailbox-full");
  g_assert_nonnull (full);
  g_assert_cmpuint (full->count, ==, 2);                  /* the deferral and the bounce */
  g_assert_cmpuint (full->previous, ==, 0);
  g_assert_cmpuint (full->per_day[1] + full->per_day[6], ==, 2);   /* 03-10 and 03-15 */
  g_assert_cmpstr (full->owner, ==, "recipient-user");
  g_assert_cmpuint (full->domains->len, ==, 1);
  g_assert_cmpstr (((NdrReportTop *) g_ptr_array_index (full->domains, 0))->name, ==,
                   "example.org");
  guint64 sum = 0;
  for (guint i = 0; i < report->causes->len; i++)
    sum += ((NdrReportCause *) g_ptr_array_index (report->causes, i))->count;
  g_assert_cmpuint (sum, ==, report->total);
  g_autoptr(NdrReport) later = ndr_store_report (store, "2026-03-22", 7, 3, &error);
  NdrReportCause *gone = find_cause (later, "mailbox-full");
  g_assert_nonnull (gone);
  g_assert_cmpuint (gone->count, ==, 0);
  g_assert_cmpuint (gone->previous, ==, 2);
  g_autoptr(NdrReport) bad = ndr_store_report (store, "2026-02-30", 7, 3, &error);
  g_assert_null (bad);
  g_assert_error (error, NDR_ERROR, NDR_ERROR_USAGE);
}

static const char hostile[] =
  "=HYPERLINK(\"http://x\")\x1b[31m<script>alert(1)</script>\x1b]0;title\x07\xff\xfe'&\"";

/* hostile_report - a report whose names are hostile */
static NdrReport *
hostile_report (void)
{
  NdrReport *r = g_new0 (NdrReport, 1);
  r->from = g_strdup ("2026-03-01");
  r->to = g_strdup ("2026-03-03");
  r->prev_from = g_strdup ("2026-02-27");
  r->days = 3;
  r->total = 5;
  r->causes = g_ptr_array_new ();
  NdrReportCause *c = g_new0 (NdrReportCause, 1);
  c->category = g_strdup ("user-unknown");
  c->owner = g_strdup ("sender-user");
  c->count = 5;
  c->per_day = g_new0 (guint64, 3);
  c->per_day[0] = 4;
  c->per_day[2] = 1;
  c->domains = g_ptr_array_new ();
  c->senders = g_ptr_array_new ();
  NdrReportTop *t = g_new0 (NdrReportTop, 1);
  t->name = g_strdup (hostile);
  t->count = 5;
  g_ptr_array_add (c->domains, t);
  NdrReportTop *s = g_new0 (NdrReportTop, 1);
  s->name = g_strdup ("@SUM(1+1)");
  s->count = 2;
  g_ptr_array_add (c->senders, s);
  g_ptr_array_add (r->causes, c);
  return r;
}

/* free_hostile - free what hostile_report() made (its arrays own nothing) */
static void
free_hostile (NdrReport *r)
{
  NdrReportCause *c = g_ptr_array_index (r->causes, 0);
  NdrReportTop *tops[] = { g_ptr_array_index (c->domains, 0), g_ptr_array_index (c->senders, 0) };
  for (gsize i = 0; i < G_N_ELEMENTS (tops); i++) {
    g_free (tops[i]->name);
    g_free (tops[i]);
  }
  g_ptr_array_unref (c->domains);
  g_ptr_array_unref (c->senders);
  g_free (c->category);
  g_free (c->owner);
  g_free (c->per_day);
  g_free (c);
  g_ptr_array_unref (r->causes);
  r->causes = NULL;
  ndr_report_free (r);
}

/* no_controls - valid UTF-8 without ESC, BEL or other C0 controls but line ends */
static void
no_controls (const char *s)
{
  g_assert_true (g_utf8_validate (s, -1, NULL));
  for (const char *p = s; *p != '\0'; p++)
    g_assert_true ((guchar) *p >= 0x20 || *p == '\n' || *p == '\r' || *p == '\t');
}

/* test_escapes - HTML, CSV and JSON of hostile text */
static void
test_escapes (void)
{
  g_autoptr(GString) html = g_string_new (NULL);
  ndr_escape_html (html, hostile);
  no_controls (html->str);
  g_assert_null (strpbrk (html->str, "<>\"'"));
  g_assert_nonnull (strstr (html->str, "&lt;script&gt;"));
  const char *formulas[] = { "=1+1", "+1", "-2+3", "@SUM(1)" };
  for (gsize i = 0; i < G_N_ELEMENTS (formulas); i++) {
    g_autoptr(GString) csv = g_string_new (NULL);
    ndr_escape_csv (csv, formulas[i]);
    g_assert_true (g_str_has_prefix (csv->str, "\"'"));
  }
  g_autoptr(GString) quote = g_string_new (NULL);
  ndr_escape_csv (quote, "a\"b");
  g_assert_cmpstr (quote->str, ==, "\"a\"\"b\"");
  g_autoptr(GString) json = g_string_new (NULL);
  ndr_escape_json (json, hostile);
  no_controls (json->str);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_assert_true (json_parser_load_from_data (parser, json->str, -1, &error));
  g_assert_no_error (error);
}

/* test_renderers - every format of a hostile report stays well-formed and inert */
static void
test_renderers (void)
{
  NdrReport *r = hostile_report ();
  g_autoptr(GString) html = g_string_new (NULL);
  ndr_report_html (html, r, "en");
  no_controls (html->str);
  g_assert_null (strstr (html->str, "<script"));
  g_assert_null (strstr (html->str, "href="));
  g_assert_null (strstr (html->str, "src="));
  g_assert_nonnull (strstr (html->str, "<svg"));
  g_assert_true (g_str_has_suffix (html->str, "</html>\n"));
  g_autoptr(GString) csv = g_string_new (NULL);
  ndr_report_csv (csv, r, "en");
  no_controls (csv->str);
  g_assert_null (strstr (csv->str, ",\"=") );
  g_assert_null (strstr (csv->str, ",\"@"));
  g_assert_nonnull (strstr (csv->str, "\"'=HYPERLINK"));
  g_autoptr(GString) json = g_string_new (NULL);
  ndr_report_json (json, r, "de");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_assert_true (json_parser_load_from_data (parser, json->str, -1, &error));
  g_autoptr(GString) text = g_string_new (NULL);
  ndr_report_text (text, r, "de");
  no_controls (text->str);
  g_assert_nonnull (strstr (text->str, "Wer handeln muss"));
  g_autoptr(GString) mail = g_string_new (NULL);
  g_assert_true (ndr_report_email (mail, r, "en", "ndr@example.com",
                                   "Postmaster <postmaster@example.com>", &error));
  g_assert_no_error (error);
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (mail->str, mail->len);
  GMimeParser *mp = g_mime_parser_new_with_stream (stream);
  GMimeMessage *msg = g_mime_parser_construct_message (mp, NULL);
  g_object_unref (mp);
  g_object_unref (stream);
  g_assert_nonnull (msg);
  GMimeObject *body = g_mime_message_get_mime_part (msg);
  g_assert_true (GMIME_IS_MULTIPART (body));
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (body)), ==, 2);
  g_assert_cmpstr (g_mime_content_type_get_media_subtype (g_mime_object_get_content_type (body)),
                   ==, "alternative");
  g_object_unref (msg);
  g_autoptr(GString) refused = g_string_new (NULL);
  g_assert_false (ndr_report_email (refused, r, "en", "ndr@example.com", "", &error));
  g_assert_error (error, NDR_ERROR, NDR_ERROR_USAGE);
  free_hostile (r);
}

/* test_trend - one block per day, the largest full */
static void
test_trend (void)
{
  const guint64 days[] = { 0, 1, 8, 4 };
  g_autofree char *t = ndr_report_trend (days, G_N_ELEMENTS (days));
  g_assert_cmpstr (t, ==, " ▁█▄");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ndr_parser_init ();
  build_db ();
  g_test_add_func ("/query/why/address", test_why_address);
  g_test_add_func ("/query/why/limit", test_why_limit);
  g_test_add_func ("/query/why/domain-msgid", test_why_domain_msgid);
  g_test_add_func ("/query/search", test_search);
  g_test_add_func ("/query/report", test_report);
  g_test_add_func ("/query/escapes", test_escapes);
  g_test_add_func ("/query/renderers", test_renderers);
  g_test_add_func ("/query/trend", test_trend);
  int status = g_test_run ();
  g_unlink (db_path);
  g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (db_dir);
  g_free (db_path);
  g_free (db_dir);
  ndr_parser_shutdown ();
  return status;
}
