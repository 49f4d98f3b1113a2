/*
 * NAME
 *   ndr_mime.c - walk a parsed report and keep the parts that carry evidence
 * DESCRIPTION
 *   ndr_mime_collect() visits the MIME tree of a report within limits->max_mime_depth and
 *   limits->max_parts and fills an NdrParts: the first text/plain and text/html parts outside
 *   the original (decoded to UTF-8), the message/delivery-status and message/feedback-report
 *   parts, and the attached original (message/rfc822 or message/global) or its headers
 *   (text/rfc822-headers). Parts that cannot carry evidence (images, application/...) are
 *   never decoded. The HTML part is turned into text only when there is no text/plain part;
 *   ndr_parts_html_text() does it on demand for a format that wants both.
 *   ndr_mime_header() reads one decoded header of the report.
 * TRUST
 *   None: the tree is a stranger's. Decoded text is cut at limits->max_text, headers at
 *   limits->max_header; an unknown charset falls back to Latin-1 or to U+FFFD, never fails.
 */
#include "parser_priv.h"

#include <string.h>

static void walk (NdrParts *parts, GMimeObject *obj, guint depth, const NdrLimits *limits);

/**
 * ndr_parts_clear:
 * @parts: the parts to release
 *
 * Frees what ndr_mime_collect() put into @parts and zeroes it; @parts itself is the caller's.
 */
void
ndr_parts_clear (NdrParts *parts)
{
  if (parts == NULL)
    return;
  g_free (parts->text);
  g_free (parts->text_lower);
  g_free (parts->html);
  g_free (parts->html_text);
  g_free (parts->dsn);
  g_free (parts->feedback);
  g_free (parts->original_headers);
  g_clear_object (&parts->original);
  g_free (parts->content_type);
  g_free (parts->report_type);
  memset (parts, 0, sizeof *parts);
}

/**
 * ndr_mime_header:
 * @mime: a message
 * @name: a header name, caseless
 *
 * Returns: (transfer full) (nullable): the first header of that name, RFC 2047-decoded,
 * unfolded, valid UTF-8 and trimmed, cut at NDR_MAX_LINE bytes; NULL if absent or empty.
 */
char *
ndr_mime_header (GMimeMessage *mime, const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);
  if (mime == NULL)
    return NULL;
  const char *v = g_mime_object_get_header (GMIME_OBJECT (mime), name);
  if (v == NULL)
    return NULL;
  g_autofree char *flat = g_strdup (v);
  for (char *p = flat; *p != '\0'; p++)
    if (*p == '\r' || *p == '\n' || *p == '\t')
      *p = ' ';
  return ndr_text_trim_dup (flat, strlen (flat), NDR_MAX_LINE);
}

/* convert - len bytes from charset to UTF-8 through GMime's iconv, NULL if it cannot */
static char *
convert (const char *data, gsize len, const char *charset)
{
  iconv_t cd = g_mime_iconv_open ("UTF-8", charset);
  if (cd == (iconv_t) -1)
    return NULL;
  char *conv = g_mime_iconv_strndup (cd, data, len);
  g_mime_iconv_close (cd);
  return conv;
}

/* to_utf8 - at most max bytes of text in charset as valid UTF-8 (transfer full); a charset
 * iconv does not know, or bytes that are not in it, are read as Latin-1, which has them all */
static char *
to_utf8 (const char *data, gsize len, const char *charset, gsize max)
{
  len = MIN (len, max);
  if (g_utf8_validate_len (data, len, NULL))        /* no NUL, no cut character: as it is */
    return g_strndup (data, len);
  if (charset == NULL || g_ascii_strcasecmp (charset, "utf-8") == 0
      || g_ascii_strcasecmp (charset, "utf8") == 0 || g_ascii_strcasecmp (charset, "us-ascii") == 0)
    return ndr_text_clean_utf8 (data, (gssize) len, max);
  g_autofree char *conv = convert (data, len, charset);
  if (conv == NULL)
    conv = convert (data, len, "ISO-8859-1");
  if (conv == NULL)
    return ndr_text_clean_utf8 (data, (gssize) len, max);
  return ndr_text_clean_utf8 (conv, -1, max);
}

/* decode - the content of a leaf part, transfer encoding undone, as UTF-8; *cut set when
 * it was over max_text (transfer full) */
static char *
decode (GMimePart *part, gboolean use_charset, gboolean *cut, const NdrLimits *limits)
{
  GMimeDataWrapper *content = g_mime_part_get_content (part);
  if (content == NULL)
    return NULL;
  g_autoptr(GMimeStream) mem = g_mime_stream_mem_new ();
  if (g_mime_data_wrapper_write_to_stream (content, mem) < 0)
    return NULL;
  GByteArray *bytes = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (mem));
  if (bytes->len > limits->max_text)
    *cut = TRUE;
  const char *charset = NULL;
  if (use_charset)
    charset = g_mime_object_get_content_type_parameter (GMIME_OBJECT (part), "charset");
  return to_utf8 ((const char *) bytes->data, bytes->len, charset, limits->max_text);
}

/* headers_text - the header block of a message as UTF-8, cut at max_header (transfer full) */
static char *
headers_text (GMimeMessage *m, gboolean *cut, const NdrLimits *limits)
{
  g_autofree char *raw = g_mime_object_get_headers (GMIME_OBJECT (m), NULL);
  if (raw == NULL || *raw == '\0')
    return NULL;
  if (strlen (raw) > limits->max_header)
    *cut = TRUE;
  return ndr_text_clean_utf8 (raw, -1, limits->max_header);
}

/* is_type - TRUE if the object's content type is type/subtype (caseless) */
static gboolean
is_type (GMimeObject *obj, const char *type, const char *subtype)
{
  GMimeContentType *ct = g_mime_object_get_content_type (obj);
  return ct != NULL && g_mime_content_type_is_type (ct, type, subtype);
}

/* leaf - keep a leaf part if it carries evidence */
static void
leaf (NdrParts *parts, GMimeObject *obj, const NdrLimits *limits)
{
  GMimePart *part = GMIME_PART (obj);
  char **slot = NULL;
  gboolean charset = TRUE;
  if (is_type (obj, "message", "delivery-status")
      || is_type (obj, "message", "global-delivery-status")) {
    slot = &parts->dsn;
    charset = FALSE;                                 /* US-ASCII, or UTF-8 when global */
  } else if (is_type (obj, "message", "feedback-report")) {
    slot = &parts->feedback;
    charset = FALSE;
  } else if (is_type (obj, "text", "rfc822-headers")
             || is_type (obj, "message", "global-headers")) {
    slot = &parts->original_headers;
  } else if (is_type (obj, "text", "plain")) {
    slot = &parts->text;
  } else if (is_type (obj, "text", "html")) {
    slot = &parts->html;
  }
  if (slot == NULL || *slot != NULL)
    return;                                          /* images, application/..., a second one */
  g_autofree char *text = decode (part, charset, &parts->text_cut, limits);
  if (text == NULL)
    return;
  if (slot == &parts->original_headers)
    *slot = ndr_text_clean_utf8 (text, -1, limits->max_header);
  else
    *slot = g_steal_pointer (&text);
}

/* message_part - keep the first attached original and its headers */
static void
message_part (NdrParts *parts, GMimeMessagePart *mp, const NdrLimits *limits)
{
  GMimeMessage *m = g_mime_message_part_get_message (mp);
  if (m == NULL || parts->original != NULL)
    return;
  parts->original = g_object_ref (m);
  g_free (parts->original_headers);                  /* the full original beats headers only */
  parts->original_headers = headers_text (m, &parts->text_cut, limits);
}

/* walk - visit obj at depth; the original's own parts are not visited */
static void
walk (NdrParts *parts, GMimeObject *obj, guint depth, const NdrLimits *limits)
{
  if (obj == NULL)
    return;
  if (depth > limits->max_mime_depth) {
    parts->depth_hit = TRUE;
    return;
  }
  if (parts->parts_seen >= limits->max_parts) {
    parts->parts_hit = TRUE;
    return;
  }
  parts->parts_seen++;
  if (GMIME_IS_MULTIPART (obj)) {
    GMimeMultipart *mp = GMIME_MULTIPART (obj);
    int n = g_mime_multipart_get_count (mp);
    for (int i = 0; i < n && !parts->parts_hit; i++)
      walk (parts, g_mime_multipart_get_part (mp, i), depth + 1, limits);
  } else if (GMIME_IS_MESSAGE_PART (obj)) {
    message_part (parts, GMIME_MESSAGE_PART (obj), limits);
  } else if (GMIME_IS_PART (obj)) {
    leaf (parts, obj, limits);
  }
}

/**
 * ndr_mime_collect:
 * @parts: (out caller-allocates): zeroed parts to fill; release with ndr_parts_clear()
 * @mime: the parsed report (borrowed; kept in parts->mime)
 * @limits: the limits in force
 *
 * Fills @parts from the report. Hitting max_mime_depth or max_parts sets depth_hit or
 * parts_hit; what was found up to then is kept.
 */
void
ndr_mime_collect (NdrParts *parts, GMimeMessage *mime, const NdrLimits *limits)
{
  g_return_if_fail (parts != NULL && limits != NULL);
  parts->mime = mime;
  if (mime == NULL)
    return;
  GMimeObject *top = g_mime_message_get_mime_part (mime);
  if (top != NULL) {
    GMimeContentType *ct = g_mime_object_get_content_type (top);
    if (ct != NULL) {
      parts->content_type = g_mime_content_type_get_mime_type (ct);
      const char *rt = g_mime_content_type_get_parameter (ct, "report-type");
      if (rt != NULL)
        parts->report_type = ndr_text_trim_dup (rt, strlen (rt), NDR_MAX_LINE);
    }
  }
  walk (parts, top, 1, limits);
  if (parts->text != NULL) {
    parts->text_lower_len = MIN (strlen (parts->text), NDR_TEXT_LOWER_MAX);
    parts->text_lower = g_ascii_strdown (parts->text, (gssize) parts->text_lower_len);
  }
  if (parts->text == NULL && parts->html != NULL)
    parts->html_text = ndr_html_to_text (parts->html, strlen (parts->html), limits);
}

/* contains_caseless - the slow way, for parts filled by hand (tests, fuzzers) */
static gboolean
contains_caseless (const char *hay, gsize len, const char *needle, gsize n)
{
  for (gsize i = 0; i + n <= len; i++)
    if (g_ascii_strncasecmp (hay + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/**
 * ndr_parts_text_contains:
 * @parts: parts filled by ndr_mime_collect()
 * @needle: what to look for, ASCII case ignored; at most NDR_MAX_LINE bytes
 * @window: how many bytes of the text to look at; none past NDR_TEXT_LOWER_MAX ever are
 *
 * The formats look for dozens of markers in each report; lowering the text once and using
 * memmem() makes each search a fraction of a byte-by-byte caseless compare.
 *
 * Returns: TRUE if @needle is in the first @window bytes of parts->text.
 */
gboolean
ndr_parts_text_contains (const NdrParts *parts, const char *needle, gsize window)
{
  g_return_val_if_fail (parts != NULL && needle != NULL, FALSE);
  gsize n = strlen (needle);
  if (parts->text == NULL || n == 0 || n > NDR_MAX_LINE)
    return FALSE;
  if (parts->text_lower == NULL)
    return contains_caseless (parts->text, strnlen (parts->text, window), needle, n);
  char low[NDR_MAX_LINE];
  for (gsize i = 0; i < n; i++)                    /* g_ascii_tolower() is a call a byte */
    low[i] = needle[i] >= 'A' && needle[i] <= 'Z' ? (char) (needle[i] - 'A' + 'a') : needle[i];
  return memmem (parts->text_lower, MIN (window, parts->text_lower_len), low, n) != NULL;
}

/**
 * ndr_parts_html_text:
 * @parts: parts filled by ndr_mime_collect()
 * @owned: (out) (transfer full): set to the text when it is made here, else to NULL
 * @limits: the limits in force
 *
 * The HTML part as text. ndr_mime_collect() converts it only when the report has no
 * text/plain part; a caller that wants it beside the text part gets it made here.
 *
 * Returns: (transfer none) (nullable): parts->html_text, or *owned; NULL without an HTML part.
 */
const char *
ndr_parts_html_text (const NdrParts *parts, char **owned, const NdrLimits *limits)
{
  g_return_val_if_fail (parts != NULL && owned != NULL && limits != NULL, NULL);
  *owned = NULL;
  if (parts->html_text != NULL || parts->html == NULL)
    return parts->html_text;
  *owned = ndr_html_to_text (parts->html, strlen (parts->html), limits);
  return *owned;
}
