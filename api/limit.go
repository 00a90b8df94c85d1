package api

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Default rates (requests per second) of API_KEY_RATE and API_IP_RATE.
const (
	DefaultKeyRate = 20
	DefaultIPRate  = 5
)

// sweepEvery is how often a limiter set drops idle buckets.
const sweepEvery = time.Minute

// limiters are token buckets by name (a key's prefix, a client's IP), each
// of rate r and burst twice that. A bucket idle long enough to be full
// again is dropped: a new one for the same name starts full too, so
// dropping it changes no answer, and the map only holds recent names.
type limiters struct {
	r     rate.Limit
	burst int
	idle  time.Duration // time an empty bucket takes to fill
	now   func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	last time.Time
}

func newLimiters(perSecond float64, now func() time.Time) *limiters {
	burst := max(1, int(math.Ceil(2*perSecond)))
	return &limiters{r: rate.Limit(perSecond), burst: burst, now: now, buckets: map[string]*bucket{},
		idle: time.Duration(float64(burst) / perSecond * float64(time.Second))}
}

// take spends one token of name's bucket; when it has none, wait is how
// long until it will (at least a second, as Retry-After counts them).
func (l *limiters) take(name string) (ok bool, wait time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= sweepEvery {
		l.sweep(now)
	}
	b := l.buckets[name]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(l.r, l.burst)}
		l.buckets[name] = b
	}
	b.last = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now) // a refused request spends nothing
		return false, max(time.Second, d)
	}
	return true, 0
}

func (l *limiters) sweep(now time.Time) {
	l.lastSweep = now
	for name, b := range l.buckets {
		if now.Sub(b.last) >= l.idle {
			delete(l.buckets, name)
		}
	}
}

// size is how many buckets are kept.
func (l *limiters) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}
