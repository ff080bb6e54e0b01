/*
 * cache_pack.h — where the cache keeps its summaries: pack files.
 *
 * A run writes the summaries it makes into one pack file, `p/NAME.pack`,
 * instead of one file each: creating hundreds of files is what a cold run
 * with a cache paid most for (ext4 allocating inodes after a cache was
 * deleted). A pack is the blobs one after the other, then an index of
 * (key, offset, length) and a trailer (entry count, the index's checksum,
 * format, magic). It is written under a temporary name and renamed, so a
 * reader sees a whole pack or none; each blob keeps the checks of its own
 * frame (cache.c), so a damaged blob is one unusable summary and a damaged
 * index one ignored pack. A key in several packs is read from the newest.
 * When a run leaves more than a few packs, it merges them into one (the
 * newest blob of each key) and removes those it merged; a concurrent run
 * that still reads one keeps its open descriptor, and one that no longer
 * finds a pack only misses.
 * Module prefix: cl_packs_.
 */
#ifndef CONDLINT_CACHE_PACK_H
#define CONDLINT_CACHE_PACK_H

#include "cache.h"

typedef struct cl_packs cl_packs;

/* The packs of directory pdir (created by the caller before a put). Nothing
 * is read until the first get. */
cl_packs *cl_packs_new(const char *pdir);
/* The blob of key (malloc'd, *len bytes), or NULL: none, or longer than max.
 * Thread-safe. */
uint8_t *cl_packs_get(cl_packs *P, cl_hash key, size_t max, size_t *len);
/* Append a blob to this run's pack (one thread at a time). false: it could
 * not be written. */
bool cl_packs_put(cl_packs *P, cl_hash key, const void *blob, size_t len);
/* Finish this run's pack (rename it into place), merge the packs when there
 * are more than a few, and free P. false: a write failed (the run's pack, or
 * the merge, is then left out). NULL is a no-op. */
bool cl_packs_close(cl_packs *P);

#endif
