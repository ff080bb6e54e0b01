/*
 * results.h — a whole run's findings, replayed while none of its inputs
 * changed: the unchanged warm run neither scans, loads nor analyses.
 *
 * An entry is keyed by what the run was asked (the working directory, the
 * paths named, the settings and the contents of every configuration file
 * loaded, CONDLINT_PREFILTER), and holds what its findings depend on:
 *   files     every file of the walk, in order: path, stat key, content hash;
 *             for a file the prefilter skipped, the hash of its scan too: an
 *             edit that leaves its tier and its imports as they were (a
 *             comment, a function of a module no parsed file imports) is
 *             replayed over;
 *   absent    every path link.c looked for and did not find (an import
 *             candidate), grouped by directory with the directory's stat key:
 *             while a directory is unchanged nothing appeared in it, and when
 *             it changed each of its paths is looked at again;
 *   loaded    every file link.c loaded from outside the walk: stat key and
 *             content hash;
 * then the findings themselves, by file path and byte offsets. A stat key
 * that is racy (modified within 3 seconds of the entry being written) is not
 * trusted: the file is hashed again, the directory's paths looked at again.
 * A session with C++ sources, documents or source from stdin is not recorded.
 * Module prefix: cl_results_.
 */
#ifndef CONDLINT_RESULTS_H
#define CONDLINT_RESULTS_H

#include <sys/stat.h>

#include "cache.h"

typedef struct cl_results cl_results;

cl_results *cl_results_new(void);
void cl_results_free(cl_results *r);

/* Append bytes to the run's key. */
void cl_results_key(cl_results *r, const void *p, size_t n);
/* The walk's files, in the session's order; then their content hashes. */
void cl_results_file(cl_results *r, const cl_file *f, bool named, const cl_statkey *k);
void cl_results_file_hash(cl_results *r, size_t i, cl_hash h);
/* File i was skipped by the prefilter (never parsed): what its findings
 * depend on is its scan (cl_scan_hash), not its bytes. A file link.c loads
 * anyway is also noted as loaded, content and all. */
void cl_results_file_scan(cl_results *r, size_t i, cl_hash scan);
/* Do not record this run (the reason is shown by CONDLINT_STATS). */
void cl_results_disable(cl_results *r, const char *why);
const char *cl_results_disabled(const cl_results *r);
/* Why the last cl_results_replay found an entry and did not replay it, or NULL. */
const char *cl_results_miss(const cl_results *r);
/* How many skipped files the last replay found changed, with the same scan. */
size_t cl_results_rescanned(const cl_results *r);

/* link.c: an import candidate base/rel that does not exist (base: the
 * directory the import is resolved from); a file loaded from disk that is
 * not one of the walk's (st: its fstat). NULL r is a no-op. */
void cl_results_note_absent(cl_results *r, const char *base, const char *rel);
void cl_results_note_loaded(cl_results *r, const char *abspath, const struct stat *st,
                            const char *bytes, size_t len);

/* The recorded findings of the same run, when every input is unchanged:
 * s->diags gets them (in files of s, whose bytes are read), ready for
 * finalizing. false leaves s as it was. */
bool cl_results_replay(cl_results *r, condlint_session *s, const char *cache_dir);
/* Record s's findings (final, sorted) in the cache c. */
void cl_results_store(cl_results *r, condlint_session *s, cl_cache *c);

#endif
