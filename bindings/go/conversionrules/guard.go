package conversionrules

import "sync"

// guarded holds one of the library's objects for its Go owner (Catalog,
// Rule, Stream): calls use it under a read lock, Close frees it once under
// the write lock, so that Close waits for running calls and a call after
// Close gets ErrClosed instead of a freed pointer.
type guarded[Handle any] struct {
	lock   sync.RWMutex
	handle Handle
	closed bool
}

// use runs body with the handle (several at once), or fails with ErrClosed.
func (g *guarded[Handle]) use(body func(Handle) error) error {
	return g.under(g.lock.RLocker(), body)
}

// useAlone is use for a handle that allows one call at a time (a stream).
func (g *guarded[Handle]) useAlone(body func(Handle) error) error {
	return g.under(&g.lock, body)
}

func (g *guarded[Handle]) under(lock sync.Locker, body func(Handle) error) error {
	lock.Lock()
	defer lock.Unlock()
	if g.closed {
		return ErrClosed
	}
	return body(g.handle)
}

// close frees the handle the first time; it tells whether it did.
func (g *guarded[Handle]) close(free func(Handle)) bool {
	g.lock.Lock()
	defer g.lock.Unlock()
	if g.closed {
		return false
	}
	g.closed = true
	free(g.handle)
	return true
}
