package code

/*
#include <stddef.h>

void ts_set_allocator(void *(*)(size_t), void *(*)(size_t, size_t), void *(*)(void *, size_t), void (*)(void *));
*/
import "C"

// The tree-sitter bindings route every allocation the C parser makes
// through a callback into Go and back out to malloc; with NULLs the parser
// calls the C library's allocator directly, which saves a cgo round trip
// per node.
func init() { C.ts_set_allocator(nil, nil, nil, nil) }
