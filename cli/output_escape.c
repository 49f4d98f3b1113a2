/*
 * NAME
 *   output_escape.c - a stranger's text made safe for HTML, CSV and JSON
 * DESCRIPTION
 *   Each function first cleans the text as ndr_printable() does (escape sequences removed,
 *   controls shown as '?', invalid UTF-8 as U+FFFD, one line, at most ESCAPE_MAX bytes), then:
 *
 *   ndr_escape_html() writes & < > " ' as entities, so the text can go in an element or a
 *   quoted attribute. ndr_escape_csv() writes one RFC 4180 cell, always quoted, and puts a
 *   "'" before a cell that starts with = + - @ so that no spreadsheet takes it for a formula.
 *   ndr_escape_json() writes a JSON string with its quotes; the result is valid UTF-8.
 * TRUST
 *   None: any byte may appear in text.
 */
#include "output.h"
#include "output_report.h"

#include <string.h>

#define ESCAPE_MAX 4096   /* bytes of one cleaned string; "..." marks a cut */

/**
 * ndr_escape_clean:
 * @text: (nullable): untrusted text
 * @max: the most bytes kept, 0 for ESCAPE_MAX
 *
 * Returns: (transfer full): one line of valid UTF-8 with no control character; "" for NULL.
 */
char *
ndr_escape_clean (const char *text, gsize max)
{
  return ndr_printable (text, -1, max > 0 ? max : ESCAPE_MAX, NDR_PRINTABLE_ONE_LINE);
}

/**
 * ndr_escape_html:
 * @out: where the text goes
 * @text: (nullable): untrusted text
 *
 * Appends @text cleaned and escaped for HTML content and quoted attributes.
 */
void
ndr_escape_html (GString *out, const char *text)
{
  g_autofree char *clean = ndr_escape_clean (text, 0);
  for (const char *p = clean; *p != '\0'; p++) {
    switch (*p) {
    case '&': g_string_append (out, "&amp;"); break;
    case '<': g_string_append (out, "&lt;"); break;
    case '>': g_string_append (out, "&gt;"); break;
    case '"': g_string_append (out, "&quot;"); break;
    case '\'': g_string_append (out, "&#39;"); break;
    default: g_string_append_c (out, *p);
    }
  }
}

/**
 * ndr_escape_csv:
 * @out: where the cell goes
 * @text: (nullable): untrusted text
 *
 * Appends one quoted CSV cell; a leading = + - @ gets a "'" before it.
 */
void
ndr_escape_csv (GString *out, const char *text)
{
  g_autofree char *clean = ndr_escape_clean (text, 0);
  g_string_append_c (out, '"');
  if (strchr ("=+-@", clean[0]) != NULL && clean[0] != '\0')
    g_string_append_c (out, '\'');
  for (const char *p = clean; *p != '\0'; p++) {
    if (*p == '"')
      g_string_append_c (out, '"');
    g_string_append_c (out, *p);
  }
  g_string_append_c (out, '"');
}

/**
 * ndr_escape_json:
 * @out: where the string goes
 * @text: (nullable): untrusted text; NULL gives null
 *
 * Appends a JSON string (with its quotes) of the cleaned text, or null.
 */
void
ndr_escape_json (GString *out, const char *text)
{
  if (text == NULL) {
    g_string_append (out, "null");
    return;
  }
  g_autofree char *clean = ndr_escape_clean (text, 0);
  g_string_append_c (out, '"');
  for (const char *p = clean; *p != '\0'; p++) {
    guchar c = (guchar) *p;
    if (c == '"' || c == '\\') {
      g_string_append_c (out, '\\');
      g_string_append_c (out, (char) c);
    } else if (c < 0x20) {
      g_string_append_printf (out, "\\u%04x", c);
    } else {
      g_string_append_c (out, (char) c);
    }
  }
  g_string_append_c (out, '"');
}
