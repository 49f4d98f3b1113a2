/*
 * NAME
 *   fuzz_common.c - set-up and record checks shared by the fuzz targets
 * DESCRIPTION
 *   See fuzz.h. ndr_fuzz_check() is the oracle beyond the sanitizers: every string of a
 *   record is valid UTF-8 and no list is longer than its limit.
 * TRUST
 *   The records checked come from hostile input.
 */
#include "fuzz.h"

#include <stdlib.h>

/**
 * ndr_fuzz_init:
 *
 * Initialises the parser once and makes GLib criticals and warnings abort.
 */
void
ndr_fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_LEVEL_ERROR);
  ndr_parser_init ();
}

/**
 * ndr_fuzz_tight_limits:
 * @limits: (out): the limits to fill
 *
 * Limits small enough that inputs of a few KiB hit each of them.
 */
void
ndr_fuzz_tight_limits (NdrLimits *limits)
{
  ndr_limits_init (limits);
  limits->max_message_size = 8192;
  limits->max_mime_depth = 4;
  limits->max_recipients = 8;
  limits->max_line = 80;
  limits->max_header = 1024;
  limits->max_parts = 16;
  limits->max_text = 2048;
  limits->max_evidence = 8;
  limits->max_html_depth = 8;
}

/* utf8 - abort unless s is NULL or valid UTF-8 */
static void
utf8 (const char *what, const char *s)
{
  if (s != NULL && !g_utf8_validate (s, -1, NULL)) {
    g_printerr ("fuzz: %s is not valid UTF-8: \"%.40s\"\n", what, s);
    abort ();
  }
}

/* check_evidence - every item of an evidence list */
static void
check_evidence (const GPtrArray *list, const NdrLimits *limits)
{
  if (list == NULL)
    return;
  for (guint i = 0; i < list->len; i++) {
    const NdrEvidence *ev = g_ptr_array_index (list, i);
    utf8 ("evidence status", ev->status);
    utf8 ("evidence text", ev->text);
    if (ev->source >= NDR_SOURCE_COUNT)
      abort ();
  }
}

/* check_recipient - the parser's and classify's fields of one recipient */
static void
check_recipient (const NdrRecipient *r, const NdrLimits *limits)
{
  const char *fields[] = { r->address, r->original_recipient, r->display_name, r->action,
                           r->status, r->remote_mta, r->diagnostic, r->last_attempt_date,
                           r->will_retry_until, r->category, r->outcome, r->owner, r->rule,
                           r->hint, r->fix, r->sisimai_reason, r->decided_by };
  static const char *const names[] = { "address", "original_recipient", "display_name",
                                       "action", "status", "remote_mta", "diagnostic",
                                       "last_attempt_date", "will_retry_until", "category",
                                       "outcome", "owner", "rule", "hint", "fix",
                                       "sisimai_reason", "decided_by" };
  G_STATIC_ASSERT (G_N_ELEMENTS (fields) == G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    utf8 (names[i], fields[i]);
  for (guint i = 0; r->misleading != NULL && i < r->misleading->len; i++)
    utf8 ("misleading", g_ptr_array_index (r->misleading, i));
  if (r->evidence != NULL && r->evidence->len > limits->max_evidence) {
    g_printerr ("fuzz: %u evidence items, over max_evidence %u\n", r->evidence->len,
                limits->max_evidence);
    abort ();
  }
  check_evidence (r->evidence, limits);
}

/**
 * ndr_fuzz_check:
 * @msg: a record from ndr_parse_bytes()
 * @limits: the limits it was parsed under
 *
 * Aborts when @msg breaks a promise of parser.h.
 */
void
ndr_fuzz_check (const NdrMessage *msg, const NdrLimits *limits)
{
  if (msg == NULL)
    abort ();                                       /* "never NULL, whatever the bytes" */
  const char *fields[] = { msg->source, msg->error, msg->mta, msg->lang, msg->reporting_mta,
                           msg->date, msg->subject, msg->from, msg->user_text, msg->admin_text,
                           msg->original_headers, msg->original.message_id, msg->original.from,
                           msg->original.to, msg->original.subject, msg->original.date };
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    utf8 ("message field", fields[i]);
  if (msg->kind > NDR_KIND_FEEDBACK)
    abort ();
  for (guint i = 0; msg->hops != NULL && i < msg->hops->len; i++) {
    const NdrHop *h = g_ptr_array_index (msg->hops, i);
    const char *hf[] = { h->hop, h->time, h->from, h->to, h->with, h->relay_time };
    for (guint j = 0; j < G_N_ELEMENTS (hf); j++)
      utf8 ("hop field", hf[j]);
  }
  if (msg->recipients != NULL && msg->recipients->len > limits->max_recipients) {
    g_printerr ("fuzz: %u recipients, over max_recipients %u\n", msg->recipients->len,
                limits->max_recipients);
    abort ();
  }
  for (guint i = 0; msg->recipients != NULL && i < msg->recipients->len; i++)
    check_recipient (g_ptr_array_index (msg->recipients, i), limits);
  check_evidence (msg->evidence, limits);
}
