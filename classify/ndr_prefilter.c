/*
 * NAME
 *   ndr_prefilter.c - skip the text= patterns that cannot match a line
 * DESCRIPTION
 *   Most text= patterns are alternations of phrases ("user unknown|no such user|..."). Each
 *   alternative that begins with a literal word, or with a group of literal words
 *   ("(?:account|mailbox) is disabled"), can only match a text that contains that word.
 *   ndr_prefilter_build() collects these anchors for every pattern whose alternatives all
 *   have one, and indexes them by their first two characters; ndr_prefilter_scan() walks a
 *   text once and marks every pattern one of whose anchors occurs in it;
 *   ndr_prefilter_may_match() then says whether running the pattern is worth it. A pattern
 *   with any alternative we cannot read this way is always run. The answers are the same
 *   as without the filter, but a line is tried against a handful of patterns, not all.
 * TRUST
 *   Patterns come from rule files that were already compiled by PCRE2; texts are hostile but
 *   only compared byte by byte within their length. Anchors are ASCII, compared caseless.
 */
#include "classify_priv.h"

#include <string.h>

#define ANCHOR_MIN  2u      /* shortest anchor: the index is by two characters */
#define ANCHOR_MAX  64u     /* longest anchor kept */
#define BUCKETS     (128u * 128u)

/* An anchor: a lower-case ASCII literal and the filter bit of its pattern. */
typedef struct {
  char  text[ANCHOR_MAX + 1];
  guint len;
  guint bit;
} Anchor;

struct NdrPrefilter {
  GArray *anchors;              /* Anchor, sorted by bucket */
  guint   start[BUCKETS + 1];   /* anchors of bucket b: [start[b], start[b + 1]) */
  guint   bits;                 /* patterns with anchors */
};

/* literal - the literal text p begins with, lower-cased, into out; its length (0: none) */
static guint
literal (const char *p, const char *end, char out[ANCHOR_MAX + 1])
{
  guint n = 0;
  while (p < end && n < ANCHOR_MAX) {
    char c = *p;
    if (c == '\\' && p + 1 < end && strchr (".|()[]{}?*+^$\\/-", p[1]) != NULL && p[1] != '\0') {
      c = p[1];
      p += 2;
    } else if (strchr ("\\[(.^$|)", c) != NULL || (guchar) c >= 0x80) {
      break;
    } else if (c == '?' || c == '*' || c == '{') {
      if (n > 0)
        n--;                                       /* the character before is optional */
      break;
    } else if (c == '+') {
      break;
    } else {
      p++;
    }
    if (p < end && (*p == '?' || *p == '*' || *p == '{'))
      break;                                       /* this one is optional: stop before it */
    out[n++] = g_ascii_tolower (c);
  }
  out[n] = '\0';
  return n;
}

/* scan_to - the first ')' that closes the group opening at p (want ')'), or the first '|'
 * outside any group (want '|'), skipping escapes and character classes; NULL if none */
static const char *
scan_to (const char *p, const char *end, char want)
{
  int depth = 0;
  gboolean in_class = FALSE;
  for (; p < end; p++) {
    if (*p == '\\') {
      p++;
      continue;
    }
    if (in_class) {
      in_class = *p != ']';
      continue;
    }
    if (*p == '[')
      in_class = TRUE;
    else if (*p == '(')
      depth++;
    else if (*p == ')' && --depth == 0 && want == ')')
      return p;
    else if (*p == '|' && depth == 0 && want == '|')
      return p;
  }
  return NULL;
}

/* group_end - the ')' closing the group that opens at p, or NULL */
static const char *
group_end (const char *p, const char *end)
{
  return scan_to (p, end, ')');
}

/* next_alt - the end of the top-level alternative starting at p (a '|' or end) */
static const char *
next_alt (const char *p, const char *end)
{
  const char *bar = scan_to (p, end, '|');
  return bar != NULL ? bar : end;
}

/* add_anchor - one anchor for a pattern; FALSE if it is too short to index */
static gboolean
add_anchor (GArray *into, const char *text, guint len, guint bit)
{
  if (len < ANCHOR_MIN)
    return FALSE;
  Anchor a = { .len = len, .bit = bit };
  memcpy (a.text, text, len + 1);
  g_array_append_val (into, a);
  return TRUE;
}

/* anchors_of - the anchors of every alternative of [p, end); FALSE if one has none */
static gboolean
anchors_of (const char *p, const char *end, guint bit, GArray *into, int depth)
{
  while (p <= end) {
    const char *alt_end = next_alt (p, end);
    const char *q = p;
    while (q < alt_end && (*q == '^' || (q[0] == '\\' && q + 1 < alt_end && q[1] == 'b')))
      q += *q == '^' ? 1 : 2;
    char lit[ANCHOR_MAX + 1];
    if (g_str_has_prefix (q, "(?:") && depth == 0) {
      const char *close = group_end (q, alt_end);
      if (close == NULL || (close + 1 < alt_end && strchr ("?*{", close[1]) != NULL))
        return FALSE;                                      /* an optional group */
      if (!anchors_of (q + 3, close, bit, into, depth + 1))
        return FALSE;
    } else if (!add_anchor (into, lit, literal (q, alt_end, lit), bit)) {
      return FALSE;
    }
    if (alt_end >= end)
      break;
    p = alt_end + 1;
  }
  return TRUE;
}

/* bucket - the index slot of two lower-case ASCII characters */
static guint
bucket (guchar a, guchar b)
{
  return (guint) (a & 0x7f) * 128u + (b & 0x7f);
}

/* by_bucket - sort anchors by their slot */
static int
by_bucket (gconstpointer a, gconstpointer b)
{
  const Anchor *x = a, *y = b;
  guint bx = bucket ((guchar) x->text[0], (guchar) x->text[1]);
  guint by = bucket ((guchar) y->text[0], (guchar) y->text[1]);
  return (bx > by) - (bx < by);
}

/* ndr_prefilter_build - anchors of every text= pattern of the set; sets each rule's filter_bit */
void
ndr_prefilter_build (NdrRuleSet *rules)
{
  g_clear_pointer (&rules->prefilter, ndr_prefilter_free);
  NdrPrefilter *pf = g_new0 (NdrPrefilter, 1);
  pf->anchors = g_array_new (FALSE, FALSE, sizeof (Anchor));
  for (guint i = 0; i < rules->rules->len; i++) {
    NdrRule *rule = g_ptr_array_index (rules->rules, i);
    rule->filter_bit = -1;
    if (rule->text == NULL)
      continue;
    guint before = pf->anchors->len;
    if (anchors_of (rule->text, rule->text + strlen (rule->text), pf->bits, pf->anchors, 0))
      rule->filter_bit = (int) pf->bits++;
    else
      g_array_set_size (pf->anchors, before);            /* always run this one */
  }
  g_array_sort (pf->anchors, by_bucket);
  guint a = 0;
  for (guint b = 0; b < BUCKETS; b++) {
    pf->start[b] = a;
    while (a < pf->anchors->len) {
      const Anchor *an = &g_array_index (pf->anchors, Anchor, a);
      if (bucket ((guchar) an->text[0], (guchar) an->text[1]) != b)
        break;
      a++;
    }
  }
  pf->start[BUCKETS] = a;
  rules->prefilter = pf;
}

/* ndr_prefilter_free - free the anchors */
void
ndr_prefilter_free (NdrPrefilter *pf)
{
  if (pf == NULL)
    return;
  g_array_unref (pf->anchors);
  g_free (pf);
}

/* ndr_prefilter_scan - mark, in scratch->bits, the patterns with an anchor in text */
void
ndr_prefilter_scan (const NdrRuleSet *rules, NdrScratch *scratch, const char *text, gsize len)
{
  const NdrPrefilter *pf = rules->prefilter;
  guint bytes = (pf->bits + 7) / 8;
  if (scratch->bits == NULL || scratch->bits_len < bytes) {
    g_free (scratch->bits);
    scratch->bits = g_malloc (bytes + 1);
    scratch->bits_len = bytes;
  }
  memset (scratch->bits, 0, bytes + 1);
  if (scratch->lower == NULL)
    scratch->lower = g_string_sized_new (len + 1);
  g_string_set_size (scratch->lower, len);
  guchar *t = (guchar *) scratch->lower->str;
  for (gsize i = 0; i < len; i++)          /* ASCII lower case; other bytes never match an anchor */
    t[i] = (guchar) ((text[i] >= 'A' && text[i] <= 'Z') ? text[i] + 32 : text[i]);
  for (gsize i = 0; i + 1 < len; i++) {
    if (t[i] >= 0x80 || t[i + 1] >= 0x80)
      continue;
    guint b = bucket (t[i], t[i + 1]);
    for (guint k = pf->start[b]; k < pf->start[b + 1]; k++) {
      const Anchor *an = &g_array_index (pf->anchors, Anchor, k);
      if (an->len <= len - i && (an->len == 2 || t[i + 2] == (guchar) an->text[2])
          && memcmp (t + i + 2, an->text + 2, an->len - 2) == 0)
        scratch->bits[an->bit / 8] |= (guint8) (1u << (an->bit % 8));
    }
  }
  scratch->bits_text = text;
}

/* ndr_prefilter_may_match - can rule's text= match the text last scanned? */
gboolean
ndr_prefilter_may_match (const NdrScratch *scratch, const NdrRule *rule)
{
  if (rule->filter_bit < 0 || scratch->bits == NULL)
    return TRUE;
  return (scratch->bits[rule->filter_bit / 8] & (1u << (rule->filter_bit % 8))) != 0;
}
