package proc

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// clockTick is USER_HZ, the unit of /proc/<pid>/stat's times (100 on every Linux ABI Go
// supports).
const clockTick = 100

// stat returns utime, stime, cutime, cstime (in ticks) and the parent pid.
func stat(pid int) (times [4]int64, ppid int, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return times, 0, err
	}
	// The command name is in parentheses and may hold spaces: split after the last ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return times, 0, fmt.Errorf("proc: odd stat for %d", pid)
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (state); ppid is field 4; utime..cstime are fields 14..17.
	if len(f) < 15 {
		return times, 0, fmt.Errorf("proc: short stat for %d", pid)
	}
	ppid, _ = strconv.Atoi(f[1])
	for k := 0; k < 4; k++ {
		times[k], _ = strconv.ParseInt(f[11+k], 10, 64)
	}
	return times, ppid, nil
}

func ticks(n int64) time.Duration { return time.Duration(n) * time.Second / clockTick }

// CPU is the user+system time pid has used so far.
func CPU(pid int) (time.Duration, error) {
	t, _, err := stat(pid)
	return ticks(t[0] + t[1]), err
}

// ReapedCPU is the user+system time of pid's children that have ended and been waited
// for (a pgbench run, once it exits).
func ReapedCPU(pid int) (time.Duration, error) {
	t, _, err := stat(pid)
	return ticks(t[2] + t[3]), err
}

// TreeCPU is the CPU time of pid, its reaped children and its live children (one level:
// enough for PostgreSQL's postmaster and its backends).
func TreeCPU(pid int) (time.Duration, error) {
	t, _, err := stat(pid)
	if err != nil {
		return 0, err
	}
	total := t[0] + t[1] + t[2] + t[3]
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		child, err := strconv.Atoi(filepath.Base(d))
		if err != nil || child == pid {
			continue
		}
		ct, ppid, err := stat(child)
		if err == nil && ppid == pid {
			total += ct[0] + ct[1]
		}
	}
	return ticks(total), nil
}

// Memory returns the resident set size now and its peak (VmRSS, VmHWM) in bytes.
func Memory(pid int) (rss, peak int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) == 0 {
			continue
		}
		n, _ := strconv.ParseInt(f[0], 10, 64)
		switch k {
		case "VmRSS":
			rss = n * 1024
		case "VmHWM":
			peak = n * 1024
		}
	}
	return rss, peak, nil
}

// ResetPeak sets pid's peak RSS back to its current RSS (Linux ≥ 4.0), so the next Memory
// reports the peak of what follows. Errors are ignored by callers: the peak then covers
// the process's whole life.
func ResetPeak(pid int) error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}
