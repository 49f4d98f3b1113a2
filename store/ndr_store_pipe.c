/*
 * NAME
 *   ndr_store_pipe.c - parse in a thread pool, write in one thread, in input order
 * DESCRIPTION
 *   ndr_pipe_run() keeps a window of at most 4 x jobs messages in flight: the calling thread
 *   reads the next messages (pipe->next), a GThreadPool hashes, looks up, packs and analyses
 *   them, and the calling thread, the only writer, stores them (pipe->write) strictly in the
 *   order read, so the rows and their ids are the same for any number of jobs. Writes are
 *   grouped in transactions of options->batch messages; a failed write rolls back its batch
 *   and stops the run, and what was committed before stays.
 *
 *   Memory is bounded by the window, not by the input: a mailbox of any size runs in the same
 *   peak RSS.
 * TRUST
 *   The messages are a stranger's; the analyser must be thread-safe (ndr_parse_raw() and
 *   ndr_classify_message() are).
 */
#include "store_priv.h"

#define WINDOW_PER_JOB 4    /* messages in flight per worker: enough to keep them busy */

typedef struct {
  const NdrPipe *pipe;
  NdrLimits      limits;
  GMutex         lock;
  GCond          cond;
} Pipeline;

/* ndr_job_new - a job for one message; takes raw */
NdrJob *
ndr_job_new (NdrRaw *raw, gboolean fresh)
{
  NdrJob *job = g_new0 (NdrJob, 1);
  job->raw = raw;
  job->fresh = fresh;
  return job;
}

/* ndr_job_free - free a job and all it holds */
void
ndr_job_free (NdrJob *job)
{
  if (job == NULL)
    return;
  ndr_raw_free (job->raw);
  g_free (job->day);
  g_clear_pointer (&job->packed.packed, g_bytes_unref);
  g_clear_error (&job->pack_error);
  g_clear_pointer (&job->msg, ndr_message_free);
  g_free (job);
}

/* ndr_pipe_jobs - the number of workers options ask for, within bounds */
guint
ndr_pipe_jobs (const NdrIngestOptions *options)
{
  return CLAMP (options->jobs, 1, NDR_STORE_MAX_JOBS);
}

/* ndr_pipe_analyse - parse and classify one message as the options say (transfer full) */
NdrMessage *
ndr_pipe_analyse (const NdrIngestOptions *options, const NdrLimits *limits, const NdrRaw *raw)
{
  if (options->analyse != NULL)
    return options->analyse (raw, options->analyse_data);
  NdrMessage *msg = ndr_parse_raw (raw, limits);
  if (msg != NULL && options->rules != NULL)
    ndr_classify_message (options->rules, msg, NULL);   /* hints are not stored */
  return msg;
}

/* work - the worker's part: hash, look up, pack, analyse; then mark the job done */
static void
work (gpointer data, gpointer user_data)
{
  NdrJob *job = data;
  Pipeline *p = user_data;
  const NdrIngestOptions *opt = p->pipe->options;
  if (job->fresh) {
    gsize len = 0;
    const guint8 *bytes = g_bytes_get_data (job->raw->bytes, &len);
    ndr_store_hash (bytes, len, job->packed.sha256);
    /* a shortcut only: the writer looks again, in its own transaction */
    job->known = ndr_store_peek (p->pipe->store, job->packed.sha256);
    if (!job->known)
      job->packed.packed = ndr_store_pack (job->raw->bytes, &job->pack_error);
  }
  if (!job->known)
    job->msg = ndr_pipe_analyse (opt, &p->limits, job->raw);
  g_mutex_lock (&p->lock);
  job->done = TRUE;
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
}

/* wait_done - wait until a worker has finished the job */
static void
wait_done (Pipeline *p, NdrJob *job)
{
  g_mutex_lock (&p->lock);
  while (!job->done)
    g_cond_wait (&p->cond, &p->lock);
  g_mutex_unlock (&p->lock);
}

/* fill - read jobs until the window is full or the input ends; FALSE if next() failed */
static gboolean
fill (Pipeline *p, GThreadPool *pool, GQueue *queue, guint window, gboolean *eof,
      GError **error)
{
  while (!*eof && queue->length < window) {
    NdrJob *job = NULL;
    if (!p->pipe->next (p->pipe->self, &job, error))
      return FALSE;
    if (job == NULL) {
      *eof = TRUE;
      break;
    }
    g_queue_push_tail (queue, job);
    if (pool != NULL)
      g_thread_pool_push (pool, job, NULL);
    else
      work (job, p);
  }
  return TRUE;
}

/* commit - end a batch: checkpoint, commit, tell the caller */
static gboolean
commit (const NdrPipe *pipe, GError **error)
{
  if (!pipe->checkpoint (pipe->self, error) || !ndr_store_commit (pipe->store, error))
    return FALSE;
  pipe->committed (pipe->self);
  return TRUE;
}

/* drain - read, analyse and write until the input ends or something fails */
static gboolean
drain (Pipeline *p, GThreadPool *pool, GQueue *queue, GError **error)
{
  const NdrPipe *pipe = p->pipe;
  guint window = ndr_pipe_jobs (pipe->options) * WINDOW_PER_JOB;
  guint batch = pipe->options->batch > 0 ? pipe->options->batch : NDR_STORE_BATCH;
  guint in_batch = 0;
  gboolean eof = FALSE;
  for (;;) {
    if (!fill (p, pool, queue, window, &eof, error))
      return FALSE;
    g_autoptr(NdrJob) job = g_queue_pop_head (queue);
    if (job == NULL)
      break;
    wait_done (p, job);
    if (in_batch == 0 && !ndr_store_begin (pipe->store, error))
      return FALSE;
    if (!pipe->write (pipe->self, job, error))
      return FALSE;
    if (++in_batch >= batch) {
      if (!commit (pipe, error))
        return FALSE;
      in_batch = 0;
    }
  }
  return in_batch == 0 || commit (pipe, error);
}

/* ndr_pipe_run - run a pipeline to its end; FALSE if it failed (the open batch rolled back) */
gboolean
ndr_pipe_run (const NdrPipe *pipe, GError **error)
{
  Pipeline p = { .pipe = pipe };
  GQueue queue = G_QUEUE_INIT;
  GThreadPool *pool = NULL;
  guint jobs = ndr_pipe_jobs (pipe->options);
  if (pipe->options->limits != NULL)
    p.limits = *pipe->options->limits;
  else
    ndr_limits_init (&p.limits);
  g_mutex_init (&p.lock);
  g_cond_init (&p.cond);
  if (jobs > 1)
    pool = g_thread_pool_new (work, &p, (gint) jobs, FALSE, NULL);
  gboolean ok = drain (&p, pool, &queue, error);
  if (!ok)
    ndr_store_rollback (pipe->store);
  if (pool != NULL)
    g_thread_pool_free (pool, TRUE, TRUE);   /* drop jobs not started, wait for the others */
  g_queue_clear_full (&queue, (GDestroyNotify) ndr_job_free);
  g_cond_clear (&p.cond);
  g_mutex_clear (&p.lock);
  return ok;
}
