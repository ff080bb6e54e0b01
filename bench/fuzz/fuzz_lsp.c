/*
 * fuzz_lsp.c — libFuzzer target for the language server's message reader
 * (cli/lsp_rpc.c) and its text helpers (cli/lsp_text.c). The input is the
 * byte stream a client sends; it is read through lsp_reader_fill/next from a
 * memory file until the end, and each message that parses is taken apart the
 * way the server does: the document URI to a path and back, the document text
 * to lines, every position in the message to a byte offset and back. The
 * reader must never crash, loop, or return a message it did not frame.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"
#include "lsp.h"

static void positions(json_t *v, const char *text, size_t len, const lsp_lines *l, int depth) {
  if (depth > 16) return;
  json_t *line = json_object_get(v, "line"), *ch = json_object_get(v, "character");
  if (json_is_integer(line) && json_is_integer(ch)) {
    size_t off = lsp_offset_of(text, len, l, json_integer_value(line), json_integer_value(ch));
    if (off > len) __builtin_trap();
    int64_t ln, c;
    lsp_position_of(text, len, l, off, &ln, &c);
    if (ln < 0 || c < 0) __builtin_trap();
  }
  const char *key;
  json_t *sub;
  size_t i;
  if (json_is_object(v)) {
    json_object_foreach(v, key, sub) positions(sub, text, len, l, depth + 1);
  } else if (json_is_array(v)) {
    json_array_foreach(v, i, sub) positions(sub, text, len, l, depth + 1);
  }
}

static void take_apart(json_t *msg) {
  json_t *params = json_object_get(msg, "params");
  json_t *doc = json_object_get(params, "textDocument");
  const char *uri = json_string_value(json_object_get(doc, "uri"));
  if (uri) {
    char *path = lsp_uri_to_path(uri);
    if (path) {
      free(lsp_path_to_uri(path));
      free(path);
    }
  }
  json_t *jtext = json_object_get(doc, "text");
  const char *text = json_string_value(jtext);
  size_t len = text ? json_string_length(jtext) : 0;
  if (!text) text = "";
  lsp_lines l = {0}, lib = {0};
  lsp_lines_build(&l, text, len, true);
  lsp_lines_build(&lib, text, len, false);
  positions(params, text, len, &l, 0);
  for (unsigned line = 1; line <= 3; line++)
    if (lsp_offset_of_column(text, len, &lib, line, line) > len) __builtin_trap();
  free(cl_utf8_clean_n(text, len));
  json_decref(lsp_jstr(text));
  lsp_lines_free(&l);
  lsp_lines_free(&lib);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  int fd = memfd_create("lsp-input", 0);
  if (fd < 0) abort();
  if (size && write(fd, data, size) != (ssize_t)size) abort();
  lseek(fd, 0, SEEK_SET);
  lsp_reader *r = lsp_reader_new(fd);
  bool eof = false;
  for (size_t steps = 0;; steps++) {
    if (steps > 4 * size + 1000) __builtin_trap(); /* no progress: a loop */
    json_t *msg = NULL;
    lsp_status st = lsp_reader_next(r, &msg);
    if (st == LSP_MESSAGE) {
      if (!msg) __builtin_trap();
      take_apart(msg);
      json_decref(msg);
      continue;
    }
    if (msg) __builtin_trap();
    if (st != LSP_NONE) continue;
    if (eof) break;
    if (lsp_reader_fill(r, 0) < 0) eof = true;
  }
  lsp_reader_free(r);
  close(fd);
  return 0;
}
