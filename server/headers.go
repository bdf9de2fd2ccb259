package server

import (
	"net/http"

	"familyhubs/dashboards"
)

// MaxRequestBody is the most a request may send in its body. No route takes more than a form or
// a statement; a bigger body is refused (413) before any handler reads it.
const MaxRequestBody = 1 << 20

// Harden wraps the server's handler with what a council network needs of every response (issue
// 13):
//
//   - a Content-Security-Policy allowing scripts only from the binary's own files (no inline
//     script) and no framing, with X-Frame-Options for browsers that predate frame-ancestors;
//   - X-Content-Type-Options: nosniff, so nothing is run or rendered as other than it is labelled;
//   - Referrer-Policy: no-referrer, so filters in a URL (a locality, a period) never leave in a
//     Referer header;
//   - Cache-Control: no-store, which only the binary's static files replace (they may be cached):
//     API answers, CSV downloads, briefings, returns and pages hold figures that no shared cache
//     or disk may keep;
//   - a limit on the request body (MaxRequestBody);
//   - Go's cross-origin protection: a state-changing request (POST, PUT, PATCH, DELETE) from
//     another origin, as a browser reports it (Sec-Fetch-Site, else Origin), is refused with 403.
//     GET, HEAD and OPTIONS pass.
//
// Handlers may set their own Cache-Control (the static assets do) or a stricter policy.
func Harden(next http.Handler) http.Handler {
	protect := http.NewCrossOriginProtection()
	return protect.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", dashboards.ContentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cache-Control", "no-store") // the static assets' handler replaces it for its files
		if r.ContentLength > MaxRequestBody {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, MaxRequestBody)
		}
		next.ServeHTTP(w, r)
	}))
}
