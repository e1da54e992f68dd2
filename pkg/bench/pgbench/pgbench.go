package pgbench

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rocksteady/rocksteady/pkg/bench/capture"
	"github.com/rocksteady/rocksteady/pkg/bench/load"
)

// MaxScripts is pgbench's limit on -f files (128) less headroom.
const MaxScripts = 100

// Script renders the transaction t for one request's values.
func Script(t *capture.Template, vals capture.Values) string {
	var b strings.Builder
	b.WriteString("\\startpipeline\n")
	i := 0
	for ; i < len(t.Statements); i++ {
		st := &t.Statements[i]
		b.WriteString(capture.Inline(st, vals))
		b.WriteString(";\n")
		if st.Kind() == "main" {
			i++
			break
		}
	}
	b.WriteString("\\endpipeline\n")
	for ; i < len(t.Statements); i++ {
		b.WriteString(capture.Inline(&t.Statements[i], vals))
		b.WriteString(";\n")
	}
	return b.String()
}

// Run is one pgbench step.
type Run struct {
	Bin     string // pgbench executable
	Dir     string // where scripts and logs go
	URL     string // connection (the login role rocksteady uses)
	Clients int
	Threads int
	Rate    float64
	Time    time.Duration
	Scripts []string
	// Prepared replays with -M prepared (each script's statements prepared once per
	// client), as rocksteady does with PGRST_DB_PREPARED_STATEMENTS.
	Prepared bool
}

// Do runs pgbench and summarizes its per-transaction log.
func (r Run) Do(ctx context.Context) (load.Result, error) {
	var res load.Result
	if err := os.MkdirAll(r.Dir, 0o755); err != nil {
		return res, err
	}
	old, _ := filepath.Glob(filepath.Join(r.Dir, "log.*"))
	for _, f := range old {
		os.Remove(f)
	}
	mode := "extended"
	if r.Prepared {
		mode = "prepared"
	}
	args := []string{"-n", "-M", mode, "-c", strconv.Itoa(r.Clients), "-j", strconv.Itoa(r.Threads),
		"-R", fmt.Sprintf("%.0f", r.Rate), "-T", strconv.Itoa(int(r.Time.Seconds())),
		"-l", "--log-prefix=" + filepath.Join(r.Dir, "log")}
	for i, s := range r.Scripts {
		p := filepath.Join(r.Dir, fmt.Sprintf("s%03d.sql", i))
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			return res, err
		}
		args = append(args, "-f", p+"@1")
	}
	args = append(args, r.URL)
	cctx, cancel := context.WithTimeout(ctx, r.Time+60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(cctx, r.Bin, args...)
	cmd.Dir = r.Dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return res, fmt.Errorf("pgbench: %v\n%s", err, tail(out))
	}
	logs, _ := filepath.Glob(filepath.Join(r.Dir, "log.*"))
	var lat []time.Duration
	var first, last int64
	for _, f := range logs {
		if err := readLog(f, &res, &lat, &first, &last); err != nil {
			return res, err
		}
	}
	res.Offered = int(r.Rate * r.Time.Seconds())
	res.Latency = load.Summarize(lat)
	res.Elapsed = r.Time
	if s := r.Time.Seconds(); s > 0 {
		res.Achieved = float64(res.Counts[load.OK]) / s
	}
	if res.Counts[load.OK] == 0 {
		return res, fmt.Errorf("pgbench logged no transactions\n%s", tail(out))
	}
	return res, nil
}

// readLog reads `client_id transaction_no time script_no time_epoch time_us [lag]`; with
// -R, time runs from the scheduled start; "failed" and "skipped" mark errors.
func readLog(path string, res *load.Result, lat *[]time.Duration, first, last *int64) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 6 {
			continue
		}
		us, err := strconv.ParseInt(fs[2], 10, 64)
		if err != nil {
			res.Counts[load.Failed]++
			if res.FirstError == "" {
				res.FirstError = "pgbench: transaction " + fs[2]
			}
			continue
		}
		res.Counts[load.OK]++
		*lat = append(*lat, time.Duration(us)*time.Microsecond)
	}
	return sc.Err()
}

func tail(b []byte) string {
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}
