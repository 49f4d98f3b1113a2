/*
 * NAME
 *   test_parts.c - the shortcuts of ndr_mime.c: lowered-text search, HTML made on demand
 * DESCRIPTION
 *   ndr_parts_text_contains() must answer as a plain caseless search does, with the lowered
 *   copy ndr_mime_collect() makes and without it (parts filled by hand), at the edges of the
 *   window. The HTML part is turned into text by ndr_mime_collect() only when the report has
 *   no text/plain part; ndr_parts_html_text() makes it for a caller that wants it beside one.
 * TRUST
 *   The messages are ours.
 */
#include "parser_priv.h"

#include <string.h>

static NdrLimits limits;

/* collect - parse a message held in a string and collect its parts into parts */
static GMimeMessage *
collect (const char *raw, NdrParts *parts)
{
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer (raw, strlen (raw));
  g_autoptr(GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *mime = g_mime_parser_construct_message (parser, NULL);
  g_assert_nonnull (mime);
  ndr_mime_collect (parts, mime, &limits);
  return mime;
}

static const char alternative[] =
  "From: postmaster@example.com\n"
  "To: user@example.org\n"
  "Subject: Undeliverable\n"
  "MIME-Version: 1.0\n"
  "Content-Type: multipart/alternative; boundary=\"b\"\n"
  "\n"
  "--b\n"
  "Content-Type: text/plain; charset=us-ascii\n"
  "\n"
  "Delivery has FAILED to these recipients.\n"
  "--b\n"
  "Content-Type: text/html; charset=utf-8\n"
  "\n"
  "<html><body><p>Message hops</p><table><tr><td>1</td><td>a</td></tr></table></body></html>\n"
  "--b--\n";

static const char html_only[] =
  "From: postmaster@example.com\n"
  "Subject: Undeliverable\n"
  "MIME-Version: 1.0\n"
  "Content-Type: text/html; charset=utf-8\n"
  "\n"
  "<html><body><p>Remote server returned 550 5.1.1</p></body></html>\n";

/* test_contains - the lowered copy answers as the caseless search does */
static void
test_contains (void)
{
  NdrParts parts = { 0 };
  GMimeMessage *mime = collect (alternative, &parts);
  g_assert_nonnull (parts.text_lower);
  g_assert_true (ndr_parts_text_contains (&parts, "delivery has failed", 4096));
  g_assert_true (ndr_parts_text_contains (&parts, "DELIVERY HAS failed", 4096));
  g_assert_false (ndr_parts_text_contains (&parts, "delivery was delayed", 4096));
  g_assert_false (ndr_parts_text_contains (&parts, "", 4096));
  g_assert_true (ndr_parts_text_contains (&parts, "Delivery", 8));      /* ends at the window */
  g_assert_false (ndr_parts_text_contains (&parts, "Delivery", 7));     /* past it */

  NdrParts by_hand = { .text = parts.text };         /* no lowered copy: the slow way */
  g_assert_true (ndr_parts_text_contains (&by_hand, "delivery has failed", 4096));
  g_assert_true (ndr_parts_text_contains (&by_hand, "Delivery", 8));
  g_assert_false (ndr_parts_text_contains (&by_hand, "Delivery", 7));
  g_assert_false (ndr_parts_text_contains (&by_hand, "delivery was delayed", 4096));
  ndr_parts_clear (&parts);
  g_object_unref (mime);
}

/* test_html_on_demand - with a text part the HTML stays HTML until it is asked for */
static void
test_html_on_demand (void)
{
  NdrParts parts = { 0 };
  GMimeMessage *mime = collect (alternative, &parts);
  g_assert_nonnull (parts.text);
  g_assert_nonnull (parts.html);
  g_assert_null (parts.html_text);
  g_autofree char *owned = NULL;
  const char *text = ndr_parts_html_text (&parts, &owned, &limits);
  g_assert_nonnull (owned);
  g_assert_true (text == owned);
  g_assert_nonnull (strstr (text, "Message hops"));
  g_assert_null (strchr (text, '<'));
  ndr_parts_clear (&parts);
  g_object_unref (mime);
}

/* test_html_only - without a text part the HTML is made into text at once */
static void
test_html_only (void)
{
  NdrParts parts = { 0 };
  GMimeMessage *mime = collect (html_only, &parts);
  g_assert_null (parts.text);
  g_assert_null (parts.text_lower);
  g_assert_nonnull (parts.html_text);
  g_autofree char *owned = NULL;
  const char *text = ndr_parts_html_text (&parts, &owned, &limits);
  g_assert_null (owned);
  g_assert_true (text == parts.html_text);
  g_assert_nonnull (strstr (text, "550 5.1.1"));
  ndr_parts_clear (&parts);
  g_object_unref (mime);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ndr_parser_init ();
  ndr_limits_init (&limits);
  g_test_add_func ("/parts/text-contains", test_contains);
  g_test_add_func ("/parts/html-on-demand", test_html_on_demand);
  g_test_add_func ("/parts/html-only", test_html_only);
  int rc = g_test_run ();
  ndr_parser_shutdown ();
  return rc;
}
