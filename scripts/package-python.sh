#!/usr/bin/env bash
# Builds the Python distribution from the bindings jsii-pacmak generated (--code-only) into
# dist/python, with Debian's build tools, because pacmak's own packaging pip-installs pinned build
# tools from PyPI, which this project's machines cannot reach. Needs the Debian packages
# python3-build, python3-setuptools, python3-wheel and twine (.ci/run installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
src=dist/python
py=/usr/bin/python3
if [ ! -f "$src/setup.py" ]; then
  echo "no generated Python bindings in $src: run package:bindings first" >&2
  exit 1
fi
for module in build setuptools wheel twine; do
  if ! "$py" -c "import $module" 2>/dev/null; then
    echo "missing Python module '$module': apt-get install python3-build python3-setuptools python3-wheel twine" >&2
    exit 1
  fi
done
# Syntax: every generated module byte-compiles.
"$py" -m compileall -q "$src/src"
# Build into a scratch directory, then keep only the wheel and sdist beside the sources.
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(cd "$src" && "$py" -m build --no-isolation --skip-dependency-check --outdir "$out" . >"$out/build.log" 2>&1) || {
  cat "$out/build.log" >&2
  exit 1
}
rm -f "$src"/*.whl "$src"/*.tar.gz
cp "$out"/*.whl "$out"/*.tar.gz "$src"/
"$py" -m twine check --strict "$src"/*.whl "$src"/*.tar.gz
# Every README example, as rosetta translated it to Python, must at least parse.
"$py" - "$src/README.md" <<'PY'
import ast, re, sys
text = open(sys.argv[1]).read()
blocks = re.findall(r"```python\n(.*?)```", text, re.S)
bad = []
for i, block in enumerate(blocks):
    try:
        ast.parse(block)
    except SyntaxError as e:
        bad.append(f"example {i + 1}: {e}\n{block}")
if bad:
    sys.exit("Python README examples that do not parse:\n" + "\n".join(bad))
print(f"parsed {len(blocks)} Python README examples")
PY
# setuptools leaves build metadata in the source tree; dist/ is ignored by git, keep it tidy anyway.
rm -rf "$src/build" "$src"/src/*.egg-info
ls -1 "$src"/*.whl "$src"/*.tar.gz
