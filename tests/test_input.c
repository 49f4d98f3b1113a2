/*
 * NAME
 *   test_input.c - what an NdrReader yields for files, folders, Maildirs, mboxes and stdin
 * DESCRIPTION
 *   Each test builds its inputs in a fresh temporary folder: a Maildir (cur/ before new/,
 *   names sorted, tmp/ ignored), a plain folder (recursive, sorted, dot-files skipped, a link
 *   loop walked once), an mbox of three (split only on "From " after a blank line), standard
 *   input through a pipe, an unreadable path between two good ones, an empty file, and
 *   messages over a small max_message_size.
 * TRUST
 *   Test data only.
 */
#include "parser_priv.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static NdrLimits limits;

static const char *const msg_text =
  "From: a@example.com\nTo: b@example.net\nSubject: %s\n\nbody of %s\n";

/* put - write a small message (or exact text when subject is NULL) to dir/name */
static char *
put (const char *dir, const char *name, const char *subject, const char *exact)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);   /* 0700: test data */
  g_autofree char *text = exact != NULL ? g_strdup (exact)
                                        : g_strdup_printf (msg_text, subject, subject);
  g_autoptr(GError) error = NULL;
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

/* tmpdir - a fresh temporary folder */
static char *
tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("ndr-input-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

/* rm_rf - remove a test folder and everything in it (no links followed) */
static void
rm_rf (const char *path)
{
  GStatBuf st;
  if (g_lstat (path, &st) == 0 && S_ISDIR (st.st_mode)) {
    g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
    const char *n;
    while (d != NULL && (n = g_dir_read_name (d)) != NULL) {
      g_autofree char *child = g_build_filename (path, n, NULL);
      rm_rf (child);
    }
    g_rmdir (path);
  } else {
    g_unlink (path);
  }
}

/* sources - every source the reader yields, relative to dir, joined by " "; errors as !path */
static char *
sources (NdrReader *r, const char *dir)
{
  g_autoptr(GString) out = g_string_new (NULL);
  for (;;) {
    g_autoptr(GError) error = NULL;
    g_autoptr(NdrRaw) raw = ndr_reader_next (r, &error);
    if (raw == NULL && error == NULL)
      break;
    const char *s = raw != NULL ? raw->source : error->message;
    if (dir != NULL && g_str_has_prefix (s, dir))
      s += strlen (dir) + 1;
    g_string_append_printf (out, "%s%s%s", out->len > 0 ? " " : "", raw == NULL ? "!" : "", s);
  }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_maildir (void)
{
  g_autofree char *dir = tmpdir ();
  g_free (put (dir, "md/cur/2.x:2,S", "two", NULL));
  g_free (put (dir, "md/cur/1.x:2,S", "one", NULL));
  g_free (put (dir, "md/new/3.x", "three", NULL));
  g_free (put (dir, "md/tmp/4.x", "four", NULL));
  g_free (put (dir, "md/cur/.hidden", "hidden", NULL));
  g_autofree char *md = g_build_filename (dir, "md", NULL);
  g_autoptr(NdrReader) r = ndr_reader_new (&limits);
  ndr_reader_add_path (r, md);
  g_autofree char *got = sources (r, dir);
  g_assert_cmpstr (got, ==, "md/cur/1.x:2,S md/cur/2.x:2,S md/new/3.x");
  rm_rf (dir);
}

static void
test_folder (void)
{
  g_autofree char *dir = tmpdir ();
  g_free (put (dir, "f/b.eml", "b", NULL));
  g_free (put (dir, "f/a/z.eml", "z", NULL));
  g_free (put (dir, "f/c/d/e.eml", "e", NULL));
  g_free (put (dir, "f/.git/config", "no", NULL));
  g_free (put (dir, "f/.dot.eml", "no", NULL));
  g_autofree char *f = g_build_filename (dir, "f", NULL);
  g_autofree char *loop = g_build_filename (dir, "f", "c", "loop", NULL);
  g_assert_cmpint (symlink ("..", loop), ==, 0);
  g_autoptr(NdrReader) r = ndr_reader_new (&limits);
  ndr_reader_add_path (r, f);
  g_autofree char *got = sources (r, dir);
  g_assert_cmpstr (got, ==, "f/a/z.eml f/b.eml f/c/d/e.eml");
  rm_rf (dir);
}

static const char *const mbox =
  "From MAILER-DAEMON Mon Mar  9 10:00:00 2026\n"
  "From: a@example.com\nSubject: one\n\nfirst\nFrom here on, no split: no blank line before\n\n"
  "From b@example.net Mon Mar  9 10:00:01 2026\n"
  "From: b@example.net\nSubject: two\n\n>From a quoted line\n\n"
  "From c@example.net Mon Mar  9 10:00:02 2026\n"
  "From: c@example.net\nSubject: three\n\nthird\n";

/* check_mbox - the three messages of mbox, with prefix as source */
static void
check_mbox (NdrReader *r, const char *prefix)
{
  const char *want[] = { "Subject: one\n\nfirst\nFrom here on", "Subject: two\n\n>From a",
                         "Subject: three\n\nthird\n" };
  for (guint i = 0; i < 3; i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(NdrRaw) raw = ndr_reader_next (r, &error);
    g_assert_no_error (error);
    g_assert_nonnull (raw);
    g_autofree char *source = g_strdup_printf ("%s:%u", prefix, i + 1);
    g_assert_cmpstr (raw->source, ==, source);
    g_autofree char *text = g_strndup (g_bytes_get_data (raw->bytes, NULL),
                                       g_bytes_get_size (raw->bytes));
    g_assert_true (g_str_has_prefix (text, "From: "));
    g_assert_nonnull (strstr (text, want[i]));
    g_assert_cmpuint (raw->size, ==, strlen (text));
    g_assert_false (raw->truncated);
    g_autoptr(NdrMessage) msg = ndr_parse_raw (raw, &limits);
    g_assert_null (msg->error);
  }
  g_autoptr(GError) error = NULL;
  g_assert_null (ndr_reader_next (r, &error));
  g_assert_no_error (error);
}

static void
test_mbox (void)
{
  g_autofree char *dir = tmpdir ();
  g_autofree char *path = put (dir, "inbox", NULL, mbox);   /* no .mbox name: by content */
  g_autoptr(NdrReader) r = ndr_reader_new (&limits);
  ndr_reader_add_path (r, path);
  check_mbox (r, path);
  rm_rf (dir);
}

static void
test_stdin (void)
{
  int fds[2];
  g_assert_cmpint (pipe (fds), ==, 0);
  g_assert_cmpint (write (fds[1], mbox, strlen (mbox)), ==, (ssize_t) strlen (mbox));
  close (fds[1]);                                   /* small: fits the pipe's buffer */
  int saved = dup (STDIN_FILENO);
  g_assert_cmpint (dup2 (fds[0], STDIN_FILENO), ==, STDIN_FILENO);
  close (fds[0]);
  g_autoptr(NdrReader) r = ndr_reader_new (&limits);
  ndr_reader_add_stdin (r);
  check_mbox (r, "-");
  dup2 (saved, STDIN_FILENO);
  close (saved);
}

static void
test_unreadable (void)
{
  g_autofree char *dir = tmpdir ();
  g_autofree char *a = put (dir, "a.eml", "a", NULL);
  g_autofree char *b = put (dir, "b.eml", "b", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.eml", NULL);
  g_autoptr(NdrReader) r = ndr_reader_new (&limits);
  ndr_reader_add_path (r, a);
  ndr_reader_add_path (r, missing);
  ndr_reader_add_path (r, b);
  g_autoptr(NdrRaw) ra = ndr_reader_next (r, NULL);
  g_assert_cmpstr (ra->source, ==, a);
  g_autoptr(GError) error = NULL;
  g_assert_null (ndr_reader_next (r, &error));
  g_assert_error (error, NDR_ERROR, NDR_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, missing));
  g_assert_nonnull (strstr (error->message, g_strerror (ENOENT)));
  g_clear_error (&error);
  g_autoptr(NdrRaw) rb = ndr_reader_next (r, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rb->source, ==, b);
  g_assert_null (ndr_reader_next (r, &error));
  g_assert_no_error (error);
  ndr_reader_add_path (r, "/dev/null");             /* a device: refused, not read */
  g_assert_null (ndr_reader_next (r, &error));
  g_assert_error (error, NDR_ERROR, NDR_ERROR_IO);
  rm_rf (dir);
}

static void
test_empty (void)
{
  g_autofree char *dir = tmpdir ();
  g_autofree char *path = put (dir, "empty.eml", NULL, "");
  g_autoptr(NdrReader) r = ndr_reader_new (&limits);
  ndr_reader_add_path (r, path);
  g_autoptr(GError) error = NULL;
  g_autoptr(NdrRaw) raw = ndr_reader_next (r, &error);
  g_assert_no_error (error);
  g_assert_nonnull (raw);
  g_assert_cmpstr (raw->source, ==, path);
  g_assert_cmpuint (g_bytes_get_size (raw->bytes), ==, 0);
  g_autoptr(NdrMessage) msg = ndr_parse_raw (raw, &limits);
  g_assert_cmpstr (msg->error, ==, "empty input");
  g_assert_cmpint (msg->kind, ==, NDR_KIND_NONE);
  g_assert_null (ndr_reader_next (r, &error));
  g_assert_no_error (error);
  rm_rf (dir);
}

static void
test_oversize (void)
{
  NdrLimits small = limits;
  small.max_message_size = 40;
  g_autofree char *dir = tmpdir ();
  g_autoptr(GString) big = g_string_new ("From x Mon Mar  9 10:00:00 2026\n"
                                         "From: a@example.com\nSubject: big\n\n");
  for (int i = 0; i < 2000; i++)
    g_string_append (big, "550 5.1.1 a line of a large message\n");
  gsize first = big->len - strlen ("From x Mon Mar  9 10:00:00 2026\n");
  g_string_append (big, "\nFrom y Mon Mar  9 10:00:01 2026\nSubject: small\n\nok\n");
  g_autofree char *path = put (dir, "big.mbox", NULL, big->str);
  g_autoptr(NdrReader) r = ndr_reader_new (&small);
  ndr_reader_add_path (r, path);
  g_autoptr(NdrRaw) raw = ndr_reader_next (r, NULL);
  g_assert_true (raw->truncated);
  g_assert_cmpuint (raw->size, ==, first + 1);     /* its blank line before the next From */
  g_assert_cmpuint (g_bytes_get_size (raw->bytes), ==, 40);
  g_autoptr(NdrMessage) msg = ndr_parse_raw (raw, &small);
  g_autofree char *want = g_strdup_printf ("message is %" G_GSIZE_FORMAT " bytes, over the "
                                           "--max-message-size limit of 40; only the first 40 "
                                           "bytes were read", first + 1);
  g_assert_nonnull (msg->error);
  g_assert_true (g_str_has_prefix (msg->error, want));
  g_assert_cmpuint (msg->size, ==, first + 1);
  g_autoptr(NdrRaw) next = ndr_reader_next (r, NULL);
  g_assert_nonnull (next);
  g_autofree char *src = g_strdup_printf ("%s:2", path);
  g_assert_cmpstr (next->source, ==, src);
  g_assert_false (next->truncated);
  g_assert_cmpuint (g_bytes_get_size (next->bytes), ==, strlen ("Subject: small\n\nok\n"));
  rm_rf (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ndr_parser_init ();
  ndr_limits_init (&limits);
  g_test_add_func ("/input/maildir", test_maildir);
  g_test_add_func ("/input/folder", test_folder);
  g_test_add_func ("/input/mbox", test_mbox);
  g_test_add_func ("/input/stdin", test_stdin);
  g_test_add_func ("/input/unreadable", test_unreadable);
  g_test_add_func ("/input/empty", test_empty);
  g_test_add_func ("/input/oversize", test_oversize);
  int rc = g_test_run ();
  ndr_parser_shutdown ();
  return rc;
}
