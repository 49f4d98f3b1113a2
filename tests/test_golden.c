/*
 * NAME
 *   test_golden.c - every corpus/NAME.eml parses to what corpus/NAME.json says
 * DESCRIPTION
 *   One test case per .eml file of corpus/: read it as `ndr parse` does (NdrReader, default limits),
 *   parse, classify with the built-in rules only and English hints, render each message as
 *   pretty JSON (one key a line) and compare with corpus/NAME.json. A message per object,
 *   objects separated by a line end, the file ends with one.
 *
 *   NDR_UPDATE_GOLDEN=1 meson test -C build --suite golden   writes the .json files instead;
 *   review them in `git diff corpus/` before committing.
 *
 *   Without NDR_UPDATE_GOLDEN, a missing .json fails its case, and so does a .json without
 *   its .eml, an empty corpus, or an .eml the reader cannot read.
 * TRUST
 *   The corpus is ours; the test reads it from $NDR_SOURCE_ROOT/corpus, with sources written
 *   relative to $NDR_SOURCE_ROOT ("corpus/NAME.eml"), as a user running ndr there sees them.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "classify.h"
#include "output.h"

static NdrRuleSet *rules;   /* built-in rules, loaded once in main() */

/* updating - is NDR_UPDATE_GOLDEN set to something other than "" or "0"? */
static gboolean
updating (void)
{
  const char *v = g_getenv ("NDR_UPDATE_GOLDEN");
  return v != NULL && *v != '\0' && strcmp (v, "0") != 0;
}

/* render - what `ndr parse --json` says about path, pretty; fails the test on a read error */
static char *
render (const char *path)
{
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(NdrReader) reader = ndr_reader_new (&limits);
  ndr_reader_add_path (reader, path);
  GString *out = g_string_new (NULL);
  for (;;) {
    g_autoptr(GError) error = NULL;
    g_autoptr(NdrRaw) raw = ndr_reader_next (reader, &error);
    g_assert_no_error (error);
    if (raw == NULL)
      break;
    g_autoptr(NdrMessage) msg = ndr_parse_raw (raw, &limits);
    ndr_classify_message (rules, msg, "en");
    ndr_json_append_message (out, msg, TRUE);
    g_string_append_c (out, '\n');
  }
  return g_string_free (out, FALSE);
}

/* first_difference - report the first line where got and want differ, and fail */
static void
first_difference (const char *golden, const char *got, const char *want)
{
  g_auto(GStrv) a = g_strsplit (got, "\n", -1);
  g_auto(GStrv) b = g_strsplit (want, "\n", -1);
  guint i = 0;
  while (a[i] != NULL && b[i] != NULL && strcmp (a[i], b[i]) == 0)
    i++;
  g_test_message ("%s differs at line %u; if the change is right, run "
                  "NDR_UPDATE_GOLDEN=1 meson test --suite golden and review git diff corpus/",
                  golden, i + 1);
  g_assert_cmpstr (a[i], ==, b[i]);
}

/* test_golden - data is "corpus/NAME.eml" */
static void
test_golden (gconstpointer data)
{
  const char *eml = data;
  g_autofree char *stem = g_strndup (eml, strlen (eml) - strlen (".eml"));
  g_autofree char *golden = g_strconcat (stem, ".json", NULL);
  g_autofree char *got = render (eml);
  g_autofree char *want = NULL;
  g_autoptr(GError) error = NULL;
  if (updating ()) {
    g_file_set_contents (golden, got, -1, &error);
    g_assert_no_error (error);
    return;
  }
  if (!g_file_get_contents (golden, &want, NULL, &error)) {
    g_test_message ("%s: no golden output (%s); NDR_UPDATE_GOLDEN=1 meson test --suite golden "
                    "writes it", golden, error->message);
    g_test_fail ();
    return;
  }
  if (strcmp (got, want) != 0)
    first_difference (golden, got, want);
}

/* test_pairs - the corpus is not empty, and every NAME.json has its NAME.eml */
static void
test_pairs (gconstpointer data)
{
  const GPtrArray *emls = data;
  g_assert_cmpuint (emls->len, >, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open ("corpus", 0, &error);
  g_assert_no_error (error);
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL) {
    if (!g_str_has_suffix (name, ".json"))
      continue;
    g_autofree char *stem = g_strndup (name, strlen (name) - strlen (".json"));
    g_autofree char *eml = g_strconcat ("corpus/", stem, ".eml", NULL);
    if (!g_file_test (eml, G_FILE_TEST_EXISTS))
      g_test_message ("corpus/%s has no %s: remove it or add the message", name, eml);
    g_assert_true (g_file_test (eml, G_FILE_TEST_EXISTS));
  }
}

/* by_name - g_ptr_array_sort() order of two strings */
static int
by_name (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* list_corpus - "corpus/NAME.eml" for every .eml of corpus/, sorted */
static GPtrArray *
list_corpus (void)
{
  GPtrArray *emls = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open ("corpus", 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".eml"))
      g_ptr_array_add (emls, g_strconcat ("corpus/", name, NULL));
  g_ptr_array_sort (emls, by_name);
  return emls;
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();               /* every case reports, not just the first */
  const char *root = g_getenv ("NDR_SOURCE_ROOT");
  if (root == NULL || g_chdir (root) != 0) {
    g_printerr ("test_golden: NDR_SOURCE_ROOT must name the source tree\n");
    return 1;
  }
  g_autoptr(GError) error = NULL;
  rules = ndr_rules_load (NULL, NDR_RULES_NO_SYSTEM, &error);
  if (rules == NULL) {
    g_printerr ("test_golden: the built-in rules do not load: %s\n", error->message);
    return 1;
  }
  ndr_parser_init ();
  g_autoptr(GPtrArray) emls = list_corpus ();
  g_test_add_data_func ("/golden/pairs", emls, test_pairs);
  for (guint i = 0; i < emls->len; i++) {
    const char *eml = g_ptr_array_index (emls, i);
    const char *base = eml + strlen ("corpus/");
    g_autofree char *name = g_strdup_printf ("/golden/%.*s", (int) (strlen (base) - 4), base);
    g_test_add_data_func (name, eml, test_golden);
  }
  int status = g_test_run ();
  ndr_rules_free (rules);
  ndr_parser_shutdown ();
  return status;
}
