package live

import (
	"sync"

	"github.com/readi-platform/readi/internal/store"
)

// playerCache maps token hashes to players, up to a bound; when full it
// starts again empty (a miss costs one indexed read).
type playerCache struct {
	mu  sync.RWMutex
	m   map[string]store.LivePlayer
	max int
}

func newPlayerCache(max int) *playerCache {
	return &playerCache{m: map[string]store.LivePlayer{}, max: max}
}

func (c *playerCache) get(hash string) (store.LivePlayer, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	p, ok := c.m[hash]
	return p, ok
}

func (c *playerCache) put(hash string, p store.LivePlayer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		c.m = map[string]store.LivePlayer{}
	}
	c.m[hash] = p
}

func (c *playerCache) drop(hash string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, hash)
}
