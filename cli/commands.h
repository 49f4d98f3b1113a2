/*
 * NAME
 *   commands.h - the subcommands of ndr, the exit statuses, and what cli/ files share
 * DESCRIPTION
 *   Each subcommand lives in cli/cmd_NAME.c as
 *
 *     int cmd_NAME (int argc, char **argv, GError **error);
 *
 *   argv[0] is the subcommand's name. It returns the exit status (NDR_EXIT_*). When it sets
 *   error, main() prints "ndr: MESSAGE" on stderr; a status of NDR_EXIT_OK is then turned into
 *   NDR_EXIT_USAGE for NDR_ERROR_USAGE and option errors, NDR_EXIT_FAILURE for the rest.
 *   A new subcommand is one file, one prototype below and one row of commands[] in main.c.
 * TRUST
 *   argv comes from the user.
 */
#pragma once

#include <glib.h>

#include "parser.h"
#include "store.h"

G_BEGIN_DECLS

/* Exit statuses of ndr; docs/exit-codes.md and `ndr --help` say the same. */
#define NDR_EXIT_OK      0   /* every input was read (records with "error" set still count) */
#define NDR_EXIT_INPUT   1   /* at least one input could not be read; the others were processed */
#define NDR_EXIT_USAGE   2   /* bad command, option or argument; nothing was processed */
#define NDR_EXIT_FAILURE 3   /* internal failure: rules, database, output could not be written */

/* The subcommands: one prototype per cli/cmd_NAME.c, one row in main.c. */
int cmd_parse (int argc, char **argv, GError **error);
int cmd_ingest (int argc, char **argv, GError **error);
int cmd_reclassify (int argc, char **argv, GError **error);
int cmd_explain (int argc, char **argv, GError **error);
int cmd_rules (int argc, char **argv, GError **error);
int cmd_why (int argc, char **argv, GError **error);
int cmd_search (int argc, char **argv, GError **error);
int cmd_report (int argc, char **argv, GError **error);

/* cli_options.c: options and helpers that several subcommands share. */
gboolean      ndr_cli_parse_size  (const char *text, guint64 max, guint64 *value, GError **error);
GOptionGroup *ndr_cli_main_group  (NdrLimits *limits, const GOptionEntry *entries);
void          ndr_cli_print_error (const GError *error);
gboolean      ndr_cli_flush       (GString *out, GError **error);
int           ndr_cli_exit_status (int status, const GError *error);

/* cmd_ingest.c: what ingest and reclassify share: the live progress line, loading the rules. */
typedef struct NdrCliProgress NdrCliProgress;
NdrCliProgress *ndr_cli_progress_new    (guint64 total, gboolean quiet);
void            ndr_cli_progress_update (const NdrIngestCounts *counts, gpointer data);
void            ndr_cli_progress_free   (NdrCliProgress *p);
gboolean        ndr_cli_load_rules      (char **dirs, gboolean no_system, gboolean no_classify,
                                         NdrRuleSet **rules, GError **error);

/* output_sisimai.c (helper E): `ndr parse --format sisimai`, one JSON line per recipient. */
void ndr_sisimai_append_message (GString *out, const NdrMessage *msg);

/* cmd_why.c (helper L): --since of why, search and report: Nd, Nh, Nw or a day. */
gboolean ndr_cli_parse_since (const char *text, GDateTime *now, char **since, GError **error);

G_END_DECLS
