package load

import (
	"testing"
	"time"
)

func TestPercentileNearestRank(t *testing.T) {
	var lat []time.Duration
	for i := 100; i >= 1; i-- {
		lat = append(lat, time.Duration(i)*time.Millisecond)
	}
	s := Summarize(lat)
	want := map[string][2]time.Duration{
		"p50": {s.P50, 50 * time.Millisecond}, "p95": {s.P95, 95 * time.Millisecond},
		"p99": {s.P99, 99 * time.Millisecond}, "p99.9": {s.P999, 100 * time.Millisecond},
		"max": {s.Max, 100 * time.Millisecond},
	}
	for name, g := range want {
		if g[0] != g[1] {
			t.Errorf("%s = %v, want %v", name, g[0], g[1])
		}
	}
	if Percentile(nil, 99) != 0 {
		t.Error("empty sample must give 0")
	}
	if got := Percentile([]time.Duration{7}, 0.1); got != 7 {
		t.Errorf("single sample: %v", got)
	}
}
