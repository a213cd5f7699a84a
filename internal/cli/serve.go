package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/readi-platform/readi/internal/config"
)

// serveCommand runs the server until SIGTERM or SIGINT, then stops taking
// new traffic (readyz turns 503), lets in-flight requests finish within
// the grace period and closes the database.
func serveCommand(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	cfg, err := config.Load(args, getenv)
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	if err != nil {
		return &exitError{code: 2, msg: "readi: configuration:\n" + err.Error()}
	}
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, os.Interrupt)
	defer stop()
	srv, err := Build(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer srv.Close()
	return srv.Serve(ctx)
}

// Serve listens until ctx ends, then shuts down gracefully.
func (s *Server) Serve(ctx context.Context) error {
	errc := make(chan error, 1)
	liveCtx, stopLive := context.WithCancel(context.Background())
	defer stopLive()
	go s.Live.Run(liveCtx)
	go func() { errc <- s.Fiber.Listen(s.Config.Addr) }()
	s.API.SetReady(true)
	s.Log.Info("listening", "addr", s.Config.Addr, "database", s.Store.Dialect())
	select {
	case err := <-errc:
		return fmt.Errorf("listen on %s: %w", s.Config.Addr, err)
	case <-ctx.Done():
	}
	s.API.SetReady(false)
	s.Log.Info("shutting down", "grace", s.Config.ShutdownGrace.String())
	s.Live.Close() // end the event streams, which would otherwise outlive the grace
	if err := s.Fiber.ShutdownWithTimeout(s.Config.ShutdownGrace); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	<-errc
	s.Log.Info("stopped")
	return nil
}
