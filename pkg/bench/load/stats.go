package load

import (
	"math"
	"sort"
	"time"
)

// Percentile returns the nearest-rank p-th percentile (0 < p ≤ 100) of sorted; 0 when empty.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	if rank < 1 {
		rank = 1
	}
	if rank > len(sorted) {
		rank = len(sorted)
	}
	return sorted[rank-1]
}

// Summary is a step's latency distribution.
type Summary struct {
	N                        int
	P50, P95, P99, P999, Max time.Duration
}

// Summarize sorts lat in place and summarizes it.
func Summarize(lat []time.Duration) Summary {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	s := Summary{N: len(lat), P50: Percentile(lat, 50), P95: Percentile(lat, 95),
		P99: Percentile(lat, 99), P999: Percentile(lat, 99.9)}
	if len(lat) > 0 {
		s.Max = lat[len(lat)-1]
	}
	return s
}
