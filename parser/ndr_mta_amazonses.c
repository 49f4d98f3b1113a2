/*
 * NAME
 *   ndr_mta_amazonses.c - Amazon SES bounces, and its JSON notifications sent as mail
 * DESCRIPTION
 *   ndr_format_amazonses reads two things:
 *     - SES's own bounce mail (From MAILER-DAEMON@...amazonses.com, X-SES-Outgoing): a short
 *       text ("The following message to <rcpt> was undeliverable.", "An error occurred while
 *       trying to deliver the mail to the following recipients:") before a DSN part, read as
 *       a table by ndr_mta_table.c;
 *     - an SES event notification that arrives as the body of a message (through SNS or a
 *       mail subscription): a JSON object with "notificationType" Bounce, Delivery or
 *       Complaint, itself maybe the string "Message" of an SNS envelope. Each bounced,
 *       delivered or complained-of recipient becomes a recipient; its "status" and
 *       "diagnosticCode" are evidence of the same weight as a DSN part's fields.
 *   Mail systems wrap long lines, even inside a JSON string, so line breaks are dropped
 *   before the JSON is parsed.
 * TRUST
 *   None: the body is a stranger's. The JSON is parsed by json-glib from the report text,
 *   already cut at limits->max_text; values are copied cut at limits->max_line, recipients
 *   stop at limits->max_recipients.
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include "ndr_mta_table.h"

static const NdrMtaMarker ses_markers[] = {
  { NDR_MTA_IN_FROM,    "amazonses.",                                         2, NULL },
  { NDR_MTA_IN_FROM,    "sns.amazonaws.com",                                  1, NULL },
  { NDR_MTA_IN_HEADER,  "X-SES-Outgoing",                                     2, NULL },
  { NDR_MTA_IN_HEADER,  "X-AWS-Outgoing",                                     2, NULL },
  { NDR_MTA_IN_SUBJECT, "AWS Notification Message",                           1, NULL },
  { NDR_MTA_IN_SUBJECT, "Delivery Status Notification",                       1, NULL },
  { NDR_MTA_IN_BODY,    "notificationType",                                   3, NULL },
  { NDR_MTA_IN_BODY,    "amazonses.",                                         1, NULL },
  { NDR_MTA_IN_BODY,    "An error occurred while trying to deliver the mail to the following "
                        "recipients",                                         1, NULL },
  { NDR_MTA_IN_DSN,     "amazonses.",                                         2, NULL },
};

static const NdrMtaLine ses_lines[] = {
  { NDR_MTA_START, "^\\s*An error occurred while trying to deliver the mail to the following "
                   "recipients", "failed", NULL },
  { NDR_MTA_RCPT,  "^\\s*The following message to <(?<addr>[^<>\\s]+@[^<>\\s]+)> was "
                   "undeliverable", NULL, NULL },
  { NDR_MTA_RCPT,  "^\\s*(?<addr>[^\\s<>@:]+@[^\\s<>:]+)\\s*$", NULL, NULL },
  { NDR_MTA_REPLY, "^\\s*(?<reply>[245]\\.\\d{1,3}\\.\\d{1,3}\\s+-\\s+.*?)\\s*$", NULL, NULL },
};

static NdrMtaCache ses_cache;

static const NdrMtaTable ses_table = {
  .name = "amazonses",
  .markers = ses_markers,
  .n_markers = G_N_ELEMENTS (ses_markers),
  .threshold = 4,
  .lines = ses_lines,
  .n_lines = G_N_ELEMENTS (ses_lines),
  .join = TRUE,
  .action = "failed",
  .cache = &ses_cache,
};

/* detect - SES's headers, or a JSON notification in the body */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&ses_table, msg, parts);
}

/* member - a string member of obj, cut at max, or NULL (transfer full) */
static char *
member (JsonObject *obj, const char *name, gsize max)
{
  if (obj == NULL || !json_object_has_member (obj, name))
    return NULL;
  JsonNode *node = json_object_get_member (obj, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  const char *s = json_node_get_string (node);
  return s != NULL ? ndr_text_clean_utf8 (s, -1, max) : NULL;
}

/* object - an object member of obj, or NULL (borrowed) */
static JsonObject *
object (JsonObject *obj, const char *name)
{
  if (obj == NULL || !json_object_has_member (obj, name))
    return NULL;
  JsonNode *node = json_object_get_member (obj, name);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* parse_object - the JSON object between the first '{' and the last '}' of text, line
 * breaks dropped; NULL if there is none (transfer full) */
static JsonNode *
parse_object (const char *text)
{
  const char *open = strchr (text, '{');
  const char *close = strrchr (text, '}');
  if (open == NULL || close == NULL || close < open)
    return NULL;
  GString *flat = g_string_sized_new ((gsize) (close - open) + 2);
  for (const char *p = open; p <= close; p++)
    if (*p != '\r' && *p != '\n')
      g_string_append_c (flat, *p);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gboolean ok = json_parser_load_from_data (parser, flat->str, (gssize) flat->len, NULL);
  g_string_free (flat, TRUE);
  if (!ok || json_parser_get_root (parser) == NULL
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_parser_steal_root (parser);
}

/* add_field - a status or diagnostic value as evidence of the weight of a DSN field */
static void
add_field (NdrRecipient *rcpt, NdrSource source, const char *value, const NdrLimits *limits)
{
  char status[16];
  int code = 0;
  if (value == NULL || !ndr_evidence_parse_line (value, status, &code))
    return;
  ndr_evidence_add (rcpt->evidence, source, status, code, value, limits);
  if (rcpt->status == NULL && status[0] != '\0')
    rcpt->status = g_strdup (status);
  if (rcpt->reply_code == 0)
    rcpt->reply_code = code;
}

/* add_rcpt - one recipient of a notification, with what it says about it */
static void
add_rcpt (NdrMessage *msg, const char *addr, const char *action, const char *status,
          const char *diag, const NdrLimits *limits)
{
  g_autofree char *clean = ndr_text_strip_addr (addr);
  if (clean == NULL || strchr (clean, '@') == NULL)
    return;
  NdrRecipient *rcpt = ndr_message_find_recipient (msg, clean);
  if (rcpt == NULL)
    rcpt = ndr_message_add_recipient (msg, clean, limits);
  if (rcpt == NULL)
    return;                                       /* the recipient limit: recorded there */
  if (rcpt->action == NULL && action != NULL)
    rcpt->action = g_strdup (action);
  if (status != NULL) {
    g_autofree char *text = g_strconcat ("Status: ", status, NULL);
    add_field (rcpt, NDR_SOURCE_DSN_STATUS, text, limits);
  }
  const char *d = diag;
  if (d != NULL && g_ascii_strncasecmp (d, "smtp;", 5) == 0)
    d += 5;
  while (d != NULL && *d == ' ')
    d++;
  add_field (rcpt, NDR_SOURCE_DSN_DIAGNOSTIC, d, limits);
  if (rcpt->diagnostic == NULL && d != NULL && *d != '\0')
    rcpt->diagnostic = g_strdup (d);
}

/* array_len - the array member name of obj in *array (borrowed) and its length; 0 if none */
static guint
array_len (JsonObject *obj, const char *name, JsonArray **array)
{
  *array = NULL;
  if (obj == NULL || !json_object_has_member (obj, name))
    return 0;
  JsonNode *node = json_object_get_member (obj, name);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return 0;
  *array = json_node_get_array (node);
  return json_array_get_length (*array);
}

/* read_bounce - "bounce": {"bouncedRecipients": [{emailAddress, action, status, ...}]} */
static void
read_bounce (NdrMessage *msg, JsonObject *bounce, const NdrLimits *limits)
{
  gsize max = limits->max_line;
  g_autofree char *type = member (bounce, "bounceType", max);
  const char *fallback = g_strcmp0 (type, "Transient") == 0 ? "delayed" : "failed";
  JsonArray *list;
  guint n = array_len (bounce, "bouncedRecipients", &list);
  for (guint i = 0; i < n; i++) {
    JsonNode *node = json_array_get_element (list, i);
    if (!JSON_NODE_HOLDS_OBJECT (node))
      continue;
    JsonObject *r = json_node_get_object (node);
    g_autofree char *addr = member (r, "emailAddress", max);
    g_autofree char *action = member (r, "action", max);
    g_autofree char *status = member (r, "status", max);
    g_autofree char *diag = member (r, "diagnosticCode", max);
    add_rcpt (msg, addr, action != NULL ? action : fallback, status, diag, limits);
  }
  g_autofree char *mta = member (bounce, "reportingMTA", max);
  const char *semi = mta != NULL ? strchr (mta, ';') : NULL;
  if (msg->reporting_mta == NULL && mta != NULL)
    msg->reporting_mta = g_strstrip (g_strdup (semi != NULL ? semi + 1 : mta));
}

/* read_list - "delivery" or "complaint": a list of addresses (strings or objects) */
static void
read_list (NdrMessage *msg, JsonObject *obj, const char *name, const char *action,
           const NdrLimits *limits)
{
  gsize max = limits->max_line;
  g_autofree char *reply = member (obj, "smtpResponse", max);
  JsonArray *list;
  guint n = array_len (obj, name, &list);
  for (guint i = 0; i < n; i++) {
    JsonNode *node = json_array_get_element (list, i);
    g_autofree char *addr = NULL;
    if (JSON_NODE_HOLDS_OBJECT (node))
      addr = member (json_node_get_object (node), "emailAddress", max);
    else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
      addr = ndr_text_clean_utf8 (json_node_get_string (node), -1, max);
    add_rcpt (msg, addr, action, NULL, reply, limits);
  }
  g_autofree char *mta = member (obj, "reportingMTA", max);
  if (msg->reporting_mta == NULL && mta != NULL)
    msg->reporting_mta = g_steal_pointer (&mta);
}

/* read_mail - "mail": the original's headers as SES kept them */
static void
read_mail (NdrMessage *msg, JsonObject *mail, gsize max)
{
  JsonObject *common = object (mail, "commonHeaders");
  if (msg->original.message_id == NULL)
    msg->original.message_id = member (common, "messageId", max);
  if (msg->original.subject == NULL)
    msg->original.subject = member (common, "subject", max);
  if (msg->original.date == NULL)
    msg->original.date = member (common, "date", max);
  if (msg->original.from == NULL)
    msg->original.from = member (mail, "source", max);
}

/* read_notification - the SES event, maybe inside an SNS envelope's "Message"; FALSE if the
 * text holds none */
static gboolean
read_notification (NdrMessage *msg, const char *text, const NdrLimits *limits)
{
  g_autoptr(JsonNode) root = parse_object (text);
  if (root == NULL)
    return FALSE;
  JsonObject *obj = json_node_get_object (root);
  g_autofree char *inner = member (obj, "Message", limits->max_text);
  g_autoptr(JsonNode) inner_root = inner != NULL ? parse_object (inner) : NULL;
  if (inner_root != NULL)
    obj = json_node_get_object (inner_root);
  g_autofree char *type = member (obj, "notificationType", limits->max_line);
  if (type == NULL)
    type = member (obj, "eventType", limits->max_line);
  if (type == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (type, "Bounce") == 0)
    read_bounce (msg, object (obj, "bounce"), limits);
  else if (g_ascii_strcasecmp (type, "Delivery") == 0)
    read_list (msg, object (obj, "delivery"), "recipients", "delivered", limits);
  else if (g_ascii_strcasecmp (type, "Complaint") == 0) {
    read_list (msg, object (obj, "complaint"), "complainedRecipients", NULL, limits);
    msg->kind = NDR_KIND_FEEDBACK;
  }
  read_mail (msg, object (obj, "mail"), limits->max_line);
  return TRUE;
}

/* extract - a JSON notification when the text is one, else SES's bounce mail */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  if (parts->text != NULL && strstr (parts->text, "notificationType") != NULL
      && read_notification (msg, parts->text, limits)) {
    g_free (msg->mta);
    msg->mta = g_strdup (ses_table.name);
    if (msg->lang == NULL)
      msg->lang = g_strdup ("en");
    return;
  }
  ndr_mta_table_extract (&ses_table, msg, parts, limits);
}

const NdrFormat ndr_format_amazonses = { "amazonses", detect, extract };
