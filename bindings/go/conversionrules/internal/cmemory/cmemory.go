// Package cmemory reads how much C heap memory the process holds, so that
// the package's tests can check that the library frees what it allocates.
package cmemory

/*
#include <malloc.h>
*/
import "C"

// InUse is the number of bytes the C allocator has handed out and not yet
// had back (glibc's mallinfo2: arena plus mmap'ed blocks in use).
func InUse() int {
	info := C.mallinfo2()
	return int(info.uordblks) + int(info.hblkhd)
}
