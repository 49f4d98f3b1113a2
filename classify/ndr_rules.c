/*
 * NAME
 *   ndr_rules.c - load and check rule files
 * DESCRIPTION
 *   A rule file is a GKeyFile; each group is one rule and its name is the rule id:
 *
 *     [exo-loop-hop-count]
 *     status=5.4.14;5.4.6          exact codes, "5.7.6??" or ranges "5.7.606-5.7.649"
 *     reply_code=554               SMTP reply codes
 *     text=hop count exceeded      PCRE2, caseless, UTF; taken as written (no key file escapes)
 *     source=admin-text            evidence sources (parser.h: ndr_source_name())
 *     mta=o365;exchange            msg->mta
 *     lang=de                      msg->lang
 *     category=loop                an id of rules/categories.tsv
 *     owner=recipient-admin        default: the category's owner
 *     misleading=true              what this rule matches loses to any other real evidence
 *     misleads=5.1.1;5.0.350       codes shown elsewhere that this rule explains away
 *     priority=1                   1..3 breaks ties between rules matching the same
 *                                  evidence; each 4 outweighs one more specific key
 *     hint=... hint[de]=...        what happened (English, German)
 *     fix=...  fix[de]=...         what to do
 *     disabled=true                switch the rule of this id off
 *
 *   ndr_rules_load() reads the rules built into the binary, then $XDG_CONFIG_HOME/ndr/rules.d,
 *   /etc/ndr/rules.d and the folders it is given, each folder's *.rules in name order; a rule
 *   replaces an earlier one of the same id.
 * TRUST
 *   Rule files are configuration: anything unexpected (an unknown key, category, owner or
 *   source, a bad pattern or code, a group named twice) refuses the whole file with
 *   NDR_ERROR_RULE "FILE:LINE: [ID] reason". Files over NDR_RULES_MAX_FILE are refused.
 */
#include "classify_priv.h"

#include <stdlib.h>
#include <string.h>

static const char *const known_keys[] = {
  "status", "reply_code", "text", "source", "mta", "lang", "category", "owner", "misleading",
  "misleads", "priority", "hint", "fix", "disabled", NULL,
};

static const char *const owners[] = {
  "sender-user", "sender-admin", "recipient-admin", "recipient-user", "provider", "none", NULL,
};

/* One file being read: its name and text, for line numbers in errors. */
typedef struct {
  const char *file;
  const char *data;
  gsize       len;
  GHashTable *lines;   /* group -> GUINT_TO_POINTER (line) */
} Source;

/* ndr_rule_free - free one rule and its compiled pattern */
void
ndr_rule_free (NdrRule *rule)
{
  if (rule == NULL)
    return;
  g_free (rule->id);
  g_free (rule->file);
  for (guint i = 0; i < rule->status->len; i++)
    ndr_status_pattern_clear (&g_array_index (rule->status, NdrStatusPattern, i));
  for (guint i = 0; i < rule->misleads->len; i++)
    ndr_status_pattern_clear (&g_array_index (rule->misleads, NdrStatusPattern, i));
  g_array_unref (rule->status);
  g_array_unref (rule->misleads);
  g_array_unref (rule->reply);
  g_free (rule->text);
  pcre2_code_free (rule->re);
  g_strfreev (rule->mta);
  g_strfreev (rule->lang);
  g_free (rule->owner);
  g_hash_table_unref (rule->hint);
  g_hash_table_unref (rule->fix);
  g_free (rule);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NdrRule, ndr_rule_free)

/* rule_new - an empty rule */
static NdrRule *
rule_new (const char *id, const char *file, guint line)
{
  NdrRule *rule = g_new0 (NdrRule, 1);
  rule->id = g_strdup (id);
  rule->file = g_strdup (file);
  rule->line = line;
  rule->status = g_array_new (FALSE, TRUE, sizeof (NdrStatusPattern));
  rule->misleads = g_array_new (FALSE, TRUE, sizeof (NdrStatusPattern));
  rule->reply = g_array_new (FALSE, TRUE, sizeof (int));
  rule->hint = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  rule->fix = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return rule;
}

/* key_line - the line of key in group (or the group's line when not found) */
static guint
key_line (const Source *src, const char *group, const char *key)
{
  guint line = GPOINTER_TO_UINT (g_hash_table_lookup (src->lines, group));
  const char *p = src->data, *end = src->data + src->len;
  for (guint n = 1; p < end; n++) {
    const char *nl = memchr (p, '\n', (size_t) (end - p));
    const char *eol = nl != NULL ? nl : end;
    if (n > line) {
      while (p < eol && (*p == ' ' || *p == '\t'))
        p++;
      if (p < eol && *p == '[')
        break;                                   /* the next group: key not written */
      size_t klen = strlen (key);
      if ((size_t) (eol - p) > klen && strncmp (p, key, klen) == 0
          && (p[klen] == '=' || p[klen] == ' ' || p[klen] == '['))
        return n;
    }
    p = nl != NULL ? nl + 1 : end;
  }
  return line;
}

/* refuse - set the error "FILE:LINE: [ID] reason" */
G_GNUC_PRINTF (5, 6) static gboolean
refuse (GError **error, const Source *src, const char *group, const char *key,
        const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *why = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  guint line = group != NULL ? key_line (src, group, key != NULL ? key : "") : 0;
  if (group != NULL)
    g_set_error (error, NDR_ERROR, NDR_ERROR_RULE, "%s:%u: [%s] %s", src->file, line, group, why);
  else
    g_set_error (error, NDR_ERROR, NDR_ERROR_RULE, "%s: %s", src->file, why);
  return FALSE;
}

#define NDR_RULE_ID_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"
#define NDR_RULE_ID_MAX   128u   /* ids are printed, stored and shown in every record */

/* valid_id - TRUE if a rule id is plain ASCII that can be printed and stored as it is */
static gboolean
valid_id (const char *id)
{
  size_t n = strlen (id);
  return n > 0 && n <= NDR_RULE_ID_MAX && g_ascii_isalnum (id[0])
         && strspn (id, NDR_RULE_ID_CHARS) == n;
}

/* scan_groups - note the line of every [group]; refuse a bad or twice-named rule id */
static gboolean
scan_groups (Source *src, GError **error)
{
  const char *p = src->data, *end = src->data + src->len;
  for (guint n = 1; p < end; n++) {
    const char *nl = memchr (p, '\n', (size_t) (end - p));
    const char *eol = nl != NULL ? nl : end;
    const char *q = p;
    while (q < eol && (*q == ' ' || *q == '\t'))
      q++;
    const char *close = q < eol && *q == '[' ? memchr (q, ']', (size_t) (eol - q)) : NULL;
    if (close != NULL) {
      g_autofree char *name = g_strndup (q + 1, (gsize) (close - q - 1));
      if (!valid_id (name)) {
        g_autofree char *shown = g_strcanon (g_strdup (name), NDR_RULE_ID_CHARS, '?');
        g_set_error (error, NDR_ERROR, NDR_ERROR_RULE,
                     "%s:%u: [%.60s] a rule id is 1 to %u letters, digits, '.', '_' or '-', "
                     "starting with a letter or digit", src->file, n, shown, NDR_RULE_ID_MAX);
        return FALSE;
      }
      gpointer first = g_hash_table_lookup (src->lines, name);
      if (first != NULL) {
        g_set_error (error, NDR_ERROR, NDR_ERROR_RULE, "%s:%u: [%s] duplicate rule id (first at line %u)",
                     src->file, n, name, GPOINTER_TO_UINT (first));
        return FALSE;
      }
      g_hash_table_insert (src->lines, g_steal_pointer (&name), GUINT_TO_POINTER (n));
    } else if (q < eol && *q != '#' && *q != '\r' && memchr (q, '=', (size_t) (eol - q)) == NULL) {
      g_set_error (error, NDR_ERROR, NDR_ERROR_RULE,
                   "%s:%u: neither key=value, [rule-id] nor # comment", src->file, n);
      return FALSE;
    }
    p = nl != NULL ? nl + 1 : end;
  }
  return TRUE;
}

/* compile_text - compile a rule's text= pattern, or say exactly why not */
static gboolean
compile_text (NdrRule *rule, const Source *src, const char *pattern, GError **error)
{
  int code;
  PCRE2_SIZE offset;
  rule->re = pcre2_compile ((PCRE2_SPTR) pattern, PCRE2_ZERO_TERMINATED,
                            PCRE2_CASELESS | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
                            &code, &offset, NULL);
  if (rule->re == NULL) {
    PCRE2_UCHAR why[256];
    pcre2_get_error_message (code, why, G_N_ELEMENTS (why));
    return refuse (error, src, rule->id, "text", "text= at offset %zu: %s", (size_t) offset,
                   (const char *) why);
  }
  rule->text = g_strdup (pattern);
  rule->jit = pcre2_jit_compile (rule->re, PCRE2_JIT_COMPLETE) == 0;  /* else slower, same answers */
  return TRUE;
}

/* read_codes - status= or misleads= into patterns */
static gboolean
read_codes (GKeyFile *kf, const Source *src, const char *id, const char *key, GArray *into,
            GError **error)
{
  g_auto(GStrv) list = g_key_file_get_string_list (kf, id, key, NULL, NULL);
  for (guint i = 0; list != NULL && list[i] != NULL; i++) {
    NdrStatusPattern pat;
    if (*g_strstrip (list[i]) == '\0')
      continue;
    if (into->len >= NDR_RULES_MAX_CODES)
      return refuse (error, src, id, key, "%s= has more than %u codes", key, NDR_RULES_MAX_CODES);
    if (!ndr_status_pattern_parse (list[i], &pat))
      return refuse (error, src, id, key, "%s= \"%.30s\" is not a status code, pattern or range",
                     key, list[i]);
    g_array_append_val (into, pat);
  }
  return TRUE;
}

/* read_matchers - reply_code=, source=, mta=, lang=, priority= */
static gboolean
read_matchers (GKeyFile *kf, const Source *src, NdrRule *rule, GError **error)
{
  const char *id = rule->id;
  g_auto(GStrv) replies = g_key_file_get_string_list (kf, id, "reply_code", NULL, NULL);
  for (guint i = 0; replies != NULL && replies[i] != NULL; i++) {
    char *end = NULL;
    gint64 v = g_ascii_strtoll (g_strstrip (replies[i]), &end, 10);
    if (end == replies[i] || *end != '\0' || v < 200 || v > 599 || rule->reply->len >= NDR_RULES_MAX_CODES)
      return refuse (error, src, id, "reply_code", "reply_code= \"%.30s\" is not a reply code",
                     replies[i]);
    int code = (int) v;
    g_array_append_val (rule->reply, code);
  }
  g_auto(GStrv) sources = g_key_file_get_string_list (kf, id, "source", NULL, NULL);
  for (guint i = 0; sources != NULL && sources[i] != NULL; i++) {
    NdrSource s;
    if (!ndr_source_from_name (g_strstrip (sources[i]), &s))
      return refuse (error, src, id, "source", "source= \"%.30s\" is not an evidence source",
                     sources[i]);
    rule->sources |= 1u << s;
  }
  rule->mta = g_key_file_get_string_list (kf, id, "mta", NULL, NULL);
  rule->lang = g_key_file_get_string_list (kf, id, "lang", NULL, NULL);
  g_autoptr(GError) local = NULL;
  if (g_key_file_has_key (kf, id, "priority", NULL)) {
    rule->priority = g_key_file_get_integer (kf, id, "priority", &local);
    if (local != NULL || rule->priority < -100 || rule->priority > 100)
      return refuse (error, src, id, "priority", "priority= must be a number from -100 to 100");
  }
  return TRUE;
}

/* read_texts - hint= and fix= in every language written */
static void
read_texts (GKeyFile *kf, NdrRule *rule, char **keys)
{
  for (guint i = 0; keys[i] != NULL; i++) {
    const char *k = keys[i];
    GHashTable *table = g_str_has_prefix (k, "hint") ? rule->hint
                      : g_str_has_prefix (k, "fix") ? rule->fix : NULL;
    if (table == NULL)
      continue;
    const char *br = strchr (k, '[');
    g_autofree char *lang = br != NULL ? g_strndup (br + 1, strcspn (br + 1, "]_.@")) : g_strdup ("en");
    char *value = g_key_file_get_string (kf, rule->id, k, NULL);
    if (value != NULL)
      g_hash_table_replace (table, g_steal_pointer (&lang), value);
  }
}

/* check_keys - refuse a key the format does not know */
static gboolean
check_keys (const Source *src, const char *id, char **keys, GError **error)
{
  for (guint i = 0; keys[i] != NULL; i++) {
    g_autofree char *base = g_strndup (keys[i], strcspn (keys[i], "["));
    gboolean localized = strchr (keys[i], '[') != NULL;
    if (!g_strv_contains (known_keys, base))
      return refuse (error, src, id, keys[i], "unknown key \"%.30s\"", keys[i]);
    if (localized && strcmp (base, "hint") != 0 && strcmp (base, "fix") != 0)
      return refuse (error, src, id, keys[i], "only hint and fix may be localized (\"%.30s\")",
                     keys[i]);
  }
  return TRUE;
}

/* score - how specific a rule is: text beats exact status beats a pattern beats the rest */
static int
score (const NdrRule *rule)
{
  int s = 0;
  if (rule->re != NULL)
    s += 8;
  gboolean exact = FALSE;
  for (guint i = 0; i < rule->status->len; i++) {
    const NdrStatusPattern *p = &g_array_index (rule->status, NdrStatusPattern, i);
    exact |= p->pattern != NULL && strchr (p->pattern, '?') == NULL;
  }
  if (rule->status->len > 0)
    s += exact ? 4 : 3;
  s += rule->reply->len > 0 ? 1 : 0;
  s += rule->sources != 0 ? 1 : 0;
  s += rule->mta != NULL ? 1 : 0;
  s += rule->lang != NULL ? 1 : 0;
  return s * 4 + rule->priority;   /* priority 1..3 breaks ties; 4 and up outweighs a key */
}

/* parse_rule - one group into a rule, or refuse it */
static NdrRule *
parse_rule (GKeyFile *kf, const Source *src, const char *id, GError **error)
{
  guint line = GPOINTER_TO_UINT (g_hash_table_lookup (src->lines, id));
  g_autoptr(NdrRule) rule = rule_new (id, src->file, line);
  g_auto(GStrv) keys = g_key_file_get_keys (kf, id, NULL, NULL);
  if (keys == NULL || !check_keys (src, id, keys, error))
    return keys == NULL ? g_steal_pointer (&rule) : NULL;
  if (g_key_file_has_key (kf, id, "disabled", NULL)) {
    g_autoptr(GError) local = NULL;
    rule->disabled = g_key_file_get_boolean (kf, id, "disabled", &local);
    if (local != NULL)
      return refuse (error, src, id, "disabled", "disabled= must be true or false"), NULL;
  }
  g_autofree char *cat = g_key_file_get_string (kf, id, "category", NULL);
  rule->category = ndr_category_lookup (cat != NULL ? g_strstrip (cat) : NULL);
  if (rule->category == NULL && !rule->disabled)
    return refuse (error, src, id, "category", cat == NULL ? "no category=%s"
                   : "unknown category \"%.30s\"", cat == NULL ? "" : cat), NULL;
  rule->owner = g_key_file_get_string (kf, id, "owner", NULL);
  if (rule->owner != NULL && !g_strv_contains (owners, g_strstrip (rule->owner)))
    return refuse (error, src, id, "owner", "unknown owner \"%.30s\"", rule->owner), NULL;
  if (g_key_file_has_key (kf, id, "misleading", NULL)) {
    g_autoptr(GError) local = NULL;
    rule->misleading = g_key_file_get_boolean (kf, id, "misleading", &local);
    if (local != NULL)
      return refuse (error, src, id, "misleading", "misleading= must be true or false"), NULL;
  }
  if (!read_codes (kf, src, id, "status", rule->status, error)
      || !read_codes (kf, src, id, "misleads", rule->misleads, error)
      || !read_matchers (kf, src, rule, error))
    return NULL;
  g_autofree char *text = g_key_file_get_value (kf, id, "text", NULL);
  if (text != NULL && !compile_text (rule, src, text, error))
    return NULL;
  if (!rule->disabled && rule->status->len == 0 && rule->reply->len == 0 && rule->re == NULL)
    return refuse (error, src, id, NULL, "matches anything: give status=, reply_code= or text="),
           NULL;
  read_texts (kf, rule, keys);
  rule->score = score (rule);
  return g_steal_pointer (&rule);
}

/* add_rule - put a rule in the set, replacing one of the same id */
static void
add_rule (NdrRuleSet *rules, NdrRule *rule)
{
  NdrRule *old = g_hash_table_lookup (rules->by_id, rule->id);
  if (old != NULL) {
    guint index;
    g_ptr_array_find (rules->rules, old, &index);
    g_hash_table_remove (rules->by_id, old->id);
    ndr_rule_free (old);
    rules->rules->pdata[index] = rule;
  } else {
    g_ptr_array_add (rules->rules, rule);
  }
  g_hash_table_insert (rules->by_id, rule->id, rule);
}

/* add_data - read one rule file's text into the set; all of it or nothing */
static gboolean
add_data (NdrRuleSet *rules, const char *file, const char *data, gsize len, GError **error)
{
  g_autoptr(GHashTable) lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Source src = { file, data, len, lines };
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) local = NULL;
  if (len > NDR_RULES_MAX_FILE)
    return refuse (error, &src, NULL, NULL, "over %u bytes", NDR_RULES_MAX_FILE);
  if (!scan_groups (&src, error))
    return FALSE;
  if (!g_key_file_load_from_data (kf, data, len, G_KEY_FILE_KEEP_TRANSLATIONS, &local))
    return refuse (error, &src, NULL, NULL, "%s", local->message);
  g_auto(GStrv) groups = g_key_file_get_groups (kf, NULL);
  g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func ((GDestroyNotify) ndr_rule_free);
  for (guint i = 0; groups[i] != NULL; i++) {
    NdrRule *rule = parse_rule (kf, &src, groups[i], error);
    if (rule == NULL)
      return FALSE;
    g_ptr_array_add (parsed, rule);
  }
  for (guint i = 0; i < parsed->len; i++)
    add_rule (rules, g_steal_pointer (&parsed->pdata[i]));
  g_ptr_array_set_free_func (parsed, NULL);
  return TRUE;
}

/**
 * ndr_rules_add_file:
 * @rules: a rule set
 * @path: a rule file
 * @error: NDR_ERROR_IO or NDR_ERROR_RULE
 *
 * Adds the rules of @path to @rules, replacing rules of the same id. A file with any error
 * adds nothing.
 *
 * Returns: TRUE on success.
 */
gboolean
ndr_rules_add_file (NdrRuleSet *rules, const char *path, GError **error)
{
  g_return_val_if_fail (rules != NULL && path != NULL, FALSE);
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr(GError) local = NULL;
  if (!g_file_get_contents (path, &data, &len, &local)) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_IO, "%s", local->message);
    return FALSE;
  }
  gboolean ok = add_data (rules, path, data, len, error);
  ndr_rules_index (rules);
  return ok;
}

/* by_name - order two char * by strcmp() */
static int
by_name (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* add_dir - every *.rules of a folder, in name order; a missing folder is no error */
static gboolean
add_dir (NdrRuleSet *rules, const char *dir, gboolean must_exist, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GDir) d = g_dir_open (dir, 0, &local);
  if (d == NULL) {
    if (!must_exist && g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
      return TRUE;
    g_set_error (error, NDR_ERROR, NDR_ERROR_IO, "%s", local->message);
    return FALSE;
  }
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".rules"))
      g_ptr_array_add (names, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (names, by_name);
  for (guint i = 0; i < names->len; i++)
    if (!ndr_rules_add_file (rules, g_ptr_array_index (names, i), error))
      return FALSE;
  return TRUE;
}

/* add_builtin - the rules compiled into the binary, in name order */
static gboolean
add_builtin (NdrRuleSet *rules, GError **error)
{
  GResource *res = ndr_rules_data_resource ();
  g_auto(GStrv) names = g_resource_enumerate_children (res, NDR_RULES_RESOURCE_DIR,
                                                       G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (names == NULL)
    return TRUE;
  qsort (names, g_strv_length (names), sizeof (char *), by_name);
  for (guint i = 0; names[i] != NULL; i++) {
    if (!g_str_has_suffix (names[i], ".rules"))
      continue;
    g_autofree char *path = g_strconcat (NDR_RULES_RESOURCE_DIR, names[i], NULL);
    g_autoptr(GBytes) bytes = g_resource_lookup_data (res, path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
    g_autofree char *label = g_strconcat ("resource://", path, NULL);
    gsize len;
    const char *data = g_bytes_get_data (bytes, &len);
    if (!add_data (rules, label, data, len, error))
      return FALSE;
  }
  return TRUE;
}

/* rule_set_new - an empty set */
static NdrRuleSet *
rule_set_new (void)
{
  NdrRuleSet *rules = g_new0 (NdrRuleSet, 1);
  rules->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) ndr_rule_free);
  rules->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  rules->limits = pcre2_match_context_create (NULL);
  pcre2_set_match_limit (rules->limits, NDR_PCRE2_MATCH_LIMIT);
  pcre2_set_depth_limit (rules->limits, NDR_PCRE2_MATCH_LIMIT / 10);
  ndr_rules_index (rules);
  return rules;
}

/**
 * ndr_rules_load:
 * @dirs: (nullable) (array zero-terminated=1): more folders of *.rules, read last
 * @flags: which of the built-in and system rules to skip
 * @error: NDR_ERROR_RULE for a refused file, NDR_ERROR_IO for an unreadable one
 *
 * Reads the built-in rules, then $XDG_CONFIG_HOME/ndr/rules.d and /etc/ndr/rules.d, then
 * @dirs; a later rule replaces an earlier one with the same id.
 *
 * Returns: (transfer full) (nullable): the rules, or NULL with @error set.
 */
NdrRuleSet *
ndr_rules_load (const char *const *dirs, NdrRulesFlags flags, GError **error)
{
  g_autoptr(NdrRuleSet) rules = rule_set_new ();
  if ((flags & NDR_RULES_NO_BUILTIN) == 0 && !add_builtin (rules, error))
    return NULL;
  if ((flags & NDR_RULES_NO_SYSTEM) == 0) {
    g_autofree char *user = g_build_filename (g_get_user_config_dir (), "ndr", "rules.d", NULL);
    if (!add_dir (rules, user, FALSE, error) || !add_dir (rules, "/etc/ndr/rules.d", FALSE, error))
      return NULL;
  }
  for (guint i = 0; dirs != NULL && dirs[i] != NULL; i++)
    if (!add_dir (rules, dirs[i], TRUE, error))
      return NULL;
  ndr_rules_index (rules);
  return g_steal_pointer (&rules);
}

/**
 * ndr_rules_check_file:
 * @path: a rule file
 * @error: why it is refused
 *
 * Reads @path on its own, as `ndr rules check` does.
 *
 * Returns: TRUE if every rule of @path loads.
 */
gboolean
ndr_rules_check_file (const char *path, GError **error)
{
  g_autoptr(NdrRuleSet) rules = rule_set_new ();
  return ndr_rules_add_file (rules, path, error);
}

/**
 * ndr_rules_free:
 * @rules: (nullable): a rule set
 */
void
ndr_rules_free (NdrRuleSet *rules)
{
  if (rules == NULL)
    return;
  for (int c = 0; c < 4; c++)
    if (rules->by_class[c] != NULL)
      g_ptr_array_unref (rules->by_class[c]);
  g_hash_table_unref (rules->by_id);
  if (rules->by_exact != NULL)
    g_hash_table_unref (rules->by_exact);
  g_ptr_array_unref (rules->rules);
  pcre2_match_context_free (rules->limits);
  ndr_prefilter_free (rules->prefilter);
  g_free (rules);
}

/**
 * ndr_rules_count:
 * @rules: a rule set
 *
 * Returns: the number of rules, disabled ones included.
 */
guint
ndr_rules_count (const NdrRuleSet *rules)
{
  g_return_val_if_fail (rules != NULL, 0);
  return rules->rules->len;
}

/**
 * ndr_rules_info:
 * @rules: a rule set
 * @index: 0 .. ndr_rules_count() - 1, in load order
 * @info: (out caller-allocates): the rule's id, category, file, line; borrowed from @rules
 *
 * Returns: FALSE past the end.
 */
gboolean
ndr_rules_info (const NdrRuleSet *rules, guint index, NdrRuleInfo *info)
{
  g_return_val_if_fail (rules != NULL && info != NULL, FALSE);
  if (index >= rules->rules->len)
    return FALSE;
  const NdrRule *rule = g_ptr_array_index (rules->rules, index);
  info->id = rule->id;
  info->category = rule->category != NULL ? rule->category->id : NULL;
  info->file = rule->file;
  info->line = rule->line;
  info->disabled = rule->disabled;
  return TRUE;
}
