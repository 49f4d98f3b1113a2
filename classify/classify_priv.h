/*
 * NAME
 *   classify_priv.h - what the files of classify/ share; nothing outside classify/ includes it
 * DESCRIPTION
 *   ndr_rules.c loads and checks rule files into an NdrRuleSet; ndr_rules_data.c holds the
 *   compiled-in GResource; ndr_categories.c reads the categories and their default hints;
 *   ndr_match.c indexes the rules and tests one rule against one piece of evidence, with
 *   ndr_prefilter.c skipping patterns whose words a text lacks; ndr_classify.c ranks the
 *   evidence and decides; ndr_sisimai.c says the decision in sisimai's terms.
 * TRUST
 *   As classify.h.
 */
#pragma once

#define PCRE2_CODE_UNIT_WIDTH 8
#include <gio/gio.h>
#include <pcre2.h>

#include "classify.h"

G_BEGIN_DECLS

#define NDR_RULES_RESOURCE_DIR "/ndr/rules/"    /* where rules/meson.build puts the data */
#define NDR_RULES_MAX_FILE     (1024u * 1024u) /* bytes of one rule file we read */
#define NDR_RULES_MAX_CODES    64u             /* status patterns or reply codes in one rule */
#define NDR_LOOP_HOST_REPEATS  3u              /* a hop table naming a host this often is a loop */

/* One status pattern: "5.7.6??", "5.7.606-5.7.649" or "5.1.1". */
typedef struct {
  char  cls;          /* '2', '4', '5' or '?' */
  char *pattern;      /* the pattern as written, '?' matches one digit; NULL for a range */
  int   lo[3], hi[3]; /* a range: lo and hi per part, inclusive */
} NdrStatusPattern;

/* One rule: a group of a .rules file. */
typedef struct {
  char        *id;
  char        *file;
  guint        line;
  gboolean     disabled;
  GArray      *status;     /* NdrStatusPattern; empty when the rule does not test status */
  GArray      *reply;      /* int; empty when the rule does not test the reply code */
  char        *text;       /* the text= pattern as written, or NULL */
  pcre2_code  *re;         /* compiled text=, or NULL */
  gboolean     jit;        /* re was JIT-compiled */
  int          filter_bit; /* its bit in the prefilter, -1: always run re (ndr_prefilter.c) */
  guint        sources;    /* bit mask of (1 << NdrSource); 0 = any */
  char       **mta;        /* NULL = any */
  char       **lang;       /* NULL = any */
  const NdrCategory *category;
  char        *owner;      /* NULL = the category's owner */
  gboolean     misleading; /* what this rule matches loses to any other real evidence */
  GArray      *misleads;   /* NdrStatusPattern: codes shown elsewhere that this rule explains */
  int          priority;   /* ties between rules matching the same evidence */
  int          score;      /* specificity + priority, computed on load */
  guint        order;      /* index in the set's load order; ties go to the first */
  GHashTable  *hint;       /* lang ("en", "de") -> text */
  GHashTable  *fix;        /* lang -> text */
} NdrRule;

typedef struct NdrPrefilter NdrPrefilter;

struct NdrRuleSet {
  GPtrArray           *rules;      /* NdrRule *, in load order; owns them */
  GHashTable          *by_id;      /* id -> NdrRule *, borrowed from rules */
  GHashTable          *by_exact;   /* "5.7.509" -> GPtrArray of enabled rules testing exact codes */
  GPtrArray           *by_class[4];/* '2', '4', '5', any: the other enabled rules, borrowed */
  gboolean             indexed;    /* ndr_rules_index() has run */
  pcre2_match_context *limits;     /* NDR_PCRE2_MATCH_LIMIT, shared by every pattern */
  NdrPrefilter        *prefilter;  /* anchors of the text= patterns (ndr_prefilter.c) */
};

/* What matching one recipient's evidence reuses: one match data block, the length of the
 * text last matched. Owned by one thread at a time. */
typedef struct {
  pcre2_match_data *md;     /* pcre2_match_data_create (1, NULL) */
  const char       *text;   /* the text whose length is len */
  gsize             len;
  guint8           *bits;   /* prefilter bits of bits_text (g_free) */
  guint             bits_len;
  const char       *bits_text;
  GString          *lower;  /* bits_text in ASCII lower case */
} NdrScratch;

/* ndr_prefilter.c */
void         ndr_prefilter_build (NdrRuleSet *rules);
void         ndr_prefilter_free  (NdrPrefilter *pf);
void         ndr_prefilter_scan  (const NdrRuleSet *rules, NdrScratch *scratch, const char *text,
                                  gsize len);
gboolean     ndr_prefilter_may_match (const NdrScratch *scratch, const NdrRule *rule);

/* ndr_rules_data.c: the GResource of rules/ (registered on first use) */
GResource   *ndr_rules_data_resource (void);

/* ndr_categories.c */
const char  *ndr_category_text   (const char *id, const char *key, const char *lang);

/* ndr_match.c */
gboolean     ndr_status_pattern_parse (const char *text, NdrStatusPattern *pat);
gboolean     ndr_status_pattern_match (const NdrStatusPattern *pat, const char *status);
void         ndr_status_pattern_clear (NdrStatusPattern *pat);
gboolean     ndr_rule_matches    (const NdrRuleSet *rules, const NdrRule *rule,
                                  const NdrEvidence *ev, const NdrMessage *msg,
                                  NdrScratch *scratch);
void         ndr_rules_index     (NdrRuleSet *rules);
const NdrRule *ndr_rules_best    (const NdrRuleSet *rules, const NdrEvidence *ev,
                                  const NdrMessage *msg, NdrScratch *scratch);
const char  *ndr_rule_text       (const NdrRule *rule, GHashTable *table, const char *lang);
void         ndr_rule_free       (NdrRule *rule);

G_END_DECLS
