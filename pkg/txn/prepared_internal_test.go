package txn

import (
	"strconv"
	"testing"
)

func TestPreparedCacheEvictsLeastRecentlyUsed(t *testing.T) {
	c := &preparedCache{names: map[string]*preparedEntry{}}
	for i := 0; i < maxPrepared; i++ {
		c.add("q"+strconv.Itoa(i), c.newName())
	}
	if c.lookup("q0") != "rs1" { // q0 is now the most recently used; q1 the least
		t.Fatal("q0 lost")
	}
	c.add("new", c.newName())
	if len(c.names) != maxPrepared || c.lookup("q1") != "" || c.lookup("q0") == "" || c.lookup("new") == "" {
		t.Fatalf("after eviction: %d entries, q1 %q", len(c.names), c.lookup("q1"))
	}
	if len(c.closing) != 1 || c.closing[0] != "rs2" {
		t.Fatalf("closing %v, want [rs2]", c.closing)
	}
	c.add("new", "rs999")
	if c.lookup("new") == "rs999" || c.closing[1] != "rs999" {
		t.Fatal("a second preparation of the same text replaced the first")
	}
}
