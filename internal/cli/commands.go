package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"os/exec"
	"strings"

	"github.com/readi-platform/readi/internal/accounts"
	"github.com/readi-platform/readi/internal/admin"
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

const contentUsage = `usage: readi content validate [DIR|FILE.zip]
       readi content import [--dry-run] [--replace] [DIR|FILE.zip]
       readi content export [--module SLUG] DIR|FILE.zip`

func contentCommand(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 {
		return &exitError{code: 2, msg: contentUsage}
	}
	fs := flag.NewFlagSet("content "+args[0], flag.ContinueOnError)
	dryRun := fs.Bool("dry-run", false, "import: report what would change, write nothing")
	replace := fs.Bool("replace", false, "import: the pack is the whole curriculum; unpublish modules it leaves out")
	module := fs.String("module", "", "export: only this module")
	cfg, err := commandConfig(fs, args[1:], getenv)
	if err != nil {
		return err
	}
	target := fs.Arg(0)
	switch args[0] {
	case "validate", "import":
		fsys, err := packFS(target)
		if err != nil {
			return err
		}
		if args[0] == "validate" {
			pack, err := catalog.Load(fsys)
			if err != nil {
				fmt.Fprintln(stdout, err.Error())
				return &exitError{code: 1}
			}
			fmt.Fprintf(stdout, "ok: %d modules, %d questions\n", len(pack.Modules), countQuestions(pack))
			return nil
		}
		return importCommand(ctx, cfg, fsys, admin.ImportOptions{DryRun: *dryRun, Replace: *replace}, stdout)
	case "export":
		if target == "" {
			return &exitError{code: 2, msg: contentUsage}
		}
		return exportCommand(ctx, cfg, *module, target, stdout)
	}
	return &exitError{code: 2, msg: contentUsage}
}

// packFS opens a pack: a directory, a zip archive, or the built-in one.
func packFS(target string) (iofs.FS, error) {
	if target == "" {
		return contentFS(""), nil
	}
	st, err := os.Stat(target)
	switch {
	case err == nil && st.IsDir():
		return os.DirFS(target), nil
	case err == nil && strings.HasSuffix(strings.ToLower(target), ".zip"):
		data, err := os.ReadFile(target)
		if err != nil {
			return nil, err
		}
		fsys, err := admin.ZipFS(data)
		if err != nil {
			return nil, &exitError{code: 1, msg: err.Error()}
		}
		return fsys, nil
	}
	return nil, &exitError{code: 2, msg: fmt.Sprintf("readi content: %s is not a directory or a .zip file", target)}
}

// importCommand does offline what POST /api/v1/admin/content/import does:
// the same checks, revisions and publishing, by the command line (no
// user). Running servers pick the change up within seconds.
func importCommand(ctx context.Context, cfg config.Config, fsys iofs.FS, o admin.ImportOptions, stdout io.Writer) error {
	s, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := admin.New(s, nil).Import(ctx, model.User{}, fsys, o)
	var invalid *admin.Invalid
	if errors.As(err, &invalid) {
		fmt.Fprintln(stdout, invalid.Error())
		return &exitError{code: 1}
	}
	if err != nil {
		return err
	}
	if rep.DryRun {
		fmt.Fprintln(stdout, "dry run: nothing was written")
	}
	changed := make([]string, len(rep.Changed))
	for i, c := range rep.Changed {
		changed[i] = c.Slug
	}
	fmt.Fprintf(stdout, "created %v\nchanged %v\nunchanged %v\nremoved %v\n", rep.Created, changed, rep.Unchanged, rep.Removed)
	return nil
}

// exportCommand writes the published curriculum as a pack: a directory
// (missing or empty) or a zip archive (not overwritten).
func exportCommand(ctx context.Context, cfg config.Config, module, target string, stdout io.Writer) error {
	s, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	files, err := admin.New(s, nil).Export(ctx, module)
	if errors.Is(err, store.ErrNotFound) {
		return &exitError{code: 1, msg: fmt.Sprintf("readi content export: no published module %q", module)}
	}
	if err != nil {
		return err
	}
	if strings.HasSuffix(strings.ToLower(target), ".zip") {
		data, err := admin.Zip(files)
		if err != nil {
			return err
		}
		f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	} else if err := admin.WriteDir(target, files); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "exported %d file(s) to %s\n", len(files), target)
	return nil
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
