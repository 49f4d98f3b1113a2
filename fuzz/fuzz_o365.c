/*
 * NAME
 *   fuzz_o365.c - libFuzzer target: Office 365 section splitting, text and HTML
 * DESCRIPTION
 *   The input is split at its first NUL byte: the bytes before it are the report's text part,
 *   the bytes after it its HTML part (through ndr_html_to_text()). Without a NUL, the whole
 *   input is both, so the .eml seeds of corpus/ work as they are. The text is made valid UTF-8
 *   first, as ndr_mime_collect() promises its callers. Then the o365 format detects and
 *   extracts on a synthetic NdrParts (no GMime message), under the default limits and under
 *   tight ones, and the record is checked with ndr_fuzz_check().
 * TRUST
 *   The input is hostile by design.
 */
#include "fuzz.h"

#include <string.h>

#include "parser_priv.h"

/* LLVMFuzzerInitialize - once per process */
int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  ndr_fuzz_init ();
  return 0;
}

/* split - run the o365 format on the text and the HTML of one input under limits */
static void
split (const char *data, size_t size, const NdrLimits *limits)
{
  const char *nul = memchr (data, '\0', size);
  gsize text_len = nul != NULL ? (gsize) (nul - data) : size;
  const char *html = nul != NULL ? nul + 1 : data;
  gsize html_len = nul != NULL ? size - text_len - 1 : size;
  NdrParts parts = { 0 };
  parts.text = ndr_text_clean_utf8 (data, (gssize) text_len, limits->max_text);
  parts.html_text = ndr_html_to_text (html, html_len, limits);
  if (parts.html_text != NULL && !g_utf8_validate (parts.html_text, -1, NULL))
    g_error ("ndr_html_to_text() returned invalid UTF-8");
  g_autoptr(NdrMessage) msg = ndr_message_new ("fuzz");
  if (ndr_format_o365.detect (msg, &parts)) {      /* extract only runs after detect */
    ndr_format_o365.extract (msg, &parts, limits);
    ndr_fuzz_check (msg, limits);
  }
  ndr_parts_clear (&parts);
}

/* LLVMFuzzerTestOneInput - one input, both sets of limits */
int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  NdrLimits limits;
  ndr_limits_init (&limits);
  split ((const char *) data, size, &limits);
  NdrLimits tight;
  ndr_fuzz_tight_limits (&tight);
  split ((const char *) data, size, &tight);
  return 0;
}
