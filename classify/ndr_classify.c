/*
 * NAME
 *   ndr_classify.c - decide, per recipient, what really happened
 * DESCRIPTION
 *   ndr_classify_message() fills the classify fields of every recipient of a message.
 *
 *   Each piece of evidence (and what is derived from it: the reply quoted after "->" in a
 *   wrapped Exchange error, a hop table that names the same host again and again) becomes a
 *   candidate; ndr_rules_best() finds the rule that explains it. Candidates are ranked by the
 *   authority of their source: the remote server's own words (admin text, a Diagnostic-Code
 *   with a Remote-MTA, the hop table) over the DSN Status (and a Diagnostic-Code the
 *   reporting MTA wrote itself) over user text and body over headers. Within a rank the more
 *   specific rule wins, then the earlier evidence.
 *
 *   A candidate is weak when its rule says misleading=true or its category is unknown: weak
 *   evidence loses to any real evidence, and its code is listed in `misleading`. A rule's
 *   misleads= codes are explained away by it. A candidate of category expired marks the
 *   message as expired: when a real cause is known as well, that cause is the category and the
 *   outcome is expired; otherwise the category is expired.
 * TRUST
 *   Evidence is hostile text; it is only matched against compiled patterns under limits, and
 *   copied into the recipient as it stands (printers clean it).
 */
#include "classify_priv.h"

#include <string.h>

#define MAX_MISLEADING 16u   /* codes listed in rcpt->misleading */

typedef enum { WEIGHT_NONE, WEIGHT_WEAK, WEIGHT_EXPIRY, WEIGHT_STRONG } Weight;

typedef struct {
  const NdrEvidence *ev;
  const NdrRule     *rule;   /* NULL when no rule matched */
  int                rank;   /* authority, 0 = the best */
  guint              order;
  Weight             weight;
  gboolean           explained;  /* another strong candidate's misleads= names this code */
} Cand;

/* rank - the authority of a piece of evidence for this recipient; 0 is the highest */
static int
rank (const NdrEvidence *ev, const NdrRecipient *rcpt)
{
  switch (ev->source) {
  case NDR_SOURCE_DSN_DIAGNOSTIC: return rcpt->remote_mta != NULL ? 0 : 1;
  case NDR_SOURCE_ADMIN_TEXT:     return 0;
  case NDR_SOURCE_HOPS:           return 0;
  case NDR_SOURCE_DSN_STATUS:     return 1;
  case NDR_SOURCE_USER_TEXT:      return 2;
  case NDR_SOURCE_BODY:           return 2;
  case NDR_SOURCE_HEADER:
  case NDR_SOURCE_COUNT:
  default:                        return 3;
  }
}

/* find_status - the first enhanced status code in s, copied to out; FALSE if none */
static gboolean
find_status (const char *s, char out[16], const char **at)
{
  for (const char *p = s; *p != '\0'; p++) {
    if ((*p != '2' && *p != '4' && *p != '5') || p[1] != '.')
      continue;
    if (p > s && (g_ascii_isalnum (p[-1]) || p[-1] == '.'))
      continue;
    const char *q = p + 2;
    int d1 = 0, d2 = 0;
    while (g_ascii_isdigit (*q) && d1 < 4) { q++; d1++; }
    if (d1 == 0 || d1 > 3 || *q != '.')
      continue;
    q++;
    while (g_ascii_isdigit (*q) && d2 < 4) { q++; d2++; }
    if (d2 == 0 || d2 > 3 || g_ascii_isalnum (*q) || (*q == '.' && g_ascii_isdigit (q[1])))
      continue;
    g_strlcpy (out, p, MIN ((gsize) (q - p) + 1, 16));
    *at = p;
    return TRUE;
  }
  return FALSE;
}

/* find_reply - a three-digit reply code starting s (after blanks), or 0 */
static int
find_reply (const char *s)
{
  while (*s == ' ' || *s == '\t')
    s++;
  if ((*s == '2' || *s == '4' || *s == '5') && g_ascii_isdigit (s[1]) && g_ascii_isdigit (s[2])
      && !g_ascii_isalnum (s[3]) && s[3] != '.')
    return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
  return 0;
}

/* inner_reply - evidence for the reply quoted after the last "->" of ev's text, or NULL */
static NdrEvidence *
inner_reply (const NdrEvidence *ev)
{
  const char *arrow = ev->text != NULL ? g_strrstr (ev->text, "->") : NULL;
  if (arrow == NULL)
    return NULL;
  const char *rest = arrow + 2;
  char status[16] = "";
  const char *at = NULL;
  int reply = find_reply (rest);
  if (!find_status (rest, status, &at) && reply == 0)
    return NULL;
  g_autofree char *text = g_strstrip (g_strdup (rest));
  return ndr_evidence_new (ev->source, status, reply, text);
}

/* loop_in_hops - evidence of source hops when one host sends the message on again and again */
static NdrEvidence *
loop_in_hops (const NdrMessage *msg)
{
  if (msg->hops == NULL || msg->hops->len < NDR_LOOP_HOST_REPEATS)
    return NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < msg->hops->len; i++) {
    const NdrHop *hop = g_ptr_array_index (msg->hops, i);
    if (hop->from == NULL || *hop->from == '\0')
      continue;
    char *host = g_ascii_strdown (hop->from, -1);
    guint n = GPOINTER_TO_UINT (g_hash_table_lookup (seen, host)) + 1;
    g_hash_table_replace (seen, host, GUINT_TO_POINTER (n));
    if (n >= NDR_LOOP_HOST_REPEATS) {
      g_autofree char *text = g_strdup_printf ("hop table passes %.200s %u times", hop->from, n);
      return ndr_evidence_new (NDR_SOURCE_HOPS, NULL, 0, text);
    }
  }
  return NULL;
}

/* has_text - is there evidence with exactly this text already? */
static gboolean
has_text (const GPtrArray *evs, const char *text)
{
  for (guint i = 0; evs != NULL && i < evs->len; i++)
    if (g_strcmp0 (((const NdrEvidence *) g_ptr_array_index (evs, i))->text, text) == 0)
      return TRUE;
  return FALSE;
}

/* has_status - is there evidence with this status already? */
static gboolean
has_status (const GPtrArray *evs, const char *status)
{
  for (guint i = 0; evs != NULL && i < evs->len; i++)
    if (g_strcmp0 (((const NdrEvidence *) g_ptr_array_index (evs, i))->status, status) == 0)
      return TRUE;
  return FALSE;
}

/* gather - all evidence of a recipient, with what is derived from it (derived items go to own) */
static GPtrArray *
gather (const NdrMessage *msg, const NdrRecipient *rcpt, GPtrArray *own)
{
  GPtrArray *all = g_ptr_array_new ();
  const GPtrArray *evs = rcpt->evidence;
  for (guint i = 0; evs != NULL && i < evs->len; i++) {
    NdrEvidence *ev = g_ptr_array_index (evs, i);
    g_ptr_array_add (all, ev);
    NdrEvidence *inner = inner_reply (ev);
    if (inner != NULL) {
      g_ptr_array_add (own, inner);
      g_ptr_array_add (all, inner);
    }
  }
  if (rcpt->diagnostic != NULL && !has_text (evs, rcpt->diagnostic)) {
    char status[16] = "";
    const char *at = NULL;
    find_status (rcpt->diagnostic, status, &at);
    NdrEvidence *ev = ndr_evidence_new (NDR_SOURCE_DSN_DIAGNOSTIC, status,
                                        find_reply (rcpt->diagnostic), rcpt->diagnostic);
    g_ptr_array_add (own, ev);
    g_ptr_array_add (all, ev);
  }
  if (rcpt->status != NULL && !has_status (all, rcpt->status)) {
    NdrEvidence *ev = ndr_evidence_new (NDR_SOURCE_DSN_STATUS, rcpt->status, rcpt->reply_code,
                                        NULL);
    g_ptr_array_add (own, ev);
    g_ptr_array_add (all, ev);
  }
  NdrEvidence *hops = loop_in_hops (msg);
  if (hops != NULL) {
    g_ptr_array_add (own, hops);
    g_ptr_array_add (all, hops);
  }
  return all;
}

/* weigh - what kind of evidence a candidate is */
static Weight
weigh (const NdrRule *rule)
{
  if (rule == NULL)
    return WEIGHT_NONE;
  if (strcmp (rule->category->id, "expired") == 0)
    return WEIGHT_EXPIRY;
  if (rule->misleading || strcmp (rule->category->id, "unknown") == 0)
    return WEIGHT_WEAK;
  return WEIGHT_STRONG;
}

/* better - is candidate a better explanation than b? */
static gboolean
better (const Cand *a, const Cand *b)
{
  if (b == NULL)
    return TRUE;
  if (a->weight != b->weight) {
    /* Weak evidence loses to strong evidence, unless that is two ranks less authoritative
       (the remote server's vague 5.7.1 over a summary line of the body). */
    if (a->weight == WEIGHT_WEAK && b->weight == WEIGHT_STRONG && b->rank > a->rank + 1)
      return TRUE;
    if (b->weight == WEIGHT_WEAK && a->weight == WEIGHT_STRONG && a->rank > b->rank + 1)
      return FALSE;
    return a->weight > b->weight;
  }
  if (a->explained != b->explained)
    return !a->explained;
  if (a->rank != b->rank)
    return a->rank < b->rank;
  int sa = a->rule != NULL ? a->rule->score : -1, sb = b->rule != NULL ? b->rule->score : -1;
  if (sa != sb)
    return sa > sb;
  if ((a->ev->status != NULL) != (b->ev->status != NULL))
    return a->ev->status != NULL;
  return a->order < b->order;
}

/* explain_away - mark candidates whose code a strong candidate's misleads= names */
static void
explain_away (GArray *cands)
{
  for (guint i = 0; i < cands->len; i++) {
    const Cand *c = &g_array_index (cands, Cand, i);
    if (c->weight != WEIGHT_STRONG || c->rule->misleads->len == 0)
      continue;
    for (guint j = 0; j < cands->len; j++) {
      Cand *d = &g_array_index (cands, Cand, j);
      if (j == i || d->ev->status == NULL || g_strcmp0 (d->ev->status, c->ev->status) == 0)
        continue;
      for (guint k = 0; k < c->rule->misleads->len; k++)
        if (ndr_status_pattern_match (&g_array_index (c->rule->misleads, NdrStatusPattern, k),
                                      d->ev->status))
          d->explained = TRUE;
    }
  }
}

/* set_str - replace a string field */
static void
set_str (char **field, const char *value)
{
  char *old = *field;
  *field = g_strdup (value);
  g_free (old);
}

/* add_misleading - list a code once, up to MAX_MISLEADING */
static void
add_misleading (NdrRecipient *rcpt, const char *code)
{
  if (code == NULL || g_strcmp0 (code, rcpt->status) == 0)
    return;
  if (rcpt->misleading == NULL)
    rcpt->misleading = g_ptr_array_new_with_free_func (g_free);
  if (rcpt->misleading->len >= MAX_MISLEADING)
    return;
  for (guint i = 0; i < rcpt->misleading->len; i++)
    if (strcmp (g_ptr_array_index (rcpt->misleading, i), code) == 0)
      return;
  g_ptr_array_add (rcpt->misleading, g_strdup (code));
}

/* fill_texts - category, owner, hint, fix and sisimai reason of a decision */
static void
fill_texts (NdrRecipient *rcpt, const NdrRule *rule, const NdrCategory *cat, const char *lang)
{
  set_str (&rcpt->category, cat->id);
  set_str (&rcpt->owner, rule != NULL && rule->owner != NULL ? rule->owner : cat->owner);
  set_str (&rcpt->rule, rule != NULL ? rule->id : NULL);
  set_str (&rcpt->sisimai_reason, cat->sisimai_reason);
  const char *hint = rule != NULL ? ndr_rule_text (rule, rule->hint, lang) : NULL;
  const char *fix = rule != NULL ? ndr_rule_text (rule, rule->fix, lang) : NULL;
  set_str (&rcpt->hint, hint != NULL ? hint : ndr_category_text (cat->id, "hint", lang));
  set_str (&rcpt->fix, fix != NULL ? fix : ndr_category_text (cat->id, "fix", lang));
}

/* is_delivered - does the action say the message arrived? */
static gboolean
is_delivered (const char *action)
{
  return action != NULL && (g_ascii_strcasecmp (action, "delivered") == 0
                            || g_ascii_strcasecmp (action, "deliverable") == 0
                            || g_ascii_strcasecmp (action, "relayed") == 0
                            || g_ascii_strcasecmp (action, "expanded") == 0);
}

/* by_kind - a recipient of a report that is not a failure; FALSE if it is one */
static gboolean
by_kind (const NdrMessage *msg, NdrRecipient *rcpt, const char *lang)
{
  const char *id = NULL;
  if (msg->kind == NDR_KIND_AUTO_REPLY)
    id = "auto-reply";
  else if (msg->kind == NDR_KIND_FEEDBACK)
    id = "feedback";
  else if (is_delivered (rcpt->action)
           || (msg->kind == NDR_KIND_DELIVERED && rcpt->action == NULL))
    id = "delivered";
  else if (msg->kind == NDR_KIND_NONE)
    id = "unknown";
  if (id == NULL)
    return FALSE;
  const NdrCategory *cat = ndr_category_lookup (id);
  if (cat == NULL)
    return FALSE;
  fill_texts (rcpt, NULL, cat, lang);
  set_str (&rcpt->outcome, msg->kind == NDR_KIND_NONE ? NULL : "delivered");
  rcpt->permanent = FALSE;
  rcpt->confidence = msg->kind == NDR_KIND_NONE ? 0.0 : 0.9;
  set_str (&rcpt->decided_by, NULL);
  return TRUE;
}

/* confidence - how sure a decision is, from its weight, rank and rule */
static double
confidence (const Cand *c)
{
  static const double by_rank[] = { 0.95, 0.85, 0.7, 0.5 };
  if (c == NULL || c->weight == WEIGHT_NONE)
    return 0.2;
  if (c->weight == WEIGHT_WEAK)
    return 0.4;
  double v = by_rank[CLAMP (c->rank, 0, 3)];
  if (c->rule->re == NULL)
    v -= 0.05;
  return v;
}

/* real_reply - the reply code for the decided status: its own, or one seen with the same code */
static int
real_reply (const GArray *cands, const Cand *best, int fallback)
{
  if (best->ev->reply_code != 0)
    return best->ev->reply_code;
  for (guint i = 0; i < cands->len; i++) {
    const Cand *c = &g_array_index (cands, Cand, i);
    if (c->ev->reply_code != 0 && best->ev->status != NULL
        && g_strcmp0 (c->ev->status, best->ev->status) == 0)
      return c->ev->reply_code;
  }
  return fallback;
}

/* decide - fill the recipient from the chosen candidate and the expiry seen */
static void
decide (const NdrMessage *msg, NdrRecipient *rcpt, const GArray *cands, const Cand *best,
        const Cand *expiry, const char *lang)
{
  const NdrCategory *cat = best != NULL && best->rule != NULL ? best->rule->category
                         : ndr_category_lookup ("unknown");
  g_autofree char *first = g_strdup (rcpt->status);
  fill_texts (rcpt, best != NULL ? best->rule : NULL, cat, lang);
  if (best != NULL && best->ev->status != NULL) {
    int reply = real_reply (cands, best, g_strcmp0 (first, best->ev->status) == 0
                                         ? rcpt->reply_code : 0);
    set_str (&rcpt->status, best->ev->status);
    rcpt->reply_code = reply;
  } else if (best != NULL && best->ev->reply_code != 0) {
    rcpt->reply_code = best->ev->reply_code;
  } else if (best != NULL && best->rule != NULL && rcpt->status != NULL) {
    for (guint k = 0; k < best->rule->misleads->len; k++)
      if (ndr_status_pattern_match (&g_array_index (best->rule->misleads, NdrStatusPattern, k),
                                    rcpt->status)) {
        set_str (&rcpt->status, NULL);     /* decided by a text or the hops: no real code */
        rcpt->reply_code = 0;
        break;
      }
  }
  set_str (&rcpt->decided_by, best != NULL ? ndr_source_name (best->ev->source) : NULL);
  rcpt->confidence = confidence (best);
  char cls = rcpt->status != NULL ? rcpt->status[0]
           : rcpt->reply_code > 0 ? (char) ('0' + rcpt->reply_code / 100) : '\0';
  rcpt->permanent = cls != '\0' ? cls == '5' : cat->permanent;
  const char *outcome = "failed";
  if (msg->kind == NDR_KIND_DELAY || g_strcmp0 (rcpt->action, "delayed") == 0)
    outcome = "delayed";
  else if (expiry != NULL)
    outcome = "expired";
  else if (msg->kind == NDR_KIND_BOUNCE && cls != '5' && strcmp (cat->id, "network-error") == 0)
    outcome = "expired";   /* a final failure on a passing network fault: retries ran out */
  set_str (&rcpt->outcome, outcome);
  if (g_strcmp0 (outcome, "delayed") == 0)
    rcpt->permanent = FALSE;
  add_misleading (rcpt, first);
  for (guint i = 0; best != NULL && i < cands->len; i++) {
    const Cand *c = &g_array_index (cands, Cand, i);
    if (c->weight == WEIGHT_NONE || !better (best, c) || c->ev->status == NULL)
      continue;
    gboolean other_cause = c->weight == WEIGHT_STRONG && c->rank <= best->rank
                           && best->rule != NULL && c->rule->category != best->rule->category;
    if (other_cause || c->weight < WEIGHT_STRONG || c->explained)
      add_misleading (rcpt, c->ev->status);   /* shown by the report, but not the cause */
  }
}

/* candidates - every piece of evidence with its rule, rank and weight */
static GArray *
candidates (const NdrRuleSet *rules, const NdrMessage *msg, const NdrRecipient *rcpt,
            const GPtrArray *all)
{
  GArray *cands = g_array_sized_new (FALSE, TRUE, sizeof (Cand), all->len);
  NdrScratch scratch = { pcre2_match_data_create (1, NULL), NULL, 0, NULL, 0, NULL, NULL };
  for (guint i = 0; i < all->len; i++) {
    const NdrEvidence *ev = g_ptr_array_index (all, i);
    Cand c = { ev, ndr_rules_best (rules, ev, msg, &scratch), rank (ev, rcpt), i, WEIGHT_NONE,
               FALSE };
    c.weight = weigh (c.rule);
    g_array_append_val (cands, c);
  }
  pcre2_match_data_free (scratch.md);
  g_free (scratch.bits);
  if (scratch.lower != NULL)
    g_string_free (scratch.lower, TRUE);
  explain_away (cands);
  return cands;
}

/* choose - the best explanation, and the strongest sign of expiry (either may be NULL) */
static void
choose (const GArray *cands, const Cand **best, const Cand **expiry)
{
  *best = *expiry = NULL;
  for (guint i = 0; i < cands->len; i++) {
    const Cand *c = &g_array_index (cands, Cand, i);
    if (c->weight == WEIGHT_EXPIRY && (*expiry == NULL || better (c, *expiry)))
      *expiry = c;
    if (better (c, *best))
      *best = c;
  }
}

/**
 * ndr_classify_recipient:
 * @rules: the rules
 * @msg: the message @rcpt belongs to
 * @rcpt: the recipient; its classify fields are replaced
 * @lang: (nullable): language of hint and fix ("en", "de"); NULL for English
 *
 * Decides what happened to one recipient.
 */
void
ndr_classify_recipient (const NdrRuleSet *rules, const NdrMessage *msg, NdrRecipient *rcpt,
                        const char *lang)
{
  g_return_if_fail (rules != NULL && msg != NULL && rcpt != NULL);
  lang = ndr_classify_lang (lang);
  if (rcpt->misleading != NULL)
    g_ptr_array_set_size (rcpt->misleading, 0);
  if (by_kind (msg, rcpt, lang))
    return;
  g_autoptr(GPtrArray) own = g_ptr_array_new_with_free_func ((GDestroyNotify) ndr_evidence_free);
  g_autoptr(GPtrArray) all = gather (msg, rcpt, own);
  g_autoptr(GArray) cands = candidates (rules, msg, rcpt, all);
  const Cand *best = NULL, *expiry = NULL;
  choose (cands, &best, &expiry);
  decide (msg, rcpt, cands, best, expiry, lang);
}

/**
 * ndr_classify_message:
 * @rules: the rules, from ndr_rules_load()
 * @msg: a parsed message; the classify fields of its recipients are filled
 * @lang: (nullable): language of hints and fixes; NULL or unknown languages give English
 *
 * Decides what happened to every recipient of @msg. A message that is not a bounce leaves
 * its recipients (if any) of category unknown.
 */
void
ndr_classify_message (const NdrRuleSet *rules, NdrMessage *msg, const char *lang)
{
  g_return_if_fail (rules != NULL && msg != NULL);
  for (guint i = 0; msg->recipients != NULL && i < msg->recipients->len; i++)
    ndr_classify_recipient (rules, msg, g_ptr_array_index (msg->recipients, i), lang);
}

/**
 * ndr_classify_lang:
 * @lang: (nullable): "de", "de_DE.UTF-8", "en", NULL, ...
 *
 * Returns: (transfer none): the language hints are given in: "de" or "en".
 */
const char *
ndr_classify_lang (const char *lang)
{
  if (lang != NULL && g_ascii_strncasecmp (lang, "de", 2) == 0
      && (lang[2] == '\0' || lang[2] == '_' || lang[2] == '-' || lang[2] == '.'))
    return "de";
  return "en";
}

/**
 * ndr_trace_item_free:
 * @item: (nullable): an item of ndr_classify_trace()
 */
void
ndr_trace_item_free (NdrTraceItem *item)
{
  if (item == NULL)
    return;
  g_free (item->status);
  g_free (item->text);
  g_free (item);
}

/**
 * ndr_classify_trace:
 * @rules: the rules
 * @msg: the message
 * @rcpt: one of its recipients, before ndr_classify_recipient() replaces its status
 *
 * Says how the decision for @rcpt is reached: each piece of evidence (with what is derived
 * from it), its authority, the rule that explains it and whether it was chosen. Used by
 * `ndr rules test` and `ndr explain`.
 *
 * Returns: (transfer full) (element-type NdrTraceItem): the candidates in the order found;
 *   empty for a report that is not a failure.
 */
GPtrArray *
ndr_classify_trace (const NdrRuleSet *rules, const NdrMessage *msg, const NdrRecipient *rcpt)
{
  static const char *const weights[] = { "none", "weak", "expiry", "strong" };
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) ndr_trace_item_free);
  g_return_val_if_fail (rules != NULL && msg != NULL && rcpt != NULL, out);
  g_autoptr(GPtrArray) own = g_ptr_array_new_with_free_func ((GDestroyNotify) ndr_evidence_free);
  g_autoptr(GPtrArray) all = gather (msg, rcpt, own);
  g_autoptr(GArray) cands = candidates (rules, msg, rcpt, all);
  const Cand *best, *expiry;
  choose (cands, &best, &expiry);
  for (guint i = 0; i < cands->len; i++) {
    const Cand *c = &g_array_index (cands, Cand, i);
    NdrTraceItem *item = g_new0 (NdrTraceItem, 1);
    item->source = c->ev->source;
    item->rank = c->rank;
    item->status = g_strdup (c->ev->status);
    item->reply_code = c->ev->reply_code;
    item->text = g_strdup (c->ev->text);
    item->rule = c->rule != NULL ? c->rule->id : NULL;
    item->category = c->rule != NULL ? c->rule->category->id : NULL;
    item->weight = weights[c->weight];
    item->explained = c->explained;
    item->chosen = c == best;
    item->expiry = c == expiry;
    g_ptr_array_add (out, item);
  }
  return out;
}
