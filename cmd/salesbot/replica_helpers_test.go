package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"salesbot/internal/slackfake"
)

// salesbotBinary builds salesbot into the test's temporary folder and
// returns its path (the build cache makes every build after the first a
// link). It skips when the go command is not on PATH.
func salesbotBinary(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is needed to build salesbot")
	}
	bin := filepath.Join(t.TempDir(), "salesbot")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// replica is one `salesbot run` process.
type replica struct {
	t      *testing.T
	name   string
	cmd    *exec.Cmd
	log    string
	exited chan struct{}
	err    error // Wait's answer, once exited is closed
}

// replicaEnv is the environment of a replica on dbURL and the fake. Work
// after an ack is bounded at 5 s, so an envelope of a dead replica is redone
// 10 s after it arrived rather than 35 s.
func replicaEnv(fake *slackfake.Server, dbURL string) []string {
	return []string{
		"SLACK_BOT_TOKEN=xoxb-replica", "SLACK_APP_TOKEN=xapp-replica",
		"SLACK_API_URL=" + fake.APIURL(), "DATABASE_URL=" + dbURL,
		"HTTP_ADDR=127.0.0.1:0", "LOG_LEVEL=info", "SALESBOT_WORK_TIMEOUT=5s",
	}
}

// startReplica runs `salesbot run` with env; the process is stopped (or
// killed) when the test ends, and its log shown if the test failed.
func startReplica(t *testing.T, bin, name string, env []string) *replica {
	t.Helper()
	r := &replica{t: t, name: name, log: filepath.Join(t.TempDir(), name+".log"), exited: make(chan struct{})}
	f, err := os.Create(r.log)
	if err != nil {
		t.Fatal(err)
	}
	r.cmd = exec.Command(bin, "run")
	r.cmd.Env = env
	r.cmd.Stdout, r.cmd.Stderr = f, f
	if err := r.cmd.Start(); err != nil {
		f.Close()
		t.Fatal(err)
	}
	go func() {
		r.err = r.cmd.Wait()
		f.Close()
		close(r.exited)
	}()
	t.Cleanup(func() {
		r.stop()
		if t.Failed() {
			t.Logf("%s's log ends:\n%s\nits warnings and errors:\n%s", r.name, logTail(r.log, 15), r.problems())
		}
	})
	return r
}

// kill ends the process with SIGKILL: no drain, no cleanup, as a crash or
// an OOM kill would.
func (r *replica) kill() {
	r.t.Helper()
	if err := r.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		r.t.Fatalf("kill %s: %v", r.name, err)
	}
	<-r.exited
}

// stop asks the process to shut down and waits for it, killing it if it
// does not exit in time.
func (r *replica) stop() {
	select {
	case <-r.exited:
		return
	default:
	}
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.exited:
	case <-time.After(45 * time.Second):
		_ = r.cmd.Process.Kill()
		<-r.exited
		r.t.Errorf("%s did not exit within 45 s of SIGTERM", r.name)
	}
}

// opsAddr waits for the replica to log its start and returns its ops
// server's address.
func (r *replica) opsAddr(ctx context.Context) string {
	r.t.Helper()
	addr, err := opsAddrFromLog(ctx, r.log)
	if err != nil {
		r.t.Fatalf("%s: %v\n%s", r.name, err, logTail(r.log, 20))
	}
	return addr
}

// waitUntil polls cond every 50 ms until it holds, failing the test when ctx
// ends first or after wait (generous: a loaded machine is slow, never
// wrong). Polling a condition is how these tests wait, never a sleep.
// status, when given, says how far it got.
func waitUntil(t *testing.T, ctx context.Context, what string, cond func() bool, status ...func() string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			for _, st := range status {
				what += "; " + st()
			}
			t.Fatalf("gave up waiting for %s: %v", what, ctx.Err())
		case <-tick.C:
		}
	}
}

// wait bounds one wait of the replica tests. The longest is for a job that
// a killed replica left running: River's leader fails over after about
// 16 s and rescues it after a minute, checking every 30 s.
const wait = 3 * time.Minute

// problems is the replica's log lines at warn level and above.
func (r *replica) problems() string {
	data, _ := os.ReadFile(r.log)
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, `"level":"WARN"`) || strings.Contains(line, `"level":"ERROR"`) {
			out = append(out, line)
		}
	}
	if len(out) > 30 {
		out = out[len(out)-30:]
	}
	return strings.Join(out, "\n")
}
