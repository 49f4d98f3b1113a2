/*
 * NAME
 *   output_report.h - how ndr why, ndr search and ndr report print: escaping, words, renderers
 * DESCRIPTION
 *   output_escape.c makes a stranger's text safe for HTML, CSV and JSON; output_report_text.c
 *   holds the words in English and German and the text report; the other output_report_*.c
 *   render the report as JSON, CSV, HTML and a MIME message. They live in the static library
 *   ndrcli, so tests/test_query.c links them.
 * TRUST
 *   Every string of a report or a stored failure came from a stranger.
 */
#pragma once

#include <glib.h>

#include "store.h"

G_BEGIN_DECLS

/* output_escape.c: untrusted text for HTML, CSV and JSON. */
void  ndr_escape_html   (GString *out, const char *text);
void  ndr_escape_csv    (GString *out, const char *text);
void  ndr_escape_json   (GString *out, const char *text);
char *ndr_escape_clean  (const char *text, gsize max);

/* output_report_text.c: words by language ("en", "de"), and the text report. */
const char *ndr_report_word  (const char *key, const char *lang);
const char *ndr_report_owner (const char *owner, const char *lang);
const char *ndr_report_meaning (const char *category, const char *lang);
char       *ndr_report_trend (const guint64 *per_day, guint days);
void        ndr_report_text  (GString *out, const NdrReport *report, const char *lang);

/* the other renderers of the report */
void        ndr_report_json  (GString *out, const NdrReport *report, const char *lang);
void        ndr_report_csv   (GString *out, const NdrReport *report, const char *lang);
void        ndr_report_html  (GString *out, const NdrReport *report, const char *lang);
gboolean    ndr_report_email (GString *out, const NdrReport *report, const char *lang,
                              const char *from, const char *to, GError **error);

G_END_DECLS
