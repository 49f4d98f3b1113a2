/*
 * NAME
 *   fuzz_parse.c - libFuzzer target: one message's bytes through ndr_parse_bytes()
 * DESCRIPTION
 *   Each input is parsed twice: under the default limits, and under ndr_fuzz_tight_limits()
 *   so that small inputs reach every cut (depth, parts, lines, headers, recipients). Each
 *   record is checked with ndr_fuzz_check(). Seeds: corpus/ (*.eml).
 * TRUST
 *   The input is hostile by design.
 */
#include "fuzz.h"

/* LLVMFuzzerInitialize - once per process */
int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  ndr_fuzz_init ();
  return 0;
}

/* LLVMFuzzerTestOneInput - one input, both sets of limits */
int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  NdrLimits limits;
  ndr_limits_init (&limits);
  g_autoptr(NdrMessage) msg = ndr_parse_bytes ((const char *) data, size, "fuzz", &limits);
  ndr_fuzz_check (msg, &limits);
  NdrLimits tight;
  ndr_fuzz_tight_limits (&tight);
  g_autoptr(NdrMessage) cut = ndr_parse_bytes ((const char *) data, size, "fuzz", &tight);
  ndr_fuzz_check (cut, &tight);
  return 0;
}
