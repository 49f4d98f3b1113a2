/*
 * NAME
 *   main.c - the ndr command: finds the subcommand in a table and runs it
 * SYNOPSIS
 *   ndr COMMAND [OPTIONS] [ARGS...]
 *   ndr help [COMMAND] | ndr --help | ndr --version
 * DESCRIPTION
 *   commands[] lists the subcommands, as git.c lists its builtins: the name, the function
 *   of cli/cmd_NAME.c, and the line `ndr --help` prints. main() sets up the parser, runs the
 *   subcommand, prints the error it returns and exits with the status of commands.h.
 * TRUST
 *   argv comes from the user; each subcommand checks its options with GOption.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"

#ifndef NDR_VERSION
#define NDR_VERSION "unknown"
#endif

static const struct ndr_command {
  const char *name;
  int       (*run) (int argc, char **argv, GError **error);
  const char *summary;                   /* the line `ndr --help` prints */
} commands[] = {
  { "parse",   cmd_parse,   "print what each bounce says (--json for NDJSON)" },
  { "ingest",  cmd_ingest,  "store bounces in the database, each message once" },
  { "reclassify", cmd_reclassify, "re-decide every stored message after the rules changed" },
  { "explain", cmd_explain, "say what really happened, who must act, what to do" },
  { "rules",   cmd_rules,   "list, check and try the classification rules" },
  { "why",     cmd_why,     "why did mail to an address, a domain or of a message fail" },
  { "search",  cmd_search,  "full-text search over the stored bounces" },
  { "report",  cmd_report,  "top failure causes, their trend and who acts" },
  /* one row per cli/cmd_NAME.c, in the order `ndr --help` should list them */
};

static const char exit_help[] =
  "Exit status:\n"
  "  0  every input was read (a record may still carry an \"error\")\n"
  "  1  at least one input could not be read; the others were processed\n"
  "  2  bad command, option or argument\n"
  "  3  internal failure: rules, database, or writing the output\n";

/* usage - print the list of commands and the exit statuses on out */
static void
usage (FILE *out)
{
  fprintf (out, "Usage: ndr COMMAND [OPTIONS] [ARGS...]\n\n"
                "Reads bounces (non-delivery reports) and says what they mean.\n\n"
                "Commands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-11s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "  %-11s %s\n\n", "help", "show the options of a command: ndr help COMMAND");
  fprintf (out, "Options:\n"
                "  -h, --help     show this help\n"
                "  -V, --version  show the version\n\n"
                "%s\n"
                "Run 'ndr COMMAND --help' for the options of a command.\n", exit_help);
}

/* find - the row of commands[] called name, or NULL */
static const struct ndr_command *
find (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

/* unknown - say that name is no command; the usage status */
static int
unknown (const char *name)
{
  g_autoptr(GError) error = g_error_new (NDR_ERROR, NDR_ERROR_USAGE,
                                         "'%s' is not a command; 'ndr --help' lists them", name);
  ndr_cli_print_error (error);
  return NDR_EXIT_USAGE;
}

/* run - run a subcommand with its arguments, print its error, return the exit status */
static int
run (const struct ndr_command *cmd, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strconcat ("ndr ", cmd->name, NULL);
  g_set_prgname (prgname);                  /* GOption's "Usage: ndr parse ..." line */
  ndr_parser_init ();
  int status = cmd->run (argc, argv, &error);
  ndr_parser_shutdown ();
  if (error != NULL)
    ndr_cli_print_error (error);
  status = ndr_cli_exit_status (status, error);
  g_autoptr(GError) output = NULL;
  if (!ndr_cli_flush (NULL, &output)) {
    ndr_cli_print_error (output);
    return NDR_EXIT_FAILURE;
  }
  return status;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  if (argc < 2) {
    usage (stderr);
    return NDR_EXIT_USAGE;
  }
  const char *name = argv[1];
  if (strcmp (name, "--help") == 0 || strcmp (name, "-h") == 0) {
    usage (stdout);
    return NDR_EXIT_OK;
  }
  if (strcmp (name, "--version") == 0 || strcmp (name, "-V") == 0) {
    printf ("ndr %s\n", NDR_VERSION);
    return NDR_EXIT_OK;
  }
  if (strcmp (name, "help") == 0) {
    if (argc < 3) {
      usage (stdout);
      return NDR_EXIT_OK;
    }
    const struct ndr_command *cmd = find (argv[2]);
    if (cmd == NULL)
      return unknown (argv[2]);
    char *help_argv[] = { argv[2], (char *) "--help", NULL };
    return run (cmd, 2, help_argv);
  }
  const struct ndr_command *cmd = find (name);
  if (cmd == NULL)
    return unknown (name);
  return run (cmd, argc - 1, argv + 1);
}
