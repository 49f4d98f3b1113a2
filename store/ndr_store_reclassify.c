/*
 * NAME
 *   ndr_store_reclassify.c - re-decide stored messages from their raw bytes; read the quarantine
 * DESCRIPTION
 *   ndr_store_reclassify() reads every stored message back in id order, unpacks its bytes,
 *   runs the analyser again (through the same pipeline as ingest, so --jobs works here too)
 *   and replaces the message's parsed columns, recipients, evidence, hops and search text, one
 *   transaction per batch. It counts, per recipient, each change of category ("old -> new").
 *   A message that no longer parses keeps its rows and is counted as unparsed. Then each
 *   quarantined message is parsed again, and one that now makes sense leaves the quarantine
 *   for messages (a parser fixed since), counted as released.
 *
 *   ndr_store_quarantine_foreach() hands out the quarantined messages with their bytes, for
 *   `ndr ingest --quarantine` to list or export them.
 * TRUST
 *   The bytes are a stranger's message; unpacking is bounded by the size stored beside them.
 *   A blob that does not unpack means a damaged database: the run stops and says so.
 */
#include "store_priv.h"

#define NO_CATEGORY "(none)"

typedef struct {
  NdrStore               *store;
  const NdrIngestOptions *options;
  gint64                  run;
  gint64                  last_id;
  NdrReclassifyCounts    *counts;
  NdrIngestCounts         progress;
} Reclassify;

/* read_raw - make an NdrRaw from columns source, size, raw_size, truncated, raw */
static NdrRaw *
read_raw (NdrStore *store, sqlite3_stmt *st, int col, gint64 id, GError **error)
{
  g_autoptr(GError) why = NULL;
  gsize plen = (gsize) sqlite3_column_bytes (st, col + 4);
  GBytes *bytes = ndr_store_unpack (sqlite3_column_blob (st, col + 4), plen,
                                    (gsize) sqlite3_column_int64 (st, col + 2), &why);
  if (bytes == NULL) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_STORE, "%s: message %" G_GINT64_FORMAT
                 " cannot be unpacked (%s): the database is damaged", store->path, id,
                 why->message);
    return NULL;
  }
  NdrRaw *raw = g_new0 (NdrRaw, 1);
  raw->source = g_strdup ((const char *) sqlite3_column_text (st, col));
  raw->bytes = bytes;
  raw->size = (gsize) sqlite3_column_int64 (st, col + 1);
  raw->truncated = sqlite3_column_int (st, col + 3) != 0;
  return raw;
}

/* next_job - the next stored message after the last one, or NULL at the end */
static gboolean
next_job (gpointer self, NdrJob **job, GError **error)
{
  Reclassify *rc = self;
  sqlite3_stmt *st = rc->store->st[ST_READ_BATCH];
  sqlite3_bind_int64 (st, 1, rc->last_id);
  sqlite3_bind_int (st, 2, 1);
  int res = ndr_store_step (rc->store, st);
  gboolean ok = res == SQLITE_ROW || res == SQLITE_DONE;
  *job = NULL;
  if (!ok)
    ndr_store_fail (rc->store, res, "reading a stored message", error);
  if (res == SQLITE_ROW) {
    rc->last_id = sqlite3_column_int64 (st, 0);
    NdrRaw *raw = read_raw (rc->store, st, 1, rc->last_id, error);
    if (raw == NULL)
      ok = FALSE;
    else {
      *job = ndr_job_new (raw, FALSE);
      (*job)->id = rc->last_id;
      (*job)->day = g_strdup ((const char *) sqlite3_column_text (st, 6));
    }
  }
  sqlite3_reset (st);
  sqlite3_clear_bindings (st);
  return ok;
}

/* old_categories - the stored categories of a message's recipients, in order (transfer full) */
static GPtrArray *
old_categories (NdrStore *store, gint64 id, GError **error)
{
  sqlite3_stmt *st = store->st[ST_OLD_CATEGORIES];
  g_autoptr(GPtrArray) cats = g_ptr_array_new_with_free_func (g_free);
  int res;
  sqlite3_bind_int64 (st, 1, id);
  while ((res = ndr_store_step (store, st)) == SQLITE_ROW) {
    const char *c = (const char *) sqlite3_column_text (st, 1);
    g_ptr_array_add (cats, g_strdup (c != NULL ? c : NO_CATEGORY));
  }
  if (res != SQLITE_DONE)
    ndr_store_fail (store, res, "reading recipients", error);
  sqlite3_reset (st);
  sqlite3_clear_bindings (st);
  return res == SQLITE_DONE ? g_steal_pointer (&cats) : NULL;
}

/* count_changes - compare old and new categories, recipient by recipient */
static void
count_changes (NdrReclassifyCounts *counts, GPtrArray *old, const NdrMessage *msg)
{
  guint n = msg->recipients->len;
  counts->recipients += n;
  for (guint i = 0; i < MAX (old->len, n); i++) {
    const NdrRecipient *r = i < n ? g_ptr_array_index (msg->recipients, i) : NULL;
    const char *was = i < old->len ? g_ptr_array_index (old, i) : NO_CATEGORY;
    const char *now = r != NULL && r->category != NULL ? r->category : NO_CATEGORY;
    if (g_strcmp0 (was, now) == 0)
      continue;
    char *key = g_strdup_printf ("%s -> %s", was, now);
    guint seen = GPOINTER_TO_UINT (g_hash_table_lookup (counts->changes, key));
    g_hash_table_replace (counts->changes, key, GUINT_TO_POINTER (seen + 1));
    counts->changed++;
  }
}

/* drop - delete the rows derived from a message */
static gboolean
drop (NdrStore *store, gint64 id, GError **error)
{
  static const NdrStmt which[] = { ST_DROP_RECIPIENTS, ST_DROP_EVIDENCE, ST_DROP_HOPS,
                                   ST_DROP_SEARCH };
  for (guint i = 0; i < G_N_ELEMENTS (which); i++) {
    sqlite3_bind_int64 (store->st[which[i]], 1, id);
    if (!ndr_store_exec (store, which[i], "replacing a message's rows", error))
      return FALSE;
  }
  return TRUE;
}

/* write_job - replace one message's derived rows with the new decision */
static gboolean
write_job (gpointer self, NdrJob *job, GError **error)
{
  Reclassify *rc = self;
  rc->counts->messages++;
  rc->progress.seen++;
  rc->progress.bytes += job->raw->size;
  if (ndr_store_unparsable (job->msg)) {
    rc->counts->unparsed++;
    return TRUE;
  }
  g_autoptr(GPtrArray) old = old_categories (rc->store, job->id, error);
  if (old == NULL || !drop (rc->store, job->id, error)
      || !ndr_store_set_message (rc->store, job->id, job->day, job->msg, error))
    return FALSE;
  count_changes (rc->counts, old, job->msg);
  rc->progress.added++;
  if (rc->options->progress != NULL)
    rc->options->progress (&rc->progress, rc->options->progress_data);
  return TRUE;
}

/* checkpoint - record how far the run got, in the batch's transaction */
static gboolean
checkpoint (gpointer self, GError **error)
{
  Reclassify *rc = self;
  return ndr_store_run_update (rc->store, rc->run, "running", &rc->progress, error);
}

/* committed - nothing to remember: the counts of a failed run are not reported */
static void
committed (gpointer self)
{
}

/* next_quarantined - the quarantined message after *last, its bytes read back; *raw NULL at
** the end. FALSE if the database failed. */
static gboolean
next_quarantined (NdrStore *store, gint64 *last, NdrRaw **raw, NdrPacked *packed,
                  GError **error)
{
  sqlite3_stmt *st = store->st[ST_READ_QUARANTINE];
  sqlite3_bind_int64 (st, 1, *last);
  int res = ndr_store_step (store, st);
  gboolean ok = res == SQLITE_ROW || res == SQLITE_DONE;
  *raw = NULL;
  if (!ok)
    ndr_store_fail (store, res, "reading the quarantine", error);
  if (res == SQLITE_ROW) {
    *last = sqlite3_column_int64 (st, 0);
    g_strlcpy (packed->sha256, (const char *) sqlite3_column_text (st, 1), sizeof packed->sha256);
    packed->packed = g_bytes_new (sqlite3_column_blob (st, 8),
                                  (gsize) sqlite3_column_bytes (st, 8));
    *raw = read_raw (store, st, 4, *last, error);
    ok = *raw != NULL;
  }
  sqlite3_reset (st);
  sqlite3_clear_bindings (st);
  return ok;
}

/* release - move a quarantined message that now parses into messages, in the open batch */
static gboolean
release (Reclassify *rc, gint64 id, const NdrRaw *raw, const NdrPacked *packed,
         const NdrMessage *msg, GError **error)
{
  sqlite3_stmt *st = rc->store->st[ST_DROP_QUARANTINE];
  if (sqlite3_get_autocommit (rc->store->db) && !ndr_store_begin (rc->store, error))
    return FALSE;
  if (!ndr_store_put_message (rc->store, rc->run, raw, packed, msg, error))
    return FALSE;
  sqlite3_bind_int64 (st, 1, id);
  if (!ndr_store_exec (rc->store, ST_DROP_QUARANTINE, "leaving the quarantine", error))
    return FALSE;
  rc->counts->released++;
  rc->counts->recipients += msg->recipients->len;
  return TRUE;
}

/* retry_quarantine - parse each quarantined message again; those that now parse leave it.
** In this thread: the quarantine is small. One transaction per batch, as for messages. */
static gboolean
retry_quarantine (Reclassify *rc, GError **error)
{
  NdrLimits limits;
  guint batch = rc->options->batch > 0 ? rc->options->batch : NDR_STORE_BATCH;
  gint64 last = 0;
  if (rc->options->limits != NULL)
    limits = *rc->options->limits;
  else
    ndr_limits_init (&limits);
  for (;;) {
    g_autoptr(NdrRaw) raw = NULL;
    g_autoptr(NdrMessage) msg = NULL;
    NdrPacked packed = { { 0 }, NULL };
    gboolean ok = next_quarantined (rc->store, &last, &raw, &packed, error);
    if (ok && raw != NULL)
      msg = ndr_pipe_analyse (rc->options, &limits, raw);
    if (ok && raw != NULL && !ndr_store_unparsable (msg)) {
      ok = release (rc, last, raw, &packed, msg, error)
           && (rc->counts->released % batch != 0 || ndr_store_commit (rc->store, error));
    }
    g_clear_pointer (&packed.packed, g_bytes_unref);
    if (!ok)
      return FALSE;
    if (raw == NULL)
      break;
  }
  return sqlite3_get_autocommit (rc->store->db) || ndr_store_commit (rc->store, error);
}

/**
 * ndr_reclassify_counts_clear:
 * @counts: counts filled by ndr_store_reclassify()
 *
 * Frees what @counts holds.
 */
void
ndr_reclassify_counts_clear (NdrReclassifyCounts *counts)
{
  g_clear_pointer (&counts->changes, g_hash_table_unref);
}

/**
 * ndr_store_reclassify:
 * @store: an open store
 * @options: jobs, batch size and the analyser (parse and classify)
 * @counts: (out caller-allocates): what changed; free with ndr_reclassify_counts_clear()
 * @error: (out) (optional): why the run stopped
 *
 * Re-decides every stored message from its raw bytes, one transaction per batch, then moves
 * the quarantined messages that now parse to the messages.
 *
 * Returns: FALSE if the database failed; the batches committed before stay.
 */
gboolean
ndr_store_reclassify (NdrStore *store, const NdrIngestOptions *options,
                      NdrReclassifyCounts *counts, GError **error)
{
  g_return_val_if_fail (store != NULL && options != NULL && counts != NULL, FALSE);
  *counts = (NdrReclassifyCounts) {
    .changes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) };
  Reclassify rc = { .store = store, .options = options, .counts = counts };
  NdrPipe pipe = { .store = store, .options = options, .self = &rc, .next = next_job,
                   .write = write_job, .checkpoint = checkpoint, .committed = committed };
  if (!ndr_store_run_start (store, "reclassify", ndr_pipe_jobs (options), &rc.run, error))
    return FALSE;
  if (!ndr_pipe_run (&pipe, error) || !retry_quarantine (&rc, error)) {
    ndr_store_rollback (store);
    ndr_store_run_update (store, rc.run, "failed", &rc.progress, NULL);
    return FALSE;
  }
  return ndr_store_run_update (store, rc.run, "done", &rc.progress, error);
}

/**
 * ndr_store_quarantine_foreach:
 * @store: an open store
 * @func: called for each quarantined message, in id order; FALSE stops with its error
 * @data: for @func
 * @error: (out) (optional): why it stopped
 *
 * Returns: FALSE if the database or @func failed.
 */
gboolean
ndr_store_quarantine_foreach (NdrStore *store, NdrQuarantineFunc func, gpointer data,
                              GError **error)
{
  sqlite3_stmt *st = store->st[ST_READ_QUARANTINE];
  gint64 last = 0;
  for (;;) {
    sqlite3_bind_int64 (st, 1, last);
    int res = ndr_store_step (store, st);
    gboolean ok = res == SQLITE_ROW;
    if (res != SQLITE_ROW && res != SQLITE_DONE)
      ndr_store_fail (store, res, "reading the quarantine", error);
    if (ok) {
      last = sqlite3_column_int64 (st, 0);
      NdrQuarantined q = {
        .id = last,
        .sha256 = (const char *) sqlite3_column_text (st, 1),
        .error = (const char *) sqlite3_column_text (st, 2),
        .stored_at = (const char *) sqlite3_column_text (st, 3),
        .source = (const char *) sqlite3_column_text (st, 4),
      };
      q.raw = ndr_store_unpack (sqlite3_column_blob (st, 8),
                                (gsize) sqlite3_column_bytes (st, 8),
                                (gsize) sqlite3_column_int64 (st, 6), error);
      ok = q.raw != NULL && func (&q, data, error);
      g_clear_pointer (&q.raw, g_bytes_unref);
    }
    sqlite3_reset (st);
    sqlite3_clear_bindings (st);
    if (!ok)
      return res == SQLITE_DONE;
  }
}
