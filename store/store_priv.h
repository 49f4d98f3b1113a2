/*
 * NAME
 *   store_priv.h - what the files of store/ share; nothing outside store/ includes it
 * DESCRIPTION
 *   An NdrStore is one SQLite connection with its prepared statements, each prepared once in
 *   ndr_store_open() from ndr_store_sql[] (ndr_store_schema.c, where all SQL lives) and reused.
 *   ndr_store_migrations[v] takes a database from schema version v to v + 1.
 *
 *   The tests (tests/test_store.c) use ndr_store_create_at() to build databases of every earlier
 *   version and fault_after to fail the n-th step.
 * TRUST
 *   As store.h.
 */
#pragma once

#include <sqlite3.h>

#include "store.h"

G_BEGIN_DECLS

/* The prepared statements; their SQL is ndr_store_sql[] in ndr_store_schema.c. */
typedef enum {
  ST_KNOWS,            /* ?1 sha256: a row if stored in messages or quarantine */
  ST_PUT_MESSAGE,      /* the message columns, ?1..?25 (see ndr_store_put.c) */
  ST_SET_MESSAGE,      /* ?1 id, ?9..?25 as ST_PUT_MESSAGE */
  ST_PUT_RECIPIENT,
  ST_PUT_EVIDENCE,
  ST_PUT_HOP,
  ST_PUT_SEARCH,
  ST_PUT_QUARANTINE,
  ST_RUN_START,        /* ?1 command, ?2 started, ?3 jobs */
  ST_RUN_UPDATE,       /* ?1 id, ?2 finished, ?3 status, ?4.. counts */
  ST_BEGIN,
  ST_COMMIT,
  ST_ROLLBACK,
  ST_READ_BATCH,       /* ?1 after id, ?2 limit: messages to re-decide */
  ST_OLD_CATEGORIES,   /* ?1 message id: idx, category */
  ST_DROP_RECIPIENTS,  /* ?1 message id */
  ST_DROP_EVIDENCE,
  ST_DROP_HOPS,
  ST_DROP_SEARCH,
  ST_READ_QUARANTINE,  /* ?1 after id */
  ST_DROP_QUARANTINE,  /* ?1 id */
  ST_COUNT
} NdrStmt;

extern const char *const ndr_store_sql[ST_COUNT];
extern const char *const ndr_store_migrations[NDR_STORE_SCHEMA_VERSION];

#define NDR_STORE_APPLICATION_ID 0x4e445231   /* "NDR1": PRAGMA application_id of our files */

struct NdrStore {
  sqlite3      *db;
  char         *path;
  gboolean      read_only;
  sqlite3_stmt *st[ST_COUNT];     /* prepared once, reset after each use; writer's thread */
  sqlite3      *peek_db;          /* a second, read-only connection for the workers' lookups */
  sqlite3_stmt *peek;             /* ST_KNOWS on peek_db */
  GMutex        peek_lock;        /* the workers take turns at peek */
  guint         fault_after;      /* tests: the n-th step from now fails (0: never) */
  int           fault_rc;         /* tests: what the injected fault returns; 0: SQLITE_IOERR */
  gboolean      fault_hit;        /* the last failure was the injected one */
};

/* The hashed, compressed form of one message, made in a worker thread. */
typedef struct {
  char    sha256[65];
  GBytes *packed;                 /* gzip of the raw bytes */
} NdrPacked;

/* One message on its way through the pipeline (ndr_store_pipe.c). A worker thread fills
 * what is below `done`; the writing thread reads it once done is set, under the pipe's lock. */
typedef struct {
  NdrRaw     *raw;
  gint64      id;             /* reclassify: the stored message's id */
  char       *day;            /* reclassify: its day when the report has no Date */
  gboolean    fresh;          /* ingest: hash, look up and pack it, too */
  gboolean    known;          /* the worker found it already stored (then not parsed) */
  NdrPacked   packed;
  GError     *pack_error;
  NdrMessage *msg;            /* NULL: could not be parsed at all */
  gboolean    done;
} NdrJob;

/* A run of the pipeline: next() yields jobs in input order (NULL at the end; FALSE stops the
 * run), workers analyse them, write() stores each in the same order, in transactions of
 * options->batch jobs; checkpoint() runs inside each transaction just before it commits. */
typedef struct {
  NdrStore               *store;
  const NdrIngestOptions *options;
  gpointer                self;
  gboolean (*next)       (gpointer self, NdrJob **job, GError **error);
  gboolean (*write)      (gpointer self, NdrJob *job, GError **error);
  gboolean (*checkpoint) (gpointer self, GError **error);
  void     (*committed)  (gpointer self);
} NdrPipe;

gboolean  ndr_pipe_run       (const NdrPipe *pipe, GError **error);
NdrMessage *ndr_pipe_analyse (const NdrIngestOptions *options, const NdrLimits *limits,
                              const NdrRaw *raw);
NdrJob   *ndr_job_new        (NdrRaw *raw, gboolean fresh);
void      ndr_job_free       (NdrJob *job);
guint     ndr_pipe_jobs      (const NdrIngestOptions *options);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NdrJob, ndr_job_free)

/* ndr_store.c */
gboolean  ndr_store_create_at (const char *path, int version, GError **error);
gboolean  ndr_store_fail     (NdrStore *store, int rc, const char *doing, GError **error);
gboolean  ndr_store_exec     (NdrStore *store, NdrStmt which, const char *doing, GError **error);
gboolean  ndr_store_begin    (NdrStore *store, GError **error);
gboolean  ndr_store_commit   (NdrStore *store, GError **error);
void      ndr_store_rollback (NdrStore *store);
gboolean  ndr_store_knows    (NdrStore *store, const char *sha256, gboolean *known, GError **error);
gboolean  ndr_store_peek     (NdrStore *store, const char *sha256);
int       ndr_store_step     (NdrStore *store, sqlite3_stmt *st);
char     *ndr_store_now      (void);

/* ndr_store_put.c */
gboolean  ndr_store_unparsable (const NdrMessage *msg);
GBytes   *ndr_store_pack     (GBytes *raw, GError **error);
GBytes   *ndr_store_unpack   (const void *data, gsize len, gsize size, GError **error);
gboolean  ndr_store_put_message (NdrStore *store, gint64 run, const NdrRaw *raw,
                                 const NdrPacked *packed, const NdrMessage *msg, GError **error);
gboolean  ndr_store_put_quarantine (NdrStore *store, gint64 run, const NdrRaw *raw,
                                    const NdrPacked *packed, const char *why, GError **error);
gboolean  ndr_store_put_children (NdrStore *store, gint64 id, const char *day,
                                  const NdrMessage *msg, GError **error);
gboolean  ndr_store_set_message (NdrStore *store, gint64 id, const char *fallback_day,
                                 const NdrMessage *msg, GError **error);
gboolean  ndr_store_run_start (NdrStore *store, const char *command, guint jobs, gint64 *run,
                               GError **error);
gboolean  ndr_store_run_update (NdrStore *store, gint64 run, const char *status,
                                const NdrIngestCounts *counts, GError **error);

G_END_DECLS
