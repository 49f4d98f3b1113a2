/*
 * NAME
 *   output.h - how ndr prints records: JSON, text for people, and cleaning untrusted text
 * DESCRIPTION
 *   A renderer appends one message to a GString; cli/cmd_*.c write the GString out. The
 *   renderers and ndr_printable() live in the static library ndrcli, so tests link them.
 * TRUST
 *   Every string of an NdrMessage came from a stranger: JSON escapes it and forces UTF-8,
 *   text output passes it through ndr_printable() first.
 */
#pragma once

#include <glib.h>

#include "parser.h"

G_BEGIN_DECLS

/* output_json.c: the JSON of one message, keys in the order of docs/json-schema.md. */
char *ndr_json_render_message (const NdrMessage *msg, gboolean pretty);
void  ndr_json_append_message (GString *out, const NdrMessage *msg, gboolean pretty);

/* output_text.c: a short block for people, every bounce string cleaned. */
void  ndr_human_append_message (GString *out, const NdrMessage *msg);

/* output_printable.c: untrusted text made safe for a terminal. */
typedef enum {
  NDR_PRINTABLE_ONE_LINE  = 0,       /* line ends and tabs become spaces */
  NDR_PRINTABLE_MULTILINE = 1 << 0,  /* keep line feeds (CR and CRLF become LF) */
} NdrPrintableFlags;

char *ndr_printable (const char *text, gssize len, gsize max, NdrPrintableFlags flags);

G_END_DECLS
