/*
 * NAME
 *   ndr_store_put.c - write one message (or one quarantined message) and its rows
 * DESCRIPTION
 *   ndr_store_hash() names a message: SHA-256 of its bytes with CRLF and lone CR made LF and
 *   the final line ends left out, so that the same bounce read from an mbox and from a
 *   Maildir, with Unix or DOS line ends, is stored once.
 *   ndr_store_pack() and ndr_store_unpack() gzip and gunzip the raw bytes (GIO's zlib
 *   converters). ndr_store_put_message() writes the messages row, then ndr_store_put_children()
 *   its recipients, evidence, hops and search text. All of it runs in the caller's
 *   transaction, never commits, and binds with SQLITE_STATIC: the message outlives each step.
 * TRUST
 *   The message's strings are a stranger's text, bound as parameters, never pasted into SQL.
 *   Unpacking is bounded by the size stored beside the blob.
 */
#include "store_priv.h"

#include <gio/gio.h>
#include <gmime/gmime.h>
#include <string.h>

#define PACK_LEVEL  1        /* zlib level: mail is text, 1 packs it nearly as well as 6 */
#define PACK_CHUNK  16384    /* bytes of output per converter call */

/**
 * ndr_store_hash:
 * @data: the message's bytes
 * @len: their length
 * @hex: (out caller-allocates): 64 hex digits and a NUL
 *
 * Computes the SHA-256 of @data with every CRLF and every lone CR replaced by LF, and the
 * line ends at the very end left out: the same message read from a Maildir file and from an
 * mbox (where a blank line ends each message) gets the same hash.
 */
void
ndr_store_hash (const guint8 *data, gsize len, char hex[65])
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  const guint8 *p = data, *end = data + len;
  while (end > p && (end[-1] == '\n' || end[-1] == '\r'))
    end--;                                 /* an mbox keeps the blank line before "From " */
  while (p < end) {
    const guint8 *cr = memchr (p, '\r', (size_t) (end - p));
    if (cr == NULL) {
      g_checksum_update (sum, p, (gssize) (end - p));  /* the rest has no CR: in one go */
      break;
    }
    g_checksum_update (sum, p, (gssize) (cr - p));
    g_checksum_update (sum, (const guint8 *) "\n", 1);
    p = cr + 1;
    if (p < end && *p == '\n')
      p++;                                            /* CRLF: one LF */
  }
  g_strlcpy (hex, g_checksum_get_string (sum), 65);
}

/* convert - run a zlib converter over all of in; NULL if it fails or exceeds max bytes */
static GBytes *
convert (GConverter *conv, const guint8 *in, gsize len, gsize max, GError **error)
{
  static const guint8 empty[1];
  g_autoptr(GByteArray) out = g_byte_array_sized_new ((guint) MIN (len + 64, max));
  guint8 buf[PACK_CHUNK];
  if (in == NULL)
    in = empty;
  for (;;) {
    gsize nr = 0, nw = 0;
    GConverterResult r = g_converter_convert (conv, in, len, buf, sizeof buf,
                                              G_CONVERTER_INPUT_AT_END, &nr, &nw, error);
    if (r == G_CONVERTER_ERROR)
      return NULL;
    if (out->len + nw > max) {
      g_set_error (error, NDR_ERROR, NDR_ERROR_STORE, "stored message larger than recorded");
      return NULL;
    }
    g_byte_array_append (out, buf, (guint) nw);
    in += nr;
    len -= nr;
    if (r == G_CONVERTER_FINISHED)
      return g_byte_array_free_to_bytes (g_steal_pointer (&out));
  }
}

/* Each thread keeps its compressor: making one allocates and clears zlib's 256 KB state. */
static GPrivate packer = G_PRIVATE_INIT (g_object_unref);

/* ndr_store_pack - gzip a message's bytes (transfer full) */
GBytes *
ndr_store_pack (GBytes *raw, GError **error)
{
  gsize len = 0;
  const guint8 *in = g_bytes_get_data (raw, &len);
  GConverter *z = g_private_get (&packer);
  if (z == NULL) {
    z = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, PACK_LEVEL));
    g_private_set (&packer, z);
  }
  g_converter_reset (z);
  return convert (z, in, len, G_MAXSIZE, error);
}

/* ndr_store_unpack - gunzip a stored blob of `size` bytes unpacked (transfer full) */
GBytes *
ndr_store_unpack (const void *data, gsize len, gsize size, GError **error)
{
  g_autoptr(GZlibDecompressor) z = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GBytes) out = convert (G_CONVERTER (z), data, len, size, error);
  if (out != NULL && g_bytes_get_size (out) != size) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_STORE, "stored message shorter than recorded");
    return NULL;
  }
  return g_steal_pointer (&out);
}

/* bind_str - bind a string, or NULL */
static void
bind_str (sqlite3_stmt *st, int i, const char *s)
{
  if (s == NULL)
    sqlite3_bind_null (st, i);
  else
    sqlite3_bind_text (st, i, s, -1, SQLITE_STATIC);
}

/* bind_code - bind a reply code, NULL for none */
static void
bind_code (sqlite3_stmt *st, int i, int code)
{
  if (code == 0)
    sqlite3_bind_null (st, i);
  else
    sqlite3_bind_int (st, i, code);
}

/* utc_date - the report's Date in UTC, ISO 8601, or NULL if it cannot be read (transfer full) */
static char *
utc_date (const char *date)
{
  if (date == NULL)
    return NULL;
  g_autoptr(GDateTime) dt = g_mime_utils_header_decode_date (date);
  if (dt == NULL)
    return NULL;
  g_autoptr(GDateTime) utc = g_date_time_to_utc (dt);
  return utc != NULL ? g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

/* bind_parsed - bind ?9..?25, the parsed columns; *bounced and *day are owned by the caller */
static void
bind_parsed (sqlite3_stmt *st, const NdrMessage *msg, char **bounced, char **day)
{
  *bounced = utc_date (msg->date);
  *day = *bounced != NULL ? g_strndup (*bounced, 10) : NULL;
  bind_str (st, 9, msg->date);
  bind_str (st, 10, *bounced);
  bind_str (st, 11, *day);
  bind_str (st, 12, ndr_kind_name (msg->kind));
  bind_str (st, 13, msg->mta);
  bind_str (st, 14, msg->lang);
  bind_str (st, 15, msg->reporting_mta);
  bind_str (st, 16, msg->subject);
  bind_str (st, 17, msg->from);
  bind_str (st, 18, msg->original.message_id);
  bind_str (st, 19, msg->original.from);
  bind_str (st, 20, msg->original.to);
  bind_str (st, 21, msg->original.subject);
  bind_str (st, 22, msg->original.date);
  bind_str (st, 23, msg->user_text);
  bind_str (st, 24, msg->admin_text);
  bind_str (st, 25, msg->error);
}

/* ndr_store_unparsable - nothing could be made of the message: it goes to the quarantine */
gboolean
ndr_store_unparsable (const NdrMessage *msg)
{
  return msg == NULL || (msg->error != NULL && msg->kind == NDR_KIND_NONE
                         && (msg->recipients == NULL || msg->recipients->len == 0));
}

/* bind_raw - bind ?1..?8, the columns of the raw message */
static void
bind_raw (sqlite3_stmt *st, gint64 run, const NdrRaw *raw, const NdrPacked *packed,
          const char *now)
{
  gsize plen = 0;
  const void *pdata = g_bytes_get_data (packed->packed, &plen);
  sqlite3_bind_text (st, 1, packed->sha256, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, 2, run);
  bind_str (st, 3, raw->source);
  sqlite3_bind_text (st, 4, now, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, 5, (gint64) raw->size);
  sqlite3_bind_int64 (st, 6, (gint64) g_bytes_get_size (raw->bytes));
  sqlite3_bind_int (st, 7, raw->truncated ? 1 : 0);
  sqlite3_bind_blob64 (st, 8, pdata, plen, SQLITE_STATIC);
}

/* ndr_store_put_message - insert a parsed message and its rows; FALSE if the database failed */
gboolean
ndr_store_put_message (NdrStore *store, gint64 run, const NdrRaw *raw, const NdrPacked *packed,
                       const NdrMessage *msg, GError **error)
{
  sqlite3_stmt *st = store->st[ST_PUT_MESSAGE];
  g_autofree char *now = ndr_store_now ();
  g_autofree char *bounced = NULL, *day = NULL;
  bind_raw (st, run, raw, packed, now);
  bind_parsed (st, msg, &bounced, &day);
  if (bounced == NULL) {
    day = g_strndup (now, 10);
    bind_str (st, 10, now);
    bind_str (st, 11, day);
  }
  if (!ndr_store_exec (store, ST_PUT_MESSAGE, "storing a message", error))
    return FALSE;
  return ndr_store_put_children (store, sqlite3_last_insert_rowid (store->db), day, msg, error);
}

/* ndr_store_set_message - rewrite the parsed columns of a stored message */
gboolean
ndr_store_set_message (NdrStore *store, gint64 id, const char *fallback_day,
                       const NdrMessage *msg, GError **error)
{
  sqlite3_stmt *st = store->st[ST_SET_MESSAGE];
  g_autofree char *bounced = NULL, *day = NULL;
  sqlite3_bind_int64 (st, 1, id);
  bind_parsed (st, msg, &bounced, &day);
  if (!ndr_store_exec (store, ST_SET_MESSAGE, "updating a message", error))
    return FALSE;
  return ndr_store_put_children (store, id, day != NULL ? day : fallback_day, msg, error);
}

/* ndr_store_put_quarantine - insert a message that could not be parsed, with the reason */
gboolean
ndr_store_put_quarantine (NdrStore *store, gint64 run, const NdrRaw *raw,
                          const NdrPacked *packed, const char *why, GError **error)
{
  sqlite3_stmt *st = store->st[ST_PUT_QUARANTINE];
  g_autofree char *now = ndr_store_now ();
  bind_raw (st, run, raw, packed, now);
  bind_str (st, 9, why);
  return ndr_store_exec (store, ST_PUT_QUARANTINE, "storing a quarantined message", error);
}

/* put_evidence - insert the evidence of one recipient (idx >= 0) or of the message (-1) */
static gboolean
put_evidence (NdrStore *store, gint64 id, int idx, GPtrArray *evidence, GError **error)
{
  sqlite3_stmt *st = store->st[ST_PUT_EVIDENCE];
  for (guint i = 0; evidence != NULL && i < evidence->len; i++) {
    const NdrEvidence *ev = g_ptr_array_index (evidence, i);
    sqlite3_bind_int64 (st, 1, id);
    if (idx >= 0)
      sqlite3_bind_int (st, 2, idx);
    sqlite3_bind_int (st, 3, (int) i);
    bind_str (st, 4, ndr_source_name (ev->source));
    bind_str (st, 5, ev->status);
    bind_code (st, 6, ev->reply_code);
    bind_str (st, 7, ev->text);
    if (!ndr_store_exec (store, ST_PUT_EVIDENCE, "storing evidence", error))
      return FALSE;
  }
  return TRUE;
}

/* misleading_text - the misleading codes, space-separated, or NULL (transfer full) */
static char *
misleading_text (GPtrArray *codes)
{
  if (codes == NULL || codes->len == 0)
    return NULL;
  g_autoptr(GString) s = g_string_new (NULL);
  for (guint i = 0; i < codes->len; i++)
    g_string_append_printf (s, "%s%s", i > 0 ? " " : "", (const char *) codes->pdata[i]);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* put_recipient - insert one recipient and its evidence */
static gboolean
put_recipient (NdrStore *store, gint64 id, int idx, const char *day, const NdrRecipient *r,
               GError **error)
{
  sqlite3_stmt *st = store->st[ST_PUT_RECIPIENT];
  const char *at = r->address != NULL ? strrchr (r->address, '@') : NULL;
  g_autofree char *domain = at != NULL ? g_utf8_strdown (at + 1, -1) : NULL;
  g_autofree char *misleading = misleading_text (r->misleading);
  sqlite3_bind_int64 (st, 1, id);
  sqlite3_bind_int (st, 2, idx);
  bind_str (st, 3, day);
  bind_str (st, 4, r->address);
  bind_str (st, 5, domain);
  bind_str (st, 6, r->original_recipient);
  bind_str (st, 7, r->display_name);
  bind_str (st, 8, r->action);
  bind_str (st, 9, r->status);
  bind_code (st, 10, r->reply_code);
  bind_str (st, 11, r->remote_mta);
  bind_str (st, 12, r->diagnostic);
  bind_str (st, 13, r->last_attempt_date);
  bind_str (st, 14, r->will_retry_until);
  bind_str (st, 15, r->category);
  bind_str (st, 16, r->outcome);
  if (r->category != NULL) {                /* decided: the flags mean something */
    sqlite3_bind_int (st, 17, r->permanent ? 1 : 0);
    sqlite3_bind_double (st, 20, r->confidence);
  }
  bind_str (st, 18, r->owner);
  bind_str (st, 19, r->rule);
  bind_str (st, 21, misleading);
  bind_str (st, 22, r->decided_by);
  bind_str (st, 23, r->sisimai_reason);
  return ndr_store_exec (store, ST_PUT_RECIPIENT, "storing a recipient", error)
         && put_evidence (store, id, idx, r->evidence, error);
}

/* put_hops - insert the hop table */
static gboolean
put_hops (NdrStore *store, gint64 id, GPtrArray *hops, GError **error)
{
  sqlite3_stmt *st = store->st[ST_PUT_HOP];
  for (guint i = 0; hops != NULL && i < hops->len; i++) {
    const NdrHop *h = g_ptr_array_index (hops, i);
    sqlite3_bind_int64 (st, 1, id);
    sqlite3_bind_int (st, 2, (int) i);
    bind_str (st, 3, h->hop);
    bind_str (st, 4, h->time);
    bind_str (st, 5, h->from);
    bind_str (st, 6, h->to);
    bind_str (st, 7, h->with);
    bind_str (st, 8, h->relay_time);
    if (!ndr_store_exec (store, ST_PUT_HOP, "storing a hop", error))
      return FALSE;
  }
  return TRUE;
}

/* put_search - index the diagnostic, admin and user text for ndr search */
static gboolean
put_search (NdrStore *store, gint64 id, const NdrMessage *msg, GError **error)
{
  sqlite3_stmt *st = store->st[ST_PUT_SEARCH];
  g_autoptr(GString) diag = g_string_new (NULL);
  for (guint i = 0; msg->recipients != NULL && i < msg->recipients->len; i++) {
    const NdrRecipient *r = g_ptr_array_index (msg->recipients, i);
    if (r->diagnostic != NULL)
      g_string_append_printf (diag, "%s%s", diag->len > 0 ? "\n" : "", r->diagnostic);
  }
  if (diag->len == 0 && msg->admin_text == NULL && msg->user_text == NULL)
    return TRUE;
  sqlite3_bind_int64 (st, 1, id);
  bind_str (st, 2, diag->len > 0 ? diag->str : NULL);
  bind_str (st, 3, msg->admin_text);
  bind_str (st, 4, msg->user_text);
  return ndr_store_exec (store, ST_PUT_SEARCH, "indexing text", error);
}

/* ndr_store_put_children - insert recipients, evidence, hops and search text of message id */
gboolean
ndr_store_put_children (NdrStore *store, gint64 id, const char *day, const NdrMessage *msg,
                        GError **error)
{
  guint n = msg->recipients != NULL ? msg->recipients->len : 0;
  for (guint i = 0; i < n; i++)
    if (!put_recipient (store, id, (int) i, day, g_ptr_array_index (msg->recipients, i), error))
      return FALSE;
  if (n == 0 && !put_evidence (store, id, -1, msg->evidence, error))
    return FALSE;
  return put_hops (store, id, msg->hops, error) && put_search (store, id, msg, error);
}

/* ndr_store_run_start - record the start of a run, in its own transaction */
gboolean
ndr_store_run_start (NdrStore *store, const char *command, guint jobs, gint64 *run,
                     GError **error)
{
  sqlite3_stmt *st = store->st[ST_RUN_START];
  g_autofree char *now = ndr_store_now ();
  bind_str (st, 1, command);
  bind_str (st, 2, now);
  sqlite3_bind_int (st, 3, (int) jobs);
  if (!ndr_store_exec (store, ST_RUN_START, "recording the run", error))
    return FALSE;
  *run = sqlite3_last_insert_rowid (store->db);
  return TRUE;
}

/* ndr_store_run_update - record a run's counts; status "running" leaves finished NULL */
gboolean
ndr_store_run_update (NdrStore *store, gint64 run, const char *status,
                      const NdrIngestCounts *counts, GError **error)
{
  sqlite3_stmt *st = store->st[ST_RUN_UPDATE];
  g_autofree char *now = g_strcmp0 (status, "running") != 0 ? ndr_store_now () : NULL;
  sqlite3_bind_int64 (st, 1, run);
  bind_str (st, 2, now);
  bind_str (st, 3, status);
  sqlite3_bind_int64 (st, 4, (gint64) counts->seen);
  sqlite3_bind_int64 (st, 5, (gint64) counts->added);
  sqlite3_bind_int64 (st, 6, (gint64) counts->known);
  sqlite3_bind_int64 (st, 7, (gint64) counts->quarantined);
  sqlite3_bind_int64 (st, 8, (gint64) counts->failed);
  return ndr_store_exec (store, ST_RUN_UPDATE, "recording the run", error);
}
