package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"

	"github.com/readi-platform/readi/internal/accounts"
	"github.com/readi-platform/readi/internal/catalog"
	"github.com/readi-platform/readi/internal/config"
	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

// commandConfig reads the settings from the environment and from the
// setting flags in args (the same twins as serve's), beside a command's
// own flags registered on fs. What is left is in fs.Args().
func commandConfig(fs *flag.FlagSet, args []string, getenv func(string) string) (config.Config, error) {
	cfg, err := config.Parse(fs, args, getenv)
	if errors.Is(err, flag.ErrHelp) {
		return cfg, &exitError{code: 2}
	}
	if err != nil {
		return cfg, &exitError{code: 2, msg: "readi: configuration:\n" + err.Error()}
	}
	return cfg, nil
}

func migrateCommand(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, err := commandConfig(flag.NewFlagSet("migrate", flag.ContinueOnError), args, getenv)
	if err != nil {
		return err
	}
	s, err := store.Open(ctx, store.Options{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir})
	if err != nil {
		return err
	}
	defer s.Close()
	applied, err := s.Migrate(ctx)
	if err != nil {
		return err
	}
	v, _ := s.SchemaVersion(ctx)
	fmt.Fprintf(stdout, "applied %d migration(s); schema version %d\n", len(applied), v)
	return nil
}

func usersCommand(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return &exitError{code: 2, msg: "usage: readi users create --email E --password P --role learner|educator|admin [--name N]"}
	}
	fs := flag.NewFlagSet("users create", flag.ContinueOnError)
	email := fs.String("email", "", "e-mail address")
	password := fs.String("password", "", "password (8 to 128 characters, not a common one)")
	role := fs.String("role", "learner", "learner, educator or admin")
	name := fs.String("name", "", "display name (default: the e-mail address)")
	cfg, err := commandConfig(fs, args[1:], getenv)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	// The users command needs no tokens: accounts.New with nil Tokens is
	// enough for CreateUser.
	acc := accounts.New(s, nil, accounts.Options{RefreshTTL: cfg.RefreshTTL, LoginLimit: 1, LoginWindow: 1})
	u, err := acc.CreateUser(ctx, *email, *password, *name, model.Role(*role))
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		msg := "readi users create: invalid input:"
		for f, k := range ve.Fields {
			msg += fmt.Sprintf("\n  --%s: %s", f, k)
		}
		return &exitError{code: 2, msg: msg}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s user %d <%s>\n", u.Role, u.ID, *u.Email)
	return nil
}

func contentCommand(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 {
		return &exitError{code: 2, msg: "usage: readi content validate|import [DIR]"}
	}
	fs := flag.NewFlagSet("content "+args[0], flag.ContinueOnError)
	cfg, err := commandConfig(fs, args[1:], getenv)
	if err != nil {
		return err
	}
	dir := ""
	if fs.NArg() > 0 {
		dir = fs.Arg(0)
	}
	if dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return &exitError{code: 2, msg: fmt.Sprintf("readi content: %s is not a directory", dir)}
		}
	}
	pack, err := catalog.Load(contentFS(dir))
	switch args[0] {
	case "validate":
		if err != nil {
			fmt.Fprintln(stdout, err.Error())
			return &exitError{code: 1}
		}
		fmt.Fprintf(stdout, "ok: %d modules, %d questions\n", len(pack.Modules), countQuestions(pack))
		return nil
	case "import":
		if err != nil {
			fmt.Fprintln(stdout, err.Error())
			return &exitError{code: 1}
		}
		s, err := openStore(ctx, cfg)
		if err != nil {
			return err
		}
		defer s.Close()
		rep, err := s.ImportPack(ctx, pack.Modules)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created %v\nupdated %v\nunchanged %v\nunpublished %v\n", rep.Created, rep.Updated, rep.Unchanged, rep.Unpublished)
		return nil
	}
	return &exitError{code: 2, msg: "usage: readi content validate|import [DIR]"}
}

func countQuestions(p *catalog.Pack) int {
	n := 0
	for _, m := range p.Modules {
		if m.Quiz != nil {
			n += len(m.Quiz.Questions)
		}
	}
	return n
}

// backupCommand writes a consistent copy of the live database: VACUUM INTO
// on SQLite (safe while the server runs), pg_dump on PostgreSQL.
func backupCommand(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	cfg, err := commandConfig(fs, args, getenv)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return &exitError{code: 2, msg: "usage: readi backup [flags] FILE"}
	}
	file := fs.Arg(0)
	if cfg.DatabaseURL != "" {
		cmd := exec.CommandContext(ctx, "pg_dump", "--format=custom", "--file="+file, cfg.DatabaseURL)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("pg_dump: %w", err)
		}
		fmt.Fprintf(stdout, "backup written to %s (pg_dump custom format)\n", file)
		return nil
	}
	s, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Backup(ctx, file); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s\n", file)
	return nil
}
