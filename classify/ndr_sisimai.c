/*
 * NAME
 *   ndr_sisimai.c - a classified recipient in sisimai's terms
 * DESCRIPTION
 *   ndr_sisimai_view() gives what sisimai would call a recipient's reason, delivery status,
 *   reply code, action and hard bounce, so that `ndr parse --format sisimai` and
 *   bench/accuracy agree with each other:
 *
 *   - reason: the category's sisimai reason (rules/categories.tsv), except that a message that
 *     expired in the queue, or is still delayed there, because the receiving host could not be
 *     reached or for no known reason is "expired" to sisimai (a known refusal keeps its reason);
 *   - deliverystatus: the real status; when the report gives none, sisimai invents one of the
 *     form 5.0.9NN from the reason (4.0.9NN for a temporary reply, for the reasons sisimai
 *     has a temporary code for), and so do we;
 *   - hardbounce: the address itself is wrong (userunknown, hostunknown, hasmoved,
 *     notaccept) and the failure is not temporary.
 * TRUST
 *   Reads records that classify/ filled; nothing from outside.
 */
#include "classify_priv.h"

#include <string.h>

/* The detail numbers sisimai uses in its made-up status codes, by reason, and whether it
 * makes up a temporary (4.0.9NN) code for that reason at all: for the others a temporary
 * failure still gets 5.0.9NN. */
static const struct { const char *reason; int detail; gboolean temporary; } pseudo[] = {
  { "undefined", 900, TRUE },      { "onhold", 901, TRUE },        { "syntaxerror", 902, FALSE },
  { "norelaying", 909, FALSE },    { "filtered", 910, FALSE },     { "userunknown", 911, FALSE },
  { "hostunknown", 912, FALSE },   { "hasmoved", 916, FALSE },     { "rejected", 918, TRUE },
  { "suspend", 921, FALSE },       { "mailboxfull", 922, TRUE },   { "exceedlimit", 923, FALSE },
  { "systemerror", 930, TRUE },    { "systemfull", 931, TRUE },    { "notaccept", 932, TRUE },
  { "mesgtoobig", 934, FALSE },    { "mailererror", 939, FALSE },  { "networkerror", 944, TRUE },
  { "toomanyconn", 945, TRUE },    { "speeding", 946, TRUE },      { "expired", 947, TRUE },
  { "contenterror", 960, TRUE },   { "securityerror", 970, TRUE }, { "blocked", 971, TRUE },
  { "virusdetected", 971, FALSE }, { "authfailure", 972, TRUE },
  { "policyviolation", 972, FALSE },
  { "requireptr", 973, FALSE },    { "badreputation", 975, TRUE }, { "failedstarttls", 976, FALSE },
  { "spamdetected", 980, TRUE },
};

/* Reasons that say the address is wrong: sisimai's hard bounces when permanent. */
static const char *const hard[] = { "userunknown", "hostunknown", "hasmoved", "notaccept", NULL };

/* Reasons that are not failures: no status is made up for them. */
static const char *const not_failures[] = { "vacation", "feedback", "delivered", NULL };

/**
 * ndr_sisimai_view:
 * @msg: the message
 * @rcpt: one of its recipients, classified (ndr_classify_message())
 * @view: (out caller-allocates): the recipient in sisimai's terms; its strings are borrowed
 *   from @rcpt or static
 *
 * Fills @view. A recipient that was not classified has reason "undefined".
 */
void
ndr_sisimai_view (const NdrMessage *msg, const NdrRecipient *rcpt, NdrSisimaiView *view)
{
  g_return_if_fail (msg != NULL && rcpt != NULL && view != NULL);
  memset (view, 0, sizeof *view);
  view->reason = rcpt->sisimai_reason != NULL ? rcpt->sisimai_reason : "undefined";
  if ((g_strcmp0 (rcpt->outcome, "expired") == 0 || g_strcmp0 (rcpt->outcome, "delayed") == 0)
      && (g_strcmp0 (rcpt->category, "network-error") == 0
          || g_strcmp0 (rcpt->category, "unknown") == 0))
    view->reason = "expired";   /* sisimai's word for a queue held up by no known refusal */
  view->replycode = rcpt->reply_code;
  view->action = rcpt->action != NULL ? rcpt->action
               : g_strcmp0 (rcpt->outcome, "delivered") == 0 ? "delivered"
               : g_strcmp0 (rcpt->outcome, "delayed") == 0 ? "delayed" : "failed";
  gboolean temporary = rcpt->reply_code / 100 == 4
                    || (rcpt->status != NULL && rcpt->status[0] == '4')
                    || g_strcmp0 (rcpt->outcome, "delayed") == 0;
  if (rcpt->status != NULL) {
    g_strlcpy (view->status, rcpt->status, sizeof view->status);
  } else if (!g_strv_contains (not_failures, view->reason)) {
    for (guint i = 0; i < G_N_ELEMENTS (pseudo); i++)
      if (strcmp (pseudo[i].reason, view->reason) == 0)
        g_snprintf (view->status, sizeof view->status, "%c.0.%d",
                    temporary && pseudo[i].temporary ? '4' : '5', pseudo[i].detail);
  }
  view->hardbounce = !temporary && g_strv_contains (hard, view->reason);
}
