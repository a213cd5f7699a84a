// Package config reads READI's settings once, from the environment and the
// command line, validates them and fills in defaults that make `go run .`
// work from a clean checkout.
package config

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"
)

// Config is every setting of the server. It is built once in the
// composition root and passed down; nothing reads the environment later.
type Config struct {
	Addr           string        // READI_ADDR: where to listen
	DataDir        string        // READI_DATA_DIR: SQLite file, generated JWT secret
	DatabaseURL    string        // READI_DATABASE_URL: postgres://... selects PostgreSQL; empty → SQLite in DataDir
	JWTSecret      string        // READI_JWT_SECRET: empty → generated once and kept in DataDir
	ContentDir     string        // READI_CONTENT_DIR: empty → the embedded pack
	FrontendDir    string        // READI_FRONTEND_DIR: empty → the embedded web app; a path serves it live from disk
	LogLevel       slog.Level    // READI_LOG_LEVEL: debug, info, warn, error
	TrustedProxies []string      // READI_TRUSTED_PROXIES: comma-separated IPs/CIDRs whose X-Forwarded-For is believed
	BodyLimit      int           // READI_BODY_LIMIT: largest accepted request body in bytes
	ShutdownGrace  time.Duration // READI_SHUTDOWN_GRACE: how long in-flight requests get on SIGTERM
	AccessTTL      time.Duration // READI_ACCESS_TTL: lifetime of access tokens
	RefreshTTL     time.Duration // READI_REFRESH_TTL: lifetime of refresh tokens
	LoginLimit     int           // READI_LOGIN_LIMIT: login attempts per client and per account per LoginWindow
	LoginWindow    time.Duration // READI_LOGIN_WINDOW
	LiveJoinLimit  int           // READI_LIVE_JOIN_LIMIT: live-game joins per client address per minute, across replicas
	PublicURL      string        // READI_PUBLIC_URL: issuer and audience of tokens; defaults to "readi"
}

// Defaults returns the settings used when nothing is configured.
func Defaults() Config {
	return Config{
		Addr:          ":8080",
		DataDir:       "./data",
		LogLevel:      slog.LevelInfo,
		BodyLimit:     1 << 20,
		ShutdownGrace: 15 * time.Second,
		AccessTTL:     15 * time.Minute,
		RefreshTTL:    30 * 24 * time.Hour,
		LoginLimit:    10,
		LoginWindow:   15 * time.Minute,
		LiveJoinLimit: 1000,
		PublicURL:     "readi",
	}
}

// Load reads the environment (through getenv) and then the flags in args,
// flags winning. It returns a validated Config or an error that names the
// setting at fault.
func Load(args []string, getenv func(string) string) (Config, error) {
	return Parse(flag.NewFlagSet("serve", flag.ContinueOnError), args, getenv)
}

// Parse is Load on a caller's flag set, so a command can add flags of its
// own beside the settings; fs.Args() holds what is left after parsing.
func Parse(fs *flag.FlagSet, args []string, getenv func(string) string) (Config, error) {
	c := Defaults()
	var errs []error
	str := func(p *string, name, env, usage string) {
		if v := getenv(env); v != "" {
			*p = v
		}
		fs.StringVar(p, name, *p, usage+" ("+env+")")
	}
	integer := func(p *int, name, env, usage string) {
		if v := getenv(env); v != "" {
			if _, err := fmt.Sscan(v, p); err != nil {
				errs = append(errs, fmt.Errorf("%s: not a whole number: %q", env, v))
			}
		}
		fs.IntVar(p, name, *p, usage+" ("+env+")")
	}
	dur := func(p *time.Duration, name, env, usage string) {
		if v := getenv(env); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: not a duration such as 15m: %q", env, v))
			}
			*p = d
		}
		fs.DurationVar(p, name, *p, usage+" ("+env+")")
	}
	level := c.LogLevel.String()
	proxies := ""
	str(&c.Addr, "addr", "READI_ADDR", "listen address")
	str(&c.DataDir, "data-dir", "READI_DATA_DIR", "data directory")
	str(&c.DatabaseURL, "database-url", "READI_DATABASE_URL", "postgres:// URL; empty uses SQLite in the data directory")
	str(&c.JWTSecret, "jwt-secret", "READI_JWT_SECRET", "token signing secret, at least 32 bytes; empty generates one")
	str(&c.ContentDir, "content-dir", "READI_CONTENT_DIR", "content pack directory; empty uses the built-in curriculum")
	str(&c.FrontendDir, "frontend-dir", "READI_FRONTEND_DIR", "serve the web app from this directory instead of the embedded one")
	str(&level, "log-level", "READI_LOG_LEVEL", "debug, info, warn or error")
	str(&proxies, "trusted-proxies", "READI_TRUSTED_PROXIES", "comma-separated proxy IPs or CIDRs")
	str(&c.PublicURL, "public-url", "READI_PUBLIC_URL", "token issuer and audience")
	integer(&c.BodyLimit, "body-limit", "READI_BODY_LIMIT", "largest request body in bytes")
	integer(&c.LoginLimit, "login-limit", "READI_LOGIN_LIMIT", "login attempts per client and per account per window")
	dur(&c.LoginWindow, "login-window", "READI_LOGIN_WINDOW", "login rate-limit window")
	integer(&c.LiveJoinLimit, "live-join-limit", "READI_LIVE_JOIN_LIMIT", "live-game joins per client address per minute")
	dur(&c.ShutdownGrace, "shutdown-grace", "READI_SHUTDOWN_GRACE", "time in-flight requests get on shutdown")
	dur(&c.AccessTTL, "access-ttl", "READI_ACCESS_TTL", "access token lifetime")
	dur(&c.RefreshTTL, "refresh-ttl", "READI_REFRESH_TTL", "refresh token lifetime")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if err := c.LogLevel.UnmarshalText([]byte(level)); err != nil {
		errs = append(errs, fmt.Errorf("READI_LOG_LEVEL: want debug, info, warn or error, got %q", level))
	}
	c.TrustedProxies = splitList(proxies)
	errs = append(errs, c.Validate()...)
	return c, errors.Join(errs...)
}

// Validate checks the settings that can be checked without I/O.
func (c Config) Validate() []error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("READI_ADDR: want host:port such as :8080, got %q", c.Addr))
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("READI_DATA_DIR: must not be empty"))
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		errs = append(errs, errors.New("READI_DATABASE_URL: want a postgres:// URL (leave empty for SQLite)"))
	}
	if c.JWTSecret != "" && len(c.JWTSecret) < 32 {
		errs = append(errs, errors.New("READI_JWT_SECRET: must be at least 32 bytes"))
	}
	for _, p := range c.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				errs = append(errs, fmt.Errorf("READI_TRUSTED_PROXIES: %q is neither an IP nor a CIDR", p))
			}
		}
	}
	if c.BodyLimit < 1024 {
		errs = append(errs, errors.New("READI_BODY_LIMIT: must be at least 1024 bytes"))
	}
	if c.LoginLimit < 1 || c.LoginWindow <= 0 {
		errs = append(errs, errors.New("READI_LOGIN_LIMIT and READI_LOGIN_WINDOW: must be positive"))
	}
	if c.LiveJoinLimit < 1 {
		errs = append(errs, errors.New("READI_LIVE_JOIN_LIMIT: must be positive"))
	}
	if c.AccessTTL <= 0 || c.AccessTTL > time.Hour {
		errs = append(errs, errors.New("READI_ACCESS_TTL: must be between 0 and 1h (access tokens are short-lived)"))
	}
	if c.RefreshTTL < c.AccessTTL {
		errs = append(errs, errors.New("READI_REFRESH_TTL: must be longer than READI_ACCESS_TTL"))
	}
	return errs
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
