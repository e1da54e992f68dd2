package load

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
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

// Clients are keep-alive HTTP clients, one per simulated user (modulo their number).
type Clients []*http.Client

// NewClients makes n clients, each with its own connection pool of at most perClient
// connections (requests beyond wait for one, their latency still counted from the due time).
func NewClients(n, perClient int) Clients {
	cs := make(Clients, n)
	for i := range cs {
		cs[i] = &http.Client{Transport: &http.Transport{
			MaxConnsPerHost:     perClient,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConnsPerHost: 8,
			IdleConnTimeout:     5 * time.Minute,
			DisableCompression:  true,
			ForceAttemptHTTP2:   false,
		}}
	}
	return cs
}

// CloseIdle drops every idle connection (between targets, so each server starts cold).
func (cs Clients) CloseIdle() {
	for _, c := range cs {
		c.CloseIdleConnections()
	}
}

// Warm sends one request through every client, at most par at a time, so each holds an
// open connection before measuring.
func (cs Clients) Warm(ctx context.Context, gen Generator, par int) {
	sem := make(chan struct{}, par)
	var wg sync.WaitGroup
	for i := range cs {
		req := gen(i)
		req.User = i
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

func (cs Clients) do(ctx context.Context, r Request) (int, []byte, error) {
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, body)
	if err != nil {
		return 0, nil, err
	}
	for k, vs := range r.Header {
		req.Header[k] = vs
	}
	resp, err := cs[r.User%len(cs)].Do(req)
	if err != nil {
		return 0, nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, b, err
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
	for i := 0; i < total; i++ {
		due := start.Add(time.Duration(i) * interval)
		if wait := time.Until(due); wait > 0 {
			select {
			case <-ctx.Done():
				total = i
			case <-time.After(wait):
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
