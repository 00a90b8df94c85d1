package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"salesbot/internal/loadgen"
	"salesbot/internal/pgtest"
	"salesbot/internal/slackfake"
)

// buildBinary builds salesbot into dir, or skips the benchmark when the go
// command is not on PATH. With SALESBOT_BENCH_BINARY set it uses that
// binary instead, so that two builds can be measured in turn with the same
// benchmark.
func buildBinary(b *testing.B, ctx context.Context, dir string) string {
	b.Helper()
	if bin := os.Getenv("SALESBOT_BENCH_BINARY"); bin != "" {
		return bin
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		b.Skip("the go command is needed to build salesbot")
	}
	bin := filepath.Join(dir, "salesbot")
	if out, err := exec.CommandContext(ctx, goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// binaryProc is salesbot running as a process of its own (startBinary).
type binaryProc struct {
	cmd     *exec.Cmd
	pid     int
	opsAddr string        // its ops server, for /metrics
	start   time.Duration // from starting the process to the fake seeing the socket
	logPath string
	logFile *os.File
	exited  chan error
	waited  bool
}

// startBinary runs `salesbot run` from bin against fake and the database at
// dbURL, logging into dir, and returns once it is connected and has logged
// its ops address.
func startBinary(ctx context.Context, bin, dir, dbURL string, fake *slackfake.Server) (p *binaryProc, err error) {
	p = &binaryProc{logPath: filepath.Join(dir, "salesbot.log")}
	if p.logFile, err = os.Create(p.logPath); err != nil {
		return nil, err
	}
	p.cmd = exec.Command(bin, "run")
	p.cmd.Env = []string{
		"SLACK_BOT_TOKEN=xoxb-bench", "SLACK_APP_TOKEN=xapp-bench",
		"SLACK_API_URL=" + fake.APIURL(), "DATABASE_URL=" + dbURL,
		"HTTP_ADDR=127.0.0.1:0", "LOG_LEVEL=info",
	}
	// Runtime settings given to the benchmark apply to salesbot too, so that
	// their effect can be measured (e.g. GOGC=400 go test -bench Binary).
	for _, k := range []string{"GOGC", "GOMEMLIMIT", "GODEBUG", "GOMAXPROCS"} {
		if v, ok := os.LookupEnv(k); ok {
			p.cmd.Env = append(p.cmd.Env, k+"="+v)
		}
	}
	p.cmd.Stdout, p.cmd.Stderr = p.logFile, p.logFile
	sw := loadgen.StartStopwatch()
	if err := p.cmd.Start(); err != nil {
		p.logFile.Close()
		return nil, err
	}
	p.pid = p.cmd.Process.Pid
	p.exited = make(chan error, 1)
	go func() { p.exited <- p.cmd.Wait() }()
	if err := fake.WaitConnected(ctx); err != nil {
		return nil, p.end(fmt.Errorf("salesbot never connected: %w", err))
	}
	p.start = sw.Elapsed()
	if p.opsAddr, err = opsAddrFromLog(ctx, p.logPath); err != nil {
		return nil, p.end(err)
	}
	return p, nil
}

// stop sends SIGTERM and waits for a clean exit.
func (p *binaryProc) stop(ctx context.Context) error {
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case err := <-p.exited:
		p.waited = true
		if err != nil {
			return fmt.Errorf("salesbot after SIGTERM: %w", err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("salesbot did not exit after SIGTERM: %w", ctx.Err())
	}
}

// end kills the process unless it stopped, closes its log and returns err
// with the log's last lines added when err is not nil.
func (p *binaryProc) end(err error) error {
	if !p.waited {
		_ = p.cmd.Process.Kill()
		<-p.exited
		p.waited = true
	}
	p.logFile.Close()
	if err != nil {
		err = fmt.Errorf("%w\nsalesbot's log ends:\n%s", err, logTail(p.logPath, 20))
	}
	return err
}

// The closed-loop load of BenchmarkHelpThroughput.
const (
	helpSenders  = 16 // each waits for its ack before sending again
	helpDuration = 3 * time.Second
	helpWarmUp   = 500 * time.Millisecond
)

// BenchmarkHelpThroughput runs the built salesbot as a process of its own
// and measures how many `/salesbot help` it answers per second in a closed
// loop: helpSenders senders, each sending its next command once salesbot has
// acked the previous one (the ack carries the answer). An op is
// helpDuration of it. It reports help_per_s, the acks' latencies as the
// fake measures them (p50_ms, p99_ms, max_ms), cpu_us/req of salesbot's
// process, fake_cpu_us/req of this one (the fake and the senders),
// host_busy_pct and bot_ack_p99_le_ms. The fake Slack runs in
// this process, on the same cores: with the machine saturated (see
// host_busy_pct) help_per_s is bound by both processes' CPU per request.
func BenchmarkHelpThroughput(b *testing.B) {
	ctx, cancel := context.WithTimeout(b.Context(), benchTimeout)
	defer cancel()
	if runtime.GOOS != "linux" {
		b.Skip("reads CPU use from /proc")
	}
	dir := b.TempDir()
	bin := buildBinary(b, ctx, dir)
	dbURL := pgtest.URL(b)
	team := pgtest.TeamID()
	fake := slackfake.New(b, slackfake.WithTeamID(team))
	proc, err := startBinary(ctx, bin, dir, dbURL, fake)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { // after ctx is cancelled
		stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := proc.end(proc.stop(stopCtx)); err != nil {
			b.Error(err)
		}
	})
	if _, err := helpLoop(ctx, fake, team, helpWarmUp); err != nil {
		b.Fatal(proc.end(err))
	}
	histBefore, err := scrapeAckHistogram(ctx, proc.opsAddr, "slash_commands")
	if err != nil {
		b.Fatal(err)
	}
	var lats []time.Duration
	var elapsed time.Duration
	var cpu, fakeCPU cpuUse
	for b.Loop() {
		meter, fakeMeter := startCPU(proc.pid), startCPU(0)
		r, err := helpLoop(ctx, fake, team, helpDuration)
		if err != nil {
			b.Fatal(proc.end(err))
		}
		cpu, fakeCPU = cpu.add(meter.stop(len(r.lats))), fakeCPU.add(fakeMeter.stop(len(r.lats)))
		lats, elapsed = append(lats, r.lats...), elapsed+r.elapsed
	}
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(float64(len(lats))/elapsed.Seconds(), "help_per_s")
	loadgen.Summarize(lats, slackDeadline).Report(b, "")
	cpu.report(b, "")
	if fakeCPU.requests > 0 {
		b.ReportMetric(float64(fakeCPU.proc.Microseconds())/float64(fakeCPU.requests), "fake_cpu_us/req")
	}
	if hist, err := scrapeAckHistogram(ctx, proc.opsAddr, "slash_commands"); err == nil {
		reportBotAck(b, hist, histBefore, "")
	}
}

// helpRound is what one helpLoop measured.
type helpRound struct {
	lats    []time.Duration // of every help answered
	elapsed time.Duration
}

// helpLoop sends `/salesbot help` from helpSenders closed-loop senders for
// d and returns once every sender has its last answer.
func helpLoop(ctx context.Context, fake *slackfake.Server, team string, d time.Duration) (helpRound, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The round ends on a context deadline; an ack already awaited is
	// still waited for on ctx.
	round, stop := context.WithTimeout(ctx, d)
	defer stop()
	sw := loadgen.StartStopwatch() // the round's elapsed time
	lats := make([][]time.Duration, helpSenders)
	errs := make([]error, helpSenders)
	var wg sync.WaitGroup
	for s := range helpSenders {
		wg.Go(func() {
			user := benchUser(s)
			cmd := slackfake.SlashCommand{TeamID: team, ChannelID: "C0SALES", UserID: user, UserName: strings.ToLower(user), Command: "/salesbot", Text: "help"}
			for round.Err() == nil {
				id, err := fake.SendSlashCommand(ctx, cmd)
				if err != nil {
					errs[s] = err
					cancel()
					return
				}
				select {
				case a := <-fake.AckChan(id):
					if !bytes.Contains(a.Payload, []byte("/lead new")) {
						errs[s] = fmt.Errorf("/salesbot help: unexpected ack %s", a.Payload)
						cancel()
						return
					}
					lats[s] = append(lats[s], a.Latency)
				case <-ctx.Done():
					errs[s] = fmt.Errorf("waiting for the ack of %s: %w", id, ctx.Err())
					return
				}
			}
		})
	}
	wg.Wait()
	r := helpRound{elapsed: sw.Elapsed(), lats: slices.Concat(lats...)}
	return r, errors.Join(errs...)
}
