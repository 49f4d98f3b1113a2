/*
 * NAME
 *   test_classify.c - the decision per recipient (classify/ndr_classify.c)
 * DESCRIPTION
 *   Messages are built in memory with the parser's constructors, so each test states exactly
 *   the evidence it gives: authority order, misleading codes, expiry with and without a known
 *   cause, the reply quoted after "->", loops (codes, texts and the hop table), status
 *   patterns and ranges, localized hints, the user's override and disabled rules, and the
 *   kinds that are not failures.
 * TRUST
 *   Test code.
 */
#include <string.h>

#include "classify.h"
#include "commands.h"

static NdrRuleSet *builtin;   /* the rules compiled in, loaded once */

/* message - a bounce of one recipient with the given evidence (source, status, reply, text)... */
static NdrMessage *
message (const char *status, const char *remote_mta)
{
  NdrMessage *msg = ndr_message_new ("test");
  msg->kind = NDR_KIND_BOUNCE;
  msg->mta = g_strdup ("rfc3464");
  NdrLimits limits;
  ndr_limits_init (&limits);
  NdrRecipient *rcpt = ndr_message_add_recipient (msg, "someone@example.com", &limits);
  rcpt->status = g_strdup (status);
  rcpt->action = g_strdup ("failed");
  rcpt->remote_mta = g_strdup (remote_mta);
  return msg;
}

/* add - one piece of evidence for the first recipient */
static void
add (NdrMessage *msg, NdrSource source, const char *status, int reply, const char *text)
{
  NdrRecipient *rcpt = g_ptr_array_index (msg->recipients, 0);
  g_ptr_array_add (rcpt->evidence, ndr_evidence_new (source, status, reply, text));
}

/* first - the first recipient, after classifying with rules in lang */
static NdrRecipient *
classify (NdrMessage *msg, const NdrRuleSet *rules, const char *lang)
{
  ndr_classify_message (rules != NULL ? rules : builtin, msg, lang);
  return g_ptr_array_index (msg->recipients, 0);
}

/* listed - is code in rcpt->misleading? */
static gboolean
listed (const NdrRecipient *rcpt, const char *code)
{
  for (guint i = 0; rcpt->misleading != NULL && i < rcpt->misleading->len; i++)
    if (strcmp (g_ptr_array_index (rcpt->misleading, i), code) == 0)
      return TRUE;
  return FALSE;
}

/* The admin section's remote reply outranks the user section's code. */
static void
test_authority_admin_over_user (void)
{
  g_autoptr(NdrMessage) msg = message ("5.1.1", NULL);
  g_free (msg->mta);
  msg->mta = g_strdup ("o365");
  add (msg, NDR_SOURCE_USER_TEXT, "5.1.1", 550, "550 5.1.1 The email address wasn't found");
  add (msg, NDR_SOURCE_ADMIN_TEXT, "5.4.6", 554,
       "Remote server returned '554 5.4.6 Hop count exceeded - possible mail loop'");
  NdrRecipient *r = classify (msg, NULL, NULL);
  g_assert_cmpstr (r->category, ==, "loop");
  g_assert_cmpstr (r->status, ==, "5.4.6");
  g_assert_cmpint (r->reply_code, ==, 554);
  g_assert_cmpstr (r->decided_by, ==, "admin-text");
  g_assert_cmpstr (r->owner, ==, "recipient-admin");
  g_assert_cmpstr (r->outcome, ==, "failed");
  g_assert_true (r->permanent);
  g_assert_true (listed (r, "5.1.1"));
  g_assert_nonnull (r->rule);
  g_assert_cmpstr (r->sisimai_reason, ==, "networkerror");
  g_assert_cmpfloat (r->confidence, >, 0.8);
}

/* A Diagnostic-Code from a Remote-MTA outranks the DSN Status. */
static void
test_authority_remote_diagnostic (void)
{
  g_autoptr(NdrMessage) msg = message ("5.0.0", "mx.example.net");
  add (msg, NDR_SOURCE_DSN_STATUS, "5.0.0", 0, "Status: 5.0.0");
  add (msg, NDR_SOURCE_DSN_DIAGNOSTIC, "5.1.1", 550, "550 5.1.1 <someone@example.com>: User unknown");
  NdrRecipient *r = classify (msg, NULL, NULL);
  g_assert_cmpstr (r->category, ==, "user-unknown");
  g_assert_cmpstr (r->status, ==, "5.1.1");
  g_assert_cmpint (r->reply_code, ==, 550);
  g_assert_cmpstr (r->decided_by, ==, "dsn-diagnostic");
  g_assert_true (listed (r, "5.0.0"));
}

/* Without other evidence, the DSN Status beats what the body says. */
static void
test_authority_status_over_body (void)
{
  g_autoptr(NdrMessage) msg = message ("5.2.2", NULL);
  add (msg, NDR_SOURCE_DSN_STATUS, "5.2.2", 0, "Status: 5.2.2");
  add (msg, NDR_SOURCE_BODY, "5.1.2", 0, "The example code 5.1.2 means a bad domain");
  NdrRecipient *r = classify (msg, NULL, NULL);
  g_assert_cmpstr (r->category, ==, "mailbox-full");
  g_assert_cmpstr (r->decided_by, ==, "dsn-status");
  g_assert_true (listed (r, "5.1.2") || !listed (r, "5.2.2"));
}

/* A vague code (5.7.1) loses to a text that says what happened. */
static void
test_misleading_vague_code (void)
{
  g_autoptr(NdrMessage) msg = message ("5.7.1", NULL);
  add (msg, NDR_SOURCE_DSN_STATUS, "5.7.1", 0, "Status: 5.7.1");
  add (msg, NDR_SOURCE_BODY, NULL, 0,
       "Client host [192.0.2.1] blocked using zen.spamhaus.example; see the list's site");
  NdrRecipient *r = classify (msg, NULL, NULL);
  g_assert_cmpstr (r->category, ==, "blocklist");
  g_assert_cmpstr (r->owner, ==, "sender-admin");
  g_assert_cmpstr (r->status, ==, "5.7.1");
}

/* 4.4.7 over a day of greylisting: the cause wins, the outcome is expired. */
static void
test_expiry_with_cause (void)
{
  g_autoptr(NdrMessage) msg = message ("4.4.7", NULL);
  add (msg, NDR_SOURCE_DSN_STATUS, "4.4.7", 0, "Status: 4.4.7");
  add (msg, NDR_SOURCE_ADMIN_TEXT, "4.7.500", 451,
       "451 4.7.500 Server busy. Please try again later from [192.0.2.7]. (S77714)");
  NdrRecipient *r = classify (msg, NULL, NULL);
  g_assert_cmpstr (r->category, ==, "greylisting");
  g_assert_cmpstr (r->outcome, ==, "expired");
  g_assert_cmpstr (r->status, ==, "4.7.500");
  g_assert_cmpint (r->reply_code, ==, 451);
  g_assert_true (listed (r, "4.4.7"));
  g_assert_cmpstr (r->owner, ==, "none");
}

/* Expired with nothing else known: the category is expired. */
static void
test_expiry_alone (void)
{
  g_autoptr(NdrMessage) msg = message ("4.4.7", NULL);
  add (msg, NDR_SOURCE_DSN_STATUS, "4.4.7", 0, "Status: 4.4.7");
  add (msg, NDR_SOURCE_BODY, NULL, 0, "This message was undeliverable for 5 days, giving up");
  NdrRecipient *r = classify (msg, NULL, NULL);
  g_assert_cmpstr (r->category, ==, "expired");
  g_assert_cmpstr (r->outcome, ==, "expired");
  g_assert_cmpstr (r->sisimai_reason, ==, "expired");
}

/* Exchange's 5.4.300 wraps the last reply after "->": that reply is the cause. */
static void
test_expiry_wrapped_reply (void)
{
  g_autoptr(NdrMessage) msg = message ("5.4.300", NULL);
  add (msg, NDR_SOURCE_ADMIN_TEXT, "5.4.300", 550,
       "550 5.4.300 Message expired -> 421 4.4.2 Connection dropped due to SocketError");
  NdrRecipient *r = classify (msg, NULL, NULL);
  g_assert_cmpstr (r->category, ==, "network-error");
  g_assert_cmpstr (r->outcome, ==, "expired");
  g_assert_cmpstr (r->status, ==, "4.4.2");
  g_assert_cmpint (r->reply_code, ==, 421);
  g_assert_true (listed (r, "5.4.300"));
}

/* "retry timeout exceeded" alone marks expiry by text. */
static void
test_expiry_by_text (void)
{
  g_autoptr(NdrMessage) msg = message (NULL, NULL);
  add (msg, NDR_SOURCE_BODY, NULL, 0, "retry timeout exceeded");
  NdrRecipient *r = classify (msg, NULL, NULL);
  g_assert_cmpstr (r->category, ==, "expired");
  g_assert_cmpstr (r->outcome, ==, "expired");
}

/* A hop table that passes the same host again and again is a loop behind a 5.1.1. */
static void
test_loop_hop_table (void)
{
  g_autoptr(NdrMessage) msg = message ("5.1.1", NULL);
  add (msg, NDR_SOURCE_USER_TEXT, "5.1.1", 550, "550 5.1.1 recipient not found");
  static const char *const froms[] = {
    "mail.example.org", "gw.example.net", "mail.example.org", "gw.example.net",
    "mail.example.org", "gw.example.net",
  };
  for (guint i = 0; i < G_N_ELEMENTS (froms); i++) {
    NdrHop *hop = g_new0 (NdrHop, 1);
    hop->hop = g_strdup_printf ("%u", i + 1);
    hop->from = g_strdup (froms[i]);
    g_ptr_array_add (msg->hops, hop);
  }
  NdrRecipient *r = classify (msg, NULL, NULL);
  g_assert_cmpstr (r->category, ==, "loop");
  g_assert_cmpstr (r->decided_by, ==, "hops");
  g_assert_true (listed (r, "5.1.1"));
}

/* A hop table that names each host once is no loop. */
static void
test_no_loop_short_table (void)
{
  g_autoptr(NdrMessage) msg = message ("5.1.1", NULL);
  add (msg, NDR_SOURCE_USER_TEXT, "5.1.1", 550, "550 5.1.1 recipient not found");
  for (guint i = 0; i < 4; i++) {
    NdrHop *hop = g_new0 (NdrHop, 1);
    hop->from = g_strdup_printf ("host%u.example.net", i);
    g_ptr_array_add (msg->hops, hop);
  }
  NdrRecipient *r = classify (msg, NULL, NULL);
  g_assert_cmpstr (r->category, ==, "user-unknown");
}

/* Ranges and ? patterns of the Exchange table. */
static void
test_status_range (void)
{
  g_autoptr(NdrMessage) msg = message ("5.7.621", NULL);
  add (msg, NDR_SOURCE_ADMIN_TEXT, "5.7.621", 550, "550 5.7.621 Access denied, banned sending IP [192.0.2.9]");
  NdrRecipient *r = classify (msg, NULL, NULL);
  g_assert_cmpstr (r->category, ==, "blocklist");
  g_assert_cmpstr (r->owner, ==, "provider");
  g_autoptr(NdrMessage) msg2 = message ("4.7.612", NULL);
  add (msg2, NDR_SOURCE_DSN_STATUS, "4.7.612", 0, "Status: 4.7.612");
  r = classify (msg2, NULL, NULL);
  g_assert_cmpstr (r->category, ==, "greylisting");
  g_assert_false (r->permanent);
}

/* The same code means different things by its text (5.2.1). */
static void
test_variant_by_text (void)
{
  g_autoptr(NdrMessage) msg = message ("5.2.1", NULL);
  add (msg, NDR_SOURCE_ADMIN_TEXT, "5.2.1", 550,
       "550 5.2.1 The recipient domain does not accept email over IPv6");
  NdrRecipient *r = classify (msg, NULL, NULL);
  g_assert_cmpstr (r->category, ==, "ipv6-rejected");
}

/* Hints and fixes come in the language asked for, English otherwise. */
static void
test_localized_hints (void)
{
  g_autoptr(NdrMessage) msg = message ("5.4.14", NULL);
  add (msg, NDR_SOURCE_ADMIN_TEXT, "5.4.14", 554, "554 5.4.14 Hop count exceeded");
  NdrRecipient *r = classify (msg, NULL, "de_DE.UTF-8");
  g_assert_nonnull (r->hint);
  g_assert_nonnull (r->fix);
  g_assert_nonnull (strstr (r->hint, "Schleife"));
  g_autofree char *de = g_strdup (r->hint);
  r = classify (msg, NULL, "fr");
  g_assert_cmpstr (r->hint, !=, de);
  g_assert_nonnull (strstr (r->hint, "loop"));
  r = classify (msg, NULL, NULL);
  g_assert_nonnull (strstr (r->hint, "loop"));
  g_assert_cmpstr (ndr_classify_lang ("de"), ==, "de");
  g_assert_cmpstr (ndr_classify_lang ("deu"), ==, "en");
  g_assert_cmpstr (ndr_classify_lang (NULL), ==, "en");
}

/* The user's folder replaces a rule by id and a disabled rule no longer decides. */
static void
test_user_override (void)
{
  const char *root = g_getenv ("NDR_SOURCE_ROOT");
  g_autofree char *dir = g_build_filename (root != NULL ? root : ".", "tests", "data", "rules",
                                           "override", NULL);
  const char *dirs[] = { dir, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(NdrRuleSet) rules = ndr_rules_load (dirs, NDR_RULES_NO_SYSTEM, &error);
  g_assert_no_error (error);

  g_autoptr(NdrMessage) msg = message (NULL, NULL);
  add (msg, NDR_SOURCE_BODY, NULL, 0, "someone@example.com: user unknown");
  NdrRecipient *r = classify (msg, NULL, NULL);
  g_assert_cmpstr (r->category, ==, "user-unknown");
  r = classify (msg, rules, "de");
  g_assert_cmpstr (r->category, ==, "policy");
  g_assert_cmpstr (r->rule, ==, "text-user-unknown");
  g_assert_cmpstr (r->hint, ==, "Vom Benutzer überschrieben.");

  g_autoptr(NdrMessage) full = message (NULL, NULL);
  add (full, NDR_SOURCE_BODY, NULL, 0, "the mailbox is full");
  r = classify (full, NULL, NULL);
  g_assert_cmpstr (r->category, ==, "mailbox-full");
  g_assert_cmpstr (r->rule, ==, "text-mailbox-full");
  r = classify (full, rules, NULL);
  g_assert_cmpstr (r->rule, !=, "text-mailbox-full");
}

/* Reports that are not failures. */
static void
test_kinds (void)
{
  static const struct { NdrKind kind; const char *action, *category, *outcome; } cases[] = {
    { NDR_KIND_AUTO_REPLY, NULL, "auto-reply", "delivered" },
    { NDR_KIND_FEEDBACK, NULL, "feedback", "delivered" },
    { NDR_KIND_DELIVERED, "delivered", "delivered", "delivered" },
    { NDR_KIND_BOUNCE, "relayed", "delivered", "delivered" },
    { NDR_KIND_NONE, NULL, "unknown", NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(NdrMessage) msg = message (NULL, NULL);
    msg->kind = cases[i].kind;
    NdrRecipient *rcpt = g_ptr_array_index (msg->recipients, 0);
    g_free (rcpt->action);
    rcpt->action = g_strdup (cases[i].action);
    NdrRecipient *r = classify (msg, NULL, NULL);
    g_assert_cmpstr (r->category, ==, cases[i].category);
    g_assert_cmpstr (r->outcome, ==, cases[i].outcome);
    g_assert_false (r->permanent);
  }
  g_autoptr(NdrMessage) empty = ndr_message_new ("empty");
  ndr_classify_message (builtin, empty, NULL);   /* no recipients: nothing to do, no crash */
  g_assert_cmpuint (empty->recipients->len, ==, 0);
}

/* A delay report is delayed and not permanent, whatever its code. */
static void
test_delayed (void)
{
  g_autoptr(NdrMessage) msg = message ("4.2.2", NULL);
  msg->kind = NDR_KIND_DELAY;
  NdrRecipient *rcpt = g_ptr_array_index (msg->recipients, 0);
  g_free (rcpt->action);
  rcpt->action = g_strdup ("delayed");
  add (msg, NDR_SOURCE_DSN_STATUS, "4.2.2", 0, "Status: 4.2.2");
  NdrRecipient *r = classify (msg, NULL, NULL);
  g_assert_cmpstr (r->category, ==, "mailbox-full");
  g_assert_cmpstr (r->outcome, ==, "delayed");
  g_assert_false (r->permanent);
}

/* Nothing known: unknown, no rule, low confidence. */
static void
test_unknown (void)
{
  g_autoptr(NdrMessage) msg = message (NULL, NULL);
  add (msg, NDR_SOURCE_BODY, NULL, 0, "something odd happened");
  NdrRecipient *r = classify (msg, NULL, NULL);
  g_assert_cmpstr (r->category, ==, "unknown");
  g_assert_null (r->rule);
  g_assert_cmpfloat (r->confidence, <, 0.5);
  g_assert_cmpstr (r->sisimai_reason, ==, "undefined");
}

/* A text made to make a pattern run long is stopped by the match limit, not hung. */
static void
test_hostile_text (void)
{
  g_autoptr(NdrMessage) msg = message ("5.0.0", NULL);
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < NDR_MAX_LINE; i++)
    g_string_append_c (s, i % 7 == 0 ? ' ' : 'a');
  g_string_append (s, "\xff\xfe invalid UTF-8 \xc3");
  add (msg, NDR_SOURCE_BODY, NULL, 0, s->str);
  g_string_free (s, TRUE);
  NdrRecipient *r = classify (msg, NULL, NULL);
  g_assert_nonnull (r->category);
}

/* ndr parse --format sisimai: one line per recipient with sisimai's names and reasons. */
static void
test_sisimai_output (void)
{
  g_autoptr(NdrMessage) msg = message ("5.1.1", "mx.example.net");
  msg->original.from = g_strdup ("Sender <sender@example.org>");
  msg->date = g_strdup ("Sun, 29 Nov 2026 07:00:00 +0100");
  add (msg, NDR_SOURCE_DSN_DIAGNOSTIC, "5.1.1", 550, "550 5.1.1 <someone@example.com>: User unknown");
  NdrLimits limits;
  ndr_limits_init (&limits);
  NdrRecipient *second = ndr_message_add_recipient (msg, "other@example.com", &limits);
  second->action = g_strdup ("failed");
  g_ptr_array_add (second->evidence, ndr_evidence_new (NDR_SOURCE_BODY, NULL, 0,
                                                       "the mailbox is full \x01 \"quoted\""));
  ndr_classify_message (builtin, msg, NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  ndr_sisimai_append_message (out, msg);
  g_auto(GStrv) lines = g_strsplit (out->str, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);       /* two lines and the empty rest */
  g_assert_cmpstr (lines[2], ==, "");
  g_assert_nonnull (strstr (lines[0], "\"recipient\":\"someone@example.com\""));
  g_assert_nonnull (strstr (lines[0], "\"reason\":\"userunknown\""));
  g_assert_nonnull (strstr (lines[0], "\"deliverystatus\":\"5.1.1\""));
  g_assert_nonnull (strstr (lines[0], "\"replycode\":\"550\""));
  g_assert_nonnull (strstr (lines[0], "\"hardbounce\":true"));
  g_assert_nonnull (strstr (lines[0], "\"addresser\":\"sender@example.org\""));
  g_assert_nonnull (strstr (lines[0], "\"senderdomain\":\"example.org\""));
  g_assert_nonnull (strstr (lines[0], "\"rhost\":\"mx.example.net\""));
  g_assert_nonnull (strstr (lines[0], "\"timestamp\":1795932000"));
  g_assert_nonnull (strstr (lines[0], "\"timezoneoffset\":\"+0100\""));
  g_assert_nonnull (strstr (lines[1], "\"reason\":\"mailboxfull\""));
  g_assert_nonnull (strstr (lines[1], "\"deliverystatus\":\"5.0.922\""));  /* made up, as sisimai */
  g_assert_nonnull (strstr (lines[1], "\"hardbounce\":false"));
  g_assert_null (strchr (lines[1], '\x01'));
}

/* The sisimai view: a message that expired keeps its known cause ("blocked" for greylisting),
 * as sisimai reports a queue's last error; only an unreachable host makes it "expired". */
static void
test_sisimai_view (void)
{
  g_autoptr(NdrMessage) msg = message ("4.4.7", NULL);
  add (msg, NDR_SOURCE_DSN_STATUS, "4.4.7", 0, "Status: 4.4.7");
  add (msg, NDR_SOURCE_ADMIN_TEXT, "4.7.500", 451, "451 4.7.500 Server busy. Please try again later");
  NdrRecipient *r = classify (msg, NULL, NULL);
  NdrSisimaiView v;
  ndr_sisimai_view (msg, r, &v);
  g_assert_cmpstr (r->sisimai_reason, ==, "blocked");
  g_assert_cmpstr (r->outcome, ==, "expired");
  g_assert_cmpstr (v.reason, ==, "blocked");
  g_assert_cmpstr (v.status, ==, "4.7.500");
  g_assert_false (v.hardbounce);

  g_autoptr(NdrMessage) gone = message (NULL, NULL);   /* gave up on an unreachable host */
  add (gone, NDR_SOURCE_BODY, NULL, 0,
       "connect to mx.example.net[192.0.2.1]:25: Connection timed out");
  r = classify (gone, NULL, NULL);
  ndr_sisimai_view (gone, r, &v);
  g_assert_cmpstr (r->category, ==, "network-error");
  g_assert_cmpstr (r->outcome, ==, "expired");
  g_assert_cmpstr (v.reason, ==, "expired");
  g_assert_cmpstr (v.status, ==, "5.0.947");
}

/* The prefilter skips only patterns that cannot match: each shape still matches, caseless. */
static void
test_prefilter_shapes (void)
{
  const char *root = g_getenv ("NDR_SOURCE_ROOT");
  g_autofree char *dir = g_build_filename (root != NULL ? root : ".", "tests", "data", "rules",
                                           "prefilter", NULL);
  const char *dirs[] = { dir, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(NdrRuleSet) rules = ndr_rules_load (dirs, NDR_RULES_NO_SYSTEM, &error);
  g_assert_no_error (error);
  static const struct { const char *text, *rule; } cases[] = {
    { "the GIZMO quota is used up", "fixture-group-first" },
    { "550 Frobnicated Quota", "fixture-group-first" },
    { "host is QUXIFIED now", "fixture-optional-char" },
    { "host is quuxified now", "fixture-optional-char" },
    { "see zorp.example for more", "fixture-optional-char" },
    { "yyzzy blocked you", "fixture-class-first" },
    { "gizmo quot", NULL },
    { "zorpXexample", NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(NdrMessage) msg = message (NULL, NULL);
    add (msg, NDR_SOURCE_BODY, NULL, 0, cases[i].text);
    NdrRecipient *r = classify (msg, rules, NULL);
    if (cases[i].rule != NULL)
      g_assert_cmpstr (r->rule, ==, cases[i].rule);
    else
      g_assert_true (r->rule == NULL || !g_str_has_prefix (r->rule, "fixture-"));
  }
}

/* The trace names every candidate, the one chosen and the expiry, as `ndr rules test` shows. */
static void
test_trace (void)
{
  g_autoptr(NdrMessage) msg = message ("4.4.7", NULL);
  add (msg, NDR_SOURCE_DSN_STATUS, "4.4.7", 0, "Status: 4.4.7");
  add (msg, NDR_SOURCE_ADMIN_TEXT, "4.7.500", 451, "451 4.7.500 Server busy. Please try again later");
  NdrRecipient *rcpt = g_ptr_array_index (msg->recipients, 0);
  g_autoptr(GPtrArray) trace = ndr_classify_trace (builtin, msg, rcpt);
  g_assert_cmpuint (trace->len, ==, 2);
  const NdrTraceItem *status = g_ptr_array_index (trace, 0), *admin = g_ptr_array_index (trace, 1);
  g_assert_true (status->expiry);
  g_assert_false (status->chosen);
  g_assert_cmpstr (status->weight, ==, "expiry");
  g_assert_true (admin->chosen);
  g_assert_cmpstr (admin->category, ==, "greylisting");
  g_assert_cmpint (admin->rank, <, status->rank);
  g_assert_cmpstr (rcpt->status, ==, "4.4.7");                 /* the trace changes nothing */
  g_assert_null (rcpt->category);
}

/* What a server writes, with or without a code, and the category and rule it must get. */
static const struct {
  const char *status, *text, *category, *rule;
} phrasings[] = {
  { "5.1.1", "550 5.1.1 <a@example.net>: Recipient address rejected: User unknown",
    "user-unknown", "status-5-1-1-user-unknown" },
  { NULL, "The recipient name is not recognized", "user-unknown", "text-user-unknown" },
  { NULL, "Your message wasn't delivered because the address couldn't be found.",
    "user-unknown", "text-user-unknown" },
  { NULL, "User a (a@example.net) not listed in Domino Directory", "user-unknown",
    "text-user-unknown" },
  { NULL, "550 5.1.1 Utilisateur inconnu", "user-unknown", NULL },
  { NULL, "550 Destinatario inexistente", "user-unknown", "es-user-unknown" },
  { NULL, "550 Utente sconosciuto", "user-unknown", "it-user-unknown" },
  { NULL, "550 Gebruiker onbekend", "user-unknown", "nl-user-unknown" },
  { NULL, "550 Usuário desconhecido", "user-unknown", "pt-user-unknown" },
  { NULL, "550 Nieznany użytkownik", "user-unknown", "pl-user-unknown" },
  { NULL, "550 宛先不明のため配送できませんでした", "user-unknown", "ja-user-unknown" },
  { NULL, "La boîte aux lettres est pleine", "mailbox-full", "fr-mailbox-full" },
  { NULL, "El buzón está lleno", "mailbox-full", "es-mailbox-full" },
  { NULL, "La casella di posta è piena", "mailbox-full", "it-mailbox-full" },
  { NULL, "Mailbox is vol", "mailbox-full", NULL },
  { NULL, "A caixa postal está cheia", "mailbox-full", "pt-mailbox-full" },
  { NULL, "Skrzynka odbiorcy jest pełna", "mailbox-full", "pl-mailbox-full" },
  { NULL, "メールボックスがいっぱいです", "mailbox-full", "ja-mailbox-full" },
  { NULL, "The user's mailfolder is full.", "mailbox-full", "text-mailbox-full" },
  { NULL, "Le message est trop volumineux", "too-large", "fr-too-large" },
  { NULL, "El mensaje es demasiado grande", "too-large", "es-too-large" },
  { NULL, "Il messaggio è troppo grande", "too-large", "it-too-large" },
  { NULL, "Bericht is te groot", "too-large", "nl-too-large" },
  { NULL, "A mensagem é muito grande", "too-large", "pt-too-large" },
  { NULL, "Wiadomość jest za duża", "too-large", "pl-too-large" },
  { NULL, "メッセージのサイズが大きすぎます", "too-large", "ja-too-large" },
  { NULL, "500 Remote server does not support TLS (state 6).", "tls-error", NULL },
  { NULL, "553 mail.example.net does not exist", "host-unknown", "text-host-unknown" },
  { "5.1.7", "SMTP error from remote mail server after MAIL FROM:<s@example.org>: 550 5.1.7 "
    "No such domain example.org", "sender-blocked", "text-sender-domain-after-mail-from" },
  { NULL, "Name service error for name=example.net type=MX: Malformed or unexpected name "
    "server reply", "network-error", "text-network-error" },
  { NULL, "Your email to group g@example.net was rejected due to spam classification. "
    "Set up SPF records", "spam", "text-spam-verdict" },
  { NULL, "554 Mail from s@example.org rejected for policy reasons.", "policy",
    "text-policy-reasons" },
  { NULL, "You may not have permission to post messages to the group.", "policy",
    "text-policy" },
  { NULL, "Envelope expired", "expired", "expired-text" },
  { "5.2.0", "550 5.2.0 Mail rejete. Mail rejected. ofr_506 [506]", "spam",
    "orange-ofr-506-spam" },
  { NULL, "sender rejected. See https://www.example.net/residential/support AUP#CDRBL",
    "blocklist", "text-blocklist" },
};

/* A refusal for want of recipients is a consequence: the earlier refusal decides. */
static void
test_no_recipient_left (void)
{
  g_autoptr(NdrMessage) msg = message ("5.5.1", NULL);
  add (msg, NDR_SOURCE_ADMIN_TEXT, "5.5.1", 503, "503-5.5.1 RCPT first. A mail transaction "
       "protocol command was issued out of sequence.");
  add (msg, NDR_SOURCE_ADMIN_TEXT, "5.2.1", 550, "550-5.2.1 The email account that you tried "
       "to reach is disabled.");
  NdrRecipient *r = classify (msg, NULL, NULL);
  g_assert_cmpstr (r->category, ==, "mailbox-disabled");
  g_assert_cmpstr (r->status, ==, "5.2.1");
  g_assert_true (listed (r, "5.5.1"));

  g_autoptr(NdrMessage) moved = message (NULL, NULL);     /* 551: user not local */
  add (moved, NDR_SOURCE_ADMIN_TEXT, NULL, 551, "551 not our customer");
  r = classify (moved, NULL, NULL);
  g_assert_cmpstr (r->category, ==, "has-moved");
  g_assert_cmpstr (r->rule, ==, "reply-551-not-local");
}

/* Each phrasing gets its category (and, where given, the rule named after what it matches). */
static void
test_phrasings (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (phrasings); i++) {
    g_autoptr(NdrMessage) msg = message (phrasings[i].status, NULL);
    add (msg, NDR_SOURCE_BODY, phrasings[i].status, 0, phrasings[i].text);
    NdrRecipient *r = classify (msg, NULL, NULL);
    g_test_message ("%s", phrasings[i].text);
    g_assert_cmpstr (r->category, ==, phrasings[i].category);
    if (phrasings[i].rule != NULL)
      g_assert_cmpstr (r->rule, ==, phrasings[i].rule);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autoptr(GError) error = NULL;
  builtin = ndr_rules_load (NULL, NDR_RULES_NO_SYSTEM, &error);
  g_assert_no_error (error);
  g_test_add_func ("/classify/authority/admin-over-user", test_authority_admin_over_user);
  g_test_add_func ("/classify/authority/remote-diagnostic", test_authority_remote_diagnostic);
  g_test_add_func ("/classify/authority/status-over-body", test_authority_status_over_body);
  g_test_add_func ("/classify/misleading/vague-code", test_misleading_vague_code);
  g_test_add_func ("/classify/expiry/with-cause", test_expiry_with_cause);
  g_test_add_func ("/classify/expiry/alone", test_expiry_alone);
  g_test_add_func ("/classify/expiry/wrapped-reply", test_expiry_wrapped_reply);
  g_test_add_func ("/classify/expiry/by-text", test_expiry_by_text);
  g_test_add_func ("/classify/loop/hop-table", test_loop_hop_table);
  g_test_add_func ("/classify/loop/no-loop", test_no_loop_short_table);
  g_test_add_func ("/classify/status/range", test_status_range);
  g_test_add_func ("/classify/status/variant-by-text", test_variant_by_text);
  g_test_add_func ("/classify/hints/localized", test_localized_hints);
  g_test_add_func ("/classify/rules/user-override", test_user_override);
  g_test_add_func ("/classify/kinds", test_kinds);
  g_test_add_func ("/classify/delayed", test_delayed);
  g_test_add_func ("/classify/unknown", test_unknown);
  g_test_add_func ("/classify/hostile-text", test_hostile_text);
  g_test_add_func ("/classify/trace", test_trace);
  g_test_add_func ("/classify/sisimai/output", test_sisimai_output);
  g_test_add_func ("/classify/sisimai/view", test_sisimai_view);
  g_test_add_func ("/classify/prefilter/shapes", test_prefilter_shapes);
  g_test_add_func ("/classify/phrasings", test_phrasings);
  g_test_add_func ("/classify/misleading/no-recipient-left", test_no_recipient_left);
  int rc = g_test_run ();
  ndr_rules_free (builtin);
  return rc;
}
