package schema

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestCacheReload(t *testing.T) {
	var calls atomic.Int32
	fail := errors.New("catalog unavailable")
	var failing atomic.Bool
	c := NewCache(func(ctx context.Context) (*Snapshot, error) {
		n := calls.Add(1)
		if failing.Load() {
			return nil, fail
		}
		s := &Snapshot{Relations: []*Relation{{Schema: "test", Name: "t", Kind: KindTable, Columns: []*Column{{Name: "id", Position: 1}}}}}
		s.ServerVersion = int(n)
		s.index()
		return s, nil
	})
	if c.Current() != nil {
		t.Fatal("snapshot before the first load")
	}
	if st := c.Stats(); st.Loads != 0 || !st.LoadedAt.IsZero() {
		t.Fatalf("stats before load: %+v", st)
	}
	if err := c.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	first := c.Current()
	if first == nil || first.ServerVersion != 1 {
		t.Fatalf("current = %+v", first)
	}
	st := c.Stats()
	if st.Loads != 1 || st.Failures != 0 || st.LastError != nil || st.LoadedAt.IsZero() ||
		st.Counts != (Counts{Relations: 1, Columns: 1}) {
		t.Errorf("stats = %+v", st)
	}

	// A failed reload keeps the previous snapshot.
	failing.Store(true)
	if err := c.Reload(context.Background()); !errors.Is(err, fail) {
		t.Fatalf("reload error = %v", err)
	}
	if c.Current() != first {
		t.Error("failed reload replaced the snapshot")
	}
	if st := c.Stats(); st.Loads != 1 || st.Failures != 1 || !errors.Is(st.LastError, fail) {
		t.Errorf("stats after failure = %+v", st)
	}

	failing.Store(false)
	if err := c.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	if c.Current() == first || c.Current().ServerVersion != 3 || c.Stats().LastError != nil {
		t.Errorf("reload after failure: %+v", c.Stats())
	}
}

// While a load runs, any number of Reload calls share one queued load, and readers keep
// reading the previous snapshot without waiting.
func TestCacheReloadCoalesces(t *testing.T) {
	var calls atomic.Int32
	entered := make(chan int32, 10)
	release := make(chan struct{})
	c := NewCache(func(ctx context.Context) (*Snapshot, error) {
		n := calls.Add(1)
		entered <- n
		<-release
		s := &Snapshot{ServerVersion: int(n)}
		s.index()
		return s, nil
	})
	old := &Snapshot{}
	old.index()
	c.Store(old)

	errs := make(chan error, 10)
	go func() { errs <- c.Reload(context.Background()) }()
	<-entered // the first load runs and blocks

	const later = 5
	for range later {
		go func() { errs <- c.Reload(context.Background()) }()
	}
	waitFor(t, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.joined == 1+later
	})
	if c.Current() != old {
		t.Error("readers must see the old snapshot during a reload")
	}

	release <- struct{}{} // the first load ends; the queued one starts
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
	if n := <-entered; n != 2 {
		t.Fatalf("second load is call %d", n)
	}
	release <- struct{}{}
	for range later {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("%d loads for %d reload calls, want 2", n, 1+later)
	}
	if c.Current().ServerVersion != 2 {
		t.Errorf("current is load %d, want 2", c.Current().ServerVersion)
	}
	if st := c.Stats(); st.Loads != 2 {
		t.Errorf("stats = %+v", st)
	}
}

// A caller that stops waiting does not cancel the load others may be waiting for.
func TestCacheReloadCallerGivesUp(t *testing.T) {
	release := make(chan struct{})
	var loadCtxErr atomic.Pointer[error]
	c := NewCache(func(ctx context.Context) (*Snapshot, error) {
		<-release
		err := ctx.Err()
		loadCtxErr.Store(&err)
		s := &Snapshot{}
		s.index()
		return s, nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- c.Reload(ctx) }()
	waitFor(t, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.joined == 1
	})
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("reload = %v", err)
	}
	close(release)
	waitFor(t, func() bool { return c.Current() != nil })
	if err := *loadCtxErr.Load(); err != nil {
		t.Errorf("load context cancelled: %v", err)
	}
	// The cache is idle again: a new reload runs at once.
	if err := c.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestCacheLoaderMisbehaves(t *testing.T) {
	c := NewCache(func(context.Context) (*Snapshot, error) { return nil, nil })
	if err := c.Reload(context.Background()); err == nil {
		t.Fatal("no error for a nil snapshot")
	}
	if c.Current() != nil {
		t.Fatal("nil snapshot stored")
	}

	c = NewCache(func(context.Context) (*Snapshot, error) { panic("boom") })
	if err := c.Reload(context.Background()); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("panicking loader: %v", err)
	}
	// The cache is not stuck.
	if err := c.Reload(context.Background()); err == nil {
		t.Fatal("second reload")
	}
	if st := c.Stats(); st.Failures != 2 {
		t.Errorf("stats %+v", st)
	}
}

// Readers racing a stream of reloads (meaningful under -race).
func TestCacheConcurrentReaders(t *testing.T) {
	c := NewCache(func(context.Context) (*Snapshot, error) { return hintSnapshot(), nil })
	if err := c.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				s := c.Current()
				if _, ok := s.Relation("test", "projects"); !ok {
					t.Error("projects missing")
					return
				}
				_ = s.SimilarRelation("test", "projectx")
			}
		}()
	}
	for range 20 {
		if err := c.Reload(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
}

// waitFor polls a condition that another goroutine makes true (no timing is asserted; the
// deadline only turns a hang into a failure).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition never became true")
		}
		time.Sleep(time.Millisecond)
	}
}
