/*
 * NAME
 *   parser_priv.h - what the files of parser/ share; nothing outside parser/ includes it
 * DESCRIPTION
 *   ndr_parse_raw() (ndr_parse.c) runs the pipeline:
 *     1. GMime parses the bytes; ndr_mime_collect() (ndr_mime.c) walks the tree within the
 *        limits and fills an NdrParts: the report text, the DSN part, the feedback part, the
 *        original's headers, the report's own headers.
 *     2. ndr_dsn_parse() (ndr_dsn.c) reads a message/delivery-status part into recipients.
 *     3. Each format in ndr_formats[] (ndr_formats.c) is asked to detect; the first that says
 *        yes extracts (O365 sections in ndr_o365.c, plain-text MTAs in ndr_mta_*.c).
 *     4. ndr_evidence_scan() (ndr_evidence.c) finds codes in text, with their source.
 *     5. ndr_parse_finish() (ndr_finish.c) decides the kind, copies message-level evidence to
 *        recipients.
 * TRUST
 *   As parser.h: all input is hostile.
 */
#pragma once

#include <gmime/gmime.h>

#include "parser.h"

G_BEGIN_DECLS

/* GMime 3.2 declares no autoptr cleanups for its types; we declare them here, once. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeObject, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeDataWrapper, g_object_unref)

/* The parts of a report that carry evidence, as ndr_mime_collect() finds them. Every string is
 * decoded to UTF-8, cut at limits->max_text, NULL when absent. */
typedef struct {
  GMimeMessage *mime;          /* the report itself (borrowed) */
  char *text;                  /* first text/plain part outside the original, decoded */
  char *html;                  /* first text/html part outside the original, decoded (HTML) */
  char *html_text;             /* that part turned into text, made by ndr_mime_collect() only
                                  when there is no text/plain part: the conversion costs more
                                  than the rest of the parse, and a report with a text part
                                  rarely needs it. Read it through ndr_parts_html_text(). */
  char *text_lower;            /* the first NDR_TEXT_LOWER_MAX bytes of text, ASCII letters
                                  lowered, for ndr_parts_text_contains(); NULL without text */
  gsize text_lower_len;
  char *dsn;                   /* message/delivery-status (or message/global-delivery-status) */
  char *feedback;              /* message/feedback-report */
  char *original_headers;      /* headers of the attached original (message/rfc822 or
                                  text/rfc822-headers), as text */
  GMimeMessage *original;      /* the attached message/rfc822, if any (owned, may be NULL) */
  char *content_type;          /* the report's top-level type, "multipart/report" etc. */
  char *report_type;           /* report-type= parameter of multipart/report, or NULL */
  guint parts_seen;            /* MIME parts visited */
  gboolean depth_hit;          /* the MIME depth limit was reached */
  gboolean parts_hit;          /* the part count limit was reached */
  gboolean text_cut;           /* a part's decoded text was cut at max_text (or a header
                                  block at max_header) */
} NdrParts;

void     ndr_parts_clear  (NdrParts *parts);
void     ndr_mime_collect (NdrParts *parts, GMimeMessage *mime, const NdrLimits *limits);
/* Is needle in the first window bytes of parts->text, ASCII case ignored? One lowered copy of
 * the text serves every search (formats look for dozens of markers in each report). */
#define NDR_TEXT_LOWER_MAX (64u * 1024u)
gboolean ndr_parts_text_contains (const NdrParts *parts, const char *needle, gsize window);
/* The HTML part as text: parts->html_text when made, else parts->html turned into text now
 * and handed to the caller in *owned (free it when done); NULL without an HTML part. */
const char *ndr_parts_html_text (const NdrParts *parts, char **owned, const NdrLimits *limits);

/* Header of the report, decoded to UTF-8, or NULL (transfer full). */
char    *ndr_mime_header  (GMimeMessage *mime, const char *name);

/* ndr_html.c: HTML to plain text through libxml2's HTML parser; block elements end lines,
 * table cells are separated by a tab, table rows end lines. (transfer full) */
char    *ndr_html_to_text (const char *html, gsize len, const NdrLimits *limits);

/* ndr_dsn.c: read the fields of a message/delivery-status part into msg->recipients (adding
 * evidence of source dsn-status and dsn-diagnostic). */
void     ndr_dsn_parse    (NdrMessage *msg, const char *dsn, const NdrLimits *limits);

/* ndr_evidence.c: find every enhanced status code and SMTP reply code in text, line by line,
 * and append an NdrEvidence per line that has one to `into` (a recipient's evidence or
 * msg->evidence). Stops at a line that begins a quoted original when stop_at_original is set.
 * Returns the number of items added. */
guint    ndr_evidence_scan (GPtrArray *into, NdrSource source, const char *text,
                            gboolean stop_at_original, const NdrLimits *limits);
/* Parse the first status code and reply code on one line; FALSE if it has neither. */
gboolean ndr_evidence_parse_line (const char *line, char status[16], int *reply_code);
/* Append one item unless limits->max_evidence is reached. */
void     ndr_evidence_add (GPtrArray *into, NdrSource source, const char *status,
                           int reply_code, const char *text, const NdrLimits *limits);
/* TRUE if the line begins a quoted original ("------ This is a copy of the message", ...). */
gboolean ndr_evidence_starts_original (const char *line, gsize len);

/* ndr_parse.c: set msg->error, or append "; " and the text to the one there. */
void     ndr_message_add_error (NdrMessage *msg, const char *error);
/* ndr_finish.c: step 5 of the pipeline: original message, kind, mta, recipients' evidence. */
void     ndr_parse_finish (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits);

/* A bounce format: detection and extraction. The formats are tried in ndr_formats[] order;
 * the first whose detect() returns TRUE runs extract(). extract() sets msg->mta (and lang),
 * adds recipients and evidence; it never fails: what it cannot find stays NULL. */
typedef struct {
  const char *name;                                       /* the msg->mta it sets */
  gboolean  (*detect)  (const NdrMessage *msg, const NdrParts *parts);
  void      (*extract) (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits);
} NdrFormat;

extern const NdrFormat *const ndr_formats[];   /* NULL-terminated; ndr_formats.c */

/* The formats themselves (one file each). */
extern const NdrFormat ndr_format_o365;        /* ndr_o365.c: Office 365 and Exchange */
extern const NdrFormat ndr_format_postfix;     /* ndr_mta_postfix.c */
extern const NdrFormat ndr_format_sendmail;    /* ndr_mta_sendmail.c */
extern const NdrFormat ndr_format_exim;        /* ndr_mta_exim.c */
extern const NdrFormat ndr_format_qmail;       /* ndr_mta_qmail.c */
/* More MTAs and providers (helper H), one file each: ndr_mta_NAME.c. */
extern const NdrFormat ndr_format_gmail;
extern const NdrFormat ndr_format_yahoo;
extern const NdrFormat ndr_format_courier;
extern const NdrFormat ndr_format_opensmtpd;
extern const NdrFormat ndr_format_amazonses;
extern const NdrFormat ndr_format_domino;
extern const NdrFormat ndr_format_gmx;
extern const NdrFormat ndr_format_x3;
extern const NdrFormat ndr_format_sendgrid;
extern const NdrFormat ndr_format_messagingserver;
extern const NdrFormat ndr_format_mcafee;
extern const NdrFormat ndr_format_trendmicro;
extern const NdrFormat ndr_format_barracuda;
extern const NdrFormat ndr_format_x1;
extern const NdrFormat ndr_format_x2;
extern const NdrFormat ndr_format_x4;
extern const NdrFormat ndr_format_imailserver;
extern const NdrFormat ndr_format_mailmarshal;
extern const NdrFormat ndr_format_zoho;
extern const NdrFormat ndr_format_dragonfly;
extern const NdrFormat ndr_format_outlook;
extern const NdrFormat ndr_format_apachejames;
extern const NdrFormat ndr_format_mailfoundry;

/* Small string helpers (ndr_text.c). */
char    *ndr_text_clean_utf8 (const char *s, gssize len, gsize max);  /* valid UTF-8, cut */
char    *ndr_text_trim_dup   (const char *s, gsize len, gsize max);   /* trimmed copy, cut */
char    *ndr_text_strip_addr (const char *s);   /* "<a@b>" or "rfc822; a@b" -> "a@b" (transfer full) */
/* Iterate lines of text: returns FALSE at the end; *line and *len give the line without its
 * line ending (CR, LF or CRLF). */
gboolean ndr_text_next_line  (const char **cursor, const char **line, gsize *len);

G_END_DECLS
