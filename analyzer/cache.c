/* cache.c — the summary cache and the prefilter's verdict index (see cache.h).
 *
 * Keys. A summary is looked up by a hash of (content hash, build key,
 * configuration hash). The build key covers the condlint version, the cache
 * format, the IR's layout and the build itself (the GNU build-id of the
 * object holding this code, when it has one), so that a rebuilt condlint
 * whose parser lowers differently never reads the IR of another build. The
 * configuration hash covers the settings a summary depends on: none today
 * (select, ignore, severities and contracts apply after the cache), so it is
 * a constant that a future parse setting must join. Verdicts are keyed by
 * path and checked against the stat key, then the content hash, and depend
 * on the prefilter's patterns (part of the build key). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "serialize.h"

#define CACHE_NAME ".condlint_cache"
#define TAG_NAME "CACHEDIR.TAG"
#define TAG_TEXT                                                                 \
  "Signature: 8a477f597d28d172789f06886806bc55\n"                                \
  "# This file is a cache directory tag created by condlint.\n"                  \
  "# For information about cache directory tags, see https://bford.info/cachedir/\n"
#define MAX_BLOB (256u << 20)
#define RACY_SECONDS 3

/* ---- MurmurHash3 x64 128 ---------------------------------------------------- */

static inline uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static inline uint64_t fmix64(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdull;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ull;
  return k ^ (k >> 33);
}

static inline uint64_t load64(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap64(v);
#endif
  return v;
}

cl_hash cl_hash128(const void *key, size_t len, uint64_t seed) {
  const uint8_t *data = key;
  const size_t nblocks = len / 16;
  uint64_t h1 = seed, h2 = seed;
  const uint64_t c1 = 0x87c37b91114253d5ull, c2 = 0x4cf5ad432745937full;
  for (size_t i = 0; i < nblocks; i++) {
    uint64_t k1 = load64(data + i * 16), k2 = load64(data + i * 16 + 8);
    k1 *= c1, k1 = rotl64(k1, 31), k1 *= c2, h1 ^= k1;
    h1 = rotl64(h1, 27), h1 += h2, h1 = h1 * 5 + 0x52dce729;
    k2 *= c2, k2 = rotl64(k2, 33), k2 *= c1, h2 ^= k2;
    h2 = rotl64(h2, 31), h2 += h1, h2 = h2 * 5 + 0x38495ab5;
  }
  const uint8_t *tail = data + nblocks * 16;
  uint64_t k1 = 0, k2 = 0;
  size_t rest = len & 15;
  for (size_t i = rest; i > 8; i--) k2 ^= (uint64_t)tail[i - 1] << (8 * (i - 9));
  if (rest > 8) k2 *= c2, k2 = rotl64(k2, 33), k2 *= c1, h2 ^= k2;
  for (size_t i = rest < 8 ? rest : 8; i > 0; i--) k1 ^= (uint64_t)tail[i - 1] << (8 * (i - 1));
  if (rest) k1 *= c1, k1 = rotl64(k1, 31), k1 *= c2, h1 ^= k1;
  h1 ^= len, h2 ^= len;
  h1 += h2, h2 += h1;
  h1 = fmix64(h1), h2 = fmix64(h2);
  h1 += h2, h2 += h1;
  return (cl_hash){h1, h2};
}

/* ---- the build key ----------------------------------------------------------- */

typedef struct {
  uintptr_t addr;
  uint8_t id[64];
  size_t n;
} build_id_ctx;

static int find_build_id(struct dl_phdr_info *info, size_t size, void *data) {
  (void)size;
  build_id_ctx *c = data;
  bool mine = false;
  for (int i = 0; i < info->dlpi_phnum && !mine; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
    if (ph->p_type == PT_LOAD && c->addr >= lo && c->addr < lo + ph->p_memsz) mine = true;
  }
  if (!mine) return 0;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type != PT_NOTE) continue;
    const uint8_t *p = (const uint8_t *)(info->dlpi_addr + ph->p_vaddr), *end = p + ph->p_memsz;
    while (p + sizeof(ElfW(Nhdr)) <= end) {
      const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)(const void *)p;
      const uint8_t *name = p + sizeof *nh;
      const uint8_t *desc = name + ((nh->n_namesz + 3) & ~3u);
      const uint8_t *next = desc + ((nh->n_descsz + 3) & ~3u);
      if (next > end) break;
      if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 && !memcmp(name, "GNU", 4) &&
          nh->n_descsz <= sizeof c->id) {
        memcpy(c->id, desc, nh->n_descsz);
        c->n = nh->n_descsz;
        return 1;
      }
      p = next;
    }
  }
  return 1;
}

static uint64_t the_build_key;
static pthread_once_t build_key_once = PTHREAD_ONCE_INIT;

/* cl_cache_open's address names the object (executable or shared library)
 * this code was linked into. */
static void compute_build_key(void) {
  build_id_ctx c = {0};
  c.addr = (uintptr_t)&cl_cache_open;
  dl_iterate_phdr(find_build_id, &c);
  cl_buf b = {0};
  cl_buf_str(&b, CONDLINT_VERSION);
  cl_buf_u64le(&b, CL_SER_FORMAT);
  cl_buf_u64le(&b, cl_ser_layout_signature());
  cl_buf_str(&b, cl_prefilter_signature());
  cl_buf_put(&b, c.id, c.n);
  the_build_key = cl_hash128(b.p, b.n, 0x636f6e646c696e74ull).lo;
  cl_buf_free(&b);
}

static uint64_t build_key(void) {
  pthread_once(&build_key_once, compute_build_key);
  return the_build_key;
}

/* The settings a summary depends on (see the header comment): none yet. */
static uint64_t config_key(void) { return 0x6e6f2d73657474ull; }
