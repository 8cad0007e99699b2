# The two commands a fresh machine needs: `make run` and `make test` (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Development keys and settings; a production deployment sets ARREARS_SECRET_KEY and
# ARREARS_FIELD_KEY itself and leaves ARREARS_DEV unset.
export ARREARS_DEV ?= 1
DEMO_ACCOUNTS ?= 3000
DEMO_SEED ?= 7
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint messages bench clean browser fonts

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

run: install fonts
	$(BIN)/arrears migrate --noinput
	$(BIN)/arrears seed-demo --accounts $(DEMO_ACCOUNTS) --seed $(DEMO_SEED) --if-empty
	$(BIN)/arrears run-batch
	$(BIN)/arrears collectstatic --noinput --verbosity 0
	$(BIN)/arrears demo-users
	@echo "arrears is serving at http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/gunicorn arrears.config.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

test: install fonts browser
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .

messages: install
	cd src/arrears && ../../$(BIN)/arrears makemessages -l zh_Hans --no-obsolete && ../../$(BIN)/arrears compilemessages

clean:
	rm -rf $(VENV) var

# Debian's Noto CJK fonts, embedded in PDF letters (ARREARS_PDF_FONT_DIR points elsewhere).
NOTO := /usr/share/fonts/opentype/noto
fonts:
	@test -f $(NOTO)/NotoSerifCJK-Regular.ttc -a -f $(NOTO)/NotoSansCJK-Bold.ttc -o -n "$$ARREARS_PDF_FONT_DIR" || { \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-noto-cjk >/dev/null; }

# Debian's Chromium and a CJK font for the browser tests and screenshots (root, or sudo).
browser:
	@command -v chromium >/dev/null && fc-list | grep -qi 'Noto Sans CJK' || { \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk >/dev/null; }
