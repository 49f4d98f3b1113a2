/*
 * NAME
 *   ndr_store_ingest.c - store every message of the inputs, each once
 * DESCRIPTION
 *   ndr_store_ingest() records a run, feeds the messages of an NdrReader through the pipeline
 *   (ndr_store_pipe.c) and writes each one: nothing if its hash is already stored (as a
 *   message or in the quarantine), to the quarantine with the reason if it cannot be parsed
 *   (ndr_store_unparsable(): no message at all, or an error and neither a kind nor a
 *   recipient), else as a message with its recipients, evidence, hops and search text; a
 *   message read only in part keeps its error in messages.error. Each batch's transaction
 *   also records the run's counts, so a run that is killed says how far it got.
 *
 *   Crash safety follows: a batch is committed whole or not at all (WAL), a re-run skips what
 *   was committed, and rows are written in input order, so a killed run followed by a re-run
 *   leaves exactly the rows of one uninterrupted run (tests/test_store_crash.c).
 * TRUST
 *   As ndr_store_put.c. An input that cannot be read is counted as failed and the run goes on;
 *   a database failure stops the run.
 */
#include "store_priv.h"

#include <string.h>

typedef struct {
  NdrStore               *store;
  NdrReader              *reader;
  const NdrIngestOptions *options;
  gint64                  run;
  NdrIngestCounts         counts;      /* so far */
  NdrIngestCounts         committed;   /* as of the last commit */
} Ingest;

/* next_job - the next message of the inputs; unreadable inputs are counted and skipped */
static gboolean
next_job (gpointer self, NdrJob **job, GError **error)
{
  Ingest *in = self;
  for (;;) {
    g_autoptr(GError) err = NULL;
    NdrRaw *raw = ndr_reader_next (in->reader, &err);
    if (raw != NULL) {
      in->counts.seen++;
      in->counts.bytes += raw->size;
      *job = ndr_job_new (raw, TRUE);
      return TRUE;
    }
    if (err == NULL) {
      *job = NULL;
      return TRUE;
    }
    in->counts.failed++;
    if (in->options->failure != NULL)
      in->options->failure (err, in->options->failure_data);
    else
      g_debug ("%s", err->message);
  }
}

/* write_job - store one message, or count it as known */
static gboolean
write_job (gpointer self, NdrJob *job, GError **error)
{
  Ingest *in = self;
  gboolean known = job->known;
  if (!known && !ndr_store_knows (in->store, job->packed.sha256, &known, error))
    return FALSE;
  if (known) {
    in->counts.known++;
  } else if (job->packed.packed == NULL) {        /* zlib failed: cannot keep it, say so */
    in->counts.failed++;
    if (in->options->failure != NULL)
      in->options->failure (job->pack_error, in->options->failure_data);
  } else if (ndr_store_unparsable (job->msg)) {
    const char *why = job->msg != NULL ? job->msg->error : "could not be parsed";
    if (!ndr_store_put_quarantine (in->store, in->run, job->raw, &job->packed, why, error))
      return FALSE;
    in->counts.quarantined++;
  } else {
    if (!ndr_store_put_message (in->store, in->run, job->raw, &job->packed, job->msg, error))
      return FALSE;
    in->counts.added++;
  }
  if (in->options->progress != NULL)
    in->options->progress (&in->counts, in->options->progress_data);
  return TRUE;
}

/* checkpoint - record the counts in the batch's own transaction */
static gboolean
checkpoint (gpointer self, GError **error)
{
  Ingest *in = self;
  return ndr_store_run_update (in->store, in->run, "running", &in->counts, error);
}

/* committed - remember what is now safely stored */
static void
committed (gpointer self)
{
  Ingest *in = self;
  in->committed = in->counts;
}

/**
 * ndr_store_ingest:
 * @store: an open store
 * @reader: the inputs
 * @options: jobs, batch size, analyser, callbacks
 * @counts: (out caller-allocates): what the run did; on failure, what was committed
 * @error: (out) (optional): why the run stopped
 *
 * Stores every message @reader yields that is not stored yet. Inputs that cannot be read are
 * counted as failed and skipped. A database failure rolls back the open batch and stops.
 *
 * Returns: FALSE if the database failed; @counts then say how far the run got.
 */
gboolean
ndr_store_ingest (NdrStore *store, NdrReader *reader, const NdrIngestOptions *options,
                  NdrIngestCounts *counts, GError **error)
{
  g_return_val_if_fail (store != NULL && reader != NULL && options != NULL, FALSE);
  Ingest in = { .store = store, .reader = reader, .options = options };
  NdrPipe pipe = { .store = store, .options = options, .self = &in, .next = next_job,
                   .write = write_job, .checkpoint = checkpoint, .committed = committed };
  memset (counts, 0, sizeof *counts);
  if (!ndr_store_run_start (store, "ingest", ndr_pipe_jobs (options), &in.run, error))
    return FALSE;
  if (!ndr_pipe_run (&pipe, error)) {
    in.committed.failed = in.counts.failed;
    *counts = in.committed;
    ndr_store_run_update (store, in.run, "failed", &in.committed, NULL);
    g_prefix_error (error, "stopped after %" G_GUINT64_FORMAT " messages were stored: ",
                    in.committed.added + in.committed.quarantined);
    return FALSE;
  }
  *counts = in.counts;
  return ndr_store_run_update (store, in.run, "done", &in.counts, error);
}
