/*
 * NAME
 *   cmd_reclassify.c - ndr reclassify: re-decide every stored message after the rules changed
 * SYNOPSIS
 *   ndr reclassify [--db PATH] [--jobs N] [--rules DIR ...] [--quiet | --verbose]
 * DESCRIPTION
 *   Parses every stored message again from its raw bytes, classifies it with the rules in force
 *   and replaces its rows, one transaction per batch (store/ndr_store_reclassify.c). Prints
 *   what changed, one line per change of category with its count ("user-unknown -> loop: 3"),
 *   then a summary line. Quarantined messages that now parse move to the messages.
 * DIAGNOSTICS
 *   Exit status 0, 2 on a usage error, 3 when the rules or the database failed; batches
 *   committed before a failure stay.
 * TRUST
 *   Options come from the user; categories printed are rule ids, cleaned all the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "commands.h"
#include "output.h"
#include "store.h"

#define SHOWN_MAX 200   /* bytes of a change line shown */

/* What the options asked for. */
typedef struct {
  char     *db;
  gint      jobs;
  char    **rule_dirs;
  gboolean  no_system_rules;
  gboolean  quiet;
  gboolean  verbose;
  NdrLimits limits;
} Options;

/* options_clear - free what GOption allocated */
static void
options_clear (Options *opt)
{
  g_clear_pointer (&opt->db, g_free);
  g_clear_pointer (&opt->rule_dirs, g_strfreev);
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
    { "rules", 'r', 0, G_OPTION_ARG_FILENAME_ARRAY, &opt->rule_dirs,
      "Also read the *.rules files of DIR (may be repeated)", "DIR" },
    { "no-system-rules", 0, 0, G_OPTION_ARG_NONE, &opt->no_system_rules,
      "Read neither $XDG_CONFIG_HOME/ndr/rules.d nor /etc/ndr/rules.d", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt->quiet,
      "Print nothing but errors", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt->verbose,
      "Also print the database and the number of recipients", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
      "Decides every stored message again from its raw bytes, with the rules in force,\n"
      "and prints what changed by category.");
  g_option_context_set_main_group (context, ndr_cli_main_group (&opt->limits, entries));
  if (!g_option_context_parse (context, &argc, &argv, error))
    return FALSE;
  if (argc > 1) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE, "reclassify takes no PATH: '%.40s'",
                 argv[1]);
    return FALSE;
  }
  if (opt->jobs < 0 || opt->jobs > NDR_STORE_MAX_JOBS || (opt->quiet && opt->verbose)) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE,
                 "--jobs must be 1 to %d; --quiet and --verbose exclude each other",
                 NDR_STORE_MAX_JOBS);
    return FALSE;
  }
  return TRUE;
}

/* by_name - qsort comparator of two char * */
static int
by_name (const void *a, const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* print_changes - one line per change of category, sorted */
static void
print_changes (const NdrReclassifyCounts *c)
{
  g_autofree const char **keys = (const char **) g_hash_table_get_keys_as_array (c->changes,
                                                                                 NULL);
  guint n = g_hash_table_size (c->changes);
  qsort (keys, n, sizeof *keys, by_name);
  for (guint i = 0; i < n; i++) {
    g_autofree char *shown = ndr_printable (keys[i], -1, SHOWN_MAX, NDR_PRINTABLE_ONE_LINE);
    printf ("%s: %u\n", shown, GPOINTER_TO_UINT (g_hash_table_lookup (c->changes, keys[i])));
  }
}

/**
 * cmd_reclassify:
 * @argc: number of arguments
 * @argv: "reclassify" and its options
 * @error: a usage, rule or database error
 *
 * Returns: the exit status (commands.h).
 */
int
cmd_reclassify (int argc, char **argv, GError **error)
{
  g_auto(Options) opt = { 0 };
  ndr_limits_init (&opt.limits);
  if (!parse_options (&opt, argc, argv, error))
    return NDR_EXIT_USAGE;
  g_autofree char *db = ndr_store_resolve_path (opt.db);
  g_autoptr(NdrRuleSet) rules = NULL;
  if (!ndr_cli_load_rules (opt.rule_dirs, opt.no_system_rules, FALSE, &rules, error))
    return NDR_EXIT_FAILURE;
  g_autoptr(NdrStore) store = ndr_store_open (db, NDR_STORE_OPEN_DEFAULT, error);
  if (store == NULL)
    return NDR_EXIT_FAILURE;
  NdrCliProgress *progress = ndr_cli_progress_new (0, opt.quiet);
  NdrIngestOptions io = {
    .jobs = opt.jobs > 0 ? (guint) opt.jobs : g_get_num_processors (),
    .limits = &opt.limits, .rules = rules,
    .progress = ndr_cli_progress_update, .progress_data = progress,
  };
  NdrReclassifyCounts counts;
  gboolean ok = ndr_store_reclassify (store, &io, &counts, error);
  ndr_cli_progress_free (progress);
  if (ok && !opt.quiet) {
    if (opt.verbose)
      printf ("database %s, %u threads\n", db, io.jobs);
    print_changes (&counts);
    printf ("%" G_GUINT64_FORMAT " messages re-decided, %" G_GUINT64_FORMAT
            " recipients changed category, %" G_GUINT64_FORMAT " no longer parse, %"
            G_GUINT64_FORMAT " left the quarantine\n",
            counts.messages, counts.changed, counts.unparsed, counts.released);
    if (opt.verbose)
      printf ("%" G_GUINT64_FORMAT " recipients\n", counts.recipients);
  }
  ndr_reclassify_counts_clear (&counts);
  return ok ? NDR_EXIT_OK : NDR_EXIT_FAILURE;
}
