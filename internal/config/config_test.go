package config

import (
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestLoadDefaults(t *testing.T) {
	c, err := Load(nil, func(string) string { return "" })
	if err != nil {
		t.Fatalf("Load() = %v, want nil", err)
	}
	if c.Addr != ":8080" || c.DataDir != "./data" || c.AccessTTL != 15*time.Minute || c.DatabaseURL != "" {
		t.Fatalf("Load() = %+v, want the documented defaults", c)
	}
}

func TestLoadEnvAndFlags(t *testing.T) {
	env := map[string]string{"READI_ADDR": "127.0.0.1:9000", "READI_LOG_LEVEL": "debug", "READI_TRUSTED_PROXIES": "10.0.0.1, 10.1.0.0/16",
		"READI_LOGIN_WINDOW": "2m", "READI_DATABASE_URL": "postgres://u@h/db"}
	c, err := Load([]string{"-addr", ":7000"}, func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("Load() = %v", err)
	}
	if c.Addr != ":7000" {
		t.Errorf("Addr = %q, want the flag to win", c.Addr)
	}
	if c.LogLevel != slog.LevelDebug || len(c.TrustedProxies) != 2 || c.LoginWindow != 2*time.Minute {
		t.Errorf("Load() = %+v", c)
	}
}

func TestLoadRefusesBadSettings(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"addr":     {"READI_ADDR": "8080"},
		"db":       {"READI_DATABASE_URL": "mysql://x"},
		"secret":   {"READI_JWT_SECRET": "short"},
		"proxy":    {"READI_TRUSTED_PROXIES": "not-an-ip"},
		"level":    {"READI_LOG_LEVEL": "loud"},
		"duration": {"READI_ACCESS_TTL": "forever"},
		"ttl":      {"READI_ACCESS_TTL": "2h"},
		"number":   {"READI_BODY_LIMIT": "lots"},
	} {
		_, err := Load(nil, func(k string) string { return env[k] })
		var key string
		for k := range env {
			key = k
		}
		if err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("%s: Load() = %v, want an error naming %s", name, err, key)
		}
	}
}
