/*
 * NAME
 *   fuzz_classify.c - libFuzzer target: the whole path, parse then classify
 * DESCRIPTION
 *   The built-in rules are loaded once. Each input is parsed with ndr_parse_bytes(), traced
 *   with ndr_classify_trace() (what `ndr explain` shows), classified with
 *   ndr_classify_message() (in German when the input's size is odd, else in English) and
 *   viewed in sisimai's terms with ndr_sisimai_view(), as `ndr parse` does for every message. The record is checked with ndr_fuzz_check().
 *   Seeds: corpus/ (*.eml).
 * TRUST
 *   The input is hostile by design.
 */
#include "fuzz.h"

#include <stdlib.h>

#include "classify.h"

static NdrRuleSet *rules;   /* the built-in rules, for the whole run */

/* LLVMFuzzerInitialize - once per process: GMime and the rules */
int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  ndr_fuzz_init ();
  g_autoptr(GError) error = NULL;
  rules = ndr_rules_load (NULL, NDR_RULES_NO_SYSTEM, &error);
  if (rules == NULL) {
    g_printerr ("fuzz_classify: built-in rules: %s\n", error->message);
    abort ();
  }
  return 0;
}

/* classify - trace, classify and view every recipient of msg in one language */
static void
classify (NdrMessage *msg, const char *lang)
{
  for (guint i = 0; i < msg->recipients->len; i++) {
    GPtrArray *trace = ndr_classify_trace (rules, msg, g_ptr_array_index (msg->recipients, i));
    g_ptr_array_unref (trace);
  }
  ndr_classify_message (rules, msg, lang);
  for (guint i = 0; i < msg->recipients->len; i++) {
    NdrSisimaiView view;
    ndr_sisimai_view (msg, g_ptr_array_index (msg->recipients, i), &view);
    if (!g_utf8_validate (view.status, -1, NULL))
      abort ();
  }
}

/* LLVMFuzzerTestOneInput - one message, parsed and classified (odd sizes in German) */
int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(NdrMessage) msg = ndr_parse_bytes ((const char *) data, size, "fuzz", &limits);
  classify (msg, size % 2 == 1 ? "de" : "en");
  ndr_fuzz_check (msg, &limits);
  return 0;
}
