package proc

import (
	"os"
	"testing"
)

func TestOwnProcess(t *testing.T) {
	pid := os.Getpid()
	if _, err := CPU(pid); err != nil {
		t.Fatal(err)
	}
	rss, peak, err := Memory(pid)
	if err != nil || rss <= 0 || peak < rss {
		t.Fatalf("rss %d peak %d err %v", rss, peak, err)
	}
	if _, err := TreeCPU(pid); err != nil {
		t.Fatal(err)
	}
}
