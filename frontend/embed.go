// Package frontend carries the static web app so the binary serves it
// without files on disk: plain ES modules, no build step. testdata (the
// vendored axe-core the browser tests inject) is not embedded.
package frontend

import "embed"

// FS holds index.html, the service worker and manifest at the root, the
// i18n catalogues under i18n/ and the styles, scripts and data under assets/.
//
//go:embed index.html sw.js manifest.webmanifest i18n assets
var FS embed.FS
