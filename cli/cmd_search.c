/*
 * NAME
 *   cmd_search.c - ndr search: full-text search over the stored bounces
 * SYNOPSIS
 *   ndr search [--db PATH] [--since 30d] [--category ID] [--domain DOMAIN] [--limit N] [--json]
 *              QUERY...
 * DESCRIPTION
 *   Runs QUERY (the words given, joined by spaces; SQLite FTS5 syntax: words, "phrases",
 *   prefix*, AND OR NOT, column:word for diagnostic, admin_text, user_text) over the
 *   diagnostic, admin and user text of every stored message, best match first, and shows
 *   each hit's date, source, recipients with their category and a snippet with the matching
 *   words highlighted: bold on a terminal, [between brackets] otherwise. --json gives the
 *   snippet as pieces {"text", "hit"}.
 * DIAGNOSTICS
 *   Exit status 0 with hits, 1 with none, 2 for usage and for a QUERY FTS5 refuses (the
 *   message says why), 3 for a database failure.
 * TRUST
 *   Snippets and every stored string came from a bounce: each piece is cleaned with
 *   ndr_printable() before the highlight is added; JSON through ndr_escape_json().
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "output.h"
#include "output_report.h"
#include "store.h"

#define SEARCH_LIMIT      20      /* hits shown by default */
#define SEARCH_LIMIT_MAX  10000   /* bound on --limit */
#define QUERY_MAX         1000    /* bytes of a query accepted */
#define SHOWN_MAX         300     /* bytes of one stored string shown */
#define MARK_OPEN         '\002'  /* what ndr_store_search() puts around a match */
#define MARK_CLOSE        '\003'

typedef struct {
  char     *db, *since, *category, *domain;
  gint      limit;
  gboolean  json;
  char    **words;
} Options;

/* options_clear - free what GOption allocated */
static void
options_clear (Options *opt)
{
  g_clear_pointer (&opt->db, g_free);
  g_clear_pointer (&opt->since, g_free);
  g_clear_pointer (&opt->category, g_free);
  g_clear_pointer (&opt->domain, g_free);
  g_clear_pointer (&opt->words, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/* parse_options - read argv into opt; FALSE with a usage error */
static gboolean
parse_options (Options *opt, int argc, char **argv, GError **error)
{
  const GOptionEntry entries[] = {
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &opt->db,
      "The database (default: $NDR_DB, else ~/.local/share/ndr/ndr.db)", "PATH" },
    { "since", 's', 0, G_OPTION_ARG_STRING, &opt->since,
      "Only messages of the last 30d, 12h, 2w, or since a day", "WHEN" },
    { "category", 'c', 0, G_OPTION_ARG_STRING, &opt->category,
      "Only messages with a recipient of this category", "ID" },
    { "domain", 0, 0, G_OPTION_ARG_STRING, &opt->domain,
      "Only messages with a recipient at this domain", "DOMAIN" },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &opt->limit, "Show at most N hits (default 20)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &opt->json, "One JSON document for scripts", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt->words, NULL, NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("QUERY...");
  g_option_context_set_summary (context,
      "Searches the diagnostic, admin and user text of the stored bounces (SQLite FTS5:\n"
      "words, \"a phrase\", prefix*, AND, OR, NOT, diagnostic:word).");
  g_option_context_set_description (context,
      "Exit status: 0 hits, 1 none, 2 usage or a query SQLite refuses, 3 database failure.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, error))
    return FALSE;
  if (opt->words == NULL || opt->words[0] == NULL) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE, "give a QUERY ('ndr search --help')");
    return FALSE;
  }
  if (opt->limit < 0 || opt->limit > SEARCH_LIMIT_MAX) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE, "--limit must be 1 to %d", SEARCH_LIMIT_MAX);
    return FALSE;
  }
  if (opt->limit == 0)
    opt->limit = SEARCH_LIMIT;
  return TRUE;
}

/* snippet_text - the snippet cleaned, each match between open and close */
static void
snippet_text (GString *out, const char *snippet, const char *open, const char *close)
{
  const char *p = snippet != NULL ? snippet : "";
  gboolean in = FALSE;
  while (*p != '\0') {
    gsize n = strcspn (p, "\002\003");
    g_autofree char *piece = ndr_printable (p, (gssize) n, SHOWN_MAX, NDR_PRINTABLE_ONE_LINE);
    g_string_append (out, piece);
    p += n;
    if (*p == MARK_OPEN && !in)
      g_string_append (out, open);
    else if (*p == MARK_CLOSE && in)
      g_string_append (out, close);
    if (*p != '\0') {
      in = *p == MARK_OPEN;
      p++;
    }
  }
  if (in)
    g_string_append (out, close);
}

/* snippet_json - the snippet as [{"text": ..., "hit": bool}, ...] */
static void
snippet_json (GString *out, const char *snippet)
{
  const char *p = snippet != NULL ? snippet : "";
  gboolean in = FALSE, first = TRUE;
  g_string_append_c (out, '[');
  while (*p != '\0') {
    gsize n = strcspn (p, "\002\003");
    if (n > 0) {
      g_autofree char *piece = g_strndup (p, n);
      g_string_append (out, first ? "{\"text\":" : ",{\"text\":");
      ndr_escape_json (out, piece);
      g_string_append_printf (out, ",\"hit\":%s}", in ? "true" : "false");
      first = FALSE;
    }
    p += n;
    if (*p != '\0') {
      in = *p == MARK_OPEN;
      p++;
    }
  }
  g_string_append_c (out, ']');
}

/* hit_text - one hit for people */
static void
hit_text (GString *out, const NdrStoreHit *hit, gboolean tty)
{
  g_autofree char *when = ndr_printable (hit->bounced_at, -1, SHOWN_MAX, 0);
  g_autofree char *source = ndr_printable (hit->source, -1, SHOWN_MAX, 0);
  g_autofree char *subject = ndr_printable (hit->subject, -1, SHOWN_MAX, 0);
  g_string_append_printf (out, "%s  %s  %s\n", when, source, subject);
  g_auto(GStrv) rcpts = g_strsplit (hit->recipients != NULL ? hit->recipients : "", "\n", 0);
  for (guint i = 0; rcpts[i] != NULL && rcpts[i][0] != '\0'; i++) {
    g_autofree char *r = ndr_printable (rcpts[i], -1, SHOWN_MAX, 0);
    g_string_append_printf (out, "  %s\n", r);
  }
  g_string_append (out, "  ");
  snippet_text (out, hit->snippet, tty ? "\033[1m" : "[", tty ? "\033[0m" : "]");
  g_string_append (out, "\n\n");
}

/* hits_json - every hit as one JSON document */
static void
hits_json (GString *out, const char *query, const GPtrArray *hits)
{
  g_string_append (out, "{\"query\":");
  ndr_escape_json (out, query);
  g_string_append_printf (out, ",\"count\":%u,\"hits\":[", hits->len);
  for (guint i = 0; i < hits->len; i++) {
    const NdrStoreHit *hit = g_ptr_array_index (hits, i);
    g_string_append_printf (out, "%s{\"message\":%" G_GINT64_FORMAT ",\"bounced_at\":",
                            i > 0 ? "," : "", hit->message);
    ndr_escape_json (out, hit->bounced_at);
    g_string_append (out, ",\"source\":");
    ndr_escape_json (out, hit->source);
    g_string_append (out, ",\"subject\":");
    ndr_escape_json (out, hit->subject);
    g_string_append (out, ",\"recipients\":[");
    g_auto(GStrv) rcpts = g_strsplit (hit->recipients != NULL ? hit->recipients : "", "\n", 0);
    for (guint r = 0; rcpts[r] != NULL && rcpts[r][0] != '\0'; r++) {
      if (r > 0)
        g_string_append_c (out, ',');
      ndr_escape_json (out, rcpts[r]);
    }
    g_string_append (out, "],\"snippet\":");
    snippet_json (out, hit->snippet);
    g_string_append_c (out, '}');
  }
  g_string_append (out, "]}\n");
}

/**
 * cmd_search:
 * @argc: number of arguments
 * @argv: "search", its options and the words of the query
 * @error: a usage error (also a query SQLite refuses) or a database error
 *
 * Returns: the exit status: 0 hits, 1 none (commands.h).
 */
int
cmd_search (int argc, char **argv, GError **error)
{
  g_auto(Options) opt = { 0 };
  if (!parse_options (&opt, argc, argv, error))
    return NDR_EXIT_USAGE;
  g_autofree char *query = g_strjoinv (" ", opt.words);
  if (strlen (query) > QUERY_MAX) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE, "the query is over %d bytes", QUERY_MAX);
    return NDR_EXIT_USAGE;
  }
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *since = NULL;
  if (!ndr_cli_parse_since (opt.since, now, &since, error))
    return NDR_EXIT_USAGE;
  g_autofree char *db = ndr_store_resolve_path (opt.db);
  g_autoptr(NdrStore) store = ndr_store_open (db, NDR_STORE_OPEN_READ_ONLY, error);
  if (store == NULL)
    return NDR_EXIT_FAILURE;
  g_autoptr(GPtrArray) hits = ndr_store_search (store, query, since, opt.category, opt.domain,
                                                (guint) opt.limit, error);
  if (hits == NULL) {
    gboolean usage = error != NULL && *error != NULL && (*error)->code == NDR_ERROR_USAGE;
    return usage ? NDR_EXIT_USAGE : NDR_EXIT_FAILURE;
  }
  g_autoptr(GString) out = g_string_new (NULL);
  if (opt.json)
    hits_json (out, query, hits);
  else if (hits->len == 0) {
    g_autofree char *q = ndr_printable (query, -1, SHOWN_MAX, 0);
    g_string_append_printf (out, "Nothing matches %s.\n", q);
  }
  gboolean tty = isatty (STDOUT_FILENO);
  for (guint i = 0; !opt.json && i < hits->len; i++)
    hit_text (out, g_ptr_array_index (hits, i), tty);
  if (!ndr_cli_flush (out, error))
    return NDR_EXIT_FAILURE;
  return hits->len > 0 ? NDR_EXIT_OK : NDR_EXIT_INPUT;
}
