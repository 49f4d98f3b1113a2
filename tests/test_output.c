/*
 * NAME
 *   test_output.c - unit tests of cli/'s renderers and of ndr_printable()
 * DESCRIPTION
 *   ndr_printable() against escape sequences, controls, bidi overrides, bad UTF-8 and cuts;
 *   the JSON writer's key order, nulls, escaping and numbers, checked by json-glib's parser;
 *   the text renderer's cleaning; the size syntax of the --max-* options.
 * TRUST
 *   The inputs are ours; they imitate what a hostile bounce could hold.
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include "commands.h"
#include "output.h"

/* has_control - does s hold a byte a terminal would act on (C0 but LF, DEL, or C1)? */
static gboolean
has_control (const char *s)
{
  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);
    if ((c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f))
      return TRUE;
  }
  return FALSE;
}

static void
test_printable_cases (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "plain text", "plain text" },
    { "red \x1b[31mALERT\x1b[0m done", "red ALERT done" },
    { "title \x1b]0;pwned\x07 after", "title  after" },
    { "link \x1b]8;;http://example.com/\x1b\\here\x1b]8;;\x1b\\ end", "link here end" },
    { "dcs \x1bPq#0;2;0;0;0\x1b\\ end", "dcs  end" },
    { "charset \x1b(B done", "charset  done" },
    { "keypad \x1b= done", "keypad  done" },
    { "c1 csi \xc2\x9b" "2J done", "c1 csi  done" },
    { "c1 osc \xc2\x9d" "0;x\xc2\x9c done", "c1 osc  done" },
    { "bell\x07 nul-less\x01 del\x7f", "bell? nul-less? del?" },
    { "c1 \xc2\x85 next line", "c1 ? next line" },
    { "bidi \xe2\x80\xae" "gnp.exe", "bidi ?gnp.exe" },
    { "isolate \xe2\x81\xa6x\xe2\x81\xa9", "isolate ?x?" },
    { "bad \xff\xfe utf8", "bad \xef\xbf\xbd\xef\xbf\xbd utf8" },
    { "tab\there", "tab here" },
    { "two\r\nlines\nthree", "two lines three" },
    { "unterminated \x1b[", "unterminated " },
    { "unterminated osc \x1b]0;never ends", "unterminated osc " },
    { "ends in escape \x1b", "ends in escape " },
    { "umlaut M\xc3\xbcller", "umlaut M\xc3\xbcller" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *got = ndr_printable (cases[i].in, -1, 1000, NDR_PRINTABLE_ONE_LINE);
    g_assert_cmpstr (got, ==, cases[i].out);
    g_assert_true (g_utf8_validate (got, -1, NULL));
    g_assert_false (has_control (got));
  }
}

static void
test_printable_multiline (void)
{
  g_autofree char *got = ndr_printable ("a\r\nb\rc\nd\x1b[2Je", -1, 1000, NDR_PRINTABLE_MULTILINE);
  g_assert_cmpstr (got, ==, "a\nb\nc\nde");
  g_autofree char *null = ndr_printable (NULL, -1, 10, NDR_PRINTABLE_ONE_LINE);
  g_assert_cmpstr (null, ==, "");
}

static void
test_printable_cut (void)
{
  g_autofree char *cut = ndr_printable ("abcdefghij", -1, 4, NDR_PRINTABLE_ONE_LINE);
  g_assert_cmpstr (cut, ==, "abcd...");
  g_autofree char *whole = ndr_printable ("abcd", -1, 4, NDR_PRINTABLE_ONE_LINE);
  g_assert_cmpstr (whole, ==, "abcd");
  /* never in the middle of a character: "ü" is two bytes and does not fit in the third */
  g_autofree char *utf8 = ndr_printable ("ab\xc3\xbc", -1, 3, NDR_PRINTABLE_ONE_LINE);
  g_assert_cmpstr (utf8, ==, "ab...");
  /* len is respected: the NUL-less tail is not read */
  g_autofree char *part = ndr_printable ("abc\x1b[31m", 3, 100, NDR_PRINTABLE_ONE_LINE);
  g_assert_cmpstr (part, ==, "abc");
}

/* sample - a message with every field the JSON has, some hostile */
static NdrMessage *
sample (void)
{
  NdrLimits limits;
  ndr_limits_init (&limits);
  NdrMessage *msg = ndr_message_new ("corpus/x.eml");
  msg->kind = NDR_KIND_BOUNCE;
  msg->mta = g_strdup ("o365");
  msg->subject = g_strdup ("Undeliverable: \x1b[31mred\x1b[0m \xff");
  msg->user_text = g_strdup ("line one\nline \"two\"\t\\");
  NdrHop *hop = g_new0 (NdrHop, 1);
  hop->hop = g_strdup ("1");
  hop->with = g_strdup ("Microsoft SMTP Server");
  g_ptr_array_add (msg->hops, hop);
  msg->original.subject = g_strdup ("Hello \xe2\x80\xa8 sep");
  NdrRecipient *r = ndr_message_add_recipient (msg, "alice@example.com", &limits);
  r->action = g_strdup ("failed");
  r->status = g_strdup ("5.4.6");
  r->reply_code = 554;
  r->diagnostic = g_strdup ("bell\x07 del\x7f c1\xc2\x85");
  g_ptr_array_add (r->evidence, ndr_evidence_new (NDR_SOURCE_ADMIN_TEXT, "5.4.6", 554,
                                                  "Remote server returned '554 5.4.6'"));
  g_ptr_array_add (r->evidence, ndr_evidence_new (NDR_SOURCE_USER_TEXT, "5.1.1", 0, NULL));
  r->category = g_strdup ("loop");
  r->permanent = TRUE;
  r->confidence = 0.9;
  g_ptr_array_add (r->misleading, g_strdup ("5.1.1"));
  ndr_message_add_recipient (msg, "bob@example.org", &limits);
  return msg;
}

/* parse_json - parse text with json-glib; the root object */
static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* assert_keys - the members of obj are exactly keys, in that order */
static void
assert_keys (JsonObject *obj, const char *const *keys)
{
  g_autoptr(GList) members = json_object_get_members (obj);
  guint i = 0;
  for (GList *l = members; l != NULL; l = l->next, i++) {
    g_assert_nonnull (keys[i]);
    g_assert_cmpstr (l->data, ==, keys[i]);
  }
  g_assert_null (keys[i]);
}

static void
test_json_order (void)
{
  static const char *const message_keys[] = {
    "source", "kind", "error", "mta", "lang", "reporting_mta", "date", "sections", "original",
    "recipients", "subject", "from", "size", "evidence", NULL };
  static const char *const section_keys[] = {
    "user_text", "admin_text", "hops", "original_headers", NULL };
  static const char *const hop_keys[] = { "hop", "time", "from", "to", "with", "relay_time", NULL };
  static const char *const original_keys[] = {
    "message_id", "from", "to", "subject", "date", NULL };
  static const char *const recipient_keys[] = {
    "address", "action", "status", "reply_code", "remote_mta", "diagnostic", "evidence",
    "category", "outcome", "permanent", "owner", "rule", "confidence", "hint", "fix",
    "misleading", "sisimai_reason", "decided_by", "original_recipient", "display_name",
    "last_attempt_date", "will_retry_until", NULL };
  static const char *const evidence_keys[] = { "source", "status", "reply_code", "text", NULL };
  g_autoptr(NdrMessage) msg = sample ();
  g_autofree char *text = ndr_json_render_message (msg, FALSE);
  g_autoptr(JsonNode) root = parse_json (text);
  JsonObject *o = json_node_get_object (root);
  assert_keys (o, message_keys);
  JsonObject *sections = json_object_get_object_member (o, "sections");
  assert_keys (sections, section_keys);
  assert_keys (json_array_get_object_element (json_object_get_array_member (sections, "hops"), 0),
               hop_keys);
  assert_keys (json_object_get_object_member (o, "original"), original_keys);
  JsonArray *rcpts = json_object_get_array_member (o, "recipients");
  JsonObject *r = json_array_get_object_element (rcpts, 0);
  assert_keys (r, recipient_keys);
  assert_keys (json_array_get_object_element (json_object_get_array_member (r, "evidence"), 0),
               evidence_keys);
}

static void
test_json_values (void)
{
  g_autoptr(NdrMessage) msg = sample ();
  g_autofree char *text = ndr_json_render_message (msg, FALSE);
  g_assert_null (strchr (text, '\n'));                       /* NDJSON: one line */
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_false (has_control (text));                       /* escaped, not raw */
  g_assert_nonnull (strstr (text, "\"confidence\":0.9,"));   /* not 0.90000000000000002 */
  g_assert_nonnull (strstr (text, "\\u001b[31mred"));
  g_assert_nonnull (strstr (text, "\\u2028"));
  g_autoptr(JsonNode) root = parse_json (text);
  JsonObject *o = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "bounce");
  g_assert_true (json_object_get_null_member (o, "error"));
  g_assert_cmpstr (json_object_get_string_member (o, "subject"), ==,
                   "Undeliverable: \x1b[31mred\x1b[0m \xef\xbf\xbd");
  JsonObject *sections = json_object_get_object_member (o, "sections");
  g_assert_cmpstr (json_object_get_string_member (sections, "user_text"), ==,
                   "line one\nline \"two\"\t\\");
  JsonArray *rcpts = json_object_get_array_member (o, "recipients");
  g_assert_cmpuint (json_array_get_length (rcpts), ==, 2);
  JsonObject *r = json_array_get_object_element (rcpts, 0);
  g_assert_cmpint (json_object_get_int_member (r, "reply_code"), ==, 554);
  g_assert_true (json_object_get_boolean_member (r, "permanent"));
  g_assert_cmpstr (json_object_get_string_member (r, "diagnostic"), ==,
                   "bell\x07 del\x7f c1\xc2\x85");
  JsonObject *ev = json_array_get_object_element (json_object_get_array_member (r, "evidence"), 1);
  g_assert_true (json_object_get_null_member (ev, "reply_code"));
  g_assert_true (json_object_get_null_member (ev, "text"));
  JsonObject *bob = json_array_get_object_element (rcpts, 1);          /* not classified */
  g_assert_true (json_object_get_null_member (bob, "permanent"));
  g_assert_true (json_object_get_null_member (bob, "confidence"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (bob, "misleading")),
                    ==, 0);
}

static void
test_json_pretty (void)
{
  g_autoptr(NdrMessage) msg = sample ();
  g_autofree char *compact = ndr_json_render_message (msg, FALSE);
  g_autofree char *pretty = ndr_json_render_message (msg, TRUE);
  g_assert_true (g_str_has_prefix (pretty, "{\n  \"source\": \"corpus/x.eml\",\n  \"kind\""));
  g_assert_nonnull (strstr (pretty, "\n  \"recipients\": [\n    {\n      \"address\""));
  g_assert_nonnull (strstr (pretty, "\"misleading\": [],"));           /* empty: one line */
  g_autoptr(JsonNode) a = parse_json (compact);
  g_autoptr(JsonNode) b = parse_json (pretty);
  g_assert_true (json_node_equal (a, b));
}

static void
test_human (void)
{
  g_autoptr(NdrMessage) msg = sample ();
  g_autoptr(GString) out = g_string_new (NULL);
  ndr_human_append_message (out, msg);
  g_assert_false (has_control (out->str));
  g_assert_true (g_utf8_validate (out->str, -1, NULL));
  g_assert_true (g_str_has_prefix (out->str, "corpus/x.eml: bounce from o365\n"));
  g_assert_nonnull (strstr (out->str, "  subject: Undeliverable: red \xef\xbf\xbd\n"));
  g_assert_nonnull (strstr (out->str, "  alice@example.com: failed 5.4.6 554\n"));
  g_assert_nonnull (strstr (out->str, "    category: loop (?, permanent)\n    misleading: 5.1.1\n"));
  g_assert_nonnull (strstr (out->str, "    diagnostic: bell? del? c1?\n"));
  g_assert_nonnull (strstr (out->str, "  bob@example.org: (no action)\n"));
  g_assert_true (g_str_has_suffix (out->str, "\n\n"));
}

static void
test_human_no_recipient (void)
{
  g_autoptr(NdrMessage) msg = ndr_message_new ("-");
  g_autoptr(GString) bounce = g_string_new (NULL);
  msg->kind = NDR_KIND_BOUNCE;
  ndr_human_append_message (bounce, msg);
  g_assert_cmpstr (bounce->str, ==, "-: bounce\n  (no recipients found)\n\n");
  msg->kind = NDR_KIND_NONE;
  for (int i = 0; i < 7; i++)
    g_ptr_array_add (msg->evidence, ndr_evidence_new (NDR_SOURCE_BODY, "5.1.1", 550,
                                                      "550 5.1.1 \x1b[1mno\x1b[0m such user"));
  g_autoptr(GString) out = g_string_new (NULL);
  ndr_human_append_message (out, msg);
  g_assert_cmpstr (out->str, ==,
                   "-: none\n"
                   "  found 5.1.1 550 in body: 550 5.1.1 no such user\n"
                   "  found 5.1.1 550 in body: 550 5.1.1 no such user\n"
                   "  found 5.1.1 550 in body: 550 5.1.1 no such user\n"
                   "  found 5.1.1 550 in body: 550 5.1.1 no such user\n"
                   "  found 5.1.1 550 in body: 550 5.1.1 no such user\n"
                   "  (2 more codes)\n"
                   "\n");
}

static void
test_sizes (void)
{
  static const struct { const char *in; guint64 out; } good[] = {
    { "1", 1 }, { "4096", 4096 }, { "4k", 4096 }, { "4KB", 4096 }, { "64M", 64u << 20 },
    { "64mb", 64u << 20 }, { "1G", 1u << 30 }, { "100B", 100 },
  };
  static const char *const bad[] = { "", "0", "-1", "k", "64X", "64 M", "1.5M", "99999999999G" };
  for (gsize i = 0; i < G_N_ELEMENTS (good); i++) {
    guint64 n = 0;
    g_autoptr(GError) error = NULL;
    g_assert_true (ndr_cli_parse_size (good[i].in, G_MAXINT64, &n, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (n, ==, good[i].out);
  }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
    guint64 n = 0;
    g_autoptr(GError) error = NULL;
    g_assert_false (ndr_cli_parse_size (bad[i], G_MAXINT64, &n, &error));
    g_assert_error (error, NDR_ERROR, NDR_ERROR_USAGE);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/printable/cases", test_printable_cases);
  g_test_add_func ("/printable/multiline", test_printable_multiline);
  g_test_add_func ("/printable/cut", test_printable_cut);
  g_test_add_func ("/json/order", test_json_order);
  g_test_add_func ("/json/values", test_json_values);
  g_test_add_func ("/json/pretty", test_json_pretty);
  g_test_add_func ("/human/block", test_human);
  g_test_add_func ("/human/no-recipient", test_human_no_recipient);
  g_test_add_func ("/options/sizes", test_sizes);
  return g_test_run ();
}
