package load_test

import (
	"bufio"
	"errors"
	. "familyhubs/load"
	"fmt"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkLoadMemory loads a contacts.csv of about 100 MB (1.5 million lines) through the Go
// reader and reports the peak Go heap and the peak resident memory of the process (DuckDB's
// included) during the load:
//
//	go test ./load -run '^$' -bench LoadMemory -benchtime 1x
//
// stray-quote: one quote on line 2 that is never closed (the load is refused for that one
// problem); quoted-value: a value in quotes on line 2, which sends the whole file through the Go
// reader into the warehouse.
func BenchmarkLoadMemory(b *testing.B) {
	for _, c := range []struct{ name, line2 string }{
		{"stray-quote", "1,2024-06-03,E08000007,E01005918,S1,parenting,hub,1,10,11,\"3-4\n"},
		{"quoted-value", "\"1\",2024-06-03,E08000007,E01005918,S1,parenting,hub,1,10,11,3-4\n"},
	} {
		b.Run(c.name, func(b *testing.B) {
			base, target := copyOfDemo(b)
			folder := CleanFolder()
			delete(folder, "contacts.csv")
			dir := writeFolder(b, folder)
			size := writeContacts(b, filepath.Join(dir, "contacts.csv"), c.line2, 1_500_000)
			b.SetBytes(size)
			var heap, rss float64
			b.ResetTimer()
			for b.Loop() {
				resetPeakRSS()
				stop := sampleHeap()
				_, err := Folder(ctx, target, base, dir, Options{})
				heap = max(heap, stop())
				rss = max(rss, peakRSS())
				var p *Problems
				if c.name == "stray-quote" && !(errors.As(err, &p) && p.Total() == 1) || c.name != "stray-quote" && err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(heap/(1<<20), "peak-heap-MB")
			b.ReportMetric(rss/(1<<20), "peak-rss-MB")
		})
	}
}

func writeContacts(b *testing.B, path, line2 string, n int) int64 {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString(ContactsHeader + line2)
	for i := 2; i <= n; i++ {
		fmt.Fprintf(w, "%d,2024-06-03,E08000007,E01005918,S1,parenting,hub,1,10,11,3-4\n", i)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	st, _ := f.Stat()
	f.Close()
	return st.Size()
}

// sampleHeap samples the Go heap's live objects every few milliseconds until the function it
// returns is called, which returns the peak.
func sampleHeap() func() float64 {
	done, peak := make(chan struct{}), make(chan float64)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		top := 0.0
		for {
			metrics.Read(s)
			top = max(top, float64(s[0].Value.Uint64()))
			select {
			case <-done:
				peak <- top
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return func() float64 { close(done); return <-peak }
}

// resetPeakRSS starts the process's peak resident memory (VmHWM) again from now (Linux).
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS is the process's peak resident memory in bytes since resetPeakRSS (Linux; 0 elsewhere).
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return float64(kb) * 1024
		}
	}
	return 0
}
