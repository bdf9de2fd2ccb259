package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"time"

	"familyhubs/server"
)

func cmdServe(ctx context.Context, args []string) error {
	fs := newFlags("serve")
	addr := fs.String("addr", ":8080", "address to listen on")
	db := fs.String("db", "", "warehouse file (default: the embedded demo warehouse)")
	warm := fs.Bool("warm", true, "render every page once in the background at start, so the first visitors get cached answers")
	fs.Usage = usageFor(fs, "hubs serve [--addr :8080] [--db FILE]",
		"Serve the dashboards, the JSON/CSV API and /healthz. Every asset is served by the binary: no CDN.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	start := time.Now()
	w, err := openWarehouse(ctx, *db)
	if err != nil {
		return err
	}
	defer w.Close()
	logger := log.New(stderr, "hubs ", log.LstdFlags)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	handler := server.New(w, logger)
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	fmt.Fprintf(stderr, "hubs: warehouse %s (data version %s) ready in %.1fs\nhubs: listening on http://%s/\n",
		w.Path, w.Version, time.Since(start).Seconds(), displayAddr(ln.Addr()))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
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
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	fmt.Fprintln(stderr, "hubs: shutting down")
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func displayAddr(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok && t.IP.IsUnspecified() {
		return fmt.Sprintf("localhost:%d", t.Port)
	}
	return a.String()
}
