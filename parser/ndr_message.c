/*
 * NAME
 *   ndr_message.c - constructors and destructors of the parser's records
 * DESCRIPTION
 *   NdrMessage, NdrRecipient, NdrEvidence, NdrHop and NdrRaw: allocation, freeing, names of
 *   the enums, and the default limits.
 * TRUST
 *   Strings handed in are copied; the caller has cleaned and bounded them.
 */
#include "parser_priv.h"

#include <string.h>

static const char *const kind_names[] = {
  [NDR_KIND_NONE] = "none",
  [NDR_KIND_BOUNCE] = "bounce",
  [NDR_KIND_DELAY] = "delay",
  [NDR_KIND_DELIVERED] = "delivered",
  [NDR_KIND_AUTO_REPLY] = "auto-reply",
  [NDR_KIND_FEEDBACK] = "feedback",
};

static const char *const source_names[NDR_SOURCE_COUNT] = {
  [NDR_SOURCE_DSN_DIAGNOSTIC] = "dsn-diagnostic",
  [NDR_SOURCE_DSN_STATUS] = "dsn-status",
  [NDR_SOURCE_ADMIN_TEXT] = "admin-text",
  [NDR_SOURCE_USER_TEXT] = "user-text",
  [NDR_SOURCE_BODY] = "body",
  [NDR_SOURCE_HEADER] = "header",
  [NDR_SOURCE_HOPS] = "hops",
};

/**
 * ndr_limits_init:
 * @limits: (out caller-allocates): the limits to fill
 *
 * Sets every limit to its NDR_MAX_* default.
 */
void
ndr_limits_init (NdrLimits *limits)
{
  g_return_if_fail (limits != NULL);
  limits->max_message_size = NDR_MAX_MESSAGE_SIZE;
  limits->max_mime_depth = NDR_MAX_MIME_DEPTH;
  limits->max_recipients = NDR_MAX_RECIPIENTS;
  limits->max_line = NDR_MAX_LINE;
  limits->max_header = NDR_MAX_HEADER;
  limits->max_parts = NDR_MAX_PARTS;
  limits->max_text = NDR_MAX_TEXT;
  limits->max_evidence = NDR_MAX_EVIDENCE;
  limits->max_html_depth = NDR_MAX_HTML_DEPTH;
}

/**
 * ndr_kind_name:
 * @kind: a kind
 *
 * Returns: (transfer none): the name used in JSON ("bounce", "delay", ...).
 */
const char *
ndr_kind_name (NdrKind kind)
{
  if ((guint) kind >= G_N_ELEMENTS (kind_names))
    return "none";
  return kind_names[kind];
}

/**
 * ndr_source_name:
 * @source: an evidence source
 *
 * Returns: (transfer none): the name used in JSON and rule files ("admin-text", ...).
 */
const char *
ndr_source_name (NdrSource source)
{
  if ((guint) source >= NDR_SOURCE_COUNT)
    return "body";
  return source_names[source];
}

/**
 * ndr_source_from_name:
 * @name: a source name as ndr_source_name() writes it
 * @source: (out): the source
 *
 * Returns: TRUE if @name is a known source.
 */
gboolean
ndr_source_from_name (const char *name, NdrSource *source)
{
  for (guint i = 0; i < NDR_SOURCE_COUNT; i++)
    if (g_strcmp0 (name, source_names[i]) == 0) {
      *source = (NdrSource) i;
      return TRUE;
    }
  return FALSE;
}

/**
 * ndr_evidence_new:
 * @source: where it was found
 * @status: (nullable): enhanced status code
 * @reply_code: SMTP reply code or 0
 * @text: (nullable): the line it came from
 *
 * Returns: (transfer full): a new evidence item holding copies of the strings.
 */
NdrEvidence *
ndr_evidence_new (NdrSource source, const char *status, int reply_code, const char *text)
{
  NdrEvidence *ev = g_new0 (NdrEvidence, 1);
  ev->source = source;
  ev->status = (status != NULL && *status != '\0') ? g_strdup (status) : NULL;
  ev->reply_code = reply_code;
  ev->text = g_strdup (text);
  return ev;
}

/**
 * ndr_evidence_copy:
 * @ev: an evidence item
 *
 * Returns: (transfer full): a deep copy.
 */
NdrEvidence *
ndr_evidence_copy (const NdrEvidence *ev)
{
  return ndr_evidence_new (ev->source, ev->status, ev->reply_code, ev->text);
}

void
ndr_evidence_free (NdrEvidence *ev)
{
  if (ev == NULL)
    return;
  g_free (ev->status);
  g_free (ev->text);
  g_free (ev);
}

void
ndr_hop_free (NdrHop *hop)
{
  if (hop == NULL)
    return;
  g_free (hop->hop);
  g_free (hop->time);
  g_free (hop->from);
  g_free (hop->to);
  g_free (hop->with);
  g_free (hop->relay_time);
  g_free (hop);
}

/**
 * ndr_recipient_new:
 * @address: (nullable): the recipient's address
 *
 * Returns: (transfer full): a recipient with no evidence and no decision.
 */
NdrRecipient *
ndr_recipient_new (const char *address)
{
  NdrRecipient *rcpt = g_new0 (NdrRecipient, 1);
  rcpt->address = g_strdup (address);
  rcpt->evidence = g_ptr_array_new_with_free_func ((GDestroyNotify) ndr_evidence_free);
  rcpt->misleading = g_ptr_array_new_with_free_func (g_free);
  return rcpt;
}

void
ndr_recipient_free (NdrRecipient *rcpt)
{
  if (rcpt == NULL)
    return;
  g_free (rcpt->address);
  g_free (rcpt->original_recipient);
  g_free (rcpt->display_name);
  g_free (rcpt->action);
  g_free (rcpt->status);
  g_free (rcpt->remote_mta);
  g_free (rcpt->diagnostic);
  g_free (rcpt->last_attempt_date);
  g_free (rcpt->will_retry_until);
  g_ptr_array_unref (rcpt->evidence);
  g_free (rcpt->category);
  g_free (rcpt->outcome);
  g_free (rcpt->owner);
  g_free (rcpt->rule);
  g_free (rcpt->hint);
  g_free (rcpt->fix);
  g_ptr_array_unref (rcpt->misleading);
  g_free (rcpt->sisimai_reason);
  g_free (rcpt->decided_by);
  g_free (rcpt);
}

/**
 * ndr_message_new:
 * @source: where the message came from (path, path:N, "-")
 *
 * Returns: (transfer full): an empty record of kind none.
 */
NdrMessage *
ndr_message_new (const char *source)
{
  NdrMessage *msg = g_new0 (NdrMessage, 1);
  msg->source = g_strdup (source);
  msg->hops = g_ptr_array_new_with_free_func ((GDestroyNotify) ndr_hop_free);
  msg->recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) ndr_recipient_free);
  msg->evidence = g_ptr_array_new_with_free_func ((GDestroyNotify) ndr_evidence_free);
  return msg;
}

void
ndr_message_free (NdrMessage *msg)
{
  if (msg == NULL)
    return;
  g_free (msg->source);
  g_free (msg->error);
  g_free (msg->mta);
  g_free (msg->lang);
  g_free (msg->reporting_mta);
  g_free (msg->date);
  g_free (msg->subject);
  g_free (msg->from);
  g_free (msg->user_text);
  g_free (msg->admin_text);
  g_ptr_array_unref (msg->hops);
  g_free (msg->original_headers);
  g_free (msg->original.message_id);
  g_free (msg->original.from);
  g_free (msg->original.to);
  g_free (msg->original.subject);
  g_free (msg->original.date);
  g_ptr_array_unref (msg->recipients);
  g_ptr_array_unref (msg->evidence);
  g_free (msg);
}

/**
 * ndr_message_find_recipient:
 * @msg: a message
 * @address: an address, compared without case
 *
 * Returns: (transfer none) (nullable): the recipient with that address.
 */
NdrRecipient *
ndr_message_find_recipient (NdrMessage *msg, const char *address)
{
  if (address == NULL)
    return NULL;
  for (guint i = 0; i < msg->recipients->len; i++) {
    NdrRecipient *r = g_ptr_array_index (msg->recipients, i);
    if (r->address != NULL && g_ascii_strcasecmp (r->address, address) == 0)
      return r;
  }
  return NULL;
}

/**
 * ndr_message_add_recipient:
 * @msg: a message
 * @address: (nullable): the address; an existing recipient with it is returned instead
 * @limits: the limits in force
 *
 * Adds a recipient unless one with that address exists. At limits->max_recipients no more are
 * added: the cut is recorded in msg->error and NULL is returned.
 *
 * Returns: (transfer none) (nullable): the recipient.
 */
NdrRecipient *
ndr_message_add_recipient (NdrMessage *msg, const char *address, const NdrLimits *limits)
{
  NdrRecipient *r = ndr_message_find_recipient (msg, address);
  if (r != NULL)
    return r;
  if (msg->recipients->len >= limits->max_recipients) {
    if (msg->error == NULL)
      msg->error = g_strdup_printf ("recipient limit reached: only the first %u recipients kept "
                                    "(--max-recipients)", limits->max_recipients);
    return NULL;
  }
  r = ndr_recipient_new (address);
  g_ptr_array_add (msg->recipients, r);
  return r;
}

void
ndr_raw_free (NdrRaw *raw)
{
  if (raw == NULL)
    return;
  g_free (raw->source);
  if (raw->bytes != NULL)
    g_bytes_unref (raw->bytes);
  g_free (raw);
}
