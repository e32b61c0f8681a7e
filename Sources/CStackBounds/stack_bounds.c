#define _GNU_SOURCE
#include "stack_bounds.h"
#include <pthread.h>

/* Reading a thread's stack attributes is slow (for the main thread glibc
   parses /proc/self/maps), so each thread asks once and keeps the answer. */
static _Thread_local size_t cached_lowest_address;
static _Thread_local int cached;

static size_t query_lowest_address(void) {
#if defined(__linux__)
    pthread_attr_t attributes;
    if (pthread_getattr_np(pthread_self(), &attributes) != 0) return 0;
    void *low = NULL;
    size_t size = 0;
    int status = pthread_attr_getstack(&attributes, &low, &size);
    pthread_attr_destroy(&attributes);
    return status == 0 ? (size_t)low : 0;
#elif defined(__APPLE__)
    pthread_t self = pthread_self();
    return (size_t)pthread_get_stackaddr_np(self) - pthread_get_stacksize_np(self);
#else
    return 0;
#endif
}

size_t stack_bounds_lowest_address(void) {
    if (!cached) {
        cached_lowest_address = query_lowest_address();
        cached = 1;
    }
    return cached_lowest_address;
}

__attribute__((noinline)) size_t stack_bounds_current_address(void) {
    return (size_t)__builtin_frame_address(0);
}
