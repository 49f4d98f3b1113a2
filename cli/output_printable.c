/*
 * NAME
 *   output_printable.c - make untrusted text safe to show on a terminal
 * DESCRIPTION
 *   ndr_printable() returns a copy of text that a terminal shows as text and nothing else:
 *   escape sequences (ESC [ ... CSI, ESC ] ... OSC, DCS, SOS, PM, APC, two-byte ESC X, and
 *   their one-character C1 forms) are removed whole; any other C0 control, DEL, C1 control
 *   and bidirectional override becomes '?'; invalid UTF-8 becomes U+FFFD. Line ends and
 *   tabs become spaces unless NDR_PRINTABLE_MULTILINE keeps line feeds. The result is cut
 *   at max bytes on a character boundary, and "..." marks the cut.
 * TRUST
 *   None: any byte may appear; the input length is bounded by the caller's len and max.
 */
#include "output.h"

#include <string.h>

#define ESC    0x1b
#define BEL    0x07
#define C1_DCS 0x90   /* device control string */
#define C1_SOS 0x98   /* start of string */
#define C1_CSI 0x9b   /* control sequence introducer */
#define C1_ST  0x9c   /* string terminator */
#define C1_OSC 0x9d   /* operating system command */
#define C1_PM  0x9e   /* privacy message */
#define C1_APC 0x9f   /* application program command */

/* is_string_intro - does c (after ESC, or as C1) open a string ended by ST or BEL? */
static gboolean
is_string_intro (gunichar c)
{
  return c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_'
         || c == C1_OSC || c == C1_DCS || c == C1_SOS || c == C1_PM || c == C1_APC;
}

/* skip_csi - return the end of a control sequence whose parameters start at p */
static const char *
skip_csi (const char *p, const char *end)
{
  while (p < end && (guchar) *p >= 0x20 && (guchar) *p <= 0x3f)   /* parameters, intermediates */
    p++;
  if (p < end && (guchar) *p >= 0x40 && (guchar) *p <= 0x7e)     /* the final byte */
    p++;
  return p;
}

/* skip_string - return the end of a control string starting at p: BEL, ESC \ or C1 ST */
static const char *
skip_string (const char *p, const char *end)
{
  while (p < end) {
    guchar c = (guchar) *p;
    if (c == BEL)
      return p + 1;
    if (c == ESC && p + 1 < end && p[1] == '\\')
      return p + 2;
    if (c == 0xc2 && p + 1 < end && (guchar) p[1] == C1_ST)
      return p + 2;
    p++;
  }
  return end;
}

/* skip_escape - p points after ESC; return the end of the escape sequence */
static const char *
skip_escape (const char *p, const char *end)
{
  if (p >= end)
    return p;
  if (*p == '[')
    return skip_csi (p + 1, end);
  if (is_string_intro ((guchar) *p))
    return skip_string (p + 1, end);
  while (p < end && (guchar) *p >= 0x20 && (guchar) *p <= 0x2f)   /* intermediates */
    p++;
  if (p < end && (guchar) *p >= 0x30 && (guchar) *p <= 0x7e)     /* the final byte */
    p++;
  return p;
}

/* is_unsafe - a character shown as '?': controls, DEL, C1, bidi overrides and isolates */
static gboolean
is_unsafe (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f)
         || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* put_char - append one character unless that would pass max; FALSE when it would */
static gboolean
put_char (GString *out, const char *bytes, gsize n, gsize max)
{
  if (out->len + n > max)
    return FALSE;
  g_string_append_len (out, bytes, (gssize) n);
  return TRUE;
}

/* one_char - append the printable form of c (whose bytes are [p, p+n)); FALSE when full */
static gboolean
one_char (GString *out, gunichar c, const char *p, gsize n, gsize max, NdrPrintableFlags flags)
{
  if (c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029)
    return put_char (out, (flags & NDR_PRINTABLE_MULTILINE) ? "\n" : " ", 1, max);
  if (c == '\t')
    return put_char (out, " ", 1, max);
  if (is_unsafe (c))
    return put_char (out, "?", 1, max);
  return put_char (out, p, n, max);
}

/**
 * ndr_printable:
 * @text: (nullable): untrusted text, any bytes
 * @len: its length, or -1 when NUL-terminated
 * @max: the most bytes to return, not counting the "..." added after a cut
 * @flags: NDR_PRINTABLE_MULTILINE to keep line feeds
 *
 * Cleans text for a terminal, as the file's header says. A CRLF pair gives one line end.
 *
 * Returns: (transfer full): valid UTF-8 with no control character other than line feeds
 * (when asked for); "" for NULL.
 */
char *
ndr_printable (const char *text, gssize len, gsize max, NdrPrintableFlags flags)
{
  if (text == NULL)
    return g_strdup ("");
  const char *p = text;
  const char *end = text + (len < 0 ? strlen (text) : (gsize) len);
  GString *out = g_string_sized_new (MIN ((gsize) (end - p), max) + 4);
  while (p < end) {
    gunichar c = g_utf8_get_char_validated (p, end - p);
    gsize n = (c == (gunichar) -1 || c == (gunichar) -2) ? 1 : (gsize) g_utf8_skip[(guchar) *p];
    gboolean ok;
    if (c == ESC)
      p = skip_escape (p + 1, end);
    else if (c == C1_CSI)
      p = skip_csi (p + n, end);
    else if (is_string_intro (c) && c >= 0x80)
      p = skip_string (p + n, end);
    else {
      if (c == '\r' && p + 1 < end && p[1] == '\n')
        n = 2;                                             /* CRLF: one line end */
      if (c == (gunichar) -1 || c == (gunichar) -2)
        ok = put_char (out, "\xef\xbf\xbd", 3, max);       /* U+FFFD for a bad byte */
      else
        ok = one_char (out, c, p, n, max, flags);
      if (!ok) {
        g_string_append (out, "...");
        break;
      }
      p += n;
    }
  }
  return g_string_free (out, FALSE);
}
