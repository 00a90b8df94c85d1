package salesdb

import (
	"sync"
	"time"

	"salesbot/sales"
)

// keyCheckedFor is how long a key that checked out is trusted without
// asking the database again: every API request checks its key, and at
// hundreds of requests a second that read was a round trip each. A key
// revoked through this process stops working at once (RevokeAPIKey forgets
// it); revoked through another replica, it stops within this long.
const keyCheckedFor = 5 * time.Second

// checkedKeys remembers keys that checked out, by the SHA-256 of the raw
// key (never the key itself).
type checkedKeys struct {
	mu   sync.Mutex
	keys map[[32]byte]checkedKey
}

type checkedKey struct {
	key sales.APIKey
	at  time.Time
}

func (c *checkedKeys) get(sum [32]byte, now time.Time) (sales.APIKey, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k, ok := c.keys[sum]
	if !ok || now.Sub(k.at) >= keyCheckedFor || now.Before(k.at) {
		return sales.APIKey{}, false
	}
	return k.key, true
}

func (c *checkedKeys) put(sum [32]byte, k sales.APIKey, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.keys == nil || len(c.keys) > 10000 {
		c.keys = map[[32]byte]checkedKey{} // bounded: start over
	}
	c.keys[sum] = checkedKey{key: k, at: now}
}

// forget drops the key of team with prefix.
func (c *checkedKeys) forget(team, prefix string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for sum, k := range c.keys {
		if k.key.Team == team && k.key.Prefix == prefix {
			delete(c.keys, sum)
		}
	}
}
