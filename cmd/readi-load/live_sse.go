package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// sseStream is one open text/event-stream reply, read straight off a TCP
// connection: one goroutine and two 4 KB buffers per stream, so that ten
// thousand of them fit in the load generator beside everything else
// (net/http's Transport would add two goroutines and larger buffers each).
type sseStream struct {
	conn net.Conn
	body *bufio.Reader // the decoded (de-chunked) body
	line []byte        // a line longer than the buffer, put together
	data []byte        // the current event's data
	// Pings counts the ": ping" comment lines seen.
	Pings int
}

// sseEvent is one dispatched event. Data is only valid until the next call
// to next.
type sseEvent struct {
	Name string
	Data []byte
}

// httpStatusError is a reply other than the one wanted.
type httpStatusError struct {
	Status int
	Body   string
}

func (e *httpStatusError) Error() string { return fmt.Sprintf("HTTP %d: %.300s", e.Status, e.Body) }

// openSSE connects to addr, sends GET path with the bearer token and reads
// the reply's head. A reply other than 200 is an *httpStatusError. The
// stream's reads have no deadline: the caller ends a stream by closing it.
func openSSE(ctx context.Context, addr, path, token string, timeout time.Duration) (*sseStream, error) {
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp4", addr)
	if err != nil {
		return nil, err
	}
	_ = conn.SetDeadline(time.Now().Add(timeout))
	var req bytes.Buffer
	req.Grow(256 + len(token))
	req.WriteString("GET ")
	req.WriteString(path)
	req.WriteString(" HTTP/1.1\r\nHost: ")
	req.WriteString(addr)
	req.WriteString("\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\nUser-Agent: readi-load\r\n")
	if token != "" {
		req.WriteString("Authorization: Bearer ")
		req.WriteString(token)
		req.WriteString("\r\n")
	}
	req.WriteString("\r\n")
	if _, err := conn.Write(req.Bytes()); err != nil {
		conn.Close()
		return nil, err
	}
	br := bufio.NewReaderSize(conn, 4096)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
		conn.Close()
		return nil, &httpStatusError{Status: resp.StatusCode, Body: string(b)}
	}
	_ = conn.SetDeadline(time.Time{})
	return &sseStream{conn: conn, body: bufio.NewReaderSize(resp.Body, 4096)}, nil
}

// Close ends the stream (its reader gets an error).
func (s *sseStream) Close() error { return s.conn.Close() }

// next reads until the next event is dispatched (a blank line after at
// least one field). Comments count as pings; "retry:" and "id:" are
// ignored.
func (s *sseStream) next(ev *sseEvent) error {
	ev.Name = ""
	s.data = s.data[:0]
	haveData := false
	for {
		line, err := s.readLine()
		if err != nil {
			return err
		}
		if len(line) == 0 {
			if haveData || ev.Name != "" {
				if ev.Name == "" {
					ev.Name = "message"
				}
				ev.Data = s.data
				return nil
			}
			continue
		}
		if line[0] == ':' {
			s.Pings++
			continue
		}
		field, value := line, []byte(nil)
		if i := bytes.IndexByte(line, ':'); i >= 0 {
			field, value = line[:i], line[i+1:]
			if len(value) > 0 && value[0] == ' ' {
				value = value[1:]
			}
		}
		switch string(field) {
		case "event":
			ev.Name = string(value)
		case "data":
			if haveData {
				s.data = append(s.data, '\n')
			}
			s.data = append(s.data, value...)
			haveData = true
		}
	}
}

// readLine returns the next line without its end (LF or CRLF).
func (s *sseStream) readLine() ([]byte, error) {
	line, err := s.body.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		s.line = append(s.line[:0], line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = s.body.ReadSlice('\n')
			s.line = append(s.line, line...)
		}
		line = s.line
	}
	if err != nil {
		if err == io.EOF && len(line) > 0 {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}

// scanString returns the string value of the first `"key":"…"` in js, not
// unescaping (the values it is used on are plain identifiers).
func scanString(js []byte, key string) (string, bool) {
	i := indexKey(js, key)
	if i < 0 || i >= len(js) || js[i] != '"' {
		return "", false
	}
	j := bytes.IndexByte(js[i+1:], '"')
	if j < 0 {
		return "", false
	}
	return string(js[i+1 : i+1+j]), true
}

// scanInt returns the integer value of the first `"key":n` in js.
func scanInt(js []byte, key string) (int64, bool) {
	i := indexKey(js, key)
	if i < 0 {
		return 0, false
	}
	j := i
	if j < len(js) && js[j] == '-' {
		j++
	}
	for j < len(js) && js[j] >= '0' && js[j] <= '9' {
		j++
	}
	n, err := strconv.ParseInt(string(js[i:j]), 10, 64)
	return n, err == nil
}

// indexKey finds `"key":` (with optional spaces after the colon) and
// returns the offset of the value, or -1. Top-level keys of READI's replies
// come before nested objects that could repeat them, and the keys it is
// used on (phase, seq, state) do not occur nested in a PlayerState.
func indexKey(js []byte, key string) int {
	pat := make([]byte, 0, len(key)+3)
	pat = append(pat, '"')
	pat = append(pat, key...)
	pat = append(pat, '"', ':')
	i := bytes.Index(js, pat)
	if i < 0 {
		return -1
	}
	i += len(pat)
	for i < len(js) && js[i] == ' ' {
		i++
	}
	return i
}
