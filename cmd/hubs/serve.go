package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"familyhubs/audit"
	"familyhubs/auth"
	"familyhubs/server"
)

func cmdServe(ctx context.Context, args []string) error {
	fs := newFlags("serve")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (without --auth, loopback only)")
	db := fs.String("db", "", "warehouse file (default: the embedded demo warehouse)")
	warm := fs.Bool("warm", true, "render every page once in the background at start, so the first visitors get cached answers")
	authFile := fs.String("auth", "", "sign-in configuration (TOML: OpenID Connect provider, client, groups to roles; see the README)")
	auditFile := fs.String("audit", "", "audit trail file, appended to (default: beside the warehouse, WAREHOUSE.audit.jsonl)")
	tlsCert := fs.String("tls-cert", "", "serve HTTPS with this certificate (PEM), or put a TLS reverse proxy in front")
	tlsKey := fs.String("tls-key", "", "the certificate's private key (PEM)")
	drain := fs.Duration("drain", 60*time.Second, "on SIGTERM or Ctrl-C, how long to let requests in flight finish before closing the warehouse")
	watch := fs.Duration("watch", 2*time.Second, "how often to check whether a load has replaced the warehouse file (then switch to it)")
	unsafeOpen := fs.Bool("unsafe-no-sign-in-on-network", false, "listen beyond loopback with NO sign-in: anyone who reaches the port sees the pages (never on a council network)")
	fs.Usage = usageFor(fs, "hubs serve [--addr 127.0.0.1:8080] [--db FILE] [--auth sign-in.toml] [--tls-cert C --tls-key K]",
		"Serve the dashboards, the JSON/CSV API and /healthz. Every asset is served by the binary: no CDN.\n"+
			"Without --auth it is the local demo: no sign-in, loopback only, with a banner saying so.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	if *authFile == "" && !*unsafeOpen && !loopback(*addr) {
		return fmt.Errorf("--addr %s is not loopback and no sign-in is configured: give --auth FILE (see the README), "+
			"or --unsafe-no-sign-in-on-network if you really mean anyone on the network to see the pages", *addr)
	}
	start := time.Now()
	// a server's garbage is mostly short-lived (pages, PDFs): collect less often, within a memory
	// limit, unless the operator has set GOGC or GOMEMLIMIT (measured with hubs bench --apart)
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(3 << 30)
	}
	w, err := openWarehouse(ctx, *db)
	if err != nil {
		return err
	}
	logger := log.New(stderr, "hubs ", log.LstdFlags)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	opts := server.Options{}
	if *authFile != "" {
		cfg, err := auth.LoadConfig(*authFile)
		if err != nil {
			return err
		}
		if opts.Auth, err = auth.New(ctx, cfg); err != nil {
			return err
		}
	}
	trail := *auditFile
	if trail == "" {
		trail = w.Path + ".audit.jsonl"
	}
	if opts.Audit, err = audit.Open(trail); err != nil {
		return err
	}
	defer opts.Audit.Close()
	handler := server.NewWith(w, logger, opts)
	defer handler.Close() // after Shutdown below has drained the requests using it
	if *watch > 0 {
		go handler.Watch(ctx, *watch)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	fmt.Fprintf(stderr, "hubs: warehouse %s (data version %s) ready in %.1fs\nhubs: listening on http://%s/\n",
		w.Path, w.Version, time.Since(start).Seconds(), displayAddr(ln.Addr()))
	errc := make(chan error, 1)
	fmt.Fprintf(stderr, "hubs: audit trail %s\n", trail)
	if opts.Auth == nil {
		fmt.Fprintln(stderr, "hubs: local demo: no sign-in")
	}
	go func() {
		if *tlsCert != "" {
			errc <- srv.ServeTLS(ln, *tlsCert, *tlsKey)
			return
		}
		errc <- srv.Serve(ln)
	}()
	if *warm {
		// fill the answer cache in the background: the first visitor then gets cached pages
		go func() {
			start := time.Now()
			n, err := handler.Warm(ctx)
			if err != nil {
				fmt.Fprintf(stderr, "hubs: warming the cache stopped: %v\n", err)
				return
			}
			fmt.Fprintf(stderr, "hubs: %d pages warmed in %.1fs\n", n, time.Since(start).Seconds())
		}()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), *drain)
	defer cancel()
	fmt.Fprintln(stderr, "hubs: shutting down")
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// loopback says whether an address listens on loopback only.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func displayAddr(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok && t.IP.IsUnspecified() {
		return fmt.Sprintf("localhost:%d", t.Port)
	}
	return a.String()
}
