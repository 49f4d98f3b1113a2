/*
 * NAME
 *   cmd_rules.c - ndr rules: list, check and try the classification rules
 * SYNOPSIS
 *   ndr rules list  [--rules DIR ...] [--no-system-rules]
 *   ndr rules check [--rules DIR ...] [--no-system-rules] [FILE...]
 *   ndr rules test  [--rules DIR ...] [--no-system-rules] FILE|-
 * DESCRIPTION
 *   list prints every rule in force, one a line: id, category, file:line ("disabled" when a
 *   later file switched it off). check loads each FILE on its own and says "ok" or why it is
 *   refused (file, line, rule id, reason); without FILE it loads every rule in force. test
 *   parses the messages of FILE and shows, per recipient, each piece of evidence with its
 *   authority, the rule that explains it and which one decided.
 * DIAGNOSTICS
 *   check exits 1 when a file is refused; a rule folder that cannot be loaded makes list and
 *   test fail with status 3.
 * TRUST
 *   Rule files are the user's; message text is hostile and printed through ndr_printable().
 */
#include <stdio.h>
#include <string.h>

#include "classify.h"
#include "commands.h"
#include "output.h"

#define QUOTE_MAX  100   /* bytes of an evidence line shown */
#define SOURCE_MAX 1000  /* bytes of a path or an error message shown */

typedef struct {
  char **rule_dirs;
  gboolean no_system_rules;
  char **args;
  NdrLimits limits;
} Options;

/* options_clear - free what GOption allocated */
static void
options_clear (Options *opt)
{
  g_clear_pointer (&opt->rule_dirs, g_strfreev);
  g_clear_pointer (&opt->args, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/* parse_options - argv (from the action on) into opt */
static gboolean
parse_options (Options *opt, int argc, char **argv, GError **error)
{
  const GOptionEntry entries[] = {
    { "rules", 'r', 0, G_OPTION_ARG_FILENAME_ARRAY, &opt->rule_dirs,
      "Also read the *.rules files of DIR (may be repeated)", "DIR" },
    { "no-system-rules", 0, 0, G_OPTION_ARG_NONE, &opt->no_system_rules,
      "Read neither $XDG_CONFIG_HOME/ndr/rules.d nor /etc/ndr/rules.d", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt->args, NULL, NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("list | check [FILE...] | test FILE");
  g_option_context_set_summary (context,
      "list: every rule in force (id, category, file:line).\n"
      "check: refuse or accept rule files; without FILE, every rule in force.\n"
      "test: which rule decided each recipient of the messages in FILE, and why.");
  g_option_context_set_main_group (context, ndr_cli_main_group (&opt->limits, entries));
  return g_option_context_parse (context, &argc, &argv, error);
}

/* load - the rules in force */
static NdrRuleSet *
load (const Options *opt, GError **error)
{
  return ndr_rules_load ((const char *const *) opt->rule_dirs,
                         opt->no_system_rules ? NDR_RULES_NO_SYSTEM : NDR_RULES_DEFAULT, error);
}

/* list - one line per rule */
static int
list (const Options *opt, GError **error)
{
  g_autoptr(NdrRuleSet) rules = load (opt, error);
  if (rules == NULL)
    return NDR_EXIT_FAILURE;
  NdrRuleInfo info;
  for (guint i = 0; ndr_rules_info (rules, i, &info); i++)
    printf ("%s\t%s\t%s:%u%s\n", info.id, info.category != NULL ? info.category : "-",
            info.file, info.line, info.disabled ? "\tdisabled" : "");
  return NDR_EXIT_OK;
}

/* check - each file alone, or everything in force */
static int
check (const Options *opt, GError **error)
{
  if (opt->args == NULL || opt->args[1] == NULL) {
    g_autoptr(NdrRuleSet) rules = load (opt, error);
    if (rules == NULL)
      return NDR_EXIT_FAILURE;
    printf ("ok: %u rules\n", ndr_rules_count (rules));
    return NDR_EXIT_OK;
  }
  int status = NDR_EXIT_OK;
  for (guint i = 1; opt->args[i] != NULL; i++) {
    g_autoptr(GError) refused = NULL;
    if (ndr_rules_check_file (opt->args[i], &refused)) {
      printf ("%s: ok\n", opt->args[i]);
    } else {
      g_autofree char *why = ndr_printable (refused->message, -1, SOURCE_MAX, NDR_PRINTABLE_ONE_LINE);
      printf ("%s\n", why);
      status = NDR_EXIT_INPUT;
    }
  }
  return status;
}

/* show_recipient - the trace of one recipient */
static void
show_recipient (const NdrRuleSet *rules, NdrMessage *msg, NdrRecipient *rcpt)
{
  g_autoptr(GPtrArray) trace = ndr_classify_trace (rules, msg, rcpt);
  ndr_classify_recipient (rules, msg, rcpt, "en");
  g_autofree char *addr = ndr_printable (rcpt->address != NULL ? rcpt->address : "(unknown)",
                                         -1, QUOTE_MAX, NDR_PRINTABLE_ONE_LINE);
  printf ("  %s: %s (%s) by rule %s, status %s, outcome %s\n", addr, rcpt->category,
          rcpt->owner != NULL ? rcpt->owner : "-", rcpt->rule != NULL ? rcpt->rule : "-",
          rcpt->status != NULL ? rcpt->status : "-", rcpt->outcome != NULL ? rcpt->outcome : "-");
  for (guint i = 0; i < trace->len; i++) {
    const NdrTraceItem *t = g_ptr_array_index (trace, i);
    g_autofree char *text = ndr_printable (t->text != NULL ? t->text : "", -1, QUOTE_MAX,
                                           NDR_PRINTABLE_ONE_LINE);
    printf ("    %s %-14s rank %d %-8s %3d  %-24s %-7s%s%s  %s\n", t->chosen ? "*" : " ",
            ndr_source_name (t->source), t->rank, t->status != NULL ? t->status : "-",
            t->reply_code, t->rule != NULL ? t->rule : "(no rule)", t->weight,
            t->explained ? " explained" : "", t->expiry ? " expiry" : "", text);
  }
  if (rcpt->misleading != NULL && rcpt->misleading->len > 0) {
    g_ptr_array_add (rcpt->misleading, NULL);
    g_autofree char *codes = g_strjoinv (", ", (char **) rcpt->misleading->pdata);
    g_ptr_array_remove_index (rcpt->misleading, rcpt->misleading->len - 1);
    printf ("    misleading: %s\n", codes);
  }
}

/* test - parse FILE and show how each recipient is decided */
static int
test (const Options *opt, GError **error)
{
  if (opt->args == NULL || opt->args[1] == NULL || opt->args[2] != NULL) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE, "rules test: give one FILE (or -)");
    return NDR_EXIT_USAGE;
  }
  g_autoptr(NdrRuleSet) rules = load (opt, error);
  if (rules == NULL)
    return NDR_EXIT_FAILURE;
  g_autoptr(NdrReader) reader = ndr_reader_new (&opt->limits);
  if (strcmp (opt->args[1], "-") == 0)
    ndr_reader_add_stdin (reader);
  else
    ndr_reader_add_path (reader, opt->args[1]);
  int status = NDR_EXIT_OK;
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
    g_autoptr(NdrMessage) msg = ndr_parse_raw (raw, &opt->limits);
    g_autofree char *src = ndr_printable (msg->source, -1, SOURCE_MAX, NDR_PRINTABLE_ONE_LINE);
    printf ("%s: %s, mta %s, %u recipient(s)\n", src, ndr_kind_name (msg->kind),
            msg->mta != NULL ? msg->mta : "-", msg->recipients->len);
    for (guint i = 0; i < msg->recipients->len; i++)
      show_recipient (rules, msg, g_ptr_array_index (msg->recipients, i));
  }
  return status;
}

/**
 * cmd_rules:
 * @argc: number of arguments
 * @argv: "rules", the action and its arguments
 * @error: a usage or rule error
 *
 * Returns: the exit status (commands.h).
 */
int
cmd_rules (int argc, char **argv, GError **error)
{
  g_auto(Options) opt = { 0 };
  ndr_limits_init (&opt.limits);
  if (!parse_options (&opt, argc, argv, error))
    return NDR_EXIT_USAGE;
  const char *action = opt.args != NULL ? opt.args[0] : NULL;
  if (g_strcmp0 (action, "list") == 0 && opt.args[1] == NULL)
    return list (&opt, error);
  if (g_strcmp0 (action, "check") == 0)
    return check (&opt, error);
  if (g_strcmp0 (action, "test") == 0)
    return test (&opt, error);
  g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE, "rules: say list, check [FILE...] or test FILE");
  return NDR_EXIT_USAGE;
}
