/*
 * NAME
 *   classify.h - the public interface of classify/: rules in, a root cause per recipient out
 * DESCRIPTION
 *   ndr_rules_load() reads the rules compiled into the binary (GResource), then the user's
 *   ($XDG_CONFIG_HOME/ndr/rules.d), the system's (/etc/ndr/rules.d) and any folders named on
 *   the command line; a later rule replaces an earlier one of the same id. The categories
 *   (rules/categories.tsv) come with the binary.
 *
 *   ndr_classify_message() ranks the evidence of each recipient by authority, finds the rule
 *   that explains the strongest evidence, and fills the classify fields of NdrRecipient
 *   (category, outcome, owner, hint, fix, real status, misleading codes, ...).
 *
 *   Other folders include only this header from classify/.
 * TRUST
 *   Rule files are the user's own configuration: they are checked strictly and refused with
 *   file, line and rule id when wrong. Messages are hostile: every pattern runs under
 *   NDR_PCRE2_MATCH_LIMIT, and texts are matched as possibly invalid UTF-8.
 */
#pragma once

#include <glib.h>

#include "parser.h"

G_BEGIN_DECLS

typedef struct NdrRuleSet NdrRuleSet;   /* opaque; fields in classify_priv.h */

/* What ndr_rules_load() reads besides the folders it is given. */
typedef enum {
  NDR_RULES_DEFAULT    = 0,
  NDR_RULES_NO_SYSTEM  = 1 << 0,  /* skip $XDG_CONFIG_HOME/ndr/rules.d and /etc/ndr/rules.d */
  NDR_RULES_NO_BUILTIN = 1 << 1,  /* skip the rules compiled into the binary */
} NdrRulesFlags;

/* One category of rules/categories.tsv. */
typedef struct {
  const char *id;              /* user-unknown, loop, ... */
  const char *meaning;         /* one sentence, English */
  const char *owner;           /* who usually acts */
  gboolean    permanent;       /* default class: permanent (TRUE) or transient/none */
  const char *sisimai_reason;  /* userunknown, networkerror, ... */
} NdrCategory;

/* One rule as `ndr rules list` shows it. */
typedef struct {
  const char *id;
  const char *category;
  const char *file;            /* resource:///..., or a path */
  guint       line;
  gboolean    disabled;
} NdrRuleInfo;

/* A classified recipient in sisimai's terms (ndr_sisimai_view()). */
typedef struct {
  const char *reason;          /* sisimai reason: userunknown, expired, ... */
  char        status[16];      /* deliverystatus: the real code, or sisimai's made-up 5.0.9NN */
  int         replycode;       /* 0 when none */
  const char *action;          /* failed, delayed, delivered, ... */
  gboolean    hardbounce;
} NdrSisimaiView;

/* One candidate of a decision, as ndr_classify_trace() reports it. */
typedef struct {
  NdrSource   source;
  int         rank;            /* authority: 0 is the highest */
  char       *status;          /* owned */
  int         reply_code;
  char       *text;            /* owned */
  const char *rule;            /* id of the rule that explains it, or NULL; borrowed from the rules */
  const char *category;        /* borrowed */
  const char *weight;          /* "strong", "weak" (misleading or unknown), "expiry", "none" */
  gboolean    explained;       /* a stronger rule's misleads= names its code */
  gboolean    chosen;          /* this one decided */
  gboolean    expiry;          /* this one marks the message as expired */
} NdrTraceItem;

NdrRuleSet        *ndr_rules_load        (const char *const *dirs, NdrRulesFlags flags,
                                          GError **error);
gboolean           ndr_rules_add_file    (NdrRuleSet *rules, const char *path, GError **error);
gboolean           ndr_rules_check_file  (const char *path, GError **error);
void               ndr_rules_free        (NdrRuleSet *rules);
guint              ndr_rules_count       (const NdrRuleSet *rules);
gboolean           ndr_rules_info        (const NdrRuleSet *rules, guint index, NdrRuleInfo *info);

const NdrCategory *ndr_category_lookup   (const char *id);
const NdrCategory *ndr_category_nth      (guint index);

void               ndr_classify_message  (const NdrRuleSet *rules, NdrMessage *msg,
                                          const char *lang);
void               ndr_classify_recipient(const NdrRuleSet *rules, const NdrMessage *msg,
                                          NdrRecipient *rcpt, const char *lang);
const char        *ndr_classify_lang     (const char *lang);
GPtrArray         *ndr_classify_trace    (const NdrRuleSet *rules, const NdrMessage *msg,
                                          const NdrRecipient *rcpt);
void               ndr_trace_item_free   (NdrTraceItem *item);
void               ndr_sisimai_view      (const NdrMessage *msg, const NdrRecipient *rcpt,
                                          NdrSisimaiView *view);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NdrRuleSet, ndr_rules_free)

G_END_DECLS
