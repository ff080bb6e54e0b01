/*
 * prefilter.h — which files of a session are parsed at all.
 *
 * Two tiers, decided from the bytes (one PCRE2-JIT scan per file plus a
 * look at its import lines) and from the import graph between the session's
 * files, without parsing anything:
 *   tier 1 (own)    the file can hold a finding of its own: it names cond
 *                   (torch.cond, an import of cond, an alias's .cond), an
 *                   API whose misuse a rule reports (mark_dynamic,
 *                   dynamic_shapes, from_tensor, StatelessSymbolicContext,
 *                   tracing_mode, register_custom_op_autotuning), a
 *                   condlint: comment or a rule code (suppressions), or calls
 *                   torch.ops.NS where NS is a namespace that a tier-1 file
 *                   registers with range dispatch or a C++ file registers;
 *   tier 2 (entry)  the file names a tracing entry API (make_fx, export,
 *                   compile, FakeTensorMode...) and imports, directly or
 *                   through other files, a tier-1 file or a file a tier-1
 *                   file imports.
 * The words count where they are code: a word in a comment, a docstring or
 * a message ("compiled with torch.compile") calls nothing, so it puts no file
 * in a tier (a condlint: comment and a rule code excepted; prefilter.c, "code
 * and prose", says what is prose).
 * Tier 1 and 2 files are parsed and checked. The session files that parsed
 * files import (transitively) are parsed too, to link, and reported. Every
 * other file is never parsed (not even syntax-checked); link.c still loads,
 * on demand, an imported file that is not in the session.
 * Module prefix: cl_prefilter_, cl_scan_.
 */
#ifndef CONDLINT_PREFILTER_H
#define CONDLINT_PREFILTER_H

#include "internal.h"

enum {
  CL_SCAN_OWN = 1u << 0,      /* tier 1 by its own bytes */
  CL_SCAN_ENTRY = 1u << 1,    /* names a tracing entry API */
  CL_SCAN_AUTOTUNE = 1u << 2, /* calls register_custom_op_autotuning: its "NS::op" count */
  CL_SCAN_CXX = 1u << 3,      /* a C++ source (parsed by cxx.c whatever it holds) */
};

/* What the scan of one file found: a few bits and three short lists, all
 * that selection needs, small enough to be cached by (path, stat). */
typedef struct {
  uint32_t flags;
  char *imports; /* one line per imported module: "LEVEL MODULE[ NAME,NAME...]" (malloc'd; may be NULL) */
  char *ops;     /* namespaces the file calls as torch.ops.NS, space-separated (malloc'd; may be NULL) */
  char *regs;    /* namespaces it registers ops in (malloc'd; may be NULL) */
} cl_scan;

/* Scan bytes. cxx: a C++ source (only its TORCH_LIBRARY namespaces are read).
 * Thread-safe; the patterns are compiled once. */
void cl_prefilter_scan(const char *bytes, size_t len, bool cxx, cl_scan *out);
/* The same scan of a Python file, with patterns that are not JIT-compiled:
 * for a few files (the replay's edited ones), where compiling them for the
 * JIT would take longer than the scan itself. */
void cl_prefilter_scan_few(const char *bytes, size_t len, cl_scan *out);
void cl_scan_free(cl_scan *s);
#include "cache.h" /* cl_hash (after cl_scan, which cache.h uses) */

/* A hash of everything selection reads from a scan: two files with equal
 * hashes are put in the same tier by the same import graph. */
cl_hash cl_scan_hash(const cl_scan *s);

/* Tiers, as decided by cl_prefilter_select. */
typedef enum {
  CL_TIER_SKIP = 0, /* never parsed */
  CL_TIER_OWN,      /* tier 1 */
  CL_TIER_ENTRY,    /* tier 2 */
  CL_TIER_LINK,     /* imported by a parsed file: parsed to link */
  CL_TIER_GIVEN     /* parsed whatever it holds (already parsed, C++, prefilter off) */
} cl_tier;

typedef struct {
  const char *abspath; /* absolute, normalized: import resolution runs on these */
  const cl_scan *scan;
  bool given;          /* in: parse whatever the scan says */
  bool own;            /* in: tier 1 whatever the scan says (a configured contract) */
  cl_tier tier;        /* out */
} cl_select_item;

/* Decide every file's tier from the scans and the import graph. */
void cl_prefilter_select(cl_select_item *items, size_t n);

/* The patterns, for the cache key: a cached verdict of other patterns is stale. */
const char *cl_prefilter_signature(void);

#endif
