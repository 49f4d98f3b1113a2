/*
 * NAME
 *   ndr_parse.c - one message's bytes to an NdrMessage (the pipeline of parser_priv.h)
 * DESCRIPTION
 *   ndr_parse_raw() and ndr_parse_bytes() let GMime parse the bytes, collect the parts that
 *   carry evidence (ndr_mime.c), read the DSN part (ndr_dsn.c), let the first format of
 *   ndr_formats[] that recognises the report extract what it knows, scan the remaining text
 *   for codes (ndr_evidence.c) and finish the record (ndr_finish.c): kind, MTA, original
 *   message, evidence copied to every recipient.
 *
 *   Every input yields a record. What could not be read is said in msg->error: an empty
 *   input, a message over --max-message-size, bytes GMime cannot read as a message, MIME
 *   nesting or part count over the limits.
 * TRUST
 *   None: the bytes are a stranger's. Nothing here aborts on bad input.
 */
#include "parser_priv.h"

#include <string.h>

/**
 * ndr_parser_init:
 *
 * Initialises GMime. Call once, from the main thread, before any parse.
 */
void
ndr_parser_init (void)
{
  g_mime_init ();
}

/**
 * ndr_parser_shutdown:
 *
 * Releases what ndr_parser_init() set up.
 */
void
ndr_parser_shutdown (void)
{
  g_mime_shutdown ();
}

/**
 * ndr_message_add_error:
 * @msg: a message
 * @error: what could not be read
 *
 * Sets msg->error, or appends "; " and @error to the one already there.
 */
void
ndr_message_add_error (NdrMessage *msg, const char *error)
{
  g_return_if_fail (msg != NULL && error != NULL);
  if (msg->error == NULL) {
    msg->error = g_strdup (error);
    return;
  }
  char *both = g_strconcat (msg->error, "; ", error, NULL);
  g_free (msg->error);
  msg->error = both;
}

/* mime_parse - GMime's reading of the bytes, or NULL with the reason in *why */
static GMimeMessage *
mime_parse (const char *data, gsize len, const char **why)
{
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer (data, len);
  g_autoptr(GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
  /* No warning callback in the options: with one, GMime 3.2 checks every header of every
   * part for duplicates and bad values (more than a quarter of its parse time, by callgrind),
   * and malformed input is ordinary here: we only logged them. */
  GMimeMessage *mime = g_mime_parser_construct_message (parser, NULL);
  if (mime == NULL) {
    *why = "no header block found";
    return NULL;
  }
  GMimeHeaderList *headers = g_mime_object_get_header_list (GMIME_OBJECT (mime));
  if (headers == NULL || g_mime_header_list_get_count (headers) == 0) {
    *why = "no headers";
    g_object_unref (mime);
    return NULL;
  }
  return mime;
}

/* limit_errors - say which MIME limit was hit, if any */
static void
limit_errors (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  if (parts->depth_hit) {
    g_autofree char *e = g_strdup_printf ("MIME parts nested deeper than the --max-mime-depth "
                                          "limit of %u were not read", limits->max_mime_depth);
    ndr_message_add_error (msg, e);
  }
  if (parts->text_cut) {
    g_autofree char *e = g_strdup_printf ("a part was over the --max-text limit of %"
                                          G_GSIZE_FORMAT " bytes (or its headers over "
                                          "--max-header): only the first bytes were read",
                                          limits->max_text);
    ndr_message_add_error (msg, e);
  }
  if (parts->parts_hit) {
    g_autofree char *e = g_strdup_printf ("more than %u MIME parts: the rest were not read "
                                          "(--max-parts)", limits->max_parts);
    ndr_message_add_error (msg, e);
  }
}

/* run_formats - let the first format that recognises the report extract; TRUE if one did */
static gboolean
run_formats (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  for (guint i = 0; ndr_formats[i] != NULL; i++) {
    const NdrFormat *f = ndr_formats[i];
    if (f->detect != NULL && f->detect (msg, parts)) {
      g_debug ("%s: format %s", msg->source, f->name);
      if (f->extract != NULL)
        f->extract (msg, parts, limits);
      if (msg->mta == NULL)
        msg->mta = g_strdup (f->name);
      return TRUE;
    }
  }
  return FALSE;
}

/* unreadable - the record of bytes GMime cannot read: the text is scanned as it is */
static void
unreadable (NdrMessage *msg, const char *data, gsize len, const char *why,
            const NdrLimits *limits)
{
  g_autofree char *e = g_strdup_printf ("not a MIME message: %s", why);
  ndr_message_add_error (msg, e);
  g_autofree char *text = ndr_text_clean_utf8 (data, (gssize) len, limits->max_text);
  NdrParts parts = { 0 };
  ndr_evidence_scan (msg->evidence, NDR_SOURCE_BODY, text, TRUE, limits);
  parts.text = g_steal_pointer (&text);
  ndr_parse_finish (msg, &parts, limits);
  ndr_parts_clear (&parts);
}

/* cut_headers - when the header block is over limits->max_header, a copy of the message with
 * the block cut at the last line end before the limit (GMime would otherwise decode every
 * byte of it), and the cut said in msg->error; NULL when the block is within the limit */
static char *
cut_headers (NdrMessage *msg, const char *data, gsize *len, const NdrLimits *limits)
{
  if (data == NULL || *len <= limits->max_header)
    return NULL;
  const char *end = memmem (data, *len, "\n\n", 2);
  const char *crlf = memmem (data, *len, "\r\n\r\n", 4);
  if (end == NULL || (crlf != NULL && crlf < end))
    end = crlf;
  gsize size = end != NULL ? (gsize) (end - data) : *len;
  if (size <= limits->max_header)
    return NULL;
  g_autofree char *e = g_strdup_printf ("the header block is %" G_GSIZE_FORMAT " bytes, over "
                                        "the --max-header limit of %" G_GSIZE_FORMAT
                                        "; the headers after it were not read",
                                        size, limits->max_header);
  ndr_message_add_error (msg, e);
  gsize keep = limits->max_header;
  while (keep > 0 && data[keep - 1] != '\n')
    keep--;                                         /* end on a whole line */
  while (keep > 0 && (data[keep] == ' ' || data[keep] == '\t') && data[keep - 1] == '\n') {
    keep--;                                         /* not inside a folded header */
    while (keep > 0 && data[keep - 1] != '\n')
      keep--;
  }
  gsize rest = *len - size;                         /* the blank line and the body */
  char *copy = g_malloc (keep + rest + 1);
  memcpy (copy, data, keep);
  memcpy (copy + keep, data + size, rest);
  copy[keep + rest] = '\0';
  *len = keep + rest;
  return copy;
}

/* parse - the pipeline on len bytes of a message whose real size is size */
static NdrMessage *
parse (const char *data, gsize len, gsize size, const char *source, const NdrLimits *limits)
{
  g_autoptr(NdrMessage) msg = ndr_message_new (source);
  msg->size = size;
  if (len < size) {
    g_autofree char *e = g_strdup_printf ("message is %" G_GSIZE_FORMAT " bytes, over the "
                                          "--max-message-size limit of %" G_GSIZE_FORMAT
                                          "; only the first %" G_GSIZE_FORMAT " bytes were read",
                                          size, limits->max_message_size, len);
    ndr_message_add_error (msg, e);
  }
  if (len == 0) {
    if (size == 0)
      ndr_message_add_error (msg, "empty input");
    msg->mta = g_strdup ("unknown");
    return g_steal_pointer (&msg);
  }
  g_autofree char *lf = NULL;
  if (memchr (data, '\n', len) == NULL && memchr (data, '\r', len) != NULL) {
    lf = g_memdup2 (data, len);                     /* old Mac line ends: GMime wants LF */
    for (gsize i = 0; i < len; i++)
      if (lf[i] == '\r')
        lf[i] = '\n';
    data = lf;
  }
  g_autofree char *cut = cut_headers (msg, data, &len, limits);
  if (cut != NULL)
    data = cut;
  const char *why = NULL;
  g_autoptr(GMimeMessage) mime = mime_parse (data, len, &why);
  if (mime == NULL) {
    unreadable (msg, data, len, why, limits);
    return g_steal_pointer (&msg);
  }
  NdrParts parts = { 0 };
  ndr_mime_collect (&parts, mime, limits);
  limit_errors (msg, &parts, limits);
  msg->subject = ndr_mime_header (mime, "Subject");
  msg->from = ndr_mime_header (mime, "From");
  msg->date = ndr_mime_header (mime, "Date");
  if (parts.dsn != NULL)
    ndr_dsn_parse (msg, parts.dsn, limits);
  if (!run_formats (msg, &parts, limits)) {
    const char *text = parts.text != NULL ? parts.text : parts.html_text;
    ndr_evidence_scan (msg->evidence, NDR_SOURCE_BODY, text, TRUE, limits);
  }
  ndr_parse_finish (msg, &parts, limits);
  ndr_parts_clear (&parts);
  return g_steal_pointer (&msg);
}

/**
 * ndr_parse_bytes:
 * @data: the bytes of one message
 * @len: their length
 * @source: what to put in msg->source (path, path:N, "-")
 * @limits: the limits in force
 *
 * Parses one message held in memory. Bytes over limits->max_message_size are not looked at
 * (msg->error says so).
 *
 * Returns: (transfer full): the record; never NULL, whatever the bytes.
 */
NdrMessage *
ndr_parse_bytes (const char *data, gsize len, const char *source, const NdrLimits *limits)
{
  g_return_val_if_fail (limits != NULL, NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  return parse (data != NULL ? data : "", MIN (len, limits->max_message_size), len, source,
                limits);
}

/**
 * ndr_parse_raw:
 * @raw: one message as an NdrReader yields it
 * @limits: the limits in force
 *
 * Parses one message. A message the reader cut (raw->truncated) is parsed as far as it was
 * read, and msg->error says so.
 *
 * Returns: (transfer full): the record; never NULL, whatever the bytes.
 */
NdrMessage *
ndr_parse_raw (const NdrRaw *raw, const NdrLimits *limits)
{
  g_return_val_if_fail (raw != NULL && limits != NULL, NULL);
  gsize len = 0;
  const char *data = raw->bytes != NULL ? g_bytes_get_data (raw->bytes, &len) : NULL;
  if (data == NULL)
    len = 0;
  len = MIN (len, limits->max_message_size);
  gsize size = raw->truncated ? MAX (raw->size, len + 1) : MAX (raw->size, len);
  return parse (data != NULL ? data : "", len, size, raw->source, limits);
}
