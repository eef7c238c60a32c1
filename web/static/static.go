// Package static embeds the console's CSS, images and scripts and serves them
// under content-hashed names, so a browser may cache each one forever and a
// new release is never hidden behind an old copy.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
)

//go:embed assets
var assets embed.FS

// Prefix is where the files are served.
const Prefix = "/static/"

type entry struct {
	name   string // original name, such as "app.css"
	hashed string // served name, such as "app.3f9a1c2b.css"
	body   []byte
	ctype  string
}

var (
	once     sync.Once
	byName   map[string]*entry
	byHashed map[string]*entry
)

func load() {
	byName = map[string]*entry{}
	byHashed = map[string]*entry{}
	sub, _ := fs.Sub(assets, "assets")
	_ = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(p)
		e := &entry{
			name:   p,
			hashed: strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:])[:12] + ext,
			body:   b,
			ctype:  mime.TypeByExtension(ext),
		}
		if e.ctype == "" {
			e.ctype = "application/octet-stream"
		}
		byName[p] = e
		byHashed[e.hashed] = e
		return nil
	})
}

// URL returns the cache-busting URL of an embedded file. It panics on a name
// that is not embedded, which a test of every page catches before release.
func URL(name string) string {
	once.Do(load)
	e, ok := byName[name]
	if !ok {
		panic("static: no embedded file " + name)
	}
	return Prefix + e.hashed
}

// Handler serves the hashed names with a year-long immutable cache lifetime.
// Any other name is a 404: an unhashed URL would be cached stale.
func Handler() http.Handler {
	once.Do(load)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e, ok := byHashed[strings.TrimPrefix(r.URL.Path, Prefix)]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", e.ctype)
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		_, _ = w.Write(e.body)
	})
}
