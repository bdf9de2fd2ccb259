package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"familyhubs/dashboards"
	"familyhubs/demo"
	"familyhubs/load"
	"familyhubs/measures"
	"familyhubs/queries"
	"familyhubs/server"
	"familyhubs/stats"
	"familyhubs/warehouse"
)

func cmdBench(ctx context.Context, args []string) error {
	fs := newFlags("bench")
	db := fs.String("db", "", "warehouse file (default: the embedded demo warehouse)")
	council := fs.String("council", "stockport", "council the questions and pages are asked for")
	reps := fs.Int("reps", 15, "repetitions per query and page")
	clients := fs.Int("clients", 50, "concurrent clients in the loopback load test")
	seconds := fs.Int("seconds", 30, "length of the loopback load test (0 skips it)")
	build := fs.Bool("build", true, "time a warehouse build from the embedded data (demo only)")
	loadRows := fs.Bool("load", true, "time hubs load of the demo's exported records (demo only)")
	apart := fs.Bool("apart", false, "run the load test's server as a process of its own (hubs serve), as a council runs it, not inside the bench")
	pdfShare := fs.Int("pdf-share", 5, "percent of the load test's requests that are briefings (PDFs)")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the pages with nothing cached to this file (for go tool pprof)")
	fs.Usage = usageFor(fs, "hubs bench [--db FILE] [--council C] [--clients 50] [--seconds 30]",
		"Print one table of what the tool costs on this machine: each named question and each dashboard\n"+
			"page (median and p95), the warehouse build's throughput, peak memory, and a loopback load test of\n"+
			"the server (requests/s, p50 and p99 latency, errors). Traffic goes to 127.0.0.1 only.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	w, c, err := openCouncil(ctx, *db, *council)
	if err != nil {
		return err
	}
	defer w.Close()
	args1 := queries.Filters{Council: c, Period: queries.LatestCompleteYear(w.DataEnd)}.Args()
	var contacts int64
	w.QueryRowContext(ctx, "SELECT count(*) FROM contacts").Scan(&contacts)
	raw := queries.RawOnly(ctx)

	out := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(out, "# hubs bench: %s, %s, %d contacts, data version %s, %d cores, %s\n", c.Name, args1Label(w), contacts, w.Version, runtime.NumCPU(), runtime.Version())
	fmt.Fprintln(out, "# server time, median and p95 of repeated runs; raw = the same answer from plain DuckDB over raw contacts")
	fmt.Fprintln(out, "# (queries/raw/), ratio = raw median / median. Queries: the SQL alone; answer = with intervals and finishing.")
	fmt.Fprintln(out, "what\tmedian\tp95\traw median\traw p95\tratio\tnote")
	for _, q := range queries.All() {
		times, err := timeN(*reps, func() error {
			_, err := q.Run(ctx, w, args1)
			return err
		})
		if err != nil {
			return fmt.Errorf("%s: %w", q.Name, err)
		}
		policy := stats.DfE
		if q.ExactOnly {
			policy = stats.Exact // the return's question: exact output only
		}
		answer, err := timeN(*reps, func() error {
			_, err := measures.Run(ctx, w, q.Name, args1, policy)
			return err
		})
		if err != nil {
			return fmt.Errorf("%s: %w", q.Name, err)
		}
		note := "answer " + ms(pct(answer, 50))
		if q.RawSQL == "" {
			fmt.Fprintf(out, "query %s\t%s\t%s\t\t\t\t%s; reads no contacts\n", q.Name, ms(pct(times, 50)), ms(pct(times, 95)), note)
			continue
		}
		rawTimes, err := timeN(max(*reps/3, 3), func() error {
			_, err := q.RunRaw(ctx, w, args1)
			return err
		})
		if err != nil {
			return fmt.Errorf("%s (raw): %w", q.Name, err)
		}
		fmt.Fprintf(out, "query %s\t%s\t%s\t%s\t%s\t%s\t%s\n", q.Name, ms(pct(times, 50)), ms(pct(times, 95)),
			ms(pct(rawTimes, 50)), ms(pct(rawTimes, 95)), ratio(rawTimes, times), note)
	}
	if err := utility(ctx, w, out); err != nil {
		return err
	}
	// a page with nothing cached: a running server asked for a view nobody has asked for yet (each
	// repetition another council or period, so no page reuses another's answers)
	views, err := freshViews(ctx, w, c.Slug)
	if err != nil {
		return err
	}
	h := server.New(w, quiet())
	hRaw := server.New(w, quiet())
	if err := get(ctx, h, "/healthz"); err != nil {
		return err
	}
	next := 0
	fresh := func() string {
		v := views[next%len(views)]
		next++
		return v
	}
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		for range *reps {
			for _, p := range dashboards.Pages {
				if err := get(ctx, server.New(w, quiet()), "/"+p.Slug+"?"+fresh()); err != nil {
					return err
				}
			}
		}
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			return err
		}
	}
	for _, p := range dashboards.Pages {
		var cpu []time.Duration
		cold, err := timeN(*reps, func() error {
			c0 := cpuTime()
			defer func() { cpu = append(cpu, cpuTime()-c0) }()
			return get(ctx, h, "/"+p.Slug+"?"+fresh())
		})
		if err != nil {
			return err
		}
		rawCold, err := timeN(3, func() error { return get(raw, hRaw, "/"+p.Slug+"?"+fresh()) })
		if err != nil {
			return err
		}
		url := "/" + p.Slug + "?council=" + c.Slug
		get(ctx, h, url)
		warm, err := timeN(*reps, func() error { return get(ctx, h, url) })
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "page %s (nothing cached)\t%s\t%s\t%s\t%s\t%s\tprocess CPU %s a page (median): the %d cores' floor is %s\n", p.Slug, ms(pct(cold, 50)), ms(pct(cold, 95)),
			ms(pct(rawCold, 50)), ms(pct(rawCold, 95)), ratio(rawCold, cold), ms(pct(cpu, 50)), runtime.NumCPU(), ms(pct(cpu, 50)/time.Duration(runtime.NumCPU())))
		fmt.Fprintf(out, "page %s (page cached)\t%s\t%s\t\t\t\t\n", p.Slug, ms(pct(warm, 50)), ms(pct(warm, 95)))
	}
	if *build && *db == "" {
		dir, err := os.MkdirTemp("", "familyhubs-bench-")
		if err != nil {
			return err
		}
		start := time.Now()
		if err := demo.Build(ctx, filepath.Join(dir, "bench.duckdb")); err != nil {
			return err
		}
		took := time.Since(start)
		os.RemoveAll(dir)
		var rows int64
		w.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM contacts) + (SELECT count(*) FROM people) + (SELECT count(*) FROM families)").Scan(&rows)
		fmt.Fprintf(out, "demo warehouse build: reference data, then the synthetic records written as a council's files and loaded through hubs load --postcodes\t%s\t\t\t\t\t%.0f rows/s (%d rows, rollups included)\n", ms(took), float64(rows)/took.Seconds(), rows)
	} else if b := recordedBuild(ctx, w); b != "" {
		fmt.Fprintf(out, "warehouse build (as recorded when built)\t\t\t\t\t\t%s\n", b)
	}
	if *loadRows && *db == "" {
		sum, err := benchLoad(ctx, w)
		if err != nil {
			return err
		}
		rows := sum.Total()
		fmt.Fprintf(out, "hubs load: read, check and stage the demo's records\t%s\t\t\t\t\t%.0f rows/s (%d rows; bulk path %v)\n",
			ms(sum.Checked), float64(rows)/sum.Checked.Seconds(), rows, sum.Bulk)
		fmt.Fprintf(out, "hubs load: the whole load (and replace records, rebuild rollups)\t%s\t\t\t\t\t%.0f rows/s (target: 1 million rows/s end to end)\n",
			ms(sum.Took), float64(rows)/sum.Took.Seconds())
		if sum, err = benchLoadMapped(ctx, w); err != nil {
			return err
		}
		fmt.Fprintf(out, "hubs load --mapping: the same records as a case system's export (DD/MM/YYYY, codes), mapped, checked and staged\t%s\t\t\t\t\t%.0f rows/s (mapping pass %s, %.0f rows/s; bulk path %v; whole load %s)\n",
			ms(sum.Checked), float64(sum.Total())/sum.Checked.Seconds(), ms(sum.Mapping.Took), float64(mappedRows(sum))/sum.Mapping.Took.Seconds(), sum.Bulk, ms(sum.Took))
		for _, q := range []struct {
			council string
			times   int
		}{{c.Code, 1}, {"", 1}, {"E08000034", 5}} {
			sum, contacts, err := benchLoadQuarter(ctx, w, q.council, q.times)
			if err != nil {
				return err
			}
			who := c.Name
			switch {
			case q.council == "":
				who = "the five councils"
			case q.times > 1:
				who = fmt.Sprintf("a large council (Kirklees's, each contact %d times over)", q.times)
			}
			fmt.Fprintf(out, "hubs load --period 2024-25Q3: one quarter of %s (%d contacts) onto the rest\t%s\t\t\t\t\t%.0f rows/s (%d rows; checked in %s; target: a council's quarter of about 100,000 contacts in 2 s)\n",
				who, contacts, ms(sum.Took), float64(sum.Total())/sum.Took.Seconds(), sum.Total(), ms(sum.Checked))
		}
	}
	if *seconds > 0 {
		if os.Getenv("GOGC") == "" {
			debug.SetGCPercent(400) // the load generator's own collections are not the server's latency
		}
		r, err := loadTest(ctx, w, c.Slug, *clients, time.Duration(*seconds)*time.Second, *pdfShare, *apart)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "load test, %d clients, %ds, pages and API (%d%% briefings)\t%s\t%s\t%.0f requests/s, p99 %s, %d errors of %d; briefings p99 %s, %d errors of %d; /healthz p99 %s of %d\n",
			*clients, *seconds, *pdfShare, ms(r.p50), ms(r.p95), r.rate, ms(r.p99), r.errors, r.requests, ms(r.pdf99), r.pdfErrors, r.pdfs, ms(r.health99), r.health)
	}
	fmt.Fprintf(out, "peak memory (resident)\t%s\t\t\n", warehouse.PeakMemory())
	return out.Flush()
}

// utility reports what disclosure control costs in accuracy, per question: over every council
// with a network, the latest complete financial year, its last quarter and its last month, the
// share of the tool's counts (cells) the DfE policy changes from the exact count and the mean
// absolute change, and the same for the NHS policy (rounded, 1-7 hidden: a hidden cell counts
// as changed, its change not measured).
func utility(ctx context.Context, w *warehouse.DB, out io.Writer) error {
	rows, err := w.QueryContext(ctx, "SELECT council_code FROM councils WHERE has_network ORDER BY 1")
	if err != nil {
		return err
	}
	var councils []queries.Council
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			rows.Close()
			return err
		}
		c, err := queries.FindCouncil(ctx, w, code)
		if err != nil {
			rows.Close()
			return err
		}
		councils = append(councils, c)
	}
	rows.Close()
	year := queries.LatestCompleteYear(w.DataEnd)
	first := time.Date(year.End.Year(), year.End.Month(), 1, 0, 0, 0, 0, time.UTC)
	quarter := queries.Period{Start: first.AddDate(0, -2, 0), End: year.End, Label: "last quarter"}
	month := queries.Period{Start: first, End: year.End, Label: "last month"}
	if len(councils) > 20 {
		councils = councils[:20] // national: the first twenty are plenty
	}
	fmt.Fprintf(out, "# disclosure control's cost in accuracy: %d councils x %s, its last quarter and last month; cells = the tool's own counts\n", len(councils), year.Label)
	for _, q := range queries.All() {
		if q.ExactOnly || len(q.Counts) == 0 {
			continue
		}
		type tally struct {
			cells, changed, hidden int
			abs                    float64
		}
		var dfe, nhs tally
		for _, c := range councils {
			for _, p := range []queries.Period{year, quarter, month} {
				args := queries.Filters{Council: c, Period: p}.Args()
				exact, err := measures.Run(ctx, w, q.Name, args, stats.Exact)
				if err != nil {
					return fmt.Errorf("%s: %w", q.Name, err)
				}
				for _, pt := range []struct {
					p stats.Policy
					t *tally
				}{{stats.DfE, &dfe}, {stats.NHS, &nhs}} {
					shown, err := measures.Run(ctx, w, q.Name, args, pt.p)
					if err != nil {
						return fmt.Errorf("%s: %w", q.Name, err)
					}
					for _, col := range q.Counts {
						ci := exact.Col(col)
						if ci < 0 || shown.Col(col) != ci {
							continue // a count the finishing step folds away
						}
						for i, row := range exact.Rows {
							n, ok := measures.Number(row[ci])
							if !ok {
								continue
							}
							pt.t.cells++
							v, ok := measures.Number(shown.Rows[i][ci])
							switch {
							case !ok:
								pt.t.changed++
								pt.t.hidden++
							case v != n:
								pt.t.changed++
								pt.t.abs += math.Abs(v - n)
							}
						}
					}
				}
			}
		}
		line := func(t tally) string {
			if t.cells == 0 {
				return "no cells"
			}
			return fmt.Sprintf("%.1f%% of %d cells changed (%.1f%% hidden), mean absolute change of those shown %.2f",
				100*float64(t.changed)/float64(t.cells), t.cells, 100*float64(t.hidden)/float64(t.cells), t.abs/float64(max(t.cells-t.hidden, 1)))
		}
		fmt.Fprintf(out, "utility %s\t\t\t\t\t\tdfe: %s; nhs: %s\n", q.Name, line(dfe), line(nhs))
	}
	return nil
}

// probeEnv names the variable that makes hubs the bench's /healthz prober: it asks the URL every
// 50 ms for $HUBS_BENCH_PROBE_SECONDS and prints each answer's time in nanoseconds (-1 for a
// failure).
const probeEnv = "HUBS_BENCH_PROBE"

func probe(ctx context.Context, u string) {
	secs, _ := strconv.Atoi(os.Getenv(probeEnv + "_SECONDS"))
	client := &http.Client{Timeout: 10 * time.Second}
	deadline := time.Now().Add(time.Duration(secs) * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		start := time.Now()
		resp, err := client.Get(u)
		ok := err == nil && resp.StatusCode == http.StatusOK
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		if ok {
			fmt.Fprintln(stdout, time.Since(start).Nanoseconds())
		} else {
			fmt.Fprintln(stdout, -1)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// serveApart starts `hubs serve` on addr over the warehouse file in a process of its own, waits
// until it has warmed its pages, and returns how to stop it (SIGTERM, then wait).
func serveApart(ctx context.Context, db, addr string) (func(), error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	trail, err := os.CreateTemp("", "familyhubs-bench-audit-*.jsonl")
	if err != nil {
		return nil, err
	}
	trail.Close()
	cmd := exec.CommandContext(ctx, self, "serve", "--db", db, "--addr", addr, "--audit", trail.Name())
	var errs syncWriter
	cmd.Stderr = &errs
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	stop := func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		os.Remove(trail.Name())
	}
	deadline := time.Now().Add(5 * time.Minute)
	for !strings.Contains(errs.String(), "pages warmed") {
		if time.Now().After(deadline) || strings.Contains(errs.String(), "stopped") {
			stop()
			return nil, fmt.Errorf("hubs serve did not warm up:\n%s", errs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	return stop, nil
}

type syncWriter struct {
	mu sync.Mutex
	b  strings.Builder
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// freshViews lists page queries for views in the order a bench asks them: the council first,
// then every other council with a network, for the latest complete financial year, then the
// same councils for earlier years and quarters.
func freshViews(ctx context.Context, w *warehouse.DB, first string) ([]string, error) {
	rows, err := w.QueryContext(ctx, "SELECT slug FROM councils WHERE has_network ORDER BY slug <> $1, slug", first)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var slugs []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		slugs = append(slugs, s)
	}
	// financial years newest first, then quarters newest first
	periods := dashboards.Periods(w.DataEnd)
	sort.SliceStable(periods, func(i, j int) bool {
		if len(periods[i]) != len(periods[j]) {
			return len(periods[i]) < len(periods[j])
		}
		return periods[i] > periods[j]
	})
	var out []string
	for _, p := range periods {
		for _, s := range slugs {
			out = append(out, "council="+s+"&period="+p)
		}
	}
	return out, rows.Err()
}

// cpuTime is the CPU time this process has used, user and system, on every thread (DuckDB's
// included).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func quiet() *log.Logger { return log.New(io.Discard, "", 0) }

func get(ctx context.Context, h http.Handler, url string) error {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, url, nil).WithContext(ctx))
	if rec.Code != http.StatusOK {
		return fmt.Errorf("%s: %d", url, rec.Code)
	}
	return nil
}

func timeN(n int, f func() error) ([]time.Duration, error) {
	var out []time.Duration
	for i := 0; i < n; i++ {
		start := time.Now()
		if err := f(); err != nil {
			return nil, err
		}
		out = append(out, time.Since(start))
	}
	return out, nil
}

func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (len(s)*p + 99) / 100
	return s[min(max(i-1, 0), len(s)-1)]
}

// ratio is how many times faster b's median is than a's.
func ratio(a, b []time.Duration) string {
	if pct(b, 50) <= 0 {
		return ""
	}
	return fmt.Sprintf("%.1fx", float64(pct(a, 50))/float64(pct(b, 50)))
}

// args1Label names the period the bench asks about.
func args1Label(w *warehouse.DB) string { return queries.LatestCompleteYear(w.DataEnd).Label }

// recordedBuild is what the warehouse recorded of its own build: time, rows and memory.
func recordedBuild(ctx context.Context, w *warehouse.DB) string {
	var secs, rows, mem sql.NullString
	w.QueryRowContext(ctx, `SELECT max(value) FILTER (WHERE key = 'build_seconds'), max(value) FILTER (WHERE key = 'build_rows'),
		max(value) FILTER (WHERE key = 'build_peak_memory') FROM metadata`).Scan(&secs, &rows, &mem)
	if !secs.Valid || !rows.Valid {
		return ""
	}
	s, _ := strconv.ParseFloat(secs.String, 64)
	n, _ := strconv.ParseFloat(rows.String, 64)
	return fmt.Sprintf("%.0f s, %.0f generated rows/s (%s rows, rollups included), peak memory %s", s, n/s, rows.String, mem.String)
}

// benchLoad exports the demo's records and loads them back into a copy, as a council would.
func benchLoad(ctx context.Context, w *warehouse.DB) (*load.Summary, error) {
	dir, err := os.MkdirTemp("", "familyhubs-bench-load-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := load.Export(ctx, w, filepath.Join(dir, "records")); err != nil {
		return nil, err
	}
	return load.Folder(ctx, filepath.Join(dir, "loaded.duckdb"), w.Path, filepath.Join(dir, "records"), load.Options{})
}

// benchLoadMapped writes the demo's records as a case system's export (load.ExampleMapping:
// DD/MM/YYYY dates, codes as words, its own column names) and loads them through the mapping.
func benchLoadMapped(ctx context.Context, w *warehouse.DB) (*load.Summary, error) {
	dir, err := os.MkdirTemp("", "familyhubs-bench-mapped-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path, err := load.ExportMapped(ctx, w, filepath.Join(dir, "records"))
	if err != nil {
		return nil, err
	}
	m, err := load.ReadMapping(path)
	if err != nil {
		return nil, err
	}
	return load.Folder(ctx, filepath.Join(dir, "loaded.duckdb"), w.Path, filepath.Join(dir, "records"), load.Options{Mapping: m})
}

// benchLoadQuarter loads the demo's records but one quarter (of one council, or of all when
// council is empty) into a copy, then times a load of that quarter alone (hubs load --period), as
// a council's quarterly extract would come; times > 1 loads each of the quarter's contacts that
// many times over (load.Inflate), for a quarter the size of a large council's.
func benchLoadQuarter(ctx context.Context, w *warehouse.DB, council string, times int) (*load.Summary, int, error) {
	dir, err := os.MkdirTemp("", "familyhubs-bench-quarter-")
	if err != nil {
		return nil, 0, err
	}
	defer os.RemoveAll(dir)
	all, before, within := filepath.Join(dir, "records"), filepath.Join(dir, "before"), filepath.Join(dir, "quarter")
	if err := load.Export(ctx, w, all); err != nil {
		return nil, 0, err
	}
	p, err := queries.ParsePeriod("2024-25Q3")
	if err != nil {
		return nil, 0, err
	}
	span := warehouse.Span{Start: p.Start, End: p.End}
	n, err := load.SplitForSpan(all, before, within, span, council)
	if err != nil {
		return nil, 0, err
	}
	if times > 1 {
		if n, err = load.Inflate(within, times); err != nil {
			return nil, 0, err
		}
	}
	target := filepath.Join(dir, "loaded.duckdb")
	if _, err := load.Folder(ctx, target, w.Path, before, load.Options{}); err != nil {
		return nil, 0, err
	}
	sum, err := load.Folder(ctx, target, w.Path, within, load.Options{Span: &span})
	return sum, n, err
}

func mappedRows(sum *load.Summary) int {
	n := 0
	for _, f := range sum.Mapping.Files {
		n += f.Rows
	}
	return n
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

type loadResult struct {
	requests, errors int
	rate             float64
	p50, p95, p99    time.Duration // pages and API
	pdfs, pdfErrors  int
	pdf99            time.Duration // briefings
	health99         time.Duration // /healthz, probed every 50 ms alongside
	health           int
}

// loadTest runs a real server on a loopback port and sends it requests from clients goroutines
// for d, across every page and the API and, for pdfShare percent of requests, briefings (every
// council with a network, years and quarters: each rendered once, then from the briefing
// cache); a prober asks /healthz every 50 ms meanwhile. It stops by itself.
func loadTest(ctx context.Context, w *warehouse.DB, council string, clients int, d time.Duration, pdfShare int, apart bool) (loadResult, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return loadResult{}, err
	}
	base := "http://" + ln.Addr().String()
	if apart {
		// the server in a process of its own, as a council runs it: `hubs serve` on loopback
		addr := ln.Addr().String()
		ln.Close()
		stop, err := serveApart(ctx, w.Path, addr)
		if err != nil {
			return loadResult{}, err
		}
		defer stop()
	} else {
		h := server.New(w, quiet())
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
		go srv.Serve(ln)
		defer srv.Close()
		if _, err := h.Warm(ctx); err != nil {
			return loadResult{}, err
		}
	}
	var urls, pdfs []string
	for _, p := range dashboards.Pages {
		urls = append(urls, base+"/"+p.Slug+"?council="+council)
	}
	for _, q := range []string{"reach_by_decile", "care_trend", "site_activity", "reach_trend"} {
		urls = append(urls, base+"/api/queries/"+q+"?council="+council, base+"/api/queries/"+q+".csv?council="+council)
	}
	views, err := freshViews(ctx, w, council)
	if err != nil {
		return loadResult{}, err
	}
	for _, v := range views {
		q, _ := url.ParseQuery(v)
		pdfs = append(pdfs, base+"/briefings/"+q.Get("council")+"/"+q.Get("period")+".pdf")
	}
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients + 1}}
	deadline := time.Now().Add(d)
	var mu sync.Mutex
	var lat, pdfLat, healthLat []time.Duration
	errs, pdfErrs := 0, 0
	var wg sync.WaitGroup
	if apart {
		// the prober as a process of its own too, as a load balancer's probe would be: what it
		// measures is the server's answer, not this process's 300 clients queueing for the CPU
		self, err := os.Executable()
		if err != nil {
			return loadResult{}, err
		}
		cmd := exec.CommandContext(ctx, self)
		cmd.Env = append(os.Environ(), probeEnv+"="+base+"/healthz", fmt.Sprintf("%s_SECONDS=%d", probeEnv, int(d.Seconds())))
		var out bytes.Buffer
		cmd.Stdout = &out
		if err := cmd.Start(); err != nil {
			return loadResult{}, err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := cmd.Wait()
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs++
				return
			}
			for _, f := range strings.Fields(out.String()) {
				if n, err := strconv.ParseInt(f, 10, 64); err == nil && n >= 0 {
					healthLat = append(healthLat, time.Duration(n))
				} else {
					errs++
				}
			}
		}()
	} else {
		wg.Add(1)
		go func() { // /healthz must stay fast whatever else is going on
			defer wg.Done()
			for time.Now().Before(deadline) && ctx.Err() == nil {
				start := time.Now()
				resp, err := client.Get(base + "/healthz")
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				mu.Lock()
				healthLat = append(healthLat, time.Since(start))
				if err != nil || resp.StatusCode != http.StatusOK {
					errs++
				}
				mu.Unlock()
				time.Sleep(50 * time.Millisecond)
			}
		}()
	}
	var nextPDF atomic.Int64
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for n := i; time.Now().Before(deadline) && ctx.Err() == nil; n++ {
				u, isPDF := urls[n%len(urls)], pdfShare > 0 && len(pdfs) > 0 && (n*7919+i)%100 < pdfShare
				if isPDF {
					u = pdfs[int(nextPDF.Add(1))%len(pdfs)]
				}
				start := time.Now()
				resp, err := client.Get(u)
				ok := err == nil && resp.StatusCode == http.StatusOK
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				el := time.Since(start)
				mu.Lock()
				if isPDF {
					pdfLat = append(pdfLat, el)
					if !ok {
						pdfErrs++
					}
				} else {
					lat = append(lat, el)
					if !ok {
						errs++
					}
				}
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	return loadResult{requests: len(lat), errors: errs, rate: float64(len(lat)+len(pdfLat)) / d.Seconds(),
		p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99),
		pdfs: len(pdfLat), pdfErrors: pdfErrs, pdf99: pct(pdfLat, 99), health99: pct(healthLat, 99), health: len(healthLat)}, nil
}
