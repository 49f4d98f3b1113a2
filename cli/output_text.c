/*
 * NAME
 *   output_text.c - one NdrMessage as a short block of text for people
 * DESCRIPTION
 *   ndr_human_append_message() writes the source and kind on the first line, then what the
 *   report is (MTA, language, reporting MTA, date, subject), any error, one line per
 *   recipient with its action and codes, and under it the category, the diagnostic and the
 *   hint when there are any; a message without recipients shows the first codes found in
 *   it instead. A blank line ends the block.
 * TRUST
 *   Every string from a bounce goes through ndr_printable() and is cut at SHOWN_MAX bytes:
 *   nothing a stranger wrote reaches the terminal as a control character.
 */
#include "output.h"

#define SHOWN_MAX      300   /* bytes of one field shown; the JSON output has it all */
#define EVIDENCE_SHOWN 5     /* codes shown for a message without recipients */

/* put - append label and the cleaned value on a line of its own, indented; skip NULL */
static void
put (GString *out, const char *indent, const char *label, const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  g_autofree char *clean = ndr_printable (value, -1, SHOWN_MAX, NDR_PRINTABLE_ONE_LINE);
  g_string_append_printf (out, "%s%s: %s\n", indent, label, clean);
}

/* put_inline - append " label value" cleaned, on the current line; skip NULL */
static void
put_inline (GString *out, const char *label, const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  g_autofree char *clean = ndr_printable (value, -1, SHOWN_MAX, NDR_PRINTABLE_ONE_LINE);
  g_string_append_printf (out, " %s%s", label, clean);
}

/* recipient - the lines of one recipient */
static void
recipient (GString *out, const NdrRecipient *r)
{
  g_autofree char *addr = ndr_printable (r->address != NULL ? r->address : "(unknown recipient)",
                                         -1, SHOWN_MAX, NDR_PRINTABLE_ONE_LINE);
  g_string_append_printf (out, "  %s:", addr);
  put_inline (out, "", r->action != NULL ? r->action : "(no action)");
  put_inline (out, "", r->status);
  if (r->reply_code != 0)
    g_string_append_printf (out, " %d", r->reply_code);
  put_inline (out, "via ", r->remote_mta);
  g_string_append_c (out, '\n');
  if (r->category != NULL) {
    g_string_append (out, "    category:");
    put_inline (out, "", r->category);
    put_inline (out, "(", r->outcome != NULL ? r->outcome : "?");
    g_string_append (out, r->permanent ? ", permanent)" : ", temporary)");
    if (r->owner != NULL)
      g_string_append_c (out, ',');
    put_inline (out, "owner ", r->owner);
    if (r->rule != NULL)
      g_string_append_c (out, ',');
    put_inline (out, "rule ", r->rule);
    g_string_append_c (out, '\n');
  }
  if (r->misleading != NULL && r->misleading->len > 0) {
    g_autoptr(GString) codes = g_string_new (NULL);
    for (guint i = 0; i < r->misleading->len; i++)
      g_string_append_printf (codes, "%s%s", i > 0 ? " " : "",
                              (const char *) g_ptr_array_index (r->misleading, i));
    put (out, "    ", "misleading", codes->str);
  }
  put (out, "    ", "diagnostic", r->diagnostic);
  put (out, "    ", "hint", r->hint);
  put (out, "    ", "fix", r->fix);
}

/* loose_evidence - the first codes found outside any recipient, one line each */
static void
loose_evidence (GString *out, const GPtrArray *evidence)
{
  for (guint i = 0; evidence != NULL && i < MIN (evidence->len, EVIDENCE_SHOWN); i++) {
    const NdrEvidence *ev = g_ptr_array_index (evidence, i);
    g_string_append (out, "  found");
    put_inline (out, "", ev->status);
    if (ev->reply_code != 0)
      g_string_append_printf (out, " %d", ev->reply_code);
    g_string_append_printf (out, " in %s:", ndr_source_name (ev->source));
    put_inline (out, "", ev->text);
    g_string_append_c (out, '\n');
  }
  if (evidence != NULL && evidence->len > EVIDENCE_SHOWN)
    g_string_append_printf (out, "  (%u more codes)\n", evidence->len - EVIDENCE_SHOWN);
}

/**
 * ndr_human_append_message:
 * @out: where to append
 * @msg: the message
 *
 * Appends the text block of @msg, ending with a blank line.
 */
void
ndr_human_append_message (GString *out, const NdrMessage *msg)
{
  g_return_if_fail (out != NULL && msg != NULL);
  g_autofree char *source = ndr_printable (msg->source, -1, SHOWN_MAX, NDR_PRINTABLE_ONE_LINE);
  g_string_append_printf (out, "%s: %s", source, ndr_kind_name (msg->kind));
  put_inline (out, "from ", msg->mta);
  if (msg->lang != NULL)
    put_inline (out, "in ", msg->lang);
  g_string_append_c (out, '\n');
  put (out, "  ", "error", msg->error);
  put (out, "  ", "reporting MTA", msg->reporting_mta);
  put (out, "  ", "date", msg->date);
  put (out, "  ", "subject", msg->subject);
  put (out, "  ", "original", msg->original.subject);
  for (guint i = 0; msg->recipients != NULL && i < msg->recipients->len; i++)
    recipient (out, g_ptr_array_index (msg->recipients, i));
  gboolean report = msg->kind == NDR_KIND_BOUNCE || msg->kind == NDR_KIND_DELAY
                    || msg->kind == NDR_KIND_DELIVERED;
  if (msg->recipients == NULL || msg->recipients->len == 0) {
    if (report)
      g_string_append (out, "  (no recipients found)\n");  /* a report that names nobody */
    loose_evidence (out, msg->evidence);
  }
  g_string_append_c (out, '\n');
}
