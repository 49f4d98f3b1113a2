/*
 * NAME
 *   accuracy.c - how often ndr agrees with an expected.tsv of sisimai results
 * SYNOPSIS
 *   accuracy [--verbose] [--rules DIR] DIR
 * DESCRIPTION
 *   Parses and classifies every message in DIR/maildir (or every file of DIR when it has no
 *   maildir/) with the built-in rules, and compares each row of DIR/expected.tsv
 *
 *     file  index  status  replycode  reason  hardbounce
 *
 *   with the index-th recipient of that file, seen through ndr_sisimai_view() (the category's
 *   sisimai reason from rules/categories.tsv). It prints how many expected recipients were
 *   found and how often status, reply code, reason and hard bounce agree; --verbose lists each
 *   disagreement with the rule that decided. The reason is compared only when sisimai gives
 *   one that some category maps to or that the row's file could yield; no file is treated
 *   specially.
 * TRUST
 *   DIR is the user's; messages are hostile and go through the parser's limits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"

typedef struct {
  guint rows, found, status, reply, reason, hard;
} Tally;

/* load_messages - parse and classify every file of folder; file name -> NdrMessage */
static GHashTable *
load_messages (const char *folder, const NdrRuleSet *rules, GError **error)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, error);
  if (dir == NULL)
    return NULL;
  GHashTable *msgs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) ndr_message_free);
  NdrLimits limits;
  ndr_limits_init (&limits);
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *path = g_build_filename (folder, name, NULL);
    g_autofree char *data = NULL;
    gsize len = 0;
    if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) || !g_file_get_contents (path, &data, &len, NULL))
      continue;
    NdrMessage *msg = ndr_parse_bytes (data, MIN (len, limits.max_message_size), path, &limits);
    ndr_classify_message (rules, msg, "en");
    g_hash_table_insert (msgs, g_strdup (name), msg);
  }
  return msgs;
}

/* compare - one expected row against what ndr says */
static void
compare (char **col, GHashTable *msgs, gboolean verbose, Tally *t)
{
  t->rows++;
  NdrMessage *msg = g_hash_table_lookup (msgs, col[0]);
  guint index = (guint) g_ascii_strtoull (col[1], NULL, 10);
  if (msg == NULL || index == 0 || index > msg->recipients->len) {
    if (verbose)
      printf ("missing\t%s\t%s\texpected %s %s\n", col[0], col[1], col[2], col[4]);
    return;
  }
  t->found++;
  const NdrRecipient *rcpt = g_ptr_array_index (msg->recipients, index - 1);
  NdrSisimaiView v;
  ndr_sisimai_view (msg, rcpt, &v);
  g_autofree char *reply = v.replycode != 0 ? g_strdup_printf ("%d", v.replycode) : g_strdup ("");
  gboolean s_ok = strcmp (v.status, col[2]) == 0;
  gboolean r_ok = strcmp (v.reason, col[4]) == 0;
  t->status += s_ok;
  t->reply += strcmp (reply, col[3]) == 0;
  t->reason += r_ok;
  t->hard += strcmp (v.hardbounce ? "true" : "false", col[5]) == 0;
  if (verbose && (!s_ok || !r_ok))
    printf ("%s\t%s\t%s\tstatus %s/%s\treason %s/%s\tcategory %s\trule %s\tby %s\n",
            !r_ok ? "REASON" : "status", col[0], col[1], col[2], v.status, col[4], v.reason,
            rcpt->category, rcpt->rule != NULL ? rcpt->rule : "-",
            rcpt->decided_by != NULL ? rcpt->decided_by : "-");
}

/* percent - n of d as a percentage */
static double
percent (guint n, guint d)
{
  return d > 0 ? 100.0 * n / d : 0.0;
}

int
main (int argc, char **argv)
{
  gboolean verbose = FALSE;
  g_auto(GStrv) rule_dirs = NULL;
  const GOptionEntry entries[] = {
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "list each disagreement", NULL },
    { "rules", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rule_dirs, "more rule folders", "DIR" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("DIR - agreement with DIR/expected.tsv");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 2) {
    fprintf (stderr, "accuracy: %s\n", error != NULL ? error->message : "give one DIR");
    return 2;
  }
  ndr_parser_init ();
  g_autoptr(NdrRuleSet) rules = ndr_rules_load ((const char *const *) rule_dirs,
                                                NDR_RULES_NO_SYSTEM, &error);
  if (rules == NULL) {
    fprintf (stderr, "accuracy: %s\n", error->message);
    return 3;
  }
  g_autofree char *maildir = g_build_filename (argv[1], "maildir", NULL);
  g_autofree char *tsv = g_build_filename (argv[1], "expected.tsv", NULL);
  const char *folder = g_file_test (maildir, G_FILE_TEST_IS_DIR) ? maildir : argv[1];
  g_autoptr(GHashTable) msgs = load_messages (folder, rules, &error);
  g_autofree char *text = NULL;
  if (msgs == NULL || !g_file_get_contents (tsv, &text, NULL, &error)) {
    fprintf (stderr, "accuracy: %s\n", error->message);
    return 1;
  }
  Tally t = { 0 };
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++) {
    g_auto(GStrv) col = g_strsplit (lines[i], "\t", 7);
    if (g_strv_length (col) < 6 || strcmp (col[0], "file") == 0 || col[0][0] == '#')
      continue;
    compare (col, msgs, verbose, &t);
  }
  printf ("messages parsed:      %u\n", g_hash_table_size (msgs));
  printf ("recipients found:     %u/%u (%.1f%%)\n", t.found, t.rows, percent (t.found, t.rows));
  printf ("status agreement:     %u/%u (%.1f%%; %.1f%% of those found)\n", t.status, t.rows,
          percent (t.status, t.rows), percent (t.status, t.found));
  printf ("reply code agreement: %u/%u (%.1f%%; %.1f%% of those found)\n", t.reply, t.rows,
          percent (t.reply, t.rows), percent (t.reply, t.found));
  printf ("reason agreement:     %u/%u (%.1f%%; %.1f%% of those found)\n", t.reason, t.rows,
          percent (t.reason, t.rows), percent (t.reason, t.found));
  printf ("hardbounce agreement: %u/%u (%.1f%%; %.1f%% of those found)\n", t.hard, t.rows,
          percent (t.hard, t.rows), percent (t.hard, t.found));
  ndr_parser_shutdown ();
  return 0;
}
