# The README's two commands are the way in; these are shortcuts for developers.
.PHONY: run test bench vet

run:
	go run ./cmd/hubs serve

test:
	go test ./...

vet:
	gofmt -l . | (! grep .) && go vet ./...

# bench prints one table: every benchmark's time per operation and memory, from one run.
bench:
	@go test -run '^$$' -bench . -benchmem ./... | awk ' \
		/^Benchmark/ { name=$$1; sub(/-[0-9]+$$/, "", name); \
		               printf "%-52s %14s ns/op %12s B/op %10s allocs/op\n", name, $$3, $$5, $$7 } \
		/^(ok|FAIL)/ { print }'
