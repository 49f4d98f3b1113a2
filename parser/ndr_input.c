/*
 * NAME
 *   ndr_input.c - walk the inputs a user names and yield one message at a time
 * DESCRIPTION
 *   An NdrReader takes paths and standard input, in order:
 *     a file          one message, or an mbox when its first line starts with "From "
 *     a Maildir       a folder with cur/ or new/: the files of cur/ then new/, names sorted
 *     a folder        every file below it, names sorted, dot-files skipped, depth first
 *     "-"             standard input: one message or an mbox, recognised the same way
 *   ndr_reader_next() yields one NdrRaw per message. An mbox is split on "From " lines at
 *   the start of the file or after a blank line; the "From " line itself is not part of the
 *   message. Sources are "path", "path:N" (N-th message of an mbox, from 1), "-", "-:N".
 * TRUST
 *   None: paths, folder contents and bytes are a user's or a stranger's. Reads go through a
 *   fixed buffer (READ_CHUNK) and keep at most limits->max_message_size bytes of a message;
 *   the rest is read past and counted, so memory stays flat whatever the size of a mailbox.
 *   Folders met twice (symbolic link loops) are walked once.
 * DIAGNOSTICS
 *   NDR_ERROR_IO "path: reason" when an input cannot be opened, listed or read; the next
 *   call goes on with the next input.
 */
#include "parser_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_CHUNK  (64u * 1024u)   /* bytes read from a file at a time */
#define FROM_LEN    5u              /* strlen ("From ") */

/* One input in the queue: a path to look at, or standard input (path == NULL). */
typedef struct {
  char    *path;
  gboolean is_stdin;
} Input;

/* The file being read: a buffer over a file descriptor. */
typedef struct {
  int      fd;                 /* -1 when no file is open */
  gboolean close_fd;           /* FALSE for standard input */
  char    *name;               /* path, or "-" */
  gboolean mbox;               /* split into messages on "From " lines */
  guint    index;              /* messages yielded so far */
  gboolean done;               /* nothing more to yield */
  gboolean eof;                /* read() returned 0 */
  char     buf[READ_CHUNK];
  gsize    pos, end;           /* unread bytes are buf[pos..end) */
} Src;

struct NdrReader {
  NdrLimits   limits;
  GQueue      inputs;          /* Input *, in the order given; folders expand at the head */
  GHashTable *folders;         /* "dev:ino" of folders walked, against link loops */
  Src        *src;             /* the open file, or NULL */
};

static void
input_free (Input *in)
{
  g_free (in->path);
  g_free (in);
}

/**
 * ndr_reader_new:
 * @limits: the limits in force (copied)
 *
 * Returns: (transfer full): a reader with no inputs yet.
 */
NdrReader *
ndr_reader_new (const NdrLimits *limits)
{
  g_return_val_if_fail (limits != NULL, NULL);
  NdrReader *r = g_new0 (NdrReader, 1);
  r->limits = *limits;
  g_queue_init (&r->inputs);
  r->folders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return r;
}

/* src_close - close the open file, if any */
static void
src_close (NdrReader *r)
{
  if (r->src == NULL)
    return;
  if (r->src->close_fd && r->src->fd >= 0)
    close (r->src->fd);
  g_free (r->src->name);
  g_free (r->src);
  r->src = NULL;
}

void
ndr_reader_free (NdrReader *reader)
{
  if (reader == NULL)
    return;
  src_close (reader);
  g_queue_clear_full (&reader->inputs, (GDestroyNotify) input_free);
  g_hash_table_unref (reader->folders);
  g_free (reader);
}

/**
 * ndr_reader_add_path:
 * @reader: a reader
 * @path: a file, folder, or "-" for standard input
 *
 * Queues an input; nothing is opened until ndr_reader_next() reaches it.
 */
void
ndr_reader_add_path (NdrReader *reader, const char *path)
{
  g_return_if_fail (reader != NULL && path != NULL);
  Input *in = g_new0 (Input, 1);
  in->is_stdin = strcmp (path, "-") == 0;
  in->path = g_strdup (path);
  g_queue_push_tail (&reader->inputs, in);
}

/**
 * ndr_reader_add_stdin:
 * @reader: a reader
 *
 * Queues standard input (one message or an mbox); its source is "-" or "-:N".
 */
void
ndr_reader_add_stdin (NdrReader *reader)
{
  ndr_reader_add_path (reader, "-");
}

/* fill - read until at least need bytes are buffered or the file ends; FALSE on an error */
static gboolean
fill (Src *s, gsize need, GError **error)
{
  if (s->end - s->pos >= need || s->eof)
    return TRUE;
  if (s->pos > 0) {
    memmove (s->buf, s->buf + s->pos, s->end - s->pos);
    s->end -= s->pos;
    s->pos = 0;
  }
  while (s->end - s->pos < need && s->end < sizeof s->buf) {
    ssize_t n = read (s->fd, s->buf + s->end, sizeof s->buf - s->end);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int e = errno;
      g_set_error (error, NDR_ERROR, NDR_ERROR_IO, "%s: %s", s->name, g_strerror (e));
      return FALSE;
    }
    if (n == 0) {
      s->eof = TRUE;
      break;
    }
    s->end += (gsize) n;
  }
  return TRUE;
}

/* skip_line - read past the rest of the current line, its end included */
static gboolean
skip_line (Src *s, GError **error)
{
  for (;;) {
    if (!fill (s, 1, error))
      return FALSE;
    if (s->pos == s->end)
      return TRUE;
    char *nl = memchr (s->buf + s->pos, '\n', s->end - s->pos);
    if (nl != NULL) {
      s->pos = (gsize) (nl - s->buf) + 1;
      return TRUE;
    }
    s->pos = s->end;
  }
}

/* at_from - TRUE if the buffered bytes at the start of a line begin "From " */
static gboolean
at_from (Src *s, GError **error, gboolean *failed)
{
  if (!fill (s, FROM_LEN, error)) {
    *failed = TRUE;
    return FALSE;
  }
  return s->end - s->pos >= FROM_LEN && memcmp (s->buf + s->pos, "From ", FROM_LEN) == 0;
}

/* Reading of one message: what is kept, and where in its lines we are. */
typedef struct {
  GByteArray *kept;            /* at most max bytes */
  gsize       max;
  gsize       size;            /* every byte of the message */
  gboolean    line_start;      /* the next byte begins a line */
  gboolean    blank_before;    /* the line before the next one was blank */
  gboolean    line_text;       /* the current line has a byte other than CR and LF */
} Msg;

/* take - account for a chunk of the message: keep what fits, follow its lines */
static void
take (Msg *m, const char *p, gsize n, gboolean ends_line)
{
  if (m->kept->len < m->max)
    g_byte_array_append (m->kept, (const guint8 *) p, (guint) MIN (n, m->max - m->kept->len));
  m->size += n;
  gsize text = n;                                   /* bytes before the line's CR LF */
  if (ends_line && text > 0 && p[text - 1] == '\n')
    text--;
  while (text > 0 && p[text - 1] == '\r')
    text--;
  if (text > 0)
    m->line_text = TRUE;
  m->line_start = ends_line;
  if (ends_line) {
    m->blank_before = !m->line_text;
    m->line_text = FALSE;
  }
}

/* read_message - read one message from s into m; stops before the next "From " of an mbox */
static gboolean
read_message (Src *s, Msg *m, GError **error)
{
  for (;;) {
    gboolean failed = FALSE;
    if (s->mbox && m->line_start && m->blank_before && at_from (s, error, &failed))
      return TRUE;                                  /* the next message begins here */
    if (failed || !fill (s, 1, error))
      return FALSE;
    if (s->pos == s->end) {
      s->done = TRUE;
      return TRUE;
    }
    const char *p = s->buf + s->pos;
    gsize avail = s->end - s->pos;
    const char *nl = s->mbox ? memchr (p, '\n', avail) : NULL;
    gsize n = nl != NULL ? (gsize) (nl - p) + 1 : avail;
    take (m, p, n, nl != NULL);
    s->pos += n;
  }
}

/* next_from_src - the next message of the open file, or NULL at its end */
static NdrRaw *
next_from_src (NdrReader *r, GError **error)
{
  Src *s = r->src;
  if (s->done)
    return NULL;
  if (s->mbox) {
    gboolean failed = FALSE;
    if (s->index > 0 && !at_from (s, error, &failed))
      return NULL;                                  /* only at the end of the file */
    if (failed || !skip_line (s, error))
      return NULL;
  }
  Msg m = { .max = r->limits.max_message_size, .line_start = TRUE, .blank_before = TRUE };
  m.kept = g_byte_array_sized_new (MIN (r->limits.max_message_size, READ_CHUNK));
  if (!read_message (s, &m, error)) {
    g_byte_array_unref (m.kept);
    s->done = TRUE;
    return NULL;
  }
  s->index++;
  if (s->mbox && s->pos == s->end && s->eof)
    s->done = TRUE;
  NdrRaw *raw = g_new0 (NdrRaw, 1);
  raw->source = s->mbox ? g_strdup_printf ("%s:%u", s->name, s->index) : g_strdup (s->name);
  raw->size = m.size;
  raw->truncated = m.size > m.kept->len;
  raw->bytes = g_byte_array_free_to_bytes (m.kept);
  return raw;
}

/* open_src - open a file (or standard input when fd >= 0) and see whether it is an mbox */
static gboolean
open_src (NdrReader *r, const char *path, int fd, GError **error)
{
  gboolean is_stdin = fd >= 0;
  if (!is_stdin) {
    fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0) {
      int e = errno;
      g_set_error (error, NDR_ERROR, NDR_ERROR_IO, "%s: %s", path, g_strerror (e));
      return FALSE;
    }
  }
  Src *s = g_new (Src, 1);                          /* not zeroed: the buffer is 64 KB */
  memset (s, 0, G_STRUCT_OFFSET (Src, buf));
  s->pos = s->end = 0;
  s->fd = fd;
  s->close_fd = !is_stdin;
  s->name = g_strdup (is_stdin ? "-" : path);
  r->src = s;
  gboolean failed = FALSE;
  s->mbox = at_from (s, error, &failed);
  if (failed) {
    src_close (r);
    return FALSE;
  }
  return TRUE;
}

/* compare_names - sort folder entries by name, bytewise */
static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* list_folder - the entries of a folder, sorted, dot-files left out; NULL on an error */
static GPtrArray *
list_folder (const char *path, GError **error)
{
  GError *e = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &e);
  if (dir == NULL) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_IO, "%s: %s", path, e->message);
    g_error_free (e);
    return NULL;
  }
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  return names;
}

/* is_dir - TRUE if path names a folder */
static gboolean
is_dir (const char *path)
{
  GStatBuf st;
  return g_stat (path, &st) == 0 && S_ISDIR (st.st_mode);
}

/* push_entries - append the entries of folder sub (under path) to out, as Input * */
static gboolean
push_entries (GPtrArray *out, const char *path, const char *sub, gboolean files_only,
              GError **error)
{
  g_autofree char *folder = sub != NULL ? g_build_filename (path, sub, NULL) : g_strdup (path);
  g_autoptr(GPtrArray) names = list_folder (folder, error);
  if (names == NULL)
    return FALSE;
  for (guint i = 0; i < names->len; i++) {
    Input *in = g_new0 (Input, 1);
    in->path = g_build_filename (folder, g_ptr_array_index (names, i), NULL);
    if (files_only && is_dir (in->path)) {
      input_free (in);
      continue;
    }
    g_ptr_array_add (out, in);
  }
  return TRUE;
}

/* expand_folder - queue a folder's files (Maildir: cur/ then new/) ahead of other inputs */
static gboolean
expand_folder (NdrReader *r, const char *path, const GStatBuf *st, GError **error)
{
  g_autofree char *key = g_strdup_printf ("%ju:%ju", (uintmax_t) st->st_dev,
                                          (uintmax_t) st->st_ino);
  if (g_hash_table_contains (r->folders, key))
    return TRUE;                                    /* walked already: a link loop */
  g_hash_table_add (r->folders, g_steal_pointer (&key));
  g_autofree char *cur = g_build_filename (path, "cur", NULL);
  g_autofree char *new = g_build_filename (path, "new", NULL);
  gboolean has_cur = is_dir (cur), has_new = is_dir (new);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) input_free);
  gboolean ok;
  if (!has_cur && !has_new)
    ok = push_entries (found, path, NULL, FALSE, error);
  else
    ok = (!has_cur || push_entries (found, path, "cur", TRUE, error))
      && (!has_new || push_entries (found, path, "new", TRUE, error));
  if (!ok)
    return FALSE;
  for (guint i = found->len; i > 0; i--)            /* at the head, in order */
    g_queue_push_head (&r->inputs, g_ptr_array_steal_index (found, i - 1));
  return TRUE;
}

/* open_next - open the next file of the queue; FALSE at the end or on an error */
static gboolean
open_next (NdrReader *r, GError **error)
{
  for (;;) {
    Input *in = g_queue_pop_head (&r->inputs);
    if (in == NULL)
      return FALSE;
    gboolean ok;
    if (in->is_stdin) {
      ok = open_src (r, "-", STDIN_FILENO, error);
    } else {
      GStatBuf st;
      if (g_stat (in->path, &st) != 0) {
        int e = errno;
        g_set_error (error, NDR_ERROR, NDR_ERROR_IO, "%s: %s", in->path, g_strerror (e));
        ok = FALSE;
      } else if (S_ISDIR (st.st_mode)) {
        ok = expand_folder (r, in->path, &st, error);
        input_free (in);
        if (!ok)
          return FALSE;
        continue;
      } else if (S_ISREG (st.st_mode) || S_ISFIFO (st.st_mode)) {
        ok = open_src (r, in->path, -1, error);
      } else {                                      /* /dev/zero would never end */
        g_set_error (error, NDR_ERROR, NDR_ERROR_IO, "%s: not a file, pipe or folder",
                     in->path);
        ok = FALSE;
      }
    }
    input_free (in);
    return ok;
  }
}

/**
 * ndr_reader_next:
 * @reader: a reader
 * @error: where to say why an input could not be read
 *
 * Yields the next message of the inputs. When an input cannot be opened or read, returns
 * NULL with @error set; the next call goes on with the next input.
 *
 * Returns: (transfer full) (nullable): the next message, or NULL: at the end of the inputs
 * (@error unset) or on an error (@error set).
 */
NdrRaw *
ndr_reader_next (NdrReader *reader, GError **error)
{
  g_return_val_if_fail (reader != NULL, NULL);
  for (;;) {
    if (reader->src != NULL) {
      GError *e = NULL;
      NdrRaw *raw = next_from_src (reader, &e);
      if (raw != NULL)
        return raw;
      src_close (reader);
      if (e != NULL) {
        g_propagate_error (error, e);
        return NULL;
      }
    }
    if (!open_next (reader, error))
      return NULL;                                  /* error set, or the end of the inputs */
  }
}
