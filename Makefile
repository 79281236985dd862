.PHONY: demo test lint
# Run the product: build the demo and serve it at http://127.0.0.1:8000 with a worker (Ctrl-C stops).
demo:
	scripts/demo.sh
# Run every test (uses DATABASE_URL / REDIS_URL when set, else SQLite and the embedded broker).
test:
	scripts/test.sh
lint:
	.venv/bin/ruff check .
