/*
 * NAME
 *   cmd_explain.c - ndr explain: what happened to a message, in words for people
 * SYNOPSIS
 *   ndr explain [--lang en|de] [--rules DIR ...] [--no-system-rules] FILE|-
 * DESCRIPTION
 *   For each recipient of each bounce in FILE: what happened, the real code and where in the
 *   report it was found, why the code the report shows first misleads (when it does), who
 *   must act and what to do. English or German: --lang, else LC_ALL, LC_MESSAGES or LANG.
 *   The words around the hints are in labels[] below; the hints and fixes come from the rules.
 * DIAGNOSTICS
 *   An unreadable input: "ndr: PATH: reason" and status 1. Rules that cannot be loaded:
 *   status 3.
 * TRUST
 *   Message text is hostile: every piece of it passes ndr_printable() and is cut short.
 */
#include <stdio.h>
#include <string.h>

#include "classify.h"
#include "commands.h"
#include "output.h"

#define QUOTE_MAX  160   /* bytes of the deciding line quoted */
#define SOURCE_MAX 1000  /* bytes of a path or an error message shown */

enum { EN, DE, LANGS };

/* The words of the explanation, per language. */
static const struct {
  const char *what, *code, *found, *no_code, *first, *shows, *not_cause, *says, *who, *todo, *outcome,
             *not_bounce, *no_rcpt, *expired_note, *permanent, *temporary, *category, *rule,
             *confidence;
} labels[LANGS] = {
  [EN] = { "What happened", "Real code", "found in", "no code of its own; decided by",
           "Misleading", "the report shows", "but that is not the cause:", "says what happened.",
           "Who must act", "What to do", "Outcome",
           "This message is not a bounce.", "The report names no recipient; what it says:",
           "The message expired in the queue; this was the last error before it did.",
           "permanent", "temporary", "category", "rule", "confidence" },
  [DE] = { "Was geschah", "Tatsächlicher Code", "Fundort:", "kein eigener Code; entschieden durch",
           "Irreführend", "der Bericht zeigt", "das ist aber nicht die Ursache; maßgeblich ist", ".",
           "Wer handeln muss", "Was zu tun ist", "Ergebnis",
           "Diese Nachricht ist kein Unzustellbarkeitsbericht.",
           "Der Bericht nennt keinen Empfänger; er besagt:",
           "Die Nachricht ist in der Warteschlange abgelaufen; dies war der letzte Fehler davor.",
           "dauerhaft", "vorübergehend", "Kategorie", "Regel", "Sicherheit" },
};

/* Where evidence was found, in words (indexed by NdrSource). */
static const char *const sources[NDR_SOURCE_COUNT][LANGS] = {
  [NDR_SOURCE_DSN_DIAGNOSTIC] = { "the remote server's reply (Diagnostic-Code)",
                                  "die Antwort des fremden Servers (Diagnostic-Code)" },
  [NDR_SOURCE_DSN_STATUS] = { "the status field of the delivery report",
                              "das Statusfeld des Zustellberichts" },
  [NDR_SOURCE_ADMIN_TEXT] = { "the section for administrators", "der Abschnitt für Administratoren" },
  [NDR_SOURCE_USER_TEXT] = { "the text for the sender", "der Text für den Absender" },
  [NDR_SOURCE_BODY] = { "the text of the report", "der Text des Berichts" },
  [NDR_SOURCE_HEADER] = { "a header of the report", "eine Kopfzeile des Berichts" },
  [NDR_SOURCE_HOPS] = { "the table of message hops", "die Tabelle der Zwischenstationen" },
};

/* Who acts, in words. */
static const struct { const char *owner, *words[LANGS]; } owners[] = {
  { "sender-user", { "you, the sender", "Sie als Absender" } },
  { "sender-admin", { "your mail administrator", "Ihr Mail-Administrator" } },
  { "recipient-admin", { "the recipient's mail administrator", "der Mail-Administrator des Empfängers" } },
  { "recipient-user", { "the recipient", "der Empfänger" } },
  { "provider", { "the mail provider (for example its delisting service)",
                  "der Mail-Anbieter (etwa über seinen Dienst zur Austragung)" } },
  { "none", { "nobody: it resolves itself", "niemand: es erledigt sich von selbst" } },
};

typedef struct {
  char *lang;
  char **rule_dirs;
  gboolean no_system_rules;
  char **paths;
  NdrLimits limits;
} Options;

/* options_clear - free what GOption allocated */
static void
options_clear (Options *opt)
{
  g_clear_pointer (&opt->lang, g_free);
  g_clear_pointer (&opt->rule_dirs, g_strfreev);
  g_clear_pointer (&opt->paths, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/* owner_words - who acts, in words */
static const char *
owner_words (const char *owner, int lang)
{
  for (gsize i = 0; i < G_N_ELEMENTS (owners); i++)
    if (g_strcmp0 (owners[i].owner, owner) == 0)
      return owners[i].words[lang];
  return owner != NULL ? owner : "-";
}

/* pick_lang - --lang, else the locale's */
static int
pick_lang (const char *opt_lang)
{
  const char *lang = opt_lang;
  static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
  for (gsize i = 0; lang == NULL && i < G_N_ELEMENTS (vars); i++) {
    const char *v = g_getenv (vars[i]);
    if (v != NULL && *v != '\0')
      lang = v;
  }
  return strcmp (ndr_classify_lang (lang), "de") == 0 ? DE : EN;
}

/* show_code - the real code and where it was found */
static void
show_code (GString *out, const NdrRecipient *rcpt, const NdrTraceItem *chosen, int lang)
{
  if (chosen == NULL && rcpt->status == NULL && rcpt->reply_code == 0)
    return;                                    /* not a failure, or nothing to show */
  g_string_append_printf (out, "  %s: ", labels[lang].code);
  if (rcpt->status == NULL && rcpt->reply_code == 0) {
    g_string_append_printf (out, "%s %s", labels[lang].no_code,
                            chosen != NULL ? sources[chosen->source][lang] : "-");
  } else {
    if (rcpt->reply_code != 0)
      g_string_append_printf (out, "%d ", rcpt->reply_code);
    g_string_append (out, rcpt->status != NULL ? rcpt->status : "");
    if (chosen != NULL)
      g_string_append_printf (out, ", %s %s", labels[lang].found, sources[chosen->source][lang]);
  }
  if (chosen != NULL && chosen->text != NULL) {
    g_autofree char *quote = ndr_printable (chosen->text, -1, QUOTE_MAX, NDR_PRINTABLE_ONE_LINE);
    g_string_append_printf (out, ":\n    \"%s\"", quote);
  }
  g_string_append_c (out, '\n');
}

/* show_recipient - the explanation of one recipient */
static void
show_recipient (GString *out, const NdrRuleSet *rules, NdrMessage *msg, NdrRecipient *rcpt,
                int lang)
{
  g_autoptr(GPtrArray) trace = ndr_classify_trace (rules, msg, rcpt);
  ndr_classify_recipient (rules, msg, rcpt, lang == DE ? "de" : "en");
  const NdrTraceItem *chosen = NULL;
  for (guint i = 0; i < trace->len; i++)
    if (((const NdrTraceItem *) g_ptr_array_index (trace, i))->chosen)
      chosen = g_ptr_array_index (trace, i);
  g_autofree char *addr = ndr_printable (rcpt->address != NULL ? rcpt->address : "-", -1,
                                         QUOTE_MAX, NDR_PRINTABLE_ONE_LINE);
  g_string_append_printf (out, "%s\n", addr);
  g_string_append_printf (out, "  %s: %s\n", labels[lang].what, rcpt->hint != NULL ? rcpt->hint : "-");
  if (g_strcmp0 (rcpt->outcome, "expired") == 0 && g_strcmp0 (rcpt->category, "expired") != 0)
    g_string_append_printf (out, "  %s\n", labels[lang].expired_note);
  show_code (out, rcpt, chosen, lang);
  if (rcpt->misleading != NULL && rcpt->misleading->len > 0) {
    g_ptr_array_add (rcpt->misleading, NULL);
    g_autofree char *codes = g_strjoinv (", ", (char **) rcpt->misleading->pdata);
    g_ptr_array_remove_index (rcpt->misleading, rcpt->misleading->len - 1);
    g_autofree char *clean = ndr_printable (codes, -1, QUOTE_MAX, NDR_PRINTABLE_ONE_LINE);
    g_string_append_printf (out, "  %s: %s %s, %s %s%s%s\n", labels[lang].first,
                            labels[lang].shows, clean, labels[lang].not_cause,
                            chosen != NULL ? sources[chosen->source][lang] : "-",
                            *labels[lang].says != '.' ? " " : "", labels[lang].says);
  }
  g_string_append_printf (out, "  %s: %s\n", labels[lang].who, owner_words (rcpt->owner, lang));
  g_string_append_printf (out, "  %s: %s\n", labels[lang].todo, rcpt->fix != NULL ? rcpt->fix : "-");
  g_string_append_printf (out, "  %s: %s (%s), %s %s, %s %s, %s %.2f\n", labels[lang].outcome,
                          rcpt->outcome != NULL ? rcpt->outcome : "-",
                          rcpt->permanent ? labels[lang].permanent
                          : g_strcmp0 (rcpt->outcome, "delivered") == 0 ? "-" : labels[lang].temporary,
                          labels[lang].category, rcpt->category != NULL ? rcpt->category : "-",
                          labels[lang].rule, rcpt->rule != NULL ? rcpt->rule : "-",
                          labels[lang].confidence, rcpt->confidence);
}

/* no_recipient - a report that names nobody: explain what the message as a whole says */
static void
no_recipient (GString *out, const NdrRuleSet *rules, NdrMessage *msg, int lang)
{
  g_string_append_printf (out, "  %s\n", labels[lang].no_rcpt);
  g_autoptr(NdrRecipient) whole = ndr_recipient_new (NULL);
  for (guint i = 0; msg->evidence != NULL && i < msg->evidence->len; i++)
    g_ptr_array_add (whole->evidence, ndr_evidence_copy (g_ptr_array_index (msg->evidence, i)));
  show_recipient (out, rules, msg, whole, lang);
}

/* explain - the explanation of one message */
static void
explain (GString *out, const NdrRuleSet *rules, NdrMessage *msg, int lang)
{
  g_autofree char *src = ndr_printable (msg->source, -1, SOURCE_MAX, NDR_PRINTABLE_ONE_LINE);
  g_string_append_printf (out, "%s (%s, %s)\n", src, ndr_kind_name (msg->kind),
                          msg->mta != NULL ? msg->mta : "unknown");
  if (msg->kind == NDR_KIND_NONE)
    g_string_append_printf (out, "  %s\n", labels[lang].not_bounce);
  else if (msg->recipients->len == 0)
    no_recipient (out, rules, msg, lang);
  for (guint i = 0; i < msg->recipients->len; i++)
    show_recipient (out, rules, msg, g_ptr_array_index (msg->recipients, i), lang);
  g_string_append_c (out, '\n');
}

/* parse_options - argv into opt */
static gboolean
parse_options (Options *opt, int argc, char **argv, GError **error)
{
  const GOptionEntry entries[] = {
    { "lang", 'l', 0, G_OPTION_ARG_STRING, &opt->lang,
      "Language: en or de (default: from LC_ALL, LC_MESSAGES or LANG)", "LANG" },
    { "rules", 'r', 0, G_OPTION_ARG_FILENAME_ARRAY, &opt->rule_dirs,
      "Also read the *.rules files of DIR (may be repeated)", "DIR" },
    { "no-system-rules", 0, 0, G_OPTION_ARG_NONE, &opt->no_system_rules,
      "Read neither $XDG_CONFIG_HOME/ndr/rules.d nor /etc/ndr/rules.d", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt->paths, NULL, NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE|-");
  g_option_context_set_summary (context,
      "Says what happened to each recipient of the bounces in FILE: the real code and where\n"
      "it was found, why the first code misleads, who must act and what to do.");
  g_option_context_set_main_group (context, ndr_cli_main_group (&opt->limits, entries));
  return g_option_context_parse (context, &argc, &argv, error);
}

/**
 * cmd_explain:
 * @argc: number of arguments
 * @argv: "explain", its options and FILE
 * @error: a usage or rule error
 *
 * Returns: the exit status (commands.h).
 */
int
cmd_explain (int argc, char **argv, GError **error)
{
  g_auto(Options) opt = { 0 };
  ndr_limits_init (&opt.limits);
  if (!parse_options (&opt, argc, argv, error))
    return NDR_EXIT_USAGE;
  if (opt.paths == NULL || opt.paths[0] == NULL || opt.paths[1] != NULL) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE, "explain: give one FILE (or -)");
    return NDR_EXIT_USAGE;
  }
  int lang = pick_lang (opt.lang);
  g_autoptr(NdrRuleSet) rules = ndr_rules_load ((const char *const *) opt.rule_dirs,
      opt.no_system_rules ? NDR_RULES_NO_SYSTEM : NDR_RULES_DEFAULT, error);
  if (rules == NULL)
    return NDR_EXIT_FAILURE;
  g_autoptr(NdrReader) reader = ndr_reader_new (&opt.limits);
  if (strcmp (opt.paths[0], "-") == 0)
    ndr_reader_add_stdin (reader);
  else
    ndr_reader_add_path (reader, opt.paths[0]);
  int status = NDR_EXIT_OK;
  g_autoptr(GString) out = g_string_new (NULL);
  for (;;) {
    g_autoptr(GError) unreadable = NULL;
    g_autoptr(NdrRaw) raw = ndr_reader_next (reader, &unreadable);
    if (raw == NULL && unreadable == NULL)
      break;
    if (raw == NULL) {
      ndr_cli_print_error (unreadable);
      status = NDR_EXIT_INPUT;
      continue;
    }
    g_autoptr(NdrMessage) msg = ndr_parse_raw (raw, &opt.limits);
    explain (out, rules, msg, lang);
    fputs (out->str, stdout);
    g_string_truncate (out, 0);
  }
  return status;
}
