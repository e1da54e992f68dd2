package load

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Outcome classifies one answer.
type Outcome int

const (
	OK          Outcome = iota // the answer the scenario wants
	Expected                   // an error the scenario provokes on purpose (e.g. a stale PATCH → 406)
	Unavailable                // a non-2xx answer that is not an expected error
	Failed                     // transport error, timeout, or dropped for exceeding MaxInFlight
	numOutcomes
)

// Request is one HTTP request; User picks the keep-alive client it goes through.
type Request struct {
	Method, URL string
	Header      http.Header
	Body        []byte
	User        int
	// Check classifies the answer; nil means any 2xx is OK.
	Check func(status int, body []byte) Outcome
}

// Generator makes request i of a step.
type Generator func(i int) Request

// Step is one constant-rate run.
type Step struct {
	Rate        float64
	Duration    time.Duration
	MaxInFlight int
	Timeout     time.Duration
}

// Result is what a step measured.
type Result struct {
	Offered  int
	Counts   [numOutcomes]int
	Latency  Summary // of OK and Expected answers, from their due times
	Achieved float64 // OK+Expected answers per second of the step's wall time
	Elapsed  time.Duration
	// FirstError is one example of an Unavailable or Failed answer.
	FirstError string
}

// Count returns how many answers had outcome o.
func (r Result) Count(o Outcome) int { return r.Counts[o] }

// Errors is Unavailable + Failed.
func (r Result) Errors() int { return r.Counts[Unavailable] + r.Counts[Failed] }

// Clients are keep-alive HTTP/1.1 connections, a few per simulated user (one per user
// in the full benchmark). Each request takes one of its user's connections, writes the
// request and reads the answer on it, synchronously: no transport goroutines, connection
// pool bookkeeping or per-request request objects, so the driver spends as little CPU as
// it can on the cores it shares with the server it measures.
type Clients []*userConns

// userConns are one user's connections; a request waits for a free one (its latency still
// counted from its due time).
type userConns struct {
	free chan *conn
}

// conn is one keep-alive connection, dialled on first use and again after an error.
type conn struct {
	c  net.Conn
	br *bufio.Reader
	bw *bufio.Writer
}

// NewClients makes n users with at most perClient connections each.
func NewClients(n, perClient int) Clients {
	cs := make(Clients, n)
	for i := range cs {
		u := &userConns{free: make(chan *conn, perClient)}
		for range perClient {
			u.free <- &conn{}
		}
		cs[i] = u
	}
	return cs
}

// CloseIdle closes every connection not in use (between targets, so each server starts
// cold).
func (cs Clients) CloseIdle() {
	for _, u := range cs {
		for range cap(u.free) {
			c := <-u.free
			c.close()
			u.free <- c
		}
	}
}

func (c *conn) close() {
	if c.c != nil {
		c.c.Close()
		c.c = nil
	}
}

// Warm sends one request through every client, at most par at a time, so each holds an
// open connection before measuring.
func (cs Clients) Warm(ctx context.Context, gen Generator, par int) {
	cs.replay(ctx, gen, len(cs), par, true)
}

// Replay sends requests 0…n-1 of gen, at most par at a time, as fast as they are answered
// and untimed: a step's own sequence sent ahead of it reads what the step will read.
func (cs Clients) Replay(ctx context.Context, gen Generator, n, par int) {
	cs.replay(ctx, gen, n, par, false)
}

func (cs Clients) replay(ctx context.Context, gen Generator, n, par int, everyClient bool) {
	sem := make(chan struct{}, par)
	var wg sync.WaitGroup
	for i := range n {
		req := gen(i)
		if everyClient {
			req.User = i
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			_, _, _ = cs.do(cctx, req)
		}()
	}
	wg.Wait()
}

// forMethod are the requests http.ReadResponse is told the answer belongs to (it only
// looks at the method: a HEAD answer has no body).
var forMethod sync.Map // method → *http.Request

func requestFor(method string) *http.Request {
	if r, ok := forMethod.Load(method); ok {
		return r.(*http.Request)
	}
	r, _ := forMethod.LoadOrStore(method, &http.Request{Method: method})
	return r.(*http.Request)
}

func (cs Clients) do(ctx context.Context, r Request) (int, []byte, error) {
	host, target, err := splitURL(r.URL)
	if err != nil {
		return 0, nil, err
	}
	u := cs[r.User%len(cs)]
	var c *conn
	select {
	case c = <-u.free:
	case <-ctx.Done():
		return 0, nil, ctx.Err()
	}
	defer func() { u.free <- c }()
	if c.c == nil {
		var d net.Dialer
		nc, err := d.DialContext(ctx, "tcp", host)
		if err != nil {
			return 0, nil, err
		}
		c.c, c.br, c.bw = nc, bufio.NewReaderSize(nc, 16<<10), bufio.NewWriterSize(nc, 8<<10)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = c.c.SetDeadline(dl)
	} else {
		_ = c.c.SetDeadline(time.Time{})
	}
	status, body, err := c.roundTrip(r, host, target)
	if err != nil {
		c.close()
	}
	return status, body, err
}

// roundTrip writes r and reads its answer on c.
func (c *conn) roundTrip(r Request, host, target string) (int, []byte, error) {
	w := c.bw
	w.WriteString(r.Method)
	w.WriteByte(' ')
	w.WriteString(target)
	w.WriteString(" HTTP/1.1\r\nHost: ")
	w.WriteString(host)
	w.WriteString("\r\n")
	for k, vs := range r.Header {
		for _, v := range vs {
			w.WriteString(k)
			w.WriteString(": ")
			w.WriteString(v)
			w.WriteString("\r\n")
		}
	}
	if r.Body != nil {
		w.WriteString("Content-Length: ")
		w.WriteString(strconv.Itoa(len(r.Body)))
		w.WriteString("\r\n")
	}
	w.WriteString("\r\n")
	w.Write(r.Body)
	if err := w.Flush(); err != nil {
		return 0, nil, err
	}
	resp, err := http.ReadResponse(c.br, requestFor(r.Method))
	if err != nil {
		return 0, nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Close {
		c.close() // the server ends the connection after this answer: dial again next time
	}
	return resp.StatusCode, b, err
}

// splitURL takes http://host:port/path?query apart.
func splitURL(u string) (host, target string, err error) {
	rest, ok := strings.CutPrefix(u, "http://")
	if !ok {
		return "", "", fmt.Errorf("load: only http:// URLs: %s", u)
	}
	i := strings.IndexByte(rest, '/')
	if i < 0 {
		return rest, "/", nil
	}
	return rest[:i], rest[i:], nil
}

// Run sends Rate×Duration requests made by gen, open loop, and waits for the answers
// (each bounded by Timeout).
func (cs Clients) Run(ctx context.Context, gen Generator, st Step) Result {
	if st.MaxInFlight <= 0 {
		st.MaxInFlight = 4096
	}
	if st.Timeout <= 0 {
		st.Timeout = 5 * time.Second
	}
	total := int(st.Rate * st.Duration.Seconds())
	interval := time.Duration(float64(time.Second) / st.Rate)
	var (
		mu       sync.Mutex
		lat      = make([]time.Duration, 0, total)
		res      = Result{Offered: total}
		inFlight atomic.Int64
		wg       sync.WaitGroup
	)
	record := func(o Outcome, d time.Duration, msg string) {
		mu.Lock()
		res.Counts[o]++
		if o == OK || o == Expected {
			lat = append(lat, d)
		} else if res.FirstError == "" {
			res.FirstError = msg
		}
		mu.Unlock()
	}
	start := time.Now()
	pace := time.NewTimer(0)
	defer pace.Stop()
	for i := 0; i < total; i++ {
		due := start.Add(time.Duration(i) * interval)
		if wait := time.Until(due); wait > 0 {
			pace.Reset(wait)
			select {
			case <-ctx.Done():
				total = i
			case <-pace.C:
			}
			if ctx.Err() != nil {
				break
			}
		}
		req := gen(i)
		if inFlight.Load() >= int64(st.MaxInFlight) {
			record(Failed, 0, "dropped: too many requests in flight")
			continue
		}
		inFlight.Add(1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer inFlight.Add(-1)
			cctx, cancel := context.WithTimeout(ctx, st.Timeout)
			defer cancel()
			status, body, err := cs.do(cctx, req)
			d := time.Since(due)
			switch {
			case err != nil:
				record(Failed, d, err.Error())
			case req.Check != nil:
				o := req.Check(status, body)
				record(o, d, http.StatusText(status)+": "+truncate(body))
			case status >= 200 && status < 300:
				record(OK, d, "")
			default:
				record(Unavailable, d, http.StatusText(status)+": "+truncate(body))
			}
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	res.Latency = Summarize(lat)
	if s := res.Elapsed.Seconds(); s > 0 {
		res.Achieved = float64(res.Counts[OK]+res.Counts[Expected]) / s
	}
	return res
}

func truncate(b []byte) string {
	if len(b) > 200 {
		b = b[:200]
	}
	return string(b)
}
