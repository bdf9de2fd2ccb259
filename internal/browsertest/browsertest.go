// Package browsertest starts the headless Chromium the browser tests drive: in CI (CI=true) a
// missing Chromium fails the test, since .ci/run installs it; on a developer's machine without
// one the test is skipped and says why. Only tests import it.
package browsertest

import (
	"context"
	"errors"
	"os"
	"testing"

	"familyhubs/browser"
)

// Start gives a headless Chromium with a window width by height pixels, closed when the test
// ends.
func Start(t testing.TB, width, height int) context.Context {
	t.Helper()
	ctx, cancel, err := browser.Start(context.Background(), width, height)
	if errors.Is(err, browser.ErrNoChromium) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI needs Chromium for the browser tests: %v", err)
		}
		t.Skipf("no Chromium on this machine, so the browser tests cannot run: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	return ctx
}
