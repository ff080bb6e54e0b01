/*
 * parse.h — the parse stage's pieces shared between its files: parse.c (the
 * driver and the lowering), parse_source.c (what the parser's copy of a
 * source is made of) and parse_guard.c (running tree-sitter safely).
 */
#ifndef CONDLINT_PARSE_H
#define CONDLINT_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "internal.h"

const TSLanguage *tree_sitter_python(void);

/* parse_source.c: each returns the parser's copy of f's bytes, `copy` (NULL:
 * the bytes themselves, unchanged so far) rewritten in place or newly made;
 * offsets never move. */
/* Invalid UTF-8 becomes spaces, with a CL903 finding (20 at most). */
char *cl_parse_check_utf8(condlint_session *s, cl_file *f);
/* Runs of 16,384 comment lines or more are blanked (tree-sitter 0.20.7). */
char *cl_parse_blank_comment_floods(const cl_file *f, char *copy);
/* A '*' the grammar refuses before a bracket becomes a space; *stars gets
 * (malloc'd) the offsets of the starred items, for the lowering to restore. */
char *cl_parse_mask_starred_brackets(const cl_file *f, char *copy, uint32_t **stars, size_t *nstars);

/* parse_guard.c: parse src (old: a tree edited to match it, or NULL) under a
 * CPU budget and the guard against tree-sitter 0.20.7's 65,536-children bug;
 * NULL with *refused set when the file is refused, and then
 * cl_parse_refused_why() says why: 1 the guard, 2 out of time. *parser may be
 * replaced by a new one. */
TSTree *cl_parse_guarded(TSParser **parser, const TSTree *old, const char *src, size_t len,
                         bool *refused);
int cl_parse_refused_why(void);

/* parse_lazy.c: the bodies of the functions of src that are not inside a
 * function, min_len bytes or longer (5 at least), each from its first
 * statement to the end of its last line (without the newline), in order;
 * *out is malloc'd. 0 (and *out NULL) when src holds none, or something the
 * scan does not follow. */
typedef struct {
  uint32_t start, end;
} cl_lazy_body;
size_t cl_lazy_find_bodies(const char *src, size_t len, uint32_t min_len, cl_lazy_body **out);
/* A malloc'd copy of src (NUL-terminated) with each body blanked to
 * `(...)`: its first byte `(`, its last four `...)`, spaces between, its
 * newlines kept. */
char *cl_lazy_skeleton(const char *src, size_t len, const cl_lazy_body *v, size_t n);

#endif
