// Package axe runs Deque's axe-core accessibility checker (npm axe-core 4.14.1, MPL-2.0, its
// licence beside it) in a page the browser tests have open, at WCAG 2.2 AA. The checker is
// embedded here, never fetched, and only the tests import this package: the served binary does
// not carry it.
package axe

import (
	"context"
	_ "embed"
	"fmt"
	"strings"

	"github.com/chromedp/chromedp"
)

//go:embed axe-4.14.1.min.js
var source string

// Version is the axe-core release embedded.
const Version = "4.14.1"

// Tags are the rule sets run: every WCAG 2.0, 2.1 and 2.2 success criterion at levels A and AA
// that axe checks automatically.
var Tags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"}

// Node is one element a rule failed on.
type Node struct {
	Target  []any  `json:"target"`
	HTML    string `json:"html"`
	Summary string `json:"failureSummary"`
}

// Violation is one rule that failed, with the elements it failed on.
type Violation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	HelpURL string   `json:"helpUrl"`
	Tags    []string `json:"tags"`
	Nodes   []Node   `json:"nodes"`
}

// String says the rule, how many elements failed it, and the first few of them.
func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s, %d elements): %s", v.ID, v.Impact, len(v.Nodes), v.Help)
	for i, n := range v.Nodes {
		if i == 3 {
			b.WriteString("\n    ...")
			break
		}
		h := n.HTML
		if len(h) > 160 {
			h = h[:160] + "..."
		}
		fmt.Fprintf(&b, "\n    %v %s\n      %s", n.Target, h, strings.ReplaceAll(n.Summary, "\n", " "))
	}
	return b.String()
}

// Result is what a run found: the violations, and how many rules passed (so a run that checked
// nothing can be told from one that found nothing).
type Result struct {
	Violations []Violation `json:"violations"`
	Passes     int         `json:"passes"`
	URL        string      `json:"url"`
}

// Run injects axe-core into the page open in ctx (if it is not there yet) and checks the whole
// document against Tags.
func Run(ctx context.Context) (*Result, error) {
	have, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		return nil, fmt.Errorf("axe: %w", err)
	}
	if !have {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](source+"\n;true")); err != nil {
			return nil, fmt.Errorf("axe: injecting axe-core: %w", err)
		}
	}
	tags := `["` + strings.Join(Tags, `","`) + `"]`
	script := `axe.run(document, {runOnly: {type: "tag", values: ` + tags + `}, resultTypes: ["violations"]})
	  .then(function (r) { return {violations: r.violations, passes: r.passes.length, url: r.url}; })`
	res, err := chromedp.Run(ctx, chromedp.Evaluate[Result](script, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("axe: running: %w", err)
	}
	return &res, nil
}
