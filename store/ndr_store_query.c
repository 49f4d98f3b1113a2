/*
 * NAME
 *   ndr_store_query.c - read the store for people: ndr why, ndr search, ndr report
 * DESCRIPTION
 *   ndr_store_why() finds the stored failures of one address, one domain or one original
 *   Message-ID, newest first; ndr_store_why_evidence() adds the evidence lines of one.
 *   ndr_store_search() runs an FTS5 query over the "search" table (diagnostic, admin and user
 *   text) and returns highlighted snippets. ndr_store_report() counts the failed recipients
 *   per cause over a period of days and the period before it, per day, with the domains and
 *   senders most affected. ndr_store_summary() says how much is stored and since when.
 *
 *   A "failure" is a recipient whose outcome is not "delivered" (failed, expired, delayed):
 *   auto-replies, feedback reports and success notices are left out.
 *
 *   Every query goes through an index: recipients(address), recipients(domain, day) and
 *   messages(orig_message_id) for why, the FTS5 table for search, and for report the
 *   covering indexes recipients_report (day, category, outcome, owner, domain) and
 *   messages_sender (id, orig_from) of schema version 4; ndr_store_open() refuses to open an
 *   older database read-only, so they are there. For @DOMAIN the count
 *   of what the limit left out is taken from the index alone, by day: it may include
 *   delivered notices of the domain.
 * TRUST
 *   The rows hold a stranger's text; it is returned as stored (valid UTF-8 from the parser,
 *   but with any control character): the printers clean it. Arguments are bound, never pasted
 *   into SQL. An FTS5 query the user typed may be refused by SQLite: NDR_ERROR_USAGE says why.
 */
#include "store_priv.h"

#include <stdio.h>
#include <string.h>

#define FAILURE "r.outcome IS NOT 'delivered'"   /* what counts as a failure */

/* The columns of one NdrStoreFailure, in the order row_failure() reads them. */
#define FAILURE_COLUMNS \
  "SELECT r.message_id, r.idx, m.bounced_at, r.address, r.status, r.misleading, r.category," \
  " r.outcome, r.owner, r.rule, r.decided_by, r.diagnostic, r.remote_mta, m.kind, m.mta," \
  " m.reporting_mta, m.orig_message_id, m.orig_from, m.orig_subject, m.source," \
  " r.will_retry_until, r.reply_code FROM recipients r JOIN messages m ON m.id = r.message_id"

static const char *const why_sql[] = {
  [NDR_WHY_ADDRESS] = FAILURE_COLUMNS
    " WHERE r.address = ?1 AND " FAILURE " AND m.bounced_at >= ?2"
    " ORDER BY m.bounced_at DESC, r.message_id DESC LIMIT ?3",
  [NDR_WHY_DOMAIN] = FAILURE_COLUMNS
    " WHERE r.domain = lower (?1) AND r.day >= substr (?2, 1, 10) AND " FAILURE
    " AND m.bounced_at >= ?2 ORDER BY r.day DESC, m.bounced_at DESC, r.message_id DESC"
  " LIMIT ?3",
  [NDR_WHY_MESSAGE_ID] = FAILURE_COLUMNS
    " WHERE m.orig_message_id = ?1 AND " FAILURE " AND m.bounced_at >= ?2"
    " ORDER BY m.bounced_at DESC, r.message_id DESC LIMIT ?3",
};

static const char *const count_sql[] = {
  [NDR_WHY_ADDRESS] = "SELECT count(*) FROM recipients r JOIN messages m ON m.id = r.message_id"
    " WHERE r.address = ?1 AND " FAILURE " AND m.bounced_at >= ?2",
  [NDR_WHY_DOMAIN] = "SELECT count(*) FROM recipients r"    /* the index alone: by day */
    " WHERE r.domain = lower (?1) AND r.day >= substr (?2, 1, 10)",
  [NDR_WHY_MESSAGE_ID] = "SELECT count(*) FROM recipients r JOIN messages m"
    " ON m.id = r.message_id WHERE m.orig_message_id = ?1 AND " FAILURE
    " AND m.bounced_at >= ?2",
};

static const char evidence_sql[] =
  "SELECT source, status, reply_code, text FROM evidence WHERE message_id = ?1"
  " AND (recipient_idx = ?2 OR recipient_idx IS NULL) ORDER BY seq";

static const char summary_sql[] =
  "SELECT (SELECT count(*) FROM messages), (SELECT min(day) FROM messages),"
  " (SELECT max(day) FROM messages)";                     /* messages_day answers all three */

static const char raw_sql[] = "SELECT raw, raw_size FROM messages WHERE id = ?1";

/* ?1 query, ?2 since, ?3 category or NULL, ?4 domain or NULL, ?5 limit */
static const char search_sql[] =
  "SELECT m.id, m.bounced_at, m.source, m.subject, m.orig_from,"
  " snippet (search, -1, char (2), char (3), '...', 16),"
  " (SELECT group_concat (coalesce (r.address, '?') || ' ' || coalesce (r.category, '?'),"
  "   char (10)) FROM recipients r WHERE r.message_id = m.id)"
  " FROM search JOIN messages m ON m.id = search.rowid"
  " WHERE search MATCH ?1 AND m.bounced_at >= ?2"
  " AND (?3 IS NULL AND ?4 IS NULL OR EXISTS (SELECT 1 FROM recipients r"
  "   WHERE r.message_id = m.id AND (?3 IS NULL OR r.category = ?3)"
  "   AND (?4 IS NULL OR r.domain = lower (?4))))"
  " ORDER BY rank LIMIT ?5";

/* ?1 first day of the previous period, ?2 last day: count per cause, day and owner; the
 * covering index recipients_report answers it without reading a row */
static const char report_days_sql[] =
  "SELECT r.category, r.day, r.owner, count(*) FROM recipients r"
  " WHERE r.day BETWEEN ?1 AND ?2 AND " FAILURE " AND r.category IS NOT NULL"
  " GROUP BY r.day, r.category, r.outcome, r.owner";     /* the index's order: no sorting */

/* ?1 first day, ?2 last day: cause, domain and sender of each failure, counted in C (a hash
 * per cause is cheaper than SQLite sorting every row for GROUP BY) */
static const char report_tops_sql[] =
  "SELECT r.category, r.domain, m.orig_from FROM recipients r"
  " JOIN messages m INDEXED BY messages_sender"          /* not the rows, with their bytes */
  " ON m.id = r.message_id WHERE r.day BETWEEN ?1 AND ?2 AND " FAILURE
  " AND r.category IS NOT NULL";

/* prepare - prepare sql on the store's connection, or say why not */
static sqlite3_stmt *
prepare (NdrStore *store, const char *sql, const char *doing, GError **error)
{
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2 (store->db, sql, -1, &st, NULL);
  if (rc != SQLITE_OK) {
    ndr_store_fail (store, rc, doing, error);
    return NULL;
  }
  return st;
}

/* text - a column as a new string, NULL for NULL */
static char *
text (sqlite3_stmt *st, int col)
{
  const unsigned char *s = sqlite3_column_text (st, col);
  return s != NULL ? g_strndup ((const char *) s, (gsize) sqlite3_column_bytes (st, col)) : NULL;
}

/* bind_text - bind a string or NULL */
static void
bind_text (sqlite3_stmt *st, int i, const char *s)
{
  if (s == NULL)
    sqlite3_bind_null (st, i);
  else
    sqlite3_bind_text (st, i, s, -1, SQLITE_TRANSIENT);
}

/* A statement prepared for one query, finalized when it goes out of scope. */
typedef struct sqlite3_stmt Stmt;

/* stmt_finalize - finalize a statement of prepare() */
static void
stmt_finalize (Stmt *st)
{
  sqlite3_finalize (st);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Stmt, stmt_finalize)

/**
 * ndr_store_summary:
 * @store: an open store
 * @summary: (out caller-allocates): filled; free with ndr_store_summary_clear()
 * @error: a database error
 *
 * Returns: FALSE if the database failed.
 */
gboolean
ndr_store_summary (NdrStore *store, NdrStoreSummary *summary, GError **error)
{
  memset (summary, 0, sizeof *summary);
  g_autoptr(Stmt) st = prepare (store, summary_sql, "counting the messages", error);
  if (st == NULL)
    return FALSE;
  int rc = sqlite3_step (st);
  if (rc != SQLITE_ROW)
    return ndr_store_fail (store, rc, "counting the messages", error);
  summary->messages = sqlite3_column_int64 (st, 0);
  summary->first = text (st, 1);
  summary->last = text (st, 2);
  return TRUE;
}

/**
 * ndr_store_summary_clear:
 * @summary: a summary of ndr_store_summary()
 */
void
ndr_store_summary_clear (NdrStoreSummary *summary)
{
  g_clear_pointer (&summary->first, g_free);
  g_clear_pointer (&summary->last, g_free);
}

/* evidence_free - free an NdrStoreEvidence */
static void
evidence_free (gpointer data)
{
  NdrStoreEvidence *ev = data;
  g_free (ev->source);
  g_free (ev->status);
  g_free (ev->text);
  g_free (ev);
}

/**
 * ndr_store_failure_free:
 * @f: (nullable) (transfer full): a failure of ndr_store_why()
 */
void
ndr_store_failure_free (NdrStoreFailure *f)
{
  if (f == NULL)
    return;
  char **strings[] = { &f->bounced_at, &f->address, &f->status, &f->misleading, &f->category,
                       &f->outcome, &f->owner, &f->rule, &f->decided_by, &f->diagnostic,
                       &f->remote_mta, &f->kind, &f->mta, &f->reporting_mta,
                       &f->orig_message_id, &f->orig_from, &f->orig_subject, &f->source,
                       &f->will_retry_until };
  for (gsize i = 0; i < G_N_ELEMENTS (strings); i++)
    g_free (*strings[i]);
  if (f->evidence != NULL)
    g_ptr_array_unref (f->evidence);
  g_free (f);
}

/* row_failure - the NdrStoreFailure of a row of FAILURE_COLUMNS */
static NdrStoreFailure *
row_failure (sqlite3_stmt *st)
{
  NdrStoreFailure *f = g_new0 (NdrStoreFailure, 1);
  char **strings[] = { &f->bounced_at, &f->address, &f->status, &f->misleading, &f->category,
                       &f->outcome, &f->owner, &f->rule, &f->decided_by, &f->diagnostic,
                       &f->remote_mta, &f->kind, &f->mta, &f->reporting_mta,
                       &f->orig_message_id, &f->orig_from, &f->orig_subject, &f->source,
                       &f->will_retry_until };
  f->message = sqlite3_column_int64 (st, 0);
  f->idx = sqlite3_column_int (st, 1);
  for (gsize i = 0; i < G_N_ELEMENTS (strings); i++)
    *strings[i] = text (st, (int) i + 2);
  f->reply_code = sqlite3_column_int (st, 21);
  return f;
}

/* count_why - how many failures match, without the limit */
static gboolean
count_why (NdrStore *store, NdrWhyKind kind, const char *target, const char *since,
           guint64 *total, GError **error)
{
  g_autoptr(Stmt) st = prepare (store, count_sql[kind], "counting failures", error);
  if (st == NULL)
    return FALSE;
  bind_text (st, 1, target);
  bind_text (st, 2, since);
  int rc = sqlite3_step (st);
  if (rc != SQLITE_ROW)
    return ndr_store_fail (store, rc, "counting failures", error);
  *total = (guint64) sqlite3_column_int64 (st, 0);
  return TRUE;
}

/**
 * ndr_store_why:
 * @store: an open store
 * @kind: what @target is
 * @target: an address, a domain (without "@") or a Message-ID (without "<>")
 * @since: (nullable): the earliest bounced_at to include ("2026-11-01T00:00:00Z"); NULL: all
 * @limit: the most failures to return
 * @total: (out): how many match in all (more than returned when the limit cut them)
 * @error: a database error
 *
 * Returns: (transfer full) (element-type NdrStoreFailure) (nullable): the failures, newest
 * first, without evidence (ndr_store_why_evidence()); NULL if the database failed.
 */
GPtrArray *
ndr_store_why (NdrStore *store, NdrWhyKind kind, const char *target, const char *since,
               guint limit, guint64 *total, GError **error)
{
  g_return_val_if_fail (kind <= NDR_WHY_MESSAGE_ID && target != NULL, NULL);
  *total = 0;
  const char *from = since != NULL ? since : "";
  g_autoptr(Stmt) st = prepare (store, why_sql[kind], "looking up failures", error);
  if (st == NULL)
    return NULL;
  bind_text (st, 1, target);
  bind_text (st, 2, from);
  sqlite3_bind_int64 (st, 3, limit);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (
      (GDestroyNotify) ndr_store_failure_free);
  int rc;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    g_ptr_array_add (out, row_failure (st));
  if (rc != SQLITE_DONE) {
    ndr_store_fail (store, rc, "looking up failures", error);
    return NULL;
  }
  *total = out->len;
  if (out->len >= limit && !count_why (store, kind, target, from, total, error))
    return NULL;
  return g_steal_pointer (&out);
}

/**
 * ndr_store_why_evidence:
 * @store: an open store
 * @f: a failure of ndr_store_why(); its evidence is filled in
 * @error: a database error
 *
 * Returns: FALSE if the database failed.
 */
gboolean
ndr_store_why_evidence (NdrStore *store, NdrStoreFailure *f, GError **error)
{
  g_autoptr(Stmt) st = prepare (store, evidence_sql, "reading evidence", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, f->message);
  sqlite3_bind_int (st, 2, f->idx);
  if (f->evidence == NULL)
    f->evidence = g_ptr_array_new_with_free_func (evidence_free);
  int rc;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW) {
    NdrStoreEvidence *ev = g_new0 (NdrStoreEvidence, 1);
    ev->source = text (st, 0);
    ev->status = text (st, 1);
    ev->reply_code = sqlite3_column_int (st, 2);
    ev->text = text (st, 3);
    g_ptr_array_add (f->evidence, ev);
  }
  return rc == SQLITE_DONE || ndr_store_fail (store, rc, "reading evidence", error);
}

/**
 * ndr_store_raw:
 * @store: an open store
 * @message: messages.id
 * @error: a database error, or a blob that does not unpack
 *
 * Returns: (transfer full) (nullable): the stored bytes of the message.
 */
GBytes *
ndr_store_raw (NdrStore *store, gint64 message, GError **error)
{
  g_autoptr(Stmt) st = prepare (store, raw_sql, "reading a message", error);
  if (st == NULL)
    return NULL;
  sqlite3_bind_int64 (st, 1, message);
  int rc = sqlite3_step (st);
  if (rc != SQLITE_ROW) {
    if (rc == SQLITE_DONE)
      g_set_error (error, NDR_ERROR, NDR_ERROR_STORE, "no message %" G_GINT64_FORMAT, message);
    else
      ndr_store_fail (store, rc, "reading a message", error);
    return NULL;
  }
  sqlite3_int64 size = sqlite3_column_int64 (st, 1);
  if (size < 0 || size > G_MAXINT32) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_STORE, "message %" G_GINT64_FORMAT
                 ": bad stored size", message);
    return NULL;
  }
  return ndr_store_unpack (sqlite3_column_blob (st, 0), (gsize) sqlite3_column_bytes (st, 0),
                           (gsize) size, error);
}

/**
 * ndr_store_hit_free:
 * @hit: (nullable) (transfer full): a hit of ndr_store_search()
 */
void
ndr_store_hit_free (NdrStoreHit *hit)
{
  if (hit == NULL)
    return;
  g_free (hit->bounced_at);
  g_free (hit->source);
  g_free (hit->subject);
  g_free (hit->orig_from);
  g_free (hit->snippet);
  g_free (hit->recipients);
  g_free (hit);
}

/**
 * ndr_store_search:
 * @store: an open store
 * @query: an FTS5 query, as the user typed it
 * @since: (nullable): the earliest bounced_at to include
 * @category: (nullable): only messages with a recipient of this category
 * @domain: (nullable): only messages with a recipient at this domain
 * @limit: the most hits to return
 * @error: NDR_ERROR_USAGE when SQLite refuses the query, NDR_ERROR_STORE when it failed
 *
 * Returns: (transfer full) (element-type NdrStoreHit) (nullable): the hits, best first.
 */
GPtrArray *
ndr_store_search (NdrStore *store, const char *query, const char *since, const char *category,
                  const char *domain, guint limit, GError **error)
{
  g_autoptr(Stmt) st = prepare (store, search_sql, "searching", error);
  if (st == NULL)
    return NULL;
  bind_text (st, 1, query);
  bind_text (st, 2, since != NULL ? since : "");
  bind_text (st, 3, category);
  bind_text (st, 4, domain);
  sqlite3_bind_int64 (st, 5, limit);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) ndr_store_hit_free);
  int rc;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW) {
    NdrStoreHit *hit = g_new0 (NdrStoreHit, 1);
    hit->message = sqlite3_column_int64 (st, 0);
    hit->bounced_at = text (st, 1);
    hit->source = text (st, 2);
    hit->subject = text (st, 3);
    hit->orig_from = text (st, 4);
    hit->snippet = text (st, 5);
    hit->recipients = text (st, 6);
    g_ptr_array_add (out, hit);
  }
  if (rc == SQLITE_ERROR) {                 /* the query itself: fts5 syntax, unknown column */
    g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE, "the search query was refused: %s",
                 sqlite3_errmsg (store->db));
    return NULL;
  }
  if (rc != SQLITE_DONE) {
    ndr_store_fail (store, rc, "searching", error);
    return NULL;
  }
  return g_steal_pointer (&out);
}

/* top_free - free an NdrReportTop */
static void
top_free (gpointer data)
{
  NdrReportTop *t = data;
  g_free (t->name);
  g_free (t);
}

/* cause_free - free an NdrReportCause */
static void
cause_free (gpointer data)
{
  NdrReportCause *c = data;
  g_free (c->category);
  g_free (c->owner);
  g_free (c->per_day);
  g_ptr_array_unref (c->domains);
  g_ptr_array_unref (c->senders);
  g_free (c);
}

/**
 * ndr_report_free:
 * @report: (nullable) (transfer full): a report of ndr_store_report()
 */
void
ndr_report_free (NdrReport *report)
{
  if (report == NULL)
    return;
  g_free (report->from);
  g_free (report->to);
  g_free (report->prev_from);
  if (report->causes != NULL)
    g_ptr_array_unref (report->causes);
  g_free (report);
}

/* day_add - the day n days after (before, when negative) day, as YYYY-MM-DD; NULL if bad */
static char *
day_add (const char *day, int n)
{
  int y, m, d;
  if (day == NULL || sscanf (day, "%4d-%2d-%2d", &y, &m, &d) != 3 || !g_date_valid_dmy (d, m, y))
    return NULL;
  g_autoptr(GDate) date = g_date_new_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y);
  if (n >= 0)
    g_date_add_days (date, (guint) n);
  else
    g_date_subtract_days (date, (guint) -n);
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

/* cause_of - the cause called category, made if new */
static NdrReportCause *
cause_of (NdrReport *report, GHashTable *by_name, const char *category)
{
  NdrReportCause *c = g_hash_table_lookup (by_name, category);
  if (c != NULL)
    return c;
  c = g_new0 (NdrReportCause, 1);
  c->category = g_strdup (category);
  c->per_day = g_new0 (guint64, report->days);
  c->domains = g_ptr_array_new_with_free_func (top_free);
  c->senders = g_ptr_array_new_with_free_func (top_free);
  g_ptr_array_add (report->causes, c);
  g_hash_table_insert (by_name, c->category, c);
  return c;
}

/* What is counted per cause before the top ones are picked. */
typedef struct {
  GHashTable *owners;     /* owner -> guint64 * count, in the period */
  GHashTable *domains;    /* domain -> guint64 * count */
  GHashTable *senders;    /* sender -> guint64 * count */
} Tally;

/* tally_free - free a Tally */
static void
tally_free (gpointer data)
{
  Tally *t = data;
  g_hash_table_unref (t->owners);
  g_hash_table_unref (t->domains);
  g_hash_table_unref (t->senders);
  g_free (t);
}

/* tally_of - the tally of a category, made if new */
static Tally *
tally_of (GHashTable *tallies, const char *category)
{
  Tally *t = g_hash_table_lookup (tallies, category);
  if (t == NULL) {
    t = g_new0 (Tally, 1);
    t->owners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    t->domains = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    t->senders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    g_hash_table_insert (tallies, g_strdup (category), t);
  }
  return t;
}

/* bump - add n to the count of name (NULL counts as "") in table */
static void
bump (GHashTable *table, const unsigned char *name, guint64 n)
{
  const char *key = name != NULL ? (const char *) name : "";
  guint64 *count = g_hash_table_lookup (table, key);
  if (count == NULL) {
    count = g_new0 (guint64, 1);
    g_hash_table_insert (table, g_strdup (key), count);
  }
  *count += n;
}

/* report_days - counts per cause and day, this period and the one before; owners */
static gboolean
report_days (NdrStore *store, NdrReport *report, GHashTable *by_name, GHashTable *tallies,
             GError **error)
{
  g_autoptr(Stmt) st = prepare (store, report_days_sql, "counting causes", error);
  if (st == NULL)
    return FALSE;
  bind_text (st, 1, report->prev_from);
  bind_text (st, 2, report->to);
  g_autoptr(GHashTable) days = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < report->days; i++)
    g_hash_table_insert (days, day_add (report->from, (int) i), GUINT_TO_POINTER (i + 1));
  int rc;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW) {
    const char *category = (const char *) sqlite3_column_text (st, 0);
    const char *day = (const char *) sqlite3_column_text (st, 1);
    guint64 n = (guint64) sqlite3_column_int64 (st, 3);
    NdrReportCause *c = cause_of (report, by_name, category);
    guint at = GPOINTER_TO_UINT (g_hash_table_lookup (days, day != NULL ? day : ""));
    if (at > 0) {
      c->per_day[at - 1] += n;
      c->count += n;
      report->total += n;
      bump (tally_of (tallies, category)->owners, sqlite3_column_text (st, 2), n);
    } else {
      c->previous += n;
      report->previous += n;
    }
  }
  return rc == SQLITE_DONE || ndr_store_fail (store, rc, "counting causes", error);
}

/* sender - the address of a From column: what is inside <>, else all of it, lower case */
static void
sender (sqlite3_stmt *st, int col, GString *addr)
{
  const char *from = (const char *) sqlite3_column_text (st, col);
  g_string_truncate (addr, 0);
  if (from == NULL)
    return;
  const char *lt = strrchr (from, '<');
  const char *start = lt != NULL ? lt + 1 : from;
  const char *end = lt != NULL ? strchr (start, '>') : NULL;
  gsize len = end != NULL ? (gsize) (end - start) : strlen (start);
  g_string_append_len (addr, start, (gssize) len);
  for (gsize i = 0; i < addr->len; i++)
    addr->str[i] = g_ascii_tolower (addr->str[i]);
  g_strstrip (addr->str);
  addr->len = strlen (addr->str);
}

/* report_tops - count domains and senders per cause in the period */
static gboolean
report_tops (NdrStore *store, NdrReport *report, GHashTable *tallies, GError **error)
{
  g_autoptr(Stmt) st = prepare (store, report_tops_sql, "finding the most affected", error);
  if (st == NULL)
    return FALSE;
  bind_text (st, 1, report->from);
  bind_text (st, 2, report->to);
  int rc;
  Tally *t = NULL;
  g_autoptr(GString) addr = g_string_new (NULL);
  g_autofree char *last = NULL;             /* rows of one cause tend to come together */
  while ((rc = sqlite3_step (st)) == SQLITE_ROW) {
    const char *category = (const char *) sqlite3_column_text (st, 0);
    if (t == NULL || g_strcmp0 (last, category) != 0) {
      t = tally_of (tallies, category);
      g_free (last);
      last = g_strdup (category);
    }
    bump (t->domains, sqlite3_column_text (st, 1), 1);
    sender (st, 2, addr);
    bump (t->senders, (const unsigned char *) addr->str, 1);
  }
  return rc == SQLITE_DONE || ndr_store_fail (store, rc, "finding the most affected", error);
}

/* by_top - most first, then by name */
static gint
by_top (gconstpointer a, gconstpointer b)
{
  const NdrReportTop *x = *(NdrReportTop *const *) a, *y = *(NdrReportTop *const *) b;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return g_strcmp0 (x->name, y->name);
}

/* pick - the top entries of table into list */
static void
pick (GHashTable *table, GPtrArray *list, guint top)
{
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init (&it, table);
  while (g_hash_table_iter_next (&it, &key, &value)) {
    if (*(const char *) key == '\0')                /* no domain or sender known */
      continue;
    NdrReportTop *t = g_new0 (NdrReportTop, 1);
    t->name = g_strdup (key);
    t->count = *(const guint64 *) value;
    g_ptr_array_add (list, t);
  }
  g_ptr_array_sort (list, by_top);
  if (list->len > top)
    g_ptr_array_set_size (list, top);
}

/* finish - per cause: who acts most often, the most affected domains and senders */
static void
finish (NdrReport *report, GHashTable *tallies, guint top)
{
  for (guint i = 0; i < report->causes->len; i++) {
    NdrReportCause *c = g_ptr_array_index (report->causes, i);
    Tally *t = g_hash_table_lookup (tallies, c->category);
    if (t == NULL)
      continue;
    g_autoptr(GPtrArray) owners = g_ptr_array_new_with_free_func (top_free);
    pick (t->owners, owners, 1);
    if (owners->len > 0 && *((NdrReportTop *) g_ptr_array_index (owners, 0))->name != '\0')
      c->owner = g_strdup (((NdrReportTop *) g_ptr_array_index (owners, 0))->name);
    pick (t->domains, c->domains, top);
    pick (t->senders, c->senders, top);
  }
}

/* by_count - causes with most recipients in the period first, then by name */
static gint
by_count (gconstpointer a, gconstpointer b)
{
  const NdrReportCause *x = *(NdrReportCause *const *) a, *y = *(NdrReportCause *const *) b;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  if (x->previous != y->previous)
    return x->previous > y->previous ? -1 : 1;
  return g_strcmp0 (x->category, y->category);
}

/**
 * ndr_store_report:
 * @store: an open store
 * @to_day: the last day of the period, "YYYY-MM-DD" (UTC)
 * @days: the length of the period, 1 to 366
 * @top: how many domains and senders to name per cause
 * @error: a database error, or NDR_ERROR_USAGE for a bad day
 *
 * Counts failed recipients per cause in the @days days ending with @to_day and in the
 * @days before them, per day, with who acts and the most affected domains and senders.
 *
 * Returns: (transfer full) (nullable): the report; causes seen only in the period before
 * have count 0.
 */
NdrReport *
ndr_store_report (NdrStore *store, const char *to_day, guint days, guint top, GError **error)
{
  g_return_val_if_fail (days >= 1 && days <= 366, NULL);
  g_autoptr(NdrReport) report = g_new0 (NdrReport, 1);
  report->days = days;
  report->to = day_add (to_day, 0);
  report->from = day_add (to_day, 1 - (int) days);
  report->prev_from = day_add (to_day, 1 - 2 * (int) days);
  report->causes = g_ptr_array_new_with_free_func (cause_free);
  if (report->to == NULL || report->from == NULL || report->prev_from == NULL) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE, "not a day: %.20s", to_day);
    return NULL;
  }
  g_autoptr(GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) tallies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         tally_free);
  if (!report_days (store, report, by_name, tallies, error)
      || !report_tops (store, report, tallies, error))
    return NULL;
  finish (report, tallies, top);
  g_ptr_array_sort (report->causes, by_count);
  return g_steal_pointer (&report);
}
