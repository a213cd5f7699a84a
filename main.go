// Command readi is the READI learning platform: one binary that serves the
// API and the web app, and administers users, content and backups.
package main

import (
	"os"

	"github.com/readi-platform/readi/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}
