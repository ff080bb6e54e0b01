/*
 * lsp.h — what the language server's files share: JSON-RPC framing over a
 * pipe (lsp_rpc.c), text positions, URIs and UTF-8 (lsp_text.c), and the
 * server itself (server.c, entered from main.c as `condlint server`).
 */
#ifndef CONDLINT_LSP_H
#define CONDLINT_LSP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- server.c ------------------------------------------------------------ */

int cmd_server(int argc, char **argv);

/* ---- lsp_rpc.c: base protocol (Content-Length framed JSON) ---------------- */

typedef struct lsp_reader lsp_reader;

typedef enum {
  LSP_NONE,       /* no complete message buffered */
  LSP_MESSAGE,    /* *msg is a JSON value the caller owns */
  LSP_BAD_HEADER, /* a header block without a usable Content-Length: skipped */
  LSP_BAD_JSON    /* a body that is not JSON: skipped */
} lsp_status;

lsp_reader *lsp_reader_new(int fd);
void lsp_reader_free(lsp_reader *r);
/* Wait up to timeout_ms (-1: forever, 0: not at all) for input and buffer
 * what is there. 1: bytes came; 0: nothing yet; -1: end of input or error. */
int lsp_reader_fill(lsp_reader *r, int timeout_ms);
/* Take the next complete message out of the buffer. */
lsp_status lsp_reader_next(lsp_reader *r, json_t **msg);

/* Write one message (compact JSON with its header) to fd. -1 when the peer is
 * gone (EPIPE...): the caller stops. */
int lsp_write(int fd, const json_t *msg);

/* ---- lsp_text.c: positions, URIs, UTF-8 ----------------------------------- */

/* Line starts of a text. lsp: the protocol's terminators (\n, \r\n, \r);
 * otherwise \n only, as the library counts lines. */
typedef struct {
  uint32_t *v;
  size_t n;
} lsp_lines;

void lsp_lines_build(lsp_lines *l, const char *s, size_t len, bool lsp);
void lsp_lines_free(lsp_lines *l);

/* A protocol position (0-based line, UTF-16 code units) to a byte offset;
 * past the end of a line: its end; past the last line: the end of the text. */
size_t lsp_offset_of(const char *s, size_t len, const lsp_lines *l, int64_t line, int64_t ch);
/* A byte offset to a protocol position. */
void lsp_position_of(const char *s, size_t len, const lsp_lines *l, size_t off, int64_t *line,
                     int64_t *ch);
/* The library's 1-based line (\n lines: l built with lsp=false) and 1-based
 * character column (UTF-8 lead bytes) to a byte offset. */
size_t lsp_offset_of_column(const char *s, size_t len, const lsp_lines *l, unsigned line,
                            unsigned col);

/* file:///a%20b → "/a b"; NULL for a URI of another scheme or a bad one. */
char *lsp_uri_to_path(const char *uri);
char *lsp_path_to_uri(const char *path);

/* A copy in which every byte that does not decode as UTF-8 is U+FFFD. */
/* A JSON string of s, cleaned as above (never NULL). */
json_t *lsp_jstr(const char *s);

#endif
