#include "allocation_counter.h"
#include <stddef.h>

/* Sanitizers intercept malloc themselves; wrapping it too would clash. */
#if defined(__has_feature)
#  if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#    define ALLOCATION_COUNTER_SANITIZED 1
#  endif
#endif
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#  define ALLOCATION_COUNTER_SANITIZED 1
#endif

#if defined(__linux__) && defined(__GLIBC__) && !defined(ALLOCATION_COUNTER_SANITIZED)
#include <stdatomic.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void __libc_free(void *pointer);

static _Atomic uint64_t allocations;
/* Counting is off unless asked for: a shared counter written by every
   thread's malloc would slow the multi-threaded measurements. */
static _Atomic int counting;

static inline void count(void) {
    if (atomic_load_explicit(&counting, memory_order_relaxed)) {
        atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
    }
}

void *malloc(size_t size) {
    count();
    return __libc_malloc(size);
}

void *calloc(size_t count_of, size_t size) {
    count();
    return __libc_calloc(count_of, size);
}

void *realloc(void *pointer, size_t size) {
    count();
    return __libc_realloc(pointer, size);
}

void allocation_counter_set_enabled(int enabled) {
    atomic_store_explicit(&counting, enabled, memory_order_relaxed);
}

void free(void *pointer) {
    __libc_free(pointer);
}

uint64_t allocation_counter_value(void) {
    return atomic_load_explicit(&allocations, memory_order_relaxed);
}

int allocation_counter_available(void) { return 1; }
#else
void allocation_counter_set_enabled(int enabled) { (void)enabled; }
uint64_t allocation_counter_value(void) { return 0; }
int allocation_counter_available(void) { return 0; }
#endif
