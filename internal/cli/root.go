package cli

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"github.com/readi-platform/readi/api"
	"github.com/readi-platform/readi/content"
	"github.com/readi-platform/readi/frontend"
	"github.com/readi-platform/readi/internal/accounts"
	"github.com/readi-platform/readi/internal/admin"
	"github.com/readi-platform/readi/internal/auth"
	"github.com/readi-platform/readi/internal/catalog"
	"github.com/readi-platform/readi/internal/classes"
	"github.com/readi-platform/readi/internal/config"
	"github.com/readi-platform/readi/internal/learning"
	"github.com/readi-platform/readi/internal/live"
	"github.com/readi-platform/readi/internal/store"
)

// Server is the assembled application: every dependency built once.
type Server struct {
	Config   config.Config
	Log      *slog.Logger
	Store    *store.Store
	Accounts *accounts.Service
	Learning *learning.Service
	Live     *live.Service
	API      *api.App
	Fiber    interface {
		Listen(addr string) error
		ShutdownWithTimeout(time.Duration) error
	}
}

// openStore opens and migrates the configured database.
func openStore(ctx context.Context, cfg config.Config) (*store.Store, error) {
	s, err := store.Open(ctx, store.Options{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir})
	if err != nil {
		return nil, err
	}
	if _, err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// contentFS is the configured content pack: a directory, or the embedded one.
func contentFS(dir string) fs.FS {
	if dir != "" {
		return os.DirFS(dir)
	}
	return content.FS
}

// Build assembles the application from cfg: database, migrations, the
// content pack (imported when it changed), accounts, learning and the API.
func Build(ctx context.Context, cfg config.Config, log *slog.Logger) (*Server, error) {
	s, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	srv, err := Assemble(ctx, cfg, log, s)
	if err != nil {
		s.Close()
	}
	return srv, err
}

// Assemble builds everything above an open, migrated store. Tests call it
// with an isolated store; Build with the configured one.
func Assemble(ctx context.Context, cfg config.Config, log *slog.Logger, s *store.Store) (*Server, error) {
	fail := func(err error) (*Server, error) { return nil, err }
	secret, err := auth.LoadOrCreateSecret(cfg.DataDir, cfg.JWTSecret)
	if err != nil {
		return fail(err)
	}
	tokens, err := auth.NewTokens(auth.Config{Secret: secret, Issuer: cfg.PublicURL, Audience: cfg.PublicURL, AccessTTL: cfg.AccessTTL})
	if err != nil {
		return fail(err)
	}
	pack, err := catalog.Load(contentFS(cfg.ContentDir))
	if err != nil {
		return fail(fmt.Errorf("content pack refused:\n%w", err))
	}
	if err := importOnChange(ctx, s, pack, log); err != nil {
		return fail(err)
	}
	learn := learning.New(s, 5*time.Second, derive(secret, "quiz-shuffle"))
	if err := learn.Reload(ctx); err != nil {
		return fail(err)
	}
	acc := accounts.New(s, tokens, accounts.Options{RefreshTTL: cfg.RefreshTTL, LoginLimit: cfg.LoginLimit, LoginWindow: cfg.LoginWindow})
	var web fs.FS = frontend.FS
	if cfg.FrontendDir != "" {
		web = os.DirFS(cfg.FrontendDir)
	}
	games := live.New(s, learn, live.Options{JoinLimit: cfg.LiveJoinLimit, NicknameAllowed: acc.NicknameAllowed, Log: log})
	a, app := api.New(api.Deps{Log: log, Store: s, Accounts: acc, Learning: learn, Classes: classes.New(s, learn),
		Admin: admin.New(s, learn), Live: games, Frontend: web,
		BodyLimit: cfg.BodyLimit, TrustedProxies: cfg.TrustedProxies, RefreshTTL: cfg.RefreshTTL})
	return &Server{Config: cfg, Log: log, Store: s, Accounts: acc, Learning: learn, Live: games, API: a, Fiber: app}, nil
}

// derive makes a purpose-specific key from the signing secret, so one
// configured secret serves several uses without reusing key material.
func derive(secret []byte, purpose string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(purpose))
	return m.Sum(nil)
}

// Close releases the database.
func (s *Server) Close() error { return s.Store.Close() }

// startupPackKey records the hash of the pack the server last imported at
// start-up. The pack is imported again only when it changed, so content
// imported later with `readi content import` survives a restart.
const startupPackKey = "startup_pack_hash"

func importOnChange(ctx context.Context, s *store.Store, pack *catalog.Pack, log *slog.Logger) error {
	h := sha256.New()
	for _, m := range pack.Modules {
		h.Write([]byte(catalog.ModuleHash(m)))
	}
	sum := hex.EncodeToString(h.Sum(nil))
	last, err := s.Setting(ctx, startupPackKey)
	if err != nil {
		return err
	}
	if last == sum {
		log.Info("content pack unchanged since the last start", "hash", sum[:12])
		return nil
	}
	report, err := s.ImportPack(ctx, pack.Modules)
	if err != nil {
		return fmt.Errorf("import content: %w", err)
	}
	log.Info("content pack imported", "created", len(report.Created), "updated", len(report.Updated),
		"unchanged", len(report.Unchanged), "unpublished", len(report.Unpublished), "skipped", report.Skipped)
	return s.SetSetting(ctx, startupPackKey, sum)
}
