#ifndef ALLOCATION_COUNTER_H
#define ALLOCATION_COUNTER_H

#include <stdint.h>

/// The number of malloc, calloc and realloc calls made by the process so far.
/// `rulecheck bench` reads it before and after a batch of conversions to
/// report allocations per conversion. The counting wraps glibc's allocator
/// (this library defines malloc, calloc, realloc and free, and forwards to
/// __libc_malloc and friends); elsewhere it reports 0.
uint64_t allocation_counter_value(void);

/// Turns counting on (non-zero) or off; it is off at start.
void allocation_counter_set_enabled(int enabled);

/// Whether allocations are being counted on this platform.
int allocation_counter_available(void);

#endif
