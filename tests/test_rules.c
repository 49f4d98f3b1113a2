/*
 * NAME
 *   test_rules.c - loading and checking rule files (classify/ndr_rules.c, ndr_match.c)
 * DESCRIPTION
 *   The built-in rules load and know every category; rules/categories.tsv agrees with the
 *   specification when ../shared/spec/categories.tsv is there; every refusal of
 *   `ndr rules check` names file, line, rule id and reason (the files of tests/data/rules); a
 *   user's folder replaces a rule by id and switches one off; status patterns match.
 * TRUST
 *   Test code: fixtures are ours.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "classify.h"

/* fixture - path of tests/data/rules/NAME (transfer full) */
static char *
fixture (const char *name)
{
  const char *root = g_getenv ("NDR_SOURCE_ROOT");
  return g_build_filename (root != NULL ? root : ".", "tests", "data", "rules", name, NULL);
}

static void
test_builtin_loads (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NdrRuleSet) rules = ndr_rules_load (NULL, NDR_RULES_NO_SYSTEM, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rules);
  g_assert_cmpuint (ndr_rules_count (rules), >, 150);
  NdrRuleInfo info;
  for (guint i = 0; ndr_rules_info (rules, i, &info); i++) {
    g_assert_nonnull (info.category);
    g_assert_nonnull (ndr_category_lookup (info.category));
    g_assert_true (g_str_has_prefix (info.file, "resource:///ndr/rules/"));
    g_assert_cmpuint (info.line, >, 0);
  }
}

static void
test_categories (void)
{
  g_assert_nonnull (ndr_category_lookup ("user-unknown"));
  g_assert_cmpstr (ndr_category_lookup ("loop")->sisimai_reason, ==, "networkerror");
  g_assert_cmpstr (ndr_category_lookup ("loop")->owner, ==, "recipient-admin");
  g_assert_true (ndr_category_lookup ("user-unknown")->permanent);
  g_assert_false (ndr_category_lookup ("greylisting")->permanent);
  g_assert_null (ndr_category_lookup ("no-such-category"));
  guint n = 0;
  while (ndr_category_nth (n) != NULL)
    n++;
  g_assert_cmpuint (n, ==, 31);
}

/* Our categories.tsv must carry the specification's ids, owners, classes and reasons. */
static void
test_categories_match_spec (void)
{
  const char *root = g_getenv ("NDR_SOURCE_ROOT");
  g_autofree char *spec = g_build_filename (root != NULL ? root : ".", "..", "shared", "spec",
                                            "categories.tsv", NULL);
  g_autofree char *text = NULL;
  if (!g_file_get_contents (spec, &text, NULL, NULL)) {
    g_test_skip ("no ../shared/spec/categories.tsv");
    return;
  }
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint rows = 0;
  for (guint i = 0; lines[i] != NULL; i++) {
    if (lines[i][0] == '#' || lines[i][0] == '\0' || g_str_has_prefix (lines[i], "id\t"))
      continue;
    g_auto(GStrv) col = g_strsplit (lines[i], "\t", -1);
    g_assert_cmpuint (g_strv_length (col), >=, 6);
    const NdrCategory *cat = ndr_category_lookup (col[0]);
    g_assert_nonnull (cat);
    g_assert_cmpstr (cat->owner, ==, col[3]);
    g_assert_cmpint (cat->permanent, ==, strcmp (col[4], "permanent") == 0);
    g_assert_cmpstr (cat->sisimai_reason, ==, g_strstrip (col[5]));
    rows++;
  }
  g_assert_cmpuint (rows, ==, 31);
}

static void
test_check_good (void)
{
  g_autofree char *path = fixture ("good.rules");
  g_autoptr(GError) error = NULL;
  g_assert_true (ndr_rules_check_file (path, &error));
  g_assert_no_error (error);
}

/* One refused file: the message must name the file, the line, the rule and the reason. */
typedef struct {
  const char *file;
  const char *where;    /* "file:line: [id]" after the folder */
  const char *why;      /* a piece of the reason */
} Refusal;

static const Refusal refusals[] = {
  { "bad-regex.rules", "bad-regex.rules:9: [fixture-bad-regex]",
    "text= at offset 13: missing closing parenthesis" },
  { "unknown-category.rules", "unknown-category.rules:3: [fixture-unknown-category]",
    "unknown category \"no-such-category\"" },
  { "unknown-key.rules", "unknown-key.rules:4: [fixture-unknown-key]", "unknown key \"colour\"" },
  { "duplicate-id.rules", "duplicate-id.rules:5: [fixture-twice]",
    "duplicate rule id (first at line 1)" },
  { "bad-status.rules", "bad-status.rules:2: [fixture-bad-status]", "is not a status code" },
  { "bad-owner.rules", "bad-owner.rules:4: [fixture-bad-owner]", "unknown owner \"the-boss\"" },
  { "bad-source.rules", "bad-source.rules:3: [fixture-bad-source]", "is not an evidence source" },
  { "matches-anything.rules", "matches-anything.rules:1: [fixture-matches-anything]",
    "matches anything" },
  { "bad-localized.rules", "bad-localized.rules:3: [fixture-bad-localized]",
    "only hint and fix may be localized" },
  { "bad-reply.rules", "bad-reply.rules:2: [fixture-bad-reply]", "is not a reply code" },
  { "bad-syntax.rules", "bad-syntax.rules:3:", "neither key=value, [rule-id] nor # comment" },
  /* found by fuzz/fuzz_rules.c: a non-UTF-8 id reached every record and the store */
  { "bad-id.rules", "bad-id.rules:1: [ok-rule-with-?-byte]", "a rule id is 1 to 128 letters" },
};

static void
test_check_refusal (gconstpointer data)
{
  const Refusal *r = data;
  g_autofree char *path = fixture (r->file);
  g_autoptr(GError) error = NULL;
  g_assert_false (ndr_rules_check_file (path, &error));
  g_assert_error (error, NDR_ERROR, NDR_ERROR_RULE);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_nonnull (strstr (error->message, r->where));
  g_assert_nonnull (strstr (error->message, r->why));
}

static void
test_check_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_assert_false (ndr_rules_check_file ("/nonexistent/ndr.rules", &error));
  g_assert_error (error, NDR_ERROR, NDR_ERROR_IO);
}

/* A refused file in a folder refuses the whole load. */
static void
test_load_refuses_folder (void)
{
  const char *root = g_getenv ("NDR_SOURCE_ROOT");
  g_autofree char *dir = g_build_filename (root != NULL ? root : ".", "tests", "data", "rules", NULL);
  const char *dirs[] = { dir, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(NdrRuleSet) rules = ndr_rules_load (dirs, NDR_RULES_NO_SYSTEM, &error);
  g_assert_null (rules);
  g_assert_error (error, NDR_ERROR, NDR_ERROR_RULE);
}

/* The user's folder replaces a rule by id and switches another off. */
static void
test_override_by_id (void)
{
  g_autofree char *dir = fixture ("override");
  const char *dirs[] = { dir, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(NdrRuleSet) base = ndr_rules_load (NULL, NDR_RULES_NO_SYSTEM, &error);
  g_assert_no_error (error);
  g_autoptr(NdrRuleSet) rules = ndr_rules_load (dirs, NDR_RULES_NO_SYSTEM, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ndr_rules_count (rules), ==, ndr_rules_count (base));
  gboolean seen_override = FALSE, seen_disabled = FALSE;
  NdrRuleInfo info;
  for (guint i = 0; ndr_rules_info (rules, i, &info); i++) {
    if (strcmp (info.id, "text-user-unknown") == 0) {
      g_assert_cmpstr (info.category, ==, "policy");
      g_assert_true (g_str_has_suffix (info.file, "50-override.rules"));
      seen_override = TRUE;
    }
    if (strcmp (info.id, "text-mailbox-full") == 0) {
      g_assert_true (info.disabled);
      seen_disabled = TRUE;
    }
  }
  g_assert_true (seen_override);
  g_assert_true (seen_disabled);
}

static void
test_missing_rules_dir (void)
{
  const char *dirs[] = { "/nonexistent/rules.d", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(NdrRuleSet) rules = ndr_rules_load (dirs, NDR_RULES_NO_SYSTEM, &error);
  g_assert_null (rules);
  g_assert_error (error, NDR_ERROR, NDR_ERROR_IO);
}

/* $XDG_CONFIG_HOME/ndr/rules.d is read unless NDR_RULES_NO_SYSTEM (main() points it at a fixture). */
static void
test_xdg_config_home (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NdrRuleSet) with = ndr_rules_load (NULL, NDR_RULES_DEFAULT, &error);
  g_assert_no_error (error);
  g_autoptr(NdrRuleSet) without = ndr_rules_load (NULL, NDR_RULES_NO_SYSTEM, &error);
  g_assert_no_error (error);
  gboolean seen = FALSE;
  NdrRuleInfo info;
  for (guint i = 0; ndr_rules_info (with, i, &info); i++)
    seen |= strcmp (info.id, "fixture-xdg") == 0;
  g_assert_true (seen);
  for (guint i = 0; ndr_rules_info (without, i, &info); i++)
    g_assert_cmpstr (info.id, !=, "fixture-xdg");
}

/* write_temp - a rule file with the given text in a new temporary folder (transfer full) */
static char *
write_temp (const char *text, gsize len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ndr-rules-XXXXXX", &error);
  g_assert_no_error (error);
  char *path = g_build_filename (dir, "big.rules", NULL);
  g_file_set_contents (path, text, (gssize) len, &error);
  g_assert_no_error (error);
  return path;
}

/* remove_temp - the file and its folder */
static void
remove_temp (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_remove (path);
  g_rmdir (dir);
}

/* The limits on rule files: bytes of a file, codes in one rule. */
static void
test_limits (void)
{
  g_autoptr(GString) big = g_string_new ("[fixture-big]\nstatus=5.1.1\ncategory=user-unknown\n");
  while (big->len <= 1024u * 1024u)
    g_string_append (big, "# filler to go over the limit on one rule file\n");
  g_autofree char *path = write_temp (big->str, big->len);
  g_autoptr(GError) error = NULL;
  g_assert_false (ndr_rules_check_file (path, &error));
  g_assert_error (error, NDR_ERROR, NDR_ERROR_RULE);
  g_assert_nonnull (strstr (error->message, "over 1048576 bytes"));
  remove_temp (path);

  g_autoptr(GString) many = g_string_new ("[fixture-many]\ncategory=policy\nstatus=");
  for (guint i = 0; i <= 64; i++)
    g_string_append_printf (many, "5.7.%u;", 100 + i);
  g_string_append_c (many, '\n');
  g_autofree char *path2 = write_temp (many->str, many->len);
  g_clear_error (&error);
  g_assert_false (ndr_rules_check_file (path2, &error));
  g_assert_error (error, NDR_ERROR, NDR_ERROR_RULE);
  g_assert_nonnull (strstr (error->message, "[fixture-many] status= has more than 64 codes"));
  remove_temp (path2);
}

int
main (int argc, char **argv)
{
  const char *root = g_getenv ("NDR_SOURCE_ROOT");
  g_autofree char *xdg = g_build_filename (root != NULL ? root : ".", "tests", "data", "rules", "xdg",
                                           NULL);
  g_setenv ("XDG_CONFIG_HOME", xdg, TRUE);          /* before GLib reads it, once */
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rules/builtin", test_builtin_loads);
  g_test_add_func ("/rules/categories", test_categories);
  g_test_add_func ("/rules/categories-match-spec", test_categories_match_spec);
  g_test_add_func ("/rules/check/good", test_check_good);
  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++) {
    g_autofree char *name = g_strdup_printf ("/rules/check/%s", refusals[i].file);
    g_test_add_data_func (name, &refusals[i], test_check_refusal);
  }
  g_test_add_func ("/rules/check/missing-file", test_check_missing_file);
  g_test_add_func ("/rules/load/refuses-folder", test_load_refuses_folder);
  g_test_add_func ("/rules/load/override-by-id", test_override_by_id);
  g_test_add_func ("/rules/load/missing-dir", test_missing_rules_dir);
  g_test_add_func ("/rules/load/xdg-config-home", test_xdg_config_home);
  g_test_add_func ("/rules/check/limits", test_limits);
  return g_test_run ();
}
