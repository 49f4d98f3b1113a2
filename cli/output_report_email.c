/*
 * NAME
 *   output_report_email.c - the report as a complete mail for `sendmail -t`
 * DESCRIPTION
 *   ndr_report_email() builds a MIME message with GMime: From, To, Subject, Date and
 *   Message-ID, and a multipart/alternative body holding the text report and the HTML page
 *   (each UTF-8, quoted-printable), so that `ndr report --format email --to ADDR |
 *   sendmail -t` sends it.
 * TRUST
 *   --from and --to come from the user: each must parse as an address list (GMime writes
 *   them encoded, so no header can be smuggled in). The report's text came from bounces and
 *   is escaped by the text and HTML renderers.
 */
#include <gmime/gmime.h>

#include "output_report.h"

/* add_addresses - parse text into the message's list of type; FALSE if it is no address */
static gboolean
add_addresses (GMimeMessage *msg, GMimeAddressType type, const char *text, GError **error)
{
  InternetAddressList *list = internet_address_list_parse (NULL, text);
  if (list == NULL || internet_address_list_length (list) == 0) {
    if (list != NULL)
      g_object_unref (list);
    g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE, "not an address: '%.60s'", text);
    return FALSE;
  }
  internet_address_list_append (g_mime_message_get_addresses (msg, type), list);
  g_object_unref (list);
  return TRUE;
}

/* text_part - a UTF-8 quoted-printable text part of subtype */
static GMimeObject *
text_part (const char *subtype, const char *text)
{
  GMimeTextPart *part = g_mime_text_part_new_with_subtype (subtype);
  g_mime_text_part_set_text (part, text);
  g_mime_part_set_content_encoding (GMIME_PART (part), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  return GMIME_OBJECT (part);
}

/**
 * ndr_report_email:
 * @out: where the message goes
 * @report: the report
 * @lang: "en" or "de"
 * @from: the From address
 * @to: the To address or addresses
 * @error: NDR_ERROR_USAGE when @from or @to is no address
 *
 * Appends a complete MIME message. ndr_parser_init() (g_mime_init) must have run.
 *
 * Returns: FALSE if an address was refused.
 */
gboolean
ndr_report_email (GString *out, const NdrReport *report, const char *lang, const char *from,
                  const char *to, GError **error)
{
  GMimeMessage *msg = g_mime_message_new (TRUE);
  if (!add_addresses (msg, GMIME_ADDRESS_TYPE_FROM, from, error)
      || !add_addresses (msg, GMIME_ADDRESS_TYPE_TO, to, error)) {
    g_object_unref (msg);
    return FALSE;
  }
  g_autofree char *subject = g_strdup_printf ("%s %s .. %s: %" G_GUINT64_FORMAT,
                                              ndr_report_word ("title", lang), report->from,
                                              report->to, report->total);
  g_mime_message_set_subject (msg, subject, "utf-8");
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_mime_message_set_date (msg, now);
  g_autofree char *id = g_mime_utils_generate_message_id (g_get_host_name ());
  g_mime_message_set_message_id (msg, id);
  g_mime_object_set_header (GMIME_OBJECT (msg), "Auto-Submitted", "auto-generated", NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) html = g_string_new (NULL);
  ndr_report_text (text, report, lang);
  ndr_report_html (html, report, lang);
  GMimeMultipart *alt = g_mime_multipart_new_with_subtype ("alternative");
  GMimeObject *plain = text_part ("plain", text->str);
  GMimeObject *rich = text_part ("html", html->str);
  g_mime_multipart_add (alt, plain);
  g_mime_multipart_add (alt, rich);
  g_object_unref (plain);
  g_object_unref (rich);
  g_mime_message_set_mime_part (msg, GMIME_OBJECT (alt));
  g_object_unref (alt);
  char *all = g_mime_object_to_string (GMIME_OBJECT (msg), NULL);
  g_string_append (out, all);
  g_free (all);
  g_object_unref (msg);
  return TRUE;
}
