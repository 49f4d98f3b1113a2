/*
 * NAME
 *   store.h - the public interface of store/: the SQLite database of bounces
 * DESCRIPTION
 *   ndr_store_open() opens (and creates or migrates) a database; ndr_store_ingest() stores
 *   every message an NdrReader yields, each once, identified by the SHA-256 of its bytes with
 *   line endings made LF; ndr_store_reclassify() re-decides every stored message from its raw
 *   bytes. Messages that cannot be parsed go to the quarantine with their bytes and the reason.
 *
 *   Other folders include only this header from store/.
 * TRUST
 *   The messages are a stranger's; the database file is the user's own, but may be corrupt,
 *   locked by another process, read-only or from a newer ndr: each of these is refused with
 *   NDR_ERROR_STORE and a sentence saying which.
 */
#pragma once

#include <glib.h>

#include "classify.h"
#include "parser.h"

G_BEGIN_DECLS

#define NDR_STORE_SCHEMA_VERSION  4      /* PRAGMA user_version this ndr writes */
#define NDR_STORE_BUSY_TIMEOUT_MS 10000  /* how long we wait for another process's lock */
#define NDR_STORE_BATCH           500    /* messages per transaction while ingesting */
#define NDR_STORE_MAX_JOBS        256    /* bound on --jobs */

typedef struct NdrStore NdrStore;

typedef enum {
  NDR_STORE_OPEN_DEFAULT   = 0,
  NDR_STORE_OPEN_READ_ONLY = 1 << 0,   /* never create nor migrate; refuse to write */
} NdrStoreOpenFlags;

/* Parse and classify one message; called from worker threads, so it must be thread-safe.
 * Returns (transfer full) the message, or NULL if it cannot be parsed at all. */
typedef NdrMessage *(*NdrAnalyseFunc) (const NdrRaw *raw, gpointer data);

/* What a run did so far. */
typedef struct {
  guint64 seen;         /* messages read */
  guint64 added;        /* stored as new messages */
  guint64 known;        /* already stored (in messages or quarantine): nothing added */
  guint64 quarantined;  /* newly stored in the quarantine */
  guint64 failed;       /* inputs that could not be read */
  guint64 bytes;        /* bytes of messages read */
} NdrIngestCounts;

typedef void (*NdrProgressFunc) (const NdrIngestCounts *counts, gpointer data);
typedef void (*NdrFailureFunc)  (const GError *error, gpointer data);

typedef struct {
  guint            jobs;           /* parsing threads; 0 or 1: parse in the calling thread */
  guint            batch;          /* messages per transaction; 0: NDR_STORE_BATCH */
  const NdrLimits *limits;         /* limits for the default analyser; NULL: the defaults */
  const NdrRuleSet *rules;         /* the default analyser classifies with them; NULL: not */
  NdrAnalyseFunc   analyse;        /* NULL: ndr_parse_raw(), then the rules if any */
  gpointer         analyse_data;
  NdrProgressFunc  progress;       /* called after each stored message, from the caller's thread */
  gpointer         progress_data;
  NdrFailureFunc   failure;        /* an input that could not be read; NULL: g_debug() */
  gpointer         failure_data;
} NdrIngestOptions;

/* What ndr_store_reclassify() changed. */
typedef struct {
  guint64     messages;     /* messages re-decided */
  guint64     recipients;   /* recipients after re-deciding */
  guint64     changed;      /* recipients whose category changed */
  guint64     unparsed;     /* messages that no longer parse: their rows are left as they were */
  guint64     released;     /* quarantined messages that now parse, moved to the messages */
  GHashTable *changes;      /* "old -> new" (char *) -> count (GUINT_TO_POINTER); owned */
} NdrReclassifyCounts;

/* One quarantined message, as ndr_store_quarantine_foreach() hands it out. */
typedef struct {
  gint64      id;
  const char *sha256;       /* hex */
  const char *source;
  const char *error;
  const char *stored_at;
  GBytes     *raw;          /* the message's bytes */
} NdrQuarantined;

typedef gboolean (*NdrQuarantineFunc) (const NdrQuarantined *q, gpointer data, GError **error);

char     *ndr_store_default_path (void);
char     *ndr_store_resolve_path (const char *option);
NdrStore *ndr_store_open         (const char *path, NdrStoreOpenFlags flags, GError **error);
void      ndr_store_close        (NdrStore *store);
int       ndr_store_schema_version (NdrStore *store);
void      ndr_store_hash         (const guint8 *data, gsize len, char hex[65]);

gboolean  ndr_store_ingest       (NdrStore *store, NdrReader *reader,
                                  const NdrIngestOptions *options, NdrIngestCounts *counts,
                                  GError **error);
gboolean  ndr_store_reclassify   (NdrStore *store, const NdrIngestOptions *options,
                                  NdrReclassifyCounts *counts, GError **error);
void      ndr_reclassify_counts_clear (NdrReclassifyCounts *counts);
gboolean  ndr_store_quarantine_foreach (NdrStore *store, NdrQuarantineFunc func, gpointer data,
                                        GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NdrStore, ndr_store_close)

/* ndr_store_query.c (helper L): what ndr why, ndr search and ndr report ask the database. */

/* How much is stored, for "nothing found" messages. */
typedef struct {
  gint64  messages;        /* rows of messages */
  char   *first;           /* the earliest day, NULL when empty */
  char   *last;            /* the latest day */
} NdrStoreSummary;

/* One evidence line of a stored recipient. */
typedef struct {
  char *source;            /* dsn-diagnostic, admin-text, ... */
  char *status;
  int   reply_code;
  char *text;
} NdrStoreEvidence;

/* One stored recipient with its message's facts, as ndr why tells it. */
typedef struct {
  gint64     message;      /* messages.id */
  int        idx;          /* recipients.idx */
  char      *bounced_at, *address, *status, *misleading, *category, *outcome, *owner, *rule;
  char      *decided_by, *diagnostic, *remote_mta, *kind, *mta, *reporting_mta;
  char      *orig_message_id, *orig_from, *orig_subject, *source, *will_retry_until;
  int        reply_code;
  GPtrArray *evidence;     /* NdrStoreEvidence *, by ndr_store_why_evidence(); owns them */
} NdrStoreFailure;

/* What ndr why looks for. */
typedef enum {
  NDR_WHY_ADDRESS,         /* a recipient address, caseless */
  NDR_WHY_DOMAIN,          /* @domain: every recipient of that domain */
  NDR_WHY_MESSAGE_ID,      /* the original message's Message-ID, without <> */
} NdrWhyKind;

/* One hit of ndr search. */
typedef struct {
  gint64  message;
  char   *bounced_at, *source, *subject, *orig_from;
  char   *snippet;         /* the text around the match; each match between \002 and \003 */
  char   *recipients;      /* "address category" lines of the message */
} NdrStoreHit;

/* A count under a name: a domain, a sender. */
typedef struct {
  char    *name;
  guint64  count;
} NdrReportTop;

/* One cause of the report. */
typedef struct {
  char      *category;
  char      *owner;        /* who acts most often for it in the period */
  guint64    count;        /* recipients in the period */
  guint64    previous;     /* recipients in the period before, of the same length */
  guint64   *per_day;      /* count per day of the period, days of them */
  GPtrArray *domains;      /* NdrReportTop *, most affected recipient domains */
  GPtrArray *senders;      /* NdrReportTop *, most affected original senders */
} NdrReportCause;

/* The report over [from, to] (days, inclusive) against [prev_from, from). */
typedef struct {
  char      *from, *to, *prev_from;
  guint      days;
  guint64    total, previous;
  GPtrArray *causes;       /* NdrReportCause *, most recipients first; owns them */
} NdrReport;

gboolean   ndr_store_summary        (NdrStore *store, NdrStoreSummary *summary, GError **error);
void       ndr_store_summary_clear  (NdrStoreSummary *summary);
GPtrArray *ndr_store_why            (NdrStore *store, NdrWhyKind kind, const char *target,
                                     const char *since, guint limit, guint64 *total,
                                     GError **error);
gboolean   ndr_store_why_evidence   (NdrStore *store, NdrStoreFailure *f, GError **error);
void       ndr_store_failure_free   (NdrStoreFailure *f);
GBytes    *ndr_store_raw            (NdrStore *store, gint64 message, GError **error);
GPtrArray *ndr_store_search         (NdrStore *store, const char *query, const char *since,
                                     const char *category, const char *domain, guint limit,
                                     GError **error);
void       ndr_store_hit_free       (NdrStoreHit *hit);
NdrReport *ndr_store_report         (NdrStore *store, const char *to_day, guint days, guint top,
                                     GError **error);
void       ndr_report_free          (NdrReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NdrStoreFailure, ndr_store_failure_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NdrReport, ndr_report_free)

G_END_DECLS
