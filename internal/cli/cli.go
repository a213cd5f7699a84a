// Package cli is READI's command line and its composition root: it reads
// the configuration, builds every dependency once and passes it down.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Run executes the command in args and returns the process exit code.
func Run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	ctx := context.Background()
	switch cmd {
	case "serve":
		err = serveCommand(ctx, args, getenv, stderr)
	case "migrate":
		err = migrateCommand(ctx, args, getenv, stdout)
	case "users":
		err = usersCommand(ctx, args, getenv, stdout)
	case "content":
		err = contentCommand(ctx, args, getenv, stdout)
	case "backup":
		err = backupCommand(ctx, args, getenv, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "readi: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	var exit *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		if exit.msg != "" {
			fmt.Fprintln(stderr, exit.msg)
		}
		return exit.code
	case errors.Is(err, flag.ErrHelp):
		return 2
	default:
		fmt.Fprintf(stderr, "readi %s: %v\n", cmd, err)
		return 1
	}
}

// exitError ends the process with a code, printing msg if any.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

const usage = `READI: cybercrime-awareness and digital-literacy learning for ASEAN youth.

Usage:
  readi [serve] [flags]                      start the server (the default)
  readi migrate                              apply database migrations and exit
  readi users create --email E --password P --role learner|educator|admin [--name N]
  readi content validate [DIR|FILE.zip]      check a content pack (default: the built-in one); exit 1 on problems
  readi content import [--dry-run] [--replace] [DIR|FILE.zip]
                                             publish a content pack's changed modules as revisions
                                             (what POST /api/v1/admin/content/import does)
  readi content export [--module SLUG] DIR|FILE.zip
                                             write the published curriculum as a content pack
  readi backup FILE                          write a consistent copy of the live SQLite database

Every command reads the READI_* environment variables (see README.md) and
takes their flag twins too (readi serve -h lists them), e.g.
  readi migrate --data-dir /var/lib/readi
`
