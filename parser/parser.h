/*
 * NAME
 *   parser.h - the public interface of parser/: inputs in, NdrMessage records out
 * DESCRIPTION
 *   An NdrReader walks the inputs a user names (files, Maildir and plain folders, mbox files
 *   recognised by content, standard input) and yields one NdrRaw per message, bounded by
 *   NdrLimits. ndr_parse_raw() turns those bytes into an NdrMessage: the kind of report, the
 *   MTA that wrote it, the Office 365 sections, the original message and, per recipient, every
 *   status code found with the place it was found.
 *
 *   Other folders include only this header from parser/.
 * TRUST
 *   None: every byte comes from a stranger. Strings in an NdrMessage are valid UTF-8, cut at
 *   the limits in force, but may still hold control characters: printers must clean them.
 */
#pragma once

#include <glib.h>

#include "ndr_error.h"
#include "ndr_limits.h"

G_BEGIN_DECLS

/* What a message is. */
typedef enum {
  NDR_KIND_NONE = 0,    /* not a bounce */
  NDR_KIND_BOUNCE,      /* delivery failed */
  NDR_KIND_DELAY,       /* delivery delayed, still being retried */
  NDR_KIND_DELIVERED,   /* delivered, relayed or expanded DSN */
  NDR_KIND_AUTO_REPLY,  /* RFC 3834 automatic reply, out of office */
  NDR_KIND_FEEDBACK,    /* ARF feedback report */
} NdrKind;

/* Where a piece of evidence was found, in falling order of authority. */
typedef enum {
  NDR_SOURCE_DSN_DIAGNOSTIC = 0, /* Diagnostic-Code of a message/delivery-status part */
  NDR_SOURCE_DSN_STATUS,         /* Status of a message/delivery-status part */
  NDR_SOURCE_ADMIN_TEXT,         /* O365 admin section, or an MTA's transcript of the remote reply */
  NDR_SOURCE_USER_TEXT,          /* O365 user section */
  NDR_SOURCE_BODY,               /* any other text of the report (not the quoted original) */
  NDR_SOURCE_HEADER,             /* a header of the report itself (X-Postfix-..., Subject, ...) */
  NDR_SOURCE_HOPS,               /* derived from the hop table (e.g. the same host passed again) */
  NDR_SOURCE_COUNT
} NdrSource;

/* One status code, reply code or both, found on one line. */
typedef struct {
  NdrSource source;
  char     *status;      /* enhanced status "5.1.1", or NULL */
  int       reply_code;  /* SMTP reply code 550, or 0 */
  char     *text;        /* the line it came from, trimmed, at most limits->max_line bytes */
} NdrEvidence;

/* One row of the O365 "Message hops" table; every field may be NULL. */
typedef struct {
  char *hop;
  char *time;
  char *from;
  char *to;
  char *with;
  char *relay_time;
} NdrHop;

/* One recipient of the original message and what the report says about it. */
typedef struct {
  /* Set by parser/. */
  char      *address;            /* Final-Recipient or the address the MTA names; NULL if unknown */
  char      *original_recipient; /* Original-Recipient, NULL if absent */
  char      *display_name;       /* X-Display-Name, NULL if absent */
  char      *action;             /* failed, delayed, delivered, relayed, expanded; NULL if unknown */
  char      *status;             /* the report's own status (DSN Status, or the code it puts first);
                                    classify/ replaces it with the real one */
  int        reply_code;         /* the report's reply code, 0 if none; classify/ may replace it */
  char      *remote_mta;         /* Remote-MTA, without "dns;" */
  char      *diagnostic;         /* Diagnostic-Code, without "smtp;", or the MTA's error line */
  char      *last_attempt_date;  /* Last-Attempt-Date, as written */
  char      *will_retry_until;   /* Will-Retry-Until, as written */
  GPtrArray *evidence;           /* NdrEvidence *, in the order found; owns them */

  /* Set by classify/ (ndr_classify_message); NULL, 0 or FALSE before that. */
  char      *category;           /* an id of shared/spec/categories.tsv */
  char      *outcome;            /* failed, delayed, expired, delivered */
  gboolean   permanent;
  char      *owner;              /* sender-user, sender-admin, recipient-admin, ... */
  char      *rule;               /* id of the rule that decided */
  double     confidence;         /* 0..1 */
  char      *hint;               /* what happened, in the language asked for */
  char      *fix;                /* what to do, in the language asked for */
  GPtrArray *misleading;         /* char *: codes that the report shows but are not the cause */
  char      *sisimai_reason;     /* the category's sisimai reason */
  char      *decided_by;         /* evidence source name of the deciding evidence, or NULL */
} NdrRecipient;

/* The original message the report is about. Every field may be NULL. */
typedef struct {
  char *message_id;
  char *from;
  char *to;
  char *subject;
  char *date;
} NdrOriginal;

/* One message read from an input, parsed. */
typedef struct {
  char       *source;           /* path, or path:N for the N-th message of an mbox, "-" for stdin */
  NdrKind     kind;
  char       *error;            /* why the message could not be read fully; NULL if it could */
  char       *mta;              /* o365, exchange, postfix, sendmail, exim, qmail, rfc3464, unknown */
  char       *lang;             /* en, de, ...; NULL if not known */
  char       *reporting_mta;
  char       *date;             /* Date of the report, as written */
  char       *subject;          /* Subject of the report */
  char       *from;             /* From of the report */

  /* Office 365 / Exchange sections; NULL (hops: empty) when the report has none. */
  char       *user_text;
  char       *admin_text;
  GPtrArray  *hops;             /* NdrHop *; owns them */
  char       *original_headers; /* the full block of the original's headers */

  NdrOriginal original;
  GPtrArray  *recipients;       /* NdrRecipient *; owns them */
  GPtrArray  *evidence;         /* NdrEvidence * not tied to one recipient; ndr_parse_raw() copies
                                   them to every recipient before it returns */
  gsize       size;             /* bytes of the raw message (before any cut) */
} NdrMessage;

/* The bytes of one message, as an NdrReader yields them. */
typedef struct {
  char   *source;     /* as NdrMessage.source */
  GBytes *bytes;      /* at most limits->max_message_size bytes */
  gsize   size;       /* the message's real size; > bytes' size when it was cut */
  gboolean truncated; /* the message was over max_message_size and was cut */
} NdrRaw;

typedef struct NdrReader NdrReader;

const char   *ndr_kind_name       (NdrKind kind);
const char   *ndr_source_name     (NdrSource source);
gboolean      ndr_source_from_name(const char *name, NdrSource *source);

NdrMessage   *ndr_message_new     (const char *source);
void          ndr_message_free    (NdrMessage *msg);
NdrRecipient *ndr_recipient_new   (const char *address);
void          ndr_recipient_free  (NdrRecipient *rcpt);
NdrRecipient *ndr_message_add_recipient (NdrMessage *msg, const char *address,
                                         const NdrLimits *limits);
NdrRecipient *ndr_message_find_recipient (NdrMessage *msg, const char *address);
NdrEvidence  *ndr_evidence_new    (NdrSource source, const char *status, int reply_code,
                                   const char *text);
NdrEvidence  *ndr_evidence_copy   (const NdrEvidence *ev);
void          ndr_evidence_free   (NdrEvidence *ev);
void          ndr_hop_free        (NdrHop *hop);
void          ndr_raw_free        (NdrRaw *raw);

/* Reading inputs: see parser/ndr_input.c. */
NdrReader    *ndr_reader_new      (const NdrLimits *limits);
void          ndr_reader_add_path (NdrReader *reader, const char *path);
void          ndr_reader_add_stdin(NdrReader *reader);
NdrRaw       *ndr_reader_next     (NdrReader *reader, GError **error);
void          ndr_reader_free     (NdrReader *reader);

/* Parsing one message: see parser/ndr_parse.c. */
NdrMessage   *ndr_parse_raw       (const NdrRaw *raw, const NdrLimits *limits);
NdrMessage   *ndr_parse_bytes     (const char *data, gsize len, const char *source,
                                   const NdrLimits *limits);

/* Process-wide setup (g_mime_init); call once before any parse, from the main thread. */
void          ndr_parser_init     (void);
void          ndr_parser_shutdown (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NdrMessage, ndr_message_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NdrRecipient, ndr_recipient_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NdrEvidence, ndr_evidence_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NdrRaw, ndr_raw_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NdrReader, ndr_reader_free)

G_END_DECLS
