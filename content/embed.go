// Package content carries READI's built-in curriculum so the binary needs no files at run time.
package content

import "embed"

// FS holds curriculum.yaml and one directory per module.
//
//go:embed curriculum.yaml */*.yaml */*.md */*/*.yaml */*/*.md
var FS embed.FS
