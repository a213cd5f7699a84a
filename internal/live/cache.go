package live

import (
	"sync"
	"time"

	"github.com/readi-platform/readi/internal/store"
)

// playerTTL is how long a resolved player token is trusted without reading
// it again: a token a rejoin replaced keeps working on another replica for
// at most this long (on this one it stops at once).
const playerTTL = 2 * time.Second

// playerCache maps token hashes to players for playerTTL, up to a bound;
// when full it starts again empty (a miss costs one indexed read).
type playerCache struct {
	mu  sync.RWMutex
	m   map[string]cachedPlayer
	max int
}

type cachedPlayer struct {
	p  store.LivePlayer
	at time.Time
}

func newPlayerCache(max int) *playerCache {
	return &playerCache{m: map[string]cachedPlayer{}, max: max}
}

func (c *playerCache) get(hash string) (store.LivePlayer, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.m[hash]
	if !ok || time.Since(e.at) > playerTTL {
		return store.LivePlayer{}, false
	}
	return e.p, true
}

func (c *playerCache) put(hash string, p store.LivePlayer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		c.m = map[string]cachedPlayer{}
	}
	c.m[hash] = cachedPlayer{p, time.Now()}
}

// forget drops every token of a player (after a rejoin replaced it).
func (c *playerCache) forget(playerID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for h, e := range c.m {
		if e.p.ID == playerID {
			delete(c.m, h)
		}
	}
}
