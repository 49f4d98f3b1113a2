/*
 * NAME
 *   ndr_text.c - small string helpers for untrusted text
 * DESCRIPTION
 *   Line iteration over any line ending, trimming and cutting, forcing valid UTF-8, and
 *   taking the bare address out of "<a@b>" or "rfc822; a@b".
 * TRUST
 *   None: any byte may appear, lengths come from the caller and are respected.
 */
#include "parser_priv.h"

#include <string.h>

/**
 * ndr_text_next_line:
 * @cursor: (inout): where to read; moved past the line and its ending
 * @line: (out): the start of the line
 * @len: (out): its length without the line ending
 *
 * Accepts LF, CRLF and lone CR endings. The text must be NUL-terminated.
 *
 * Returns: FALSE at the end of the text.
 */
gboolean
ndr_text_next_line (const char **cursor, const char **line, gsize *len)
{
  const char *p = *cursor;
  if (p == NULL || *p == '\0')
    return FALSE;
  const char *e = p + strcspn (p, "\r\n");
  *line = p;
  *len = (gsize) (e - p);
  if (*e == '\r')
    e++;
  if (*e == '\n')
    e++;
  *cursor = e;
  return TRUE;
}

/**
 * ndr_text_clean_utf8:
 * @s: bytes in any state
 * @len: their length, or -1 if NUL-terminated
 * @max: the most bytes to keep
 *
 * Returns: (transfer full): valid UTF-8 of at most @max bytes (invalid sequences become
 * U+FFFD, NUL bytes are dropped), never cut inside a character.
 */
char *
ndr_text_clean_utf8 (const char *s, gssize len, gsize max)
{
  if (s == NULL)
    return NULL;
  gsize n = len < 0 ? strlen (s) : (gsize) len;
  g_autofree char *valid = NULL;
  const char *v = s;
  gsize vlen = n;
  if (!g_utf8_validate_len (s, n, NULL)) {        /* the common case needs no copy here */
    valid = g_utf8_make_valid (s, (gssize) n);
    v = valid;
    vlen = strlen (valid);              /* g_utf8_make_valid stops at a NUL: fine, dropped */
  }
  if (vlen > max) {
    const char *cut = v + max;
    while (cut > v && ((guchar) *cut & 0xC0) == 0x80)
      cut--;
    vlen = (gsize) (cut - v);
  }
  return g_strndup (v, vlen);
}

/**
 * ndr_text_trim_dup:
 * @s: text
 * @len: its length
 * @max: the most bytes to keep
 *
 * Returns: (transfer full) (nullable): the text without surrounding white space, as valid
 * UTF-8 cut at @max bytes; NULL if nothing is left.
 */
char *
ndr_text_trim_dup (const char *s, gsize len, gsize max)
{
  if (s == NULL)
    return NULL;
  while (len > 0 && g_ascii_isspace (*s)) {
    s++;
    len--;
  }
  while (len > 0 && g_ascii_isspace (s[len - 1]))
    len--;
  if (len == 0)
    return NULL;
  return ndr_text_clean_utf8 (s, (gssize) len, max);
}

/**
 * ndr_text_strip_addr:
 * @s: an address as a report writes it: "<a@b>", "rfc822; a@b", "a@b (comment)"
 *
 * Returns: (transfer full) (nullable): the bare address, or NULL if nothing looks like one.
 */
char *
ndr_text_strip_addr (const char *s)
{
  if (s == NULL)
    return NULL;
  const char *semi = strchr (s, ';');
  if (semi != NULL && (gsize) (semi - s) < 16)     /* an address-type prefix like "rfc822;" */
    s = semi + 1;
  const char *lt = strchr (s, '<');
  if (lt != NULL) {
    const char *gt = strchr (lt, '>');
    if (gt != NULL && gt > lt + 1)
      return ndr_text_trim_dup (lt + 1, (gsize) (gt - lt - 1), NDR_MAX_LINE);
  }
  while (*s != '\0' && g_ascii_isspace (*s))
    s++;
  gsize n = 0;
  if (*s == '"') {                                 /* a quoted local part: "a b"@c */
    const char *q = s + 1;
    while (*q != '\0' && *q != '"')
      q += (*q == '\\' && q[1] != '\0') ? 2 : 1;
    if (*q == '"' && q[1] == '@')
      n = (gsize) (q + 1 - s);
    else
      s++;
  }
  n += strcspn (s + n, " \t\r\n\"'(),;<>");
  if (n == 0)
    return NULL;
  return ndr_text_trim_dup (s, n, NDR_MAX_LINE);
}
