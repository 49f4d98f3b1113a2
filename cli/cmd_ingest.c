/*
 * NAME
 *   cmd_ingest.c - ndr ingest: store bounces in the database, each message once
 * SYNOPSIS
 *   ndr ingest [--db PATH] [--jobs N] [--rules DIR ...] [--quiet | --verbose] [PATH... | -]
 *   ndr ingest [--db PATH] --quarantine | --export-quarantine DIR
 * DESCRIPTION
 *   Reads every message of every PATH as `ndr parse` does, parses and classifies it in --jobs
 *   threads and stores it (store/ndr_store_ingest.c): a message already stored is counted and
 *   skipped, one that cannot be parsed goes to the quarantine with its bytes. Ends with the
 *   summary "N new, N already stored, N quarantined, N failed" on stdout (not with --quiet).
 *   On a terminal (stderr) a live line shows messages done, the rate and, when every PATH is
 *   a file, the time left.
 *
 *   --quarantine lists the quarantined messages; --export-quarantine DIR writes each to
 *   DIR/SHA256.eml (mode 0600: it is someone's mail).
 *
 *   The progress line and the analyser options are shared with cmd_reclassify.c.
 * DIAGNOSTICS
 *   Exit status 0, 1 when some input could not be read (the others are stored), 3 when the
 *   database failed (locked, read-only, full, corrupt, newer): what was committed stays and
 *   the message says how far the run got.
 * TRUST
 *   Options come from the user. Sources and errors printed from the quarantine are a
 *   stranger's text and go through ndr_printable().
 */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "classify.h"
#include "commands.h"
#include "output.h"
#include "store.h"

#define PROGRESS_EVERY_US (250 * G_TIME_SPAN_MILLISECOND)  /* redraw the live line at most so */
#define SHOWN_MAX         200                               /* bytes of a source or error listed */
#define EXPORT_MODE       0600                              /* exported mail: owner only */

struct NdrCliProgress {
  gboolean  on;          /* stderr is a terminal and not --quiet */
  guint64   total;       /* bytes of all inputs, 0 if unknown */
  gint64    start;       /* g_get_monotonic_time() at the start */
  gint64    last;        /* when the line was last drawn */
  gboolean  drawn;
};

/**
 * ndr_cli_progress_new:
 * @total: bytes of all inputs, or 0 if not known
 * @quiet: never draw
 *
 * Returns: (transfer full): a progress line, drawn on stderr only if it is a terminal.
 */
NdrCliProgress *
ndr_cli_progress_new (guint64 total, gboolean quiet)
{
  NdrCliProgress *p = g_new0 (NdrCliProgress, 1);
  p->on = !quiet && isatty (STDERR_FILENO);
  p->total = total;
  p->start = p->last = g_get_monotonic_time ();
  return p;
}

/**
 * ndr_cli_progress_update:
 * @counts: what the run did so far
 * @data: the NdrCliProgress
 *
 * Redraws the live line, at most every PROGRESS_EVERY_US. An NdrProgressFunc.
 */
void
ndr_cli_progress_update (const NdrIngestCounts *counts, gpointer data)
{
  NdrCliProgress *p = data;
  gint64 now = g_get_monotonic_time ();
  if (!p->on || now - p->last < PROGRESS_EVERY_US)
    return;
  p->last = now;
  double secs = (double) (now - p->start) / G_USEC_PER_SEC;
  double rate = secs > 0 ? (double) counts->seen / secs : 0;
  fprintf (stderr, "\r\033[K%" G_GUINT64_FORMAT " messages, %.0f/s", counts->seen, rate);
  if (p->total > 0 && counts->bytes > 0 && counts->bytes < p->total) {
    double left = secs * (double) (p->total - counts->bytes) / (double) counts->bytes;
    fprintf (stderr, ", %d:%02d left", (int) left / 60, (int) left % 60);
  }
  fflush (stderr);
  p->drawn = TRUE;
}

/**
 * ndr_cli_progress_free:
 * @p: (transfer full) (nullable): a progress line
 *
 * Clears the line if it was drawn, and frees it.
 */
void
ndr_cli_progress_free (NdrCliProgress *p)
{
  if (p == NULL)
    return;
  if (p->drawn)
    fprintf (stderr, "\r\033[K");
  g_free (p);
}

/* What the options asked for. */
typedef struct {
  char     *db;
  gint      jobs;
  gint      batch;
  char    **rule_dirs;
  gboolean  no_classify;
  gboolean  no_system_rules;
  gboolean  quiet;
  gboolean  verbose;
  gboolean  list_quarantine;
  char     *export_quarantine;
  char    **paths;
  NdrLimits limits;
} Options;

/* options_clear - free what GOption allocated */
static void
options_clear (Options *opt)
{
  g_clear_pointer (&opt->db, g_free);
  g_clear_pointer (&opt->rule_dirs, g_strfreev);
  g_clear_pointer (&opt->export_quarantine, g_free);
  g_clear_pointer (&opt->paths, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/* parse_options - read argv into opt; FALSE with a usage error */
static gboolean
parse_options (Options *opt, int argc, char **argv, GError **error)
{
  const GOptionEntry entries[] = {
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &opt->db,
      "The database (default: $NDR_DB, else ~/.local/share/ndr/ndr.db)", "PATH" },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &opt->jobs,
      "Parsing threads (default: the number of processors)", "N" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &opt->batch,
      "Messages per transaction (default 500)", "N" },
    { "rules", 'r', 0, G_OPTION_ARG_FILENAME_ARRAY, &opt->rule_dirs,
      "Also read the *.rules files of DIR (may be repeated)", "DIR" },
    { "no-system-rules", 0, 0, G_OPTION_ARG_NONE, &opt->no_system_rules,
      "Read neither $XDG_CONFIG_HOME/ndr/rules.d nor /etc/ndr/rules.d", NULL },
    { "no-classify", 0, 0, G_OPTION_ARG_NONE, &opt->no_classify,
      "Store only what the parser found (categories stay empty)", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt->quiet,
      "Print only errors: no progress line, no summary", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt->verbose,
      "Also print the database, the threads and the rate", NULL },
    { "quarantine", 0, 0, G_OPTION_ARG_NONE, &opt->list_quarantine,
      "List the quarantined messages instead of ingesting", NULL },
    { "export-quarantine", 0, 0, G_OPTION_ARG_FILENAME, &opt->export_quarantine,
      "Write each quarantined message to DIR/SHA256.eml instead of ingesting", "DIR" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt->paths, NULL, NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[PATH...|-]");
  g_option_context_set_summary (context,
      "Stores the bounces of the PATHs in the database, each message once: files, Maildir\n"
      "and other folders, mbox files; '-' or no PATH reads standard input.");
  g_option_context_set_description (context,
      "Exit status: 0 all stored, 1 some input unreadable, 2 usage, 3 database failure.\n"
      "docs/ingest.md shows Postfix, cron and systemd set-ups and sqlite3 queries.");
  g_option_context_set_main_group (context, ndr_cli_main_group (&opt->limits, entries));
  if (!g_option_context_parse (context, &argc, &argv, error))
    return FALSE;
  if (opt->jobs < 0 || opt->jobs > NDR_STORE_MAX_JOBS || opt->batch < 0) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE, "--jobs must be 1 to %d, --batch positive",
                 NDR_STORE_MAX_JOBS);
    return FALSE;
  }
  if (opt->quiet && opt->verbose) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE, "--quiet and --verbose disagree");
    return FALSE;
  }
  return TRUE;
}

/**
 * ndr_cli_load_rules:
 * @dirs: (nullable): --rules folders
 * @no_system: --no-system-rules
 * @no_classify: --no-classify: load nothing
 * @rules: (out) (transfer full): the rules, NULL with --no-classify
 * @error: why the rules were refused
 *
 * Returns: FALSE if the rules could not be loaded.
 */
gboolean
ndr_cli_load_rules (char **dirs, gboolean no_system, gboolean no_classify, NdrRuleSet **rules,
                    GError **error)
{
  *rules = NULL;
  if (no_classify)
    return TRUE;
  *rules = ndr_rules_load ((const char *const *) dirs,
                           no_system ? NDR_RULES_NO_SYSTEM : NDR_RULES_DEFAULT, error);
  return *rules != NULL;
}

/* input_size - total bytes of the paths if all are files, else 0 (unknown) */
static guint64
input_size (char **paths)
{
  guint64 total = 0;
  for (guint i = 0; paths != NULL && paths[i] != NULL; i++) {
    GStatBuf st;
    if (g_stat (paths[i], &st) != 0 || !S_ISREG (st.st_mode))
      return 0;
    total += (guint64) st.st_size;
  }
  return total;
}

/* show_failure - an input that could not be read: "ndr: PATH: reason" */
static void
show_failure (const GError *error, gpointer data)
{
  ndr_cli_print_error (error);
}

/* summary - the closing line of a run on stdout */
static void
summary (const Options *opt, const NdrIngestCounts *c, gint64 start)
{
  double secs = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  printf ("%" G_GUINT64_FORMAT " new, %" G_GUINT64_FORMAT " already stored, %" G_GUINT64_FORMAT
          " quarantined, %" G_GUINT64_FORMAT " failed\n", c->added, c->known, c->quarantined,
          c->failed);
  if (opt->verbose)
    printf ("%" G_GUINT64_FORMAT " messages, %" G_GUINT64_FORMAT " bytes in %.2f s (%.0f/s)\n",
            c->seen, c->bytes, secs, secs > 0 ? (double) c->seen / secs : 0.0);
}

/* ingest - store the messages of the paths; the exit status */
static int
ingest (const Options *opt, NdrStore *store, const NdrRuleSet *rules, GError **error)
{
  g_autoptr(NdrReader) reader = ndr_reader_new (&opt->limits);
  if (opt->paths == NULL || opt->paths[0] == NULL)
    ndr_reader_add_stdin (reader);
  for (guint i = 0; opt->paths != NULL && opt->paths[i] != NULL; i++)
    ndr_reader_add_path (reader, opt->paths[i]);
  NdrCliProgress *progress = ndr_cli_progress_new (input_size (opt->paths), opt->quiet);
  NdrIngestOptions io = {
    .jobs = opt->jobs > 0 ? (guint) opt->jobs : g_get_num_processors (),
    .batch = (guint) opt->batch, .limits = &opt->limits, .rules = rules,
    .progress = ndr_cli_progress_update, .progress_data = progress,
    .failure = show_failure,
  };
  NdrIngestCounts counts;
  gint64 start = g_get_monotonic_time ();
  if (opt->verbose)
    printf ("database %s, %u threads\n", opt->db, io.jobs);
  gboolean ok = ndr_store_ingest (store, reader, &io, &counts, error);
  ndr_cli_progress_free (progress);
  if (!opt->quiet)
    summary (opt, &counts, start);
  if (!ok)
    return NDR_EXIT_FAILURE;
  return counts.failed > 0 ? NDR_EXIT_INPUT : NDR_EXIT_OK;
}

/* list_one - print one quarantined message on a line */
static gboolean
list_one (const NdrQuarantined *q, gpointer data, GError **error)
{
  g_autofree char *source = ndr_printable (q->source, -1, SHOWN_MAX, NDR_PRINTABLE_ONE_LINE);
  g_autofree char *why = ndr_printable (q->error, -1, SHOWN_MAX, NDR_PRINTABLE_ONE_LINE);
  printf ("%.16s  %s  %s  %s\n", q->sha256, q->stored_at, source, why);
  return TRUE;
}

/* export_one - write one quarantined message to DIR/SHA256.eml */
static gboolean
export_one (const NdrQuarantined *q, gpointer data, GError **error)
{
  g_autofree char *name = g_strconcat (q->sha256, ".eml", NULL);
  g_autofree char *path = g_build_filename ((const char *) data, name, NULL);
  gsize len = 0;
  const char *bytes = g_bytes_get_data (q->raw, &len);
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, EXPORT_MODE);
  gboolean ok = fd >= 0 && write (fd, bytes, len) == (ssize_t) len;
  int saved = errno;
  if (fd >= 0 && close (fd) != 0 && ok) {
    ok = FALSE;
    saved = errno;
  }
  if (!ok)
    g_set_error (error, NDR_ERROR, NDR_ERROR_IO, "%s: %s", path, g_strerror (saved));
  return ok;
}

/* quarantine - list or export the quarantine; the exit status */
static int
quarantine (const Options *opt, NdrStore *store, GError **error)
{
  if (opt->export_quarantine != NULL
      && g_mkdir_with_parents (opt->export_quarantine, 0700) != 0) {
    int saved = errno;
    g_set_error (error, NDR_ERROR, NDR_ERROR_IO, "%s: %s", opt->export_quarantine,
                 g_strerror (saved));
    return NDR_EXIT_FAILURE;
  }
  gboolean ok = opt->export_quarantine != NULL
    ? ndr_store_quarantine_foreach (store, export_one, opt->export_quarantine, error)
    : ndr_store_quarantine_foreach (store, list_one, NULL, error);
  return ok ? NDR_EXIT_OK : NDR_EXIT_FAILURE;
}

/**
 * cmd_ingest:
 * @argc: number of arguments
 * @argv: "ingest" and its options and paths
 * @error: a usage, rule or database error
 *
 * Returns: the exit status (commands.h).
 */
int
cmd_ingest (int argc, char **argv, GError **error)
{
  g_auto(Options) opt = { 0 };
  ndr_limits_init (&opt.limits);
  if (!parse_options (&opt, argc, argv, error))
    return NDR_EXIT_USAGE;
  char *db = ndr_store_resolve_path (opt.db);
  g_free (opt.db);
  opt.db = db;
  gboolean listing = opt.list_quarantine || opt.export_quarantine != NULL;
  g_autoptr(NdrStore) store = ndr_store_open (opt.db, listing ? NDR_STORE_OPEN_READ_ONLY
                                                              : NDR_STORE_OPEN_DEFAULT, error);
  if (store == NULL)
    return NDR_EXIT_FAILURE;
  if (listing)
    return quarantine (&opt, store, error);
  g_autoptr(NdrRuleSet) rules = NULL;
  if (!ndr_cli_load_rules (opt.rule_dirs, opt.no_system_rules, opt.no_classify, &rules, error))
    return NDR_EXIT_FAILURE;
  return ingest (&opt, store, rules, error);
}
