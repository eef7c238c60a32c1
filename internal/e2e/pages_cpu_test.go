package e2e

import (
	"context"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// The CPU a page costs, beside its rate: on a machine other work shares,
// requests per second move with everyone else's load (the ceilings too),
// while the CPU time the console and Postgres spend per request does not
// much. Read from /proc: utime and stime of the console process, and of
// every child of the test cluster's postmaster (its backends, which the
// console's pool keeps open through a measurement).

// clockTicks is USER_HZ, which Linux fixes at 100 for /proc's figures.
const clockTicks = 100

// procCPU is a process's user and system time so far (0 where unknown).
func procCPU(pid int) time.Duration {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// Fields after the command (which may hold spaces) in parentheses:
	// state is the 3rd field of the line, utime the 14th, stime the 15th.
	s := string(raw)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	k, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+k) * time.Second / clockTicks
}

// parentOf is a process's parent (0 where unknown).
func parentOf(pid int) int {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	s := string(raw)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 2 {
		return 0
	}
	n, _ := strconv.Atoi(f[1])
	return n
}

// postgresCPU is the CPU time so far of every child of the postmaster.
func postgresCPU(postmaster int) time.Duration {
	if postmaster == 0 {
		return 0
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	var total time.Duration
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || parentOf(pid) != postmaster {
			continue
		}
		total += procCPU(pid)
	}
	return total
}

// postmasterOf is the pid of the postmaster serving pool (0 where unknown:
// a server on another machine).
func postmasterOf(pool *pgxpool.Pool) int {
	var backend int
	if err := pool.QueryRow(context.Background(), "SELECT pg_backend_pid()").Scan(&backend); err != nil {
		return 0
	}
	return parentOf(backend)
}

// cpuText is a CPU time per request in milliseconds ("—" when not measured).
func cpuText(d time.Duration) string {
	if d <= 0 {
		return "—"
	}
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64) + " ms"
}
