/*
 * NAME
 *   cmd_parse.c - ndr parse: print what each bounce says
 * SYNOPSIS
 *   ndr parse [--json | --format FORMAT] [--rules DIR ...] [--lang LANG] [--no-classify]
 *             [--max-* LIMIT ...] [PATH... | -]
 * DESCRIPTION
 *   Reads every message of every PATH (a file, a Maildir, a folder, an mbox; "-" or nothing
 *   for standard input) through an NdrReader, parses it, classifies each recipient with the
 *   rules (built in, then the user's and the system's, then --rules folders) and prints it
 *   in the format asked for (formats[] below): a block of text per message for people, a
 *   JSON object per message per line, or sisimai's JSON, a line per recipient.
 * DIAGNOSTICS
 *   An input that cannot be read is reported on stderr as "ndr: PATH: reason"; the others
 *   are still read and the exit status is then NDR_EXIT_INPUT. A message that cannot be
 *   understood is not an error here: its record carries "error".
 * TRUST
 *   Options come from the user and are checked; messages come from strangers and go to the
 *   renderers, which escape or clean every string.
 */
#include <stdio.h>
#include <string.h>

#include "classify.h"
#include "commands.h"
#include "output.h"

#define FLUSH_AT (64 * 1024)   /* bytes of output gathered before a write */

/* append_text - the text renderer, as formats[] wants it */
static void
append_text (GString *out, const NdrMessage *msg)
{
  ndr_human_append_message (out, msg);
}

/* append_json - the NDJSON renderer: one object, one line */
static void
append_json (GString *out, const NdrMessage *msg)
{
  ndr_json_append_message (out, msg, FALSE);
  g_string_append_c (out, '\n');
}

/* A renderer: appends one message to out. */
typedef void (*Render) (GString *out, const NdrMessage *msg);

/* The output formats of --format; the first is the default. */
static const struct {
  const char *name;
  Render      append;
} formats[] = {
  { "text", append_text },
  { "json", append_json },
  { "sisimai", ndr_sisimai_append_message },   /* output_sisimai.c: a line per recipient */
  /* one row per output_NAME.c */
};

/* What the options asked for. */
typedef struct {
  gboolean json;
  char *format;
  char **rule_dirs;
  char *lang;
  gboolean no_classify;
  gboolean no_system_rules;
  char **paths;
  NdrLimits limits;
} Options;

/* options_clear - free what GOption allocated */
static void
options_clear (Options *opt)
{
  g_clear_pointer (&opt->format, g_free);
  g_clear_pointer (&opt->rule_dirs, g_strfreev);
  g_clear_pointer (&opt->lang, g_free);
  g_clear_pointer (&opt->paths, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/* parse_options - read argv into opt; FALSE with a usage error */
static gboolean
parse_options (Options *opt, int argc, char **argv, GError **error)
{
  const GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &opt->json,
      "One JSON object per message per line (same as --format json)", NULL },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &opt->format,
      "Output format: text (the default), json, or sisimai (a line per recipient)",
      "FORMAT" },
    { "rules", 'r', 0, G_OPTION_ARG_FILENAME_ARRAY, &opt->rule_dirs,
      "Also read the *.rules files of DIR (may be repeated)", "DIR" },
    { "lang", 'l', 0, G_OPTION_ARG_STRING, &opt->lang,
      "Language of hints and fixes: en (the default) or de", "LANG" },
    { "no-system-rules", 0, 0, G_OPTION_ARG_NONE, &opt->no_system_rules,
      "Read neither $XDG_CONFIG_HOME/ndr/rules.d nor /etc/ndr/rules.d", NULL },
    { "no-classify", 0, 0, G_OPTION_ARG_NONE, &opt->no_classify,
      "Print only what the parser found (classification fields stay null)", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt->paths, NULL, NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[PATH...|-]");
  g_option_context_set_summary (context,
      "Prints what each bounce in the PATHs says: files, Maildir and other folders, mbox\n"
      "files; '-' or no PATH reads standard input. Sizes take k, M or G (64M).");
  g_option_context_set_description (context,
      "Exit status: 0 all inputs read, 1 some input unreadable, 2 usage, 3 internal failure.\n"
      "The JSON fields are described in docs/json-schema.md, the limits in docs/limits.md.");
  g_option_context_set_main_group (context, ndr_cli_main_group (&opt->limits, entries));
  return g_option_context_parse (context, &argc, &argv, error);
}

/* pick_format - the renderer opt asks for; NULL with a usage error */
static Render
pick_format (const Options *opt, GError **error)
{
  const char *name = opt->format != NULL ? opt->format : opt->json ? "json" : formats[0].name;
  if (opt->json && opt->format != NULL && strcmp (opt->format, "json") != 0) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE, "--json and --format %.40s disagree", name);
    return NULL;
  }
  g_autoptr(GString) known = g_string_new (NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++) {
    if (strcmp (formats[i].name, name) == 0)
      return formats[i].append;
    g_string_append_printf (known, "%s%s", i > 0 ? ", " : "", formats[i].name);
  }
  g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE, "--format: '%.40s' is not one of %s",
               name, known->str);
  return NULL;
}

/* make_reader - a reader of the paths opt names, or of standard input when it names none */
static NdrReader *
make_reader (const Options *opt)
{
  NdrReader *reader = ndr_reader_new (&opt->limits);
  if (opt->paths == NULL || opt->paths[0] == NULL)
    ndr_reader_add_stdin (reader);
  for (guint i = 0; opt->paths != NULL && opt->paths[i] != NULL; i++)
    ndr_reader_add_path (reader, opt->paths[i]);             /* "-" is standard input */
  return reader;
}

/* run - parse, classify and print every message; the exit status, error set on output failure */
static int
run (const Options *opt, const NdrRuleSet *rules, Render append, GError **error)
{
  const char *lang = ndr_classify_lang (opt->lang);
  g_autoptr(NdrReader) reader = make_reader (opt);
  g_autoptr(GString) out = g_string_sized_new (FLUSH_AT * 2);
  int status = NDR_EXIT_OK;
  for (;;) {
    g_autoptr(GError) unreadable = NULL;
    g_autoptr(NdrRaw) raw = ndr_reader_next (reader, &unreadable);
    if (raw == NULL && unreadable == NULL)
      break;                                          /* every input is done */
    if (raw == NULL) {
      if (!ndr_cli_flush (out, error))
        return NDR_EXIT_FAILURE;
      ndr_cli_print_error (unreadable);               /* "ndr: PATH: reason", then go on */
      status = NDR_EXIT_INPUT;
      continue;
    }
    g_autoptr(NdrMessage) msg = ndr_parse_raw (raw, &opt->limits);
    if (rules != NULL)
      ndr_classify_message (rules, msg, lang);
    append (out, msg);
    if (out->len >= FLUSH_AT && !ndr_cli_flush (out, error))
      return NDR_EXIT_FAILURE;
  }
  if (!ndr_cli_flush (out, error))
    return NDR_EXIT_FAILURE;
  return status;
}

/**
 * cmd_parse:
 * @argc: number of arguments
 * @argv: "parse" and its options and paths
 * @error: a usage, rule or output error
 *
 * Returns: the exit status (commands.h).
 */
int
cmd_parse (int argc, char **argv, GError **error)
{
  g_auto(Options) opt = { 0 };
  ndr_limits_init (&opt.limits);
  if (!parse_options (&opt, argc, argv, error))
    return NDR_EXIT_USAGE;
  Render append = pick_format (&opt, error);
  if (append == NULL)
    return NDR_EXIT_USAGE;
  g_autoptr(NdrRuleSet) rules = NULL;
  if (!opt.no_classify) {
    NdrRulesFlags flags = opt.no_system_rules ? NDR_RULES_NO_SYSTEM : NDR_RULES_DEFAULT;
    rules = ndr_rules_load ((const char *const *) opt.rule_dirs, flags, error);
    if (rules == NULL)
      return NDR_EXIT_FAILURE;
  }
  return run (&opt, rules, append, error);
}
