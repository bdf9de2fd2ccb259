package main

import (
	"context"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"familyhubs/browser"
	"familyhubs/dashboards"
	"familyhubs/server"
)

func cmdScreenshot(ctx context.Context, args []string) error {
	fs := newFlags("screenshot")
	db := fs.String("db", "", "warehouse file (default: the embedded demo warehouse)")
	council := fs.String("council", "stockport", "council slug or code")
	query := fs.String("query", "", "extra filters for every page, e.g. period=2024-25&locality=Marple")
	fs.Usage = usageFor(fs, "hubs screenshot DIR [--council C] [--query Q] [--db FILE]",
		"Serve the dashboards on a loopback port and save a full-page PNG of each page, 1366 pixels wide\n"+
			"(a 1366x768 window), with headless Chromium (Debian's chromium package), for a reviewer.")
	dir, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	if dir == "" {
		fs.Usage()
		return fmt.Errorf("name a folder for the screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	w, err := openWarehouse(ctx, *db)
	if err != nil {
		return err
	}
	defer w.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: server.New(w, log.New(stderr, "hubs ", log.LstdFlags)), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	bctx, cancel, err := browser.Start(ctx, 1366, 768)
	if err != nil {
		return err
	}
	defer cancel()
	for _, p := range dashboards.Pages {
		url := fmt.Sprintf("http://%s/%s?council=%s", ln.Addr(), p.Slug, *council)
		if *query != "" {
			url += "&" + *query
		}
		file := filepath.Join(dir, p.Slug+".png")
		if err := browser.Screenshot(bctx, url, file); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s\n", file)
	}
	return nil
}
