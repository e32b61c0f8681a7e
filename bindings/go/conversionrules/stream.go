package conversionrules

import (
	"context"
	"errors"
	"io"
	"net/http"
	"runtime"
	"sync"
)

// Stream converts a streamed response (SSE or NDJSON) incrementally: feed
// it the upstream bytes as they arrive, split anywhere, and send what it
// returns at once; Finish gives the last events. This is the push form;
// StreamReader is the io.Reader form over it.
//
// A Stream belongs to one goroutine at a time (it is locked, so misuse is
// serialised, not a data race). Close it when done, finished or not.
type Stream struct {
	guarded[cStream]
}

func newStream(handle cStream) *Stream {
	stream := &Stream{guarded[cStream]{handle: handle}}
	runtime.SetFinalizer(stream, (*Stream).Close)
	return stream
}

// Feed converts the next upstream bytes and returns the bytes to send now
// (whole events only; possibly none). When a payload fails, the events
// before it are returned first and the next call fails with an *Error
// whose Chunk is the failed payload; the stream then stays failed.
func (s *Stream) Feed(input []byte) ([]byte, error) {
	var output []byte
	err := s.useAlone(func(handle cStream) (err error) {
		output, err = handle.feed(input)
		return err
	})
	return output, err
}

// Finish ends the stream: the last converted events and the epilogue.
func (s *Stream) Finish() ([]byte, error) {
	var output []byte
	err := s.useAlone(func(handle cStream) (err error) {
		output, err = handle.finish()
		return err
	})
	return output, err
}

// Header is the headers of the response to send, known once the first
// event has converted (before that, the rule's defaults).
func (s *Stream) Header() (http.Header, error) {
	var header http.Header
	err := s.useAlone(func(handle cStream) (err error) {
		header, err = headersFromJSON(handle.headers())
		return err
	})
	return header, err
}

// Close frees the stream. Closing twice is harmless.
func (s *Stream) Close() error {
	if s.close(cStream.free) {
		runtime.SetFinalizer(s, nil)
	}
	return nil
}

// StreamReader reads the converted form of an upstream stream, converting
// as the upstream's bytes arrive, so that
//
//	io.Copy(responseWriter, reader)
//
// sends each converted event as soon as it is ready (WriteTo flushes an
// http.Flusher after each write). Cancelling ctx ends reading with
// ctx.Err(), and closes the upstream when it is an io.Closer, so that a
// Read blocked on it returns. Close frees the stream and closes the
// upstream (an io.Closer); call it even after an error or io.EOF.
type StreamReader struct {
	context  context.Context
	stream   *Stream
	upstream io.Reader
	buffer   []byte
	pending  []byte
	err      error
	stop     chan struct{}
	once     sync.Once
}

// readSize is the most a StreamReader reads from the upstream at once.
const readSize = 32 * 1024

// NewStreamReader opens a stream conversion of rule over upstream (the
// provider's response body); header holds the upstream response's headers.
func NewStreamReader(ctx context.Context, rule *Rule, conversion Conversion, header http.Header, upstream io.Reader,
	variables map[string]any) (*StreamReader, error) {
	stream, err := rule.OpenStream(conversion, header, variables)
	if err != nil {
		return nil, err
	}
	return newStreamReader(ctx, stream, upstream), nil
}

// NewTwoHopStreamReader opens a two-hop stream conversion (provider ->
// AOG -> client) over upstream, as Catalog.OpenTwoHopStream does.
func NewTwoHopStreamReader(ctx context.Context, catalog *Catalog, route TwoHop, header http.Header, upstream io.Reader,
	variables map[string]any) (*StreamReader, error) {
	stream, err := catalog.OpenTwoHopStream(route, header, variables)
	if err != nil {
		return nil, err
	}
	return newStreamReader(ctx, stream, upstream), nil
}

func newStreamReader(ctx context.Context, stream *Stream, upstream io.Reader) *StreamReader {
	reader := &StreamReader{context: ctx, stream: stream, upstream: upstream, buffer: make([]byte, readSize),
		stop: make(chan struct{})}
	if closer, ok := upstream.(io.Closer); ok && ctx.Done() != nil {
		// The watcher holds only the upstream and the channel, never the
		// reader, so an abandoned reader can still be finalized.
		go closeOnCancel(ctx, closer, reader.stop)
	}
	runtime.SetFinalizer(reader, (*StreamReader).Close)
	return reader
}

func closeOnCancel(ctx context.Context, upstream io.Closer, stop <-chan struct{}) {
	select {
	case <-ctx.Done():
		upstream.Close()
	case <-stop:
	}
}

// fill reads and converts until there is output to give or the stream ends.
func (r *StreamReader) fill() {
	for len(r.pending) == 0 && r.err == nil {
		if err := r.context.Err(); err != nil {
			r.err = err
			return
		}
		count, readErr := r.upstream.Read(r.buffer)
		if count > 0 {
			output, err := r.stream.Feed(r.buffer[:count])
			r.pending = append(r.pending, output...)
			if err != nil {
				r.err = err
				return
			}
		}
		switch {
		case readErr == io.EOF:
			output, err := r.stream.Finish()
			r.pending = append(r.pending, output...)
			r.err = err
			if err == nil {
				r.err = io.EOF
			}
		case readErr != nil && r.context.Err() != nil:
			r.err = r.context.Err()
		case readErr != nil:
			r.err = readErr
		}
	}
}

// Read gives the next converted bytes; io.EOF after the last, or the
// error that ended the stream once the bytes converted before it are read.
func (r *StreamReader) Read(p []byte) (int, error) {
	r.fill()
	if len(r.pending) == 0 {
		return 0, r.err
	}
	count := copy(p, r.pending)
	r.pending = r.pending[count:]
	return count, nil
}

// WriteTo writes the converted stream to w as it converts, flushing w
// after each write when it is an http.Flusher; it returns at the end of
// the stream (nil error) or at the first error.
func (r *StreamReader) WriteTo(w io.Writer) (int64, error) {
	flusher, _ := w.(http.Flusher)
	var written int64
	for {
		r.fill()
		if len(r.pending) > 0 {
			count, err := w.Write(r.pending)
			written += int64(count)
			r.pending = r.pending[count:]
			if err != nil {
				return written, err
			}
			if flusher != nil {
				flusher.Flush()
			}
			continue
		}
		if errors.Is(r.err, io.EOF) {
			return written, nil
		}
		return written, r.err
	}
}

// Header is the headers of the response to send. It reads ahead until the
// first event has converted (the converted bytes wait for Read), so call it
// before writing a response's header.
func (r *StreamReader) Header() (http.Header, error) {
	r.fill()
	return r.stream.Header()
}

// Close frees the stream and closes the upstream when it is an io.Closer.
func (r *StreamReader) Close() error {
	var err error
	r.once.Do(func() {
		close(r.stop)
		r.stream.Close()
		if closer, ok := r.upstream.(io.Closer); ok {
			err = closer.Close()
		}
		runtime.SetFinalizer(r, nil)
	})
	return err
}
