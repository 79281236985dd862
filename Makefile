.PHONY: demo test lint
HOST ?= 127.0.0.1
PORT ?= 8000
# Run the product: build the demo and serve it at http://$(HOST):$(PORT) with a worker (Ctrl-C stops).
# `make demo HOST=0.0.0.0` makes it reachable from phones on the same network (links and QR codes follow).
demo:
	HOST=$(HOST) PORT=$(PORT) scripts/demo.sh
# Run every test (uses DATABASE_URL / REDIS_URL when set, else SQLite and the embedded broker).
test:
	scripts/test.sh
lint:
	.venv/bin/ruff check .
