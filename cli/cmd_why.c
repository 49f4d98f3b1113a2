/*
 * NAME
 *   cmd_why.c - ndr why: why did mail to this address, domain or message fail?
 * SYNOPSIS
 *   ndr why [--db PATH] [--since 30d] [--limit N] [--json] [--lang en|de]
 *           ADDRESS|@DOMAIN|MESSAGE-ID
 * DESCRIPTION
 *   Looks up the stored failures (store/ndr_store_query.c) of a recipient address, of every
 *   recipient at @DOMAIN, or of the original message with that Message-ID (tried when no
 *   recipient has the address, or when written in <>). Reports about the same original
 *   message and recipient are told together as one story, oldest first (deferrals, then the
 *   failure or the expiry); stories come newest first. For each report: when, the recipient,
 *   the real code and the misleading one it replaced, the category in words, who acts, what
 *   happened and what to do (the stored message classified again in --lang), and the
 *   evidence lines with where each was found.
 *
 *   ndr_cli_parse_since() (shared through commands.h) reads --since: Nd, Nh, Nw or a day.
 * DIAGNOSTICS
 *   Exit status 0 when something was found, 1 when nothing matched (what was searched and
 *   what the database holds are printed), 2 usage, 3 database failure.
 * TRUST
 *   Everything read from the database came from a bounce: text output passes it through
 *   ndr_printable(), JSON through ndr_escape_json().
 */
#include <stdio.h>
#include <string.h>

#include "classify.h"
#include "commands.h"
#include "output.h"
#include "output_report.h"
#include "store.h"

#define WHY_LIMIT      20      /* reports shown by default */
#define WHY_LIMIT_MAX  10000   /* bound on --limit */
#define SHOWN_MAX      300     /* bytes of one stored string shown */
#define TARGET_MAX     998     /* bytes of an address or Message-ID accepted */

typedef struct {
  char     *db;
  char     *since;
  char     *lang;
  gint      limit;
  gboolean  json;
  char    **args;
} Options;

/* options_clear - free what GOption allocated */
static void
options_clear (Options *opt)
{
  g_clear_pointer (&opt->db, g_free);
  g_clear_pointer (&opt->since, g_free);
  g_clear_pointer (&opt->lang, g_free);
  g_clear_pointer (&opt->args, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/**
 * ndr_cli_parse_since:
 * @text: (nullable): "30d", "12h", "2w", or a day "2026-11-01"; NULL: no bound
 * @now: the time it counts back from
 * @since: (out) (transfer full): "YYYY-MM-DDTHH:MM:SSZ", NULL when @text is NULL
 * @error: NDR_ERROR_USAGE when @text is neither
 *
 * Returns: FALSE for a bad @text.
 */
gboolean
ndr_cli_parse_since (const char *text, GDateTime *now, char **since, GError **error)
{
  *since = NULL;
  if (text == NULL)
    return TRUE;
  char *end = NULL;
  guint64 n = g_ascii_strtoull (text, &end, 10);
  g_autoptr(GDateTime) at = NULL;
  if (end != text && n <= 36600 && end != NULL && end[1] == '\0'
      && (end[0] == 'd' || end[0] == 'h' || end[0] == 'w'))
    at = g_date_time_add_hours (now, -(gint) n * (end[0] == 'h' ? 1 : end[0] == 'd' ? 24 : 168));
  else if (strlen (text) == 10) {
    g_autofree char *iso = g_strconcat (text, "T00:00:00Z", NULL);
    at = g_date_time_new_from_iso8601 (iso, NULL);
  }
  if (at == NULL) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE,
                 "--since wants 30d, 12h, 2w or a day like 2026-11-01, not '%.20s'", text);
    return FALSE;
  }
  g_autoptr(GDateTime) utc = g_date_time_to_utc (at);
  *since = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  return TRUE;
}

/* parse_options - read argv into opt; FALSE with a usage error */
static gboolean
parse_options (Options *opt, int argc, char **argv, GError **error)
{
  const GOptionEntry entries[] = {
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &opt->db,
      "The database (default: $NDR_DB, else ~/.local/share/ndr/ndr.db)", "PATH" },
    { "since", 's', 0, G_OPTION_ARG_STRING, &opt->since,
      "Only reports of the last 30d, 12h, 2w, or since a day (2026-11-01)", "WHEN" },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &opt->limit, "Show at most N reports (default 20)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &opt->json, "One JSON document for scripts", NULL },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &opt->lang, "en or de (default: from LANG)", "LANG" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt->args, NULL, NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("ADDRESS|@DOMAIN|MESSAGE-ID");
  g_option_context_set_summary (context,
      "Says why mail to an address, to a domain or of one message failed, newest first.");
  g_option_context_set_description (context,
      "Exit status: 0 found, 1 nothing found, 2 usage, 3 database failure.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, error))
    return FALSE;
  if (opt->args == NULL || opt->args[0] == NULL || opt->args[1] != NULL
      || strlen (opt->args[0]) > TARGET_MAX || opt->args[0][0] == '\0') {
    g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE,
                 "give one ADDRESS, @DOMAIN or MESSAGE-ID ('ndr why --help')");
    return FALSE;
  }
  if (opt->limit < 0 || opt->limit > WHY_LIMIT_MAX) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE, "--limit must be 1 to %d", WHY_LIMIT_MAX);
    return FALSE;
  }
  if (opt->limit == 0)
    opt->limit = WHY_LIMIT;
  return TRUE;
}

/* What was found, grouped. */
typedef struct {
  NdrWhyKind  kind;
  char       *target;       /* as searched: domain without @, Message-ID without <> */
  char       *since;
  const char *lang;
  GPtrArray  *failures;     /* NdrStoreFailure *, newest first */
  GPtrArray  *stories;      /* GPtrArray * of NdrStoreFailure * (borrowed), oldest first */
  guint64     total;
  NdrRuleSet *rules;        /* loaded when first needed */
  gboolean    rules_tried;
  GHashTable *hints;        /* NdrStoreFailure * -> char *[2] hint, fix */
} Found;

/* found_clear - free what found holds */
static void
found_clear (Found *f)
{
  g_free (f->target);
  g_free (f->since);
  g_clear_pointer (&f->stories, g_ptr_array_unref);
  g_clear_pointer (&f->failures, g_ptr_array_unref);
  g_clear_pointer (&f->rules, ndr_rules_free);
  g_clear_pointer (&f->hints, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Found, found_clear)

/* story_key - what ties reports together: the original Message-ID and the recipient */
static char *
story_key (const NdrStoreFailure *f)
{
  if (f->orig_message_id == NULL)
    return g_strdup_printf ("#%" G_GINT64_FORMAT ":%d", f->message, f->idx);
  g_autofree char *addr = g_utf8_casefold (f->address != NULL ? f->address : "", -1);
  return g_strdup_printf ("%s\n%s", f->orig_message_id, addr);
}

/* group - put the failures into stories, newest story first, each oldest report first */
static void
group (Found *found)
{
  g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  found->stories = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < found->failures->len; i++) {
    NdrStoreFailure *f = g_ptr_array_index (found->failures, i);
    char *key = story_key (f);
    GPtrArray *story = g_hash_table_lookup (by_key, key);
    if (story == NULL) {
      story = g_ptr_array_new ();
      g_ptr_array_add (found->stories, story);
      g_hash_table_insert (by_key, key, story);
    } else {
      g_free (key);
    }
    g_ptr_array_insert (story, 0, f);               /* newest first in, oldest first out */
  }
}

/* hint_of - what happened and what to do for f, in found->lang: its message classified again */
static const char *const *
hint_of (Found *found, NdrStore *store, const NdrStoreFailure *f)
{
  char **pair = g_hash_table_lookup (found->hints, f);
  if (pair != NULL)
    return (const char *const *) pair;
  pair = g_new0 (char *, 3);
  g_hash_table_insert (found->hints, (gpointer) f, pair);
  if (!found->rules_tried) {
    found->rules_tried = TRUE;
    g_autoptr(GError) ignored = NULL;                 /* without rules: no hint, say the rest */
    ndr_cli_load_rules (NULL, FALSE, FALSE, &found->rules, &ignored);
  }
  g_autoptr(GError) ignored = NULL;
  g_autoptr(GBytes) raw = found->rules != NULL ? ndr_store_raw (store, f->message, &ignored)
                                               : NULL;
  if (raw == NULL)
    return (const char *const *) pair;
  NdrLimits limits;
  ndr_limits_init (&limits);
  gsize len = 0;
  const char *data = g_bytes_get_data (raw, &len);
  g_autoptr(NdrMessage) msg = ndr_parse_bytes (data, len, f->source, &limits);
  if (msg == NULL || (guint) f->idx >= msg->recipients->len)
    return (const char *const *) pair;
  ndr_classify_message (found->rules, msg, found->lang);
  const NdrRecipient *r = g_ptr_array_index (msg->recipients, f->idx);
  pair[0] = g_strdup (r->hint);
  pair[1] = g_strdup (r->fix);
  return (const char *const *) pair;
}

/* clean - a stored string for the terminal, "-" for none */
static char *
clean (const char *s)
{
  return ndr_printable (s != NULL && *s != '\0' ? s : "-", -1, SHOWN_MAX, NDR_PRINTABLE_ONE_LINE);
}

/* text_failure - one report of a story, for people */
static void
text_failure (GString *out, Found *found, NdrStore *store, const NdrStoreFailure *f)
{
  const char *lang = found->lang;
  g_autofree char *when = clean (f->bounced_at);
  g_autofree char *addr = clean (f->address);
  g_autofree char *status = clean (f->status);
  g_autofree char *mis = f->misleading != NULL ? clean (f->misleading) : NULL;
  g_autofree char *outcome = clean (f->outcome);
  g_string_append_printf (out, "  %s  %s  %s", when, addr, outcome);
  g_string_append_printf (out, "\n    %s: %s", ndr_report_word ("code", lang), status);
  if (f->reply_code > 0)
    g_string_append_printf (out, " (%d)", f->reply_code);
  if (mis != NULL && *mis != '\0')
    g_string_append_printf (out, ", %s %s", ndr_report_word ("instead", lang), mis);
  const char *meaning = ndr_report_meaning (f->category, lang);
  g_autofree char *cat = clean (f->category);
  g_string_append_printf (out, "\n    %s: %s%s%s\n", ndr_report_word ("category", lang), cat,
                          meaning != NULL ? ": " : "", meaning != NULL ? meaning : "");
  const char *owner = ndr_report_owner (f->owner, lang);
  g_string_append_printf (out, "    %s: %s\n", ndr_report_word ("acts", lang),
                          owner != NULL ? owner : "?");
  const char *const *hint = hint_of (found, store, f);
  if (hint[0] != NULL) {
    g_autofree char *h = clean (hint[0]);
    g_string_append_printf (out, "    %s: %s\n", ndr_report_word ("happened", lang), h);
  }
  if (hint[1] != NULL) {
    g_autofree char *x = clean (hint[1]);
    g_string_append_printf (out, "    %s: %s\n", ndr_report_word ("do", lang), x);
  }
  g_string_append_printf (out, "    %s:\n", ndr_report_word ("evidence", lang));
  for (guint i = 0; f->evidence != NULL && i < f->evidence->len; i++) {
    const NdrStoreEvidence *ev = g_ptr_array_index (f->evidence, i);
    g_autofree char *src = clean (ev->source);
    g_autofree char *line = clean (ev->text);
    g_string_append_printf (out, "      [%s] %s\n", src, line);
  }
}

/* text_story - one story: a heading when it holds several reports, then each report */
static void
text_story (GString *out, Found *found, NdrStore *store, const GPtrArray *story)
{
  const NdrStoreFailure *last = g_ptr_array_index (story, story->len - 1);
  g_autofree char *mid = last->orig_message_id != NULL
                          ? g_strdup_printf ("<%s>", last->orig_message_id) : g_strdup ("?");
  g_autofree char *shown = clean (mid);
  g_autofree char *subject = clean (last->orig_subject);
  g_string_append_printf (out, "%s: %s %s\n", ndr_report_word ("message", found->lang), shown,
                          subject);
  if (story->len > 1) {
    g_string_append_printf (out, "  %s: %u %s:", ndr_report_word ("story", found->lang),
                            story->len, ndr_report_word ("reports", found->lang));
    for (guint i = 0; i < story->len; i++) {
      const NdrStoreFailure *f = g_ptr_array_index (story, i);
      g_autofree char *o = clean (f->outcome);
      g_autofree char *s = clean (f->status);
      g_string_append_printf (out, "%s %s (%s)", i > 0 ? " ->" : "", o, s);
    }
    g_string_append_c (out, '\n');
  }
  for (guint i = 0; i < story->len; i++)
    text_failure (out, found, store, g_ptr_array_index (story, i));
  g_string_append_c (out, '\n');
}

/* json_failure - one report as a JSON object */
static void
json_failure (GString *out, Found *found, NdrStore *store, const NdrStoreFailure *f)
{
  const char *const *hint = hint_of (found, store, f);
  const struct { const char *key, *value; } fields[] = {
    { "bounced_at", f->bounced_at }, { "recipient", f->address }, { "outcome", f->outcome },
    { "status", f->status }, { "misleading", f->misleading }, { "category", f->category },
    { "meaning", ndr_report_meaning (f->category, found->lang) }, { "owner", f->owner },
    { "who_acts", ndr_report_owner (f->owner, found->lang) }, { "hint", hint[0] },
    { "fix", hint[1] }, { "rule", f->rule }, { "decided_by", f->decided_by },
    { "remote_mta", f->remote_mta }, { "reporting_mta", f->reporting_mta }, { "mta", f->mta },
    { "kind", f->kind }, { "source", f->source },
  };
  g_string_append_printf (out, "{\"message\":%" G_GINT64_FORMAT, f->message);
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++) {
    g_string_append_printf (out, ",\"%s\":", fields[i].key);
    ndr_escape_json (out, fields[i].value);
  }
  g_string_append_printf (out, ",\"reply_code\":%d,\"evidence\":[", f->reply_code);
  for (guint i = 0; f->evidence != NULL && i < f->evidence->len; i++) {
    const NdrStoreEvidence *ev = g_ptr_array_index (f->evidence, i);
    g_string_append (out, i > 0 ? ",{\"source\":" : "{\"source\":");
    ndr_escape_json (out, ev->source);
    g_string_append (out, ",\"status\":");
    ndr_escape_json (out, ev->status);
    g_string_append_printf (out, ",\"reply_code\":%d,\"text\":", ev->reply_code);
    ndr_escape_json (out, ev->text);
    g_string_append_c (out, '}');
  }
  g_string_append (out, "]}");
}

static const char *const kind_names[] = { "address", "domain", "message-id" };

/* json_found - the whole answer as one JSON document */
static void
json_found (GString *out, Found *found, NdrStore *store, const NdrStoreSummary *sum)
{
  g_string_append_printf (out, "{\"searched\":\"%s\",\"target\":", kind_names[found->kind]);
  ndr_escape_json (out, found->target);
  g_string_append (out, ",\"since\":");
  ndr_escape_json (out, found->since);
  g_string_append_printf (out, ",\"total\":%" G_GUINT64_FORMAT ",\"shown\":%u,"
                          "\"stored_messages\":", found->total, found->failures->len);
  if (found->failures->len > 0)                 /* counted only when nothing matched */
    g_string_append (out, "null");
  else
    g_string_append_printf (out, "%" G_GINT64_FORMAT, sum->messages);
  g_string_append (out, ",\"stored_since\":");
  ndr_escape_json (out, sum->first);
  g_string_append (out, ",\"stories\":[");
  for (guint s = 0; s < found->stories->len; s++) {
    const GPtrArray *story = g_ptr_array_index (found->stories, s);
    const NdrStoreFailure *last = g_ptr_array_index (story, story->len - 1);
    g_string_append (out, s > 0 ? ",{\"original_message_id\":" : "{\"original_message_id\":");
    ndr_escape_json (out, last->orig_message_id);
    g_string_append (out, ",\"original_subject\":");
    ndr_escape_json (out, last->orig_subject);
    g_string_append (out, ",\"original_from\":");
    ndr_escape_json (out, last->orig_from);
    g_string_append (out, ",\"reports\":[");
    for (guint i = 0; i < story->len; i++) {
      if (i > 0)
        g_string_append_c (out, ',');
      json_failure (out, found, store, g_ptr_array_index (story, i));
    }
    g_string_append (out, "]}");
  }
  g_string_append (out, "]}\n");
}

/* text_nothing - nothing matched: say what was searched and what the database holds */
static void
text_nothing (GString *out, const Found *found, const NdrStoreSummary *sum)
{
  static const char *const searched[] = {
    "recipient addresses, then original Message-IDs", "recipient domains",
    "original Message-IDs" };
  g_autofree char *target = clean (found->target);
  g_string_append_printf (out, "No failure found for %s%s", found->kind == NDR_WHY_DOMAIN
                          ? "@" : "", target);
  if (found->since != NULL)
    g_string_append_printf (out, " since %s", found->since);
  g_string_append_printf (out, ".\nSearched: %s.\n", searched[found->kind]);
  if (sum->messages == 0)
    g_string_append (out, "The database holds no messages yet: run 'ndr ingest' first.\n");
  else
    g_string_append_printf (out, "The database holds %" G_GINT64_FORMAT " messages, from %s"
                            " to %s.\n", sum->messages, sum->first, sum->last);
}

/* pair_free - free a hint and fix pair of hint_of() */
static void
pair_free (gpointer data)
{
  char **pair = data;
  g_free (pair[0]);
  g_free (pair[1]);
  g_free (pair);
}

/* look - find the failures of target; an address that no recipient has is tried as Message-ID */
static gboolean
look (Found *found, NdrStore *store, const char *target, guint limit, GError **error)
{
  gsize len = strlen (target);
  if (target[0] == '@') {
    found->kind = NDR_WHY_DOMAIN;
    found->target = g_ascii_strdown (target + 1, -1);
  } else if (target[0] == '<' && len > 2 && target[len - 1] == '>') {
    found->kind = NDR_WHY_MESSAGE_ID;
    found->target = g_strndup (target + 1, len - 2);
  } else {
    found->kind = NDR_WHY_ADDRESS;
    found->target = g_strdup (target);
  }
  found->failures = ndr_store_why (store, found->kind, found->target, found->since, limit,
                                   &found->total, error);
  if (found->failures != NULL && found->failures->len == 0 && found->kind == NDR_WHY_ADDRESS) {
    g_ptr_array_unref (found->failures);
    found->failures = ndr_store_why (store, NDR_WHY_MESSAGE_ID, found->target, found->since,
                                     limit, &found->total, error);
    if (found->failures != NULL && found->failures->len > 0)
      found->kind = NDR_WHY_MESSAGE_ID;
  }
  for (guint i = 0; found->failures != NULL && i < found->failures->len; i++)
    if (!ndr_store_why_evidence (store, g_ptr_array_index (found->failures, i), error))
      return FALSE;
  return found->failures != NULL;
}

/**
 * cmd_why:
 * @argc: number of arguments
 * @argv: "why", its options and one ADDRESS, @DOMAIN or MESSAGE-ID
 * @error: a usage or database error
 *
 * Returns: the exit status: 0 found, 1 nothing found (commands.h).
 */
int
cmd_why (int argc, char **argv, GError **error)
{
  g_auto(Options) opt = { 0 };
  if (!parse_options (&opt, argc, argv, error))
    return NDR_EXIT_USAGE;
  g_auto(Found) found = { 0 };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  if (!ndr_cli_parse_since (opt.since, now, &found.since, error))
    return NDR_EXIT_USAGE;
  found.lang = ndr_classify_lang (opt.lang != NULL ? opt.lang : g_getenv ("LANG"));
  found.hints = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, pair_free);
  g_autofree char *db = ndr_store_resolve_path (opt.db);
  g_autoptr(NdrStore) store = ndr_store_open (db, NDR_STORE_OPEN_READ_ONLY, error);
  if (store == NULL || !look (&found, store, opt.args[0], (guint) opt.limit, error))
    return NDR_EXIT_FAILURE;
  NdrStoreSummary sum = { 0 };                 /* what is stored: only when nothing matched */
  if (found.failures->len == 0 && !ndr_store_summary (store, &sum, error))
    return NDR_EXIT_FAILURE;
  group (&found);
  g_autoptr(GString) out = g_string_new (NULL);
  if (opt.json)
    json_found (out, &found, store, &sum);
  else if (found.failures->len == 0)
    text_nothing (out, &found, &sum);
  for (guint s = 0; !opt.json && s < found.stories->len; s++)
    text_story (out, &found, store, g_ptr_array_index (found.stories, s));
  if (!opt.json && found.total > found.failures->len)
    g_string_append_printf (out, "%" G_GUINT64_FORMAT " %s\n",
                            found.total - found.failures->len,
                            ndr_report_word ("more", found.lang));
  ndr_store_summary_clear (&sum);
  if (!ndr_cli_flush (out, error))
    return NDR_EXIT_FAILURE;
  return found.failures->len > 0 ? NDR_EXIT_OK : NDR_EXIT_INPUT;
}
