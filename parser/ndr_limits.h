/*
 * NAME
 *   ndr_limits.h - every bound on untrusted input, with its default
 * DESCRIPTION
 *   Each NDR_MAX_* default has an option in cli/ and a line in docs/limits.md. The values in
 *   force travel in an NdrLimits; hitting one is recorded (msg->error or a note), never silent.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NDR_MAX_MESSAGE_SIZE  (64u * 1024u * 1024u) /* bytes of one message; more is cut and flagged */
#define NDR_MAX_MIME_DEPTH    32u                   /* nesting of multiparts and message/rfc822 */
#define NDR_MAX_RECIPIENTS    10000u                /* recipients kept per message */
#define NDR_MAX_LINE          4096u                 /* bytes of one line of text we look at */
#define NDR_MAX_HEADER        (256u * 1024u)        /* bytes of one header block we keep */
#define NDR_MAX_PARTS         1000u                 /* MIME parts visited per message */
#define NDR_MAX_TEXT          (1024u * 1024u)       /* bytes of decoded text per part we scan */
#define NDR_MAX_EVIDENCE      1000u                 /* evidence items kept per recipient */
#define NDR_MAX_HTML_DEPTH    256u                  /* element nesting in an HTML part */
#define NDR_PCRE2_MATCH_LIMIT 100000u               /* pcre2_set_match_limit() for every rule */

typedef struct {
  gsize max_message_size;
  guint max_mime_depth;
  guint max_recipients;
  gsize max_line;
  gsize max_header;
  guint max_parts;
  gsize max_text;
  guint max_evidence;
  guint max_html_depth;
} NdrLimits;

void ndr_limits_init (NdrLimits *limits);

G_END_DECLS
