/*
 * NAME
 *   ndr_match.c - does a rule match a piece of evidence?
 * DESCRIPTION
 *   ndr_status_pattern_parse() reads "5.1.1", "5.7.6??" (each ? one digit) or
 *   "5.7.606-5.7.649"; ndr_status_pattern_match() tests a status against it.
 *
 *   ndr_rule_matches() tests every key a rule sets (status, reply_code, text, source, mta,
 *   lang); a rule matches when all of them do. ndr_rules_index() sorts the enabled rules by
 *   the class of status they test, so that a 5.x.x code is never tried against 4.x.x rules;
 *   ndr_rules_best() returns the matching rule with the highest score.
 * TRUST
 *   Evidence text is hostile: patterns run with PCRE2_MATCH_INVALID_UTF under the match
 *   limit of the rule set; a pattern that hits the limit does not match.
 */
#include "classify_priv.h"

#include <stdlib.h>
#include <string.h>

#define CLASS_ANY 3   /* by_class[] slot of rules that test no status, or "?.x.x" */

/* parse_code - read "D.DDD.DDD" into three numbers, '?' digits kept in mask; FALSE if not one */
static gboolean
parse_code (const char *s, int part[3], gboolean *wild)
{
  *wild = FALSE;
  for (int i = 0; i < 3; i++) {
    int n = 0, digits = 0;
    while (g_ascii_isdigit (*s) || *s == '?') {
      if (*s == '?')
        *wild = TRUE;
      else
        n = n * 10 + (*s - '0');
      s++;
      if (++digits > 3)
        return FALSE;
    }
    if (digits == 0 || (i == 0 && digits != 1))
      return FALSE;
    part[i] = n;
    if (i < 2 && *s++ != '.')
      return FALSE;
  }
  return *s == '\0';
}

/* cmp3 - compare two codes part by part */
static int
cmp3 (const int a[3], const int b[3])
{
  for (int i = 0; i < 3; i++)
    if (a[i] != b[i])
      return a[i] < b[i] ? -1 : 1;
  return 0;
}

/**
 * ndr_status_pattern_parse:
 * @text: "5.1.1", "5.7.6??" or "5.7.606-5.7.649"
 * @pat: (out caller-allocates): the pattern; clear it with ndr_status_pattern_clear()
 *
 * Returns: FALSE if @text is not a status pattern.
 */
gboolean
ndr_status_pattern_parse (const char *text, NdrStatusPattern *pat)
{
  memset (pat, 0, sizeof *pat);
  g_autofree char *s = g_strstrip (g_strdup (text));
  char *dash = strchr (s, '-');
  gboolean wild;
  if (dash != NULL) {
    *dash = '\0';
    gboolean wild2;
    if (!parse_code (s, pat->lo, &wild) || !parse_code (dash + 1, pat->hi, &wild2) || wild || wild2)
      return FALSE;
    if (pat->lo[0] != pat->hi[0])
      return FALSE;
    if (cmp3 (pat->lo, pat->hi) > 0)
      return FALSE;
    pat->cls = (char) ('0' + pat->lo[0]);
    return TRUE;
  }
  if (!parse_code (s, pat->lo, &wild))
    return FALSE;
  if (*s != '2' && *s != '4' && *s != '5' && *s != '?')
    return FALSE;
  pat->cls = *s;
  pat->pattern = g_steal_pointer (&s);
  return TRUE;
}

void
ndr_status_pattern_clear (NdrStatusPattern *pat)
{
  g_clear_pointer (&pat->pattern, g_free);
}

/**
 * ndr_status_pattern_match:
 * @pat: a pattern
 * @status: (nullable): an enhanced status code
 *
 * Returns: TRUE if @status is matched by @pat.
 */
gboolean
ndr_status_pattern_match (const NdrStatusPattern *pat, const char *status)
{
  if (status == NULL)
    return FALSE;
  if (pat->pattern == NULL) {
    int code[3];
    gboolean wild;
    if (!parse_code (status, code, &wild) || wild)
      return FALSE;
    return cmp3 (code, pat->lo) >= 0 && cmp3 (code, pat->hi) <= 0;
  }
  const char *p = pat->pattern, *s = status;
  for (; *p != '\0' && *s != '\0'; p++, s++)
    if (*p == '?' ? !g_ascii_isdigit (*s) : *p != *s)
      return FALSE;
  return *p == '\0' && *s == '\0';
}

/* match_text - run the rule's pattern over the evidence text under the set's match limits */
static gboolean
match_text (const NdrRuleSet *rules, const NdrRule *rule, const char *text, NdrScratch *scratch)
{
  if (text == NULL)
    return FALSE;
  if (scratch->text != text) {
    scratch->text = text;
    scratch->len = strlen (text);
  }
  if (rules->prefilter != NULL && rule->filter_bit >= 0) {
    if (scratch->bits_text != text)
      ndr_prefilter_scan (rules, scratch, text, scratch->len);
    if (!ndr_prefilter_may_match (scratch, rule))
      return FALSE;                             /* none of its words occurs in the text */
  }
  int rc = rule->jit
         ? pcre2_jit_match (rule->re, (PCRE2_SPTR) text, scratch->len, 0, 0, scratch->md, rules->limits)
         : pcre2_match (rule->re, (PCRE2_SPTR) text, scratch->len, 0, 0, scratch->md, rules->limits);
  if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT)
    g_debug ("rule %s: match limit hit", rule->id);
  return rc >= 0;
}

/* in_list - is s one of the strings of list (caseless)? */
static gboolean
in_list (char **list, const char *s)
{
  if (s == NULL)
    return FALSE;
  for (guint i = 0; list[i] != NULL; i++)
    if (g_ascii_strcasecmp (list[i], s) == 0)
      return TRUE;
  return FALSE;
}

/* ndr_rule_matches - does every key the rule sets agree with this evidence of this message? */
gboolean
ndr_rule_matches (const NdrRuleSet *rules, const NdrRule *rule, const NdrEvidence *ev,
                  const NdrMessage *msg, NdrScratch *scratch)
{
  if (rule->disabled)
    return FALSE;
  if (rule->sources != 0 && (rule->sources & (1u << ev->source)) == 0)
    return FALSE;
  if (rule->mta != NULL && !in_list (rule->mta, msg->mta))
    return FALSE;
  if (rule->lang != NULL && !in_list (rule->lang, msg->lang))
    return FALSE;
  if (rule->reply->len > 0) {
    gboolean hit = FALSE;
    for (guint i = 0; i < rule->reply->len && !hit; i++)
      hit = g_array_index (rule->reply, int, i) == ev->reply_code;
    if (!hit)
      return FALSE;
  }
  if (rule->status->len > 0) {
    gboolean hit = FALSE;
    for (guint i = 0; i < rule->status->len && !hit; i++)
      hit = ndr_status_pattern_match (&g_array_index (rule->status, NdrStatusPattern, i),
                                      ev->status);
    if (!hit)
      return FALSE;
  }
  if (rule->re != NULL && !match_text (rules, rule, ev->text, scratch))
    return FALSE;
  return TRUE;
}

/* slot - the by_class[] slot of a status class character */
static int
slot (char cls)
{
  switch (cls) {
  case '2': return 0;
  case '4': return 1;
  case '5': return 2;
  default: return CLASS_ANY;
  }
}

/* by_score - sort rules by falling score, then load order */
static int
by_score (gconstpointer a, gconstpointer b)
{
  const NdrRule *ra = *(NdrRule *const *) a, *rb = *(NdrRule *const *) b;
  if (ra->score != rb->score)
    return (rb->score > ra->score) - (rb->score < ra->score);
  return (ra->order > rb->order) - (ra->order < rb->order);
}

/* exact_only - does the rule test status with exact codes only ("5.7.509", not "5.7.5??")? */
static gboolean
exact_only (const NdrRule *rule)
{
  if (rule->status->len == 0)
    return FALSE;
  for (guint j = 0; j < rule->status->len; j++) {
    const NdrStatusPattern *p = &g_array_index (rule->status, NdrStatusPattern, j);
    if (p->pattern == NULL || strchr (p->pattern, '?') != NULL)
      return FALSE;
  }
  return TRUE;
}

/* add_exact - list rule under each of its exact codes */
static void
add_exact (NdrRuleSet *rules, NdrRule *rule)
{
  for (guint j = 0; j < rule->status->len; j++) {
    const char *code = g_array_index (rule->status, NdrStatusPattern, j).pattern;
    GPtrArray *list = g_hash_table_lookup (rules->by_exact, code);
    if (list == NULL) {
      list = g_ptr_array_new ();
      g_hash_table_insert (rules->by_exact, (gpointer) code, list);
    }
    if (list->len == 0 || g_ptr_array_index (list, list->len - 1) != rule)
      g_ptr_array_add (list, rule);
  }
}

/* sort_list - a GHFunc: sort one list of by_exact */
static void
sort_list (gpointer key, gpointer value, gpointer data)
{
  g_ptr_array_sort (value, by_score);
}

/* ndr_rules_index - (re)build the lists of enabled rules, best first: by exact status code,
 * by status class (the rest of the rules testing a status of that class), and any */
void
ndr_rules_index (NdrRuleSet *rules)
{
  for (int c = 0; c < 4; c++) {
    if (rules->by_class[c] == NULL)
      rules->by_class[c] = g_ptr_array_new ();
    g_ptr_array_set_size (rules->by_class[c], 0);
  }
  g_clear_pointer (&rules->by_exact, g_hash_table_unref);
  rules->by_exact = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < rules->rules->len; i++) {
    NdrRule *rule = g_ptr_array_index (rules->rules, i);
    rule->order = i;
    if (rule->disabled)
      continue;
    if (exact_only (rule)) {
      add_exact (rules, rule);
      continue;
    }
    guint mask = 0;
    for (guint j = 0; j < rule->status->len; j++)
      mask |= 1u << slot (g_array_index (rule->status, NdrStatusPattern, j).cls);
    if (rule->status->len == 0 || (mask & (1u << CLASS_ANY)) != 0)
      mask = 1u << CLASS_ANY;
    for (int c = 0; c < 4; c++)
      if (mask & (1u << c))
        g_ptr_array_add (rules->by_class[c], rule);
  }
  for (int c = 0; c < 4; c++)
    g_ptr_array_sort (rules->by_class[c], by_score);
  g_hash_table_foreach (rules->by_exact, sort_list, NULL);
  ndr_prefilter_build (rules);
  rules->indexed = TRUE;
}

/* ndr_rules_best - the matching rule with the highest score (then the first loaded), or NULL */
const NdrRule *
ndr_rules_best (const NdrRuleSet *rules, const NdrEvidence *ev, const NdrMessage *msg,
                NdrScratch *scratch)
{
  g_return_val_if_fail (rules->indexed, NULL);
  const NdrRule *best = NULL;
  GPtrArray *lists[3] = { NULL, NULL, rules->by_class[CLASS_ANY] };
  if (ev->status != NULL) {
    lists[0] = g_hash_table_lookup (rules->by_exact, ev->status);
    if (slot (ev->status[0]) != CLASS_ANY)
      lists[1] = rules->by_class[slot (ev->status[0])];
  }
  for (int l = 0; l < 3; l++) {
    if (lists[l] == NULL)
      continue;
    for (guint i = 0; i < lists[l]->len; i++) {
      const NdrRule *rule = g_ptr_array_index (lists[l], i);
      if (best != NULL && (rule->score < best->score
                           || (rule->score == best->score && rule->order > best->order)))
        break;                                  /* sorted: nothing better further down */
      if (ndr_rule_matches (rules, rule, ev, msg, scratch))
        best = rule;
    }
  }
  return best;
}

/* ndr_rule_text - a rule's hint or fix in lang, else English, else NULL */
const char *
ndr_rule_text (const NdrRule *rule, GHashTable *table, const char *lang)
{
  const char *text = lang != NULL ? g_hash_table_lookup (table, lang) : NULL;
  return text != NULL ? text : g_hash_table_lookup (table, "en");
}
