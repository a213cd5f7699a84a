// Package frontend carries the static web app so the binary serves it
// without files on disk.
package frontend

import "embed"

// FS holds index.html and its assets at the root.
//
//go:embed index.html assets
var FS embed.FS
