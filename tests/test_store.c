/*
 * NAME
 *   test_store.c - the store: schema, migrations, idempotent and parallel ingest, faults
 * DESCRIPTION
 *   Every database lives in a folder made by g_dir_make_tmp() and removed at the end. The
 *   input is the made-up mailbox of store_testutil.c. The crash test (fork and SIGKILL) is
 *   test_store_crash.c.
 *
 *   Faults are injected the SQLite way: the n-th statement step of a run fails, for n = 1, 2,
 *   3 ... until the run succeeds; after each failure what was committed is a prefix of the
 *   full result, and a re-run completes it to exactly the rows of an undisturbed run.
 * TRUST
 *   Test code.
 */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "store_priv.h"
#include "store_testutil.h"

#define MESSAGES 60   /* in the made-up mailbox: some repeats and 2 non-messages among them */

static char *tmp;     /* the folder of this run's databases */

/* db_path - a database path in the temporary folder (transfer full) */
static char *
db_path (const char *name)
{
  return g_build_filename (tmp, name, NULL);
}

static void
test_hash (void)
{
  static const char lf[] = "a: b\n\nbody\n";
  static const char crlf[] = "a: b\r\n\r\nbody\r\n";
  static const char cr[] = "a: b\r\rbody\r";
  char h1[65], h2[65], h3[65], h4[65];
  ndr_store_hash ((const guint8 *) lf, strlen (lf), h1);
  ndr_store_hash ((const guint8 *) crlf, strlen (crlf), h2);
  ndr_store_hash ((const guint8 *) cr, strlen (cr), h3);
  ndr_store_hash ((const guint8 *) "a: c\n\nbody\n", strlen (lf), h4);
  g_assert_cmpstr (h1, ==, h2);
  g_assert_cmpstr (h1, ==, h3);
  g_assert_cmpstr (h1, !=, h4);
  ndr_store_hash ((const guint8 *) "a: b\n\nbody\n\r\n\n", strlen (lf) + 3, h2);
  g_assert_cmpstr (h1, ==, h2);                  /* the blank line an mbox adds */
  ndr_store_hash ((const guint8 *) "a: b\n\nbody", strlen (lf) - 1, h2);
  g_assert_cmpstr (h1, ==, h2);
  ndr_store_hash ((const guint8 *) "\n\r\n", 3, h1);   /* SHA-256 of nothing */
  g_assert_cmpstr (h1, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void
test_pack (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (text, "line %u of a long message\n", i);
  g_autoptr(GBytes) raw = g_bytes_new (text->str, text->len);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) packed = ndr_store_pack (raw, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (packed), <, text->len / 4);
  gsize plen;
  const void *p = g_bytes_get_data (packed, &plen);
  g_autoptr(GBytes) back = ndr_store_unpack (p, plen, text->len, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (raw, back));
  g_autoptr(GBytes) small = ndr_store_unpack (p, plen, text->len - 1, &error);
  g_assert_null (small);                                   /* bigger than recorded */
  g_assert_error (error, NDR_ERROR, NDR_ERROR_STORE);
  g_clear_error (&error);
  g_autoptr(GBytes) junk = ndr_store_unpack ("not gzip", 8, 100, &error);
  g_assert_null (junk);
  g_assert_nonnull (error);
}

static void
test_paths (void)
{
  g_autofree char *def = ndr_store_default_path ();
  g_assert_true (g_str_has_suffix (def, "/ndr/ndr.db"));
  g_unsetenv ("NDR_DB");
  g_autofree char *p1 = ndr_store_resolve_path (NULL);
  g_assert_cmpstr (p1, ==, def);
  g_setenv ("NDR_DB", "/tmp/from-env.db", TRUE);
  g_autofree char *p2 = ndr_store_resolve_path (NULL);
  g_autofree char *p3 = ndr_store_resolve_path ("/tmp/option.db");
  g_unsetenv ("NDR_DB");
  g_assert_cmpstr (p2, ==, "/tmp/from-env.db");
  g_assert_cmpstr (p3, ==, "/tmp/option.db");
}

static void
test_create (void)
{
  g_autofree char *dir = g_build_filename (tmp, "new", "folder", NULL);
  g_autofree char *path = g_build_filename (dir, "ndr.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NdrStore) store = ndr_store_open (path, NDR_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ndr_store_schema_version (store), ==, NDR_STORE_SCHEMA_VERSION);
  GStatBuf st;
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_clear_pointer (&store, ndr_store_close);
  g_assert_cmpint (store_test_count (path, "PRAGMA application_id"), ==, NDR_STORE_APPLICATION_ID);
  g_assert_cmpint (store_test_count (path, "PRAGMA page_size"), ==, 16384);
  g_assert_cmpint (store_test_count (path, "SELECT count(*) FROM pragma_journal_mode"
                                           " WHERE journal_mode = 'wal'"), ==, 1);
}

static void
test_idempotent (void)
{
  g_autofree char *db = db_path ("idem.db");
  StoreTestExpect want;
  g_autofree char *mbox = store_test_mbox (tmp, "idem.mbox", MESSAGES, FALSE, &want);
  g_autofree char *crlf = store_test_mbox (tmp, "idem-crlf.mbox", MESSAGES, TRUE, NULL);
  g_autoptr(GError) error = NULL;
  NdrIngestCounts c;
  g_assert_true (store_test_ingest (db, mbox, 1, 0, &c, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (c.seen, ==, MESSAGES);
  g_assert_cmpuint (want.junk, ==, 2);
  g_assert_cmpuint (want.distinct, <, MESSAGES);
  g_assert_cmpuint (c.quarantined, ==, want.junk);
  g_assert_cmpuint (c.added, ==, want.distinct - want.junk);
  g_assert_cmpuint (c.known, ==, MESSAGES - want.distinct);
  g_assert_cmpuint (c.failed, ==, 0);
  g_autofree char *first = store_test_dump (db);
  g_assert_true (store_test_ingest (db, mbox, 1, 0, &c, &error));   /* again: nothing new */
  g_assert_cmpuint (c.added + c.quarantined, ==, 0);
  g_assert_cmpuint (c.known, ==, MESSAGES);
  g_assert_true (store_test_ingest (db, crlf, 2, 0, &c, &error));   /* CRLF: the same mail */
  g_assert_no_error (error);
  g_assert_cmpuint (c.known, ==, MESSAGES);
  g_autofree char *again = store_test_dump (db);
  g_assert_cmpstr (first, ==, again);
  g_assert_cmpint (store_test_count (db, "SELECT count(*) FROM runs WHERE status = 'done'"), ==, 3);
  g_assert_cmpint (store_test_count (db, "SELECT count(*) FROM recipients WHERE category IS NULL"
                                         " OR domain != 'example.org' OR day IS NULL"), ==, 0);
}

static void
test_jobs (void)
{
  g_autofree char *mbox = store_test_mbox (tmp, "jobs.mbox", MESSAGES * 3, FALSE, NULL);
  g_autofree char *want = NULL;
  static const guint jobs[] = { 1, 2, 3, 8 };
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++) {
    g_autofree char *name = g_strdup_printf ("jobs-%u.db", jobs[i]);
    g_autofree char *db = db_path (name);
    g_autoptr(GError) error = NULL;
    NdrIngestCounts c;
    g_assert_true (store_test_ingest (db, mbox, jobs[i], 7, &c, &error));
    g_assert_no_error (error);
    g_autofree char *got = store_test_dump (db);
    if (want == NULL)
      want = g_steal_pointer (&got);
    else
      g_assert_cmpstr (got, ==, want);
  }
}

/* Rows of an early schema version, before migrating: one message with one recipient. */
static const char early_rows[] =
  "INSERT INTO messages (id, sha256, stored_at, size, raw_size, raw, admin_text, day)"
  "  VALUES (1, 'x', '2026-01-01T00:00:00Z', 1, 1, x'00', 'hop count exceeded', '2026-01-01');"
  "INSERT INTO recipients (message_id, idx, address, domain, diagnostic, category, day)"
  "  VALUES (1, 0, 'a@example.org', 'example.org', '550 mailbox unavailable', 'user-unknown',"
  "  '2026-01-01');";

/* schema_text - the schema of a database as text */
static char *
schema_text (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_prepare_v2 (db, "SELECT type, name, sql FROM sqlite_schema ORDER BY name", -1, &st,
                      NULL);
  while (sqlite3_step (st) == SQLITE_ROW)
    g_string_append_printf (out, "%s %s %s\n", sqlite3_column_text (st, 0),
                            sqlite3_column_text (st, 1), sqlite3_column_text (st, 2));
  sqlite3_finalize (st);
  sqlite3_close (db);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_migrations (void)
{
  g_autofree char *fresh = db_path ("fresh.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(NdrStore) store = ndr_store_open (fresh, NDR_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_clear_pointer (&store, ndr_store_close);
  g_autofree char *want = schema_text (fresh);
  for (int v = 0; v < NDR_STORE_SCHEMA_VERSION; v++) {
    g_autofree char *name = g_strdup_printf ("from-v%d.db", v);
    g_autofree char *path = db_path (name);
    g_assert_true (ndr_store_create_at (path, v, &error));
    g_assert_no_error (error);
    if (v >= 1) {
      sqlite3 *db = NULL;
      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, early_rows, NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);
    }
    g_autoptr(NdrStore) s = ndr_store_open (path, NDR_STORE_OPEN_DEFAULT, &error);
    g_assert_no_error (error);
    g_assert_cmpint (ndr_store_schema_version (s), ==, NDR_STORE_SCHEMA_VERSION);
    g_clear_pointer (&s, ndr_store_close);
    g_autofree char *got = schema_text (path);
    g_assert_cmpstr (got, ==, want);
    if (v == 1)               /* version 2 indexed the rows already there */
      g_assert_cmpint (store_test_count (path, "SELECT count(*) FROM search WHERE search MATCH"
                                               " 'mailbox AND hop'"), ==, 1);
    if (v >= 1) {             /* the rows came through */
      g_assert_cmpint (store_test_count (path, "SELECT count(*) FROM bounces"
                                               " WHERE category = 'user-unknown'"), ==, 1);
    }
  }
}

/* set_version - write PRAGMA user_version of a database behind the store's back */
static void
set_version (const char *path, int version)
{
  sqlite3 *db = NULL;
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", version);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* refused - open must fail with NDR_ERROR_STORE and a message containing why */
static void
refused (const char *path, NdrStoreOpenFlags flags, const char *why)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NdrStore) store = ndr_store_open (path, flags, &error);
  g_assert_null (store);
  g_assert_error (error, NDR_ERROR, NDR_ERROR_STORE);
  if (strstr (error->message, why) == NULL)
    g_error ("'%s' does not say '%s'", error->message, why);
}

static void
test_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *newer = db_path ("newer.db");
  g_autoptr(NdrStore) store = ndr_store_open (newer, NDR_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_clear_pointer (&store, ndr_store_close);
  set_version (newer, NDR_STORE_SCHEMA_VERSION + 1);
  refused (newer, NDR_STORE_OPEN_DEFAULT, "newer than this ndr");

  g_autofree char *other = db_path ("other.db");          /* SQLite, but not ours */
  sqlite3 *db = NULL;
  g_assert_cmpint (sqlite3_open (other, &db), ==, SQLITE_OK);
  sqlite3_exec (db, "CREATE TABLE t (x)", NULL, NULL, NULL);
  sqlite3_close (db);
  refused (other, NDR_STORE_OPEN_DEFAULT, "not one of ndr's");

  g_autofree char *junk = db_path ("junk.db");            /* not a database at all */
  g_autoptr(GString) text = g_string_new (NULL);
  for (guint i = 0; i < 1000; i++)
    g_string_append (text, "this is not a database file. ");
  g_assert_true (g_file_set_contents (junk, text->str, (gssize) text->len, NULL));
  refused (junk, NDR_STORE_OPEN_DEFAULT, "corrupt or not a database");

  g_autofree char *old = db_path ("old.db");              /* read-only cannot migrate */
  g_assert_true (ndr_store_create_at (old, 1, &error));
  refused (old, NDR_STORE_OPEN_READ_ONLY, "needs upgrading");
  g_autofree char *missing = db_path ("missing.db");
  refused (missing, NDR_STORE_OPEN_READ_ONLY, "unable to open");
}

/* damage - overwrite the middle of a file with garbage */
static void
damage (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (len, >, 4 * 16384);
  memset (data + 16384, 0xa5, len - 16384);               /* keep page 1: header and schema */
  g_assert_true (g_file_set_contents (path, data, (gssize) len, NULL));
}

static void
test_corrupt (void)
{
  g_autofree char *db = db_path ("corrupt.db");
  g_autofree char *mbox = store_test_mbox (tmp, "corrupt.mbox", MESSAGES, FALSE, NULL);
  g_autofree char *more = store_test_mbox (tmp, "corrupt-more.mbox", MESSAGES * 2, FALSE, NULL);
  g_autoptr(GError) error = NULL;
  NdrIngestCounts c;
  g_assert_true (store_test_ingest (db, mbox, 1, 0, &c, &error));
  g_assert_no_error (error);
  damage (db);
  gboolean ok = store_test_ingest (db, more, 1, 0, &c, &error);
  g_assert_false (ok);
  g_assert_error (error, NDR_ERROR, NDR_ERROR_STORE);
  if (strstr (error->message, "corrupt") == NULL)
    g_error ("'%s' does not say corrupt", error->message);
}

static void
test_read_only (void)
{
  g_autofree char *db = db_path ("ro.db");
  g_autofree char *mbox = store_test_mbox (tmp, "ro.mbox", 10, FALSE, NULL);
  g_autoptr(GError) error = NULL;
  NdrIngestCounts c;
  g_assert_true (store_test_ingest (db, mbox, 1, 0, &c, &error));     /* create it */
  g_autofree char *more = store_test_mbox (tmp, "ro-more.mbox", 20, FALSE, NULL);
  g_autoptr(NdrStore) store = ndr_store_open (db, NDR_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(NdrReader) reader = ndr_reader_new (&limits);
  ndr_reader_add_path (reader, more);
  NdrIngestOptions opt = { .jobs = 1, .analyse = store_test_analyse };
  g_assert_false (ndr_store_ingest (store, reader, &opt, &c, &error));
  g_assert_error (error, NDR_ERROR, NDR_ERROR_STORE);
  if (strstr (error->message, "read-only") == NULL)
    g_error ("'%s' does not say read-only", error->message);
  g_assert_cmpuint (c.added, ==, 0);
}

static void
test_locked (void)
{
  g_autofree char *db = db_path ("locked.db");
  StoreTestExpect want;
  g_autofree char *mbox = store_test_mbox (tmp, "locked.mbox", MESSAGES, FALSE, &want);
  g_autoptr(GError) error = NULL;
  g_autoptr(NdrStore) store = ndr_store_open (db, NDR_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  sqlite3_busy_timeout (store->db, 50);                    /* the test need not wait 10 s */
  sqlite3 *other = NULL;
  g_assert_cmpint (sqlite3_open (db, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  NdrLimits limits;
  ndr_limits_init (&limits);
  NdrIngestOptions opt = { .jobs = 2, .batch = 5, .analyse = store_test_analyse };
  NdrIngestCounts c;
  g_autoptr(NdrReader) reader = ndr_reader_new (&limits);
  ndr_reader_add_path (reader, mbox);
  g_assert_false (ndr_store_ingest (store, reader, &opt, &c, &error));
  g_assert_error (error, NDR_ERROR, NDR_ERROR_STORE);
  if (strstr (error->message, "locked by another process") == NULL)
    g_error ("'%s' does not say locked", error->message);
  g_clear_error (&error);
  sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (other);
  g_autoptr(NdrReader) again = ndr_reader_new (&limits);   /* lock gone: everything goes in */
  ndr_reader_add_path (again, mbox);
  g_assert_true (ndr_store_ingest (store, again, &opt, &c, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (c.added + c.quarantined, ==, want.distinct);
}

static void
test_faults (void)
{
  g_autofree char *mbox = store_test_mbox (tmp, "faults.mbox", 12, FALSE, NULL);
  g_autofree char *ref = db_path ("faults-ref.db");
  g_autoptr(GError) error = NULL;
  NdrIngestCounts c;
  g_assert_true (store_test_ingest (ref, mbox, 1, 3, &c, &error));
  g_autofree char *want = store_test_dump (ref);
  NdrLimits limits;
  ndr_limits_init (&limits);
  NdrIngestOptions opt = { .jobs = 1, .batch = 3, .analyse = store_test_analyse };
  gboolean ok = FALSE;
  for (guint n = 1; !ok; n++) {
    g_assert_cmpuint (n, <, 10000);
    g_autofree char *name = g_strdup_printf ("faults-%u.db", n);
    g_autofree char *db = db_path (name);
    g_autoptr(NdrStore) store = ndr_store_open (db, NDR_STORE_OPEN_DEFAULT, &error);
    g_assert_no_error (error);
    g_autoptr(NdrReader) reader = ndr_reader_new (&limits);
    ndr_reader_add_path (reader, mbox);
    store->fault_after = n;
    ok = ndr_store_ingest (store, reader, &opt, &c, &error);
    store->fault_after = 0;
    if (!ok) {
      if (strstr (error->message, "injected fault") == NULL)
        g_error ("fault %u: '%s' does not say why", n, error->message);
      g_clear_error (&error);
      g_assert_cmpint (store_test_count (db, "SELECT count(*) FROM messages"), ==,
                       (gint64) c.added);             /* the counts say what was committed */
      g_autoptr(NdrReader) rerun = ndr_reader_new (&limits);
      ndr_reader_add_path (rerun, mbox);
      g_assert_true (ndr_store_ingest (store, rerun, &opt, &c, &error));
      g_assert_no_error (error);
    }
    g_clear_pointer (&store, ndr_store_close);
    g_autofree char *got = store_test_dump (db);
    g_assert_cmpstr (got, ==, want);
    g_unlink (db);
    if (ok)
      g_assert_cmpuint (n, >, 3 * 12);   /* a fault was tried at every step of the run */
  }
}

static void
test_full (void)
{
  g_autofree char *db = db_path ("full.db");
  g_autofree char *mbox = store_test_mbox (tmp, "full.mbox", MESSAGES, FALSE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NdrStore) store = ndr_store_open (db, NDR_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(NdrReader) reader = ndr_reader_new (&limits);
  ndr_reader_add_path (reader, mbox);
  NdrIngestOptions opt = { .jobs = 2, .batch = 5, .analyse = store_test_analyse };
  NdrIngestCounts c;
  store->fault_after = 150;                                /* somewhere in the third batch */
  store->fault_rc = SQLITE_FULL;
  g_assert_false (ndr_store_ingest (store, reader, &opt, &c, &error));
  g_assert_error (error, NDR_ERROR, NDR_ERROR_STORE);
  g_autofree char *said = g_strdup_printf ("stopped after %" G_GUINT64_FORMAT " messages",
                                           c.added + c.quarantined);
  if (strstr (error->message, "the disk is full") == NULL || strstr (error->message, said) == NULL)
    g_error ("'%s' does not say the disk is full and '%s'", error->message, said);
  g_assert_cmpuint (c.added, >, 0);
  g_clear_pointer (&store, ndr_store_close);
  g_assert_cmpint (store_test_count (db, "SELECT count(*) FROM messages"), ==, (gint64) c.added);
  g_assert_cmpint (store_test_count (db, "SELECT count(*) FROM runs WHERE status = 'failed'"),
                   ==, 1);
}

/* reclassify_with - re-decide a database with the made-up analyser and a prefix */
static void
reclassify_with (const char *db, const char *prefix, guint jobs, NdrReclassifyCounts *counts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NdrStore) store = ndr_store_open (db, NDR_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  NdrIngestOptions opt = { .jobs = jobs, .batch = 9, .analyse = store_test_analyse,
                           .analyse_data = (gpointer) prefix };
  g_assert_true (ndr_store_reclassify (store, &opt, counts, &error));
  g_assert_no_error (error);
}

static void
test_reclassify (void)
{
  g_autofree char *db = db_path ("reclassify.db");
  g_autofree char *mbox = store_test_mbox (tmp, "reclassify.mbox", MESSAGES, FALSE, NULL);
  g_autoptr(GError) error = NULL;
  NdrIngestCounts c;
  g_assert_true (store_test_ingest (db, mbox, 2, 0, &c, &error));
  g_autofree char *before = store_test_dump (db);
  NdrReclassifyCounts rc;
  reclassify_with (db, NULL, 1, &rc);                      /* same decisions: no change */
  g_assert_cmpuint (rc.messages, ==, c.added);
  g_assert_cmpuint (rc.changed, ==, 0);
  ndr_reclassify_counts_clear (&rc);
  g_autofree char *same = store_test_dump (db);
  g_assert_cmpstr (same, ==, before);
  reclassify_with (db, "new", 3, &rc);                     /* every category renamed */
  gint64 rcpts = store_test_count (db, "SELECT count(*) FROM recipients");
  g_assert_cmpuint (rc.changed, ==, (guint64) rcpts);
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (rc.changes, "cat-5.1.1 -> new-5.1.1"));
  g_assert_cmpint (n, ==, store_test_count (db, "SELECT count(*) FROM recipients"
                                                " WHERE category = 'new-5.1.1'"));
  g_assert_cmpuint (n, >, 0);
  ndr_reclassify_counts_clear (&rc);
  g_assert_cmpint (store_test_count (db, "SELECT count(*) FROM recipients"
                                         " WHERE category LIKE 'cat-%'"), ==, 0);
  reclassify_with (db, NULL, 2, &rc);                      /* and back: the rows of before */
  ndr_reclassify_counts_clear (&rc);
  g_autofree char *after = store_test_dump (db);
  g_assert_cmpstr (after, ==, before);
}

/* picky_analyse - the made-up analyser, except that it cannot read messages 10, 20, ... */
static NdrMessage *
picky_analyse (const NdrRaw *raw, gpointer data)
{
  if (g_str_has_suffix (raw->source, "0"))
    return NULL;
  return store_test_analyse (raw, data);
}

static void
test_release (void)
{
  g_autofree char *db = db_path ("release.db");
  StoreTestExpect want;
  g_autofree char *mbox = store_test_mbox (tmp, "release.mbox", MESSAGES, FALSE, &want);
  g_autoptr(GError) error = NULL;
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(NdrStore) store = ndr_store_open (db, NDR_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_autoptr(NdrReader) reader = ndr_reader_new (&limits);
  ndr_reader_add_path (reader, mbox);
  NdrIngestOptions picky = { .jobs = 2, .analyse = picky_analyse };
  NdrIngestCounts c;
  g_assert_true (ndr_store_ingest (store, reader, &picky, &c, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (c.quarantined, >, want.junk);
  NdrReclassifyCounts rc;
  NdrIngestOptions fixed = { .jobs = 2, .batch = 2, .analyse = store_test_analyse };
  g_assert_true (ndr_store_reclassify (store, &fixed, &rc, &error));   /* the parser got better */
  g_assert_no_error (error);
  g_assert_cmpuint (rc.released, ==, c.quarantined - want.junk);
  ndr_reclassify_counts_clear (&rc);
  g_clear_pointer (&store, ndr_store_close);
  g_assert_cmpint (store_test_count (db, "SELECT count(*) FROM quarantine"), ==, want.junk);
  g_assert_cmpint (store_test_count (db, "SELECT count(*) FROM messages"), ==,
                   want.distinct - want.junk);
  g_assert_cmpint (store_test_count (db, "SELECT count(*) FROM messages m WHERE NOT EXISTS"
                                         " (SELECT 1 FROM recipients r WHERE r.message_id = m.id)"),
                   ==, 0);
}

/* collect - ndr_store_quarantine_foreach() callback: keep the raw bytes */
static gboolean
collect (const NdrQuarantined *q, gpointer data, GError **error)
{
  g_assert_nonnull (q->error);
  g_ptr_array_add (data, g_bytes_ref (q->raw));
  return TRUE;
}

static void
test_quarantine (void)
{
  g_autofree char *db = db_path ("quarantine.db");
  g_autofree char *mbox = store_test_mbox (tmp, "quarantine.mbox", MESSAGES, FALSE, NULL);
  g_autoptr(GError) error = NULL;
  NdrIngestCounts c;
  g_assert_true (store_test_ingest (db, mbox, 1, 0, &c, &error));
  g_autoptr(NdrStore) store = ndr_store_open (db, NDR_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_autoptr(GPtrArray) got = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_assert_true (ndr_store_quarantine_foreach (store, collect, got, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (got->len, ==, 2);
  g_assert_cmpuint (got->len, ==, c.quarantined);
  gsize len;
  const char *text = g_bytes_get_data (got->pdata[0], &len);
  g_autofree char *got_text = g_strndup (text, len);      /* the bytes read, as read */
  g_assert_true (g_str_has_prefix (got_text, "this is not a message 23\n"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ndr_parser_init ();
  g_autoptr(GError) error = NULL;
  tmp = g_dir_make_tmp ("ndr-store-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_add_func ("/store/hash", test_hash);
  g_test_add_func ("/store/pack", test_pack);
  g_test_add_func ("/store/paths", test_paths);
  g_test_add_func ("/store/create", test_create);
  g_test_add_func ("/store/idempotent", test_idempotent);
  g_test_add_func ("/store/jobs", test_jobs);
  g_test_add_func ("/store/migrations", test_migrations);
  g_test_add_func ("/store/refused", test_refused);
  g_test_add_func ("/store/corrupt", test_corrupt);
  g_test_add_func ("/store/read-only", test_read_only);
  g_test_add_func ("/store/locked", test_locked);
  g_test_add_func ("/store/faults", test_faults);
  g_test_add_func ("/store/full", test_full);
  g_test_add_func ("/store/reclassify", test_reclassify);
  g_test_add_func ("/store/quarantine", test_quarantine);
  g_test_add_func ("/store/release", test_release);
  int rc = g_test_run ();
  if (g_getenv ("NDR_KEEP_TMP") == NULL)                  /* NDR_KEEP_TMP=1 to look at them */
    store_test_rm_tree (tmp);
  ndr_parser_shutdown ();
  g_free (tmp);
  return rc;
}
