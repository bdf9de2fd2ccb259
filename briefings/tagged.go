package briefings

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/chromedp/chromedp"

	"familyhubs/answers"
	"familyhubs/browser"
)

// The tagged PDF is the HTML briefing printed by headless Chromium: Chromium writes the page's
// structure (headings, lists, tables with their headers, the charts' text alternatives) into
// the PDF as tags, and its headings as the outline, which fpdf cannot. Without Chromium the
// fpdf briefing is the fallback, labelled untagged.

// ErrNoChromium is returned by TaggedPDF on a machine without Chromium.
var ErrNoChromium = browser.ErrNoChromium

// TaggedPDF prints an HTML briefing as a tagged A4 PDF with a document outline, in a headless
// Chromium started for it and closed after. The page is served to Chromium from a loopback
// listener that answers only it, with the briefing's content security policy.
func TaggedPDF(ctx context.Context, page []byte) ([]byte, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		w.Write(page)
	}), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()

	bctx, cancel, err := browser.Start(ctx, 1024, 1400)
	if err != nil {
		return nil, err
	}
	defer cancel()
	tctx, stop := context.WithTimeout(bctx, 90*time.Second)
	defer stop()
	if err := chromedp.Do(tctx, chromedp.Navigate("http://"+ln.Addr().String()+"/"), chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
		return nil, fmt.Errorf("loading the briefing in Chromium: %w", err)
	}
	pdf, err := chromedp.Run(tctx, chromedp.PrintToPDF(
		chromedp.PDFPaper(chromedp.PaperA4),
		chromedp.PDFPreferCSSPageSize(), // the page's @page: A4 and its margins
		chromedp.PDFScale(0.8),          // GOV.UK's screen type is large for a paper
		chromedp.PDFPrintBackground(),   // the plan's red / amber / green tags
		chromedp.PDFOutlineAndTagged(),  // generateTaggedPDF and generateDocumentOutline
		chromedp.PDFHeaderTemplate(`<span></span>`),
		chromedp.PDFFooterTemplate(`<div style="font-family:Arial,sans-serif;font-size:8px;color:#505a5f;width:100%;margin:0 15mm;text-align:right">Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>`),
	))
	if err != nil {
		return nil, fmt.Errorf("printing the briefing in Chromium: %w", err)
	}
	return pdf, nil
}

// TaggedBytes gathers the figures, renders the HTML briefing and prints it as a tagged PDF.
func TaggedBytes(ctx context.Context, a *answers.Service, req Request) ([]byte, error) {
	page, err := HTMLBytes(ctx, a, req)
	if err != nil {
		return nil, err
	}
	return TaggedPDF(ctx, page)
}
