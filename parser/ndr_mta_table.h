/*
 * NAME
 *   ndr_mta_table.h - plain-text bounce formats described as tables, read by one engine
 * DESCRIPTION
 *   A plain-text MTA (Postfix, Sendmail, Exim, qmail, ...) is an NdrMtaTable: markers that
 *   detect it and line patterns that extract its recipients. ndr_mta_table_detect() and
 *   ndr_mta_table_extract() interpret any table; ndr_mta_NAME.c holds only the table and its
 *   NdrFormat. Adding an MTA is one file with one table, one row in ndr_formats[] and one
 *   corpus case.
 *
 *   Extraction reads the report text line by line:
 *     - NDR_MTA_STOP rows end the reading: what follows is the quoted original.
 *     - NDR_MTA_START rows open the section that lists recipients; before it (or when the
 *       text has no START line at all, in a second pass over the whole text) nothing but
 *       REPORTER and ACTION rows are looked at.
 *     - NDR_MTA_RCPT rows name a recipient (group "addr") and open its block; the group
 *       "rest", when it matched, is the first text of the block.
 *     - In a table with join set, every following non-blank line belongs to the block until
 *       a blank line or the next RCPT line, and the block is joined into one line before
 *       REPLY and HOST rows are tried on it (Postfix and Exim wrap one error over lines).
 *       Without join, REPLY and HOST rows are tried on each line (Sendmail, qmail), and a
 *       line that continues a multi-line SMTP reply ("550-..." then "550 ...") is added to
 *       the reply before it.
 *     - NDR_MTA_REPLY rows find the remote server's reply (group "reply", optional "host"):
 *       it becomes admin-text evidence and, unless the DSN part gave one, the recipient's
 *       diagnostic. A reply outside any block goes to the recipient it names in <...>, else
 *       to the only recipient, else to the message.
 *     - NDR_MTA_HOST rows name the remote host (group "host"); outside a block the host
 *       holds for the blocks that follow ("... while talking to mx.example.net.:").
 *     - Anything else with a code in the section is the MTA's own words: body evidence.
 *     - NDR_MTA_SKIP rows match section lines that say nothing about the failure (the
 *       fields of a summary of the original): they are ignored.
 *     - NDR_MTA_REPORTER rows name the reporting MTA (group "host"); NDR_MTA_ACTION rows set
 *       the action ("failed", "delayed") given to recipients that the DSN part left without
 *       one. A START row may also carry an action.
 *   Recipients the DSN part already made are found by address and completed, never doubled.
 *   When the DSN part made recipients, its list is the list: a text address it lacks is
 *   taken for its only recipient under another name (an alias, a forward) when it has just
 *   one, and otherwise ignored with its block.
 * TRUST
 *   None: the text is the decoded body of a stranger's message. Lines are cut at
 *   limits->max_line, a joined block at the same bound, detection looks only at the first
 *   NDR_MTA_DETECT_WINDOW bytes of the text, and every pattern runs under
 *   NDR_PCRE2_MATCH_LIMIT.
 */
#pragma once

#include "parser_priv.h"

G_BEGIN_DECLS

/* Bytes of report text searched for body markers: the introduction and the headings of every
 * MTA we know come well before this; a long transcript behind them need not be read twice. */
#define NDR_MTA_DETECT_WINDOW (32u * 1024u)

/* Where a detection marker is looked for. */
typedef enum {
  NDR_MTA_IN_FROM,      /* the report's From */
  NDR_MTA_IN_SUBJECT,   /* the report's Subject */
  NDR_MTA_IN_HEADER,    /* the header named by the marker is present (text is the name) */
  NDR_MTA_IN_BODY,      /* the report text, within NDR_MTA_DETECT_WINDOW */
  NDR_MTA_IN_DSN,       /* the message/delivery-status part */
} NdrMtaWhere;

/* One detection marker: caseless substring, and how much it counts. */
typedef struct {
  NdrMtaWhere where;
  const char *text;
  int         weight;
  const char *lang;     /* the language it implies, or NULL */
} NdrMtaMarker;

/* What a line pattern means. */
typedef enum {
  NDR_MTA_START,        /* opens the list of recipients */
  NDR_MTA_STOP,         /* opens the quoted original: nothing after it is read */
  NDR_MTA_RCPT,         /* names a recipient: (?<addr>...), optional (?<rest>...) */
  NDR_MTA_REPLY,        /* the remote server's reply: (?<reply>...), optional (?<host>...) */
  NDR_MTA_HOST,         /* names the remote host: (?<host>...) */
  NDR_MTA_REPORTER,     /* names the reporting MTA: (?<host>...) */
  NDR_MTA_ACTION,       /* sets the action given to recipients from here on */
  NDR_MTA_SKIP,         /* a line of no interest inside the section (a field of a summary):
                           ignored, and not added to the open block */
} NdrMtaKind;

/* One line pattern: PCRE2, caseless, UTF; tried in table order, the first match counts. */
typedef struct {
  NdrMtaKind  kind;
  const char *pattern;
  const char *action;   /* START and ACTION rows: "failed", "delayed"; else NULL */
  const char *lang;     /* the language it implies, or NULL */
} NdrMtaLine;

/* The compiled patterns of one table, made once on first use (ndr_mta_table.c). */
typedef struct NdrMtaCache NdrMtaCache;

/* One plain-text MTA. */
typedef struct {
  const char         *name;       /* msg->mta */
  const NdrMtaMarker *markers;
  guint               n_markers;
  int                 threshold;  /* detect() says yes when the weights found reach this */
  const NdrMtaLine   *lines;
  guint               n_lines;
  gboolean            join;       /* a block is one wrapped line: join before matching */
  const char         *action;     /* the action when no row set one: "failed" */
  NdrMtaCache        *cache;      /* a zeroed static NdrMtaCache of the table's own file */
} NdrMtaTable;

/* Space for an NdrMtaCache; the engine alone looks inside. */
struct NdrMtaCache {
  gsize    once;      /* g_once_init_enter() guard */
  gpointer compiled;  /* the engine's compiled rows */
};

gboolean ndr_mta_table_detect  (const NdrMtaTable *table, const NdrMessage *msg,
                                const NdrParts *parts);
void     ndr_mta_table_extract (const NdrMtaTable *table, NdrMessage *msg,
                                const NdrParts *parts, const NdrLimits *limits);

G_END_DECLS
