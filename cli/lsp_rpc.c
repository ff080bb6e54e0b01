/*
 * lsp_rpc.c — the language server protocol's base layer: messages framed by
 * a Content-Length header, read from a pipe and written to one. The reader
 * never trusts its input: a header block without a usable Content-Length is
 * skipped up to the next one, a body that is not JSON is skipped, and the
 * server is told so that it can answer with a ParseError and go on.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lsp.h"

/* The largest body read (a buffer of a few hundred MiB is not an editor's). */
#define MAX_BODY (256u << 20)
/* A header block longer than this is garbage. */
#define MAX_HEADER 8192

struct lsp_reader {
  int fd;
  char *buf;
  size_t len, cap, pos; /* unread bytes are buf[pos, len) */
  bool resync;          /* after a bad header: skip to the next Content-Length */
};

lsp_reader *lsp_reader_new(int fd) {
  lsp_reader *r = calloc(1, sizeof *r);
  if (!r) abort();
  r->fd = fd;
  return r;
}

void lsp_reader_free(lsp_reader *r) {
  if (!r) return;
  free(r->buf);
  free(r);
}

int lsp_reader_fill(lsp_reader *r, int timeout_ms) {
  struct pollfd p = {r->fd, POLLIN, 0};
  int n;
  do n = poll(&p, 1, timeout_ms);
  while (n < 0 && errno == EINTR);
  if (n < 0) return -1;
  if (n == 0) return 0;
  if (r->pos > 0 && r->pos == r->len) r->pos = r->len = 0;
  if (r->pos > (1u << 20) && r->pos * 2 > r->len) { /* compact */
    memmove(r->buf, r->buf + r->pos, r->len - r->pos);
    r->len -= r->pos;
    r->pos = 0;
  }
  if (r->cap - r->len < 65536) {
    size_t cap = r->cap ? r->cap * 2 : 131072;
    while (cap - r->len < 65536) cap *= 2;
    char *nb = realloc(r->buf, cap);
    if (!nb) abort();
    r->buf = nb;
    r->cap = cap;
  }
  ssize_t got;
  do got = read(r->fd, r->buf + r->len, r->cap - r->len);
  while (got < 0 && errno == EINTR);
  if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
  if (got <= 0) return -1;
  r->len += (size_t)got;
  return 1;
}

static const char *find_bytes(const char *h, size_t hl, const char *n) {
  size_t nl = strlen(n);
  for (size_t i = 0; i + nl <= hl; i++)
    if (h[i] == n[0] && !memcmp(h + i, n, nl)) return h + i;
  return NULL;
}

/* Skip to the next Content-Length header (the garbage before it need not end
 * with a newline: a body without a valid length runs into the next header). */
static bool do_resync(lsp_reader *r) {
  const char *b = r->buf + r->pos;
  size_t n = r->len - r->pos;
  for (size_t i = 0; i + 15 <= n; i++) {
    if (!strncasecmp(b + i, "Content-Length:", 15)) {
      r->pos += i;
      r->resync = false;
      return true;
    }
  }
  /* keep a tail that may be the start of a header split across reads */
  if (n > 16) r->pos = r->len - 16;
  return false;
}

/* Parse a header block [h, h+n): the body length, or -1. */
static long long content_length(const char *h, size_t n) {
  long long len = -1;
  size_t i = 0;
  while (i < n) {
    size_t e = i;
    while (e < n && h[e] != '\n') e++;
    size_t le = e;
    if (le > i && h[le - 1] == '\r') le--;
    if (le - i > 15 && !strncasecmp(h + i, "Content-Length:", 15)) {
      size_t k = i + 15;
      while (k < le && (h[k] == ' ' || h[k] == '\t')) k++;
      if (k == le) return -1;
      long long v = 0;
      for (; k < le; k++) {
        if (h[k] == ' ' || h[k] == '\t') break;
        if (h[k] < '0' || h[k] > '9') return -1;
        v = v * 10 + (h[k] - '0');
        if (v > (long long)MAX_BODY) return -1;
      }
      for (; k < le; k++)
        if (h[k] != ' ' && h[k] != '\t') return -1;
      if (len >= 0 && len != v) return -1; /* two that disagree */
      len = v;
    }
    i = e + 1;
  }
  return len;
}

lsp_status lsp_reader_next(lsp_reader *r, json_t **msg) {
  *msg = NULL;
  if (!r->buf) return LSP_NONE; /* nothing read yet */
  if (r->resync && !do_resync(r)) return LSP_NONE;
  const char *b = r->buf + r->pos;
  size_t n = r->len - r->pos;
  /* the protocol says \r\n\r\n; a bare \n\n is taken too */
  const char *end = find_bytes(b, n < MAX_HEADER ? n : MAX_HEADER, "\r\n\r\n");
  const char *end2 = find_bytes(b, n < MAX_HEADER ? n : MAX_HEADER, "\n\n");
  size_t hlen, sep;
  if (end && (!end2 || end <= end2)) {
    hlen = (size_t)(end - b);
    sep = 4;
  } else if (end2) {
    hlen = (size_t)(end2 - b);
    sep = 2;
  } else {
    if (n >= MAX_HEADER) { /* no header ends here: garbage */
      r->pos += 1;
      r->resync = true;
      return LSP_BAD_HEADER;
    }
    return LSP_NONE;
  }
  long long clen = content_length(b, hlen);
  if (clen < 0) {
    r->pos += hlen + sep;
    r->resync = true;
    return LSP_BAD_HEADER;
  }
  if (n - hlen - sep < (size_t)clen) return LSP_NONE;
  const char *body = b + hlen + sep;
  r->pos += hlen + sep + (size_t)clen;
  json_error_t err;
  json_t *v = json_loadb(body, (size_t)clen, JSON_ALLOW_NUL | JSON_DECODE_ANY, &err);
  if (!v) return LSP_BAD_JSON;
  *msg = v;
  return LSP_MESSAGE;
}

static int write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        struct pollfd pf = {fd, POLLOUT, 0};
        poll(&pf, 1, 1000);
        continue;
      }
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

int lsp_write(int fd, const json_t *msg) {
  char *body = json_dumps(msg, JSON_COMPACT);
  if (!body) return 0; /* cannot happen for what the server builds */
  size_t n = strlen(body);
  char head[64];
  int hl = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", n);
  /* one write when it fits, so that a reader never sees a header alone */
  char *all = malloc((size_t)hl + n);
  int rc;
  if (all) {
    memcpy(all, head, (size_t)hl);
    memcpy(all + hl, body, n);
    rc = write_all(fd, all, (size_t)hl + n);
    free(all);
  } else {
    rc = write_all(fd, head, (size_t)hl);
    if (rc == 0) rc = write_all(fd, body, n);
  }
  free(body);
  return rc;
}
