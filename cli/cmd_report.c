/*
 * NAME
 *   cmd_report.c - ndr report: the nightly report of top failure causes
 * SYNOPSIS
 *   ndr report [--db PATH] [--since 1d|7d|30d] [--until DAY] [--top N]
 *              [--format text|json|csv|html|email] [--lang en|de] [--to ADDR] [--from ADDR]
 * DESCRIPTION
 *   Counts the failed recipients (outcome failed, expired or delayed) per cause over the
 *   --since days ending with --until (a day, "today", the default, or "yesterday", in UTC)
 *   and over as many days before,
 *   and writes the top --top causes with their change, a trend per day, who acts, the most
 *   affected recipient domains and senders, and the causes new in this period
 *   (store/ndr_store_query.c counts; cli/output_report_*.c write). --format email writes a
 *   complete MIME message for `sendmail -t`; it needs --to. docs/report.md shows the
 *   systemd timer and the cron line.
 * DIAGNOSTICS
 *   Exit status 0 (also for an empty period), 2 usage, 3 database failure.
 * TRUST
 *   Options come from the user. Everything in a report came from bounces: each renderer
 *   escapes for its format.
 */
#include <string.h>

#include "classify.h"
#include "commands.h"
#include "output_report.h"
#include "store.h"

#define REPORT_TOP       10     /* causes shown by default */
#define REPORT_TOP_MAX   1000   /* bound on --top */
#define REPORT_NAMES     3      /* domains and senders named per cause */
#define REPORT_DAYS_MAX  366    /* bound on --since */

typedef struct {
  char     *db, *since, *until, *format, *lang, *to, *from;
  gint      top;
} Options;

/* options_clear - free what GOption allocated */
static void
options_clear (Options *opt)
{
  char **all[] = { &opt->db, &opt->since, &opt->until, &opt->format, &opt->lang, &opt->to,
                   &opt->from };
  for (gsize i = 0; i < G_N_ELEMENTS (all); i++)
    g_clear_pointer (all[i], g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static const char *const formats[] = { "text", "json", "csv", "html", "email" };

/* parse_options - read argv into opt; FALSE with a usage error */
static gboolean
parse_options (Options *opt, int argc, char **argv, guint *days, GError **error)
{
  const GOptionEntry entries[] = {
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &opt->db,
      "The database (default: $NDR_DB, else ~/.local/share/ndr/ndr.db)", "PATH" },
    { "since", 's', 0, G_OPTION_ARG_STRING, &opt->since,
      "The period: 1d, 7d, 30d or any Nd, Nw (default 1d)", "PERIOD" },
    { "until", 0, 0, G_OPTION_ARG_STRING, &opt->until,
      "The last day of the period: YYYY-MM-DD, today (default) or yesterday (UTC)", "DAY" },
    { "top", 'n', 0, G_OPTION_ARG_INT, &opt->top, "Show the N top causes (default 10)", "N" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &opt->format,
      "text, json, csv, html or email (default text)", "FORMAT" },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &opt->lang, "en or de (default: from LANG)", "LANG" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &opt->to, "--format email: the To address", "ADDR" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &opt->from,
      "--format email: the From address (default ndr@HOSTNAME)", "ADDR" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
      "Reports the top failure causes of a period against the period before it.");
  g_option_context_set_description (context,
      "Exit status: 0 written, 2 usage, 3 database failure. docs/report.md shows cron and\n"
      "systemd set-ups: ndr report --since 1d --format email --to postmaster@example.com"
      " | sendmail -t");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, error))
    return FALSE;
  const char *since = opt->since != NULL ? opt->since : "1d";
  char *end = NULL;
  guint64 n = g_ascii_strtoull (since, &end, 10);
  if (end == since || (strcmp (end, "d") != 0 && strcmp (end, "w") != 0)
      || n == 0 || n * (*end == 'w' ? 7 : 1) > REPORT_DAYS_MAX) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE,
                 "--since wants 1d, 7d, 30d (up to %dd), not '%.20s'", REPORT_DAYS_MAX, since);
    return FALSE;
  }
  *days = (guint) (n * (*end == 'w' ? 7 : 1));
  if (opt->top < 0 || opt->top > REPORT_TOP_MAX) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE, "--top must be 1 to %d", REPORT_TOP_MAX);
    return FALSE;
  }
  if (opt->top == 0)
    opt->top = REPORT_TOP;
  gboolean known = opt->format == NULL;
  for (gsize i = 0; !known && i < G_N_ELEMENTS (formats); i++)
    known = strcmp (opt->format, formats[i]) == 0;
  if (!known) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE,
                 "--format is text, json, csv, html or email, not '%.20s'", opt->format);
    return FALSE;
  }
  if (g_strcmp0 (opt->format, "email") == 0 && opt->to == NULL) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE, "--format email needs --to ADDRESS");
    return FALSE;
  }
  return TRUE;
}

/* render - write the report in the format asked for */
static gboolean
render (GString *out, const Options *opt, const NdrReport *report, const char *lang,
        GError **error)
{
  const char *format = opt->format != NULL ? opt->format : "text";
  if (strcmp (format, "json") == 0)
    ndr_report_json (out, report, lang);
  else if (strcmp (format, "csv") == 0)
    ndr_report_csv (out, report, lang);
  else if (strcmp (format, "html") == 0)
    ndr_report_html (out, report, lang);
  else if (strcmp (format, "email") == 0) {
    g_autofree char *from = opt->from != NULL ? g_strdup (opt->from)
                                              : g_strconcat ("ndr@", g_get_host_name (), NULL);
    return ndr_report_email (out, report, lang, from, opt->to, error);
  } else
    ndr_report_text (out, report, lang);
  return TRUE;
}

/**
 * cmd_report:
 * @argc: number of arguments
 * @argv: "report" and its options
 * @error: a usage or database error
 *
 * Returns: the exit status (commands.h).
 */
int
cmd_report (int argc, char **argv, GError **error)
{
  g_auto(Options) opt = { 0 };
  guint days = 1;
  if (!parse_options (&opt, argc, argv, &days, error))
    return NDR_EXIT_USAGE;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) before = g_date_time_add_days (now, -1);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *yesterday = g_date_time_format (before, "%Y-%m-%d");
  const char *until = opt.until == NULL || strcmp (opt.until, "today") == 0 ? today
                      : strcmp (opt.until, "yesterday") == 0 ? yesterday : opt.until;
  const char *lang = ndr_classify_lang (opt.lang != NULL ? opt.lang : g_getenv ("LANG"));
  g_autofree char *db = ndr_store_resolve_path (opt.db);
  g_autoptr(NdrStore) store = ndr_store_open (db, NDR_STORE_OPEN_READ_ONLY, error);
  if (store == NULL)
    return NDR_EXIT_FAILURE;
  g_autoptr(NdrReport) report = ndr_store_report (store, until, days, REPORT_NAMES, error);
  if (report == NULL)
    return error != NULL && *error != NULL && (*error)->code == NDR_ERROR_USAGE
           ? NDR_EXIT_USAGE : NDR_EXIT_FAILURE;
  guint shown = 0;                  /* keep the top causes of the period, drop the rest */
  for (guint i = 0; i < report->causes->len; i++)
    if (((NdrReportCause *) g_ptr_array_index (report->causes, i))->count > 0)
      shown++;
  g_ptr_array_set_size (report->causes, MIN (shown, (guint) opt.top));
  g_autoptr(GString) out = g_string_new (NULL);
  if (!render (out, &opt, report, lang, error))
    return NDR_EXIT_FAILURE;
  return ndr_cli_flush (out, error) ? NDR_EXIT_OK : NDR_EXIT_FAILURE;
}
