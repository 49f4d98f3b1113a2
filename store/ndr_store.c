/*
 * NAME
 *   ndr_store.c - open, create, migrate and close the database; SQLite errors in words
 * DESCRIPTION
 *   ndr_store_resolve_path() picks the file: --db, else $NDR_DB, else ndr/ndr.db under GLib's
 *   user data dir. ndr_store_open() creates a missing file (mode 0600, its folder 0700),
 *   checks that it is ours (PRAGMA application_id) and not newer than us (PRAGMA
 *   user_version), turns on WAL, migrates it forward in one transaction and prepares every
 *   statement once; a second, read-only connection serves the lookups of worker threads.
 *   ndr_store_fail() turns a SQLite result code into a sentence: locked,
 *   read-only, corrupt, disk full.
 * TRUST
 *   The file is the user's, but may be anything: it is refused unless it is an empty file, a
 *   new file or an ndr database of this version or an older one.
 * DIAGNOSTICS
 *   NDR_ERROR_STORE, with the path, what we were doing and why it failed.
 */
#include "store_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#define DB_DIR_MODE  0700   /* the database holds other people's mail: owner only */
#define DB_FILE_MODE 0600
#define DB_PAGE_SIZE    16384  /* a message row (gzip of the raw bytes, texts) is 1 to 4 KB */

/**
 * ndr_store_default_path:
 *
 * Returns: (transfer full): ndr/ndr.db under the user data dir ($XDG_DATA_HOME).
 */
char *
ndr_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "ndr", "ndr.db", NULL);
}

/**
 * ndr_store_resolve_path:
 * @option: (nullable): the --db option
 *
 * Returns: (transfer full): @option if set, else $NDR_DB if set and not empty, else
 * ndr_store_default_path().
 */
char *
ndr_store_resolve_path (const char *option)
{
  const char *env = g_getenv ("NDR_DB");
  if (option != NULL && *option != '\0')
    return g_strdup (option);
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return ndr_store_default_path ();
}

/**
 * ndr_store_fail:
 * @store: the store
 * @rc: the SQLite result code
 * @doing: what we were doing ("storing a message")
 * @error: (out) (optional): set to NDR_ERROR_STORE with a sentence saying why
 *
 * Returns: FALSE, so that callers can `return ndr_store_fail (...)`.
 */
gboolean
ndr_store_fail (NdrStore *store, int rc, const char *doing, GError **error)
{
  const char *why = store->fault_hit ? "injected fault" : sqlite3_errmsg (store->db);
  const char *path = store->path;
  switch (rc & 0xff) {
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    g_set_error (error, NDR_ERROR, NDR_ERROR_STORE,
                 "%s: %s: the database is locked by another process (waited %d s); "
                 "try again when it has finished", path, doing, NDR_STORE_BUSY_TIMEOUT_MS / 1000);
    break;
  case SQLITE_READONLY:
    g_set_error (error, NDR_ERROR, NDR_ERROR_STORE, "%s: %s: the database is read-only (%s)",
                 path, doing, why);
    break;
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB:
    g_set_error (error, NDR_ERROR, NDR_ERROR_STORE,
                 "%s: %s: the file is corrupt or not a database (%s); refusing to use it",
                 path, doing, why);
    break;
  case SQLITE_FULL:
    g_set_error (error, NDR_ERROR, NDR_ERROR_STORE, "%s: %s: the disk is full (%s)",
                 path, doing, why);
    break;
  default:
    g_set_error (error, NDR_ERROR, NDR_ERROR_STORE, "%s: %s: %s", path, doing, why);
    break;
  }
  return FALSE;
}

/* ndr_store_step - sqlite3_step(), or the injected fault when its turn has come */
int
ndr_store_step (NdrStore *store, sqlite3_stmt *st)
{
  store->fault_hit = FALSE;
  if (store->fault_after > 0 && --store->fault_after == 0) {
    store->fault_hit = TRUE;
    return store->fault_rc != 0 ? store->fault_rc : SQLITE_IOERR;
  }
  return sqlite3_step (st);
}

/* ndr_store_exec - run a prepared statement that returns no rows */
gboolean
ndr_store_exec (NdrStore *store, NdrStmt which, const char *doing, GError **error)
{
  sqlite3_stmt *st = store->st[which];
  int rc = ndr_store_step (store, st);
  gboolean ok = rc == SQLITE_DONE || rc == SQLITE_ROW;
  if (!ok)
    ndr_store_fail (store, rc, doing, error);
  sqlite3_reset (st);
  sqlite3_clear_bindings (st);
  return ok;
}

/* ndr_store_begin - start a write transaction, taking the write lock now */
gboolean
ndr_store_begin (NdrStore *store, GError **error)
{
  return ndr_store_exec (store, ST_BEGIN, "starting a transaction", error);
}

/* ndr_store_commit - commit; on failure the transaction is rolled back */
gboolean
ndr_store_commit (NdrStore *store, GError **error)
{
  if (ndr_store_exec (store, ST_COMMIT, "committing", error))
    return TRUE;
  ndr_store_rollback (store);
  return FALSE;
}

/* ndr_store_rollback - roll back the transaction in progress, if any */
void
ndr_store_rollback (NdrStore *store)
{
  if (sqlite3_get_autocommit (store->db))
    return;
  if (store->st[ST_ROLLBACK] == NULL) {
    sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
    return;
  }
  sqlite3_step (store->st[ST_ROLLBACK]);
  sqlite3_reset (store->st[ST_ROLLBACK]);
}

/* ndr_store_knows - is a message with this hash stored, as a message or in the quarantine?
** Runs on the writing connection, so it also sees the rows of the batch not yet committed. */
gboolean
ndr_store_knows (NdrStore *store, const char *sha256, gboolean *known, GError **error)
{
  sqlite3_stmt *st = store->st[ST_KNOWS];
  sqlite3_bind_text (st, 1, sha256, -1, SQLITE_STATIC);
  int rc = sqlite3_step (st);
  *known = rc == SQLITE_ROW;
  gboolean ok = rc == SQLITE_ROW || rc == SQLITE_DONE;
  if (!ok)
    ndr_store_fail (store, rc, "looking up a message", error);
  sqlite3_reset (st);
  sqlite3_clear_bindings (st);
  return ok;
}

/* ndr_store_peek - from a worker: was this hash committed already? FALSE when not sure.
** Uses the read-only connection, so it never waits for the writer's transaction. */
gboolean
ndr_store_peek (NdrStore *store, const char *sha256)
{
  if (store->peek == NULL)
    return FALSE;
  g_mutex_lock (&store->peek_lock);
  sqlite3_bind_text (store->peek, 1, sha256, -1, SQLITE_STATIC);
  gboolean known = sqlite3_step (store->peek) == SQLITE_ROW;
  sqlite3_reset (store->peek);
  sqlite3_clear_bindings (store->peek);
  g_mutex_unlock (&store->peek_lock);
  return known;
}

/* open_peek - the workers' read-only connection; without it workers parse every message */
static void
open_peek (NdrStore *store)
{
  if (sqlite3_open_v2 (store->path, &store->peek_db,
                       SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK
      || sqlite3_prepare_v3 (store->peek_db, ndr_store_sql[ST_KNOWS], -1,
                             SQLITE_PREPARE_PERSISTENT, &store->peek, NULL) != SQLITE_OK) {
    g_debug ("%s: no read-only connection: %s", store->path, sqlite3_errmsg (store->peek_db));
    sqlite3_finalize (store->peek);
    store->peek = NULL;
    return;
  }
  sqlite3_busy_timeout (store->peek_db, NDR_STORE_BUSY_TIMEOUT_MS);
}

/* ndr_store_now - the current time in UTC, ISO 8601 to the second (transfer full) */
char *
ndr_store_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/* pragma_int - read an integer pragma; FALSE with error set if the file cannot be read */
static gboolean
pragma_int (NdrStore *store, const char *sql, int *value, GError **error)
{
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2 (store->db, sql, -1, &st, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    *value = sqlite3_column_int (st, 0);
  if (rc != SQLITE_ROW)
    ndr_store_fail (store, rc, "reading the database header", error);
  sqlite3_finalize (st);
  return rc == SQLITE_ROW;
}

/* exec_sql - run SQL text (migrations, pragmas) */
static gboolean
exec_sql (NdrStore *store, const char *sql, const char *doing, GError **error)
{
  int rc = sqlite3_exec (store->db, sql, NULL, NULL, NULL);
  return rc == SQLITE_OK || ndr_store_fail (store, rc, doing, error);
}

/* check_ours - refuse a file that is not an ndr database, or is from a newer ndr */
static gboolean
check_ours (NdrStore *store, int *version, GError **error)
{
  int app = 0, tables = 0;
  if (!pragma_int (store, "PRAGMA application_id", &app, error)
      || !pragma_int (store, "PRAGMA user_version", version, error)
      || !pragma_int (store, "SELECT count(*) FROM sqlite_schema", &tables, error))
    return FALSE;
  if (app != NDR_STORE_APPLICATION_ID && (app != 0 || tables > 0)) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_STORE,
                 "%s: a SQLite database, but not one of ndr's; refusing to use it", store->path);
    return FALSE;
  }
  if (*version > NDR_STORE_SCHEMA_VERSION) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_STORE,
                 "%s: the database has schema version %d, newer than this ndr knows (%d); "
                 "use a newer ndr", store->path, *version, NDR_STORE_SCHEMA_VERSION);
    return FALSE;
  }
  return TRUE;
}

/* migrate - take the database from its version to `to`, in one transaction */
static gboolean
migrate (NdrStore *store, int to, GError **error)
{
  int version = 0;
  if (!exec_sql (store, "BEGIN IMMEDIATE", "starting the schema upgrade", error))
    return FALSE;
  if (!check_ours (store, &version, error))   /* again: another process may have done it */
    goto fail;
  for (; version < to; version++) {
    g_autofree char *doing = g_strdup_printf ("upgrading the schema to version %d", version + 1);
    g_autofree char *set = g_strdup_printf ("PRAGMA user_version = %d; PRAGMA application_id = %d",
                                            version + 1, NDR_STORE_APPLICATION_ID);
    if (!exec_sql (store, ndr_store_migrations[version], doing, error)
        || !exec_sql (store, set, doing, error))
      goto fail;
  }
  if (exec_sql (store, "COMMIT", "committing the schema upgrade", error))
    return TRUE;
fail:
  sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* create_file - create a missing database file 0600 in a folder made 0700 */
static gboolean
create_file (const char *path, GError **error)
{
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  g_autofree char *dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, DB_DIR_MODE) != 0) {
    int saved = errno;
    g_set_error (error, NDR_ERROR, NDR_ERROR_STORE, "%s: cannot create the folder: %s", dir,
                 g_strerror (saved));
    return FALSE;
  }
  int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, DB_FILE_MODE);
  if (fd < 0 && errno != EEXIST) {
    int saved = errno;
    g_set_error (error, NDR_ERROR, NDR_ERROR_STORE, "%s: cannot create the database: %s", path,
                 g_strerror (saved));
    return FALSE;
  }
  if (fd >= 0)
    close (fd);
  return TRUE;
}

/* connect - open the connection and check the file; the store has no statements yet */
static NdrStore *
connect (const char *path, gboolean read_only, int *version, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  if (!read_only && !create_file (path, error))
    return NULL;
  g_autoptr(NdrStore) store = g_new0 (NdrStore, 1);
  store->path = g_strdup (path);
  store->read_only = read_only;
  g_mutex_init (&store->peek_lock);
  int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2 (path, &store->db, flags, NULL);
  if (rc != SQLITE_OK) {
    ndr_store_fail (store, rc, "opening the database", error);
    return NULL;
  }
  sqlite3_extended_result_codes (store->db, 1);
  sqlite3_busy_timeout (store->db, NDR_STORE_BUSY_TIMEOUT_MS);
  if (!check_ours (store, version, error))
    return NULL;
  if (!read_only && *version == 0     /* a new file: pages of 16 KB, before WAL fixes them */
      && !exec_sql (store, "PRAGMA page_size = " G_STRINGIFY (DB_PAGE_SIZE),
                    "setting the page size", error))
    return NULL;
  if (!read_only && !exec_sql (store, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL",
                               "turning on the write-ahead log", error))
    return NULL;
  return g_steal_pointer (&store);
}

/**
 * ndr_store_open:
 * @path: the database file; created if missing (unless read-only)
 * @flags: NDR_STORE_OPEN_READ_ONLY to read only
 * @error: (out) (optional): why it could not be opened
 *
 * Opens the database, creates or migrates the schema, and prepares the statements. A file
 * that is not an ndr database, or is corrupt, or from a newer ndr, is refused.
 *
 * Returns: (transfer full) (nullable): the store; close it with ndr_store_close().
 */
NdrStore *
ndr_store_open (const char *path, NdrStoreOpenFlags flags, GError **error)
{
  gboolean read_only = (flags & NDR_STORE_OPEN_READ_ONLY) != 0;
  int version = 0;
  g_autoptr(NdrStore) store = connect (path, read_only, &version, error);
  if (store == NULL)
    return NULL;
  if (version < NDR_STORE_SCHEMA_VERSION) {
    if (read_only) {
      g_set_error (error, NDR_ERROR, NDR_ERROR_STORE,
                   "%s: the database has schema version %d and needs upgrading to %d; "
                   "run ndr ingest once", path, version, NDR_STORE_SCHEMA_VERSION);
      return NULL;
    }
    if (!migrate (store, NDR_STORE_SCHEMA_VERSION, error))
      return NULL;
  }
  for (guint i = 0; i < ST_COUNT; i++) {
    int rc = sqlite3_prepare_v3 (store->db, ndr_store_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                                 &store->st[i], NULL);
    if (rc != SQLITE_OK) {
      ndr_store_fail (store, rc, "preparing a statement", error);
      return NULL;
    }
  }
  open_peek (store);
  return g_steal_pointer (&store);
}

/* ndr_store_create_at - tests: create a database at an earlier schema version */
gboolean
ndr_store_create_at (const char *path, int version, GError **error)
{
  int found = 0;
  g_return_val_if_fail (version >= 0 && version <= NDR_STORE_SCHEMA_VERSION, FALSE);
  g_autoptr(NdrStore) store = connect (path, FALSE, &found, error);
  return store != NULL && migrate (store, version, error);
}

/**
 * ndr_store_schema_version:
 * @store: an open store
 *
 * Returns: the database's PRAGMA user_version, or -1 if it cannot be read.
 */
int
ndr_store_schema_version (NdrStore *store)
{
  int version = -1;
  g_return_val_if_fail (store != NULL, -1);
  if (!pragma_int (store, "PRAGMA user_version", &version, NULL))
    return -1;
  return version;
}

/**
 * ndr_store_close:
 * @store: (transfer full) (nullable): the store
 *
 * Rolls back a transaction left open, finalizes the statements and closes the database.
 */
void
ndr_store_close (NdrStore *store)
{
  if (store == NULL)
    return;
  sqlite3_finalize (store->peek);
  sqlite3_close (store->peek_db);          /* first: the last to close folds the WAL back */
  if (store->db != NULL)
    ndr_store_rollback (store);
  for (guint i = 0; i < ST_COUNT; i++)
    sqlite3_finalize (store->st[i]);
  sqlite3_close (store->db);
  g_mutex_clear (&store->peek_lock);
  g_free (store->path);
  g_free (store);
}
