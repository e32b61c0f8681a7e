/* The declaration in include/fuzzer_driver.h is all this module provides;
   libFuzzer's runtime defines the function. */
#include "fuzzer_driver.h"
