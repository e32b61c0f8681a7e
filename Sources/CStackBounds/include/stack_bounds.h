#ifndef STACK_BOUNDS_H
#define STACK_BOUNDS_H

#include <stddef.h>

/// The lowest address of the calling thread's stack, or 0 when unknown.
/// The evaluator uses it to stop deep recursion before the stack overflows.
size_t stack_bounds_lowest_address(void);

/// An address in the caller's stack frame: the frame address of this
/// function, which is on the thread's real stack even when a sanitizer
/// moves local variables elsewhere.
size_t stack_bounds_current_address(void);

#endif
