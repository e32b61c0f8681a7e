#ifndef FUZZER_DRIVER_H
#define FUZZER_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry point for programs that have a main of their own
   (libclang_rt.fuzzer_no_main): runs the fuzzer with the command line. */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
