/*
 * NAME
 *   mkmbox.c - replicate .eml files into one mbox of N messages, for the benchmarks
 * SYNOPSIS
 *   mkmbox [-n N] [-o OUT] [-s MAX_BYTES] DIR|FILE...
 * DESCRIPTION
 *   Collects the *.eml files under each DIR (recursively) and each FILE named, skips those of
 *   MAX_BYTES or more (default 100 KB, so one huge message cannot dominate a run), sorts them
 *   by path and writes them in turn, again and again, until N messages (default 5000) are
 *   written to OUT (default standard output).
 *
 *   The output is an mboxrd file: each message is preceded by a From_ line, and every line of
 *   a message that matches ^>*From  gets one more '>', so no message splits or merges when it
 *   is read back. A message that does not end in a newline gets one, and a blank line follows
 *   every message.
 *
 *   The order is deterministic: the same inputs and N give the same bytes.
 * TRUST
 *   The files are test data; they may hold any bytes (NUL, CR-only lines, binary), which are
 *   copied as they are, apart from the From_ escaping above.
 * DIAGNOSTICS
 *   Exit status 0 on success, 1 when an input or the output cannot be read or written or no
 *   file was found, 2 on a usage error. Unreadable entries are named on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#define DEFAULT_COUNT     5000
#define DEFAULT_MAX_BYTES (100 * 1024)   /* "files under 100 KB only" */
#define MAX_DIR_DEPTH     16             /* how deep collect() follows subfolders */
#define FROM_LINE         "From mkmbox@example.com Thu Jan  1 00:00:00 2026\n"

static gint    opt_count = DEFAULT_COUNT;
static char   *opt_output;
static gint    opt_max_bytes = DEFAULT_MAX_BYTES;

static const GOptionEntry entries[] = {
  { "count", 'n', 0, G_OPTION_ARG_INT, &opt_count, "messages to write (default 5000)", "N" },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output, "mbox to write (default stdout)", "OUT" },
  { "max-bytes", 's', 0, G_OPTION_ARG_INT, &opt_max_bytes,
    "skip files of this size or more (default 102400)", "MAX_BYTES" },
  { NULL, 0, 0, 0, NULL, NULL, NULL },
};

/* collect - add the .eml files under path (a file or a folder) to paths */
static void
collect (const char *path, guint depth, GPtrArray *paths)
{
  if (!g_file_test (path, G_FILE_TEST_IS_DIR)) {
    if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
      g_ptr_array_add (paths, g_strdup (path));
    else
      fprintf (stderr, "mkmbox: %s: not a file or folder, skipped\n", path);
    return;
  }
  if (depth >= MAX_DIR_DEPTH)
    return;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  if (dir == NULL) {
    fprintf (stderr, "mkmbox: %s\n", error->message);
    return;
  }
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *child = g_build_filename (path, name, NULL);
    if (g_file_test (child, G_FILE_TEST_IS_DIR))
      collect (child, depth + 1, paths);
    else if (g_str_has_suffix (name, ".eml") && g_file_test (child, G_FILE_TEST_IS_REGULAR))
      g_ptr_array_add (paths, g_steal_pointer (&child));
  }
}

/* by_path - order two paths of a GPtrArray bytewise */
static gint
by_path (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* escape - append one message to out as mboxrd, From_ lines quoted, ending in a blank line */
static void
escape (GString *out, const char *data, gsize len)
{
  const char *p = data;
  const char *end = data + len;

  g_string_append (out, FROM_LINE);
  while (p < end) {
    const char *nl = memchr (p, '\n', (size_t) (end - p));
    const char *stop = nl != NULL ? nl + 1 : end;
    const char *q = p;
    while (q < stop && *q == '>')
      q++;
    if (stop - q >= 5 && memcmp (q, "From ", 5) == 0)
      g_string_append_c (out, '>');
    g_string_append_len (out, p, stop - p);
    p = stop;
  }
  if (len > 0 && data[len - 1] != '\n')
    g_string_append_c (out, '\n');
  g_string_append_c (out, '\n');
}

/* load - read the files of paths under the size bound into an array of escaped GBytes */
static GPtrArray *
load (GPtrArray *paths)
{
  GPtrArray *msgs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < paths->len; i++) {
    const char *path = g_ptr_array_index (paths, i);
    g_autoptr(GError) error = NULL;
    g_autofree char *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents (path, &data, &len, &error)) {
      fprintf (stderr, "mkmbox: %s\n", error->message);
      continue;
    }
    if (len >= (gsize) opt_max_bytes)
      continue;
    GString *one = g_string_sized_new (len + 128);
    escape (one, data, len);
    g_ptr_array_add (msgs, g_string_free_to_bytes (one));
  }
  return msgs;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) ctx = g_option_context_new ("DIR|FILE... - replicate .eml files into an mbox");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc < 2 || opt_count < 0
      || opt_max_bytes <= 0) {
    fprintf (stderr, "mkmbox: %s\n", error != NULL ? error->message : "usage: mkmbox [-n N] [-o OUT] DIR|FILE...");
    return 2;
  }

  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  for (int i = 1; i < argc; i++)
    collect (argv[i], 0, paths);
  g_ptr_array_sort (paths, by_path);
  g_autoptr(GPtrArray) msgs = load (paths);
  if (msgs->len == 0) {
    fprintf (stderr, "mkmbox: no .eml file under %d bytes found\n", opt_max_bytes);
    return 1;
  }

  FILE *out = opt_output != NULL ? g_fopen (opt_output, "wb") : stdout;
  if (out == NULL) {
    fprintf (stderr, "mkmbox: %s: %s\n", opt_output, g_strerror (errno));
    return 1;
  }
  for (gint n = 0; n < opt_count; n++) {
    gsize len;
    const void *data = g_bytes_get_data (g_ptr_array_index (msgs, (guint) n % msgs->len), &len);
    if (len > 0 && fwrite (data, 1, len, out) != len)
      break;
  }
  int failed = ferror (out) != 0;
  if ((out != stdout ? fclose (out) : fflush (out)) != 0)
    failed = 1;
  if (failed) {
    fprintf (stderr, "mkmbox: %s: write failed\n", opt_output != NULL ? opt_output : "stdout");
    return 1;
  }
  fprintf (stderr, "mkmbox: %d messages from %u files\n", opt_count, msgs->len);
  g_free (opt_output);
  return 0;
}
