/*
 * NAME
 *   store_testutil.c - what the store tests share: a made-up mailbox, a row dump, an analyser
 * DESCRIPTION
 *   store_test_mbox() writes an mbox of n bounces (RFC 3464 reports to userN@example.com with
 *   varied status codes and dates), where every 7th message repeats an earlier one and every
 *   23rd is not a message at all (it goes to the quarantine). store_test_dump() prints every
 *   row that an ingest must reproduce exactly, leaving out only when and by which run a row
 *   was stored. store_test_analyse() parses and gives each recipient a category made from
 *   its status and the prefix handed in, without the rule engine.
 * TRUST
 *   Test data, written here; domains are example.com/.net, addresses documentation ones.
 */
#include "store_testutil.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

static const char *const statuses[] = { "5.1.1", "4.2.2", "5.7.1", "5.4.6", "4.4.7" };

/* one_message - the text of message i of the made-up mailbox, lines ending in LF */
static char *
one_message (guint i)
{
  guint u = i % 11;
  const char *status = statuses[i % G_N_ELEMENTS (statuses)];
  return g_strdup_printf (
    "From: Mail Delivery System <MAILER-DAEMON@mx%u.example.net>\n"
    "To: sender@example.com\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "Date: Mon, %u Mar 2026 10:%02u:00 +0100\n"
    "Message-ID: <bounce-%u@mx.example.net>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b%u\"\n"
    "\n"
    "--b%u\n"
    "Content-Type: text/plain\n"
    "\n"
    "Your message to user%u@example.org could not be delivered.\n"
    "\n"
    "--b%u\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx%u.example.net\n"
    "\n"
    "Final-Recipient: rfc822; user%u@example.org\n"
    "Action: %s\n"
    "Status: %s\n"
    "Remote-MTA: dns; 192.0.2.%u\n"
    "Diagnostic-Code: smtp; %c50 %s message %u refused for user%u\n"
    "\n"
    "--b%u--\n",
    i % 3, 1 + i % 28, i % 60, i, i,
    i, u,
    i,
    i % 3,
    u, status[0] == '5' ? "failed" : "delayed", status, 1 + i % 200,
    status[0], status, i, u,
    i);
}

/* append_lines - append text with its LF line ends made nl */
static void
append_lines (GString *box, const char *text, const char *nl)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i + 1] != NULL || lines[i][0] != '\0')
      g_string_append_printf (box, "%s%s", lines[i], nl);
}

/**
 * store_test_mbox:
 * @dir: a temporary folder
 * @name: the file name
 * @n: messages
 * @crlf: write CRLF line ends instead of LF
 * @expect: (out) (optional): how many messages are distinct, and how many of those are junk
 *
 * Returns: (transfer full): the path of the mbox written.
 */
char *
store_test_mbox (const char *dir, const char *name, guint n, gboolean crlf, StoreTestExpect *expect)
{
  const char *nl = crlf ? "\r\n" : "\n";
  g_autoptr(GString) box = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint junk = 0;
  for (guint i = 0; i < n; i++) {
    gboolean is_junk = i > 0 && i % 23 == 0;
    char *m = is_junk ? g_strdup_printf ("this is not a message %u\n", i)
                      : one_message (i > 0 && i % 7 == 0 ? i / 2 : i);
    append_lines (box, "From MAILER-DAEMON Mon Mar  2 10:00:00 2026\n", nl);
    append_lines (box, m, nl);
    append_lines (box, "\n", nl);
    if (g_hash_table_add (seen, m) && is_junk)
      junk++;
  }
  if (expect != NULL) {
    expect->distinct = g_hash_table_size (seen);
    expect->junk = junk;
  }
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_file_set_contents (path, box->str, (gssize) box->len, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

/* Every column that must come out the same, table by table, in a stable order. */
static const char *const dump_sql[] = {
  ("SELECT id, sha256, source, size, raw_size, truncated, hex (raw), date, bounced_at, day,"
   " kind, mta, lang, reporting_mta, subject, from_addr, orig_message_id, orig_from, orig_to,"
   " orig_subject, orig_date, user_text, admin_text, error FROM messages ORDER BY id"),
  "SELECT * FROM recipients ORDER BY message_id, idx",
  "SELECT * FROM evidence ORDER BY message_id, recipient_idx, seq",
  "SELECT * FROM hops ORDER BY message_id, seq",
  ("SELECT id, sha256, source, error, size, raw_size, truncated, hex (raw) FROM quarantine"
   " ORDER BY id"),
  "SELECT rowid, diagnostic, admin_text, user_text FROM search ORDER BY rowid",
};

/**
 * store_test_dump:
 * @path: a database
 *
 * Returns: (transfer full): every stable row of the database as text, one row a line.
 */
char *
store_test_dump (const char *path)
{
  sqlite3 *db = NULL;
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_autoptr(GString) out = g_string_new (NULL);
  for (guint q = 0; q < G_N_ELEMENTS (dump_sql); q++) {
    sqlite3_stmt *st = NULL;
    g_assert_cmpint (sqlite3_prepare_v2 (db, dump_sql[q], -1, &st, NULL), ==, SQLITE_OK);
    g_string_append_printf (out, "-- %u\n", q);
    while (sqlite3_step (st) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count (st); c++) {
        const char *v = (const char *) sqlite3_column_text (st, c);
        g_string_append_printf (out, "%s%s", c > 0 ? "|" : "", v != NULL ? v : "NULL");
      }
      g_string_append_c (out, '\n');
    }
    sqlite3_finalize (st);
  }
  sqlite3_close (db);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * store_test_count:
 * @path: a database
 * @sql: a query returning one integer
 *
 * Returns: its value.
 */
gint64
store_test_count (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &st, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
  gint64 n = sqlite3_column_int64 (st, 0);
  sqlite3_finalize (st);
  sqlite3_close (db);
  return n;
}

/**
 * store_test_analyse:
 * @raw: a message
 * @data: (nullable): a prefix for the categories (const char *)
 *
 * Parses @raw and sets each recipient's category to PREFIX-STATUS, without rules.
 *
 * Returns: (transfer full): the message.
 */
NdrMessage *
store_test_analyse (const NdrRaw *raw, gpointer data)
{
  NdrLimits limits;
  ndr_limits_init (&limits);
  NdrMessage *msg = ndr_parse_raw (raw, &limits);
  for (guint i = 0; msg != NULL && msg->recipients != NULL && i < msg->recipients->len; i++) {
    NdrRecipient *r = g_ptr_array_index (msg->recipients, i);
    g_free (r->category);
    r->category = g_strdup_printf ("%s-%s", data != NULL ? (const char *) data : "cat",
                                   r->status != NULL ? r->status : "none");
    g_free (r->rule);
    r->rule = g_strdup ("test-rule");
    r->permanent = r->status != NULL && r->status[0] == '5';
    r->confidence = 0.5;
  }
  return msg;
}

/**
 * store_test_ingest:
 * @db: the database
 * @mbox: the input
 * @jobs: threads
 * @batch: messages per transaction
 * @counts: (out): what the run did
 * @error: why it failed
 *
 * Returns: ndr_store_ingest()'s result.
 */
gboolean
store_test_ingest (const char *db, const char *mbox, guint jobs, guint batch,
                   NdrIngestCounts *counts, GError **error)
{
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(NdrStore) store = ndr_store_open (db, NDR_STORE_OPEN_DEFAULT, error);
  if (store == NULL)
    return FALSE;
  g_autoptr(NdrReader) reader = ndr_reader_new (&limits);
  ndr_reader_add_path (reader, mbox);
  NdrIngestOptions opt = { .jobs = jobs, .batch = batch, .limits = &limits,
                           .analyse = store_test_analyse };
  return ndr_store_ingest (store, reader, &opt, counts, error);
}

/**
 * store_test_rm_tree:
 * @path: a temporary folder of the tests
 *
 * Removes @path and everything below it (no symbolic links are followed: they are removed).
 */
void
store_test_rm_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK)) {
    g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
    const char *name;
    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
      g_autofree char *child = g_build_filename (path, name, NULL);
      store_test_rm_tree (child);
    }
    g_rmdir (path);
  } else {
    g_unlink (path);
  }
}
