/*
 * NAME
 *   floor.c - the GMime-only floor that bench/parse measures ndr against
 * SYNOPSIS
 *   floor MBOX
 * DESCRIPTION
 *   Reads MBOX through GMime's parser in mbox mode, one message at a time, and for every
 *   message walks its MIME tree (multiparts and attached messages, MAX_DEPTH levels at most)
 *   and decodes each text part to UTF-8 with g_mime_text_part_get_text(). This is the least
 *   work any GMime-based bounce parser has to do, so its rate is the floor's rate: ndr's rate
 *   divided by it says what ndr's own work costs.
 *
 *   On success it prints one line to stdout:
 *     floor: N messages in S s, R messages/s, T text bytes
 *   The text byte count keeps the decoding from being optimised away and lets two runs on the
 *   same input be compared.
 * TRUST
 *   The mbox is ours (bench/mkmbox builds it), but its messages include corpus/broken-*:
 *   the walk is bounded by MAX_DEPTH, and GMime copes with the rest.
 * DIAGNOSTICS
 *   Exit status 0 on success, 1 when MBOX cannot be opened, 2 on a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <gmime/gmime.h>

#define MAX_DEPTH 32u   /* as NDR_MAX_MIME_DEPTH: the floor stops where ndr stops */
#define SCAN_CHUNK 4096 /* bytes read at a time while looking for the next From_ line */

/* walk - decode every text part below obj, return the number of UTF-8 bytes decoded */
static gsize
walk (GMimeObject *obj, guint depth)
{
  gsize total = 0;

  if (obj == NULL || depth > MAX_DEPTH)
    return 0;
  if (GMIME_IS_MULTIPART (obj)) {
    GMimeMultipart *mp = GMIME_MULTIPART (obj);
    int n = g_mime_multipart_get_count (mp);
    for (int i = 0; i < n; i++)
      total += walk (g_mime_multipart_get_part (mp, i), depth + 1);
  } else if (GMIME_IS_MESSAGE_PART (obj)) {
    GMimeMessage *inner = g_mime_message_part_get_message (GMIME_MESSAGE_PART (obj));
    if (inner != NULL)
      total += walk (g_mime_message_get_mime_part (inner), depth + 1);
  } else if (GMIME_IS_TEXT_PART (obj)) {
    char *text = g_mime_text_part_get_text (GMIME_TEXT_PART (obj));
    if (text != NULL)
      total += strlen (text);
    g_free (text);
  }
  return total;
}

/* resync - move stream to the next From_ line after offset, FALSE if there is none
 *
 * GMime 3.2's parser in mbox mode returns NULL for a message whose first line is not a header
 * (random bytes, "hello world") and then stays where it is: every later call returns NULL
 * again. ndr must get past such a message, so the floor does too: it looks for the next
 * "\nFrom " itself and restarts the parser there. */
static gboolean
resync (GMimeStream *stream, gint64 offset)
{
  char buf[SCAN_CHUNK + 6];
  gint64 base = offset - 1;       /* the stream offset of buf[0] */
  gsize kept = 1;                 /* bytes carried over at the start of buf */
  gboolean first = TRUE;

  if (offset < 0 || g_mime_stream_seek (stream, offset, GMIME_STREAM_SEEK_SET) < 0)
    return FALSE;
  buf[0] = '\n';                  /* offset is at a line start: as if a newline preceded it */
  for (;;) {
    gssize n = g_mime_stream_read (stream, buf + kept, SCAN_CHUNK);
    if (n <= 0)
      return FALSE;
    gsize len = kept + (gsize) n;
    for (gsize i = first ? 1 : 0; i + 6 <= len; i++)   /* never the line at offset itself */
      if (memcmp (buf + i, "\nFrom ", 6) == 0)
        return g_mime_stream_seek (stream, base + (gint64) i + 1, GMIME_STREAM_SEEK_SET) >= 0;
    kept = MIN (len, 5);          /* "\nFrom" may straddle two reads */
    memmove (buf, buf + len - kept, kept);
    base += (gint64) (len - kept);
    first = FALSE;
  }
}

int
main (int argc, char **argv)
{
  if (argc != 2) {
    fprintf (stderr, "usage: floor MBOX\n");
    return 2;
  }
  int fd = g_open (argv[1], O_RDONLY, 0);
  if (fd < 0) {
    fprintf (stderr, "floor: %s: %s\n", argv[1], g_strerror (errno));
    return 1;
  }

  g_mime_init ();
  GMimeStream *stream = g_mime_stream_fs_new (fd);     /* owns fd from here */
  GMimeParser *parser = g_mime_parser_new_with_stream (stream);
  g_mime_parser_set_format (parser, GMIME_FORMAT_MBOX);

  guint64 messages = 0;
  gsize text_bytes = 0;
  gint64 start = g_get_monotonic_time ();
  while (!g_mime_parser_eos (parser)) {
    gint64 offset = g_mime_parser_tell (parser);
    GMimeMessage *msg = g_mime_parser_construct_message (parser, NULL);
    if (msg == NULL && g_mime_parser_eos (parser))
      break;                                           /* only the end of the mbox was left */
    messages++;                                        /* ndr yields a record even then */
    if (msg == NULL) {
      if (!resync (stream, offset))
        break;                                         /* no further From_ line */
      g_mime_parser_init_with_stream (parser, stream);
      g_mime_parser_set_format (parser, GMIME_FORMAT_MBOX);
      continue;
    }
    text_bytes += walk (g_mime_message_get_mime_part (msg), 0);
    g_object_unref (msg);
  }
  double secs = (double) (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  printf ("floor: %" G_GUINT64_FORMAT " messages in %.3f s, %.0f messages/s, %" G_GSIZE_FORMAT
          " text bytes\n", messages, secs, secs > 0 ? (double) messages / secs : 0.0, text_bytes);
  g_object_unref (parser);
  g_object_unref (stream);
  g_mime_shutdown ();
  return 0;
}
