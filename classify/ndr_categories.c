/*
 * NAME
 *   ndr_categories.c - the categories of rules/categories.tsv and their default hints
 * DESCRIPTION
 *   ndr_category_lookup() finds a category by id; ndr_category_nth() walks them in file
 *   order. ndr_category_text() gives a category's default hint or fix in a language, from
 *   rules/categories.hints, for rules that bring none of their own.
 *
 *   Both files are compiled into the binary; they are read once, on first use, and kept for
 *   the life of the process.
 * TRUST
 *   The files are ours, built into the binary; a malformed row is skipped with a warning.
 */
#include "classify_priv.h"

#include <string.h>

#define TSV_COLUMNS 6   /* id, meaning, typical evidence, owner, default_class, sisimai_reason */

/* The languages hints are kept in, and the two texts of a category. */
static const char *const langs[] = { "en", "de" };
enum { HINT, FIX, TEXTS };

/* A category and its default texts; the public part first, so one pointer serves both. */
typedef struct {
  NdrCategory pub;
  char       *text[TEXTS][G_N_ELEMENTS (langs)];   /* NULL when categories.hints has none */
} Category;

typedef struct {
  GPtrArray  *list;    /* Category *, file order */
  GHashTable *by_id;   /* id -> Category *, borrowed */
} Categories;

/* add_row - turn one tab-separated line into a category, or skip it */
static void
add_row (Categories *cats, const char *line)
{
  if (*line == '#' || *line == '\0' || g_str_has_prefix (line, "id\t"))
    return;
  g_auto(GStrv) col = g_strsplit (line, "\t", TSV_COLUMNS + 1);
  if (g_strv_length (col) < TSV_COLUMNS) {
    g_warning ("categories.tsv: short row \"%.30s\"", line);
    return;
  }
  Category *cat = g_new0 (Category, 1);
  cat->pub.id = g_strdup (col[0]);
  cat->pub.meaning = g_strdup (col[1]);
  cat->pub.owner = g_strdup (col[3]);
  cat->pub.permanent = strcmp (col[4], "permanent") == 0;
  cat->pub.sisimai_reason = g_strdup (g_strstrip (col[5]));
  g_ptr_array_add (cats->list, cat);
  g_hash_table_insert (cats->by_id, (gpointer) cat->pub.id, cat);
}

/* add_texts - the hint and fix of every category in every language, from categories.hints */
static void
add_texts (Categories *cats, GBytes *hints)
{
  static const char *const keys[TEXTS] = { "hint", "fix" };
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (hints, &len);
  if (!g_key_file_load_from_data (kf, data, len, G_KEY_FILE_KEEP_TRANSLATIONS, &error)) {
    g_warning ("categories.hints: %s", error->message);
    return;
  }
  for (guint i = 0; i < cats->list->len; i++) {
    Category *cat = g_ptr_array_index (cats->list, i);
    for (guint k = 0; k < TEXTS; k++)
      for (guint l = 0; l < G_N_ELEMENTS (langs); l++) {
        g_autofree char *key = g_strdup_printf ("%s[%s]", keys[k], langs[l]);
        cat->text[k][l] = g_key_file_get_string (kf, cat->pub.id, key, NULL);
        if (cat->text[k][l] == NULL)
          cat->text[k][l] = g_key_file_get_string (kf, cat->pub.id, keys[k], NULL);
      }
  }
}

/* load - read both files from the resource */
static Categories *
load (void)
{
  Categories *cats = g_new0 (Categories, 1);
  cats->list = g_ptr_array_new ();
  cats->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  GResource *res = ndr_rules_data_resource ();
  g_autoptr(GBytes) tsv = g_resource_lookup_data (res, NDR_RULES_RESOURCE_DIR "categories.tsv",
                                                  G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (tsv != NULL) {
    gsize len;
    const char *data = g_bytes_get_data (tsv, &len);
    g_autofree char *copy = g_strndup (data, len);
    g_auto(GStrv) lines = g_strsplit (copy, "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++)
      add_row (cats, lines[i]);
  }
  g_autoptr(GBytes) hints = g_resource_lookup_data (res, NDR_RULES_RESOURCE_DIR "categories.hints",
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (hints != NULL)
    add_texts (cats, hints);
  return cats;
}

/* categories - the table, read on first use */
static Categories *
categories (void)
{
  static gsize once = 0;
  static Categories *cats = NULL;
  if (g_once_init_enter (&once)) {
    cats = load ();
    g_once_init_leave (&once, 1);
  }
  return cats;
}

/**
 * ndr_category_lookup:
 * @id: a category id
 *
 * Returns: (transfer none) (nullable): the category, or NULL if @id is not one.
 */
const NdrCategory *
ndr_category_lookup (const char *id)
{
  if (id == NULL)
    return NULL;
  Category *cat = g_hash_table_lookup (categories ()->by_id, id);
  return cat != NULL ? &cat->pub : NULL;
}

/**
 * ndr_category_nth:
 * @index: 0, 1, ...
 *
 * Returns: (transfer none) (nullable): the @index-th category in file order, NULL past the end.
 */
const NdrCategory *
ndr_category_nth (guint index)
{
  Categories *cats = categories ();
  return index < cats->list->len ? &((Category *) g_ptr_array_index (cats->list, index))->pub : NULL;
}

/* ndr_category_text - the default hint or fix ("hint", "fix") of a category, in lang or English */
const char *
ndr_category_text (const char *id, const char *key, const char *lang)
{
  const Category *cat = id != NULL ? g_hash_table_lookup (categories ()->by_id, id) : NULL;
  if (cat == NULL)
    return NULL;
  guint k = strcmp (key, "fix") == 0 ? FIX : HINT;
  for (guint l = 0; l < G_N_ELEMENTS (langs); l++)
    if (g_strcmp0 (lang, langs[l]) == 0)
      return cat->text[k][l];
  return cat->text[k][0];
}
